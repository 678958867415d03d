/* Statements into the model: firewall filters of family inet and inet6,
 * policy-options prefix lists, interface filter bindings. `deactivate`d
 * paths are skipped (the device does not use them); `delete` removes what
 * it names. Other hierarchies are ignored; a top-level word that is the
 * beginning of one we read ("firew") is an error, since it is a cut line. */
#include <stdio.h>
#include <string.h>

#include "aclforge/err.h"
#include "junos.h"

struct dpath {
	const struct junos_tok *tok;
	size_t ntok;
};

struct dlist {
	struct dpath *v;
	size_t n, cap;
};

void junos_model_init(struct junos_model *m, const char *name)
{
	memset(m, 0, sizeof(*m));
	aclf_arena_init(&m->arena);
	m->name = name;
}

void junos_model_release(struct junos_model *m)
{
	aclf_arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

static bool is(const struct junos_stmt *s, size_t i, const char *w)
{
	return i < s->ntok && !strcmp(s->tok[i].s, w);
}

/* w is a proper beginning of one of the keywords: a line cut mid-word */
static bool cut_word(const char *w, const char *const *kw)
{
	size_t n = strlen(w);

	for (; *kw; kw++)
		if (n && n < strlen(*kw) && !strncmp(w, *kw, n))
			return true;
	return false;
}

static int at(struct junos_model *m, const struct junos_stmt *s, size_t i, struct aclf_err *err,
	      const char *what)
{
	char snip[64];
	const struct junos_tok *t;

	if (s->ntok == 0)
		return aclf_err_at(err, m->name, s->line, 1, "empty statement");
	t = &s->tok[i < s->ntok ? i : s->ntok - 1];
	/* incomplete: at the last word, which the message quotes */
	if (i >= s->ntok)
		return aclf_err_at(err, m->name, t->line, t->col, "incomplete statement: %s after '%s'",
				   what, junos_snippet(snip, sizeof(snip), t->s, strlen(t->s)));
	return aclf_err_at(err, m->name, t->line, t->col, "%s '%s'", what,
			   junos_snippet(snip, sizeof(snip), t->s, strlen(t->s)));
}

struct junos_ffilter *junos_model_filter(struct junos_model *m, int family, const char *name)
{
	if (m->nfilters && m->filters[m->nfilters - 1].family == family &&
	    !strcmp(m->filters[m->nfilters - 1].name, name))
		return &m->filters[m->nfilters - 1];
	for (size_t i = 0; i < m->nfilters; i++)
		if (m->filters[i].family == family && !strcmp(m->filters[i].name, name))
			return &m->filters[i];
	return NULL;
}

bool junos_model_has_family(const struct junos_model *m, const char *ifname, int family)
{
	char key[512];

	snprintf(key, sizeof(key), "%s %s", ifname, family == 4 ? "inet" : "inet6");
	return junos_smap_get(&m->families, key) >= 0;
}

struct junos_plist *junos_model_plist(struct junos_model *m, const char *name)
{
	for (size_t i = 0; i < m->nplists; i++)
		if (!strcmp(m->plists[i].name, name))
			return &m->plists[i];
	return NULL;
}

static struct junos_term *get_term(struct junos_model *m, struct junos_ffilter *f,
				   const struct junos_tok *name)
{
	struct junos_term *t;

	long i;

	/* a term's statements come together: try the last one first */
	if (f->nterms && !strcmp(f->terms[f->nterms - 1].name, name->s))
		return &f->terms[f->nterms - 1];
	i = junos_smap_get(&f->term_index, name->s);
	if (i >= 0)
		return &f->terms[i];
	if (aclf_arena_grow(&m->arena, (void **)&f->terms, f->nterms, &f->termcap, sizeof(*f->terms)) < 0 ||
	    junos_smap_put(&m->arena, &f->term_index, name->s, (long)f->nterms) < 0)
		return NULL;
	t = &f->terms[f->nterms++];
	memset(t, 0, sizeof(*t));
	t->name = name->s;
	t->line = name->line;
	t->first_rule = -1;
	return t;
}

static int filter_stmt(struct junos_model *m, const struct junos_stmt *s, int family, size_t i,
		       struct aclf_err *err)
{
	static const char *const harmless[] = {
		"interface-specific", "physical-interface-filter", "fast-lookup-filter",
		"instance-shared", "enhanced-mode", "enhanced-mode-override", "accounting-profile",
		"filter-specific", NULL,
	};
	struct junos_ffilter *f;
	struct junos_term *t;

	if (i >= s->ntok)
		return at(m, s, i, err, "expected a filter name");
	f = junos_model_filter(m, family, s->tok[i].s);
	if (!f) {
		if (aclf_arena_grow(&m->arena, (void **)&m->filters, m->nfilters, &m->filtercap,
				    sizeof(*m->filters)) < 0)
			return aclf_err_nomem(err);
		f = &m->filters[m->nfilters++];
		memset(f, 0, sizeof(*f));
		f->name = s->tok[i].s;
		f->family = family;
		f->line = s->tok[i].line;
	}
	i++;
	if (i >= s->ntok)
		return 0;
	if (is(s, i, "term")) {
		if (i + 1 >= s->ntok)
			return at(m, s, i + 1, err, "expected a term name");
		t = get_term(m, f, &s->tok[i + 1]);
		if (!t)
			return aclf_err_nomem(err);
		if (s->comment && s->comment_at == i && !t->comment)
			t->comment = s->comment;
		if (i + 2 >= s->ntok)
			return 0;
		return junos_term_stmt(m, f, t, s, i + 2, err);
	}
	for (size_t k = 0; harmless[k]; k++)
		if (is(s, i, harmless[k]))
			return 0;
	return at(m, s, i, err, "unsupported filter statement");
}

static int firewall_stmt(struct junos_model *m, const struct junos_stmt *s, struct aclf_err *err)
{
	static const char *const fw_kw[] = { "family", "filter", NULL };
	static const char *const fam_kw[] = { "inet", "inet6", NULL };
	static const char *const filter_kw[] = { "filter", NULL };
	int family;

	if (s->ntok == 1)
		return 0;
	if (!is(s, 1, "family")) {
		if (cut_word(s->tok[1].s, fw_kw))
			return at(m, s, 1, err, "unknown statement");
		return 0; /* policer, interface-set, ...: not filters */
	}
	if (s->ntok == 2)
		return at(m, s, 2, err, "expected a family");
	if (is(s, 2, "inet"))
		family = 4;
	else if (is(s, 2, "inet6"))
		family = 6;
	else if (cut_word(s->tok[2].s, fam_kw))
		return at(m, s, 2, err, "unknown family");
	else
		return 0; /* ethernet-switching, bridge, mpls, ...: not IP filters */
	if (s->ntok == 3)
		return 0;
	if (!is(s, 3, "filter")) {
		if (cut_word(s->tok[3].s, filter_kw))
			return at(m, s, 3, err, "unknown statement");
		return 0; /* simple-filter, service-filter, prefix-action */
	}
	return filter_stmt(m, s, family, 4, err);
}

static int plist_stmt(struct junos_model *m, const struct junos_stmt *s, struct aclf_err *err)
{
	static const char *const po_kw[] = { "prefix-list", NULL };
	struct junos_plist *pl;
	struct aclf_prefix p;

	if (s->ntok == 1)
		return 0;
	if (!is(s, 1, "prefix-list")) {
		if (cut_word(s->tok[1].s, po_kw))
			return at(m, s, 1, err, "unknown statement");
		return 0;
	}
	if (s->ntok == 2)
		return at(m, s, 2, err, "expected a prefix-list name");
	pl = junos_model_plist(m, s->tok[2].s);
	if (!pl) {
		if (aclf_arena_grow(&m->arena, (void **)&m->plists, m->nplists, &m->plistcap,
				    sizeof(*m->plists)) < 0)
			return aclf_err_nomem(err);
		pl = &m->plists[m->nplists++];
		memset(pl, 0, sizeof(*pl));
		pl->name = s->tok[2].s;
		pl->line = s->tok[2].line;
	}
	if (s->ntok == 3)
		return 0;
	if (is(s, 3, "apply-path")) {
		pl->dynamic = true;
		return 0;
	}
	if (aclf_prefix_parse(s->tok[3].s, &p, true) < 0)
		return at(m, s, 3, err, "invalid prefix");
	if (s->ntok > 4)
		return at(m, s, 4, err, "unexpected");
	if (aclf_arena_grow(&m->arena, (void **)&pl->v, pl->n, &pl->cap, sizeof(*pl->v)) < 0)
		return aclf_err_nomem(err);
	pl->v[pl->n++] = p;
	return 0;
}

/* interfaces IF unit N family inet|inet6 filter input|output NAME */
static int iface_stmt(struct junos_model *m, const struct junos_stmt *s, struct aclf_err *err)
{
	size_t k;
	int family;
	enum aclf_direction dir;
	struct junos_bind *b;

	/* interfaces IFD unit N family inet|inet6 ...: the unit has the family */
	if (s->ntok >= 6 && is(s, 2, "unit") && is(s, 4, "family") &&
	    (is(s, 5, "inet") || is(s, 5, "inet6"))) {
		const char *key = aclf_arena_printf(&m->arena, "%s.%s %s", s->tok[1].s, s->tok[3].s,
						    s->tok[5].s);
		if (!key || junos_smap_put(&m->arena, &m->families, key, 1) < 0)
			return aclf_err_nomem(err);
	}
	for (k = 1; k + 2 < s->ntok; k++)
		if (is(s, k, "family") && (is(s, k + 1, "inet") || is(s, k + 1, "inet6")) &&
		    is(s, k + 2, "filter"))
			break;
	if (k + 2 >= s->ntok)
		return 0; /* addresses, descriptions, other families */
	if (k != 4 || !is(s, 2, "unit"))
		return at(m, s, 1, err,
			  "filter binding outside 'interfaces IF unit N family F filter':");
	if (strspn(s->tok[3].s, "0123456789") != strlen(s->tok[3].s) || strlen(s->tok[3].s) > 9)
		return at(m, s, 3, err, "invalid unit");
	family = is(s, 5, "inet") ? 4 : 6;
	if (s->ntok == 7 || is(s, 7, "group"))
		return 0;
	if (is(s, 7, "input"))
		dir = ACLF_DIR_IN;
	else if (is(s, 7, "output"))
		dir = ACLF_DIR_OUT;
	else if (is(s, 7, "input-list") || is(s, 7, "output-list"))
		return at(m, s, 7, err, "filter lists are not supported:");
	else
		return at(m, s, 7, err, "unsupported filter attachment");
	if (s->ntok < 9)
		return at(m, s, 9, err, "expected a filter name");
	if (s->ntok > 9)
		return at(m, s, 9, err, "unexpected");
	for (size_t i = 0; i < m->nbinds; i++) {
		b = &m->binds[i];
		if (b->family == family && b->dir == dir && !strcmp(b->ifd, s->tok[1].s) &&
		    !strcmp(b->unit, s->tok[3].s)) {
			b->filter = s->tok[8].s;
			b->line = s->tok[8].line;
			b->col = s->tok[8].col;
			return 0;
		}
	}
	if (aclf_arena_grow(&m->arena, (void **)&m->binds, m->nbinds, &m->bindcap, sizeof(*m->binds)) < 0)
		return aclf_err_nomem(err);
	b = &m->binds[m->nbinds++];
	b->ifd = s->tok[1].s;
	b->unit = s->tok[3].s;
	b->ifname = aclf_arena_printf(&m->arena, "%s.%s", b->ifd, b->unit);
	if (!b->ifname)
		return aclf_err_nomem(err);
	b->family = family;
	b->dir = dir;
	b->filter = s->tok[8].s;
	b->line = s->tok[8].line;
	b->col = s->tok[8].col;
	return 0;
}

/* 0: unrelated, 1: the statement names obj or something holding it,
 * 2: the statement names something inside obj */
static int path_rel(const struct junos_stmt *s, const char *const *obj, size_t nobj)
{
	size_t n = s->ntok < nobj ? s->ntok : nobj;

	for (size_t i = 0; i < n; i++)
		if (strcmp(s->tok[i].s, obj[i]))
			return 0;
	return s->ntok <= nobj ? 1 : 2;
}

static int delete_stmt(struct junos_model *m, const struct junos_stmt *s, struct aclf_err *err)
{
	for (size_t i = 0; i < m->nfilters;) {
		struct junos_ffilter *f = &m->filters[i];
		const char *fp[7] = { "firewall", "family", f->family == 4 ? "inet" : "inet6", "filter",
				      f->name, "term", NULL };
		int r = path_rel(s, fp, 5);
		if (r == 1) {
			memmove(f, f + 1, (m->nfilters - i - 1) * sizeof(*f));
			m->nfilters--;
			continue;
		}
		for (size_t j = 0; r == 2 && j < f->nterms;) {
			int rt;
			fp[6] = f->terms[j].name;
			rt = path_rel(s, fp, 7);
			if (rt == 2)
				return at(m, s, 7, err, "deleting part of a term is not supported:");
			if (rt == 1) {
				memmove(&f->terms[j], &f->terms[j + 1], (f->nterms - j - 1) * sizeof(*f->terms));
				f->nterms--;
				/* indexes moved: rebuild the name index */
				memset(&f->term_index, 0, sizeof(f->term_index));
				for (size_t k = 0; k < f->nterms; k++)
					if (junos_smap_put(&m->arena, &f->term_index, f->terms[k].name, (long)k) < 0)
						return aclf_err_nomem(err);
				continue;
			}
			j++;
		}
		i++;
	}
	for (size_t i = 0; i < m->nplists;) {
		struct junos_plist *pl = &m->plists[i];
		const char *pp[3] = { "policy-options", "prefix-list", pl->name };
		int r = path_rel(s, pp, 3);
		struct aclf_prefix p;
		if (r == 1) {
			memmove(pl, pl + 1, (m->nplists - i - 1) * sizeof(*pl));
			m->nplists--;
			continue;
		}
		if (r == 2) {
			if (s->ntok != 4 || aclf_prefix_parse(s->tok[3].s, &p, true) < 0)
				return at(m, s, 3, err, "unsupported delete in prefix-list");
			for (size_t j = 0; j < pl->n;) {
				if (!aclf_prefix_cmp(&pl->v[j], &p)) {
					memmove(&pl->v[j], &pl->v[j + 1], (pl->n - j - 1) * sizeof(p));
					pl->n--;
					continue;
				}
				j++;
			}
		}
		i++;
	}
	for (size_t i = 0; i < m->nbinds;) {
		struct junos_bind *b = &m->binds[i];
		const char *bp[9] = { "interfaces", b->ifd, "unit", b->unit, "family",
				      b->family == 4 ? "inet" : "inet6", "filter",
				      b->dir == ACLF_DIR_IN ? "input" : "output", b->filter };
		if (path_rel(s, bp, 9) == 1) {
			memmove(b, b + 1, (m->nbinds - i - 1) * sizeof(*b));
			m->nbinds--;
			continue;
		}
		i++;
	}
	return 0;
}

static bool deactivated(const struct dlist *dl, const struct junos_stmt *s)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct dpath *d = &dl->v[i];
		size_t k;
		if (d->ntok > s->ntok)
			continue;
		for (k = 0; k < d->ntok; k++)
			if (strcmp(d->tok[k].s, s->tok[k].s))
				break;
		if (k == d->ntok)
			return true;
	}
	return false;
}

static bool same_path(const struct dpath *d, const struct junos_stmt *s)
{
	if (d->ntok != s->ntok)
		return false;
	for (size_t k = 0; k < d->ntok; k++)
		if (strcmp(d->tok[k].s, s->tok[k].s))
			return false;
	return true;
}

int junos_model_load(struct junos_model *m, const struct junos_stmts *st, struct aclf_err *err)
{
	static const char *const top_kw[] = { "firewall", "policy-options", "interfaces", NULL };
	struct dlist dl = { 0 };

	/* deactivate/activate first: display set prints them after the set lines */
	for (size_t i = 0; i < st->n; i++) {
		const struct junos_stmt *s = &st->v[i];
		if (s->op == JUNOS_DEACTIVATE) {
			if (aclf_arena_grow(&m->arena, (void **)&dl.v, dl.n, &dl.cap, sizeof(*dl.v)) < 0)
				return aclf_err_nomem(err);
			dl.v[dl.n].tok = s->tok;
			dl.v[dl.n].ntok = s->ntok;
			dl.n++;
		} else if (s->op == JUNOS_ACTIVATE) {
			for (size_t k = 0; k < dl.n;) {
				if (same_path(&dl.v[k], s)) {
					dl.v[k] = dl.v[--dl.n];
					continue;
				}
				k++;
			}
		}
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct junos_stmt *s = &st->v[i];
		int rc = 0;
		if (s->op != JUNOS_SET && s->op != JUNOS_DELETE)
			continue;
		if (s->op == JUNOS_DELETE) {
			if (delete_stmt(m, s, err) < 0)
				return -1;
			continue;
		}
		if (deactivated(&dl, s))
			continue;
		if (is(s, 0, "firewall"))
			rc = firewall_stmt(m, s, err);
		else if (is(s, 0, "policy-options"))
			rc = plist_stmt(m, s, err);
		else if (is(s, 0, "interfaces"))
			rc = iface_stmt(m, s, err);
		else if (is(s, 0, "system") && s->ntok == 3 && is(s, 1, "host-name"))
			m->hostname = s->tok[2].s;
		else if (cut_word(s->tok[0].s, top_kw))
			rc = at(m, s, 0, err, "unknown statement");
		if (rc < 0)
			return -1;
	}
	return 0;
}
