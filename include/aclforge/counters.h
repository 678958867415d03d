/* Counters of one device, each mapped to the intended policy: per rule of
 * each filter (packets, bytes where the device counts them, where the
 * numbers came from, and per instance for filters a device applies once
 * per interface), per lb service and pool member. Filled by a driver's
 * counters op (include/aclforge/driver.h) from what the transport read;
 * all memory in one arena, freed by aclf_counters_release. */
#ifndef ACLFORGE_COUNTERS_H
#define ACLFORGE_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"

struct aclf_rule;
struct aclf_lb_service;

enum aclf_cnt_source {
	ACLF_CNT_SNMP = 1,
	ACLF_CNT_CLI,
};

/* "snmp", "cli" */
const char *aclf_cnt_source_name(enum aclf_cnt_source s);

/* One instance of a rule's counter (Junos: an interface-specific filter's
 * "FILTER-<ifl>-i"); the rule's numbers are the sum over its instances. */
struct aclf_cnt_inst {
	const char *name;    /* the device's filter instance name */
	const char *counter; /* the device's counter name */
	uint64_t packets, bytes;
	bool has_bytes;
};

struct aclf_rule_cnt {
	const char *filter, *rule;    /* the intended policy's filter name and rule id */
	const struct aclf_rule *r;    /* the intended rule (provenance, seed rows) */
	bool found;                   /* the device has a counter for it */
	uint64_t packets, bytes;      /* sums over the instances */
	bool has_bytes;               /* the device counts bytes */
	enum aclf_cnt_source source;
	struct aclf_cnt_inst *inst;
	size_t ninst, inst_cap;
};

struct aclf_member_cnt {
	const char *address;          /* as text, "10.1.1.11" */
	uint16_t port;
	bool found;
	uint64_t packets_in, connections_total;
};

struct aclf_lb_cnt {
	const char *name;             /* the lb service's name in the policy */
	const char *object;           /* the device's object ("/Common/x_vs") */
	const struct aclf_lb_service *s;
	bool found;
	uint64_t packets_in, bytes_in, connections_total, connections_current;
	struct aclf_member_cnt *members;
	size_t nmembers;
};

/* An interface's inbound totals (IF-MIB), for an interface the device's
 * filters are bound to. */
struct aclf_if_cnt {
	const char *name;             /* as the topology names it ("Vlan110") */
	bool found;                   /* the agent has the interface */
	uint64_t in_packets, in_octets;
	unsigned bits;                /* 64: ifHCInUcastPkts/ifHCInOctets; 32: ifInUcastPkts/ifInOctets */
	enum aclf_cnt_source source;
};

struct aclf_counters {
	struct aclf_arena arena;
	struct aclf_rule_cnt *rules;   /* in policy order: filter by filter */
	size_t nrules, rules_cap;
	struct aclf_lb_cnt *lb;        /* in policy order */
	size_t nlb, lb_cap;
	struct aclf_buf notes;         /* one line per intended object the device
	                                * has no counter for */
	struct aclf_if_cnt *ifs;       /* bound interfaces' totals, in binding order */
	size_t nifs, ifs_cap;
};

void aclf_counters_init(struct aclf_counters *c);
void aclf_counters_release(struct aclf_counters *c);

/* Builders: a zeroed entry owned by c (names copied), or NULL when out of
 * memory. Pointers to earlier entries may move. */
struct aclf_rule_cnt *aclf_counters_add_rule(struct aclf_counters *c, const char *filter,
					     const struct aclf_rule *r);
/* Add one instance's reading to rc (and to its sums). 0 or -1 (memory). */
int aclf_rule_cnt_add(struct aclf_counters *c, struct aclf_rule_cnt *rc, const char *instance,
		      const char *counter, uint64_t packets, uint64_t bytes, bool has_bytes);
/* An lb service with room for its members (addresses as text). */
struct aclf_lb_cnt *aclf_counters_add_lb(struct aclf_counters *c, const struct aclf_lb_service *s);
/* An interface's entry (zeroed but its name), or the one of that name
 * already there; NULL when out of memory. */
struct aclf_if_cnt *aclf_counters_add_if(struct aclf_counters *c, const char *name);

/* What a driver's counters_read captured over the CLI for its
 * counters_cli op: each command as sent and its output (without the echoed
 * command), in the order run. */
#define ACLF_CLI_CAPTURE_MAX 8
struct aclf_cli_capture {
	const char *cmd[ACLF_CLI_CAPTURE_MAX];   /* static strings (the driver's) */
	struct aclf_buf out[ACLF_CLI_CAPTURE_MAX];
	size_t n;
};

void aclf_cli_capture_init(struct aclf_cli_capture *cap);
void aclf_cli_capture_release(struct aclf_cli_capture *cap);
/* Append cmd (kept as a pointer) with a copy of its output. 0, or -1 (full,
 * or out of memory). */
int aclf_cli_capture_add(struct aclf_cli_capture *cap, const char *cmd, const char *text,
			 size_t len);
/* The output of cmd, or NULL when it was not captured. */
const struct aclf_buf *aclf_cli_capture_get(const struct aclf_cli_capture *cap, const char *cmd);

/* A line in notes ("filter 'F' rule 'R': no counter on the device"). */
int aclf_counters_note(struct aclf_counters *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
