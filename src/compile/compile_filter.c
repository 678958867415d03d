/* Flows -> one filter per protects entry: narrow to the protected
 * addresses, add return-path rules for stateless devices, merge. */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "compile_int.h"

#define ACLF_PROV_BRIEF_REFS 64

struct cref {
	const struct cflow *flow;
	bool is_return;
};

struct crule {
	enum aclf_action action;
	int proto;
	struct aclf_prefix_set src, dst;
	const char *src_name, *dst_name;
	/* the named groups whose union src is (c->tmp; none when one is unnamed) */
	struct aclf_set_part *sparts;
	size_t nsparts;
	struct aclf_port_set sports, dports;
	bool established;
	bool site;           /* from a site rule: keeps its place, never merged */
	const char *builtin; /* a rule every such filter needs, e.g. IPv6 neighbor discovery */
	const struct aclf_device *about; /* the device a builtin rule is for, or NULL */
	bool dead;
	struct cref *refs;
	size_t nrefs, refs_cap;
};

struct cset {
	struct crule *v;
	size_t n, cap;
};

static int add_ref(struct cctx *c, struct crule *r, const struct cflow *f, bool is_return)
{
	for (size_t i = 0; i < r->nrefs; i++)
		if (r->refs[i].flow == f && r->refs[i].is_return == is_return)
			return 0;
	if (aclf_arena_grow(&c->tmp, (void **)&r->refs, r->nrefs, &r->refs_cap, sizeof(*r->refs)) < 0)
		return aclf_err_nomem(c->err);
	r->refs[r->nrefs].flow = f;
	r->refs[r->nrefs].is_return = is_return;
	r->nrefs++;
	return 0;
}

/* A filter's rules in the making live in the scratch arena (c->tmp); what
 * they keep (sets, names) is the policy's. */
static struct crule *push(struct cctx *c, struct cset *s)
{
	if (aclf_arena_grow(&c->tmp, (void **)&s->v, s->n, &s->cap, sizeof(*s->v)) < 0)
		return NULL;
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	return &s->v[s->n++];
}

/* The one named part of a rule's source, or none when unnamed. */
static int one_part(struct cctx *c, struct crule *r, const char *name, const struct aclf_prefix_set *set)
{
	r->sparts = NULL;
	r->nsparts = 0;
	if (!name)
		return 0;
	if (!(r->sparts = aclf_arena_alloc_raw(&c->tmp, sizeof(*r->sparts))))
		return aclf_err_nomem(c->err);
	r->sparts[0].name = name;
	r->sparts[0].set = *set;
	r->nsparts = 1;
	return 0;
}

/* A flow's addresses narrowed to the protected set: interned, remembered
 * per pair of sets (c->memo), so each distinct peer is narrowed once. */
struct icache {
	const struct aclf_prefix_set *prot;
};

static int narrow(struct cctx *c, struct icache *ic, const struct aclf_prefix_set *x,
		  struct aclf_prefix_set *out)
{
	out->v = NULL;
	out->n = 0;
	/* most flows miss the filter: that check is cheap and needs no memo */
	if (!aclf_pset_overlaps(x, ic->prot))
		return 0;
	if (aclf_setmemo_intersect(c->memo, x, ic->prot, out) < 0)
		return aclf_err_nomem(c->err);
	return 0;
}

/* The families of a canonical set (IPv4 sorts before IPv6): its first and
 * last prefixes say, without walking a client set of 100,000 prefixes for
 * every rule. */
static unsigned families(const struct aclf_prefix_set *x)
{
	if (!x->n)
		return 0;
	return (x->v[0].family == 4 ? 1u : 0u) | (x->v[x->n - 1].family == 6 ? 2u : 0u);
}

/* A rule from IPv4 addresses to IPv6 ones (or back) matches no packet:
 * narrowed to a filter's addresses, a flow may come to that (clients of
 * IPv4 towards a server guarded for its IPv6 address only). */
static bool families_meet(const struct aclf_prefix_set *src, const struct aclf_prefix_set *dst)
{
	return (families(src) & families(dst)) != 0;
}

/* forward rule: flow narrowed to the protected destination */
static int add_forward(struct cctx *c, struct cset *s, const struct cflow *f, struct icache *ic)
{
	struct aclf_prefix_set dst;
	struct crule *r;

	if (narrow(c, ic, &f->dst.addrs, &dst) < 0)
		return -1;
	if (!dst.n || !families_meet(&f->src.addrs, &dst))
		return 0;
	if (!(r = push(c, s)))
		return aclf_err_nomem(c->err);
	r->action = f->action;
	r->proto = f->proto;
	r->src = f->src.addrs;
	r->dst = dst;
	r->src_name = f->src.name;
	r->dst_name = aclf_pset_equal(&dst, &f->dst.addrs) ? f->dst.name : NULL;
	r->dports = f->dports;
	r->site = f->site != NULL;
	if (one_part(c, r, r->src_name, &r->src) < 0)
		return -1;
	return add_ref(c, r, f, false);
}

/* A router's forward chain sees the guarded segment's own traffic too:
 * flows its addresses send, narrowed to them (a forward chain that drops
 * all else would cut the segment off). */
static int add_forward_from(struct cctx *c, struct cset *s, const struct cflow *f, struct icache *ic)
{
	struct aclf_prefix_set src;
	struct crule *r;

	if (f->action != ACLF_PERMIT || narrow(c, ic, &f->src.addrs, &src) < 0)
		return f->action != ACLF_PERMIT ? 0 : -1;
	if (!src.n || !families_meet(&src, &f->dst.addrs))
		return 0;
	/* the part going to the guarded addresses is there already */
	if (aclf_pset_covers(ic->prot, &f->dst.addrs))
		return 0;
	if (!(r = push(c, s)))
		return aclf_err_nomem(c->err);
	r->action = ACLF_PERMIT;
	r->proto = f->proto;
	r->src = src;
	r->dst = f->dst.addrs;
	r->src_name = aclf_pset_equal(&src, &f->src.addrs) ? f->src.name : NULL;
	r->dst_name = f->dst.name;
	r->dports = f->dports;
	r->site = f->site != NULL;
	return add_ref(c, r, f, false);
}

/* return-path rule for a stateless device: answers to flow f, which the
 * protected addresses started, coming back from `from` (TCP established;
 * UDP from the service ports) */
static int push_return(struct cctx *c, struct cset *s, const struct cflow *f,
		       const struct aclf_prefix_set *from, const char *from_name, struct icache *ic)
{
	struct aclf_prefix_set dst;
	struct crule *r;

	if (f->action != ACLF_PERMIT || (f->proto != ACLF_PROTO_TCP && f->proto != ACLF_PROTO_UDP))
		return 0;
	if (narrow(c, ic, &f->src.addrs, &dst) < 0)
		return -1;
	if (!dst.n || !families_meet(from, &dst))
		return 0;
	if (!(r = push(c, s)))
		return aclf_err_nomem(c->err);
	r->action = ACLF_PERMIT;
	r->proto = f->proto;
	r->src = *from;
	r->src_name = from_name;
	r->dst = dst;
	r->dst_name = aclf_pset_equal(&dst, &f->src.addrs) ? f->src.name : NULL;
	r->sports = f->dports;
	r->established = f->proto == ACLF_PROTO_TCP;
	if (one_part(c, r, from_name, from) < 0)
		return -1;
	/* UDP answers go back to the ports the initiator sent from, never to
	 * every port of it */
	if (f->proto == ACLF_PROTO_UDP && cc_reply_ports(c, f, &r->dports) < 0)
		return -1;
	return add_ref(c, r, f, true);
}

/* the return path of a whole group: from all its targets to the senders */
static int add_return_group(struct cctx *c, struct cset *s, const struct cgroup *g, struct icache *ic)
{
	return push_return(c, s, g->lead, &g->dst, g->dst_name, ic);
}

static int add_return(struct cctx *c, struct cset *s, const struct cflow *f, struct icache *ic)
{
	return push_return(c, s, f, &f->dst.addrs, f->dst.name, ic);
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

	aclf_pset_family_view(prot, 6, &v6);
	if (!v6.n)
		return 0;
	for (size_t i = 0; i < 2; i++)
		aclf_prefix_parse(extra[i], &v[i], false);
	aclf_prefix_parse("::/0", &any6, false);
	{
		const struct aclf_prefix_set *u[2] = { &x, &v6 };
		if (aclf_intern_pset_merge(c->in, v, 2, &x) < 0 || aclf_setmemo_union(c->memo, u, 2, &dst) < 0)
			return aclf_err_nomem(c->err);
	}
	if (!(r = push(c, s)))
		return aclf_err_nomem(c->err);
	r->action = ACLF_PERMIT;
	r->proto = ACLF_PROTO_ICMP6;
	if (aclf_intern_pset_merge(c->in, &any6, 1, &r->src) < 0)
		return aclf_err_nomem(c->err);
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

/* Hash a set by its array: every set of a rule in the making is interned
 * (c->in), so equal sets are the same array and hash equal; mergeable()
 * compares in full. (Which rules share a hash never changes the result: a
 * run of equal hashes holds whole classes of mergeable rules.) */
static uint64_t hash_pset(uint64_t h, const struct aclf_prefix_set *x)
{
	const void *k[2] = { x->v, (const void *)(uintptr_t)x->n };

	return aclf_hash_add(h, k, sizeof(k));
}

static uint64_t hash_ports(uint64_t h, const struct aclf_port_set *x)
{
	const void *k[2] = { x->v, (const void *)(uintptr_t)x->n };

	return aclf_hash_add(h, k, sizeof(k));
}

/* The fields two rules must share to merge: pass 0 joins destination
 * ports (same sources), pass 1 joins sources (same destination ports). */
static uint64_t merge_hash(const struct crule *r, int pass)
{
	uint64_t h = ACLF_HASH_INIT;
	int est = r->established;

	h = aclf_hash_add(h, &r->action, sizeof(r->action));
	h = aclf_hash_add(h, &r->proto, sizeof(r->proto));
	h = aclf_hash_add(h, &est, sizeof(est));
	h = hash_ports(h, &r->sports);
	h = hash_pset(h, &r->dst);
	return pass == 0 ? hash_pset(h, &r->src) : hash_ports(h, &r->dports);
}

static bool mergeable(const struct crule *a, const struct crule *b, int pass)
{
	if (a->action != b->action || a->proto != b->proto || a->established != b->established ||
	    !aclf_ports_equal(&a->sports, &b->sports) || !aclf_pset_equal(&a->dst, &b->dst))
		return false;
	return pass == 0 ? aclf_pset_equal(&a->src, &b->src) : aclf_ports_equal(&a->dports, &b->dports);
}

struct mkey {
	uint64_t h;
	size_t idx;
};

static int mkey_cmp(const void *x, const void *y)
{
	const struct mkey *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

#define ACLF_GROUP_NAME_MAX 48
#define ACLF_GROUP_PARTS_MAX 32

/* The parts of a merged source: the leader's and the members' named groups,
 * each once. None when any of them is unnamed, when one name stands for two
 * different sets, or beyond ACLF_GROUP_PARTS_MAX (the union is then written
 * out, as for an unnamed set). Sets are interned: equal is the same array. */
static int join_parts(struct cctx *c, struct crule *lead, struct crule **mem, size_t n)
{
	struct aclf_set_part *v;
	size_t nv = 0, total = lead->nsparts;

	for (size_t i = 0; i < n && total; i++)
		total = mem[i]->nsparts ? total + mem[i]->nsparts : 0;
	if (!total) {
		lead->sparts = NULL;
		lead->nsparts = 0;
		return 0;
	}
	if (!(v = aclf_arena_alloc_raw(&c->tmp, total * sizeof(*v))))
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i <= n; i++) {
		const struct crule *r = i ? mem[i - 1] : lead;
		for (size_t k = 0; k < r->nsparts; k++) {
			const struct aclf_set_part *p = &r->sparts[k];
			bool seen = false;
			for (size_t j = 0; j < nv && !seen; j++) {
				if (strcmp(v[j].name, p->name))
					continue;
				if (v[j].set.v != p->set.v || v[j].set.n != p->set.n)
					nv = total + 1; /* one name, two sets: no parts */
				seen = true;
			}
			if (nv > total)
				break;
			if (!seen)
				v[nv++] = *p;
		}
		if (nv > total)
			break;
	}
	if (nv > total || nv > ACLF_GROUP_PARTS_MAX)
		nv = 0;
	lead->sparts = nv ? v : NULL;
	lead->nsparts = nv;
	return 0;
}

/* Join the members of one merge group into its leader in one step: one
 * union of all their ports (pass 0) or address sets (pass 1), remembered
 * by its inputs (c->memo): the same union in the next filter costs a
 * lookup. */
static int merge_group(struct cctx *c, struct crule *lead, struct crule **mem, size_t n, int pass)
{
	if (pass == 0) {
		bool any = !lead->dports.n;
		for (size_t i = 0; i < n; i++)
			any = any || !mem[i]->dports.n;
		if (any) {
			lead->dports.n = 0; /* "any port" absorbs everything */
			lead->dports.v = NULL;
		} else {
			const struct aclf_port_set **in = malloc((n + 1) * sizeof(*in));
			int rc;
			if (!in)
				return aclf_err_nomem(c->err);
			in[0] = &lead->dports;
			for (size_t i = 0; i < n; i++)
				in[i + 1] = &mem[i]->dports;
			rc = aclf_setmemo_ports_union(c->memo, in, n + 1, &lead->dports);
			free(in);
			if (rc < 0)
				return aclf_err_nomem(c->err);
		}
	} else {
		const struct aclf_prefix_set **in = malloc((n + 1) * sizeof(*in));
		int rc;
		if (!in)
			return aclf_err_nomem(c->err);
		for (size_t i = 0; i < n && lead->src_name; i++) {
			lead->src_name = join_names(c, lead->src_name, mem[i]->src_name);
			if (lead->src_name && strlen(lead->src_name) > ACLF_GROUP_NAME_MAX)
				lead->src_name = NULL; /* too many groups joined: let the driver name it */
		}
		if (join_parts(c, lead, mem, n) < 0) {
			free(in);
			return -1;
		}
		in[0] = &lead->src;
		for (size_t i = 0; i < n; i++)
			in[i + 1] = &mem[i]->src;
		rc = aclf_setmemo_union(c->memo, in, n + 1, &lead->src);
		free(in);
		if (rc < 0)
			return aclf_err_nomem(c->err);
	}
	for (size_t i = 0; i < n; i++)
		if (absorb(c, lead, mem[i]) < 0)
			return -1;
	return 0;
}

/* Merge permits that differ only in destination ports (pass 0) or only in
 * source addresses (pass 1); the merged rule keeps the place of the first.
 * Rules are grouped by a hash of the shared fields, so this is n log n.
 * Returns the number of merges or -1. */
static long merge_pass(struct cctx *c, struct cset *s, int pass)
{
	struct mkey *keys;
	struct crule **mem = NULL;
	size_t nk = 0;
	long merged = 0;

	if (s->n < 2)
		return 0;
	keys = malloc(s->n * sizeof(*keys));
	mem = malloc(s->n * sizeof(*mem));
	if (!keys || !mem) {
		free(keys);
		free(mem);
		return aclf_err_nomem(c->err);
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].dead || s->v[i].site)
			continue;
		/* merge_hash hashes arrays: every set here must be interned */
		assert(aclf_intern_owns_pset(c->in, &s->v[i].src) && aclf_intern_owns_pset(c->in, &s->v[i].dst));
		assert(aclf_intern_owns_ports(c->in, &s->v[i].sports) &&
		       aclf_intern_owns_ports(c->in, &s->v[i].dports));
		keys[nk].h = merge_hash(&s->v[i], pass);
		keys[nk].idx = i;
		nk++;
	}
	qsort(keys, nk, sizeof(*keys), mkey_cmp);
	for (size_t i = 0; i < nk;) {
		size_t j = i;
		while (j < nk && keys[j].h == keys[i].h)
			j++;
		/* within a run (same hash, in rule order): each not yet merged rule
		 * leads the later ones that truly match it */
		for (size_t l = i; l < j; l++) {
			struct crule *lead = &s->v[keys[l].idx];
			size_t n = 0;
			if (lead->dead)
				continue;
			for (size_t k = l + 1; k < j; k++) {
				struct crule *b = &s->v[keys[k].idx];
				if (!b->dead && mergeable(lead, b, pass)) {
					mem[n++] = b;
					b->dead = true; /* absorbed below */
				}
			}
			if (!n)
				continue;
			for (size_t k = 0; k < n; k++)
				mem[k]->dead = false;
			if (merge_group(c, lead, mem, n, pass) < 0) {
				free(keys);
				free(mem);
				return -1;
			}
			merged += (long)n;
		}
		i = j;
	}
	free(keys);
	free(mem);
	return merged;
}

/* The `why` of the site rules a rule comes from (forward or return path),
 * as its comment: renderers carry it into remarks and comments, within
 * what each device allows. Several distinct reasons are joined by "; ". */
static int site_why(struct cctx *c, const struct crule *cr, const char **out)
{
	const char *why = NULL;

	for (size_t i = 0; i < cr->nrefs; i++) {
		const struct aclf_topo_rule *s = cr->refs[i].flow->site;
		bool seen = false;
		if (!s || !s->why || !*s->why)
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct aclf_topo_rule *o = cr->refs[j].flow->site;
			seen = o && o->why && !strcmp(o->why, s->why);
		}
		if (seen)
			continue;
		why = why ? aclf_arena_printf(c->a, "%s; %s", why, s->why) : s->why;
		if (!why)
			return aclf_err_nomem(c->err);
	}
	*out = why;
	return 0;
}

static int emit_rule(struct cctx *c, struct aclf_filter *flt, const struct crule *cr, size_t *seq)
{
	struct aclf_rule *r = aclf_filter_add_rule(c->pol, flt);

	if (!r)
		return aclf_err_nomem(c->err);
	r->id = cc_rule_id(c, ++*seq);
	if (!r->id)
		return aclf_err_nomem(c->err);
	r->action = cr->action;
	r->protocol = cr->proto;
	r->src = cr->src;
	r->dst = cr->dst;
	r->src_name = cr->src_name;
	r->dst_name = cr->dst_name;
	if (cr->nsparts >= 2) {
		struct aclf_set_part *v = aclf_arena_alloc_raw(c->a, cr->nsparts * sizeof(*v));
		if (!v)
			return aclf_err_nomem(c->err);
		memcpy(v, cr->sparts, cr->nsparts * sizeof(*v));
		r->src_parts = v;
		r->nsrc_parts = cr->nsparts;
	}
	r->src_ports = cr->sports;
	r->dst_ports = cr->dports;
	r->established = cr->established;
	cc_prov_start(c);
	if (cr->builtin && cc_prov_add(c, "builtin", cr->builtin) < 0)
		return -1;
	if (cr->about && cc_prov_add(c, "device", cr->about->name) < 0)
		return -1;
	if (site_why(c, cr, &r->comment) < 0)
		return -1;
	for (size_t i = 0; i < cr->nrefs; i++) {
		const struct cflow *f = cr->refs[i].flow;
		if (cr->refs[i].is_return && f->row && cc_prov_add(c, "return-path", f->row->id) < 0)
			return -1;
		if (cc_add_rule_prov(c, f, cr->nrefs > ACLF_PROV_BRIEF_REFS) < 0)
			return -1;
	}
	return cc_prov_finish(c, r);
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

/* Which pools a protects entry guards, as pool indices without repeats;
 * *all is set (no index: every flow is looked at) when it guards networks. */
static int pool_index(struct cctx *c, const struct aclf_protect *pr, size_t **out, size_t *n, bool *all)
{
	const struct aclf_topology *t = c->topo;
	size_t *v;

	*out = NULL;
	*n = 0;
	*all = pr->nnetworks || !t->npools;
	if (*all)
		return 0;
	v = malloc((pr->npools + pr->nservers + 1) * sizeof(*v));
	if (!v)
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i < pr->npools + pr->nservers; i++) {
		const struct aclf_pool *p = NULL;
		bool seen = false;
		if (i < pr->npools)
			p = cc_pool(c, pr->pools[i]);
		else if (!aclf_topology_server(t, pr->servers[i - pr->npools], &p))
			p = NULL;
		if (!p)
			continue;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = v[k] == (size_t)(p - t->pools);
		if (!seen)
			v[(*n)++] = (size_t)(p - t->pools);
	}
	*out = v;
	return 0;
}

/* The filter's rules before merging: site rules, neighbor discovery, the
 * catalog flows that reach the protected addresses, return paths. */
static int gather(struct cctx *c, const struct aclf_protect *pr, struct icache *ic, bool stateful, struct cset *s)
{
	size_t *pools = NULL, npools = 0, *idx = NULL, nidx = 0;
	bool all;
	int rc = -1;

	for (size_t i = 0; i < c->nsite; i++)
		if (add_forward(c, s, &c->site[i], ic) < 0)
			return -1;
	if (add_nd(c, s, ic->prot) < 0)
		return -1;
	if (pool_index(c, pr, &pools, &npools, &all) < 0)
		return -1;
	/* a flow to one pool matters only to filters guarding that pool
	 * (pools never share addresses); the rest by their destinations */
	if (cc_filter_flows(c, pools, npools, all, ic->prot, &idx, &nidx) < 0)
		goto out;
	for (size_t i = 0; i < nidx; i++)
		if (add_forward(c, s, &c->flows[idx[i]], ic) < 0)
			goto out;
	if (pr->chain && !strcmp(pr->chain, "forward")) {
		/* what the guarded segment sends: flows from its pools, and the
		 * others by their senders */
		free(idx);
		idx = NULL;
		if (cc_filter_flows_from(c, pools, npools, all, ic->prot, &idx, &nidx) < 0)
			goto out;
		for (size_t i = 0; i < nidx; i++)
			if (add_forward_from(c, s, &c->flows[idx[i]], ic) < 0)
				goto out;
	}
	if (!stateful) {
		for (size_t i = 0; i < c->nsite; i++)
			if (add_return(c, s, &c->site[i], ic) < 0)
				goto out;
		free(idx);
		idx = NULL;
		/* the return path of flows a pool sends reaches only that pool */
		if (cc_filter_groups(c, pools, npools, all, ic->prot, &idx, &nidx) < 0)
			goto out;
		for (size_t i = 0; i < nidx; i++)
			if (add_return_group(c, s, &c->groups[idx[i]], ic) < 0)
				goto out;
	}
	rc = 0;
out:
	free(pools);
	free(idx);
	return rc;
}

/* The rules for the devices around the filter, after neighbor discovery:
 * they keep their place and never merge. */
static int add_builtins(struct cctx *c, struct cset *s, const struct aclf_device *dev,
			const struct aclf_protect *pr, const char *fname, const struct aclf_prefix_set *prot,
			bool stateful)
{
	struct cbuiltins b;

	if (cc_builtin_rules(c, dev, pr, fname, prot, stateful, &b) < 0)
		return -1;
	for (size_t i = 0; i < b.n; i++) {
		struct crule *r = push(c, s);
		if (!r)
			return aclf_err_nomem(c->err);
		r->action = ACLF_PERMIT;
		r->proto = b.v[i].proto;
		r->src = b.v[i].src;
		r->dst = b.v[i].dst;
		r->dports = b.v[i].dports;
		r->site = true;
		r->builtin = b.v[i].kind;
		r->about = b.v[i].device;
	}
	return 0;
}

static int one_filter(struct cctx *c, const struct aclf_device *dev, const struct aclf_protect *pr,
		      size_t idx, struct aclf_devpol *dp, bool stateful)
{
	struct cpeer prot;
	struct cset s = { 0 };
	struct aclf_filter *flt;
	size_t seq = 0;
	long m;
	struct icache ic = { 0 };
	const char *fname = filter_name(c, dev, pr, idx);

	if (!fname)
		return aclf_err_nomem(c->err);
	if (cc_protected(c, pr, &prot) < 0)
		return -1;
	ic.prot = &prot.addrs;
	if (add_builtins(c, &s, dev, pr, fname, &prot.addrs, stateful) < 0 || gather(c, pr, &ic, stateful, &s) < 0)
		return -1;
	do {
		long a = merge_pass(c, &s, 0), b;
		if (a < 0)
			return -1;
		b = merge_pass(c, &s, 1);
		if (b < 0)
			return -1;
		m = a + b;
	} while (m > 0);

	flt = aclf_devpol_add_filter(c->pol, dp, fname);
	if (!flt)
		return aclf_err_nomem(c->err);
	flt->default_action = ACLF_DENY;
	flt->protect = (unsigned)idx + 1;
	/* the rules array at its final size: no copies left behind */
	{
		size_t live = 0;
		for (size_t i = 0; i < s.n; i++)
			live += !s.v[i].dead;
		if (live && !(flt->rules = aclf_arena_alloc_raw(c->a, live * sizeof(*flt->rules))))
			return aclf_err_nomem(c->err);
		flt->rules_cap = live;
	}
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
	/* the rules in the making are done with; the scratch is used again */
	aclf_arena_reset(&c->tmp);
	return 0;
}

int cc_device_filters(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp,
		      bool stateful)
{
	/* one filter per protects entry: the array at its final size */
	if (!dp->nfilters && dev->nprotects) {
		dp->filters = aclf_arena_alloc(c->a, dev->nprotects * sizeof(*dp->filters));
		if (!dp->filters)
			return aclf_err_nomem(c->err);
		dp->filters_cap = dev->nprotects;
	}
	for (size_t i = 0; i < dev->nprotects; i++)
		if (one_filter(c, dev, &dev->protects[i], i, dp, stateful) < 0)
			return -1;
	return 0;
}
