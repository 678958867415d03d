#include <string.h>

#include "aclforge/hash.h"

#define FNV_PRIME 1099511628211ull

uint64_t aclf_hash_add(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

uint64_t aclf_hash_str(const char *s)
{
	return aclf_hash_add(ACLF_HASH_INIT, s, strlen(s));
}
