/* A test's packet against the emulated IOS device's lists: the first entry
 * whose protocol, addresses (object-groups included, nested ones to a
 * depth of 8), ports and `established` match. An entry with an ICMP
 * message type matches any ICMP packet (a packet carries no type here). */
#include <string.h>

#include "emu_ios.h"

bool eio_ports_match(const struct eio_ports *pr, uint16_t p)
{
	switch (pr->op) {
	case EIO_P_NONE:
		return true;
	case EIO_P_EQ:
	case EIO_P_NEQ: {
		bool in = false;

		for (size_t k = 0; k < pr->n; k++)
			in = in || pr->p[k] == p;
		return pr->op == EIO_P_EQ ? in : !in;
	}
	case EIO_P_GT:
		return p > pr->p[0];
	case EIO_P_LT:
		return p < pr->p[0];
	case EIO_P_RANGE:
		return p >= pr->p[0] && p <= pr->p[1];
	}
	return false;
}

static bool in_addr(struct eio_dev *d, const struct eio_addr *a, uint8_t fam,
		    const unsigned char *ip, int depth);

static bool in_group(struct eio_dev *d, const char *name, uint8_t fam, const unsigned char *ip,
		     int depth)
{
	struct eio_og *g = eio_og_find(d, name);

	if (!g || g->kind != EIO_OG_NETWORK || depth > 8)
		return false;
	for (size_t k = 0; k < g->n; k++) {
		const struct eio_member *m = &g->m[k];

		if (m->group ? in_group(d, m->group, fam, ip, depth + 1)
			     : !m->description && in_addr(d, &m->addr, fam, ip, depth + 1))
			return true;
	}
	return false;
}

static bool in_addr(struct eio_dev *d, const struct eio_addr *a, uint8_t fam,
		    const unsigned char *ip, int depth)
{
	if (a->kind == EIO_GROUP)
		return in_group(d, a->group, fam, ip, depth);
	if (a->fam != fam)
		return false;
	switch (a->kind) {
	case EIO_ANY:
		return true;
	case EIO_HOST:
		return !memcmp(a->a, ip, fam == 6 ? 16 : 4);
	case EIO_WILD:
		for (int k = 0; k < 4; k++)
			if ((ip[k] & (unsigned char)~a->mask[k]) != a->a[k])
				return false;
		return true;
	case EIO_PREFIX:
		for (unsigned b = 0; b < a->len; b++) {
			unsigned char bit = (unsigned char)(0x80u >> (b % 8));

			if ((ip[b / 8] & bit) != (a->a[b / 8] & bit))
				return false;
		}
		return true;
	case EIO_GROUP:
		break;
	}
	return false;
}

static bool proto_ok(int want, int got)
{
	return want == 0 || want == got || (want == -2 && (got == 6 || got == 17));
}

static bool in_service(struct eio_dev *d, const char *name, const struct eio_pkt *p, int depth)
{
	struct eio_og *g = eio_og_find(d, name);

	if (!g || g->kind != EIO_OG_SERVICE || depth > 8)
		return false;
	for (size_t k = 0; k < g->n; k++) {
		const struct eio_member *m = &g->m[k];

		if (m->group) {
			if (in_service(d, m->group, p, depth + 1))
				return true;
			continue;
		}
		if (m->description || !proto_ok(m->proto, p->proto))
			continue;
		if (m->proto == 0 || m->proto == 1 ||
		    (eio_ports_match(&m->sport, p->sport) && eio_ports_match(&m->dport, p->dport)))
			return true;
	}
	return false;
}

struct eio_ace *eio_acl_match(struct eio_dev *d, struct eio_acl *a, const struct eio_pkt *p)
{
	for (size_t k = 0; k < a->n; k++) {
		struct eio_ace *e = &a->ace[k];

		if (e->remark)
			continue;
		if (e->proto == -1) {
			if (!in_service(d, e->svc, p, 0))
				continue;
		} else if (!proto_ok(e->proto, p->proto)) {
			continue;
		}
		if (!in_addr(d, &e->src, p->fam, p->src, 0) || !in_addr(d, &e->dst, p->fam, p->dst, 0))
			continue;
		if (e->proto == 6 || e->proto == 17) {
			if (!eio_ports_match(&e->sport, p->sport) || !eio_ports_match(&e->dport, p->dport))
				continue;
		}
		if (e->established && !p->established)
			continue;
		return e;
	}
	return NULL;
}
