/* Keyword tables of IOS ACLs: TCP/UDP port names, ICMP message names and
 * protocol names, as IOS accepts them (`permit tcp any any eq ?` help of
 * IOS 15.x / IOS-XE 16.x) and shows them in running-config and
 * show access-lists. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ios.h"

struct kw {
	const char *name;
	uint16_t port;
};

/* `permit tcp any any eq ?` */
static const struct kw tcp_ports[] = {
	{ "bgp", 179 }, { "chargen", 19 }, { "cmd", 514 }, { "daytime", 13 },
	{ "discard", 9 }, { "domain", 53 }, { "drip", 3949 }, { "echo", 7 },
	{ "exec", 512 }, { "finger", 79 }, { "ftp", 21 }, { "ftp-data", 20 },
	{ "gopher", 70 }, { "hostname", 101 }, { "ident", 113 }, { "irc", 194 },
	{ "klogin", 543 }, { "kshell", 544 }, { "login", 513 }, { "lpd", 515 },
	{ "msrpc", 135 }, { "nntp", 119 }, { "onep-plain", 15001 }, { "onep-tls", 15002 },
	{ "pim-auto-rp", 496 }, { "pop2", 109 }, { "pop3", 110 }, { "smtp", 25 },
	{ "sunrpc", 111 }, { "tacacs", 49 }, { "talk", 517 }, { "telnet", 23 },
	{ "time", 37 }, { "uucp", 540 }, { "whois", 43 }, { "www", 80 },
	/* not in the 15.x help, seen in captures of newer releases; accepted
	 * when parsing, never shown by ios_port_name() */
	{ "ssh", 22 }, { "http", 80 }, { "https", 443 },
};

/* `permit udp any any eq ?` */
static const struct kw udp_ports[] = {
	{ "biff", 512 }, { "bootpc", 68 }, { "bootps", 67 }, { "discard", 9 },
	{ "dnsix", 195 }, { "domain", 53 }, { "echo", 7 }, { "isakmp", 500 },
	{ "mobile-ip", 434 }, { "nameserver", 42 }, { "netbios-dgm", 138 },
	{ "netbios-ns", 137 }, { "netbios-ss", 139 }, { "non500-isakmp", 4500 },
	{ "ntp", 123 }, { "pim-auto-rp", 496 }, { "rip", 520 }, { "snmp", 161 },
	{ "snmptrap", 162 }, { "sunrpc", 111 }, { "syslog", 514 }, { "tacacs", 49 },
	{ "talk", 517 }, { "tftp", 69 }, { "time", 37 }, { "who", 513 }, { "xdmcp", 177 },
};

/* entries of tcp_ports from this index on are parse-only aliases */
#define TCP_SHOWN 36

static const char *const icmp4_types[] = {
	"administratively-prohibited", "alternate-address", "conversion-error",
	"dod-host-prohibited", "dod-net-prohibited", "echo", "echo-reply",
	"general-parameter-problem", "host-isolated", "host-precedence-unreachable",
	"host-redirect", "host-tos-redirect", "host-tos-unreachable", "host-unknown",
	"host-unreachable", "information-reply", "information-request", "mask-reply",
	"mask-request", "mobile-redirect", "net-redirect", "net-tos-redirect",
	"net-tos-unreachable", "net-unreachable", "network-unknown", "no-room-for-option",
	"option-missing", "packet-too-big", "parameter-problem", "port-unreachable",
	"precedence-unreachable", "protocol-unreachable", "reassembly-timeout", "redirect",
	"router-advertisement", "router-solicitation", "source-quench", "source-route-failed",
	"time-exceeded", "timestamp-reply", "timestamp-request", "traceroute", "ttl-exceeded",
	"unreachable", NULL,
};

static const char *const icmp6_types[] = {
	"beyond-scope", "destination-unreachable", "echo-reply", "echo-request", "header",
	"hop-limit", "mld-query", "mld-reduction", "mld-report", "nd-na", "nd-ns",
	"next-header", "no-admin", "no-route", "packet-too-big", "parameter-option",
	"parameter-problem", "port-unreachable", "reassembly-timeout", "renum-command",
	"renum-result", "renum-seq-number", "router-advertisement", "router-renumbering",
	"router-solicitation", "time-exceeded", "unreachable", NULL,
};

struct pkw {
	const char *name;
	int proto;
};

static const struct pkw proto4[] = {
	{ "ip", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ipinip", 4 }, { "tcp", 6 },
	{ "udp", 17 }, { "gre", 47 }, { "esp", 50 }, { "ahp", 51 }, { "eigrp", 88 },
	{ "ospf", 89 }, { "nos", 94 }, { "pim", 103 }, { "pcp", 108 },
};

static const struct pkw proto6[] = {
	{ "ipv6", 0 }, { "tcp", 6 }, { "udp", 17 }, { "esp", 50 }, { "ahp", 51 },
	{ "icmp", 58 }, { "pcp", 108 }, { "sctp", 132 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

int ios_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t n = 0;

	if (!s || !*s)
		return -1;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 10)
			return -1;
		v = v * 10 + (unsigned long)(s[n] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static int lookup(const struct kw *t, size_t n, const char *name, uint16_t *port)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(t[i].name, name) == 0) {
			*port = t[i].port;
			return 0;
		}
	return -1;
}

int ios_port_keyword(int proto, const char *name, uint16_t *port)
{
	if (proto == ACLF_PROTO_TCP)
		return lookup(tcp_ports, N(tcp_ports), name, port);
	if (proto == ACLF_PROTO_UDP)
		return lookup(udp_ports, N(udp_ports), name, port);
	if (proto == 0) {
		if (lookup(tcp_ports, N(tcp_ports), name, port) == 0)
			return 0;
		return lookup(udp_ports, N(udp_ports), name, port);
	}
	return -1;
}

const char *ios_port_name(int proto, uint16_t port)
{
	if (proto == ACLF_PROTO_TCP) {
		for (size_t i = 0; i < TCP_SHOWN; i++)
			if (tcp_ports[i].port == port)
				return tcp_ports[i].name;
	} else if (proto == ACLF_PROTO_UDP) {
		for (size_t i = 0; i < N(udp_ports); i++)
			if (udp_ports[i].port == port)
				return udp_ports[i].name;
	}
	return NULL;
}

bool ios_icmp_type_known(uint8_t family, const char *name)
{
	const char *const *t = family == 6 ? icmp6_types : icmp4_types;

	for (size_t i = 0; t[i]; i++)
		if (strcasecmp(t[i], name) == 0)
			return true;
	return false;
}

int ios_proto_parse(uint8_t family, const char *s)
{
	const struct pkw *t = family == 6 ? proto6 : proto4;
	size_t n = family == 6 ? N(proto6) : N(proto4);
	unsigned long v;

	for (size_t i = 0; i < n; i++)
		if (strcasecmp(t[i].name, s) == 0)
			return t[i].proto;
	if (ios_parse_uint(s, 255, &v) < 0)
		return -1;
	return (int)v;
}

const char *ios_proto_keyword(uint8_t family, int proto)
{
	const struct pkw *t = family == 6 ? proto6 : proto4;
	size_t n = family == 6 ? N(proto6) : N(proto4);

	for (size_t i = 0; i < n; i++)
		if (t[i].proto == proto)
			return t[i].name;
	return NULL;
}
