/* Internal state of the topology loader (topology_*.c): the YAML document,
 * the topology being filled, the errors collected so far and, per object,
 * the YAML nodes that later cross-checks report against.
 *
 * The files are layered; each calls only functions of the layers below it
 * (and the public lookups of topology_lookup.c), never one beside or above:
 *
 *   3  topology_load.c     entry points: read the file, run the stages of
 *                          layer 2 in order, report the collected errors
 *   2  topology_sites.c    catalog, sites, options, client media ports
 *      topology_pools.c    networks and pools
 *      topology_check.c    checks across pools (indexes the names), VIPs
 *      topology_devices.c  devices
 *      topology_rules.c    site rules
 *      topology_paths.c    relative paths anchored at the topology's
 *                          directory (after the load)
 *   1  topology_node.c     typed values from YAML nodes
 *      topology_index.c    name indexes of pools, networks, servers
 *      topology_tls.c      the tls: mapping of pools and load balancers
 *   0  topology_ctx.c      error collection, out of memory, allocation,
 *                          releasing the context
 *
 * The declarations below follow the layers, bottom up. */
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
/* paths of key, known hosts and secret files */
#define TOPO_PATH_MAX 4096

struct topo_msg {
	unsigned line, col;
	size_t seq;
	char *text;
};

/* topo_claim.server of a pool's external web services VIP ((size_t)-1: its VIP) */
#define TOPO_CLAIM_EXTERNAL_WEB ((size_t)-2)

struct topo_pool_aux {
	yaml_node_t *node;      /* the pool's mapping (or whatever was written) */
	yaml_node_t *key;       /* the pool's name */
	yaml_node_t *cms;       /* value node of cms: true */
	yaml_node_t *vip;       /* value node of vip */
	yaml_node_t *tls;       /* value node of tls */
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

/* ---- layer 0, topology_ctx.c: errors, out of memory, allocation ---- */
/* Record an error at node n (NULL: at the document start). Returns -1. */
int topo_err(struct topo_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Note that memory ran out (reported once, when the load ends). Returns -1. */
int topo_nomem(struct topo_ctx *c);
/* Move the errors of a scratch struct aclf_err (from yaml_doc.h) into c and
 * release it. Returns -1. */
int topo_absorb(struct topo_ctx *c, struct aclf_err *s);
char *topo_strdup(struct topo_ctx *c, const char *s);
void *topo_alloc(struct topo_ctx *c, size_t n, size_t size);
/* The collected errors, sorted by position, into err. */
void topo_ctx_flush(struct topo_ctx *c, struct aclf_err *err);
/* Free what c holds on the heap (errors, claims, indexes). */
void topo_ctx_release(struct topo_ctx *c);

/* ---- layer 1, topology_node.c: typed values ---- */
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
/* An IPv4-mapped IPv6 address or prefix p (written s at n) is reported,
 * naming the IPv4 form to write; returns -1 then, else 0. */
int topo_no_v4mapped(struct topo_ctx *c, yaml_node_t *n, const char *what, const char *s,
		     const struct aclf_prefix *p);

/* ---- layer 1, topology_index.c: names of pools, networks, servers ---- */
/* Build the sorted indexes from the pools and networks read so far. */
int topo_index_build(struct topo_ctx *c);
const struct aclf_pool *topo_find_pool(struct topo_ctx *c, const char *name, size_t *idx);
const struct aclf_network *topo_find_network(struct topo_ctx *c, const char *name);
const struct aclf_server *topo_find_server(struct topo_ctx *c, const char *name);

/* ---- layer 1, topology_tls.c: a tls: mapping ---- */
struct aclf_driver;
/* Read n into out (out->set when it is complete); names checked with drv's
 * check_name when drv is not NULL. Returns 0 or -1 (reported). */
int topo_parse_tls(struct topo_ctx *c, yaml_node_t *n, const char *what,
		   const struct aclf_driver *drv, struct aclf_tls_conf *out);
/* The names of a tls: mapping read before its device was known, checked
 * with drv's check_name. Returns 0 or -1 (reported). */
int topo_check_tls_driver(struct topo_ctx *c, yaml_node_t *n, const char *what,
			  const struct aclf_driver *drv);

/* ---- layer 2: the stages, in the order topology_load.c runs them ---- */
/* topology_sites.c: catalog, sites, options, client media ports (with
 * their defaults) from the root mapping. */
void topo_parse_settings(struct topo_ctx *c, yaml_node_t *root);
/* topology_pools.c */
int topo_parse_networks(struct topo_ctx *c, yaml_node_t *n);
int topo_parse_pools(struct topo_ctx *c, yaml_node_t *n);
/* topology_check.c: build the name indexes and check server names,
 * addresses, VIPs and CMS. */
int topo_check_pools(struct topo_ctx *c);
/* topology_devices.c */
int topo_parse_devices(struct topo_ctx *c, yaml_node_t *n);
/* topology_check.c: VIP requirements (after devices: balances are known). */
int topo_check_vips(struct topo_ctx *c);
/* topology_check.c: pools' tls against the driver that balances them. */
int topo_check_tls(struct topo_ctx *c);
/* topology_rules.c */
int topo_parse_rules(struct topo_ctx *c, yaml_node_t *n);
/* topology_paths.c, after a load from a file: relative paths (catalog,
 * keys, known hosts, file: secrets) anchored at the directory of
 * topo_path, stored absolute. Returns 0 or -1 with err set. */
int topo_anchor_paths(struct aclf_topology *t, const char *topo_path, struct aclf_err *err);

#endif
