/* The counters ops through the core (aclf_driver_counters): Junos
 * firewall counter rows and BIG-IP virtual/member rows mapped to the rules
 * and lb services of a policy built here, without a transport: rule ids
 * as counter names in inet and inet6, rules without an id, interface-
 * specific instances in both naming forms, policers and foreign filters
 * left alone, counters the device lacks, a malformed answer leaving the
 * result as it was, drivers that read no counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"
#include "bigip/bigip_snmp.h"
#include "junos/junos_snmp.h"

static void oid_of(const char *text, uint32_t *o, size_t *n)
{
	int k = aclf_snmp_oid_parse(text, o, ACLF_SNMP_MAX_OID);

	assert_true(k > 0);
	*n = (size_t)k;
}

/* one jnxFWCounterTable cell: column col of FILTER, COUNTER, TYPE */
static void fwc(struct aclf_snmp_vbs *l, uint32_t col, const char *filter, const char *counter,
		uint32_t type, enum aclf_snmp_type t, uint64_t v)
{
	uint32_t o[ACLF_SNMP_MAX_OID];
	size_t n;

	oid_of(JUNOS_FWC_ENTRY, o, &n);
	o[n++] = col;
	assert_int_equal(aclf_snmp_index_encode(o, &n, filter), 0);
	assert_int_equal(aclf_snmp_index_encode(o, &n, counter), 0);
	o[n++] = type;
	assert_int_equal(aclf_snmp_vbs_add(l, o, n, t, v, 0, NULL, 0), 0);
}

static void row(struct aclf_snmp_vbs *l, const char *filter, const char *counter, uint32_t type,
		uint64_t pk, uint64_t by)
{
	fwc(l, 4, filter, counter, type, ACLF_SNMP_COUNTER64, pk);
	fwc(l, 5, filter, counter, type, ACLF_SNMP_COUNTER64, by);
}

static struct aclf_devpol *junos_policy(struct aclf_policy *p)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, "fw1", "junos");
	struct aclf_filter *f;
	static const char *const ids[] = { "r0001", "r0002", "r0003", NULL, "r0005" };

	assert_non_null(d);
	f = aclf_devpol_add_filter(p, d, "LYNC");
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct aclf_rule *r = aclf_filter_add_rule(p, f);

		assert_non_null(r);
		r->id = ids[i];
		if (i == 0)
			assert_int_equal(aclf_rule_add_prov(p, r, "seed", "server:37"), 0);
	}
	f = aclf_devpol_add_filter(p, d, "OTHER");
	assert_non_null(f);
	assert_non_null(aclf_filter_add_rule(p, f));
	f->rules[0].id = "r0001";
	return d;
}

static const struct aclf_rule_cnt *rule_of(const struct aclf_counters *c, const char *filter,
					   const char *rule)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].filter, filter) && !strcmp(c->rules[i].rule, rule))
			return &c->rules[i];
	fail_msg("no rule %s %s", filter, rule);
	return NULL;
}

static void junos_mapping(void **state)
{
	const struct aclf_driver *drv = aclf_driver_find("junos");
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_device dev = { .name = "fw1", .driver = "junos" };
	struct aclf_devpol *d;
	struct aclf_snmp_vbs l;
	struct aclf_counters c;
	struct aclf_err err;
	const struct aclf_rule_cnt *rc;

	(void)state;
	assert_non_null(p);
	d = junos_policy(p);
	aclf_snmp_vbs_init(&l);
	row(&l, "LYNC", "r0001", JUNOS_FWC_COUNTER, 10, 1000);
	row(&l, "LYNC", "r0001-v6", JUNOS_FWC_COUNTER, 5, 700);
	row(&l, "LYNC", "r0001", JUNOS_FWC_POLICER, 99999, 99999);    /* a policer: no rule's */
	row(&l, "LYNC-ge-0/0/1.0-i", "r0002", JUNOS_FWC_COUNTER, 3, 300);
	row(&l, "LYNC-xe-1/2/3:1.100-o", "r0002-xe-1/2/3:1.100-o", JUNOS_FWC_COUNTER, 4, 400);
	row(&l, "LYNC", "r0002", JUNOS_FWC_COUNTER, 1, 100);
	row(&l, "LYNC", "rule-4", JUNOS_FWC_COUNTER, 44, 4400);        /* the rule without an id */
	row(&l, "LYNC", "r0005x", JUNOS_FWC_COUNTER, 7, 7);             /* not r0005 */
	row(&l, "LYNC", "default-deny", JUNOS_FWC_COUNTER, 8, 8);
	row(&l, "LYNC-ge-0/0/1.0-i", "r0003-ge-0/0/2.0-i", JUNOS_FWC_COUNTER, 9, 9); /* other ifl */
	row(&l, "OTHER", "r0001", JUNOS_FWC_COUNTER, 0, 0);
	row(&l, "anti-viruse", "r0001", JUNOS_FWC_COUNTER, 123, 456);  /* a filter not ours */
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters(drv, &l, &dev, d, &c, &err), 0);
	assert_int_equal(err.count, 0);
	assert_int_equal(c.nrules, 6);

	rc = rule_of(&c, "LYNC", "r0001");
	assert_true(rc->found && rc->has_bytes);
	assert_int_equal(rc->packets, 15);
	assert_int_equal(rc->bytes, 1700);
	assert_int_equal(rc->ninst, 2);
	assert_string_equal(rc->inst[1].counter, "r0001-v6");
	assert_int_equal(rc->r->nprov, 1);
	assert_int_equal(rc->source, ACLF_CNT_SNMP);

	rc = rule_of(&c, "LYNC", "r0002");
	assert_int_equal(rc->packets, 8);
	assert_int_equal(rc->bytes, 800);
	assert_int_equal(rc->ninst, 3);
	assert_string_equal(rc->inst[0].name, "LYNC-ge-0/0/1.0-i");
	assert_string_equal(rc->inst[1].name, "LYNC-xe-1/2/3:1.100-o");

	rc = rule_of(&c, "LYNC", "r0003");
	assert_false(rc->found);
	assert_int_equal(rc->packets, 0);

	rc = rule_of(&c, "LYNC", "rule-4");
	assert_true(rc->found);
	assert_int_equal(rc->packets, 44);

	assert_false(rule_of(&c, "LYNC", "r0005")->found);
	rc = rule_of(&c, "OTHER", "r0001");
	assert_true(rc->found);
	assert_int_equal(rc->packets, 0);
	assert_int_equal(rc->ninst, 1);

	assert_non_null(strstr(c.notes.buf, "filter 'LYNC' rule 'r0003': no counter 'r0003'"));
	assert_non_null(strstr(c.notes.buf, "filter 'LYNC' rule 'r0005': no counter"));
	assert_null(strstr(c.notes.buf, "rule-4"));
	assert_null(strstr(c.notes.buf, "OTHER"));

	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);
	aclf_policy_free(p);
}

/* a malformed answer: an error naming the device and the OID, nothing
 * added to what the result held */
static void junos_bad_answer(void **state)
{
	const struct aclf_driver *drv = aclf_driver_find("junos");
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_device dev = { .name = "fw1", .driver = "junos" };
	struct aclf_devpol *d;
	struct aclf_snmp_vbs l;
	struct aclf_counters c;
	struct aclf_err err;

	(void)state;
	d = junos_policy(p);
	aclf_snmp_vbs_init(&l);
	row(&l, "LYNC", "r0001", JUNOS_FWC_COUNTER, 10, 1000);
	fwc(&l, 4, "LYNC", "r0002", JUNOS_FWC_COUNTER, ACLF_SNMP_NOSUCHINSTANCE, 0);
	aclf_counters_init(&c);
	assert_non_null(aclf_counters_add_rule(&c, "KEEP", &d->filters[0].rules[0]));
	assert_int_equal(aclf_counters_note(&c, "kept"), 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters(drv, &l, &dev, d, &c, &err), -1);
	assert_int_equal(err.kind, ACLF_E_DEVICE);
	assert_non_null(strstr(aclf_err_text(&err), "fw1"));
	assert_non_null(strstr(aclf_err_text(&err), "1.3.6.1.4.1.2636.3.5.2.1.4."));
	assert_int_equal(c.nrules, 1);
	assert_string_equal(c.rules[0].filter, "KEEP");
	assert_string_equal(c.notes.buf, "kept\n");
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);
	aclf_policy_free(p);
}

static void str_cell(struct aclf_snmp_vbs *l, const char *entry, uint32_t col, const char *s1,
		     const char *s2, int port, enum aclf_snmp_type t, uint64_t v, const char *sv)
{
	uint32_t o[ACLF_SNMP_MAX_OID];
	size_t n;

	oid_of(entry, o, &n);
	o[n++] = col;
	assert_int_equal(aclf_snmp_index_encode(o, &n, s1), 0);
	if (s2)
		assert_int_equal(aclf_snmp_index_encode(o, &n, s2), 0);
	if (port >= 0)
		o[n++] = (uint32_t)port;
	assert_int_equal(aclf_snmp_vbs_add(l, o, n, t, v, 0, sv, sv ? strlen(sv) : 0), 0);
}

static void bigip_mapping(void **state)
{
	const struct aclf_driver *drv = aclf_driver_find("bigip");
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_device dev = { .name = "lb1", .driver = "bigip" };
	struct aclf_devpol *d = aclf_policy_add_device(p, "lb1", "bigip");
	struct aclf_lb_service *s[2];
	struct aclf_prefix a;
	struct aclf_snmp_vbs l;
	struct aclf_counters c;
	struct aclf_err err;
	const char *vs = "/Common/aclf_fe-berlin-5061_vs", *pool = "/Common/aclf_fe-berlin-5061_pool";

	(void)state;
	for (int k = 0; k < 2; k++) {
		s[k] = aclf_devpol_add_lb(p, d, k ? "fe-berlin-443" : "fe-berlin-5061");
		assert_non_null(s[k]);
	}
	s[0] = &d->lb[0];
	s[1] = &d->lb[1];
	for (int k = 0; k < 2; k++) {
		s[k]->pool_name = s[k]->name;
		s[k]->protocol = ACLF_PROTO_TCP;
		s[k]->port = k ? 443 : 5061;
		assert_int_equal(aclf_prefix_parse("10.1.1.10", &s[k]->vip, false), 0);
		assert_int_equal(aclf_prefix_parse("10.1.1.11", &a, false), 0);
		assert_int_equal(aclf_lb_add_member(p, s[k], "fe01", &a, s[k]->port), 0);
		assert_int_equal(aclf_prefix_parse("10.1.1.12", &a, false), 0);
		assert_int_equal(aclf_lb_add_member(p, s[k], "fe02", &a, s[k]->port), 0);
	}
	aclf_snmp_vbs_init(&l);
	str_cell(&l, BIGIP_VS_STAT_ENTRY, 1, vs, NULL, -1, ACLF_SNMP_OCTETS, 0, vs);
	str_cell(&l, BIGIP_VS_STAT_ENTRY, 6, vs, NULL, -1, ACLF_SNMP_COUNTER32, 1200, NULL);
	str_cell(&l, BIGIP_VS_STAT_ENTRY, 7, vs, NULL, -1, ACLF_SNMP_COUNTER64, 98765, NULL);
	str_cell(&l, BIGIP_VS_STAT_ENTRY, 11, vs, NULL, -1, ACLF_SNMP_COUNTER64, 45, NULL);
	str_cell(&l, BIGIP_VS_STAT_ENTRY, 12, vs, NULL, -1, ACLF_SNMP_GAUGE32, 3, NULL);
	/* fe01 by node name, fe02 in no row; a member of another port */
	str_cell(&l, BIGIP_MBR_STAT_ENTRY, 5, pool, "/Common/aclf_fe01", 5061, ACLF_SNMP_COUNTER64, 400, NULL);
	str_cell(&l, BIGIP_MBR_STAT_ENTRY, 10, pool, "/Common/aclf_fe01", 5061, ACLF_SNMP_COUNTER64, 15, NULL);
	str_cell(&l, BIGIP_MBR_STAT_ENTRY, 5, pool, "/Common/aclf_fe02", 5062, ACLF_SNMP_COUNTER64, 1, NULL);
	/* a row without one of the columns walked: that number 0, and a note */
	str_cell(&l, BIGIP_MBR_STAT_ENTRY, 5, "/Common/aclf_fe-berlin-443_pool", "/Common/aclf_fe01",
		 443, ACLF_SNMP_COUNTER64, 9, NULL);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters(drv, &l, &dev, d, &c, &err), 0);
	assert_int_equal(c.nlb, 2);
	assert_string_equal(c.lb[0].name, "fe-berlin-5061");
	assert_string_equal(c.lb[0].object, vs);
	assert_true(c.lb[0].found);
	assert_int_equal(c.lb[0].packets_in, 1200);
	assert_int_equal(c.lb[0].bytes_in, 98765);
	assert_int_equal(c.lb[0].connections_total, 45);
	assert_int_equal(c.lb[0].connections_current, 3);
	assert_int_equal(c.lb[0].nmembers, 2);
	assert_string_equal(c.lb[0].members[0].address, "10.1.1.11");
	assert_true(c.lb[0].members[0].found);
	assert_int_equal(c.lb[0].members[0].packets_in, 400);
	assert_int_equal(c.lb[0].members[0].connections_total, 15);
	assert_false(c.lb[0].members[1].found);
	assert_false(c.lb[1].found);
	assert_non_null(strstr(c.notes.buf, "lb service 'fe-berlin-443': no virtual server "
					    "'/Common/aclf_fe-berlin-443_vs'"));
	assert_non_null(strstr(c.notes.buf, "no member 10.1.1.12:5061"));
	assert_true(c.lb[1].members[0].found && c.lb[1].members[0].packets_in == 9 &&
		    c.lb[1].members[0].connections_total == 0);
	assert_non_null(strstr(c.notes.buf, "lb service 'fe-berlin-443': member /Common/aclf_fe01:443 "
					    "of pool '/Common/aclf_fe-berlin-443_pool' has no "
					    "ServerTotConns on the device (counted as 0)\n"));
	assert_null(strstr(c.notes.buf, "fe-berlin-5061_vs' has no"));
	assert_null(strstr(c.notes.buf, "aclf_fe01:5061 of pool"));
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);
	aclf_policy_free(p);
}

static void cannot_count(void **state)
{
	struct aclf_counters c;
	struct aclf_err err;
	struct aclf_snmp_vbs l;
	struct aclf_device dev = { .name = "h1", .driver = "ios" };

	(void)state;
	aclf_snmp_vbs_init(&l);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	/* every registered driver counts (ios: interface totals; its entries
	 * over the CLI, tests/unit/test_ios_counters.c) */
	assert_true(aclf_driver_can_count(aclf_driver_find("ios")));
	assert_true(aclf_driver_can_count(aclf_driver_find("junos")));
	assert_false(aclf_driver_can_count(NULL));
	assert_int_equal(aclf_driver_counters(NULL, &l, &dev, NULL, &c, &err), -1);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&err), "'?' cannot read counters"));
	aclf_counters_release(&c);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(junos_mapping),
		cmocka_unit_test(junos_bad_answer),
		cmocka_unit_test(bigip_mapping),
		cmocka_unit_test(cannot_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
