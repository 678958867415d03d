/* Inside src/fleet/: one file per job. */
#ifndef ACLFORGE_FLEET_INT_H
#define ACLFORGE_FLEET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "aclforge/fleet.h"

struct aclf_ssh;
struct aclf_devpol;
struct aclf_driver;

/* fleet_conn.c: a session to dev as its topology entry says (password
 * resolved from its reference, scrubbed from the transcript), with the
 * run's host key policy, timeouts and transcript. */
int fleet_open(const struct aclf_device *dev, const struct aclf_fleet_opts *o,
	       struct aclf_ssh **out, struct aclf_err *err);

/* fleet_read.c: what the device runs, as text (text may be NULL) and as a
 * new policy (*pol, owned by the caller, holding *live). */
int fleet_read(struct aclf_ssh *ssh, const struct aclf_driver *drv, const struct aclf_device *dev,
	       struct aclf_buf *text, struct aclf_policy **pol, struct aclf_devpol **live,
	       struct aclf_err *err);
/* fleet_saved.c: what the device ran as saved in dir (audit --live-dir):
 * dir/<name>.<driver extension> (its path in path), as a new policy like
 * fleet_read; an unreadable file is ACLF_E_INPUT naming it, text the
 * driver cannot read fails as parse says (path:LINE:COL). */
int fleet_read_saved(const char *dir, const struct aclf_driver *drv, const struct aclf_device *dev,
		     struct aclf_buf *path, struct aclf_policy **pol, struct aclf_devpol **live,
		     struct aclf_err *err);
/* Compare by meaning: 1 same, 0 different, -1 with err set. With report,
 * the diff report (text, or JSON with json) is appended to it. */
int fleet_same(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       const char *device, bool json, struct aclf_buf *report, struct aclf_err *err);
/* The same, the report also appended to json_report as JSON. */
int fleet_same_both(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		    const char *device, bool json, struct aclf_buf *report,
		    struct aclf_buf *json_report, struct aclf_err *err);
/* The same for a diff already made: 1 same, 0 different; its report
 * (text, or JSON with json) appended to report, and as JSON to json_report
 * (may be NULL); -1 (err set) out of memory. */
struct aclf_diff;
int fleet_diff_report(const struct aclf_diff *d, const char *device, bool json,
		      struct aclf_buf *report, struct aclf_buf *json_report, struct aclf_err *err);

/* fleet_lockout.c: 0 when the intended policy lets the session's own
 * source address in to the device's address and SSH port as the connected
 * socket shows them; 1 when it would not (why in note); -1 with err set. */
int fleet_lockout(struct aclf_ssh *ssh, const struct aclf_devpol *intended, struct aclf_buf *note,
		  struct aclf_err *err);

/* fleet_device.c and fleet_apply.c: one device, its slot filled. */
void fleet_device(const struct aclf_policy *pol, const struct aclf_fleet_opts *o,
		  struct aclf_fleet_dev *slot);
void fleet_apply(const struct aclf_devpol *intended, const struct aclf_fleet_opts *o,
		 struct aclf_fleet_dev *slot);

int64_t fleet_now_ms(void);

/* fleet_audit_report.c: an audited device's verdicts, counters and
 * deltas in the report: text lines (indented), or the fields of the
 * device's JSON object (j, a json_t *). 0, or -1 (out of memory). */
int fleet_audit_text(const struct aclf_fleet *fl, const struct aclf_fleet_dev *d,
		     struct aclf_buf *out);
int fleet_audit_json(const struct aclf_fleet_dev *d, void *j);
/* now as UTC RFC 3339 into out ("" on failure) */
void fleet_utc_now(char *out, size_t size);

/* fleet_run.c: is dev one of the devices o selects (only, shard)? */
bool fleet_selected(const struct aclf_device *dev, const struct aclf_fleet_opts *o);

#endif
