/* The driver registry: one line per device kind. Adding a driver is one
 * folder under drivers/ exporting a `const struct aclf_driver`, and one line
 * here; no file of src/ names a driver. */
#include <stddef.h>

#include "driver/registry.h"
#include "drivers.h"

const struct aclf_driver *const aclf_driver_registry[] = {
	&aclf_driver_ios,
	&aclf_driver_junos,
	&aclf_driver_bigip,
	&aclf_driver_nftables,
	NULL,
};
