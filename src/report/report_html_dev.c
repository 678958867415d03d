/* The page's sections per device (outcome, counters, drift list with
 * example packets, rules that need a look, extra entries, every rule with
 * its catalog rows) and per catalog row (seed row, document, senders,
 * state, rules). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/policy.h"
#include "report/report_int.h"

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

/* A number of the report, or "-" when null/absent. */
static int num(struct aclf_buf *b, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? aclf_buf_printf(b, "%lld", (long long)json_integer_value(v))
				  : aclf_buf_puts(b, "-");
}

static int counters(struct aclf_buf *b, const json_t *d)
{
	const json_t *c = json_object_get(d, "counters"), *since = json_object_get(d, "since");
	const char *at = str(c, "polled_at");
	int rc = aclf_buf_puts(b, "<p class=\"counters\">");

	if (at) {
		rc |= rpt_escf(b, "Counters read at %s", at);
		rc |= str(c, "source") ? rpt_escf(b, " (%s)", str(c, "source")) : 0;
	} else {
		rc |= rpt_escf(b, "Counters absent: %s",
			       or(str(c, "absent"), c ? "not read" : "the report has no counters for this device"));
	}
	if (json_is_object(since))
		rc |= rpt_escf(b, "; deltas since %s (%s)%s", or(str(since, "polled_at"), "?"),
			       or(str(since, "file"), "?"),
			       json_is_true(json_object_get(since, "restarted")) ? ", the device restarted since" : "");
	return rc | aclf_buf_puts(b, "</p>\n");
}

static int drift_list(struct aclf_buf *b, const json_t *d)
{
	const json_t *diff = json_object_get(d, "diff"), *p;
	const json_t *pk = json_object_get(diff, "packets"), *cj = json_object_get(diff, "cannot_judge");
	size_t i;
	int rc = 0;

	if (!json_is_object(diff))
		return 0;
	rc |= aclf_buf_printf(b, "<h4>Drift: <span class=\"n-packets\">%zu</span> example packet%s</h4>\n",
			      json_array_size(pk), json_array_size(pk) == 1 ? "" : "s");
	if (json_array_size(pk)) {
		rc |= aclf_buf_puts(b, "<ol class=\"drift\">\n");
		json_array_foreach(pk, i, p) {
			bool intended = str(p, "permitted_by") && !strcmp(str(p, "permitted_by"), "intended");

			rc |= aclf_buf_printf(b, "<li class=\"packet\" data-permitted-by=\"%s\">",
					      intended ? "intended" : "live");
			rc |= rpt_packet(b, p);
			if (intended)
				rc |= rpt_escf(b, " permitted by the intended %s %s, not by the device",
					       or(str(p, "intended_filter"), "?"), or(str(p, "intended_rule"), "?"));
			else
				rc |= rpt_escf(b, " permitted by the device's %s %s, not by the intended policy",
					       or(str(p, "live_filter"), "?"), or(str(p, "live_rule"), "?"));
			rc |= aclf_buf_puts(b, "</li>\n");
		}
		rc |= aclf_buf_puts(b, "</ol>\n");
	}
	if (json_array_size(cj)) {
		rc |= aclf_buf_printf(b, "<h4>Cannot judge: %zu</h4>\n<ol class=\"cannot-judge\">\n",
				      json_array_size(cj));
		json_array_foreach(cj, i, p) {
			rc |= aclf_buf_puts(b, "<li>");
			rc |= rpt_packet(b, p);
			rc |= rpt_escf(b, ": decided by the opaque entry '%s' (%s)", or(str(p, "opaque_text"), "?"),
				       or(str(p, "opaque_reason"), "?"));
			rc |= aclf_buf_puts(b, "</li>\n");
		}
		rc |= aclf_buf_puts(b, "</ol>\n");
	}
	json_array_foreach(json_object_get(diff, "lb_services"), i, p) {
		rc |= aclf_buf_puts(b, i ? "" : "<h4>Load balancer differences</h4>\n<ul class=\"lb\">\n");
		rc |= aclf_buf_puts(b, "<li class=\"mono\">");
		rc |= rpt_esc(b, json_string_value(p));
		rc |= aclf_buf_puts(b, "</li>\n");
	}
	if (json_array_size(json_object_get(diff, "lb_services")))
		rc |= aclf_buf_puts(b, "</ul>\n");
	return rc;
}

static int seed_rows(struct aclf_buf *b, const struct rpt_rule *x)
{
	const struct aclf_prov *pv = x->r ? x->r->prov : x->lb->prov;
	size_t np = x->r ? x->r->nprov : x->lb->nprov, n = 0;
	int rc = 0;

	for (size_t i = 0; i < np; i++) {
		if (strcmp(pv[i].kind, "catalog") != 0)
			continue;
		rc |= aclf_buf_puts(b, n++ ? " <a href=\"#row-" : "<a href=\"#row-");
		rc |= rpt_esc(b, pv[i].ref);
		rc |= aclf_buf_puts(b, "\">");
		rc |= rpt_esc(b, pv[i].ref);
		rc |= aclf_buf_puts(b, "</a>");
	}
	for (size_t i = 0; i < np && !n; i++) {
		if (!strcmp(pv[i].kind, "catalog") || !strcmp(pv[i].kind, "seed"))
			continue;
		rc |= rpt_escf(b, "%s%s:%s", i ? " " : "", pv[i].kind, pv[i].ref);
	}
	return rc;
}

static int rule_row(struct aclf_buf *b, const struct rpt_rule *x)
{
	int rc = aclf_buf_printf(b, "<tr class=\"rule\" data-state=\"%s\" data-rule=\"", rpt_state_name(x->st));

	rc |= rpt_rule_ref(b, x);
	rc |= aclf_buf_puts(b, "\"><td class=\"mono\">");
	rc |= x->r ? rpt_escf(b, "%s %s", x->f->name, x->r->id) : rpt_escf(b, "virtual server %s", x->lb->name);
	rc |= aclf_buf_printf(b, "</td><td>%s</td><td class=\"%s\">%s</td><td>",
			      x->r ? aclf_action_name(x->r->action) : "balance", rpt_state_class(x->st),
			      rpt_state_name(x->st));
	rc |= num(b, x->verdict, "packets");
	rc |= aclf_buf_puts(b, "</td><td>");
	rc |= num(b, x->verdict, "delta_packets");
	rc |= aclf_buf_puts(b, "</td><td>");
	rc |= seed_rows(b, x);
	rc |= aclf_buf_puts(b, "</td><td class=\"why\">");
	if (x->packet) {
		rc |= aclf_buf_puts(b, "<span class=\"mono\">");
		rc |= rpt_packet(b, x->packet);
		rc |= aclf_buf_puts(b, "</span> ");
	}
	rc |= rpt_esc(b, x->why);
	return rc | aclf_buf_puts(b, "</td></tr>\n");
}

static const char rules_head[] = "<tr><th>rule</th><th>action</th><th>state</th><th>packets</th>"
				 "<th>since</th><th>catalog rows</th><th>why</th></tr>\n";

static int attention(struct aclf_buf *b, const struct rpt_grid *g, const char *name)
{
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < g->nrules; i++) {
		const struct rpt_rule *x = &g->rules[i];

		if (strcmp(x->dp->name, name) != 0 ||
		    (x->st != RPT_MISSING && x->st != RPT_CANNOT_JUDGE && x->st != RPT_NO_HITS))
			continue;
		rc |= n++ ? 0 : aclf_buf_printf(b, "<h4>Rules missing, undecided or unused</h4>\n"
						   "<table class=\"attention\">%s", rules_head);
		rc |= rule_row(b, x);
	}
	return rc | (n ? aclf_buf_puts(b, "</table>\n") : 0);
}

/* The device's own lines nothing intends: the report's "extra" list, or
 * without it the live entries the drift list shows permitting packets
 * nothing intends. */
static int extra(struct aclf_buf *b, const json_t *d)
{
	const json_t *ex = json_object_get(d, "extra"), *p;
	size_t i, n = 0;
	int rc = 0;

	if (json_is_array(ex)) {
		rc |= aclf_buf_printf(b, "<h4>Extra entries: <span class=\"n-extra\">%zu</span></h4>\n",
				      json_array_size(ex));
		rc |= json_array_size(ex) ? aclf_buf_puts(b, "<ul class=\"extra\">\n") : 0;
		json_array_foreach(ex, i, p) {
			rc |= aclf_buf_puts(b, "<li>");
			rc |= rpt_escf(b, "%s %s", or(str(p, "filter"), "?"), or(str(p, "entry"), "?"));
			if (json_is_integer(json_object_get(p, "line")))
				rc |= aclf_buf_printf(b, " (line %lld)",
						      (long long)json_integer_value(json_object_get(p, "line")));
			rc |= aclf_buf_puts(b, ": <code>");
			rc |= rpt_esc(b, str(p, "text"));
			rc |= aclf_buf_puts(b, "</code> packets ");
			rc |= num(b, p, "packets");
			rc |= aclf_buf_puts(b, "</li>\n");
		}
		return rc | (json_array_size(ex) ? aclf_buf_puts(b, "</ul>\n") : 0);
	}
	json_array_foreach(json_object_get(json_object_get(d, "diff"), "packets"), i, p) {
		const char *by = str(p, "permitted_by");
		bool seen = false;
		const json_t *q;
		size_t k;

		if (!by || strcmp(by, "live") != 0)
			continue;
		/* one line per entry: the first packet it lets through */
		json_array_foreach(json_object_get(json_object_get(d, "diff"), "packets"), k, q) {
			if (k >= i)
				break;
			if (str(q, "permitted_by") && !strcmp(str(q, "permitted_by"), "live") &&
			    !strcmp(or(str(q, "live_rule"), ""), or(str(p, "live_rule"), "")) &&
			    !strcmp(or(str(q, "live_filter"), ""), or(str(p, "live_filter"), "")))
				seen = true;
		}
		if (seen)
			continue;
		rc |= n++ ? 0 : aclf_buf_puts(b, "<h4>Extra entries (from the drift list)</h4>\n<ul class=\"extra\">\n");
		rc |= aclf_buf_puts(b, "<li>");
		rc |= rpt_escf(b, "%s %s lets through ", or(str(p, "live_filter"), "?"), or(str(p, "live_rule"), "?"));
		rc |= rpt_packet(b, p);
		rc |= aclf_buf_puts(b, "</li>\n");
	}
	return rc | (n ? aclf_buf_puts(b, "</ul>\n") : 0);
}

static int device(struct aclf_buf *b, const struct rpt_grid *g, const json_t *d)
{
	const char *name = or(str(d, "device"), "?"), *outcome = or(str(d, "outcome"), "?");
	size_t n = 0;
	int rc = 0;

	rc |= aclf_buf_puts(b, "<section class=\"device\" id=\"dev-");
	rc |= rpt_esc(b, name);
	rc |= aclf_buf_puts(b, "\" data-device=\"");
	rc |= rpt_esc(b, name);
	rc |= aclf_buf_puts(b, "\" data-outcome=\"");
	rc |= rpt_esc(b, outcome);
	rc |= aclf_buf_puts(b, "\">\n<h3>");
	rc |= rpt_escf(b, "%s (%s): ", name, or(str(d, "driver"), "?"));
	rc |= aclf_buf_printf(b, "<span class=\"%s\">", !strcmp(outcome, "drift")	 ? "outcome-drift"
							: !strcmp(outcome, "no drift") ? "outcome-nodrift"
										      : "outcome-other");
	rc |= rpt_esc(b, outcome);
	rc |= aclf_buf_puts(b, "</span></h3>\n");
	if (str(d, "note")) {
		rc |= aclf_buf_puts(b, "<p class=\"note\">");
		rc |= rpt_esc(b, str(d, "note"));
		rc |= aclf_buf_puts(b, "</p>\n");
	}
	if (str(json_object_get(d, "error"), "message")) {
		rc |= aclf_buf_puts(b, "<p class=\"error\">Error: ");
		rc |= rpt_esc(b, str(json_object_get(d, "error"), "message"));
		rc |= aclf_buf_puts(b, "</p>\n");
	}
	rc |= counters(b, d);
	rc |= drift_list(b, d);
	rc |= attention(b, g, name);
	rc |= extra(b, d);
	for (size_t i = 0; i < g->nrules; i++)
		n += !strcmp(g->rules[i].dp->name, name);
	if (n) {
		rc |= aclf_buf_printf(b, "<details><summary>All %zu intended rules</summary>\n"
					 "<table class=\"rules\">%s", n, rules_head);
		for (size_t i = 0; i < g->nrules; i++)
			if (!strcmp(g->rules[i].dp->name, name))
				rc |= rule_row(b, &g->rules[i]);
		rc |= aclf_buf_puts(b, "</table></details>\n");
	}
	return rc | aclf_buf_puts(b, "</section>\n");
}

int rpt_html_devices(struct aclf_buf *b, const struct rpt_grid *g)
{
	const json_t *d;
	size_t i;
	int rc = aclf_buf_puts(b, "<h2>Devices</h2>\n");

	json_array_foreach(json_object_get(g->report, "devices"), i, d)
		rc |= device(b, g, d);
	return rc;
}

static int peers(struct aclf_buf *b, const struct aclf_cat_peer *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		rc |= aclf_buf_puts(b, i ? "<br>" : "");
		rc |= aclf_buf_puts(b, "<span title=\"");
		rc |= rpt_esc(b, v[i].why);
		rc |= aclf_buf_puts(b, "\">");
		rc |= rpt_esc(b, v[i].source);
		rc |= aclf_buf_puts(b, "</span>");
	}
	return rc;
}

/* seen: one slot per rule, the last row (k + 1) that listed it */
static int catalog_row(struct aclf_buf *b, const struct rpt_grid *g, size_t k, size_t *seen)
{
	const struct aclf_cat_row *row = &g->cat->rows[k];
	enum rpt_state st = RPT_NOT_ENFORCED;
	size_t nc;
	const size_t *cells = rpt_cells_of_row(g, k, &nc);
	int rc = 0;

	for (size_t c = 0; c < nc; c++)
		if (g->cells[cells[c]].st < st)
			st = g->cells[cells[c]].st;
	rc |= aclf_buf_puts(b, "<tr id=\"row-");
	rc |= rpt_esc(b, row->id);
	rc |= aclf_buf_printf(b, "\" class=\"catrow\" data-state=\"%s\"><td class=\"mono\">", rpt_state_name(st));
	rc |= rpt_esc(b, row->id);
	rc |= aclf_buf_puts(b, "<br><span class=\"why\">");
	rc |= rpt_escf(b, "%s table row %u", aclf_cat_table_name(row->table), row->seed_row);
	rc |= aclf_buf_puts(b, "</span></td><td>");
	rc |= rpt_escf(b, "%s", row->role);
	rc |= row->service && *row->service ? rpt_escf(b, " (%s)", row->service) : 0;
	rc |= aclf_buf_puts(b, "</td><td>");
	rc |= rpt_escf(b, "%s %s", or(row->seed_ports, ""), or(row->seed_protocol, ""));
	rc |= aclf_buf_printf(b, "</td><td>%s ", row->direction == ACLF_CAT_INBOUND ? "from" : "to");
	rc |= row->direction == ACLF_CAT_INBOUND ? peers(b, row->from, row->nfrom) : peers(b, row->to, row->nto);
	rc |= aclf_buf_puts(b, "</td><td>");
	rc |= rpt_esc(b, row->note_en ? row->note_en : row->note);
	if (row->document) {
		rc |= aclf_buf_puts(b, "<br><b>Document:</b> ");
		rc |= rpt_esc(b, row->document);
	}
	if (row->optional || row->option) {
		rc |= aclf_buf_puts(b, "<br><b>Only when asked:</b> ");
		rc |= rpt_esc(b, row->option ? row->option : "optional in the seed");
	}
	rc |= aclf_buf_printf(b, "</td><td class=\"%s\">%s</td><td class=\"mono\">", rpt_state_class(st),
			      rpt_state_name(st));
	for (size_t c = 0, n = 0; c < nc; c++) {
		const struct rpt_cell *cell = &g->cells[cells[c]];

		for (size_t r = 0; r < cell->nrules; r++) {
			/* each rule once, however many of the row's cells it serves */
			if (seen[cell->rules[r]] == k + 1)
				continue;
			seen[cell->rules[r]] = k + 1;
			rc |= aclf_buf_puts(b, n++ ? "<br>" : "");
			rc |= rpt_rule_ref(b, &g->rules[cell->rules[r]]);
			rc |= rpt_escf(b, ": %s", rpt_state_name(g->rules[cell->rules[r]].st));
		}
	}
	return rc | aclf_buf_puts(b, "</td></tr>\n");
}

int rpt_html_catalog(struct aclf_buf *b, const struct rpt_grid *g)
{
	size_t *seen = calloc(g->nrules ? g->nrules : 1, sizeof(*seen));
	int rc = !seen ? -1 : aclf_buf_puts(b, "<h2>Catalog rows</h2>\n<p>Every row of the catalog with its seed row or "
				  "document, who sends, its state across the devices and the rules "
				  "behind it.</p>\n<table class=\"catalog\"><tr><th>row</th><th>role "
				  "(service)</th><th>ports</th><th>peers</th><th>note, document</th>"
				  "<th>state</th><th>rules (sender)</th></tr>\n");

	for (size_t k = 0; seen && k < g->cat->nrows; k++)
		if (!g->cat->rows[k].empty)
			rc |= catalog_row(b, g, k, seen);
	free(seen);
	return rc | aclf_buf_puts(b, "</table>\n");
}
