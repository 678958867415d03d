/* Comparing with a live policy that holds opaque rules (aclf_rule.opaque):
 * rules whose match fields are a superset of what the device matches.
 *
 * B is read at its two extremes: Bmax, where every opaque permit matches
 * all it may and every opaque deny nothing (its opaque denies dropped), and
 * Bmin, the reverse (its opaque permits dropped). Whatever the opaque
 * rules really match, B permits at least what Bmin permits and at most
 * what Bmax permits. So a packet A permits and Bmax denies is surely
 * denied by B (drift), one Bmin permits and A denies is surely permitted
 * (drift), and a packet between (Bmax permits, Bmin denies) where A says
 * otherwise than one extreme cannot be judged: its verdict on the device
 * depends on an opaque rule. Both comparisons run with the exact diff
 * (diff.c); their items are sorted into proven and undecided here. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "diff_int.h"

/* b without its opaque rules of action drop; rules shared, arrays owned */
static int variant(const struct aclf_devpol *b, enum aclf_action drop, struct aclf_devpol *out)
{
	*out = *b;
	out->nfilters = 0;
	if (!(out->filters = calloc(b->nfilters + 1, sizeof(*out->filters))))
		return -1;
	for (size_t i = 0; i < b->nfilters; i++) {
		const struct aclf_filter *src = &b->filters[i];
		struct aclf_filter *f = &out->filters[out->nfilters++];
		*f = *src;
		f->nrules = 0;
		if (!(f->rules = calloc(src->nrules + 1, sizeof(*f->rules))))
			return -1;
		for (size_t k = 0; k < src->nrules; k++)
			if (!src->rules[k].opaque || src->rules[k].action != drop)
				f->rules[f->nrules++] = src->rules[k];
	}
	return 0;
}

static void variant_free(struct aclf_devpol *v)
{
	for (size_t i = 0; v->filters && i < v->nfilters; i++)
		free(v->filters[i].rules);
	free(v->filters);
}

static const struct aclf_filter *by_name(const struct aclf_devpol *dp, const char *name)
{
	for (size_t i = 0; name && i < dp->nfilters; i++)
		if (dp->filters[i].name && !strcmp(dp->filters[i].name, name))
			return &dp->filters[i];
	return NULL;
}

static bool permits(const struct aclf_filter *f, const struct aclf_diff_item *it)
{
	long r = aclf_filter_decide(f, &it->src, &it->dst, it->protocol, it->src_port, it->dst_port,
				    it->established);

	return (r >= 0 ? f->rules[r].action : f->default_action) == ACLF_PERMIT;
}

/* The first opaque rule of f that may match the packet before an exact
 * rule matches it for sure: the rule the verdict depends on. */
static const struct aclf_rule *deciding_opaque(const struct aclf_filter *f,
					       const struct aclf_diff_item *it)
{
	for (size_t k = 0; k < f->nrules; k++) {
		const struct aclf_filter one = { .rules = &f->rules[k], .nrules = 1 };
		if (aclf_filter_decide(&one, &it->src, &it->dst, it->protocol, it->src_port, it->dst_port,
				       it->established) < 0)
			continue;
		if (f->rules[k].opaque)
			return &f->rules[k];
		return NULL;
	}
	return NULL;
}

static const char *keep(struct aclf_diff *d, const char *s, bool *bad)
{
	const char *c = s ? dd_keep(d, s) : NULL;

	if (s && !c)
		*bad = true;
	return c;
}

/* it (from a comparison with a variant) into d, as drift or undecided
 * (op: the opaque rule it depends on, when found) */
static int add(struct aclf_diff *d, const struct aclf_diff_item *it, bool undecided,
	       const struct aclf_rule *op)
{
	struct aclf_diff_item c = *it;
	bool bad = false;

	c.filter_a = keep(d, it->filter_a, &bad);
	c.filter_b = keep(d, it->filter_b, &bad);
	c.rule_a = keep(d, it->rule_a, &bad);
	c.rule_b = keep(d, op ? op->id : it->rule_b, &bad);
	c.undecided = undecided;
	c.opaque_reason = op ? keep(d, op->opaque, &bad) : NULL;
	c.opaque_raw = op ? keep(d, op->raw, &bad) : NULL;
	if (bad || dd_push_item(d, &c) < 0)
		return -1;
	d->nundecided += c.undecided;
	return 0;
}

/* Sort the items of one extreme: proven (B surely differs from A) or
 * undecided (the other extreme agrees with A, so an opaque rule decides). */
static int sort_items(struct aclf_diff *d, size_t start, size_t max_items,
		      const struct aclf_diff *x, bool is_max, const struct aclf_devpol *b,
		      const struct aclf_devpol *other)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct aclf_diff_item *it = &x->items[i];
		const struct aclf_filter *fo, *fb;
		const struct aclf_rule *op;
		/* proven by this extreme: Bmax denies what A permits, Bmin
		 * permits what A denies */
		bool proven = is_max == it->permitted_by_a;

		if (max_items && d->n - start >= max_items)
			break;
		if (proven) {
			if (add(d, it, false, NULL) < 0)
				return -1;
			continue;
		}
		fo = by_name(other, it->filter_b);
		fb = by_name(b, it->filter_b);
		/* the other extreme differs from A too: proven, and found there */
		if (!fo || !fb || permits(fo, it) != it->permitted_by_a)
			continue;
		op = deciding_opaque(fb, it);
		if (add(d, it, true, op) < 0)
			return -1;
	}
	return 0;
}

int dd_diff_opaque(const struct aclf_devpol *a, const struct aclf_devpol *b,
		   struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		   struct aclf_err *err)
{
	struct aclf_devpol bmax = { 0 }, bmin = { 0 };
	struct aclf_diff xmax, xmin;
	size_t start = d->n, ustart = d->nundecided;
	int rc = -1;

	if (aclf_devpol_opaque_count(a))
		return aclf_err_set(err, ACLF_E_INPUT, "diff: the intended side of '%s' has opaque rules",
				    a->name ? a->name : "?");
	aclf_diff_init(&xmax);
	aclf_diff_init(&xmin);
	if (variant(b, ACLF_DENY, &bmax) < 0 || variant(b, ACLF_PERMIT, &bmin) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
		goto out;
	}
	/* lb services have no opaque parts: compared once, into d */
	if (dd_diff_exact(a, &bmax, &xmax, NULL, max_items, err) < 0 ||
	    dd_diff_exact(a, &bmin, &xmin, NULL, max_items, err) < 0 ||
	    dd_diff_lb(a, b, d, lb_report, NULL, err) < 0)
		goto out;
	if (sort_items(d, start, max_items, &xmax, true, b, &bmin) < 0 ||
	    sort_items(d, start, max_items, &xmin, false, b, &bmax) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
		goto out;
	}
	d->nopaque += aclf_devpol_opaque_count(b);
	rc = 0;
out:
	if (rc < 0) {
		d->n = start;
		d->nundecided = ustart;
	}
	aclf_diff_release(&xmax);
	aclf_diff_release(&xmin);
	variant_free(&bmax);
	variant_free(&bmin);
	return rc;
}
