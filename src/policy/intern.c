/* Hash-consing of address and port sets (aclforge/intern.h): an index by
 * content hash (aclforge/hash.h) and one by address over the held sets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "aclforge/intern.h"

struct pentry {
	struct aclf_prefix_set set;
	uint64_t h;
};

struct rentry {
	struct aclf_port_set set;
	uint64_t h;
};

struct aclf_intern {
	struct aclf_arena *a;
	struct pentry *ps;
	size_t nps, ps_cap;
	struct rentry *rs;
	size_t nrs, rs_cap;
	struct aclf_htab by_pset, by_pset_addr, by_ports, by_ports_addr;
	size_t prefixes, hits, misses;
};

static uint64_t addr_hash(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	return aclf_hash_add(ACLF_HASH_INIT, &v, sizeof(v));
}

static uint64_t ports_hash(const struct aclf_port_set *x)
{
	uint64_t h = ACLF_HASH_INIT;

	for (size_t i = 0; i < x->n; i++) {
		uint16_t k[2] = { x->v[i].lo, x->v[i].hi };
		h = aclf_hash_add(h, k, sizeof(k));
	}
	return aclf_hash_add(h, &x->n, sizeof(x->n));
}

struct aclf_intern *aclf_intern_new(struct aclf_arena *a)
{
	struct aclf_intern *t = calloc(1, sizeof(*t));

	if (t)
		t->a = a;
	return t;
}

void aclf_intern_free(struct aclf_intern *t)
{
	if (!t)
		return;
	aclf_htab_free(&t->by_pset);
	aclf_htab_free(&t->by_pset_addr);
	aclf_htab_free(&t->by_ports);
	aclf_htab_free(&t->by_ports_addr);
	free(t->ps);
	free(t->rs);
	free(t);
}

static int grow(void **v, size_t n, size_t *cap, size_t elsize)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 64;
	nv = realloc(*v, ncap * elsize);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

bool aclf_intern_owns_pset(const struct aclf_intern *t, const struct aclf_prefix_set *x)
{
	uint64_t h;
	size_t it;

	if (!x->n)
		return true;
	h = addr_hash(x->v);
	for (size_t e = aclf_htab_find(&t->by_pset_addr, h, &it); e != ACLF_HTAB_END;
	     e = aclf_htab_next(&t->by_pset_addr, h, &it))
		if (t->ps[e].set.v == x->v && t->ps[e].set.n == x->n)
			return true;
	return false;
}

bool aclf_intern_owns_ports(const struct aclf_intern *t, const struct aclf_port_set *x)
{
	uint64_t h;
	size_t it;

	if (!x->n)
		return true;
	h = addr_hash(x->v);
	for (size_t e = aclf_htab_find(&t->by_ports_addr, h, &it); e != ACLF_HTAB_END;
	     e = aclf_htab_next(&t->by_ports_addr, h, &it))
		if (t->rs[e].set.v == x->v && t->rs[e].set.n == x->n)
			return true;
	return false;
}

int aclf_intern_pset(struct aclf_intern *t, const struct aclf_prefix_set *x, struct aclf_prefix_set *out)
{
	struct pentry *e;
	uint64_t h;
	size_t it;

	if (!x->n) {
		out->v = NULL;
		out->n = 0;
		return 0;
	}
	if (aclf_intern_owns_pset(t, x)) {
		t->hits++;
		*out = *x;
		return 0;
	}
	h = aclf_pset_hash(x);
	for (size_t i = aclf_htab_find(&t->by_pset, h, &it); i != ACLF_HTAB_END;
	     i = aclf_htab_next(&t->by_pset, h, &it))
		if (aclf_pset_equal(&t->ps[i].set, x)) {
			t->hits++;
			*out = t->ps[i].set;
			return 0;
		}
	if (grow((void **)&t->ps, t->nps, &t->ps_cap, sizeof(*t->ps)) < 0)
		return -1;
	e = &t->ps[t->nps];
	if (aclf_pset_copy(t->a, x, &e->set) < 0)
		return -1;
	e->h = h;
	if (aclf_htab_put(&t->by_pset, h, t->nps) < 0 ||
	    aclf_htab_put(&t->by_pset_addr, addr_hash(e->set.v), t->nps) < 0)
		return -1;
	t->nps++;
	t->misses++;
	t->prefixes += x->n;
	*out = e->set;
	return 0;
}

int aclf_intern_ports(struct aclf_intern *t, const struct aclf_port_set *x, struct aclf_port_set *out)
{
	struct rentry *e;
	uint64_t h;
	size_t it;

	if (!x->n) {
		out->v = NULL;
		out->n = 0;
		return 0;
	}
	if (aclf_intern_owns_ports(t, x)) {
		t->hits++;
		*out = *x;
		return 0;
	}
	h = ports_hash(x);
	for (size_t i = aclf_htab_find(&t->by_ports, h, &it); i != ACLF_HTAB_END;
	     i = aclf_htab_next(&t->by_ports, h, &it))
		if (aclf_ports_equal(&t->rs[i].set, x)) {
			t->hits++;
			*out = t->rs[i].set;
			return 0;
		}
	if (grow((void **)&t->rs, t->nrs, &t->rs_cap, sizeof(*t->rs)) < 0)
		return -1;
	e = &t->rs[t->nrs];
	e->set.v = aclf_arena_alloc_raw(t->a, x->n * sizeof(*x->v));
	if (!e->set.v)
		return -1;
	memcpy(e->set.v, x->v, x->n * sizeof(*x->v));
	e->set.n = x->n;
	e->h = h;
	if (aclf_htab_put(&t->by_ports, h, t->nrs) < 0 ||
	    aclf_htab_put(&t->by_ports_addr, addr_hash(e->set.v), t->nrs) < 0)
		return -1;
	t->nrs++;
	t->misses++;
	*out = e->set;
	return 0;
}

int aclf_intern_pset_merge(struct aclf_intern *t, const struct aclf_prefix *v, size_t n,
			   struct aclf_prefix_set *out)
{
	struct aclf_prefix_set tmp;
	int rc;

	if (aclf_pset_merge(NULL, v, n, &tmp) < 0)
		return -1;
	rc = aclf_intern_pset(t, &tmp, out);
	free(tmp.v);
	return rc;
}

int aclf_intern_ports_merge(struct aclf_intern *t, const struct aclf_port_range *v, size_t n,
			    struct aclf_port_set *out)
{
	struct aclf_port_set tmp;
	int rc;

	if (aclf_ports_merge(NULL, v, n, &tmp) < 0)
		return -1;
	rc = aclf_intern_ports(t, &tmp, out);
	free(tmp.v);
	return rc;
}

void aclf_intern_stats(const struct aclf_intern *t, struct aclf_intern_stats *st)
{
	st->psets = t->nps;
	st->prefixes = t->prefixes;
	st->ports = t->nrs;
	st->hits = t->hits;
	st->misses = t->misses;
}
