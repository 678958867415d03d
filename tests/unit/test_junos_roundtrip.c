/* Junos parse(render(x)) == x: hand-built policies (IPv4, IPv6, mixed,
 * established, port lists, default accept, named groups) and random ones,
 * compared rule by rule per family, by meaning (aclf_diff_filters), and by
 * rendering the parsed policy again (same text). */
#include "aclforge/diff.h"
#include "junos_testutil.h"

static char *render(const struct aclf_devpol *dp)
{
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	if (junos_render(dp, &out, &err) < 0)
		fail_msg("render failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return aclf_buf_detach(&out, NULL);
}

static const struct aclf_filter *match_filter(const struct aclf_devpol *dp,
					      const struct aclf_filter *want)
{
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		if (strcmp(f->name, want->name) || f->binding.kind != want->binding.kind ||
		    f->binding.direction != want->binding.direction)
			continue;
		if (want->binding.kind == ACLF_BIND_NONE)
			return f;
		/* a binding without a unit comes back with unit 0 */
		if (!strcmp(f->binding.name, want->binding.name) ||
		    (!strchr(want->binding.name, '.') && !strncmp(f->binding.name, want->binding.name,
								   strlen(want->binding.name)) &&
		     !strcmp(f->binding.name + strlen(want->binding.name), ".0")))
			return f;
	}
	fail_msg("parsed policy has no filter '%s' bound like the original", want->name);
	return NULL;
}

static void roundtrip(struct aclf_policy *pol, const struct aclf_devpol *orig)
{
	char *text = render(orig), *again;
	struct aclf_policy *back = aclf_policy_new();
	struct aclf_devpol *dp = jt_parse(back, text, NULL);
	struct aclf_err err;

	aclf_err_init(&err);
	assert_int_equal(dp->nfilters, orig->nfilters);
	for (size_t i = 0; i < orig->nfilters; i++) {
		const struct aclf_filter *a = &orig->filters[i], *b = match_filter(dp, a);
		struct aclf_diff d;
		jt_assert_family_equal(pol, a, b);
		for (size_t k = 0; k < a->nrules; k++) {
			const struct aclf_rule *x = &a->rules[k], *y = jt_find_rule(b, x->id);
			assert_string_equal(y->device_name, x->id);
			assert_int_equal(y->hits, -1);
			if (x->src_name)
				assert_string_equal(y->src_name, x->src_name);
			if (x->dst_name)
				assert_string_equal(y->dst_name, x->dst_name);
		}
		aclf_diff_init(&d);
		if (aclf_diff_filters(a, b, &d, 4, &err) < 0)
			fail_msg("diff failed: %s", aclf_err_text(&err));
		if (d.n)
			fail_msg("filter '%s' means something else after the round trip:\n%s", a->name, text);
		aclf_diff_release(&d);
	}
	/* and rendering what was parsed gives the same text */
	again = render(dp);
	if (strcmp(text, again))
		fail_msg("render(parse(render(x))) differs:\n%s\n----\n%s", text, again);
	free(again);
	free(text);
	aclf_err_release(&err);
	aclf_policy_free(back);
}

static void rt_v4(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();

	(void)state;
	roundtrip(pol, jt_policy_v4(pol));
	aclf_policy_free(pol);
}

static void rt_mixed(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();

	(void)state;
	roundtrip(pol, jt_policy_mixed(pol));
	aclf_policy_free(pol);
}

static void rt_v6_only(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "v6", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "V6-IN");
	struct aclf_rule *r;

	(void)state;
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = "xe-0/1/0.20";
	f->binding.direction = ACLF_DIR_IN;
	r = jt_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP, "2001:db8:20::/48",
		    "2001:db8:1::10/128 2001:db8:1::11/128", "", "443 5061 5070-5072");
	r->src_name = "clients6";
	jt_rule(pol, f, "r0002", ACLF_PERMIT, ACLF_PROTO_UDP, "2001:db8:20::/48", "2001:db8:1::/64",
		"50000-59999", "3478-3481");
	r = jt_rule(pol, f, "r0003", ACLF_PERMIT, ACLF_PROTO_TCP, "2001:db8:1::/64", "2001:db8:20::/48",
		    "443", "");
	r->established = true;
	jt_rule(pol, f, "r0004", ACLF_PERMIT, ACLF_PROTO_ICMP6, "::/0", "2001:db8:1::/64", "", "");
	roundtrip(pol, dp);
	aclf_policy_free(pol);
}

/* default accept, deny rules, any protocol, source and destination ports */
static void rt_default_accept(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = aclf_policy_add_device(pol, "edge", "junos");
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "DENYLIST");

	(void)state;
	f->default_action = ACLF_PERMIT;
	jt_rule(pol, f, "bad-net", ACLF_DENY, ACLF_PROTO_ANY, "198.51.100.0/24 2001:db8:bad::/48", "any", "", "");
	jt_rule(pol, f, "no-sip", ACLF_DENY, ACLF_PROTO_UDP, "any", "any", "1024-65535", "5060");
	jt_rule(pol, f, "gre", ACLF_DENY, 47, "10.0.0.0/8", "10.0.0.0/8", "", "");
	roundtrip(pol, dp);
	aclf_policy_free(pol);
}

/* tiny deterministic generator */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void rand_prefixes(uint32_t *s, char *buf, size_t len, bool v4, bool v6)
{
	size_t w = 0;
	unsigned n = 1 + rnd(s) % 3;

	buf[0] = '\0';
	if (rnd(s) % 6 == 0) {
		snprintf(buf, len, "%s%s", v4 ? "0.0.0.0/0 " : "", v6 ? "::/0" : "");
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		bool four = v4 && (!v6 || rnd(s) % 2);
		unsigned plen = four ? 8 + rnd(s) % 25 : 32 + rnd(s) % 97;
		if (four) {
			uint32_t a = rnd(s) & (plen ? 0xffffffffu << (32 - plen) : 0);
			w += (size_t)snprintf(buf + w, len - w, "%u.%u.%u.%u/%u ", a >> 24, (a >> 16) & 255,
					      (a >> 8) & 255, a & 255, plen);
		} else {
			/* 2001:db8:XXXX::/plen with host bits cleared by a short length */
			unsigned x = rnd(s) & 0xffff;
			if (plen < 48)
				x = 0;
			w += (size_t)snprintf(buf + w, len - w, "2001:db8:%x::/%u ", x, plen > 48 ? 48 : plen);
		}
	}
	if (w && buf[w - 1] == ' ')
		buf[w - 1] = '\0';
}

static void rand_ports(uint32_t *s, char *buf, size_t len)
{
	size_t w = 0;
	unsigned n = rnd(s) % 4;

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		unsigned lo = rnd(s) % 65536, hi = lo + (rnd(s) % 2 ? rnd(s) % 100 : 0);
		if (hi > 65535)
			hi = 65535;
		w += (size_t)snprintf(buf + w, len - w, hi > lo ? "%u-%u " : "%u ", lo, hi);
	}
	if (w)
		buf[w - 1] = '\0';
}

static void rt_random(void **state)
{
	uint32_t seed = 0x2545f491u;

	(void)state;
	for (int round = 0; round < 150; round++) {
		struct aclf_policy *pol = aclf_policy_new();
		struct aclf_devpol *dp = aclf_policy_add_device(pol, "r", "junos");
		struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, "RAND");
		unsigned n = rnd(&seed) % 12;

		f->default_action = rnd(&seed) % 2 ? ACLF_PERMIT : ACLF_DENY;
		if (rnd(&seed) % 2) {
			f->binding.kind = ACLF_BIND_INTERFACE;
			f->binding.name = "ge-0/0/9.3";
			f->binding.direction = rnd(&seed) % 2 ? ACLF_DIR_IN : ACLF_DIR_OUT;
		}
		for (unsigned i = 0; i < n; i++) {
			static const int protos[] = { ACLF_PROTO_TCP, ACLF_PROTO_UDP, ACLF_PROTO_ANY,
						      ACLF_PROTO_ICMP, ACLF_PROTO_ICMP6 };
			char id[16], src[256], dst[256], sp[128], dp_[128];
			unsigned fam = rnd(&seed) % 3; /* 0 v4, 1 v6, 2 both */
			int proto = protos[rnd(&seed) % 5];
			struct aclf_rule *r;
			snprintf(id, sizeof(id), "r%04u", i + 1);
			rand_prefixes(&seed, src, sizeof(src), fam != 1, fam != 0);
			rand_prefixes(&seed, dst, sizeof(dst), fam != 1, fam != 0);
			/* both sides need a common family */
			if (fam == 2) {
				strncat(src, " 10.255.0.0/16 2001:db8:ffff::/48", sizeof(src) - strlen(src) - 1);
				strncat(dst, " 10.254.0.0/16 2001:db8:fffe::/48", sizeof(dst) - strlen(dst) - 1);
			}
			sp[0] = dp_[0] = '\0';
			if (proto == ACLF_PROTO_TCP || proto == ACLF_PROTO_UDP) {
				rand_ports(&seed, sp, sizeof(sp));
				rand_ports(&seed, dp_, sizeof(dp_));
			}
			r = jt_rule(pol, f, id, rnd(&seed) % 3 ? ACLF_PERMIT : ACLF_DENY, proto, src, dst, sp, dp_);
			r->established = proto == ACLF_PROTO_TCP && rnd(&seed) % 3 == 0;
		}
		roundtrip(pol, dp);
		aclf_policy_free(pol);
	}
}

/* the curly form Junos would print for a rendered filter reads the same */
static void rt_curly_equivalent(void **state)
{
	static const char curly[] =
		"firewall {\n"
		"    family inet {\n"
		"        filter ACLF-GE-0-0-1-0-IN {\n"
		"            term r0001 {\n"
		"                from {\n"
		"                    source-prefix-list {\n"
		"                        clients;\n"
		"                    }\n"
		"                    destination-prefix-list {\n"
		"                        pool-fe;\n"
		"                    }\n"
		"                    protocol tcp;\n"
		"                    destination-port [ 5061 5070-5072 ];\n"
		"                }\n"
		"                then {\n"
		"                    count r0001;\n"
		"                    accept;\n"
		"                }\n"
		"            }\n"
		"            term r0002 {\n"
		"                from {\n"
		"                    destination-address {\n"
		"                        10.1.1.10/32;\n"
		"                    }\n"
		"                    protocol udp;\n"
		"                    destination-port 53;\n"
		"                }\n"
		"                then {\n"
		"                    count r0002;\n"
		"                    accept;\n"
		"                }\n"
		"            }\n"
		"            term r0003 {\n"
		"                from {\n"
		"                    source-address {\n"
		"                        10.1.1.0/24;\n"
		"                    }\n"
		"                    destination-address {\n"
		"                        10.20.0.0/16;\n"
		"                    }\n"
		"                    protocol tcp;\n"
		"                    source-port 443;\n"
		"                    tcp-established;\n"
		"                }\n"
		"                then {\n"
		"                    count r0003;\n"
		"                    accept;\n"
		"                }\n"
		"            }\n"
		"            term r0004 {\n"
		"                from {\n"
		"                    source-address {\n"
		"                        10.66.0.0/16;\n"
		"                    }\n"
		"                }\n"
		"                then {\n"
		"                    count r0004;\n"
		"                    discard;\n"
		"                }\n"
		"            }\n"
		"            term default-deny {\n"
		"                then {\n"
		"                    count default-deny;\n"
		"                    discard;\n"
		"                }\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"    family inet6 {\n"
		"        filter ACLF-GE-0-0-1-0-IN {\n"
		"            term default-deny {\n"
		"                then {\n"
		"                    count default-deny-v6;\n"
		"                    discard;\n"
		"                }\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"}\n"
		"policy-options {\n"
		"    prefix-list clients {\n"
		"        10.20.0.0/16;\n"
		"    }\n"
		"    prefix-list pool-fe {\n"
		"        10.1.1.11/32;\n"
		"        10.1.1.12/32;\n"
		"    }\n"
		"}\n"
		"interfaces {\n"
		"    ge-0/0/1 {\n"
		"        unit 0 {\n"
		"            family inet {\n"
		"                filter {\n"
		"                    input ACLF-GE-0-0-1-0-IN;\n"
		"                }\n"
		"            }\n"
		"            family inet6 {\n"
		"                filter {\n"
		"                    input ACLF-GE-0-0-1-0-IN;\n"
		"                }\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"}\n";
	struct aclf_policy *pol = aclf_policy_new(), *back = aclf_policy_new();
	const struct aclf_devpol *want = jt_policy_v4(pol);
	struct aclf_devpol *got = jt_parse(back, curly, NULL);
	char *a = render(want), *b = render(got);

	(void)state;
	assert_string_equal(a, b);
	jt_assert_family_equal(pol, &want->filters[0], &got->filters[0]);
	free(a);
	free(b);
	aclf_policy_free(back);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rt_v4),
		cmocka_unit_test(rt_mixed),
		cmocka_unit_test(rt_v6_only),
		cmocka_unit_test(rt_default_accept),
		cmocka_unit_test(rt_random),
		cmocka_unit_test(rt_curly_equivalent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
