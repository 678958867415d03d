/* Model -> device policy.
 *
 * Junos keeps IPv4 and IPv6 filters apart (family inet / inet6); the neutral
 * policy has one filter per attachment point. So:
 * - an interface unit + direction with an inet and/or inet6 filter bound
 *   gives one neutral filter (named after the filter, or "A+B" when the two
 *   families bind differently named filters);
 * - a filter bound nowhere gives one unbound neutral filter, joined with the
 *   inet6 filter of the same name if that is unbound too;
 * - the two families' rules are interleaved by term name (each family keeps
 *   its order); terms of the same name whose rules agree in everything but
 *   addresses become one rule with both families' addresses (that is what
 *   junos_render writes for a rule with IPv4 and IPv6 addresses);
 * - the default action is the inet filter's; when the inet6 filter's
 *   differs, a final rule ::/0 -> ::/0 carries it;
 * - at a binding point, a family without a filter passes when the unit has
 *   that family (Junos filters only the families that have one) and is not
 *   processed at all when it has not (Junos drops it): IPv4 makes the
 *   default accept or deny, IPv6 a last rule "no-inet6-filter" (permit
 *   ::/0 -> ::/0) or "no-inet6" (deny) where the default says otherwise.
 *   A filter bound nowhere takes the missing family's default from the
 *   family it has.
 * Rule ids: the term name; "T#2", "T#3" for the further rules of a term
 * that became several; "T-v6" for an inet6 term whose inet namesake did
 * not merge with it; "#N" appended where an id would repeat. */
#include <string.h>

#include "aclforge/err.h"
#include "junos_build.h"


struct nfilter {
	const char *name;
	struct aclf_binding binding;
	enum aclf_action def;
	struct aclf_rule *rules;
	size_t n, cap;
	const struct junos_fconv *fa, *fb;
	long *first_a, *first_b;      /* per term: index of its first rule, -1 none */
	long def_b_rule;
	bool has4, has6;              /* binding point: the unit has family inet / inet6 */
	struct junos_smap ids;              /* rule ids used */
	struct junos_smap groups_a, groups_b; /* term name -> index of its rule group */
	struct junos_smap names_a;          /* every term name of the inet filter */
};

struct nlist {
	struct nfilter *v;
	size_t n, cap;
};

struct group {
	size_t start, count, term;
};

static bool name_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *unique_id(struct aclf_arena *a, const struct nfilter *nf, const char *base)
{
	const char *id = base;

	for (unsigned k = 2; id && junos_smap_get(&nf->ids, id) >= 0; k++)
		id = aclf_arena_printf(a, "%s#%u", base, k);
	return id;
}

static struct aclf_rule *add(struct aclf_arena *a, struct nfilter *nf, const struct aclf_rule *r,
			     const char *base_id)
{
	const char *id = unique_id(a, nf, base_id);
	struct aclf_rule *nr;

	if (!id || aclf_arena_grow(a, (void **)&nf->rules, nf->n, &nf->cap, sizeof(*nf->rules)) < 0 ||
	    junos_smap_put(a, &nf->ids, id, (long)nf->n) < 0)
		return NULL;
	nr = &nf->rules[nf->n++];
	*nr = *r;
	nr->id = id;
	return nr;
}

static int add_prov(struct aclf_arena *a, struct aclf_rule *r, const struct junos_ffilter *f,
		    const char *term)
{
	/* most rules have this one provenance: an array of one first */
	if (!r->prov_cap && (r->prov = aclf_arena_alloc(a, sizeof(*r->prov))))
		r->prov_cap = 1;
	if (aclf_arena_grow(a, (void **)&r->prov, r->nprov, &r->prov_cap, sizeof(*r->prov)) < 0)
		return -1;
	r->prov[r->nprov].kind = "device";
	r->prov[r->nprov].ref = aclf_arena_printf(a, "%s %s term %s",
						  f->family == 4 ? "inet" : "inet6", f->name, term);
	if (!r->prov[r->nprov].ref)
		return -1;
	r->nprov++;
	return 0;
}

static int groups(struct aclf_arena *a, const struct junos_fconv *c, struct group **out, size_t *n)
{
	struct group *g = aclf_arena_alloc(a, (c && c->n ? c->n : 1) * sizeof(*g));

	*n = 0;
	*out = g;
	if (!g)
		return -1;
	for (size_t i = 0; c && i < c->n; i++) {
		if (*n && g[*n - 1].term == c->v[i].term) {
			g[*n - 1].count++;
			continue;
		}
		g[*n].start = i;
		g[*n].count = 1;
		g[*n].term = c->v[i].term;
		(*n)++;
	}
	return 0;
}

static const char *gname(const struct junos_fconv *c, const struct group *g)
{
	return c->f->terms[g->term].name;
}

/* the name is a group of this family at or after position from */
static bool later(const struct junos_smap *groups, size_t from, const char *name)
{
	long g = junos_smap_get(groups, name);

	return g >= 0 && (size_t)g >= from;
}

static bool combinable(const struct aclf_rule *x, const struct aclf_rule *y)
{
	return x->action == y->action && x->protocol == y->protocol &&
	       x->established == y->established && aclf_ports_equal(&x->src_ports, &y->src_ports) &&
	       aclf_ports_equal(&x->dst_ports, &y->dst_ports) && name_eq(x->src_name, y->src_name) &&
	       name_eq(x->dst_name, y->dst_name);
}

/* Emit one group (family b: inet6) alone; other = the other family's conv */
static int emit_group(struct aclf_arena *a, struct nfilter *nf, const struct junos_fconv *c,
		      const struct group *g, bool v6, long *first)
{
	const char *term = gname(c, g), *base = term;

	if (v6 && junos_smap_get(&nf->names_a, term) >= 0)
		base = aclf_arena_printf(a, "%s-v6", term);
	if (!base)
		return -1;
	for (size_t k = 0; k < g->count; k++) {
		const char *id = k ? aclf_arena_printf(a, "%s#%zu", base, k + 1) : base;
		struct aclf_rule *r;
		if (!id)
			return -1;
		r = add(a, nf, &c->v[g->start + k].rule, id);
		if (!r || add_prov(a, r, c->f, term) < 0)
			return -1;
		if (k == 0)
			first[g->term] = (long)(nf->n - 1);
	}
	return 0;
}

static int emit_pair(struct aclf_arena *a, struct nfilter *nf, const struct group *ga,
		     const struct group *gb)
{
	const struct junos_fconv *fa = nf->fa, *fb = nf->fb;
	const char *term = gname(fa, ga);

	for (size_t k = 0; k < ga->count; k++) {
		const struct aclf_rule *x = &fa->v[ga->start + k].rule, *y = &fb->v[gb->start + k].rule;
		const char *id = k ? aclf_arena_printf(a, "%s#%zu", term, k + 1) : term;
		struct aclf_rule *r;
		if (!id)
			return -1;
		r = add(a, nf, x, id);
		if (!r || aclf_pset_union(a, &x->src, &y->src, &r->src) < 0 ||
		    aclf_pset_union(a, &x->dst, &y->dst, &r->dst) < 0 || add_prov(a, r, fa->f, term) < 0)
			return -1;
		if (strcmp(fa->f->name, fb->f->name) && add_prov(a, r, fb->f, term) < 0)
			return -1;
		if (k == 0) {
			nf->first_a[ga->term] = (long)(nf->n - 1);
			nf->first_b[gb->term] = (long)(nf->n - 1);
		}
	}
	return 0;
}

static bool pairable(const struct nfilter *nf, const struct group *ga, const struct group *gb)
{
	if (ga->count != gb->count)
		return false;
	for (size_t k = 0; k < ga->count; k++)
		if (!combinable(&nf->fa->v[ga->start + k].rule, &nf->fb->v[gb->start + k].rule))
			return false;
	return true;
}

static long *term_index(struct aclf_arena *a, const struct junos_fconv *c)
{
	size_t n = c ? c->f->nterms : 0;
	long *v = aclf_arena_alloc(a, (n ? n : 1) * sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		v[i] = -1;
	return v;
}

static int merge(struct aclf_arena *a, struct nfilter *nf)
{
	const struct junos_fconv *fa = nf->fa, *fb = nf->fb;
	bool bound = nf->binding.kind == ACLF_BIND_INTERFACE;
	enum aclf_action def4, def6;
	struct group *ga, *gb;
	size_t na, nb, i = 0, j = 0;

	nf->def_b_rule = -1;
	nf->first_a = term_index(a, fa);
	nf->first_b = term_index(a, fb);
	if (!nf->first_a || !nf->first_b || groups(a, fa, &ga, &na) < 0 || groups(a, fb, &gb, &nb) < 0)
		return -1;
	for (size_t k = 0; k < na; k++)
		if (junos_smap_put(a, &nf->groups_a, gname(fa, &ga[k]), (long)k) < 0)
			return -1;
	for (size_t k = 0; k < nb; k++)
		if (junos_smap_put(a, &nf->groups_b, gname(fb, &gb[k]), (long)k) < 0)
			return -1;
	for (size_t k = 0; fa && k < fa->f->nterms; k++)
		if (junos_smap_put(a, &nf->names_a, fa->f->terms[k].name, (long)k) < 0)
			return -1;
	while (i < na || j < nb) {
		int rc;
		if (i < na && j < nb) {
			const char *an = gname(fa, &ga[i]), *bn = gname(fb, &gb[j]);
			if (!strcmp(an, bn)) {
				if (pairable(nf, &ga[i], &gb[j]))
					rc = emit_pair(a, nf, &ga[i], &gb[j]);
				else
					rc = emit_group(a, nf, fa, &ga[i], false, nf->first_a) ||
					     emit_group(a, nf, fb, &gb[j], true, nf->first_b);
				i++;
				j++;
			} else if (later(&nf->groups_a, i + 1, bn) || !later(&nf->groups_b, j + 1, an)) {
				rc = emit_group(a, nf, fa, &ga[i++], false, nf->first_a);
			} else {
				rc = emit_group(a, nf, fb, &gb[j++], true, nf->first_b);
			}
		} else if (i < na) {
			rc = emit_group(a, nf, fa, &ga[i++], false, nf->first_a);
		} else {
			rc = emit_group(a, nf, fb, &gb[j++], true, nf->first_b);
		}
		if (rc)
			return -1;
	}
	/* at a binding point a family without a filter passes */
	def4 = fa ? fa->def : bound ? (nf->has4 ? ACLF_PERMIT : ACLF_DENY) : fb->def;
	def6 = fb ? fb->def : bound ? (nf->has6 ? ACLF_PERMIT : ACLF_DENY) : fa->def;
	nf->def = def4;
	if (def6 != def4) {
		/* the IPv6 default, as a last rule for IPv6 packets */
		struct aclf_rule r;
		struct aclf_prefix any6;
		const char *term = !fb ? (def6 == ACLF_PERMIT ? "no-inet6-filter" : "no-inet6")
				   : fb->def_term ? fb->def_term->name : "implicit-discard";
		const char *base = junos_smap_get(&nf->names_a, term) >= 0 ? aclf_arena_printf(a, "%s-v6", term)
								     : term;
		struct aclf_rule *nr;
		memset(&r, 0, sizeof(r));
		memset(&any6, 0, sizeof(any6));
		any6.family = 6;
		r.action = def6;
		r.hits = -1;
		r.device_name = fb && fb->def_term ? fb->def_term->name : NULL;
		if (!fb && def6 == ACLF_PERMIT)
			r.comment = aclf_arena_printf(a, "no family inet6 filter %s '%s': IPv6 passes",
						      nf->binding.direction == ACLF_DIR_OUT ? "output" : "input",
						      nf->binding.name);
		else if (!fb)
			r.comment = aclf_arena_printf(a, "no family inet6 on '%s': IPv6 is not processed there",
						      nf->binding.name);
		if (!base || (!fb && !r.comment) || aclf_pset_merge(a, &any6, 1, &r.src) < 0 ||
		    aclf_pset_merge(a, &any6, 1, &r.dst) < 0)
			return -1;
		nr = add(a, nf, &r, base);
		if (!nr)
			return -1;
		if (fb && add_prov(a, nr, fb->f, term) < 0)
			return -1;
		nf->def_b_rule = (long)(nf->n - 1);
	}
	return 0;
}

static struct nfilter *new_nfilter(struct junos_model *m, struct nlist *nl,
				   const struct junos_fconv *fa, const struct junos_fconv *fb,
				   const struct junos_bind *at)
{
	struct aclf_arena *a = &m->arena;
	struct nfilter *nf;

	if (aclf_arena_grow(a, (void **)&nl->v, nl->n, &nl->cap, sizeof(*nl->v)) < 0)
		return NULL;
	nf = &nl->v[nl->n++];
	memset(nf, 0, sizeof(*nf));
	nf->fa = fa;
	nf->fb = fb;
	if (at) {
		nf->binding.kind = ACLF_BIND_INTERFACE;
		nf->binding.name = at->ifname;
		nf->binding.direction = at->dir;
		nf->has4 = junos_model_has_family(m, at->ifname, 4);
		nf->has6 = junos_model_has_family(m, at->ifname, 6);
	}
	if (fa && fb && strcmp(fa->f->name, fb->f->name))
		nf->name = aclf_arena_printf(a, "%s+%s", fa->f->name, fb->f->name);
	else
		nf->name = fa ? fa->f->name : fb->f->name;
	if (!nf->name || merge(a, nf) < 0)
		return NULL;
	return nf;
}

static long conv_of(struct junos_model *m, int family, const char *name)
{
	const struct junos_ffilter *f = junos_model_filter(m, family, name);

	return f ? (long)(f - m->filters) : -1;
}

static bool bound(const struct junos_model *m, const struct junos_ffilter *f)
{
	for (size_t i = 0; i < m->nbinds; i++)
		if (m->binds[i].family == f->family && !strcmp(m->binds[i].filter, f->name))
			return true;
	return false;
}

/* neutral filters in the order the family filters were defined */
static int plan(struct junos_model *m, const struct junos_fconv *conv, struct nlist *nl,
		struct aclf_err *err)
{
	struct aclf_arena *a = &m->arena;
	bool *bdone = aclf_arena_alloc(a, (m->nbinds ? m->nbinds : 1) * sizeof(bool));
	bool *fdone = aclf_arena_alloc(a, (m->nfilters ? m->nfilters : 1) * sizeof(bool));

	if (!bdone || !fdone)
		return aclf_err_nomem(err);
	for (size_t i = 0; i < m->nbinds; i++)
		if (conv_of(m, m->binds[i].family, m->binds[i].filter) < 0)
			return aclf_err_at(err, m->name, m->binds[i].line, m->binds[i].col,
					   "interface '%s' binds filter '%s', which is not defined in family %s",
					   m->binds[i].ifname, m->binds[i].filter,
					   m->binds[i].family == 4 ? "inet" : "inet6");
	for (size_t fi = 0; fi < m->nfilters; fi++) {
		const struct junos_ffilter *f = &m->filters[fi];
		for (size_t i = 0; i < m->nbinds; i++) {
			const struct junos_bind *b = &m->binds[i], *o = NULL;
			const struct junos_fconv *c4 = NULL, *c6 = NULL;
			struct nfilter *nf;
			if (bdone[i] || b->family != f->family || strcmp(b->filter, f->name))
				continue;
			bdone[i] = true;
			for (size_t k = 0; k < m->nbinds; k++)
				if (!bdone[k] && m->binds[k].dir == b->dir &&
				    !strcmp(m->binds[k].ifname, b->ifname)) {
					o = &m->binds[k];
					bdone[k] = true;
				}
			if (b->family == 4) {
				c4 = &conv[fi];
				c6 = o ? &conv[conv_of(m, 6, o->filter)] : NULL;
			} else {
				c6 = &conv[fi];
				c4 = o ? &conv[conv_of(m, 4, o->filter)] : NULL;
			}
			nf = new_nfilter(m, nl, c4, c6, b);
			if (!nf)
				return aclf_err_nomem(err);
		}
		if (!fdone[fi] && !bound(m, f)) {
			long other = conv_of(m, f->family == 4 ? 6 : 4, f->name);
			const struct junos_fconv *oc = NULL;
			if (other >= 0 && !bound(m, &m->filters[other]) && !fdone[other]) {
				oc = &conv[other];
				fdone[other] = true;
			}
			fdone[fi] = true;
			if (!new_nfilter(m, nl, f->family == 4 ? &conv[fi] : oc,
					 f->family == 4 ? oc : &conv[fi], NULL))
				return aclf_err_nomem(err);
		}
	}
	return 0;
}

static int counter_entries(struct junos_cmap *cmap, const struct nfilter *nf, size_t fidx)
{
	const struct junos_fconv *cs[2] = { nf->fa, nf->fb };

	for (int k = 0; k < 2; k++) {
		const struct junos_fconv *c = cs[k];
		const long *first = k ? nf->first_b : nf->first_a;
		for (size_t ti = 0; c && ti < c->f->nterms; ti++) {
			const struct junos_term *t = &c->f->terms[ti];
			long ridx;
			if (!t->count)
				continue;
			if (first[ti] >= 0)
				ridx = first[ti];
			else if (t == c->def_term)
				ridx = (k && nf->def_b_rule >= 0) ? nf->def_b_rule : -1;
			else
				continue; /* a term that never matches */
			if (junos_cmap_add(cmap, c->f->name, t->count, fidx, ridx) < 0)
				return -1;
		}
	}
	return 0;
}

static int copy_rule(struct aclf_policy *pol, struct aclf_filter *f, const struct aclf_rule *r)
{
	struct aclf_arena *a = &pol->arena;
	struct aclf_rule *d = aclf_filter_add_rule(pol, f);

	if (!d)
		return -1;
	d->id = aclf_arena_strdup(a, r->id);
	d->device_name = r->device_name ? aclf_arena_strdup(a, r->device_name) : NULL;
	d->action = r->action;
	d->protocol = r->protocol;
	d->src_name = r->src_name ? aclf_arena_strdup(a, r->src_name) : NULL;
	d->dst_name = r->dst_name ? aclf_arena_strdup(a, r->dst_name) : NULL;
	d->established = r->established;
	d->comment = r->comment ? aclf_arena_strdup(a, r->comment) : NULL;
	d->opaque = r->opaque ? aclf_arena_strdup(a, r->opaque) : NULL;
	d->raw = r->raw ? aclf_arena_strdup(a, r->raw) : NULL;
	d->hits = -1;
	if (!d->id || (r->device_name && !d->device_name) || (r->src_name && !d->src_name) ||
	    (r->dst_name && !d->dst_name) || (r->comment && !d->comment) ||
	    (r->opaque && !d->opaque) || (r->raw && !d->raw) ||
	    aclf_pset_copy(a, &r->src, &d->src) < 0 || aclf_pset_copy(a, &r->dst, &d->dst) < 0 ||
	    aclf_ports_copy(a, &r->src_ports, &d->src_ports) < 0 ||
	    aclf_ports_copy(a, &r->dst_ports, &d->dst_ports) < 0)
		return -1;
	if (r->nprov && !(d->prov = aclf_arena_alloc(a, r->nprov * sizeof(*d->prov))))
		return -1;
	d->prov_cap = r->nprov; /* sized once (the arena's arrays start at eight) */
	for (size_t i = 0; i < r->nprov; i++)
		if (aclf_rule_add_prov(pol, d, r->prov[i].kind, r->prov[i].ref) < 0)
			return -1;
	return 0;
}

int junos_model_build(struct junos_model *m, const char *name, struct aclf_policy *pol,
		      struct aclf_devpol **out, struct junos_cmap *cmap, struct aclf_err *err)
{
	struct junos_fconv *conv;
	struct nlist nl = { 0 };
	struct aclf_devpol *dp;

	conv = aclf_arena_alloc(&m->arena, (m->nfilters ? m->nfilters : 1) * sizeof(*conv));
	if (!conv)
		return aclf_err_nomem(err);
	for (size_t i = 0; i < m->nfilters; i++)
		if (junos_convert_filter(m, &m->filters[i], &conv[i], err) < 0)
			return -1;
	if (plan(m, conv, &nl, err) < 0)
		return -1;
	dp = aclf_policy_add_device(pol, name, "junos");
	if (!dp)
		goto nomem;
	for (size_t i = 0; i < nl.n; i++) {
		const struct nfilter *nf = &nl.v[i];
		struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, nf->name);
		if (!f)
			goto nomem;
		f->default_action = nf->def;
		f->binding.kind = nf->binding.kind;
		f->binding.direction = nf->binding.direction;
		if (nf->binding.name && !(f->binding.name = aclf_arena_strdup(&pol->arena, nf->binding.name)))
			goto nomem;
		/* the filter's rules sized once, not grown by doubling */
		if (nf->n && !(f->rules = aclf_arena_alloc(&pol->arena, nf->n * sizeof(*f->rules))))
			goto nomem;
		f->rules_cap = nf->n;
		for (size_t k = 0; k < nf->n; k++)
			if (copy_rule(pol, f, &nf->rules[k]) < 0)
				goto nomem;
		if (cmap && counter_entries(cmap, nf, i) < 0)
			goto nomem;
	}
	*out = dp;
	return 0;
nomem:
	return aclf_err_nomem(err);
}
