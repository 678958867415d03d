/* Running fetch, plan, audit and apply over the devices of a topology
 * (src/fleet/): one SSH session per device and phase, up to `parallel`
 * devices at a time, canary devices first, the rollout stopped after
 * max_fail failures. The result is data (one struct aclf_fleet_dev per
 * device, in topology order), printed by aclf_fleet_print_*.
 *
 * Threads: the workers share the topology and the compiled policy, read
 * only, and write each to its own result slot; the only shared mutable
 * state is the run's dispatch counter, failure count and progress, behind
 * one mutex. */
#ifndef ACLFORGE_FLEET_H
#define ACLFORGE_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"

struct aclf_topology;
struct aclf_policy;
struct aclf_device;
struct aclf_devpol;
struct aclf_counters;
struct aclf_audit_dev;

enum aclf_fleet_verb {
	ACLF_FLEET_FETCH,
	ACLF_FLEET_PLAN,
	ACLF_FLEET_AUDIT,
	ACLF_FLEET_APPLY,
};

/* What happened to one device. */
enum aclf_outcome {
	ACLF_OUT_NOT_ATTEMPTED = 0, /* the rollout stopped before it */
	ACLF_OUT_FETCHED,           /* fetch: the text was read */
	ACLF_OUT_UNCHANGED,         /* already as intended (by meaning): not touched */
	ACLF_OUT_CHANGES,           /* plan: apply would change it; audit: drift */
	ACLF_OUT_APPLIED,           /* verified over a new session and confirmed */
	ACLF_OUT_ROLLED_BACK,       /* back on its old policy, read back to prove it */
	ACLF_OUT_FAILED,            /* failed before changing anything: old policy */
	ACLF_OUT_REFUSED,           /* the intended policy would lock the session out */
	ACLF_OUT_UNKNOWN,           /* could not be read back: state unknown */
};

/* The policy the device ends on, as read back (apply). */
enum aclf_end_state {
	ACLF_END_NONE = 0, /* nothing was read (not attempted, plan, audit) */
	ACLF_END_OLD,
	ACLF_END_NEW,
	ACLF_END_UNKNOWN,
};

struct aclf_fleet_dev {
	const struct aclf_device *dev;
	enum aclf_outcome outcome;
	enum aclf_end_state end;
	bool canary;
	bool unsaved;            /* apply --no-save: applied, not in what the device
	                          * boots with */
	unsigned ms;             /* elapsed */
	struct aclf_err err;     /* the failure (err.count == 0: none) */
	struct aclf_buf note;    /* one line of what the core decided and why, or "" */
	struct aclf_buf live;    /* fetch: the device's text as parse reads it */
	struct aclf_buf diff;    /* plan, audit, apply: the diff report (text or JSON) */
	struct aclf_buf plan;    /* plan, apply: the exact text sent to the device */
	struct aclf_buf diff_json; /* audit with keep_json: the diff report as JSON too */
	struct aclf_audit_dev *audit; /* audit: per-rule verdicts (include/aclforge/audit.h),
	                               * NULL when the device could not be read */
};

struct aclf_fleet_opts {
	enum aclf_fleet_verb verb;
	const char *const *only;  /* NULL-terminated device names; NULL: every device */
	unsigned shard, nshards;  /* shard I of N (0-based I); nshards 0: no sharding */
	unsigned parallel;        /* 0: 8 */
	unsigned canary;          /* apply: this many devices first */
	unsigned max_fail;        /* apply: stop after this many failures; 0: 1 */
	bool force;               /* apply despite a self-lockout */
	bool accept_new;          /* record first-seen host keys */
	bool json;                /* diff reports as JSON */
	bool keep_json;           /* audit: each diff report also as JSON in diff_json
	                           * (audit --html) */
	const char *transcripts;  /* directory: one DEVICE.log per device */
	const char *live_dir;     /* audit: read DIR/DEVICE.<ext> (saved configurations)
	                           * instead of connecting; no counters then */
	unsigned confirm_s;       /* apply: the safety net's window */
	bool no_save;             /* apply: struct aclf_apply_opts' no_save */
	bool lock_config;         /* apply: struct aclf_apply_opts' lock_config */
	unsigned connect_timeout_ms, command_timeout_ms;
	/* called (under the run's mutex) after each device; may be NULL */
	void (*progress)(void *ctx, size_t done, size_t total, size_t failed);
	void *progress_ctx;
};

struct aclf_fleet {
	struct aclf_fleet_dev *devs; /* in topology order */
	size_t n;
	enum aclf_fleet_verb verb;
	char audited_at[32];         /* audit: UTC RFC 3339 when it started */
	bool verbose;                /* audit text: every rule, not only the ones to act on */
};

/* Select the devices (only, shard), run the verb on them. Returns 0 once
 * every selected device has a result (whatever it is), or -1 with err set
 * for a bad selection (an unknown device name: ACLF_E_INPUT) or out of
 * memory. Release fl whatever the result. */
int aclf_fleet_run(const struct aclf_topology *topo, const struct aclf_policy *pol,
		   const struct aclf_fleet_opts *o, struct aclf_fleet *fl, struct aclf_err *err);
void aclf_fleet_release(struct aclf_fleet *fl);

/* Is device name in shard i of n? A hash of the name (FNV-1a 64), so
 * every machine running shard i of n picks the same devices. */
bool aclf_fleet_in_shard(const char *name, unsigned i, unsigned n);

/* The command's exit code for this result (README's exit codes):
 * fetch 0/3; plan 0 nothing to change, 1 changes, 3 a device unreadable;
 * audit 0/1/3; apply 0 all applied or unchanged, 2 a device refused
 * (self-lockout), 3 any failure. */
int aclf_fleet_exit_code(const struct aclf_fleet *fl);

const char *aclf_outcome_name(enum aclf_outcome o);
const char *aclf_end_state_name(enum aclf_end_state e);

/* The report: text for people, JSON for pipelines. 0, or -1 when out of
 * memory. */
int aclf_fleet_print_text(const struct aclf_fleet *fl, struct aclf_buf *out);
int aclf_fleet_print_json(const struct aclf_fleet *fl, struct aclf_buf *out);

/* ---- counters (fleet_counters.c, fleet_cnt_report.c) ----
 * The selected devices' counters over SNMP (each device's `snmp:`
 * settings), every agent polled at once in one SNMP run (the transport
 * bounds requests per agent and in all), each device's walks mapped to its
 * intended policy by its driver. Of o, only `only`, shard and nshards
 * count, and for drivers that read their counters over SSH (the
 * topology's `ssh:`) also parallel, accept_new, the timeouts and
 * transcripts, as for fetch. */
struct aclf_fleet_cnt_dev {
	const struct aclf_device *dev;
	const struct aclf_devpol *intended;
	bool polled;             /* the walks came back (counters below) */
	char polled_at[32];      /* UTC, ISO 8601, when the answers were in; "" */
	bool has_uptime;         /* the agent answered sysUpTime: */
	uint64_t uptime_cs;      /* hundredths of a second since the agent started */
	struct aclf_counters *c; /* NULL until polled */
	struct aclf_err err;     /* why it was not polled (err.count == 0: polled) */
};

struct aclf_fleet_cnt {
	struct aclf_fleet_cnt_dev *devs; /* in topology order */
	size_t n;
};

/* Returns 0 once every selected device has a result, or -1 with err set
 * (an unknown device name: ACLF_E_INPUT; out of memory). Release fc
 * whatever the result. */
int aclf_fleet_counters(const struct aclf_topology *topo, const struct aclf_policy *pol,
			const struct aclf_fleet_opts *o, struct aclf_fleet_cnt *fc,
			struct aclf_err *err);
void aclf_fleet_cnt_release(struct aclf_fleet_cnt *fc);
/* 0 every device polled; 2 a device's settings are bad (no snmp settings,
 * a driver that reads no counters) and none failed otherwise; 3 a device
 * could not be polled. */
int aclf_fleet_cnt_exit_code(const struct aclf_fleet_cnt *fc);
/* The report: text, or JSON as the README documents it. 0, or -1 (out of
 * memory). */
int aclf_fleet_cnt_print_text(const struct aclf_fleet_cnt *fc, struct aclf_buf *out);
int aclf_fleet_cnt_print_json(const struct aclf_fleet_cnt *fc, struct aclf_buf *out);

#endif
