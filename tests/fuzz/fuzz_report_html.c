/* libFuzzer target for the audit page's writer (src/report/): any JSON
 * document as the audit report, against the small example compiled once.
 * A document that is no report is refused as bad input; any other gives a
 * whole page in which nothing of the document became markup (no script, no
 * image: every string of it is escaped). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/report.h"
#include "aclforge/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct aclf_topology *topo;
static struct aclf_catalog *cat;
static struct aclf_policy *pol;

static void world(void)
{
	struct aclf_err err;
	char *paths[2];

	aclf_err_init(&err);
	topo = aclf_topology_load(ACLF_SOURCE_CATALOG_DIR "/../examples/small.yaml", &err);
	if (!topo || topo->ncatalogs != 2)
		abort();
	for (size_t i = 0; i < 2; i++)
		paths[i] = aclf_catalog_resolve(topo->catalogs[i], topo->path);
	cat = aclf_catalog_load_list((const char *const *)paths, 2, &err);
	free(paths[0]);
	free(paths[1]);
	if (!cat || !(pol = aclf_compile(cat, topo, NULL, NULL, &err)))
		abort();
	aclf_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	struct aclf_err err;
	json_t *report;
	int rc;

	if (!topo)
		world();
	report = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (!report)
		return 0;
	aclf_err_init(&err);
	aclf_buf_init(&b, 0);
	rc = aclf_audit_html(&b, topo, cat, pol, report, &err);
	if (rc < 0 && err.kind != ACLF_E_INPUT && err.kind != ACLF_E_NOMEM)
		abort();
	if (rc == 0 && (strstr(b.buf, "<script") || strstr(b.buf, "<img") ||
			b.len < 8 || strcmp(b.buf + b.len - 8, "</html>\n") != 0))
		abort();
	json_decref(report);
	aclf_buf_release(&b);
	aclf_err_release(&err);
	return 0;
}
