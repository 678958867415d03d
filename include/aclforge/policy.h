/* The vendor-neutral policy (the IR): what each device must carry.
 * A struct aclf_policy owns one arena; every string and array reachable from
 * it lives there and is freed by aclf_policy_free(). */
#ifndef ACLFORGE_POLICY_H
#define ACLFORGE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"

enum aclf_action {
	ACLF_PERMIT,
	ACLF_DENY,
};

/* IP protocol numbers; ACLF_PROTO_ANY (0) matches every protocol. Other
 * numbers (e.g. 47 gre) are kept as parsed. */
enum {
	ACLF_PROTO_ANY = 0,
	ACLF_PROTO_ICMP = 1,
	ACLF_PROTO_TCP = 6,
	ACLF_PROTO_UDP = 17,
	ACLF_PROTO_ICMP6 = 58,
};

/* Where a rule came from. kind is one of "catalog" (ref = catalog row id,
 * e.g. "server-03"), "seed" (ref = "server:3"), "pool", "role", "network",
 * "server", "topology-rule" (ref = rule index or name), "return-path"
 * (ref = the rule id it answers), "device" (parsed from device text). */
struct aclf_prov {
	const char *kind;
	const char *ref;
};

/* One named component of a rule's address set. A rule whose source (or
 * destination) is the union of several named groups lists them here: its
 * src (dst) is still the merged union, and a renderer whose device can say
 * "any of these" references each part instead of writing the union out. */
struct aclf_set_part {
	const char *name;
	struct aclf_prefix_set set;
};

struct aclf_rule {
	const char *id;          /* stable id within the filter, e.g. "r0007" */
	const char *device_name; /* device's own name for the entry (IOS seq, Junos term); may be NULL */
	enum aclf_action action;
	int protocol;            /* IANA number, ACLF_PROTO_ANY = any */
	const char *src_name;    /* name of the address group, for object-groups/prefix-lists; may be NULL */
	const char *dst_name;
	struct aclf_prefix_set src; /* n == 0 never means any: use 0.0.0.0/0 and ::/0 */
	struct aclf_prefix_set dst;
	/* nsrc_parts >= 2: src is exactly the union of these named parts; 0:
	 * src is one group (src_name) or none. Likewise dst. */
	const struct aclf_set_part *src_parts;
	size_t nsrc_parts;
	const struct aclf_set_part *dst_parts;
	size_t ndst_parts;
	struct aclf_port_set src_ports; /* n == 0: any */
	struct aclf_port_set dst_ports; /* n == 0: any */
	bool established;        /* TCP only: matches ACK/RST (return traffic) */
	const char *comment;     /* free text (IOS remark, Junos term comment); may be NULL */
	int64_t hits;            /* packet counter from the device, -1 unknown */
	struct aclf_prov *prov;
	size_t nprov, prov_cap;
	/* Parsed entries whose match the neutral form cannot hold exactly
	 * (time-range, dscp, an unknown keyword): opaque is why (NULL: the rule
	 * is exact), raw the device's own text of the entry. The match fields
	 * of an opaque rule hold what was understood, a superset of what the
	 * device matches (every packet when nothing was); action, device_name
	 * and hits are the device's. Diff never calls a packet such a rule may
	 * decide the same or different: it cannot judge it. */
	const char *opaque;
	const char *raw;
};

enum aclf_binding_kind {
	ACLF_BIND_NONE = 0,
	ACLF_BIND_INTERFACE, /* name = interface or VLAN (IOS "Vlan110", Junos "ge-0/0/1.0") */
	ACLF_BIND_CHAIN,     /* name = host chain, e.g. "input" */
};

enum aclf_direction {
	ACLF_DIR_NONE = 0,
	ACLF_DIR_IN,
	ACLF_DIR_OUT,
};

struct aclf_binding {
	enum aclf_binding_kind kind;
	const char *name;
	enum aclf_direction direction;
};

struct aclf_filter {
	const char *name;
	unsigned protect;          /* compiled: 1-based index of the device's protects entry
	                            * it guards; 0 = not compiled (parsed, read from JSON) */
	struct aclf_binding binding;
	enum aclf_action default_action;
	struct aclf_rule *rules;
	size_t nrules, rules_cap;
};

enum aclf_persist_kind {
	ACLF_PERSIST_NONE = 0,
	ACLF_PERSIST_SOURCE_ADDR,
	ACLF_PERSIST_COOKIE,
};

enum aclf_snat_kind {
	ACLF_SNAT_NONE = 0,
	ACLF_SNAT_AUTOMAP,
};

struct aclf_lb_member {
	const char *name;        /* server name, may be NULL */
	struct aclf_prefix address; /* host prefix */
	uint16_t port;
};

struct aclf_lb_monitor {
	const char *type;        /* "tcp", "https", "http", or NULL for none */
	uint16_t port;           /* 0: the member's own port */
	unsigned interval, timeout; /* seconds */
};

struct aclf_lb_persist {
	enum aclf_persist_kind kind;
	uint8_t mask_len;        /* source-addr: mask length (32 = per client) */
	unsigned timeout;        /* seconds; 0 = device default */
	const char *cookie_name;
};

/* Request-level balancing with connection reuse: the balancer reads each
 * HTTP request and balances it on its own, even inside one client TCP
 * connection (Lync 2013 HLB requirements: mobile devices need "an
 * individual request" load balanced), reusing idle server-side connections
 * only for clients whose source addresses share reuse_mask_len bits (32 or
 * 128: per client address). The BIG-IP driver maps it to an http profile and
 * a oneconnect profile with that source mask. */
struct aclf_lb_request {
	bool enabled;
	uint8_t reuse_mask_len;  /* 0: connections reused across every client */
};

/* TLS terminated on the balancer: it decrypts the clients' TLS with
 * client_profile (the device's object holding the site's certificate) so
 * that it can read HTTP requests, and encrypts again towards the members
 * with server_profile. Both name objects the site keeps on the device;
 * aclforge only references them. NULL client_profile: the clients' TLS
 * passes through (the balancer sees only TCP); a parsed service may name a
 * server side alone (plain from the clients, TLS to the members). */
struct aclf_lb_tls {
	const char *client_profile;
	const char *server_profile;  /* NULL: plain text to the members */
};

struct aclf_lb_service {
	const char *name;
	const char *pool_name;   /* the balancer's pool object name */
	struct aclf_prefix vip;  /* host prefix */
	int protocol;            /* ACLF_PROTO_TCP / UDP */
	uint16_t port;
	struct aclf_lb_member *members;
	size_t nmembers, members_cap;
	struct aclf_lb_monitor monitor;
	struct aclf_lb_persist persistence;
	struct aclf_lb_request request; /* members get their own port (aclf_lb_member.port):
	                                 * 443 -> 4443 on the external web services VIP */
	struct aclf_lb_tls tls;
	enum aclf_snat_kind snat;
	unsigned idle_timeout;   /* seconds, 0 = device default */
	const char *lb_method;   /* e.g. "least-connections-member" */
	const char *vlan;        /* optional listening VLAN */
	bool no_translate_address; /* parsed: the device passes packets to the VIP itself
	                            * (BIG-IP translate-address disabled); compiled: false */
	bool no_translate_port;    /* the same for the port (translate-port disabled) */
	bool disabled;             /* parsed: a service of aclforge's own that the device keeps
	                            * but does not carry new traffic on; compiled: false */
	/* Parsed services the neutral form cannot hold exactly (a source
	 * restriction, a forwarding or reject virtual, a disabled virtual):
	 * opaque is why (NULL: the service is exact), raw the device's own
	 * text of what was not understood. Diff never calls such a service the
	 * same or different: it cannot judge it. */
	const char *opaque;
	const char *raw;
	struct aclf_prov *prov;
	size_t nprov, prov_cap;
};

struct aclf_devpol {
	const char *name;
	const char *driver;
	const char *hostname;    /* parsed: the name the text itself gives the device (IOS
	                          * hostname, Junos host-name or prompt); NULL when it gives
	                          * none, and in compiled policies */
	struct aclf_filter *filters;
	size_t nfilters, filters_cap;
	struct aclf_lb_service *lb;
	size_t nlb, lb_cap;
};

struct aclf_policy {
	struct aclf_arena arena;
	struct aclf_devpol *devices;
	size_t ndevices, devices_cap;
};

struct aclf_policy *aclf_policy_new(void);
void aclf_policy_free(struct aclf_policy *p);

/* Builders: each returns a zeroed element owned by the policy, or NULL when
 * out of memory. Pointers to earlier elements of the same array may move. */
struct aclf_devpol *aclf_policy_add_device(struct aclf_policy *p, const char *name,
					   const char *driver);
struct aclf_filter *aclf_devpol_add_filter(struct aclf_policy *p, struct aclf_devpol *d,
					   const char *name);
struct aclf_rule *aclf_filter_add_rule(struct aclf_policy *p, struct aclf_filter *f);
struct aclf_lb_service *aclf_devpol_add_lb(struct aclf_policy *p, struct aclf_devpol *d,
					   const char *name);
int aclf_rule_add_prov(struct aclf_policy *p, struct aclf_rule *r, const char *kind,
		       const char *ref);
int aclf_lb_add_prov(struct aclf_policy *p, struct aclf_lb_service *s, const char *kind,
		     const char *ref);
int aclf_lb_add_member(struct aclf_policy *p, struct aclf_lb_service *s, const char *name,
		       const struct aclf_prefix *addr, uint16_t port);

struct aclf_devpol *aclf_policy_find_device(const struct aclf_policy *p, const char *name);
/* How many rules and lb services of d are opaque (aclf_rule.opaque,
 * aclf_lb_service.opaque). */
size_t aclf_devpol_opaque_count(const struct aclf_devpol *d);

/* Names for enums, as used in JSON and text output. */
const char *aclf_action_name(enum aclf_action a);
/* "tcp", "udp", "icmp", "icmp6", "any", or the number as text in buf. */
const char *aclf_proto_name(int proto, char *buf, size_t buflen);
/* Accepts names and numbers; -1 when unknown. */
int aclf_proto_parse(const char *s);
const char *aclf_direction_name(enum aclf_direction d);
const char *aclf_persist_name(enum aclf_persist_kind k);
const char *aclf_snat_name(enum aclf_snat_kind k);

#endif
