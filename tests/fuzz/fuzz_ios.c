/* libFuzzer target for the IOS parser (show access-lists, running-config).
 * A refused input always says where and leaves the policy untouched; an
 * accepted one is well formed (no empty address set, ports only on tcp/udp,
 * established only on tcp), and when it renders, the rendered text parses
 * again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "drivers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct aclf_devpol *dp)
{
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		volatile size_t sink = strlen(f->name);
		(void)sink;
		for (size_t k = 0; k < f->nrules; k++) {
			const struct aclf_rule *r = &f->rules[k];
			if (!r->src.n || !r->dst.n || r->protocol < 0 || r->protocol > 255)
				abort();
			if ((r->src_ports.n || r->dst_ports.n) && r->protocol != ACLF_PROTO_TCP &&
			    r->protocol != ACLF_PROTO_UDP)
				abort();
			if (r->established && r->protocol != ACLF_PROTO_TCP)
				abort();
			if (r->comment)
				sink = strlen(r->comment);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;

	if (!pol)
		return 0;
	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_ios, (const char *)data, size, &(struct aclf_parse_opts){ .name = "fz" },
			      pol, &dp, &err) < 0) {
		if (err.count == 0 || dp || pol->ndevices != 0)
			abort();
		if (err.kind == ACLF_E_INPUT && err.line == 0)
			abort();
	} else {
		struct aclf_buf out = ACLF_BUF_INIT;
		check(dp);
		aclf_buf_init(&out, 0);
		aclf_err_release(&err);
		if (aclf_driver_render(&aclf_driver_ios, dp, NULL, &out, &err) == 0) {
			struct aclf_policy *again = aclf_policy_new();
			struct aclf_devpol *dp2 = NULL;
			aclf_err_release(&err);
			int rc = aclf_driver_parse(&aclf_driver_ios, out.buf, out.len,
						   &(struct aclf_parse_opts){ .name = "fz2" }, again, &dp2, &err);
			/* no filters render as text with nothing ios reads, which
			 * parse refuses (it cannot tell it from a failed capture) */
			if (rc < 0 && (dp->nfilters || !strstr(aclf_err_text(&err), ", nothing ios reads")))
				abort();
			if (rc == 0)
				check(dp2);
			aclf_policy_free(again);
		}
		aclf_buf_release(&out);
	}
	aclf_err_release(&err);
	aclf_policy_free(pol);
	return 0;
}
