/* Catalog vocabulary (tables, roles, peer classes), lookups, freeing and
 * resolving a catalog argument to a file. Loading lives in catalog_load.c. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "catalog_int.h"

/* Each role with the tables it may appear in. */
#define T_SRV (1u << ACLF_TABLE_SERVER)
#define T_LB ((1u << ACLF_TABLE_HLB) | (1u << ACLF_TABLE_DNSLB))
#define T_CLI (1u << ACLF_TABLE_CLIENT)
#define T_EXT (1u << ACLF_TABLE_EXTRA)
#define ROLES(X)                                                                                  \
	X("all-servers", T_SRV | T_EXT)                                                           \
	X("audio-servers", T_SRV | T_EXT) /* servers terminating audio: front end, mediation */ \
	X("front-end", T_SRV | T_EXT)                                                             \
	X("front-end-collocated-mediation", T_SRV | T_EXT)                                        \
	X("front-end-cms", T_SRV | T_EXT)                                                         \
	X("office-web-apps", T_SRV | T_EXT)                                                       \
	X("director", T_SRV | T_EXT)                                                              \
	X("mediation", T_SRV | T_EXT)                                                             \
	X("persistent-chat", T_SRV | T_EXT)                                                       \
	X("edge-internal", T_EXT)                                                                 \
	X("domain-servers", T_EXT) /* domain members: every role but the edge */                \
	X("front-end-lb", T_LB | T_EXT)                                                           \
	X("front-end-lb-collocated-mediation", T_LB)                                              \
	X("mediation-lb", T_LB)                                                                   \
	X("director-lb", T_LB | T_EXT)                                                            \
	X("clients", T_CLI)                                                                       \
	X("phones", T_CLI)                                                                        \
	X("none", T_SRV | T_LB | T_CLI) /* only with empty: true */
#define ROLE_NAME(name, tables) name,
#define ROLE_TABLES(name, tables) tables,

static const char *const roles[] = { ROLES(ROLE_NAME) NULL };
static const unsigned role_tables[] = { ROLES(ROLE_TABLES) };

static const char *const peer_classes[] = {
	"clients", "phones", "all-internal-servers", "front-end", "front-end-cms", "director",
	"mediation", "persistent-chat", "office-web-apps", "edge-internal", "reverse-proxy",
	"pstn-gateway", "e911-gateway", "survivable-branch", "admin-hosts", "trusted-application",
	"monitoring", "dhcp-server", "local", "same-pool", "domain-controller", "dns-server",
	"sql-server", "file-server", "pki", "management", NULL,
};

static const char *const apps[] = {
	"TLS", "MTLS", "HTTP", "HTTPS", "DCOM/RPC", "PSOM", "STUN/MSTURN", "DHCP", NULL,
};

static const char *const media_kinds[] = {
	"audio", "video", "file_transfer", "app_sharing", NULL,
};

const char *const *aclf_cat_roles(void)
{
	return roles;
}

const char *const *aclf_cat_peer_classes(void)
{
	return peer_classes;
}

const char *const *catalog_apps(void)
{
	return apps;
}

const char *const *catalog_media_kinds(void)
{
	return media_kinds;
}

bool catalog_role_fits_table(const char *role, enum aclf_cat_table t)
{
	for (size_t i = 0; roles[i]; i++)
		if (strcmp(roles[i], role) == 0)
			return (role_tables[i] & (1u << t)) != 0;
	return false;
}

const char *aclf_cat_table_name(enum aclf_cat_table t)
{
	switch (t) {
	case ACLF_TABLE_SERVER:
		return "server";
	case ACLF_TABLE_HLB:
		return "hlb";
	case ACLF_TABLE_DNSLB:
		return "dns-lb";
	case ACLF_TABLE_CLIENT:
		return "client";
	case ACLF_TABLE_EXTRA:
		return "extra";
	}
	return "?";
}

int aclf_cat_table_parse(const char *s, enum aclf_cat_table *out)
{
	static const enum aclf_cat_table all[] = {
		ACLF_TABLE_SERVER, ACLF_TABLE_HLB, ACLF_TABLE_DNSLB, ACLF_TABLE_CLIENT, ACLF_TABLE_EXTRA,
	};

	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(aclf_cat_table_name(all[i]), s) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

const struct aclf_cat_row *aclf_catalog_find(const struct aclf_catalog *c, const char *id)
{
	if (!c || !id)
		return NULL;
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].id, id) == 0)
			return &c->rows[i];
	return NULL;
}

void aclf_catalog_free(struct aclf_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nparts; i++)
		aclf_catalog_free(c->parts[i]);
	free(c->parts);
	aclf_arena_release(&c->arena);
	free(c);
}

/* A bare name has no directory part and no YAML extension. */
static bool is_bare_name(const char *s)
{
	size_t n = strlen(s);

	if (strchr(s, '/'))
		return false;
	if (n >= 5 && strcmp(s + n - 5, ".yaml") == 0)
		return false;
	if (n >= 4 && strcmp(s + n - 4, ".yml") == 0)
		return false;
	return true;
}

/* Returns a heap copy of dir/name.yaml when that file is readable. */
static char *try_dir(const char *dir, size_t dirlen, const char *sub, const char *name)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	if (aclf_buf_add(&b, dir, dirlen) < 0 || aclf_buf_printf(&b, "%s/%s.yaml", sub, name) < 0) {
		aclf_buf_release(&b);
		return NULL;
	}
	if (access(b.buf, R_OK) != 0) {
		aclf_buf_release(&b);
		return NULL;
	}
	return aclf_buf_detach(&b, NULL);
}

/* Is the running program inside the build directory it was built in? */
static bool in_build_tree(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t bl = strlen(ACLF_BUILD_DIR);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	return strncmp(exe, ACLF_BUILD_DIR, bl) == 0 && exe[bl] == '/';
}

char *aclf_catalog_resolve(const char *name_or_path, const char *relative_to)
{
	const char *env;
	char *hit = NULL;

	if (!name_or_path || !*name_or_path)
		return NULL;
	if (!is_bare_name(name_or_path))
		return strdup(name_or_path);

	env = getenv("ACLFORGE_CATALOG_DIR");
	if (env && *env)
		hit = try_dir(env, strlen(env), "", name_or_path);
	if (!hit && relative_to && *relative_to) {
		const char *slash = strrchr(relative_to, '/');
		if (slash)
			hit = try_dir(relative_to, (size_t)(slash - relative_to) + 1, "../catalogs",
				      name_or_path);
		else
			hit = try_dir("..", 2, "/catalogs", name_or_path);
	}
	/* a program of the build tree reads the source's catalogs, an installed
	 * one only the installed catalogs (never a checkout that happens to sit
	 * where the package was built) */
	if (!hit && in_build_tree())
		hit = try_dir(ACLF_SOURCE_CATALOG_DIR, strlen(ACLF_SOURCE_CATALOG_DIR), "", name_or_path);
	if (!hit)
		hit = try_dir(ACLF_INSTALL_CATALOG_DIR, strlen(ACLF_INSTALL_CATALOG_DIR), "", name_or_path);
	return hit;
}
