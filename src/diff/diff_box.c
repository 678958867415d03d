/* Packet-space algebra for the semantic diff: interval sets over one
 * dimension, the six spaces (family x protocol category) with their domains,
 * and the box a rule covers in each space. */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define U128_MAX (~(aclf_u128)0)

static int ival_cmp(const void *a, const void *b)
{
	const struct dd_ival *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

/* sort and join overlapping or adjacent intervals in place */
static void iset_normalize(struct dd_iset *s)
{
	size_t w = 0;

	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof(*s->v), ival_cmp);
	for (size_t r = 1; r < s->n; r++) {
		struct dd_ival *cur = &s->v[w];
		const struct dd_ival *nx = &s->v[r];

		if (nx->lo <= cur->hi || (cur->hi != U128_MAX && nx->lo == cur->hi + 1)) {
			if (nx->hi > cur->hi)
				cur->hi = nx->hi;
		} else {
			s->v[++w] = *nx;
		}
	}
	s->n = w + 1;
}

static int iset_single(struct aclf_arena *ar, aclf_u128 lo, aclf_u128 hi, struct dd_iset *out)
{
	out->v = aclf_arena_alloc(ar, sizeof(*out->v));
	if (!out->v)
		return -1;
	out->v[0].lo = lo;
	out->v[0].hi = hi;
	out->n = 1;
	return 0;
}

int dd_iset_from_ports(struct aclf_arena *ar, const struct aclf_port_set *ps, struct dd_iset *out)
{
	out->v = NULL;
	out->n = 0;
	if (ps->n == 0)
		return 0;
	out->v = aclf_arena_alloc(ar, ps->n * sizeof(*out->v));
	if (!out->v)
		return -1;
	for (size_t i = 0; i < ps->n; i++) {
		uint16_t lo = ps->v[i].lo, hi = ps->v[i].hi;

		out->v[i].lo = lo < hi ? lo : hi;
		out->v[i].hi = lo < hi ? hi : lo;
	}
	out->n = ps->n;
	iset_normalize(out);
	return 0;
}

int dd_iset_from_prefixes(struct aclf_arena *ar, const struct aclf_prefix_set *ps, uint8_t family,
			  struct dd_iset *out)
{
	size_t n = 0;

	out->v = NULL;
	out->n = 0;
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].family == family)
			n++;
	if (n == 0)
		return 0;
	out->v = aclf_arena_alloc(ar, n * sizeof(*out->v));
	if (!out->v)
		return -1;
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->v[i].family != family)
			continue;
		out->v[out->n].lo = aclf_prefix_first(&ps->v[i]);
		out->v[out->n].hi = aclf_prefix_last(&ps->v[i]);
		out->n++;
	}
	iset_normalize(out);
	return 0;
}

/* every point of y is in x; both normalized */
bool dd_iset_covers(const struct dd_iset *x, const struct dd_iset *y)
{
	size_t i = 0;

	for (size_t j = 0; j < y->n; j++) {
		while (i < x->n && x->v[i].hi < y->v[j].lo)
			i++;
		if (i == x->n || x->v[i].lo > y->v[j].lo || x->v[i].hi < y->v[j].hi)
			return false;
	}
	return true;
}

bool dd_iset_contains(const struct dd_iset *x, aclf_u128 v)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->v[mid].hi < v)
			lo = mid + 1;
		else if (x->v[mid].lo > v)
			hi = mid;
		else
			return true;
	}
	return false;
}

int dd_space_init(struct aclf_arena *ar, uint8_t family, enum dd_cat cat, struct dd_space *sp)
{
	aclf_u128 amax = family == 4 ? (aclf_u128)0xffffffffu : U128_MAX;
	int rc = 0;

	memset(sp, 0, sizeof(*sp));
	sp->family = family;
	sp->cat = cat;
	switch (cat) {
	case DD_TCP:
		rc |= iset_single(ar, ACLF_PROTO_TCP, ACLF_PROTO_TCP, &sp->dom[DD_PROTO]);
		rc |= iset_single(ar, DD_STATE_NEW, DD_STATE_EST, &sp->dom[DD_STATE]);
		rc |= iset_single(ar, 0, 65535, &sp->dom[DD_DPORT]);
		rc |= iset_single(ar, 0, 65535, &sp->dom[DD_SPORT]);
		break;
	case DD_UDP:
		rc |= iset_single(ar, ACLF_PROTO_UDP, ACLF_PROTO_UDP, &sp->dom[DD_PROTO]);
		rc |= iset_single(ar, DD_STATE_NEW, DD_STATE_NEW, &sp->dom[DD_STATE]);
		rc |= iset_single(ar, 0, 65535, &sp->dom[DD_DPORT]);
		rc |= iset_single(ar, 0, 65535, &sp->dom[DD_SPORT]);
		break;
	case DD_OTHER:
	case DD_NCAT:
		sp->dom[DD_PROTO].v = aclf_arena_alloc(ar, 3 * sizeof(struct dd_ival));
		if (!sp->dom[DD_PROTO].v)
			return -1;
		sp->dom[DD_PROTO].v[0] = (struct dd_ival){ 0, ACLF_PROTO_TCP - 1 };
		sp->dom[DD_PROTO].v[1] = (struct dd_ival){ ACLF_PROTO_TCP + 1, ACLF_PROTO_UDP - 1 };
		sp->dom[DD_PROTO].v[2] = (struct dd_ival){ ACLF_PROTO_UDP + 1, 255 };
		sp->dom[DD_PROTO].n = 3;
		rc |= iset_single(ar, DD_STATE_NEW, DD_STATE_NEW, &sp->dom[DD_STATE]);
		rc |= iset_single(ar, 0, 0, &sp->dom[DD_DPORT]);
		rc |= iset_single(ar, 0, 0, &sp->dom[DD_SPORT]);
		break;
	}
	for (unsigned i = 0; i < 256; i++)
		sp->one_proto[i].lo = sp->one_proto[i].hi = i;
	sp->est.lo = sp->est.hi = DD_STATE_EST;
	rc |= iset_single(ar, 0, amax, &sp->dom[DD_DST]);
	rc |= iset_single(ar, 0, amax, &sp->dom[DD_SRC]);
	return rc ? -1 : 0;
}

int dd_rule_prep(struct aclf_arena *ar, const struct aclf_rule *r, size_t idx,
		 struct dd_rule *out, struct aclf_err *err)
{
	memset(out, 0, sizeof(*out));
	if (r->protocol < 0 || r->protocol > 255) {
		if (r->id)
			return aclf_err_set(err, ACLF_E_INPUT, "rule '%s' has protocol %d out of range",
					    r->id, r->protocol);
		return aclf_err_set(err, ACLF_E_INPUT, "rule '#%zu' has protocol %d out of range",
				    idx + 1, r->protocol);
	}
	if (dd_iset_from_prefixes(ar, &r->src, 4, &out->src[0]) < 0 ||
	    dd_iset_from_prefixes(ar, &r->src, 6, &out->src[1]) < 0 ||
	    dd_iset_from_prefixes(ar, &r->dst, 4, &out->dst[0]) < 0 ||
	    dd_iset_from_prefixes(ar, &r->dst, 6, &out->dst[1]) < 0 ||
	    dd_iset_from_ports(ar, &r->src_ports, &out->sport) < 0 ||
	    dd_iset_from_ports(ar, &r->dst_ports, &out->dport) < 0)
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing filters");
	out->has_ports = r->src_ports.n > 0 || r->dst_ports.n > 0;
	return 0;
}

int dd_rule_box(const struct dd_space *sp, const struct aclf_rule *r,
		const struct dd_rule *pr, uint32_t idx, struct dd_box *out)
{
	int fi = sp->family == 4 ? 0 : 1;

	memset(out, 0, sizeof(*out));
	out->rule = idx;
	out->permit = r->action == ACLF_PERMIT;
	if (pr->src[fi].n == 0 || pr->dst[fi].n == 0)
		return 0;
	out->d[DD_SRC] = pr->src[fi];
	out->d[DD_DST] = pr->dst[fi];
	if (r->protocol == ACLF_PROTO_ANY) {
		out->d[DD_PROTO] = sp->dom[DD_PROTO];
	} else {
		if (!dd_iset_contains(&sp->dom[DD_PROTO], (aclf_u128)r->protocol))
			return 0;
		out->d[DD_PROTO].v = (struct dd_ival *)&sp->one_proto[r->protocol];
		out->d[DD_PROTO].n = 1;
	}
	if (r->established) {
		if (sp->cat != DD_TCP)
			return 0;
		out->d[DD_STATE].v = (struct dd_ival *)&sp->est;
		out->d[DD_STATE].n = 1;
	} else {
		out->d[DD_STATE] = sp->dom[DD_STATE];
	}
	if (pr->has_ports && sp->cat == DD_OTHER)
		return 0;
	out->d[DD_DPORT] = pr->dport.n ? pr->dport : sp->dom[DD_DPORT];
	out->d[DD_SPORT] = pr->sport.n ? pr->sport : sp->dom[DD_SPORT];
	for (int i = 0; i < DD_NDIM; i++)
		if (dd_iset_covers(&out->d[i], &sp->dom[i]))
			out->full |= 1u << i;
	return 1;
}

static uint64_t iset_hash(const struct dd_iset *s)
{
	uint64_t h = 0xcbf29ce484222325ull ^ s->n;

	for (size_t i = 0; i < s->n; i++) {
		h = (h ^ (uint64_t)s->v[i].lo ^ (uint64_t)(s->v[i].lo >> 64)) * 0x100000001b3ull;
		h = (h ^ (uint64_t)s->v[i].hi ^ (uint64_t)(s->v[i].hi >> 64)) * 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

struct intern {
	struct dd_iset **slot; /* canonical sets */
	uint64_t *hash;
	size_t cap;
};

static void intern_one(struct intern *t, struct dd_iset *s)
{
	uint64_t h;
	size_t k;

	if (s->n == 0)
		return;
	h = iset_hash(s);
	for (k = h & (t->cap - 1); t->slot[k]; k = (k + 1) & (t->cap - 1)) {
		const struct dd_iset *c = t->slot[k];

		if (t->hash[k] == h && c->n == s->n &&
		    memcmp(c->v, s->v, s->n * sizeof(*s->v)) == 0) {
			s->v = c->v;
			return;
		}
	}
	t->slot[k] = s;
	t->hash[k] = h;
}

static void intern_rules(struct intern *t, struct dd_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int f = 0; f < 2; f++) {
			intern_one(t, &r[i].src[f]);
			intern_one(t, &r[i].dst[f]);
		}
		intern_one(t, &r[i].sport);
		intern_one(t, &r[i].dport);
	}
}

int dd_intern_sets(struct dd_rule *a, size_t na, struct dd_rule *b, size_t nb)
{
	struct intern t;

	for (t.cap = 64; t.cap < 12 * (na + nb + 1); t.cap *= 2)
		;
	t.slot = calloc(t.cap, sizeof(*t.slot));
	t.hash = malloc(t.cap * sizeof(*t.hash));
	if (!t.slot || !t.hash) {
		free(t.slot);
		free(t.hash);
		return -1;
	}
	intern_rules(&t, a, na);
	intern_rules(&t, b, nb);
	free(t.slot);
	free(t.hash);
	return 0;
}

static aclf_u128 pick_port(const struct dd_iset *s, aclf_u128 prefer)
{
	if (prefer && dd_iset_contains(s, prefer))
		return prefer;
	if (s->v[0].lo == 0 && s->v[0].hi >= 1)
		return 1;
	return s->v[0].lo;
}

aclf_u128 dd_pick(const struct dd_space *sp, enum dd_dim dim, const struct dd_iset *s)
{
	const struct dd_ival *f = &s->v[0];

	switch (dim) {
	case DD_PROTO: {
		aclf_u128 icmp = sp->family == 4 ? ACLF_PROTO_ICMP : ACLF_PROTO_ICMP6;
		return dd_iset_contains(s, icmp) ? icmp : f->lo;
	}
	case DD_STATE:
		return f->lo;
	case DD_DPORT:
		return pick_port(s, 0);
	case DD_SPORT:
		/* a client's ephemeral port reads naturally */
		return pick_port(s, 49152);
	case DD_DST:
	case DD_SRC:
		/* skip a network's first address when the range has room */
		return f->hi - f->lo >= 2 ? f->lo + 1 : f->lo;
	case DD_NDIM:
		break;
	}
	return f->lo;
}
