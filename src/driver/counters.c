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
	size_t nr = out->nrules, nl = out->nlb, ni = out->nifs, nn = out->notes.len;

	if (!aclf_driver_can_count(drv))
		return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' cannot read counters (not "
				    "implemented yet)", drv ? drv->name : "?");
	if (drv->ops->counters(vbs, dev, intended, out, err) < 0) {
		out->nrules = nr;
		out->nlb = nl;
		out->nifs = ni;
		aclf_buf_truncate(&out->notes, nn);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': counters failed without a reason",
				     drv->name);
		return -1;
	}
	return 0;
}

struct aclf_if_cnt *aclf_counters_add_if(struct aclf_counters *c, const char *name)
{
	struct aclf_if_cnt *ic;

	for (size_t k = 0; k < c->nifs; k++)
		if (!strcmp(c->ifs[k].name, name))
			return &c->ifs[k];
	if (aclf_arena_grow(&c->arena, (void **)&c->ifs, c->nifs, &c->ifs_cap, sizeof(*c->ifs)) < 0)
		return NULL;
	ic = &c->ifs[c->nifs];
	memset(ic, 0, sizeof(*ic));
	ic->source = ACLF_CNT_SNMP;
	if (!(ic->name = aclf_arena_strdup(&c->arena, name)))
		return NULL;
	c->nifs++;
	return ic;
}

void aclf_cli_capture_init(struct aclf_cli_capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	for (size_t k = 0; k < ACLF_CLI_CAPTURE_MAX; k++)
		aclf_buf_init(&cap->out[k], 0);
}

void aclf_cli_capture_release(struct aclf_cli_capture *cap)
{
	for (size_t k = 0; k < ACLF_CLI_CAPTURE_MAX; k++)
		aclf_buf_release(&cap->out[k]);
	memset(cap->cmd, 0, sizeof(cap->cmd));
	cap->n = 0;
}

int aclf_cli_capture_add(struct aclf_cli_capture *cap, const char *cmd, const char *text,
			 size_t len)
{
	if (cap->n >= ACLF_CLI_CAPTURE_MAX)
		return -1;
	aclf_buf_truncate(&cap->out[cap->n], 0);
	if (aclf_buf_add(&cap->out[cap->n], text, len) < 0)
		return -1;
	cap->cmd[cap->n++] = cmd;
	return 0;
}

const struct aclf_buf *aclf_cli_capture_get(const struct aclf_cli_capture *cap, const char *cmd)
{
	for (size_t k = 0; k < cap->n; k++)
		if (cap->cmd[k] && !strcmp(cap->cmd[k], cmd))
			return &cap->out[k];
	return NULL;
}

bool aclf_driver_can_count_cli(const struct aclf_driver *drv)
{
	return drv && drv->ops->counters_read && drv->ops->counters_cli;
}

int aclf_driver_counters_read(const struct aclf_driver *drv, struct aclf_ssh *ssh,
			      const struct aclf_device *dev, struct aclf_cli_capture *cap,
			      struct aclf_err *err)
{
	if (!aclf_driver_can_count_cli(drv))
		return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' reads no counters over the CLI",
				    drv ? drv->name : "?");
	if (drv->ops->counters_read(ssh, dev, cap, err) < 0) {
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': counters read failed without a "
				     "reason", drv->name);
		return -1;
	}
	return 0;
}

int aclf_driver_counters_cli(const struct aclf_driver *drv, const struct aclf_cli_capture *cap,
			     const struct aclf_device *dev, const struct aclf_devpol *intended,
			     struct aclf_counters *out, struct aclf_err *err)
{
	size_t nr = out->nrules, nn = out->notes.len;

	if (!aclf_driver_can_count_cli(drv))
		return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' reads no counters over the CLI",
				    drv ? drv->name : "?");
	if (drv->ops->counters_cli(cap, dev, intended, out, err) < 0) {
		out->nrules = nr;
		aclf_buf_truncate(&out->notes, nn);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': counters failed without a reason",
				     drv->name);
		return -1;
	}
	return 0;
}
