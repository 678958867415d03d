/* One arena per compiled or parsed policy: every string and array of that
 * policy lives here and is freed in one call. */
#ifndef ACLFORGE_ARENA_H
#define ACLFORGE_ARENA_H

#include <stddef.h>

struct aclf_arena_chunk;
struct aclf_arena {
	struct aclf_arena_chunk *head;
	size_t total; /* bytes handed out, for benchmarks */
	size_t dead;  /* of those, left behind by arrays that grew elsewhere */
	void *last;   /* the latest allocation at the top of the head chunk (may grow in place) */
};

void aclf_arena_init(struct aclf_arena *a);
void aclf_arena_release(struct aclf_arena *a);
/* Forget everything allocated but keep the first chunk for reuse (scratch
 * arenas used again and again). */
void aclf_arena_reset(struct aclf_arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory. */
void *aclf_arena_alloc(struct aclf_arena *a, size_t size);
/* The same, not zeroed: for memory the caller writes at once. */
void *aclf_arena_alloc_raw(struct aclf_arena *a, size_t size);
char *aclf_arena_strdup(struct aclf_arena *a, const char *s);
char *aclf_arena_strndup(struct aclf_arena *a, const char *s, size_t n);
char *aclf_arena_printf(struct aclf_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Grow an array *v of *n used / *cap slots so that one more element fits;
 * the new slots are zeroed. The array grows where it lies when it is the
 * latest allocation of the arena and its chunk has room (its bytes never
 * move: copies of the pointer stay valid); otherwise the old storage is
 * copied and abandoned to the arena. Returns 0 or -1 (out of memory). */
int aclf_arena_grow(struct aclf_arena *a, void **v, size_t n, size_t *cap, size_t elsize);

#endif
