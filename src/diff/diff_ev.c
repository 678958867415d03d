/* Interval ends ("events") for the partition walk: growing, sorting and
 * merging the lists of positions where a set of boxes changes. */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define U128_MAX (~(aclf_u128)0)

static inline bool ev_lt(const struct dd_ev *a, const struct dd_ev *b)
{
	return a->pos < b->pos || (a->pos == b->pos && a->add < b->add);
}

/* Sort events made of sorted runs (run r is v[rs[r]] .. v[rs[r + 1] - 1])
 * by merging runs pairwise: O(n log runs). rs has nr + 1 entries and is
 * overwritten. -1: out of memory. */
int dd_ev_merge_runs(struct dd_evvec *e, size_t *rs, size_t nr)
{
	struct dd_ev *tmp, *src, *dst;

	if (nr < 2)
		return 0;
	tmp = malloc(e->n * sizeof(*tmp));
	if (!tmp)
		return -1;
	src = e->v;
	dst = tmp;
	while (nr > 1) {
		size_t w = 0;

		for (size_t r = 0; r < nr; r += 2) {
			size_t lo = rs[r], mid = rs[r + 1], hi = r + 2 <= nr ? rs[r + 2] : mid;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = ev_lt(&src[j], &src[i]) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
			rs[w++] = lo;
		}
		rs[w] = e->n;
		nr = w;
		struct dd_ev *t = src;
		src = dst;
		dst = t;
	}
	if (src != e->v)
		memcpy(e->v, src, e->n * sizeof(*src));
	free(tmp);
	return 0;
}

int dd_push_ev(struct dd_evvec *e, aclf_u128 pos, uint32_t who, uint8_t add)
{
	if (e->n == e->cap) {
		size_t nc = e->cap ? e->cap * 2 : 64;
		struct dd_ev *nv = realloc(e->v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		e->v = nv;
		e->cap = nc;
	}
	e->v[e->n].pos = pos;
	e->v[e->n].who = who;
	e->v[e->n].add = add;
	e->n++;
	return 0;
}

int dd_push_set(struct dd_evvec *e, const struct dd_iset *set, uint32_t who)
{
	for (size_t i = 0; i < set->n; i++) {
		if (dd_push_ev(e, set->v[i].lo, who, 1) < 0)
			return -1;
		if (set->v[i].hi != U128_MAX && dd_push_ev(e, set->v[i].hi + 1, who, 0) < 0)
			return -1;
	}
	return 0;
}
