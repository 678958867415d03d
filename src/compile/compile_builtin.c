/* Rules a filter needs for the devices around it rather than for a catalog
 * row: management access to every device whose own address it guards
 * (SSH, SNMP from `management` networks), and the load balancers' self IPs
 * to the members of the pools they balance (health monitors, SNAT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"

static bool has_family(const struct aclf_prefix_set *x, uint8_t fam)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].family == fam)
			return true;
	return false;
}

/* A rule between sets that share no address family matches nothing: left out. */
static int push(struct cctx *c, struct cbuiltins *out, int proto, const struct aclf_prefix_set *src,
		const struct aclf_prefix_set *dst, const struct aclf_port_set *dports, const char *kind,
		const struct aclf_device *about)
{
	struct cbuiltin *b;

	if (!(has_family(src, 4) && has_family(dst, 4)) && !(has_family(src, 6) && has_family(dst, 6)))
		return 0;

	if (aclf_arena_grow(&c->tmp, (void **)&out->v, out->n, &out->cap, sizeof(*out->v)) < 0)
		return aclf_err_nomem(c->err);
	b = &out->v[out->n++];
	memset(b, 0, sizeof(*b));
	b->proto = proto;
	b->src = *src;
	b->dst = *dst;
	b->dports = *dports;
	b->kind = kind;
	b->device = about;
	return 0;
}

static int one_port(struct cctx *c, uint16_t port, struct aclf_port_set *out)
{
	struct aclf_port_range r = { port, port };

	return aclf_intern_ports_merge(c->in, &r, 1, out) < 0 ? aclf_err_nomem(c->err) : 0;
}

/* SSH (and SNMP when the device has it) from the management networks to
 * every device address the filter guards. */
static int management(struct cctx *c, const struct aclf_device *fdev, const char *fname,
		      const struct aclf_prefix_set *prot, bool host_chain, struct cbuiltins *out)
{
	struct cpeer mgmt;
	bool have = false;

	for (size_t i = 0; i < c->topo->ndevices; i++) {
		const struct aclf_device *d = &c->topo->devices[i];
		struct aclf_prefix host;
		struct aclf_prefix_set dst;
		struct aclf_port_set ports;
		bool addr = d->host && aclf_prefix_parse(d->host, &host, false) == 0 && aclf_prefix_is_host(&host);

		/* a host's input chain guards the host itself, whatever its
		 * name resolves to: its own addresses are the guarded ones */
		if (d == fdev && host_chain && !(addr && aclf_pset_contains_addr(prot, &host))) {
			if (!prot->n)
				continue;
			dst = *prot;
		} else if (addr && aclf_pset_contains_addr(prot, &host)) {
			if (aclf_intern_pset_merge(c->in, &host, 1, &dst) < 0)
				return aclf_err_nomem(c->err);
		} else {
			continue;
		}
		if (!have) {
			if (cc_peer_class(c, "management", &mgmt) < 0)
				return -1;
			have = true;
		}
		if (!mgmt.addrs.n)
			return aclf_err_at(c->err, c->topo->path, d->pos.line, d->pos.col,
					   "devices.%s: filter '%s' of device '%s' guards the device's own address (%s), "
					   "and no network of kind 'management' says where SSH (tcp/%u)%s comes from: "
					   "declare one, or the filter locks the device's administrators out",
					   d->name, fname, fdev->name, d->host, d->ssh.port,
					   d->snmp.version ? " and SNMP" : "");
		if (one_port(c, d->ssh.port, &ports) < 0 ||
		    push(c, out, ACLF_PROTO_TCP, &mgmt.addrs, &dst, &ports, "management", d) < 0)
			return -1;
		if (d->snmp.version && (one_port(c, d->snmp.port, &ports) < 0 ||
					push(c, out, ACLF_PROTO_UDP, &mgmt.addrs, &dst, &ports, "management", d) < 0))
			return -1;
	}
	return 0;
}

/* The self IP rules of one balanced pool, when the filter guards some of
 * its members. 0, 1 (stop: the pool is unknown) or -1. */
static int self_ips_one(struct cctx *c, const struct aclf_device *fdev, const char *fname,
			const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out,
			const struct aclf_device *lb, size_t b)
{
	const struct aclf_pool *p = cc_pool(c, lb->balances[b]);
	struct cpeer members;
	struct aclf_prefix_set dst, src;
	struct aclf_port_set ports;

	if (!p)
		return 1;
	if (cc_pool_peer(c, p, false, &members) < 0)
		return -1;
	if (!aclf_pset_overlaps(&members.addrs, prot))
		return 0;
	if (!lb->self_ips.n) {
		if (stateful)
			return 0;
		return aclf_err_at(c->err, c->topo->path, lb->pos.line, lb->pos.col,
				   "devices.%s: balances pool '%s' whose servers the stateless filter "
				   "'%s' of device '%s' guards, and has no 'self_ips': health monitors "
				   "and SNAT automap come from the self IPs, which the filter would drop "
				   "(every member marked down)",
				   lb->name, p->name, fname, fdev->name);
	}
	if (aclf_setmemo_intersect(c->memo, &members.addrs, prot, &dst) < 0)
		return aclf_err_nomem(c->err);
	if (cc_lb_member_ports(c, p, &ports) < 0)
		return -1;
	if (cc_set(c, &lb->self_ips, &src) < 0 ||
	    push(c, out, ACLF_PROTO_TCP, &src, &dst, &ports, "load-balancer-self-ips", lb) < 0)
		return -1;
	return 0;
}

/* c->bal: every (device, balances index) pair by its pool, once. */
static int build_balanced(struct cctx *c)
{
	const struct aclf_topology *t = c->topo;
	struct cbalanced *x = &c->bal;
	size_t total = 0;

	x->built = true;
	if (!(x->start = calloc(t->npools + 1, sizeof(*x->start))))
		return aclf_err_nomem(c->err);
	for (size_t i = 0; i < t->ndevices; i++)
		for (size_t b = 0; b < t->devices[i].nbalances; b++) {
			const struct aclf_pool *p = cc_pool(c, t->devices[i].balances[b]);
			if (!p) {
				x->unusable = true;
				return 0;
			}
			x->start[(size_t)(p - t->pools) + 1]++;
			total++;
		}
	for (size_t p = 0; p < t->npools; p++)
		x->start[p + 1] += x->start[p];
	if (!(x->v = malloc((total ? total : 1) * sizeof(*x->v))))
		return aclf_err_nomem(c->err);
	{
		size_t *fill = calloc(t->npools + 1, sizeof(*fill));
		if (!fill)
			return aclf_err_nomem(c->err);
		for (size_t i = 0; i < t->ndevices; i++)
			for (size_t b = 0; b < t->devices[i].nbalances; b++) {
				size_t p = (size_t)(cc_pool(c, t->devices[i].balances[b]) - t->pools);
				x->v[x->start[p] + fill[p]++] = (struct cbal){ i, b };
			}
		free(fill);
	}
	return 0;
}

static int bal_cmp(const void *a, const void *b)
{
	const struct cbal *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* The members a filter guards of each pool a load balancer balances: its
 * self IPs reach them on every service and monitor port. A filter that
 * guards pools only (pools never share addresses) looks at its own pools'
 * balancers, in topology order; one that guards networks, at all. */
static int self_ips(struct cctx *c, const struct aclf_device *fdev, const struct aclf_protect *pr,
		    const char *fname, const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out)
{
	const struct aclf_topology *t = c->topo;
	struct cbal *pick = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!c->bal.built && build_balanced(c) < 0)
		return -1;
	if (c->bal.unusable || pr->nnetworks || !t->npools) {
		for (size_t i = 0; i < t->ndevices; i++)
			for (size_t b = 0; b < t->devices[i].nbalances; b++)
				if ((rc = self_ips_one(c, fdev, fname, prot, stateful, out, &t->devices[i], b)) != 0)
					return rc < 0 ? -1 : 0;
		return 0;
	}
	for (size_t i = 0; i < pr->npools + pr->nservers; i++) {
		const struct aclf_pool *p = NULL;
		size_t k;
		if (i < pr->npools)
			p = cc_pool(c, pr->pools[i]);
		else if (!aclf_topology_server(t, pr->servers[i - pr->npools], &p))
			p = NULL;
		if (!p)
			continue;
		k = (size_t)(p - t->pools);
		for (size_t e = c->bal.start[k]; e < c->bal.start[k + 1]; e++) {
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = pick[j].dev == c->bal.v[e].dev && pick[j].b == c->bal.v[e].b;
			if (seen)
				continue;
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 8;
				struct cbal *nv = realloc(pick, nc * sizeof(*nv));
				if (!nv) {
					free(pick);
					return aclf_err_nomem(c->err);
				}
				pick = nv;
				cap = nc;
			}
			pick[n++] = c->bal.v[e];
		}
	}
	if (n)
		qsort(pick, n, sizeof(*pick), bal_cmp);
	for (size_t j = 0; j < n && !rc; j++)
		rc = self_ips_one(c, fdev, fname, prot, stateful, out, &t->devices[pick[j].dev], pick[j].b);
	free(pick);
	return rc < 0 ? -1 : 0;
}

int cc_builtin_rules(struct cctx *c, const struct aclf_device *fdev, const struct aclf_protect *pr,
		     const char *fname, const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out)
{
	out->v = NULL;
	out->n = out->cap = 0;
	if (management(c, fdev, fname, prot, pr->chain && !strcmp(pr->chain, "input"), out) < 0)
		return -1;
	return self_ips(c, fdev, pr, fname, prot, stateful, out);
}
