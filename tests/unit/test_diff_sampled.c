/* Semantic diff (src/diff*.c) on policies shaped like compiled ones, too
 * big for test_diff.c's enumerated universe: sampled packets at the rules'
 * edges must all be explained by the reported rule pairs. The model is
 * diff_model.h; seeded like test_diff.c (ACLF_SEED, ACLF_CASES). */
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

/* Policies shaped like compiled ones (client prefixes, server hosts, port
 * lists; a few hundred rules), changed in a few places. The universe is too
 * big to enumerate, so packets are sampled at the rules' edges (first, last
 * and the neighbours of each prefix and port range): every sampled packet
 * decided differently must fall in a reported (family, rule, rule) pair. */
static void sample_addr(const struct aclf_rule *r, bool dst, uint8_t fam, struct aclf_prefix *out)
{
	const struct aclf_prefix_set *ps = dst ? &r->dst : &r->src;
	const struct aclf_prefix *p = &ps->v[rn((unsigned)ps->n)];
	aclf_u128 a = rn(2) ? aclf_prefix_first(p) : aclf_prefix_last(p);

	if (p->family != fam) {
		aclf_prefix_from_u128(fam, rn(1000), fam == 4 ? 32 : 128, out);
		return;
	}
	if (rn(3) == 0)
		a += rn(2) ? 1 : (aclf_u128)-1;
	if (fam == 4)
		a &= 0xffffffffu;
	aclf_prefix_from_u128(fam, a, fam == 4 ? 32 : 128, out);
}

static uint16_t sample_port(const struct aclf_port_set *ps)
{
	const struct aclf_port_range *r;
	int v;

	if (!ps->n)
		return (uint16_t)rn(65536);
	r = &ps->v[rn((unsigned)ps->n)];
	v = rn(2) ? r->lo : r->hi;
	if (rn(3) == 0)
		v += rn(2) ? 1 : -1;
	return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

static void structured(struct mfilter *m, int n)
{
	static const struct aclf_port_range ports[] = {
		{ 443, 443 }, { 444, 444 }, { 5061, 5061 }, { 5062, 5063 }, { 5064, 5065 },
		{ 5070, 5070 }, { 49152, 57500 }, { 57501, 65535 }, { 3478, 3478 }, { 8057, 8057 },
	};

	memset(m, 0, sizeof(*m));
	m->def = ACLF_DENY;
	for (int i = 0; i < n && i < MAXR; i++) {
		struct mrule *r = &m->r[m->n++];

		r->action = rn(12) ? ACLF_PERMIT : ACLF_DENY;
		r->proto = rn(3) ? ACLF_PROTO_TCP : ACLF_PROTO_UDP;
		r->nsrc = 1 + (int)rn(MAXS);
		for (int k = 0; k < r->nsrc; k++) {
			if (rn(5) == 0)
				aclf_prefix_from_u128(6, ((aclf_u128)0x20010db8u << 96) |
							 ((aclf_u128)rn(20) << 80), 48, &r->src[k]);
			else
				aclf_prefix_from_u128(4, 0x0a000000u | (20u + rn(10)) << 16 | rn(8) << 8,
						      (uint8_t)(22 + rn(3)), &r->src[k]);
		}
		r->ndst = 1 + (int)rn(3);
		for (int k = 0; k < r->ndst; k++)
			aclf_prefix_from_u128(4, 0x0a010000u | rn(20) << 8 | (10u + rn(4)), 32,
					      &r->dst[k]);
		r->ndp = 1 + (int)rn(2);
		for (int k = 0; k < r->ndp; k++)
			r->dp[k] = ports[rn(sizeof(ports) / sizeof(ports[0]))];
		if (rn(8) == 0) {
			r->proto = ACLF_PROTO_TCP;
			r->est = true;
		}
	}
}

static void test_sampled_structured(void **state)
{
	static struct mfilter a, b;
	int n = ncases(500) / 50;
	size_t total = 0;

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct built ba, bb;
		struct aclf_diff d;
		struct aclf_err err;
		uint64_t *keys;
		size_t differing = 0;

		rng_state = cur_seed * 5000011u + (uint64_t)cur_case;
		structured(&a, 150 + (int)rn(150));
		b = a;
		for (int k = 0; k < 4; k++)
			split_ports(&b), split_prefix(&b), swap_rules(&b);
		for (int k = (int)rn(4); k > 0; k--)
			mutate(&b);
		build(&a, "fa", 'a', false, &ba);
		build(&b, "fb", 'b', false, &bb);
		aclf_diff_init(&d);
		aclf_err_init(&err);
		CHECK(aclf_diff_filters(ba.f, bb.f, &d, 0, &err) == 0);
		keys = malloc((d.n + 1) * sizeof(*keys));
		assert_non_null(keys);
		for (size_t i = 0; i < d.n; i++)
			keys[i] = pair_key(d.items[i].src.family, id_index(d.items[i].rule_a, 'a'),
					   id_index(d.items[i].rule_b, 'b'));
		qsort(keys, d.n, sizeof(*keys), key_cmp);
		for (int t = 0; t < 20000; t++) {
			const struct aclf_rule *r = &ba.f->rules[rn((unsigned)ba.f->nrules)];
			const struct aclf_rule *q = rn(2) ? &bb.f->rules[rn((unsigned)bb.f->nrules)] : r;
			uint8_t fam = rn(5) == 0 ? 6 : 4;
			struct aclf_prefix src, dst;
			int proto = rn(8) == 0 ? ACLF_PROTO_ICMP : q->protocol;
			uint16_t sp = sample_port(&r->src_ports), dp = sample_port(&q->dst_ports);
			bool est = rn(2);
			long da, db;

			sample_addr(r, false, fam, &src);
			sample_addr(q, true, fam, &dst);
			da = aclf_filter_decide(ba.f, &src, &dst, proto, sp, dp, est);
			db = aclf_filter_decide(bb.f, &src, &dst, proto, sp, dp, est);
			if ((da < 0 ? a.def : a.r[da].action) == (db < 0 ? b.def : b.r[db].action))
				continue;
			differing++;
			CHECK(bsearch(&(uint64_t){ pair_key(fam, da, db) }, keys, d.n, sizeof(*keys),
				      key_cmp) != NULL);
		}
		CHECK(differing == 0 || d.n > 0);
		total += differing;
		free(keys);
		aclf_diff_release(&d);
		aclf_err_release(&err);
		aclf_policy_free(ba.pol);
		aclf_policy_free(bb.pol);
	}
	print_message("sampled packets decided differently: %zu\n", total);
	CHECK(total > 0);
}

/* swap_rules() asks overlap(), which looks at the universe: build it, as
 * the tests that ran before this one did when it was part of test_diff.c,
 * so that the same cases come out of the same seed. */
static int setup(void **state)
{
	(void)state;
	build_universe();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sampled_structured),
	};
	int rc = cmocka_run_group_tests(tests, setup, NULL);

	free(universe);
	return rc;
}
