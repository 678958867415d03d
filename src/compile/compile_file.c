/* One topology file to a compiled policy: load, resolve the catalog,
 * compile (include/aclforge/compile.h). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

void aclf_compiled_release(struct aclf_compiled *c)
{
	aclf_policy_free(c->pol);
	aclf_catalog_free(c->cat);
	aclf_topology_free(c->topo);
	aclf_warnings_release(&c->warnings);
	memset(c, 0, sizeof(*c));
	aclf_warnings_init(&c->warnings);
}

int aclf_compile_file(const char *topo_path, const struct aclf_compile_opts *opts, bool load_only,
		      struct aclf_compiled *out, struct aclf_err *err)
{
	char **paths;
	size_t n;

	memset(out, 0, sizeof(*out));
	aclf_warnings_init(&out->warnings);
	if (!(out->topo = aclf_topology_load(topo_path, err)))
		return -1;
	n = out->topo->ncatalogs;
	if (!(paths = calloc(n ? n : 1, sizeof(*paths)))) {
		aclf_err_nomem(err);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		paths[i] = aclf_catalog_resolve(out->topo->catalogs[i], topo_path);
		if (!paths[i]) {
			aclf_err_set(err, ACLF_E_INPUT, "%s: catalog '%s' not found", out->topo->path,
				     out->topo->catalogs[i]);
			for (size_t k = 0; k < i; k++)
				free(paths[k]);
			free(paths);
			goto fail;
		}
	}
	out->cat = aclf_catalog_load_list((const char *const *)paths, n, err);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (!out->cat)
		goto fail;
	if (load_only)
		return 0;
	if (!(out->pol = aclf_compile(out->cat, out->topo, opts, &out->warnings, err)))
		goto fail;
	return 0;
fail:
	/* the warnings found before the failure stay for the caller to show */
	aclf_catalog_free(out->cat);
	aclf_topology_free(out->topo);
	out->cat = NULL;
	out->topo = NULL;
	return -1;
}
