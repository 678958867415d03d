/* `counters` over the fleet: each selected device's SNMP session from its
 * topology entry, the walks its driver names, all agents in one SNMP run
 * (one slow or dead agent delays nobody but itself; host names are looked
 * up at once as the sessions are made, and waited for in the run), then
 * each device's answers mapped to its intended policy by its driver. A driver that reads
 * its per-entry counters over the CLI then has its show commands run
 * over an SSH session (the topology's `ssh:`), o->parallel devices at a
 * time as fetch reads them, and mapped by its driver; its SNMP walks (interface totals) run only when
 * the device has `snmp:` settings. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "aclforge/snmp.h"
#include "aclforge/ssh.h"
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
	bool cli;    /* counters over the CLI as well */
};

/* The driver, the session and the requests of one device: 0 with an SNMP
 * job to run, 1 without one (a CLI-counting driver, the device has no
 * `snmp:`), -1 with the slot's err set. */
static int prepare(struct aclf_fleet_cnt_dev *d, struct cnt_job *j)
{
	const struct aclf_device *dev = d->dev;
	struct aclf_snmp_opts so;
	struct aclf_snmp_secrets sec;
	int rc;

	j->drv = aclf_driver_find(dev->driver);
	j->cli = aclf_driver_can_count_cli(j->drv);
	if (!aclf_driver_can_count(j->drv) && !j->cli)
		return aclf_err_remote(&d->err, ACLF_E_INPUT, dev->name, NULL,
				       "driver '%s' reads no counters over SNMP (not implemented "
				       "yet)", dev->driver);
	if (!d->intended)
		return aclf_err_remote(&d->err, ACLF_E_BUG, dev->name, NULL, "no intended policy");
	if (j->cli && (!aclf_driver_can_count(j->drv) || !dev->snmp.version))
		return 1;
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

/* The slot's counters, made on first use; NULL (the slot's err set) when
 * out of memory. */
static struct aclf_counters *slot_counters(struct aclf_fleet_cnt_dev *d)
{
	if (d->c)
		return d->c;
	d->c = malloc(sizeof(*d->c));
	if (!d->c) {
		aclf_err_nomem(&d->err);
		return NULL;
	}
	aclf_counters_init(d->c);
	return d->c;
}

/* The CLI counters of one device over a session of its own, mapped to its
 * intended policy; the slot's err on failure (the SNMP part, if any, kept). */
static void cli_counters(struct aclf_fleet_cnt_dev *d, const struct cnt_job *j,
			 const struct aclf_fleet_opts *o, time_t wall0, int64_t mono0)
{
	struct aclf_cli_capture cap;
	struct aclf_ssh *ssh = NULL;
	struct aclf_err e;

	aclf_cli_capture_init(&cap);
	aclf_err_init(&e);
	if (fleet_open(d->dev, o, &ssh, &e) < 0 ||
	    aclf_driver_counters_read(j->drv, ssh, d->dev, &cap, &e) < 0)
		goto out;
	aclf_ssh_close(ssh);
	ssh = NULL;
	if (!d->polled_at[0])
		stamp(d->polled_at, sizeof(d->polled_at), wall0, mono0, aclf_snmp_now_ms());
	if (!slot_counters(d))
		goto out;
	if (aclf_driver_can_count(j->drv) && !d->dev->snmp.version &&
	    aclf_counters_note(d->c, "no 'snmp' settings: interface totals not read") < 0) {
		aclf_err_nomem(&e);
		goto out;
	}
	if (aclf_driver_counters_cli(j->drv, &cap, d->dev, d->intended, d->c, &e) < 0)
		goto out;
	d->polled = true; /* the rules' counters came back (an SNMP failure stays in err) */
out:
	if (e.count) {
		if (!d->err.count) {
			aclf_err_release(&d->err);
			d->err = e;
			aclf_err_init(&e);
		}
	}
	aclf_ssh_close(ssh);
	aclf_err_release(&e);
	aclf_cli_capture_release(&cap);
}

/* The CLI reads of a run: workers take the next device until none is left
 * (o->parallel at once, as fetch runs them). */
struct cli_run {
	pthread_mutex_t mu;
	size_t next;            /* guarded by mu */
	struct aclf_fleet_cnt *fc;
	const struct cnt_job *cj;
	const struct aclf_fleet_opts *o;
	time_t wall0;
	int64_t mono0;
};

static void *cli_worker(void *arg)
{
	struct cli_run *r = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&r->mu);
		while (r->next < r->fc->n && !(r->cj[r->next].slot == r->next && r->cj[r->next].cli))
			r->next++;
		i = r->next++;
		pthread_mutex_unlock(&r->mu);
		if (i >= r->fc->n)
			return NULL;
		cli_counters(&r->fc->devs[i], &r->cj[i], r->o, r->wall0, r->mono0);
	}
}

/* Every CLI-counting device's reads, o->parallel (0: 8) at a time. */
static void cli_all(struct aclf_fleet_cnt *fc, const struct cnt_job *cj,
		    const struct aclf_fleet_opts *o, time_t wall0, int64_t mono0)
{
	struct cli_run r = { .fc = fc, .cj = cj, .o = o, .wall0 = wall0, .mono0 = mono0 };
	size_t want = 0, nt = o->parallel ? o->parallel : 8, started = 0;
	pthread_t *t;

	for (size_t i = 0; i < fc->n; i++)
		want += cj[i].slot == i && cj[i].cli;
	if (nt > want)
		nt = want;
	t = nt > 1 ? calloc(nt, sizeof(*t)) : NULL;
	if (!t || pthread_mutex_init(&r.mu, NULL) != 0) {
		/* one after another (one device, or no threads to be had) */
		for (size_t i = 0; i < fc->n; i++)
			if (cj[i].slot == i && cj[i].cli)
				cli_counters(&fc->devs[i], &cj[i], o, wall0, mono0);
		free(t);
		return;
	}
	for (size_t k = 0; k < nt; k++)
		if (pthread_create(&t[k], NULL, cli_worker, &r) == 0)
			started++;
		else
			break;
	if (!started)
		cli_worker(&r);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	pthread_mutex_destroy(&r.mu);
	free(t);
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
		/* its OID and string stay in the list's blocks, freed with it */
	}
}

/* Map one device's answers; the slot's err on failure. */
static void map(struct aclf_fleet_cnt_dev *d, const struct cnt_job *j,
		const struct aclf_snmp_vbs *vbs)
{
	if (!slot_counters(d))
		return;
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
	int rc = -1, pr;

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
		cj[fc->n].slot = SIZE_MAX;
		pr = prepare(d, &cj[fc->n]);
		/* bad snmp settings (a secret that does not resolve) stop the
		 * interface totals, not the CLI counters */
		if (pr >= 0 || (cj[fc->n].cli && d->intended))
			cj[fc->n].slot = fc->n;
		if (pr == 0) {
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
	cli_all(fc, cj, o, wall0, mono0);
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
