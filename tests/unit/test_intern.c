/* Property tests of interning (src/policy/intern.c) and memoized set algebra
 * (src/policy/setmemo.c): an interned set equals the set merged afresh,
 * equal sets intern to the one array and different ones to different
 * arrays, and a memoized union or intersection equals the fresh result the
 * first time and is the same array when asked again, whatever the order and
 * repeats of its inputs. Random sets over a few /24s (IPv4) and /120s
 * (IPv6), small enough to collide often. ACLF_SEED / ACLF_CASES as in
 * test_algebra. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/arena.h"
#include "aclforge/intern.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"
#include "aclforge/setmemo.h"

#define ACLF_TEST_DEFAULT_SEED 0xac1f0002ull
#include "test_random.h"

#define NSETS 24

static void rand_prefix(struct aclf_prefix *p)
{
	unsigned host = rn(5); /* /28 to /32, /124 to /128 */
	unsigned off = rn(64) & ~((1u << host) - 1);

	if (rn(4) == 0)
		aclf_prefix_from_u128(6, ((aclf_u128)0x20010db8u << 96) + off, (uint8_t)(128 - host), p);
	else
		aclf_prefix_from_u128(4, 0x0a000000u + off, (uint8_t)(32 - host), p);
}

/* k random prefixes, unmerged */
static size_t rand_raw(struct aclf_prefix *raw, size_t max)
{
	size_t k = rn((unsigned)max + 1);

	for (size_t i = 0; i < k; i++)
		rand_prefix(&raw[i]);
	return k;
}

/* the prefixes of s (canonical) in a shuffled, unmerged order with repeats */
static size_t scrambled(const struct aclf_prefix_set *s, struct aclf_prefix *out)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		out[n++] = s->v[i];
		if (rn(3) == 0)
			out[n++] = s->v[i];
	}
	for (size_t i = n; i > 1; i--) {
		size_t j = rn((unsigned)i);
		struct aclf_prefix t = out[i - 1];
		out[i - 1] = out[j];
		out[j] = t;
	}
	return n;
}

static void test_intern_psets(void **state)
{
	int n = ncases(300);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar, fresh;
		struct aclf_intern *t;
		struct aclf_prefix_set in[NSETS], ref[NSETS];
		struct aclf_intern_stats st;

		rng_state = cur_seed * 2654435761u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		aclf_arena_init(&fresh);
		t = aclf_intern_new(&ar);
		assert_non_null(t);
		for (size_t i = 0; i < NSETS; i++) {
			struct aclf_prefix raw[16], again[32];
			size_t k = rand_raw(raw, 16), m;
			assert_int_equal(aclf_pset_merge(&fresh, raw, k, &ref[i]), 0);
			assert_int_equal(aclf_intern_pset_merge(t, raw, k, &in[i]), 0);
			/* an interned set equals a freshly merged one */
			CHECK(aclf_pset_equal(&in[i], &ref[i]));
			CHECK(aclf_intern_owns_pset(t, &in[i]));
			/* the same contents, given another way, are the same array */
			m = scrambled(&ref[i], again);
			{
				struct aclf_prefix_set x, y;
				assert_int_equal(aclf_intern_pset_merge(t, again, m, &x), 0);
				assert_int_equal(aclf_intern_pset(t, &ref[i], &y), 0);
				CHECK(x.v == in[i].v && x.n == in[i].n);
				CHECK(y.v == in[i].v && y.n == in[i].n);
			}
			CHECK(!in[i].n || !aclf_intern_owns_pset(t, &ref[i]));
		}
		/* same array exactly when equal */
		for (size_t i = 0; i < NSETS; i++)
			for (size_t j = 0; j < NSETS; j++)
				CHECK((in[i].v == in[j].v && in[i].n == in[j].n) == aclf_pset_equal(&ref[i], &ref[j]));
		aclf_intern_stats(t, &st);
		CHECK(st.hits >= NSETS);
		aclf_intern_free(t);
		/* the sets stay in the arena after the table is gone */
		for (size_t i = 0; i < NSETS; i++)
			CHECK(aclf_pset_equal(&in[i], &ref[i]));
		aclf_arena_release(&ar);
		aclf_arena_release(&fresh);
	}
}

static void test_memo_psets(void **state)
{
	int n = ncases(300);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar, fresh;
		struct aclf_intern *t;
		struct aclf_setmemo *m;
		struct aclf_prefix_set in[8], raw_sets[8];
		struct aclf_setmemo_stats st0, st1;

		rng_state = cur_seed * 40503u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		aclf_arena_init(&fresh);
		t = aclf_intern_new(&ar);
		m = t ? aclf_setmemo_new(t) : NULL;
		assert_non_null(m);
		for (size_t i = 0; i < 8; i++) {
			struct aclf_prefix raw[12];
			size_t k = rand_raw(raw, 12);
			assert_int_equal(aclf_pset_merge(&fresh, raw, k, &raw_sets[i]), 0);
			/* half the inputs given interned, half as outside arrays */
			if (rn(2))
				assert_int_equal(aclf_intern_pset(t, &raw_sets[i], &in[i]), 0);
			else
				in[i] = raw_sets[i];
		}
		for (int q = 0; q < 12; q++) {
			const struct aclf_prefix_set *args[10], *perm[10];
			struct aclf_prefix_set want, got, again, w2, g2;
			size_t k = 1 + rn(5), a = rn(8), b = rn(8);

			for (size_t i = 0; i < k; i++)
				args[i] = &in[rn(8)];
			assert_int_equal(aclf_pset_union_n(&fresh, args, k, &want), 0);
			assert_int_equal(aclf_setmemo_union(m, args, k, &got), 0);
			/* a memo result equals the fresh union, and is interned */
			CHECK(aclf_pset_equal(&got, &want));
			CHECK(aclf_intern_owns_pset(t, &got));
			/* asked again in another order with a repeat: the same array */
			for (size_t i = 0; i < k; i++)
				perm[i] = args[k - 1 - i];
			perm[k] = args[0];
			aclf_setmemo_stats(m, &st0);
			assert_int_equal(aclf_setmemo_union(m, perm, k + 1, &again), 0);
			aclf_setmemo_stats(m, &st1);
			CHECK(again.v == got.v && again.n == got.n);
			CHECK(st1.misses == st0.misses);
			/* intersection likewise */
			assert_int_equal(aclf_pset_intersect(&fresh, &in[a], &in[b], &w2), 0);
			assert_int_equal(aclf_setmemo_intersect(m, &in[a], &in[b], &g2), 0);
			CHECK(aclf_pset_equal(&g2, &w2));
			assert_int_equal(aclf_setmemo_intersect(m, &in[b], &in[a], &again), 0);
			CHECK(again.v == g2.v && again.n == g2.n);
			/* the result may be written over an input */
			{
				struct aclf_prefix_set x = in[a];
				const struct aclf_prefix_set *two[2] = { &x, &in[b] };
				assert_int_equal(aclf_pset_union(&fresh, &in[a], &in[b], &want), 0);
				assert_int_equal(aclf_setmemo_union(m, two, 2, &x), 0);
				CHECK(aclf_pset_equal(&x, &want));
			}
		}
		aclf_setmemo_free(m);
		aclf_intern_free(t);
		aclf_arena_release(&ar);
		aclf_arena_release(&fresh);
	}
}

static void rand_ports(struct aclf_port_range *v, size_t *n)
{
	*n = rn(5);
	for (size_t i = 0; i < *n; i++) {
		v[i].lo = (uint16_t)(rn(2) ? rn(40) : 65500 + rn(36));
		v[i].hi = (uint16_t)(v[i].lo + rn(6) > 65535 ? 65535 : v[i].lo + rn(6));
	}
}

static void test_memo_ports(void **state)
{
	int n = ncases(300);

	(void)state;
	cur_seed = base_seed();
	for (cur_case = 0; cur_case < n; cur_case++) {
		struct aclf_arena ar, fresh;
		struct aclf_intern *t;
		struct aclf_setmemo *m;
		struct aclf_port_set in[6], ref[6];

		rng_state = cur_seed * 31337u + (uint64_t)cur_case;
		aclf_arena_init(&ar);
		aclf_arena_init(&fresh);
		t = aclf_intern_new(&ar);
		m = t ? aclf_setmemo_new(t) : NULL;
		assert_non_null(m);
		for (size_t i = 0; i < 6; i++) {
			struct aclf_port_range raw[5];
			size_t k;
			rand_ports(raw, &k);
			assert_int_equal(aclf_ports_merge(&fresh, raw, k, &ref[i]), 0);
			assert_int_equal(aclf_intern_ports_merge(t, raw, k, &in[i]), 0);
			CHECK(aclf_ports_equal(&in[i], &ref[i]));
			CHECK(aclf_intern_owns_ports(t, &in[i]));
		}
		for (size_t i = 0; i < 6; i++)
			for (size_t j = 0; j < 6; j++)
				CHECK((in[i].v == in[j].v && in[i].n == in[j].n) == aclf_ports_equal(&ref[i], &ref[j]));
		for (int q = 0; q < 10; q++) {
			const struct aclf_port_set *args[4], *rev[4];
			struct aclf_port_set want = { NULL, 0 }, got, again, tmp;
			size_t k = 1 + rn(4);
			for (size_t i = 0; i < k; i++) {
				args[i] = &ref[rn(6)];
				assert_int_equal(aclf_ports_union(&fresh, &want, args[i], &tmp), 0);
				want = tmp;
			}
			assert_int_equal(aclf_setmemo_ports_union(m, args, k, &got), 0);
			CHECK(aclf_ports_equal(&got, &want));
			for (size_t i = 0; i < k; i++)
				rev[i] = args[k - 1 - i];
			assert_int_equal(aclf_setmemo_ports_union(m, rev, k, &again), 0);
			CHECK(again.v == got.v && again.n == got.n);
		}
		aclf_setmemo_free(m);
		aclf_intern_free(t);
		aclf_arena_release(&ar);
		aclf_arena_release(&fresh);
	}
}

/* The arena's growth: arrays extended where they lie keep their contents,
 * and copies of the pointer keep reading the same bytes. */
static void test_arena_grow(void **state)
{
	struct aclf_arena ar;
	uint32_t *v = NULL, *w = NULL, *old;
	size_t cap = 0, wcap = 0;

	(void)state;
	aclf_arena_init(&ar);
	for (uint32_t i = 0; i < 100000; i++) {
		assert_int_equal(aclf_arena_grow(&ar, (void **)&v, i, &cap, sizeof(*v)), 0);
		v[i] = i * 7;
		if (i % 1000 == 0) {
			/* another array in between: v can no longer grow in place */
			assert_int_equal(aclf_arena_grow(&ar, (void **)&w, i / 1000, &wcap, sizeof(*w)), 0);
			w[i / 1000] = i;
		}
	}
	for (uint32_t i = 0; i < 100000; i++)
		assert_int_equal(v[i], i * 7);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(w[i], i * 1000);
	/* a shared copy of a full array: growing the original never moves
	 * what the copy reads */
	old = v;
	{
		size_t n = cap, c2 = cap;
		uint32_t *x = v;
		assert_int_equal(aclf_arena_grow(&ar, (void **)&x, n, &c2, sizeof(*x)), 0);
		x[n] = 1;
		for (uint32_t i = 0; i < 100000; i++)
			assert_int_equal(old[i], i * 7);
	}
	/* new slots are zeroed */
	{
		uint64_t *z = NULL;
		size_t zc = 0;
		assert_int_equal(aclf_arena_grow(&ar, (void **)&z, 0, &zc, sizeof(*z)), 0);
		for (size_t i = 0; i < zc; i++)
			assert_int_equal(z[i], 0);
	}
	aclf_arena_release(&ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_psets),
		cmocka_unit_test(test_memo_psets),
		cmocka_unit_test(test_memo_ports),
		cmocka_unit_test(test_arena_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
