/* BIG-IP traffic counters from SNMP: F5-BIGIP-LOCAL-MIB's
 * ltmVirtualServStatTable and ltmPoolMemberStatTable decoded from walked
 * varbinds (pure: no transport here). */
#ifndef ACLF_BIGIP_SNMP_H
#define ACLF_BIGIP_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aclf_err;
struct aclf_snmp_vbs;

#define BIGIP_VS_STAT_ENTRY "1.3.6.1.4.1.3375.2.2.10.2.3.1"   /* ltmVirtualServStatEntry */
#define BIGIP_MBR_STAT_ENTRY "1.3.6.1.4.1.3375.2.2.5.4.3.1"   /* ltmPoolMemberStatEntry */
/* The columns the counters report shows (bigip_cnt.c walks these) */
#define BIGIP_VS_PKTS_IN BIGIP_VS_STAT_ENTRY ".6"     /* ltmVirtualServStatClientPktsIn */
#define BIGIP_VS_BYTES_IN BIGIP_VS_STAT_ENTRY ".7"    /* ltmVirtualServStatClientBytesIn */
#define BIGIP_VS_TOT_CONNS BIGIP_VS_STAT_ENTRY ".11"  /* ltmVirtualServStatClientTotConns */
#define BIGIP_VS_CUR_CONNS BIGIP_VS_STAT_ENTRY ".12"  /* ltmVirtualServStatClientCurConns */
#define BIGIP_MBR_PKTS_IN BIGIP_MBR_STAT_ENTRY ".5"   /* ltmPoolMemberStatServerPktsIn */
#define BIGIP_MBR_TOT_CONNS BIGIP_MBR_STAT_ENTRY ".10" /* ltmPoolMemberStatServerTotConns */

#define BIGIP_SNMP_NAME_MAX 128

/* What a counter column held: set bits per field below. */
enum {
	BIGIP_HAS_PKTS_IN = 1u << 0,
	BIGIP_HAS_BYTES_IN = 1u << 1,
	BIGIP_HAS_PKTS_OUT = 1u << 2,
	BIGIP_HAS_BYTES_OUT = 1u << 3,
	BIGIP_HAS_TOT_CONNS = 1u << 4,
	BIGIP_HAS_CUR_CONNS = 1u << 5,
};

struct bigip_traffic {
	uint64_t pkts_in, bytes_in, pkts_out, bytes_out, tot_conns, cur_conns;
	unsigned has; /* BIGIP_HAS_* */
};

struct bigip_vs_stat {
	char name[BIGIP_SNMP_NAME_MAX]; /* "/Common/vs-name" */
	struct bigip_traffic t;         /* client side */
};

struct bigip_member_stat {
	char pool[BIGIP_SNMP_NAME_MAX]; /* "/Common/pool" */
	char node[BIGIP_SNMP_NAME_MAX]; /* node name ("/Common/10.1.1.11"), or the
	                                 * address as text in the older index form */
	uint16_t port;
	struct bigip_traffic t;         /* server side */
};

struct bigip_snmp_stats {
	struct bigip_vs_stat *vs;
	size_t nvs, avs;
	struct bigip_member_stat *mbr;
	size_t nmbr, ambr;
};

void bigip_snmp_stats_init(struct bigip_snmp_stats *s);
void bigip_snmp_stats_release(struct bigip_snmp_stats *s);

/* Rows of both tables from vbs (other varbinds skipped), each in the order
 * its first column came, whatever the order of the varbinds: a walk of the
 * whole entries (column by column), columns walked side by side (the
 * transport hands them back column by column too) or row by row. A row
 * is keyed by its index, found in every column's OID; a row lacking a
 * column has that field's BIGIP_HAS_* bit clear (not an error). Counters
 * accepted as Counter64, Counter32 or Gauge32 (ClientCurConns is Gauge32
 * in some MIB versions and Counter64 in others). A malformed index or a
 * value of another type fails with err naming device, the OID and what is
 * wrong (ACLF_E_DEVICE); out is then left empty. */
int bigip_snmp_decode(const struct aclf_snmp_vbs *vbs, const char *device,
		      struct bigip_snmp_stats *out, struct aclf_err *err);

const struct bigip_vs_stat *bigip_snmp_vs(const struct bigip_snmp_stats *s, const char *name);

/* The counters op (bigip_cnt.c) and the columns it reads: the six above,
 * not the whole entries. */
struct aclf_counters;
struct aclf_devpol;
struct aclf_device;
extern const char *const bigip_counter_walks[];
int bigip_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		      const struct aclf_devpol *intended, struct aclf_counters *out,
		      struct aclf_err *err);

#endif
