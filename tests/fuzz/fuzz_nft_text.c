/* libFuzzer target for the nftables driver's text form (`nft list
 * ruleset`, `nft -a list ruleset`, the file render writes): inputs that
 * would read as JSON (a first '[' or '{') get a table line in front, so
 * every run reaches the lexer, the table walker and the rule translator.
 * A rejected input leaves the policy without a device and says why at
 * FUZZ:LINE:COL or as a whole-input message; an accepted one holds only
 * well-formed neutral rules (opaque ones carry their reason and text), and
 * rendering it again either works or fails with a reason, never with
 * partial output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "drivers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pset(const struct aclf_prefix_set *s)
{
	if (s->n == 0)
		abort();
	for (size_t i = 0; i < s->n; i++) {
		if ((s->v[i].family != 4 && s->v[i].family != 6) ||
		    s->v[i].len > (s->v[i].family == 4 ? 32 : 128))
			abort();
		if (i && aclf_prefix_cmp(&s->v[i - 1], &s->v[i]) >= 0)
			abort();
	}
}

static void check_ports(const struct aclf_port_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].lo > s->v[i].hi || (i && s->v[i].lo <= s->v[i - 1].hi))
			abort();
}

static void check_filter(const struct aclf_filter *f)
{
	if (!f->name || !f->binding.name || strlen(f->name) == 0)
		abort();
	if (f->binding.kind == ACLF_BIND_INTERFACE && f->binding.direction == ACLF_DIR_NONE)
		abort();
	for (size_t i = 0; i < f->nrules; i++) {
		const struct aclf_rule *r = &f->rules[i];
		check_pset(&r->src);
		check_pset(&r->dst);
		check_ports(&r->src_ports);
		check_ports(&r->dst_ports);
		if (!r->id || !r->device_name || r->protocol < 0 || r->protocol > 255)
			abort();
		if (r->opaque && (!r->raw || !*r->opaque))
			abort();
		if (r->established && r->protocol != ACLF_PROTO_TCP)
			abort();
		if ((r->src_ports.n || r->dst_ports.n) && r->protocol != ACLF_PROTO_TCP &&
		    r->protocol != ACLF_PROTO_UDP)
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->rules[j].id, r->id))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct aclf_buf in, out;

	if (!p)
		return 0;
	aclf_err_init(&err);
	aclf_buf_init(&in, 0);
	aclf_buf_init(&out, 0);
	if (size && (data[0] == '[' || data[0] == '{'))
		aclf_buf_add(&in, "table inet aclforge\n", 20);
	aclf_buf_add(&in, (const char *)data, size);
	if (aclf_driver_parse(&aclf_driver_nftables, in.buf, in.len,
			      &(struct aclf_parse_opts){ .name = "fuzz", .label = "FUZZ" }, p, &dp,
			      &err) < 0) {
		if (p->ndevices || dp || err.count == 0 || aclf_err_text(&err)[0] == '\0')
			abort();
	} else {
		if (!dp || p->ndevices != 1 || err.count)
			abort();
		for (size_t i = 0; i < dp->nfilters; i++)
			check_filter(&dp->filters[i]);
		if (aclf_driver_render(&aclf_driver_nftables, dp, NULL, &out, &err) < 0) {
			if (out.len || err.count == 0)
				abort();
		} else if (!strstr(out.buf, "\ntable inet aclforge {\n")) {
			abort();
		}
	}
	aclf_buf_release(&in);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(p);
	return 0;
}
