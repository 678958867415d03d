/* Topology loader: the paths a topology names, anchored where the topology
 * is. A catalog given as a path, key and known hosts files and file:
 * secrets written relative are relative to the topology file's directory
 * and are stored absolute, so a checkout works wherever aclforge runs.
 * Key, known hosts and secret paths starting "~/" stay as written: whoever
 * opens them expands $HOME. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/err.h"
#include "aclforge/topology.h"
#include "topology_int.h"

/* A catalog is a path when it has a '/' or ends in .yaml/.yml; anything
 * else is a bundled name. */
static bool catalog_is_path(const char *cat)
{
	size_t n = strlen(cat);

	return strchr(cat, '/') || (n >= 5 && !strcmp(cat + n - 5, ".yaml")) ||
	       (n >= 4 && !strcmp(cat + n - 4, ".yml"));
}

static int join(struct aclf_topology *t, const char *dir, const char **path)
{
	*path = aclf_arena_printf(&t->arena, "%s%s%s", dir, dir[1] ? "/" : "", *path);
	return *path ? 0 : -1;
}

static int anchor(struct aclf_topology *t, const char *dir, const char **path)
{
	const char *p = *path;

	if (!p || !*p || p[0] == '/' || (p[0] == '~' && p[1] == '/'))
		return 0;
	return join(t, dir, path);
}

static int anchor_secret(struct aclf_topology *t, const char *dir, struct aclf_secret_ref *s)
{
	return s->kind == ACLF_SECRET_FILE ? anchor(t, dir, &s->ref) : 0;
}

static int anchor_device(struct aclf_topology *t, const char *dir, struct aclf_device *d)
{
	if (anchor(t, dir, &d->ssh.key_file) < 0 || anchor(t, dir, &d->ssh.known_hosts) < 0 ||
	    anchor_secret(t, dir, &d->ssh.password) < 0 || anchor_secret(t, dir, &d->snmp.community) < 0 ||
	    anchor_secret(t, dir, &d->snmp.auth) < 0 || anchor_secret(t, dir, &d->snmp.priv) < 0)
		return -1;
	return 0;
}

int topo_anchor_paths(struct aclf_topology *t, const char *topo_path, struct aclf_err *err)
{
	const char *slash = topo_path ? strrchr(topo_path, '/') : NULL;
	char *dir, *abs;
	int rc = 0;

	/* the topology file's directory; "." for standard input or a bare name */
	if (slash)
		dir = strndup(topo_path, (size_t)(slash - topo_path) + (slash == topo_path));
	else
		dir = strdup(".");
	if (!dir)
		return aclf_err_nomem(err);
	abs = realpath(dir, NULL);
	free(dir);
	if (!abs)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: cannot resolve the directory of the "
						       "topology for its relative paths: %s",
				    t->path, strerror(errno));
	for (size_t i = 0; i < t->ncatalogs && rc == 0; i++)
		if (catalog_is_path(t->catalogs[i]) && t->catalogs[i][0] != '/' &&
		    join(t, abs, &t->catalogs[i]) < 0)
			rc = -1;
	if (t->ncatalogs)
		t->catalog = t->catalogs[0];
	for (size_t i = 0; i < t->ndevices && rc == 0; i++)
		if (anchor_device(t, abs, &t->devices[i]) < 0)
			rc = -1;
	free(abs);
	return rc < 0 ? aclf_err_nomem(err) : 0;
}
