/* IOS interface totals over SNMP (IF-MIB): the inbound unicast packets and
 * octets of each interface the intended filters are bound to, found by
 * ifDescr ("Vlan110", "GigabitEthernet0/1": the names a running
 * configuration uses) or else ifName ("Vl110", "Gi0/1"). ifXTable's 64-bit
 * ifHCInUcastPkts and ifHCInOctets where the agent has them, else the
 * 32-bit ifInUcastPkts and ifInOctets of ifTable. The entries' own counters
 * come over the CLI (ios_cnt.c). */
#include <stdio.h>
#include <string.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"
#include "ios.h"

enum col {
	C_DESCR,
	C_NAME,
	C_HC_PKTS,
	C_HC_OCTETS,
	C_PKTS,
	C_OCTETS,
	C_N
};

/* in the order the walks are listed (ios.c) */
const char *const ios_if_walks[] = {
	"1.3.6.1.2.1.2.2.1.2",      /* ifDescr */
	"1.3.6.1.2.1.31.1.1.1.1",   /* ifName */
	"1.3.6.1.2.1.31.1.1.1.7",   /* ifHCInUcastPkts */
	"1.3.6.1.2.1.31.1.1.1.6",   /* ifHCInOctets */
	"1.3.6.1.2.1.2.2.1.11",     /* ifInUcastPkts */
	"1.3.6.1.2.1.2.2.1.10",     /* ifInOctets */
	NULL,
};

struct col_root {
	uint32_t oid[16];
	size_t len;
};

/* The column and ifIndex of vb, or C_N when it is none of ours. */
static enum col col_of(const struct col_root *roots, const struct aclf_snmp_vb *vb, uint32_t *ifindex)
{
	for (int c = 0; c < C_N; c++)
		if (vb->oid_len == roots[c].len + 1 &&
		    aclf_snmp_oid_under(vb->oid, vb->oid_len, roots[c].oid, roots[c].len)) {
			*ifindex = vb->oid[roots[c].len];
			return (enum col)c;
		}
	return C_N;
}

/* The ifIndex whose column c (ifDescr or ifName) is name; 0 none. */
static uint32_t index_by(const struct col_root *roots, const struct aclf_snmp_vbs *vbs, enum col c,
			 const char *name)
{
	size_t n = strlen(name);

	for (size_t k = 0; k < vbs->n; k++) {
		const struct aclf_snmp_vb *vb = &vbs->v[k];
		uint32_t idx;

		if (col_of(roots, vb, &idx) == c && vb->type == ACLF_SNMP_OCTETS && vb->str_len == n &&
		    !memcmp(vb->str, name, n))
			return idx;
	}
	return 0;
}

/* Column c at ifIndex idx: 1 and *v, 0 absent, -1 a value of the wrong
 * type (err set). */
static int value_at(const struct col_root *roots, const struct aclf_snmp_vbs *vbs, enum col c,
		    uint32_t idx, const struct aclf_device *dev, uint64_t *v, struct aclf_err *err)
{
	for (size_t k = 0; k < vbs->n; k++) {
		const struct aclf_snmp_vb *vb = &vbs->v[k];
		uint32_t i;
		char o[64];

		if (col_of(roots, vb, &i) != c || i != idx)
			continue;
		if (vb->type == ACLF_SNMP_NOSUCHOBJECT || vb->type == ACLF_SNMP_NOSUCHINSTANCE)
			return 0;
		if (aclf_snmp_vb_counter(vb, v) == 0)
			return 1;
		aclf_snmp_oid_str(vb->oid, vb->oid_len, o, sizeof(o));
		return aclf_err_remote(err, ACLF_E_DEVICE, dev->name, o,
				       "expected a counter, got %s", aclf_snmp_type_name(vb->type));
	}
	return 0;
}

static int one_if(const struct col_root *roots, const struct aclf_snmp_vbs *vbs,
		  const struct aclf_device *dev, const char *name, struct aclf_counters *out,
		  struct aclf_err *err)
{
	size_t before = out->nifs;
	struct aclf_if_cnt *ic = aclf_counters_add_if(out, name);
	uint64_t pk = 0, oc = 0;
	uint32_t idx;
	int hp, ho;

	if (!ic)
		return aclf_err_nomem(err);
	if (out->nifs == before)
		return 0; /* bound twice (in and out): read once */
	idx = index_by(roots, vbs, C_DESCR, name);
	if (!idx)
		idx = index_by(roots, vbs, C_NAME, name);
	if (!idx)
		return aclf_counters_note(out, "interface '%s': not in the agent's IF-MIB (no ifDescr "
					  "or ifName of that name)",
					  name) < 0
			       ? aclf_err_nomem(err)
			       : 0;
	if ((hp = value_at(roots, vbs, C_HC_PKTS, idx, dev, &pk, err)) < 0 ||
	    (ho = value_at(roots, vbs, C_HC_OCTETS, idx, dev, &oc, err)) < 0)
		return -1;
	ic->bits = 64;
	if (!hp || !ho) {
		if ((hp = value_at(roots, vbs, C_PKTS, idx, dev, &pk, err)) < 0 ||
		    (ho = value_at(roots, vbs, C_OCTETS, idx, dev, &oc, err)) < 0)
			return -1;
		ic->bits = 32;
	}
	if (!hp || !ho)
		return aclf_counters_note(out, "interface '%s' (ifIndex %u): the agent has no inbound "
					  "packet and octet counters for it",
					  name, (unsigned)idx) < 0
			       ? aclf_err_nomem(err)
			       : 0;
	ic->found = true;
	ic->in_packets = pk;
	ic->in_octets = oc;
	ic->source = ACLF_CNT_SNMP;
	return 0;
}

int ios_counters_if(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		    const struct aclf_devpol *intended, struct aclf_counters *out,
		    struct aclf_err *err)
{
	struct col_root roots[C_N];

	for (int c = 0; c < C_N; c++) {
		int n = aclf_snmp_oid_parse(ios_if_walks[c], roots[c].oid, 16);

		if (n < 0)
			return aclf_err_set(err, ACLF_E_BUG, "ios: bad OID '%s'", ios_if_walks[c]);
		roots[c].len = (size_t)n;
	}
	for (size_t k = 0; intended && k < intended->nfilters; k++) {
		const struct aclf_binding *b = &intended->filters[k].binding;

		if (b->kind == ACLF_BIND_INTERFACE && b->name &&
		    one_if(roots, vbs, dev, b->name, out, err) < 0)
			return -1;
	}
	return 0;
}
