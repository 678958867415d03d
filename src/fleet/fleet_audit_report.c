/* The audit's per-rule part of the fleet report (fleet_report.c calls it).
 *
 * JSON, per device (the contract README's audit section documents):
 * "counters": {"polled_at", "source", "absent"}, "since": null | {"file",
 * "polled_at", "restarted"}, "rules": [{"filter", "rule", "action",
 * "verdict", "packets", "bytes", "delta_packets", "delta_bytes",
 * "seed_rows", "provenance", "why"}], "extra": [{"filter", "entry",
 * "line", "text", "packets"}], "lb_services": [{"service", "object",
 * "verdict", "packets", "bytes", "connections", "why"}] (each intended
 * service: "in place, used" / "in place, no hits" by its virtual server's
 * packets in, "in place" without statistics, "missing" or "cannot judge"
 * by the diff's lb differences; then "extra" per live service nothing
 * intends). A counter above 2^63-1 is written as a decimal string (as the
 * counters report does).
 *
 * Text: one line per rule to act on (missing, cannot judge, no hits; with
 * --since also "no hits since ..."), every rule with verbose, one per
 * extra entry, then the counts per verdict and where the counters came
 * from; lb services the same way ("lb NAME: VERDICT (P packets, C
 * connections): WHY", extra ones always, then their counts) on a device
 * that has any. Device words are escaped. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "aclforge/audit.h"
#include "aclforge/buf.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "fleet/fleet_int.h"

void fleet_utc_now(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		out[0] = '\0';
}

static json_t *num(bool has, uint64_t v)
{
	char s[24];

	if (!has)
		return json_null();
	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(s, sizeof(s), "%" PRIu64, v);
	return json_string(s);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The catalog rows behind a rule, each once. */
static json_t *seed_rows(const struct aclf_rule *r)
{
	json_t *a = json_array();

	for (size_t k = 0; r && k < r->nprov; k++) {
		bool dup = false;

		if (!r->prov[k].kind || strcmp(r->prov[k].kind, "catalog") || !r->prov[k].ref)
			continue;
		for (size_t i = 0; i < k && !dup; i++)
			dup = r->prov[i].kind && !strcmp(r->prov[i].kind, "catalog") && r->prov[i].ref &&
			      !strcmp(r->prov[i].ref, r->prov[k].ref);
		if (!dup)
			json_array_append_new(a, json_string(r->prov[k].ref));
	}
	return a;
}

/* Where a rule comes from, by its first provenance in the policy JSON:
 * "catalog", "return-path" (the answer to catalog rows), "builtin:REF"
 * ("builtin:management"), "site" (the topology's own rules:). */
static json_t *provenance(const struct aclf_rule *r)
{
	const struct aclf_prov *p = r && r->nprov ? &r->prov[0] : NULL;
	char b[128];

	if (!p || !p->kind)
		return json_null();
	if (!strcmp(p->kind, "builtin")) {
		snprintf(b, sizeof(b), "builtin:%s", p->ref ? p->ref : "");
		return json_string(b);
	}
	if (!strcmp(p->kind, "topology-rule"))
		return json_string("site");
	return json_string(p->kind);
}

static json_t *rule_json(const struct aclf_rule_verdict *v)
{
	json_t *j = json_object();

	json_object_set_new(j, "filter", json_string(v->filter));
	json_object_set_new(j, "rule", json_string(v->rule));
	json_object_set_new(j, "action", json_string(aclf_action_name(v->r->action)));
	json_object_set_new(j, "verdict", json_string(aclf_verdict_name(v->verdict)));
	json_object_set_new(j, "packets", num(v->counted, v->packets));
	json_object_set_new(j, "bytes", num(v->counted && v->has_bytes, v->bytes));
	json_object_set_new(j, "delta_packets", num(v->has_delta, v->delta_packets));
	json_object_set_new(j, "delta_bytes", num(v->has_delta_bytes, v->delta_bytes));
	json_object_set_new(j, "seed_rows", seed_rows(v->r));
	json_object_set_new(j, "provenance", provenance(v->r));
	json_object_set_new(j, "why", str_or_null(v->why));
	return j;
}

static const char *lb_verdict(const struct aclf_lb_usage *u)
{
	return u->extra ? "extra" : aclf_verdict_name(u->verdict);
}

static json_t *lb_json(const struct aclf_audit_dev *a)
{
	json_t *arr = json_array();

	for (size_t i = 0; a && i < a->nlb; i++) {
		const struct aclf_lb_usage *u = &a->lb[i];
		json_t *e = json_object();

		json_object_set_new(e, "service", json_string(u->service));
		json_object_set_new(e, "object", str_or_null(u->object));
		json_object_set_new(e, "verdict", json_string(lb_verdict(u)));
		json_object_set_new(e, "packets", num(u->counted, u->packets_in));
		json_object_set_new(e, "bytes", num(u->counted, u->bytes_in));
		json_object_set_new(e, "connections", num(u->counted, u->connections_total));
		json_object_set_new(e, "why", str_or_null(u->why));
		json_array_append_new(arr, e);
	}
	return arr;
}

int fleet_audit_json(const struct aclf_fleet_dev *d, void *jv)
{
	json_t *j = jv, *cnt = json_object(), *rules = json_array(), *extra = json_array();
	const struct aclf_audit_dev *a = d->audit;

	json_object_set_new(cnt, "polled_at", a && a->polled_at[0] ? json_string(a->polled_at)
								     : json_null());
	json_object_set_new(cnt, "source", str_or_null(a ? a->source : NULL));
	json_object_set_new(cnt, "absent", a ? str_or_null(a->polled_at[0] ? NULL : a->absent)
					     : json_string("the device could not be read"));
	json_object_set_new(j, "counters", cnt);
	if (a && a->since) {
		json_t *s = json_object();

		json_object_set_new(s, "file", json_string(a->since_file));
		json_object_set_new(s, "polled_at", json_string(a->since_polled_at));
		json_object_set_new(s, "restarted", json_boolean(a->since_restarted));
		json_object_set_new(j, "since", s);
	} else {
		json_object_set_new(j, "since", json_null());
	}
	for (size_t i = 0; a && i < a->nrules; i++)
		json_array_append_new(rules, rule_json(&a->rules[i]));
	for (size_t i = 0; a && i < a->nextra; i++) {
		const struct aclf_extra_entry *x = &a->extra[i];
		json_t *e = json_object();

		json_object_set_new(e, "filter", json_string(x->filter));
		json_object_set_new(e, "entry", json_string(x->entry));
		json_object_set_new(e, "line", x->line >= 0 ? json_integer(x->line) : json_null());
		json_object_set_new(e, "text", json_string(x->text));
		json_object_set_new(e, "packets", num(x->counted, x->packets));
		json_object_set_new(e, "why", str_or_null(x->why));
		json_array_append_new(extra, e);
	}
	json_object_set_new(j, "rules", rules);
	json_object_set_new(j, "extra", extra);
	json_object_set_new(j, "lb_services", lb_json(a));
	return 0;
}

static bool to_act_on(const struct aclf_rule_verdict *v)
{
	return v->verdict == ACLF_V_MISSING || v->verdict == ACLF_V_CANNOT_JUDGE ||
	       v->verdict == ACLF_V_NO_HITS;
}

static int rule_line(struct aclf_buf *out, const struct aclf_audit_dev *a,
		     const struct aclf_rule_verdict *v)
{
	int rc = aclf_buf_printf_escaped(out, "  %s %s: %s", v->filter, v->rule,
					 aclf_verdict_name(v->verdict));

	if (v->counted)
		rc |= aclf_buf_printf(out, " (%" PRIu64 " packets)", v->packets);
	if (v->has_delta && v->delta_packets == 0)
		rc |= aclf_buf_printf_escaped(out, ", no hits since %s", a->since_polled_at);
	else if (v->has_delta)
		rc |= aclf_buf_printf_escaped(out, ", %" PRIu64 " packets since %s", v->delta_packets,
					      a->since_polled_at);
	if (v->restarted)
		rc |= aclf_buf_puts(out, " (restarted: since the restart)");
	if (v->why)
		rc |= aclf_buf_printf_escaped(out, ": %s", v->why);
	rc |= aclf_buf_putc(out, '\n');
	return rc ? -1 : 0;
}

/* "  lb NAME: VERDICT (P packets, C connections): WHY" */
static int lb_line(struct aclf_buf *out, const struct aclf_lb_usage *u)
{
	int rc = aclf_buf_printf_escaped(out, "  lb %s: %s", u->service, lb_verdict(u));

	if (u->counted)
		rc |= aclf_buf_printf(out, " (%" PRIu64 " packets, %" PRIu64 " connections)",
				      u->packets_in, u->connections_total);
	if (u->why)
		rc |= aclf_buf_printf_escaped(out, ": %s", u->why);
	rc |= aclf_buf_putc(out, '\n');
	return rc ? -1 : 0;
}

/* The lb services' lines (those to act on, every one with verbose) and
 * their counts; nothing for a device without any. */
static int lb_text(const struct aclf_fleet *fl, const struct aclf_audit_dev *a,
		   struct aclf_buf *out)
{
	size_t count[ACLF_V_CANNOT_JUDGE + 1] = { 0 }, nextra = 0, n = 0;
	bool first = true;
	int rc = 0;

	for (size_t i = 0; i < a->nlb; i++) {
		const struct aclf_lb_usage *u = &a->lb[i];

		if (u->extra)
			nextra++;
		else
			count[u->verdict]++, n++;
		if (fl->verbose || u->extra || u->verdict == ACLF_V_MISSING ||
		    u->verdict == ACLF_V_CANNOT_JUDGE || u->verdict == ACLF_V_NO_HITS)
			rc |= lb_line(out, u);
	}
	if (!a->nlb)
		return 0;
	rc |= aclf_buf_printf(out, "  %zu lb service%s", n, n == 1 ? "" : "s");
	for (int k = 0; k <= ACLF_V_CANNOT_JUDGE; k++) {
		if (!count[k])
			continue;
		rc |= aclf_buf_printf(out, "%s %zu %s", first ? ":" : ",", count[k],
				      aclf_verdict_name((enum aclf_verdict)k));
		first = false;
	}
	rc |= aclf_buf_printf(out, "; %zu extra service%s\n", nextra, nextra == 1 ? "" : "s");
	return rc ? -1 : 0;
}

int fleet_audit_text(const struct aclf_fleet *fl, const struct aclf_fleet_dev *d,
		     struct aclf_buf *out)
{
	const struct aclf_audit_dev *a = d->audit;
	size_t count[ACLF_V_CANNOT_JUDGE + 1] = { 0 };
	bool first = true;
	int rc = 0;

	if (!a)
		return 0;
	for (size_t i = 0; i < a->nrules; i++) {
		const struct aclf_rule_verdict *v = &a->rules[i];

		count[v->verdict]++;
		if (fl->verbose || to_act_on(v) || (v->has_delta && v->delta_packets == 0))
			rc |= rule_line(out, a, v);
	}
	for (size_t i = 0; i < a->nextra; i++) {
		const struct aclf_extra_entry *x = &a->extra[i];

		rc |= aclf_buf_printf_escaped(out, "  %s %s: extra", x->filter, x->entry);
		if (x->line >= 0)
			rc |= aclf_buf_printf(out, " (line %ld)", x->line);
		if (x->counted)
			rc |= aclf_buf_printf(out, " (%" PRIu64 " packets)", x->packets);
		rc |= aclf_buf_printf_escaped(out, ": '%s': %s\n", x->text, x->why ? x->why : "");
	}
	rc |= aclf_buf_printf(out, "  %zu rule%s", a->nrules, a->nrules == 1 ? "" : "s");
	for (int k = 0; k <= ACLF_V_CANNOT_JUDGE; k++) {
		if (!count[k])
			continue;
		rc |= aclf_buf_printf(out, "%s %zu %s", first ? ":" : ",", count[k],
				      aclf_verdict_name((enum aclf_verdict)k));
		first = false;
	}
	rc |= aclf_buf_printf(out, "; %zu extra entr%s\n", a->nextra, a->nextra == 1 ? "y" : "ies");
	rc |= lb_text(fl, a, out);
	if (a->polled_at[0])
		rc |= aclf_buf_printf(out, "  counters: polled at %s (%s)\n", a->polled_at,
				      a->source ? a->source : "none matched a rule");
	else
		rc |= aclf_buf_printf_escaped(out, "  counters: absent: %s\n", a->absent ? a->absent : "");
	if (a->since)
		rc |= aclf_buf_printf_escaped(out, "  since: %s (polled at %s)%s\n", a->since_file,
					      a->since_polled_at,
					      a->since_restarted ? ", a counter restarted since" : "");
	return rc ? -1 : 0;
}
