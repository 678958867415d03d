/* libFuzzer target for the nftables counters op: what a host's snmpd
 * answers for extend "aclforge-nft" (nsExtendOutLine rows), one varbind per
 * input line (a line starting with 0x01 becomes a varbind of another type),
 * mapped to a small fixed policy. The op must fail or succeed without
 * reading outside the varbinds; on success every rule is reported once and
 * a rule found has exactly one instance. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = { "r0001", "r0002", "x y", NULL };
	const struct aclf_driver *drv = aclf_driver_find("nftables");
	struct aclf_device dev = { .name = "fuzz", .driver = "nftables" };
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *d;
	struct aclf_filter *f;
	struct aclf_snmp_vbs l;
	struct aclf_counters c;
	struct aclf_err err;
	uint32_t o[ACLF_SNMP_MAX_OID];
	int n = aclf_snmp_oid_parse(drv->counter_walks[0], o, ACLF_SNMP_MAX_OID - 1);
	size_t pos = 0, line = 1;

	if (!p || n < 0)
		abort();
	d = aclf_policy_add_device(p, "fuzz", "nftables");
	f = d ? aclf_devpol_add_filter(p, d, "input") : NULL;
	for (size_t k = 0; f && k < sizeof(ids) / sizeof(ids[0]); k++) {
		struct aclf_rule *r = aclf_filter_add_rule(p, f);

		if (r)
			r->id = ids[k];
	}
	if (!f || f->nrules != 4)
		abort();
	aclf_snmp_vbs_init(&l);
	while (pos < size && l.n < 1024) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
		bool other = len && data[pos] == 1;

		o[n] = (uint32_t)line++;
		if (aclf_snmp_vbs_add(&l, o, (size_t)n + 1, other ? ACLF_SNMP_COUNTER64 : ACLF_SNMP_OCTETS,
				      len, 0, data + pos, len) < 0)
			break;
		pos += len + 1;
	}
	aclf_counters_init(&c);
	aclf_err_init(&err);
	if (aclf_driver_counters(drv, &l, &dev, d, &c, &err) == 0) {
		if (c.nrules != 4 || err.count)
			abort();
		for (size_t k = 0; k < c.nrules; k++)
			if (c.rules[k].ninst != (c.rules[k].found ? 1u : 0u))
				abort();
	} else if (!err.count || c.nrules) {
		abort();
	}
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);
	aclf_policy_free(p);
	return 0;
}
