/* SNMP plain data and the counter decoders without a network: numeric
 * OIDs, length-prefixed string indexes up to the 128 sub-identifier limit,
 * counter deltas (wraps, restarts), varbind lists; the Junos firewall
 * counter table read from the MX960 recording (every row) and from made-up
 * rows (interface-specific instances kept apart and summed, Counter32 as
 * well as Counter64, malformed indexes and wrong types failing with the
 * device and the OID); the BIG-IP statistics tables from the made-up
 * recording and in the older member index form, in whatever order the
 * varbinds come (the columns `counters` walks, row by row, a column
 * missing from a row); session options from a
 * topology device with env: and file: secrets; options refused before
 * anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"
#include "bigip/bigip_snmp.h"
#include "junos/junos_snmp.h"

/* ---- helpers ---- */

static void oid_of(const char *text, uint32_t *o, size_t *n)
{
	int k = aclf_snmp_oid_parse(text, o, ACLF_SNMP_MAX_OID);

	assert_true(k > 0);
	*n = (size_t)k;
}

/* ENTRY.COL + string indexes + trailing sub-ids */
static void add_row(struct aclf_snmp_vbs *l, const char *entry, uint32_t col, const char *s1,
		    const char *s2, const uint32_t *tail, size_t ntail, enum aclf_snmp_type t,
		    uint64_t v)
{
	uint32_t o[ACLF_SNMP_MAX_OID];
	size_t n;

	oid_of(entry, o, &n);
	o[n++] = col;
	assert_int_equal(aclf_snmp_index_encode(o, &n, s1), 0);
	if (s2)
		assert_int_equal(aclf_snmp_index_encode(o, &n, s2), 0);
	for (size_t k = 0; k < ntail; k++)
		o[n++] = tail[k];
	assert_int_equal(aclf_snmp_vbs_add(l, o, n, t, v, 0, NULL, 0), 0);
}

/* An snmprec file (OID|TAG|VALUE) as varbinds: the decoders' input
 * without a transport. */
static void read_snmprec(const char *name, struct aclf_snmp_vbs *l)
{
	char path[1024], line[4096];
	const char *dir = getenv("ACLF_FIXTURES");
	FILE *f;

	snprintf(path, sizeof(path), "%s/snmp/%s", dir ? dir : "tests/fixtures", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	aclf_snmp_vbs_init(l);
	while (fgets(line, sizeof(line), f)) {
		char *bar1 = strchr(line, '|'), *bar2, *val;
		uint32_t o[ACLF_SNMP_MAX_OID];
		size_t n;
		int tag;

		assert_non_null(bar1);
		*bar1 = 0;
		bar2 = strchr(bar1 + 1, '|');
		assert_non_null(bar2);
		*bar2 = 0;
		val = bar2 + 1;
		val[strcspn(val, "\n")] = 0;
		oid_of(line, o, &n);
		tag = (int)strtol(bar1 + 1, NULL, 10);
		if (!strcmp(bar1 + 1, "4x") || tag == 4) {
			assert_int_equal(aclf_snmp_vbs_add(l, o, n, ACLF_SNMP_OCTETS, 0, 0, val, strlen(val)),
					 0);
		} else if (tag == 70 || tag == 65 || tag == 66 || tag == 67) {
			enum aclf_snmp_type t = tag == 70 ? ACLF_SNMP_COUNTER64 :
						tag == 65 ? ACLF_SNMP_COUNTER32 :
						tag == 66 ? ACLF_SNMP_GAUGE32 : ACLF_SNMP_TIMETICKS;

			assert_int_equal(aclf_snmp_vbs_add(l, o, n, t, strtoull(val, NULL, 10), 0, NULL, 0),
					 0);
		} else {
			assert_int_equal(aclf_snmp_vbs_add(l, o, n, ACLF_SNMP_INTEGER, 0,
							   strtoll(val, NULL, 10), NULL, 0),
					 0);
		}
	}
	fclose(f);
}

/* ---- OIDs and indexes ---- */

static void oids(void **state)
{
	uint32_t o[ACLF_SNMP_MAX_OID], r[4] = { 1, 3, 6, 1 };
	char buf[64];
	size_t n;

	(void)state;
	assert_int_equal(aclf_snmp_oid_parse(".1.3.6.1.2.1.1.3.0", o, ACLF_SNMP_MAX_OID), 9);
	assert_string_equal(aclf_snmp_oid_str(o, 9, buf, sizeof(buf)), "1.3.6.1.2.1.1.3.0");
	assert_true(aclf_snmp_oid_under(o, 9, r, 4));
	assert_false(aclf_snmp_oid_under(r, 4, r, 4)); /* the root itself is not under it */
	assert_int_equal(aclf_snmp_oid_parse("1.3.4294967295", o, 8), 3);
	assert_int_equal(o[2], 4294967295u);
	assert_int_equal(aclf_snmp_oid_parse("1.3.4294967296", o, 8), -1);
	assert_int_equal(aclf_snmp_oid_parse("", o, 8), -1);
	assert_int_equal(aclf_snmp_oid_parse("1..3", o, 8), -1);
	assert_int_equal(aclf_snmp_oid_parse("1.3.", o, 8), -1);
	assert_int_equal(aclf_snmp_oid_parse("1.3.x", o, 8), -1);
	assert_int_equal(aclf_snmp_oid_parse("1.2.3.4.5", o, 4), -1);
	assert_true(aclf_snmp_oid_cmp(r, 3, r, 4) < 0);
	assert_true(aclf_snmp_oid_cmp(r, 4, r, 3) > 0);
	oid_of("1.3.6.2", o, &n);
	assert_true(aclf_snmp_oid_cmp(r, 4, o, n) < 0);
	/* a cut text says so */
	oid_of("1.3.6.1.4.1.2636.3.5.2.1.4.11.97.110.116.105", o, &n);
	aclf_snmp_oid_str(o, n, buf, 16);
	assert_non_null(strstr(buf, "..."));
	assert_true(strlen(buf) < 16);
}

static void string_index(void **state)
{
	uint32_t o[ACLF_SNMP_MAX_OID];
	char name[200], out[200];
	size_t n = 0, pos;

	(void)state;
	/* 128 sub-ids at most: 1 length + 127 bytes fills an empty prefix */
	memset(name, 'a', 127);
	name[127] = 0;
	assert_int_equal(aclf_snmp_index_encode(o, &n, name), 0);
	assert_int_equal(n, 128);
	pos = 0;
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, sizeof(out)), 127);
	assert_string_equal(out, name);
	assert_int_equal(pos, 128);
	name[126] = 0; /* one more would not fit after one sub-id */
	n = 1;
	o[0] = 9;
	assert_int_equal(aclf_snmp_index_encode(o, &n, name), 0);
	n = 2;
	name[126] = 'a';
	assert_int_equal(aclf_snmp_index_encode(o, &n, name), -1);
	assert_int_equal(n, 2); /* untouched */
	/* cut short, a byte over 255, a NUL, too long for out */
	oid_of("5.97.98.99", o, &n);
	pos = 0;
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, sizeof(out)), -1);
	assert_int_equal(pos, 0);
	oid_of("2.97.256", o, &n);
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, sizeof(out)), -1);
	oid_of("2.97.0", o, &n);
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, sizeof(out)), -1);
	oid_of("3.97.98.99", o, &n);
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, 3), -1);
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, 4), 3);
	assert_string_equal(out, "abc");
	pos = 4;
	assert_int_equal(aclf_snmp_index_string(o, n, &pos, out, 4), -1); /* nothing left */
}

static void deltas(void **state)
{
	uint64_t d;

	(void)state;
	assert_int_equal(aclf_snmp_delta(100, 1000, 64, 250, 2000, 64, &d), ACLF_SNMP_DELTA_OK);
	assert_true(d == 150);
	/* Counter32 passed 2^32 - 1 once */
	assert_int_equal(aclf_snmp_delta(4294967000u, 1000, 32, 200, 2000, 32, &d),
			 ACLF_SNMP_DELTA_WRAP);
	assert_true(d == 296 + 200);
	assert_int_equal(aclf_snmp_delta(UINT64_MAX - 9, 1000, 64, 5, 2000, 64, &d),
			 ACLF_SNMP_DELTA_WRAP);
	assert_true(d == 15);
	/* sysUpTime went back: counted since the restart */
	assert_int_equal(aclf_snmp_delta(5000, 900000, 64, 70, 300, 64, &d), ACLF_SNMP_DELTA_RESTART);
	assert_true(d == 70);
	/* equal readings, equal uptime */
	assert_int_equal(aclf_snmp_delta(7, 10, 32, 7, 10, 32, &d), ACLF_SNMP_DELTA_OK);
	assert_true(d == 0);
	/* the agent now sends another width */
	assert_int_equal(aclf_snmp_delta(7, 10, 32, 9, 20, 64, &d), ACLF_SNMP_DELTA_RESTART);
}

static void values(void **state)
{
	struct aclf_snmp_vbs a, b;
	uint32_t o[3] = { 1, 3, 6 };
	uint64_t v;

	(void)state;
	aclf_snmp_vbs_init(&a);
	aclf_snmp_vbs_init(&b);
	assert_int_equal(aclf_snmp_vbs_add(&a, o, 3, ACLF_SNMP_COUNTER32, 7, 0, NULL, 0), 0);
	assert_int_equal(aclf_snmp_vbs_add(&b, o, 2, ACLF_SNMP_OCTETS, 0, 0, "x\0y", 3), 0);
	assert_int_equal(aclf_snmp_vbs_add(&b, o, 0, ACLF_SNMP_GAUGE32, 9, 0, NULL, 0), 0);
	assert_int_equal(aclf_snmp_vbs_splice(&a, &b), 0);
	assert_int_equal(a.n, 3);
	assert_int_equal(b.n, 0);
	assert_memory_equal(a.v[1].str, "x\0y", 4);
	assert_int_equal(a.v[1].str_len, 3);
	assert_int_equal(aclf_snmp_vb_counter(&a.v[0], &v), 0);
	assert_true(v == 7);
	assert_int_equal(aclf_snmp_vb_counter(&a.v[2], &v), 0);
	assert_true(v == 9);
	assert_int_equal(aclf_snmp_vb_counter(&a.v[1], &v), -1);
	assert_string_equal(aclf_snmp_type_name(a.v[1].type), "octet string");
	aclf_snmp_vbs_release(&a);
	aclf_snmp_vbs_release(&b);
}

/* Many values over several blocks, a value larger than a block, and a
 * splice of two lists with blocks of their own: every OID and string
 * still reads back. */
static void values_blocks(void **state)
{
	struct aclf_snmp_vbs a, b;
	uint32_t o[ACLF_SNMP_MAX_OID];
	static char big[70000];
	char s[40];

	(void)state;
	for (size_t k = 0; k < ACLF_SNMP_MAX_OID; k++)
		o[k] = (uint32_t)k * 7u;
	memset(big, 'b', sizeof(big));
	aclf_snmp_vbs_init(&a);
	aclf_snmp_vbs_init(&b);
	for (unsigned k = 0; k < 3000; k++) {
		struct aclf_snmp_vbs *l = k % 2 ? &b : &a;

		o[0] = k;
		snprintf(s, sizeof(s), "v%u", k);
		assert_int_equal(aclf_snmp_vbs_add(l, o, 1 + k % ACLF_SNMP_MAX_OID, ACLF_SNMP_OCTETS, 0,
						   0, s, strlen(s)), 0);
		if (k == 1001)
			assert_int_equal(aclf_snmp_vbs_add(&b, o, 2, ACLF_SNMP_OCTETS, 0, 0, big,
							   sizeof(big)), 0);
	}
	assert_int_equal(aclf_snmp_vbs_splice(&a, &b), 0);
	assert_int_equal(a.n, 3001);
	assert_int_equal(b.n, 0);
	for (size_t j = 0; j < a.n; j++) {
		const struct aclf_snmp_vb *vb = &a.v[j];

		if (vb->str_len == sizeof(big)) {
			assert_memory_equal(vb->str, big, sizeof(big));
			assert_int_equal(vb->str[sizeof(big)], 0);
			continue;
		}
		snprintf(s, sizeof(s), "v%u", vb->oid[0]);
		assert_string_equal((const char *)vb->str, s);
		assert_int_equal(vb->oid_len, 1 + vb->oid[0] % ACLF_SNMP_MAX_OID);
		for (size_t k = 1; k < vb->oid_len; k++)
			assert_int_equal(vb->oid[k], k * 7u);
	}
	/* a list filled again after a splice into it */
	assert_int_equal(aclf_snmp_vbs_add(&a, o, 3, ACLF_SNMP_COUNTER32, 5, 0, NULL, 0), 0);
	assert_int_equal(a.v[3001].oid[1], 7u);
	aclf_snmp_vbs_release(&a);
	aclf_snmp_vbs_release(&b);
}

/* ---- Junos ---- */

static void junos_mx960(void **state)
{
	struct aclf_snmp_vbs l;
	struct junos_fwcs c;
	struct aclf_err err;
	size_t counters = 0, policers = 0, filters = 0;
	uint64_t p, b;

	(void)state;
	read_snmprec("juniper-mx960.snmprec", &l);
	aclf_err_init(&err);
	if (junos_snmp_decode(&l, "mx960", &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(c.n, 32);
	for (size_t k = 0; k < c.n; k++) {
		assert_true(c.v[k].has_packets && c.v[k].has_bytes);
		assert_int_equal(c.v[k].dir, 0);
		assert_string_equal(c.v[k].base, c.v[k].filter);
		counters += c.v[k].type == JUNOS_FWC_COUNTER;
		policers += c.v[k].type == JUNOS_FWC_POLICER;
		filters += k == 0 || strcmp(c.v[k].filter, c.v[k - 1].filter);
	}
	assert_int_equal(counters, 21);
	assert_int_equal(policers, 11);
	assert_int_equal(filters, 4);
	assert_string_equal(c.v[0].filter, "anti-viruse");
	assert_string_equal(c.v[0].counter, "tcp-viruse");
	assert_true(c.v[0].packets == 684017284ull && c.v[0].bytes == 35542516988ull);
	assert_int_equal(junos_fwc_sum(&c, "RE_Protect_ACL", "permit-snmp", JUNOS_FWC_COUNTER, &p, &b), 1);
	assert_true(p == 63514448ull && b == 4705474838ull);
	assert_int_equal(junos_fwc_sum(&c, "RE_Protect_ACL", "permit-snmp", JUNOS_FWC_POLICER, &p, &b), 0);
	junos_fwcs_release(&c);
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);
}

static void junos_interface_specific(void **state)
{
	static const uint32_t counter[] = { 2 }, policer[] = { 3 };
	struct aclf_snmp_vbs l;
	struct junos_fwcs c;
	struct aclf_err err;
	uint64_t p, b;

	(void)state;
	aclf_snmp_vbs_init(&l);
	/* LYNC-FE on two logical interfaces in and one out, and itself */
	add_row(&l, JUNOS_FWC_ENTRY, 4, "LYNC-FE-ge-0/0/1.0-i", "t5061", counter, 1, ACLF_SNMP_COUNTER64, 10);
	add_row(&l, JUNOS_FWC_ENTRY, 4, "LYNC-FE-xe-1/2/3:1.100-i", "t5061", counter, 1,
		ACLF_SNMP_COUNTER32, 20);
	add_row(&l, JUNOS_FWC_ENTRY, 4, "LYNC-FE-ae12.3-o", "t5061", counter, 1, ACLF_SNMP_GAUGE32, 300);
	add_row(&l, JUNOS_FWC_ENTRY, 4, "LYNC-FE", "t5061", counter, 1, ACLF_SNMP_COUNTER64, 4000);
	add_row(&l, JUNOS_FWC_ENTRY, 4, "LYNC-FE", "t5061", policer, 1, ACLF_SNMP_COUNTER64, 50000);
	/* a filter whose own name ends like an instance but holds no interface */
	add_row(&l, JUNOS_FWC_ENTRY, 4, "edge-i", "c", counter, 1, ACLF_SNMP_COUNTER64, 1);
	add_row(&l, JUNOS_FWC_ENTRY, 5, "LYNC-FE-ge-0/0/1.0-i", "t5061", counter, 1, ACLF_SNMP_COUNTER64, 1000);
	add_row(&l, JUNOS_FWC_ENTRY, 5, "LYNC-FE-xe-1/2/3:1.100-i", "t5061", counter, 1,
		ACLF_SNMP_COUNTER64, 2000);
	add_row(&l, JUNOS_FWC_ENTRY, 5, "LYNC-FE-ae12.3-o", "t5061", counter, 1, ACLF_SNMP_COUNTER64, 30000);
	/* a display column and another table are skipped */
	add_row(&l, JUNOS_FWC_ENTRY, 6, "LYNC-FE", "t5061", counter, 1, ACLF_SNMP_OCTETS, 0);
	add_row(&l, "1.3.6.1.4.1.2636.3.5.1.1", 4, "LYNC-FE", "t5061", NULL, 0, ACLF_SNMP_OCTETS, 0);
	aclf_err_init(&err);
	if (junos_snmp_decode(&l, "mx", &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(c.n, 6);
	assert_string_equal(c.v[0].base, "LYNC-FE");
	assert_string_equal(c.v[0].ifl, "ge-0/0/1.0");
	assert_int_equal(c.v[0].dir, 'i');
	assert_string_equal(c.v[1].ifl, "xe-1/2/3:1.100");
	assert_string_equal(c.v[2].ifl, "ae12.3");
	assert_int_equal(c.v[2].dir, 'o');
	assert_int_equal(c.v[3].dir, 0);
	assert_string_equal(c.v[5].base, "edge-i");
	assert_false(c.v[3].has_bytes);
	/* each instance apart, and the rule's sum over all of them */
	assert_true(c.v[1].packets == 20 && c.v[1].bytes == 2000);
	assert_int_equal(junos_fwc_sum(&c, "LYNC-FE", "t5061", JUNOS_FWC_COUNTER, &p, &b), 4);
	assert_true(p == 4330 && b == 33000);
	assert_int_equal(junos_fwc_sum(&c, "LYNC-FE", "t5061", JUNOS_FWC_POLICER, &p, &b), 1);
	assert_true(p == 50000);
	junos_fwcs_release(&c);
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);
}

static void junos_split(void **state)
{
	static const struct {
		const char *name, *base, *ifl;
		char dir;
	} t[] = {
		{ "f-ge-0/0/0.0-i", "f", "ge-0/0/0.0", 'i' },
		{ "my-filter-lo0.0-o", "my-filter", "lo0.0", 'o' },
		{ "a-b-ae0.0-i", "a-b", "ae0.0", 'i' },
		{ "x-irb.10-o", "x", "irb.10", 'o' },
		{ "x-ge-1-ge-0/0/0.0-i", "x-ge-1", "ge-0/0/0.0", 'i' },
		{ "edge-i", NULL, NULL, 0 },
		{ "f-ge-0/0/0-i", NULL, NULL, 0 },   /* no unit */
		{ "f-ge-0//0.0-i", NULL, NULL, 0 },
		{ "f-ge-0/0/0.0-x", NULL, NULL, 0 },
		{ "f-0/0/0.0-i", NULL, NULL, 0 },    /* no interface kind */
		{ "-ge-0/0/0.0-i", NULL, NULL, 0 },  /* no filter name */
	};
	char base[64], ifl[64], dir;

	(void)state;
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		bool ok = junos_fwc_split(t[k].name, base, ifl, sizeof(base), &dir);

		if (!t[k].base) {
			if (ok)
				fail_msg("'%s' split as '%s' + '%s'", t[k].name, base, ifl);
			continue;
		}
		if (!ok)
			fail_msg("'%s' not split", t[k].name);
		assert_string_equal(base, t[k].base);
		assert_string_equal(ifl, t[k].ifl);
		assert_int_equal(dir, t[k].dir);
	}
}

static void junos_bad(void **state)
{
	static const uint32_t counter[] = { 2 }, bad_type[] = { 9 }, extra[] = { 2, 7 };
	struct {
		const char *s1, *s2;
		const uint32_t *tail;
		size_t ntail;
		enum aclf_snmp_type t;
		const char *want;
	} t[] = {
		{ "f", "c", counter, 1, ACLF_SNMP_OCTETS, "wrong type octet string, expected counter64" },
		{ "f", "c", counter, 1, ACLF_SNMP_NOSUCHINSTANCE, "wrong type noSuchInstance" },
		{ "f", "c", bad_type, 1, ACLF_SNMP_COUNTER64, "counter type outside 1-5" },
		{ "f", "c", extra, 2, ACLF_SNMP_COUNTER64, "index does not end with the counter type" },
		{ "f", "c", NULL, 0, ACLF_SNMP_COUNTER64, "index does not end with the counter type" },
		{ "f", NULL, NULL, 0, ACLF_SNMP_COUNTER64, "not a filter name and a counter name" },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct aclf_snmp_vbs l;
		struct junos_fwcs c;
		struct aclf_err err;

		aclf_snmp_vbs_init(&l);
		add_row(&l, JUNOS_FWC_ENTRY, 4, "good", "row", counter, 1, ACLF_SNMP_COUNTER64, 1);
		add_row(&l, JUNOS_FWC_ENTRY, 5, t[k].s1, t[k].s2, t[k].tail, t[k].ntail, t[k].t, 1);
		aclf_err_init(&err);
		assert_int_equal(junos_snmp_decode(&l, "mx1", &c, &err), -1);
		assert_int_equal(c.n, 0);
		assert_int_equal(err.kind, ACLF_E_DEVICE);
		if (!strstr(aclf_err_text(&err), t[k].want) ||
		    !strstr(aclf_err_text(&err), "mx1: 'walk 1.3.6.1.4.1.2636.3.5.2.1': OID 1.3.6.1.4.1.2636.3.5.2.1.5."))
			fail_msg("case %zu: %s", k, aclf_err_text(&err));
		aclf_err_release(&err);
		aclf_snmp_vbs_release(&l);
	}
}

/* ---- BIG-IP ---- */

static void bigip_recording(void **state)
{
	struct aclf_snmp_vbs l;
	struct bigip_snmp_stats s;
	struct aclf_err err;
	const struct bigip_vs_stat *vs;
	size_t longest = 0;

	(void)state;
	read_snmprec("bigip-ltm.snmprec", &l);
	aclf_err_init(&err);
	if (bigip_snmp_decode(&l, "lb1", &s, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(s.nvs, 4);
	assert_int_equal(s.nmbr, 5);
	vs = bigip_snmp_vs(&s, "/Common/fe-berlin-sip-5061");
	assert_non_null(vs);
	/* ClientPktsIn sent as Counter32, ClientCurConns as Gauge32 */
	assert_true(vs->t.pkts_in == 1200345 && vs->t.cur_conns == 312);
	assert_true(vs->t.bytes_in == 987654321ull && vs->t.tot_conns == 45678);
	assert_int_equal(vs->t.has, 0x3f);
	vs = bigip_snmp_vs(&s, "/Common/fe-berlin-web-443");
	assert_true(vs->t.bytes_in == 6000000000000ull && vs->t.cur_conns == 1500);
	for (size_t k = 0; k < s.nvs; k++)
		longest = strlen(s.vs[k].name) > longest ? strlen(s.vs[k].name) : longest;
	assert_int_equal(longest, 113);
	assert_string_equal(s.mbr[0].pool, "/Common/fe-berlin-sip");
	assert_string_equal(s.mbr[0].node, "/Common/10.1.1.11");
	assert_int_equal(s.mbr[0].port, 5061);
	assert_true(s.mbr[0].t.pkts_in == 400100 && s.mbr[0].t.tot_conns == 15226);
	assert_int_equal(s.mbr[4].port, 65535);
	assert_int_equal(strlen(s.mbr[4].pool) + strlen(s.mbr[4].node), 111);
	assert_null(bigip_snmp_vs(&s, "/Common/none"));
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);
}

static void bigip_forms_and_errors(void **state)
{
	static const uint32_t v4[] = { 1, 4, 10, 1, 1, 11, 5061 };
	static const uint32_t v6[] = { 2, 16, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 443 };
	static const uint32_t port0[] = { 0 }, bigaddr[] = { 1, 4, 10, 1, 300, 11, 5061 };
	struct aclf_snmp_vbs l;
	struct bigip_snmp_stats s;
	struct aclf_err err;

	(void)state;
	aclf_snmp_vbs_init(&l);
	add_row(&l, BIGIP_MBR_STAT_ENTRY, 5, "/Common/p", NULL, v4, 7, ACLF_SNMP_COUNTER64, 42);
	add_row(&l, BIGIP_MBR_STAT_ENTRY, 10, "/Common/p", NULL, v4, 7, ACLF_SNMP_COUNTER64, 7);
	add_row(&l, BIGIP_MBR_STAT_ENTRY, 5, "/Common/p", NULL, v6, 19, ACLF_SNMP_COUNTER64, 43);
	aclf_err_init(&err);
	if (bigip_snmp_decode(&l, "lb", &s, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(s.nmbr, 2);
	assert_string_equal(s.mbr[0].node, "10.1.1.11");
	assert_int_equal(s.mbr[0].port, 5061);
	assert_true(s.mbr[0].t.pkts_in == 42 && s.mbr[0].t.tot_conns == 7);
	assert_int_equal(s.mbr[0].t.has, BIGIP_HAS_PKTS_IN | BIGIP_HAS_TOT_CONNS);
	assert_string_equal(s.mbr[1].node, "2001:db8::1");
	assert_int_equal(s.mbr[1].port, 443);
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	aclf_snmp_vbs_init(&l);
	add_row(&l, BIGIP_MBR_STAT_ENTRY, 5, "/Common/p", "/Common/n", port0, 1, ACLF_SNMP_COUNTER64, 1);
	assert_int_equal(bigip_snmp_decode(&l, "lb", &s, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "port outside 1-65535"));
	assert_non_null(strstr(aclf_err_text(&err), "lb: 'walk 1.3.6.1.4.1.3375.2.2.5.4.3.1': OID "));
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);

	aclf_err_init(&err);
	aclf_snmp_vbs_init(&l);
	add_row(&l, BIGIP_MBR_STAT_ENTRY, 5, "/Common/p", NULL, bigaddr, 7, ACLF_SNMP_COUNTER64, 1);
	assert_int_equal(bigip_snmp_decode(&l, "lb", &s, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "address byte over 255"));
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);

	aclf_err_init(&err);
	aclf_snmp_vbs_init(&l);
	add_row(&l, BIGIP_VS_STAT_ENTRY, 12, "/Common/vs", NULL, NULL, 0, ACLF_SNMP_OCTETS, 0);
	assert_int_equal(bigip_snmp_decode(&l, "lb", &s, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "wrong type octet string, expected counter64"));
	assert_int_equal(s.nvs, 0);
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);

	aclf_err_init(&err);
	aclf_snmp_vbs_init(&l);
	add_row(&l, BIGIP_VS_STAT_ENTRY, 6, "/Common/vs", NULL, port0, 1, ACLF_SNMP_COUNTER64, 0);
	assert_int_equal(bigip_snmp_decode(&l, "lb", &s, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "not a virtual server name"));
	aclf_snmp_vbs_release(&l);
	aclf_err_release(&err);
}

/* ---- BIG-IP: the order of the varbinds ---- */

static void vb_copy(struct aclf_snmp_vbs *dst, const struct aclf_snmp_vb *vb)
{
	assert_int_equal(aclf_snmp_vbs_add(dst, vb->oid, vb->oid_len, vb->type, vb->u, vb->i, vb->str,
					   vb->str_len),
			 0);
}

/* Is vb in column col of the table entry (entry as text)? */
static bool in_column(const struct aclf_snmp_vb *vb, const char *entry, uint32_t col)
{
	uint32_t e[ACLF_SNMP_MAX_OID];
	size_t n;

	oid_of(entry, e, &n);
	e[n++] = col;
	return aclf_snmp_oid_under(vb->oid, vb->oid_len, e, n);
}

/* The walk of the column col_oid ("ENTRY.COL") from the recording: its
 * varbinds in OID order, as the transport hands back each column. */
static void walk_column(struct aclf_snmp_vbs *dst, const struct aclf_snmp_vbs *rec,
			const char *col_oid)
{
	uint32_t c[ACLF_SNMP_MAX_OID];
	size_t n;

	oid_of(col_oid, c, &n);
	for (size_t k = 0; k < rec->n; k++)
		if (aclf_snmp_oid_under(rec->v[k].oid, rec->v[k].oid_len, c, n))
			vb_copy(dst, &rec->v[k]);
}

/* Same row: the index after ENTRY.COL (entry_len sub-ids) is the same. */
static bool same_index(const struct aclf_snmp_vb *a, const struct aclf_snmp_vb *b, size_t entry_len)
{
	return a->oid_len == b->oid_len &&
	       !memcmp(a->oid + entry_len + 1, b->oid + entry_len + 1,
		       (a->oid_len - entry_len - 1) * sizeof(uint32_t));
}

/* Row by row: for each row of the first column (first to last, or last
 * to first), its varbinds of cols in that order; skip_row/skip_col (the
 * row's place and a column) left out. */
static void walk_rows(struct aclf_snmp_vbs *dst, const struct aclf_snmp_vbs *rec, const char *entry,
		      const uint32_t *cols, size_t ncols, bool reverse, size_t skip_row,
		      uint32_t skip_col)
{
	uint32_t e[ACLF_SNMP_MAX_OID];
	size_t elen, nrows = 0, rows[64];

	oid_of(entry, e, &elen);
	for (size_t k = 0; k < rec->n; k++)
		if (in_column(&rec->v[k], entry, cols[0])) {
			assert_true(nrows < 64);
			rows[nrows++] = k;
		}
	assert_true(nrows > 1);
	for (size_t r = 0; r < nrows; r++) {
		const struct aclf_snmp_vb *first = &rec->v[rows[reverse ? nrows - 1 - r : r]];

		for (size_t c = 0; c < ncols; c++) {
			if (r == skip_row && cols[c] == skip_col)
				continue;
			for (size_t k = 0; k < rec->n; k++)
				if (in_column(&rec->v[k], entry, cols[c]) &&
				    same_index(&rec->v[k], first, elen))
					vb_copy(dst, &rec->v[k]);
		}
	}
}

static void traffic_equal(const struct bigip_traffic *a, const struct bigip_traffic *b,
			  unsigned mask, const char *row)
{
	const uint64_t fa[6] = { a->pkts_in, a->bytes_in, a->pkts_out, a->bytes_out, a->tot_conns,
				 a->cur_conns };
	const uint64_t fb[6] = { b->pkts_in, b->bytes_in, b->pkts_out, b->bytes_out, b->tot_conns,
				 b->cur_conns };

	if ((a->has & mask) != (b->has & mask))
		fail_msg("%s: has %#x, want %#x", row, a->has & mask, b->has & mask);
	for (unsigned k = 0; k < 6; k++)
		if ((mask & (1u << k)) && (b->has & (1u << k)) && fa[k] != fb[k])
			fail_msg("%s: field %u is %llu, want %llu", row, k, (unsigned long long)fa[k],
				 (unsigned long long)fb[k]);
}

/* got against want: the same rows in the same order, the fields of mask
 * equal (and present alike), no other field present */
static void stats_equal(const struct bigip_snmp_stats *got, const struct bigip_snmp_stats *want,
			unsigned vs_mask, unsigned mbr_mask)
{
	assert_int_equal(got->nvs, want->nvs);
	assert_int_equal(got->nmbr, want->nmbr);
	for (size_t k = 0; k < want->nvs; k++) {
		assert_string_equal(got->vs[k].name, want->vs[k].name);
		traffic_equal(&got->vs[k].t, &want->vs[k].t, vs_mask, want->vs[k].name);
		assert_int_equal(got->vs[k].t.has & ~vs_mask, 0);
	}
	for (size_t k = 0; k < want->nmbr; k++) {
		assert_string_equal(got->mbr[k].pool, want->mbr[k].pool);
		assert_string_equal(got->mbr[k].node, want->mbr[k].node);
		assert_int_equal(got->mbr[k].port, want->mbr[k].port);
		traffic_equal(&got->mbr[k].t, &want->mbr[k].t, mbr_mask, want->mbr[k].node);
		assert_int_equal(got->mbr[k].t.has & ~mbr_mask, 0);
	}
}

static void decode_ok(const struct aclf_snmp_vbs *l, struct bigip_snmp_stats *s)
{
	struct aclf_err err;

	aclf_err_init(&err);
	if (bigip_snmp_decode(l, "lb1", s, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
}

/* The recording's whole entries (column by column, every column) against
 * the same rows as `counters` walks them (the driver's columns, each
 * table's side by side: handed back column by column), row by row
 * (interleaved, first row first and last row first), and with a column
 * missing from one row: the same stats, rows in the order their first
 * column came, a missing column an absent field, never an error. */
static void bigip_column_order(void **state)
{
	static const uint32_t vs_cols[] = { 6, 7, 8, 9, 11, 12 };
	static const uint32_t mbr_cols[] = { 5, 6, 7, 8, 10, 11 };
	const unsigned all = 0x3f;
	const unsigned vs_walked = BIGIP_HAS_PKTS_IN | BIGIP_HAS_BYTES_IN | BIGIP_HAS_TOT_CONNS |
				   BIGIP_HAS_CUR_CONNS;
	const unsigned mbr_walked = BIGIP_HAS_PKTS_IN | BIGIP_HAS_TOT_CONNS;
	struct aclf_snmp_vbs rec, l;
	struct bigip_snmp_stats ref, s;
	size_t nwalks = 0;

	(void)state;
	read_snmprec("bigip-ltm.snmprec", &rec);
	decode_ok(&rec, &ref);
	assert_int_equal(ref.nvs, 4);
	assert_int_equal(ref.nmbr, 5);

	/* the driver's walk list: exactly the report's columns, no entry */
	for (; bigip_counter_walks[nwalks]; nwalks++) {
		uint32_t o[ACLF_SNMP_MAX_OID], e[ACLF_SNMP_MAX_OID];
		size_t n, en;

		oid_of(bigip_counter_walks[nwalks], o, &n);
		oid_of(o[9] == 10 ? BIGIP_VS_STAT_ENTRY : BIGIP_MBR_STAT_ENTRY, e, &en);
		assert_int_equal(n, en + 1);
		assert_memory_equal(o, e, en * sizeof(*e));
	}
	assert_int_equal(nwalks, 6);
	assert_string_equal(bigip_counter_walks[0], BIGIP_VS_STAT_ENTRY ".6");
	assert_string_equal(bigip_counter_walks[3], BIGIP_VS_STAT_ENTRY ".12");
	assert_string_equal(bigip_counter_walks[4], BIGIP_MBR_STAT_ENTRY ".5");
	assert_string_equal(bigip_counter_walks[5], BIGIP_MBR_STAT_ENTRY ".10");

	/* as `counters` reads them: the walks in list order, each column's
	 * rows in OID order */
	aclf_snmp_vbs_init(&l);
	for (size_t k = 0; k < nwalks; k++)
		walk_column(&l, &rec, bigip_counter_walks[k]);
	assert_int_equal(l.n, 4 * 4 + 2 * 5);
	decode_ok(&l, &s);
	stats_equal(&s, &ref, vs_walked, mbr_walked);
	assert_int_equal(s.vs[0].t.has, vs_walked);
	assert_int_equal(s.mbr[0].t.has, mbr_walked);
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	/* every decoded column, column by column: identical to the entries */
	aclf_snmp_vbs_init(&l);
	for (size_t c = 0; c < 6; c++) {
		char col[64];

		snprintf(col, sizeof(col), "%s.%u", BIGIP_VS_STAT_ENTRY, vs_cols[c]);
		walk_column(&l, &rec, col);
		snprintf(col, sizeof(col), "%s.%u", BIGIP_MBR_STAT_ENTRY, mbr_cols[c]);
		walk_column(&l, &rec, col);
	}
	decode_ok(&l, &s);
	stats_equal(&s, &ref, all, all);
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	/* row by row, the members first: identical */
	aclf_snmp_vbs_init(&l);
	walk_rows(&l, &rec, BIGIP_MBR_STAT_ENTRY, mbr_cols, 6, false, SIZE_MAX, 0);
	walk_rows(&l, &rec, BIGIP_VS_STAT_ENTRY, vs_cols, 6, false, SIZE_MAX, 0);
	decode_ok(&l, &s);
	stats_equal(&s, &ref, all, all);
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	/* row by row from the last row: the rows come last first, each the same */
	aclf_snmp_vbs_init(&l);
	walk_rows(&l, &rec, BIGIP_VS_STAT_ENTRY, vs_cols, 6, true, SIZE_MAX, 0);
	decode_ok(&l, &s);
	assert_int_equal(s.nvs, ref.nvs);
	for (size_t k = 0; k < ref.nvs; k++) {
		assert_string_equal(s.vs[k].name, ref.vs[ref.nvs - 1 - k].name);
		traffic_equal(&s.vs[k].t, &ref.vs[ref.nvs - 1 - k].t, all, s.vs[k].name);
	}
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	/* the report's columns row by row, member 2 without TotConns and
	 * virtual 3 without ClientPktsIn (its first column): that field
	 * absent, the rest as before, the rows still in their order */
	aclf_snmp_vbs_init(&l);
	walk_rows(&l, &rec, BIGIP_VS_STAT_ENTRY, (const uint32_t[]){ 6, 7, 11, 12 }, 4, false, 2, 6);
	walk_rows(&l, &rec, BIGIP_MBR_STAT_ENTRY, (const uint32_t[]){ 5, 10 }, 2, false, 1, 10);
	decode_ok(&l, &s);
	assert_true(s.vs[2].t.has == (vs_walked & ~BIGIP_HAS_PKTS_IN) && s.vs[2].t.pkts_in == 0);
	assert_true(s.mbr[1].t.has == BIGIP_HAS_PKTS_IN && s.mbr[1].t.tot_conns == 0);
	s.vs[2].t.has |= BIGIP_HAS_PKTS_IN; /* the rest as the full decode */
	s.vs[2].t.pkts_in = ref.vs[2].t.pkts_in;
	s.mbr[1].t.has |= BIGIP_HAS_TOT_CONNS;
	s.mbr[1].t.tot_conns = ref.mbr[1].t.tot_conns;
	stats_equal(&s, &ref, vs_walked, mbr_walked);
	bigip_snmp_stats_release(&s);
	aclf_snmp_vbs_release(&l);

	bigip_snmp_stats_release(&ref);
	aclf_snmp_vbs_release(&rec);
}

/* ---- options ---- */

static void options_from_device(void **state)
{
	struct aclf_device dev;
	struct aclf_snmp_opts o;
	struct aclf_snmp_secrets sec;
	struct aclf_snmp *s = NULL;
	struct aclf_err err;
	char path[] = "/tmp/aclf-snmp-secret.XXXXXX";
	int fd;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.name = "core1";
	dev.host = "198.18.0.1";
	aclf_err_init(&err);
	/* no snmp settings */
	assert_int_equal(aclf_snmp_opts_from_device(&o, &sec, &dev, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "core1: no 'snmp' settings"));
	aclf_err_release(&err);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "priv-secret-1\n", 14), 14);
	close(fd);
	chmod(path, 0600);
	setenv("ACLF_TEST_SNMP_AUTH", "auth-secret-1", 1);
	dev.snmp.version = 3;
	dev.snmp.port = 1161;
	dev.snmp.user = "aclforge";
	dev.snmp.auth_proto = "sha256";
	dev.snmp.auth.kind = ACLF_SECRET_ENV;
	dev.snmp.auth.ref = "ACLF_TEST_SNMP_AUTH";
	dev.snmp.priv_proto = "aes";
	dev.snmp.priv.kind = ACLF_SECRET_FILE;
	dev.snmp.priv.ref = path;
	aclf_err_init(&err);
	if (aclf_snmp_opts_from_device(&o, &sec, &dev, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(o.device, "core1");
	assert_string_equal(o.host, "198.18.0.1");
	assert_int_equal(o.port, 1161);
	assert_int_equal(o.version, 3);
	assert_string_equal(o.auth_pass, "auth-secret-1");
	assert_string_equal(o.priv_pass, "priv-secret-1");
	assert_string_equal(o.priv_proto, "aes");
	/* no timing keys: the transport's defaults (0) */
	assert_int_equal(o.timeout_ms, 0);
	assert_int_equal(o.tries, 0);
	assert_int_equal(o.max_repetitions, 0);
	aclf_snmp_secrets_clear(&sec);
	dev.snmp.timeout_ms = 250;
	dev.snmp.tries = 1;
	dev.snmp.max_reps = 7;
	if (aclf_snmp_opts_from_device(&o, &sec, &dev, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(o.timeout_ms, 250);
	assert_int_equal(o.tries, 1);
	assert_int_equal(o.max_repetitions, 7);
	if (aclf_snmp_new(&o, &s, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(aclf_snmp_device(s), "core1");
	aclf_snmp_free(s);
	aclf_snmp_secrets_clear(&sec);
	assert_null(sec.auth);
	/* an unset variable: the reference is named, the device too */
	unsetenv("ACLF_TEST_SNMP_AUTH");
	assert_int_equal(aclf_snmp_opts_from_device(&o, &sec, &dev, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "env:ACLF_TEST_SNMP_AUTH"));
	assert_null(sec.auth);
	assert_null(sec.priv);
	unlink(path);
	aclf_err_release(&err);
}

static void options_refused(void **state)
{
	static const struct {
		struct aclf_snmp_opts o;
		const char *want;
	} t[] = {
		{ { .device = "d", .version = 2 }, "d: snmp: no host to poll" },
		{ { .device = "d", .host = "h", .version = 2 }, "version 2c needs a community" },
		{ { .device = "d", .host = "h", .version = 1, .community = "c" }, "version must be 2c or 3" },
		{ { .device = "d", .host = "h", .version = 3 }, "needs a user name" },
		{ { .device = "d", .host = "h", .version = 3, .user = "u", .priv_proto = "aes",
		    .priv_pass = "12345678" },
		  "privacy ('aes') needs authentication" },
		{ { .device = "d", .host = "h", .version = 3, .user = "u", .auth_proto = "sha1",
		    .auth_pass = "12345678" },
		  "unknown authentication protocol 'sha1'" },
		{ { .device = "d", .host = "h", .version = 3, .user = "u", .auth_proto = "sha",
		    .auth_pass = "1234567" },
		  "the auth passphrase needs at least 8 characters" },
		{ { .device = "d", .host = "h", .version = 3, .user = "u", .auth_proto = "sha",
		    .auth_pass = "12345678", .priv_proto = "3des", .priv_pass = "12345678" },
		  "unknown privacy protocol '3des'" },
		{ { .device = "d", .host = "h", .version = 3, .user = "u", .auth_proto = "sha",
		    .auth_pass = "12345678", .priv_proto = "aes", .priv_pass = "short" },
		  "the priv passphrase needs at least 8 characters" },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct aclf_snmp *s = (struct aclf_snmp *)&s;
		struct aclf_err err;

		aclf_err_init(&err);
		assert_int_equal(aclf_snmp_new(&t[k].o, &s, &err), -1);
		assert_null(s);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		if (!strstr(aclf_err_text(&err), t[k].want))
			fail_msg("case %zu: %s", k, aclf_err_text(&err));
		aclf_err_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oids),
		cmocka_unit_test(string_index),
		cmocka_unit_test(deltas),
		cmocka_unit_test(values),
		cmocka_unit_test(values_blocks),
		cmocka_unit_test(junos_mx960),
		cmocka_unit_test(junos_interface_specific),
		cmocka_unit_test(junos_split),
		cmocka_unit_test(junos_bad),
		cmocka_unit_test(bigip_recording),
		cmocka_unit_test(bigip_forms_and_errors),
		cmocka_unit_test(bigip_column_order),
		cmocka_unit_test(options_from_device),
		cmocka_unit_test(options_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
