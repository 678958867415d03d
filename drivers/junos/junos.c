/* Juniper Junos driver: filters of family inet and inet6 in set form.
 * render: junos_render.c; plan: junos_plan.c; parse: junos_parse.c (set or
 * curly configuration, optionally followed by `show firewall` output). See
 * README.md here. */
#include <string.h>

#include "aclforge/driver.h"
#include "junos.h"
#include "junos_snmp.h"

static int render_op(const struct aclf_devpol *dp, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	return junos_render(dp, out, err);
}

/* deletions of what live has and intended lacks, then the render text */
static int plan_op(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		   const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	return junos_plan(intended, live, dev, out, err);
}

static int parse_op(const char *text, size_t len, const struct aclf_parse_opts *o,
		    struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	return junos_parse_text(text, len, o->name, o->label, o->strict, JUNOS_FMT_AUTO, pol, out, o->notes,
				err);
}

/* Logical interfaces as Junos names them: ge-0/0/1.0, xe-1/0/0:2.100,
 * ae0.110, irb.110, reth1.0; a unit-less name means unit 0. */
static const char *check_name(enum aclf_name_kind kind, const char *s)
{
	char ifd[128], unit[16];

	if (kind != ACLF_NAME_INTERFACE)
		return NULL;
	if (!(s[0] >= 'a' && s[0] <= 'z') || junos_split_ifname(s, ifd, sizeof(ifd), unit, sizeof(unit)) < 0)
		goto bad;
	for (const char *p = ifd; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-/:", *p)))
			goto bad;
	return NULL;
bad:
	return "a Junos interface name such as ge-0/0/1.0 or irb.110";
}

static int sniff(const char *text, size_t len)
{
	static const char *const starts[] = { "set firewall ", "firewall {", "Filter: ",
					      "set interfaces ", "interfaces {", NULL };
	static const char *const weak[] = { "set system ", "system {", "set version ", "version ",
					    "## Last c", NULL };
	return aclf_text_has_line(text, len, starts) ? 80 : aclf_text_has_line(text, len, weak) ? 30 : 0;
}

static const struct aclf_driver_ops junos_ops = {
	.render = render_op,
	.parse = parse_op,
	.plan = plan_op,
	.counters = junos_counters_op,
	.fetch = junos_fetch,
	.load = junos_load,
	.confirm = junos_confirm,
	.rollback = junos_rollback,
};

const struct aclf_driver aclf_driver_junos = {
	.name = "junos",
	.summary = "Juniper Junos firewall filters (family inet/inet6, set commands)",
	.file_ext = "junos",
	.reads = "Junos set or curly configuration, optionally followed by show firewall",
	.binding = ACLF_DRV_BIND_INTERFACE,
	.stateful = false,
	.filters = true,
	.balances = false,
	.check_name = check_name,
	.sniff = sniff,
	.counter_walks = junos_counter_walks,
	.safety_net = "commit confirmed's automatic rollback",
	.ops = &junos_ops,
};
