/* The device-facing ops through the core (include/aclforge/driver.h):
 * fetch, and the phases of a safe apply. The core decides outcomes; these
 * wrappers only check that the driver has the op and that a failing op
 * said why. */
#include <stdbool.h>
#include <stddef.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"

void aclf_txn_init(struct aclf_txn *t)
{
	aclf_buf_init(&t->state, 0);
	t->armed = false;
	t->loaded = false;
	t->fired = false;
	t->over = false;
}

void aclf_txn_release(struct aclf_txn *t)
{
	aclf_buf_release(&t->state);
}

static int lacks(const struct aclf_driver *drv, const char *op, struct aclf_err *err)
{
	return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' cannot %s (not implemented yet)",
			    drv ? drv->name : "?", op);
}

static int said_why(const struct aclf_driver *drv, const char *op, struct aclf_err *err)
{
	if (!err->count)
		aclf_err_set(err, ACLF_E_BUG, "driver '%s': %s failed without a reason", drv->name, op);
	return -1;
}

bool aclf_driver_can_apply(const struct aclf_driver *drv)
{
	return drv && drv->ops->fetch && drv->ops->load && drv->ops->confirm && drv->ops->rollback;
}

int aclf_driver_fetch(const struct aclf_driver *drv, struct aclf_ssh *ssh,
		      const struct aclf_device *dev, struct aclf_buf *running, struct aclf_err *err)
{
	size_t start = running->len;

	if (!drv || !drv->ops->fetch)
		return lacks(drv, "fetch a device's configuration", err);
	if (drv->ops->fetch(ssh, dev, running, err) < 0) {
		aclf_buf_truncate(running, start);
		return said_why(drv, "fetch", err);
	}
	return 0;
}

int aclf_driver_load(const struct aclf_driver *drv, struct aclf_ssh *ssh,
		     const struct aclf_device *dev, const struct aclf_buf *plan,
		     const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err)
{
	if (!aclf_driver_can_apply(drv))
		return lacks(drv, "apply", err);
	if (drv->ops->load(ssh, dev, plan, opts, txn, err) < 0)
		return said_why(drv, "load", err);
	return 0;
}

int aclf_driver_confirm(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			const struct aclf_device *dev, struct aclf_txn *txn, struct aclf_err *err)
{
	if (!aclf_driver_can_apply(drv))
		return lacks(drv, "apply", err);
	if (drv->ops->confirm(ssh, dev, txn, err) < 0)
		return said_why(drv, "confirm", err);
	return 0;
}

int aclf_driver_rollback(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			 const struct aclf_device *dev, struct aclf_txn *txn, struct aclf_err *err)
{
	if (!aclf_driver_can_apply(drv))
		return lacks(drv, "apply", err);
	if (drv->ops->rollback(ssh, dev, txn, err) < 0)
		return said_why(drv, "rollback", err);
	return 0;
}
