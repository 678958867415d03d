/* Render a device policy as IOS configuration:
 *
 *   object-group network / service definitions (IPv4 only)
 *   ip access-list extended NAME      (IPv4 part of every rule, then the
 *   ipv6 access-list NAME-V6           explicit default entry)
 *   interface X / ip access-group NAME in / ipv6 traffic-filter NAME-V6 in
 *
 * No sequence numbers (IOS numbers entries 10, 20, ...), so the text is
 * accepted by classic IOS and IOS-XE alike. Both lists are written for
 * every filter: the default action covers both families, and an interface
 * without an ipv6 traffic-filter would pass every IPv6 packet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "aclforge/htab.h"
#include "aclforge/prefix.h"
#include "ios.h"

struct rctx {
	size_t *first;     /* per filter: the first filter of its name */
	size_t *next_if;   /* per filter bound to an interface: the next one bound to the same
	                    * interface, or SIZE_MAX */
	size_t *if_head;   /* per filter bound to an interface: the first bound to it; else SIZE_MAX */
	struct ios_ogs og;
	struct aclf_arena a;
	struct aclf_buf acl;
	struct aclf_err *err;
	const char *dev;
	const struct aclf_filter *f;
};

static int rule_err(struct rctx *c, const struct aclf_rule *r, size_t idx, const char *what)
{
	if (r->id)
		return aclf_err_set(c->err, ACLF_E_INPUT, "device '%s': filter '%s': rule '%s': %s",
				    c->dev, c->f->name, r->id, what);
	return aclf_err_set(c->err, ACLF_E_INPUT, "device '%s': filter '%s': rule %zu: %s", c->dev,
			    c->f->name, idx + 1, what);
}

/* an IOS word: printable, no blanks, no '?' */
static bool word_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || *s == '?')
			return false;
	return true;
}

static bool acl_name_ok(const char *s)
{
	return word_ok(s) && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'));
}

/* [0, 65535] is no restriction at all */
static void norm_ports(const struct aclf_port_set *in, struct aclf_port_set *out)
{
	*out = *in;
	if (in->n == 1 && in->v[0].lo == 0 && in->v[0].hi == 65535) {
		out->n = 0;
		out->v = NULL;
	}
}

static int put_addr(struct aclf_buf *b, const struct aclf_prefix *p)
{
	char addr[ACLF_PREFIX_STRLEN], mask[ACLF_PREFIX_STRLEN];
	int rc;

	if (p->len == 0)
		return aclf_buf_puts(b, " any");
	aclf_prefix_format_addr(p, addr, sizeof(addr));
	if ((p->family == 4 && p->len == 32) || (p->family == 6 && p->len == 128)) {
		rc = aclf_buf_puts(b, " host ");
		return rc | aclf_buf_puts(b, addr);
	}
	if (p->family == 6)
		return aclf_buf_printf(b, " %s/%u", addr, (unsigned)p->len);
	aclf_prefix_format_mask(p, true, mask, sizeof(mask));
	rc = aclf_buf_putc(b, ' ');
	rc |= aclf_buf_puts(b, addr);
	rc |= aclf_buf_putc(b, ' ');
	return rc | aclf_buf_puts(b, mask);
}

/* One side of an ACE: either one object-group or a list of prefixes. */
struct side {
	const char *group;
	const struct aclf_prefix *v;
	size_t n;
};

static int make_side(struct rctx *c, uint8_t fam, const char *name, const struct aclf_set_part *parts,
		     size_t nparts, const struct aclf_prefix_set *set, struct side *s)
{
	memset(s, 0, sizeof(*s));
	if (fam == 4 && set->n > 1) {
		s->group = nparts >= 2 ? ios_ogs_net_parts(&c->og, name, set, parts, nparts)
				       : ios_ogs_net(&c->og, name, set);
		if (!s->group)
			return aclf_err_nomem(c->err);
		s->n = 1;
		return 0;
	}
	s->v = set->v;
	s->n = set->n;
	return 0;
}

static int put_side(struct aclf_buf *b, const struct side *s, size_t i)
{
	if (s->group) {
		int rc = aclf_buf_puts(b, " object-group ");
		return rc | aclf_buf_puts(b, s->group);
	}
	return put_addr(b, &s->v[i]);
}

static const char *action_word(enum aclf_action a)
{
	return a == ACLF_PERMIT ? "permit" : "deny";
}

static int put_proto(struct aclf_buf *b, uint8_t fam, int proto)
{
	const char *kw = ios_proto_keyword(fam, proto);

	if (kw) {
		int rc = aclf_buf_putc(b, ' ');
		return rc | aclf_buf_puts(b, kw);
	}
	return aclf_buf_printf(b, " %d", proto);
}

/* The part of rule r in family fam; nothing when one side has no address of
 * that family. */
static int render_part(struct rctx *c, const struct aclf_rule *r, uint8_t fam)
{
	struct aclf_prefix_set s, d;
	struct aclf_port_set sp, dp;
	struct side ss, ds;
	const char *svc = NULL;
	char remark[IOS_REMARK_MAX + 1];
	size_t nsp, ndp;
	int rc = 0;

	/* views into the rule's sets, no copies */
	aclf_pset_family_view(&r->src, fam, &s);
	aclf_pset_family_view(&r->dst, fam, &d);
	if (!s.n || !d.n)
		return 0;
	norm_ports(&r->src_ports, &sp);
	norm_ports(&r->dst_ports, &dp);
	nsp = sp.n ? sp.n : 1;
	ndp = dp.n ? dp.n : 1;
	if (make_side(c, fam, r->src_name, r->src_parts, r->nsrc_parts, &s, &ss) < 0 ||
	    make_side(c, fam, r->dst_name, r->dst_parts, r->ndst_parts, &d, &ds) < 0)
		return -1;
	/* several port ranges: one service object-group (IPv4, not with
	 * established, which an object-group ACE cannot carry) or one ACE per
	 * combination of ranges */
	if (fam == 4 && !r->established && nsp * ndp > 1) {
		if (!(svc = ios_ogs_svc(&c->og, r->protocol, &sp, &dp)))
			return aclf_err_nomem(c->err);
		nsp = ndp = 1;
	}
	ios_remark_text(r, remark, sizeof(remark));
	if (remark[0]) {
		rc |= aclf_buf_puts(&c->acl, " remark ");
		rc |= aclf_buf_puts(&c->acl, remark);
		rc |= aclf_buf_putc(&c->acl, '\n');
	}
	for (size_t i = 0; i < ss.n; i++)
		for (size_t j = 0; j < ds.n; j++)
			for (size_t a = 0; a < nsp; a++)
				for (size_t b = 0; b < ndp; b++) {
					rc |= aclf_buf_putc(&c->acl, ' ');
					rc |= aclf_buf_puts(&c->acl, action_word(r->action));
					if (svc) {
						rc |= aclf_buf_puts(&c->acl, " object-group ");
						rc |= aclf_buf_puts(&c->acl, svc);
					} else {
						rc |= put_proto(&c->acl, fam, r->protocol);
					}
					rc |= put_side(&c->acl, &ss, i);
					if (!svc && sp.n)
						rc |= ios_put_range(&c->acl, &sp.v[a]);
					rc |= put_side(&c->acl, &ds, j);
					if (!svc && dp.n)
						rc |= ios_put_range(&c->acl, &dp.v[b]);
					if (r->established)
						rc |= aclf_buf_puts(&c->acl, " established");
					rc |= aclf_buf_putc(&c->acl, '\n');
				}
	return rc ? aclf_err_nomem(c->err) : 0;
}

/* What IOS cannot say is an error, never dropped. */
static int check_rule(struct rctx *c, const struct aclf_rule *r, size_t idx)
{
	bool common = false;
	char pbuf[16];

	if (r->protocol < 0 || r->protocol > 255)
		return rule_err(c, r, idx, "protocol out of range 0-255");
	if (!r->src.n || !r->dst.n)
		return rule_err(c, r, idx, "empty source or destination address set");
	if ((r->src_ports.n || r->dst_ports.n) && r->protocol != ACLF_PROTO_TCP &&
	    r->protocol != ACLF_PROTO_UDP) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s ports on protocol '%s': ios matches ports only for tcp and udp",
			 r->src_ports.n ? "source" : "destination",
			 aclf_proto_name(r->protocol, pbuf, sizeof(pbuf)));
		return rule_err(c, r, idx, msg);
	}
	if (r->established && r->protocol != ACLF_PROTO_TCP)
		return rule_err(c, r, idx, "'established' needs protocol tcp");
	for (uint8_t fam = 4; fam <= 6; fam += 2) {
		struct aclf_prefix_set s, d;
		aclf_pset_family_view(&r->src, fam, &s);
		aclf_pset_family_view(&r->dst, fam, &d);
		common |= s.n && d.n;
	}
	if (!common)
		return rule_err(c, r, idx, "source and destination share no address family");
	return 0;
}

static int render_filter(struct rctx *c, const struct aclf_filter *f)
{
	const char *act = action_word(f->default_action);

	c->f = f;
	if (!acl_name_ok(f->name))
		return aclf_err_set(c->err, ACLF_E_INPUT,
				    "device '%s': filter name '%s' is not an ios acl name (a letter, then no blanks)",
				    c->dev, f->name);
	for (size_t i = 0; i < f->nrules; i++)
		if (check_rule(c, &f->rules[i], i) < 0)
			return -1;
	for (uint8_t fam = 4; fam <= 6; fam += 2) {
		int rc = fam == 4 ? aclf_buf_printf(&c->acl, "ip access-list extended %s\n", f->name)
				  : aclf_buf_printf(&c->acl, "ipv6 access-list %s%s\n", f->name,
						    IOS_V6_SUFFIX);
		if (rc < 0)
			return aclf_err_nomem(c->err);
		for (size_t i = 0; i < f->nrules; i++)
			if (render_part(c, &f->rules[i], fam) < 0)
				return -1;
		if (aclf_buf_printf(&c->acl, " remark default %s\n %s %s any any\n!\n", act, act,
				    fam == 4 ? "ip" : "ipv6") < 0)
			return aclf_err_nomem(c->err);
	}
	return 0;
}

static bool same_rules(const struct aclf_filter *a, const struct aclf_filter *b)
{
	if (a->nrules != b->nrules || a->default_action != b->default_action)
		return false;
	for (size_t i = 0; i < a->nrules; i++) {
		const struct aclf_rule *x = &a->rules[i], *y = &b->rules[i];
		if (x->action != y->action || x->protocol != y->protocol ||
		    x->established != y->established || !aclf_pset_equal(&x->src, &y->src) ||
		    !aclf_pset_equal(&x->dst, &y->dst) || !aclf_ports_equal(&x->src_ports, &y->src_ports) ||
		    !aclf_ports_equal(&x->dst_ports, &y->dst_ports))
			return false;
	}
	return true;
}

/* c->first, c->next_if and c->if_first, by hashing names: a device with
 * thousands of filters is not compared pairwise. 0 or -1. */
static int index_names(struct rctx *c, const struct aclf_devpol *dp)
{
	struct aclf_htab by_name = ACLF_HTAB_INIT, by_if = ACLF_HTAB_INIT;
	size_t n = dp->nfilters ? dp->nfilters : 1, *last_if;
	int rc = -1;

	c->first = malloc(n * sizeof(*c->first));
	c->next_if = malloc(n * sizeof(*c->next_if));
	c->if_head = malloc(n * sizeof(*c->if_head));
	last_if = malloc(n * sizeof(*last_if));
	if (!c->first || !c->next_if || !c->if_head || !last_if)
		goto out;
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		uint64_t h = aclf_hash_str(f->name);
		size_t it, e;
		c->first[i] = i;
		c->next_if[i] = SIZE_MAX;
		c->if_head[i] = SIZE_MAX;
		for (e = aclf_htab_find(&by_name, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&by_name, h, &it))
			if (!strcmp(dp->filters[e].name, f->name))
				break;
		if (e != ACLF_HTAB_END)
			c->first[i] = e;
		else if (aclf_htab_put(&by_name, h, i) < 0)
			goto out;
		if (f->binding.kind != ACLF_BIND_INTERFACE || !f->binding.name)
			continue;
		h = aclf_hash_str(f->binding.name);
		for (e = aclf_htab_find(&by_if, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&by_if, h, &it))
			if (!strcmp(dp->filters[e].binding.name, f->binding.name))
				break;
		if (e == ACLF_HTAB_END) {
			if (aclf_htab_put(&by_if, h, i) < 0)
				goto out;
			c->if_head[i] = i;
			last_if[i] = i;
		} else {
			c->if_head[i] = e;
			c->next_if[last_if[e]] = i;
			last_if[e] = i;
		}
	}
	rc = 0;
out:
	free(last_if);
	aclf_htab_free(&by_name);
	aclf_htab_free(&by_if);
	return rc < 0 ? aclf_err_nomem(c->err) : 0;
}

static int check_names(struct rctx *c, const struct aclf_devpol *dp)
{
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		size_t first = c->first[i];
		/* one list bound at several points is one filter per binding */
		if (first != i && !same_rules(&dp->filters[first], f))
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "device '%s': two different filters named '%s'", c->dev,
					    f->name);
		if (f->binding.kind == ACLF_BIND_NONE)
			continue;
		if (f->binding.kind == ACLF_BIND_CHAIN)
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "device '%s': filter '%s' is bound to chain '%s': ios binds access lists to interfaces",
					    c->dev, f->name, f->binding.name ? f->binding.name : "");
		if (!word_ok(f->binding.name))
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "device '%s': filter '%s': bad interface name '%s'", c->dev,
					    f->name, f->binding.name ? f->binding.name : "");
		if (f->binding.direction != ACLF_DIR_IN && f->binding.direction != ACLF_DIR_OUT)
			return aclf_err_set(c->err, ACLF_E_INPUT,
					    "device '%s': filter '%s': interface '%s' needs direction in or out",
					    c->dev, f->name, f->binding.name);
		/* the earlier filters bound to the same interface, in order */
		for (size_t k = c->if_head[i]; k < i; k = c->next_if[k])
			if (dp->filters[k].binding.direction == f->binding.direction)
				return aclf_err_set(c->err, ACLF_E_INPUT,
						    "device '%s': filters '%s' and '%s' both bound to '%s' %s: ios takes one access list per direction",
						    c->dev, dp->filters[k].name, f->name, f->binding.name,
						    aclf_direction_name(f->binding.direction));
	}
	return 0;
}

static int render_interfaces(const struct rctx *c, const struct aclf_devpol *dp, struct aclf_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_binding *b = &dp->filters[i].binding;
		if (b->kind != ACLF_BIND_INTERFACE || c->if_head[i] != i)
			continue;
		rc |= aclf_buf_printf(out, "interface %s\n", b->name);
		for (size_t j = i; j != SIZE_MAX; j = c->next_if[j]) {
			const struct aclf_filter *f = &dp->filters[j];
			const char *dir = aclf_direction_name(f->binding.direction);
			rc |= aclf_buf_printf(out, " ip access-group %s %s\n", f->name, dir);
			rc |= aclf_buf_printf(out, " ipv6 traffic-filter %s%s %s\n", f->name,
					      IOS_V6_SUFFIX, dir);
		}
		rc |= aclf_buf_puts(out, "!\n");
	}
	return rc ? -1 : 0;
}

int ios_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err)
{
	return ios_render_ex(dp, NULL, out, err);
}

int ios_render_ex(const struct aclf_devpol *dp, const struct ios_render_opts *o,
		  struct aclf_buf *out, struct aclf_err *err)
{
	struct rctx c;
	char devname[128];
	int rc = -1;

	memset(&c, 0, sizeof(c));
	aclf_arena_init(&c.a);
	aclf_buf_init(&c.acl, 0);
	c.og.a = &c.a;
	c.og.suffix = o ? o->og_suffix : NULL;
	c.err = err;
	c.dev = dp->name ? dp->name : "";
	if (index_names(&c, dp) < 0 || check_names(&c, dp) < 0)
		goto out;
	for (size_t i = 0; i < dp->nfilters; i++)
		if (c.first[i] == i && render_filter(&c, &dp->filters[i]) < 0)
			goto out;
	ios_safe_name(c.dev, devname, sizeof(devname));
	if (aclf_buf_printf(out, "! aclforge: ios configuration for device %s\n!\n", devname) < 0 ||
	    (o && o->preamble && aclf_buf_puts(out, o->preamble) < 0) ||
	    ios_ogs_write(&c.og, out) < 0 || aclf_buf_add(out, c.acl.buf, c.acl.len) < 0 ||
	    render_interfaces(&c, dp, out) < 0) {
		aclf_err_nomem(c.err);
		goto out;
	}
	rc = 0;
out:
	free(c.first);
	free(c.next_if);
	free(c.if_head);
	aclf_buf_release(&c.acl);
	ios_ogs_release(&c.og);
	aclf_arena_release(&c.a);
	return rc;
}
