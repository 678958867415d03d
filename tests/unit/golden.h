/* Golden files: a test's output compared with a committed fixture, for every
 * unit test that has one (one helper, tests/unit/golden.c, linked into each
 * unit test binary).
 *
 *   golden_check("junos", "render_v4.expected", text);
 *
 * compares text with $ACLF_FIXTURES/junos/render_v4.expected and fails the
 * current cmocka test on any difference, printing the first differing line
 * (line number, expected and got, unified-diff style). With ACLF_REGEN set to
 * exactly "1" it writes text to the file instead, prints "regenerated <path>"
 * and passes without comparing anything; any other value of ACLF_REGEN
 * ("0", "yes", empty) compares as if it were unset. */
#ifndef ACLF_TEST_GOLDEN_H
#define ACLF_TEST_GOLDEN_H

#include <stdbool.h>

enum golden_result {
	GOLDEN_SAME = 0,	/* the file holds exactly the text */
	GOLDEN_DIFFERS = 1,	/* it does not; *report says where */
	GOLDEN_REGENERATED = 2, /* ACLF_REGEN=1: the file was (re)written */
	GOLDEN_NO_FILE = -1,	/* the file cannot be read; *report says why */
	GOLDEN_WRITE_FAILED = -2 /* ACLF_REGEN=1 but the file cannot be written */
};

/* The fixture file `file` in directory `subdir` of the fixtures:
 * $ACLF_FIXTURES, else $ACLF_SRCDIR/tests/fixtures, else tests/fixtures.
 * Returns a heap string (the caller frees); fails the test when out of memory. */
char *golden_path(const char *subdir, const char *file);

/* True when ACLF_REGEN is exactly "1". */
bool golden_regen_requested(void);

/* The first difference between want and got, as text:
 *   @@ line 12, column 5 (expected 40 lines, got 41) @@
 *    <the line before, for context>
 *   -<expected line 12>
 *   +<got line 12>
 * with "\ expected ends here" / "\ got ends here" when one side has no such
 * line and "\ no newline at end" when only the final newline differs.
 * Returns NULL when the two are identical, else a heap string. */
char *golden_first_diff(const char *want, const char *got);

/* Compare got with the file at path, or regenerate the file (see above).
 * Never fails the test itself; *report (may be NULL) receives a heap string
 * describing a difference or an error, or NULL. */
enum golden_result golden_compare(const char *path, const char *got, char **report);

/* golden_compare on golden_path(subdir, file), as a cmocka check: passes
 * when the file holds exactly got, or after regenerating it (printing
 * "regenerated <path>"); fails the current test otherwise, at the caller's
 * line. */
#define golden_check(subdir, file, got) golden_check_at(subdir, file, got, __FILE__, __LINE__)
void golden_check_at(const char *subdir, const char *file, const char *got, const char *src,
		     int line);

#endif
