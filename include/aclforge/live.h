/* Live policy: what a device carries, read from text — a saved
 * configuration or show output (read by the device's driver, named or
 * detected), or the neutral policy JSON that `compile` and `parse` write. */
#ifndef ACLFORGE_LIVE_H
#define ACLFORGE_LIVE_H

#include <stddef.h>

struct aclf_buf;
struct aclf_err;
struct aclf_driver;
struct aclf_parse_opts;
struct aclf_policy;
struct aclf_devpol;
struct aclf_topology;

/* Device text is capped: a runaway device or file never eats the memory. */
#define ACLF_LIVE_TEXT_CAP (256u * 1024u * 1024u)

/* Read a whole file ('-' = standard input) into b, initialised with the
 * cap above. Returns 0, or -1 with err set (kind ACLF_E_INPUT). */
int aclf_live_read(const char *path, struct aclf_buf *b, struct aclf_err *err);

/* Does text hold the neutral policy JSON (an object with "devices")? */
int aclf_live_is_json(const char *text, size_t len);

/* Text into a new policy (*pol, owned by the caller) holding exactly one
 * device (*dp). JSON must hold one device. Device text is read by drv, or,
 * when drv is NULL, by the driver that recognises it (error when none
 * does). opts->label names the input in messages, for JSON as for device
 * text (opts may be NULL: "<input>"). On failure returns -1 with err set,
 * *pol and *dp NULL. */
int aclf_live_load(const char *text, size_t len, const struct aclf_driver *drv,
		   const struct aclf_parse_opts *opts, struct aclf_policy **pol,
		   struct aclf_devpol **dp, struct aclf_err *err);

/* Is live (read from label) the text of device `device` of topo, whose
 * intended policy is intended? Refused (-1, err ACLF_E_INPUT) when another
 * driver wrote it, or when the name it gives itself (the text's hostname,
 * else a JSON device's name) is another device of topo, by name or by
 * its first label ("core2" and "core2.example.net" are device core2). A
 * name no device of topo has is accepted: inventories may name devices
 * otherwise. 0 when it fits. */
int aclf_live_check(const struct aclf_topology *topo, const char *device,
		    const struct aclf_devpol *intended, const struct aclf_devpol *live,
		    const char *label, struct aclf_err *err);

#endif
