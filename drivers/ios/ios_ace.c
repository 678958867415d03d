/* One access-list entry (ACE) of IOS text:
 *
 *   [SEQ|sequence SEQ] permit|deny PROTO SRC [PORTS] DST [PORTS] [ICMP-TYPE]
 *       [established] [log|log-input] [(N matches)] [sequence SEQ]
 *   [SEQ] permit|deny object-group SERVICE SRC DST ...
 *   [SEQ] permit|deny SRC [log] ...                  (standard lists)
 *   [SEQ] remark TEXT
 *
 * Anything else that narrows the match (tos, precedence, dscp, ttl, tcp
 * flags, time-range, fragments, option, ...) is refused: the neutral policy
 * cannot hold it, and dropping it would make the rule look broader than it
 * is on the device. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ios_parse.h"

static unsigned end_col(const struct ios_line *l)
{
	return (unsigned)strlen(l->raw) + 1;
}

static const char *tok(const struct ios_line *l, size_t i)
{
	return i < l->n ? l->t[i].s : NULL;
}

static unsigned col(const struct ios_line *l, size_t i)
{
	return i < l->n ? l->t[i].col : end_col(l);
}

static int port_value(int proto, const char *s, uint16_t *port)
{
	unsigned long v;

	if (!s)
		return -1;
	if (ios_parse_uint(s, 65535, &v) == 0) {
		*port = (uint16_t)v;
		return 0;
	}
	return ios_port_keyword(proto, s, port);
}

int ios_port_spec(struct ios_model *m, const struct ios_line *l, size_t *i, int proto,
		  struct aclf_port_set *set)
{
	const char *op = tok(l, *i);
	struct aclf_port_range r[16];
	size_t n = 0;
	uint16_t a, b;
	size_t at = *i;

	if (!op)
		return 0;
	if (strcasecmp(op, "eq") == 0 || strcasecmp(op, "neq") == 0) {
		(*i)++;
		while (port_value(proto, tok(l, *i), &a) == 0) {
			if (n == sizeof(r) / sizeof(r[0]))
				return ios_perr(m, l->no, col(l, *i), "too many ports after '%s'", op);
			r[n].lo = r[n].hi = a;
			n++;
			(*i)++;
		}
		if (n == 0)
			return ios_expected(m, l, *i, "a port number or name");
		if (aclf_ports_merge(m->a, r, n, set) < 0)
			return aclf_err_nomem(m->err);
		if (op[0] == 'n' || op[0] == 'N') {
			struct aclf_port_range all = { 0, 65535 };
			struct aclf_port_set full = { &all, 1 }, rest;
			if (aclf_ports_subtract(m->a, &full, set, &rest) < 0)
				return aclf_err_nomem(m->err);
			if (rest.n == 0)
				return ios_perr(m, l->no, col(l, at), "'neq' leaves no port");
			*set = rest;
		}
		return 1;
	}
	if (strcasecmp(op, "gt") == 0 || strcasecmp(op, "lt") == 0) {
		(*i)++;
		if (port_value(proto, tok(l, *i), &a) < 0)
			return ios_expected(m, l, *i, "a port number or name");
		(*i)++;
		if (op[0] == 'g' || op[0] == 'G') {
			if (a == 65535)
				return ios_perr(m, l->no, col(l, at), "'gt 65535' matches no port");
			r[0].lo = (uint16_t)(a + 1);
			r[0].hi = 65535;
		} else {
			if (a == 0)
				return ios_perr(m, l->no, col(l, at), "'lt 0' matches no port");
			r[0].lo = 0;
			r[0].hi = (uint16_t)(a - 1);
		}
		return aclf_ports_merge(m->a, r, 1, set) < 0 ? aclf_err_nomem(m->err) : 1;
	}
	if (strcasecmp(op, "range") == 0) {
		(*i)++;
		if (port_value(proto, tok(l, *i), &a) < 0)
			return ios_expected(m, l, *i, "the first port of the range");
		(*i)++;
		if (port_value(proto, tok(l, *i), &b) < 0)
			return ios_expected(m, l, *i, "the last port of the range");
		(*i)++;
		if (a > b)
			return ios_perr(m, l->no, col(l, at), "range %u %u is empty", (unsigned)a,
					(unsigned)b);
		r[0].lo = a;
		r[0].hi = b;
		return aclf_ports_merge(m->a, r, 1, set) < 0 ? aclf_err_nomem(m->err) : 1;
	}
	return 0;
}

static bool is_port_op(const char *s)
{
	return s && (!strcasecmp(s, "eq") || !strcasecmp(s, "neq") || !strcasecmp(s, "gt") ||
		     !strcasecmp(s, "lt") || !strcasecmp(s, "range"));
}

static int host_prefix(struct ios_model *m, const struct ios_line *l, size_t i, uint8_t fam,
		       struct aclf_prefix *p)
{
	const char *s = tok(l, i);

	if (!s || strchr(s, '/') || aclf_prefix_parse(s, p, false) < 0 || p->family != fam)
		return ios_expected(m, l, i, fam == 4 ? "an ipv4 address" : "an ipv6 address");
	return 0;
}

/* addr with wildcard w (both dotted IPv4) as prefixes into out: the bits
 * w sets are free, so each subset of the free bits above the lowest block
 * of them is one prefix. 1 done, 0 too many (more than
 * IOS_WILDCARD_MAX_PREFIXES), -1 bad text or no memory (err set). */
static int wildcard_set(struct ios_model *m, const struct ios_line *l, size_t at, const char *addr,
			const char *w, struct ios_addr *out)
{
	struct aclf_prefix pa, pw;
	uint32_t a, wm, high, s = 0;
	unsigned t = 0, k = 0;
	size_t n = 0;

	if (aclf_prefix_parse(addr, &pa, false) < 0 || pa.family != 4 || strchr(addr, '/') ||
	    aclf_prefix_parse(w, &pw, false) < 0 || pw.family != 4 || strchr(w, '/'))
		return ios_perr(m, l->no, col(l, at), "bad address or wildcard mask '%s'", w);
	a = (uint32_t)aclf_prefix_first(&pa);
	wm = (uint32_t)aclf_prefix_first(&pw);
	while (t < 32 && (wm >> t) & 1u)
		t++;
	high = wm & ~(uint32_t)((1ull << t) - 1u);
	for (uint32_t b = high; b; b &= b - 1)
		k++;
	if (((size_t)1 << k) > IOS_WILDCARD_MAX_PREFIXES)
		return 0;
	if (!(out->pv = aclf_arena_alloc(m->a, ((size_t)1 << k) * sizeof(*out->pv))))
		return aclf_err_nomem(m->err);
	do {
		aclf_prefix_from_u128(4, (aclf_u128)((a & ~wm) | s), (uint8_t)(32 - t), &out->pv[n++]);
		s = (s - high) & high; /* the next subset of the free bits */
	} while (s);
	out->npv = n;
	out->p = out->pv[0];
	return 1;
}

int ios_addr(struct ios_model *m, const struct ios_line *l, size_t *i, uint8_t fam,
	     const char *what, struct ios_addr *out)
{
	const char *s = tok(l, *i);
	char msg[64];

	memset(out, 0, sizeof(out[0]));
	out->kind = IOS_ADDR_PREFIX;
	out->col = col(l, *i);
	if (!s) {
		snprintf(msg, sizeof(msg), "the %s address", what);
		return ios_expected(m, l, *i, msg);
	}
	if (strcasecmp(s, "any") == 0) {
		out->p.family = fam;
		out->p.len = 0;
		(*i)++;
		return 0;
	}
	if (strcasecmp(s, "host") == 0) {
		if (host_prefix(m, l, *i + 1, fam, &out->p) < 0)
			return -1;
		*i += 2;
		return 0;
	}
	if (strcasecmp(s, "object-group") == 0) {
		if (!tok(l, *i + 1))
			return ios_expected(m, l, *i + 1, "an object-group name");
		out->kind = IOS_ADDR_GROUP;
		out->group = l->t[*i + 1].s;
		*i += 2;
		return 0;
	}
	if (strchr(s, '/')) {
		if (aclf_prefix_parse(s, &out->p, true) < 0 || out->p.family != fam) {
			snprintf(msg, sizeof(msg), "the %s address (bad prefix)", what);
			return ios_expected(m, l, *i, msg);
		}
		(*i)++;
		return 0;
	}
	if (fam == 4 && aclf_prefix_parse(s, &out->p, false) == 0 && out->p.family == 4) {
		const char *w = tok(l, *i + 1);
		struct aclf_prefix chk;
		if (!w || aclf_prefix_parse(w, &chk, false) < 0 || chk.family != 4)
			return ios_expected(m, l, *i + 1, "a wildcard mask");
		if (aclf_prefix_from_mask(s, w, true, &out->p) < 0) {
			int rc = wildcard_set(m, l, *i + 1, s, w, out);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				m->unsupported = true;
				return ios_perr(m, l->no, col(l, *i + 1),
						"wildcard mask '%s' is not contiguous and spells more than %d "
						"prefixes", w, IOS_WILDCARD_MAX_PREFIXES);
			}
		}
		*i += 2;
		return 0;
	}
	/* IOS-XE prints some IPv6 entries as two bare addresses per side
	 * (address and a mask the neutral form has no reading of) */
	if (fam == 6 && aclf_prefix_parse(s, &out->p, false) == 0 && out->p.family == 6) {
		m->unsupported = true;
		return ios_perr(m, l->no, col(l, *i), "ipv6 %s address '%s' without a prefix length",
				what, s);
	}
	snprintf(msg, sizeof(msg), "the %s address (any, host, %s or object-group)", what,
		 fam == 4 ? "address and wildcard" : "prefix/length");
	return ios_expected(m, l, *i, msg);
}

/* standard list source: any | host A | A | A W | "A, wildcard bits W" */
static int std_source(struct ios_model *m, const struct ios_line *l, size_t *i,
		      struct ios_addr *out)
{
	const char *s = tok(l, *i), *w;
	char a[64];
	size_t n;

	memset(out, 0, sizeof(out[0]));
	out->col = col(l, *i);
	if (s && (strcasecmp(s, "any") == 0 || strcasecmp(s, "host") == 0))
		return ios_addr(m, l, i, 4, "source", out);
	if (!s)
		return ios_expected(m, l, *i, "the source address");
	n = strlen(s);
	if (n > 1 && n < sizeof(a) && s[n - 1] == ',') {
		memcpy(a, s, n - 1);
		a[n - 1] = '\0';
		if (!tok(l, *i + 1) || strcasecmp(tok(l, *i + 1), "wildcard") != 0 ||
		    !tok(l, *i + 2) || strcasecmp(tok(l, *i + 2), "bits") != 0)
			return ios_expected(m, l, *i + 1, "'wildcard bits'");
		w = tok(l, *i + 3);
		if (!w)
			return ios_expected(m, l, *i + 3, "a wildcard mask");
		if (aclf_prefix_from_mask(a, w, true, &out->p) < 0) {
			int rc = wildcard_set(m, l, *i + 3, a, w, out);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				m->unsupported = true;
				return ios_perr(m, l->no, col(l, *i + 3),
						"wildcard mask '%s' is not contiguous and spells more than %d "
						"prefixes", w, IOS_WILDCARD_MAX_PREFIXES);
			}
		}
		*i += 4;
		return 0;
	}
	if (aclf_prefix_parse(s, &out->p, false) < 0 || out->p.family != 4 || strchr(s, '/'))
		return ios_expected(m, l, *i, "the source address");
	w = tok(l, *i + 1);
	if (w && strchr(w, '.')) {
		if (aclf_prefix_from_mask(s, w, true, &out->p) < 0) {
			int rc = wildcard_set(m, l, *i + 1, s, w, out);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				m->unsupported = true;
				return ios_perr(m, l->no, col(l, *i + 1),
						"wildcard mask '%s' is not contiguous and spells more than %d "
						"prefixes", w, IOS_WILDCARD_MAX_PREFIXES);
			}
		}
		*i += 2;
		return 0;
	}
	(*i)++;
	return 0;
}

/* icmp message after the destination: a name, or TYPE [CODE] */
static int icmp_type(struct ios_model *m, const struct ios_line *l, size_t *i, uint8_t fam,
		     struct ios_ace *e)
{
	const char *s = tok(l, *i);
	unsigned long t, c;

	if (!s)
		return 0;
	if (ios_icmp_type_known(fam, s)) {
		e->note = aclf_arena_printf(m->a, "icmp %s", s);
		(*i)++;
	} else if (ios_parse_uint(s, 255, &t) == 0) {
		(*i)++;
		if (tok(l, *i) && ios_parse_uint(tok(l, *i), 255, &c) == 0) {
			(*i)++;
			e->note = aclf_arena_printf(m->a, "icmp type %lu code %lu", t, c);
		} else {
			e->note = aclf_arena_printf(m->a, "icmp type %lu", t);
		}
	}
	return 0;
}

/* "(N" "matches)" */
static int counter(struct ios_model *m, const struct ios_line *l, size_t *i, struct ios_ace *e)
{
	const char *s = tok(l, *i), *w = tok(l, *i + 1);
	unsigned long long v = 0;

	if (!w || (strcmp(w, "matches)") != 0 && strcmp(w, "match)") != 0))
		return ios_expected(m, l, *i + 1, "'matches)'");
	s++;
	if (!*s)
		return ios_expected(m, l, *i, "a match count");
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000000000000ULL)
			return ios_expected(m, l, *i, "a match count");
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	e->hits = (int64_t)v;
	*i += 2;
	return 0;
}

static int modifiers(struct ios_model *m, const struct ios_line *l, size_t i, struct ios_acl *acl,
		     struct ios_ace *e)
{
	while (i < l->n) {
		const char *s = l->t[i].s;
		unsigned long v;
		if (strcasecmp(s, "established") == 0 && acl->kind != IOS_ACL_STANDARD) {
			if (e->proto != ACLF_PROTO_TCP)
				return ios_perr(m, l->no, col(l, i), "'established' needs protocol tcp");
			e->established = true;
			i++;
		} else if (strcasecmp(s, "log") == 0 || strcasecmp(s, "log-input") == 0) {
			/* "log (tag = X)": how the entry logs, not what it matches */
			i++;
			if (i + 1 < l->n && l->t[i].s[0] == '(' && strcmp(l->t[i + 1].s, "matches)") &&
			    strcmp(l->t[i + 1].s, "match)")) {
				while (i < l->n && l->t[i].s[strlen(l->t[i].s) - 1] != ')')
					i++;
				if (i == l->n)
					return ios_expected(m, l, i, "')' closing the log options");
				i++;
			}
		} else if (s[0] == '(') {
			if (counter(m, l, &i, e) < 0)
				return -1;
		} else if (strcasecmp(s, "sequence") == 0 && acl->kind == IOS_ACL_V6 && !e->seq) {
			if (!tok(l, i + 1) || ios_parse_uint(tok(l, i + 1), 4294967295UL, &v) < 0)
				return ios_expected(m, l, i + 1, "a sequence number");
			e->seq = l->t[i + 1].s;
			i += 2;
		} else if (is_port_op(s)) {
			return ios_perr(m, l->no, col(l, i),
					"port match '%s' needs protocol tcp or udp", s);
		} else {
			m->unsupported = true;
			return ios_perr(m, l->no, col(l, i),
					"unsupported '%s' in access list '%s': only addresses, protocol, ports and established are understood",
					s, acl->name);
		}
	}
	return 0;
}

static int add_remark(struct ios_model *m, struct ios_acl *acl, const struct ios_line *l, size_t i)
{
	const char *text = i < l->n ? l->raw + l->t[i].col - 1 : "";
	size_t n = strlen(text);

	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (!n)
		return 0;
	if (acl->remark)
		acl->remark = aclf_arena_printf(m->a, "%s; %.*s", acl->remark, (int)n, text);
	else
		acl->remark = aclf_arena_strndup(m->a, text, n);
	return acl->remark ? 0 : aclf_err_nomem(m->err);
}

static bool proto_word(uint8_t fam, const char *s)
{
	unsigned long v;

	/* a bare number is a protocol only where an address cannot stand */
	return s && (ios_proto_parse(fam, s) >= 0 || ios_parse_uint(s, 255, &v) == 0);
}

static int ace_parse(struct ios_model *m, struct ios_acl *acl, const struct ios_line *l, size_t i,
		     struct ios_ace *e)
{
	const char *s;
	uint8_t fam = acl->family;
	unsigned long v;

	s = tok(l, i);
	if (s && strcasecmp(s, "sequence") == 0 && acl->kind == IOS_ACL_V6) {
		if (!tok(l, i + 1) || ios_parse_uint(tok(l, i + 1), 4294967295UL, &v) < 0)
			return ios_expected(m, l, i + 1, "a sequence number");
		e->seq = l->t[i + 1].s;
		i += 2;
	} else if (s && ios_parse_uint(s, 4294967295UL, &v) == 0) {
		e->seq = s;
		i++;
	}
	s = tok(l, i);
	if (s && strcasecmp(s, "remark") == 0)
		return add_remark(m, acl, l, i + 1);
	if (s && strcasecmp(s, "permit") == 0)
		e->action = ACLF_PERMIT;
	else if (s && strcasecmp(s, "deny") == 0)
		e->action = ACLF_DENY;
	else
		return ios_expected(m, l, i, "permit, deny or remark");
	m->action_read = true;
	i++;
	s = tok(l, i);
	if (acl->kind == IOS_ACL_STANDARD && !(s && strcasecmp(s, "object-group") && proto_word(fam, s))) {
		e->proto = 0;
		if (std_source(m, l, &i, &e->src) < 0)
			return -1;
		e->dst.kind = IOS_ADDR_PREFIX;
		e->dst.p.family = 4;
		e->dst.p.len = 0;
	} else {
		if (s && strcasecmp(s, "object-group") == 0) {
			if (!tok(l, i + 1))
				return ios_expected(m, l, i + 1, "a service object-group name");
			e->proto = -1;
			e->svc = l->t[i + 1].s;
			e->svc_col = l->t[i + 1].col;
			i += 2;
		} else {
			if (!s || (e->proto = ios_proto_parse(fam, s)) < 0)
				return ios_expected(m, l, i, fam == 4 ? "a protocol (ip, tcp, udp, icmp, ... or 0-255)"
								  : "a protocol (ipv6, tcp, udp, icmp, ... or 0-255)");
			i++;
		}
		if (ios_addr(m, l, &i, fam, "source", &e->src) < 0)
			return -1;
		if (e->proto == ACLF_PROTO_TCP || e->proto == ACLF_PROTO_UDP) {
			if (ios_port_spec(m, l, &i, e->proto, &e->sports) < 0)
				return -1;
		} else if (is_port_op(tok(l, i))) {
			return ios_perr(m, l->no, col(l, i), "port match '%s' needs protocol tcp or udp",
					tok(l, i));
		}
		if (ios_addr(m, l, &i, fam, "destination", &e->dst) < 0)
			return -1;
		if (e->proto == ACLF_PROTO_TCP || e->proto == ACLF_PROTO_UDP) {
			if (ios_port_spec(m, l, &i, e->proto, &e->dports) < 0)
				return -1;
		}
		if (e->proto == (fam == 4 ? ACLF_PROTO_ICMP : ACLF_PROTO_ICMP6) &&
		    icmp_type(m, l, &i, fam, e) < 0)
			return -1;
		/* an ICMP message narrows the match below what the neutral form
		 * holds: opaque, its fields (protocol icmp, addresses) a superset */
		if (e->note) {
			m->match_ok = true;
			m->unsupported = true;
			return ios_perr(m, l->no, col(l, i - 1), "'%s' narrows the match to one ICMP "
					"message, which the neutral policy does not hold", e->note);
		}
	}
	m->match_ok = true;
	if (modifiers(m, l, i, acl, e) < 0)
		return -1;
	return 1;
}

/* The hit counter "(N matches)" wherever it stands in a line not read. */
static int64_t line_hits(const struct ios_line *l, int64_t dflt)
{
	for (size_t i = 0; i + 1 < l->n; i++) {
		const char *s = l->t[i].s, *w = l->t[i + 1].s;
		unsigned long long v = 0;
		if (s[0] != '(' || !s[1] || (strcmp(w, "matches)") && strcmp(w, "match)")))
			continue;
		for (s++; *s >= '0' && *s <= '9' && v < 100000000000000000ULL; s++)
			v = v * 10 + (unsigned long long)(*s - '0');
		if (!*s)
			return (int64_t)v;
	}
	return dflt;
}

int ios_ace_line(struct ios_model *m, struct ios_acl *acl, const struct ios_line *l, size_t i)
{
	unsigned errs = m->err->count;
	struct ios_ace e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.line = l->no;
	e.hits = acl->show ? 0 : -1;
	m->unsupported = m->match_ok = m->action_read = false;
	m->capture = true;
	m->cap_msg = NULL;
	rc = ace_parse(m, acl, l, i, &e);
	m->capture = false;
	if (rc == 0) /* a remark */
		return 0;
	/* where the text holds it: no copy */
	e.raw = l->src + l->t[0].col - 1;
	e.raw_len = l->len - (l->t[0].col - 1);
	if (rc < 0 && m->err->count != errs) /* out of memory */
		return -1;
	if (rc < 0 && !m->cap_msg)
		return aclf_err_nomem(m->err);
	if (rc < 0 && (!m->unsupported || m->strict || !m->action_read))
		return aclf_err_at(m->err, m->src, m->cap_line, m->cap_col, "%s%s", m->cap_msg,
				   m->unsupported ? " (--strict: no opaque entries)" : "");
	if (rc < 0) {
		/* valid IOS the neutral form cannot hold: an opaque entry, with
		 * the action and counter the device shows; its match is what was
		 * read when that is a superset, else every packet */
		e.opaque = m->cap_msg;
		if (!m->match_ok) {
			memset(&e.src, 0, sizeof(e.src));
			memset(&e.dst, 0, sizeof(e.dst));
			e.src.p.family = e.dst.p.family = acl->family;
			e.proto = 0;
			e.svc = NULL;
			memset(&e.sports, 0, sizeof(e.sports));
			memset(&e.dports, 0, sizeof(e.dports));
			e.established = false;
			e.note = NULL;
		}
		e.hits = line_hits(l, e.hits);
	}
	/* what the entry keeps of its line */
	if ((e.seq && !(e.seq = ios_keep(m, e.seq))) || (e.svc && !(e.svc = ios_keep(m, e.svc))) ||
	    (e.src.group && !(e.src.group = ios_keep(m, e.src.group))) ||
	    (e.dst.group && !(e.dst.group = ios_keep(m, e.dst.group))))
		return -1;
	e.remark = acl->remark;
	acl->remark = NULL;
	if (acl->n == acl->cap) {
		size_t cap = acl->cap ? acl->cap * 2 : 2;
		struct ios_ace *v = realloc(acl->v, cap * sizeof(*v));
		if (!v)
			return aclf_err_nomem(m->err);
		acl->v = v;
		acl->cap = cap;
	}
	acl->v[acl->n++] = e;
	return 0;
}
