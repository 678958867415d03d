/* The fleet report: one block per device, for people (text) or pipelines
 * (JSON, jansson). Text quotes device words escaped (aclf_buf_*_escaped). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/fleet.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

const char *aclf_outcome_name(enum aclf_outcome o)
{
	switch (o) {
	case ACLF_OUT_NOT_ATTEMPTED: return "not attempted";
	case ACLF_OUT_FETCHED: return "fetched";
	case ACLF_OUT_UNCHANGED: return "unchanged";
	case ACLF_OUT_CHANGES: return "changes";
	case ACLF_OUT_APPLIED: return "applied";
	case ACLF_OUT_ROLLED_BACK: return "rolled back";
	case ACLF_OUT_FAILED: return "failed";
	case ACLF_OUT_REFUSED: return "refused";
	case ACLF_OUT_UNKNOWN: return "unknown";
	}
	return "?";
}

const char *aclf_end_state_name(enum aclf_end_state e)
{
	switch (e) {
	case ACLF_END_NONE: return "";
	case ACLF_END_OLD: return "old policy";
	case ACLF_END_NEW: return "new policy";
	case ACLF_END_UNKNOWN: return "unknown";
	}
	return "?";
}

static const char *verb_name(enum aclf_fleet_verb v)
{
	switch (v) {
	case ACLF_FLEET_FETCH: return "fetch";
	case ACLF_FLEET_PLAN: return "plan";
	case ACLF_FLEET_AUDIT: return "audit";
	case ACLF_FLEET_APPLY: return "apply";
	}
	return "?";
}

/* Word a plan and an audit use for "not as intended". */
static const char *outcome_word(const struct aclf_fleet *fl, enum aclf_outcome o)
{
	if (o == ACLF_OUT_CHANGES && fl->verb == ACLF_FLEET_AUDIT)
		return "drift";
	if (o == ACLF_OUT_UNCHANGED && fl->verb == ACLF_FLEET_AUDIT)
		return "no drift";
	return aclf_outcome_name(o);
}

/* Each line of b after pre, escaped but for tabs (the plan's own
 * indentation stays as the device gets it). */
static int indent(struct aclf_buf *out, const struct aclf_buf *b, const char *pre)
{
	size_t i = 0;

	while (i < b->len) {
		const char *nl = memchr(b->buf + i, '\n', b->len - i);
		size_t end = nl ? (size_t)(nl - b->buf) : b->len;

		if (aclf_buf_puts(out, pre) < 0)
			return -1;
		while (i < end) {
			const char *tab = memchr(b->buf + i, '\t', end - i);
			size_t seg = tab ? (size_t)(tab - b->buf) : end;

			if (aclf_buf_add_escaped(out, b->buf + i, seg - i, false) < 0 ||
			    (tab && aclf_buf_putc(out, '\t') < 0))
				return -1;
			i = tab ? seg + 1 : end;
		}
		if (aclf_buf_putc(out, '\n') < 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

int aclf_fleet_print_text(const struct aclf_fleet *fl, struct aclf_buf *out)
{
	size_t count[ACLF_OUT_UNKNOWN + 1] = { 0 };
	bool first = true;
	int rc = 0;

	for (size_t i = 0; i < fl->n; i++) {
		const struct aclf_fleet_dev *d = &fl->devs[i];

		count[d->outcome]++;
		if (fl->verb == ACLF_FLEET_FETCH && d->outcome == ACLF_OUT_FETCHED) {
			/* the text as the parser reads it, verbatim */
			rc |= aclf_buf_add(out, d->live.buf, d->live.len);
			continue;
		}
		rc |= aclf_buf_printf_escaped(out, "%s: %s", d->dev->name, outcome_word(fl, d->outcome));
		if (d->canary)
			rc |= aclf_buf_puts(out, " (canary)");
		if (d->end != ACLF_END_NONE && d->outcome != ACLF_OUT_APPLIED)
			rc |= aclf_buf_printf(out, ", ends on: %s", aclf_end_state_name(d->end));
		if (d->unsaved)
			rc |= aclf_buf_puts(out, ", not saved");
		if (d->outcome != ACLF_OUT_NOT_ATTEMPTED && fl->verb == ACLF_FLEET_APPLY)
			rc |= aclf_buf_printf(out, " (%u.%03u s)", d->ms / 1000, d->ms % 1000);
		rc |= aclf_buf_putc(out, '\n');
		if (d->err.count)
			rc |= aclf_buf_printf_escaped(out, "  error: %s\n", aclf_err_text(&d->err));
		if (d->note.len)
			rc |= aclf_buf_printf_escaped(out, "  note: %s\n", d->note.buf);
		if (d->outcome == ACLF_OUT_CHANGES || (fl->verb == ACLF_FLEET_APPLY && d->diff.len &&
						       d->outcome != ACLF_OUT_UNCHANGED)) {
			rc |= indent(out, &d->diff, "  ");
		}
		if (fl->verb == ACLF_FLEET_AUDIT)
			rc |= fleet_audit_text(fl, d, out);
		if (fl->verb == ACLF_FLEET_PLAN && d->plan.len) {
			rc |= aclf_buf_puts(out, "  commands:\n");
			rc |= indent(out, &d->plan, "    ");
		}
		first = false;
	}
	if (fl->verb != ACLF_FLEET_FETCH || !first) {
		rc |= aclf_buf_printf(out, "%s: %zu device%s", verb_name(fl->verb), fl->n,
				      fl->n == 1 ? "" : "s");
		for (int o = 0; o <= ACLF_OUT_UNKNOWN; o++)
			if (count[o])
				rc |= aclf_buf_printf(out, ", %zu %s", count[o],
						      outcome_word(fl, (enum aclf_outcome)o));
		rc |= aclf_buf_putc(out, '\n');
	}
	return rc ? -1 : 0;
}

static json_t *err_json(const struct aclf_err *e)
{
	json_t *j = json_object();

	json_object_set_new(j, "kind", json_string(e->kind == ACLF_E_INPUT ? "input"
						 : e->kind == ACLF_E_DEVICE ? "device"
						 : e->kind == ACLF_E_TRANSPORT ? "transport"
						 : e->kind == ACLF_E_NOMEM ? "nomem" : "bug"));
	if (e->device)
		json_object_set_new(j, "device", json_string(e->device));
	if (e->command)
		json_object_set_new(j, "command", json_string(e->command));
	json_object_set_new(j, "message", json_string(aclf_err_text(e)));
	return j;
}

int aclf_fleet_print_json(const struct aclf_fleet *fl, struct aclf_buf *out)
{
	json_t *root = json_object(), *devs = json_array();
	char *s;
	int rc;

	json_object_set_new(root, "command", json_string(verb_name(fl->verb)));
	if (fl->verb == ACLF_FLEET_AUDIT)
		json_object_set_new(root, "audited_at", json_string(fl->audited_at));
	for (size_t i = 0; i < fl->n; i++) {
		const struct aclf_fleet_dev *d = &fl->devs[i];
		json_t *j = json_object();

		json_object_set_new(j, "device", json_string(d->dev->name));
		json_object_set_new(j, "driver", json_string(d->dev->driver));
		json_object_set_new(j, "outcome", json_string(outcome_word(fl, d->outcome)));
		if (d->end != ACLF_END_NONE)
			json_object_set_new(j, "ends_on", json_string(aclf_end_state_name(d->end)));
		json_object_set_new(j, "canary", json_boolean(d->canary));
		if (d->unsaved) /* apply --no-save left it out of the startup configuration */
			json_object_set_new(j, "saved", json_false());
		json_object_set_new(j, "elapsed_ms", json_integer(d->ms));
		if (d->err.count)
			json_object_set_new(j, "error", err_json(&d->err));
		if (d->note.len)
			json_object_set_new(j, "note", json_stringn(d->note.buf, d->note.len));
		if (d->live.len)
			json_object_set_new(j, "live", json_stringn(d->live.buf, d->live.len));
		if (d->diff.len) {
			json_t *dj = json_loadb(d->diff.buf, d->diff.len, 0, NULL);

			json_object_set_new(j, "diff", dj ? dj : json_stringn(d->diff.buf, d->diff.len));
		}
		if (d->plan.len)
			json_object_set_new(j, "commands", json_stringn(d->plan.buf, d->plan.len));
		if (fl->verb == ACLF_FLEET_AUDIT)
			fleet_audit_json(d, j);
		json_array_append_new(devs, j);
	}
	json_object_set_new(root, "devices", devs);
	json_object_set_new(root, "exit_code", json_integer(aclf_fleet_exit_code(fl)));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return -1;
	rc = aclf_buf_puts(out, s) < 0 || aclf_buf_putc(out, '\n') < 0 ? -1 : 0;
	free(s);
	return rc;
}
