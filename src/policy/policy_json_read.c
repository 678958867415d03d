/* The policy as JSON: the reader. Strict: unknown keys, wrong types and bad
 * values are errors naming the JSON path ("devices[0].filters[1].rules[3].dst[2]");
 * syntax errors carry the line:column jansson reports. Errors are collected
 * (up to PJSON_MAX_ERRORS) and no policy is returned when there is any. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "policy_json_int.h"

/* Provenance list for a rule (r) or an lb service (s). */
static int r_prov(struct pjson_rctx *c, json_t *obj, struct aclf_rule *r, struct aclf_lb_service *s)
{
	static const char *const keys[] = { "kind", "ref", NULL };
	json_t *arr, *v;
	size_t old, old2, i;
	int rc = pjson_typed(c, obj, "provenance", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "provenance");
	json_array_foreach(arr, i, v) {
		const char *kind = NULL, *ref = NULL;
		int k = 0;

		if (pjson_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = pjson_expected(c, "an object", v);
		} else if (pjson_keys(c, v, keys) < 0 || pjson_str(c, v, "kind", REQ, &kind) < 0 ||
			   pjson_str(c, v, "ref", REQ, &ref) < 0) {
			rc = -1;
		} else {
			k = r ? aclf_rule_add_prov(c->p, r, kind, ref)
			      : aclf_lb_add_prov(c->p, s, kind, ref);
			if (k < 0)
				rc = pjson_nomem(c);
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

static const char *const action_names[] = { [ACLF_PERMIT] = "permit", [ACLF_DENY] = "deny" };

static int r_rule(struct pjson_rctx *c, json_t *o, struct aclf_rule *r)
{
	static const char *const keys[] = {
		"id", "device_name", "action", "protocol", "src", "dst", "src_name", "dst_name",
		"src_ports", "dst_ports", "established", "comment", "hits", "provenance", "opaque",
		"raw", NULL,
	};
	json_int_t hits = -1;
	int action = ACLF_PERMIT, bad = 0;

	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_str(c, o, "id", REQ | NULLOK, &r->id) < 0;
	bad |= pjson_str(c, o, "device_name", NULLOK, &r->device_name) < 0;
	bad |= pjson_enum(c, o, "action", REQ, action_names, 2, &action) < 0;
	bad |= pjson_proto(c, o, "protocol", &r->protocol) < 0;
	bad |= pjson_pset(c, o, "src", &r->src) < 0;
	bad |= pjson_pset(c, o, "dst", &r->dst) < 0;
	bad |= pjson_str(c, o, "src_name", NULLOK, &r->src_name) < 0;
	bad |= pjson_str(c, o, "dst_name", NULLOK, &r->dst_name) < 0;
	bad |= pjson_ports(c, o, "src_ports", &r->src_ports) < 0;
	bad |= pjson_ports(c, o, "dst_ports", &r->dst_ports) < 0;
	bad |= pjson_bool(c, o, "established", OPT, &r->established) < 0;
	bad |= pjson_str(c, o, "comment", NULLOK, &r->comment) < 0;
	bad |= pjson_int(c, o, "hits", NULLOK, 0, INT64_MAX, &hits) < 0;
	bad |= pjson_str(c, o, "opaque", NULLOK, &r->opaque) < 0;
	bad |= pjson_str(c, o, "raw", NULLOK, &r->raw) < 0;
	bad |= r_prov(c, o, r, NULL) < 0;
	r->action = (enum aclf_action)action;
	r->hits = hits;
	return bad ? -1 : 0;
}

static int r_binding(struct pjson_rctx *c, json_t *obj, struct aclf_binding *b)
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
	int bad = 0;
	int rc = pjson_typed(c, obj, "binding", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "binding");
	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_enum(c, o, "kind", REQ, kinds, 3, &kind) < 0;
	bad |= pjson_str(c, o, "name", NULLOK, &b->name) < 0;
	bad |= pjson_enum(c, o, "direction", OPT, dirs, 3, &dir) < 0;
	b->kind = (enum aclf_binding_kind)kind;
	b->direction = (enum aclf_direction)dir;
	pjson_path_pop(&c->path, old);
	return bad ? -1 : 1;
}

static int r_filter(struct pjson_rctx *c, json_t *o, struct aclf_filter *f)
{
	static const char *const keys[] = { "name", "binding", "default_action", "rules", NULL };
	json_t *rules, *v, *seen;
	size_t old, old2, i;
	int action = ACLF_DENY, rc = 0;

	if (pjson_keys(c, o, keys) < 0)
		rc = -1;
	if (r_binding(c, o, &f->binding) < 0)
		rc = -1;
	if (pjson_enum(c, o, "default_action", REQ, action_names, 2, &action) < 0)
		rc = -1;
	f->default_action = (enum aclf_action)action;
	switch (pjson_typed(c, o, "rules", OPT, JSON_ARRAY, &rules)) {
	case 0:
		return rc; /* no rules: only the default action */
	case -1:
		return -1;
	}
	seen = json_object();
	if (!seen)
		return pjson_nomem(c);
	old = pjson_path_key(&c->path, "rules");
	json_array_foreach(rules, i, v) {
		struct aclf_rule *r;

		if (pjson_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = pjson_expected(c, "an object", v);
		} else if (!(r = aclf_filter_add_rule(c->p, f))) {
			rc = pjson_nomem(c);
		} else if (r_rule(c, v, r) < 0 || pjson_unique(c, seen, "rule id", "id", r->id) < 0) {
			rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

static int r_monitor(struct pjson_rctx *c, json_t *obj, struct aclf_lb_monitor *m)
{
	static const char *const keys[] = { "type", "port", "interval", "timeout", NULL };
	json_t *o;
	size_t old;
	int bad = 0;
	int rc = pjson_typed(c, obj, "monitor", NULLOK, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "monitor");
	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_str(c, o, "type", REQ, &m->type) < 0;
	bad |= pjson_u16(c, o, "port", OPT, &m->port) < 0;
	bad |= pjson_uint(c, o, "interval", OPT, &m->interval) < 0;
	bad |= pjson_uint(c, o, "timeout", OPT, &m->timeout) < 0;
	pjson_path_pop(&c->path, old);
	return bad ? -1 : 1;
}

static int r_persist(struct pjson_rctx *c, json_t *obj, struct aclf_lb_persist *ps)
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
	int bad = 0;
	int rc = pjson_typed(c, obj, "persistence", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "persistence");
	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_enum(c, o, "kind", REQ, kinds, 3, &kind) < 0;
	bad |= pjson_int(c, o, "mask_len", OPT, 0, 128, &mask) < 0;
	bad |= pjson_uint(c, o, "timeout", OPT, &ps->timeout) < 0;
	bad |= pjson_str(c, o, "cookie_name", NULLOK, &ps->cookie_name) < 0;
	ps->kind = (enum aclf_persist_kind)kind;
	ps->mask_len = (uint8_t)mask;
	pjson_path_pop(&c->path, old);
	return bad ? -1 : 1;
}

static int r_request(struct pjson_rctx *c, json_t *obj, struct aclf_lb_request *r)
{
	static const char *const keys[] = { "enabled", "reuse_mask_len", NULL };
	json_t *o;
	json_int_t mask = 0;
	size_t old;
	int bad = 0;
	int rc = pjson_typed(c, obj, "request", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "request");
	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_bool(c, o, "enabled", REQ, &r->enabled) < 0;
	bad |= pjson_int(c, o, "reuse_mask_len", OPT, 0, 128, &mask) < 0;
	r->reuse_mask_len = (uint8_t)mask;
	pjson_path_pop(&c->path, old);
	return bad ? -1 : 1;
}

static int r_tls(struct pjson_rctx *c, json_t *obj, struct aclf_lb_tls *t)
{
	static const char *const keys[] = { "client_profile", "server_profile", NULL };
	json_t *o;
	size_t old;
	int bad = 0;
	int rc = pjson_typed(c, obj, "tls", OPT, JSON_OBJECT, &o);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "tls");
	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_str(c, o, "client_profile", NULLOK, &t->client_profile) < 0;
	bad |= pjson_str(c, o, "server_profile", NULLOK, &t->server_profile) < 0;
	pjson_path_pop(&c->path, old);
	return bad ? -1 : 1;
}

static int r_members(struct pjson_rctx *c, json_t *obj, struct aclf_lb_service *s)
{
	static const char *const keys[] = { "name", "address", "port", NULL };
	json_t *arr, *v;
	size_t old, old2, i;
	int rc = pjson_typed(c, obj, "members", OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	old = pjson_path_key(&c->path, "members");
	json_array_foreach(arr, i, v) {
		const char *name = NULL;
		struct aclf_prefix addr;
		uint16_t port = 0;

		if (pjson_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = pjson_expected(c, "an object", v);
		} else {
			int bad = 0;

			bad |= pjson_keys(c, v, keys) < 0;
			bad |= pjson_str(c, v, "name", NULLOK, &name) < 0;
			bad |= pjson_host(c, v, "address", &addr) < 0;
			bad |= pjson_u16(c, v, "port", REQ, &port) < 0;
			if (bad)
				rc = -1;
			else if (aclf_lb_add_member(c->p, s, name, &addr, port) < 0)
				rc = pjson_nomem(c);
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	return rc;
}

static int r_lb(struct pjson_rctx *c, json_t *o, struct aclf_lb_service *s)
{
	static const char *const keys[] = {
		"name", "pool", "vip", "protocol", "port", "members", "monitor", "persistence",
		"snat", "idle_timeout", "lb_method", "vlan", "translate_address", "translate_port",
		"request", "tls", "disabled", "provenance", "opaque", "raw", NULL,
	};
	static const char *const snats[] = { [ACLF_SNAT_NONE] = "none",
					     [ACLF_SNAT_AUTOMAP] = "automap" };
	int snat = ACLF_SNAT_NONE, bad = 0;

	bad |= pjson_keys(c, o, keys) < 0;
	bad |= pjson_str(c, o, "pool", NULLOK, &s->pool_name) < 0;
	bad |= pjson_host(c, o, "vip", &s->vip) < 0;
	bad |= pjson_proto(c, o, "protocol", &s->protocol) < 0;
	bad |= pjson_u16(c, o, "port", REQ, &s->port) < 0;
	bad |= r_members(c, o, s) < 0;
	bad |= r_monitor(c, o, &s->monitor) < 0;
	bad |= r_persist(c, o, &s->persistence) < 0;
	bad |= r_request(c, o, &s->request) < 0;
	bad |= r_tls(c, o, &s->tls) < 0;
	bad |= pjson_bool(c, o, "disabled", OPT, &s->disabled) < 0;
	bad |= pjson_enum(c, o, "snat", OPT, snats, 2, &snat) < 0;
	bad |= pjson_uint(c, o, "idle_timeout", OPT, &s->idle_timeout) < 0;
	bad |= pjson_str(c, o, "lb_method", NULLOK, &s->lb_method) < 0;
	bad |= pjson_str(c, o, "vlan", NULLOK, &s->vlan) < 0;
	{
		bool ta = true, tp = true;
		bad |= pjson_bool(c, o, "translate_address", OPT, &ta) < 0;
		bad |= pjson_bool(c, o, "translate_port", OPT, &tp) < 0;
		s->no_translate_address = !ta;
		s->no_translate_port = !tp;
	}
	bad |= pjson_str(c, o, "opaque", NULLOK, &s->opaque) < 0;
	bad |= pjson_str(c, o, "raw", NULLOK, &s->raw) < 0;
	bad |= r_prov(c, o, NULL, s) < 0;
	s->snat = (enum aclf_snat_kind)snat;
	return bad ? -1 : 0;
}

/* A list of objects with unique "name"s under key: each is handed to item
 * with its name. Errors name the JSON path. */
static int r_named_list(struct pjson_rctx *c, json_t *o, const char *key, const char *what,
			int (*item)(struct pjson_rctx *, json_t *, const char *, struct aclf_devpol *),
			struct aclf_devpol *d)
{
	json_t *arr, *v, *seen;
	size_t old, old2, i;
	int rc = pjson_typed(c, o, key, OPT, JSON_ARRAY, &arr);

	if (rc <= 0)
		return rc;
	seen = json_object();
	if (!seen)
		return pjson_nomem(c);
	old = pjson_path_key(&c->path, key);
	json_array_foreach(arr, i, v) {
		const char *name = NULL;

		if (pjson_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = pjson_expected(c, "an object", v);
		} else if (pjson_str(c, v, "name", REQ, &name) < 0) {
			rc = -1;
		} else {
			int bad = pjson_unique(c, seen, what, "name", name) < 0;
			bad |= item(c, v, name, d) < 0;
			if (bad)
				rc = -1;
		}
		pjson_path_pop(&c->path, old2);
	}
	pjson_path_pop(&c->path, old);
	json_decref(seen);
	return rc;
}

static int r_filter_item(struct pjson_rctx *c, json_t *v, const char *name, struct aclf_devpol *d)
{
	struct aclf_filter *f = aclf_devpol_add_filter(c->p, d, name);

	return f ? r_filter(c, v, f) : pjson_nomem(c);
}

static int r_lb_item(struct pjson_rctx *c, json_t *v, const char *name, struct aclf_devpol *d)
{
	struct aclf_lb_service *s = aclf_devpol_add_lb(c->p, d, name);

	return s ? r_lb(c, v, s) : pjson_nomem(c);
}

static int r_device_filters(struct pjson_rctx *c, json_t *o, struct aclf_devpol *d)
{
	return r_named_list(c, o, "filters", "filter", r_filter_item, d);
}

static int r_device_lbs(struct pjson_rctx *c, json_t *o, struct aclf_devpol *d)
{
	return r_named_list(c, o, "lb_services", "lb service", r_lb_item, d);
}

static int r_devices(struct pjson_rctx *c, json_t *root)
{
	static const char *const root_keys[] = { "devices", NULL };
	static const char *const keys[] = { "name", "driver", "hostname", "opaque_entries", "filters",
					    "lb_services", NULL };
	json_t *arr, *v, *seen;
	size_t old, old2, i;
	int rc = 0;

	if (!json_is_object(root))
		return pjson_expected(c, "an object with \"devices\"", root);
	if (pjson_keys(c, root, root_keys) < 0)
		rc = -1;
	if (pjson_typed(c, root, "devices", REQ, JSON_ARRAY, &arr) <= 0)
		return -1;
	seen = json_object();
	if (!seen)
		return pjson_nomem(c);
	old = pjson_path_key(&c->path, "devices");
	json_array_foreach(arr, i, v) {
		const char *name = NULL, *driver = NULL, *hostname = NULL;
		struct aclf_devpol *d;

		if (pjson_stop(c))
			break;
		old2 = pjson_path_index(&c->path, i);
		if (!json_is_object(v)) {
			rc = pjson_expected(c, "an object", v);
		} else {
			int bad = 0;

			bad |= pjson_keys(c, v, keys) < 0;
			bad |= pjson_str(c, v, "name", REQ, &name) < 0;
			bad |= pjson_str(c, v, "driver", REQ, &driver) < 0;
			bad |= pjson_str(c, v, "hostname", OPT, &hostname) < 0;
			if (!(d = aclf_policy_add_device(c->p, name, driver)) ||
			    !(d->hostname = hostname, 1)) {
				bad |= pjson_nomem(c) < 0;
			} else {
				bad |= pjson_unique(c, seen, "device", "name", name) < 0;
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
	struct pjson_rctx c = { .err = err, .name = name ? name : "<input>" };
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
		pjson_nomem(&c);
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
