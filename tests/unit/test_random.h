/* Seeded randomness for the property tests (test_algebra; test_diff and
 * test_diff_sampled through diff_model.h): ACLF_SEED picks the seed
 * (default ACLF_TEST_DEFAULT_SEED, defined by the includer), ACLF_CASES the
 * number of cases; CHECK prints the seed and case of a failure. Include
 * after <cmocka.h>. */
#ifndef ACLF_TEST_RANDOM_H
#define ACLF_TEST_RANDOM_H

#include <stdint.h>
#include <stdlib.h>

static uint64_t rng_state;
static unsigned long long cur_seed;
static int cur_case;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static unsigned long long base_seed(void)
{
	const char *s = getenv("ACLF_SEED");

	return s && *s ? strtoull(s, NULL, 0) : ACLF_TEST_DEFAULT_SEED;
}

static int ncases(int dflt)
{
	const char *s = getenv("ACLF_CASES");
	long v = s && *s ? strtol(s, NULL, 10) : 0;

	return v > 0 ? (int)v : dflt;
}

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			print_message("seed 0x%llx case %d: check failed: %s (line %d)\n", \
				      cur_seed, cur_case, #cond, __LINE__);                 \
			fail();                                                              \
		}                                                                            \
	} while (0)

#endif
