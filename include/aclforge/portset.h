/* Port sets: sorted, merged lists of inclusive ranges [lo, hi]. An empty set
 * (n == 0) in a rule means "any port". */
#ifndef ACLFORGE_PORTSET_H
#define ACLFORGE_PORTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aclf_arena;

struct aclf_port_range {
	uint16_t lo, hi;
};

struct aclf_port_set {
	struct aclf_port_range *v;
	size_t n;
};

/* Results are allocated in the arena, or with malloc when a is NULL (the
 * caller frees out->v). */
int aclf_ports_merge(struct aclf_arena *a, const struct aclf_port_range *v, size_t n,
		     struct aclf_port_set *out);
int aclf_ports_union(struct aclf_arena *a, const struct aclf_port_set *x,
		     const struct aclf_port_set *y, struct aclf_port_set *out);
int aclf_ports_intersect(struct aclf_arena *a, const struct aclf_port_set *x,
			 const struct aclf_port_set *y, struct aclf_port_set *out);
int aclf_ports_subtract(struct aclf_arena *a, const struct aclf_port_set *x,
			const struct aclf_port_set *y, struct aclf_port_set *out);
int aclf_ports_copy(struct aclf_arena *a, const struct aclf_port_set *x, struct aclf_port_set *out);
bool aclf_ports_equal(const struct aclf_port_set *x, const struct aclf_port_set *y);
bool aclf_ports_covers(const struct aclf_port_set *x, const struct aclf_port_set *y);
bool aclf_ports_contains(const struct aclf_port_set *x, uint16_t port);
/* Count of ports in the set. */
uint32_t aclf_ports_count(const struct aclf_port_set *x);

#endif
