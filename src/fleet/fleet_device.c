/* fetch, plan and audit of one device: read it, compare it by meaning. */
#include <time.h>

#include <stdlib.h>

#include "aclforge/audit.h"
#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

int64_t fleet_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* audit: one comparison for the diff report (1 same, 0 drift, as
 * fleet_same) and the per-rule verdicts into slot->audit; counters absent
 * until the run polls them (aclf_fleet_audit_counters), for good when the
 * text came from a saved configuration. -1 with the slot's err set. */
static int fleet_verdicts(const struct aclf_devpol *intended, const struct aclf_devpol *live,
			  const struct aclf_fleet_opts *o, struct aclf_fleet_dev *slot)
{
	struct aclf_audit_dev *a = malloc(sizeof(*a));
	struct aclf_rule_checks rc;
	struct aclf_diff d;
	int same = -1;

	if (!a)
		return aclf_err_nomem(&slot->err);
	aclf_audit_dev_init(a);
	slot->audit = a;
	aclf_diff_init(&d);
	aclf_rule_checks_init(&rc);
	if (aclf_diff_audit(intended, live, &d, 50, &rc, &slot->err) < 0 ||
	    (same = fleet_diff_report(&d, slot->dev->name, o->json, &slot->diff,
				      o->keep_json ? &slot->diff_json : NULL, &slot->err)) < 0 ||
	    aclf_audit_judge(intended, live, &rc, &d, a, &slot->err) < 0)
		same = -1;
	else if (aclf_audit_set_absent(a, o->live_dir ? "read from a saved configuration"
				       : "counters not polled") < 0)
		same = aclf_err_nomem(&slot->err);
	aclf_rule_checks_release(&rc);
	aclf_diff_release(&d);
	return same;
}

void fleet_device(const struct aclf_policy *pol, const struct aclf_fleet_opts *o,
		  struct aclf_fleet_dev *slot)
{
	const struct aclf_device *dev = slot->dev;
	const struct aclf_driver *drv = aclf_driver_find(dev->driver);
	const struct aclf_devpol *intended = aclf_policy_find_device(pol, dev->name);
	struct aclf_policy *lpol = NULL;
	struct aclf_devpol *live = NULL;
	struct aclf_ssh *ssh = NULL;
	struct aclf_buf text = ACLF_BUF_INIT, plan = ACLF_BUF_INIT;
	bool script = o->verb == ACLF_FLEET_PLAN && drv && drv->ops->script;
	int same;

	if (o->verb == ACLF_FLEET_APPLY) {
		fleet_apply(intended, o, slot);
		return;
	}
	aclf_buf_init(&text, 0);
	aclf_buf_init(&plan, 0);
	if (o->live_dir && o->verb == ACLF_FLEET_AUDIT && drv) {
		/* a saved configuration: nothing connects, no counters */
		struct aclf_buf path = ACLF_BUF_INIT;
		int rc = fleet_read_saved(o->live_dir, drv, dev, &path, &lpol, &live, &slot->err);

		if (rc == 0 && aclf_buf_printf(&slot->note, "read from %s (a saved configuration): "
					       "nothing connected, counters absent", path.buf) < 0)
			rc = aclf_err_nomem(&slot->err);
		aclf_buf_release(&path);
		if (rc < 0) {
			slot->outcome = ACLF_OUT_FAILED;
			goto out;
		}
	} else if (!drv || !drv->ops->fetch) {
		aclf_err_set(&slot->err, ACLF_E_INPUT, "device '%s': driver '%s' cannot fetch (not "
			     "implemented yet)", dev->name, dev->driver);
		slot->outcome = ACLF_OUT_FAILED;
		return;
	} else if (fleet_open(dev, o, &ssh, &slot->err) < 0 ||
		   fleet_read(ssh, drv, dev, o->verb == ACLF_FLEET_FETCH ? &slot->live
					     : script ? &text : NULL, &lpol, &live, &slot->err) < 0) {
		slot->outcome = ACLF_OUT_FAILED;
		goto out;
	}
	if (o->verb == ACLF_FLEET_FETCH) {
		slot->outcome = ACLF_OUT_FETCHED;
		goto out;
	}
	if (!intended) {
		aclf_err_set(&slot->err, ACLF_E_BUG, "device '%s': no intended policy", dev->name);
		slot->outcome = ACLF_OUT_FAILED;
		goto out;
	}
	if (o->verb == ACLF_FLEET_AUDIT) {
		/* the diff and the verdicts from one comparison */
		same = fleet_verdicts(intended, live, o, slot);
	} else if (o->keep_json) {
		/* one comparison, its report as text (or JSON) and as JSON */
		same = fleet_same_both(intended, live, dev->name, o->json, &slot->diff, &slot->diff_json,
				       &slot->err);
	} else {
		same = fleet_same(intended, live, dev->name, o->json, &slot->diff, &slot->err);
	}
	if (same < 0) {
		slot->outcome = ACLF_OUT_FAILED;
		goto out;
	}
	slot->outcome = same ? ACLF_OUT_UNCHANGED : ACLF_OUT_CHANGES;
	/* the commands apply would send: the plan, as the driver's load
	 * completes it from what the device runs */
	if (!same && o->verb == ACLF_FLEET_PLAN &&
	    (aclf_driver_plan(drv, intended, live, dev, &plan, &slot->err) < 0 ||
	     aclf_driver_script(drv, &plan, script ? text.buf : NULL, dev, &slot->plan,
				&slot->err) < 0))
		slot->outcome = ACLF_OUT_FAILED;
out:
	aclf_ssh_close(ssh);
	aclf_policy_free(lpol);
	aclf_buf_release(&text);
	aclf_buf_release(&plan);
}
