/* Topology loader: the entry points. They read the file and drive the
 * stages in order: the settings (topology_sites.c), networks and pools
 * (topology_pools.c), the checks across pools that also index the names
 * (topology_check.c), devices (topology_devices.c), the VIP checks, site
 * rules (topology_rules.c). Every error is collected with its file:line:col
 * (topology_ctx.c) and reported sorted by position. A topology read from a
 * file then has its relative paths anchored there (topology_paths.c); "-"
 * reads standard input, whose relative paths are the current directory's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/topology.h"
#include "topology_int.h"

#define TOPO_FILE_CAP (64u * 1024u * 1024u)

static void parse_root(struct topo_ctx *c, yaml_node_t *root)
{
	static const char *const keys[] = { "catalog", "site", "load_balancing", "sites",
					    "client_media_ports", "options", "networks", "pools",
					    "devices", "rules", "rpc_dynamic_ports", "sql_port", NULL };
	yaml_node_t *n;

	if (topo_expect(c, root, YAML_MAPPING_NODE, "topology") < 0)
		return;
	topo_check_keys(c, root, keys, "topology");
	topo_parse_settings(c, root);
	/* an optional section left empty ("networks:") is as good as absent */
	if ((n = aclf_ymap_get(c->d, root, "networks")) && !topo_null(n))
		topo_parse_networks(c, n);
	if (!(n = aclf_ymap_get(c->d, root, "pools")))
		topo_err(c, root, "missing 'pools', expected at least one pool");
	else
		topo_parse_pools(c, n);
	topo_check_pools(c);
	if ((n = aclf_ymap_get(c->d, root, "devices")) && !topo_null(n))
		topo_parse_devices(c, n);
	topo_check_vips(c);
	topo_check_tls(c);
	if ((n = aclf_ymap_get(c->d, root, "rules")) && !topo_null(n))
		topo_parse_rules(c, n);
}

/* ---- entry points ---- */

struct aclf_topology *aclf_topology_load_mem(const char *data, size_t len, const char *name,
					     struct aclf_err *err)
{
	struct aclf_ydoc d;
	struct topo_ctx c;
	struct aclf_topology *t = calloc(1, sizeof(*t));
	bool failed;

	if (!t) {
		aclf_err_nomem(err);
		return NULL;
	}
	aclf_arena_init(&t->arena);
	t->path = aclf_arena_strdup(&t->arena, name ? name : "<input>");
	if (!t->path) {
		aclf_topology_free(t);
		aclf_err_nomem(err);
		return NULL;
	}
	if (aclf_ydoc_load(&d, data ? data : "", data ? len : 0, t->path, err) < 0) {
		aclf_ydoc_release(&d);
		aclf_topology_free(t);
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.d = &d;
	c.t = t;
	parse_root(&c, aclf_ydoc_root(&d));
	failed = c.nerrors > 0 || c.nomem;
	if (failed)
		topo_ctx_flush(&c, err);
	topo_ctx_release(&c);
	aclf_ydoc_release(&d);
	if (failed) {
		aclf_topology_free(t);
		return NULL;
	}
	return t;
}

/* Standard input, whole, under the cap. Returns 0 or -1 with errno set. */
static int read_stdin(struct aclf_buf *b)
{
	char tmp[8192];
	size_t n;

	while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0) {
		if (aclf_buf_add(b, tmp, n) < 0) {
			errno = EFBIG;
			return -1;
		}
	}
	if (ferror(stdin)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

struct aclf_topology *aclf_topology_load(const char *path, struct aclf_err *err)
{
	bool in = path && !strcmp(path, "-");
	struct aclf_buf b;
	struct aclf_topology *t;

	if (!path)
		return aclf_err_set(err, ACLF_E_INPUT, "no topology file given"), NULL;
	aclf_buf_init(&b, TOPO_FILE_CAP);
	if ((in ? read_stdin(&b) : aclf_buf_read_file(&b, path)) < 0) {
		int e = errno;
		aclf_buf_release(&b);
		aclf_err_set(err, ACLF_E_INPUT, "cannot read topology '%s': %s",
			     in ? ACLF_TOPOLOGY_STDIN : path, e == EFBIG ? "file too large" : strerror(e));
		return NULL;
	}
	/* standard input: named so in messages; its directory is the current one */
	t = aclf_topology_load_mem(b.buf, b.len, in ? ACLF_TOPOLOGY_STDIN : path, err);
	aclf_buf_release(&b);
	if (t && topo_anchor_paths(t, path, err) < 0) {
		aclf_topology_free(t);
		return NULL;
	}
	return t;
}

void aclf_topology_free(struct aclf_topology *t)
{
	if (!t)
		return;
	aclf_arena_release(&t->arena);
	free(t);
}
