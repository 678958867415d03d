/* The counters report: text for people, JSON for pipelines (jansson).
 *
 * JSON: {"devices": [{"name", "driver", "polled_at" (UTC, null when not
 * polled), "sys_uptime" (the agent's sysUpTime in hundredths of a second,
 * null when not read: `audit --since` tells a restart by it), "rules": [{"filter", "rule", "packets", "bytes" (null where the
 * device does not count them, or has no counter for the rule), "source":
 * "snmp"|"cli", "seed_rows": ["server:3", ...], "instances": [{"filter",
 * "counter", "packets", "bytes"}]}], "lb_services": [{"name",
 * "packets_in", "bytes_in", "connections_total", "connections_current",
 * "members": [{"address", "port", "packets_in", "connections_total"}]}],
 * "interfaces": [{"name", "in_packets", "in_octets" (null where the agent
 * has no such interface), "source": "snmp"}], "errors": ["..."]}]}. A counter above 2^63-1 (JSON integers of most
 * readers stop there) is written as a decimal string. */
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

static json_t *num(uint64_t v)
{
	char s[24];

	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(s, sizeof(s), "%" PRIu64, v);
	return json_string(s);
}

static json_t *num_if(bool has, uint64_t v)
{
	return has ? num(v) : json_null();
}

static json_t *seed_rows(const struct aclf_rule *r)
{
	json_t *a = json_array();

	for (size_t k = 0; r && k < r->nprov; k++)
		if (r->prov[k].kind && !strcmp(r->prov[k].kind, "seed"))
			json_array_append_new(a, json_string(r->prov[k].ref ? r->prov[k].ref : ""));
	return a;
}

static json_t *rule_json(const struct aclf_rule_cnt *rc)
{
	json_t *j = json_object(), *inst = json_array();

	json_object_set_new(j, "filter", json_string(rc->filter));
	json_object_set_new(j, "rule", json_string(rc->rule));
	json_object_set_new(j, "packets", num_if(rc->found, rc->packets));
	json_object_set_new(j, "bytes", num_if(rc->found && rc->has_bytes, rc->bytes));
	json_object_set_new(j, "source", json_string(aclf_cnt_source_name(rc->source)));
	json_object_set_new(j, "seed_rows", seed_rows(rc->r));
	for (size_t k = 0; k < rc->ninst; k++) {
		json_t *i = json_object();

		json_object_set_new(i, "filter", json_string(rc->inst[k].name));
		json_object_set_new(i, "counter", json_string(rc->inst[k].counter));
		json_object_set_new(i, "packets", num(rc->inst[k].packets));
		json_object_set_new(i, "bytes", num_if(rc->inst[k].has_bytes, rc->inst[k].bytes));
		json_array_append_new(inst, i);
	}
	json_object_set_new(j, "instances", inst);
	return j;
}

static json_t *lb_json(const struct aclf_lb_cnt *lc)
{
	json_t *j = json_object(), *m = json_array();

	json_object_set_new(j, "name", json_string(lc->name));
	json_object_set_new(j, "packets_in", num_if(lc->found, lc->packets_in));
	json_object_set_new(j, "bytes_in", num_if(lc->found, lc->bytes_in));
	json_object_set_new(j, "connections_total", num_if(lc->found, lc->connections_total));
	json_object_set_new(j, "connections_current", num_if(lc->found, lc->connections_current));
	for (size_t k = 0; k < lc->nmembers; k++) {
		const struct aclf_member_cnt *mc = &lc->members[k];
		json_t *o = json_object();

		json_object_set_new(o, "address", json_string(mc->address));
		json_object_set_new(o, "port", json_integer(mc->port));
		json_object_set_new(o, "packets_in", num_if(mc->found, mc->packets_in));
		json_object_set_new(o, "connections_total", num_if(mc->found, mc->connections_total));
		json_array_append_new(m, o);
	}
	json_object_set_new(j, "members", m);
	return j;
}

static json_t *if_json(const struct aclf_if_cnt *ic)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", json_string(ic->name));
	json_object_set_new(j, "in_packets", num_if(ic->found, ic->in_packets));
	json_object_set_new(j, "in_octets", num_if(ic->found, ic->in_octets));
	json_object_set_new(j, "source", json_string(aclf_cnt_source_name(ic->source)));
	return j;
}

/* each line of text as one string of a */
static void lines(json_t *a, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n + 1;
	}
}

int aclf_fleet_cnt_print_json(const struct aclf_fleet_cnt *fc, struct aclf_buf *out)
{
	json_t *root = json_object(), *devs = json_array();
	char *s;
	int rc;

	for (size_t i = 0; i < fc->n; i++) {
		const struct aclf_fleet_cnt_dev *d = &fc->devs[i];
		json_t *j = json_object(), *rules = json_array(), *lb = json_array(),
		       *ifs = json_array(), *errs = json_array();

		json_object_set_new(j, "name", json_string(d->dev->name));
		json_object_set_new(j, "driver", json_string(d->dev->driver));
		json_object_set_new(j, "polled_at", d->polled_at[0] ? json_string(d->polled_at)
								 : json_null());
		json_object_set_new(j, "sys_uptime", num_if(d->has_uptime, d->uptime_cs));
		for (size_t k = 0; d->c && k < d->c->nrules; k++)
			json_array_append_new(rules, rule_json(&d->c->rules[k]));
		for (size_t k = 0; d->c && k < d->c->nlb; k++)
			json_array_append_new(lb, lb_json(&d->c->lb[k]));
		for (size_t k = 0; d->c && k < d->c->nifs; k++)
			json_array_append_new(ifs, if_json(&d->c->ifs[k]));
		if (d->err.count) {
			const char *t = aclf_err_text(&d->err);

			lines(errs, t, strlen(t));
		}
		if (d->c)
			lines(errs, d->c->notes.buf, d->c->notes.len);
		json_object_set_new(j, "rules", rules);
		json_object_set_new(j, "lb_services", lb);
		json_object_set_new(j, "interfaces", ifs);
		json_object_set_new(j, "errors", errs);
		json_array_append_new(devs, j);
	}
	json_object_set_new(root, "devices", devs);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return -1;
	rc = aclf_buf_add(out, s, strlen(s));
	if (rc == 0)
		rc = aclf_buf_add(out, "\n", 1);
	free(s);
	return rc < 0 ? -1 : 0;
}

static int put_num(struct aclf_buf *out, bool has, uint64_t v)
{
	return has ? aclf_buf_printf(out, "%" PRIu64, v) : aclf_buf_add(out, "-", 1);
}

int aclf_fleet_cnt_print_text(const struct aclf_fleet_cnt *fc, struct aclf_buf *out)
{
	int r = 0;

	for (size_t i = 0; i < fc->n; i++) {
		const struct aclf_fleet_cnt_dev *d = &fc->devs[i];

		r |= aclf_buf_printf(out, "%s (%s): %s%s\n", d->dev->name, d->dev->driver,
				     d->polled ? "polled at " : "not polled",
				     d->polled ? d->polled_at : "");
		if (d->err.count)
			r |= aclf_buf_printf(out, "  error: %s\n", aclf_err_text(&d->err));
		for (size_t k = 0; d->c && k < d->c->nrules; k++) {
			const struct aclf_rule_cnt *rc = &d->c->rules[k];

			r |= aclf_buf_printf(out, "  %s %s: packets ", rc->filter, rc->rule);
			r |= put_num(out, rc->found, rc->packets);
			r |= aclf_buf_printf(out, " bytes ");
			r |= put_num(out, rc->found && rc->has_bytes, rc->bytes);
			r |= aclf_buf_printf(out, " (%s)\n", rc->found ? aclf_cnt_source_name(rc->source)
								     : "no counter");
			for (size_t n = 0; rc->ninst > 1 && n < rc->ninst; n++)
				r |= aclf_buf_printf(out, "    %s %s: packets %" PRIu64 "\n",
						     rc->inst[n].name, rc->inst[n].counter,
						     rc->inst[n].packets);
		}
		for (size_t k = 0; d->c && k < d->c->nlb; k++) {
			const struct aclf_lb_cnt *lc = &d->c->lb[k];

			r |= aclf_buf_printf(out, "  lb %s: packets in ", lc->name);
			r |= put_num(out, lc->found, lc->packets_in);
			r |= aclf_buf_printf(out, " bytes in ");
			r |= put_num(out, lc->found, lc->bytes_in);
			r |= aclf_buf_printf(out, " connections ");
			r |= put_num(out, lc->found, lc->connections_total);
			r |= aclf_buf_printf(out, " now ");
			r |= put_num(out, lc->found, lc->connections_current);
			r |= aclf_buf_printf(out, "\n");
			for (size_t n = 0; n < lc->nmembers; n++) {
				const struct aclf_member_cnt *mc = &lc->members[n];

				r |= aclf_buf_printf(out, "    member %s:%u: packets in ", mc->address,
						     mc->port);
				r |= put_num(out, mc->found, mc->packets_in);
				r |= aclf_buf_printf(out, " connections ");
				r |= put_num(out, mc->found, mc->connections_total);
				r |= aclf_buf_printf(out, "\n");
			}
		}
		for (size_t k = 0; d->c && k < d->c->nifs; k++) {
			const struct aclf_if_cnt *ic = &d->c->ifs[k];

			r |= aclf_buf_printf(out, "  interface %s: packets in ", ic->name);
			r |= put_num(out, ic->found, ic->in_packets);
			r |= aclf_buf_printf(out, " octets in ");
			r |= put_num(out, ic->found, ic->in_octets);
			r |= aclf_buf_printf(out, " (%s)\n", ic->found ? aclf_cnt_source_name(ic->source)
								     : "no counter");
		}
		if (d->c && d->c->notes.len) {
			const char *p = d->c->notes.buf;

			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);

				r |= aclf_buf_printf(out, "  note: %.*s\n", (int)n, p);
				p += n + (nl ? 1 : 0);
			}
		}
	}
	return r < 0 ? -1 : 0;
}
