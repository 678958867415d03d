/* Varbind lists, numeric OIDs, string indexes and counter deltas: the plain
 * data the transport hands to the drivers (no Net-SNMP here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/snmp.h"

/* A block of varbind memory: OIDs (uint32_t aligned) and strings. */
struct aclf_snmp_vbs_blk {
	struct aclf_snmp_vbs_blk *next;
	size_t used, size;
	uint32_t mem[]; /* size bytes */
};

#define VBS_BLK_BYTES ((size_t)64 << 10)

void aclf_snmp_vbs_init(struct aclf_snmp_vbs *l)
{
	l->v = NULL;
	l->n = l->alloc = 0;
	l->blk = NULL;
}

void aclf_snmp_vbs_release(struct aclf_snmp_vbs *l)
{
	while (l->blk) {
		struct aclf_snmp_vbs_blk *b = l->blk;

		l->blk = b->next;
		free(b);
	}
	free(l->v);
	aclf_snmp_vbs_init(l);
}

/* size bytes, uint32_t aligned, from the list's blocks. A request larger
 * than a quarter of the largest block gets a block of its own behind the one being
 * filled, which stays the one being filled. */
static unsigned char *vbs_mem(struct aclf_snmp_vbs *l, size_t size)
{
	struct aclf_snmp_vbs_blk *b = l->blk;
	size_t bsize;

	size = (size + sizeof(uint32_t) - 1) & ~(sizeof(uint32_t) - 1);
	if (b && b->size - b->used >= size) {
		unsigned char *p = (unsigned char *)b->mem + b->used;

		b->used += size;
		return p;
	}
	if (size > VBS_BLK_BYTES / 4) {
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->used = b->size = size;
		if (l->blk) {
			b->next = l->blk->next;
			l->blk->next = b;
		} else {
			b->next = NULL;
			l->blk = b;
		}
		return (unsigned char *)b->mem;
	}
	/* 4 KiB first (a small table stays small), doubling up to 64 KiB */
	bsize = l->blk && l->blk->size < VBS_BLK_BYTES ? l->blk->size * 2 :
		l->blk ? VBS_BLK_BYTES : (size_t)4 << 10;
	bsize = bsize < size ? size : bsize;
	b = malloc(sizeof(*b) + bsize);
	if (!b)
		return NULL;
	b->size = bsize;
	b->used = size;
	b->next = l->blk;
	l->blk = b;
	return (unsigned char *)b->mem;
}

int aclf_snmp_vbs_add(struct aclf_snmp_vbs *l, const uint32_t *oid, size_t oid_len,
		      enum aclf_snmp_type type, uint64_t u, int64_t i, const void *str,
		      size_t str_len)
{
	struct aclf_snmp_vb *vb;
	size_t osz = oid_len * sizeof(uint32_t);
	unsigned char *mem;

	if (oid_len > ACLF_SNMP_MAX_OID || str_len > ((size_t)1 << 20))
		return -1;
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 64;
		struct aclf_snmp_vb *nv = realloc(l->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
		l->alloc = na;
	}
	mem = vbs_mem(l, osz + str_len + 1);
	if (!mem)
		return -1;
	vb = &l->v[l->n++];
	vb->oid = (uint32_t *)(void *)mem;
	if (osz)
		memcpy(mem, oid, osz);
	vb->oid_len = oid_len;
	vb->type = type;
	vb->u = u;
	vb->i = i;
	vb->str = mem + osz;
	if (str_len)
		memcpy(vb->str, str, str_len);
	vb->str[str_len] = 0;
	vb->str_len = str_len;
	return 0;
}

/* src's blocks go behind dst's block being filled (dst keeps filling it). */
static void vbs_take_blocks(struct aclf_snmp_vbs *dst, struct aclf_snmp_vbs *src)
{
	struct aclf_snmp_vbs_blk *last = src->blk;

	if (!last)
		return;
	if (!dst->blk) {
		dst->blk = src->blk;
	} else {
		while (last->next)
			last = last->next;
		last->next = dst->blk->next;
		dst->blk->next = src->blk;
	}
	src->blk = NULL;
}

int aclf_snmp_vbs_splice(struct aclf_snmp_vbs *dst, struct aclf_snmp_vbs *src)
{
	if (!src->n) {
		aclf_snmp_vbs_release(src);
		return 0;
	}
	if (!dst->n) {
		struct aclf_snmp_vbs_blk *keep = dst->blk;

		free(dst->v);
		dst->v = src->v;
		dst->n = src->n;
		dst->alloc = src->alloc;
		dst->blk = keep;
		src->v = NULL;
		src->n = src->alloc = 0;
		vbs_take_blocks(dst, src);
		return 0;
	}
	if (dst->alloc - dst->n < src->n) {
		size_t na = dst->n + src->n;
		struct aclf_snmp_vb *nv = realloc(dst->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		dst->v = nv;
		dst->alloc = na;
	}
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = src->alloc = 0;
	vbs_take_blocks(dst, src);
	return 0;
}

const char *aclf_snmp_type_name(enum aclf_snmp_type t)
{
	switch (t) {
	case ACLF_SNMP_INTEGER:
		return "integer";
	case ACLF_SNMP_OCTETS:
		return "octet string";
	case ACLF_SNMP_NULL:
		return "null";
	case ACLF_SNMP_OBJID:
		return "object identifier";
	case ACLF_SNMP_IPADDR:
		return "ip address";
	case ACLF_SNMP_COUNTER32:
		return "counter32";
	case ACLF_SNMP_GAUGE32:
		return "gauge32";
	case ACLF_SNMP_TIMETICKS:
		return "timeticks";
	case ACLF_SNMP_OPAQUE:
		return "opaque";
	case ACLF_SNMP_COUNTER64:
		return "counter64";
	case ACLF_SNMP_NOSUCHOBJECT:
		return "noSuchObject";
	case ACLF_SNMP_NOSUCHINSTANCE:
		return "noSuchInstance";
	case ACLF_SNMP_ENDOFMIB:
		return "endOfMibView";
	case ACLF_SNMP_OTHER:
		return "unknown type";
	}
	return "unknown type";
}

int aclf_snmp_vb_counter(const struct aclf_snmp_vb *vb, uint64_t *out)
{
	switch (vb->type) {
	case ACLF_SNMP_COUNTER32:
	case ACLF_SNMP_GAUGE32:
	case ACLF_SNMP_COUNTER64:
		*out = vb->u;
		return 0;
	default:
		return -1;
	}
}

int aclf_snmp_oid_parse(const char *text, uint32_t *out, size_t max)
{
	const char *p = text;
	size_t n = 0;

	if (*p == '.')
		p++;
	if (!*p)
		return -1;
	for (;;) {
		uint64_t v = 0;

		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (uint64_t)(*p++ - '0');
			if (v > UINT32_MAX)
				return -1;
		}
		if (n == max)
			return -1;
		out[n++] = (uint32_t)v;
		if (!*p)
			return (int)n;
		if (*p++ != '.')
			return -1;
	}
}

const char *aclf_snmp_oid_str(const uint32_t *oid, size_t len, char *buf, size_t size)
{
	size_t at = 0;

	if (!size)
		return buf;
	buf[0] = 0;
	for (size_t k = 0; k < len; k++) {
		char one[16];
		int w = snprintf(one, sizeof(one), "%s%u", k ? "." : "", oid[k]);

		if (w < 0 || at + (size_t)w + 4 > size) {
			if (at + 4 <= size)
				memcpy(buf + at, "...", 4);
			return buf;
		}
		memcpy(buf + at, one, (size_t)w + 1);
		at += (size_t)w;
	}
	return buf;
}

bool aclf_snmp_oid_under(const uint32_t *oid, size_t len, const uint32_t *root, size_t rlen)
{
	return len > rlen && !memcmp(oid, root, rlen * sizeof(*root));
}

int aclf_snmp_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t m = alen < blen ? alen : blen;

	for (size_t k = 0; k < m; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int aclf_snmp_index_string(const uint32_t *oid, size_t len, size_t *pos, char *out, size_t size)
{
	size_t p = *pos, n;

	if (p >= len)
		return -1;
	n = oid[p++];
	if (n > len - p || n + 1 > size)
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (oid[p + k] == 0 || oid[p + k] > 255)
			return -1;
		out[k] = (char)oid[p + k];
	}
	out[n] = 0;
	*pos = p + n;
	return (int)n;
}

int aclf_snmp_index_encode(uint32_t *oid, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 + n > ACLF_SNMP_MAX_OID)
		return -1;
	oid[(*len)++] = (uint32_t)n;
	for (size_t k = 0; k < n; k++)
		oid[(*len)++] = (unsigned char)s[k];
	return 0;
}

int aclf_snmp_req_set(struct aclf_snmp_req *r, const char *oid, bool get)
{
	int n = aclf_snmp_oid_parse(oid, r->oid, ACLF_SNMP_MAX_OID);

	if (n < 1)
		return -1;
	r->oid_len = (size_t)n;
	r->get = get;
	return 0;
}

enum aclf_snmp_delta_kind aclf_snmp_delta(uint64_t a, uint64_t a_uptime, unsigned a_bits,
					  uint64_t b, uint64_t b_uptime, unsigned b_bits,
					  uint64_t *delta)
{
	if (b_uptime < a_uptime || a_bits != b_bits) {
		*delta = b;
		return ACLF_SNMP_DELTA_RESTART;
	}
	if (b >= a) {
		*delta = b - a;
		return ACLF_SNMP_DELTA_OK;
	}
	if (a_bits == 32)
		*delta = ((uint64_t)1 << 32) - (a & 0xffffffffu) + (b & 0xffffffffu);
	else
		*delta = b - a; /* modulo 2^64 by unsigned arithmetic */
	return ACLF_SNMP_DELTA_WRAP;
}
