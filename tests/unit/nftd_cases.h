/* Hand-built device policies for the nftables driver tests, and a
 * comparison by meaning of two filters. Each case's rendered text is kept as
 * tests/fixtures/nftables/<case>.nft (golden) and the JSON real nft listed
 * after loading it as <case>.json (see that folder's SOURCES.md). */
#ifndef NFTD_CASES_H
#define NFTD_CASES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/portset.h"

/* "a, b, c" -> prefix set; "any" = 0.0.0.0/0 and ::/0, "any4", "any6". */
static inline int tc_pset(struct aclf_policy *p, const char *list, struct aclf_prefix_set *out)
{
	struct aclf_prefix v[64];
	size_t n = 0;
	const char *s = list;

	while (*s) {
		char tok[64];
		size_t k = 0;
		while (*s == ' ' || *s == ',')
			s++;
		while (*s && *s != ',' && *s != ' ' && k + 1 < sizeof(tok))
			tok[k++] = *s++;
		tok[k] = '\0';
		if (!k)
			break;
		if (n + 2 > sizeof(v) / sizeof(v[0]))
			return -1;
		if (!strcmp(tok, "any") || !strcmp(tok, "any4"))
			aclf_prefix_from_u128(4, 0, 0, &v[n++]);
		if (!strcmp(tok, "any") || !strcmp(tok, "any6"))
			aclf_prefix_from_u128(6, 0, 0, &v[n++]);
		if (strncmp(tok, "any", 3) && aclf_prefix_parse(tok, &v[n++], false) < 0)
			return -1;
	}
	return aclf_pset_merge(&p->arena, v, n, out);
}

/* "5061, 5070-5072" -> port set; "" = any */
static inline int tc_ports(struct aclf_policy *p, const char *list, struct aclf_port_set *out)
{
	struct aclf_port_range v[64];
	size_t n = 0;
	const char *s = list;

	while (*s) {
		char *end;
		unsigned long lo, hi;
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		lo = strtoul(s, &end, 10);
		hi = lo;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (end == s || lo > 65535 || hi > 65535 || n == sizeof(v) / sizeof(v[0]))
			return -1;
		v[n++] = (struct aclf_port_range){ (uint16_t)lo, (uint16_t)hi };
		s = end;
	}
	return aclf_ports_merge(&p->arena, v, n, out);
}

struct tc_rule {
	const char *id;
	enum aclf_action action;
	int protocol;
	const char *src, *src_name;
	const char *dst, *dst_name;
	const char *sports, *dports;
	bool established;
	const char *comment;
};

static inline struct aclf_filter *tc_filter(struct aclf_policy *p, struct aclf_devpol *d,
					    const char *name, enum aclf_binding_kind kind,
					    const char *bname, enum aclf_direction dir,
					    enum aclf_action def, const struct tc_rule *rules)
{
	struct aclf_filter *f = aclf_devpol_add_filter(p, d, name);

	if (!f)
		return NULL;
	f->binding.kind = kind;
	f->binding.name = aclf_arena_strdup(&p->arena, bname);
	f->binding.direction = dir;
	f->default_action = def;
	for (const struct tc_rule *t = rules; t && t->id; t++) {
		struct aclf_rule *r = aclf_filter_add_rule(p, f);
		if (!r)
			return NULL;
		r->id = aclf_arena_strdup(&p->arena, t->id);
		r->action = t->action;
		r->protocol = t->protocol;
		r->src_name = t->src_name ? aclf_arena_strdup(&p->arena, t->src_name) : NULL;
		r->dst_name = t->dst_name ? aclf_arena_strdup(&p->arena, t->dst_name) : NULL;
		r->established = t->established;
		r->comment = t->comment ? aclf_arena_strdup(&p->arena, t->comment) : NULL;
		if (tc_pset(p, t->src, &r->src) < 0 || tc_pset(p, t->dst, &r->dst) < 0 ||
		    tc_ports(p, t->sports ? t->sports : "", &r->src_ports) < 0 ||
		    tc_ports(p, t->dports ? t->dports : "", &r->dst_ports) < 0) {
			fprintf(stderr, "bad test rule %s\n", t->id);
			return NULL;
		}
	}
	return f;
}

#define P ACLF_PERMIT
#define D ACLF_DENY
#define TCP ACLF_PROTO_TCP
#define UDP ACLF_PROTO_UDP

static const struct tc_rule tc_v4_rules[] = {
	{ "r0001", P, TCP, "198.18.0.0/24", NULL, "198.18.1.10", NULL, NULL, "5061", false, NULL },
	{ "r0002", D, UDP, "any4", NULL, "198.18.1.10", NULL, NULL, "53", false, NULL },
	{ "r0003", P, ACLF_PROTO_ICMP, "198.18.0.0/15", NULL, "198.18.1.10", NULL, NULL, NULL,
	  false, NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_v6_rules[] = {
	{ "r0001", P, TCP, "2001:db8:20::/48", NULL, "2001:db8:1::11", NULL, NULL, "443", false,
	  NULL },
	{ "r0002", P, ACLF_PROTO_ICMP6, "any6", NULL, "any6", NULL, NULL, NULL, false, NULL },
	{ "r0003", D, TCP, "2001:db8:20::5, 2001:db8:20::7", NULL, "any6", NULL, NULL, NULL, false,
	  NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_mixed_rules[] = {
	{ "r0001", P, TCP, "10.20.0.0/16, 10.30.0.0/22, 2001:db8:20::/48", "clients",
	  "10.1.1.11, 10.1.1.12, 2001:db8:1::11", "fe-berlin+vip", NULL, "5061, 5070-5072", false,
	  "server-07 sip mtls" },
	{ "r0002", P, UDP, "any", NULL, "10.1.1.11, 2001:db8:1::11", NULL, NULL, "3478",
	  false, NULL },
	{ "r0003", P, TCP, "10.20.0.0/16, 10.30.0.0/22, 2001:db8:20::/48", "clients", "any",
	  NULL, NULL, "443", false, NULL },
	{ "r0004", D, 0, "any", NULL, "any", NULL, NULL, NULL, false, "explicit deny all" },
	{ .id = NULL },
};

static const struct tc_rule tc_ports_rules[] = {
	{ "r0001", P, TCP, "10.20.0.0/16", NULL, "10.1.1.11", NULL, "1024-65535",
	  "5061, 5070-5072, 8057", false, NULL },
	{ "r0002", P, UDP, "10.20.0.0/16", NULL, "10.1.1.11", NULL, "50000-50019",
	  "49152-57500", false, NULL },
	{ "r0003", P, TCP, "10.1.1.11", NULL, "10.20.0.0/16", NULL, "5061", NULL, true, NULL },
	{ "r0004", D, TCP, "any", NULL, "any", NULL, NULL, "0-65535", false, NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_ranges_rules[] = {
	/* merged sets that are not one prefix: nft may list them as ranges */
	{ "r0001", P, TCP, "10.0.0.1, 10.0.0.2/31, 10.0.0.4", NULL, "10.1.1.0/25, 10.1.1.128/26",
	  NULL, NULL, "5061", false, NULL },
	{ "r0002", P, TCP, "2001:db8::1, 2001:db8::2/127, 2001:db8::4", "edge", "2001:db8:1::/64",
	  NULL, NULL, "443", false, NULL },
	{ "r0003", D, 47, "10.9.0.0/16", NULL, "any4", NULL, NULL, NULL, false, NULL },
	/* an anonymous set long enough to be wrapped over two lines */
	{ "r0004", P, UDP, "10.0.1.1, 10.0.2.1, 10.0.3.1, 10.0.4.1, 10.0.5.1, 10.0.6.1, 10.0.7.1, "
	  "10.0.8.1, 10.0.9.1, 10.0.10.1", NULL, "10.1.1.11", NULL, NULL, "514", false, NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_anyproto_rules[] = {
	{ "r0001", P, 0, "10.20.0.0/16", NULL, "10.1.1.11", NULL, NULL, NULL, false, NULL },
	{ "r0002", D, 0, "any6", NULL, "2001:db8:1::/64", NULL, NULL, NULL, false, NULL },
	{ "r0003", P, 0, "any", NULL, "any", NULL, NULL, NULL, false, NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_out_rules[] = {
	{ "r0001", D, TCP, "any", NULL, "192.0.2.0/24, 2001:db8:dead::/48", "blocked", NULL, "25",
	  false, NULL },
	{ .id = NULL },
};

static const struct tc_rule tc_iface_rules[] = {
	{ "r0001", P, TCP, "10.20.0.0/16", "clients", "10.1.1.10", NULL, NULL, "443, 444", false,
	  NULL },
	{ "r0002", D, UDP, "any4", NULL, "10.1.1.10", NULL, NULL, "1434", false, NULL },
	{ .id = NULL },
};

/* Used by tests/cli/nft_enforce.sh through the golden enforce.nft: the peer
 * namespace may reach TCP 5061 of the server, 5062 is refused by a rule
 * with its own counter, everything else by the default. */
static const struct tc_rule tc_enforce_rules[] = {
	{ "r0001", P, TCP, "198.18.0.2, 2001:2::2", "peer", "198.18.0.1, 2001:2::1", "server",
	  NULL, "5061", false, "sip mtls from the peer" },
	{ "r0002", D, TCP, "198.18.0.2, 2001:2::2", "peer", "198.18.0.1, 2001:2::1", "server",
	  NULL, "5062", false, NULL },
	{ .id = NULL },
};

static inline struct aclf_devpol *tc_build(struct aclf_policy *p, const char *name)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, name, "nftables");
	bool ok = d != NULL;

#define CHAIN_F(fname, hook, def, rules) \
	(ok = ok && tc_filter(p, d, fname, ACLF_BIND_CHAIN, hook, \
			      strcmp(hook, "output") ? ACLF_DIR_IN : ACLF_DIR_OUT, def, rules))
#define IFACE_F(fname, ifc, dir, def, rules) \
	(ok = ok && tc_filter(p, d, fname, ACLF_BIND_INTERFACE, ifc, dir, def, rules))
	if (!ok)
		return NULL;
	if (!strcmp(name, "v4"))
		CHAIN_F("input", "input", D, tc_v4_rules);
	else if (!strcmp(name, "v6"))
		CHAIN_F("input", "input", D, tc_v6_rules);
	else if (!strcmp(name, "mixed"))
		CHAIN_F("fe01-input", "input", D, tc_mixed_rules);
	else if (!strcmp(name, "ports"))
		CHAIN_F("input", "input", D, tc_ports_rules);
	else if (!strcmp(name, "ranges"))
		CHAIN_F("input", "input", D, tc_ranges_rules);
	else if (!strcmp(name, "anyproto"))
		CHAIN_F("input", "input", D, tc_anyproto_rules);
	else if (!strcmp(name, "default_accept")) {
		CHAIN_F("output", "output", P, tc_out_rules);
		CHAIN_F("forward", "forward", P, NULL);
	} else if (!strcmp(name, "iface")) {
		CHAIN_F("host_in", "input", D, tc_v4_rules);
		IFACE_F("vlan110_in", "vlan110", ACLF_DIR_IN, D, tc_iface_rules);
		IFACE_F("vlan110_out", "vlan110", ACLF_DIR_OUT, P, tc_out_rules);
	} else if (!strcmp(name, "empty")) {
		/* a host with no filters: an empty table */
	} else if (!strcmp(name, "enforce"))
		CHAIN_F("input", "input", D, tc_enforce_rules);
	else
		return NULL;
#undef CHAIN_F
#undef IFACE_F
	return ok ? aclf_policy_find_device(p, name) : NULL;
}

static const char *const tc_names[] = {
	"v4", "v6", "mixed", "ports", "ranges", "anyproto", "default_accept", "iface", "empty",
	"enforce", NULL,
};

#undef P
#undef D
#undef TCP
#undef UDP

/* Compare two filters by what the driver promises to keep: binding,
 * default, and per rule id, action, protocol, ports, established, comment,
 * group names, and the addresses of every family both sides of the rule
 * cover (a family only one side covers matches no packet). Writes the first
 * difference to why and returns false. */
static inline bool tc_family_part(const struct aclf_prefix_set *s, uint8_t fam, size_t *first,
				  size_t *n)
{
	*first = 0;
	*n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].family != fam)
			continue;
		if (!*n)
			*first = i;
		(*n)++;
	}
	return *n > 0;
}

static inline bool tc_same_part(const struct aclf_prefix_set *a, const struct aclf_prefix_set *b,
				uint8_t fam)
{
	size_t fa, na, fb, nb;

	tc_family_part(a, fam, &fa, &na);
	tc_family_part(b, fam, &fb, &nb);
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (aclf_prefix_cmp(&a->v[fa + i], &b->v[fb + i]))
			return false;
	return true;
}

static inline bool tc_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static inline bool tc_same_filter(const struct aclf_filter *a, const struct aclf_filter *b,
				  char *why, size_t whylen)
{
	if (strcmp(a->name, b->name) || a->binding.kind != b->binding.kind ||
	    !tc_str_eq(a->binding.name, b->binding.name) ||
	    a->binding.direction != b->binding.direction || a->default_action != b->default_action) {
		snprintf(why, whylen, "filter '%s'/'%s': name, binding or default differ", a->name,
			 b->name);
		return false;
	}
	if (a->nrules != b->nrules) {
		snprintf(why, whylen, "filter '%s': %zu vs %zu rules", a->name, a->nrules, b->nrules);
		return false;
	}
	for (size_t i = 0; i < a->nrules; i++) {
		const struct aclf_rule *x = &a->rules[i], *y = &b->rules[i];
		size_t f1, n1, f2, n2;
		bool fam_ok = true;
		for (uint8_t fam = 4; fam <= 6; fam += 2) {
			bool on_x = tc_family_part(&x->src, fam, &f1, &n1) &&
				    tc_family_part(&x->dst, fam, &f2, &n2);
			bool on_y = tc_family_part(&y->src, fam, &f1, &n1) &&
				    tc_family_part(&y->dst, fam, &f2, &n2);
			if (on_x != on_y || (on_x && (!tc_same_part(&x->src, &y->src, fam) ||
						      !tc_same_part(&x->dst, &y->dst, fam))))
				fam_ok = false;
		}
		if (!tc_str_eq(x->id, y->id) || x->action != y->action ||
		    x->protocol != y->protocol || x->established != y->established ||
		    !aclf_ports_equal(&x->src_ports, &y->src_ports) ||
		    !aclf_ports_equal(&x->dst_ports, &y->dst_ports) || !fam_ok ||
		    !tc_str_eq(x->src_name, y->src_name) || !tc_str_eq(x->dst_name, y->dst_name)) {
			snprintf(why, whylen, "filter '%s' rule %zu ('%s' vs '%s') differs", a->name, i,
				 x->id ? x->id : "?", y->id ? y->id : "?");
			return false;
		}
		if (!tc_str_eq(x->comment, y->comment)) {
			snprintf(why, whylen, "filter '%s' rule '%s': comment '%s' vs '%s'", a->name,
				 x->id, x->comment ? x->comment : "(null)",
				 y->comment ? y->comment : "(null)");
			return false;
		}
	}
	return true;
}

static inline bool tc_same_devpol(const struct aclf_devpol *a, const struct aclf_devpol *b,
				  char *why, size_t whylen)
{
	if (a->nfilters != b->nfilters) {
		snprintf(why, whylen, "%zu vs %zu filters", a->nfilters, b->nfilters);
		return false;
	}
	for (size_t i = 0; i < a->nfilters; i++)
		if (!tc_same_filter(&a->filters[i], &b->filters[i], why, whylen))
			return false;
	return true;
}

#endif
