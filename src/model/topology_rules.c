/* Topology loader: the site's own rules (compiled before the catalog's). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/policy.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"
#include "topology_int.h"

static int parse_endpoint(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	struct aclf_prefix p;
	char fix[ACLF_PREFIX_STRLEN];
	const char *s;
	bool found;

	if (topo_str(c, n, what, out) < 0)
		return -1;
	s = *out;
	if (!strcmp(s, "any"))
		return 0;
	if (!strncmp(s, "networks.", 9)) {
		found = topo_find_network(c, s + 9) != NULL;
		if (!found)
			return topo_err(c, n, "%s: unknown network '%.80s'", what, s + 9);
		return 0;
	}
	if (!strncmp(s, "pools.", 6)) {
		if (!topo_find_pool(c, s + 6, NULL))
			return topo_err(c, n, "%s: unknown pool '%.80s'", what, s + 6);
		return 0;
	}
	if (!strncmp(s, "servers.", 8)) {
		if (!topo_find_server(c, s + 8))
			return topo_err(c, n, "%s: unknown server '%.80s'", what, s + 8);
		return 0;
	}
	if (aclf_prefix_parse(s, &p, false) == 0)
		return topo_no_v4mapped(c, n, what, s, &p);
	if (aclf_prefix_parse(s, &p, true) == 0) {
		if (topo_no_v4mapped(c, n, what, s, &p) < 0)
			return -1;
		aclf_prefix_format(&p, fix, sizeof(fix));
		return topo_err(c, n, "%s: '%.80s' has host bits set, expected '%s'", what, s, fix);
	}
	return topo_err(c, n, "%s: expected networks.NAME, pools.NAME, servers.NAME, any or a prefix, "
			      "found '%.80s'", what, s);
}

/* Address families an endpoint (already checked) covers: bit 0 IPv4,
 * bit 1 IPv6; 0 when unknown (its addresses were in error). */
static unsigned set_families(const struct aclf_prefix_set *x)
{
	unsigned f = 0;

	for (size_t i = 0; i < x->n; i++)
		f |= x->v[i].family == 4 ? 1u : 2u;
	return f;
}

static unsigned endpoint_families(struct topo_ctx *c, const char *s)
{
	const struct aclf_network *nw;
	const struct aclf_pool *p;
	const struct aclf_server *sv;
	struct aclf_prefix pf;
	unsigned f = 0;

	if (!strcmp(s, "any"))
		return 3;
	if (!strncmp(s, "networks.", 9))
		return (nw = topo_find_network(c, s + 9)) ? set_families(&nw->prefixes) : 0;
	if (!strncmp(s, "servers.", 8))
		return (sv = topo_find_server(c, s + 8)) ? set_families(&sv->addrs) : 0;
	if (!strncmp(s, "pools.", 6)) {
		if (!(p = topo_find_pool(c, s + 6, NULL)))
			return 0;
		f = set_families(&p->vip);
		for (size_t i = 0; i < p->nservers; i++)
			f |= set_families(&p->servers[i].addrs);
		return f;
	}
	if (aclf_prefix_parse(s, &pf, false) == 0)
		return pf.family == 4 ? 1 : 2;
	return 0;
}

static const char *families_name(unsigned f)
{
	return f == 1 ? "IPv4 only" : f == 2 ? "IPv6 only" : "IPv4 and IPv6";
}

/* A rule from IPv4 addresses to IPv6 ones (or back) matches no packet. */
static int check_families(struct topo_ctx *c, yaml_node_t *m, const char *what,
			  const struct aclf_topo_rule *r)
{
	unsigned a = endpoint_families(c, r->from), b = endpoint_families(c, r->to);

	if (!a || !b || (a & b))
		return 0;
	return topo_err(c, m, "%s: from '%.80s' (%s) and to '%.80s' (%s) share no address family, "
			      "so the rule would match no packet", what, r->from, families_name(a), r->to,
			families_name(b));
}

static bool parse_port(const char *s, const char **end, unsigned long *out)
{
	char *e;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &e, 10);
	*end = e;
	return errno == 0 && *out >= 1 && *out <= 65535;
}

static int parse_ports(struct topo_ctx *c, yaml_node_t *n, const char *what, struct aclf_port_set *out)
{
	struct aclf_port_range *v;
	size_t cnt, k = 0;
	int rc = 0;

	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected a list of ports or 'lo-hi' ranges, found a mapping",
				what);
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	if (cnt == 0)
		return topo_err(c, n, "%s: expected at least one port (leave 'ports' out for any port)",
				what);
	v = calloc(cnt, sizeof(*v));
	if (!v)
		return topo_nomem(c);
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const char *s = aclf_yscalar(it), *end = NULL;
		unsigned long lo = 0, hi;

		if (topo_expect(c, it, YAML_SCALAR_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		bool ok = parse_port(s, &end, &lo);
		hi = lo;
		if (ok && *end == '-')
			ok = parse_port(end + 1, &end, &hi);
		if (!ok || *end) {
			rc = topo_err(c, it, "%s: expected a port or a 'lo-hi' range within 1-65535, found "
					     "'%.80s'", what, s);
			continue;
		}
		if (hi < lo) {
			rc = topo_err(c, it, "%s: range '%s' is reversed, expected lo <= hi ('%lu-%lu')",
				      what, s, hi, lo);
			continue;
		}
		v[k].lo = (uint16_t)lo;
		v[k++].hi = (uint16_t)hi;
	}
	if (k && aclf_ports_merge(&c->t->arena, v, k, out) < 0)
		rc = topo_nomem(c);
	free(v);
	return rc;
}

static int parse_protocol(struct topo_ctx *c, yaml_node_t *n, const char *what, int *out)
{
	const char *s;
	int p = -1;

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	if (*s >= '0' && *s <= '9') {
		size_t i = 0;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
		if (!s[i] && i <= 3)
			p = aclf_proto_parse(s);
		/* 0 is how the policy says "any protocol", not IPv6 hop-by-hop */
		if (p == ACLF_PROTO_ANY)
			return topo_err(c, n, "%s: protocol number 0 cannot be matched (the policy reads 0 "
					      "as any protocol), write 'any' for any protocol", what);
	} else if (*s) {
		p = aclf_proto_parse(s);
	}
	if (p < 0)
		return topo_err(c, n, "%s: expected tcp, udp, icmp, icmp6, any or a protocol number "
				      "1-255, found '%.80s'", what, s);
	*out = p;
	return 0;
}

static int parse_rule(struct topo_ctx *c, yaml_node_t *m, size_t idx, struct aclf_topo_rule *r)
{
	static const char *const keys[] = { "action", "protocol", "from", "to", "ports", "why", NULL };
	static const char *const required[] = { "action", "protocol", "from", "to" };
	yaml_node_t *n;
	char what[64], w[80];
	bool proto_ok = false, ends_ok = true;
	int rc;

	snprintf(what, sizeof(what), "rules[%zu]", idx);
	r->pos.line = aclf_ynode_line(m);
	r->pos.col = aclf_ynode_col(m);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!aclf_ymap_get(c->d, m, required[i]))
			rc = topo_err(c, m, "%s: missing '%s'", what, required[i]);
	if ((n = aclf_ymap_get(c->d, m, "action"))) {
		const char *s = aclf_yscalar(n);
		if (s && !strcmp(s, "permit"))
			r->action = ACLF_PERMIT;
		else if (s && !strcmp(s, "deny"))
			r->action = ACLF_DENY;
		else
			rc = topo_err(c, n, "%s.action: expected permit or deny", what);
	}
	snprintf(w, sizeof(w), "%s.protocol", what);
	if ((n = aclf_ymap_get(c->d, m, "protocol"))) {
		if (parse_protocol(c, n, w, &r->protocol) < 0)
			rc = -1;
		else
			proto_ok = true;
	}
	snprintf(w, sizeof(w), "%s.from", what);
	if ((n = aclf_ymap_get(c->d, m, "from")) && parse_endpoint(c, n, w, &r->from) < 0)
		ends_ok = false;
	snprintf(w, sizeof(w), "%s.to", what);
	if ((n = aclf_ymap_get(c->d, m, "to")) && parse_endpoint(c, n, w, &r->to) < 0)
		ends_ok = false;
	if (!ends_ok)
		rc = -1;
	else if (r->from && r->to && check_families(c, m, what, r) < 0)
		rc = -1;
	snprintf(w, sizeof(w), "%s.ports", what);
	if ((n = aclf_ymap_get(c->d, m, "ports"))) {
		if (proto_ok && r->protocol != ACLF_PROTO_TCP && r->protocol != ACLF_PROTO_UDP)
			rc = topo_err(c, n, "%s: ports need protocol tcp or udp", w);
		else if (parse_ports(c, n, w, &r->ports) < 0)
			rc = -1;
	}
	snprintf(w, sizeof(w), "%s.why", what);
	if ((n = aclf_ymap_get(c->d, m, "why")) && !topo_null(n) && topo_str(c, n, w, &r->why) < 0)
		rc = -1;
	return rc;
}

int topo_parse_rules(struct topo_ctx *c, yaml_node_t *n)
{
	struct aclf_topology *t = c->t;
	size_t cnt;
	int rc = 0;

	if (topo_expect(c, n, YAML_SEQUENCE_NODE, "rules") < 0)
		return -1;
	cnt = aclf_yseq_len(n);
	if (cnt == 0)
		return 0;
	t->rules = topo_alloc(c, cnt, sizeof(*t->rules));
	if (!t->rules)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		if (parse_rule(c, aclf_yseq_at(c->d, n, i), i, &t->rules[i]) < 0)
			rc = -1;
		t->nrules++;
	}
	return rc;
}
