/* aclf_explain as a library call on the small example: the filter that
 * guards the destination is found through the filter's own protects entry
 * (not its position), the deciding rule and the seed rows it serves, the
 * site rule behind it, and the virtual servers a VIP packet reaches. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/explain.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

struct world {
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
};

static int setup(void **state)
{
	static struct world w;
	char path[4096];
	const char *src = getenv("ACLF_SRCDIR");
	struct aclf_err err;
	char *cpath[2];

	aclf_err_init(&err);
	snprintf(path, sizeof(path), "%s/inventory/examples/small.yaml", src ? src : ".");
	if (!(w.t = aclf_topology_load(path, &err)))
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(w.t->ncatalogs, 2); /* the seed and the extras */
	for (size_t i = 0; i < 2; i++)
		cpath[i] = aclf_catalog_resolve(w.t->catalogs[i], path);
	if (!(w.c = aclf_catalog_load_list((const char *const *)cpath, 2, &err)))
		fail_msg("%s", aclf_err_text(&err));
	free(cpath[0]);
	free(cpath[1]);
	if (!(w.p = aclf_compile(w.c, w.t, NULL, NULL, &err)))
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	aclf_policy_free(w->p);
	aclf_catalog_free(w->c);
	aclf_topology_free(w->t);
	return 0;
}

static struct aclf_packet packet(const char *src, const char *dst, int proto, uint16_t sport,
				 uint16_t dport)
{
	struct aclf_packet q = { .protocol = proto, .src_port = sport, .dst_port = dport };

	assert_int_equal(aclf_prefix_parse(src, &q.src, false), 0);
	assert_int_equal(aclf_prefix_parse(dst, &q.dst, false), 0);
	return q;
}

static const struct aclf_explain_filter *on(const struct aclf_explain *x, const char *device)
{
	for (size_t i = 0; i < x->nfilters; i++)
		if (!strcmp(x->filters[i].device, device))
			return &x->filters[i];
	return NULL;
}

static bool has_row(const struct aclf_explain_row *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return true;
	return false;
}

static void client_to_front_end(void **state)
{
	struct world *w = *state;
	struct aclf_packet q = packet("10.20.1.50", "10.1.1.11", ACLF_PROTO_TCP, 50000, 5061);
	struct aclf_explain x;
	struct aclf_err err;
	const struct aclf_explain_filter *f;

	aclf_err_init(&err);
	assert_int_equal(aclf_explain(w->t, w->c, w->p, &q, &x, &err), 0);
	/* core1 guards the front ends with LYNC-SERVERS */
	f = on(&x, "core1");
	assert_non_null(f);
	assert_string_equal(f->filter, "LYNC-SERVERS");
	assert_int_equal(f->action, ACLF_PERMIT);
	assert_non_null(f->rule);
	assert_int_equal(f->site_rule, 2);
	assert_non_null(f->site);
	assert_string_equal(f->site->to, "pools.fe-berlin");
	assert_true(has_row(f->also, f->nalso, "server-03"));
	assert_null(on(&x, "rtr1")); /* the router guarding the edge and the phones is not asked */
	assert_null(on(&x, "rp1"));
	assert_int_equal(x.nlbs, 0);
	aclf_explain_release(&x);
	aclf_err_release(&err);
}

static void vip_reaches_the_balancer(void **state)
{
	struct world *w = *state;
	struct aclf_packet q = packet("10.20.1.50", "10.1.1.10", ACLF_PROTO_TCP, 50000, 5061);
	struct aclf_explain x;
	struct aclf_err err;

	aclf_err_init(&err);
	assert_int_equal(aclf_explain(w->t, w->c, w->p, &q, &x, &err), 0);
	assert_int_equal(x.nlbs, 1);
	assert_string_equal(x.lbs[0].device, "lb1");
	assert_int_equal(x.lbs[0].nmembers, 3);
	assert_true(x.lbs[0].nrows >= 1);
	aclf_explain_release(&x);
	aclf_err_release(&err);
}

/* Filters found by their protects entry: with core1's two filters swapped
 * in the policy, the answer names the same filter as before. */
static void filters_found_by_their_entry(void **state)
{
	struct world *w = *state;
	struct aclf_packet q = packet("10.20.1.50", "10.1.1.11", ACLF_PROTO_TCP, 50000, 5061);
	struct aclf_devpol *core1 = aclf_policy_find_device(w->p, "core1");
	struct aclf_filter tmp;
	struct aclf_explain x;
	struct aclf_err err;

	assert_non_null(core1);
	assert_int_equal(core1->nfilters, 2);
	assert_int_equal(core1->filters[0].protect, 1);
	assert_int_equal(core1->filters[1].protect, 2);
	tmp = core1->filters[0];
	core1->filters[0] = core1->filters[1];
	core1->filters[1] = tmp;
	aclf_err_init(&err);
	assert_int_equal(aclf_explain(w->t, w->c, w->p, &q, &x, &err), 0);
	assert_non_null(on(&x, "core1"));
	assert_string_equal(on(&x, "core1")->filter, "LYNC-SERVERS");
	aclf_explain_release(&x);
	/* a filter not compiled from the topology (protect 0) is never claimed */
	core1->filters[1].protect = 0;
	assert_int_equal(aclf_explain(w->t, w->c, w->p, &q, &x, &err), 0);
	assert_null(on(&x, "core1"));
	aclf_explain_release(&x);
	core1->filters[1].protect = 1;
	tmp = core1->filters[0];
	core1->filters[0] = core1->filters[1];
	core1->filters[1] = tmp;
	aclf_err_release(&err);
}

/* Packets that cannot exist are refused with a reason, never explained. */
static void impossible_packets_refused(void **state)
{
	struct world *w = *state;
	static const struct {
		const char *src, *dst;
		int proto;
		uint16_t sport, dport;
		bool est;
		const char *why;
	} cases[] = {
		{ "10.20.1.50", "2001:db8:1::11", ACLF_PROTO_TCP, 50000, 5061, false,
		  "source 10.20.1.50 and destination 2001:db8:1::11 are of different address families" },
		{ "10.20.1.50", "10.1.1.11", ACLF_PROTO_UDP, 50000, 3478, true,
		  "only tcp has established connections, not udp" },
		{ "10.20.1.50", "10.1.1.11", ACLF_PROTO_ICMP, 0, 0, true,
		  "only tcp has established connections, not icmp" },
		{ "10.20.1.50", "10.1.1.11", ACLF_PROTO_ICMP, 0, 8, false,
		  "icmp has no ports; only tcp and udp have" },
		{ "10.20.1.50", "10.1.1.11", 47, 1, 0, false, "47 has no ports; only tcp and udp have" },
		{ "10.20.1.50", "10.1.1.11", ACLF_PROTO_ANY, 0, 0, false, "a packet has one protocol, not any" },
		{ "2001:db8:20::1", "2001:db8:1::11", ACLF_PROTO_ICMP, 0, 0, false,
		  "icmp is ICMP for IPv4; between IPv6 addresses it is icmp6" },
		{ "10.20.1.50", "10.1.1.11", ACLF_PROTO_ICMP6, 0, 0, false,
		  "icmp6 is ICMP for IPv6; between IPv4 addresses it is icmp" },
		{ "10.20.1.0/24", "10.1.1.11", ACLF_PROTO_TCP, 50000, 5061, false,
		  "a packet goes from one address to one address, not 10.20.1.0/24 -> 10.1.1.11/32" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_packet q = { .protocol = cases[i].proto, .src_port = cases[i].sport,
					 .dst_port = cases[i].dport, .established = cases[i].est };
		struct aclf_explain x;
		struct aclf_err err;

		assert_int_equal(aclf_prefix_parse(cases[i].src, &q.src, false), 0);
		assert_int_equal(aclf_prefix_parse(cases[i].dst, &q.dst, false), 0);
		aclf_err_init(&err);
		assert_int_equal(aclf_explain(w->t, w->c, w->p, &q, &x, &err), -1);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		assert_string_equal(aclf_err_text(&err), cases[i].why);
		aclf_explain_release(&x);
		aclf_err_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_to_front_end),
		cmocka_unit_test(vip_reaches_the_balancer),
		cmocka_unit_test(filters_found_by_their_entry),
		cmocka_unit_test(impossible_packets_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
