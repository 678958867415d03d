/* libFuzzer target for the topology loader (aclf_topology_load_mem). A
 * rejected input always says why; an accepted one is consistent: every name
 * finds its own object, every reference resolves, every string is readable,
 * balanced pools have a VIP and hosts are host prefixes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_hosts(const struct aclf_prefix_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!aclf_prefix_is_host(&s->v[i]))
			abort();
}

static void check(const struct aclf_topology *t)
{
	volatile size_t sink = strlen(t->path) + strlen(t->catalog);

	if (t->nsites == 0 || t->npools == 0)
		abort();
	for (size_t i = 0; i < t->nsites; i++)
		if (aclf_topology_site(t, t->sites[i].name) != &t->sites[i])
			abort();
	for (size_t i = 0; i < t->npools; i++) {
		const struct aclf_pool *p = &t->pools[i], *owner = NULL;
		if (aclf_topology_pool(t, p->name) != p || !aclf_topology_site(t, p->site) || !p->fqdn)
			abort();
		if (p->nservers == 0 || p->vip.n > 2)
			abort();
		check_hosts(&p->vip);
		for (size_t s = 0; s < p->nservers; s++) {
			if (aclf_topology_server(t, p->servers[s].name, &owner) != &p->servers[s] || owner != p)
				abort();
			if (p->servers[s].addrs.n == 0)
				abort();
			check_hosts(&p->servers[s].addrs);
		}
		sink += strlen(aclf_role_name(p->role));
	}
	for (size_t i = 0; i < t->nnetworks; i++)
		if (aclf_topology_network(t, t->networks[i].name) != &t->networks[i] ||
		    !t->networks[i].kind || t->networks[i].prefixes.n == 0)
			abort();
	for (size_t i = 0; i < t->ndevices; i++) {
		const struct aclf_device *d = &t->devices[i];
		if (aclf_topology_device(t, d->name) != d || !d->driver || !d->host)
			abort();
		for (size_t k = 0; k < d->nprotects; k++) {
			const struct aclf_protect *pr = &d->protects[k];
			if (!pr->interface == !pr->chain)
				abort();
			for (size_t j = 0; j < pr->npools; j++)
				if (!aclf_topology_pool(t, pr->pools[j]))
					abort();
			for (size_t j = 0; j < pr->nservers; j++)
				if (!aclf_topology_server(t, pr->servers[j], NULL))
					abort();
			for (size_t j = 0; j < pr->nnetworks; j++)
				if (!aclf_topology_network(t, pr->networks[j]))
					abort();
		}
		for (size_t j = 0; j < d->nbalances; j++) {
			const struct aclf_pool *p = aclf_topology_pool(t, d->balances[j]);
			if (!p || p->vip.n == 0)
				abort();
		}
		if (d->ssh.password.kind != ACLF_SECRET_NONE && !d->ssh.password.ref)
			abort();
	}
	for (size_t i = 0; i < t->nrules; i++)
		sink += strlen(t->rules[i].from) + strlen(t->rules[i].to);
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_err err;
	struct aclf_topology *t;

	aclf_err_init(&err);
	t = aclf_topology_load_mem((const char *)data, size, "fuzz.yaml", &err);
	if (!t) {
		if (err.count == 0 || err.msg.len == 0)
			abort();
	} else {
		if (err.count != 0)
			abort();
		check(t);
		aclf_topology_free(t);
	}
	aclf_err_release(&err);
	return 0;
}
