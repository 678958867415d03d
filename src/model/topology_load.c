/* Topology loader: entry points, error collection, the top-level keys,
 * sites, options and client media ports. Pools and networks are in
 * topology_pools.c, devices in topology_devices.c, site rules in
 * topology_rules.c, cross-checks in topology_check.c. Every error is
 * collected with its file:line:col and reported sorted by position. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/topology.h"
#include "topology_int.h"

#define TOPO_FILE_CAP (64u * 1024u * 1024u)
#define DEFAULT_CATALOG "lync2013-internal"
/* Set-CsConferencingConfiguration defaults (ClientAudioPort 5350, range 40 ...) */
#define MEDIA_DEFAULT_START 5350
#define MEDIA_DEFAULT_COUNT 40
/* the seed: "mindestens 20 Ports" */
#define MEDIA_MIN_COUNT 20
#define MEDIA_MIN_START 1024

/* ---- error collection ---- */

static int add_msg(struct topo_ctx *c, unsigned line, unsigned col, const char *text, size_t len)
{
	struct topo_msg *m;
	char *s;

	c->nerrors++;
	if (c->nmsgs >= TOPO_MAX_ERRORS)
		return -1;
	if (c->nmsgs == c->msgcap) {
		size_t nc = c->msgcap ? c->msgcap * 2 : 16;
		struct topo_msg *nv = realloc(c->msgs, nc * sizeof(*nv));
		if (!nv) {
			c->nomem = true;
			return -1;
		}
		c->msgs = nv;
		c->msgcap = nc;
	}
	s = malloc(len + 1);
	if (!s) {
		c->nomem = true;
		return -1;
	}
	/* one message, one line: control characters from the input are masked */
	for (size_t i = 0; i < len; i++)
		s[i] = ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) ? '?' : text[i];
	s[len] = '\0';
	m = &c->msgs[c->nmsgs];
	m->line = line;
	m->col = col;
	m->seq = c->nmsgs;
	m->text = s;
	c->nmsgs++;
	return -1;
}

int topo_err(struct topo_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	va_list ap;

	if (c->nmsgs >= TOPO_MAX_ERRORS) {
		c->nerrors++; /* counted, not printed */
		return -1;
	}
	aclf_buf_init(&b, 0);
	va_start(ap, fmt);
	if (aclf_buf_vprintf(&b, fmt, ap) < 0)
		c->nomem = true;
	va_end(ap);
	add_msg(c, n ? aclf_ynode_line(n) : 1, n ? aclf_ynode_col(n) : 1, b.buf, b.len);
	aclf_buf_release(&b);
	return -1;
}

int topo_nomem(struct topo_ctx *c)
{
	c->nomem = true;
	return -1;
}

static const char *file_name(const struct topo_ctx *c)
{
	return c->d->file ? c->d->file : "<input>";
}

/* Parse "L:C: " after the file name prefix. Returns the text start or NULL. */
static const char *parse_pos(const char *p, unsigned *line, unsigned *col)
{
	char *end;
	unsigned long l, k;

	if (*p < '0' || *p > '9')
		return NULL;
	l = strtoul(p, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9')
		return NULL;
	k = strtoul(end + 1, &end, 10);
	if (end[0] != ':' || end[1] != ' ')
		return NULL;
	*line = (unsigned)l;
	*col = (unsigned)k;
	return end + 2;
}

/* Move the "file:line:col: text" lines of a scratch error into c. Lines are
 * split where the next "\nfile:" begins, so a message that quotes input with
 * a newline stays one message. */
static int absorb(struct topo_ctx *c, struct aclf_err *s)
{
	const char *file = file_name(c);
	size_t flen = strlen(file);
	const char *p = s->msg.buf;

	if (s->kind == ACLF_E_NOMEM)
		c->nomem = true;
	while (p && *p) {
		const char *next = p, *text = p;
		unsigned line = 0, col = 0;
		size_t len;

		for (;;) {
			next = strchr(next + 1, '\n');
			if (!next || (!strncmp(next + 1, file, flen) && next[1 + flen] == ':'))
				break;
		}
		len = next ? (size_t)(next - p) : strlen(p);
		if (len > flen && !strncmp(p, file, flen) && p[flen] == ':') {
			const char *t = parse_pos(p + flen + 1, &line, &col);
			if (t && (size_t)(t - p) <= len)
				text = t;
		}
		add_msg(c, line, col, text, len - (size_t)(text - p));
		p = next ? next + 1 : NULL;
	}
	aclf_err_release(s);
	return -1;
}

int topo_check_keys(struct topo_ctx *c, yaml_node_t *map, const char *const *allowed,
		    const char *what)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_ymap_check_keys(c->d, map, allowed, what, &s) < 0)
		return absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

int topo_expect(struct topo_ctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	struct aclf_err s;

	if (!n)
		return topo_err(c, NULL, "%s: missing", what);
	aclf_err_init(&s);
	if (aclf_yexpect(c->d, n, type, what, &s) < 0)
		return absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

char *topo_strdup(struct topo_ctx *c, const char *s)
{
	char *r = aclf_arena_strdup(&c->t->arena, s);

	if (!r)
		c->nomem = true;
	return r;
}

void *topo_alloc(struct topo_ctx *c, size_t n, size_t size)
{
	void *p;

	if (n && size > ((size_t)-1) / n)
		return topo_nomem(c), NULL;
	p = aclf_arena_alloc(&c->t->arena, n * size);
	if (!p)
		c->nomem = true;
	return p;
}

int topo_str(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	*out = topo_strdup(c, aclf_yscalar(n));
	return *out ? 0 : -1;
}

int topo_uint(struct topo_ctx *c, yaml_node_t *n, unsigned long min, unsigned long max,
	      const char *what, unsigned long *out)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_yuint(c->d, n, min, max, what, out, &s) < 0)
		return absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

int topo_bool(struct topo_ctx *c, yaml_node_t *n, const char *what, bool *out)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_ybool(c->d, n, what, out, &s) < 0)
		return absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

bool topo_null(const yaml_node_t *n)
{
	const char *s = aclf_yscalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

bool topo_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > TOPO_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && (i == 0 || (ch != '-' && ch != '_' && ch != '.')))
			return false;
	}
	return true;
}

struct name_key {
	const char *name;
	size_t i;
};

static int name_key_cmp(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->i < y->i ? -1 : x->i > y->i);
}

bool *topo_check_names(struct topo_ctx *c, yaml_node_t *map, const char *what)
{
	size_t n = aclf_ymap_len(map), nk = 0;
	bool *skip = topo_alloc(c, n ? n : 1, sizeof(*skip));
	struct name_key *keys;

	if (!skip)
		return NULL;
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return topo_nomem(c), NULL;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, map, i);
		const char *k = aclf_yscalar(kn);

		skip[i] = true;
		if (!k) {
			topo_err(c, kn, "%s: expected a name as key, found a %s", what,
				 kn && kn->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		} else if (!topo_name_valid(k)) {
			topo_err(c, kn,
				 "%s: invalid name '%.80s', expected 1 to %d letters, digits, '-', '_' "
				 "or '.', starting with a letter or digit",
				 what, k, TOPO_NAME_MAX);
		} else {
			skip[i] = false;
			keys[nk].name = k;
			keys[nk++].i = i;
		}
	}
	qsort(keys, nk, sizeof(*keys), name_key_cmp);
	for (size_t j = 1, first = 0; j < nk; j++) {
		if (strcmp(keys[j].name, keys[first].name) != 0) {
			first = j;
			continue;
		}
		skip[keys[j].i] = true;
		topo_err(c, aclf_ymap_key_at(c->d, map, keys[j].i),
			 "%s: duplicate name '%s' (first at line %u)", what, keys[j].name,
			 aclf_ynode_line(aclf_ymap_key_at(c->d, map, keys[first].i)));
	}
	free(keys);
	return skip;
}

/* ---- sites ---- */

static int parse_lb(struct topo_ctx *c, yaml_node_t *n, const char *what, enum aclf_lb_mode *out)
{
	const char *s;

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	if (!strcmp(s, "hardware"))
		*out = ACLF_LB_HARDWARE;
	else if (!strcmp(s, "dns"))
		*out = ACLF_LB_DNS;
	else
		return topo_err(c, n, "%s: expected hardware or dns, found '%.80s'", what, s);
	return 0;
}

static int parse_site_map(struct topo_ctx *c, yaml_node_t *sites)
{
	static const char *const keys[] = { "load_balancing", NULL };
	struct aclf_topology *t = c->t;
	size_t n = aclf_ymap_len(sites);
	bool *skip;
	int rc = 0;

	if (topo_expect(c, sites, YAML_MAPPING_NODE, "sites") < 0)
		return -1;
	if (n == 0)
		return topo_err(c, sites, "sites: expected at least one site");
	skip = topo_check_names(c, sites, "sites");
	t->sites = topo_alloc(c, n, sizeof(*t->sites));
	if (!t->sites || !skip)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, sites, i), *v = aclf_ymap_value_at(c->d, sites, i);
		struct aclf_site *s = &t->sites[t->nsites];
		const char *name = aclf_yscalar(kn);
		char what[128];

		if (skip[i])
			continue;
		t->nsites++;
		s->name = topo_strdup(c, name);
		s->pos.line = aclf_ynode_line(kn);
		s->pos.col = aclf_ynode_col(kn);
		snprintf(what, sizeof(what), "sites.%.80s", name);
		if (topo_expect(c, v, YAML_MAPPING_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		if (topo_check_keys(c, v, keys, what) < 0)
			rc = -1;
		if (!aclf_ymap_get(c->d, v, "load_balancing")) {
			rc = topo_err(c, v, "%s: missing 'load_balancing', expected hardware or dns", what);
			continue;
		}
		snprintf(what, sizeof(what), "sites.%.80s.load_balancing", name);
		if (parse_lb(c, aclf_ymap_get(c->d, v, "load_balancing"), what, &s->load_balancing) < 0)
			rc = -1;
	}
	return rc;
}

static int parse_sites(struct topo_ctx *c, yaml_node_t *root)
{
	yaml_node_t *site = aclf_ymap_get(c->d, root, "site");
	yaml_node_t *lb = aclf_ymap_get(c->d, root, "load_balancing");
	yaml_node_t *sites = aclf_ymap_get(c->d, root, "sites");
	struct aclf_topology *t = c->t;
	struct aclf_site *s;
	const char *name;

	if (sites && (site || lb))
		return topo_err(c, site ? site : lb,
				"'%s': the single-site shorthand cannot be combined with 'sites', give "
				"load_balancing per site under 'sites'",
				site ? "site" : "load_balancing");
	if (sites)
		return parse_site_map(c, sites);
	if (!site && !lb)
		return topo_err(c, root,
				"missing 'sites' (or the single-site shorthand 'site' with 'load_balancing')");
	if (!site)
		return topo_err(c, lb, "load_balancing: needs 'site' beside it, or use 'sites'");
	if (topo_expect(c, site, YAML_SCALAR_NODE, "site") < 0)
		return -1;
	name = aclf_yscalar(site);
	if (!topo_name_valid(name))
		return topo_err(c, site,
				"site: invalid name '%.80s', expected 1 to %d letters, digits, '-', '_' "
				"or '.', starting with a letter or digit",
				name, TOPO_NAME_MAX);
	t->sites = topo_alloc(c, 1, sizeof(*t->sites));
	if (!t->sites)
		return -1;
	s = &t->sites[0];
	t->nsites = 1;
	s->name = topo_strdup(c, name);
	s->pos.line = aclf_ynode_line(site);
	s->pos.col = aclf_ynode_col(site);
	if (!lb)
		return topo_err(c, site, "site: missing 'load_balancing' beside it, expected hardware or dns");
	return parse_lb(c, lb, "load_balancing", &s->load_balancing);
}

/* ---- client media ports, options, catalog ---- */

static int parse_range(struct topo_ctx *c, yaml_node_t *m, const char *name,
		       struct aclf_media_range *r)
{
	static const char *const keys[] = { "start", "count", NULL };
	yaml_node_t *sn, *cn;
	unsigned long start, count;
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "client_media_ports.%s", name);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	sn = aclf_ymap_get(c->d, m, "start");
	cn = aclf_ymap_get(c->d, m, "count");
	if (!sn || !cn)
		return topo_err(c, m, "%s: missing '%s', expected {start: PORT, count: N}", what,
				!sn ? "start" : "count");
	snprintf(what, sizeof(what), "client_media_ports.%s.start", name);
	if (topo_uint(c, sn, 0, 65535, what, &start) < 0)
		return -1;
	if (start < MEDIA_MIN_START)
		return topo_err(c, sn, "%s: expected a port from %d to 65535, found %lu", what,
				MEDIA_MIN_START, start);
	snprintf(what, sizeof(what), "client_media_ports.%s.count", name);
	if (topo_uint(c, cn, 0, 65535, what, &count) < 0)
		return -1;
	if (count < MEDIA_MIN_COUNT)
		return topo_err(c, cn, "%s: expected at least %d ports (the seed asks for at least %d), found %lu",
				what, MEDIA_MIN_COUNT, MEDIA_MIN_COUNT, count);
	if (start + count - 1 > 65535)
		return topo_err(c, m, "client_media_ports.%s: range %lu-%lu ends beyond port 65535", name,
				start, start + count - 1);
	r->start = (uint16_t)start;
	r->count = (uint16_t)count;
	return rc;
}

static int parse_media(struct topo_ctx *c, yaml_node_t *m)
{
	static const char *const keys[] = { "enabled", "audio", "video", "app_sharing", "file_transfer",
					    NULL };
	struct aclf_media_ports *mp = &c->t->media;
	struct {
		const char *name;
		struct aclf_media_range *r;
	} ranges[] = {
		{ "audio", &mp->audio },
		{ "video", &mp->video },
		{ "app_sharing", &mp->app_sharing },
		{ "file_transfer", &mp->file_transfer },
	};
	yaml_node_t *en;
	int rc;

	c->t->media_set = true;
	mp->pos.line = aclf_ynode_line(m);
	mp->pos.col = aclf_ynode_col(m);
	if (topo_expect(c, m, YAML_MAPPING_NODE, "client_media_ports") < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, "client_media_ports");
	en = aclf_ymap_get(c->d, m, "enabled");
	if (!en)
		rc = topo_err(c, m, "client_media_ports: missing 'enabled', expected true or false "
				    "(ClientMediaPortRangeEnabled)");
	else if (topo_bool(c, en, "client_media_ports.enabled", &mp->enabled) < 0)
		rc = -1;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		yaml_node_t *r = aclf_ymap_get(c->d, m, ranges[i].name);
		if (r && parse_range(c, r, ranges[i].name, ranges[i].r) < 0)
			rc = -1;
	}
	return rc;
}

static int parse_options(struct topo_ctx *c, yaml_node_t *o)
{
	static const char *const keys[] = { "optional_5060", NULL };
	yaml_node_t *v;
	int rc;

	if (topo_expect(c, o, YAML_MAPPING_NODE, "options") < 0)
		return -1;
	rc = topo_check_keys(c, o, keys, "options");
	v = aclf_ymap_get(c->d, o, "optional_5060");
	if (v && topo_bool(c, v, "options.optional_5060", &c->t->allow_optional_5060) < 0)
		rc = -1;
	return rc;
}

static int parse_catalog(struct topo_ctx *c, yaml_node_t *root)
{
	yaml_node_t *n = aclf_ymap_get(c->d, root, "catalog");

	if (!n) {
		c->t->catalog = topo_strdup(c, DEFAULT_CATALOG);
		return c->t->catalog ? 0 : -1;
	}
	if (topo_str(c, n, "catalog", &c->t->catalog) < 0)
		return -1;
	if (topo_null(n) || !*c->t->catalog)
		return topo_err(c, n, "catalog: expected a bundled catalog name or a path, found nothing");
	return 0;
}

static void set_media_defaults(struct aclf_media_ports *mp)
{
	struct aclf_media_range d = { MEDIA_DEFAULT_START, MEDIA_DEFAULT_COUNT };

	mp->enabled = false;
	mp->audio = mp->video = mp->app_sharing = mp->file_transfer = d;
}

static void parse_root(struct topo_ctx *c, yaml_node_t *root)
{
	static const char *const keys[] = { "catalog", "site", "load_balancing", "sites",
					    "client_media_ports", "options", "networks", "pools",
					    "devices", "rules", NULL };
	yaml_node_t *n;

	set_media_defaults(&c->t->media);
	if (topo_expect(c, root, YAML_MAPPING_NODE, "topology") < 0)
		return;
	topo_check_keys(c, root, keys, "topology");
	parse_catalog(c, root);
	parse_sites(c, root);
	/* an optional section left empty ("networks:") is as good as absent */
	if ((n = aclf_ymap_get(c->d, root, "options")) && !topo_null(n))
		parse_options(c, n);
	if ((n = aclf_ymap_get(c->d, root, "client_media_ports")))
		parse_media(c, n);
	if ((n = aclf_ymap_get(c->d, root, "networks")) && !topo_null(n))
		topo_parse_networks(c, n);
	if (!(n = aclf_ymap_get(c->d, root, "pools")))
		topo_err(c, root, "missing 'pools', expected at least one pool");
	else
		topo_parse_pools(c, n);
	topo_check_pools(c);
	if ((n = aclf_ymap_get(c->d, root, "devices")) && !topo_null(n))
		topo_parse_devices(c, n);
	topo_check_vips(c);
	if ((n = aclf_ymap_get(c->d, root, "rules")) && !topo_null(n))
		topo_parse_rules(c, n);
}

/* ---- entry points ---- */

static int msg_cmp(const void *a, const void *b)
{
	const struct topo_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void flush_errors(struct topo_ctx *c, struct aclf_err *err)
{
	const char *file = file_name(c);

	if (c->nomem)
		aclf_err_set(err, ACLF_E_NOMEM, "%s: out of memory", file);
	if (c->nmsgs)
		qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), msg_cmp);
	for (size_t i = 0; i < c->nmsgs; i++)
		aclf_err_at(err, file, c->msgs[i].line, c->msgs[i].col, "%s", c->msgs[i].text);
	if (c->nerrors > c->nmsgs)
		aclf_err_set(err, ACLF_E_INPUT, "%s: %zu more errors not shown", file,
			     c->nerrors - c->nmsgs);
}

static void release_msgs(struct topo_ctx *c)
{
	for (size_t i = 0; i < c->nmsgs; i++)
		free(c->msgs[i].text);
	free(c->msgs);
	c->msgs = NULL;
	c->nmsgs = c->msgcap = 0;
}

struct aclf_topology *aclf_topology_load_mem(const char *data, size_t len, const char *name,
					     struct aclf_err *err)
{
	struct aclf_ydoc d;
	struct topo_ctx c;
	struct aclf_topology *t = calloc(1, sizeof(*t));
	bool failed;

	if (!t) {
		aclf_err_nomem(err);
		return NULL;
	}
	aclf_arena_init(&t->arena);
	t->path = aclf_arena_strdup(&t->arena, name ? name : "<input>");
	if (!t->path) {
		aclf_topology_free(t);
		aclf_err_nomem(err);
		return NULL;
	}
	if (aclf_ydoc_load(&d, data ? data : "", data ? len : 0, t->path, err) < 0) {
		aclf_ydoc_release(&d);
		aclf_topology_free(t);
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.d = &d;
	c.t = t;
	parse_root(&c, aclf_ydoc_root(&d));
	failed = c.nerrors > 0 || c.nomem;
	if (failed)
		flush_errors(&c, err);
	release_msgs(&c);
	topo_ctx_release(&c);
	aclf_ydoc_release(&d);
	if (failed) {
		aclf_topology_free(t);
		return NULL;
	}
	return t;
}

/* A catalog given as a path (it has a '/' or ends in .yaml/.yml; anything
 * else is a bundled name) is relative to the topology file: anchor it at
 * the file's directory, as an absolute path. */
static int anchor_catalog(struct aclf_topology *t, const char *path, struct aclf_err *err)
{
	const char *cat = t->catalog, *slash = strrchr(path, '/');
	size_t n = strlen(cat);
	char *dir, *abs;
	bool is_path = strchr(cat, '/') || (n >= 5 && !strcmp(cat + n - 5, ".yaml")) ||
		       (n >= 4 && !strcmp(cat + n - 4, ".yml"));

	if (!is_path || cat[0] == '/')
		return 0;
	dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	if (!dir)
		return aclf_err_nomem(err);
	abs = realpath(dir, NULL);
	free(dir);
	if (!abs)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: cannot resolve the directory of the topology "
						       "for catalog '%s': %s", path, cat, strerror(errno));
	t->catalog = aclf_arena_printf(&t->arena, "%s%s%s", abs, abs[1] ? "/" : "", cat);
	free(abs);
	if (!t->catalog)
		return aclf_err_nomem(err);
	return 0;
}

struct aclf_topology *aclf_topology_load(const char *path, struct aclf_err *err)
{
	struct aclf_buf b;
	struct aclf_topology *t;

	if (!path)
		return aclf_err_set(err, ACLF_E_INPUT, "no topology file given"), NULL;
	aclf_buf_init(&b, TOPO_FILE_CAP);
	if (aclf_buf_read_file(&b, path) < 0) {
		int e = errno;
		aclf_buf_release(&b);
		aclf_err_set(err, ACLF_E_INPUT, "cannot read topology '%s': %s", path,
			     e == EFBIG ? "file too large" : strerror(e));
		return NULL;
	}
	t = aclf_topology_load_mem(b.buf, b.len, path, err);
	aclf_buf_release(&b);
	if (t && anchor_catalog(t, path, err) < 0) {
		aclf_topology_free(t);
		return NULL;
	}
	return t;
}

void aclf_topology_free(struct aclf_topology *t)
{
	if (!t)
		return;
	aclf_arena_release(&t->arena);
	free(t);
}
