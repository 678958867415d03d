/* The counters op: F5-BIGIP-LOCAL-MIB's ltmVirtualServStatTable and
 * ltmPoolMemberStatTable, walked by the core, mapped to the intended
 * policy's lb services.
 *
 * Each service is the virtual and pool render creates for it (names from
 * bip_plan_build, bigip_names.c), in the /Common partition: its numbers
 * are the virtual's client side (packets and bytes in, total and current
 * connections), each member's the pool member row of that pool, node and
 * port (the node by its name, or by its address in the older index form). */
#include <stdio.h>
#include <string.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "bigip_int.h"
#include "bigip_snmp.h"

#define PARTITION "/Common/"

/* The columns the report shows, not the whole entries (about 38 columns
 * of a virtual, 30 of a member): each table's walked side by side in one
 * GETBULK, the names in every column's index. The out-direction columns
 * (ClientPktsOut/BytesOut, ServerPktsOut/BytesOut) and the member's bytes
 * and current connections feed nothing in the report, so are not read. */
const char *const bigip_counter_walks[] = {
	BIGIP_VS_PKTS_IN, BIGIP_VS_BYTES_IN, BIGIP_VS_TOT_CONNS, BIGIP_VS_CUR_CONNS,
	BIGIP_MBR_PKTS_IN, BIGIP_MBR_TOT_CONNS, NULL,
};

/* The fields each row must have for the report (BIGIP_HAS_*), and their
 * column names for the note when the device's row lacks one. */
#define VS_NEEDS (BIGIP_HAS_PKTS_IN | BIGIP_HAS_BYTES_IN | BIGIP_HAS_TOT_CONNS | BIGIP_HAS_CUR_CONNS)
#define MBR_NEEDS (BIGIP_HAS_PKTS_IN | BIGIP_HAS_TOT_CONNS)

static const char *const vs_col_names[6] = { "ClientPktsIn", "ClientBytesIn", "ClientPktsOut",
					     "ClientBytesOut", "ClientTotConns", "ClientCurConns" };
static const char *const mbr_col_names[6] = { "ServerPktsIn", "ServerBytesIn", "ServerPktsOut",
					      "ServerBytesOut", "ServerTotConns", "ServerCurConns" };

/* A row the device has but without every column the report shows: its
 * missing numbers read 0, and a note names the columns (not a silent 0). */
static int note_missing(struct aclf_counters *out, const char *svc, const char *what,
			unsigned has, unsigned needs, const char *const names[6])
{
	char list[128] = "";
	size_t len = 0;

	if ((has & needs) == needs)
		return 0;
	for (unsigned k = 0; k < 6; k++)
		if ((needs & ~has) & (1u << k))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						len ? ", " : "", names[k]);
	return aclf_counters_note(out, "lb service '%s': %s has no %s on the device (counted as 0)",
				  svc, what, list);
}

/* name as the device's full path: "/Common/name" (a name with its own
 * folder stays as it is) */
static bool same_object(const char *dev_name, const char *ours)
{
	size_t pl = strlen(PARTITION);

	if (ours[0] == '/')
		return !strcmp(dev_name, ours);
	return !strncmp(dev_name, PARTITION, pl) && !strcmp(dev_name + pl, ours);
}

static const struct bigip_member_stat *find_member(const struct bigip_snmp_stats *st,
						   const char *pool, const char *node,
						   const char *addr, uint16_t port)
{
	for (size_t k = 0; k < st->nmbr; k++) {
		const struct bigip_member_stat *m = &st->mbr[k];

		if (m->port != port || !same_object(m->pool, pool))
			continue;
		if (same_object(m->node, node) || !strcmp(m->node, addr))
			return m;
	}
	return NULL;
}

static int map_service(const struct bigip_snmp_stats *st, const struct bip_plan *plan, size_t i,
		       struct aclf_counters *out, struct aclf_err *err)
{
	const struct bip_svc_plan *sp = &plan->svcs[i];
	const struct bigip_vs_stat *vs = NULL;
	struct aclf_lb_cnt *lc = aclf_counters_add_lb(out, sp->s);

	if (!lc || !(lc->object = aclf_arena_printf(&out->arena, PARTITION "%s", sp->vs)))
		return aclf_err_nomem(err);
	for (size_t k = 0; k < st->nvs && !vs; k++)
		if (same_object(st->vs[k].name, sp->vs))
			vs = &st->vs[k];
	if (vs) {
		char what[BIGIP_SNMP_NAME_MAX + 32];

		lc->found = true;
		lc->packets_in = vs->t.pkts_in;
		lc->bytes_in = vs->t.bytes_in;
		lc->connections_total = vs->t.tot_conns;
		lc->connections_current = vs->t.cur_conns;
		snprintf(what, sizeof(what), "virtual server '%s'", vs->name);
		if (note_missing(out, lc->name, what, vs->t.has, VS_NEEDS, vs_col_names) < 0)
			return aclf_err_nomem(err);
	} else if (aclf_counters_note(out, "lb service '%s': no virtual server '%s' on the device",
				      lc->name, lc->object) < 0) {
		return aclf_err_nomem(err);
	}
	for (size_t j = 0; j < lc->nmembers; j++) {
		struct aclf_member_cnt *mc = &lc->members[j];
		const struct bip_node_plan *n = &plan->nodes[sp->member_node[j]];
		const struct bigip_member_stat *m =
			find_member(st, sp->pool, n->name, mc->address, mc->port);

		if (m) {
			char what[2 * BIGIP_SNMP_NAME_MAX + 48];

			mc->found = true;
			mc->packets_in = m->t.pkts_in;
			mc->connections_total = m->t.tot_conns;
			snprintf(what, sizeof(what), "member %s:%u of pool '%s'", m->node,
				 (unsigned)m->port, m->pool);
			if (note_missing(out, lc->name, what, m->t.has, MBR_NEEDS, mbr_col_names) < 0)
				return aclf_err_nomem(err);
		} else if (aclf_counters_note(out, "lb service '%s': no member %s:%u of pool '"
					      PARTITION "%s' on the device", lc->name, mc->address,
					      mc->port, sp->pool) < 0) {
			return aclf_err_nomem(err);
		}
	}
	return 0;
}

int bigip_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		      const struct aclf_devpol *intended, struct aclf_counters *out,
		      struct aclf_err *err)
{
	struct bigip_snmp_stats st;
	struct bip_plan plan;
	int rc = 0;

	if (!intended || !intended->nlb)
		return 0;
	if (bip_plan_build(intended, &plan, err) < 0)
		return -1;
	if (bigip_snmp_decode(vbs, dev->name, &st, err) < 0) {
		bip_plan_release(&plan);
		return -1;
	}
	for (size_t i = 0; i < plan.nsvcs && rc == 0; i++)
		rc = map_service(&st, &plan, i, out, err);
	bigip_snmp_stats_release(&st);
	bip_plan_release(&plan);
	return rc;
}
