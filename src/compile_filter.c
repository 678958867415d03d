/* Flows -> one filter per protects entry: narrow to the protected
 * addresses, add return-path rules for stateless devices, merge. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "compile_int.h"

struct cref {
	const struct cflow *flow;
	bool is_return;
};

struct crule {
	enum aclf_action action;
	int proto;
	struct aclf_prefix_set src, dst;
	const char *src_name, *dst_name;
	struct aclf_port_set sports, dports;
	bool established;
	bool site;           /* from a site rule: keeps its place, never merged */
	const char *builtin; /* a rule every such filter needs, e.g. IPv6 neighbor discovery */
	bool dead;
	struct cref *refs;
	size_t nrefs, refs_cap;
};

struct cset {
	struct crule *v;
	size_t n, cap;
};

static int nomem(struct cctx *c)
{
	return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory");
}

static int add_ref(struct cctx *c, struct crule *r, const struct cflow *f, bool is_return)
{
	for (size_t i = 0; i < r->nrefs; i++)
		if (r->refs[i].flow == f && r->refs[i].is_return == is_return)
			return 0;
	if (aclf_arena_grow(c->a, (void **)&r->refs, r->nrefs, &r->refs_cap, sizeof(*r->refs)) < 0)
		return nomem(c);
	r->refs[r->nrefs].flow = f;
	r->refs[r->nrefs].is_return = is_return;
	r->nrefs++;
	return 0;
}

static struct crule *push(struct cctx *c, struct cset *s)
{
	if (aclf_arena_grow(c->a, (void **)&s->v, s->n, &s->cap, sizeof(*s->v)) < 0)
		return NULL;
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	return &s->v[s->n++];
}

/* forward rule: flow narrowed to the protected destination */
static int add_forward(struct cctx *c, struct cset *s, const struct cflow *f,
		       const struct aclf_prefix_set *prot)
{
	struct aclf_prefix_set dst;
	struct crule *r;

	if (aclf_pset_intersect(c->a, &f->dst.addrs, prot, &dst) < 0)
		return nomem(c);
	if (!dst.n)
		return 0;
	if (!(r = push(c, s)))
		return nomem(c);
	r->action = f->action;
	r->proto = f->proto;
	r->src = f->src.addrs;
	r->dst = dst;
	r->src_name = f->src.name;
	r->dst_name = aclf_pset_equal(&dst, &f->dst.addrs) ? f->dst.name : NULL;
	r->dports = f->dports;
	r->site = f->site != NULL;
	return add_ref(c, r, f, false);
}

/* return-path rule for a stateless device: answers to a flow the protected
 * addresses started (TCP established; UDP from the service ports) */
static int add_return(struct cctx *c, struct cset *s, const struct cflow *f,
		      const struct aclf_prefix_set *prot)
{
	struct aclf_prefix_set dst;
	struct crule *r;

	if (f->action != ACLF_PERMIT || (f->proto != ACLF_PROTO_TCP && f->proto != ACLF_PROTO_UDP))
		return 0;
	if (aclf_pset_intersect(c->a, &f->src.addrs, prot, &dst) < 0)
		return nomem(c);
	if (!dst.n)
		return 0;
	if (!(r = push(c, s)))
		return nomem(c);
	r->action = ACLF_PERMIT;
	r->proto = f->proto;
	r->src = f->dst.addrs;
	r->src_name = f->dst.name;
	r->dst = dst;
	r->dst_name = aclf_pset_equal(&dst, &f->src.addrs) ? f->src.name : NULL;
	r->sports = f->dports;
	r->established = f->proto == ACLF_PROTO_TCP;
	return add_ref(c, r, f, true);
}

/* IPv6 needs ICMPv6 to reach the protected addresses, their link-local and
 * solicited-node multicast addresses (neighbor discovery, RFC 4890): a
 * filter that ends in a deny would otherwise cut the hosts off their
 * segment. Added only when the filter guards IPv6 addresses. */
static int add_nd(struct cctx *c, struct cset *s, const struct aclf_prefix_set *prot)
{
	static const char *const extra[] = { "fe80::/10", "ff02::/16" };
	struct aclf_prefix v[2], any6;
	struct aclf_prefix_set x, v6, dst;
	struct crule *r;

	if (aclf_pset_family(c->a, prot, 6, &v6) < 0)
		return nomem(c);
	if (!v6.n)
		return 0;
	for (size_t i = 0; i < 2; i++)
		aclf_prefix_parse(extra[i], &v[i], false);
	aclf_prefix_parse("::/0", &any6, false);
	if (aclf_pset_merge(c->a, v, 2, &x) < 0 || aclf_pset_union(c->a, &x, &v6, &dst) < 0)
		return nomem(c);
	if (!(r = push(c, s)))
		return nomem(c);
	r->action = ACLF_PERMIT;
	r->proto = ACLF_PROTO_ICMP6;
	if (aclf_pset_merge(c->a, &any6, 1, &r->src) < 0)
		return nomem(c);
	r->dst = dst;
	r->site = true;
	r->builtin = "ipv6-icmp";
	return 0;
}

static const char *join_names(struct cctx *c, const char *a, const char *b)
{
	if (!a || !b)
		return NULL;
	if (!strcmp(a, b))
		return a;
	return aclf_arena_printf(c->a, "%s+%s", a, b);
}

static int absorb(struct cctx *c, struct crule *into, struct crule *from)
{
	for (size_t i = 0; i < from->nrefs; i++)
		if (add_ref(c, into, from->refs[i].flow, from->refs[i].is_return) < 0)
			return -1;
	from->dead = true;
	return 0;
}

/* Merge permits that differ only in destination ports (pass 0) or only in
 * source addresses (pass 1). Returns the number of merges or -1. */
static long merge_pass(struct cctx *c, struct cset *s, int pass)
{
	long merged = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct crule *a = &s->v[i];
		if (a->dead || a->site)
			continue;
		for (size_t j = i + 1; j < s->n; j++) {
			struct crule *b = &s->v[j];
			if (b->dead || b->site || a->action != b->action || a->proto != b->proto ||
			    a->established != b->established || !aclf_ports_equal(&a->sports, &b->sports))
				continue;
			if (pass == 0) {
				if (!aclf_pset_equal(&a->src, &b->src) || !aclf_pset_equal(&a->dst, &b->dst))
					continue;
				/* "any port" absorbs everything */
				if (a->dports.n && b->dports.n) {
					struct aclf_port_set u;
					if (aclf_ports_union(c->a, &a->dports, &b->dports, &u) < 0)
						return nomem(c);
					a->dports = u;
				} else {
					a->dports.n = 0;
					a->dports.v = NULL;
				}
				/* same addresses: a's group names stand for b's as well */
			} else {
				struct aclf_prefix_set u;
				if (!aclf_pset_equal(&a->dst, &b->dst) || !aclf_ports_equal(&a->dports, &b->dports))
					continue;
				if (aclf_pset_union(c->a, &a->src, &b->src, &u) < 0)
					return nomem(c);
				a->src = u;
				a->src_name = join_names(c, a->src_name, b->src_name);
			}
			if (absorb(c, a, b) < 0)
				return -1;
			merged++;
		}
	}
	return merged;
}

static const char *seed_ref(struct cctx *c, const struct aclf_cat_row *row)
{
	return aclf_arena_printf(c->a, "%s:%u", aclf_cat_table_name(row->table), row->seed_row);
}

int cc_add_rule_prov(struct cctx *c, struct aclf_rule *r, const struct cflow *f)
{
	struct aclf_policy *p = c->pol;
	const struct cpeer *peers[2] = { &f->src, &f->dst };

	if (f->row) {
		if (aclf_rule_add_prov(p, r, "catalog", f->row->id) < 0 ||
		    aclf_rule_add_prov(p, r, "seed", seed_ref(c, f->row)) < 0 ||
		    aclf_rule_add_prov(p, r, "role", f->row->role) < 0)
			return nomem(c);
	} else if (f->site) {
		char ref[32];
		snprintf(ref, sizeof(ref), "%zu", f->site_index + 1);
		if (aclf_rule_add_prov(p, r, "topology-rule", ref) < 0)
			return nomem(c);
	}
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < peers[k]->nobjs; i++) {
			const char *o = peers[k]->objs[i], *colon = strchr(o, ':');
			char kind[32];
			size_t kl = colon ? (size_t)(colon - o) : 0;
			if (!colon || kl >= sizeof(kind))
				continue;
			memcpy(kind, o, kl);
			kind[kl] = '\0';
			if (aclf_rule_add_prov(p, r, kind, colon + 1) < 0)
				return nomem(c);
		}
	}
	return 0;
}

static int emit_rule(struct cctx *c, struct aclf_filter *flt, const struct crule *cr, size_t *seq)
{
	struct aclf_rule *r = aclf_filter_add_rule(c->pol, flt);

	if (!r)
		return nomem(c);
	r->id = aclf_arena_printf(c->a, "r%04zu", ++*seq);
	r->action = cr->action;
	r->protocol = cr->proto;
	r->src = cr->src;
	r->dst = cr->dst;
	r->src_name = cr->src_name;
	r->dst_name = cr->dst_name;
	r->src_ports = cr->sports;
	r->dst_ports = cr->dports;
	r->established = cr->established;
	if (cr->builtin && aclf_rule_add_prov(c->pol, r, "builtin", cr->builtin) < 0)
		return nomem(c);
	for (size_t i = 0; i < cr->nrefs; i++) {
		const struct cflow *f = cr->refs[i].flow;
		if (cr->refs[i].is_return && f->row &&
		    aclf_rule_add_prov(c->pol, r, "return-path", f->row->id) < 0)
			return nomem(c);
		if (cc_add_rule_prov(c, r, f) < 0)
			return -1;
	}
	return 0;
}

static const char *filter_name(struct cctx *c, const struct aclf_device *dev,
			       const struct aclf_protect *pr, size_t idx)
{
	char buf[128];
	size_t w = 0;
	const char *src;

	if (pr->filter_name)
		return pr->filter_name;
	if (pr->chain)
		return pr->chain;
	src = pr->interface ? pr->interface : dev->name;
	w = (size_t)snprintf(buf, sizeof(buf), "ACLF-");
	for (const char *s = src; *s && w < sizeof(buf) - 8; s++)
		buf[w++] = isalnum((unsigned char)*s) ? (char)toupper((unsigned char)*s) : '-';
	buf[w] = '\0';
	if (pr->interface)
		return aclf_arena_printf(c->a, "%s-%s", buf, pr->direction == ACLF_DIR_IN ? "IN" : "OUT");
	return aclf_arena_printf(c->a, "%s-%zu", buf, idx + 1);
}

static int one_filter(struct cctx *c, const struct aclf_device *dev, const struct aclf_protect *pr,
		      size_t idx, struct aclf_devpol *dp, bool stateful)
{
	struct cpeer prot;
	struct cset s = { 0 };
	struct aclf_filter *flt;
	size_t seq = 0;
	long m;

	if (cc_protected(c, pr, &prot) < 0)
		return -1;
	for (size_t i = 0; i < c->nsite; i++)
		if (add_forward(c, &s, &c->site[i], &prot.addrs) < 0)
			return -1;
	if (add_nd(c, &s, &prot.addrs) < 0)
		return -1;
	for (size_t i = 0; i < c->nflows; i++)
		if (add_forward(c, &s, &c->flows[i], &prot.addrs) < 0)
			return -1;
	if (!stateful) {
		for (size_t i = 0; i < c->nsite; i++)
			if (add_return(c, &s, &c->site[i], &prot.addrs) < 0)
				return -1;
		for (size_t i = 0; i < c->nflows; i++)
			if (add_return(c, &s, &c->flows[i], &prot.addrs) < 0)
				return -1;
	}
	do {
		long a = merge_pass(c, &s, 0), b;
		if (a < 0)
			return -1;
		b = merge_pass(c, &s, 1);
		if (b < 0)
			return -1;
		m = a + b;
	} while (m > 0);

	flt = aclf_devpol_add_filter(c->pol, dp, filter_name(c, dev, pr, idx));
	if (!flt)
		return nomem(c);
	flt->default_action = ACLF_DENY;
	if (pr->chain) {
		flt->binding.kind = ACLF_BIND_CHAIN;
		flt->binding.name = pr->chain;
		flt->binding.direction = ACLF_DIR_IN;
	} else if (pr->interface) {
		flt->binding.kind = ACLF_BIND_INTERFACE;
		flt->binding.name = pr->interface;
		flt->binding.direction = pr->direction == ACLF_DIR_IN ? ACLF_DIR_IN : ACLF_DIR_OUT;
	}
	for (size_t i = 0; i < s.n; i++)
		if (!s.v[i].dead && emit_rule(c, flt, &s.v[i], &seq) < 0)
			return -1;
	return 0;
}

int cc_device_filters(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp,
		      bool stateful)
{
	for (size_t i = 0; i < dev->nprotects; i++)
		if (one_filter(c, dev, &dev->protects[i], i, dp, stateful) < 0)
			return -1;
	return 0;
}
