/* Live text into a one-device policy (include/aclforge/live.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/topology.h"

int aclf_live_read(const char *path, struct aclf_buf *b, struct aclf_err *err)
{
	aclf_buf_init(b, ACLF_LIVE_TEXT_CAP);
	if (!strcmp(path, "-")) {
		char tmp[8192];
		size_t n;
		errno = 0;
		while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
			if (aclf_buf_add(b, tmp, n) < 0)
				return aclf_err_set(err, ACLF_E_INPUT, "standard input is larger than %u MiB",
						    ACLF_LIVE_TEXT_CAP >> 20);
		if (ferror(stdin))
			return aclf_err_set(err, ACLF_E_INPUT, "cannot read standard input: %s",
					    strerror(errno ? errno : EIO));
		return 0;
	}
	if (aclf_buf_read_file(b, path) < 0) {
		int e = errno;
		aclf_buf_release(b);
		if (e == EISDIR)
			return aclf_err_set(err, ACLF_E_INPUT, "'%s' is a directory", path);
		if (e == EFBIG)
			return aclf_err_set(err, ACLF_E_INPUT, "'%s' is larger than %u MiB", path,
					    ACLF_LIVE_TEXT_CAP >> 20);
		return aclf_err_set(err, ACLF_E_INPUT, "cannot read '%s': %s", path, strerror(e));
	}
	return 0;
}

int aclf_live_is_json(const char *text, size_t len)
{
	size_t k = 0;

	while (k < len && (text[k] == ' ' || text[k] == '\n' || text[k] == '\t' || text[k] == '\r'))
		k++;
	return k < len && text[k] == '{' && memmem(text + k, len - k, "\"devices\"", 9) != NULL;
}

int aclf_live_load(const char *text, size_t len, const struct aclf_driver *drv,
		   const struct aclf_parse_opts *opts, struct aclf_policy **pol,
		   struct aclf_devpol **dp, struct aclf_err *err)
{
	const char *label = opts && opts->label ? opts->label : "<input>";

	*pol = NULL;
	*dp = NULL;
	if (aclf_live_is_json(text, len)) {
		*pol = aclf_policy_from_json(text, len, label, err);
		if (!*pol)
			return -1;
		if ((*pol)->ndevices != 1) {
			aclf_err_set(err, ACLF_E_INPUT, "%s: expected one device, found %zu", label,
				     (*pol)->ndevices);
			goto fail;
		}
		*dp = &(*pol)->devices[0];
		return 0;
	}
	if (!drv && !(drv = aclf_driver_detect(text, len))) {
		char names[256];
		return aclf_err_set(err, ACLF_E_INPUT, "%s: cannot tell which device wrote this text; "
				    "name its driver (%s)", label,
				    aclf_driver_names(names, sizeof(names), " or "));
	}
	if (!(*pol = aclf_policy_new()))
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
	if (aclf_driver_parse(drv, text, len, opts, *pol, dp, err) < 0)
		goto fail;
	return 0;
fail:
	aclf_policy_free(*pol);
	*pol = NULL;
	*dp = NULL;
	return -1;
}

/* name is device, or device followed by a domain ("core2.example.net") */
static bool names_device(const char *name, const char *device)
{
	size_t n = strlen(device);

	return strncasecmp(name, device, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

int aclf_live_check(const struct aclf_topology *topo, const char *device,
		    const struct aclf_devpol *intended, const struct aclf_devpol *live,
		    const char *label, struct aclf_err *err)
{
	const char *own = live->hostname ? live->hostname : live->name;

	if (!label)
		label = "<input>";
	if (strcmp(live->driver, intended->driver) != 0)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: this is a %s device's policy, device '%s' "
				    "is %s", label, live->driver, device, intended->driver);
	if (!own || names_device(own, device))
		return 0;
	for (size_t i = 0; i < topo->ndevices; i++) {
		const char *other = topo->devices[i].name;
		if (strcmp(other, device) != 0 && names_device(own, other))
			return aclf_err_set(err, ACLF_E_INPUT, "%s: this is device '%s' (%s '%s'), not "
					    "'%s'", label, other, live->hostname ? "hostname" : "name",
					    own, device);
	}
	return 0;
}
