/* Audit from backups: a device's saved configuration read from a
 * directory instead of the device (`audit --live-dir DIR`), named as
 * `render --out` names files (and as Oxidized or RANCID keep backups):
 * DIR/<device name>.<the driver's extension>. */
#include <errno.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

int fleet_read_saved(const char *dir, const struct aclf_driver *drv, const struct aclf_device *dev,
		     struct aclf_buf *path, struct aclf_policy **pol, struct aclf_devpol **live,
		     struct aclf_err *err)
{
	struct aclf_buf text = ACLF_BUF_INIT;
	int rc;

	*pol = NULL;
	*live = NULL;
	aclf_buf_reset(path);
	if (aclf_buf_printf(path, "%s/%s.%s", dir, dev->name, drv->file_ext) < 0)
		return aclf_err_nomem(err);
	aclf_buf_init(&text, ACLF_LIVE_TEXT_CAP);
	if (aclf_buf_read_file(&text, path->buf) < 0) {
		int e = errno;

		aclf_buf_release(&text);
		return aclf_err_remote(err, ACLF_E_INPUT, dev->name, NULL,
				       "cannot read the saved configuration '%s': %s", path->buf,
				       strerror(e));
	}
	rc = aclf_live_load(text.buf, text.len, drv,
			    &(struct aclf_parse_opts){ .name = dev->name, .label = path->buf,
						       .device = dev },
			    pol, live, err);
	aclf_buf_release(&text);
	return rc;
}
