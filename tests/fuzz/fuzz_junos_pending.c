/* libFuzzer target for what Junos apply reads before it loads
 * (junos_pending.c): `show system commit` text. Checks: a pending answer
 * has words that name entry 0 and end in (or hold) `rollback pending`; a
 * not-pending answer leaves the words as they were; whose entry it is
 * (junos_commit_foreign): never someone else's when it holds the mark,
 * always when there is no prompt user to compare with. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "junos/junos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_buf w = ACLF_BUF_INIT;
	int r;

	/* the text as the shell gives it: no NUL inside */
	size = strnlen((const char *)data, size);
	aclf_buf_init(&w, 0);
	aclf_buf_puts(&w, "x");
	r = junos_commit_pending((const char *)data, size, &w);
	if (r < 0)
		abort();
	if (r == 0 && strcmp(w.buf, "x"))
		abort();
	if (r == 1 && (w.buf[1] != '0' || !strstr(w.buf, " / rollback pending")))
		abort();
	/* whose entry it is: the mark decides when present */
	if (r == 1 && (junos_commit_foreign(w.buf + 1, "0", "netops@fw1> ") ||
		       (!strchr(w.buf, '\x01') && !junos_commit_foreign(w.buf + 1, "\x01", ""))))
		abort();
	if (r == 1)
		junos_commit_foreign(w.buf + 1, "aclforge-1-2", (const char *)w.buf + 1);
	aclf_buf_release(&w);
	return 0;
}
