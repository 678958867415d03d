/* Set form (`show configuration | display set`, `load set` input) into
 * statements: one per `set`, `delete`, `deactivate` or `activate` line. */
#include <string.h>

#include "aclforge/err.h"
#include "junos.h"

static const struct junos_tok fam_inet[2] = { { "family", 0, 0 }, { "inet", 0, 0 } };

struct junos_stmt *junos_stmts_add(struct junos_stmts *st, enum junos_op op,
				   const struct junos_tok *tok, size_t ntok, unsigned line)
{
	struct junos_stmt *s;
	bool norm = ntok >= 2 && !strcmp(tok[0].s, "firewall") && !strcmp(tok[1].s, "filter");
	size_t n = ntok + (norm ? 2 : 0);

	if (aclf_arena_grow(st->arena, (void **)&st->v, st->n, &st->cap, sizeof(*st->v)) < 0)
		return NULL;
	s = &st->v[st->n];
	memset(s, 0, sizeof(*s));
	s->tok = aclf_arena_alloc(st->arena, (n ? n : 1) * sizeof(*s->tok));
	if (!s->tok)
		return NULL;
	if (norm) {
		/* "firewall filter X" is family inet */
		s->tok[0] = tok[0];
		s->tok[1] = fam_inet[0];
		s->tok[2] = fam_inet[1];
		s->tok[1].line = s->tok[2].line = tok[1].line;
		s->tok[1].col = s->tok[2].col = tok[1].col;
		memcpy(s->tok + 3, tok + 1, (ntok - 1) * sizeof(*tok));
	} else if (ntok) {
		memcpy(s->tok, tok, ntok * sizeof(*tok));
	}
	s->ntok = n;
	s->op = op;
	s->line = line;
	st->n++;
	return s;
}

struct tokv {
	struct junos_tok *v;
	size_t n, cap;
};

/* s is a NUL-terminated word (in the line's copy, or static) */
static int push_tok(struct aclf_arena *a, struct tokv *tv, const char *s, unsigned line,
		    unsigned col)
{
	if (aclf_arena_grow(a, (void **)&tv->v, tv->n, &tv->cap, sizeof(*tv->v)) < 0)
		return -1;
	tv->v[tv->n].s = s;
	tv->v[tv->n].line = line;
	tv->v[tv->n].col = col;
	tv->n++;
	return 0;
}

/* Split one line into words; "quoted strings" (with \" and \\) are one
 * word, '[' and ']' are words of their own. The words are one copy of the
 * line with a NUL after each (st's arena); tv is scratch (la). */
static int split_line(struct aclf_arena *a, struct aclf_arena *la, const char *p, size_t n,
		      unsigned line, unsigned off, const char *name, struct tokv *tv,
		      struct aclf_err *err)
{
	size_t i = 0;
	char *copy = aclf_arena_strndup(a, p, n);

	if (!copy)
		goto nomem;
	while (i < n) {
		size_t start;
		if (p[i] == ' ' || p[i] == '\t') {
			i++;
			continue;
		}
		start = i;
		if (p[i] == '[' || p[i] == ']') {
			if (push_tok(la, tv, p[i] == '[' ? "[" : "]", line, (unsigned)i + 1) < 0)
				goto nomem;
			i++;
			continue;
		}
		if (p[i] == '"') {
			char *buf = aclf_arena_alloc(a, n - i + 1);
			size_t w = 0;
			if (!buf)
				goto nomem;
			for (i++; i < n && p[i] != '"'; i++) {
				if (p[i] == '\\' && i + 1 < n)
					i++;
				buf[w++] = p[i];
			}
			if (i >= n)
				return aclf_err_at(err, name, line, off + (unsigned)start + 1,
						   "unterminated quoted string");
			i++;
			if (aclf_arena_grow(la, (void **)&tv->v, tv->n, &tv->cap, sizeof(*tv->v)) < 0)
				goto nomem;
			tv->v[tv->n].s = buf;
			tv->v[tv->n].line = line;
			tv->v[tv->n].col = (unsigned)start + 1;
			tv->n++;
			continue;
		}
		while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '[' && p[i] != ']' && p[i] != '"')
			i++;
		copy[i] = '\0'; /* what ended the word is read from p */
		if (push_tok(la, tv, copy + start, line, (unsigned)start + 1) < 0)
			goto nomem;
	}
	return 0;
nomem:
	return aclf_err_nomem(err);
}

/* `{master:0}`, `{primary:node1}`: a banner, not configuration */
static bool is_banner(const char *p, size_t n)
{
	if (n < 3 || p[0] != '{' || p[n - 1] != '}')
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (p[i] == ' ' || p[i] == '{' || p[i] == '}')
			return false;
	return true;
}

static bool word_is(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);

	return n >= wl && !memcmp(p, w, wl) && (n == wl || p[wl] == ' ' || p[wl] == '\t');
}

/* The lines; la holds tv, one line's words (junos_stmts_add copies them
 * at their size). */
static int set_lines(const char *text, size_t len, const char *name, struct junos_stmts *st,
		     struct aclf_err *err, struct aclf_arena *la)
{
	static const struct {
		const char *word;
		enum junos_op op;
	} ops[] = {
		{ "set", JUNOS_SET }, { "delete", JUNOS_DELETE },
		{ "deactivate", JUNOS_DEACTIVATE }, { "activate", JUNOS_ACTIVATE },
	};
	size_t pos = 0;
	unsigned line = 0;
	char snip[64];
	struct tokv tv = { 0 };

	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		size_t ws, wl;
		bool known = false;

		tv.n = 0;
		pos += n + (nl ? 1 : 0);
		line++;
		if (memchr(p, '\0', n))
			return aclf_err_at(err, name, line,
					   (unsigned)((const char *)memchr(p, '\0', n) - p) + 1,
					   "unexpected NUL byte");
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		ws = 0;
		while (ws < n && (p[ws] == ' ' || p[ws] == '\t'))
			ws++;
		p += ws;
		n -= ws;
		if (n == 0 || p[0] == '#' || is_banner(p, n) || word_is(p, n, "show") ||
		    junos_prompt_len(p, n) ||
		    word_is(p, n, "annotate"))
			continue;
		for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
			if (!word_is(p, n, ops[k].word))
				continue;
			wl = strlen(ops[k].word);
			if (split_line(st->arena, la, p + wl, n - wl, line, (unsigned)(ws + wl), name,
				       &tv, err) < 0)
				return -1;
			/* columns relative to the line, not to the words after the verb */
			for (size_t t = 0; t < tv.n; t++)
				tv.v[t].col += (unsigned)(ws + wl);
			if (tv.n == 0)
				return aclf_err_at(err, name, line, (unsigned)ws + 1, "incomplete statement '%s'",
						   ops[k].word);
			/* a last statement without its line end may be cut short
			 * ("port 50" of "port 5060") */
			if (!nl)
				return aclf_err_at(err, name, line, (unsigned)(ws + n) + 1,
						   "text ends in the middle of a line (no line end after "
						   "'%s'): cut short?", tv.v[tv.n - 1].s);
			if (!junos_stmts_add(st, ops[k].op, tv.v, tv.n, line))
				return aclf_err_nomem(err);
			known = true;
			break;
		}
		if (!known)
			return aclf_err_at(err, name, line, (unsigned)ws + 1,
					   "expected a 'set' line, got '%s'",
					   junos_snippet(snip, sizeof(snip), p, n));
	}
	return 0;
}

int junos_set_to_stmts(const char *text, size_t len, const char *name, struct junos_stmts *st,
		       struct aclf_err *err)
{
	struct aclf_arena la;
	int rc;

	aclf_arena_init(&la);
	rc = set_lines(text, len, name, st, err, &la);
	aclf_arena_release(&la);
	return rc;
}
