/* The driver tables, one per device kind (drivers/<kind>/<kind>.c). */
#ifndef ACLFORGE_DRIVERS_H
#define ACLFORGE_DRIVERS_H

#include "aclforge/driver.h"

extern const struct aclf_driver aclf_driver_ios;
extern const struct aclf_driver aclf_driver_junos;
extern const struct aclf_driver aclf_driver_bigip;
extern const struct aclf_driver aclf_driver_nftables;

#endif
