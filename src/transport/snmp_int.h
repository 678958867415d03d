/* SNMP transport internals shared by snmp_session.c and snmp_run.c. */
#ifndef ACLF_SNMP_INT_H
#define ACLF_SNMP_INT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "aclforge/snmp.h"

#define SNMP_KEY_MAX 64 /* bytes of a Ku (SHA-512 is the longest) */

struct aclf_snmp {
	char *device, *host, *peer; /* peer: "udp:HOST:PORT" for Net-SNMP */
	uint16_t port;
	int version;
	char *community;
	char *user, *context;
	const oid *auth_oid, *priv_oid; /* NULL: no auth / no priv */
	size_t auth_oid_len, priv_oid_len;
	unsigned char auth_ku[SNMP_KEY_MAX], priv_ku[SNMP_KEY_MAX];
	size_t auth_ku_len, priv_ku_len;
	unsigned timeout_ms, tries, max_rep;
	/* peer holds the agent's address once resolved; until then a host
	 * name's lookup may be under way (resolve.c), given up at
	 * lookup_deadline */
	bool resolved;
	struct transport_lookup *lookup;
	int64_t lookup_deadline;
};

struct snmp_engine {
	char *peer;
	unsigned char id[32];
	size_t len;
};

struct aclf_snmp_cache {
	struct snmp_engine *v;
	size_t n, alloc;
	unsigned discoveries;
};

/* Net-SNMP started once per process: no configuration or MIB file read,
 * no persistent state loaded or saved. Returns 0 or -1. */
int snmp_lib_start(void);

const struct snmp_engine *snmp_cache_find(const struct aclf_snmp_cache *c, const char *peer);
int snmp_cache_put(struct aclf_snmp_cache *c, const char *peer, const unsigned char *id,
		   size_t len);

/* The agent's address (snmp_session.c). Start: unless it is known or
 * being looked up, a numeric host is taken at once, a name's lookup starts
 * (its deadline the agent's timeout x tries from now). 0, or -1 with err.
 * Wait: look at the lookup, waiting at most until the monotonic time
 * until: 1 still under way, 0 peer holds the address, -1 with err
 * ("resolving 'HOST': timed out after N ms", "cannot resolve 'HOST': WHY";
 * a later start looks the name up again). */
int snmp_peer_start(struct aclf_snmp *s, struct aclf_err *err);
int snmp_peer_wait(struct aclf_snmp *s, int64_t until, struct aclf_err *err);

/* A netsnmp_session for s filled in (not opened): peer, version, community
 * or USM user and keys, timeout and tries. engine (may be NULL) presets
 * the v3 engine ID. Pointers in it point into s. */
void snmp_session_fill(const struct aclf_snmp *s, netsnmp_session *ns, const unsigned char *engine,
		       size_t engine_len);

#endif
