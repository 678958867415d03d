/* Policy JSON writer and text form: round trips, golden files (golden.h:
 * ACLF_REGEN=1 rewrites tests/fixtures/json/), the text lines, and the
 * writer's own errors. The reader's accepted forms and every reader error
 * path are in test_policy_json_read.c; the reference policy both use is
 * policy_json_ref.h. */
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
#include "aclforge/policy_json.h"
#include "golden.h"
#include "policy_json_ref.h"

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
	assert_false(s->request.enabled);
	assert_int_equal(s->nprov, 3);
	s = &d->lb[1];
	assert_int_equal(s->vip.family, 6);
	assert_int_equal(s->vip.len, 128);
	assert_string_equal(s->persistence.cookie_name, "MS-WSMAN");
	assert_true(s->request.enabled);
	assert_int_equal(s->request.reuse_mask_len, 128);
	assert_string_equal(s->tls.client_profile, "/Common/web-clientssl");
	assert_string_equal(s->tls.server_profile, "/Common/serverssl");
	assert_true(s->disabled);
	assert_false(d->lb[0].disabled);
	assert_null(d->lb[0].tls.client_profile);
	assert_null(d->lb[0].tls.server_profile);
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
	assert_non_null(strstr(t, "    r0001 [10] permit tcp clients (2 prefixes) -> fe-berlin (2 prefixes) dport 5061 hits 42"
				  " # server-03 (server:3) pool fe-berlin\n"));
	assert_non_null(strstr(t, "    r0002 permit tcp 10.1.1.11/32,10.1.1.12/31 sport 5061"
				  " -> 10.20.0.0/16,2001:db8:20::/48 established hits 0"
				  " # return-path r0001 -- \"return traffic\"\n"));
	assert_non_null(strstr(t, "    r0004 permit icmp any -> 10.1.1.0/24\n"));
	assert_non_null(strstr(t, "    r0005 permit 47 192.0.2.1/32 -> any4\n"));
	assert_non_null(strstr(t, "\"say \\\"no\\\"\\nto the rest\"\n")); /* one line */
	assert_non_null(strstr(t, "  filter EMPTY unbound, default permit, 0 rules\n"));
	assert_non_null(strstr(t, "    r0001 permit icmp6 any6 -> 2001:db8:1::11/128\n"));
	assert_non_null(strstr(t, "    r0002 permit tcp clients+phones (2 prefixes) -> 10.1.1.11/32"
				  " dport 80,443\n"));
	assert_non_null(strstr(t, "  lb aclf_fe-berlin_5061 10.1.1.10:5061 tcp"
				  " pool aclf_fe-berlin_5061_pool"
				  " -> fe01 10.1.1.11:5061, fe02 10.1.1.12:5061, 10.1.1.13:5061"
				  " monitor tcp:5061 every 5s timeout 16s persist source-addr/32 1800s"
				  " snat automap idle 1800s method least-connections-member vlan internal"
				  " # hlb-01 (hlb:1) pool fe-berlin\n"));
	assert_non_null(strstr(t, "  lb aclf_web_443 [2001:db8:1::10]:443 tcp pool aclf_web_443_pool"
				  " -> web01 [2001:db8:1::21]:4443 monitor https persist cookie MS-WSMAN"
				  " per-request reuse/128 tls /Common/web-clientssl -> /Common/serverssl"
				  " disabled\n"));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
