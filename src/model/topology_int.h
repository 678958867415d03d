/* Internal state of the topology loader (topology_*.c): the YAML document,
 * the topology being filled, the errors collected so far and, per object,
 * the YAML nodes that later cross-checks report against. */
#ifndef ACLFORGE_TOPOLOGY_INT_H
#define ACLFORGE_TOPOLOGY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/topology.h"
#include "yaml_doc.h"

struct aclf_err;

/* errors beyond this many are counted, not printed */
#define TOPO_MAX_ERRORS 100
/* names of sites, pools, servers, networks and devices */
#define TOPO_NAME_MAX 64

struct topo_msg {
	unsigned line, col;
	size_t seq;
	char *text;
};

struct topo_pool_aux {
	yaml_node_t *node;      /* the pool's mapping (or whatever was written) */
	yaml_node_t *key;       /* the pool's name */
	yaml_node_t *cms;       /* value node of cms: true */
	yaml_node_t *vip;       /* value node of vip */
	yaml_node_t **server_keys; /* per server: its name */
	bool role_ok;
	const struct aclf_device *balanced_by; /* first load balancer listing it */
	yaml_node_t *balanced_at;
};

/* sorted name index entry (pools, networks, servers) */
struct topo_name_ix {
	const char *name;
	size_t a, b;            /* pools: a = pool; servers: a = pool, b = server */
};

/* An address written for a server or as a pool VIP; two claims on one
 * address are an error. */
struct topo_claim {
	struct aclf_prefix addr;
	size_t pool, server;    /* server == (size_t)-1: the pool's VIP */
	yaml_node_t *node;
	size_t seq;
};

struct topo_ctx {
	struct aclf_ydoc *d;
	struct aclf_topology *t;
	struct topo_msg *msgs;
	size_t nmsgs, msgcap;
	size_t nerrors;         /* all errors, printed or not */
	bool nomem;
	struct topo_pool_aux *pool_aux;   /* t->npools entries (arena) */
	yaml_node_t **net_keys;           /* t->nnetworks entries (arena) */
	struct topo_claim *claims;        /* heap */
	size_t nclaims, claimcap;
	struct topo_name_ix *pool_ix, *net_ix, *srv_ix; /* sorted by name */
	size_t npool_ix, nnet_ix, nsrv_ix;
};

/* ---- topology_load.c: errors and typed values ---- */
/* Record an error at node n (NULL: at the document start). Returns -1. */
int topo_err(struct topo_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int topo_nomem(struct topo_ctx *c);
/* Wrappers over yaml_doc.h that collect their errors into c. */
int topo_check_keys(struct topo_ctx *c, yaml_node_t *map, const char *const *allowed,
		    const char *what);
int topo_expect(struct topo_ctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what);
/* A scalar copied into the topology arena. */
int topo_str(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out);
int topo_uint(struct topo_ctx *c, yaml_node_t *n, unsigned long min, unsigned long max,
	      const char *what, unsigned long *out);
int topo_bool(struct topo_ctx *c, yaml_node_t *n, const char *what, bool *out);
/* Keys of a name-keyed mapping: plain scalars, valid names, no duplicates.
 * Returns an array (arena) telling per key whether to skip it (reported),
 * or NULL when out of memory. */
bool *topo_check_names(struct topo_ctx *c, yaml_node_t *map, const char *what);
bool topo_name_valid(const char *s);
bool topo_null(const yaml_node_t *n);
char *topo_strdup(struct topo_ctx *c, const char *s);
void *topo_alloc(struct topo_ctx *c, size_t n, size_t size);

/* ---- topology_pools.c ---- */
int topo_parse_networks(struct topo_ctx *c, yaml_node_t *n);
int topo_parse_pools(struct topo_ctx *c, yaml_node_t *n);
/* Parse a host address ("10.1.1.11", "2001:db8::1", ".../32"). */
int topo_parse_host(struct topo_ctx *c, yaml_node_t *n, const char *what, struct aclf_prefix *out);
/* A network kind: a peer class that is not a pool role; NULL if unknown. */
const char *topo_kind_lookup(const char *s);
/* The list for messages. */
const char *topo_kind_list(void);

/* ---- topology_check.c ---- */
/* Build the name indexes and check server names, addresses, VIPs and CMS. */
int topo_check_pools(struct topo_ctx *c);
/* VIP requirements (after devices: balances are known). */
int topo_check_vips(struct topo_ctx *c);
const struct aclf_pool *topo_find_pool(struct topo_ctx *c, const char *name, size_t *idx);
const struct aclf_network *topo_find_network(struct topo_ctx *c, const char *name);
const struct aclf_server *topo_find_server(struct topo_ctx *c, const char *name);
void topo_ctx_release(struct topo_ctx *c);

/* ---- topology_devices.c, topology_rules.c ---- */
int topo_parse_devices(struct topo_ctx *c, yaml_node_t *n);
int topo_parse_rules(struct topo_ctx *c, yaml_node_t *n);

#endif
