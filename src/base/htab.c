#include <stdlib.h>

#include "aclforge/htab.h"

struct aclf_htab_slot {
	uint64_t h;
	size_t e; /* ACLF_HTAB_END: empty */
};

/* Probe from slot *it on: the next entry stored under h, or ACLF_HTAB_END
 * at the first empty slot. */
static size_t walk(const struct aclf_htab *t, uint64_t h, size_t *it)
{
	size_t mask = t->cap - 1;

	if (!t->cap)
		return ACLF_HTAB_END;
	for (size_t i = *it;; i = (i + 1) & mask) {
		const struct aclf_htab_slot *s = &t->slot[i];
		if (s->e == ACLF_HTAB_END)
			return ACLF_HTAB_END;
		if (s->h == h) {
			*it = (i + 1) & mask;
			return s->e;
		}
	}
}

size_t aclf_htab_find(const struct aclf_htab *t, uint64_t h, size_t *it)
{
	*it = t->cap ? (size_t)(h ^ (h >> 29)) & (t->cap - 1) : 0;
	return walk(t, h, it);
}

size_t aclf_htab_next(const struct aclf_htab *t, uint64_t h, size_t *it)
{
	return walk(t, h, it);
}

static void place(struct aclf_htab_slot *v, size_t cap, uint64_t h, size_t e)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);

	while (v[i].e != ACLF_HTAB_END)
		i = (i + 1) & (cap - 1);
	v[i].h = h;
	v[i].e = e;
}

int aclf_htab_put(struct aclf_htab *t, uint64_t h, size_t e)
{
	/* at most half full, so every walk meets an empty slot */
	if (2 * (t->n + 1) > t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 64;
		struct aclf_htab_slot *v = malloc(ncap * sizeof(*v));
		if (!v)
			return -1;
		for (size_t i = 0; i < ncap; i++)
			v[i].e = ACLF_HTAB_END;
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].e != ACLF_HTAB_END)
				place(v, ncap, t->slot[i].h, t->slot[i].e);
		free(t->slot);
		t->slot = v;
		t->cap = ncap;
	}
	place(t->slot, t->cap, h, e);
	t->n++;
	return 0;
}

void aclf_htab_free(struct aclf_htab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->cap = t->n = 0;
}
