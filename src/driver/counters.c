/* Per-rule counters (include/aclforge/counters.h): the builders drivers
 * fill them with, and the counters op through the core. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"

const char *aclf_cnt_source_name(enum aclf_cnt_source s)
{
	switch (s) {
	case ACLF_CNT_SNMP:
		return "snmp";
	case ACLF_CNT_CLI:
		return "cli";
	}
	return "?";
}

void aclf_counters_init(struct aclf_counters *c)
{
	memset(c, 0, sizeof(*c));
	aclf_arena_init(&c->arena);
	aclf_buf_init(&c->notes, 0);
}

void aclf_counters_release(struct aclf_counters *c)
{
	aclf_arena_release(&c->arena);
	aclf_buf_release(&c->notes);
	memset(c, 0, sizeof(*c));
}

struct aclf_rule_cnt *aclf_counters_add_rule(struct aclf_counters *c, const char *filter,
					     const struct aclf_rule *r)
{
	struct aclf_rule_cnt *rc;

	if (aclf_arena_grow(&c->arena, (void **)&c->rules, c->nrules, &c->rules_cap,
			    sizeof(*c->rules)) < 0)
		return NULL;
	rc = &c->rules[c->nrules];
	rc->filter = aclf_arena_strdup(&c->arena, filter ? filter : "");
	rc->rule = aclf_arena_strdup(&c->arena, r->id ? r->id : "");
	rc->r = r;
	rc->source = ACLF_CNT_SNMP;
	if (!rc->filter || !rc->rule)
		return NULL;
	c->nrules++;
	return rc;
}

int aclf_rule_cnt_add(struct aclf_counters *c, struct aclf_rule_cnt *rc, const char *instance,
		      const char *counter, uint64_t packets, uint64_t bytes, bool has_bytes)
{
	struct aclf_cnt_inst *in;

	if (aclf_arena_grow(&c->arena, (void **)&rc->inst, rc->ninst, &rc->inst_cap,
			    sizeof(*rc->inst)) < 0)
		return -1;
	in = &rc->inst[rc->ninst];
	if (!(in->name = aclf_arena_strdup(&c->arena, instance)) ||
	    !(in->counter = aclf_arena_strdup(&c->arena, counter)))
		return -1;
	in->packets = packets;
	in->bytes = bytes;
	in->has_bytes = has_bytes;
	rc->has_bytes = rc->ninst ? rc->has_bytes && has_bytes : has_bytes;
	rc->ninst++;
	rc->found = true;
	rc->packets += packets;
	rc->bytes += bytes;
	return 0;
}

struct aclf_lb_cnt *aclf_counters_add_lb(struct aclf_counters *c, const struct aclf_lb_service *s)
{
	struct aclf_lb_cnt *lc;

	if (aclf_arena_grow(&c->arena, (void **)&c->lb, c->nlb, &c->lb_cap, sizeof(*c->lb)) < 0)
		return NULL;
	lc = &c->lb[c->nlb];
	lc->s = s;
	if (!(lc->name = aclf_arena_strdup(&c->arena, s->name ? s->name : "")))
		return NULL;
	if (s->nmembers &&
	    !(lc->members = aclf_arena_alloc(&c->arena, s->nmembers * sizeof(*lc->members))))
		return NULL;
	for (size_t i = 0; i < s->nmembers; i++) {
		char a[64];

		aclf_prefix_format_addr(&s->members[i].address, a, sizeof(a));
		if (!(lc->members[i].address = aclf_arena_strdup(&c->arena, a)))
			return NULL;
		lc->members[i].port = s->members[i].port;
	}
	lc->nmembers = s->nmembers;
	c->nlb++;
	return lc;
}

int aclf_counters_note(struct aclf_counters *c, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aclf_buf_vprintf(&c->notes, fmt, ap);
	va_end(ap);
	return r < 0 || aclf_buf_add(&c->notes, "\n", 1) < 0 ? -1 : 0;
}

bool aclf_driver_can_count(const struct aclf_driver *drv)
{
	return drv && drv->ops->counters && drv->counter_walks && drv->counter_walks[0];
}

int aclf_driver_counters(const struct aclf_driver *drv, const struct aclf_snmp_vbs *vbs,
			 const struct aclf_device *dev, const struct aclf_devpol *intended,
			 struct aclf_counters *out, struct aclf_err *err)
{
	size_t nr = out->nrules, nl = out->nlb, nn = out->notes.len;

	if (!aclf_driver_can_count(drv))
		return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' cannot read counters (not "
				    "implemented yet)", drv ? drv->name : "?");
	if (drv->ops->counters(vbs, dev, intended, out, err) < 0) {
		out->nrules = nr;
		out->nlb = nl;
		aclf_buf_truncate(&out->notes, nn);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': counters failed without a reason",
				     drv->name);
		return -1;
	}
	return 0;
}
