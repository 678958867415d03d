/* Junos apply's confirm and rollback: whether the pending entry 0 of `show
 * system commit` (as junos_commit_pending gives its words) is someone
 * else's: not when it carries the transaction's mark; when it carries
 * another comment, or names another user than the session's prompt; an
 * entry of our own user without any comment counts as ours (a release
 * that prints no comments). And the mark itself: one per load, on the
 * commit confirmed's comment. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "junos/junos_push.c"

#define E0 "0   2026-12-05 00:00:00 UTC by "

static void foreign(void **state)
{
	static const struct {
		const char *w, *prompt;
		bool want;
	} t[] = {
		{ E0 "netops via cli commit confirmed, rollback in 2mins / aclforge-1-2 / rollback pending",
		  "netops@fw1> ", false },
		{ E0 "alice via cli commit confirmed, rollback in 5mins / foreign trial / rollback pending",
		  "netops@fw1> ", true },
		{ E0 "netops via cli commit confirmed, rollback in 5mins / foreign trial / rollback pending",
		  "netops@fw1> ", true },
		{ E0 "alice via cli commit confirmed, rollback in 5mins / rollback pending", "netops@fw1> ",
		  true },
		{ E0 "netops via cli commit confirmed, rollback in 2mins / rollback pending",
		  "\r\nnetops@fw1> ", false },
		{ E0 "netopsx via cli commit confirmed, rollback in 2mins / rollback pending",
		  "netops@fw1> ", true },
		{ E0 "netops via netconf commit confirmed, rollback in 2mins / rollback pending",
		  "netops@fw1> ", false },
		{ E0 "netops via cli commit confirmed, rollback in 2mins / rollback pending / x",
		  "netops@fw1> ", true },
		/* no prompt user to compare with: someone else's */
		{ E0 "netops via cli commit confirmed, rollback in 2mins / rollback pending", "> ", true },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		if (junos_commit_foreign(t[k].w, "aclforge-1-2", t[k].prompt) != t[k].want)
			fail_msg("case %zu: '%s' with prompt '%s': expected %s", k, t[k].w, t[k].prompt,
				 t[k].want ? "foreign" : "ours");
}

static void marks(void **state)
{
	char a[64], b[64];
	struct aclf_txn txn;
	struct aclf_err err;

	(void)state;
	make_mark(a, sizeof(a));
	make_mark(b, sizeof(b));
	assert_true(!strncmp(a, "aclforge-", 9));
	assert_null(strchr(a, ' '));
	assert_null(strchr(a, '"'));
	assert_string_not_equal(a, b);
	memset(&txn, 0, sizeof(txn));
	aclf_buf_init(&txn.state, 0);
	aclf_err_init(&err);
	assert_string_equal(state_mark(&txn), "");
	assert_int_equal(set_state_mark(&txn, "sent", true, a, &err), 0);
	assert_string_equal(state_mark(&txn), a);
	assert_true(state_is(&txn, "sent"));
	assert_true(state_lock(&txn));
	/* a new word keeps the mark */
	assert_int_equal(set_state(&txn, "lost", true, &err), 0);
	assert_true(state_is(&txn, "lost"));
	assert_true(state_lock(&txn));
	assert_string_equal(state_mark(&txn), a);
	assert_int_equal(set_state(&txn, "confirming", false, &err), 0);
	assert_false(state_lock(&txn));
	assert_string_equal(state_mark(&txn), a);
	aclf_buf_release(&txn.state);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(foreign),
		cmocka_unit_test(marks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
