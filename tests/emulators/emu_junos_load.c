/* Changing the candidate: one `set`/`delete` statement (typed, or a line
 * of `load set terminal`), and the curly text of `load merge|replace|
 * override terminal`. Errors are Junos' own: the caret and `syntax error.`
 * when typed; `terminal:LINE:(COL) syntax error: TOKEN` in a load, which
 * keeps what came before the error and still ends with `load complete`. */
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

struct apply_ctx {
	struct junos_sess *s;
	struct jt_node *cand;
	bool del;
	int found;       /* delete: something was removed */
	long bad;        /* check: first bad word, -1 none */
	const char *what;
	size_t nth;      /* which expansion */
	bool check_only;
};

static int apply_one(void *vctx, char *const *w, size_t n)
{
	struct apply_ctx *c = vctx;

	if (c->check_only) {
		long b = jst_check(w, n, &c->what);

		c->nth++;
		if (b >= 0) {
			c->bad = b;
			return 1;
		}
		return 0;
	}
	if (c->del) {
		int r = jt_delete(c->cand, w, n);

		if (r > 0)
			c->found = 1;
		return 0;
	}
	return jt_set(c->cand, w, n) < 0 ? -1 : 0;
}

/* the token index of expanded word k (for the caret) */
static size_t token_of(const struct jst *st, size_t first, size_t nedit, size_t k, size_t nth)
{
	size_t open = st->n, close = st->n, before;

	for (size_t i = first; i < st->n; i++)
		if (st->v[i].open && open == st->n)
			open = i;
		else if (st->v[i].close && open < st->n && close == st->n)
			close = i;
	if (k < nedit)
		return first;
	k -= nedit;
	if (open == st->n)
		return first + k < st->n ? first + k : st->n;
	before = open - first;
	if (k < before)
		return first + k;
	if (k == before)
		return open + 1 + (nth ? nth - 1 : 0);
	k -= before + 1;
	return close + 1 + k < st->n ? close + 1 + k : st->n;
}

static int report(struct junos_sess *s, const struct jst *st, size_t tok, const char *line,
		  const char *what, const char *label, unsigned lineno, struct aclf_buf *out)
{
	size_t col = tok < st->n ? st->v[tok].col : strlen(line) + 1;

	if (label) {
		if (aclf_buf_printf(out, "%s:%u:(%zu) %s: ", label, lineno, col, what) < 0)
			return -1;
		if (tok < st->n ? aclf_buf_puts_escaped(out, st->v[tok].w, false) < 0 : 0)
			return -1;
		return aclf_buf_puts(out, "\r\n");
	}
	if (emu_junos_caret(s, col, out) < 0)
		return -1;
	return aclf_buf_printf(out, "%s.\r\n", what);
}

int emu_junos_statement(struct junos_sess *s, const char *line, struct aclf_buf *out,
		    const char *label, unsigned lineno, bool *changed)
{
	struct jst st = { 0 };
	struct apply_ctx c = { s, emu_junos_candidate(s), false, 0, -1, NULL, 0, true };
	size_t bad = 0, opens = 0, closes = 0;
	int rc = -1, r;

	r = jst_split(line, &st, &bad);
	if (r == -2)
		goto out;
	if (r == -1) {
		struct jst one = { 0 };

		rc = report(s, &one, 0, line, "syntax error", label, lineno, out) < 0 ? -1 : 1;
		goto out;
	}
	if (st.n == 0 || (strcmp(st.v[0].w, "set") && strcmp(st.v[0].w, "delete"))) {
		rc = report(s, &st, 0, line, label ? "syntax error" : "unknown command", label, lineno,
			    out) < 0 ? -1 : 1;
		goto out;
	}
	for (size_t i = 1; i < st.n; i++) {
		opens += st.v[i].open;
		closes += st.v[i].close;
	}
	if (opens > 1 || opens != closes) {
		rc = report(s, &st, st.n, line, "syntax error", label, lineno, out) < 0 ? -1 : 1;
		goto out;
	}
	c.del = !strcmp(st.v[0].w, "delete");
	if (!c.del || st.n > 1) {
		r = jst_expand(&st, 1, s->edit, s->nedit, apply_one, &c);
		if (r < 0)
			goto out;
		if (c.bad >= 0) {
			size_t tok = token_of(&st, 1, s->nedit, (size_t)c.bad, c.nth - 1);

			rc = report(s, &st, tok, line, c.what, label, lineno, out) < 0 ? -1 : 1;
			goto out;
		}
	} else if (!s->nedit) {
		/* `delete` alone at the top: the whole candidate (Junos asks; a
		 * load line just does it) */
	}
	c.check_only = false;
	if (jst_expand(&st, 1, s->edit, s->nedit, apply_one, &c) < 0)
		goto out;
	if (c.del && !c.found) {
		if (aclf_buf_puts(out, "warning: statement not found\r\n") < 0)
			goto out;
	} else {
		*changed = true;
	}
	rc = 0;
out:
	jst_release(&st);
	return rc;
}

/* ---- curly text ---- */

struct ctok {
	char *w;          /* NULL for punctuation */
	char punct;       /* '{', '}', ';', '[', ']' or 0 */
	unsigned line, col;
};

struct curly {
	struct ctok *v;
	size_t n, cap;
};

static void curly_release(struct curly *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].w);
	free(c->v);
}

static int ctok_push(struct curly *c, const char *w, size_t len, char punct, unsigned line,
		     unsigned col)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct ctok *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].w = NULL;
	if (w && !(c->v[c->n].w = strndup(w, len)))
		return -1;
	c->v[c->n].punct = punct;
	c->v[c->n].line = line;
	c->v[c->n].col = col;
	c->n++;
	return 0;
}

/* Returns 0, -1 out of memory, or 1 with eline and ecol at a bad byte. */
static int curly_lex(const char *t, size_t len, struct curly *c, unsigned *eline, unsigned *ecol)
{
	unsigned line = 1;
	size_t bol = 0, i = 0;

	while (i < len) {
		char ch = t[i];
		unsigned col = (unsigned)(i - bol);

		if (ch == '\n') {
			line++;
			bol = ++i;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			continue;
		}
		if (ch == '#') {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (ch == '/' && i + 1 < len && t[i + 1] == '*') {
			size_t j = i + 2;

			while (j + 1 < len && !(t[j] == '*' && t[j + 1] == '/')) {
				if (t[j] == '\n') {
					line++;
					bol = j + 1;
				}
				j++;
			}
			if (j + 1 >= len) {
				*eline = line;
				*ecol = col;
				return 1;
			}
			i = j + 2;
			continue;
		}
		if (strchr("{};[]", ch)) {
			if (ctok_push(c, NULL, 0, ch, line, col) < 0)
				return -1;
			i++;
			continue;
		}
		if (ch == '"') {
			struct aclf_buf w = ACLF_BUF_INIT;
			size_t j = i + 1;

			aclf_buf_init(&w, 0);
			while (j < len && t[j] != '"') {
				if (t[j] == '\\' && j + 1 < len)
					j++;
				if (t[j] == '\n' || t[j] == '\0') {
					aclf_buf_release(&w);
					*eline = line;
					*ecol = col;
					return 1;
				}
				if (aclf_buf_putc(&w, t[j]) < 0) {
					aclf_buf_release(&w);
					return -1;
				}
				j++;
			}
			if (j >= len) {
				aclf_buf_release(&w);
				*eline = line;
				*ecol = col;
				return 1;
			}
			if (ctok_push(c, w.buf, w.len, 0, line, col) < 0) {
				aclf_buf_release(&w);
				return -1;
			}
			aclf_buf_release(&w);
			i = j + 1;
			continue;
		}
		if ((unsigned char)ch < 0x20 || ch == 0x7f) {
			*eline = line;
			*ecol = col;
			return 1;
		}
		{
			size_t j = i;

			while (j < len && !strchr(" \t\r\n{};[]\"", t[j]) &&
			       (unsigned char)t[j] >= 0x20 && t[j] != 0x7f)
				j++;
			if (ctok_push(c, t + i, j - i, 0, line, col) < 0)
				return -1;
			i = j;
		}
	}
	return 0;
}

struct wvec {
	char **v;
	size_t n, cap;
};

struct svec {
	size_t *v;
	size_t n, cap;
};

static int spush(struct svec *w, size_t x)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		size_t *v = realloc(w->v, cap * sizeof(*v));

		if (!v)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = x;
	return 0;
}

static int wpush(struct wvec *w, char *s)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		char **v = realloc(w->v, cap * sizeof(*v));

		if (!v)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = s;
	return 0;
}

static int load_err(struct aclf_buf *out, const struct ctok *t, const char *what)
{
	if (aclf_buf_printf(out, "terminal:%u:(%u) %s: ", t->line, t->col, what) < 0)
		return -1;
	if (t->w ? aclf_buf_puts_escaped(out, t->w, false) < 0
		 : aclf_buf_putc(out, t->punct ? t->punct : ' ') < 0)
		return -1;
	return aclf_buf_puts(out, "\r\n");
}

/* Apply curly text to cand (merge); replace: tags delete their subtree
 * first. Returns 0 when all of it loaded, 1 after an error (what came
 * before stays), -1 out of memory. */
static int curly_apply(struct jt_node *cand, const struct curly *c, bool honour_replace,
		       struct aclf_buf *out)
{
	struct wvec path = { 0 };
	struct svec frames = { 0 };
	size_t stmt = 0, nstmt = 0; /* current statement: tokens [stmt, stmt+nstmt) */
	bool replace = false;
	int rc = -1;

	for (size_t i = 0; i < c->n; i++) {
		const struct ctok *t = &c->v[i];

		if (t->w) {
			if (nstmt == 0 && !strcmp(t->w, "replace:")) {
				replace = true;
				continue;
			}
			if (nstmt == 0)
				stmt = i;
			nstmt++;
			continue;
		}
		if (t->punct == '[') {
			size_t j = i + 1;

			if (nstmt == 0)
				goto syntax_i;
			while (j < c->n && c->v[j].w)
				j++;
			if (j >= c->n || c->v[j].punct != ']' || j + 1 >= c->n ||
			    c->v[j + 1].punct != ';') {
				i = j < c->n ? j : c->n - 1;
				goto syntax_i;
			}
			for (size_t k = i + 1; k < j; k++) {
				size_t base = path.n;
				long bad;
				const char *what;

				for (size_t m = stmt; m < stmt + nstmt; m++)
					if (wpush(&path, c->v[m].w) < 0)
						goto out;
				if (wpush(&path, c->v[k].w) < 0)
					goto out;
				bad = jst_check(path.v, path.n, &what);
				if (bad >= 0) {
					path.n = base;
					if (load_err(out, &c->v[k], what) < 0)
						goto out;
					rc = 1;
					goto out;
				}
				if (jt_set(cand, path.v, path.n) < 0)
					goto out;
				path.n = base;
			}
			i = j + 1;
			nstmt = 0;
			replace = false;
			continue;
		}
		if (t->punct == ';' || t->punct == '{') {
			size_t base = path.n;
			long bad;
			const char *what;

			if (nstmt == 0)
				goto syntax_i;
			for (size_t m = stmt; m < stmt + nstmt; m++)
				if (wpush(&path, c->v[m].w) < 0)
					goto out;
			bad = jst_check(path.v, path.n, &what);
			if (bad >= 0 && !(t->punct == '{' && !strcmp(what, "missing argument"))) {
				size_t tok = (size_t)bad >= base && (size_t)bad < path.n
						     ? stmt + ((size_t)bad - base)
						     : stmt;

				if (load_err(out, &c->v[tok], what) < 0)
					goto out;
				rc = 1;
				goto out;
			}
			if (replace && honour_replace)
				jt_delete(cand, path.v, path.n);
			replace = false;
			if (t->punct == ';') {
				if (jt_set(cand, path.v, path.n) < 0)
					goto out;
				path.n = base;
			} else {
				if (spush(&frames, base) < 0)
					goto out;
			}
			nstmt = 0;
			continue;
		}
		if (t->punct == '}') {
			size_t base;

			if (nstmt || frames.n == 0)
				goto syntax_i;
			base = frames.v[--frames.n];
			/* an empty block still creates its statement, when that is
			 * a whole statement (`family { }` is not) */
			if (!jt_find(cand, path.v, path.n)) {
				const char *what;

				if (jst_check(path.v, path.n, &what) >= 0) {
					if (load_err(out, t, what) < 0)
						goto out;
					rc = 1;
					goto out;
				}
				if (jt_set(cand, path.v, path.n) < 0)
					goto out;
			}
			path.n = base;
			continue;
		}
syntax_i:
		if (load_err(out, &c->v[i], "syntax error") < 0)
			goto out;
		rc = 1;
		goto out;
	}
	if (nstmt || frames.n) {
		struct ctok end = { NULL, '}', c->n ? c->v[c->n - 1].line : 1,
				    c->n ? c->v[c->n - 1].col : 0 };

		if (load_err(out, &end, "missing") < 0)
			goto out;
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	free(path.v);
	free(frames.v);
	return rc;
}

int emu_junos_load_text(struct junos_sess *s, int kind, const char *text, size_t len,
		    struct aclf_buf *out)
{
	struct jt_node *cand = emu_junos_candidate(s);
	unsigned errors = 0;

	if (kind == JL_SET) {
		unsigned lineno = 0;
		const char *p = text, *end = text + len;
		bool changed = false;

		while (p < end) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
			char *line = strndup(p, l);
			char *q;
			int r;

			lineno++;
			p += l + (e ? 1 : 0);
			if (!line)
				return -1;
			if (l && line[l - 1] == '\r')
				line[l - 1] = '\0';
			for (q = line; *q == ' ' || *q == '\t'; q++)
				;
			if (!*q || *q == '#') {
				free(line);
				continue;
			}
			r = emu_junos_statement(s, line, out, "terminal", lineno, &changed);
			free(line);
			if (r < 0)
				return -1;
			errors += r > 0;
		}
		return aclf_buf_puts(out, "load complete\r\n");
	}
	{
		struct curly c = { 0 };
		unsigned eline = 0, ecol = 0;
		int r = curly_lex(text, len, &c, &eline, &ecol);
		struct jt_node *work;

		if (r < 0) {
			curly_release(&c);
			return -1;
		}
		if (kind == JL_OVERRIDE)
			jt_delete(cand, NULL, 0);
		work = cand;
		if (r == 1) {
			/* the tokens before the bad byte still load */
			if (curly_apply(work, &c, kind == JL_REPLACE, out) < 0) {
				curly_release(&c);
				return -1;
			}
			curly_release(&c);
			if (aclf_buf_printf(out, "terminal:%u:(%u) syntax error\r\n", eline, ecol) < 0)
				return -1;
			errors = 1;
		} else {
			r = curly_apply(work, &c, kind == JL_REPLACE, out);
			curly_release(&c);
			if (r < 0)
				return -1;
			errors = (unsigned)r;
		}
	}
	if (errors)
		return aclf_buf_printf(out, "load complete (%u errors)\r\n", errors);
	return aclf_buf_puts(out, "load complete\r\n");
}
