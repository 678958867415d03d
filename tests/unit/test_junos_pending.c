/* Junos `show system commit`: a commit confirmed waiting for its
 * confirmation is `rollback pending` under entry 0 (the layout of live
 * captures quoted in drivers/junos/README.md, "Apply"); the `commit
 * confirmed, rollback in Nmins` text alone is not pending (it stays on an
 * entry once confirmed); comments, right-aligned numbers, CR LF, the
 * rescue entry; words name entry 0 and stay untouched when not pending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "junos/junos.h"

struct pcase {
	const char *what, *text;
	int want;
	const char *words; /* when pending */
};

static const struct pcase cases[] = {
	{ "pending, no comment",
	  "0   2026-09-20 23:16:51 UTC by admin via cli commit confirmed, rollback in 2mins\n"
	  "    rollback pending\n"
	  "1   2026-09-20 23:10:02 UTC by admin via cli\n",
	  1,
	  "0   2026-09-20 23:16:51 UTC by admin via cli commit confirmed, rollback in 2mins / "
	  "rollback pending" },
	{ "pending, with its comment, CR LF",
	  "0   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 5mins\r\n"
	  "    trial of the new uplink\r\n"
	  "    rollback pending\r\n"
	  "1   2026-12-05 00:00:00 UTC by root via other\r\n",
	  1,
	  "0   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 5mins / "
	  "trial of the new uplink / rollback pending" },
	{ "right-aligned numbers",
	  " 0  2026-12-05 00:00:00 UTC by alice via netconf commit confirmed, rollback in 10mins\n"
	  "     rollback pending\n"
	  "10  2026-12-01 00:00:00 UTC by bob via cli\n",
	  1,
	  "0  2026-12-05 00:00:00 UTC by alice via netconf commit confirmed, rollback in 10mins / "
	  "rollback pending" },
	{ "confirmed: the text stays, nothing pending",
	  "0   2026-09-20 23:16:51 UTC by admin via cli commit confirmed, rollback in 2mins\n"
	  "1   2026-09-20 23:10:02 UTC by admin via cli\n",
	  0, NULL },
	{ "confirmed by a later commit",
	  "0   2024-04-02 03:35:40 UTC by mist via netconf\n"
	  "    oc-script\n"
	  "1   2024-04-02 03:35:34 UTC by mist via netconf commit confirmed, rollback in 10mins\n"
	  "    mist-authkeys\n",
	  0, NULL },
	{ "rolled back by the device",
	  "0   2026-09-20 23:23:49 UTC by root via other\n"
	  "1   2026-09-20 23:21:47 UTC by admin via cli commit confirmed, rollback in 2mins\n"
	  "rescue  2026-09-01 10:00:00 UTC by root via other\n",
	  0, NULL },
	{ "a line saying rollback pending under entry 1 only",
	  "0   2026-12-05 00:00:00 UTC by root via other\n"
	  "1   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 5mins\n"
	  "    rollback pending\n",
	  0, NULL },
	{ "a comment that only contains the words",
	  "0   2026-12-05 00:00:00 UTC by alice via cli\n"
	  "    no rollback pending here\n",
	  0, NULL },
	{ "a single line, no line end", "0   2026-12-05 00:00:00 UTC by alice via cli", 0, NULL },
	{ "empty", "", 0, NULL },
	{ "no entries", "{master:0}\n", 0, NULL },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		struct aclf_buf w = ACLF_BUF_INIT;
		int r;

		aclf_buf_init(&w, 0);
		aclf_buf_puts(&w, "kept");
		r = junos_commit_pending(c->text, strlen(c->text), &w);
		if (r != c->want)
			fail_msg("%s: %d, expected %d (words '%s')", c->what, r, c->want, w.buf);
		if (r == 1 && strcmp(w.buf + 4, c->words))
			fail_msg("%s: words '%s', expected '%s'", c->what, w.buf + 4, c->words);
		if (r == 0 && strcmp(w.buf, "kept"))
			fail_msg("%s: words changed to '%s'", c->what, w.buf);
		aclf_buf_release(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
