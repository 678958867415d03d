/* Phase two of parsing, part one: the rules of every ACL, in device order.
 * Object-group references are expanded (the group name is kept in
 * src_name/dst_name); an entry with a service object-group becomes one rule
 * per protocol and source-port set. ios_bind.c turns these into filters. */
#include <stdio.h>
#include <string.h>

#include "ios_parse.h"

struct bctx {
	struct ios_model *m;
	struct aclf_policy *pol;
	struct aclf_arena tmp;   /* one entry's expansions, emptied for every entry */
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
		return aclf_pset_merge(&c->pol->arena, a->pv ? a->pv : &a->p, a->pv ? a->npv : 1, out) < 0
			       ? aclf_err_nomem(c->m->err)
			       : 0;
	if (ios_og_prefixes(c->m, a->group, fam, e->line, a->col, &c->tmp, &v, &n, &cap) < 0)
		return -1;
	if (aclf_pset_merge(&c->pol->arena, v, n, out) < 0 ||
	    !(*name = aclf_arena_strdup(&c->pol->arena, a->group)))
		return aclf_err_nomem(c->m->err);
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
	if (ios_og_services(c->m, e->svc, fam, e->line, e->svc_col, &c->tmp, &items, &n, &cap) < 0)
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
				if (aclf_ports_union(&c->tmp, &p->dports, &it->dports, &u) < 0)
					return aclf_err_nomem(c->m->err);
				p->dports = u;
			}
			continue;
		}
		if (aclf_arena_grow(&c->tmp, (void **)pv, *pn, &pcap, sizeof(**pv)) < 0)
			return aclf_err_nomem(c->m->err);
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

static int add_rule(struct bctx *c, struct aclf_filter *f, const struct ios_ace *e, const struct piece *p,
		    size_t npieces, const struct aclf_prefix_set *src, const char *src_name,
		    const struct aclf_prefix_set *dst, const char *dst_name)
{
	struct aclf_arena *a = &c->pol->arena;
	struct aclf_rule *r;
	char ref[32];
	const char *comment;

	/* the list's array, in the policy: ios_bind.c makes it a filter's
	 * array, or copies the rules */
	if (aclf_arena_grow(&c->pol->arena, (void **)&f->rules, f->nrules, &f->rules_cap,
			    sizeof(*f->rules)) < 0)
		return aclf_err_nomem(c->m->err);
	r = &f->rules[f->nrules++];
	memset(r, 0, sizeof(*r));
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
		return aclf_err_nomem(c->m->err);
	/* a counter belongs to the whole entry: exact only for one piece, or 0 */
	r->hits = npieces == 1 || e->hits == 0 ? e->hits : -1;
	comment = join(a, e->remark, e->note);
	if (e->svc) {
		char svc[160];
		snprintf(svc, sizeof(svc), IOS_NOTE_SVC "%s", e->svc);
		comment = join(a, comment, p->note ? p->note : NULL);
		comment = join(a, comment, svc);
	}
	r->comment = comment;
	if (e->opaque && (!(r->opaque = aclf_arena_strdup(a, e->opaque)) ||
			  !(r->raw = aclf_arena_strndup(a, e->raw, e->raw_len))))
		return aclf_err_nomem(c->m->err);
	snprintf(ref, sizeof(ref), "line %u", e->line);
	/* one provenance: an array of one (the arena's start at eight) */
	if (!(r->prov = aclf_arena_alloc(a, sizeof(*r->prov))))
		return aclf_err_nomem(c->m->err);
	r->prov_cap = 1;
	if ((e->remark || e->note || e->svc) && !r->comment)
		return aclf_err_nomem(c->m->err);
	if (aclf_rule_add_prov(c->pol, r, "device", ref) < 0 ||
	    (e->seq && !r->device_name))
		return aclf_err_nomem(c->m->err);
	return 0;
}

static bool undefined(struct ios_model *m, const struct ios_addr *a)
{
	return a->kind == IOS_ADDR_GROUP && !ios_og_find(m, a->group);
}

/* show access-lists prints the names of the groups an entry uses, not the
 * groups: an entry whose group the text does not define is opaque (unless
 * strict), the group's side any. Into *o; false when e is not such. */
static bool undefined_group(struct bctx *c, const struct ios_acl *acl, const struct ios_ace *e,
			    struct ios_ace *o)
{
	struct ios_model *m = c->m;
	const char *g = undefined(m, &e->src) ? e->src.group : undefined(m, &e->dst) ? e->dst.group
			: e->svc && !ios_og_find(m, e->svc) ? e->svc : NULL;

	if (!acl->show || m->strict || !g || e->opaque)
		return false;
	*o = *e;
	o->opaque = aclf_arena_printf(m->a, "object-group '%s' is not defined in the text (show "
				      "access-lists does not print groups: give show object-group "
				      "output with it)", g);
	for (int k = 0; k < 2; k++) {
		struct ios_addr *a = k ? &o->dst : &o->src;
		if (undefined(m, a)) {
			memset(a, 0, sizeof(*a));
			a->p.family = acl->family;
		}
	}
	if (o->svc && !ios_og_find(m, o->svc)) {
		o->svc = NULL;
		o->proto = 0;
		memset(&o->sports, 0, sizeof(o->sports));
		memset(&o->dports, 0, sizeof(o->dports));
		o->established = false;
	}
	return true;
}

static int build_ace(struct bctx *c, struct aclf_filter *f, const struct ios_acl *acl,
		     const struct ios_ace *e)
{
	struct ios_ace o;
	struct aclf_prefix_set src, dst;
	const char *sn, *dn;
	struct piece one, *pv = &one;
	size_t pn = 1;

	if (undefined_group(c, acl, e, &o)) {
		if (!o.opaque)
			return aclf_err_nomem(c->m->err);
		e = &o;
	}
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
		if (add_rule(c, f, e, &pv[i], pn, &src, sn, &dst, dn) < 0)
			return -1;
	return 0;
}

bool ios_ends_permit_any(const struct aclf_filter *f, uint8_t fam)
{
	const struct aclf_rule *r;

	if (!f->nrules)
		return false;
	r = &f->rules[f->nrules - 1];
	return !r->opaque && r->action == ACLF_PERMIT && r->protocol == ACLF_PROTO_ANY && r->src.n == 1 &&
	       r->src.v[0].len == 0 && r->src.v[0].family == fam && r->dst.n == 1 &&
	       r->dst.v[0].len == 0 && r->dst.v[0].family == fam && !r->src_ports.n &&
	       !r->dst_ports.n && !r->established;
}

int ios_build_rules(struct ios_model *m, struct aclf_policy *pol, struct aclf_filter *out)
{
	struct bctx c;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.pol = pol;
	aclf_arena_init(&c.tmp);
	for (size_t i = 0; i < m->nacls; i++) {
		const struct ios_acl *acl = &m->acls[i];
		memset(&out[i], 0, sizeof(out[i]));
		out[i].name = acl->name;
		/* one rule per entry but for service groups, and room for the
		 * rule a binding point adds for the other family: sized once */
		if (acl->n && !(out[i].rules = aclf_arena_alloc(&pol->arena,
								(acl->n + 1) * sizeof(*out[i].rules)))) {
			aclf_arena_release(&c.tmp);
			return aclf_err_nomem(m->err);
		}
		out[i].rules_cap = acl->n ? acl->n + 1 : 0;
		for (size_t k = 0; k < acl->n; k++) {
			aclf_arena_reset(&c.tmp);
			if (build_ace(&c, &out[i], acl, &acl->v[k]) < 0) {
				aclf_arena_release(&c.tmp);
				return -1;
			}
		}
		out[i].default_action = ios_ends_permit_any(&out[i], acl->family) ? ACLF_PERMIT
										 : ACLF_DENY;
	}
	aclf_arena_release(&c.tmp);
	return 0;
}
