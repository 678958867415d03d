/* The Linux nftables driver: one table, inet aclforge, per host.
 * Render: nftd_render.c; plan: nftables_plan.c; parse (`nft -j list
 * ruleset`, jansson): nftd_parse.c and nftd_expr.c, positions for messages
 * nftd_pos.c; names: nftd_names.c; fetch and apply over SSH: nftd_push.c.
 * Decisions: README.md here. */
#include <string.h>

#include "aclforge/driver.h"
#include "nftables/nftd.h"
#include "nftables/nftd_text.h"

static int render_op(const struct aclf_devpol *dp, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	/* nft -f text for table inet aclforge; 0 or -1 with err set */
	return nftd_render(dp, out, err);
}

static int plan_op(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		   const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	(void)dev;
	/* the render text: one nft -f replaces the whole table */
	return nftd_plan(intended, live, out, err);
}

static int parse_op(const char *text, size_t len, const struct aclf_parse_opts *o,
		    struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	/* nft -j list ruleset JSON, or the text form */
	return nftd_parse(text, len, o, pol, out, err);
}

/* Filters hook into the input or forward chain of the host. */
static const char *check_name(enum aclf_name_kind kind, const char *s)
{
	if (kind == ACLF_NAME_CHAIN && strcmp(s, "input") != 0 && strcmp(s, "forward") != 0)
		return "input or forward";
	return NULL;
}

static int sniff(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
		i++;
	if (i < len && text[i] == '{' && memmem(text + i, len - i, "\"nftables\"", 10))
		return 95;
	return nftd_text_looks(text, len) ? 90 : 0;
}

static const struct aclf_driver_ops nftd_ops = {
	.render = render_op,
	.parse = parse_op,
	.plan = plan_op,
	.fetch = nftd_fetch,
	.load = nftd_load,
	.confirm = nftd_confirm,
	.rollback = nftd_rollback,
	.counters = nftd_counters_op,
};

const struct aclf_driver aclf_driver_nftables = {
	.name = "nftables",
	.summary = "Linux nftables host firewall (table inet aclforge, nft -f / nft -j)",
	.file_ext = "nft",
	.reads = "nft -j list ruleset, nft list ruleset or a rendered .nft file",
	.binding = ACLF_DRV_BIND_CHAIN,
	.stateful = true,
	.filters = true,
	.balances = false,
	.check_name = check_name,
	.sniff = sniff,
	.counter_walks = nftd_counter_walks,
	.safety_net = "the timed restore",
	.ops = &nftd_ops,
};
