/* Internal helpers shared by the policy JSON writer and reader: the JSON
 * path of the value being handled ("devices[0].filters[1].rules[3].dst[2]"),
 * kept in a growable buffer and restored by length. */
#ifndef ACLFORGE_POLICY_JSON_INT_H
#define ACLFORGE_POLICY_JSON_INT_H

#include <stddef.h>

#include "aclforge/buf.h"

/* Append ".key" (or "key" at the root); returns the old length for pjson_path_pop. */
static inline size_t pjson_path_key(struct aclf_buf *path, const char *key)
{
	size_t old = path->len;

	if (path->len)
		aclf_buf_putc(path, '.');
	aclf_buf_puts(path, key);
	return old;
}

/* Append "[i]"; returns the old length. */
static inline size_t pjson_path_index(struct aclf_buf *path, size_t i)
{
	size_t old = path->len;

	aclf_buf_printf(path, "[%zu]", i);
	return old;
}

static inline void pjson_path_pop(struct aclf_buf *path, size_t old)
{
	if (old <= path->len) {
		path->len = old;
		if (path->alloc)
			path->buf[old] = '\0';
	}
}

#endif
