/* An agent's session settings: options checked, secrets resolved from the
 * topology, USM keys derived once; Net-SNMP started without reading MIB or
 * configuration files; the run's engine ID cache. */
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/secret.h"
#include "aclforge/topology.h"
#include "resolve.h"
#include "snmp_int.h"

int64_t aclf_snmp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the library, once ---- */

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_rc = -1;

static void lib_start_once(void)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT,
			   NETSNMP_OID_OUTPUT_NUMERIC);
	/* no MIB directory: the MIB tree stays empty, OIDs are numbers only */
	netsnmp_set_mib_directory("");
	/* Net-SNMP logs to stderr when no handler is set; our errors carry
	 * its words instead */
	snmp_disable_log();
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	/* nothing persistent: the certificate index init would create
	 * PERSISTENT_DIR/cert_indexes; under /dev/null nothing can be made */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, "/dev/null");
	init_snmp("aclforge");
	lib_rc = 0;
}

int snmp_lib_start(void)
{
	pthread_once(&lib_once, lib_start_once);
	return lib_rc;
}

/* ---- options ---- */

struct proto {
	const char *name;
	const oid *o;
	size_t len;
};

static const struct proto *auth_proto(const char *name)
{
	static const struct proto t[] = {
		{ "md5", usmHMACMD5AuthProtocol, OID_LENGTH(usmHMACMD5AuthProtocol) },
		{ "sha", usmHMACSHA1AuthProtocol, OID_LENGTH(usmHMACSHA1AuthProtocol) },
		{ "sha224", usmHMAC128SHA224AuthProtocol, OID_LENGTH(usmHMAC128SHA224AuthProtocol) },
		{ "sha256", usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol) },
		{ "sha384", usmHMAC256SHA384AuthProtocol, OID_LENGTH(usmHMAC256SHA384AuthProtocol) },
		{ "sha512", usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol) },
	};

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		if (!strcmp(t[k].name, name))
			return &t[k];
	return NULL;
}

static const struct proto *priv_proto(const char *name)
{
	static const struct proto t[] = {
		{ "des", usmDESPrivProtocol, OID_LENGTH(usmDESPrivProtocol) },
		{ "aes", usmAESPrivProtocol, OID_LENGTH(usmAESPrivProtocol) },
		{ "aes128", usmAESPrivProtocol, OID_LENGTH(usmAESPrivProtocol) },
		{ "aes192", usmAES192PrivProtocol, OID_LENGTH(usmAES192PrivProtocol) },
		{ "aes256", usmAES256PrivProtocol, OID_LENGTH(usmAES256PrivProtocol) },
	};

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		if (!strcmp(t[k].name, name))
			return &t[k];
	return NULL;
}

void aclf_snmp_free(struct aclf_snmp *s)
{
	if (!s)
		return;
	transport_resolve_drop(s->lookup);
	free(s->device);
	free(s->host);
	free(s->peer);
	if (s->community) {
		explicit_bzero(s->community, strlen(s->community));
		free(s->community);
	}
	free(s->user);
	free(s->context);
	explicit_bzero(s->auth_ku, sizeof(s->auth_ku));
	explicit_bzero(s->priv_ku, sizeof(s->priv_ku));
	free(s);
}

const char *aclf_snmp_device(const struct aclf_snmp *s)
{
	return s->device;
}

static int new_fail(struct aclf_snmp *s, struct aclf_err *err, const char *dev, const char *fmt,
		    const char *arg)
{
	aclf_err_remote(err, ACLF_E_INPUT, dev, NULL, fmt, arg);
	aclf_snmp_free(s);
	return -1;
}

/* The agent's address in Net-SNMP's transport specifier. Net-SNMP would
 * look a host name up itself each time a session opens, with getaddrinfo
 * and no bound, so the name is resolved here, once, within the agent's
 * own budget (timeout x tries; resolve.c), and Net-SNMP is given the
 * address. The lookup starts when the session is made and is waited for
 * by the run (snmp_run.c), so the names of many agents are looked up at
 * once. A name is looked up in IPv4, as `udp:NAME` was; an IPv6 address
 * goes in brackets. */
static unsigned budget_ms(const struct aclf_snmp *s)
{
	uint64_t ms = (uint64_t)s->timeout_ms * s->tries;

	return ms > 600000u ? 600000u : (unsigned)ms;
}

static int peer_from(struct aclf_snmp *s, struct addrinfo *res, struct aclf_err *err)
{
	bool v6 = strchr(s->host, ':') != NULL;
	char addr[NI_MAXHOST], peer[300];
	int rc;

	rc = getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc)
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				       "snmp: the address of '%s': %s", s->host, gai_strerror(rc));
	snprintf(peer, sizeof(peer), v6 ? "udp6:[%s]:%u" : "udp:%s:%u", addr, (unsigned)s->port);
	free(s->peer);
	s->peer = strdup(peer);
	if (!s->peer)
		return aclf_err_nomem(err);
	s->resolved = true;
	return 0;
}

int snmp_peer_start(struct aclf_snmp *s, struct aclf_err *err)
{
	bool v6 = strchr(s->host, ':') != NULL;
	struct addrinfo hints = { .ai_family = v6 ? AF_INET6 : AF_INET, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL;

	if (s->resolved || s->lookup)
		return 0;
	s->lookup_deadline = transport_now_ms() + budget_ms(s);
	if (transport_resolve_start(s->device, s->host, NULL, &hints, &res, &s->lookup, err) < 0)
		return -1;
	return res ? peer_from(s, res, err) : 0;
}

int snmp_peer_wait(struct aclf_snmp *s, int64_t until, struct aclf_err *err)
{
	struct addrinfo *res = NULL;
	int rc;

	if (s->resolved)
		return 0;
	if (!s->lookup)
		return aclf_err_remote(err, ACLF_E_BUG, s->device, NULL,
				       "snmp: '%s' is not being looked up", s->host);
	rc = transport_resolve_wait(s->lookup, s->device, until, s->lookup_deadline, budget_ms(s),
				    &res, err);
	if (rc == 1)
		return 1;
	s->lookup = NULL; /* answered or given up: let go */
	return rc < 0 ? -1 : peer_from(s, res, err);
}

/* Options checked: the agent's address last (it may start a lookup). */
static int new_done(struct aclf_snmp *s, struct aclf_snmp **out, struct aclf_err *err)
{
	if (snmp_peer_start(s, err) < 0) {
		aclf_snmp_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int aclf_snmp_new(const struct aclf_snmp_opts *o, struct aclf_snmp **out, struct aclf_err *err)
{
	const char *dev = o->device ? o->device : o->host ? o->host : "<snmp agent>";
	struct aclf_snmp *s;
	char peer[300];

	*out = NULL;
	if (!o->host || !*o->host)
		return aclf_err_remote(err, ACLF_E_INPUT, dev, NULL, "snmp: no host to poll");
	if (strlen(o->host) > 255 || strchr(o->host, ' '))
		return aclf_err_remote(err, ACLF_E_INPUT, dev, NULL, "snmp: bad host '%.60s'", o->host);
	if (snmp_lib_start() < 0)
		return aclf_err_remote(err, ACLF_E_TRANSPORT, dev, NULL, "snmp: Net-SNMP did not start");
	s = calloc(1, sizeof(*s));
	if (!s)
		return aclf_err_nomem(err);
	s->device = strdup(dev);
	s->host = strdup(o->host);
	s->port = o->port ? o->port : 161;
	/* Net-SNMP's transport specifier; a bare IPv6 address goes in brackets */
	snprintf(peer, sizeof(peer), strchr(o->host, ':') ? "udp6:[%s]:%u" : "udp:%s:%u", o->host,
		 (unsigned)s->port);
	s->peer = strdup(peer);
	s->version = o->version;
	s->timeout_ms = o->timeout_ms ? o->timeout_ms : ACLF_SNMP_TIMEOUT_MS;
	s->tries = o->tries ? o->tries : ACLF_SNMP_TRIES;
	s->max_rep = o->max_repetitions; /* 0: the run chooses */
	if (!s->device || !s->host || !s->peer) {
		aclf_snmp_free(s);
		return aclf_err_nomem(err);
	}
	if (o->version == 2) {
		if (!o->community || !*o->community)
			return new_fail(s, err, dev, "snmp: version 2c needs a community%s", "");
		if (!(s->community = strdup(o->community))) {
			aclf_snmp_free(s);
			return aclf_err_nomem(err);
		}
		return new_done(s, out, err);
	}
	if (o->version != 3)
		return new_fail(s, err, dev, "snmp: version must be 2c or 3%s", "");
	if (!o->user || !*o->user || strlen(o->user) > 32)
		return new_fail(s, err, dev, "snmp: version 3 needs a user name of 1 to 32 characters%s",
				"");
	s->user = strdup(o->user);
	s->context = strdup(o->context ? o->context : "");
	if (!s->user || !s->context) {
		aclf_snmp_free(s);
		return aclf_err_nomem(err);
	}
	if (o->priv_proto && !o->auth_proto)
		return new_fail(s, err, dev, "snmp: privacy ('%s') needs authentication as well",
				o->priv_proto);
	if (o->auth_proto) {
		const struct proto *a = auth_proto(o->auth_proto);

		if (!a)
			return new_fail(s, err, dev,
					"snmp: unknown authentication protocol '%.20s', expected md5, "
					"sha, sha224, sha256, sha384 or sha512",
					o->auth_proto);
		if (!o->auth_pass || strlen(o->auth_pass) < 8)
			return new_fail(s, err, dev,
					"snmp: the %s passphrase needs at least 8 characters", "auth");
		s->auth_oid = a->o;
		s->auth_oid_len = a->len;
		s->auth_ku_len = sizeof(s->auth_ku);
		if (generate_Ku(a->o, (u_int)a->len, (const u_char *)o->auth_pass, strlen(o->auth_pass),
				s->auth_ku, &s->auth_ku_len) != SNMPERR_SUCCESS)
			return new_fail(s, err, dev, "snmp: cannot derive the %s key", "auth");
	}
	if (o->priv_proto) {
		const struct proto *p = priv_proto(o->priv_proto);

		if (!p)
			return new_fail(s, err, dev,
					"snmp: unknown privacy protocol '%.20s', expected des, aes, "
					"aes128, aes192 or aes256",
					o->priv_proto);
		if (!o->priv_pass || strlen(o->priv_pass) < 8)
			return new_fail(s, err, dev,
					"snmp: the %s passphrase needs at least 8 characters", "priv");
		s->priv_oid = p->o;
		s->priv_oid_len = p->len;
		/* the privacy Ku is hashed with the authentication protocol */
		s->priv_ku_len = sizeof(s->priv_ku);
		if (generate_Ku(s->auth_oid, (u_int)s->auth_oid_len, (const u_char *)o->priv_pass,
				strlen(o->priv_pass), s->priv_ku, &s->priv_ku_len) != SNMPERR_SUCCESS)
			return new_fail(s, err, dev, "snmp: cannot derive the %s key", "priv");
	}
	return new_done(s, out, err);
}

void snmp_session_fill(const struct aclf_snmp *s, netsnmp_session *ns, const unsigned char *engine,
		       size_t engine_len)
{
	snmp_sess_init(ns);
	ns->peername = s->peer;
	ns->timeout = (long)s->timeout_ms * 1000L;
	ns->retries = (int)s->tries - 1;
	if (s->version == 2) {
		ns->version = SNMP_VERSION_2c;
		ns->community = (u_char *)s->community;
		ns->community_len = strlen(s->community);
		return;
	}
	ns->version = SNMP_VERSION_3;
	ns->securityModel = SNMP_SEC_MODEL_USM;
	ns->securityName = s->user;
	ns->securityNameLen = strlen(s->user);
	ns->contextName = s->context;
	ns->contextNameLen = strlen(s->context);
	ns->securityLevel = !s->auth_oid ? SNMP_SEC_LEVEL_NOAUTH :
			    !s->priv_oid ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_AUTHPRIV;
	if (s->auth_oid) {
		ns->securityAuthProto = (oid *)s->auth_oid;
		ns->securityAuthProtoLen = s->auth_oid_len;
		memcpy(ns->securityAuthKey, s->auth_ku, s->auth_ku_len);
		ns->securityAuthKeyLen = s->auth_ku_len;
	}
	if (s->priv_oid) {
		ns->securityPrivProto = (oid *)s->priv_oid;
		ns->securityPrivProtoLen = s->priv_oid_len;
		memcpy(ns->securityPrivKey, s->priv_ku, s->priv_ku_len);
		ns->securityPrivKeyLen = s->priv_ku_len;
	}
	if (engine_len) {
		ns->securityEngineID = (u_char *)engine;
		ns->securityEngineIDLen = engine_len;
		ns->flags |= SNMP_FLAGS_DONT_PROBE;
	}
}

/* ---- from the topology ---- */

void aclf_snmp_secrets_clear(struct aclf_snmp_secrets *sec)
{
	char **all[] = { &sec->community, &sec->auth, &sec->priv };

	for (size_t k = 0; k < 3; k++) {
		if (*all[k]) {
			explicit_bzero(*all[k], strlen(*all[k]));
			free(*all[k]);
			*all[k] = NULL;
		}
	}
}

static int resolve(const struct aclf_secret_ref *ref, char **out, struct aclf_err *err)
{
	struct aclf_secret s = { NULL, 0 };

	if (ref->kind == ACLF_SECRET_NONE)
		return 0;
	if (aclf_secret_resolve(ref, &s, err) < 0)
		return -1;
	*out = s.value; /* ownership moves to the secrets struct */
	return 0;
}

int aclf_snmp_opts_from_device(struct aclf_snmp_opts *o, struct aclf_snmp_secrets *sec,
			       const struct aclf_device *dev, struct aclf_err *err)
{
	const struct aclf_snmp_conf *c = &dev->snmp;

	memset(o, 0, sizeof(*o));
	memset(sec, 0, sizeof(*sec));
	if (!c->version)
		return aclf_err_remote(err, ACLF_E_INPUT, dev->name, NULL,
				       "no 'snmp' settings in the topology");
	o->device = dev->name;
	o->host = dev->host;
	o->port = c->port;
	o->version = c->version;
	o->timeout_ms = c->timeout_ms;
	o->tries = c->tries;
	o->max_repetitions = c->max_reps;
	o->user = c->user;
	o->auth_proto = c->auth.kind ? c->auth_proto : NULL;
	o->priv_proto = c->priv.kind ? c->priv_proto : NULL;
	if (resolve(&c->community, &sec->community, err) < 0 || resolve(&c->auth, &sec->auth, err) < 0 ||
	    resolve(&c->priv, &sec->priv, err) < 0) {
		aclf_snmp_secrets_clear(sec);
		return -1;
	}
	o->community = sec->community;
	o->auth_pass = sec->auth;
	o->priv_pass = sec->priv;
	return 0;
}

/* ---- engine IDs of the run ---- */

struct aclf_snmp_cache *aclf_snmp_cache_new(void)
{
	return calloc(1, sizeof(struct aclf_snmp_cache));
}

void aclf_snmp_cache_free(struct aclf_snmp_cache *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < c->n; k++)
		free(c->v[k].peer);
	free(c->v);
	free(c);
}

unsigned aclf_snmp_cache_discoveries(const struct aclf_snmp_cache *c)
{
	return c->discoveries;
}

const struct snmp_engine *snmp_cache_find(const struct aclf_snmp_cache *c, const char *peer)
{
	for (size_t k = 0; k < c->n; k++)
		if (!strcmp(c->v[k].peer, peer))
			return &c->v[k];
	return NULL;
}

int snmp_cache_put(struct aclf_snmp_cache *c, const char *peer, const unsigned char *id, size_t len)
{
	struct snmp_engine *e;

	if (len > sizeof(e->id) || len == 0)
		return -1;
	if (snmp_cache_find(c, peer))
		return 0;
	if (c->n == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 16;
		struct snmp_engine *nv = realloc(c->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		c->v = nv;
		c->alloc = na;
	}
	e = &c->v[c->n];
	if (!(e->peer = strdup(peer)))
		return -1;
	memcpy(e->id, id, len);
	e->len = len;
	c->n++;
	return 0;
}
