/* IOS render: golden output (tests/fixtures/ios/render_lync.expected;
 * golden.h: ACLF_REGEN=1 rewrites it), determinism, the forms chosen, and
 * what IOS cannot express being refused with the rule named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/driver.h"
#include "drivers.h"
#include "golden.h"
#include "ios/ios.h"
#include "ios_test_policy.h"

static char *render(const struct aclf_devpol *dp)
{
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	if (aclf_driver_render(&aclf_driver_ios, dp, NULL, &out, &err) != 0)
		fail_msg("render failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return aclf_buf_detach(&out, NULL);
}

static void golden(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	char *text = render(ios_lync_device(pol));

	(void)state;
	golden_check("ios", "render_lync.expected", text);
	free(text);
	aclf_policy_free(pol);
}

static void deterministic(void **state)
{
	struct aclf_policy *a = aclf_policy_new(), *b = aclf_policy_new();
	char *x = render(ios_lync_device(a)), *y = render(ios_lync_device(b)), *z;

	(void)state;
	assert_string_equal(x, y);
	z = render(&a->devices[0]);
	assert_string_equal(x, z);
	free(x);
	free(y);
	free(z);
	aclf_policy_free(a);
	aclf_policy_free(b);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void forms(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	char *t = render(ios_lync_device(pol));

	(void)state;
	/* named set of several prefixes: a network object-group, IPv4 part */
	assert_true(has_line(t, "object-group network clients_phones"));
	assert_true(has_line(t, " 10.20.0.0 255.255.0.0"));
	assert_true(has_line(t, " host 10.1.1.11"));
	assert_true(has_line(t, " permit tcp object-group clients_phones object-group fe-berlin eq 5061"));
	/* the IPv6 part of the same rule in the IPv6 list */
	assert_true(has_line(t, " permit tcp 2001:db8:20::/48 host 2001:db8:1::11 eq 5061"));
	/* several port ranges: a service object-group */
	assert_true(has_line(t, " udp eq 3478"));
	assert_true(has_line(t, " udp range 50000 59999"));
	assert_true(has_line(t, " udp source range 50040 50059 range 1024 65535"));
	/* established cannot go with a service group: one ACE per range */
	assert_true(has_line(t, " permit tcp host 10.1.2.11 eq 443 object-group fe-berlin established"));
	assert_true(has_line(t, " permit tcp host 10.1.2.11 range 5061 5062 object-group fe-berlin established"));
	assert_true(has_line(t, " permit icmp any 10.1.1.0 0.0.0.255"));
	assert_true(has_line(t, " permit gre host 192.0.2.1 host 10.1.1.11"));
	assert_true(has_line(t, " permit icmp any 2001:db8:1::/64"));
	/* remarks name the seed rows */
	assert_true(has_line(t, " remark r0001 server-03 (server table row 3)"));
	assert_true(has_line(t, " remark r0003 return server-07 (server table row 7)"));
	assert_true(has_line(t, " remark r0004 ping the front-end VLAN"));
	/* explicit default per family, bindings for both */
	assert_true(has_line(t, " deny ip any any"));
	assert_true(has_line(t, " deny ipv6 any any"));
	assert_true(has_line(t, " permit ipv6 any any"));
	assert_true(has_line(t, "ipv6 access-list ACLF-VLAN110-IN-V6"));
	assert_true(has_line(t, " ip access-group ACLF-VLAN110-IN in"));
	assert_true(has_line(t, " ipv6 traffic-filter ACLF-VLAN110-OUT-V6 out"));
	/* groups come before the lists that use them */
	assert_true(strstr(t, "object-group network") < strstr(t, "ip access-list extended"));
	free(t);
	aclf_policy_free(pol);
}

static void long_remark(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "d", "ios");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "L");
	struct aclf_rule *r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP);
	char *t;
	const char *p;

	(void)state;
	r->src = ios_set(pol, "10.0.0.0/8", NULL);
	r->dst = ios_set(pol, "10.1.0.0/16", NULL);
	r->comment = "line one\nline two";
	for (int i = 0; i < 30; i++) {
		char ref[32];
		snprintf(ref, sizeof(ref), "server-%02d", i);
		aclf_rule_add_prov(pol, r, "catalog", aclf_arena_strdup(&pol->arena, ref));
	}
	t = render(dp);
	p = strstr(t, " remark r0001");
	assert_non_null(p);
	assert_true(strchr(p, '\n') - p <= (long)strlen(" remark ") + 100);
	assert_non_null(strstr(p, "...\n"));
	free(t);
	aclf_policy_free(pol);
}

static void remark_text(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "d", "ios");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "R");
	struct aclf_rule *r = ios_rule(pol, f, "r0007", ACLF_PERMIT, ACLF_PROTO_TCP);
	char out[IOS_REMARK_MAX + 1];

	(void)state;
	aclf_rule_add_prov(pol, r, "catalog", "server-03");
	aclf_rule_add_prov(pol, r, "seed", "server:3");
	aclf_rule_add_prov(pol, r, "role", "front-end");
	aclf_rule_add_prov(pol, r, "catalog", "hlb-02");
	aclf_rule_add_prov(pol, r, "seed", "hlb:2");
	aclf_rule_add_prov(pol, r, "catalog", "server-11");
	aclf_rule_add_prov(pol, r, "seed", "server:11");
	aclf_rule_add_prov(pol, r, "pool", "fe-berlin");
	ios_remark_text(r, out, sizeof(out));
	assert_string_equal(out, "r0007 server-03 hlb-02 server-11 (server table rows 3, 11; hlb table row 2)");
	r->id = NULL;
	r->nprov = 0;
	ios_remark_text(r, out, sizeof(out));
	assert_string_equal(out, "");
	r->comment = "  why\tnot  ";
	ios_remark_text(r, out, sizeof(out));
	assert_string_equal(out, "why not");
	{
		char big[700];
		memset(big, 'x', 600);
		big[600] = '\0';
		r->comment = big;
		ios_remark_text(r, out, sizeof(out));
		assert_int_equal(strlen(out), IOS_REMARK_MAX);
		assert_string_equal(out + IOS_REMARK_MAX - 3, "...");
		memset(big, ' ', 600);
		memcpy(big + 590, "abc", 3);
		ios_remark_text(r, out, sizeof(out));
		assert_string_equal(out, "...");
		memset(big, ' ', 600);
		memcpy(big + 500, "abc", 3);
		ios_remark_text(r, out, sizeof(out));
		assert_true(strncmp(out, "abc", 3) == 0 || strcmp(out, "...") == 0);
	}
	aclf_policy_free(pol);
}

/* render fails, naming the rule, and writes nothing */
static void refused(struct aclf_devpol *dp, const char *what)
{
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_render(&aclf_driver_ios, dp, NULL, &out, &err), -1);
	if (!strstr(aclf_err_text(&err), what))
		fail_msg("want '%s', got: %s", what, aclf_err_text(&err));
	assert_int_equal(out.len, 0);
	aclf_err_release(&err);
	aclf_buf_release(&out);
}

static struct aclf_rule *one_rule(struct aclf_policy *pol, struct aclf_devpol **dp, int proto)
{
	struct aclf_filter *f;
	struct aclf_rule *r;

	*dp = aclf_policy_add_device(pol, "d", "ios");
	f = aclf_devpol_add_filter(pol, *dp, "F");
	r = ios_rule(pol, f, "r0042", ACLF_PERMIT, proto);
	r->src = ios_set(pol, "10.0.0.0/8", NULL);
	r->dst = ios_set(pol, "10.1.0.0/16", NULL);
	return r;
}

static void refusals(void **state)
{
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
	struct aclf_rule *r;

	(void)state;
	pol = aclf_policy_new();
	r = one_rule(pol, &dp, ACLF_PROTO_ICMP);
	r->dst_ports = ios_ports(pol, 80, 80, -1);
	refused(dp, "rule 'r0042': destination ports on protocol 'icmp'");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	r = one_rule(pol, &dp, ACLF_PROTO_ANY);
	r->src_ports = ios_ports(pol, 1024, 2000, -1);
	refused(dp, "source ports on protocol 'any'");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	r = one_rule(pol, &dp, ACLF_PROTO_UDP);
	r->established = true;
	refused(dp, "'established' needs protocol tcp");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	r = one_rule(pol, &dp, ACLF_PROTO_TCP);
	r->dst = ios_set(pol, "2001:db8::/32", NULL);
	refused(dp, "share no address family");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	r = one_rule(pol, &dp, 300);
	refused(dp, "protocol out of range");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	one_rule(pol, &dp, ACLF_PROTO_TCP);
	dp->filters[0].binding.kind = ACLF_BIND_CHAIN;
	dp->filters[0].binding.name = "input";
	refused(dp, "bound to chain 'input'");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	one_rule(pol, &dp, ACLF_PROTO_TCP);
	dp->filters[0].name = "1BAD NAME";
	refused(dp, "filter name '1BAD NAME' is not an ios acl name");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	one_rule(pol, &dp, ACLF_PROTO_TCP);
	dp->filters[0].binding.kind = ACLF_BIND_INTERFACE;
	dp->filters[0].binding.name = "Vlan1";
	dp->filters[0].binding.direction = ACLF_DIR_IN;
	{
		struct aclf_filter *g = aclf_devpol_add_filter(pol, dp, "G");
		g->binding = dp->filters[0].binding;
	}
	refused(dp, "both bound to 'Vlan1' in");
	aclf_policy_free(pol);

	pol = aclf_policy_new();
	one_rule(pol, &dp, ACLF_PROTO_TCP);
	aclf_devpol_add_filter(pol, dp, "F");
	refused(dp, "two different filters named 'F'");
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(forms),
		cmocka_unit_test(long_remark),
		cmocka_unit_test(remark_text),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
