/* Port names and the address forms tmsh prints.
 *
 * tmsh prints ports by their /etc/services name unless the session ran
 * `modify cli global-settings service number` (rcbops/rpc-openstack
 * scripts/f5-config.py; yukirii/go-tmsh test samples show ":https", a
 * public gist ":webcache"). BIG-IP's /etc/services is the IANA-derived file
 * of its CentOS base. The table holds the names of the ports the Lync 2013
 * hardware load balancer needs and the common ones; names marked "iana"
 * come from the IANA registry and were not seen in BIG-IP output. A name
 * not in the table is reported, never guessed. Render always prints
 * numbers. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "bigip_int.h"

struct port_name {
	const char *name;
	uint16_t port;
};

/* First entry per port is the name BIG-IP prints; later ones are aliases. */
static const struct port_name port_names[] = {
	{ "any", 0 },
	{ "ftp-data", 20 },
	{ "ftp", 21 },
	{ "ssh", 22 },
	{ "telnet", 23 },
	{ "smtp", 25 },
	{ "domain", 53 },
	{ "bootps", 67 },
	{ "bootpc", 68 },
	{ "tftp", 69 },
	{ "http", 80 },         /* seen: go-tmsh samples, list ltm pool members */
	{ "www", 80 },
	{ "kerberos", 88 },
	{ "pop3", 110 },
	{ "sunrpc", 111 },
	{ "ntp", 123 },
	{ "epmap", 135 },       /* iana; Lync DCOM */
	{ "loc-srv", 135 },
	{ "netbios-ns", 137 },
	{ "netbios-dgm", 138 },
	{ "netbios-ssn", 139 },
	{ "imap", 143 },
	{ "snmp", 161 },
	{ "snmptrap", 162 },
	{ "bgp", 179 },
	{ "ldap", 389 },
	{ "https", 443 },       /* seen: go-tmsh samples */
	{ "snpp", 444 },        /* iana; Lync inter-server HTTPS (focus) */
	{ "microsoft-ds", 445 },
	{ "ddm-ssl", 448 },     /* iana; Lync bandwidth policy service */
	{ "kpasswd", 464 },
	{ "smtps", 465 },
	{ "syslog", 514 },
	{ "submission", 587 },
	{ "ldaps", 636 },
	{ "imaps", 993 },
	{ "pop3s", 995 },
	{ "ms-sql-s", 1433 },
	{ "ms-sql-m", 1434 },
	{ "radius", 1812 },
	{ "radius-acct", 1813 },
	{ "nfs", 2049 },
	{ "mysql", 3306 },
	{ "ms-wbt-server", 3389 },
	{ "pharos", 4443 },     /* iana; Lync external web services */
	{ "sip", 5060 },
	{ "sip-tls", 5061 },    /* iana name in /etc/services files; Lync SIP/TLS */
	{ "sips", 5061 },
	{ "vtsas", 5070 },      /* iana; Lync mediation */
	{ "powerschool", 5071 }, /* iana; Lync response group */
	{ "ayiya", 5072 },      /* iana; Lync conferencing attendant */
	{ "tag-upp", 5073 },    /* iana; Lync conferencing announcement */
	{ "onscreen", 5080 },   /* iana; Lync bandwidth policy (A/V edge) */
	{ "xmpp-client", 5222 },
	{ "postgresql", 5432 },
	{ "webcache", 8080 },   /* seen: gist of list ltm virtual recursive */
	{ "http-alt", 8080 },
	{ "pcsync-https", 8443 }, /* iana */
};

#define NPORT_NAMES (sizeof(port_names) / sizeof(port_names[0]))

int bigip_port_parse(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -1;
	if (strcmp(s, "*") == 0) {
		*port = 0;
		return 0;
	}
	if (*s >= '0' && *s <= '9') {
		if (strlen(s) > 5)
			return -1;
		v = strtoul(s, &end, 10);
		if (*end || v > 65535)
			return -1;
		*port = (uint16_t)v;
		return 0;
	}
	for (size_t i = 0; i < NPORT_NAMES; i++)
		if (strcmp(s, port_names[i].name) == 0) {
			*port = port_names[i].port;
			return 0;
		}
	return -1;
}

const char *bigip_port_name(uint16_t port)
{
	for (size_t i = 0; i < NPORT_NAMES; i++)
		if (port_names[i].port == port)
			return port_names[i].name;
	return NULL;
}

static const char *after_folder(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

int bigip_parse_addr(const char *s, struct aclf_prefix *addr, long *rd)
{
	char tmp[64];
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);

	*rd = -1;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (pct) {
		char *end;
		if (pct[1] < '0' || pct[1] > '9' || strlen(pct + 1) > 5)
			return -1;
		*rd = strtol(pct + 1, &end, 10);
		if (*end)
			return -1;
	}
	if (strcmp(tmp, "any") == 0)
		return aclf_prefix_parse("0.0.0.0", addr, false);
	if (strcmp(tmp, "any6") == 0)
		return aclf_prefix_parse("::", addr, false);
	if (strchr(tmp, '/'))
		return -1;
	return aclf_prefix_parse(tmp, addr, false);
}

/* Split "addr<sep>port": IPv6 (two or more ':', or "any6") uses the last
 * '.', IPv4 and names the last ':'. */
static int split_port(const char *base, size_t *alen, const char **port)
{
	const char *c1 = strchr(base, ':');
	bool v6 = (c1 && strchr(c1 + 1, ':')) || strncmp(base, "any6.", 5) == 0;
	const char *sep = strrchr(base, v6 ? '.' : ':');

	if (!sep || sep == base || !sep[1])
		return -1;
	*alen = (size_t)(sep - base);
	*port = sep + 1;
	return 0;
}

int bigip_parse_dest(const char *s, struct aclf_prefix *addr, uint16_t *port, long *rd)
{
	const char *base = after_folder(s), *ps;
	char tmp[64];
	size_t alen;

	*rd = -1;
	if (split_port(base, &alen, &ps) < 0 || alen >= sizeof(tmp))
		return -1;
	memcpy(tmp, base, alen);
	tmp[alen] = '\0';
	if (bigip_parse_addr(tmp, addr, rd) < 0)
		return -1;
	if (bigip_port_parse(ps, port) < 0)
		return (*ps >= '0' && *ps <= '9') ? -1 : -2;
	return 0;
}

int bigip_split_member(struct aclf_arena *a, const char *key, char **node, uint16_t *port)
{
	const char *base = after_folder(key), *ps;
	size_t alen;

	if (split_port(base, &alen, &ps) < 0)
		return -1;
	if (bigip_port_parse(ps, port) < 0)
		return (*ps >= '0' && *ps <= '9') ? -1 : -2;
	*node = aclf_arena_strndup(a, key, (size_t)(base - key) + alen);
	return *node ? 0 : -1;
}

int bigip_parse_mask(const char *s, unsigned *len, uint8_t *family)
{
	struct aclf_prefix p;
	unsigned bits, l = 0;

	if (strcmp(s, "none") == 0) {
		*len = 0;
		*family = 0;
		return 0;
	}
	/* "any" / "any6": the all-zero mask of the family */
	if (strcmp(s, "any") == 0 || strcmp(s, "any6") == 0) {
		*len = 0;
		*family = s[3] ? 6 : 4;
		return 0;
	}
	if (aclf_prefix_parse(s, &p, false) < 0)
		return -1;
	bits = p.family == 4 ? 32 : 128;
	while (l < bits && (p.addr[l / 8] & (0x80 >> (l % 8))))
		l++;
	for (unsigned i = l; i < bits; i++)
		if (p.addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	*len = l;
	*family = p.family;
	return 0;
}
