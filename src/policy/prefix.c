#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/hash.h"
#include "aclforge/prefix.h"

static unsigned bits_of(uint8_t family)
{
	return family == 4 ? 32u : 128u;
}

static aclf_u128 to_u128(const struct aclf_prefix *p)
{
	aclf_u128 v = 0;

	if (p->family == 4)
		return ((uint32_t)p->addr[0] << 24) | ((uint32_t)p->addr[1] << 16) | ((uint32_t)p->addr[2] << 8) |
		       p->addr[3];
	for (unsigned i = 0; i < 16; i++)
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

/* Decimal digits of v (0..255) at o; the end. */
static char *put_byte(char *o, unsigned v)
{
	if (v >= 100) {
		*o++ = (char)('0' + v / 100);
		v %= 100;
		*o++ = (char)('0' + v / 10);
	} else if (v >= 10) {
		*o++ = (char)('0' + v / 10);
	}
	*o++ = (char)('0' + v % 10);
	return o;
}

/* "a.b.c.d" at o (as inet_ntop writes it); the end. */
static char *put_quad(char *o, uint32_t a)
{
	o = put_byte(o, a >> 24);
	*o++ = '.';
	o = put_byte(o, (a >> 16) & 0xff);
	*o++ = '.';
	o = put_byte(o, (a >> 8) & 0xff);
	*o++ = '.';
	return put_byte(o, a & 0xff);
}

/* room for "255.255.255.255/32" */
#define QUAD_ROOM 20

void aclf_prefix_format_addr(const struct aclf_prefix *p, char *out, size_t outlen)
{
	if (p->family == 4 && outlen >= QUAD_ROOM) {
		*put_quad(out, (uint32_t)to_u128(p)) = '\0';
		return;
	}
	if (!inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
}

void aclf_prefix_format(const struct aclf_prefix *p, char *out, size_t outlen)
{
	char a[ACLF_PREFIX_STRLEN];

	if (p->family == 4 && outlen >= QUAD_ROOM) {
		char *o = put_quad(out, (uint32_t)to_u128(p));
		*o++ = '/';
		*put_byte(o, p->len) = '\0';
		return;
	}
	aclf_prefix_format_addr(p, a, sizeof(a));
	snprintf(out, outlen, "%s/%u", a, p->len);
}

void aclf_prefix_format_mask(const struct aclf_prefix *p, bool wildcard, char *out, size_t outlen)
{
	uint32_t m = p->len ? 0xffffffffu << (32 - p->len) : 0;

	if (wildcard)
		m = ~m;
	if (outlen >= QUAD_ROOM) {
		*put_quad(out, m) = '\0';
		return;
	}
	snprintf(out, outlen, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
}

int aclf_prefix_cmp(const struct aclf_prefix *a, const struct aclf_prefix *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	/* addresses in network order compare as unsigned integers bytewise */
	c = memcmp(a->addr, b->addr, a->family == 4 ? 4u : 16u);
	if (c)
		return c < 0 ? -1 : 1;
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

static aclf_u128 fam_max(uint8_t family)
{
	return ~(aclf_u128)0 >> (family == 4 ? 96 : 0);
}

static int ivec_reserve(struct ivec *iv, size_t need)
{
	if (need > iv->cap) {
		size_t nc = iv->cap ? iv->cap : 16;
		struct ival *nv;
		while (nc < need)
			nc *= 2;
		nv = realloc(iv->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		iv->v = nv;
		iv->cap = nc;
	}
	return 0;
}

static int ivec_push(struct ivec *iv, uint8_t family, aclf_u128 lo, aclf_u128 hi)
{
	if (iv->n == iv->cap && ivec_reserve(iv, iv->n + 1) < 0)
		return -1;
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
	if (ivec_reserve(out, out->n + n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		aclf_u128 a = to_u128(&v[i]), m = host_mask(v[i].family, v[i].len);
		struct ival *d = &out->v[out->n++];
		d->family = v[i].family;
		d->lo = a & ~m;
		d->hi = a | m;
	}
	return 0;
}

/* Join overlapping and adjacent intervals of a list sorted by family and
 * start, in place. */
static void join_sorted(struct ivec *iv)
{
	size_t w = 0;

	if (iv->n == 0)
		return;
	for (size_t r = 1; r < iv->n; r++) {
		struct ival *cur = &iv->v[w], *nx = &iv->v[r];
		if (nx->family == cur->family &&
		    (nx->lo <= cur->hi || (cur->hi != fam_max(cur->family) && nx->lo == cur->hi + 1))) {
			if (nx->hi > cur->hi)
				cur->hi = nx->hi;
		} else {
			iv->v[++w] = *nx;
		}
	}
	iv->n = w + 1;
}

/* sort (unless already sorted) and join overlapping/adjacent intervals */
static void normalize(struct ivec *iv)
{
	bool sorted = true;

	for (size_t i = 1; i < iv->n && sorted; i++)
		sorted = iv->v[i - 1].family < iv->v[i].family ||
			 (iv->v[i - 1].family == iv->v[i].family && iv->v[i - 1].lo <= iv->v[i].lo);
	if (!sorted)
		qsort(iv->v, iv->n, sizeof(*iv->v), ival_cmp);
	join_sorted(iv);
}

static unsigned ctz128(aclf_u128 x)
{
	uint64_t lo = (uint64_t)x;

	return lo ? (unsigned)__builtin_ctzll(lo) : 64u + (unsigned)__builtin_ctzll((uint64_t)(x >> 64));
}

/* floor(log2(x)), x > 0 */
static unsigned log2_128(aclf_u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	return hi ? 127u - (unsigned)__builtin_clzll(hi) : 63u - (unsigned)__builtin_clzll((uint64_t)x);
}

/* The prefixes covering normalized intervals exactly, each as large as its
 * start's alignment and the interval's end allow (the one canonical form),
 * into out; with out NULL, only counted. Returns the count. */
static size_t ivals_prefixes(const struct ivec *iv, struct aclf_prefix *out)
{
	size_t cnt = 0;

	for (size_t i = 0; i < iv->n; i++) {
		uint8_t fam = iv->v[i].family;
		unsigned bits = bits_of(fam);
		aclf_u128 lo = iv->v[i].lo, hi = iv->v[i].hi;
		for (;;) {
			aclf_u128 span = hi - lo, last;
			unsigned host = lo ? ctz128(lo) : bits;
			unsigned fit = span == ~(aclf_u128)0 ? 128u : log2_128(span + 1);
			if (host > bits)
				host = bits;
			if (host > fit)
				host = fit;
			if (out)
				aclf_prefix_from_u128(fam, lo, (uint8_t)(bits - host), &out[cnt]);
			cnt++;
			last = host >= 128 ? ~(aclf_u128)0 : lo + ((((aclf_u128)1) << host) - 1);
			if (last >= hi)
				break;
			lo = last + 1;
		}
	}
	return cnt;
}

/* New storage for n prefixes: from the arena, or malloc when a is NULL. */
static struct aclf_prefix *new_prefixes(struct aclf_arena *a, size_t n)
{
	return a ? aclf_arena_alloc_raw(a, n * sizeof(struct aclf_prefix)) : malloc(n * sizeof(struct aclf_prefix));
}

static int from_ivals(struct aclf_arena *a, const struct ivec *iv, struct aclf_prefix_set *out)
{
	size_t n = ivals_prefixes(iv, NULL);
	struct aclf_prefix *v = NULL;

	if (n) {
		if (!(v = new_prefixes(a, n)))
			return -1;
		ivals_prefixes(iv, v);
	}
	out->v = v;
	out->n = n;
	return 0;
}

/* Sort 64-bit keys: least significant byte first, 8 counting passes (a
 * large list of IPv4 prefixes sorts in linear time). */
static int radix_sort(uint64_t *k, size_t n)
{
	uint64_t *tmp = malloc(n * sizeof(*tmp)), *from = k, *to = tmp;

	if (!tmp)
		return -1;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[((from[i] >> shift) & 0xff) + 1]++;
		if (count[((from[0] >> shift) & 0xff) + 1] == n)
			continue; /* every key has this byte: nothing moves */
		for (unsigned b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
		from = to;
		to = to == tmp ? k : tmp;
	}
	if (from != k)
		memcpy(k, from, n * sizeof(*k));
	free(tmp);
	return 0;
}

/* IPv4 prefixes as intervals sorted by (start, end), through 64-bit keys
 * (start << 32 | end) sorted by radix. 1 when done, 0 when the prefixes
 * are not all IPv4 (or too few to bother), -1 out of memory. */
static int v4_ivals(const struct aclf_prefix *v, size_t n, struct ivec *out)
{
	uint64_t *k;
	bool sorted = true;

	if (n < 256)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].family != 4)
			return 0;
	if (!(k = malloc(n * sizeof(*k))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t a = (uint32_t)to_u128(&v[i]), m = (uint32_t)host_mask(4, v[i].len);
		k[i] = ((uint64_t)(a & ~m) << 32) | (a | m);
		sorted = sorted && (i == 0 || k[i - 1] <= k[i]);
	}
	if ((!sorted && radix_sort(k, n) < 0) || ivec_reserve(out, n) < 0) {
		free(k);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		out->v[i].family = 4;
		out->v[i].lo = k[i] >> 32;
		out->v[i].hi = k[i] & 0xffffffffu;
	}
	out->n = n;
	free(k);
	return 1;
}

int aclf_pset_merge(struct aclf_arena *a, const struct aclf_prefix *v, size_t n,
		    struct aclf_prefix_set *out)
{
	struct ivec iv = { 0 };
	int rc = v4_ivals(v, n, &iv);

	if (rc < 0 || (rc == 0 && to_ivals(v, n, &iv) < 0)) {
		free(iv.v);
		return -1;
	}
	if (rc == 1)
		join_sorted(&iv);
	else
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
		v = new_prefixes(a, x->n);
		if (!v)
			return -1;
		memcpy(v, x->v, x->n * sizeof(*v));
	}
	out->v = v;
	out->n = x->n;
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

static int ival_before(const struct ival *a, const struct ival *b)
{
	return a->family < b->family || (a->family == b->family && a->lo < b->lo);
}

/* r = x | y for normalized x and y: one linear walk, joining overlapping
 * and adjacent intervals; r is normalized. */
static int merge2(const struct ivec *x, const struct ivec *y, struct ivec *r)
{
	size_t i = 0, j = 0;

	r->n = 0;
	if (ivec_reserve(r, x->n + y->n) < 0)
		return -1;
	while (i < x->n || j < y->n) {
		const struct ival *nx = (j >= y->n || (i < x->n && ival_before(&x->v[i], &y->v[j]))) ? &x->v[i++]
											    : &y->v[j++];
		if (r->n) {
			struct ival *cur = &r->v[r->n - 1];
			if (nx->family == cur->family &&
			    (nx->lo <= cur->hi || (cur->hi != fam_max(cur->family) && nx->lo == cur->hi + 1))) {
				if (nx->hi > cur->hi)
					cur->hi = nx->hi;
				continue;
			}
		}
		r->v[r->n++] = *nx;
	}
	return 0;
}

int aclf_pset_union(struct aclf_arena *a, const struct aclf_prefix_set *x,
		    const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	const struct aclf_prefix_set *v[2] = { x, y };

	return aclf_pset_union_n(a, v, 2, out);
}

int aclf_pset_union_n(struct aclf_arena *a, const struct aclf_prefix_set *const *sets, size_t k,
		      struct aclf_prefix_set *out)
{
	struct ivec *iv = calloc(k ? k : 1, sizeof(*iv)), tmp = { 0 };
	size_t m = k;
	int rc = -1;

	if (!iv)
		return -1;
	for (size_t i = 0; i < k; i++)
		if (set_ivals(sets[i], &iv[i]) < 0)
			goto out;
	/* merge the runs pairwise, log2(k) rounds of linear merges; each
	 * round writes its results to the front of iv */
	while (m > 1) {
		size_t w = 0;
		for (size_t i = 0; i < m; i += 2, w++) {
			struct ivec done;
			if (i + 1 == m) {
				done = iv[w];
				iv[w] = iv[i];
				iv[i] = done;
				continue;
			}
			if (merge2(&iv[i], &iv[i + 1], &tmp) < 0)
				goto out;
			free(iv[i + 1].v);
			iv[i + 1] = (struct ivec){ 0 };
			done = iv[i];
			iv[i] = (struct ivec){ 0 };
			iv[w] = tmp;
			tmp = done; /* its buffer serves the next merge */
		}
		m = w;
	}
	rc = from_ivals(a, m ? &iv[0] : &tmp, out);
out:
	for (size_t i = 0; i < k; i++)
		free(iv[i].v);
	free(iv);
	free(tmp.v);
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

/* The first prefix of the canonical set big that ends at or after the
 * start of p (same family), or one of a later family. */
static size_t first_meeting(const struct aclf_prefix_set *big, const struct aclf_prefix *p, aclf_u128 lo)
{
	size_t a = 0, b = big->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const struct aclf_prefix *q = &big->v[m];
		if (q->family < p->family || (q->family == p->family && aclf_prefix_last(q) < lo))
			a = m + 1;
		else
			b = m;
	}
	return a;
}

int aclf_pset_intersect_sorted(struct aclf_arena *a, const struct aclf_prefix_set *x,
			       const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	const struct aclf_prefix_set *small = x->n <= y->n ? x : y, *big = x->n <= y->n ? y : x;
	struct ivec r = { 0 };
	size_t w = 0;
	int rc = -1;

	for (size_t i = 0; i < small->n; i++) {
		const struct aclf_prefix *p = &small->v[i];
		aclf_u128 lo = aclf_prefix_first(p), hi = aclf_prefix_last(p);
		for (size_t k = first_meeting(big, p, lo); k < big->n && big->v[k].family == p->family; k++) {
			aclf_u128 qlo = aclf_prefix_first(&big->v[k]), qhi = aclf_prefix_last(&big->v[k]);
			if (qlo > hi)
				break;
			if (ivec_push(&r, p->family, qlo > lo ? qlo : lo, qhi < hi ? qhi : hi) < 0)
				goto out;
		}
	}
	/* sorted and disjoint; join adjacent pieces */
	for (size_t k = 1; k < r.n; k++) {
		if (r.v[k].family == r.v[w].family && r.v[k].lo == r.v[w].hi + 1)
			r.v[w].hi = r.v[k].hi;
		else
			r.v[++w] = r.v[k];
	}
	if (r.n)
		r.n = w + 1;
	rc = from_ivals(a, &r, out);
out:
	free(r.v);
	return rc;
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

uint64_t aclf_pset_hash(const struct aclf_prefix_set *x)
{
	uint64_t h = ACLF_HASH_INIT;

	for (size_t i = 0; i < x->n; i++) {
		/* the bytes aclf_prefix_cmp reads: family, length, the family's address bytes */
		unsigned char k[18];
		size_t n = x->v[i].family == 4 ? 4u : 16u;
		k[0] = x->v[i].family;
		k[1] = x->v[i].len;
		memcpy(k + 2, x->v[i].addr, n);
		h = aclf_hash_add(h, k, 2 + n);
	}
	return aclf_hash_add(h, &x->n, sizeof(x->n));
}

bool aclf_pset_contains_addr(const struct aclf_prefix_set *x, const struct aclf_prefix *host)
{
	for (size_t i = 0; i < x->n; i++)
		if (aclf_prefix_contains(&x->v[i], host))
			return true;
	return false;
}

/* The index of the last prefix of canonical x starting at or before
 * (family, at), or x->n when none does. */
static size_t last_at_or_before(const struct aclf_prefix_set *x, uint8_t family, aclf_u128 at)
{
	size_t a = 0, b = x->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const struct aclf_prefix *q = &x->v[m];
		if (q->family < family || (q->family == family && aclf_prefix_first(q) <= at))
			a = m + 1;
		else
			b = m;
	}
	return a ? a - 1 : x->n;
}

bool aclf_pset_covers(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y)
{
	/* x is canonical (sorted, disjoint): a prefix of y is covered iff the
	 * prefix of x holding its first address starts a run of adjacent
	 * prefixes reaching its last one. Binary search, then walk that run:
	 * O(|y| log |x|) plus the run lengths. */
	for (size_t j = 0; j < y->n; j++) {
		const struct aclf_prefix *p = &y->v[j];
		aclf_u128 lo = aclf_prefix_first(p), hi = aclf_prefix_last(p), end;
		size_t k = last_at_or_before(x, p->family, lo);

		if (k == x->n || x->v[k].family != p->family || (end = aclf_prefix_last(&x->v[k])) < lo)
			return false;
		while (end < hi) {
			if (++k == x->n || x->v[k].family != p->family || aclf_prefix_first(&x->v[k]) != end + 1)
				return false;
			end = aclf_prefix_last(&x->v[k]);
		}
	}
	return true;
}

void aclf_pset_family_view(const struct aclf_prefix_set *x, uint8_t family, struct aclf_prefix_set *out)
{
	size_t a = 0, b = x->n;

	/* IPv4 sorts before IPv6: b becomes the first IPv6 prefix */
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (x->v[m].family == 4)
			a = m + 1;
		else
			b = m;
	}
	out->v = family == 4 ? x->v : x->v + a;
	out->n = family == 4 ? a : x->n - a;
	if (!out->n)
		out->v = NULL;
}

int aclf_pset_family(struct aclf_arena *a, const struct aclf_prefix_set *x, uint8_t family,
		     struct aclf_prefix_set *out)
{
	struct aclf_prefix_set view;

	aclf_pset_family_view(x, family, &view);
	return aclf_pset_copy(a, &view, out);
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
