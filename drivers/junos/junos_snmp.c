/* JUNIPER-FIREWALL-MIB, jnxFirewallCounterTable (1.3.6.1.4.1.2636.3.5.2),
 * entry 1.3.6.1.4.1.2636.3.5.2.1, INDEX { jnxFWCounterFilterName,
 * jnxFWCounterName, jnxFWCounterType }: two length-prefixed strings, then
 * the type (other 1, counter 2, policer 3, hpolagg 4, hpolpre 5).
 * Columns: 4 jnxFWCounterPacketCount, 5 jnxFWCounterByteCount (Counter64),
 * 6-8 display filter name, counter name and type (read, not kept).
 *
 * Interface-specific filters (`interface-specific` in the filter) show one
 * instance per logical interface and direction, named FILTER-<ifl>-i or
 * FILTER-<ifl>-o; each is a row of its own here, summed per filter by
 * junos_fwc_sum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "junos/junos_snmp.h"

static const uint32_t entry[] = { 1, 3, 6, 1, 4, 1, 2636, 3, 5, 2, 1 };
#define ENTRY_LEN (sizeof(entry) / sizeof(entry[0]))

void junos_fwcs_init(struct junos_fwcs *c)
{
	c->v = NULL;
	c->n = c->alloc = 0;
}

void junos_fwcs_release(struct junos_fwcs *c)
{
	free(c->v);
	junos_fwcs_init(c);
}

/* A logical interface name: letters, then an optional "-" and digits with
 * '/' or ':' between them, or digits directly; then ".unit". ge-0/0/0.0,
 * xe-1/2/3:1.100, ae12.3, lo0.0, irb.10. */
static bool is_ifl(const char *s, size_t len)
{
	size_t k = 0, start;

	while (k < len && s[k] >= 'a' && s[k] <= 'z')
		k++;
	if (k == 0)
		return false;
	if (k < len && s[k] == '-')
		k++;
	start = k;
	while (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == '/' || s[k] == ':')) {
		if ((s[k] == '/' || s[k] == ':') && (k == start || s[k - 1] < '0' || s[k - 1] > '9'))
			return false;
		k++;
	}
	if (k > start && (s[k - 1] < '0' || s[k - 1] > '9'))
		return false;
	if (s[start - 1] == '-' && k == start)
		return false;
	if (k >= len || s[k] != '.')
		return false;
	k++;
	if (k == len)
		return false;
	for (; k < len; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	return true;
}

bool junos_fwc_split(const char *name, char *base, char *ifl, size_t size, char *dir)
{
	size_t len = strlen(name);

	if (len < 6 || name[len - 2] != '-' || (name[len - 1] != 'i' && name[len - 1] != 'o'))
		return false;
	for (size_t p = 1; p + 3 < len; p++) {
		size_t il = len - 2 - (p + 1);

		if (name[p] != '-' || !is_ifl(name + p + 1, il))
			continue;
		if (p >= size || il >= size)
			return false;
		memcpy(base, name, p);
		base[p] = 0;
		memcpy(ifl, name + p + 1, il);
		ifl[il] = 0;
		*dir = name[len - 1];
		return true;
	}
	return false;
}

static struct junos_fwc *find_row(struct junos_fwcs *c, size_t *hint, const char *filter,
				  const char *counter, int type)
{
	size_t n = c->n;

	for (size_t k = 0; k < n; k++) {
		size_t at = (*hint + k) % n;
		struct junos_fwc *r = &c->v[at];

		if (r->type == type && !strcmp(r->filter, filter) && !strcmp(r->counter, counter)) {
			*hint = at + 1;
			return r;
		}
	}
	return NULL;
}

static struct junos_fwc *add_row(struct junos_fwcs *c, const char *filter, const char *counter,
				 int type)
{
	struct junos_fwc *r;

	if (c->n == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 16;
		struct junos_fwc *nv = realloc(c->v, na * sizeof(*nv));

		if (!nv)
			return NULL;
		c->v = nv;
		c->alloc = na;
	}
	r = &c->v[c->n++];
	memset(r, 0, sizeof(*r));
	memcpy(r->filter, filter, strlen(filter) + 1);
	memcpy(r->counter, counter, strlen(counter) + 1);
	r->type = type;
	if (!junos_fwc_split(filter, r->base, r->ifl, sizeof(r->base), &r->dir))
		memcpy(r->base, filter, strlen(filter) + 1);
	return r;
}

static int bad(struct junos_fwcs *out, struct aclf_err *err, const char *device,
	       const struct aclf_snmp_vb *vb, const char *what)
{
	char o[ACLF_SNMP_MAX_OID * 11 + 8];

	aclf_err_remote(err, ACLF_E_DEVICE, device, "walk " JUNOS_FWC_ENTRY, "OID %s: %s",
			aclf_snmp_oid_str(vb->oid, vb->oid_len, o, sizeof(o)), what);
	junos_fwcs_release(out);
	return -1;
}

int junos_snmp_decode(const struct aclf_snmp_vbs *vbs, const char *device, struct junos_fwcs *out,
		      struct aclf_err *err)
{
	size_t hint = 0;

	junos_fwcs_init(out);
	for (size_t k = 0; k < vbs->n; k++) {
		const struct aclf_snmp_vb *vb = &vbs->v[k];
		char filter[JUNOS_FWC_NAME_MAX], counter[JUNOS_FWC_NAME_MAX], msg[96];
		size_t pos = ENTRY_LEN + 1;
		uint32_t col, type;
		uint64_t val;
		struct junos_fwc *r;

		if (!aclf_snmp_oid_under(vb->oid, vb->oid_len, entry, ENTRY_LEN))
			continue;
		col = vb->oid[ENTRY_LEN];
		if (col < 4 || col > 5)
			continue; /* display columns and any the MIB adds later */
		if (aclf_snmp_index_string(vb->oid, vb->oid_len, &pos, filter, sizeof(filter)) < 1 ||
		    aclf_snmp_index_string(vb->oid, vb->oid_len, &pos, counter, sizeof(counter)) < 1)
			return bad(out, err, device, vb,
				   "index is not a filter name and a counter name (length-prefixed)");
		if (pos + 1 != vb->oid_len)
			return bad(out, err, device, vb,
				   "index does not end with the counter type after the names");
		type = vb->oid[pos];
		if (type < JUNOS_FWC_OTHER || type > JUNOS_FWC_HPOLPRE)
			return bad(out, err, device, vb, "counter type outside 1-5");
		if (aclf_snmp_vb_counter(vb, &val) < 0) {
			snprintf(msg, sizeof(msg), "wrong type %s, expected counter64",
				 aclf_snmp_type_name(vb->type));
			return bad(out, err, device, vb, msg);
		}
		r = find_row(out, &hint, filter, counter, (int)type);
		if (!r && !(r = add_row(out, filter, counter, (int)type))) {
			junos_fwcs_release(out);
			return aclf_err_nomem(err);
		}
		if (col == 4) {
			r->packets = val;
			r->has_packets = true;
		} else {
			r->bytes = val;
			r->has_bytes = true;
		}
	}
	return 0;
}

size_t junos_fwc_sum(const struct junos_fwcs *c, const char *filter, const char *counter, int type,
		     uint64_t *packets, uint64_t *bytes)
{
	size_t n = 0;

	*packets = *bytes = 0;
	for (size_t k = 0; k < c->n; k++) {
		const struct junos_fwc *r = &c->v[k];

		if (r->type != type || strcmp(r->base, filter) || strcmp(r->counter, counter))
			continue;
		*packets += r->packets;
		*bytes += r->bytes;
		n++;
	}
	return n;
}
