/* Golden files for the unit tests: see golden.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"

/* a shown line is cut to this many bytes, around the first difference */
#define SHOW_MAX 240

char *golden_path(const char *subdir, const char *file)
{
	const char *fx = getenv("ACLF_FIXTURES"), *src = getenv("ACLF_SRCDIR");
	char *p = NULL;
	int n;

	if (fx && *fx)
		n = asprintf(&p, "%s/%s/%s", fx, subdir, file);
	else if (src && *src)
		n = asprintf(&p, "%s/tests/fixtures/%s/%s", src, subdir, file);
	else
		n = asprintf(&p, "tests/fixtures/%s/%s", subdir, file);
	assert_true(n > 0);
	return p;
}

bool golden_regen_requested(void)
{
	const char *v = getenv("ACLF_REGEN");

	return v && strcmp(v, "1") == 0;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p++)
		n += *p == '\n';
	return n + (*s && s[strlen(s) - 1] != '\n');
}

/* one line of the report: sign, then at most SHOW_MAX bytes of the line,
 * starting a little before column col (1-based; 0 = from the start) */
static void show_line(FILE *f, char sign, const char *s, size_t len, size_t col)
{
	size_t start = col > SHOW_MAX / 2 ? col - SHOW_MAX / 4 : 0, n = len - start;
	int more = n > SHOW_MAX;

	if (more)
		n = SHOW_MAX;
	fprintf(f, "%c%s%.*s%s\n", sign, start ? "..." : "", (int)n, s + start, more ? "..." : "");
}

char *golden_first_diff(const char *want, const char *got)
{
	const char *w = want, *g = got, *ctx = NULL;
	size_t ctx_len = 0, line = 1, wl, gl, col = 0;
	int wnl, gnl;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	if (strcmp(want, got) == 0)
		return NULL;
	for (;;) {
		wl = strcspn(w, "\n");
		gl = strcspn(g, "\n");
		wnl = w[wl] == '\n';
		gnl = g[gl] == '\n';
		if (!*w || !*g || wl != gl || wnl != gnl || memcmp(w, g, wl) != 0)
			break;
		ctx = w;
		ctx_len = wl;
		line++;
		w += wl + 1;
		g += gl + 1;
	}
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	if (*w && *g) {
		while (col < wl && col < gl && w[col] == g[col])
			col++;
		col++; /* 1-based */
		fprintf(f, "@@ line %zu, column %zu (expected %zu lines, got %zu) @@\n", line, col,
			count_lines(want), count_lines(got));
	} else {
		fprintf(f, "@@ line %zu (expected %zu lines, got %zu) @@\n", line, count_lines(want),
			count_lines(got));
	}
	if (ctx)
		show_line(f, ' ', ctx, ctx_len, 0);
	if (*w) {
		show_line(f, '-', w, wl, col);
		if (!wnl && *g)
			fputs("\\ no newline at end of the expected file\n", f);
	} else {
		fputs("\\ expected ends here\n", f);
	}
	if (*g) {
		show_line(f, '+', g, gl, col);
		if (!gnl && *w)
			fputs("\\ no newline at end of the output\n", f);
	} else {
		fputs("\\ got ends here\n", f);
	}
	assert_int_equal(fclose(f), 0);
	return out;
}

/* The whole file as a NUL-terminated string; its length in *len. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void set_report(char **report, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_report(char **report, const char *fmt, ...)
{
	va_list ap;

	if (!report)
		return;
	va_start(ap, fmt);
	if (vasprintf(report, fmt, ap) < 0)
		*report = NULL;
	va_end(ap);
}

/* Write got to path (through a temporary file beside it and a rename). */
static enum golden_result regenerate(const char *path, const char *got, char **report)
{
	size_t oldlen = 0, len = strlen(got);
	char *old = read_all(path, &oldlen), *tmp = NULL;
	int same = old && oldlen == len && memcmp(old, got, len) == 0;
	FILE *f;

	free(old);
	assert_true(asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) > 0);
	f = fopen(tmp, "wb");
	if (f) {
		int ok = fwrite(got, 1, len, f) == len;

		ok = fclose(f) == 0 && ok;
		if (!ok || rename(tmp, path) != 0) {
			int e = errno;

			unlink(tmp);
			errno = e;
			f = NULL;
		}
	}
	if (!f) {
		set_report(report, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return GOLDEN_WRITE_FAILED;
	}
	free(tmp);
	set_report(report, "regenerated %s%s", path, same ? " (unchanged)" : "");
	return GOLDEN_REGENERATED;
}

enum golden_result golden_compare(const char *path, const char *got, char **report)
{
	size_t len = 0;
	char *want, *diff;

	if (report)
		*report = NULL;
	if (golden_regen_requested())
		return regenerate(path, got, report);
	want = read_all(path, &len);
	if (!want) {
		set_report(report, "cannot read %s: %s", path, strerror(errno));
		return GOLDEN_NO_FILE;
	}
	if (len == strlen(got) && memcmp(want, got, len) == 0) {
		free(want);
		return GOLDEN_SAME;
	}
	if (strlen(want) != len)
		set_report(report, "--- %s\n+++ got\n%s holds a NUL byte at offset %zu\n", path, path,
			   strlen(want));
	else {
		diff = golden_first_diff(want, got);
		set_report(report, "--- %s\n+++ got\n%s", path, diff);
		free(diff);
	}
	free(want);
	return GOLDEN_DIFFERS;
}

void golden_check_at(const char *subdir, const char *file, const char *got, const char *src,
		     int line)
{
	char *path = golden_path(subdir, file), *report = NULL;
	const char *regen = getenv("ACLF_REGEN");
	enum golden_result r = golden_compare(path, got, &report);

	switch (r) {
	case GOLDEN_SAME:
		break;
	case GOLDEN_REGENERATED:
		print_message("%s\n", report ? report : path);
		break;
	case GOLDEN_DIFFERS:
		print_error("golden file differs from the output:\n%s", report ? report : path);
		break;
	case GOLDEN_NO_FILE:
	case GOLDEN_WRITE_FAILED:
		print_error("golden file: %s\n", report ? report : path);
		break;
	}
	if (r == GOLDEN_DIFFERS || r == GOLDEN_NO_FILE) {
		if (regen)
			print_error("ACLF_REGEN=1 rewrites it from the output (ACLF_REGEN is '%s', "
				    "which only compares)\n", regen);
		else
			print_error("ACLF_REGEN=1 rewrites it from the output\n");
	}
	free(report);
	free(path);
	if (r != GOLDEN_SAME && r != GOLDEN_REGENERATED)
		_fail(src, line);
}
