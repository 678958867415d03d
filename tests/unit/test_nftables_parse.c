/* nftables driver: parsing `nft -j list ruleset` output captured from the
 * real nft 1.0.6 (tests/fixtures/nftables/, see SOURCES.md), so this
 * runs without root. render_<case>.json is what nft listed after loading
 * the golden rendering of <case>: parsing it must give the case back. */
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
#include "nftd_cases.h"

static char *load(const char *file, size_t *len)
{
	const char *dir = getenv("ACLF_FIXTURES");
	struct aclf_buf b;
	char *path = NULL, *s;

	aclf_buf_init(&b, 0);
	if (asprintf(&path, "%s/nftables/%s", dir ? dir : "tests/fixtures", file) < 0)
		fail();
	if (aclf_buf_read_file(&b, path) < 0)
		fail_msg("cannot read %s", path);
	free(path);
	s = aclf_buf_detach(&b, len);
	return s;
}

static bool strict_parse; /* the next parse() runs with --strict */

static int parse(const char *text, size_t len, struct aclf_policy *p, struct aclf_devpol **dp,
		 struct aclf_err *err)
{
	return aclf_driver_parse(&aclf_driver_nftables, text, len,
				 &(struct aclf_parse_opts){ .name = "host1", .label = "host1.json",
							    .strict = strict_parse },
				 p, dp, err);
}

static void test_round_trip_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; tc_names[i]; i++) {
		struct aclf_policy *want = aclf_policy_new(), *got = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_err err;
		char file[64], why[256];
		size_t len;
		char *text;

		aclf_err_init(&err);
		snprintf(file, sizeof(file), "render_%s.json", tc_names[i]);
		text = load(file, &len);
		if (parse(text, len, got, &dp, &err) < 0)
			fail_msg("%s: %s", file, aclf_err_text(&err));
		assert_non_null(dp);
		assert_string_equal(dp->name, "host1");
		assert_string_equal(dp->driver, "nftables");
		if (!tc_same_devpol(tc_build(want, tc_names[i]), dp, why, sizeof(why)))
			fail_msg("%s: %s", file, why);
		for (size_t f = 0; f < dp->nfilters; f++)
			for (size_t r = 0; r < dp->filters[f].nrules; r++) {
				assert_int_equal(dp->filters[f].rules[r].hits, 0);
				assert_non_null(dp->filters[f].rules[r].device_name);
			}
		free(text);
		aclf_err_release(&err);
		aclf_policy_free(want);
		aclf_policy_free(got);
	}
}

/* nft on a host without /etc/protocols lists protocols as numbers */
static void test_numeric_protocols(void **state)
{
	static const char *const cases[] = { "v6", "ranges" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct aclf_policy *want = aclf_policy_new(), *got = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_err err;
		char file[64], why[256];
		size_t len;
		char *text;

		aclf_err_init(&err);
		snprintf(file, sizeof(file), "noprotos_render_%s.json", cases[i]);
		text = load(file, &len);
		assert_null(strstr(text, "\"ipv6-icmp\"")); /* really numbers */
		if (parse(text, len, got, &dp, &err) < 0)
			fail_msg("%s: %s", file, aclf_err_text(&err));
		if (!tc_same_devpol(tc_build(want, cases[i]), dp, why, sizeof(why)))
			fail_msg("%s: %s", file, why);
		free(text);
		aclf_err_release(&err);
		aclf_policy_free(want);
		aclf_policy_free(got);
	}
}

static const struct aclf_rule *rule(const struct aclf_filter *f, size_t i)
{
	assert_true(i < f->nrules);
	return &f->rules[i];
}

static void assert_pset(const struct aclf_prefix_set *s, const char *list)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_prefix_set want;

	assert_int_equal(tc_pset(p, list, &want), 0);
	if (!aclf_pset_equal(s, &want)) {
		char buf[ACLF_PREFIX_STRLEN];
		for (size_t i = 0; i < s->n; i++) {
			aclf_prefix_format(&s->v[i], buf, sizeof(buf));
			print_error("got %s\n", buf);
		}
		fail_msg("address set differs from '%s'", list);
	}
	aclf_policy_free(p);
}

static void assert_ports(const struct aclf_port_set *s, const char *list)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_port_set want;

	assert_int_equal(tc_ports(p, list, &want), 0);
	if (!aclf_ports_equal(s, &want))
		fail_msg("port set differs from '%s'", list);
	aclf_policy_free(p);
}

/* hand_features.nft: what the parser reads beyond the renderer's output */
static void test_hand_features(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	const struct aclf_filter *in, *fwd, *eth;
	const struct aclf_rule *r;
	struct aclf_err err;
	size_t len;
	char *text = load("hand_features.json", &len);

	(void)state;
	aclf_err_init(&err);
	if (parse(text, len, p, &dp, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	/* table ip other is ignored; chain "unused" (no jump reaches it) too */
	assert_int_equal(dp->nfilters, 3);
	in = &dp->filters[0];
	fwd = &dp->filters[1];
	eth = &dp->filters[2];
	assert_string_equal(in->name, "input");
	assert_int_equal(in->binding.kind, ACLF_BIND_CHAIN);
	assert_string_equal(in->binding.name, "input");
	assert_int_equal(in->binding.direction, ACLF_DIR_IN);
	assert_int_equal(in->default_action, ACLF_DENY);
	assert_string_equal(fwd->binding.name, "forward");
	assert_int_equal(fwd->default_action, ACLF_PERMIT);
	assert_int_equal(fwd->nrules, 0);
	assert_string_equal(eth->name, "eth1_in");
	assert_int_equal(eth->binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(eth->binding.name, "eth1");
	assert_int_equal(eth->binding.direction, ACLF_DIR_IN);
	assert_int_equal(eth->default_action, ACLF_PERMIT); /* trailing "accept" */
	assert_int_equal(eth->nrules, 1);
	assert_int_equal(eth->rules[0].action, ACLF_DENY);
	assert_ports(&eth->rules[0].dst_ports, "3389");

	/* the three opening rules are gone; the verdict-less rule and the two
	 * rules no packet can match (disjoint saddr, empty set) decide nothing */
	assert_int_equal(in->nrules, 12);

	/* v4 and v6 rules sharing counter "legacy" are one rule again */
	r = rule(in, 0);
	assert_string_equal(r->id, "legacy");
	assert_string_equal(r->device_name, "17,18");
	assert_int_equal(r->hits, 7);
	assert_string_equal(r->src_name, "admins");
	assert_pset(&r->src, "192.0.2.0/28, 198.51.100.7, 2001:db8:a::/64");
	assert_pset(&r->dst, "any");
	assert_int_equal(r->protocol, ACLF_PROTO_TCP);
	assert_ports(&r->dst_ports, "22");
	assert_int_equal(r->nprov, 1);
	assert_string_equal(r->prov[0].kind, "device");

	/* named counter "<chain>.<id>" gives the id; named port set */
	r = rule(in, 1);
	assert_string_equal(r->id, "web");
	assert_int_equal(r->hits, 42);
	assert_ports(&r->dst_ports, "80, 443, 8000-8080");
	assert_pset(&r->src, "any");
	assert_null(r->src_name);

	/* anonymous sets (nft lists 10.1.1.1 and .2 as a range), anonymous counter */
	r = rule(in, 2);
	assert_int_equal(r->hits, 5);
	assert_int_equal(r->id[0], 'h');
	assert_string_equal(r->id + 1, r->device_name);
	assert_int_equal(r->protocol, ACLF_PROTO_UDP);
	assert_pset(&r->src, "10.0.0.0/8");
	assert_pset(&r->dst, "10.1.1.1, 10.1.1.2, 10.2.0.0/16");
	assert_ports(&r->dst_ports, "53, 5000-5010");

	/* address range, meta l4proto without ports, no counter */
	r = rule(in, 3);
	assert_int_equal(r->action, ACLF_DENY);
	assert_int_equal(r->hits, -1);
	assert_pset(&r->src, "10.7.0.1, 10.7.0.2/31, 10.7.0.4/31, 10.7.0.6");
	assert_pset(&r->dst, "any4");
	assert_int_equal(r->protocol, ACLF_PROTO_TCP);
	assert_int_equal(r->dst_ports.n, 0);

	/* negated prefix, ip protocol, reject = deny */
	r = rule(in, 4);
	assert_int_equal(r->action, ACLF_DENY);
	assert_int_equal(r->protocol, ACLF_PROTO_ICMP);
	assert_pset(&r->src, "0.0.0.0/5, 8.0.0.0/7, 11.0.0.0/8, 12.0.0.0/6, 16.0.0.0/4, "
			     "32.0.0.0/3, 64.0.0.0/2, 128.0.0.0/1");

	r = rule(in, 5); /* ip6 nexthdr */
	assert_int_equal(r->protocol, ACLF_PROTO_ICMP6);
	assert_pset(&r->src, "any6");
	assert_pset(&r->dst, "any6");

	/* named set holding a range; negated port range */
	r = rule(in, 6);
	assert_string_equal(r->dst_name, "dbhosts");
	assert_pset(&r->dst, "10.5.0.10/31, 10.5.0.12/30, 10.5.0.16/30, 10.5.0.20");
	assert_ports(&r->dst_ports, "0, 1024-65535");

	r = rule(in, 7); /* protocol by name from /etc/protocols */
	assert_int_equal(r->protocol, 132);
	assert_int_equal(r->action, ACLF_DENY);

	r = rule(in, 8); /* ct state established */
	assert_true(r->established);
	assert_ports(&r->src_ports, "5061");

	r = rule(in, 9); /* tcp flags & (ack|rst) != 0 */
	assert_true(r->established);
	assert_ports(&r->src_ports, "443");

	r = rule(in, 10); /* meta nfproto ipv6 */
	assert_pset(&r->src, "any6");
	assert_ports(&r->dst_ports, "547");

	r = rule(in, 11); /* two saddr matches intersect; comment */
	assert_pset(&r->src, "10.1.0.0/16");
	assert_int_equal(r->protocol, 0);
	assert_string_equal(r->comment, "narrowed twice");

	free(text);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

static void test_no_table(void **state)
{
	static const char *const files[] = { "other_tables.json", "empty_ruleset.json" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct aclf_policy *p = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_err err;
		size_t len;
		char *text = load(files[i], &len);

		aclf_err_init(&err);
		assert_int_equal(parse(text, len, p, &dp, &err), 0);
		assert_non_null(dp);
		assert_int_equal(dp->nfilters, 0);
		assert_int_equal(p->ndevices, 1);
		free(text);
		aclf_err_release(&err);
		aclf_policy_free(p);
	}
}

static void expect_error(const char *text, size_t len, const char *what, const char *expect)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;

	aclf_err_init(&err);
	if (parse(text, len, p, &dp, &err) == 0)
		fail_msg("%s: parsed although it should not", what);
	if (!strstr(aclf_err_text(&err), expect))
		fail_msg("%s: error '%s' lacks '%s'", what, aclf_err_text(&err), expect);
	assert_int_equal(p->ndevices, 0); /* nothing partial */
	assert_null(dp);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

static void test_refused(void **state)
{
	static const struct {
		const char *file, *expect;
	} cases[] = {
		{ "err_limit.json", "in chain 'input': unsupported statement limit (--strict" },
		{ "err_ctnew.json", "unsupported ct state match" },
		{ "err_iifname.json", "interface match outside the iface_in/iface_out" },
		{ "err_th.json", "unsupported match on th" },
		{ "err_mark.json", "unsupported match on meta mark" },
		{ "err_l4set.json", "protocol match with several protocols" },
		{ "err_jump.json", "rule handle 7 in chain 'input': jump outside" },
		{ "err_ctlate.json", "'ct state established,related' after the chain's opening" },
		{ "err_nat.json", "chain 'pre': only type filter chains" },
		{ "err_twohooks.json", "chains 'a' and 'b' both use hook input" },
	};

	(void)state;
	strict_parse = true; /* the first six are opaque rules without --strict */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *text = load(cases[i].file, &len);
		expect_error(text, len, cases[i].file, cases[i].expect);
		/* the input's label and the object's line:col (one-line JSON), never
		 * the device name */
		expect_error(text, len, cases[i].file, "host1.json:1:");
		if (strcmp(cases[i].file, "err_nat.json") && strcmp(cases[i].file, "err_twohooks.json"))
			expect_error(text, len, cases[i].file, ": rule handle ");
		free(text);
		if (i == 5)
			strict_parse = false; /* the rest are refused either way */
	}
	strict_parse = false;
}

/* Valid nft the neutral form cannot hold exactly: without --strict one
 * opaque rule, in its place, with the device's action and its own text,
 * its match what was understood (a superset); `log` changes nothing a
 * filter decides and is read exactly. */
static void test_opaque(void **state)
{
	static const struct {
		const char *file, *why;
		int protocol;
		const char *dports;
	} cases[] = {
		{ "err_limit", "unsupported statement limit", ACLF_PROTO_TCP, "22" },
		{ "err_ctnew", "unsupported ct state match", ACLF_PROTO_TCP, "22" },
		{ "err_th", "unsupported match on th", ACLF_PROTO_ANY, NULL },
		{ "err_mark", "unsupported match on meta mark", ACLF_PROTO_ANY, NULL },
		{ "err_l4set", "protocol match with several protocols", ACLF_PROTO_ANY, NULL },
		{ "err_log", NULL, ACLF_PROTO_TCP, "22" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int form = 0; form < 2; form++) {
			struct aclf_policy *p = aclf_policy_new();
			struct aclf_devpol *dp = NULL;
			const struct aclf_rule *r;
			struct aclf_err err;
			char file[64];
			size_t len;
			char *text;

			snprintf(file, sizeof(file), "%s.%s", cases[i].file, form ? "nft" : "json");
			text = load(file, &len);
			aclf_err_init(&err);
			if (parse(text, len, p, &dp, &err) < 0)
				fail_msg("%s: %s", file, aclf_err_text(&err));
			assert_int_equal(dp->nfilters, 1);
			assert_int_equal(dp->filters[0].nrules, 2);
			assert_null(dp->filters[0].rules[0].opaque);
			r = &dp->filters[0].rules[1];
			assert_int_equal(aclf_devpol_opaque_count(dp), cases[i].why ? 1 : 0);
			if (cases[i].why) {
				assert_non_null(strstr(r->opaque, cases[i].why));
				assert_non_null(r->raw);
				/* the text form keeps the rule's own line */
				if (form)
					assert_non_null(strstr(text, r->raw));
			} else {
				assert_null(r->opaque);
			}
			assert_int_equal(r->action, ACLF_PERMIT);
			assert_int_equal(r->protocol, cases[i].protocol);
			if (cases[i].dports)
				assert_ports(&r->dst_ports, cases[i].dports);
			else
				assert_int_equal(r->dst_ports.n, 0);
			free(text);
			aclf_err_release(&err);
			aclf_policy_free(p);
		}
	}
}

/* Replace the first `from` in text by `to` (heap result). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out = NULL;

	assert_non_null(at);
	if (asprintf(&out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) < 0)
		fail();
	return out;
}

static void test_malformed(void **state)
{
	size_t len;
	char *text = load("render_mixed.json", &len), *m;

	(void)state;
	static const struct {
		const char *text, *expect;
	} small[] = {
		{ "", "host1.json:1:1:" },
		{ "{\"nftables\": [", "malformed nft json" },
		{ "{\"nftables\": [\n{\"table\": {}},\n  ]}", "host1.json:3:" },
		{ "{\"nftables\": [], \"nftables\": []}", "duplicate" },
		{ "[]", "no \"nftables\" array" },
		{ "{\"foo\": []}", "no \"nftables\" array" },
		{ "{\"nftables\": [1]}", "element 0 of \"nftables\"" },
		{ "{\"nftables\": [{\"a\": {}, \"b\": {}}]}", "one-key object" },
		{ "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"aclforge\"}}]}",
		  "rule without chain or handle" },
	};

	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		expect_error(small[i].text, strlen(small[i].text), small[i].text, small[i].expect);

	m = replace(text, "\"@clients_v4\"", "\"@nosuch\"");
	expect_error(m, strlen(m), "unknown set", "unknown set @nosuch");
	free(m);
	m = replace(text, "{\"counter\": \"fe01-input.r0002\"}", "{\"counter\": \"zzz\"}");
	expect_error(m, strlen(m), "unknown counter", "unknown counter 'zzz'");
	free(m);
	m = replace(text, "\"op\": \"==\"", "\"op\": \"<\"");
	strict_parse = true; /* else an opaque rule (test_opaque) */
	expect_error(m, strlen(m), "operator", "unsupported match operator <");
	strict_parse = false;
	free(m);
	m = replace(text, "\"right\": 3478", "\"right\": 70000");
	expect_error(m, strlen(m), "port range", "port out of range");
	free(m);
	m = replace(text, "{\"accept\": null}]", "{\"accept\": null}, {\"drop\": null}]");
	expect_error(m, strlen(m), "two verdicts", "statement after the verdict");
	free(m);
	m = replace(text, "\"chain\": \"fe01-input\", \"handle\"", "\"chain\": \"gone\", \"handle\"");
	expect_error(m, strlen(m), "unknown chain", "in chain 'gone': unknown chain");
	free(m);
	m = replace(text, "\"len\": 16", "\"len\": 40");
	expect_error(m, strlen(m), "prefix length", "malformed prefix");
	free(m);
	m = replace(text, "\"10.20.0.0\"", "\"2001:db8::\"");
	expect_error(m, strlen(m), "family", "set 'clients_v4': not an IPv4 address");
	free(m);
	/* every truncation fails cleanly */
	for (size_t cut = 0; cut < len; cut += 13) {
		struct aclf_policy *p = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_err err;
		aclf_err_init(&err);
		assert_int_equal(parse(text, cut, p, &dp, &err), -1);
		assert_int_equal(p->ndevices, 0);
		aclf_err_release(&err);
		aclf_policy_free(p);
	}
	free(text);
}

/* A source joining named groups is rendered as one nft rule per group (and
 * family) on the rule's counter: read back, it is one rule again, its
 * source the union. Neighbours on one counter with another destination stay
 * apart. */
static void test_split_parts(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	const struct aclf_rule *r;
	struct aclf_prefix_set want;
	struct aclf_prefix v[4];
	struct aclf_err err;
	size_t len;
	char *text = load("split_parts.json", &len), *second;

	(void)state;
	aclf_err_init(&err);
	if (parse(text, len, p, &dp, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(dp->nfilters, 1);
	assert_int_equal(dp->filters[0].nrules, 1);
	r = &dp->filters[0].rules[0];
	assert_string_equal(r->id, "r0001");
	assert_int_equal(aclf_prefix_parse("10.1.0.0/24", &v[0], false), 0);
	assert_int_equal(aclf_prefix_parse("10.2.0.0/24", &v[1], false), 0);
	assert_int_equal(aclf_prefix_parse("10.3.0.0/24", &v[2], false), 0);
	assert_int_equal(aclf_prefix_parse("2001:db8::/64", &v[3], false), 0);
	assert_int_equal(aclf_pset_merge(NULL, v, 4, &want), 0);
	assert_true(aclf_pset_equal(&r->src, &want));
	free(want.v);
	assert_int_equal(r->dst.n, 2);
	assert_null(r->src_name); /* a+b in IPv4, b alone in IPv6: no one name */
	aclf_policy_free(p);

	/* the second IPv4 rule to another destination: two rules */
	second = strstr(strstr(text, "\"10.9.0.1\"") + 1, "\"10.9.0.1\"");
	assert_non_null(second);
	second[8] = '2';
	p = aclf_policy_new();
	if (parse(text, len, p, &dp, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(dp->filters[0].nrules, 2);
	assert_int_equal(dp->filters[0].rules[0].src.n, 2);
	free(text);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_fixtures),
		cmocka_unit_test(test_numeric_protocols),
		cmocka_unit_test(test_hand_features),
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_opaque),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_split_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
