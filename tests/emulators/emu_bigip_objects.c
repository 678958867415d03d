/* The LTM objects aclforge renders, as tmsh keeps them: each kind's
 * properties (a word, a bare keyword, a block, or a collection changed with
 * add/delete/modify/replace-all-with/none), references to other objects
 * checked on create and modify (pool members create their node), objects
 * in use refused on delete, and tmsh's errors for each case:
 *
 *   01020036:3: The requested Pool (/Common/x) was not found.
 *   01020066:3: The requested Pool (/Common/x) already exists in partition Common.
 *   01070265:3: The Pool (/Common/p) cannot be deleted because it is in use by a Virtual Server (/Common/v).
 *   01070110:3: Node address '/Common/n' is referenced by a member of pool '/Common/p'.
 *   01070083:3: Monitor /Common/m is in use.
 *   0107003a:3: Pool member node (/Common/n) and existing node (/Common/m) cannot use the same IP Address (a).
 *   01070333:3: Virtual Server /Common/b illegally shares destination address, ... with Virtual Server /Common/a.
 *   Syntax Error: "x" unknown property
 *
 * The first two and 0107003a are quoted in public issue threads (see the
 * team's BIG-IP notes); the in-use texts of profiles and persistence
 * profiles are not documented there and follow the pool's form. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_bigip.h"

enum pt { P_WORD, P_BARE, P_COLL, P_BLOCK };

struct pspec {
	const char *name;
	enum pt t;
	int ref;            /* BK_* the value or items name, or -1 */
	const char *excl;   /* a bare keyword this one removes */
};

static const struct pspec common_tail[] = {
	{ "description", P_WORD, -1, NULL },
	{ "app-service", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec virtual_spec[] = {
	{ "destination", P_WORD, -1, NULL },
	{ "ip-protocol", P_WORD, -1, NULL },
	{ "mask", P_WORD, -1, NULL },
	{ "pool", P_WORD, BK_POOL, NULL },
	{ "profiles", P_COLL, BK_PROFILE, NULL },
	{ "persist", P_COLL, BK_PERSIST, NULL },
	{ "fallback-persistence", P_WORD, BK_PERSIST, NULL },
	{ "source", P_WORD, -1, NULL },
	{ "source-address-translation", P_BLOCK, -1, NULL },
	{ "vlans", P_COLL, -1, NULL },
	{ "vlans-enabled", P_BARE, -1, "vlans-disabled" },
	{ "vlans-disabled", P_BARE, -1, "vlans-enabled" },
	{ "enabled", P_BARE, -1, "disabled" },
	{ "disabled", P_BARE, -1, "enabled" },
	{ "translate-address", P_WORD, -1, NULL },
	{ "translate-port", P_WORD, -1, NULL },
	{ "rules", P_COLL, -1, NULL },
	{ "connection-limit", P_WORD, -1, NULL },
	{ "source-port", P_WORD, -1, NULL },
	{ "ip-forward", P_BARE, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec pool_spec[] = {
	{ "load-balancing-mode", P_WORD, -1, NULL },
	{ "members", P_COLL, BK_NODE, NULL },
	{ "monitor", P_WORD, BK_MONITOR, NULL },
	{ "min-active-members", P_WORD, -1, NULL },
	{ "slow-ramp-time", P_WORD, -1, NULL },
	{ "service-down-action", P_WORD, -1, NULL },
	{ "allow-nat", P_WORD, -1, NULL },
	{ "allow-snat", P_WORD, -1, NULL },
	{ "reselect-tries", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec node_spec[] = {
	{ "address", P_WORD, -1, NULL },
	{ "monitor", P_WORD, BK_MONITOR, NULL },
	{ "connection-limit", P_WORD, -1, NULL },
	{ "ratio", P_WORD, -1, NULL },
	{ "session", P_WORD, -1, NULL },
	{ "state", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec monitor_spec[] = {
	{ "defaults-from", P_WORD, BK_MONITOR, NULL },
	{ "destination", P_WORD, -1, NULL },
	{ "interval", P_WORD, -1, NULL },
	{ "timeout", P_WORD, -1, NULL },
	{ "send", P_WORD, -1, NULL },
	{ "recv", P_WORD, -1, NULL },
	{ "recv-disable", P_WORD, -1, NULL },
	{ "time-until-up", P_WORD, -1, NULL },
	{ "up-interval", P_WORD, -1, NULL },
	{ "manual-resume", P_WORD, -1, NULL },
	{ "reverse", P_WORD, -1, NULL },
	{ "transparent", P_WORD, -1, NULL },
	{ "adaptive", P_WORD, -1, NULL },
	{ "ip-dscp", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec persist_spec[] = {
	{ "defaults-from", P_WORD, BK_PERSIST, NULL },
	{ "mask", P_WORD, -1, NULL },
	{ "timeout", P_WORD, -1, NULL },
	{ "match-across-services", P_WORD, -1, NULL },
	{ "match-across-virtuals", P_WORD, -1, NULL },
	{ "match-across-pools", P_WORD, -1, NULL },
	{ "cookie-name", P_WORD, -1, NULL },
	{ "method", P_WORD, -1, NULL },
	{ "expiration", P_WORD, -1, NULL },
	{ "hash-algorithm", P_WORD, -1, NULL },
	{ "mirror", P_WORD, -1, NULL },
	{ "override-connection-limit", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec profile_spec[] = {
	{ "defaults-from", P_WORD, BK_PROFILE, NULL },
	{ "idle-timeout", P_WORD, -1, NULL },
	{ "nagle", P_WORD, -1, NULL },
	{ "reset-on-timeout", P_WORD, -1, NULL },
	{ "keep-alive-interval", P_WORD, -1, NULL },
	{ "insert-xforwarded-for", P_WORD, -1, NULL },
	{ "delayed-acks", P_WORD, -1, NULL },
	/* one-connect */
	{ "source-mask", P_WORD, -1, NULL },
	{ "max-size", P_WORD, -1, NULL },
	{ "max-age", P_WORD, -1, NULL },
	{ "max-reuse", P_WORD, -1, NULL },
	{ "idle-timeout-override", P_WORD, -1, NULL },
	{ "share-pools", P_WORD, -1, NULL },
	/* http */
	{ "redirect-rewrite", P_WORD, -1, NULL },
	/* client-ssl and server-ssl: the site's certificate, key and chain by
	 * name (the sys file objects they name are not modelled) */
	{ "cert-key-chain", P_COLL, -1, NULL },
	{ "cert", P_WORD, -1, NULL },
	{ "key", P_WORD, -1, NULL },
	{ "chain", P_WORD, -1, NULL },
	{ "ciphers", P_WORD, -1, NULL },
	{ "options", P_COLL, -1, NULL },
	{ "server-name", P_WORD, -1, NULL },
	{ "sni-default", P_WORD, -1, NULL },
	{ "peer-cert-mode", P_WORD, -1, NULL },
	{ "ca-file", P_WORD, -1, NULL },
	{ "secure-renegotiation", P_WORD, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec snatpool_spec[] = {
	{ "members", P_COLL, -1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct pspec *const specs[BK_COUNT] = {
	virtual_spec, pool_spec, node_spec, monitor_spec, persist_spec, profile_spec, snatpool_spec,
};

static const char *const kind_words[BK_COUNT] = {
	"virtual", "pool", "node", "monitor", "persistence", "profile", "snatpool",
};
static const char *const kind_display[BK_COUNT] = {
	"Virtual Server", "Pool", "Node", "Monitor", "Persistence Profile", "Profile", "SNAT Pool",
};

static const char *const monitor_types[] = { "tcp", "http", "https", "udp", "icmp",
					     "gateway-icmp", "tcp-half-open", NULL };
static const char *const persist_types[] = { "source-addr", "cookie", "dest-addr", "universal",
					     "ssl", "hash", NULL };
static const char *const profile_types[] = { "tcp", "udp", "fastl4", "http", "client-ssl",
					     "server-ssl", "one-connect", NULL };

/* the device's own objects every configuration has */
static const char *const builtins[BK_COUNT][12] = {
	[BK_MONITOR] = { "/Common/tcp", "/Common/http", "/Common/https", "/Common/udp",
			 "/Common/icmp", "/Common/gateway_icmp", "/Common/tcp_half_open", NULL },
	[BK_PERSIST] = { "/Common/source_addr", "/Common/cookie", "/Common/dest_addr",
			 "/Common/universal", "/Common/ssl", "/Common/hash", NULL },
	[BK_PROFILE] = { "/Common/tcp", "/Common/udp", "/Common/fastL4", "/Common/http",
			 "/Common/clientssl", "/Common/serverssl", "/Common/f5-tcp-lan",
			 "/Common/f5-tcp-wan", "/Common/f5-tcp-progressive", "/Common/oneconnect",
			 NULL },
};

const char *bp_kind_word(enum bp_kind k)
{
	return kind_words[k];
}

const char *bp_kind_display(enum bp_kind k)
{
	return kind_display[k];
}

int bp_kind_lookup(const char *w, enum bp_kind *k)
{
	for (int i = 0; i < BK_COUNT; i++)
		if (!strcmp(w, kind_words[i])) {
			*k = (enum bp_kind)i;
			return 0;
		}
	return -1;
}

bool bp_has_type(enum bp_kind k)
{
	return k == BK_MONITOR || k == BK_PERSIST || k == BK_PROFILE;
}

bool bp_type_ok(enum bp_kind k, const char *type)
{
	const char *const *l = k == BK_MONITOR ? monitor_types
			     : k == BK_PERSIST ? persist_types
			     : k == BK_PROFILE ? profile_types
					       : NULL;

	for (; l && *l; l++)
		if (!strcmp(*l, type))
			return true;
	return false;
}

bool bp_builtin(enum bp_kind k, const char *full)
{
	for (size_t i = 0; builtins[k][i]; i++)
		if (!strcmp(builtins[k][i], full))
			return true;
	return false;
}

char *bp_fullname(const char *name)
{
	char *r;
	size_t len;

	if (name[0] == '/')
		return strdup(name);
	if (!strncmp(name, "Common/", 7)) {
		len = strlen(name) + 2;
		r = malloc(len);
		if (r)
			snprintf(r, len, "/%s", name);
		return r;
	}
	len = strlen(name) + 9;
	r = malloc(len);
	if (r)
		snprintf(r, len, "/Common/%s", name);
	return r;
}

/* ---- nodes of properties ---- */

void bnode_release(struct bnode *n)
{
	for (size_t i = 0; i < n->n; i++)
		bnode_release(&n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n->val);
	memset(n, 0, sizeof(*n));
}

int bnode_copy(struct bnode *dst, const struct bnode *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->block = src->block;
	if ((src->key && !(dst->key = strdup(src->key))) || (src->val && !(dst->val = strdup(src->val))))
		goto fail;
	if (src->n) {
		dst->kids = calloc(src->n, sizeof(*dst->kids));
		if (!dst->kids)
			goto fail;
		dst->cap = src->n;
		for (size_t i = 0; i < src->n; i++) {
			if (bnode_copy(&dst->kids[i], &src->kids[i]) < 0)
				goto fail;
			dst->n++;
		}
	}
	return 0;
fail:
	bnode_release(dst);
	return -1;
}

struct bnode *bnode_get(struct bnode *n, const char *key)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->kids[i].key, key))
			return &n->kids[i];
	return NULL;
}

static void bnode_remove(struct bnode *n, const char *key)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->kids[i].key, key)) {
			bnode_release(&n->kids[i]);
			memmove(&n->kids[i], &n->kids[i + 1], (n->n - i - 1) * sizeof(*n->kids));
			n->n--;
			return;
		}
}

/* a new or emptied entry for key */
struct bnode *bnode_put(struct bnode *n, const char *key)
{
	struct bnode *k = bnode_get(n, key);

	if (k) {
		char *kk = k->key;

		k->key = NULL;
		bnode_release(k);
		k->key = kk;
		return k;
	}
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 8;
		struct bnode *v = realloc(n->kids, cap * sizeof(*v));

		if (!v)
			return NULL;
		n->kids = v;
		n->cap = cap;
	}
	k = &n->kids[n->n];
	memset(k, 0, sizeof(*k));
	if (!(k->key = strdup(key)))
		return NULL;
	n->n++;
	return k;
}

void bstore_release(struct bstore *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].type);
		free(s->v[i].name);
		bnode_release(&s->v[i].props);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int bstore_add(struct bstore *s, struct bobj *o)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct bobj *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *o;
	return 0;
}

static int obj_copy(struct bobj *dst, const struct bobj *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->kind = src->kind;
	if ((src->type && !(dst->type = strdup(src->type))) || !(dst->name = strdup(src->name)) ||
	    bnode_copy(&dst->props, &src->props) < 0) {
		free(dst->type);
		free(dst->name);
		return -1;
	}
	return 0;
}

void bobj_release(struct bobj *o)
{
	free(o->type);
	free(o->name);
	bnode_release(&o->props);
}

int bstore_copy(struct bstore *dst, const struct bstore *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++) {
		struct bobj o;

		if (obj_copy(&o, &src->v[i]) < 0 || bstore_add(dst, &o) < 0) {
			bstore_release(dst);
			return -1;
		}
	}
	return 0;
}

struct bobj *bstore_find(struct bstore *s, enum bp_kind k, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind == k && !strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* ---- values ---- */

static const struct pspec *spec_of(enum bp_kind k, const char *name)
{
	for (const struct pspec *p = specs[k]; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	for (const struct pspec *p = common_tail; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

int bp_prop_ref(enum bp_kind k, const char *key, bool *coll)
{
	const struct pspec *ps = spec_of(k, key);

	*coll = ps && ps->t == P_COLL;
	return ps ? ps->ref : -1;
}

static int syntax(struct aclf_buf *err, const char *word, const char *what)
{
	if (aclf_buf_puts(err, "Syntax Error: \"") < 0 || aclf_buf_puts_escaped(err, word, true) < 0 ||
	    aclf_buf_printf(err, "\" %s\n", what) < 0)
		return -1;
	return 1;
}

/* Profile properties only some profile types have (tmsh answers the others
 * as it does any unknown property); the rest (defaults-from, description,
 * app-service) every type has. */
static const struct {
	const char *prop, *types;
} profile_only[] = {
	{ "idle-timeout", " tcp udp fastl4 " },    { "nagle", " tcp " },
	{ "reset-on-timeout", " tcp fastl4 " },    { "keep-alive-interval", " tcp fastl4 " },
	{ "delayed-acks", " tcp " },               { "source-mask", " one-connect " },
	{ "max-size", " one-connect " },           { "max-age", " one-connect " },
	{ "max-reuse", " one-connect " },          { "idle-timeout-override", " one-connect " },
	{ "share-pools", " one-connect " },        { "insert-xforwarded-for", " http " },
	{ "redirect-rewrite", " http " },
	{ "cert-key-chain", " client-ssl " },      { "cert", " client-ssl server-ssl " },
	{ "key", " client-ssl server-ssl " },      { "chain", " client-ssl server-ssl " },
	{ "ciphers", " client-ssl server-ssl " },  { "options", " client-ssl server-ssl " },
	{ "server-name", " client-ssl server-ssl " }, { "sni-default", " client-ssl " },
	{ "peer-cert-mode", " client-ssl server-ssl " }, { "ca-file", " client-ssl server-ssl " },
	{ "secure-renegotiation", " client-ssl server-ssl " },
};

static int profile_props_ok(const struct bobj *o, struct aclf_buf *err)
{
	char t[40];

	if (o->kind != BK_PROFILE || !o->type)
		return 0;
	snprintf(t, sizeof(t), " %s ", o->type);
	for (size_t i = 0; i < o->props.n; i++)
		for (size_t k = 0; k < sizeof(profile_only) / sizeof(profile_only[0]); k++)
			if (!strcmp(o->props.kids[i].key, profile_only[k].prop) &&
			    !strstr(profile_only[k].types, t))
				return syntax(err, o->props.kids[i].key, "unknown property");
	return 0;
}

bool bp_is_ip(const char *a, bool *v6)
{
	unsigned char bin[16];
	char tmp[64];
	const char *pct = strchr(a, '%');
	size_t len = pct ? (size_t)(pct - a) : strlen(a);

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, a, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1) {
		*v6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, bin) == 1) {
		*v6 = true;
		return true;
	}
	return false;
}

static long port_of(const char *s)
{
	char *end;
	long p;

	if (!strcmp(s, "any") || !strcmp(s, "*"))
		return 0;
	if (*s >= '0' && *s <= '9') {
		p = strtol(s, &end, 10);
		return (*end || p > 65535) ? -1 : p;
	}
	return bp_service_port(s);
}

/* "[/Folder/]ADDR:PORT" or "ADDR.PORT" (IPv6) or "*:PORT" -> canonical
 * "ADDR:PORT" / "ADDR.PORT" with a numeric port; NULL when malformed */
static char *canon_dest(const char *in, bool star_ok)
{
	const char *s = in, *sep;
	char addr[80];
	bool v6 = false;
	long port;
	char *r;
	size_t alen, rl;

	if (s[0] == '/') {
		const char *slash = strchr(s + 1, '/');

		if (!slash)
			return NULL;
		s = slash + 1;
	}
	sep = strrchr(s, ':');
	if (sep && strchr(s, ':') != sep)
		sep = NULL; /* several ':' : IPv6 with '.port' */
	if (!sep)
		sep = strrchr(s, '.');
	if (!sep)
		return NULL;
	alen = (size_t)(sep - s);
	if (alen == 0 || alen >= sizeof(addr))
		return NULL;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (!(star_ok && !strcmp(addr, "*")) && !bp_is_ip(addr, &v6))
		return NULL;
	if (*sep == '.' && !v6 && strcmp(addr, "*"))
		return NULL;
	if (*sep == ':' && v6)
		return NULL;
	port = port_of(sep + 1);
	if (port < 0)
		return NULL;
	rl = alen + 24;
	r = malloc(rl);
	if (r)
		snprintf(r, rl, "%s%c%ld", addr, *sep, port);
	return r;
}

/* a generic { key value ... } body */
static int parse_block(const struct bwords *w, size_t *i, struct bnode *into, struct aclf_buf *err)
{
	if (*i >= w->n || w->v[*i].brace != '{')
		return syntax(err, *i < w->n && w->v[*i].w ? w->v[*i].w : "}", "expected \"{\"");
	into->block = true;
	for ((*i)++; *i < w->n && w->v[*i].brace != '}';) {
		struct bnode *k;

		if (!w->v[*i].w)
			return syntax(err, "{", "unexpected argument");
		if (*i + 1 >= w->n || !w->v[*i + 1].w)
			return syntax(err, w->v[*i].w, "requires a value");
		k = bnode_put(into, w->v[*i].w);
		if (!k || !(k->val = strdup(w->v[*i + 1].w)))
			return -1;
		*i += 2;
	}
	if (*i >= w->n)
		return syntax(err, "{", "missing \"}\"");
	(*i)++;
	return 0;
}

/* item names in collections: objects by full path, members NODE:PORT */
static char *item_name(const struct pspec *ps, const char *w, struct aclf_buf *err, int *rc)
{
	*rc = 0;
	if (ps->ref == BK_NODE) {
		const char *colon = strchr(w, ':'), *sep;
		char *node, *full, *r;
		long port;
		size_t rl;

		/* NODE:PORT; an IPv6 address as node name: ADDR.PORT */
		sep = colon && strchr(colon + 1, ':') ? strrchr(w, '.') : colon;
		if (!sep || sep == w || (port = port_of(sep + 1)) <= 0) {
			*rc = syntax(err, w, "invalid pool member, expected NODE:PORT");
			return NULL;
		}
		node = strndup(w, (size_t)(sep - w));
		if (!node)
			return NULL;
		full = bp_fullname(node);
		free(node);
		if (!full)
			return NULL;
		rl = strlen(full) + 24;
		r = malloc(rl);
		if (r)
			snprintf(r, rl, "%s:%ld", full, port);
		free(full);
		return r;
	}
	if (ps->ref >= 0)
		return bp_fullname(w);
	return strdup(w);
}

static int parse_coll(const struct pspec *ps, const struct bwords *w, size_t *i, struct bnode *obj,
		      struct aclf_buf *err)
{
	const char *verb = "replace-all-with";
	struct bnode *coll, tmp = { 0 };
	int rc;

	if (*i < w->n && w->v[*i].w &&
	    (!strcmp(w->v[*i].w, "add") || !strcmp(w->v[*i].w, "delete") ||
	     !strcmp(w->v[*i].w, "modify") || !strcmp(w->v[*i].w, "replace-all-with") ||
	     !strcmp(w->v[*i].w, "none") || !strcmp(w->v[*i].w, "default"))) {
		verb = w->v[*i].w;
		(*i)++;
	}
	if (!strcmp(verb, "none") || !strcmp(verb, "default")) {
		coll = bnode_put(obj, ps->name);
		if (!coll)
			return -1;
		coll->block = true;
		return 0;
	}
	if (*i >= w->n || w->v[*i].brace != '{')
		return syntax(err, ps->name, "requires a { } list");
	tmp.block = true;
	for ((*i)++; *i < w->n && w->v[*i].brace != '}';) {
		struct bnode *it;
		char *name;

		if (!w->v[*i].w)
			return bnode_release(&tmp), syntax(err, "{", "unexpected argument");
		name = item_name(ps, w->v[*i].w, err, &rc);
		if (!name) {
			bnode_release(&tmp);
			return rc ? rc : -1;
		}
		it = bnode_put(&tmp, name);
		free(name);
		if (!it) {
			bnode_release(&tmp);
			return -1;
		}
		(*i)++;
		if (*i < w->n && w->v[*i].brace == '{') {
			rc = parse_block(w, i, it, err);
			if (rc) {
				bnode_release(&tmp);
				return rc;
			}
		}
	}
	if (*i >= w->n) {
		bnode_release(&tmp);
		return syntax(err, ps->name, "missing \"}\"");
	}
	(*i)++;
	coll = bnode_get(obj, ps->name);
	if (!strcmp(verb, "replace-all-with") || !coll) {
		if (strcmp(verb, "replace-all-with") && strcmp(verb, "add")) {
			/* delete/modify of items that are not there */
			bnode_release(&tmp);
			return syntax(err, ps->name, "has no items to change");
		}
		coll = bnode_put(obj, ps->name);
		if (!coll) {
			bnode_release(&tmp);
			return -1;
		}
		bnode_release(coll);
		coll->key = strdup(ps->name);
		if (!coll->key) {
			bnode_release(&tmp);
			return -1;
		}
		coll->block = true;
		coll->kids = tmp.kids;
		coll->n = tmp.n;
		coll->cap = tmp.cap;
		tmp.kids = NULL;
		tmp.n = tmp.cap = 0;
		bnode_release(&tmp);
		return 0;
	}
	for (size_t k = 0; k < tmp.n; k++) {
		struct bnode *have = bnode_get(coll, tmp.kids[k].key);

		if (!strcmp(verb, "add")) {
			if (have) {
				aclf_buf_printf(err, "01020066:3: The requested %s (%s) already exists in partition Common.\n",
						ps->ref == BK_NODE ? "Pool Member" : "item", tmp.kids[k].key);
				bnode_release(&tmp);
				return 1;
			}
			have = bnode_put(coll, tmp.kids[k].key);
			if (have)
				bnode_release(have); /* bnode_copy fills it, key too */
			if (!have || bnode_copy(have, &tmp.kids[k]) < 0) {
				bnode_release(&tmp);
				return -1;
			}
		} else if (!have) {
			aclf_buf_printf(err, "01020036:3: The requested %s (%s) was not found.\n",
					ps->ref == BK_NODE ? "Pool Member" : "item", tmp.kids[k].key);
			bnode_release(&tmp);
			return 1;
		} else if (!strcmp(verb, "delete")) {
			bnode_remove(coll, tmp.kids[k].key);
		} else {
			for (size_t j = 0; j < tmp.kids[k].n; j++) {
				struct bnode *p = bnode_put(have, tmp.kids[k].kids[j].key);

				if (!p || !(p->val = strdup(tmp.kids[k].kids[j].val))) {
					bnode_release(&tmp);
					return -1;
				}
			}
			have->block = true;
		}
	}
	bnode_release(&tmp);
	return 0;
}

/* properties from w[*i] to the end (or a closing brace when braced) */
static int parse_props(enum bp_kind kind, const struct bwords *w, size_t i, struct bnode *obj,
		       struct aclf_buf *err)
{
	bool braced = false;
	int rc;

	if (i < w->n && w->v[i].brace == '{') {
		braced = true;
		i++;
	}
	while (i < w->n) {
		const char *key = w->v[i].w;
		const struct pspec *ps;
		struct bnode *k;

		if (!key) {
			if (braced && w->v[i].brace == '}' && i + 1 == w->n)
				return 0;
			return syntax(err, w->v[i].brace == '{' ? "{" : "}", "unexpected argument");
		}
		ps = spec_of(kind, key);
		if (!ps)
			return syntax(err, key, "unknown property");
		i++;
		switch (ps->t) {
		case P_BARE:
			if (!bnode_put(obj, key))
				return -1;
			if (ps->excl)
				bnode_remove(obj, ps->excl);
			break;
		case P_WORD:
			if (i >= w->n || !w->v[i].w)
				return syntax(err, key, "requires a value");
			k = bnode_put(obj, key);
			if (!k)
				return -1;
			if (!strcmp(key, "destination")) {
				k->val = canon_dest(w->v[i].w, kind == BK_MONITOR);
				if (!k->val) {
					bnode_remove(obj, key);
					aclf_buf_printf(err, "01070712:3: Invalid destination (%s).\n", w->v[i].w);
					return 1;
				}
			} else if (ps->ref >= 0 && strcmp(w->v[i].w, "none")) {
				k->val = bp_fullname(w->v[i].w);
			} else {
				k->val = strdup(w->v[i].w);
			}
			if (!k->val)
				return -1;
			i++;
			break;
		case P_BLOCK:
			k = bnode_put(obj, key);
			if (!k)
				return -1;
			rc = parse_block(w, &i, k, err);
			if (rc)
				return rc;
			break;
		case P_COLL:
			rc = parse_coll(ps, w, &i, obj, err);
			if (rc)
				return rc;
			break;
		}
	}
	if (braced)
		return syntax(err, "{", "missing \"}\"");
	return 0;
}

int bp_command(struct bstore *st, const struct bwords *w, size_t first, struct aclf_buf *err)
{
	const char *verb;
	enum bp_kind kind;
	const char *type = NULL;
	size_t i = first;
	char *name = NULL;
	struct bstore work;
	struct bobj *have, o;
	int rc;

	if (i >= w->n || !w->v[i].w)
		return syntax(err, "{", "unexpected argument");
	verb = w->v[i++].w;
	if (i >= w->n || !w->v[i].w || (strcmp(w->v[i].w, "ltm") && strcmp(w->v[i].w, "/ltm")))
		return syntax(err, i < w->n && w->v[i].w ? w->v[i].w : verb, "unexpected argument");
	i++;
	if (i >= w->n || !w->v[i].w || bp_kind_lookup(w->v[i].w, &kind) < 0)
		return syntax(err, i < w->n && w->v[i].w ? w->v[i].w : "ltm", "unexpected argument");
	i++;
	if (bp_has_type(kind)) {
		if (i >= w->n || !w->v[i].w || !bp_type_ok(kind, w->v[i].w))
			return syntax(err, i < w->n && w->v[i].w ? w->v[i].w : kind_words[kind],
				      "unexpected argument");
		type = w->v[i++].w;
	}
	if (i >= w->n || !w->v[i].w)
		return syntax(err, kind_words[kind], "requires a name");
	name = bp_fullname(w->v[i++].w);
	if (!name)
		return -1;
	if (strncmp(name, "/Common/", 8) || strchr(name + 8, '/') || !name[8]) {
		const char *slash = strchr(name + 1, '/');

		aclf_buf_printf(err, "01020036:3: The requested folder (%.*s) was not found.\n",
				(int)(slash ? slash - name : (long)strlen(name)), name);
		free(name);
		return 1;
	}
	have = bstore_find(st, kind, name);
	if (!strcmp(verb, "delete")) {
		if (i < w->n) {
			rc = syntax(err, w->v[i].w ? w->v[i].w : "{", "unexpected argument");
			free(name);
			return rc;
		}
		if (!have) {
			rc = bp_not_found(err, kind, name);
			free(name);
			return rc;
		}
		free(name);
		rc = bp_in_use(st, have, err);
		if (rc)
			return rc;
		bobj_release(have);
		memmove(have, have + 1, (size_t)(st->v + st->n - have - 1) * sizeof(*have));
		st->n--;
		return 0;
	}
	if (!strcmp(verb, "create") && have) {
		aclf_buf_printf(err, "01020066:3: The requested %s (%s) already exists in partition Common.\n",
				kind_display[kind], name);
		free(name);
		return 1;
	}
	if (!strcmp(verb, "modify") && !have) {
		rc = bp_not_found(err, kind, name);
		free(name);
		return rc;
	}
	if (have && have->type && type && strcmp(have->type, type)) {
		rc = bp_not_found(err, kind, name);
		free(name);
		return rc;
	}
	/* build the object apart, check it against a copy of the store */
	if (have) {
		free(name);
		if (obj_copy(&o, have) < 0)
			return -1;
	} else {
		memset(&o, 0, sizeof(o));
		o.kind = kind;
		o.name = name;
		o.props.block = true;
		if (type && !(o.type = strdup(type))) {
			bobj_release(&o);
			return -1;
		}
	}
	rc = parse_props(kind, w, i, &o.props, err);
	if (rc == 0)
		rc = profile_props_ok(&o, err);
	if (rc == 0 && !have && kind == BK_VIRTUAL)
		rc = bp_virtual_defaults(&o);
	if (rc) {
		bobj_release(&o);
		return rc;
	}
	if (bstore_copy(&work, st) < 0) {
		bobj_release(&o);
		return -1;
	}
	rc = bp_resolve(&work, &o, err);
	if (rc) {
		bobj_release(&o);
		bstore_release(&work);
		return rc;
	}
	if (have) {
		struct bobj *slot = bstore_find(&work, kind, o.name);

		bobj_release(slot);
		*slot = o;
	} else if (bstore_add(&work, &o) < 0) {
		bobj_release(&o);
		bstore_release(&work);
		return -1;
	}
	bstore_release(st);
	*st = work;
	return 0;
}
