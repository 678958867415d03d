/* Memoized set algebra over interned sets (aclforge/intern.h): a union or
 * intersection asked again with the same inputs returns the interned
 * result of the first time without computing it. Inputs are keyed by
 * identity, which interning makes the same as equality; an input the
 * table does not hold is interned first. */
#ifndef ACLFORGE_SETMEMO_H
#define ACLFORGE_SETMEMO_H

#include <stddef.h>

#include "aclforge/intern.h"

struct aclf_setmemo;

struct aclf_setmemo *aclf_setmemo_new(struct aclf_intern *t);
void aclf_setmemo_free(struct aclf_setmemo *m);

/* The union of k sets (their order and repeats do not matter). 0 or -1. */
int aclf_setmemo_union(struct aclf_setmemo *m, const struct aclf_prefix_set *const *sets, size_t k,
		       struct aclf_prefix_set *out);
int aclf_setmemo_intersect(struct aclf_setmemo *m, const struct aclf_prefix_set *x,
			   const struct aclf_prefix_set *y, struct aclf_prefix_set *out);
/* The union of k port sets. */
int aclf_setmemo_ports_union(struct aclf_setmemo *m, const struct aclf_port_set *const *sets, size_t k,
			     struct aclf_port_set *out);

struct aclf_setmemo_stats {
	size_t hits, misses;
};
void aclf_setmemo_stats(const struct aclf_setmemo *m, struct aclf_setmemo_stats *st);

#endif
