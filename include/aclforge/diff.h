/* Comparing policies by meaning: by the packets they permit, not by text.
 * First-match order and deny rules are honoured. */
#ifndef ACLFORGE_DIFF_H
#define ACLFORGE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/prefix.h"

struct aclf_filter;
struct aclf_devpol;
struct aclf_buf;
struct aclf_err;

/* One example packet that exactly one side permits. */
struct aclf_diff_item {
	struct aclf_prefix src, dst;   /* host prefixes */
	int protocol;
	uint16_t src_port, dst_port;
	bool established;              /* TCP: a non-SYN (return) packet */
	bool permitted_by_a;           /* true: A permits, B denies; false: the reverse */
	const char *rule_a, *rule_b;   /* id of the deciding rule on each side, NULL = default action */
	const char *filter_a, *filter_b;
	/* Cannot judge: B's verdict on the packet depends on an opaque rule of B
	 * (aclf_rule.opaque), which may or may not match it. permitted_by_a is
	 * then A's verdict, rule_b that opaque rule, opaque_reason and
	 * opaque_raw its reason and device text. */
	bool undecided;
	const char *opaque_reason, *opaque_raw;
};

/* One difference of two devices' lb services, field by field. Services
 * are keyed by (VIP, protocol, port). */
struct aclf_lb_diff_item {
	struct aclf_prefix vip;
	int protocol;
	uint16_t port;
	const char *service;           /* its name (A's when both sides have it) */
	const char *field;             /* "service" (one side only), "members", "monitor",
	                                * "persistence", "request balancing", "snat",
	                                * "idle timeout", "lb method",
	                                * "vlan", "address translation", "port translation",
	                                * "opaque" (cannot judge) */
	const char *a, *b;             /* each side's value as text. "service": "present" or
	                                * NULL; "members": the members only on that side,
	                                * "none" when there are none */
	const char *text;              /* the same as one line of the lb report (a/b) */
	const char *label;             /* "lb VIP:PORT/PROTO \"name\"", how lines start */
	/* Cannot judge (field "opaque"): a service of B is opaque
	 * (aclf_lb_service.opaque); a and b say which sides have the service
	 * ("present" or NULL), opaque_reason and opaque_raw are B's. */
	bool undecided;
	const char *opaque_reason, *opaque_raw;
};

struct aclf_diff {
	struct aclf_diff_item *items;
	size_t n, cap;
	struct aclf_lb_diff_item *lb;  /* lb differences found by aclf_diff_devices */
	size_t nlb, lb_cap;            /* d->n + d->nlb == 0: the devices carry the
	                                * same meaning */
	size_t nlb_undecided;          /* lb items with undecided set: d->nlb -
	                                * d->nlb_undecided is the proven lb drift */
	size_t nundecided;             /* items with undecided set: d->n - d->nundecided
	                                * is the proven drift */
	size_t nopaque;                /* opaque rules of B (none of A's are allowed) */
	char **strings;                /* owned copies of names */
	size_t nstrings, strings_cap;
};

void aclf_diff_init(struct aclf_diff *d);
void aclf_diff_release(struct aclf_diff *d);

/* Compare two filters: append one example per distinct region of difference
 * (at most max_items, 0 = unlimited). Returns 0 (d->n == 0 means same
 * meaning) or -1 with err set. */
int aclf_diff_filters(const struct aclf_filter *a, const struct aclf_filter *b,
		      struct aclf_diff *d, size_t max_items, struct aclf_err *err);

/* Compare two device policies: filters are matched by binding (interface +
 * direction or chain), then by name; lb services by VIP, protocol and port.
 * Differences of lb services are added to d->lb and written to lb_report
 * (one line each).
 * Name matching pairs two filters only when at least one of them is unbound.
 * A filter without a partner is compared with no filter at all, which lets
 * every packet through: its items have filter_a or filter_b NULL (and that
 * side's rule NULL). max_items caps the items of the whole call. lb_report
 * may be NULL; d->nlb counts the lb differences either way. */
/* Opaque rules (parsed entries not understood exactly) are allowed on B,
 * the live side: a packet B surely decides otherwise than A (whether its
 * opaque rules match or not) is an item; a packet whose verdict on B
 * depends on an opaque rule and may differ from A's is an undecided item
 * ("cannot judge"), never drift and never "same meaning". A with opaque
 * rules is refused (ACLF_E_INPUT). */
int aclf_diff_devices(const struct aclf_devpol *a, const struct aclf_devpol *b,
		      struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		      struct aclf_err *err);

/* Compare the lb services of two devices by (VIP, protocol, port): missing
 * and extra services and differing fields (members as a set of address +
 * port, monitor, persistence, SNAT, idle timeout, lb method, VLAN when both
 * name one) are written to report (may be NULL), one line each, and counted
 * in *count (may be NULL). Returns 0 or -1 with err set. */
int aclf_diff_lb(const struct aclf_devpol *a, const struct aclf_devpol *b,
		 struct aclf_buf *report, size_t *count, struct aclf_err *err);

/* The report of one device's diff, for people (text) or pipelines (JSON).
 * A is the intended side, B the live one, and the report says so: text is
 * a "no drift" line, or a first line with the legend of '-' and '+' (when
 * there are example packets), one line per example packet ("- tcp a:p ->
 * b:q: intended permits by F r, live denies by G s"), one per lb difference
 * ("lb VIP:PORT/PROTO \"name\": monitor differs: intended X; live Y") and a
 * last line counting both ("DEVICE: N example packets, M load-balancer
 * differences"); names from the policies are escaped
 * (aclf_buf_printf_escaped). Undecided items (cannot judge) have a legend
 * line of their own and '?' lines naming the opaque entry, its text and
 * reason; with opaque entries the last line adds ", K cannot judge (N
 * opaque entries)", and "no drift" says when they cannot change a verdict.
 * JSON: {"device", "drift" (proven drift only), "packets": [...],
 * "cannot_judge": [packets with "opaque_reason" and "opaque_text", without
 * "permitted_by"], "lb_services": [the lb lines], "lb_differences":
 * [{"vip", "protocol", "port", "service", "field", "intended", "live"}],
 * "counts": {"packets", "lb_differences", "cannot_judge",
 * "opaque_entries"}}. An opaque lb service of B is a '?' line and a
 * "cannot_judge" entry {"vip", "protocol", "port", "service",
 * "opaque_reason", "opaque_text"}, never an lb difference.
 * Returns 0 or -1 when out of memory. */
int aclf_diff_print_text(const struct aclf_diff *d, const char *device, struct aclf_buf *out);
int aclf_diff_print_json(const struct aclf_diff *d, const char *device, struct aclf_buf *out);

/* The lb differences of a and b as items in d (d->lb, as
 * aclf_diff_devices adds them), nothing else compared. 0, or -1 with err
 * set. */
int aclf_diff_lb_items(const struct aclf_devpol *a, const struct aclf_devpol *b,
		       struct aclf_diff *d, struct aclf_err *err);

/* Which rule decides a packet: index into f->rules, or -1 for the default. */
long aclf_filter_decide(const struct aclf_filter *f, const struct aclf_prefix *src,
			const struct aclf_prefix *dst, int protocol, uint16_t src_port,
			uint16_t dst_port, bool established);

/* ---- per-rule questions (diff_rules.c) ----
 * For every rule of A (intended) and every rule of B (live): does B decide
 * the packets the A rule decides (its region: the packets it is the first
 * match for) as the rule does, and which B rules decide packets otherwise
 * than A. Opaque rules of B are read as aclf_diff_devices reads them: at
 * their two extremes. Filters are paired as aclf_diff_devices pairs them;
 * a filter without a partner faces no filter (everything permitted). */
enum aclf_rule_state {
	ACLF_RULE_SAME,      /* B decides every packet of the rule's region as the rule */
	ACLF_RULE_DIFFERS,   /* B surely decides some packet of it otherwise */
	ACLF_RULE_UNDECIDED, /* none surely, but an opaque rule of B may decide some
	                      * packet of it otherwise */
};

struct aclf_rule_check {
	size_t filter, rule;           /* indices into a->filters and its rules */
	long live_filter;              /* index into b->filters of its partner, -1: none */
	enum aclf_rule_state state;
	/* DIFFERS: a packet of the region B surely decides otherwise (rule_b:
	 * B's deciding rule, NULL for its default); UNDECIDED: a packet whose
	 * verdict on B depends on the opaque rule rule_b (opaque_reason,
	 * opaque_raw set) */
	struct aclf_diff_item example;
	bool decides;                  /* its region is not empty (no earlier rule of A
	                                * decides all of its packets) */
	/* the ids of B's rules that decide packets of its region (NULL: B's
	 * default action), in B's order; with opaque rules their widest reading */
	const char **deciders;
	size_t ndeciders;
};

/* A rule of B that surely decides some packet otherwise than A. */
struct aclf_entry_check {
	size_t filter, rule;           /* indices into b->filters and its rules */
	struct aclf_diff_item example; /* such a packet (rule_a: A's deciding rule) */
};

struct aclf_rule_checks {
	struct aclf_rule_check *rules; /* every rule of A, filter by filter */
	size_t nrules;
	struct aclf_entry_check *extra; /* in B's order */
	size_t nextra;
	struct aclf_diff keep;         /* owns the names the above point to */
};

void aclf_rule_checks_init(struct aclf_rule_checks *rc);
void aclf_rule_checks_release(struct aclf_rule_checks *rc);
/* Fill rc (initialised). same: the caller knows A and B to have the same
 * meaning (aclf_diff_devices found no difference, not even an undecided
 * one), which spares the comparisons that look for differences. 0, or -1
 * with err set (A with opaque rules: ACLF_E_INPUT; out of memory). */
int aclf_diff_rules(const struct aclf_devpol *a, const struct aclf_devpol *b, bool same,
		    struct aclf_rule_checks *rc, struct aclf_err *err);
/* Both at once, as audit needs them: d (initialised) gets what
 * aclf_diff_devices(a, b, d, NULL, max_items) gives, rc what
 * aclf_diff_rules gives; without opaque rules in B each pair of filters is
 * walked once for both. 0, or -1 with err set. */
int aclf_diff_audit(const struct aclf_devpol *a, const struct aclf_devpol *b, struct aclf_diff *d,
		    size_t max_items, struct aclf_rule_checks *rc, struct aclf_err *err);

#endif
