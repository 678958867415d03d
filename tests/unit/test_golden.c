/* The golden-file helper itself (golden.h): where a fixture is looked for,
 * how the first difference is reported, and that only ACLF_REGEN=1 rewrites
 * a file (and then compares nothing), whatever else ACLF_REGEN holds. Works
 * in a temporary directory, never on tests/fixtures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aclf-golden-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* the file's text (caller frees), NULL when it does not exist */
static char *get(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 4096);
	size_t n;

	assert_non_null(s);
	if (!f) {
		free(s);
		return NULL;
	}
	n = fread(s, 1, 4095, f);
	assert_false(ferror(f));
	s[n] = '\0';
	fclose(f);
	return s;
}

static void test_path(void **state)
{
	char *p;

	(void)state;
	setenv("ACLF_FIXTURES", "/fx", 1);
	setenv("ACLF_SRCDIR", "/src", 1);
	p = golden_path("junos", "a.expected");
	assert_string_equal(p, "/fx/junos/a.expected");
	free(p);
	unsetenv("ACLF_FIXTURES");
	p = golden_path("json", "full.json");
	assert_string_equal(p, "/src/tests/fixtures/json/full.json");
	free(p);
	unsetenv("ACLF_SRCDIR");
	p = golden_path("ios", "x");
	assert_string_equal(p, "tests/fixtures/ios/x");
	free(p);
}

static void diff_is(const char *want, const char *got, const char *report)
{
	char *d = golden_first_diff(want, got);

	assert_non_null(d);
	assert_string_equal(d, report);
	free(d);
}

static void test_first_diff(void **state)
{
	(void)state;
	assert_null(golden_first_diff("", ""));
	assert_null(golden_first_diff("a\nb\n", "a\nb\n"));
	/* a changed line: its number, the column, the line before */
	diff_is("one\ntwo\nthree\n", "one\ntwo\nthreE\n",
		"@@ line 3, column 5 (expected 3 lines, got 3) @@\n"
		" two\n"
		"-three\n"
		"+threE\n");
	diff_is("x\n", "y\n",
		"@@ line 1, column 1 (expected 1 lines, got 1) @@\n"
		"-x\n"
		"+y\n");
	/* one side ends first */
	diff_is("a\n", "a\nb\n",
		"@@ line 2 (expected 1 lines, got 2) @@\n"
		" a\n"
		"\\ expected ends here\n"
		"+b\n");
	diff_is("a\nb\nc\n", "a\n",
		"@@ line 2 (expected 3 lines, got 1) @@\n"
		" a\n"
		"-b\n"
		"\\ got ends here\n");
	/* only the final newline differs */
	diff_is("a\nb", "a\nb\n",
		"@@ line 2, column 2 (expected 2 lines, got 2) @@\n"
		" a\n"
		"-b\n"
		"\\ no newline at end of the expected file\n"
		"+b\n");
	diff_is("a\n", "a",
		"@@ line 1, column 2 (expected 1 lines, got 1) @@\n"
		"-a\n"
		"+a\n"
		"\\ no newline at end of the output\n");
}

/* a long line is shown around its first difference, cut */
static void test_first_diff_long_line(void **state)
{
	char want[1001], got[1001], *d;

	(void)state;
	memset(want, 'a', 1000);
	want[1000] = '\0';
	memcpy(got, want, sizeof(got));
	got[700] = 'b';
	d = golden_first_diff(want, got);
	assert_non_null(d);
	assert_non_null(strstr(d, "@@ line 1, column 701 (expected 1 lines, got 1) @@\n-..."));
	assert_non_null(strstr(d, "\n+...aaa"));
	assert_non_null(strstr(d, "ab"));
	assert_true(strlen(d) < 700);
	free(d);
}

/* ACLF_REGEN unset or anything but "1": compare, never write */
static void test_compare_only(void **state)
{
	static const char *const values[] = { NULL, "0", "", "yes", "true", "1 " };
	char path[128], missing[128], *report, *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/f.expected", dir);
	snprintf(missing, sizeof(missing), "%s/none.expected", dir);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (values[i])
			setenv("ACLF_REGEN", values[i], 1);
		else
			unsetenv("ACLF_REGEN");
		assert_false(golden_regen_requested());
		put(path, "same\n");
		assert_int_equal(golden_compare(path, "same\n", &report), GOLDEN_SAME);
		assert_null(report);
		assert_int_equal(golden_compare(path, "other\n", &report), GOLDEN_DIFFERS);
		assert_non_null(report);
		assert_non_null(strstr(report, "-same\n+other\n"));
		free(report);
		s = get(path);
		assert_string_equal(s, "same\n"); /* untouched */
		free(s);
		assert_int_equal(golden_compare(missing, "x\n", &report), GOLDEN_NO_FILE);
		assert_non_null(strstr(report, "cannot read"));
		free(report);
		assert_null(get(missing)); /* not created */
		/* a NUL inside the file is a difference, not a match of its prefix */
		{
			FILE *f = fopen(path, "w");

			assert_non_null(f);
			assert_int_equal(fwrite("same\n\0tail", 1, 10, f), 10);
			assert_int_equal(fclose(f), 0);
		}
		assert_int_equal(golden_compare(path, "same\n", &report), GOLDEN_DIFFERS);
		assert_non_null(strstr(report, "NUL byte at offset 5"));
		free(report);
	}
	unsetenv("ACLF_REGEN");
}

/* ACLF_REGEN=1: write the output, report it, compare nothing */
static void test_regenerate(void **state)
{
	char path[128], nodir[128], *report, *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/r.expected", dir);
	snprintf(nodir, sizeof(nodir), "%s/nosuchdir/r.expected", dir);
	setenv("ACLF_REGEN", "1", 1);
	assert_true(golden_regen_requested());
	put(path, "old\n");
	assert_int_equal(golden_compare(path, "new\n", &report), GOLDEN_REGENERATED);
	assert_non_null(report);
	assert_non_null(strstr(report, "regenerated "));
	assert_null(strstr(report, "unchanged"));
	free(report);
	s = get(path);
	assert_string_equal(s, "new\n");
	free(s);
	/* the same output again: still written and reported, as unchanged */
	assert_int_equal(golden_compare(path, "new\n", &report), GOLDEN_REGENERATED);
	assert_non_null(strstr(report, "(unchanged)"));
	free(report);
	/* a file that did not exist is created */
	unlink(path);
	assert_int_equal(golden_compare(path, "", &report), GOLDEN_REGENERATED);
	free(report);
	s = get(path);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(golden_compare(nodir, "x\n", &report), GOLDEN_WRITE_FAILED);
	assert_non_null(strstr(report, "cannot write"));
	free(report);
	/* and without ACLF_REGEN the written file now compares equal */
	unsetenv("ACLF_REGEN");
	put(path, "new\n");
	assert_int_equal(golden_compare(path, "new\n", &report), GOLDEN_SAME);
	assert_null(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_first_diff),
		cmocka_unit_test(test_first_diff_long_line),
		cmocka_unit_test(test_compare_only),
		cmocka_unit_test(test_regenerate),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
