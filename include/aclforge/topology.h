/* The topology: sites, pools and servers by role, VIPs, load-balancing mode,
 * named networks, client media port settings, site rules and devices.
 * Format documented in inventory/README.md. */
#ifndef ACLFORGE_TOPOLOGY_H
#define ACLFORGE_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"

struct aclf_err;

struct aclf_pos {
	unsigned line, col;
};

enum aclf_lb_mode {
	ACLF_LB_HARDWARE, /* hardware load balancing only */
	ACLF_LB_DNS,      /* DNS load balancing (HLB only for web ports) */
};

struct aclf_site {
	const char *name;
	enum aclf_lb_mode load_balancing;
	struct aclf_pos pos;
};

struct aclf_server {
	const char *name;
	struct aclf_prefix_set addrs; /* host prefixes, v4 and/or v6 */
	struct aclf_pos pos;
};

/* Pool roles (normalized names as in the catalog). */
enum aclf_role {
	ACLF_ROLE_FRONT_END,
	ACLF_ROLE_DIRECTOR,
	ACLF_ROLE_MEDIATION,
	ACLF_ROLE_PERSISTENT_CHAT,
	ACLF_ROLE_OFFICE_WEB_APPS,
	ACLF_ROLE_EDGE_INTERNAL,
};

/* TLS termination on a load balancer: names of profiles that already exist
 * on the device (the site's certificate lives there; aclforge neither
 * creates nor deletes them). client_profile terminates the clients' TLS
 * on the internal web services VIP; external_client_profile on the
 * external web services VIP (NULL: client_profile); server_profile
 * encrypts again towards the members (required: Lync's web services listen
 * on HTTPS only). set is false when the topology names none. */
struct aclf_tls_conf {
	bool set;
	const char *client_profile;
	const char *external_client_profile;
	const char *server_profile;
	struct aclf_pos pos;       /* the tls key */
	struct aclf_pos client_pos, external_client_pos, server_pos;
};

struct aclf_pool {
	const char *name;
	enum aclf_role role;
	const char *site;          /* site name */
	const char *fqdn;
	const char *web_fqdn;      /* internal web services FQDN (DNS LB) */
	struct aclf_prefix_set vip; /* 0..2 host prefixes */
	struct aclf_prefix_set external_web_vip; /* 0..2 host prefixes: the external web services
	                                          * VIP (443 -> 4443, 80 -> 8080) */
	bool cms;                  /* holds the central management store */
	bool collocated_mediation;
	const char **gateways;     /* pstn-gateway networks reaching this pool (mediation), or NULL:
	                            * those of the pool's site */
	size_t ngateways;
	struct aclf_tls_conf tls;  /* front-end and director pools behind a load balancer;
	                            * unset: the balancing device's tls */
	struct aclf_server *servers;
	size_t nservers;
	struct aclf_pos pos;
};

struct aclf_network {
	const char *name;          /* e.g. "clients" */
	const char *kind;          /* peer class it stands for: clients, phones, pstn-gateway, ... */
	const char *site;          /* site name, or NULL: not tied to a site */
	struct aclf_prefix_set prefixes;
	struct aclf_pos pos;
};

struct aclf_media_range {
	uint16_t start;
	uint16_t count;
};

struct aclf_media_ports {
	bool enabled;              /* ClientMediaPortRangeEnabled */
	struct aclf_media_range audio, video, app_sharing, file_transfer;
	struct aclf_pos pos;
};

enum aclf_secret_kind {
	ACLF_SECRET_NONE = 0,
	ACLF_SECRET_FILE,
	ACLF_SECRET_ENV,
};

/* Paths (file: secrets, key_file, known_hosts) as the loader keeps them:
 * absolute (relative ones anchored at the topology file's directory by
 * aclf_topology_load), "~/..." (expanded from $HOME when the file is used),
 * or, from aclf_topology_load_mem, relative to the current directory. */
struct aclf_secret_ref {
	enum aclf_secret_kind kind;
	const char *ref;           /* path or variable name; never the secret itself */
	struct aclf_pos pos;       /* where the topology writes it */
};

struct aclf_ssh_conf {
	const char *user;
	const char *key_file;      /* NULL: use the agent when agent is true */
	bool agent;
	bool sudo;                 /* run privileged commands through `sudo -n` */
	uint16_t port;             /* default 22 */
	const char *known_hosts;
	struct aclf_secret_ref password;
	struct aclf_pos key_pos, known_hosts_pos;
};

/* Bounds of a device's snmp timing keys (inventory/README.md). */
#define ACLF_SNMP_CONF_TIMEOUT_MIN 10u
#define ACLF_SNMP_CONF_TIMEOUT_MAX 600000u
#define ACLF_SNMP_CONF_RETRIES_MAX 10u
#define ACLF_SNMP_CONF_REPS_MAX 1000u

struct aclf_snmp_conf {
	int version;               /* 0 = none, 2 = v2c, 3 = v3 */
	uint16_t port;             /* default 161 */
	struct aclf_secret_ref community;
	const char *user;
	const char *auth_proto;    /* md5, sha, sha256, ... */
	struct aclf_secret_ref auth;
	const char *priv_proto;    /* des, aes, ... */
	struct aclf_secret_ref priv;
	unsigned timeout_ms;       /* per try; 0: the transport's default */
	unsigned tries;            /* sends per request (retries + 1); 0: the default */
	unsigned max_reps;         /* first GETBULK size (max-repetitions); 0: the default */
};

struct aclf_protect {
	const char **pools;        /* pool names */
	size_t npools;
	const char **servers;      /* server names */
	size_t nservers;
	const char **networks;     /* network names (e.g. clients, for client ports) */
	size_t nnetworks;
	const char *interface;     /* interface or VLAN; NULL for host chains */
	const char *chain;         /* host chain, e.g. "input" */
	int direction;             /* enum aclf_direction from policy.h */
	const char *filter_name;   /* optional explicit name */
	struct aclf_pos pos;
};

struct aclf_device {
	const char *name;
	const char *driver;        /* ios, junos, bigip, nftables */
	const char *host;          /* management address */
	struct aclf_ssh_conf ssh;
	struct aclf_snmp_conf snmp;
	struct aclf_protect *protects;
	size_t nprotects;
	const char **balances;     /* pool names */
	size_t nbalances;
	const char *vlan;          /* bigip: listening VLAN for virtual servers, optional */
	struct aclf_prefix_set self_ips; /* bigip: self IPs and SNAT addresses towards the members */
	struct aclf_tls_conf tls;  /* load balancers: the default for the pools it balances */
	struct aclf_pos pos;
};

/* An endpoint reference in a site rule: "networks.NAME", "pools.NAME",
 * "servers.NAME", "any" or a literal prefix. */
struct aclf_topo_rule {
	int action;                /* enum aclf_action */
	int protocol;              /* IANA number */
	const char *from, *to;     /* as written */
	struct aclf_port_set ports; /* destination ports, empty = any */
	const char *why;
	struct aclf_pos pos;
};

struct aclf_topology {
	struct aclf_arena arena;
	const char *path;
	const char *catalog;       /* the first of catalogs */
	const char **catalogs;     /* as written: bundled names or paths, compiled together */
	size_t ncatalogs;
	struct aclf_site *sites;
	size_t nsites;
	struct aclf_pool *pools;
	size_t npools;
	struct aclf_network *networks;
	size_t nnetworks;
	struct aclf_media_ports media;
	bool media_set;            /* client_media_ports present */
	bool allow_optional_5060;  /* include the optional 5060 rows */
	bool opt_xmpp;             /* options.xmpp: the XMPP gateway rows */
	bool opt_centralized_logging; /* options.centralized_logging: the CLS agent rows */
	struct aclf_port_range rpc_dynamic; /* Windows dynamic port range (RPC, replies) */
	uint16_t sql_port;         /* the SQL back end's port */
	struct aclf_device *devices;
	size_t ndevices;
	struct aclf_topo_rule *rules;
	size_t nrules;
};

/* The name of a topology read from standard input, in messages. */
#define ACLF_TOPOLOGY_STDIN "<stdin>"

/* Load a topology file; path "-" reads standard input (named
 * ACLF_TOPOLOGY_STDIN; its relative paths are taken from the current
 * directory). Relative paths of a file are taken from its directory. */
struct aclf_topology *aclf_topology_load(const char *path, struct aclf_err *err);
struct aclf_topology *aclf_topology_load_mem(const char *data, size_t len, const char *name,
					     struct aclf_err *err);
void aclf_topology_free(struct aclf_topology *t);

const struct aclf_pool *aclf_topology_pool(const struct aclf_topology *t, const char *name);
const struct aclf_network *aclf_topology_network(const struct aclf_topology *t, const char *name);
const struct aclf_device *aclf_topology_device(const struct aclf_topology *t, const char *name);
const struct aclf_site *aclf_topology_site(const struct aclf_topology *t, const char *name);
/* Finds the server and, optionally, its pool. */
const struct aclf_server *aclf_topology_server(const struct aclf_topology *t, const char *name,
					       const struct aclf_pool **pool);
const char *aclf_role_name(enum aclf_role r);
int aclf_role_parse(const char *s, enum aclf_role *out);

#endif
