/* Comparing filters and device policies by meaning.
 *
 * The packet model (shared by aclf_filter_decide, `aclforge explain` and the
 * diff):
 *   a packet is (family, src, dst, protocol 0..255, src port, dst port,
 *   established). Only TCP and UDP packets have ports; any other packet has
 *   none (its ports are taken as 0 and never looked at). Only TCP packets
 *   have the established flag (ACK or RST set); for any other it is false.
 * A rule matches a packet when all of these hold:
 *   - the packet's family has a prefix on both sides of the rule and src and
 *     dst lie in the rule's sets (a rule whose src is IPv4 only and dst IPv6
 *     only matches nothing);
 *   - the rule's protocol is any (0) or equals the packet's;
 *   - a rule with a port constraint (src_ports or dst_ports not empty)
 *     matches TCP and UDP packets only, whatever its protocol says (so
 *     "any, dst port 53" means tcp/53 and udp/53, and "icmp, port 5"
 *     matches nothing), and the ports must lie in the sets;
 *   - an `established` rule matches TCP packets with the flag only ("any
 *     established" means tcp established; "udp established" matches
 *     nothing); a rule without it matches both states.
 * The first matching rule decides; none matching: the default action.
 * Protocol numbers outside 0..255 match no rule in aclf_filter_decide and
 * are an input error for the diff.
 *
 * A difference is reported once per (family, deciding rule in A, deciding
 * rule in B) whose packets are decided differently, with one example packet
 * of that region; so the report does not depend on how either side splits
 * or orders its rules. Every example is checked with aclf_filter_decide
 * before it is added. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "diff_int.h"

void aclf_diff_init(struct aclf_diff *d)
{
	memset(d, 0, sizeof(*d));
}

void aclf_diff_release(struct aclf_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nstrings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->items);
	free(d->lb);
	memset(d, 0, sizeof(*d));
}

const char *dd_keep(struct aclf_diff *d, const char *s)
{
	char *c;

	if (d->nstrings == d->strings_cap) {
		size_t nc = d->strings_cap ? d->strings_cap * 2 : 16;
		char **nv = realloc(d->strings, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		d->strings = nv;
		d->strings_cap = nc;
	}
	c = strdup(s);
	if (!c)
		return NULL;
	d->strings[d->nstrings++] = c;
	return c;
}

/* ---- deciding one packet ---- */

static bool addr_in(const struct aclf_prefix_set *s, const struct aclf_prefix *a)
{
	aclf_u128 v = aclf_prefix_first(a);

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].family == a->family && aclf_prefix_first(&s->v[i]) <= v &&
		    v <= aclf_prefix_last(&s->v[i]))
			return true;
	return false;
}

static bool port_in(const struct aclf_port_set *s, uint16_t port)
{
	if (s->n == 0)
		return true;
	for (size_t i = 0; i < s->n; i++) {
		uint16_t lo = s->v[i].lo, hi = s->v[i].hi;

		if (lo > hi) {
			uint16_t t = lo;
			lo = hi;
			hi = t;
		}
		if (lo <= port && port <= hi)
			return true;
	}
	return false;
}

long aclf_filter_decide(const struct aclf_filter *f, const struct aclf_prefix *src,
			const struct aclf_prefix *dst, int protocol, uint16_t src_port,
			uint16_t dst_port, bool established)
{
	bool has_ports = protocol == ACLF_PROTO_TCP || protocol == ACLF_PROTO_UDP;
	bool est = established && protocol == ACLF_PROTO_TCP;

	if (!f || !src || !dst || src->family != dst->family || protocol < 0 || protocol > 255)
		return -1;
	for (size_t i = 0; i < f->nrules; i++) {
		const struct aclf_rule *r = &f->rules[i];

		if (r->protocol < 0 || r->protocol > 255)
			continue;
		if (r->protocol != ACLF_PROTO_ANY && r->protocol != protocol)
			continue;
		if (r->established && !est)
			continue;
		if (r->src_ports.n || r->dst_ports.n) {
			if (!has_ports || !port_in(&r->src_ports, src_port) ||
			    !port_in(&r->dst_ports, dst_port))
				continue;
		}
		if (!addr_in(&r->src, src) || !addr_in(&r->dst, dst))
			continue;
		return (long)i;
	}
	return -1;
}

/* ---- comparing two filters ---- */

struct fcmp {
	struct aclf_diff *d;
	const struct aclf_filter *fa, *fb;
	const char *name_a, *name_b;
	const char **ida, **idb; /* kept rule ids, filled on first use */
	size_t start, max;
	struct dd_pairs *pairs;  /* pairs met (NULL: not asked) */
	uint64_t *seen;          /* open addressing set of pair keys, 0 = empty */
	size_t nseen, seencap;
	struct aclf_err *err;
};

/* 1 when already there, 0 when added, -1 out of memory */
static int seen_add(struct fcmp *c, uint64_t key)
{
	size_t k;

	key++; /* 0 marks an empty slot */
	if ((c->nseen + 1) * 2 > c->seencap) {
		size_t ncap = c->seencap ? c->seencap * 2 : 64;
		uint64_t *t = calloc(ncap, sizeof(*t));

		if (!t)
			return -1;
		for (size_t i = 0; i < c->seencap; i++) {
			if (!c->seen[i])
				continue;
			for (k = (c->seen[i] * 0x9e3779b97f4a7c15ull) >> 32 & (ncap - 1); t[k];
			     k = (k + 1) & (ncap - 1))
				;
			t[k] = c->seen[i];
		}
		free(c->seen);
		c->seen = t;
		c->seencap = ncap;
	}
	for (k = (key * 0x9e3779b97f4a7c15ull) >> 32 & (c->seencap - 1); c->seen[k];
	     k = (k + 1) & (c->seencap - 1))
		if (c->seen[k] == key)
			return 1;
	c->seen[k] = key;
	c->nseen++;
	return 0;
}

static const char *rule_name(struct fcmp *c, const struct aclf_filter *f, const char **cache,
			     long idx)
{
	char tmp[32];
	const char *id;

	if (idx < 0)
		return NULL;
	if (cache[idx])
		return cache[idx];
	id = f->rules[idx].id;
	if (!id) {
		snprintf(tmp, sizeof(tmp), "#%ld", idx + 1);
		id = tmp;
	}
	cache[idx] = dd_keep(c->d, id);
	return cache[idx];
}

int dd_push_item(struct aclf_diff *d, const struct aclf_diff_item *it)
{
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 16;
		struct aclf_diff_item *nv = realloc(d->items, nc * sizeof(*nv));

		if (!nv)
			return -1;
		d->items = nv;
		d->cap = nc;
	}
	d->items[d->n++] = *it;
	return 0;
}

void dd_pairs_release(struct dd_pairs *p)
{
	if (!p)
		return;
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int push_pair(struct dd_pairs *p, long ra, long rb, bool permit_a, size_t item)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		struct dd_pair *nv = realloc(p->v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		p->v = nv;
		p->cap = nc;
	}
	p->v[p->n++] = (struct dd_pair){ .ra = ra, .rb = rb, .permit_a = permit_a, .item = item };
	return 0;
}

static int on_region(void *ctx, const struct dd_space *sp, const struct dd_iset *reg, long ra,
		     long rb, bool permit_a, bool permit_b)
{
	struct fcmp *c = ctx;
	struct aclf_diff_item it;
	aclf_u128 v[DD_NDIM];
	uint64_t key = ((uint64_t)(sp->family == 6) << 63) | ((uint64_t)(ra + 1) << 32) |
		       (uint64_t)(rb + 1);
	long da, db;
	int rc = seen_add(c, key);

	if (rc < 0)
		return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory comparing filters");
	if (rc > 0)
		return 0;
	if (permit_a == permit_b) /* decided alike: only the pair is wanted */
		return push_pair(c->pairs, ra, rb, permit_a, DD_NO_ITEM) < 0
			       ? aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory comparing filters")
			       : 0;
	if (c->max && c->d->n - c->start >= c->max) {
		if (c->pairs) /* the pair still counts; the walk goes on for the others */
			return push_pair(c->pairs, ra, rb, permit_a, DD_NO_ITEM) < 0
				       ? aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory comparing filters")
				       : 0;
		return 1;
	}
	for (int i = 0; i < DD_NDIM; i++)
		v[i] = dd_pick(sp, (enum dd_dim)i, &reg[i]);
	memset(&it, 0, sizeof(it));
	aclf_prefix_from_u128(sp->family, v[DD_SRC], sp->family == 4 ? 32 : 128, &it.src);
	aclf_prefix_from_u128(sp->family, v[DD_DST], sp->family == 4 ? 32 : 128, &it.dst);
	it.protocol = (int)v[DD_PROTO];
	it.src_port = (uint16_t)v[DD_SPORT];
	it.dst_port = (uint16_t)v[DD_DPORT];
	it.established = v[DD_STATE] == DD_STATE_EST;
	/* return traffic goes back to a client's ephemeral port */
	if (it.established && reg[DD_DPORT].n && reg[DD_DPORT].v[0].hi > reg[DD_DPORT].v[0].lo &&
	    dd_iset_contains(&reg[DD_DPORT], 49152))
		it.dst_port = 49152;
	it.permitted_by_a = permit_a;
	da = aclf_filter_decide(c->fa, &it.src, &it.dst, it.protocol, it.src_port, it.dst_port,
				it.established);
	db = aclf_filter_decide(c->fb, &it.src, &it.dst, it.protocol, it.src_port, it.dst_port,
				it.established);
	if (da != ra || db != rb)
		return aclf_err_set(c->err, ACLF_E_BUG,
				    "diff: example packet decided by rules %ld/%ld, expected %ld/%ld",
				    da, db, ra, rb);
	it.rule_a = rule_name(c, c->fa, c->ida, ra);
	it.rule_b = rule_name(c, c->fb, c->idb, rb);
	it.filter_a = c->name_a;
	it.filter_b = c->name_b;
	if ((ra >= 0 && !it.rule_a) || (rb >= 0 && !it.rule_b) || dd_push_item(c->d, &it) < 0 ||
	    (c->pairs && push_pair(c->pairs, ra, rb, permit_a, c->d->n - 1) < 0))
		return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory comparing filters");
	return 0;
}

static int prep_rules(struct aclf_arena *ar, const struct aclf_filter *f, struct dd_rule **out,
		      struct aclf_err *err)
{
	*out = aclf_arena_alloc(ar, (f->nrules + 1) * sizeof(**out));
	if (!*out)
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing filters");
	for (size_t i = 0; i < f->nrules; i++)
		if (dd_rule_prep(ar, &f->rules[i], i, &(*out)[i], err) < 0)
			return -1;
	return 0;
}

static int make_side(struct aclf_arena *ar, const struct dd_space *sp, const struct aclf_filter *f,
		     const struct dd_rule *pr, struct dd_side *side)
{
	struct dd_box *bx = aclf_arena_alloc(ar, (f->nrules + 1) * sizeof(*bx));
	size_t n = 0;

	if (!bx)
		return -1;
	for (size_t i = 0; i < f->nrules; i++)
		n += (size_t)dd_rule_box(sp, &f->rules[i], &pr[i], (uint32_t)i, &bx[n]);
	side->box = bx;
	side->n = n;
	side->default_permit = f->default_action == ACLF_PERMIT;
	return 0;
}

int dd_compare_filters(const struct aclf_filter *a, const struct aclf_filter *b,
		       const char *name_a, const char *name_b, struct aclf_diff *d,
		       size_t max_items, struct dd_pairs *pairs, bool all, struct aclf_err *err)
{
	static const uint8_t families[2] = { 4, 6 };
	struct aclf_arena ar;
	struct fcmp c;
	struct dd_rule *pa = NULL, *pb = NULL;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.fa = a;
	c.fb = b;
	c.start = d->n;
	c.max = max_items;
	c.pairs = pairs;
	c.err = err;
	aclf_arena_init(&ar);
	all = all && pairs;
	if (a->nrules >= INT32_MAX || b->nrules >= INT32_MAX) {
		aclf_err_set(err, ACLF_E_INPUT, "filter has too many rules to compare");
		goto out;
	}
	c.ida = calloc(a->nrules + 1, sizeof(*c.ida));
	c.idb = calloc(b->nrules + 1, sizeof(*c.idb));
	if (!c.ida || !c.idb || (name_a && !(c.name_a = dd_keep(d, name_a))) ||
	    (name_b && !(c.name_b = dd_keep(d, name_b)))) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing filters");
		goto out;
	}
	if (prep_rules(&ar, a, &pa, err) < 0 || prep_rules(&ar, b, &pb, err) < 0)
		goto out;
	if (dd_intern_sets(pa, a->nrules, pb, b->nrules) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing filters");
		goto out;
	}
	rc = 0;
	for (int fi = 0; fi < 2 && rc == 0; fi++) {
		for (int cat = DD_TCP; cat < DD_NCAT && rc == 0; cat++) {
			struct dd_space sp;
			struct dd_side sa, sb;

			if (dd_space_init(&ar, families[fi], (enum dd_cat)cat, &sp) < 0 ||
			    make_side(&ar, &sp, a, pa, &sa) < 0 || make_side(&ar, &sp, b, pb, &sb) < 0) {
				rc = aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing filters");
				break;
			}
			rc = dd_compare_space(&sp, &sa, &sb, all, on_region, &c, err);
		}
	}
	if (rc > 0)
		rc = 0; /* stopped at max_items */
out:
	if (rc < 0)
		d->n = c.start;
	free(c.ida);
	free(c.idb);
	free(c.seen);
	aclf_arena_release(&ar);
	return rc;
}

int aclf_diff_filters(const struct aclf_filter *a, const struct aclf_filter *b,
		      struct aclf_diff *d, size_t max_items, struct aclf_err *err)
{
	if (!a || !b || !d)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no filter to compare");
	return dd_compare_filters(a, b, a->name, b->name, d, max_items, NULL, false, err);
}

/* ---- comparing device policies ---- */

static bool same_str(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static bool same_binding(const struct aclf_binding *x, const struct aclf_binding *y)
{
	return x->kind != ACLF_BIND_NONE && x->kind == y->kind && x->direction == y->direction &&
	       same_str(x->name, y->name);
}

/* Pair filters: by binding first; then by name, unless both are bound
 * (bound to different places they guard different traffic). */
void dd_pair_filters(const struct aclf_devpol *a, const struct aclf_devpol *b, long *match_a,
		     bool *used_b)
{
	for (size_t i = 0; i < a->nfilters; i++) {
		match_a[i] = -1;
		for (size_t j = 0; j < b->nfilters && match_a[i] < 0; j++) {
			if (!used_b[j] && same_binding(&a->filters[i].binding, &b->filters[j].binding)) {
				match_a[i] = (long)j;
				used_b[j] = true;
			}
		}
	}
	for (size_t i = 0; i < a->nfilters; i++) {
		const struct aclf_filter *fa = &a->filters[i];

		for (size_t j = 0; j < b->nfilters && match_a[i] < 0; j++) {
			const struct aclf_filter *fb = &b->filters[j];

			if (used_b[j] || !fa->name || !fb->name || strcmp(fa->name, fb->name) != 0)
				continue;
			if (fa->binding.kind != ACLF_BIND_NONE && fb->binding.kind != ACLF_BIND_NONE)
				continue;
			match_a[i] = (long)j;
			used_b[j] = true;
		}
	}
}

static size_t room(const struct aclf_diff *d, size_t start, size_t max_items)
{
	if (!max_items)
		return 0;
	return d->n - start >= max_items ? (size_t)-1 : max_items - (d->n - start);
}

int aclf_diff_devices(const struct aclf_devpol *a, const struct aclf_devpol *b,
		      struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		      struct aclf_err *err)
{
	if (a && b && d && (aclf_devpol_opaque_count(a) || aclf_devpol_opaque_count(b)))
		return dd_diff_opaque(a, b, d, lb_report, max_items, err);
	return dd_diff_exact(a, b, d, lb_report, max_items, err);
}

int dd_diff_exact(const struct aclf_devpol *a, const struct aclf_devpol *b,
		  struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		  struct aclf_err *err)
{
	/* No filter at an attachment point lets everything through. */
	const struct aclf_filter none = { .default_action = ACLF_PERMIT };
	long *match_a = NULL;
	bool *used_b = NULL;
	size_t start, left;
	int rc = -1;

	if (!a || !b || !d)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no device policy to compare");
	start = d->n;
	match_a = calloc(a->nfilters + 1, sizeof(*match_a));
	used_b = calloc(b->nfilters + 1, sizeof(*used_b));
	if (!match_a || !used_b) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing device policies");
		goto out;
	}
	dd_pair_filters(a, b, match_a, used_b);
	for (size_t i = 0; i < a->nfilters; i++) {
		const struct aclf_filter *fa = &a->filters[i];
		const struct aclf_filter *fb = match_a[i] >= 0 ? &b->filters[match_a[i]] : &none;

		if ((left = room(d, start, max_items)) == (size_t)-1)
			break;
		if (dd_compare_filters(fa, fb, fa->name, match_a[i] >= 0 ? fb->name : NULL, d, left,
				       NULL, false, err) < 0)
			goto out;
	}
	for (size_t j = 0; j < b->nfilters; j++) {
		if (used_b[j])
			continue;
		if ((left = room(d, start, max_items)) == (size_t)-1)
			break;
		if (dd_compare_filters(&none, &b->filters[j], NULL, b->filters[j].name, d, left, NULL,
				       false, err) < 0)
			goto out;
	}
	if (dd_diff_lb(a, b, d, lb_report, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		d->n = start;
	free(match_a);
	free(used_b);
	return rc;
}

int aclf_diff_lb(const struct aclf_devpol *a, const struct aclf_devpol *b,
		 struct aclf_buf *report, size_t *count, struct aclf_err *err)
{
	size_t n = 0;

	if (!a || !b)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no device policy to compare");
	if (dd_diff_lb(a, b, NULL, report, &n, err) < 0)
		return -1;
	if (count)
		*count = n;
	return 0;
}

int aclf_diff_lb_items(const struct aclf_devpol *a, const struct aclf_devpol *b,
		       struct aclf_diff *d, struct aclf_err *err)
{
	if (!a || !b || !d)
		return aclf_err_set(err, ACLF_E_BUG, "diff: no device policy to compare");
	return dd_diff_lb(a, b, d, NULL, NULL, err);
}
