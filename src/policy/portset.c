#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"

static int range_cmp(const void *a, const void *b)
{
	const struct aclf_port_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* New storage for n ranges: from the arena, or malloc when a is NULL. */
static struct aclf_port_range *new_ranges(struct aclf_arena *a, size_t n)
{
	return a ? aclf_arena_alloc_raw(a, n * sizeof(struct aclf_port_range))
		 : malloc(n * sizeof(struct aclf_port_range));
}

int aclf_ports_merge(struct aclf_arena *a, const struct aclf_port_range *v, size_t n,
		     struct aclf_port_set *out)
{
	struct aclf_port_range *r;
	size_t w = 0;
	bool sorted = true;

	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	r = new_ranges(a, n);
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++) {
		r[i] = v[i];
		if (r[i].lo > r[i].hi) {
			uint16_t t = r[i].lo;
			r[i].lo = r[i].hi;
			r[i].hi = t;
		}
		sorted = sorted && (i == 0 || range_cmp(&r[i - 1], &r[i]) <= 0);
	}
	if (!sorted)
		qsort(r, n, sizeof(*r), range_cmp);
	for (size_t i = 1; i < n; i++) {
		if ((uint32_t)r[i].lo <= (uint32_t)r[w].hi + 1) {
			if (r[i].hi > r[w].hi)
				r[w].hi = r[i].hi;
		} else {
			r[++w] = r[i];
		}
	}
	out->v = r;
	out->n = w + 1;
	return 0;
}

int aclf_ports_copy(struct aclf_arena *a, const struct aclf_port_set *x, struct aclf_port_set *out)
{
	return aclf_ports_merge(a, x->v, x->n, out);
}

int aclf_ports_union(struct aclf_arena *a, const struct aclf_port_set *x,
		     const struct aclf_port_set *y, struct aclf_port_set *out)
{
	size_t n = x->n + y->n;
	struct aclf_port_range *tmp;
	int rc;

	if (n == 0) {
		out->v = NULL;
		out->n = 0;
		return 0;
	}
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -1;
	if (x->n)
		memcpy(tmp, x->v, x->n * sizeof(*tmp));
	if (y->n)
		memcpy(tmp + x->n, y->v, y->n * sizeof(*tmp));
	rc = aclf_ports_merge(a, tmp, n, out);
	free(tmp);
	return rc;
}

int aclf_ports_intersect(struct aclf_arena *a, const struct aclf_port_set *x,
			 const struct aclf_port_set *y, struct aclf_port_set *out)
{
	size_t i = 0, j = 0, w = 0;
	struct aclf_port_range *r;

	out->v = NULL;
	out->n = 0;
	if (!x->n || !y->n)
		return 0;
	r = new_ranges(a, x->n + y->n);
	if (!r)
		return -1;
	while (i < x->n && j < y->n) {
		uint16_t lo = x->v[i].lo > y->v[j].lo ? x->v[i].lo : y->v[j].lo;
		uint16_t hi = x->v[i].hi < y->v[j].hi ? x->v[i].hi : y->v[j].hi;
		if (lo <= hi) {
			r[w].lo = lo;
			r[w].hi = hi;
			w++;
		}
		if (x->v[i].hi < y->v[j].hi)
			i++;
		else
			j++;
	}
	out->v = w ? r : NULL;
	out->n = w;
	return 0;
}

int aclf_ports_subtract(struct aclf_arena *a, const struct aclf_port_set *x,
			const struct aclf_port_set *y, struct aclf_port_set *out)
{
	struct aclf_port_range *r;
	size_t w = 0;

	out->v = NULL;
	out->n = 0;
	if (!x->n)
		return 0;
	r = new_ranges(a, x->n + y->n + 1);
	if (!r)
		return -1;
	for (size_t i = 0; i < x->n; i++) {
		uint32_t lo = x->v[i].lo, hi = x->v[i].hi;
		bool alive = true;
		for (size_t j = 0; j < y->n && alive; j++) {
			uint32_t blo = y->v[j].lo, bhi = y->v[j].hi;
			if (bhi < lo || blo > hi)
				continue;
			if (blo > lo) {
				r[w].lo = (uint16_t)lo;
				r[w].hi = (uint16_t)(blo - 1);
				w++;
			}
			if (bhi >= hi)
				alive = false;
			else
				lo = bhi + 1;
		}
		if (alive) {
			r[w].lo = (uint16_t)lo;
			r[w].hi = (uint16_t)hi;
			w++;
		}
	}
	out->v = w ? r : NULL;
	out->n = w;
	return 0;
}

bool aclf_ports_equal(const struct aclf_port_set *x, const struct aclf_port_set *y)
{
	if (x->n != y->n)
		return false;
	if (x->v == y->v)
		return true; /* shared storage */
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].lo != y->v[i].lo || x->v[i].hi != y->v[i].hi)
			return false;
	return true;
}

bool aclf_ports_contains(const struct aclf_port_set *x, uint16_t port)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].lo <= port && port <= x->v[i].hi)
			return true;
	return false;
}

bool aclf_ports_covers(const struct aclf_port_set *x, const struct aclf_port_set *y)
{
	for (size_t j = 0; j < y->n; j++) {
		bool ok = false;
		for (size_t i = 0; i < x->n && !ok; i++)
			ok = x->v[i].lo <= y->v[j].lo && y->v[j].hi <= x->v[i].hi;
		if (!ok)
			return false;
	}
	return true;
}

uint32_t aclf_ports_count(const struct aclf_port_set *x)
{
	uint32_t n = 0;

	for (size_t i = 0; i < x->n; i++)
		n += (uint32_t)x->v[i].hi - x->v[i].lo + 1;
	return n;
}
