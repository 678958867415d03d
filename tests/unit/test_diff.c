/* Semantic diff (src/diff*.c): randomized checks against a brute-force
 * reference. Hand-written cases are in test_diff_cases.c, policies shaped
 * like compiled ones in test_diff_sampled.c; the model is diff_model.h.
 *
 * The randomized part builds small filters over a tiny universe whose
 * packets stand for every packet there is: rule prefixes are sub-prefixes
 * of 10.0.0.0/30 and 2001:db8::/127, the /24 and /120 around them, or any;
 * ports are 0..5 or ranges up to 65535; protocols any, tcp, udp, icmp. So
 * one address of each block, one outside the block but inside the /24, one
 * outside everything, ports 0..5, 1000, 65535, protocols tcp, udp, icmp, gre
 * and both TCP states cover every case, and enumerating them is an exact
 * reference. A reference first-match decider written in diff_model.h (not
 * the library's) gives the truth.
 * Seeded deterministically: ACLF_SEED overrides the seed, ACLF_CASES the
 * number of cases per test; a failure prints seed and case. */
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

/* ---- random generation ---- */

static void rand_prefix(struct aclf_prefix *p)
{
	bool v6 = rn(3) == 0;
	unsigned k = rn(10);

	if (k < 2)
		pfx(v6 ? "::/0" : "0.0.0.0/0", p);
	else if (k < 4)
		pfx(v6 ? "2001:db8::/120" : "10.0.0.0/24", p);
	else if (v6)
		pfx(k < 6 ? "2001:db8::/127" : (k < 8 ? "2001:db8::/128" : "2001:db8::1/128"), p);
	else {
		uint8_t len = (uint8_t)(30 + rn(3));
		unsigned off = rn(4) & ~((1u << (32 - len)) - 1);

		aclf_prefix_from_u128(4, (aclf_u128)0x0a000000u + off, len, p);
	}
}

static void rand_range(struct aclf_port_range *r)
{
	unsigned lo = rn(6);

	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)(rn(5) == 0 ? 65535 : lo + rn(6 - lo));
}

static void rand_rule(struct mrule *r)
{
	static const int protos[] = { ACLF_PROTO_ANY, ACLF_PROTO_ANY, ACLF_PROTO_TCP, ACLF_PROTO_TCP,
				      ACLF_PROTO_TCP, ACLF_PROTO_UDP, ACLF_PROTO_UDP, ACLF_PROTO_ICMP };

	memset(r, 0, sizeof(*r));
	r->action = rn(2) ? ACLF_PERMIT : ACLF_DENY;
	r->proto = protos[rn(8)];
	r->nsrc = 1 + (int)rn(2);
	r->ndst = 1 + (int)rn(2);
	for (int i = 0; i < r->nsrc; i++)
		rand_prefix(&r->src[i]);
	for (int i = 0; i < r->ndst; i++)
		rand_prefix(&r->dst[i]);
	if (rn(5) < 2) {
		r->ndp = 1 + (int)rn(2);
		for (int i = 0; i < r->ndp; i++)
			rand_range(&r->dp[i]);
	}
	if (rn(6) == 0) {
		r->nsp = 1;
		rand_range(&r->sp[0]);
	}
	r->est = rn(6) == 0;
}

static void rand_filter_n(struct mfilter *m, int minn, int maxn)
{
	memset(m, 0, sizeof(*m));
	m->def = rn(2) ? ACLF_PERMIT : ACLF_DENY;
	for (int n = minn + (int)rn((unsigned)(maxn - minn) + 1); m->n < n && m->n < MAXR - 1;) {
		struct mrule *r = &m->r[m->n++];

		rand_rule(r);
		/* sometimes a rule given as two with adjacent port ranges (to merge) */
		if (rn(5) == 0 && r->ndp == 1 && r->dp[0].lo < r->dp[0].hi && r->dp[0].hi < 6) {
			struct mrule *s = &m->r[m->n++];
			uint16_t mid = (uint16_t)(r->dp[0].lo + rn(r->dp[0].hi - r->dp[0].lo));

			*s = *r;
			r->dp[0].hi = mid;
			s->dp[0].lo = (uint16_t)(mid + 1);
		}
	}
}

static void rand_filter(struct mfilter *m, int maxn)
{
	rand_filter_n(m, 0, maxn);
}

/* mostly narrow rules (wide prefixes made block prefixes): few rules cover
 * everything, so the walk's box lists stay long */
static void narrow_prefix(struct aclf_prefix *p)
{
	static const char *v4[] = { "10.0.0.0/31", "10.0.0.2/31", "10.0.0.1/32", "10.0.0.3/32" };
	static const char *v6[] = { "2001:db8::/127", "2001:db8::/128", "2001:db8::1/128" };

	if (p->len >= 24 || rn(10) == 0)
		return;
	if (p->family == 4)
		pfx(v4[rn(4)], p);
	else
		pfx(v6[rn(3)], p);
}

static void narrow(struct mfilter *m)
{
	for (int i = 0; i < m->n; i++) {
		for (int k = 0; k < m->r[i].nsrc; k++)
			narrow_prefix(&m->r[i].src[k]);
		for (int k = 0; k < m->r[i].ndst; k++)
			narrow_prefix(&m->r[i].dst[k]);
	}
}

/* ---- brute force ---- */

struct truth {
	uint64_t *keys; /* sorted, unique */
	size_t n;
};

static bool truth_has(const struct truth *t, uint64_t key)
{
	return bsearch(&key, t->keys, t->n, sizeof(key), key_cmp) != NULL;
}

/* all (family, rule a, rule b) where the decisions differ; also checks that
 * aclf_filter_decide agrees with the reference on every packet */
static void brute(const struct mfilter *a, const struct mfilter *b, const struct built *ba,
		  const struct built *bb, bool check_decide, struct truth *t)
{
	static struct cfilter ca, cb;

	compile_filter(a, &ca);
	compile_filter(b, &cb);
	t->n = 0;
	t->keys = malloc(nuniverse * sizeof(*t->keys));
	assert_non_null(t->keys);
	for (size_t i = 0; i < nuniverse; i++) {
		const struct pkt *k = &universe[i];
		int da = ref_decide_c(&ca, k), db = ref_decide_c(&cb, k);

		if (check_decide) {
			CHECK(aclf_filter_decide(ba->f, &k->src, &k->dst, k->proto, k->sp, k->dp, k->est) ==
			      da);
			CHECK(aclf_filter_decide(bb->f, &k->src, &k->dst, k->proto, k->sp, k->dp, k->est) ==
			      db);
		}
		if (ref_permits(a, da) != ref_permits(b, db))
			t->keys[t->n++] = pair_key(k->src.family, da, db);
	}
	qsort(t->keys, t->n, sizeof(*t->keys), key_cmp);
	{
		size_t w = 0;

		for (size_t i = 0; i < t->n; i++)
			if (w == 0 || t->keys[w - 1] != t->keys[i])
				t->keys[w++] = t->keys[i];
		t->n = w;
	}
}

static void dump_filter(const char *tag, const struct mfilter *m)
{
	char b[ACLF_PREFIX_STRLEN];

	print_message("%s: default %s\n", tag, m->def == ACLF_PERMIT ? "permit" : "deny");
	for (int i = 0; i < m->n; i++) {
		const struct mrule *r = &m->r[i];

		print_message("  %d %s proto %d%s src", i, r->action == ACLF_PERMIT ? "permit" : "deny",
			      r->proto, r->est ? " est" : "");
		for (int k = 0; k < r->nsrc; k++) {
			aclf_prefix_format(&r->src[k], b, sizeof(b));
			print_message(" %s", b);
		}
		print_message(" dst");
		for (int k = 0; k < r->ndst; k++) {
			aclf_prefix_format(&r->dst[k], b, sizeof(b));
			print_message(" %s", b);
		}
		for (int k = 0; k < r->nsp; k++)
			print_message(" sp %u-%u", r->sp[k].lo, r->sp[k].hi);
		for (int k = 0; k < r->ndp; k++)
			print_message(" dp %u-%u", r->dp[k].lo, r->dp[k].hi);
		print_message("\n");
	}
}

static void dump(const struct mfilter *a, const struct mfilter *b, const struct truth *t,
		 const struct aclf_diff *d)
{
	char s[ACLF_PREFIX_STRLEN], x[ACLF_PREFIX_STRLEN];

	dump_filter("a", a);
	dump_filter("b", b);
	for (size_t i = 0; i < t->n; i++)
		print_message("truth: v%d a %ld b %ld\n", t->keys[i] >> 63 ? 6 : 4,
			      (long)((t->keys[i] >> 32) & 0x7fffffff) - 1,
			      (long)(t->keys[i] & 0xffffffff) - 1);
	for (size_t i = 0; i < d->n; i++) {
		const struct aclf_diff_item *it = &d->items[i];

		aclf_prefix_format_addr(&it->src, s, sizeof(s));
		aclf_prefix_format_addr(&it->dst, x, sizeof(x));
		print_message("item: %s -> %s proto %d %u -> %u%s a %s b %s\n", s, x, it->protocol,
			      it->src_port, it->dst_port, it->established ? " est" : "",
			      it->rule_a ? it->rule_a : "-", it->rule_b ? it->rule_b : "-");
	}
}

/* run the diff and hold it against the truth */
static size_t check_diff(const struct mfilter *a, const struct mfilter *b, bool check_decide)
{
	struct built ba, bb;
	struct truth t;
	struct aclf_diff d;
	struct aclf_err err;

	build(a, "fa", 'a', rn(2), &ba);
	build(b, "fb", 'b', rn(2), &bb);
	brute(a, b, &ba, &bb, check_decide, &t);
	aclf_diff_init(&d);
	aclf_err_init(&err);
	CHECK(aclf_diff_filters(ba.f, bb.f, &d, 0, &err) == 0);
	if (d.n != t.n)
		dump(a, b, &t, &d);
	CHECK(d.n == t.n);
	for (size_t i = 0; i < d.n; i++) {
		const struct aclf_diff_item *it = &d.items[i];
		struct pkt k = { it->src, it->dst, it->protocol, it->src_port, it->dst_port,
				 it->established, 0, 0, 0 };
		long ra = id_index(it->rule_a, 'a'), rb = id_index(it->rule_b, 'b');
		int da, db;

		pkt_nums(&k);
		da = ref_decide(a, &k);
		db = ref_decide(b, &k);

		CHECK(aclf_prefix_is_host(&it->src) && aclf_prefix_is_host(&it->dst));
		CHECK(da == ra && db == rb);
		CHECK(ref_permits(a, da) == it->permitted_by_a);
		CHECK(ref_permits(b, db) == !it->permitted_by_a);
		CHECK(aclf_filter_decide(ba.f, &it->src, &it->dst, it->protocol, it->src_port,
					 it->dst_port, it->established) == ra);
		CHECK(aclf_filter_decide(bb.f, &it->src, &it->dst, it->protocol, it->src_port,
					 it->dst_port, it->established) == rb);
		CHECK(truth_has(&t, pair_key(it->src.family, ra, rb)));
		CHECK(strcmp(it->filter_a, "fa") == 0 && strcmp(it->filter_b, "fb") == 0);
	}
	/* a limit keeps a prefix of the same report */
	if (d.n > 1) {
		struct aclf_diff d2;

		aclf_diff_init(&d2);
		CHECK(aclf_diff_filters(ba.f, bb.f, &d2, 1, &err) == 0);
		CHECK(d2.n == 1);
		CHECK(d2.items[0].permitted_by_a == d.items[0].permitted_by_a);
		aclf_diff_release(&d2);
	}
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_policy_free(ba.pol);
	aclf_policy_free(bb.pol);
	free(t.keys);
	return t.n;
}

static void test_random_equivalent(void **state)
{
	static struct mfilter a, b;
	int n = ncases(500);

	(void)state;
	build_universe();
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		rng_state = cur_seed * 1000003u + (uint64_t)cur_case;
		rand_filter(&a, 8);
		b = a;
		rewrite(&b);
		/* the rewrite keeps the meaning (by brute force), and diff agrees */
		CHECK(check_diff(&a, &b, cur_case < 100) == 0);
	}
}

static void test_random_mutated(void **state)
{
	static struct mfilter a, b;
	int n = ncases(800);

	(void)state;
	build_universe();
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		rng_state = cur_seed * 2000003u + (uint64_t)cur_case;
		rand_filter(&a, 8);
		b = a;
		if (rn(2))
			rewrite(&b);
		mutate(&b);
		if (rn(3) == 0)
			mutate(&b);
		check_diff(&a, &b, cur_case < 100);
	}
}

static void test_random_unrelated(void **state)
{
	static struct mfilter a, b;
	int n = ncases(500);

	(void)state;
	build_universe();
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		rng_state = cur_seed * 3000017u + (uint64_t)cur_case;
		rand_filter(&a, 10);
		rand_filter(&b, 10);
		check_diff(&a, &b, cur_case < 100);
	}
}

/* filters of a few hundred rules: the walk's big cuts take other paths */
static void test_random_large(void **state)
{
	static struct mfilter a, b;
	int n = ncases(500) / 30;

	(void)state;
	build_universe();
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		rng_state = cur_seed * 4000037u + (uint64_t)cur_case;
		rand_filter_n(&a, 100, 250);
		narrow(&a);
		switch (cur_case % 3) {
		case 0:
			b = a;
			rewrite(&b);
			CHECK(check_diff(&a, &b, false) == 0);
			break;
		case 1:
			b = a;
			rewrite(&b);
			mutate(&b);
			check_diff(&a, &b, false);
			break;
		default:
			rand_filter_n(&b, 100, 250);
			narrow(&b);
			check_diff(&a, &b, cur_case == 2);
			break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_equivalent),
		cmocka_unit_test(test_random_mutated),
		cmocka_unit_test(test_random_unrelated),
		cmocka_unit_test(test_random_large),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(universe);
	return rc;
}
