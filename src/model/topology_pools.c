/* Topology loader: networks, pools, servers and their addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"
#include "topology_int.h"

#define NO_SERVER ((size_t)-1)

/* ---- network kinds: the catalog's peer classes that stand for address
 * ranges outside the pools ---- */

static const char *const net_kinds[] = {
	"clients",      "phones",        "reverse-proxy",       "pstn-gateway",
	"e911-gateway", "survivable-branch", "admin-hosts",     "trusted-application",
	"monitoring",   "dhcp-server",   "domain-controller",   "dns-server",
	"sql-server",   "file-server",   "pki",                 "management",
	NULL,
};

static const char *topo_kind_lookup(const char *s)
{
	for (size_t i = 0; net_kinds[i]; i++)
		if (!strcmp(net_kinds[i], s))
			return net_kinds[i];
	return NULL;
}

static const char *topo_kind_list(void)
{
	return "clients, phones, reverse-proxy, pstn-gateway, e911-gateway, survivable-branch, "
	       "admin-hosts, trusted-application, monitoring, dhcp-server, domain-controller, "
	       "dns-server, sql-server, file-server, pki, management";
}

static const char *const role_list = "front-end, director, mediation, persistent-chat, "
				     "office-web-apps, edge-internal";

static int check_kind(struct topo_ctx *c, yaml_node_t *at, const char *what, const char *k)
{
	enum aclf_role r;

	if (topo_kind_lookup(k))
		return 0;
	if (aclf_role_parse(k, &r) == 0)
		return topo_err(c, at, "%s: '%s' is a pool role, not a network kind: declare those servers "
				       "under 'pools'", what, k);
	if (!strcmp(k, "all-internal-servers") || !strcmp(k, "front-end-cms"))
		return topo_err(c, at, "%s: '%s' is derived from the pools, not a network kind", what, k);
	if (!strcmp(k, "local"))
		return topo_err(c, at, "%s: 'local' is the device itself, not a network kind", what);
	return topo_err(c, at, "%s: unknown kind '%.80s', expected one of: %s", what, k,
			topo_kind_list());
}

/* ---- addresses ---- */

static int add_claim(struct topo_ctx *c, const struct aclf_prefix *p, size_t pool, size_t server,
		     yaml_node_t *node)
{
	struct topo_claim *cl;

	if (c->nclaims == c->claimcap) {
		size_t nc = c->claimcap ? c->claimcap * 2 : 64;
		struct topo_claim *nv = realloc(c->claims, nc * sizeof(*nv));
		if (!nv)
			return topo_nomem(c);
		c->claims = nv;
		c->claimcap = nc;
	}
	cl = &c->claims[c->nclaims];
	cl->addr = *p;
	cl->pool = pool;
	cl->server = server;
	cl->node = node;
	cl->seq = c->nclaims;
	c->nclaims++;
	return 0;
}

static int topo_parse_host(struct topo_ctx *c, yaml_node_t *n, const char *what,
			   struct aclf_prefix *out)
{
	struct aclf_prefix p;
	const char *s;

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	if (aclf_prefix_parse(s, &p, false) == 0) {
		if (!aclf_prefix_is_host(&p))
			return topo_err(c, n, "%s: expected a host address, found prefix '%.80s'", what, s);
		if (topo_no_v4mapped(c, n, what, s, &p) < 0)
			return -1;
		*out = p;
		return 0;
	}
	if (aclf_prefix_parse(s, &p, true) == 0)
		return topo_err(c, n, "%s: '%.80s' has host bits set, expected a host address "
				      "without a prefix length", what, s);
	return topo_err(c, n, "%s: expected an IPv4 or IPv6 address, found '%.80s'", what, s);
}

static int parse_prefix(struct topo_ctx *c, yaml_node_t *n, const char *what, struct aclf_prefix *out)
{
	const char *s;
	char fix[ACLF_PREFIX_STRLEN];

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	if (aclf_prefix_parse(s, out, false) == 0)
		return topo_no_v4mapped(c, n, what, s, out);
	if (aclf_prefix_parse(s, out, true) == 0) {
		if (topo_no_v4mapped(c, n, what, s, out) < 0)
			return -1;
		aclf_prefix_format(out, fix, sizeof(fix));
		return topo_err(c, n, "%s: '%.80s' has host bits set, expected '%s'", what, s, fix);
	}
	return topo_err(c, n, "%s: expected an IPv4 or IPv6 prefix, found '%.80s'", what, s);
}

static int prefix_qcmp(const void *a, const void *b)
{
	return aclf_prefix_cmp(a, b);
}

/* A scalar or a list of scalars: addresses (hosts: true; each claimed for
 * pool/server) or prefixes (merged). max_per_family: 0 = no limit. */
static int parse_addr_list(struct topo_ctx *c, yaml_node_t *n, const char *what, bool hosts,
			   unsigned max_per_family, size_t pool, size_t server,
			   struct aclf_prefix_set *out)
{
	size_t cnt, k = 0;
	unsigned per[2] = { 0, 0 };
	struct aclf_prefix *v;
	int rc = 0;

	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected %s or a list of them, found a mapping", what,
				hosts ? "an address" : "a prefix");
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	if (cnt == 0 || topo_null(n))
		return topo_err(c, n, "%s: expected at least one %s", what, hosts ? "address" : "prefix");
	v = calloc(cnt, sizeof(*v));
	if (!v)
		return topo_nomem(c);
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		struct aclf_prefix p;
		if ((hosts ? topo_parse_host(c, it, what, &p) : parse_prefix(c, it, what, &p)) < 0) {
			rc = -1;
			continue;
		}
		if (max_per_family && ++per[p.family == 6] > max_per_family) {
			rc = topo_err(c, it, "%s: expected at most %u IPv%u address%s", what,
				      max_per_family, p.family, max_per_family == 1 ? "" : "es");
			continue;
		}
		if (hosts && add_claim(c, &p, pool, server, it) < 0)
			rc = -1;
		v[k++] = p;
	}
	if (k && hosts) {
		/* hosts stay hosts: sorted and unique, never aggregated */
		size_t w = 0;
		qsort(v, k, sizeof(*v), prefix_qcmp);
		for (size_t i = 0; i < k; i++)
			if (!w || aclf_prefix_cmp(&v[w - 1], &v[i]) != 0)
				v[w++] = v[i];
		out->v = topo_alloc(c, w, sizeof(*v));
		if (out->v) {
			memcpy(out->v, v, w * sizeof(*v));
			out->n = w;
		}
	} else if (k && aclf_pset_merge(&c->t->arena, v, k, out) < 0) {
		rc = topo_nomem(c);
	}
	free(v);
	return rc;
}

/* ---- networks ---- */

static void site_list(const struct aclf_topology *t, struct aclf_buf *b);

static int parse_net_site(struct topo_ctx *c, yaml_node_t *sn, const char *name, struct aclf_network *nw)
{
	const struct aclf_topology *t = c->t;
	struct aclf_buf b;
	char what[128];
	const char *s;
	int rc;

	snprintf(what, sizeof(what), "networks.%.80s.site", name);
	if (topo_expect(c, sn, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(sn);
	for (size_t i = 0; i < t->nsites; i++) {
		if (!strcmp(t->sites[i].name, s)) {
			nw->site = t->sites[i].name;
			return 0;
		}
	}
	if (t->nsites == 0)
		return 0; /* the missing sites are reported */
	aclf_buf_init(&b, 0);
	site_list(t, &b);
	rc = topo_err(c, sn, "%s: unknown site '%.80s', expected one of: %s", what, s, b.buf);
	aclf_buf_release(&b);
	return rc;
}

static int parse_network(struct topo_ctx *c, yaml_node_t *kn, yaml_node_t *v, struct aclf_network *nw)
{
	static const char *const keys[] = { "kind", "prefixes", "site", NULL };
	const char *name = aclf_yscalar(kn);
	yaml_node_t *pn = v;
	char what[128], kind[TOPO_NAME_MAX + 1];
	int rc = 0;

	snprintf(what, sizeof(what), "networks.%.80s", name);
	nw->name = topo_strdup(c, name);
	nw->pos.line = aclf_ynode_line(kn);
	nw->pos.col = aclf_ynode_col(kn);
	if (v->type == YAML_MAPPING_NODE) {
		yaml_node_t *k = aclf_ymap_get(c->d, v, "kind");
		rc = topo_check_keys(c, v, keys, what);
		pn = aclf_ymap_get(c->d, v, "prefixes");
		if (!k) {
			rc = topo_err(c, v, "%s: missing 'kind', expected one of: %s", what, topo_kind_list());
		} else {
			snprintf(what, sizeof(what), "networks.%.80s.kind", name);
			if (topo_str(c, k, what, &nw->kind) < 0 || check_kind(c, k, what, nw->kind) < 0)
				rc = -1;
		}
		snprintf(what, sizeof(what), "networks.%.80s", name);
		if (aclf_ymap_get(c->d, v, "site") && parse_net_site(c, aclf_ymap_get(c->d, v, "site"), name, nw) < 0)
			rc = -1;
		if (!pn)
			return topo_err(c, v, "%s: missing 'prefixes', expected a list of prefixes", what);
		snprintf(what, sizeof(what), "networks.%.80s.prefixes", name);
	} else {
		/* shorthand: the name is the kind, '_' read as '-' */
		size_t len = strlen(name);
		for (size_t i = 0; i <= len && i < sizeof(kind); i++)
			kind[i] = name[i] == '_' ? '-' : name[i];
		kind[sizeof(kind) - 1] = '\0';
		if (topo_kind_lookup(kind)) {
			nw->kind = topo_strdup(c, kind);
		} else {
			char single[TOPO_NAME_MAX + 1];
			memcpy(single, kind, sizeof(single));
			if (len > 1 && len < sizeof(single) && single[len - 1] == 's')
				single[len - 1] = '\0';
			if (strcmp(single, kind) != 0 && topo_kind_lookup(single))
				rc = topo_err(c, kn, "%s: a list here takes the kind from the name and '%s' is "
						     "not a network kind, write {kind: %s, prefixes: [...]}",
					      what, kind, single);
			else
				rc = topo_err(c, kn, "%s: a list here takes the kind from the name and '%s' is "
						     "not a network kind, write {kind: KIND, prefixes: [...]} "
						     "with KIND one of: %s",
					      what, kind, topo_kind_list());
		}
	}
	if (parse_addr_list(c, pn, what, false, 0, 0, NO_SERVER, &nw->prefixes) < 0)
		rc = -1;
	return rc;
}

int topo_parse_networks(struct topo_ctx *c, yaml_node_t *n)
{
	struct aclf_topology *t = c->t;
	size_t cnt;
	bool *skip;
	int rc = 0;

	if (topo_expect(c, n, YAML_MAPPING_NODE, "networks") < 0)
		return -1;
	skip = topo_check_names(c, n, "networks");
	cnt = aclf_ymap_len(n);
	t->networks = topo_alloc(c, cnt, sizeof(*t->networks));
	c->net_keys = topo_alloc(c, cnt, sizeof(*c->net_keys));
	if (!t->networks || !c->net_keys || !skip)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, n, i);
		if (skip[i])
			continue; /* reported */
		c->net_keys[t->nnetworks] = kn;
		if (parse_network(c, kn, aclf_ymap_value_at(c->d, n, i), &t->networks[t->nnetworks++]) < 0)
			rc = -1;
	}
	return rc;
}

/* ---- pools ---- */

static bool fqdn_valid(const char *s)
{
	size_t n = strlen(s), label = 0, labels = 1;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      (ch == '-' && label > 0)))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-' && labels >= 2;
}

static int parse_fqdn(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	if (topo_str(c, n, what, out) < 0)
		return -1;
	if (!fqdn_valid(*out))
		return topo_err(c, n, "%s: expected a fully qualified domain name, found '%.80s'", what,
				*out);
	return 0;
}

static void site_list(const struct aclf_topology *t, struct aclf_buf *b)
{
	for (size_t i = 0; i < t->nsites && i < 10; i++)
		aclf_buf_printf(b, "%s%s", i ? ", " : "", t->sites[i].name);
	if (t->nsites > 10)
		aclf_buf_puts(b, ", ...");
}

static int parse_pool_site(struct topo_ctx *c, yaml_node_t *v, const char *name, struct aclf_pool *p)
{
	const struct aclf_topology *t = c->t;
	yaml_node_t *sn = aclf_ymap_get(c->d, v, "site");
	struct aclf_buf b;
	char what[128];
	const char *s;
	int rc = 0;

	snprintf(what, sizeof(what), "pools.%.80s.site", name);
	if (!sn) {
		if (t->nsites == 1)
			p->site = t->sites[0].name;
		if (t->nsites <= 1)
			return 0;
		aclf_buf_init(&b, 0);
		site_list(t, &b);
		rc = topo_err(c, v, "pools.%.80s: missing 'site', expected one of: %s", name, b.buf);
		aclf_buf_release(&b);
		return rc;
	}
	if (topo_expect(c, sn, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(sn);
	for (size_t i = 0; i < t->nsites; i++) {
		if (!strcmp(t->sites[i].name, s)) {
			p->site = t->sites[i].name;
			return 0;
		}
	}
	if (t->nsites == 0)
		return 0; /* the missing sites are reported */
	aclf_buf_init(&b, 0);
	site_list(t, &b);
	rc = topo_err(c, sn, "%s: unknown site '%.80s', expected one of: %s", what, s, b.buf);
	aclf_buf_release(&b);
	return rc;
}

static int parse_collocated(struct topo_ctx *c, yaml_node_t *n, const char *name, struct aclf_pool *p,
			    bool role_ok)
{
	size_t cnt;
	char what[128];
	int rc = 0;

	snprintf(what, sizeof(what), "pools.%.80s.collocated", name);
	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected a list of roles, found a mapping", what);
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const char *s;
		if (topo_expect(c, it, YAML_SCALAR_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		s = aclf_yscalar(it);
		if (strcmp(s, "mediation") != 0)
			rc = topo_err(c, it, "%s: expected 'mediation' (the only role collocated on a "
					     "front-end pool), found '%.80s'", what, s);
		else if (p->collocated_mediation)
			rc = topo_err(c, it, "%s: 'mediation' listed twice", what);
		else
			p->collocated_mediation = true;
	}
	if (role_ok && cnt && p->role != ACLF_ROLE_FRONT_END) {
		rc = topo_err(c, n, "%s: only front-end pools have collocated roles, this pool is '%s'",
			      what, aclf_role_name(p->role));
		p->collocated_mediation = false;
	}
	return rc;
}

/* gateways: the pstn-gateway networks that reach this pool's mediation
 * service (the networks are read before the pools). */
static int parse_gateways(struct topo_ctx *c, yaml_node_t *n, const char *name, struct aclf_pool *p,
			  bool role_ok)
{
	const struct aclf_topology *t = c->t;
	size_t cnt;
	char what[128];
	int rc = 0;

	snprintf(what, sizeof(what), "pools.%.80s.gateways", name);
	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected a list of network names, found a mapping", what);
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	if (cnt == 0 || topo_null(n))
		return topo_err(c, n, "%s: expected at least one pstn-gateway network", what);
	if (role_ok && p->role != ACLF_ROLE_MEDIATION &&
	    !(p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation))
		return topo_err(c, n, "%s: only mediation pools and front-end pools with collocated "
				      "mediation talk to gateways, this pool is '%s'%s", what,
				aclf_role_name(p->role),
				p->role == ACLF_ROLE_FRONT_END ? " without 'collocated: [mediation]'" : "");
	if (!(p->gateways = topo_alloc(c, cnt, sizeof(*p->gateways))))
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const struct aclf_network *nw = NULL;
		const char *s;
		if (topo_expect(c, it, YAML_SCALAR_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		s = aclf_yscalar(it);
		for (size_t k = 0; k < t->nnetworks && !nw; k++)
			if (t->networks[k].name && !strcmp(t->networks[k].name, s))
				nw = &t->networks[k];
		if (!nw) {
			rc = topo_err(c, it, "%s: unknown network '%.80s'", what, s);
			continue;
		}
		if (nw->kind && strcmp(nw->kind, "pstn-gateway") != 0) {
			rc = topo_err(c, it, "%s: network '%.80s' is of kind '%s', expected a pstn-gateway network",
				      what, s, nw->kind);
			continue;
		}
		for (size_t k = 0; k < p->ngateways; k++)
			if (!strcmp(p->gateways[k], nw->name)) {
				rc = topo_err(c, it, "%s: '%.80s' listed twice", what, s);
				nw = NULL;
				break;
			}
		if (nw)
			p->gateways[p->ngateways++] = nw->name;
	}
	return rc;
}

static int parse_servers(struct topo_ctx *c, yaml_node_t *n, size_t pi, const char *name)
{
	struct aclf_pool *p = &c->t->pools[pi];
	struct topo_pool_aux *aux = &c->pool_aux[pi];
	size_t cnt;
	char what[192];
	bool *skip;
	int rc = 0;

	snprintf(what, sizeof(what), "pools.%.80s.servers", name);
	if (topo_expect(c, n, YAML_MAPPING_NODE, what) < 0)
		return -1;
	cnt = aclf_ymap_len(n);
	if (cnt == 0)
		return topo_err(c, n, "%s: expected at least one server", what);
	skip = topo_check_names(c, n, what);
	p->servers = topo_alloc(c, cnt, sizeof(*p->servers));
	aux->server_keys = topo_alloc(c, cnt, sizeof(*aux->server_keys));
	if (!p->servers || !aux->server_keys || !skip)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, n, i);
		const char *sname = aclf_yscalar(kn);
		struct aclf_server *s;
		if (skip[i])
			continue; /* reported */
		s = &p->servers[p->nservers];
		aux->server_keys[p->nservers] = kn;
		s->name = topo_strdup(c, sname);
		s->pos.line = aclf_ynode_line(kn);
		s->pos.col = aclf_ynode_col(kn);
		snprintf(what, sizeof(what), "pools.%.80s.servers.%.80s", name, sname);
		if (parse_addr_list(c, aclf_ymap_value_at(c->d, n, i), what, true, 0, pi, p->nservers,
				    &s->addrs) < 0)
			rc = -1;
		p->nservers++;
	}
	return rc;
}

static int parse_pool(struct topo_ctx *c, size_t pi, yaml_node_t *kn, yaml_node_t *v)
{
	static const char *const keys[] = { "role", "site", "fqdn", "web_fqdn", "vip",
					    "external_web_vip", "cms", "collocated", "servers",
					    "gateways", "tls", NULL };
	struct aclf_pool *p = &c->t->pools[pi];
	struct topo_pool_aux *aux = &c->pool_aux[pi];
	const char *name = aclf_yscalar(kn);
	yaml_node_t *n;
	char what[128];
	int rc;

	p->name = topo_strdup(c, name);
	p->pos.line = aclf_ynode_line(kn);
	p->pos.col = aclf_ynode_col(kn);
	aux->key = kn;
	aux->node = v;
	snprintf(what, sizeof(what), "pools.%.80s", name);
	if (topo_expect(c, v, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, v, keys, what);

	if (!(n = aclf_ymap_get(c->d, v, "role"))) {
		rc = topo_err(c, v, "%s: missing 'role', expected one of: %s", what, role_list);
	} else {
		snprintf(what, sizeof(what), "pools.%.80s.role", name);
		if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
			rc = -1;
		else if (aclf_role_parse(aclf_yscalar(n), &p->role) == 0)
			aux->role_ok = true;
		else
			rc = topo_err(c, n, "%s: unknown role '%.80s', expected one of: %s", what,
				      aclf_yscalar(n), role_list);
	}
	if (parse_pool_site(c, v, name, p) < 0)
		rc = -1;

	snprintf(what, sizeof(what), "pools.%.80s.fqdn", name);
	if (!(n = aclf_ymap_get(c->d, v, "fqdn")))
		rc = topo_err(c, v, "pools.%.80s: missing 'fqdn', expected the pool's FQDN", name);
	else if (parse_fqdn(c, n, what, &p->fqdn) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "pools.%.80s.web_fqdn", name);
	if ((n = aclf_ymap_get(c->d, v, "web_fqdn")) && parse_fqdn(c, n, what, &p->web_fqdn) < 0)
		rc = -1;

	snprintf(what, sizeof(what), "pools.%.80s.vip", name);
	if ((aux->vip = aclf_ymap_get(c->d, v, "vip")) &&
	    parse_addr_list(c, aux->vip, what, true, 1, pi, NO_SERVER, &p->vip) < 0)
		rc = -1;

	snprintf(what, sizeof(what), "pools.%.80s.external_web_vip", name);
	if ((n = aclf_ymap_get(c->d, v, "external_web_vip"))) {
		if (parse_addr_list(c, n, what, true, 1, pi, TOPO_CLAIM_EXTERNAL_WEB,
				    &p->external_web_vip) < 0)
			rc = -1;
		else if (aux->role_ok && p->role != ACLF_ROLE_FRONT_END && p->role != ACLF_ROLE_DIRECTOR)
			rc = topo_err(c, n, "%s: only front-end and director pools publish external web "
					    "services, this pool is '%s'", what, aclf_role_name(p->role));
	}

	snprintf(what, sizeof(what), "pools.%.80s.cms", name);
	if ((n = aclf_ymap_get(c->d, v, "cms"))) {
		if (topo_bool(c, n, what, &p->cms) < 0)
			rc = -1;
		else if (p->cms)
			aux->cms = n;
		if (p->cms && aux->role_ok && p->role != ACLF_ROLE_FRONT_END) {
			rc = topo_err(c, n, "%s: only a front-end pool holds the central management store, "
					    "this pool is '%s'", what, aclf_role_name(p->role));
			aux->cms = NULL;
		}
	}
	if ((n = aclf_ymap_get(c->d, v, "collocated")) &&
	    parse_collocated(c, n, name, p, aux->role_ok) < 0)
		rc = -1;
	if ((n = aclf_ymap_get(c->d, v, "gateways")) && parse_gateways(c, n, name, p, aux->role_ok) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "pools.%.80s.tls", name);
	if ((n = aclf_ymap_get(c->d, v, "tls"))) {
		aux->tls = n;
		if (topo_parse_tls(c, n, what, NULL, &p->tls) < 0)
			rc = -1;
		else if (aux->role_ok && p->role != ACLF_ROLE_FRONT_END && p->role != ACLF_ROLE_DIRECTOR)
			rc = topo_err(c, n, "%s: only front-end and director pools have web services "
					    "to terminate TLS for, this pool is '%s'", what,
				      aclf_role_name(p->role));
	}

	if (!(n = aclf_ymap_get(c->d, v, "servers")))
		rc = topo_err(c, v, "pools.%.80s: missing 'servers', expected a mapping of server names "
				    "to addresses", name);
	else if (parse_servers(c, n, pi, name) < 0)
		rc = -1;
	return rc;
}

int topo_parse_pools(struct topo_ctx *c, yaml_node_t *n)
{
	struct aclf_topology *t = c->t;
	size_t cnt;
	bool *skip;
	int rc = 0;

	if (topo_expect(c, n, YAML_MAPPING_NODE, "pools") < 0)
		return -1;
	cnt = aclf_ymap_len(n);
	if (cnt == 0)
		return topo_err(c, n, "pools: expected at least one pool");
	skip = topo_check_names(c, n, "pools");
	t->pools = topo_alloc(c, cnt, sizeof(*t->pools));
	c->pool_aux = topo_alloc(c, cnt, sizeof(*c->pool_aux));
	if (!t->pools || !c->pool_aux || !skip)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, n, i);
		if (skip[i])
			continue; /* reported */
		if (parse_pool(c, t->npools++, kn, aclf_ymap_value_at(c->d, n, i)) < 0)
			rc = -1;
	}
	return rc;
}
