/* Cisco IOS / IOS-XE driver internals, shared by drivers/ios/ios_*.c only.
 *
 * Render: named extended ACLs (one IPv4 list NAME and one IPv6 list NAME-V6
 * per filter), IPv4 object-groups, interface bindings. Parse: running-config
 * and show access-lists output back into one filter per binding point (and
 * one per list bound nowhere). See drivers/ios/README.md. */
#ifndef ACLFORGE_IOS_H
#define ACLFORGE_IOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/setid.h"

struct aclf_device;
struct aclf_devpol;

/* Suffix of the IPv6 list rendered for a filter (filter "FE-IN" gives the
 * IPv4 list "FE-IN" and the IPv6 list "FE-IN-V6"). */
#define IOS_V6_SUFFIX "-V6"
/* IOS limits a remark to 100 characters. */
#define IOS_REMARK_MAX 100

/* What parse writes into the rules it makes up, and the plan reads back
 * (ios_bind.c, ios_build.c, ios_plan.c): the provenance ref of the rule
 * standing for a family that has no list at a binding point, the start of
 * its comment when no list is bound (else the list named is not defined),
 * and the comment part naming the service object-group of an entry. */
#define IOS_PROV_IMPLICIT "implicit"
#define IOS_NOTE_NO_V4 "no ip access-group"
#define IOS_NOTE_NO_V6 "no ipv6 traffic-filter"
#define IOS_NOTE_SVC "object-group service "

/* ---- ios_ports.c: keyword tables ---------------------------------------- */

/* Port keyword for proto (ACLF_PROTO_TCP or ACLF_PROTO_UDP; tcp-udp entries
 * pass 0 and accept a name of either table). Returns 0 and sets *port, or
 * -1 when name is not a keyword of that protocol. */
int ios_port_keyword(int proto, const char *name, uint16_t *port);
/* Keyword IOS shows for a port, or NULL (numbers without a keyword). */
const char *ios_port_name(int proto, uint16_t port);
/* ICMP message name (family 4: icmp, 6: icmpv6); returns true when known. */
bool ios_icmp_type_known(uint8_t family, const char *name);
/* Protocol keyword of an ACE in a family-4 or family-6 list: "ip"/"ipv6"
 * (= any), "tcp", "icmp" (1 in IPv4, 58 in IPv6), ..., or a number 0-255.
 * Returns the protocol number or -1. */
int ios_proto_parse(uint8_t family, const char *s);
/* Keyword used when rendering proto in a family's list, or NULL when the
 * number is to be printed. */
const char *ios_proto_keyword(uint8_t family, int proto);
/* Decimal without sign or leading junk, at most max; 0 ok, -1 otherwise. */
int ios_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* ---- ios_render*.c ------------------------------------------------------- */

int ios_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err);

/* Render with options (the plan's versioned text); ios_render is
 * ios_render_ex with none. */
struct ios_render_opts {
	const char *og_suffix;  /* appended to every object-group name; NULL: none */
	const char *preamble;   /* lines written after the header comment, before
				 * the object-groups; NULL: none */
};
int ios_render_ex(const struct aclf_devpol *dp, const struct ios_render_opts *o,
		  struct aclf_buf *out, struct aclf_err *err);

/* The plan op (ios_plan.c, README.md "Plan"). 0, or -1 with err set. */
int ios_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	     const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err);

/* Object-group registry used while rendering one device. Groups point at
 * the policy's sets (no copies); they are found by the set's identity
 * (content hash, aclforge/setid.h) and names by their hash, not by
 * scanning. */
struct ios_og_net {
	const char *name;
	struct aclf_prefix_set set;   /* IPv4 only */
	const char **members;         /* nmembers > 0: the group is these groups
	                               * (group-object), set their union */
	size_t nmembers;
	size_t next_same;             /* the next group of the same set, or SIZE_MAX */
	size_t last_same;             /* in the first group of a set: the last one */
};

struct ios_og_svc {
	const char *name;
	int proto;                    /* ACLF_PROTO_TCP or ACLF_PROTO_UDP */
	struct aclf_port_set sports;  /* n == 0: any */
	struct aclf_port_set dports;
};

struct ios_ogs {
	struct aclf_arena *a;
	const char *suffix;           /* appended to every name ("" or NULL: none) */
	struct ios_og_net *net;
	size_t nnet, net_cap;
	struct ios_og_svc *svc;
	size_t nsvc, svc_cap;
	struct aclf_setid ids;        /* set identities */
	struct aclf_htab net_by_set;  /* set hash -> first group of that set */
	struct aclf_htab svc_by_ports; /* proto and ports hash -> service group */
	struct aclf_htab names;       /* name hash -> 2 * group (+1: service group) */
};

/* Free the registry's lookups (its groups live in g->a). */
void ios_ogs_release(struct ios_ogs *g);

/* Name of the network group holding set (IPv4, more than one prefix),
 * registering it on first use. want is the rule's src_name/dst_name or
 * NULL. Returns NULL when out of memory. */
const char *ios_ogs_net(struct ios_ogs *g, const char *want, const struct aclf_prefix_set *set);
/* Name of the network group for a rule side that is a union of named parts
 * (struct aclf_set_part): each part's IPv4 members become a group of their
 * own, and the side a group of those (group-object), so the union is never
 * written out. set is the side's IPv4 members (its identity); want as for
 * ios_ogs_net. With one part holding IPv4 members, that part's group.
 * Returns NULL when out of memory. */
const char *ios_ogs_net_parts(struct ios_ogs *g, const char *want, const struct aclf_prefix_set *set,
			      const struct aclf_set_part *parts, size_t nparts);
/* Name of the service group for proto with these port sets. */
const char *ios_ogs_svc(struct ios_ogs *g, int proto, const struct aclf_port_set *sports,
			const struct aclf_port_set *dports);
/* Append the object-group definitions. 0 or -1 (no memory). */
int ios_ogs_write(const struct ios_ogs *g, struct aclf_buf *out);
/* Append a port spec " eq P" / " range A B" for one range. */
int ios_put_range(struct aclf_buf *b, const struct aclf_port_range *r);
/* Copy s into out (size outlen) keeping [A-Za-z0-9_.-] and replacing others
 * by '_'; never empty. */
void ios_safe_name(const char *s, char *out, size_t outlen);
/* Remark text for a rule from its id, provenance and comment; "" when
 * there is nothing to say. out holds at least IOS_REMARK_MAX + 1 bytes. */
void ios_remark_text(const struct aclf_rule *r, char *out, size_t outlen);

/* ---- ios_parse*.c -------------------------------------------------------- */

/* name: the device name to record; label: the input in messages; strict:
 * an entry the neutral form cannot hold exactly is an error, not opaque */
int ios_parse(const char *text, size_t len, const char *name, const char *label, bool strict,
	      struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err);

/* ---- ios_push.c: fetch and safe apply over the shell (driver.h) --------- */

struct aclf_ssh;
struct aclf_txn;
struct aclf_apply_opts;
int ios_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
	      struct aclf_err *err);
int ios_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	     const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
int ios_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		struct aclf_err *err);
int ios_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		 struct aclf_err *err);
int ios_script(const struct aclf_buf *plan, const char *running, const struct aclf_device *dev,
	       struct aclf_buf *out, struct aclf_err *err);

/* ---- ios_cnt*.c: counters (driver.h counters_read, counters_cli, counters) */

struct aclf_cli_capture;
struct aclf_counters;
struct aclf_snmp_vbs;
/* the show commands of the CLI counters */
extern const char IOS_CNT_RUN[], IOS_CNT_ACL[], IOS_CNT_OG[];
int ios_counters_read(struct aclf_ssh *ssh, const struct aclf_device *dev,
		      struct aclf_cli_capture *cap, struct aclf_err *err);
/* IF-MIB walks and their mapping to the bound interfaces (ios_cnt_if.c) */
extern const char *const ios_if_walks[];
int ios_counters_if(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		    const struct aclf_devpol *intended, struct aclf_counters *out,
		    struct aclf_err *err);
int ios_counters_cli(const struct aclf_cli_capture *cap, const struct aclf_device *dev,
		     const struct aclf_devpol *intended, struct aclf_counters *out,
		     struct aclf_err *err);

/* A topology's interface name against the way IOS prints interface types
 * (ios_ifname.c): NULL when it is spelled so (or its type is one the table
 * does not know), else what to write instead, for "expected %s". */
const char *ios_ifname_check(const char *name);

#endif
