/* The IOS parser against captured device output (tests/fixtures/ios): each
 * fixture is parsed; lines the parser refuses are checked one by one (line
 * number and reason), blanked, and parsing retried, so the rest of the file
 * is still compared entry by entry with the fixture's own expected parse
 * (.yml from ntc-templates) or with hand-written expectations. That walk
 * parses strictly; opaque_counts parses the fixtures as they are and
 * counts exact and opaque entries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "aclforge/driver.h"
#include "ios_test_util.h"

struct refusal {
	unsigned line;
	const char *why;   /* substring of the message */
};

struct parsed {
	struct aclf_policy *pol;
	struct aclf_devpol *dp;
};

/* Parse name; every refusal must come in this order at this line. strict:
 * what the neutral form cannot hold is refused too, not opaque. */
static struct parsed parse_fixture_opts(const char *name, const struct refusal *want, size_t nwant,
					bool strict)
{
	const struct aclf_driver *drv = aclf_driver_find("ios");
	struct parsed p = { NULL, NULL };
	size_t len, seen = 0;
	char *text = ios_read_fixture(name, &len);

	assert_non_null(text);
	assert_non_null(drv);
	p.pol = aclf_policy_new();
	for (;;) {
		struct aclf_err err;
		size_t before = p.pol->ndevices;
		int rc;
		aclf_err_init(&err);
		/* strict: every entry the neutral form cannot hold is a refusal
		 * here (opaque_counts below reads them as opaque entries) */
		rc = aclf_driver_parse(drv, text, len, &(struct aclf_parse_opts){ .name = "fx", .label = "fx", .strict = strict }, p.pol, &p.dp, &err);
		if (rc == 0) {
			aclf_err_release(&err);
			break;
		}
		/* nothing partial */
		assert_int_equal(p.pol->ndevices, before);
		if (seen >= nwant)
			fail_msg("%s: unexpected refusal: %s", name, aclf_err_text(&err));
		if (err.line != want[seen].line || !strstr(aclf_err_text(&err), want[seen].why))
			fail_msg("%s: refusal %zu: want line %u '%s', got line %u: %s", name, seen,
				 want[seen].line, want[seen].why, err.line, aclf_err_text(&err));
		assert_true(strstr(aclf_err_text(&err), "fx:") == aclf_err_text(&err));
		/* blank the refused line, keep the numbering */
		{
			unsigned no = 1;
			for (size_t i = 0; i < len; i++) {
				if (text[i] == '\n')
					no++;
				else if (no == err.line)
					text[i] = ' ';
			}
		}
		aclf_err_release(&err);
		seen++;
	}
	assert_int_equal(seen, nwant);
	free(text);
	return p;
}

static struct parsed parse_fixture(const char *name, const struct refusal *want, size_t nwant)
{
	return parse_fixture_opts(name, want, nwant, true);
}

/* ---- .yml of ntc-templates ------------------------------------------------ */

struct yent {
	char *k[48], *v[48];
	size_t n;
};

static size_t load_yml(const char *name, struct yent **out)
{
	char path[1024];
	FILE *fp;
	yaml_parser_t parser;
	yaml_event_t ev;
	struct yent *v = NULL;
	size_t n = 0, cap = 0;
	int depth = 0;
	char *key = NULL;
	bool done = false;

	ios_fixture_path(name, path, sizeof(path));
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_file(&parser, fp);
	while (!done) {
		assert_true(yaml_parser_parse(&parser, &ev));
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
			depth++;
			if (depth == 2) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					v = realloc(v, cap * sizeof(*v));
					assert_non_null(v);
				}
				memset(&v[n++], 0, sizeof(*v));
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 2) {
				if (!key) {
					key = strdup((const char *)ev.data.scalar.value);
				} else {
					struct yent *e = &v[n - 1];
					assert_true(e->n < 48);
					e->k[e->n] = key;
					e->v[e->n++] = strdup((const char *)ev.data.scalar.value);
					key = NULL;
				}
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	*out = v;
	return n;
}

static void free_yml(struct yent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].n; k++) {
			free(v[i].k[k]);
			free(v[i].v[k]);
		}
	free(v);
}

static const char *yget(const struct yent *e, const char *k)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->k[i], k) == 0)
			return e->v[i];
	return "";
}

/* port names used in the fixtures, kept apart from the driver's table */
static long port_num(const char *s)
{
	static const struct {
		const char *n;
		long p;
	} t[] = {
		{ "www", 80 }, { "whois", 43 }, { "uucp", 540 }, { "domain", 53 }, { "ident", 113 },
		{ "ftp", 21 }, { "telnet", 23 }, { "ssh", 22 }, { "http", 80 }, { "bootpc", 68 },
		{ "snmp", 161 }, { "bgp", 179 },
	};
	char *end;
	long v = strtol(s, &end, 10);

	if (*s && !*end)
		return v;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].n, s) == 0)
			return t[i].p;
	fail_msg("unknown port name '%s' in yml", s);
	return -1;
}

/* expected port set from an operator and a blank-separated port list */
static struct aclf_port_set yports(struct aclf_policy *pol, const char *op, const char *list)
{
	struct aclf_port_range r[16];
	struct aclf_port_set out = { NULL, 0 }, all, rest;
	struct aclf_port_range full = { 0, 65535 };
	char buf[256], *save = NULL, *w;
	size_t n = 0;

	if (!*op)
		return out;
	snprintf(buf, sizeof(buf), "%s", list);
	for (w = strtok_r(buf, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save)) {
		long p = port_num(w);
		r[n].lo = r[n].hi = (uint16_t)p;
		n++;
	}
	if (strcmp(op, "range") == 0) {
		assert_int_equal(n, 2);
		r[0].hi = r[1].lo;
		n = 1;
	} else if (strcmp(op, "gt") == 0) {
		r[0].lo = (uint16_t)(r[0].lo + 1);
		r[0].hi = 65535;
	} else if (strcmp(op, "lt") == 0) {
		r[0].hi = (uint16_t)(r[0].lo - 1);
		r[0].lo = 0;
	}
	assert_int_equal(aclf_ports_merge(&pol->arena, r, n, &out), 0);
	if (strcmp(op, "neq") == 0) {
		all.v = &full;
		all.n = 1;
		assert_int_equal(aclf_ports_subtract(&pol->arena, &all, &out, &rest), 0);
		out = rest;
	}
	return out;
}

/* "any", "host A", "A", "A W", "A, wildcard bits W" */
static struct aclf_prefix yaddr(const char *s)
{
	char a[64], w[64];
	struct aclf_prefix p;

	if (!*s || strcmp(s, "any") == 0)
		return ios_pfx("0.0.0.0/0");
	if (sscanf(s, "host %63s", a) == 1)
		return ios_pfx(a);
	if (sscanf(s, "%63[^,], wildcard bits %63s", a, w) == 2 ||
	    sscanf(s, "%63s %63s", a, w) == 2) {
		assert_int_equal(aclf_prefix_from_mask(a, w, true, &p), 0);
		return p;
	}
	return ios_pfx(s);
}

struct xent {
	const char *acl, *seq, *action, *proto, *matches;
	struct aclf_prefix src, dst;
	struct aclf_port_set sp, dp;
	bool established;
	bool ports_in_order; /* sp/dp are the first/second port match in the line */
};

/* ntc "show access-list" template fields */
static struct xent from_a(struct aclf_policy *pol, const struct yent *e)
{
	struct xent x;

	x.acl = yget(e, "name");
	x.seq = yget(e, "sn");
	x.action = yget(e, "action");
	x.proto = yget(e, "protocol");
	x.matches = yget(e, "matches");
	x.src = yaddr(yget(e, "source"));
	x.dst = yaddr(yget(e, "destination"));
	x.sp = yports(pol, yget(e, "operator_source_port"), yget(e, "source_port"));
	x.dp = yports(pol, yget(e, "operator_destination_port"), yget(e, "destination_port"));
	x.established = false;
	/* that template calls the first port match "source" wherever it stands */
	x.ports_in_order = true;
	return x;
}

/* ntc "show ip access-lists" template fields */
static void from_b(struct aclf_policy *pol, const struct yent *e, const char *side,
		   struct aclf_prefix *p, struct aclf_port_set *ports)
{
	char k[64], k2[64];
	const char *op;

	snprintf(k, sizeof(k), "%s_host", side);
	if (*yget(e, k)) {
		*p = ios_pfx(yget(e, k));
	} else {
		snprintf(k, sizeof(k), "%s_network", side);
		snprintf(k2, sizeof(k2), "%s_wildcard", side);
		if (*yget(e, k))
			assert_int_equal(aclf_prefix_from_mask(yget(e, k), yget(e, k2), true, p), 0);
		else
			*p = ios_pfx("0.0.0.0/0");
	}
	snprintf(k, sizeof(k), "%s_port_match", side);
	op = yget(e, k);
	if (strcmp(op, "range") == 0) {
		char list[64];
		snprintf(k, sizeof(k), "%s_port_range_start", side);
		snprintf(k2, sizeof(k2), "%s_port_range_end", side);
		snprintf(list, sizeof(list), "%s %s", yget(e, k), yget(e, k2));
		*ports = yports(pol, op, list);
	} else {
		snprintf(k, sizeof(k), "%s_port", side);
		*ports = yports(pol, op, yget(e, k));
	}
}

static bool excluded(const char *acl, const char *seq, const char *const *skip)
{
	for (size_t i = 0; skip && skip[i]; i += 2)
		if (strcmp(skip[i], acl) == 0 && strcmp(skip[i + 1], seq) == 0)
			return true;
	return false;
}

static const struct aclf_rule *find_rule(const struct aclf_devpol *dp, const char *acl,
					 const char *seq)
{
	const struct aclf_filter *f = ios_filter(dp, acl);

	if (!f)
		return NULL;
	for (size_t i = 0; i < f->nrules; i++)
		if (f->rules[i].device_name && strcmp(f->rules[i].device_name, seq) == 0)
			return &f->rules[i];
	return NULL;
}

static void check_entry(const struct parsed *p, const struct xent *x)
{
	const struct aclf_rule *r = find_rule(p->dp, x->acl, x->seq);
	int proto = !*x->proto || strcmp(x->proto, "ip") == 0 ? 0 : aclf_proto_parse(x->proto);

	if (!r)
		fail_msg("no rule %s %s", x->acl, x->seq);
	assert_string_equal(aclf_action_name(r->action), x->action);
	assert_int_equal(r->protocol, proto);
	assert_int_equal(r->src.n, 1);
	assert_int_equal(aclf_prefix_cmp(&r->src.v[0], &x->src), 0);
	assert_int_equal(r->dst.n, 1);
	assert_int_equal(aclf_prefix_cmp(&r->dst.v[0], &x->dst), 0);
	if (x->ports_in_order && !x->dp.n && x->sp.n && !r->src_ports.n) {
		assert_true(aclf_ports_equal(&r->dst_ports, &x->sp));
	} else {
		assert_true(aclf_ports_equal(&r->src_ports, &x->sp));
		assert_true(aclf_ports_equal(&r->dst_ports, &x->dp));
	}
	assert_int_equal(r->established, x->established);
	/* show output: no counter means no match */
	assert_int_equal(r->hits, *x->matches ? strtoll(x->matches, NULL, 10) : 0);
}

static size_t nrules(const struct aclf_devpol *dp)
{
	size_t n = 0;

	for (size_t i = 0; i < dp->nfilters; i++)
		n += dp->filters[i].nrules;
	return n;
}

static void check_yml_a(const char *raw, const char *yml, const struct refusal *want, size_t nwant,
			const char *const *skip)
{
	struct parsed p = parse_fixture(raw, want, nwant);
	struct yent *v;
	size_t n = load_yml(yml, &v), checked = 0;

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct xent x;
		if (excluded(yget(&v[i], "name"), yget(&v[i], "sn"), skip))
			continue;
		x = from_a(p.pol, &v[i]);
		check_entry(&p, &x);
		checked++;
	}
	assert_int_equal(checked, nrules(p.dp));
	free_yml(v, n);
	aclf_policy_free(p.pol);
}

static void ntc_show_access_list(void **state)
{
	static const struct refusal want[] = {
		{ 20, "unsupported 'tos'" },
		{ 22, "range 80 53 is empty" },
	};
	static const char *const skip[] = { "ciao", "10", "ciao", "30", NULL };

	(void)state;
	check_yml_a("cisco_ios_show_access-list.raw", "cisco_ios_show_access-list.yml", want, 2, skip);
}

static void ntc_show_access_list2(void **state)
{
	static const struct refusal want[] = { { 5, "wildcard mask '255.255.255.252' is not contiguous and spells more than 256 prefixes" } };
	static const char *const skip[] = { "2", "10", NULL };

	(void)state;
	check_yml_a("cisco_ios_show_access-list2.raw", "cisco_ios_show_access-list2.yml", want, 1,
		    skip);
}

static void ntc_show_access_list3(void **state)
{
	struct parsed p;
	const struct aclf_filter *f;

	(void)state;
	check_yml_a("cisco_ios_show_access-list3.raw", "cisco_ios_show_access-list3.yml", NULL, 0,
		    NULL);
	/* where the ports stand, which the .yml does not tell */
	p = parse_fixture("cisco_ios_show_access-list3.raw", NULL, 0);
	f = ios_filter(p.dp, "150");
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 5060); /* 10 permit tcp any any eq 5060 */
	assert_int_equal(f->rules[0].src_ports.n, 0);
	assert_int_equal(f->rules[2].src_ports.v[0].lo, 5060); /* 30 permit tcp any eq 5060 any */
	assert_int_equal(f->rules[2].dst_ports.n, 0);
	assert_int_equal(ios_filter(p.dp, "115")->default_action, ACLF_PERMIT);
	aclf_policy_free(p.pol);
}

static void ntc_show_ip_access_lists(void **state)
{
	static const struct refusal want[] = {
		{ 12, "unsupported 'time-range'" },
		{ 13, "unsupported 'time-range'" },
		{ 17, "unsupported 'match-all'" },
		{ 19, "unsupported 'psh'" },
		{ 79, "unsupported 'time-range'" },
		{ 86, "unsupported 'time-range'" },
	};
	static const char *const skip[] = {
		"99", "30", "101", "40", "101", "50", "101", "90", "101", "110",
		"sample", "590", "sample", "660", NULL,
	};
	struct parsed p = parse_fixture("cisco_ios_show_ip_access-lists.raw", want, 6);
	struct yent *v;
	size_t n = load_yml("cisco_ios_show_ip_access-lists.yml", &v), checked = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		struct xent x;
		if (!*yget(&v[i], "line_num"))
			continue; /* header rows */
		if (excluded(yget(&v[i], "acl_name"), yget(&v[i], "line_num"), skip))
			continue;
		memset(&x, 0, sizeof(x));
		from_b(p.pol, &v[i], "src", &x.src, &x.sp);
		from_b(p.pol, &v[i], "dst", &x.dst, &x.dp);
		x.acl = yget(&v[i], "acl_name");
		x.seq = yget(&v[i], "line_num");
		x.action = yget(&v[i], "action");
		x.proto = yget(&v[i], "protocol");
		x.matches = yget(&v[i], "matches");
		x.established = strcmp(yget(&v[i], "tcp_flag"), "established") == 0;
		check_entry(&p, &x);
		checked++;
	}
	/* 99/30, "10.0.10.0, wildcard bits 0.255.0.255": the 256 prefixes it
	 * spells (the .yml keeps the text) */
	{
		const struct aclf_filter *f = ios_filter(p.dp, "99");
		const struct aclf_rule *r = NULL;
		for (size_t i = 0; i < f->nrules; i++)
			if (f->rules[i].device_name && !strcmp(f->rules[i].device_name, "30"))
				r = &f->rules[i];
		assert_non_null(r);
		assert_null(r->opaque);
		assert_int_equal(r->src.n, 256);
		assert_int_equal(r->hits, 20);
	}
	assert_int_equal(checked + 1, nrules(p.dp));
	/* empty lists are filters without rules */
	assert_non_null(ios_filter(p.dp, "test"));
	assert_int_equal(ios_filter(p.dp, "test")->nrules, 0);
	free_yml(v, n);
	aclf_policy_free(p.pol);
}

/* ---- genieparser captures, hand-checked ------------------------------------ */

static void genie_customer1(void **state)
{
	struct parsed p = parse_fixture_opts("ios_ShowAccessLists_golden_output_customer1_output.txt",
					     NULL, 0, false);
	const struct aclf_filter *f = ios_filter(p.dp, "acl1");

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nrules, 7);
	/* icmp types: opaque entries with protocol icmp (a superset), the
	 * type noted */
	assert_int_equal(aclf_devpol_opaque_count(p.dp), 5);
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_ICMP);
	assert_string_equal(f->rules[1].comment, "icmp echo-reply");
	assert_non_null(strstr(f->rules[1].opaque, "'icmp echo-reply' narrows the match"));
	assert_string_equal(f->rules[1].raw, "20 permit icmp any any echo-reply (1195 matches)");
	assert_int_equal(f->rules[1].hits, 1195);
	assert_null(f->rules[5].opaque);
	assert_int_equal(f->rules[5].action, ACLF_DENY);
	assert_null(f->rules[5].comment);
	assert_string_equal(f->rules[6].device_name, "80");
	assert_true(ios_set_is(&f->rules[6].dst, "10.4.1.1/32"));
	assert_int_equal(f->rules[6].dst_ports.v[0].lo, 1985);
	assert_int_equal(f->default_action, ACLF_DENY);
	aclf_policy_free(p.pol);
}

static void genie_customer3(void **state)
{
	static const struct refusal want[] = {
		{ 8, "object-group 'grt-interface-nets' is not defined" },
		{ 10, "object-group 'vpn-endpoints-dummydpd' is not defined" },
		{ 11, "object-group 'vpn-endpoints-dummydpd' is not defined" },
		{ 12, "object-group 'vpn-endpoints-dummydpd' is not defined" },
	};
	/* strict: the entries whose groups show output does not print are
	 * refused (with the icmp messages: lines 3-6) */
	const struct refusal strict[] = {
		{ 3, "'icmp echo' narrows" }, { 4, "'icmp echo-reply' narrows" },
		{ 5, "'icmp unreachable' narrows" }, { 6, "'icmp packet-too-big' narrows" },
		want[0], want[1], want[2], want[3],
	};
	struct parsed p = parse_fixture_opts("ios_ShowAccessLists_golden_output_customer3_output.txt",
					     strict, 8, true);
	const struct aclf_filter *f = ios_filter(p.dp, "acl1");

	(void)state;
	assert_int_equal(f->nrules, 2);
	aclf_policy_free(p.pol);
	/* else: opaque entries in their places, the group's side any, the
	 * counter kept */
	p = parse_fixture_opts("ios_ShowAccessLists_golden_output_customer3_output.txt", NULL, 0, false);
	f = ios_filter(p.dp, "acl1");
	assert_int_equal(f->nrules, 10);
	assert_int_equal(aclf_devpol_opaque_count(p.dp), 8);
	assert_non_null(strstr(f->rules[5].opaque, "object-group 'grt-interface-nets' is not defined in "
						   "the text"));
	assert_true(ios_set_is(&f->rules[5].src, "0.0.0.0/0"));
	assert_string_equal(f->rules[9].device_name, "110");
	assert_int_equal(f->rules[9].hits, 122);
	assert_int_equal(f->rules[9].protocol, ACLF_PROTO_UDP);
	assert_true(ios_set_is(&f->rules[9].dst, "10.4.1.1/32"));
	assert_null(f->rules[6].opaque);
	aclf_policy_free(p.pol);
}

/* show object-group output before show access-lists: the groups resolve,
 * every entry but the ICMP messages exact */
static void genie_customer3_show_object_group(void **state)
{
	static const char groups[] =
		"Network object group grt-interface-nets\n host 10.4.1.1\n 10.9.0.0 255.255.0.0\n"
		"Network object group vpn-endpoints-dummydpd\n host 192.0.2.1\n host 192.0.2.2\n"
		"Service object group unused-svc\n tcp eq www\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct aclf_buf b = ACLF_BUF_INIT;
	size_t len;
	char *text = ios_read_fixture("ios_ShowAccessLists_golden_output_customer3_output.txt", &len);
	const struct aclf_filter *f;

	(void)state;
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_puts(&b, groups), 0);
	assert_int_equal(aclf_buf_add(&b, text, len), 0);
	aclf_err_init(&err);
	if (aclf_driver_parse(aclf_driver_find("ios"), b.buf, b.len, &(struct aclf_parse_opts){ .name = "fx" }, pol, &dp, &err) != 0)
		fail_msg("%s", aclf_err_text(&err));
	f = ios_filter(dp, "acl1");
	assert_int_equal(f->nrules, 10);
	assert_int_equal(aclf_devpol_opaque_count(dp), 4);
	assert_string_equal(f->rules[5].src_name, "grt-interface-nets");
	assert_int_equal(f->rules[5].src.n, 2);
	assert_null(f->rules[9].opaque);
	assert_int_equal(f->rules[9].src.n, 2);
	assert_int_equal(f->rules[9].hits, 122);
	aclf_err_release(&err);
	aclf_buf_release(&b);
	free(text);
	aclf_policy_free(pol);
}

/* show output plus the object-group definitions (as running-config has
 * them) resolves the references */
static void genie_customer3_with_groups(void **state)
{
	static const char groups[] =
		"object-group network grt-interface-nets\n host 10.4.1.1\n 10.9.0.0 255.255.0.0\n"
		"object-group network vpn-endpoints-dummydpd\n host 192.0.2.1\n host 192.0.2.2\n";
	const struct aclf_driver *drv = aclf_driver_find("ios");
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct aclf_buf b = ACLF_BUF_INIT;
	size_t len;
	char *text = ios_read_fixture("ios_ShowAccessLists_golden_output_customer3_output.txt", &len);
	const struct aclf_filter *f;

	(void)state;
	aclf_buf_init(&b, 0);
	aclf_buf_puts(&b, groups);
	aclf_buf_add(&b, text, len);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(drv, b.buf, b.len, &(struct aclf_parse_opts){ .name = "fx" }, pol, &dp, &err), 0);
	f = ios_filter(dp, "acl1");
	assert_int_equal(f->nrules, 10);
	/* 70 permit ip object-group grt-interface-nets object-group grt-interface-nets */
	assert_string_equal(f->rules[5].device_name, "70");
	assert_string_equal(f->rules[5].src_name, "grt-interface-nets");
	assert_int_equal(f->rules[5].src.n, 2);
	assert_true(aclf_pset_equal(&f->rules[5].src, &f->rules[5].dst));
	/* 110 permit udp object-group vpn-endpoints-dummydpd host 10.4.1.1 eq isakmp (122 matches) */
	assert_string_equal(f->rules[9].device_name, "110");
	assert_true(aclf_pset_equal(&f->rules[9].src, &f->rules[8].src));
	assert_int_equal(f->rules[9].src.n, 2);
	assert_string_equal(f->rules[9].src_name, "vpn-endpoints-dummydpd");
	assert_int_equal(f->rules[9].dst_ports.v[0].lo, 500);
	assert_int_equal(f->rules[9].hits, 122);
	assert_int_equal(f->rules[7].protocol, 50); /* esp */
	assert_int_equal(f->rules[8].protocol, 51); /* ahp */
	aclf_err_release(&err);
	aclf_buf_release(&b);
	free(text);
	aclf_policy_free(pol);
}

static void genie_customer2(void **state)
{
	static const struct refusal want[] = { { 5, "object-group 'dummydpd-local' is not defined" } };
	struct parsed p = parse_fixture("ios_ShowAccessLists_golden_output_customer2_output.txt", want, 1);

	(void)state;
	assert_int_equal(ios_filter(p.dp, "acl1")->nrules, 2);
	assert_int_equal(ios_filter(p.dp, "acl1")->rules[1].hits, 67);
	aclf_policy_free(p.pol);
}

static void genie_ios_and_standard(void **state)
{
	struct parsed p = parse_fixture("ios_ShowAccessLists_golden_output_ios_output.txt", NULL, 0);
	struct parsed q = parse_fixture("ios_ShowAccessLists_golden_output_standard_output.txt", NULL, 0);
	const struct aclf_filter *f = ios_filter(p.dp, "101");

	(void)state;
	/* the "Router# show access-lists 101" prompt line is skipped */
	assert_int_equal(p.dp->nfilters, 1);
	assert_int_equal(f->nrules, 4);
	assert_true(ios_set_is(&f->rules[3].src, "10.3.4.31/32"));
	assert_int_equal(f->rules[3].protocol, 0);
	/* standard lists without sequence numbers */
	assert_int_equal(q.dp->nfilters, 5);
	f = ios_filter(q.dp, "34");
	assert_int_equal(f->nrules, 2);
	assert_null(f->rules[0].device_name);
	assert_true(ios_set_is(&f->rules[1].src, "10.34.56.34/32"));
	assert_true(ios_set_is(&f->rules[1].dst, "0.0.0.0/0"));
	assert_int_equal(ios_filter(q.dp, "12")->rules[0].action, ACLF_DENY);
	aclf_policy_free(p.pol);
	aclf_policy_free(q.pol);
}

static void genie_iosxe(void **state)
{
	static const struct refusal want[] = {
		{ 7, "unsupported 'dscp'" },
		{ 8, "'icmp type 10 code 66' narrows the match" },
		{ 11, "unsupported 'precedence'" },
		{ 20, "ipv6 source address '2001:db8:9:9::3' without a prefix length" },
		{ 23, "unsupported 'dscp'" },
	};
	struct parsed p = parse_fixture("iosxe_ShowAccessLists_golden_output_output.txt", want, 5);
	const struct aclf_filter *f;

	(void)state;
	/* the MAC list is not an IP filter and is skipped */
	assert_null(ios_filter(p.dp, "mac_acl"));
	f = ios_filter(p.dp, "test22");
	assert_int_equal(f->nrules, 3);
	assert_true(f->rules[0].established);
	/* 40 permit tcp any range ftp-data bgp any */
	assert_int_equal(f->rules[2].src_ports.v[0].lo, 20);
	assert_int_equal(f->rules[2].src_ports.v[0].hi, 179);
	f = ios_filter(p.dp, "ipv6_acl");
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[0].device_name, "20");
	assert_true(ios_set_is(&f->rules[0].src, "2001::1/128"));
	/* permit tcp any eq www 8443 host 2001:2::2 sequence 30 */
	assert_int_equal(f->rules[1].src_ports.n, 2);
	assert_int_equal(f->rules[1].src_ports.v[1].lo, 8443);
	assert_true(ios_set_is(&f->rules[1].src, "::/0"));
	f = ios_filter(p.dp, "preauth_v6");
	assert_int_equal(f->nrules, 2);
	assert_string_equal(f->rules[1].device_name, "30");
	assert_int_equal(f->default_action, ACLF_DENY);
	f = ios_filter(p.dp, "acl_name");
	assert_int_equal(f->default_action, ACLF_PERMIT);
	assert_int_equal(f->rules[0].hits, 10031);
	aclf_policy_free(p.pol);
}

/* ---- batfish configs -------------------------------------------------------- */

static void batfish_border(void **state)
{
	struct parsed p = parse_fixture("ios_as2border1.cfg", NULL, 0);
	const struct aclf_filter *f = ios_filter(p.dp, "OUTSIDE_TO_INSIDE");

	(void)state;
	assert_int_equal(p.dp->nfilters, 4);
	assert_int_equal(f->binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(f->binding.name, "GigabitEthernet0/0");
	assert_int_equal(f->binding.direction, ACLF_DIR_IN);
	assert_int_equal(f->default_action, ACLF_PERMIT);
	assert_int_equal(f->rules[1].hits, -1); /* config: no counters */
	assert_true(ios_set_is(&f->rules[1].dst, "2.128.1.101/32"));
	f = ios_filter(p.dp, "INSIDE_TO_AS1");
	assert_int_equal(f->binding.direction, ACLF_DIR_OUT);
	/* "10.12.11.2 0.0.0.0" wildcard = host */
	assert_true(ios_set_is(&f->rules[1].src, "10.12.11.2/32"));
	assert_int_equal(f->default_action, ACLF_DENY);
	f = ios_filter(p.dp, "101");
	assert_int_equal(f->nrules, 2);
	assert_int_equal(f->binding.kind, ACLF_BIND_NONE);
	assert_true(ios_set_is(&f->rules[0].dst, "255.255.255.0/32"));
	aclf_policy_free(p.pol);
}

static void batfish_dept(void **state)
{
	struct parsed p = parse_fixture("ios_as2dept1.cfg", NULL, 0);
	size_t bound = 0;

	(void)state;
	/* one list on two interfaces: one filter per binding */
	for (size_t i = 0; i < p.dp->nfilters; i++) {
		const struct aclf_filter *f = &p.dp->filters[i];
		if (strcmp(f->name, "RESTRICT_HOST_TRAFFIC_IN") != 0)
			continue;
		/* the list, then ipv6 passing (no ipv6 traffic-filter) */
		assert_int_equal(f->nrules, 4);
		assert_int_equal(f->rules[2].protocol, ACLF_PROTO_ICMP);
		assert_true(ios_set_is(&f->rules[3].src, "::/0"));
		assert_string_equal(f->binding.name, bound ? "GigabitEthernet3/0" : "GigabitEthernet2/0");
		bound++;
	}
	assert_int_equal(bound, 2);
	aclf_policy_free(p.pol);
}

static void batfish_object_groups(void **state)
{
	static const struct refusal want[] = { { 29, "object-group 'og-undef' is not defined" } };
	struct parsed p = parse_fixture("ios-object-group-network.cfg", NULL, 0);
	struct parsed q = parse_fixture("ios-object-group-service.cfg", want, 1);
	const struct aclf_filter *f = ios_filter(p.dp, "acl_wildcard");
	struct aclf_port_set web;

	(void)state;
	assert_int_equal(f->nrules, 1);
	assert_string_equal(f->rules[0].src_name, "ogn_wildcard");
	assert_true(ios_set_is(&f->rules[0].src, "1.0.0.0/8"));
	/* permit object-group og-icmp any any; permit object-group og-tcp any any */
	f = ios_filter(q.dp, "acl_used");
	assert_int_equal(f->nrules, 2);
	assert_int_equal(f->rules[0].protocol, ACLF_PROTO_ICMP);
	assert_int_equal(f->rules[1].protocol, ACLF_PROTO_TCP);
	web = ios_ports(q.pol, 53, 53, 80, 80, 514, 514, 65500, 65500, -1);
	assert_true(aclf_ports_equal(&f->rules[1].dst_ports, &web));
	assert_int_equal(ios_filter(q.dp, "acl_reused")->nrules, 1);
	aclf_policy_free(p.pol);
	aclf_policy_free(q.pol);
}

static void batfish_acl_not_ios(void **state)
{
	static const struct refusal want[] = {
		{ 5, "'access-list AL extended' is not ios syntax" },
		{ 8, "'ipv6 access-list standard' is not ios syntax" },
		{ 10, "'ipv6 access-list extended' is not ios syntax" },
		{ 24, "'access-list AL_IF extended' is not ios syntax" },
		{ 35, "'access-list AL_standard standard' is not ios syntax" },
		{ 37, "'access-list AL_extended extended' is not ios syntax" },
	};
	struct parsed p = parse_fixture("ios-acl.cfg", want, 6);
	const struct aclf_filter *f;

	(void)state;
	/* what is left: access-list 10 deny any, and bindings to lists that
	 * are not defined, which IOS treats as permit everything */
	f = ios_filter(p.dp, "10");
	assert_int_equal(f->nrules, 1);
	assert_int_equal(f->rules[0].action, ACLF_DENY);
	f = ios_filter(p.dp, "AL_IF_UNDEF");
	assert_non_null(f);
	assert_int_equal(f->nrules, 2);
	assert_int_equal(f->rules[0].action, ACLF_PERMIT);
	assert_int_equal(f->rules[1].action, ACLF_PERMIT);
	assert_int_equal(f->default_action, ACLF_PERMIT);
	assert_string_equal(f->binding.name, "Ethernet2");
	aclf_policy_free(p.pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ntc_show_access_list),
		cmocka_unit_test(ntc_show_access_list2),
		cmocka_unit_test(ntc_show_access_list3),
		cmocka_unit_test(ntc_show_ip_access_lists),
		cmocka_unit_test(genie_customer1),
		cmocka_unit_test(genie_customer2),
		cmocka_unit_test(genie_customer3),
		cmocka_unit_test(genie_customer3_show_object_group),
		cmocka_unit_test(genie_customer3_with_groups),
		cmocka_unit_test(genie_ios_and_standard),
		cmocka_unit_test(genie_iosxe),
		cmocka_unit_test(batfish_border),
		cmocka_unit_test(batfish_dept),
		cmocka_unit_test(batfish_object_groups),
		cmocka_unit_test(batfish_acl_not_ios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
