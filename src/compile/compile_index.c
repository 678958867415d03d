/* Which flows and return groups can give a filter a rule, found without
 * looking at the others: a flow to a pool matters only to filters guarding
 * that pool, and the return path of flows sent by a pool only to filters
 * guarding that pool (pools never share addresses); the others are
 * grouped by their destination (senders) set, checked once per filter. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "compile_int.h"

/* The topology's pools by name, indexed once (aclf_topology_pool scans). */
const struct aclf_pool *cc_pool(struct cctx *c, const char *name)
{
	const struct aclf_topology *t = c->topo;
	uint64_t h;
	size_t it;

	if (!c->pool_names.cap) {
		for (size_t i = 0; i < t->npools; i++)
			if (t->pools[i].name && aclf_htab_put(&c->pool_names, aclf_hash_str(t->pools[i].name), i) < 0) {
				aclf_htab_free(&c->pool_names);
				return aclf_topology_pool(t, name);
			}
		if (!c->pool_names.cap)
			return aclf_topology_pool(t, name);
	}
	if (!name)
		return NULL;
	h = aclf_hash_str(name);
	/* the first pool of that name, as aclf_topology_pool finds it */
	{
		size_t best = SIZE_MAX;
		for (size_t e = aclf_htab_find(&c->pool_names, h, &it); e != ACLF_HTAB_END;
		     e = aclf_htab_next(&c->pool_names, h, &it))
			if (!strcmp(t->pools[e].name, name) && e < best)
				best = e;
		return best == SIZE_MAX ? NULL : &t->pools[best];
	}
}

static int ix_push(struct cindex *x, size_t *cap, size_t v)
{
	if (x->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		size_t *nv = realloc(x->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		x->v = nv;
		*cap = nc;
	}
	x->v[x->n++] = v;
	return 0;
}

/* Lists by pool (pool != NULL) or by set, each ascending. caps are
 * scratch of the same lengths as the lists. */
struct builder {
	struct cindex *by_pool, *by_set;
	size_t *pool_cap, *set_cap;
	const struct aclf_prefix_set **sets;
	size_t nsets, sets_cap;
	struct aclf_htab set_ix;
};

static int add(struct cctx *c, struct builder *b, const struct aclf_pool *pool,
	       const struct aclf_prefix_set *set, size_t i)
{
	uint64_t h;
	size_t it, k;

	if (pool) {
		size_t p = (size_t)(pool - c->topo->pools);
		return ix_push(&b->by_pool[p], &b->pool_cap[p], i);
	}
	h = (uint64_t)(uintptr_t)set->v * 0x9E3779B97F4A7C15ull ^ set->n;
	for (k = aclf_htab_find(&b->set_ix, h, &it); k != ACLF_HTAB_END; k = aclf_htab_next(&b->set_ix, h, &it))
		if (b->sets[k]->v == set->v && b->sets[k]->n == set->n)
			break;
	if (k == ACLF_HTAB_END) {
		if (b->nsets == b->sets_cap) {
			size_t nc = b->sets_cap ? 2 * b->sets_cap : 16;
			const struct aclf_prefix_set **ns = realloc(b->sets, nc * sizeof(*ns));
			struct cindex *nb = realloc(b->by_set, nc * sizeof(*nb));
			size_t *ncap = realloc(b->set_cap, nc * sizeof(*ncap));
			if (ns)
				b->sets = ns;
			if (nb)
				b->by_set = nb;
			if (ncap)
				b->set_cap = ncap;
			if (!ns || !nb || !ncap)
				return -1;
			b->sets_cap = nc;
		}
		k = b->nsets++;
		b->sets[k] = set;
		memset(&b->by_set[k], 0, sizeof(b->by_set[k]));
		b->set_cap[k] = 0;
		if (aclf_htab_put(&b->set_ix, h, k) < 0)
			return -1;
	}
	return ix_push(&b->by_set[k], &b->set_cap[k], i);
}

static int start(struct cctx *c, struct builder *b)
{
	size_t np = c->topo->npools ? c->topo->npools : 1;

	memset(b, 0, sizeof(*b));
	b->by_pool = calloc(np, sizeof(*b->by_pool));
	b->pool_cap = calloc(np, sizeof(*b->pool_cap));
	return b->by_pool && b->pool_cap ? 0 : -1;
}

static void finish(struct builder *b, struct cindex **by_pool, struct cindex **by_set,
		   const struct aclf_prefix_set ***sets, size_t *nsets)
{
	*by_pool = b->by_pool;
	*by_set = b->by_set;
	*sets = b->sets;
	*nsets = b->nsets;
	free(b->pool_cap);
	free(b->set_cap);
	aclf_htab_free(&b->set_ix);
}

static void drop(struct cctx *c, struct builder *b)
{
	for (size_t i = 0; b->by_pool && i < c->topo->npools; i++)
		free(b->by_pool[i].v);
	for (size_t i = 0; i < b->nsets; i++)
		free(b->by_set[i].v);
	free(b->by_pool);
	free(b->by_set);
	free(b->sets);
	free(b->pool_cap);
	free(b->set_cap);
	aclf_htab_free(&b->set_ix);
}

int cc_build_index(struct cctx *c)
{
	struct builder f, g, h;

	memset(&g, 0, sizeof(g));
	memset(&h, 0, sizeof(h));
	if (start(c, &f) < 0 || start(c, &g) < 0 || start(c, &h) < 0)
		goto nomem;
	for (size_t i = 0; i < c->nflows; i++)
		if (add(c, &f, c->flows[i].dst.pool, &c->flows[i].dst.addrs, i) < 0 ||
		    add(c, &h, c->flows[i].src.pool, &c->flows[i].src.addrs, i) < 0)
			goto nomem;
	for (size_t i = 0; i < c->ngroups; i++)
		if (add(c, &g, c->groups[i].lead->src.pool, &c->groups[i].lead->src.addrs, i) < 0)
			goto nomem;
	finish(&f, &c->ix.flows_to_pool, &c->ix.flows_to_set, &c->ix.to_set, &c->ix.nto_set);
	finish(&g, &c->ix.groups_from_pool, &c->ix.groups_from_set, &c->ix.from_set, &c->ix.nfrom_set);
	finish(&h, &c->ix.flows_from_pool, &c->ix.flows_from_set, &c->ix.sender_set, &c->ix.nsender_set);
	return 0;
nomem:
	drop(c, &f);
	drop(c, &g);
	drop(c, &h);
	return aclf_err_nomem(c->err);
}

void cc_free_index(struct cctx *c)
{
	struct cindexes *x = &c->ix;

	for (size_t i = 0; x->flows_to_pool && i < c->topo->npools; i++)
		free(x->flows_to_pool[i].v);
	for (size_t i = 0; x->groups_from_pool && i < c->topo->npools; i++)
		free(x->groups_from_pool[i].v);
	for (size_t i = 0; x->flows_from_pool && i < c->topo->npools; i++)
		free(x->flows_from_pool[i].v);
	for (size_t i = 0; i < x->nsender_set; i++)
		free(x->flows_from_set[i].v);
	for (size_t i = 0; i < x->nto_set; i++)
		free(x->flows_to_set[i].v);
	for (size_t i = 0; i < x->nfrom_set; i++)
		free(x->groups_from_set[i].v);
	free(x->flows_to_pool);
	free(x->groups_from_pool);
	free(x->flows_to_set);
	free(x->groups_from_set);
	free(x->flows_from_pool);
	free(x->flows_from_set);
	free(x->sender_set);
	free(x->to_set);
	free(x->from_set);
	memset(x, 0, sizeof(*x));
	aclf_htab_free(&c->pool_names);
	free(c->bal.start);
	free(c->bal.v);
	memset(&c->bal, 0, sizeof(c->bal));
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The union of the lists of the wanted pools and of the sets meeting prot,
 * ascending (each index is in one list only). */
static int pick(struct cctx *c, const struct cindex *by_pool, const struct cindex *by_set,
		  const struct aclf_prefix_set *const *sets, size_t nsets, size_t total, const size_t *pools,
		  size_t npools, bool all, const struct aclf_prefix_set *prot, size_t **out, size_t *n)
{
	size_t cnt = 0, *v;
	bool *meet = NULL;

	*out = NULL;
	*n = 0;
	if (all) {
		v = malloc((total ? total : 1) * sizeof(*v));
		if (!v)
			return aclf_err_nomem(c->err);
		for (size_t i = 0; i < total; i++)
			v[i] = i;
		*out = v;
		*n = total;
		return 0;
	}
	meet = calloc(nsets ? nsets : 1, sizeof(*meet));
	if (!meet)
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i < npools; i++)
		cnt += by_pool[pools[i]].n;
	for (size_t s = 0; s < nsets; s++) {
		meet[s] = aclf_pset_overlaps(sets[s], prot);
		if (meet[s])
			cnt += by_set[s].n;
	}
	v = malloc((cnt ? cnt : 1) * sizeof(*v));
	if (!v) {
		free(meet);
		return aclf_err_nomem(c->err);
	}
	cnt = 0;
	for (size_t i = 0; i < npools; i++) {
		if (by_pool[pools[i]].n)
			memcpy(v + cnt, by_pool[pools[i]].v, by_pool[pools[i]].n * sizeof(*v));
		cnt += by_pool[pools[i]].n;
	}
	for (size_t s = 0; s < nsets; s++)
		if (meet[s] && by_set[s].n) {
			memcpy(v + cnt, by_set[s].v, by_set[s].n * sizeof(*v));
			cnt += by_set[s].n;
		}
	free(meet);
	qsort(v, cnt, sizeof(*v), size_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

int cc_filter_flows(struct cctx *c, const size_t *pools, size_t npools, bool all,
		    const struct aclf_prefix_set *prot, size_t **out, size_t *n)
{
	return pick(c, c->ix.flows_to_pool, c->ix.flows_to_set, c->ix.to_set, c->ix.nto_set, c->nflows,
		      pools, npools, all, prot, out, n);
}

int cc_filter_groups(struct cctx *c, const size_t *pools, size_t npools, bool all,
		     const struct aclf_prefix_set *prot, size_t **out, size_t *n)
{
	return pick(c, c->ix.groups_from_pool, c->ix.groups_from_set, c->ix.from_set, c->ix.nfrom_set,
		      c->ngroups, pools, npools, all, prot, out, n);
}

int cc_filter_flows_from(struct cctx *c, const size_t *pools, size_t npools, bool all,
			 const struct aclf_prefix_set *prot, size_t **out, size_t *n)
{
	return pick(c, c->ix.flows_from_pool, c->ix.flows_from_set, c->ix.sender_set, c->ix.nsender_set,
		      c->nflows, pools, npools, all, prot, out, n);
}
