/* Topology loader: checks across pools (server names, addresses, VIPs, the
 * central management store). Checking the pools builds the name index
 * (topology_index.c) the device and rule parsers resolve references with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/driver.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"
#include "topology_int.h"

/* A server name names one server across all pools. */
static int check_server_names(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	int rc = 0;

	for (size_t j = 1, f = 0; j < c->nsrv_ix; j++) {
		const struct topo_name_ix *cur = &c->srv_ix[j], *first = &c->srv_ix[f];
		const struct aclf_pool *fp = &t->pools[first->a], *cp = &t->pools[cur->a];

		if (strcmp(cur->name, first->name) != 0) {
			f = j;
			continue;
		}
		rc = topo_err(c, c->pool_aux[cur->a].server_keys[cur->b],
			      "pools.%s.servers.%s: server name '%s' already used in pool '%s' (line %u)",
			      cp->name, cur->name, cur->name, fp->name, fp->servers[first->b].pos.line);
	}
	return rc;
}

static int claim_cmp(const void *a, const void *b)
{
	const struct topo_claim *x = a, *y = b;
	int r = aclf_prefix_cmp(&x->addr, &y->addr);

	return r ? r : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void claim_what(const struct topo_ctx *c, const struct topo_claim *cl, char *out, size_t len)
{
	const struct aclf_pool *p = &c->t->pools[cl->pool];

	if (cl->server == (size_t)-1)
		snprintf(out, len, "pools.%s.vip", p->name);
	else if (cl->server == TOPO_CLAIM_EXTERNAL_WEB)
		snprintf(out, len, "pools.%s.external_web_vip", p->name);
	else
		snprintf(out, len, "pools.%s.servers.%s", p->name, p->servers[cl->server].name);
}

/* Every address belongs to one server or one VIP. */
static int check_addresses(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	int rc = 0;

	if (c->nclaims)
		qsort(c->claims, c->nclaims, sizeof(*c->claims), claim_cmp);
	for (size_t i = 1, first = 0; i < c->nclaims; i++) {
		const struct topo_claim *f, *cur = &c->claims[i];
		const struct aclf_pool *fp;
		char what[200], addr[ACLF_PREFIX_STRLEN];

		if (aclf_prefix_cmp(&c->claims[first].addr, &cur->addr) != 0) {
			first = i;
			continue;
		}
		f = &c->claims[first];
		fp = &t->pools[f->pool];
		claim_what(c, cur, what, sizeof(what));
		aclf_prefix_format_addr(&cur->addr, addr, sizeof(addr));
		if (f->pool == cur->pool && f->server == cur->server)
			rc = topo_err(c, cur->node, "%s: address %s listed twice", what, addr);
		else if (f->server == (size_t)-1 || f->server == TOPO_CLAIM_EXTERNAL_WEB)
			rc = topo_err(c, cur->node, "%s: address %s is already the %s of pool '%s' (line %u)",
				      what, addr,
				      f->server == TOPO_CLAIM_EXTERNAL_WEB ? "external web services VIP" : "VIP",
				      fp->name, aclf_ynode_line(f->node));
		else
			rc = topo_err(c, cur->node,
				      "%s: address %s already belongs to server '%s' of pool '%s' (line %u)",
				      what, addr, fp->servers[f->server].name, fp->name,
				      aclf_ynode_line(f->node));
	}
	return rc;
}

static int check_cms(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	size_t holder = (size_t)-1;
	int rc = 0;

	for (size_t i = 0; i < t->npools; i++) {
		if (!c->pool_aux[i].cms)
			continue;
		if (holder == (size_t)-1) {
			holder = i;
			continue;
		}
		rc = topo_err(c, c->pool_aux[i].cms,
			      "pools.%s.cms: the central management store is already held by pool '%s' "
			      "(line %u), expected at most one cms pool",
			      t->pools[i].name, t->pools[holder].name, aclf_ynode_line(c->pool_aux[holder].cms));
	}
	return rc;
}

int topo_check_pools(struct topo_ctx *c)
{
	int rc = topo_index_build(c);

	if (rc < 0)
		return rc;
	if (check_server_names(c) < 0)
		rc = -1;
	if (check_addresses(c) < 0)
		rc = -1;
	if (check_cms(c) < 0)
		rc = -1;
	return rc;
}

/* A pool needs a VIP when a device balances it, and when the seed's load
 * balancer tables apply to it: multi-server front-end and director pools
 * (with DNS load balancing their web services still go through a hardware
 * load balancer) and multi-server mediation pools at hardware sites. */
int topo_check_vips(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	int rc = 0;

	for (size_t i = 0; i < t->npools; i++) {
		const struct aclf_pool *p = &t->pools[i];
		const struct topo_pool_aux *aux = &c->pool_aux[i];
		const struct aclf_site *site = p->site ? aclf_topology_site(t, p->site) : NULL;

		if (p->vip.n || !aux->role_ok || aux->vip)
			continue;
		if (aux->balanced_by) {
			rc = topo_err(c, aux->node, "pools.%s: missing 'vip', the pool is balanced by device "
						    "'%s' (line %u)",
				      p->name, aux->balanced_by->name, aclf_ynode_line(aux->balanced_at));
			continue;
		}
		if (p->nservers < 2 || !site)
			continue;
		if (p->role == ACLF_ROLE_FRONT_END || p->role == ACLF_ROLE_DIRECTOR ||
		    (p->role == ACLF_ROLE_MEDIATION && site->load_balancing == ACLF_LB_HARDWARE))
			rc = topo_err(c, aux->node,
				      "pools.%s: missing 'vip', a %s pool of %zu servers at site '%s' "
				      "(load_balancing: %s) is reached through a hardware load balancer",
				      p->name, aclf_role_name(p->role), p->nservers, site->name,
				      site->load_balancing == ACLF_LB_HARDWARE ? "hardware" : "dns");
	}
	return rc;
}

/* A pool's tls: names profiles of the device that balances it: checked
 * with that device's driver, and refused on a pool no device balances
 * (nothing would use it). */
int topo_check_tls(struct topo_ctx *c)
{
	const struct aclf_topology *t = c->t;
	int rc = 0;

	for (size_t i = 0; i < t->npools; i++) {
		const struct aclf_pool *p = &t->pools[i];
		const struct topo_pool_aux *aux = &c->pool_aux[i];
		char what[128];

		if (!aux->tls)
			continue;
		snprintf(what, sizeof(what), "pools.%s.tls", p->name);
		if (!aux->balanced_by) {
			rc = topo_err(c, aux->tls, "%s: no load balancer device balances pool '%s', "
						  "expected it in a device's 'balances'", what, p->name);
			continue;
		}
		if (topo_check_tls_driver(c, aux->tls, what,
					  aclf_driver_find(aux->balanced_by->driver)) < 0)
			rc = -1;
	}
	return rc;
}
