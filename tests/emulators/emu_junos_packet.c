/* Control commands of the Junos kind (a test's hand on the device):
 *
 *   count FILTER COUNTER [PACKETS [BYTES]]
 *       add to a counter of a committed filter
 *   packet WHERE PROTO SRC SPORT DST DPORT [established] [BYTES]
 *       one packet through a committed filter: WHERE is a filter name, or
 *       an interface unit and direction (`ge-0/0/1.0 in`, unit 0 when
 *       none); the family follows the addresses. The first term whose
 *       `from` matches decides, as on the device: its `then count` counter
 *       counts the packet, and out says "TERM accept|discard" (or
 *       "implicit discard"; "no filter" when nothing is bound there).
 *   foreign-commit USER MINUTES
 *       right after the next commit confirmed of another user, USER
 *       commits confirmed MINUTES too (`set system location building
 *       FOREIGN`, comment "foreign trial"): someone else's trial landing
 *       between an apply's commit confirmed and its confirm
 *
 * Matching covers what aclforge renders and reads: addresses and prefix
 * lists with `except` (longest match), protocol / next-header, ports and
 * ranges by number or common name, tcp-established. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

struct pkt {
	int family;                 /* 4 or 6 */
	unsigned char src[16], dst[16];
	int proto;
	long sport, dport;
	bool established;
};

static const struct {
	const char *name;
	int num;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "esp", 50 },
	{ "ah", 51 },  { "icmp6", 58 }, { "ospf", 89 }, { "pim", 103 }, { "vrrp", 112 },
	{ "sctp", 132 },
};

static const struct {
	const char *name;
	long port;
} ports[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "http", 80 },
	{ "ntp", 123 }, { "snmp", 161 }, { "snmptrap", 162 }, { "bgp", 179 }, { "ldap", 389 },
	{ "https", 443 }, { "syslog", 514 }, { "radius", 1812 },
};

static int proto_num(const char *s)
{
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(protos[i].name, s))
			return protos[i].num;
	n = strtol(s, &end, 10);
	return (*s && !*end && n >= 0 && n <= 255) ? (int)n : -1;
}

static long port_num(const char *s)
{
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (!strcmp(ports[i].name, s))
			return ports[i].port;
	n = strtol(s, &end, 10);
	return (*s && !*end && n >= 0 && n <= 65535) ? n : -1;
}

static bool port_in(const char *spec, long p)
{
	const char *dash = strchr(spec, '-');

	if (dash && dash != spec) {
		char lo[32];
		size_t l = (size_t)(dash - spec);

		if (l >= sizeof(lo))
			return false;
		memcpy(lo, spec, l);
		lo[l] = '\0';
		return port_num(lo) >= 0 && p >= port_num(lo) && p <= port_num(dash + 1);
	}
	return port_num(spec) == p;
}

/* -1 no, else the prefix length when addr is inside prefix */
static int prefix_match(const char *prefix, int family, const unsigned char *addr)
{
	char a[64];
	const char *slash = strchr(prefix, '/');
	size_t len = slash ? (size_t)(slash - prefix) : strlen(prefix);
	unsigned char net[16];
	int bits = family == 4 ? 32 : 128;

	if (len >= sizeof(a))
		return -1;
	memcpy(a, prefix, len);
	a[len] = '\0';
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, a, net) != 1)
		return -1;
	if (slash)
		bits = atoi(slash + 1);
	for (int i = 0; i < bits; i++) {
		unsigned char m = (unsigned char)(0x80 >> (i % 8));

		if ((net[i / 8] & m) != (addr[i / 8] & m))
			return -1;
	}
	return bits;
}

struct lm {
	int best;      /* longest length seen */
	bool except;   /* that entry is `except` */
};

static void consider(struct lm *m, const struct jt_node *entry, int family,
		     const unsigned char *addr, bool except_all)
{
	int l = prefix_match(entry->word, family, addr);
	bool ex = except_all || jt_find((struct jt_node *)entry, (char *[]){ "except" }, 1);

	if (l > m->best) {
		m->best = l;
		m->except = ex;
	}
}

/* the address conditions of one side (src or dst), longest match */
static int addr_side(struct jt_node *cfg, struct jt_node *from, const char *const *addr_kw,
		     const char *const *list_kw, int family, const unsigned char *addr)
{
	struct lm m = { -1, false };
	bool any = false;

	for (size_t i = 0; addr_kw[i]; i++) {
		struct jt_node *c = jt_find(from, (char **)&addr_kw[i], 1);

		for (size_t k = 0; c && k < c->n; k++) {
			any = true;
			consider(&m, c->kids[k], family, addr, false);
		}
	}
	for (size_t i = 0; list_kw[i]; i++) {
		struct jt_node *c = jt_find(from, (char **)&list_kw[i], 1);

		for (size_t k = 0; c && k < c->n; k++) {
			char *p[3] = { "policy-options", "prefix-list", c->kids[k]->word };
			struct jt_node *pl = jt_find(cfg, p, 3);
			bool ex = jt_find(c->kids[k], (char *[]){ "except" }, 1) != NULL;

			any = true;
			for (size_t e = 0; pl && e < pl->n; e++)
				consider(&m, pl->kids[e], family, addr, ex);
		}
	}
	if (!any)
		return 1;
	return m.best >= 0 && !m.except;
}

static bool ports_ok(struct jt_node *from, const char *kw, long p)
{
	struct jt_node *c = jt_find(from, (char *[]){ (char *)kw }, 1);

	if (!c)
		return true;
	for (size_t k = 0; k < c->n; k++)
		if (port_in(c->kids[k]->word, p))
			return true;
	return false;
}

static bool term_matches(struct jt_node *cfg, struct jt_node *term, const struct pkt *p)
{
	struct jt_node *from = jt_find(term, (char *[]){ "from" }, 1);
	static const char *const src_a[] = { "source-address", "address", NULL };
	static const char *const dst_a[] = { "destination-address", "address", NULL };
	static const char *const src_l[] = { "source-prefix-list", "prefix-list", NULL };
	static const char *const dst_l[] = { "destination-prefix-list", "prefix-list", NULL };
	struct jt_node *proto;

	if (!from)
		return true;
	if (!addr_side(cfg, from, src_a, src_l, p->family, p->src) ||
	    !addr_side(cfg, from, dst_a, dst_l, p->family, p->dst))
		return false;
	proto = jt_find(from, (char *[]){ p->family == 4 ? "protocol" : "next-header" }, 1);
	if (proto) {
		bool ok = false;

		for (size_t k = 0; k < proto->n && !ok; k++)
			ok = proto_num(proto->kids[k]->word) == p->proto;
		if (!ok)
			return false;
	}
	if (!ports_ok(from, "source-port", p->sport) || !ports_ok(from, "destination-port", p->dport))
		return false;
	if (jt_find(from, (char *[]){ "port" }, 1) && !ports_ok(from, "port", p->sport) &&
	    !ports_ok(from, "port", p->dport))
		return false;
	if (jt_find(from, (char *[]){ "tcp-established" }, 1) && (p->proto != 6 || !p->established))
		return false;
	return true;
}

/* the filter bound at IFD[.UNIT] in|out, or NULL */
static const char *bound(struct jt_node *cfg, const char *where, const char *dir, int family)
{
	char ifd[128], unit[16] = "0";
	const char *dot = strrchr(where, '.');
	size_t l = dot ? (size_t)(dot - where) : strlen(where);
	struct jt_node *f;

	if (l >= sizeof(ifd) || (dot && strlen(dot + 1) >= sizeof(unit)))
		return NULL;
	memcpy(ifd, where, l);
	ifd[l] = '\0';
	if (dot)
		snprintf(unit, sizeof(unit), "%s", dot + 1);
	f = jt_find(cfg, (char *[]){ "interfaces", ifd, "unit", unit, "family",
				     family == 4 ? "inet" : "inet6", "filter",
				     !strcmp(dir, "in") ? "input" : "output" }, 8);
	return f && f->n ? f->kids[0]->word : NULL;
}

static int count_in(struct junos_dev *d, const char *filter, const char *name,
		    unsigned long long packets, unsigned long long bytes, struct aclf_buf *out);

static int packet(struct junos_dev *d, const char *command, struct aclf_buf *out)
{
	char where[128], dir[8] = "", proto[16], src[64], dst[64], extra[2][32];
	long sport, dport;
	struct pkt p = { 0 };
	const char *fname;
	struct jt_node *filter, *terms;
	unsigned long long bytes = 100;
	int n, used = 0;
	const char *rest;

	/* WHERE [in|out] PROTO SRC SPORT DST DPORT [established] [BYTES] */
	if (sscanf(command, "packet %127s %n", where, &used) != 1)
		goto usage;
	rest = command + used;
	if (!strncmp(rest, "in ", 3) || !strncmp(rest, "out ", 4)) {
		snprintf(dir, sizeof(dir), "%s", rest[0] == 'i' ? "in" : "out");
		rest += strlen(dir) + 1;
	}
	n = sscanf(rest, "%15s %63s %ld %63s %ld %31s %31s", proto, src, &sport, dst, &dport,
		   extra[0], extra[1]);
	if (n < 5 || sport < 0 || sport > 65535 || dport < 0 || dport > 65535)
		goto usage;
	for (int i = 0; i < n - 5; i++) {
		if (!strcmp(extra[i], "established"))
			p.established = true;
		else
			bytes = strtoull(extra[i], NULL, 10);
	}
	if (inet_pton(AF_INET, src, p.src) == 1 && inet_pton(AF_INET, dst, p.dst) == 1)
		p.family = 4;
	else if (inet_pton(AF_INET6, src, p.src) == 1 && inet_pton(AF_INET6, dst, p.dst) == 1)
		p.family = 6;
	else
		goto usage;
	p.proto = proto_num(proto);
	p.sport = sport;
	p.dport = dport;
	if (p.proto < 0)
		goto usage;
	fname = *dir ? bound(d->running, where, dir, p.family) : where;
	if (!fname)
		return aclf_buf_puts(out, "no filter\n") < 0 ? -1 : 0;
	filter = jt_find(d->running, (char *[]){ "firewall", "family", p.family == 4 ? "inet" : "inet6",
						 "filter", (char *)fname }, 5);
	if (!filter) {
		aclf_buf_printf(out, "no committed %s filter '%s'\n", p.family == 4 ? "inet" : "inet6", fname);
		return -1;
	}
	terms = jt_find(filter, (char *[]){ "term" }, 1);
	for (size_t t = 0; terms && t < terms->n; t++) {
		struct jt_node *term = terms->kids[t];
		struct jt_node *then = jt_find(term, (char *[]){ "then" }, 1);
		struct jt_node *cnt = then ? jt_find(then, (char *[]){ "count" }, 1) : NULL;
		bool discard;

		if (!term_matches(d->running, term, &p))
			continue;
		discard = then && (jt_find(then, (char *[]){ "discard" }, 1) ||
				   jt_find(then, (char *[]){ "reject" }, 1));
		if (cnt && cnt->n && count_in(d, fname, cnt->kids[0]->word, 1, bytes, out) < 0)
			return -1;
		return aclf_buf_printf(out, "%s %s\n", term->word, discard ? "discard" : "accept") < 0 ? -1 : 0;
	}
	return aclf_buf_puts(out, "implicit discard\n") < 0 ? -1 : 0;
usage:
	aclf_buf_puts(out, "usage: packet FILTER|IFNAME in|out PROTO SRC SPORT DST DPORT "
			   "[established] [BYTES]\n");
	return -1;
}

static struct junos_counter *counter(struct junos_dev *d, const char *filter, const char *name)
{
	struct junos_counter *c;

	for (size_t i = 0; i < d->ncounters; i++)
		if (!strcmp(d->counters[i].filter, filter) && !strcmp(d->counters[i].name, name))
			return &d->counters[i];
	if (d->ncounters == d->ccap) {
		size_t cap = d->ccap ? d->ccap * 2 : 16;

		c = realloc(d->counters, cap * sizeof(*c));
		if (!c)
			return NULL;
		d->counters = c;
		d->ccap = cap;
	}
	c = &d->counters[d->ncounters];
	c->filter = strdup(filter);
	c->name = strdup(name);
	c->packets = c->bytes = 0;
	if (!c->filter || !c->name) {
		free(c->filter);
		free(c->name);
		return NULL;
	}
	d->ncounters++;
	return c;
}

const struct junos_counter *emu_junos_counter_get(const struct junos_dev *d, const char *filter,
					      const char *name)
{
	for (size_t i = 0; i < d->ncounters; i++)
		if (!strcmp(d->counters[i].filter, filter) && !strcmp(d->counters[i].name, name))
			return &d->counters[i];
	return NULL;
}

static int count_in(struct junos_dev *d, const char *filter, const char *name,
		    unsigned long long packets, unsigned long long bytes, struct aclf_buf *out)
{
	struct junos_counter *c = counter(d, filter, name);

	if (!c) {
		aclf_buf_puts(out, "out of memory\n");
		return -1;
	}
	c->packets += packets;
	c->bytes += bytes;
	return 0;
}

int emu_junos_control(void *dev, const char *command, struct aclf_buf *out)
{
	struct junos_dev *d = dev;
	char filter[256], name[256];
	unsigned long long packets = 1, bytes = 0;
	int n;
	bool known = false;

	if (!strncmp(command, "packet ", 7))
		return packet(d, command, out);
	if (!strncmp(command, "foreign-commit ", 15))
		return emu_junos_arm_foreign(d, command + 15, out);
	n = sscanf(command, "count %255s %255s %llu %llu", filter, name, &packets, &bytes);
	if (n < 2) {
		aclf_buf_puts(out, "usage: count FILTER COUNTER [PACKETS [BYTES]] | packet ... | foreign-commit USER MINUTES\n");
		return -1;
	}
	if (n < 4)
		bytes = packets * 100;
	for (size_t i = 0; i < 2 && !known; i++) {
		char *p[5] = { "firewall", "family", i ? "inet6" : "inet", "filter", filter };
		struct jt_node *f = jt_find(d->running, p, 5);
		struct jt_node *terms = f ? jt_find(f, (char *[]){ "term" }, 1) : NULL;

		for (size_t t = 0; terms && t < terms->n && !known; t++)
			known = jt_find(terms->kids[t], (char *[]){ "then", "count", name }, 3) != NULL;
	}
	if (!known) {
		aclf_buf_printf(out, "no counter '%s' in a committed filter '%s'\n", name, filter);
		return -1;
	}
	return count_in(d, filter, name, packets, bytes, out);
}
