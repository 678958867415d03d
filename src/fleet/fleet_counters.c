/* `counters` over the fleet: each selected device's SNMP session from its
 * topology entry, the walks its driver names, all agents in one SNMP run
 * (one slow or dead agent delays nobody but itself), then each device's
 * answers mapped to its intended policy by its driver. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "aclforge/snmp.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

/* sysUpTime, walked (not got) after the driver's walks: an agent without
 * it answers nothing rather than fail the job. Two readings compare by
 * it: an agent restart sets it back. */
#define SYS_UPTIME "1.3.6.1.2.1.1.3"

struct cnt_job {
	const struct aclf_driver *drv;
	struct aclf_snmp *snmp;
	struct aclf_snmp_req *reqs;
	size_t nreqs;
	size_t slot; /* index into fc->devs */
};

/* The driver, the session and the requests of one device; -1 with the
 * slot's err set. */
static int prepare(struct aclf_fleet_cnt_dev *d, struct cnt_job *j)
{
	const struct aclf_device *dev = d->dev;
	struct aclf_snmp_opts so;
	struct aclf_snmp_secrets sec;
	int rc;

	j->drv = aclf_driver_find(dev->driver);
	if (!aclf_driver_can_count(j->drv))
		return aclf_err_remote(&d->err, ACLF_E_INPUT, dev->name, NULL,
				       "driver '%s' reads no counters over SNMP (not implemented "
				       "yet)", dev->driver);
	if (!d->intended)
		return aclf_err_remote(&d->err, ACLF_E_BUG, dev->name, NULL, "no intended policy");
	if (aclf_snmp_opts_from_device(&so, &sec, dev, &d->err) < 0)
		return -1;
	rc = aclf_snmp_new(&so, &j->snmp, &d->err);
	aclf_snmp_secrets_clear(&sec);
	if (rc < 0)
		return -1;
	while (j->drv->counter_walks[j->nreqs])
		j->nreqs++;
	j->reqs = calloc(j->nreqs + 1, sizeof(*j->reqs));
	if (!j->reqs)
		return aclf_err_nomem(&d->err);
	if (aclf_snmp_req_set(&j->reqs[j->nreqs++], SYS_UPTIME, false) < 0)
		return aclf_err_remote(&d->err, ACLF_E_BUG, dev->name, NULL, "bad OID '%s'", SYS_UPTIME);
	for (size_t k = 0; k + 1 < j->nreqs; k++)
		if (aclf_snmp_req_set(&j->reqs[k], j->drv->counter_walks[k], false) < 0)
			return aclf_err_remote(&d->err, ACLF_E_BUG, dev->name, NULL,
					       "driver '%s': bad OID '%s'", j->drv->name,
					       j->drv->counter_walks[k]);
	return 0;
}

static void stamp(char *out, size_t size, time_t wall0, int64_t mono0, int64_t done_ms)
{
	time_t t = wall0 + (time_t)((done_ms - mono0) / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		out[0] = '\0';
}

/* The sysUpTime answer (the last request's) taken off the end of vbs. */
static void uptime(struct aclf_fleet_cnt_dev *d, struct aclf_snmp_vbs *vbs)
{
	uint32_t root[16];
	int n = aclf_snmp_oid_parse(SYS_UPTIME, root, 16);

	while (n > 0 && vbs->n &&
	       aclf_snmp_oid_under(vbs->v[vbs->n - 1].oid, vbs->v[vbs->n - 1].oid_len, root, (size_t)n)) {
		struct aclf_snmp_vb *vb = &vbs->v[--vbs->n];

		if (vb->type == ACLF_SNMP_TIMETICKS) {
			d->has_uptime = true;
			d->uptime_cs = vb->u;
		}
		free(vb->oid); /* one block: oid, then str */
	}
}

/* Map one device's answers; the slot's err on failure. */
static void map(struct aclf_fleet_cnt_dev *d, const struct cnt_job *j,
		const struct aclf_snmp_vbs *vbs)
{
	d->c = malloc(sizeof(*d->c));
	if (!d->c) {
		aclf_err_nomem(&d->err);
		return;
	}
	aclf_counters_init(d->c);
	if (aclf_driver_counters(j->drv, vbs, d->dev, d->intended, d->c, &d->err) < 0) {
		aclf_counters_release(d->c);
		free(d->c);
		d->c = NULL;
		return;
	}
	d->polled = true;
}

int aclf_fleet_counters(const struct aclf_topology *topo, const struct aclf_policy *pol,
			const struct aclf_fleet_opts *o, struct aclf_fleet_cnt *fc,
			struct aclf_err *err)
{
	struct cnt_job *cj = NULL;
	struct aclf_snmp_job *jobs = NULL;
	size_t *jslot = NULL, nj = 0;
	struct aclf_snmp_cache *cache = NULL;
	time_t wall0;
	int64_t mono0;
	int rc = -1;

	memset(fc, 0, sizeof(*fc));
	for (size_t i = 0; o->only && o->only[i]; i++)
		if (!aclf_topology_device(topo, o->only[i]))
			return aclf_err_set(err, ACLF_E_INPUT, "no device '%s' in the topology",
					    o->only[i]);
	fc->devs = calloc(topo->ndevices ? topo->ndevices : 1, sizeof(*fc->devs));
	cj = calloc(topo->ndevices ? topo->ndevices : 1, sizeof(*cj));
	jobs = calloc(topo->ndevices ? topo->ndevices : 1, sizeof(*jobs));
	jslot = calloc(topo->ndevices ? topo->ndevices : 1, sizeof(*jslot));
	cache = aclf_snmp_cache_new();
	if (!fc->devs || !cj || !jobs || !jslot || !cache) {
		aclf_err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < topo->ndevices; i++) {
		struct aclf_fleet_cnt_dev *d;

		if (!fleet_selected(&topo->devices[i], o))
			continue;
		d = &fc->devs[fc->n];
		d->dev = &topo->devices[i];
		d->intended = aclf_policy_find_device(pol, d->dev->name);
		aclf_err_init(&d->err);
		if (prepare(d, &cj[fc->n]) == 0) {
			aclf_snmp_job_init(&jobs[nj], cj[fc->n].snmp, cj[fc->n].reqs, cj[fc->n].nreqs);
			jslot[nj++] = fc->n;
		}
		fc->n++;
	}
	wall0 = time(NULL);
	mono0 = aclf_snmp_now_ms();
	if (nj && aclf_snmp_run(jobs, nj, cache, NULL, err) < 0)
		goto out;
	for (size_t k = 0; k < nj; k++) {
		struct aclf_fleet_cnt_dev *d = &fc->devs[jslot[k]];

		if (jobs[k].rc < 0) {
			/* the transport's words: device, OID and cause */
			aclf_err_release(&d->err);
			d->err = jobs[k].err;
			aclf_err_init(&jobs[k].err);
			continue;
		}
		stamp(d->polled_at, sizeof(d->polled_at), wall0, mono0, jobs[k].done_ms);
		uptime(d, &jobs[k].vbs);
		map(d, &cj[jslot[k]], &jobs[k].vbs);
	}
	rc = 0;
out:
	for (size_t k = 0; k < nj; k++)
		aclf_snmp_job_release(&jobs[k]);
	for (size_t i = 0; cj && i < fc->n; i++) {
		aclf_snmp_free(cj[i].snmp);
		free(cj[i].reqs);
	}
	aclf_snmp_cache_free(cache);
	free(jslot);
	free(jobs);
	free(cj);
	return rc;
}

void aclf_fleet_cnt_release(struct aclf_fleet_cnt *fc)
{
	for (size_t i = 0; fc->devs && i < fc->n; i++) {
		aclf_err_release(&fc->devs[i].err);
		if (fc->devs[i].c) {
			aclf_counters_release(fc->devs[i].c);
			free(fc->devs[i].c);
		}
	}
	free(fc->devs);
	fc->devs = NULL;
	fc->n = 0;
}

int aclf_fleet_cnt_exit_code(const struct aclf_fleet_cnt *fc)
{
	bool input = false, remote = false;

	for (size_t i = 0; i < fc->n; i++) {
		const struct aclf_fleet_cnt_dev *d = &fc->devs[i];

		if (!d->err.count)
			continue;
		if (d->err.kind == ACLF_E_INPUT)
			input = true;
		else
			remote = true;
	}
	if (remote)
		return 3;
	return input ? 2 : 0;
}
