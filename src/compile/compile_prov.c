/* The provenance of compiled rules: each rule's (kind, ref) pairs, first
 * occurrence first and without repeats (as aclf_rule_add_prov keeps them),
 * gathered in a scratch list and stored once at their exact size; every
 * string is the policy's one copy of it (cc_str), so repeats cost a
 * pointer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "compile_int.h"

#define ACLF_PROV_MAX_OBJS 8

const char *cc_str(struct cctx *c, const char *s)
{
	struct cstrs *t = &c->strs;
	uint64_t h = aclf_hash_str(s);
	size_t it;
	char *d;

	for (size_t e = aclf_htab_find(&t->idx, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&t->idx, h, &it))
		if (!strcmp(t->v[e], s))
			return t->v[e];
	if (t->n == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 64;
		const char **nv = realloc(t->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		t->v = nv;
		t->cap = nc;
	}
	if (!(d = aclf_arena_strdup(c->a, s)) || aclf_htab_put(&t->idx, h, t->n) < 0)
		return NULL;
	t->v[t->n++] = d;
	return d;
}

/* ---- strings that stay put while compiling (literals, the catalog's and
 * topology's, the policy's): remembered by address, hashed once ---- */

static const struct cptr *ptr_find(const struct cptrs *m, const void *k, uint64_t h)
{
	size_t it;

	for (size_t e = aclf_htab_find(&m->idx, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&m->idx, h, &it))
		if (m->v[e].k == k)
			return &m->v[e];
	return NULL;
}

static int ptr_add(struct cptrs *m, const void *k, uint64_t h, const char *a, const char *b)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? 2 * m->cap : 64;
		struct cptr *nv = realloc(m->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		m->v = nv;
		m->cap = nc;
	}
	if (aclf_htab_put(&m->idx, h, m->n) < 0)
		return -1;
	m->v[m->n].k = k;
	m->v[m->n].a = a;
	m->v[m->n].b = b;
	m->n++;
	return 0;
}

static uint64_t ptr_hash(const void *k)
{
	return aclf_hash_add(ACLF_HASH_INIT, &k, sizeof(k));
}

/* cc_str of a string whose address does not change while compiling. */
static const char *stable_str(struct cctx *c, const char *s)
{
	uint64_t h = ptr_hash(s);
	const struct cptr *e = ptr_find(&c->stable, s, h);
	const char *d;

	if (e)
		return e->a;
	d = cc_str(c, s);
	if (d && ptr_add(&c->stable, s, h, d, NULL) < 0)
		return NULL;
	return d;
}

/* A peer object "kind:name" split once: its kind and name, interned. */
static int split_obj(struct cctx *c, const char *o, const char **kind, const char **name)
{
	uint64_t h = ptr_hash(o);
	const struct cptr *e = ptr_find(&c->objs, o, h);
	const char *colon;
	char buf[32];
	size_t kl;

	if (e) {
		*kind = e->a;
		*name = e->b;
		return 0;
	}
	*kind = *name = NULL;
	colon = strchr(o, ':');
	kl = colon ? (size_t)(colon - o) : 0;
	if (colon && kl < sizeof(buf)) {
		memcpy(buf, o, kl);
		buf[kl] = '\0';
		if (!(*kind = cc_str(c, buf)) || !(*name = cc_str(c, colon + 1)))
			return -1;
	}
	return ptr_add(&c->objs, o, h, *kind, *name);
}

void cc_strs_release(struct cctx *c)
{
	aclf_htab_free(&c->stable.idx);
	free(c->stable.v);
	aclf_htab_free(&c->objs.idx);
	free(c->objs.v);
	memset(&c->stable, 0, sizeof(c->stable));
	memset(&c->objs, 0, sizeof(c->objs));
	aclf_htab_free(&c->strs.idx);
	free(c->strs.v);
	free(c->seed_refs);
	free(c->rule_ids);
	free(c->pb.v);
	free(c->pb.slot);
	memset(&c->strs, 0, sizeof(c->strs));
	c->seed_refs = NULL;
	c->rule_ids = NULL;
	c->nrule_ids = 0;
	memset(&c->pb, 0, sizeof(c->pb));
}

/* "r0007": the one copy of each rule id. */
const char *cc_rule_id(struct cctx *c, size_t seq)
{
	char buf[32];

	if (seq >= c->nrule_ids) {
		size_t n = c->nrule_ids ? 2 * c->nrule_ids : 256;
		const char **nv;
		while (n <= seq)
			n *= 2;
		nv = realloc(c->rule_ids, n * sizeof(*nv));
		if (!nv)
			return NULL;
		memset(nv + c->nrule_ids, 0, (n - c->nrule_ids) * sizeof(*nv));
		c->rule_ids = nv;
		c->nrule_ids = n;
	}
	if (!c->rule_ids[seq]) {
		snprintf(buf, sizeof(buf), "r%04zu", seq);
		c->rule_ids[seq] = aclf_arena_strdup(c->a, buf);
	}
	return c->rule_ids[seq];
}

/* "server:3": a catalog row's seed reference, made once per row. */
static const char *seed_ref(struct cctx *c, const struct aclf_cat_row *row)
{
	size_t k = (size_t)(row - c->cat->rows);
	char buf[64];

	if (!c->seed_refs && !(c->seed_refs = calloc(c->cat->nrows ? c->cat->nrows : 1, sizeof(*c->seed_refs))))
		return NULL;
	if (!c->seed_refs[k]) {
		snprintf(buf, sizeof(buf), "%s:%u", aclf_cat_table_name(row->table), row->seed_row);
		c->seed_refs[k] = cc_str(c, buf);
	}
	return c->seed_refs[k];
}

/* ---- one rule's list: a set of (kind, ref) pairs by their interned
 * addresses, emptied by bumping its generation ---- */

struct cprov_slot {
	uint32_t gen, e;
};

void cc_prov_start(struct cctx *c)
{
	c->pb.n = 0;
	if (++c->pb.gen == 0) { /* wrapped: every stamp is stale anyway */
		memset(c->pb.slot, 0, c->pb.nslot * sizeof(*c->pb.slot));
		c->pb.gen = 1;
	}
}

static uint64_t pair_hash(const char *kind, const char *ref)
{
	const void *k[2] = { kind, ref };

	return aclf_hash_add(ACLF_HASH_INIT, k, sizeof(k));
}

static int rehash(struct cprovs *b, size_t nslot)
{
	struct cprov_slot *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -1;
	free(b->slot);
	b->slot = s;
	b->nslot = nslot;
	for (size_t i = 0; i < b->n; i++) {
		size_t j = pair_hash(b->v[i].kind, b->v[i].ref) & (nslot - 1);
		while (s[j].gen == b->gen)
			j = (j + 1) & (nslot - 1);
		s[j].gen = b->gen;
		s[j].e = (uint32_t)i;
	}
	return 0;
}

/* Add (k, r) unless the rule has it; both already the policy's copies. */
static int prov_add(struct cctx *c, const char *k, const char *r)
{
	struct cprovs *b = &c->pb;
	size_t j;

	if (!k || !r)
		return aclf_err_nomem(c->err);
	if (2 * (b->n + 1) > b->nslot && rehash(b, b->nslot ? 2 * b->nslot : 64) < 0)
		return aclf_err_nomem(c->err);
	for (j = pair_hash(k, r) & (b->nslot - 1); b->slot[j].gen == b->gen; j = (j + 1) & (b->nslot - 1))
		if (b->v[b->slot[j].e].kind == k && b->v[b->slot[j].e].ref == r)
			return 0;
	if (b->n == b->cap) {
		size_t nc = b->cap ? 2 * b->cap : 32;
		struct aclf_prov *nv = realloc(b->v, nc * sizeof(*nv));
		if (!nv)
			return aclf_err_nomem(c->err);
		b->v = nv;
		b->cap = nc;
	}
	b->slot[j].gen = b->gen;
	b->slot[j].e = (uint32_t)b->n;
	b->v[b->n].kind = k;
	b->v[b->n].ref = r;
	b->n++;
	return 0;
}

/* Add (kind, ref), strings whose addresses stay put while compiling. */
int cc_prov_add(struct cctx *c, const char *kind, const char *ref)
{
	return prov_add(c, stable_str(c, kind), stable_str(c, ref));
}

/* The list made since cc_prov_start becomes r's, at its exact size. */
int cc_prov_finish(struct cctx *c, struct aclf_rule *r)
{
	struct cprovs *b = &c->pb;

	r->prov = NULL;
	r->nprov = r->prov_cap = 0;
	if (!b->n)
		return 0;
	r->prov = aclf_arena_alloc_raw(c->a, b->n * sizeof(*r->prov));
	if (!r->prov)
		return aclf_err_nomem(c->err);
	memcpy(r->prov, b->v, b->n * sizeof(*r->prov));
	r->nprov = r->prov_cap = b->n;
	return 0;
}

int cc_add_rule_prov(struct cctx *c, const struct cflow *f, bool brief)
{
	const struct cpeer *peers[2] = { &f->src, &f->dst };

	if (f->row) {
		const char *seed = seed_ref(c, f->row);
		if (!seed || cc_prov_add(c, "catalog", f->row->id) < 0 || prov_add(c, stable_str(c, "seed"), seed) < 0 ||
		    cc_prov_add(c, "role", f->row->role) < 0)
			return aclf_err_nomem(c->err);
	} else if (f->site) {
		char ref[32];
		snprintf(ref, sizeof(ref), "%zu", f->site_index + 1);
		/* ref is on the stack: interned by its contents */
		if (prov_add(c, stable_str(c, "topology-rule"), cc_str(c, ref)) < 0)
			return -1;
	}
	/* a rule merged from many flows names its catalog rows, not every
	 * pool and network behind them */
	for (size_t k = 0; k < 2 && !brief; k++) {
		/* a class of many pools or networks is named by its class, not
		 * object by object: provenance stays readable and small */
		if (peers[k]->key && peers[k]->nobjs > ACLF_PROV_MAX_OBJS) {
			if (cc_prov_add(c, "peer", peers[k]->key) < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < peers[k]->nobjs; i++) {
			const char *kind, *name;
			if (split_obj(c, peers[k]->objs[i], &kind, &name) < 0)
				return aclf_err_nomem(c->err);
			if (kind && prov_add(c, kind, name) < 0)
				return -1;
		}
	}
	return 0;
}
