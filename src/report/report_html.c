/* The page: head and inline style, what was audited and when, the counts,
 * the legend and the port matrix; the device and catalog sections follow
 * (report_html_dev.c). Markup is written from constants and numbers only;
 * every other string goes through rpt_esc. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/report.h"
#include "aclforge/topology.h"
#include "report/report_int.h"

int rpt_esc(struct aclf_buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rc = aclf_buf_puts(b, "&amp;"); break;
		case '<': rc = aclf_buf_puts(b, "&lt;"); break;
		case '>': rc = aclf_buf_puts(b, "&gt;"); break;
		case '"': rc = aclf_buf_puts(b, "&quot;"); break;
		case '\'': rc = aclf_buf_puts(b, "&#39;"); break;
		default:
			/* control characters shown, never passed to the page */
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				rc = aclf_buf_printf(b, "\\x%02x", c);
			else
				rc = aclf_buf_putc(b, (char)c);
		}
	}
	return rc;
}

int rpt_escf(struct aclf_buf *b, const char *fmt, ...)
{
	struct aclf_buf t = ACLF_BUF_INIT;
	va_list ap;
	int rc;

	aclf_buf_init(&t, 0);
	va_start(ap, fmt);
	rc = aclf_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	rc = rc < 0 ? -1 : rpt_esc(b, t.buf);
	aclf_buf_release(&t);
	return rc;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "?";
}

int rpt_packet(struct aclf_buf *b, const json_t *p)
{
	const char *proto = str(p, "protocol");
	bool ports = !strcmp(proto, "tcp") || !strcmp(proto, "udp");

	if (ports)
		return rpt_escf(b, "%s %s:%lld -> %s:%lld%s", proto, str(p, "src"),
				(long long)json_integer_value(json_object_get(p, "src_port")), str(p, "dst"),
				(long long)json_integer_value(json_object_get(p, "dst_port")),
				json_is_true(json_object_get(p, "established")) ? " established" : "");
	return rpt_escf(b, "%s %s -> %s", proto, str(p, "src"), str(p, "dst"));
}

int rpt_rule_ref(struct aclf_buf *b, const struct rpt_rule *r)
{
	if (r->lb)
		return rpt_escf(b, "%s/lb/%s", r->dp->name, r->lb->name);
	return rpt_escf(b, "%s/%s/%s", r->dp->name, r->f->name, r->r->id);
}

static const char style[] =
	"body{font:13px/1.35 sans-serif;margin:16px;color:#1b1b1b;background:#fff}"
	"h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:14px;margin:12px 0 4px}"
	"code,.mono{font-family:monospace}"
	".meta{color:#444;margin:2px 0}"
	"table{border-collapse:collapse}"
	"td,th{border:1px solid #ccc;padding:2px 4px;vertical-align:top}"
	".counts td{text-align:right}.counts th{font-weight:normal;text-align:left}"
	".counts .swatch{margin-left:0}"
	".wrap{overflow:auto;max-width:100%}"
	"table.grid td,table.grid th{padding:0;text-align:center;font-size:11px}"
	"table.grid th.port{writing-mode:vertical-rl;transform:rotate(180deg);height:110px;"
	"white-space:nowrap;font-weight:normal;padding:2px 0;min-width:16px}"
	"table.grid th.role{font-size:11px;white-space:nowrap;background:#f3f3f3;border-left:2px solid #888}"
	"table.grid th.role.v{vertical-align:bottom;padding:2px 0}"
	"table.grid th.role.v div{writing-mode:vertical-rl;transform:rotate(180deg);max-height:84px;"
	"overflow:hidden;text-overflow:ellipsis;margin:auto}"
	"table.grid th.first{border-left:2px solid #888}"
	"table.grid th.sender{text-align:right;white-space:nowrap;padding:0 4px;font-weight:normal}"
	"table.grid td{width:16px;height:16px}"
	"td.cell a{display:block;width:100%;height:100%;color:inherit;text-decoration:none}"
	".st-missing{background:#d62728;color:#fff}"
	".st-unread{background:#7b3294;color:#fff}"
	".st-cannot{background:#ff9f1c}"
	".st-nohits{background:#f6d743}"
	".st-inplace{background:#8fd19e}"
	".st-used{background:#2ca02c;color:#fff}"
	".st-notaudited{background:#e8e8e8;color:#777}"
	".st-none{background:#b8b8b8;color:#555}"
	".swatch{display:inline-block;width:14px;height:14px;vertical-align:middle;margin:0 4px 0 10px;"
	"border:1px solid #999}"
	".device{border-top:2px solid #ddd;margin-top:10px}"
	".outcome-drift{color:#d62728}.outcome-nodrift{color:#2ca02c}"
	"ol.drift li,ul.extra li{font-family:monospace}"
	".why{color:#555}"
	"table.catalog td:first-child,table.catalog td:last-child,table.rules td:first-child,"
	"table.attention td:first-child{white-space:nowrap}"
	"table.catalog td:last-child{font-size:11px}";

/* A cell names this many of its rules (the worst state is every rule's);
 * its catalog rows' section lists them all. */
#define RPT_CELL_RULES 40

/* One letter per state inside the cells, for readers who see no colour. */
static const char *state_mark(enum rpt_state s)
{
	switch (s) {
	case RPT_MISSING: return "&#x2717;";
	case RPT_UNREAD: return "!";
	case RPT_CANNOT_JUDGE: return "?";
	case RPT_NO_HITS: return "0";
	case RPT_IN_PLACE: return "&#x2713;";
	case RPT_USED: return "&#x2713;";
	case RPT_NOT_AUDITED: return "-";
	case RPT_NOT_ENFORCED: return "";
	}
	return "";
}

static int counters_line(struct aclf_buf *b, const json_t *report)
{
	const json_t *d;
	size_t i, polled = 0, n = 0;
	int rc = 0;

	json_array_foreach(json_object_get(report, "devices"), i, d) {
		const json_t *c = json_object_get(d, "counters");

		n++;
		if (json_is_string(json_object_get(c, "polled_at")))
			polled++;
	}
	rc |= aclf_buf_puts(b, "<p class=\"meta\" id=\"counters-summary\">Counters: ");
	if (polled)
		rc |= aclf_buf_printf(b, "read on %zu of %zu devices (each device's time below)", polled, n);
	else
		rc |= aclf_buf_puts(b, "absent: the report holds no counters (no hits cannot be told from "
				       "traffic; rules in place show as in place)");
	return rc | aclf_buf_puts(b, "</p>\n");
}

static int header(struct aclf_buf *b, const struct rpt_grid *g)
{
	const char *at = json_string_value(json_object_get(g->report, "audited_at"));
	int rc = 0;

	rc |= aclf_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			       "<meta name=\"generator\" content=\"aclforge " ACLF_VERSION "\">\n<title>aclforge audit: ");
	rc |= rpt_esc(b, g->topo->path);
	rc |= aclf_buf_printf(b, "</title>\n<style>%s</style>\n</head><body>\n<h1>aclforge audit</h1>\n", style);
	rc |= aclf_buf_puts(b, "<p class=\"meta\">Topology <code>");
	rc |= rpt_esc(b, g->topo->path);
	rc |= aclf_buf_puts(b, "</code>, catalog <code>");
	rc |= rpt_esc(b, g->cat->name);
	rc |= aclf_buf_puts(b, "</code></p>\n<p class=\"meta\">Audited at <time id=\"audited-at\">");
	rc |= rpt_esc(b, at ? at : "(the report gives no time)");
	rc |= aclf_buf_puts(b, "</time></p>\n");
	return rc | counters_line(b, g->report);
}

static int summary(struct aclf_buf *b, const struct rpt_grid *g)
{
	size_t cells[RPT_NSTATES] = { 0 }, rules[RPT_NSTATES] = { 0 };
	const json_t *d;
	size_t i;
	int rc = 0;

	for (size_t k = 0; k < g->ncells; k++)
		cells[g->cells[k].st]++;
	for (size_t k = 0; k < g->nrules; k++)
		rules[g->rules[k].st]++;
	rc |= aclf_buf_puts(b, "<h2>Summary</h2>\n<p id=\"devices-summary\">");
	json_array_foreach(json_object_get(g->report, "devices"), i, d) {
		rc |= aclf_buf_puts(b, i ? ", " : "Devices: ");
		rc |= rpt_escf(b, "%s %s", str(d, "device"), str(d, "outcome"));
	}
	rc |= aclf_buf_puts(b, "</p>\n<table class=\"counts\" id=\"counts\"><tr><th></th>");
	for (int s = 0; s < RPT_NSTATES; s++)
		rc |= aclf_buf_printf(b, "<th><span class=\"swatch %s\"></span>%s</th>",
				      rpt_state_class((enum rpt_state)s), rpt_state_name((enum rpt_state)s));
	rc |= aclf_buf_puts(b, "<th>all</th></tr>\n");
	for (int k = 0; k < 2; k++) {
		const size_t *v = k ? rules : cells;

		rc |= aclf_buf_printf(b, "<tr><th>%s</th>", k ? "rules" : "matrix cells");
		for (int s = 0; s < RPT_NSTATES; s++)
			rc |= aclf_buf_printf(b, "<td class=\"%s\" data-state=\"%s\">%zu</td>",
					      k ? "n-rules" : "n-cells", rpt_state_name((enum rpt_state)s), v[s]);
		rc |= aclf_buf_printf(b, "<td class=\"%s\" data-state=\"all\">%zu</td></tr>\n",
				      k ? "n-rules" : "n-cells", k ? g->nrules : g->ncells);
	}
	return rc | aclf_buf_puts(b, "</table>\n");
}

static int cell_title(struct aclf_buf *b, const struct rpt_grid *g, const struct rpt_cell *c)
{
	int rc = rpt_escf(b, "%s -> %s %s: %s; catalog", g->senders[c->sender], g->cols[c->col].role,
			  g->cols[c->col].ports, rpt_state_name(c->st));

	for (size_t r = 0; r < c->nrows; r++)
		rc |= rpt_escf(b, " %s", g->cat->rows[c->rows[r]].id);
	for (size_t r = 0; r < c->nrules && r < RPT_CELL_RULES; r++) {
		const struct rpt_rule *x = &g->rules[c->rules[r]];

		rc |= aclf_buf_puts(b, r ? "; " : "; rules ");
		rc |= rpt_rule_ref(b, x);
		rc |= rpt_escf(b, " %s", rpt_state_name(x->st));
	}
	if (c->nrules > RPT_CELL_RULES)
		rc |= aclf_buf_printf(b, "; %zu more (the catalog rows list them)", c->nrules - RPT_CELL_RULES);
	return rc;
}

static int grid_cell(struct aclf_buf *b, const struct rpt_grid *g, const struct rpt_cell *c)
{
	int rc = 0;

	rc |= aclf_buf_printf(b, "<td class=\"cell %s\" data-state=\"%s\" data-sender=\"",
			      rpt_state_class(c->st), rpt_state_name(c->st));
	rc |= rpt_esc(b, g->senders[c->sender]);
	rc |= aclf_buf_puts(b, "\" data-receiver=\"");
	rc |= rpt_esc(b, g->cols[c->col].role);
	rc |= aclf_buf_puts(b, "\" data-ports=\"");
	rc |= rpt_esc(b, g->cols[c->col].ports);
	rc |= aclf_buf_puts(b, "\" data-rows=\"");
	for (size_t r = 0; r < c->nrows; r++)
		rc |= rpt_escf(b, "%s%s", r ? " " : "", g->cat->rows[c->rows[r]].id);
	rc |= aclf_buf_printf(b, "\" data-nrules=\"%zu\" data-rules=\"", c->nrules);
	for (size_t r = 0; r < c->nrules && r < RPT_CELL_RULES; r++) {
		rc |= r ? aclf_buf_putc(b, ' ') : 0;
		rc |= rpt_rule_ref(b, &g->rules[c->rules[r]]);
	}
	rc |= aclf_buf_puts(b, "\" title=\"");
	rc |= cell_title(b, g, c);
	rc |= aclf_buf_puts(b, "\"><a href=\"#row-");
	rc |= rpt_esc(b, g->cat->rows[c->rows[0]].id);
	rc |= aclf_buf_printf(b, "\">%s</a></td>", state_mark(c->st));
	return rc;
}

static int grid(struct aclf_buf *b, const struct rpt_grid *g)
{
	const struct rpt_cell **row = calloc(g->ncols ? g->ncols : 1, sizeof(*row));
	int rc = 0;

	if (!row)
		return -1;
	rc |= aclf_buf_puts(b, "<h2>Port matrix</h2>\n<p>Rows: who opens the connection (catalog sender "
			       "classes and roles); columns: the receiving role and the ports it listens "
			       "on. Each cell is coloured by the worst state of the rules behind it on the "
			       "devices that enforce it; hover for the catalog rows and rules, click for "
			       "the row.</p>\n<p>");
	for (int s = 0; s < RPT_NSTATES; s++)
		rc |= aclf_buf_printf(b, "<span class=\"swatch %s legend\" data-state=\"%s\"></span>%s",
				      rpt_state_class((enum rpt_state)s), rpt_state_name((enum rpt_state)s),
				      rpt_state_name((enum rpt_state)s));
	rc |= aclf_buf_puts(b, "</p>\n<div class=\"wrap\"><table class=\"grid\" id=\"matrix\">\n<thead><tr>"
			       "<th rowspan=\"2\">sender \\ receiver</th>");
	for (size_t c = 0; c < g->ncols;) {
		size_t n = 1;

		while (c + n < g->ncols && !strcmp(g->cols[c + n].role, g->cols[c].role))
			n++;
		/* a name wider than its columns is written upwards */
		rc |= aclf_buf_printf(b, "<th class=\"role%s\" colspan=\"%zu\" title=\"",
				      strlen(g->cols[c].role) * 7 > n * 17 ? " v" : "", n);
		rc |= rpt_esc(b, g->cols[c].role);
		rc |= aclf_buf_puts(b, "\"><div>");
		rc |= rpt_esc(b, g->cols[c].role);
		rc |= aclf_buf_puts(b, "</div></th>");
		c += n;
	}
	rc |= aclf_buf_puts(b, "</tr>\n<tr>");
	for (size_t c = 0; c < g->ncols; c++) {
		rc |= aclf_buf_printf(b, "<th class=\"port%s\" title=\"",
				      c == 0 || strcmp(g->cols[c - 1].role, g->cols[c].role) ? " first" : "");
		rc |= rpt_escf(b, "%s %s", g->cols[c].role, g->cols[c].ports);
		rc |= aclf_buf_puts(b, "\">");
		rc |= rpt_escf(b, "%s", g->cols[c].ports);
		rc |= aclf_buf_puts(b, "</th>");
	}
	rc |= aclf_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t s = 0; s < g->nsenders; s++) {
		memset(row, 0, g->ncols * sizeof(*row));
		for (size_t k = 0; k < g->ncells; k++)
			if (g->cells[k].sender == s)
				row[g->cells[k].col] = &g->cells[k];
		rc |= aclf_buf_puts(b, "<tr><th class=\"sender\">");
		rc |= rpt_esc(b, g->senders[s]);
		rc |= aclf_buf_puts(b, "</th>");
		for (size_t c = 0; c < g->ncols; c++)
			rc |= row[c] ? grid_cell(b, g, row[c]) : aclf_buf_puts(b, "<td></td>");
		rc |= aclf_buf_puts(b, "</tr>\n");
	}
	rc |= aclf_buf_puts(b, "</tbody></table></div>\n");
	free(row);
	return rc;
}

int aclf_audit_html(struct aclf_buf *out, const struct aclf_topology *topo,
		    const struct aclf_catalog *cat, const struct aclf_policy *pol,
		    const struct json_t *report, struct aclf_err *err)
{
	struct rpt_grid g;
	int rc = -1;

	if (!json_is_object(report) || !json_is_array(json_object_get(report, "devices")))
		return aclf_err_set(err, ACLF_E_INPUT, "the audit report has no \"devices\" list");
	rpt_grid_init(&g);
	g.topo = topo;
	g.cat = cat;
	g.report = report;
	if (rpt_rules_collect(&g, pol, err) < 0 || rpt_grid_build(&g, err) < 0)
		goto out;
	if (header(out, &g) < 0 || summary(out, &g) < 0 || grid(out, &g) < 0 ||
	    rpt_html_devices(out, &g) < 0 || rpt_html_catalog(out, &g) < 0 ||
	    aclf_buf_puts(out, "<p class=\"meta\">Written by aclforge " ACLF_VERSION
			       ".</p>\n</body></html>\n") < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	rc = 0;
out:
	rpt_grid_release(&g);
	return rc;
}
