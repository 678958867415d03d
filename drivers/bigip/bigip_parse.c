/* Parse tmsh text into raw objects: ltm virtual, pool, node, monitor,
 * persistence and profile. Everything else is skipped, but its braces must
 * balance; iRules and other Tcl bodies are skipped with Tcl's brace rules.
 *
 * Three layouts are read with the same property tables:
 * - list output and bigip.conf: one property per line inside braces
 *   (a '{' followed by a new line); an unknown property is skipped to the
 *   end of its line, with any block it opens;
 * - one-line objects (`create ltm ... { ... }`, `list ... one-line`):
 *   properties follow each other on one line, so an unknown property must be
 *   one whose arity is known (a table below) or be followed by a block;
 * - brace-less `create ltm virtual NAME destination ... pool ...` lines.
 * The text may mix them; statements that are not objects (prompts,
 * `create cli transaction`, `modify ...`, show headers) are skipped. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/err.h"
#include "bigip_int.h"

enum prop_how {
	PV,     /* one value into a struct bip_val */
	PFLAG,  /* bare keyword: int = flag */
	PKW,    /* bare keyword: the keyword and where it is into a struct bip_val */
	PITEMS, /* [replace-all-with|add] { item [{ body }] ... } or none */
	PBLOCK, /* { nested properties } on the same base */
	PMON,   /* pool monitor rule */
};

struct prop {
	const char *key;
	enum prop_how how;
	size_t off;
	int flag;
	const struct prop *sub;
};

#define OBJ(f) offsetof(struct bip_obj, f)
#define ITEM(f) offsetof(struct bip_item, f)

static const struct prop no_props[] = { { NULL, PV, 0, 0, NULL } };

static const struct prop profile_item_props[] = {
	{ "context", PV, ITEM(context), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop persist_item_props[] = {
	{ "default", PV, ITEM(def), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop member_props[] = {
	{ "address", PV, ITEM(address), 0, NULL },
	{ "addr", PV, ITEM(address), 0, NULL }, /* show ... field-fmt */
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop snat_props[] = {
	{ "type", PV, OBJ(snat_type), 0, NULL },
	{ "pool", PV, OBJ(snat_pool), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop virtual_props[] = {
	{ "destination", PV, OBJ(destination), 0, NULL },
	{ "mask", PV, OBJ(mask), 0, NULL },
	{ "ip-protocol", PV, OBJ(ip_protocol), 0, NULL },
	{ "pool", PV, OBJ(pool), 0, NULL },
	{ "description", PV, OBJ(description), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ "profiles", PITEMS, OBJ(profiles), 0, profile_item_props },
	{ "persist", PITEMS, OBJ(persist), 0, persist_item_props },
	{ "vlans", PITEMS, OBJ(vlans), 0, no_props },
	{ "vlans-enabled", PKW, OBJ(vlans_state), 0, NULL },
	{ "vlans-disabled", PKW, OBJ(vlans_state), 0, NULL },
	{ "enabled", PKW, OBJ(state), 0, NULL },
	{ "disabled", PKW, OBJ(state), 0, NULL },
	/* virtual types other than standard / performance: they do not load
	 * balance to a pool (bigip_assemble.c marks them opaque) */
	{ "ip-forward", PKW, OBJ(vtype), 0, NULL },
	{ "l2-forward", PKW, OBJ(vtype), 0, NULL },
	{ "reject", PKW, OBJ(vtype), 0, NULL },
	{ "internal", PKW, OBJ(vtype), 0, NULL },
	{ "stateless", PKW, OBJ(vtype), 0, NULL },
	{ "dhcp-relay", PKW, OBJ(vtype), 0, NULL },
	{ "source", PV, OBJ(source), 0, NULL },
	{ "source-address-translation", PBLOCK, 0, 0, snat_props },
	{ "snat", PV, OBJ(old_snat), 0, NULL },
	{ "snatpool", PV, OBJ(old_snatpool), 0, NULL },
	{ "translate-address", PV, OBJ(translate_address), 0, NULL },
	{ "translate-port", PV, OBJ(translate_port), 0, NULL },
	{ "traffic-matching-criteria", PV, OBJ(tmc), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop tmc_props[] = {
	{ "destination-address-inline", PV, OBJ(tmc_daddr), 0, NULL },
	{ "destination-port-inline", PV, OBJ(tmc_dport), 0, NULL },
	{ "source-address-inline", PV, OBJ(tmc_saddr), 0, NULL },
	{ "source-port-inline", PV, OBJ(tmc_sport), 0, NULL },
	{ "destination-address-list", PV, OBJ(tmc_dalist), 0, NULL },
	{ "destination-port-list", PV, OBJ(tmc_dplist), 0, NULL },
	{ "source-address-list", PV, OBJ(tmc_salist), 0, NULL },
	{ "source-port-list", PV, OBJ(tmc_splist), 0, NULL },
	{ "protocol", PV, OBJ(ip_protocol), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop pool_props[] = {
	{ "load-balancing-mode", PV, OBJ(lb_method), 0, NULL },
	{ "members", PITEMS, OBJ(members), 0, member_props },
	{ "monitor", PMON, OBJ(monitors), 0, NULL },
	{ "description", PV, OBJ(description), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop node_props[] = {
	{ "address", PV, OBJ(address), 0, NULL },
	{ "description", PV, OBJ(description), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop monitor_props[] = {
	{ "defaults-from", PV, OBJ(defaults_from), 0, NULL },
	{ "destination", PV, OBJ(destination), 0, NULL },
	{ "interval", PV, OBJ(interval), 0, NULL },
	{ "timeout", PV, OBJ(timeout), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop persist_props[] = {
	{ "defaults-from", PV, OBJ(defaults_from), 0, NULL },
	{ "mask", PV, OBJ(mask), 0, NULL },
	{ "timeout", PV, OBJ(timeout), 0, NULL },
	{ "cookie-name", PV, OBJ(cookie_name), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

static const struct prop profile_props[] = {
	{ "defaults-from", PV, OBJ(defaults_from), 0, NULL },
	{ "idle-timeout", PV, OBJ(idle_timeout), 0, NULL },
	{ "source-mask", PV, OBJ(source_mask), 0, NULL },
	{ "partition", PV, OBJ(partition), 0, NULL },
	{ NULL, PV, 0, 0, NULL },
};

/* Properties we do not read whose value is one word (or a block, which is
 * recognised by its brace): enough to skip them in one-line objects. A name
 * here that a table above reads (source, translate-address, ...) is read
 * there: these lists only serve the other objects. */
static const char *const ignore_one[] = {
	"adaptive", "address-status", "allow-nat", "allow-snat", "app-service", "auto-lasthop",
	"clone-pools", "cmp-enabled", "compatibility", "connection-limit", "creation-time",
	"description", "dynamic-ratio", "expiration", "fallback-persistence", "flow-eviction-policy",
	"gtm-score", "hash-algorithm", "ignore-persisted-weight", "inherit-profile", "ip-dscp",
	"ip-tos-to-client", "ip-tos-to-server", "last-hop-pool", "last-modified-time",
	"link-qos-to-client", "link-qos-to-server", "logging", "manual-resume", "match-across-pools",
	"match-across-services", "match-across-virtuals", "metadata", "method", "min-active-members",
	"min-up-members", "min-up-members-action", "min-up-members-checking", "mirror",
	"monitor", "nat64", "override-connection-limit", "partition", "policies",
	"priority-group", "queue-depth-limit", "queue-on-connection-limit", "queue-time-limit",
	"rate-class", "rate-limit", "rate-limit-dst-mask", "rate-limit-mode",
	"rate-limit-src-mask", "ratio", "recv", "recv-disable", "related-rules", "reselect-tries",
	"reverse", "rules", "security-log-profiles", "send", "serverssl-use-sni",
	"service-down-action", "service-down-immediate-action", "session", "slow-ramp-time",
	"source", "source-port", "state", "syn-cookie-status", "time-until-up",
	"traffic-classes", "traffic-matching-criteria", "translate-address", "translate-port",
	"transparent", "up-interval", "vs-index", "context", "default", "cookie-encryption",
	"httponly", "secure", "always-send", "encrypt-cookie-poolname", "mask", "address",
	"timeout", "interval", "destination", "defaults-from", "idle-timeout", "pool", "type",
	"source-mask",
	"route-domain",
};

static const char *const ignore_flag[] = {
	"enabled", "disabled", "ip-forward", "l2-forward", "reject", "internal", "stateless",
	"dhcp-relay", "vlans-enabled", "vlans-disabled",
};

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

enum mode {
	M_LINES,  /* one property per line, inside braces */
	M_INLINE, /* properties on one line, inside braces */
	M_LINE,   /* brace-less create: until the end of the line */
};

struct pctx {
	struct bip_lex lx;
	struct bip_doc *doc;
	struct aclf_arena *a;
};

static int nomem(struct pctx *c)
{
	return aclf_err_set(c->lx.err, ACLF_E_NOMEM, "out of memory parsing big-ip text");
}

static int tok_err(struct pctx *c, const struct bip_tok *t, const char *what)
{
	if (t->kind == BIP_T_EOF)
		return bip_lex_error(&c->lx, t->line, t->col, "text ends: %s", what);
	return bip_lex_error(&c->lx, t->line, t->col, "%s, found '%.*s'", what,
			     (int)(t->n > 40 ? 40 : t->n), t->s);
}

static bool is_value(const struct bip_tok *t)
{
	return t->kind == BIP_T_WORD || t->kind == BIP_T_STRING;
}

/* Skip a block whose '{' was consumed: balanced, quote-aware, with Tcl
 * bodies ("definition { ... }") skipped raw. Iterative: depth is bounded by
 * the text only. */
static int skip_block(struct pctx *c, const char *what, unsigned open_line, bool raw)
{
	struct bip_tok t;
	size_t depth = 1;
	bool prev_def = false;

	if (raw)
		return bip_lex_skip_raw(&c->lx, what, open_line);
	for (;;) {
		if (bip_lex_next(&c->lx, &t) < 0)
			return -1;
		switch (t.kind) {
		case BIP_T_EOF:
			return bip_lex_error(&c->lx, t.line, t.col,
					     "text ends inside '%s' opened at line %u: missing '}'",
					     what, open_line);
		case BIP_T_LBRACE:
			if (prev_def) {
				if (bip_lex_skip_raw(&c->lx, "definition", t.line) < 0)
					return -1;
			} else {
				depth++;
			}
			break;
		case BIP_T_RBRACE:
			if (--depth == 0)
				return 0;
			break;
		case BIP_T_WORD:
		case BIP_T_STRING:
			break;
		}
		prev_def = bip_tok_is(&t, "definition");
	}
}

static int read_value(struct pctx *c, enum mode mode, const char *key, struct bip_val *v)
{
	struct bip_tok t;
	char msg[96];

	if (bip_lex_next(&c->lx, &t) < 0)
		return -1;
	if (!is_value(&t) || (mode != M_INLINE && t.bol)) {
		snprintf(msg, sizeof(msg), "missing value for '%s'", key);
		return tok_err(c, &t, msg);
	}
	v->s = bip_tok_dup(c->a, &t);
	v->line = t.line;
	v->col = t.col;
	return v->s ? 0 : nomem(c);
}

static int parse_body(struct pctx *c, const struct prop *tab, void *base, const char *what,
		      unsigned open_line, enum mode mode);

/* After a consumed '{': the body's layout follows from its first token. */
static int parse_block(struct pctx *c, const struct prop *tab, void *base, const char *what,
		       unsigned open_line)
{
	struct bip_tok t;

	if (bip_lex_peek(&c->lx, &t) < 0)
		return -1;
	return parse_body(c, tab, base, what, open_line, t.bol ? M_LINES : M_INLINE);
}

static struct bip_item *item_push(struct pctx *c, struct bip_items *it)
{
	struct bip_item *i;

	if (aclf_arena_grow(c->a, (void **)&it->v, it->n, &it->cap, sizeof(*it->v)) < 0)
		return NULL;
	i = &it->v[it->n++];
	memset(i, 0, sizeof(*i));
	return i;
}

static int parse_items(struct pctx *c, struct bip_items *it, const struct prop *sub,
		       const char *key, enum mode mode)
{
	struct bip_tok t;
	unsigned open_line;
	char msg[96];

	if (bip_lex_next(&c->lx, &t) < 0)
		return -1;
	if (t.kind == BIP_T_WORD && mode != M_INLINE && t.bol) {
		snprintf(msg, sizeof(msg), "missing value for '%s'", key);
		return tok_err(c, &t, msg);
	}
	if (bip_tok_is(&t, "none")) {
		it->n = 0;
		it->present = true;
		return 0;
	}
	if (bip_tok_is(&t, "replace-all-with") || bip_tok_is(&t, "add")) {
		if (bip_lex_next(&c->lx, &t) < 0)
			return -1;
	}
	if (t.kind != BIP_T_LBRACE) {
		snprintf(msg, sizeof(msg), "expected '{' or none after '%s'", key);
		return tok_err(c, &t, msg);
	}
	open_line = t.line;
	it->n = 0;
	it->present = true;
	for (;;) {
		struct bip_item *i;
		if (bip_lex_next(&c->lx, &t) < 0)
			return -1;
		if (t.kind == BIP_T_RBRACE)
			return 0;
		if (t.kind == BIP_T_EOF)
			return bip_lex_error(&c->lx, t.line, t.col,
					     "text ends inside '%s' opened at line %u: missing '}'",
					     key, open_line);
		if (t.kind == BIP_T_LBRACE)
			return tok_err(c, &t, "expected a name in the list");
		i = item_push(c, it);
		if (!i || !(i->name = bip_tok_dup(c->a, &t)))
			return nomem(c);
		i->line = t.line;
		i->col = t.col;
		if (bip_lex_peek(&c->lx, &t) < 0)
			return -1;
		if (t.kind == BIP_T_LBRACE) {
			bip_lex_next(&c->lx, &t);
			if (parse_block(c, sub ? sub : no_props, i, i->name, t.line) < 0)
				return -1;
		}
	}
}

/* monitor NAME | NAME and NAME ... | min N of { NAME ... } | none */
static int parse_monitor_rule(struct pctx *c, struct bip_obj *o, enum mode mode)
{
	struct bip_tok t;
	struct bip_val first;
	struct bip_item *i;

	if (read_value(c, mode, "monitor", &first) < 0)
		return -1;
	o->monitors.n = 0;
	o->monitors.present = true;
	o->monitor_rule.s = NULL;
	o->monitor_rule.line = first.line;
	if (strcmp(first.s, "none") == 0)
		return 0;
	if (strcmp(first.s, "min") == 0) {
		struct bip_val nv, of;
		if (read_value(c, mode, "min", &nv) < 0 || read_value(c, mode, "of", &of) < 0)
			return -1;
		if (strcmp(of.s, "of") != 0)
			return bip_lex_error(&c->lx, of.line, of.col,
					     "expected 'min N of {' in monitor rule");
		o->monitor_rule.s = aclf_arena_printf(c->a, "min %s of", nv.s);
		if (!o->monitor_rule.s)
			return nomem(c);
		return parse_items(c, &o->monitors, no_props, "monitor", M_INLINE);
	}
	for (;;) {
		i = item_push(c, &o->monitors);
		if (!i)
			return nomem(c);
		i->name = first.s;
		i->line = first.line;
		i->col = first.col;
		if (bip_lex_peek(&c->lx, &t) < 0)
			return -1;
		if (!bip_tok_is(&t, "and") || (mode != M_INLINE && t.bol))
			return 0;
		bip_lex_next(&c->lx, &t);
		o->monitor_rule.s = "and";
		if (read_value(c, mode, "and", &first) < 0)
			return -1;
	}
}

static int skip_unknown(struct pctx *c, const char *key, enum mode mode)
{
	struct bip_tok t;
	bool prev_def = strcmp(key, "definition") == 0;

	if (mode == M_LINES) {
		for (;;) {
			if (bip_lex_peek(&c->lx, &t) < 0)
				return -1;
			if (t.kind == BIP_T_EOF || t.bol || t.kind == BIP_T_RBRACE)
				return 0;
			bip_lex_next(&c->lx, &t);
			if (t.kind == BIP_T_LBRACE && skip_block(c, key, t.line, prev_def) < 0)
				return -1;
			prev_def = bip_tok_is(&t, "definition");
		}
	}
	if (bip_lex_peek(&c->lx, &t) < 0)
		return -1;
	if (bip_tok_is(&t, "replace-all-with") || bip_tok_is(&t, "add") ||
	    bip_tok_is(&t, "delete") || bip_tok_is(&t, "modify")) {
		bip_lex_next(&c->lx, &t);
		if (bip_lex_peek(&c->lx, &t) < 0)
			return -1;
		if (t.kind != BIP_T_LBRACE)
			return tok_err(c, &t, "expected '{'");
	}
	if (t.kind == BIP_T_LBRACE) {
		bip_lex_next(&c->lx, &t);
		return skip_block(c, key, t.line, prev_def);
	}
	if (in_list(ignore_flag, sizeof(ignore_flag) / sizeof(ignore_flag[0]), key))
		return 0;
	if (in_list(ignore_one, sizeof(ignore_one) / sizeof(ignore_one[0]), key)) {
		struct bip_val v;
		return read_value(c, mode, key, &v);
	}
	bip_lex_next(&c->lx, &t);
	return bip_lex_error(&c->lx, t.line, t.col,
			     "unknown property '%s' in a one-line object: cannot tell where its "
			     "value ends",
			     key);
}

static int parse_prop(struct pctx *c, const struct prop *p, void *base, enum mode mode,
		      const struct bip_tok *kt)
{
	char *at = (char *)base + p->off;
	struct bip_tok t;

	switch (p->how) {
	case PV:
		return read_value(c, mode, p->key, (struct bip_val *)at);
	case PFLAG:
		*(int *)at = p->flag;
		return 0;
	case PKW:
		((struct bip_val *)at)->s = p->key;
		((struct bip_val *)at)->line = kt->line;
		((struct bip_val *)at)->col = kt->col;
		return 0;
	case PITEMS:
		return parse_items(c, (struct bip_items *)at, p->sub, p->key, mode);
	case PBLOCK:
		if (bip_lex_next(&c->lx, &t) < 0)
			return -1;
		if (t.kind != BIP_T_LBRACE)
			return tok_err(c, &t, "expected '{'");
		return parse_block(c, p->sub, base, p->key, t.line);
	case PMON:
		return parse_monitor_rule(c, (struct bip_obj *)base, mode);
	}
	return -1;
}

static int parse_body(struct pctx *c, const struct prop *tab, void *base, const char *what,
		      unsigned open_line, enum mode mode)
{
	struct bip_tok t;
	char key[64];

	for (;;) {
		const struct prop *p = NULL;
		if (bip_lex_peek(&c->lx, &t) < 0)
			return -1;
		if (mode == M_LINE) {
			if (t.kind == BIP_T_EOF || t.bol)
				return 0;
		} else if (t.kind == BIP_T_RBRACE) {
			bip_lex_next(&c->lx, &t);
			return 0;
		} else if (t.kind == BIP_T_EOF) {
			return bip_lex_error(&c->lx, t.line, t.col,
					     "text ends inside '%s' opened at line %u: missing '}'",
					     what, open_line);
		}
		if (!is_value(&t)) {
			bip_lex_next(&c->lx, &t);
			return tok_err(c, &t, "expected a property name");
		}
		bip_lex_next(&c->lx, &t);
		if (t.n >= sizeof(key)) {
			memcpy(key, t.s, sizeof(key) - 1);
			key[sizeof(key) - 1] = '\0';
		} else {
			memcpy(key, t.s, t.n);
			key[t.n] = '\0';
		}
		for (size_t i = 0; tab[i].key && !p; i++)
			if (t.kind == BIP_T_WORD && strcmp(tab[i].key, key) == 0)
				p = &tab[i];
		if (!p) {
			if (skip_unknown(c, key, mode) < 0)
				return -1;
			continue;
		}
		if (parse_prop(c, p, base, mode, &t) < 0)
			return -1;
		if (mode == M_LINES) {
			if (bip_lex_peek(&c->lx, &t) < 0)
				return -1;
			if (!t.bol && t.kind != BIP_T_RBRACE && t.kind != BIP_T_EOF) {
				char msg[96];
				snprintf(msg, sizeof(msg), "unexpected text after '%s'", key);
				return tok_err(c, &t, msg);
			}
		}
	}
}

/* ---- statements ---------------------------------------------------------- */

/* Skip the rest of a statement: its same-line words and any blocks. what
 * holds the words read so far; the next few are added for messages. */
static int skip_statement(struct pctx *c, const char *what, bool raw)
{
	struct bip_tok t;
	bool prev_def = false;
	char name[128];
	size_t nwords = 0;

	snprintf(name, sizeof(name), "%s", what);
	for (;;) {
		if (bip_lex_peek(&c->lx, &t) < 0)
			return -1;
		if (t.kind == BIP_T_EOF || t.bol)
			return 0;
		bip_lex_next(&c->lx, &t);
		if (t.kind == BIP_T_RBRACE)
			return tok_err(c, &t, "unexpected '}'");
		if (t.kind == BIP_T_LBRACE) {
			if (skip_block(c, name, t.line, raw || prev_def) < 0)
				return -1;
			nwords = 3;
		} else if (bip_tok_is(&t, "rule") || bip_tok_is(&t, "script") ||
			   bip_tok_is(&t, "template")) {
			raw = true;
		}
		if (is_value(&t) && nwords++ < 3) {
			size_t l = strlen(name);
			snprintf(name + l, sizeof(name) - l, "%s%.*s", l ? " " : "",
				 (int)(t.n > 40 ? 40 : t.n), t.s);
		}
		prev_def = bip_tok_is(&t, "definition");
	}
}

/* Next header word on the same line, or false (nothing consumed). */
static bool header_word(struct pctx *c, struct bip_tok *t, int *rc)
{
	*rc = bip_lex_peek(&c->lx, t);
	if (*rc < 0 || t->bol || !is_value(t))
		return false;
	bip_lex_next(&c->lx, t);
	return true;
}

static int add_obj(struct pctx *c, enum bip_kind kind, const char *type,
		   const struct bip_tok *name, struct bip_obj **out)
{
	struct bip_doc *d = c->doc;
	struct bip_obj *o = NULL;

	if (aclf_arena_grow(c->a, (void **)&d->objs, d->nobjs, &d->cap, sizeof(*d->objs)) < 0)
		return nomem(c);
	o = &d->objs[d->nobjs];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->type = type;
	o->hdr = bip_tok_dup(c->a, name);
	o->line = name->line;
	o->col = name->col;
	if (!o->hdr)
		return nomem(c);
	d->nobjs++;
	*out = o;
	return 0;
}

static int parse_statement(struct pctx *c)
{
	struct bip_tok t, type, sub, name;
	struct bip_obj *o = NULL;
	const struct prop *tab;
	enum bip_kind kind;
	const char *stype = NULL, *what;
	char first[64];
	bool create = false;
	int rc = 0;

	bip_lex_next(&c->lx, &t);
	if (t.kind == BIP_T_RBRACE)
		return tok_err(c, &t, "unexpected '}'");
	if (t.kind == BIP_T_LBRACE)
		return tok_err(c, &t, "unexpected '{' without a name before it");
	if (bip_tok_is(&t, "tmsh") && !header_word(c, &t, &rc))
		return rc;
	if (bip_tok_is(&t, "create")) {
		create = true;
		if (!header_word(c, &t, &rc))
			return rc;
	}
	if (!bip_tok_is(&t, "ltm")) {
		snprintf(first, sizeof(first), "%.*s", (int)(t.n > 40 ? 40 : t.n), t.s);
		return skip_statement(c, first, false);
	}
	if (!header_word(c, &type, &rc))
		return rc < 0 ? -1 : skip_statement(c, "ltm", false);
	if (bip_tok_is(&type, "virtual")) {
		kind = BK_VIRTUAL, tab = virtual_props;
	} else if (bip_tok_is(&type, "pool")) {
		kind = BK_POOL, tab = pool_props;
	} else if (bip_tok_is(&type, "node")) {
		kind = BK_NODE, tab = node_props;
	} else if (bip_tok_is(&type, "monitor")) {
		kind = BK_MONITOR, tab = monitor_props;
	} else if (bip_tok_is(&type, "persistence")) {
		kind = BK_PERSIST, tab = persist_props;
	} else if (bip_tok_is(&type, "profile")) {
		kind = BK_PROFILE, tab = profile_props;
	} else if (bip_tok_is(&type, "traffic-matching-criteria")) {
		kind = BK_TMC, tab = tmc_props;
	} else {
		snprintf(first, sizeof(first), "ltm %.*s", (int)(type.n > 40 ? 40 : type.n),
			 type.s);
		return skip_statement(c, first, bip_tok_is(&type, "rule"));
	}
	if (kind == BK_MONITOR || kind == BK_PERSIST || kind == BK_PROFILE) {
		if (!header_word(c, &sub, &rc))
			return rc < 0 ? -1 : skip_statement(c, "ltm", false);
		stype = bip_tok_dup(c->a, &sub);
		if (!stype)
			return nomem(c);
	}
	if (!header_word(c, &name, &rc))
		return rc < 0 ? -1 : skip_statement(c, "ltm", false);
	if (add_obj(c, kind, stype, &name, &o) < 0)
		return -1;
	what = aclf_arena_printf(c->a, "ltm %.*s%s%s %s", (int)type.n, type.s, stype ? " " : "",
				 stype ? stype : "", o->hdr);
	if (!what)
		return nomem(c);
	if (bip_lex_peek(&c->lx, &t) < 0)
		return -1;
	if (t.kind == BIP_T_LBRACE) {
		bip_lex_next(&c->lx, &t);
		return parse_block(c, tab, o, what, t.line);
	}
	if (t.kind == BIP_T_EOF || t.bol)
		return 0;
	if (!create)
		return tok_err(c, &t, "expected '{' after the object name");
	return parse_body(c, tab, o, what, t.line, M_LINE);
}

void bip_doc_release(struct bip_doc *doc)
{
	aclf_arena_release(&doc->arena);
	memset(doc, 0, sizeof(*doc));
}

int bip_doc_parse(struct bip_doc *doc, const char *text, size_t len, const char *name,
		  struct aclf_err *err)
{
	struct pctx c;
	struct bip_tok t;

	memset(doc, 0, sizeof(*doc));
	aclf_arena_init(&doc->arena);
	memset(&c, 0, sizeof(c));
	c.doc = doc;
	c.a = &doc->arena;
	bip_lex_init(&c.lx, text ? text : "", text ? len : 0, name, err);
	for (;;) {
		if (bip_lex_peek(&c.lx, &t) < 0)
			goto fail;
		if (t.kind == BIP_T_EOF)
			return 0;
		if (parse_statement(&c) < 0)
			goto fail;
	}
fail:
	bip_doc_release(doc);
	return -1;
}
