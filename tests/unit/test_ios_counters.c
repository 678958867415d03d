/* IOS counters (drivers/ios/ios_cnt.c, ios_cnt_if.c) through the core,
 * without a transport: the show texts an emulated switch printed after an
 * apply and five packets (tests/fixtures/ios/counters/, SOURCES.md there)
 * mapped to the intended policy compiled for it:
 *  - each rule's entries by sequence number, the counts of entry 20 (an
 *    object-group service entry: 3 matches) and 50 (1 match) on their
 *    rules, every other rule found with 0, no bytes, source cli;
 *  - a live entry changed by hand: a note and no count; an entry nobody
 *    intends with matches: a note; a missing entry: a note; the default
 *    entry's matches: nothing (a changed default entry: a note);
 *  - version B's names (list and groups renamed) count the same;
 *  - no binding, or groups show does not define: notes, never counts;
 *  - unreadable text: ACLF_E_DEVICE naming the command, out as it was;
 *  - IF-MIB: ifDescr then ifName, 64-bit counters before 32-bit ones, an
 *    interface the agent lacks, a value of the wrong type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"

static const char *const CMD_RUN = "show running-config";
static const char *const CMD_ACL = "show access-lists";
static const char *const CMD_OG = "show object-group";

struct fx {
	struct aclf_buf run, acl, og;
	struct aclf_policy *pol;
	const struct aclf_devpol *dp;
	struct aclf_device dev;
	const struct aclf_driver *ios;
};

static void read_fixture(const char *name, struct aclf_buf *b)
{
	const char *dir = getenv("ACLF_FIXTURES");
	char path[4096];

	snprintf(path, sizeof(path), "%s/ios/counters/%s", dir && *dir ? dir : "tests/fixtures",
		 name);
	aclf_buf_init(b, 0);
	if (aclf_buf_read_file(b, path) < 0)
		fail_msg("cannot read %s", path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct aclf_buf j;
	struct aclf_err err;

	assert_non_null(f);
	read_fixture("show-running-config.txt", &f->run);
	read_fixture("show-access-lists.txt", &f->acl);
	read_fixture("show-object-group.txt", &f->og);
	read_fixture("intended.json", &j);
	aclf_err_init(&err);
	f->pol = aclf_policy_from_json(j.buf, j.len, "intended.json", &err);
	if (!f->pol)
		fail_msg("%s", aclf_err_text(&err));
	f->dp = aclf_policy_find_device(f->pol, "sw1");
	assert_non_null(f->dp);
	f->dev.name = "sw1";
	f->dev.driver = "ios";
	f->ios = aclf_driver_find("ios");
	assert_non_null(f->ios);
	aclf_buf_release(&j);
	aclf_err_release(&err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	aclf_buf_release(&f->run);
	aclf_buf_release(&f->acl);
	aclf_buf_release(&f->og);
	aclf_policy_free(f->pol);
	free(f);
	return 0;
}

/* every occurrence of from in b replaced by to; fails unless at least one */
static void replace(struct aclf_buf *b, const char *from, const char *to)
{
	struct aclf_buf o;
	const char *p = b->buf, *q;
	size_t n = strlen(from), hits = 0;

	aclf_buf_init(&o, 0);
	while ((q = strstr(p, from))) {
		aclf_buf_add(&o, p, (size_t)(q - p));
		aclf_buf_puts(&o, to);
		p = q + n;
		hits++;
	}
	aclf_buf_puts(&o, p);
	if (!hits)
		fail_msg("'%s' not in the text", from);
	aclf_buf_release(b);
	*b = o;
}

static void capture(struct aclf_cli_capture *cap, const struct aclf_buf *run,
		    const struct aclf_buf *acl, const struct aclf_buf *og)
{
	aclf_cli_capture_init(cap);
	assert_int_equal(aclf_cli_capture_add(cap, CMD_RUN, run->buf, run->len), 0);
	assert_int_equal(aclf_cli_capture_add(cap, CMD_ACL, acl->buf, acl->len), 0);
	assert_int_equal(aclf_cli_capture_add(cap, CMD_OG, og->buf, og->len), 0);
}

/* map the texts; 0 or -1 (err) */
static int map(struct fx *f, const struct aclf_buf *run, const struct aclf_buf *acl,
	       const struct aclf_buf *og, struct aclf_counters *c, struct aclf_err *err)
{
	struct aclf_cli_capture cap;
	int rc;

	capture(&cap, run, acl, og);
	aclf_counters_init(c);
	aclf_err_init(err);
	rc = aclf_driver_counters_cli(f->ios, &cap, &f->dev, f->dp, c, err);
	aclf_cli_capture_release(&cap);
	return rc;
}

static const struct aclf_rule_cnt *rule(const struct aclf_counters *c, const char *filter,
					const char *id)
{
	for (size_t k = 0; k < c->nrules; k++)
		if (!strcmp(c->rules[k].filter, filter) && !strcmp(c->rules[k].rule, id))
			return &c->rules[k];
	fail_msg("no rule %s %s", filter, id);
	return NULL;
}

static size_t intended_rules(const struct fx *f)
{
	size_t n = 0;

	for (size_t k = 0; k < f->dp->nfilters; k++)
		n += f->dp->filters[k].nrules;
	return n;
}

static void exact(void **state)
{
	struct fx *f = *state;
	struct aclf_counters c;
	struct aclf_err err;
	const struct aclf_rule_cnt *rc;

	assert_true(aclf_driver_can_count_cli(f->ios));
	if (map(f, &f->run, &f->acl, &f->og, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(c.nrules, intended_rules(f));
	assert_string_equal(c.notes.buf, "");
	rc = rule(&c, "LAB-SERVERS", "r0002");
	assert_true(rc->found);
	assert_int_equal(rc->packets, 3);
	assert_false(rc->has_bytes);
	assert_int_equal(rc->source, ACLF_CNT_CLI);
	/* one entry with a service group: its one counter is the rule's */
	assert_int_equal(rc->ninst, 1);
	assert_string_equal(rc->inst[0].name, "LAB-SERVERS");
	assert_string_equal(rc->inst[0].counter, "20");
	rc = rule(&c, "LAB-SERVERS", "r0005");
	assert_int_equal(rc->packets, 1);
	assert_string_equal(rc->inst[0].counter, "50");
	/* the IPv6 list's entries are instances of the same rules */
	for (size_t k = 0; k < c.nrules; k++) {
		const struct aclf_rule_cnt *x = &c.rules[k];
		bool v6 = false;

		assert_true(x->found);
		assert_int_equal(x->source, ACLF_CNT_CLI);
		assert_false(x->has_bytes);
		for (size_t i = 0; i < x->ninst; i++)
			v6 |= strstr(x->inst[i].name, "-V6") != NULL;
		if (!strcmp(x->filter, "LAB-SERVERS") && !strcmp(x->rule, "r0001"))
			assert_false(v6); /* 127.0.0.1 only */
	}
	for (size_t k = 0; k < c.nrules; k++)
		if (strcmp(c.rules[k].rule, "r0002") && strcmp(c.rules[k].rule, "r0005"))
			assert_int_equal(c.rules[k].packets, 0);
	aclf_counters_release(&c);
	aclf_err_release(&err);
}

static void changed_entry(void **state)
{
	struct fx *f = *state;
	struct aclf_buf acl;
	struct aclf_counters c;
	struct aclf_err err;
	const struct aclf_rule_cnt *rc;

	aclf_buf_init(&acl, 0);
	aclf_buf_add(&acl, f->acl.buf, f->acl.len);
	/* entry 50 now ends at 65000; one nobody intends, with a match, at 15;
	 * entry 60 gone */
	replace(&acl, "object-group fe-lab range 49152 65535 (1 match)",
		"object-group fe-lab range 49152 65000 (1 match)");
	replace(&acl, "    20 permit object-group SVC-TCP-1",
		"    15 permit tcp any any eq 9999 (4 matches)\n    20 permit object-group SVC-TCP-1");
	replace(&acl, "    60 permit udp object-group fe-lab object-group fe-lab range 49152 57500\n", "");
	/* the default entry's matches are nobody's rule and no surprise; a
	 * default entry turned round is named */
	replace(&acl, "    350 deny ip any any\n", "    350 deny ip any any (9 matches)\n");
	replace(&acl, "    170 deny ip any any\n", "    170 permit ip any any (2 matches)\n");
	if (map(f, &f->run, &acl, &f->og, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	rc = rule(&c, "LAB-SERVERS", "r0005");
	assert_false(rc->found);
	assert_int_equal(rc->packets, 0);
	assert_non_null(strstr(c.notes.buf, "filter 'LAB-SERVERS' rule 'r0005': entry 50 of list "
					    "'LAB-SERVERS' is '50 permit udp 198.18.20.0 0.0.0.255 "
					    "object-group fe-lab range 49152 65000 (1 match)', not the "
					    "intended 'permit udp 198.18.20.0 0.0.0.255 object-group "
					    "fe-lab range 49152 65535': its 1 match is not counted"));
	assert_non_null(strstr(c.notes.buf, "entry 15 '15 permit tcp any any eq 9999 (4 matches)' "
					    "is no intended rule's: its 4 matches are not counted"));
	rc = rule(&c, "LAB-SERVERS", "r0006");
	assert_false(rc->found);
	assert_non_null(strstr(c.notes.buf, "rule 'r0006': list 'LAB-SERVERS' has no entry 60"));
	assert_null(strstr(c.notes.buf, "entry 350"));
	assert_non_null(strstr(c.notes.buf, "list 'LAB-CLIENTS' (filter 'LAB-CLIENTS'): entry 170 "
					    "'170 permit ip any any (2 matches)' is no intended rule's: "
					    "its 2 matches are not counted"));
	/* one note per rule: no "no counter" line besides */
	assert_null(strstr(c.notes.buf, "rule 'r0005': no counter"));
	assert_int_equal(rule(&c, "LAB-SERVERS", "r0002")->packets, 3);
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_buf_release(&acl);
}

/* the plan's version B: other list and group names, the same meaning */
static void version_b(void **state)
{
	struct fx *f = *state;
	struct aclf_buf run, acl, og;
	struct aclf_counters c;
	struct aclf_err err;
	const struct aclf_rule_cnt *rc;

	aclf_buf_init(&run, 0);
	aclf_buf_init(&acl, 0);
	aclf_buf_init(&og, 0);
	aclf_buf_add(&run, f->run.buf, f->run.len);
	aclf_buf_add(&acl, f->acl.buf, f->acl.len);
	aclf_buf_add(&og, f->og.buf, f->og.len);
	replace(&run, "access-group LAB-SERVERS out", "access-group LAB-SERVERS.B out");
	replace(&acl, "list LAB-SERVERS\n", "list LAB-SERVERS.B\n");
	replace(&acl, "object-group fe-lab ", "object-group fe-lab.B ");
	replace(&acl, "object-group fe-lab\n", "object-group fe-lab.B\n");
	replace(&og, "group fe-lab\n", "group fe-lab.B\n");
	replace(&og, "group-object fe-lab\n", "group-object fe-lab.B\n");
	if (map(f, &run, &acl, &og, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(c.notes.buf, "");
	rc = rule(&c, "LAB-SERVERS", "r0002");
	assert_int_equal(rc->packets, 3);
	assert_string_equal(rc->inst[0].name, "LAB-SERVERS.B");
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_buf_release(&run);
	aclf_buf_release(&acl);
	aclf_buf_release(&og);
}

static void not_bound_no_groups(void **state)
{
	struct fx *f = *state;
	struct aclf_buf run, none;
	struct aclf_counters c;
	struct aclf_err err;

	aclf_buf_init(&run, 0);
	aclf_buf_init(&none, 0);
	aclf_buf_add(&run, f->run.buf, f->run.len);
	replace(&run, " ip access-group LAB-SERVERS out\n", "");
	if (map(f, &run, &f->acl, &f->og, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_non_null(strstr(c.notes.buf, "filter 'LAB-SERVERS': no IPv4 list is bound at Vlan2 "
					    "out on the device: its entries are not counted"));
	assert_false(rule(&c, "LAB-SERVERS", "r0002")->found);
	aclf_counters_release(&c);
	aclf_err_release(&err);
	/* show access-lists without the groups it names: those entries cannot
	 * be judged, so they count for nobody */
	if (map(f, &f->run, &f->acl, &none, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_false(rule(&c, "LAB-SERVERS", "r0002")->found);
	assert_false(rule(&c, "LAB-SERVERS", "r0005")->found);
	assert_non_null(strstr(c.notes.buf, "rule 'r0002': entry 20 of list 'LAB-SERVERS' is"));
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_buf_release(&run);
	aclf_buf_release(&none);
}

static void unreadable(void **state)
{
	struct fx *f = *state;
	struct aclf_buf acl;
	struct aclf_cli_capture cap;
	struct aclf_counters c;
	struct aclf_err err;

	aclf_buf_init(&acl, 0);
	aclf_buf_add(&acl, f->acl.buf, f->acl.len);
	replace(&acl, "    10 permit tcp host 127.0.0.1", "    10 permit tcp hosts 127.0.0.1");
	capture(&cap, &f->run, &acl, &f->og);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_counters_note(&c, "before"), 0);
	assert_int_equal(aclf_driver_counters_cli(f->ios, &cap, &f->dev, f->dp, &c, &err), -1);
	assert_int_equal(err.kind, ACLF_E_DEVICE);
	assert_non_null(strstr(aclf_err_text(&err), "sw1"));
	assert_non_null(strstr(aclf_err_text(&err), "show access-lists:2:"));
	assert_int_equal(c.nrules, 0);
	assert_string_equal(c.notes.buf, "before\n");
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_cli_capture_release(&cap);
	/* a command not captured is a bug, not a silent zero */
	aclf_cli_capture_init(&cap);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters_cli(f->ios, &cap, &f->dev, f->dp, &c, &err), -1);
	assert_int_equal(err.kind, ACLF_E_BUG);
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_cli_capture_release(&cap);
	aclf_buf_release(&acl);
}

static void cli_only_ios(void **state)
{
	struct fx *f = *state;
	struct aclf_cli_capture cap;
	struct aclf_counters c;
	struct aclf_err err;

	assert_false(aclf_driver_can_count_cli(aclf_driver_find("junos")));
	capture(&cap, &f->run, &f->acl, &f->og);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters_cli(aclf_driver_find("junos"), &cap, &f->dev, f->dp, &c,
						  &err),
			 -1);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&err), "'junos' reads no counters over the CLI"));
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_cli_capture_release(&cap);
}

/* ---- IF-MIB ---- */

static void vb(struct aclf_snmp_vbs *l, const char *col, uint32_t idx, enum aclf_snmp_type t,
	       uint64_t u, const char *s)
{
	uint32_t o[ACLF_SNMP_MAX_OID];
	int n = aclf_snmp_oid_parse(col, o, ACLF_SNMP_MAX_OID - 1);

	assert_true(n > 0);
	o[n++] = idx;
	assert_int_equal(aclf_snmp_vbs_add(l, o, (size_t)n, t, u, 0, s, s ? strlen(s) : 0), 0);
}

#define IF_DESCR "1.3.6.1.2.1.2.2.1.2"
#define IF_NAME "1.3.6.1.2.1.31.1.1.1.1"
#define IF_HC_PKTS "1.3.6.1.2.1.31.1.1.1.7"
#define IF_HC_OCTETS "1.3.6.1.2.1.31.1.1.1.6"
#define IF_PKTS "1.3.6.1.2.1.2.2.1.11"
#define IF_OCTETS "1.3.6.1.2.1.2.2.1.10"

static void interfaces(void **state)
{
	struct fx *f = *state;
	struct aclf_snmp_vbs l;
	struct aclf_counters c;
	struct aclf_err err;

	aclf_snmp_vbs_init(&l);
	/* Vlan2 by ifDescr with 64-bit counters (and 32-bit ones that must
	 * not be taken); Vlan3 only by ifName, 32-bit only */
	vb(&l, IF_DESCR, 2, ACLF_SNMP_OCTETS, 0, "Vlan2");
	vb(&l, IF_DESCR, 3, ACLF_SNMP_OCTETS, 0, "Vlan 3 (renamed)");
	vb(&l, IF_NAME, 2, ACLF_SNMP_OCTETS, 0, "Vl2");
	vb(&l, IF_NAME, 3, ACLF_SNMP_OCTETS, 0, "Vlan3");
	vb(&l, IF_HC_PKTS, 2, ACLF_SNMP_COUNTER64, 5000000000ull, NULL);
	vb(&l, IF_HC_OCTETS, 2, ACLF_SNMP_COUNTER64, 1238907062ull, NULL);
	vb(&l, IF_PKTS, 2, ACLF_SNMP_COUNTER32, 18084979, NULL);
	vb(&l, IF_OCTETS, 2, ACLF_SNMP_COUNTER32, 1, NULL);
	vb(&l, IF_PKTS, 3, ACLF_SNMP_COUNTER32, 8177259, NULL);
	vb(&l, IF_OCTETS, 3, ACLF_SNMP_COUNTER32, 768239771, NULL);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_true(aclf_driver_can_count(f->ios));
	if (aclf_driver_counters(f->ios, &l, &f->dev, f->dp, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(c.nifs, 2);
	assert_string_equal(c.ifs[0].name, "Vlan2");
	assert_true(c.ifs[0].found);
	assert_int_equal(c.ifs[0].bits, 64);
	assert_int_equal(c.ifs[0].in_packets, 5000000000ull);
	assert_int_equal(c.ifs[0].in_octets, 1238907062ull);
	assert_int_equal(c.ifs[0].source, ACLF_CNT_SNMP);
	assert_string_equal(c.ifs[1].name, "Vlan3");
	assert_int_equal(c.ifs[1].bits, 32);
	assert_int_equal(c.ifs[1].in_packets, 8177259);
	assert_int_equal(c.ifs[1].in_octets, 768239771);
	assert_int_equal(c.nrules, 0); /* the rules come over the CLI */
	aclf_counters_release(&c);
	aclf_err_release(&err);

	/* Vlan3 unknown to the agent: a note; a string where a counter
	 * belongs: an error naming the OID, nothing kept */
	aclf_snmp_vbs_release(&l);
	aclf_snmp_vbs_init(&l);
	vb(&l, IF_DESCR, 2, ACLF_SNMP_OCTETS, 0, "Vlan2");
	vb(&l, IF_HC_PKTS, 2, ACLF_SNMP_COUNTER64, 7, NULL);
	vb(&l, IF_HC_OCTETS, 2, ACLF_SNMP_COUNTER64, 700, NULL);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	if (aclf_driver_counters(f->ios, &l, &f->dev, f->dp, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_true(c.ifs[0].found);
	assert_false(c.ifs[1].found);
	assert_non_null(strstr(c.notes.buf, "interface 'Vlan3': not in the agent's IF-MIB"));
	aclf_counters_release(&c);
	aclf_err_release(&err);
	vb(&l, IF_DESCR, 3, ACLF_SNMP_OCTETS, 0, "Vlan3");
	vb(&l, IF_HC_PKTS, 3, ACLF_SNMP_OCTETS, 0, "many");
	vb(&l, IF_HC_OCTETS, 3, ACLF_SNMP_COUNTER64, 1, NULL);
	aclf_counters_init(&c);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_counters(f->ios, &l, &f->dev, f->dp, &c, &err), -1);
	assert_int_equal(err.kind, ACLF_E_DEVICE);
	assert_non_null(strstr(aclf_err_text(&err), "1.3.6.1.2.1.31.1.1.1.7.3"));
	assert_non_null(strstr(aclf_err_text(&err), "octet string"));
	assert_int_equal(c.nifs, 0);
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact),
		cmocka_unit_test(changed_entry),
		cmocka_unit_test(version_b),
		cmocka_unit_test(not_bound_no_groups),
		cmocka_unit_test(unreadable),
		cmocka_unit_test(cli_only_ios),
		cmocka_unit_test(interfaces),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
