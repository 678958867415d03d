/* Plan: `load set` text that turns the live configuration into the
 * intended one.
 *
 * The render text already replaces what it names: it deletes and sets again
 * every prefix list and filter of the intended policy and sets its bindings
 * (a binding is one value per unit, family and direction, so `set` replaces
 * the filter bound there). What render cannot know is what the device has
 * and the intended policy lacks. The plan writes that first:
 *
 *   delete interfaces IFD unit U family inet filter input|output
 *   delete interfaces IFD unit U family inet6 filter input|output
 *       for every aclforge binding point the live device filters and the
 *       intended policy leaves unfiltered;
 *   delete firewall family inet filter F
 *   delete firewall family inet6 filter F
 *       for every filter the live device binds at an aclforge binding point
 *       that the intended policy does not name, once no binding the plan
 *       keeps uses it;
 *
 * then the render text. What is aclforge's (README.md, "Plan"):
 * - binding points: the interface units and directions the intended policy
 *   binds, and those the topology's device protects (dev->protects);
 * - filters: those the intended policy names, and those the live device
 *   binds at such a point.
 * Nothing else is ever named: a filter the topology neither names nor binds
 * stays, and so does every prefix list (routing policies may use them). */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/topology.h"
#include "junos.h"

struct jpoint {
	char ifd[128], unit[16];
	enum aclf_direction dir;
};

/* a live filter as the plan sees it */
struct lfilter {
	const struct aclf_filter *f;
	bool bound;
	struct jpoint at;
	const char *names[2];  /* device filter names (inet, inet6; equal or one) */
	size_t nnames;
	const char *names_err; /* why the names cannot be told, or NULL */
	bool unbind;           /* the plan deletes its binding */
};

struct pctx {
	struct aclf_arena a;
	const struct aclf_devpol *want, *live;
	const char *dev;
	struct aclf_err *err;
	struct jpoint *managed;
	size_t nmanaged, mcap;
	struct lfilter *lf;
	size_t nlf;
};

static int nomem(struct pctx *c)
{
	return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory planning device '%s'", c->dev);
}

static bool point_from(const struct aclf_binding *b, struct jpoint *p)
{
	if (b->kind != ACLF_BIND_INTERFACE || !b->name ||
	    (b->direction != ACLF_DIR_IN && b->direction != ACLF_DIR_OUT))
		return false;
	p->dir = b->direction;
	return junos_split_ifname(b->name, p->ifd, sizeof(p->ifd), p->unit, sizeof(p->unit)) == 0;
}

static bool same_point(const struct jpoint *x, const struct jpoint *y)
{
	return x->dir == y->dir && !strcmp(x->ifd, y->ifd) && !strcmp(x->unit, y->unit);
}

static bool is_managed(const struct pctx *c, const struct jpoint *p)
{
	for (size_t i = 0; i < c->nmanaged; i++)
		if (same_point(&c->managed[i], p))
			return true;
	return false;
}

static bool intended_binds(const struct pctx *c, const struct jpoint *p)
{
	for (size_t i = 0; i < c->want->nfilters; i++) {
		struct jpoint q;
		if (point_from(&c->want->filters[i].binding, &q) && same_point(&q, p))
			return true;
	}
	return false;
}

static bool intended_names(const struct pctx *c, const char *name)
{
	for (size_t i = 0; i < c->want->nfilters; i++)
		if (c->want->filters[i].name && !strcmp(c->want->filters[i].name, name))
			return true;
	return false;
}

static int add_managed(struct pctx *c, const struct jpoint *p)
{
	if (is_managed(c, p))
		return 0;
	if (aclf_arena_grow(&c->a, (void **)&c->managed, c->nmanaged, &c->mcap, sizeof(*c->managed)) < 0)
		return nomem(c);
	c->managed[c->nmanaged++] = *p;
	return 0;
}

static int managed_points(struct pctx *c, const struct aclf_device *dev)
{
	for (size_t i = 0; i < c->want->nfilters; i++) {
		struct jpoint p;
		if (point_from(&c->want->filters[i].binding, &p) && add_managed(c, &p) < 0)
			return -1;
	}
	for (size_t i = 0; dev && i < dev->nprotects; i++) {
		const struct aclf_protect *pr = &dev->protects[i];
		struct aclf_binding b = { ACLF_BIND_INTERFACE, pr->interface,
					  (enum aclf_direction)pr->direction };
		struct jpoint p;
		if (pr->interface && point_from(&b, &p) && add_managed(c, &p) < 0)
			return -1;
	}
	return 0;
}

/* The filter names of each family that parse recorded in the rules'
 * provenance ("inet F term T", "inet6 F term T"). */
struct famnames {
	const char *v[2][4];
	size_t n[2];
	bool more;  /* more than one name in a family: not one binding point */
};

static int prov_names(struct pctx *c, const struct aclf_filter *f, struct famnames *fn)
{
	memset(fn, 0, sizeof(*fn));
	for (size_t i = 0; i < f->nrules; i++) {
		const struct aclf_rule *r = &f->rules[i];
		for (size_t k = 0; k < r->nprov; k++) {
			const char *ref = r->prov[k].ref, *rest, *t, *last = NULL;
			int fam;
			size_t j;
			char *name;
			if (strcmp(r->prov[k].kind, "device") != 0 || !ref)
				continue;
			if (!strncmp(ref, "inet6 ", 6)) {
				fam = 1;
				rest = ref + 6;
			} else if (!strncmp(ref, "inet ", 5)) {
				fam = 0;
				rest = ref + 5;
			} else {
				continue;
			}
			for (t = strstr(rest, " term "); t; t = strstr(t + 1, " term "))
				last = t;
			if (!last)
				continue;
			if (!(name = aclf_arena_strndup(&c->a, rest, (size_t)(last - rest))))
				return nomem(c);
			for (j = 0; j < fn->n[fam]; j++)
				if (!strcmp(fn->v[fam][j], name))
					break;
			if (j < fn->n[fam])
				continue;
			if (fn->n[fam] == 4) {
				fn->more = true;
				continue;
			}
			fn->v[fam][fn->n[fam]++] = name;
		}
	}
	return 0;
}

static bool subset_of(const struct famnames *fn, int fam, const char *name, size_t len)
{
	for (size_t j = 0; j < fn->n[fam]; j++)
		if (strlen(fn->v[fam][j]) != len || strncmp(fn->v[fam][j], name, len))
			return false;
	return true;
}

/* The device filter names of a live neutral filter. Parse names a filter
 * bound at a point "F" (one name for both families, or one family), or
 * "A+B" when inet binds A and inet6 binds B; the rules' provenance tells
 * which reading holds, and a name with '+' and no rules to tell is left
 * undecided (an error only if the plan has to delete it). */
static int device_names(struct pctx *c, struct lfilter *l)
{
	const char *n = l->f->name;
	struct famnames fn;
	const char *a = NULL, *b = NULL;
	int readings = 0;

	l->nnames = 0;
	l->names_err = NULL;
	if (!n || !*n) {
		l->names_err = "it has no name";
		return 0;
	}
	if (prov_names(c, l->f, &fn) < 0)
		return -1;
	if (!fn.more && subset_of(&fn, 0, n, strlen(n)) && subset_of(&fn, 1, n, strlen(n))) {
		a = n;
		readings++;
	}
	for (const char *p = strchr(n, '+'); l->bound && p && !fn.more; p = strchr(p + 1, '+')) {
		size_t i = (size_t)(p - n);
		if (i == 0 || !p[1] || !subset_of(&fn, 0, n, i) ||
		    !subset_of(&fn, 1, p + 1, strlen(p + 1)))
			continue;
		if (!readings) {
			a = aclf_arena_strndup(&c->a, n, i);
			b = p + 1;
			if (!a)
				return nomem(c);
		}
		readings++;
	}
	if (readings != 1) {
		l->names_err = readings ? "its inet and inet6 filter names cannot be told apart"
					: "its name does not match the filters its terms come from";
		return 0;
	}
	l->names[l->nnames++] = a;
	if (b && strcmp(a, b))
		l->names[l->nnames++] = b;
	return 0;
}

static const char *where(struct pctx *c, const struct lfilter *l)
{
	if (!l->bound)
		return "unbound";
	return aclf_arena_printf(&c->a, "bound at %s.%s %s", l->at.ifd, l->at.unit,
				 l->at.dir == ACLF_DIR_IN ? "input" : "output");
}

/* Is name still bound after the plan (at a point the plan keeps)? */
static bool kept_binding(const struct pctx *c, const char *name)
{
	for (size_t i = 0; i < c->nlf; i++) {
		const struct lfilter *l = &c->lf[i];
		if (!l->bound || l->unbind || intended_binds(c, &l->at))
			continue;
		for (size_t k = 0; k < l->nnames; k++)
			if (!strcmp(l->names[k], name))
				return true;
		/* names not told apart: any name inside it may be in use */
		if (l->names_err && l->f->name && strstr(l->f->name, name))
			return true;
	}
	return false;
}

static int put_name(struct pctx *c, struct aclf_buf *b, const char *s)
{
	if (junos_put_name(b, s) < 0) {
		if (!junos_name_ok(s))
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': cannot plan: live filter '%s' cannot be named "
					    "in a junos statement", c->dev, s);
		return nomem(c);
	}
	return 0;
}

static int write_removals(struct pctx *c, struct aclf_buf *b)
{
	const char **done = aclf_arena_alloc(&c->a, (2 * c->nlf + 1) * sizeof(*done));
	size_t ndone = 0;
	int rc = 0;

	if (!done)
		return nomem(c);
	for (size_t i = 0; i < c->nlf; i++) {
		const struct lfilter *l = &c->lf[i];
		if (!l->unbind)
			continue;
		for (int fam = 4; fam <= 6; fam += 2)
			rc |= aclf_buf_printf(b, "delete interfaces %s unit %s family %s filter %s\n",
					      l->at.ifd, l->at.unit, fam == 4 ? "inet" : "inet6",
					      l->at.dir == ACLF_DIR_IN ? "input" : "output");
	}
	if (rc)
		return nomem(c);
	for (size_t i = 0; i < c->nlf; i++) {
		const struct lfilter *l = &c->lf[i];
		/* filters bound at an aclforge point the plan replaces or clears */
		if (!l->bound || !is_managed(c, &l->at))
			continue;
		if (l->names_err) {
			if (intended_names(c, l->f->name))
				continue;
			return aclf_err_set(c->err, ACLF_E_POLICY,
					    "device '%s': cannot plan: live filter '%s' (%s) is aclforge's "
					    "to remove, but %s; delete it by hand",
					    c->dev, l->f->name, where(c, l), l->names_err);
		}
		for (size_t k = 0; k < l->nnames; k++) {
			const char *name = l->names[k];
			bool seen = false;
			for (size_t j = 0; j < ndone; j++)
				seen |= !strcmp(done[j], name);
			if (seen || intended_names(c, name) || kept_binding(c, name))
				continue;
			done[ndone++] = name;
			for (int fam = 4; fam <= 6; fam += 2) {
				if (aclf_buf_printf(b, "delete firewall family %s filter ",
						    fam == 4 ? "inet" : "inet6") < 0)
					return nomem(c);
				if (put_name(c, b, name) < 0)
					return -1;
				if (aclf_buf_putc(b, '\n') < 0)
					return nomem(c);
			}
		}
	}
	return 0;
}

static int plan_removals(struct pctx *c, const struct aclf_device *dev, struct aclf_buf *b)
{
	if (managed_points(c, dev) < 0)
		return -1;
	c->nlf = c->live->nfilters;
	c->lf = aclf_arena_alloc(&c->a, (c->nlf ? c->nlf : 1) * sizeof(*c->lf));
	if (!c->lf)
		return nomem(c);
	memset(c->lf, 0, (c->nlf ? c->nlf : 1) * sizeof(*c->lf));
	for (size_t i = 0; i < c->nlf; i++) {
		struct lfilter *l = &c->lf[i];
		l->f = &c->live->filters[i];
		l->bound = point_from(&l->f->binding, &l->at);
		if (device_names(c, l) < 0)
			return -1;
	}
	for (size_t i = 0; i < c->nlf; i++) {
		struct lfilter *l = &c->lf[i];
		bool name_owned = l->nnames > 0;
		if (!l->bound || intended_binds(c, &l->at))
			continue; /* nothing bound, or render sets the point */
		for (size_t k = 0; k < l->nnames; k++)
			name_owned &= intended_names(c, l->names[k]);
		/* an aclforge point the intended policy leaves unfiltered, or an
		 * aclforge filter bound where the intended policy does not bind it */
		l->unbind = is_managed(c, &l->at) || name_owned;
	}
	return write_removals(c, b);
}

int junos_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	struct pctx c;
	struct aclf_buf body = ACLF_BUF_INIT, text = ACLF_BUF_INIT;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	aclf_arena_init(&c.a);
	aclf_buf_init(&body, 0);
	aclf_buf_init(&text, 0);
	c.want = intended;
	c.live = live;
	c.dev = intended->name ? intended->name : "?";
	c.err = err;
	if (junos_render(intended, &body, err) < 0)
		goto out;
	if (live && plan_removals(&c, dev, &text) < 0)
		goto out;
	if (aclf_buf_add(&text, body.buf, body.len) < 0 || aclf_buf_add(out, text.buf, text.len) < 0) {
		nomem(&c);
		goto out;
	}
	rc = 0;
out:
	aclf_buf_release(&body);
	aclf_buf_release(&text);
	aclf_arena_release(&c.a);
	return rc;
}
