#include <stddef.h>
#include <string.h>

#include "aclforge/driver.h"
#include "drivers.h"

static const struct aclf_driver *const all_drivers[] = {
	&aclf_driver_ios,
	&aclf_driver_junos,
	&aclf_driver_bigip,
	&aclf_driver_nftables,
	NULL,
};

const struct aclf_driver *const *aclf_drivers(void)
{
	return all_drivers;
}

const struct aclf_driver *aclf_driver_find(const char *name)
{
	for (size_t i = 0; all_drivers[i]; i++)
		if (strcmp(all_drivers[i]->name, name) == 0)
			return all_drivers[i];
	return NULL;
}
