/* Property tests of the prefix-set and port-set algebra (src/policy/prefix.c,
 * src/policy/portset.c) against brute-force bitmaps over small universes:
 * addresses of one IPv4 /24 and one IPv6 /120 (placed at the bottom, the
 * middle or the top of the address space), ports 0..63 plus the edges up to
 * 65535. Every result must equal the bitmap and be canonical: sorted, no
 * overlaps, adjacent prefixes aggregated as far as alignment allows (which
 * for a given set of addresses leaves exactly one representation).
 * The k-way union, family views (no copy) and the content hash too.
 * Seeded deterministically; ACLF_SEED overrides the seed, ACLF_CASES the
 * number of cases. A failure prints the seed and case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"

#define ACLF_TEST_DEFAULT_SEED 0xac1f0001ull
#include "test_random.h"

/* ---- prefixes: universe of 256 IPv4 + 256 IPv6 addresses ---- */

#define NPTS 512

static aclf_u128 base4, base6;

static void pick_bases(void)
{
	static const uint32_t b4[] = { 0x0a000000u, 0x00000000u, 0xffffff00u, 0xc0a80100u };
	aclf_u128 b6[4];

	b6[0] = (aclf_u128)0x20010db800000000ull << 64;
	b6[1] = 0;
	b6[2] = ~(aclf_u128)0 & ~(aclf_u128)0xff;
	b6[3] = ((aclf_u128)0xfe80000000000000ull << 64) | 0x100;
	base4 = b4[rn(4)];
	base6 = b6[rn(4)];
}

static void point_prefix(int pt, struct aclf_prefix *p)
{
	if (pt < 256)
		aclf_prefix_from_u128(4, base4 + (unsigned)pt, 32, p);
	else
		aclf_prefix_from_u128(6, base6 + (unsigned)(pt - 256), 128, p);
}

static void rand_prefix(struct aclf_prefix *p)
{
	bool v6 = rn(2);
	unsigned hostbits = rn(9); /* 0..8: within the /24 or /120 */
	unsigned off = rn(256) & ~((1u << hostbits) - 1);

	if (v6)
		aclf_prefix_from_u128(6, base6 + off, (uint8_t)(128 - hostbits), p);
	else
		aclf_prefix_from_u128(4, base4 + off, (uint8_t)(32 - hostbits), p);
}

static void bm_set_prefix(uint8_t *bm, const struct aclf_prefix *p)
{
	aclf_u128 base = p->family == 4 ? base4 : base6;
	int off = p->family == 4 ? 0 : 256;

	for (aclf_u128 a = aclf_prefix_first(p); a <= aclf_prefix_last(p); a++) {
		CHECK(a >= base && a - base < 256);
		bm[off + (int)(a - base)] = 1;
		if (a == aclf_prefix_last(p))
			break;
	}
}

static void bm_of_set(uint8_t *bm, const struct aclf_prefix_set *s)
{
	memset(bm, 0, NPTS);
	for (size_t i = 0; i < s->n; i++)
		bm_set_prefix(bm, &s->v[i]);
}

/* the unique canonical prefix list of a bitmap: per maximal run, greedy
 * largest aligned blocks */
static size_t canonical(const uint8_t *bm, struct aclf_prefix *out)
{
	size_t n = 0;

	for (int fam = 0; fam < 2; fam++) {
		int off = fam * 256;
		aclf_u128 base = fam ? base6 : base4;
		unsigned bits = fam ? 128 : 32;
		int i = 0;

		while (i < 256) {
			int hi;

			if (!bm[off + i]) {
				i++;
				continue;
			}
			for (hi = i; hi + 1 < 256 && bm[off + hi + 1]; hi++)
				;
			while (i <= hi) {
				unsigned k = 8;

				while (k > 0 && ((i & ((1 << k) - 1)) != 0 || i + (1 << k) - 1 > hi))
					k--;
				aclf_prefix_from_u128(fam ? 6 : 4, base + (unsigned)i, (uint8_t)(bits - k),
						      &out[n++]);
				i += 1 << k;
			}
		}
	}
	return n;
}

static void check_canonical(const struct aclf_prefix_set *s, const uint8_t *want)
{
	struct aclf_prefix canon[NPTS];
	uint8_t got[NPTS];
	size_t n = canonical(want, canon);

	bm_of_set(got, s);
	CHECK(memcmp(got, want, NPTS) == 0);
	for (size_t i = 0; i + 1 < s->n; i++) {
		CHECK(aclf_prefix_cmp(&s->v[i], &s->v[i + 1]) < 0);
		if (s->v[i].family == s->v[i + 1].family)
			CHECK(aclf_prefix_last(&s->v[i]) < aclf_prefix_first(&s->v[i + 1]));
		else
			CHECK(s->v[i].family == 4);
	}
	CHECK(s->n == n);
	for (size_t i = 0; i < n && i < s->n; i++) {
		CHECK(s->v[i].family == canon[i].family);
		CHECK(s->v[i].len == canon[i].len);
		CHECK(memcmp(s->v[i].addr, canon[i].addr, 16) == 0);
	}
}

static int prefix_qcmp(const void *a, const void *b)
{
	return aclf_prefix_cmp(a, b);
}

static bool eq_bitmaps(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, NPTS) == 0;
}

static void rand_pset(struct aclf_arena *ar, struct aclf_prefix_set *s, uint8_t *bm)
{
	struct aclf_prefix raw[12];
	size_t k = rn(13);

	memset(bm, 0, NPTS);
	for (size_t i = 0; i < k; i++) {
		rand_prefix(&raw[i]);
		bm_set_prefix(bm, &raw[i]);
	}
	/* sometimes the same prefix twice, or a prefix and its halves */
	if (k >= 2 && rn(4) == 0)
		raw[1] = raw[0];
	if (k >= 3 && rn(4) == 0 && raw[0].len < (raw[0].family == 4 ? 32 : 128)) {
		raw[2] = raw[0];
		raw[2].len++;
		bm_set_prefix(bm, &raw[2]);
	}
	bm_of_set(bm, &(struct aclf_prefix_set){ raw, k });
	assert_int_equal(aclf_pset_merge(ar, raw, k, s), 0);
	check_canonical(s, bm);
}

static void test_pset_random(void **state)
{
	int n = ncases(3000);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar;
		struct aclf_prefix_set x, y, r;
		uint8_t bx[NPTS], by[NPTS], want[NPTS];
		bool sub = true, eq = true;

		rng_state = cur_seed * 1000003u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		pick_bases();
		rand_pset(&ar, &x, bx);
		if (rn(5) == 0) {
			/* y a subset of x (or equal) */
			struct aclf_prefix raw[NPTS];
			size_t k = 0;

			memcpy(by, bx, NPTS);
			for (int i = 0; i < NPTS; i++)
				if (by[i] && rn(3) == 0)
					by[i] = 0;
			for (int i = 0; i < NPTS; i++)
				if (by[i])
					point_prefix(i, &raw[k++]);
			assert_int_equal(aclf_pset_merge(&ar, raw, k, &y), 0);
			check_canonical(&y, by);
		} else {
			rand_pset(&ar, &y, by);
		}
		for (int i = 0; i < NPTS; i++)
			want[i] = bx[i] | by[i];
		assert_int_equal(aclf_pset_union(&ar, &x, &y, &r), 0);
		check_canonical(&r, want);
		for (int i = 0; i < NPTS; i++)
			want[i] = bx[i] & by[i];
		assert_int_equal(aclf_pset_intersect(&ar, &x, &y, &r), 0);
		check_canonical(&r, want);
		assert_int_equal(aclf_pset_intersect_sorted(&ar, &x, &y, &r), 0);
		check_canonical(&r, want);
		assert_int_equal(aclf_pset_intersect_sorted(&ar, &y, &x, &r), 0);
		check_canonical(&r, want);
		for (int i = 0; i < NPTS; i++)
			want[i] = bx[i] & !by[i];
		assert_int_equal(aclf_pset_subtract(&ar, &x, &y, &r), 0);
		check_canonical(&r, want);
		assert_int_equal(aclf_pset_copy(&ar, &x, &r), 0);
		check_canonical(&r, bx);
		for (int fam = 4; fam <= 6; fam += 2) {
			struct aclf_prefix_set view;
			for (int i = 0; i < NPTS; i++)
				want[i] = bx[i] && (i < 256) == (fam == 4);
			assert_int_equal(aclf_pset_family(&ar, &x, (uint8_t)fam, &r), 0);
			check_canonical(&r, want);
			/* the view is the same prefixes, inside x */
			aclf_pset_family_view(&x, (uint8_t)fam, &view);
			check_canonical(&view, want);
			CHECK(aclf_pset_equal(&view, &r));
			CHECK(!view.n || (view.v >= x.v && view.v + view.n <= x.v + x.n));
			CHECK(view.n || !view.v);
		}
		/* results in malloc'd memory (no arena) are the same sets */
		{
			struct aclf_prefix_set m;
			assert_int_equal(aclf_pset_union(NULL, &x, &y, &m), 0);
			assert_int_equal(aclf_pset_union(&ar, &x, &y, &r), 0);
			CHECK(aclf_pset_equal(&m, &r));
			free(m.v);
			assert_int_equal(aclf_pset_intersect(NULL, &x, &y, &m), 0);
			assert_int_equal(aclf_pset_intersect(&ar, &x, &y, &r), 0);
			CHECK(aclf_pset_equal(&m, &r));
			free(m.v);
		}
		/* equal sets hash equal: x against a copy and against its points merged */
		{
			struct aclf_prefix raw[NPTS];
			size_t k = 0;
			for (int i = 0; i < NPTS; i++)
				if (bx[i])
					point_prefix(i, &raw[k++]);
			assert_int_equal(aclf_pset_merge(&ar, raw, k, &r), 0);
			CHECK(aclf_pset_equal(&r, &x));
			CHECK(aclf_pset_hash(&r) == aclf_pset_hash(&x));
			if (eq_bitmaps(bx, by))
				CHECK(aclf_pset_hash(&x) == aclf_pset_hash(&y));
		}
		for (int i = 0; i < NPTS; i++) {
			if (by[i] && !bx[i])
				sub = false;
			if (by[i] != bx[i])
				eq = false;
		}
		{
			bool meet = false;
			for (int i = 0; i < NPTS; i++)
				meet = meet || (bx[i] && by[i]);
			CHECK(aclf_pset_overlaps(&x, &y) == meet);
			CHECK(aclf_pset_overlaps(&y, &x) == meet);
		}
		CHECK(aclf_pset_covers(&x, &y) == sub);
		CHECK(aclf_pset_equal(&x, &y) == eq);
		CHECK(aclf_pset_covers(&x, &x));
		for (int t = 0; t < 8; t++) {
			struct aclf_prefix h;
			int pt = (int)rn(NPTS);

			point_prefix(pt, &h);
			CHECK(aclf_pset_contains_addr(&x, &h) == (bx[pt] != 0));
		}
		aclf_arena_release(&ar);
	}
}

/* The union of up to six random sets at once against the bitmaps' OR. */
static void test_pset_union_n(void **state)
{
	int n = ncases(1500);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar;
		struct aclf_prefix_set sets[6], r, pair;
		const struct aclf_prefix_set *in[7];
		uint8_t bm[6][NPTS], want[NPTS];
		size_t k;

		rng_state = cur_seed * 104729u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		pick_bases();
		k = rn(7);
		memset(want, 0, NPTS);
		for (size_t i = 0; i < k; i++) {
			rand_pset(&ar, &sets[i], bm[i]);
			for (int j = 0; j < NPTS; j++)
				want[j] |= bm[i][j];
			in[i] = &sets[i];
		}
		/* sometimes one input twice */
		if (k && rn(3) == 0) {
			in[k] = in[rn((unsigned)k)];
			k++;
		}
		assert_int_equal(aclf_pset_union_n(&ar, in, k, &r), 0);
		check_canonical(&r, want);
		if (k == 2) {
			assert_int_equal(aclf_pset_union(&ar, in[0], in[1], &pair), 0);
			CHECK(aclf_pset_equal(&pair, &r));
		}
		aclf_arena_release(&ar);
	}
}

/* Merging many IPv4 prefixes (aclf_pset_merge sorts them by radix from
 * 256 on), shuffled and already sorted, against the bitmap. */
static void test_pset_merge_large(void **state)
{
	int n = ncases(200);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar;
		struct aclf_prefix raw[700];
		struct aclf_prefix_set s, t;
		uint8_t bm[NPTS];
		size_t k;

		rng_state = cur_seed * 7777u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		pick_bases();
		k = 256 + rn(440);
		memset(bm, 0, NPTS);
		for (size_t i = 0; i < k; i++) {
			unsigned hostbits = rn(4) ? 0 : rn(9);
			unsigned off = rn(256) & ~((1u << hostbits) - 1);
			aclf_prefix_from_u128(4, base4 + off, (uint8_t)(32 - hostbits), &raw[i]);
			bm_set_prefix(bm, &raw[i]);
		}
		assert_int_equal(aclf_pset_merge(&ar, raw, k, &s), 0);
		check_canonical(&s, bm);
		/* sorted input takes no sort at all */
		qsort(raw, k, sizeof(*raw), prefix_qcmp);
		assert_int_equal(aclf_pset_merge(&ar, raw, k, &t), 0);
		check_canonical(&t, bm);
		aclf_arena_release(&ar);
	}
}

static void test_pset_aggregation(void **state)
{
	struct aclf_arena ar;
	struct aclf_prefix v[4];
	struct aclf_prefix_set s;
	char buf[ACLF_PREFIX_STRLEN];

	(void)state;
	aclf_arena_init(&ar);
	assert_int_equal(aclf_prefix_parse("10.0.0.128/25", &v[0], false), 0);
	assert_int_equal(aclf_prefix_parse("10.0.0.0/25", &v[1], false), 0);
	assert_int_equal(aclf_pset_merge(&ar, v, 2, &s), 0);
	assert_int_equal(s.n, 1);
	aclf_prefix_format(&s.v[0], buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/24");

	/* adjacent but not aligned: 10.0.1.0/24 + 10.0.2.0/24 stay two */
	assert_int_equal(aclf_prefix_parse("10.0.2.0/24", &v[0], false), 0);
	assert_int_equal(aclf_prefix_parse("10.0.1.0/24", &v[1], false), 0);
	assert_int_equal(aclf_pset_merge(&ar, v, 2, &s), 0);
	assert_int_equal(s.n, 2);
	aclf_prefix_format(&s.v[0], buf, sizeof(buf));
	assert_string_equal(buf, "10.0.1.0/24");

	/* the top of IPv4 next to the bottom of IPv6: never joined */
	assert_int_equal(aclf_prefix_parse("255.255.255.255", &v[0], false), 0);
	assert_int_equal(aclf_prefix_parse("::/1", &v[1], false), 0);
	assert_int_equal(aclf_prefix_parse("8000::/1", &v[2], false), 0);
	assert_int_equal(aclf_prefix_parse("0.0.0.0/1", &v[3], false), 0);
	assert_int_equal(aclf_pset_merge(&ar, v, 4, &s), 0);
	assert_int_equal(s.n, 3);
	aclf_prefix_format(&s.v[0], buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0/1");
	aclf_prefix_format(&s.v[1], buf, sizeof(buf));
	assert_string_equal(buf, "255.255.255.255/32");
	aclf_prefix_format(&s.v[2], buf, sizeof(buf));
	assert_string_equal(buf, "::/0");
	aclf_arena_release(&ar);
}

/* ---- ports ---- */

#define NPORTS 65536

static void rand_range(struct aclf_port_range *r)
{
	unsigned lo, hi;

	switch (rn(8)) {
	case 0: /* near the top */
		lo = 65472 + rn(64);
		hi = lo + rn(65536 - lo);
		break;
	case 1: /* an edge value alone */
		lo = hi = rn(2) ? 65535 : 0;
		break;
	case 2:
		lo = 0;
		hi = rn(4) ? rn(64) : 65535;
		break;
	default:
		lo = rn(64);
		hi = lo + rn(8);
		if (hi > 63)
			hi = 63;
		break;
	}
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
}

static void pbm_of(uint8_t *bm, const struct aclf_port_set *s)
{
	memset(bm, 0, NPORTS);
	for (size_t i = 0; i < s->n; i++)
		for (uint32_t p = s->v[i].lo; p <= s->v[i].hi; p++)
			bm[p] = 1;
}

static void check_ports(const struct aclf_port_set *s, const uint8_t *want)
{
	static uint8_t got[NPORTS];
	size_t runs = 0;

	for (size_t i = 0; i < s->n; i++) {
		CHECK(s->v[i].lo <= s->v[i].hi);
		if (i + 1 < s->n)
			CHECK((uint32_t)s->v[i].hi + 1 < s->v[i + 1].lo);
	}
	pbm_of(got, s);
	CHECK(memcmp(got, want, NPORTS) == 0);
	for (uint32_t p = 0; p < NPORTS; p++)
		if (want[p] && (p == 0 || !want[p - 1]))
			runs++;
	CHECK(s->n == runs);
}

static void rand_ports(struct aclf_arena *ar, struct aclf_port_set *s, uint8_t *bm)
{
	struct aclf_port_range raw[8];
	size_t k = rn(7);

	memset(bm, 0, NPORTS);
	for (size_t i = 0; i < k; i++) {
		rand_range(&raw[i]);
		for (uint32_t p = raw[i].lo; p <= raw[i].hi; p++)
			bm[p] = 1;
		if (rn(6) == 0) { /* given reversed: merge orders it */
			uint16_t t = raw[i].lo;
			raw[i].lo = raw[i].hi;
			raw[i].hi = t;
		}
	}
	assert_int_equal(aclf_ports_merge(ar, raw, k, s), 0);
	check_ports(s, bm);
}

static void test_ports_random(void **state)
{
	int n = ncases(1000);
	uint8_t *bx = malloc(NPORTS), *by = malloc(NPORTS), *want = malloc(NPORTS);

	(void)state;
	assert_non_null(bx);
	assert_non_null(by);
	assert_non_null(want);
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar;
		struct aclf_port_set x, y, r;
		bool sub = true, eq = true;
		uint32_t cnt = 0;

		rng_state = cur_seed * 7919u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		rand_ports(&ar, &x, bx);
		if (rn(5) == 0 && x.n) {
			/* y inside x: trim each range */
			struct aclf_port_range raw[8];
			size_t k = 0;

			for (size_t i = 0; i < x.n && k < 8; i++) {
				uint32_t lo = x.v[i].lo + rn(2), hi = x.v[i].hi;

				if (lo <= hi)
					raw[k++] = (struct aclf_port_range){ (uint16_t)lo, (uint16_t)hi };
			}
			assert_int_equal(aclf_ports_merge(&ar, raw, k, &y), 0);
			pbm_of(by, &y);
		} else {
			rand_ports(&ar, &y, by);
		}
		for (uint32_t p = 0; p < NPORTS; p++)
			want[p] = bx[p] | by[p];
		assert_int_equal(aclf_ports_union(&ar, &x, &y, &r), 0);
		check_ports(&r, want);
		for (uint32_t p = 0; p < NPORTS; p++)
			want[p] = bx[p] & by[p];
		assert_int_equal(aclf_ports_intersect(&ar, &x, &y, &r), 0);
		check_ports(&r, want);
		for (uint32_t p = 0; p < NPORTS; p++)
			want[p] = bx[p] & !by[p];
		assert_int_equal(aclf_ports_subtract(&ar, &x, &y, &r), 0);
		check_ports(&r, want);
		assert_int_equal(aclf_ports_copy(&ar, &x, &r), 0);
		check_ports(&r, bx);
		for (uint32_t p = 0; p < NPORTS; p++) {
			if (by[p] && !bx[p])
				sub = false;
			if (by[p] != bx[p])
				eq = false;
			cnt += bx[p];
		}
		CHECK(aclf_ports_covers(&x, &y) == sub);
		CHECK(aclf_ports_equal(&x, &y) == eq);
		CHECK(aclf_ports_count(&x) == cnt);
		CHECK(aclf_ports_contains(&x, 0) == (bx[0] != 0));
		CHECK(aclf_ports_contains(&x, 65535) == (bx[65535] != 0));
		for (int t = 0; t < 8; t++) {
			uint16_t p = (uint16_t)(rn(2) ? rn(70) : 65535 - rn(70));

			CHECK(aclf_ports_contains(&x, p) == (bx[p] != 0));
		}
		aclf_arena_release(&ar);
	}
	free(bx);
	free(by);
	free(want);
}

static void test_ports_edges(void **state)
{
	struct aclf_arena ar;
	struct aclf_port_range v[3] = { { 65535, 65535 }, { 0, 0 }, { 1, 65534 } };
	struct aclf_port_set s, t, r;

	(void)state;
	aclf_arena_init(&ar);
	assert_int_equal(aclf_ports_merge(&ar, v, 3, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].lo, 0);
	assert_int_equal(s.v[0].hi, 65535);
	assert_int_equal(aclf_ports_count(&s), 65536);
	assert_int_equal(aclf_ports_merge(&ar, v, 2, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(aclf_ports_subtract(&ar, &s, &t, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].lo, 1);
	assert_int_equal(r.v[0].hi, 65534);
	assert_int_equal(aclf_ports_subtract(&ar, &t, &s, &r), 0);
	assert_int_equal(r.n, 0);
	aclf_arena_release(&ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pset_aggregation),
		cmocka_unit_test(test_pset_random),
		cmocka_unit_test(test_pset_union_n),
		cmocka_unit_test(test_pset_merge_large),
		cmocka_unit_test(test_ports_edges),
		cmocka_unit_test(test_ports_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
