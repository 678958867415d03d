/* Growable, always NUL-terminated byte buffer (git strbuf style).
 * `buf` is never NULL after init; aclf_buf_detach() is the only way to take
 * ownership of the memory. A size cap guards against unbounded device output. */
#ifndef ACLFORGE_BUF_H
#define ACLFORGE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Where a buffer's bytes may go before it is done (a file being written):
 * aclf_buf_flush_point hands them to write once chunk bytes are held. */
struct aclf_buf_sink {
	int (*write)(void *ctx, const char *data, size_t len); /* 0, or -1 */
	void *ctx;
	size_t chunk;
};

struct aclf_buf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t cap; /* 0 = no cap; otherwise appends beyond cap fail */
	const struct aclf_buf_sink *sink; /* NULL: the bytes stay (aclf_buf_init) */
};

#define ACLF_BUF_INIT { NULL, 0, 0, 0, NULL }

void aclf_buf_init(struct aclf_buf *b, size_t cap);
void aclf_buf_release(struct aclf_buf *b);
void aclf_buf_reset(struct aclf_buf *b);
/* Shorten to len bytes (no-op when already shorter). */
void aclf_buf_truncate(struct aclf_buf *b, size_t len);
/* A place where a writer has nothing to look back at (the bytes so far may
 * leave the buffer): with a sink and at least its chunk held, the bytes go
 * to it and the buffer is emptied. 0, or -1 when the sink failed. Without a
 * sink nothing happens, so output is the same either way. */
int aclf_buf_flush_point(struct aclf_buf *b);
/* Whatever is held goes to the sink (none: nothing happens). 0 or -1. */
int aclf_buf_flush(struct aclf_buf *b);
/* All appends return 0 on success, -1 when out of memory or over the cap. */
int aclf_buf_add(struct aclf_buf *b, const void *data, size_t len);
int aclf_buf_puts(struct aclf_buf *b, const char *s);
int aclf_buf_putc(struct aclf_buf *b, char c);
int aclf_buf_printf(struct aclf_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int aclf_buf_vprintf(struct aclf_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the heap string (never NULL unless out of memory); b is reset. */
char *aclf_buf_detach(struct aclf_buf *b, size_t *len);
/* Text for people that may quote outside strings (topology names, seed
 * cells, file names, device text) goes through these, so that nothing it
 * holds can forge an output line or drive a terminal: control characters
 * become \n \r \t \xNN, the C1 controls (U+0080-U+009F) \u0080-\u009f,
 * bytes that are not UTF-8 \xNN; with quoted, '"' and '\' become \" and
 * \\ (for text between double quotes). */
int aclf_buf_add_escaped(struct aclf_buf *b, const char *s, size_t len, bool quoted);
int aclf_buf_puts_escaped(struct aclf_buf *b, const char *s, bool quoted);
/* printf whose whole result is escaped as above, but for one final newline,
 * which stays: one call, at most one line. */
int aclf_buf_printf_escaped(struct aclf_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int aclf_buf_vprintf_escaped(struct aclf_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Read a whole file; returns 0 or -1 with errno set: the system's reason,
 * EISDIR for a directory, EFBIG beyond the cap, ENOMEM. */
int aclf_buf_read_file(struct aclf_buf *b, const char *path);

#endif
