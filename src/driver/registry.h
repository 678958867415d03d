/* The driver registry, defined in drivers/registry.c (or, for a test that
 * adds a driver of its own, in the test's copy of that one file). */
#ifndef ACLFORGE_REGISTRY_H
#define ACLFORGE_REGISTRY_H

#include "aclforge/driver.h"

/* NULL-terminated, in the order help and messages list the drivers. */
extern const struct aclf_driver *const aclf_driver_registry[];

#endif
