/* Render a device policy as one `nft -f` file that replaces table inet
 * aclforge atomically: "table inet aclforge {}" (create if missing), "delete
 * table inet aclforge", then the whole table. nft applies a file as one
 * transaction, so the host never sees a half-loaded table and objects that
 * left the policy disappear. Layout and naming: README.md in this folder. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "aclforge/policy.h"
#include "nftables/nftd.h"

/* An address group: one or two named sets (IPv4 / IPv6 members). */
struct group {
	const char *ident;            /* set base name */
	const char *name;             /* group name in the policy */
	const struct aclf_prefix_set *set;
	const char *rule_id;          /* first rule naming it, for messages */
};

struct chain {
	const struct aclf_filter *f;
	const char *name;             /* nft identifier */
	const char *hook;             /* input / forward / output; NULL: interface filter */
	const char **counters;        /* counter object names, one per rule */
};

struct rctx {
	const struct aclf_devpol *dp;
	struct aclf_buf *out;
	struct aclf_err *err;
	struct aclf_arena tmp;
	struct group *groups;
	size_t ngroups, gcap;
	struct aclf_htab group_by_ident; /* ident hash -> group */
	struct chain *chains;
	size_t nchains;
};

static int oom(struct rctx *c)
{
	return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory rendering nftables for '%s'",
			    c->dp->name);
}

static const char *ident(struct rctx *c, const char *s)
{
	struct aclf_buf b;
	char *r = NULL;

	aclf_buf_init(&b, 0);
	if (nftd_ident(&b, s) == 0)
		r = aclf_arena_strdup(&c->tmp, b.buf);
	aclf_buf_release(&b);
	return r;
}

static bool is_full(const struct aclf_prefix_set *s)
{
	return s->n == 1 && s->v[0].len == 0;
}

/* ---- validation and naming ---- */

static const char *hook_of(const char *binding)
{
	static const char *const hooks[] = { "input", "forward", "output" };

	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (binding && strcmp(binding, hooks[i]) == 0)
			return hooks[i];
	return NULL;
}

static bool ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > NFTD_IFNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '\\' || ch == '/' || ch == '*')
			return false;
	}
	return true;
}

static int check_binding(struct rctx *c, size_t i)
{
	const struct aclf_filter *f = c->chains[i].f;
	const struct aclf_binding *b = &f->binding;

	switch (b->kind) {
	case ACLF_BIND_CHAIN:
		c->chains[i].hook = hook_of(b->name);
		if (!c->chains[i].hook)
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "filter '%s': chain binding '%s' is not one of input, "
					    "forward, output", f->name, b->name ? b->name : "");
		for (size_t j = 0; j < i; j++)
			if (c->chains[j].hook && strcmp(c->chains[j].hook, c->chains[i].hook) == 0)
				return aclf_err_set(c->err, ACLF_E_INPUT,
						    "filters '%s' and '%s' both bind hook '%s'; "
						    "nftables would require both to accept",
						    c->chains[j].f->name, f->name, c->chains[i].hook);
		return 0;
	case ACLF_BIND_INTERFACE:
		if (!ifname_ok(b->name))
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "filter '%s': interface name '%s' is not usable in "
					    "nftables (1-%d printable characters, no quotes, '/', '*')",
					    f->name, b->name ? b->name : "", NFTD_IFNAME_MAX);
		if (b->direction != ACLF_DIR_IN && b->direction != ACLF_DIR_OUT)
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "filter '%s': interface binding '%s' needs direction "
					    "in or out", f->name, b->name);
		for (size_t j = 0; j < i; j++) {
			const struct aclf_binding *o = &c->chains[j].f->binding;
			if (o->kind == ACLF_BIND_INTERFACE && o->direction == b->direction &&
			    strcmp(o->name, b->name) == 0)
				return aclf_err_set(c->err, ACLF_E_INPUT,
						    "filters '%s' and '%s' both bind interface "
						    "'%s' %s", c->chains[j].f->name, f->name, b->name,
						    aclf_direction_name(b->direction));
		}
		return 0;
	case ACLF_BIND_NONE:
		break;
	}
	return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' has no binding (chain or interface)",
			    f->name);
}

static int add_group(struct rctx *c, const char *name, const struct aclf_prefix_set *set,
		     const char *rule_id)
{
	const char *id = ident(c, name);

	if (!id)
		return oom(c);
	if (strlen(id) + strlen(NFTD_SET_V4_SUFFIX) > NFTD_NAME_MAX)
		return aclf_err_set(c->err, ACLF_E_INPUT, "address group name '%s' is too long",
				    name);
	uint64_t h = aclf_hash_str(id);
	size_t it;

	for (size_t i = aclf_htab_find(&c->group_by_ident, h, &it); i != ACLF_HTAB_END;
	     i = aclf_htab_next(&c->group_by_ident, h, &it)) {
		struct group *g = &c->groups[i];
		if (strcmp(g->ident, id) != 0)
			continue;
		if (aclf_pset_equal(g->set, set))
			return 0;
		if (strcmp(g->name, name) == 0)
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "address group '%s' has different members in rules "
					    "'%s' and '%s'", name, g->rule_id, rule_id);
		return aclf_err_set(c->err, ACLF_E_INPUT,
				    "address groups '%s' (rule '%s') and '%s' (rule '%s') differ "
				    "but both become nft set '%s'", g->name, g->rule_id, name,
				    rule_id, id);
	}
	if (aclf_arena_grow(&c->tmp, (void **)&c->groups, c->ngroups, &c->gcap,
			    sizeof(*c->groups)) < 0 ||
	    aclf_htab_put(&c->group_by_ident, h, c->ngroups) < 0)
		return oom(c);
	c->groups[c->ngroups++] = (struct group){ id, name, set, rule_id };
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_rule(struct rctx *c, const struct aclf_filter *f, const struct aclf_rule *r,
		      const char *id)
{
	bool v4, v6;

	if (r->protocol < 0 || r->protocol > 255)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s': protocol %d is "
				    "not an IP protocol number", f->name, id, r->protocol);
	if ((r->src_ports.n || r->dst_ports.n) && r->protocol != ACLF_PROTO_TCP &&
	    r->protocol != ACLF_PROTO_UDP)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s': ports need "
				    "protocol tcp or udp", f->name, id);
	if (r->established && r->protocol != ACLF_PROTO_TCP)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s': established "
				    "needs protocol tcp", f->name, id);
	if (!r->src.n || !r->dst.n)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s': empty %s "
				    "address set", f->name, id, r->src.n ? "destination" : "source");
	v4 = r->src.v[0].family == 4 && r->dst.v[0].family == 4;
	v6 = r->src.v[r->src.n - 1].family == 6 && r->dst.v[r->dst.n - 1].family == 6;
	if (!v4 && !v6)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s' can match no "
				    "packet: source and destination share no address family",
				    f->name, id);
	if (r->nsrc_parts >= 2) {
		for (size_t k = 0; k < r->nsrc_parts; k++)
			if (add_group(c, r->src_parts[k].name, &r->src_parts[k].set, id) < 0)
				return -1;
	} else if (r->src_name && add_group(c, r->src_name, &r->src, id) < 0) {
		return -1;
	}
	if (r->dst_name && add_group(c, r->dst_name, &r->dst, id) < 0)
		return -1;
	return 0;
}

static int prepare_chain(struct rctx *c, size_t i)
{
	struct chain *ch = &c->chains[i];
	const struct aclf_filter *f = ch->f;
	const char **sorted;

	ch->name = ident(c, f->name && *f->name ? f->name : "filter");
	if (!ch->name)
		return oom(c);
	if (nftd_is_keyword(ch->name))
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter name '%s' is an nftables "
				    "keyword and cannot name a chain", f->name);
	if (strlen(ch->name) > NFTD_NAME_MAX)
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter name '%s' is too long", f->name);
	if (!strcmp(ch->name, NFTD_IFACE_IN) || !strcmp(ch->name, NFTD_IFACE_OUT))
		return aclf_err_set(c->err, ACLF_E_INPUT, "filter name '%s' is reserved for "
				    "the interface dispatch chains", f->name);
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->chains[j].name, ch->name) == 0)
			return aclf_err_set(c->err, ACLF_E_INPUT, "filters '%s' and '%s' both "
					    "become chain '%s'", c->chains[j].f->name, f->name,
					    ch->name);
	if (check_binding(c, i) < 0)
		return -1;

	ch->counters = aclf_arena_alloc(&c->tmp, (f->nrules + 1) * sizeof(*ch->counters));
	sorted = aclf_arena_alloc(&c->tmp, (f->nrules + 1) * sizeof(*sorted));
	if (!ch->counters || !sorted)
		return oom(c);
	for (size_t k = 0; k < f->nrules; k++) {
		const struct aclf_rule *r = &f->rules[k];
		const char *id = r->id && *r->id ? r->id : aclf_arena_printf(&c->tmp, "r%04zu", k + 1);
		const char *cid = id ? ident(c, id) : NULL;

		if (!cid)
			return oom(c);
		ch->counters[k] = aclf_arena_printf(&c->tmp, "%s%c%s", ch->name,
						    NFTD_COUNTER_SEP, cid);
		if (!ch->counters[k])
			return oom(c);
		if (strlen(ch->counters[k]) > NFTD_NAME_MAX)
			return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s' rule '%s': counter "
					    "name '%s' is too long", f->name, id, ch->counters[k]);
		sorted[k] = cid;
		if (check_rule(c, f, r, id) < 0)
			return -1;
	}
	qsort(sorted, f->nrules, sizeof(*sorted), str_cmp);
	for (size_t k = 1; k < f->nrules; k++)
		if (strcmp(sorted[k - 1], sorted[k]) == 0)
			return aclf_err_set(c->err, ACLF_E_INPUT, "filter '%s': rule id '%s' is used "
					    "twice (ids name the rule counters)", f->name, sorted[k]);
	return 0;
}

/* ---- text ---- */

static int put_prefix(struct aclf_buf *o, const struct aclf_prefix *p)
{
	char s[ACLF_PREFIX_STRLEN];

	if (aclf_prefix_is_host(p))
		aclf_prefix_format_addr(p, s, sizeof(s));
	else
		aclf_prefix_format(p, s, sizeof(s));
	return aclf_buf_puts(o, s);
}

static int put_elements(struct aclf_buf *o, const struct aclf_prefix_set *s, const char *wrap)
{
	int rc = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (i)
			rc |= aclf_buf_puts(o, i % 8 ? ", " : ",");
		if (i && i % 8 == 0)
			rc |= aclf_buf_puts(o, wrap);
		rc |= put_prefix(o, &s->v[i]);
	}
	return rc;
}

static int put_ports(struct aclf_buf *o, const struct aclf_port_set *s)
{
	int rc = 0;

	if (s->n > 1)
		rc |= aclf_buf_puts(o, "{ ");
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			rc |= aclf_buf_puts(o, ", ");
		if (s->v[i].lo == s->v[i].hi)
			rc |= aclf_buf_printf(o, "%u", s->v[i].lo);
		else
			rc |= aclf_buf_printf(o, "%u-%u", s->v[i].lo, s->v[i].hi);
	}
	if (s->n > 1)
		rc |= aclf_buf_puts(o, " }");
	return rc;
}

/* Copy text into a quoted nft string: '"' becomes '\'', control characters
 * become ' ', at most max bytes, never cutting a UTF-8 sequence. */
static int put_quoted(struct aclf_buf *o, const char *s, size_t max)
{
	size_t n = strlen(s);
	int rc = 0;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	rc |= aclf_buf_putc(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"')
			ch = '\'';
		else if (ch < ' ' || ch == 0x7f)
			ch = ' ';
		rc |= aclf_buf_putc(o, (char)ch);
	}
	rc |= aclf_buf_putc(o, '"');
	return rc;
}

static int emit_set(struct rctx *c, const struct group *g, uint8_t fam)
{
	struct aclf_prefix_set part;
	struct aclf_buf *o = c->out;
	int rc = 0;

	aclf_pset_family_view(g->set, fam, &part);
	if (part.n == 0 || is_full(&part))
		return 0;
	/* the comment keeps the group's own name ("fe-berlin+vip") */
	rc |= aclf_buf_printf(o, "\tset %s%s {\n\t\ttype %s\n\t\tflags interval\n\t\tcomment ",
			      g->ident, fam == 4 ? NFTD_SET_V4_SUFFIX : NFTD_SET_V6_SUFFIX,
			      fam == 4 ? "ipv4_addr" : "ipv6_addr");
	rc |= put_quoted(o, g->name, NFTD_COMMENT_MAX);
	rc |= aclf_buf_puts(o, "\n\t\telements = { ");
	rc |= put_elements(o, &part, "\n\t\t\t     ");
	rc |= aclf_buf_puts(o, " }\n\t}\n\n");
	return rc < 0 ? oom(c) : 0;
}

/* One side of a rule restricted to a family: absent (no member of that
 * family), "" (the whole family: no match needed) or the nft operand. */
static int operand(struct rctx *c, const struct aclf_prefix_set *s, const char *name,
		   uint8_t fam, struct aclf_buf *op, bool *present, bool *full)
{
	struct aclf_prefix_set part;
	int rc = 0;

	(void)c;
	aclf_buf_reset(op);
	aclf_pset_family_view(s, fam, &part);
	*present = part.n > 0;
	*full = is_full(&part);
	if (!*present || *full)
		return 0;
	if (name) {
		rc |= aclf_buf_putc(op, '@');
		rc |= nftd_ident(op, name);
		rc |= aclf_buf_puts(op, fam == 4 ? NFTD_SET_V4_SUFFIX : NFTD_SET_V6_SUFFIX);
	} else if (part.n == 1) {
		rc |= put_prefix(op, &part.v[0]);
	} else {
		rc |= aclf_buf_puts(op, "{ ");
		rc |= put_elements(op, &part, "\n\t\t\t");
		rc |= aclf_buf_puts(op, " }");
	}
	return rc;
}

/* Only words nft knows by itself: any other name would be looked up in the
 * host's /etc/protocols, which minimal systems lack. That is
 * aclf_proto_name's word (icmp, tcp, udp or the number) except for ICMPv6,
 * whose nft keyword is "icmpv6" ("ipv6-icmp" needs /etc/protocols). */
static const char *l4_word(int proto, char *buf, size_t n)
{
	return proto == ACLF_PROTO_ICMP6 ? "icmpv6" : aclf_proto_name(proto, buf, n);
}

/* The part of the rule after the address matches. A family-only match goes
 * after the protocol: nft 1.0.6 lists "meta nfproto ipv6 meta l4proto
 * ipv6-icmp" as plain "meta l4proto ipv6-icmp" (it takes the family for an
 * implied dependency), which would read back as both families. */
static int put_tail(struct aclf_buf *o, const struct aclf_rule *r, const char *nfproto,
		    const char *counter)
{
	char num[8];
	const char *l4 = r->protocol == ACLF_PROTO_TCP ? "tcp" : "udp";
	int rc = 0;

	if ((r->protocol == ACLF_PROTO_TCP || r->protocol == ACLF_PROTO_UDP) &&
	    (r->src_ports.n || r->dst_ports.n)) {
		if (r->src_ports.n) {
			rc |= aclf_buf_printf(o, "%s sport ", l4);
			rc |= put_ports(o, &r->src_ports);
			rc |= aclf_buf_putc(o, ' ');
		}
		if (r->dst_ports.n) {
			rc |= aclf_buf_printf(o, "%s dport ", l4);
			rc |= put_ports(o, &r->dst_ports);
			rc |= aclf_buf_putc(o, ' ');
		}
	} else if (r->protocol != ACLF_PROTO_ANY) {
		rc |= aclf_buf_printf(o, "meta l4proto %s ", l4_word(r->protocol, num, sizeof(num)));
	}
	if (nfproto)
		rc |= aclf_buf_printf(o, "meta nfproto %s ", nfproto);
	if (r->established)
		rc |= aclf_buf_puts(o, "ct state established ");
	rc |= aclf_buf_printf(o, "counter name \"%s\" %s", counter,
			      r->action == ACLF_PERMIT ? "accept" : "drop");
	if (r->comment && *r->comment) {
		rc |= aclf_buf_puts(o, " comment ");
		rc |= put_quoted(o, r->comment, NFTD_COMMENT_MAX);
	}
	return rc | aclf_buf_putc(o, '\n');
}

/* The nft rules of one family of r whose source is the union of named parts:
 * one per part with members of that family, each matching the part's own
 * set, all counting into the rule's counter (an nft set cannot hold other
 * sets; rules in a row with one verdict match their union). */
static int emit_parts(struct rctx *c, const struct aclf_rule *r, int i, const char *daddr,
		      bool dfull, const char *counter)
{
	const char *kw = i ? "ip6" : "ip";
	struct aclf_buf op;
	int rc = 0;

	aclf_buf_init(&op, 0);
	for (size_t k = 0; k < r->nsrc_parts && rc == 0; k++) {
		bool present, full;
		rc |= operand(c, &r->src_parts[k].set, r->src_parts[k].name, (uint8_t)(i ? 6 : 4), &op,
			      &present, &full);
		if (rc || !present)
			continue;
		rc |= aclf_buf_puts(c->out, "\t\t");
		if (!full)
			rc |= aclf_buf_printf(c->out, "%s saddr %s ", kw, op.buf);
		if (!dfull)
			rc |= aclf_buf_printf(c->out, "%s daddr %s ", kw, daddr);
		rc |= put_tail(c->out, r, full && dfull ? (i ? "ipv6" : "ipv4") : NULL, counter);
	}
	aclf_buf_release(&op);
	return rc;
}

/* A neutral rule becomes one nft rule per address family it covers, both
 * counting into the same named counter (and, for a source that is the union
 * of named parts, one per part: emit_parts); a rule whose two sides cover
 * all of both families needs no address match at all. */
static int emit_rule(struct rctx *c, const struct aclf_rule *r, const char *counter)
{
	struct aclf_buf s[2], d[2];
	bool sp[2], sf[2], dp[2], df[2], on[2];
	struct aclf_buf *o = c->out;
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		aclf_buf_init(&s[i], 0);
		aclf_buf_init(&d[i], 0);
	}
	for (int i = 0; i < 2 && rc == 0; i++) {
		uint8_t fam = i ? 6 : 4;
		rc |= operand(c, &r->src, r->src_name, fam, &s[i], &sp[i], &sf[i]);
		rc |= operand(c, &r->dst, r->dst_name, fam, &d[i], &dp[i], &df[i]);
		on[i] = sp[i] && dp[i];
	}
	if (rc == 0 && on[0] && on[1] && sf[0] && df[0] && sf[1] && df[1]) {
		rc |= aclf_buf_puts(o, "\t\t");
		rc |= put_tail(o, r, NULL, counter);
	} else {
		for (int i = 0; i < 2 && rc == 0; i++) {
			const char *kw = i ? "ip6" : "ip";
			if (!on[i])
				continue;
			if (r->nsrc_parts >= 2) {
				rc |= emit_parts(c, r, i, d[i].buf, df[i], counter);
				continue;
			}
			rc |= aclf_buf_puts(o, "\t\t");
			if (!sf[i])
				rc |= aclf_buf_printf(o, "%s saddr %s ", kw, s[i].buf);
			if (!df[i])
				rc |= aclf_buf_printf(o, "%s daddr %s ", kw, d[i].buf);
			rc |= put_tail(o, r, sf[i] && df[i] ? (i ? "ipv6" : "ipv4") : NULL, counter);
		}
	}
	for (int i = 0; i < 2; i++) {
		aclf_buf_release(&s[i]);
		aclf_buf_release(&d[i]);
	}
	return rc < 0 ? oom(c) : 0;
}

/* Accepted ahead of the policy's rules; the parser recognises and drops them:
 * conntrack return traffic (the device is stateful), loopback (input/output:
 * a host that drops lo breaks its own services) and IPv6 neighbour and router
 * discovery from the link (hop limit 255, RFC 4861), without which IPv6 stops
 * working on the host. */
static int emit_prologue(struct aclf_buf *o, const char *hook, bool nd)
{
	int rc = aclf_buf_puts(o, "\t\tct state established,related accept\n");

	if (hook && !strcmp(hook, "input"))
		rc |= aclf_buf_puts(o, "\t\tiif \"lo\" accept\n");
	if (hook && !strcmp(hook, "output"))
		rc |= aclf_buf_puts(o, "\t\toif \"lo\" accept\n");
	if (nd)
		rc |= aclf_buf_puts(o, "\t\ticmpv6 type { nd-router-solicit, nd-router-advert, "
				       "nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 "
				       "accept\n");
	return rc;
}

static int emit_chain(struct rctx *c, const struct chain *ch)
{
	const struct aclf_filter *f = ch->f;
	const char *verdict = f->default_action == ACLF_PERMIT ? "accept" : "drop";
	struct aclf_buf *o = c->out;
	int rc = aclf_buf_printf(o, "\tchain %s {\n", ch->name);

	if (ch->hook)
		rc |= aclf_buf_printf(o, "\t\ttype filter hook %s priority filter; policy %s;\n",
				      ch->hook, verdict);
	rc |= emit_prologue(o, ch->hook, !ch->hook || strcmp(ch->hook, "forward") != 0);
	if (rc < 0)
		return oom(c);
	for (size_t k = 0; k < f->nrules; k++)
		if (emit_rule(c, &f->rules[k], ch->counters[k]) < 0)
			return -1;
	if (!ch->hook)
		rc |= aclf_buf_printf(o, "\t\t%s\n", verdict);
	rc |= aclf_buf_puts(o, "\t}\n\n");
	return rc < 0 ? oom(c) : 0;
}

static int emit_dispatch(struct rctx *c, enum aclf_direction dir)
{
	struct aclf_buf *o = c->out;
	bool any = false;
	int rc = 0;

	for (size_t i = 0; i < c->nchains; i++) {
		const struct aclf_binding *b = &c->chains[i].f->binding;
		if (b->kind != ACLF_BIND_INTERFACE || b->direction != dir)
			continue;
		if (!any)
			rc |= aclf_buf_printf(o, "\tchain %s {\n\t\ttype filter hook %s priority "
					      "filter; policy accept;\n",
					      dir == ACLF_DIR_IN ? NFTD_IFACE_IN : NFTD_IFACE_OUT,
					      dir == ACLF_DIR_IN ? "prerouting" : "postrouting");
		any = true;
		rc |= aclf_buf_printf(o, "\t\t%s \"%s\" jump %s\n",
				      dir == ACLF_DIR_IN ? "iifname" : "oifname", b->name,
				      c->chains[i].name);
	}
	if (any)
		rc |= aclf_buf_puts(o, "\t}\n\n");
	return rc < 0 ? oom(c) : 0;
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->ident, ((const struct group *)b)->ident);
}

static int emit(struct rctx *c)
{
	struct aclf_buf *o = c->out;
	size_t start = o->len;
	int rc = 0;

	rc |= aclf_buf_puts(o, "# aclforge nftables ruleset for device ");
	rc |= put_quoted(o, c->dp->name ? c->dp->name : "", 200);
	rc |= aclf_buf_puts(o, "\n# apply with `nft -f`: one transaction that creates the table if "
			       "missing,\n# deletes it and loads it whole; nothing outside table "
			       "inet " NFTD_TABLE " is touched\n");
	rc |= aclf_buf_puts(o, "table " NFTD_FAMILY " " NFTD_TABLE " {}\n"
			       "delete table " NFTD_FAMILY " " NFTD_TABLE "\n"
			       "table " NFTD_FAMILY " " NFTD_TABLE " {\n");
	if (rc < 0)
		return oom(c);
	if (c->ngroups)
		qsort(c->groups, c->ngroups, sizeof(*c->groups), group_cmp);
	for (size_t i = 0; i < c->ngroups; i++)
		if (emit_set(c, &c->groups[i], 4) < 0 || emit_set(c, &c->groups[i], 6) < 0)
			return -1;
	for (size_t i = 0; i < c->nchains; i++) {
		for (size_t k = 0; k < c->chains[i].f->nrules; k++)
			rc |= aclf_buf_printf(o, "\tcounter %s {\n\t}\n", c->chains[i].counters[k]);
		if (c->chains[i].f->nrules)
			rc |= aclf_buf_putc(o, '\n');
	}
	if (rc < 0)
		return oom(c);
	for (size_t i = 0; i < c->nchains; i++)
		if (emit_chain(c, &c->chains[i]) < 0)
			return -1;
	if (emit_dispatch(c, ACLF_DIR_IN) < 0 || emit_dispatch(c, ACLF_DIR_OUT) < 0)
		return -1;
	/* drop the blank line before the closing brace */
	if (o->len > start + 1 && o->buf[o->len - 1] == '\n' && o->buf[o->len - 2] == '\n')
		o->buf[--o->len] = '\0';
	if (aclf_buf_puts(o, "}\n") < 0)
		return oom(c);
	return 0;
}

int nftd_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err)
{
	struct rctx c = { .dp = dp, .out = out, .err = err };
	size_t start = out->len;
	int rc = -1;

	aclf_arena_init(&c.tmp);
	if (dp->nlb) {
		aclf_err_set(err, ACLF_E_INPUT, "device '%s': nftables carries no load-balancer "
			     "services (%zu given)", dp->name, dp->nlb);
		goto out;
	}
	c.nchains = dp->nfilters;
	c.chains = aclf_arena_alloc(&c.tmp, (dp->nfilters + 1) * sizeof(*c.chains));
	if (!c.chains) {
		oom(&c);
		goto out;
	}
	for (size_t i = 0; i < dp->nfilters; i++) {
		c.chains[i].f = &dp->filters[i];
		if (prepare_chain(&c, i) < 0)
			goto out;
	}
	rc = emit(&c);
out:
	if (rc < 0 && out->len > start) {
		out->len = start;
		out->buf[start] = '\0';
	}
	aclf_htab_free(&c.group_by_ident);
	aclf_arena_release(&c.tmp);
	return rc;
}
