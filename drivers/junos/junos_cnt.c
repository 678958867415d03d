/* The counters op: JUNIPER-FIREWALL-MIB's jnxFirewallCounterTable, walked
 * by the core, mapped to the intended policy's rules.
 *
 * junos_render.c names each term after its rule id and counts it with
 * `then count ID` in family inet and `then count ID-v6` in family inet6 (a
 * rule without an id is term "rule-N", N its 1-based place). The table's
 * rows of type counter (2) are keyed by filter name and counter name: a
 * rule's counters are the rows of its filter named ID or ID-v6. A filter
 * the device applies per interface (`interface-specific`) shows as
 * instances "FILTER-<ifl>-i" / "-o", each counter either under its own
 * name or as "ID-<ifl>-i"; every instance is kept, and the rule's numbers
 * are their sum. Policer rows and the default terms' counters
 * (default-deny, default-accept) belong to no rule. */
#include <stdio.h>
#include <string.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "junos.h"
#include "junos_snmp.h"

/* The two columns the rows are made of (the names and the type are in the
 * index): walked side by side in one GETBULK, not the whole entry (five
 * columns on an MX960, three of them display copies). */
const char *const junos_counter_walks[] = { JUNOS_FWC_PACKETS, JUNOS_FWC_BYTES, NULL };

/* Is counter (of instance row w) the counter `term` (+ "-v6" when v6)? */
static bool names(const struct junos_fwc *w, const char *term, bool v6)
{
	size_t tl = strlen(term);
	const char *p = w->counter;

	if (strncmp(p, term, tl))
		return false;
	p += tl;
	if (v6) {
		if (strncmp(p, "-v6", 3))
			return false;
		p += 3;
	}
	if (!*p)
		return true;
	/* an interface-specific instance's own counter name: ID-<ifl>-i */
	if (!w->dir || *p != '-')
		return false;
	p++;
	tl = strlen(w->ifl);
	return !strncmp(p, w->ifl, tl) && p[tl] == '-' && p[tl + 1] == w->dir && !p[tl + 2];
}

static int map_rule(const struct junos_fwcs *rows, const struct aclf_filter *f, size_t idx,
		    struct aclf_counters *out, struct aclf_err *err)
{
	const struct aclf_rule *r = &f->rules[idx];
	char deflt[32];
	const char *term = r->id && *r->id ? r->id : deflt;
	struct aclf_rule_cnt *rc = aclf_counters_add_rule(out, f->name, r);

	snprintf(deflt, sizeof(deflt), "rule-%zu", idx + 1);
	if (!rc || (term == deflt && !(rc->rule = aclf_arena_strdup(&out->arena, term))))
		return aclf_err_nomem(err);
	for (size_t k = 0; k < rows->n; k++) {
		const struct junos_fwc *w = &rows->v[k];

		if (w->type != JUNOS_FWC_COUNTER || strcmp(w->base, f->name))
			continue;
		if (!names(w, term, false) && !names(w, term, true))
			continue;
		if (aclf_rule_cnt_add(out, rc, w->filter, w->counter, w->packets, w->bytes,
				      w->has_bytes) < 0)
			return aclf_err_nomem(err);
	}
	if (!rc->found && aclf_counters_note(out, "filter '%s' rule '%s': no counter '%s' on the "
					     "device", f->name, term, term) < 0)
		return aclf_err_nomem(err);
	return 0;
}

int junos_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		      const struct aclf_devpol *intended, struct aclf_counters *out,
		      struct aclf_err *err)
{
	struct junos_fwcs rows;
	int rc = 0;

	if (junos_snmp_decode(vbs, dev->name, &rows, err) < 0)
		return -1;
	for (size_t i = 0; intended && i < intended->nfilters && rc == 0; i++) {
		const struct aclf_filter *f = &intended->filters[i];

		for (size_t j = 0; j < f->nrules && rc == 0; j++)
			rc = map_rule(&rows, f, j, out, err);
	}
	junos_fwcs_release(&rows);
	return rc;
}
