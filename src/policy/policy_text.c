/* The policy as text for engineers: one block per device, one line per rule
 * and per lb service. Deterministic; not meant to be parsed back (use JSON).
 * Every name and comment comes from a topology or device text: all of it is
 * escaped (aclf_buf_printf_escaped), so none can forge a line. */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"

/* Output under construction; the first failed append makes it fail. */
struct tbuf {
	struct aclf_buf b;
	bool failed;
};

static void __attribute__((format(printf, 2, 3))) tprintf(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (aclf_buf_vprintf_escaped(&t->b, fmt, ap) < 0)
		t->failed = true;
	va_end(ap);
}

/* our own words only: not escaped */
static void tputs(struct tbuf *t, const char *s)
{
	if (aclf_buf_puts(&t->b, s) < 0)
		t->failed = true;
}

static void tputc(struct tbuf *t, char c)
{
	if (aclf_buf_putc(&t->b, c) < 0)
		t->failed = true;
}

/* Free text on one line, between double quotes: \" \\ \n \t \xNN. */
static void tput_clean(struct tbuf *t, const char *s)
{
	if (aclf_buf_puts_escaped(&t->b, s, true) < 0)
		t->failed = true;
}

/* "any" for 0.0.0.0/0 + ::/0, "any4"/"any6" for one family. */
static const char *pset_any_name(const struct aclf_prefix_set *s)
{
	bool v4 = false, v6 = false;

	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].len != 0)
			return NULL;
		if (s->v[i].family == 4)
			v4 = true;
		else
			v6 = true;
	}
	if (v4 && v6)
		return "any";
	if (v4)
		return "any4";
	if (v6)
		return "any6";
	return NULL;
}

/* Full list "a/l,b/l"; a named list of more than one prefix as
 * "name (n prefixes)": the count is of prefixes after merging, not of the
 * servers or networks behind the name. */
static void put_pset(struct tbuf *b, const struct aclf_prefix_set *s, const char *name)
{
	char tmp[ACLF_PREFIX_STRLEN];
	const char *any = pset_any_name(s);

	if (any) {
		tputs(b, any);
		return;
	}
	if (s->n == 0) {
		tputs(b, "none");
		return;
	}
	if (name && *name && s->n > 1) {
		tprintf(b, "%s (%zu prefixes)", name, s->n);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		aclf_prefix_format(&s->v[i], tmp, sizeof(tmp));
		tprintf(b, "%s%s", i ? "," : "", tmp);
	}
}

static void put_ports(struct tbuf *b, const char *word, const struct aclf_port_set *s)
{
	if (s->n == 0)
		return;
	tprintf(b, " %s ", word);
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			tputc(b, ',');
		if (s->v[i].lo == s->v[i].hi)
			tprintf(b, "%u", s->v[i].lo);
		else
			tprintf(b, "%u-%u", s->v[i].lo, s->v[i].hi);
	}
}

/* Provenance: catalog rows bare, seed rows in parentheses, the rest "kind ref". */
static void put_prov(struct tbuf *b, const struct aclf_prov *v, size_t n,
		     const char *comment)
{
	if (n == 0 && !comment)
		return;
	tputs(b, " #");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "catalog") == 0)
			tprintf(b, " %s", v[i].ref);
		else if (strcmp(v[i].kind, "seed") == 0)
			tprintf(b, " (%s)", v[i].ref);
		else
			tprintf(b, " %s %s", v[i].kind, v[i].ref);
	}
	if (comment) {
		tputs(b, n ? " -- \"" : " \"");
		tput_clean(b, comment);
		tputc(b, '"');
	}
}

static void put_rule(struct tbuf *b, const struct aclf_rule *r)
{
	char proto[16];

	tprintf(b, "    %s", r->id ? r->id : "-");
	if (r->device_name)
		tprintf(b, " [%s]", r->device_name);
	tprintf(b, " %s %s ", aclf_action_name(r->action),
			aclf_proto_name(r->protocol, proto, sizeof(proto)));
	put_pset(b, &r->src, r->src_name);
	put_ports(b, "sport", &r->src_ports);
	tputs(b, " -> ");
	put_pset(b, &r->dst, r->dst_name);
	put_ports(b, "dport", &r->dst_ports);
	if (r->established)
		tputs(b, " established");
	if (r->hits >= 0)
		tprintf(b, " hits %lld", (long long)r->hits);
	if (r->opaque)
		tprintf(b, " OPAQUE (%s): %s", r->opaque, r->raw ? r->raw : "");
	put_prov(b, r->prov, r->nprov, r->comment);
	tputc(b, '\n');
}

static void put_binding(struct tbuf *b, const struct aclf_binding *bd)
{
	switch (bd->kind) {
	case ACLF_BIND_NONE:
		tputs(b, " unbound");
		return;
	case ACLF_BIND_INTERFACE:
		tprintf(b, " on interface %s", bd->name ? bd->name : "?");
		break;
	case ACLF_BIND_CHAIN:
		tprintf(b, " on chain %s", bd->name ? bd->name : "?");
		break;
	}
	if (bd->direction != ACLF_DIR_NONE)
		tprintf(b, " %s", aclf_direction_name(bd->direction));
}

static void put_filter(struct tbuf *b, const struct aclf_filter *f)
{
	tprintf(b, "  filter %s", f->name);
	put_binding(b, &f->binding);
	tprintf(b, ", default %s, %zu rule%s\n", aclf_action_name(f->default_action),
			f->nrules, f->nrules == 1 ? "" : "s");
	for (size_t i = 0; i < f->nrules; i++)
		put_rule(b, &f->rules[i]);
}

/* "10.1.1.10:5061", "[2001:db8::10]:5061". */
static void put_endpoint(struct tbuf *b, const struct aclf_prefix *p, unsigned port)
{
	char tmp[ACLF_PREFIX_STRLEN];

	if (aclf_prefix_is_host(p))
		aclf_prefix_format_addr(p, tmp, sizeof(tmp));
	else
		aclf_prefix_format(p, tmp, sizeof(tmp));
	if (p->family == 6)
		tprintf(b, "[%s]:%u", tmp, port);
	else
		tprintf(b, "%s:%u", tmp, port);
}

static void put_lb(struct tbuf *b, const struct aclf_lb_service *s)
{
	char proto[16];
	const struct aclf_lb_persist *ps = &s->persistence;

	tprintf(b, "  lb %s ", s->name);
	put_endpoint(b, &s->vip, s->port);
	tprintf(b, " %s", aclf_proto_name(s->protocol, proto, sizeof(proto)));
	if (s->pool_name)
		tprintf(b, " pool %s", s->pool_name);
	tputs(b, " ->");
	if (s->nmembers == 0)
		tputs(b, " no members");
	for (size_t i = 0; i < s->nmembers; i++) {
		tputs(b, i ? ", " : " ");
		if (s->members[i].name)
			tprintf(b, "%s ", s->members[i].name);
		put_endpoint(b, &s->members[i].address, s->members[i].port);
	}
	if (s->monitor.type) {
		tprintf(b, " monitor %s", s->monitor.type);
		if (s->monitor.port)
			tprintf(b, ":%u", s->monitor.port);
		if (s->monitor.interval || s->monitor.timeout)
			tprintf(b, " every %us timeout %us", s->monitor.interval,
					s->monitor.timeout);
	}
	switch (ps->kind) {
	case ACLF_PERSIST_NONE:
		break;
	case ACLF_PERSIST_SOURCE_ADDR:
		tprintf(b, " persist source-addr/%u", ps->mask_len);
		break;
	case ACLF_PERSIST_COOKIE:
		tprintf(b, " persist cookie %s", ps->cookie_name ? ps->cookie_name : "-");
		break;
	}
	if (ps->kind != ACLF_PERSIST_NONE && ps->timeout)
		tprintf(b, " %us", ps->timeout);
	if (s->request.enabled)
		tprintf(b, " per-request reuse/%u", s->request.reuse_mask_len);
	if (s->tls.client_profile || s->tls.server_profile)
		tprintf(b, " tls %s -> %s", s->tls.client_profile ? s->tls.client_profile : "plain",
			s->tls.server_profile ? s->tls.server_profile : "plain");
	if (s->disabled)
		tputs(b, " disabled");
	if (s->snat != ACLF_SNAT_NONE)
		tprintf(b, " snat %s", aclf_snat_name(s->snat));
	if (s->no_translate_address)
		tputs(b, " translate-address disabled");
	if (s->no_translate_port)
		tputs(b, " translate-port disabled");
	if (s->idle_timeout)
		tprintf(b, " idle %us", s->idle_timeout);
	if (s->lb_method)
		tprintf(b, " method %s", s->lb_method);
	if (s->vlan)
		tprintf(b, " vlan %s", s->vlan);
	if (s->opaque)
		tprintf(b, " OPAQUE (%s): %s", s->opaque, s->raw ? s->raw : "");
	put_prov(b, s->prov, s->nprov, NULL);
	tputc(b, '\n');
}

int aclf_policy_to_text(const struct aclf_policy *p, struct aclf_buf *out)
{
	struct tbuf t = { .failed = false };
	int rc = 0;

	if (!p)
		return -1;
	/* built apart so that a failure leaves out untouched */
	aclf_buf_init(&t.b, out->cap);
	if (p->ndevices == 0)
		tputs(&t, "no devices\n");
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct aclf_devpol *d = &p->devices[i];

		if (i)
			tputc(&t, '\n');
		tprintf(&t, "device %s", d->name);
		if (d->driver && *d->driver)
			tprintf(&t, " (%s)", d->driver);
		tprintf(&t, ": %zu filter%s, %zu lb service%s\n", d->nfilters,
			d->nfilters == 1 ? "" : "s", d->nlb, d->nlb == 1 ? "" : "s");
		for (size_t j = 0; j < d->nfilters; j++)
			put_filter(&t, &d->filters[j]);
		for (size_t j = 0; j < d->nlb; j++)
			put_lb(&t, &d->lb[j]);
	}
	if (t.failed || aclf_buf_add(out, t.b.buf, t.b.len) < 0)
		rc = -1;
	aclf_buf_release(&t.b);
	return rc;
}
