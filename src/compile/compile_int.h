/* Internal to the compiler (src/compile*.c). */
#ifndef ACLFORGE_COMPILE_INT_H
#define ACLFORGE_COMPILE_INT_H

#include <stdbool.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/htab.h"
#include "aclforge/intern.h"
#include "aclforge/policy.h"
#include "aclforge/setmemo.h"
#include "aclforge/topology.h"

/* A resolved endpoint: addresses plus the topology objects behind them.
 * Every set the compiler keeps is interned (c->in): equal sets are the same
 * array. */
struct cpeer {
	const char *name;              /* group name: pool, network, role or class */
	const void *id;                /* the object it resolves (class, pool, network):
	                                * endpoints with equal addresses stay distinct */
	struct aclf_prefix_set addrs;
	const char **objs;             /* "pool:fe-berlin", "network:clients", ... */
	size_t nobjs;
	const char *key;               /* the peer class it resolves, for the memo */
	const struct aclf_pool *pool;  /* the one pool it stands for (servers or VIP), or NULL */
};

/* One traffic flow the catalog (or a site rule) asks for, before it is
 * placed on devices: src sends to dst on dports. */
struct cflow {
	int proto;
	struct cpeer src, dst;
	struct aclf_port_set dports;
	const struct aclf_cat_row *row;     /* NULL for site rules */
	const struct aclf_topo_rule *site;  /* NULL for catalog flows */
	size_t site_index;
	enum aclf_action action;
	bool to_vip;                        /* destination is a load-balancer VIP */
};

/* Inbound catalog flows that share row, protocol, senders and ports but go
 * to different targets: their return paths are one rule (from all the
 * targets back to the senders), built once for every filter. */
struct cgroup {
	const struct cflow *lead;           /* the first flow; row, proto, src, dports */
	struct aclf_prefix_set dst;         /* union of the flows' destinations */
	const char *dst_name;
	bool by_role;                       /* dst_name is the role's (several targets) */
	size_t nflows;
};

/* Which flows and return groups can give a filter a rule (compile_index.c):
 * lists of indices, ascending. */
struct cindex {
	size_t *v;
	size_t n;
};

struct cindexes {
	struct cindex *flows_to_pool;       /* per pool: flows whose destination is the pool */
	struct cindex *flows_to_set;        /* per distinct destination set of the others */
	const struct aclf_prefix_set **to_set;
	size_t nto_set;
	struct cindex *groups_from_pool;    /* per pool: return groups whose senders are the pool */
	struct cindex *groups_from_set;     /* per distinct sender set of the others */
	const struct aclf_prefix_set **from_set;
	size_t nfrom_set;
	struct cindex *flows_from_pool;     /* per pool: flows whose senders are the pool */
	struct cindex *flows_from_set;      /* per distinct sender set of the others */
	const struct aclf_prefix_set **sender_set;
	size_t nsender_set;
};

/* Topology sets already interned, by their arrays (cc_set). */
struct ctopo_set {
	const struct aclf_prefix *from;
	struct aclf_prefix_set set;
};

struct ctopo_sets {
	struct aclf_htab idx;
	struct ctopo_set *v;
	size_t n, cap;
};

/* The policy's strings, each once (compile_prov.c). */
struct cstrs {
	struct aclf_htab idx;
	const char **v;
	size_t n, cap;
};

/* Strings and peer objects by address (compile_prov.c). */
struct cptr {
	const void *k;
	const char *a, *b;
};

struct cptrs {
	struct aclf_htab idx;
	struct cptr *v;
	size_t n, cap;
};

/* One rule's provenance in the making (compile_prov.c). */
struct cprov_slot;
struct cprovs {
	struct aclf_prov *v;
	size_t n, cap;
	struct cprov_slot *slot;
	size_t nslot;
	uint32_t gen;
};

/* The ports an initiator listens on for UDP: where the replies to its own
 * UDP flows go back to (cc_reply_ports), by endpoint. */
struct creply {
	const void *id;
	struct aclf_port_set ports;
};

/* The load balancers' pools, by pool: entry k of pool p is
 * v[start[p] + k], a (device, balances index) pair in topology order.
 * Built on first use; unknown pools make it unusable (full scan). */
struct cbal {
	size_t dev, b;
};
struct cbalanced {
	size_t *start;                      /* npools + 1 */
	struct cbal *v;
	bool built, unusable;
};

struct cctx {
	const struct aclf_catalog *cat;
	const struct aclf_topology *topo;
	struct aclf_policy *pol;            /* output; its arena holds everything */
	struct aclf_arena *a;               /* == &pol->arena */
	struct aclf_arena tmp;              /* one filter's scratch, released after it */
	struct aclf_intern *in;             /* the policy's sets, each once (in *a) */
	struct aclf_setmemo *memo;          /* unions and intersections already made */
	struct cpeer *pool_peers;           /* cc_pool_peer per pool and with_vip (memo) */
	bool *pool_peer_done;
	struct cpeer *vip_peers;            /* a pool's VIP as a destination, per pool (memo) */
	struct cpeer *gw_peers;             /* a mediation pool's gateways, per pool (memo) */
	struct cindexes ix;
	struct aclf_htab pool_names;        /* pool name hash -> pool (cc_pool) */
	struct cbalanced bal;               /* who balances which pool (compile_builtin.c) */
	struct ctopo_sets topo_sets;        /* cc_set's memo */
	struct cstrs strs;
	struct cptrs stable, objs;
	const char **seed_refs;             /* per catalog row, made once */
	const char **rule_ids;              /* "r0007", made once per number */
	size_t nrule_ids;
	struct cprovs pb;
	struct aclf_warnings *warn;
	struct aclf_err *err;
	struct cflow *flows;                /* catalog flows */
	size_t nflows, flows_cap;
	struct cflow *site;                 /* site rule flows, in topology order */
	size_t nsite, site_cap;
	struct cgroup *groups;              /* return-path groups of c->flows */
	size_t ngroups, groups_cap;
	struct cpeer *classes;              /* resolved peer classes, by name (memo) */
	size_t nclasses, classes_cap;
	struct creply *replies;             /* cc_reply_ports' memo */
	size_t nreplies, replies_cap;
};

/* compile_index.c */
int cc_build_index(struct cctx *c);
void cc_free_index(struct cctx *c);
/* The pool of that name (aclf_topology_pool, by hash). */
const struct aclf_pool *cc_pool(struct cctx *c, const char *name);
/* The flows (c->flows) and return groups (c->groups) that can give a rule
 * to a filter guarding prot: pools (want, npools indices; NULL: the
 * filter guards networks, every flow counts) or not. Ascending indices,
 * malloc'd (the caller frees). 0 or -1. */
int cc_filter_flows(struct cctx *c, const size_t *pools, size_t npools, bool all,
		    const struct aclf_prefix_set *prot, size_t **out, size_t *n);
int cc_filter_groups(struct cctx *c, const size_t *pools, size_t npools, bool all,
		     const struct aclf_prefix_set *prot, size_t **out, size_t *n);
/* The flows whose senders can meet prot: what a forward chain guarding
 * prot lets the guarded segment send (same contract). */
int cc_filter_flows_from(struct cctx *c, const size_t *pools, size_t npools, bool all,
			 const struct aclf_prefix_set *prot, size_t **out, size_t *n);

/* compile_peers.c */
/* The interned copy of a set (topology sets are copied into the policy). */
int cc_set(struct cctx *c, const struct aclf_prefix_set *x, struct aclf_prefix_set *out);
int cc_ports(struct cctx *c, const struct aclf_port_set *x, struct aclf_port_set *out);
int cc_peer_class(struct cctx *c, const char *cls, struct cpeer *out);
int cc_pool_peer(struct cctx *c, const struct aclf_pool *p, bool with_vip, struct cpeer *out);
int cc_endpoint(struct cctx *c, const char *ref, struct cpeer *out);
int cc_protected(struct cctx *c, const struct aclf_protect *pr, struct cpeer *out);
bool cc_pool_has_role(const struct aclf_pool *p, const char *catalog_role);
bool cc_row_to_vips(const struct aclf_cat_row *row);
bool cc_pool_mediation(const struct aclf_pool *p);
/* The pstn-gateway networks of one mediation pool (its gateways, or its site's). */
int cc_gateway_peer(struct cctx *c, const struct aclf_pool *pool, struct cpeer *out);
enum aclf_lb_mode cc_pool_mode(const struct aclf_topology *t, const struct aclf_pool *p);

/* compile_flows.c */
int cc_catalog_flows(struct cctx *c);
int cc_site_flows(struct cctx *c);
int cc_return_groups(struct cctx *c);
/* The destination ports of the replies to UDP flow f: the source ports its
 * row names, else the UDP ports the initiator listens on by the catalog
 * (its media ranges), else the Windows dynamic range. 0 or -1. */
int cc_reply_ports(struct cctx *c, const struct cflow *f, struct aclf_port_set *out);

/* compile_filter.c */
int cc_device_filters(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp,
		      bool stateful);

/* compile_prov.c */
/* The policy's one copy of s (NULL: out of memory). */
const char *cc_str(struct cctx *c, const char *s);
const char *cc_rule_id(struct cctx *c, size_t seq);
/* A rule's provenance: start, add (repeats skipped; kind and ref must stay
 * where they are while compiling), finish into r. */
void cc_prov_start(struct cctx *c);
int cc_prov_add(struct cctx *c, const char *kind, const char *ref);
int cc_add_rule_prov(struct cctx *c, const struct cflow *f, bool brief);
int cc_prov_finish(struct cctx *c, struct aclf_rule *r);
void cc_strs_release(struct cctx *c);

/* compile_builtin.c: rules for the devices around a filter, in c->tmp */
struct cbuiltin {
	int proto;
	struct aclf_prefix_set src, dst;  /* interned */
	struct aclf_port_set dports;      /* interned */
	const char *kind;                 /* "management", "load-balancer-self-ips" */
	const struct aclf_device *device; /* the device they are for */
};

struct cbuiltins {
	struct cbuiltin *v;
	size_t n, cap;
};

/* Management access to every device address prot holds, and to the
 * device itself when pr is its input chain (fails when no management
 * network exists), load-balancer self IPs to the members prot
 * holds (fails for a stateless filter when the load balancer has none). */
int cc_builtin_rules(struct cctx *c, const struct aclf_device *fdev, const struct aclf_protect *pr,
		     const char *fname, const struct aclf_prefix_set *prot, bool stateful, struct cbuiltins *out);

/* compile_lb.c */
int cc_device_lb(struct cctx *c, const struct aclf_device *dev, struct aclf_devpol *dp);
/* The ports a load balancer reaches a balanced pool's members on: every
 * service's member port and the health monitor's. */
int cc_lb_member_ports(struct cctx *c, const struct aclf_pool *p, struct aclf_port_set *out);

/* compile_check.c */
int cc_check_site_rules(struct cctx *c, const struct aclf_devpol *dp);

#endif
