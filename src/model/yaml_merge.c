/* YAML merge keys, resolved once per document for every loader: a mapping
 * that writes `<<: *defaults` or `<<: [*a, *b]` gets each key of the merged
 * mappings it does not write itself (of a list, the first mapping that has
 * the key wins), in the place of the `<<` key. The merged pairs keep their
 * nodes, shared with the anchored mapping, so an error about a merged value
 * points at the line where that value is written. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "yaml_doc.h"

/* pairs merges may add to one document (a guard against blow-up) */
#define MERGE_MAX_PAIRS (1u << 20)
/* mappings merging mappings that merge ... */
#define MERGE_MAX_DEPTH 64

enum { M_TODO = 0, M_BUSY, M_DONE };

struct mctx {
	struct aclf_ydoc *d;
	struct aclf_err *err;
	unsigned char *state; /* per node */
	size_t added;
};

/* One pair of the merged mapping, before duplicates are dropped. */
struct cand {
	yaml_node_pair_t pair;
	const yaml_node_t *key;
	unsigned prio;        /* 0: written in the mapping; i + 1: from its i-th merged mapping */
	size_t order;         /* place in the result */
	bool keep;
};

static bool is_merge_key(const yaml_node_t *k)
{
	return k && k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       k->data.scalar.length == 2 && !memcmp(k->data.scalar.value, "<<", 2);
}

static int key_cmp(const yaml_node_t *a, const yaml_node_t *b)
{
	size_t n;
	int r;

	/* keys that are not scalars never equal anything: they sort by node */
	if (a->type != YAML_SCALAR_NODE || b->type != YAML_SCALAR_NODE) {
		if (a->type == YAML_SCALAR_NODE || b->type == YAML_SCALAR_NODE)
			return a->type == YAML_SCALAR_NODE ? -1 : 1;
		return a < b ? -1 : a > b;
	}
	n = a->data.scalar.length < b->data.scalar.length ? a->data.scalar.length : b->data.scalar.length;
	r = memcmp(a->data.scalar.value, b->data.scalar.value, n);
	if (r)
		return r;
	return a->data.scalar.length < b->data.scalar.length ? -1 : a->data.scalar.length > b->data.scalar.length;
}

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *const *a = x, *const *b = y;
	int r = key_cmp((*a)->key, (*b)->key);

	if (r)
		return r;
	if ((*a)->prio != (*b)->prio)
		return (*a)->prio < (*b)->prio ? -1 : 1;
	return (*a)->order < (*b)->order ? -1 : (*a)->order > (*b)->order;
}

/* Keep, per key, the pairs of the lowest priority: the mapping's own (all
 * of them: a key written twice is reported by the loader) or else the first
 * merged mapping's. */
static int pick(struct cand *v, size_t n)
{
	struct cand **s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		s[i] = &v[i];
	qsort(s, n, sizeof(*s), cand_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && key_cmp(s[i]->key, s[j]->key) == 0)
			j++;
		for (size_t k = i; k < j; k++)
			s[k]->keep = s[k]->prio == s[i]->prio;
		i = j;
	}
	free(s);
	return 0;
}

static yaml_node_t *node(struct mctx *c, int index)
{
	return yaml_document_get_node(&c->d->doc, index);
}

static int resolve(struct mctx *c, yaml_node_t *m, unsigned depth);

/* The mappings a `<<` value names, each resolved first; *n of them. */
static yaml_node_t **sources(struct mctx *c, yaml_node_t *v, unsigned depth, size_t *n)
{
	size_t cnt = v->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(v) : 1;
	yaml_node_t **src = calloc(cnt ? cnt : 1, sizeof(*src));

	*n = 0;
	if (!src) {
		aclf_err_nomem(c->err);
		return NULL;
	}
	if (v->type != YAML_MAPPING_NODE && (v->type != YAML_SEQUENCE_NODE || cnt == 0)) {
		aclf_yerr(c->d, v, c->err, "merge key '<<': expected a mapping or a list of mappings "
					   "(e.g. *defaults or [*a, *b]), found %s",
			  v->type == YAML_SEQUENCE_NODE ? "an empty list" : "a scalar");
		free(src);
		return NULL;
	}
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *s = v->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, v, i) : v;
		if (!s || s->type != YAML_MAPPING_NODE) {
			aclf_yerr(c->d, s ? s : v, c->err, "merge key '<<': expected a mapping (e.g. "
							   "*defaults), found %s",
				  s && s->type == YAML_SEQUENCE_NODE ? "a list" : "a scalar");
			free(src);
			return NULL;
		}
		if (resolve(c, s, depth + 1) < 0) {
			free(src);
			return NULL;
		}
		src[(*n)++] = s;
	}
	return src;
}

/* The mapping's pairs with the merged ones in place of `<<` (at pos). */
static struct cand *candidates(struct mctx *c, yaml_node_t *m, size_t pos, yaml_node_t **src,
			       size_t nsrc, size_t *n)
{
	size_t own = aclf_ymap_len(m), total = own, k = 0, order = 0;
	struct cand *v;

	for (size_t i = 0; i < nsrc; i++)
		total += aclf_ymap_len(src[i]);
	v = calloc(total ? total : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < own; i++) {
		if (i == pos) {
			for (size_t s = 0; s < nsrc; s++) {
				for (size_t j = 0; j < aclf_ymap_len(src[s]); j++) {
					v[k].pair = src[s]->data.mapping.pairs.start[j];
					v[k].key = node(c, v[k].pair.key);
					v[k].prio = (unsigned)s + 1;
					v[k++].order = order++;
				}
			}
			continue;
		}
		v[k].pair = m->data.mapping.pairs.start[i];
		v[k].key = node(c, v[k].pair.key);
		v[k].prio = 0;
		v[k++].order = order++;
	}
	*n = k;
	return v;
}

/* Replace the pairs of m (node index mi, 0-based) by the kept candidates. */
static int rewrite(struct mctx *c, yaml_node_t *m, size_t mi, const struct cand *v, size_t n)
{
	m->data.mapping.pairs.top = m->data.mapping.pairs.start;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].keep)
			continue;
		if (v[i].prio && ++c->added > MERGE_MAX_PAIRS)
			return aclf_yerr(c->d, m, c->err, "merge keys add more than %u entries to the "
							  "document", MERGE_MAX_PAIRS);
		if (!yaml_document_append_mapping_pair(&c->d->doc, (int)mi + 1, v[i].pair.key,
						       v[i].pair.value))
			return aclf_err_nomem(c->err);
	}
	return 0;
}

static int resolve(struct mctx *c, yaml_node_t *m, unsigned depth)
{
	size_t mi = (size_t)(m - c->d->doc.nodes.start), n = aclf_ymap_len(m), pos = n, nsrc, ncand;
	yaml_node_t **src;
	struct cand *v;
	int rc = -1;

	if (c->state[mi] == M_DONE)
		return 0;
	if (c->state[mi] == M_BUSY)
		return aclf_yerr(c->d, m, c->err, "merge key '<<': the mapping merges itself");
	if (depth > MERGE_MAX_DEPTH)
		return aclf_yerr(c->d, m, c->err, "merge key '<<': merges nested more than %d deep",
				 MERGE_MAX_DEPTH);
	c->state[mi] = M_BUSY;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = aclf_ymap_key_at(c->d, m, i);
		if (!is_merge_key(k))
			continue;
		if (pos == n) {
			pos = i;
			continue;
		}
		c->state[mi] = M_DONE;
		return aclf_yerr(c->d, k, c->err, "duplicate key '<<' (first at line %u), merge "
						  "several mappings with <<: [*a, *b]",
				 aclf_ynode_line(aclf_ymap_key_at(c->d, m, pos)));
	}
	if (pos == n) {
		c->state[mi] = M_DONE;
		return 0;
	}
	if (!(src = sources(c, aclf_ymap_value_at(c->d, m, pos), depth, &nsrc))) {
		c->state[mi] = M_DONE;
		return -1;
	}
	v = candidates(c, m, pos, src, nsrc, &ncand);
	if (!v || pick(v, ncand) < 0)
		aclf_err_nomem(c->err);
	else if (rewrite(c, m, mi, v, ncand) == 0)
		rc = 0;
	free(v);
	free(src);
	c->state[mi] = M_DONE;
	return rc;
}

int aclf_ydoc_merge(struct aclf_ydoc *d, struct aclf_err *err)
{
	size_t n = (size_t)(d->doc.nodes.top - d->doc.nodes.start);
	struct mctx c = { .d = d, .err = err };
	int rc = 0;

	if (!n)
		return 0;
	if (!(c.state = calloc(n, 1)))
		return aclf_err_nomem(err);
	/* an alias names an earlier node, so in document order most merged
	 * mappings are already resolved when they are merged */
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *m = d->doc.nodes.start + i;
		if (m->type == YAML_MAPPING_NODE && c.state[i] != M_DONE && resolve(&c, m, 0) < 0)
			rc = -1;
	}
	free(c.state);
	return rc;
}
