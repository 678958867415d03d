/* Warnings for the site's own rules: shadowed (never decides a packet
 * because earlier rules already do) or redundant (the filter decides the
 * same without it: the catalog rules permit it anyway, or the default action
 * denies it anyway), each with what decides its packets instead, found by
 * meaning with the semantic diff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/diff.h"
#include "compile_int.h"

static const char *site_ref(const struct aclf_rule *r)
{
	for (size_t i = 0; i < r->nprov; i++)
		if (!strcmp(r->prov[i].kind, "topology-rule"))
			return r->prov[i].ref;
	return NULL;
}

static const char *first_catalog(const struct aclf_rule *r)
{
	for (size_t i = 0; i < r->nprov; i++)
		if (!strcmp(r->prov[i].kind, "catalog"))
			return r->prov[i].ref;
	return NULL;
}

static bool ports_meet(const struct aclf_port_set *a, const struct aclf_port_set *b)
{
	if (!a->n || !b->n)
		return true;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (a->v[i].lo <= b->v[j].hi && b->v[j].lo <= a->v[i].hi)
				return true;
	return false;
}

static bool psets_meet(const struct aclf_prefix_set *a, const struct aclf_prefix_set *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (aclf_prefix_contains(&a->v[i], &b->v[j]) || aclf_prefix_contains(&b->v[j], &a->v[i]))
				return true;
	return false;
}

static bool rules_meet(const struct aclf_rule *a, const struct aclf_rule *b)
{
	if (a->protocol && b->protocol && a->protocol != b->protocol)
		return false;
	return psets_meet(&a->src, &b->src) && psets_meet(&a->dst, &b->dst) &&
	       ports_meet(&a->dst_ports, &b->dst_ports) && ports_meet(&a->src_ports, &b->src_ports);
}

/* Does removing rule k change what the filter (with default `def`) permits? */
static int decides_nothing(const struct aclf_filter *f, size_t k, size_t upto, enum aclf_action def,
			   struct aclf_err *err)
{
	struct aclf_filter with, without;
	struct aclf_rule *v;
	struct aclf_diff d;
	int rc;

	v = malloc((upto ? upto : 1) * sizeof(*v));
	if (!v)
		return aclf_err_nomem(err);
	memset(&with, 0, sizeof(with));
	with.rules = f->rules;
	with.nrules = upto;
	with.default_action = def;
	without = with;
	memcpy(v, f->rules, k * sizeof(*v));
	memcpy(v + k, f->rules + k + 1, (upto - k - 1) * sizeof(*v));
	without.rules = v;
	without.nrules = upto - 1;
	aclf_diff_init(&d);
	rc = aclf_diff_filters(&with, &without, &d, 1, err);
	if (rc == 0)
		rc = d.n == 0 ? 1 : 0;
	aclf_diff_release(&d);
	free(v);
	return rc;
}

/* Without rule k, does rule j (or the default action, j == f->nrules)
 * decide some packet of rule k? By meaning: with P the rules before j but
 * k, all made denies, the filters P + [j deny] + [k permit] and
 * P + [k permit] differ exactly when j is the first match of some packet
 * k matches (for the default: P + [k permit] and P). va and vb hold
 * f->nrules + 1 rules each. Returns 1, 0 or -1. */
static int decides_some(const struct aclf_filter *f, size_t k, size_t j, struct aclf_rule *va,
			struct aclf_rule *vb, struct aclf_err *err)
{
	struct aclf_filter a, b;
	struct aclf_diff d;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < j; i++) {
		if (i == k)
			continue;
		va[n] = f->rules[i];
		va[n].action = ACLF_DENY;
		vb[n] = va[n];
		n++;
	}
	memset(&a, 0, sizeof(a));
	a.default_action = ACLF_DENY;
	b = a;
	a.rules = va;
	b.rules = vb;
	if (j < f->nrules) {
		va[n] = f->rules[j];
		va[n].action = ACLF_DENY;
		va[n + 1] = f->rules[k];
		va[n + 1].action = ACLF_PERMIT;
		vb[n] = va[n + 1];
		a.nrules = n + 2;
		b.nrules = n + 1;
	} else {
		va[n] = f->rules[k];
		va[n].action = ACLF_PERMIT;
		a.nrules = n + 1;
		b.nrules = n;
	}
	aclf_diff_init(&d);
	rc = aclf_diff_filters(&a, &b, &d, 1, err);
	if (rc == 0)
		rc = d.n != 0;
	aclf_diff_release(&d);
	return rc;
}

static const char *dup(struct aclf_warnings *w, const char *s)
{
	return s ? aclf_arena_strdup(&w->arena, s) : NULL;
}

static int add_rule(struct aclf_warnings *w, struct aclf_warning *x, size_t *cap,
		    const struct aclf_filter *f, size_t j)
{
	struct aclf_warning_rule *r;

	if (aclf_arena_grow(&w->arena, (void **)&x->rules, x->nrules, cap, sizeof(*x->rules)) < 0)
		return -1;
	r = &x->rules[x->nrules++];
	memset(r, 0, sizeof(*r));
	if (j == f->nrules) {
		r->is_default = true;
		r->action = f->default_action;
		return 0;
	}
	r->action = f->rules[j].action;
	r->catalog = dup(w, first_catalog(&f->rules[j]));
	r->site_rule = r->catalog ? NULL : dup(w, site_ref(&f->rules[j]));
	return (r->id = dup(w, f->rules[j].id)) ? 0 : -1;
}

/* The rules that decide rule k's packets when k is left out (the earlier
 * ones for a shadowed rule), and the default action when it decides some,
 * into x->rules. Only rules that meet k can; each is confirmed by meaning,
 * so a rule covered by the union of several is named with all of them and
 * a rule that only overlaps k is not named. */
static int name_rules(struct aclf_warnings *w, struct aclf_warning *x, const struct aclf_filter *f,
		      size_t k, bool shadowed, struct aclf_err *err)
{
	struct aclf_rule *va = malloc((f->nrules + 1) * sizeof(*va));
	struct aclf_rule *vb = malloc((f->nrules + 1) * sizeof(*vb));
	/* a shadowed rule's packets are all decided before it */
	size_t cap = 0, end = shadowed ? k : f->nrules + 1;
	int rc = va && vb ? 0 : aclf_err_nomem(err);

	for (size_t j = 0; j < end && rc == 0; j++) {
		int some;
		if (j == k || (j < f->nrules && !rules_meet(&f->rules[k], &f->rules[j])))
			continue;
		some = decides_some(f, k, j, va, vb, err);
		if (some < 0)
			rc = -1;
		else if (some && add_rule(w, x, &cap, f, j) < 0)
			rc = aclf_err_nomem(err);
	}
	free(va);
	free(vb);
	return rc;
}

static int warn(struct cctx *c, const struct aclf_devpol *dp, const struct aclf_filter *f, size_t k,
		const struct aclf_topo_rule *tr, const char *ref, bool shadowed)
{
	struct aclf_warnings *w = c->warn;
	struct aclf_warning *x;

	if (aclf_arena_grow(&w->arena, (void **)&w->v, w->n, &w->cap, sizeof(*w->v)) < 0)
		goto nomem;
	x = &w->v[w->n];
	memset(x, 0, sizeof(*x));
	x->kind = shadowed ? ACLF_WARN_SHADOWED : ACLF_WARN_REDUNDANT;
	x->line = tr->pos.line;
	x->col = tr->pos.col;
	x->action = f->rules[k].action;
	if (!(x->file = dup(w, c->topo->path ? c->topo->path : "<topology>")) ||
	    !(x->site_rule = dup(w, ref)) || !(x->from = dup(w, tr->from)) || !(x->to = dup(w, tr->to)) ||
	    !(x->device = dup(w, dp->name)) || !(x->filter = dup(w, f->name)))
		goto nomem;
	if (name_rules(w, x, f, k, shadowed, c->err) < 0)
		return -1;
	w->n++;
	return 0;
nomem:
	return aclf_err_nomem(c->err);
}

int cc_check_site_rules(struct cctx *c, const struct aclf_devpol *dp)
{
	for (size_t fi = 0; fi < dp->nfilters; fi++) {
		const struct aclf_filter *f = &dp->filters[fi];
		for (size_t k = 0; k < f->nrules; k++) {
			const struct aclf_rule *r = &f->rules[k];
			const char *ref = site_ref(r);
			const struct aclf_topo_rule *tr;
			enum aclf_action opp;
			int shadowed, redundant = 0;

			if (!ref || first_catalog(r))
				continue;
			tr = &c->topo->rules[strtoul(ref, NULL, 10) - 1];
			opp = r->action == ACLF_PERMIT ? ACLF_DENY : ACLF_PERMIT;
			shadowed = decides_nothing(f, k, k + 1, opp, c->err);
			if (shadowed < 0)
				return -1;
			if (!shadowed) {
				redundant = decides_nothing(f, k, f->nrules, f->default_action, c->err);
				if (redundant < 0)
					return -1;
			}
			if (!shadowed && !redundant)
				continue;
			if (warn(c, dp, f, k, tr, ref, shadowed) < 0)
				return -1;
		}
	}
	return 0;
}
