/* libFuzzer target for the BIG-IP parser (tmsh list output, bigip.conf,
 * create commands), lenient and strict. A refused input always says where
 * (a line for input errors) and adds no device; an accepted one holds
 * services whose strings are readable (an opaque one with its reason and
 * text, never in strict mode), and when it renders, the rendered
 * text parses again to services that render to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "drivers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct aclf_devpol *dp, bool strict)
{
	volatile size_t sink = 0;

	for (size_t i = 0; i < dp->nlb; i++) {
		const struct aclf_lb_service *s = &dp->lb[i];
		sink += strlen(s->name);
		if (s->pool_name)
			sink += strlen(s->pool_name);
		if (s->lb_method)
			sink += strlen(s->lb_method);
		if (s->vlan)
			sink += strlen(s->vlan);
		if (s->monitor.type)
			sink += strlen(s->monitor.type);
		if (s->persistence.cookie_name)
			sink += strlen(s->persistence.cookie_name);
		if (s->vip.family != 4 && s->vip.family != 6)
			abort();
		/* an opaque service says why and the device's words; strict
		 * refuses it instead */
		if (!s->opaque != !s->raw || (s->opaque && strict))
			abort();
		if (s->opaque)
			sink += strlen(s->opaque) + strlen(s->raw);
		/* TLS profiles by full path; a server side only with a client side
		 * is not required (a device may list either), but each is a path */
		if (s->tls.client_profile && s->tls.client_profile[0] != '/')
			abort();
		if (s->tls.server_profile && s->tls.server_profile[0] != '/')
			abort();
		for (size_t k = 0; k < s->nmembers; k++) {
			if (s->members[k].name)
				sink += strlen(s->members[k].name);
			if (!aclf_prefix_is_host(&s->members[k].address))
				abort();
		}
		for (size_t k = 0; k < s->nprov; k++)
			sink += strlen(s->prov[k].kind) + strlen(s->prov[k].ref);
	}
	(void)sink;
}

static void one(const char *text, size_t len, bool strict)
{
	struct bigip_parse_opts o = { .strict = strict };
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;

	if (!pol)
		return;
	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_bigip, text, len,
			      &(struct aclf_parse_opts){ .name = "fz", .strict = o.strict }, pol, &dp, &err) < 0) {
		if (err.count == 0 || dp || pol->ndevices != 0)
			abort();
		if (err.kind == ACLF_E_INPUT && err.line == 0)
			abort();
	} else {
		struct aclf_buf out = ACLF_BUF_INIT;
		check(dp, strict);
		aclf_buf_init(&out, 0);
		aclf_err_release(&err);
		if (bigip_render(dp, &out, &err) == 0) {
			struct aclf_policy *again = aclf_policy_new();
			struct aclf_devpol *dp2 = NULL;
			struct aclf_buf out2 = ACLF_BUF_INIT;
			aclf_buf_init(&out2, 0);
			aclf_err_release(&err);
			if (!again || bigip_parse_ex(out.buf, out.len, "fz2", "fz2.txt", &o, again, &dp2, &err) < 0)
				abort();
			check(dp2, strict);
			if (dp2->nlb != dp->nlb || bigip_render(dp2, &out2, &err) < 0 ||
			    strcmp(out.buf, out2.buf) != 0)
				abort();
			if (bigip_render_delete(dp, dp2, true, &out2, &err) < 0)
				abort();
			aclf_buf_release(&out2);
			aclf_policy_free(again);
		}
		aclf_buf_release(&out);
	}
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one((const char *)data, size, false);
	one((const char *)data, size, true);
	return 0;
}
