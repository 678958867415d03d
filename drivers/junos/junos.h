/* Juniper Junos driver, internal interface shared by the drivers/junos sources and
 * the tests. See drivers/junos/README.md for what is supported.
 *
 * Parsing runs in three stages:
 *   text -> statements  (junos_parse_set.c: `set`/`delete`/`deactivate` lines;
 *                        junos_parse_curly.c: the brace form, flattened to the
 *                        same statements `display set` would print)
 *   statements -> model (junos_model.c, junos_model_term.c: filters per family,
 *                        terms, prefix lists, interface bindings)
 *   model -> policy     (junos_build.c: terms to neutral rules, the inet and
 *                        inet6 halves of a filter merged, one filter per binding)
 * Counters (`show firewall` output) are parsed by junos_counters.c and
 * attached to rules through a counter map (struct junos_cmap). */
#ifndef ACLFORGE_DRIVERS_JUNOS_H
#define ACLFORGE_DRIVERS_JUNOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/policy.h"

struct aclf_buf;
struct aclf_device;
struct aclf_err;

/* String -> index map (open addressing, keys not copied): keeps filters of
 * thousands of terms linear. junos_names.c. */
struct junos_smap {
	const char **key;
	long *val;
	size_t cap, n;
};

/* -1 when absent */
long junos_smap_get(const struct junos_smap *m, const char *k);
/* the first value for a key stays; -1 when out of memory */
int junos_smap_put(struct aclf_arena *a, struct junos_smap *m, const char *k, long v);

/* ---- statements ---- */

enum junos_op {
	JUNOS_SET,
	JUNOS_DELETE,
	JUNOS_DEACTIVATE,
	JUNOS_ACTIVATE,
};

struct junos_tok {
	const char *s;
	unsigned line, col;
};

struct junos_stmt {
	enum junos_op op;
	struct junos_tok *tok;
	size_t ntok;
	unsigned line;
	const char *comment;   /* curly: the comment before the innermost annotated node */
	size_t comment_at;     /* index of that node's first token */
};

struct junos_stmts {
	struct aclf_arena *arena;
	struct junos_stmt *v;
	size_t n, cap;
};

/* Both fill st (whose arena must be set) or fail with err naming the line.
 * `name` is used as the file name in error messages. */
int junos_set_to_stmts(const char *text, size_t len, const char *name, struct junos_stmts *st,
		       struct aclf_err *err);
int junos_curly_to_stmts(const char *text, size_t len, const char *name, struct junos_stmts *st,
			 struct aclf_err *err);
/* Append a statement whose tokens are copied from tok; "firewall filter X"
 * is normalized to "firewall family inet filter X". Returns it or NULL. */
struct junos_stmt *junos_stmts_add(struct junos_stmts *st, enum junos_op op,
				   const struct junos_tok *tok, size_t ntok, unsigned line);

/* ---- model ---- */

/* An address with a non-contiguous dotted mask (1.2.3.4/255.0.255.0) is
 * the prefixes it spells, when at most this many; beyond, the term is
 * opaque. */
#define JUNOS_MASK_MAX_PREFIXES 256
#define JUNOS_MASK_MAX_STR "256"

struct junos_addr {
	struct aclf_prefix p;
	bool except;
};

struct junos_plref {
	const char *name;
	bool except;
	unsigned line, col;
};

struct junos_ports {
	bool set;                      /* a positive match was given */
	struct aclf_port_range *v;
	size_t n, cap;
	struct aclf_port_range *ex;    /* -except values */
	size_t nex, excap;
};

enum junos_action {
	JUNOS_ACT_NONE = 0,            /* no terminating action: Junos accepts */
	JUNOS_ACT_ACCEPT,
	JUNOS_ACT_DISCARD,
	JUNOS_ACT_REJECT,
};

/* Which address match of a term: source, destination, either. */
enum { JUNOS_SRC, JUNOS_DST, JUNOS_ANYDIR, JUNOS_NDIR };

struct junos_term {
	const char *name;
	unsigned line;
	const char *comment;
	struct junos_addr *addr[JUNOS_NDIR];
	size_t naddr[JUNOS_NDIR], addrcap[JUNOS_NDIR];
	struct junos_plref *pl[JUNOS_NDIR];
	size_t npl[JUNOS_NDIR], plcap[JUNOS_NDIR];
	int *protos;
	size_t nprotos, protocap;
	struct junos_ports ports[JUNOS_NDIR];
	bool established;
	unsigned est_line, est_col, proto_line;
	bool has_from;
	enum junos_action action;
	const char *count;
	/* a statement of the term the neutral form cannot hold (icmp-type,
	 * policer, ...): why, and the statements as text ("; "-joined) */
	const char *opaque, *raw;
	bool noncontig[JUNOS_NDIR];    /* an address with a non-contiguous mask was expanded */
	/* set by junos_build.c: index of the term's first rule, -1 none */
	long first_rule;
};

struct junos_ffilter {
	const char *name;
	int family;                    /* 4 or 6 */
	unsigned line;
	struct junos_term *terms;
	size_t nterms, termcap;
	struct junos_smap term_index;  /* name -> index into terms */
};

struct junos_plist {
	const char *name;
	unsigned line;
	bool dynamic;                  /* apply-path: contents unknown here */
	struct aclf_prefix *v;
	size_t n, cap;
};

struct junos_bind {
	const char *ifname;            /* "ge-0/0/1.0" */
	const char *ifd, *unit;        /* "ge-0/0/1", "0" */
	int family;
	enum aclf_direction dir;
	const char *filter;
	unsigned line, col;            /* of the filter name */
};

struct junos_model {
	struct aclf_arena arena;
	const char *name;              /* for error messages */
	struct junos_ffilter *filters;
	size_t nfilters, filtercap;
	struct junos_plist *plists;
	size_t nplists, plistcap;
	struct junos_bind *binds;
	size_t nbinds, bindcap;
	struct junos_smap families;    /* "IFD.UNIT inet" / "inet6": the unit has the family */
	const char *hostname;          /* system host-name, or NULL */
	bool strict;                   /* what the neutral form cannot hold is an error, not an
	                                * opaque term */
};

/* Whether interface unit ifname ("ge-0/0/1.0") has family 4/6 configured. */
bool junos_model_has_family(const struct junos_model *m, const char *ifname, int family);

void junos_model_init(struct junos_model *m, const char *name);
void junos_model_release(struct junos_model *m);
/* Interpret statements (set, delete, deactivate) into the model. */
int junos_model_load(struct junos_model *m, const struct junos_stmts *st, struct aclf_err *err);
/* One statement below "firewall family F filter N term T" (junos_model_term.c);
 * i indexes the token after the term name. */
int junos_term_stmt(struct junos_model *m, struct junos_ffilter *f, struct junos_term *t,
		    const struct junos_stmt *s, size_t i, struct aclf_err *err);
struct junos_ffilter *junos_model_filter(struct junos_model *m, int family, const char *name);
struct junos_plist *junos_model_plist(struct junos_model *m, const char *name);

/* ---- counter map: which rule a device counter counts ---- */

struct junos_cmap_entry {
	const char *filter;            /* device filter name as `show firewall` prints it */
	const char *counter;
	size_t fidx;                   /* index into the device policy's filters */
	long ridx;                     /* rule index, -1 = the default-action term */
	long next;                     /* next entry of the same filter and counter, -1 */
};

struct junos_cmap {
	struct aclf_arena arena;
	struct junos_cmap_entry *v;
	size_t n, cap;
	struct junos_smap bykey;       /* "filter\ncounter" -> first entry */
	struct junos_smap seen;        /* entries already added */
};

/* First entry for a filter and counter name, -1 none; follow ->next. */
long junos_cmap_find(const struct junos_cmap *c, const char *filter, const char *counter);

void junos_cmap_init(struct junos_cmap *c);
void junos_cmap_release(struct junos_cmap *c);
int junos_cmap_add(struct junos_cmap *c, const char *filter, const char *counter, size_t fidx,
		   long ridx);
/* The map by naming convention (what junos_render writes): counter = rule id
 * in family inet, rule id + "-v6" in family inet6, "default-deny" /
 * "default-accept" (+ "-v6") for the default term; a rule's device_name
 * (term name) as well when no rule has it as its id. */
int junos_cmap_convention(struct junos_cmap *c, const struct aclf_devpol *dp);

/* Build the device policy from the model. When cmap is given it receives
 * the exact counter map of the configuration. */
int junos_model_build(struct junos_model *m, const char *name, struct aclf_policy *pol,
		      struct aclf_devpol **out, struct junos_cmap *cmap, struct aclf_err *err);

/* ---- counters (show firewall) ---- */

struct junos_counter {
	const char *filter;
	const char *name;
	uint64_t bytes, packets;
	bool policer;
	unsigned line;
};

struct junos_counters {
	struct aclf_arena arena;
	struct junos_counter *v;
	size_t n, cap;
};

void junos_counters_init(struct junos_counters *c);
void junos_counters_release(struct junos_counters *c);
/* Parse `show firewall`, `show firewall filter F` or `show firewall counter
 * filter F C` output. Fails on any line it does not understand. */
int junos_counters_parse(const char *text, size_t len, const char *name,
			 struct junos_counters *out, struct aclf_err *err);
/* The same for text that starts at line first_line of a larger text. */
int junos_counters_parse_from(const char *text, size_t len, const char *name, unsigned first_line,
			      struct junos_counters *out, struct aclf_err *err);
/* Set rule hits (packets) from counters: every rule of dp starts at -1,
 * each counter the map ties to a rule adds its packets (a rule split over
 * inet and inet6 sums both). Counters no rule takes are described in report
 * (one line each; may be NULL). map NULL: junos_cmap_convention. attached
 * (may be NULL) receives the number of counters attached. */
int junos_counters_attach(struct aclf_devpol *dp, const struct junos_counters *c,
			  const struct junos_cmap *map, struct aclf_buf *report, size_t *attached,
			  struct aclf_err *err);

/* ---- entry points ---- */

enum junos_format {
	JUNOS_FMT_AUTO,
	JUNOS_FMT_SET,
	JUNOS_FMT_CURLY,
};

/* Parse configuration text (set or curly form), optionally followed by
 * `show firewall` output whose counters become rule hits. report (may be
 * NULL) receives the lines about counters no rule takes. strict: a term
 * statement the neutral form cannot hold is an error, not an opaque term. */
int junos_parse_text(const char *text, size_t len, const char *name, const char *label, bool strict,
		     enum junos_format fmt, struct aclf_policy *pol, struct aclf_devpol **out,
		     struct aclf_buf *report, struct aclf_err *err);
int junos_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err);
/* The plan op (junos_plan.c): `delete` lines for the aclforge bindings and
 * filters live has and intended lacks, then the render text. dev (may be
 * NULL) adds the interfaces its topology entry protects to what aclforge
 * owns; live NULL gives the render text. 0, or -1 with err set. */
int junos_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err);

/* ---- names (junos_names.c) ---- */

/* Port number for a Junos port name or number, -1 if unknown. */
int junos_port_lookup(const char *s);
/* "A", "A-B" or a port name into r; -1 if invalid. */
int junos_port_range_parse(const char *s, struct aclf_port_range *r);
/* Protocol number for a Junos protocol/next-header name or number 1-255, -1 if unknown. */
int junos_proto_lookup(const char *s);
/* Name Junos prints for a protocol number, or the number in buf. */
const char *junos_proto_name(int proto, char *buf, size_t buflen);
/* Append a name (filter, term, counter, prefix list), quoted when needed.
 * Returns -1 for names Junos cannot carry (empty, quotes, backslash, control
 * characters) or when out of memory. */
int junos_put_name(struct aclf_buf *b, const char *s);
bool junos_name_ok(const char *s);
/* "ge-0/0/1.0" -> "ge-0/0/1" + "0"; no unit -> unit "0". -1 if the interface
 * name is not usable. */
int junos_split_ifname(const char *s, char *ifd, size_t ifdlen, char *unit, size_t unitlen);
/* Printable excerpt of device text for error messages (at most 60 bytes,
 * unprintable bytes as '?'); returns out. */
const char *junos_snippet(char *out, size_t outlen, const char *s, size_t n);
/* The length of the CLI prompt a line (n bytes at p, leading blanks
 * skipped) starts with, "user@host> " or "user@host# " with the blanks
 * after it, when a command follows, else 0: a captured session echoes the
 * prompt and command before each output, and that line is no
 * configuration. */
size_t junos_prompt_len(const char *p, size_t n);

/* junos_pending.c: `show system commit` text (len bytes): 1 when entry 0
 * (the newest commit) has a `rollback pending` line under it, a commit
 * confirmed waiting for its confirmation, and entry 0's lines are appended
 * to words (trimmed, " / "-joined); 0 when not (words unchanged); -1 out
 * of memory. */
int junos_commit_pending(const char *text, size_t len, struct aclf_buf *words);
/* Whether that entry 0 (its words) is someone else's: not when it holds
 * mark (the comment of the apply's commit confirmed); when it has another
 * comment line, or its "by USER via" is not the user of prompt (the
 * session's "user@host> "); an entry of prompt's user without any comment
 * counts as ours. */
bool junos_commit_foreign(const char *words, const char *mark, const char *prompt);

/* junos_push.c: fetch and the phases of a safe apply (driver.h). */
struct aclf_ssh;
struct aclf_apply_opts;
struct aclf_txn;
int junos_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
		struct aclf_err *err);
int junos_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	       const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
int junos_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err);
int junos_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		   struct aclf_err *err);

#endif
