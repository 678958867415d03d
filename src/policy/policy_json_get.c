/* The policy JSON reader's getters: each reads one key of a jansson object,
 * checks its type and value, and on failure records an error naming the
 * JSON path and what was found. Used by policy_json_read.c. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "policy_json_int.h"

bool pjson_stop(const struct pjson_rctx *c)
{
	return c->nomem || c->nerr >= PJSON_MAX_ERRORS;
}

int pjson_nomem(struct pjson_rctx *c)
{
	if (!c->nomem)
		aclf_err_set(c->err, ACLF_E_NOMEM, "%s: out of memory while reading json", c->name);
	c->nomem = true;
	return -1;
}

/* Append s as a quoted, escaped string, cut after PJSON_QUOTE_MAX bytes. */
void pjson_quote(struct aclf_buf *b, const char *s)
{
	size_t n = strlen(s), cut = n;

	if (cut > PJSON_QUOTE_MAX) {
		cut = PJSON_QUOTE_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--; /* do not split a UTF-8 sequence */
	}
	aclf_buf_putc(b, '"');
	for (size_t i = 0; i < cut; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			aclf_buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			aclf_buf_printf(b, "\\u%04x", ch);
		else
			aclf_buf_putc(b, (char)ch);
	}
	aclf_buf_puts(b, cut < n ? "\"..." : "\"");
}

/* What was found instead of the expected value, for messages. */
static void describe(struct aclf_buf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		pjson_quote(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		aclf_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL: {
		char tmp[40];

		snprintf(tmp, sizeof(tmp), "%.17g", json_real_value(v));
		aclf_buf_puts(b, tmp);
		if (!strpbrk(tmp, ".eEn")) /* 5061.0 stays visibly a real */
			aclf_buf_puts(b, ".0");
		break;
	}
	case JSON_TRUE:
		aclf_buf_puts(b, "true");
		break;
	case JSON_FALSE:
		aclf_buf_puts(b, "false");
		break;
	case JSON_NULL:
		aclf_buf_puts(b, "null");
		break;
	case JSON_OBJECT:
		aclf_buf_puts(b, "an object");
		break;
	case JSON_ARRAY:
		aclf_buf_puts(b, "an array");
		break;
	}
}

/* Record "name: path: message". */
int pjson_err(struct pjson_rctx *c, const char *fmt, ...)
{
	struct aclf_buf msg;
	bool first = c->err && c->err->count == 0;
	va_list ap;

	c->nerr++;
	if (c->nerr > PJSON_MAX_ERRORS)
		return -1;
	aclf_buf_init(&msg, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (c->path.len)
		aclf_err_set(c->err, ACLF_E_INPUT, "%s: %s: %s", c->name, c->path.buf, msg.buf);
	else
		aclf_err_set(c->err, ACLF_E_INPUT, "%s: %s", c->name, msg.buf);
	if (first && !c->err->file)
		c->err->file = strdup(c->name);
	aclf_buf_release(&msg);
	return -1;
}

/* "expected <what>, found <v>" at the current path. */
int pjson_expected(struct pjson_rctx *c, const char *what, const json_t *v)
{
	struct aclf_buf found;

	aclf_buf_init(&found, 0);
	describe(&found, v);
	pjson_err(c, "expected %s, found %s", what, found.buf);
	aclf_buf_release(&found);
	return -1;
}

/* Every key of obj must be in allowed (NULL-terminated). */
int pjson_keys(struct pjson_rctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach(obj, key, v) {
		bool ok = false;

		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			struct aclf_buf q;

			aclf_buf_init(&q, 0);
			pjson_quote(&q, key);
			rc = pjson_err(c, "unknown key %s", q.buf);
			aclf_buf_release(&q);
		}
	}
	return rc;
}

/* Look up obj[key]. Returns 1 with *out set when present (and not an allowed
 * null), 0 when absent, -1 after recording "missing key". */
int pjson_get(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = v;
	if (!v) {
		if (flags & REQ)
			return pjson_err(c, "missing key \"%s\"", key);
		return 0;
	}
	if (json_is_null(v) && (flags & NULLOK))
		return 0;
	return 1;
}

/* A string copied into the policy arena; *out stays NULL when absent. */
int pjson_str(struct pjson_rctx *c, json_t *obj, const char *key, int flags, const char **out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, flags, &v);

	*out = NULL;
	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_string(v)) {
		rc = pjson_expected(c, "a string", v);
	} else {
		*out = aclf_arena_strndup(&c->p->arena, json_string_value(v), json_string_length(v));
		if (!*out)
			rc = pjson_nomem(c);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

int pjson_int(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_int_t lo,
		 json_int_t hi, json_int_t *out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, flags, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_integer(v))
		rc = pjson_expected(c, "an integer", v);
	else if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		rc = pjson_err(c, "%" JSON_INTEGER_FORMAT " is out of range %" JSON_INTEGER_FORMAT
			   "-%" JSON_INTEGER_FORMAT, json_integer_value(v), lo, hi);
	else
		*out = json_integer_value(v);
	pjson_path_pop(&c->path, old);
	return rc;
}

int pjson_u16(struct pjson_rctx *c, json_t *obj, const char *key, int flags, uint16_t *out)
{
	json_int_t v = 0;
	int rc = pjson_int(c, obj, key, flags, 0, UINT16_MAX, &v);

	if (rc > 0)
		*out = (uint16_t)v;
	return rc;
}

int pjson_uint(struct pjson_rctx *c, json_t *obj, const char *key, int flags, unsigned *out)
{
	json_int_t v = 0;
	int rc = pjson_int(c, obj, key, flags, 0, UINT_MAX, &v);

	if (rc > 0)
		*out = (unsigned)v;
	return rc;
}

int pjson_bool(struct pjson_rctx *c, json_t *obj, const char *key, int flags, bool *out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, flags, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_boolean(v))
		rc = pjson_expected(c, "true or false", v);
	else
		*out = json_is_true(v);
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One of names[0..n-1]; *out is the index. */
int pjson_enum(struct pjson_rctx *c, json_t *obj, const char *key, int flags,
		  const char *const *names, size_t n, int *out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, flags, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	rc = -1;
	if (json_is_string(v)) {
		for (size_t i = 0; i < n && rc < 0; i++) {
			if (strcmp(json_string_value(v), names[i]) == 0) {
				*out = (int)i;
				rc = 1;
			}
		}
	}
	if (rc < 0) {
		struct aclf_buf what;

		aclf_buf_init(&what, 0);
		aclf_buf_puts(&what, "one of ");
		for (size_t i = 0; i < n; i++)
			aclf_buf_printf(&what, "%s\"%s\"", i ? ", " : "", names[i]);
		pjson_expected(c, what.buf, v);
		aclf_buf_release(&what);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

/* A value of the given jansson type (object or array). */
int pjson_typed(struct pjson_rctx *c, json_t *obj, const char *key, int flags, json_type type,
		   json_t **out)
{
	size_t old;
	int rc = pjson_get(c, obj, key, flags, out);

	if (rc <= 0)
		return rc;
	if (json_typeof(*out) != type) {
		old = pjson_path_key(&c->path, key);
		pjson_expected(c, type == JSON_ARRAY ? "a list" : "an object", *out);
		pjson_path_pop(&c->path, old);
		*out = NULL;
		return -1;
	}
	return 1;
}

/* Protocol: a name ("tcp", "gre", ...) or a number 0-255. */
int pjson_proto(struct pjson_rctx *c, json_t *obj, const char *key, int *out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, REQ, &v), proto = -1;

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (json_is_string(v))
		proto = aclf_proto_parse(json_string_value(v));
	else if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 255)
		proto = (int)json_integer_value(v);
	if (proto < 0)
		rc = pjson_expected(c, "a protocol name or number 0-255", v);
	else
		*out = proto;
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One prefix (or bare address = host prefix) at the current path. */
static int r_prefix_value(struct pjson_rctx *c, const json_t *v, struct aclf_prefix *out)
{
	struct aclf_prefix tmp;

	if (!json_is_string(v))
		return pjson_expected(c, "a prefix", v);
	if (aclf_prefix_parse(json_string_value(v), out, false) == 0)
		return 0;
	if (aclf_prefix_parse(json_string_value(v), &tmp, true) == 0) {
		struct aclf_buf q;

		aclf_buf_init(&q, 0);
		pjson_quote(&q, json_string_value(v));
		pjson_err(c, "host bits set in prefix %s", q.buf);
		aclf_buf_release(&q);
		return -1;
	}
	return pjson_expected(c, "a prefix", v);
}

/* A non-empty list of prefixes, merged into a set. */
int pjson_pset(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_prefix_set *out)
{
	json_t *arr, *v;
	struct aclf_prefix *tmp = NULL;
	size_t old, old2, i;
	int rc = pjson_typed(c, obj, key, REQ, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (json_array_size(arr) == 0) {
		rc = pjson_err(c, "expected a non-empty list of prefixes (any is \"0.0.0.0/0\" and \"::/0\")");
		goto out;
	}
	tmp = aclf_arena_alloc(&c->p->arena, json_array_size(arr) * sizeof(*tmp));
	if (!tmp) {
		rc = pjson_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		old2 = pjson_path_index(&c->path, i);
		if (r_prefix_value(c, v, &tmp[i]) < 0)
			rc = -1;
		pjson_path_pop(&c->path, old2);
	}
	if (rc > 0 && aclf_pset_merge(&c->p->arena, tmp, json_array_size(arr), out) < 0)
		rc = pjson_nomem(c);
out:
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One port of a [lo, hi] pair at the current path. */
static int r_port_value(struct pjson_rctx *c, json_t *v, uint16_t *out)
{
	if (!json_is_integer(v))
		return pjson_expected(c, "a port number", v);
	if (json_integer_value(v) < 0 || json_integer_value(v) > 65535)
		return pjson_err(c, "port %" JSON_INTEGER_FORMAT " is out of range 0-65535",
			     json_integer_value(v));
	*out = (uint16_t)json_integer_value(v);
	return 0;
}

/* A list of [lo, hi] pairs, merged into a set; absent or empty = any. */
int pjson_ports(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_port_set *out)
{
	json_t *arr, *v;
	struct aclf_port_range *tmp = NULL;
	size_t old, old2, i;
	int rc = pjson_typed(c, obj, key, OPT, JSON_ARRAY, &arr);

	if (rc <= 0 || json_array_size(arr) == 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	tmp = aclf_arena_alloc(&c->p->arena, json_array_size(arr) * sizeof(*tmp));
	if (!tmp) {
		rc = pjson_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_array(v) || json_array_size(v) != 2) {
			rc = pjson_expected(c, "a [lo, hi] port range", v);
		} else {
			size_t old3 = pjson_path_index(&c->path, 0);
			int a = r_port_value(c, json_array_get(v, 0), &tmp[i].lo);

			pjson_path_pop(&c->path, old3);
			old3 = pjson_path_index(&c->path, 1);
			if (r_port_value(c, json_array_get(v, 1), &tmp[i].hi) < 0 || a < 0)
				rc = -1;
			pjson_path_pop(&c->path, old3);
			if (rc > 0 && tmp[i].lo > tmp[i].hi)
				rc = pjson_err(c, "port range [%u, %u] is reversed", tmp[i].lo, tmp[i].hi);
		}
		pjson_path_pop(&c->path, old2);
	}
	if (rc > 0 && aclf_ports_merge(&c->p->arena, tmp, json_array_size(arr), out) < 0)
		rc = pjson_nomem(c);
out:
	pjson_path_pop(&c->path, old);
	return rc;
}

/* A single address (vip, member): "10.1.1.10" or "10.1.1.10/32". */
int pjson_host(struct pjson_rctx *c, json_t *obj, const char *key, struct aclf_prefix *out)
{
	json_t *v;
	size_t old;
	int rc = pjson_get(c, obj, key, REQ, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_string(v) || aclf_prefix_parse(json_string_value(v), out, false) < 0 ||
	    !aclf_prefix_is_host(out))
		rc = pjson_expected(c, "an address", v);
	pjson_path_pop(&c->path, old);
	return rc;
}

/* A name must be unique within its scope (seen is a JSON object used as a set). */
int pjson_unique(struct pjson_rctx *c, json_t *seen, const char *what, const char *key,
		    const char *name)
{
	size_t old;

	if (!name)
		return 0;
	if (json_object_get(seen, name)) {
		struct aclf_buf q;

		aclf_buf_init(&q, 0);
		pjson_quote(&q, name);
		old = pjson_path_key(&c->path, key);
		pjson_err(c, "duplicate %s %s", what, q.buf);
		pjson_path_pop(&c->path, old);
		aclf_buf_release(&q);
		return -1;
	}
	if (json_object_set_new(seen, name, json_true()) < 0)
		return pjson_nomem(c);
	return 0;
}

