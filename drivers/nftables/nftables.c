/* The Linux nftables driver: one table, inet aclforge, per host.
 * Render: nftd_render.c; parse (`nft -j list ruleset`, jansson): nftd_parse.c
 * and nftd_expr.c; names: nftd_names.c. Decisions: README.md here. */
#include "aclforge/driver.h"
#include "nftables/nftd.h"

static const struct aclf_driver_ops nftd_ops = {
	/* nft -f text for table inet aclforge; 0 or -1 with err set */
	.render = nftd_render,
	/* nft -j list ruleset JSON; 0 with *out added, or -1 and nothing added */
	.parse = nftd_parse,
};

const struct aclf_driver aclf_driver_nftables = {
	.name = "nftables",
	.summary = "Linux nftables host firewall (table inet aclforge, nft -f / nft -j)",
	.stateful = true,
	.filters = true,
	.balances = false,
	.ops = &nftd_ops,
};
