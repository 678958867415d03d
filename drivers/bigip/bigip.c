/* The F5 BIG-IP LTM driver table. BIG-IP is a full proxy that tracks its
 * connections (stateful); aclforge uses it only as the Lync hardware load
 * balancer, so it carries lb services and no filters.
 *   render: bigip_render.c (tmsh create commands; names in bigip_names.c)
 *   parse:  bigip_lex.c (tokenizer), bigip_parse.c (objects),
 *           bigip_assemble.c (lb services), bigip_services.c (port names) */
#include <stddef.h>

#include "aclforge/driver.h"
#include "bigip/bigip.h"

/* Lenient parse: references not in the text become provenance notes. */
static int bigip_parse(const char *text, size_t len, const char *name, struct aclf_policy *pol,
		       struct aclf_devpol **out, struct aclf_err *err)
{
	return bigip_parse_ex(text, len, name, NULL, pol, out, err);
}

static const struct aclf_driver_ops bigip_ops = {
	.render = bigip_render,
	.parse = bigip_parse,
};

const struct aclf_driver aclf_driver_bigip = {
	.name = "bigip",
	.summary = "F5 BIG-IP LTM: virtual servers, pools, monitors, persistence (tmsh)",
	.stateful = true,
	.filters = false,
	.balances = true,
	.ops = &bigip_ops,
};
