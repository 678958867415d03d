/* The nft text form split into tokens: words, "strings", punctuation, #
 * comments and line ends (a rule ends at its line's end). Lines and columns
 * are 1-based; columns count characters (UTF-8 continuation bytes are not
 * characters), as GCC and jansson write them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "nftables/nftd_text.h"

static void adv(struct nftd_lexer *c)
{
	unsigned char ch = (unsigned char)c->s[c->i++];

	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xc0) != 0x80) {
		c->col++;
	}
}

static bool punct(char ch)
{
	return ch && strchr("{}();,|&", ch);
}

static bool word_char(unsigned char ch)
{
	return ch > ' ' && ch < 0x7f && ch != '"' && ch != '#' && !punct((char)ch);
}

/* well-formed UTF-8: no overlong forms, surrogates or code points past
 * U+10FFFF (what jansson accepts in a string) */
static bool utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
		           (c & 0xf8) == 0xf0 ? 3 : 4;
		unsigned long cp = k == 0 ? c : k == 1 ? c & 0x1fu : k == 2 ? c & 0x0fu : c & 0x07u;
		static const unsigned long least[] = { 0, 0x80, 0x800, 0x10000 };

		if (k == 4 || i + k >= n + (k == 0))
			return false;
		for (size_t j = 1; j <= k; j++) {
			unsigned char d = (unsigned char)s[i + j];
			if ((d & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (d & 0x3fu);
		}
		if (cp < least[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

bool nftd_tok_is(const struct nftd_tok *t, const char *w)
{
	return t->k == NFTD_T_WORD && strlen(w) == t->n && !memcmp(t->s, w, t->n);
}

void nftd_lexer_init(struct nftd_lexer *c, const char *text, size_t len, const char *label,
		     struct aclf_err *err)
{
	memset(c, 0, sizeof(*c));
	c->s = text;
	c->len = len;
	c->line = c->col = 1;
	c->label = label;
	c->err = err;
}

int nftd_lex_next(struct nftd_lexer *c, struct nftd_tok *out)
{
	const char *text = c->s;
	size_t len = c->len;
	struct nftd_tok t = { 0 };
	unsigned char ch;

	while (c->i < len && (text[c->i] == ' ' || text[c->i] == '\t' || text[c->i] == '\r' ||
			      (text[c->i] == '\\' && c->i + 1 < len && text[c->i + 1] == '\n'))) {
		if (text[c->i] == '\\')
			adv(c);
		adv(c);
	}
	t.off = c->i;
	t.line = c->line;
	t.col = c->col;
	t.s = text + c->i;
	if (c->i >= len) {
		t.k = NFTD_T_EOF;
	} else if ((ch = (unsigned char)text[c->i]) == '\n') {
		t.k = NFTD_T_NL;
		t.n = 1;
		adv(c);
	} else if (ch == '#') {
		t.k = NFTD_T_COMMENT;
		adv(c);
		t.s = text + c->i;
		while (c->i < len && text[c->i] != '\n')
			adv(c);
		t.n = (size_t)(text + c->i - t.s);
	} else if (ch == '"') {
		t.k = NFTD_T_STR;
		adv(c);
		t.s = text + c->i;
		while (c->i < len && text[c->i] != '"' && text[c->i] != '\n') {
			if ((unsigned char)text[c->i] < ' ' && text[c->i] != '\t')
				break;
			adv(c);
		}
		if (c->i >= len || text[c->i] != '"')
			return aclf_err_at(c->err, c->label, t.line, t.col, "string not closed on its "
					   "line: '\"' expected");
		t.n = (size_t)(text + c->i - t.s);
		if (!utf8_ok(t.s, t.n))
			return aclf_err_at(c->err, c->label, t.line, t.col, "string is not UTF-8");
		adv(c);
	} else if (punct((char)ch)) {
		t.k = NFTD_T_PUNCT;
		t.n = 1;
		adv(c);
	} else if (word_char(ch)) {
		t.k = NFTD_T_WORD;
		while (c->i < len && word_char((unsigned char)text[c->i]))
			adv(c);
		t.n = (size_t)(text + c->i - t.s);
	} else {
		return aclf_err_at(c->err, c->label, t.line, t.col, "unexpected byte 0x%02x (not nft "
				   "text)", ch);
	}
	*out = t;
	return 0;
}

int nftd_lex_check(const char *text, size_t len, const char *label, struct aclf_err *err,
		   struct nftd_tok *last)
{
	struct nftd_lexer c;
	struct nftd_tok t;

	nftd_lexer_init(&c, text, len, label, err);
	memset(last, 0, sizeof(*last));
	last->k = NFTD_T_EOF;
	for (;;) {
		if (nftd_lex_next(&c, &t) < 0)
			return -1;
		if (t.k == NFTD_T_EOF)
			return 0;
		*last = t;
	}
}

/* ---- the token window ---- */

/* The walker reads tokens by index; they are lexed when first asked for,
 * in blocks that never move (a token's address stays valid until its
 * block is released). */
#define BLOCK 4096

static int new_block(struct nftd_tp *tp)
{
	if (tp->nblk == tp->blk_cap) {
		size_t cap = tp->blk_cap ? tp->blk_cap * 2 : 16;
		struct nftd_tok **v = realloc(tp->blk, cap * sizeof(*v));
		if (!v)
			return -1;
		tp->blk = v;
		tp->blk_cap = cap;
	}
	if (!(tp->blk[tp->nblk] = malloc(BLOCK * sizeof(struct nftd_tok))))
		return -1;
	tp->nblk++;
	return 0;
}

struct nftd_tok *nftd_tp_tok(struct nftd_tp *tp, size_t i)
{
	static struct nftd_tok none = { .k = NFTD_T_EOF, .line = 1, .col = 1 };

	while (i >= tp->n) {
		struct nftd_tok *b;
		if (tp->n && tp->eof)
			return nftd_tp_tok(tp, tp->n - 1); /* EOF again */
		if (tp->n % BLOCK == 0) {
			if (new_block(tp) < 0) {
				tp->oom = true;
				return &none;
			}
		}
		b = tp->blk[tp->n / BLOCK];
		if (nftd_lex_next(&tp->lx, &b[tp->n % BLOCK]) < 0) {
			/* nftd_lex_check read the same text first: not reached */
			tp->oom = true;
			return &none;
		}
		tp->eof = b[tp->n % BLOCK].k == NFTD_T_EOF;
		tp->n++;
	}
	if (!tp->blk[i / BLOCK])
		return &none; /* released: a walker bug, read as the end */
	return &tp->blk[i / BLOCK][i % BLOCK];
}

void nftd_tp_release(struct nftd_tp *tp, size_t before)
{
	for (; tp->first_blk < before / BLOCK && tp->first_blk < tp->nblk; tp->first_blk++) {
		free(tp->blk[tp->first_blk]);
		tp->blk[tp->first_blk] = NULL;
	}
}

void nftd_tp_free(struct nftd_tp *tp)
{
	for (size_t b = 0; b < tp->nblk; b++)
		free(tp->blk[b]);
	free(tp->blk);
	tp->blk = NULL;
	tp->nblk = tp->first_blk = 0;
}

int nftd_tp_err(struct nftd_tp *tp, const struct nftd_tok *t, const char *fmt, ...)
{
	struct aclf_buf m;
	va_list ap;

	aclf_buf_init(&m, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	aclf_err_at(tp->err, tp->label, t->line, t->col, "%s", m.buf);
	aclf_buf_release(&m);
	return -1;
}

/* Skip blank lines and comments; then does the first word start the text
 * form? */
bool nftd_text_looks(const char *text, size_t len)
{
	static const char *const starts[] = { "table ", "flush ruleset", "delete table ",
					      "add table ", NULL };
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
			i++;
		if (i < end && text[i] != '#') {
			for (size_t k = 0; starts[k]; k++)
				if (end - i >= strlen(starts[k]) &&
				    !memcmp(text + i, starts[k], strlen(starts[k])))
					return true;
			return false;
		}
		i = end + 1;
	}
	return false;
}
