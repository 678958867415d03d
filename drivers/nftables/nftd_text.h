/* Reading the nft text form (`nft list ruleset`, `nft -a list ruleset`, the
 * file render writes) into the JSON tree `nft -j list ruleset` prints, so
 * that one decoder (nftd_parse.c, nftd_expr.c) reads both. The lexer is
 * nftd_text_lex.c, the table and object walker nftd_text.c, rules
 * nftd_text_rule.c. */
#ifndef ACLF_NFTD_TEXT_H
#define ACLF_NFTD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "nftables/nftd_parse.h"

struct aclf_arena;
struct aclf_err;

enum nftd_tk {
	NFTD_T_EOF = 0,
	NFTD_T_NL,      /* end of a line */
	NFTD_T_WORD,    /* a bare word: keywords, names, addresses, 443-444, != */
	NFTD_T_STR,     /* "..." (s, n: without the quotes) */
	NFTD_T_PUNCT,   /* one of { } ( ) ; , | & */
	NFTD_T_COMMENT, /* # to the end of the line (s, n: after the #) */
};

struct nftd_tok {
	enum nftd_tk k;
	const char *s;
	size_t n;
	size_t off;        /* byte offset of the token in the text */
	unsigned line, col;
};

/* Split text into tokens (memory of a, ending with one NFTD_T_EOF).
 * Returns 0, or -1 with err set at LABEL:LINE:COL: (an unterminated
 * string, a control character or a byte nft never prints). */
int nftd_lex(const char *text, size_t len, const char *label, struct aclf_arena *a,
	     struct aclf_err *err, struct nftd_tok **out, size_t *n);

/* true when token t is the word w. */
bool nftd_tok_is(const struct nftd_tok *t, const char *w);

/* The walker's state, shared with the rule translator. */
struct nftd_tp {
	const char *text;
	const char *label;
	struct aclf_arena *a;
	struct aclf_err *err;
	struct nftd_tok *t;
	size_t n, i;
};

/* An error at token t ("LABEL:LINE:COL: ..."). Returns -1. */
int nftd_tp_err(struct nftd_tp *tp, const struct nftd_tok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The rule of tokens [b, e) of tp (no newline among them outside braces,
 * comments removed by the caller) as the "expr" array and comment of a
 * JSON rule object: {"expr": [...], "comment": "..."} added to rule.
 * Returns 0, or -1 with tp->err set at the offending token. */
int nftd_text_rule(struct nftd_tp *tp, size_t b, size_t e, json_t *rule);

/* A set element or match value (a word or string token) as nft -j writes
 * it for the field it is compared with. */
enum nftd_vkind { NFTD_VAL_PLAIN, NFTD_VAL_ADDR, NFTD_VAL_PORT };
json_t *nftd_text_value(const struct nftd_tok *t, enum nftd_vkind kind);

/* The text form into {"nftables": [...]} holding the objects of table inet
 * aclforge (as `nft -j` lists them; other tables are left out) in *root,
 * and where each element starts, with each rule's own text, in *pos (memory
 * of a). Returns 0, or -1 with err set at LABEL:LINE:COL:. */
int nftd_text_to_json(const char *text, size_t len, const char *label, struct aclf_arena *a,
		      struct aclf_err *err, json_t **root, struct nftd_pos **pos, size_t *npos);

/* true when text starts (after blank lines and # comments) like the nft
 * text form: `table FAMILY NAME`, `flush ruleset` or `delete table`. */
bool nftd_text_looks(const char *text, size_t len);

#endif
