/* Reassemble lb services from parsed objects: virtual -> pool -> members
 * (node addresses) -> monitor, persistence, tcp/udp profile idle timeout,
 * http + one-connect (request-level balancing), SNAT and VLAN. One service per virtual, in text order.
 *
 * Names: "/Common/x", "Common/x" (cd /; list recursive) and "x" (relative
 * to the referring object's folder, or its `partition`) all resolve; a name
 * that still does not resolve is looked up by its last component when that
 * is unique. Built-in objects (/Common/tcp, /Common/source_addr, ...) need
 * not be in the text. Services show names without "/Common/".
 *
 * What the IR cannot hold is kept as provenance notes {"note", text}: route
 * domains, SNAT pools, monitor rules with several monitors, references not
 * in the text (strict mode: an error). What changes which traffic the
 * virtual carries and cannot be held makes the service opaque
 * (aclf_lb_service.opaque, with the device's words; strict mode: an error):
 * a source restriction, a virtual type that does not load balance
 * (ip-forward, l2-forward, reject, internal, stateless, dhcp-relay), a
 * disabled virtual, and VLAN lists other than one enabled VLAN.
 * source-port (preserve, preserve-strict, change) is not read: it changes
 * the port servers see, not who reaches the virtual or where it sends.
 * Every object a service uses that is in the text is recorded as
 * {"device", "ltm <type> /Folder/name"}, which bigip_render_delete() reads. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip_int.h"

struct actx {
	struct bip_doc *doc;
	struct aclf_policy *pol;
	struct aclf_lb_service *s;
	const char *label;    /* the input in messages */
	bool strict;
	bool desc_ours;       /* the virtual's description was written by render */
	struct aclf_err *err;
	/* provenance gathered while assembling one service, added at the end */
	const char **dev, **notes;
	size_t ndev, devcap, nnotes, notecap;
	const struct bip_obj **by_path, **by_base; /* sorted indexes for lookup() */
};

static int a_nomem(struct actx *c)
{
	return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory assembling big-ip services");
}

static int a_error(struct actx *c, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int a_error(struct actx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_err_vat(c->err, c->label, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int add_str(struct actx *c, const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (!s || aclf_arena_grow(&c->doc->arena, (void **)v, *n, cap, sizeof(**v)) < 0)
		return a_nomem(c);
	(*v)[(*n)++] = s;
	return 0;
}

static int note(struct actx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct actx *c, const char *fmt, ...)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	va_list ap;
	char *s;
	int r;

	aclf_buf_init(&b, 0);
	va_start(ap, fmt);
	r = aclf_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s = r < 0 ? NULL : aclf_arena_strdup(&c->doc->arena, b.buf);
	aclf_buf_release(&b);
	return add_str(c, &c->notes, &c->nnotes, &c->notecap, s);
}

/* Something that changes which traffic the virtual carries and that the
 * service cannot hold: the service becomes opaque with why and the
 * device's text (several are joined with "; "), or in strict mode an error
 * at line:col. */
static int opaque(struct actx *c, unsigned line, unsigned col, const char *why, const char *raw)
{
	struct aclf_lb_service *s = c->s;

	if (c->strict)
		return a_error(c, line, col, "virtual '%s': %s: '%s' (not fully understood; without "
			       "--strict the service is kept as opaque)", s->name ? s->name : "?",
			       why, raw);
	s->opaque = s->opaque ? aclf_arena_printf(&c->pol->arena, "%s; %s", s->opaque, why)
			      : aclf_arena_strdup(&c->pol->arena, why);
	s->raw = s->raw ? aclf_arena_printf(&c->pol->arena, "%s; %s", s->raw, raw)
			: aclf_arena_strdup(&c->pol->arena, raw);
	return s->opaque && s->raw ? 0 : a_nomem(c);
}

/* A reference not in the text: a note, or in strict mode an error. */
static int missing(struct actx *c, const struct bip_val *at, const char *what, const char *ref,
		   const char *consequence)
{
	if (c->strict)
		return a_error(c, at->line, at->col, "%s '%s' is not in the text", what, ref);
	return note(c, "%s '%s' not in the text: %s", what, ref, consequence);
}

static int device_ref(struct actx *c, const struct bip_obj *o)
{
	const char *kind = o->kind == BK_VIRTUAL ? "virtual"
			   : o->kind == BK_TMC	    ? "traffic-matching-criteria"
			   : o->kind == BK_POOL	    ? "pool"
			   : o->kind == BK_NODE	    ? "node"
			   : o->kind == BK_MONITOR  ? "monitor"
			   : o->kind == BK_PERSIST  ? "persistence"
						    : "profile";
	char *s = o->type ? aclf_arena_printf(&c->doc->arena, "ltm %s %s %s", kind, o->type, o->path)
			  : aclf_arena_printf(&c->doc->arena, "ltm %s %s", kind, o->path);

	return add_str(c, &c->dev, &c->ndev, &c->devcap, s);
}

/* ---- names ---------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Folder of an object: from its header name, else its partition, else /Common. */
static char *obj_folder(struct aclf_arena *a, const struct bip_obj *o)
{
	const char *slash = strrchr(o->hdr, '/');

	if (slash && o->hdr[0] == '/')
		return aclf_arena_strndup(a, o->hdr, (size_t)(slash - o->hdr));
	if (slash)
		return aclf_arena_printf(a, "/%.*s", (int)(slash - o->hdr), o->hdr);
	if (o->partition.s && o->partition.s[0] != '/')
		return aclf_arena_printf(a, "/%s", o->partition.s);
	if (o->partition.s)
		return aclf_arena_strdup(a, o->partition.s);
	return aclf_arena_strdup(a, "/Common");
}

static char *norm_path(struct aclf_arena *a, const char *folder, const char *ref)
{
	if (ref[0] == '/')
		return aclf_arena_strdup(a, ref);
	if (strchr(ref, '/'))
		return aclf_arena_printf(a, "/%s", ref);
	return aclf_arena_printf(a, "%s/%s", folder, ref);
}

static const char *display(const char *path)
{
	return strncmp(path, "/Common/", 8) == 0 ? path + 8 : path;
}

/* Objects sorted by (kind, path) and by (kind, last name component), later
 * definitions first, so lookups are binary searches: configurations have
 * tens of thousands of nodes and pool members. */
static int by_path(const void *a, const void *b)
{
	const struct bip_obj *x = *(const struct bip_obj *const *)a;
	const struct bip_obj *y = *(const struct bip_obj *const *)b;
	int r = (int)x->kind - (int)y->kind;

	if (!r)
		r = strcmp(x->path, y->path);
	if (!r)
		r = x < y ? 1 : x > y ? -1 : 0;
	return r;
}

static int by_base(const void *a, const void *b)
{
	const struct bip_obj *x = *(const struct bip_obj *const *)a;
	const struct bip_obj *y = *(const struct bip_obj *const *)b;
	int r = (int)x->kind - (int)y->kind;

	if (!r)
		r = strcmp(base_name(x->path), base_name(y->path));
	if (!r)
		r = x < y ? 1 : x > y ? -1 : 0;
	return r;
}

static int build_index(struct actx *c)
{
	size_t n = c->doc->nobjs;

	c->by_path = aclf_arena_alloc(&c->doc->arena, (n ? n : 1) * sizeof(*c->by_path));
	c->by_base = aclf_arena_alloc(&c->doc->arena, (n ? n : 1) * sizeof(*c->by_base));
	if (!c->by_path || !c->by_base)
		return -1;
	for (size_t i = 0; i < n; i++)
		c->by_path[i] = c->by_base[i] = &c->doc->objs[i];
	if (n) {
		qsort(c->by_path, n, sizeof(*c->by_path), by_path);
		qsort(c->by_base, n, sizeof(*c->by_base), by_base);
	}
	return 0;
}

/* First index whose (kind, path or last component) is not below (kind, key). */
static size_t lower_bound(const struct bip_obj *const *v, size_t n, enum bip_kind kind,
			  const char *key, bool base)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct bip_obj *o = v[mid];
		int r = (int)o->kind - (int)kind;
		if (!r)
			r = strcmp(base ? base_name(o->path) : o->path, key);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct bip_obj *lookup(struct actx *c, enum bip_kind kind, const char *path)
{
	size_t n = c->doc->nobjs, i;
	const char *b = base_name(path);

	i = lower_bound(c->by_path, n, kind, path, false);
	if (i < n && c->by_path[i]->kind == kind && strcmp(c->by_path[i]->path, path) == 0)
		return c->by_path[i]; /* the last definition */
	/* by last name component, when that is unique */
	i = lower_bound(c->by_base, n, kind, b, true);
	if (i >= n || c->by_base[i]->kind != kind || strcmp(base_name(c->by_base[i]->path), b) != 0)
		return NULL;
	for (size_t j = i + 1; j < n && c->by_base[j]->kind == kind &&
			       strcmp(base_name(c->by_base[j]->path), b) == 0;
	     j++)
		if (strcmp(c->by_base[j]->path, c->by_base[i]->path) != 0)
			return NULL; /* two folders hold that name */
	return c->by_base[i];
}

static bool is_common(const char *path)
{
	return strncmp(path, "/Common/", 8) == 0 && !strchr(path + 8, '/');
}

static bool builtin(const char *path, const char *const *names, size_t n)
{
	if (!is_common(path))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(path + 8, names[i]) == 0)
			return true;
	return false;
}

/* ---- numbers ----------------------------------------------------------- */

static int parse_uint(struct actx *c, const struct bip_val *v, const char *what, unsigned *out)
{
	char *end;
	unsigned long x;

	if (strcmp(v->s, "indefinite") == 0) {
		*out = UINT_MAX;
		return 0;
	}
	if (v->s[0] < '0' || v->s[0] > '9' || strlen(v->s) > 10)
		return a_error(c, v->line, v->col, "bad %s '%s'", what, v->s);
	x = strtoul(v->s, &end, 10);
	if (*end || x >= UINT_MAX)
		return a_error(c, v->line, v->col, "bad %s '%s'", what, v->s);
	*out = (unsigned)x;
	return 0;
}

/* Walk defaults-from for the first object that sets the field at off. */
static const struct bip_val *inherited(struct actx *c, const struct bip_obj *o, size_t off)
{
	char *folder;

	for (int depth = 0; o && depth < 16; depth++) {
		const struct bip_val *v = (const struct bip_val *)((const char *)o + off);
		const char *path;
		if (v->s)
			return v;
		if (!o->defaults_from.s || strcmp(o->defaults_from.s, "none") == 0)
			return NULL;
		folder = obj_folder(&c->doc->arena, o);
		path = folder ? norm_path(&c->doc->arena, folder, o->defaults_from.s) : NULL;
		o = path ? lookup(c, o->kind, path) : NULL;
	}
	return NULL;
}

/* ---- service parts -------------------------------------------------------- */

static const char *const builtin_monitors[] = {
	"tcp", "http", "https", "tcp_half_open", "gateway_icmp", "udp", "icmp", "tcp_echo",
	"https_443", "http_head_f5", "https_head_f5", "inband",
};

/* "*:5061", "*:*", "10.1.1.1:sip-tls", "2001:db8::1.5061", "*.5061" */
static int monitor_port(const char *dest, uint16_t *port)
{
	const char *c1 = strchr(dest, ':');
	const char *sep = c1 && !strchr(c1 + 1, ':') ? c1 : strrchr(dest, '.');

	if (!sep)
		return -1;
	return bigip_port_parse(sep + 1, port);
}

static int assemble_monitor(struct actx *c, const struct bip_obj *pool, const char *folder)
{
	struct aclf_lb_monitor *m = &c->s->monitor;
	const struct bip_item *it;
	const struct bip_obj *mo;
	const struct bip_val *v;
	char *path;

	if (pool->monitors.n == 0)
		return 0;
	it = &pool->monitors.v[0];
	if (pool->monitors.n > 1 &&
	    note(c, "monitor rule '%s' has %zu monitors: only '%s' recorded",
		 pool->monitor_rule.s ? pool->monitor_rule.s : "and", pool->monitors.n,
		 it->name) < 0)
		return -1;
	path = norm_path(&c->doc->arena, folder, it->name);
	if (!path)
		return a_nomem(c);
	mo = lookup(c, BK_MONITOR, path);
	if (!mo) {
		if (builtin(path, builtin_monitors,
			    sizeof(builtin_monitors) / sizeof(builtin_monitors[0]))) {
			char *t = aclf_arena_strdup(&c->pol->arena, path + 8);
			if (!t)
				return a_nomem(c);
			for (char *p = t; *p; p++)
				if (*p == '_')
					*p = '-';
			m->type = t;
			return 0;
		}
		struct bip_val at = { it->name, it->line, it->col };
		return missing(c, &at, "monitor", it->name, "no monitor recorded");
	}
	m->type = aclf_arena_strdup(&c->pol->arena, mo->type);
	if (!m->type || device_ref(c, mo) < 0)
		return a_nomem(c);
	if ((v = inherited(c, mo, offsetof(struct bip_obj, destination))) &&
	    monitor_port(v->s, &m->port) < 0)
		return a_error(c, v->line, v->col, "bad monitor destination '%s'", v->s);
	if ((v = inherited(c, mo, offsetof(struct bip_obj, interval))) &&
	    parse_uint(c, v, "interval", &m->interval) < 0)
		return -1;
	if ((v = inherited(c, mo, offsetof(struct bip_obj, timeout))) &&
	    parse_uint(c, v, "timeout", &m->timeout) < 0)
		return -1;
	return 0;
}

/* Member name from its node: the server name render kept in the node's
 * description, else the node name without aclforge's prefix; NULL when the
 * name is just the address. */
static const char *member_name(struct actx *c, const char *node, const struct bip_obj *nobj,
			       const struct aclf_prefix *addr)
{
	static const char magic[] = BIGIP_DESC_MAGIC " name=";
	char abuf[ACLF_PREFIX_STRLEN];
	const char *b = base_name(node);
	char *san;

	if (nobj && nobj->description.s &&
	    strncmp(nobj->description.s, magic, sizeof(magic) - 1) == 0) {
		const char *v = nobj->description.s + sizeof(magic) - 1;
		char *d = bip_pct_decode(&c->doc->arena, v, strcspn(v, " "));
		if (d && *d)
			return d;
	}
	aclf_prefix_format_addr(addr, abuf, sizeof(abuf));
	if (strncmp(b, BIGIP_PREFIX, strlen(BIGIP_PREFIX)) != 0)
		return strncmp(b, abuf, strlen(abuf)) == 0 &&
				       (b[strlen(abuf)] == '\0' || b[strlen(abuf)] == '%')
			       ? NULL
			       : b;
	b += strlen(BIGIP_PREFIX);
	san = bip_sanitize(&c->doc->arena, abuf);
	if (san && strcmp(b, san) == 0)
		return NULL;
	return b;
}

static int assemble_member(struct actx *c, const struct bip_obj *pool, const char *folder,
			   const struct bip_item *it)
{
	struct aclf_prefix addr;
	const struct bip_obj *node;
	char *npath, *nname = NULL;
	const char *aname = NULL;
	uint16_t port;
	long rd = -1;
	int r = bigip_split_member(&c->doc->arena, it->name, &nname, &port);

	(void)pool;
	if (r == -2)
		return a_error(c, it->line, it->col,
			       "unknown service name in pool member '%s' (list with 'modify cli "
			       "global-settings service number')",
			       it->name);
	if (r < 0 || !nname)
		return a_error(c, it->line, it->col, "bad pool member '%s'", it->name);
	npath = norm_path(&c->doc->arena, folder, nname);
	if (!npath)
		return a_nomem(c);
	node = lookup(c, BK_NODE, npath);
	if (node && device_ref(c, node) < 0)
		return -1;
	if (it->address.s && strcmp(it->address.s, "any6") != 0 && strcmp(it->address.s, "any") != 0) {
		aname = it->address.s;
		if (bigip_parse_addr(aname, &addr, &rd) < 0)
			return a_error(c, it->address.line, it->address.col,
				       "bad member address '%s'", aname);
	} else if (node && node->address.s) {
		aname = node->address.s;
		if (bigip_parse_addr(aname, &addr, &rd) < 0)
			return a_error(c, node->address.line, node->address.col,
				       "bad node address '%s'", aname);
	} else if (bigip_parse_addr(base_name(nname), &addr, &rd) == 0) {
		aname = base_name(nname);
	} else {
		struct bip_val at = { it->name, it->line, it->col };
		return missing(c, &at, "node", display(npath), "member skipped");
	}
	if (rd >= 0 && note(c, "route domain %ld stripped from member '%s'", rd, it->name) < 0)
		return -1;
	if (aclf_lb_add_member(c->pol, c->s, member_name(c, npath, node, &addr), &addr, port) < 0)
		return a_nomem(c);
	return 0;
}

static int assemble_pool(struct actx *c, const struct bip_obj *v, const char *vfolder)
{
	const struct bip_obj *pool;
	char *path, *folder;

	if (!v->pool.s || strcmp(v->pool.s, "none") == 0)
		return note(c, "virtual has no pool");
	path = norm_path(&c->doc->arena, vfolder, v->pool.s);
	if (!path)
		return a_nomem(c);
	if (!c->desc_ours && !c->s->pool_name &&
	    !(c->s->pool_name = aclf_arena_strdup(&c->pol->arena, display(path))))
		return a_nomem(c);
	pool = lookup(c, BK_POOL, path);
	if (!pool)
		return missing(c, &v->pool, "pool", display(path), "no members");
	if (device_ref(c, pool) < 0)
		return -1;
	folder = obj_folder(&c->doc->arena, pool);
	if (!folder)
		return a_nomem(c);
	if (pool->lb_method.s && !(c->s->lb_method = aclf_arena_strdup(&c->pol->arena,
								      pool->lb_method.s)))
		return a_nomem(c);
	for (size_t i = 0; i < pool->members.n; i++)
		if (assemble_member(c, pool, folder, &pool->members.v[i]) < 0)
			return -1;
	return assemble_monitor(c, pool, folder);
}

static const char *const builtin_transport[] = {
	"tcp", "udp", "fastL4", "fasthttp", "tcp-lan-optimized", "tcp-wan-optimized",
	"tcp-mobile-optimized", "f5-tcp-lan", "f5-tcp-wan", "f5-tcp-mobile", "f5-tcp-progressive",
	"mptcp-mobile-optimized", "tcp-legacy", "udp_gtm_dns", "udp_decrement_ttl",
};

static bool transport_type(const char *t)
{
	return strcmp(t, "tcp") == 0 || strcmp(t, "udp") == 0 || strcmp(t, "fastl4") == 0;
}

static int assemble_profile(struct actx *c, const struct bip_obj *v, const char *folder)
{
	const struct bip_item *missing_it = NULL;

	for (size_t i = 0; i < v->profiles.n; i++) {
		const struct bip_item *it = &v->profiles.v[i];
		const struct bip_obj *po;
		const struct bip_val *idle;
		char *path = norm_path(&c->doc->arena, folder, it->name);

		if (!path)
			return a_nomem(c);
		if (it->context.s && strcmp(it->context.s, "serverside") == 0)
			continue;
		po = lookup(c, BK_PROFILE, path);
		if (!po) {
			if (builtin(path, builtin_transport,
				    sizeof(builtin_transport) / sizeof(builtin_transport[0])))
				return 0; /* device default idle timeout */
			if (!missing_it)
				missing_it = it;
			continue;
		}
		if (!transport_type(po->type))
			continue;
		if (device_ref(c, po) < 0)
			return -1;
		idle = inherited(c, po, offsetof(struct bip_obj, idle_timeout));
		if (!idle)
			return 0;
		if (strcmp(idle->s, "immediate") == 0)
			return note(c, "profile '%s' idle-timeout immediate recorded as default",
				    display(po->path));
		return parse_uint(c, idle, "idle-timeout", &c->s->idle_timeout);
	}
	if (missing_it) {
		struct bip_val at = { missing_it->name, missing_it->line, missing_it->col };
		return missing(c, &at, "profile", missing_it->name, "idle timeout unknown");
	}
	return 0;
}

/* Request-level balancing: an http profile and a one-connect profile on the
 * virtual (http alone keeps each client connection on one member). The
 * one-connect profile's source-mask (inherited through defaults-from; the
 * built-in oneconnect's is 0.0.0.0) is the reuse mask. */
static int assemble_request(struct actx *c, const struct bip_obj *v, const char *folder)
{
	const struct bip_obj *oc = NULL;
	bool http = false, onec = false;
	const struct bip_val *m;
	unsigned len;
	uint8_t fam;

	for (size_t i = 0; i < v->profiles.n; i++) {
		const struct bip_item *it = &v->profiles.v[i];
		const struct bip_obj *po;
		char *path = norm_path(&c->doc->arena, folder, it->name);

		if (!path)
			return a_nomem(c);
		po = lookup(c, BK_PROFILE, path);
		if (!po) {
			if (is_common(path) && strcmp(path + 8, "http") == 0)
				http = true;
			else if (is_common(path) && strcmp(path + 8, "oneconnect") == 0)
				onec = true;
			continue;
		}
		if (strcmp(po->type, "http") == 0) {
			http = true;
		} else if (strcmp(po->type, "one-connect") == 0) {
			onec = true;
			oc = po;
		} else {
			continue;
		}
		if (device_ref(c, po) < 0)
			return -1;
	}
	if (!http || !onec)
		return 0;
	c->s->request.enabled = true;
	if (!oc || !(m = inherited(c, oc, offsetof(struct bip_obj, source_mask))))
		return 0; /* the built-in oneconnect: source-mask 0.0.0.0 */
	if (bigip_parse_mask(m->s, &len, &fam) < 0 || (fam && fam != c->s->vip.family && len))
		return a_error(c, m->line, m->col, "bad source-mask '%s'", m->s);
	c->s->request.reuse_mask_len = (uint8_t)len;
	return 0;
}

/* TLS termination: the virtual's client-ssl profile (clientside) and
 * server-ssl profile (serverside), kept by full path as the topology names
 * them. The text's own object gives the type; a profile the text does not
 * define is a built-in by its name, or else taken by the context the
 * virtual gives it (render's lines reference the site's profiles that way),
 * unless it is a built-in transport profile. Several of one side (client
 * profiles chosen by SNI) make the service opaque. TLS profiles are the
 * site's: never recorded for deletion. */
static const char *const builtin_clientssl[] = {
	"clientssl", "clientssl-secure", "clientssl-insecure-compatible", "clientssl-quic",
	"wom-default-clientssl", "crypto-server-default-clientssl", "splitsession-default-clientssl",
};
static const char *const builtin_serverssl[] = {
	"serverssl", "serverssl-secure", "serverssl-insecure-compatible", "wom-default-serverssl",
	"crypto-client-default-serverssl", "splitsession-default-serverssl",
};
static const char *const builtin_not_tls[] = {
	"tcp", "udp", "fastL4", "fasthttp", "tcp-lan-optimized", "tcp-wan-optimized",
	"tcp-mobile-optimized", "f5-tcp-lan", "f5-tcp-wan", "f5-tcp-mobile", "f5-tcp-progressive",
	"mptcp-mobile-optimized", "tcp-legacy", "http", "oneconnect",
};
#define NB(v) (sizeof(v) / sizeof((v)[0]))

/* 1 client side, 2 server side, 0 not a TLS profile */
static int tls_side(struct actx *c, const struct bip_item *it, const char *path)
{
	const struct bip_obj *po = lookup(c, BK_PROFILE, path);
	const char *ctx = it->context.s;

	if (po)
		return strcmp(po->type, "client-ssl") == 0   ? 1
		       : strcmp(po->type, "server-ssl") == 0 ? 2
							     : 0;
	if (builtin(path, builtin_clientssl, NB(builtin_clientssl)))
		return 1;
	if (builtin(path, builtin_serverssl, NB(builtin_serverssl)))
		return 2;
	if (!ctx || builtin(path, builtin_not_tls, NB(builtin_not_tls)))
		return 0;
	return strcmp(ctx, "clientside") == 0 ? 1 : strcmp(ctx, "serverside") == 0 ? 2 : 0;
}

static int assemble_tls(struct actx *c, const struct bip_obj *v, const char *folder)
{
	const struct bip_item *first[3] = { NULL, NULL, NULL };

	for (size_t i = 0; i < v->profiles.n; i++) {
		const struct bip_item *it = &v->profiles.v[i];
		char *path = norm_path(&c->doc->arena, folder, it->name);
		const char **slot;
		int side;

		if (!path)
			return a_nomem(c);
		side = tls_side(c, it, path);
		if (!side)
			continue;
		slot = side == 1 ? &c->s->tls.client_profile : &c->s->tls.server_profile;
		if (first[side]) {
			char *raw = aclf_arena_printf(&c->pol->arena, "%s %s", first[side]->name, it->name);
			if (!raw || opaque(c, it->line, it->col, side == 1
					   ? "several client-side TLS profiles (chosen by server name)"
					   : "several server-side TLS profiles", raw) < 0)
				return raw ? -1 : a_nomem(c);
			continue;
		}
		first[side] = it;
		if (!(*slot = aclf_arena_strdup(&c->pol->arena, path)))
			return a_nomem(c);
	}
	return 0;
}

static const char *const builtin_persist_other[] = {
	"dest_addr", "ssl", "hash", "msrdp", "sip_info", "universal", "host",
};

static int assemble_persist(struct actx *c, const struct bip_obj *v, const char *folder)
{
	struct aclf_lb_persist *p = &c->s->persistence;
	const struct bip_item *it = NULL;
	const struct bip_obj *po;
	const struct bip_val *x;
	char *path;

	for (size_t i = 0; i < v->persist.n && !it; i++)
		if (v->persist.v[i].def.s && strcmp(v->persist.v[i].def.s, "yes") == 0)
			it = &v->persist.v[i];
	if (!it && v->persist.n)
		it = &v->persist.v[0];
	if (!it)
		return 0;
	path = norm_path(&c->doc->arena, folder, it->name);
	if (!path)
		return a_nomem(c);
	po = lookup(c, BK_PERSIST, path);
	if (!po) {
		const char *b = base_name(path);
		if (is_common(path) && strcmp(b, "source_addr") == 0) {
			p->kind = ACLF_PERSIST_SOURCE_ADDR;
			return 0;
		}
		if (is_common(path) && strcmp(b, "cookie") == 0) {
			p->kind = ACLF_PERSIST_COOKIE;
			return 0;
		}
		if (builtin(path, builtin_persist_other,
			    sizeof(builtin_persist_other) / sizeof(builtin_persist_other[0])))
			return note(c, "persistence '%s' is not source-addr or cookie: recorded as "
				    "none", display(path));
		struct bip_val at = { it->name, it->line, it->col };
		return missing(c, &at, "persistence profile", it->name, "persistence unknown");
	}
	if (device_ref(c, po) < 0)
		return -1;
	if (strcmp(po->type, "source-addr") == 0) {
		unsigned len = 0, t = 0;
		uint8_t fam = 0;
		p->kind = ACLF_PERSIST_SOURCE_ADDR;
		if ((x = inherited(c, po, offsetof(struct bip_obj, mask))) &&
		    bigip_parse_mask(x->s, &len, &fam) < 0)
			return a_error(c, x->line, x->col, "bad persistence mask '%s'", x->s);
		p->mask_len = (uint8_t)len;
		if ((x = inherited(c, po, offsetof(struct bip_obj, timeout))) &&
		    parse_uint(c, x, "timeout", &t) < 0)
			return -1;
		p->timeout = t;
		return 0;
	}
	if (strcmp(po->type, "cookie") == 0) {
		p->kind = ACLF_PERSIST_COOKIE;
		x = inherited(c, po, offsetof(struct bip_obj, cookie_name));
		if (x && !(p->cookie_name = aclf_arena_strdup(&c->pol->arena, x->s)))
			return a_nomem(c);
		return 0;
	}
	return note(c, "persistence '%s' of type '%s' is not representable: recorded as none",
		    display(po->path), po->type);
}

static bool vlans_enabled(const struct bip_obj *v)
{
	return v->vlans_state.s && strcmp(v->vlans_state.s, "vlans-enabled") == 0;
}

/* vlans-enabled with no VLAN or several, or vlans-disabled with a list:
 * the neutral service holds one listening VLAN or none (every VLAN). */
static int vlans_opaque(struct actx *c, const struct bip_obj *v)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	bool on = vlans_enabled(v);
	unsigned line = v->vlans.n ? v->vlans.v[0].line : v->vlans_state.line;
	unsigned col = v->vlans.n ? v->vlans.v[0].col : v->vlans_state.col;
	const char *why = !on	      ? "listens on every vlan but those listed"
			  : v->vlans.n ? "listens on several vlans"
				       : "vlans-enabled without vlans: listens nowhere";
	int r = 0;

	aclf_buf_init(&b, 0);
	r |= aclf_buf_printf(&b, "%s vlans {", on ? "vlans-enabled" : "vlans-disabled");
	for (size_t i = 0; i < v->vlans.n; i++)
		r |= aclf_buf_printf(&b, " %s", v->vlans.v[i].name);
	r |= aclf_buf_printf(&b, " }");
	r = r ? a_nomem(c) : opaque(c, line, col, why, b.buf);
	aclf_buf_release(&b);
	return r;
}

static int assemble_snat_vlan(struct actx *c, const struct bip_obj *v)
{
	const char *t = v->snat_type.s;

	if (t && strcmp(t, "automap") == 0) {
		c->s->snat = ACLF_SNAT_AUTOMAP;
	} else if (t && strcmp(t, "snat") == 0) {
		c->s->snat = ACLF_SNAT_AUTOMAP;
		if (note(c, "snat pool '%s' recorded as automap (source address translated)",
			 v->snat_pool.s ? v->snat_pool.s : "none") < 0)
			return -1;
	} else if (t && strcmp(t, "none") != 0) {
		if (note(c, "source-address-translation type '%s' recorded as none", t) < 0)
			return -1;
	} else if (!t && v->old_snat.s && strcmp(v->old_snat.s, "automap") == 0) {
		c->s->snat = ACLF_SNAT_AUTOMAP;
	} else if (!t && v->old_snatpool.s && strcmp(v->old_snatpool.s, "none") != 0) {
		c->s->snat = ACLF_SNAT_AUTOMAP;
		if (note(c, "snatpool '%s' recorded as automap (source address translated)",
			 v->old_snatpool.s) < 0)
			return -1;
	}
	if (vlans_enabled(v) && v->vlans.n == 1) {
		c->s->vlan = aclf_arena_strdup(&c->pol->arena, display(v->vlans.v[0].name));
		return c->s->vlan ? 0 : a_nomem(c);
	}
	if (vlans_enabled(v) || v->vlans.n)
		return vlans_opaque(c, v);
	return 0;
}

/* ---- description metadata written by render -------------------------------- */

static int apply_description(struct actx *c, const char *d)
{
	struct aclf_arena *a = &c->doc->arena;
	const char *p = d + strlen(BIGIP_DESC_MAGIC);

	if (strncmp(d, BIGIP_DESC_MAGIC " ", strlen(BIGIP_DESC_MAGIC) + 1) != 0)
		return 0;
	c->desc_ours = true;
	while (*p) {
		const char *f, *e, *eq;
		while (*p == ' ')
			p++;
		f = p;
		while (*p && *p != ' ')
			p++;
		e = p;
		eq = memchr(f, '=', (size_t)(e - f));
		if (f == e)
			break;
		if (!eq)
			return note(c, "description field '%.*s' not understood", (int)(e - f), f);
		if ((size_t)(eq - f) == 4 && strncmp(f, "name", 4) == 0) {
			char *v = bip_pct_decode(a, eq + 1, (size_t)(e - eq - 1));
			if (!v || !(c->s->name = aclf_arena_strdup(&c->pol->arena, v)))
				return note(c, "description name not understood");
		} else if ((size_t)(eq - f) == 4 && strncmp(f, "pool", 4) == 0) {
			char *v = bip_pct_decode(a, eq + 1, (size_t)(e - eq - 1));
			if (!v || !(c->s->pool_name = aclf_arena_strdup(&c->pol->arena, v)))
				return note(c, "description pool not understood");
		} else if ((size_t)(eq - f) == 4 && strncmp(f, "prov", 4) == 0) {
			const char *q = eq + 1;
			while (q < e) {
				const char *semi = memchr(q, ';', (size_t)(e - q));
				const char *end = semi ? semi : e;
				const char *colon = memchr(q, ':', (size_t)(end - q));
				char *k, *r;
				if (!colon)
					return note(c, "description provenance not understood");
				k = bip_pct_decode(a, q, (size_t)(colon - q));
				r = bip_pct_decode(a, colon + 1, (size_t)(end - colon - 1));
				if (!k || !r)
					return note(c, "description provenance not understood");
				if (aclf_lb_add_prov(c->pol, c->s, k, r) < 0)
					return a_nomem(c);
				q = semi ? semi + 1 : e;
			}
		}
	}
	return 0;
}

/* ---- one virtual ---------------------------------------------------------- */

/* A virtual with traffic-matching-criteria instead of a destination: its
 * VIP, port and protocol from the criteria (bigip_tmc.c). Criteria the
 * neutral lb service cannot hold (lists, ranges, a source) make it opaque,
 * with the criteria's text; criteria the text does not define, or whose
 * protocol the virtual contradicts, are errors in the file. */
static int tmc_virtual(struct actx *c, const struct bip_obj *v, const char *folder)
{
	const struct bip_obj *t;
	const struct bip_val *at;
	const char *why, *path = norm_path(&c->doc->arena, folder, v->tmc.s);
	char *reason, *raw;
	long rd;
	int proto, r;

	if (!path)
		return a_nomem(c);
	t = lookup(c, BK_TMC, path);
	if (!t)
		return a_error(c, v->tmc.line, v->tmc.col, "virtual '%s' names "
			       "traffic-matching-criteria '%s', which the text does not define",
			       v->hdr, display(path));
	r = bigip_tmc_dest(t, &c->s->vip, &c->s->port, &proto, &rd, &at, &why);
	if (proto >= 0 && v->ip_protocol.s && aclf_proto_parse(v->ip_protocol.s) != proto)
		return a_error(c, v->ip_protocol.line, v->ip_protocol.col, "virtual '%s': "
			       "ip-protocol '%s' differs from its traffic-matching-criteria's "
			       "protocol '%s'", v->hdr, v->ip_protocol.s, t->ip_protocol.s);
	if (device_ref(c, t) < 0)
		return -1;
	if (rd >= 0 && note(c, "route domain %ld stripped from traffic-matching-criteria '%s'",
			    rd, display(path)) < 0)
		return -1;
	if (proto >= 0 && !v->ip_protocol.s)
		c->s->protocol = proto;
	if (r == 0)
		return 0;
	reason = aclf_arena_printf(&c->doc->arena, "traffic-matching-criteria '%s' has %s%s%s%s, "
				   "which a neutral lb service cannot hold (one destination address "
				   "or network, one port, any source)", display(path), why,
				   at ? " '" : "", at ? at->s : "", at ? "'" : "");
	raw = bigip_tmc_text(&c->doc->arena, t);
	if (!reason || !raw)
		return a_nomem(c);
	return opaque(c, at ? at->line : t->line, at ? at->col : t->col, reason, raw);
}

/* "0.0.0.0/0", "::/0", "0.0.0.0%2/0": every client */
static bool any_source(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && strcmp(s + n - 2, "/0") == 0;
}

static int assemble_virtual(struct actx *c, struct aclf_devpol *d, const struct bip_obj *v)
{
	char *folder = obj_folder(&c->doc->arena, v);
	long rd;
	int r;

	c->ndev = c->nnotes = 0;
	c->desc_ours = false;
	if (!folder)
		return a_nomem(c);
	if (!v->destination.s && !v->tmc.s)
		return a_error(c, v->line, v->col, "virtual '%s' has no destination", v->hdr);
	c->s = aclf_devpol_add_lb(c->pol, d, display(v->path));
	if (!c->s)
		return a_nomem(c);
	if (device_ref(c, v) < 0)
		return -1;
	if (v->description.s && apply_description(c, v->description.s) < 0)
		return -1;
	c->s->protocol = ACLF_PROTO_ANY;
	if (!v->destination.s) {
		if (tmc_virtual(c, v, folder) < 0)
			return -1;
		goto protocol;
	}
	r = bigip_parse_dest(v->destination.s, &c->s->vip, &c->s->port, &rd);
	if (r == -2)
		return a_error(c, v->destination.line, v->destination.col,
			       "unknown service name in destination '%s' (list with 'modify cli "
			       "global-settings service number')",
			       v->destination.s);
	if (r < 0)
		return a_error(c, v->destination.line, v->destination.col, "bad destination '%s'",
			       v->destination.s);
	if (rd >= 0 && note(c, "route domain %ld stripped from destination '%s'", rd,
			    v->destination.s) < 0)
		return -1;
	if (v->mask.s && strcmp(v->mask.s, "none") != 0) {
		unsigned len;
		uint8_t fam;
		if (bigip_parse_mask(v->mask.s, &len, &fam) < 0 || fam != c->s->vip.family)
			return a_error(c, v->mask.line, v->mask.col, "bad mask '%s' for '%s'",
				       v->mask.s, v->destination.s);
		if (len != (fam == 4 ? 32u : 128u)) {
			aclf_prefix_from_u128(fam, aclf_prefix_first(&c->s->vip), (uint8_t)len,
					      &c->s->vip);
			if (note(c, "network virtual (mask %s)", v->mask.s) < 0)
				return -1;
		}
	}
protocol:
	if (v->ip_protocol.s && (c->s->protocol = aclf_proto_parse(v->ip_protocol.s)) < 0)
		return a_error(c, v->ip_protocol.line, v->ip_protocol.col, "bad ip-protocol '%s'",
			       v->ip_protocol.s);
	if (assemble_pool(c, v, folder) < 0 || assemble_profile(c, v, folder) < 0 ||
	    assemble_persist(c, v, folder) < 0 || assemble_request(c, v, folder) < 0 ||
	    assemble_tls(c, v, folder) < 0 || assemble_snat_vlan(c, v) < 0)
		return -1;
	if (v->vtype.s && opaque(c, v->vtype.line, v->vtype.col, strcmp(v->vtype.s, "reject") == 0
			? "reject virtual: refuses the traffic, does not load balance"
			: "virtual type that does not load balance to its pool", v->vtype.s) < 0)
		return -1;
	/* aclforge's own virtual, disabled: exactly a service that carries no
	 * new traffic (drift that apply repairs by creating it again); anyone
	 * else's: opaque, as why it is off is not aclforge's to judge */
	if (v->state.s && strcmp(v->state.s, "disabled") == 0) {
		if (c->desc_ours || strncmp(base_name(v->path), BIGIP_PREFIX, strlen(BIGIP_PREFIX)) == 0)
			c->s->disabled = true;
		else if (opaque(c, v->state.line, v->state.col,
				"virtual is disabled: carries no new traffic", "disabled") < 0)
			return -1;
	}
	if (v->source.s && !any_source(v->source.s)) {
		char *raw = aclf_arena_printf(&c->pol->arena, "source %s", v->source.s);
		if (!raw || opaque(c, v->source.line, v->source.col,
				   "source restricted: only those clients reach it", raw) < 0)
			return raw ? -1 : a_nomem(c);
	}
	/* a virtual that does not translate the destination passes the
	 * packet to the VIP itself (forwarding, no load balancing of the
	 * address): kept, so it never reads as one that translates */
	for (int k = 0; k < 2; k++) {
		const struct bip_val *x = k ? &v->translate_port : &v->translate_address;
		if (!x->s || !strcmp(x->s, "enabled"))
			continue;
		if (strcmp(x->s, "disabled") != 0)
			return a_error(c, x->line, x->col, "bad %s '%s', expected enabled or disabled",
				       k ? "translate-port" : "translate-address", x->s);
		if (k)
			c->s->no_translate_port = true;
		else
			c->s->no_translate_address = true;
	}
	for (size_t i = 0; i < c->ndev; i++)
		if (aclf_lb_add_prov(c->pol, c->s, "device", c->dev[i]) < 0)
			return a_nomem(c);
	for (size_t i = 0; i < c->nnotes; i++)
		if (aclf_lb_add_prov(c->pol, c->s, "note", c->notes[i]) < 0)
			return a_nomem(c);
	return 0;
}

int bigip_parse_ex(const char *text, size_t len, const char *name, const char *label,
		   const struct bigip_parse_opts *opts, struct aclf_policy *pol,
		   struct aclf_devpol **out, struct aclf_err *err)
{
	struct bip_doc doc;
	struct actx c;
	struct aclf_devpol *d;

	if (!label || !*label)
		label = "<input>";
	if (bip_doc_parse(&doc, text, len, label, err) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.doc = &doc;
	c.pol = pol;
	c.label = label;
	c.strict = opts && opts->strict;
	c.err = err;
	for (size_t i = 0; i < doc.nobjs; i++) {
		struct bip_obj *o = &doc.objs[i];
		char *folder = obj_folder(&doc.arena, o);
		o->path = folder ? norm_path(&doc.arena, folder, o->hdr) : NULL;
		if (!o->path) {
			bip_doc_release(&doc);
			return a_nomem(&c);
		}
	}
	if (build_index(&c) < 0) {
		bip_doc_release(&doc);
		return a_nomem(&c);
	}
	d = aclf_policy_add_device(pol, name, "bigip");
	if (!d) {
		bip_doc_release(&doc);
		return a_nomem(&c);
	}
	for (size_t i = 0; i < doc.nobjs; i++) {
		if (doc.objs[i].kind != BK_VIRTUAL)
			continue;
		if (assemble_virtual(&c, d, &doc.objs[i]) < 0) {
			bip_doc_release(&doc);
			return -1;
		}
	}
	bip_doc_release(&doc);
	if (out)
		*out = d;
	return 0;
}
