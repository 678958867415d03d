/* nftables driver: rendering. Golden files in tests/fixtures/nftables/
 * render_<case>.nft (golden.h: ACLF_REGEN=1 rewrites them). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "drivers.h"
#include "golden.h"
#include "nftables/nftd.h"
#include "nftd_cases.h"

static int render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err)
{
	return aclf_driver_render(&aclf_driver_nftables, dp, NULL, out, err);
}

static void test_driver_table(void **state)
{
	(void)state;
	assert_string_equal(aclf_driver_nftables.name, "nftables");
	assert_true(aclf_driver_nftables.stateful);
	assert_true(aclf_driver_nftables.filters);
	assert_false(aclf_driver_nftables.balances);
	assert_non_null(aclf_driver_nftables.ops->render);
	assert_non_null(aclf_driver_nftables.ops->parse);
}

static void test_golden(void **state)
{
	(void)state;
	for (size_t i = 0; tc_names[i]; i++) {
		struct aclf_policy *p = aclf_policy_new();
		struct aclf_buf out, again;
		struct aclf_err err;
		char name[64];

		aclf_buf_init(&out, 0);
		aclf_buf_init(&again, 0);
		aclf_err_init(&err);
		struct aclf_devpol *dp = tc_build(p, tc_names[i]);
		assert_non_null(dp);
		if (render(dp, &out, &err) < 0)
			fail_msg("%s: %s", tc_names[i], aclf_err_text(&err));
		assert_int_equal(render(dp, &again, &err), 0);
		assert_string_equal(out.buf, again.buf); /* deterministic */
		snprintf(name, sizeof(name), "render_%s.nft", tc_names[i]);
		golden_check("nftables", name, out.buf);
		aclf_buf_release(&out);
		aclf_buf_release(&again);
		aclf_err_release(&err);
		aclf_policy_free(p);
	}
}

/* Render a case and return the text (caller frees). */
static char *render_case(const char *name)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_buf out;
	struct aclf_err err;
	char *s;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_int_equal(render(tc_build(p, name), &out, &err), 0);
	s = aclf_buf_detach(&out, NULL);
	aclf_err_release(&err);
	aclf_policy_free(p);
	return s;
}

static void assert_line(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing line:\n%s\nin:\n%s", line, text);
}

static void test_shapes(void **state)
{
	char *t = render_case("mixed");

	(void)state;
	/* atomic replacement of our table only */
	assert_true(strstr(t, "\ntable inet aclforge {}\ndelete table inet aclforge\n"
			      "table inet aclforge {\n") != NULL);
	assert_line(t, "\tset clients_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
		       "\t\tcomment \"clients\"\n"
		       "\t\telements = { 10.20.0.0/16, 10.30.0.0/22 }\n\t}\n");
	assert_line(t, "\tset clients_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n"
		       "\t\tcomment \"clients\"\n"
		       "\t\telements = { 2001:db8:20::/48 }\n\t}\n");
	/* a group name that is no identifier: set named after it, comment keeps it */
	assert_line(t, "\tset fe-berlin_vip_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
		       "\t\tcomment \"fe-berlin+vip\"\n");
	assert_line(t, "\tcounter fe01-input.r0001 {\n\t}\n");
	assert_line(t, "\tchain fe01-input {\n\t\ttype filter hook input priority filter; "
		       "policy drop;\n\t\tct state established,related accept\n"
		       "\t\tiif \"lo\" accept\n");
	assert_line(t, "\t\tip saddr @clients_v4 ip daddr @fe-berlin_vip_v4 tcp dport { 5061, "
		       "5070-5072 } counter name \"fe01-input.r0001\" accept comment "
		       "\"server-07 sip mtls\"\n"
		       "\t\tip6 saddr @clients_v6 ip6 daddr @fe-berlin_vip_v6 tcp dport { 5061, "
		       "5070-5072 } counter name \"fe01-input.r0001\" accept comment "
		       "\"server-07 sip mtls\"\n");
	/* a group's one-address IPv6 part is still its named set */
	free(t);

	t = render_case("anyproto");
	assert_line(t, "\t\tip saddr 10.20.0.0/16 ip daddr 10.1.1.11 counter name "
		       "\"input.r0001\" accept\n");
	assert_line(t, "\t\tip6 daddr 2001:db8:1::/64 counter name \"input.r0002\" drop\n");
	assert_line(t, "\t\tcounter name \"input.r0003\" accept\n");
	free(t);

	t = render_case("ports");
	assert_line(t, "tcp sport 1024-65535 tcp dport { 5061, 5070-5072, 8057 } counter");
	assert_line(t, "\t\tip saddr 10.1.1.11 ip daddr 10.20.0.0/16 tcp sport 5061 ct state "
		       "established counter name \"input.r0003\" accept\n");
	free(t);

	t = render_case("v4");
	assert_null(strstr(t, "meta nfproto")); /* an address match implies the family */
	free(t);
}

static void test_shapes_more(void **state)
{
	char *t;

	(void)state;
	t = render_case("v4");
	assert_line(t, "\t\tip daddr 198.18.1.10 udp dport 53 counter name \"input.r0002\" drop\n");
	assert_line(t, "\t\tip saddr 198.18.0.0/15 ip daddr 198.18.1.10 meta l4proto icmp counter");
	assert_null(strstr(t, "ip6 saddr"));
	assert_null(strstr(t, "ip6 daddr"));
	free(t);

	t = render_case("v6");
	assert_line(t, "\t\tmeta l4proto icmpv6 meta nfproto ipv6 counter name \"input.r0002\" "
		       "accept\n");
	assert_line(t, "\t\tip6 saddr { 2001:db8:20::5, 2001:db8:20::7 } meta l4proto tcp counter");
	free(t);

	t = render_case("default_accept");
	assert_line(t, "\tchain output {\n\t\ttype filter hook output priority filter; policy "
		       "accept;\n\t\tct state established,related accept\n\t\toif \"lo\" accept\n");
	assert_line(t, "\tchain forward {\n\t\ttype filter hook forward priority filter; policy "
		       "accept;\n\t\tct state established,related accept\n\t}\n");
	free(t);

	t = render_case("iface");
	assert_line(t, "\tchain vlan110_in {\n\t\tct state established,related accept\n");
	assert_line(t, "\"vlan110_in.r0002\" drop\n\t\tdrop\n\t}\n");
	assert_line(t, "\tchain iface_in {\n\t\ttype filter hook prerouting priority filter; "
		       "policy accept;\n\t\tiifname \"vlan110\" jump vlan110_in\n\t}\n");
	assert_line(t, "\tchain iface_out {\n\t\ttype filter hook postrouting priority filter; "
		       "policy accept;\n\t\toifname \"vlan110\" jump vlan110_out\n\t}\n}\n");
	free(t);

	t = render_case("empty");
	assert_line(t, "delete table inet aclforge\ntable inet aclforge {\n}\n");
	free(t);

	t = render_case("ranges");
	assert_line(t, "ip saddr { 10.0.0.1, 10.0.0.2/31, 10.0.0.4 } ip daddr { 10.1.1.0/25, "
		       "10.1.1.128/26 } tcp dport 5061");
	assert_line(t, "meta l4proto 47 counter name \"input.r0003\" drop\n");
	free(t);
}

/* ---- errors ---- */

struct bad_case {
	const char *what;
	const char *expect;             /* substring of the error */
	struct tc_rule rule;
	const char *filter, *bname;
	enum aclf_binding_kind kind;
	enum aclf_direction dir;
};

static const struct bad_case bad[] = {
	{ "ports with icmp", "ports need protocol tcp or udp",
	  { "r1", ACLF_PERMIT, 1, "any", NULL, "any", NULL, NULL, "80", false, NULL },
	  "input", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "established udp", "established needs protocol tcp",
	  { "r1", ACLF_PERMIT, 17, "any", NULL, "any", NULL, NULL, NULL, true, NULL },
	  "input", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "families disjoint", "share no address family",
	  { "r1", ACLF_PERMIT, 6, "10.0.0.0/8", NULL, "2001:db8::/32", NULL, NULL, NULL, false,
	    NULL },
	  "input", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "keyword chain", "'tcp' is an nftables keyword",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "tcp", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "hook not a host chain", "not one of input, forward, output",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "pre", "prerouting", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "interface without direction", "needs direction in or out",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "eth", "eth0", ACLF_BIND_INTERFACE, ACLF_DIR_NONE },
	{ "interface name with a quote", "not usable in nftables",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "eth", "eth\"0", ACLF_BIND_INTERFACE, ACLF_DIR_IN },
	{ "interface name too long", "not usable in nftables",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "eth", "a-very-long-interface", ACLF_BIND_INTERFACE, ACLF_DIR_IN },
	{ "no binding", "has no binding",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "x", NULL, ACLF_BIND_NONE, ACLF_DIR_NONE },
	{ "reserved name", "reserved for the interface dispatch chains",
	  { "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "iface_in", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
	{ "protocol out of range", "not an IP protocol number",
	  { "r1", ACLF_PERMIT, 300, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	  "input", "input", ACLF_BIND_CHAIN, ACLF_DIR_NONE },
};

static void expect_fail(struct aclf_devpol *dp, const char *expect)
{
	struct aclf_buf out;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_int_equal(render(dp, &out, &err), -1);
	if (!strstr(aclf_err_text(&err), expect))
		fail_msg("error '%s' lacks '%s'", aclf_err_text(&err), expect);
	assert_int_equal(out.len, 0); /* nothing partial */
	assert_int_equal(err.kind, ACLF_E_INPUT);
	aclf_buf_release(&out);
	aclf_err_release(&err);
}

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aclf_policy *p = aclf_policy_new();
		struct aclf_devpol *dp = aclf_policy_add_device(p, "h", "nftables");
		struct tc_rule rules[2] = { bad[i].rule, { .id = NULL } };

		assert_non_null(tc_filter(p, dp, bad[i].filter, bad[i].kind,
					  bad[i].bname ? bad[i].bname : "", bad[i].dir, ACLF_DENY,
					  rules));
		if (!bad[i].bname)
			dp->filters[0].binding.name = NULL;
		print_message("bad case: %s\n", bad[i].what);
		expect_fail(dp, bad[i].expect);
		aclf_policy_free(p);
	}
}

static void test_errors_multi(void **state)
{
	static const struct tc_rule two_ids[] = {
		{ "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, "1", false, NULL },
		{ "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, "2", false, NULL },
		{ .id = NULL },
	};
	static const struct tc_rule groups[] = {
		{ "r1", ACLF_PERMIT, 6, "10.0.0.0/8", "g", "any", NULL, NULL, "1", false, NULL },
		{ "r2", ACLF_PERMIT, 6, "10.0.0.0/9", "g", "any", NULL, NULL, "2", false, NULL },
		{ .id = NULL },
	};
	static const struct tc_rule groups2[] = {
		{ "r1", ACLF_PERMIT, 6, "10.0.0.0/8", "g x", "any", NULL, NULL, "1", false, NULL },
		{ "r2", ACLF_PERMIT, 6, "10.0.0.0/9", "g_x", "any", NULL, NULL, "2", false, NULL },
		{ .id = NULL },
	};
	static const struct tc_rule one[] = {
		{ "r1", ACLF_PERMIT, 6, "any", NULL, "any", NULL, NULL, "1", false, NULL },
		{ .id = NULL },
	};
	struct aclf_policy *p;
	struct aclf_devpol *dp;

	(void)state;
	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "input", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, two_ids);
	expect_fail(dp, "rule id 'r1' is used twice");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "input", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, groups);
	expect_fail(dp, "address group 'g' has different members in rules 'r1' and 'r2'");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "input", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, groups2);
	expect_fail(dp, "both become nft set 'g_x'");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "a", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, one);
	tc_filter(p, dp, "b", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, one);
	expect_fail(dp, "filters 'a' and 'b' both bind hook 'input'");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "a", ACLF_BIND_INTERFACE, "eth0", ACLF_DIR_IN, ACLF_DENY, one);
	tc_filter(p, dp, "b", ACLF_BIND_INTERFACE, "eth0", ACLF_DIR_IN, ACLF_DENY, one);
	expect_fail(dp, "both bind interface 'eth0' in");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	tc_filter(p, dp, "a b", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, one);
	tc_filter(p, dp, "a/b", ACLF_BIND_CHAIN, "output", ACLF_DIR_NONE, ACLF_DENY, one);
	expect_fail(dp, "filters 'a b' and 'a/b' both become chain 'a_b'");
	aclf_policy_free(p);

	p = aclf_policy_new();
	dp = aclf_policy_add_device(p, "h", "nftables");
	assert_non_null(aclf_devpol_add_lb(p, dp, "vs"));
	expect_fail(dp, "carries no load-balancer services");
	aclf_policy_free(p);
}

static void test_comment_and_names(void **state)
{
	static const struct tc_rule rules[] = {
		{ NULL, ACLF_PERMIT, 6, "any", "any hosts", "10.0.0.1", NULL, NULL, "22", false,
		  "say \"hi\"\nnext line" },
		{ .id = NULL },
	};
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(p, "h\nx", "nftables");
	struct aclf_filter *f;
	struct aclf_buf out;
	struct aclf_err err;
	char longc[300];

	(void)state;
	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	/* a rule without id gets r<position>; any-address groups need no set */
	struct tc_rule r1 = rules[0];
	r1.id = "tmp";
	struct tc_rule rr[2] = { r1, { .id = NULL } };
	f = tc_filter(p, dp, "9 lives", ACLF_BIND_CHAIN, "input", ACLF_DIR_NONE, ACLF_DENY, rr);
	assert_non_null(f);
	f->rules[0].id = NULL;
	/* 150 bytes of 'ä' (2 bytes each): cut at 128 bytes without splitting one */
	for (size_t i = 0; i < 150; i += 2) {
		longc[i] = (char)0xc3;
		longc[i + 1] = (char)0xa4;
	}
	longc[150] = '\0';
	f = tc_filter(p, dp, "out", ACLF_BIND_CHAIN, "output", ACLF_DIR_NONE, ACLF_PERMIT, rr);
	assert_non_null(f);
	f->rules[0].comment = longc;
	assert_int_equal(render(dp, &out, &err), 0);
	assert_line(out.buf, "# aclforge nftables ruleset for device \"h x\"\n");
	assert_line(out.buf, "\tchain _9_lives {\n");
	assert_line(out.buf, "\tcounter _9_lives.r0001 {\n");
	assert_line(out.buf, "\t\tip daddr 10.0.0.1 tcp dport 22 counter name "
			     "\"_9_lives.r0001\" accept comment \"say 'hi' next line\"\n");
	assert_null(strstr(out.buf, "set any"));
	{
		const char *c = strstr(out.buf, "\"out.tmp\" accept comment \"");
		assert_non_null(c);
		c += strlen("\"out.tmp\" accept comment \"");
		const char *e = strchr(c, '"');
		assert_non_null(e);
		assert_int_equal(e - c, 128);
	}
	assert_true(nftd_is_keyword("tcp"));
	assert_true(nftd_is_keyword("last"));
	assert_true(nftd_is_keyword("accept"));
	assert_false(nftd_is_keyword("input"));
	assert_false(nftd_is_keyword("clients"));
	assert_false(nftd_is_keyword("fe01-input"));
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_table),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_shapes_more),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_multi),
		cmocka_unit_test(test_comment_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
