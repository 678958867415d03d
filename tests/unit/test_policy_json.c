/* Policy JSON writer/reader and text form: round trips, golden files
 * (golden.h: ACLF_REGEN=1 rewrites tests/fixtures/json/), and every reader
 * error path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "golden.h"

/* ---- building the reference policy ---- */

static void set_pset(struct aclf_policy *p, struct aclf_prefix_set *out, const char *const *list)
{
	struct aclf_prefix v[16];
	size_t n = 0;

	for (; list[n]; n++)
		assert_int_equal(aclf_prefix_parse(list[n], &v[n], false), 0);
	assert_int_equal(aclf_pset_merge(&p->arena, v, n, out), 0);
}

static void set_ports(struct aclf_policy *p, struct aclf_port_set *out,
		      const struct aclf_port_range *v, size_t n)
{
	assert_int_equal(aclf_ports_merge(&p->arena, v, n, out), 0);
}

static struct aclf_prefix host(const char *s)
{
	struct aclf_prefix h;

	assert_int_equal(aclf_prefix_parse(s, &h, false), 0);
	return h;
}

static const char *const ANY[] = { "0.0.0.0/0", "::/0", NULL };
static const char *const CLIENTS[] = { "10.20.0.0/16", "2001:db8:20::/48", NULL };
static const char *const FE[] = { "10.1.1.11/32", "10.1.1.12/32", "10.1.1.13/32", NULL };

static void build_ios(struct aclf_policy *p)
{
	static const struct aclf_port_range sip[] = { { 5061, 5061 } };
	static const struct aclf_port_range media[] = { { 50000, 59999 }, { 3478, 3478 } };
	struct aclf_devpol *d = aclf_policy_add_device(p, "core1", "ios");
	struct aclf_filter *f;
	struct aclf_rule *r;

	assert_non_null(d);
	f = aclf_devpol_add_filter(p, d, "LYNC-FE-IN");
	assert_non_null(f);
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = aclf_arena_strdup(&p->arena, "Vlan110");
	f->binding.direction = ACLF_DIR_IN;
	f->default_action = ACLF_DENY;

	r = aclf_filter_add_rule(p, f);
	r->id = "r0001";
	r->device_name = "10";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, CLIENTS);
	r->src_name = "clients";
	set_pset(p, &r->dst, FE);
	r->dst_name = "fe-berlin";
	set_ports(p, &r->dst_ports, sip, 1);
	r->hits = 42;
	assert_int_equal(aclf_rule_add_prov(p, r, "catalog", "server-03"), 0);
	assert_int_equal(aclf_rule_add_prov(p, r, "seed", "server:3"), 0);
	assert_int_equal(aclf_rule_add_prov(p, r, "pool", "fe-berlin"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0002";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, FE);
	set_pset(p, &r->dst, CLIENTS);
	set_ports(p, &r->src_ports, sip, 1);
	r->established = true;
	r->hits = 0;
	r->comment = "return traffic";
	assert_int_equal(aclf_rule_add_prov(p, r, "return-path", "r0001"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0003";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_UDP;
	set_pset(p, &r->src, (const char *const[]){ "2001:db8:20::/48", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "2001:db8:1::11", NULL });
	set_ports(p, &r->dst_ports, media, 2);
	assert_int_equal(aclf_rule_add_prov(p, r, "topology-rule", "0"), 0);

	r = aclf_filter_add_rule(p, f);
	r->id = "r0004";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_ICMP;
	set_pset(p, &r->src, ANY);
	set_pset(p, &r->dst, (const char *const[]){ "10.1.1.0/24", NULL });

	r = aclf_filter_add_rule(p, f);
	r->id = "r0005";
	r->action = ACLF_PERMIT;
	r->protocol = 47;
	set_pset(p, &r->src, (const char *const[]){ "192.0.2.1", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "0.0.0.0/0", NULL });

	r = aclf_filter_add_rule(p, f);
	r->id = "r0006";
	r->action = ACLF_DENY;
	r->protocol = ACLF_PROTO_ANY;
	set_pset(p, &r->src, ANY);
	set_pset(p, &r->dst, ANY);
	r->comment = "say \"no\"\nto the rest";
	assert_int_equal(aclf_rule_add_prov(p, r, "device", "deny ip any any"), 0);

	f = aclf_devpol_add_filter(p, d, "EMPTY");
	assert_non_null(f);
	f->default_action = ACLF_PERMIT;
}

static void build_nft(struct aclf_policy *p)
{
	static const struct aclf_port_range web[] = { { 443, 443 }, { 80, 80 } };
	struct aclf_devpol *d = aclf_policy_add_device(p, "fe01-host", "nftables");
	struct aclf_filter *f = aclf_devpol_add_filter(p, d, "input");
	struct aclf_rule *r;

	f->binding.kind = ACLF_BIND_CHAIN;
	f->binding.name = "input";
	f->default_action = ACLF_DENY;
	r = aclf_filter_add_rule(p, f);
	r->id = "r0001";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_ICMP6;
	set_pset(p, &r->src, (const char *const[]){ "::/0", NULL });
	set_pset(p, &r->dst, (const char *const[]){ "2001:db8:1::11", NULL });
	r = aclf_filter_add_rule(p, f);
	r->id = "r0002";
	r->action = ACLF_PERMIT;
	r->protocol = ACLF_PROTO_TCP;
	set_pset(p, &r->src, (const char *const[]){ "10.20.0.0/17", "10.20.128.0/17",
						     "10.30.0.0/22", NULL });
	r->src_name = "clients+phones";
	set_pset(p, &r->dst, (const char *const[]){ "10.1.1.11", NULL });
	set_ports(p, &r->dst_ports, web, 2);
}

static void build_lb(struct aclf_policy *p)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, "lb1", "bigip");
	struct aclf_lb_service *s;
	struct aclf_prefix a;

	s = aclf_devpol_add_lb(p, d, "aclf_fe-berlin_5061");
	s->pool_name = "aclf_fe-berlin_5061_pool";
	s->vip = host("10.1.1.10");
	s->protocol = ACLF_PROTO_TCP;
	s->port = 5061;
	a = host("10.1.1.11");
	assert_int_equal(aclf_lb_add_member(p, s, "fe01", &a, 5061), 0);
	a = host("10.1.1.12");
	assert_int_equal(aclf_lb_add_member(p, s, "fe02", &a, 5061), 0);
	a = host("10.1.1.13");
	assert_int_equal(aclf_lb_add_member(p, s, NULL, &a, 5061), 0);
	s->monitor.type = "tcp";
	s->monitor.port = 5061;
	s->monitor.interval = 5;
	s->monitor.timeout = 16;
	s->persistence.kind = ACLF_PERSIST_SOURCE_ADDR;
	s->persistence.mask_len = 32;
	s->persistence.timeout = 1800;
	s->snat = ACLF_SNAT_AUTOMAP;
	s->idle_timeout = 1800;
	s->lb_method = "least-connections-member";
	s->vlan = "internal";
	assert_int_equal(aclf_lb_add_prov(p, s, "catalog", "hlb-01"), 0);
	assert_int_equal(aclf_lb_add_prov(p, s, "seed", "hlb:1"), 0);
	assert_int_equal(aclf_lb_add_prov(p, s, "pool", "fe-berlin"), 0);

	s = aclf_devpol_add_lb(p, d, "aclf_web_443");
	s->pool_name = "aclf_web_443_pool";
	s->vip = host("2001:db8:1::10");
	s->protocol = ACLF_PROTO_TCP;
	s->port = 443;
	a = host("2001:db8:1::21");
	assert_int_equal(aclf_lb_add_member(p, s, "web01", &a, 4443), 0);
	s->monitor.type = "https";
	s->persistence.kind = ACLF_PERSIST_COOKIE;
	s->persistence.cookie_name = "MS-WSMAN";

	s = aclf_devpol_add_lb(p, d, "bare");
	s->vip = host("10.1.1.30");
	s->protocol = ACLF_PROTO_UDP;
	s->port = 53;
}

static struct aclf_policy *build_policy(void)
{
	struct aclf_policy *p = aclf_policy_new();

	assert_non_null(p);
	build_ios(p);
	build_nft(p);
	build_lb(p);
	return p;
}

/* ---- helpers ---- */

static char *to_json(const struct aclf_policy *p)
{
	struct aclf_buf b;
	struct aclf_err err;
	char *s;

	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	if (aclf_policy_to_json(p, &b, &err) < 0)
		fail_msg("to_json: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	s = aclf_buf_detach(&b, NULL);
	assert_non_null(s);
	return s;
}

static char *to_text(const struct aclf_policy *p)
{
	struct aclf_buf b;
	char *s;

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_policy_to_text(p, &b), 0);
	s = aclf_buf_detach(&b, NULL);
	assert_non_null(s);
	return s;
}

static struct aclf_policy *from_json_ok(const char *text)
{
	struct aclf_err err;
	struct aclf_policy *p;

	aclf_err_init(&err);
	p = aclf_policy_from_json(text, strlen(text), "t.json", &err);
	if (!p)
		fail_msg("from_json: %s", aclf_err_text(&err));
	assert_int_equal(err.count, 0);
	aclf_err_release(&err);
	return p;
}

/* ---- round trip and golden files ---- */

static void test_roundtrip_identical(void **state)
{
	struct aclf_policy *p = build_policy(), *q, *q2;
	char *a, *b, *c;

	(void)state;
	a = to_json(p);
	q = from_json_ok(a);
	b = to_json(q);
	assert_string_equal(a, b);
	q2 = from_json_ok(b);
	c = to_json(q2);
	assert_string_equal(b, c);
	assert_int_equal(a[strlen(a) - 1], '\n');
	free(a);
	free(b);
	free(c);
	aclf_policy_free(p);
	aclf_policy_free(q);
	aclf_policy_free(q2);
}

static void test_read_back_fields(void **state)
{
	struct aclf_policy *p = build_policy(), *q;
	const struct aclf_devpol *d;
	const struct aclf_rule *r;
	const struct aclf_lb_service *s;
	char *a, tmp[ACLF_PREFIX_STRLEN];

	(void)state;
	a = to_json(p);
	q = from_json_ok(a);
	assert_int_equal(q->ndevices, 3);
	d = aclf_policy_find_device(q, "core1");
	assert_non_null(d);
	assert_string_equal(d->driver, "ios");
	assert_int_equal(d->nfilters, 2);
	assert_int_equal(d->filters[0].binding.kind, ACLF_BIND_INTERFACE);
	assert_string_equal(d->filters[0].binding.name, "Vlan110");
	assert_int_equal(d->filters[0].binding.direction, ACLF_DIR_IN);
	assert_int_equal(d->filters[0].default_action, ACLF_DENY);
	assert_int_equal(d->filters[1].default_action, ACLF_PERMIT);
	assert_int_equal(d->filters[1].binding.kind, ACLF_BIND_NONE);
	assert_null(d->filters[1].binding.name);
	assert_int_equal(d->filters[1].nrules, 0);
	r = &d->filters[0].rules[0];
	assert_string_equal(r->id, "r0001");
	assert_string_equal(r->device_name, "10");
	assert_int_equal(r->hits, 42);
	assert_string_equal(r->src_name, "clients");
	assert_true(aclf_pset_equal(&r->src, &p->devices[0].filters[0].rules[0].src));
	assert_int_equal(r->src.n, 2);
	aclf_prefix_format(&r->src.v[1], tmp, sizeof(tmp));
	assert_string_equal(tmp, "2001:db8:20::/48");
	assert_int_equal(r->dst_ports.n, 1);
	assert_int_equal(r->dst_ports.v[0].lo, 5061);
	assert_int_equal(r->src_ports.n, 0);
	assert_int_equal(r->nprov, 3);
	assert_string_equal(r->prov[1].kind, "seed");
	assert_string_equal(r->prov[1].ref, "server:3");
	r = &d->filters[0].rules[1];
	assert_true(r->established);
	assert_int_equal(r->hits, 0);
	assert_null(r->device_name);
	assert_string_equal(r->comment, "return traffic");
	r = &d->filters[0].rules[2];
	assert_int_equal(r->hits, -1);
	assert_int_equal(r->dst_ports.n, 2);
	assert_int_equal(r->dst_ports.v[0].lo, 3478);
	assert_int_equal(r->dst_ports.v[1].hi, 59999);
	assert_int_equal(d->filters[0].rules[4].protocol, 47);
	assert_string_equal(d->filters[0].rules[5].comment, "say \"no\"\nto the rest");

	d = aclf_policy_find_device(q, "fe01-host");
	assert_non_null(d);
	r = &d->filters[0].rules[1];
	assert_int_equal(r->src.n, 2); /* two /17 merged into the /16 on build */
	assert_int_equal(d->filters[0].binding.kind, ACLF_BIND_CHAIN);
	assert_int_equal(d->filters[0].binding.direction, ACLF_DIR_NONE);

	d = aclf_policy_find_device(q, "lb1");
	assert_non_null(d);
	assert_int_equal(d->nlb, 3);
	s = &d->lb[0];
	assert_string_equal(s->pool_name, "aclf_fe-berlin_5061_pool");
	assert_int_equal(aclf_prefix_cmp(&s->vip, &p->devices[2].lb[0].vip), 0);
	assert_int_equal(s->nmembers, 3);
	assert_string_equal(s->members[0].name, "fe01");
	assert_null(s->members[2].name);
	assert_int_equal(s->members[2].port, 5061);
	assert_string_equal(s->monitor.type, "tcp");
	assert_int_equal(s->monitor.port, 5061);
	assert_int_equal(s->monitor.interval, 5);
	assert_int_equal(s->monitor.timeout, 16);
	assert_int_equal(s->persistence.kind, ACLF_PERSIST_SOURCE_ADDR);
	assert_int_equal(s->persistence.mask_len, 32);
	assert_int_equal(s->persistence.timeout, 1800);
	assert_null(s->persistence.cookie_name);
	assert_int_equal(s->snat, ACLF_SNAT_AUTOMAP);
	assert_int_equal(s->idle_timeout, 1800);
	assert_string_equal(s->lb_method, "least-connections-member");
	assert_string_equal(s->vlan, "internal");
	assert_int_equal(s->nprov, 3);
	s = &d->lb[1];
	assert_int_equal(s->vip.family, 6);
	assert_int_equal(s->vip.len, 128);
	assert_string_equal(s->persistence.cookie_name, "MS-WSMAN");
	assert_null(s->lb_method);
	assert_null(s->vlan);
	s = &d->lb[2];
	assert_null(s->monitor.type);
	assert_null(s->pool_name);
	assert_int_equal(s->protocol, ACLF_PROTO_UDP);
	assert_int_equal(s->nmembers, 0);
	free(a);
	aclf_policy_free(p);
	aclf_policy_free(q);
}

static void test_golden_json(void **state)
{
	struct aclf_policy *p = build_policy();
	char *a = to_json(p);

	(void)state;
	golden_check("json", "full.json", a);
	free(a);
	aclf_policy_free(p);
}

/* The committed golden file reads and writes back unchanged. */
static void test_golden_file_reads_back(void **state)
{
	char *path = golden_path("json", "full.json");
	struct aclf_buf in;
	struct aclf_policy *p;
	char *a;

	(void)state;
	aclf_buf_init(&in, 0);
	assert_int_equal(aclf_buf_read_file(&in, path), 0);
	p = from_json_ok(in.buf);
	a = to_json(p);
	assert_string_equal(a, in.buf);
	free(a);
	free(path);
	aclf_policy_free(p);
	aclf_buf_release(&in);
}

static void test_golden_text(void **state)
{
	struct aclf_policy *p = build_policy();
	char *t = to_text(p), *t2 = to_text(p);

	(void)state;
	assert_string_equal(t, t2); /* deterministic */
	golden_check("json", "full.txt", t);
	free(t);
	free(t2);
	aclf_policy_free(p);
}

static void test_text_lines(void **state)
{
	struct aclf_policy *p = build_policy();
	char *t = to_text(p);

	(void)state;
	assert_non_null(strstr(t, "device core1 (ios): 2 filters, 0 lb services\n"));
	assert_non_null(strstr(t, "  filter LYNC-FE-IN on interface Vlan110 in, default deny, 6 rules\n"));
	assert_non_null(strstr(t, "    r0001 [10] permit tcp clients(2) -> fe-berlin(2) dport 5061 hits 42"
				  " # server-03 (server:3) pool fe-berlin\n"));
	assert_non_null(strstr(t, "    r0002 permit tcp 10.1.1.11/32,10.1.1.12/31 sport 5061"
				  " -> 10.20.0.0/16,2001:db8:20::/48 established hits 0"
				  " # return-path r0001 -- \"return traffic\"\n"));
	assert_non_null(strstr(t, "    r0004 permit icmp any -> 10.1.1.0/24\n"));
	assert_non_null(strstr(t, "    r0005 permit 47 192.0.2.1/32 -> any4\n"));
	assert_non_null(strstr(t, "\"say \\\"no\\\"\\nto the rest\"\n")); /* one line */
	assert_non_null(strstr(t, "  filter EMPTY unbound, default permit, 0 rules\n"));
	assert_non_null(strstr(t, "    r0001 permit icmp6 any6 -> 2001:db8:1::11/128\n"));
	assert_non_null(strstr(t, "    r0002 permit tcp clients+phones(2) -> 10.1.1.11/32"
				  " dport 80,443\n"));
	assert_non_null(strstr(t, "  lb aclf_fe-berlin_5061 10.1.1.10:5061 tcp"
				  " pool aclf_fe-berlin_5061_pool"
				  " -> fe01 10.1.1.11:5061, fe02 10.1.1.12:5061, 10.1.1.13:5061"
				  " monitor tcp:5061 every 5s timeout 16s persist source-addr/32 1800s"
				  " snat automap idle 1800s method least-connections-member vlan internal"
				  " # hlb-01 (hlb:1) pool fe-berlin\n"));
	assert_non_null(strstr(t, "  lb aclf_web_443 [2001:db8:1::10]:443 tcp pool aclf_web_443_pool"
				  " -> web01 [2001:db8:1::21]:4443 monitor https persist cookie MS-WSMAN\n"));
	assert_non_null(strstr(t, "  lb bare 10.1.1.30:53 udp -> no members\n"));
	free(t);
	aclf_policy_free(p);
}

static void test_text_empty(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_buf b;

	(void)state;
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_policy_to_text(p, &b), 0);
	assert_string_equal(b.buf, "no devices\n");
	aclf_buf_release(&b);
	aclf_policy_free(p);
}

static void test_json_empty_policy(void **state)
{
	struct aclf_policy *p = aclf_policy_new(), *q;
	char *a;

	(void)state;
	a = to_json(p);
	assert_string_equal(a, "{\n  \"devices\": []\n}\n");
	q = from_json_ok(a);
	assert_int_equal(q->ndevices, 0);
	free(a);
	aclf_policy_free(p);
	aclf_policy_free(q);
}

/* The writer appends to what the buffer already holds. */
static void test_json_appends(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_buf b;
	struct aclf_err err;

	(void)state;
	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	aclf_buf_puts(&b, "x");
	assert_int_equal(aclf_policy_to_json(p, &b, &err), 0);
	assert_string_equal(b.buf, "x{\n  \"devices\": []\n}\n");
	aclf_buf_release(&b);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

static void test_write_invalid_utf8(void **state)
{
	struct aclf_policy *p = build_policy();
	struct aclf_buf b;
	struct aclf_err err;

	(void)state;
	p->devices[0].filters[0].rules[1].comment = "caf\xe9";
	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	aclf_buf_puts(&b, "keep");
	assert_int_equal(aclf_policy_to_json(p, &b, &err), -1);
	assert_string_equal(b.buf, "keep");
	assert_string_equal(aclf_err_text(&err),
			    "devices[0].filters[0].rules[1].comment: string is not valid utf-8");
	aclf_buf_release(&b);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

static void test_write_over_cap(void **state)
{
	struct aclf_policy *p = build_policy();
	struct aclf_buf b;
	struct aclf_err err;

	(void)state;
	aclf_buf_init(&b, 100);
	aclf_err_init(&err);
	assert_int_equal(aclf_policy_to_json(p, &b, &err), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(err.kind, ACLF_E_NOMEM);
	assert_int_equal(aclf_policy_to_text(p, &b), -1);
	assert_int_equal(b.len, 0);
	aclf_buf_release(&b);
	aclf_err_release(&err);
	aclf_policy_free(p);
}

/* ---- reader: accepted forms ---- */

static void test_read_merges_and_defaults(void **state)
{
	struct aclf_policy *p;
	const struct aclf_rule *r;
	char tmp[ACLF_PREFIX_STRLEN];

	(void)state;
	p = from_json_ok("{\"devices\": [{\"name\": \"d\", \"driver\": \"nftables\",\n"
			 " \"filters\": [{\"name\": \"f\", \"default_action\": \"deny\", \"rules\": [\n"
			 "  {\"id\": \"a\", \"action\": \"permit\", \"protocol\": \"gre\",\n"
			 "   \"src\": [\"10.0.0.0/25\", \"10.0.0.128/25\", \"10.0.0.5\"],\n"
			 "   \"dst\": [\"2001:db8::1\"],\n"
			 "   \"dst_ports\": [[10, 20], [15, 30], [31, 31]],\n"
			 "   \"device_name\": null, \"comment\": null, \"hits\": null},\n"
			 "  {\"id\": null, \"action\": \"deny\", \"protocol\": 132,\n"
			 "   \"src\": [\"0.0.0.0/0\"], \"dst\": [\"::/0\"]}]}]}]}");
	r = &p->devices[0].filters[0].rules[0];
	assert_int_equal(r->protocol, 47);
	assert_int_equal(r->src.n, 1);
	aclf_prefix_format(&r->src.v[0], tmp, sizeof(tmp));
	assert_string_equal(tmp, "10.0.0.0/24");
	aclf_prefix_format(&r->dst.v[0], tmp, sizeof(tmp));
	assert_string_equal(tmp, "2001:db8::1/128");
	assert_int_equal(r->dst_ports.n, 1);
	assert_int_equal(r->dst_ports.v[0].lo, 10);
	assert_int_equal(r->dst_ports.v[0].hi, 31);
	assert_int_equal(r->src_ports.n, 0);
	assert_false(r->established);
	assert_int_equal(r->hits, -1);
	assert_null(r->device_name);
	assert_null(r->comment);
	assert_int_equal(r->nprov, 0);
	r = &p->devices[0].filters[0].rules[1];
	assert_null(r->id);
	assert_int_equal(r->protocol, 132);
	assert_int_equal(p->devices[0].filters[0].binding.kind, ACLF_BIND_NONE);
	assert_int_equal(p->devices[0].nlb, 0);
	aclf_policy_free(p);

	/* lb: vip may carry /32, monitor null, defaults */
	p = from_json_ok("{\"devices\": [{\"name\": \"lb\", \"driver\": \"bigip\", \"lb_services\": [\n"
			 " {\"name\": \"s\", \"vip\": \"10.0.0.1/32\", \"protocol\": \"tcp\", \"port\": 443,\n"
			 "  \"monitor\": null, \"members\": [{\"address\": \"10.0.0.2\", \"port\": 443}]}]}]}");
	assert_int_equal(p->devices[0].lb[0].vip.len, 32);
	assert_null(p->devices[0].lb[0].monitor.type);
	assert_int_equal(p->devices[0].lb[0].persistence.kind, ACLF_PERSIST_NONE);
	assert_int_equal(p->devices[0].lb[0].snat, ACLF_SNAT_NONE);
	assert_null(p->devices[0].lb[0].members[0].name);
	aclf_policy_free(p);
}

/* ---- reader: errors ---- */

/* The reference document with one value replaced: rule 0 of filter 0 of
 * device 0, lb 0 of device 2, or the root. */
enum where { W_ROOT, W_DEVICE, W_FILTER, W_RULE, W_LB, W_MEMBER };

static char *mutated(enum where w, const char *key, json_t *value)
{
	struct aclf_policy *p = build_policy();
	char *base = to_json(p), *out;
	json_t *root = json_loads(base, 0, NULL), *o = root;

	assert_non_null(root);
	switch (w) {
	case W_ROOT:
		break;
	case W_DEVICE:
		o = json_array_get(json_object_get(root, "devices"), 0);
		break;
	case W_FILTER:
	case W_RULE:
		o = json_array_get(json_object_get(root, "devices"), 0);
		o = json_array_get(json_object_get(o, "filters"), 0);
		if (w == W_RULE)
			o = json_array_get(json_object_get(o, "rules"), 0);
		break;
	case W_LB:
	case W_MEMBER:
		o = json_array_get(json_object_get(root, "devices"), 2);
		o = json_array_get(json_object_get(o, "lb_services"), 0);
		if (w == W_MEMBER)
			o = json_array_get(json_object_get(o, "members"), 1);
		break;
	}
	assert_non_null(o);
	if (value)
		assert_int_equal(json_object_set_new(o, key, value), 0);
	else
		assert_int_equal(json_object_del(o, key), 0);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(out);
	json_decref(root);
	free(base);
	aclf_policy_free(p);
	return out;
}

/* Reading must fail with exactly this message (all lines). */
static void expect_error(const char *text, size_t len, const char *want)
{
	struct aclf_err err;
	struct aclf_policy *p;

	aclf_err_init(&err);
	p = aclf_policy_from_json(text, len, "x.json", &err);
	if (p) {
		aclf_policy_free(p);
		fail_msg("accepted; wanted error: %s", want);
	}
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(err.file);
	assert_string_equal(err.file, "x.json");
	assert_string_equal(aclf_err_text(&err), want);
	aclf_err_release(&err);
}

static void expect_mutated(enum where w, const char *key, json_t *value, const char *want)
{
	char *text = mutated(w, key, value);

	expect_error(text, strlen(text), want);
	free(text);
}

#define RULE0 "x.json: devices[0].filters[0].rules[0]"
#define LB0 "x.json: devices[2].lb_services[0]"

static void test_err_prefixes(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "dst", json_pack("[sss]", "10.1.1.11", "10.1.1.12", "10.0.0.300"),
		       RULE0 ".dst[2]: expected a prefix, found \"10.0.0.300\"");
	expect_mutated(W_RULE, "src", json_pack("[s]", "10.1.1.1/8"),
		       RULE0 ".src[0]: host bits set in prefix \"10.1.1.1/8\"");
	expect_mutated(W_RULE, "src", json_pack("[i]", 10),
		       RULE0 ".src[0]: expected a prefix, found 10");
	expect_mutated(W_RULE, "src", json_pack("[s]", "2001:db8::/129"),
		       RULE0 ".src[0]: expected a prefix, found \"2001:db8::/129\"");
	expect_mutated(W_RULE, "src", json_string("10.0.0.0/8"),
		       RULE0 ".src: expected a list, found \"10.0.0.0/8\"");
	expect_mutated(W_RULE, "dst", json_array(),
		       RULE0 ".dst: expected a non-empty list of prefixes"
			     " (any is \"0.0.0.0/0\" and \"::/0\")");
	expect_mutated(W_RULE, "src", NULL, RULE0 ": missing key \"src\"");
}

static void test_err_ports(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "dst_ports", json_pack("[[ii]]", 5, 3),
		       RULE0 ".dst_ports[0]: port range [5, 3] is reversed");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[ii]]", 70000, 70000),
		       RULE0 ".dst_ports[0][0]: port 70000 is out of range 0-65535\n"
		       RULE0 ".dst_ports[0][1]: port 70000 is out of range 0-65535");
	expect_mutated(W_RULE, "src_ports", json_pack("[[ii][ii]]", 1, 2, -1, 4),
		       RULE0 ".src_ports[1][0]: port -1 is out of range 0-65535");
	expect_mutated(W_RULE, "dst_ports", json_pack("[i]", 5061),
		       RULE0 ".dst_ports[0]: expected a [lo, hi] port range, found 5061");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[iii]]", 1, 2, 3),
		       RULE0 ".dst_ports[0]: expected a [lo, hi] port range, found an array");
	expect_mutated(W_RULE, "dst_ports", json_pack("[[fi]]", 5061.0, 5061),
		       RULE0 ".dst_ports[0][0]: expected a port number, found 5061.0");
	expect_mutated(W_RULE, "dst_ports", json_pack("{}"),
		       RULE0 ".dst_ports: expected a list, found an object");
}

static void test_err_keys_and_types(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "colour", json_string("red"), RULE0 ": unknown key \"colour\"");
	expect_mutated(W_ROOT, "version", json_integer(1), "x.json: unknown key \"version\"");
	expect_mutated(W_DEVICE, "host", json_string("10.0.0.1"),
		       "x.json: devices[0]: unknown key \"host\"");
	expect_mutated(W_RULE, "established", json_string("yes"),
		       RULE0 ".established: expected true or false, found \"yes\"");
	expect_mutated(W_RULE, "protocol", json_true(),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found true");
	expect_mutated(W_RULE, "protocol", json_integer(256),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found 256");
	expect_mutated(W_RULE, "protocol", json_string("tcpx"),
		       RULE0 ".protocol: expected a protocol name or number 0-255, found \"tcpx\"");
	expect_mutated(W_RULE, "action", json_string("allow"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found \"allow\"");
	expect_mutated(W_RULE, "action", NULL, RULE0 ": missing key \"action\"");
	expect_mutated(W_RULE, "hits", json_integer(-5),
		       RULE0 ".hits: -5 is out of range 0-9223372036854775807");
	expect_mutated(W_RULE, "hits", json_real(1.5),
		       RULE0 ".hits: expected an integer, found 1.5");
	expect_mutated(W_RULE, "comment", json_integer(7),
		       RULE0 ".comment: expected a string, found 7");
	expect_mutated(W_RULE, "provenance", json_pack("[{ss}]", "kind", "seed"),
		       RULE0 ".provenance[0]: missing key \"ref\"");
	expect_mutated(W_RULE, "provenance", json_pack("[{sssssi}]", "kind", "seed", "ref", "x",
						       "row", 3),
		       RULE0 ".provenance[0]: unknown key \"row\"");
	expect_mutated(W_FILTER, "binding", json_pack("{ssss}", "kind", "vlan", "name", "x"),
		       "x.json: devices[0].filters[0].binding.kind: expected one of \"none\", "
		       "\"interface\", \"chain\", found \"vlan\"");
	expect_mutated(W_FILTER, "default_action", json_null(),
		       "x.json: devices[0].filters[0].default_action: expected one of \"permit\", "
		       "\"deny\", found null");
	expect_mutated(W_FILTER, "rules", json_string("none"),
		       "x.json: devices[0].filters[0].rules: expected a list, found \"none\"");
	expect_mutated(W_DEVICE, "driver", NULL, "x.json: devices[0]: missing key \"driver\"");
	expect_mutated(W_ROOT, "devices", json_object(),
		       "x.json: devices: expected a list, found an object");
	/* long strings are cut in messages; control characters escaped */
	expect_mutated(W_RULE, "action", json_string("a\tb"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found \"a\\u0009b\"");
	expect_mutated(W_RULE, "action",
		       json_string("0123456789012345678901234567890123456789012345678901234567890123456789"),
		       RULE0 ".action: expected one of \"permit\", \"deny\", found "
			     "\"0123456789012345678901234567890123456789012345678901234567890123\"...");
}

static void test_err_lb(void **state)
{
	(void)state;
	expect_mutated(W_LB, "port", json_integer(70000),
		       LB0 ".port: 70000 is out of range 0-65535");
	expect_mutated(W_LB, "vip", json_string("10.1.1.0/24"),
		       LB0 ".vip: expected an address, found \"10.1.1.0/24\"");
	expect_mutated(W_MEMBER, "address", json_string("fe02"),
		       LB0 ".members[1].address: expected an address, found \"fe02\"");
	expect_mutated(W_MEMBER, "weight", json_integer(2),
		       LB0 ".members[1]: unknown key \"weight\"");
	expect_mutated(W_LB, "monitor", json_string("tcp"),
		       LB0 ".monitor: expected an object, found \"tcp\"");
	expect_mutated(W_LB, "monitor", json_pack("{si}", "port", 80),
		       LB0 ".monitor: missing key \"type\"");
	expect_mutated(W_LB, "persistence", json_pack("{sssi}", "kind", "source-addr", "mask_len", 200),
		       LB0 ".persistence.mask_len: 200 is out of range 0-128");
	expect_mutated(W_LB, "snat", json_string("snatpool"),
		       LB0 ".snat: expected one of \"none\", \"automap\", found \"snatpool\"");
	expect_mutated(W_LB, "idle_timeout", json_integer(-1),
		       LB0 ".idle_timeout: -1 is out of range 0-4294967295");
	expect_mutated(W_LB, "name", json_string("aclf_web_443"),
		       "x.json: devices[2].lb_services[1].name: duplicate lb service \"aclf_web_443\"");
}

static void test_err_duplicates(void **state)
{
	(void)state;
	expect_mutated(W_RULE, "id", json_string("r0002"),
		       "x.json: devices[0].filters[0].rules[1].id: duplicate rule id \"r0002\"");
	expect_mutated(W_DEVICE, "name", json_string("lb1"),
		       "x.json: devices[2].name: duplicate device \"lb1\"");
	expect_mutated(W_FILTER, "name", json_string("EMPTY"),
		       "x.json: devices[0].filters[1].name: duplicate filter \"EMPTY\"");
}

static void test_err_syntax(void **state)
{
	struct aclf_policy *p = build_policy();
	char *a = to_json(p);
	struct aclf_err err;
	size_t half = strlen(a) / 2;
	unsigned lines = 1;

	(void)state;
	for (size_t i = 0; i < half; i++)
		lines += a[i] == '\n';
	/* truncated in the middle: the position of the end of the input */
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json(a, half, "x.json", &err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_int_equal(err.line, lines);
	assert_true(err.col >= 1);
	assert_non_null(strstr(aclf_err_text(&err), "invalid json"));
	assert_int_equal(strncmp(aclf_err_text(&err), "x.json:", 7), 0);
	aclf_err_release(&err);

	expect_error("{\n  \"devices\": [\n    {,\n", 24,
		     "x.json:3:6: invalid json: string or '}' expected near ','");
	expect_error("{\"devices\": [], \"devices\": []}", 30,
		     "x.json:1:25: invalid json: duplicate object key near '\"devices\"'");
	expect_error("", 0, "x.json:1:1: invalid json: '[' or '{' expected near end of file");
	expect_error(NULL, 0, "x.json:1:1: invalid json: '[' or '{' expected near end of file");
	expect_error("{\"devices\": []} x", 17,
		     "x.json:1:17: invalid json: end of file expected near 'x'");
	expect_error("{\"devices\": [\"\\u0000\"]}", 23,
		     "x.json:1:21: invalid json: \\u0000 is not allowed without JSON_ALLOW_NUL"
		     " near '\"\\u0000\"'");
	expect_error("[1]", 3, "x.json: expected an object with \"devices\", found an array");
	expect_error("{}", 2, "x.json: missing key \"devices\"");
	expect_error("{\"devices\": [1]}", 16, "x.json: devices[0]: expected an object, found 1");
	/* without a name */
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json("{", 1, NULL, &err));
	assert_non_null(strstr(aclf_err_text(&err), "<input>:1:1: invalid json"));
	aclf_err_release(&err);
	free(a);
	aclf_policy_free(p);
}

/* Several errors are collected, up to a limit. */
static void test_err_collected(void **state)
{
	json_t *root = json_pack("{s[{ssss}]}", "devices", "name", "d", "driver", "ios");
	json_t *rules = json_array();
	struct aclf_err err;
	char *text;

	(void)state;
	assert_non_null(root);
	assert_non_null(rules);
	json_array_append_new(rules, json_pack("{sssssss[s]s[s]}", "id", "a", "action", "permit",
					       "protocol", "tcp", "src", "10.0.0.300", "dst", "any"));
	for (int i = 0; i < 30; i++)
		json_array_append_new(rules, json_pack("{ss}", "id", "x"));
	json_object_set_new(json_array_get(json_object_get(root, "devices"), 0), "filters",
			    json_pack("[{ssssso}]", "name", "f", "default_action", "deny", "rules",
				      rules));
	assert_int_equal(json_array_size(rules), 31);
	text = json_dumps(root, 0);
	assert_non_null(text);
	json_decref(root);
	aclf_err_init(&err);
	assert_null(aclf_policy_from_json(text, strlen(text), "x.json", &err));
	assert_int_equal(err.count, 21); /* 20 errors + the "stopped" note */
	assert_non_null(strstr(aclf_err_text(&err),
			       "x.json: devices[0].filters[0].rules[0].src[0]: expected a prefix, "
			       "found \"10.0.0.300\"\n"
			       "x.json: devices[0].filters[0].rules[0].dst[0]: expected a prefix, "
			       "found \"any\"\n"
			       "x.json: devices[0].filters[0].rules[1]: missing key \"action\"\n"));
	assert_non_null(strstr(aclf_err_text(&err), "\nx.json: too many errors, stopped after 20"));
	aclf_err_release(&err);
	free(text);
}

/* An error appended to a caller's earlier error chains without losing it. */
static void test_err_chains(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_err_set(&err, ACLF_E_INPUT, "earlier");
	assert_null(aclf_policy_from_json("{\"devices\": 1}", 14, "x.json", &err));
	assert_string_equal(aclf_err_text(&err),
			    "earlier\nx.json: devices: expected a list, found 1");
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_identical),
		cmocka_unit_test(test_read_back_fields),
		cmocka_unit_test(test_golden_json),
		cmocka_unit_test(test_golden_file_reads_back),
		cmocka_unit_test(test_golden_text),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_text_empty),
		cmocka_unit_test(test_json_empty_policy),
		cmocka_unit_test(test_json_appends),
		cmocka_unit_test(test_write_invalid_utf8),
		cmocka_unit_test(test_write_over_cap),
		cmocka_unit_test(test_read_merges_and_defaults),
		cmocka_unit_test(test_err_prefixes),
		cmocka_unit_test(test_err_ports),
		cmocka_unit_test(test_err_keys_and_types),
		cmocka_unit_test(test_err_lb),
		cmocka_unit_test(test_err_duplicates),
		cmocka_unit_test(test_err_syntax),
		cmocka_unit_test(test_err_collected),
		cmocka_unit_test(test_err_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
