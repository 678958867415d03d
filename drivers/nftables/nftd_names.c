/* Naming conventions of the nftables driver: identifiers and keywords. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "nftables/nftd.h"

/* Bare words nft reads as keywords in a chain name or jump target: every
 * word of nft 1.0.6's scanner rejected there (probed with `nft -c`), plus the
 * unconditional keywords added to src/scanner.l since. Sorted for bsearch. */
static const char *const keywords[] = {
	"accept", "add", "ah", "all", "and", "arp", "auto-merge",
	"bridge", "cgroup", "chain", "comment", "comp", "constant", "continue",
	"counter", "cpu", "create", "ct", "day", "dccp", "define",
	"delete", "describe", "destroy", "device", "devices", "dnat", "drop",
	"dst", "dup", "dynamic", "ecn", "element", "elements", "eq",
	"esp", "ether", "exists", "expires", "export", "exthdr", "fib",
	"flags", "flow", "flowtable", "flush", "frag", "fwd", "gc-interval",
	"ge", "geneve", "get", "goto", "gre", "gretap", "gt",
	"handle", "hbh", "hook", "hour", "ibriport", "ibrname", "icmp",
	"icmpv6", "igmp", "iif", "iifgroup", "iifname", "iiftype", "import",
	"include", "index", "inet", "insert", "interval", "ip", "ip6",
	"ipsec", "jhash", "jump", "last", "le", "limit", "list",
	"log", "lshift", "lt", "map", "mark", "masquerade", "meta",
	"meter", "mh", "missing", "monitor", "ne", "netdev", "nftrace",
	"not", "notrack", "numgen", "obriport", "obrname", "offload", "oif",
	"oifgroup", "oifname", "oiftype", "or", "osf", "pkttype", "policy",
	"position", "priority", "queue", "quota", "random", "redefine", "redirect",
	"reject", "rename", "replace", "reset", "return", "rshift", "rt",
	"rt0", "rt2", "rtclassid", "rule", "ruleset", "sctp", "secmark",
	"set", "size", "skgid", "skuid", "snat", "socket", "srh",
	"symhash", "synproxy", "table", "tcp", "th", "time", "timeout",
	"tproxy", "tunnel", "type", "typeof", "udp", "udplite", "undefine",
	"update", "vlan", "vmap", "vni", "vxlan", "xor", "xt",
};

static int kw_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool nftd_is_keyword(const char *s)
{
	return bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]), sizeof(keywords[0]),
		       kw_cmp) != NULL;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

int nftd_ident(struct aclf_buf *out, const char *s)
{
	char c0 = s[0];

	if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_'))
		if (aclf_buf_putc(out, '_') < 0)
			return -1;
	for (const char *p = s; *p; p++)
		if (aclf_buf_putc(out, ident_char(*p) ? *p : '_') < 0)
			return -1;
	return 0;
}
