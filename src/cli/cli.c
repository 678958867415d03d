#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

int cli_fail(const struct aclf_err *err)
{
	fprintf(stderr, "aclforge: %s\n", aclf_err_text(err));
	return aclf_err_exit_code(err);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "aclforge %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'aclforge %s --help'.\n", cmd);
	return CLI_USAGE;
}

int cli_parse_format(const char *cmd, const char *s, enum cli_format *out)
{
	if (!strcmp(s, "text"))
		*out = CLI_TEXT;
	else if (!strcmp(s, "json"))
		*out = CLI_JSON;
	else
		return cli_usage_error(cmd, "unknown format '%s', expected text or json", s);
	return 0;
}

int cli_compile(const char *topo_path, const char *only_device, struct aclf_topology **topo,
		struct aclf_catalog **cat, struct aclf_policy **pol, struct aclf_err *err)
{
	struct aclf_buf warn = ACLF_BUF_INIT;
	struct aclf_warnings w;
	struct aclf_compile_opts opts = { .only_device = only_device };
	char *cpath;

	*topo = NULL;
	*cat = NULL;
	if (pol)
		*pol = NULL;
	*topo = aclf_topology_load(topo_path, err);
	if (!*topo)
		return -1;
	cpath = aclf_catalog_resolve((*topo)->catalog, topo_path);
	if (!cpath) {
		aclf_err_set(err, ACLF_E_INPUT, "%s: catalog '%s' not found", topo_path, (*topo)->catalog);
		goto fail;
	}
	*cat = aclf_catalog_load(cpath, err);
	free(cpath);
	if (!*cat)
		goto fail;
	if (!pol)
		return 0;
	aclf_buf_init(&warn, 0);
	aclf_warnings_init(&w);
	*pol = aclf_compile(*cat, *topo, &opts, &w, err);
	if (aclf_warnings_text(&w, &warn) == 0 && warn.len)
		fputs(warn.buf, stderr);
	aclf_warnings_release(&w);
	aclf_buf_release(&warn);
	if (!*pol)
		goto fail;
	return 0;
fail:
	aclf_catalog_free(*cat);
	aclf_topology_free(*topo);
	*cat = NULL;
	*topo = NULL;
	return -1;
}

int cli_write_stdout(const struct aclf_buf *b)
{
	if (b->len && fwrite(b->buf, 1, b->len, stdout) != b->len)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}
