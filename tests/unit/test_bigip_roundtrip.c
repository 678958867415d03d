/* BIG-IP driver: parse(render(x)) == x for every field of every service,
 * and render(parse(render(x))) == render(x). */
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

static void roundtrip(struct aclf_policy *pol, const struct aclf_devpol *d)
{
	struct aclf_buf text = ACLF_BUF_INIT, again = ACLF_BUF_INIT;
	struct aclf_err err;
	struct aclf_policy *back = aclf_policy_new();
	struct aclf_devpol *pd = NULL;
	char why[160];

	(void)pol;
	aclf_err_init(&err);
	aclf_buf_init(&text, 0);
	aclf_buf_init(&again, 0);
	assert_non_null(back);
	if (aclf_driver_bigip.ops->render(d, &text, &err) < 0)
		fail_msg("render: %s", aclf_err_text(&err));
	if (aclf_driver_bigip.ops->parse(text.buf, text.len, "lb1", back, &pd, &err) < 0)
		fail_msg("parse: %s\n%s", aclf_err_text(&err), text.buf);
	assert_non_null(pd);
	assert_string_equal(pd->driver, "bigip");
	assert_int_equal(pd->nlb, d->nlb);
	for (size_t i = 0; i < d->nlb; i++)
		if (!bt_same_service(&d->lb[i], &pd->lb[i], why, sizeof(why)))
			fail_msg("service %zu differs: %s", i, why);
	/* the parsed policy renders to the same text */
	if (bigip_render(pd, &again, &err) < 0)
		fail_msg("render again: %s", aclf_err_text(&err));
	assert_string_equal(again.buf, text.buf);
	aclf_buf_release(&text);
	aclf_buf_release(&again);
	aclf_policy_free(back);
	aclf_err_release(&err);
}

static void test_lync_fe_roundtrip(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d;

	(void)state;
	d = bt_lync_fe(pol);
	assert_int_equal(d->nlb, BT_NHLB + 1);
	roundtrip(pol, d);
	aclf_policy_free(pol);
}

/* Everything else the IR can say: no persistence, no monitor, udp, device
 * defaults (0), indefinite idle timeout, member ports differing from the VIP
 * port, unnamed members, names needing escapes in the description. */
static void test_odd_fields_roundtrip(void **state)
{
	static const char *const addrs[] = { "192.0.2.21", "192.0.2.22" };
	static const char *const names[] = { "web 1;x=y", NULL };
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = aclf_policy_add_device(pol, "lb2", "bigip");
	struct aclf_lb_service *s;

	(void)state;
	s = bt_service(pol, d, "ext web", "192.0.2.10", 443, names, addrs, 2);
	s->members[0].port = 4443;
	s->members[1].port = 4443;
	s->persistence.kind = ACLF_PERSIST_NONE;
	s->persistence.mask_len = 0;
	s->persistence.timeout = 0;
	s->monitor.type = NULL;
	s->monitor.port = 0;
	s->monitor.interval = 0;
	s->monitor.timeout = 0;
	s->vlan = NULL;
	s->snat = ACLF_SNAT_NONE;
	s->lb_method = NULL;
	s->idle_timeout = UINT_MAX;
	assert_int_equal(aclf_lb_add_prov(pol, s, "topology-rule", "why: \"quoted\" 100%"), 0);

	s = bt_service(pol, d, "med", "192.0.2.30", 5070, names, addrs, 2);
	s->protocol = ACLF_PROTO_UDP;
	s->idle_timeout = 0;
	s->monitor.port = 0;
	s->monitor.interval = 0;
	s->monitor.timeout = 0;
	s->persistence.mask_len = 24;
	s->persistence.timeout = 0;
	s->pool_name = NULL;
	roundtrip(pol, d);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lync_fe_roundtrip),
		cmocka_unit_test(test_odd_fields_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
