/* The model behind the semantic diff's randomized tests (test_diff.c,
 * test_diff_sampled.c): small filters as plain structs, the universe of
 * packets that stands for every packet (see test_diff.c), a reference
 * first-match decider written here (not the library's), building IR
 * filters from the model, rule-pair keys, and meaning-preserving rewrites
 * and mutations. Seeded through test_random.h (CHECK prints seed and case).
 * Include after <cmocka.h> and the aclforge headers. */
#ifndef ACLF_TEST_DIFF_MODEL_H
#define ACLF_TEST_DIFF_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/diff.h"
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

static inline void pfx(const char *s, struct aclf_prefix *p)
{
	assert_int_equal(aclf_prefix_parse(s, p, false), 0);
}

static inline void pkt_nums(struct pkt *k)
{
	k->fam = k->src.family;
	k->s = aclf_prefix_first(&k->src);
	k->d = aclf_prefix_first(&k->dst);
}

static inline void build_universe(void)
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

static inline void compile_rule(const struct mrule *r, struct crule *c)
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

static inline void compile_filter(const struct mfilter *m, struct cfilter *c)
{
	c->n = m->n;
	for (int i = 0; i < m->n; i++)
		compile_rule(&m->r[i], &c->r[i]);
}

static inline bool ref_addr(const uint8_t *fam, const aclf_u128 *lo, const aclf_u128 *hi,
			    int n, uint8_t f, aclf_u128 a)
{
	for (int i = 0; i < n; i++)
		if (fam[i] == f && lo[i] <= a && a <= hi[i])
			return true;
	return false;
}

static inline bool ref_port(const struct aclf_port_range *v, int n, uint16_t p)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (v[i].lo <= p && p <= v[i].hi)
			return true;
	return false;
}

static inline bool ref_match(const struct crule *c, const struct pkt *k)
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

static inline int ref_decide_c(const struct cfilter *c, const struct pkt *k)
{
	for (int i = 0; i < c->n; i++)
		if (ref_match(&c->r[i], k))
			return i;
	return -1;
}

static inline int ref_decide(const struct mfilter *m, const struct pkt *k)
{
	static struct cfilter c;

	compile_filter(m, &c);
	return ref_decide_c(&c, k);
}

static inline bool ref_permits(const struct mfilter *m, int idx)
{
	return (idx < 0 ? m->def : m->r[idx].action) == ACLF_PERMIT;
}

/* ---- building IR filters from the model ---- */

struct built {
	struct aclf_policy *pol;
	struct aclf_filter *f;
};

static inline void build(const struct mfilter *m, const char *name, char idc, bool raw,
			 struct built *b)
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

/* ---- rules named a<i> / b<i>: pairs of them as sortable keys ---- */

static inline uint64_t pair_key(int fam, long a, long b)
{
	return ((uint64_t)(fam == 6) << 63) | ((uint64_t)(a + 1) << 32) | (uint64_t)(b + 1);
}

static inline int key_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static inline long id_index(const char *id, char idc)
{
	if (!id)
		return -1;
	CHECK(id[0] == idc);
	return strtol(id + 1, NULL, 10);
}

/* ---- meaning-preserving rewrites ---- */

static inline bool overlap(const struct mrule *x, const struct mrule *y)
{
	struct crule cx, cy;

	compile_rule(x, &cx);
	compile_rule(y, &cy);
	for (size_t i = 0; i < nuniverse; i++)
		if (ref_match(&cx, &universe[i]) && ref_match(&cy, &universe[i]))
			return true;
	return false;
}

static inline void insert_at(struct mfilter *m, int pos, const struct mrule *r)
{
	memmove(&m->r[pos + 1], &m->r[pos], (size_t)(m->n - pos) * sizeof(*r));
	m->r[pos] = *r;
	m->n++;
}

static inline bool split_ports(struct mfilter *m)
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

static inline bool split_prefix(struct mfilter *m)
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

static inline bool swap_rules(struct mfilter *m)
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

static inline bool same_but_dports(const struct mrule *x, const struct mrule *y)
{
	struct mrule a = *x, b = *y;

	memset(a.dp, 0, sizeof(a.dp));
	memset(b.dp, 0, sizeof(b.dp));
	a.ndp = b.ndp = 0;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static inline bool merge_rules(struct mfilter *m)
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
static inline bool add_shadowed(struct mfilter *m)
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

static inline void rewrite(struct mfilter *m)
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

static inline void mutate(struct mfilter *m)
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

#endif
