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
	if (aclf_driver_render(&aclf_driver_bigip, d, NULL, &text, &err) < 0)
		fail_msg("render: %s", aclf_err_text(&err));
	if (aclf_driver_parse(&aclf_driver_bigip, text.buf, text.len, &(struct aclf_parse_opts){ .name = "lb1" }, back, &pd, &err) < 0)
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

/* Everything else the IR can say (bt_odd_fields in bigip_cases.h). */
static void test_odd_fields_roundtrip(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *d = bt_odd_fields(pol);

	(void)state;
	roundtrip(pol, d);
	aclf_policy_free(pol);
}

/* The comparison behind the round trip sees a change in any field. */
static void test_compare_detects(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *other = aclf_policy_new();
	struct aclf_devpol *a = bt_lync_fe(pol), *b = bt_lync_fe(other);
	char why[160];

	(void)state;
	assert_true(bt_same_service(&a->lb[0], &b->lb[0], why, sizeof(why)));
	for (int field = 0; field < 17; field++) {
		struct aclf_lb_service *s = &b->lb[0], keep = *s;
		struct aclf_lb_member m0 = s->members[0];
		struct aclf_prov p0 = s->prov[0];
		switch (field) {
		case 0: s->idle_timeout++; break;
		case 1: s->persistence.timeout++; break;
		case 2: s->persistence.mask_len--; break;
		case 3: s->monitor.port++; break;
		case 4: s->monitor.interval++; break;
		case 5: s->members[0].port++; break;
		case 6: s->members[0].name = "fe09"; break;
		case 7: s->vlan = "external"; break;
		case 8: s->lb_method = "round-robin"; break;
		case 9: s->prov[0].ref = "fe-other"; break;
		case 10: s->snat = ACLF_SNAT_NONE; break;
		case 11: s->request.enabled = true; break;
		case 12: s->request.reuse_mask_len = 24; break;
		case 13: s->tls.client_profile = "/Common/clientssl"; break;
		case 14: s->tls.server_profile = "/Common/serverssl"; break;
		case 15: s->disabled = true; break;
		default: s->pool_name = "x"; break;
		}
		assert_false(bt_same_service(&a->lb[0], s, why, sizeof(why)));
		*s = keep;
		s->members[0] = m0;
		s->prov[0] = p0;
	}
	aclf_policy_free(pol);
	aclf_policy_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lync_fe_roundtrip),
		cmocka_unit_test(test_odd_fields_roundtrip),
		cmocka_unit_test(test_compare_detects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
