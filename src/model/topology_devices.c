/* Topology loader: devices, their SSH/SNMP settings (secrets by reference
 * only), what they protect and what they balance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/driver.h"
#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"
#include "topology_int.h"

/* How a device binds, from its driver's descriptor (0: unknown driver). */
enum drv_kind {
	DRV_UNKNOWN = 0,
	DRV_IFACE = ACLF_DRV_BIND_INTERFACE,
	DRV_HOST = ACLF_DRV_BIND_CHAIN,
	DRV_LB = ACLF_DRV_BIND_LB,
};

/* The drivers that balance pools ("x or y"), for messages. */
static const char *balancer_names(char *buf, size_t len)
{
	const struct aclf_driver *const *all = aclf_drivers();
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; all[i] && used < len; i++) {
		int w;
		if (all[i]->binding != ACLF_DRV_BIND_LB)
			continue;
		w = snprintf(buf + used, len - used, "%s%s", used ? " or " : "", all[i]->name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* ---- secrets ---- */

static bool env_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 128 || is_digit(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* The value is never quoted in a message: it might be the secret itself. */
static int parse_secret(struct topo_ctx *c, yaml_node_t *n, const char *what,
			struct aclf_secret_ref *out)
{
	const char *s;

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	out->pos.line = aclf_ynode_line(n);
	out->pos.col = aclf_ynode_col(n);
	if (!strncmp(s, "env:", 4)) {
		if (!env_name_valid(s + 4))
			return topo_err(c, n, "%s: expected 'env:NAME' with NAME an environment variable "
					      "name (letters, digits, '_')", what);
		out->kind = ACLF_SECRET_ENV;
		out->ref = topo_strdup(c, s + 4);
		return out->ref ? 0 : -1;
	}
	if (!strncmp(s, "file:", 5)) {
		if (!s[5])
			return topo_err(c, n, "%s: expected 'file:PATH' with a path", what);
		if (strchr(s, '\n') || strchr(s, '\r') || strlen(s + 5) > TOPO_PATH_MAX)
			return topo_err(c, n, "%s: expected 'file:PATH' with a path on one line of at "
					      "most %d characters (the value written here is not repeated)",
					what, TOPO_PATH_MAX);
		if (s[5] == '~' && s[6] != '/')
			return topo_err(c, n, "%s: '~user' paths are not supported, write file:~/PATH, an "
					      "absolute path or one relative to the topology's directory", what);
		out->kind = ACLF_SECRET_FILE;
		out->ref = topo_strdup(c, s + 5);
		return out->ref ? 0 : -1;
	}
	return topo_err(c, n, "%s: secrets are given by reference only, expected 'env:NAME' or "
			      "'file:PATH' (the value written here is not repeated)", what);
}

/* ---- paths of key and known hosts files ---- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Key material where a path belongs: a PEM or OpenSSH private key pasted in
 * (any line of it), a public key line, a base64 blob, or several lines. */
static bool looks_like_key(const char *s)
{
	static const char *const types[] = { "ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-", NULL };

	if (strchr(s, '\n') || strchr(s, '\r') || strstr(s, "-----BEGIN") || strstr(s, "-----END") ||
	    strstr(s, "PRIVATE KEY") || starts(s, "AAAA") || strstr(s, " AAAA") ||
	    starts(s, "b3BlbnNzaC1rZXkt"))
		return true;
	for (size_t i = 0; types[i]; i++)
		if (starts(s, types[i]) && strchr(s, ' '))
			return true;
	return false;
}

/* A path (key, known hosts): never key material, which is not repeated. */
static int parse_path(struct topo_ctx *c, yaml_node_t *n, const char *what, const char *file_kind,
		      const char *hint, const char **out, struct aclf_pos *pos)
{
	const char *s;

	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	s = aclf_yscalar(n);
	pos->line = aclf_ynode_line(n);
	pos->col = aclf_ynode_col(n);
	if (looks_like_key(s))
		return topo_err(c, n, "%s: expected the path of %s, found key material (not repeated "
				      "here): %s and give its path", what, file_kind, hint);
	if (topo_null(n) || !*s)
		return topo_err(c, n, "%s: expected the path of %s, found nothing", what, file_kind);
	if (strlen(s) > TOPO_PATH_MAX)
		return topo_err(c, n, "%s: expected the path of %s, found %zu characters (at most %d)",
				what, file_kind, strlen(s), TOPO_PATH_MAX);
	if (s[0] == '~' && s[1] != '/')
		return topo_err(c, n, "%s: '~user' paths are not supported, write ~/PATH, an absolute "
				      "path or one relative to the topology's directory", what);
	*out = topo_strdup(c, s);
	return *out ? 0 : -1;
}

/* ---- ssh, snmp ---- */

static int parse_text(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	if (topo_str(c, n, what, out) < 0)
		return -1;
	if (topo_null(n) || !**out)
		return topo_err(c, n, "%s: expected a value, found nothing", what);
	return 0;
}

static int parse_ssh(struct topo_ctx *c, yaml_node_t *m, const char *dname, struct aclf_ssh_conf *ssh)
{
	static const char *const keys[] = { "user", "key", "agent", "port", "known_hosts", "password",
					    "sudo", NULL };
	yaml_node_t *n;
	unsigned long port;
	char what[160];
	int rc;

	snprintf(what, sizeof(what), "devices.%s.ssh", dname);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	snprintf(what, sizeof(what), "devices.%s.ssh.user", dname);
	if ((n = aclf_ymap_get(c->d, m, "user")) && parse_text(c, n, what, &ssh->user) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.ssh.key", dname);
	if ((n = aclf_ymap_get(c->d, m, "key")) &&
	    parse_path(c, n, what, "a private key file",
		       "keep the key in a file only you can read (mode 0600)", &ssh->key_file,
		       &ssh->key_pos) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.ssh.agent", dname);
	if ((n = aclf_ymap_get(c->d, m, "agent")) && topo_bool(c, n, what, &ssh->agent) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.ssh.sudo", dname);
	if ((n = aclf_ymap_get(c->d, m, "sudo")) && topo_bool(c, n, what, &ssh->sudo) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.ssh.port", dname);
	if ((n = aclf_ymap_get(c->d, m, "port"))) {
		if (topo_uint(c, n, 1, 65535, what, &port) < 0)
			rc = -1;
		else
			ssh->port = (uint16_t)port;
	}
	snprintf(what, sizeof(what), "devices.%s.ssh.known_hosts", dname);
	if ((n = aclf_ymap_get(c->d, m, "known_hosts")) &&
	    parse_path(c, n, what, "a known hosts file", "keep host keys in a known hosts file",
		       &ssh->known_hosts, &ssh->known_hosts_pos) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.ssh.password", dname);
	if ((n = aclf_ymap_get(c->d, m, "password")) && parse_secret(c, n, what, &ssh->password) < 0)
		rc = -1;
	return rc;
}

/* auth: {sha: env:X} / priv: {aes: file:/p}: one protocol and its secret. */
static int parse_usm(struct topo_ctx *c, yaml_node_t *m, const char *what, const char *const *protos,
		     const char *plist, const char **proto, struct aclf_secret_ref *secret)
{
	yaml_node_t *kn;
	const char *k;
	char w[200];

	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	if (aclf_ymap_len(m) != 1)
		return topo_err(c, m, "%s: expected one protocol with its secret, e.g. {%s: env:NAME}",
				what, protos[0]);
	kn = aclf_ymap_key_at(c->d, m, 0);
	k = aclf_yscalar(kn);
	for (size_t i = 0; k && protos[i]; i++) {
		if (strcmp(protos[i], k) != 0)
			continue;
		*proto = topo_strdup(c, k);
		snprintf(w, sizeof(w), "%s.%s", what, k);
		return parse_secret(c, aclf_ymap_value_at(c->d, m, 0), w, secret);
	}
	return topo_err(c, kn, "%s: unknown protocol '%.40s', expected one of: %s", what, k ? k : "?",
			plist);
}

/* timeout_ms, retries, max_repetitions: how long and how often to ask one
 * agent, and how many values one GETBULK asks for at first. */
static int parse_snmp_timing(struct topo_ctx *c, yaml_node_t *m, const char *dname,
			     struct aclf_snmp_conf *s)
{
	yaml_node_t *n;
	unsigned long v;
	char what[160];
	int rc = 0;

	snprintf(what, sizeof(what), "devices.%s.snmp.timeout_ms", dname);
	if ((n = aclf_ymap_get(c->d, m, "timeout_ms"))) {
		if (topo_uint(c, n, ACLF_SNMP_CONF_TIMEOUT_MIN, ACLF_SNMP_CONF_TIMEOUT_MAX, what, &v) < 0)
			rc = -1;
		else
			s->timeout_ms = (unsigned)v;
	}
	snprintf(what, sizeof(what), "devices.%s.snmp.retries", dname);
	if ((n = aclf_ymap_get(c->d, m, "retries"))) {
		if (topo_uint(c, n, 0, ACLF_SNMP_CONF_RETRIES_MAX, what, &v) < 0)
			rc = -1;
		else
			s->tries = (unsigned)v + 1;
	}
	snprintf(what, sizeof(what), "devices.%s.snmp.max_repetitions", dname);
	if ((n = aclf_ymap_get(c->d, m, "max_repetitions"))) {
		if (topo_uint(c, n, 1, ACLF_SNMP_CONF_REPS_MAX, what, &v) < 0)
			rc = -1;
		else
			s->max_reps = (unsigned)v;
	}
	return rc;
}

static int parse_snmp(struct topo_ctx *c, yaml_node_t *m, const char *dname, struct aclf_snmp_conf *s)
{
	static const char *const keys[] = { "version", "port", "community", "user", "auth", "priv",
					    "timeout_ms", "retries", "max_repetitions", NULL };
	static const char *const auths[] = { "sha", "sha224", "sha256", "sha384", "sha512", "md5", NULL };
	static const char *const privs[] = { "aes", "aes128", "aes192", "aes256", "des", NULL };
	yaml_node_t *n, *vn, *auth, *priv, *comm, *user;
	unsigned long port;
	char what[160];
	int rc;

	snprintf(what, sizeof(what), "devices.%s.snmp", dname);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	vn = aclf_ymap_get(c->d, m, "version");
	comm = aclf_ymap_get(c->d, m, "community");
	user = aclf_ymap_get(c->d, m, "user");
	auth = aclf_ymap_get(c->d, m, "auth");
	priv = aclf_ymap_get(c->d, m, "priv");
	if (!vn)
		return topo_err(c, m, "%s: missing 'version', expected 2c or 3", what);
	if (aclf_yscalar(vn) && !strcmp(aclf_yscalar(vn), "2c"))
		s->version = 2;
	else if (aclf_yscalar(vn) && !strcmp(aclf_yscalar(vn), "3"))
		s->version = 3;
	else
		return topo_err(c, vn, "%s.version: expected 2c or 3", what);
	snprintf(what, sizeof(what), "devices.%s.snmp.port", dname);
	if ((n = aclf_ymap_get(c->d, m, "port"))) {
		if (topo_uint(c, n, 1, 65535, what, &port) < 0)
			rc = -1;
		else
			s->port = (uint16_t)port;
	}
	if (parse_snmp_timing(c, m, dname, s) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.snmp", dname);
	if (s->version == 2) {
		yaml_node_t *bad = user ? user : auth ? auth : priv;
		if (bad)
			rc = topo_err(c, bad, "%s.%s: only SNMP version 3 takes a user, auth or priv", what,
				      bad == user ? "user" : bad == auth ? "auth" : "priv");
		if (!comm)
			return topo_err(c, m, "%s: missing 'community', expected 'env:NAME' or 'file:PATH'",
					what);
		snprintf(what, sizeof(what), "devices.%s.snmp.community", dname);
		return parse_secret(c, comm, what, &s->community) < 0 ? -1 : rc;
	}
	if (comm)
		rc = topo_err(c, comm, "%s.community: only SNMP version 2c takes a community", what);
	if (!user)
		rc = topo_err(c, m, "%s: missing 'user', SNMP version 3 needs a user name", what);
	if (priv && !auth)
		rc = topo_err(c, priv, "%s.priv: privacy needs 'auth' as well (authPriv)", what);
	snprintf(what, sizeof(what), "devices.%s.snmp.user", dname);
	if (user && parse_text(c, user, what, &s->user) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.snmp.auth", dname);
	if (auth && parse_usm(c, auth, what, auths, "sha, sha224, sha256, sha384, sha512, md5",
			      &s->auth_proto, &s->auth) < 0)
		rc = -1;
	snprintf(what, sizeof(what), "devices.%s.snmp.priv", dname);
	if (priv && parse_usm(c, priv, what, privs, "aes, aes128, aes192, aes256, des", &s->priv_proto,
			      &s->priv) < 0)
		rc = -1;
	return rc;
}

/* ---- protects ---- */

enum ref_kind { REF_POOL, REF_SERVER, REF_NETWORK };

static bool ref_exists(struct topo_ctx *c, enum ref_kind k, const char *name)
{
	switch (k) {
	case REF_POOL:
		return topo_find_pool(c, name, NULL) != NULL;
	case REF_SERVER:
		return topo_find_server(c, name) != NULL;
	case REF_NETWORK:
		return topo_find_network(c, name) != NULL;
	}
	return false;
}

/* A list (or one name) of references; each must exist. */
static int parse_refs(struct topo_ctx *c, yaml_node_t *n, const char *what, enum ref_kind rk,
		      const char ***out, size_t *nout)
{
	static const char *const kinds[] = { "pool", "server", "network" };
	const char *kind = kinds[rk];
	size_t cnt;
	int rc = 0;

	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected a list of %s names, found a mapping", what, kind);
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	*out = topo_alloc(c, cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const char *s;
		bool dup = false;

		if (topo_expect(c, it, YAML_SCALAR_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		s = aclf_yscalar(it);
		if (!ref_exists(c, rk, s)) {
			rc = topo_err(c, it, "%s: unknown %s '%.80s'", what, kind, s);
			continue;
		}
		for (size_t j = 0; j < *nout && !dup; j++)
			dup = !strcmp((*out)[j], s);
		if (dup) {
			rc = topo_err(c, it, "%s: %s '%.80s' listed twice", what, kind, s);
			continue;
		}
		if (!((*out)[(*nout)++] = topo_strdup(c, s)))
			rc = -1;
	}
	return rc;
}

static bool iface_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '"' || s[i] == '\'')
			return false;
	return true;
}

static int parse_binding(struct topo_ctx *c, yaml_node_t *m, const char *what,
			 const struct aclf_driver *drv, const char *driver, struct aclf_protect *pr)
{
	enum drv_kind dk = drv ? (enum drv_kind)drv->binding : DRV_UNKNOWN;
	const char *want;
	yaml_node_t *in = aclf_ymap_get(c->d, m, "interface");
	yaml_node_t *dn = aclf_ymap_get(c->d, m, "direction");
	yaml_node_t *cn = aclf_ymap_get(c->d, m, "chain");
	const char *s;
	char w[200];
	int rc = 0;

	if (dk == DRV_IFACE && !in) {
		if (cn)
			return topo_err(c, cn, "%s.chain: %s devices bind filters to an interface, expected "
					       "'interface' with 'direction' instead", what, driver);
		return topo_err(c, m, "%s: missing 'interface', %s devices bind filters to an interface "
				      "with direction in or out", what, driver);
	}
	if (dk == DRV_HOST && !cn) {
		if (in)
			return topo_err(c, in, "%s.interface: %s devices bind filters to a chain, expected "
					       "'chain' (input or forward) instead", what, driver);
		return topo_err(c, m, "%s: missing 'chain', %s devices bind filters to a chain "
				      "(input or forward)", what, driver);
	}
	if ((dk == DRV_IFACE || dk == DRV_UNKNOWN) && in && cn)
		rc = topo_err(c, cn, "%s: expected either 'interface' or 'chain', not both", what);
	if (dk == DRV_HOST && in)
		rc = topo_err(c, in, "%s.interface: %s devices bind filters to a chain only", what, driver);
	if (dk == DRV_HOST && dn)
		rc = topo_err(c, dn, "%s.direction: a chain has no direction", what);
	if (in && dk != DRV_HOST) {
		snprintf(w, sizeof(w), "%s.interface", what);
		if (topo_expect(c, in, YAML_SCALAR_NODE, w) < 0)
			return -1;
		s = aclf_yscalar(in);
		if (!iface_valid(s))
			return topo_err(c, in, "%s.interface: expected an interface name without spaces or "
					       "quotes, found '%.80s'", what, s);
		if ((want = aclf_driver_check_name(drv, ACLF_NAME_INTERFACE, s)))
			return topo_err(c, in, "%s.interface: expected %s, found '%.80s'", what, want, s);
		pr->interface = topo_strdup(c, s);
		if (!dn)
			return topo_err(c, m, "%s: missing 'direction', expected in or out", what);
		s = aclf_yscalar(dn);
		if (s && !strcmp(s, "in"))
			pr->direction = ACLF_DIR_IN;
		else if (s && !strcmp(s, "out"))
			pr->direction = ACLF_DIR_OUT;
		else
			return topo_err(c, dn, "%s.direction: expected in or out", what);
	} else if (cn && dk != DRV_IFACE) {
		s = aclf_yscalar(cn);
		/* host chains are input or forward; a driver may narrow that */
		if (!s || (strcmp(s, "input") != 0 && strcmp(s, "forward") != 0))
			return topo_err(c, cn, "%s.chain: expected input or forward", what);
		if ((want = aclf_driver_check_name(drv, ACLF_NAME_CHAIN, s)))
			return topo_err(c, cn, "%s.chain: expected %s", what, want);
		pr->chain = topo_strdup(c, s);
		pr->direction = ACLF_DIR_NONE;
	}
	return rc;
}

static bool filter_name_valid(const char *s)
{
	return topo_name_valid(s) && is_alpha(s[0]) && !strchr(s, '.');
}

static int parse_protect(struct topo_ctx *c, yaml_node_t *m, const char *what,
			 const struct aclf_driver *drv, const char *driver, struct aclf_protect *pr)
{
	const char *want;
	static const char *const keys[] = { "pools", "servers", "networks", "interface", "direction",
					    "chain", "name", NULL };
	yaml_node_t *n;
	char w[200];
	int rc;

	pr->pos.line = aclf_ynode_line(m);
	pr->pos.col = aclf_ynode_col(m);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	snprintf(w, sizeof(w), "%s.pools", what);
	if ((n = aclf_ymap_get(c->d, m, "pools")) &&
	    parse_refs(c, n, w, REF_POOL, &pr->pools, &pr->npools) < 0)
		rc = -1;
	snprintf(w, sizeof(w), "%s.servers", what);
	if ((n = aclf_ymap_get(c->d, m, "servers")) &&
	    parse_refs(c, n, w, REF_SERVER, &pr->servers, &pr->nservers) < 0)
		rc = -1;
	snprintf(w, sizeof(w), "%s.networks", what);
	if ((n = aclf_ymap_get(c->d, m, "networks")) &&
	    parse_refs(c, n, w, REF_NETWORK, &pr->networks, &pr->nnetworks) < 0)
		rc = -1;
	if (!aclf_ymap_get(c->d, m, "pools") && !aclf_ymap_get(c->d, m, "servers") &&
	    !aclf_ymap_get(c->d, m, "networks"))
		rc = topo_err(c, m, "%s: expected at least one of 'pools', 'servers' or 'networks'", what);
	if (parse_binding(c, m, what, drv, driver, pr) < 0)
		rc = -1;
	if ((n = aclf_ymap_get(c->d, m, "name"))) {
		snprintf(w, sizeof(w), "%s.name", what);
		if (topo_str(c, n, w, &pr->filter_name) < 0)
			rc = -1;
		else if (!filter_name_valid(pr->filter_name))
			rc = topo_err(c, n, "%s: invalid filter name '%.80s', expected up to %d letters, "
					    "digits, '-' or '_', starting with a letter",
				      w, pr->filter_name, TOPO_NAME_MAX);
		else if ((want = aclf_driver_check_name(drv, ACLF_NAME_FILTER, pr->filter_name)))
			rc = topo_err(c, n, "%s: invalid filter name '%.80s', expected %s", w,
				      pr->filter_name, want);
	}
	return rc;
}

static void binding_text(const struct aclf_protect *p, char *out, size_t len)
{
	if (p->interface)
		snprintf(out, len, "interface '%s' direction %s", p->interface,
			 aclf_direction_name((enum aclf_direction)p->direction));
	else
		snprintf(out, len, "chain '%s'", p->chain ? p->chain : "?");
}

/* A protects entry's binding (interface and direction, or chain), hashed;
 * 0 when it has none. */
static uint64_t bind_hash(const struct aclf_protect *p)
{
	unsigned char k[2] = { p->interface ? 1 : 2, (unsigned char)p->direction };
	const char *name = p->interface ? p->interface : p->chain;

	if (!name)
		return 0;
	return aclf_hash_add(aclf_hash_str(name), k, p->interface ? 2 : 1);
}

static bool same_binding(const struct aclf_protect *a, const struct aclf_protect *b)
{
	return (a->interface && b->interface && !strcmp(a->interface, b->interface) &&
		a->direction == b->direction) ||
	       (a->chain && b->chain && !strcmp(a->chain, b->chain));
}

/* Two entries of one device may not share a binding or a filter name: the
 * earlier entries are found by hash (binds, names), so a device with
 * thousands of entries is not compared pairwise. */
static int check_protect_clash(struct topo_ctx *c, const struct aclf_device *d, yaml_node_t *seq,
			       size_t k, struct aclf_htab *binds, struct aclf_htab *names)
{
	const struct aclf_protect *b = &d->protects[k];
	uint64_t hb = bind_hash(b), hn = b->filter_name ? aclf_hash_str(b->filter_name) : 0;
	char bind[160];
	size_t it;
	int rc = 0;

	if (b->interface || b->chain) {
		for (size_t j = aclf_htab_find(binds, hb, &it); j != ACLF_HTAB_END; j = aclf_htab_next(binds, hb, &it)) {
			const struct aclf_protect *a = &d->protects[j];
			if (!same_binding(a, b))
				continue;
			binding_text(b, bind, sizeof(bind));
			rc = topo_err(c, aclf_yseq_at(c->d, seq, k),
				      "devices.%s.protects[%zu]: %s is already bound by protects[%zu] "
				      "(line %u), merge the targets into one entry",
				      d->name, k, bind, j, a->pos.line);
		}
		if (aclf_htab_put(binds, hb, k) < 0)
			return topo_nomem(c);
	}
	if (b->filter_name) {
		for (size_t j = aclf_htab_find(names, hn, &it); j != ACLF_HTAB_END; j = aclf_htab_next(names, hn, &it)) {
			const struct aclf_protect *a = &d->protects[j];
			if (strcmp(a->filter_name, b->filter_name))
				continue;
			rc = topo_err(c, aclf_ymap_get(c->d, aclf_yseq_at(c->d, seq, k), "name"),
				      "devices.%s.protects[%zu].name: filter name '%s' already used by "
				      "protects[%zu] (line %u)", d->name, k, b->filter_name, j, a->pos.line);
		}
		if (aclf_htab_put(names, hn, k) < 0)
			return topo_nomem(c);
	}
	return rc;
}

static int parse_protects(struct topo_ctx *c, yaml_node_t *n, struct aclf_device *d,
			  const struct aclf_driver *drv)
{
	struct aclf_htab binds = ACLF_HTAB_INIT, names = ACLF_HTAB_INIT;
	size_t cnt;
	char what[160];
	int rc = 0;

	snprintf(what, sizeof(what), "devices.%s.protects", d->name);
	if (topo_expect(c, n, YAML_SEQUENCE_NODE, what) < 0)
		return -1;
	cnt = aclf_yseq_len(n);
	if (cnt == 0)
		return topo_err(c, n, "%s: expected at least one entry", what);
	d->protects = topo_alloc(c, cnt, sizeof(*d->protects));
	if (!d->protects)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		snprintf(what, sizeof(what), "devices.%s.protects[%zu]", d->name, i);
		if (parse_protect(c, aclf_yseq_at(c->d, n, i), what, drv, d->driver, &d->protects[i]) < 0)
			rc = -1;
		d->nprotects++;
		if (check_protect_clash(c, d, n, i, &binds, &names) < 0)
			rc = -1;
	}
	aclf_htab_free(&binds);
	aclf_htab_free(&names);
	return rc;
}

static int parse_balances(struct topo_ctx *c, yaml_node_t *n, struct aclf_device *d)
{
	char what[160];
	int rc;

	snprintf(what, sizeof(what), "devices.%s.balances", d->name);
	if (n->type == YAML_SEQUENCE_NODE && aclf_yseq_len(n) == 0)
		return topo_err(c, n, "%s: expected at least one pool", what);
	rc = parse_refs(c, n, what, REF_POOL, &d->balances, &d->nbalances);
	for (size_t i = 0; i < d->nbalances; i++) {
		size_t pi;
		if (!topo_find_pool(c, d->balances[i], &pi) || c->pool_aux[pi].balanced_by)
			continue;
		c->pool_aux[pi].balanced_by = d;
		c->pool_aux[pi].balanced_at = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
	}
	return rc;
}

/* ---- devices ---- */

/* self_ips: host addresses (IPv4 and/or IPv6), one or a list. */
static int parse_self_ips(struct topo_ctx *c, yaml_node_t *n, const char *name, struct aclf_device *d)
{
	struct aclf_prefix *v;
	char what[160];
	size_t cnt, k = 0;
	int rc = 0;

	snprintf(what, sizeof(what), "devices.%s.self_ips", name);
	if (n->type == YAML_MAPPING_NODE)
		return topo_err(c, n, "%s: expected an address or a list of them, found a mapping", what);
	cnt = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(n) : 1;
	if (cnt == 0 || topo_null(n))
		return topo_err(c, n, "%s: expected at least one address", what);
	if (!(v = calloc(cnt, sizeof(*v))))
		return topo_nomem(c);
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? aclf_yseq_at(c->d, n, i) : n;
		const char *s;
		if (topo_expect(c, it, YAML_SCALAR_NODE, what) < 0) {
			rc = -1;
			continue;
		}
		s = aclf_yscalar(it);
		if (aclf_prefix_parse(s, &v[k], false) < 0 || !aclf_prefix_is_host(&v[k])) {
			rc = topo_err(c, it, "%s: expected a host address, found '%.80s'", what, s);
			continue;
		}
		if (topo_no_v4mapped(c, it, what, s, &v[k]) < 0) {
			rc = -1;
			continue;
		}
		k++;
	}
	if (k && aclf_pset_merge(&c->t->arena, v, k, &d->self_ips) < 0)
		rc = topo_nomem(c);
	free(v);
	return rc;
}

static int parse_host(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	struct aclf_prefix p;
	const char *s;
	size_t len;

	if (topo_str(c, n, what, out) < 0)
		return -1;
	s = *out;
	len = strlen(s);
	if (strchr(s, '/') || strchr(s, ':')) {
		if (strchr(s, '/') || aclf_prefix_parse(s, &p, false) < 0)
			return topo_err(c, n, "%s: expected an address or a host name, found '%.80s'", what, s);
		return topo_no_v4mapped(c, n, what, s, &p);
	}
	if (len == 0 || len > 253 || s[0] == '-' || s[0] == '.')
		return topo_err(c, n, "%s: expected an address or a host name, found '%.80s'", what, s);
	for (size_t i = 0; i < len; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-' && s[i] != '.')
			return topo_err(c, n, "%s: expected an address or a host name, found '%.80s'",
					what, s);
	return 0;
}

static int parse_device(struct topo_ctx *c, yaml_node_t *kn, yaml_node_t *m, struct aclf_device *d)
{
	static const char *const keys[] = { "driver", "host", "ssh", "snmp", "protects", "balances",
					    "vlan", "self_ips", "tls", NULL };
	const char *name = aclf_yscalar(kn);
	yaml_node_t *n, *prot, *bal, *vlan, *self, *tls;
	const struct aclf_driver *drv = NULL;
	enum drv_kind dk = DRV_UNKNOWN;
	char what[128], names[256], lbs[128];
	const char *want;
	int rc;

	d->name = topo_strdup(c, name);
	d->pos.line = aclf_ynode_line(kn);
	d->pos.col = aclf_ynode_col(kn);
	d->ssh.port = 22;
	d->snmp.port = 161;
	if (!d->name)
		return -1;
	snprintf(what, sizeof(what), "devices.%s", name);
	if (topo_expect(c, m, YAML_MAPPING_NODE, what) < 0)
		return -1;
	rc = topo_check_keys(c, m, keys, what);
	aclf_driver_names(names, sizeof(names), ", ");
	balancer_names(lbs, sizeof(lbs));
	if (!(n = aclf_ymap_get(c->d, m, "driver"))) {
		rc = topo_err(c, m, "%s: missing 'driver', expected one of: %s", what, names);
	} else {
		snprintf(what, sizeof(what), "devices.%s.driver", name);
		if (topo_str(c, n, what, &d->driver) < 0)
			rc = -1;
		if (d->driver && (drv = aclf_driver_find(d->driver)))
			dk = (enum drv_kind)drv->binding;
		if (d->driver && dk == DRV_UNKNOWN)
			rc = topo_err(c, n, "%s: unknown driver '%.80s', expected one of: %s", what,
				      d->driver, names);
	}
	snprintf(what, sizeof(what), "devices.%s", name);
	if (!(n = aclf_ymap_get(c->d, m, "host"))) {
		rc = topo_err(c, m, "%s: missing 'host', expected the management address or host name",
			      what);
	} else {
		snprintf(what, sizeof(what), "devices.%s.host", name);
		if (parse_host(c, n, what, &d->host) < 0)
			rc = -1;
		snprintf(what, sizeof(what), "devices.%s", name);
	}
	if ((n = aclf_ymap_get(c->d, m, "ssh")) && parse_ssh(c, n, name, &d->ssh) < 0)
		rc = -1;
	if ((n = aclf_ymap_get(c->d, m, "snmp")) && parse_snmp(c, n, name, &d->snmp) < 0)
		rc = -1;

	prot = aclf_ymap_get(c->d, m, "protects");
	bal = aclf_ymap_get(c->d, m, "balances");
	vlan = aclf_ymap_get(c->d, m, "vlan");
	self = aclf_ymap_get(c->d, m, "self_ips");
	tls = aclf_ymap_get(c->d, m, "tls");
	if (dk == DRV_LB) {
		if (self && parse_self_ips(c, self, name, d) < 0)
			rc = -1;
		snprintf(what, sizeof(what), "devices.%s.tls", name);
		if (tls && topo_parse_tls(c, tls, what, drv, &d->tls) < 0)
			rc = -1;
		snprintf(what, sizeof(what), "devices.%s", name);
		if (prot)
			rc = topo_err(c, prot, "%s.protects: %s devices balance pools and carry no "
					       "filters, expected 'balances' only", what, d->driver);
		if (!bal)
			rc = topo_err(c, m, "%s: missing 'balances', a %s device balances at least one "
					    "pool", what, d->driver);
		snprintf(what, sizeof(what), "devices.%s.vlan", name);
		if (vlan && (topo_str(c, vlan, what, &d->vlan) < 0 || !iface_valid(d->vlan)))
			rc = topo_err(c, vlan, "%s: expected a VLAN name without spaces or quotes", what);
		else if (vlan && (want = aclf_driver_check_name(drv, ACLF_NAME_VLAN, d->vlan)))
			rc = topo_err(c, vlan, "%s: expected %s, found '%.80s'", what, want, d->vlan);
	} else if (dk != DRV_UNKNOWN) {
		if (bal)
			rc = topo_err(c, bal, "%s.balances: only %s devices balance pools", what, lbs);
		if (vlan)
			rc = topo_err(c, vlan, "%s.vlan: only %s devices take a vlan", what, lbs);
		if (self)
			rc = topo_err(c, self, "%s.self_ips: only %s devices take self_ips", what, lbs);
		if (tls)
			rc = topo_err(c, tls, "%s.tls: only %s devices terminate TLS", what, lbs);
		if (!prot)
			rc = topo_err(c, m, "%s: missing 'protects', expected a list of targets with "
					    "their %s", what, dk == DRV_IFACE ? "interface and direction" : "chain");
	}
	if (prot && dk != DRV_LB && parse_protects(c, prot, d, drv) < 0)
		rc = -1;
	if (bal && (dk == DRV_LB || dk == DRV_UNKNOWN) && parse_balances(c, bal, d) < 0)
		rc = -1;
	return rc;
}

int topo_parse_devices(struct topo_ctx *c, yaml_node_t *n)
{
	struct aclf_topology *t = c->t;
	size_t cnt;
	bool *skip;
	int rc = 0;

	if (topo_expect(c, n, YAML_MAPPING_NODE, "devices") < 0)
		return -1;
	skip = topo_check_names(c, n, "devices");
	cnt = aclf_ymap_len(n);
	t->devices = topo_alloc(c, cnt, sizeof(*t->devices));
	if (!t->devices || !skip)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		if (skip[i])
			continue; /* reported */
		if (parse_device(c, aclf_ymap_key_at(c->d, n, i), aclf_ymap_value_at(c->d, n, i),
				 &t->devices[t->ndevices++]) < 0)
			rc = -1;
	}
	return rc;
}
