/* An open-addressing index from 64-bit hashes to the caller's entries: it
 * stores (hash, entry number) pairs only. The caller keeps the entries and
 * compares keys in full while walking the entries of one hash. Its memory
 * is its own (malloc), released by aclf_htab_free. */
#ifndef ACLFORGE_HTAB_H
#define ACLFORGE_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct aclf_htab_slot;
struct aclf_htab {
	struct aclf_htab_slot *slot;
	size_t cap, n; /* cap: a power of two, or 0 */
};

#define ACLF_HTAB_INIT { NULL, 0, 0 }
#define ACLF_HTAB_END SIZE_MAX

/* Walking the entries stored under hash h:
 *   for (size_t it = 0, e = aclf_htab_find(t, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(t, h, &it)) */
size_t aclf_htab_find(const struct aclf_htab *t, uint64_t h, size_t *it);
size_t aclf_htab_next(const struct aclf_htab *t, uint64_t h, size_t *it);
/* Store entry number e under h. 0 or -1 (out of memory). */
int aclf_htab_put(struct aclf_htab *t, uint64_t h, size_t e);
void aclf_htab_free(struct aclf_htab *t);

#endif
