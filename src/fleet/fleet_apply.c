/* Apply on one device, the core's part of the transaction (driver.h):
 *
 *   read the device; already as intended by meaning: not touched
 *   refuse a policy that would lock the session out (unless --force)
 *   plan, load (the driver arms its safety net first)
 *   verify over a NEW session: fetch, parse, compare by meaning
 *   same: confirm on that session -> applied
 *   anything else -> settle: roll back on a session that still works (the
 *   first one, which the new policy may still let through as established,
 *   then a new one, retried until the safety net's window is over), read
 *   the device again and declare what it runs: rolled back (its old policy,
 *   by meaning), or unknown. Nothing is declared without reading it back. */
#include <stdio.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

/* How long after the safety net's window settle keeps trying to reach a
 * device, and how long it waits between tries. */
#define SETTLE_GRACE_MS 20000
#define SETTLE_RETRY_MS 2000

struct apply_ctx {
	const struct aclf_device *dev;
	const struct aclf_driver *drv;
	const struct aclf_devpol *intended;
	const struct aclf_devpol *old;
	const struct aclf_fleet_opts *o;
	struct aclf_fleet_dev *slot;
	struct aclf_txn txn;
	int64_t deadline; /* settle gives up after this (monotonic ms) */
};

static void note_err(struct aclf_buf *note, const char *what, const struct aclf_err *e)
{
	if (note->len)
		aclf_buf_puts(note, "; ");
	aclf_buf_printf(note, "%s: %s", what, aclf_err_text(e));
}

/* Read the device on ssh and say which policy it runs. */
static void declare(struct apply_ctx *c, struct aclf_ssh *ssh)
{
	struct aclf_policy *pol = NULL;
	struct aclf_devpol *live = NULL;
	struct aclf_err e;
	int is_old, is_new;

	aclf_err_init(&e);
	if (fleet_read(ssh, c->drv, c->dev, NULL, &pol, &live, &e) < 0 ||
	    (is_old = fleet_same(c->old, live, c->dev->name, false, NULL, &e)) < 0 ||
	    (is_new = fleet_same(c->intended, live, c->dev->name, false, NULL, &e)) < 0) {
		note_err(&c->slot->note, "reading it back", &e);
		c->slot->outcome = ACLF_OUT_UNKNOWN;
		c->slot->end = ACLF_END_UNKNOWN;
	} else if (is_old) {
		c->slot->outcome = ACLF_OUT_ROLLED_BACK;
		c->slot->end = ACLF_END_OLD;
	} else if (is_new && c->txn.over) {
		/* the confirm went through; only its answer was lost */
		c->slot->outcome = ACLF_OUT_APPLIED;
		c->slot->end = ACLF_END_NEW;
		aclf_buf_puts(&c->slot->note, c->slot->note.len ? "; " : "");
		aclf_buf_puts(&c->slot->note, "read back: it runs the new policy, confirmed");
	} else if (is_new) {
		/* the new policy stayed although it was not confirmed */
		c->slot->outcome = ACLF_OUT_UNKNOWN;
		c->slot->end = ACLF_END_NEW;
		aclf_buf_puts(&c->slot->note, c->slot->note.len ? "; " : "");
		aclf_buf_puts(&c->slot->note, "read back: it runs the new policy, unconfirmed");
	} else {
		c->slot->outcome = ACLF_OUT_UNKNOWN;
		c->slot->end = ACLF_END_UNKNOWN;
		aclf_buf_puts(&c->slot->note, c->slot->note.len ? "; " : "");
		aclf_buf_puts(&c->slot->note, "read back: neither the old nor the new policy");
	}
	aclf_policy_free(pol);
	aclf_err_release(&e);
}

/* What returned the device by itself (txn.fired): the driver's own name
 * for its safety net. */
static const char *net(const struct aclf_driver *drv)
{
	return drv->safety_net ? drv->safety_net : "the device's own safety net";
}

/* Roll back and read back, on s1 if it still works, else on new
 * sessions until the deadline. */
static void settle(struct apply_ctx *c, struct aclf_ssh *s1)
{
	struct aclf_ssh *s = NULL;
	struct aclf_err e;
	unsigned tries = 0;

	aclf_err_init(&e);
	for (;;) {
		struct aclf_ssh *use = s1 && aclf_ssh_usable(s1) ? s1 : NULL;

		if (!use) {
			aclf_ssh_close(s);
			s = NULL;
			aclf_err_release(&e);
			aclf_err_init(&e);
			if (fleet_open(c->dev, c->o, &s, &e) == 0)
				use = s;
		}
		tries++;
		if (use) {
			aclf_err_release(&e);
			aclf_err_init(&e);
			if (aclf_driver_rollback(c->drv, use, c->dev, &c->txn, &e) == 0 ||
			    e.kind != ACLF_E_TRANSPORT) {
				if (e.count)
					note_err(&c->slot->note, "rollback", &e);
				else if (c->txn.fired)
					aclf_buf_printf(&c->slot->note, "%s%s had put the old policy back",
							c->slot->note.len ? "; " : "", net(c->drv));
				if (aclf_ssh_usable(use)) {
					aclf_buf_puts(&c->slot->note, c->slot->note.len ? "; " : "");
					aclf_buf_puts(&c->slot->note,
						      c->txn.over ? "no transaction left to roll back, "
						      "read back over a new session"
						      : use == s1
						      ? "rolled back and read back over the session that loaded"
						      : "rolled back and read back over a new session");
					declare(c, use);
					goto out;
				}
			}
			if (use == s1)
				s1 = NULL; /* lost: go on with new sessions */
		}
		if (fleet_now_ms() >= c->deadline)
			break;
		usleep(SETTLE_RETRY_MS * 1000);
	}
	note_err(&c->slot->note, "cannot reach it to roll back or read it back", &e);
	if (c->drv->safety_net)
		aclf_buf_printf(&c->slot->note, " (%u tries); %s returns it to the old policy by "
				"itself once the window is over", tries, c->drv->safety_net);
	else
		aclf_buf_printf(&c->slot->note, " (%u tries); nothing on the device returns it to "
				"the old policy by itself: it stays so until apply runs again", tries);
	c->slot->outcome = ACLF_OUT_UNKNOWN;
	c->slot->end = ACLF_END_UNKNOWN;
out:
	aclf_ssh_close(s);
	aclf_err_release(&e);
}

void fleet_apply(const struct aclf_devpol *intended, const struct aclf_fleet_opts *o,
		 struct aclf_fleet_dev *slot)
{
	struct apply_ctx c = { .dev = slot->dev, .intended = intended, .o = o, .slot = slot };
	struct aclf_apply_opts ao = { .confirm_s = o->confirm_s,
				      .command_timeout_ms = o->command_timeout_ms,
				      .no_save = o->no_save, .lock_config = o->lock_config };
	struct aclf_policy *opol = NULL, *vpol = NULL;
	struct aclf_devpol *old = NULL, *ver = NULL;
	struct aclf_ssh *s1 = NULL, *s2 = NULL;
	int same;

	c.drv = aclf_driver_find(slot->dev->driver);
	aclf_txn_init(&c.txn);
	slot->outcome = ACLF_OUT_FAILED;
	if (!aclf_driver_can_apply(c.drv)) {
		aclf_err_set(&slot->err, ACLF_E_INPUT, "device '%s': driver '%s' cannot apply (not "
			     "implemented yet)", slot->dev->name, slot->dev->driver);
		goto out;
	}
	if (!intended) {
		aclf_err_set(&slot->err, ACLF_E_BUG, "device '%s': no intended policy", slot->dev->name);
		goto out;
	}
	/* nothing is sent before the device was read: a failure here leaves
	 * it as it was */
	if (fleet_open(slot->dev, o, &s1, &slot->err) < 0 ||
	    fleet_read(s1, c.drv, slot->dev, NULL, &opol, &old, &slot->err) < 0) {
		slot->end = ACLF_END_OLD;
		aclf_buf_puts(&slot->note, "nothing was sent");
		goto out;
	}
	c.old = old;
	same = fleet_same(intended, old, slot->dev->name, o->json, &slot->diff, &slot->err);
	if (same < 0)
		goto out;
	if (same) {
		slot->outcome = ACLF_OUT_UNCHANGED;
		goto out;
	}
	switch (fleet_lockout(s1, intended, &slot->note, &slot->err)) {
	case 0:
		break;
	case 1:
		if (o->force) {
			aclf_buf_puts(&slot->note, "; applied anyway (--force)");
			break;
		}
		aclf_err_set(&slot->err, ACLF_E_INPUT, "device '%s': refused: %s (--force applies it "
			     "anyway)", slot->dev->name, slot->note.buf);
		aclf_buf_reset(&slot->note);
		aclf_buf_puts(&slot->note, "nothing was sent");
		slot->outcome = ACLF_OUT_REFUSED;
		slot->end = ACLF_END_OLD;
		goto out;
	default:
		goto out;
	}
	if (aclf_driver_plan(c.drv, intended, old, slot->dev, &slot->plan, &slot->err) < 0) {
		slot->end = ACLF_END_OLD;
		goto out;
	}
	c.deadline = fleet_now_ms() + (int64_t)(o->confirm_s ? o->confirm_s : ACLF_APPLY_CONFIRM_S) *
		1000 + SETTLE_GRACE_MS;
	if (aclf_driver_load(c.drv, s1, slot->dev, &slot->plan, &ao, &c.txn, &slot->err) < 0) {
		if (!c.txn.armed && !c.txn.loaded && slot->err.kind != ACLF_E_TRANSPORT) {
			/* refused before anything changed (the driver checked the text
			 * first): still read it back */
			aclf_buf_puts(&slot->note, "refused before any change");
			declare(&c, s1);
			if (slot->outcome == ACLF_OUT_ROLLED_BACK)
				slot->outcome = ACLF_OUT_FAILED; /* nothing to roll back */
			goto out;
		}
		settle(&c, s1);
		goto out;
	}
	/* verify over a new session: the policy must let a new session in,
	 * and what the device runs must mean what was intended */
	if (fleet_open(slot->dev, o, &s2, &slot->err) < 0 ||
	    fleet_read(s2, c.drv, slot->dev, NULL, &vpol, &ver, &slot->err) < 0) {
		aclf_buf_puts(&slot->note, "verify failed");
		settle(&c, s1);
		goto out;
	}
	same = fleet_same(intended, ver, slot->dev->name, false, NULL, &slot->err);
	if (same != 1) {
		if (same == 0)
			aclf_err_remote(&slot->err, ACLF_E_DEVICE, slot->dev->name, NULL,
					"read back over a new session, the loaded policy does not "
					"mean what was intended");
		settle(&c, s2);
		goto out;
	}
	if (aclf_driver_confirm(c.drv, s2, slot->dev, &c.txn, &slot->err) < 0) {
		settle(&c, s2);
		goto out;
	}
	slot->outcome = ACLF_OUT_APPLIED;
	slot->end = ACLF_END_NEW;
	if (c.txn.unsaved) {
		slot->unsaved = true;
		aclf_buf_puts(&slot->note, slot->note.len ? "; " : "");
		aclf_buf_puts(&slot->note, "not saved (--no-save): the device boots with its "
			      "startup configuration as it was");
	}
out:
	aclf_ssh_close(s2);
	aclf_ssh_close(s1);
	aclf_policy_free(vpol);
	aclf_policy_free(opol);
	aclf_txn_release(&c.txn);
}
