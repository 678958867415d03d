/* Plan: a safe replace by versioned names (README.md here, "Plan").
 *
 * IOS edits an access list in place: `ip access-list extended F` on an
 * existing list appends to it, and so does `object-group network G` on an
 * existing group. So the intended lists are never written over the lists
 * the interfaces use: the device's aclforge lists and object-groups come in
 * two versions, A (the names render writes: F, F-V6, G) and B (F.B,
 * F.B-V6, G.B), and a plan writes the version the device does not use:
 *
 *   no ip access-list extended F.B    leftovers of the new version's names
 *   no object-group network G.B       (a failed apply), only if live has them
 *   object-group network G.B ...      the render text under the new names
 *   ip access-list extended F.B ...
 *   ipv6 access-list F.B-V6 ...
 *   interface X                       one command swaps each binding
 *    ip access-group F.B in
 *    ipv6 traffic-filter F.B-V6 in
 *   interface Y                       aclforge points the intended policy
 *    no ip access-group OLD in        leaves unfiltered
 *   no ip access-list extended F      the lists no binding uses any more
 *   no ipv6 access-list F-V6
 *   no object-group network G         and the groups only they used
 *
 * The '.' cannot occur in a topology's filter names (letters, digits, '-',
 * '_'), so a version name never meets another filter's name. What is
 * aclforge's is decided as for Junos (README.md, "Plan"): binding points
 * the intended policy binds or the topology protects, lists the intended
 * policy names (in either version) or the live device binds at such a
 * point; object-groups only those lists use. */
#include <stdio.h>
#include <string.h>

#include "aclforge/topology.h"
#include "ios.h"

#define VERSION_B ".B"

/* one access list of the live device */
struct ilist {
	const char *name;
	uint8_t fam;
	const struct aclf_filter *f; /* the neutral filter holding its rules */
	bool bound_managed;          /* bound at an aclforge point in live */
	int owned_gen;               /* 'A'/'B': a version name of an intended filter, else 0 */
	bool del_start, del_end;     /* the plan deletes it before / after the swap */
	bool used_after;             /* a binding the plan keeps uses it */
};

/* one binding of the live device */
struct ibind {
	const char *iface;
	enum aclf_direction dir;
	uint8_t fam;
	const char *list;
	bool unbind, replaced;
};

struct igroup {
	const char *kind; /* "network", "service", "v6-network", "v6-service" */
	const char *name;
	bool del_start, del_end;
};

struct pctx {
	struct aclf_arena a;
	const struct aclf_devpol *want, *live;
	const struct aclf_device *dev;
	const char *devname;
	struct aclf_err *err;
	struct ilist *lists;
	size_t nlists, lcap;
	struct ibind *binds;
	size_t nbinds, bcap;
	struct igroup *groups;
	size_t ngroups, gcap;
	int gen; /* the version the plan writes */
	const char *probe_kind, *probe_name; /* check_new_groups */
	bool probe_hit;
};

static int nomem(struct pctx *c)
{
	return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory planning device '%s'", c->devname);
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const char *gen_suffix(int gen)
{
	return gen == 'B' ? VERSION_B : "";
}

/* ---- what is aclforge's ---------------------------------------------------- */

static bool intended_binds(const struct pctx *c, const char *iface, enum aclf_direction dir)
{
	for (size_t i = 0; i < c->want->nfilters; i++) {
		const struct aclf_binding *b = &c->want->filters[i].binding;
		if (b->kind == ACLF_BIND_INTERFACE && b->direction == dir && streq(b->name, iface))
			return true;
	}
	return false;
}

static bool managed_point(const struct pctx *c, const char *iface, enum aclf_direction dir)
{
	if (intended_binds(c, iface, dir))
		return true;
	for (size_t i = 0; c->dev && i < c->dev->nprotects; i++) {
		const struct aclf_protect *p = &c->dev->protects[i];
		if (p->interface && (enum aclf_direction)p->direction == dir && streq(p->interface, iface))
			return true;
	}
	return false;
}

/* 'A' or 'B' when name is that version's name of an intended filter's list
 * of family fam (F / F.B for IPv4, F-V6 / F.B-V6 for IPv6), else 0. */
static int owned_gen(const struct pctx *c, const char *name, uint8_t fam)
{
	size_t n = strlen(name), nv = strlen(IOS_V6_SUFFIX), nb = strlen(VERSION_B);

	if (fam == 6) {
		if (n <= nv || strcmp(name + n - nv, IOS_V6_SUFFIX) != 0)
			return 0;
		n -= nv;
	}
	for (size_t i = 0; i < c->want->nfilters; i++) {
		const char *f = c->want->filters[i].name;
		size_t nf = f ? strlen(f) : 0;
		if (!nf || strncmp(name, f, nf) != 0)
			continue;
		if (n == nf)
			return 'A';
		if (n == nf + nb && strncmp(name + nf, VERSION_B, nb) == 0)
			return 'B';
	}
	return 0;
}

/* ---- the live device's lists and bindings ---------------------------------- */

static uint8_t rule_family(const struct aclf_rule *r)
{
	return r->src.n ? r->src.v[0].family : r->dst.n ? r->dst.v[0].family : 0;
}

static bool implicit(const struct aclf_rule *r)
{
	for (size_t k = 0; k < r->nprov; k++)
		if (streq(r->prov[k].kind, "device") && streq(r->prov[k].ref, IOS_PROV_IMPLICIT))
			return true;
	return false;
}

static bool has_family(const struct aclf_filter *f, uint8_t fam)
{
	for (size_t i = 0; i < f->nrules; i++)
		if (!implicit(&f->rules[i]) && rule_family(&f->rules[i]) == fam)
			return true;
	return false;
}

static struct ilist *find_list(struct pctx *c, const char *name, uint8_t fam)
{
	for (size_t i = 0; i < c->nlists; i++)
		if (c->lists[i].fam == fam && !strcmp(c->lists[i].name, name))
			return &c->lists[i];
	return NULL;
}

static int add_list(struct pctx *c, const char *name, uint8_t fam, const struct aclf_filter *f)
{
	struct ilist *l;

	if (find_list(c, name, fam))
		return 0; /* one list bound at several points */
	if (aclf_arena_grow(&c->a, (void **)&c->lists, c->nlists, &c->lcap, sizeof(*c->lists)) < 0)
		return nomem(c);
	l = &c->lists[c->nlists++];
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->fam = fam;
	l->f = f;
	l->owned_gen = owned_gen(c, name, fam);
	return 0;
}

static int add_bind(struct pctx *c, const struct aclf_binding *b, uint8_t fam, const char *list)
{
	struct ibind *x;

	if (aclf_arena_grow(&c->a, (void **)&c->binds, c->nbinds, &c->bcap, sizeof(*c->binds)) < 0)
		return nomem(c);
	x = &c->binds[c->nbinds++];
	memset(x, 0, sizeof(*x));
	x->iface = b->name;
	x->dir = b->direction;
	x->fam = fam;
	x->list = list;
	return 0;
}

/* What parse says about a family at a binding point: its rule standing for
 * the family (see IOS_NOTE_*): no list bound, a list bound but not defined,
 * or (no such rule) a list bound and defined. */
enum fstate { F_LIST, F_UNBOUND, F_UNDEFINED };

static enum fstate family_state(const struct aclf_filter *f, uint8_t fam)
{
	const char *no = fam == 4 ? IOS_NOTE_NO_V4 : IOS_NOTE_NO_V6;

	for (size_t i = 0; i < f->nrules; i++) {
		const struct aclf_rule *r = &f->rules[i];
		if (!implicit(r) || rule_family(r) != fam || !r->comment)
			continue;
		return strncmp(r->comment, no, strlen(no)) == 0 ? F_UNBOUND : F_UNDEFINED;
	}
	return F_LIST;
}

static int cannot(struct pctx *c, const struct aclf_filter *f, const char *why)
{
	return aclf_err_set(c->err, ACLF_E_POLICY,
			    "device '%s': cannot plan: live filter '%s'%s%s%s %s; change it by hand",
			    c->devname, f->name ? f->name : "",
			    f->binding.kind == ACLF_BIND_INTERFACE ? " at " : "",
			    f->binding.kind == ACLF_BIND_INTERFACE ? f->binding.name : "",
			    f->binding.kind == ACLF_BIND_INTERFACE
				    ? (f->binding.direction == ACLF_DIR_IN ? " in" : " out")
				    : "",
			    why);
}

/* The list names of a filter at a binding point. Parse names it after the
 * IPv4 list (F for F + F-V6), "A+B" for unrelated names, or after the IPv6
 * list when no IPv4 list is bound; names err when that cannot be undone. */
static int point_names(struct pctx *c, const struct aclf_filter *f, bool v4, bool v6,
		       const char **n4, const char **n6, const char **why)
{
	const char *n = f->name, *plus = strchr(n, '+');

	*n4 = *n6 = NULL;
	*why = NULL;
	if (v4 && !v6) {
		*n4 = n;
	} else if (v6 && !v4) {
		*n6 = n;
	} else if (v4 && v6) {
		if (!plus) {
			*n4 = n;
			if (!(*n6 = aclf_arena_printf(&c->a, "%s%s", n, IOS_V6_SUFFIX)))
				return nomem(c);
		} else if (strchr(plus + 1, '+') || plus == n || !plus[1]) {
			*why = "joins an IPv4 and an IPv6 list whose names cannot be told apart";
		} else {
			/* one '+': the join of two names (a name with '+' and its -V6
			 * list would read the same; aclforge never writes one) */
			if (!(*n4 = aclf_arena_strndup(&c->a, n, (size_t)(plus - n))))
				return nomem(c);
			*n6 = plus + 1;
		}
	}
	return 0;
}

static int read_live(struct pctx *c)
{
	for (size_t i = 0; i < c->live->nfilters; i++) {
		const struct aclf_filter *f = &c->live->filters[i];
		const char *n4, *n6, *why;
		if (!f->name || !*f->name)
			return cannot(c, f, "has no name");
		if (f->binding.kind == ACLF_BIND_INTERFACE && f->binding.name) {
			enum fstate s4 = family_state(f, 4), s6 = family_state(f, 6);
			if (point_names(c, f, s4 != F_UNBOUND, s6 != F_UNBOUND, &n4, &n6, &why) < 0)
				return -1;
			if (why)
				return cannot(c, f, why);
			if ((n4 && add_bind(c, &f->binding, 4, n4) < 0) ||
			    (n6 && add_bind(c, &f->binding, 6, n6) < 0) ||
			    (n4 && s4 == F_LIST && add_list(c, n4, 4, f) < 0) ||
			    (n6 && s6 == F_LIST && add_list(c, n6, 6, f) < 0))
				return -1;
			continue;
		}
		/* bound nowhere: list NAME (with NAME-V6 joined), or an IPv6
		 * list alone */
		bool h4 = has_family(f, 4), h6 = has_family(f, 6);
		if (h4) {
			if (add_list(c, f->name, 4, f) < 0)
				return -1;
			if (h6) {
				const char *v6 = aclf_arena_printf(&c->a, "%s%s", f->name, IOS_V6_SUFFIX);
				if (!v6 || add_list(c, v6, 6, f) < 0)
					return v6 ? -1 : nomem(c);
			}
		} else if (h6) {
			/* an IPv6 list alone, or an empty IPv4 list with its -V6
			 * (parse gives the same filter): for a list aclforge
			 * writes under this name, the second cannot be ruled out */
			if (owned_gen(c, f->name, 4))
				return cannot(c, f, "has an IPv6 part only: whether an empty IPv4 "
						    "list of that name exists cannot be told");
			if (add_list(c, f->name, 6, f) < 0)
				return -1;
		} else if (owned_gen(c, f->name, 4) || owned_gen(c, f->name, 6)) {
			return cannot(c, f, "is empty: whether it is an IPv4 or an IPv6 list cannot be told");
		}
	}
	return 0;
}

/* ---- object-groups -------------------------------------------------------- */

static struct igroup *find_group(struct pctx *c, const char *kind, const char *name)
{
	for (size_t i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].kind, kind) && !strcmp(c->groups[i].name, name))
			return &c->groups[i];
	return NULL;
}

static struct igroup *add_group(struct pctx *c, const char *kind, const char *name)
{
	struct igroup *g = find_group(c, kind, name);

	if (g)
		return g;
	if (aclf_arena_grow(&c->a, (void **)&c->groups, c->ngroups, &c->gcap, sizeof(*c->groups)) < 0)
		return NULL;
	g = &c->groups[c->ngroups++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->name = name;
	return g;
}

/* Call fn for every object-group list l uses (its rules of l's family:
 * address groups in src_name/dst_name, the service group parse notes in
 * the comment). */
static int each_group(struct pctx *c, const struct ilist *l,
		      int (*fn)(struct pctx *, const struct ilist *, const char *, const char *))
{
	const char *net = l->fam == 4 ? "network" : "v6-network";
	const char *svc = l->fam == 4 ? "service" : "v6-service";

	for (size_t i = 0; i < l->f->nrules; i++) {
		const struct aclf_rule *r = &l->f->rules[i];
		const char *s;
		if (implicit(r) || rule_family(r) != l->fam)
			continue;
		if ((r->src_name && fn(c, l, net, r->src_name) < 0) ||
		    (r->dst_name && fn(c, l, net, r->dst_name) < 0))
			return -1;
		if (r->comment && (s = strstr(r->comment, IOS_NOTE_SVC)) &&
		    !strchr(s + strlen(IOS_NOTE_SVC), ' ') && !strchr(s + strlen(IOS_NOTE_SVC), ';') &&
		    fn(c, l, svc, s + strlen(IOS_NOTE_SVC)) < 0)
			return -1;
	}
	return 0;
}

/* pass one: every group a deleted list uses is a candidate */
static int mark_group(struct pctx *c, const struct ilist *l, const char *kind, const char *name)
{
	struct igroup *g;

	if (!l->del_start && !l->del_end)
		return 0;
	if (!(g = add_group(c, kind, name)))
		return nomem(c);
	if (l->del_start)
		g->del_start = true;
	else
		g->del_end = true;
	return 0;
}

/* pass two: a group a list the plan keeps uses stays; one a list deleted
 * after the swap uses goes only then */
static int keep_group(struct pctx *c, const struct ilist *l, const char *kind, const char *name)
{
	struct igroup *g = find_group(c, kind, name);

	if (!g || l->del_start)
		return 0;
	if (l->del_end) {
		g->del_end |= g->del_start;
		g->del_start = false;
	} else {
		g->del_start = g->del_end = false;
	}
	return 0;
}

static int probe_group(struct pctx *c, const struct ilist *l, const char *kind, const char *name)
{
	(void)l;
	c->probe_hit |= !strcmp(kind, c->probe_kind) && !strcmp(name, c->probe_name);
	return 0;
}

/* The groups the new version defines must not be in use by a live list
 * the plan does not delete before writing them: `object-group` would add
 * to the group that list uses. */
static int check_new_groups(struct pctx *c, const char *body)
{
	for (const char *p = body; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char kind[16], name[256];
		if (sscanf(p, "object-group %15s %255s", kind, name) != 2)
			continue;
		c->probe_kind = kind;
		c->probe_name = name;
		for (size_t i = 0; i < c->nlists; i++) {
			const struct ilist *l = &c->lists[i];
			c->probe_hit = false;
			if (l->del_start || each_group(c, l, probe_group) < 0 || !c->probe_hit)
				continue;
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': cannot plan: object-group '%s', which the new "
					    "version defines, is used by live access list '%s'",
					    c->devname, name, l->name);
		}
	}
	return 0;
}

/* ---- decisions ------------------------------------------------------------ */

static int choose_version(struct pctx *c)
{
	const struct ibind *in_use[2] = { NULL, NULL };

	for (size_t i = 0; i < c->nbinds; i++) {
		int g = owned_gen(c, c->binds[i].list, c->binds[i].fam);
		if (g && !in_use[g == 'B'])
			in_use[g == 'B'] = &c->binds[i];
	}
	c->gen = in_use[0] ? 'B' : 'A';
	if (in_use[0] && in_use[1])
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': cannot plan: both versions of aclforge's lists are "
				    "bound ('%s' at %s, '%s' at %s), so neither name is free; bind one "
				    "version everywhere first",
				    c->devname, in_use[0]->list, in_use[0]->iface, in_use[1]->list,
				    in_use[1]->iface);
	return 0;
}

static int decide(struct pctx *c)
{
	bool any_bound = c->nbinds > 0, deletes = false;

	for (size_t i = 0; i < c->nbinds; i++) {
		struct ibind *b = &c->binds[i];
		struct ilist *l = find_list(c, b->list, b->fam);
		bool managed = managed_point(c, b->iface, b->dir);
		if (l && managed)
			l->bound_managed = true;
		if (intended_binds(c, b->iface, b->dir))
			b->replaced = true; /* the render text binds both families there */
		else if (managed || owned_gen(c, b->list, b->fam))
			b->unbind = true;
	}
	for (size_t i = 0; i < c->nbinds; i++) {
		struct ilist *l = find_list(c, c->binds[i].list, c->binds[i].fam);
		if (l && !c->binds[i].unbind && !c->binds[i].replaced)
			l->used_after = true;
	}
	for (size_t i = 0; i < c->nlists; i++) {
		struct ilist *l = &c->lists[i];
		if (l->owned_gen == c->gen)
			l->del_start = true; /* not bound: choose_version saw to it */
		else if ((l->owned_gen || l->bound_managed) && !l->used_after)
			l->del_end = true;
		deletes |= l->del_start || l->del_end;
	}
	if (deletes && !any_bound)
		return aclf_err_set(c->err, ACLF_E_POLICY,
				    "device '%s': cannot plan: the live text binds no access list "
				    "(show access-lists output?), so deleting aclforge's lists could "
				    "delete lists in use; plan against the running configuration",
				    c->devname);
	for (size_t i = 0; i < c->nlists; i++)
		if (each_group(c, &c->lists[i], mark_group) < 0)
			return -1;
	for (size_t i = 0; i < c->nlists; i++)
		if (each_group(c, &c->lists[i], keep_group) < 0)
			return -1;
	return 0;
}

/* ---- text ---------------------------------------------------------------- */

static int put_list_deletes(const struct pctx *c, struct aclf_buf *b, bool start)
{
	int rc = 0;

	for (uint8_t fam = 4; fam <= 6; fam += 2)
		for (size_t i = 0; i < c->nlists; i++) {
			const struct ilist *l = &c->lists[i];
			if (l->fam != fam || !(start ? l->del_start : l->del_end))
				continue;
			rc |= fam == 4 ? aclf_buf_printf(b, "no ip access-list extended %s\n", l->name)
				       : aclf_buf_printf(b, "no ipv6 access-list %s\n", l->name);
		}
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct igroup *g = &c->groups[i];
		if (start ? g->del_start : g->del_end)
			rc |= aclf_buf_printf(b, "no object-group %s %s\n", g->kind, g->name);
	}
	return rc ? -1 : 0;
}

static int put_unbinds(const struct pctx *c, struct aclf_buf *b)
{
	int rc = 0;

	for (size_t i = 0; i < c->nbinds; i++) {
		const struct ibind *x = &c->binds[i];
		bool first = true;
		if (!x->unbind)
			continue;
		for (size_t j = 0; j < i && first; j++)
			first = !(c->binds[j].unbind && !strcmp(c->binds[j].iface, x->iface));
		if (!first)
			continue;
		rc |= aclf_buf_printf(b, "interface %s\n", x->iface);
		for (size_t j = i; j < c->nbinds; j++) {
			const struct ibind *y = &c->binds[j];
			if (!y->unbind || strcmp(y->iface, x->iface))
				continue;
			rc |= aclf_buf_printf(b, " %s %s %s\n", y->fam == 4 ? IOS_NOTE_NO_V4 : IOS_NOTE_NO_V6,
					      y->list, aclf_direction_name(y->dir));
		}
		rc |= aclf_buf_puts(b, "!\n");
	}
	return rc ? -1 : 0;
}

/* The intended policy under the new version's names. */
static int versioned(struct pctx *c, struct aclf_devpol *out)
{
	*out = *c->want;
	if (c->gen == 'A')
		return 0;
	out->filters = aclf_arena_alloc(&c->a, (c->want->nfilters ? c->want->nfilters : 1) *
						       sizeof(*out->filters));
	if (!out->filters)
		return nomem(c);
	for (size_t i = 0; i < c->want->nfilters; i++) {
		out->filters[i] = c->want->filters[i];
		out->filters[i].name = aclf_arena_printf(&c->a, "%s%s", c->want->filters[i].name,
							 VERSION_B);
		if (!out->filters[i].name)
			return nomem(c);
	}
	return 0;
}

static int check_names(struct pctx *c)
{
	for (size_t i = 0; i < c->want->nfilters; i++) {
		const char *n = c->want->filters[i].name;
		size_t nn = n ? strlen(n) : 0, nb = strlen(VERSION_B);
		if (nn >= nb && !strcmp(n + nn - nb, VERSION_B))
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': cannot plan: filter name '%s' ends in '%s', "
					    "which marks aclforge's version names",
					    c->devname, n, VERSION_B);
	}
	return 0;
}

int ios_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	     const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	struct pctx c;
	struct aclf_buf pre = ACLF_BUF_INIT, body = ACLF_BUF_INIT;
	struct aclf_devpol named;
	struct ios_render_opts o;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	aclf_arena_init(&c.a);
	aclf_buf_init(&pre, 0);
	aclf_buf_init(&body, 0);
	c.want = intended;
	c.live = live;
	c.dev = dev;
	c.devname = intended->name ? intended->name : "?";
	c.err = err;
	c.gen = 'A';
	/* what render refuses, under the names the topology gave */
	if (check_names(&c) < 0 || ios_render(intended, &body, err) < 0)
		goto out;
	aclf_buf_reset(&body);
	if (live && (read_live(&c) < 0 || choose_version(&c) < 0 || decide(&c) < 0))
		goto out;
	if (put_list_deletes(&c, &pre, true) < 0 || versioned(&c, &named) < 0) {
		nomem(&c);
		goto out;
	}
	o.og_suffix = gen_suffix(c.gen);
	o.preamble = pre.len ? pre.buf : NULL;
	if (ios_render_ex(&named, &o, &body, err) < 0 || check_new_groups(&c, body.buf) < 0)
		goto out;
	if (put_unbinds(&c, &body) < 0 || put_list_deletes(&c, &body, false) < 0 ||
	    aclf_buf_add(out, body.buf, body.len) < 0) {
		nomem(&c);
		goto out;
	}
	rc = 0;
out:
	aclf_buf_release(&pre);
	aclf_buf_release(&body);
	aclf_arena_release(&c.a);
	return rc;
}
