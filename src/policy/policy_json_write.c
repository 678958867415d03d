/* The policy as JSON: the writer. Builds a jansson tree with keys in a fixed
 * order and dumps it with two-space indentation and a trailing newline. The
 * format is documented in README.md and read back by policy_json_read.c. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "policy_json_int.h"

#define PJSON_DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct wctx {
	struct aclf_err *err;
	struct aclf_buf path; /* JSON path of the value being written */
	bool failed;          /* an error has been recorded */
};

static json_t *w_nomem(struct wctx *w)
{
	if (!w->failed)
		aclf_err_set(w->err, ACLF_E_NOMEM, "out of memory while writing json");
	w->failed = true;
	return NULL;
}

/* A JSON string, or null for a NULL string. Strings that are not valid UTF-8
 * cannot be written as JSON: that is an error naming the path. */
static json_t *w_str(struct wctx *w, const char *key, const char *s)
{
	json_t *v, *raw;
	size_t old;

	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	raw = json_string_nocheck(s);
	if (!raw)
		return w_nomem(w);
	json_decref(raw);
	if (!w->failed) {
		old = pjson_path_key(&w->path, key);
		aclf_err_set(w->err, ACLF_E_INPUT, "%s: string is not valid utf-8", w->path.buf);
		pjson_path_pop(&w->path, old);
	}
	w->failed = true;
	return NULL;
}

/* Set obj[key] = v, taking the reference. A NULL v is a failure already
 * recorded (or out of memory). */
static int w_set(struct wctx *w, json_t *obj, const char *key, json_t *v)
{
	if (!v) {
		w_nomem(w);
		return -1;
	}
	if (json_object_set_new(obj, key, v) < 0) {
		w_nomem(w);
		return -1;
	}
	return 0;
}

static int w_append(struct wctx *w, json_t *arr, json_t *v)
{
	if (!v) {
		w_nomem(w);
		return -1;
	}
	if (json_array_append_new(arr, v) < 0) {
		w_nomem(w);
		return -1;
	}
	return 0;
}

static json_t *w_proto(int proto)
{
	char tmp[16];
	const char *s;

	switch (proto) {
	case ACLF_PROTO_ANY:
	case ACLF_PROTO_ICMP:
	case ACLF_PROTO_TCP:
	case ACLF_PROTO_UDP:
	case ACLF_PROTO_ICMP6:
		s = aclf_proto_name(proto, tmp, sizeof(tmp));
		return json_string(s);
	default:
		return json_integer(proto);
	}
}

static json_t *w_pset(struct wctx *w, const struct aclf_prefix_set *set)
{
	json_t *arr = json_array();
	char tmp[ACLF_PREFIX_STRLEN];

	if (!arr)
		return w_nomem(w);
	for (size_t i = 0; i < set->n; i++) {
		aclf_prefix_format(&set->v[i], tmp, sizeof(tmp));
		if (w_append(w, arr, json_string(tmp)) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *w_ports(struct wctx *w, const struct aclf_port_set *set)
{
	json_t *arr = json_array();

	if (!arr)
		return w_nomem(w);
	for (size_t i = 0; i < set->n; i++) {
		json_t *pair = json_pack("[ii]", (int)set->v[i].lo, (int)set->v[i].hi);

		if (w_append(w, arr, pair) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *w_addr(const struct aclf_prefix *p)
{
	char tmp[ACLF_PREFIX_STRLEN];

	if (aclf_prefix_is_host(p))
		aclf_prefix_format_addr(p, tmp, sizeof(tmp));
	else
		aclf_prefix_format(p, tmp, sizeof(tmp));
	return json_string(tmp);
}

static json_t *w_prov(struct wctx *w, const struct aclf_prov *v, size_t n)
{
	json_t *arr = json_array();
	size_t old, old2;
	int rc = 0;

	if (!arr)
		return w_nomem(w);
	old = pjson_path_key(&w->path, "provenance");
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *o = json_object();

		old2 = pjson_path_index(&w->path, i);
		if (!o) {
			rc = -1;
			w_nomem(w);
		} else if (w_set(w, o, "kind", w_str(w, "kind", v[i].kind)) < 0 ||
			   w_set(w, o, "ref", w_str(w, "ref", v[i].ref)) < 0) {
			json_decref(o);
			rc = -1;
		} else {
			rc = w_append(w, arr, o);
		}
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static int w_rule_fields(struct wctx *w, json_t *o, const struct aclf_rule *r)
{
	if (w_set(w, o, "id", w_str(w, "id", r->id)) < 0)
		return -1;
	if (r->device_name && w_set(w, o, "device_name", w_str(w, "device_name", r->device_name)) < 0)
		return -1;
	if (w_set(w, o, "action", json_string(aclf_action_name(r->action))) < 0 ||
	    w_set(w, o, "protocol", w_proto(r->protocol)) < 0 ||
	    w_set(w, o, "src", w_pset(w, &r->src)) < 0 || w_set(w, o, "dst", w_pset(w, &r->dst)) < 0)
		return -1;
	if (r->src_name && w_set(w, o, "src_name", w_str(w, "src_name", r->src_name)) < 0)
		return -1;
	if (r->dst_name && w_set(w, o, "dst_name", w_str(w, "dst_name", r->dst_name)) < 0)
		return -1;
	if (w_set(w, o, "src_ports", w_ports(w, &r->src_ports)) < 0 ||
	    w_set(w, o, "dst_ports", w_ports(w, &r->dst_ports)) < 0 ||
	    w_set(w, o, "established", json_boolean(r->established)) < 0)
		return -1;
	if (r->comment && w_set(w, o, "comment", w_str(w, "comment", r->comment)) < 0)
		return -1;
	if (r->hits >= 0 && w_set(w, o, "hits", json_integer((json_int_t)r->hits)) < 0)
		return -1;
	if (r->opaque && (w_set(w, o, "opaque", w_str(w, "opaque", r->opaque)) < 0 ||
			  (r->raw && w_set(w, o, "raw", w_str(w, "raw", r->raw)) < 0)))
		return -1;
	return w_set(w, o, "provenance", w_prov(w, r->prov, r->nprov));
}

static json_t *w_rule(struct wctx *w, const struct aclf_rule *r)
{
	json_t *o = json_object();

	if (!o)
		return w_nomem(w);
	if (w_rule_fields(w, o, r) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *binding_kind_name(enum aclf_binding_kind k)
{
	switch (k) {
	case ACLF_BIND_NONE:
		return "none";
	case ACLF_BIND_INTERFACE:
		return "interface";
	case ACLF_BIND_CHAIN:
		return "chain";
	}
	return "none";
}

static json_t *w_binding(struct wctx *w, const struct aclf_binding *b)
{
	json_t *o = json_object();
	size_t old;
	int rc;

	if (!o)
		return w_nomem(w);
	old = pjson_path_key(&w->path, "binding");
	rc = w_set(w, o, "kind", json_string(binding_kind_name(b->kind)));
	if (rc == 0)
		rc = w_set(w, o, "name", w_str(w, "name", b->name));
	if (rc == 0)
		rc = w_set(w, o, "direction", json_string(aclf_direction_name(b->direction)));
	pjson_path_pop(&w->path, old);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int w_filter_fields(struct wctx *w, json_t *o, const struct aclf_filter *f)
{
	json_t *rules;
	size_t old, old2;
	int rc = 0;

	if (w_set(w, o, "name", w_str(w, "name", f->name)) < 0 ||
	    w_set(w, o, "binding", w_binding(w, &f->binding)) < 0 ||
	    w_set(w, o, "default_action", json_string(aclf_action_name(f->default_action))) < 0)
		return -1;
	rules = json_array();
	if (w_set(w, o, "rules", rules) < 0)
		return -1;
	old = pjson_path_key(&w->path, "rules");
	for (size_t i = 0; i < f->nrules && rc == 0; i++) {
		old2 = pjson_path_index(&w->path, i);
		rc = w_append(w, rules, w_rule(w, &f->rules[i]));
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	return rc;
}

static json_t *w_monitor(struct wctx *w, const struct aclf_lb_monitor *m)
{
	json_t *o;

	if (!m->type)
		return json_null();
	o = json_object();
	if (!o)
		return w_nomem(w);
	if (w_set(w, o, "type", w_str(w, "monitor.type", m->type)) < 0 ||
	    w_set(w, o, "port", json_integer(m->port)) < 0 ||
	    w_set(w, o, "interval", json_integer(m->interval)) < 0 ||
	    w_set(w, o, "timeout", json_integer(m->timeout)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *w_persist(struct wctx *w, const struct aclf_lb_persist *ps)
{
	json_t *o = json_object();

	if (!o)
		return w_nomem(w);
	if (w_set(w, o, "kind", json_string(aclf_persist_name(ps->kind))) < 0 ||
	    w_set(w, o, "mask_len", json_integer(ps->mask_len)) < 0 ||
	    w_set(w, o, "timeout", json_integer(ps->timeout)) < 0 ||
	    w_set(w, o, "cookie_name", w_str(w, "persistence.cookie_name", ps->cookie_name)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Written only when on: a service balanced per connection has no "request". */
static json_t *w_request(struct wctx *w, const struct aclf_lb_request *r)
{
	json_t *o = json_object();

	if (!o)
		return w_nomem(w);
	if (w_set(w, o, "enabled", json_boolean(r->enabled)) < 0 ||
	    w_set(w, o, "reuse_mask_len", json_integer(r->reuse_mask_len)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Written only when the service names a TLS profile (a parsed one may name
 * a server side alone). */
static json_t *w_tls(struct wctx *w, const struct aclf_lb_tls *t)
{
	json_t *o = json_object();

	if (!o)
		return w_nomem(w);
	if ((t->client_profile &&
	     w_set(w, o, "client_profile", w_str(w, "tls.client_profile", t->client_profile)) < 0) ||
	    (t->server_profile &&
	     w_set(w, o, "server_profile", w_str(w, "tls.server_profile", t->server_profile)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *w_member(struct wctx *w, const struct aclf_lb_member *m)
{
	json_t *o = json_object();

	if (!o)
		return w_nomem(w);
	if ((m->name && w_set(w, o, "name", w_str(w, "name", m->name)) < 0) ||
	    w_set(w, o, "address", w_addr(&m->address)) < 0 ||
	    w_set(w, o, "port", json_integer(m->port)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int w_lb_fields(struct wctx *w, json_t *o, const struct aclf_lb_service *s)
{
	json_t *members;
	size_t old, old2;
	int rc = 0;

	if (w_set(w, o, "name", w_str(w, "name", s->name)) < 0 ||
	    w_set(w, o, "pool", w_str(w, "pool", s->pool_name)) < 0 ||
	    w_set(w, o, "vip", w_addr(&s->vip)) < 0 ||
	    w_set(w, o, "protocol", w_proto(s->protocol)) < 0 ||
	    w_set(w, o, "port", json_integer(s->port)) < 0)
		return -1;
	members = json_array();
	if (w_set(w, o, "members", members) < 0)
		return -1;
	old = pjson_path_key(&w->path, "members");
	for (size_t i = 0; i < s->nmembers && rc == 0; i++) {
		old2 = pjson_path_index(&w->path, i);
		rc = w_append(w, members, w_member(w, &s->members[i]));
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	if (rc < 0)
		return -1;
	if (w_set(w, o, "monitor", w_monitor(w, &s->monitor)) < 0 ||
	    w_set(w, o, "persistence", w_persist(w, &s->persistence)) < 0 ||
	    w_set(w, o, "snat", json_string(aclf_snat_name(s->snat))) < 0 ||
	    w_set(w, o, "idle_timeout", json_integer(s->idle_timeout)) < 0 ||
	    w_set(w, o, "lb_method", w_str(w, "lb_method", s->lb_method)) < 0)
		return -1;
	if (s->vlan && w_set(w, o, "vlan", w_str(w, "vlan", s->vlan)) < 0)
		return -1;
	if (s->request.enabled && w_set(w, o, "request", w_request(w, &s->request)) < 0)
		return -1;
	if ((s->tls.client_profile || s->tls.server_profile) && w_set(w, o, "tls", w_tls(w, &s->tls)) < 0)
		return -1;
	if (s->disabled && w_set(w, o, "disabled", json_boolean(true)) < 0)
		return -1;
	if ((s->no_translate_address &&
	     w_set(w, o, "translate_address", json_boolean(false)) < 0) ||
	    (s->no_translate_port && w_set(w, o, "translate_port", json_boolean(false)) < 0))
		return -1;
	if (s->opaque && (w_set(w, o, "opaque", w_str(w, "opaque", s->opaque)) < 0 ||
			  (s->raw && w_set(w, o, "raw", w_str(w, "raw", s->raw)) < 0)))
		return -1;
	return w_set(w, o, "provenance", w_prov(w, s->prov, s->nprov));
}

static int w_device_fields(struct wctx *w, json_t *o, const struct aclf_devpol *d)
{
	json_t *filters, *lbs;
	size_t old, old2;
	int rc = 0;

	if (w_set(w, o, "name", w_str(w, "name", d->name)) < 0 ||
	    w_set(w, o, "driver", w_str(w, "driver", d->driver)) < 0 ||
	    (d->hostname && w_set(w, o, "hostname", w_str(w, "hostname", d->hostname)) < 0))
		return -1;
	if (aclf_devpol_opaque_count(d) &&
	    w_set(w, o, "opaque_entries", json_integer((json_int_t)aclf_devpol_opaque_count(d))) < 0)
		return -1;
	filters = json_array();
	if (w_set(w, o, "filters", filters) < 0)
		return -1;
	old = pjson_path_key(&w->path, "filters");
	for (size_t i = 0; i < d->nfilters && rc == 0; i++) {
		json_t *fo = json_object();

		old2 = pjson_path_index(&w->path, i);
		if (w_append(w, filters, fo) == 0)
			rc = w_filter_fields(w, fo, &d->filters[i]);
		else
			rc = -1;
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	if (rc < 0)
		return -1;
	lbs = json_array();
	if (w_set(w, o, "lb_services", lbs) < 0)
		return -1;
	old = pjson_path_key(&w->path, "lb_services");
	for (size_t i = 0; i < d->nlb && rc == 0; i++) {
		json_t *lo = json_object();

		old2 = pjson_path_index(&w->path, i);
		if (w_append(w, lbs, lo) == 0)
			rc = w_lb_fields(w, lo, &d->lb[i]);
		else
			rc = -1;
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	return rc;
}

static json_t *w_policy(struct wctx *w, const struct aclf_policy *p)
{
	json_t *root = json_object();
	json_t *devices = json_array();
	size_t old, old2;
	int rc = 0;

	if (!root || !devices) {
		json_decref(root);
		json_decref(devices);
		return w_nomem(w);
	}
	if (w_set(w, root, "devices", devices) < 0) {
		json_decref(root);
		return NULL;
	}
	old = pjson_path_key(&w->path, "devices");
	for (size_t i = 0; i < p->ndevices && rc == 0; i++) {
		json_t *d = json_object();

		old2 = pjson_path_index(&w->path, i);
		if (w_append(w, devices, d) == 0)
			rc = w_device_fields(w, d, &p->devices[i]);
		else
			rc = -1;
		pjson_path_pop(&w->path, old2);
	}
	pjson_path_pop(&w->path, old);
	if (rc < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	return aclf_buf_add(data, buffer, size);
}

int aclf_policy_to_json(const struct aclf_policy *p, struct aclf_buf *out, struct aclf_err *err)
{
	struct wctx w = { .err = err, .failed = false };
	size_t start = out->len;
	json_t *root;
	int rc = -1;

	aclf_buf_init(&w.path, 0);
	if (!p) {
		aclf_err_set(err, ACLF_E_BUG, "no policy to write as json");
		goto out;
	}
	root = w_policy(&w, p);
	if (!root)
		goto out;
	if (json_dump_callback(root, dump_cb, out, PJSON_DUMP_FLAGS) < 0 ||
	    aclf_buf_putc(out, '\n') < 0) {
		/* give back what was appended: never a partial document */
		pjson_path_pop(out, start);
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory or over the size cap while writing json");
	} else {
		rc = 0;
	}
	json_decref(root);
out:
	aclf_buf_release(&w.path);
	return rc;
}
