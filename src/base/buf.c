#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aclforge/buf.h"

static char empty_str[1];

void aclf_buf_init(struct aclf_buf *b, size_t cap)
{
	b->buf = empty_str;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->sink = NULL;
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

int aclf_buf_flush(struct aclf_buf *b)
{
	if (!b->sink || !b->len)
		return 0;
	if (b->sink->write(b->sink->ctx, b->buf, b->len) < 0)
		return -1;
	b->len = 0;
	b->buf[0] = '\0';
	return 0;
}

int aclf_buf_flush_point(struct aclf_buf *b)
{
	return b->sink && b->len >= b->sink->chunk ? aclf_buf_flush(b) : 0;
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
	struct stat st;
	char tmp[8192];
	size_t n;
	int rc = 0, e = 0;

	if (!f)
		return -1;
	/* a directory opens on Linux and fails on the first read with EISDIR;
	 * say so before reading, whatever the system */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return -1;
	}
	errno = 0;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (aclf_buf_add(b, tmp, n) < 0) {
			e = b->cap && n > b->cap - b->len ? EFBIG : ENOMEM;
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		e = errno ? errno : EIO; /* the read's own reason */
		rc = -1;
	}
	fclose(f);
	if (rc)
		errno = e;
	return rc;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point, or 0 when s does not start one. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not text */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* How many bytes of s are safe as they are (stops at the first to escape). */
static size_t clean_prefix(const char *s, size_t len, bool quoted)
{
	size_t i = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		unsigned long cp;
		size_t n;
		if (ch >= 0x20 && ch < 0x7f) {
			if (quoted && (ch == '"' || ch == '\\'))
				break;
			i++;
			continue;
		}
		if (ch < 0x80 || !(n = utf8_seq((const unsigned char *)s + i, len - i, &cp)) ||
		    (cp >= 0x80 && cp <= 0x9f))
			break;
		i += n;
	}
	return i;
}

int aclf_buf_add_escaped(struct aclf_buf *b, const char *s, size_t len, bool quoted)
{
	size_t i = 0;
	int rc = 0;

	while (i < len && !rc) {
		size_t k = clean_prefix(s + i, len - i, quoted);
		unsigned char ch;
		unsigned long cp;
		size_t n;

		if (k) {
			rc = aclf_buf_add(b, s + i, k);
			i += k;
			continue;
		}
		ch = (unsigned char)s[i];
		if (ch == '\n')
			rc = aclf_buf_puts(b, "\\n");
		else if (ch == '\r')
			rc = aclf_buf_puts(b, "\\r");
		else if (ch == '\t')
			rc = aclf_buf_puts(b, "\\t");
		else if (ch == '"' || ch == '\\')
			rc = aclf_buf_printf(b, "\\%c", ch);
		else if (ch >= 0x80 && (n = utf8_seq((const unsigned char *)s + i, len - i, &cp))) {
			rc = aclf_buf_printf(b, "\\u%04lx", cp); /* a C1 control */
			i += n;
			continue;
		} else {
			rc = aclf_buf_printf(b, "\\x%02x", ch);
		}
		i++;
	}
	return rc ? -1 : 0;
}

int aclf_buf_vprintf_escaped(struct aclf_buf *b, const char *fmt, va_list ap)
{
	size_t start = b->len, end, len;
	bool nl;
	char *copy;
	int rc;

	if (aclf_buf_vprintf(b, fmt, ap) < 0)
		return -1;
	len = b->len - start;
	nl = len && b->buf[b->len - 1] == '\n'; /* the line's own end stays */
	end = len - nl;
	if (clean_prefix(b->buf + start, end, false) == end)
		return 0;
	if (!(copy = malloc(len))) {
		aclf_buf_truncate(b, start);
		return -1;
	}
	memcpy(copy, b->buf + start, len);
	aclf_buf_truncate(b, start);
	rc = aclf_buf_add_escaped(b, copy, end, false);
	if (!rc && nl)
		rc = aclf_buf_putc(b, '\n');
	free(copy);
	if (rc)
		aclf_buf_truncate(b, start);
	return rc;
}

int aclf_buf_printf_escaped(struct aclf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = aclf_buf_vprintf_escaped(b, fmt, ap);
	va_end(ap);
	return rc;
}

int aclf_buf_puts_escaped(struct aclf_buf *b, const char *s, bool quoted)
{
	return aclf_buf_add_escaped(b, s, strlen(s), quoted);
}
