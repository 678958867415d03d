/* The transcript: every byte sent and received on the session's channels,
 * one record per line, written when the line ends, when the direction
 * changes (a prompt, then what we typed) and before each event line. Before
 * a record is written its line is scrubbed: a line matching one of the
 * scrub_lines regexes is written as ********; otherwise each occurrence of
 * the password or of a scrub literal is. A secret is whole inside one
 * record as long as it does not span a line end or a change of direction.
 * A failed write is remembered and fails every later operation: evidence is
 * not silently lost. */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "ssh_int.h"

#define MASK "********"

struct ssh_log {
	int fd;
	char *path;
	struct aclf_buf line;  /* the pending record's bytes */
	char dir;              /* its direction: '>', '<', '!' */
	char **lits;           /* literal secrets, longest first */
	size_t nlits;
	regex_t *res;          /* scrub_lines */
	size_t nres;
	int werr;              /* errno of the first failed write, 0: none */
};

static void put(struct ssh_log *l, const char *p, size_t n)
{
	while (n > 0 && !l->werr) {
		ssize_t w = write(l->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			l->werr = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void escape(struct aclf_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n')
			aclf_buf_puts(b, "\\n");
		else if (ch == '\r')
			aclf_buf_puts(b, "\\r");
		else if (ch == '\t')
			aclf_buf_puts(b, "\\t");
		else if (ch == '\\')
			aclf_buf_puts(b, "\\\\");
		else if (ch < 0x20 || ch > 0x7e)
			aclf_buf_printf(b, "\\x%02x", ch);
		else
			aclf_buf_putc(b, (char)ch);
	}
}

/* s[0..n) with secrets masked, into out. */
static void scrub(const struct ssh_log *l, const char *s, size_t n, struct aclf_buf *out)
{
	size_t body = n;

	while (body > 0 && (s[body - 1] == '\n' || s[body - 1] == '\r'))
		body--;
	for (size_t r = 0; r < l->nres; r++) {
		if (ssh_re_match(&l->res[r], s, body)) {
			aclf_buf_puts(out, MASK);
			aclf_buf_add(out, s + body, n - body);
			return;
		}
	}
	for (size_t i = 0; i < n;) {
		size_t k;

		for (k = 0; k < l->nlits; k++) {
			size_t len = strlen(l->lits[k]);

			if (len <= n - i && memcmp(s + i, l->lits[k], len) == 0)
				break;
		}
		if (k < l->nlits) {
			aclf_buf_puts(out, MASK);
			i += strlen(l->lits[k]);
		} else {
			aclf_buf_putc(out, s[i++]);
		}
	}
}

/* Write the pending record, if any. */
static void emit(struct ssh_log *l)
{
	struct aclf_buf clean, rec;

	if (!l->line.len)
		return;
	aclf_buf_init(&clean, 0);
	aclf_buf_init(&rec, 0);
	scrub(l, l->line.buf, l->line.len, &clean);
	aclf_buf_putc(&rec, l->dir);
	aclf_buf_putc(&rec, ' ');
	escape(&rec, clean.buf, clean.len);
	aclf_buf_putc(&rec, '\n');
	put(l, rec.buf, rec.len);
	if (l->line.alloc)
		explicit_bzero(l->line.buf, l->line.alloc);
	aclf_buf_reset(&l->line);
	aclf_buf_release(&clean);
	aclf_buf_release(&rec);
}

void ssh_log_flush(struct ssh_log *l)
{
	if (l)
		emit(l);
}

void ssh_log_data(struct ssh_log *l, char dir, const void *data, size_t len)
{
	const char *p = data;

	if (!l)
		return;
	if (l->dir != dir)
		emit(l);
	l->dir = dir;
	while (len > 0) {
		const char *nl = memchr(p, '\n', len);
		size_t n = nl ? (size_t)(nl - p) + 1 : len;

		aclf_buf_add(&l->line, p, n);
		if (nl)
			emit(l);
		p += n;
		len -= n;
	}
}

void ssh_log_event(struct ssh_log *l, const char *fmt, ...)
{
	struct aclf_buf msg, clean, rec;
	va_list ap;

	if (!l)
		return;
	emit(l);
	aclf_buf_init(&msg, 0);
	aclf_buf_init(&clean, 0);
	aclf_buf_init(&rec, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	scrub(l, msg.buf, msg.len, &clean);
	aclf_buf_puts(&rec, "# ");
	escape(&rec, clean.buf, clean.len);
	aclf_buf_putc(&rec, '\n');
	put(l, rec.buf, rec.len);
	aclf_buf_release(&msg);
	aclf_buf_release(&clean);
	aclf_buf_release(&rec);
}

int ssh_log_check(struct ssh_log *l, const char *device, const char *command, struct aclf_err *err)
{
	if (!l || !l->werr)
		return 0;
	return aclf_err_remote(err, ACLF_E_INPUT, device, command, "transcript '%s': %s", l->path,
			       strerror(l->werr));
}

static int add_lit(struct ssh_log *l, const char *s)
{
	char **n;
	size_t i;

	if (!s || !*s)
		return 0;
	n = realloc(l->lits, (l->nlits + 1) * sizeof(*n));
	if (!n)
		return -1;
	l->lits = n;
	/* longest first, so that a secret holding another is masked whole */
	for (i = l->nlits; i > 0 && strlen(l->lits[i - 1]) < strlen(s); i--)
		l->lits[i] = l->lits[i - 1];
	l->lits[i] = strdup(s);
	if (!l->lits[i])
		return -1;
	l->nlits++;
	return 0;
}

void ssh_log_close(struct ssh_log *l)
{
	if (!l)
		return;
	if (l->fd >= 0) {
		ssh_log_event(l, "closed");
		close(l->fd);
	}
	for (size_t i = 0; i < l->nlits; i++) {
		explicit_bzero(l->lits[i], strlen(l->lits[i]));
		free(l->lits[i]);
	}
	free(l->lits);
	for (size_t i = 0; i < l->nres; i++)
		regfree(&l->res[i]);
	free(l->res);
	if (l->line.alloc)
		explicit_bzero(l->line.buf, l->line.alloc);
	aclf_buf_release(&l->line);
	free(l->path);
	free(l);
}

int ssh_log_open(struct ssh_log **out, const struct aclf_ssh_opts *o, const char *device,
		 struct aclf_err *err)
{
	struct ssh_log *l;
	struct stat st;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0;

	*out = NULL;
	if (!o->transcript)
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l)
		return aclf_err_nomem(err);
	l->fd = -1;
	aclf_buf_init(&l->line, 0);
	while (o->scrub_lines && o->scrub_lines[n])
		n++;
	l->res = n ? calloc(n, sizeof(*l->res)) : NULL;
	l->path = strdup(o->transcript);
	if ((n && !l->res) || !l->path || add_lit(l, o->password) < 0)
		goto nomem;
	for (size_t i = 0; o->scrub && o->scrub[i]; i++)
		if (add_lit(l, o->scrub[i]) < 0)
			goto nomem;
	for (; l->nres < n; l->nres++)
		if (ssh_re_compile(&l->res[l->nres], o->scrub_lines[l->nres], "scrub_lines entry",
				   device, err) < 0)
			goto fail;
	l->fd = open(o->transcript, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	/* a file of ours holds device output: private, like a new one; a
	 * device or a pipe given on purpose is left as it is */
	if (l->fd < 0 || fstat(l->fd, &st) < 0 ||
	    (S_ISREG(st.st_mode) && (st.st_mode & 077) && fchmod(l->fd, st.st_mode & 0700) < 0)) {
		aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "transcript '%s': %s", o->transcript,
				strerror(errno));
		goto fail;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ssh_log_event(l, "aclforge ssh transcript: device %s, %s port %u, user %s, %s", device,
		      o->host, o->port ? (unsigned)o->port : 22u, o->user ? o->user : "(default)",
		      when);
	*out = l;
	return 0;
nomem:
	aclf_err_nomem(err);
fail:
	if (l->fd >= 0) {
		close(l->fd);
		l->fd = -1;
	}
	ssh_log_close(l);
	return -1;
}
