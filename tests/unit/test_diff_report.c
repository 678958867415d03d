/* The diff report as items: lb differences field by field, and the one
 * printer (text and JSON) that `diff` uses. Asserted on the structured
 * items, and the JSON read back with jansson. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

static struct aclf_lb_service *svc(struct aclf_policy *p, struct aclf_devpol *d, const char *name,
				   const char *vip, int proto, uint16_t port)
{
	struct aclf_lb_service *s = aclf_devpol_add_lb(p, d, name);

	assert_non_null(s);
	assert_int_equal(aclf_prefix_parse(vip, &s->vip, false), 0);
	s->protocol = proto;
	s->port = port;
	return s;
}

static void member(struct aclf_policy *p, struct aclf_lb_service *s, const char *addr, uint16_t port)
{
	struct aclf_prefix a;

	assert_int_equal(aclf_prefix_parse(addr, &a, false), 0);
	assert_int_equal(aclf_lb_add_member(p, s, NULL, &a, port), 0);
}

static const struct aclf_lb_diff_item *find(const struct aclf_diff *d, uint16_t port, const char *field)
{
	for (size_t i = 0; i < d->nlb; i++)
		if (d->lb[i].port == port && !strcmp(d->lb[i].field, field))
			return &d->lb[i];
	fail_msg("no lb difference %u %s", port, field);
	return NULL;
}

static void lb_items_and_printers(void **state)
{
	struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
	struct aclf_devpol *da = aclf_policy_add_device(pa, "lb1", "x");
	struct aclf_devpol *db = aclf_policy_add_device(pb, "lb1", "x");
	struct aclf_lb_service *s;
	const struct aclf_lb_diff_item *it;
	struct aclf_diff d;
	struct aclf_buf rep = ACLF_BUF_INIT, text = ACLF_BUF_INIT, js = ACLF_BUF_INIT;
	struct aclf_err err;
	json_t *root, *lb;
	json_error_t jerr;

	(void)state;
	s = svc(pa, da, "fe-5061", "10.1.1.10", ACLF_PROTO_TCP, 5061);
	member(pa, s, "10.1.1.11", 5061);
	member(pa, s, "10.1.1.12", 5061);
	s->idle_timeout = 1800;
	svc(pa, da, "turn", "10.1.1.20", ACLF_PROTO_UDP, 3478);
	s = svc(pb, db, "sip_vs", "10.1.1.10", ACLF_PROTO_TCP, 5061);
	member(pb, s, "10.1.1.12", 5061);
	member(pb, s, "10.1.1.13", 5061);
	s->idle_timeout = 300;

	aclf_err_init(&err);
	aclf_diff_init(&d);
	aclf_buf_init(&rep, 0);
	assert_int_equal(aclf_diff_devices(da, db, &d, &rep, 0, &err), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.nlb, 3);

	it = find(&d, 5061, "members");
	assert_string_equal(it->service, "fe-5061");
	assert_int_equal(it->protocol, ACLF_PROTO_TCP);
	assert_string_equal(it->a, "10.1.1.11:5061");
	assert_string_equal(it->b, "10.1.1.13:5061");
	it = find(&d, 5061, "idle timeout");
	assert_string_equal(it->a, "1800");
	assert_string_equal(it->b, "300");
	it = find(&d, 3478, "service");
	assert_string_equal(it->a, "present");
	assert_null(it->b);
	assert_int_equal(it->protocol, ACLF_PROTO_UDP);

	/* the library's lb report says a and b; the printed report says which
	 * side is intended and which live, one line per item, in order, between
	 * a first line and a count */
	assert_non_null(strstr(rep.buf, "lb 10.1.1.10:5061/tcp \"fe-5061\": idle timeout differs: a 1800; b 300\n"));
	aclf_buf_init(&text, 0);
	assert_int_equal(aclf_diff_print_text(&d, "lb1", &text), 0);
	assert_string_equal(text.buf,
			    "lb1: drift in the load-balancer services\n"
			    "lb 10.1.1.10:5061/tcp \"fe-5061\": members differ: intended only 10.1.1.11:5061; "
			    "live only 10.1.1.13:5061\n"
			    "lb 10.1.1.10:5061/tcp \"fe-5061\": idle timeout differs: intended 1800; live 300\n"
			    "lb 10.1.1.20:3478/udp \"turn\": only intended has this service\n"
			    "lb1: 0 example packets, 3 load-balancer differences\n");
	for (size_t i = 0; i < d.nlb; i++)
		assert_string_equal(d.lb[i].label, i < 2 ? "lb 10.1.1.10:5061/tcp \"fe-5061\""
							 : "lb 10.1.1.20:3478/udp \"turn\"");

	aclf_buf_init(&js, 0);
	assert_int_equal(aclf_diff_print_json(&d, "lb1", &js), 0);
	root = json_loads(js.buf, 0, &jerr);
	assert_non_null(root);
	assert_true(json_is_true(json_object_get(root, "drift")));
	assert_int_equal(json_array_size(json_object_get(root, "packets")), 0);
	assert_int_equal(json_array_size(json_object_get(root, "lb_services")), 3);
	assert_string_equal(json_string_value(json_array_get(json_object_get(root, "lb_services"), 2)),
			    "lb 10.1.1.20:3478/udp \"turn\": only intended has this service");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "counts"), "packets")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "counts"), "lb_differences")),
			 3);
	lb = json_object_get(root, "lb_differences");
	assert_int_equal(json_array_size(lb), 3);
	for (size_t i = 0; i < 3; i++) {
		json_t *o = json_array_get(lb, i);
		assert_string_equal(json_string_value(json_object_get(o, "field")), d.lb[i].field);
		assert_int_equal(json_integer_value(json_object_get(o, "port")), d.lb[i].port);
		assert_string_equal(json_string_value(json_object_get(o, "vip")),
				    d.lb[i].port == 3478 ? "10.1.1.20" : "10.1.1.10");
	}
	json_decref(root);

	/* the same devices: no drift, said once */
	aclf_diff_release(&d);
	aclf_diff_init(&d);
	aclf_buf_reset(&text);
	assert_int_equal(aclf_diff_devices(da, da, &d, NULL, 0, &err), 0);
	assert_int_equal(d.nlb, 0);
	assert_int_equal(aclf_diff_print_text(&d, "lb1", &text), 0);
	assert_string_equal(text.buf, "lb1: no drift: the live policy permits exactly what is intended\n");

	aclf_diff_release(&d);
	aclf_buf_release(&rep);
	aclf_buf_release(&text);
	aclf_buf_release(&js);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lb_items_and_printers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
