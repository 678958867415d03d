/* F5 BIG-IP LTM driver: what the apply step and tests need beyond the
 * driver table (aclf_driver_bigip in drivers.h).
 *
 * Render writes tmsh `create` commands, one per line, meant to run inside
 * one `create cli transaction` ... `submit cli transaction`; it writes no
 * transaction lines and no `save sys config` (apply adds them). Every object
 * it creates is named "aclf_..." so aclforge only ever touches its own.
 *
 * Parse reads `tmsh list ltm ...` output (with or without all-properties,
 * one-line or not), bigip.conf / merge files, and render's own output. Ports
 * may be numbers or the service names tmsh prints when `cli global-settings
 * service` is `name` (the default); both forms are accepted, and a name not
 * in the table is an error naming the line (switch the session to numbers
 * with `modify cli global-settings service number` before listing). */
#ifndef ACLFORGE_BIGIP_H
#define ACLFORGE_BIGIP_H

#include <stdbool.h>
#include <stddef.h>

struct aclf_buf;
struct aclf_err;
struct aclf_policy;
struct aclf_devpol;

struct bigip_parse_opts {
	/* false (the driver table's parse): a virtual whose pool, monitor,
	 * persistence profile or tcp profile is not in the text becomes a
	 * service without that part and a provenance note
	 * {"note", "pool '/Common/x' not in the text: no members"}.
	 * true: the same is an error naming the line of the reference. */
	bool strict;
};

/* Parse with options; otherwise as the driver's parse op (name: the device
 * name to record; label: the input in messages). */
int bigip_parse_ex(const char *text, size_t len, const char *name, const char *label,
		   const struct bigip_parse_opts *opts, struct aclf_policy *pol,
		   struct aclf_devpol **out, struct aclf_err *err);

/* The driver's render op: tmsh create commands for dp's lb services. */
int bigip_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err);

/* tmsh `delete` commands for aclforge-owned objects ("aclf_" names) that the
 * live policy (parsed from the device) uses but rendering `intended` would
 * not create, in dependency order: virtuals, pools, nodes, monitors,
 * persistence and tcp/udp profiles. Live objects are found through the
 * {"device", "ltm <type> /Folder/name"} provenance that parse records for
 * every object a service uses. When all_owned is true every aclforge-owned
 * live object is deleted, also those render would create again (a
 * replace-all inside one transaction). Appends nothing when there is
 * nothing to delete. Returns 0, or -1 with err set. */
int bigip_render_delete(const struct aclf_devpol *intended, const struct aclf_devpol *live,
			bool all_owned, struct aclf_buf *out, struct aclf_err *err);

/* The driver's plan op (bigip_plan.c): one transaction body, `delete`
 * lines for every aclforge-owned object the live services use (all_owned
 * above), then render's `create` lines. Refuses (err naming the device) when
 * a live owned object is used by a virtual that is not aclforge's. live NULL:
 * the render text. Returns 0, or -1 with err set. */
int bigip_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       struct aclf_buf *out, struct aclf_err *err);

/* Fetch and safe apply over SSH exec (bigip_push.c; README.md, "Apply"). */
struct aclf_ssh;
struct aclf_device;
struct aclf_apply_opts;
struct aclf_txn;
int bigip_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
		struct aclf_err *err);
int bigip_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	       const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
int bigip_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err);
int bigip_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		   struct aclf_err *err);

#endif
