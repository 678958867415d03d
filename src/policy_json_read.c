/* The policy as JSON: the reader. Strict: unknown keys, wrong types and bad
 * values are errors naming the JSON path ("devices[0].filters[1].rules[3].dst[2]");
 * syntax errors carry the line:column jansson reports. Errors are collected
 * (up to PJSON_MAX_ERRORS) and no policy is returned when there is any. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "policy_json_int.h"

#define PJSON_MAX_ERRORS 20
#define PJSON_QUOTE_MAX 64

struct rctx {
	struct aclf_policy *p;
	struct aclf_err *err;
	const char *name;     /* file name for messages */
	struct aclf_buf path; /* JSON path of the value being read */
	unsigned nerr;
	bool nomem;
};

/* Field flags for the getters. */
enum { OPT = 0, REQ = 1, NULLOK = 2 };

static bool r_stop(const struct rctx *c)
{
	return c->nomem || c->nerr >= PJSON_MAX_ERRORS;
}

static int r_nomem(struct rctx *c)
{
	if (!c->nomem)
		aclf_err_set(c->err, ACLF_E_NOMEM, "%s: out of memory while reading json", c->name);
	c->nomem = true;
	return -1;
}

/* Append s as a quoted, escaped string, cut after PJSON_QUOTE_MAX bytes. */
static void quote(struct aclf_buf *b, const char *s)
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
		quote(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		aclf_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		aclf_buf_printf(b, "%g", json_real_value(v));
		break;
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
static int __attribute__((format(printf, 2, 3))) r_err(struct rctx *c, const char *fmt, ...)
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
static int r_expected(struct rctx *c, const char *what, const json_t *v)
{
	struct aclf_buf found;

	aclf_buf_init(&found, 0);
	describe(&found, v);
	r_err(c, "expected %s, found %s", what, found.buf);
	aclf_buf_release(&found);
	return -1;
}

/* Every key of obj must be in allowed (NULL-terminated). */
static int r_keys(struct rctx *c, json_t *obj, const char *const *allowed)
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
			quote(&q, key);
			rc = r_err(c, "unknown key %s", q.buf);
			aclf_buf_release(&q);
		}
	}
	return rc;
}

/* Look up obj[key]. Returns 1 with *out set when present (and not an allowed
 * null), 0 when absent, -1 after recording "missing key". */
static int r_get(struct rctx *c, json_t *obj, const char *key, int flags, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = v;
	if (!v) {
		if (flags & REQ)
			return r_err(c, "missing key \"%s\"", key);
		return 0;
	}
	if (json_is_null(v) && (flags & NULLOK))
		return 0;
	return 1;
}

/* A string copied into the policy arena; *out stays NULL when absent. */
static int r_str(struct rctx *c, json_t *obj, const char *key, int flags, const char **out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, flags, &v);

	*out = NULL;
	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_string(v)) {
		rc = r_expected(c, "a string", v);
	} else {
		*out = aclf_arena_strndup(&c->p->arena, json_string_value(v), json_string_length(v));
		if (!*out)
			rc = r_nomem(c);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_int(struct rctx *c, json_t *obj, const char *key, int flags, json_int_t lo,
		 json_int_t hi, json_int_t *out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, flags, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_integer(v))
		rc = r_expected(c, "an integer", v);
	else if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		rc = r_err(c, "%" JSON_INTEGER_FORMAT " is out of range %" JSON_INTEGER_FORMAT
			   "-%" JSON_INTEGER_FORMAT, json_integer_value(v), lo, hi);
	else
		*out = json_integer_value(v);
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_u16(struct rctx *c, json_t *obj, const char *key, int flags, uint16_t *out)
{
	json_int_t v = 0;
	int rc = r_int(c, obj, key, flags, 0, UINT16_MAX, &v);

	if (rc > 0)
		*out = (uint16_t)v;
	return rc;
}

static int r_uint(struct rctx *c, json_t *obj, const char *key, int flags, unsigned *out)
{
	json_int_t v = 0;
	int rc = r_int(c, obj, key, flags, 0, UINT_MAX, &v);

	if (rc > 0)
		*out = (unsigned)v;
	return rc;
}

static int r_bool(struct rctx *c, json_t *obj, const char *key, int flags, bool *out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, flags, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_boolean(v))
		rc = r_expected(c, "true or false", v);
	else
		*out = json_is_true(v);
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One of names[0..n-1]; *out is the index. */
static int r_enum(struct rctx *c, json_t *obj, const char *key, int flags,
		  const char *const *names, size_t n, int *out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, flags, &v);

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
		r_expected(c, what.buf, v);
		aclf_buf_release(&what);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

/* A value of the given jansson type (object or array). */
static int r_typed(struct rctx *c, json_t *obj, const char *key, int flags, json_type type,
		   json_t **out)
{
	size_t old;
	int rc = r_get(c, obj, key, flags, out);

	if (rc <= 0)
		return rc;
	if (json_typeof(*out) != type) {
		old = pjson_path_key(&c->path, key);
		r_expected(c, type == JSON_ARRAY ? "a list" : "an object", *out);
		pjson_path_pop(&c->path, old);
		*out = NULL;
		return -1;
	}
	return 1;
}

/* Protocol: a name ("tcp", "gre", ...) or a number 0-255. */
static int r_proto(struct rctx *c, json_t *obj, const char *key, int *out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, REQ, &v), proto = -1;

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (json_is_string(v))
		proto = aclf_proto_parse(json_string_value(v));
	else if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 255)
		proto = (int)json_integer_value(v);
	if (proto < 0)
		rc = r_expected(c, "a protocol name or number 0-255", v);
	else
		*out = proto;
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One prefix (or bare address = host prefix) at the current path. */
static int r_prefix_value(struct rctx *c, const json_t *v, struct aclf_prefix *out)
{
	struct aclf_prefix tmp;

	if (!json_is_string(v))
		return r_expected(c, "a prefix", v);
	if (aclf_prefix_parse(json_string_value(v), out, false) == 0)
		return 0;
	if (aclf_prefix_parse(json_string_value(v), &tmp, true) == 0) {
		struct aclf_buf q;

		aclf_buf_init(&q, 0);
		quote(&q, json_string_value(v));
		r_err(c, "host bits set in prefix %s", q.buf);
		aclf_buf_release(&q);
		return -1;
	}
	return r_expected(c, "a prefix", v);
}

/* A non-empty list of prefixes, merged into a set. */
static int r_pset(struct rctx *c, json_t *obj, const char *key, struct aclf_prefix_set *out)
{
	json_t *arr, *v;
	struct aclf_prefix *tmp = NULL;
	size_t old, old2, i;
	int rc = r_typed(c, obj, key, REQ, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (json_array_size(arr) == 0) {
		rc = r_err(c, "expected a non-empty list of prefixes (any is \"0.0.0.0/0\" and \"::/0\")");
		goto out;
	}
	tmp = aclf_arena_alloc(&c->p->arena, json_array_size(arr) * sizeof(*tmp));
	if (!tmp) {
		rc = r_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		old2 = pjson_path_index(&c->path, i);
		if (r_prefix_value(c, v, &tmp[i]) < 0)
			rc = -1;
		pjson_path_pop(&c->path, old2);
	}
	if (rc > 0 && aclf_pset_merge(&c->p->arena, tmp, json_array_size(arr), out) < 0)
		rc = r_nomem(c);
out:
	pjson_path_pop(&c->path, old);
	return rc;
}

/* One port of a [lo, hi] pair at the current path. */
static int r_port_value(struct rctx *c, json_t *v, uint16_t *out)
{
	if (!json_is_integer(v))
		return r_expected(c, "a port number", v);
	if (json_integer_value(v) < 0 || json_integer_value(v) > 65535)
		return r_err(c, "port %" JSON_INTEGER_FORMAT " is out of range 0-65535",
			     json_integer_value(v));
	*out = (uint16_t)json_integer_value(v);
	return 0;
}

/* A list of [lo, hi] pairs, merged into a set; absent or empty = any. */
static int r_ports(struct rctx *c, json_t *obj, const char *key, struct aclf_port_set *out)
{
	json_t *arr, *v;
	struct aclf_port_range *tmp = NULL;
	size_t old, old2, i;
	int rc = r_typed(c, obj, key, OPT, JSON_ARRAY, &arr);

	if (rc <= 0 || json_array_size(arr) == 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	tmp = aclf_arena_alloc(&c->p->arena, json_array_size(arr) * sizeof(*tmp));
	if (!tmp) {
		rc = r_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_array(v) || json_array_size(v) != 2) {
			rc = r_expected(c, "a [lo, hi] port range", v);
		} else {
			size_t old3 = pjson_path_index(&c->path, 0);
			int a = r_port_value(c, json_array_get(v, 0), &tmp[i].lo);

			pjson_path_pop(&c->path, old3);
			old3 = pjson_path_index(&c->path, 1);
			if (r_port_value(c, json_array_get(v, 1), &tmp[i].hi) < 0 || a < 0)
				rc = -1;
			pjson_path_pop(&c->path, old3);
			if (rc > 0 && tmp[i].lo > tmp[i].hi)
				rc = r_err(c, "port range [%u, %u] is reversed", tmp[i].lo, tmp[i].hi);
		}
		pjson_path_pop(&c->path, old2);
	}
	if (rc > 0 && aclf_ports_merge(&c->p->arena, tmp, json_array_size(arr), out) < 0)
		rc = r_nomem(c);
out:
	pjson_path_pop(&c->path, old);
	return rc;
}

/* A single address (vip, member): "10.1.1.10" or "10.1.1.10/32". */
static int r_host(struct rctx *c, json_t *obj, const char *key, struct aclf_prefix *out)
{
	json_t *v;
	size_t old;
	int rc = r_get(c, obj, key, REQ, &v);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, key);
	if (!json_is_string(v) || aclf_prefix_parse(json_string_value(v), out, false) < 0 ||
	    !aclf_prefix_is_host(out))
		rc = r_expected(c, "an address", v);
	pjson_path_pop(&c->path, old);
	return rc;
}

/* Provenance list for a rule (r) or an lb service (s). */
static int r_prov(struct rctx *c, json_t *obj, struct aclf_rule *r, struct aclf_lb_service *s)
{
	static const char *const keys[] = { "kind", "ref", NULL };
	json_t *arr, *v;
	size_t old, old2, i;
	int rc = r_typed(c, obj, "provenance", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "provenance");
	json_array_foreach(arr, i, v) {
		const char *kind = NULL, *ref = NULL;
		int k = 0;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else if (r_keys(c, v, keys) < 0 || r_str(c, v, "kind", REQ, &kind) < 0 ||
			   r_str(c, v, "ref", REQ, &ref) < 0) {
			rc = -1;
		} else {
			k = r ? aclf_rule_add_prov(c->p, r, kind, ref)
			      : aclf_lb_add_prov(c->p, s, kind, ref);
			if (k < 0)
				rc = r_nomem(c);
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

static const char *const action_names[] = { [ACLF_PERMIT] = "permit", [ACLF_DENY] = "deny" };

/* A name must be unique within its scope (seen is a JSON object used as a set). */
static int r_unique(struct rctx *c, json_t *seen, const char *what, const char *key,
		    const char *name)
{
	size_t old;

	if (!name)
		return 0;
	if (json_object_get(seen, name)) {
		struct aclf_buf q;

		aclf_buf_init(&q, 0);
		quote(&q, name);
		old = pjson_path_key(&c->path, key);
		r_err(c, "duplicate %s %s", what, q.buf);
		pjson_path_pop(&c->path, old);
		aclf_buf_release(&q);
		return -1;
	}
	if (json_object_set_new(seen, name, json_true()) < 0)
		return r_nomem(c);
	return 0;
}

static int r_rule(struct rctx *c, json_t *o, struct aclf_rule *r)
{
	static const char *const keys[] = {
		"id", "device_name", "action", "protocol", "src", "dst", "src_name", "dst_name",
		"src_ports", "dst_ports", "established", "comment", "hits", "provenance", NULL,
	};
	json_int_t hits = -1;
	int action = ACLF_PERMIT, bad = 0;

	bad |= r_keys(c, o, keys) < 0;
	bad |= r_str(c, o, "id", REQ | NULLOK, &r->id) < 0;
	bad |= r_str(c, o, "device_name", NULLOK, &r->device_name) < 0;
	bad |= r_enum(c, o, "action", REQ, action_names, 2, &action) < 0;
	bad |= r_proto(c, o, "protocol", &r->protocol) < 0;
	bad |= r_pset(c, o, "src", &r->src) < 0;
	bad |= r_pset(c, o, "dst", &r->dst) < 0;
	bad |= r_str(c, o, "src_name", NULLOK, &r->src_name) < 0;
	bad |= r_str(c, o, "dst_name", NULLOK, &r->dst_name) < 0;
	bad |= r_ports(c, o, "src_ports", &r->src_ports) < 0;
	bad |= r_ports(c, o, "dst_ports", &r->dst_ports) < 0;
	bad |= r_bool(c, o, "established", OPT, &r->established) < 0;
	bad |= r_str(c, o, "comment", NULLOK, &r->comment) < 0;
	bad |= r_int(c, o, "hits", NULLOK, 0, INT64_MAX, &hits) < 0;
	bad |= r_prov(c, o, r, NULL) < 0;
	r->action = (enum aclf_action)action;
	r->hits = hits;
	return bad ? -1 : 0;
}

static int r_binding(struct rctx *c, json_t *obj, struct aclf_binding *b)
{
	static const char *const keys[] = { "kind", "name", "direction", NULL };
	static const char *const kinds[] = {
		[ACLF_BIND_NONE] = "none",
		[ACLF_BIND_INTERFACE] = "interface",
		[ACLF_BIND_CHAIN] = "chain",
	};
	static const char *const dirs[] = {
		[ACLF_DIR_NONE] = "none", [ACLF_DIR_IN] = "in", [ACLF_DIR_OUT] = "out"
	};
	json_t *o;
	size_t old;
	int kind = ACLF_BIND_NONE, dir = ACLF_DIR_NONE;
	int rc = r_typed(c, obj, "binding", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "binding");
	rc = r_keys(c, o, keys);
	rc |= r_enum(c, o, "kind", REQ, kinds, 3, &kind);
	rc |= r_str(c, o, "name", NULLOK, &b->name);
	rc |= r_enum(c, o, "direction", OPT, dirs, 3, &dir);
	b->kind = (enum aclf_binding_kind)kind;
	b->direction = (enum aclf_direction)dir;
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_filter(struct rctx *c, json_t *o, struct aclf_filter *f)
{
	static const char *const keys[] = { "name", "binding", "default_action", "rules", NULL };
	json_t *rules, *v, *seen;
	size_t old, old2, i;
	int action = ACLF_DENY, rc = 0;

	if (r_keys(c, o, keys) < 0)
		rc = -1;
	if (r_binding(c, o, &f->binding) < 0)
		rc = -1;
	if (r_enum(c, o, "default_action", REQ, action_names, 2, &action) < 0)
		rc = -1;
	f->default_action = (enum aclf_action)action;
	switch (r_typed(c, o, "rules", OPT, JSON_ARRAY, &rules)) {
	case 0:
		return rc; /* no rules: only the default action */
	case -1:
		return -1;
	}
	seen = json_object();
	if (!seen)
		return r_nomem(c);
	old = pjson_path_key(&c->path, "rules");
	json_array_foreach(rules, i, v) {
		struct aclf_rule *r;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else if (!(r = aclf_filter_add_rule(c->p, f))) {
			rc = r_nomem(c);
		} else if (r_rule(c, v, r) < 0 || r_unique(c, seen, "rule id", "id", r->id) < 0) {
			rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

static int r_monitor(struct rctx *c, json_t *obj, struct aclf_lb_monitor *m)
{
	static const char *const keys[] = { "type", "port", "interval", "timeout", NULL };
	json_t *o;
	size_t old;
	int rc = r_typed(c, obj, "monitor", NULLOK, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "monitor");
	rc = r_keys(c, o, keys);
	rc |= r_str(c, o, "type", REQ, &m->type);
	rc |= r_u16(c, o, "port", OPT, &m->port);
	rc |= r_uint(c, o, "interval", OPT, &m->interval);
	rc |= r_uint(c, o, "timeout", OPT, &m->timeout);
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_persist(struct rctx *c, json_t *obj, struct aclf_lb_persist *ps)
{
	static const char *const keys[] = { "kind", "mask_len", "timeout", "cookie_name", NULL };
	static const char *const kinds[] = {
		[ACLF_PERSIST_NONE] = "none",
		[ACLF_PERSIST_SOURCE_ADDR] = "source-addr",
		[ACLF_PERSIST_COOKIE] = "cookie",
	};
	json_t *o;
	json_int_t mask = 0;
	size_t old;
	int kind = ACLF_PERSIST_NONE;
	int rc = r_typed(c, obj, "persistence", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "persistence");
	rc = r_keys(c, o, keys);
	rc |= r_enum(c, o, "kind", REQ, kinds, 3, &kind);
	rc |= r_int(c, o, "mask_len", OPT, 0, 128, &mask);
	rc |= r_uint(c, o, "timeout", OPT, &ps->timeout);
	rc |= r_str(c, o, "cookie_name", NULLOK, &ps->cookie_name);
	ps->kind = (enum aclf_persist_kind)kind;
	ps->mask_len = (uint8_t)mask;
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_members(struct rctx *c, json_t *obj, struct aclf_lb_service *s)
{
	static const char *const keys[] = { "name", "address", "port", NULL };
	json_t *arr, *v;
	size_t old, old2, i;
	int rc = r_typed(c, obj, "members", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "members");
	json_array_foreach(arr, i, v) {
		const char *name = NULL;
		struct aclf_prefix addr;
		uint16_t port = 0;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else {
			int bad = 0;

			bad |= r_keys(c, v, keys) < 0;
			bad |= r_str(c, v, "name", NULLOK, &name) < 0;
			bad |= r_host(c, v, "address", &addr) < 0;
			bad |= r_u16(c, v, "port", REQ, &port) < 0;
			if (bad)
				rc = -1;
			else if (aclf_lb_add_member(c->p, s, name, &addr, port) < 0)
				rc = r_nomem(c);
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_lb(struct rctx *c, json_t *o, struct aclf_lb_service *s)
{
	static const char *const keys[] = {
		"name", "pool", "vip", "protocol", "port", "members", "monitor", "persistence",
		"snat", "idle_timeout", "lb_method", "vlan", "provenance", NULL,
	};
	static const char *const snats[] = { [ACLF_SNAT_NONE] = "none",
					     [ACLF_SNAT_AUTOMAP] = "automap" };
	int snat = ACLF_SNAT_NONE, bad = 0;

	bad |= r_keys(c, o, keys) < 0;
	bad |= r_str(c, o, "pool", NULLOK, &s->pool_name) < 0;
	bad |= r_host(c, o, "vip", &s->vip) < 0;
	bad |= r_proto(c, o, "protocol", &s->protocol) < 0;
	bad |= r_u16(c, o, "port", REQ, &s->port) < 0;
	bad |= r_members(c, o, s) < 0;
	bad |= r_monitor(c, o, &s->monitor) < 0;
	bad |= r_persist(c, o, &s->persistence) < 0;
	bad |= r_enum(c, o, "snat", OPT, snats, 2, &snat) < 0;
	bad |= r_uint(c, o, "idle_timeout", OPT, &s->idle_timeout) < 0;
	bad |= r_str(c, o, "lb_method", NULLOK, &s->lb_method) < 0;
	bad |= r_str(c, o, "vlan", NULLOK, &s->vlan) < 0;
	bad |= r_prov(c, o, NULL, s) < 0;
	s->snat = (enum aclf_snat_kind)snat;
	return bad ? -1 : 0;
}

static int r_device_filters(struct rctx *c, json_t *o, struct aclf_devpol *d)
{
	json_t *arr, *v, *seen;
	size_t old, old2, i;
	int rc = r_typed(c, o, "filters", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	seen = json_object();
	if (!seen)
		return r_nomem(c);
	old = pjson_path_key(&c->path, "filters");
	json_array_foreach(arr, i, v) {
		const char *name = NULL;
		struct aclf_filter *f;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else if (r_str(c, v, "name", REQ, &name) < 0) {
			rc = -1;
		} else if (!(f = aclf_devpol_add_filter(c->p, d, name))) {
			rc = r_nomem(c);
		} else {
			int bad = 0;

			bad |= r_unique(c, seen, "filter", "name", name) < 0;
			bad |= r_filter(c, v, f) < 0;
			if (bad)
				rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

static int r_device_lbs(struct rctx *c, json_t *o, struct aclf_devpol *d)
{
	json_t *arr, *v, *seen;
	size_t old, old2, i;
	int rc = r_typed(c, o, "lb_services", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	seen = json_object();
	if (!seen)
		return r_nomem(c);
	old = pjson_path_key(&c->path, "lb_services");
	json_array_foreach(arr, i, v) {
		const char *name = NULL;
		struct aclf_lb_service *s;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else if (r_str(c, v, "name", REQ, &name) < 0) {
			rc = -1;
		} else if (!(s = aclf_devpol_add_lb(c->p, d, name))) {
			rc = r_nomem(c);
		} else {
			int bad = 0;

			bad |= r_unique(c, seen, "lb service", "name", name) < 0;
			bad |= r_lb(c, v, s) < 0;
			if (bad)
				rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

static int r_devices(struct rctx *c, json_t *root)
{
	static const char *const root_keys[] = { "devices", NULL };
	static const char *const keys[] = { "name", "driver", "filters", "lb_services", NULL };
	json_t *arr, *v, *seen;
	size_t old, old2, i;
	int rc = 0;

	if (!json_is_object(root))
		return r_expected(c, "an object with \"devices\"", root);
	if (r_keys(c, root, root_keys) < 0)
		rc = -1;
	if (r_typed(c, root, "devices", REQ, JSON_ARRAY, &arr) <= 0)
		return -1;
	seen = json_object();
	if (!seen)
		return r_nomem(c);
	old = pjson_path_key(&c->path, "devices");
	json_array_foreach(arr, i, v) {
		const char *name = NULL, *driver = NULL;
		struct aclf_devpol *d;

		if (r_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = r_expected(c, "an object", v);
		} else {
			int bad = 0;

			bad |= r_keys(c, v, keys) < 0;
			bad |= r_str(c, v, "name", REQ, &name) < 0;
			bad |= r_str(c, v, "driver", REQ, &driver) < 0;
			if (!(d = aclf_policy_add_device(c->p, name, driver))) {
				bad |= r_nomem(c) < 0;
			} else {
				bad |= r_unique(c, seen, "device", "name", name) < 0;
				bad |= r_device_filters(c, v, d) < 0;
				bad |= r_device_lbs(c, v, d) < 0;
			}
			if (bad)
				rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

struct aclf_policy *aclf_policy_from_json(const char *text, size_t len, const char *name,
					  struct aclf_err *err)
{
	struct rctx c = { .err = err, .name = name ? name : "<input>" };
	json_error_t je;
	json_t *root;

	aclf_buf_init(&c.path, 0);
	if (!text) {
		text = "";
		len = 0;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		aclf_err_at(err, c.name, je.line > 0 ? (unsigned)je.line : 1,
			    je.column > 0 ? (unsigned)je.column : 1, "invalid json: %s", je.text);
		return NULL;
	}
	c.p = aclf_policy_new();
	if (!c.p)
		r_nomem(&c);
	else
		r_devices(&c, root);
	json_decref(root);
	if (c.nerr > PJSON_MAX_ERRORS)
		aclf_err_set(err, ACLF_E_INPUT, "%s: too many errors, stopped after %d", c.name,
			     PJSON_MAX_ERRORS);
	aclf_buf_release(&c.path);
	if (c.nerr || c.nomem) {
		aclf_policy_free(c.p);
		return NULL;
	}
	return c.p;
}
