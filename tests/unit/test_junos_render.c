/* Junos render: golden output (tests/fixtures/junos/render_*.expected;
 * golden.h: ACLF_REGEN=1 rewrites them), determinism, and what Junos cannot
 * carry. */
#include "aclforge/driver.h"
#include "golden.h"
#include "junos_testutil.h"

static char *render_ok(const struct aclf_devpol *dp)
{
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	if (junos_render(dp, &out, &err) < 0)
		fail_msg("render failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return aclf_buf_detach(&out, NULL);
}

static void render_v4(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	char *a, *b;

	(void)state;
	a = render_ok(jt_policy_v4(pol));
	golden_check("junos", "render_v4.expected", a);
	/* what the golden file must say, whatever it was regenerated from */
	jt_assert_contains(a, "set policy-options prefix-list pool-fe 10.1.1.11/32\n");
	jt_assert_contains(a, "set firewall family inet filter ACLF-GE-0-0-1-0-IN term r0001 from "
			      "source-prefix-list clients\n");
	jt_assert_contains(a, "term r0001 from destination-port [ 5061 5070-5072 ]\n");
	jt_assert_contains(a, "term r0001 then count r0001\n");
	jt_assert_contains(a, "term r0003 from source-port 443\n");
	jt_assert_contains(a, "term r0003 from tcp-established\n");
	jt_assert_contains(a, "term r0004 then discard\n");
	jt_assert_contains(a, "term default-deny then count default-deny\n"
			      "set firewall family inet filter ACLF-GE-0-0-1-0-IN term default-deny then discard\n");
	jt_assert_contains(a, "set interfaces ge-0/0/1 unit 0 family inet filter input ACLF-GE-0-0-1-0-IN\n");
	/* protocol any: no protocol match; source any: no source match */
	assert_null(strstr(a, "term r0004 from protocol"));
	assert_null(strstr(a, "term r0002 from source-address"));
	assert_null(strstr(a, "reject"));
	/* IPv4 rules only; the inet6 filter still denies by default */
	assert_null(strstr(a, "family inet6 filter ACLF-GE-0-0-1-0-IN term r0"));
	jt_assert_contains(a, "set firewall family inet6 filter ACLF-GE-0-0-1-0-IN term default-deny then "
			      "count default-deny-v6\n");
	jt_assert_contains(a, "set interfaces ge-0/0/1 unit 0 family inet6 filter input ACLF-GE-0-0-1-0-IN\n");
	/* deterministic */
	b = render_ok(jt_policy_v4(pol));
	assert_string_equal(a, b);
	free(a);
	free(b);
	aclf_policy_free(pol);
}

static void render_mixed(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	char *a;

	(void)state;
	a = render_ok(jt_policy_mixed(pol));
	golden_check("junos", "render_mixed.expected", a);
	jt_assert_contains(a, "set policy-options prefix-list pool-fe 10.1.1.11/32\n"
			      "set policy-options prefix-list pool-fe 2001:db8:1::11/128\n");
	jt_assert_contains(a, "set firewall family inet6 filter EDGE-OUT term r0001 from next-header tcp\n");
	jt_assert_contains(a, "set firewall family inet6 filter EDGE-OUT term r0001 then count r0001-v6\n");
	jt_assert_contains(a, "set firewall family inet filter EDGE-OUT term r0001 from source-address 10.20.0.0/16\n");
	jt_assert_contains(a, "set firewall family inet6 filter EDGE-OUT term r0001 from source-address 2001:db8:20::/48\n");
	/* r0002 is IPv6 only, r0003 IPv4 only */
	assert_null(strstr(a, "family inet filter EDGE-OUT term r0002"));
	assert_null(strstr(a, "family inet6 filter EDGE-OUT term r0003"));
	jt_assert_contains(a, "term r0003 from protocol icmp\n");
	jt_assert_contains(a, "term default-accept then accept\n");
	jt_assert_contains(a, "set interfaces ae0 unit 0 family inet filter output EDGE-OUT\n"
			      "set interfaces ae0 unit 0 family inet6 filter output EDGE-OUT\n");
	/* MGMT is rendered once, bound twice */
	assert_non_null(strstr(a, "delete firewall family inet filter MGMT\n"));
	assert_null(strstr(strstr(a, "delete firewall family inet filter MGMT\n") + 1,
			   "delete firewall family inet filter MGMT\n"));
	jt_assert_contains(a, "set interfaces ge-0/0/3 unit 100 family inet filter input MGMT\n"
			      "set interfaces ge-0/0/3 unit 100 family inet6 filter input MGMT\n"
			      "set interfaces ge-0/0/4 unit 100 family inet filter input MGMT\n"
			      "set interfaces ge-0/0/4 unit 100 family inet6 filter input MGMT\n");
	free(a);
	aclf_policy_free(pol);
}

static void render_via_driver_table(void **state)
{
	const struct aclf_driver *d = aclf_driver_find("junos");
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	assert_non_null(d);
	assert_false(d->stateful);
	assert_true(d->filters);
	assert_false(d->balances);
	assert_non_null(d->ops->render);
	assert_non_null(d->ops->parse);
	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	/* appends to what the buffer holds */
	assert_int_equal(aclf_buf_puts(&out, "# head\n"), 0);
	assert_int_equal(aclf_driver_render(d, jt_policy_v4(pol), NULL, &out, &err), 0);
	assert_int_equal(strncmp(out.buf, "# head\ndelete policy-options", 28), 0);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

/* render must fail, leave out untouched and say msg */
static void render_fails(const struct aclf_devpol *dp, const char *msg)
{
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_buf_puts(&out, "keep\n"), 0);
	if (junos_render(dp, &out, &err) == 0)
		fail_msg("render should fail with '%s':\n%s", msg, out.buf);
	assert_string_equal(out.buf, "keep\n");
	jt_assert_contains(aclf_err_text(&err), msg);
	aclf_buf_release(&out);
	aclf_err_release(&err);
}

static void render_errors(void **state)
{
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
	struct aclf_filter *f;
	struct aclf_rule *r;

	(void)state;
	/* a host chain is not a Junos attachment point */
	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].binding.kind = ACLF_BIND_CHAIN;
	dp->filters[0].binding.name = "input";
	render_fails(dp, "not to chain 'input'");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].binding.direction = ACLF_DIR_NONE;
	render_fails(dp, "has no direction");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].binding.name = "ge-0/0/1 unit 0";
	render_fails(dp, "not a junos interface name");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].rules[1].established = true;
	render_fails(dp, "'established' needs protocol tcp");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].rules[1].protocol = ACLF_PROTO_ICMP;
	render_fails(dp, "ports on protocol 1");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	assert_non_null(aclf_devpol_add_lb(pol, dp, "vs-fe"));
	render_fails(dp, "no lb services ('vs-fe')");
	aclf_policy_free(pol);

	/* one group name, two different member lists in one family */
	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].rules[1].dst_name = "pool-fe";
	render_fails(dp, "address group 'pool-fe' has different IPv4 members");
	aclf_policy_free(pol);

	/* IPv4 sources, IPv6 destinations: no term can say it */
	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	f = &dp->filters[0];
	r = jt_rule(pol, f, "r0005", ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.0/8", "2001:db8::/32", "", "");
	(void)r;
	render_fails(dp, "rule 'r0005' has no address family common");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].rules[0].id = "r\"1";
	render_fails(dp, "cannot be a junos term name");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = jt_policy_v4(pol);
	dp->filters[0].rules[2].id = "r0001";
	render_fails(dp, "term name 'r0001' would be used twice");
	aclf_policy_free(pol);

	/* counter names: rule "a" in inet6 counts "a-v6", as does rule "a-v6" in inet */
	pol = aclf_policy_new();
	dp = aclf_policy_add_device(pol, "x", "junos");
	f = aclf_devpol_add_filter(pol, dp, "F");
	jt_rule(pol, f, "a", ACLF_PERMIT, ACLF_PROTO_ANY, "2001:db8::/32", "any", "", "");
	jt_rule(pol, f, "a-v6", ACLF_PERMIT, ACLF_PROTO_ANY, "10.0.0.0/8", "any", "", "");
	render_fails(dp, "counter name 'a-v6' would be used twice");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	dp = aclf_policy_add_device(pol, "x", "junos");
	f = aclf_devpol_add_filter(pol, dp, "F");
	jt_rule(pol, f, "default-deny", ACLF_PERMIT, ACLF_PROTO_ANY, "10.0.0.0/8", "any", "", "");
	render_fails(dp, "'default-deny' would be used twice");
	aclf_policy_free(pol);

	/* two filters of one name with different rules */
	pol = aclf_policy_new();
	dp = jt_policy_mixed(pol);
	dp->filters[2].rules[0].dst_ports = jt_ports(pol, "2222");
	render_fails(dp, "two different filters are named 'MGMT'");
	aclf_policy_free(pol);

	/* two filters on one interface, direction and family */
	pol = aclf_policy_new();
	dp = jt_policy_mixed(pol);
	dp->filters[0].binding.name = "ge-0/0/3.100";
	dp->filters[0].binding.direction = ACLF_DIR_IN;
	render_fails(dp, "filters 'EDGE-OUT' and 'MGMT' both bind to 'ge-0/0/3.100' input");
	aclf_policy_free(pol);
}

/* names outside [A-Za-z0-9_.:/-] are quoted */
static void render_quoting(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "x", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "web in");
	struct aclf_rule *r;
	char *a;

	(void)state;
	r = jt_rule(pol, f, "allow web", ACLF_PERMIT, ACLF_PROTO_TCP, "10.0.0.0/8", "any", "", "80");
	r->src_name = "clients+phones";
	a = render_ok(dp);
	jt_assert_contains(a, "set firewall family inet filter \"web in\" term \"allow web\" from "
			      "source-prefix-list \"clients+phones\"\n");
	jt_assert_contains(a, "then count \"allow web\"\n");
	/* the inet6 counter is quoted as a whole */
	r = jt_rule(pol, f, "v6 web", ACLF_PERMIT, ACLF_PROTO_TCP, "2001:db8::/32", "any", "", "80");
	free(a);
	a = render_ok(dp);
	jt_assert_contains(a, "term \"v6 web\" then count \"v6 web-v6\"\n");
	free(a);
	aclf_policy_free(pol);
}

/* a filter without rules: only the default term, in both families */
static void render_empty_filter(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "x", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "NONE");
	char *a;

	(void)state;
	f->default_action = ACLF_PERMIT;
	a = render_ok(dp);
	assert_string_equal(a, "delete firewall family inet filter NONE\n"
			       "set firewall family inet filter NONE term default-accept then count default-accept\n"
			       "set firewall family inet filter NONE term default-accept then accept\n"
			       "delete firewall family inet6 filter NONE\n"
			       "set firewall family inet6 filter NONE term default-accept then count default-accept-v6\n"
			       "set firewall family inet6 filter NONE term default-accept then accept\n");
	free(a);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_v4),
		cmocka_unit_test(render_mixed),
		cmocka_unit_test(render_via_driver_table),
		cmocka_unit_test(render_errors),
		cmocka_unit_test(render_quoting),
		cmocka_unit_test(render_empty_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
