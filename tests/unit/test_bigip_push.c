/* The BIG-IP push's pieces that need no device (drivers/bigip/
 * bigip_push.c): which lines are tmsh's refusals (the `NNNNNNNN:S:` code
 * form of severity 0 to 3, `Syntax Error:`), never a line that merely holds
 * the word "error"; the refusal quoted from the output; the transaction
 * command built from a plan. tests/integration/apply_bigip.sh runs fetch,
 * load, confirm and rollback against the emulator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/err.h"
#include "aclforge/topology.h"
/* the statics of the push (as test_ssh_local does with the transport) */
#include "bigip/bigip_push.c"

static bool refusal(const char *line)
{
	return tmsh_refusal(line, strlen(line));
}

static void test_refusal_lines(void **state)
{
	static const char *const yes[] = {
		"01020036:3: The requested Pool (/Common/x) was not found.",
		"01070711:3: Caught configuration exception (0), transaction validation failed.",
		"0107003a:3: Pool member node (/Common/a) and existing node (/Common/b) cannot use the same IP Address (10.0.0.1).",
		"01070734:0: Configuration error: x",
		"Syntax Error: \"foo\" unknown property",
	};
	static const char *const no[] = {
		"",
		"error: something",                        /* Junos' grammar, not tmsh's */
		"    description \"an error page pool\"",  /* listing text */
		"01070734:4: a warning",                   /* severity 4: a warning */
		"01071681:5: a notice",
		"0107073:3: seven digits",
		"0107073g:3: not hex",
		"01070734:3 no colon after the severity",
		" 01020036:3: indented",
		"Saving running configuration...",
		"syntax error: lower case",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(refusal(yes[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(refusal(no[i]));
}

static void test_find_refusal(void **state)
{
	struct aclf_buf b = ACLF_BUF_INIT, w = ACLF_BUF_INIT;

	(void)state;
	aclf_buf_init(&b, 0);
	aclf_buf_init(&w, 0);
	aclf_buf_puts(&b, "ltm pool p {\r\n    description \"error\"\r\n}\r\n"
			  "01070734:4: only a warning\r\n"
			  "01020036:3: The requested Pool (/Common/x) was not found.\r\n"
			  "01070711:3: a second one\r\n");
	assert_true(find_refusal(&b, &w));
	assert_string_equal(w.buf, "01020036:3: The requested Pool (/Common/x) was not found.");
	aclf_buf_reset(&b);
	aclf_buf_reset(&w);
	aclf_buf_puts(&b, "ltm pool p {\n    description \"Syntax Error: inside\"\n}\n");
	assert_false(find_refusal(&b, &w));
	assert_int_equal(w.len, 0);
	/* the last line without a line end */
	aclf_buf_puts(&b, "Syntax Error: \"x\" unexpected argument");
	assert_true(find_refusal(&b, &w));
	assert_string_equal(w.buf, "Syntax Error: \"x\" unexpected argument");
	aclf_buf_release(&b);
	aclf_buf_release(&w);
}

static void test_last_words(void **state)
{
	struct aclf_ssh_result r;
	struct aclf_buf w = ACLF_BUF_INIT;

	(void)state;
	aclf_ssh_result_init(&r);
	aclf_buf_init(&w, 0);
	aclf_buf_puts(&r.out, "first\nsecond line  \r\n\n");
	last_words(&r, &w);
	assert_string_equal(w.buf, "second line");
	aclf_buf_reset(&w);
	aclf_buf_puts(&r.err, "-bash: tmsh: command not found\n");
	last_words(&r, &w);
	assert_string_equal(w.buf, "-bash: tmsh: command not found");
	aclf_buf_reset(&w);
	aclf_buf_reset(&r.err);
	aclf_buf_reset(&r.out);
	last_words(&r, &w);
	assert_string_equal(w.buf, "(no output)");
	aclf_buf_release(&w);
	aclf_ssh_result_release(&r);
}

static void test_txn_cmd(void **state)
{
	struct aclf_device dev;
	struct aclf_buf cmd = ACLF_BUF_INIT;
	struct aclf_err e;
	static const char plan[] = "delete ltm virtual /Common/aclf_a_vs\r\n\n"
				   "create ltm virtual aclf_a_vs { description \"x;y\" }  \n";

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.name = "lb1";
	aclf_buf_init(&cmd, 0);
	aclf_err_init(&e);
	assert_int_equal(txn_cmd(&dev, plan, strlen(plan), &cmd, &e), 0);
	assert_string_equal(cmd.buf, "tmsh -q -c 'create cli transaction; delete ltm virtual "
				     "/Common/aclf_a_vs; create ltm virtual aclf_a_vs { description "
				     "\"x;y\" }; submit cli transaction'");
	/* an empty plan is an empty transaction */
	assert_int_equal(txn_cmd(&dev, "", 0, &cmd, &e), 0);
	assert_string_equal(cmd.buf, "tmsh -q -c 'create cli transaction; submit cli transaction'");
	/* a single quote cannot go between single quotes: refused */
	assert_int_equal(txn_cmd(&dev, "create ltm node it's", 20, &cmd, &e), -1);
	assert_int_equal(e.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&e), "lb1: "));
	assert_non_null(strstr(aclf_err_text(&e), "single quote"));
	aclf_err_release(&e);
	aclf_buf_release(&cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusal_lines),
		cmocka_unit_test(test_find_refusal),
		cmocka_unit_test(test_last_words),
		cmocka_unit_test(test_txn_cmd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
