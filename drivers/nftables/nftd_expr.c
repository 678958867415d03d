/* Decoding nft JSON sets and rule expressions (`nft -j list ruleset`,
 * JSON schema version 1 as printed by nft 1.0.6). Everything not listed in
 * README.md is an error naming the rule handle: a rule we cannot read in
 * full must never turn into a silently wider or narrower neutral rule. */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "nftables/nftd.h"
#include "nftables/nftd_parse.h"

int nftd_rule_err(struct nftd_pctx *p, long long handle, const char *chain, const char *fmt, ...)
{
	struct aclf_buf m;
	va_list ap;

	aclf_buf_init(&m, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	if (handle >= 0 && p->line && p->nohandle)
		aclf_err_at(p->err, p->label, p->line, p->col, "rule in chain '%s': %s",
			    chain ? chain : "?", m.buf);
	else if (handle >= 0 && p->line)
		aclf_err_at(p->err, p->label, p->line, p->col, "rule handle %lld in chain '%s': %s",
			    handle, chain ? chain : "?", m.buf);
	else if (handle >= 0)
		aclf_err_set(p->err, ACLF_E_INPUT, "%s: rule handle %lld in chain '%s': %s", p->label,
			     handle, chain ? chain : "?", m.buf);
	else if (p->line)
		aclf_err_at(p->err, p->label, p->line, p->col, "%s", m.buf);
	else
		aclf_err_set(p->err, ACLF_E_INPUT, "%s: %s", p->label, m.buf);
	aclf_buf_release(&m);
	return -1;
}

/* ---- value vectors ---- */

struct pvec {
	struct aclf_prefix *v;
	size_t n, cap;
};

struct rvec {
	struct aclf_port_range *v;
	size_t n, cap;
};

/* Where an error is reported: a rule (handle >= 0) or a set. */
struct where {
	struct nftd_pctx *p;
	long long handle;
	const char *chain;
	const char *set;
};

static int werr(const struct where *w, const char *fmt, const char *arg)
{
	if (w->set)
		return nftd_rule_err(w->p, -1, NULL, "set '%s': %s%s", w->set, fmt, arg ? arg : "");
	return nftd_rule_err(w->p, w->handle, w->chain, "%s%s", fmt, arg ? arg : "");
}

/* Valid nft the neutral form cannot hold: strict, an error; else the rule
 * is opaque (the first reason kept) and the construct is left out of its
 * match, which then matches a superset of what the device matches. */
static int unsup(const struct where *w, struct nftd_rule *r, const char *fmt, const char *arg)
{
	if (w->p->strict)
		return nftd_rule_err(w->p, w->handle, w->chain, "%s%s (--strict: no opaque "
				     "entries)", fmt, arg ? arg : "");
	if (!r->opaque)
		r->opaque = aclf_arena_printf(w->p->a, "%s%s", fmt, arg ? arg : "");
	return r->opaque ? 0 : werr(w, "out of memory", NULL);
}

static int push_prefix(const struct where *w, struct pvec *v, const struct aclf_prefix *pf)
{
	if (aclf_arena_grow(w->p->a, (void **)&v->v, v->n, &v->cap, sizeof(*v->v)) < 0)
		return werr(w, "out of memory", NULL);
	v->v[v->n++] = *pf;
	return 0;
}

static aclf_u128 low_mask(unsigned host)
{
	return host >= 128 ? ~(aclf_u128)0 : (((aclf_u128)1) << host) - 1;
}

/* [lo, hi] as the fewest prefixes */
static int push_range(const struct where *w, struct pvec *v, uint8_t fam, aclf_u128 lo,
		      aclf_u128 hi)
{
	unsigned bits = fam == 4 ? 32 : 128;

	for (;;) {
		unsigned len = bits;
		struct aclf_prefix pf;
		aclf_u128 last;

		while (len > 0) {
			aclf_u128 m = low_mask(bits - len + 1);
			if ((lo & m) || (lo | m) > hi)
				break;
			len--;
		}
		aclf_prefix_from_u128(fam, lo, (uint8_t)len, &pf);
		if (push_prefix(w, v, &pf) < 0)
			return -1;
		last = lo | low_mask(bits - len);
		if (last >= hi)
			return 0;
		lo = last + 1;
	}
}

static int addr_of(const struct where *w, const char *s, uint8_t fam, bool plain,
		   struct aclf_prefix *out)
{
	if (aclf_prefix_parse(s, out, true) < 0)
		return werr(w, "not an address: ", s);
	if (out->family != fam)
		return werr(w, fam == 4 ? "not an IPv4 address: " : "not an IPv6 address: ", s);
	if (plain && strchr(s, '/'))
		return werr(w, "range bound is a prefix: ", s);
	return 0;
}

static const json_t *unwrap_elem(const json_t *v)
{
	const json_t *e = json_is_object(v) ? json_object_get(v, "elem") : NULL;

	if (e && json_is_object(e) && json_object_get(e, "val"))
		return json_object_get(e, "val");
	return v;
}

/* One address element: "a.b.c.d", {"prefix": {"addr", "len"}}, {"range": [a, b]}. */
static int addr_elem(const struct where *w, const json_t *v, uint8_t fam, struct pvec *out)
{
	const json_t *x;
	struct aclf_prefix pf;

	v = unwrap_elem(v);
	if (json_is_string(v)) {
		if (addr_of(w, json_string_value(v), fam, false, &pf) < 0)
			return -1;
		return push_prefix(w, out, &pf);
	}
	if ((x = json_object_get(v, "prefix")) != NULL) {
		const json_t *a = json_object_get(x, "addr"), *l = json_object_get(x, "len");
		json_int_t len = json_is_integer(l) ? json_integer_value(l) : -1;
		if (!json_is_string(a) || len < 0 || len > (fam == 4 ? 32 : 128))
			return werr(w, "malformed prefix", NULL);
		if (addr_of(w, json_string_value(a), fam, true, &pf) < 0)
			return -1;
		aclf_prefix_from_u128(fam, aclf_prefix_first(&pf), (uint8_t)len, &pf);
		return push_prefix(w, out, &pf);
	}
	if ((x = json_object_get(v, "range")) != NULL) {
		struct aclf_prefix lo, hi;
		if (!json_is_array(x) || json_array_size(x) != 2 ||
		    !json_is_string(json_array_get(x, 0)) || !json_is_string(json_array_get(x, 1)))
			return werr(w, "malformed address range", NULL);
		if (addr_of(w, json_string_value(json_array_get(x, 0)), fam, true, &lo) < 0 ||
		    addr_of(w, json_string_value(json_array_get(x, 1)), fam, true, &hi) < 0)
			return -1;
		if (aclf_prefix_first(&lo) > aclf_prefix_first(&hi))
			return werr(w, "address range runs backwards", NULL);
		return push_range(w, out, fam, aclf_prefix_first(&lo), aclf_prefix_first(&hi));
	}
	return werr(w, "unsupported address value", NULL);
}

static int push_ports(const struct where *w, struct rvec *v, json_int_t lo, json_int_t hi)
{
	if (lo < 0 || hi > 65535 || lo > hi)
		return werr(w, "port out of range", NULL);
	if (aclf_arena_grow(w->p->a, (void **)&v->v, v->n, &v->cap, sizeof(*v->v)) < 0)
		return werr(w, "out of memory", NULL);
	v->v[v->n++] = (struct aclf_port_range){ (uint16_t)lo, (uint16_t)hi };
	return 0;
}

static int port_num(const json_t *v, json_int_t *out)
{
	const char *s;
	char *end;
	long n;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (*s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	if (*end || n > 65535)
		return -1;
	*out = n;
	return 0;
}

/* One port element: 5061, {"range": [5070, 5072]}. */
static int port_elem(const struct where *w, const json_t *v, struct rvec *out)
{
	const json_t *x;
	json_int_t a, b;

	v = unwrap_elem(v);
	if (port_num(v, &a) == 0)
		return push_ports(w, out, a, a);
	if ((x = json_object_get(v, "range")) != NULL && json_is_array(x) &&
	    json_array_size(x) == 2 && port_num(json_array_get(x, 0), &a) == 0 &&
	    port_num(json_array_get(x, 1), &b) == 0)
		return push_ports(w, out, a, b);
	return werr(w, "unsupported port value", NULL);
}

int nftd_decode_set(struct nftd_pctx *p, const json_t *obj, bool is_map, struct nftd_set *out)
{
	const json_t *name = json_object_get(obj, "name"), *type = json_object_get(obj, "type");
	const json_t *elem = json_object_get(obj, "elem"), *e;
	struct where w = { .p = p, .handle = -1 };
	struct pvec pv = { 0 };
	struct rvec rv = { 0 };
	const char *t, *suffix = NULL;
	size_t i, nlen;

	memset(out, 0, sizeof(*out));
	if (!json_is_string(name))
		return nftd_rule_err(p, -1, NULL, "set without a name");
	out->name = aclf_arena_strdup(p->a, json_string_value(name));
	if (!out->name)
		return nftd_rule_err(p, -1, NULL, "out of memory");
	w.set = out->name;
	out->group = out->name;
	t = json_is_string(type) ? json_string_value(type) : "";
	out->kind = NFTD_SET_OTHER;
	if (!is_map && !strcmp(t, "ipv4_addr"))
		out->kind = NFTD_SET_V4;
	else if (!is_map && !strcmp(t, "ipv6_addr"))
		out->kind = NFTD_SET_V6;
	else if (!is_map && !strcmp(t, "inet_service"))
		out->kind = NFTD_SET_PORT;
	if (out->kind == NFTD_SET_OTHER)
		return 0;
	if (elem && !json_is_array(elem))
		return werr(&w, "malformed elements", NULL);
	json_array_foreach(elem, i, e) {
		int rc = out->kind == NFTD_SET_PORT ?
				 port_elem(&w, e, &rv) :
				 addr_elem(&w, e, out->kind == NFTD_SET_V4 ? 4 : 6, &pv);
		if (rc < 0)
			return -1;
	}
	if (aclf_pset_merge(p->a, pv.v, pv.n, &out->addrs) < 0 ||
	    aclf_ports_merge(p->a, rv.v, rv.n, &out->ports) < 0)
		return werr(&w, "out of memory", NULL);
	if (out->kind == NFTD_SET_V4)
		suffix = NFTD_SET_V4_SUFFIX;
	else if (out->kind == NFTD_SET_V6)
		suffix = NFTD_SET_V6_SUFFIX;
	nlen = strlen(out->name);
	if (suffix && nlen > strlen(suffix) && !strcmp(out->name + nlen - strlen(suffix), suffix)) {
		/* our naming: the comment holds the group's name, else the set
		 * name without its suffix */
		const json_t *cm = json_object_get(obj, "comment");
		if (json_is_string(cm) && json_string_length(cm))
			out->group = aclf_arena_strdup(p->a, json_string_value(cm));
		else
			out->group = aclf_arena_strndup(p->a, out->name, nlen - strlen(suffix));
		if (!out->group)
			return werr(&w, "out of memory", NULL);
	}
	return 0;
}

/* ---- rule expressions ---- */

static const struct nftd_set *find_set(struct nftd_pctx *p, const char *name)
{
	const json_t *i = json_object_get(p->set_idx, name); /* hashed: many sets, many rules */

	return i ? &p->sets[json_integer_value(i)] : NULL;
}

static int set_family(const struct where *w, struct nftd_rule *r, uint8_t fam)
{
	if (r->family && r->family != fam)
		return werr(w, "mixes IPv4 and IPv6 matches", NULL);
	r->family = fam;
	return 0;
}

static int set_proto(const struct where *w, struct nftd_rule *r, int proto)
{
	if (r->protocol >= 0 && r->protocol != proto)
		return werr(w, "matches two different protocols", NULL);
	r->protocol = proto;
	return 0;
}

enum op { OP_EQ, OP_NE };

static int address_match(const struct where *w, struct nftd_rule *r, uint8_t fam, bool src,
			 enum op op, const json_t *right)
{
	struct aclf_prefix_set got, *dst = src ? &r->src : &r->dst;
	const char *name = NULL;
	struct pvec pv = { 0 };
	struct aclf_arena *a = w->p->a;

	if (set_family(w, r, fam) < 0)
		return -1;
	if (json_is_string(right) && json_string_value(right)[0] == '@') {
		const struct nftd_set *s = find_set(w->p, json_string_value(right) + 1);
		if (!s)
			return werr(w, "unknown set ", json_string_value(right));
		if (s->kind != (fam == 4 ? NFTD_SET_V4 : NFTD_SET_V6))
			return werr(w, "set of the wrong type for an address match: ", s->name);
		got = s->addrs;
		name = s->group;
	} else if (json_is_object(right) && json_object_get(right, "set")) {
		const json_t *arr = json_object_get(right, "set"), *e;
		size_t i;
		if (!json_is_array(arr))
			return werr(w, "malformed anonymous set", NULL);
		json_array_foreach(arr, i, e)
			if (addr_elem(w, e, fam, &pv) < 0)
				return -1;
		if (aclf_pset_merge(a, pv.v, pv.n, &got) < 0)
			return werr(w, "out of memory", NULL);
	} else {
		if (addr_elem(w, right, fam, &pv) < 0)
			return -1;
		if (aclf_pset_merge(a, pv.v, pv.n, &got) < 0)
			return werr(w, "out of memory", NULL);
	}
	if (op == OP_NE) {
		struct aclf_prefix all;
		struct aclf_prefix_set u = { &all, 1 }, res;
		aclf_prefix_from_u128(fam, 0, 0, &all);
		if (aclf_pset_subtract(a, &u, &got, &res) < 0)
			return werr(w, "out of memory", NULL);
		got = res;
		name = NULL;
	}
	if (src ? r->has_src : r->has_dst) {
		struct aclf_prefix_set res;
		if (aclf_pset_intersect(a, dst, &got, &res) < 0)
			return werr(w, "out of memory", NULL);
		got = res;
		name = NULL;
	}
	if (got.n == 0)
		r->never = true; /* e.g. an empty named set: the rule matches nothing */
	*dst = got;
	if (src) {
		r->has_src = true;
		r->src_name = name;
	} else {
		r->has_dst = true;
		r->dst_name = name;
	}
	return 0;
}

static int port_match(const struct where *w, struct nftd_rule *r, bool src, enum op op,
		      const json_t *right)
{
	struct aclf_port_set got, *dst = src ? &r->sports : &r->dports;
	struct rvec rv = { 0 };
	struct aclf_arena *a = w->p->a;

	if (json_is_string(right) && json_string_value(right)[0] == '@') {
		const struct nftd_set *s = find_set(w->p, json_string_value(right) + 1);
		if (!s)
			return werr(w, "unknown set ", json_string_value(right));
		if (s->kind != NFTD_SET_PORT)
			return werr(w, "set of the wrong type for a port match: ", s->name);
		got = s->ports;
	} else {
		const json_t *arr = json_is_object(right) ? json_object_get(right, "set") : NULL, *e;
		size_t i;
		if (arr) {
			if (!json_is_array(arr))
				return werr(w, "malformed anonymous set", NULL);
			json_array_foreach(arr, i, e)
				if (port_elem(w, e, &rv) < 0)
					return -1;
		} else if (port_elem(w, right, &rv) < 0) {
			return -1;
		}
		if (aclf_ports_merge(a, rv.v, rv.n, &got) < 0)
			return werr(w, "out of memory", NULL);
	}
	if (op == OP_NE) {
		struct aclf_port_range all = { 0, 65535 };
		struct aclf_port_set u = { &all, 1 }, res;
		if (aclf_ports_subtract(a, &u, &got, &res) < 0)
			return werr(w, "out of memory", NULL);
		got = res;
	}
	if (src ? r->has_sports : r->has_dports) {
		struct aclf_port_set res;
		if (aclf_ports_intersect(a, dst, &got, &res) < 0)
			return werr(w, "out of memory", NULL);
		got = res;
	}
	if (got.n == 0)
		r->never = true;
	*dst = got;
	if (src)
		r->has_sports = true;
	else
		r->has_dports = true;
	return 0;
}

/* *out = -1: a match left out of an opaque rule */
static int proto_value(const struct where *w, struct nftd_rule *r, enum op op, const json_t *right,
		       int *out)
{
	*out = -1;
	if (op != OP_EQ)
		return unsup(w, r, "negated protocol match", NULL);
	if (json_is_integer(right)) {
		json_int_t v = json_integer_value(right);
		if (v <= 0 || v > 255)
			return werr(w, "protocol number out of range (1-255)", NULL);
		*out = (int)v;
		return 0;
	}
	if (json_is_string(right)) {
		const char *s = json_string_value(right);
		struct protoent pe, *res = NULL;
		char buf[1024];
		int v = aclf_proto_parse(s);
		if (v < 0 && getprotobyname_r(s, &pe, buf, sizeof(buf), &res) == 0 && res)
			v = res->p_proto;
		if (v < 0 || v > 255)
			return werr(w, "unknown protocol ", s);
		if (v == 0) /* HOPOPT/"ip": a real protocol 0, not "any" */
			return unsup(w, r, "protocol 0 match cannot be expressed: ", s);
		*out = v;
		return 0;
	}
	return unsup(w, r, "protocol match with several protocols", NULL);
}

/* Strings of a scalar, a JSON array, or {"set": [...]}. Returns count or -1. */
static int words(const json_t *right, const char **v, int max)
{
	const json_t *arr = right, *e;
	size_t i;
	int n = 0;

	if (json_is_string(right)) {
		v[0] = json_string_value(right);
		return 1;
	}
	if (json_is_object(right))
		arr = json_object_get(right, "set");
	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, e) {
		if (!json_is_string(e) || n == max)
			return -1;
		v[n++] = json_string_value(e);
	}
	return n;
}

static bool has_word(const char **v, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i], w))
			return true;
	return false;
}

static int ct_state(const struct where *w, struct nftd_rule *r, const char *op,
		    const json_t *right)
{
	const char *v[8];
	int n = words(right, v, 8);
	bool est, rel;

	if (strcmp(op, "in") && strcmp(op, "=="))
		return unsup(w, r, "unsupported ct state operator ", op);
	if (n < 1)
		return werr(w, "malformed ct state match", NULL);
	est = has_word(v, n, "established");
	rel = has_word(v, n, "related");
	if (est && n == 1)
		r->established = true;
	else if (est && rel && n == 2)
		r->ct_return = true;
	else
		return unsup(w, r, "unsupported ct state match (only established, or "
				   "established,related)", NULL);
	return 0;
}

static int tcp_flags(const struct where *w, struct nftd_rule *r, const char *op,
		     const json_t *right)
{
	const char *v[4];
	int n = words(right, v, 4);

	/* `tcp flags & (ack|rst) != 0` prints as op "in" with ["rst", "ack"] */
	if (strcmp(op, "in") || n != 2 || !has_word(v, n, "ack") || !has_word(v, n, "rst")) {
		if (unsup(w, r, "unsupported tcp flags match (only ack|rst, the return "
				"traffic test)", NULL) < 0)
			return -1;
		return set_proto(w, r, ACLF_PROTO_TCP);
	}
	r->established = true;
	return set_proto(w, r, ACLF_PROTO_TCP);
}

static int icmpv6_type(const struct where *w, struct nftd_rule *r, const json_t *right)
{
	static const char *const nd[] = { "nd-router-solicit", "nd-router-advert",
					   "nd-neighbor-solicit", "nd-neighbor-advert" };
	const char *v[8];
	int n = words(right, v, 8);

	if (n < 1)
		return unsup(w, r, "unsupported icmpv6 type match", NULL) < 0 ||
		       set_family(w, r, 6) < 0 ? -1 : set_proto(w, r, ACLF_PROTO_ICMP6);
	for (int i = 0; i < n; i++) {
		bool ok = false;
		for (size_t k = 0; k < sizeof(nd) / sizeof(nd[0]); k++)
			ok |= !strcmp(v[i], nd[k]);
		if (!ok)
			return unsup(w, r, "unsupported icmpv6 type ", v[i]) < 0 ||
			       set_family(w, r, 6) < 0 ? -1 : set_proto(w, r, ACLF_PROTO_ICMP6);
	}
	r->nd = true;
	return set_family(w, r, 6);
}

static int payload_match(const struct where *w, struct nftd_rule *r, const char *op,
			 enum op eop, const json_t *left, const json_t *right)
{
	const json_t *pj = json_object_get(left, "protocol"), *fj = json_object_get(left, "field");
	const char *pr = json_is_string(pj) ? json_string_value(pj) : "";
	const char *f = json_is_string(fj) ? json_string_value(fj) : "";
	int proto;

	if (!strcmp(pr, "ip") || !strcmp(pr, "ip6")) {
		uint8_t fam = pr[2] ? 6 : 4;
		if (!strcmp(f, "saddr") || !strcmp(f, "daddr"))
			return address_match(w, r, fam, f[0] == 's', eop, right);
		if ((fam == 4 && !strcmp(f, "protocol")) || (fam == 6 && !strcmp(f, "nexthdr"))) {
			if (set_family(w, r, fam) < 0 || proto_value(w, r, eop, right, &proto) < 0)
				return -1;
			return proto < 0 ? 0 : set_proto(w, r, proto);
		}
		if (fam == 6 && !strcmp(f, "hoplimit") && eop == OP_EQ && json_is_integer(right) &&
		    json_integer_value(right) == 255) {
			r->hop255 = true;
			return set_family(w, r, 6);
		}
	} else if (!strcmp(pr, "tcp") || !strcmp(pr, "udp")) {
		if (set_proto(w, r, pr[0] == 't' ? ACLF_PROTO_TCP : ACLF_PROTO_UDP) < 0)
			return -1;
		if (!strcmp(f, "sport") || !strcmp(f, "dport"))
			return port_match(w, r, f[0] == 's', eop, right);
		if (pr[0] == 't' && !strcmp(f, "flags"))
			return tcp_flags(w, r, op, right);
	} else if (!strcmp(pr, "icmpv6") && !strcmp(f, "type") && eop == OP_EQ) {
		return icmpv6_type(w, r, right);
	}
	return unsup(w, r, "unsupported match on ", *pr ? pr : "raw payload");
}

static int meta_match(const struct where *w, struct nftd_rule *r, enum op eop, const char *key,
		      const json_t *right)
{
	int proto;

	if (!strcmp(key, "l4proto")) {
		if (proto_value(w, r, eop, right, &proto) < 0)
			return -1;
		return proto < 0 ? 0 : set_proto(w, r, proto);
	}
	if (!strcmp(key, "nfproto") && eop == OP_EQ && json_is_string(right)) {
		const char *s = json_string_value(right);
		if (!strcmp(s, "ipv4") || !strcmp(s, "ipv6"))
			return set_family(w, r, s[3] == '4' ? 4 : 6);
	}
	if ((!strcmp(key, "iif") || !strcmp(key, "oif") || !strcmp(key, "iifname") ||
	     !strcmp(key, "oifname")) && eop == OP_EQ && json_is_string(right)) {
		const char *s = json_string_value(right);
		if (!strcmp(s, "lo")) {
			r->lo = true;
			return 0;
		}
		if (!strcmp(key + 1, "ifname")) {
			r->ifname = aclf_arena_strdup(w->p->a, s);
			r->ifname_out = key[0] == 'o';
			return r->ifname ? 0 : werr(w, "out of memory", NULL);
		}
	}
	return unsup(w, r, "unsupported match on meta ", key);
}

static int match(const struct where *w, struct nftd_rule *r, const json_t *m)
{
	const json_t *opj = json_object_get(m, "op"), *left = json_object_get(m, "left");
	const json_t *right = json_object_get(m, "right"), *x;
	const char *op = json_is_string(opj) ? json_string_value(opj) : "";
	enum op eop;

	r->nmatch++;
	if (!strcmp(op, "==") || !strcmp(op, "in"))
		eop = OP_EQ;
	else if (!strcmp(op, "!="))
		eop = OP_NE;
	else if (json_is_object(left) && right)
		return unsup(w, r, "unsupported match operator ", *op ? op : "(none)");
	else
		return werr(w, "malformed match", NULL);
	if (!json_is_object(left) || !right)
		return werr(w, "malformed match", NULL);
	if ((x = json_object_get(left, "payload")) != NULL && json_is_object(x))
		return payload_match(w, r, op, eop, x, right);
	if ((x = json_object_get(left, "meta")) != NULL && json_is_object(x) &&
	    json_is_string(json_object_get(x, "key")))
		return meta_match(w, r, eop, json_string_value(json_object_get(x, "key")), right);
	if ((x = json_object_get(left, "ct")) != NULL && json_is_object(x) &&
	    json_is_string(json_object_get(x, "key")) &&
	    !strcmp(json_string_value(json_object_get(x, "key")), "state") &&
	    !json_object_get(x, "dir") && eop == OP_EQ)
		return ct_state(w, r, op, right);
	if (json_object_size(left) != 1)
		return werr(w, "malformed match", NULL);
	return unsup(w, r, "unsupported match on ",
		     json_object_iter_key(json_object_iter((json_t *)left)));
}

static int verdict(const struct where *w, struct nftd_rule *r, enum nftd_verdict v)
{
	if (r->verdict != NFTD_V_NONE)
		return werr(w, "two verdicts", NULL);
	r->verdict = v;
	return 0;
}

static int statement(const struct where *w, struct nftd_rule *r, const json_t *st)
{
	const char *key;
	const json_t *val;

	if (!json_is_object(st) || json_object_size(st) != 1)
		return werr(w, "malformed statement", NULL);
	key = json_object_iter_key(json_object_iter((json_t *)st));
	val = json_object_iter_value(json_object_iter((json_t *)st));
	if (r->verdict != NFTD_V_NONE)
		return werr(w, "statement after the verdict: ", key);
	if (!strcmp(key, "match"))
		return json_is_object(val) ? match(w, r, val) : werr(w, "malformed match", NULL);
	if (!strcmp(key, "counter")) {
		if (r->counter || r->anon_counter)
			return werr(w, "two counters", NULL);
		if (json_is_string(val)) {
			r->counter = aclf_arena_strdup(w->p->a, json_string_value(val));
			return r->counter ? 0 : werr(w, "out of memory", NULL);
		}
		r->anon_counter = true;
		if (json_is_object(val) && json_is_integer(json_object_get(val, "packets")))
			r->packets = json_integer_value(json_object_get(val, "packets"));
		else if (!json_is_null(val) && !json_is_object(val))
			return werr(w, "malformed counter", NULL);
		return 0;
	}
	if (!strcmp(key, "accept"))
		return verdict(w, r, NFTD_V_ACCEPT);
	if (!strcmp(key, "drop") || !strcmp(key, "reject"))
		return verdict(w, r, NFTD_V_DROP);
	if (!strcmp(key, "jump")) {
		const json_t *t = json_is_object(val) ? json_object_get(val, "target") : NULL;
		if (!json_is_string(t))
			return werr(w, "malformed jump", NULL);
		r->target = aclf_arena_strdup(w->p->a, json_string_value(t));
		if (!r->target)
			return werr(w, "out of memory", NULL);
		return verdict(w, r, NFTD_V_JUMP);
	}
	if (!strcmp(key, "log"))
		return 0; /* logs the packet; what the rule matches and decides is unchanged */
	/* another verdict decides packets the neutral form cannot say how */
	if (!strcmp(key, "goto") || !strcmp(key, "return") || !strcmp(key, "continue") ||
	    !strcmp(key, "queue"))
		return werr(w, "unsupported verdict ", key);
	return unsup(w, r, "unsupported statement ", key);
}

int nftd_decode_rule(struct nftd_pctx *p, const json_t *obj, struct nftd_rule *r)
{
	const json_t *h = json_object_get(obj, "handle"), *ch = json_object_get(obj, "chain");
	const json_t *cm = json_object_get(obj, "comment"), *ex = json_object_get(obj, "expr"), *st;
	struct where w = { .p = p };
	size_t i;

	memset(r, 0, sizeof(*r));
	r->protocol = -1;
	if (!json_is_string(ch) || !json_is_integer(h))
		return nftd_rule_err(p, -1, NULL, "rule without chain or handle");
	r->handle = json_integer_value(h);
	r->chain = aclf_arena_strdup(p->a, json_string_value(ch));
	w.handle = r->handle < 0 ? 0 : r->handle;
	w.chain = r->chain;
	if (!r->chain)
		return werr(&w, "out of memory", NULL);
	if (cm && !json_is_string(cm))
		return werr(&w, "malformed comment", NULL);
	if (cm && !(r->comment = aclf_arena_strdup(p->a, json_string_value(cm))))
		return werr(&w, "out of memory", NULL);
	if (!json_is_array(ex))
		return werr(&w, "rule without expressions", NULL);
	json_array_foreach(ex, i, st)
		if (statement(&w, r, st) < 0)
			return -1;
	return 0;
}
