/* Policy JSON reader: the forms it accepts (merging, defaults, nulls) and
 * every error path, each with its exact message. The writer side is in
 * test_policy_json.c; the reference policy is policy_json_ref.h. */
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
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "policy_json_ref.h"

/* ---- reader: accepted forms ---- */

static void test_read_merges_and_defaults(void **state)
{
	struct aclf_policy *p;
	const struct aclf_rule *r;
	char tmp[ACLF_PREFIX_STRLEN];

	(void)state;
	p = from_json_ok("{\"devices\": [{\"name\": \"d\", \"driver\": \"nftables\",\n"
			 " \"filters\": [{\"name\": \"f\", \"default_action\": \"deny\", \"rules\": [\n"
			 "  {\"id\": \"a\", \"action\": \"permit\", \"protocol\": \"gre\",\n"
			 "   \"src\": [\"10.0.0.0/25\", \"10.0.0.128/25\", \"10.0.0.5\"],\n"
			 "   \"dst\": [\"2001:db8::1\"],\n"
			 "   \"dst_ports\": [[10, 20], [15, 30], [31, 31]],\n"
			 "   \"device_name\": null, \"comment\": null, \"hits\": null},\n"
			 "  {\"id\": null, \"action\": \"deny\", \"protocol\": 132,\n"
			 "   \"src\": [\"0.0.0.0/0\"], \"dst\": [\"::/0\"]}]}]}]}");
	r = &p->devices[0].filters[0].rules[0];
	assert_int_equal(r->protocol, 47);
	assert_int_equal(r->src.n, 1);
	aclf_prefix_format(&r->src.v[0], tmp, sizeof(tmp));
	assert_string_equal(tmp, "10.0.0.0/24");
	aclf_prefix_format(&r->dst.v[0], tmp, sizeof(tmp));
	assert_string_equal(tmp, "2001:db8::1/128");
	assert_int_equal(r->dst_ports.n, 1);
	assert_int_equal(r->dst_ports.v[0].lo, 10);
	assert_int_equal(r->dst_ports.v[0].hi, 31);
	assert_int_equal(r->src_ports.n, 0);
	assert_false(r->established);
	assert_int_equal(r->hits, -1);
	assert_null(r->device_name);
	assert_null(r->comment);
	assert_int_equal(r->nprov, 0);
	r = &p->devices[0].filters[0].rules[1];
	assert_null(r->id);
	assert_int_equal(r->protocol, 132);
	assert_int_equal(p->devices[0].filters[0].binding.kind, ACLF_BIND_NONE);
	assert_int_equal(p->devices[0].nlb, 0);
	aclf_policy_free(p);

	/* lb: vip may carry /32, monitor null, defaults */
	p = from_json_ok("{\"devices\": [{\"name\": \"lb\", \"driver\": \"bigip\", \"lb_services\": [\n"
			 " {\"name\": \"s\", \"vip\": \"10.0.0.1/32\", \"protocol\": \"tcp\", \"port\": 443,\n"
			 "  \"monitor\": null, \"members\": [{\"address\": \"10.0.0.2\", \"port\": 443}]}]}]}");
	assert_int_equal(p->devices[0].lb[0].vip.len, 32);
	assert_null(p->devices[0].lb[0].monitor.type);
	assert_int_equal(p->devices[0].lb[0].persistence.kind, ACLF_PERSIST_NONE);
	assert_int_equal(p->devices[0].lb[0].snat, ACLF_SNAT_NONE);
	assert_null(p->devices[0].lb[0].members[0].name);
	aclf_policy_free(p);
}

/* ---- reader: errors ---- */

/* The reference document with one value replaced: rule 0 of filter 0 of
 * device 0, lb 0 of device 2, or the root. */
enum where { W_ROOT, W_DEVICE, W_FILTER, W_RULE, W_LB, W_MEMBER };

static char *mutated(enum where w, const char *key, json_t *value)
{
	struct aclf_policy *p = build_policy();
	char *base = to_json(p), *out;
	json_t *root = json_loads(base, 0, NULL), *o = root;

	assert_non_null(root);
	switch (w) {
	case W_ROOT:
		break;
	case W_DEVICE:
		o = json_array_get(json_object_get(root, "devices"), 0);
		break;
	case W_FILTER:
	case W_RULE:
		o = json_array_get(json_object_get(root, "devices"), 0);
		o = json_array_get(json_object_get(o, "filters"), 0);
		if (w == W_RULE)
			o = json_array_get(json_object_get(o, "rules"), 0);
		break;
	case W_LB:
	case W_MEMBER:
		o = json_array_get(json_object_get(root, "devices"), 2);
		o = json_array_get(json_object_get(o, "lb_services"), 0);
		if (w == W_MEMBER)
			o = json_array_get(json_object_get(o, "members"), 1);
		break;
	}
	assert_non_null(o);
	if (value)
		assert_int_equal(json_object_set_new(o, key, value), 0);
	else
		assert_int_equal(json_object_del(o, key), 0);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(out);
	json_decref(root);
	free(base);
	aclf_policy_free(p);
	return out;
}

/* Reading must fail with exactly this message (all lines). */
static void expect_error(const char *text, size_t len, const char *want)
{
	struct aclf_err err;
	struct aclf_policy *p;

	aclf_err_init(&err);
	p = aclf_policy_from_json(text, len, "x.json", &err);
	if (p) {
		aclf_policy_free(p);
		fail_msg("accepted; wanted error: %s", want);
	}
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(err.file);
	assert_string_equal(err.file, "x.json");
	assert_string_equal(aclf_err_text(&err), want);
	aclf_err_release(&err);
}

static void expect_mutated(enum where w, const char *key, json_t *value, const char *want)
{
	char *text = mutated(w, key, value);

	expect_error(text, strlen(text), want);
	free(text);
}

#define RULE0 "x.json: devices[0].filters[0].rules[0]"
#define LB0 "x.json: devices[2].lb_services[0]"

static void test_err_prefixes(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "dst", json_pack("[sss]", "10.1.1.11", "10.1.1.12", "10.0.0.300"),
		       RULE0 ".dst[2]: expected a prefix, found \"10.0.0.300\"");
	expect_mutated(W_RULE, "src", json_pack("[s]", "10.1.1.1/8"),
		       RULE0 ".src[0]: host bits set in prefix \"10.1.1.1/8\"");
	expect_mutated(W_RULE, "src", json_pack("[i]", 10),
		       RULE0 ".src[0]: expected a prefix, found 10");
	expect_mutated(W_RULE, "src", json_pack("[s]", "2001:db8::/129"),
		       RULE0 ".src[0]: expected a prefix, found \"2001:db8::/129\"");
	expect_mutated(W_RULE, "src", json_string("10.0.0.0/8"),
		       RULE0 ".src: expected a list, found \"10.0.0.0/8\"");
	expect_mutated(W_RULE, "dst", json_array(),
		       RULE0 ".dst: expected a non-empty list of prefixes"
			     " (any is \"0.0.0.0/0\" and \"::/0\")");
	expect_mutated(W_RULE, "src", NULL, RULE0 ": missing key \"src\"");
}

static void test_err_ports(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "dst_ports", json_pack("[[ii]]", 5, 3),
		       RULE0 ".dst_ports[0]: port range [5, 3] is reversed");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[ii]]", 70000, 70000),
		       RULE0 ".dst_ports[0][0]: port 70000 is out of range 0-65535\n"
		       RULE0 ".dst_ports[0][1]: port 70000 is out of range 0-65535");
	expect_mutated(W_RULE, "src_ports", json_pack("[[ii][ii]]", 1, 2, -1, 4),
		       RULE0 ".src_ports[1][0]: port -1 is out of range 0-65535");
	expect_mutated(W_RULE, "dst_ports", json_pack("[i]", 5061),
		       RULE0 ".dst_ports[0]: expected a [lo, hi] port range, found 5061");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[iii]]", 1, 2, 3),
		       RULE0 ".dst_ports[0]: expected a [lo, hi] port range, found an array");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[fi]]", 5061.0, 5061),
		       RULE0 ".dst_ports[0][0]: expected a port number, found 5061.0");
	expect_mutated(W_RULE, "dst_ports", json_pack("{}"),
		       RULE0 ".dst_ports: expected a list, found an object");
}

static void test_err_keys_and_types(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "colour", json_string("red"), RULE0 ": unknown key \"colour\"");
	expect_mutated(W_ROOT, "version", json_integer(1), "x.json: unknown key \"version\"");
	expect_mutated(W_DEVICE, "host", json_string("10.0.0.1"),
		       "x.json: devices[0]: unknown key \"host\"");
	expect_mutated(W_RULE, "established", json_string("yes"),
		       RULE0 ".established: expected true or false, found \"yes\"");
	expect_mutated(W_RULE, "protocol", json_true(),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found true");
	expect_mutated(W_RULE, "protocol", json_integer(256),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found 256");
	expect_mutated(W_RULE, "protocol", json_string("tcpx"),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found \"tcpx\"");
	expect_mutated(W_RULE, "action", json_string("allow"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found \"allow\"");
	expect_mutated(W_RULE, "action", NULL, RULE0 ": missing key \"action\"");
	expect_mutated(W_RULE, "hits", json_integer(-5),
		       RULE0 ".hits: -5 is out of range 0-9223372036854775807");
	expect_mutated(W_RULE, "hits", json_real(1.5),
		       RULE0 ".hits: expected an integer, found 1.5");
	expect_mutated(W_RULE, "comment", json_integer(7),
		       RULE0 ".comment: expected a string, found 7");
	expect_mutated(W_RULE, "provenance", json_pack("[{ss}]", "kind", "seed"),
		       RULE0 ".provenance[0]: missing key \"ref\"");
	expect_mutated(W_RULE, "provenance", json_pack("[{sssssi}]", "kind", "seed", "ref", "x",
						       "row", 3),
		       RULE0 ".provenance[0]: unknown key \"row\"");
	expect_mutated(W_FILTER, "binding", json_pack("{ssss}", "kind", "vlan", "name", "x"),
		       "x.json: devices[0].filters[0].binding.kind: expected one of \"none\", "
		       "\"interface\", \"chain\", found \"vlan\"");
	expect_mutated(W_FILTER, "default_action", json_null(),
		       "x.json: devices[0].filters[0].default_action: expected one of \"permit\", "
		       "\"deny\", found null");
	expect_mutated(W_FILTER, "rules", json_string("none"),
		       "x.json: devices[0].filters[0].rules: expected a list, found \"none\"");
	expect_mutated(W_DEVICE, "driver", NULL, "x.json: devices[0]: missing key \"driver\"");
	expect_mutated(W_ROOT, "devices", json_object(),
		       "x.json: devices: expected a list, found an object");
	/* long strings are cut in messages; control characters escaped */
	expect_mutated(W_RULE, "action", json_string("a\tb"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found \"a\\u0009b\"");
	expect_mutated(W_RULE, "action",
		       json_string("0123456789012345678901234567890123456789012345678901234567890123456789"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found "
			     "\"0123456789012345678901234567890123456789012345678901234567890123\"...");
}

static void test_err_lb(void **state)
{
	(void)state;
	expect_mutated(W_LB, "port", json_integer(70000),
		       LB0 ".port: 70000 is out of range 0-65535");
	expect_mutated(W_LB, "vip", json_string("10.1.1.0/24"),
		       LB0 ".vip: expected an address, found \"10.1.1.0/24\"");
	expect_mutated(W_MEMBER, "address", json_string("fe02"),
		       LB0 ".members[1].address: expected an address, found \"fe02\"");
	expect_mutated(W_MEMBER, "weight", json_integer(2),
		       LB0 ".members[1]: unknown key \"weight\"");
	expect_mutated(W_LB, "monitor", json_string("tcp"),
		       LB0 ".monitor: expected an object, found \"tcp\"");
	expect_mutated(W_LB, "monitor", json_pack("{si}", "port", 80),
		       LB0 ".monitor: missing key \"type\"");
	expect_mutated(W_LB, "persistence", json_pack("{sssi}", "kind", "source-addr", "mask_len", 200),
		       LB0 ".persistence.mask_len: 200 is out of range 0-128");
	expect_mutated(W_LB, "snat", json_string("snatpool"),
		       LB0 ".snat: expected one of \"none\", \"automap\", found \"snatpool\"");
	expect_mutated(W_LB, "idle_timeout", json_integer(-1),
		       LB0 ".idle_timeout: -1 is out of range 0-4294967295");
	expect_mutated(W_LB, "name", json_string("aclf_web_443"),
		       "x.json: devices[2].lb_services[1].name: duplicate lb service \"aclf_web_443\"");
}

static void test_err_duplicates(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "id", json_string("r0002"),
		       "x.json: devices[0].filters[0].rules[1].id: duplicate rule id \"r0002\"");
	expect_mutated(W_DEVICE, "name", json_string("lb1"),
		       "x.json: devices[2].name: duplicate device \"lb1\"");
	expect_mutated(W_FILTER, "name", json_string("EMPTY"),
		       "x.json: devices[0].filters[1].name: duplicate filter \"EMPTY\"");
}

static void test_err_syntax(void **state)
{
	struct aclf_policy *p = build_policy();
	char *a = to_json(p);
	struct aclf_err err;
	size_t half = strlen(a) / 2;
	unsigned lines = 1;

	(void)state;
	for (size_t i = 0; i < half; i++)
		lines += a[i] == '\n';
	/* truncated in the middle: the position of the end of the input */
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json(a, half, "x.json", &err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_int_equal(err.line, lines);
	assert_true(err.col >= 1);
	assert_non_null(strstr(aclf_err_text(&err), "invalid json"));
	assert_int_equal(strncmp(aclf_err_text(&err), "x.json:", 7), 0);
	aclf_err_release(&err);

	expect_error("{\n  \"devices\": [\n    {,\n", 24,
		     "x.json:3:6: invalid json: string or '}' expected near ','");
	expect_error("{\"devices\": [], \"devices\": []}", 30,
		     "x.json:1:25: invalid json: duplicate object key near '\"devices\"'");
	expect_error("", 0, "x.json:1:1: invalid json: '[' or '{' expected near end of file");
	expect_error(NULL, 0, "x.json:1:1: invalid json: '[' or '{' expected near end of file");
	expect_error("{\"devices\": []} x", 17,
		     "x.json:1:17: invalid json: end of file expected near 'x'");
	expect_error("{\"devices\": [\"\\u0000\"]}", 23,
		     "x.json:1:21: invalid json: \\u0000 is not allowed without JSON_ALLOW_NUL"
		     " near '\"\\u0000\"'");
	expect_error("[1]", 3, "x.json: expected an object with \"devices\", found an array");
	expect_error("{}", 2, "x.json: missing key \"devices\"");
	expect_error("{\"devices\": [1]}", 16, "x.json: devices[0]: expected an object, found 1");
	/* without a name */
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json("{", 1, NULL, &err));
	assert_non_null(strstr(aclf_err_text(&err), "<input>:1:1: invalid json"));
	aclf_err_release(&err);
	free(a);
	aclf_policy_free(p);
}

/* Several errors are collected, up to a limit. */
static void test_err_collected(void **state)
{
	json_t *root = json_pack("{s[{ssss}]}", "devices", "name", "d", "driver", "ios");
	json_t *rules = json_array();
	struct aclf_err err;
	char *text;

	(void)state;
	assert_non_null(root);
	assert_non_null(rules);
	json_array_append_new(rules, json_pack("{sssssss[s]s[s]}", "id", "a", "action", "permit",
					       "protocol", "tcp", "src", "10.0.0.300", "dst", "any"));
	for (int i = 0; i < 30; i++)
		json_array_append_new(rules, json_pack("{ss}", "id", "x"));
	json_object_set_new(json_array_get(json_object_get(root, "devices"), 0), "filters",
			    json_pack("[{ssssso}]", "name", "f", "default_action", "deny", "rules",
				      rules));
	assert_int_equal(json_array_size(rules), 31);
	text = json_dumps(root, 0);
	assert_non_null(text);
	json_decref(root);
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json(text, strlen(text), "x.json", &err));
	assert_int_equal(err.count, 21); /* 20 errors + the "stopped" note */
	assert_non_null(strstr(aclf_err_text(&err),
			       "x.json: devices[0].filters[0].rules[0].src[0]: expected a prefix, "
			       "found \"10.0.0.300\"\n"
			       "x.json: devices[0].filters[0].rules[0].dst[0]: expected a prefix, "
			       "found \"any\"\n"
			       "x.json: devices[0].filters[0].rules[1]: missing key \"action\"\n"));
	assert_non_null(strstr(aclf_err_text(&err), "\nx.json: too many errors, stopped after 20"));
	aclf_err_release(&err);
	free(text);
}

/* An error appended to a caller's earlier error chains without losing it. */
static void test_err_chains(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_err_set(&err, ACLF_E_INPUT, "earlier");
	assert_null(aclf_policy_from_json("{\"devices\": 1}", 14, "x.json", &err));
	assert_string_equal(aclf_err_text(&err),
			    "earlier\nx.json: devices: expected a list, found 1");
	aclf_err_release(&err);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_merges_and_defaults),
		cmocka_unit_test(test_err_prefixes),
		cmocka_unit_test(test_err_ports),
		cmocka_unit_test(test_err_keys_and_types),
		cmocka_unit_test(test_err_lb),
		cmocka_unit_test(test_err_duplicates),
		cmocka_unit_test(test_err_syntax),
		cmocka_unit_test(test_err_collected),
		cmocka_unit_test(test_err_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
