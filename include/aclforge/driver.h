/* Drivers: one const table of function pointers per device kind, registered
 * in one array in src/driver/driver.c. A NULL op means "not supported". */
#ifndef ACLFORGE_DRIVER_H
#define ACLFORGE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

struct aclf_buf;
struct aclf_err;
struct aclf_policy;
struct aclf_devpol;

struct aclf_driver_ops {
	/* Render the device's whole policy as configuration text, appended to
	 * out. Deterministic: the same policy gives byte-identical text.
	 * Returns 0, or -1 with err set (e.g. a rule the device cannot express). */
	int (*render)(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err);
	/* Parse device text (configuration or show output) into a new device
	 * policy added to pol (which owns all memory). Rules keep device order,
	 * device_name and hits where the text has them. Malformed or truncated
	 * text fails with err naming the line it stopped at; nothing partial is
	 * returned. Returns 0 or -1. */
	int (*parse)(const char *text, size_t len, const char *name, struct aclf_policy *pol,
		     struct aclf_devpol **out, struct aclf_err *err);
};

struct aclf_driver {
	const char *name;      /* "ios", "junos", "bigip", "nftables" */
	const char *summary;   /* one line for --help */
	bool stateful;         /* tracks return traffic itself (no return-path rules) */
	bool filters;          /* carries filters */
	bool balances;         /* carries lb services */
	const struct aclf_driver_ops *ops;
};

const struct aclf_driver *aclf_driver_find(const char *name);
/* NULL-terminated array of all drivers. */
const struct aclf_driver *const *aclf_drivers(void);

#endif
