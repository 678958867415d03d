/* Junos firewall counters from SNMP: JUNIPER-FIREWALL-MIB's
 * jnxFirewallCounterTable rows decoded from walked varbinds (pure: no
 * transport here). */
#ifndef ACLF_JUNOS_SNMP_H
#define ACLF_JUNOS_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aclf_err;
struct aclf_snmp_vbs;

/* jnxFirewallCounterEntry, 1.3.6.1.4.1.2636.3.5.2.1 */
#define JUNOS_FWC_ENTRY "1.3.6.1.4.1.2636.3.5.2.1"
#define JUNOS_FWC_PACKETS "1.3.6.1.4.1.2636.3.5.2.1.4" /* jnxFWCounterPacketCount */
#define JUNOS_FWC_BYTES "1.3.6.1.4.1.2636.3.5.2.1.5"   /* jnxFWCounterByteCount */

/* jnxFWCounterType */
enum junos_fwc_type {
	JUNOS_FWC_OTHER = 1,
	JUNOS_FWC_COUNTER = 2,
	JUNOS_FWC_POLICER = 3,
	JUNOS_FWC_HPOLAGG = 4,
	JUNOS_FWC_HPOLPRE = 5,
};

#define JUNOS_FWC_NAME_MAX 128 /* an OID of 128 sub-ids holds shorter names */

struct junos_fwc {
	char filter[JUNOS_FWC_NAME_MAX];  /* jnxFWCounterFilterName, as the device names it */
	char counter[JUNOS_FWC_NAME_MAX]; /* jnxFWCounterName */
	int type;                         /* enum junos_fwc_type */
	uint64_t packets, bytes;
	bool has_packets, has_bytes;
	/* An interface-specific filter instance "FILTER-<ifl>-i" (input) or
	 * "-o" (output): base is FILTER, ifl the logical interface, dir 'i' or
	 * 'o'. For other filters base equals filter, ifl is "" and dir 0. */
	char base[JUNOS_FWC_NAME_MAX];
	char ifl[JUNOS_FWC_NAME_MAX];
	char dir;
};

struct junos_fwcs {
	struct junos_fwc *v;
	size_t n, alloc;
};

void junos_fwcs_init(struct junos_fwcs *c);
void junos_fwcs_release(struct junos_fwcs *c);

/* The table's rows from vbs (varbinds outside the table are skipped; the
 * other columns are read but not kept), in the order their first column
 * came. Packet and byte counts accepted as Counter64, Counter32 or Gauge32.
 * A malformed index (names not length-prefixed, a type outside 1-5, extra
 * sub-identifiers) or a value of another type fails with err naming device,
 * the OID and what is wrong (ACLF_E_DEVICE); out is then left empty. */
int junos_snmp_decode(const struct aclf_snmp_vbs *vbs, const char *device, struct junos_fwcs *out,
		      struct aclf_err *err);

/* Split an interface-specific instance name: "f-ge-0/0/0.0-i" gives base
 * "f", ifl "ge-0/0/0.0", dir 'i'. Returns false (outputs untouched) when
 * name is not one. */
bool junos_fwc_split(const char *name, char *base, char *ifl, size_t size, char *dir);

/* Sum of one counter of one filter over all its instances (the filter
 * itself and each interface-specific one). Returns the number of rows
 * summed. */
size_t junos_fwc_sum(const struct junos_fwcs *c, const char *filter, const char *counter, int type,
		     uint64_t *packets, uint64_t *bytes);

/* The counters op (junos_cnt.c) and the subtrees it reads. */
struct aclf_counters;
struct aclf_devpol;
struct aclf_device;
extern const char *const junos_counter_walks[];
int junos_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		      const struct aclf_devpol *intended, struct aclf_counters *out,
		      struct aclf_err *err);

#endif
