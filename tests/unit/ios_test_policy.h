/* Hand-built policies for the IOS render and round-trip tests (header-only,
 * included by one test file each). */
#ifndef ACLFORGE_IOS_TEST_POLICY_H
#define ACLFORGE_IOS_TEST_POLICY_H

#include "ios_test_util.h"

static inline struct aclf_rule *ios_rule(struct aclf_policy *pol, struct aclf_filter *f,
					 const char *id, enum aclf_action act, int proto)
{
	struct aclf_rule *r = aclf_filter_add_rule(pol, f);

	assert_non_null(r);
	r->id = id;
	r->action = act;
	r->protocol = proto;
	return r;
}

/* A front-end VLAN of a Lync site, as the compiler would build it. */
static inline struct aclf_devpol *ios_lync_device(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "core1", "ios");
	struct aclf_filter *f;
	struct aclf_rule *r;

	assert_non_null(dp);
	f = aclf_devpol_add_filter(pol, dp, "ACLF-VLAN110-IN");
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "Vlan110";
	f->binding.direction = ACLF_DIR_IN;
	f->default_action = ACLF_DENY;

	r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "10.20.0.0/16", "10.30.0.0/22", "2001:db8:20::/48", NULL);
	r->src_name = "clients+phones";
	r->dst = ios_set(pol, "10.1.1.11/32", "10.1.1.12/32", "10.1.1.13/32", "2001:db8:1::11/128", NULL);
	r->dst_name = "fe-berlin";
	r->dst_ports = ios_ports(pol, 5061, 5061, -1);
	aclf_rule_add_prov(pol, r, "catalog", "server-03");
	aclf_rule_add_prov(pol, r, "seed", "server:3");
	aclf_rule_add_prov(pol, r, "role", "front-end");

	r = ios_rule(pol, f, "r0002", ACLF_PERMIT, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.20.0.0/16", "10.30.0.0/22", NULL);
	r->src_name = "clients+phones";
	r->dst = ios_set(pol, "10.1.1.11/32", "10.1.1.12/32", "10.1.1.13/32", NULL);
	r->dst_name = "fe-berlin";
	r->dst_ports = ios_ports(pol, 3478, 3478, 50000, 59999, -1);
	aclf_rule_add_prov(pol, r, "catalog", "server-21");
	aclf_rule_add_prov(pol, r, "seed", "server:21");
	aclf_rule_add_prov(pol, r, "catalog", "client-04");
	aclf_rule_add_prov(pol, r, "seed", "client:4");

	r = ios_rule(pol, f, "r0003", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "10.1.2.11/32", NULL);
	r->dst = ios_set(pol, "10.1.1.11/32", "10.1.1.12/32", "10.1.1.13/32", NULL);
	r->dst_name = "fe-berlin";
	r->src_ports = ios_ports(pol, 443, 443, 5061, 5062, -1);
	r->established = true;
	aclf_rule_add_prov(pol, r, "return-path", "server-07");
	aclf_rule_add_prov(pol, r, "catalog", "server-07");
	aclf_rule_add_prov(pol, r, "seed", "server:7");

	r = ios_rule(pol, f, "r0004", ACLF_PERMIT, ACLF_PROTO_ICMP);
	r->src = ios_set(pol, "0.0.0.0/0", NULL);
	r->dst = ios_set(pol, "10.1.1.0/24", NULL);
	r->comment = "ping the front-end VLAN";

	r = ios_rule(pol, f, "r0005", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "2001:db8:20::/48", "2001:db8:21::/48", NULL);
	r->dst = ios_set(pol, "2001:db8:1::11/128", NULL);
	r->dst_ports = ios_ports(pol, 443, 443, 4443, 4443, -1);
	aclf_rule_add_prov(pol, r, "topology-rule", "1");

	r = ios_rule(pol, f, "r0006", ACLF_DENY, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "10.20.99.0/24", NULL);
	r->dst = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r->dst_ports = ios_ports(pol, 23, 23, -1);

	r = ios_rule(pol, f, "r0007", ACLF_PERMIT, 47);
	r->src = ios_set(pol, "192.0.2.1/32", NULL);
	r->dst = ios_set(pol, "10.1.1.11/32", NULL);

	r = ios_rule(pol, f, "r0008", ACLF_PERMIT, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.1.2.11/32", NULL);
	r->dst = ios_set(pol, "10.20.0.0/16", NULL);
	r->src_ports = ios_ports(pol, 50000, 50019, 50040, 50059, -1);
	r->dst_ports = ios_ports(pol, 1024, 65535, -1);

	r = ios_rule(pol, f, "r0009", ACLF_PERMIT, ACLF_PROTO_ICMP6);
	r->src = ios_set(pol, "::/0", NULL);
	r->dst = ios_set(pol, "2001:db8:1::/64", NULL);

	f = aclf_devpol_add_filter(pol, dp, "ACLF-VLAN110-OUT");
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "Vlan110";
	f->binding.direction = ACLF_DIR_OUT;
	f->default_action = ACLF_PERMIT;
	r = ios_rule(pol, f, "r0001", ACLF_DENY, ACLF_PROTO_ANY);
	r->src = ios_set(pol, "10.66.0.0/16", "2001:db8:66::/48", NULL);
	r->dst = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	return &pol->devices[pol->ndevices - 1];
}

#endif
