/* libFuzzer target for what an agent's answers feed: the Junos and BIG-IP
 * counter decoders over arbitrary varbinds (OIDs under their tables or
 * anywhere, any type, any index), interface-specific filter name splitting,
 * and numeric OID text. Input: records of
 *   [prefix selector] [sub-id count] [sub-ids, one byte each, 0xff = 255+next]
 *   [type] [8 value bytes]
 * The decoders must fail or succeed without reading outside the varbinds,
 * and on success every row's names fit their buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "bigip/bigip_snmp.h"
#include "junos/junos_snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t prefixes[][13] = {
	{ 1, 3, 6, 1, 4, 1, 2636, 3, 5, 2, 1 },
	{ 1, 3, 6, 1, 4, 1, 3375, 2, 2, 10, 2, 3, 1 },
	{ 1, 3, 6, 1, 4, 1, 3375, 2, 2, 5, 4, 3, 1 },
};
static const size_t prefix_len[] = { 11, 13, 13, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_snmp_vbs l;
	struct aclf_err err;
	size_t p = 0;
	char text[512];

	aclf_snmp_vbs_init(&l);
	while (p + 2 <= size && l.n < 4096) {
		uint32_t o[ACLF_SNMP_MAX_OID];
		unsigned sel = data[p] % 4, cnt = data[p + 1];
		size_t n = prefix_len[sel];
		uint64_t v = 0;
		enum aclf_snmp_type t;

		p += 2;
		if (sel < 3)
			memcpy(o, prefixes[sel], n * sizeof(uint32_t));
		for (unsigned k = 0; k < cnt && p < size && n < ACLF_SNMP_MAX_OID; k++) {
			uint32_t s = data[p++];

			if (s == 0xff && p < size)
				s += data[p++] * 1000u;
			o[n++] = s;
		}
		if (p >= size)
			break;
		t = (enum aclf_snmp_type)(1 + data[p++] % ACLF_SNMP_OTHER);
		for (unsigned k = 0; k < 8 && p < size; k++)
			v = v << 8 | data[p++];
		if (aclf_snmp_vbs_add(&l, o, n, t, v, (int64_t)v, data, p < 16 ? p : 16) < 0)
			break;
	}
	aclf_err_init(&err);
	{
		struct junos_fwcs c;

		if (junos_snmp_decode(&l, "fuzz", &c, &err) == 0) {
			for (size_t k = 0; k < c.n; k++) {
				uint64_t pk, by;

				if (strlen(c.v[k].filter) >= JUNOS_FWC_NAME_MAX ||
				    strlen(c.v[k].base) > strlen(c.v[k].filter))
					abort();
				junos_fwc_sum(&c, c.v[k].base, c.v[k].counter, c.v[k].type, &pk, &by);
			}
		}
		junos_fwcs_release(&c);
	}
	aclf_err_release(&err);
	aclf_err_init(&err);
	{
		struct bigip_snmp_stats s;

		if (bigip_snmp_decode(&l, "fuzz", &s, &err) == 0) {
			for (size_t k = 0; k < s.nmbr; k++)
				if (!s.mbr[k].port || strlen(s.mbr[k].node) >= BIGIP_SNMP_NAME_MAX)
					abort();
		}
		bigip_snmp_stats_release(&s);
	}
	aclf_err_release(&err);
	aclf_snmp_vbs_release(&l);

	/* the input as a name and as OID text */
	if (size < sizeof(text)) {
		char base[JUNOS_FWC_NAME_MAX], ifl[JUNOS_FWC_NAME_MAX], dir;
		uint32_t o[ACLF_SNMP_MAX_OID];
		int n;

		memcpy(text, data, size);
		text[size] = 0;
		if (junos_fwc_split(text, base, ifl, sizeof(base), &dir) &&
		    strlen(base) + strlen(ifl) + 3 != strlen(text))
			abort();
		n = aclf_snmp_oid_parse(text, o, ACLF_SNMP_MAX_OID);
		if (n > 0) {
			char back[ACLF_SNMP_MAX_OID * 11 + 8];

			aclf_snmp_oid_str(o, (size_t)n, back, sizeof(back));
		}
	}
	return 0;
}
