/* Catalog rows and site rules -> flows (who sends what to whom). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "compile_int.h"

/* Flows and groups are the compiler's own (malloc, freed when it ends). */
static int grow(void **v, size_t n, size_t *cap, size_t elsize)
{
	void *nv;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? 2 * *cap : 64;
	nv = realloc(*v, nc * elsize);
	if (!nv)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

static int push_flow(struct cctx *c, struct cflow **v, size_t *n, size_t *cap, const struct cflow *f)
{
	if (grow((void **)v, *n, cap, sizeof(**v)) < 0)
		return aclf_err_nomem(c->err);
	(*v)[(*n)++] = *f;
	return 0;
}

/* The ports a row asks for, narrowed by the client media port settings. */
static int row_ports(struct cctx *c, const struct aclf_cat_row *row, struct aclf_port_set *out)
{
	const struct aclf_media_ports *m = &c->topo->media;
	const struct aclf_media_range *r = NULL;
	struct aclf_port_range pr;

	if (row->port_setting == ACLF_PORTS_RPC_DYNAMIC)
		return aclf_intern_ports_merge(c->in, &c->topo->rpc_dynamic, 1, out);
	if (row->port_setting == ACLF_PORTS_SQL) {
		pr.lo = pr.hi = c->topo->sql_port;
		return aclf_intern_ports_merge(c->in, &pr, 1, out);
	}
	if (row->media && c->topo->media_set && m->enabled) {
		if (!strcmp(row->media, "audio"))
			r = &m->audio;
		else if (!strcmp(row->media, "video"))
			r = &m->video;
		else if (!strcmp(row->media, "app_sharing"))
			r = &m->app_sharing;
		else if (!strcmp(row->media, "file_transfer"))
			r = &m->file_transfer;
	}
	if (!r || r->count == 0)
		return aclf_intern_ports_merge(c->in, row->ports.v, row->ports.n, out);
	pr.lo = r->start;
	pr.hi = (uint16_t)(r->start + r->count - 1);
	return aclf_intern_ports_merge(c->in, &pr, 1, out);
}

static int emit(struct cctx *c, const struct aclf_cat_row *row, const struct cpeer *src,
		const struct cpeer *dst, const struct aclf_port_set *ports, bool to_vip)
{
	static const struct {
		unsigned bit;
		int proto;
	} protos[] = { { ACLF_CAT_TCP, ACLF_PROTO_TCP }, { ACLF_CAT_UDP, ACLF_PROTO_UDP } };

	if (!src->addrs.n || !dst->addrs.n)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		struct cflow f;
		if (!(row->protocols & protos[i].bit))
			continue;
		memset(&f, 0, sizeof(f));
		f.proto = protos[i].proto;
		f.src = *src;
		f.dst = *dst;
		f.dports = *ports;
		f.row = row;
		f.action = ACLF_PERMIT;
		f.to_vip = to_vip;
		if (push_flow(c, &c->flows, &c->nflows, &c->flows_cap, &f) < 0)
			return -1;
	}
	return 0;
}

/* Targets of a server/client table row: pools with the role or networks of the kind. */
static int row_targets(struct cctx *c, const struct aclf_cat_row *row, struct cpeer **out, size_t *n)
{
	const struct aclf_topology *t = c->topo;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (row->table == ACLF_TABLE_CLIENT) {
		for (size_t i = 0; i < t->nnetworks; i++) {
			const struct aclf_network *nw = &t->networks[i];
			struct cpeer p;
			if (strcmp(nw->kind, row->role) != 0)
				continue;
			memset(&p, 0, sizeof(p));
			p.name = nw->name;
			p.id = nw;
			if (cc_set(c, &nw->prefixes, &p.addrs) < 0)
				return -1;
			p.objs = aclf_arena_alloc(c->a, sizeof(*p.objs));
			if (!p.objs || !(p.objs[0] = aclf_arena_printf(c->a, "network:%s", nw->name)))
				return aclf_err_nomem(c->err);
			p.nobjs = 1;
			if (aclf_arena_grow(c->a, (void **)out, *n, &cap, sizeof(**out)) < 0)
				return aclf_err_nomem(c->err);
			(*out)[(*n)++] = p;
		}
		return 0;
	}
	for (size_t i = 0; i < t->npools; i++) {
		struct cpeer p;
		if (!cc_pool_has_role(&t->pools[i], row->role))
			continue;
		if (cc_pool_peer(c, &t->pools[i], false, &p) < 0)
			return -1;
		if (aclf_arena_grow(c->a, (void **)out, *n, &cap, sizeof(**out)) < 0)
			return aclf_err_nomem(c->err);
		(*out)[(*n)++] = p;
	}
	return 0;
}

/* A peer class as seen from one pool: gateways talk only to the mediation
 * pools that route to them (*skip: not this pool at all). */
static int class_for(struct cctx *c, const char *cls, const struct aclf_pool *pool, struct cpeer *out,
		     bool *skip)
{
	*skip = false;
	if (pool && !strcmp(cls, "pstn-gateway")) {
		if (!cc_pool_mediation(pool)) {
			*skip = true;
			return 0;
		}
		return cc_gateway_peer(c, pool, out);
	}
	return cc_peer_class(c, cls, out);
}

static int row_flows(struct cctx *c, const struct aclf_cat_row *row)
{
	struct cpeer *targets;
	size_t ntargets;
	struct aclf_port_set ports;

	if (row_ports(c, row, &ports) < 0)
		return aclf_err_nomem(c->err);
	if (row->table == ACLF_TABLE_HLB || row->table == ACLF_TABLE_DNSLB || cc_row_to_vips(row)) {
		enum aclf_lb_mode want = row->table == ACLF_TABLE_HLB ? ACLF_LB_HARDWARE : ACLF_LB_DNS;
		for (size_t i = 0; i < c->topo->npools; i++) {
			const struct aclf_pool *p = &c->topo->pools[i];
			struct cpeer *vip = &c->vip_peers[i];
			/* an extra row reaches the VIPs whatever the site's mode */
			if (!cc_pool_has_role(p, row->role) || !p->vip.n ||
			    (row->table != ACLF_TABLE_EXTRA && cc_pool_mode(c->topo, p) != want))
				continue;
			/* made once per pool, used by every row that reaches its VIP */
			if (!vip->id) {
				vip->name = aclf_arena_printf(c->a, "%s-vip", p->name);
				if (cc_set(c, &p->vip, &vip->addrs) < 0)
					return -1;
				vip->objs = aclf_arena_alloc(c->a, sizeof(*vip->objs));
				if (!vip->name || !vip->objs ||
				    !(vip->objs[0] = aclf_arena_printf(c->a, "pool:%s", p->name)))
					return aclf_err_nomem(c->err);
				vip->nobjs = 1;
				vip->pool = p;
				vip->id = &p->vip;
			}
			for (size_t f = 0; f < row->nfrom; f++) {
				struct cpeer src;
				bool skip;
				if (class_for(c, row->from[f].source, p, &src, &skip) < 0 ||
				    (!skip && emit(c, row, &src, vip, &ports, true) < 0))
					return -1;
			}
		}
		return 0;
	}
	if (row_targets(c, row, &targets, &ntargets) < 0)
		return -1;
	for (size_t t = 0; t < ntargets; t++) {
		if (row->direction == ACLF_CAT_INBOUND) {
			for (size_t f = 0; f < row->nfrom; f++) {
				struct cpeer src;
				if (!strcmp(row->from[f].source, "local"))
					continue; /* the host talks to itself: no network flow */
				if (!strcmp(row->from[f].source, "same-pool")) {
					/* the pool's own servers, each to the others */
					if (cc_pool_peer(c, targets[t].pool, false, &src) < 0 ||
					    emit(c, row, &src, &targets[t], &ports, false) < 0)
						return -1;
					continue;
				}
				bool skip;
				if (class_for(c, row->from[f].source, targets[t].pool, &src, &skip) < 0 ||
				    (!skip && emit(c, row, &src, &targets[t], &ports, false) < 0))
					return -1;
			}
		} else {
			for (size_t f = 0; f < row->nto; f++) {
				struct cpeer dst;
				if (!strcmp(row->to[f].source, "local"))
					continue;
				bool skip;
				if (class_for(c, row->to[f].source, targets[t].pool, &dst, &skip) < 0 ||
				    (!skip && emit(c, row, &targets[t], &dst, &ports, false) < 0))
					return -1;
			}
		}
	}
	return 0;
}

/* Is the row corrected by a row of another catalog (withdraws)? */
static bool withdrawn(const struct aclf_catalog *cat, const struct aclf_cat_row *row)
{
	for (size_t i = 0; i < cat->nrows; i++)
		for (size_t k = 0; k < cat->rows[i].nwithdraws; k++)
			if (!strcmp(cat->rows[i].withdraws[k], row->id))
				return true;
	return false;
}

int cc_catalog_flows(struct cctx *c)
{
	for (size_t i = 0; i < c->cat->nrows; i++) {
		const struct aclf_cat_row *row = &c->cat->rows[i];
		if (row->empty || withdrawn(c->cat, row))
			continue;
		if (row->optional && !c->topo->allow_optional_5060)
			continue;
		if (row->option && !((!strcmp(row->option, "xmpp") && c->topo->opt_xmpp) ||
				     (!strcmp(row->option, "centralized_logging") && c->topo->opt_centralized_logging)))
			continue;
		if (row_flows(c, row) < 0)
			return -1;
	}
	return 0;
}

int cc_site_flows(struct cctx *c)
{
	for (size_t i = 0; i < c->topo->nrules; i++) {
		const struct aclf_topo_rule *r = &c->topo->rules[i];
		struct cflow f;

		memset(&f, 0, sizeof(f));
		if (cc_endpoint(c, r->from, &f.src) < 0 || cc_endpoint(c, r->to, &f.dst) < 0)
			return -1;
		f.proto = r->protocol;
		if (cc_ports(c, &r->ports, &f.dports) < 0)
			return -1;
		f.site = r;
		f.site_index = i;
		f.action = r->action == ACLF_DENY ? ACLF_DENY : ACLF_PERMIT;
		if (push_flow(c, &c->site, &c->nsite, &c->site_cap, &f) < 0)
			return -1;
	}
	return 0;
}

/* Flows of one return group: the same row, protocol and kind of target,
 * the same senders (the same endpoint object: its identity, not its
 * addresses) and the same ports array. */
static bool same_group(const struct cflow *a, const struct cflow *b)
{
	return a->row == b->row && a->proto == b->proto && a->to_vip == b->to_vip && a->src.id == b->src.id &&
	       a->src.addrs.n == b->src.addrs.n && a->dports.v == b->dports.v && a->dports.n == b->dports.n;
}

static uint64_t group_hash(const struct cflow *f)
{
	const void *k[4] = { f->row, f->src.id, f->dports.v, NULL };
	uint64_t h = aclf_hash_add(ACLF_HASH_INIT, k, sizeof(k));
	int v[2] = { f->proto, f->to_vip };

	return aclf_hash_add(h, v, sizeof(v));
}

/* The group of flow f among those made so far, or c->ngroups. */
static size_t find_group(const struct cctx *c, const struct aclf_htab *ix, const struct cflow *f, uint64_t h)
{
	size_t it;

	for (size_t k = aclf_htab_find(ix, h, &it); k != ACLF_HTAB_END; k = aclf_htab_next(ix, h, &it))
		if (same_group(c->groups[k].lead, f))
			return k;
	return c->ngroups;
}

int cc_return_groups(struct cctx *c)
{
	size_t *gid;
	struct aclf_htab ix = ACLF_HTAB_INIT;
	int rc = -1;

	if (!c->nflows)
		return 0;
	gid = calloc(c->nflows, sizeof(*gid));
	if (!gid)
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i < c->nflows; i++) {
		const struct cflow *f = &c->flows[i];
		uint64_t h = group_hash(f);
		size_t k = find_group(c, &ix, f, h);
		if (k == c->ngroups) {
			if (grow((void **)&c->groups, c->ngroups, &c->groups_cap, sizeof(*c->groups)) < 0 ||
			    aclf_htab_put(&ix, h, c->ngroups) < 0)
				goto nomem;
			k = c->ngroups++;
			memset(&c->groups[k], 0, sizeof(c->groups[k]));
			c->groups[k].lead = f;
			c->groups[k].dst_name = f->dst.name;
		} else if (!c->groups[k].by_role && c->groups[k].dst_name != f->dst.name) {
			/* several targets: named after the row's role (the same pools for
			 * every row of that role), once */
			c->groups[k].dst_name = aclf_arena_printf(c->a, "%s%s", f->row->role, f->to_vip ? "-vips" : "");
			if (!c->groups[k].dst_name)
				goto nomem;
			c->groups[k].by_role = true;
		}
		gid[i] = k;
		c->groups[k].nflows++;
	}
	aclf_htab_free(&ix);
	/* one union per group of its flows' (interned) destinations */
	{
		size_t *start = calloc(c->ngroups + 1, sizeof(*start)), *fill;
		const struct aclf_prefix_set **in = malloc(c->nflows * sizeof(*in));
		fill = calloc(c->ngroups ? c->ngroups : 1, sizeof(*fill));
		if (start && in && fill) {
			for (size_t i = 0; i < c->nflows; i++)
				start[gid[i] + 1]++;
			for (size_t k = 0; k < c->ngroups; k++)
				start[k + 1] += start[k];
			for (size_t i = 0; i < c->nflows; i++)
				in[start[gid[i]] + fill[gid[i]]++] = &c->flows[i].dst.addrs;
			rc = 0;
			for (size_t k = 0; k < c->ngroups && rc == 0; k++)
				rc = aclf_setmemo_union(c->memo, in + start[k], start[k + 1] - start[k], &c->groups[k].dst);
		}
		free(start);
		free(in);
		free(fill);
	}
	free(gid);
	if (rc < 0)
		return aclf_err_nomem(c->err);
	return 0;
nomem:
	aclf_htab_free(&ix);
	free(gid);
	return aclf_err_nomem(c->err);
}

/* The UDP ports the flows of the catalog send to addresses of x (x's
 * listening ports), merged. */
static int listening_udp(struct cctx *c, const struct cpeer *x, struct aclf_port_set *out)
{
	struct aclf_port_range *v = NULL;
	size_t n = 0, cap = 0;
	const struct cindex *only = NULL;
	int rc;

	if (x->pool && c->ix.flows_to_pool)
		only = &c->ix.flows_to_pool[x->pool - c->topo->pools];
	for (size_t k = 0; k < (only ? only->n : c->nflows); k++) {
		const struct cflow *f = &c->flows[only ? only->v[k] : k];
		if (f->proto != ACLF_PROTO_UDP || f->to_vip || !aclf_pset_overlaps(&f->dst.addrs, &x->addrs))
			continue;
		if (n + f->dports.n > cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct aclf_port_range *nv;
			while (nc < n + f->dports.n)
				nc *= 2;
			if (!(nv = realloc(v, nc * sizeof(*nv)))) {
				free(v);
				return aclf_err_nomem(c->err);
			}
			v = nv;
			cap = nc;
		}
		memcpy(v + n, f->dports.v, f->dports.n * sizeof(*v));
		n += f->dports.n;
	}
	rc = aclf_intern_ports_merge(c->in, v, n, out);
	free(v);
	return rc < 0 ? aclf_err_nomem(c->err) : 0;
}

int cc_reply_ports(struct cctx *c, const struct cflow *f, struct aclf_port_set *out)
{
	const struct aclf_cat_row *row = f->row;
	const void *id = f->src.id ? f->src.id : f->src.addrs.v;

	if (row && row->source_dynamic)
		return aclf_intern_ports_merge(c->in, &c->topo->rpc_dynamic, 1, out) < 0 ? aclf_err_nomem(c->err) : 0;
	if (row && row->source_ports.n)
		return cc_ports(c, &row->source_ports, out);
	for (size_t i = 0; i < c->nreplies; i++)
		if (c->replies[i].id == id) {
			*out = c->replies[i].ports;
			return 0;
		}
	if (listening_udp(c, &f->src, out) < 0)
		return -1;
	if (!out->n && aclf_intern_ports_merge(c->in, &c->topo->rpc_dynamic, 1, out) < 0)
		return aclf_err_nomem(c->err);
	if (grow((void **)&c->replies, c->nreplies, &c->replies_cap, sizeof(*c->replies)) < 0)
		return aclf_err_nomem(c->err);
	c->replies[c->nreplies].id = id;
	c->replies[c->nreplies].ports = *out;
	c->nreplies++;
	return 0;
}
