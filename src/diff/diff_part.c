/* The partition walk behind the semantic diff.
 *
 * Within one space both filters are turned into ordered lists of boxes. A
 * node of the walk is a region: one set for each dimension cut so far times
 * the whole domain of the others, plus the boxes of each side that contain
 * it (in rule order). At a node:
 *   - boxes after the first one that covers the region are unreachable and
 *     dropped; when each side's first box (or its default) covers the region
 *     the decision on both sides is fixed: a differing decision is emitted
 *     for the whole region;
 *   - when every reachable decision on both sides is the same action there
 *     is nothing to find below;
 *   - dimensions that every box spans whole are marked cut for free;
 *   - a node whose box lists were seen before with the same dimensions cut
 *     is skipped: what lies below depends only on those lists, and the
 *     caller reports per pair of deciding rules, so the earlier visit found
 *     it all;
 *   - otherwise one dimension (the one the fewest boxes span whole) is cut
 *     into the elementary intervals of the boxes' sets, intervals with the
 *     same set of boxes are joined into one class, and each class is walked.
 * This is the firewall-decision-diagram idea with sharing, done lazily and
 * for two filters at once. Each cut costs about O(e log e + s * m / 64) for
 * e interval ends, s elementary intervals and m boxes. */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define U128_MAX (~(aclf_u128)0)

struct memo_ent {
	uint64_t h;
	uint32_t *ids; /* na then nb entries */
	uint32_t na, nb;
	int done;      /* dimensions cut so far; -1 = empty slot */
};

struct part {
	const struct dd_space *sp;
	const struct dd_side *a, *b;
	dd_emit_fn emit;
	void *ctx;
	bool all;      /* emit the regions decided alike too */
	struct aclf_err *err;
	struct aclf_arena ar;
	struct memo_ent *memo;
	size_t memo_n, memo_cap;
	struct dd_iset region[DD_NDIM];
	/* the interval ends of every distinct set per dimension (boxes share
	 * a set's array after interning), sorted once; built when a cut is
	 * big enough that filtering them beats sorting its own */
	struct dd_evvec *gev[DD_NDIM];
	size_t ntotal[DD_NDIM];
	uint32_t *grp[DD_NDIM]; /* global box id (A: i, B: a->n + i) -> its set's
	                         * group in the dimension, UINT32_MAX when whole there */
	size_t ngrp[DD_NDIM];
	int32_t *gloc; /* group -> group in the cut, or -1 */
};

struct cls {
	uint64_t h;
	struct dd_ival *seg;
	size_t nseg, segcap;
};

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int nomem(struct part *p)
{
	return aclf_err_set(p->err, ACLF_E_NOMEM, "out of memory comparing filters");
}

#define ALL_DIMS ((1u << DD_NDIM) - 1)

/* Which dimension to cut when several are equally selective: addresses
 * first (they usually tell rules apart best), the small ones last. */
static const enum dd_dim prefer[DD_NDIM] = { DD_DST, DD_SRC, DD_DPORT, DD_SPORT, DD_PROTO,
					     DD_STATE };

static bool box_covers(const struct dd_box *b, unsigned need)
{
	return (b->full & need) == need;
}

static size_t cut_unreachable(const struct dd_side *s, const uint32_t *l, size_t n, unsigned need)
{
	for (size_t i = 0; i < n; i++)
		if (box_covers(&s->box[l[i]], need))
			return i + 1;
	return n;
}

/* bit 1: some packet of the region may be permitted, bit 2: denied */
static unsigned reachable_actions(const struct dd_side *s, const uint32_t *l, size_t n,
				  unsigned need)
{
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		bits |= s->box[l[i]].permit ? 1u : 2u;
	if (n == 0 || !box_covers(&s->box[l[n - 1]], need))
		bits |= s->default_permit ? 1u : 2u;
	return bits;
}

static uint64_t list_hash(unsigned done, const uint32_t *la, size_t na, const uint32_t *lb, size_t nb)
{
	uint64_t h = mix64((uint64_t)done << 40 ^ (uint64_t)na << 20 ^ nb);

	for (size_t i = 0; i < na; i++)
		h = mix64(h ^ la[i]);
	h = mix64(h ^ 0x5bd1e995u);
	for (size_t i = 0; i < nb; i++)
		h = mix64(h ^ lb[i]);
	return h;
}

static int memo_grow(struct part *p)
{
	size_t ncap = p->memo_cap ? p->memo_cap * 2 : 1024;
	struct memo_ent *t = malloc(ncap * sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < ncap; i++)
		t[i].done = -1;
	for (size_t i = 0; i < p->memo_cap; i++) {
		size_t k;

		if (p->memo[i].done < 0)
			continue;
		for (k = p->memo[i].h & (ncap - 1); t[k].done >= 0; k = (k + 1) & (ncap - 1))
			;
		t[k] = p->memo[i];
	}
	free(p->memo);
	p->memo = t;
	p->memo_cap = ncap;
	return 0;
}

/* 1: seen before, 0: first visit (now recorded), -1: out of memory */
static int memo_visit(struct part *p, unsigned done, const uint32_t *la, size_t na,
		      const uint32_t *lb, size_t nb)
{
	uint64_t h = list_hash(done, la, na, lb, nb);
	struct memo_ent *e;
	size_t k;

	if ((p->memo_n + 1) * 2 > p->memo_cap && memo_grow(p) < 0)
		return -1;
	for (k = h & (p->memo_cap - 1); p->memo[k].done >= 0; k = (k + 1) & (p->memo_cap - 1)) {
		e = &p->memo[k];
		if (e->h == h && e->done == (int)done && e->na == na && e->nb == nb &&
		    (na == 0 || memcmp(e->ids, la, na * sizeof(*la)) == 0) &&
		    (nb == 0 || memcmp(e->ids + na, lb, nb * sizeof(*lb)) == 0))
			return 1;
	}
	e = &p->memo[k];
	e->ids = aclf_arena_alloc(&p->ar, (na + nb + 1) * sizeof(*e->ids));
	if (!e->ids)
		return -1;
	if (na)
		memcpy(e->ids, la, na * sizeof(*la));
	if (nb)
		memcpy(e->ids + na, lb, nb * sizeof(*lb));
	e->h = h;
	e->na = (uint32_t)na;
	e->nb = (uint32_t)nb;
	e->done = (int)done;
	p->memo_n++;
	return 0;
}

static int node(struct part *p, unsigned done, const uint32_t *la, size_t na, const uint32_t *lb,
		size_t nb);

struct split {
	struct dd_evvec e;
	uint64_t *cur, *bits; /* current set; class sets, words each */
	size_t words;
	struct cls *cls;
	size_t ncls, clscap;
	uint32_t *tab;        /* class index + 1, 0 = empty */
	size_t tabcap;
	uint32_t *ca, *cb;    /* child lists */
	uint32_t *gfirst;     /* per event owner (group): first box, NONE ends */
	uint32_t *gnext;      /* per box: next box of its group */
	uint64_t *gh;         /* per group: xor of its boxes' keys */
	size_t *rs, nrs;      /* where each sorted run of events starts */
};

#define NONE UINT32_MAX

static void split_free(struct split *s)
{
	for (size_t i = 0; i < s->ncls; i++)
		free(s->cls[i].seg);
	free(s->e.v);
	free(s->cur);
	free(s->bits);
	free(s->cls);
	free(s->tab);
	free(s->ca);
	free(s->cb);
	free(s->gfirst);
	free(s->gnext);
	free(s->gh);
	free(s->rs);
}

/* Group the boxes of both sides by their set in dim (p->grp[dim]); the
 * number of interval ends all boxes and the domain have (cached: what
 * filtering them cost before the boxes were grouped, which is the
 * threshold that serves best). (size_t)-1 when out of memory. */
static size_t total_events(struct part *p, enum dd_dim dim)
{
	size_t na = p->a->n, m = na + p->b->n, cap, n;
	const struct dd_ival **key;
	uint32_t *val, *g;

	if (p->ntotal[dim])
		return p->ntotal[dim];
	for (cap = 16; cap < 2 * m; cap *= 2)
		;
	key = calloc(cap, sizeof(*key));
	val = malloc(cap * sizeof(*val));
	g = p->grp[dim] = malloc((m + 1) * sizeof(*g));
	if (!key || !val || !g) {
		free(key);
		free(val);
		free(g);
		p->grp[dim] = NULL;
		return (size_t)-1;
	}
	n = 2 * p->sp->dom[dim].n + 1;
	for (size_t i = 0; i < m; i++) {
		const struct dd_box *bx = i < na ? &p->a->box[i] : &p->b->box[i - na];
		const struct dd_ival *v = bx->d[dim].v;
		size_t k = (size_t)(mix64((uintptr_t)v) & (cap - 1));

		g[i] = UINT32_MAX;
		if (bx->full & 1u << dim)
			continue;
		n += 2 * bx->d[dim].n;
		while (key[k] && key[k] != v)
			k = (k + 1) & (cap - 1);
		if (!key[k]) {
			key[k] = v;
			val[k] = (uint32_t)p->ngrp[dim]++;
		}
		g[i] = val[k];
	}
	free(key);
	free(val);
	p->ntotal[dim] = n;
	return n;
}

/* The ends of every distinct set of dim, owned by its group, sorted. */
static struct dd_evvec *global_events(struct part *p, enum dd_dim dim)
{
	struct dd_evvec *e;
	size_t na = p->a->n, m = na + p->b->n, *rs, nr = 0, ng;
	bool *done;

	if (p->gev[dim])
		return p->gev[dim];
	if (total_events(p, dim) == (size_t)-1)
		return NULL;
	ng = p->ngrp[dim];
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	p->gev[dim] = e;
	if (!p->gloc) { /* at most one group per box, in any dimension */
		p->gloc = malloc((m + 1) * sizeof(*p->gloc));
		if (!p->gloc)
			return NULL;
		for (size_t i = 0; i < m; i++)
			p->gloc[i] = -1;
	}
	rs = malloc((ng + 2) * sizeof(*rs));
	done = calloc(ng + 1, sizeof(*done));
	if (!rs || !done) {
		free(rs);
		free(done);
		return NULL;
	}
	/* each set's ends are sorted already: merge the runs */
	rs[nr++] = e->n;
	if (dd_push_set(e, &p->sp->dom[dim], DD_DOMAIN_WHO) < 0)
		goto fail;
	for (size_t i = 0; i < m; i++) {
		const struct dd_box *bx = i < na ? &p->a->box[i] : &p->b->box[i - na];
		uint32_t g = p->grp[dim][i];

		if (g == UINT32_MAX || done[g])
			continue;
		done[g] = true;
		rs[nr++] = e->n;
		if (dd_push_set(e, &bx->d[dim], g) < 0)
			goto fail;
	}
	rs[nr] = e->n;
	if (dd_ev_merge_runs(e, rs, nr) < 0)
		goto fail;
	free(rs);
	free(done);
	return e;
fail:
	free(rs);
	free(done);
	return NULL;
}

/* find or make the class of the current box set; NULL when out of memory */
static struct cls *class_of(struct split *s, uint64_t h)
{
	size_t k;
	struct cls *c;

	for (k = h & (s->tabcap - 1); s->tab[k]; k = (k + 1) & (s->tabcap - 1)) {
		c = &s->cls[s->tab[k] - 1];
		if (c->h == h &&
		    memcmp(s->bits + (size_t)(s->tab[k] - 1) * s->words, s->cur,
			   s->words * sizeof(*s->cur)) == 0)
			return c;
	}
	if (s->ncls == s->clscap) {
		size_t nc = s->clscap ? s->clscap * 2 : 16;
		struct cls *nv = realloc(s->cls, nc * sizeof(*nv));
		uint64_t *nb = realloc(s->bits, nc * s->words * sizeof(*nb));

		if (nv)
			s->cls = nv;
		if (nb)
			s->bits = nb;
		if (!nv || !nb)
			return NULL;
		s->clscap = nc;
	}
	c = &s->cls[s->ncls];
	memset(c, 0, sizeof(*c));
	c->h = h;
	memcpy(s->bits + s->ncls * s->words, s->cur, s->words * sizeof(*s->cur));
	s->ncls++;
	s->tab[k] = (uint32_t)s->ncls;
	return c;
}

static int add_seg(struct cls *c, aclf_u128 lo, aclf_u128 hi)
{
	if (c->nseg && c->seg[c->nseg - 1].hi != U128_MAX && c->seg[c->nseg - 1].hi + 1 == lo) {
		c->seg[c->nseg - 1].hi = hi;
		return 0;
	}
	if (c->nseg == c->segcap) {
		size_t nc = c->segcap ? c->segcap * 2 : 4;
		struct dd_ival *nv = realloc(c->seg, nc * sizeof(*nv));

		if (!nv)
			return -1;
		c->seg = nv;
		c->segcap = nc;
	}
	c->seg[c->nseg].lo = lo;
	c->seg[c->nseg].hi = hi;
	c->nseg++;
	return 0;
}

static const struct dd_box *local_box(struct part *p, const uint32_t *la, size_t na,
				      const uint32_t *lb, size_t j)
{
	return j < na ? &p->a->box[la[j]] : &p->b->box[lb[j - na]];
}

/* Group the boxes that are not whole in dim by their set: after interning
 * equal sets share one array, so one set of events serves all of them. The
 * events go to s->e with the group as owner. Returns the number of events,
 * or (size_t)-1 when out of memory. */
static size_t group_local(struct part *p, struct split *s, enum dd_dim dim, const uint32_t *la,
			  size_t na, const uint32_t *lb, size_t nb)
{
	size_t m = na + nb, cap, ng = 0, nev = 2 * p->sp->dom[dim].n;
	const struct dd_ival **key;
	uint32_t *val;

	for (cap = 16; cap < 2 * m; cap *= 2)
		;
	key = calloc(cap, sizeof(*key));
	val = malloc(cap * sizeof(*val));
	if (!key || !val) {
		free(key);
		free(val);
		return (size_t)-1;
	}
	for (size_t j = 0; j < m; j++) {
		const struct dd_box *bx = local_box(p, la, na, lb, j);
		const struct dd_ival *v = bx->d[dim].v;
		size_t k = (size_t)(mix64((uintptr_t)v) & (cap - 1));

		if (bx->full & (1u << dim))
			continue;
		while (key[k] && key[k] != v)
			k = (k + 1) & (cap - 1);
		if (!key[k]) {
			key[k] = v;
			val[k] = (uint32_t)ng;
			s->gfirst[ng] = NONE;
			s->gh[ng] = 0;
			ng++;
			nev += 2 * bx->d[dim].n;
		}
		s->gnext[j] = s->gfirst[val[k]];
		s->gfirst[val[k]] = (uint32_t)j;
		s->gh[val[k]] ^= mix64(j);
	}
	/* the events themselves, once per group */
	for (size_t k = 0; k < cap; k++) {
		if (!key[k])
			continue;
		const struct dd_box *bx = local_box(p, la, na, lb, s->gfirst[val[k]]);

		s->rs[s->nrs++] = s->e.n;
		if (dd_push_set(&s->e, &bx->d[dim], val[k]) < 0) {
			nev = (size_t)-1;
			break;
		}
	}
	free(key);
	free(val);
	return nev;
}

/* a big cut: take the presorted ends of all distinct sets, keep those of
 * this cut's boxes; the boxes of one set are one group */
static int filter_global(struct part *p, struct split *s, enum dd_dim dim, const uint32_t *la,
			 size_t na, const uint32_t *lb, size_t nb)
{
	const struct dd_evvec *g = global_events(p, dim);
	size_t m = na + nb, ng = 0;
	int rc = 0;

	if (!g)
		return -1;
	for (size_t j = 0; j < m; j++) {
		uint32_t gg = p->grp[dim][j < na ? la[j] : p->a->n + lb[j - na]];

		if (gg == UINT32_MAX)
			continue; /* whole in dim: no ends */
		if (p->gloc[gg] < 0) {
			p->gloc[gg] = (int32_t)ng;
			s->gfirst[ng] = NONE;
			s->gh[ng] = 0;
			ng++;
		}
		s->gnext[j] = s->gfirst[p->gloc[gg]];
		s->gfirst[p->gloc[gg]] = (uint32_t)j;
		s->gh[p->gloc[gg]] ^= mix64(j);
	}
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		uint32_t w = g->v[i].who;

		if (w != DD_DOMAIN_WHO) {
			if (p->gloc[w] < 0)
				continue;
			w = (uint32_t)p->gloc[w];
		}
		rc = dd_push_ev(&s->e, g->v[i].pos, w, g->v[i].add);
	}
	for (size_t j = 0; j < m; j++) {
		uint32_t gg = p->grp[dim][j < na ? la[j] : p->a->n + lb[j - na]];

		if (gg != UINT32_MAX)
			p->gloc[gg] = -1;
	}
	return rc;
}

/* Build the classes of dimension `dim` for the boxes la + lb. */
static int sweep(struct part *p, struct split *s, enum dd_dim dim, const uint32_t *la, size_t na,
		 const uint32_t *lb, size_t nb)
{
	size_t m = na + nb, nlocal, total = 0;
	uint64_t h = 0;
	int in_dom = 0;

	s->words = (m + 63) / 64 ? (m + 63) / 64 : 1;
	s->cur = calloc(s->words, sizeof(*s->cur));
	s->gfirst = malloc((m + 1) * sizeof(*s->gfirst));
	s->gnext = malloc((m + 1) * sizeof(*s->gnext));
	s->gh = malloc((m + 1) * sizeof(*s->gh));
	s->rs = malloc((m + 3) * sizeof(*s->rs));
	if (!s->cur || !s->gfirst || !s->gnext || !s->gh || !s->rs)
		return -1;
	for (size_t j = 0; j < m; j++) {
		if (local_box(p, la, na, lb, j)->full & (1u << dim)) {
			s->cur[j / 64] |= 1ull << (j % 64);
			h ^= mix64(j);
		}
	}
	nlocal = group_local(p, s, dim, la, na, lb, nb);
	if (nlocal == (size_t)-1)
		return -1;
	if (nlocal > 256 && (total = total_events(p, dim)) == (size_t)-1)
		return -1;
	if (nlocal > 256 && nlocal * (size_t)(64 - __builtin_clzll(nlocal)) > total) {
		s->e.n = 0;
		if (filter_global(p, s, dim, la, na, lb, nb) < 0)
			return -1;
	} else {
		/* each set's ends are sorted already: merge the runs */
		s->rs[s->nrs++] = s->e.n;
		if (dd_push_set(&s->e, &p->sp->dom[dim], DD_DOMAIN_WHO) < 0)
			return -1;
		s->rs[s->nrs] = s->e.n;
		if (dd_ev_merge_runs(&s->e, s->rs, s->nrs) < 0)
			return -1;
	}
	for (s->tabcap = 16; s->tabcap < 2 * (s->e.n + 2); s->tabcap *= 2)
		;
	s->tab = calloc(s->tabcap, sizeof(*s->tab));
	if (!s->tab)
		return -1;
	for (size_t i = 0; i < s->e.n;) {
		aclf_u128 pos = s->e.v[i].pos, hi;

		for (; i < s->e.n && s->e.v[i].pos == pos; i++) {
			uint32_t w = s->e.v[i].who;

			if (w == DD_DOMAIN_WHO) {
				in_dom += s->e.v[i].add ? 1 : -1;
				continue;
			}
			for (uint32_t j = s->gfirst[w]; j != NONE; j = s->gnext[j])
				s->cur[j / 64] ^= 1ull << (j % 64);
			h ^= s->gh[w];
		}
		hi = i < s->e.n ? s->e.v[i].pos - 1 : U128_MAX;
		if (in_dom > 0) {
			struct cls *c = class_of(s, h);

			if (!c || add_seg(c, pos, hi) < 0)
				return -1;
		}
	}
	return 0;
}

/* The boxes of one side in a class, in rule order, up to the first that
 * covers the child region (the rest are unreachable there). Bits from..to-1
 * of the class set are this side's, for l[0..to-from-1]. */
static size_t collect(const uint64_t *bits, size_t from, size_t to, const uint32_t *l,
		      const struct dd_side *side, unsigned need, uint32_t *out)
{
	size_t n = 0;

	for (size_t w = from / 64; w * 64 < to; w++) {
		uint64_t x = bits[w];

		if (w == from / 64)
			x &= ~0ull << (from % 64);
		while (x) {
			size_t j = w * 64 + (size_t)__builtin_ctzll(x);

			x &= x - 1;
			if (j >= to)
				return n;
			out[n++] = l[j - from];
			if (box_covers(&side->box[l[j - from]], need))
				return n;
		}
	}
	return n;
}

static int split(struct part *p, unsigned done, enum dd_dim dim, const uint32_t *la, size_t na,
		 const uint32_t *lb, size_t nb)
{
	unsigned cneed = ALL_DIMS & ~(done | 1u << dim);
	struct split s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.ca = malloc((na + 1) * sizeof(*s.ca));
	s.cb = malloc((nb + 1) * sizeof(*s.cb));
	if (!s.ca || !s.cb || sweep(p, &s, dim, la, na, lb, nb) < 0) {
		rc = nomem(p);
		goto out;
	}
	rc = 0;
	for (size_t k = 0; k < s.ncls && rc == 0; k++) {
		const uint64_t *bits = s.bits + k * s.words;
		size_t ca = collect(bits, 0, na, la, p->a, cneed, s.ca);
		size_t cb = collect(bits, na, na + nb, lb, p->b, cneed, s.cb);

		p->region[dim].v = s.cls[k].seg;
		p->region[dim].n = s.cls[k].nseg;
		rc = node(p, done | 1u << dim, s.ca, ca, s.cb, cb);
	}
out:
	split_free(&s);
	return rc;
}

/* The dimension to cut next, or -1 when the boxes have no cut left to make.
 * *free gets the dimensions that every box spans whole: no cut needed. */
static int pick_dim(struct part *p, unsigned need, const uint32_t *la, size_t na,
		    const uint32_t *lb, size_t nb, unsigned *free_dims)
{
	size_t full[DD_NDIM] = { 0 }, m = na + nb, best = SIZE_MAX;
	int dim = -1;

	for (size_t j = 0; j < m; j++) {
		unsigned f = local_box(p, la, na, lb, j)->full;

		for (int i = 0; i < DD_NDIM; i++)
			full[i] += (f >> i) & 1u;
	}
	*free_dims = 0;
	for (int k = 0; k < DD_NDIM; k++) {
		enum dd_dim d = prefer[k];

		if (!(need & 1u << d))
			continue;
		if (full[d] == m)
			*free_dims |= 1u << d;
		else if (full[d] < best) {
			best = full[d];
			dim = (int)d;
		}
	}
	return dim;
}

static int node(struct part *p, unsigned done, const uint32_t *la, size_t na, const uint32_t *lb,
		size_t nb)
{
	unsigned need = ALL_DIMS & ~done, ra, rb, free_dims;
	bool fa, fb;
	int rc, dim;

	na = cut_unreachable(p->a, la, na, need);
	nb = cut_unreachable(p->b, lb, nb, need);
	fa = na == 0 || box_covers(&p->a->box[la[0]], need);
	fb = nb == 0 || box_covers(&p->b->box[lb[0]], need);
	if (fa && fb) {
		bool pa = na ? p->a->box[la[0]].permit : p->a->default_permit;
		bool pb = nb ? p->b->box[lb[0]].permit : p->b->default_permit;

		if (pa == pb && !p->all)
			return 0;
		for (int i = 0; i < DD_NDIM; i++)
			if (need & 1u << i)
				p->region[i] = p->sp->dom[i];
		return p->emit(p->ctx, p->sp, p->region, na ? (long)p->a->box[la[0]].rule : -1,
			       nb ? (long)p->b->box[lb[0]].rule : -1, pa, pb);
	}
	ra = reachable_actions(p->a, la, na, need);
	rb = reachable_actions(p->b, lb, nb, need);
	if (ra == rb && (ra == 1 || ra == 2) && !p->all)
		return 0;
	dim = pick_dim(p, need, la, na, lb, nb, &free_dims);
	if (free_dims) { /* nothing to cut there: those dimensions stay whole */
		for (int i = 0; i < DD_NDIM; i++)
			if (free_dims & 1u << i)
				p->region[i] = p->sp->dom[i];
		return node(p, done | free_dims, la, na, lb, nb);
	}
	rc = memo_visit(p, done, la, na, lb, nb);
	if (rc < 0)
		return nomem(p);
	if (rc > 0)
		return 0;
	return split(p, done, (enum dd_dim)dim, la, na, lb, nb);
}

int dd_compare_space(const struct dd_space *sp, const struct dd_side *a, const struct dd_side *b,
		     bool all, dd_emit_fn emit, void *ctx, struct aclf_err *err)
{
	struct part p;
	uint32_t *la, *lb;
	int rc;

	memset(&p, 0, sizeof(p));
	p.sp = sp;
	p.a = a;
	p.b = b;
	p.emit = emit;
	p.ctx = ctx;
	p.all = all;
	p.err = err;
	aclf_arena_init(&p.ar);
	la = malloc((a->n + 1) * sizeof(*la));
	lb = malloc((b->n + 1) * sizeof(*lb));
	if (!la || !lb) {
		rc = nomem(&p);
		goto out;
	}
	for (size_t i = 0; i < a->n; i++)
		la[i] = (uint32_t)i;
	for (size_t i = 0; i < b->n; i++)
		lb[i] = (uint32_t)i;
	rc = node(&p, 0, la, a->n, lb, b->n);
out:
	free(la);
	free(lb);
	free(p.memo);
	for (int i = 0; i < DD_NDIM; i++) {
		if (p.gev[i])
			free(p.gev[i]->v);
		free(p.gev[i]);
		free(p.grp[i]);
	}
	free(p.gloc);
	aclf_arena_release(&p.ar);
	return rc;
}
