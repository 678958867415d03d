/* The nft text form split into tokens: words, "strings", punctuation, #
 * comments and line ends (a rule ends at its line's end). Lines and columns
 * are 1-based; columns count characters (UTF-8 continuation bytes are not
 * characters), as GCC and jansson write them. */
#include <stdarg.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "nftables/nftd_text.h"

struct lx {
	const char *s;
	size_t len, i;
	unsigned line, col;
};

static void adv(struct lx *c)
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

int nftd_lex(const char *text, size_t len, const char *label, struct aclf_arena *a,
	     struct aclf_err *err, struct nftd_tok **out, size_t *n)
{
	struct lx c = { .s = text, .len = len, .line = 1, .col = 1 };
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (;;) {
		struct nftd_tok t = { 0 };
		unsigned char ch;

		while (c.i < len && (text[c.i] == ' ' || text[c.i] == '\t' || text[c.i] == '\r' ||
				     (text[c.i] == '\\' && c.i + 1 < len && text[c.i + 1] == '\n'))) {
			if (text[c.i] == '\\')
				adv(&c);
			adv(&c);
		}
		t.off = c.i;
		t.line = c.line;
		t.col = c.col;
		t.s = text + c.i;
		if (c.i >= len) {
			t.k = NFTD_T_EOF;
		} else if ((ch = (unsigned char)text[c.i]) == '\n') {
			t.k = NFTD_T_NL;
			t.n = 1;
			adv(&c);
		} else if (ch == '#') {
			t.k = NFTD_T_COMMENT;
			adv(&c);
			t.s = text + c.i;
			while (c.i < len && text[c.i] != '\n')
				adv(&c);
			t.n = (size_t)(text + c.i - t.s);
		} else if (ch == '"') {
			t.k = NFTD_T_STR;
			adv(&c);
			t.s = text + c.i;
			while (c.i < len && text[c.i] != '"' && text[c.i] != '\n') {
				if ((unsigned char)text[c.i] < ' ' && text[c.i] != '\t')
					break;
				adv(&c);
			}
			if (c.i >= len || text[c.i] != '"')
				return aclf_err_at(err, label, t.line, t.col, "string not closed on its "
						   "line: '\"' expected");
			t.n = (size_t)(text + c.i - t.s);
			if (!utf8_ok(t.s, t.n))
				return aclf_err_at(err, label, t.line, t.col, "string is not UTF-8");
			adv(&c);
		} else if (punct((char)ch)) {
			t.k = NFTD_T_PUNCT;
			t.n = 1;
			adv(&c);
		} else if (word_char(ch)) {
			t.k = NFTD_T_WORD;
			while (c.i < len && word_char((unsigned char)text[c.i]))
				adv(&c);
			t.n = (size_t)(text + c.i - t.s);
		} else {
			return aclf_err_at(err, label, t.line, t.col, "unexpected byte 0x%02x (not nft "
					   "text)", ch);
		}
		if (aclf_arena_grow(a, (void **)out, *n, &cap, sizeof(**out)) < 0)
			return aclf_err_nomem(err);
		(*out)[(*n)++] = t;
		if (t.k == NFTD_T_EOF)
			return 0;
	}
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
