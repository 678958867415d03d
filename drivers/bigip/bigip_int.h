/* Internals of the BIG-IP driver: the tmsh tokenizer, the port name table,
 * the naming plan shared by render and delete, and the raw objects the
 * parser collects before it reassembles lb services. */
#ifndef ACLFORGE_BIGIP_INT_H
#define ACLFORGE_BIGIP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/prefix.h"

struct aclf_err;
struct aclf_devpol;
struct aclf_lb_service;
struct aclf_buf;

/* Every object aclforge creates starts with this; nothing else is touched. */
#define BIGIP_PREFIX "aclf_"
/* Marker at the start of a virtual's description written by render. */
#define BIGIP_DESC_MAGIC "aclforge"

/* ---- tokenizer (bigip_lex.c) ------------------------------------------ */

enum bip_tok_kind {
	BIP_T_EOF,
	BIP_T_WORD,   /* s/n: the word as written (escapes kept) */
	BIP_T_STRING, /* s/n: the text between the quotes (escapes kept) */
	BIP_T_LBRACE,
	BIP_T_RBRACE,
};

struct bip_tok {
	enum bip_tok_kind kind;
	const char *s;
	size_t n;
	unsigned line, col;
	bool bol;             /* first token on its line */
	const char *start;    /* where the token starts (the quote for strings) */
};

struct bip_lex {
	const char *text, *p, *end;
	unsigned line, col;
	bool nl;              /* a newline since the last token */
	bool linestart;       /* only blanks since the last newline */
	bool first;
	bool have_peek;
	struct bip_tok peek;
	const char *name;     /* for messages: the input's label (a file path) */
	struct aclf_err *err;
};

void bip_lex_init(struct bip_lex *lx, const char *text, size_t len, const char *name,
		  struct aclf_err *err);
/* Next token into *t; 0, or -1 with err set (bad byte, unterminated string). */
int bip_lex_next(struct bip_lex *lx, struct bip_tok *t);
int bip_lex_peek(struct bip_lex *lx, struct bip_tok *t);
/* After a '{' has been consumed: skip to the matching '}' counting braces
 * only (Tcl rules: quotes do not protect braces, a backslash does). what and
 * open_line name the block for the error when the text ends first. */
int bip_lex_skip_raw(struct bip_lex *lx, const char *what, unsigned open_line);
/* Where the text ends (aclf_text_end), for "text ends" messages. */
void bip_lex_eof(const struct bip_lex *lx, unsigned *line, unsigned *col);
/* Error at a line/col of the text. Always returns -1. */
int bip_lex_error(struct bip_lex *lx, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Copy of a token's text; strings are unescaped (\" and \\). NULL: no memory. */
char *bip_tok_dup(struct aclf_arena *a, const struct bip_tok *t);
bool bip_tok_is(const struct bip_tok *t, const char *word);

/* ---- ports and addresses (bigip_services.c) ---------------------------- */

/* "5061", "sip-tls", "https", "any", "*" -> port. 0 ok, -1 unknown. */
int bigip_port_parse(const char *s, uint16_t *port);
/* The /etc/services name BIG-IP prints for a TCP port, or NULL. */
const char *bigip_port_name(uint16_t port);

/* "10.1.1.10:443", "/Common/10.1.1.10%2:https", "2001:db8::10.443",
 * "any6.any". Strips the folder and the route domain (*rd = -1 when none).
 * 0 ok, -1 malformed, -2 unknown port name. */
int bigip_parse_dest(const char *s, struct aclf_prefix *addr, uint16_t *port, long *rd);
/* An address with an optional %rd suffix ("10.1.1.1%3"). 0 or -1. */
int bigip_parse_addr(const char *s, struct aclf_prefix *addr, long *rd);
/* "node:port" / "/P/node:port" / "/P/2001:db8::1.443": node part into node
 * (a copy in a), port. 0 ok, -1 malformed, -2 unknown port name. */
int bigip_split_member(struct aclf_arena *a, const char *key, char **node, uint16_t *port);
/* "255.255.255.255" / "ffff:...:ffff" / "none" (-> 0) into a mask length.
 * 0 or -1 (not contiguous, not a mask). */
int bigip_parse_mask(const char *s, unsigned *len, uint8_t *family);

/* ---- traffic-matching-criteria (bigip_tmc.c) ---------------------------- */

struct bip_obj;
struct bip_val;
/* The destination a virtual matches through traffic-matching-criteria t.
 * 0: the neutral lb service holds it exactly (one destination address or
 * network, one port or any, any source), in *vip, *port, *proto (-1: none
 * given), *rd (-1: none). 1: it cannot (lists, ranges, a restricted source,
 * an unknown protocol): the same outputs hold what was understood, widened
 * where it was not (any address of the family, any port, any protocol),
 * *at is the first value at fault (NULL: the object) and *why says what
 * (static text). */
int bigip_tmc_dest(const struct bip_obj *t, struct aclf_prefix *vip, uint16_t *port, int *proto,
		   long *rd, const struct bip_val **at, const char **why);
/* The criteria's own text as one line, for an opaque service's raw text:
 * "traffic-matching-criteria /Common/t { destination-address-list /Common/a
 * ... }" (the properties read, in a fixed order). NULL when out of memory. */
char *bigip_tmc_text(struct aclf_arena *a, const struct bip_obj *t);

/* ---- string set (bigip_names.c) ----------------------------------------- */

/* Open-addressing hash set of strings in an arena (names must stay unique
 * across tens of thousands of nodes without quadratic scans). The strings
 * are not copied. */
struct bip_strset {
	const char **slot;
	size_t cap, n;
	struct aclf_arena *arena;
};

int bip_strset_init(struct bip_strset *s, struct aclf_arena *a, size_t expect);
bool bip_strset_has(const struct bip_strset *s, const char *key);
/* 1 added, 0 already there, -1 no memory. */
int bip_strset_add(struct bip_strset *s, const char *key);

/* ---- naming plan (bigip_names.c) ---------------------------------------- */

struct bip_named {
	const char *name;     /* object name without folder */
	size_t first;         /* index of the first service that uses it */
};

struct bip_svc_plan {
	const struct aclf_lb_service *s;
	const char *vs, *pool;
	const char *mon;      /* NULL: no monitor */
	const char *persist;  /* NULL: persist none */
	const char *prof;     /* created profile, or the built-in "tcp"/"udp" */
	bool prof_builtin;
	/* request-level balancing: the built-in http profile and this
	 * oneconnect profile (created, or the built-in "oneconnect" for a
	 * reuse mask of 0); NULL: balanced per connection */
	const char *oneconnect;
	bool oc_builtin;
	size_t *member_node;  /* index into plan nodes, per member */
};

struct bip_node_plan {
	struct aclf_prefix addr;
	const char *name;
	const char *server;   /* server name to keep in the description when the
			       * object name could not be the plain server name */
};

struct bip_plan {
	struct aclf_arena arena;
	struct bip_svc_plan *svcs;
	size_t nsvcs;
	struct bip_node_plan *nodes; /* sorted by address */
	size_t nnodes;
	struct bip_named *mons, *persists, *profs, *ocs; /* sorted by name, distinct */
	size_t nmons, npersists, nprofs, nocs;
};

/* Name every object render would create for dp, checking the policy for
 * what the device cannot express. 0, or -1 with err set (plan released). */
int bip_plan_build(const struct aclf_devpol *dp, struct bip_plan *plan, struct aclf_err *err);
void bip_plan_release(struct bip_plan *plan);
/* Object-name safe copy: [A-Za-z0-9._-], others become '_'. */
char *bip_sanitize(struct aclf_arena *a, const char *s);
/* "ffff:..." or dotted quad for a mask length of the family. */
void bip_format_mask(unsigned len, uint8_t family, char *out, size_t outlen);
bool bip_lb_method_known(const char *m);
/* NULL when s names a TLS profile of the site's ("name" or
 * "/Partition/name", not one aclforge would own), else what is expected. */
const char *bip_check_profile_name(const char *s);

/* ---- description metadata (bigip_names.c) ------------------------------- */

/* Append the percent-encoded form of s (safe for a tmsh quoted string and
 * for the key=value;... grammar of the description); ':' is kept when
 * keep_colon. */
int bip_pct_encode(struct aclf_buf *out, const char *s, bool keep_colon);
/* Decode n bytes of s; NULL on bad escapes or no memory. */
char *bip_pct_decode(struct aclf_arena *a, const char *s, size_t n);

/* ---- raw objects (bigip_parse.c) and reassembly (bigip_assemble.c) ------ */

struct bip_val {
	const char *s;        /* NULL: absent */
	unsigned line, col;
};

struct bip_item {
	const char *name;
	unsigned line, col;
	struct bip_val context, def, address;
};

struct bip_items {
	struct bip_item *v;
	size_t n, cap;
	bool present;
};

enum bip_kind {
	BK_VIRTUAL,
	BK_POOL,
	BK_NODE,
	BK_MONITOR,
	BK_PERSIST,
	BK_PROFILE,
	BK_TMC,     /* ltm traffic-matching-criteria (bigip_tmc.c) */
};

struct bip_obj {
	enum bip_kind kind;
	const char *type;     /* monitor/persistence/profile type, e.g. "tcp" */
	const char *hdr;      /* name as written in the header */
	const char *path;     /* "/Folder/name", set after the body */
	unsigned line, col;
	struct bip_val partition, defaults_from, description, address, destination, mask;
	struct bip_val ip_protocol, pool, lb_method, interval, timeout, idle_timeout;
	struct bip_val cookie_name, snat_type, snat_pool, old_snat, old_snatpool;
	struct bip_val translate_address, translate_port, tmc;
	struct bip_val source_mask; /* one-connect profiles */
	struct bip_val vlans_state; /* "vlans-enabled" / "vlans-disabled", or absent
				     * (the device's default: vlans-disabled) */
	struct bip_val state; /* "enabled" / "disabled" where written, or absent */
	struct bip_val vtype; /* "ip-forward", "reject", ...: a virtual's type keyword */
	struct bip_val source; /* a virtual's source address restriction */
	struct bip_items profiles, persist, vlans, members;
	struct bip_items monitors; /* pool monitor rule: names */
	struct bip_val monitor_rule; /* "and" / "min N of" / NULL single */
	/* ltm traffic-matching-criteria: the *-inline values, the *-list names;
	 * its protocol is ip_protocol */
	struct bip_val tmc_daddr, tmc_dport, tmc_saddr, tmc_sport;
	struct bip_val tmc_dalist, tmc_dplist, tmc_salist, tmc_splist;
};

struct bip_doc {
	struct aclf_arena arena;
	struct bip_obj *objs;
	size_t nobjs, cap;
};

/* Tokenize and collect the objects of interest; unknown structure is
 * skipped but must balance. 0, or -1 with err set. */
int bip_doc_parse(struct bip_doc *doc, const char *text, size_t len, const char *name,
		  struct aclf_err *err);
void bip_doc_release(struct bip_doc *doc);

#endif
