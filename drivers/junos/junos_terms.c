/* A family filter's terms as neutral rules (still in the model's arena).
 *
 * - Address matches of one direction (addresses and prefix lists together)
 *   follow Junos longest-match: an address matches when the most specific
 *   entry holding it is not `except`. Only `except` entries match nothing.
 *   No entry: the whole family.
 * - `address`/`prefix-list` (either direction) and `port` (either direction)
 *   become two rules each, one per direction; a protocol list becomes one
 *   rule per protocol. The rules keep the term's order and action.
 * - A term that can never match (an empty intersection) yields no rules.
 * - The last term, when it matches everything, is the default action; else
 *   the default is Junos's implicit discard. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "junos_build.h"

static int by_len(const void *a, const void *b)
{
	const struct junos_addr *x = a, *y = b;

	if (x->p.len != y->p.len)
		return x->p.len < y->p.len ? -1 : 1;
	return (int)x->except - (int)y->except;
}

/* Longest-match set of entries: walk from short to long prefixes, adding
 * plain runs and removing except runs. */
static int lpm_set(struct aclf_arena *a, struct junos_addr *v, size_t n,
		   struct aclf_prefix_set *out)
{
	struct aclf_prefix *tmp;
	struct aclf_prefix_set cur = { 0 };
	size_t i = 0;

	if (n == 0) {
		*out = cur;
		return 0;
	}
	qsort(v, n, sizeof(*v), by_len);
	tmp = aclf_arena_alloc(a, n * sizeof(*tmp));
	if (!tmp)
		return -1;
	while (i < n) {
		bool ex = v[i].except;
		size_t k = 0;
		struct aclf_prefix_set run, next;
		/* a run: same except flag; within it, order does not matter as
		 * long as no longer prefix of the other kind sits in between */
		while (i < n && v[i].except == ex)
			tmp[k++] = v[i++].p;
		if (aclf_pset_merge(a, tmp, k, &run) < 0)
			return -1;
		if (ex ? aclf_pset_subtract(a, &cur, &run, &next) : aclf_pset_union(a, &cur, &run, &next))
			return -1;
		cur = next;
	}
	*out = cur;
	return 0;
}

struct dirmatch {
	bool given;
	struct aclf_prefix_set set;
	const char *name;
};

static int dir_match(struct junos_model *m, const struct junos_ffilter *f,
		     const struct junos_term *t, int dir, struct dirmatch *out, struct aclf_err *err)
{
	struct junos_addr *v;
	size_t n = 0, total = t->naddr[dir];

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < t->npl[dir]; k++) {
		const struct junos_plref *r = &t->pl[dir][k];
		const struct junos_plist *pl = junos_model_plist(m, r->name);
		if (!pl)
			return aclf_err_at(err, m->name, r->line, r->col,
					   "prefix-list '%s' is not defined", r->name);
		if (pl->dynamic)
			return aclf_err_at(err, m->name, r->line, r->col,
					   "prefix-list '%s' uses apply-path; its prefixes are not in the text",
					   r->name);
		total += pl->n;
	}
	if (t->naddr[dir] == 0 && t->npl[dir] == 0)
		return 0;
	out->given = true;
	v = aclf_arena_alloc(&m->arena, (total ? total : 1) * sizeof(*v));
	if (!v)
		return aclf_err_nomem(err);
	for (size_t k = 0; k < t->naddr[dir]; k++)
		v[n++] = t->addr[dir][k];
	for (size_t k = 0; k < t->npl[dir]; k++) {
		const struct junos_plref *r = &t->pl[dir][k];
		const struct junos_plist *pl = junos_model_plist(m, r->name);
		for (size_t j = 0; j < pl->n; j++) {
			if (pl->v[j].family != f->family)
				continue;
			v[n].p = pl->v[j];
			v[n].except = r->except;
			n++;
		}
	}
	if (lpm_set(&m->arena, v, n, &out->set) < 0)
		return aclf_err_nomem(err);
	if (t->naddr[dir] == 0 && t->npl[dir] == 1 && !t->pl[dir][0].except)
		out->name = t->pl[dir][0].name;
	return 0;
}

struct portmatch {
	bool given;
	struct aclf_port_set set;
};

static int port_match(struct aclf_arena *a, const struct junos_ports *p, struct portmatch *out)
{
	static const struct aclf_port_range all = { 0, 65535 };
	struct aclf_port_set pos, ex;

	memset(out, 0, sizeof(*out));
	if (!p->set && !p->nex)
		return 0;
	out->given = true;
	if (p->set) {
		if (aclf_ports_merge(a, p->v, p->n, &pos) < 0)
			return -1;
	} else {
		pos.v = (struct aclf_port_range *)&all;
		pos.n = 1;
	}
	if (!p->nex) {
		out->set = pos;
		return p->set ? 0 : aclf_ports_copy(a, &pos, &out->set);
	}
	if (aclf_ports_merge(a, p->ex, p->nex, &ex) < 0)
		return -1;
	return aclf_ports_subtract(a, &pos, &ex, &out->set);
}

/* x restricted to y; a port match that is not given means any port */
static int ports_and(struct aclf_arena *a, const struct portmatch *x, const struct portmatch *y,
		     struct portmatch *out)
{
	if (!x->given) {
		*out = *y;
		return 0;
	}
	out->given = true;
	return aclf_ports_intersect(a, &x->set, &y->set, &out->set);
}

static int full_family(struct aclf_arena *a, int family, struct aclf_prefix_set *out)
{
	struct aclf_prefix p;

	memset(&p, 0, sizeof(p));
	p.family = (uint8_t)family;
	return aclf_pset_merge(a, &p, 1, out);
}

static int push_rule(struct junos_model *m, struct junos_fconv *c, const struct junos_ffilter *f,
		     size_t ti, struct aclf_rule *r, struct aclf_err *err)
{
	const struct junos_term *t = &f->terms[ti];
	struct junos_frule *fr;

	/* `port 80` with `destination-port 80` expands to the same rule twice */
	for (size_t i = c->n; i > 0 && c->v[i - 1].term == ti; i--) {
		const struct aclf_rule *o = &c->v[i - 1].rule;
		if (o->protocol == r->protocol && aclf_pset_equal(&o->src, &r->src) &&
		    aclf_pset_equal(&o->dst, &r->dst) && aclf_ports_equal(&o->src_ports, &r->src_ports) &&
		    aclf_ports_equal(&o->dst_ports, &r->dst_ports))
			return 0;
	}
	if (aclf_arena_grow(&m->arena, (void **)&c->v, c->n, &c->cap, sizeof(*c->v)) < 0)
		return aclf_err_nomem(err);
	fr = &c->v[c->n++];
	fr->rule = *r;
	fr->term = ti;
	fr->rule.device_name = t->name;
	fr->rule.comment = t->comment;
	fr->rule.opaque = t->opaque;
	fr->rule.raw = t->raw;
	fr->rule.hits = -1;
	return 0;
}

static int term_rules(struct junos_model *m, struct junos_fconv *c, const struct junos_ffilter *f,
		      size_t ti, struct aclf_err *err)
{
	const struct junos_term *t = &f->terms[ti];
	struct aclf_arena *a = &m->arena;
	struct dirmatch d[JUNOS_NDIR];
	struct portmatch p[JUNOS_NDIR];
	struct aclf_prefix_set asrc[2], adst[2];
	const char *asrc_name[2], *adst_name[2];
	struct portmatch psrc[2], pdst[2];
	size_t na = 0, np = 0, nproto = t->nprotos ? t->nprotos : 1;

	if (t->established && (t->nprotos != 1 || t->protos[0] != ACLF_PROTO_TCP))
		return aclf_err_at(err, m->name, t->est_line, t->est_col,
				   "term '%s': tcp-established needs exactly 'protocol tcp'", t->name);
	for (int k = 0; k < JUNOS_NDIR; k++) {
		if (dir_match(m, f, t, k, &d[k], err) < 0)
			return -1;
		if (port_match(a, &t->ports[k], &p[k]) < 0)
			return aclf_err_nomem(err);
	}
	for (int k = JUNOS_SRC; k <= JUNOS_DST; k++) {
		if (!d[k].given && full_family(a, f->family, &d[k].set) < 0)
			return aclf_err_nomem(err);
	}
	/* address choices: (src, dst), or one per direction for `address` */
	if (!d[JUNOS_ANYDIR].given) {
		asrc[0] = d[JUNOS_SRC].set;
		adst[0] = d[JUNOS_DST].set;
		asrc_name[0] = d[JUNOS_SRC].name;
		adst_name[0] = d[JUNOS_DST].name;
		na = 1;
	} else {
		for (int k = 0; k < 2; k++) {
			const struct dirmatch *keep = &d[k ? JUNOS_SRC : JUNOS_DST];
			const struct dirmatch *cut = &d[k ? JUNOS_DST : JUNOS_SRC];
			struct aclf_prefix_set x;
			if (aclf_pset_intersect(a, &cut->set, &d[JUNOS_ANYDIR].set, &x) < 0)
				return aclf_err_nomem(err);
			if (k == 0) {
				asrc[na] = x;
				adst[na] = keep->set;
				asrc_name[na] = aclf_pset_equal(&x, &cut->set) ? cut->name : NULL;
				adst_name[na] = keep->name;
			} else {
				asrc[na] = keep->set;
				adst[na] = x;
				asrc_name[na] = keep->name;
				adst_name[na] = aclf_pset_equal(&x, &cut->set) ? cut->name : NULL;
			}
			na++;
		}
	}
	/* port choices likewise for `port` */
	if (!p[JUNOS_ANYDIR].given) {
		psrc[0] = p[JUNOS_SRC];
		pdst[0] = p[JUNOS_DST];
		np = 1;
	} else {
		if (ports_and(a, &p[JUNOS_SRC], &p[JUNOS_ANYDIR], &psrc[0]) < 0 ||
		    ports_and(a, &p[JUNOS_DST], &p[JUNOS_ANYDIR], &pdst[1]) < 0)
			return aclf_err_nomem(err);
		pdst[0] = p[JUNOS_DST];
		psrc[1] = p[JUNOS_SRC];
		np = 2;
	}
	for (size_t pi = 0; pi < nproto; pi++) {
		for (size_t ai = 0; ai < na; ai++) {
			if (!asrc[ai].n || !adst[ai].n)
				continue;
			for (size_t qi = 0; qi < np; qi++) {
				struct aclf_rule r;
				if ((psrc[qi].given && !psrc[qi].set.n) || (pdst[qi].given && !pdst[qi].set.n))
					continue;
				memset(&r, 0, sizeof(r));
				r.action = (t->action == JUNOS_ACT_DISCARD || t->action == JUNOS_ACT_REJECT)
						   ? ACLF_DENY : ACLF_PERMIT;
				r.protocol = t->nprotos ? t->protos[pi] : ACLF_PROTO_ANY;
				r.src = asrc[ai];
				r.dst = adst[ai];
				r.src_name = asrc_name[ai];
				r.dst_name = adst_name[ai];
				r.src_ports = psrc[qi].set;
				r.dst_ports = pdst[qi].set;
				r.established = t->established;
				if (push_rule(m, c, f, ti, &r, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

static bool matches_all(const struct junos_term *t)
{
	for (int k = 0; k < JUNOS_NDIR; k++)
		if (t->naddr[k] || t->npl[k] || t->ports[k].set || t->ports[k].nex)
			return false;
	return !t->nprotos && !t->established && !t->opaque;
}

int junos_convert_filter(struct junos_model *m, const struct junos_ffilter *f,
			 struct junos_fconv *c, struct aclf_err *err)
{
	size_t nt = f->nterms;

	memset(c, 0, sizeof(*c));
	c->f = f;
	c->def = ACLF_DENY;
	if (nt && matches_all(&f->terms[nt - 1])) {
		const struct junos_term *last = &f->terms[nt - 1];
		c->def = (last->action == JUNOS_ACT_DISCARD || last->action == JUNOS_ACT_REJECT)
				 ? ACLF_DENY : ACLF_PERMIT;
		c->def_term = last;
		nt--;
	}
	for (size_t i = 0; i < nt; i++)
		if (term_rules(m, c, f, i, err) < 0)
			return -1;
	return 0;
}
