/* nftables driver: the text form. Fixtures are the golden renderings
 * (render_<case>.nft) and what the real nft 1.0.6 printed after loading
 * them (`nft list ruleset`: list_<case>.txt, `nft -a list ruleset`:
 * lista_<case>.txt; tests/fixtures/nftables/capture.sh, SOURCES.md).
 * Each reads back to its case; the -a listing gives exactly what the JSON
 * listing gives (handles, hits, names); errors name LABEL:LINE:COL:; every
 * cut inside the table is refused. */
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
	char *path = NULL;

	aclf_buf_init(&b, 0);
	if (asprintf(&path, "%s/nftables/%s", dir ? dir : "tests/fixtures", file) < 0)
		fail();
	if (aclf_buf_read_file(&b, path) < 0)
		fail_msg("cannot read %s", path);
	free(path);
	return aclf_buf_detach(&b, len);
}

static int parse(const char *text, size_t len, struct aclf_policy *p, struct aclf_devpol **dp,
		 struct aclf_err *err)
{
	return aclf_driver_parse(&aclf_driver_nftables, text, len,
				 &(struct aclf_parse_opts){ .name = "host1", .label = "host1.nft" }, p,
				 dp, err);
}

static void test_cases(void **state)
{
	static const char *const forms[] = { "render_%s.nft", "list_render_%s.txt",
					     "lista_render_%s.txt" };

	(void)state;
	for (size_t i = 0; tc_names[i]; i++)
		for (size_t k = 0; k < 3; k++) {
			struct aclf_policy *want = aclf_policy_new(), *got = aclf_policy_new();
			struct aclf_devpol *dp = NULL;
			struct aclf_err err;
			char file[80], why[256];
			size_t len;
			char *text;

			aclf_err_init(&err);
			snprintf(file, sizeof(file), forms[k], tc_names[i]);
			text = load(file, &len);
			if (parse(text, len, got, &dp, &err) < 0)
				fail_msg("%s: %s", file, aclf_err_text(&err));
			if (!tc_same_devpol(tc_build(want, tc_names[i]), dp, why, sizeof(why)))
				fail_msg("%s: %s", file, why);
			assert_int_equal(aclf_devpol_opaque_count(dp), 0);
			for (size_t f = 0; f < dp->nfilters; f++)
				for (size_t r = 0; r < dp->filters[f].nrules; r++) {
					const struct aclf_rule *x = &dp->filters[f].rules[r];
					assert_int_equal(x->hits, 0); /* counters declared, none counted */
					/* without handles the device name is the line */
					assert_true(k == 2 ? x->device_name[0] >= '1' &&
								     x->device_name[0] <= '9'
							   : !strncmp(x->device_name, "line", 4));
				}
			free(text);
			aclf_err_release(&err);
			aclf_policy_free(want);
			aclf_policy_free(got);
		}
}

/* The same table as JSON and as `nft -a list ruleset`: the same policy,
 * rule for rule, with the same device names (handles) and hits. */
static void test_same_as_json(void **state)
{
	static const char *const cases[][2] = {
		{ "hand_features.json", "lista_hand_features.txt" },
		{ "render_iface.json", "lista_render_iface.txt" },
		{ "render_mixed.json", "lista_render_mixed.txt" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_policy *pj = aclf_policy_new(), *pt = aclf_policy_new();
		struct aclf_devpol *dj = NULL, *dt = NULL;
		struct aclf_err err;
		char why[256];
		size_t lj, lt;
		char *tj = load(cases[i][0], &lj), *tt = load(cases[i][1], &lt);

		aclf_err_init(&err);
		if (parse(tj, lj, pj, &dj, &err) < 0 || parse(tt, lt, pt, &dt, &err) < 0)
			fail_msg("%s: %s", cases[i][1], aclf_err_text(&err));
		if (!tc_same_devpol(dj, dt, why, sizeof(why)))
			fail_msg("%s: %s", cases[i][1], why);
		for (size_t f = 0; f < dj->nfilters; f++) {
			assert_string_equal(dj->filters[f].name, dt->filters[f].name);
			assert_string_equal(dj->filters[f].binding.name, dt->filters[f].binding.name);
			for (size_t r = 0; r < dj->filters[f].nrules; r++) {
				const struct aclf_rule *a = &dj->filters[f].rules[r];
				const struct aclf_rule *b = &dt->filters[f].rules[r];
				assert_string_equal(a->device_name, b->device_name);
				assert_string_equal(a->id, b->id);
				assert_int_equal(a->hits, b->hits);
				assert_true(tc_str_eq(a->src_name, b->src_name));
				assert_true(tc_str_eq(a->dst_name, b->dst_name));
			}
		}
		free(tj);
		free(tt);
		aclf_err_release(&err);
		aclf_policy_free(pj);
		aclf_policy_free(pt);
	}
}

static void expect_error(const char *text, const char *expect)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;

	aclf_err_init(&err);
	if (parse(text, strlen(text), p, &dp, &err) == 0)
		fail_msg("'%s': parsed although it should not", text);
	if (!strstr(aclf_err_text(&err), expect))
		fail_msg("'%s': error '%s' lacks '%s'", text, aclf_err_text(&err), expect);
	assert_int_equal(p->ndevices, 0);
	assert_null(dp);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

#define T0 "table inet aclforge {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"

static void test_errors(void **state)
{
	static const char *const cases[][2] = {
		{ "table inet aclforge {\n", "host1.nft:1:1: table not closed" },
		{ T0 "\t\ttcp dport 22 acept\n\t}\n}\n", "host1.nft:4:16: unknown statement 'acept'" },
		{ T0 "\t\ttcp dport\n\t}\n}\n", "host1.nft:4:7: value expected" },
		{ T0 "\t\tip saddr { 10.0.0.1 10.0.0.2 } accept\n\t}\n}\n",
		  "host1.nft:4:23: ',' expected between set elements" },
		{ T0 "\t\tip saddr 10.0.0.0/40 accept\n\t}\n}\n",
		  "host1.nft:4:3: rule in chain 'input': malformed prefix" },
		{ T0 "\t\tip saddr @nosuch accept\n\t}\n}\n", "host1.nft:4:3: rule in chain 'input': "
							   "unknown set @nosuch" },
		{ T0 "\t\tip saddr 10.0.0.1 ip6 daddr ::1 accept # handle 7\n\t}\n}\n",
		  "host1.nft:4:3: rule handle 7 in chain 'input': mixes IPv4 and IPv6" },
		{ T0 "\t\ttcp dport 22 goto x\n\t}\n}\n", "unsupported verdict goto" },
		{ T0 "\t\tcomment \"x\n\t}\n}\n", "host1.nft:4:11: string not closed" },
		{ T0 "\t\ttcp dport 22 accept\n\t}\n}\nlist ruleset\n",
		  "host1.nft:7:1: unsupported command 'list'" },
		{ "include \"/etc/x\"\n", "host1.nft:1:1: unsupported command 'include'" },
		{ "table inet aclforge {\n\tset s {\n\t\tflags interval\n\t}\n}\n",
		  "host1.nft:2:2: set 's' without a type" },
		{ T0 "\t\tudp dport 53 \x01 accept\n", "host1.nft:4:16: unexpected byte 0x01" },
		{ "table inet aclforge {\n\tchain c {\n\t\ttcp dport 1 accept\n\t}\n\tchain c2 {\n"
		  "\t\ttype filter hook input priority 0; policy drop;\n\t\tjump c\n\t}\n}\n",
		  "host1.nft:7:3: rule in chain 'c2': jump outside" },
		{ "", "no text" },
		{ "# only a comment\n", "no construct found" },
		/* a set given more elements after a rule used it: refused, not
		 * the rule left with the smaller set */
		{ "table inet aclforge {\n\tset web {\n\t\ttype inet_service\n\t\telements = { 80 }\n\t}\n"
		  "\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n"
		  "\t\ttcp dport @web accept\n\t}\n}\n"
		  "table inet aclforge {\n\tset web {\n\t\ttype inet_service\n\t\telements = { 443 }\n\t}\n}\n",
		  "set 'web' gets elements again after rules were read" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(cases[i][0], cases[i][1]);
}

/* Every cut of a listing inside its table is refused; a cut after the
 * table's closing brace reads the whole table. */
static void test_cuts(void **state)
{
	static const char *const files[] = { "lista_render_iface.txt", "render_mixed.nft" };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t len, last, first;
		char *text = load(files[k], &len);

		last = len;
		while (last > 0 && text[last - 1] != '}')
			last--;
		assert_true(last > 0);
		/* the table statement that loads the policy: a cut before it leaves
		 * complete statements that hold no filter */
		first = len;
		for (const char *at = text; (at = strstr(at, "table inet aclforge {")) != NULL; at++)
			if (at[21] != '}')
				first = (size_t)(at - text);
		assert_true(first < last);
		for (size_t cut = 0; cut < len; cut++) {
			struct aclf_policy *p = aclf_policy_new();
			struct aclf_devpol *dp = NULL;
			struct aclf_err err;
			int rc;

			aclf_err_init(&err);
			rc = parse(text, cut, p, &dp, &err);
			if (cut > first && cut < last && rc == 0)
				fail_msg("%s cut at %zu parsed", files[k], cut);
			if (cut <= first && rc == 0)
				assert_int_equal(dp->nfilters, 0);
			if (cut >= last && rc < 0)
				fail_msg("%s cut at %zu: %s", files[k], cut, aclf_err_text(&err));
			if (rc < 0)
				assert_int_equal(p->ndevices, 0);
			aclf_err_release(&err);
			aclf_policy_free(p);
		}
		free(text);
	}
}

/* What nft -f also reads: several blocks of one table join, `delete table`
 * and `flush ruleset` forget what came before, other tables are skipped
 * whole (braces in their strings included), `typeof` sets, multi-line
 * elements, service names, anonymous counters with counts. */
static void test_forms(void **state)
{
	static const char *const text =
		"table ip other { chain x { type filter hook input priority 0; comment \"{\"; } }\n"
		"table inet aclforge { chain input { type filter hook input priority filter; policy accept; "
		"tcp dport 1 drop; } }\n"
		"flush ruleset\n"
		"table inet aclforge {\n"
		"\tset web {\n\t\ttypeof tcp dport\n\t\telements = { 80,\n\t\t\t     443 }\n\t}\n"
		"\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"
		"\t\ttcp dport @web counter packets 9 bytes 900 accept\n\t}\n}\n"
		"table inet aclforge {\n\tchain input {\n\t\tudp dport domain accept comment \"dns\"\n\t}\n}\n";
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	const struct aclf_filter *f;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	if (parse(text, strlen(text), p, &dp, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(dp->nfilters, 1);
	f = &dp->filters[0];
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 2);
	assert_int_equal(f->rules[0].hits, 9);
	assert_int_equal(f->rules[0].dst_ports.n, 2);
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 80);
	assert_int_equal(f->rules[0].dst_ports.v[1].lo, 443);
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_UDP);
	assert_int_equal(f->rules[1].dst_ports.v[0].lo, 53);
	assert_string_equal(f->rules[1].comment, "dns");
	aclf_err_release(&err);
	aclf_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),	   cmocka_unit_test(test_same_as_json),
		cmocka_unit_test(test_errors),	   cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
