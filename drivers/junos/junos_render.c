/* Device policy -> Junos set commands (for `load set terminal`).
 *
 * Output, in this order, each block replacing what the device had:
 *   delete policy-options prefix-list G / set ... prefix-list G PREFIX
 *       for every named address group (rule src_name/dst_name, or each
 *       named part of a side that is a union of groups), IPv4 and
 *       IPv6 members in one list; a family filter reads only its own
 *       family's members, so a group carries the members of each family in
 *       which some rule using it has a term, and all those rules must agree
 *       on them;
 *   delete firewall family inet filter F / set ... term T from ... then ...
 *       one term per rule, named after the rule id; family inet for the
 *       rule's IPv4 part, family inet6 for its IPv6 part (a rule with both
 *       gives a term of the same name in each); a side that is a union of
 *       named parts lists one source-/destination-prefix-list per part with
 *       members in the term's family (several in one `from` match any of
 *       them), so a union is never written out as a list of its own; both
 *       families are always
 *       written and bound, since the default action covers both (a unit
 *       with only an inet filter passes every IPv6 packet);
 *   a last term default-deny / default-accept for the default action;
 *   set interfaces IFD unit U family inet|inet6 filter input|output F.
 * Every term counts: `then count T` in inet, `then count T-v6` in inet6, so
 * a counter names its rule (junos_cmap_convention reads it back).
 * Deny renders as discard (never reject). Anything Junos cannot carry is an
 * error: chain bindings, ports on protocols without ports, established on
 * non-TCP rules, names with quotes or control characters, lb services. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "junos.h"

/* A named address group: per family, the members the rules using it in
 * that family agree on (a family filter reads only its own family's
 * members), and the rule that set them. */
struct plent {
	const char *name;
	struct aclf_prefix_set fam[2];
	bool has[2];
	const char *filter[2], *rule[2];
};

struct rctx {
	struct aclf_arena a;
	struct aclf_buf *b;
	struct aclf_err *err;
	const struct aclf_devpol *dp;
	struct plent *pl;
	size_t npl, plcap;
	struct aclf_htab pl_by_name; /* name hash -> prefix-list */
	bool fail_nomem;
	bool fail_write; /* a flush point's sink failed (render --out) */
};

/* per filter, per family: a rule's part */
struct rpart {
	struct aclf_prefix_set src, dst;
	bool on;
};

static const char *fam_word(int fam)
{
	return fam == 4 ? "inet" : "inet6";
}

static int put(struct rctx *c, const char *s)
{
	if (aclf_buf_puts(c->b, s) < 0)
		c->fail_nomem = true;
	return 0;
}

static int name(struct rctx *c, const char *s, const char *what)
{
	if (!junos_name_ok(s))
		return aclf_err_set(c->err, ACLF_E_POLICY, "device '%s': %s '%s' cannot be a junos name",
				    c->dp->name, what, s ? s : "");
	if (junos_put_name(c->b, s) < 0)
		c->fail_nomem = true;
	return 0;
}

static int prefix(struct rctx *c, const struct aclf_prefix *p)
{
	char buf[ACLF_PREFIX_STRLEN];

	aclf_prefix_format(p, buf, sizeof(buf));
	return put(c, buf);
}

/* A rule side's group gname holding set: a whole side (src_name, dst_name)
 * or, when part is set, one of the side's named parts (src_parts,
 * dst_parts), which a family's term references only when it has members
 * of that family. */
static int add_plist(struct rctx *c, const struct aclf_filter *f, const struct aclf_rule *r,
		     const char *gname, const struct aclf_prefix_set *set, bool part)
{
	struct plent *e = NULL;
	struct aclf_prefix_set other[2];
	bool on[2];

	if (!gname)
		return 0;
	if (!junos_name_ok(gname))
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': address group '%s' cannot be a junos prefix-list name",
				    c->dp->name, gname);
	/* the families the rule has a term in (views of the rule's sets, no copies) */
	for (int k = 0; k < 2; k++) {
		struct aclf_prefix_set s4, d4;
		aclf_pset_family_view(&r->src, k ? 6 : 4, &s4);
		aclf_pset_family_view(&r->dst, k ? 6 : 4, &d4);
		aclf_pset_family_view(set, k ? 6 : 4, &other[k]);
		on[k] = s4.n && d4.n && (!part || other[k].n);
	}
	{
		uint64_t h = aclf_hash_str(gname);
		size_t it;
		for (size_t i = aclf_htab_find(&c->pl_by_name, h, &it); i != ACLF_HTAB_END && !e;
		     i = aclf_htab_next(&c->pl_by_name, h, &it))
			if (!strcmp(c->pl[i].name, gname))
				e = &c->pl[i];
		if (!e) {
			if (aclf_arena_grow(&c->a, (void **)&c->pl, c->npl, &c->plcap, sizeof(*c->pl)) < 0 ||
			    aclf_htab_put(&c->pl_by_name, h, c->npl) < 0)
				return aclf_err_nomem(c->err);
			e = &c->pl[c->npl++];
			memset(e, 0, sizeof(*e));
			e->name = gname;
		}
	}
	for (int k = 0; k < 2; k++) {
		if (!on[k])
			continue;
		if (e->has[k] && !aclf_pset_equal(&e->fam[k], &other[k]))
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': address group '%s' has different %s members in "
					    "rule '%s' of filter '%s' and rule '%s' of filter '%s'",
					    c->dp->name, gname, k ? "IPv6" : "IPv4", e->rule[k],
					    e->filter[k], r->id ? r->id : "?", f->name);
		e->fam[k] = other[k];
		e->has[k] = true;
		e->filter[k] = f->name;
		e->rule[k] = r->id ? r->id : "?";
	}
	return 0;
}

static int emit_plists(struct rctx *c)
{
	struct aclf_buf head = ACLF_BUF_INIT, *save = c->b;

	aclf_buf_init(&head, 0);
	for (size_t i = 0; i < c->npl; i++) {
		const struct plent *e = &c->pl[i];
		if (!e->has[0] && !e->has[1])
			continue; /* only rules without a term: they fail later */
		put(c, "delete policy-options prefix-list ");
		name(c, e->name, "prefix-list");
		put(c, "\n");
		/* every member line starts alike: written once */
		aclf_buf_reset(&head);
		c->b = &head;
		put(c, "set policy-options prefix-list ");
		name(c, e->name, "prefix-list");
		put(c, " ");
		c->b = save;
		for (int k = 0; k < 2; k++) {
			for (size_t j = 0; e->has[k] && j < e->fam[k].n; j++) {
				if (aclf_buf_add(c->b, head.buf, head.len) < 0)
					c->fail_nomem = true;
				prefix(c, &e->fam[k].v[j]);
				put(c, "\n");
			}
		}
		if (aclf_buf_flush_point(c->b) < 0) {
			c->fail_write = true; /* nothing more is written */
			break;
		}
	}
	aclf_buf_release(&head);
	return 0;
}

static bool whole_family(const struct aclf_prefix_set *s)
{
	return s->n == 1 && s->v[0].len == 0;
}

static const char *term_name(struct rctx *c, const struct aclf_rule *r, size_t idx)
{
	if (r->id && *r->id)
		return r->id;
	return aclf_arena_printf(&c->a, "rule-%zu", idx + 1);
}

static int check_rule(struct rctx *c, const struct aclf_filter *f, const struct aclf_rule *r,
		      const char *term)
{
	bool ports = r->src_ports.n || r->dst_ports.n;

	if (!junos_name_ok(term))
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': filter '%s': rule id '%s' cannot be a junos term name",
				    c->dp->name, f->name, term);
	if (r->protocol < 0 || r->protocol > 255)
		return aclf_err_set(c->err, ACLF_E_POLICY, "device '%s': filter '%s': rule '%s': protocol %d",
				    c->dp->name, f->name, term, r->protocol);
	if (r->established && r->protocol != ACLF_PROTO_TCP)
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': filter '%s': rule '%s': 'established' needs protocol tcp",
				    c->dp->name, f->name, term);
	if (ports && r->protocol != ACLF_PROTO_ANY && r->protocol != ACLF_PROTO_TCP &&
	    r->protocol != ACLF_PROTO_UDP && r->protocol != 132)
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': filter '%s': rule '%s': ports on protocol %d",
				    c->dp->name, f->name, term, r->protocol);
	if (!r->src.n || !r->dst.n)
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': filter '%s': rule '%s' has an empty address set",
				    c->dp->name, f->name, term);
	return 0;
}

static int ports(struct rctx *c, const char *pfx, const char *kw, const struct aclf_port_set *ps)
{
	char buf[16];

	if (!ps->n)
		return 0;
	put(c, pfx);
	put(c, kw);
	put(c, ps->n > 1 ? " [ " : " ");
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->v[i].lo == ps->v[i].hi)
			snprintf(buf, sizeof(buf), "%u", ps->v[i].lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", ps->v[i].lo, ps->v[i].hi);
		if (i)
			put(c, " ");
		put(c, buf);
	}
	put(c, ps->n > 1 ? " ]\n" : "\n");
	return 0;
}

static int addrs(struct rctx *c, const char *pfx, const char *dir, const char *gname,
		 const struct aclf_set_part *parts, size_t nparts, int fam,
		 const struct aclf_prefix_set *part)
{
	if (nparts >= 2) {
		/* several prefix-lists in one direction: any of them matches */
		for (size_t i = 0; i < nparts; i++) {
			struct aclf_prefix_set v;
			aclf_pset_family_view(&parts[i].set, (uint8_t)fam, &v);
			if (!v.n)
				continue;
			put(c, pfx);
			put(c, dir);
			put(c, "-prefix-list ");
			name(c, parts[i].name, "prefix-list");
			put(c, "\n");
		}
		return 0;
	}
	if (gname) {
		put(c, pfx);
		put(c, dir);
		put(c, "-prefix-list ");
		name(c, gname, "prefix-list");
		put(c, "\n");
		return 0;
	}
	if (whole_family(part))
		return 0;
	for (size_t i = 0; i < part->n; i++) {
		put(c, pfx);
		put(c, dir);
		put(c, "-address ");
		prefix(c, &part->v[i]);
		put(c, "\n");
	}
	return 0;
}

/* "set firewall family inet filter F term T " */
static const char *term_prefix(struct rctx *c, const char *filter, int fam, const char *term)
{
	struct aclf_buf *save = c->b, tmp = ACLF_BUF_INIT;
	const char *out;

	aclf_buf_init(&tmp, 0);
	c->b = &tmp;
	put(c, "set firewall family ");
	put(c, fam_word(fam));
	put(c, " filter ");
	name(c, filter, "filter");
	put(c, " term ");
	name(c, term, "term");
	put(c, " ");
	c->b = save;
	out = aclf_arena_strdup(&c->a, tmp.buf);
	aclf_buf_release(&tmp);
	return out;
}

static int emit_term(struct rctx *c, const struct aclf_filter *f, int fam, const char *term,
		     const struct aclf_rule *r, const struct rpart *p)
{
	const char *pfx = term_prefix(c, f->name, fam, term);
	char pbuf[16];

	if (!pfx)
		return aclf_err_nomem(c->err);
	addrs(c, pfx, "from source", r->src_name, r->src_parts, r->nsrc_parts, fam, &p->src);
	addrs(c, pfx, "from destination", r->dst_name, r->dst_parts, r->ndst_parts, fam, &p->dst);
	if (r->protocol != ACLF_PROTO_ANY) {
		put(c, pfx);
		put(c, fam == 4 ? "from protocol " : "from next-header ");
		put(c, junos_proto_name(r->protocol, pbuf, sizeof(pbuf)));
		put(c, "\n");
	}
	ports(c, pfx, "from source-port", &r->src_ports);
	ports(c, pfx, "from destination-port", &r->dst_ports);
	if (r->established) {
		put(c, pfx);
		put(c, "from tcp-established\n");
	}
	put(c, pfx);
	put(c, "then count ");
	if (fam == 6) {
		const char *v6 = aclf_arena_printf(&c->a, "%s-v6", term);
		if (!v6)
			return aclf_err_nomem(c->err);
		name(c, v6, "counter");
	} else {
		name(c, term, "counter");
	}
	put(c, "\n");
	put(c, pfx);
	put(c, r->action == ACLF_PERMIT ? "then accept\n" : "then discard\n");
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* term names and counter names of a filter must be unique */
static int check_unique(struct rctx *c, const struct aclf_filter *f, const char **v, size_t n,
			const char *what)
{
	qsort(v, n, sizeof(*v), str_cmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i - 1], v[i]))
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': filter '%s': %s '%s' would be used twice",
					    c->dp->name, f->name, what, v[i]);
	return 0;
}

static int emit_filter(struct rctx *c, const struct aclf_filter *f, bool fam_on[2])
{
	struct rpart *parts = aclf_arena_alloc(&c->a, (f->nrules ? f->nrules : 1) * 2 * sizeof(*parts));
	const char **terms = aclf_arena_alloc(&c->a, (f->nrules + 1) * sizeof(*terms));
	const char **counters = aclf_arena_alloc(&c->a, (2 * f->nrules + 2) * sizeof(*counters));
	const char *def = f->default_action == ACLF_PERMIT ? "default-accept" : "default-deny";
	size_t nc = 0;

	if (!parts || !terms || !counters)
		return aclf_err_nomem(c->err);
	if (!junos_name_ok(f->name))
		return aclf_err_set(c->err, ACLF_E_POLICY, "device '%s': filter '%s' cannot be a junos name",
				    c->dp->name, f->name ? f->name : "");
	fam_on[0] = fam_on[1] = false;
	for (size_t i = 0; i < f->nrules; i++) {
		const struct aclf_rule *r = &f->rules[i];
		bool any = false;
		terms[i] = term_name(c, r, i);
		if (!terms[i])
			return aclf_err_nomem(c->err);
		if (check_rule(c, f, r, terms[i]) < 0)
			return -1;
		for (int k = 0; k < 2; k++) {
			struct rpart *p = &parts[2 * i + k];
			aclf_pset_family_view(&r->src, k ? 6 : 4, &p->src);
			aclf_pset_family_view(&r->dst, k ? 6 : 4, &p->dst);
			p->on = p->src.n && p->dst.n;
			if (p->on) {
				any = true;
				counters[nc++] = k ? aclf_arena_printf(&c->a, "%s-v6", terms[i]) : terms[i];
				if (!counters[nc - 1])
					return aclf_err_nomem(c->err);
			}
		}
		if (!any)
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': filter '%s': rule '%s' has no address family "
					    "common to its source and destination", c->dp->name, f->name,
					    terms[i]);
	}
	/* the default action covers both families: a unit with a family inet
	 * filter but none for inet6 would pass every IPv6 packet */
	fam_on[0] = fam_on[1] = true;
	terms[f->nrules] = def;
	for (int k = 0; k < 2; k++)
		if (fam_on[k] && !(counters[nc++] = k ? aclf_arena_printf(&c->a, "%s-v6", def) : def))
			return aclf_err_nomem(c->err);
	if (check_unique(c, f, terms, f->nrules + 1, "term name") < 0)
		return -1;
	if (check_unique(c, f, counters, nc, "counter name") < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		int fam = k ? 6 : 4;
		const char *pfx;
		if (!fam_on[k])
			continue;
		put(c, "delete firewall family ");
		put(c, fam_word(fam));
		put(c, " filter ");
		name(c, f->name, "filter");
		put(c, "\n");
		for (size_t i = 0; i < f->nrules; i++)
			if (parts[2 * i + k].on &&
			    emit_term(c, f, fam, term_name(c, &f->rules[i], i), &f->rules[i], &parts[2 * i + k]) < 0)
				return -1;
		pfx = term_prefix(c, f->name, fam, def);
		if (!pfx)
			return aclf_err_nomem(c->err);
		put(c, pfx);
		put(c, "then count ");
		put(c, def);
		put(c, fam == 6 ? "-v6\n" : "\n");
		put(c, pfx);
		put(c, f->default_action == ACLF_PERMIT ? "then accept\n" : "then discard\n");
	}
	return 0;
}

static bool same_parts(const struct aclf_set_part *x, size_t nx, const struct aclf_set_part *y, size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (strcmp(x[i].name, y[i].name) || !aclf_pset_equal(&x[i].set, &y[i].set))
			return false;
	return true;
}

static bool same_rules(const struct aclf_filter *x, const struct aclf_filter *y)
{
	if (x->nrules != y->nrules || x->default_action != y->default_action)
		return false;
	for (size_t i = 0; i < x->nrules; i++) {
		const struct aclf_rule *a = &x->rules[i], *b = &y->rules[i];
		if (a->action != b->action || a->protocol != b->protocol ||
		    a->established != b->established || !aclf_pset_equal(&a->src, &b->src) ||
		    !aclf_pset_equal(&a->dst, &b->dst) || !aclf_ports_equal(&a->src_ports, &b->src_ports) ||
		    !aclf_ports_equal(&a->dst_ports, &b->dst_ports) ||
		    strcmp(a->id ? a->id : "", b->id ? b->id : "") ||
		    strcmp(a->src_name ? a->src_name : "", b->src_name ? b->src_name : "") ||
		    strcmp(a->dst_name ? a->dst_name : "", b->dst_name ? b->dst_name : "") ||
		    !same_parts(a->src_parts, a->nsrc_parts, b->src_parts, b->nsrc_parts) ||
		    !same_parts(a->dst_parts, a->ndst_parts, b->dst_parts, b->ndst_parts))
			return false;
	}
	return true;
}

struct bindline {
	char ifd[128], unit[16];
	int fam;
	enum aclf_direction dir;
	const char *filter;
};

/* A binding's place (family, direction, interface, unit), hashed. */
static uint64_t bind_hash(const struct bindline *b)
{
	uint64_t h = aclf_hash_str(b->ifd);
	unsigned char k[2] = { (unsigned char)b->fam, (unsigned char)b->dir };

	h = aclf_hash_add(h, b->unit, strlen(b->unit));
	return aclf_hash_add(h, k, sizeof(k));
}

static int emit_bindings_in(struct rctx *c, bool (*fam)[2], struct aclf_htab *seen)
{
	const struct aclf_devpol *dp = c->dp;
	struct bindline *bl = aclf_arena_alloc(&c->a, (2 * dp->nfilters + 1) * sizeof(*bl));
	size_t nb = 0, it;
	uint64_t h;

	if (!bl)
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		struct bindline cur;
		if (f->binding.kind == ACLF_BIND_NONE)
			continue;
		if (f->binding.kind == ACLF_BIND_CHAIN)
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': filter '%s': junos filters bind to interfaces, "
					    "not to chain '%s'", dp->name, f->name,
					    f->binding.name ? f->binding.name : "");
		if (f->binding.direction != ACLF_DIR_IN && f->binding.direction != ACLF_DIR_OUT)
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': filter '%s': binding to '%s' has no direction",
					    dp->name, f->name, f->binding.name ? f->binding.name : "");
		if (junos_split_ifname(f->binding.name, cur.ifd, sizeof(cur.ifd), cur.unit,
				       sizeof(cur.unit)) < 0)
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': filter '%s': '%s' is not a junos interface name",
					    dp->name, f->name, f->binding.name ? f->binding.name : "");
		cur.dir = f->binding.direction;
		cur.filter = f->name;
		for (int k = 0; k < 2; k++) {
			if (!fam[i][k])
				continue;
			cur.fam = k ? 6 : 4;
			h = bind_hash(&cur);
			for (size_t j = aclf_htab_find(seen, h, &it); j != ACLF_HTAB_END;
			     j = aclf_htab_next(seen, h, &it))
				if (bl[j].fam == cur.fam && bl[j].dir == cur.dir &&
				    !strcmp(bl[j].ifd, cur.ifd) && !strcmp(bl[j].unit, cur.unit) &&
				    strcmp(bl[j].filter, cur.filter))
					return aclf_err_set(c->err, ACLF_E_POLICY,
							    "device '%s': filters '%s' and '%s' both bind to "
							    "'%s' %s", dp->name, bl[j].filter, cur.filter,
							    f->binding.name,
							    cur.dir == ACLF_DIR_IN ? "input" : "output");
			if (aclf_htab_put(seen, h, nb) < 0)
				return aclf_err_nomem(c->err);
			bl[nb++] = cur;
			put(c, "set interfaces ");
			put(c, cur.ifd);
			put(c, " unit ");
			put(c, cur.unit);
			put(c, " family ");
			put(c, fam_word(cur.fam));
			put(c, cur.dir == ACLF_DIR_IN ? " filter input " : " filter output ");
			name(c, f->name, "filter");
			put(c, "\n");
		}
	}
	return 0;
}

/* seen: bl's entries by bind_hash, so that thousands of bindings are not
 * compared pairwise */
static int emit_bindings(struct rctx *c, bool (*fam)[2])
{
	struct aclf_htab seen = ACLF_HTAB_INIT;
	int rc = emit_bindings_in(c, fam, &seen);

	aclf_htab_free(&seen);
	return rc;
}

/* An earlier filter of the same name, or i (names by hash). */
static size_t first_named(struct aclf_htab *names, const struct aclf_devpol *dp, size_t i, int *rc)
{
	const char *n = dp->filters[i].name;
	uint64_t h;
	size_t it;

	if (!n)
		return i;
	h = aclf_hash_str(n);
	for (size_t j = aclf_htab_find(names, h, &it); j != ACLF_HTAB_END; j = aclf_htab_next(names, h, &it))
		if (!strcmp(dp->filters[j].name, n))
			return j;
	if (aclf_htab_put(names, h, i) < 0)
		*rc = -1;
	return i;
}

/* The text goes straight into out; on failure out is cut back to where it
 * was. */
int junos_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err)
{
	struct rctx c = { .b = out, .err = err, .dp = dp };
	struct aclf_htab names = ACLF_HTAB_INIT;
	bool (*fam)[2] = NULL;
	unsigned err0 = err->count;
	size_t start = out->len;
	int rc = -1, hrc = 0;

	aclf_arena_init(&c.a);
	if (dp->nlb) {
		aclf_err_set(err, ACLF_E_POLICY, "device '%s': junos carries no lb services ('%s')",
			     dp->name, dp->lb[0].name);
		goto out;
	}
	fam = aclf_arena_alloc(&c.a, (dp->nfilters ? dp->nfilters : 1) * sizeof(*fam));
	if (!fam) {
		aclf_err_nomem(c.err);
		goto out;
	}
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		for (size_t k = 0; k < f->nrules; k++) {
			const struct aclf_rule *r = &f->rules[k];
			if (r->nsrc_parts >= 2) {
				for (size_t p = 0; p < r->nsrc_parts; p++)
					if (add_plist(&c, f, r, r->src_parts[p].name, &r->src_parts[p].set, true) < 0)
						goto out;
			} else if (add_plist(&c, f, r, r->src_name, &r->src, false) < 0) {
				goto out;
			}
			if (r->ndst_parts >= 2) {
				for (size_t p = 0; p < r->ndst_parts; p++)
					if (add_plist(&c, f, r, r->dst_parts[p].name, &r->dst_parts[p].set, true) < 0)
						goto out;
			} else if (add_plist(&c, f, r, r->dst_name, &r->dst, false) < 0) {
				goto out;
			}
		}
	}
	emit_plists(&c);
	for (size_t i = 0; i < dp->nfilters && !c.fail_write; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		size_t j = first_named(&names, dp, i, &hrc);
		if (hrc < 0) {
			aclf_err_nomem(c.err);
			goto out;
		}
		if (j < i) {
			/* the same filter bound a second time */
			if (!same_rules(&dp->filters[j], f)) {
				aclf_err_set(err, ACLF_E_POLICY,
					     "device '%s': two different filters are named '%s'", dp->name,
					     f->name);
				goto out;
			}
			fam[i][0] = fam[j][0];
			fam[i][1] = fam[j][1];
			continue;
		}
		if (emit_filter(&c, f, fam[i]) < 0)
			goto out;
		if (aclf_buf_flush_point(out) < 0)
			c.fail_write = true;
	}
	if (!c.fail_write && emit_bindings(&c, fam) < 0)
		goto out;
	if (c.fail_write) {
		/* the sink knows the reason; its caller says it */
		aclf_err_set(err, ACLF_E_INPUT, "device '%s': the configuration could not be written",
			     dp->name);
		goto out;
	}
	if (c.fail_nomem || err->count != err0) {
		if (err->count == err0)
			aclf_err_nomem(c.err);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		aclf_buf_truncate(out, start);
	aclf_htab_free(&names);
	aclf_htab_free(&c.pl_by_name);
	aclf_arena_release(&c.a);
	return rc;
}
