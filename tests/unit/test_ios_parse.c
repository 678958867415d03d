/* IOS parser on hand-written text: IOS-XE and classic running-config,
 * numbered lists, show output counters, ports and keywords, object-groups,
 * interface bindings, and refusals that name the line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "aclforge/driver.h"
#include "drivers.h"
#include "ios/ios.h"
#include "ios_test_util.h"

struct res {
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
};

static struct res ok(const char *text)
{
	struct res r = { aclf_policy_new(), NULL };
	struct aclf_err err;

	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_ios, text, strlen(text), &(struct aclf_parse_opts){ .name = "r1" }, r.pol, &r.dp, &err) != 0)
		fail_msg("parse failed: %s", aclf_err_text(&err));
	assert_non_null(r.dp);
	assert_string_equal(r.dp->driver, "ios");
	aclf_err_release(&err);
	return r;
}

/* parsing (strictly: no opaque entries) fails at line, message contains
 * what; nothing is added */
static void bad_opts(const char *text, unsigned line, const char *what, bool strict)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = (struct aclf_devpol *)pol; /* must be reset */
	struct aclf_err err;

	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios, text, strlen(text), &(struct aclf_parse_opts){ .name = "r1", .strict = strict }, pol, &dp, &err), -1);
	if (err.line != line || !strstr(aclf_err_text(&err), what))
		fail_msg("want line %u '%s', got line %u: %s", line, what, err.line, aclf_err_text(&err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_null(dp);
	assert_int_equal(pol->ndevices, 0);
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

static void bad(const char *text, unsigned line, const char *what)
{
	bad_opts(text, line, what, false);
}

static void iosxe_running_config(void **state)
{
	struct res r = ok("Building configuration...\n"
			  "!\n"
			  "hostname r1\n"
			  "ip access-list extended FE-IN\n"
			  " 10 remark FIRST REMARK\n"
			  " 10 permit tcp host 10.1.1.1 any eq 5061\n"
			  " 20 remark two\n"
			  " 20 remark lines\n"
			  " 20 permit udp 10.2.0.0 0.0.255.255 range 50000 59999 host 10.1.1.2 gt 1023 log\n"
			  " 30 deny   ip any any log\n"
			  "ipv6 access-list V6\n"
			  " sequence 10 permit tcp 2001:DB8::/32 host 2001:DB8::1 eq www\n"
			  " sequence 20 permit icmp any any nd-na\n"
			  " sequence 30 deny ipv6 any any\n"
			  "!\n"
			  "interface Vlan110\n"
			  " ip address 10.1.1.254 255.255.255.0\n"
			  " ip access-group FE-IN in\n"
			  " ipv6 traffic-filter V6 out\n"
			  "!\n"
			  "router bgp 65000\n"
			  " neighbor 10.0.0.1 remote-as 65001\n"
			  "end\n");
	const struct aclf_filter *f = ios_filter(r.dp, "FE-IN");
	struct aclf_port_set hi;

	(void)state;
	/* two binding points: Vlan110 in (FE-IN, no ipv6 filter) and out (V6) */
	assert_int_equal(r.dp->nfilters, 2);
	assert_int_equal(f->nrules, 4);
	assert_string_equal(f->rules[0].comment, "FIRST REMARK");
	assert_string_equal(f->rules[0].device_name, "10");
	assert_true(ios_set_is(&f->rules[0].src, "10.1.1.1/32"));
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 5061);
	assert_int_equal(f->rules[0].hits, -1);
	assert_string_equal(f->rules[1].comment, "two; lines");
	assert_true(ios_set_is(&f->rules[1].src, "10.2.0.0/16"));
	assert_int_equal(f->rules[1].src_ports.v[0].lo, 50000);
	assert_int_equal(f->rules[1].src_ports.v[0].hi, 59999);
	hi = ios_ports(r.pol, 1024, 65535, -1);
	assert_true(aclf_ports_equal(&f->rules[1].dst_ports, &hi));
	assert_int_equal(f->rules[2].action, ACLF_DENY);
	assert_null(f->rules[2].comment);
	/* no ipv6 traffic-filter in: IOS passes ipv6 */
	assert_int_equal(f->rules[3].action, ACLF_PERMIT);
	assert_true(ios_set_is(&f->rules[3].src, "::/0"));
	assert_true(ios_set_is(&f->rules[3].dst, "::/0"));
	assert_string_equal(f->rules[3].comment, "no ipv6 traffic-filter: ipv6 passes");
	assert_string_equal(f->rules[3].id, "e0004");
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_int_equal(f->binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(f->binding.name, "Vlan110");
	assert_int_equal(f->binding.direction, ACLF_DIR_IN);
	assert_string_equal(f->rules[0].prov[0].kind, "device");
	assert_string_equal(f->rules[0].prov[0].ref, "line 6");
	f = ios_filter(r.dp, "V6");
	assert_int_equal(f->nrules, 4);
	assert_true(ios_set_is(&f->rules[0].src, "0.0.0.0/0"));
	assert_string_equal(f->rules[0].comment, "no ip access-group: ipv4 passes");
	assert_string_equal(f->rules[1].device_name, "10");
	assert_true(ios_set_is(&f->rules[1].src, "2001:db8::/32"));
	assert_int_equal(f->rules[1].dst_ports.v[0].lo, 80);
	/* icmp in an ipv6 list is icmpv6; the message type is noted */
	assert_int_equal(f->rules[2].protocol, ACLF_PROTO_ICMP6);
	assert_string_equal(f->rules[2].comment, "icmp nd-na");
	assert_int_equal(f->binding.direction, ACLF_DIR_OUT);
	aclf_policy_free(r.pol);
}

static void classic_and_numbered(void **state)
{
	struct res r = ok("access-list 10 remark mgmt hosts\r\n"
			  "access-list 10 permit 192.0.2.0 0.0.0.255\r\n"
			  "access-list 10 permit host 192.0.2.200\r\n"
			  "access-list 110 permit tcp any any established\r\n"
			  "access-list 700 permit 0000.0000.0001 0000.0000.0000\r\n"
			  "access-list 110 permit ip any any\r\n"
			  "ip access-list standard MGMT\r\n"
			  " permit 10.0.0.1\r\n"
			  " deny   any log\r\n");
	const struct aclf_filter *f = ios_filter(r.dp, "10");

	(void)state;
	assert_int_equal(r.dp->nfilters, 3);
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[0].comment, "mgmt hosts");
	assert_true(ios_set_is(&f->rules[0].src, "192.0.2.0/24"));
	assert_true(ios_set_is(&f->rules[0].dst, "0.0.0.0/0"));
	assert_int_equal(f->rules[0].protocol, 0);
	assert_true(ios_set_is(&f->rules[1].src, "192.0.2.200/32"));
	f = ios_filter(r.dp, "110");
	assert_int_equal(f->nrules, 2);
	assert_true(f->rules[0].established);
	assert_int_equal(f->default_action, ACLF_PERMIT);
	f = ios_filter(r.dp, "MGMT");
	assert_true(ios_set_is(&f->rules[0].src, "10.0.0.1/32"));
	assert_int_equal(f->rules[1].action, ACLF_DENY);
	assert_int_equal(f->default_action, ACLF_DENY);
	aclf_policy_free(r.pol);
}

static void ports_and_keywords(void **state)
{
	struct res r = ok("Extended IP access list P\n"
			  "    10 permit udp any eq bootpc any eq bootps\n"
			  "    20 permit tcp any any neq telnet 22\n"
			  "    30 permit tcp any lt 1024 any eq www https 8080\n"
			  "    40 permit tcp any any range ftp-data ftp (1 match)\n"
			  "    50 permit udp any any eq non500-isakmp (12345678901 matches)\n"
			  "IPv6 access list Q\n"
			  "    permit udp any any eq domain (5 matches) sequence 10\n"
			  "    deny ipv6 any any log sequence 20\n");
	const struct aclf_filter *f = ios_filter(r.dp, "P");
	struct aclf_port_set want;

	(void)state;
	assert_int_equal(f->rules[0].src_ports.v[0].lo, 68);
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 67);
	want = ios_ports(r.pol, 0, 21, 24, 65535, -1);
	assert_true(aclf_ports_equal(&f->rules[1].dst_ports, &want));
	want = ios_ports(r.pol, 0, 1023, -1);
	assert_true(aclf_ports_equal(&f->rules[2].src_ports, &want));
	want = ios_ports(r.pol, 80, 80, 443, 443, 8080, 8080, -1);
	assert_true(aclf_ports_equal(&f->rules[2].dst_ports, &want));
	want = ios_ports(r.pol, 20, 21, -1);
	assert_true(aclf_ports_equal(&f->rules[3].dst_ports, &want));
	assert_int_equal(f->rules[3].hits, 1);
	assert_int_equal(f->rules[4].hits, 12345678901LL);
	assert_int_equal(f->rules[4].dst_ports.v[0].lo, 4500);
	assert_int_equal(f->rules[0].hits, 0); /* show output without a counter */
	f = ios_filter(r.dp, "Q");
	assert_int_equal(f->rules[0].hits, 5);
	assert_string_equal(f->rules[0].device_name, "10");
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 53);
	assert_string_equal(f->rules[1].device_name, "20");
	aclf_policy_free(r.pol);
}

static void keyword_tables(void **state)
{
	uint16_t p = 0;

	(void)state;
	assert_string_equal(ios_port_name(ACLF_PROTO_TCP, 80), "www");
	assert_string_equal(ios_port_name(ACLF_PROTO_UDP, 514), "syslog");
	assert_string_equal(ios_port_name(ACLF_PROTO_TCP, 514), "cmd");
	assert_null(ios_port_name(ACLF_PROTO_TCP, 22)); /* shown as a number */
	assert_null(ios_port_name(ACLF_PROTO_TCP, 5061));
	assert_int_equal(ios_port_keyword(ACLF_PROTO_TCP, "https", &p), 0);
	assert_int_equal(p, 443);
	assert_int_equal(ios_port_keyword(ACLF_PROTO_UDP, "non500-isakmp", &p), 0);
	assert_int_equal(p, 4500);
	assert_int_equal(ios_port_keyword(ACLF_PROTO_TCP, "bootps", &p), -1);
	assert_int_equal(ios_port_keyword(ACLF_PROTO_UDP, "www", &p), -1);
	assert_int_equal(ios_proto_parse(4, "icmp"), 1);
	assert_int_equal(ios_proto_parse(6, "icmp"), 58);
	assert_int_equal(ios_proto_parse(6, "ip"), -1);
	assert_int_equal(ios_proto_parse(4, "ahp"), 51);
	assert_int_equal(ios_proto_parse(4, "256"), -1);
	assert_true(ios_icmp_type_known(4, "echo-reply"));
	assert_false(ios_icmp_type_known(4, "nd-na"));
	assert_true(ios_icmp_type_known(6, "nd-na"));
}

static void object_groups(void **state)
{
	struct res r = ok("object-group network INNER\n"
			  " description inner hosts\n"
			  " host 10.0.0.1\n"
			  " range 10.0.0.8 10.0.0.23\n"
			  "object-group network OUTER\n"
			  " group-object INNER\n"
			  " network-object 172.16.0.0 255.240.0.0\n"
			  " 192.168.0.0 /16\n"
			  "object-group v6-network V6NET\n"
			  " host 2001:db8::1\n"
			  " 2001:db8:1::/48\n"
			  "object-group service SVC\n"
			  " tcp-udp eq domain\n"
			  " tcp range 5060 5061\n"
			  " tcp 443\n"
			  " udp source range 50000 50019 eq 3478\n"
			  " icmp echo\n"
			  " esp\n"
			  "ip access-list extended A\n"
			  " permit object-group SVC object-group OUTER any (7 matches)\n"
			  " permit tcp object-group INNER eq 5061 any established\n"
			  "ipv6 access-list B\n"
			  " permit tcp object-group V6NET any eq 443\n");
	const struct aclf_filter *f = ios_filter(r.dp, "A");
	struct aclf_prefix_set inner, outer;
	struct aclf_port_set want;

	(void)state;
	inner = ios_set(r.pol, "10.0.0.1/32", "10.0.0.8/29", "10.0.0.16/29", NULL);
	outer = ios_set(r.pol, "10.0.0.1/32", "10.0.0.8/29", "10.0.0.16/29", "172.16.0.0/12",
			"192.168.0.0/16", NULL);
	/* SVC: tcp {53, 443, 5060-5061}, udp {53}, udp source 50000-50019 eq 3478, icmp echo, esp */
	assert_int_equal(f->nrules, 6);
	assert_int_equal(f->rules[0].protocol, ACLF_PROTO_TCP);
	want = ios_ports(r.pol, 53, 53, 443, 443, 5060, 5061, -1);
	assert_true(aclf_ports_equal(&f->rules[0].dst_ports, &want));
	assert_true(aclf_pset_equal(&f->rules[0].src, &outer));
	assert_string_equal(f->rules[0].src_name, "OUTER");
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_UDP);
	assert_int_equal(f->rules[1].dst_ports.v[0].lo, 53);
	assert_int_equal(f->rules[1].src_ports.n, 0);
	assert_int_equal(f->rules[2].protocol, ACLF_PROTO_UDP);
	assert_int_equal(f->rules[2].src_ports.v[0].hi, 50019);
	assert_int_equal(f->rules[2].dst_ports.v[0].lo, 3478);
	assert_int_equal(f->rules[3].protocol, ACLF_PROTO_ICMP);
	assert_non_null(strstr(f->rules[3].comment, "icmp echo"));
	assert_int_equal(f->rules[4].protocol, 50);
	/* one counter for several rules: unknown per rule */
	assert_int_equal(f->rules[0].hits, -1);
	assert_string_equal(f->rules[0].prov[0].ref, "line 20");
	assert_string_equal(f->rules[4].prov[0].ref, "line 20");
	assert_string_equal(f->rules[5].prov[0].ref, "line 21");
	assert_true(aclf_pset_equal(&f->rules[5].src, &inner));
	assert_true(f->rules[5].established);
	f = ios_filter(r.dp, "B");
	assert_int_equal(f->rules[0].src.n, 2);
	assert_string_equal(f->rules[0].src_name, "V6NET");
	aclf_policy_free(r.pol);
}

static void bindings(void **state)
{
	struct res r = ok("interface GigabitEthernet0/1\n"
			  " ip access-group IN in\n"
			  " ip access-group OUT out\n"
			  " ipv6 traffic-filter IN-V6 in\n"
			  "interface GigabitEthernet0/2\n"
			  " ip access-group IN in\n"
			  " ipv6 traffic-filter OTHER in\n"
			  "ip access-list extended IN\n"
			  " permit tcp any any eq 22\n"
			  " permit ip any any\n"
			  "ipv6 access-list IN-V6\n"
			  " permit ipv6 any any\n"
			  "ipv6 access-list OTHER\n"
			  " deny ipv6 any any\n"
			  "ip access-list extended SPARE\n"
			  " deny ip any any\n"
			  "ipv6 access-list SPARE-V6\n"
			  " permit ipv6 any any\n"
			  "ipv6 access-list LONE\n"
			  " permit ipv6 any any\n");
	const struct aclf_filter *f;

	(void)state;
	/* one filter per binding point, then the lists bound nowhere */
	assert_int_equal(r.dp->nfilters, 5);
	f = &r.dp->filters[0];
	assert_string_equal(f->name, "IN");
	assert_string_equal(f->binding.name, "GigabitEthernet0/1");
	assert_int_equal(f->binding.direction, ACLF_DIR_IN);
	assert_int_equal(f->nrules, 3);
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 22);
	assert_true(ios_set_is(&f->rules[2].src, "::/0"));
	assert_int_equal(f->default_action, ACLF_PERMIT); /* both lists end in permit any */
	/* OUT is not defined: IOS filters nothing there */
	f = &r.dp->filters[1];
	assert_string_equal(f->name, "OUT");
	assert_int_equal(f->binding.direction, ACLF_DIR_OUT);
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[0].comment, "ip list 'OUT' is not defined: ipv4 passes");
	assert_int_equal(f->default_action, ACLF_PERMIT);
	/* IN with an unrelated ipv6 list */
	f = &r.dp->filters[2];
	assert_string_equal(f->name, "IN+OTHER");
	assert_string_equal(f->binding.name, "GigabitEthernet0/2");
	assert_int_equal(f->nrules, 3);
	assert_int_equal(f->rules[2].action, ACLF_DENY);
	assert_int_equal(f->default_action, ACLF_DENY);
	/* unbound: NAME and NAME-V6 joined, others alone */
	f = &r.dp->filters[3];
	assert_string_equal(f->name, "SPARE");
	assert_int_equal(f->binding.kind, ACLF_BIND_NONE);
	assert_int_equal(f->nrules, 2);
	assert_int_equal(f->default_action, ACLF_DENY);
	assert_string_equal(r.dp->filters[4].name, "LONE");
	assert_int_equal(r.dp->filters[4].default_action, ACLF_PERMIT);
	aclf_policy_free(r.pol);
}

static void refusals(void **state)
{
	(void)state;
	bad("Extended IP access list X\n    10 permit tcp any\n", 2,
	    "expected the destination address");
	bad("ip access-list extended X\n permit tcp any any eq\n", 2, "expected a port");
	bad("ip access-list extended X\n permit tcp any any\n garbage here\n", 3,
	    "unexpected 'garbage' in access list 'X'");
	bad("!\nip access-list extended\n", 2, "without a name");
	bad_opts("Extended IP access list X\n    10 permit tcp any any eq 5061 tos 3\n", 2,
		 "unsupported 'tos'", true);
	bad("ip access-list extended X\n permit icmp any eq 80 any\n", 2, "needs protocol tcp or udp");
	bad("ip access-list extended X\n permit udp any any established\n", 2,
	    "'established' needs protocol tcp");
	bad("Extended IP access list X\n    10 permit ip any any (12 matches\n", 2, "'matches)'");
	bad_opts("ip access-list extended X\n permit ip 10.0.0.0 0.255.255.254 any\n", 2,
		 "wildcard mask '0.255.255.254' is not contiguous and spells more than 256 prefixes", true);
	bad("ip access-list extended X\n permit tcp any any gt 65535\n", 2, "matches no port");
	bad("ip access-list extended X\n permit tcp any any range 90 80\n", 2, "is empty");
	bad("ip access-list extended X\n permit tcp any any eq nosuchport\n", 2, "expected");
	bad("ip access-list extended X\n permit foo any any\n", 2, "expected a protocol");
	bad("ipv6 access-list X\n permit ipv6 host 10.0.0.1 any\n", 2, "an ipv6 address");
	bad("ip access-list extended X\n permit ip object-group G any\n", 2,
	    "object-group 'G' is not defined");
	bad("object-group network G\n group-object G\nip access-list extended X\n"
	    " permit ip object-group G any\n",
	    2, "contains itself");
	bad("object-group service S\n tcp eq 80\nip access-list extended X\n"
	    " permit ip object-group S any\n",
	    4, "is a service group, expected a network group");
	bad("object-group network E\nip access-list extended X\n permit ip object-group E any\n", 3,
	    "is empty");
	bad("object-group network G\n 10.0.0.0 0.255.255.255\n", 2, "subnet mask");
	bad("interface Vlan1\n ip access-group X\n", 2, "expected 'in' or 'out'");
	bad("access-list FOO permit ip any any\n", 1, "not ios syntax");
	bad("Reflexive IP access list R\n", 1, "unsupported access list type");
	bad("ip access-list extended X\n 10 permit\n", 2, "expected a protocol");
	bad("ip access-list extended X\n dynamic D permit ip any any\n", 2,
	    "expected permit, deny or remark");
	{
		static const char nul[] = "ip access-list extended X\n permit ip\0 any any\n";
		struct aclf_policy *pol = aclf_policy_new();
		struct aclf_devpol *dp;
		struct aclf_err err;
		aclf_err_init(&err);
		assert_int_equal(aclf_driver_parse(&aclf_driver_ios, nul, sizeof(nul) - 1, &(struct aclf_parse_opts){ .name = "r1" }, pol, &dp, &err), -1);
		assert_int_equal(err.line, 2);
		assert_non_null(strstr(aclf_err_text(&err), "NUL byte"));
		aclf_err_release(&err);
		aclf_policy_free(pol);
	}
}

/* a running-config without any access list: a device without filters;
 * text with nothing IOS in it (none, blanks, random bytes, another
 * vendor's) is refused, never read as a device without filters */
static void empty(void **state)
{
	static const char rnd[] = "\x9e\x01zq\n\xff\xfe 17 permit\n\x02\x03";
	struct res q = ok("hostname r1\nline vty 0 4\n transport input ssh\n");

	(void)state;
	assert_int_equal(q.dp->nfilters, 0);
	assert_string_equal(q.dp->name, "r1");
	aclf_policy_free(q.pol);
	bad("", 1, "no text, nothing ios reads: expected IOS running-config or show access-lists");
	bad(" \n\r\n\t\n", 1, "no text, nothing ios reads");
	bad(rnd, 1, "no construct found, nothing ios reads");
	bad("set firewall family inet filter F term t then accept\n", 1,
	    "this is junos text (Junos set or curly configuration");
	bad("ltm virtual /Common/v {\n    destination /Common/10.0.0.1:443\n}\n", 1,
	    "this is bigip text");
	bad("{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}}]}\n", 1,
	    "this is nftables text");
}

/* IOS-XE indents the headers of some show access-lists outputs: still
 * headers, never lines of a section skipped */
static void indented_headers(void **state)
{
	struct res r = ok("  Extended IP access list A\n"
			  "    10 permit tcp any any eq 22 (3 matches)\n"
			  "   IPv6 access list V6\n"
			  "    permit tcp any any eq www sequence 10\n"
			  "  Standard IP access list 7\n"
			  "    10 permit 10.1.1.0, wildcard bits 0.0.0.255\n");

	(void)state;
	assert_int_equal(r.dp->nfilters, 3);
	assert_string_equal(r.dp->filters[0].name, "A");
	assert_int_equal(r.dp->filters[0].nrules, 1);
	assert_int_equal(r.dp->filters[0].rules[0].hits, 3);
	assert_string_equal(r.dp->filters[1].name, "V6");
	assert_int_equal(r.dp->filters[1].rules[0].dst_ports.v[0].lo, 80);
	assert_string_equal(r.dp->filters[2].name, "7");
	assert_int_equal(r.dp->filters[2].nrules, 1);
	aclf_policy_free(r.pol);
}

/* a last line without its line end is refused when it entered anything
 * ("eq 50" may be "eq 5060" cut short); a cut between statements is not */
static void cut_short(void **state)
{
	struct res r;

	(void)state;
	bad("ip access-list extended A\n 10 permit tcp any any eq 50", 2,
	    "text ends in the middle of a line (no line end after '50')");
	bad("Extended IP access list A\n    10 permit tcp any any eq 5060 (1 match)\n    20 deny ip any any",
	    3, "text ends in the middle of a line");
	bad("ip access-list extended A\n 10 permit tcp any any eq 5060\nip access-list extended B", 3,
	    "cut short?");
	bad("object-group network G\n host 10.0.0.1\n host 10.0.0.12", 3, "cut short?");
	bad("ip access-list extended A\n 10 permit ip any any\ninterface Vlan1\n ip access-group A in", 4,
	    "cut short?");
	r = ok("ip access-list extended A\n 10 permit tcp any any eq 5060\n!");
	assert_int_equal(r.dp->filters[0].rules[0].dst_ports.v[0].lo, 5060);
	aclf_policy_free(r.pol);
	r = ok("ip access-list extended A\n 10 permit tcp any any eq 5060\nend");
	assert_int_equal(r.dp->nfilters, 1);
	aclf_policy_free(r.pol);
}

/* Valid IOS the neutral form cannot hold: an opaque entry in its place,
 * with the device's action, sequence, counter and text; its match is the
 * part read when that is a superset of the device's (a trailing dscp,
 * time-range, tcp flags), else every packet (a non-contiguous wildcard).
 * Log options are read and dropped: they do not change the match. */
static void opaque_entries(void **state)
{
	struct res r = ok("Extended IP access list X\n"
			  "    10 permit tcp any host 10.0.0.1 eq 5061 dscp ef (7 matches)\n"
			  "    20 deny ip 10.0.0.0 0.255.255.254 any (3 matches)\n"
			  "    30 permit udp any any eq 53 time-range WORK (active)\n"
			  "    40 permit tcp any any match-all +ack -fin log\n"
			  "    50 permit tcp any any eq 22 log (tag = ssh) (2 matches)\n"
			  "    60 permit ip any any\n");
	const struct aclf_filter *f;
	const struct aclf_rule *x;

	(void)state;
	assert_int_equal(r.dp->nfilters, 1);
	f = &r.dp->filters[0];
	assert_int_equal(f->nrules, 6);
	assert_int_equal(aclf_devpol_opaque_count(r.dp), 4);
	/* the last entry is exact: a permit-any default */
	assert_int_equal(f->default_action, ACLF_PERMIT);
	x = &f->rules[0];
	assert_string_equal(x->device_name, "10");
	assert_int_equal(x->action, ACLF_PERMIT);
	assert_int_equal(x->hits, 7);
	assert_non_null(strstr(x->opaque, "unsupported 'dscp'"));
	assert_string_equal(x->raw, "10 permit tcp any host 10.0.0.1 eq 5061 dscp ef (7 matches)");
	assert_int_equal(x->protocol, ACLF_PROTO_TCP); /* read before 'dscp': kept */
	assert_int_equal(x->dst.v[0].len, 32);
	assert_int_equal(x->dst_ports.v[0].lo, 5061);
	x = &f->rules[1];
	assert_int_equal(x->action, ACLF_DENY);
	assert_int_equal(x->hits, 3);
	assert_non_null(strstr(x->opaque, "0.255.255.254"));
	assert_int_equal(x->protocol, ACLF_PROTO_ANY); /* nothing kept: every packet */
	assert_int_equal(x->src.v[0].len, 0);
	x = &f->rules[2];
	assert_non_null(strstr(x->opaque, "'time-range'"));
	assert_int_equal(x->protocol, ACLF_PROTO_UDP);
	assert_int_equal(x->hits, 0);
	assert_non_null(strstr(f->rules[3].opaque, "'match-all'"));
	x = &f->rules[4];
	assert_null(x->opaque);
	assert_null(x->raw);
	assert_int_equal(x->hits, 2);
	assert_int_equal(x->dst_ports.v[0].lo, 22);
	aclf_policy_free(r.pol);
	/* an opaque permit-any last is no permit-any default */
	r = ok("ip access-list extended Y\n permit tcp any any eq 80\n permit ip any any time-range T\n");
	assert_int_equal(r.dp->filters[0].default_action, ACLF_DENY);
	assert_int_equal(r.dp->filters[0].nrules, 2);
	aclf_policy_free(r.pol);
	/* strict: refused where it stands; garbled text is refused either way */
	bad_opts("ip access-list extended Y\n permit ip any any time-range T\n", 2,
		 "unsupported 'time-range' in access list 'Y': only addresses, protocol, ports and "
		 "established are understood (--strict: no opaque entries)", true);
	bad("ip access-list extended Y\n permit tcp any any eq 80 log (tag = x\n", 2,
	    "')' closing the log options");
}

/* Non-contiguous wildcards are the prefixes they spell (exact), up to
 * IOS_WILDCARD_MAX_PREFIXES; standard lists too. */
static void wildcards(void **state)
{
	struct res r = ok("ip access-list extended A\n"
			  " permit tcp host 1.1.1.1 10.0.0.0 0.0.10.255 eq 80\n"
			  " permit ip 10.0.10.0 0.255.0.255 any\n"
			  " deny ip 10.9.0.7 0.0.0.248 any\n"
			  "ip access-list standard S\n"
			  " permit 10.1.0.1 0.0.2.0\n"
			  "Standard IP access list T\n"
			  "    10 permit 10.2.0.0, wildcard bits 0.0.1.254\n");
	const struct aclf_filter *f;
	char s[64];

	(void)state;
	assert_int_equal(aclf_devpol_opaque_count(r.dp), 0);
	f = &r.dp->filters[0];
	assert_int_equal(f->rules[0].dst.n, 4);
	aclf_prefix_format(&f->rules[0].dst.v[0], s, sizeof(s));
	assert_string_equal(s, "10.0.0.0/24");
	aclf_prefix_format(&f->rules[0].dst.v[1], s, sizeof(s));
	assert_string_equal(s, "10.0.2.0/24");
	aclf_prefix_format(&f->rules[0].dst.v[3], s, sizeof(s));
	assert_string_equal(s, "10.0.10.0/24");
	assert_int_equal(f->rules[1].src.n, 256);
	aclf_prefix_format(&f->rules[1].src.v[255], s, sizeof(s));
	assert_string_equal(s, "10.255.10.0/24");
	/* free bits 3..7: 32 hosts 10.9.0.(7 & ~248) + 8k */
	assert_int_equal(f->rules[2].src.n, 32);
	aclf_prefix_format(&f->rules[2].src.v[31], s, sizeof(s));
	assert_string_equal(s, "10.9.0.255/32");
	assert_int_equal(r.dp->filters[1].rules[0].src.n, 2);
	aclf_prefix_format(&r.dp->filters[1].rules[0].src.v[1], s, sizeof(s));
	assert_string_equal(s, "10.1.2.1/32");
	/* bit 0 free: /31s; bits 1..7 and 8: 256 of them */
	assert_int_equal(r.dp->filters[2].rules[0].src.n, 256);
	aclf_policy_free(r.pol);
}

/* a failed parse leaves the policy as it was, even with earlier devices */
static void nothing_partial(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp;
	struct aclf_err err;
	static const char good[] = "ip access-list extended A\n permit ip any any\n";
	static const char broken[] = "ip access-list extended A\n permit ip any any\n"
				     "ip access-list extended B\n permit tcp any any eq\n";

	(void)state;
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios, good, strlen(good), &(struct aclf_parse_opts){ .name = "a" }, pol, &dp, &err), 0);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios, broken, strlen(broken), &(struct aclf_parse_opts){ .name = "b" }, pol, &dp, &err), -1);
	assert_int_equal(pol->ndevices, 1);
	assert_string_equal(pol->devices[0].name, "a");
	assert_int_equal(err.line, 4);
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iosxe_running_config),
		cmocka_unit_test(classic_and_numbered),
		cmocka_unit_test(ports_and_keywords),
		cmocka_unit_test(keyword_tables),
		cmocka_unit_test(object_groups),
		cmocka_unit_test(bindings),
		cmocka_unit_test(refusals),
		cmocka_unit_test(empty),
		cmocka_unit_test(indented_headers),
		cmocka_unit_test(cut_short),
		cmocka_unit_test(opaque_entries),
		cmocka_unit_test(wildcards),
		cmocka_unit_test(nothing_partial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
