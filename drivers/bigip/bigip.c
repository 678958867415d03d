/* The F5 BIG-IP LTM driver table. BIG-IP is a full proxy that tracks its
 * connections (stateful); aclforge uses it only as the Lync hardware load
 * balancer, so it carries lb services and no filters.
 *   render: bigip_render.c (tmsh create commands; names in bigip_names.c)
 *   plan:   bigip_plan.c (delete what aclforge owns, then create)
 *   parse:  bigip_lex.c (tokenizer), bigip_parse.c (objects),
 *           bigip_assemble.c (lb services), bigip_services.c (port names) */
#include <stddef.h>
#include <string.h>

#include "aclforge/driver.h"
#include "bigip/bigip.h"
#include "bigip_int.h"
#include "bigip_snmp.h"

static int render_op(const struct aclf_devpol *dp, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	return bigip_render(dp, out, err);
}

/* delete every owned object live uses, then create the intended ones */
static int plan_op(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		   const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	return bigip_plan(intended, live, out, err);
}

/* Lenient unless asked: references not in the text become provenance notes. */
static int parse_op(const char *text, size_t len, const struct aclf_parse_opts *o,
		    struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	struct bigip_parse_opts bo = { .strict = o->strict };

	return bigip_parse_ex(text, len, o->name, o->label, &bo, pol, out, err);
}

/* VLAN names as tmsh takes them: letters, digits, '.', '_', '-', with an
 * optional /Partition/ path; TLS profiles by bip_check_profile_name(). */
static const char *check_name(enum aclf_name_kind kind, const char *s)
{
	if (kind == ACLF_NAME_TLS_PROFILE)
		return bip_check_profile_name(s);
	if (kind != ACLF_NAME_VLAN)
		return NULL;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("._-/", *p)))
			return "a BIG-IP VLAN name (letters, digits, '.', '_', '-', optional /Partition/)";
	return NULL;
}

static int sniff(const char *text, size_t len)
{
	static const char *const starts[] = { "ltm virtual ", "ltm pool ", "ltm node ", "create ltm ",
					      "ltm monitor ", NULL };
	static const char *const weak[] = { "#TMSH-VERSION", "sys ", "ltm ", "net ", NULL };
	return aclf_text_has_line(text, len, starts) ? 80 : aclf_text_has_line(text, len, weak) ? 30 : 0;
}

static const struct aclf_driver_ops bigip_ops = {
	.render = render_op,
	.parse = parse_op,
	.plan = plan_op,
	.counters = bigip_counters_op,
	.fetch = bigip_fetch,       /* bigip_push.c: tmsh -q -c 'list ltm' */
	.load = bigip_load,         /* one CLI transaction */
	.confirm = bigip_confirm,   /* save sys config */
	.rollback = bigip_rollback, /* the reverse transaction */
};

const struct aclf_driver aclf_driver_bigip = {
	.name = "bigip",
	.summary = "F5 BIG-IP LTM: virtual servers, pools, monitors, persistence (tmsh)",
	.file_ext = "tmsh",
	.reads = "tmsh list ltm output or bigip.conf",
	.binding = ACLF_DRV_BIND_LB,
	.stateful = true,
	.filters = false,
	.balances = true,
	.check_name = check_name,
	.sniff = sniff,
	.counter_walks = bigip_counter_walks,
	.ops = &bigip_ops,
};
