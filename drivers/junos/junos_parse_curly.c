/* Curly form (`show configuration`, Capirca output) into statements: every
 * leaf (`name value;`) and every empty block becomes the statement its path
 * spells, the way `display set` prints it. Handles `[ a b ]` lists,
 * comments (slash-star and #), quoted strings and the `inactive:` marker
 * (the marked statement and everything below it is skipped: the device does
 * not use it). `replace:` and `protect:` markers are ignored. Text that starts
 * with `family` or `filter` (`show configuration firewall`) is read relative
 * to `firewall`. */
#include <string.h>

#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "junos.h"

#define MAX_DEPTH 64

enum ctk { CT_WORD, CT_LBRACE, CT_RBRACE, CT_SEMI, CT_LBRACK, CT_RBRACK, CT_EOF };

struct lexer {
	const char *p;
	size_t len, pos;
	unsigned line, col;
	const char *name;
	struct aclf_arena *a;
	/* current token */
	enum ctk t;
	const char *s;
	bool quoted;
	unsigned tline, tcol;
	/* last slash-star comment seen where a statement may start */
	const char *comment;
};

struct tokv {
	struct junos_tok *v;
	size_t n, cap;
};

struct frame {
	size_t path_len;      /* path length before this block's words */
	bool inactive;
	bool children;
	const char *comment;  /* effective comment (own or inherited) */
	size_t comment_at;
	unsigned open_line;
};

static void adv(struct lexer *lx)
{
	if (lx->p[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

/* A prompt echoed at the start of a line (junos_prompt_len), or a line
 * "{master:0}": skipped with the rest of the line, like a comment. */
static bool at_prompt(const struct lexer *lx)
{
	size_t s = lx->pos, e = lx->pos;

	while (s > 0 && (lx->p[s - 1] == ' ' || lx->p[s - 1] == '\t'))
		s--;
	if (s > 0 && lx->p[s - 1] != '\n')
		return false;
	while (e < lx->len && lx->p[e] != '\n')
		e++;
	while (e > lx->pos && (lx->p[e - 1] == '\r' || lx->p[e - 1] == ' ' || lx->p[e - 1] == '\t'))
		e--;
	/* "{master:0}": the routing engine a session is on, printed by the CLI */
	if (lx->p[lx->pos] == '{' && e - lx->pos > 2 && lx->p[e - 1] == '}' &&
	    !memchr(lx->p + lx->pos, ' ', e - lx->pos) && !memchr(lx->p + lx->pos, ';', e - lx->pos) &&
	    !memchr(lx->p + lx->pos + 1, '{', e - lx->pos - 1))
		return true;
	return junos_prompt_len(lx->p + lx->pos, e - lx->pos) > 0;
}

/* Keep the words of a comment, without the stars that frame it. */
static const char *clean_comment(struct aclf_arena *a, const char *s, size_t n)
{
	char *out = aclf_arena_alloc(a, n + 1);
	size_t w = 0;
	bool space = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = w > 0;
			continue;
		}
		/* stars at the start of a comment line are decoration */
		if (c == '*' && (w == 0 || space)) {
			bool lead = true;
			for (size_t k = i; k > 0 && s[k - 1] != '\n'; k--)
				if (s[k - 1] != ' ' && s[k - 1] != '\t' && s[k - 1] != '*')
					lead = false;
			if (lead)
				continue;
		}
		if (space)
			out[w++] = ' ';
		space = false;
		out[w++] = c;
	}
	out[w] = '\0';
	return out;
}

static int lex(struct lexer *lx, struct aclf_err *err)
{
	const char *p = lx->p;

	for (;;) {
		while (lx->pos < lx->len && (p[lx->pos] == ' ' || p[lx->pos] == '\t' ||
					      p[lx->pos] == '\r' || p[lx->pos] == '\n'))
			adv(lx);
		if (lx->pos >= lx->len) {
			lx->t = CT_EOF;
			lx->tline = lx->line;
			lx->tcol = lx->col;
			return 0;
		}
		if (p[lx->pos] == '\0')
			return aclf_err_at(err, lx->name, lx->line, lx->col, "unexpected NUL byte");
		if (p[lx->pos] == '#' || at_prompt(lx)) {
			while (lx->pos < lx->len && p[lx->pos] != '\n')
				adv(lx);
			continue;
		}
		if (p[lx->pos] == '/' && lx->pos + 1 < lx->len && p[lx->pos + 1] == '*') {
			unsigned l0 = lx->line, c0 = lx->col;
			size_t start = lx->pos + 2;
			adv(lx);
			adv(lx);
			while (lx->pos + 1 < lx->len && !(p[lx->pos] == '*' && p[lx->pos + 1] == '/'))
				adv(lx);
			if (lx->pos + 1 >= lx->len)
				return aclf_err_at(err, lx->name, l0, c0, "comment is not closed");
			lx->comment = clean_comment(lx->a, p + start, lx->pos - start);
			if (!lx->comment)
				return aclf_err_nomem(err);
			adv(lx);
			adv(lx);
			continue;
		}
		break;
	}
	lx->tline = lx->line;
	lx->tcol = lx->col;
	lx->quoted = false;
	switch (p[lx->pos]) {
	case '{': lx->t = CT_LBRACE; adv(lx); return 0;
	case '}': lx->t = CT_RBRACE; adv(lx); return 0;
	case ';': lx->t = CT_SEMI; adv(lx); return 0;
	case '[': lx->t = CT_LBRACK; adv(lx); return 0;
	case ']': lx->t = CT_RBRACK; adv(lx); return 0;
	default: break;
	}
	lx->t = CT_WORD;
	if (p[lx->pos] == '"') {
		char *buf;
		size_t w = 0, start = lx->pos;
		adv(lx);
		while (lx->pos < lx->len && p[lx->pos] != '"') {
			if (p[lx->pos] == '\\' && lx->pos + 1 < lx->len)
				adv(lx);
			adv(lx);
		}
		if (lx->pos >= lx->len)
			return aclf_err_at(err, lx->name, lx->tline, lx->tcol, "unterminated quoted string");
		buf = aclf_arena_alloc(lx->a, lx->pos - start);
		if (!buf)
			return aclf_err_nomem(err);
		for (size_t i = start + 1; i < lx->pos; i++) {
			if (p[i] == '\\' && i + 1 < lx->pos)
				i++;
			if (p[i] == '\0')
				return aclf_err_at(err, lx->name, lx->tline, lx->tcol, "unexpected NUL byte");
			buf[w++] = p[i];
		}
		buf[w] = '\0';
		adv(lx);
		lx->s = buf;
		lx->quoted = true;
		return 0;
	}
	{
		size_t start = lx->pos;
		while (lx->pos < lx->len) {
			char c = p[lx->pos];
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' || c == '}' ||
			    c == ';' || c == '[' || c == ']' || c == '"' || c == '\0')
				break;
			if (c == '/' && lx->pos + 1 < lx->len && p[lx->pos + 1] == '*')
				break;
			adv(lx);
		}
		lx->s = aclf_arena_strndup(lx->a, p + start, lx->pos - start);
		if (!lx->s)
			return aclf_err_nomem(err);
	}
	return 0;
}

static int tok_push(struct aclf_arena *a, struct tokv *tv, const char *s, unsigned line, unsigned col)
{
	if (aclf_arena_grow(a, (void **)&tv->v, tv->n, &tv->cap, sizeof(*tv->v)) < 0)
		return -1;
	tv->v[tv->n].s = s;
	tv->v[tv->n].line = line;
	tv->v[tv->n].col = col;
	tv->n++;
	return 0;
}

/* path + words as one statement */
static int emit(struct junos_stmts *st, struct tokv *path, const struct tokv *words,
		const char *comment, size_t comment_at, unsigned line, struct aclf_err *err)
{
	size_t n = path->n + words->n;
	struct junos_tok *tmp = aclf_arena_alloc(st->arena, (n ? n : 1) * sizeof(*tmp));
	struct junos_stmt *s;

	if (!tmp)
		return aclf_err_nomem(err);
	if (path->n)
		memcpy(tmp, path->v, path->n * sizeof(*tmp));
	if (words->n)
		memcpy(tmp + path->n, words->v, words->n * sizeof(*tmp));
	s = junos_stmts_add(st, JUNOS_SET, tmp, n, line);
	if (!s)
		return aclf_err_nomem(err);
	s->comment = comment;
	s->comment_at = comment_at;
	/* normalization may have put "family inet" in front of the comment's node */
	if (comment && s->ntok > n && comment_at >= 1)
		s->comment_at += s->ntok - n;
	return 0;
}

static const char *path_text(struct aclf_arena *a, const struct tokv *path, size_t from, size_t to)
{
	size_t len = 1;
	char *out;

	for (size_t i = from; i < to; i++)
		len += strlen(path->v[i].s) + 1;
	out = aclf_arena_alloc(a, len);
	if (!out)
		return "?";
	for (size_t i = from; i < to; i++) {
		if (i > from)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, path->v[i].s, len - strlen(out) - 1);
	}
	return out;
}

int junos_curly_to_stmts(const char *text, size_t len, const char *name, struct junos_stmts *st,
			 struct aclf_err *err)
{
	struct lexer lx = { .p = text, .len = len, .line = 1, .col = 1, .name = name, .a = st->arena };
	struct frame fr[MAX_DEPTH + 1];
	size_t depth = 0;
	struct tokv path = { 0 }, words = { 0 };
	bool inactive = false, first = true;
	const char *comment = NULL;
	unsigned wline = 0;
	char snip[64];

	memset(&fr[0], 0, sizeof(fr[0]));
	for (;;) {
		if (lex(&lx, err) < 0)
			return -1;
		if (first && lx.t == CT_WORD && !lx.quoted &&
		    (!strcmp(lx.s, "family") || !strcmp(lx.s, "filter"))) {
			if (tok_push(st->arena, &path, "firewall", lx.tline, lx.tcol) < 0)
				return aclf_err_nomem(err);
			fr[0].path_len = 0;
		}
		first = false;
		switch (lx.t) {
		case CT_WORD:
			if (!words.n && !lx.quoted &&
			    (!strcmp(lx.s, "inactive:") || !strcmp(lx.s, "replace:") ||
			     !strcmp(lx.s, "protect:"))) {
				if (!strcmp(lx.s, "inactive:"))
					inactive = true;
				break;
			}
			if (!words.n) {
				comment = lx.comment;
				wline = lx.tline;
			}
			lx.comment = NULL;
			if (tok_push(st->arena, &words, lx.s, lx.tline, lx.tcol) < 0)
				return aclf_err_nomem(err);
			break;
		case CT_LBRACK:
			if (!words.n)
				return aclf_err_at(err, name, lx.tline, lx.tcol, "'[' without a statement");
			if (tok_push(st->arena, &words, "[", lx.tline, lx.tcol) < 0)
				return aclf_err_nomem(err);
			for (;;) {
				if (lex(&lx, err) < 0)
					return -1;
				if (lx.t == CT_RBRACK)
					break;
				if (lx.t != CT_WORD)
					return aclf_err_at(err, name, lx.tline, lx.tcol, "'[' list is not closed");
				if (tok_push(st->arena, &words, lx.s, lx.tline, lx.tcol) < 0)
					return aclf_err_nomem(err);
			}
			if (tok_push(st->arena, &words, "]", lx.tline, lx.tcol) < 0)
				return aclf_err_nomem(err);
			break;
		case CT_RBRACK:
			return aclf_err_at(err, name, lx.tline, lx.tcol, "']' without '['");
		case CT_SEMI: {
			struct frame *top = &fr[depth];
			bool dead = inactive || top->inactive;
			if (!words.n)
				return aclf_err_at(err, name, lx.tline, lx.tcol, "empty statement");
			top->children = true;
			if (!dead && emit(st, &path, &words, comment ? comment : top->comment,
					  comment ? path.n : top->comment_at, wline, err) < 0)
				return -1;
			words.n = 0;
			inactive = false;
			comment = NULL;
			lx.comment = NULL;
			break;
		}
		case CT_LBRACE: {
			struct frame *top = &fr[depth], *nf;
			if (!words.n)
				return aclf_err_at(err, name, lx.tline, lx.tcol, "'{' without a statement");
			if (depth >= MAX_DEPTH)
				return aclf_err_at(err, name, lx.tline, lx.tcol,
						   "blocks nested deeper than %d levels", MAX_DEPTH);
			top->children = true;
			nf = &fr[++depth];
			nf->path_len = path.n;
			nf->inactive = top->inactive || inactive;
			nf->children = false;
			nf->comment = comment ? comment : top->comment;
			nf->comment_at = comment ? path.n : top->comment_at;
			nf->open_line = wline;
			for (size_t i = 0; i < words.n; i++)
				if (tok_push(st->arena, &path, words.v[i].s, words.v[i].line,
					     words.v[i].col) < 0)
					return aclf_err_nomem(err);
			words.n = 0;
			inactive = false;
			comment = NULL;
			lx.comment = NULL;
			break;
		}
		case CT_RBRACE: {
			struct frame *top = &fr[depth];
			if (words.n)
				return aclf_err_at(err, name, words.v[words.n - 1].line,
						   words.v[words.n - 1].col, "missing ';' after '%s'",
						   junos_snippet(snip, sizeof(snip), words.v[words.n - 1].s,
								 strlen(words.v[words.n - 1].s)));
			if (depth == 0)
				return aclf_err_at(err, name, lx.tline, lx.tcol, "'}' without '{'");
			if (!top->children && !top->inactive) {
				struct tokv none = { 0 };
				if (emit(st, &path, &none, top->comment, top->comment_at, top->open_line,
					 err) < 0)
					return -1;
			}
			path.n = top->path_len;
			depth--;
			inactive = false;
			lx.comment = NULL;
			break;
		}
		case CT_EOF: {
			unsigned line, col;
			aclf_text_end(text, len, &line, &col);
			if (words.n)
				return aclf_err_at(err, name, line, col, "text ends inside statement '%s'",
						   junos_snippet(snip, sizeof(snip), words.v[0].s,
								 strlen(words.v[0].s)));
			if (depth > 0) {
				const char *what = path_text(st->arena, &path, fr[depth].path_len, path.n);
				return aclf_err_at(err, name, line, col,
						   "text ends inside block '%s' opened at line %u; missing '}'",
						   junos_snippet(snip, sizeof(snip), what, strlen(what)),
						   fr[depth].open_line);
			}
			return 0;
		}
		}
	}
}
