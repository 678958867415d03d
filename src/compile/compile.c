/* The compiler: catalog x topology -> one neutral policy per device.
 * Stages: flows (compile_flows.c) -> per-device filters (compile_filter.c)
 * and lb services (compile_lb.c) -> site-rule checks (compile_check.c). */
#include <string.h>

#include "aclforge/driver.h"
#include "compile_int.h"

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
	if (cc_catalog_flows(&c) < 0 || cc_return_groups(&c) < 0 || cc_site_flows(&c) < 0)
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
	return c.pol;
fail:
	aclf_warnings_release(&scratch);
	aclf_policy_free(c.pol);
	return NULL;
}

int aclf_compile_protected(const struct aclf_topology *topo, const struct aclf_device *dev,
			   size_t idx, struct aclf_arena *a, struct aclf_prefix_set *out,
			   struct aclf_err *err)
{
	struct cctx c;
	struct cpeer p;

	if (idx >= dev->nprotects)
		return aclf_err_set(err, ACLF_E_BUG, "device '%s' has no protects entry %zu", dev->name, idx);
	memset(&c, 0, sizeof(c));
	c.topo = topo;
	c.a = a;
	c.err = err;
	if (cc_protected(&c, &dev->protects[idx], &p) < 0)
		return -1;
	*out = p.addrs;
	return 0;
}
