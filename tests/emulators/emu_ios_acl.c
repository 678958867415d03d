/* The emulated IOS device's lists and object-groups: an entry or a group
 * member read from the command line's tokens, printed the way IOS prints
 * it (host bits masked, `A 0.0.0.0` as `host A`, well-known ports by
 * keyword, IPv6 in capitals), and compared. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"
#include "ios/ios.h"

/* ---- addresses --------------------------------------------------------- */

static bool looks_addr(const char *t)
{
	return isdigit((unsigned char)t[0]) || strchr(t, ':') != NULL;
}

static bool contiguous_subnet(const unsigned char *m)
{
	uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];

	return (~v & (~v + 1)) == 0;
}

static void mask_v6(unsigned char *a, unsigned len)
{
	for (unsigned b = len; b < 128; b++)
		a[b / 8] &= (unsigned char)~(0x80u >> (b % 8));
}

static const char *const addr_kw[] = { "any", "host", "object-group", NULL };

/* tokens at *i: an address of family fam; subnet: group member syntax
 * (A MASK) instead of an entry's (A WILDCARD) */
static int addr_parse(struct eio_cmd *c, size_t *i, uint8_t fam, bool subnet, struct eio_addr *a)
{
	const char *t = eio_need(c, *i);

	memset(a, 0, sizeof(*a));
	a->fam = fam;
	if (!t)
		return -1;
	if (!looks_addr(t)) {
		int k = eio_kw(c, *i, addr_kw);

		if (k < 0)
			return -1;
		(*i)++;
		if (k == 0) {
			a->kind = EIO_ANY;
			return 0;
		}
		t = eio_need(c, *i);
		if (!t)
			return -1;
		if (k == 2) {
			struct eio_og *g = eio_og_find(c->dev, t);

			if (subnet || fam == 6 || !g || g->kind != EIO_OG_NETWORK)
				return eio_invalid(c, *i);
			a->kind = EIO_GROUP;
			a->group = strdup(t);
			(*i)++;
			return a->group ? 0 : -1;
		}
		a->kind = EIO_HOST;
		if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, t, a->a) != 1)
			return eio_invalid(c, *i);
		(*i)++;
		return 0;
	}
	if (fam == 6 || (subnet && strchr(t, '/'))) {
		char tmp[64];
		const char *sl = strchr(t, '/');
		unsigned long len = 0;
		size_t al = sl ? (size_t)(sl - t) : 0;

		if (!sl || al >= sizeof(tmp) || ios_parse_uint(sl + 1, fam == 6 ? 128 : 32, &len) < 0)
			return eio_invalid(c, *i);
		memcpy(tmp, t, al);
		tmp[al] = '\0';
		if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, tmp, a->a) != 1)
			return eio_invalid(c, *i);
		a->kind = EIO_PREFIX;
		a->len = (unsigned)len;
		if (fam == 6)
			mask_v6(a->a, a->len);
		(*i)++;
		return 0;
	}
	if (inet_pton(AF_INET, t, a->a) != 1)
		return eio_invalid(c, *i);
	(*i)++;
	t = eio_need(c, *i);
	if (!t)
		return -1;
	if (inet_pton(AF_INET, t, a->mask) != 1)
		return eio_invalid(c, *i);
	if (subnet) {
		if (!contiguous_subnet(a->mask))
			return eio_invalid(c, *i);
		for (int k = 0; k < 4; k++) /* kept as wildcard bits */
			a->mask[k] = (unsigned char)~a->mask[k];
	}
	(*i)++;
	for (int k = 0; k < 4; k++)
		a->a[k] &= (unsigned char)~a->mask[k];
	if (!memcmp(a->mask, "\0\0\0\0", 4))
		a->kind = EIO_HOST;
	else if (!memcmp(a->mask, "\xff\xff\xff\xff", 4))
		a->kind = subnet ? EIO_WILD : EIO_ANY;
	else
		a->kind = EIO_WILD;
	return 0;
}

static void put_ip(struct aclf_buf *out, uint8_t fam, const unsigned char *a)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(fam == 6 ? AF_INET6 : AF_INET, a, s, sizeof(s)))
		return;
	for (char *p = s; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	aclf_buf_puts(out, s);
}

void eio_addr_text(const struct eio_addr *a, bool subnet, struct aclf_buf *out)
{
	switch (a->kind) {
	case EIO_ANY:
		aclf_buf_puts(out, "any");
		return;
	case EIO_HOST:
		aclf_buf_puts(out, "host ");
		put_ip(out, a->fam, a->a);
		return;
	case EIO_GROUP:
		aclf_buf_printf(out, "object-group %s", a->group);
		return;
	case EIO_PREFIX:
		put_ip(out, a->fam, a->a);
		aclf_buf_printf(out, "/%u", a->len);
		return;
	case EIO_WILD: {
		unsigned char m[4];

		for (int k = 0; k < 4; k++)
			m[k] = subnet ? (unsigned char)~a->mask[k] : a->mask[k];
		put_ip(out, 4, a->a);
		aclf_buf_putc(out, ' ');
		put_ip(out, 4, m);
		return;
	}
	}
}

static bool addr_same(const struct eio_addr *a, const struct eio_addr *b)
{
	if (a->kind != b->kind || a->fam != b->fam)
		return false;
	switch (a->kind) {
	case EIO_ANY:
		return true;
	case EIO_HOST:
		return !memcmp(a->a, b->a, 16);
	case EIO_GROUP:
		return !strcmp(a->group, b->group);
	case EIO_PREFIX:
		return a->len == b->len && !memcmp(a->a, b->a, 16);
	case EIO_WILD:
		return !memcmp(a->a, b->a, 4) && !memcmp(a->mask, b->mask, 4);
	}
	return false;
}

/* ---- ports ------------------------------------------------------------- */

static const char *const port_ops[] = { "eq", "neq", "gt", "lt", "range", NULL };

static int port_one(struct eio_cmd *c, size_t i, int proto, uint16_t *p)
{
	const char *t = eio_need(c, i);
	unsigned long v;

	if (!t)
		return -1;
	if (isdigit((unsigned char)t[0])) {
		if (ios_parse_uint(t, 65535, &v) < 0)
			return eio_invalid(c, i);
		*p = (uint16_t)v;
		return 0;
	}
	if (proto == -2) { /* tcp-udp: a name both tables give the same port */
		uint16_t a, b;

		if (ios_port_keyword(6, t, &a) == 0 && ios_port_keyword(17, t, &b) == 0 && a == b) {
			*p = a;
			return 0;
		}
		return eio_invalid(c, i);
	}
	if (ios_port_keyword(proto, t, p) < 0)
		return eio_invalid(c, i);
	return 0;
}

static bool is_port_token(const char *t, int proto)
{
	uint16_t p;

	if (isdigit((unsigned char)t[0]))
		return strspn(t, "0123456789") == strlen(t);
	if (proto == -2)
		return ios_port_keyword(6, t, &p) == 0 && ios_port_keyword(17, t, &p) == 0;
	return ios_port_keyword(proto, t, &p) == 0;
}

/* An operator and its ports at *i when the token is one; a token that is
 * no operator leaves *i and pr->op NONE. */
static int ports_parse(struct eio_cmd *c, size_t *i, int proto, struct eio_ports *pr)
{
	int k;

	memset(pr, 0, sizeof(*pr));
	if (*i >= c->l->n)
		return 0;
	for (k = 0; port_ops[k]; k++)
		if (!strcasecmp(c->l->tok[*i], port_ops[k]))
			break;
	if (!port_ops[k])
		return 0;
	(*i)++;
	pr->op = (enum eio_port_op)(k + 1);
	if (pr->op == EIO_P_RANGE) {
		if (port_one(c, *i, proto, &pr->p[0]) < 0 || port_one(c, *i + 1, proto, &pr->p[1]) < 0)
			return -1;
		if (pr->p[1] < pr->p[0])
			return eio_invalid(c, *i + 1);
		pr->n = 2;
		*i += 2;
		return 0;
	}
	if (port_one(c, *i, proto, &pr->p[0]) < 0)
		return -1;
	pr->n = 1;
	(*i)++;
	if (pr->op == EIO_P_GT || pr->op == EIO_P_LT)
		return 0;
	while (*i < c->l->n && pr->n < EIO_PORTS_MAX && is_port_token(c->l->tok[*i], proto)) {
		if (port_one(c, *i, proto, &pr->p[pr->n]) < 0)
			return -1;
		pr->n++;
		(*i)++;
	}
	return 0;
}

static void port_text(struct aclf_buf *out, int proto, uint16_t p)
{
	const char *n = NULL;

	if (proto == -2) {
		const char *a = ios_port_name(6, p), *b = ios_port_name(17, p);

		n = a && b && !strcmp(a, b) ? a : NULL;
	} else {
		n = ios_port_name(proto, p);
	}
	if (n)
		aclf_buf_printf(out, " %s", n);
	else
		aclf_buf_printf(out, " %u", p);
}

static void ports_text(const struct eio_ports *pr, int proto, struct aclf_buf *out)
{
	if (pr->op == EIO_P_NONE)
		return;
	aclf_buf_printf(out, " %s", port_ops[pr->op - 1]);
	for (size_t k = 0; k < pr->n; k++)
		port_text(out, proto, pr->p[k]);
}

static bool ports_same(const struct eio_ports *a, const struct eio_ports *b)
{
	return a->op == b->op && a->n == b->n && !memcmp(a->p, b->p, a->n * sizeof(a->p[0]));
}

/* ---- protocols --------------------------------------------------------- */

static const char *const proto4_kw[] = {
	"ahp", "eigrp", "esp", "gre", "icmp", "igmp", "ip", "ipinip", "nos",
	"object-group", "ospf", "pcp", "pim", "tcp", "udp", NULL,
};
static const char *const proto6_kw[] = {
	"ahp", "esp", "icmp", "ipv6", "pcp", "sctp", "tcp", "udp", NULL,
};

/* the protocol at token i: number, -1 for object-group (name follows) */
static int proto_parse(struct eio_cmd *c, size_t i, uint8_t fam, int *proto)
{
	const char *t = eio_need(c, i);
	const char *const *kw = fam == 6 ? proto6_kw : proto4_kw;
	unsigned long v;
	int k;

	if (!t)
		return -1;
	if (isdigit((unsigned char)t[0])) {
		if (ios_parse_uint(t, 255, &v) < 0)
			return eio_invalid(c, i);
		*proto = (int)v;
		return 0;
	}
	k = eio_kw(c, i, kw);
	if (k < 0)
		return -1;
	if (!strcmp(kw[k], "object-group")) {
		*proto = -1;
		return 0;
	}
	*proto = ios_proto_parse(fam, kw[k]);
	return *proto < 0 ? eio_invalid(c, i) : 0;
}

static void proto_text(struct aclf_buf *out, uint8_t fam, int proto)
{
	const char *k = ios_proto_keyword(fam, proto);

	if (k)
		aclf_buf_puts(out, k);
	else
		aclf_buf_printf(out, "%d", proto);
}

/* ---- entries ----------------------------------------------------------- */

static const char *const ace_opts[] = { "established", "log", "log-input", "sequence", NULL };

int eio_ace_parse(struct eio_cmd *c, size_t i, uint8_t fam, struct eio_ace *e)
{
	int proto = -1;
	bool ports;

	if (proto_parse(c, i, fam, &proto) < 0)
		return -1;
	i++;
	e->proto = proto;
	if (proto == -1) {
		const char *t = eio_need(c, i);
		struct eio_og *g;

		if (!t)
			return -1;
		g = eio_og_find(c->dev, t);
		if (!g || g->kind != EIO_OG_SERVICE)
			return eio_invalid(c, i);
		e->svc = strdup(t);
		if (!e->svc)
			return -1;
		i++;
	}
	ports = proto == 6 || proto == 17;
	if (addr_parse(c, &i, fam, false, &e->src) < 0)
		return -1;
	if (ports && ports_parse(c, &i, proto, &e->sport) < 0)
		return -1;
	if (addr_parse(c, &i, fam, false, &e->dst) < 0)
		return -1;
	if (ports && ports_parse(c, &i, proto, &e->dport) < 0)
		return -1;
	if ((proto == 1 || proto == 58) && i < c->l->n &&
	    (isdigit((unsigned char)c->l->tok[i][0]) || ios_icmp_type_known(fam, c->l->tok[i]))) {
		unsigned long v;
		struct aclf_buf t = ACLF_BUF_INIT;

		aclf_buf_init(&t, 0);
		if (isdigit((unsigned char)c->l->tok[i][0])) {
			if (eio_uint(c, i, 0, 255, &v) < 0) {
				aclf_buf_release(&t);
				return -1;
			}
			aclf_buf_printf(&t, "%lu", v);
			i++;
			if (i < c->l->n && isdigit((unsigned char)c->l->tok[i][0])) {
				if (eio_uint(c, i, 0, 255, &v) < 0) {
					aclf_buf_release(&t);
					return -1;
				}
				aclf_buf_printf(&t, " %lu", v);
				i++;
			}
		} else {
			aclf_buf_puts(&t, c->l->tok[i]);
			for (char *p = t.buf; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			i++;
		}
		e->icmp = aclf_buf_detach(&t, NULL);
	}
	while (i < c->l->n) {
		int k = eio_kw(c, i, ace_opts);

		if (k < 0)
			return -1;
		if (k == 0) {
			if (proto != 6 || e->established || e->log)
				return eio_invalid(c, i);
			e->established = true;
		} else if (k == 1 || k == 2) {
			if (e->log)
				return eio_invalid(c, i);
			e->log = k;
		} else {
			/* IPv6: `permit ... sequence N` */
			unsigned long v;

			if (fam != 6 || e->seq)
				return eio_invalid(c, i);
			if (eio_uint(c, i + 1, 1, EMU_IOS_SEQ_MAX, &v) < 0)
				return -1;
			e->seq = v;
			i++;
		}
		i++;
	}
	return 0;
}

void eio_ace_release(struct eio_ace *e)
{
	free(e->remark);
	free(e->svc);
	free(e->icmp);
	free(e->src.group);
	free(e->dst.group);
	memset(e, 0, sizeof(*e));
}

bool eio_ace_same(const struct eio_ace *a, const struct eio_ace *b)
{
	if (a->remark || b->remark)
		return a->remark && b->remark && !strcmp(a->remark, b->remark);
	return a->permit == b->permit && a->proto == b->proto &&
	       !strcmp(a->svc ? a->svc : "", b->svc ? b->svc : "") && addr_same(&a->src, &b->src) &&
	       addr_same(&a->dst, &b->dst) && ports_same(&a->sport, &b->sport) &&
	       ports_same(&a->dport, &b->dport) &&
	       !strcmp(a->icmp ? a->icmp : "", b->icmp ? b->icmp : "") &&
	       a->established == b->established && a->log == b->log;
}

void eio_ace_text(const struct eio_ace *e, uint8_t fam, bool pad, struct aclf_buf *out)
{
	if (e->remark) {
		aclf_buf_printf(out, "remark %s", e->remark);
		return;
	}
	aclf_buf_puts(out, e->permit ? "permit " : pad ? "deny   " : "deny ");
	if (e->proto == -1)
		aclf_buf_printf(out, "object-group %s", e->svc);
	else
		proto_text(out, fam, e->proto);
	aclf_buf_putc(out, ' ');
	eio_addr_text(&e->src, false, out);
	ports_text(&e->sport, e->proto, out);
	aclf_buf_putc(out, ' ');
	eio_addr_text(&e->dst, false, out);
	ports_text(&e->dport, e->proto, out);
	if (e->icmp)
		aclf_buf_printf(out, " %s", e->icmp);
	if (e->established)
		aclf_buf_puts(out, " established");
	if (e->log)
		aclf_buf_puts(out, e->log == 2 ? " log-input" : " log");
}

int eio_acl_add(struct eio_cmd *c, struct eio_acl *a, struct eio_ace *e)
{
	size_t at = a->n;
	unsigned long last = 0;

	for (size_t k = 0; k < a->n; k++)
		if (!a->ace[k].remark && a->ace[k].seq > last)
			last = a->ace[k].seq;
	if (!e->remark) {
		for (size_t k = 0; k < a->n; k++)
			if (eio_ace_same(&a->ace[k], e)) {
				eio_ace_release(e);
				return 0;
			}
		if (!e->seq) {
			if (last + 10 > EMU_IOS_SEQ_MAX) {
				eio_ace_release(e);
				eio_puts(c->out, "% Exceeded maximum sequence number.\n");
				return -1;
			}
			e->seq = last + 10;
		}
		for (size_t k = 0; k < a->n; k++) {
			if (a->ace[k].remark)
				continue;
			if (a->ace[k].seq == e->seq) {
				eio_ace_release(e);
				eio_puts(c->out, "% Duplicate sequence number\n");
				return -1;
			}
			if (a->ace[k].seq > e->seq) {
				/* before the remarks that lead into entry k */
				at = k;
				while (at > 0 && a->ace[at - 1].remark)
					at--;
				break;
			}
		}
	}
	if (eio_grow((void **)&a->ace, &a->alloc, a->n, sizeof(*a->ace)) < 0) {
		eio_ace_release(e);
		return -1;
	}
	memmove(a->ace + at + 1, a->ace + at, (a->n - at) * sizeof(*a->ace));
	a->ace[at] = *e;
	a->n++;
	memset(e, 0, sizeof(*e));
	c->changed = true;
	return 0;
}

/* ---- object-group members ------------------------------------------------ */

static const char *const svc_kw[] = { "tcp", "udp", "tcp-udp", "icmp", "ip", "group-object",
				      "description", NULL };
static const char *const net_kw[] = { "host", "any", "group-object", "description", NULL };

static int rest_text(struct eio_cmd *c, size_t i, char **out)
{
	*out = NULL;
	if (i >= c->l->n)
		return eio_incomplete(c);
	*out = strdup(c->l->text + c->l->col[i]);
	return *out ? 0 : -1;
}

int eio_member_parse(struct eio_cmd *c, size_t i, enum eio_og_kind kind, struct eio_member *m)
{
	const char *t = eio_need(c, i);
	int k;

	memset(m, 0, sizeof(*m));
	if (!t)
		return -1;
	if (kind == EIO_OG_NETWORK) {
		if (looks_addr(t)) {
			if (addr_parse(c, &i, strchr(t, ':') ? 6 : 4, true, &m->addr) < 0)
				return -1;
			return eio_end(c, i);
		}
		k = eio_kw(c, i, net_kw);
		if (k < 0)
			return -1;
		if (k == 0 || k == 1) {
			const char *h = k == 0 ? eio_need(c, i + 1) : NULL;

			if (k == 0 && !h)
				return -1;
			if (addr_parse(c, &i, h && strchr(h, ':') ? 6 : 4, true, &m->addr) < 0)
				return -1;
			return eio_end(c, i);
		}
		if (k == 3)
			return rest_text(c, i + 1, &m->description);
		t = eio_need(c, i + 1);
		if (!t)
			return -1;
		if (!eio_og_find(c->dev, t) || eio_og_find(c->dev, t)->kind != kind)
			return eio_invalid(c, i + 1);
		m->group = strdup(t);
		return m->group ? eio_end(c, i + 2) : -1;
	}
	if (isdigit((unsigned char)t[0])) {
		unsigned long v;

		if (eio_uint(c, i, 0, 255, &v) < 0)
			return -1;
		m->proto = (int)v;
		return eio_end(c, i + 1);
	}
	k = eio_kw(c, i, svc_kw);
	if (k < 0)
		return -1;
	if (k == 5) {
		t = eio_need(c, i + 1);
		if (!t)
			return -1;
		if (!eio_og_find(c->dev, t) || eio_og_find(c->dev, t)->kind != kind)
			return eio_invalid(c, i + 1);
		m->group = strdup(t);
		return m->group ? eio_end(c, i + 2) : -1;
	}
	if (k == 6)
		return rest_text(c, i + 1, &m->description);
	m->proto = k == 0 ? 6 : k == 1 ? 17 : k == 2 ? -2 : k == 3 ? 1 : 0;
	i++;
	if (k == 3) {
		if (i < c->l->n) {
			if (!ios_icmp_type_known(4, c->l->tok[i]))
				return eio_invalid(c, i);
			m->icmp = strdup(c->l->tok[i]);
			i++;
		}
		return eio_end(c, i);
	}
	if (k == 4)
		return eio_end(c, i);
	if (i < c->l->n && !strcasecmp(c->l->tok[i], "source")) {
		i++;
		if (i >= c->l->n)
			return eio_incomplete(c);
		if (ports_parse(c, &i, m->proto, &m->sport) < 0)
			return -1;
		if (m->sport.op == EIO_P_NONE)
			return eio_invalid(c, i);
	}
	if (i < c->l->n && is_port_token(c->l->tok[i], m->proto)) {
		/* a bare port is eq */
		m->dport.op = EIO_P_EQ;
		if (port_one(c, i, m->proto, &m->dport.p[0]) < 0)
			return -1;
		m->dport.n = 1;
		i++;
	} else if (ports_parse(c, &i, m->proto, &m->dport) < 0) {
		return -1;
	}
	return eio_end(c, i);
}

void eio_member_release(struct eio_member *m)
{
	free(m->group);
	free(m->description);
	free(m->addr.group);
	free(m->icmp);
	memset(m, 0, sizeof(*m));
}

bool eio_member_same(const struct eio_member *a, const struct eio_member *b)
{
	if (a->group || b->group)
		return a->group && b->group && !strcmp(a->group, b->group);
	if (a->description || b->description)
		return a->description && b->description;
	return addr_same(&a->addr, &b->addr) && a->proto == b->proto &&
	       ports_same(&a->sport, &b->sport) && ports_same(&a->dport, &b->dport) &&
	       !strcmp(a->icmp ? a->icmp : "", b->icmp ? b->icmp : "");
}

void eio_member_text(const struct eio_member *m, enum eio_og_kind kind, struct aclf_buf *out)
{
	if (m->group) {
		aclf_buf_printf(out, "group-object %s", m->group);
		return;
	}
	if (m->description) {
		aclf_buf_printf(out, "description %s", m->description);
		return;
	}
	if (kind == EIO_OG_NETWORK) {
		eio_addr_text(&m->addr, true, out);
		return;
	}
	if (m->proto == -2)
		aclf_buf_puts(out, "tcp-udp");
	else
		proto_text(out, 4, m->proto);
	if (m->icmp)
		aclf_buf_printf(out, " %s", m->icmp);
	if (m->sport.op != EIO_P_NONE) {
		aclf_buf_puts(out, " source");
		ports_text(&m->sport, m->proto, out);
	}
	ports_text(&m->dport, m->proto, out);
}
