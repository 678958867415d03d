/* Each intended rule's state, from the audit report: the device's per-rule
 * verdict when the report has one; otherwise what the report knows: its
 * drift list names the rules the device lacks (example packets the
 * intended policy permits and the device does not) and those an opaque
 * entry decides; the rest of a device that was read is in place (counters
 * absent); a device that was not read says nothing about its rules. */
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "report/report_int.h"

const char *rpt_state_name(enum rpt_state s)
{
	switch (s) {
	case RPT_MISSING: return "missing";
	case RPT_UNREAD: return "device not read";
	case RPT_CANNOT_JUDGE: return "cannot judge";
	case RPT_NO_HITS: return "in place, no hits";
	case RPT_IN_PLACE: return "in place";
	case RPT_USED: return "in place, used";
	case RPT_NOT_AUDITED: return "not audited";
	case RPT_NOT_ENFORCED: return "not enforced by any device";
	}
	return "?";
}

const char *rpt_state_class(enum rpt_state s)
{
	switch (s) {
	case RPT_MISSING: return "st-missing";
	case RPT_UNREAD: return "st-unread";
	case RPT_CANNOT_JUDGE: return "st-cannot";
	case RPT_NO_HITS: return "st-nohits";
	case RPT_IN_PLACE: return "st-inplace";
	case RPT_USED: return "st-used";
	case RPT_NOT_AUDITED: return "st-notaudited";
	case RPT_NOT_ENFORCED: return "st-none";
	}
	return "st-none";
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

const json_t *rpt_report_device(const json_t *report, const char *name)
{
	const json_t *d;
	size_t i;

	json_array_foreach(json_object_get(report, "devices"), i, d)
		if (eq(str(d, "device"), name))
			return d;
	return NULL;
}

static bool verdict_state(const char *v, enum rpt_state *st)
{
	static const struct {
		const char *word;
		enum rpt_state st;
	} words[] = {
		{ "in place, used", RPT_USED },   { "in place, no hits", RPT_NO_HITS },
		{ "in place", RPT_IN_PLACE },     { "missing", RPT_MISSING },
		{ "cannot judge", RPT_CANNOT_JUDGE },
	};

	for (size_t i = 0; v && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(v, words[i].word)) {
			*st = words[i].st;
			return true;
		}
	return false;
}

/* The report's rules[] entry of filter f, rule id. A report lists them in
 * the policy's order: the entry after the last one found (*hint) is tried
 * first, so that a long list is not searched once per rule. */
static const json_t *find_verdict(const json_t *dev, const char *filter, const char *rule, size_t *hint)
{
	const json_t *list = json_object_get(dev, "rules"), *v;
	size_t n = json_array_size(list);

	for (size_t k = 0; k < n; k++) {
		size_t i = (*hint + k) % n;

		v = json_array_get(list, i);
		if (eq(str(v, "filter"), filter) && eq(str(v, "rule"), rule)) {
			*hint = i + 1;
			return v;
		}
	}
	return NULL;
}

/* The first packet of the diff's list `key` that names the rule as the
 * intended one (permitted by the intended policy only, for "packets"). */
static const json_t *find_packet(const json_t *dev, const char *key, const char *filter,
				 const char *rule)
{
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(dev, "diff"), key), i, p) {
		if (!eq(str(p, "intended_filter"), filter) || !eq(str(p, "intended_rule"), rule))
			continue;
		if (!strcmp(key, "packets") && !eq(str(p, "permitted_by"), "intended"))
			continue;
		return p;
	}
	return NULL;
}

static bool device_read(const json_t *dev)
{
	const char *o = str(dev, "outcome");

	return eq(o, "drift") || eq(o, "no drift");
}

static void judge_rule(struct rpt_rule *x, size_t *hint)
{
	const char *filter = x->f ? x->f->name : NULL, *rule = x->r ? x->r->id : NULL;
	const json_t *p;

	if (!x->dev) {
		x->st = RPT_NOT_AUDITED;
		return;
	}
	if (!device_read(x->dev)) {
		x->st = RPT_UNREAD;
		x->why = str(json_object_get(x->dev, "error"), "message");
		return;
	}
	if (x->f && (x->verdict = find_verdict(x->dev, filter, rule, hint))) {
		if (!verdict_state(str(x->verdict, "verdict"), &x->st)) {
			x->st = RPT_CANNOT_JUDGE;
			x->why = "the report gives no verdict this page knows";
		} else {
			x->why = str(x->verdict, "why");
		}
		return;
	}
	if (x->lb) {
		size_t i;

		json_array_foreach(json_object_get(json_object_get(x->dev, "diff"), "lb_differences"), i, p)
			if (eq(str(p, "service"), x->lb->name)) {
				x->st = RPT_MISSING;
				x->why = str(p, "field");
				return;
			}
		x->st = RPT_IN_PLACE;
		/* the report's lb_services[] entry: its traffic decides */
		json_array_foreach(json_object_get(x->dev, "lb_services"), i, p)
			if (eq(str(p, "service"), x->lb->name) && verdict_state(str(p, "verdict"), &x->st)) {
				x->verdict = p;
				x->why = str(p, "why");
				break;
			}
		return;
	}
	if ((p = find_packet(x->dev, "packets", filter, rule))) {
		x->st = RPT_MISSING;
		x->packet = p;
	} else if ((p = find_packet(x->dev, "cannot_judge", filter, rule))) {
		x->st = RPT_CANNOT_JUDGE;
		x->packet = p;
		x->why = str(p, "opaque_text");
	} else {
		x->st = RPT_IN_PLACE;
	}
}

static struct rpt_rule *add(struct rpt_grid *g, const struct aclf_devpol *dp, struct aclf_err *err)
{
	struct rpt_rule *x;

	if (aclf_arena_grow(&g->a, (void **)&g->rules, g->nrules, &g->rules_cap, sizeof(*g->rules)) < 0) {
		aclf_err_nomem(err);
		return NULL;
	}
	x = &g->rules[g->nrules++];
	x->dp = dp;
	x->dev = rpt_report_device(g->report, dp->name);
	return x;
}

int rpt_rules_collect(struct rpt_grid *g, const struct aclf_policy *pol, struct aclf_err *err)
{
	for (size_t d = 0; d < pol->ndevices; d++) {
		const struct aclf_devpol *dp = &pol->devices[d];
		size_t hint = 0;

		for (size_t i = 0; i < dp->nfilters; i++)
			for (size_t k = 0; k < dp->filters[i].nrules; k++) {
				struct rpt_rule *x = add(g, dp, err);

				if (!x)
					return -1;
				x->f = &dp->filters[i];
				x->r = &dp->filters[i].rules[k];
				judge_rule(x, &hint);
			}
		for (size_t i = 0; i < dp->nlb; i++) {
			struct rpt_rule *x = add(g, dp, err);

			if (!x)
				return -1;
			x->lb = &dp->lb[i];
			judge_rule(x, &hint);
		}
	}
	return 0;
}
