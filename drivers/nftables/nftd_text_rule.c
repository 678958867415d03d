/* One nft rule in text form into the statements of `nft -j`: matches
 * ("ip saddr != 10.0.0.0/8", "tcp dport { 80, 443 }", "ct state
 * established,related", "tcp flags & (ack|rst) != 0"), counter, verdict and
 * comment. Statements the decoder does not model (log, limit, meta mark
 * set, ...) become a statement of their own name, so that the decoder
 * treats them exactly as it treats them in JSON; their arguments are
 * skipped up to the next statement. A word that starts no nft statement is
 * an error: nft would refuse the line too. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/err.h"
#include "nftables/nftd_text.h"

struct rx {
	struct nftd_tp *tp;
	size_t i, e;
	json_t *expr;
};

static const char *const payload_protos[] = {
	"ip", "ip6", "tcp", "udp", "icmp", "icmpv6", "sctp", "dccp", "th", "udplite", "ah",
	"esp", "comp", "ether", "vlan", "arp", "igmp", "gre", "vxlan", "geneve", "gretap", NULL
};
static const char *const meta_short[] = {
	"iif", "oif", "iifname", "oifname", "mark", "skuid", "skgid", "pkttype", "iiftype",
	"oiftype", "cpu", "iifgroup", "oifgroup", "cgroup", "nftrace", "iifkind", "oifkind", NULL
};
/* statements (and match expressions) read but not modelled: the decoder
 * judges them by name */
static const char *const other_stmts[] = {
	"log", "limit", "quota", "notrack", "snat", "dnat", "masquerade", "redirect", "tproxy",
	"dup", "fwd", "synproxy", "set", "update", "add", "delete", "flow", "numgen", "osf",
	"xt", "socket", "fib", "rt", "hash", "jhash", "symhash", "ipsec", "tunnel", "last",
	"exthdr", "frag", "hbh", "mh", "srh", "dst", "secmark", "reset", "queue", "return",
	"continue", "goto", "meter", NULL
};

static bool in_list(const struct nftd_tok *t, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (nftd_tok_is(t, list[i]))
			return true;
	return false;
}

static bool stmt_start(const struct nftd_tok *t)
{
	return in_list(t, payload_protos) || in_list(t, meta_short) || in_list(t, other_stmts) ||
	       nftd_tok_is(t, "meta") || nftd_tok_is(t, "ct") || nftd_tok_is(t, "counter") ||
	       nftd_tok_is(t, "accept") || nftd_tok_is(t, "drop") || nftd_tok_is(t, "reject") ||
	       nftd_tok_is(t, "jump") || nftd_tok_is(t, "comment");
}

static struct nftd_tok *peek(struct rx *x)
{
	static struct nftd_tok end = { .k = NFTD_T_EOF };

	return x->i < x->e ? nftd_tp_tok(x->tp, x->i) : &end;
}

static struct nftd_tok *take(struct rx *x)
{
	struct nftd_tok *t = peek(x);

	if (x->i < x->e)
		x->i++;
	return t;
}

static bool is_p(const struct nftd_tok *t, char c)
{
	return t->k == NFTD_T_PUNCT && t->s[0] == c;
}

/* skip newlines inside braces */
static void skip_nl(struct rx *x)
{
	while (peek(x)->k == NFTD_T_NL)
		take(x);
}

static int rerr(struct rx *x, const struct nftd_tok *t, const char *what)
{
	if (t->k == NFTD_T_EOF)
		t = nftd_tp_tok(x->tp, x->e > 0 ? x->e - 1 : 0);
	return nftd_tp_err(x->tp, t, "%s", what);
}

static int add(struct rx *x, json_t *st)
{
	if (!st || json_array_append_new(x->expr, st) < 0)
		return aclf_err_nomem(x->tp->err);
	return 0;
}

static bool digits(const char *s, size_t n)
{
	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* s[0..n) as a number (digits(s, n) holds; s need not end there) */
static long num(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Service names as nft -S prints them (Debian's /etc/services, IANA
 * names): read the same whatever /etc/services the reading machine has
 * (a minimal system has none). Other names go to the system's database. */
static const struct {
	const char *name;
	uint16_t port;
} services[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "http", 80 },
	{ "kerberos", 88 }, { "pop3", 110 }, { "ntp", 123 }, { "epmap", 135 },
	{ "netbios-ns", 137 }, { "netbios-dgm", 138 }, { "netbios-ssn", 139 }, { "snmp", 161 },
	{ "snmp-trap", 162 }, { "ldap", 389 }, { "https", 443 }, { "microsoft-ds", 445 },
	{ "kpasswd", 464 }, { "syslog", 514 }, { "submission", 587 }, { "ldaps", 636 },
	{ "ms-sql-s", 1433 }, { "sip", 5060 }, { "sip-tls", 5061 }, { "http-alt", 8080 },
};

static json_t *port_one(const char *s, size_t n)
{
	char buf[64];
	struct servent se, *res = NULL;
	char sbuf[1024];

	if (digits(s, n))
		return json_integer(num(s, n));
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strlen(services[i].name) == n && !memcmp(services[i].name, s, n))
			return json_integer(services[i].port);
	if (n < sizeof(buf)) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		if ((getservbyname_r(buf, "tcp", &se, sbuf, sizeof(sbuf), &res) == 0 && res) ||
		    (getservbyname_r(buf, "udp", &se, sbuf, sizeof(sbuf), &res) == 0 && res))
			return json_integer(ntohs((uint16_t)res->s_port));
	}
	return json_stringn(s, n);
}

json_t *nftd_text_value(const struct nftd_tok *t, enum nftd_vkind kind)
{
	const char *s = t->s, *dash, *slash;
	size_t n = t->n;

	if (t->k == NFTD_T_STR || kind == NFTD_VAL_PLAIN || (n && s[0] == '@')) {
		if (t->k == NFTD_T_WORD && digits(s, n))
			return json_integer(num(s, n));
		return json_stringn(s, n);
	}
	dash = memchr(s, '-', n);
	if (kind == NFTD_VAL_PORT) {
		if (dash)
			return json_pack("{s[oo]}", "range", port_one(s, (size_t)(dash - s)),
					 port_one(dash + 1, n - (size_t)(dash - s) - 1));
		return port_one(s, n);
	}
	if (dash)
		return json_pack("{s[s#s#]}", "range", s, (int)(dash - s), dash + 1,
				 (int)(n - (size_t)(dash - s) - 1));
	slash = memchr(s, '/', n);
	if (slash && digits(slash + 1, n - (size_t)(slash - s) - 1))
		return json_pack("{s{s:s#,s:i}}", "prefix", "addr", s, (int)(slash - s), "len",
				 (int)num(slash + 1, n - (size_t)(slash - s) - 1));
	return json_stringn(s, n);
}

/* A value: `{ a, b-c, ... }`, or `a` or `a,b,c` (which makes the implicit
 * operator "in", as nft -j prints ct state established,related). */
static json_t *value(struct rx *x, enum nftd_vkind kind, bool *list)
{
	struct nftd_tok *t = peek(x);
	json_t *arr;

	*list = false;
	if (is_p(t, '{')) {
		const struct nftd_tok *open = take(x);
		arr = json_array();
		for (bool first = true;; first = false) {
			skip_nl(x);
			t = peek(x);
			if (is_p(t, '}')) {
				take(x);
				return json_pack("{so}", "set", arr);
			}
			if (!first) {
				if (!is_p(t, ',')) {
					rerr(x, t->k == NFTD_T_EOF ? open : t, t->k == NFTD_T_EOF ?
					     "anonymous set not closed: '}' expected" :
					     "',' expected between set elements");
					json_decref(arr);
					return NULL;
				}
				take(x);
				skip_nl(x);
				t = peek(x);
			}
			if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR) {
				rerr(x, t->k == NFTD_T_EOF ? open : t, "set element expected");
				json_decref(arr);
				return NULL;
			}
			take(x);
			json_array_append_new(arr, nftd_text_value(t, kind));
		}
	}
	if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR) {
		rerr(x, t, "value expected");
		return NULL;
	}
	take(x);
	if (!is_p(peek(x), ','))
		return nftd_text_value(t, kind);
	*list = true;
	arr = json_array();
	json_array_append_new(arr, nftd_text_value(t, kind));
	while (is_p(peek(x), ',')) {
		take(x);
		t = peek(x);
		if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR) {
			rerr(x, t, "value expected after ','");
			json_decref(arr);
			return NULL;
		}
		take(x);
		json_array_append_new(arr, nftd_text_value(t, kind));
	}
	return arr;
}

static const char *op_word(const struct nftd_tok *t)
{
	static const char *const ops[][2] = {
		{ "==", "==" }, { "eq", "==" }, { "!=", "!=" }, { "ne", "!=" }, { "<", "<" },
		{ "lt", "<" },	{ ">", ">" },	{ "gt", ">" },	{ "<=", "<=" }, { "le", "<=" },
		{ ">=", ">=" }, { "ge", ">=" },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (nftd_tok_is(t, ops[i][0]))
			return ops[i][1];
	return NULL;
}

/* [op] value, as {"match": {"op", "left", "right"}} */
static int match_rest(struct rx *x, json_t *left, enum nftd_vkind kind)
{
	const char *op = op_word(peek(x));
	json_t *right;
	bool list;

	if (!left)
		return aclf_err_nomem(x->tp->err);
	if (is_p(peek(x), '&') || is_p(peek(x), '|')) {
		/* a bitwise expression: read as an operator the decoder does not take */
		json_t *mask;
		take(x);
		if (!(mask = value(x, NFTD_VAL_PLAIN, &list))) {
			json_decref(left);
			return -1;
		}
		json_decref(mask);
		op = "bitwise";
		if (op_word(peek(x)))
			take(x);
	} else if (op) {
		take(x);
	}
	right = value(x, kind, &list);
	if (!right) {
		json_decref(left);
		return -1;
	}
	if (!op)
		op = list ? "in" : "==";
	return add(x, json_pack("{s{ssso so}}", "match", "op", op, "left", left, "right", right));
}

/* tcp flags & (ack|rst) != 0, tcp flags rst,ack */
static int tcp_flags(struct rx *x, json_t *left)
{
	json_t *words;
	const struct nftd_tok *t;

	if (!is_p(peek(x), '&'))
		return match_rest(x, left, NFTD_VAL_PLAIN);
	take(x);
	words = json_array();
	if (is_p(peek(x), '(')) {
		take(x);
		for (;;) {
			t = take(x);
			if (t->k != NFTD_T_WORD) {
				json_decref(words);
				json_decref(left);
				return rerr(x, t, "tcp flag expected");
			}
			json_array_append_new(words, json_stringn(t->s, t->n));
			t = take(x);
			if (is_p(t, ')'))
				break;
			if (!is_p(t, '|')) {
				json_decref(words);
				json_decref(left);
				return rerr(x, t, "'|' or ')' expected");
			}
		}
	} else if ((t = take(x))->k == NFTD_T_WORD) {
		json_array_append_new(words, json_stringn(t->s, t->n));
	}
	t = peek(x);
	if (nftd_tok_is(t, "!=") && x->i + 1 < x->e && nftd_tok_is(nftd_tp_tok(x->tp, x->i + 1), "0")) {
		x->i += 2;
		return add(x, json_pack("{s{ssso so}}", "match", "op", "in", "left", left, "right",
					words));
	}
	json_decref(words);
	if (op_word(t))
		take(x);
	t = take(x);
	if (t->k != NFTD_T_WORD) {
		json_decref(left);
		return rerr(x, t, "value expected");
	}
	return add(x, json_pack("{s{ssso so}}", "match", "op", "bitwise", "left", left, "right",
				json_stringn(t->s, t->n)));
}

static int payload(struct rx *x, const struct nftd_tok *proto)
{
	const struct nftd_tok *f = take(x);
	json_t *left;
	enum nftd_vkind kind = NFTD_VAL_PLAIN;
	bool l3 = nftd_tok_is(proto, "ip") || nftd_tok_is(proto, "ip6");

	if (f->k != NFTD_T_WORD)
		return rerr(x, f, "field expected");
	left = json_pack("{s{ss#ss#}}", "payload", "protocol", proto->s, (int)proto->n, "field",
			 f->s, (int)f->n);
	if (l3 && (nftd_tok_is(f, "saddr") || nftd_tok_is(f, "daddr")))
		kind = NFTD_VAL_ADDR;
	else if (!l3 && (nftd_tok_is(f, "sport") || nftd_tok_is(f, "dport")))
		kind = NFTD_VAL_PORT;
	if (nftd_tok_is(proto, "tcp") && nftd_tok_is(f, "flags"))
		return tcp_flags(x, left);
	return match_rest(x, left, kind);
}

/* An unmodelled statement: its name, its arguments skipped. */
static int other(struct rx *x, const struct nftd_tok *t)
{
	while (peek(x)->k != NFTD_T_EOF && !stmt_start(peek(x))) {
		if (is_p(peek(x), '{')) { /* e.g. set ... { ip saddr } */
			size_t depth = 0;
			do {
				if (is_p(peek(x), '{'))
					depth++;
				else if (is_p(peek(x), '}'))
					depth--;
				take(x);
			} while (depth && peek(x)->k != NFTD_T_EOF);
			continue;
		}
		take(x);
	}
	return add(x, json_pack("{s{}}", aclf_arena_strndup(x->tp->a, t->s, t->n)));
}

/* a counter's packets or bytes: up to 18 digits */
static int count(struct rx *x, json_int_t *out)
{
	const struct nftd_tok *t = take(x);
	char buf[20];

	if (t->k != NFTD_T_WORD || t->n == 0 || t->n > 18)
		return rerr(x, t, "count expected");
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return rerr(x, t, "count expected");
	memcpy(buf, t->s, t->n);
	buf[t->n] = '\0';
	*out = (json_int_t)strtoll(buf, NULL, 10);
	return 0;
}

static int statement(struct rx *x, json_t *rule)
{
	struct nftd_tok *t = take(x);

	if (t->k != NFTD_T_WORD)
		return rerr(x, t, "statement expected");
	if (in_list(t, payload_protos))
		return payload(x, t);
	if (nftd_tok_is(t, "meta") || in_list(t, meta_short)) {
		const struct nftd_tok *k = nftd_tok_is(t, "meta") ? take(x) : t;
		if (k->k != NFTD_T_WORD)
			return rerr(x, k, "meta key expected");
		if (nftd_tok_is(peek(x), "set"))
			return other(x, k);
		return match_rest(x, json_pack("{s{ss#}}", "meta", "key", k->s, (int)k->n),
				  NFTD_VAL_PLAIN);
	}
	if (nftd_tok_is(t, "ct")) {
		const struct nftd_tok *k = take(x), *dir = NULL;
		json_t *left;
		if (nftd_tok_is(k, "original") || nftd_tok_is(k, "reply")) {
			dir = k;
			k = take(x);
		}
		if (k->k != NFTD_T_WORD)
			return rerr(x, k, "ct key expected");
		if (nftd_tok_is(peek(x), "set"))
			return other(x, t);
		left = json_pack("{s{ss#}}", "ct", "key", k->s, (int)k->n);
		if (left && dir)
			json_object_set_new(json_object_get(left, "ct"), "dir",
					    json_stringn(dir->s, dir->n));
		return match_rest(x, left, NFTD_VAL_PLAIN);
	}
	if (nftd_tok_is(t, "counter")) {
		json_int_t pk = 0, by = 0;
		if (nftd_tok_is(peek(x), "name")) {
			take(x);
			t = take(x);
			if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR)
				return rerr(x, t, "counter name expected");
			return add(x, json_pack("{ss#}", "counter", t->s, (int)t->n));
		}
		if (!nftd_tok_is(peek(x), "packets"))
			return add(x, json_pack("{sn}", "counter"));
		take(x);
		if (count(x, &pk) < 0)
			return -1;
		if (nftd_tok_is(peek(x), "bytes")) {
			take(x);
			if (count(x, &by) < 0)
				return -1;
		}
		return add(x, json_pack("{s{sIsI}}", "counter", "packets", pk, "bytes", by));
	}
	if (nftd_tok_is(t, "accept") || nftd_tok_is(t, "drop"))
		return add(x, json_pack("{sn}", t->s[0] == 'a' ? "accept" : "drop"));
	if (nftd_tok_is(t, "reject")) {
		while (peek(x)->k == NFTD_T_WORD && !nftd_tok_is(peek(x), "comment"))
			take(x); /* with icmp port-unreachable, with tcp reset */
		return add(x, json_pack("{sn}", "reject"));
	}
	if (nftd_tok_is(t, "jump")) {
		const struct nftd_tok *c = take(x);
		if (c->k != NFTD_T_WORD && c->k != NFTD_T_STR)
			return rerr(x, c, "chain name expected after 'jump'");
		return add(x, json_pack("{s{ss#}}", "jump", "target", c->s, (int)c->n));
	}
	if (nftd_tok_is(t, "comment")) {
		const struct nftd_tok *c = take(x);
		if (c->k != NFTD_T_STR)
			return rerr(x, c, "\"comment\" expected");
		if (json_object_set_new(rule, "comment", json_stringn(c->s, c->n)) < 0)
			return aclf_err_nomem(x->tp->err);
		return 0;
	}
	if (in_list(t, other_stmts))
		return other(x, t);
	return nftd_tp_err(x->tp, t, "unknown statement '%.*s'", (int)t->n, t->s);
}

int nftd_text_rule(struct nftd_tp *tp, size_t b, size_t e, json_t *rule)
{
	struct rx x = { .tp = tp, .i = b, .e = e, .expr = json_array() };

	if (!x.expr || json_object_set_new(rule, "expr", x.expr) < 0)
		return aclf_err_nomem(tp->err);
	while (x.i < x.e)
		if (statement(&x, rule) < 0)
			return -1;
	return 0;
}
