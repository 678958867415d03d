/* Junos names: ports, protocols, quoting of identifiers, interface units. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/hash.h"
#include "junos.h"

struct named {
	const char *name;
	int num;
};

/* Port names the Junos CLI accepts in source-port/destination-port/port. */
static const struct named port_names[] = {
	{ "afs", 1483 }, { "bgp", 179 }, { "biff", 512 }, { "bootpc", 68 }, { "bootps", 67 },
	{ "cmd", 514 }, { "cvspserver", 2401 }, { "dhcp", 67 }, { "domain", 53 },
	{ "eklogin", 2105 }, { "ekshell", 2106 }, { "exec", 512 }, { "finger", 79 },
	{ "ftp", 21 }, { "ftp-data", 20 }, { "http", 80 }, { "https", 443 }, { "ident", 113 },
	{ "imap", 143 }, { "kerberos-sec", 88 }, { "klogin", 543 }, { "kpasswd", 761 },
	{ "krb-prop", 754 }, { "krbupdate", 760 }, { "kshell", 544 }, { "ldap", 389 },
	{ "ldp", 646 }, { "login", 513 }, { "mobileip-agent", 434 }, { "mobilip-mn", 435 },
	{ "msdp", 639 }, { "netbios-dgm", 138 }, { "netbios-ns", 137 }, { "netbios-ssn", 139 },
	{ "nfsd", 2049 }, { "nntp", 119 }, { "ntalk", 518 }, { "ntp", 123 }, { "pop3", 110 },
	{ "pptp", 1723 }, { "printer", 515 }, { "radacct", 1813 }, { "radius", 1812 },
	{ "rip", 520 }, { "rkinit", 2108 }, { "smtp", 25 }, { "snmp", 161 }, { "snmptrap", 162 },
	{ "snpp", 444 }, { "socks", 1080 }, { "ssh", 22 }, { "sunrpc", 111 }, { "syslog", 514 },
	{ "tacacs", 49 }, { "tacacs-ds", 65 }, { "talk", 517 }, { "telnet", 23 }, { "tftp", 69 },
	{ "timed", 525 }, { "who", 513 }, { "xdmcp", 177 }, { "zephyr-clt", 2103 },
	{ "zephyr-hm", 2104 }, { "zephyr-srv", 2102 },
};

/* Protocol (inet) and next-header (inet6) names. The first name of a number
 * is the one rendered. */
static const struct named proto_names[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "ipip", 4 }, { "tcp", 6 }, { "egp", 8 }, { "udp", 17 },
	{ "ipv6", 41 }, { "routing", 43 }, { "fragment", 44 }, { "rsvp", 46 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "icmp6", 58 }, { "icmpv6", 58 }, { "no-next-header", 59 },
	{ "dstopts", 60 }, { "ospf", 89 }, { "pim", 103 }, { "vrrp", 112 }, { "sctp", 132 },
};

static long parse_num(const char *s, long max)
{
	long v = 0;

	if (!*s || strlen(s) > 8)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= max ? v : -1;
}

int junos_port_lookup(const char *s)
{
	for (size_t i = 0; i < sizeof(port_names) / sizeof(port_names[0]); i++)
		if (!strcmp(s, port_names[i].name))
			return port_names[i].num;
	return (int)parse_num(s, 65535);
}

int junos_port_range_parse(const char *s, struct aclf_port_range *r)
{
	const char *dash;
	char lo[16];
	int a, b;

	a = junos_port_lookup(s);
	if (a >= 0) {
		r->lo = r->hi = (uint16_t)a;
		return 0;
	}
	dash = strchr(s, '-');
	if (!dash || (size_t)(dash - s) >= sizeof(lo))
		return -1;
	memcpy(lo, s, (size_t)(dash - s));
	lo[dash - s] = '\0';
	a = (int)parse_num(lo, 65535);
	b = (int)parse_num(dash + 1, 65535);
	if (a < 0 || b < 0 || a > b)
		return -1;
	r->lo = (uint16_t)a;
	r->hi = (uint16_t)b;
	return 0;
}

int junos_proto_lookup(const char *s)
{
	long v;

	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (!strcmp(s, proto_names[i].name))
			return proto_names[i].num;
	v = parse_num(s, 255);
	return v >= 1 ? (int)v : -1;
}

const char *junos_proto_name(int proto, char *buf, size_t buflen)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].num == proto)
			return proto_names[i].name;
	snprintf(buf, buflen, "%d", proto);
	return buf;
}

static bool plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '/' || c == ':';
}

bool junos_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

int junos_put_name(struct aclf_buf *b, const char *s)
{
	bool plain = true;

	if (!junos_name_ok(s))
		return -1;
	/* a leading '-' or '#' would read as an option or a comment */
	if (s[0] == '-' || s[0] == '#')
		plain = false;
	for (const char *p = s; *p && plain; p++)
		if (!plain_char(*p))
			plain = false;
	if (plain)
		return aclf_buf_puts(b, s);
	return aclf_buf_printf(b, "\"%s\"", s);
}

int junos_split_ifname(const char *s, char *ifd, size_t ifdlen, char *unit, size_t unitlen)
{
	const char *dot;
	size_t n;

	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (!plain_char(*p))
			return -1;
	dot = strrchr(s, '.');
	if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1) &&
	    strlen(dot + 1) < unitlen) {
		n = (size_t)(dot - s);
		snprintf(unit, unitlen, "%s", dot + 1);
	} else {
		n = strlen(s);
		snprintf(unit, unitlen, "0");
	}
	if (n == 0 || n >= ifdlen)
		return -1;
	memcpy(ifd, s, n);
	ifd[n] = '\0';
	return 0;
}

const char *junos_snippet(char *out, size_t outlen, const char *s, size_t n)
{
	size_t w = 0, max = outlen > 64 ? 60 : outlen - 1;

	for (size_t i = 0; i < n && w < max; i++) {
		unsigned char c = (unsigned char)s[i];
		out[w++] = (c < 0x20 || c >= 0x7f || c == '\'') ? '?' : (char)c;
	}
	if (n > max && w >= 3 && outlen > 64)
		memcpy(out + w - 3, "...", 3);
	out[w] = '\0';
	return out;
}

/* ---- string -> index map ---- */

long junos_smap_get(const struct junos_smap *m, const char *k)
{
	if (!m->cap)
		return -1;
	for (size_t i = aclf_hash_str(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i])
			return -1;
		if (!strcmp(m->key[i], k))
			return m->val[i];
	}
}

/* the first value for a key stays */
int junos_smap_put(struct aclf_arena *a, struct junos_smap *m, const char *k, long v)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct junos_smap g = { 0 };
		g.cap = m->cap ? 2 * m->cap : 64;
		g.key = aclf_arena_alloc(a, g.cap * sizeof(*g.key));
		g.val = aclf_arena_alloc(a, g.cap * sizeof(*g.val));
		if (!g.key || !g.val)
			return -1;
		for (size_t j = 0; j < m->cap; j++)
			if (m->key[j] && junos_smap_put(a, &g, m->key[j], m->val[j]) < 0)
				return -1;
		*m = g;
	}
	for (i = aclf_hash_str(k) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->key[i], k))
			return 0;
	m->key[i] = k;
	m->val[i] = v;
	m->n++;
	return 0;
}
