/* Per-rule audit verdicts (src/fleet/fleet_verdict.c over
 * src/diff/diff_rules.c) on small hand-made policies: in place, missing,
 * cannot judge (an opaque live entry), extra live entries, a rule shadowed
 * live by a broader permit (in place, its counter reads zero, why says
 * so), a rule the intended policy itself shadows, a filter the device
 * lacks, and the join with counters (used / no hits / in place without a
 * counter); lb services by the lb differences, joined with their virtual
 * server statistics, in the text and JSON reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "aclforge/audit.h"
#include "aclforge/counters.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/buf.h"
#include "aclforge/fleet.h"
#include "fleet/fleet_int.h"

/* One rule: "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061" (ports 0 0:
 * any); name: its id; dev: its device name (NULL: none). */
static struct aclf_rule *rule(struct aclf_policy *p, struct aclf_filter *f, const char *id,
			      const char *dev, const char *spec)
{
	char act[16], proto[16], src[64], dst[64];
	unsigned lo = 0, hi = 0;
	struct aclf_prefix ps, pd;
	struct aclf_port_range pr;
	struct aclf_rule *r;

	assert_true(sscanf(spec, "%15s %15s %63s %63s %u %u", act, proto, src, dst, &lo, &hi) >= 4);
	r = aclf_filter_add_rule(p, f);
	assert_non_null(r);
	r->id = id;
	r->device_name = dev;
	r->hits = -1;
	r->action = !strcmp(act, "permit") ? ACLF_PERMIT : ACLF_DENY;
	r->protocol = aclf_proto_parse(proto);
	assert_int_equal(aclf_prefix_parse(src, &ps, false), 0);
	assert_int_equal(aclf_prefix_parse(dst, &pd, false), 0);
	assert_int_equal(aclf_pset_merge(&p->arena, &ps, 1, &r->src), 0);
	assert_int_equal(aclf_pset_merge(&p->arena, &pd, 1, &r->dst), 0);
	if (lo) {
		pr.lo = (uint16_t)lo;
		pr.hi = (uint16_t)hi;
		assert_int_equal(aclf_ports_merge(&p->arena, &pr, 1, &r->dst_ports), 0);
	}
	return r;
}

static struct aclf_filter *filter(struct aclf_policy *p, struct aclf_devpol *d, const char *name)
{
	struct aclf_filter *f = aclf_devpol_add_filter(p, d, name);

	assert_non_null(f);
	f->default_action = ACLF_DENY;
	return f;
}

struct fx {
	struct aclf_policy *ip, *lp;
	struct aclf_devpol *in, *live;
	struct aclf_filter *fi, *fl;
	struct aclf_audit_dev a;
};

static void fx_init(struct fx *x)
{
	x->ip = aclf_policy_new();
	x->lp = aclf_policy_new();
	assert_non_null(x->ip);
	assert_non_null(x->lp);
	x->in = aclf_policy_add_device(x->ip, "rtr1", "ios");
	x->live = aclf_policy_add_device(x->lp, "rtr1", "ios");
	x->fi = filter(x->ip, x->in, "LYNC");
	x->fl = filter(x->lp, x->live, "LYNC");
	aclf_audit_dev_init(&x->a);
}

/* The intended filter every case starts from. */
static void intended(struct fx *x)
{
	rule(x->ip, x->fi, "r0001", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x->ip, x->fi, "r0002", NULL, "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x->ip, x->fi, "r0003", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x->ip, x->fi, "r0004", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
}

static void run(struct fx *x)
{
	struct aclf_err err;

	aclf_err_init(&err);
	assert_int_equal(aclf_audit_verdicts(x->in, x->live, false, &x->a, &err), 0);
	aclf_err_release(&err);
}

static void fx_free(struct fx *x)
{
	aclf_audit_dev_release(&x->a);
	aclf_policy_free(x->ip);
	aclf_policy_free(x->lp);
}

static const struct aclf_rule_verdict *find(const struct fx *x, const char *id)
{
	for (size_t i = 0; i < x->a.nrules; i++)
		if (!strcmp(x->a.rules[i].rule, id))
			return &x->a.rules[i];
	fail_msg("no verdict for %s", id);
	return NULL;
}

static bool has(const char *s, const char *sub)
{
	if (!s || !strstr(s, sub)) {
		print_message("'%s' lacks '%s'\n", s ? s : "(null)", sub);
		return false;
	}
	return true;
}

static void all_in_place(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x);
	intended(&x);
	/* split and reordered where the order does not matter: same meaning */
	rule(x.lp, x.fl, "e0001", "10", "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "e0002", "20", "permit tcp 10.0.0.0/25 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0003", "30", "permit tcp 10.0.0.128/25 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0004", "40", "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0005", "50", "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	/* an explicit final deny repeats the default: not extra */
	rule(x.lp, x.fl, "e0006", "60", "deny any 0.0.0.0/0 0.0.0.0/0");
	run(&x);
	assert_int_equal(x.a.nrules, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(x.a.rules[i].verdict, ACLF_V_IN_PLACE);
		assert_string_equal(x.a.rules[i].filter, "LYNC");
		assert_false(x.a.rules[i].counted);
	}
	assert_string_equal(x.a.rules[0].rule, "r0001");
	assert_int_equal(x.a.nextra, 0);
	fx_free(&x);
}

static void missing_and_extra(void **state)
{
	struct fx x;
	const struct aclf_rule_verdict *v;

	(void)state;
	fx_init(&x);
	intended(&x);
	/* r0001 gone; r0002 only for half its sources; r0003's deny lost
	 * (r0004's permit takes its packets); an extra permit for SSH */
	rule(x.lp, x.fl, "e0001", NULL, "permit udp 10.0.0.0/25 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "e0002", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0003", NULL, "permit tcp 0.0.0.0/0 10.1.0.1/32 22 22");
	run(&x);
	v = find(&x, "r0001");
	assert_int_equal(v->verdict, ACLF_V_MISSING);
	assert_true(has(v->why, "tcp 10.0.0."));
	assert_true(has(v->why, ":5061: intended permits by r0001, live denies by its default action"));
	v = find(&x, "r0002");
	assert_int_equal(v->verdict, ACLF_V_MISSING);
	assert_true(has(v->why, "udp 10.0.0.1"));
	v = find(&x, "r0003");
	assert_int_equal(v->verdict, ACLF_V_MISSING);
	assert_true(has(v->why, "tcp 10.0.0.66:"));
	assert_true(has(v->why, "intended denies by r0003, live permits by e0002"));
	assert_int_equal(find(&x, "r0004")->verdict, ACLF_V_IN_PLACE);
	/* extra: e0003 (SSH nobody intended) and e0002 (permits r0003's
	 * denied packets); e0001 decides nothing otherwise */
	assert_int_equal(x.a.nextra, 2);
	assert_string_equal(x.a.extra[0].entry, "e0002");
	assert_true(has(x.a.extra[0].why, "live permits by e0002, intended denies by r0003"));
	assert_string_equal(x.a.extra[1].entry, "e0003");
	assert_string_equal(x.a.extra[1].filter, "LYNC");
	assert_true(has(x.a.extra[1].text, "permit tcp 0.0.0.0/0 -> 10.1.0.1/32 port 22"));
	assert_true(has(x.a.extra[1].why, ":22: live permits by e0003, intended denies by its "
				"default action"));
	assert_int_equal(x.a.extra[1].line, -1);
	assert_false(x.a.extra[1].counted);
	fx_free(&x);
}

/* A live deny before the rule: missing, and the deny is extra, with its
 * line and hit count from the device's text. */
static void deny_in_front(void **state)
{
	struct fx x;
	struct aclf_rule *e;

	(void)state;
	fx_init(&x);
	intended(&x);
	e = rule(x.lp, x.fl, "e0001", NULL, "deny tcp 10.0.0.7/32 10.1.0.1/32 5061 5061");
	e->raw = "deny tcp host 10.0.0.7 host 10.1.0.1 eq 5061 (12 matches)";
	e->hits = 12;
	assert_int_equal(aclf_rule_add_prov(x.lp, e, "device", "line 364"), 0);
	rule(x.lp, x.fl, "e0002", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0003", NULL, "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "e0004", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0005", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	run(&x);
	assert_int_equal(find(&x, "r0001")->verdict, ACLF_V_MISSING);
	assert_true(has(find(&x, "r0001")->why, "tcp 10.0.0.7:"));
	assert_true(has(find(&x, "r0001")->why, "live denies by e0001"));
	assert_int_equal(find(&x, "r0002")->verdict, ACLF_V_IN_PLACE);
	assert_int_equal(x.a.nextra, 1);
	assert_string_equal(x.a.extra[0].entry, "e0001");
	assert_int_equal(x.a.extra[0].line, 364);
	assert_string_equal(x.a.extra[0].text, e->raw);
	assert_true(x.a.extra[0].counted);
	assert_int_equal(x.a.extra[0].packets, 12);
	fx_free(&x);
}

/* An explicit "deny ip any any" at the end is the default written out:
 * the rule it takes traffic from is missing and names it; it is not
 * extra. A catch-all permit is. */
static void catch_all(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x);
	intended(&x);
	rule(x.lp, x.fl, "e0001", NULL, "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "e0002", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0003", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0004", NULL, "deny any 0.0.0.0/0 0.0.0.0/0");
	run(&x);
	assert_int_equal(find(&x, "r0001")->verdict, ACLF_V_MISSING);
	assert_true(has(find(&x, "r0001")->why, "live denies by e0004"));
	assert_int_equal(x.a.nextra, 0);
	fx_free(&x);

	fx_init(&x);
	intended(&x);
	rule(x.lp, x.fl, "e0001", NULL, "permit any 0.0.0.0/0 0.0.0.0/0");
	run(&x);
	assert_int_equal(find(&x, "r0003")->verdict, ACLF_V_MISSING);
	assert_int_equal(x.a.nextra, 1);
	assert_string_equal(x.a.extra[0].entry, "e0001");
	fx_free(&x);
}

/* A broader live permit before the rule's own entry: in place by meaning,
 * but its own counter cannot count; counters then say no hits. */
static void shadowed_live(void **state)
{
	struct fx x;
	struct aclf_counters c;
	struct aclf_rule_cnt *rc;
	const struct aclf_rule_verdict *v;

	(void)state;
	fx_init(&x);
	rule(x.ip, x.fi, "r0001", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.ip, x.fi, "r0002", NULL, "permit tcp 10.0.0.0/16 10.1.0.1/32 5061 5061");
	rule(x.ip, x.fi, "r0003", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	/* the live filter names its entries after the rules (Junos terms) */
	rule(x.lp, x.fl, "e0001", "r0002", "permit tcp 10.0.0.0/16 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0002", "r0001", "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0003", "r0003", "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	run(&x);
	v = find(&x, "r0001");
	assert_int_equal(v->verdict, ACLF_V_IN_PLACE);
	assert_true(has(v->why, "in place by meaning, but live entry e0001 decides all of its "
			"traffic before its own entry e0002 (shadowed): its counter reads zero"));
	v = find(&x, "r0002");
	assert_int_equal(v->verdict, ACLF_V_IN_PLACE);
	assert_null(v->why);
	assert_null(find(&x, "r0003")->why);
	assert_int_equal(x.a.nextra, 0);

	/* counters: r0001 zero (shadowed), r0002 counted, r0003 none */
	aclf_counters_init(&c);
	rc = aclf_counters_add_rule(&c, "LYNC", &x.fi->rules[0]);
	assert_non_null(rc);
	rc->found = true;
	assert_int_equal(aclf_rule_cnt_add(&c, rc, "LYNC", "r0001", 0, 0, true), 0);
	rc = aclf_counters_add_rule(&c, "LYNC", &x.fi->rules[1]);
	assert_non_null(rc);
	rc->found = true;
	rc->source = ACLF_CNT_CLI;
	assert_int_equal(aclf_rule_cnt_add(&c, rc, "LYNC", "r0002", 7, 0, false), 0);
	rc->packets = 7;
	rc = aclf_counters_add_rule(&c, "LYNC", &x.fi->rules[2]);
	assert_non_null(rc);
	assert_int_equal(aclf_audit_join_counters(&x.a, &c, "2026-12-05T04:00:00Z"), 0);
	assert_string_equal(x.a.polled_at, "2026-12-05T04:00:00Z");
	assert_string_equal(x.a.source, "snmp+cli");
	assert_null(x.a.absent);
	v = find(&x, "r0001");
	assert_int_equal(v->verdict, ACLF_V_NO_HITS);
	assert_true(v->counted);
	assert_true(v->has_bytes);
	assert_int_equal(v->packets, 0);
	v = find(&x, "r0002");
	assert_int_equal(v->verdict, ACLF_V_USED);
	assert_int_equal(v->packets, 7);
	assert_false(v->has_bytes);
	/* no counter on the device for it: in place, not counted */
	v = find(&x, "r0003");
	assert_int_equal(v->verdict, ACLF_V_IN_PLACE);
	assert_false(v->counted);
	assert_string_equal(v->why, "the device has no counter for it");
	assert_int_equal(x.a.nlb, 0);
	aclf_counters_release(&c);
	fx_free(&x);
}

/* An lb service: "NAME VIP PROTO PORT MEMBER:PORT" */
static struct aclf_lb_service *lb(struct aclf_policy *p, struct aclf_devpol *d, const char *spec)
{
	char name[32], vip[32], proto[8], mem[32];
	unsigned port, mport;
	struct aclf_prefix a;
	struct aclf_lb_service *s;

	assert_int_equal(sscanf(spec, "%31s %31s %7s %u %31[^:]:%u", name, vip, proto, &port, mem,
				&mport), 6);
	s = aclf_devpol_add_lb(p, d, name);
	assert_non_null(s);
	s->name = aclf_arena_strdup(&p->arena, name);
	assert_int_equal(aclf_prefix_parse(vip, &s->vip, false), 0);
	s->protocol = aclf_proto_parse(proto);
	s->port = (uint16_t)port;
	assert_int_equal(aclf_prefix_parse(mem, &a, false), 0);
	assert_int_equal(aclf_lb_add_member(p, s, NULL, &a, (uint16_t)mport), 0);
	return s;
}

static const struct aclf_lb_usage *find_lb(const struct fx *x, const char *name, bool extra)
{
	for (size_t i = 0; i < x->a.nlb; i++)
		if (!strcmp(x->a.lb[i].service, name) && x->a.lb[i].extra == extra)
			return &x->a.lb[i];
	fail_msg("no lb verdict for %s", name);
	return NULL;
}

/* lb services: in place, a member changed and a service gone (missing,
 * why says what), an opaque one (cannot judge), one nothing intends
 * (extra, after the intended ones); the counters join by name: used, no
 * hits, no statistics; a missing one keeps its verdict and gets its
 * numbers. The text and JSON reports say the same. */
static void lb_verdicts(void **state)
{
	struct fx x;
	struct aclf_counters c;
	struct aclf_lb_cnt *lc;
	struct aclf_lb_service *s;
	const struct aclf_lb_usage *u;
	struct aclf_fleet fl;
	struct aclf_fleet_dev dev;
	struct aclf_buf out = ACLF_BUF_INIT;
	json_t *j;

	(void)state;
	fx_init(&x);
	intended(&x);
	rule(x.lp, x.fl, "r0001", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "r0002", NULL, "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "r0003", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "r0004", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	lb(x.ip, x.in, "fe-80 10.1.0.10 tcp 80 10.1.0.11:80");
	lb(x.ip, x.in, "fe-443 10.1.0.10 tcp 443 10.1.0.11:443");
	lb(x.ip, x.in, "fe-5061 10.1.0.10 tcp 5061 10.1.0.11:5061");
	lb(x.ip, x.in, "fe-444 10.1.0.10 tcp 444 10.1.0.11:444");
	lb(x.ip, x.in, "dir-5061 10.1.0.20 tcp 5061 10.1.0.21:5061");
	lb(x.ip, x.in, "edge-3478 10.1.0.30 udp 3478 10.1.0.31:3478");
	lb(x.lp, x.live, "vs_80 10.1.0.10 tcp 80 10.1.0.11:80");
	lb(x.lp, x.live, "vs_443 10.1.0.10 tcp 443 10.1.0.12:443");
	lb(x.lp, x.live, "vs_5061 10.1.0.10 tcp 5061 10.1.0.11:5061");
	lb(x.lp, x.live, "vs_444 10.1.0.10 tcp 444 10.1.0.11:444");
	s = lb(x.lp, x.live, "vs_3478 10.1.0.30 udp 3478 10.1.0.31:3478");
	s->opaque = "a source address restriction";
	s->raw = "source 10.9.0.0/16";
	lb(x.lp, x.live, "old_8080 10.1.0.10 tcp 8080 10.1.0.11:8080");
	run(&x);
	assert_int_equal(x.a.nlb, 7);
	for (size_t i = 0; i < 6; i++)
		assert_ptr_equal(x.a.lb[i].s, &x.in->lb[i]);
	u = find_lb(&x, "fe-80", false);
	assert_int_equal(u->verdict, ACLF_V_IN_PLACE);
	assert_null(u->why);
	u = find_lb(&x, "fe-443", false);
	assert_int_equal(u->verdict, ACLF_V_MISSING);
	assert_true(has(u->why, "members: only intended 10.1.0.11:443; only live 10.1.0.12:443"));
	u = find_lb(&x, "dir-5061", false);
	assert_int_equal(u->verdict, ACLF_V_MISSING);
	assert_true(has(u->why, "the device has no such service"));
	u = find_lb(&x, "edge-3478", false);
	assert_int_equal(u->verdict, ACLF_V_CANNOT_JUDGE);
	assert_true(has(u->why, "opaque (a source address restriction): source 10.9.0.0/16"));
	u = &x.a.lb[6];
	assert_true(u->extra);
	assert_string_equal(u->service, "old_8080");
	assert_null(u->s);
	assert_true(has(u->why, "nothing intends"));

	aclf_counters_init(&c);
	lc = aclf_counters_add_lb(&c, &x.in->lb[0]);
	assert_non_null(lc);
	lc->object = "/Common/fe-80_vs";
	lc->found = true;
	lc->packets_in = 12;
	lc->bytes_in = 3400;
	lc->connections_total = 5;
	lc = aclf_counters_add_lb(&c, &x.in->lb[1]);
	assert_non_null(lc);
	lc->object = "/Common/fe-443_vs";
	lc->found = true;
	lc->packets_in = 7;
	lc->connections_total = 2;
	lc = aclf_counters_add_lb(&c, &x.in->lb[2]);
	assert_non_null(lc);
	lc->object = "/Common/fe-5061_vs";
	lc->found = true;
	assert_non_null(aclf_counters_add_lb(&c, &x.in->lb[3])); /* no statistics */
	assert_int_equal(aclf_audit_join_counters(&x.a, &c, "2026-12-05T04:00:00Z"), 0);
	aclf_counters_release(&c); /* the audit keeps its own copies */
	assert_string_equal(x.a.source, "snmp");
	u = find_lb(&x, "fe-80", false);
	assert_int_equal(u->verdict, ACLF_V_USED);
	assert_string_equal(u->object, "/Common/fe-80_vs");
	assert_true(u->counted);
	assert_int_equal(u->packets_in, 12);
	assert_int_equal(u->bytes_in, 3400);
	assert_int_equal(u->connections_total, 5);
	u = find_lb(&x, "fe-443", false);
	assert_int_equal(u->verdict, ACLF_V_MISSING);
	assert_true(u->counted);
	assert_int_equal(u->packets_in, 7);
	u = find_lb(&x, "fe-5061", false);
	assert_int_equal(u->verdict, ACLF_V_NO_HITS);
	assert_true(u->counted && u->packets_in == 0);
	u = find_lb(&x, "fe-444", false);
	assert_int_equal(u->verdict, ACLF_V_IN_PLACE);
	assert_false(u->counted);
	assert_true(has(u->why, "no statistics"));
	assert_int_equal(find_lb(&x, "edge-3478", false)->verdict, ACLF_V_CANNOT_JUDGE);

	/* the reports: text lines to act on (every one with verbose) and
	 * counts, JSON entries, the same verdicts and numbers */
	memset(&fl, 0, sizeof(fl));
	memset(&dev, 0, sizeof(dev));
	dev.audit = &x.a;
	dev.outcome = ACLF_OUT_CHANGES;
	aclf_buf_init(&out, 0);
	assert_int_equal(fleet_audit_text(&fl, &dev, &out), 0);
	assert_true(has(out.buf, "\n  lb fe-443: missing (7 packets, 2 connections): members: "));
	assert_true(has(out.buf, "\n  lb dir-5061: missing: the device has no such service\n"));
	assert_true(has(out.buf, "\n  lb fe-5061: in place, no hits (0 packets, 0 connections)\n"));
	assert_true(has(out.buf, "\n  lb edge-3478: cannot judge: the device's service is opaque"));
	assert_true(has(out.buf, "\n  lb old_8080: extra: a service on the device nothing intends\n"));
	assert_null(strstr(out.buf, "lb fe-80:"));
	assert_true(has(out.buf, "\n  6 lb services: 1 in place, 1 in place, used, 1 in place, no "
			"hits, 2 missing, 1 cannot judge; 1 extra service\n"));
	aclf_buf_reset(&out);
	fl.verbose = true;
	assert_int_equal(fleet_audit_text(&fl, &dev, &out), 0);
	assert_true(has(out.buf, "\n  lb fe-80: in place, used (12 packets, 5 connections)\n"));
	assert_true(has(out.buf, "\n  lb fe-444: in place: the device has no statistics for it\n"));
	j = json_object();
	assert_int_equal(fleet_audit_json(&dev, j), 0);
	{
		json_t *arr = json_object_get(j, "lb_services"), *e;
		static const char *const want[][3] = {
			{ "fe-80", "in place, used", "12" },   { "fe-443", "missing", "7" },
			{ "fe-5061", "in place, no hits", "0" }, { "fe-444", "in place", NULL },
			{ "dir-5061", "missing", NULL },        { "edge-3478", "cannot judge", NULL },
			{ "old_8080", "extra", NULL },
		};

		assert_int_equal(json_array_size(arr), 7);
		for (size_t i = 0; i < 7; i++) {
			char line[160];

			e = json_array_get(arr, i);
			assert_string_equal(json_string_value(json_object_get(e, "service")), want[i][0]);
			assert_string_equal(json_string_value(json_object_get(e, "verdict")), want[i][1]);
			if (want[i][2])
				assert_int_equal(json_integer_value(json_object_get(e, "packets")),
						 strtoll(want[i][2], NULL, 10));
			else
				assert_true(json_is_null(json_object_get(e, "packets")));
			/* the text's line for it */
			snprintf(line, sizeof(line), "\n  lb %s: %s", want[i][0], want[i][1]);
			assert_true(has(out.buf, line));
		}
		assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "object")),
				    "/Common/fe-80_vs");
		assert_true(json_is_null(json_object_get(json_array_get(arr, 4), "object")));
	}
	json_decref(j);
	aclf_buf_release(&out);
	fx_free(&x);
}

/* Partly shadowed: the own entry still decides the rest. */
static void partly_shadowed(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x);
	rule(x.ip, x.fi, "r0001", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0001", "10", "permit tcp 10.0.0.0/25 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0002", "r0001", "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	run(&x);
	assert_int_equal(x.a.rules[0].verdict, ACLF_V_IN_PLACE);
	assert_true(has(x.a.rules[0].why, "live entry e0001 also decides part of its traffic the "
			"same way: its own entry e0002 counts only the rest"));
	fx_free(&x);
}

/* An opaque live entry may decide part of a rule otherwise. */
static void opaque_entry(void **state)
{
	struct fx x;
	struct aclf_rule *e;
	const struct aclf_rule_verdict *v;

	(void)state;
	fx_init(&x);
	intended(&x);
	e = rule(x.lp, x.fl, "e0001", NULL, "deny tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	e->opaque = "time-range";
	e->raw = "deny tcp 10.0.0.0 0.0.0.255 host 10.1.0.1 eq 5061 time-range WORK";
	rule(x.lp, x.fl, "e0002", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0003", NULL, "permit udp 10.0.0.0/24 10.1.0.1/32 3478 3478");
	rule(x.lp, x.fl, "e0004", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.lp, x.fl, "e0005", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	run(&x);
	v = find(&x, "r0001");
	assert_int_equal(v->verdict, ACLF_V_CANNOT_JUDGE);
	assert_true(has(v->why, "intended permits by r0001, live depends on opaque entry e0001 "
			"(time-range): deny tcp 10.0.0.0 0.0.0.255"));
	assert_int_equal(find(&x, "r0002")->verdict, ACLF_V_IN_PLACE);
	assert_int_equal(find(&x, "r0004")->verdict, ACLF_V_IN_PLACE);
	/* an opaque entry is never surely extra */
	assert_int_equal(x.a.nextra, 0);
	fx_free(&x);

	/* an opaque permit where the intended denies: cannot judge the deny,
	 * nor the permit (the live default denies what it does not match) */
	fx_init(&x);
	rule(x.ip, x.fi, "r0001", NULL, "deny tcp 10.0.0.66/32 10.1.0.1/32 443 443");
	rule(x.ip, x.fi, "r0002", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	e = rule(x.lp, x.fl, "e0001", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 443 443");
	e->opaque = "dscp";
	run(&x);
	assert_int_equal(find(&x, "r0001")->verdict, ACLF_V_CANNOT_JUDGE);
	assert_true(has(find(&x, "r0001")->why, "intended denies by r0001, live depends on opaque "
			"entry e0001 (dscp)"));
	assert_int_equal(find(&x, "r0002")->verdict, ACLF_V_CANNOT_JUDGE);
	fx_free(&x);
}

/* A rule the intended policy itself shadows decides nothing. */
static void shadowed_intended(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x);
	rule(x.ip, x.fi, "r0001", NULL, "permit tcp 10.0.0.0/16 10.1.0.1/32 5061 5061");
	rule(x.ip, x.fi, "r0002", NULL, "permit tcp 10.0.0.0/24 10.1.0.1/32 5061 5061");
	rule(x.lp, x.fl, "e0001", NULL, "permit tcp 10.0.0.0/16 10.1.0.1/32 5061 5061");
	run(&x);
	assert_int_equal(x.a.rules[0].verdict, ACLF_V_IN_PLACE);
	assert_int_equal(x.a.rules[1].verdict, ACLF_V_IN_PLACE);
	assert_true(has(x.a.rules[1].why, "it decides no packet: earlier intended rules"));
	fx_free(&x);
}

/* No live filter: everything passes; its permits in place by meaning
 * (why says nothing filters them), its denies missing; a live filter
 * nothing intends: its denies are extra. */
static void filter_missing(void **state)
{
	struct fx x;
	struct aclf_filter *other;

	(void)state;
	fx_init(&x);
	intended(&x);
	x.fl->name = "OTHER";
	x.fl->binding.kind = ACLF_BIND_INTERFACE;
	x.fl->binding.name = "Vlan9";
	x.fi->binding.kind = ACLF_BIND_INTERFACE;
	x.fi->binding.name = "Vlan110";
	x.fi->binding.direction = x.fl->binding.direction = ACLF_DIR_IN;
	other = x.fl;
	rule(x.lp, other, "e0001", NULL, "permit tcp 0.0.0.0/0 10.9.0.1/32 22 22");
	run(&x);
	assert_int_equal(find(&x, "r0001")->verdict, ACLF_V_IN_PLACE);
	assert_true(has(find(&x, "r0001")->why, "the device has no filter 'LYNC'"));
	assert_int_equal(find(&x, "r0003")->verdict, ACLF_V_MISSING);
	assert_true(has(find(&x, "r0003")->why, "the device has no filter 'LYNC' (nothing filters"));
	/* OTHER's permit decides as no filter would: only its default denies */
	assert_int_equal(x.a.nextra, 0);
	fx_free(&x);
}

static void absent(void **state)
{
	struct aclf_audit_dev a;

	(void)state;
	aclf_audit_dev_init(&a);
	assert_int_equal(aclf_audit_set_absent(&a, "read from a saved configuration"), 0);
	assert_string_equal(a.absent, "read from a saved configuration");
	assert_string_equal(aclf_verdict_name(ACLF_V_USED), "in place, used");
	assert_string_equal(aclf_verdict_name(ACLF_V_NO_HITS), "in place, no hits");
	assert_string_equal(aclf_verdict_name(ACLF_V_CANNOT_JUDGE), "cannot judge");
	aclf_audit_dev_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_in_place),
		cmocka_unit_test(missing_and_extra),
		cmocka_unit_test(deny_in_front),
		cmocka_unit_test(catch_all),
		cmocka_unit_test(shadowed_live),
		cmocka_unit_test(lb_verdicts),
		cmocka_unit_test(partly_shadowed),
		cmocka_unit_test(opaque_entry),
		cmocka_unit_test(shadowed_intended),
		cmocka_unit_test(filter_missing),
		cmocka_unit_test(absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
