/* Cisco IOS / IOS-XE: named extended ACLs bound to interfaces. Stateless:
 * return traffic needs its own rules (TCP established, UDP both ways).
 * render: ios_render*.c; plan: ios_plan.c; parse: ios_parse.c and the
 * files it names. */
#include <string.h>

#include "aclforge/driver.h"
#include "ios.h"

static int render_op(const struct aclf_devpol *dp, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	/* 0, or -1 with err set when a rule cannot be said in IOS */
	return ios_render(dp, out, err);
}

/* versioned lists swapped onto the interfaces, the old ones removed */
static int plan_op(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		   const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	return ios_plan(intended, live, dev, out, err);
}

static int parse_op(const char *text, size_t len, const struct aclf_parse_opts *o,
		    struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	/* 0, or -1 with err naming the line where parsing stopped */
	return ios_parse(text, len, o->name, o->label, o->strict, pol, out, err);
}

/* Interface names as IOS prints them: Vlan110, GigabitEthernet1/0/1.100,
 * Port-channel1, Serial0/0/0:0; the type in full (ios_ifname.c). */
static const char *check_name(enum aclf_name_kind kind, const char *s)
{
	if (kind != ACLF_NAME_INTERFACE)
		return NULL;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		goto bad;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("/.:-", *p)))
			goto bad;
	return ios_ifname_check(s);
bad:
	return "an IOS interface name such as Vlan110 or GigabitEthernet1/0/1";
}

static int sniff(const char *text, size_t len)
{
	static const char *const starts[] = { "ip access-list ", "ipv6 access-list ",
					      "Extended IP access list ", "Standard IP access list ",
					      "IPv6 access list ", "access-list ", "object-group ", NULL };
	/* lines of every running-config, access lists or not: IOS text, but
	 * too weak to tell IOS from another vendor's */
	static const char *const weak[] = { "hostname ", "interface ", "line vty ", "line con ",
					    "Building configuration", "Current configuration",
					    "version 1", NULL };
	return aclf_text_has_line(text, len, starts) ? 80 : aclf_text_has_line(text, len, weak) ? 30 : 0;
}

static const struct aclf_driver_ops ops = {
	.render = render_op,
	.parse = parse_op,
	.plan = plan_op,
	.fetch = ios_fetch, /* ios_push.c */
	.load = ios_load,
	.confirm = ios_confirm,
	.rollback = ios_rollback,
	.counters = ios_counters_if,        /* ios_cnt_if.c: interface totals */
	.counters_read = ios_counters_read, /* ios_push.c */
	.counters_cli = ios_counters_cli,   /* ios_cnt.c */
	.script = ios_script,
};

const struct aclf_driver aclf_driver_ios = {
	.name = "ios",
	.summary = "Cisco IOS / IOS-XE extended ACLs and object-groups",
	.file_ext = "ios",
	.reads = "IOS running-config or show access-lists",
	.binding = ACLF_DRV_BIND_INTERFACE,
	.stateful = false,
	.filters = true,
	.balances = false,
	.check_name = check_name,
	.sniff = sniff,
	.counter_walks = ios_if_walks,
	/* nothing on the device returns it by itself: rollback binds the old
	 * lists again (they stay defined until confirm) */
	.safety_net = NULL,
	.ops = &ops,
};
