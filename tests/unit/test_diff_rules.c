/* Per-rule answers of the diff (src/diff/diff_rules.c, aclf_diff_rules)
 * checked against a reference written here, over the universe of packets
 * of diff_model.h (which stands for every packet of these rules). For
 * each rule k of A, its region is the packets A decides by k; on each of
 * them the live side B may answer permit, deny, or both (an opaque rule of
 * B may or may not match). The reference says:
 *   - differs: some packet of the region has one possible answer, not A's;
 *   - undecided: none does, but some has both;
 *   - same otherwise; decides: the region is not empty;
 *   - deciders: the rules of B (its widest reading: opaque denies
 *     dropped) deciding the region's packets;
 *   - extra: a rule of B deciding, in its widest reading, a packet A
 *     permits and denying it, or deciding, in its narrowest (opaque
 *     permits dropped), a packet A denies and permitting it.
 * Every example packet the diff gives is checked to be what it says. The
 * audit's single comparison (aclf_diff_audit) must give the same answers
 * and, example for example, the diff aclf_diff_devices gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

/* bit 0: B may permit, bit 1: it may deny */
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

/* B read with its opaque rules of action drop left out: the deciding
 * rule's index in B (-1: default) and whether it permits */
static int extreme(const struct cfilter *c, const struct mfilter *m, const bool *opaque,
		   enum aclf_action drop, const struct pkt *k, bool *permit)
{
	for (int i = 0; i < c->n; i++) {
		if (opaque[i] && m->r[i].action == drop)
			continue;
		if (ref_match(&c->r[i], k)) {
			*permit = m->r[i].action == ACLF_PERMIT;
			return i;
		}
	}
	*permit = m->def == ACLF_PERMIT;
	return -1;
}

static struct aclf_devpol *dev_of(struct built *b)
{
	return &b->pol->devices[0];
}

static void check_example(const struct aclf_diff_item *it, const struct cfilter *ca,
			  const struct mfilter *a, const struct cfilter *cb, const struct mfilter *b,
			  const bool *opaque, long want_a, unsigned want_got)
{
	struct pkt k = { it->src, it->dst, it->protocol, it->src_port, it->dst_port,
			 it->established, 0, 0, 0 };

	pkt_nums(&k);
	if (want_a >= -1)
		CHECK(ref_decide_c(ca, &k) == want_a);
	CHECK(it->permitted_by_a == ref_permits(a, ref_decide_c(ca, &k)));
	CHECK(possible(cb, b, opaque, &k) == want_got);
}

static int same_cases; /* cases without any difference */

static bool same_s(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

static bool same_item(const struct aclf_diff_item *x, const struct aclf_diff_item *y)
{
	return !aclf_prefix_cmp(&x->src, &y->src) && !aclf_prefix_cmp(&x->dst, &y->dst) &&
	       x->protocol == y->protocol && x->src_port == y->src_port &&
	       x->dst_port == y->dst_port && x->established == y->established &&
	       x->permitted_by_a == y->permitted_by_a && x->undecided == y->undecided &&
	       same_s(x->rule_a, y->rule_a) && same_s(x->rule_b, y->rule_b) &&
	       same_s(x->filter_a, y->filter_a) && same_s(x->filter_b, y->filter_b) &&
	       same_s(x->opaque_reason, y->opaque_reason) && same_s(x->opaque_raw, y->opaque_raw);
}

/* The audit's one comparison (aclf_diff_audit) gives the diff
 * aclf_diff_devices gives, example for example, with max examples, and
 * the per-rule answers of rc. */
static void check_audit(const struct aclf_devpol *a, const struct aclf_devpol *b,
			const struct aclf_rule_checks *rc, size_t max)
{
	struct aclf_diff d1, d2;
	struct aclf_rule_checks r2;
	struct aclf_err err;

	aclf_err_init(&err);
	aclf_diff_init(&d1);
	aclf_diff_init(&d2);
	aclf_rule_checks_init(&r2);
	CHECK(aclf_diff_devices(a, b, &d1, NULL, max, &err) == 0);
	CHECK(aclf_diff_audit(a, b, &d2, max, &r2, &err) == 0);
	CHECK(d1.n == d2.n && d1.nundecided == d2.nundecided && d1.nopaque == d2.nopaque &&
	      d1.nlb == d2.nlb);
	for (size_t i = 0; i < d1.n && i < d2.n; i++)
		CHECK(same_item(&d1.items[i], &d2.items[i]));
	CHECK(r2.nrules == rc->nrules && r2.nextra == rc->nextra);
	for (size_t k = 0; k < r2.nrules && k < rc->nrules; k++) {
		const struct aclf_rule_check *x = &rc->rules[k], *y = &r2.rules[k];

		CHECK(x->state == y->state && x->decides == y->decides &&
		      x->live_filter == y->live_filter && x->ndeciders == y->ndeciders);
		if (x->state != ACLF_RULE_SAME)
			CHECK(same_item(&x->example, &y->example));
		for (size_t i = 0; i < x->ndeciders && i < y->ndeciders; i++)
			CHECK(same_s(x->deciders[i], y->deciders[i]));
	}
	for (size_t k = 0; k < r2.nextra && k < rc->nextra; k++)
		CHECK(rc->extra[k].rule == r2.extra[k].rule &&
		      same_item(&rc->extra[k].example, &r2.extra[k].example));
	aclf_rule_checks_release(&r2);
	aclf_diff_release(&d1);
	aclf_diff_release(&d2);
	aclf_err_release(&err);
}

static void one_case(const struct mfilter *a, const struct mfilter *b, const bool *opaque)
{
	static struct cfilter ca, cb;
	struct built ba, bb;
	struct aclf_rule_checks rc;
	struct aclf_err err;
	bool differs[MAXR] = { false }, undecided[MAXR] = { false }, decides[MAXR] = { false };
	bool dec[MAXR][MAXR + 1], extra[MAXR] = { false };

	memset(dec, 0, sizeof(dec));
	build(a, "f", 'a', false, &ba);
	build(b, "f", 'b', false, &bb);
	for (int i = 0; i < b->n; i++)
		if (opaque[i]) {
			bb.f->rules[i].opaque = "not understood";
			bb.f->rules[i].raw = "raw text";
		}
	compile_filter(a, &ca);
	compile_filter(b, &cb);
	for (size_t u = 0; u < nuniverse; u++) {
		const struct pkt *k = &universe[u];
		int ka = ref_decide_c(&ca, k);
		bool pa = ref_permits(a, ka), pmax, pmin;
		unsigned want = pa ? 1u : 2u, got = possible(&cb, b, opaque, k);
		int jmax = extreme(&cb, b, opaque, ACLF_DENY, k, &pmax);
		int jmin = extreme(&cb, b, opaque, ACLF_PERMIT, k, &pmin);

		if (pa && !pmax && jmax >= 0)
			extra[jmax] = true;
		if (!pa && pmin && jmin >= 0)
			extra[jmin] = true;
		if (ka < 0)
			continue;
		decides[ka] = true;
		dec[ka][jmax + 1] = true;
		if (got == 3)
			undecided[ka] = true;
		else if (got != want)
			differs[ka] = true;
	}
	aclf_rule_checks_init(&rc);
	aclf_err_init(&err);
	CHECK(aclf_diff_rules(dev_of(&ba), dev_of(&bb), false, &rc, &err) == 0);
	CHECK(rc.nrules == (size_t)a->n);
	for (int k = 0; k < a->n; k++) {
		const struct aclf_rule_check *c = &rc.rules[k];
		enum aclf_rule_state want = differs[k] ? ACLF_RULE_DIFFERS
					    : undecided[k] ? ACLF_RULE_UNDECIDED : ACLF_RULE_SAME;
		size_t nd = 0;

		CHECK(c->filter == 0 && c->rule == (size_t)k && c->live_filter == 0);
		CHECK(c->state == want);
		CHECK(c->decides == decides[k]);
		if (want == ACLF_RULE_DIFFERS) {
			bool pa = a->r[k].action == ACLF_PERMIT;

			check_example(&c->example, &ca, a, &cb, b, opaque, k, pa ? 2u : 1u);
			CHECK(!c->example.undecided);
		} else if (want == ACLF_RULE_UNDECIDED) {
			check_example(&c->example, &ca, a, &cb, b, opaque, k, 3u);
			CHECK(c->example.undecided && c->example.rule_b && c->example.opaque_reason);
			CHECK(bb.f->rules[id_index(c->example.rule_b, 'b')].opaque != NULL);
		}
		for (int j = -1; j < b->n; j++)
			nd += dec[k][j + 1];
		CHECK(c->ndeciders == nd);
		for (size_t i = 0; i < c->ndeciders; i++) {
			long j = id_index(c->deciders[i], 'b');

			CHECK(dec[k][j + 1]);
			/* in B's order, its default last */
			if (i > 0 && c->deciders[i])
				CHECK(id_index(c->deciders[i - 1], 'b') < j);
		}
	}
	for (size_t i = 0, j = 0; j < (size_t)b->n; j++) {
		if (!extra[j])
			continue;
		CHECK(i < rc.nextra);
		CHECK(rc.extra[i].filter == 0 && rc.extra[i].rule == j);
		/* its example: a packet it surely decides otherwise */
		{
			const struct aclf_diff_item *it = &rc.extra[i].example;
			struct pkt k = { it->src, it->dst, it->protocol, it->src_port, it->dst_port,
					 it->established, 0, 0, 0 };
			unsigned got;

			pkt_nums(&k);
			got = possible(&cb, b, opaque, &k);
			CHECK(got != 3 && got != (ref_permits(a, ref_decide_c(&ca, &k)) ? 1u : 2u));
		}
		i++;
		if (j + 1 == (size_t)b->n)
			CHECK(i == rc.nextra);
	}
	{
		size_t n = 0;

		for (int j = 0; j < b->n; j++)
			n += extra[j];
		CHECK(rc.nextra == n);
	}
	check_audit(dev_of(&ba), dev_of(&bb), &rc, 0);
	check_audit(dev_of(&ba), dev_of(&bb), &rc, 2);
	/* no difference at all: told so, the answers are the same */
	{
		struct aclf_diff d;
		struct aclf_rule_checks rs;

		aclf_diff_init(&d);
		CHECK(aclf_diff_devices(dev_of(&ba), dev_of(&bb), &d, NULL, 0, &err) == 0);
		if (d.n == 0 && d.nlb == 0) {
			aclf_rule_checks_init(&rs);
			CHECK(aclf_diff_rules(dev_of(&ba), dev_of(&bb), true, &rs, &err) == 0);
			CHECK(rs.nrules == rc.nrules && rs.nextra == 0 && rc.nextra == 0);
			for (size_t k = 0; k < rs.nrules; k++) {
				CHECK(rs.rules[k].state == ACLF_RULE_SAME);
				CHECK(rc.rules[k].state == ACLF_RULE_SAME);
				CHECK(rs.rules[k].decides == rc.rules[k].decides);
				CHECK(rs.rules[k].ndeciders == rc.rules[k].ndeciders);
				for (size_t i = 0; i < rs.rules[k].ndeciders; i++)
					CHECK((!rs.rules[k].deciders[i] && !rc.rules[k].deciders[i]) ||
					      (rs.rules[k].deciders[i] && rc.rules[k].deciders[i] &&
					       !strcmp(rs.rules[k].deciders[i], rc.rules[k].deciders[i])));
			}
			aclf_rule_checks_release(&rs);
			same_cases++;
		}
		aclf_diff_release(&d);
	}
	aclf_rule_checks_release(&rc);
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
		/* most cases: the live side is the intended one with a few rules
		 * added, dropped or marked opaque (so most rules are in place) */
		if (rn(3)) {
			b = a;
			for (int k = (int)rn(3); k > 0 && b.n < MAXR - 1; k--) {
				int at = (int)rn((unsigned)b.n + 1);
				memmove(&b.r[at + 1], &b.r[at], (size_t)(b.n - at) * sizeof(b.r[0]));
				rand_rule(&b.r[at]);
				b.n++;
			}
			if (b.n && rn(3) == 0) {
				int at = (int)rn((unsigned)b.n);
				memmove(&b.r[at], &b.r[at + 1], (size_t)(b.n - at - 1) * sizeof(b.r[0]));
				b.n--;
			}
		} else {
			rand_filter(&b, 6);
		}
		for (int i = 0; i < b.n; i++)
			opaque[i] = rn(2) ? false : rn(3) == 0;
		one_case(&a, &b, opaque);
	}
	/* the live side is often the intended one: some cases have no difference */
	CHECK(same_cases > 0);
	print_message("%d of %d cases without a difference\n", same_cases, n);
}

/* A filter only one side has: A's faces no filter (everything passes),
 * B's faces A's absence (everything passes). */
static void unpaired(void **state)
{
	static struct mfilter a, b;
	struct built ba, bb;
	struct aclf_rule_checks rc;
	struct aclf_err err;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.def = b.def = ACLF_DENY;
	a.n = b.n = 2;
	pfx("10.0.0.0/24", &a.r[0].src[0]);
	pfx("10.0.0.1/32", &a.r[0].dst[0]);
	a.r[0].nsrc = a.r[0].ndst = 1;
	a.r[0].action = ACLF_PERMIT;
	a.r[1] = a.r[0];
	a.r[1].action = ACLF_DENY;
	pfx("10.0.0.3/32", &a.r[1].dst[0]);
	b.r[0] = a.r[0];
	b.r[1] = a.r[1];
	build(&a, "fa", 'a', false, &ba);
	build(&b, "fb", 'b', false, &bb);
	ba.f->binding.kind = bb.f->binding.kind = ACLF_BIND_INTERFACE;
	ba.f->binding.name = "Vlan1";
	bb.f->binding.name = "Vlan2";
	aclf_rule_checks_init(&rc);
	aclf_err_init(&err);
	assert_int_equal(aclf_diff_rules(dev_of(&ba), dev_of(&bb), false, &rc, &err), 0);
	assert_int_equal(rc.nrules, 2);
	assert_int_equal(rc.rules[0].live_filter, -1);
	assert_int_equal(rc.rules[0].state, ACLF_RULE_SAME);
	assert_int_equal(rc.rules[1].state, ACLF_RULE_DIFFERS);
	assert_null(rc.rules[1].example.filter_b);
	/* B's deny denies what no filter lets through: extra */
	assert_int_equal(rc.nextra, 1);
	assert_int_equal(rc.extra[0].rule, 1);
	/* the audit's comparison: the same, and the diff of both filters */
	check_audit(dev_of(&ba), dev_of(&bb), &rc, 0);
	check_audit(dev_of(&ba), dev_of(&bb), &rc, 1);
	aclf_rule_checks_release(&rc);
	/* opaque rules on the intended side are refused */
	aclf_rule_checks_init(&rc);
	ba.f->rules[0].opaque = "x";
	assert_int_equal(aclf_diff_rules(dev_of(&ba), dev_of(&bb), false, &rc, &err), -1);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	aclf_rule_checks_release(&rc);
	aclf_err_release(&err);
	aclf_policy_free(ba.pol);
	aclf_policy_free(bb.pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(unpaired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
