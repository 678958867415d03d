/* libFuzzer target for what the BIG-IP push reads of a device's answers
 * (drivers/bigip/bigip_push.c): the refusal found in stdout and stderr
 * (tmsh's `NNNNNNNN:S:` code form of severity 0-3, `Syntax Error:`) and the
 * last line quoted for a nonzero exit status. A refusal found is one whole
 * line of the input that is a refusal; with none the quote stays empty; the
 * quoted last line never holds a line end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/ssh.h"
/* the statics of the push (as tests/unit/test_bigip_push.c does) */
#include "bigip/bigip_push.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_ssh_result r;
	struct aclf_buf w = ACLF_BUF_INIT;
	size_t half = size / 2;

	aclf_ssh_result_init(&r);
	aclf_buf_init(&w, 0);
	if (aclf_buf_add(&r.out, data, half) < 0 || aclf_buf_add(&r.err, data + half, size - half) < 0)
		goto out;
	if (find_refusal(&r.out, &w)) {
		if (!tmsh_refusal(w.buf, w.len) || memchr(w.buf, '\n', w.len) ||
		    !memmem(r.out.buf, r.out.len, w.buf, w.len))
			abort();
	} else if (w.len) {
		abort();
	}
	aclf_buf_reset(&w);
	last_words(&r, &w);
	if (!w.len || memchr(w.buf, '\n', w.len))
		abort();
out:
	aclf_buf_release(&w);
	aclf_ssh_result_release(&r);
	return 0;
}
