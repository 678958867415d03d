/* The audit page's writer (src/report/) as a library call on the small
 * example: every string of the report escaped (a device line holding
 * <script> appears as text), the report's per-rule verdicts and counters
 * shown, the states of rules whose device is missing from the report or
 * failed, a load balancer's services by their lb_services entries, and a
 * document that is no audit report refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/report.h"
#include "aclforge/topology.h"
#include "report/report_int.h"

struct world {
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
};

static int setup(void **state)
{
	static struct world w;
	char path[4096];
	const char *src = getenv("ACLF_SRCDIR");
	struct aclf_err err;
	char *cpath[2];

	aclf_err_init(&err);
	snprintf(path, sizeof(path), "%s/inventory/examples/small.yaml", src ? src : ".");
	if (!(w.t = aclf_topology_load(path, &err)))
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(w.t->ncatalogs, 2);
	for (size_t i = 0; i < 2; i++)
		cpath[i] = aclf_catalog_resolve(w.t->catalogs[i], path);
	if (!(w.c = aclf_catalog_load_list((const char *const *)cpath, 2, &err)))
		fail_msg("%s", aclf_err_text(&err));
	free(cpath[0]);
	free(cpath[1]);
	if (!(w.p = aclf_compile(w.c, w.t, NULL, NULL, &err)))
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	aclf_policy_free(w->p);
	aclf_catalog_free(w->c);
	aclf_topology_free(w->t);
	return 0;
}

/* The first rule of core1's filter that serves a catalog row. */
static const struct aclf_rule *catalog_rule(const struct world *w, const struct aclf_filter **fp, size_t skip)
{
	const struct aclf_devpol *d = aclf_policy_find_device(w->p, "core1");

	assert_non_null(d);
	for (size_t i = 0; i < d->filters[0].nrules; i++) {
		bool cat = false;

		for (size_t k = 0; k < d->filters[0].rules[i].nprov; k++)
			cat |= !strcmp(d->filters[0].rules[i].prov[k].kind, "catalog");
		if (cat && skip-- == 0) {
			*fp = &d->filters[0];
			return &d->filters[0].rules[i];
		}
	}
	fail_msg("no catalog rule on core1");
	return NULL;
}

static char *page(const struct world *w, json_t *report, int want_rc)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	struct aclf_err err;
	int rc;

	aclf_err_init(&err);
	aclf_buf_init(&b, 0);
	rc = aclf_audit_html(&b, w->t, w->c, w->p, report, &err);
	if (rc != want_rc)
		fail_msg("aclf_audit_html: %d (%s)", rc, aclf_err_text(&err));
	if (rc < 0)
		assert_int_equal(err.kind, ACLF_E_INPUT);
	aclf_err_release(&err);
	json_decref(report);
	return aclf_buf_detach(&b, NULL);
}

static void escapes_device_words(void **state)
{
	const struct world *w = *state;
	const struct aclf_filter *f;
	const struct aclf_rule *used = catalog_rule(w, &f, 0), *idle = catalog_rule(w, &f, 1);
	json_t *r = json_pack(
		"{s:s, s:[{s:s, s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:s, s:s}], s:[], s:[]},"
		" s:{s:s, s:s, s:n}, s:[{s:s, s:s, s:s, s:s, s:I, s:n, s:[s]}, {s:s, s:s, s:s, s:s, s:I, s:n, s:[]}],"
		" s:[{s:s, s:s, s:i, s:s, s:i}]}]}",
		"audited_at", "2026-12-05T04:01:02Z", "devices", "device", "core1", "driver", "ios", "outcome",
		"drift", "note", "read <script>alert(1)</script> & 'x'", "diff", "packets", "src", "198.18.0.66",
		"dst", "0.0.0.1", "protocol", "tcp", "src_port", 49152, "dst_port", 2323, "established", 0,
		"permitted_by", "live", "live_filter", "<img src=x>", "live_rule", "e0001", "cannot_judge",
		"lb_services", "counters", "polled_at", "2026-12-05T04:00:00Z", "source", "snmp", "absent", "rules",
		"filter", f->name, "rule", used->id, "action", "permit", "verdict", "in place, used", "packets",
		(json_int_t)4242, "bytes", "seed_rows", "server-03", "filter", f->name, "rule", idle->id, "action",
		"permit", "verdict", "in place, no hits", "packets", (json_int_t)0, "bytes", "seed_rows", "extra",
		"filter", f->name, "entry", "e0001", "line", 324, "text", " permit tcp any any eq 2323 <script>evil()</script>",
		"packets", 7);
	char *s, want[256];

	assert_non_null(r);
	s = page(w, r, 0);
	/* nothing the devices said became markup */
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_non_null(strstr(s, "read &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;"));
	assert_non_null(strstr(s, "<code> permit tcp any any eq 2323 &lt;script&gt;evil()&lt;/script&gt;</code>"));
	assert_non_null(strstr(s, "(line 324)"));
	assert_non_null(strstr(s, "&lt;img src=x&gt; e0001"));
	/* the verdicts, counters and times of the report */
	snprintf(want, sizeof(want), "data-state=\"in place, used\" data-rule=\"core1/%s/%s\"", f->name, used->id);
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(strstr(s, want), "<td>4242</td>"));
	snprintf(want, sizeof(want), "data-state=\"in place, no hits\" data-rule=\"core1/%s/%s\"", f->name, idle->id);
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(s, "Counters read at 2026-12-05T04:00:00Z (snmp)"));
	assert_non_null(strstr(s, "<time id=\"audited-at\">2026-12-05T04:01:02Z</time>"));
	/* devices missing from the report: their rules not audited */
	assert_non_null(strstr(s, "data-state=\"not audited\""));
	/* nothing outside the page */
	assert_null(strstr(s, "http:"));
	assert_null(strstr(s, "https:"));
	assert_null(strstr(s, "//"));
	free(s);
}

/* A load balancer's services: the state and packets of the report's
 * lb_services entry, but an lb difference in the diff makes it missing. */
static void lb_services_usage(void **state)
{
	const struct world *w = *state;
	const struct aclf_devpol *d = aclf_policy_find_device(w->p, "lb1");
	json_t *r;
	char *s, want[256];
	const char *p;

	assert_non_null(d);
	assert_true(d->nlb >= 3);
	r = json_pack("{s:s, s:[{s:s, s:s, s:s, s:{s:[], s:[], s:[{s:s, s:s}]}, s:{s:s, s:s, s:n}, s:[],"
		      " s:[{s:s, s:s, s:I, s:n}, {s:s, s:s, s:I, s:n}, {s:s, s:s, s:I, s:n}]}]}",
		      "audited_at", "2026-12-05T04:01:02Z", "devices", "device", "lb1", "driver", "bigip",
		      "outcome", "drift", "diff", "packets", "cannot_judge", "lb_differences", "service",
		      d->lb[2].name, "field", "pool members", "counters", "polled_at", "2026-12-05T04:00:00Z",
		      "source", "snmp", "absent", "rules", "lb_services", "service", d->lb[0].name, "verdict",
		      "in place, used", "packets", (json_int_t)99, "why", "service", d->lb[1].name, "verdict",
		      "in place, no hits", "packets", (json_int_t)0, "why", "service", d->lb[2].name, "verdict",
		      "in place, used", "packets", (json_int_t)5, "why");
	assert_non_null(r);
	s = page(w, r, 0);
	snprintf(want, sizeof(want), "data-state=\"in place, used\" data-rule=\"lb1/lb/%s\"", d->lb[0].name);
	assert_non_null(p = strstr(s, want));
	assert_non_null(strstr(p, "<td>99</td>"));
	snprintf(want, sizeof(want), "data-state=\"in place, no hits\" data-rule=\"lb1/lb/%s\"", d->lb[1].name);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof(want), "data-state=\"missing\" data-rule=\"lb1/lb/%s\"", d->lb[2].name);
	assert_non_null(strstr(s, want));
	/* the services the report does not list: in place */
	for (size_t i = 3; i < d->nlb; i++) {
		snprintf(want, sizeof(want), "data-state=\"in place\" data-rule=\"lb1/lb/%s\"", d->lb[i].name);
		assert_non_null(strstr(s, want));
	}
	free(s);
}

static void failed_device_unread(void **state)
{
	const struct world *w = *state;
	json_t *r = json_pack("{s:[{s:s, s:s, s:s, s:{s:s, s:s}}]}", "devices", "device", "core1", "driver", "ios",
			      "outcome", "failed", "error", "kind", "transport", "message",
			      "core1: connect: <refused>");
	char *s;

	assert_non_null(r);
	s = page(w, r, 0);
	assert_non_null(strstr(s, "Error: core1: connect: &lt;refused&gt;"));
	assert_non_null(strstr(s, "data-state=\"device not read\""));
	assert_non_null(strstr(s, "(the report gives no time)"));
	assert_non_null(strstr(s, "Counters absent: the report has no counters for this device"));
	free(s);
}

static void refuses_non_reports(void **state)
{
	const struct world *w = *state;

	free(page(w, json_pack("[]"), -1));
	free(page(w, json_pack("{s:i}", "devices", 3), -1));
}

static void esc_table(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "<a href=\"x\">", "&lt;a href=&quot;x&quot;&gt;" },
		{ "it's & more", "it&#39;s &amp; more" },
		{ "bell\a del\x7f", "bell\\x07 del\\x7f" },
		{ "tab\tnl\n", "tab\tnl\n" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "", "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_buf b = ACLF_BUF_INIT;

		aclf_buf_init(&b, 0);
		assert_int_equal(rpt_esc(&b, cases[i].in), 0);
		assert_string_equal(b.buf, cases[i].out);
		aclf_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_device_words),
		cmocka_unit_test(lb_services_usage),
		cmocka_unit_test(failed_device_unread),
		cmocka_unit_test(refuses_non_reports),
		cmocka_unit_test(esc_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
