/* Counters in an audit (include/aclforge/audit.h): the devices the audit
 * read over the network polled as `aclforge counters` polls them
 * (aclf_fleet_counters: whatever source each device's driver reads), then
 * joined into their verdicts, with the deltas against an earlier reading. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/audit.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/topology.h"

static const struct aclf_since_dev *since_dev(const struct aclf_since *s, const char *name)
{
	for (size_t i = 0; s && i < s->ndevs; i++)
		if (!strcmp(s->devs[i].name, name))
			return &s->devs[i];
	return NULL;
}

int aclf_fleet_audit_counters(const struct aclf_topology *topo, const struct aclf_policy *pol,
			      const struct aclf_fleet_opts *o, const struct aclf_since *since,
			      struct aclf_fleet *fl, struct aclf_err *err)
{
	struct aclf_fleet_opts co = { .verb = ACLF_FLEET_AUDIT };
	struct aclf_fleet_cnt fc = { 0 };
	const char **only;
	size_t n = 0;
	int rc = -1;

	if (o->live_dir)
		return 0; /* saved configurations: nothing to poll */
	only = calloc(fl->n + 1, sizeof(*only));
	if (!only)
		return aclf_err_nomem(err);
	for (size_t i = 0; i < fl->n; i++)
		if (fl->devs[i].audit)
			only[n++] = fl->devs[i].dev->name;
	if (!n) {
		rc = 0;
		goto out;
	}
	co.only = only;
	if (aclf_fleet_counters(topo, pol, &co, &fc, err) < 0)
		goto out;
	for (size_t k = 0; k < fc.n; k++) {
		const struct aclf_fleet_cnt_dev *cd = &fc.devs[k];
		struct aclf_audit_dev *a = NULL;
		const struct aclf_since_dev *sd;

		for (size_t i = 0; i < fl->n && !a; i++)
			if (fl->devs[i].dev == cd->dev)
				a = fl->devs[i].audit;
		if (!a)
			continue;
		if (!cd->polled || !cd->c) {
			if (aclf_audit_set_absent(a, cd->err.count ? aclf_err_text(&cd->err)
						  : "counters not read") < 0)
				goto nomem;
			continue;
		}
		if (aclf_audit_join_counters(a, cd->c, cd->polled_at) < 0)
			goto nomem;
		sd = since_dev(since, cd->dev->name);
		if (sd && sd->polled_at &&
		    aclf_audit_since(a, sd, since->file, cd->has_uptime, cd->uptime_cs) < 0)
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	aclf_err_nomem(err);
out:
	aclf_fleet_cnt_release(&fc);
	free(only);
	return rc;
}
