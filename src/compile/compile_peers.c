/* Resolving catalog peer classes, pools and site-rule endpoints to
 * addresses, keeping the topology objects for provenance. Every set is
 * interned: the policy holds each distinct set once. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "compile_int.h"

/* Topology sets are looked up by their array first (they do not change
 * while compiling): each is hashed once however many rows use it. */
int cc_set(struct cctx *c, const struct aclf_prefix_set *x, struct aclf_prefix_set *out)
{
	const void *k[2] = { x->v, (const void *)(uintptr_t)x->n };
	uint64_t h = aclf_hash_add(ACLF_HASH_INIT, k, sizeof(k));
	size_t it;

	for (size_t e = aclf_htab_find(&c->topo_sets.idx, h, &it); e != ACLF_HTAB_END;
	     e = aclf_htab_next(&c->topo_sets.idx, h, &it))
		if (c->topo_sets.v[e].from == x->v && c->topo_sets.v[e].set.n == x->n) {
			*out = c->topo_sets.v[e].set;
			return 0;
		}
	if (aclf_intern_pset(c->in, x, out) < 0)
		return aclf_err_nomem(c->err);
	if (c->topo_sets.n == c->topo_sets.cap) {
		size_t nc = c->topo_sets.cap ? 2 * c->topo_sets.cap : 64;
		struct ctopo_set *nv = realloc(c->topo_sets.v, nc * sizeof(*nv));
		if (!nv)
			return aclf_err_nomem(c->err);
		c->topo_sets.v = nv;
		c->topo_sets.cap = nc;
	}
	if (aclf_htab_put(&c->topo_sets.idx, h, c->topo_sets.n) < 0)
		return aclf_err_nomem(c->err);
	c->topo_sets.v[c->topo_sets.n].from = x->v;
	c->topo_sets.v[c->topo_sets.n].set = *out;
	c->topo_sets.n++;
	return 0;
}

int cc_ports(struct cctx *c, const struct aclf_port_set *x, struct aclf_port_set *out)
{
	return aclf_intern_ports(c->in, x, out) < 0 ? aclf_err_nomem(c->err) : 0;
}

/* Addresses gathered from several sets, merged and interned once at the
 * end (not one union per set: a class of n servers costs n log n). */
struct acc {
	struct aclf_prefix *v;
	size_t n, cap;
};

static int acc_add(struct acc *a, const struct aclf_prefix_set *s)
{
	if (a->n + s->n > a->cap) {
		size_t nc = a->cap ? a->cap : 16;
		struct aclf_prefix *nv;
		while (nc < a->n + s->n)
			nc *= 2;
		nv = realloc(a->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		a->v = nv;
		a->cap = nc;
	}
	if (s->n)
		memcpy(a->v + a->n, s->v, s->n * sizeof(*s->v));
	a->n += s->n;
	return 0;
}

/* The merged, interned set; a is emptied. */
static int acc_done(struct cctx *c, struct acc *a, struct aclf_prefix_set *out)
{
	int rc = aclf_intern_pset_merge(c->in, a->v, a->n, out);

	free(a->v);
	memset(a, 0, sizeof(*a));
	return rc < 0 ? aclf_err_nomem(c->err) : 0;
}

/* Append "kind:name" to p's objects. */
static int push_obj(struct cctx *c, struct cpeer *p, size_t *cap, const char *kind, const char *name)
{
	size_t kl = strlen(kind), nl = strlen(name);
	char *o;

	if (aclf_arena_grow(c->a, (void **)&p->objs, p->nobjs, cap, sizeof(*p->objs)) < 0)
		return -1;
	o = aclf_arena_alloc_raw(c->a, kl + nl + 2);
	if (!o)
		return -1;
	memcpy(o, kind, kl);
	o[kl] = ':';
	memcpy(o + kl + 1, name, nl + 1);
	p->objs[p->nobjs++] = o;
	return 0;
}

/* The same unless p has it already. */
static int add_obj(struct cctx *c, struct cpeer *p, size_t *cap, const char *kind, const char *name)
{
	for (size_t i = 0; i < p->nobjs; i++) {
		size_t kl = strlen(kind);
		if (strncmp(p->objs[i], kind, kl) == 0 && p->objs[i][kl] == ':' &&
		    strcmp(p->objs[i] + kl + 1, name) == 0)
			return 0;
	}
	return push_obj(c, p, cap, kind, name);
}

static int pool_peer(struct cctx *c, const struct aclf_pool *pool, bool with_vip, struct cpeer *out)
{
	struct acc acc = { 0 };
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->name = with_vip && pool->vip.n ? aclf_arena_printf(c->a, "%s+vip", pool->name) : pool->name;
	out->pool = pool;
	for (size_t i = 0; i < pool->nservers; i++)
		if (acc_add(&acc, &pool->servers[i].addrs) < 0)
			goto nomem;
	if (with_vip && acc_add(&acc, &pool->vip) < 0)
		goto nomem;
	if (acc_done(c, &acc, &out->addrs) < 0)
		return -1;
	if (!out->name || add_obj(c, out, &cap, "pool", pool->name) < 0)
		return aclf_err_nomem(c->err);
	return 0;
nomem:
	free(acc.v);
	return aclf_err_nomem(c->err);
}

/* A pool's endpoint, resolved once per pool and with_vip when the
 * compiler keeps a memo (c->pool_peers). */
int cc_pool_peer(struct cctx *c, const struct aclf_pool *pool, bool with_vip, struct cpeer *out)
{
	size_t k = 2 * (size_t)(pool - c->topo->pools) + with_vip;

	if (!c->pool_peers)
		return pool_peer(c, pool, with_vip, out);
	if (!c->pool_peer_done[k]) {
		if (pool_peer(c, pool, with_vip, &c->pool_peers[k]) < 0)
			return -1;
		c->pool_peers[k].id = &c->pool_peers[k];
		c->pool_peer_done[k] = true;
	}
	*out = c->pool_peers[k];
	return 0;
}

/* Does a topology pool carry a catalog role (server table roles)? */
bool cc_pool_has_role(const struct aclf_pool *p, const char *r)
{
	if (!strcmp(r, "all-servers"))
		return p->role != ACLF_ROLE_OFFICE_WEB_APPS;
	if (!strcmp(r, "audio-servers"))
		return p->role == ACLF_ROLE_FRONT_END || p->role == ACLF_ROLE_MEDIATION;
	if (!strcmp(r, "front-end") || !strcmp(r, "front-end-lb"))
		return p->role == ACLF_ROLE_FRONT_END;
	if (!strcmp(r, "front-end-collocated-mediation") ||
	    !strcmp(r, "front-end-lb-collocated-mediation"))
		return p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation;
	if (!strcmp(r, "front-end-cms"))
		return p->role == ACLF_ROLE_FRONT_END && p->cms;
	if (!strcmp(r, "director") || !strcmp(r, "director-lb"))
		return p->role == ACLF_ROLE_DIRECTOR;
	if (!strcmp(r, "mediation") || !strcmp(r, "mediation-lb"))
		return p->role == ACLF_ROLE_MEDIATION ||
		       (p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation && !strcmp(r, "mediation"));
	if (!strcmp(r, "persistent-chat"))
		return p->role == ACLF_ROLE_PERSISTENT_CHAT;
	if (!strcmp(r, "office-web-apps"))
		return p->role == ACLF_ROLE_OFFICE_WEB_APPS;
	if (!strcmp(r, "edge-internal"))
		return p->role == ACLF_ROLE_EDGE_INTERNAL;
	if (!strcmp(r, "domain-servers")) /* Windows domain members: the edge stays outside */
		return p->role != ACLF_ROLE_EDGE_INTERNAL;
	if (!strcmp(r, "all-internal-servers")) /* the Lync servers inside: not the edge, not OWA */
		return p->role != ACLF_ROLE_EDGE_INTERNAL && p->role != ACLF_ROLE_OFFICE_WEB_APPS;
	return false;
}

/* An extra row whose role is a load balancer's: it reaches the VIPs. */
bool cc_row_to_vips(const struct aclf_cat_row *row)
{
	return row->table == ACLF_TABLE_EXTRA &&
	       (!strcmp(row->role, "front-end-lb") || !strcmp(row->role, "director-lb"));
}

static bool is_pool_class(const char *cls)
{
	static const char *const pool_classes[] = {
		"front-end", "front-end-cms", "director", "mediation", "persistent-chat",
		"office-web-apps", "edge-internal", "all-internal-servers", NULL,
	};
	for (size_t i = 0; pool_classes[i]; i++)
		if (!strcmp(cls, pool_classes[i]))
			return true;
	return false;
}

/* Resolve a peer class. An empty result (no such objects in the topology)
 * is not an error: the row simply does not apply. */
static int resolve_class(struct cctx *c, const char *cls, struct cpeer *out);

int cc_peer_class(struct cctx *c, const char *cls, struct cpeer *out)
{
	for (size_t i = 0; i < c->nclasses; i++)
		if (!strcmp(c->classes[i].key, cls)) {
			*out = c->classes[i];
			return 0;
		}
	if (resolve_class(c, cls, out) < 0)
		return -1;
	out->key = aclf_arena_strdup(c->a, cls);
	out->id = out->key;
	if (!out->key ||
	    aclf_arena_grow(c->a, (void **)&c->classes, c->nclasses, &c->classes_cap, sizeof(*c->classes)) < 0)
		return aclf_err_nomem(c->err);
	c->classes[c->nclasses++] = *out;
	return 0;
}

static int resolve_class(struct cctx *c, const char *cls, struct cpeer *out)
{
	const struct aclf_topology *t = c->topo;
	size_t cap = 0, n = 0;
	const char *only = NULL;
	struct acc acc = { 0 };

	memset(out, 0, sizeof(*out));
	if (is_pool_class(cls)) {
		const char *role = cls;
		for (size_t i = 0; i < t->npools; i++) {
			const struct aclf_pool *p = &t->pools[i];
			if (!cc_pool_has_role(p, role))
				continue;
			for (size_t s = 0; s < p->nservers; s++)
				if (acc_add(&acc, &p->servers[s].addrs) < 0)
					goto nomem;
			/* pool names are unique: nothing to look for */
			if (push_obj(c, out, &cap, "pool", p->name) < 0)
				goto nomem;
			only = p->name;
			n++;
		}
	} else {
		for (size_t i = 0; i < t->nnetworks; i++) {
			const struct aclf_network *nw = &t->networks[i];
			if (strcmp(nw->kind, cls) != 0)
				continue;
			/* network names are unique: nothing to look for */
			if (acc_add(&acc, &nw->prefixes) < 0 || push_obj(c, out, &cap, "network", nw->name) < 0)
				goto nomem;
			only = nw->name;
			n++;
		}
	}
	out->name = n == 1 ? only : cls;
	return acc_done(c, &acc, &out->addrs);
nomem:
	free(acc.v);
	return aclf_err_nomem(c->err);
}

static int parse_endpoint_prefix(struct cctx *c, const char *ref, struct cpeer *out)
{
	struct aclf_prefix pf;
	size_t cap = 0;

	if (aclf_prefix_parse(ref, &pf, false) < 0)
		return -1;
	if (aclf_intern_pset_merge(c->in, &pf, 1, &out->addrs) < 0 || add_obj(c, out, &cap, "prefix", ref) < 0)
		return aclf_err_nomem(c->err);
	out->name = NULL;
	out->id = out->objs[0];
	return 0;
}

/* Site-rule endpoint: networks.NAME, pools.NAME, servers.NAME, any or a prefix.
 * The topology loader has already checked that the names exist. */
int cc_endpoint(struct cctx *c, const char *ref, struct cpeer *out)
{
	const struct aclf_topology *t = c->topo;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (!strcmp(ref, "any")) {
		struct aclf_prefix any[2];
		aclf_prefix_parse("0.0.0.0/0", &any[0], false);
		aclf_prefix_parse("::/0", &any[1], false);
		if (aclf_intern_pset_merge(c->in, any, 2, &out->addrs) < 0 || add_obj(c, out, &cap, "any", "any") < 0)
			return aclf_err_nomem(c->err);
		out->name = "any";
		out->id = out->objs[0];
		return 0;
	}
	if (!strncmp(ref, "networks.", 9)) {
		const struct aclf_network *nw = aclf_topology_network(t, ref + 9);
		if (nw) {
			if (cc_set(c, &nw->prefixes, &out->addrs) < 0 ||
			    add_obj(c, out, &cap, "network", nw->name) < 0)
				return aclf_err_nomem(c->err);
			out->name = nw->name;
			out->id = nw;
			return 0;
		}
	} else if (!strncmp(ref, "pools.", 6)) {
		const struct aclf_pool *p = cc_pool(c, ref + 6);
		if (p)
			return cc_pool_peer(c, p, true, out);
	} else if (!strncmp(ref, "servers.", 8)) {
		const struct aclf_pool *p = NULL;
		const struct aclf_server *s = aclf_topology_server(t, ref + 8, &p);
		if (s) {
			if (cc_set(c, &s->addrs, &out->addrs) < 0 ||
			    add_obj(c, out, &cap, "server", s->name) < 0)
				return aclf_err_nomem(c->err);
			out->name = s->name;
			out->id = s;
			return 0;
		}
	} else if (parse_endpoint_prefix(c, ref, out) == 0) {
		return 0;
	}
	return aclf_err_set(c->err, ACLF_E_INPUT, "unknown endpoint '%s'", ref);
}

/* What a protects entry guards: its pools (servers and VIPs), servers and networks. */
int cc_protected(struct cctx *c, const struct aclf_protect *pr, struct cpeer *out)
{
	const struct aclf_topology *t = c->topo;
	struct acc acc = { 0 };
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < pr->npools; i++) {
		const struct aclf_pool *p = cc_pool(c, pr->pools[i]);
		struct cpeer pp;
		if (!p) {
			free(acc.v);
			return aclf_err_set(c->err, ACLF_E_INPUT, "unknown pool '%s'", pr->pools[i]);
		}
		if (cc_pool_peer(c, p, true, &pp) < 0) {
			free(acc.v);
			return -1;
		}
		if (acc_add(&acc, &pp.addrs) < 0 || add_obj(c, out, &cap, "pool", p->name) < 0)
			goto nomem;
	}
	for (size_t i = 0; i < pr->nservers; i++) {
		const struct aclf_server *s = aclf_topology_server(t, pr->servers[i], NULL);
		if (!s) {
			free(acc.v);
			return aclf_err_set(c->err, ACLF_E_INPUT, "unknown server '%s'", pr->servers[i]);
		}
		if (acc_add(&acc, &s->addrs) < 0 || add_obj(c, out, &cap, "server", s->name) < 0)
			goto nomem;
	}
	for (size_t i = 0; i < pr->nnetworks; i++) {
		const struct aclf_network *nw = aclf_topology_network(t, pr->networks[i]);
		if (!nw) {
			free(acc.v);
			return aclf_err_set(c->err, ACLF_E_INPUT, "unknown network '%s'", pr->networks[i]);
		}
		if (acc_add(&acc, &nw->prefixes) < 0 || add_obj(c, out, &cap, "network", nw->name) < 0)
			goto nomem;
	}
	return acc_done(c, &acc, &out->addrs);
nomem:
	free(acc.v);
	return aclf_err_nomem(c->err);
}

/* The load-balancing mode of a pool's site (the only site when the pool names none). */
enum aclf_lb_mode cc_pool_mode(const struct aclf_topology *t, const struct aclf_pool *p)
{
	const struct aclf_site *s = NULL;

	if (p->site)
		s = aclf_topology_site(t, p->site);
	else if (t->nsites == 1)
		s = &t->sites[0];
	return s ? s->load_balancing : ACLF_LB_HARDWARE;
}

/* Does the pool run the mediation service (it talks to gateways)? */
bool cc_pool_mediation(const struct aclf_pool *p)
{
	return p->role == ACLF_ROLE_MEDIATION || (p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation);
}

static bool gateway_of(const struct aclf_pool *p, const struct aclf_network *nw)
{
	if (strcmp(nw->kind, "pstn-gateway") != 0)
		return false;
	if (p->ngateways) {
		for (size_t i = 0; i < p->ngateways; i++)
			if (!strcmp(p->gateways[i], nw->name))
				return true;
		return false;
	}
	return !nw->site || !p->site || !strcmp(nw->site, p->site);
}

/* The PSTN gateways that talk to one mediation pool: its `gateways`, or
 * those of its site (and those of no site). One endpoint per pool, made
 * once (c->gw_peers), so its return paths group by pool. */
int cc_gateway_peer(struct cctx *c, const struct aclf_pool *pool, struct cpeer *out)
{
	size_t k = (size_t)(pool - c->topo->pools), cap = 0, n = 0;
	struct cpeer *g = &c->gw_peers[k];
	struct acc acc = { 0 };
	const char *only = NULL;

	if (g->id) {
		*out = *g;
		return 0;
	}
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < c->topo->nnetworks; i++) {
		const struct aclf_network *nw = &c->topo->networks[i];
		if (!gateway_of(pool, nw))
			continue;
		if (acc_add(&acc, &nw->prefixes) < 0 || push_obj(c, g, &cap, "network", nw->name) < 0) {
			free(acc.v);
			return aclf_err_nomem(c->err);
		}
		only = nw->name;
		n++;
	}
	if (acc_done(c, &acc, &g->addrs) < 0)
		return -1;
	g->name = n == 1 ? only : aclf_arena_printf(c->a, "%s-gateways", pool->name);
	if (!g->name)
		return aclf_err_nomem(c->err);
	g->key = "pstn-gateway";
	g->id = g;
	*out = *g;
	return 0;
}
