/* Placeholder driver table until render/parse land. */
#include "aclforge/driver.h"

static const struct aclf_driver_ops ops = { 0 };

const struct aclf_driver aclf_driver_ios = {
	.name = "ios",
	.summary = "ios",
	.stateful = false,
	.filters = true,
	.balances = false,
	.ops = &ops,
};
