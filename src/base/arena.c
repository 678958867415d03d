#include <stdarg.h>
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
}

void aclf_arena_release(struct aclf_arena *a)
{
	struct aclf_arena_chunk *c = a->head, *n;

	while (c) {
		n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->total = 0;
}

void *aclf_arena_alloc(struct aclf_arena *a, size_t size)
{
	struct aclf_arena_chunk *c = a->head;
	size_t need;
	void *p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ALIGN)
		return NULL;
	need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
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
	memset(p, 0, size);
	return p;
}

char *aclf_arena_strndup(struct aclf_arena *a, const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = aclf_arena_alloc(a, n + 1);
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
	int n;
	char *d;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		va_end(ap);
		return NULL;
	}
	d = aclf_arena_alloc(a, (size_t)n + 1);
	if (d)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

int aclf_arena_grow(struct aclf_arena *a, void **v, size_t n, size_t *cap, size_t elsize)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / elsize)
		return -1;
	nv = aclf_arena_alloc(a, ncap * elsize);
	if (!nv)
		return -1;
	if (n)
		memcpy(nv, *v, n * elsize);
	*v = nv;
	*cap = ncap;
	return 0;
}
