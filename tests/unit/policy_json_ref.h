/* The reference policy of the policy JSON tests (test_policy_json.c,
 * test_policy_json_read.c): build_policy() makes devices[0] an IOS device,
 * devices[1] an nftables host, devices[2] a BIG-IP with its lb services;
 * to_json / to_text / from_json_ok fail the test on any error. Include
 * after <cmocka.h>. */
#ifndef ACLF_TEST_POLICY_JSON_REF_H
#define ACLF_TEST_POLICY_JSON_REF_H

#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"


/* ---- building the reference policy ---- */

static inline void set_pset(struct aclf_policy *p, struct aclf_prefix_set *out,
			    const char *const *list)
{
	struct aclf_prefix v[16];
	size_t n = 0;

	for (; list[n]; n++)
		assert_int_equal(aclf_prefix_parse(list[n], &v[n], false), 0);
	assert_int_equal(aclf_pset_merge(&p->arena, v, n, out), 0);
}

static inline void set_ports(struct aclf_policy *p, struct aclf_port_set *out,
			     const struct aclf_port_range *v, size_t n)
{
	assert_int_equal(aclf_ports_merge(&p->arena, v, n, out), 0);
}

static inline struct aclf_prefix host(const char *s)
{
	struct aclf_prefix h;

	assert_int_equal(aclf_prefix_parse(s, &h, false), 0);
	return h;
}

static const char *const ANY[] = { "0.0.0.0/0", "::/0", NULL };
static const char *const CLIENTS[] = { "10.20.0.0/16", "2001:db8:20::/48", NULL };
static const char *const FE[] = { "10.1.1.11/32", "10.1.1.12/32", "10.1.1.13/32", NULL };

static inline void build_ios(struct aclf_policy *p)
{
	static const struct aclf_port_range sip[] = { { 5061, 5061 } };
	static const struct aclf_port_range media[] = { { 50000, 59999 }, { 3478, 3478 } };
	struct aclf_devpol *d = aclf_policy_add_device(p, "core1", "ios");
	struct aclf_filter *f;
	struct aclf_rule *r;

	assert_non_null(d);
	f = aclf_devpol_add_filter(p, d, "LYNC-FE-IN");
	assert_non_null(f);
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = aclf_arena_strdup(&p->arena, "Vlan110");
	f->binding.direction = ACLF_DIR_IN;
	f->default_action = ACLF_DENY;

	r = aclf_filter_add_rule(p, f);
	r->id = "r0001";
	r->device_name = "10";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, CLIENTS);
	r->src_name = "clients";
	set_pset(p, &r->dst, FE);
	r->dst_name = "fe-berlin";
	set_ports(p, &r->dst_ports, sip, 1);
	r->hits = 42;
	assert_int_equal(aclf_rule_add_prov(p, r, "catalog", "server-03"), 0);
	assert_int_equal(aclf_rule_add_prov(p, r, "seed", "server:3"), 0);
	assert_int_equal(aclf_rule_add_prov(p, r, "pool", "fe-berlin"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0002";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, FE);
	set_pset(p, &r->dst, CLIENTS);
	set_ports(p, &r->src_ports, sip, 1);
	r->established = true;
	r->hits = 0;
	r->comment = "return traffic";
	assert_int_equal(aclf_rule_add_prov(p, r, "return-path", "r0001"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0003";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_UDP;
	set_pset(p, &r->src, (const char *const[]){ "2001:db8:20::/48", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "2001:db8:1::11", NULL });
	set_ports(p, &r->dst_ports, media, 2);
	assert_int_equal(aclf_rule_add_prov(p, r, "topology-rule", "0"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0004";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_ICMP;
	set_pset(p, &r->src, ANY);
	set_pset(p, &r->dst, (const char *const[]){ "10.1.1.0/24", NULL });

	r = aclf_filter_add_rule(p, f);
	r->id = "r0005";
	r->action = ACLF_PERMIT;
	r->protocol = 47;
	set_pset(p, &r->src, (const char *const[]){ "192.0.2.1", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "0.0.0.0/0", NULL });

	r = aclf_filter_add_rule(p, f);
	r->id = "r0006";
	r->action = ACLF_DENY;
	r->protocol = ACLF_PROTO_ANY;
	set_pset(p, &r->src, ANY);
	set_pset(p, &r->dst, ANY);
	r->comment = "say \"no\"\nto the rest";
	assert_int_equal(aclf_rule_add_prov(p, r, "device", "deny ip any any"), 0);

	f = aclf_devpol_add_filter(p, d, "EMPTY");
	assert_non_null(f);
	f->default_action = ACLF_PERMIT;
}

static inline void build_nft(struct aclf_policy *p)
{
	static const struct aclf_port_range web[] = { { 443, 443 }, { 80, 80 } };
	struct aclf_devpol *d = aclf_policy_add_device(p, "fe01-host", "nftables");
	struct aclf_filter *f = aclf_devpol_add_filter(p, d, "input");
	struct aclf_rule *r;

	f->binding.kind = ACLF_BIND_CHAIN;
	f->binding.name = "input";
	f->default_action = ACLF_DENY;
	r = aclf_filter_add_rule(p, f);
	r->id = "r0001";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_ICMP6;
	set_pset(p, &r->src, (const char *const[]){ "::/0", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "2001:db8:1::11", NULL });
	r = aclf_filter_add_rule(p, f);
	r->id = "r0002";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, (const char *const[]){ "10.20.0.0/17", "10.20.128.0/17",
						     "10.30.0.0/22", NULL });
	r->src_name = "clients+phones";
	set_pset(p, &r->dst, (const char *const[]){ "10.1.1.11", NULL });
	set_ports(p, &r->dst_ports, web, 2);
}

static inline void build_lb(struct aclf_policy *p)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, "lb1", "bigip");
	struct aclf_lb_service *s;
	struct aclf_prefix a;

	s = aclf_devpol_add_lb(p, d, "aclf_fe-berlin_5061");
	s->pool_name = "aclf_fe-berlin_5061_pool";
	s->vip = host("10.1.1.10");
	s->protocol = ACLF_PROTO_TCP;
	s->port = 5061;
	a = host("10.1.1.11");
	assert_int_equal(aclf_lb_add_member(p, s, "fe01", &a, 5061), 0);
	a = host("10.1.1.12");
	assert_int_equal(aclf_lb_add_member(p, s, "fe02", &a, 5061), 0);
	a = host("10.1.1.13");
	assert_int_equal(aclf_lb_add_member(p, s, NULL, &a, 5061), 0);
	s->monitor.type = "tcp";
	s->monitor.port = 5061;
	s->monitor.interval = 5;
	s->monitor.timeout = 16;
	s->persistence.kind = ACLF_PERSIST_SOURCE_ADDR;
	s->persistence.mask_len = 32;
	s->persistence.timeout = 1800;
	s->snat = ACLF_SNAT_AUTOMAP;
	s->idle_timeout = 1800;
	s->lb_method = "least-connections-member";
	s->vlan = "internal";
	assert_int_equal(aclf_lb_add_prov(p, s, "catalog", "hlb-01"), 0);
	assert_int_equal(aclf_lb_add_prov(p, s, "seed", "hlb:1"), 0);
	assert_int_equal(aclf_lb_add_prov(p, s, "pool", "fe-berlin"), 0);

	s = aclf_devpol_add_lb(p, d, "aclf_web_443");
	s->pool_name = "aclf_web_443_pool";
	s->vip = host("2001:db8:1::10");
	s->protocol = ACLF_PROTO_TCP;
	s->port = 443;
	a = host("2001:db8:1::21");
	assert_int_equal(aclf_lb_add_member(p, s, "web01", &a, 4443), 0);
	s->monitor.type = "https";
	s->persistence.kind = ACLF_PERSIST_COOKIE;
	s->persistence.cookie_name = "MS-WSMAN";
	s->request.enabled = true;
	s->request.reuse_mask_len = 128;
	s->tls.client_profile = "/Common/web-clientssl";
	s->tls.server_profile = "/Common/serverssl";
	s->disabled = true;

	s = aclf_devpol_add_lb(p, d, "bare");
	s->vip = host("10.1.1.30");
	s->protocol = ACLF_PROTO_UDP;
	s->port = 53;
}

static inline struct aclf_policy *build_policy(void)
{
	struct aclf_policy *p = aclf_policy_new();

	assert_non_null(p);
	build_ios(p);
	build_nft(p);
	build_lb(p);
	return p;
}

/* ---- helpers ---- */

static inline char *to_json(const struct aclf_policy *p)
{
	struct aclf_buf b;
	struct aclf_err err;
	char *s;

	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	if (aclf_policy_to_json(p, &b, &err) < 0)
		fail_msg("to_json: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	s = aclf_buf_detach(&b, NULL);
	assert_non_null(s);
	return s;
}

static inline char *to_text(const struct aclf_policy *p)
{
	struct aclf_buf b;
	char *s;

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_policy_to_text(p, &b), 0);
	s = aclf_buf_detach(&b, NULL);
	assert_non_null(s);
	return s;
}

static inline struct aclf_policy *from_json_ok(const char *text)
{
	struct aclf_err err;
	struct aclf_policy *p;

	aclf_err_init(&err);
	p = aclf_policy_from_json(text, strlen(text), "t.json", &err);
	if (!p)
		fail_msg("from_json: %s", aclf_err_text(&err));
	assert_int_equal(err.count, 0);
	aclf_err_release(&err);
	return p;
}

#endif
