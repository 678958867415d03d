/* SNMP transport: sessions to many agents at once (Net-SNMP's single-session
 * API in one poll loop), GETBULK walks of subtrees and GETs, handing back
 * plain varbinds (OIDs as uint32_t arrays, typed values). No driver includes
 * Net-SNMP headers: drivers decode struct aclf_snmp_vbs.
 *
 * What it does: SNMPv2c and SNMPv3 (USM noAuthNoPriv, authNoPriv and
 * authPriv; MD5, SHA and SHA-2 authentication, DES and AES privacy), numeric
 * OIDs only (no MIB file or configuration file is read), per-agent timeout,
 * tries and GETBULK max-repetitions (halved on tooBig down to 1). Walks
 * of one job whose roots differ only in their last sub-identifier (columns
 * of one table) go out together, one GETBULK with a varbind per column.
 * Every agent's requests go out together: at most ACLF_SNMP_INFLIGHT
 * requests in flight per agent, ACLF_SNMP_ADDR_INFLIGHT per agent address
 * (sessions to one address and port share one agent process and its socket
 * buffer) and a cap over all agents, all agents in one loop, so a dead,
 * slow or refusing agent delays nobody but itself. SNMPv3 engine IDs are discovered with a
 * request of their own in the same loop (Net-SNMP's built-in discovery
 * would block every other agent) and kept in a struct aclf_snmp_cache for
 * the run.
 *
 * Every failure is recorded in the job's own err with aclf_err_remote():
 * the device name, the OID asked for as the command ("walk 1.3.6.1...",
 * "get 1.3.6.1...", "engine ID discovery") and the cause: timeout, the
 * agent's USM report (unknown user name, wrong digest = authentication
 * failure, decryption error, unsupported security level), an error status
 * (tooBig at max-repetitions 1, genErr, ...), noSuchObject/noSuchInstance.
 * Kinds: ACLF_E_TRANSPORT (network, SNMP), ACLF_E_INPUT (options),
 * ACLF_E_NOMEM. A wrong value type is the decoders' to report (see
 * aclf_snmp_vb_counter).
 *
 * Global state: Net-SNMP's own, started once per process (the first
 * aclf_snmp_new or aclf_snmp_run; no file read, nothing persistent written,
 * its log discarded). Its USM user table is per process, keyed by engine ID
 * and user name: jobs that share both but not their keys run one after the
 * other within a run. Run one aclf_snmp_run at a time per process. */
#ifndef ACLFORGE_SNMP_H
#define ACLFORGE_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/err.h"

struct aclf_device;

#define ACLF_SNMP_MAX_OID 128u         /* sub-identifiers of one OID (Net-SNMP's cap) */
#define ACLF_SNMP_TIMEOUT_MS 1000u
#define ACLF_SNMP_TRIES 3u
/* Values one GETBULK asks for when the device sets no max-repetitions:
 * max-repetitions is this over the number of columns walked together.
 * snmpsim answers at most 64 (its --max-varbinds), Net-SNMP's snmpd 100
 * (maxGetbulkResponses); an agent that answers fewer is read on. */
#define ACLF_SNMP_PDU_VARBINDS 64u
#define ACLF_SNMP_INFLIGHT 2u          /* requests in flight per agent */
/* Requests in flight per agent address (address and port: the sessions of
 * many communities, contexts or device entries of one agent process).
 * Measured on loopback, 1,000 sessions to one snmpd (119,000 values, two
 * runs each, a loaded 2-CPU machine): 256 or more out lost requests in
 * snmpd's 212,992-byte socket buffer (62 tries timed out at 256, 300-900
 * at 512-1,024, each costing its 5 s timeout); 16 to 64 took 1.4-2.0 s
 * with none lost, 8 took 2.1-2.2 s and 4 2.4-2.8 s (the agent idles
 * between answers). 1,000 snmpsim agents in one process took no longer at
 * 4 to 64 beyond the machine's noise. 32: a factor of 8 below the loss, at
 * snmpd's best. */
#define ACLF_SNMP_ADDR_INFLIGHT 32u
#define ACLF_SNMP_MAX_INFLIGHT 256u    /* requests in flight over all agents */
#define ACLF_SNMP_MAX_VALUES 1000000u  /* values one job may collect */

/* ---- values ---- */

enum aclf_snmp_type {
	ACLF_SNMP_INTEGER = 1, /* INTEGER / Integer32: i */
	ACLF_SNMP_OCTETS,      /* OCTET STRING: str */
	ACLF_SNMP_NULL,
	ACLF_SNMP_OBJID,       /* OBJECT IDENTIFIER: str holds the sub-ids as text */
	ACLF_SNMP_IPADDR,      /* IpAddress: str, 4 bytes */
	ACLF_SNMP_COUNTER32,   /* u */
	ACLF_SNMP_GAUGE32,     /* u (also Unsigned32) */
	ACLF_SNMP_TIMETICKS,   /* u, hundredths of a second */
	ACLF_SNMP_OPAQUE,      /* str */
	ACLF_SNMP_COUNTER64,   /* u */
	ACLF_SNMP_NOSUCHOBJECT,
	ACLF_SNMP_NOSUCHINSTANCE,
	ACLF_SNMP_ENDOFMIB,
	ACLF_SNMP_OTHER,       /* a type this layer does not model */
};

/* One variable binding. oid and str point into memory the list owns. */
struct aclf_snmp_vb {
	uint32_t *oid;
	size_t oid_len;
	enum aclf_snmp_type type;
	uint64_t u;   /* COUNTER32, GAUGE32, TIMETICKS, COUNTER64 */
	int64_t i;    /* INTEGER */
	uint8_t *str; /* OCTETS, IPADDR, OPAQUE, OBJID; NUL-terminated copy */
	size_t str_len;
};

struct aclf_snmp_vbs_blk;

/* The OIDs and strings of a list's varbinds live in blocks the list owns
 * (few allocations per walk, none per value). */
struct aclf_snmp_vbs {
	struct aclf_snmp_vb *v;
	size_t n, alloc;
	struct aclf_snmp_vbs_blk *blk; /* the block being filled, then the others */
};

void aclf_snmp_vbs_init(struct aclf_snmp_vbs *l);
void aclf_snmp_vbs_release(struct aclf_snmp_vbs *l);
/* Append a copy (oid_len at most ACLF_SNMP_MAX_OID). Returns 0 or -1 (no
 * memory, OID too long). */
int aclf_snmp_vbs_add(struct aclf_snmp_vbs *l, const uint32_t *oid, size_t oid_len,
		      enum aclf_snmp_type type, uint64_t u, int64_t i, const void *str,
		      size_t str_len);
/* Move all of src's varbinds to the end of dst; src is left empty. */
int aclf_snmp_vbs_splice(struct aclf_snmp_vbs *dst, struct aclf_snmp_vbs *src);

/* "counter64", "octet string", ... for messages. */
const char *aclf_snmp_type_name(enum aclf_snmp_type t);

/* A counter value: Counter32, Counter64 and Gauge32 accepted alike (MIBs
 * say one, devices send another). Returns 0 and *out, or -1 for any other
 * type (noSuchObject, a string, ...): the caller names the OID and
 * aclf_snmp_type_name(vb->type) as the wrong type. */
int aclf_snmp_vb_counter(const struct aclf_snmp_vb *vb, uint64_t *out);

/* ---- OIDs ---- */

/* "1.3.6.1.2.1.1.3.0" (a leading '.' allowed) into out[max]. Returns the
 * number of sub-identifiers, or -1 (empty, not numeric, a sub-id over
 * 2^32-1, more than max). */
int aclf_snmp_oid_parse(const char *text, uint32_t *out, size_t max);
/* Dotted text of oid into buf (always NUL-terminated, "..." when cut). */
const char *aclf_snmp_oid_str(const uint32_t *oid, size_t len, char *buf, size_t size);
/* Does oid lie in the subtree root (oid starts with root, and is longer)? */
bool aclf_snmp_oid_under(const uint32_t *oid, size_t len, const uint32_t *root, size_t rlen);
int aclf_snmp_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);

/* A length-prefixed string index (SMIv2 OCTET STRING index without
 * IMPLIED): at *pos, a length n then n sub-identifiers, each a byte
 * (0-255). Copies the n bytes and a NUL to out[size] and advances *pos.
 * Returns n, or -1 when the index is cut short, a sub-id is over 255, the
 * name holds NUL or it does not fit out. */
int aclf_snmp_index_string(const uint32_t *oid, size_t len, size_t *pos, char *out,
			   size_t size);
/* Encode s as such an index after prefix; -1 when it would pass
 * ACLF_SNMP_MAX_OID sub-identifiers. */
int aclf_snmp_index_encode(uint32_t *oid, size_t *len, const char *s);

/* ---- comparing two readings of a counter ---- */

enum aclf_snmp_delta_kind {
	ACLF_SNMP_DELTA_OK,      /* later >= earlier, same agent life */
	ACLF_SNMP_DELTA_WRAP,    /* the counter passed its maximum once: delta
	                          * computed modulo 2^32 (Counter32) or 2^64 */
	ACLF_SNMP_DELTA_RESTART, /* sysUpTime went back: the agent restarted,
	                          * delta = the later reading (counted since) */
};

/* Readings a (earlier) and b (later), each with the agent's sysUpTime
 * (hundredths of a second, as TimeTicks) and counter width (32 or 64,
 * from the value's type). A counter that fell with sysUpTime still rising
 * is a wrap of its width; when sysUpTime fell it is a restart. A width
 * change between readings counts as a restart (the agent changed). */
enum aclf_snmp_delta_kind aclf_snmp_delta(uint64_t a, uint64_t a_uptime, unsigned a_bits,
					  uint64_t b, uint64_t b_uptime, unsigned b_bits,
					  uint64_t *delta);

/* ---- sessions ---- */

/* How to reach one agent. Strings are copied by aclf_snmp_new(). */
struct aclf_snmp_opts {
	const char *device;        /* name in messages; NULL: host */
	const char *host;          /* address or name (required) */
	uint16_t port;             /* 0: 161 */
	int version;               /* 2 (v2c) or 3 */
	const char *community;     /* v2c: the community itself (resolved) */
	const char *user;          /* v3: USM user name */
	const char *auth_proto;    /* v3: NULL (noAuthNoPriv), "md5", "sha", "sha224",
	                            * "sha256", "sha384", "sha512" */
	const char *auth_pass;     /* v3: the passphrase itself (resolved) */
	const char *priv_proto;    /* v3: NULL (no privacy), "des", "aes" (= "aes128"),
	                            * "aes192", "aes256" */
	const char *priv_pass;
	const char *context;       /* v3 context name; NULL: "" */
	unsigned timeout_ms;       /* per try; 0: ACLF_SNMP_TIMEOUT_MS */
	unsigned tries;            /* sends per request; 0: ACLF_SNMP_TRIES */
	unsigned max_repetitions;  /* GETBULK max-repetitions; 0: the transport's choice
	                            * (ACLF_SNMP_PDU_VARBINDS over the columns walked,
	                            * fewer when the same walk at another agent of the
	                            * run ended sooner) */
};

/* Secrets resolved for one device's options (held until cleared). */
struct aclf_snmp_secrets {
	char *community, *auth, *priv;
};

/* The options a topology device gives (dev->snmp: version, port,
 * community, user, auth, priv; host and name): secrets are resolved through
 * the secret resolver into sec. Returns 0, or -1 with err set (no snmp
 * settings, a secret that does not resolve). */
int aclf_snmp_opts_from_device(struct aclf_snmp_opts *o, struct aclf_snmp_secrets *sec,
			       const struct aclf_device *dev, struct aclf_err *err);
/* Wipe and free. */
void aclf_snmp_secrets_clear(struct aclf_snmp_secrets *sec);

struct aclf_snmp;

/* An agent's session (nothing is sent yet). Checks the options and derives
 * the USM keys from the passphrases. A numeric host is taken at once; a
 * host name's lookup starts here, in a thread of its own, and is not
 * waited for: aclf_snmp_run takes its answer (so the names of many
 * sessions are looked up at the same time), and it is given up
 * timeout_ms x tries after this call. Returns 0 and *out, or -1 with err
 * set (ACLF_E_INPUT: a missing host, an unknown protocol, a passphrase
 * under 8 characters; ACLF_E_TRANSPORT: a numeric host getaddrinfo
 * refuses, no thread for the lookup). aclf_snmp_free lets go of a lookup
 * still under way (it ends by itself). */
int aclf_snmp_new(const struct aclf_snmp_opts *o, struct aclf_snmp **out, struct aclf_err *err);
/* NULL is a no-op. */
void aclf_snmp_free(struct aclf_snmp *s);
const char *aclf_snmp_device(const struct aclf_snmp *s);

/* SNMPv3 engine IDs by agent address, for one run. */
struct aclf_snmp_cache;
struct aclf_snmp_cache *aclf_snmp_cache_new(void);
void aclf_snmp_cache_free(struct aclf_snmp_cache *c);
/* Number of engine IDs discovered over the network so far (not served
 * from the cache). */
unsigned aclf_snmp_cache_discoveries(const struct aclf_snmp_cache *c);

/* ---- jobs: what to read from each agent ---- */

/* One request stream: a walk of a subtree (GETBULK until the answers leave
 * it) or one GET. */
struct aclf_snmp_req {
	uint32_t oid[ACLF_SNMP_MAX_OID];
	size_t oid_len;
	bool get;
};

/* Parse "1.3.6.1..." into r (walk, or get). Returns 0 or -1. */
int aclf_snmp_req_set(struct aclf_snmp_req *r, const char *oid, bool get);

struct aclf_snmp_job {
	struct aclf_snmp *snmp;             /* the agent (required) */
	const struct aclf_snmp_req *reqs;   /* what to read */
	size_t nreqs;
	/* Results: vbs holds every answer, request by request in reqs order,
	 * each walk's in OID order; on failure it is emptied. */
	struct aclf_snmp_vbs vbs;
	int rc;                 /* 0, or -1 with err set */
	struct aclf_err err;
	unsigned requests;      /* PDUs sent (a tooBig resend counts; Net-SNMP's
	                         * retransmissions do not) */
	unsigned resends;       /* tries that timed out and were sent again (the
	                         * last try's timeout, which fails the job, is
	                         * not counted) */
	int64_t done_ms;        /* CLOCK_MONOTONIC ms when the job ended */
	void *internal;         /* the transport's (NULL outside aclf_snmp_run) */
};

void aclf_snmp_job_init(struct aclf_snmp_job *j, struct aclf_snmp *s,
			const struct aclf_snmp_req *reqs, size_t nreqs);
void aclf_snmp_job_release(struct aclf_snmp_job *j);

/* Options of one run; zero means the default. */
struct aclf_snmp_run_opts {
	unsigned max_inflight; /* requests in flight over all agents: 0,
	                        * ACLF_SNMP_MAX_INFLIGHT. Agents beyond it wait
	                        * their turn rather than flood the local socket
	                        * buffers */
	unsigned max_per_addr; /* requests in flight per agent address: 0,
	                        * ACLF_SNMP_ADDR_INFLIGHT. A request whose first
	                        * try timed out no longer counts (the agent has
	                        * dropped or ignored it), so silent sessions hold
	                        * an address's turn for one timeout at most */
};

/* Run all jobs together until each has ended (done or failed), at most
 * ACLF_SNMP_INFLIGHT requests in flight per agent, ro->max_per_addr per
 * agent address ("udp:ADDRESS:PORT", a host name once looked up) and
 * ro->max_inflight in all (ro may be NULL). A job's timeouts count from its own sends, so a job
 * waiting for a free slot is not timing out. A job whose host name is
 * still being looked up (aclf_snmp_new) waits for the answer while the
 * others are polled; a name that does not resolve in the agent's
 * timeout_ms x tries fails that job alone ("resolving 'NAME': timed out
 * after N ms", "cannot resolve 'NAME': WHY", the device named), and a
 * later run looks it up again. cache may be NULL (one for
 * this call). Returns the number of failed jobs (each job's err says
 * why), or -1 with err set when the run itself could not start (no memory,
 * Net-SNMP failed to start). Jobs may share an agent only one at a time
 * (different aclf_snmp_run calls). */
int aclf_snmp_run(struct aclf_snmp_job *jobs, size_t n, struct aclf_snmp_cache *cache,
		  const struct aclf_snmp_run_opts *ro, struct aclf_err *err);

/* CLOCK_MONOTONIC in ms (the clock of done_ms). */
int64_t aclf_snmp_now_ms(void);

#endif
