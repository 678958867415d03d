/* libFuzzer target for the IOS CLI counters (drivers/ios/ios_cnt.c): what
 * `show running-config`, `show access-lists` and `show object-group`
 * printed, mapped to a fixed intended policy. Input: the three texts
 * separated by NUL bytes (missing ones empty). Checks: 0 or -1 with err
 * set; on failure the counters stay as they were (no rule); on success one
 * entry per intended rule, each counted one's packets the sum of its
 * instances, never bytes, always source cli. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the intended policy: parsed once from configuration text, ids given */
static const char intended_text[] =
	"object-group network FE\n"
	" host 198.18.1.11\n"
	" host 198.18.1.12\n"
	"object-group service SVC\n"
	" tcp eq 5061\n"
	" tcp range 8057 8058\n"
	"ip access-list extended F\n"
	" permit object-group SVC 198.18.20.0 0.0.0.255 object-group FE\n"
	" permit udp 198.18.20.0 0.0.0.255 object-group FE range 49152 65535\n"
	" permit tcp object-group FE eq 5061 198.18.20.0 0.0.0.255 established\n"
	" permit icmp any any echo\n"
	" deny ip any any\n"
	"ipv6 access-list F-V6\n"
	" permit tcp 2001:db8:20::/48 host 2001:db8:1::11 eq 5061\n"
	" deny ipv6 any any\n"
	"interface Vlan2\n"
	" ip access-group F out\n"
	" ipv6 traffic-filter F-V6 out\n";

static struct aclf_policy *pol;
static struct aclf_devpol *dp;

static void init(void)
{
	static const char *const ids[] = { "r0001", "r0002", "r0003", "r0004", "r0005", "r0006",
					   "r0007", "r0008" };
	struct aclf_err err;
	size_t n = 0;

	aclf_err_init(&err);
	pol = aclf_policy_new();
	if (!pol || aclf_driver_parse(aclf_driver_find("ios"), intended_text, strlen(intended_text),
				      &(struct aclf_parse_opts){ .name = "sw1" }, pol, &dp, &err) < 0)
		abort();
	for (size_t k = 0; k < dp->nfilters; k++)
		for (size_t r = 0; r < dp->filters[k].nrules; r++)
			dp->filters[k].rules[r].id = n < 8 ? ids[n++] : "rX";
	aclf_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[] = { "show running-config", "show access-lists",
					    "show object-group" };
	struct aclf_device dev = { .name = "sw1", .driver = "ios" };
	struct aclf_cli_capture cap;
	struct aclf_counters c;
	struct aclf_err err;
	const uint8_t *p = data, *end = data + size;
	size_t want = 0;

	if (!pol)
		init();
	aclf_cli_capture_init(&cap);
	for (size_t k = 0; k < 3; k++) {
		const uint8_t *nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		size_t n = p < end ? (nul ? (size_t)(nul - p) : (size_t)(end - p)) : 0;

		if (aclf_cli_capture_add(&cap, cmds[k], (const char *)p, n) < 0)
			abort();
		p = nul ? nul + 1 : end;
	}
	aclf_counters_init(&c);
	aclf_err_init(&err);
	for (size_t k = 0; k < dp->nfilters; k++)
		want += dp->filters[k].nrules;
	if (aclf_driver_counters_cli(aclf_driver_find("ios"), &cap, &dev, dp, &c, &err) < 0) {
		if (!err.count || c.nrules)
			abort();
	} else {
		if (err.count || c.nrules != want)
			abort();
		for (size_t k = 0; k < c.nrules; k++) {
			const struct aclf_rule_cnt *rc = &c.rules[k];
			uint64_t sum = 0;

			if (rc->source != ACLF_CNT_CLI || rc->has_bytes || rc->found != (rc->ninst > 0))
				abort();
			for (size_t i = 0; i < rc->ninst; i++)
				sum += rc->inst[i].packets;
			if (sum != rc->packets)
				abort();
		}
	}
	aclf_counters_release(&c);
	aclf_err_release(&err);
	aclf_cli_capture_release(&cap);
	return 0;
}
