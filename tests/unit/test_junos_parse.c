/* Junos parse: the Batfish grammar fixtures (set and curly), features of
 * the set and curly forms, and malformed text failing at the right line. */
#include "junos_testutil.h"

/* Lines first..last (1-based, inclusive) of text, heap copy. */
static char *lines(const char *text, unsigned first, unsigned last)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	unsigned n = 1;

	aclf_buf_init(&b, 0);
	for (const char *p = text; *p; n++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (n >= first && n <= last)
			assert_int_equal(aclf_buf_add(&b, p, len), 0);
		p += len;
	}
	return aclf_buf_detach(&b, NULL);
}

/* Lines containing any of the words in `keep` (NULL-terminated). */
static char *grep(const char *text, const char *const *keep)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		char *line = strndup(p, len);
		for (size_t k = 0; keep[k]; k++)
			if (strstr(line, keep[k])) {
				assert_int_equal(aclf_buf_add(&b, p, len), 0);
				break;
			}
		free(line);
		p += len;
	}
	return aclf_buf_detach(&b, NULL);
}

static void fixture_nested_curly(void **state)
{
	struct aclf_buf in;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	const struct aclf_rule *r;

	(void)state;
	jt_read_fixture("junos_define-structure-from-nested_curly.cfg", &in);
	dp = jt_parse(pol, in.buf, NULL);
	assert_string_equal(dp->driver, "junos");
	assert_int_equal(dp->nfilters, 1);
	f = jt_filter(dp, "foo");
	assert_int_equal(f->binding.kind, ACLF_BIND_NONE);
	/* term "other" (then discard, no from) is the default action */
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 1);
	r = &f->rules[0];
	assert_string_equal(r->id, "default-deny-udp");
	assert_string_equal(r->device_name, "default-deny-udp");
	assert_int_equal(r->action, ACLF_DENY);
	assert_int_equal(r->protocol, ACLF_PROTO_UDP);
	jt_assert_pset(pol, &r->src, "0.0.0.0/0");
	jt_assert_pset(pol, &r->dst, "0.0.0.0/0");
	assert_string_equal(r->comment, "Count UDP denies.");
	assert_int_equal(r->hits, -1);
	aclf_buf_release(&in);
	aclf_policy_free(pol);
}

static void fixture_port_set(void **state)
{
	struct aclf_buf in;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;

	(void)state;
	jt_read_fixture("junos_firewall-filter-from-port_set.cfg", &in);
	dp = jt_parse(pol, in.buf, NULL);
	f = jt_filter(dp, "f1");
	/* port P (either direction) with source-port S and destination-port D,
	 * all {bgp, 0100, 1000-2000}: both expansions are the same rule */
	assert_int_equal(f->nrules, 1);
	assert_string_equal(f->rules[0].id, "t1");
	assert_int_equal(f->rules[0].protocol, ACLF_PROTO_ANY);
	/* a term without `then` accepts */
	assert_int_equal(f->rules[0].action, ACLF_PERMIT);
	jt_assert_ports(pol, &f->rules[0].src_ports, "100 179 1000-2000");
	jt_assert_ports(pol, &f->rules[0].dst_ports, "100 179 1000-2000");
	assert_int_equal(f->default_action, ACLF_DENY);
	aclf_buf_release(&in);
	aclf_policy_free(pol);
}

static void fixture_filters_set(void **state)
{
	struct aclf_buf in;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	char *txt, *msg;
	size_t nf2 = 0;

	(void)state;
	jt_read_fixture("junos_firewall-filters_set.cfg", &in);
	/* the whole file uses filter lists: refused at the first one */
	msg = jt_parse_fail(in.buf, 19);
	jt_assert_contains(msg, "input-list");
	free(msg);

	/* lines 1-15: three filters without family (inet), bindings */
	txt = lines(in.buf, 1, 15);
	dp = jt_parse(pol, txt, NULL);
	assert_int_equal(dp->nfilters, 4);
	f = &dp->filters[0];
	assert_string_equal(f->name, "FILTER1");
	assert_int_equal(f->binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(f->binding.name, "xe-0/0/0.0");
	assert_int_equal(f->binding.direction, ACLF_DIR_IN);
	/* the unit has no family inet6: IPv6 is not processed, like the
	 * filter's default */
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 1);
	assert_int_equal(f->rules[0].action, ACLF_PERMIT);
	jt_assert_pset(pol, &f->rules[0].src, "1.2.3.6/32");
	jt_assert_pset(pol, &f->rules[0].dst, "0.0.0.0/0");
	for (size_t i = 0; i < dp->nfilters; i++) {
		f = &dp->filters[i];
		if (strcmp(f->name, "FILTER2"))
			continue;
		nf2++;
		assert_string_equal(f->binding.name, "xe-0/0/1.0");
		assert_int_equal(f->binding.direction, nf2 == 1 ? ACLF_DIR_IN : ACLF_DIR_OUT);
		/* reject is a deny */
		assert_int_equal(f->rules[0].action, ACLF_DENY);
		jt_assert_pset(pol, &f->rules[0].src, "1.2.3.5/32 1.2.3.6/32");
	}
	assert_int_equal(nf2, 2);
	f = jt_filter(dp, "FILTER_UNUSED");
	assert_int_equal(f->binding.kind, ACLF_BIND_NONE);
	free(txt);

	/* binding a filter that is not defined */
	txt = lines(in.buf, 1, 17);
	msg = jt_parse_fail(txt, 17);
	jt_assert_contains(msg, "FILTER_UNDEF");
	free(msg);
	free(txt);
	{
		static const char *const v6[] = { "FILTER6_1", NULL };
		static const char *const frag[] = { "filter FILTER1 term", "FRAGMENT_OFFSET", NULL };
		txt = grep(in.buf, v6);
		/* FILTER6_1 is also in input-list lines */
		msg = jt_parse_fail(txt, 4);
		jt_assert_contains(msg, "filter lists are not supported");
		free(msg);
		free(txt);
		txt = grep(in.buf, frag);
		msg = jt_parse_fail(txt, 3);
		jt_assert_contains(msg, "unsupported match condition 'fragment-offset'");
		free(msg);
		free(txt);
	}
	{
		/* inet6 filters with next-header */
		txt = lines(in.buf, 53, 58);
		dp = jt_parse(pol, txt, NULL);
		f = jt_filter(dp, "FILTER6_1");
		assert_int_equal(f->binding.kind, ACLF_BIND_INTERFACE);
		assert_string_equal(f->binding.name, "xe-0/0/4.0");
		assert_int_equal(f->rules[0].protocol, ACLF_PROTO_TCP);
		jt_assert_pset(pol, &f->rules[0].src, "::/0");
		/* no family inet on xe-0/0/4.0: IPv4 is not processed (deny),
		 * as IPv6 beyond the filter's terms (implicit discard) */
		assert_int_equal(f->default_action, ACLF_DENY);
		assert_int_equal(f->nrules, 1);
		f = jt_filter(dp, "FILTER6_2");
		assert_int_equal(f->rules[0].protocol, ACLF_PROTO_UDP);
		free(txt);
	}
	aclf_buf_release(&in);
	aclf_policy_free(pol);
}

static void fixture_firewall_set(void **state)
{
	static const char *const keep[] = {
		"from destination-address", "blorp from source-address", "term prefix-list",
		"\"some term\"", NULL,
	};
	struct aclf_buf in;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	char *txt, *msg;

	(void)state;
	jt_read_fixture("junos_firewall_set.cfg", &in);
	msg = jt_parse_fail(in.buf, 7);
	jt_assert_contains(msg, "unsupported match condition 'ip-destination-address'");
	free(msg);

	txt = grep(in.buf, keep);
	dp = jt_parse(pol, txt, NULL);
	f = jt_filter(dp, "blah");
	assert_int_equal(f->nrules, 3);
	assert_string_equal(f->rules[0].id, "blorp");
	/* 1.2.3.4 and 1.2.3.5/32 aggregate */
	jt_assert_pset(pol, &f->rules[0].dst, "1.2.3.4/31");
	/* 5.5.5.5/31 except lies outside 2.4.6.8/30: no effect */
	jt_assert_pset(pol, &f->rules[0].src, "2.4.6.8/30");
	/* a keyword as term name, and a quoted term name */
	assert_string_equal(f->rules[1].id, "prefix-list");
	assert_string_equal(f->rules[2].id, "some term");
	assert_string_equal(f->rules[2].device_name, "some term");
	jt_assert_pset(pol, &f->rules[2].src, "1.2.3.4/32");
	assert_int_equal(f->default_action, ACLF_DENY);
	free(txt);
	aclf_buf_release(&in);
	aclf_policy_free(pol);
}

static void fixture_flatten_curly(void **state)
{
	struct aclf_buf in;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	char *msg, *a, *b, *txt;

	(void)state;
	jt_read_fixture("junos_gh-6149-flatten_curly.cfg", &in);
	msg = jt_parse_fail(in.buf, 45);
	jt_assert_contains(msg, "unsupported match condition 'ip-options'");
	free(msg);
	/* without filterA (ip-options, next term) the rest reads; groups and
	 * apply-groups are ignored */
	a = strstr(in.buf, "        filter filterA {");
	b = strstr(in.buf, "        filter filterB {");
	assert_non_null(a);
	assert_non_null(b);
	txt = strndup(in.buf, (size_t)(a - in.buf));
	txt = realloc(txt, strlen(txt) + strlen(b) + 1);
	memcpy(txt + strlen(txt), b, strlen(b) + 1);
	dp = jt_parse(pol, txt, NULL);
	assert_int_equal(dp->nfilters, 1);
	f = jt_filter(dp, "filterB");
	assert_int_equal(f->binding.kind, ACLF_BIND_NONE);
	assert_int_equal(f->nrules, 1);
	assert_string_equal(f->rules[0].id, "xyz");
	assert_int_equal(f->rules[0].action, ACLF_DENY);
	jt_assert_pset(pol, &f->rules[0].src, "0.0.0.0/8");
	free(txt);
	aclf_buf_release(&in);
	aclf_policy_free(pol);
}

/* got == a minus b */
static void assert_minus(struct aclf_policy *pol, const struct aclf_prefix_set *got, const char *a,
			 const char *b)
{
	struct aclf_prefix_set x = jt_pset(pol, a), y = jt_pset(pol, b), d;

	assert_int_equal(aclf_pset_subtract(&pol->arena, &x, &y, &d), 0);
	assert_true(aclf_pset_equal(got, &d));
	assert_false(aclf_pset_equal(got, &x));
}

static const char set_features[] =
	"## Last commit: 2024-01-01 10:00:00 UTC by netops\n"
	"{master:0}\n"
	"set system host-name fw1\n"
	"set policy-options prefix-list FE 10.1.1.11/32\n"
	"set policy-options prefix-list FE 10.1.1.12/32\n"
	"set policy-options prefix-list FE 2001:db8:1::11/128\n"
	"set policy-options prefix-list CLIENTS 10.20.0.0/16\n"
	"set firewall family inet filter IN term sip from source-prefix-list CLIENTS\n"
	"set firewall family inet filter IN term sip from destination-prefix-list FE\n"
	"set firewall family inet filter IN term sip from protocol tcp\n"
	"set firewall family inet filter IN term sip from destination-port [ 5061 5070-5072 ]\n"
	"set firewall family inet filter IN term sip then count sip\n"
	"set firewall family inet filter IN term sip then accept\n"
	"set firewall family inet filter IN term dns from source-address 0.0.0.0/0\n"
	"set firewall family inet filter IN term dns from source-address 10.66.0.0/16 except\n"
	"set firewall family inet filter IN term dns from protocol [ tcp udp ]\n"
	"set firewall family inet filter IN term dns from port domain\n"
	"set firewall family inet filter IN term dns then accept\n"
	"set firewall family inet filter IN term ret from protocol tcp\n"
	"set firewall family inet filter IN term ret from tcp-flags \"(ack | rst)\"\n"
	"set firewall family inet filter IN term ret from source-port https\n"
	"set firewall family inet filter IN term ret then log\n"
	"set firewall family inet filter IN term ret then accept\n"
	"set firewall family inet filter IN term old from protocol udp\n"
	"set firewall family inet filter IN term old then accept\n"
	"set firewall family inet filter IN term hi from destination-port-except 0-1023\n"
	"set firewall family inet filter IN term hi from protocol udp\n"
	"set firewall family inet filter IN term hi then reject port-unreachable\n"
	"set firewall family inet filter IN term hi then syslog\n"
	"set firewall family inet filter IN term last then count last\n"
	"set firewall family inet filter IN term last then discard\n"
	"set firewall family inet filter IN interface-specific\n"
	"set interfaces ge-0/0/1 unit 10 family inet filter input IN\n"
	"deactivate firewall family inet filter IN term old\n";

static void set_form(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	const struct aclf_rule *r;

	(void)state;
	dp = jt_parse(pol, set_features, NULL);
	f = jt_filter(dp, "IN");
	assert_int_equal(f->binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(f->binding.name, "ge-0/0/1.10");
	assert_int_equal(f->default_action, ACLF_DENY);
	r = jt_find_rule(f, "sip");
	assert_string_equal(r->src_name, "CLIENTS");
	assert_string_equal(r->dst_name, "FE");
	jt_assert_pset(pol, &r->src, "10.20.0.0/16");
	/* the family inet filter takes the list's IPv4 members */
	jt_assert_pset(pol, &r->dst, "10.1.1.11/32 10.1.1.12/32");
	jt_assert_ports(pol, &r->dst_ports, "5061 5070-5072");
	assert_int_equal(r->src_ports.n, 0);
	/* dns: 2 protocols x `port` both ways = 4 rules */
	assert_int_equal(jt_find_rule(f, "dns")->protocol, ACLF_PROTO_TCP);
	jt_assert_ports(pol, &jt_find_rule(f, "dns")->src_ports, "53");
	assert_int_equal(jt_find_rule(f, "dns")->dst_ports.n, 0);
	jt_assert_ports(pol, &jt_find_rule(f, "dns#2")->dst_ports, "53");
	assert_int_equal(jt_find_rule(f, "dns#3")->protocol, ACLF_PROTO_UDP);
	assert_string_equal(jt_find_rule(f, "dns#4")->device_name, "dns");
	assert_minus(pol, &jt_find_rule(f, "dns#4")->src, "0.0.0.0/0", "10.66.0.0/16");
	r = jt_find_rule(f, "ret");
	assert_true(r->established);
	jt_assert_ports(pol, &r->src_ports, "443");
	/* deactivated term is not there */
	for (size_t i = 0; i < f->nrules; i++)
		assert_true(!f->rules[i].device_name || strcmp(f->rules[i].device_name, "old"));
	r = jt_find_rule(f, "hi");
	assert_int_equal(r->action, ACLF_DENY);
	jt_assert_ports(pol, &r->dst_ports, "1024-65535");
	/* sip, 4 x dns, ret, hi; the unit has no inet6 */
	assert_int_equal(f->nrules, 7);
	aclf_policy_free(pol);
}

static const char curly_features[] =
	"## Last changed: 2024-01-01 10:00:00 UTC\n"
	"version 21.4R3;\n"
	"policy-options {\n"
	"    prefix-list FE {\n"
	"        10.1.1.11/32;\n"
	"        2001:db8:1::11/128;\n"
	"    }\n"
	"}\n"
	"firewall {\n"
	"    family inet {\n"
	"        replace:\n"
	"        filter EDGE {\n"
	"            /* SIP to the front ends */\n"
	"            term sip {\n"
	"                from {\n"
	"                    destination-prefix-list {\n"
	"                        FE;\n"
	"                    }\n"
	"                    protocol tcp;\n"
	"                    destination-port [ 5061 5070-5072 ];\n"
	"                }\n"
	"                then {\n"
	"                    count sip;\n"
	"                    accept;\n"
	"                }\n"
	"            }\n"
	"            inactive: term off {\n"
	"                then accept;\n"
	"            }\n"
	"            term web {\n"
	"                from {\n"
	"                    source-address {\n"
	"                        10.0.0.0/8;\n"
	"                        10.9.0.0/16 except;\n"
	"                        inactive: 10.10.0.0/16 except;\n"
	"                    }\n"
	"                    protocol tcp;\n"
	"                    destination-port https; # web\n"
	"                }\n"
	"                then accept;\n"
	"            }\n"
	"            term default-deny {\n"
	"                then {\n"
	"                    count default-deny;\n"
	"                    discard;\n"
	"                }\n"
	"            }\n"
	"        }\n"
	"    }\n"
	"    family inet6 {\n"
	"        filter EDGE {\n"
	"            term sip {\n"
	"                from {\n"
	"                    destination-prefix-list FE;\n"
	"                    next-header tcp;\n"
	"                    destination-port [ 5061 5070-5072 ];\n"
	"                }\n"
	"                then accept;\n"
	"            }\n"
	"            term all6 {\n"
	"                then accept;\n"
	"            }\n"
	"        }\n"
	"    }\n"
	"}\n"
	"interfaces {\n"
	"    ge-0/0/2 {\n"
	"        unit 0 {\n"
	"            family inet {\n"
	"                filter {\n"
	"                    output EDGE;\n"
	"                }\n"
	"                address 192.0.2.1/24;\n"
	"            }\n"
	"            family inet6 {\n"
	"                filter {\n"
	"                    output EDGE;\n"
	"                }\n"
	"            }\n"
	"        }\n"
	"    }\n"
	"}\n";

static void curly_form(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	const struct aclf_filter *f;
	const struct aclf_rule *r;

	(void)state;
	dp = jt_parse(pol, curly_features, NULL);
	assert_int_equal(dp->nfilters, 1);
	f = jt_filter(dp, "EDGE");
	assert_string_equal(f->binding.name, "ge-0/0/2.0");
	assert_int_equal(f->binding.direction, ACLF_DIR_OUT);
	/* inet default discard; inet6's last term accepts: an extra rule */
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 3);
	r = &f->rules[0];
	/* sip in both families with the same conditions: one rule */
	assert_string_equal(r->id, "sip");
	assert_string_equal(r->dst_name, "FE");
	jt_assert_pset(pol, &r->dst, "10.1.1.11/32 2001:db8:1::11/128");
	jt_assert_pset(pol, &r->src, "0.0.0.0/0 ::/0");
	jt_assert_ports(pol, &r->dst_ports, "5061 5070-5072");
	assert_string_equal(r->comment, "SIP to the front ends");
	r = &f->rules[1];
	assert_string_equal(r->id, "web");
	/* the inactive except entry is not used */
	assert_minus(pol, &r->src, "10.0.0.0/8", "10.9.0.0/16");
	jt_assert_ports(pol, &r->dst_ports, "443");
	r = &f->rules[2];
	assert_string_equal(r->id, "all6");
	assert_int_equal(r->action, ACLF_PERMIT);
	jt_assert_pset(pol, &r->src, "::/0");
	jt_assert_pset(pol, &r->dst, "::/0");
	aclf_policy_free(pol);
}

/* `show configuration firewall` prints the hierarchy without "firewall {" */
static void curly_relative(void **state)
{
	static const char txt[] =
		"family inet {\n"
		"    filter F {\n"
		"        term a {\n"
		"            from {\n"
		"                protocol udp;\n"
		"                source-port [ bootps bootpc ];\n"
		"            }\n"
		"            then accept;\n"
		"        }\n"
		"    }\n"
		"}\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = jt_parse(pol, txt, NULL);

	(void)state;
	jt_assert_ports(pol, &jt_filter(dp, "F")->rules[0].src_ports, "67-68");
	aclf_policy_free(pol);
}

/* inet and inet6 filters of different names on one interface */
static void binding_pairs(void **state)
{
	static const char txt[] =
		"set firewall family inet filter V4 term a from protocol icmp\n"
		"set firewall family inet filter V4 term a then accept\n"
		"set firewall family inet6 filter V6 term a from next-header icmp6\n"
		"set firewall family inet6 filter V6 term a then accept\n"
		"set interfaces xe-1/0/0 unit 5 family inet filter input V4\n"
		"set interfaces xe-1/0/0 unit 5 family inet6 filter input V6\n"
		"set interfaces xe-1/0/1 unit 0 family inet filter input V4\n"
		"delete interfaces xe-1/0/1 unit 0 family inet filter input\n"
		"set interfaces xe-1/0/2 unit 7 family inet filter output V4\n"
		"set interfaces xe-1/0/2 unit 7 family inet6 address 2001:db8:7::1/64\n"
		"set interfaces xe-1/0/3 unit 0 family inet address 192.0.2.1/24\n"
		"set interfaces xe-1/0/3 unit 0 family inet6 filter input V6\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = jt_parse(pol, txt, NULL);
	const struct aclf_filter *f;

	(void)state;
	assert_int_equal(dp->nfilters, 3);
	/* family inet6 on the unit without a filter: IPv6 passes there */
	f = &dp->filters[1];
	assert_string_equal(f->name, "V4");
	assert_string_equal(f->binding.name, "xe-1/0/2.7");
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[1].id, "no-inet6-filter");
	assert_int_equal(f->rules[1].action, ACLF_PERMIT);
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_ANY);
	jt_assert_pset(pol, &f->rules[1].src, "::/0");
	jt_assert_pset(pol, &f->rules[1].dst, "::/0");
	assert_null(f->rules[1].device_name);
	jt_assert_contains(f->rules[1].comment, "IPv6 passes");
	/* family inet on the unit without a filter: IPv4 passes (the default);
	 * the inet6 filter's implicit discard becomes the last rule */
	f = &dp->filters[2];
	assert_string_equal(f->name, "V6");
	assert_int_equal(f->default_action, ACLF_PERMIT);
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[1].id, "implicit-discard");
	assert_int_equal(f->rules[1].action, ACLF_DENY);
	jt_assert_pset(pol, &f->rules[1].src, "::/0");
	f = jt_filter(dp, "V4+V6");
	assert_string_equal(f->binding.name, "xe-1/0/0.5");
	/* different protocols: not merged; the inet6 one is "a-v6" */
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[0].id, "a");
	assert_int_equal(f->rules[0].protocol, ACLF_PROTO_ICMP);
	assert_string_equal(f->rules[1].id, "a-v6");
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_ICMP6);
	aclf_policy_free(pol);
}

/* delete, deactivate/activate in order; a term changed after another was
 * deleted lands in the right term */
static void set_delete_activate(void **state)
{
	static const char txt[] =
		"set firewall family inet filter F term a from protocol tcp\n"
		"set firewall family inet filter F term a then accept\n"
		"set firewall family inet filter F term b from protocol udp\n"
		"set firewall family inet filter F term b then accept\n"
		"set firewall family inet filter F term c from protocol icmp\n"
		"set firewall family inet filter F term c then discard\n"
		"delete firewall family inet filter F term a\n"
		"set firewall family inet filter F term b from destination-port 53\n"
		"set firewall family inet filter F term c from source-prefix-list P\n"
		"set policy-options prefix-list P 10.0.0.0/8\n"
		"set policy-options prefix-list P 192.168.0.0/16\n"
		"delete policy-options prefix-list P 192.168.0.0/16\n"
		"set firewall family inet filter G term x then accept\n"
		"delete firewall family inet filter G\n"
		"deactivate firewall family inet filter F term c\n"
		"activate firewall family inet filter F term c\n"
		"deactivate firewall family inet filter F term b from destination-port 53\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = jt_parse(pol, txt, NULL);
	const struct aclf_filter *f;

	(void)state;
	assert_int_equal(dp->nfilters, 1);
	f = jt_filter(dp, "F");
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[0].id, "b");
	assert_int_equal(f->rules[0].protocol, ACLF_PROTO_UDP);
	/* the deactivated port match does not apply */
	assert_int_equal(f->rules[0].dst_ports.n, 0);
	assert_string_equal(f->rules[1].id, "c");
	assert_int_equal(f->rules[1].action, ACLF_DENY);
	jt_assert_pset(pol, &f->rules[1].src, "10.0.0.0/8");
	aclf_policy_free(pol);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *msg;
	size_t len; /* 0: strlen */
};

#define NUL_TEXT "set firewall family inet filter F term T from protocol t\0cp\n"

static const struct bad_case bad_cases[] = {
	/* set lines cut mid-way: the last line has no line end */
	{ "set firewall family inet filter F term T from protocol tcp\n"
	  "set firewall family inet filter F term T from sour", 2,
	  "text ends in the middle of a line (no line end after 'sour'): cut short?", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\nset firew", 2, "cut short?", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\n"
	  "set firewall family inet filter F term T from destination-port 50", 2,
	  "no line end after '50'", 0 },
	{ "set firewall family inet filter F term T then\nset firewall family inet filter F term", 2,
	  "cut short?", 0 },
	/* the same words as whole lines */
	{ "set firewall family inet filter F term T from protocol tcp\n"
	  "set firewall family inet filter F term T from sour\n", 2, "unsupported match condition 'sour'", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\nset firew\n", 2, "unknown statement 'firew'", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\n"
	  "set firewall family inet filter F term T from source-address 10.1.\n", 2, "invalid address '10.1.'", 0 },
	{ "set firewall family inet filter F term T then\nset firewall family inet filter F term\n", 2,
	  "expected a term name", 0 },
	{ "set firewall family inet filter F term T then acc\n", 1, "unsupported action 'acc'", 0 },
	{ "set firewall family inet filter F term T from destination-port [ 80 443\n", 1, "not closed", 0 },
	{ "set firewall family inet filter F term T from destination-port 70000\n", 1, "invalid port", 0 },
	{ "set firewall family inet filter F term T then next term\n", 1, "next term", 0 },
	{ "set firewall family inet filter F term T from source-prefix-list NOPE\n", 1,
	  "prefix-list 'NOPE' is not defined", 0 },
	{ "set policy-options prefix-list R apply-path \"routing-options static route <*>\"\n"
	  "set firewall family inet filter F term T from source-prefix-list R\n", 2, "apply-path", 0 },
	{ "set firewall family inet filter F term T from tcp-established\n", 1, "needs exactly 'protocol tcp'", 0 },
	{ "set firewall family inet filter F term T from tcp-flags syn\n", 1, "tcp-flags", 0 },
	{ "set firewall family inet filter F term T from icmp-type echo-request\n", 1,
	  "unsupported match condition 'icmp-type'", 0 },
	{ "set firewall family inet filter F term T then policer P\n", 1, "unsupported action 'policer'", 0 },
	{ "set firewall family inet filter F term T then accept\nset firewall family inet filter F term T then discard\n",
	  2, "second terminating action", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\nset interfaces interface-range R unit 0 family inet filter input F\n",
	  2, "filter binding outside", 0 },
	{ "set firewall family inet filter F term T from protocol \"tcp\n", 1, "unterminated quoted string", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\nfirewall {\n", 2, "expected a 'set' line", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\nset\n", 2, "incomplete statement", 0 },
	{ "set firewall family inet filter F term T from protocol tcp\ninsert firewall family inet filter F term T before term U\n",
	  2, "expected a 'set' line", 0 },
	{ NUL_TEXT, 1, "NUL", sizeof(NUL_TEXT) - 1 },
	/* curly: unbalanced, truncated, malformed */
	{ "firewall {\n    filter F {\n        term T {\n            then accept;\n        }\n    }\n", 6,
	  "missing '}'", 0 },
	{ "firewall {\n    filter F {\n        term T {\n            then accept;\n        }\n    }\n}\n}\n", 8,
	  "'}' without '{'", 0 },
	{ "firewall {\n    filter F {\n        term T {\n            then accept\n        }\n    }\n}\n", 4,
	  "missing ';'", 0 },
	{ "firewall {\n    filter F {\n        term T {\n            from {\n                protocol tcp;\n                destination-port 5061",
	  6, "text ends inside statement", 0 },
	{ "firewall {\n    /* comment\n    filter F {\n", 2, "comment is not closed", 0 },
	{ "firewall {\n    filter F {\n        term T {\n            from {\n                protocol [ tcp udp;\n", 5,
	  "'[' list is not closed", 0 },
	{ "firewall {\n    filter F {\n        term T {\n            from { protocol icmp; icmp-type echo-request; }\n"
	  "            then accept;\n        }\n    }\n}\n", 4, "icmp-type", 0 },
	{ "firewall {\n  {\n", 2, "'{' without a statement", 0 },
	{ "interfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n                filter {\n"
	  "                    input-list [ A B ];\n                }\n            }\n        }\n    }\n}\n", 6,
	  "filter lists are not supported", 0 },
	/* counters without configuration, nothing at all */
	{ "Filter: F\nCounters:\nName Bytes Packets\nc 1 2\n", 1, "without the configuration", 0 },
	{ "\n# nothing\n", 1, "no junos configuration", 0 },
	/* configuration then broken counters: line numbers continue */
	{ "set firewall family inet filter F term T then count T\n\nFilter: F\nCounters:\n"
	  "Name                  Bytes   Packets\nT     1\n", 6, "expected 'NAME BYTES PACKETS'", 0 },
};

/* Term statements the neutral form cannot hold make the term opaque (its
 * rules keep the match read, a superset, and the action), never the last
 * term's default; strict refuses them. */
static void opaque_terms(void **state)
{
	static const char text[] =
		"set firewall family inet filter F term icmp from protocol icmp\n"
		"set firewall family inet filter F term icmp from icmp-type echo-request\n"
		"set firewall family inet filter F term icmp from icmp-type echo-reply\n"
		"set firewall family inet filter F term icmp then accept\n"
		"set firewall family inet filter F term web from protocol tcp\n"
		"set firewall family inet filter F term web from destination-port 443\n"
		"set firewall family inet filter F term web then accept\n"
		"set firewall family inet filter F term ri then routing-instance OTHER\n"
		"set firewall family inet filter F term flags from protocol tcp\n"
		"set firewall family inet filter F term flags from tcp-flags syn\n"
		"set firewall family inet filter F term flags then discard\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_filter *f;
	const struct aclf_rule *r;
	char *msg;

	(void)state;
	f = jt_filter(jt_parse(pol, text, NULL), "F");
	assert_int_equal(aclf_devpol_opaque_count(&pol->devices[0]), 3);
	/* 'ri' matches everything but is opaque: no permit-any default */
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->nrules, 4);
	r = jt_find_rule(f, "icmp");
	assert_int_equal(r->protocol, ACLF_PROTO_ICMP);
	assert_int_equal(r->action, ACLF_PERMIT);
	jt_assert_contains(r->opaque, "unsupported match condition 'icmp-type'");
	assert_string_equal(r->raw, "set firewall family inet filter F term icmp from icmp-type echo-request; "
				    "set firewall family inet filter F term icmp from icmp-type echo-reply");
	assert_null(jt_find_rule(f, "web")->opaque);
	r = jt_find_rule(f, "ri");
	jt_assert_contains(r->opaque, "unsupported action 'routing-instance'");
	assert_int_equal(r->protocol, ACLF_PROTO_ANY);
	r = jt_find_rule(f, "flags");
	jt_assert_contains(r->opaque, "tcp-flags other than");
	assert_int_equal(r->action, ACLF_DENY);
	assert_int_equal(r->protocol, ACLF_PROTO_TCP);
	aclf_policy_free(pol);
	msg = jt_parse_fail(text, 2);
	jt_assert_contains(msg, "unsupported match condition 'icmp-type'");
	free(msg);
}

/* An address of the other family (Junos refuses it at commit; batfish's
 * firewall-source-address test config has one) matches no packet of the
 * filter: the term is opaque with its reason and text, its understood
 * match the other addresses (or any, a superset); the rest of the file is
 * read; strict refuses it at its line. */
static void other_family_address(void **state)
{
	static const char text[] =
		"set firewall family inet filter F term v6 from source-address 2001:db8::/32\n"
		"set firewall family inet filter F term v6 then accept\n"
		"set firewall family inet filter F term mix from source-address 10.0.0.0/8\n"
		"set firewall family inet filter F term mix from source-address 2001:db8::1 except\n"
		"set firewall family inet filter F term mix then discard\n"
		"set firewall family inet filter F term ok from source-address 192.0.2.0/24\n"
		"set firewall family inet filter F term ok then accept\n"
		"set firewall family inet6 filter G term v4 from destination-address 192.0.2.1/32\n"
		"set firewall family inet6 filter G term v4 then accept\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_filter *f;
	const struct aclf_rule *r;
	char *msg;

	(void)state;
	f = jt_filter(jt_parse(pol, text, NULL), "F");
	assert_int_equal(aclf_devpol_opaque_count(&pol->devices[0]), 3);
	assert_int_equal(f->nrules, 3);
	r = jt_find_rule(f, "v6");
	jt_assert_contains(r->opaque, "not an IPv4 address in a family inet filter: '2001:db8::/32'");
	assert_string_equal(r->raw, "set firewall family inet filter F term v6 from source-address 2001:db8::/32");
	assert_int_equal(r->action, ACLF_PERMIT);
	r = jt_find_rule(f, "mix");
	jt_assert_contains(r->opaque, "'2001:db8::1'");
	assert_int_equal(r->src.n, 1); /* 10.0.0.0/8 kept */
	assert_int_equal(r->action, ACLF_DENY);
	assert_null(jt_find_rule(f, "ok")->opaque);
	r = jt_find_rule(jt_filter(&pol->devices[0], "G"), "v4");
	jt_assert_contains(r->opaque, "not an IPv6 address in a family inet6 filter: '192.0.2.1/32'");
	aclf_policy_free(pol);
	msg = jt_parse_fail(text, 1);
	jt_assert_contains(msg, "not an IPv4 address in a family inet filter");
	free(msg);
}

/* Dotted masks (Junos documents 10.0.0.10/255.0.0.255): a contiguous one
 * is its prefix, a non-contiguous one the prefixes it spells; beside an
 * except entry (whose longest match is the device's) the term is opaque.
 * An empty prefix list, with except or without, matches nothing: Junos
 * adds an implicit "0.0.0.0/0 except" to every address condition, so a
 * packet no listed prefix holds fails the term. */
static void dotted_masks_and_empty_lists(void **state)
{
	static const char text[] =
		"set policy-options prefix-list EMPTY\n"
		"set firewall family inet filter F term a from source-address 1.2.3.4/255.0.255.0\n"
		"set firewall family inet filter F term a then accept\n"
		"set firewall family inet filter F term b from destination-address 10.0.0.9/255.255.255.0\n"
		"set firewall family inet filter F term b then accept\n"
		"set firewall family inet filter F term c from source-address 10.0.0.0/255.0.255.0\n"
		"set firewall family inet filter F term c from source-address 10.0.0.0/8 except\n"
		"set firewall family inet filter F term c then accept\n"
		"set firewall family inet filter F term d from source-prefix-list EMPTY except\n"
		"set firewall family inet filter F term d then accept\n"
		"set firewall family inet filter F term e from source-prefix-list EMPTY\n"
		"set firewall family inet filter F term e then accept\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_filter *f;
	const struct aclf_rule *r;
	char s[64];

	(void)state;
	f = jt_filter(jt_parse(pol, text, NULL), "F");
	r = jt_find_rule(f, "a");
	assert_null(r->opaque);
	assert_int_equal(r->src.n, 256);
	aclf_prefix_format(&r->src.v[0], s, sizeof(s));
	assert_string_equal(s, "1.0.3.0/24");
	aclf_prefix_format(&r->src.v[255], s, sizeof(s));
	assert_string_equal(s, "1.255.3.0/24");
	r = jt_find_rule(f, "b");
	assert_null(r->opaque);
	assert_int_equal(r->dst.n, 1);
	aclf_prefix_format(&r->dst.v[0], s, sizeof(s));
	assert_string_equal(s, "10.0.0.0/24");
	r = jt_find_rule(f, "c");
	jt_assert_contains(r->opaque, "except beside a non-contiguous mask");
	for (size_t k = 0; k < f->nrules; k++)
		assert_true(strcmp(f->rules[k].device_name, "d") && strcmp(f->rules[k].device_name, "e"));
	assert_int_equal(f->nrules, 3);
	aclf_policy_free(pol);
}

static void malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct aclf_policy *pol = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_err err;
		size_t len = bc->len ? bc->len : strlen(bc->text);

		aclf_err_init(&err);
		if (aclf_driver_parse(&aclf_driver_junos, bc->text, len, &(struct aclf_parse_opts){ .name = "t", .label = "t", .strict = true }, pol, &dp, &err) == 0)
			fail_msg("case %zu should have failed", i);
		/* nothing partial is left behind */
		assert_int_equal(pol->ndevices, 0);
		if (err.line != bc->line)
			fail_msg("case %zu: error at line %u, expected %u: %s", i, err.line, bc->line,
				 aclf_err_text(&err));
		jt_assert_contains(aclf_err_text(&err), bc->msg);
		/* errors name the text and the line */
		{
			char where[32];
			snprintf(where, sizeof(where), "t:%u:", bc->line);
			jt_assert_contains(aclf_err_text(&err), where);
		}
		aclf_err_release(&err);
		aclf_policy_free(pol);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_nested_curly),
		cmocka_unit_test(fixture_port_set),
		cmocka_unit_test(fixture_filters_set),
		cmocka_unit_test(fixture_firewall_set),
		cmocka_unit_test(fixture_flatten_curly),
		cmocka_unit_test(set_form),
		cmocka_unit_test(set_delete_activate),
		cmocka_unit_test(curly_form),
		cmocka_unit_test(curly_relative),
		cmocka_unit_test(binding_pairs),
		cmocka_unit_test(opaque_terms),
		cmocka_unit_test(other_family_address),
		cmocka_unit_test(dotted_masks_and_empty_lists),
		cmocka_unit_test(malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
