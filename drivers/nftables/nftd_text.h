/* Reading the nft text form (`nft list ruleset`, `nft -a list ruleset`, the
 * file render writes) into the JSON objects `nft -j list ruleset` prints,
 * one statement at a time, so that one decoder (nftd_parse.c, nftd_expr.c)
 * reads both. The lexer is
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

/* The lexer: the text one token at a time. */
struct nftd_lexer {
	const char *s;
	size_t len, i;
	unsigned line, col;
	const char *label;
	struct aclf_err *err;
};
void nftd_lexer_init(struct nftd_lexer *c, const char *text, size_t len, const char *label,
		     struct aclf_err *err);
/* The next token into *t (NFTD_T_EOF at the end). 0, or -1 with err set at
 * LABEL:LINE:COL: (an unterminated string, a control character or a byte
 * nft never prints). */
int nftd_lex_next(struct nftd_lexer *c, struct nftd_tok *t);
/* Lex the whole text, keeping nothing but the last token before the end
 * (NFTD_T_EOF when none) in *last. 0, or -1 with err set as above. */
int nftd_lex_check(const char *text, size_t len, const char *label, struct aclf_err *err,
		   struct nftd_tok *last);

/* true when token t is the word w. */
bool nftd_tok_is(const struct nftd_tok *t, const char *w);

/* The walker's state, shared with the rule translator. Tokens are lexed
 * when first read, into blocks released once the walker is past them, so
 * that memory follows one statement, not the text. */
struct nftd_tp {
	const char *text;
	const char *label;
	struct aclf_arena *a;
	struct aclf_err *err;
	struct nftd_lexer lx;
	struct nftd_tok **blk;   /* blocks of tokens, NULL once released */
	size_t nblk, blk_cap, first_blk;
	size_t n;                /* tokens lexed */
	size_t i;                /* the walker's token */
	bool eof;                /* the last token lexed is NFTD_T_EOF */
	bool oom;                /* a block could not be had: reads ended early */
};

/* Token i (lexed on demand; NFTD_T_EOF from the end on). The address
 * stays valid until nftd_tp_release passes it. */
struct nftd_tok *nftd_tp_tok(struct nftd_tp *tp, size_t i);
/* Free the blocks that hold only tokens before index before. */
void nftd_tp_release(struct nftd_tp *tp, size_t before);
void nftd_tp_free(struct nftd_tp *tp);

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

/* Where the objects of the text go, one at a time, as they are read. */
struct nftd_text_sink {
	void *ctx;
	/* An object of table inet aclforge as `nft -j` lists it ({"kind":
	 * body}: table, set, map, counter, chain, rule; other tables are left
	 * out), and where it starts (a rule also with its own text). body is
	 * the walker's: json_incref it to keep it. A chain is given before its
	 * first rule and again when a later block of the same name changes
	 * its type or policy; a set named again is given again with the
	 * elements of that block. 0, or -1 with err set. */
	int (*obj)(void *ctx, const char *kind, json_t *body, const struct nftd_pos *pos);
	/* `delete table inet aclforge`, `flush ruleset`: forget every object
	 * given so far */
	void (*forget)(void *ctx);
};

/* Read the text form, giving each object to sink as soon as it is read
 * (memory: one statement's tokens and JSON at a time). Returns 0, or -1
 * with err set at LABEL:LINE:COL:. */
int nftd_text_read(const char *text, size_t len, const char *label, struct aclf_arena *a,
		   struct aclf_err *err, const struct nftd_text_sink *sink);

/* true when text starts (after blank lines and # comments) like the nft
 * text form: `table FAMILY NAME`, `flush ruleset` or `delete table`. */
bool nftd_text_looks(const char *text, size_t len);

#endif
