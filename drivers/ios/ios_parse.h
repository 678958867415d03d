/* IOS parser internals: device text is read in two phases. Phase one
 * turns lines into a model of ACLs, object-groups and interface bindings,
 * in a scratch arena; phase two resolves object-group references and
 * writes the filters into the caller's policy.
 *
 * The files are layered; each calls only functions of the layers below it
 * (and the keyword tables of ios_ports.c, in ios.h), never one above:
 *
 *   5  ios_parse.c   entry point ios_parse(): lines into sections (access
 *                    lists, object-groups, interfaces), then phase two
 *   4  ios_bind.c    phase two: the model as a device, one filter per
 *                    binding point
 *   3  ios_build.c   phase two: the rules of every ACL, groups expanded
 *   2  ios_og.c      phase one: object-group lines, group expansion
 *   1  ios_ace.c     phase one: one entry line, its ports and addresses
 *   0  ios_line.c    a line as tokens; errors at line:col
 *
 * The declarations below follow the layers, bottom up. */
#ifndef ACLFORGE_IOS_PARSE_H
#define ACLFORGE_IOS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ios.h"

struct ios_tok {
	const char *s;
	unsigned col;            /* 1-based column in the line */
};

struct ios_line {
	unsigned no;             /* 1-based line number */
	const char *raw;         /* the line, NUL-terminated, no line end */
	const char *src;         /* the same bytes in the text read (which outlives the model) */
	size_t len;              /* how many */
	struct ios_tok *t;
	size_t n;
	unsigned indent;         /* leading blanks */
};

enum ios_addr_kind {
	IOS_ADDR_PREFIX,
	IOS_ADDR_GROUP,
};

/* A non-contiguous IPv4 wildcard (10.0.0.0 0.255.0.255) is the set of
 * prefixes it spells, when they are at most this many; beyond, the entry
 * is opaque. */
#define IOS_WILDCARD_MAX_PREFIXES 256

struct ios_addr {
	enum ios_addr_kind kind;
	struct aclf_prefix p;
	struct aclf_prefix *pv;  /* a non-contiguous wildcard's prefixes (p is the first), or NULL */
	size_t npv;
	const char *group;
	unsigned col;
};

struct ios_ace {
	unsigned line;
	const char *seq;         /* sequence number as shown, or NULL */
	enum aclf_action action;
	int proto;               /* IANA number; -1 with svc set */
	const char *svc;         /* service object-group name */
	unsigned svc_col;
	struct ios_addr src, dst;
	struct aclf_port_set sports, dports; /* n == 0: any */
	bool established;
	const char *remark;      /* remarks written before the entry */
	const char *note;        /* e.g. "icmp echo": matched more narrowly on the device */
	int64_t hits;            /* -1 unknown */
	const char *opaque;      /* why the match is not understood exactly, or NULL */
	const char *raw;         /* the line as the device wrote it: raw_len bytes in the
	                          * text read, not NUL-terminated (for opaque entries) */
	size_t raw_len;
};

enum ios_acl_kind {
	IOS_ACL_STANDARD,
	IOS_ACL_EXTENDED,
	IOS_ACL_V6,
};

struct ios_acl {
	const char *name;
	enum ios_acl_kind kind;
	uint8_t family;
	bool show;               /* show access-lists output: no counter means 0 */
	unsigned line;
	struct ios_ace *v;       /* malloc'd, grown in place (an arena array grown by
	                          * doubling leaves its old copies): ios_model_free */
	size_t n, cap;
	char *remark;            /* pending remark for the next entry */
};

enum ios_og_kind {
	IOS_OG_NET,
	IOS_OG_NET6,
	IOS_OG_SVC,
	IOS_OG_SVC6,
};

struct ios_og_item {
	unsigned line, col;
	const char *group;       /* group-object NAME, else one of: */
	struct aclf_prefix p;    /* network groups */
	int proto;               /* service groups: 0 = every protocol */
	struct aclf_port_set sports, dports;
	const char *note;        /* service groups: icmp message */
};

struct ios_og {
	const char *name;
	enum ios_og_kind kind;
	unsigned line;
	struct ios_og_item *v;
	size_t n, cap;
	unsigned busy;           /* resolution depth guard */
};

struct ios_bind {
	const char *iface;
	const char *acl;
	uint8_t family;
	enum aclf_direction dir;
	unsigned line;
};

struct ios_model {
	struct aclf_arena *a;    /* scratch */
	struct aclf_arena *la;   /* the line being read (its copy and tokens), emptied
	                          * for every line; NULL: a. What the model keeps of
	                          * a line is copied into a (ios_keep) */
	struct aclf_err *err;
	const char *src;         /* device name, used as the "file" of errors */
	const char *hostname;    /* `hostname NAME`, or NULL */
	bool strict;             /* an entry not understood exactly is an error */
	/* set by the entry parser with an error on valid IOS the neutral form
	 * cannot hold: the entry becomes opaque unless strict. match_ok: the
	 * match fields read so far are a superset of the entry's match */
	bool unsupported, match_ok, action_read;
	/* while an entry is read: its error is held here (message in the
	 * scratch arena, NULL when out of memory), not yet in err */
	bool capture;
	unsigned cap_line, cap_col;
	const char *cap_msg;
	struct ios_acl *acls;
	size_t nacls, acls_cap;
	size_t *acl_tab;         /* (family, name) hash -> 1 + index into acls (0 empty);
	                          * NULL: to build (ios_acltab.c) */
	size_t acl_tab_cap;      /* a power of two, more than twice nacls */
	struct ios_og *ogs;
	size_t nogs, ogs_cap;
	size_t *og_tab;          /* name hash -> 1 + index into ogs (0 empty); NULL: to build */
	size_t og_tab_cap;       /* a power of two, more than twice nogs */
	struct ios_bind *binds;
	size_t nbinds, binds_cap;
};

/* ---- layer 0, ios_line.c ---- */
/* Error at line:col of the device text. Returns -1. */
int ios_perr(struct ios_model *m, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Line no (len bytes at s) split into blank-separated tokens; copies live
 * in the model's line arena (la, else a). 0 or -1. */
int ios_line_split(struct ios_model *m, const char *s, size_t len, unsigned no,
		   struct ios_line *l);
/* A string of the current line the model keeps: a copy in m->a (the
 * string itself when there is no line arena). NULL only for NULL or when
 * out of memory (err set). */
const char *ios_keep(struct ios_model *m, const char *s);
/* "expected WHAT, got 'TOKEN'" (or "got end of line") at token i. Returns -1. */
int ios_expected(struct ios_model *m, const struct ios_line *l, size_t i, const char *what);

/* ---- layer 1, ios_ace.c ---- */
/* One entry line of acl (tokens from index i on: sequence,
 * action or remark, ...). Appends to acl->v. 0 or -1. */
int ios_ace_line(struct ios_model *m, struct ios_acl *acl, const struct ios_line *l, size_t i);
/* Port operator at l->t[*i] (eq, neq, gt, lt, range) with its ports, for
 * proto (tcp, udp, or 0 for tcp-udp). Sets *set, advances *i. Returns 1 when
 * a spec was read, 0 when t[*i] is no operator, -1 on error. */
int ios_port_spec(struct ios_model *m, const struct ios_line *l, size_t *i, int proto,
		  struct aclf_port_set *set);
/* An address in family fam at t[*i]: any, host A, A W (IPv4 wildcard),
 * A/len, object-group NAME. Advances *i. 0 or -1. */
int ios_addr(struct ios_model *m, const struct ios_line *l, size_t *i, uint8_t fam,
	     const char *what, struct ios_addr *out);

/* ios_acltab.c: the index of access list name of family fam in m->acls, or
 * -1 (a hash table, built on first use). ios_acl_added after a list is
 * appended; ios_acl_forget_index after m->acls is reordered. */
long ios_acl_index(struct ios_model *m, uint8_t fam, const char *name);
void ios_acl_added(struct ios_model *m);
void ios_acl_forget_index(struct ios_model *m);

/* ---- layer 2, ios_og.c ---- */
/* The group named name, or NULL; by a hash table of names (linear time in
 * the number of lookups). ios_og_forget_index after removing groups. */
struct ios_og *ios_og_find(struct ios_model *m, const char *name);
void ios_og_forget_index(struct ios_model *m);
/* A new object-group (or the existing one of that name). NULL on error. */
struct ios_og *ios_og_open(struct ios_model *m, const struct ios_line *l, enum ios_og_kind kind,
			   const char *name);
/* One indented line inside an object-group. 0 or -1. */
int ios_og_line(struct ios_model *m, struct ios_og *g, const struct ios_line *l);
/* Every prefix of a network group (nested groups expanded) appended to
 * v, n, cap in arena a. ref_line/ref_col name the referencing entry. */
int ios_og_prefixes(struct ios_model *m, const char *name, uint8_t fam, unsigned ref_line,
		    unsigned ref_col, struct aclf_arena *a, struct aclf_prefix **v, size_t *n,
		    size_t *cap);
/* The items of a service group (nested groups expanded), pointers into the
 * model, appended to *v (in arena a). */
int ios_og_services(struct ios_model *m, const char *name, uint8_t fam, unsigned ref_line,
		    unsigned ref_col, struct aclf_arena *a, const struct ios_og_item ***v, size_t *n,
		    size_t *cap);

/* ---- layer 3, ios_build.c ---- */
/* true when the last rule of f is an exact "permit any any" in family fam */
bool ios_ends_permit_any(const struct aclf_filter *f, uint8_t fam);
/* The rules of every ACL into out[0 .. m->nacls) (name, rules, default
 * action; no binding, no ids), in pol's arena, each array with room for
 * one more rule (ios_bind.c makes it the array of the first filter that
 * uses the list). 0 or -1. */
int ios_build_rules(struct ios_model *m, struct aclf_policy *pol, struct aclf_filter *out);

/* ---- layer 4, ios_bind.c ---- */
/* The model as a new device of pol: one filter per binding point, one per
 * list bound nowhere. 0 or -1 (then pol has no new device). */
int ios_build(struct ios_model *m, const char *name, struct aclf_policy *pol,
	      struct aclf_devpol **out);

/* ---- layer 5, ios_parse.c: ios_parse() (ios.h) ---- */
/* Phase one alone: the lines of text into m (set up by the caller: a,
 * err, src, strict), nothing built. 0, or -1 with m->err set at the line
 * where reading stopped. (ios_cnt.c reads counters this way.) */
int ios_model_read(struct ios_model *m, const char *text, size_t len);
/* Free what m holds outside its arena (the entries of each list); the
 * arena is the caller's. */
void ios_model_free(struct ios_model *m);

#endif
