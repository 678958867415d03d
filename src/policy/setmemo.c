/* Memoized union and intersection of interned sets (aclforge/setmemo.h).
 * A key is the operation and the sorted, deduplicated addresses of its
 * interned inputs; the value is the interned result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "aclforge/setmemo.h"

enum op { OP_UNION, OP_INTERSECT, OP_PORTS_UNION };

struct mentry {
	enum op op;
	const void **key; /* input arrays, sorted by address */
	size_t nkey;
	struct aclf_prefix_set pres;
	struct aclf_port_set rres;
};

struct aclf_setmemo {
	struct aclf_intern *t;
	struct mentry *v;
	size_t n, cap;
	struct aclf_htab idx;
	size_t hits, misses;
};

struct aclf_setmemo *aclf_setmemo_new(struct aclf_intern *t)
{
	struct aclf_setmemo *m = calloc(1, sizeof(*m));

	if (m)
		m->t = t;
	return m;
}

void aclf_setmemo_free(struct aclf_setmemo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	aclf_htab_free(&m->idx);
	free(m);
}

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* Sort and deduplicate the key in place; its new length. */
static size_t canon_key(const void **key, size_t n)
{
	size_t w = 0;

	if (n <= 8) {
		/* the usual few inputs: insertion sort */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && ptr_cmp(&key[j - 1], &key[j]) > 0; j--) {
				const void *t = key[j];
				key[j] = key[j - 1];
				key[j - 1] = t;
			}
	} else {
		qsort(key, n, sizeof(*key), ptr_cmp);
	}
	for (size_t i = 0; i < n; i++)
		if (!w || key[w - 1] != key[i])
			key[w++] = key[i];
	return w;
}

static uint64_t key_hash(enum op op, const void *const *key, size_t n)
{
	uint64_t h = aclf_hash_add(ACLF_HASH_INIT, &op, sizeof(op));

	return aclf_hash_add(h, key, n * sizeof(*key));
}

static struct mentry *lookup(struct aclf_setmemo *m, enum op op, const void *const *key, size_t n,
			     uint64_t h)
{
	size_t it;

	for (size_t e = aclf_htab_find(&m->idx, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&m->idx, h, &it)) {
		struct mentry *x = &m->v[e];
		if (x->op == op && x->nkey == n && !memcmp(x->key, key, n * sizeof(*key)))
			return x;
	}
	return NULL;
}

static struct mentry *remember(struct aclf_setmemo *m, enum op op, const void *const *key, size_t n, uint64_t h)
{
	struct mentry *x;

	if (m->n == m->cap) {
		size_t nc = m->cap ? 2 * m->cap : 64;
		struct mentry *nv = realloc(m->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		m->v = nv;
		m->cap = nc;
	}
	x = &m->v[m->n];
	memset(x, 0, sizeof(*x));
	x->op = op;
	x->nkey = n;
	x->key = malloc((n ? n : 1) * sizeof(*key));
	if (!x->key)
		return NULL;
	if (n)
		memcpy(x->key, key, n * sizeof(*key));
	if (aclf_htab_put(&m->idx, h, m->n) < 0) {
		free(x->key);
		return NULL;
	}
	m->n++;
	return x;
}

/* The inputs interned, as a key of their (non-empty) arrays. */
static int pset_inputs(struct aclf_setmemo *m, const struct aclf_prefix_set *const *sets, size_t k,
		       struct aclf_prefix_set *in, const void **key, size_t *nkey)
{
	size_t w = 0;

	for (size_t i = 0; i < k; i++) {
		if (aclf_intern_pset(m->t, sets[i], &in[i]) < 0)
			return -1;
		if (in[i].n)
			key[w++] = in[i].v;
	}
	*nkey = canon_key(key, w);
	return 0;
}

int aclf_setmemo_union(struct aclf_setmemo *m, const struct aclf_prefix_set *const *sets, size_t k,
		       struct aclf_prefix_set *out)
{
	struct aclf_prefix_set *in = malloc((k ? k : 1) * sizeof(*in)), tmp;
	const struct aclf_prefix_set **pin = malloc((k ? k : 1) * sizeof(*pin));
	const void **key = malloc((k ? k : 1) * sizeof(*key));
	struct mentry *x;
	size_t nkey = 0, np = 0;
	uint64_t h;
	int rc = -1;

	/* out may be one of the inputs: pset_inputs reads them all first */
	if (!in || !pin || !key || pset_inputs(m, sets, k, in, key, &nkey) < 0)
		goto out;
	out->v = NULL;
	out->n = 0;
	if (nkey <= 1) {
		/* nothing to join: the one non-empty input (interned) or empty */
		for (size_t i = 0; i < k; i++)
			if (in[i].n)
				*out = in[i];
		rc = 0;
		goto out;
	}
	h = key_hash(OP_UNION, key, nkey);
	if ((x = lookup(m, OP_UNION, key, nkey, h))) {
		m->hits++;
		*out = x->pres;
		rc = 0;
		goto out;
	}
	/* one input per distinct array */
	for (size_t i = 0; i < k; i++) {
		bool seen = !in[i].n;
		for (size_t j = 0; j < np && !seen; j++)
			seen = pin[j]->v == in[i].v;
		if (!seen)
			pin[np++] = &in[i];
	}
	if (aclf_pset_union_n(NULL, pin, np, &tmp) < 0)
		goto out;
	rc = aclf_intern_pset(m->t, &tmp, out);
	free(tmp.v);
	if (rc < 0 || !(x = remember(m, OP_UNION, key, nkey, h))) {
		rc = -1;
		goto out;
	}
	x->pres = *out;
	m->misses++;
out:
	free(in);
	free(pin);
	free(key);
	return rc;
}

int aclf_setmemo_intersect(struct aclf_setmemo *m, const struct aclf_prefix_set *x,
			   const struct aclf_prefix_set *y, struct aclf_prefix_set *out)
{
	struct aclf_prefix_set ix, iy, tmp;
	const void *key[2];
	struct mentry *e;
	uint64_t h;
	int rc;

	/* out may be x or y: both are read first */
	if (aclf_intern_pset(m->t, x, &ix) < 0 || aclf_intern_pset(m->t, y, &iy) < 0)
		return -1;
	out->v = NULL;
	out->n = 0;
	if (!ix.n || !iy.n)
		return 0;
	if (ix.v == iy.v) {
		*out = ix;
		return 0;
	}
	key[0] = ix.v;
	key[1] = iy.v;
	canon_key(key, 2);
	h = key_hash(OP_INTERSECT, key, 2);
	if ((e = lookup(m, OP_INTERSECT, key, 2, h))) {
		m->hits++;
		*out = e->pres;
		return 0;
	}
	/* interned sets are canonical: binary search from the smaller one */
	if (aclf_pset_intersect_sorted(NULL, &ix, &iy, &tmp) < 0)
		return -1;
	rc = aclf_intern_pset(m->t, &tmp, out);
	free(tmp.v);
	if (rc < 0 || !(e = remember(m, OP_INTERSECT, key, 2, h)))
		return -1;
	e->pres = *out;
	m->misses++;
	return 0;
}

int aclf_setmemo_ports_union(struct aclf_setmemo *m, const struct aclf_port_set *const *sets, size_t k,
			     struct aclf_port_set *out)
{
	struct aclf_port_set *in = malloc((k ? k : 1) * sizeof(*in));
	const void **key = malloc((k ? k : 1) * sizeof(*key));
	struct aclf_port_range *all = NULL;
	struct mentry *x;
	size_t nkey = 0, total = 0, w = 0;
	uint64_t h;
	int rc = -1;

	/* out may be one of the inputs: read them all first */
	if (!in || !key)
		goto out;
	for (size_t i = 0; i < k; i++) {
		if (aclf_intern_ports(m->t, sets[i], &in[i]) < 0)
			goto out;
		if (in[i].n)
			key[nkey++] = in[i].v;
		total += in[i].n;
	}
	out->v = NULL;
	out->n = 0;
	nkey = canon_key(key, nkey);
	if (nkey <= 1) {
		for (size_t i = 0; i < k; i++)
			if (in[i].n)
				*out = in[i];
		rc = 0;
		goto out;
	}
	h = key_hash(OP_PORTS_UNION, key, nkey);
	if ((x = lookup(m, OP_PORTS_UNION, key, nkey, h))) {
		m->hits++;
		*out = x->rres;
		rc = 0;
		goto out;
	}
	if (!(all = malloc(total * sizeof(*all))))
		goto out;
	for (size_t i = 0; i < k; i++) {
		if (in[i].n)
			memcpy(all + w, in[i].v, in[i].n * sizeof(*all));
		w += in[i].n;
	}
	if (aclf_intern_ports_merge(m->t, all, w, out) < 0 || !(x = remember(m, OP_PORTS_UNION, key, nkey, h)))
		goto out;
	x->rres = *out;
	m->misses++;
	rc = 0;
out:
	free(in);
	free(key);
	free(all);
	return rc;
}

void aclf_setmemo_stats(const struct aclf_setmemo *m, struct aclf_setmemo_stats *st)
{
	st->hits = m->hits;
	st->misses = m->misses;
}
