/* Hash-consed address and port sets: the one copy of each distinct set,
 * owned by one arena (a compiled policy's), so that a set shared by many
 * rules and filters exists once and two sets are equal exactly when they
 * are the same array. The table's own index is malloc'd; the sets stay in
 * the arena after aclf_intern_free. */
#ifndef ACLFORGE_INTERN_H
#define ACLFORGE_INTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/portset.h"
#include "aclforge/prefix.h"

struct aclf_arena;
struct aclf_intern;

struct aclf_intern *aclf_intern_new(struct aclf_arena *a);
void aclf_intern_free(struct aclf_intern *t);

/* The table's copy of x (canonical: sorted and merged, as every set made by
 * prefix.c and portset.c is), copied into the arena on first sight. An
 * empty set is {NULL, 0}. 0 or -1 (out of memory). */
int aclf_intern_pset(struct aclf_intern *t, const struct aclf_prefix_set *x, struct aclf_prefix_set *out);
int aclf_intern_ports(struct aclf_intern *t, const struct aclf_port_set *x, struct aclf_port_set *out);
/* Merge any prefixes / port ranges (aclf_pset_merge, aclf_ports_merge) and
 * intern the result: nothing is left in the arena when it is known. */
int aclf_intern_pset_merge(struct aclf_intern *t, const struct aclf_prefix *v, size_t n,
			   struct aclf_prefix_set *out);
int aclf_intern_ports_merge(struct aclf_intern *t, const struct aclf_port_range *v, size_t n,
			    struct aclf_port_set *out);
/* Is x the table's own copy (by address: no hashing)? Empty sets are. */
bool aclf_intern_owns_pset(const struct aclf_intern *t, const struct aclf_prefix_set *x);
bool aclf_intern_owns_ports(const struct aclf_intern *t, const struct aclf_port_set *x);

struct aclf_intern_stats {
	size_t psets, prefixes; /* distinct non-empty address sets held, their prefixes */
	size_t ports;           /* distinct non-empty port sets */
	size_t hits, misses;    /* lookups that found a held set / added one */
};
void aclf_intern_stats(const struct aclf_intern *t, struct aclf_intern_stats *st);

#endif
