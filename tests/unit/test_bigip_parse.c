/* BIG-IP driver parse: the batfish bigip.conf fixture, a hand-made tmsh list
 * capture of a Lync pool, service-name ports, IPv6 addr.port, route
 * domains, relative and folder names, strict mode, and malformed or
 * truncated text failing with the line where parsing stopped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip/bigip_int.h"
#include "bigip_cases.h"
#include "drivers.h"

static struct aclf_devpol *parse_ok(struct aclf_policy *pol, const char *text, bool strict)
{
	struct aclf_err err;
	struct aclf_devpol *d = NULL;
	struct bigip_parse_opts o = { .strict = strict };

	aclf_err_init(&err);
	if (bigip_parse_ex(text, strlen(text), "lb1", "lb1.txt", &o, pol, &d, &err) < 0)
		fail_msg("parse failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	assert_non_null(d);
	return d;
}

/* Parse must fail at line with a message containing needle. */
static void parse_fails(const char *text, bool strict, unsigned line, const char *needle)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_err err;
	struct aclf_devpol *d = NULL;
	struct bigip_parse_opts o = { .strict = strict };

	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&aclf_driver_bigip, text, strlen(text),
					   &(struct aclf_parse_opts){ .name = "lb1", .strict = o.strict }, pol,
					   &d, &err), -1);
	assert_null(d);
	assert_int_equal(pol->ndevices, 0); /* nothing partial */
	if (err.line != line || !strstr(aclf_err_text(&err), needle))
		fail_msg("want line %u and '%s', got line %u: %s", line, needle, err.line,
			 aclf_err_text(&err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

static const struct aclf_lb_service *find(const struct aclf_devpol *d, const char *name)
{
	for (size_t i = 0; i < d->nlb; i++)
		if (strcmp(d->lb[i].name, name) == 0)
			return &d->lb[i];
	fail_msg("no service '%s'", name);
	return NULL;
}

static void assert_member(const struct aclf_lb_service *s, size_t i, const char *name,
			  const char *addr, uint16_t port)
{
	struct aclf_prefix a = bt_addr(addr);

	assert_true(i < s->nmembers);
	if (name)
		assert_string_equal(s->members[i].name, name);
	else
		assert_null(s->members[i].name);
	assert_int_equal(aclf_prefix_cmp(&s->members[i].address, &a), 0);
	assert_int_equal(s->members[i].port, port);
}

/* ---- batfish bigip.conf ------------------------------------------------- */

static void test_batfish_objects(void **state)
{
	struct aclf_buf text;
	struct aclf_err err;
	struct bip_doc doc;
	const struct bip_obj *pool = NULL, *node = NULL, *m1 = NULL, *m2 = NULL, *ps = NULL;
	size_t nvirt = 0;

	(void)state;
	bt_read_fixture("bigip/f5_bigip_structured_ltm.conf", &text);
	aclf_err_init(&err);
	if (bip_doc_parse(&doc, text.buf, text.len, "batfish", &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	for (size_t i = 0; i < doc.nobjs; i++) {
		const struct bip_obj *o = &doc.objs[i];
		if (o->kind == BK_VIRTUAL)
			nvirt++;
		if (o->kind == BK_POOL && !strcmp(o->hdr, "/Common/SOME_LTM_POOL"))
			pool = o;
		if (o->kind == BK_NODE && !strcmp(o->hdr, "/Common/SOME_LTM_NODE"))
			node = o;
		if (o->kind == BK_MONITOR && !strcmp(o->hdr, "/Common/SOME_MONITOR1"))
			m1 = o;
		if (o->kind == BK_MONITOR && !strcmp(o->hdr, "/Common/SOME_MONITOR2"))
			m2 = o;
		if (o->kind == BK_PERSIST && !strcmp(o->hdr, "/Common/SOME_PERSISTENCE_SOURCE_ADDR"))
			ps = o;
	}
	assert_int_equal(nvirt, 1);
	assert_non_null(pool);
	assert_string_equal(pool->lb_method.s, "least-connections-member");
	assert_int_equal(pool->members.n, 2);
	assert_string_equal(pool->members.v[0].name, "/Common/foo:80");
	assert_string_equal(pool->members.v[0].address.s, "192.0.2.2");
	assert_int_equal(pool->members.v[0].address.line, 24);
	assert_string_equal(pool->members.v[1].name, "/Common/bar:80");
	assert_string_equal(pool->members.v[1].address.s, "192.0.2.3");
	assert_int_equal(pool->monitors.n, 1);
	assert_string_equal(pool->monitors.v[0].name, "/Common/SOME_MONITOR");
	assert_non_null(node);
	assert_string_equal(node->address.s, "192.0.2.1");
	assert_non_null(m1);
	assert_string_equal(m1->type, "http");
	assert_string_equal(m1->destination.s, "*:80");
	assert_string_equal(m1->interval.s, "5");
	assert_string_equal(m1->timeout.s, "12");
	assert_non_null(m2);
	assert_string_equal(m2->type, "https");
	assert_string_equal(m2->timeout.s, "16");
	assert_non_null(ps);
	assert_string_equal(ps->type, "source-addr");
	assert_string_equal(ps->timeout.s, "60");
	assert_null(ps->mask.s);
	bip_doc_release(&doc);
	aclf_buf_release(&text);
	aclf_err_release(&err);
}

static void test_batfish_virtual(void **state)
{
	struct aclf_buf text;
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;
	struct aclf_prefix vip = bt_addr("192.0.2.7");

	(void)state;
	bt_read_fixture("bigip/f5_bigip_structured_ltm.conf", &text);
	d = parse_ok(pol, text.buf, false);
	assert_int_equal(d->nlb, 1);
	s = &d->lb[0];
	assert_string_equal(s->name, "SOME_VIRTUAL");
	assert_int_equal(aclf_prefix_cmp(&s->vip, &vip), 0);
	assert_int_equal(s->port, 80);
	assert_int_equal(s->protocol, ACLF_PROTO_TCP);
	assert_string_equal(s->pool_name, "SOME_POOL");
	assert_int_equal(s->nmembers, 0);
	assert_true(bt_has_note(s, "pool 'SOME_POOL' not in the text: no members"));
	assert_true(bt_has_note(s, "persistence profile '/Common/SOME_PROFILE' not in the text"));
	assert_true(bt_has_note(s, "profile '/Common/P1' not in the text"));
	/* snat pool: the source is translated */
	assert_int_equal(s->snat, ACLF_SNAT_AUTOMAP);
	assert_true(bt_has_note(s, "snat pool '/Common/SOME_SNATPOOL'"));
	/* vlans-disabled then vlans-enabled: the last one holds */
	assert_string_equal(s->vlan, "MY_VLAN");
	assert_false(bt_has_note(s, "disabled"));
	/* ip-forward then reject (the last type holds): not load balancing */
	assert_string_equal(s->raw, "reject");
	assert_non_null(strstr(s->opaque, "reject virtual"));
	assert_string_equal(bt_prov(s, "device", 0), "ltm virtual /Common/SOME_VIRTUAL");
	assert_null(bt_prov(s, "device", 1));
	aclf_buf_release(&text);
	aclf_policy_free(pol);
}

static void test_batfish_strict(void **state)
{
	struct aclf_buf text;

	(void)state;
	bt_read_fixture("bigip/f5_bigip_structured_ltm.conf", &text);
	parse_fails(text.buf, true, 101, "pool 'SOME_POOL' is not in the text");
	aclf_buf_release(&text);
}

/* The batfish pool, referenced by a virtual appended to the file. */
static void test_batfish_pool_members(void **state)
{
	struct aclf_buf text;
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;

	(void)state;
	bt_read_fixture("bigip/f5_bigip_structured_ltm.conf", &text);
	aclf_buf_puts(&text, "ltm virtual /Common/V2 {\n    destination /Common/192.0.2.8:http\n"
			     "    ip-protocol tcp\n    pool /Common/SOME_LTM_POOL\n}\n");
	d = parse_ok(pol, text.buf, false);
	assert_int_equal(d->nlb, 2);
	s = find(d, "V2");
	assert_string_equal(s->pool_name, "SOME_LTM_POOL");
	assert_string_equal(s->lb_method, "least-connections-member");
	assert_int_equal(s->nmembers, 2);
	assert_member(s, 0, "foo", "192.0.2.2", 80);
	assert_member(s, 1, "bar", "192.0.2.3", 80);
	assert_true(bt_has_note(s, "monitor '/Common/SOME_MONITOR' not in the text"));
	assert_null(s->monitor.type);
	assert_string_equal(bt_prov(s, "device", 1), "ltm pool /Common/SOME_LTM_POOL");
	aclf_buf_release(&text);
	aclf_policy_free(pol);
}

/* ---- hand-made Lync list capture ----------------------------------------- */

/* Request-level balancing reads back only with both an http and a
 * one-connect profile on the virtual; the source mask is inherited through
 * defaults-from, the built-in oneconnect's is 0.0.0.0; a one-connect
 * source-mask that is not a mask is an error at its line and column. */
static void test_request_balancing(void **state)
{
	static const char text[] =
		"ltm profile one-connect /Common/oc_parent {\n"
		"    defaults-from /Common/oneconnect\n"
		"    source-mask 255.255.255.0\n"
		"}\n"
		"ltm profile one-connect /Common/oc {\n"
		"    defaults-from /Common/oc_parent\n"
		"}\n"
		"ltm virtual /Common/a { destination 10.1.1.20:80 ip-protocol tcp "
		"profiles { /Common/tcp { } /Common/http { } /Common/oc { } } }\n"
		"ltm virtual /Common/b { destination 10.1.1.20:8080 ip-protocol tcp "
		"profiles { /Common/tcp { } /Common/http { } } }\n"
		"ltm virtual /Common/c { destination 10.1.1.20:81 ip-protocol tcp "
		"profiles { /Common/tcp { } /Common/http { } /Common/oneconnect { } } }\n"
		"ltm virtual /Common/d { destination 10.1.1.20:82 ip-protocol tcp "
		"profiles { /Common/tcp { } /Common/oc { } } }\n";
	static const char bad[] =
		"ltm profile one-connect /Common/oc { source-mask 255.0.255.0 }\n"
		"ltm virtual /Common/a { destination 10.1.1.20:80 ip-protocol tcp "
		"profiles { /Common/http { } /Common/oc { } } }\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;

	(void)state;
	d = parse_ok(pol, text, true);
	assert_int_equal(d->nlb, 4);
	assert_true(d->lb[0].request.enabled);
	assert_int_equal(d->lb[0].request.reuse_mask_len, 24);
	assert_string_equal(bt_prov(&d->lb[0], "device", 1), "ltm profile one-connect /Common/oc");
	assert_false(d->lb[1].request.enabled); /* http alone: per connection */
	assert_true(d->lb[2].request.enabled);
	assert_int_equal(d->lb[2].request.reuse_mask_len, 0);
	assert_false(d->lb[3].request.enabled); /* one-connect without http */
	aclf_policy_free(pol);
	parse_fails(bad, false, 1, "1:50: bad source-mask '255.0.255.0'");
}

static void test_lync_list(void **state)
{
	struct aclf_buf text;
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;
	struct aclf_prefix a;

	(void)state;
	bt_read_fixture("bigip/lync_list_handmade.txt", &text);
	d = parse_ok(pol, text.buf, false);
	assert_int_equal(d->nlb, 5);
	assert_int_equal(aclf_devpol_opaque_count(d), 2); /* lb[2] and lb[3] below */

	s = &d->lb[0];
	assert_string_equal(s->name, "poolweb-int_mco_443_vs");
	assert_null(s->opaque); /* source 0.0.0.0/0: every client */
	a = bt_addr("10.1.1.10");
	assert_int_equal(aclf_prefix_cmp(&s->vip, &a), 0);
	assert_int_equal(s->port, 443); /* :https */
	assert_int_equal(s->protocol, ACLF_PROTO_TCP);
	assert_string_equal(s->pool_name, "poolweb-int_mco_443_pool");
	assert_string_equal(s->lb_method, "least-connections-member");
	assert_int_equal(s->nmembers, 3);
	assert_member(s, 0, "fe01.example.net", "10.1.1.11", 443);
	assert_member(s, 1, "fe02.example.net", "10.1.1.12", 443);
	assert_member(s, 2, NULL, "10.1.1.13", 443);
	assert_true(bt_has_note(s, "route domain 0 stripped from member"));
	assert_string_equal(s->monitor.type, "tcp");
	assert_int_equal(s->monitor.port, 5061); /* *:sip-tls */
	assert_int_equal(s->monitor.interval, 5);
	assert_int_equal(s->monitor.timeout, 16);
	/* lync_src_child inherits mask and timeout from lync_src */
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_SOURCE_ADDR);
	assert_int_equal(s->persistence.mask_len, 32);
	assert_int_equal(s->persistence.timeout, 1200);
	/* the http profile is skipped; lync_tcp_lan inherits 1800 */
	assert_int_equal(s->idle_timeout, 1800);
	assert_int_equal(s->snat, ACLF_SNAT_AUTOMAP);
	assert_string_equal(s->vlan, "internal");
	assert_string_equal(bt_prov(s, "device", 0), "ltm virtual /Common/poolweb-int_mco_443_vs");
	assert_string_equal(bt_prov(s, "device", 2), "ltm node /Common/fe01.example.net");
	assert_string_equal(bt_prov(s, "device", 5), "ltm monitor tcp /Common/lync_fe_5061");
	assert_string_equal(bt_prov(s, "device", 6), "ltm profile tcp /Common/lync_tcp_lan");
	assert_string_equal(bt_prov(s, "device", 7),
			    "ltm persistence source-addr /Common/lync_src_child");

	/* all-properties listing, relative member names, a route domain */
	s = &d->lb[1];
	assert_string_equal(s->name, "poolweb_mco_80_vs");
	a = bt_addr("192.0.2.10");
	assert_int_equal(aclf_prefix_cmp(&s->vip, &a), 0);
	assert_int_equal(s->port, 80);
	assert_true(bt_has_note(s, "route domain 2 stripped from destination"));
	assert_null(s->lb_method);
	assert_int_equal(s->nmembers, 2);
	assert_member(s, 0, "fe01.example.net", "10.1.1.11", 8080); /* :webcache */
	assert_member(s, 1, "fe02.example.net", "10.1.1.12", 8080); /* from the node */
	assert_true(bt_has_note(s, "monitor rule 'min 1 of' has 2 monitors"));
	assert_string_equal(s->monitor.type, "tcp");
	assert_int_equal(s->monitor.port, 5061); /* inherited destination */
	assert_int_equal(s->monitor.interval, 10);
	assert_int_equal(s->monitor.timeout, 31);
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_NONE);
	assert_int_equal(s->idle_timeout, 0); /* built-in /Common/tcp */
	assert_int_equal(s->snat, ACLF_SNAT_NONE);
	assert_null(s->vlan);

	/* IPv6 addr.port, "Common/x" names, built-in persistence, snat pool */
	s = &d->lb[2];
	a = bt_addr("2001:db8:1::10");
	assert_int_equal(aclf_prefix_cmp(&s->vip, &a), 0);
	assert_int_equal(s->vip.len, 128);
	assert_int_equal(s->port, 5061);
	assert_string_equal(s->pool_name, "pool_sip_v6_pool");
	assert_string_equal(s->lb_method, "round-robin");
	assert_int_equal(s->nmembers, 2);
	assert_member(s, 0, "fe01v6", "2001:db8:1::11", 5061);
	assert_member(s, 1, NULL, "2001:db8:1::12", 5061);
	assert_true(bt_has_note(s, "monitor rule 'and' has 2 monitors"));
	assert_int_equal(s->monitor.port, 5061);
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_SOURCE_ADDR);
	assert_int_equal(s->persistence.mask_len, 0); /* built-in source_addr: mask none */
	assert_int_equal(s->snat, ACLF_SNAT_AUTOMAP);
	assert_true(bt_has_note(s, "snat pool '/Common/lync_snatpool'"));
	/* two listening VLANs: the service holds one, so it is opaque */
	assert_null(s->vlan);
	assert_string_equal(s->opaque, "listens on several vlans");
	assert_string_equal(s->raw, "vlans-enabled vlans { /Common/internal /Common/servers }");

	/* one-line pool, :epmap, cookie persistence, a disabled virtual */
	s = &d->lb[3];
	assert_int_equal(s->port, 135);
	assert_string_equal(s->opaque, "virtual is disabled: carries no new traffic");
	assert_string_equal(s->raw, "disabled");
	assert_int_equal(s->nmembers, 2);
	assert_member(s, 0, "fe01.example.net", "10.1.1.11", 135);
	assert_member(s, 1, "fe02.example.net", "10.1.1.12", 135);
	assert_string_equal(s->monitor.type, "tcp"); /* built-in /Common/tcp */
	assert_int_equal(s->monitor.port, 0);
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_COOKIE);
	assert_string_equal(s->persistence.cookie_name, "MS-WSMAN");
	assert_int_equal(s->idle_timeout, 1800);

	s = &d->lb[4];
	assert_string_equal(s->name, "orphan_vs");
	assert_int_equal(s->nmembers, 0);
	assert_true(bt_has_note(s, "pool 'missing_pool' not in the text: no members"));
	assert_true(bt_has_note(s, "profile '/Common/missing_tcp' not in the text"));
	assert_true(bt_has_note(s, "persistence profile '/Common/missing_persist' not in the text"));
	aclf_buf_release(&text);
	aclf_policy_free(pol);
}

/* What changes which traffic a virtual carries and the neutral service
 * cannot hold: the service is opaque with the reason and the device's
 * words, in list layout and one-line layout alike; --strict refuses it at
 * its line. What it can hold stays exact. */
static void test_opaque_virtuals(void **state)
{
	static const struct {
		const char *props, *why, *raw; /* why NULL: exact */
		unsigned col;                  /* where strict points, list layout */
	} cases[] = {
		/* '|' separates properties: a new line in list layout */
		{ "source 10.0.0.0/8", "source restricted: only those clients reach it",
		  "source 10.0.0.0/8", 12 },
		{ "source 10.0.0.0%2/8", "source restricted", "source 10.0.0.0%2/8", 12 },
		{ "reject", "reject virtual: refuses the traffic", "reject", 5 },
		{ "ip-forward", "virtual type that does not load balance to its pool", "ip-forward", 5 },
		{ "l2-forward", "does not load balance", "l2-forward", 5 },
		{ "stateless", "does not load balance", "stateless", 5 },
		{ "internal", "does not load balance", "internal", 5 },
		{ "dhcp-relay", "does not load balance", "dhcp-relay", 5 },
		{ "disabled", "virtual is disabled: carries no new traffic", "disabled", 5 },
		{ "vlans { /Common/ext }", "listens on every vlan but those listed",
		  "vlans-disabled vlans { /Common/ext }", 13 },
		{ "vlans { /Common/ext /Common/int }|vlans-enabled", "listens on several vlans",
		  "vlans-enabled vlans { /Common/ext /Common/int }", 13 },
		{ "vlans-enabled", "vlans-enabled without vlans: listens nowhere",
		  "vlans-enabled vlans { }", 5 },
		/* exact */
		{ "source 0.0.0.0/0", NULL, NULL, 0 },
		{ "enabled", NULL, NULL, 0 },
		{ "vlans-disabled", NULL, NULL, 0 },
		{ "source-port preserve-strict", NULL, NULL, 0 },
		{ "vlans { /Common/ext }|vlans-enabled", NULL, NULL, 0 },
	};
	char text[512], props[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int oneline = 0; oneline < 2; oneline++) {
			struct aclf_policy *pol = aclf_policy_new();
			const struct aclf_devpol *d;
			const struct aclf_lb_service *s;
			snprintf(props, sizeof(props), "%s", cases[i].props);
			for (char *p = props; (p = strchr(p, '|')); p++)
				*p = oneline ? ' ' : '\n';
			if (oneline)
				snprintf(text, sizeof(text), "create ltm virtual vs { destination "
					 "10.1.1.10:443 ip-protocol tcp pool p %s }\ncreate ltm pool p { }\n",
					 props);
			else
				snprintf(text, sizeof(text), "ltm virtual vs {\n    destination 10.1.1.10:443\n"
					 "    ip-protocol tcp\n    pool p\n    %s\n}\nltm pool p {\n}\n",
					 props);
			d = parse_ok(pol, text, false);
			assert_int_equal(d->nlb, 1);
			s = &d->lb[0];
			/* what it holds is still read */
			assert_int_equal(s->port, 443);
			assert_int_equal(s->protocol, ACLF_PROTO_TCP);
			assert_string_equal(s->pool_name, "p");
			if (!cases[i].why) {
				if (s->opaque)
					fail_msg("'%s' read as opaque: %s", cases[i].props, s->opaque);
				assert_int_equal(aclf_devpol_opaque_count(d), 0);
				if (strstr(cases[i].props, "vlans-enabled"))
					assert_string_equal(s->vlan, "ext");
				aclf_policy_free(pol);
				continue;
			}
			if (!s->opaque || !strstr(s->opaque, cases[i].why))
				fail_msg("'%s': want opaque '%s', got '%s'", cases[i].props, cases[i].why,
					 s->opaque ? s->opaque : "(exact)");
			assert_string_equal(s->raw, cases[i].raw);
			assert_null(s->vlan);
			assert_int_equal(aclf_devpol_opaque_count(d), 1);
			aclf_policy_free(pol);
			if (!oneline) {
				struct aclf_err err;
				struct aclf_policy *p2 = aclf_policy_new();
				struct bigip_parse_opts o = { .strict = true };
				aclf_err_init(&err);
				assert_int_equal(bigip_parse_ex(text, strlen(text), "lb1", "lb1.txt", &o,
								p2, NULL, &err), -1);
				if (err.line != 5 || err.col != cases[i].col ||
				    !strstr(aclf_err_text(&err), cases[i].raw))
					fail_msg("'%s' strict: want 5:%u, got %s", cases[i].props,
						 cases[i].col, aclf_err_text(&err));
				aclf_err_release(&err);
				aclf_policy_free(p2);
			}
		}
	}
}

/* Several reasons on one virtual: all of them, in order. */
static void test_opaque_several(void **state)
{
	static const char text[] = "ltm virtual vs {\n    destination 10.1.1.10:443\n"
				   "    ip-protocol tcp\n    disabled\n    ip-forward\n"
				   "    source 192.0.2.0/24\n}\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;

	(void)state;
	d = parse_ok(pol, text, false);
	assert_int_equal(aclf_devpol_opaque_count(d), 1); /* one service */
	assert_string_equal(d->lb[0].raw, "ip-forward; disabled; source 192.0.2.0/24");
	assert_non_null(strstr(d->lb[0].opaque, "to its pool; virtual is disabled: carries no new traffic; source restricted"));
	aclf_policy_free(pol);
}

static void test_lync_list_strict(void **state)
{
	struct aclf_buf text;

	(void)state;
	bt_read_fixture("bigip/lync_list_handmade.txt", &text);
	/* the first thing strict refuses: a virtual on two VLANs */
	parse_fails(text.buf, true, 212, "virtual 'pool_sip_v6_vs': listens on several vlans: "
		    "'vlans-enabled vlans { /Common/internal /Common/servers }'");
	aclf_buf_release(&text);
}

/* ---- small texts ------------------------------------------------------- */

/* yukirii/go-tmsh's `list ltm virtual` sample (v11.x, relative names inside
 * partition1), as quoted in the driver's research notes. */
static void test_partition_relative(void **state)
{
	static const char text[] = "ltm virtual api.example.com_443 {\n"
				   "    destination 203.0.113.1:https\n"
				   "    ip-protocol tcp\n"
				   "    mask 255.255.255.255\n"
				   "    partition partition1\n"
				   "    pool api.example.com_443\n"
				   "    profiles {\n"
				   "        /Common/tcp {\n"
				   "            context all\n"
				   "        }\n"
				   "        wildcard.example.com {\n"
				   "            context clientside\n"
				   "        }\n"
				   "    }\n"
				   "    source 0.0.0.0/0\n"
				   "    vs-index 1234\n"
				   "}\n"
				   "ltm pool api.example.com_443 {\n"
				   "    partition partition1\n"
				   "    members {\n"
				   "        api01.example.com:webcache {\n"
				   "            address 192.0.2.1\n"
				   "        }\n"
				   "    }\n"
				   "}\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d = parse_ok(pol, text, true);
	const struct aclf_lb_service *s = &d->lb[0];

	(void)state;
	assert_int_equal(d->nlb, 1);
	assert_string_equal(s->name, "/partition1/api.example.com_443");
	assert_string_equal(s->pool_name, "/partition1/api.example.com_443");
	assert_int_equal(s->port, 443);
	assert_member(s, 0, "api01.example.com", "192.0.2.1", 8080);
	assert_int_equal(s->idle_timeout, 0);
	aclf_policy_free(pol);
}

/* Every port name the Lync HLB needs, and numbers. */
static void test_service_names(void **state)
{
	static const struct {
		const char *name;
		uint16_t port;
	} cases[] = {
		{ "sip-tls", 5061 }, { "sips", 5061 }, { "snpp", 444 },	  { "epmap", 135 },
		{ "http", 80 },	     { "webcache", 8080 }, { "https", 443 },	  { "pharos", 4443 },
		{ "ayiya", 5072 },   { "tag-upp", 5073 }, { "powerschool", 5071 }, { "onscreen", 5080 },
		{ "ddm-ssl", 448 },  { "vtsas", 5070 },   { "5075", 5075 },	  { "5076", 5076 },
		{ "any", 0 },	     { "pcsync-https", 8443 }, { "65535", 65535 }, { "0", 0 },
	};
	struct aclf_prefix a;
	uint16_t port;
	long rd;
	char dest[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(dest, sizeof(dest), "/Common/10.1.1.10:%s", cases[i].name);
		assert_int_equal(bigip_parse_dest(dest, &a, &port, &rd), 0);
		assert_int_equal(port, cases[i].port);
		snprintf(dest, sizeof(dest), "2001:db8::10%%3.%s", cases[i].name);
		assert_int_equal(bigip_parse_dest(dest, &a, &port, &rd), 0);
		assert_int_equal(port, cases[i].port);
		assert_int_equal(rd, 3);
		assert_int_equal(a.family, 6);
	}
	assert_int_equal(bigip_parse_dest("10.1.1.10:no-such-service", &a, &port, &rd), -2);
	assert_int_equal(bigip_parse_dest("10.1.1.10:65536", &a, &port, &rd), -1);
	assert_int_equal(bigip_parse_dest("10.1.1.300:80", &a, &port, &rd), -1);
	assert_int_equal(bigip_parse_dest("10.1.1.10", &a, &port, &rd), -1);
	assert_int_equal(bigip_parse_dest("any6.any", &a, &port, &rd), 0);
	assert_int_equal(a.family, 6);
	assert_int_equal(port, 0);
	assert_string_equal(bigip_port_name(5061), "sip-tls");
	assert_string_equal(bigip_port_name(8080), "webcache");
	assert_null(bigip_port_name(5075));
}

/* create commands written without braces, one-line list output, tmsh prefix,
 * transaction lines and prompts are read or skipped. */
static void test_command_forms(void **state)
{
	static const char text[] =
		"root@(bigip1)(cfg-sync Standalone)(Active)(/Common)(tmos)# list ltm one-line\n"
		"create cli transaction\n"
		"tmsh create ltm pool p1 members add { 10.0.0.1:80 10.0.0.2:80 } monitor http\n"
		"create ltm virtual v1 destination 10.0.0.10:http ip-protocol tcp pool p1 "
		"profiles add { f5-tcp-lan { context serverside } tcp { context clientside } } "
		"vlans add { ext } vlans-enabled translate-address enabled\n"
		"ltm virtual v2 { destination 10.0.0.11:443 ip-protocol udp pool none "
		"description \"a { b\" metadata { x { value y } } }\n"
		"modify ltm virtual v1 { pool p2 }\n"
		"submit cli transaction\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d = parse_ok(pol, text, false);
	const struct aclf_lb_service *s;

	(void)state;
	assert_int_equal(d->nlb, 2);
	s = &d->lb[0];
	assert_string_equal(s->name, "v1");
	assert_int_equal(s->port, 80);
	assert_int_equal(s->nmembers, 2);
	assert_member(s, 0, NULL, "10.0.0.1", 80);
	assert_string_equal(s->monitor.type, "http");
	assert_string_equal(s->vlan, "ext");
	s = &d->lb[1];
	assert_int_equal(s->protocol, ACLF_PROTO_UDP);
	assert_null(s->pool_name);
	assert_true(bt_has_note(s, "virtual has no pool"));
	aclf_policy_free(pol);
}

static void test_tokenizer(void **state)
{
	static const char text[] = "#TMSH-VERSION: 13.1.1\n"
				   "a \"q \\\"x\\\" {\" b\\{c {\n"
				   "  # comment }\n"
				   "}\n";
	struct bip_lex lx;
	struct bip_tok t;
	struct aclf_err err;
	struct aclf_arena a;

	(void)state;
	aclf_err_init(&err);
	aclf_arena_init(&a);
	bip_lex_init(&lx, text, strlen(text), "t", &err);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_true(bip_tok_is(&t, "a"));
	assert_true(t.bol);
	assert_int_equal(t.line, 2);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(t.kind, BIP_T_STRING);
	assert_false(t.bol);
	assert_string_equal(bip_tok_dup(&a, &t), "q \"x\" {");
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_true(bip_tok_is(&t, "b\\{c"));
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(t.kind, BIP_T_LBRACE);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(t.kind, BIP_T_RBRACE);
	assert_int_equal(t.line, 4);
	assert_true(t.bol);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(t.kind, BIP_T_EOF);
	/* a word after a multi-line string is on the string's last line: not
	 * the start of a line, and a '#' there is no comment */
	bip_lex_init(&lx, "k \"a\nb\" #x\n", strlen("k \"a\nb\" #x\n"), "t", &err);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_int_equal(t.kind, BIP_T_STRING);
	assert_int_equal(bip_lex_next(&lx, &t), 0);
	assert_true(bip_tok_is(&t, "#x"));
	assert_false(t.bol);
	assert_int_equal(t.line, 2);
	aclf_arena_release(&a);
	aclf_err_release(&err);
}

/* ---- errors: each names the line where parsing stopped ----------------- */

/* Real syntax the LTM model once refused or dropped: source-addr
 * persistence "mask any" (every client one record, as "none"); a virtual
 * that does not translate the destination (forwarding) keeps that, so it
 * never reads as one that load-balances to its members' addresses; a
 * virtual naming traffic-matching-criteria the text does not define is
 * refused by name. */
static void test_real_syntax(void **state)
{
	static const char text[] =
		"ltm persistence source-addr /Common/sa_any {\n    mask any\n    timeout 300\n}\n"
		"ltm virtual /Common/fwd {\n    destination /Common/10.0.0.9:443\n    ip-protocol tcp\n"
		"    mask 255.255.255.255\n    persist {\n        /Common/sa_any {\n"
		"            default yes\n        }\n    }\n    translate-address disabled\n"
		"    translate-port disabled\n}\n"
		"ltm virtual /Common/nat {\n    destination /Common/10.0.0.10:443\n    ip-protocol tcp\n"
		"    translate-address enabled\n}\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;

	(void)state;
	d = parse_ok(pol, text, false);
	s = find(d, "fwd");
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_SOURCE_ADDR);
	assert_int_equal(s->persistence.mask_len, 0);
	assert_int_equal(s->persistence.timeout, 300);
	assert_true(s->no_translate_address);
	assert_true(s->no_translate_port);
	s = find(d, "nat");
	assert_false(s->no_translate_address);
	assert_false(s->no_translate_port);
	aclf_policy_free(pol);
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80\n    translate-address maybe\n}\n",
		    false, 3, "bad translate-address 'maybe', expected enabled or disabled");
	parse_fails("ltm virtual v {\n    traffic-matching-criteria /Common/tmc\n    pool p\n}\n",
		    false, 2, "virtual 'v' names traffic-matching-criteria 'tmc', which the text "
			      "does not define");
}

/* Virtuals with traffic-matching-criteria instead of a destination (the
 * objects as `list ltm traffic-matching-criteria` prints them, and in one
 * line): one address or network and one port read exactly; lists, ranges
 * and a source make the virtual an opaque service (why at the value, the
 * criteria's text, what was understood widened to a superset), which
 * --strict refuses at the value; a protocol the virtual contradicts is an
 * error either way. */
static void test_tmc(void **state)
{
	static const char text[] =
		"ltm traffic-matching-criteria /Common/web_tmc {\n"
		"    destination-address-inline 10.1.1.10\n    destination-port-inline https\n"
		"    protocol tcp\n    route-domain /Common/0\n    source-address-inline 0.0.0.0\n"
		"    source-port-inline 0\n}\n"
		"ltm virtual /Common/web {\n    ip-protocol tcp\n    pool /Common/p\n"
		"    traffic-matching-criteria /Common/web_tmc\n    translate-port disabled\n}\n"
		"create ltm traffic-matching-criteria net_tmc { destination-address-inline "
		"10.9.0.0%2/24 destination-port-inline any protocol udp source-address-inline any }\n"
		"ltm virtual /Common/net {\n    traffic-matching-criteria net_tmc\n}\n"
		"ltm traffic-matching-criteria /Common/v6_tmc {\n"
		"    destination-address-inline 2001:db8::10\n    destination-port-inline 5061\n}\n"
		"ltm virtual /Common/v6 {\n    ip-protocol tcp\n    traffic-matching-criteria v6_tmc\n}\n";
	static const struct {
		const char *props;
		unsigned line;
		const char *why;
		const char *vip; /* what the service keeps: a superset */
		uint16_t port;
		const char *raw; /* in the opaque text */
	} bad[] = {
		{ "    destination-address-list /Common/addrs\n", 3,
		  "has a destination address list '/Common/addrs'", "0.0.0.0/0", 0,
		  "traffic-matching-criteria /Common/t { destination-address-inline 10.1.1.10 "
		  "destination-address-list /Common/addrs protocol tcp }" },
		{ "    destination-port-list /Common/ports\n", 3,
		  "has a destination port list '/Common/ports'", "10.1.1.10", 0,
		  "destination-port-list /Common/ports" },
		{ "    destination-port-inline 5060-5070\n", 3,
		  "a destination port range or list '5060-5070'", "10.1.1.10", 0,
		  "destination-port-inline 5060-5070" },
		{ "    destination-port-inline 5060\n    source-address-inline 192.0.2.0/24\n", 4,
		  "has a source address '192.0.2.0/24'", "10.1.1.10", 5060,
		  "source-address-inline 192.0.2.0/24" },
		{ "    source-address-list /Common/clients\n", 3, "has a source address list",
		  "10.1.1.10", 0, "source-address-list /Common/clients" },
		{ "    source-port-inline 1024\n", 3, "a source port '1024'", "10.1.1.10", 0,
		  "source-port-inline 1024" },
		{ "    source-port-list /Common/eph\n", 3, "a source port list '/Common/eph'",
		  "10.1.1.10", 0, "source-port-list /Common/eph" },
	};
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;
	struct aclf_prefix want;

	(void)state;
	d = parse_ok(pol, text, false);
	assert_int_equal(d->nlb, 3);
	s = find(d, "web");
	assert_int_equal(aclf_prefix_parse("10.1.1.10", &want, false), 0);
	assert_int_equal(aclf_prefix_cmp(&s->vip, &want), 0);
	assert_int_equal(s->port, 443);
	assert_int_equal(s->protocol, ACLF_PROTO_TCP);
	assert_true(s->no_translate_port);
	s = find(d, "net");
	assert_int_equal(aclf_prefix_parse("10.9.0.0/24", &want, false), 0);
	assert_int_equal(aclf_prefix_cmp(&s->vip, &want), 0);
	assert_int_equal(s->port, 0);
	assert_int_equal(s->protocol, ACLF_PROTO_UDP); /* from the criteria */
	s = find(d, "v6");
	assert_int_equal(aclf_prefix_parse("2001:db8::10", &want, false), 0);
	assert_int_equal(aclf_prefix_cmp(&s->vip, &want), 0);
	assert_int_equal(s->port, 5061);
	aclf_policy_free(pol);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char t[512];
		snprintf(t, sizeof(t), "ltm traffic-matching-criteria /Common/t {\n"
			 "    destination-address-inline 10.1.1.10\n%s    protocol tcp\n}\n"
			 "ltm virtual /Common/v {\n    traffic-matching-criteria t\n"
			 "    ip-protocol tcp\n    pool p\n}\n", bad[i].props);
		pol = aclf_policy_new();
		d = parse_ok(pol, t, false);
		assert_int_equal(d->nlb, 1);
		assert_int_equal(aclf_devpol_opaque_count(d), 1);
		s = find(d, "v");
		assert_non_null(s->opaque);
		if (!strstr(s->opaque, bad[i].why) || !strstr(s->raw, bad[i].raw))
			fail_msg("case %zu: opaque '%s', raw '%s'", i, s->opaque, s->raw);
		assert_int_equal(aclf_prefix_parse(bad[i].vip, &want, false), 0);
		assert_int_equal(aclf_prefix_cmp(&s->vip, &want), 0);
		assert_int_equal(s->port, bad[i].port);
		assert_int_equal(s->protocol, ACLF_PROTO_TCP);
		assert_non_null(s->pool_name);
		aclf_policy_free(pol);
		parse_fails(t, true, bad[i].line, bad[i].why);
	}
	/* the same criteria with nothing to widen read exactly */
	pol = aclf_policy_new();
	d = parse_ok(pol, "ltm traffic-matching-criteria /Common/t {\n"
		     "    destination-address-inline 10.1.1.10\n    protocol tcp\n}\n"
		     "ltm virtual /Common/v {\n    traffic-matching-criteria t\n"
		     "    ip-protocol tcp\n    pool p\n}\n", false);
	assert_int_equal(aclf_devpol_opaque_count(d), 0);
	aclf_policy_free(pol);
	/* no destination at all: opaque at the criteria's header */
	pol = aclf_policy_new();
	d = parse_ok(pol, "ltm traffic-matching-criteria t {\n    destination-port-inline 80\n}\n"
		     "ltm virtual v {\n    traffic-matching-criteria t\n}\n", false);
	s = find(d, "v");
	assert_non_null(s->opaque);
	assert_non_null(strstr(s->opaque, "no destination-address-inline"));
	assert_int_equal(s->port, 80);
	aclf_policy_free(pol);
	parse_fails("ltm traffic-matching-criteria t {\n    destination-port-inline 80\n}\n"
		    "ltm virtual v {\n    traffic-matching-criteria t\n}\n",
		    true, 1, "no destination-address-inline");
	/* a protocol the virtual contradicts: an error in the file, strict or not */
	parse_fails("ltm traffic-matching-criteria /Common/t {\n"
		    "    destination-address-inline 10.1.1.10\n    protocol udp\n}\n"
		    "ltm virtual /Common/v {\n    traffic-matching-criteria t\n"
		    "    ip-protocol tcp\n}\n", false, 7,
		    "differs from its traffic-matching-criteria's protocol 'udp'");
	/* and so is a list beside a contradicting protocol */
	parse_fails("ltm traffic-matching-criteria /Common/t {\n"
		    "    destination-address-list /Common/a\n    protocol udp\n}\n"
		    "ltm virtual /Common/v {\n    traffic-matching-criteria t\n"
		    "    ip-protocol tcp\n}\n", false, 7,
		    "differs from its traffic-matching-criteria's protocol 'udp'");
}

static void test_errors(void **state)
{
	(void)state;
	/* truncated: the text ends before the closing braces (line 4) */
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80\n    profiles {\n"
		    "        tcp {\n",
		    false, 4, "missing '}'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80\n", false, 2,
		    "text ends inside 'ltm virtual v' opened at line 1: missing '}'");
	/* Tcl counts the brace inside the quotes: the rule never closes */
	parse_fails("ltm rule r {\nwhen X {\n  set a \"{\"\n}\n}\n", false, 5,
		    "text ends inside 'ltm rule r' opened at line 1");
	parse_fails("sys global-settings {\n    hostname x\n", false, 2,
		    "opened at line 1: missing '}'");
	parse_fails("ltm monitor http m {\n    send \"GET /\n\n", false, 3,
		    "text ends inside a quoted string opened at line 2");
	parse_fails("ltm node n {\n    address 10.0.0.1\n}\n}\n", false, 4, "unexpected '}'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:sip-whatever\n}\n", false, 2,
		    "unknown service name in destination '10.0.0.1:sip-whatever'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.300:80\n}\n", false, 2,
		    "bad destination '10.0.0.300:80'");
	parse_fails("ltm virtual v {\n    pool p\n}\n", false, 1, "virtual 'v' has no destination");
	parse_fails("ltm virtual v {\n    destination\n    pool p\n}\n", false, 3,
		    "missing value for 'destination'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80 10.0.0.2:80\n}\n", false, 2,
		    "unexpected text after 'destination'");
	parse_fails("create ltm virtual v { destination 10.0.0.1:80 frobnicate 3 }\n", false, 1,
		    "unknown property 'frobnicate' in a one-line object");
	parse_fails("ltm pool p {\n    members {\n        n1:http-nope { }\n    }\n}\n"
		    "ltm virtual v {\n    destination 10.0.0.1:80\n    pool p\n}\n",
		    false, 3, "unknown service name in pool member 'n1:http-nope'");
	parse_fails("ltm persistence source-addr s {\n    mask 255.0.255.0\n}\n"
		    "ltm virtual v {\n    destination 10.0.0.1:80\n"
		    "    persist { s { default yes } }\n}\n",
		    false, 2, "bad persistence mask '255.0.255.0'");
	parse_fails("ltm profile tcp t {\n    idle-timeout soon\n}\n"
		    "ltm virtual v {\n    destination 10.0.0.1:80\n    profiles { t { } }\n}\n",
		    false, 2, "bad idle-timeout 'soon'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80\n    mask ffff::\n}\n", false, 3,
		    "bad mask 'ffff::'");
	parse_fails("ltm virtual v {\n    destination 10.0.0.1:80\x01\n}\n", false, 2,
		    "unexpected control character 0x01");
	parse_fails("ltm pool p {\n    members replace-all-with { { } }\n}\n", false, 2,
		    "expected a name in the list");
	parse_fails("{\n}\n", false, 1, "unexpected '{'");
}

/* A later definition replaces an earlier one; a relative name that is not
 * in the referrer's folder resolves by its last component only when that
 * is unique. */
static void test_name_resolution(void **state)
{
	static const char text[] = "ltm pool /Common/p {\n    members { a:80 { address 10.0.0.1 } }\n}\n"
				   "ltm pool /Common/p {\n    members { b:81 { address 10.0.0.2 } }\n}\n"
				   "ltm pool /app/q {\n    members { c:82 { address 10.0.0.3 } }\n}\n"
				   "ltm pool /x/r {\n    members { d:83 { address 10.0.0.4 } }\n}\n"
				   "ltm pool /y/r {\n    members { e:84 { address 10.0.0.5 } }\n}\n"
				   "ltm virtual v1 {\n    destination 10.0.1.1:1\n    pool p\n}\n"
				   "ltm virtual v2 {\n    destination 10.0.1.1:2\n    pool q\n}\n"
				   "ltm virtual v3 {\n    destination 10.0.1.1:3\n    pool r\n}\n";
	static const char v6mon[] = "ltm monitor tcp m6 {\n    destination 2001:db8::5.sip-tls\n}\n"
				    "ltm pool p {\n    monitor m6\n}\n"
				    "ltm virtual v {\n    destination 2001:db8::10.443\n    pool p\n}\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d = parse_ok(pol, text, false);

	(void)state;
	assert_int_equal(d->nlb, 3);
	assert_int_equal(d->lb[0].nmembers, 1);
	assert_member(&d->lb[0], 0, "b", "10.0.0.2", 81);
	assert_int_equal(d->lb[1].nmembers, 1);
	assert_member(&d->lb[1], 0, "c", "10.0.0.3", 82);
	assert_string_equal(bt_prov(&d->lb[1], "device", 1), "ltm pool /app/q");
	assert_int_equal(d->lb[2].nmembers, 0);
	assert_true(bt_has_note(&d->lb[2], "pool 'r' not in the text"));
	/* a monitor with an IPv6 alias address */
	d = parse_ok(pol, v6mon, true);
	assert_string_equal(d->lb[0].monitor.type, "tcp");
	assert_int_equal(d->lb[0].monitor.port, 5061);
	aclf_policy_free(pol);
}

/* Empty and comment-only text is an empty device, not an error. */
static void test_empty(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;

	(void)state;
	d = parse_ok(pol, "", false);
	assert_int_equal(d->nlb, 0);
	d = parse_ok(pol, "#TMSH-VERSION: 13.1.1\n\nsys global-settings { hostname x }\n", true);
	assert_int_equal(d->nlb, 0);
	assert_int_equal(pol->ndevices, 2);
	aclf_policy_free(pol);
}

/* TLS termination as a device lists it (`list ltm`, one profile per line,
 * the site's client-ssl and server-ssl objects in the text, names relative
 * to the virtual's folder): read by type, kept by full path; built-in
 * clientssl/serverssl by name; a profile the text does not define by the
 * context the virtual gives it, unless it is a transport profile; two
 * client-side profiles (chosen by server name) make the service opaque
 * (strict: an error at the second); TLS profiles never get a device
 * reference (delete must never name them). */
static void test_tls_profiles(void **state)
{
	static const char listed[] =
		"ltm profile client-ssl /Common/lync-web-clientssl {\n"
		"    app-service none\n"
		"    cert-key-chain {\n"
		"        webint_chain {\n"
		"            cert /Common/webint.crt\n"
		"            key /Common/webint.key\n"
		"        }\n"
		"    }\n"
		"    defaults-from /Common/clientssl\n"
		"}\n"
		"ltm profile server-ssl /Common/lync-serverssl {\n"
		"    defaults-from /Common/serverssl\n"
		"}\n"
		"ltm profile tcp /Common/wan-tcp {\n"
		"    defaults-from /Common/tcp\n"
		"    idle-timeout 1800\n"
		"}\n"
		"ltm pool /Common/web_pool {\n"
		"    members {\n"
		"        /Common/10.1.1.11:443 {\n"
		"            address 10.1.1.11\n"
		"        }\n"
		"    }\n"
		"}\n"
		"ltm virtual /Common/web_vs {\n"
		"    destination /Common/10.1.1.10:443\n"
		"    ip-protocol tcp\n"
		"    mask 255.255.255.255\n"
		"    pool /Common/web_pool\n"
		"    profiles {\n"
		"        /Common/http { }\n"
		"        /Common/lync-serverssl {\n"
		"            context serverside\n"
		"        }\n"
		"        /Common/lync-web-clientssl {\n"
		"            context clientside\n"
		"        }\n"
		"        /Common/oneconnect { }\n"
		"        /Common/wan-tcp {\n"
		"            context clientside\n"
		"        }\n"
		"    }\n"
		"}\n"
		"ltm virtual /Common/builtin_vs {\n"
		"    destination /Common/10.1.1.10:4443\n"
		"    pool /Common/web_pool\n"
		"    profiles {\n"
		"        /Common/clientssl { }\n"
		"        /Common/tcp { }\n"
		"    }\n"
		"}\n"
		"ltm virtual /Common/bycontext_vs {\n"
		"    destination /Common/10.1.1.10:8443\n"
		"    pool /Common/web_pool\n"
		"    profiles {\n"
		"        /Common/tcp-lan-optimized {\n"
		"            context serverside\n"
		"        }\n"
		"        /Common/tcp-wan-optimized {\n"
		"            context clientside\n"
		"        }\n"
		"        /Partition2/site-clientssl {\n"
		"            context clientside\n"
		"        }\n"
		"    }\n"
		"}\n"
		"ltm virtual /Common/aclf_serveronly_vs {\n"
		"    destination /Common/10.1.1.10:8081\n"
		"    ip-protocol tcp\n"
		"    pool /Common/web_pool\n"
		"    profiles {\n"
		"        /Common/serverssl {\n"
		"            context serverside\n"
		"        }\n"
		"        /Common/tcp { }\n"
		"    }\n"
		"}\n";
	static const char sni[] =
		"ltm virtual /Common/sni_vs {\n"
		"    destination /Common/10.1.1.10:443\n"
		"    pool /Common/web_pool\n"
		"    profiles {\n"
		"        /Common/a-clientssl {\n"
		"            context clientside\n"
		"        }\n"
		"        /Common/b-clientssl {\n"
		"            context clientside\n"
		"        }\n"
		"        /Common/tcp { }\n"
		"    }\n"
		"}\n"
		"ltm pool /Common/web_pool { }\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;
	const struct aclf_lb_service *s;

	(void)state;
	d = parse_ok(pol, listed, false);
	s = find(d, "web_vs");
	assert_non_null(s);
	assert_string_equal(s->tls.client_profile, "/Common/lync-web-clientssl");
	assert_string_equal(s->tls.server_profile, "/Common/lync-serverssl");
	assert_true(s->request.enabled);
	assert_int_equal(s->idle_timeout, 1800);
	assert_null(s->opaque);
	for (size_t k = 0; k < s->nprov; k++)
		assert_null(strstr(s->prov[k].ref, "ssl"));
	s = find(d, "builtin_vs");
	assert_string_equal(s->tls.client_profile, "/Common/clientssl");
	assert_null(s->tls.server_profile);
	assert_false(s->request.enabled);
	s = find(d, "bycontext_vs");
	assert_string_equal(s->tls.client_profile, "/Partition2/site-clientssl");
	assert_null(s->tls.server_profile); /* tcp-lan-optimized is transport */
	/* TLS towards the members only: kept, and written back as it is */
	s = find(d, "aclf_serveronly_vs");
	assert_null(s->tls.client_profile);
	assert_string_equal(s->tls.server_profile, "/Common/serverssl");
	{
		struct aclf_buf out;
		struct aclf_err err;
		struct aclf_devpol one = *d;

		one.lb = (struct aclf_lb_service *)s;
		one.nlb = 1;
		aclf_err_init(&err);
		aclf_buf_init(&out, 0);
		if (bigip_render(&one, &out, &err) < 0)
			fail_msg("%s", aclf_err_text(&err));
		assert_non_null(strstr(out.buf, "profiles replace-all-with { tcp { } /Common/serverssl { "
						"context serverside } }"));
		aclf_buf_release(&out);
		aclf_err_release(&err);
	}
	/* strict reads the same (the profile by context is not missing) */
	d = parse_ok(pol, listed, true);
	assert_string_equal(find(d, "bycontext_vs")->tls.client_profile, "/Partition2/site-clientssl");

	d = parse_ok(pol, sni, false);
	s = find(d, "sni_vs");
	assert_non_null(s->opaque);
	assert_non_null(strstr(s->opaque, "several client-side TLS profiles"));
	assert_string_equal(s->raw, "/Common/a-clientssl /Common/b-clientssl");
	parse_fails(sni, true, 8, "several client-side TLS profiles");
	aclf_policy_free(pol);
}

/* A disabled virtual: aclforge's own (its name, or render's description)
 * reads exactly, as a disabled service; anyone else's is opaque. */
static void test_disabled_owned(void **state)
{
	static const char text[] =
		"ltm virtual /Common/aclf_fe-443_vs {\n"
		"    destination /Common/10.1.1.10:443\n"
		"    disabled\n"
		"    pool /Common/aclf_fe-443_pool\n"
		"}\n"
		"ltm virtual /Common/renamed_vs {\n"
		"    description \"aclforge name=fe-444\"\n"
		"    destination /Common/10.1.1.10:444\n"
		"    disabled\n"
		"    pool /Common/aclf_fe-444_pool\n"
		"}\n"
		"ltm virtual /Common/web_vs {\n"
		"    destination /Common/10.1.1.10:80\n"
		"    disabled\n"
		"    pool /Common/web_pool\n"
		"}\n"
		"ltm pool /Common/aclf_fe-443_pool { }\n"
		"ltm pool /Common/aclf_fe-444_pool { }\n"
		"ltm pool /Common/web_pool { }\n";
	struct aclf_policy *pol = aclf_policy_new();
	const struct aclf_devpol *d;

	(void)state;
	d = parse_ok(pol, text, false);
	assert_int_equal(d->nlb, 3);
	assert_true(d->lb[0].disabled);
	assert_null(d->lb[0].opaque);
	assert_true(d->lb[1].disabled);
	assert_null(d->lb[1].opaque);
	assert_false(d->lb[2].disabled);
	assert_string_equal(d->lb[2].opaque, "virtual is disabled: carries no new traffic");
	parse_fails(text, true, 14, "virtual is disabled");
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batfish_objects),
		cmocka_unit_test(test_batfish_virtual),
		cmocka_unit_test(test_batfish_strict),
		cmocka_unit_test(test_batfish_pool_members),
		cmocka_unit_test(test_lync_list),
		cmocka_unit_test(test_request_balancing),
		cmocka_unit_test(test_lync_list_strict),
		cmocka_unit_test(test_opaque_virtuals),
		cmocka_unit_test(test_opaque_several),
		cmocka_unit_test(test_partition_relative),
		cmocka_unit_test(test_service_names),
		cmocka_unit_test(test_command_forms),
		cmocka_unit_test(test_tokenizer),
		cmocka_unit_test(test_real_syntax),
		cmocka_unit_test(test_tmc),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_name_resolution),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_tls_profiles),
		cmocka_unit_test(test_disabled_owned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
