/* BIG-IP driver render: golden files (golden.h: ACLF_REGEN=1 rewrites them),
 * what the text must contain for Microsoft's and F5's requirements, refusals
 * of what the device cannot express, and the delete commands for the apply
 * step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip_cases.h"
#include "drivers.h"
#include "golden.h"

static void render_ok(const struct aclf_devpol *d, struct aclf_buf *out)
{
	struct aclf_err err;

	aclf_err_init(&err);
	aclf_buf_init(out, 0);
	if (aclf_driver_render(&aclf_driver_bigip, d, NULL, out, &err) < 0)
		fail_msg("render: %s", aclf_err_text(&err));
	aclf_err_release(&err);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Lines that create an object named aclf_...; each line must be one. */
static size_t owned_creates(const char *text)
{
	size_t n = 0;

	for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
		char w[5][64];
		bool sub;
		if (sscanf(l, "%63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4]) != 5)
			break;
		sub = !strcmp(w[2], "monitor") || !strcmp(w[2], "persistence") ||
		      !strcmp(w[2], "profile");
		if (!strcmp(w[0], "create") && !strcmp(w[1], "ltm") &&
		    !strncmp(sub ? w[4] : w[3], "aclf_", 5))
			n++;
	}
	return n;
}

static void test_golden_lync(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = bt_lync_fe(pol);
	struct aclf_buf a, b;

	(void)state;
	render_ok(d, &a);
	render_ok(d, &b);
	assert_string_equal(a.buf, b.buf); /* deterministic */
	golden_check("bigip", "lync_fe_hlb.expected", a.buf);

	/* one virtual and one pool per port and VIP */
	assert_int_equal(count(a.buf, "create ltm virtual "), BT_NHLB + 1);
	assert_int_equal(count(a.buf, "create ltm pool "), BT_NHLB + 1);
	/* one node per address, reused by all 16 pools */
	assert_int_equal(count(a.buf, "create ltm node "), 6);
	assert_int_equal(count(a.buf, "{ address 10.1.1.11 }\n"), 1);
	assert_int_equal(count(a.buf, "aclf_fe01:"), BT_NHLB);
	/* one shared monitor on the Front End's 5061 */
	assert_int_equal(count(a.buf, "create ltm monitor tcp aclf_tcp_5061_5_16_mon { defaults-from "
				      "tcp destination *:5061 interval 5 timeout 16 }\n"),
			 1);
	assert_int_equal(count(a.buf, "monitor aclf_tcp_5061_5_16_mon }"), BT_NHLB + 1);
	/* source affinity with an explicit per-client mask, none on 4443 and 8080 */
	assert_non_null(strstr(a.buf, "create ltm persistence source-addr "
				      "aclf_srcaddr_32_1800_persist { defaults-from source_addr mask "
				      "255.255.255.255 timeout 1800 }\n"));
	/* request-level balancing on the plain HTTP web ports (80, 8080): the
	 * built-in http profile and one one-connect profile reusing server-side
	 * connections per client address, created before any virtual */
	assert_int_equal(count(a.buf, "create ltm profile one-connect aclf_oneconnect_32_prof { "
				      "defaults-from oneconnect source-mask 255.255.255.255 }\n"),
			 1);
	assert_int_equal(count(a.buf, "profiles replace-all-with { aclf_tcp_1800_prof { } http { } "
				      "aclf_oneconnect_32_prof { } }"),
			 2);
	assert_true(strstr(a.buf, "create ltm profile one-connect ") <
		    strstr(a.buf, "create ltm virtual "));
	assert_int_equal(count(a.buf, " mask none"), 0);
	assert_int_equal(count(a.buf, "persist none"), 2);
	/* HTTPS web services: TLS terminated with the site's profiles (by
	 * path, with their context), balanced per request; the profiles are
	 * never created */
	assert_non_null(strstr(a.buf, "destination 10.1.1.10:4443 ip-protocol tcp mask "
				      "255.255.255.255 pool aclf_fe-berlin-4443_pool profiles "
				      "replace-all-with { aclf_tcp_1800_prof { } http { } "
				      "aclf_oneconnect_32_prof { } /Common/lync-web-clientssl { context "
				      "clientside } /Common/serverssl { context serverside } } persist none"));
	assert_int_equal(count(a.buf, " /Common/lync-web-clientssl { context clientside } "
				      "/Common/serverssl { context serverside } }"),
			 3);
	assert_int_equal(count(a.buf, "aclf_oneconnect6_128_prof { } /Common/lync-web-clientssl"), 1);
	assert_int_equal(count(a.buf, "create ltm profile client-ssl"), 0);
	assert_int_equal(count(a.buf, "create ltm profile server-ssl"), 0);
	/* TCP idle timeout 1800 s */
	assert_non_null(strstr(a.buf, "create ltm profile tcp aclf_tcp_1800_prof { defaults-from tcp "
				      "idle-timeout 1800 }\n"));
	/* IPv6 destination in addr.port form */
	assert_non_null(strstr(a.buf, "destination 2001:db8:1::10.443 ip-protocol tcp mask "
				      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff pool"));
	/* only aclforge's own objects, and no transaction or save lines */
	assert_int_equal(owned_creates(a.buf), count(a.buf, "\n"));
	assert_null(strstr(a.buf, "save sys config"));
	assert_null(strstr(a.buf, "cli transaction"));
	aclf_buf_release(&a);
	aclf_buf_release(&b);
	aclf_policy_free(pol);
}

static void test_golden_odd(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = bt_odd_fields(pol);
	struct aclf_buf a;

	(void)state;
	render_ok(d, &a);
	golden_check("bigip", "odd_fields.expected", a.buf);
	assert_non_null(strstr(a.buf, "create ltm profile tcp aclf_tcp_indefinite_prof"));
	assert_null(strstr(a.buf, "create ltm profile udp")); /* idle 0: the built-in udp */
	assert_non_null(strstr(a.buf, "profiles replace-all-with { udp { } }"));
	assert_non_null(strstr(a.buf, "idle-timeout indefinite"));
	assert_non_null(strstr(a.buf, "destination *:* }"));
	assert_non_null(strstr(a.buf, "mask 255.255.255.0 }"));
	assert_non_null(strstr(a.buf, "source-address-translation { type none }"));
	aclf_buf_release(&a);
	aclf_policy_free(pol);
}

/* The policy is refused with a message naming the service; the buffer
 * keeps what it held. */
static void refuse(struct aclf_devpol *d, const char *needle)
{
	struct aclf_buf out;
	struct aclf_err err;

	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	aclf_buf_puts(&out, "before\n");
	assert_int_equal(bigip_render(d, &out, &err), -1);
	assert_string_equal(out.buf, "before\n");
	if (!strstr(aclf_err_text(&err), needle))
		fail_msg("want '%s', got: %s", needle, aclf_err_text(&err));
	aclf_buf_release(&out);
	aclf_err_release(&err);
}

static void test_refusals(void **state)
{
	static const char *const addrs[] = { "10.9.0.1", "10.9.0.2" };
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = aclf_policy_add_device(pol, "lb9", "bigip");
	struct aclf_lb_service *s = bt_service(pol, d, "p", "10.9.0.10", 443, NULL, addrs, 2);

	(void)state;
	s->persistence.kind = ACLF_PERSIST_COOKIE;
	s->persistence.cookie_name = "MS-WSMAN";
	refuse(d, "service 'p-443': cookie persistence needs an http profile");
	s->persistence.kind = ACLF_PERSIST_SOURCE_ADDR;
	s->persistence.mask_len = 0;
	refuse(d, "service 'p-443': source-addr persistence needs a mask length 1..32");
	s->persistence.mask_len = 33;
	refuse(d, "needs a mask length 1..32");
	s->persistence.mask_len = 32;
	s->monitor.interval = 16;
	refuse(d, "monitor interval 16 must be less than timeout 16");
	s->monitor.interval = 5;
	s->monitor.type = "smtp";
	refuse(d, "unknown monitor type 'smtp'");
	s->monitor.type = "tcp";
	s->lb_method = "least-connections";
	refuse(d, "unknown load-balancing-mode 'least-connections'");
	s->lb_method = "round-robin";
	s->vlan = "in ternal";
	refuse(d, "bad vlan name 'in ternal'");
	s->vlan = NULL;
	s->protocol = ACLF_PROTO_ICMP;
	refuse(d, "big-ip services must be tcp or udp");
	s->protocol = ACLF_PROTO_TCP;
	s->members[1].address = s->members[0].address;
	refuse(d, "service 'p-443': member listed twice");
	s->members[1].address = bt_addr("10.9.0.0/24");
	refuse(d, "member '10.9.0.0/24' is not a host address");
	s->members[1].address = bt_addr("10.9.0.2");
	/* two services with one pool name would share one virtual */
	s = bt_service(pol, d, "p", "10.9.0.11", 443, NULL, addrs, 2);
	refuse(d, "services 'p-443' and 'p-443' both map to big-ip virtual 'aclf_p-443_vs'");
	s->pool_name = "p-443b";
	{
		struct aclf_buf out;
		render_ok(d, &out);
		aclf_buf_release(&out);
	}
	assert_non_null(aclf_devpol_add_filter(pol, d, "acl"));
	refuse(d, "the bigip driver carries lb services, not filters");
	aclf_policy_free(pol);
}

/* Two names for one server and a clash between a server name and another
 * address: still one node per address, every name distinct. */
static void test_node_names(void **state)
{
	static const char *const a1[] = { "10.9.0.1", "10.9.0.2" };
	static const char *const n1[] = { "fe01", "fe01" };
	static const char *const n2[] = { "other", NULL };
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = aclf_policy_add_device(pol, "lb9", "bigip");
	struct aclf_buf out;

	(void)state;
	bt_service(pol, d, "p", "10.9.0.10", 443, n1, a1, 2);
	bt_service(pol, d, "q", "10.9.0.10", 444, n2, a1, 2);
	render_ok(d, &out);
	assert_int_equal(count(out.buf, "create ltm node "), 2);
	assert_non_null(strstr(out.buf, "create ltm node aclf_fe01 { address 10.9.0.1 }\n"));
	assert_non_null(strstr(out.buf, "create ltm node aclf_fe01_10.9.0.2 { address 10.9.0.2 "
					"description \"aclforge name=fe01\" }\n"));
	assert_non_null(strstr(out.buf, "aclf_fe01:444 { address 10.9.0.1 }"));
	aclf_buf_release(&out);
	aclf_policy_free(pol);
}

/* ---- delete ------------------------------------------------------------ */

static struct aclf_devpol *live_of(struct aclf_policy *pol, const struct aclf_devpol *d)
{
	struct aclf_buf text;
	struct aclf_err err;
	struct aclf_devpol *live = NULL;

	render_ok(d, &text);
	aclf_err_init(&err);
	if (bigip_parse_ex(text.buf, text.len, "lb1", "lb1.txt", NULL, pol, &live, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	aclf_buf_release(&text);
	aclf_err_release(&err);
	return live;
}

static void test_delete(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *lpol = aclf_policy_new();
	struct aclf_devpol *want = bt_lync_fe(pol);
	struct aclf_devpol *live = live_of(lpol, want);
	struct aclf_buf out;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	/* the same policy: nothing to delete */
	assert_int_equal(bigip_render_delete(want, live, false, &out, &err), 0);
	assert_string_equal(out.buf, "");
	/* drop the IPv6 service and port 5070 */
	want->nlb -= 2;
	assert_int_equal(bigip_render_delete(want, live, false, &out, &err), 0);
	assert_string_equal(out.buf, "delete ltm virtual /Common/aclf_fe-berlin-443-v6_vs\n"
				     "delete ltm virtual /Common/aclf_fe-berlin-5070_vs\n"
				     "delete ltm pool /Common/aclf_fe-berlin-443-v6_pool\n"
				     "delete ltm pool /Common/aclf_fe-berlin-5070_pool\n"
				     "delete ltm node /Common/aclf_fe01_v6\n"
				     "delete ltm node /Common/aclf_fe02_v6\n"
				     "delete ltm node /Common/aclf_fe03_v6\n"
				     "delete ltm persistence source-addr "
				     "/Common/aclf_srcaddr6_128_1800_persist\n"
				     "delete ltm profile one-connect /Common/aclf_oneconnect6_128_prof\n");
	/* replace-all: every owned object, virtuals first */
	aclf_buf_reset(&out);
	assert_int_equal(bigip_render_delete(want, live, true, &out, &err), 0);
	assert_int_equal(count(out.buf, "delete ltm virtual "), BT_NHLB + 1);
	assert_int_equal(count(out.buf, "delete ltm node "), 6);
	assert_int_equal(count(out.buf, "delete ltm monitor tcp /Common/aclf_tcp_5061_5_16_mon\n"), 1);
	assert_int_equal(count(out.buf, "delete ltm profile tcp /Common/aclf_tcp_1800_prof\n"), 1);
	assert_true(strstr(out.buf, "delete ltm virtual") < strstr(out.buf, "delete ltm pool"));
	assert_true(strstr(out.buf, "delete ltm pool") < strstr(out.buf, "delete ltm node"));
	/* nothing intended: the same set */
	{
		struct aclf_buf all;
		aclf_buf_init(&all, 0);
		assert_int_equal(bigip_render_delete(NULL, live, false, &all, &err), 0);
		assert_string_equal(all.buf, out.buf);
		aclf_buf_release(&all);
	}
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(pol);
	aclf_policy_free(lpol);
}

/* TLS profiles hold the site's certificates: a delete never names one,
 * even one named like aclforge's objects that an owned virtual uses, while
 * that virtual's own one-connect profile goes. */
static void test_delete_keeps_tls(void **state)
{
	static const char text[] =
		"ltm profile client-ssl /Common/aclf_site-clientssl {\n"
		"    defaults-from /Common/clientssl\n"
		"}\n"
		"ltm profile server-ssl /Common/aclf_site-serverssl {\n"
		"    defaults-from /Common/serverssl\n"
		"}\n"
		"ltm profile one-connect /Common/aclf_oneconnect_32_prof {\n"
		"    source-mask 255.255.255.255\n"
		"}\n"
		"ltm pool /Common/aclf_fe-443_pool { }\n"
		"ltm virtual /Common/aclf_fe-443_vs {\n"
		"    destination /Common/10.1.1.10:443\n"
		"    pool /Common/aclf_fe-443_pool\n"
		"    profiles {\n"
		"        /Common/aclf_oneconnect_32_prof { }\n"
		"        /Common/aclf_site-clientssl {\n"
		"            context clientside\n"
		"        }\n"
		"        /Common/aclf_site-serverssl {\n"
		"            context serverside\n"
		"        }\n"
		"        /Common/http { }\n"
		"        /Common/tcp { }\n"
		"    }\n"
		"}\n";
	struct aclf_policy *lpol = aclf_policy_new();
	struct aclf_devpol *live = NULL;
	struct aclf_buf out;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	if (bigip_parse_ex(text, strlen(text), "lb1", "lb1.txt", NULL, lpol, &live, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(live->lb[0].tls.client_profile, "/Common/aclf_site-clientssl");
	assert_int_equal(bigip_render_delete(NULL, live, true, &out, &err), 0);
	assert_string_equal(out.buf, "delete ltm virtual /Common/aclf_fe-443_vs\n"
				     "delete ltm pool /Common/aclf_fe-443_pool\n"
				     "delete ltm profile one-connect /Common/aclf_oneconnect_32_prof\n");
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(lpol);
}

/* Objects aclforge did not create are never deleted. */
static void test_delete_foreign(void **state)
{
	struct aclf_policy *lpol = aclf_policy_new();
	struct aclf_devpol *live = NULL;
	struct aclf_buf text, out;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	bt_read_fixture("bigip/lync_list_handmade.txt", &text);
	assert_int_equal(bigip_parse_ex(text.buf, text.len, "lb1", "lb1.txt", NULL, lpol, &live, &err), 0);
	assert_true(live->nlb > 0);
	aclf_buf_init(&out, 0);
	assert_int_equal(bigip_render_delete(NULL, live, true, &out, &err), 0);
	assert_string_equal(out.buf, "");
	aclf_buf_release(&text);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(lpol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_lync),
		cmocka_unit_test(test_golden_odd),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_node_names),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_delete_keeps_tls),
		cmocka_unit_test(test_delete_foreign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
