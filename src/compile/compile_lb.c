/* Load-balancer services for devices that balance pools, following the
 * seed's HLB tables (hardware-only or DNS load balancing, per site) and
 * Microsoft's "Hardware load balancer requirements for Lync Server 2013"
 * (the load balancer driver's README cites each setting): source-address affinity on
 * internal web ports, none on the external web ports (4443, 8080) and on the
 * external web services VIP, whose 443 and 80 go on to the members' 4443 and
 * 8080 ("Port Monitoring for Hardware Load Balancers", HLB external
 * interface); TCP idle timeout 1800 s; health monitor on the Front End's
 * 5061 (the mediation pool's 5070); SNAT; and request-level balancing on the
 * web services virtual servers the balancer can read HTTP on (mobile devices
 * need each request balanced on its own): plain HTTP always, HTTPS (443,
 * 4443, the external 443 -> 4443) when the topology names the balancer's
 * TLS profiles for the pool (tls: on the pool, else on the device); without
 * them the HTTPS ones balance per connection and compile warns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/compile.h"
#include "aclforge/hash.h"
#include "compile_int.h"

static bool external_web_port(uint16_t port)
{
	return port == 4443 || port == 8080;
}

static bool web_pool(const struct aclf_pool *p)
{
	return p->role == ACLF_ROLE_FRONT_END || p->role == ACLF_ROLE_DIRECTOR;
}

/* Web services traffic the balancer sees as plain HTTP (internal 80, the
 * reverse proxy's 8080): request-level balancing. HTTPS (443, 4443) it
 * could balance per request only by terminating TLS with the site's
 * certificate, which aclforge does not configure: per connection there. */
static bool plain_web_port(const struct aclf_pool *p, uint16_t vip_port, uint16_t member_port)
{
	return web_pool(p) && (vip_port == 80 || vip_port == 8080) &&
	       (member_port == 80 || member_port == 8080);
}

/* Web services over HTTPS (internal 443, 4443; external 443 -> 4443): the
 * balancer reads their requests only when it terminates TLS. */
static bool https_web_port(const struct aclf_pool *p, uint16_t vip_port, uint16_t member_port)
{
	return web_pool(p) && (vip_port == 443 || vip_port == 4443) &&
	       (member_port == 443 || member_port == 4443);
}

/* The TLS profiles for p's web services on dev: the pool's own, else the
 * device's; NULL when the topology names none. */
static const struct aclf_tls_conf *pool_tls(const struct aclf_device *dev, const struct aclf_pool *p)
{
	if (p->tls.set)
		return &p->tls;
	return dev->tls.set ? &dev->tls : NULL;
}

static uint16_t monitor_port(const struct aclf_pool *p)
{
	if (p->role == ACLF_ROLE_MEDIATION)
		return 5070;
	return 5061;
}

static int device_lb(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp, struct aclf_htab *ix);

/* The catalog rows whose virtual servers a balanced pool gets. */
static bool lb_row(struct cctx *c, const struct aclf_pool *p, const struct aclf_cat_row *row)
{
	enum aclf_cat_table want = cc_pool_mode(c->topo, p) == ACLF_LB_DNS ? ACLF_TABLE_DNSLB : ACLF_TABLE_HLB;

	return !row->empty && (row->table == want || cc_row_to_vips(row)) && cc_pool_has_role(p, row->role);
}

int cc_lb_member_ports(struct cctx *c, const struct aclf_pool *p, struct aclf_port_set *out)
{
	struct aclf_port_range *v;
	size_t n = 0, cap = 1;
	int rc;

	for (size_t i = 0; i < c->cat->nrows; i++)
		if (lb_row(c, p, &c->cat->rows[i]))
			cap += c->cat->rows[i].ports.n;
	cap += 2;
	if (!(v = malloc(cap * sizeof(*v))))
		return aclf_err_nomem(c->err);
	v[n].lo = v[n].hi = monitor_port(p);
	n++;
	if (p->external_web_vip.n) {
		/* the external web services VIP's members: 443 -> 4443, 80 -> 8080 */
		v[n].lo = v[n].hi = 4443;
		n++;
		v[n].lo = v[n].hi = 8080;
		n++;
	}
	for (size_t i = 0; i < c->cat->nrows; i++) {
		const struct aclf_cat_row *row = &c->cat->rows[i];
		if (!lb_row(c, p, row))
			continue;
		memcpy(v + n, row->ports.v, row->ports.n * sizeof(*v));
		n += row->ports.n;
	}
	rc = aclf_intern_ports_merge(c->in, v, n, out);
	free(v);
	return rc < 0 ? aclf_err_nomem(c->err) : 0;
}

/* A device's services by (VIP, protocol, port): found by hash, not by
 * scanning the device's services. */
static uint64_t service_hash(const struct aclf_prefix *vip, int proto, uint16_t port)
{
	uint64_t h = aclf_hash_add(ACLF_HASH_INIT, &vip->family, 1);

	h = aclf_hash_add(h, &vip->len, 1);
	h = aclf_hash_add(h, vip->addr, vip->family == 4 ? 4 : 16);
	h = aclf_hash_add(h, &proto, sizeof(proto));
	return aclf_hash_add(h, &port, sizeof(port));
}

static struct aclf_lb_service *find_service(struct aclf_devpol *dp, const struct aclf_htab *ix,
					    const struct aclf_prefix *vip, int proto, uint16_t port, uint64_t h)
{
	size_t it;

	for (size_t i = aclf_htab_find(ix, h, &it); i != ACLF_HTAB_END; i = aclf_htab_next(ix, h, &it))
		if (dp->lb[i].port == port && dp->lb[i].protocol == proto &&
		    aclf_prefix_cmp(&dp->lb[i].vip, vip) == 0)
			return &dp->lb[i];
	return NULL;
}

/* A new service on vip:port whose members listen on member_port; tag
 * ("", or "-ext" for the external web services VIP) goes into its names. */
static struct aclf_lb_service *new_service(struct cctx *c, struct aclf_devpol *dp, struct aclf_htab *ix,
					   const struct aclf_device *dev, const struct aclf_pool *p,
					   const struct aclf_prefix *vip, int proto, uint16_t port,
					   uint16_t member_port, bool external, uint64_t h)
{
	struct aclf_lb_service *s;
	const char *fam = vip->family == 6 ? (proto == ACLF_PROTO_UDP ? "-udp-v6" : "-v6")
					   : (proto == ACLF_PROTO_UDP ? "-udp" : "");
	const char *name = aclf_arena_printf(c->a, "%s%s-%u%s", p->name, external ? "-ext" : "", port, fam);

	s = name ? aclf_devpol_add_lb(c->pol, dp, name) : NULL;
	if (!s || aclf_htab_put(ix, h, dp->nlb - 1) < 0) {
		aclf_err_nomem(c->err);
		return NULL;
	}
	s->pool_name = name;
	s->vip = *vip;
	s->protocol = proto;
	s->port = port;
	s->monitor.type = "tcp";
	s->monitor.port = monitor_port(p);
	s->monitor.interval = 5;
	s->monitor.timeout = 16;
	if (external || external_web_port(port)) {
		s->persistence.kind = ACLF_PERSIST_NONE;
	} else {
		s->persistence.kind = ACLF_PERSIST_SOURCE_ADDR;
		s->persistence.mask_len = vip->family == 6 ? 128 : 32;
		s->persistence.timeout = 1800;
	}
	if (proto == ACLF_PROTO_TCP && plain_web_port(p, port, member_port)) {
		s->request.enabled = true;
		s->request.reuse_mask_len = vip->family == 6 ? 128 : 32;
	}
	if (proto == ACLF_PROTO_TCP && https_web_port(p, port, member_port) && pool_tls(dev, p)) {
		const struct aclf_tls_conf *t = pool_tls(dev, p);
		s->request.enabled = true;
		s->request.reuse_mask_len = vip->family == 6 ? 128 : 32;
		s->tls.client_profile = external && t->external_client_profile
						? t->external_client_profile
						: t->client_profile;
		s->tls.server_profile = t->server_profile;
	}
	s->snat = ACLF_SNAT_AUTOMAP;
	s->idle_timeout = 1800;
	s->lb_method = "least-connections-member";
	s->vlan = dev->vlan;
	/* the members array at its final size */
	{
		size_t nm = 0;
		for (size_t i = 0; i < p->nservers; i++)
			for (size_t k = 0; k < p->servers[i].addrs.n; k++)
				nm += p->servers[i].addrs.v[k].family == vip->family;
		if (nm && !(s->members = aclf_arena_alloc(c->a, nm * sizeof(*s->members)))) {
			aclf_err_nomem(c->err);
			return NULL;
		}
		s->members_cap = nm;
	}
	for (size_t i = 0; i < p->nservers; i++) {
		const struct aclf_server *sv = &p->servers[i];
		for (size_t k = 0; k < sv->addrs.n; k++)
			if (sv->addrs.v[k].family == vip->family &&
			    aclf_lb_add_member(c->pol, s, sv->name, &sv->addrs.v[k], member_port) < 0) {
				aclf_err_nomem(c->err);
				return NULL;
			}
	}
	if (aclf_lb_add_prov(c->pol, s, "pool", p->name) < 0) {
		aclf_err_nomem(c->err);
		return NULL;
	}
	return s;
}

static int add_service(struct cctx *c, struct aclf_devpol *dp, struct aclf_htab *ix, const struct aclf_device *dev,
		       const struct aclf_pool *p, const struct aclf_prefix *vip,
		       const struct aclf_cat_row *row, int proto, uint16_t port)
{
	uint64_t h = service_hash(vip, proto, port);
	struct aclf_lb_service *s = find_service(dp, ix, vip, proto, port, h);
	char ref[64];

	if (!s) {
		s = new_service(c, dp, ix, dev, p, vip, proto, port, port, false, h);
		if (!s)
			return -1;
	}
	snprintf(ref, sizeof(ref), "%s:%u", aclf_cat_table_name(row->table), row->seed_row);
	if (aclf_lb_add_prov(c->pol, s, "catalog", row->id) < 0 || aclf_lb_add_prov(c->pol, s, "seed", ref) < 0)
		return aclf_err_nomem(c->err);
	return 0;
}

/* The external web services VIP: 443 -> 4443 and 80 -> 8080, no affinity
 * (Lync 2013 HLB requirements, "Port Monitoring for Hardware Load
 * Balancers", Front End Server User Pool - HLB External Interface). */
static int external_web(struct cctx *c, struct aclf_devpol *dp, struct aclf_htab *ix,
			const struct aclf_device *dev, const struct aclf_pool *p)
{
	static const uint16_t map[][2] = { { 443, 4443 }, { 80, 8080 } };

	for (size_t v = 0; v < p->external_web_vip.n; v++) {
		const struct aclf_prefix *vip = &p->external_web_vip.v[v];
		for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			uint64_t h = service_hash(vip, ACLF_PROTO_TCP, map[k][0]);
			struct aclf_lb_service *s;
			if (find_service(dp, ix, vip, ACLF_PROTO_TCP, map[k][0], h))
				continue;
			s = new_service(c, dp, ix, dev, p, vip, ACLF_PROTO_TCP, map[k][0], map[k][1], true, h);
			if (!s)
				return -1;
			if (aclf_lb_add_prov(c->pol, s, "builtin", "external-web") < 0)
				return aclf_err_nomem(c->err);
		}
	}
	return 0;
}

/* Services from first on that p's HTTPS web services balance per
 * connection: one warning at the pool naming them (never silent). */
static int warn_per_connection(struct cctx *c, const struct aclf_device *dev,
			       const struct aclf_devpol *dp, const struct aclf_pool *p, size_t first)
{
	struct aclf_warnings *w = c->warn;
	struct aclf_warning *x;
	struct aclf_buf names = ACLF_BUF_INIT;
	int r = 0;

	if (!w || pool_tls(dev, p) || !web_pool(p))
		return 0;
	aclf_buf_init(&names, 0);
	for (size_t i = first; i < dp->nlb; i++) {
		const struct aclf_lb_service *s = &dp->lb[i];
		if (s->protocol != ACLF_PROTO_TCP || !s->nmembers ||
		    !https_web_port(p, s->port, s->members[0].port))
			continue;
		r |= aclf_buf_printf(&names, "%s%s", names.len ? ", " : "", s->name);
	}
	if (r || !names.len)
		goto out;
	if (aclf_arena_grow(&w->arena, (void **)&w->v, w->n, &w->cap, sizeof(*w->v)) < 0) {
		r = -1;
		goto out;
	}
	x = &w->v[w->n];
	memset(x, 0, sizeof(*x));
	x->kind = ACLF_WARN_LB_PER_CONNECTION;
	x->line = p->pos.line;
	x->col = p->pos.col;
	x->file = aclf_arena_strdup(&w->arena, c->topo->path ? c->topo->path : "<topology>");
	x->device = aclf_arena_strdup(&w->arena, dev->name);
	x->pool = aclf_arena_strdup(&w->arena, p->name);
	x->services = aclf_arena_strdup(&w->arena, names.buf);
	if (!x->file || !x->device || !x->pool || !x->services)
		r = -1;
	else
		w->n++;
out:
	aclf_buf_release(&names);
	return r ? aclf_err_nomem(c->err) : 0;
}

int cc_device_lb(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp)
{
	struct aclf_htab ix = ACLF_HTAB_INIT;
	int rc = device_lb(c, dev, dp, &ix);

	aclf_htab_free(&ix);
	return rc;
}

static int device_lb(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp, struct aclf_htab *ix)
{
	for (size_t b = 0; b < dev->nbalances; b++) {
		const struct aclf_pool *p = cc_pool(c, dev->balances[b]);
		size_t first = dp->nlb;

		if (!p)
			return aclf_err_set(c->err, ACLF_E_INPUT, "device '%s' balances unknown pool '%s'",
					    dev->name, dev->balances[b]);
		for (size_t i = 0; i < c->cat->nrows; i++) {
			const struct aclf_cat_row *row = &c->cat->rows[i];
			if (!lb_row(c, p, row))
				continue;
			for (size_t v = 0; v < p->vip.n; v++) {
				for (size_t r = 0; r < row->ports.n; r++) {
					for (uint32_t port = row->ports.v[r].lo; port <= row->ports.v[r].hi; port++) {
						if ((row->protocols & ACLF_CAT_TCP) &&
						    add_service(c, dp, ix, dev, p, &p->vip.v[v], row, ACLF_PROTO_TCP,
								(uint16_t)port) < 0)
							return -1;
						if ((row->protocols & ACLF_CAT_UDP) &&
						    add_service(c, dp, ix, dev, p, &p->vip.v[v], row, ACLF_PROTO_UDP,
								(uint16_t)port) < 0)
							return -1;
					}
				}
			}
		}
		if (external_web(c, dp, ix, dev, p) < 0 || warn_per_connection(c, dev, dp, p, first) < 0)
			return -1;
	}
	return 0;
}
