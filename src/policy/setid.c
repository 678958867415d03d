/* Content hashes of address sets remembered by array (aclforge/setid.h). */
#include <stdlib.h>

#include "aclforge/hash.h"
#include "aclforge/setid.h"

struct aclf_setid_entry {
	const struct aclf_prefix *v;
	size_t n;
	uint64_t h;
};

static uint64_t addr_key(const struct aclf_prefix_set *x)
{
	const void *k[2] = { x->v, (const void *)(uintptr_t)x->n };

	return aclf_hash_add(ACLF_HASH_INIT, k, sizeof(k));
}

uint64_t aclf_setid_hash(struct aclf_setid *s, const struct aclf_prefix_set *x)
{
	uint64_t k = addr_key(x), h;
	size_t it;

	for (size_t e = aclf_htab_find(&s->idx, k, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&s->idx, k, &it))
		if (s->v[e].v == x->v && s->v[e].n == x->n)
			return s->v[e].h;
	h = aclf_pset_hash(x);
	if (s->n == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 64;
		struct aclf_setid_entry *nv = realloc(s->v, nc * sizeof(*nv));
		if (!nv)
			return h;
		s->v = nv;
		s->cap = nc;
	}
	if (aclf_htab_put(&s->idx, k, s->n) < 0)
		return h;
	s->v[s->n].v = x->v;
	s->v[s->n].n = x->n;
	s->v[s->n].h = h;
	s->n++;
	return h;
}

void aclf_setid_release(struct aclf_setid *s)
{
	aclf_htab_free(&s->idx);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
