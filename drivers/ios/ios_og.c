/* IOS object-groups: definitions and their expansion.
 *
 *   object-group network NAME        object-group service NAME
 *    host A                            tcp eq 5061 | tcp 5061 | tcp range A B
 *    A M          (subnet mask)        udp source range A B eq P
 *    A/len | A /len                    tcp-udp eq domain
 *    range A B                         icmp [echo] | esp | 47 | ip
 *    any                               group-object OTHER
 *    network-object host A | A M       description ...
 *    group-object OTHER
 *    description ...
 *
 * object-group v6-network / v6-service take the same lines with IPv6
 * addresses (A/len, host A, any). A reference to an undefined group, a group
 * of the wrong kind, an empty group or a group containing itself is an
 * error at the referencing entry. */
#include <string.h>
#include <strings.h>

#include "aclforge/hash.h"
#include "ios_parse.h"

#define IOS_OG_DEPTH 32
/* entries visited while expanding one reference (nested groups repeat) */
#define IOS_OG_BUDGET 100000

/* The slot of name in the table: its entry, or the empty slot it goes in. */
static size_t *og_slot(struct ios_model *m, const char *name)
{
	size_t mask = m->og_tab_cap - 1, i = (size_t)aclf_hash_str(name) & mask;

	while (m->og_tab[i] && strcmp(m->ogs[m->og_tab[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &m->og_tab[i];
}

/* (Re)build the name table for the groups there are (and one more). 0 or
 * -1 when out of memory (then lookups fall back to a scan). */
static int og_index(struct ios_model *m)
{
	size_t cap = 16;

	while (cap <= 2 * (m->nogs + 1))
		cap *= 2;
	m->og_tab = aclf_arena_alloc(m->a, cap * sizeof(*m->og_tab));
	m->og_tab_cap = m->og_tab ? cap : 0;
	if (!m->og_tab)
		return -1;
	for (size_t i = 0; i < m->nogs; i++)
		*og_slot(m, m->ogs[i].name) = i + 1;
	return 0;
}

void ios_og_forget_index(struct ios_model *m)
{
	m->og_tab = NULL;
	m->og_tab_cap = 0;
}

struct ios_og *ios_og_find(struct ios_model *m, const char *name)
{
	size_t *slot;

	if (!m->og_tab && m->nogs && og_index(m) < 0) {
		for (size_t i = 0; i < m->nogs; i++)
			if (strcmp(m->ogs[i].name, name) == 0)
				return &m->ogs[i];
		return NULL;
	}
	if (!m->og_tab)
		return NULL;
	slot = og_slot(m, name);
	return *slot ? &m->ogs[*slot - 1] : NULL;
}

static const char *kind_name(enum ios_og_kind k)
{
	switch (k) {
	case IOS_OG_NET:
		return "network";
	case IOS_OG_NET6:
		return "v6-network";
	case IOS_OG_SVC:
		return "service";
	case IOS_OG_SVC6:
		return "v6-service";
	}
	return "?";
}

struct ios_og *ios_og_open(struct ios_model *m, const struct ios_line *l, enum ios_og_kind kind,
			   const char *name)
{
	struct ios_og *g = ios_og_find(m, name);

	if (g) {
		if (g->kind != kind) {
			ios_perr(m, l->no, l->t[2].col, "object-group '%s' is already a %s group", name,
				 kind_name(g->kind));
			return NULL;
		}
		return g;
	}
	if (aclf_arena_grow(m->a, (void **)&m->ogs, m->nogs, &m->ogs_cap, sizeof(*m->ogs)) < 0) {
		aclf_err_nomem(m->err);
		return NULL;
	}
	if (!(name = ios_keep(m, name)))
		return NULL;
	g = &m->ogs[m->nogs++];
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->kind = kind;
	g->line = l->no;
	if (m->og_tab && 2 * (m->nogs + 1) < m->og_tab_cap)
		*og_slot(m, name) = m->nogs;
	else
		ios_og_forget_index(m); /* rebuilt, larger, at the next lookup */
	return g;
}

static struct ios_og_item *push(struct ios_model *m, struct ios_og *g, const struct ios_line *l,
				size_t i)
{
	struct ios_og_item *it;

	/* most groups hold one or two items: room for two first (the arena's
	 * arrays of small elements start at eight) */
	if (!g->cap && (g->v = aclf_arena_alloc(m->a, 2 * sizeof(*g->v))))
		g->cap = 2;
	if (aclf_arena_grow(m->a, (void **)&g->v, g->n, &g->cap, sizeof(*g->v)) < 0) {
		aclf_err_nomem(m->err);
		return NULL;
	}
	it = &g->v[g->n++];
	memset(it, 0, sizeof(*it));
	it->line = l->no;
	it->col = i < l->n ? l->t[i].col : (unsigned)strlen(l->raw) + 1;
	return it;
}

static int add_prefix(struct ios_model *m, struct ios_og *g, const struct ios_line *l, size_t i,
		      const struct aclf_prefix *p)
{
	struct ios_og_item *it = push(m, g, l, i);

	if (!it)
		return -1;
	it->p = *p;
	return 0;
}

/* range A B as the fewest prefixes */
static int add_range(struct ios_model *m, struct ios_og *g, const struct ios_line *l, size_t i,
		     const struct aclf_prefix *a, const struct aclf_prefix *b)
{
	aclf_u128 lo = aclf_prefix_first(a), hi = aclf_prefix_first(b);
	unsigned bits = a->family == 4 ? 32 : 128;

	if (a->family != b->family || lo > hi)
		return ios_perr(m, l->no, l->t[i].col, "bad address range");
	for (;;) {
		unsigned len = bits;
		struct aclf_prefix p;
		/* grow the block while aligned and inside the range */
		while (len > 0) {
			unsigned host = bits - (len - 1);
			aclf_u128 size = host >= 128 ? 0 : ((aclf_u128)1 << host);
			if (size == 0 ? lo != 0 || hi != ~(aclf_u128)0 >> (128 - bits)
				      : (lo & (size - 1)) != 0 || lo + size - 1 > hi)
				break;
			len--;
		}
		aclf_prefix_from_u128(a->family, lo, (uint8_t)len, &p);
		if (add_prefix(m, g, l, i, &p) < 0)
			return -1;
		if (aclf_prefix_last(&p) >= hi)
			return 0;
		lo = aclf_prefix_last(&p) + 1;
	}
}

static int end_of_line(struct ios_model *m, const struct ios_line *l, size_t i)
{
	if (i < l->n)
		return ios_perr(m, l->no, l->t[i].col, "unexpected '%s' in object-group", l->t[i].s);
	return 0;
}

static int net_line(struct ios_model *m, struct ios_og *g, const struct ios_line *l, size_t i)
{
	uint8_t fam = g->kind == IOS_OG_NET ? 4 : 6;
	const char *s = l->t[i].s;
	struct aclf_prefix p, q;

	if (strcasecmp(s, "network-object") == 0 && fam == 4 && i + 1 < l->n)
		return net_line(m, g, l, i + 1);
	if (strcasecmp(s, "any") == 0) {
		memset(&p, 0, sizeof(p));
		p.family = fam;
		return add_prefix(m, g, l, i, &p) < 0 ? -1 : end_of_line(m, l, i + 1);
	}
	if (strcasecmp(s, "host") == 0) {
		if (i + 1 >= l->n || strchr(l->t[i + 1].s, '/') ||
		    aclf_prefix_parse(l->t[i + 1].s, &p, false) < 0 || p.family != fam)
			return ios_expected(m, l, i + 1, fam == 4 ? "an ipv4 address" : "an ipv6 address");
		return add_prefix(m, g, l, i, &p) < 0 ? -1 : end_of_line(m, l, i + 2);
	}
	if (strcasecmp(s, "range") == 0) {
		if (i + 2 >= l->n || aclf_prefix_parse(l->t[i + 1].s, &p, false) < 0 ||
		    aclf_prefix_parse(l->t[i + 2].s, &q, false) < 0 || p.family != fam ||
		    strchr(l->t[i + 1].s, '/') || strchr(l->t[i + 2].s, '/'))
			return ios_expected(m, l, i + 1, "two addresses");
		return add_range(m, g, l, i, &p, &q) < 0 ? -1 : end_of_line(m, l, i + 3);
	}
	if (strchr(s, '/')) {
		if (aclf_prefix_parse(s, &p, true) < 0 || p.family != fam)
			return ios_expected(m, l, i, "a prefix");
		return add_prefix(m, g, l, i, &p) < 0 ? -1 : end_of_line(m, l, i + 1);
	}
	if (aclf_prefix_parse(s, &p, false) == 0 && p.family == fam && i + 1 < l->n) {
		const char *mask = l->t[i + 1].s;
		char buf[64];
		if (mask[0] == '/') {
			size_t n = strlen(s);
			if (n + strlen(mask) >= sizeof(buf))
				return ios_expected(m, l, i + 1, "a prefix length");
			memcpy(buf, s, n);
			memcpy(buf + n, mask, strlen(mask) + 1);
			if (aclf_prefix_parse(buf, &p, true) < 0)
				return ios_expected(m, l, i + 1, "a prefix length");
		} else if (fam != 4 || aclf_prefix_from_mask(s, mask, false, &p) < 0) {
			return ios_perr(m, l->no, l->t[i + 1].col,
					"bad or non-contiguous subnet mask '%s'", mask);
		}
		return add_prefix(m, g, l, i, &p) < 0 ? -1 : end_of_line(m, l, i + 2);
	}
	return ios_expected(m, l, i, "host, an address and mask, a prefix, range, any or group-object");
}

/* a port spec in a service group: an operator, or a bare port meaning eq */
static int svc_spec(struct ios_model *m, const struct ios_line *l, size_t *i, int proto,
		    struct aclf_port_set *set)
{
	int r = ios_port_spec(m, l, i, proto, set);
	unsigned long v;
	uint16_t port;
	struct aclf_port_range pr;

	if (r != 0 || *i >= l->n)
		return r;
	if (ios_parse_uint(l->t[*i].s, 65535, &v) == 0)
		port = (uint16_t)v;
	else if (ios_port_keyword(proto, l->t[*i].s, &port) < 0)
		return 0;
	pr.lo = pr.hi = port;
	(*i)++;
	return aclf_ports_merge(m->a, &pr, 1, set) < 0 ? aclf_err_nomem(m->err) : 1;
}

static int svc_line(struct ios_model *m, struct ios_og *g, const struct ios_line *l, size_t i)
{
	uint8_t fam = g->kind == IOS_OG_SVC ? 4 : 6;
	const char *s = l->t[i].s;
	struct ios_og_item *it;
	struct aclf_port_set sp = { NULL, 0 }, dp = { NULL, 0 };
	int proto, sproto;
	bool both = strcasecmp(s, "tcp-udp") == 0;

	proto = both ? 0 : strcasecmp(s, "ip") == 0 ? 0 : ios_proto_parse(fam, s);
	if (proto < 0)
		return ios_expected(m, l, i, "a protocol, group-object or description");
	i++;
	if (both || proto == ACLF_PROTO_TCP || proto == ACLF_PROTO_UDP) {
		sproto = both ? 0 : proto;
		if (i < l->n && strcasecmp(l->t[i].s, "source") == 0) {
			i++;
			if (svc_spec(m, l, &i, sproto, &sp) <= 0)
				return ios_expected(m, l, i, "a source port");
		}
		if (svc_spec(m, l, &i, sproto, &dp) < 0)
			return -1;
	}
	if (!(it = push(m, g, l, i - 1)))
		return -1;
	it->proto = both ? ACLF_PROTO_TCP : proto;
	it->sports = sp;
	it->dports = dp;
	if (proto == (fam == 4 ? ACLF_PROTO_ICMP : ACLF_PROTO_ICMP6) && i < l->n &&
	    ios_icmp_type_known(fam, l->t[i].s)) {
		it->note = aclf_arena_printf(m->a, "icmp %s", l->t[i].s);
		i++;
	}
	if (both) {
		struct ios_og_item copy = *it;
		if (!(it = push(m, g, l, i - 1)))
			return -1;
		*it = copy;
		it->proto = ACLF_PROTO_UDP;
	}
	return end_of_line(m, l, i);
}

int ios_og_line(struct ios_model *m, struct ios_og *g, const struct ios_line *l)
{
	const char *s = l->t[0].s;
	struct ios_og_item *it;

	if (strcasecmp(s, "description") == 0)
		return 0;
	if (strcasecmp(s, "group-object") == 0) {
		if (l->n != 2)
			return ios_expected(m, l, 1, "one object-group name");
		if (!(it = push(m, g, l, 1)))
			return -1;
		if (!(it->group = ios_keep(m, l->t[1].s)))
			return -1;
		return 0;
	}
	if (g->kind == IOS_OG_NET || g->kind == IOS_OG_NET6)
		return net_line(m, g, l, 0);
	return svc_line(m, g, l, 0);
}

static struct ios_og *lookup(struct ios_model *m, const char *name, enum ios_og_kind kind,
			     unsigned line, unsigned col, unsigned depth, size_t *budget)
{
	struct ios_og *g = ios_og_find(m, name);

	if (*budget < 1 + (g ? g->n : 0)) {
		ios_perr(m, line, col, "object-group '%s' expands to too many entries", name);
		return NULL;
	}
	*budget -= 1 + (g ? g->n : 0);

	if (!g) {
		ios_perr(m, line, col, "object-group '%s' is not defined", name);
		return NULL;
	}
	if (g->kind != kind) {
		ios_perr(m, line, col, "object-group '%s' is a %s group, expected a %s group", name,
			 kind_name(g->kind), kind_name(kind));
		return NULL;
	}
	if (g->busy || depth > IOS_OG_DEPTH) {
		ios_perr(m, line, col, "object-group '%s' contains itself or is nested too deep", name);
		return NULL;
	}
	return g;
}

static int prefixes(struct ios_model *m, const char *name, enum ios_og_kind kind, unsigned line,
		    unsigned col, unsigned depth, size_t *budget, struct aclf_arena *a,
		    struct aclf_prefix **v, size_t *n, size_t *cap)
{
	struct ios_og *g = lookup(m, name, kind, line, col, depth, budget);
	int rc = 0;

	if (!g)
		return -1;
	g->busy++;
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		const struct ios_og_item *it = &g->v[i];
		if (it->group) {
			rc = prefixes(m, it->group, kind, it->line, it->col, depth + 1, budget, a, v, n,
				      cap);
		} else if (aclf_arena_grow(a, (void **)v, *n, cap, sizeof(**v)) < 0) {
			rc = aclf_err_nomem(m->err);
		} else {
			(*v)[(*n)++] = it->p;
		}
	}
	g->busy--;
	return rc;
}

int ios_og_prefixes(struct ios_model *m, const char *name, uint8_t fam, unsigned ref_line,
		    unsigned ref_col, struct aclf_arena *a, struct aclf_prefix **v, size_t *n,
		    size_t *cap)
{
	size_t before = *n, budget = IOS_OG_BUDGET;

	if (prefixes(m, name, fam == 4 ? IOS_OG_NET : IOS_OG_NET6, ref_line, ref_col, 0, &budget, a,
		     v, n, cap) < 0)
		return -1;
	if (*n == before)
		return ios_perr(m, ref_line, ref_col, "object-group '%s' is empty", name);
	return 0;
}

static int services(struct ios_model *m, const char *name, enum ios_og_kind kind, unsigned line,
		    unsigned col, unsigned depth, size_t *budget, struct aclf_arena *a,
		    const struct ios_og_item ***v, size_t *n, size_t *cap)
{
	struct ios_og *g = lookup(m, name, kind, line, col, depth, budget);
	int rc = 0;

	if (!g)
		return -1;
	g->busy++;
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		const struct ios_og_item *it = &g->v[i];
		if (it->group) {
			rc = services(m, it->group, kind, it->line, it->col, depth + 1, budget, a, v,
				      n, cap);
		} else if (aclf_arena_grow(a, (void **)v, *n, cap, sizeof(**v)) < 0) {
			rc = aclf_err_nomem(m->err);
		} else {
			(*v)[(*n)++] = it;
		}
	}
	g->busy--;
	return rc;
}

int ios_og_services(struct ios_model *m, const char *name, uint8_t fam, unsigned ref_line,
		    unsigned ref_col, struct aclf_arena *a, const struct ios_og_item ***v, size_t *n,
		    size_t *cap)
{
	size_t before = *n, budget = IOS_OG_BUDGET;

	if (services(m, name, fam == 4 ? IOS_OG_SVC : IOS_OG_SVC6, ref_line, ref_col, 0, &budget, a,
		     v, n, cap) < 0)
		return -1;
	if (*n == before)
		return ios_perr(m, ref_line, ref_col, "object-group '%s' is empty", name);
	return 0;
}
