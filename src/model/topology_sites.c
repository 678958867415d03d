/* Topology loader: the settings at the top of the file: the catalog, the
 * sites with their load balancing, options and client media ports. */
#include <stdio.h>
#include <string.h>

#include "aclforge/topology.h"
#include "topology_int.h"

/* the seed's tables and the traffic a working deployment needs beside them */
static const char *const default_catalogs[] = { "lync2013-internal", "lync2013-extras" };
/* Windows' default dynamic port range (netsh int ipv4 show dynamicport tcp) */
#define RPC_DYNAMIC_START 49152
#define RPC_DYNAMIC_COUNT 16384
#define SQL_DEFAULT_PORT 1433
/* Set-CsConferencingConfiguration defaults (ClientAudioPort 5350, range 40 ...) */
#define MEDIA_DEFAULT_START 5350
#define MEDIA_DEFAULT_COUNT 40
/* the seed: "mindestens 20 Ports" */
#define MEDIA_MIN_COUNT 20
#define MEDIA_MIN_START 1024

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
	static const char *const keys[] = { "optional_5060", "xmpp", "centralized_logging", NULL };
	bool *to[] = { &c->t->allow_optional_5060, &c->t->opt_xmpp, &c->t->opt_centralized_logging };
	yaml_node_t *v;
	char what[64];
	int rc;

	if (topo_expect(c, o, YAML_MAPPING_NODE, "options") < 0)
		return -1;
	rc = topo_check_keys(c, o, keys, "options");
	for (size_t i = 0; keys[i]; i++) {
		v = aclf_ymap_get(c->d, o, keys[i]);
		snprintf(what, sizeof(what), "options.%s", keys[i]);
		if (v && topo_bool(c, v, what, to[i]) < 0)
			rc = -1;
	}
	return rc;
}

/* rpc_dynamic_ports: {start, count} as `netsh int ipv4 set dynamicport`
 * writes them; sql_port: the back end's port. */
static int parse_windows_ports(struct topo_ctx *c, yaml_node_t *root)
{
	static const char *const keys[] = { "start", "count", NULL };
	yaml_node_t *n = aclf_ymap_get(c->d, root, "rpc_dynamic_ports"), *sn, *cn;
	unsigned long start, count, port;
	int rc = 0;

	c->t->rpc_dynamic.lo = RPC_DYNAMIC_START;
	c->t->rpc_dynamic.hi = RPC_DYNAMIC_START + RPC_DYNAMIC_COUNT - 1;
	c->t->sql_port = SQL_DEFAULT_PORT;
	if (n && !topo_null(n)) {
		if (topo_expect(c, n, YAML_MAPPING_NODE, "rpc_dynamic_ports") < 0)
			return -1;
		rc = topo_check_keys(c, n, keys, "rpc_dynamic_ports");
		sn = aclf_ymap_get(c->d, n, "start");
		cn = aclf_ymap_get(c->d, n, "count");
		if (!sn || !cn)
			return topo_err(c, n, "rpc_dynamic_ports: missing '%s', expected {start: PORT, count: N}",
					!sn ? "start" : "count");
		if (topo_uint(c, sn, 1025, 65535, "rpc_dynamic_ports.start", &start) < 0 ||
		    topo_uint(c, cn, 255, 64511, "rpc_dynamic_ports.count", &count) < 0)
			return -1;
		/* netsh: "the minimum range of ports that can be set is 255" */
		if (start + count - 1 > 65535)
			return topo_err(c, n, "rpc_dynamic_ports: range %lu-%lu ends beyond port 65535", start,
					start + count - 1);
		c->t->rpc_dynamic.lo = (uint16_t)start;
		c->t->rpc_dynamic.hi = (uint16_t)(start + count - 1);
	}
	n = aclf_ymap_get(c->d, root, "sql_port");
	if (n && !topo_null(n)) {
		if (topo_uint(c, n, 1, 65535, "sql_port", &port) < 0)
			return -1;
		c->t->sql_port = (uint16_t)port;
	}
	return rc;
}

/* catalog: a name or path, or a list of them (compiled together). */
static int parse_catalog(struct topo_ctx *c, yaml_node_t *root)
{
	yaml_node_t *n = aclf_ymap_get(c->d, root, "catalog");
	struct aclf_topology *t = c->t;
	size_t cnt;
	int rc = 0;

	if (!n) {
		cnt = sizeof(default_catalogs) / sizeof(default_catalogs[0]);
		if (!(t->catalogs = topo_alloc(c, cnt, sizeof(*t->catalogs))))
			return -1;
		for (size_t i = 0; i < cnt; i++)
			if (!(t->catalogs[t->ncatalogs++] = topo_strdup(c, default_catalogs[i])))
				return -1;
		t->catalog = t->catalogs[0];
		return 0;
	}
	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "catalog: expected a bundled catalog name, a path or a list of them, "
				      "found a mapping");
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	if (cnt == 0 || topo_null(n))
		return topo_err(c, n, "catalog: expected a bundled catalog name or a path, found nothing");
	if (!(t->catalogs = topo_alloc(c, cnt, sizeof(*t->catalogs))))
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const char *s;
		if (topo_str(c, it, "catalog", &s) < 0) {
			rc = -1;
			continue;
		}
		if (topo_null(it) || !*s) {
			rc = topo_err(c, it, "catalog: expected a bundled catalog name or a path, found nothing");
			continue;
		}
		for (size_t j = 0; j < t->ncatalogs; j++)
			if (!strcmp(t->catalogs[j], s))
				rc = topo_err(c, it, "catalog: '%.80s' listed twice", s);
		t->catalogs[t->ncatalogs++] = s;
	}
	t->catalog = t->ncatalogs ? t->catalogs[0] : NULL;
	return rc;
}

static void set_media_defaults(struct aclf_media_ports *mp)
{
	struct aclf_media_range d = { MEDIA_DEFAULT_START, MEDIA_DEFAULT_COUNT };

	mp->enabled = false;
	mp->audio = mp->video = mp->app_sharing = mp->file_transfer = d;
}

void topo_parse_settings(struct topo_ctx *c, yaml_node_t *root)
{
	yaml_node_t *n;

	set_media_defaults(&c->t->media);
	parse_catalog(c, root);
	parse_windows_ports(c, root);
	parse_sites(c, root);
	/* an optional section left empty ("options:") is as good as absent */
	if ((n = aclf_ymap_get(c->d, root, "options")) && !topo_null(n))
		parse_options(c, n);
	if ((n = aclf_ymap_get(c->d, root, "client_media_ports")))
		parse_media(c, n);
}
