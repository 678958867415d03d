/* The registry of test_driver_registry: the bundled drivers and, in one
 * line, the test-only driver "toy" (defined in test_driver_registry.c). */
#include <stddef.h>

#include "driver/registry.h"
#include "drivers.h"

extern const struct aclf_driver toy_driver;

const struct aclf_driver *const aclf_driver_registry[] = {
	&aclf_driver_ios,
	&aclf_driver_junos,
	&aclf_driver_bigip,
	&aclf_driver_nftables,
	&toy_driver,
	NULL,
};
