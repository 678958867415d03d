/* Phase two of parsing: the model becomes one filter per ACL, in text
 * order, rules in device order. Object-group references are expanded (the
 * group name is kept in src_name/dst_name); an entry with a service
 * object-group becomes one rule per protocol and source-port set. Bindings
 * come from interfaces; an ACL bound at several points is repeated once per
 * binding, and a binding to an ACL that is not defined gives an empty
 * filter with default permit (IOS passes everything then). */
#include <stdio.h>
#include <string.h>

#include "ios_parse.h"

struct bctx {
	struct ios_model *m;
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
	size_t nrule;            /* rules in the current filter */
};

struct piece {
	int proto;
	struct aclf_port_set sports, dports;
	bool dany;               /* dports: any port */
	const char *note;
};

static int addr_set(struct bctx *c, const struct ios_ace *e, const struct ios_addr *a, uint8_t fam,
		    struct aclf_prefix_set *out, const char **name)
{
	struct aclf_prefix *v = NULL;
	size_t n = 0, cap = 0;

	*name = NULL;
	if (a->kind == IOS_ADDR_PREFIX)
		return aclf_pset_merge(&c->pol->arena, &a->p, 1, out) < 0 ? ios_nomem(c->m) : 0;
	if (ios_og_prefixes(c->m, a->group, fam, e->line, a->col, c->m->a, &v, &n, &cap) < 0)
		return -1;
	if (aclf_pset_merge(&c->pol->arena, v, n, out) < 0 ||
	    !(*name = aclf_arena_strdup(&c->pol->arena, a->group)))
		return ios_nomem(c->m);
	return 0;
}

/* Entries of a service group, tcp/udp ports of one protocol and source
 * port set merged. */
static int pieces_of(struct bctx *c, const struct ios_ace *e, uint8_t fam, struct piece **pv,
		     size_t *pn)
{
	const struct ios_og_item **items = NULL;
	size_t n = 0, cap = 0, pcap = 0;

	*pv = NULL;
	*pn = 0;
	if (ios_og_services(c->m, e->svc, fam, e->line, e->svc_col, &items, &n, &cap) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct ios_og_item *it = items[i];
		bool ports = (it->proto == ACLF_PROTO_TCP || it->proto == ACLF_PROTO_UDP) && !it->note;
		struct piece *p = NULL;
		if (ports)
			for (size_t k = 0; k < *pn && !p; k++)
				if ((*pv)[k].proto == it->proto && !(*pv)[k].note &&
				    aclf_ports_equal(&(*pv)[k].sports, &it->sports))
					p = &(*pv)[k];
		if (p) {
			if (!it->dports.n) {
				p->dany = true;
			} else if (!p->dany) {
				struct aclf_port_set u;
				if (aclf_ports_union(c->m->a, &p->dports, &it->dports, &u) < 0)
					return ios_nomem(c->m);
				p->dports = u;
			}
			continue;
		}
		if (aclf_arena_grow(c->m->a, (void **)pv, *pn, &pcap, sizeof(**pv)) < 0)
			return ios_nomem(c->m);
		p = &(*pv)[(*pn)++];
		p->proto = it->proto;
		p->sports = it->sports;
		p->dports = it->dports;
		p->dany = it->dports.n == 0;
		p->note = it->note;
	}
	return 0;
}

static const char *join(struct aclf_arena *a, const char *x, const char *y)
{
	if (!x)
		return y ? aclf_arena_strdup(a, y) : NULL;
	if (!y)
		return aclf_arena_strdup(a, x);
	return aclf_arena_printf(a, "%s; %s", x, y);
}

static int add_rule(struct bctx *c, size_t fi, const struct ios_ace *e, const struct piece *p,
		    size_t npieces, const struct aclf_prefix_set *src, const char *src_name,
		    const struct aclf_prefix_set *dst, const char *dst_name)
{
	struct aclf_arena *a = &c->pol->arena;
	struct aclf_rule *r = aclf_filter_add_rule(c->pol, &c->dp->filters[fi]);
	char ref[32];
	const char *comment;

	if (!r)
		return ios_nomem(c->m);
	r->id = aclf_arena_printf(a, "e%04zu", ++c->nrule);
	r->device_name = e->seq ? aclf_arena_strdup(a, e->seq) : NULL;
	r->action = e->action;
	r->protocol = p->proto;
	r->src = *src;
	r->dst = *dst;
	r->src_name = src_name;
	r->dst_name = dst_name;
	r->established = e->established;
	if (aclf_ports_copy(a, &p->sports, &r->src_ports) < 0 ||
	    (!p->dany && aclf_ports_copy(a, &p->dports, &r->dst_ports) < 0))
		return ios_nomem(c->m);
	/* a counter belongs to the whole entry: exact only for one piece, or 0 */
	r->hits = npieces == 1 || e->hits == 0 ? e->hits : -1;
	comment = join(a, e->remark, e->note);
	if (e->svc) {
		char svc[160];
		snprintf(svc, sizeof(svc), "object-group service %s", e->svc);
		comment = join(a, comment, p->note ? p->note : NULL);
		comment = join(a, comment, svc);
	}
	r->comment = comment;
	snprintf(ref, sizeof(ref), "line %u", e->line);
	if ((e->remark || e->note || e->svc) && !r->comment)
		return ios_nomem(c->m);
	if (aclf_rule_add_prov(c->pol, r, "device", ref) < 0 || !r->id ||
	    (e->seq && !r->device_name))
		return ios_nomem(c->m);
	return 0;
}

static int build_ace(struct bctx *c, size_t fi, const struct ios_acl *acl, const struct ios_ace *e)
{
	struct aclf_prefix_set src, dst;
	const char *sn, *dn;
	struct piece one, *pv = &one;
	size_t pn = 1;

	if (addr_set(c, e, &e->src, acl->family, &src, &sn) < 0 ||
	    addr_set(c, e, &e->dst, acl->family, &dst, &dn) < 0)
		return -1;
	if (e->svc) {
		if (pieces_of(c, e, acl->family, &pv, &pn) < 0)
			return -1;
	} else {
		memset(&one, 0, sizeof(one));
		one.proto = e->proto;
		one.sports = e->sports;
		one.dports = e->dports;
		one.dany = e->dports.n == 0;
	}
	for (size_t i = 0; i < pn; i++)
		if (add_rule(c, fi, e, &pv[i], pn, &src, sn, &dst, dn) < 0)
			return -1;
	return 0;
}

/* IOS ends every list with an implicit deny; an explicit final
 * "permit ip any any" makes the list permit by default. */
static enum aclf_action default_action(const struct aclf_filter *f)
{
	const struct aclf_rule *r;

	if (!f->nrules)
		return ACLF_DENY;
	r = &f->rules[f->nrules - 1];
	if (r->action == ACLF_PERMIT && r->protocol == ACLF_PROTO_ANY && r->src.n == 1 &&
	    r->src.v[0].len == 0 && r->dst.n == 1 && r->dst.v[0].len == 0 && !r->src_ports.n &&
	    !r->dst_ports.n && !r->established)
		return ACLF_PERMIT;
	return ACLF_DENY;
}

/* another filter with the same rules at a further binding */
static int repeat(struct bctx *c, size_t fi, const struct ios_bind *b)
{
	struct aclf_filter *f, *g;
	size_t n;

	if (!(g = aclf_devpol_add_filter(c->pol, c->dp, c->dp->filters[fi].name)))
		return ios_nomem(c->m);
	f = &c->dp->filters[fi];
	n = f->nrules;
	g->default_action = f->default_action;
	if (n) {
		if (!(g->rules = aclf_arena_alloc(&c->pol->arena, n * sizeof(*g->rules))))
			return ios_nomem(c->m);
		memcpy(g->rules, f->rules, n * sizeof(*g->rules));
		for (size_t i = 0; i < n; i++)
			g->rules[i].prov_cap = g->rules[i].nprov;
	}
	g->nrules = g->rules_cap = n;
	g->binding.kind = ACLF_BIND_INTERFACE;
	g->binding.name = aclf_arena_strdup(&c->pol->arena, b->iface);
	g->binding.direction = b->dir;
	return g->binding.name ? 0 : ios_nomem(c->m);
}

static int bind_filter(struct bctx *c, size_t fi, uint8_t fam, const char *name)
{
	bool first = true;

	for (size_t i = 0; i < c->m->nbinds; i++) {
		const struct ios_bind *b = &c->m->binds[i];
		struct aclf_filter *f;
		if (b->family != fam || strcmp(b->acl, name) != 0)
			continue;
		if (!first) {
			if (repeat(c, fi, b) < 0)
				return -1;
			continue;
		}
		first = false;
		f = &c->dp->filters[fi];
		f->binding.kind = ACLF_BIND_INTERFACE;
		f->binding.name = aclf_arena_strdup(&c->pol->arena, b->iface);
		f->binding.direction = b->dir;
		if (!f->binding.name)
			return ios_nomem(c->m);
	}
	return 0;
}

static bool acl_defined(const struct ios_model *m, uint8_t fam, const char *name)
{
	for (size_t i = 0; i < m->nacls; i++)
		if (m->acls[i].family == fam && strcmp(m->acls[i].name, name) == 0)
			return true;
	return false;
}

static int build_all(struct bctx *c)
{
	struct ios_model *m = c->m;

	for (size_t i = 0; i < m->nacls; i++) {
		const struct ios_acl *acl = &m->acls[i];
		size_t fi = c->dp->nfilters;
		if (!aclf_devpol_add_filter(c->pol, c->dp, acl->name))
			return ios_nomem(m);
		c->nrule = 0;
		for (size_t k = 0; k < acl->n; k++)
			if (build_ace(c, fi, acl, &acl->v[k]) < 0)
				return -1;
		c->dp->filters[fi].default_action = default_action(&c->dp->filters[fi]);
		if (bind_filter(c, fi, acl->family, acl->name) < 0)
			return -1;
	}
	/* bound but not defined: IOS filters nothing */
	for (size_t i = 0; i < m->nbinds; i++) {
		const struct ios_bind *b = &m->binds[i];
		struct aclf_filter *f;
		bool done = false;
		if (acl_defined(m, b->family, b->acl))
			continue;
		for (size_t k = 0; k < i && !done; k++)
			done = m->binds[k].family == b->family && strcmp(m->binds[k].acl, b->acl) == 0;
		if (done)
			continue;
		if (!(f = aclf_devpol_add_filter(c->pol, c->dp, b->acl)))
			return ios_nomem(m);
		f->default_action = ACLF_PERMIT;
		if (bind_filter(c, c->dp->nfilters - 1, b->family, b->acl) < 0)
			return -1;
	}
	return 0;
}

int ios_build(struct ios_model *m, const char *name, struct aclf_policy *pol,
	      struct aclf_devpol **out)
{
	size_t saved = pol->ndevices;
	struct bctx c;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.pol = pol;
	if (!(c.dp = aclf_policy_add_device(pol, name, "ios"))) {
		pol->ndevices = saved;
		return ios_nomem(m);
	}
	if (build_all(&c) < 0) {
		/* nothing partial: the device is withdrawn (its memory stays in
		 * the policy arena until the policy is freed) */
		pol->ndevices = saved;
		return -1;
	}
	if (out)
		*out = c.dp;
	return 0;
}
