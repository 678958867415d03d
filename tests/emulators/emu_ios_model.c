/* The emulated IOS device's tables: lists, object-groups and interfaces
 * in the order they were made, found by name, made on first use, deleted
 * whole. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"

int eio_grow(void **v, size_t *alloc, size_t n, size_t size)
{
	void *p;
	size_t na;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 8;
	p = realloc(*v, na * size);
	if (!p)
		return -1;
	*v = p;
	*alloc = na;
	return 0;
}

/* ---- the device's tables ------------------------------------------------- */

struct eio_acl *eio_acl_find(struct eio_dev *d, const char *name, uint8_t fam)
{
	for (size_t k = 0; k < d->nacl; k++)
		if (d->acl[k]->fam == fam && !strcmp(d->acl[k]->name, name))
			return d->acl[k];
	return NULL;
}

struct eio_acl *eio_acl_get(struct eio_dev *d, const char *name, uint8_t fam)
{
	struct eio_acl *a = eio_acl_find(d, name, fam);

	if (a)
		return a;
	if (eio_grow((void **)&d->acl, &d->aacl, d->nacl, sizeof(*d->acl)) < 0)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->name = strdup(name);
	if (!a->name) {
		free(a);
		return NULL;
	}
	a->fam = fam;
	d->acl[d->nacl++] = a;
	return a;
}

static void acl_free(struct eio_acl *a)
{
	for (size_t k = 0; k < a->n; k++)
		eio_ace_release(&a->ace[k]);
	free(a->ace);
	free(a->name);
	free(a);
}

void eio_acl_delete(struct eio_dev *d, const char *name, uint8_t fam)
{
	for (size_t k = 0; k < d->nacl; k++)
		if (d->acl[k]->fam == fam && !strcmp(d->acl[k]->name, name)) {
			acl_free(d->acl[k]);
			memmove(d->acl + k, d->acl + k + 1, (d->nacl - k - 1) * sizeof(*d->acl));
			d->nacl--;
			return;
		}
}

struct eio_og *eio_og_find(struct eio_dev *d, const char *name)
{
	for (size_t k = 0; k < d->nog; k++)
		if (!strcmp(d->og[k]->name, name))
			return d->og[k];
	return NULL;
}

struct eio_og *eio_og_get(struct eio_dev *d, const char *name, enum eio_og_kind kind)
{
	struct eio_og *g = eio_og_find(d, name);

	if (g)
		return g->kind == kind ? g : NULL;
	if (eio_grow((void **)&d->og, &d->aog, d->nog, sizeof(*d->og)) < 0)
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->name = strdup(name);
	if (!g->name) {
		free(g);
		return NULL;
	}
	g->kind = kind;
	d->og[d->nog++] = g;
	return g;
}

static void og_free(struct eio_og *g)
{
	for (size_t k = 0; k < g->n; k++)
		eio_member_release(&g->m[k]);
	free(g->m);
	free(g->name);
	free(g);
}

void eio_og_delete(struct eio_dev *d, const char *name)
{
	for (size_t k = 0; k < d->nog; k++)
		if (!strcmp(d->og[k]->name, name)) {
			og_free(d->og[k]);
			memmove(d->og + k, d->og + k + 1, (d->nog - k - 1) * sizeof(*d->og));
			d->nog--;
			return;
		}
}

struct eio_if *eio_if_find(struct eio_dev *d, const char *name)
{
	for (size_t k = 0; k < d->nif; k++)
		if (!strcasecmp(d->ifs[k]->name, name))
			return d->ifs[k];
	return NULL;
}

struct eio_if *eio_if_get(struct eio_dev *d, const char *name)
{
	struct eio_if *f = eio_if_find(d, name);

	if (f)
		return f;
	if (eio_grow((void **)&d->ifs, &d->aif, d->nif, sizeof(*d->ifs)) < 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->name = strdup(name);
	if (!f->name) {
		free(f);
		return NULL;
	}
	d->ifs[d->nif++] = f;
	return f;
}

void eio_dev_free_model(struct eio_dev *d)
{
	for (size_t k = 0; k < d->nacl; k++)
		acl_free(d->acl[k]);
	for (size_t k = 0; k < d->nog; k++)
		og_free(d->og[k]);
	for (size_t k = 0; k < d->nif; k++) {
		struct eio_if *f = d->ifs[k];

		free(f->name);
		free(f->description);
		free(f->acl_in);
		free(f->acl_out);
		free(f->v6_in);
		free(f->v6_out);
		free(f);
	}
	free(d->acl);
	free(d->og);
	free(d->ifs);
	d->acl = NULL;
	d->og = NULL;
	d->ifs = NULL;
	d->nacl = d->nog = d->nif = 0;
}
