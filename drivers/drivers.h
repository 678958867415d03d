/* The driver descriptors, one per device kind (drivers/<kind>/<kind>.c),
 * for the registry (drivers/registry.c) and for tests of one driver. */
#ifndef ACLFORGE_DRIVERS_H
#define ACLFORGE_DRIVERS_H

#include "aclforge/driver.h"

extern const struct aclf_driver aclf_driver_ios;
extern const struct aclf_driver aclf_driver_junos;
extern const struct aclf_driver aclf_driver_bigip;
extern const struct aclf_driver aclf_driver_nftables;

#endif
