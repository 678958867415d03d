/* Diff with opaque live rules (src/diff/diff_opaque.c): randomized checks
 * against a reference written here. A live rule marked opaque may match
 * any part of its match fields, so on a packet the live side may answer
 * every action of the opaque rules that match it before the first exact
 * rule that does, and that exact rule's (or the default) action. A packet
 * with one possible answer that differs from the intended one is drift;
 * a packet with both answers cannot be judged; the rest is the same.
 * Checked over the universe of diff_model.h (whose packets stand for every
 * packet): drift is reported iff a drift packet exists, cannot-judge iff an
 * undecided packet exists, and every reported packet is what it is said to
 * be. Plus hand cases: an opaque rule that cannot change a verdict. */
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
#include "diff_model.h"

static void rand_prefix(struct aclf_prefix *p)
{
	static const char *const v4[] = { "0.0.0.0/0", "10.0.0.0/24", "10.0.0.0/30", "10.0.0.0/31",
					  "10.0.0.2/31", "10.0.0.1/32", "10.0.0.3/32" };
	static const char *const v6[] = { "::/0", "2001:db8::/120", "2001:db8::/127",
					  "2001:db8::1/128" };

	if (rn(4) == 0)
		pfx(v6[rn(4)], p);
	else
		pfx(v4[rn(7)], p);
}

static void rand_rule(struct mrule *r)
{
	static const int protos[] = { ACLF_PROTO_ANY, ACLF_PROTO_TCP, ACLF_PROTO_TCP, ACLF_PROTO_UDP,
				      ACLF_PROTO_ICMP };

	memset(r, 0, sizeof(*r));
	r->action = rn(2) ? ACLF_PERMIT : ACLF_DENY;
	r->proto = protos[rn(5)];
	r->nsrc = r->ndst = 1;
	rand_prefix(&r->src[0]);
	rand_prefix(&r->dst[0]);
	if (r->src[0].family != r->dst[0].family)
		r->dst[0] = r->src[0];
	if (rn(3) == 0) {
		unsigned lo = rn(6);
		r->ndp = 1;
		r->dp[0].lo = (uint16_t)lo;
		r->dp[0].hi = (uint16_t)(rn(4) == 0 ? 65535 : lo + rn(6 - lo));
	}
	r->est = r->proto == ACLF_PROTO_TCP && rn(5) == 0;
}

static void rand_filter(struct mfilter *m, int maxn)
{
	memset(m, 0, sizeof(*m));
	m->def = rn(2) ? ACLF_PERMIT : ACLF_DENY;
	m->n = (int)rn((unsigned)maxn + 1);
	for (int i = 0; i < m->n; i++)
		rand_rule(&m->r[i]);
}

/* bit 0: the live side may permit, bit 1: it may deny */
static unsigned possible(const struct cfilter *c, const struct mfilter *m, const bool *opaque,
			 const struct pkt *k)
{
	unsigned v = 0;

	for (int i = 0; i < c->n; i++) {
		if (!ref_match(&c->r[i], k))
			continue;
		v |= m->r[i].action == ACLF_PERMIT ? 1u : 2u;
		if (!opaque[i])
			return v;
	}
	return v | (m->def == ACLF_PERMIT ? 1u : 2u);
}

static struct aclf_devpol *dev_of(struct built *b)
{
	return &b->pol->devices[0];
}

static void one_case(const struct mfilter *a, const struct mfilter *b, const bool *opaque)
{
	static struct cfilter ca, cb;
	struct built ba, bb;
	struct aclf_diff d;
	struct aclf_err err;
	bool drift = false, undecided = false;
	size_t nop = 0;

	build(a, "f", 'a', false, &ba);
	build(b, "f", 'b', false, &bb);
	for (int i = 0; i < b->n; i++)
		if (opaque[i]) {
			bb.f->rules[i].opaque = "not understood";
			bb.f->rules[i].raw = "raw text";
			nop++;
		}
	compile_filter(a, &ca);
	compile_filter(b, &cb);
	for (size_t u = 0; u < nuniverse; u++) {
		const struct pkt *k = &universe[u];
		unsigned want = ref_permits(a, ref_decide_c(&ca, k)) ? 1u : 2u;
		unsigned got = possible(&cb, b, opaque, k);
		if (got == 3)
			undecided = true;
		else if (got != want)
			drift = true;
	}
	aclf_diff_init(&d);
	aclf_err_init(&err);
	CHECK(aclf_diff_devices(dev_of(&ba), dev_of(&bb), &d, NULL, 0, &err) == 0);
	CHECK(d.nopaque == nop);
	CHECK((d.n > d.nundecided) == drift);
	CHECK((d.nundecided > 0) == undecided);
	for (size_t i = 0; i < d.n; i++) {
		const struct aclf_diff_item *it = &d.items[i];
		struct pkt k = { it->src, it->dst, it->protocol, it->src_port, it->dst_port,
				 it->established, 0, 0, 0 };
		unsigned want, got;

		pkt_nums(&k);
		want = ref_permits(a, ref_decide_c(&ca, &k)) ? 1u : 2u;
		got = possible(&cb, b, opaque, &k);
		CHECK(it->permitted_by_a == (want == 1));
		if (it->undecided) {
			CHECK(got == 3);
			CHECK(it->rule_b && it->opaque_reason && it->opaque_raw);
			CHECK(bb.f->rules[id_index(it->rule_b, 'b')].opaque != NULL);
		} else {
			CHECK(got != 3 && got != want);
		}
	}
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_policy_free(ba.pol);
	aclf_policy_free(bb.pol);
}

static void test_random(void **state)
{
	static struct mfilter a, b;
	bool opaque[MAXR];
	int n = ncases(400);

	(void)state;
	build_universe();
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		rng_state = cur_seed * 1000003u + (uint64_t)cur_case;
		rand_filter(&a, 6);
		/* half the cases: the live side is the intended one with a few
		 * rules added or marked opaque */
		if (rn(2)) {
			b = a;
			for (int k = (int)rn(3); k > 0 && b.n < MAXR - 1; k--) {
				int at = (int)rn((unsigned)b.n + 1);
				memmove(&b.r[at + 1], &b.r[at], (size_t)(b.n - at) * sizeof(b.r[0]));
				rand_rule(&b.r[at]);
				b.n++;
			}
		} else {
			rand_filter(&b, 6);
		}
		for (int i = 0; i < b.n; i++)
			opaque[i] = rn(3) == 0;
		one_case(&a, &b, opaque);
	}
}

static void add(struct aclf_policy *p, struct aclf_filter *f, enum aclf_action act, int proto,
		const char *dst, uint16_t port, const char *opaque)
{
	struct aclf_rule *r = aclf_filter_add_rule(p, f);
	struct aclf_prefix any, d;
	struct aclf_port_range pr = { port, port };

	assert_non_null(r);
	pfx("0.0.0.0/0", &any);
	pfx(dst, &d);
	r->id = aclf_arena_printf(&p->arena, "r%zu", f->nrules);
	r->action = act;
	r->protocol = proto;
	assert_int_equal(aclf_pset_merge(&p->arena, &any, 1, &r->src), 0);
	assert_int_equal(aclf_pset_merge(&p->arena, &d, 1, &r->dst), 0);
	if (port)
		assert_int_equal(aclf_ports_merge(&p->arena, &pr, 1, &r->dst_ports), 0);
	r->opaque = opaque;
	r->raw = opaque ? "device text" : NULL;
}

static struct aclf_devpol *device(struct aclf_policy *p, struct aclf_filter **f)
{
	struct aclf_devpol *dp = aclf_policy_add_device(p, "r1", "ios");

	assert_non_null(dp);
	*f = aclf_devpol_add_filter(p, dp, "F");
	assert_non_null(*f);
	(*f)->default_action = ACLF_DENY;
	return dp;
}

static void compare(struct aclf_devpol *a, struct aclf_devpol *b, size_t proven, bool undecided,
		    const char *text)
{
	struct aclf_diff d;
	struct aclf_err err;
	struct aclf_buf out = ACLF_BUF_INIT;

	aclf_diff_init(&d);
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	assert_int_equal(aclf_diff_devices(a, b, &d, NULL, 0, &err), 0);
	assert_int_equal(d.n - d.nundecided, proven);
	assert_int_equal(d.nundecided > 0, undecided);
	assert_int_equal(aclf_diff_print_text(&d, "r1", &out), 0);
	if (!strstr(out.buf, text))
		fail_msg("no '%s' in:\n%s", text, out.buf);
	aclf_buf_reset(&out);
	assert_int_equal(aclf_diff_print_json(&d, "r1", &out), 0);
	assert_non_null(strstr(out.buf, "\"cannot_judge\""));
	assert_non_null(strstr(out.buf, proven ? "\"drift\": true" : "\"drift\": false"));
	aclf_buf_release(&out);
	aclf_diff_release(&d);
	aclf_err_release(&err);
}

static void test_cases(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_filter *fi, *f1, *f2, *f3, *f4;
	struct aclf_devpol *in, *b1, *b2, *b3, *b4;

	(void)state;
	/* intended: permit tcp to 10.0.0.1 port 80, deny the rest */
	in = device(p, &fi);
	add(p, fi, ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.1/32", 80, NULL);
	/* an opaque deny narrower than an earlier exact deny: changes nothing */
	b1 = device(p, &f1);
	add(p, f1, ACLF_DENY, ACLF_PROTO_UDP, "0.0.0.0/0", 0, NULL);
	add(p, f1, ACLF_DENY, ACLF_PROTO_UDP, "10.0.0.0/24", 53, "dscp");
	add(p, f1, ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.1/32", 80, NULL);
	in = &p->devices[0];
	b1 = &p->devices[1];
	compare(in, b1, 0, false, "r1: no drift: the live policy permits exactly what is intended; "
				  "its 1 opaque entry cannot change a verdict");
	/* an opaque deny in front of the permit: cannot judge, never drift */
	b2 = device(p, &f2);
	add(p, f2, ACLF_DENY, ACLF_PROTO_TCP, "10.0.0.0/24", 80, "time-range");
	add(p, f2, ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.1/32", 80, NULL);
	in = &p->devices[0];
	b2 = &p->devices[2];
	compare(in, b2, 0, true, "? tcp ");
	/* the permit only as an opaque rule: cannot judge; port 81 opaque: drift */
	b3 = device(p, &f3);
	add(p, f3, ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.1/32", 80, "tcp flags");
	in = &p->devices[0];
	b3 = &p->devices[3];
	compare(in, b3, 0, true, "1 cannot judge (1 opaque entry)");
	b4 = device(p, &f4);
	add(p, f4, ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.1/32", 81, "tcp flags");
	in = &p->devices[0];
	b4 = &p->devices[4];
	compare(in, b4, 1, true, "- tcp ");
	/* opaque rules on the intended side are refused */
	{
		struct aclf_diff d;
		struct aclf_err err;
		aclf_diff_init(&d);
		aclf_err_init(&err);
		assert_int_equal(aclf_diff_devices(&p->devices[2], in, &d, NULL, 0, &err), -1);
		assert_non_null(strstr(aclf_err_text(&err), "intended side"));
		aclf_err_release(&err);
		aclf_diff_release(&d);
	}
	aclf_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
