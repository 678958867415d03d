/* Junos plan, checked with the driver's own parser (which reads `set` and
 * `delete` lines as `load set` does): the live text followed by the plan
 * must mean the intended policy (semantic diff: no item), also when the
 * live device has filters the intended policy lacks; the exact delete lines
 * and their order; filters and bindings aclforge does not own never named
 * and unchanged; refusals leave the output as it was. */
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/topology.h"
#include "junos_testutil.h"
#include "plan_testutil.h"

#define render_text(dp) pt_render_text(&aclf_driver_junos, (dp))
#define plan_text(w, l, d) pt_plan_text(&aclf_driver_junos, (w), (l), (d))

static void assert_same_meaning(const struct aclf_devpol *a, const struct aclf_devpol *b)
{
	struct aclf_diff d;
	struct aclf_err err;

	aclf_diff_init(&d);
	aclf_err_init(&err);
	if (aclf_diff_devices(a, b, &d, NULL, 0, &err) < 0)
		fail_msg("diff: %s", aclf_err_text(&err));
	if (d.n + d.nlb) {
		const struct aclf_diff_item *it = &d.items[0];
		fail_msg("%zu differences; first: filter %s / %s, proto %d, dport %u, permitted by %s",
			 d.n + d.nlb, it->filter_a ? it->filter_a : "(none)",
			 it->filter_b ? it->filter_b : "(none)", it->protocol, it->dst_port,
			 it->permitted_by_a ? "a" : "b");
	}
	aclf_diff_release(&d);
	aclf_err_release(&err);
}

static struct aclf_filter *bound_filter(struct aclf_policy *pol, struct aclf_devpol *dp,
					const char *name, const char *ifname,
					enum aclf_direction dir)
{
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, name);

	assert_non_null(f);
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = ifname;
	f->binding.direction = dir;
	f->default_action = ACLF_DENY;
	return f;
}

/* The device's filter at a binding point, or an unbound one by name. */
static const struct aclf_filter *filter_at(const struct aclf_devpol *dp, const char *ifname,
					   enum aclf_direction dir, const char *name)
{
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		if (ifname ? f->binding.kind == ACLF_BIND_INTERFACE && !strcmp(f->binding.name, ifname) &&
				     f->binding.direction == dir
			   : f->binding.kind == ACLF_BIND_NONE && !strcmp(f->name, name))
			return f;
	}
	return NULL;
}

/* Before the plan: the mixed example (EDGE-OUT on ae0 out, MGMT on
 * ge-0/0/3.100 and ge-0/0/4.100 in), plus ACLF-GE-0-0-2-0-IN on ge-0/0/2.0
 * in and OLD-6 on ge-0/0/6.0 in. */
static struct aclf_devpol *old_policy(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = jt_policy_mixed(pol);
	struct aclf_filter *f;

	f = bound_filter(pol, dp, "ACLF-GE-0-0-2-0-IN", "ge-0/0/2.0", ACLF_DIR_IN);
	jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16", "10.1.2.0/24", "", "443");
	f = bound_filter(pol, dp, "OLD-6", "ge-0/0/6.0", ACLF_DIR_IN);
	jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_UDP, "any", "10.1.6.0/24", "", "3478");
	return aclf_policy_find_device(pol, "edge1");
}

/* After: EDGE-OUT with other rules; MGMT only on ge-0/0/3.100 (moved off
 * ge-0/0/4.100); FE-IN instead of ACLF-GE-0-0-2-0-IN on ge-0/0/2.0; a new
 * filter on ge-0/0/5.0; nothing on ge-0/0/6.0, which the topology still
 * protects. */
static struct aclf_devpol *new_policy(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "edge1", "junos");
	struct aclf_filter *f;
	struct aclf_rule *r;

	f = bound_filter(pol, dp, "EDGE-OUT", "ae0.0", ACLF_DIR_OUT);
	f->default_action = ACLF_PERMIT;
	r = jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16 2001:db8:20::/48",
		    "10.1.1.11/32 10.1.1.12/32 2001:db8:1::11/128", "", "443");
	r->dst_name = "pool-fe";
	jt_rule(pol, f, "r0002", ACLF_DENY, ACLF_PROTO_ANY, "10.66.0.0/16", "any", "", "");
	f = bound_filter(pol, dp, "MGMT", "ge-0/0/3.100", ACLF_DIR_IN);
	jt_rule(pol, f, "ssh", ACLF_PERMIT, ACLF_PROTO_TCP, "192.0.2.0/24", "any", "", "22");
	f = bound_filter(pol, dp, "FE-IN", "ge-0/0/2.0", ACLF_DIR_IN);
	jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16", "10.1.2.0/24", "",
		"443 5061");
	f = bound_filter(pol, dp, "LYNC-IN", "ge-0/0/5.0", ACLF_DIR_IN);
	jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_UDP, "any", "2001:db8:5::/64", "",
		"50000-59999");
	return dp;
}

static struct aclf_protect protects[] = {
	{ .interface = "ae0", .direction = ACLF_DIR_OUT },
	{ .interface = "ge-0/0/3.100", .direction = ACLF_DIR_IN },
	{ .interface = "ge-0/0/2.0", .direction = ACLF_DIR_IN },
	{ .interface = "ge-0/0/5", .direction = ACLF_DIR_IN },
	{ .interface = "ge-0/0/6.0", .direction = ACLF_DIR_IN },
};

static const struct aclf_device edge1 = {
	.name = "edge1",
	.driver = "junos",
	.protects = protects,
	.nprotects = sizeof(protects) / sizeof(protects[0]),
};

/* Nothing of aclforge's on the device: the render text. */
static void test_first_push(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(pol);
	char *plan = plan_text(want, NULL, &edge1), *rendered = render_text(want);

	(void)state;
	assert_non_null(aclf_driver_junos.ops->plan);
	assert_string_equal(plan, rendered);
	assert_same_meaning(want, jt_parse(got, plan, NULL));
	free(plan);
	free(rendered);
	aclf_policy_free(pol);
	aclf_policy_free(got);
}

/* The device already runs the intended policy: render's own text, no
 * deletions. */
static void test_unchanged(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(pol);
	char *rendered = render_text(want), *plan, *all;

	(void)state;
	plan = plan_text(want, jt_parse(got, rendered, NULL), &edge1);
	assert_string_equal(plan, rendered);
	all = concat(rendered, plan);
	assert_same_meaning(want, jt_parse(got, all, NULL));
	free(all);
	free(plan);
	free(rendered);
	aclf_policy_free(pol);
	aclf_policy_free(got);
}

/* old -> new: parse(render(old) + plan) means new, with the filters new
 * lacks gone; the delete lines exactly as promised and before the render
 * text. */
static void test_replace(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *npol = aclf_policy_new(),
			   *got = aclf_policy_new();
	struct aclf_devpol *old = old_policy(pol), *want = new_policy(npol), *after;
	char *text = render_text(old), *plan, *all, *rendered = render_text(want);
	static const char removals[] =
		"delete interfaces ge-0/0/4 unit 100 family inet filter input\n"
		"delete interfaces ge-0/0/4 unit 100 family inet6 filter input\n"
		"delete interfaces ge-0/0/6 unit 0 family inet filter input\n"
		"delete interfaces ge-0/0/6 unit 0 family inet6 filter input\n"
		"delete firewall family inet filter ACLF-GE-0-0-2-0-IN\n"
		"delete firewall family inet6 filter ACLF-GE-0-0-2-0-IN\n"
		"delete firewall family inet filter OLD-6\n"
		"delete firewall family inet6 filter OLD-6\n";

	(void)state;
	plan = plan_text(want, jt_parse(got, text, NULL), &edge1);
	/* the removals first, then the render text, nothing else */
	assert_int_equal(strncmp(plan, removals, strlen(removals)), 0);
	assert_string_equal(plan + strlen(removals), rendered);
	all = concat(text, plan);
	after = jt_parse(got, all, NULL);
	assert_same_meaning(want, after);
	assert_null(filter_at(after, "ge-0/0/4.100", ACLF_DIR_IN, NULL));
	assert_null(filter_at(after, "ge-0/0/6.0", ACLF_DIR_IN, NULL));
	assert_null(filter_at(after, NULL, 0, "OLD-6"));
	assert_null(filter_at(after, NULL, 0, "ACLF-GE-0-0-2-0-IN"));
	/* without the topology, ge-0/0/6.0 is not known to be aclforge's:
	 * OLD-6 stays bound there */
	free(plan);
	plan = plan_text(want, jt_parse(got, text, NULL), NULL);
	assert_null(strstr(plan, "ge-0/0/6"));
	assert_null(strstr(plan, "OLD-6"));
	assert_non_null(strstr(plan, "delete firewall family inet6 filter ACLF-GE-0-0-2-0-IN\n"));
	free(all);
	all = concat(text, plan);
	after = jt_parse(got, all, NULL);
	assert_non_null(filter_at(after, "ge-0/0/6.0", ACLF_DIR_IN, NULL));
	free(all);
	free(plan);
	free(text);
	free(rendered);
	aclf_policy_free(pol);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

/* Filters and bindings that are not aclforge's. */
static const char foreign[] =
	"set firewall family inet filter PROTECT-RE term ssh from source-address 192.0.2.0/24\n"
	"set firewall family inet filter PROTECT-RE term ssh from protocol tcp\n"
	"set firewall family inet filter PROTECT-RE term ssh from destination-port 22\n"
	"set firewall family inet filter PROTECT-RE term ssh then accept\n"
	"set interfaces lo0 unit 0 family inet filter input PROTECT-RE\n"
	"set firewall family inet filter SCRATCH term x then discard\n"
	"set firewall family inet filter SHARED term s from source-address 198.51.100.0/24\n"
	"set firewall family inet filter SHARED term s then accept\n"
	"set interfaces ge-0/0/9 unit 0 family inet filter input SHARED\n"
	"set interfaces ge-0/0/5 unit 0 family inet filter input SHARED\n";

static void assert_unchanged(const struct aclf_devpol *before, const struct aclf_devpol *after,
			     const char *ifname, enum aclf_direction dir, const char *name)
{
	const struct aclf_filter *a = filter_at(before, ifname, dir, name),
				 *b = filter_at(after, ifname, dir, name);
	struct aclf_diff d;
	struct aclf_err err;

	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->name, b->name);
	aclf_diff_init(&d);
	aclf_err_init(&err);
	assert_int_equal(aclf_diff_filters(a, b, &d, 0, &err), 0);
	assert_int_equal(d.n, 0);
	aclf_diff_release(&d);
	aclf_err_release(&err);
}

/* A filter the topology neither names nor binds is never named; one bound
 * at an aclforge point and elsewhere loses only the aclforge point. */
static void test_foreign(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *npol = aclf_policy_new(),
			   *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(npol), *before, *after, mine;
	char *old = render_text(old_policy(pol)), *text = concat(old, foreign), *plan, *all;
	struct aclf_filter *keep;

	(void)state;
	before = jt_parse(got, text, NULL);
	/* SHARED on ge-0/0/5.0, which the intended LYNC-IN takes */
	assert_string_equal(filter_at(before, "ge-0/0/5.0", ACLF_DIR_IN, NULL)->name, "SHARED");
	plan = plan_text(want, before, &edge1);
	assert_null(strstr(plan, "PROTECT-RE"));
	assert_null(strstr(plan, "lo0"));
	assert_null(strstr(plan, "SCRATCH"));
	assert_null(strstr(plan, "SHARED")); /* still bound on ge-0/0/9.0 */
	assert_null(strstr(plan, "ge-0/0/9"));
	assert_non_null(strstr(plan, "delete firewall family inet filter OLD-6\n"));
	all = concat(text, plan);
	after = jt_parse(got, all, NULL);
	assert_unchanged(before, after, "lo0.0", ACLF_DIR_IN, NULL);
	assert_unchanged(before, after, "ge-0/0/9.0", ACLF_DIR_IN, NULL);
	assert_unchanged(before, after, NULL, 0, "SCRATCH");
	/* the rest means the intended policy */
	mine = *after;
	keep = calloc(after->nfilters + 1, sizeof(*keep));
	mine.filters = keep;
	mine.nfilters = 0;
	for (size_t i = 0; i < after->nfilters; i++) {
		const struct aclf_filter *f = &after->filters[i];
		if (!strcmp(f->name, "PROTECT-RE") || !strcmp(f->name, "SHARED") ||
		    !strcmp(f->name, "SCRATCH"))
			continue;
		keep[mine.nfilters++] = *f;
	}
	assert_same_meaning(want, &mine);
	free(keep);
	free(all);
	free(plan);
	free(text);
	free(old);
	aclf_policy_free(pol);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

/* inet and inet6 bind differently named filters at an aclforge point the
 * intended policy clears: both are deleted, each by its own name (read
 * from the terms' provenance). */
static void test_two_names(void **state)
{
	static const char text[] =
		"set firewall family inet filter V4-ONLY term a from source-address 10.9.0.0/16\n"
		"set firewall family inet filter V4-ONLY term a then accept\n"
		"set firewall family inet6 filter V6+X term b from source-address 2001:db8:9::/48\n"
		"set firewall family inet6 filter V6+X term b then accept\n"
		"set interfaces ge-0/0/6 unit 0 family inet filter input V4-ONLY\n"
		"set interfaces ge-0/0/6 unit 0 family inet6 filter input V6+X\n";
	struct aclf_policy *npol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(npol), *live = jt_parse(got, text, NULL);
	char *plan, *all;

	(void)state;
	assert_string_equal(filter_at(live, "ge-0/0/6.0", ACLF_DIR_IN, NULL)->name, "V4-ONLY+V6+X");
	plan = plan_text(want, live, &edge1);
	assert_int_equal(count(plan, "delete firewall family inet filter V4-ONLY\n"), 1);
	assert_int_equal(count(plan, "delete firewall family inet6 filter V4-ONLY\n"), 1);
	assert_int_equal(count(plan, "delete firewall family inet filter \"V6+X\"\n"), 1);
	assert_int_equal(count(plan, "delete firewall family inet6 filter \"V6+X\"\n"), 1);
	all = concat(text, plan);
	assert_same_meaning(want, jt_parse(got, all, NULL));
	free(all);
	free(plan);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

/* What cannot be planned: err names the device, out keeps what it had. */
static void test_refusals(void **state)
{
	/* filters without terms give no provenance: "A+B+C" could be inet
	 * A+B and inet6 C, or inet A and inet6 B+C */
	static const char text[] =
		"set firewall family inet filter A+B term t then accept\n"
		"set firewall family inet6 filter C term t then accept\n"
		"set interfaces ge-0/0/6 unit 0 family inet filter input A+B\n"
		"set interfaces ge-0/0/6 unit 0 family inet6 filter input C\n";
	struct aclf_policy *npol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(npol), *live = jt_parse(got, text, NULL);
	struct aclf_buf out;
	struct aclf_err err;

	(void)state;
	aclf_buf_init(&out, 0);
	assert_int_equal(aclf_buf_puts(&out, "kept\n"), 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_plan(&aclf_driver_junos, want, live, &edge1, &out, &err), -1);
	jt_assert_contains(aclf_err_text(&err), "'edge1'");
	jt_assert_contains(aclf_err_text(&err), "A+B+C");
	jt_assert_contains(aclf_err_text(&err), "ge-0/0/6.0 input");
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	/* without the topology the point is not aclforge's: nothing to delete */
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_plan(&aclf_driver_junos, want, live, NULL, &out, &err), 0);
	assert_null(strstr(out.buf, "ge-0/0/6"));
	aclf_buf_truncate(&out, 5);
	aclf_err_release(&err);
	aclf_err_init(&err);
	/* what render refuses */
	assert_non_null(aclf_devpol_add_lb(npol, want, "vip"));
	assert_int_equal(aclf_driver_plan(&aclf_driver_junos, want, live, &edge1, &out, &err), -1);
	jt_assert_contains(aclf_err_text(&err), "'edge1'");
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	aclf_buf_release(&out);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_push),
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_two_names),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
