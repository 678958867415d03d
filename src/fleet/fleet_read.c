/* Reading a device back and comparing it by meaning. */
#include <stdio.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

int fleet_read(struct aclf_ssh *ssh, const struct aclf_driver *drv, const struct aclf_device *dev,
	       struct aclf_buf *text, struct aclf_policy **pol, struct aclf_devpol **live,
	       struct aclf_err *err)
{
	struct aclf_buf running = ACLF_BUF_INIT;
	char label[300];
	int rc;

	*pol = NULL;
	*live = NULL;
	aclf_buf_init(&running, ACLF_LIVE_TEXT_CAP);
	if (aclf_driver_fetch(drv, ssh, dev, &running, err) < 0) {
		aclf_buf_release(&running);
		return -1;
	}
	/* messages about the text name the device and where it came from */
	snprintf(label, sizeof(label), "%s (fetched)", dev->name);
	rc = aclf_live_load(running.buf, running.len, drv,
			    &(struct aclf_parse_opts){ .name = dev->name, .label = label, .device = dev,
						      .fetched = true },
			    pol, live, err);
	/* text the device printed that cannot be read: the device could not
	 * be read (exit 3), not bad input of ours */
	if (rc < 0 && err->kind == ACLF_E_INPUT)
		err->kind = ACLF_E_DEVICE;
	if (rc == 0 && text && aclf_buf_add(text, running.buf, running.len) < 0)
		rc = aclf_err_nomem(err);
	aclf_buf_release(&running);
	return rc;
}

int fleet_diff_report(const struct aclf_diff *d, const char *device, bool json,
		      struct aclf_buf *report, struct aclf_buf *json_report, struct aclf_err *err)
{
	int rc = d->n == 0 && d->nlb == 0;

	if ((report && (json ? aclf_diff_print_json(d, device, report)
			     : aclf_diff_print_text(d, device, report)) < 0) ||
	    (json_report && aclf_diff_print_json(d, device, json_report) < 0))
		rc = aclf_err_nomem(err);
	return rc;
}

int fleet_same(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       const char *device, bool json, struct aclf_buf *report, struct aclf_err *err)
{
	return fleet_same_both(intended, live, device, json, report, NULL, err);
}

int fleet_same_both(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		    const char *device, bool json, struct aclf_buf *report,
		    struct aclf_buf *json_report, struct aclf_err *err)
{
	struct aclf_diff d;
	int rc;

	aclf_diff_init(&d);
	rc = aclf_diff_devices(intended, live, &d, NULL, 50, err) < 0
		     ? -1 : fleet_diff_report(&d, device, json, report, json_report, err);
	aclf_diff_release(&d);
	return rc;
}
