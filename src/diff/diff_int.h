/* Internal to the semantic diff (diff.c, diff_box.c, diff_part.c, diff_lb.c).
 *
 * The packet space is split into six disjoint "spaces": family (4, 6) times
 * protocol category (tcp, udp, other). Inside one space a packet is a point of
 * six dimensions (protocol, state, dst port, src port, dst, src), every
 * dimension an integer range; a rule is a box: a product of interval sets, one
 * per dimension. The canonical packet model (see diff.c) pins the ports of
 * non-TCP/UDP packets to 0 and the state of non-TCP packets to "new", so each
 * space has its own domain per dimension and every rule box lies inside it. */
#ifndef ACLF_DIFF_INT_H
#define ACLF_DIFF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"

/* Dimensions in the order the partition walks them: few distinct values
 * first, addresses last. */
enum dd_dim { DD_PROTO, DD_STATE, DD_DPORT, DD_SPORT, DD_DST, DD_SRC, DD_NDIM };

enum dd_cat { DD_TCP, DD_UDP, DD_OTHER, DD_NCAT };

#define DD_STATE_NEW 0
#define DD_STATE_EST 1

struct dd_ival {
	aclf_u128 lo, hi; /* inclusive */
};

/* Sorted, non-overlapping, non-adjacent intervals. */
struct dd_iset {
	struct dd_ival *v;
	size_t n;
};

struct dd_space {
	uint8_t family;  /* 4 or 6 */
	enum dd_cat cat;
	struct dd_iset dom[DD_NDIM];
	struct dd_ival one_proto[256]; /* {p, p}: shared one-protocol sets */
	struct dd_ival est;            /* {established} */
};

struct dd_box {
	struct dd_iset d[DD_NDIM]; /* each inside the space's domain, never empty */
	uint32_t rule;             /* index into the filter's rules */
	bool permit;
	unsigned full;             /* bit i set: d[i] equals the domain of dimension i */
};

/* A rule's address and port sets, normalized once per comparison. */
struct dd_rule {
	struct dd_iset src[2], dst[2]; /* [0] IPv4, [1] IPv6 */
	struct dd_iset sport, dport;
	bool has_ports;                /* any port constraint: matches TCP/UDP only */
};

/* ---- diff_box.c ---- */
int dd_space_init(struct aclf_arena *ar, uint8_t family, enum dd_cat cat, struct dd_space *sp);
/* Normalize a rule's sets. -1: out of memory (err set) or a malformed rule. */
int dd_rule_prep(struct aclf_arena *ar, const struct aclf_rule *r, size_t idx,
		 struct dd_rule *out, struct aclf_err *err);
/* The part of a rule inside a space: 1 = *out filled, 0 = the rule matches
 * nothing there. */
/* Make equal sets of all rules share one array, so that the walk can tell
 * equal sets by their pointer. -1: out of memory. */
int dd_intern_sets(struct dd_rule *a, size_t na, struct dd_rule *b, size_t nb);
int dd_rule_box(const struct dd_space *sp, const struct aclf_rule *r,
		const struct dd_rule *pr, uint32_t idx, struct dd_box *out);
int dd_iset_from_ports(struct aclf_arena *ar, const struct aclf_port_set *ps, struct dd_iset *out);
int dd_iset_from_prefixes(struct aclf_arena *ar, const struct aclf_prefix_set *ps, uint8_t family,
			  struct dd_iset *out);
bool dd_iset_covers(const struct dd_iset *x, const struct dd_iset *y);
bool dd_iset_contains(const struct dd_iset *x, aclf_u128 v);
/* A natural member of a non-empty set for dimension dim of the space. */
aclf_u128 dd_pick(const struct dd_space *sp, enum dd_dim dim, const struct dd_iset *s);

/* ---- diff_ev.c ---- */
#define DD_DOMAIN_WHO UINT32_MAX

/* One end of an interval: at pos the owner's set starts (add = 1) or has
 * ended (add = 0). Sorted by position, ends before starts. */
struct dd_ev {
	aclf_u128 pos;
	uint32_t who;  /* owner: a box, a group of boxes, or DD_DOMAIN_WHO */
	uint8_t add;
};

struct dd_evvec {
	struct dd_ev *v;
	size_t n, cap;
};

int dd_push_ev(struct dd_evvec *e, aclf_u128 pos, uint32_t who, uint8_t add);
/* both ends of every interval of set */
int dd_push_set(struct dd_evvec *e, const struct dd_iset *set, uint32_t who);
/* sort events made of sorted runs, run r being v[rs[r]] .. v[rs[r + 1] - 1];
 * rs (nr + 1 entries) is overwritten */
int dd_ev_merge_runs(struct dd_evvec *e, size_t *rs, size_t nr);

/* ---- diff_part.c ---- */
struct dd_side {
	const struct dd_box *box; /* in rule order */
	size_t n;
	bool default_permit;
};

/* Called once per region where the two sides decide differently (with
 * all: once per region, decided alike or not) and the deciding rules
 * (indices, -1 = default) are fixed over the whole region. region[i] is
 * the set of dimension i. Returns 0 to go on, 1 to stop (limit reached),
 * -1 on error (err set by the callee). */
typedef int (*dd_emit_fn)(void *ctx, const struct dd_space *sp, const struct dd_iset *region,
			  long rule_a, long rule_b, bool permit_a, bool permit_b);

/* Walk one space; all: every region, not only those decided differently
 * (the walk then cannot skip parts both sides decide alike). Returns 0, 1
 * when emit asked to stop, -1 on error. */
int dd_compare_space(const struct dd_space *sp, const struct dd_side *a, const struct dd_side *b,
		     bool all, dd_emit_fn emit, void *ctx, struct aclf_err *err);

/* ---- diff.c ---- */
struct aclf_diff;
struct aclf_diff_item;
/* A copy of s owned by d (released with it); NULL when out of memory. */
const char *dd_keep(struct aclf_diff *d, const char *s);

/* The pairs of deciding rules (indices into the compared filters, -1 for
 * a default action) a comparison met, each once per family: item is the
 * index in the diff of its example when the two decide differently,
 * DD_NO_ITEM when alike (or when max_items left it out). */
#define DD_NO_ITEM SIZE_MAX
struct dd_pair {
	long ra, rb;
	bool permit_a;
	size_t item;
};

struct dd_pairs {
	struct dd_pair *v;
	size_t n, cap;
};

void dd_pairs_release(struct dd_pairs *p);
/* Compare two filters as aclf_diff_filters does (name_a, name_b: the names
 * the items carry, NULL for a filter that is not there); with pairs (may
 * be NULL) also record the pairs met, and with all the pairs decided alike
 * as well (one walk answers both). 0 or -1 (err set). */
int dd_compare_filters(const struct aclf_filter *a, const struct aclf_filter *b,
		       const char *name_a, const char *name_b, struct aclf_diff *d,
		       size_t max_items, struct dd_pairs *pairs, bool all, struct aclf_err *err);

/* ---- diff_lb.c ---- */
/* Compare the lb services of a and b: each difference is added to d->lb
 * (d may be NULL), written to out as one line (out may be NULL) and counted
 * in *count (may be NULL). */
int dd_diff_lb(const struct aclf_devpol *a, const struct aclf_devpol *b, struct aclf_diff *d,
	       struct aclf_buf *out, size_t *count, struct aclf_err *err);

/* diff.c: one more item (0 or -1); aclf_diff_devices for policies
 * without opaque rules. diff_opaque.c: the same with opaque rules. */
int dd_push_item(struct aclf_diff *d, const struct aclf_diff_item *it);
/* Pair the filters of a and b as the diff does: match_a[i] is the index in
 * b of a's filter i, or -1; used_b[j] when b's j is paired. The arrays
 * hold a->nfilters and b->nfilters elements, used_b zeroed. */
void dd_pair_filters(const struct aclf_devpol *a, const struct aclf_devpol *b, long *match_a,
		     bool *used_b);
int dd_diff_exact(const struct aclf_devpol *a, const struct aclf_devpol *b,
		  struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		  struct aclf_err *err);
/* The first opaque rule of f that may match the packet before an exact
 * rule matches it for sure: the rule the verdict depends on (NULL: none). */
const struct aclf_rule *dd_deciding_opaque(const struct aclf_filter *f,
					   const struct aclf_diff_item *it);
int dd_diff_opaque(const struct aclf_devpol *a, const struct aclf_devpol *b,
		   struct aclf_diff *d, struct aclf_buf *lb_report, size_t max_items,
		   struct aclf_err *err);

#endif
