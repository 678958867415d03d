#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"

#define CHUNK_MIN (64u * 1024u)
#define ALIGN 16u

struct aclf_arena_chunk {
	struct aclf_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void aclf_arena_init(struct aclf_arena *a)
{
	a->head = NULL;
	a->total = 0;
	a->dead = 0;
	a->last = NULL;
}

void aclf_arena_release(struct aclf_arena *a)
{
	struct aclf_arena_chunk *c = a->head, *n;

	while (c) {
		n = c->next;
		free(c);
		c = n;
	}
	aclf_arena_init(a);
}

void aclf_arena_reset(struct aclf_arena *a)
{
	struct aclf_arena_chunk *keep = a->head, *c, *n;

	if (!keep)
		return;
	for (c = keep->next; c; c = n) {
		n = c->next;
		free(c);
	}
	keep->next = NULL;
	keep->used = 0;
	a->total = 0;
	a->dead = 0;
	a->last = NULL;
}

static size_t round_up(size_t size)
{
	return (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

void *aclf_arena_alloc_raw(struct aclf_arena *a, size_t size)
{
	struct aclf_arena_chunk *c = a->head;
	size_t need;
	void *p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ALIGN - sizeof(*c))
		return NULL;
	need = round_up(size);
	if (!c || c->size - c->used < need) {
		size_t csize = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		/* a big one-off chunk goes behind the head so the head keeps its space */
		if (a->head && need > CHUNK_MIN) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	a->total += need;
	if (c == a->head)
		a->last = p;
	return p;
}

void *aclf_arena_alloc(struct aclf_arena *a, size_t size)
{
	void *p = aclf_arena_alloc_raw(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *aclf_arena_strndup(struct aclf_arena *a, const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = aclf_arena_alloc_raw(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *aclf_arena_strdup(struct aclf_arena *a, const char *s)
{
	return s ? aclf_arena_strndup(a, s, strlen(s)) : NULL;
}

char *aclf_arena_printf(struct aclf_arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	char small[256];
	int n;
	char *d;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0) {
		va_end(ap);
		return NULL;
	}
	d = aclf_arena_alloc_raw(a, (size_t)n + 1);
	if (d && (size_t)n < sizeof(small))
		memcpy(d, small, (size_t)n + 1);
	else if (d)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

/* Extend the allocation p (old bytes) to size bytes where it lies: only
 * when it is the latest allocation at the top of the head chunk and the
 * chunk has room. Its bytes never move, so a copy of the pointer held
 * elsewhere (arrays shared between rules) stays valid. */
static bool extend(struct aclf_arena *a, void *p, size_t old, size_t size)
{
	struct aclf_arena_chunk *c = a->head;
	size_t need = round_up(size), had = round_up(old);

	if (!c || a->last != p || (unsigned char *)p + had != c->data + c->used ||
	    c->size - (c->used - had) < need)
		return false;
	c->used += need - had;
	a->total += need - had;
	return true;
}

int aclf_arena_grow(struct aclf_arena *a, void **v, size_t n, size_t *cap, size_t elsize)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	/* large elements start small: a parse makes one array per access
	 * list, filter and rule, and most of them hold a few elements */
	ncap = *cap ? *cap * 2 : elsize >= 128 ? 2 : 8;
	if (ncap > (SIZE_MAX - ALIGN - 64) / elsize)
		return -1;
	if (*v && *cap && extend(a, *v, *cap * elsize, ncap * elsize)) {
		nv = *v;
	} else {
		nv = aclf_arena_alloc_raw(a, ncap * elsize);
		if (!nv)
			return -1;
		if (n)
			memcpy(nv, *v, n * elsize);
		if (*v)
			a->dead += round_up(*cap * elsize);
	}
	memset((unsigned char *)nv + n * elsize, 0, (ncap - n) * elsize);
	*v = nv;
	*cap = ncap;
	return 0;
}
