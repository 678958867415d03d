/* libFuzzer target for the policy JSON reader. Whatever it accepts must
 * write back as JSON and text, and the written JSON must read back and write
 * again byte for byte (write(read(write(read(x)))) == write(read(x))). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_err err;
	struct aclf_policy *p, *q = NULL;
	struct aclf_buf a, b, t;

	aclf_err_init(&err);
	aclf_buf_init(&a, 0);
	aclf_buf_init(&b, 0);
	aclf_buf_init(&t, 0);
	p = aclf_policy_from_json((const char *)data, size, "fuzz.json", &err);
	if (!p) {
		/* a rejected input always says why */
		if (err.count == 0 || err.msg.len == 0)
			abort();
		goto out;
	}
	if (err.count != 0)
		abort();
	if (aclf_policy_to_json(p, &a, &err) < 0 || aclf_policy_to_text(p, &t) < 0)
		abort();
	q = aclf_policy_from_json(a.buf, a.len, "fuzz-out.json", &err);
	if (!q)
		abort();
	if (aclf_policy_to_json(q, &b, &err) < 0)
		abort();
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0)
		abort();
out:
	aclf_policy_free(p);
	aclf_policy_free(q);
	aclf_buf_release(&a);
	aclf_buf_release(&b);
	aclf_buf_release(&t);
	aclf_err_release(&err);
	return 0;
}
