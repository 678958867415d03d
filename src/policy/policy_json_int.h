/* Internal helpers of the policy JSON writer and reader: the JSON path of
 * the value being handled ("devices[0].filters[1].rules[3].dst[2]"), kept
 * in a growable buffer and restored by length; the reader's context and
 * its typed, path-reporting getters (policy_json_get.c). */
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

/* ---- reader (policy_json_get.c, policy_json_read.c) ---- */

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct aclf_policy;
struct aclf_err;
struct aclf_prefix;
struct aclf_prefix_set;
struct aclf_port_set;

#define PJSON_MAX_ERRORS 20 /* collected before the reader gives up */
#define PJSON_QUOTE_MAX 64  /* bytes of a found string quoted in a message */

struct pjson_rctx {
	struct aclf_policy *p; /* the policy being filled */
	struct aclf_err *err;
	const char *name;      /* file name for messages */
	struct aclf_buf path;  /* JSON path of the value being read */
	unsigned nerr;         /* errors seen (recorded up to PJSON_MAX_ERRORS) */
	bool nomem;
};

/* Flags for the getters: required key, null allowed (= absent). */
enum { OPT = 0, REQ = 1, NULLOK = 2 };

/* True when reading should stop: out of memory or too many errors. */
bool pjson_stop(const struct pjson_rctx *c);
/* Record out of memory; returns -1. */
int pjson_nomem(struct pjson_rctx *c);
/* Record "name: path: message"; returns -1. */
int pjson_err(struct pjson_rctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record "expected <what>, found <v>"; returns -1. */
int pjson_expected(struct pjson_rctx *c, const char *what, const json_t *v);
/* Append s quoted and escaped, cut after PJSON_QUOTE_MAX bytes. */
void pjson_quote(struct aclf_buf *b, const char *s);
/* Every key of obj must be in allowed (NULL-terminated); 0 or -1. */
int pjson_keys(struct pjson_rctx *c, json_t *obj, const char *const *allowed);

/* Getters for obj[key]: 1 = read into *out, 0 = absent (or null with
 * NULLOK; *out untouched except pjson_str, which sets NULL), -1 = error
 * recorded with the path of the value. */
int pjson_get(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_t **out);
/* A string, copied into the policy arena. */
int pjson_str(struct pjson_rctx *c, json_t *obj, const char *key, int flags, const char **out);
int pjson_int(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_int_t lo,
	      json_int_t hi, json_int_t *out);
int pjson_u16(struct pjson_rctx *c, json_t *obj, const char *key, int flags, uint16_t *out);
int pjson_uint(struct pjson_rctx *c, json_t *obj, const char *key, int flags, unsigned *out);
int pjson_bool(struct pjson_rctx *c, json_t *obj, const char *key, int flags, bool *out);
/* One of names[0..n-1]; *out is its index. */
int pjson_enum(struct pjson_rctx *c, json_t *obj, const char *key, int flags,
	       const char *const *names, size_t n, int *out);
/* An object or an array (type JSON_OBJECT / JSON_ARRAY). */
int pjson_typed(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_type type,
		json_t **out);
/* Required protocol: a name ("tcp", "gre") or a number 0-255. */
int pjson_proto(struct pjson_rctx *c, json_t *obj, const char *key, int *out);
/* Required non-empty list of prefixes or bare addresses, merged. */
int pjson_pset(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_prefix_set *out);
/* Optional list of [lo, hi] port ranges, merged; absent or [] = any. */
int pjson_ports(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_port_set *out);
/* Required single address ("10.1.1.10", "10.1.1.10/32", "2001:db8::10"). */
int pjson_host(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_prefix *out);
/* name must not be in seen yet (a JSON object used as a set); it is added.
 * An error names path.key and "duplicate <what> <name>". NULL name: 0. */
int pjson_unique(struct pjson_rctx *c, json_t *seen, const char *what, const char *key,
		 const char *name);

#endif
