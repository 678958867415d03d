/* The nft text form into the JSON objects `nft -j list ruleset` prints,
 * given to a sink one at a time (see nftd_text.h). Commands read: `table FAMILY NAME { ... }` (also `add
 * table`, or without a body), `delete table` / `destroy table` and `flush
 * ruleset`, which forget what came before, as `nft -f` does. Inside table
 * inet aclforge: set, map, counter and chain blocks; other objects (quota,
 * limit, flowtable, ...) and other tables are skipped whole, as the JSON
 * walker skips them. Every rule keeps its line:col and its own text. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/err.h"
#include "nftables/nftd.h"
#include "nftables/nftd_text.h"

struct walker {
	struct nftd_tp tp;
	const struct nftd_text_sink *sink;
	json_t *chains;          /* name -> chain object (type, hook, policy) */
	bool table;              /* table inet aclforge exists */
};

static struct nftd_tok *cur(struct walker *w)
{
	return nftd_tp_tok(&w->tp, w->tp.i);
}

static struct nftd_tok *ahead(struct walker *w)
{
	return nftd_tp_tok(&w->tp, w->tp.i + 1);
}

static struct nftd_tok *next(struct walker *w)
{
	struct nftd_tok *t = cur(w);

	if (t->k != NFTD_T_EOF)
		w->tp.i++;
	return t;
}

static char *tok_str(struct walker *w, const struct nftd_tok *t)
{
	return aclf_arena_strndup(w->tp.a, t->s, t->n);
}

static bool is_punct(const struct nftd_tok *t, char c)
{
	return t->k == NFTD_T_PUNCT && t->s[0] == c;
}

static int oom(struct walker *w)
{
	return aclf_err_nomem(w->tp.err);
}

/* Blank lines, ';' and comments. */
static void skip_blank(struct walker *w)
{
	while (cur(w)->k == NFTD_T_NL || cur(w)->k == NFTD_T_COMMENT || is_punct(cur(w), ';'))
		next(w);
}

static int expect(struct walker *w, char c, const char *what)
{
	if (!is_punct(cur(w), c))
		return nftd_tp_err(&w->tp, cur(w), "'%c' expected %s", c, what);
	next(w);
	return 0;
}

/* A name: a word or a "string". */
static const char *name_tok(struct walker *w, const char *what)
{
	struct nftd_tok *t = cur(w);
	char *s;

	if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR) {
		nftd_tp_err(&w->tp, t, "%s name expected", what);
		return NULL;
	}
	next(w);
	s = tok_str(w, t);
	if (!s)
		oom(w);
	return s;
}

/* Past one item of a block: up to the end of its line, or past the closing
 * brace of a block it opens; the block's own '}' is left. */
static int skip_item(struct walker *w, const struct nftd_tok *start)
{
	size_t depth = 0;

	for (;;) {
		struct nftd_tok *t = cur(w);
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, start, "block not closed: '}' expected");
		if ((t->k == NFTD_T_NL || is_punct(t, ';')) && depth == 0)
			return 0;
		if (is_punct(t, '}')) {
			if (depth == 0)
				return 0;
			if (--depth == 0) {
				next(w);
				return 0;
			}
		} else if (is_punct(t, '{')) {
			depth++;
		}
		next(w);
	}
}

/* Give body (its reference taken) to the sink. */
static int add_obj(struct walker *w, const struct nftd_tok *at, const char *kind, json_t *body,
		   const char *raw, size_t raw_len, bool nohandle)
{
	struct nftd_pos pos = { at->line, at->col, raw, raw_len, nohandle };
	int rc;

	if (!body)
		return oom(w);
	rc = w->sink->obj(w->sink->ctx, kind, body, &pos);
	json_decref(body);
	return rc;
}

static json_t *ours(void)
{
	return json_pack("{ssss}", "family", NFTD_FAMILY, "table", NFTD_TABLE);
}

/* ---- sets ---- */

static const char *typeof_type(const char *expr)
{
	static const char *const map[][2] = {
		{ "ip saddr", "ipv4_addr" },	 { "ip daddr", "ipv4_addr" },
		{ "ip6 saddr", "ipv6_addr" },	 { "ip6 daddr", "ipv6_addr" },
		{ "tcp dport", "inet_service" }, { "tcp sport", "inet_service" },
		{ "udp dport", "inet_service" }, { "udp sport", "inet_service" },
		{ "th dport", "inet_service" },	 { "th sport", "inet_service" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(expr, map[i][0]))
			return map[i][1];
	return expr;
}

/* Words up to the end of the line or ';', joined by one space. */
static char *words_line(struct walker *w)
{
	struct aclf_buf b;
	char *s;

	aclf_buf_init(&b, 0);
	while (cur(w)->k == NFTD_T_WORD || cur(w)->k == NFTD_T_STR) {
		struct nftd_tok *t = next(w);
		aclf_buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)t->n, t->s);
	}
	s = aclf_arena_strdup(w->tp.a, b.buf);
	aclf_buf_release(&b);
	return s;
}

/* elements = { e, e, ... }: each element a word or string, optionally
 * followed by words nft prints about it (timeout, expires, counter, comment) */
static int set_elements(struct walker *w, const struct nftd_tok *start, enum nftd_vkind kind,
			bool other, json_t *arr)
{
	bool first = true;

	if (expect(w, '{', "after 'elements ='") < 0)
		return -1;
	for (;;) {
		struct nftd_tok *t;
		while (cur(w)->k == NFTD_T_NL || cur(w)->k == NFTD_T_COMMENT)
			next(w);
		t = cur(w);
		if (is_punct(t, '}')) {
			next(w);
			return 0;
		}
		if (!first && expect(w, ',', "between set elements") < 0)
			return -1;
		while (cur(w)->k == NFTD_T_NL || cur(w)->k == NFTD_T_COMMENT)
			next(w);
		t = cur(w);
		if (is_punct(t, '}'))
			continue;
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, start, "elements not closed: '}' expected");
		if (t->k != NFTD_T_WORD && t->k != NFTD_T_STR)
			return nftd_tp_err(&w->tp, t, "set element expected");
		next(w);
		first = false;
		if (!other && json_array_append_new(arr, nftd_text_value(t, kind)) < 0)
			return oom(w);
		/* what nft says about the element, or a map's ": value" */
		while (cur(w)->k == NFTD_T_WORD || cur(w)->k == NFTD_T_STR || cur(w)->k == NFTD_T_NL)
			next(w);
	}
}

static int parse_set(struct walker *w, const struct nftd_tok *kw, bool is_map)
{
	const char *name = name_tok(w, "set"), *type = NULL, *comment = NULL;
	size_t elem_at = 0;
	json_t *o, *arr;
	enum nftd_vkind kind = NFTD_VAL_PLAIN;

	if (!name || expect(w, '{', "after the set name") < 0)
		return -1;
	for (;;) {
		struct nftd_tok *t;
		skip_blank(w);
		t = cur(w);
		if (is_punct(t, '}')) {
			next(w);
			break;
		}
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, kw, "set '%s' not closed: '}' expected", name);
		next(w);
		if (nftd_tok_is(t, "type") || nftd_tok_is(t, "typeof")) {
			const char *s = words_line(w);
			if (!s)
				return oom(w);
			type = t->n == 6 ? typeof_type(s) : s;
		} else if (nftd_tok_is(t, "comment") && cur(w)->k == NFTD_T_STR) {
			if (!(comment = tok_str(w, next(w))))
				return oom(w);
		} else if (nftd_tok_is(t, "elements")) {
			if (!nftd_tok_is(cur(w), "="))
				return nftd_tp_err(&w->tp, cur(w), "'=' expected after 'elements'");
			next(w);
			elem_at = w->tp.i;
			if (skip_item(w, t) < 0)
				return -1;
		} else if (skip_item(w, t) < 0) {
			return -1;
		}
	}
	if (!type)
		return nftd_tp_err(&w->tp, kw, "set '%s' without a type", name);
	if (!strcmp(type, "ipv4_addr") || !strcmp(type, "ipv6_addr"))
		kind = NFTD_VAL_ADDR;
	else if (!strcmp(type, "inet_service"))
		kind = NFTD_VAL_PORT;
	arr = json_array();
	if (!arr)
		return oom(w);
	if (elem_at) {
		size_t back = w->tp.i;
		w->tp.i = elem_at;
		if (set_elements(w, kw, kind, is_map || (kind == NFTD_VAL_PLAIN), arr) < 0) {
			json_decref(arr);
			return -1;
		}
		w->tp.i = back;
	}
	/* a set named again is given again: the decoder adds its elements
	 * (nft -f merges) */
	o = ours();
	if (!o || json_object_set_new(o, "elem", arr) < 0 ||
	    json_object_set_new(o, "name", json_string(name)) < 0 ||
	    json_object_set_new(o, "type", json_string(type)) < 0 ||
	    (comment && json_object_set_new(o, "comment", json_string(comment)) < 0)) {
		if (!o)
			json_decref(arr);
		json_decref(o);
		return oom(w);
	}
	return add_obj(w, kw, is_map ? "map" : "set", o, NULL, 0, false);
}

/* ---- counters ---- */

static int number(struct walker *w, json_int_t *out)
{
	struct nftd_tok *t = cur(w);
	char buf[32];
	char *end;

	if (t->k != NFTD_T_WORD || t->n == 0 || t->n >= sizeof(buf) || t->s[0] < '0' || t->s[0] > '9')
		return nftd_tp_err(&w->tp, t, "number expected");
	memcpy(buf, t->s, t->n);
	buf[t->n] = '\0';
	*out = (json_int_t)strtoll(buf, &end, 10);
	if (*end)
		return nftd_tp_err(&w->tp, t, "number expected");
	next(w);
	return 0;
}

static int parse_counter(struct walker *w, const struct nftd_tok *kw)
{
	const char *name = name_tok(w, "counter");
	json_int_t packets = 0, bytes = 0;
	json_t *o;

	if (!name)
		return -1;
	if (is_punct(cur(w), '{')) {
		next(w);
		for (;;) {
			struct nftd_tok *t;
			skip_blank(w);
			t = cur(w);
			if (is_punct(t, '}')) {
				next(w);
				break;
			}
			if (t->k == NFTD_T_EOF)
				return nftd_tp_err(&w->tp, kw, "counter '%s' not closed: '}' expected",
						   name);
			next(w);
			if (nftd_tok_is(t, "packets")) {
				if (number(w, &packets) < 0)
					return -1;
			} else if (nftd_tok_is(t, "bytes")) {
				if (number(w, &bytes) < 0)
					return -1;
			} else if (skip_item(w, t) < 0) {
				return -1;
			}
		}
	}
	o = ours();
	if (!o || json_object_set_new(o, "name", json_string(name)) < 0 ||
	    json_object_set_new(o, "packets", json_integer(packets)) < 0 ||
	    json_object_set_new(o, "bytes", json_integer(bytes)) < 0) {
		json_decref(o);
		return oom(w);
	}
	return add_obj(w, kw, "counter", o, NULL, 0, false);
}

/* ---- chains and rules ---- */

/* `type filter hook input priority filter;` (device, devices: skipped) */
static int chain_type(struct walker *w, json_t *o)
{
	struct nftd_tok *t = cur(w);

	if (t->k != NFTD_T_WORD)
		return nftd_tp_err(&w->tp, t, "chain type expected");
	next(w);
	if (json_object_set_new(o, "type", json_stringn(t->s, t->n)) < 0)
		return oom(w);
	while (cur(w)->k == NFTD_T_WORD) {
		t = next(w);
		if (nftd_tok_is(t, "hook")) {
			if (cur(w)->k != NFTD_T_WORD)
				return nftd_tp_err(&w->tp, cur(w), "hook name expected");
			t = next(w);
			if (json_object_set_new(o, "hook", json_stringn(t->s, t->n)) < 0)
				return oom(w);
		} else if (nftd_tok_is(t, "priority")) {
			while (cur(w)->k == NFTD_T_WORD)
				next(w);
		}
	}
	return skip_item(w, t);
}

/* One rule: the tokens to the end of its line (braces may span lines). */
static int parse_rule(struct walker *w, const char *chain)
{
	struct nftd_tok *first = cur(w), *last = first;
	size_t b = w->tp.i, e, depth = 0;
	long long handle = -1;
	json_t *o;

	for (;;) {
		struct nftd_tok *t = cur(w);
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, first, "chain '%s' not closed: '}' expected", chain);
		if (depth == 0 && (t->k == NFTD_T_NL || is_punct(t, ';') || is_punct(t, '}') ||
				   t->k == NFTD_T_COMMENT))
			break;
		if (is_punct(t, '{'))
			depth++;
		else if (is_punct(t, '}'))
			depth--;
		if (t->k != NFTD_T_NL && t->k != NFTD_T_COMMENT)
			last = t;
		next(w);
	}
	e = w->tp.i;
	if (cur(w)->k == NFTD_T_COMMENT) {
		/* nft -a: "# handle N" */
		const struct nftd_tok *c = next(w);
		char buf[40];
		unsigned long long h;
		int used = 0;
		if (c->n < sizeof(buf)) {
			memcpy(buf, c->s, c->n);
			buf[c->n] = '\0';
			if (sscanf(buf, " handle %llu%n", &h, &used) == 1 && !buf[used] && h < (1ull << 62))
				handle = (long long)h;
		}
	}
	o = ours();
	if (!o || json_object_set_new(o, "chain", json_string(chain)) < 0 ||
	    json_object_set_new(o, "handle", json_integer(handle >= 0 ? handle : first->line)) < 0) {
		json_decref(o);
		return oom(w);
	}
	if (nftd_text_rule(&w->tp, b, e, o) < 0) {
		json_decref(o);
		return -1;
	}
	/* its own text: where the input holds it, copied only by a decoder
	 * that keeps it */
	return add_obj(w, first, "rule", o, w->tp.text + first->off,
		       last->off + (last->k == NFTD_T_STR ? last->n + 2 : last->n) - first->off,
		       handle < 0);
}

/* The chain object as it stands to the sink (the walker keeps it). */
static int give_chain(struct walker *w, const struct nftd_tok *kw, json_t *o)
{
	return add_obj(w, kw, "chain", json_incref(o), NULL, 0, false);
}

/* A chain block: given to the sink before its first rule, and again at its
 * end when its type or policy came after that (or in a block of the same
 * name: nft -f merges them). The tokens of each rule are released once it
 * is read. */
static int parse_chain(struct walker *w, const struct nftd_tok *kwp)
{
	const struct nftd_tok kw = *kwp; /* its block may be released */
	const char *name = name_tok(w, "chain");
	bool dirty = false;
	json_t *o;

	if (!name || expect(w, '{', "after the chain name") < 0)
		return -1;
	o = json_object_get(w->chains, name);
	if (!o) {
		o = ours();
		if (!o || json_object_set_new(o, "name", json_string(name)) < 0 ||
		    json_object_set_new(w->chains, name, o) < 0)
			return oom(w);
		dirty = true;
	}
	for (;;) {
		struct nftd_tok *t;
		nftd_tp_release(&w->tp, w->tp.i);
		skip_blank(w);
		t = cur(w);
		if (is_punct(t, '}')) {
			next(w);
			return dirty ? give_chain(w, &kw, o) : 0;
		}
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, &kw, "chain '%s' not closed: '}' expected", name);
		if (nftd_tok_is(t, "type")) {
			next(w);
			dirty = true;
			if (chain_type(w, o) < 0)
				return -1;
		} else if (nftd_tok_is(t, "policy")) {
			next(w);
			dirty = true;
			if (cur(w)->k != NFTD_T_WORD)
				return nftd_tp_err(&w->tp, cur(w), "chain policy expected");
			t = next(w);
			if (json_object_set_new(o, "policy", json_stringn(t->s, t->n)) < 0)
				return oom(w);
		} else if ((nftd_tok_is(t, "comment") && ahead(w)->k == NFTD_T_STR) ||
			   nftd_tok_is(t, "devices")) {
			next(w);
			if (skip_item(w, t) < 0)
				return -1;
		} else {
			if (dirty && give_chain(w, &kw, o) < 0)
				return -1;
			dirty = false;
			if (parse_rule(w, name) < 0)
				return -1;
		}
	}
}

/* ---- tables ---- */

static bool family_word(const struct nftd_tok *t)
{
	static const char *const fam[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
		if (nftd_tok_is(t, fam[i]))
			return true;
	return false;
}

/* FAMILY NAME (FAMILY defaults to ip); *is_ours when inet aclforge */
static int table_id(struct walker *w, bool *is_ours)
{
	struct nftd_tok *fam = cur(w), *name;
	bool inet = false;

	if (family_word(fam) && (ahead(w)->k == NFTD_T_WORD || ahead(w)->k == NFTD_T_STR)) {
		inet = nftd_tok_is(fam, NFTD_FAMILY);
		next(w);
	}
	name = cur(w);
	if (name->k != NFTD_T_WORD && name->k != NFTD_T_STR)
		return nftd_tp_err(&w->tp, name, "table name expected");
	next(w);
	*is_ours = inet && name->n == strlen(NFTD_TABLE) && !memcmp(name->s, NFTD_TABLE, name->n);
	return 0;
}

static void forget(struct walker *w)
{
	json_object_clear(w->chains);
	w->table = false;
	w->sink->forget(w->sink->ctx);
}

static int table_body(struct walker *w, const struct nftd_tok *kwp, bool mine)
{
	const struct nftd_tok kw0 = *kwp, *kw = &kw0; /* its block may be released */

	for (;;) {
		struct nftd_tok *t;
		int rc;
		nftd_tp_release(&w->tp, w->tp.i);
		skip_blank(w);
		t = cur(w);
		if (is_punct(t, '}')) {
			next(w);
			return 0;
		}
		if (t->k == NFTD_T_EOF)
			return nftd_tp_err(&w->tp, kw, "table not closed: '}' expected");
		if (t->k != NFTD_T_WORD)
			return nftd_tp_err(&w->tp, t, "table item expected");
		next(w);
		if (mine && (nftd_tok_is(t, "set") || nftd_tok_is(t, "map")))
			rc = parse_set(w, t, t->s[0] == 'm');
		else if (mine && nftd_tok_is(t, "counter"))
			rc = parse_counter(w, t);
		else if (mine && nftd_tok_is(t, "chain"))
			rc = parse_chain(w, t);
		else /* flags, comment, quota, limit, flowtable, ...; other tables */
			rc = skip_item(w, t);
		if (rc < 0)
			return -1;
	}
}

static int command(struct walker *w)
{
	struct nftd_tok *t = next(w);
	bool mine;

	if (nftd_tok_is(t, "add") || nftd_tok_is(t, "create")) {
		if (!nftd_tok_is(cur(w), "table"))
			return nftd_tp_err(&w->tp, cur(w), "unsupported command '%.*s %.*s' (the "
					   "parser reads table blocks, as `nft list ruleset` prints "
					   "them)", (int)t->n, t->s, (int)cur(w)->n, cur(w)->s);
		t = next(w);
	}
	if (nftd_tok_is(t, "table")) {
		if (table_id(w, &mine) < 0)
			return -1;
		if (mine && !w->table) {
			w->table = true;
			if (add_obj(w, t, "table", json_pack("{ssss}", "family", NFTD_FAMILY, "name",
							     NFTD_TABLE), NULL, 0, false) < 0)
				return -1;
		}
		if (!is_punct(cur(w), '{'))
			return 0;
		next(w);
		return table_body(w, t, mine);
	}
	if ((nftd_tok_is(t, "delete") || nftd_tok_is(t, "destroy")) && nftd_tok_is(cur(w), "table")) {
		next(w);
		if (table_id(w, &mine) < 0)
			return -1;
		if (mine)
			forget(w);
		return 0;
	}
	if (nftd_tok_is(t, "flush") && nftd_tok_is(cur(w), "ruleset")) {
		next(w);
		forget(w);
		return 0;
	}
	if (t->k != NFTD_T_WORD)
		return nftd_tp_err(&w->tp, t, "'table FAMILY NAME {' expected");
	return nftd_tp_err(&w->tp, t, "unsupported command '%.*s' (the parser reads table blocks, "
			   "as `nft list ruleset` prints them, 'delete table' and 'flush ruleset')",
			   (int)t->n, t->s);
}

int nftd_text_read(const char *text, size_t len, const char *label, struct aclf_arena *a,
		   struct aclf_err *err, const struct nftd_text_sink *sink)
{
	struct walker w;
	struct nftd_tok last;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.tp.text = text;
	w.tp.label = label;
	w.tp.a = a;
	w.tp.err = err;
	w.sink = sink;
	nftd_lexer_init(&w.tp.lx, text, len, label, err);
	w.chains = json_object();
	if (!w.chains) {
		oom(&w);
		goto out;
	}
	/* the whole text lexed once, keeping nothing: its errors come first,
	 * as does a cut. nft ends every line it prints; a last line without
	 * its end is refused unless it closes a block (a cut between
	 * statements) */
	if (nftd_lex_check(text, len, label, err, &last) < 0)
		goto out;
	if (last.k != NFTD_T_EOF && last.k != NFTD_T_NL && last.k != NFTD_T_COMMENT &&
	    !is_punct(&last, '}')) {
		nftd_tp_err(&w.tp, &last, "the text ends in the middle of a line (cut?)");
		goto out;
	}
	for (;;) {
		nftd_tp_release(&w.tp, w.tp.i);
		skip_blank(&w);
		if (cur(&w)->k == NFTD_T_EOF)
			break;
		if (command(&w) < 0)
			goto out;
		if (cur(&w)->k != NFTD_T_EOF && cur(&w)->k != NFTD_T_NL && !is_punct(cur(&w), ';') &&
		    cur(&w)->k != NFTD_T_COMMENT) {
			nftd_tp_err(&w.tp, cur(&w), "end of line expected");
			goto out;
		}
	}
	rc = 0;
out:
	if (w.tp.oom) {
		aclf_err_nomem(err);
		rc = -1;
	}
	json_decref(w.chains);
	nftd_tp_free(&w.tp);
	return rc;
}
