/* Semantic diff (src/diff*.c): randomized checks against a brute-force
 * reference. Hand-written cases are in test_diff_cases.c.
 *
 * The randomized part builds small filters over a tiny universe whose
 * packets stand for every packet there is: rule prefixes are sub-prefixes
 * of 10.0.0.0/30 and 2001:db8::/127, the /24 and /120 around them, or any;
 * ports are 0..5 or ranges up to 65535; protocols any, tcp, udp, icmp. So
 * one address of each block, one outside the block but inside the /24, one
 * outside everything, ports 0..5, 1000, 65535, protocols tcp, udp, icmp, gre
 * and both TCP states cover every case, and enumerating them is an exact
 * reference. A reference first-match decider written here (not the
 * library's) gives the truth.
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

#define ACLF_TEST_DEFAULT_SEED 0xd1ff0001ull
#include "test_random.h"

/* ---- the model ---- */

#define MAXR 300
#define MAXS 4

struct mrule {
	enum aclf_action action;
	int proto;
	struct aclf_prefix src[MAXS], dst[MAXS];
	int nsrc, ndst;
	struct aclf_port_range sp[MAXS], dp[MAXS];
	int nsp, ndp;
	bool est;
};

struct mfilter {
	struct mrule r[MAXR];
	int n;
	enum aclf_action def;
};

struct pkt {
	struct aclf_prefix src, dst;
	int proto;
	uint16_t sp, dp;
	bool est;
	uint8_t fam;
	aclf_u128 s, d;
};

static struct pkt *universe;
static size_t nuniverse;

static void pfx(const char *s, struct aclf_prefix *p)
{
	assert_int_equal(aclf_prefix_parse(s, p, false), 0);
}

static void pkt_nums(struct pkt *k)
{
	k->fam = k->src.family;
	k->s = aclf_prefix_first(&k->src);
	k->d = aclf_prefix_first(&k->dst);
}

static void build_universe(void)
{
	static const char *a4[] = { "10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.100",
				    "192.0.2.1" };
	static const char *a6[] = { "2001:db8::", "2001:db8::1", "2001:db8::ff", "2001:db8:1::1" };
	static const uint16_t ports[] = { 0, 1, 2, 3, 4, 5, 1000, 65535 };
	static const int protos[] = { ACLF_PROTO_TCP, ACLF_PROTO_UDP, ACLF_PROTO_ICMP, 47 };
	size_t cap = 16384;

	if (universe)
		return;
	universe = malloc(cap * sizeof(*universe));
	assert_non_null(universe);
	for (int fam = 0; fam < 2; fam++) {
		const char **a = fam ? a6 : a4;
		int na = fam ? 4 : 6;

		for (int s = 0; s < na; s++)
			for (int d = 0; d < na; d++)
				for (int pi = 0; pi < 4; pi++) {
					int pr = protos[pi];
					bool ported = pr == ACLF_PROTO_TCP || pr == ACLF_PROTO_UDP;
					int np = ported ? 8 : 1, ne = pr == ACLF_PROTO_TCP ? 2 : 1;

					for (int x = 0; x < np; x++)
						for (int y = 0; y < np; y++)
							for (int e = 0; e < ne; e++) {
								struct pkt *k = &universe[nuniverse++];

								assert_true(nuniverse <= cap);
								pfx(a[s], &k->src);
								pfx(a[d], &k->dst);
								k->proto = pr;
								k->sp = ported ? ports[x] : 0;
								k->dp = ported ? ports[y] : 0;
								k->est = e;
								pkt_nums(k);
							}
				}
	}
}

/* The reference works on integers: rules compiled once, packets carry their
 * addresses as numbers. */
struct crule {
	const struct mrule *r;
	uint8_t sfam[MAXS], dfam[MAXS];
	aclf_u128 slo[MAXS], shi[MAXS], dlo[MAXS], dhi[MAXS];
};

struct cfilter {
	struct crule r[MAXR];
	int n;
};

static void compile_rule(const struct mrule *r, struct crule *c)
{
	c->r = r;
	for (int i = 0; i < r->nsrc; i++) {
		c->sfam[i] = r->src[i].family;
		c->slo[i] = aclf_prefix_first(&r->src[i]);
		c->shi[i] = aclf_prefix_last(&r->src[i]);
	}
	for (int i = 0; i < r->ndst; i++) {
		c->dfam[i] = r->dst[i].family;
		c->dlo[i] = aclf_prefix_first(&r->dst[i]);
		c->dhi[i] = aclf_prefix_last(&r->dst[i]);
	}
}

static void compile_filter(const struct mfilter *m, struct cfilter *c)
{
	c->n = m->n;
	for (int i = 0; i < m->n; i++)
		compile_rule(&m->r[i], &c->r[i]);
}

static bool ref_addr(const uint8_t *fam, const aclf_u128 *lo, const aclf_u128 *hi, int n,
		     uint8_t f, aclf_u128 a)
{
	for (int i = 0; i < n; i++)
		if (fam[i] == f && lo[i] <= a && a <= hi[i])
			return true;
	return false;
}

static bool ref_port(const struct aclf_port_range *v, int n, uint16_t p)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (v[i].lo <= p && p <= v[i].hi)
			return true;
	return false;
}

static bool ref_match(const struct crule *c, const struct pkt *k)
{
	const struct mrule *r = c->r;
	bool tcp = k->proto == ACLF_PROTO_TCP, ported = tcp || k->proto == ACLF_PROTO_UDP;

	if (r->proto != ACLF_PROTO_ANY && r->proto != k->proto)
		return false;
	if (r->est && !(tcp && k->est))
		return false;
	if ((r->nsp || r->ndp) &&
	    (!ported || !ref_port(r->sp, r->nsp, k->sp) || !ref_port(r->dp, r->ndp, k->dp)))
		return false;
	return ref_addr(c->sfam, c->slo, c->shi, r->nsrc, k->fam, k->s) &&
	       ref_addr(c->dfam, c->dlo, c->dhi, r->ndst, k->fam, k->d);
}

static int ref_decide_c(const struct cfilter *c, const struct pkt *k)
{
	for (int i = 0; i < c->n; i++)
		if (ref_match(&c->r[i], k))
			return i;
	return -1;
}

static int ref_decide(const struct mfilter *m, const struct pkt *k)
{
	static struct cfilter c;

	compile_filter(m, &c);
	return ref_decide_c(&c, k);
}

static bool ref_permits(const struct mfilter *m, int idx)
{
	return (idx < 0 ? m->def : m->r[idx].action) == ACLF_PERMIT;
}

/* ---- building IR filters from the model ---- */

struct built {
	struct aclf_policy *pol;
	struct aclf_filter *f;
};

static void build(const struct mfilter *m, const char *name, char idc, bool raw, struct built *b)
{
	struct aclf_devpol *dev;
	struct aclf_arena *ar;

	b->pol = aclf_policy_new();
	assert_non_null(b->pol);
	ar = &b->pol->arena;
	dev = aclf_policy_add_device(b->pol, "dev", "ios");
	assert_non_null(dev);
	b->f = aclf_devpol_add_filter(b->pol, dev, name);
	assert_non_null(b->f);
	b->f->default_action = m->def;
	for (int i = 0; i < m->n; i++) {
		const struct mrule *mr = &m->r[i];
		struct aclf_rule *r = aclf_filter_add_rule(b->pol, b->f);

		assert_non_null(r);
		r->id = aclf_arena_printf(ar, "%c%d", idc, i);
		r->action = mr->action;
		r->protocol = mr->proto;
		r->established = mr->est;
		if (raw) {
			/* as given: unsorted, maybe overlapping */
			r->src.v = aclf_arena_alloc(ar, sizeof(mr->src));
			memcpy(r->src.v, mr->src, sizeof(mr->src));
			r->src.n = (size_t)mr->nsrc;
			r->dst.v = aclf_arena_alloc(ar, sizeof(mr->dst));
			memcpy(r->dst.v, mr->dst, sizeof(mr->dst));
			r->dst.n = (size_t)mr->ndst;
			r->src_ports.v = aclf_arena_alloc(ar, sizeof(mr->sp));
			memcpy(r->src_ports.v, mr->sp, sizeof(mr->sp));
			r->src_ports.n = (size_t)mr->nsp;
			r->dst_ports.v = aclf_arena_alloc(ar, sizeof(mr->dp));
			memcpy(r->dst_ports.v, mr->dp, sizeof(mr->dp));
			r->dst_ports.n = (size_t)mr->ndp;
		} else {
			assert_int_equal(aclf_pset_merge(ar, mr->src, (size_t)mr->nsrc, &r->src), 0);
			assert_int_equal(aclf_pset_merge(ar, mr->dst, (size_t)mr->ndst, &r->dst), 0);
			assert_int_equal(aclf_ports_merge(ar, mr->sp, (size_t)mr->nsp, &r->src_ports), 0);
			assert_int_equal(aclf_ports_merge(ar, mr->dp, (size_t)mr->ndp, &r->dst_ports), 0);
		}
	}
}

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

static uint64_t pair_key(int fam, long a, long b)
{
	return ((uint64_t)(fam == 6) << 63) | ((uint64_t)(a + 1) << 32) | (uint64_t)(b + 1);
}

static int key_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

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

static long id_index(const char *id, char idc)
{
	if (!id)
		return -1;
	CHECK(id[0] == idc);
	return strtol(id + 1, NULL, 10);
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

/* ---- meaning-preserving rewrites ---- */

static bool overlap(const struct mrule *x, const struct mrule *y)
{
	struct crule cx, cy;

	compile_rule(x, &cx);
	compile_rule(y, &cy);
	for (size_t i = 0; i < nuniverse; i++)
		if (ref_match(&cx, &universe[i]) && ref_match(&cy, &universe[i]))
			return true;
	return false;
}

static void insert_at(struct mfilter *m, int pos, const struct mrule *r)
{
	memmove(&m->r[pos + 1], &m->r[pos], (size_t)(m->n - pos) * sizeof(*r));
	m->r[pos] = *r;
	m->n++;
}

static bool split_ports(struct mfilter *m)
{
	for (int tries = 0; tries < 8 && m->n > 0 && m->n < MAXR; tries++) {
		int i = (int)rn((unsigned)m->n);
		struct mrule r = m->r[i], s;
		uint16_t mid;

		if (r.ndp != 1 || r.dp[0].lo >= r.dp[0].hi)
			continue;
		/* keep every cut at or below port 5, where the universe has a packet */
		if (r.dp[0].hi == 65535) {
			if (r.dp[0].lo > 4)
				continue;
			mid = (uint16_t)(r.dp[0].lo + rn(5u - r.dp[0].lo));
		} else {
			mid = (uint16_t)(r.dp[0].lo + rn((unsigned)(r.dp[0].hi - r.dp[0].lo)));
		}
		s = r;
		r.dp[0].hi = mid;
		s.dp[0].lo = (uint16_t)(mid + 1);
		if (rn(2)) { /* two rules */
			m->r[i] = r;
			insert_at(m, i + 1, &s);
		} else { /* one rule, two ranges */
			m->r[i].dp[0] = r.dp[0];
			m->r[i].dp[1] = s.dp[0];
			m->r[i].ndp = 2;
		}
		return true;
	}
	return false;
}

static bool split_prefix(struct mfilter *m)
{
	for (int tries = 0; tries < 8 && m->n > 0 && m->n < MAXR; tries++) {
		int i = (int)rn((unsigned)m->n);
		struct mrule r = m->r[i], s;
		bool dst = rn(2);
		struct aclf_prefix *v = dst ? r.dst : r.src;
		int *n = dst ? &r.ndst : &r.nsrc;
		int k = (int)rn((unsigned)*n);
		struct aclf_prefix lo = v[k], hi;
		unsigned bits = lo.family == 4 ? 32 : 128;

		/* only inside the block, where the universe has every address */
		if (lo.len >= bits || lo.len < bits - 2 || *n >= MAXS)
			continue;
		lo.len++;
		aclf_prefix_from_u128(lo.family,
				      aclf_prefix_first(&lo) + ((aclf_u128)1 << (bits - lo.len)), lo.len,
				      &hi);
		v[k] = lo;
		if (rn(2)) { /* same rule, two halves */
			v[(*n)++] = hi;
			m->r[i] = r;
		} else { /* the rest, then a rule with the other half only */
			s = r;
			if (dst) {
				s.dst[0] = hi;
				s.ndst = 1;
			} else {
				s.src[0] = hi;
				s.nsrc = 1;
			}
			m->r[i] = r;
			insert_at(m, i + 1, &s);
		}
		return true;
	}
	return false;
}

static bool swap_rules(struct mfilter *m)
{
	for (int tries = 0; tries < 8 && m->n > 1; tries++) {
		int i = (int)rn((unsigned)m->n - 1);
		struct mrule t;

		if (m->r[i].action != m->r[i + 1].action && overlap(&m->r[i], &m->r[i + 1]))
			continue;
		t = m->r[i];
		m->r[i] = m->r[i + 1];
		m->r[i + 1] = t;
		return true;
	}
	return false;
}

static bool same_but_dports(const struct mrule *x, const struct mrule *y)
{
	struct mrule a = *x, b = *y;

	memset(a.dp, 0, sizeof(a.dp));
	memset(b.dp, 0, sizeof(b.dp));
	a.ndp = b.ndp = 0;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static bool merge_rules(struct mfilter *m)
{
	for (int i = 0; i + 1 < m->n; i++) {
		struct mrule *x = &m->r[i], *y = &m->r[i + 1];

		if (!x->ndp || !y->ndp || x->ndp + y->ndp > MAXS || !same_but_dports(x, y))
			continue;
		for (int k = 0; k < y->ndp; k++)
			x->dp[x->ndp++] = y->dp[k];
		memmove(&m->r[i + 1], &m->r[i + 2], (size_t)(m->n - i - 2) * sizeof(*x));
		m->n--;
		return true;
	}
	return false;
}

/* a rule inside rule i, placed anywhere after it */
static bool add_shadowed(struct mfilter *m)
{
	struct mrule s;
	int i, pos;

	if (m->n == 0 || m->n >= MAXR)
		return false;
	i = (int)rn((unsigned)m->n);
	s = m->r[i];
	s.action = rn(2) ? ACLF_PERMIT : ACLF_DENY;
	if (s.nsrc > 1 && rn(2))
		s.nsrc = 1;
	if (s.ndst > 1 && rn(2)) {
		s.dst[0] = s.dst[s.ndst - 1];
		s.ndst = 1;
	}
	if (s.src[0].len < (s.src[0].family == 4 ? 32 : 128) &&
	    s.src[0].len >= (s.src[0].family == 4 ? 30 : 127) && rn(2))
		s.src[0].len++; /* the lower half, inside the block */
	if (s.proto == ACLF_PROTO_ANY && rn(2))
		s.proto = (s.nsp || s.ndp) ? ACLF_PROTO_UDP : ACLF_PROTO_ICMP;
	if (s.ndp == 1 && s.dp[0].lo < s.dp[0].hi && rn(2))
		s.dp[0].hi--;
	if (!s.est && (s.proto == ACLF_PROTO_ANY || s.proto == ACLF_PROTO_TCP) && rn(3) == 0)
		s.est = true;
	pos = i + 1 + (int)rn((unsigned)(m->n - i));
	insert_at(m, pos, &s);
	return true;
}

static void rewrite(struct mfilter *m)
{
	for (int k = 1 + (int)rn(4); k > 0; k--) {
		switch (rn(5)) {
		case 0: split_ports(m); break;
		case 1: split_prefix(m); break;
		case 2: swap_rules(m); break;
		case 3: merge_rules(m); break;
		default: add_shadowed(m); break;
		}
	}
}

static void mutate(struct mfilter *m)
{
	int i = m->n ? (int)rn((unsigned)m->n) : -1;

	switch (i < 0 ? 0 : rn(6)) {
	case 0:
		m->def = m->def == ACLF_PERMIT ? ACLF_DENY : ACLF_PERMIT;
		break;
	case 1: /* drop a rule */
		memmove(&m->r[i], &m->r[i + 1], (size_t)(m->n - i - 1) * sizeof(m->r[0]));
		m->n--;
		break;
	case 2:
		m->r[i].action = m->r[i].action == ACLF_PERMIT ? ACLF_DENY : ACLF_PERMIT;
		break;
	case 3: /* widen a port */
		if (m->r[i].ndp && m->r[i].dp[0].hi < 5)
			m->r[i].dp[0].hi++;
		else if (m->r[i].ndp && rn(2))
			m->r[i].dp[0].hi = 65535;
		else
			m->r[i].ndp = 0;
		break;
	case 4:
		m->r[i].proto = ACLF_PROTO_ANY;
		break;
	default:
		m->r[i].est = !m->r[i].est;
		break;
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_equivalent),
		cmocka_unit_test(test_random_mutated),
		cmocka_unit_test(test_random_unrelated),
		cmocka_unit_test(test_random_large),
		cmocka_unit_test(test_sampled_structured),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(universe);
	return rc;
}
