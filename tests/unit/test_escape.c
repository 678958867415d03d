/* Text for people never carries a control character it did not write
 * itself: the escaping helper (src/base/buf.c) and the printers that quote
 * outside strings (errors, policy text, diff report, compile warnings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"

/* The only control character text output may hold is the newline that
 * ends each of its lines; there are exactly `lines` of them. */
static void assert_clean(const char *s, size_t lines)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			n++;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control character 0x%02x in: %s", *p, s);
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("C1 control in: %s", s);
	}
	if (n != lines)
		fail_msg("%zu lines, expected %zu: %s", n, lines, s);
}

static void expect(const char *in, bool quoted, const char *want)
{
	struct aclf_buf b;

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_puts_escaped(&b, in, quoted), 0);
	assert_string_equal(b.buf, want);
	aclf_buf_release(&b);
}

static void test_helper(void **state)
{
	(void)state;
	expect("plain text, 5061/tcp", false, "plain text, 5061/tcp");
	expect("a\nb\r\tc", false, "a\\nb\\r\\tc");
	expect("\x1b[31mred\x1b[0m", false, "\\x1b[31mred\\x1b[0m");
	expect("del\x7f", false, "del\\x7f");
	/* UTF-8 text stays; C1 controls (CSI U+009B) and stray bytes do not */
	expect("Vermittlungsdienst \xc3\xa4\xe2\x82\xac", false, "Vermittlungsdienst \xc3\xa4\xe2\x82\xac");
	expect("x\xc2\x9b" "31m", false, "x\\u009b31m");
	expect("x\x9b" "y\xff", false, "x\\x9by\\xff");
	expect("say \"hi\" \\ bye", false, "say \"hi\" \\ bye");
	expect("say \"hi\" \\ bye", true, "say \\\"hi\\\" \\\\ bye");
}

static void test_printf(void **state)
{
	struct aclf_buf b;

	(void)state;
	aclf_buf_init(&b, 0);
	/* one line: its own final newline stays, the arguments' are escaped */
	assert_int_equal(aclf_buf_printf_escaped(&b, "site rule %d: %s\n", 3, "why\nforged line"), 0);
	assert_string_equal(b.buf, "site rule 3: why\\nforged line\n");
	assert_clean(b.buf, 1);
	assert_int_equal(aclf_buf_printf_escaped(&b, "%s", "tail\n"), 0);
	assert_string_equal(b.buf, "site rule 3: why\\nforged line\ntail\n");
	aclf_buf_release(&b);
}

static void test_errors(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_err_set(&err, ACLF_E_INPUT, "cannot read '%s': %s", "a\nb.cfg", "No such file");
	aclf_err_at(&err, "x\r.cfg", 3, 7, "expected %s, got '%s'", "a port", "\x1b]0;title\x07");
	assert_string_equal(aclf_err_text(&err), "cannot read 'a\\nb.cfg': No such file\n"
						 "x\\r.cfg:3:7: expected a port, got '\\x1b]0;title\\x07'");
	assert_clean(aclf_err_text(&err), 1);
	aclf_err_release(&err);
}

/* Names as hostile as a topology or device text can make them. */
#define EVIL "\n\x1b[2J\r\xc2\x9b"

static struct aclf_prefix_set one(struct aclf_policy *p, const char *s)
{
	struct aclf_prefix_set set = { aclf_arena_alloc(&p->arena, sizeof(struct aclf_prefix)), 1 };

	assert_non_null(set.v);
	assert_int_equal(aclf_prefix_parse(s, set.v, false), 0);
	return set;
}

/* A device with one filter and one rule, and (lb) one lb service, every
 * name carrying EVIL. */
static struct aclf_devpol *evil_device(struct aclf_policy *p, bool rule, bool lb)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, "dev" EVIL, "ios");
	struct aclf_filter *f = aclf_devpol_add_filter(p, d, "F" EVIL);
	struct aclf_rule *r;

	assert_non_null(f);
	f->binding = (struct aclf_binding){ ACLF_BIND_INTERFACE, "Vlan" EVIL, ACLF_DIR_IN };
	f->default_action = ACLF_DENY;
	if (rule) {
		assert_non_null(r = aclf_filter_add_rule(p, f));
		r->id = "r" EVIL;
		r->device_name = "10" EVIL;
		r->action = ACLF_PERMIT;
		r->protocol = ACLF_PROTO_TCP;
		r->src = one(p, "10.20.0.0/16");
		r->dst = one(p, "10.1.1.11");
		r->src_name = "clients" EVIL;
		r->comment = "remark" EVIL "\"quoted\"";
		r->hits = -1;
		assert_int_equal(aclf_rule_add_prov(p, r, "topology-rule" EVIL, "2" EVIL), 0);
	}
	if (lb) {
		struct aclf_lb_service *l = aclf_devpol_add_lb(p, d, "svc" EVIL);
		struct aclf_prefix m;
		assert_non_null(l);
		assert_int_equal(aclf_prefix_parse("10.1.1.10", &l->vip, false), 0);
		l->protocol = ACLF_PROTO_TCP;
		l->port = 443;
		l->pool_name = "pool" EVIL;
		l->lb_method = "method" EVIL;
		l->vlan = "vlan" EVIL;
		assert_int_equal(aclf_prefix_parse("10.1.1.11", &m, false), 0);
		assert_int_equal(aclf_lb_add_member(p, l, "fe01" EVIL, &m, 443), 0);
		assert_int_equal(aclf_lb_add_prov(p, l, "catalog", "hlb" EVIL), 0);
	}
	return d;
}

static void test_policy_text(void **state)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_buf b;

	(void)state;
	evil_device(p, true, true);
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_policy_to_text(p, &b), 0);
	/* device, filter, rule, lb: four lines */
	assert_clean(b.buf, 4);
	assert_non_null(strstr(b.buf, "device dev\\n\\x1b[2J\\r\\u009b (ios)"));
	assert_non_null(strstr(b.buf, "\"remark\\n\\x1b[2J\\r\\u009b\\\"quoted\\\"\""));
	aclf_buf_release(&b);
	aclf_policy_free(p);
}

static void test_diff_text(void **state)
{
	struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
	struct aclf_devpol *a = evil_device(pa, true, true), *b = evil_device(pb, false, false);
	struct aclf_diff d;
	struct aclf_err err;
	struct aclf_buf t;

	(void)state;
	aclf_err_init(&err);
	aclf_diff_init(&d);
	assert_int_equal(aclf_diff_devices(a, b, &d, NULL, 1, &err), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.nlb, 1);
	aclf_buf_init(&t, 0);
	assert_int_equal(aclf_diff_print_text(&d, "dev" EVIL, &t), 0);
	/* legend, one packet, one lb difference, the count */
	assert_clean(t.buf, 4);
	assert_non_null(strstr(t.buf, "intended permits by F\\n\\x1b[2J\\r\\u009b r\\n"));
	assert_non_null(strstr(t.buf, "\"svc\\n\\x1b[2J\\r\\u009b\": only intended has this service\n"));
	aclf_buf_release(&t);
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
}

static void test_warnings_text(void **state)
{
	struct aclf_warning_rule wr = { "r0003" EVIL, ACLF_PERMIT, "server-03" EVIL, NULL, false };
	struct aclf_warning w = { ACLF_WARN_REDUNDANT, "topo" EVIL ".yaml", 137, 5, "2", ACLF_PERMIT,
				  "networks.clients" EVIL, "pools.fe" EVIL, "core1" EVIL, "F" EVIL, &wr, 1,
				  NULL, NULL };
	struct aclf_warning lw = { ACLF_WARN_LB_PER_CONNECTION, "topo.yaml", 39, 3, NULL, ACLF_PERMIT,
				   NULL, NULL, "lb1" EVIL, NULL, NULL, 0, "fe" EVIL, "fe-443" EVIL };
	struct aclf_warnings ws;
	struct aclf_buf b;

	(void)state;
	aclf_warnings_init(&ws);
	ws.v = &w;
	ws.n = 1;
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_warnings_text(&ws, &b), 0);
	assert_clean(b.buf, 1);
	assert_non_null(strstr(b.buf, "topo\\n\\x1b[2J\\r\\u009b.yaml:137:5: warning: site rule 2"));
	aclf_buf_release(&b);
	/* a pool's HTTPS services balanced per connection: names escaped too */
	ws.v = &lw;
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_warnings_text(&ws, &b), 0);
	assert_clean(b.buf, 1);
	assert_non_null(strstr(b.buf, "topo.yaml:39:3: warning: pool fe\\n\\x1b[2J\\r\\u009b on lb1"));
	assert_non_null(strstr(b.buf, "servers fe-443\\n\\x1b[2J\\r\\u009b balance per connection"));
	aclf_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_policy_text),
		cmocka_unit_test(test_diff_text),
		cmocka_unit_test(test_warnings_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
