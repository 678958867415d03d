/* F5-BIGIP-LOCAL-MIB statistics tables.
 *
 * ltmVirtualServStatTable 1.3.6.1.4.1.3375.2.2.10.2.3, entry .1, INDEX {
 * ltmVirtualServStatName } (a length-prefixed string, "/Common/..."):
 *   6 ClientPktsIn, 7 ClientBytesIn, 8 ClientPktsOut, 9 ClientBytesOut,
 *   11 ClientTotConns (Counter64), 12 ClientCurConns (Gauge32 in older MIB
 *   texts, Counter64 / CounterBasedGauge64 in newer ones).
 *
 * ltmPoolMemberStatTable 1.3.6.1.4.1.3375.2.2.5.4.3, entry .1:
 *   5 ServerPktsIn, 6 ServerBytesIn, 7 ServerPktsOut, 8 ServerBytesOut,
 *   10 ServerTotConns, 11 ServerCurConns (Counter64).
 * Its INDEX changed with the MIB version: BIG-IP 11 and later index by {
 * ltmPoolMemberStatPoolName, ltmPoolMemberStatNodeName (column 28),
 * ltmPoolMemberStatPort } (two strings, then the port); earlier texts by {
 * PoolName, AddrType, Addr, Port } (InetAddressType 1 ipv4 / 2 ipv6, then a
 * length-prefixed address of 4 or 16 bytes). Both are read: they differ in
 * length (an address form has 7 or 19 sub-identifiers after the pool name, a
 * node name of length n has n + 2, and the address form's first sub-id, 1
 * or 2, would be a node name of 1 or 2 bytes).
 *
 * The six columns of each are decoded wherever they come from; `counters`
 * walks only the ones its report shows (bigip_counter_walks): 6, 7, 11
 * and 12 of the virtual, 5 and 10 of the member. Rows are found by their
 * index (in every column's OID), the last row found tried first: the next
 * varbind is that row's next column (row by row) or the next row's same
 * column (column by column, the order of a walk and of columns walked side
 * by side). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "bigip/bigip_snmp.h"

static const uint32_t vs_entry[] = { 1, 3, 6, 1, 4, 1, 3375, 2, 2, 10, 2, 3, 1 };
static const uint32_t mbr_entry[] = { 1, 3, 6, 1, 4, 1, 3375, 2, 2, 5, 4, 3, 1 };
#define VS_LEN (sizeof(vs_entry) / sizeof(vs_entry[0]))
#define MBR_LEN (sizeof(mbr_entry) / sizeof(mbr_entry[0]))

void bigip_snmp_stats_init(struct bigip_snmp_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void bigip_snmp_stats_release(struct bigip_snmp_stats *s)
{
	free(s->vs);
	free(s->mbr);
	bigip_snmp_stats_init(s);
}

static int bad(struct bigip_snmp_stats *out, struct aclf_err *err, const char *device,
	       const char *table, const struct aclf_snmp_vb *vb, const char *what)
{
	char o[ACLF_SNMP_MAX_OID * 11 + 8], cmd[64];

	snprintf(cmd, sizeof(cmd), "walk %s", table);
	aclf_err_remote(err, ACLF_E_DEVICE, device, cmd, "OID %s: %s",
			aclf_snmp_oid_str(vb->oid, vb->oid_len, o, sizeof(o)), what);
	bigip_snmp_stats_release(out);
	return -1;
}

/* Store val in the field of t that column col of the table holds (cols
 * lists the columns for pkts_in .. cur_conns). Returns 1 when stored, 0
 * for a column not read. */
static int store(struct bigip_traffic *t, const uint32_t cols[6], uint32_t col, uint64_t val)
{
	uint64_t *f[6] = { &t->pkts_in, &t->bytes_in, &t->pkts_out, &t->bytes_out, &t->tot_conns,
			   &t->cur_conns };

	for (unsigned k = 0; k < 6; k++) {
		if (cols[k] == col) {
			*f[k] = val;
			t->has |= 1u << k;
			return 1;
		}
	}
	return 0;
}

static const uint32_t vs_cols[6] = { 6, 7, 8, 9, 11, 12 };
static const uint32_t mbr_cols[6] = { 5, 6, 7, 8, 10, 11 };

static bool counted(const uint32_t cols[6], uint32_t col)
{
	for (unsigned k = 0; k < 6; k++)
		if (cols[k] == col)
			return true;
	return false;
}

static int value(const struct aclf_snmp_vb *vb, uint64_t *val, char *msg, size_t size)
{
	if (aclf_snmp_vb_counter(vb, val) == 0)
		return 0;
	snprintf(msg, size, "wrong type %s, expected counter64", aclf_snmp_type_name(vb->type));
	return -1;
}

static struct bigip_vs_stat *vs_row(struct bigip_snmp_stats *s, size_t *hint, const char *name)
{
	for (size_t k = 0; k < s->nvs; k++) {
		size_t at = (*hint + k) % s->nvs;

		if (!strcmp(s->vs[at].name, name)) {
			*hint = at;
			return &s->vs[at];
		}
	}
	if (s->nvs == s->avs) {
		size_t na = s->avs ? s->avs * 2 : 16;
		struct bigip_vs_stat *nv = realloc(s->vs, na * sizeof(*nv));

		if (!nv)
			return NULL;
		s->vs = nv;
		s->avs = na;
	}
	memset(&s->vs[s->nvs], 0, sizeof(s->vs[0]));
	memcpy(s->vs[s->nvs].name, name, strlen(name) + 1);
	return &s->vs[s->nvs++];
}

static struct bigip_member_stat *mbr_row(struct bigip_snmp_stats *s, size_t *hint,
					 const char *pool, const char *node, uint16_t port)
{
	struct bigip_member_stat *m;

	for (size_t k = 0; k < s->nmbr; k++) {
		size_t at = (*hint + k) % s->nmbr;

		m = &s->mbr[at];
		if (m->port == port && !strcmp(m->pool, pool) && !strcmp(m->node, node)) {
			*hint = at;
			return m;
		}
	}
	if (s->nmbr == s->ambr) {
		size_t na = s->ambr ? s->ambr * 2 : 16;
		struct bigip_member_stat *nv = realloc(s->mbr, na * sizeof(*nv));

		if (!nv)
			return NULL;
		s->mbr = nv;
		s->ambr = na;
	}
	m = &s->mbr[s->nmbr++];
	memset(m, 0, sizeof(*m));
	memcpy(m->pool, pool, strlen(pool) + 1);
	memcpy(m->node, node, strlen(node) + 1);
	m->port = port;
	return m;
}

/* The member index after the pool name, in either form; node gets the
 * node name or the address as text. Returns 0 or -1 with what set. */
static int member_index(const struct aclf_snmp_vb *vb, size_t pos, char *node, size_t size,
			uint16_t *port, const char **what)
{
	size_t left = vb->oid_len - pos;
	const uint32_t *o = vb->oid + pos;
	uint32_t p;

	if (left == 7 && o[0] == 1 && o[1] == 4) {
		unsigned char a[4];

		for (unsigned k = 0; k < 4; k++) {
			if (o[2 + k] > 255)
				goto addr;
			a[k] = (unsigned char)o[2 + k];
		}
		inet_ntop(AF_INET, a, node, (socklen_t)size);
		p = o[6];
	} else if (left == 19 && o[0] == 2 && o[1] == 16) {
		unsigned char a[16];

		for (unsigned k = 0; k < 16; k++) {
			if (o[2 + k] > 255)
				goto addr;
			a[k] = (unsigned char)o[2 + k];
		}
		inet_ntop(AF_INET6, a, node, (socklen_t)size);
		p = o[18];
	} else {
		if (aclf_snmp_index_string(vb->oid, vb->oid_len, &pos, node, size) < 1) {
			*what = "index is not a pool name, a node name (length-prefixed) and a port";
			return -1;
		}
		if (pos + 1 != vb->oid_len) {
			*what = "index does not end with the port after the node name";
			return -1;
		}
		p = vb->oid[pos];
	}
	if (p < 1 || p > 65535) {
		*what = "port outside 1-65535";
		return -1;
	}
	*port = (uint16_t)p;
	return 0;
addr:
	*what = "address byte over 255";
	return -1;
}

int bigip_snmp_decode(const struct aclf_snmp_vbs *vbs, const char *device,
		      struct bigip_snmp_stats *out, struct aclf_err *err)
{
	size_t vs_hint = 0, mbr_hint = 0;

	bigip_snmp_stats_init(out);
	for (size_t k = 0; k < vbs->n; k++) {
		const struct aclf_snmp_vb *vb = &vbs->v[k];
		char name[BIGIP_SNMP_NAME_MAX], node[BIGIP_SNMP_NAME_MAX], msg[96];
		const char *what = NULL;
		uint64_t val;
		uint16_t port;

		if (aclf_snmp_oid_under(vb->oid, vb->oid_len, vs_entry, VS_LEN)) {
			size_t pos = VS_LEN + 1;
			uint32_t col = vb->oid[VS_LEN];
			struct bigip_vs_stat *r;

			if (!counted(vs_cols, col))
				continue;
			if (aclf_snmp_index_string(vb->oid, vb->oid_len, &pos, name, sizeof(name)) < 1 ||
			    pos != vb->oid_len)
				return bad(out, err, device, BIGIP_VS_STAT_ENTRY, vb,
					   "index is not a virtual server name (length-prefixed)");
			if (value(vb, &val, msg, sizeof(msg)) < 0)
				return bad(out, err, device, BIGIP_VS_STAT_ENTRY, vb, msg);
			if (!(r = vs_row(out, &vs_hint, name))) {
				bigip_snmp_stats_release(out);
				return aclf_err_nomem(err);
			}
			store(&r->t, vs_cols, col, val);
		} else if (aclf_snmp_oid_under(vb->oid, vb->oid_len, mbr_entry, MBR_LEN)) {
			size_t pos = MBR_LEN + 1;
			uint32_t col = vb->oid[MBR_LEN];
			struct bigip_member_stat *m;

			if (!counted(mbr_cols, col))
				continue;
			if (aclf_snmp_index_string(vb->oid, vb->oid_len, &pos, name, sizeof(name)) < 1)
				return bad(out, err, device, BIGIP_MBR_STAT_ENTRY, vb,
					   "index does not start with a pool name (length-prefixed)");
			if (member_index(vb, pos, node, sizeof(node), &port, &what) < 0)
				return bad(out, err, device, BIGIP_MBR_STAT_ENTRY, vb, what);
			if (value(vb, &val, msg, sizeof(msg)) < 0)
				return bad(out, err, device, BIGIP_MBR_STAT_ENTRY, vb, msg);
			if (!(m = mbr_row(out, &mbr_hint, name, node, port))) {
				bigip_snmp_stats_release(out);
				return aclf_err_nomem(err);
			}
			store(&m->t, mbr_cols, col, val);
		}
	}
	return 0;
}

const struct bigip_vs_stat *bigip_snmp_vs(const struct bigip_snmp_stats *s, const char *name)
{
	for (size_t k = 0; k < s->nvs; k++)
		if (!strcmp(s->vs[k].name, name))
			return &s->vs[k];
	return NULL;
}
