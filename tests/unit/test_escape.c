/* Text for people never carries a control character it did not write
 * itself: the escaping helper (src/base/buf.c) and the printers that quote
 * outside strings (errors, policy text, diff report, compile warnings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"

/* The only control character text output may hold is the newline that
 * ends each of its lines; there are exactly `lines` of them. */
static void assert_clean(const char *s, size_t lines)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			n++;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control character 0x%02x in: %s", *p, s);
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("C1 control in: %s", s);
	}
	if (n != lines)
		fail_msg("%zu lines, expected %zu: %s", n, lines, s);
}

static void expect(const char *in, bool quoted, const char *want)
{
	struct aclf_buf b;

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_puts_escaped(&b, in, quoted), 0);
	assert_string_equal(b.buf, want);
	aclf_buf_release(&b);
}

static void test_helper(void **state)
{
	(void)state;
	expect("plain text, 5061/tcp", false, "plain text, 5061/tcp");
	expect("a\nb\r\tc", false, "a\\nb\\r\\tc");
	expect("\x1b[31mred\x1b[0m", false, "\\x1b[31mred\\x1b[0m");
	expect("del\x7f", false, "del\\x7f");
	/* UTF-8 text stays; C1 controls (CSI U+009B) and stray bytes do not */
	expect("Vermittlungsdienst \xc3\xa4\xe2\x82\xac", false, "Vermittlungsdienst \xc3\xa4\xe2\x82\xac");
	expect("x\xc2\x9b" "31m", false, "x\\u009b31m");
	expect("x\x9b" "y\xff", false, "x\\x9by\\xff");
	expect("say \"hi\" \\ bye", false, "say \"hi\" \\ bye");
	expect("say \"hi\" \\ bye", true, "say \\\"hi\\\" \\\\ bye");
}

static void test_printf(void **state)
{
	struct aclf_buf b;

	(void)state;
	aclf_buf_init(&b, 0);
	/* one line: its own final newline stays, the arguments' are escaped */
	assert_int_equal(aclf_buf_printf_escaped(&b, "site rule %d: %s\n", 3, "why\nforged line"), 0);
	assert_string_equal(b.buf, "site rule 3: why\\nforged line\n");
	assert_clean(b.buf, 1);
	assert_int_equal(aclf_buf_printf_escaped(&b, "%s", "tail\n"), 0);
	assert_string_equal(b.buf, "site rule 3: why\\nforged line\ntail\n");
	aclf_buf_release(&b);
}

static void test_errors(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_err_set(&err, ACLF_E_INPUT, "cannot read '%s': %s", "a\nb.cfg", "No such file");
	aclf_err_at(&err, "x\r.cfg", 3, 7, "expected %s, got '%s'", "a port", "\x1b]0;title\x07");
	assert_string_equal(aclf_err_text(&err), "cannot read 'a\\nb.cfg': No such file\n"
						 "x\\r.cfg:3:7: expected a port, got '\\x1b]0;title\\x07'");
	assert_clean(aclf_err_text(&err), 1);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
