/* The identity of address sets for renderers: the content hash of a set
 * (aclf_pset_hash), remembered per array, so a set that many rules share
 * (a compiled policy interns its sets) is hashed once per device however
 * often it is looked up. Sets must not change while the cache is in use. */
#ifndef ACLFORGE_SETID_H
#define ACLFORGE_SETID_H

#include <stdint.h>

#include "aclforge/htab.h"
#include "aclforge/prefix.h"

struct aclf_setid_entry;
struct aclf_setid {
	struct aclf_htab idx;
	struct aclf_setid_entry *v;
	size_t n, cap;
};

#define ACLF_SETID_INIT { ACLF_HTAB_INIT, NULL, 0, 0 }

/* aclf_pset_hash(x), from the cache when x's array was hashed before
 * (computed without caching when out of memory). */
uint64_t aclf_setid_hash(struct aclf_setid *s, const struct aclf_prefix_set *x);
void aclf_setid_release(struct aclf_setid *s);

#endif
