/* The IOS command line as tokens, and IOS's three parser errors: the caret
 * under the first character no command accepts, "% Ambiguous command",
 * "% Incomplete command." Keywords may be abbreviated to any prefix that
 * names one of the words offered at that point. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"

int eio_split(struct eio_line *l, const char *text)
{
	size_t len = strlen(text), i = 0;

	memset(l, 0, sizeof(*l));
	l->text = text;
	l->store = malloc(len + 1);
	if (!l->store)
		return -1;
	memcpy(l->store, text, len + 1);
	while (i < len) {
		while (i < len && (l->store[i] == ' ' || l->store[i] == '\t'))
			l->store[i++] = '\0';
		if (i >= len)
			break;
		if (l->n == EIO_TOK_MAX) {
			l->overflow = true; /* no command has that many words */
			l->overflow_col = i;
			break;
		}
		l->tok[l->n] = l->store + i;
		l->col[l->n] = i;
		l->n++;
		while (i < len && l->store[i] != ' ' && l->store[i] != '\t')
			i++;
	}
	return 0;
}

void eio_line_free(struct eio_line *l)
{
	free(l->store);
	l->store = NULL;
	l->n = 0;
}

int eio_invalid_at(struct eio_cmd *c, size_t col)
{
	c->syntax = true;
	for (size_t k = 0; k < c->prompt_len + col; k++)
		aclf_buf_putc(c->out, ' ');
	eio_puts(c->out, "^\n% Invalid input detected at '^' marker.\n\n");
	return -1;
}

int eio_invalid(struct eio_cmd *c, size_t i)
{
	if (i >= c->l->n)
		return eio_incomplete(c);
	return eio_invalid_at(c, c->l->col[i]);
}

int eio_incomplete(struct eio_cmd *c)
{
	c->syntax = true;
	eio_puts(c->out, "% Incomplete command.\n\n");
	return -1;
}

const char *eio_need(struct eio_cmd *c, size_t i)
{
	if (i >= c->l->n) {
		eio_incomplete(c);
		return NULL;
	}
	return c->l->tok[i];
}

int eio_end(struct eio_cmd *c, size_t i)
{
	if (i < c->l->n)
		return eio_invalid(c, i);
	return 0;
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] && b[n] && tolower((unsigned char)a[n]) == tolower((unsigned char)b[n]))
		n++;
	return n;
}

int eio_kw_opt(struct eio_cmd *c, size_t i, const char *const *words)
{
	const char *t;
	size_t tl, best = 0;
	int hit = -1, hits = 0;

	if (i >= c->l->n)
		return -2;
	t = c->l->tok[i];
	tl = strlen(t);
	for (int k = 0; words[k]; k++) {
		size_t cp = common_prefix(t, words[k]);

		if (cp == tl) {
			if (strlen(words[k]) == tl) /* exact beats abbreviations */
				return k;
			hit = k;
			hits++;
		}
		if (cp > best)
			best = cp;
	}
	if (hits == 1)
		return hit;
	if (hits > 1) {
		/* IOS quotes the line up to and including the ambiguous word */
		size_t upto = c->l->col[i] + tl;

		c->syntax = true;
		aclf_buf_puts(c->out, "% Ambiguous command:  \"");
		aclf_buf_add(c->out, c->l->text, upto);
		eio_puts(c->out, "\"\n");
		return -1;
	}
	return eio_invalid_at(c, c->l->col[i] + best);
}

int eio_kw(struct eio_cmd *c, size_t i, const char *const *words)
{
	int k = eio_kw_opt(c, i, words);

	if (k == -2)
		return eio_incomplete(c);
	return k;
}

int eio_uint(struct eio_cmd *c, size_t i, unsigned long lo, unsigned long hi,
	     unsigned long *v)
{
	const char *t = eio_need(c, i);
	unsigned long x = 0;
	size_t k;

	if (!t)
		return -1;
	for (k = 0; t[k]; k++) {
		if (t[k] < '0' || t[k] > '9' || k >= 10)
			return eio_invalid_at(c, c->l->col[i] + k);
		x = x * 10 + (unsigned long)(t[k] - '0');
	}
	if (x < lo || x > hi)
		return eio_invalid_at(c, c->l->col[i]);
	*v = x;
	return 0;
}

int eio_match(const char *tok, const char *const *words)
{
	size_t tl = strlen(tok);
	int hit = -1, hits = 0;

	for (int k = 0; words[k]; k++) {
		if (common_prefix(tok, words[k]) == tl) {
			if (strlen(words[k]) == tl)
				return k;
			hit = k;
			hits++;
		}
	}
	return hits == 1 ? hit : -1;
}
