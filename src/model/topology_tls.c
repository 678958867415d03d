/* The topology loader's `tls:` mapping (pools and load balancer devices):
 * the names of TLS profiles that already exist on the load balancer.
 *
 *   tls: {client_profile: /Common/lync-web-clientssl,
 *         external_client_profile: /Common/lync-ext-clientssl,   # optional
 *         server_profile: /Common/serverssl}
 *
 * Checked here: the shape, and names a device could hold (no blanks,
 * quotes, braces or control bytes). Whether the device's driver takes the
 * name is asked of the driver (ACLF_NAME_TLS_PROFILE) by the caller, which
 * knows the device. */
#include <stdio.h>
#include <string.h>

#include "aclforge/driver.h"
#include "topology_int.h"

#define TLS_NAME_MAX 255

static const char *const tls_keys[] = { "client_profile", "external_client_profile",
					"server_profile", NULL };

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > TLS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || strchr("\"'{};\\#", s[i]))
			return false;
	return true;
}

static int one_name(struct topo_ctx *c, yaml_node_t *n, const char *what, const char *key,
		    const struct aclf_driver *drv, const char **out, struct aclf_pos *pos)
{
	char kw[192];
	const char *s, *want;

	snprintf(kw, sizeof(kw), "%s.%s", what, key);
	if (topo_expect(c, n, YAML_SCALAR_NODE, kw) < 0)
		return -1;
	s = aclf_yscalar(n);
	if (!name_ok(s))
		return topo_err(c, n, "%s: expected the name of a TLS profile on the load balancer "
				       "(no spaces, quotes or braces), found '%.80s'", kw, s);
	if (drv && (want = aclf_driver_check_name(drv, ACLF_NAME_TLS_PROFILE, s)))
		return topo_err(c, n, "%s: expected %s, found '%.80s'", kw, want, s);
	if (out && !(*out = topo_strdup(c, s)))
		return -1;
	if (pos) {
		pos->line = aclf_ynode_line(n);
		pos->col = aclf_ynode_col(n);
	}
	return 0;
}

int topo_parse_tls(struct topo_ctx *c, yaml_node_t *n, const char *what,
		   const struct aclf_driver *drv, struct aclf_tls_conf *out)
{
	yaml_node_t *cl, *ext, *srv;
	int rc;

	if (topo_expect(c, n, YAML_MAPPING_NODE, what) < 0)
		return -1;
	out->pos.line = aclf_ynode_line(n);
	out->pos.col = aclf_ynode_col(n);
	rc = topo_check_keys(c, n, tls_keys, what);
	cl = aclf_ymap_get(c->d, n, "client_profile");
	ext = aclf_ymap_get(c->d, n, "external_client_profile");
	srv = aclf_ymap_get(c->d, n, "server_profile");
	if (!cl)
		rc = topo_err(c, n, "%s: missing 'client_profile', expected the load balancer's TLS "
				    "profile that holds the web services certificate", what);
	else if (one_name(c, cl, what, "client_profile", drv, &out->client_profile,
			  &out->client_pos) < 0)
		rc = -1;
	if (!srv)
		rc = topo_err(c, n, "%s: missing 'server_profile', expected the load balancer's TLS "
				    "profile towards the pool members (they listen on HTTPS only)", what);
	else if (one_name(c, srv, what, "server_profile", drv, &out->server_profile,
			  &out->server_pos) < 0)
		rc = -1;
	if (ext && one_name(c, ext, what, "external_client_profile", drv,
			    &out->external_client_profile, &out->external_client_pos) < 0)
		rc = -1;
	out->set = rc == 0;
	return rc;
}

int topo_check_tls_driver(struct topo_ctx *c, yaml_node_t *n, const char *what,
			  const struct aclf_driver *drv)
{
	int rc = 0;

	if (!n || n->type != YAML_MAPPING_NODE)
		return 0; /* reported when it was read */
	for (size_t k = 0; tls_keys[k]; k++) {
		yaml_node_t *v = aclf_ymap_get(c->d, n, tls_keys[k]);
		if (v && v->type == YAML_SCALAR_NODE && name_ok(aclf_yscalar(v)) &&
		    one_name(c, v, what, tls_keys[k], drv, NULL, NULL) < 0)
			rc = -1;
	}
	return rc;
}
