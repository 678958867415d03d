/* Diff against a BIG-IP text whose virtual is opaque (a source restriction,
 * a reject or forwarding virtual, a disabled virtual, a VLAN list): the
 * service is "cannot judge", never the same and never proven drift, in the
 * items, the text report and the JSON report; an exact difference next to
 * it is still drift. */
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "bigip/bigip.h"

#define HEAD "ltm virtual vs {\n    destination 10.1.1.10:443\n    ip-protocol tcp\n    pool p\n"
#define POOL "ltm pool p {\n    members {\n        10.1.1.11:443 { }\n    }\n}\n"

static struct aclf_devpol *parse(struct aclf_policy *pol, const char *text)
{
	struct aclf_err err;
	struct aclf_devpol *d = NULL;
	struct bigip_parse_opts o = { .strict = false };

	aclf_err_init(&err);
	if (bigip_parse_ex(text, strlen(text), "lb1", "lb1.txt", &o, pol, &d, &err) < 0)
		fail_msg("parse failed: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return d;
}

static json_t *report_json(const struct aclf_diff *d)
{
	struct aclf_buf js = ACLF_BUF_INIT;
	json_t *root;

	aclf_buf_init(&js, 0);
	assert_int_equal(aclf_diff_print_json(d, "lb1", &js), 0);
	root = json_loads(js.buf, 0, NULL);
	assert_non_null(root);
	aclf_buf_release(&js);
	return root;
}

static json_int_t count(json_t *root, const char *k)
{
	return json_integer_value(json_object_get(json_object_get(root, "counts"), k));
}

/* The intended virtual is exact; the live one adds prop. */
static void cannot_judge_each(void **state)
{
	static const struct {
		const char *prop, *raw;
	} cases[] = {
		{ "    source 10.0.0.0/8\n", "source 10.0.0.0/8" },
		{ "    reject\n", "reject" },
		{ "    ip-forward\n", "ip-forward" },
		{ "    disabled\n", "disabled" },
		{ "    vlans {\n        /Common/ext\n    }\n", "vlans-disabled vlans { /Common/ext }" },
		{ "    vlans {\n        ext\n        int\n    }\n    vlans-enabled\n",
		  "vlans-enabled vlans { ext int }" },
	};
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
		struct aclf_devpol *a = parse(pa, HEAD "}\n" POOL), *b;
		struct aclf_buf out = ACLF_BUF_INIT;
		struct aclf_diff d;
		struct aclf_err err;
		json_t *root, *cj;

		snprintf(text, sizeof(text), HEAD "%s}\n" POOL, cases[i].prop);
		b = parse(pb, text);
		assert_non_null(b->lb[0].opaque);
		aclf_err_init(&err);
		aclf_diff_init(&d);
		aclf_buf_init(&out, 0);
		assert_int_equal(aclf_diff_devices(a, b, &d, NULL, 0, &err), 0);
		/* never the same, never proven drift */
		assert_int_equal(d.n, 0);
		assert_int_equal(d.nlb, 1);
		assert_int_equal(d.nlb_undecided, 1);
		assert_int_equal(d.nopaque, 1);
		assert_true(d.lb[0].undecided);
		assert_string_equal(d.lb[0].field, "opaque");
		assert_string_equal(d.lb[0].opaque_raw, cases[i].raw);
		assert_int_equal(aclf_diff_print_text(&d, "lb1", &out), 0);
		if (!strstr(out.buf, "lb1: cannot judge: '?' a live load-balancer service is opaque") ||
		    strstr(out.buf, "example packets:") ||
		    !strstr(out.buf, "? lb 10.1.1.10:443/tcp \"vs\": intended has this service, live "
				     "cannot judge: opaque service: ") ||
		    !strstr(out.buf, cases[i].raw) ||
		    !strstr(out.buf, "lb1: 0 example packets, 0 load-balancer differences, 1 cannot "
				     "judge (1 opaque entry)\n") ||
		    strstr(out.buf, "no drift") || strstr(out.buf, "drift in"))
			fail_msg("%s: report:\n%s", cases[i].raw, out.buf);
		root = report_json(&d);
		assert_false(json_is_true(json_object_get(root, "drift")));
		assert_int_equal(count(root, "cannot_judge"), 1);
		assert_int_equal(count(root, "lb_differences"), 0);
		assert_int_equal(count(root, "opaque_entries"), 1);
		cj = json_array_get(json_object_get(root, "cannot_judge"), 0);
		assert_string_equal(json_string_value(json_object_get(cj, "opaque_text")), cases[i].raw);
		assert_string_equal(json_string_value(json_object_get(cj, "vip")), "10.1.1.10");
		assert_int_equal(json_integer_value(json_object_get(cj, "port")), 443);
		assert_true(json_is_true(json_object_get(cj, "intended")));
		assert_true(json_is_true(json_object_get(cj, "live")));
		assert_int_equal(json_array_size(json_object_get(root, "lb_differences")), 0);
		json_decref(root);
		aclf_buf_release(&out);
		aclf_diff_release(&d);
		aclf_err_release(&err);
		aclf_policy_free(pa);
		aclf_policy_free(pb);
	}
}

/* An opaque service only on the live side is cannot judge too; an exact
 * difference on another service stays proven drift beside it. */
static void opaque_beside_drift(void **state)
{
	static const char intended[] = HEAD "}\n" POOL
		"ltm virtual web {\n    destination 10.1.1.20:80\n    ip-protocol tcp\n    pool p\n}\n";
	static const char live[] = HEAD "}\n" POOL
		"ltm virtual web {\n    destination 10.1.1.20:80\n    ip-protocol tcp\n    pool q\n}\n"
		"ltm pool q {\n    members {\n        10.1.1.12:80 { }\n    }\n}\n"
		"ltm virtual fwd {\n    destination 0.0.0.0:any\n    mask any\n    ip-forward\n}\n";
	struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
	struct aclf_devpol *a = parse(pa, intended), *b = parse(pb, live);
	struct aclf_diff d;
	struct aclf_err err;
	json_t *root;

	(void)state;
	aclf_err_init(&err);
	aclf_diff_init(&d);
	assert_int_equal(aclf_diff_devices(a, b, &d, NULL, 0, &err), 0);
	assert_int_equal(d.nlb, 2);
	assert_int_equal(d.nlb_undecided, 1);
	assert_string_equal(d.lb[0].field, "members");
	assert_false(d.lb[0].undecided);
	assert_string_equal(d.lb[1].field, "opaque");
	assert_null(d.lb[1].a);
	assert_string_equal(d.lb[1].b, "present");
	root = report_json(&d);
	assert_true(json_is_true(json_object_get(root, "drift")));
	assert_int_equal(count(root, "lb_differences"), 1);
	assert_int_equal(count(root, "cannot_judge"), 1);
	json_decref(root);
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
}

/* A live policy saved as JSON keeps what made the service opaque, so a
 * diff read from the saved file still cannot judge it; the text form
 * shows it. */
static void opaque_survives_json(void **state)
{
	struct aclf_policy *pb = aclf_policy_new(), *back;
	struct aclf_buf js = ACLF_BUF_INIT, txt = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&js, 0);
	aclf_buf_init(&txt, 0);
	parse(pb, HEAD "    reject\n}\n" POOL);
	assert_int_equal(aclf_policy_to_json(pb, &js, &err), 0);
	assert_non_null(strstr(js.buf, "\"opaque_entries\": 1"));
	back = aclf_policy_from_json(js.buf, js.len, "saved.json", &err);
	if (!back)
		fail_msg("read back: %s", aclf_err_text(&err));
	assert_int_equal(back->devices[0].nlb, 1);
	assert_string_equal(back->devices[0].lb[0].raw, "reject");
	assert_string_equal(back->devices[0].lb[0].opaque, pb->devices[0].lb[0].opaque);
	assert_int_equal(aclf_devpol_opaque_count(&back->devices[0]), 1);
	assert_int_equal(aclf_policy_to_text(back, &txt), 0);
	assert_non_null(strstr(txt.buf, "OPAQUE (reject virtual: refuses the traffic"));
	aclf_policy_free(back);
	aclf_policy_free(pb);
	aclf_buf_release(&js);
	aclf_buf_release(&txt);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cannot_judge_each),
		cmocka_unit_test(opaque_beside_drift),
		cmocka_unit_test(opaque_survives_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
