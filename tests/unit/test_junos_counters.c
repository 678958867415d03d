/* Junos counters: `show firewall` output (genieparser fixtures) parsed,
 * attached to rules by the configuration's own counter names, by the
 * render naming convention and through interface-specific names; what no
 * rule takes is reported; malformed output fails at its line. */
#include "junos_testutil.h"

static void parse_show_firewall(void **state)
{
	struct aclf_buf in;
	struct junos_counters c;
	struct aclf_err err;
	size_t counters = 0, policers = 0;

	(void)state;
	jt_read_fixture("ShowFirewall_golden_output_output.txt", &in);
	junos_counters_init(&c);
	aclf_err_init(&err);
	if (junos_counters_parse(in.buf, in.len, "fw", &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	for (size_t i = 0; i < c.n; i++)
		c.v[i].policer ? policers++ : counters++;
	assert_int_equal(counters, 16);
	assert_int_equal(policers, 2);
	assert_string_equal(c.v[0].filter, "catch_all");
	assert_string_equal(c.v[0].name, "cflow_counter_v4");
	assert_true(c.v[0].bytes == 28553344730ull);
	assert_true(c.v[0].packets == 151730215ull);
	assert_int_equal(c.v[0].line, 6);
	/* telnet-deny-count 1316 bytes 23 packets, in local-access-control */
	assert_string_equal(c.v[5].filter, "local-access-control");
	assert_string_equal(c.v[5].name, "telnet-deny-count");
	assert_true(c.v[5].bytes == 1316 && c.v[5].packets == 23);
	assert_string_equal(c.v[7].name, "MINIMUM-RATE-POLICER");
	assert_true(c.v[7].policer);
	assert_string_equal(c.v[c.n - 1].filter, "v6_local-access-control");
	aclf_err_release(&err);
	junos_counters_release(&c);
	aclf_buf_release(&in);
}

static void parse_counter_filter(void **state)
{
	struct aclf_buf in;
	struct junos_counters c;
	struct aclf_err err;

	(void)state;
	jt_read_fixture("ShowFirewallCounterFilter_golden_output_output.txt", &in);
	junos_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(junos_counters_parse(in.buf, in.len, "fw", &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].filter, "v6_local-access-control");
	assert_string_equal(c.v[0].name, "v6_last_policer");
	assert_true(c.v[0].bytes == 1061737740ull && c.v[0].packets == 7860915ull);
	assert_false(c.v[0].policer);
	aclf_err_release(&err);
	junos_counters_release(&c);
	aclf_buf_release(&in);
}

/* A configuration whose counter names are not its term names (the filter
 * of the fixture's device, reconstructed), followed by the fixture's
 * `show firewall`: hits come through the configuration's names. */
static const char lac_config[] =
	"set firewall family inet filter local-access-control term telnet from protocol tcp\n"
	"set firewall family inet filter local-access-control term telnet from destination-port telnet\n"
	"set firewall family inet filter local-access-control term telnet then count telnet-deny-count\n"
	"set firewall family inet filter local-access-control term telnet then discard\n"
	"set firewall family inet filter local-access-control term trace from protocol udp\n"
	"set firewall family inet filter local-access-control term trace from destination-port 33434-33534\n"
	"set firewall family inet filter local-access-control term trace then count traceroute-udp-deny-count\n"
	"set firewall family inet filter local-access-control term trace then discard\n"
	"set firewall family inet filter local-access-control term ntp from protocol udp\n"
	"set firewall family inet filter local-access-control term ntp from port ntp\n"
	"set firewall family inet filter local-access-control term ntp then count ntp-deny-count\n"
	"set firewall family inet filter local-access-control term ntp then discard\n"
	"set firewall family inet filter local-access-control term rest then count last_policer\n"
	"set firewall family inet filter local-access-control term rest then accept\n"
	"set interfaces lo0 unit 0 family inet filter input local-access-control\n";

static void attach_from_config(void **state)
{
	struct aclf_buf fix, text = ACLF_BUF_INIT, report = ACLF_BUF_INIT;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;

	(void)state;
	jt_read_fixture("ShowFirewall_golden_output_output.txt", &fix);
	aclf_buf_init(&text, 0);
	aclf_buf_init(&report, 0);
	assert_int_equal(aclf_buf_puts(&text, lac_config), 0);
	assert_int_equal(aclf_buf_puts(&text, fix.buf), 0);
	dp = jt_parse(pol, text.buf, &report);
	f = jt_filter(dp, "local-access-control");
	assert_string_equal(f->binding.name, "lo0.0");
	assert_int_equal(f->default_action, ACLF_PERMIT);
	assert_true(jt_find_rule(f, "telnet")->hits == 23);
	assert_true(jt_find_rule(f, "trace")->hits == 8350);
	/* `port ntp` made two rules; the counter goes to the first */
	assert_true(jt_find_rule(f, "ntp")->hits == 0);
	assert_true(jt_find_rule(f, "ntp#2")->hits == -1);
	/* the rest, reported */
	jt_assert_contains(report.buf, "filter 'local-access-control': counter 'last_policer' counts the "
				       "default action: 19016081 packets\n");
	jt_assert_contains(report.buf, "filter 'catch_all': counter 'cflow_counter_v4' (151730215 packets) "
				       "matches no rule\n");
	jt_assert_contains(report.buf, "filter 'local-access-control': counter 'fragment-test' (0 packets) "
				       "matches no rule\n");
	/* policers are not rule counters */
	assert_null(strstr(report.buf, "MINIMUM-RATE-POLICER"));
	aclf_buf_release(&fix);
	aclf_buf_release(&text);
	aclf_buf_release(&report);
	aclf_policy_free(pol);
}

/* A captured session: each output after the echoed prompt and command
 * ("user@host> show firewall"), "{master:0}" lines between; set and curly
 * configuration alike. */
static void prompt_echo(void **state)
{
	static const char set_form[] =
		"admin@r1> show configuration firewall | display set\n"
		"set firewall family inet filter F term t1 from protocol tcp\n"
		"set firewall family inet filter F term t1 then count t1c\n"
		"set firewall family inet filter F term t1 then accept\n"
		"\n{master:0}\n"
		"admin@r1> show firewall\n\n";
	static const char curly_form[] =
		"admin@r1.lab> show configuration firewall\n"
		"family inet {\n    filter F {\n        term t1 {\n"
		"            from {\n                protocol tcp;\n            }\n"
		"            then {\n                count t1c;\n                accept;\n"
		"            }\n        }\n    }\n}\n"
		"\n{master:0}\n"
		"admin@r1.lab> show firewall\n\n";
	static const char counters[] =
		"Filter: F\n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"t1c                                                   100                    7\n";
	const char *forms[] = { set_form, curly_form };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct aclf_buf text = ACLF_BUF_INIT, report = ACLF_BUF_INIT;
		struct aclf_policy *pol = aclf_policy_new();
		const struct aclf_filter *f;
		aclf_buf_init(&text, 0);
		aclf_buf_init(&report, 0);
		assert_int_equal(aclf_buf_puts(&text, forms[i]), 0);
		assert_int_equal(aclf_buf_puts(&text, counters), 0);
		f = jt_filter(jt_parse(pol, text.buf, &report), "F");
		assert_int_equal(f->nrules, 1);
		assert_int_equal(f->rules[0].protocol, ACLF_PROTO_TCP);
		assert_true(jt_find_rule(f, "t1")->hits == 7);
		aclf_buf_release(&text);
		aclf_buf_release(&report);
		aclf_policy_free(pol);
	}
	/* a prompt is "user@host>" or "user@host#" then blanks: a term named
	 * so elsewhere stays a term */
	assert_int_equal(junos_prompt_len("admin@r1> show firewall", 23), 10);
	assert_int_equal(junos_prompt_len("admin@r1# show", 14), 10);
	assert_int_equal(junos_prompt_len("set firewall family inet", 24), 0);
	assert_int_equal(junos_prompt_len("a@> x", 5), 0);
	assert_int_equal(junos_prompt_len("Filter: x>", 10), 0);
	assert_int_equal(junos_prompt_len("admin@r1> ", 10), 0); /* no command echoed */
}

/* counters of a rendered policy: counter = rule id, "-v6" in inet6 */
static void attach_by_convention(void **state)
{
	static const char show[] =
		"Filter: EDGE-OUT\n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"r0001                                                 900                   30\n"
		"r0003                                                   0                    0\n"
		"default-accept                                      12000                  100\n"
		"Filter: EDGE-OUT\n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"r0001-v6                                              400                   12\n"
		"r0002-v6                                               80                    1\n"
		"stale                                                  10                    1\n"
		"Filter: MGMT\n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"ssh                                                  5000                   50\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = jt_policy_mixed(pol);
	struct junos_counters c;
	struct aclf_buf report = ACLF_BUF_INIT;
	struct aclf_err err;
	size_t attached = 0;

	(void)state;
	junos_counters_init(&c);
	aclf_err_init(&err);
	aclf_buf_init(&report, 0);
	assert_int_equal(junos_counters_parse(show, strlen(show), "edge1", &c, &err), 0);
	dp->filters[0].rules[3].hits = 99; /* stale value: reset */
	assert_int_equal(junos_counters_attach(dp, &c, NULL, &report, &attached, &err), 0);
	assert_true(dp->filters[0].rules[0].hits == 42); /* inet 30 + inet6 12 */
	assert_true(dp->filters[0].rules[1].hits == 1);
	assert_true(dp->filters[0].rules[2].hits == 0);
	assert_true(dp->filters[0].rules[3].hits == -1);
	/* MGMT is bound twice; both carry the one filter's counter */
	assert_true(dp->filters[1].rules[0].hits == 50);
	assert_true(dp->filters[2].rules[0].hits == 50);
	assert_int_equal(attached, 5);
	jt_assert_contains(report.buf, "counter 'default-accept' counts the default action: 100 packets");
	jt_assert_contains(report.buf, "counter 'stale' (1 packets) matches no rule");
	aclf_buf_release(&report);
	aclf_err_release(&err);
	junos_counters_release(&c);
	aclf_policy_free(pol);
}

/* interface-specific filters: "F-IFNAME-i" and "C-IFNAME-i" */
static void attach_interface_specific(void **state)
{
	static const char show[] =
		"Filter: ACLF-GE-0-0-1-0-IN-ge-0/0/1.0-i\n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"r0002-ge-0/0/1.0-i                                    700                    7\n"
		"r0004-ge-0/0/2.0-i                                    700                    7\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = jt_policy_v4(pol);
	struct junos_counters c;
	struct aclf_buf report = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	junos_counters_init(&c);
	aclf_err_init(&err);
	aclf_buf_init(&report, 0);
	assert_int_equal(junos_counters_parse(show, strlen(show), "core1", &c, &err), 0);
	assert_int_equal(junos_counters_attach(dp, &c, NULL, &report, NULL, &err), 0);
	assert_true(dp->filters[0].rules[1].hits == 7);
	assert_true(dp->filters[0].rules[3].hits == -1);
	jt_assert_contains(report.buf, "counter 'r0004-ge-0/0/2.0-i' (7 packets) matches no rule");
	aclf_buf_release(&report);
	aclf_err_release(&err);
	junos_counters_release(&c);
	aclf_policy_free(pol);
}

/* render, then parse the configuration with counters appended */
static void attach_after_render(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *back = aclf_policy_new();
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_err err;
	struct aclf_devpol *dp;
	const struct aclf_filter *f;

	(void)state;
	aclf_buf_init(&text, 0);
	aclf_err_init(&err);
	assert_int_equal(junos_render(jt_policy_mixed(pol), &text, &err), 0);
	assert_int_equal(aclf_buf_puts(&text,
		"\nshow firewall filter EDGE-OUT\n\n"
		"Filter: EDGE-OUT                                               \n"
		"Counters:\n"
		"Name                                                Bytes              Packets\n"
		"r0004                                                 100                    2\n"
		"r0004-v6                                              100                    3\n"), 0);
	dp = jt_parse(back, text.buf, NULL);
	f = jt_filter(dp, "EDGE-OUT");
	assert_true(jt_find_rule(f, "r0004")->hits == 5);
	assert_true(jt_find_rule(f, "r0001")->hits == -1);
	aclf_buf_release(&text);
	aclf_err_release(&err);
	aclf_policy_free(back);
	aclf_policy_free(pol);
}

static void counters_malformed(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} cases[] = {
		{ "Counters:\n", 1, "before any 'Filter:'" },
		{ "Filter: F\nCounters:\nc 1 2\n", 3, "expected the 'Name Bytes Packets' header" },
		{ "Filter: F\nCounters:\nName Bytes Packets\nc 1 x\n", 4, "expected 'NAME BYTES PACKETS'" },
		{ "Filter: F\nCounters:\nName Bytes Packets\nc 99999999999999999999999 1\n", 4, "NAME BYTES PACKETS" },
		{ "Filter: F\nCounters:\nName Bytes Packets\n1 2\n", 4, "NAME BYTES PACKETS" },
		{ "Filter: F\nCounters:\nName Bytes Packets\nc 1 2\nuser@fw> \n", 5, "NAME BYTES PACKETS" },
		{ "Filter: F\nCoun\n", 2, "unexpected line" },
		{ "Filter:\n", 1, "without a name" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct junos_counters c;
		struct aclf_err err;
		junos_counters_init(&c);
		aclf_err_init(&err);
		if (junos_counters_parse(cases[i].text, strlen(cases[i].text), "fw", &c, &err) == 0)
			fail_msg("case %zu should fail", i);
		if (err.line != cases[i].line)
			fail_msg("case %zu: line %u: %s", i, err.line, aclf_err_text(&err));
		jt_assert_contains(aclf_err_text(&err), cases[i].msg);
		aclf_err_release(&err);
		junos_counters_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_show_firewall),
		cmocka_unit_test(parse_counter_filter),
		cmocka_unit_test(attach_from_config),
		cmocka_unit_test(prompt_echo),
		cmocka_unit_test(attach_by_convention),
		cmocka_unit_test(attach_interface_specific),
		cmocka_unit_test(attach_after_render),
		cmocka_unit_test(counters_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
