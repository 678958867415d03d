/* Comparing with a live policy that holds opaque rules (aclf_rule.opaque):
 * rules whose match fields are a superset of what the device matches.
 *
 * B is read at its two extremes: Bmax, where every opaque permit matches
 * all it may and every opaque deny nothing (its opaque denies dropped), and
 * Bmin, the reverse (its opaque permits dropped). Whatever the opaque
 * rules really match, B permits at least what Bmin permits and at most
 * what Bmax permits. So a packet A permits and Bmax denies is surely
 * denied by B (drift), one Bmin permits and A denies is surely permitted
 * (drift), and a packet Bmax permits and Bmin denies may go either way on
 * the device: whatever A says, it cannot be judged. Each set is found by
 * the exact diff (diff.c): A with Bmax, A with Bmin, and each filter of
 * Bmax with its Bmin version. The
 * verdict is the same in a whole region the exact diff reports, so every
 * region of each set gives its example. */
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

const struct aclf_rule *dd_deciding_opaque(const struct aclf_filter *f,
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

/* it (from a comparison) into d, as drift or undecided (op: the opaque
 * rule it depends on, when found) */
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

/* The proven items of a comparison of A with one extreme: Bmax denies
 * what A permits, Bmin permits what A denies. */
static int proven(struct aclf_diff *d, size_t start, size_t max_items, const struct aclf_diff *x,
		  bool is_max)
{
	for (size_t i = 0; i < x->n && !(max_items && d->n - start >= max_items); i++)
		if (x->items[i].permitted_by_a == is_max && add(d, &x->items[i], false, NULL) < 0)
			return -1;
	return 0;
}

/* The packets B's filter j may permit or deny (its Bmax version against
 * its Bmin one), each with A's verdict and the opaque rule it depends on. */
static int undecided(struct aclf_diff *d, size_t start, size_t max_items,
		     const struct aclf_devpol *a, const struct aclf_devpol *b,
		     const struct aclf_devpol *bmax, const struct aclf_devpol *bmin,
		     const long *match_a, size_t j, struct aclf_err *err)
{
	const struct aclf_filter *fb = &b->filters[j], *fa = NULL;
	struct aclf_diff u;
	size_t left = max_items ? max_items - (d->n - start) : 0;
	int rc = -1;

	for (size_t k = 0; k < a->nfilters && !fa; k++)
		if (match_a[k] == (long)j)
			fa = &a->filters[k];
	aclf_diff_init(&u);
	if (aclf_diff_filters(&bmax->filters[j], &bmin->filters[j], &u, left, err) < 0)
		goto out;
	for (size_t i = 0; i < u.n && !(max_items && d->n - start >= max_items); i++) {
		struct aclf_diff_item it = u.items[i];
		long r;

		it.filter_a = fa ? fa->name : NULL;
		it.filter_b = fb->name;
		it.rule_a = NULL;
		/* no filter on A's side lets everything through */
		it.permitted_by_a = true;
		if (fa) {
			r = aclf_filter_decide(fa, &it.src, &it.dst, it.protocol, it.src_port, it.dst_port,
					       it.established);
			it.permitted_by_a = (r >= 0 ? fa->rules[r].action : fa->default_action) ==
					    ACLF_PERMIT;
			it.rule_a = r >= 0 ? fa->rules[r].id : NULL;
		}
		if (add(d, &it, true, dd_deciding_opaque(fb, &it)) < 0) {
			aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
			goto out;
		}
	}
	rc = 0;
out:
	aclf_diff_release(&u);
	return rc;
}

int dd_diff_opaque(const struct aclf_devpol *a, const struct aclf_devpol *b,
		   struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		   struct aclf_err *err)
{
	struct aclf_devpol bmax = { 0 }, bmin = { 0 };
	struct aclf_diff xmax, xmin;
	size_t start = d->n, ustart = d->nundecided;
	long *match_a = NULL;
	bool *used_b = NULL;
	int rc = -1;

	if (aclf_devpol_opaque_count(a))
		return aclf_err_set(err, ACLF_E_INPUT, "diff: the intended side of '%s' has opaque rules",
				    a->name ? a->name : "?");
	aclf_diff_init(&xmax);
	aclf_diff_init(&xmin);
	match_a = calloc(a->nfilters + 1, sizeof(*match_a));
	used_b = calloc(b->nfilters + 1, sizeof(*used_b));
	if (!match_a || !used_b || variant(b, ACLF_DENY, &bmax) < 0 ||
	    variant(b, ACLF_PERMIT, &bmin) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
		goto out;
	}
	dd_pair_filters(a, b, match_a, used_b);
	/* lb services: compared once, into d (an opaque one is "cannot judge") */
	if (dd_diff_exact(a, &bmax, &xmax, NULL, max_items, err) < 0 ||
	    dd_diff_exact(a, &bmin, &xmin, NULL, max_items, err) < 0 ||
	    dd_diff_lb(a, b, d, lb_report, NULL, err) < 0)
		goto out;
	if (proven(d, start, max_items, &xmax, true) < 0 ||
	    proven(d, start, max_items, &xmin, false) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
		goto out;
	}
	for (size_t j = 0; j < b->nfilters; j++)
		if (undecided(d, start, max_items, a, b, &bmax, &bmin, match_a, j, err) < 0)
			goto out;
	d->nopaque += aclf_devpol_opaque_count(b);
	rc = 0;
out:
	if (rc < 0) {
		d->n = start;
		d->nundecided = ustart;
	}
	free(match_a);
	free(used_b);
	aclf_diff_release(&xmax);
	aclf_diff_release(&xmin);
	variant_free(&bmax);
	variant_free(&bmin);
	return rc;
}
