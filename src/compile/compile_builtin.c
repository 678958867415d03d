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

/* The members a filter guards of each pool a load balancer balances: its
 * self IPs reach them on every service and monitor port. */
static int self_ips(struct cctx *c, const struct aclf_device *fdev, const char *fname,
		    const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out)
{
	for (size_t i = 0; i < c->topo->ndevices; i++) {
		const struct aclf_device *lb = &c->topo->devices[i];

		for (size_t b = 0; b < lb->nbalances; b++) {
			const struct aclf_pool *p = cc_pool(c, lb->balances[b]);
			struct cpeer members;
			struct aclf_prefix_set dst;
			struct aclf_port_set ports;

			if (!p || cc_pool_peer(c, p, false, &members) < 0)
				return p ? -1 : 0;
			if (!aclf_pset_overlaps(&members.addrs, prot))
				continue;
			if (!lb->self_ips.n) {
				if (stateful)
					continue;
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
			{
				struct aclf_prefix_set src;
				if (cc_set(c, &lb->self_ips, &src) < 0 ||
				    push(c, out, ACLF_PROTO_TCP, &src, &dst, &ports, "load-balancer-self-ips", lb) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int cc_builtin_rules(struct cctx *c, const struct aclf_device *fdev, const struct aclf_protect *pr,
		     const char *fname, const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out)
{
	out->v = NULL;
	out->n = out->cap = 0;
	if (management(c, fdev, fname, prot, pr->chain && !strcmp(pr->chain, "input"), out) < 0)
		return -1;
	return self_ips(c, fdev, fname, prot, stateful, out);
}
