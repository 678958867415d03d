/* A line of IOS device text as the parser reads it: blank-separated tokens
 * with their columns, and errors at line:col. The bottom layer of the IOS
 * parser (see ios_parse.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ios_parse.h"

int ios_perr(struct ios_model *m, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (m->capture) {
		char msg[512];
		vsnprintf(msg, sizeof(msg), fmt, ap);
		m->cap_line = line;
		m->cap_col = col;
		m->cap_msg = aclf_arena_strdup(m->a, msg);
	} else {
		aclf_err_vat(m->err, m->src, line, col, fmt, ap);
	}
	va_end(ap);
	return -1;
}

int ios_line_split(struct ios_model *m, const char *s, size_t len, unsigned no,
		   struct ios_line *l)
{
	struct aclf_arena *a = m->la ? m->la : m->a;
	size_t ntok = 0;
	char *raw, *toks;

	memset(l, 0, sizeof(*l));
	l->no = no;
	/* one copy of the line as it is, one with a NUL after every token
	 * (the tokens point into it), the token array sized once */
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			ntok++;
	if (!(raw = aclf_arena_strndup(a, s, len)) || !(toks = aclf_arena_strndup(a, s, len)) ||
	    (ntok && !(l->t = aclf_arena_alloc_raw(a, ntok * sizeof(*l->t)))))
		return aclf_err_nomem(m->err);
	l->raw = raw;
	l->src = s;
	l->len = len;
	while (raw[l->indent] == ' ' || raw[l->indent] == '\t')
		l->indent++;
	for (size_t i = 0; i < len;) {
		size_t j;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		for (j = i; j < len && s[j] != ' ' && s[j] != '\t'; j++)
			;
		toks[j < len ? j : len] = '\0';
		l->t[l->n].s = toks + i;
		l->t[l->n].col = (unsigned)(i + 1);
		l->n++;
		i = j;
	}
	return 0;
}

const char *ios_keep(struct ios_model *m, const char *s)
{
	const char *k;

	if (!s || !m->la)
		return s;
	if (!(k = aclf_arena_strdup(m->a, s)))
		aclf_err_nomem(m->err);
	return k;
}

int ios_expected(struct ios_model *m, const struct ios_line *l, size_t i, const char *what)
{
	if (i >= l->n || !l->t[i].s)
		return ios_perr(m, l->no, (unsigned)strlen(l->raw) + 1, "expected %s, got end of line",
				what);
	return ios_perr(m, l->no, l->t[i].col, "expected %s, got '%s'", what, l->t[i].s);
}
