/* The compiler: catalog x topology -> one neutral policy per device.
 * Stages: flows (compile_flows.c) -> per-device filters (compile_filter.c)
 * and lb services (compile_lb.c) -> site-rule checks (compile_check.c). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/driver.h"
#include "compile_int.h"

/* The compiler's own memory: everything but the policy. */
static void release(struct cctx *c)
{
	cc_free_index(c);
	aclf_setmemo_free(c->memo);
	aclf_intern_free(c->in);
	aclf_arena_release(&c->tmp);
	free(c->pool_peers);
	free(c->pool_peer_done);
	free(c->vip_peers);
	free(c->gw_peers);
	free(c->flows);
	free(c->site);
	free(c->groups);
	free(c->replies);
	cc_strs_release(c);
	aclf_htab_free(&c->topo_sets.idx);
	free(c->topo_sets.v);
}

static int start(struct cctx *c)
{
	size_t np = 2 * (c->topo->npools ? c->topo->npools : 1);

	aclf_arena_init(&c->tmp);
	c->in = aclf_intern_new(c->a);
	c->memo = c->in ? aclf_setmemo_new(c->in) : NULL;
	c->pool_peers = calloc(np, sizeof(*c->pool_peers));
	c->pool_peer_done = calloc(np, sizeof(*c->pool_peer_done));
	c->vip_peers = calloc(np / 2, sizeof(*c->vip_peers));
	c->gw_peers = calloc(np / 2, sizeof(*c->gw_peers));
	return c->memo && c->pool_peers && c->pool_peer_done && c->vip_peers && c->gw_peers ? 0
												: aclf_err_nomem(c->err);
}

struct aclf_policy *aclf_compile(const struct aclf_catalog *cat, const struct aclf_topology *topo,
				 const struct aclf_compile_opts *opts, struct aclf_warnings *warnings,
				 struct aclf_err *err)
{
	struct aclf_warnings scratch;
	struct cctx c;
	const char *only = opts ? opts->only_device : NULL;

	memset(&c, 0, sizeof(c));
	aclf_warnings_init(&scratch);
	c.cat = cat;
	c.topo = topo;
	c.warn = warnings ? warnings : &scratch;
	c.err = err;
	if (only && !aclf_topology_device(topo, only)) {
		aclf_err_set(err, ACLF_E_INPUT, "no device '%s' in '%s'", only, topo->path ? topo->path : "topology");
		return NULL;
	}
	c.pol = aclf_policy_new();
	if (!c.pol) {
		aclf_err_nomem(err);
		return NULL;
	}
	c.a = &c.pol->arena;
	if (start(&c) < 0 || cc_catalog_flows(&c) < 0 || cc_return_groups(&c) < 0 || cc_site_flows(&c) < 0 ||
	    cc_build_index(&c) < 0)
		goto fail;
	for (size_t i = 0; i < topo->ndevices; i++) {
		const struct aclf_device *dev = &topo->devices[i];
		const struct aclf_driver *drv = aclf_driver_find(dev->driver);
		struct aclf_devpol *dp;

		if (only && strcmp(only, dev->name) != 0)
			continue;
		if (!drv) {
			aclf_err_at(err, topo->path, dev->pos.line, dev->pos.col,
				    "device '%s': unknown driver '%s'", dev->name, dev->driver);
			goto fail;
		}
		dp = aclf_policy_add_device(c.pol, dev->name, dev->driver);
		if (!dp) {
			aclf_err_nomem(err);
			goto fail;
		}
		if (drv->filters && cc_device_filters(&c, dev, dp, drv->stateful) < 0)
			goto fail;
		if (drv->balances && cc_device_lb(&c, dev, dp) < 0)
			goto fail;
		if (cc_check_site_rules(&c, dp) < 0)
			goto fail;
	}
	aclf_warnings_release(&scratch);
	release(&c);
	return c.pol;
fail:
	aclf_warnings_release(&scratch);
	release(&c);
	aclf_policy_free(c.pol);
	return NULL;
}

int aclf_compile_protected(const struct aclf_topology *topo, const struct aclf_device *dev,
			   size_t idx, struct aclf_arena *a, struct aclf_prefix_set *out,
			   struct aclf_err *err)
{
	struct cctx c;
	struct cpeer p;
	int rc;

	if (idx >= dev->nprotects)
		return aclf_err_set(err, ACLF_E_BUG, "device '%s' has no protects entry %zu", dev->name, idx);
	memset(&c, 0, sizeof(c));
	c.topo = topo;
	c.a = a;
	c.err = err;
	aclf_arena_init(&c.tmp);
	if (!(c.in = aclf_intern_new(a)))
		return aclf_err_nomem(err);
	rc = cc_protected(&c, &dev->protects[idx], &p);
	aclf_intern_free(c.in);
	aclf_htab_free(&c.pool_names);
	if (rc < 0)
		return -1;
	*out = p.addrs;
	return 0;
}
