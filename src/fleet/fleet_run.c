/* The rollout: select the devices, run the canaries first, then the rest
 * `parallel` at a time; once max_fail devices failed, apply starts no
 * further device (they stay "not attempted", on their old policy). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/audit.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

struct run {
	const struct aclf_policy *pol;
	const struct aclf_fleet_opts *o;
	struct aclf_fleet *fl;
	pthread_mutex_t mu;   /* guards all below */
	size_t next, end;     /* the slots of this phase still to start */
	size_t done, failed;
	unsigned max_fail;
};

static bool failed(const struct aclf_fleet_dev *d)
{
	switch (d->outcome) {
	case ACLF_OUT_FAILED:
	case ACLF_OUT_ROLLED_BACK:
	case ACLF_OUT_UNKNOWN:
	case ACLF_OUT_REFUSED:
		return true;
	case ACLF_OUT_NOT_ATTEMPTED:
	case ACLF_OUT_FETCHED:
	case ACLF_OUT_UNCHANGED:
	case ACLF_OUT_CHANGES:
	case ACLF_OUT_APPLIED:
		return false;
	}
	return true;
}

static void *worker(void *arg)
{
	struct run *r = arg;

	for (;;) {
		struct aclf_fleet_dev *slot;
		int64_t t0;

		pthread_mutex_lock(&r->mu);
		if (r->next >= r->end ||
		    (r->o->verb == ACLF_FLEET_APPLY && r->failed >= r->max_fail)) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		slot = &r->fl->devs[r->next++];
		pthread_mutex_unlock(&r->mu);

		t0 = fleet_now_ms();
		fleet_device(r->pol, r->o, slot);
		slot->ms = (unsigned)(fleet_now_ms() - t0);

		pthread_mutex_lock(&r->mu);
		r->done++;
		if (failed(slot))
			r->failed++;
		if (r->o->progress)
			r->o->progress(r->o->progress_ctx, r->done, r->fl->n, r->failed);
		pthread_mutex_unlock(&r->mu);
	}
}

/* Slots [from, to) with up to parallel threads; the calling thread is
 * one of them. */
static int phase(struct run *r, size_t from, size_t to, struct aclf_err *err)
{
	unsigned n = r->o->parallel ? r->o->parallel : 8;
	pthread_t *t;
	unsigned started = 0;

	if (from >= to)
		return 0;
	if (n > to - from)
		n = (unsigned)(to - from);
	r->next = from;
	r->end = to;
	t = calloc(n, sizeof(*t));
	if (!t)
		return aclf_err_nomem(err);
	for (unsigned i = 1; i < n; i++) {
		if (pthread_create(&t[i], NULL, worker, r) != 0)
			break; /* fewer threads: the work still gets done */
		started = i;
	}
	worker(r);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

bool fleet_selected(const struct aclf_device *d, const struct aclf_fleet_opts *o)
{
	if (o->only) {
		bool in = false;

		for (size_t i = 0; o->only[i]; i++)
			if (!strcmp(o->only[i], d->name))
				in = true;
		if (!in)
			return false;
	}
	return o->nshards == 0 || aclf_fleet_in_shard(d->name, o->shard, o->nshards);
}

int aclf_fleet_run(const struct aclf_topology *topo, const struct aclf_policy *pol,
		   const struct aclf_fleet_opts *o, struct aclf_fleet *fl, struct aclf_err *err)
{
	struct run r = { .pol = pol, .o = o, .fl = fl, .max_fail = o->max_fail ? o->max_fail : 1 };
	size_t canary;
	int rc;

	memset(fl, 0, sizeof(*fl));
	fl->verb = o->verb;
	if (o->verb == ACLF_FLEET_AUDIT)
		fleet_utc_now(fl->audited_at, sizeof(fl->audited_at));
	for (size_t i = 0; o->only && o->only[i]; i++)
		if (!aclf_topology_device(topo, o->only[i]))
			return aclf_err_set(err, ACLF_E_INPUT, "no device '%s' in the topology",
					    o->only[i]);
	fl->devs = calloc(topo->ndevices ? topo->ndevices : 1, sizeof(*fl->devs));
	if (!fl->devs)
		return aclf_err_nomem(err);
	for (size_t i = 0; i < topo->ndevices; i++) {
		struct aclf_fleet_dev *d;

		if (!fleet_selected(&topo->devices[i], o))
			continue;
		d = &fl->devs[fl->n++];
		d->dev = &topo->devices[i];
		aclf_err_init(&d->err);
		aclf_buf_init(&d->note, 0);
		aclf_buf_init(&d->live, 0);
		aclf_buf_init(&d->diff, 0);
		aclf_buf_init(&d->plan, 0);
		aclf_buf_init(&d->diff_json, 0);
	}
	canary = o->verb == ACLF_FLEET_APPLY && o->canary < fl->n ? o->canary : 0;
	if (o->verb == ACLF_FLEET_APPLY && o->canary >= fl->n)
		canary = fl->n;
	for (size_t i = 0; i < canary; i++)
		fl->devs[i].canary = true;
	if (pthread_mutex_init(&r.mu, NULL) != 0)
		return aclf_err_set(err, ACLF_E_NOMEM, "cannot create a mutex");
	rc = phase(&r, 0, canary, err);
	/* a failed canary stops the rollout: the rest are not attempted */
	if (rc == 0 && !(canary && r.failed))
		rc = phase(&r, canary, fl->n, err);
	pthread_mutex_destroy(&r.mu);
	return rc;
}

void aclf_fleet_release(struct aclf_fleet *fl)
{
	for (size_t i = 0; fl->devs && i < fl->n; i++) {
		aclf_err_release(&fl->devs[i].err);
		aclf_buf_release(&fl->devs[i].note);
		aclf_buf_release(&fl->devs[i].live);
		aclf_buf_release(&fl->devs[i].diff);
		aclf_buf_release(&fl->devs[i].plan);
		aclf_buf_release(&fl->devs[i].diff_json);
		if (fl->devs[i].audit) {
			aclf_audit_dev_release(fl->devs[i].audit);
			free(fl->devs[i].audit);
		}
	}
	free(fl->devs);
	fl->devs = NULL;
	fl->n = 0;
}

int aclf_fleet_exit_code(const struct aclf_fleet *fl)
{
	bool drift = false, remote = false, refused = false, input = false;

	for (size_t i = 0; i < fl->n; i++) {
		const struct aclf_fleet_dev *d = &fl->devs[i];

		switch (d->outcome) {
		case ACLF_OUT_CHANGES:
			drift = true;
			break;
		case ACLF_OUT_REFUSED:
			refused = true;
			break;
		case ACLF_OUT_FAILED:
			/* a bad setting (a secret not set, a driver that cannot) is
			 * bad input; the rest is the device's or the network's */
			if (d->err.kind == ACLF_E_INPUT)
				input = true;
			else
				remote = true;
			break;
		case ACLF_OUT_ROLLED_BACK:
		case ACLF_OUT_UNKNOWN:
			remote = true;
			break;
		case ACLF_OUT_NOT_ATTEMPTED: /* the failures that stopped the rollout decide */
		case ACLF_OUT_FETCHED:
		case ACLF_OUT_UNCHANGED:
		case ACLF_OUT_APPLIED:
			break;
		}
	}
	if (remote)
		return 3;
	if (refused || input)
		return 2;
	return drift ? 1 : 0;
}
