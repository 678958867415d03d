/* Interval ends ("events") for the partition walk: growing, sorting and
 * merging the lists of positions where a set of boxes changes. */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define U128_MAX (~(aclf_u128)0)

static int ev_cmp(const void *x, const void *y)
{
	const struct dd_ev *a = x, *b = y;

	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return (int)a->add - (int)b->add;
}

static inline bool ev_lt(const struct dd_ev *a, const struct dd_ev *b)
{
	return a->pos < b->pos || (a->pos == b->pos && a->add < b->add);
}

static inline void ev_swap(struct dd_ev *a, struct dd_ev *b)
{
	struct dd_ev t = *a;

	*a = *b;
	*b = t;
}

/* Quicksort with the comparison inlined (the sweep's hot spot); insertion
 * sort for short runs; qsort when the recursion gets too deep. */
void dd_ev_sort(struct dd_ev *v, size_t n, unsigned depth)
{
	while (n > 16) {
		size_t mid = n / 2, i, j;
		struct dd_ev pivot;

		if (depth-- == 0) {
			qsort(v, n, sizeof(*v), ev_cmp);
			return;
		}
		if (ev_lt(&v[mid], &v[0]))
			ev_swap(&v[mid], &v[0]);
		if (ev_lt(&v[n - 1], &v[0]))
			ev_swap(&v[n - 1], &v[0]);
		if (ev_lt(&v[n - 1], &v[mid]))
			ev_swap(&v[n - 1], &v[mid]);
		pivot = v[mid];
		i = 0;
		j = n - 1;
		for (;;) {
			while (ev_lt(&v[i], &pivot))
				i++;
			while (ev_lt(&pivot, &v[j]))
				j--;
			if (i >= j)
				break;
			ev_swap(&v[i], &v[j]);
			i++;
			j--;
		}
		/* [0, j] <= pivot <= [j + 1, n); recurse on the smaller side */
		if (j + 1 < n - j - 1) {
			dd_ev_sort(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			dd_ev_sort(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct dd_ev x = v[i];
		size_t k = i;

		for (; k > 0 && ev_lt(&x, &v[k - 1]); k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
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
