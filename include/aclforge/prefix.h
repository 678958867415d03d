/* IPv4/IPv6 prefixes and prefix sets. A set is a sorted array of prefixes
 * with no overlaps and adjacent prefixes aggregated (always stored merged).
 * IPv4 sorts before IPv6. */
#ifndef ACLFORGE_PREFIX_H
#define ACLFORGE_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aclf_arena;

struct aclf_prefix {
	uint8_t family; /* 4 or 6 */
	uint8_t len;    /* prefix length */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes; host bits zero */
};

struct aclf_prefix_set {
	struct aclf_prefix *v;
	size_t n;
};

#define ACLF_PREFIX_STRLEN 48

/* Parse "a.b.c.d", "a.b.c.d/len", "x::y", "x::y/len". Host bits set in a
 * prefix are an error unless allow_host_bits (then they are cleared).
 * Returns 0 or -1. */
int aclf_prefix_parse(const char *s, struct aclf_prefix *p, bool allow_host_bits);
/* Parse an address and dotted-quad mask or wildcard ("10.0.0.0", "0.0.255.255",
 * wildcard=true). Non-contiguous masks are rejected (-1). */
int aclf_prefix_from_mask(const char *addr, const char *mask, bool wildcard,
			  struct aclf_prefix *p);
/* "10.0.0.0/8", "10.1.1.1/32", "2001:db8::/32" into out (>= ACLF_PREFIX_STRLEN). */
void aclf_prefix_format(const struct aclf_prefix *p, char *out, size_t outlen);
/* Address only, no length. */
void aclf_prefix_format_addr(const struct aclf_prefix *p, char *out, size_t outlen);
/* IPv4 netmask / wildcard in dotted quad ("255.255.255.0" / "0.0.0.255"). */
void aclf_prefix_format_mask(const struct aclf_prefix *p, bool wildcard, char *out, size_t outlen);
int aclf_prefix_cmp(const struct aclf_prefix *a, const struct aclf_prefix *b);
bool aclf_prefix_contains(const struct aclf_prefix *outer, const struct aclf_prefix *inner);
bool aclf_prefix_is_host(const struct aclf_prefix *p);
/* True when p lies inside ::ffff:0:0/96, the IPv4-mapped IPv6 addresses:
 * an IPv4 packet never carries them, so an IPv6 rule on them matches
 * nothing. v4 (may be NULL) receives the IPv4 address or prefix meant. */
bool aclf_prefix_v4mapped(const struct aclf_prefix *p, struct aclf_prefix *v4);

/* 128-bit helpers used by the set algebra and by diff: the first and last
 * address of a prefix as an unsigned integer (IPv4 in the low 32 bits). */
typedef unsigned __int128 aclf_u128;
aclf_u128 aclf_prefix_first(const struct aclf_prefix *p);
aclf_u128 aclf_prefix_last(const struct aclf_prefix *p);
/* Make a prefix from an address integer. */
void aclf_prefix_from_u128(uint8_t family, aclf_u128 addr, uint8_t len, struct aclf_prefix *p);

/* Set algebra. Results are allocated in the arena (exactly their size), or
 * with malloc when a is NULL (the caller frees out->v), and always merged.
 * Inputs need not be merged for aclf_pset_merge (already sorted input is
 * not sorted again); the others expect merged sets (as every set produced
 * here is) and walk them linearly. Each returns 0 or -1 (no memory). */
int aclf_pset_merge(struct aclf_arena *a, const struct aclf_prefix *v, size_t n,
		    struct aclf_prefix_set *out);
int aclf_pset_union(struct aclf_arena *a, const struct aclf_prefix_set *x,
		    const struct aclf_prefix_set *y, struct aclf_prefix_set *out);
/* The union of k sets: pairwise linear merges, log2(k) rounds. */
int aclf_pset_union_n(struct aclf_arena *a, const struct aclf_prefix_set *const *sets, size_t k,
		      struct aclf_prefix_set *out);
int aclf_pset_intersect(struct aclf_arena *a, const struct aclf_prefix_set *x,
			const struct aclf_prefix_set *y, struct aclf_prefix_set *out);
/* The same for canonical x and y (sorted, merged, as every set made here
 * is), without walking the larger one: each prefix of the smaller is
 * looked up by binary search, O(m log n). */
int aclf_pset_intersect_sorted(struct aclf_arena *a, const struct aclf_prefix_set *x,
			       const struct aclf_prefix_set *y, struct aclf_prefix_set *out);
int aclf_pset_subtract(struct aclf_arena *a, const struct aclf_prefix_set *x,
		       const struct aclf_prefix_set *y, struct aclf_prefix_set *out);
int aclf_pset_copy(struct aclf_arena *a, const struct aclf_prefix_set *x,
		   struct aclf_prefix_set *out);
bool aclf_pset_equal(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y);
/* A hash of the set's contents (aclforge/hash.h): equal sets hash equal. */
uint64_t aclf_pset_hash(const struct aclf_prefix_set *x);
/* true when every address of y is in x */
bool aclf_pset_covers(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y);
/* true when x and y (canonical sets) share an address; no allocation, O(m log n). */
bool aclf_pset_overlaps(const struct aclf_prefix_set *x, const struct aclf_prefix_set *y);
bool aclf_pset_contains_addr(const struct aclf_prefix_set *x, const struct aclf_prefix *host);
/* Keep only one family (4 or 6): a copy. */
int aclf_pset_family(struct aclf_arena *a, const struct aclf_prefix_set *x, uint8_t family,
		     struct aclf_prefix_set *out);
/* The same without copying: out points into x (IPv4 sorts before IPv6, so
 * a family's prefixes are one run); v is NULL when there are none. */
void aclf_pset_family_view(const struct aclf_prefix_set *x, uint8_t family, struct aclf_prefix_set *out);

#endif
