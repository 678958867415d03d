/* Phase two of parsing, part two: filters from the rules of each ACL.
 *
 * IOS filters a packet at an interface with the IPv4 list of
 * `ip access-group` or the IPv6 list of `ipv6 traffic-filter`, whichever
 * matches its family, and passes it when that family has no list (or the
 * list named is not defined). So each binding point (interface and
 * direction) becomes ONE filter: the IPv4 list's rules, then the IPv6
 * list's rules; a family without a list gets one rule "permit any any" of
 * that family (comment says why). The default is permit only when both
 * families end in "permit any any", otherwise deny (IOS's implicit deny).
 * That is the meaning of the point, comparable with a policy whose rules
 * mix families.
 *
 * Name of such a filter: the IPv4 list's name when the IPv6 list is absent
 * or named NAME-V6 (what ios_render writes), "V4+V6" for two unrelated
 * names, the IPv6 list's name when there is no IPv4 list.
 *
 * Lists bound nowhere (show access-lists output has no interfaces) are
 * filters of their own without binding, except that an IPv4 list NAME and
 * an IPv6 list NAME-V6 are joined as above. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "ios_parse.h"

struct point {
	const char *iface;
	enum aclf_direction dir;
	const char *v4, *v6;     /* list names bound, NULL = none */
};

struct jctx {
	struct ios_model *m;
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
	struct aclf_filter *acl; /* rules per ACL, index as m->acls */
	bool *used;
};

static long find_acl(struct ios_model *m, uint8_t fam, const char *name)
{
	return ios_acl_index(m, fam, name); /* hashed: linear over many lists */
}

static bool is_v6_name_of(const char *v6, const char *v4)
{
	size_t n = strlen(v4);

	return strncmp(v6, v4, n) == 0 && strcmp(v6 + n, IOS_V6_SUFFIX) == 0;
}

/* Room for extra more rules in filter fi, allocated once at its size (an
 * array grown by doubling would leave its old copies in the arena). */
static int reserve(struct jctx *c, size_t fi, size_t extra)
{
	struct aclf_filter *f = &c->dp->filters[fi];
	struct aclf_rule *v;

	if (f->rules_cap - f->nrules >= extra)
		return 0;
	if (!(v = aclf_arena_alloc(&c->pol->arena, (f->nrules + extra) * sizeof(*v))))
		return aclf_err_nomem(c->m->err);
	if (f->nrules)
		memcpy(v, f->rules, f->nrules * sizeof(*v));
	f->rules = v;
	f->rules_cap = f->nrules + extra;
	return 0;
}

/* the rules one family of a point adds: the list's, or one pass rule */
static size_t family_rules(struct jctx *c, uint8_t fam, const char *name)
{
	long k = find_acl(c->m, fam, name);

	return k >= 0 ? c->acl[k].nrules : 1;
}

/* The first filter to use list k, when it starts with the list and the
 * list's array has room for the rest (extra rules), takes the array
 * itself: no copy. Later users copy its first nrules, which the filter
 * does not change but for the ids number_rules gives (each copy is
 * numbered again). */
static void adopt(struct jctx *c, size_t fi, long k, bool first, size_t extra)
{
	struct aclf_filter *f = &c->dp->filters[fi];
	const struct aclf_filter *from = k >= 0 ? &c->acl[k] : NULL;

	if (!from || !first || f->nrules || f->rules || !from->rules ||
	    from->rules_cap - from->nrules < extra)
		return;
	f->rules = from->rules;
	f->rules_cap = from->rules_cap;
}

/* copies of the ACL's rules (prov arrays shared, never grown in place) */
static int append_rules(struct jctx *c, size_t fi, const struct aclf_filter *from)
{
	struct aclf_filter *f = &c->dp->filters[fi];

	if (f->rules && f->rules == from->rules && f->nrules == 0) {
		f->nrules = from->nrules; /* adopted */
		return 0;
	}
	if (reserve(c, fi, from->nrules) < 0)
		return -1;
	for (size_t i = 0; i < from->nrules; i++) {
		struct aclf_rule *r = aclf_filter_add_rule(c->pol, &c->dp->filters[fi]);
		if (!r)
			return aclf_err_nomem(c->m->err);
		*r = from->rules[i];
		r->prov_cap = r->nprov;
	}
	return 0;
}

static int append_pass(struct jctx *c, size_t fi, uint8_t fam, const char *why)
{
	struct aclf_prefix all;
	struct aclf_rule *r = aclf_filter_add_rule(c->pol, &c->dp->filters[fi]);

	if (!r)
		return aclf_err_nomem(c->m->err);
	memset(&all, 0, sizeof(all));
	all.family = fam;
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_ANY;
	r->comment = aclf_arena_strdup(&c->pol->arena, why);
	if (!r->comment || aclf_pset_merge(&c->pol->arena, &all, 1, &r->src) < 0 ||
	    aclf_pset_merge(&c->pol->arena, &all, 1, &r->dst) < 0 ||
	    aclf_rule_add_prov(c->pol, r, "device", IOS_PROV_IMPLICIT) < 0)
		return aclf_err_nomem(c->m->err);
	return 0;
}

static int number_rules(struct jctx *c, size_t fi)
{
	struct aclf_filter *f = &c->dp->filters[fi];

	for (size_t i = 0; i < f->nrules; i++)
		if (!(f->rules[i].id = aclf_arena_printf(&c->pol->arena, "e%04zu", i + 1)))
			return aclf_err_nomem(c->m->err);
	return 0;
}

/* one family of a binding point; *covered: every packet of the family is
 * decided by a rule */
static int append_family(struct jctx *c, size_t fi, uint8_t fam, const char *name, bool *covered)
{
	long k = find_acl(c->m, fam, name);
	char why[160];

	if (k >= 0) {
		c->used[k] = true;
		*covered = ios_ends_permit_any(&c->acl[k], fam);
		return append_rules(c, fi, &c->acl[k]);
	}
	*covered = true;
	if (name)
		snprintf(why, sizeof(why), "%s list '%s' is not defined: %s passes",
			 fam == 4 ? "ip" : "ipv6", name, fam == 4 ? "ipv4" : "ipv6");
	else
		snprintf(why, sizeof(why), "%s: %s passes", fam == 4 ? IOS_NOTE_NO_V4 : IOS_NOTE_NO_V6,
			 fam == 4 ? "ipv4" : "ipv6");
	return append_pass(c, fi, fam, why);
}

static const char *joined_name(struct jctx *c, const char *v4, const char *v6)
{
	if (!v4)
		return v6;
	if (!v6 || is_v6_name_of(v6, v4))
		return v4;
	return aclf_arena_printf(&c->pol->arena, "%s+%s", v4, v6);
}

static int emit_point(struct jctx *c, const struct point *p)
{
	const char *name = joined_name(c, p->v4, p->v6);
	size_t fi = c->dp->nfilters;
	struct aclf_filter *f;
	bool c4, c6;
	long k4;

	if (!name || !(f = aclf_devpol_add_filter(c->pol, c->dp, name)))
		return aclf_err_nomem(c->m->err);
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = aclf_arena_strdup(&c->pol->arena, p->iface);
	f->binding.direction = p->dir;
	k4 = find_acl(c->m, 4, p->v4);
	adopt(c, fi, k4, k4 >= 0 && !c->used[k4], family_rules(c, 6, p->v6));
	if (reserve(c, fi, family_rules(c, 4, p->v4) + family_rules(c, 6, p->v6)) < 0)
		return -1;
	if (!f->binding.name || append_family(c, fi, 4, p->v4, &c4) < 0 ||
	    append_family(c, fi, 6, p->v6, &c6) < 0)
		return -1;
	c->dp->filters[fi].default_action = c4 && c6 ? ACLF_PERMIT : ACLF_DENY;
	return number_rules(c, fi);
}

/* lists bound nowhere: one filter each, NAME and NAME-V6 joined */
static int emit_unbound(struct jctx *c)
{
	struct ios_model *m = c->m;

	for (size_t i = 0; i < m->nacls; i++) {
		size_t fi = c->dp->nfilters;
		long pair = -1;
		if (c->used[i])
			continue;
		c->used[i] = true;
		if (m->acls[i].family == 4) {
			char v6[512];
			snprintf(v6, sizeof(v6), "%s%s", m->acls[i].name, IOS_V6_SUFFIX);
			pair = find_acl(m, 6, v6);
			if (pair >= 0 && c->used[pair])
				pair = -1;
		}
		if (!aclf_devpol_add_filter(c->pol, c->dp, m->acls[i].name))
			return aclf_err_nomem(c->m->err);
		adopt(c, fi, (long)i, true, pair >= 0 ? c->acl[pair].nrules : 0);
		if (reserve(c, fi, c->acl[i].nrules + (pair >= 0 ? c->acl[pair].nrules : 0)) < 0 ||
		    append_rules(c, fi, &c->acl[i]) < 0)
			return -1;
		c->dp->filters[fi].default_action = c->acl[i].default_action;
		if (pair >= 0) {
			c->used[pair] = true;
			if (append_rules(c, fi, &c->acl[pair]) < 0)
				return -1;
			c->dp->filters[fi].default_action =
				ios_ends_permit_any(&c->acl[i], 4) && ios_ends_permit_any(&c->acl[pair], 6)
					? ACLF_PERMIT
					: ACLF_DENY;
		}
		if (number_rules(c, fi) < 0)
			return -1;
	}
	return 0;
}

/* The binding points (interface and direction) in order of first use,
 * found by hash: a running-config with thousands of interfaces is not
 * searched once per access-group line. */
static int points(struct jctx *c, struct point **pv, size_t *pn)
{
	struct aclf_htab seen = ACLF_HTAB_INIT;
	size_t cap = 0;
	int rc = 0;

	*pv = NULL;
	*pn = 0;
	for (size_t i = 0; i < c->m->nbinds && !rc; i++) {
		const struct ios_bind *b = &c->m->binds[i];
		unsigned char d = (unsigned char)b->dir;
		uint64_t h = aclf_hash_add(aclf_hash_str(b->iface), &d, 1);
		struct point *p = NULL;
		size_t it;
		for (size_t k = aclf_htab_find(&seen, h, &it); k != ACLF_HTAB_END && !p;
		     k = aclf_htab_next(&seen, h, &it))
			if ((*pv)[k].dir == b->dir && strcmp((*pv)[k].iface, b->iface) == 0)
				p = &(*pv)[k];
		if (!p) {
			if (aclf_arena_grow(c->m->a, (void **)pv, *pn, &cap, sizeof(**pv)) < 0 ||
			    aclf_htab_put(&seen, h, *pn) < 0) {
				rc = aclf_err_nomem(c->m->err);
				break;
			}
			p = &(*pv)[(*pn)++];
			memset(p, 0, sizeof(*p));
			p->iface = b->iface;
			p->dir = b->dir;
		}
		/* a later access-group of the same family replaces the earlier */
		if (b->family == 4)
			p->v4 = b->acl;
		else
			p->v6 = b->acl;
	}
	aclf_htab_free(&seen);
	return rc;
}

int ios_build(struct ios_model *m, const char *name, struct aclf_policy *pol,
	      struct aclf_devpol **out)
{
	size_t np = 0;
	struct point *pv = NULL;
	struct jctx c;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.pol = pol;
	if (m->nacls && (!(c.acl = aclf_arena_alloc(m->a, m->nacls * sizeof(*c.acl))) ||
			 !(c.used = aclf_arena_alloc(m->a, m->nacls * sizeof(*c.used)))))
		return aclf_err_nomem(m->err);
	if (ios_build_rules(m, pol, c.acl) < 0 || points(&c, &pv, &np) < 0)
		return -1;
	if (!(c.dp = aclf_policy_add_device(pol, name, "ios")) ||
	    (m->hostname && !(c.dp->hostname = aclf_arena_strdup(&pol->arena, m->hostname))))
		return aclf_err_nomem(m->err);
	for (size_t i = 0; i < np; i++)
		if (emit_point(&c, &pv[i]) < 0)
			return -1;
	if (emit_unbound(&c) < 0)
		return -1;
	if (out)
		*out = c.dp;
	return 0;
}
