/* Parse `nft -j list ruleset` (jansson) back into a neutral device policy.
 * Only table inet aclforge is read; other tables are not aclforge's and are
 * skipped. The chain layout it expects is the one nftd_render.c writes
 * (README.md): base chains on input/forward/output are filters, base chains
 * on prerouting/postrouting dispatch interface filters with iifname/oifname
 * jumps, and each filter opens with house-keeping rules that are dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "nftables/nftd.h"
#include "nftables/nftd_parse.h"
#include "nftables/nftd_text.h"

struct pchain {
	const char *name;
	const char *hook;              /* NULL: regular chain */
	bool drop;                     /* policy drop */
	struct nftd_rule *rules;       /* malloc'd (grown in place, not copied in the
	                                * arena): free_chains */
	size_t n, cap;
	const char *ifname;            /* regular chain bound by a dispatch rule */
	bool out;
	unsigned line, col;            /* where its object starts */
};

struct prule {
	struct aclf_rule r;            /* neutral rule, scratch memory */
	const char *counter;
	uint8_t family;
	long long handle;
	bool nohandle;
};

struct pfilter {
	struct pchain *ch;
	enum aclf_action def;
	struct prule *rules;
	size_t n, cap;
};

struct pstate {
	struct nftd_pctx p;
	struct pchain *chains;
	size_t nchains, chains_cap;
	struct pfilter *filters;
	size_t nfilters, filters_cap;
	struct nftd_pos *pos;          /* of each element of "nftables" */
	size_t npos;
	bool text;                     /* read from the text form: objects come one at a
	                                * time, a chain or set may come again (merged) */
	bool table;                    /* table inet aclforge seen (text form) */
	size_t rules_seen;             /* rules decoded so far */
};

static int oom(struct pstate *s)
{
	return aclf_err_nomem(s->p.err);
}

/* Messages from here on are about this rule or chain. */
static void at_rule(struct pstate *s, const struct nftd_rule *x)
{
	s->p.line = x->line;
	s->p.col = x->col;
	s->p.nohandle = x->nohandle;
}

static void at_chain(struct pstate *s, const struct pchain *c)
{
	s->p.line = c->line;
	s->p.col = c->col;
	s->p.nohandle = false;
}

static bool str_is(const json_t *v, const char *s)
{
	return json_is_string(v) && !strcmp(json_string_value(v), s);
}

static bool ours(const json_t *o, const char *table_key)
{
	return str_is(json_object_get(o, "family"), NFTD_FAMILY) &&
	       str_is(json_object_get(o, table_key), NFTD_TABLE);
}

static struct pchain *find_chain(struct pstate *s, const char *name)
{
	for (size_t i = 0; i < s->nchains; i++)
		if (!strcmp(s->chains[i].name, name))
			return &s->chains[i];
	return NULL;
}

static int add_chain(struct pstate *s, const json_t *o)
{
	const json_t *name = json_object_get(o, "name"), *hook = json_object_get(o, "hook");
	const json_t *type = json_object_get(o, "type"), *pol = json_object_get(o, "policy");
	struct pchain *c;

	bool again;

	if (!json_is_string(name) || !*json_string_value(name))
		return nftd_rule_err(&s->p, -1, NULL, "chain without a name");
	c = find_chain(s, json_string_value(name));
	again = c != NULL;
	if (c && !s->text)
		return nftd_rule_err(&s->p, -1, NULL, "chain '%s' listed twice",
				     json_string_value(name));
	if (!c) {
		if (aclf_arena_grow(s->p.a, (void **)&s->chains, s->nchains, &s->chains_cap,
				    sizeof(*s->chains)) < 0)
			return oom(s);
		c = &s->chains[s->nchains];
		memset(c, 0, sizeof(*c));
		c->name = aclf_arena_strdup(s->p.a, json_string_value(name));
		c->line = s->p.line;
		c->col = s->p.col;
		if (!c->name)
			return oom(s);
	}
	/* the text form gives a chain again with what a later block said:
	 * the object as it now stands */
	if (hook) {
		const char *h = json_is_string(hook) ? json_string_value(hook) : "";
		static const char *const hooks[] = { "input", "forward", "output", "prerouting",
						     "postrouting" };
		for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
			if (!strcmp(h, hooks[i]))
				c->hook = hooks[i];
		if (!c->hook)
			return nftd_rule_err(&s->p, -1, NULL, "chain '%s': unsupported hook '%s'",
					     c->name, h);
		if (!str_is(type, "filter"))
			return nftd_rule_err(&s->p, -1, NULL, "chain '%s': only type filter chains "
					     "are supported", c->name);
		if (pol && !str_is(pol, "accept") && !str_is(pol, "drop"))
			return nftd_rule_err(&s->p, -1, NULL, "chain '%s': unsupported policy",
					     c->name);
		c->drop = str_is(pol, "drop");
	}
	if (!again)
		s->nchains++;
	return 0;
}

static int add_counter(struct pstate *s, const json_t *o)
{
	const json_t *name = json_object_get(o, "name"), *pk = json_object_get(o, "packets");
	struct nftd_pctx *p = &s->p;

	if (!json_is_string(name) || !*json_string_value(name) || (pk && !json_is_integer(pk)))
		return nftd_rule_err(p, -1, NULL, "malformed counter object");
	if (aclf_arena_grow(p->a, (void **)&p->counters, p->ncounters, &p->counters_cap,
			    sizeof(*p->counters)) < 0)
		return oom(s);
	p->counters[p->ncounters].name = aclf_arena_strdup(p->a, json_string_value(name));
	p->counters[p->ncounters].packets = pk ? json_integer_value(pk) : 0;
	if (!p->counters[p->ncounters].name)
		return oom(s);
	if (!json_object_get(p->counter_idx, p->counters[p->ncounters].name) &&
	    json_object_set_new(p->counter_idx, p->counters[p->ncounters].name,
				json_integer((json_int_t)p->ncounters)) < 0)
		return oom(s);
	p->ncounters++;
	return 0;
}

/* A set of the text form named again: its elements added to the first. */
static int merge_set(struct pstate *s, struct nftd_set *old, const struct nftd_set *x)
{
	struct nftd_pctx *p = &s->p;
	struct aclf_prefix_set addrs;
	struct aclf_port_set ports;

	if (old->kind != x->kind)
		return nftd_rule_err(p, -1, NULL, "set '%s' named again with another type",
				     x->name);
	/* a rule decoded since holds the set as it was then */
	if (s->rules_seen > old->rules_before)
		return nftd_rule_err(p, -1, NULL,
				     "set '%s' gets elements again after rules were read; give its "
				     "elements before the chains, as nft list ruleset does",
				     x->name);
	if (aclf_pset_union(p->a, &old->addrs, &x->addrs, &addrs) < 0 ||
	    aclf_ports_union(p->a, &old->ports, &x->ports, &ports) < 0)
		return oom(s);
	old->addrs = addrs;
	old->ports = ports;
	return 0;
}

static int add_set(struct pstate *s, const json_t *o, bool is_map)
{
	struct nftd_pctx *p = &s->p;
	const json_t *at;

	if (aclf_arena_grow(p->a, (void **)&p->sets, p->nsets, &p->sets_cap, sizeof(*p->sets)) < 0)
		return oom(s);
	if (nftd_decode_set(p, o, is_map, &p->sets[p->nsets]) < 0)
		return -1;
	p->sets[p->nsets].rules_before = s->rules_seen;
	if (s->text && (at = json_object_get(p->set_idx, p->sets[p->nsets].name)))
		return merge_set(s, &p->sets[json_integer_value(at)], &p->sets[p->nsets]);
	if (!json_object_get(p->set_idx, p->sets[p->nsets].name) &&
	    json_object_set_new(p->set_idx, p->sets[p->nsets].name,
				json_integer((json_int_t)p->nsets)) < 0)
		return oom(s);
	p->nsets++;
	return 0;
}

static int add_rule(struct pstate *s, const json_t *o, const struct nftd_pos *pos)
{
	struct nftd_rule r;
	struct pchain *c;

	s->p.nohandle = pos && pos->nohandle;
	if (nftd_decode_rule(&s->p, o, &r) < 0)
		return -1;
	s->rules_seen++;
	r.line = s->p.line;
	r.col = s->p.col;
	r.nohandle = s->p.nohandle;
	if (r.opaque && pos && pos->raw) {
		if (!(r.raw = aclf_arena_strndup(s->p.a, pos->raw, pos->raw_len)))
			return oom(s);
	} else if (r.opaque) {
		char *j = json_dumps(o, JSON_COMPACT);
		r.raw = j ? aclf_arena_strdup(s->p.a, j) : NULL;
		free(j);
		if (!r.raw)
			return oom(s);
	}
	c = find_chain(s, r.chain);
	if (!c)
		return nftd_rule_err(&s->p, r.handle, r.chain, "unknown chain");
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nftd_rule *v = realloc(c->rules, cap * sizeof(*v));
		if (!v)
			return oom(s);
		c->rules = v;
		c->cap = cap;
	}
	c->rules[c->n++] = r;
	return 0;
}

/* Walk the object list: pass 0 reads sets, counters and chains, pass 1
 * the rules (which refer to them). Returns 1 when our table exists. */
static int walk(struct pstate *s, const json_t *list)
{
	bool table = false;
	const json_t *el;
	size_t i;

	for (int pass = 0; pass < 2; pass++) {
		json_array_foreach(list, i, el) {
			const char *kind;
			const json_t *o;
			int rc = 0;

			s->p.line = i < s->npos ? s->pos[i].line : 0;
			s->p.col = i < s->npos ? s->pos[i].col : 0;
			if (!json_is_object(el) || json_object_size(el) != 1)
				return nftd_rule_err(&s->p, -1, NULL, "element %zu of \"nftables\" is "
						     "not a one-key object", i);
			kind = json_object_iter_key(json_object_iter((json_t *)el));
			o = json_object_iter_value(json_object_iter((json_t *)el));
			if (!json_is_object(o))
				return nftd_rule_err(&s->p, -1, NULL, "element %zu (%s) is not an "
						     "object", i, kind);
			if (!strcmp(kind, "table")) {
				table |= ours(o, "name");
				continue;
			}
			if (!ours(o, "table"))
				continue; /* another table: not aclforge's */
			if (pass == 1) {
				if (!strcmp(kind, "rule"))
					rc = add_rule(s, o, i < s->npos ? &s->pos[i] : NULL);
			} else if (!strcmp(kind, "chain")) {
				rc = add_chain(s, o);
			} else if (!strcmp(kind, "counter")) {
				rc = add_counter(s, o);
			} else if (!strcmp(kind, "set") || !strcmp(kind, "map")) {
				rc = add_set(s, o, kind[0] == 'm');
			}
			/* other objects (quota, limit, flowtable, ...) only matter when a
			 * rule uses them, and such a rule is refused */
			if (rc < 0)
				return -1;
		}
	}
	return table;
}

/* ---- the text form: objects one at a time ---- */

static int text_obj(void *ctx, const char *kind, json_t *o, const struct nftd_pos *pos)
{
	struct pstate *s = ctx;

	s->p.line = pos->line;
	s->p.col = pos->col;
	if (!strcmp(kind, "table")) {
		s->table = true;
		return 0;
	}
	if (!strcmp(kind, "rule"))
		return add_rule(s, o, pos);
	if (!strcmp(kind, "chain"))
		return add_chain(s, o);
	if (!strcmp(kind, "counter"))
		return add_counter(s, o);
	if (!strcmp(kind, "set") || !strcmp(kind, "map"))
		return add_set(s, o, kind[0] == 'm');
	return 0;
}

static void free_chains(struct pstate *s)
{
	for (size_t i = 0; i < s->nchains; i++)
		free(s->chains[i].rules);
	s->nchains = 0;
}

static void text_forget(void *ctx)
{
	struct pstate *s = ctx;

	free_chains(s);
	s->p.nsets = 0;
	s->p.ncounters = 0;
	json_object_clear(s->p.set_idx);
	json_object_clear(s->p.counter_idx);
	s->table = false;
}

/* ---- chains -> filters ---- */

/* Opening rules the renderer writes and the parser drops: conntrack return
 * traffic, loopback, IPv6 neighbour/router discovery. */
static bool is_prologue(const struct nftd_rule *r)
{
	if (r->verdict != NFTD_V_ACCEPT || r->opaque || r->has_src || r->has_dst || r->has_sports ||
	    r->has_dports || r->established || r->ifname)
		return false;
	if (r->ct_return + r->lo + (r->nd || r->hop255) != 1)
		return false;
	if (r->nd)
		return r->protocol < 0 || r->protocol == ACLF_PROTO_ICMP6;
	return !r->hop255 && r->protocol < 0 && r->family == 0;
}

static const char *special(const struct nftd_rule *r)
{
	if (r->ct_return)
		return "'ct state established,related' after the chain's opening rules";
	if (r->lo)
		return "loopback match after the chain's opening rules";
	if (r->nd || r->hop255)
		return "icmpv6 discovery match after the chain's opening rules";
	if (r->ifname)
		return "interface match outside the iface_in/iface_out dispatch chains";
	if (r->verdict == NFTD_V_JUMP)
		return "jump outside the iface_in/iface_out dispatch chains";
	return NULL;
}

static int any_set(struct pstate *s, uint8_t fam, struct aclf_prefix_set *out)
{
	struct aclf_prefix *v = aclf_arena_alloc(s->p.a, 2 * sizeof(*v));

	if (!v)
		return oom(s);
	out->v = v;
	out->n = 0;
	if (fam != 6)
		aclf_prefix_from_u128(4, 0, 0, &v[out->n++]);
	if (fam != 4)
		aclf_prefix_from_u128(6, 0, 0, &v[out->n++]);
	return 0;
}

static int to_neutral(struct pstate *s, const struct nftd_rule *x, struct prule *o)
{
	struct aclf_rule *r = &o->r;

	memset(o, 0, sizeof(*o));
	at_rule(s, x);
	o->counter = x->counter;
	o->family = x->family;
	o->handle = x->handle;
	o->nohandle = x->nohandle;
	r->opaque = x->opaque;
	r->raw = x->raw;
	r->action = x->verdict == NFTD_V_ACCEPT ? ACLF_PERMIT : ACLF_DENY;
	r->protocol = x->protocol < 0 ? ACLF_PROTO_ANY : x->protocol;
	if (x->established && r->protocol != ACLF_PROTO_TCP)
		return nftd_rule_err(&s->p, x->handle, x->chain, "established match without tcp "
				     "(the neutral established is tcp return traffic)");
	r->established = x->established;
	if (x->has_src)
		r->src = x->src;
	else if (any_set(s, x->family, &r->src) < 0)
		return -1;
	if (x->has_dst)
		r->dst = x->dst;
	else if (any_set(s, x->family, &r->dst) < 0)
		return -1;
	r->src_name = x->src_name;
	r->dst_name = x->dst_name;
	if (x->has_sports)
		r->src_ports = x->sports;
	if (x->has_dports)
		r->dst_ports = x->dports;
	r->comment = x->comment;
	r->hits = -1;
	if (x->counter) {
		const json_t *i = json_object_get(s->p.counter_idx, x->counter);
		if (!i)
			return nftd_rule_err(&s->p, x->handle, x->chain, "unknown counter '%s'",
					     x->counter);
		r->hits = s->p.counters[json_integer_value(i)].packets;
	} else if (x->anon_counter) {
		r->hits = x->packets;
	}
	/* text without handles: the rule's line */
	r->device_name = aclf_arena_printf(s->p.a, x->nohandle ? "line%lld" : "%lld", x->handle);
	return r->device_name ? 0 : oom(s);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The renderer writes a rule covering both families as an IPv4 and an IPv6
 * nft rule sharing one named counter, and a source that is the union of
 * named groups as one nft rule per group, again sharing the counter: put
 * such neighbours back together. A neighbour of one family joins by its
 * source alone when its destination is the rule's in that family (rules in
 * a row with one verdict match their union). */
static int merge(struct pstate *s, struct prule *a, const struct prule *b, bool *done)
{
	struct aclf_rule *x = &a->r;
	const struct aclf_rule *y = &b->r;
	struct aclf_prefix_set src, dst, xd;

	*done = false;
	if (!a->counter || !b->counter || strcmp(a->counter, b->counter) || !b->family ||
	    x->opaque || y->opaque ||
	    x->action != y->action || x->protocol != y->protocol || x->established != y->established ||
	    !aclf_ports_equal(&x->src_ports, &y->src_ports) ||
	    !aclf_ports_equal(&x->dst_ports, &y->dst_ports) || !same_str(x->comment, y->comment))
		return 0;
	aclf_pset_family_view(&x->dst, b->family, &xd);
	if ((!a->family || a->family == b->family) && aclf_pset_equal(&xd, &y->dst)) {
		/* one more part of the source, in a family the rule has */
		if (aclf_pset_union(s->p.a, &x->src, &y->src, &src) < 0)
			return oom(s);
		x->src = src;
		/* several groups: named as the compiler joins them ("a+b") */
		if (!same_str(x->src_name, y->src_name))
			x->src_name = x->src_name && y->src_name
					      ? aclf_arena_printf(s->p.a, "%s+%s", x->src_name, y->src_name)
					      : NULL;
		x->device_name = aclf_arena_printf(s->p.a, "%s,%s", x->device_name, y->device_name);
		*done = true;
		return x->device_name ? 0 : oom(s);
	}
	if (!a->family || a->family == b->family)
		return 0;
	if (aclf_pset_union(s->p.a, &x->src, &y->src, &src) < 0 ||
	    aclf_pset_union(s->p.a, &x->dst, &y->dst, &dst) < 0)
		return oom(s);
	x->src = src;
	x->dst = dst;
	if (!x->src_name || (y->src_name && strcmp(x->src_name, y->src_name)))
		x->src_name = x->src_name ? NULL : y->src_name;
	if (!x->dst_name || (y->dst_name && strcmp(x->dst_name, y->dst_name)))
		x->dst_name = x->dst_name ? NULL : y->dst_name;
	x->device_name = aclf_arena_printf(s->p.a, "%s,%s", x->device_name, y->device_name);
	a->family = 0;
	*done = true;
	return x->device_name ? 0 : oom(s);
}

static int add_filter(struct pstate *s, struct pchain *c)
{
	struct pfilter *f;
	size_t i = 0, end = c->n;

	if (aclf_arena_grow(s->p.a, (void **)&s->filters, s->nfilters, &s->filters_cap,
			    sizeof(*s->filters)) < 0)
		return oom(s);
	f = &s->filters[s->nfilters++];
	memset(f, 0, sizeof(*f));
	f->ch = c;
	f->def = c->drop ? ACLF_DENY : ACLF_PERMIT;
	while (i < end && is_prologue(&c->rules[i]))
		i++;
	/* at most one neutral rule per nft rule: sized once */
	if (end > i && !(f->rules = aclf_arena_alloc(s->p.a, (end - i) * sizeof(*f->rules))))
		return oom(s);
	f->cap = end > i ? end - i : 0;
	if (!c->hook && end > i && c->rules[end - 1].nmatch == 0 && !c->rules[end - 1].counter &&
	    (c->rules[end - 1].verdict == NFTD_V_ACCEPT || c->rules[end - 1].verdict == NFTD_V_DROP)) {
		f->def = c->rules[end - 1].verdict == NFTD_V_ACCEPT ? ACLF_PERMIT : ACLF_DENY;
		end--;
	}
	for (; i < end; i++) {
		const struct nftd_rule *x = &c->rules[i];
		const char *why = special(x);
		struct prule pr;
		bool merged = false;

		at_rule(s, x);
		if (why)
			return nftd_rule_err(&s->p, x->handle, x->chain, "%s", why);
		if (x->verdict == NFTD_V_NONE || x->never)
			continue; /* no verdict, or matches no packet: decides nothing */
		if (to_neutral(s, x, &pr) < 0)
			return -1;
		if (f->n && merge(s, &f->rules[f->n - 1], &pr, &merged) < 0)
			return -1;
		if (merged)
			continue;
		if (aclf_arena_grow(s->p.a, (void **)&f->rules, f->n, &f->cap, sizeof(*f->rules)) < 0)
			return oom(s);
		f->rules[f->n++] = pr;
	}
	return 0;
}

/* A dispatch chain holds only `iifname "X" jump CHAIN` (or oifname). */
static int bind_dispatch(struct pstate *s, struct pchain *d)
{
	bool out = !strcmp(d->hook, "postrouting");

	at_chain(s, d);
	if (d->drop)
		return nftd_rule_err(&s->p, -1, NULL, "chain '%s': a %s chain with policy drop "
				     "cannot be expressed", d->name, d->hook);
	for (size_t i = 0; i < d->n; i++) {
		const struct nftd_rule *x = &d->rules[i];
		struct pchain *t;

		at_rule(s, x);
		if (!x->ifname || x->ifname_out != out || x->verdict != NFTD_V_JUMP ||
		    x->nmatch != 1)
			return nftd_rule_err(&s->p, x->handle, x->chain, "a %s chain may only hold "
					     "'%s \"IFACE\" jump CHAIN' rules", d->hook,
					     out ? "oifname" : "iifname");
		t = find_chain(s, x->target);
		if (!t || t->hook)
			return nftd_rule_err(&s->p, x->handle, x->chain, "jump to '%s', which is "
					     "not a regular chain of the table", x->target);
		if (t->ifname)
			return nftd_rule_err(&s->p, x->handle, x->chain, "chain '%s' is bound to "
					     "two interfaces", t->name);
		t->ifname = x->ifname;
		t->out = out;
	}
	return 0;
}

static int build_filters(struct pstate *s)
{
	for (size_t i = 0; i < s->nchains; i++) {
		struct pchain *c = &s->chains[i];
		if (!c->hook)
			continue;
		at_chain(s, c);
		for (size_t j = 0; j < i; j++)
			if (s->chains[j].hook == c->hook)
				return nftd_rule_err(&s->p, -1, NULL, "chains '%s' and '%s' both use "
						     "hook %s", s->chains[j].name, c->name,
						     c->hook);
		if (!strcmp(c->hook, "prerouting") || !strcmp(c->hook, "postrouting"))
			if (bind_dispatch(s, c) < 0)
				return -1;
	}
	for (size_t i = 0; i < s->nchains; i++) {
		struct pchain *c = &s->chains[i];
		bool filter = c->hook ? strcmp(c->hook, "prerouting") && strcmp(c->hook, "postrouting")
				      : c->ifname != NULL;
		/* a regular chain no dispatch rule jumps to sees no packet */
		if (filter && add_filter(s, c) < 0)
			return -1;
	}
	return 0;
}

/* Rule ids come back from the counter names "<chain>.<id>". */
static const char *rule_id(struct pstate *s, const struct pfilter *f, const struct prule *pr,
			   json_t *used)
{
	size_t cl = strlen(f->ch->name);
	const char *id;

	if (!pr->counter)
		id = aclf_arena_printf(s->p.a, pr->nohandle ? "line%lld" : "h%lld", pr->handle);
	else if (!strncmp(pr->counter, f->ch->name, cl) && pr->counter[cl] == NFTD_COUNTER_SEP &&
		 pr->counter[cl + 1])
		id = pr->counter + cl + 1;
	else
		id = pr->counter;
	/* ids used before in this filter: hashed (a filter may hold 100000s) */
	if (id && json_object_get(used, id))
		id = aclf_arena_printf(s->p.a, pr->nohandle ? "%s-line%lld" : "%s-h%lld", id,
				       pr->handle);
	if (id && json_object_set_new(used, id, json_true()) < 0)
		return NULL;
	return id;
}

static int copy_rule(struct aclf_policy *pol, struct aclf_rule *d, const struct aclf_rule *r)
{
	struct aclf_arena *a = &pol->arena;

	d->action = r->action;
	d->protocol = r->protocol;
	d->established = r->established;
	d->hits = r->hits;
	if (aclf_pset_copy(a, &r->src, &d->src) < 0 || aclf_pset_copy(a, &r->dst, &d->dst) < 0 ||
	    aclf_ports_copy(a, &r->src_ports, &d->src_ports) < 0 ||
	    aclf_ports_copy(a, &r->dst_ports, &d->dst_ports) < 0)
		return -1;
	if (!(d->id = aclf_arena_strdup(a, r->id)) ||
	    !(d->device_name = aclf_arena_strdup(a, r->device_name)))
		return -1;
	if (r->src_name && !(d->src_name = aclf_arena_strdup(a, r->src_name)))
		return -1;
	if (r->dst_name && !(d->dst_name = aclf_arena_strdup(a, r->dst_name)))
		return -1;
	if (r->comment && !(d->comment = aclf_arena_strdup(a, r->comment)))
		return -1;
	if (r->opaque && (!(d->opaque = aclf_arena_strdup(a, r->opaque)) ||
			  !(d->raw = aclf_arena_strdup(a, r->raw ? r->raw : ""))))
		return -1;
	/* one provenance: an array of one (the arena's start at eight) */
	if (!(d->prov = aclf_arena_alloc(a, sizeof(*d->prov))))
		return -1;
	d->prov_cap = 1;
	return aclf_rule_add_prov(pol, d, "device", d->device_name);
}

static int emit_policy(struct pstate *s, const char *name, struct aclf_policy *pol,
		       struct aclf_devpol **out)
{
	struct aclf_devpol *dp;

	for (size_t i = 0; i < s->nfilters; i++) {
		json_t *used = json_object();
		for (size_t k = 0; used && k < s->filters[i].n; k++)
			if (!(s->filters[i].rules[k].r.id =
				      rule_id(s, &s->filters[i], &s->filters[i].rules[k], used))) {
				json_decref(used);
				used = NULL;
			}
		if (!used)
			return oom(s);
		json_decref(used);
	}
	dp = aclf_policy_add_device(pol, name, "nftables");
	if (!dp)
		return oom(s);
	for (size_t i = 0; i < s->nfilters; i++) {
		const struct pfilter *pf = &s->filters[i];
		struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, pf->ch->name);

		if (!f)
			goto fail;
		f->default_action = pf->def;
		f->binding.kind = pf->ch->hook ? ACLF_BIND_CHAIN : ACLF_BIND_INTERFACE;
		f->binding.name = aclf_arena_strdup(&pol->arena, pf->ch->hook ? pf->ch->hook
									 : pf->ch->ifname);
		/* input and forward carry traffic towards the protected hosts: "in",
		 * as the compiler binds them; output is "out" */
		if (pf->ch->hook)
			f->binding.direction = strcmp(pf->ch->hook, "output") ? ACLF_DIR_IN
									      : ACLF_DIR_OUT;
		else
			f->binding.direction = pf->ch->out ? ACLF_DIR_OUT : ACLF_DIR_IN;
		if (!f->binding.name)
			goto fail;
		/* the filter's rules sized once (an array grown by doubling
		 * leaves its old copies in the arena) */
		if (pf->n && !(f->rules = aclf_arena_alloc(&pol->arena, pf->n * sizeof(*f->rules))))
			goto fail;
		f->rules_cap = pf->n;
		for (size_t k = 0; k < pf->n; k++) {
			struct aclf_rule *r = aclf_filter_add_rule(pol, f);
			if (!r || copy_rule(pol, r, &pf->rules[k].r) < 0)
				goto fail;
		}
	}
	*out = dp;
	return 0;
fail:
	return oom(s);
}

/* JSON when the text starts with '[' or '{' (after blanks) */
static bool is_json(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
		i++;
	return i < len && (text[i] == '[' || text[i] == '{');
}

static json_t *load_json(struct pstate *s, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES, &je);

	if (!root) {
		aclf_err_at(s->p.err, s->p.label, (unsigned)(je.line > 0 ? je.line : 1),
			    (unsigned)(je.column > 0 ? je.column : 1), "malformed nft json: %s",
			    je.text);
		return NULL;
	}
	if (nftd_json_positions(text, len, s->p.a, &s->pos, &s->npos) < 0) {
		oom(s);
		json_decref(root);
		return NULL;
	}
	return root;
}

int nftd_parse(const char *text, size_t len, const struct aclf_parse_opts *opts,
	       struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	struct aclf_arena scratch;
	struct pstate s;
	json_t *root = NULL;
	const json_t *list;
	const char *name = opts->name, *label = opts->label;
	int rc = -1, table;

	memset(&s, 0, sizeof(s));
	aclf_arena_init(&scratch);
	s.p.a = &scratch;
	s.p.err = err;
	s.p.label = label && *label ? label : "<input>";
	s.p.strict = opts->strict;
	s.p.set_idx = json_object();
	s.p.counter_idx = json_object();
	if (!s.p.set_idx || !s.p.counter_idx) {
		oom(&s);
		goto out;
	}
	if (!name)
		name = "nftables";
	if (text && !is_json(text, len)) {
		/* decoded statement by statement as the text is read */
		const struct nftd_text_sink sink = { &s, text_obj, text_forget };
		s.text = true;
		if (nftd_text_read(text, len, s.p.label, &scratch, err, &sink) < 0)
			goto out;
		table = s.table;
	} else {
		if (!(root = load_json(&s, text, len)))
			goto out;
		list = json_object_get(root, "nftables");
		if (!json_is_array(list)) {
			nftd_rule_err(&s.p, -1, NULL, "not `nft -j list ruleset` output: no "
				      "\"nftables\" array");
			goto out;
		}
		table = walk(&s, list);
		if (table < 0)
			goto out;
	}
	s.p.line = s.p.col = 0;
	if (!table && s.nchains) {
		nftd_rule_err(&s.p, -1, NULL, "chains of table inet " NFTD_TABLE " listed without "
			      "the table");
		goto out;
	}
	if (build_filters(&s) < 0)
		goto out;
	rc = emit_policy(&s, name, pol, out);
out:
	free_chains(&s);
	json_decref(root);
	json_decref(s.p.set_idx);
	json_decref(s.p.counter_idx);
	aclf_arena_release(&scratch);
	return rc;
}
