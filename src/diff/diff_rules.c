/* Per-rule questions (include/aclforge/diff.h, aclf_diff_rules): for each
 * rule of A, whether B decides the packets it decides as it does; for each
 * rule of B, whether it surely decides some packet otherwise than A.
 *
 * The exact diff reports one example per (deciding rule of A, deciding
 * rule of B) whose packets the two sides decide differently; asked for
 * every pair (dd_compare_filters with all), the same walk also names each
 * pair whose packets they decide alike. So per pair of filters two
 * comparisons answer everything:
 *   X1: A with Bmax (B's opaque denies dropped: it permits the most),
 *       every pair, the alike ones too (X3 below),
 *   X2: A with Bmin (B's opaque permits dropped: it permits the least),
 *   X3: the pairs of X1 that decide alike.
 * A permit rule of A is surely decided otherwise when X1 names it (Bmax,
 * and so B, denies a packet of it); else, when X2 names it, some packet of
 * it is denied by Bmin and permitted by Bmax: it depends on an opaque rule.
 * A deny rule the same way round (X2 surely, X1 undecided). Without opaque
 * rules Bmax = Bmin = B and X2 is X1; when the caller knows A and B to
 * decide alike, X2 has nothing to say and is not run. X1 and X3 together name every B rule
 * deciding part of an A rule's region, and whether the region is empty. A
 * rule of B is extra when X1 names it next to a permit of A (it surely
 * denies what A permits) or X2 next to a deny of A (it surely permits what
 * A denies).
 *
 * Without opaque rules X1 is the diff itself (aclf_diff_devices compares
 * each pair of filters the same way, examples for the differing pairs), so
 * aclf_diff_audit takes the diff's items from X1: one walk per pair of
 * filters for both the diff and the per-rule answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "diff_int.h"

void aclf_rule_checks_init(struct aclf_rule_checks *rc)
{
	memset(rc, 0, sizeof(*rc));
	aclf_diff_init(&rc->keep);
}

void aclf_rule_checks_release(struct aclf_rule_checks *rc)
{
	if (!rc)
		return;
	for (size_t i = 0; rc->rules && i < rc->nrules; i++)
		free(rc->rules[i].deciders);
	free(rc->rules);
	free(rc->extra);
	aclf_diff_release(&rc->keep);
	memset(rc, 0, sizeof(*rc));
}

/* The id a rule goes by in diff items: its id, or "#N" (1-based). */
static const char *rule_id(const struct aclf_filter *f, size_t k, char *tmp, size_t size)
{
	if (f->rules[k].id)
		return f->rules[k].id;
	snprintf(tmp, size, "#%zu", k + 1);
	return tmp;
}

/* f's rules but opaque ones of action drop, ids kept as f's positions
 * name them (orig[k]: the position in f of the variant's rule k). NULL f:
 * no filter. */
static int variant(struct aclf_diff *keep, const struct aclf_filter *f, int drop,
		   struct aclf_filter *out, long **orig)
{
	char tmp[32];

	memset(out, 0, sizeof(*out));
	*orig = NULL;
	out->default_action = ACLF_PERMIT;
	if (!f)
		return 0;
	out->name = f->name;
	out->binding = f->binding;
	out->default_action = f->default_action;
	if (!(out->rules = calloc(f->nrules + 1, sizeof(*out->rules))) ||
	    !(*orig = calloc(f->nrules + 1, sizeof(**orig))))
		return -1;
	for (size_t k = 0; k < f->nrules; k++) {
		struct aclf_rule *r;

		if (f->rules[k].opaque && (int)f->rules[k].action == drop)
			continue;
		(*orig)[out->nrules] = (long)k;
		r = &out->rules[out->nrules++];
		*r = f->rules[k];
		if (!r->id && !(r->id = dd_keep(keep, rule_id(f, k, tmp, sizeof(tmp)))))
			return -1;
	}
	return 0;
}

/* it with its names owned by keep */
static int copy_item(struct aclf_diff *keep, const struct aclf_diff_item *it,
		     struct aclf_diff_item *out)
{
	const char **s[] = { &out->filter_a, &out->filter_b, &out->rule_a, &out->rule_b,
			     &out->opaque_reason, &out->opaque_raw };

	*out = *it;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (*s[i] && !(*s[i] = dd_keep(keep, *s[i])))
			return -1;
	return 0;
}

/* One pair of filters: fa (NULL: no filter of A) against fb (NULL: none
 * of B). */
struct pair {
	struct aclf_rule_checks *rc;
	bool same;                      /* known to decide alike: no X2 */
	const struct aclf_filter *fa, *fb;
	struct aclf_rule_check *checks; /* fa's rules in rc->rules */
	struct aclf_diff_item *ex;      /* fb's rules: their first extra example */
	bool *is_extra;
	const struct aclf_diff_item **cand; /* fa's rules: an undecided candidate */
	long **dec;                     /* fa's rules: deciding fb rules (-1 default) */
	size_t *ndec;
	struct aclf_diff *x1;           /* X1's items (the caller's: the diff's) */
};

static int add_decider(struct pair *p, size_t k, long j)
{
	long *v;

	for (size_t i = 0; i < p->ndec[k]; i++)
		if (p->dec[k][i] == j)
			return 0;
	if (!(v = realloc(p->dec[k], (p->ndec[k] + 1) * sizeof(*v))))
		return -1;
	v[p->ndec[k]++] = j;
	p->dec[k] = v;
	return 0;
}

/* The pairs of one comparison (x: its items, orig: B's positions; is_max:
 * with Bmax, else Bmin; opaque: Bmax and Bmin differ). */
static int take(struct pair *p, const struct dd_pairs *pairs, const struct aclf_diff *x,
		const long *orig, bool is_max, bool opaque)
{
	for (size_t i = 0; i < pairs->n; i++) {
		const struct dd_pair *q = &pairs->v[i];
		long k = p->fa ? q->ra : -1;
		long j = q->rb >= 0 && orig ? orig[q->rb] : -1;
		const struct aclf_diff_item *it = q->item != DD_NO_ITEM ? &x->items[q->item] : NULL;

		if (k >= 0) {
			p->checks[k].decides = true;
			/* the deciders: Bmax's rules, alike or not */
			if (is_max && add_decider(p, (size_t)k, j) < 0)
				return -1;
		}
		if (!it)
			continue;
		if (!opaque || it->permitted_by_a == is_max) { /* surely otherwise */
			if (k >= 0 && p->checks[k].state != ACLF_RULE_DIFFERS) {
				p->checks[k].state = ACLF_RULE_DIFFERS;
				if (copy_item(&p->rc->keep, it, &p->checks[k].example) < 0)
					return -1;
			}
			if (j >= 0 && !p->is_extra[j]) {
				p->is_extra[j] = true;
				if (copy_item(&p->rc->keep, it, &p->ex[j]) < 0)
					return -1;
			}
		} else if (k >= 0 && !p->cand[k]) {
			p->cand[k] = it;
		}
	}
	return 0;
}

static int cmp_long(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;

	/* B's rules in order, its default last */
	if (a < 0 || b < 0)
		return (a < 0) - (b < 0);
	return (a > b) - (a < b);
}

static int finish(struct pair *p, size_t n)
{
	char tmp[32];

	for (size_t k = 0; k < n; k++) {
		struct aclf_rule_check *c = &p->checks[k];

		if (c->state != ACLF_RULE_DIFFERS && p->cand[k]) {
			const struct aclf_rule *op = p->fb ? dd_deciding_opaque(p->fb, p->cand[k]) : NULL;

			if (copy_item(&p->rc->keep, p->cand[k], &c->example) < 0)
				return -1;
			c->state = ACLF_RULE_UNDECIDED;
			c->example.undecided = true;
			c->example.rule_b = op && op->id ? dd_keep(&p->rc->keep, op->id) : NULL;
			c->example.opaque_reason = op ? dd_keep(&p->rc->keep, op->opaque) : NULL;
			c->example.opaque_raw = op && op->raw ? dd_keep(&p->rc->keep, op->raw) : NULL;
			if (op && ((op->id && !c->example.rule_b) || !c->example.opaque_reason ||
				   (op->raw && !c->example.opaque_raw)))
				return -1;
		}
		if (!p->ndec[k])
			continue;
		qsort(p->dec[k], p->ndec[k], sizeof(long), cmp_long);
		if (!(c->deciders = calloc(p->ndec[k], sizeof(*c->deciders))))
			return -1;
		for (size_t i = 0; i < p->ndec[k]; i++) {
			long j = p->dec[k][i];

			if (j >= 0 && !(c->deciders[i] = dd_keep(&p->rc->keep,
								 rule_id(p->fb, (size_t)j, tmp,
									 sizeof(tmp)))))
				return -1;
		}
		c->ndeciders = p->ndec[k];
	}
	return 0;
}

/* Compare one pair; rules of fa go to checks, extras of fb to ex. X1's
 * items go to p->x1 (unlimited), named as the diff names them. */
static int one_pair(struct pair *p, struct aclf_err *err)
{
	const struct aclf_filter nofa = { .default_action = ACLF_PERMIT };
	const struct aclf_filter *fa = p->fa ? p->fa : &nofa;
	struct aclf_filter vmax, vmin;
	struct aclf_diff x2;
	struct dd_pairs q1 = { 0 }, q2 = { 0 };
	long *omax = NULL, *omin = NULL;
	size_t n = p->fa ? p->fa->nrules : 0;
	bool opaque = false;
	int rc = -1;

	for (size_t k = 0; p->fb && k < p->fb->nrules; k++)
		opaque |= p->fb->rules[k].opaque != NULL;
	aclf_diff_init(&x2);
	memset(&vmax, 0, sizeof(vmax));
	memset(&vmin, 0, sizeof(vmin));
	p->cand = calloc(n + 1, sizeof(*p->cand));
	p->dec = calloc(n + 1, sizeof(*p->dec));
	p->ndec = calloc(n + 1, sizeof(*p->ndec));
	if (!p->cand || !p->dec || !p->ndec ||
	    variant(&p->rc->keep, p->fb, ACLF_DENY, &vmax, &omax) < 0 ||
	    (opaque && variant(&p->rc->keep, p->fb, ACLF_PERMIT, &vmin, &omin) < 0)) {
		aclf_err_nomem(err);
		goto out;
	}
	/* X1 and X3 in one walk; the names as the diff gives them (a filter
	 * that is not there has none) */
	if (dd_compare_filters(fa, &vmax, p->fa ? fa->name : NULL, p->fb ? p->fb->name : NULL,
			       p->x1, 0, &q1, true, err) < 0 ||
	    (!p->same && opaque &&
	     dd_compare_filters(fa, &vmin, p->fa ? fa->name : NULL, p->fb->name, &x2, 0, &q2,
				false, err) < 0))
		goto out;
	if (take(p, &q1, p->x1, omax, true, opaque) < 0 ||
	    (opaque && take(p, &q2, &x2, omin, false, true) < 0) || finish(p, n) < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	rc = 0;
out:
	for (size_t k = 0; p->dec && k < n; k++)
		free(p->dec[k]);
	free(p->dec);
	free(p->ndec);
	free(p->cand);
	free(vmax.rules);
	free(vmin.rules);
	free(omax);
	free(omin);
	dd_pairs_release(&q1);
	dd_pairs_release(&q2);
	aclf_diff_release(&x2);
	return rc;
}

/* The per-rule answers into rc; with d, the diff's items too (b without
 * opaque rules: X1's, up to max_items, in the diff's order) and its lb
 * differences. */
static int rules_run(const struct aclf_devpol *a, const struct aclf_devpol *b, bool same,
		     struct aclf_rule_checks *rc, struct aclf_diff *d, size_t max_items,
		     struct aclf_err *err)
{
	long *match_a = NULL;
	bool *used_b = NULL, *is_extra = NULL;
	size_t *off = NULL, total = 0, na = 0, start = d ? d->n : 0;
	struct aclf_diff_item *ex = NULL;
	struct aclf_diff x1;
	int ret = -1;

	if (!a || !b || !rc)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no device policy to compare");
	if (aclf_devpol_opaque_count(a))
		return aclf_err_set(err, ACLF_E_INPUT, "diff: the intended side of '%s' has opaque rules",
				    a->name ? a->name : "?");
	aclf_diff_init(&x1);
	for (size_t i = 0; i < a->nfilters; i++)
		na += a->filters[i].nrules;
	off = calloc(b->nfilters + 1, sizeof(*off));
	for (size_t j = 0; off && j < b->nfilters; j++) {
		off[j] = total;
		total += b->filters[j].nrules;
	}
	match_a = calloc(a->nfilters + 1, sizeof(*match_a));
	used_b = calloc(b->nfilters + 1, sizeof(*used_b));
	is_extra = calloc(total + 1, sizeof(*is_extra));
	ex = calloc(total + 1, sizeof(*ex));
	rc->rules = calloc(na + 1, sizeof(*rc->rules));
	rc->extra = calloc(total + 1, sizeof(*rc->extra));
	if (!off || !match_a || !used_b || !is_extra || !ex || !rc->rules || !rc->extra) {
		aclf_err_nomem(err);
		goto out;
	}
	dd_pair_filters(a, b, match_a, used_b);
	for (size_t i = 0; i < a->nfilters + b->nfilters; i++) {
		long j = i < a->nfilters ? match_a[i] : (long)(i - a->nfilters);
		struct pair p = { .rc = rc, .same = same, .x1 = &x1 };

		if (i < a->nfilters) {
			p.fa = &a->filters[i];
			p.checks = &rc->rules[rc->nrules];
			for (size_t k = 0; k < p.fa->nrules; k++) {
				p.checks[k].filter = i;
				p.checks[k].rule = k;
				p.checks[k].live_filter = j;
			}
			rc->nrules += p.fa->nrules;
		} else if (used_b[j] || (same && !d)) {
			continue; /* paired, or known to let everything through as no filter does */
		}
		if (j >= 0) {
			p.fb = &b->filters[j];
			p.ex = &ex[off[j]];
			p.is_extra = &is_extra[off[j]];
		}
		if (one_pair(&p, err) < 0)
			goto out;
		/* the diff's items: X1's, in the diff's order, up to max_items */
		for (size_t k = 0; d && k < x1.n && !(max_items && d->n - start >= max_items); k++) {
			struct aclf_diff_item it;

			if (copy_item(d, &x1.items[k], &it) < 0 || dd_push_item(d, &it) < 0) {
				aclf_err_nomem(err);
				goto out;
			}
		}
		aclf_diff_release(&x1);
		aclf_diff_init(&x1);
	}
	if (d && dd_diff_lb(a, b, d, NULL, NULL, err) < 0)
		goto out;
	for (size_t j = 0; j < b->nfilters; j++)
		for (size_t k = 0; k < b->filters[j].nrules; k++)
			if (is_extra[off[j] + k]) {
				struct aclf_entry_check *e = &rc->extra[rc->nextra++];

				e->filter = j;
				e->rule = k;
				e->example = ex[off[j] + k];
			}
	ret = 0;
out:
	if (ret < 0 && d)
		d->n = start;
	aclf_diff_release(&x1);
	free(off);
	free(match_a);
	free(used_b);
	free(is_extra);
	free(ex);
	return ret;
}

int aclf_diff_rules(const struct aclf_devpol *a, const struct aclf_devpol *b, bool same,
		    struct aclf_rule_checks *rc, struct aclf_err *err)
{
	return rules_run(a, b, same, rc, NULL, 0, err);
}

int aclf_diff_audit(const struct aclf_devpol *a, const struct aclf_devpol *b, struct aclf_diff *d,
		    size_t max_items, struct aclf_rule_checks *rc, struct aclf_err *err)
{
	if (!a || !b || !d || !rc)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no device policy to compare");
	if (!aclf_devpol_opaque_count(b))
		return rules_run(a, b, false, rc, d, max_items, err);
	/* B read at its two extremes: the diff's own comparisons, then the
	 * per-rule ones (knowing whether the diff found anything) */
	if (aclf_diff_devices(a, b, d, NULL, max_items, err) < 0)
		return -1;
	return rules_run(a, b, d->n == 0 && d->nlb == 0, rc, NULL, 0, err);
}
