/* Topology loader: the sorted name indexes of pools, networks and servers,
 * built once the pools are read, and the lookups in them. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/topology.h"
#include "topology_int.h"

static int ix_cmp(const void *a, const void *b)
{
	const struct topo_name_ix *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

static const struct topo_name_ix *ix_find(const struct topo_name_ix *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	/* first entry with this name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name) ? &v[lo] : NULL;
}

const struct aclf_pool *topo_find_pool(struct topo_ctx *c, const char *name, size_t *idx)
{
	const struct topo_name_ix *e = ix_find(c->pool_ix, c->npool_ix, name);

	if (!e)
		return NULL;
	if (idx)
		*idx = e->a;
	return &c->t->pools[e->a];
}

const struct aclf_network *topo_find_network(struct topo_ctx *c, const char *name)
{
	const struct topo_name_ix *e = ix_find(c->net_ix, c->nnet_ix, name);

	return e ? &c->t->networks[e->a] : NULL;
}

const struct aclf_server *topo_find_server(struct topo_ctx *c, const char *name)
{
	const struct topo_name_ix *e = ix_find(c->srv_ix, c->nsrv_ix, name);

	return e ? &c->t->pools[e->a].servers[e->b] : NULL;
}

int topo_index_build(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	size_t ns = 0;

	for (size_t i = 0; i < t->npools; i++)
		ns += t->pools[i].nservers;
	c->pool_ix = calloc(t->npools + 1, sizeof(*c->pool_ix));
	c->net_ix = calloc(t->nnetworks + 1, sizeof(*c->net_ix));
	c->srv_ix = calloc(ns + 1, sizeof(*c->srv_ix));
	if (!c->pool_ix || !c->net_ix || !c->srv_ix)
		return topo_nomem(c);
	for (size_t i = 0; i < t->npools; i++) {
		if (!t->pools[i].name)
			continue;
		c->pool_ix[c->npool_ix].name = t->pools[i].name;
		c->pool_ix[c->npool_ix++].a = i;
		for (size_t s = 0; s < t->pools[i].nservers; s++) {
			if (!t->pools[i].servers[s].name)
				continue;
			c->srv_ix[c->nsrv_ix].name = t->pools[i].servers[s].name;
			c->srv_ix[c->nsrv_ix].a = i;
			c->srv_ix[c->nsrv_ix++].b = s;
		}
	}
	for (size_t i = 0; i < t->nnetworks; i++) {
		if (!t->networks[i].name)
			continue;
		c->net_ix[c->nnet_ix].name = t->networks[i].name;
		c->net_ix[c->nnet_ix++].a = i;
	}
	qsort(c->pool_ix, c->npool_ix, sizeof(*c->pool_ix), ix_cmp);
	qsort(c->net_ix, c->nnet_ix, sizeof(*c->net_ix), ix_cmp);
	qsort(c->srv_ix, c->nsrv_ix, sizeof(*c->srv_ix), ix_cmp);
	return 0;
}
