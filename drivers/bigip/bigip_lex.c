/* tmsh brace tokenizer: words, "quoted strings", { and }.
 *
 * tmsh list output and bigip.conf are lines of `key value` inside nested
 * braces; `create` commands and `list ... one-line` put a whole object on
 * one line. The parser needs to know which tokens start a line, so each
 * token says so (bol). A '#' that is the first thing on a line starts a
 * comment ("#TMSH-VERSION: 13.1.1"). iRule bodies are Tcl: the parser skips
 * them with bip_lex_skip_raw(), which counts braces the way Tcl does. */
#include <stdarg.h>
#include <string.h>

#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "bigip_int.h"

void bip_lex_init(struct bip_lex *lx, const char *text, size_t len, const char *name,
		  struct aclf_err *err)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
	lx->col = 1;
	lx->linestart = true;
	lx->first = true;
	lx->name = name;
	lx->err = err;
}

int bip_lex_error(struct bip_lex *lx, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_err_vat(lx->err, lx->name ? lx->name : "<input>", line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void bip_lex_eof(const struct bip_lex *lx, unsigned *line, unsigned *col)
{
	aclf_text_end(lx->text, (size_t)(lx->end - lx->text), line, col);
}

static void advance(struct bip_lex *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
		lx->nl = true;
		lx->linestart = true;
	} else {
		lx->col++;
	}
	lx->p++;
}

static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int lex_string(struct bip_lex *lx, struct bip_tok *t)
{
	unsigned oline = lx->line;

	advance(lx); /* opening quote */
	t->s = lx->p;
	while (lx->p < lx->end && *lx->p != '"') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			advance(lx);
		advance(lx);
	}
	if (lx->p >= lx->end) {
		unsigned line, col;
		bip_lex_eof(lx, &line, &col);
		return bip_lex_error(lx, line, col, "text ends inside a quoted string opened at line %u",
				     oline);
	}
	t->n = (size_t)(lx->p - t->s);
	advance(lx); /* closing quote */
	/* newlines inside the string do not start a line after it */
	lx->nl = false;
	lx->linestart = false;
	t->kind = BIP_T_STRING;
	return 0;
}

static int lex_one(struct bip_lex *lx, struct bip_tok *t)
{
	unsigned char c;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (lx->p >= lx->end) {
			t->kind = BIP_T_EOF;
			bip_lex_eof(lx, &t->line, &t->col);
			t->bol = true;
			t->start = lx->p;
			return 0;
		}
		c = (unsigned char)*lx->p;
		if (is_blank((char)c)) {
			advance(lx);
			continue;
		}
		if (c == '#' && lx->linestart) {
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx);
			continue;
		}
		break;
	}
	if (is_ctl(c))
		return bip_lex_error(lx, lx->line, lx->col, "unexpected control character 0x%02x",
				     c);
	t->line = lx->line;
	t->col = lx->col;
	t->bol = lx->nl || lx->first;
	t->start = lx->p;
	lx->nl = false;
	lx->first = false;
	lx->linestart = false;
	if (c == '{' || c == '}') {
		t->kind = c == '{' ? BIP_T_LBRACE : BIP_T_RBRACE;
		t->s = lx->p;
		t->n = 1;
		advance(lx);
		return 0;
	}
	if (c == '"')
		return lex_string(lx, t);
	t->kind = BIP_T_WORD;
	t->s = lx->p;
	while (lx->p < lx->end) {
		c = (unsigned char)*lx->p;
		if (is_blank((char)c) || c == '{' || c == '}' || is_ctl(c))
			break;
		if (c == '\\' && lx->p + 1 < lx->end && !is_blank(lx->p[1]) &&
		    !is_ctl((unsigned char)lx->p[1]))
			advance(lx);
		advance(lx);
	}
	t->n = (size_t)(lx->p - t->s);
	return 0;
}

int bip_lex_next(struct bip_lex *lx, struct bip_tok *t)
{
	if (lx->have_peek) {
		*t = lx->peek;
		lx->have_peek = false;
		return 0;
	}
	return lex_one(lx, t);
}

int bip_lex_peek(struct bip_lex *lx, struct bip_tok *t)
{
	if (!lx->have_peek) {
		if (lex_one(lx, &lx->peek) < 0)
			return -1;
		lx->have_peek = true;
	}
	*t = lx->peek;
	return 0;
}

int bip_lex_skip_raw(struct bip_lex *lx, const char *what, unsigned open_line)
{
	unsigned depth = 1;

	if (lx->have_peek) {
		/* Re-read from the peeked token: rewind to where it started. */
		const char *q = lx->peek.start;
		lx->have_peek = false;
		lx->line = lx->peek.line;
		lx->col = lx->peek.col;
		lx->p = q;
	}
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\\' && lx->p + 1 < lx->end) {
			advance(lx);
			advance(lx);
			continue;
		}
		advance(lx);
		if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			lx->linestart = false;
			lx->nl = false;
			return 0;
		}
	}
	{
		unsigned line, col;
		bip_lex_eof(lx, &line, &col);
		return bip_lex_error(lx, line, col, "text ends inside '%s' opened at line %u: missing '}'",
				     what, open_line);
	}
}

char *bip_tok_dup(struct aclf_arena *a, const struct bip_tok *t)
{
	char *d, *o;

	if (t->kind != BIP_T_STRING)
		return aclf_arena_strndup(a, t->s, t->n);
	d = aclf_arena_alloc(a, t->n + 1);
	if (!d)
		return NULL;
	o = d;
	for (size_t i = 0; i < t->n; i++) {
		if (t->s[i] == '\\' && i + 1 < t->n && (t->s[i + 1] == '"' || t->s[i + 1] == '\\'))
			i++;
		*o++ = t->s[i];
	}
	*o = '\0';
	return d;
}

bool bip_tok_is(const struct bip_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == BIP_T_WORD && t->n == n && memcmp(t->s, word, n) == 0;
}
