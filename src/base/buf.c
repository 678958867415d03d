#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"

static char empty_str[1];

void aclf_buf_init(struct aclf_buf *b, size_t cap)
{
	b->buf = empty_str;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void aclf_buf_release(struct aclf_buf *b)
{
	if (b->alloc)
		free(b->buf);
	b->buf = empty_str;
	b->len = 0;
	b->alloc = 0;
}

void aclf_buf_reset(struct aclf_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

void aclf_buf_truncate(struct aclf_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->buf[len] = '\0';
}

static int grow(struct aclf_buf *b, size_t extra)
{
	size_t need, nalloc;
	char *n;

	if (b->buf == NULL)
		aclf_buf_init(b, 0);
	if (extra > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (b->cap && need - 1 > b->cap)
		return -1;
	if (need <= b->alloc)
		return 0;
	nalloc = b->alloc ? b->alloc : 64;
	while (nalloc < need)
		nalloc = nalloc < SIZE_MAX / 2 ? nalloc * 2 : need;
	n = b->alloc ? realloc(b->buf, nalloc) : malloc(nalloc);
	if (!n)
		return -1;
	if (!b->alloc)
		n[0] = '\0';
	b->buf = n;
	b->alloc = nalloc;
	return 0;
}

int aclf_buf_add(struct aclf_buf *b, const void *data, size_t len)
{
	if (grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return 0;
}

int aclf_buf_puts(struct aclf_buf *b, const char *s)
{
	return aclf_buf_add(b, s, strlen(s));
}

int aclf_buf_putc(struct aclf_buf *b, char c)
{
	return aclf_buf_add(b, &c, 1);
}

int aclf_buf_vprintf(struct aclf_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int aclf_buf_printf(struct aclf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = aclf_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *aclf_buf_detach(struct aclf_buf *b, size_t *len)
{
	char *r;

	if (!b->alloc && grow(b, 0) < 0)
		return NULL;
	if (!b->alloc) {
		r = malloc(1);
		if (r)
			r[0] = '\0';
	} else {
		r = b->buf;
	}
	if (len)
		*len = b->len;
	b->buf = empty_str;
	b->len = 0;
	b->alloc = 0;
	return r;
}

int aclf_buf_read_file(struct aclf_buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	char tmp[8192];
	size_t n;
	int rc = 0;

	if (!f)
		return -1;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (aclf_buf_add(b, tmp, n) < 0) {
			errno = EFBIG;
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		errno = EIO;
		rc = -1;
	}
	fclose(f);
	return rc;
}
