/* The audit's per-rule report (src/fleet/fleet_verdict.c, fleet_since.c):
 * each intended rule's verdict by meaning, joined with the device's
 * counters and, with --since, with an earlier reading of them; each live
 * entry nothing intended accounts for. All memory of one device's report
 * in its arena; names of intended rules point into the compiled policy,
 * which must outlive it. */
#ifndef ACLFORGE_AUDIT_H
#define ACLFORGE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"

struct aclf_devpol;
struct aclf_rule;
struct aclf_counters;
struct aclf_err;
struct aclf_topology;
struct aclf_policy;
struct aclf_fleet;
struct aclf_fleet_opts;
struct aclf_rule_checks;
struct aclf_diff;

enum aclf_verdict {
	ACLF_V_IN_PLACE,      /* in place by meaning; counters absent or no counter for it */
	ACLF_V_USED,          /* in place, its counter above zero */
	ACLF_V_NO_HITS,       /* in place, its counter zero */
	ACLF_V_MISSING,       /* the live policy decides some packet of it otherwise */
	ACLF_V_CANNOT_JUDGE,  /* an opaque live entry decides part of it */
};

/* "in place", "in place, used", "in place, no hits", "missing",
 * "cannot judge" */
const char *aclf_verdict_name(enum aclf_verdict v);

struct aclf_rule_verdict {
	const char *filter, *rule;   /* the intended filter's name and rule id */
	const struct aclf_rule *r;   /* the intended rule */
	enum aclf_verdict verdict;
	bool counted;                /* the device counted it: packets (and bytes when
	                              * has_bytes) are its counter */
	bool has_bytes;
	uint64_t packets, bytes;
	bool has_delta, has_delta_bytes; /* --since */
	uint64_t delta_packets, delta_bytes;
	bool restarted;              /* the counter went back: delta since the restart */
	const char *why;             /* NULL, or why it is missing / cannot be judged /
	                              * why its counter cannot count */
};

/* A live entry that decides some packet otherwise than intended. */
struct aclf_extra_entry {
	const char *filter, *entry;  /* the live filter's name and entry id */
	long line;                   /* line in the device's text, -1 unknown */
	const char *text;            /* the device's own text of it, or a neutral
	                              * summary when the parser kept none */
	bool counted;                /* packets from the device's text */
	uint64_t packets;
	const char *why;             /* an example packet it decides otherwise */
};

/* An lb service's verdict and traffic: each intended service by the lb
 * differences of the diff (none: in place; a service the device lacks or
 * one whose members, monitor, ... differ: missing; the device's service is
 * opaque: cannot judge), in place ones used / no hits by the counters (a
 * load balancer's virtual server statistics); then each live service
 * nothing intends (extra). */
struct aclf_lb_usage {
	const char *service;         /* the lb service's name in the policy (extra:
	                              * the device's) */
	const char *object;          /* the device's object ("/Common/x_vs"), from the
	                              * counters; NULL when none were read */
	const struct aclf_lb_service *s; /* the intended service; NULL when extra */
	bool extra;                  /* a live service nothing intends; verdict unused */
	enum aclf_verdict verdict;
	const char *why;             /* NULL, or what differs / why it cannot be judged
	                              * or counted */
	bool counted;                /* the device has statistics for it */
	uint64_t packets_in, bytes_in, connections_total;
};

struct aclf_audit_dev {
	struct aclf_arena arena;
	struct aclf_rule_verdict *rules; /* intended order, filter by filter */
	size_t nrules;
	struct aclf_extra_entry *extra;
	size_t nextra;
	/* counters */
	char polled_at[32];          /* UTC RFC 3339, "" when not read */
	const char *source;          /* "snmp", "cli", "snmp+cli", NULL */
	const char *absent;          /* why no counters, NULL when read */
	struct aclf_lb_usage *lb;    /* intended lb services in policy order, then the
	                              * extra ones in the device's order */
	size_t nlb;
	/* --since */
	bool since;
	const char *since_file;
	char since_polled_at[32];
	bool since_restarted;        /* some counter went back */
};

void aclf_audit_dev_init(struct aclf_audit_dev *a);
void aclf_audit_dev_release(struct aclf_audit_dev *a);

/* Verdicts by meaning (in place, missing, cannot judge) for every rule of
 * intended and the extra entries of live; same: the diff found no
 * difference at all (aclf_diff_rules). 0, or -1 with err set. */
int aclf_audit_verdicts(const struct aclf_devpol *intended, const struct aclf_devpol *live,
			bool same, struct aclf_audit_dev *a, struct aclf_err *err);
/* The same from answers already at hand: rc from aclf_diff_rules or
 * aclf_diff_audit, d the diff holding the lb differences (d->lb) of the
 * same two policies (aclf_diff_audit, aclf_diff_devices or
 * aclf_diff_lb_items). 0, or -1 with err set. */
int aclf_audit_judge(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		     const struct aclf_rule_checks *rc, const struct aclf_diff *d,
		     struct aclf_audit_dev *a, struct aclf_err *err);

/* Join counters read at polled_at: in place rules and lb services with a
 * counter become used / no hits; the lb services' statistics are kept
 * (lb, matched by the service's name). 0, or -1 (out of memory). */
int aclf_audit_join_counters(struct aclf_audit_dev *a, const struct aclf_counters *c,
			     const char *polled_at);
/* No counters: why (copied). 0 or -1 (out of memory). */
int aclf_audit_set_absent(struct aclf_audit_dev *a, const char *why);

/* ---- an earlier reading (fleet_since.c): `counters --format json` ---- */
struct aclf_since_rule {
	const char *filter, *rule;
	bool has_packets, has_bytes;
	uint64_t packets, bytes;
};

struct aclf_since_dev {
	const char *name;
	const char *polled_at;       /* NULL: that device was not polled then */
	bool has_uptime;
	uint64_t uptime_cs;          /* its agent's sysUpTime then */
	struct aclf_since_rule *rules;
	size_t nrules;
};

struct aclf_since {
	struct aclf_arena arena;
	const char *file;
	struct aclf_since_dev *devs;
	size_t ndevs;
};

/* Read path (an earlier `aclforge counters --format json`) for topo:
 * text that is not such JSON is ACLF_E_INPUT at PATH:LINE:COL (as jansson
 * places it) or naming the field; a device the topology does not have
 * (the file is from another topology) likewise, at its name. 0 or -1. */
int aclf_since_load(const char *path, const struct aclf_topology *topo, struct aclf_since *s,
		    struct aclf_err *err);
/* The same from text of len bytes (path names it in messages). */
int aclf_since_load_mem(const char *text, size_t len, const char *path,
			const struct aclf_topology *topo, struct aclf_since *s, struct aclf_err *err);
void aclf_since_release(struct aclf_since *s);

/* Deltas of a's counted rules against the earlier reading sd (of file):
 * the agent restarted (its sysUpTime went back, both readings having one):
 * every delta is the current value, "restarted"; a counter below its
 * earlier value: a Counter32 wrap when the earlier value was in the upper
 * half of 32 bits (a Counter64 one: of 64 bits) and the agent did not
 * restart, otherwise the counter was reset (the rule set re-applied, the
 * agent restarted): the current value, "restarted". now_uptime: the
 * agent's sysUpTime now (has_now: read). 0, or -1 (out of memory). */
int aclf_audit_since(struct aclf_audit_dev *a, const struct aclf_since_dev *sd, const char *file,
		     bool has_now, uint64_t now_uptime);

/* ---- counters in an audit (fleet_audit_cnt.c) ----
 * After aclf_fleet_run(ACLF_FLEET_AUDIT): poll the counters of every
 * device the audit read over the network (not --live-dir), as `aclforge
 * counters` does (aclf_fleet_counters), join them into each device's
 * verdicts, and with since (may be NULL) the deltas. A device whose
 * counters cannot be read keeps them absent with the reason (the device's
 * or the transport's words); outcomes and exit codes do not change.
 * Returns 0, or -1 with err set (out of memory). */
int aclf_fleet_audit_counters(const struct aclf_topology *topo, const struct aclf_policy *pol,
			      const struct aclf_fleet_opts *o, const struct aclf_since *since,
			      struct aclf_fleet *fl, struct aclf_err *err);

#endif
