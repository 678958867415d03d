/* render -> parse gives the same rules back. A filter F is written as the
 * IPv4 list F and the IPv6 list F-V6 and comes back as one filter F again
 * (IPv4 rules, then IPv6 rules); rules are compared per family after
 * expanding every rule into atoms (one source prefix, one destination
 * prefix, one source and one destination port range), in order, so object
 * groups, service groups and split ACEs all compare by structure. The last
 * entry of each family is the explicit default. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/driver.h"
#include "drivers.h"
#include "ios/ios.h"
#include "ios_test_policy.h"

struct atom {
	enum aclf_action act;
	int proto;
	struct aclf_prefix s, d;
	long sl, sh, dl, dh; /* -1: any port */
	bool est;
};

struct atoms {
	struct atom v[4096];
	size_t n;
};

static bool full(const struct aclf_port_set *p)
{
	return p->n == 0 || (p->n == 1 && p->v[0].lo == 0 && p->v[0].hi == 65535);
}

static void expand(const struct aclf_rule *r, uint8_t fam, struct atoms *out)
{
	size_t ns = full(&r->src_ports) ? 1 : r->src_ports.n;
	size_t nd = full(&r->dst_ports) ? 1 : r->dst_ports.n;

	for (size_t i = 0; i < r->src.n; i++) {
		if (r->src.v[i].family != fam)
			continue;
		for (size_t j = 0; j < r->dst.n; j++) {
			if (r->dst.v[j].family != fam)
				continue;
			for (size_t a = 0; a < ns; a++)
				for (size_t b = 0; b < nd; b++) {
					struct atom *x = &out->v[out->n++];
					assert_true(out->n < 4096);
					x->act = r->action;
					x->proto = r->protocol;
					x->s = r->src.v[i];
					x->d = r->dst.v[j];
					x->sl = full(&r->src_ports) ? -1 : r->src_ports.v[a].lo;
					x->sh = full(&r->src_ports) ? -1 : r->src_ports.v[a].hi;
					x->dl = full(&r->dst_ports) ? -1 : r->dst_ports.v[b].lo;
					x->dh = full(&r->dst_ports) ? -1 : r->dst_ports.v[b].hi;
					x->est = r->established;
				}
		}
	}
}

static void atom_text(const struct atom *a, char *out, size_t n)
{
	char s[64], d[64];

	aclf_prefix_format(&a->s, s, sizeof(s));
	aclf_prefix_format(&a->d, d, sizeof(d));
	snprintf(out, n, "%s %d %s %ld-%ld -> %s %ld-%ld%s", aclf_action_name(a->act), a->proto, s,
		 a->sl, a->sh, d, a->dl, a->dh, a->est ? " est" : "");
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* atoms [from, from + n) of both, as sorted text: the order inside one
 * rule does not matter (one action), the order of rules does */
static void same_block(const struct atoms *want, const struct atoms *got, size_t from, size_t n,
		       const char *list, const char *rule)
{
	static char x[4096][160], y[4096][160];

	if (from + n > got->n)
		fail_msg("%s rule %s: want %zu more atoms, got %zu", list, rule, n, got->n - from);
	for (size_t i = 0; i < n; i++) {
		atom_text(&want->v[from + i], x[i], sizeof(x[i]));
		atom_text(&got->v[from + i], y[i], sizeof(y[i]));
	}
	qsort(x, n, sizeof(x[0]), cmp_text);
	qsort(y, n, sizeof(y[0]), cmp_text);
	for (size_t i = 0; i < n; i++)
		if (strcmp(x[i], y[i]) != 0)
			fail_msg("%s rule %s: want %s, got %s", list, rule, x[i], y[i]);
}

static const struct aclf_filter *find(const struct aclf_devpol *dp, const char *name)
{
	const struct aclf_filter *f = ios_filter(dp, name);

	if (!f)
		fail_msg("no list '%s' after parse", name);
	return f;
}

/* the explicit default entry of one family: action any any, nothing else */
static void check_default(const struct aclf_filter *in, const struct aclf_rule *r, uint8_t fam)
{
	assert_int_equal(r->action, in->default_action);
	assert_int_equal(r->protocol, ACLF_PROTO_ANY);
	assert_true(ios_set_is(&r->src, fam == 4 ? "0.0.0.0/0" : "::/0"));
	assert_true(ios_set_is(&r->dst, fam == 4 ? "0.0.0.0/0" : "::/0"));
	assert_non_null(r->comment);
	assert_true(strncmp(r->comment, "default ", 8) == 0);
}

static void check_binding(const struct aclf_filter *in, const struct aclf_filter *out)
{
	assert_int_equal(out->default_action, in->default_action);
	if (in->binding.kind == ACLF_BIND_INTERFACE) {
		assert_int_equal(out->binding.kind, ACLF_BIND_INTERFACE);
		assert_string_equal(out->binding.name, in->binding.name);
		assert_int_equal(out->binding.direction, in->binding.direction);
	} else {
		assert_int_equal(out->binding.kind, ACLF_BIND_NONE);
	}
}

/* render dp, parse the text: one filter per filter again, the IPv4 list's
 * rules then the IPv6 list's, each ending with its default entry */
static void roundtrip(const struct aclf_devpol *dp)
{
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_policy *back = aclf_policy_new();
	struct aclf_devpol *got = NULL;
	struct aclf_err err;
	static struct atoms want, have;

	aclf_buf_init(&text, 0);
	aclf_err_init(&err);
	if (aclf_driver_render(&aclf_driver_ios, dp, NULL, &text, &err) != 0)
		fail_msg("render: %s", aclf_err_text(&err));
	if (aclf_driver_parse(&aclf_driver_ios, text.buf, text.len, &(struct aclf_parse_opts){ .name = dp->name }, back, &got, &err) != 0)
		fail_msg("parse: %s\n%s", aclf_err_text(&err), text.buf);
	assert_int_equal(got->nfilters, dp->nfilters);
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *in = &dp->filters[i];
		const struct aclf_filter *out = find(got, in->name);
		size_t v4_end = 0;

		check_binding(in, out);
		/* IPv4 rules first, then IPv6: the families do not interleave */
		while (v4_end < out->nrules && out->rules[v4_end].src.v[0].family == 4)
			v4_end++;
		for (size_t k = v4_end; k < out->nrules; k++)
			assert_int_equal(out->rules[k].src.v[0].family, 6);
		assert_true(v4_end >= 1 && out->nrules >= v4_end + 1);
		check_default(in, &out->rules[v4_end - 1], 4);
		check_default(in, &out->rules[out->nrules - 1], 6);
		for (uint8_t fam = 4; fam <= 6; fam += 2) {
			size_t lo = fam == 4 ? 0 : v4_end, hi = fam == 4 ? v4_end - 1 : out->nrules - 1;
			const char *name = fam == 4 ? "ipv4" : "ipv6";
			want.n = have.n = 0;
			for (size_t k = lo; k < hi; k++)
				expand(&out->rules[k], fam, &have);
			for (size_t k = 0; k < in->nrules; k++) {
				size_t from = want.n;
				expand(&in->rules[k], fam, &want);
				same_block(&want, &have, from, want.n - from, name, in->rules[k].id);
			}
			if (want.n != have.n)
				fail_msg("%s %s: want %zu atoms, got %zu", in->name, name, want.n, have.n);
		}
		/* ids are unique and in order */
		for (size_t k = 0; k < out->nrules; k++) {
			char id[32];
			snprintf(id, sizeof(id), "e%04zu", k + 1);
			assert_string_equal(out->rules[k].id, id);
		}
	}
	aclf_err_release(&err);
	aclf_buf_release(&text);
	aclf_policy_free(back);
}

static void lync(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();

	(void)state;
	roundtrip(ios_lync_device(pol));
	aclf_policy_free(pol);
}

/* names kept on object-group rules, remarks back as comments */
static void names_and_remarks(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *back = aclf_policy_new();
	struct aclf_devpol *dp = ios_lync_device(pol), *got = NULL;
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_err err;
	const struct aclf_filter *f;

	(void)state;
	aclf_buf_init(&text, 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_render(&aclf_driver_ios, dp, NULL, &text, &err), 0);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios, text.buf, text.len, &(struct aclf_parse_opts){ .name = "core1" }, back, &got, &err), 0);
	f = find(got, "ACLF-VLAN110-IN");
	assert_int_equal(got->nfilters, 2);
	assert_string_equal(f->rules[0].src_name, "clients_phones");
	assert_string_equal(f->rules[0].dst_name, "fe-berlin");
	assert_string_equal(f->rules[0].comment, "r0001 server-03 (server table row 3)");
	assert_int_equal(f->rules[0].hits, -1);
	assert_non_null(strstr(f->rules[1].comment, "object-group service SVC-UDP-1"));
	assert_null(f->rules[3].src_name);
	aclf_err_release(&err);
	aclf_buf_release(&text);
	aclf_policy_free(back);
	aclf_policy_free(pol);
}

/* forms the Lync device does not use */
static void corners(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "edge", "ios");
	struct aclf_filter *f;
	struct aclf_rule *r;

	(void)state;
	f = aclf_devpol_add_filter(pol, dp, "EMPTY-PERMIT");
	f->default_action = ACLF_PERMIT;
	f = aclf_devpol_add_filter(pol, dp, "EMPTY-DENY");
	f = aclf_devpol_add_filter(pol, dp, "C");
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "GigabitEthernet0/0/1.100";
	f->binding.direction = ACLF_DIR_OUT;
	/* unnamed multi-prefix set: a generated group name */
	r = ios_rule(pol, f, "r1", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "192.0.2.0/25", "198.51.100.7/32", NULL);
	r->dst = ios_set(pol, "203.0.113.0/24", "203.0.113.200/32", NULL); /* merges to one */
	r->dst_ports = ios_ports(pol, 0, 65535, -1);                       /* = any port */
	/* the same name with other contents: name-2 */
	r = ios_rule(pol, f, "r2", ACLF_DENY, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.0.0.0/8", "172.16.0.0/12", NULL);
	r->src_name = "pool:fe berlin";
	r->dst = ios_set(pol, "0.0.0.0/0", NULL);
	r->dst_ports = ios_ports(pol, 0, 0, 65535, 65535, -1);
	r = ios_rule(pol, f, "r3", ACLF_DENY, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.0.0.0/8", "192.168.0.0/16", NULL);
	r->src_name = "pool:fe berlin";
	r->dst = ios_set(pol, "0.0.0.0/0", NULL);
	/* icmp (1) in both families, icmpv6 in both */
	r = ios_rule(pol, f, "r4", ACLF_PERMIT, ACLF_PROTO_ICMP);
	r->src = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r->dst = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r = ios_rule(pol, f, "r5", ACLF_PERMIT, ACLF_PROTO_ICMP6);
	r->src = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r->dst = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	/* established with several destination ranges and v6 multi-prefix sides */
	r = ios_rule(pol, f, "r6", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "2001:db8:a::/48", "2001:db8:c::/48", "10.9.9.9/32", NULL);
	r->dst = ios_set(pol, "2001:db8:1::1/128", "2001:db8:1::3/128", "10.8.8.0/24", NULL);
	r->dst_ports = ios_ports(pol, 1024, 2047, 3000, 3000, -1);
	r->established = true;
	/* an unusual protocol number and a udp rule with one src and one dst port */
	r = ios_rule(pol, f, "r7", ACLF_PERMIT, 132);
	r->src = ios_set(pol, "10.0.0.1/32", "2001:db8::1/128", NULL);
	r->dst = ios_set(pol, "10.0.0.2/32", "2001:db8::2/128", NULL);
	r = ios_rule(pol, f, "r8", ACLF_PERMIT, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.0.0.1/32", NULL);
	r->dst = ios_set(pol, "10.0.0.2/32", NULL);
	r->src_ports = ios_ports(pol, 5060, 5060, -1);
	r->dst_ports = ios_ports(pol, 5060, 5070, -1);
	roundtrip(&pol->devices[0]);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lync),
		cmocka_unit_test(names_and_remarks),
		cmocka_unit_test(corners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
