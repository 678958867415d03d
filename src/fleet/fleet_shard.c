/* --shard I/N: a deterministic split of the devices by a hash of their
 * names, the same on every machine, so that N runners each take one shard. */
#include <stdint.h>

#include "aclforge/fleet.h"

bool aclf_fleet_in_shard(const char *name, unsigned i, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */

	if (n <= 1)
		return true;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return h % n == i;
}
