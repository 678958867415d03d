/* The report of one device's diff: text for people, JSON for pipelines
 * (include/aclforge/diff.h). One printer for `diff` and, later, `plan` and
 * `audit`. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/policy.h"

static void addrs(const struct aclf_diff_item *it, char *s, char *d)
{
	aclf_prefix_format_addr(&it->src, s, ACLF_PREFIX_STRLEN);
	aclf_prefix_format_addr(&it->dst, d, ACLF_PREFIX_STRLEN);
}

/* One lb difference as the report says it: the intended and the live side
 * by name. Appended to out; 0 or -1 when out of memory. */
static int lb_line(const struct aclf_lb_diff_item *it, struct aclf_buf *out)
{
	if (it->undecided)
		return aclf_buf_printf_escaped(out, "? %s: %s, live cannot judge: opaque service: %s: %s",
					       it->label, !it->b ? "only intended has this service"
					       : it->a ? "intended has this service"
					       : "only live has this service",
					       it->opaque_raw ? it->opaque_raw : "",
					       it->opaque_reason ? it->opaque_reason : "");
	if (!strcmp(it->field, "service"))
		return aclf_buf_printf_escaped(out, "%s: only %s has this service", it->label,
					       it->a ? "intended" : "live");
	if (!strcmp(it->field, "members"))
		return aclf_buf_printf_escaped(out, "%s: members differ: intended only %s; live only %s",
					       it->label, it->a, it->b);
	return aclf_buf_printf_escaped(out, "%s: %s differs: intended %s; live %s", it->label, it->field,
				       it->a, it->b);
}

int aclf_diff_print_text(const struct aclf_diff *d, const char *device, struct aclf_buf *out)
{
	char s[ACLF_PREFIX_STRLEN], t[ACLF_PREFIX_STRLEN], pb[16];
	size_t start = out->len;
	int rc = 0;

	size_t proven = d->n - d->nundecided, lbproven = d->nlb - d->nlb_undecided;
	size_t undecided = d->nundecided + d->nlb_undecided;

	if (!d->n && !d->nlb && !d->nopaque)
		return aclf_buf_printf_escaped(out, "%s: no drift: the live policy permits exactly what is "
					       "intended\n", device);
	if (!d->n && !d->nlb)
		return aclf_buf_printf_escaped(out, "%s: no drift: the live policy permits exactly what is "
					       "intended; its %zu opaque entr%s cannot change a verdict\n",
					       device, d->nopaque, d->nopaque == 1 ? "y" : "ies");
	if (proven)
		rc |= aclf_buf_printf_escaped(out, "%s: drift, as example packets: '-' intended permits it, "
					      "live denies it; '+' live permits it, intended denies it\n",
					      device);
	else if (lbproven)
		rc |= aclf_buf_printf_escaped(out, "%s: drift in the load-balancer services\n", device);
	if (d->nundecided)
		rc |= aclf_buf_printf_escaped(out, "%s: cannot judge, as example packets: '?' the live "
					      "verdict depends on an opaque entry (not fully understood)\n",
					      device);
	if (d->nlb_undecided)
		rc |= aclf_buf_printf_escaped(out, "%s: cannot judge: '?' a live load-balancer service is "
					      "opaque (not fully understood)\n", device);
	for (size_t i = 0; i < d->n; i++) {
		const struct aclf_diff_item *it = &d->items[i];
		addrs(it, s, t);
		if (it->undecided) {
			rc |= aclf_buf_printf_escaped(out, "? %s %s:%u -> %s:%u%s: %s by %s %s, live cannot "
						      "judge: opaque entry %s of %s: %s: %s\n",
						      aclf_proto_name(it->protocol, pb, sizeof(pb)), s,
						      it->src_port, t, it->dst_port,
						      it->established ? " (established)" : "",
						      it->permitted_by_a ? "intended permits" : "intended denies",
						      it->filter_a ? it->filter_a : "(no filter)",
						      it->rule_a ? it->rule_a : "default",
						      it->rule_b ? it->rule_b : "?",
						      it->filter_b ? it->filter_b : "(no filter)",
						      it->opaque_raw ? it->opaque_raw : "",
						      it->opaque_reason ? it->opaque_reason : "");
			continue;
		}
		rc |= aclf_buf_printf_escaped(out, "%s %s %s:%u -> %s:%u%s: %s by %s %s, %s by %s %s\n",
					      it->permitted_by_a ? "-" : "+",
					      aclf_proto_name(it->protocol, pb, sizeof(pb)), s, it->src_port, t,
					      it->dst_port, it->established ? " (established)" : "",
					      it->permitted_by_a ? "intended permits" : "intended denies",
					      it->filter_a ? it->filter_a : "(no filter)",
					      it->rule_a ? it->rule_a : "default",
					      it->permitted_by_a ? "live denies" : "live permits",
					      it->filter_b ? it->filter_b : "(no filter)",
					      it->rule_b ? it->rule_b : "default");
	}
	for (size_t i = 0; i < d->nlb; i++)
		rc |= lb_line(&d->lb[i], out) | aclf_buf_putc(out, '\n');
	rc |= aclf_buf_printf_escaped(out, "%s: %zu example packet%s, %zu load-balancer difference%s",
				      device, proven, proven == 1 ? "" : "s", lbproven, lbproven == 1 ? "" : "s");
	if (d->nopaque)
		rc |= aclf_buf_printf_escaped(out, ", %zu cannot judge (%zu opaque entr%s)", undecided,
					      d->nopaque, d->nopaque == 1 ? "y" : "ies");
	rc |= aclf_buf_putc(out, '\n');
	if (rc)
		aclf_buf_truncate(out, start);
	return rc ? -1 : 0;
}

/* A JSON string for s (NULL: NULL, which "o?" writes as null). Names read
 * from device text need not be UTF-8, which JSON strings must be: such a
 * name is written escaped as the text output writes it, never dropped. */
static json_t *jstr(const char *s)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	json_t *j;

	if (!s || (j = json_string(s)))
		return s ? j : NULL;
	aclf_buf_init(&b, 0);
	j = aclf_buf_puts_escaped(&b, s, false) == 0 ? json_string(b.buf) : NULL;
	aclf_buf_release(&b);
	return j;
}

static json_t *packet_json(const struct aclf_diff_item *it)
{
	char s[ACLF_PREFIX_STRLEN], t[ACLF_PREFIX_STRLEN], pb[16];

	addrs(it, s, t);
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:o?, s:o?, s:o?, s:o?}", "src", s, "dst", t,
			 "protocol", aclf_proto_name(it->protocol, pb, sizeof(pb)), "src_port", it->src_port,
			 "dst_port", it->dst_port, "established", it->established, "permitted_by",
			 it->permitted_by_a ? "intended" : "live", "intended_filter", jstr(it->filter_a),
			 "intended_rule", jstr(it->rule_a), "live_filter", jstr(it->filter_b), "live_rule",
			 jstr(it->rule_b));
}

static json_t *lb_json(const struct aclf_lb_diff_item *it)
{
	char v[ACLF_PREFIX_STRLEN], pb[16];

	aclf_prefix_format_addr(&it->vip, v, sizeof(v));
	return json_pack("{s:s, s:s, s:i, s:o?, s:s, s:o?, s:o?}", "vip", v, "protocol",
			 aclf_proto_name(it->protocol, pb, sizeof(pb)), "port", it->port, "service",
			 jstr(it->service), "field", it->field, "intended", jstr(it->a), "live", jstr(it->b));
}

/* An opaque lb service of B: what the report cannot judge. */
static json_t *lb_undecided_json(const struct aclf_lb_diff_item *it)
{
	char v[ACLF_PREFIX_STRLEN], pb[16];

	aclf_prefix_format_addr(&it->vip, v, sizeof(v));
	return json_pack("{s:s, s:s, s:i, s:o?, s:b, s:b, s:o?, s:o?}", "vip", v, "protocol",
			 aclf_proto_name(it->protocol, pb, sizeof(pb)), "port", it->port, "service",
			 jstr(it->service), "intended", it->a != NULL, "live", it->b != NULL,
			 "opaque_reason", jstr(it->opaque_reason), "opaque_text", jstr(it->opaque_raw));
}

int aclf_diff_print_json(const struct aclf_diff *d, const char *device, struct aclf_buf *out)
{
	json_t *packets = json_array(), *lines = json_array(), *lb = json_array(), *res;
	json_t *undecided = json_array();
	struct aclf_buf line = ACLF_BUF_INIT;
	char *s = NULL;
	int rc = -1;

	aclf_buf_init(&line, 0);
	/* every item is in the report, or the report fails */
	for (size_t i = 0; i < d->n; i++) {
		const struct aclf_diff_item *it = &d->items[i];
		json_t *p = packet_json(it);
		if (it->undecided && p &&
		    json_object_set_new(p, "opaque_reason", jstr(it->opaque_reason)) == 0 &&
		    json_object_set_new(p, "opaque_text", jstr(it->opaque_raw)) == 0)
			json_object_del(p, "permitted_by");
		if (json_array_append_new(it->undecided ? undecided : packets, p) < 0)
			goto out;
	}
	for (size_t i = 0; i < d->nlb; i++) {
		aclf_buf_reset(&line);
		if (lb_line(&d->lb[i], &line) < 0 || json_array_append_new(lines, jstr(line.buf)) < 0)
			goto out;
		if (d->lb[i].undecided ? json_array_append_new(undecided, lb_undecided_json(&d->lb[i])) < 0
				       : json_array_append_new(lb, lb_json(&d->lb[i])) < 0)
			goto out;
	}
	res = json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "device", device,
			"drift", d->n > d->nundecided || d->nlb > d->nlb_undecided, "packets", packets,
			"cannot_judge", undecided, "lb_services", lines, "lb_differences", lb, "counts",
			"packets", (json_int_t)(d->n - d->nundecided), "lb_differences",
			(json_int_t)(d->nlb - d->nlb_undecided), "cannot_judge",
			(json_int_t)(d->nundecided + d->nlb_undecided), "opaque_entries",
			(json_int_t)d->nopaque);
	packets = lines = lb = undecided = NULL; /* json_pack took them, or freed them on failure */
	s = res ? json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (s && aclf_buf_printf(out, "%s\n", s) == 0)
		rc = 0;
	json_decref(res);
out:
	free(s);
	json_decref(packets);
	json_decref(undecided);
	json_decref(lines);
	json_decref(lb);
	aclf_buf_release(&line);
	return rc;
}
