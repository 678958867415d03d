/* Helpers for the Junos driver tests (test_junos_*.c): building policies by
 * hand, reading fixtures, comparing policies rule by rule. */
#ifndef ACLF_TESTS_JUNOS_TESTUTIL_H
#define ACLF_TESTS_JUNOS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/portset.h"
#include "drivers.h"
#include "junos/junos.h"

static inline char *jt_fixture_path(const char *rel)
{
	const char *dir = getenv("ACLF_FIXTURES");
	size_t n;
	char *p;

	if (!dir)
		dir = "tests/fixtures";
	n = strlen(dir) + strlen(rel) + 8;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/junos/%s", dir, rel);
	return p;
}

/* Read tests/fixtures/junos/REL into b (fails the test when missing). */
static inline void jt_read_fixture(const char *rel, struct aclf_buf *b)
{
	char *p = jt_fixture_path(rel);

	aclf_buf_init(b, 0);
	if (aclf_buf_read_file(b, p) < 0)
		fail_msg("cannot read fixture %s", p);
	free(p);
}

/* Prefix set from a space-separated list ("10.0.0.0/8 2001:db8::/32"; "any"
 * = 0.0.0.0/0 and ::/0). */
static inline struct aclf_prefix_set jt_pset(struct aclf_policy *pol, const char *list)
{
	struct aclf_prefix v[32];
	struct aclf_prefix_set out;
	size_t n = 0;
	char buf[512], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "any")) {
			assert_int_equal(aclf_prefix_parse("0.0.0.0/0", &v[n++], false), 0);
			assert_int_equal(aclf_prefix_parse("::/0", &v[n++], false), 0);
			continue;
		}
		assert_true(n < 32);
		if (aclf_prefix_parse(tok, &v[n], false) < 0)
			fail_msg("bad prefix '%s'", tok);
		n++;
	}
	assert_int_equal(aclf_pset_merge(&pol->arena, v, n, &out), 0);
	return out;
}

/* Port set from "80 443 5070-5072" ("" = any). */
static inline struct aclf_port_set jt_ports(struct aclf_policy *pol, const char *list)
{
	struct aclf_port_range v[32];
	struct aclf_port_set out;
	size_t n = 0;
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p)
			fail_msg("bad port list '%s'", list);
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		assert_true(n < 32);
		v[n].lo = (uint16_t)lo;
		v[n].hi = (uint16_t)hi;
		n++;
		while (*end == ' ')
			end++;
		p = end;
	}
	assert_int_equal(aclf_ports_merge(&pol->arena, v, n, &out), 0);
	return out;
}

static inline struct aclf_rule *jt_rule(struct aclf_policy *pol, struct aclf_filter *f,
					const char *id, enum aclf_action action, int proto,
					const char *src, const char *dst, const char *sports,
					const char *dports)
{
	struct aclf_rule *r = aclf_filter_add_rule(pol, f);

	assert_non_null(r);
	r->id = aclf_arena_strdup(&pol->arena, id);
	r->action = action;
	r->protocol = proto;
	r->src = jt_pset(pol, src);
	r->dst = jt_pset(pol, dst);
	r->src_ports = jt_ports(pol, sports);
	r->dst_ports = jt_ports(pol, dports);
	return r;
}

static inline const struct aclf_filter *jt_filter(const struct aclf_devpol *dp, const char *name)
{
	for (size_t i = 0; i < dp->nfilters; i++)
		if (!strcmp(dp->filters[i].name, name))
			return &dp->filters[i];
	fail_msg("no filter '%s'", name);
	return NULL;
}

static inline const struct aclf_rule *jt_find_rule(const struct aclf_filter *f, const char *id)
{
	for (size_t i = 0; i < f->nrules; i++)
		if (f->rules[i].id && !strcmp(f->rules[i].id, id))
			return &f->rules[i];
	fail_msg("filter '%s' has no rule '%s'", f->name, id);
	return NULL;
}

static inline void jt_assert_pset(struct aclf_policy *pol, const struct aclf_prefix_set *got,
				  const char *want)
{
	struct aclf_prefix_set w = jt_pset(pol, want);

	if (!aclf_pset_equal(got, &w)) {
		char buf[ACLF_PREFIX_STRLEN];
		fprintf(stderr, "prefix set has %zu entries:", got->n);
		for (size_t i = 0; i < got->n; i++) {
			aclf_prefix_format(&got->v[i], buf, sizeof(buf));
			fprintf(stderr, " %s", buf);
		}
		fprintf(stderr, "\n");
		fail_msg("prefix set differs from '%s'", want);
	}
}

static inline void jt_assert_ports(struct aclf_policy *pol, const struct aclf_port_set *got,
				   const char *want)
{
	struct aclf_port_set w = jt_ports(pol, want);

	if (!aclf_ports_equal(got, &w)) {
		fprintf(stderr, "port set:");
		for (size_t i = 0; i < got->n; i++)
			fprintf(stderr, " %u-%u", got->v[i].lo, got->v[i].hi);
		fprintf(stderr, "\n");
		fail_msg("port set differs from '%s'", want);
	}
}

/* Parse text with the driver's entry point; asserts success. */
static inline struct aclf_devpol *jt_parse(struct aclf_policy *pol, const char *text,
					   struct aclf_buf *report)
{
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;

	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_junos, text, strlen(text), &(struct aclf_parse_opts){ .name = "t", .notes = report }, pol, &dp, &err) < 0)
		fail_msg("parse failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	assert_non_null(dp);
	return dp;
}

/* Parse text that must fail at line, strictly (what the neutral form cannot
 * hold is refused, not opaque); returns the message (heap). */
static inline char *jt_parse_fail(const char *text, unsigned line)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;
	char *msg;

	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_junos, text, strlen(text), &(struct aclf_parse_opts){ .name = "t", .label = "t", .strict = true }, pol, &dp, &err) == 0)
		fail_msg("parse should have failed:\n%s", text);
	assert_int_equal(pol->ndevices, 0);
	if (err.line != line)
		fail_msg("error at line %u, expected %u: %s", err.line, line, aclf_err_text(&err));
	msg = strdup(aclf_err_text(&err));
	aclf_err_release(&err);
	aclf_policy_free(pol);
	return msg;
}

static inline void jt_assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

/* Per family, the rules a filter applies to that family, in order: a rule
 * whose source or destination has no prefix of the family does nothing
 * there. Compares everything but ids, names Junos cannot keep apart and
 * provenance. */
static inline void jt_assert_family_equal(struct aclf_policy *pol, const struct aclf_filter *a,
					  const struct aclf_filter *b)
{
	assert_int_equal(a->default_action, b->default_action);
	for (uint8_t fam = 4; fam <= 6; fam += 2) {
		size_t i = 0, j = 0;
		for (;;) {
			struct aclf_prefix_set as, ad, bs, bd;
			const struct aclf_rule *x = NULL, *y = NULL;
			while (i < a->nrules) {
				x = &a->rules[i];
				assert_int_equal(aclf_pset_family(&pol->arena, &x->src, fam, &as), 0);
				assert_int_equal(aclf_pset_family(&pol->arena, &x->dst, fam, &ad), 0);
				if (as.n && ad.n)
					break;
				x = NULL;
				i++;
			}
			while (j < b->nrules) {
				y = &b->rules[j];
				assert_int_equal(aclf_pset_family(&pol->arena, &y->src, fam, &bs), 0);
				assert_int_equal(aclf_pset_family(&pol->arena, &y->dst, fam, &bd), 0);
				if (bs.n && bd.n)
					break;
				y = NULL;
				j++;
			}
			if (!x || !y) {
				if (x || y)
					fail_msg("family %u: filter '%s' has extra rule '%s'", fam,
						 x ? a->name : b->name, x ? x->id : y->id);
				break;
			}
			if (!aclf_pset_equal(&as, &bs) || !aclf_pset_equal(&ad, &bd) ||
			    x->action != y->action || x->protocol != y->protocol ||
			    x->established != y->established ||
			    !aclf_ports_equal(&x->src_ports, &y->src_ports) ||
			    !aclf_ports_equal(&x->dst_ports, &y->dst_ports))
				fail_msg("family %u: rule '%s' differs from '%s'", fam, x->id, y->id);
			i++;
			j++;
		}
	}
}

/* The example of the brief: SIP and media to a front-end pool, return
 * traffic, a deny, default deny, bound inbound on a unit. */
static inline struct aclf_devpol *jt_policy_v4(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "core1", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "ACLF-GE-0-0-1-0-IN");
	struct aclf_rule *r;

	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "ge-0/0/1.0";
	f->binding.direction = ACLF_DIR_IN;
	f->default_action = ACLF_DENY;
	r = jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16",
		    "10.1.1.11/32 10.1.1.12/32", "", "5061 5070-5072");
	r->src_name = "clients";
	r->dst_name = "pool-fe";
	jt_rule(pol, f, "r0002", ACLF_PERMIT, ACLF_PROTO_UDP, "any", "10.1.1.10/32", "", "53");
	r = jt_rule(pol, f, "r0003", ACLF_PERMIT, ACLF_PROTO_TCP, "10.1.1.0/24", "10.20.0.0/16", "443", "");
	r->established = true;
	jt_rule(pol, f, "r0004", ACLF_DENY, ACLF_PROTO_ANY, "10.66.0.0/16", "any", "", "");
	return dp;
}

/* Both families: a rule with IPv4 and IPv6 on both sides, an IPv6-only
 * rule, ICMP, a group with members of both families, default accept,
 * outbound on an interface without a unit; a second filter bound twice. */
static inline struct aclf_devpol *jt_policy_mixed(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "edge1", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "EDGE-OUT");
	struct aclf_rule *r;

	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "ae0";
	f->binding.direction = ACLF_DIR_OUT;
	f->default_action = ACLF_PERMIT;
	r = jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "10.20.0.0/16 2001:db8:20::/48",
		    "10.1.1.11/32 2001:db8:1::11/128", "", "443 4443");
	r->dst_name = "pool-fe";
	jt_rule(pol, f, "r0002", ACLF_DENY, ACLF_PROTO_UDP, "2001:db8:66::/48", "any", "", "5060");
	jt_rule(pol, f, "r0003", ACLF_PERMIT, ACLF_PROTO_ICMP, "10.0.0.0/8", "any", "", "");
	r = jt_rule(pol, f, "r0004", ACLF_PERMIT, ACLF_PROTO_TCP, "any", "10.1.1.11/32 2001:db8:1::11/128",
		    "5061", "");
	r->dst_name = "pool-fe";
	r->established = true;
	f = aclf_devpol_add_filter(pol, dp, "MGMT");
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "ge-0/0/3.100";
	f->binding.direction = ACLF_DIR_IN;
	jt_rule(pol, f, "ssh", ACLF_PERMIT, ACLF_PROTO_TCP, "192.0.2.0/24", "any", "", "22");
	f = aclf_devpol_add_filter(pol, dp, "MGMT");
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "ge-0/0/4.100";
	f->binding.direction = ACLF_DIR_IN;
	jt_rule(pol, f, "ssh", ACLF_PERMIT, ACLF_PROTO_TCP, "192.0.2.0/24", "any", "", "22");
	return dp;
}

#endif
