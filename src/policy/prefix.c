#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/prefix.h"

static unsigned bits_of(uint8_t family)
{
	return family == 4 ? 32u : 128u;
}

static aclf_u128 to_u128(const struct aclf_prefix *p)
{
	aclf_u128 v = 0;
	unsigned n = p->family == 4 ? 4u : 16u;

	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | p->addr[i];
	return v;
}

static aclf_u128 host_mask(uint8_t family, unsigned len)
{
	unsigned bits = bits_of(family);
	unsigned host = bits - len;

	if (host == 0)
		return 0;
	if (host >= 128)
		return ~(aclf_u128)0;
	return (((aclf_u128)1) << host) - 1;
}

aclf_u128 aclf_prefix_first(const struct aclf_prefix *p)
{
	return to_u128(p) & ~host_mask(p->family, p->len);
}

aclf_u128 aclf_prefix_last(const struct aclf_prefix *p)
{
	return to_u128(p) | host_mask(p->family, p->len);
}

void aclf_prefix_from_u128(uint8_t family, aclf_u128 addr, uint8_t len, struct aclf_prefix *p)
{
	unsigned n = family == 4 ? 4u : 16u;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->len = len;
	addr &= ~host_mask(family, len);
	for (unsigned i = 0; i < n; i++) {
		p->addr[n - 1 - i] = (uint8_t)(addr & 0xff);
		addr >>= 8;
	}
}

static void clear_host_bits(struct aclf_prefix *p)
{
	aclf_prefix_from_u128(p->family, to_u128(p), p->len, p);
}

int aclf_prefix_parse(const char *s, struct aclf_prefix *p, bool allow_host_bits)
{
	char tmp[64];
	const char *slash;
	size_t alen;
	long len;
	struct aclf_prefix q;

	if (!s)
		return -1;
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	memset(&q, 0, sizeof(q));
	if (strchr(tmp, ':')) {
		if (inet_pton(AF_INET6, tmp, q.addr) != 1)
			return -1;
		q.family = 6;
	} else {
		if (inet_pton(AF_INET, tmp, q.addr) != 1)
			return -1;
		q.family = 4;
	}
	if (slash) {
		char *end;
		const char *d = slash + 1;
		if (*d < '0' || *d > '9')
			return -1;
		len = strtol(d, &end, 10);
		if (*end != '\0' || len < 0 || len > (long)bits_of(q.family) || end - d > 3)
			return -1;
	} else {
		len = (long)bits_of(q.family);
	}
	q.len = (uint8_t)len;
	if (to_u128(&q) & host_mask(q.family, q.len)) {
		if (!allow_host_bits)
			return -1;
		clear_host_bits(&q);
	}
	*p = q;
	return 0;
}

int aclf_prefix_from_mask(const char *addr, const char *mask, bool wildcard,
			  struct aclf_prefix *p)
{
	struct in_addr a, m;
	uint32_t mv;
	unsigned len = 0;
	struct aclf_prefix q;

	if (inet_pton(AF_INET, addr, &a) != 1 || inet_pton(AF_INET, mask, &m) != 1)
		return -1;
	mv = ntohl(m.s_addr);
	if (wildcard)
		mv = ~mv;
	/* contiguous: ones then zeros */
	while (len < 32 && (mv & (0x80000000u >> len)))
		len++;
	if (len < 32 && (mv << len) != 0)
		return -1;
	memset(&q, 0, sizeof(q));
	q.family = 4;
	q.len = (uint8_t)len;
	memcpy(q.addr, &a.s_addr, 4);
	clear_host_bits(&q);
	*p = q;
	return 0;
}

void aclf_prefix_format_addr(const struct aclf_prefix *p, char *out, size_t outlen)
{
	if (!inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
}

void aclf_prefix_format(const struct aclf_prefix *p, char *out, size_t outlen)
{
	char a[ACLF_PREFIX_STRLEN];

	aclf_prefix_format_addr(p, a, sizeof(a));
	snprintf(out, outlen, "%s/%u", a, p->len);
}

void aclf_prefix_format_mask(const struct aclf_prefix *p, bool wildcard, char *out, size_t outlen)
{
	uint32_t m = p->len ? 0xffffffffu << (32 - p->len) : 0;

	if (wildcard)
		m = ~m;
	snprintf(out, outlen, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
}

int aclf_prefix_cmp(const struct aclf_prefix *a, const struct aclf_prefix *b)
{
	aclf_u128 x, y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	x = to_u128(a);
	y = to_u128(b);
	if (x != y)
		return x < y ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool aclf_prefix_contains(const struct aclf_prefix *outer, const struct aclf_prefix *inner)
{
	return outer->family == inner->family && outer->len <= inner->len &&
	       aclf_prefix_first(outer) <= aclf_prefix_first(inner) &&
	       aclf_prefix_last(inner) <= aclf_prefix_last(outer);
}

bool aclf_prefix_is_host(const struct aclf_prefix *p)
{
	return p->len == bits_of(p->family);
}

bool aclf_prefix_v4mapped(const struct aclf_prefix *p, struct aclf_prefix *v4)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (p->family != 6 || p->len < 96 || memcmp(p->addr, mapped, sizeof(mapped)) != 0)
		return false;
	if (v4) {
		memset(v4, 0, sizeof(*v4));
		v4->family = 4;
		v4->len = (uint8_t)(p->len - 96);
		memcpy(v4->addr, p->addr + 12, 4);
	}
	return true;
}

/* ---- set algebra over address intervals ---- */

struct ival {
	uint8_t family;
	aclf_u128 lo, hi;
};

struct ivec {
	struct ival *v;
	size_t n, cap;
};

static int ivec_push(struct ivec *iv, uint8_t family, aclf_u128 lo, aclf_u128 hi)
{
	if (iv->n == iv->cap) {
		size_t nc = iv->cap ? iv->cap * 2 : 16;
		struct ival *nv = realloc(iv->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		iv->v = nv;
		iv->cap = nc;
	}
	iv->v[iv->n].family = family;
	iv->v[iv->n].lo = lo;
	iv->v[iv->n].hi = hi;
	iv->n++;
	return 0;
}

static int ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

static int to_ivals(const struct aclf_prefix *v, size_t n, struct ivec *out)
{
	for (size_t i = 0; i < n; i++)
		if (ivec_push(out, v[i].family, aclf_prefix_first(&v[i]), aclf_prefix_last(&v[i])) < 0)
			return -1;
	return 0;
}

/* sort and join overlapping/adjacent intervals in place */
static void normalize(struct ivec *iv)
{
	size_t w = 0;

	if (iv->n == 0)
		return;
	qsort(iv->v, iv->n, sizeof(*iv->v), ival_cmp);
	for (size_t r = 1; r < iv->n; r++) {
		struct ival *cur = &iv->v[w], *nx = &iv->v[r];
		aclf_u128 max = ~(aclf_u128)0 >> (nx->family == 4 ? 96 : 0);
		if (nx->family == cur->family && (nx->lo <= cur->hi || (cur->hi != max && nx->lo == cur->hi + 1))) {
			if (nx->hi > cur->hi)
				cur->hi = nx->hi;
		} else {
			iv->v[++w] = *nx;
		}
	}
	iv->n = w + 1;
}

/* number of trailing zero bits of x, capped at bits */
static unsigned tz(aclf_u128 x, unsigned bits)
{
	unsigned n = 0;

	if (x == 0)
		return bits;
	while (n < bits && !(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
}

static int from_ivals(struct aclf_arena *a, const struct ivec *iv, struct aclf_prefix_set *out)
{
	size_t cnt = 0, cap = 0;
	struct aclf_prefix *v = NULL;

	for (size_t i = 0; i < iv->n; i++) {
		uint8_t fam = iv->v[i].family;
		unsigned bits = bits_of(fam);
		aclf_u128 lo = iv->v[i].lo, hi = iv->v[i].hi;
		for (;;) {
			unsigned host = tz(lo, bits);
			/* shrink block until it fits in [lo, hi] */
			while (host > 0) {
				aclf_u128 last = host >= 128 ? ~(aclf_u128)0 : lo + ((((aclf_u128)1) << host) - 1);
				if (last >= lo && last <= hi)
					break;
				host--;
			}
			if (aclf_arena_grow(a, (void **)&v, cnt, &cap, sizeof(*v)) < 0)
				return -1;
			aclf_prefix_from_u128(fam, lo, (uint8_t)(bits - host), &v[cnt++]);
			{
				aclf_u128 last = host >= 128 ? ~(aclf_u128)0 : lo + ((((aclf_u128)1) << host) - 1);
				if (last >= hi)
					break;
				lo = last + 1;
			}
		}
	}
	out->v = v;
	out->n = cnt;
	return 0;
}

int aclf_pset_merge(struct aclf_arena *a, const struct aclf_prefix *v, size_t n,
		    struct aclf_prefix_set *out)
{
	struct ivec iv = { 0 };
	int rc;

	if (to_ivals(v, n, &iv) < 0) {
		free(iv.v);
		return -1;
	}
	normalize(&iv);
	rc = from_ivals(a, &iv, out);
	free(iv.v);
	return rc;
}

int aclf_pset_copy(struct aclf_arena *a, const struct aclf_prefix_set *x,
		   struct aclf_prefix_set *out)
{
	struct aclf_prefix *v = NULL;

	if (x->n) {
		v = aclf_arena_alloc(a, x->n * sizeof(*v));
		if (!v)
			return -1;
		memcpy(v, x->v, x->n * sizeof(*v));
	}
	out->v = v;
	out->n = x->n;
	return 0;
}

static int ival_before(const struct ival *a, const struct ival *b)
{
	return a->family < b->family || (a->family == b->family && a->lo < b->lo);
}

static int set_ivals(const struct aclf_prefix_set *x, struct ivec *out);

int aclf_pset_union(struct aclf_arena *a, const struct aclf_prefix_set *x,
		    const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	struct ivec ix = { 0 }, iy = { 0 }, r = { 0 };
	size_t i = 0, j = 0;
	int rc = -1;

	if (set_ivals(x, &ix) < 0 || set_ivals(y, &iy) < 0)
		goto out;
	/* merge two sorted lists, joining overlapping and adjacent intervals */
	while (i < ix.n || j < iy.n) {
		const struct ival *nx = (j >= iy.n || (i < ix.n && ival_before(&ix.v[i], &iy.v[j]))) ? &ix.v[i++]
												       : &iy.v[j++];
		if (r.n) {
			struct ival *cur = &r.v[r.n - 1];
			aclf_u128 max = ~(aclf_u128)0 >> (nx->family == 4 ? 96 : 0);
			if (nx->family == cur->family &&
			    (nx->lo <= cur->hi || (cur->hi != max && nx->lo == cur->hi + 1))) {
				if (nx->hi > cur->hi)
					cur->hi = nx->hi;
				continue;
			}
		}
		if (ivec_push(&r, nx->family, nx->lo, nx->hi) < 0)
			goto out;
	}
	rc = from_ivals(a, &r, out);
out:
	free(ix.v);
	free(iy.v);
	free(r.v);
	return rc;
}

/* x and y normalized (sorted by family then address, disjoint); op 0 =
 * intersect, 1 = subtract. One linear walk over both. */
static int combine(const struct ivec *x, const struct ivec *y, int op, struct ivec *out)
{
	size_t j = 0;

	for (size_t i = 0; i < x->n; i++) {
		struct ival cur = x->v[i];
		bool alive = true;
		/* skip y intervals wholly before cur */
		while (j < y->n && (y->v[j].family < cur.family ||
				    (y->v[j].family == cur.family && y->v[j].hi < cur.lo)))
			j++;
		for (size_t k = j; k < y->n && alive; k++) {
			const struct ival *b = &y->v[k];
			if (b->family != cur.family || b->lo > cur.hi)
				break;
			if (op == 0) {
				aclf_u128 lo = b->lo > cur.lo ? b->lo : cur.lo;
				aclf_u128 hi = b->hi < cur.hi ? b->hi : cur.hi;
				if (ivec_push(out, cur.family, lo, hi) < 0)
					return -1;
			} else {
				if (b->lo > cur.lo && ivec_push(out, cur.family, cur.lo, b->lo - 1) < 0)
					return -1;
				if (b->hi >= cur.hi)
					alive = false;
				else
					cur.lo = b->hi + 1;
			}
		}
		if (op == 1 && alive && ivec_push(out, cur.family, cur.lo, cur.hi) < 0)
			return -1;
	}
	return 0;
}

/* A set's prefixes as intervals, adjacent ones joined: sets made here are
 * already sorted and disjoint, so no sort is needed; anything else is
 * normalized. */
static int set_ivals(const struct aclf_prefix_set *x, struct ivec *out)
{
	bool sorted = true;

	if (to_ivals(x->v, x->n, out) < 0)
		return -1;
	for (size_t i = 1; i < out->n && sorted; i++)
		sorted = out->v[i - 1].family < out->v[i].family ||
			 (out->v[i - 1].family == out->v[i].family && out->v[i - 1].hi < out->v[i].lo);
	if (!sorted) {
		normalize(out);
		return 0;
	}
	/* join adjacent intervals in place */
	{
		size_t w = 0;
		for (size_t r = 1; r < out->n; r++) {
			if (out->v[r].family == out->v[w].family && out->v[r].lo == out->v[w].hi + 1)
				out->v[w].hi = out->v[r].hi;
			else
				out->v[++w] = out->v[r];
		}
		if (out->n)
			out->n = w + 1;
	}
	return 0;
}

static int binop(struct aclf_arena *a, const struct aclf_prefix_set *x,
		 const struct aclf_prefix_set *y, int op, struct aclf_prefix_set *out)
{
	struct ivec ix = { 0 }, iy = { 0 }, r = { 0 };
	int rc = -1;

	if (set_ivals(x, &ix) < 0 || set_ivals(y, &iy) < 0)
		goto out;
	if (combine(&ix, &iy, op, &r) < 0)
		goto out;
	/* results of the walk are sorted and disjoint; join adjacent ones */
	{
		size_t w = 0;
		for (size_t k = 1; k < r.n; k++) {
			if (r.v[k].family == r.v[w].family && r.v[k].lo == r.v[w].hi + 1)
				r.v[w].hi = r.v[k].hi;
			else
				r.v[++w] = r.v[k];
		}
		if (r.n)
			r.n = w + 1;
	}
	rc = from_ivals(a, &r, out);
out:
	free(ix.v);
	free(iy.v);
	free(r.v);
	return rc;
}

int aclf_pset_intersect(struct aclf_arena *a, const struct aclf_prefix_set *x,
			const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	return binop(a, x, y, 0, out);
}

int aclf_pset_subtract(struct aclf_arena *a, const struct aclf_prefix_set *x,
		       const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	return binop(a, x, y, 1, out);
}

bool aclf_pset_equal(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y)
{
	if (x->n != y->n)
		return false;
	if (x->v == y->v)
		return true; /* shared storage */
	for (size_t i = 0; i < x->n; i++)
		if (aclf_prefix_cmp(&x->v[i], &y->v[i]) != 0)
			return false;
	return true;
}

bool aclf_pset_contains_addr(const struct aclf_prefix_set *x, const struct aclf_prefix *host)
{
	for (size_t i = 0; i < x->n; i++)
		if (aclf_prefix_contains(&x->v[i], host))
			return true;
	return false;
}

bool aclf_pset_covers(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y)
{
	/* every prefix of y must lie within a single merged interval of x:
	 * x is merged, so a prefix of y is covered iff it is inside one of
	 * x's maximal intervals. Walk x's prefixes joined into intervals. */
	for (size_t j = 0; j < y->n; j++) {
		aclf_u128 lo = aclf_prefix_first(&y->v[j]), hi = aclf_prefix_last(&y->v[j]);
		bool ok = false;
		for (size_t i = 0; i < x->n && !ok; i++) {
			if (x->v[i].family != y->v[j].family)
				continue;
			aclf_u128 ilo = aclf_prefix_first(&x->v[i]), ihi = aclf_prefix_last(&x->v[i]);
			size_t k = i + 1;
			while (k < x->n && x->v[k].family == x->v[i].family &&
			       aclf_prefix_first(&x->v[k]) == ihi + 1) {
				ihi = aclf_prefix_last(&x->v[k]);
				k++;
			}
			if (ilo <= lo && hi <= ihi)
				ok = true;
		}
		if (!ok)
			return false;
	}
	return true;
}

int aclf_pset_family(struct aclf_arena *a, const struct aclf_prefix_set *x, uint8_t family,
		     struct aclf_prefix_set *out)
{
	size_t n = 0, first = x->n;

	for (size_t i = 0; i < x->n; i++) {
		if (x->v[i].family == family) {
			if (first == x->n)
				first = i;
			n++;
		}
	}
	out->n = 0;
	out->v = NULL;
	if (!n)
		return 0;
	out->v = aclf_arena_alloc(a, n * sizeof(*out->v));
	if (!out->v)
		return -1;
	memcpy(out->v, x->v + first, n * sizeof(*out->v));
	out->n = n;
	return 0;
}

/* Is any prefix of the sorted, disjoint set `big` overlapping p? Binary
 * search for the last prefix starting at or before p's last address. */
static bool overlaps_one(const struct aclf_prefix_set *big, const struct aclf_prefix *p)
{
	aclf_u128 lo = aclf_prefix_first(p), hi = aclf_prefix_last(p);
	size_t a = 0, b = big->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const struct aclf_prefix *q = &big->v[m];
		if (q->family < p->family || (q->family == p->family && aclf_prefix_first(q) <= hi))
			a = m + 1;
		else
			b = m;
	}
	/* big->v[a - 1] is the last one starting at or before hi (same family or lower) */
	return a > 0 && big->v[a - 1].family == p->family && aclf_prefix_last(&big->v[a - 1]) >= lo;
}

bool aclf_pset_overlaps(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y)
{
	const struct aclf_prefix_set *small = x->n <= y->n ? x : y, *big = x->n <= y->n ? y : x;

	/* both sets are canonical (sorted, disjoint), as every set made by
	 * these functions and the loaders is */
	if (!small->n)
		return false;
	for (size_t i = 0; i < small->n; i++)
		if (overlaps_one(big, &small->v[i]))
			return true;
	return false;
}
