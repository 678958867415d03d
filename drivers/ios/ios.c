/* Cisco IOS / IOS-XE: named extended ACLs bound to interfaces. Stateless:
 * return traffic needs its own rules (TCP established, UDP both ways). */
#include "aclforge/driver.h"
#include "ios.h"

static const struct aclf_driver_ops ops = {
	/* 0, or -1 with err set when a rule cannot be said in IOS */
	.render = ios_render,
	/* 0, or -1 with err naming the line where parsing stopped */
	.parse = ios_parse,
};

const struct aclf_driver aclf_driver_ios = {
	.name = "ios",
	.summary = "Cisco IOS / IOS-XE extended ACLs and object-groups",
	.stateful = false,
	.filters = true,
	.balances = false,
	.ops = &ops,
};
