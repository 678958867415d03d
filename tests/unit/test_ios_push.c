/* IOS apply's text handling (drivers/ios/ios_push.c, included for its
 * statics): the refusal grammar, and the split of a plan into what load
 * sends and what rollback needs, against a running configuration with
 * nested object-groups. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ios/ios_push.c"

/* version A bound; P nests C1 and C2, both P and C1 used by the list; C2
 * only nested in P; K nested in P and in the kept group KEEP */
static const char run_text[] =
	"Building configuration...\n"
	"hostname sw1\n"
	"object-group network C1\n"
	" host 198.18.0.1\n"
	"object-group network C2\n"
	" host 198.18.0.2\n"
	"object-group network K\n"
	" host 198.18.0.3\n"
	"object-group network P\n"
	" group-object C1\n"
	" group-object C2\n"
	" group-object K\n"
	"object-group network KEEP\n"
	" group-object K\n"
	"interface Vlan110\n"
	" ip access-group F out\n"
	"!\n"
	"ip access-list extended F\n"
	" permit tcp object-group P object-group C1 eq 22\n"
	"ip access-list extended OTHER\n"
	" permit ip object-group KEEP any\n"
	"end\n";

/* the plan's removals in the order the plan finds them (C1 before P) */
static const char plan_text[] =
	"! aclforge: ios configuration for device sw1\n"
	"object-group network C1.B\n"
	" host 198.18.0.1\n"
	"object-group network P.B\n"
	" group-object C1.B\n"
	"!\n"
	"ip access-list extended F.B\n"
	" permit tcp object-group P.B object-group C1.B eq 22\n"
	"interface Vlan110\n"
	" ip access-group F.B out\n"
	"!\n"
	"no ip access-list extended F\n"
	"no object-group network C1\n"
	"no object-group network P\n";

static const char *after(const char *text, const char *line)
{
	const char *p = strstr(text, line);

	if (!p)
		fail_msg("no line '%s' in:\n%s", line, text);
	return p;
}

static void split_orders_nesting_first(void **state)
{
	struct aclf_buf plan = ACLF_BUF_INIT, load = ACLF_BUF_INIT, st = ACLF_BUF_INIT;

	(void)state;
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&load, 0);
	aclf_buf_init(&st, 0);
	aclf_buf_puts(&plan, plan_text);
	assert_int_equal(split(&plan, run_text, &load, &st), 0);
	/* no comments; the swap before every removal; the list, then P
	 * (nesting), then C1 and C2 (C2 nested only in P); K stays (KEEP) */
	assert_null(strstr(load.buf, "!"));
	assert_true(after(load.buf, " ip access-group F.B out\n") <
		    after(load.buf, "no ip access-list extended F\n"));
	assert_true(after(load.buf, "no ip access-list extended F\n") <
		    after(load.buf, "no object-group network P\n"));
	assert_true(after(load.buf, "no object-group network P\n") <
		    after(load.buf, "no object-group network C1\n"));
	assert_true(after(load.buf, "no object-group network P\n") <
		    after(load.buf, "no object-group network C2\n"));
	assert_null(strstr(load.buf, "no object-group network K\n"));
	assert_null(strstr(load.buf, "no object-group network KEEP\n"));
	assert_null(strstr(load.buf, "OTHER"));
	/* rollback: C1, C2 before P (as the device printed them), the list,
	 * then the old binding, then the new list before the new groups, P.B
	 * before C1.B */
	assert_true(after(st.buf, "N object-group network C1\nM  host 198.18.0.1\n") <
		    after(st.buf, "N object-group network P\nM  group-object C1\n"));
	assert_true(after(st.buf, "N object-group network C2\n") <
		    after(st.buf, "N object-group network P\n"));
	assert_true(after(st.buf, "N object-group network P\n") <
		    after(st.buf, "N ip access-list extended F\nM  permit tcp object-group P"));
	assert_true(after(st.buf, "N ip access-list extended F\n") <
		    after(st.buf, "R interface Vlan110\nR  ip access-group F out\n"));
	assert_true(after(st.buf, "R  ip access-group F out\n") <
		    after(st.buf, "R no ip access-list extended F.B\n"));
	assert_true(after(st.buf, "R no ip access-list extended F.B\n") <
		    after(st.buf, "R no object-group network P.B\n"));
	assert_true(after(st.buf, "R no object-group network P.B\n") <
		    after(st.buf, "R no object-group network C1.B\n"));
	assert_null(strstr(st.buf, "N object-group network K\n"));
	aclf_buf_release(&plan);
	aclf_buf_release(&load);
	aclf_buf_release(&st);
}

/* The plan command shows what load sends: the groups only removed groups
 * nest (C2, which the plan does not name: the parser flattens nesting)
 * listed too, in the order load sends them; the core's wrapper gives the
 * same through the registry, and a driver without the op gets its plan
 * back as it is. */
static void script_is_what_load_sends(void **state)
{
	struct aclf_buf plan = ACLF_BUF_INIT, load = ACLF_BUF_INIT, st = ACLF_BUF_INIT;
	struct aclf_buf out = ACLF_BUF_INIT, viareg = ACLF_BUF_INIT, same = ACLF_BUF_INIT;
	const struct aclf_driver *nft = aclf_driver_find("nftables");
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&load, 0);
	aclf_buf_init(&st, 0);
	aclf_buf_init(&out, 0);
	aclf_buf_init(&viareg, 0);
	aclf_buf_init(&same, 0);
	aclf_buf_puts(&plan, plan_text);
	assert_null(strstr(plan_text, "no object-group network C2\n"));
	assert_int_equal(split(&plan, run_text, &load, &st), 0);
	assert_int_equal(ios_script(&plan, run_text, NULL, &out, &err), 0);
	assert_string_equal(out.buf, load.buf);
	assert_non_null(strstr(out.buf, "no object-group network C2\n"));
	assert_int_equal(aclf_driver_script(aclf_driver_find("ios"), &plan, run_text, NULL, &viareg,
					    &err), 0);
	assert_string_equal(viareg.buf, load.buf);
	/* nothing on the device: the plan's lines without comments */
	aclf_buf_reset(&out);
	assert_int_equal(ios_script(&plan, NULL, NULL, &out, &err), 0);
	assert_non_null(strstr(out.buf, "ip access-list extended F.B\n"));
	assert_null(strstr(out.buf, "!"));
	assert_non_null(nft);
	assert_null(nft->ops->script);
	assert_int_equal(aclf_driver_script(nft, &plan, run_text, NULL, &same, &err), 0);
	assert_string_equal(same.buf, plan_text);
	assert_int_equal(err.count, 0);
	aclf_buf_release(&plan);
	aclf_buf_release(&load);
	aclf_buf_release(&st);
	aclf_buf_release(&out);
	aclf_buf_release(&viareg);
	aclf_buf_release(&same);
	aclf_err_release(&err);
}

/* A binding where there was none: rollback removes the new one. */
static void split_new_binding(void **state)
{
	struct aclf_buf plan = ACLF_BUF_INIT, load = ACLF_BUF_INIT, st = ACLF_BUF_INIT;

	(void)state;
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&load, 0);
	aclf_buf_init(&st, 0);
	aclf_buf_puts(&plan, "ip access-list extended F\n permit ip any any\ninterface Vlan20\n"
			     " ip access-group F in\n ipv6 traffic-filter F-V6 in\n");
	assert_int_equal(split(&plan, "hostname sw1\ninterface Vlan20\n!\n", &load, &st), 0);
	assert_string_equal(load.buf, plan.buf);
	assert_string_equal(st.buf, "R interface Vlan20\nR  no ip access-group F in\n"
				    "R interface Vlan20\nR  no ipv6 traffic-filter F-V6 in\n"
				    "R no ip access-list extended F\n");
	aclf_buf_release(&plan);
	aclf_buf_release(&load);
	aclf_buf_release(&st);
}

/* A leftover of the new version's names, removed first by the plan:
 * rollback defines it again after removing the new list of that name. */
static void split_leftover(void **state)
{
	struct aclf_buf plan = ACLF_BUF_INIT, load = ACLF_BUF_INIT, st = ACLF_BUF_INIT;

	(void)state;
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&load, 0);
	aclf_buf_init(&st, 0);
	aclf_buf_puts(&plan, "no ip access-list extended F.B\nip access-list extended F.B\n"
			     " permit tcp any any\ninterface Vlan1\n ip access-group F.B in\n!\n"
			     "no ip access-list extended F\n");
	assert_int_equal(split(&plan, "interface Vlan1\n ip access-group F in\n!\n"
				      "ip access-list extended F\n deny ip any any\n"
				      "ip access-list extended F.B\n permit ip any any\n",
			       &load, &st),
			 0);
	assert_string_equal(load.buf, "no ip access-list extended F.B\nip access-list extended F.B\n"
				      " permit tcp any any\ninterface Vlan1\n ip access-group F.B in\n"
				      "no ip access-list extended F\n");
	assert_string_equal(st.buf, "N ip access-list extended F\nM  deny ip any any\n"
				    "R interface Vlan1\nR  ip access-group F in\n"
				    "R no ip access-list extended F.B\n"
				    "P ip access-list extended F.B\nM  permit ip any any\n");
	aclf_buf_release(&plan);
	aclf_buf_release(&load);
	aclf_buf_release(&st);
}

static void refusals(void **state)
{
	static const struct {
		const char *reply, *words;
	} cases[] = {
		{ "ip access-group X sideways\r\n                        ^\r\n"
		  "% Invalid input detected at '^' marker.\r\n",
		  "                        ^ / % Invalid input detected at '^' marker." },
		{ "ip access-list\r\n% Incomplete command.\r\n", "% Incomplete command." },
		{ "sh ip\r\n% Ambiguous command:  \"sh ip\"\r\n", "% Ambiguous command:  \"sh ip\"" },
		{ "no object-group network G\r\n% Object-group G is being used\r\n",
		  "% Object-group G is being used" },
		/* not refusals: syslog, the word error, a remark */
		{ "end\r\n%SYS-5-CONFIG_I: Configured from console by netops\r\n", NULL },
		{ "show logging\r\nerror: nothing\r\n remark % of error\r\n", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_buf w = ACLF_BUF_INIT;

		aclf_buf_init(&w, 0);
		assert_int_equal(refusal(cases[i].reply, &w), cases[i].words != NULL);
		if (cases[i].words)
			assert_string_equal(w.buf, cases[i].words);
		aclf_buf_release(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_orders_nesting_first),
		cmocka_unit_test(script_is_what_load_sends),
		cmocka_unit_test(split_new_binding),
		cmocka_unit_test(split_leftover),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
