/* Semantic diff (src/diff/diff.c, src/diff/diff_lb.c): hand-written cases for
 * first-match and deny order, established and port semantics, the choice of
 * example packets, device filter pairing and lb services. Randomized checks
 * against a brute-force reference are in test_diff.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

static void pfx(const char *s, struct aclf_prefix *p)
{
	assert_int_equal(aclf_prefix_parse(s, p, false), 0);
}

/* space-separated prefixes; "any" = 0.0.0.0/0 and ::/0 */
static void set_addrs(struct aclf_policy *p, struct aclf_prefix_set *out, const char *spec)
{
	struct aclf_prefix v[8];
	size_t n = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (strcmp(t, "any") == 0) {
			pfx("0.0.0.0/0", &v[n++]);
			pfx("::/0", &v[n++]);
		} else {
			pfx(t, &v[n++]);
		}
	}
	assert_int_equal(aclf_pset_merge(&p->arena, v, n, out), 0);
}

/* "22" or "5060-5061" or NULL (any) */
static void set_ports(struct aclf_policy *p, struct aclf_port_set *out, const char *spec)
{
	struct aclf_port_range r;
	char *end;

	out->n = 0;
	if (!spec)
		return;
	r.lo = (uint16_t)strtoul(spec, &end, 10);
	r.hi = *end == '-' ? (uint16_t)strtoul(end + 1, NULL, 10) : r.lo;
	assert_int_equal(aclf_ports_merge(&p->arena, &r, 1, out), 0);
}

static struct aclf_rule *add_rule(struct aclf_policy *p, struct aclf_filter *f, const char *id,
				  enum aclf_action act, int proto, const char *src, const char *dst,
				  const char *dports, bool est)
{
	struct aclf_rule *r = aclf_filter_add_rule(p, f);

	assert_non_null(r);
	r->id = aclf_arena_strdup(&p->arena, id);
	r->action = act;
	r->protocol = proto;
	r->established = est;
	set_addrs(p, &r->src, src);
	set_addrs(p, &r->dst, dst);
	set_ports(p, &r->dst_ports, dports);
	return r;
}

static struct aclf_filter *new_filter(struct aclf_policy **p, const char *name,
				      enum aclf_action def)
{
	struct aclf_devpol *dev;
	struct aclf_filter *f;

	*p = aclf_policy_new();
	assert_non_null(*p);
	dev = aclf_policy_add_device(*p, "dev", "ios");
	assert_non_null(dev);
	f = aclf_devpol_add_filter(*p, dev, name);
	assert_non_null(f);
	f->default_action = def;
	return f;
}

static size_t diff_count(const struct aclf_filter *a, const struct aclf_filter *b,
			 struct aclf_diff *d)
{
	struct aclf_err err;

	aclf_err_init(&err);
	aclf_diff_init(d);
	assert_int_equal(aclf_diff_filters(a, b, d, 0, &err), 0);
	aclf_err_release(&err);
	return d->n;
}

static void addr_is(const struct aclf_prefix *p, const char *want)
{
	char b[ACLF_PREFIX_STRLEN];

	aclf_prefix_format_addr(p, b, sizeof(b));
	assert_string_equal(b, want);
}

static void test_first_match_deny(void **state)
{
	struct aclf_policy *pa, *pb, *pc;
	struct aclf_filter *a = new_filter(&pa, "A", ACLF_DENY);
	struct aclf_filter *b = new_filter(&pb, "B", ACLF_DENY);
	struct aclf_filter *c = new_filter(&pc, "C", ACLF_DENY);
	struct aclf_prefix s5, s6, d;
	struct aclf_diff df;

	(void)state;
	add_rule(pa, a, "r1", ACLF_DENY, ACLF_PROTO_TCP, "10.1.1.5", "any", "22", false);
	add_rule(pa, a, "r2", ACLF_PERMIT, ACLF_PROTO_TCP, "10.1.1.0/24", "any", "22", false);
	add_rule(pb, b, "b1", ACLF_PERMIT, ACLF_PROTO_TCP, "10.1.1.0/24", "any", "22", false);
	/* the same two rules in the other order */
	add_rule(pc, c, "c2", ACLF_PERMIT, ACLF_PROTO_TCP, "10.1.1.0/24", "any", "22", false);
	add_rule(pc, c, "c1", ACLF_DENY, ACLF_PROTO_TCP, "10.1.1.5", "any", "22", false);

	pfx("10.1.1.5", &s5);
	pfx("10.1.1.6", &s6);
	pfx("10.9.9.9", &d);
	assert_int_equal(aclf_filter_decide(a, &s5, &d, ACLF_PROTO_TCP, 40000, 22, false), 0);
	assert_int_equal(aclf_filter_decide(a, &s6, &d, ACLF_PROTO_TCP, 40000, 22, false), 1);
	assert_int_equal(aclf_filter_decide(a, &s6, &d, ACLF_PROTO_UDP, 40000, 22, false), -1);
	assert_int_equal(aclf_filter_decide(a, &s6, &d, ACLF_PROTO_TCP, 40000, 23, false), -1);
	assert_int_equal(aclf_filter_decide(c, &s5, &d, ACLF_PROTO_TCP, 40000, 22, false), 0);

	assert_int_equal(diff_count(a, b, &df), 1);
	addr_is(&df.items[0].src, "10.1.1.5");
	assert_int_equal(df.items[0].protocol, ACLF_PROTO_TCP);
	assert_int_equal(df.items[0].dst_port, 22);
	assert_false(df.items[0].permitted_by_a);
	assert_string_equal(df.items[0].rule_a, "r1");
	assert_string_equal(df.items[0].rule_b, "b1");
	assert_string_equal(df.items[0].filter_a, "A");
	assert_string_equal(df.items[0].filter_b, "B");
	aclf_diff_release(&df);

	/* the deny after the broader permit is dead: C is B */
	assert_int_equal(diff_count(a, c, &df), 1);
	assert_string_equal(df.items[0].rule_a, "r1");
	assert_string_equal(df.items[0].rule_b, "c2");
	aclf_diff_release(&df);
	assert_int_equal(diff_count(b, c, &df), 0);
	aclf_diff_release(&df);
	assert_int_equal(diff_count(a, a, &df), 0);
	aclf_diff_release(&df);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
	aclf_policy_free(pc);
}

static void test_established(void **state)
{
	struct aclf_policy *pa, *pb, *pc, *pd, *pe;
	struct aclf_filter *a = new_filter(&pa, "A", ACLF_DENY);
	struct aclf_filter *b = new_filter(&pb, "B", ACLF_DENY);
	struct aclf_filter *c = new_filter(&pc, "C", ACLF_DENY);
	struct aclf_filter *dd = new_filter(&pd, "D", ACLF_DENY);
	struct aclf_filter *e = new_filter(&pe, "E", ACLF_DENY);
	struct aclf_prefix h1, h2;
	struct aclf_diff df;

	(void)state;
	add_rule(pa, a, "a1", ACLF_PERMIT, ACLF_PROTO_TCP, "any", "any", NULL, true);
	add_rule(pb, b, "b1", ACLF_PERMIT, ACLF_PROTO_TCP, "any", "any", NULL, false);
	add_rule(pc, c, "c1", ACLF_PERMIT, ACLF_PROTO_ANY, "any", "any", NULL, true);
	add_rule(pd, dd, "d1", ACLF_PERMIT, ACLF_PROTO_UDP, "any", "any", NULL, true);

	pfx("10.0.0.1", &h1);
	pfx("10.0.0.2", &h2);
	assert_int_equal(aclf_filter_decide(a, &h1, &h2, ACLF_PROTO_TCP, 443, 50000, true), 0);
	assert_int_equal(aclf_filter_decide(a, &h1, &h2, ACLF_PROTO_TCP, 50000, 443, false), -1);
	assert_int_equal(aclf_filter_decide(b, &h1, &h2, ACLF_PROTO_TCP, 50000, 443, true), 0);
	assert_int_equal(aclf_filter_decide(c, &h1, &h2, ACLF_PROTO_UDP, 53, 50000, true), -1);
	assert_int_equal(aclf_filter_decide(c, &h1, &h2, ACLF_PROTO_TCP, 53, 50000, true), 0);
	assert_int_equal(aclf_filter_decide(dd, &h1, &h2, ACLF_PROTO_UDP, 53, 50000, true), -1);

	/* B also permits new connections: one region per family */
	assert_int_equal(diff_count(a, b, &df), 2);
	for (size_t i = 0; i < 2; i++) {
		assert_false(df.items[i].established);
		assert_int_equal(df.items[i].protocol, ACLF_PROTO_TCP);
		assert_false(df.items[i].permitted_by_a);
		assert_null(df.items[i].rule_a);
		assert_string_equal(df.items[i].rule_b, "b1");
	}
	assert_int_equal(df.items[0].src.family, 4);
	assert_int_equal(df.items[1].src.family, 6);
	aclf_diff_release(&df);
	/* "any established" is "tcp established"; "udp established" is nothing */
	assert_int_equal(diff_count(a, c, &df), 0);
	aclf_diff_release(&df);
	assert_int_equal(diff_count(dd, e, &df), 0);
	aclf_diff_release(&df);
	assert_int_equal(diff_count(c, e, &df), 2);
	assert_true(df.items[0].established);
	assert_true(df.items[0].permitted_by_a);
	/* return traffic: to a client's ephemeral port */
	assert_int_equal(df.items[0].dst_port, 49152);
	assert_int_equal(df.items[0].protocol, ACLF_PROTO_TCP);
	aclf_diff_release(&df);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
	aclf_policy_free(pc);
	aclf_policy_free(pd);
	aclf_policy_free(pe);
}

static void test_port_semantics(void **state)
{
	struct aclf_policy *pa, *pb, *pc, *pd, *pe;
	struct aclf_filter *a = new_filter(&pa, "A", ACLF_DENY);
	struct aclf_filter *b = new_filter(&pb, "B", ACLF_DENY);
	struct aclf_filter *c = new_filter(&pc, "C", ACLF_DENY);
	struct aclf_filter *dd = new_filter(&pd, "D", ACLF_DENY);
	struct aclf_filter *e = new_filter(&pe, "E", ACLF_DENY);
	struct aclf_prefix h1, h2;
	struct aclf_diff df;
	struct aclf_err err;

	(void)state;
	/* any protocol with a port: tcp and udp only */
	add_rule(pa, a, "a1", ACLF_PERMIT, ACLF_PROTO_ANY, "any", "10.0.0.53", "53", false);
	add_rule(pb, b, "b1", ACLF_PERMIT, ACLF_PROTO_UDP, "any", "10.0.0.53", "53", false);
	add_rule(pb, b, "b2", ACLF_PERMIT, ACLF_PROTO_TCP, "any", "10.0.0.53", "53", false);
	/* icmp with a port matches nothing */
	add_rule(pc, c, "c1", ACLF_PERMIT, ACLF_PROTO_ICMP, "any", "any", "5", false);
	/* a rule from IPv4 to IPv6 matches nothing */
	add_rule(pd, dd, "d1", ACLF_PERMIT, ACLF_PROTO_ANY, "10.0.0.0/8", "2001:db8::/32", NULL,
		 false);

	pfx("10.0.0.1", &h1);
	pfx("10.0.0.53", &h2);
	assert_int_equal(aclf_filter_decide(a, &h1, &h2, ACLF_PROTO_ICMP, 0, 53, false), -1);
	assert_int_equal(aclf_filter_decide(a, &h1, &h2, ACLF_PROTO_UDP, 1, 53, false), 0);
	assert_int_equal(aclf_filter_decide(a, &h1, &h2, 300, 1, 53, false), -1);
	assert_int_equal(diff_count(a, b, &df), 0);
	aclf_diff_release(&df);
	assert_int_equal(diff_count(c, e, &df), 0);
	aclf_diff_release(&df);
	assert_int_equal(diff_count(dd, e, &df), 0);
	aclf_diff_release(&df);

	/* permit everything vs permit tcp + udp: the other protocols, icmp first */
	e->default_action = ACLF_PERMIT;
	b->rules[0].dst_ports.n = 0;
	b->rules[1].dst_ports.n = 0;
	set_addrs(pb, &b->rules[0].dst, "any");
	set_addrs(pb, &b->rules[1].dst, "any");
	assert_int_equal(diff_count(e, b, &df), 2);
	assert_int_equal(df.items[0].protocol, ACLF_PROTO_ICMP);
	assert_int_equal(df.items[1].protocol, ACLF_PROTO_ICMP6);
	assert_int_equal(df.items[0].src_port, 0);
	assert_int_equal(df.items[0].dst_port, 0);
	assert_true(df.items[0].permitted_by_a);
	aclf_diff_release(&df);

	/* a protocol number out of range is an input error, nothing is added */
	add_rule(pc, c, "c2", ACLF_PERMIT, 300, "any", "any", NULL, false);
	aclf_err_init(&err);
	aclf_diff_init(&df);
	assert_int_equal(aclf_diff_filters(c, e, &df, 0, &err), -1);
	assert_int_equal(df.n, 0);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&err), "c2"));
	aclf_diff_release(&df);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
	aclf_policy_free(pc);
	aclf_policy_free(pd);
	aclf_policy_free(pe);
}

static void test_natural_example(void **state)
{
	struct aclf_policy *pa, *pb;
	struct aclf_filter *a = new_filter(&pa, "A", ACLF_DENY);
	struct aclf_filter *b = new_filter(&pb, "B", ACLF_DENY);
	struct aclf_diff df;

	(void)state;
	add_rule(pa, a, "a1", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16", "10.1.1.11", "5061",
		 false);
	assert_int_equal(diff_count(a, b, &df), 1);
	addr_is(&df.items[0].src, "10.20.0.1");
	addr_is(&df.items[0].dst, "10.1.1.11");
	assert_int_equal(df.items[0].dst_port, 5061);
	assert_int_equal(df.items[0].src_port, 49152);
	assert_false(df.items[0].established);
	aclf_diff_release(&df);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
}

static struct aclf_filter *dev_filter(struct aclf_policy *p, struct aclf_devpol *dev,
				      const char *name, enum aclf_binding_kind kind,
				      const char *where, enum aclf_direction dir)
{
	struct aclf_filter *f = aclf_devpol_add_filter(p, dev, name);

	assert_non_null(f);
	f->binding.kind = kind;
	f->binding.name = where ? aclf_arena_strdup(&p->arena, where) : NULL;
	f->binding.direction = dir;
	return f;
}

static struct aclf_lb_service *lb(struct aclf_policy *p, struct aclf_devpol *dev,
				  const char *name, const char *vip, int proto, uint16_t port)
{
	struct aclf_lb_service *s = aclf_devpol_add_lb(p, dev, name);

	assert_non_null(s);
	pfx(vip, &s->vip);
	s->protocol = proto;
	s->port = port;
	return s;
}

static void member(struct aclf_policy *p, struct aclf_lb_service *s, const char *addr,
		   uint16_t port)
{
	struct aclf_prefix a;

	pfx(addr, &a);
	assert_int_equal(aclf_lb_add_member(p, s, NULL, &a, port), 0);
}

static void test_devices(void **state)
{
	struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
	struct aclf_devpol *da, *db;
	struct aclf_filter *f;
	struct aclf_lb_service *s;
	struct aclf_diff df;
	struct aclf_buf rep = ACLF_BUF_INIT;
	struct aclf_err err;
	size_t cnt = 99;

	(void)state;
	assert_non_null(pa);
	assert_non_null(pb);
	da = aclf_policy_add_device(pa, "core1", "ios");
	db = aclf_policy_add_device(pb, "core1", "ios");
	/* bound on both sides under different names: compared by binding */
	f = dev_filter(pa, da, "acl-in", ACLF_BIND_INTERFACE, "Vlan110", ACLF_DIR_IN);
	add_rule(pa, f, "a1", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16", "10.1.1.11", "443", false);
	f = dev_filter(pb, db, "ACL-IN-V2", ACLF_BIND_INTERFACE, "Vlan110", ACLF_DIR_IN);
	add_rule(pb, f, "1", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/17", "10.1.1.11", "443", false);
	add_rule(pb, f, "2", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.128.0/17", "10.1.1.11", "443",
		 false);
	/* only on a: b has no filter there, so b lets everything through */
	f = dev_filter(pa, da, "acl-out", ACLF_BIND_INTERFACE, "Vlan110", ACLF_DIR_OUT);
	add_rule(pa, f, "o1", ACLF_PERMIT, ACLF_PROTO_TCP, "10.1.1.0/24", "any", NULL, true);
	/* unbound on a, bound on b, same name: compared by name */
	f = dev_filter(pa, da, "host-in", ACLF_BIND_NONE, NULL, ACLF_DIR_NONE);
	add_rule(pa, f, "h1", ACLF_PERMIT, ACLF_PROTO_ANY, "any", "any", NULL, false);
	f = dev_filter(pb, db, "host-in", ACLF_BIND_CHAIN, "input", ACLF_DIR_IN);
	add_rule(pb, f, "x", ACLF_PERMIT, ACLF_PROTO_ANY, "any", "any", NULL, false);
	/* bound to a different place on each side, same name: not paired */
	f = dev_filter(pa, da, "edge", ACLF_BIND_INTERFACE, "Vlan200", ACLF_DIR_IN);
	f->default_action = ACLF_PERMIT;
	f = dev_filter(pb, db, "edge", ACLF_BIND_INTERFACE, "Vlan201", ACLF_DIR_IN);
	f->default_action = ACLF_PERMIT;

	s = lb(pa, da, "fe-443", "10.1.1.10", ACLF_PROTO_TCP, 443);
	member(pa, s, "10.1.1.11", 4443);
	member(pa, s, "10.1.1.12", 4443);
	s->monitor.type = "https";
	s->monitor.interval = 5;
	s->lb_method = "least-connections-member";
	s = lb(pa, da, "fe-5061", "10.1.1.10", ACLF_PROTO_TCP, 5061);
	member(pa, s, "10.1.1.11", 5061);
	s = lb(pa, da, "turn", "10.1.1.20", ACLF_PROTO_UDP, 3478);

	s = lb(pb, db, "web_vs", "10.1.1.10", ACLF_PROTO_TCP, 443);
	member(pb, s, "10.1.1.12", 4443);
	member(pb, s, "10.1.1.11", 4443);
	member(pb, s, "10.1.1.11", 4443);
	s->monitor.type = "https";
	s->monitor.interval = 5;
	s->lb_method = "least-connections-member";
	s = lb(pb, db, "sip_vs", "10.1.1.10", ACLF_PROTO_TCP, 5061);
	member(pb, s, "10.1.1.13", 5061);
	s->monitor.type = "tcp";
	s->snat = ACLF_SNAT_AUTOMAP;
	s = lb(pb, db, "http_vs", "10.1.1.10", ACLF_PROTO_TCP, 80);

	aclf_err_init(&err);
	aclf_diff_init(&df);
	aclf_buf_init(&rep, 0);
	assert_int_equal(aclf_diff_devices(da, db, &df, &rep, 0, &err), 0);
	/* acl-out vs nothing: v4 tcp new from 10.1.1.0/24 and everything else */
	for (size_t i = 0; i < df.n; i++) {
		const struct aclf_diff_item *it = &df.items[i];

		assert_non_null(it->filter_a);
		assert_string_equal(it->filter_a, "acl-out");
		assert_null(it->filter_b);
		assert_null(it->rule_b);
		assert_false(it->permitted_by_a);
		assert_int_equal(aclf_filter_decide(&da->filters[1], &it->src, &it->dst, it->protocol,
						    it->src_port, it->dst_port, it->established),
				 -1);
	}
	assert_int_equal(df.n, 2); /* default deny, per family */
	/* members (set), monitor, snat on 5061; only on a 3478; only on b 80 */
	assert_int_equal(df.nlb, 5);
	assert_non_null(strstr(rep.buf, "lb 10.1.1.10:5061/tcp \"fe-5061\": members differ: only on a "
					"10.1.1.11:5061; only on b 10.1.1.13:5061\n"));
	assert_non_null(strstr(rep.buf, "\"fe-5061\": monitor differs: a none; b tcp"));
	assert_non_null(strstr(rep.buf, "\"fe-5061\": snat differs: a none; b automap\n"));
	assert_non_null(strstr(rep.buf, "lb 10.1.1.20:3478/udp \"turn\": only on a\n"));
	assert_non_null(strstr(rep.buf, "lb 10.1.1.10:80/tcp \"http_vs\": only on b\n"));
	assert_null(strstr(rep.buf, ":443/"));

	assert_int_equal(aclf_diff_lb(da, db, NULL, &cnt, &err), 0);
	assert_int_equal(cnt, 5);
	assert_int_equal(aclf_diff_lb(da, da, NULL, &cnt, &err), 0);
	assert_int_equal(cnt, 0);

	/* a limit caps the items */
	aclf_diff_release(&df);
	aclf_diff_init(&df);
	assert_int_equal(aclf_diff_devices(da, db, &df, NULL, 1, &err), 0);
	assert_int_equal(df.n, 1);
	/* the other way round: items carry the names on their own side */
	aclf_diff_release(&df);
	aclf_diff_init(&df);
	assert_int_equal(aclf_diff_devices(db, da, &df, NULL, 0, &err), 0);
	assert_int_equal(df.n, 2);
	assert_null(df.items[0].filter_a);
	assert_string_equal(df.items[0].filter_b, "acl-out");
	assert_true(df.items[0].permitted_by_a);

	aclf_diff_release(&df);
	aclf_buf_release(&rep);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_match_deny),
		cmocka_unit_test(test_established),
		cmocka_unit_test(test_port_semantics),
		cmocka_unit_test(test_natural_example),
		cmocka_unit_test(test_devices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
