/* Drivers: one const descriptor per device kind (drivers/<kind>/<kind>.c),
 * listed in the registry (drivers/registry.c). The descriptor is the only
 * place a vendor fact lives: name, binding kind, file extension, whether the
 * device tracks connections, what it carries, which names it accepts, and
 * the ops of the whole device life. A NULL op means "not supported".
 *
 * Drivers only report: the core wraps every op (aclf_driver_parse() and
 * friends below) and owns "nothing partial" — a failed parse leaves the
 * policy as it was, a failed render leaves the output buffer as it was.
 * No driver includes libssh or Net-SNMP headers: sessions are opaque
 * objects of the transport layer (aclforge/ssh.h, aclforge/snmp.h). */
#ifndef ACLFORGE_DRIVER_H
#define ACLFORGE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/buf.h"

struct aclf_buf;
struct aclf_err;
struct aclf_policy;
struct aclf_devpol;
struct aclf_device;
struct aclf_ssh;        /* transport layer: an SSH session to one device */
struct aclf_snmp_vbs;   /* transport layer: varbinds an SNMP walk returned */
struct aclf_counters;   /* aclforge/counters.h: per-rule readings */
struct aclf_cli_capture; /* aclforge/counters.h: show commands and their outputs */

/* Options of one apply. */
struct aclf_apply_opts {
	unsigned confirm_s;    /* the safety net's window: the device returns to
	                        * its old state by itself after this many seconds
	                        * unless confirmed (0: ACLF_APPLY_CONFIRM_S) */
	unsigned command_timeout_ms; /* 0: the session's default */
	bool no_save;          /* leave the confirmed change in the running
	                        * configuration only: no copy to the startup
	                        * configuration (IOS `copy running-config
	                        * startup-config`); confirm then sets
	                        * txn->unsaved */
	bool lock_config;      /* edit with the device's configuration lock held
	                        * (Junos `configure exclusive`) instead of in a
	                        * private copy (`configure private`) */
};

#define ACLF_APPLY_CONFIRM_S 120u

/* One apply's record, filled by load, read by confirm and rollback (which
 * may run on another session). The core inits and releases it. */
struct aclf_txn {
	struct aclf_buf state; /* driver-owned: what confirm and rollback need */
	bool armed;            /* a safety net may be armed on the device */
	bool loaded;           /* the plan may have gone in */
	bool fired;            /* the net has returned the device by itself */
	bool over;             /* rollback found no transaction on the device: it
	                        * was confirmed (or never begun) */
	bool unsaved;          /* confirm left the change out of what the device
	                        * boots with (opts->no_save) */
};

void aclf_txn_init(struct aclf_txn *t);
void aclf_txn_release(struct aclf_txn *t);

/* Options of one parse. */
struct aclf_parse_opts {
	const char *name;                 /* device name to record; NULL: the driver's default */
	const char *label;                /* the input in messages, as FILE in FILE:LINE:COL: (a
	                                   * file path, "<stdin>"); NULL: "<input>". Never the
	                                   * device name */
	const struct aclf_device *device; /* the topology's device, or NULL (parse on its own) */
	bool strict;                      /* a reference the text does not define is an error,
	                                   * not a provenance note */
	struct aclf_buf *notes;           /* optional: one line per fact read but not modelled
	                                   * (e.g. counters with no rule) */
	bool fetched;                     /* the text is what the driver's fetch read from the
	                                   * device (its commands succeeded): empty text is a
	                                   * device with nothing of aclforge's, not a failed
	                                   * capture */
};

struct aclf_driver_ops {
	/* The device's whole policy as configuration text, appended to out.
	 * Deterministic: the same policy gives byte-identical text. dev is the
	 * topology's device (NULL when rendering a policy on its own).
	 * Returns 0, or -1 with err set (a rule the device cannot express). */
	int (*render)(const struct aclf_devpol *dp, const struct aclf_device *dev,
		      struct aclf_buf *out, struct aclf_err *err);
	/* Device text (configuration or show output) into one new device
	 * policy added to pol (which owns all memory). Rules keep device order,
	 * device_name and hits where the text has them. Malformed or truncated
	 * text fails with err naming where it stopped as opts->label:LINE:COL:
	 * (columns 1-based, as GCC writes them). */
	int (*parse)(const char *text, size_t len, const struct aclf_parse_opts *opts,
		     struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err);
	/* The replace semantics made explicit: the text that turns the live
	 * configuration (parsed from the device; NULL = nothing of aclforge's
	 * on it) into the intended one, deletions included, appended to out.
	 * Deterministic like render; what the driver cannot plan (a live state
	 * it cannot replace safely) fails with err naming the device. Each
	 * driver's README.md says what it deletes and what it owns. */
	int (*plan)(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		    const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err);
	/* Read what the device runs, in the text parse reads (appended to
	 * running). A device with nothing of aclforge's on it is not an error:
	 * the text says so as parse reads it. Every failure names the device,
	 * the command and the device's own words (aclf_err_remote). */
	int (*fetch)(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
		     struct aclf_err *err);

	/* Safe apply, in phases the core drives (src/fleet/fleet_apply.c): the
	 * core fetches, compares by meaning, plans, then calls load; it
	 * verifies over a NEW session by fetching and comparing by meaning,
	 * and then calls confirm or rollback on that new session. A driver
	 * with any of the three NULL cannot apply (the core says so).
	 *
	 * load: arm a safety net on the device that returns it to what it runs
	 * now by itself (a timer, commit confirmed) within opts->confirm_s
	 * seconds unless confirmed, even when the session is lost, then push
	 * the plan text. Before it sends anything that changes the device it
	 * fills txn with what confirm and rollback need on another session
	 * (txn->state: driver-owned text, e.g. the paths of a saved copy).
	 * Returns 0 when the plan went in and the net is armed; -1 with err
	 * set otherwise: txn->armed says whether a net may be armed (the core
	 * then calls rollback). A device that rejected the plan is
	 * ACLF_E_DEVICE with its own words; a lost session ACLF_E_TRANSPORT. */
	int (*load)(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
		    const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
	/* Make the loaded change permanent: disarm the net, commit, remove old
	 * names, save. Returns 0; -1 with err set when it could not (then
	 * txn->fired tells whether the net had already returned the device to
	 * its old state). */
	int (*confirm)(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		       struct aclf_err *err);
	/* Back to what the device ran before load, and disarm: returns 0 once
	 * the old state is back (restored now or by the net), or with
	 * txn->over set when the device holds no such transaction any more
	 * (a confirm that went through before its answer was lost); -1 with
	 * err set. */
	int (*rollback)(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
			struct aclf_err *err);
	/* The lines load would send for plan to a device whose running
	 * configuration is running (fetch's text; NULL: nothing of
	 * aclforge's), appended to out, when load completes the plan from
	 * what the device runs (IOS: the groups only removed groups nest,
	 * the removals in the order the device accepts); the plan command
	 * shows these. NULL op: load sends the plan as it is. Returns 0, or
	 * -1 with err set. */
	int (*script)(const struct aclf_buf *plan, const char *running,
		      const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err);
	/* Counters (aclforge/counters.h), in two steps so that the core polls
	 * every device's agent in one SNMP run: the descriptor's
	 * counter_walks lists the subtrees to walk, and counters maps what the
	 * walks returned (vbs, in counter_walks order) to the intended
	 * policy's rules and lb services, appending to out. A counter the
	 * device lacks is not an error: its entry stays found = false and a
	 * line says so in out->notes. Returns 0, or -1 with err set (a
	 * malformed answer: ACLF_E_DEVICE naming the device, the OID and what
	 * is wrong). */
	int (*counters)(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
			const struct aclf_devpol *intended, struct aclf_counters *out,
			struct aclf_err *err);
	/* Counters read over the CLI, for devices whose per-entry counters no
	 * MIB carries (IOS: `show access-lists`), in two steps so that the
	 * mapping is a function of text: counters_read runs the driver's show
	 * commands over the session (the transport's shell, as fetch does)
	 * and records each command and its output in cap; counters_cli maps
	 * what cap holds to the intended policy's rules, appending to out with
	 * source ACLF_CNT_CLI. A live entry that does not mean what the
	 * intended one means is a line in out->notes, never a count. Both
	 * return 0, or -1 with err set: counters_read as fetch does (device,
	 * command, the device's words), counters_cli for text it cannot read
	 * (ACLF_E_DEVICE naming the device and the command). Both NULL: no CLI
	 * counters. */
	int (*counters_read)(struct aclf_ssh *ssh, const struct aclf_device *dev,
			     struct aclf_cli_capture *cap, struct aclf_err *err);
	int (*counters_cli)(const struct aclf_cli_capture *cap, const struct aclf_device *dev,
			    const struct aclf_devpol *intended, struct aclf_counters *out,
			    struct aclf_err *err);
};

/* Where a device puts its filters. */
enum aclf_drv_binding {
	ACLF_DRV_BIND_INTERFACE = 1, /* interface or VLAN + direction in/out */
	ACLF_DRV_BIND_CHAIN,         /* a host chain: input or forward */
	ACLF_DRV_BIND_LB,            /* balances pools; carries no filters */
};

/* Names a topology gives a device. */
enum aclf_name_kind {
	ACLF_NAME_INTERFACE, /* protects[].interface */
	ACLF_NAME_CHAIN,     /* protects[].chain */
	ACLF_NAME_VLAN,      /* a load balancer's listening VLAN */
	ACLF_NAME_FILTER,    /* protects[].name */
	ACLF_NAME_TLS_PROFILE, /* a load balancer's TLS profile (tls: of pools and devices) */
};

struct aclf_driver {
	const char *name;      /* as written in a topology's `driver:` */
	const char *summary;   /* one line for --help */
	const char *file_ext;  /* render --out: DEVICE.<file_ext> */
	const char *reads;     /* what parse reads, for --help */
	enum aclf_drv_binding binding;
	bool stateful;         /* tracks return traffic itself (no return-path rules) */
	bool filters;          /* carries filters */
	bool balances;         /* carries lb services */
	/* NULL when name is acceptable as that kind of name on this device,
	 * else what is expected instead ("a Junos interface name such as
	 * ge-0/0/1.0"). NULL check_name: the core's rules only. */
	const char *(*check_name)(enum aclf_name_kind kind, const char *name);
	/* How sure (0-100) the driver is that text is its own kind of text;
	 * NULL: never claims text. Used to detect the driver of live text
	 * (50 and up), to refuse another driver's text, and to tell a device
	 * without filters (some score) from text that is not this driver's
	 * (0: a parse that found nothing fails). */
	int (*sniff)(const char *text, size_t len);
	/* The subtrees (numeric OIDs, NULL-terminated) the counters op reads;
	 * NULL when the driver reads no counters over SNMP. List the table
	 * columns the op's report uses, not whole entries: walks whose OIDs differ
	 * only in their last sub-identifier go out side by side in one GETBULK
	 * (aclforge/snmp.h) and each answer is handed back column by column.
	 * Junos: jnxFWCounterPacketCount and ByteCount; BIG-IP: the virtual's
	 * ClientPktsIn, BytesIn, TotConns, CurConns and the pool member's
	 * ServerPktsIn, TotConns (not the 30-odd columns of each entry). */
	const char *const *counter_walks;
	/* What load arms that returns the device to its old policy by itself
	 * once confirm_s is over, even with no session left, for messages
	 * ("the timed restore", "commit confirmed's automatic rollback");
	 * NULL: nothing on the device does (rollback must send it back). */
	const char *safety_net;
	const struct aclf_driver_ops *ops;
};

/* The registry: a NULL-terminated array (drivers/registry.c). */
const struct aclf_driver *const *aclf_drivers(void);
const struct aclf_driver *aclf_driver_find(const char *name);
/* "ios, junos, bigip or nftables": the registered names for messages,
 * joined by ", " and, before the last, by `last` (" or ", ", "). */
const char *aclf_driver_names(char *buf, size_t len, const char *last);
/* The driver whose sniff is surest of text (score at least 50), or NULL. */
const struct aclf_driver *aclf_driver_detect(const char *text, size_t len);

/* For "text ends ..." messages: the position (1-based line and column)
 * just past the last character of text; a final line end ends the last
 * line rather than starting another one. */
void aclf_text_end(const char *text, size_t len, unsigned *line, unsigned *col);

/* For sniffers: does a line of text (leading blanks skipped) start with one
 * of starts (NULL-terminated)? */
bool aclf_text_has_line(const char *text, size_t len, const char *const *starts);

/* The ops through the core. Each returns 0, or -1 with err set: when the
 * driver lacks the op (kind ACLF_E_INPUT, naming driver and op), or when the
 * op fails — and then nothing partial stays: parse leaves pol with the
 * devices it had, render and plan leave out as long as it was. Plan also
 * refuses a live policy that another driver read (live->driver differs).
 * Parse refuses (ACLF_E_INPUT, naming what the driver reads) text another
 * driver is surer of than this one, and text this one does not know (sniff
 * 0: empty, random or foreign) that yields a device with nothing on it. */
int aclf_driver_parse(const struct aclf_driver *drv, const char *text, size_t len,
		      const struct aclf_parse_opts *opts, struct aclf_policy *pol,
		      struct aclf_devpol **out, struct aclf_err *err);
int aclf_driver_render(const struct aclf_driver *drv, const struct aclf_devpol *dp,
		       const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err);
int aclf_driver_plan(const struct aclf_driver *drv, const struct aclf_devpol *intended,
		     const struct aclf_devpol *live, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err);
/* fetch, load, confirm and rollback through the core: a driver without the
 * op fails with kind ACLF_E_INPUT naming driver and op (aclf_driver_can_apply
 * asks first); a failed fetch leaves running as long as it was. */
bool aclf_driver_can_apply(const struct aclf_driver *drv);
int aclf_driver_fetch(const struct aclf_driver *drv, struct aclf_ssh *ssh,
		      const struct aclf_device *dev, struct aclf_buf *running, struct aclf_err *err);
int aclf_driver_load(const struct aclf_driver *drv, struct aclf_ssh *ssh,
		     const struct aclf_device *dev, const struct aclf_buf *plan,
		     const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
int aclf_driver_confirm(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			const struct aclf_device *dev, struct aclf_txn *txn, struct aclf_err *err);
int aclf_driver_rollback(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			 const struct aclf_device *dev, struct aclf_txn *txn, struct aclf_err *err);
/* What load sends for plan: the script op's lines, or plan itself when the
 * driver has none; appended to out. On failure out stays as long as it was. */
int aclf_driver_script(const struct aclf_driver *drv, const struct aclf_buf *plan,
		       const char *running, const struct aclf_device *dev, struct aclf_buf *out,
		       struct aclf_err *err);
/* The counters op through the core: a driver without it (or without
 * counter_walks) fails with kind ACLF_E_INPUT; a failed op leaves out as it
 * was (entries added are dropped). */
bool aclf_driver_can_count(const struct aclf_driver *drv);
int aclf_driver_counters(const struct aclf_driver *drv, const struct aclf_snmp_vbs *vbs,
			 const struct aclf_device *dev, const struct aclf_devpol *intended,
			 struct aclf_counters *out, struct aclf_err *err);
/* The CLI counters ops through the core: a driver without them fails with
 * kind ACLF_E_INPUT; a failed counters_cli leaves out as it was. */
bool aclf_driver_can_count_cli(const struct aclf_driver *drv);
int aclf_driver_counters_read(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			      const struct aclf_device *dev, struct aclf_cli_capture *cap,
			      struct aclf_err *err);
int aclf_driver_counters_cli(const struct aclf_driver *drv, const struct aclf_cli_capture *cap,
			     const struct aclf_device *dev, const struct aclf_devpol *intended,
			     struct aclf_counters *out, struct aclf_err *err);
/* NULL when the driver accepts name, else what it expects. */
const char *aclf_driver_check_name(const struct aclf_driver *drv, enum aclf_name_kind kind,
				   const char *name);

#endif
