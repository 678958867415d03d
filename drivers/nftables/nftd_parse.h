/* Parsing `nft -j list ruleset`: the decoded form of one nft rule, shared by
 * the object walker (nftd_parse.c) and the expression decoder (nftd_expr.c). */
#ifndef ACLF_NFTD_PARSE_H
#define ACLF_NFTD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"
#include "aclforge/prefix.h"

struct aclf_err;

enum nftd_set_kind {
	NFTD_SET_V4,    /* type ipv4_addr */
	NFTD_SET_V6,    /* type ipv6_addr */
	NFTD_SET_PORT,  /* type inet_service */
	NFTD_SET_OTHER, /* maps, concatenations, other types: an error when used */
};

struct nftd_set {
	const char *name;
	const char *group;             /* name with _v4/_v6 stripped where it matches the type */
	enum nftd_set_kind kind;
	struct aclf_prefix_set addrs;  /* V4 / V6 */
	struct aclf_port_set ports;    /* PORT */
	size_t rules_before;           /* rules decoded before it (text form: named
	                                * again later, it may not grow) */
};

struct nftd_counter {
	const char *name;
	int64_t packets;
};

enum nftd_verdict {
	NFTD_V_NONE = 0,
	NFTD_V_ACCEPT,
	NFTD_V_DROP,   /* drop or reject */
	NFTD_V_JUMP,
};

/* One nft rule after decoding; nothing is interpreted against its chain yet. */
struct nftd_rule {
	long long handle;
	const char *chain;
	const char *comment;
	uint8_t family;                /* 0: both, 4, 6 */
	bool has_src, has_dst;
	struct aclf_prefix_set src, dst; /* one family each */
	const char *src_name, *dst_name;
	int protocol;                  /* -1: no protocol match */
	bool has_sports, has_dports;
	struct aclf_port_set sports, dports;
	bool established;              /* ct state established, tcp flags ack|rst */
	/* house-keeping matches, only valid in the prologue or dispatch chains */
	bool ct_return;                /* ct state established,related */
	bool lo;                       /* iif/oif/iifname/oifname "lo" */
	bool nd;                       /* icmpv6 type: neighbour/router discovery only */
	bool hop255;                   /* ip6 hoplimit 255 */
	const char *ifname;            /* iifname/oifname other than lo */
	bool ifname_out;               /* oifname */
	unsigned nmatch;               /* match expressions seen */
	bool never;                    /* a match no packet satisfies (empty set, ...) */
	enum nftd_verdict verdict;
	const char *target;            /* jump */
	unsigned line, col;            /* where its object starts in the text, 0 = unknown */
	bool nohandle;                 /* text without handles: handle is the line */
	const char *opaque;            /* why the match is not fully understood, NULL: exact */
	const char *raw;               /* the rule's own text (opaque rules) */
	const char *counter;           /* named counter */
	bool anon_counter;
	int64_t packets;               /* anonymous counter */
};

/* Where an element of the "nftables" array starts (1-based); from the text
 * form also a rule's own text, and whether the text gave its handle. */
struct nftd_pos {
	unsigned line, col;
	const char *raw;               /* raw_len bytes in the text, not NUL-terminated */
	size_t raw_len;
	bool nohandle;
};

struct nftd_pctx {
	struct aclf_arena *a;          /* scratch, released after the parse */
	struct aclf_err *err;
	const char *label;             /* the input in messages */
	unsigned line, col;            /* the object messages are about, 0 = none */
	bool nohandle;                 /* ... a rule of text without handles */
	bool strict;                   /* what the neutral form cannot hold is an error,
	                                * not an opaque rule */
	struct nftd_set *sets;
	size_t nsets, sets_cap;
	struct nftd_counter *counters;
	size_t ncounters, counters_cap;
	json_t *set_idx, *counter_idx;   /* name -> index (the first of a name) */
};

/* Decode {"set": {...}} or {"map": {...}} of our table into *out (all
 * memory in p->a). Returns 0 or -1 with p->err set. */
int nftd_decode_set(struct nftd_pctx *p, const json_t *obj, bool is_map, struct nftd_set *out);
/* Decode {"rule": {...}}' body. Returns 0 or -1 with p->err naming the handle. */
int nftd_decode_rule(struct nftd_pctx *p, const json_t *obj, struct nftd_rule *out);
/* Format an error about rule `handle` of `chain` (handle < 0: none), at
 * LABEL:LINE:COL: of the object p->line, p->col (LABEL: alone when 0).
 * Returns -1. */
int nftd_rule_err(struct nftd_pctx *p, long long handle, const char *chain, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The start of each element of the top-level "nftables" array of text
 * (which jansson has read), in order, into *out (memory of a); *n of them.
 * Returns 0, or -1 when out of memory. */
int nftd_json_positions(const char *text, size_t len, struct aclf_arena *a, struct nftd_pos **out,
			size_t *n);

#endif
