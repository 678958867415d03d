/* Comparing the load-balancer services of two device policies.
 *
 * Services are keyed by (VIP, protocol, port). A key on one side only is one
 * difference; for a key on both sides each differing field is one
 * difference: members (a set of address + port; names and order do not
 * count), monitor (type, port, interval, timeout), persistence (kind and
 * its mask, timeout, cookie name), request-level balancing (on or off, and
 * the source mask of connection reuse), TLS termination (the client-side
 * and server-side profile names, as the device names them: a missing or
 * different profile is drift), SNAT, idle timeout, lb method, whether the
 * service is disabled, and the listening VLAN when both sides name one. A member port is part of the
 * member: a VIP that should send 443 on to 4443 and sends 443 is drift. Service and pool names are labels
 * and are not compared. Each difference is one line of the report.
 *
 * An opaque service (aclf_lb_service.opaque: parsed, not fully understood)
 * on either side of a key, or alone, is one "cannot judge" item: none of
 * its fields is compared, so it is never the same and never plain drift. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/policy.h"
#include "diff_int.h"

struct lbcmp {
	struct aclf_buf *out;
	struct aclf_diff *d;
	size_t count;
	struct aclf_err *err;
	const struct aclf_lb_service *svc; /* the service being compared */
	const struct aclf_lb_service *opaque; /* for an "opaque" item: the opaque one */
	char label[160];
};

static bool same_str(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

static void endpoint(const struct aclf_prefix *addr, unsigned port, char *out, size_t outlen)
{
	char a[ACLF_PREFIX_STRLEN];

	aclf_prefix_format_addr(addr, a, sizeof(a));
	if (addr->family == 6)
		snprintf(out, outlen, "[%s]:%u", a, port);
	else
		snprintf(out, outlen, "%s:%u", a, port);
}

static void label(const struct aclf_lb_service *s, char *out, size_t outlen)
{
	char ep[ACLF_PREFIX_STRLEN + 16], pb[16];

	endpoint(&s->vip, s->port, ep, sizeof(ep));
	snprintf(out, outlen, "lb %s/%s \"%s\"", ep, aclf_proto_name(s->protocol, pb, sizeof(pb)),
		 s->name ? s->name : "");
}

/* Room for one more item in d->lb; 0 or -1 when out of memory. */
static int lb_room(struct aclf_diff *d)
{
	size_t nc;
	struct aclf_lb_diff_item *nv;

	if (d->nlb < d->lb_cap)
		return 0;
	nc = d->lb_cap ? d->lb_cap * 2 : 8;
	if (!(nv = realloc(d->lb, nc * sizeof(*nv))))
		return -1;
	d->lb = nv;
	d->lb_cap = nc;
	return 0;
}

/* One difference: the report line "LABEL: TEXT" and the item. */
static int add(struct lbcmp *c, const char *field, const char *a, const char *b)
{
	struct aclf_buf t = ACLF_BUF_INIT;
	struct aclf_lb_diff_item *it;
	int rc = 0;

	const struct aclf_lb_service *op = !strcmp(field, "opaque") ? c->opaque : NULL;

	c->count++;
	aclf_buf_init(&t, 0);
	rc |= aclf_buf_printf(&t, "%s: ", c->label);
	if (op)
		rc |= aclf_buf_printf(&t, "cannot judge (%s%s): opaque: %s: %s",
				      a ? "a" : "", b ? (a ? " and b" : "b") : "",
				      op->raw ? op->raw : "", op->opaque);
	else if (!strcmp(field, "service"))
		rc |= aclf_buf_printf(&t, "only on %s", a ? "a" : "b");
	else if (!strcmp(field, "members"))
		rc |= aclf_buf_printf(&t, "members differ: only on a %s; only on b %s", a, b);
	else
		rc |= aclf_buf_printf(&t, "%s differs: a %s; b %s", field, a, b);
	if (!rc && c->out)
		rc |= aclf_buf_printf(c->out, "%s\n", t.buf);
	if (!rc && c->d && !(rc = lb_room(c->d))) {
		it = &c->d->lb[c->d->nlb];
		memset(it, 0, sizeof(*it));
		it->vip = c->svc->vip;
		it->protocol = c->svc->protocol;
		it->port = c->svc->port;
		it->field = field;
		it->undecided = op != NULL;
		if ((op && (!(it->opaque_reason = dd_keep(c->d, op->opaque)) ||
			    (op->raw && !(it->opaque_raw = dd_keep(c->d, op->raw))))) ||
		    (c->svc->name && !(it->service = dd_keep(c->d, c->svc->name))) ||
		    !(it->label = dd_keep(c->d, c->label)) ||
		    (a && !(it->a = dd_keep(c->d, a))) || (b && !(it->b = dd_keep(c->d, b))) ||
		    !(it->text = dd_keep(c->d, t.buf)))
			rc = -1;
		else
			c->d->nlb_undecided += it->undecided, c->d->nlb++;
	}
	aclf_buf_release(&t);
	if (rc)
		return aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory writing the lb report");
	return 0;
}

static bool same_key(const struct aclf_lb_service *x, const struct aclf_lb_service *y)
{
	return x->protocol == y->protocol && x->port == y->port &&
	       aclf_prefix_cmp(&x->vip, &y->vip) == 0;
}

static int member_cmp(const void *x, const void *y)
{
	const struct aclf_lb_member *a = x, *b = y;
	int c = aclf_prefix_cmp(&a->address, &b->address);

	if (c)
		return c;
	return (int)a->port - (int)b->port;
}

/* sorted copy without duplicates; NULL only when out of memory */
static struct aclf_lb_member *member_set(const struct aclf_lb_service *s, size_t *n)
{
	struct aclf_lb_member *v = malloc((s->nmembers + 1) * sizeof(*v));
	size_t w = 0;

	if (!v)
		return NULL;
	if (s->nmembers)
		memcpy(v, s->members, s->nmembers * sizeof(*v));
	qsort(v, s->nmembers, sizeof(*v), member_cmp);
	for (size_t i = 0; i < s->nmembers; i++)
		if (w == 0 || member_cmp(&v[w - 1], &v[i]) != 0)
			v[w++] = v[i];
	*n = w;
	return v;
}

/* append "x:p, y:q" of the members in v that are not in o */
static int list_missing(struct aclf_buf *b, const struct aclf_lb_member *v, size_t n,
			const struct aclf_lb_member *o, size_t on, size_t *cnt)
{
	char ep[ACLF_PREFIX_STRLEN + 16];
	size_t j = 0;
	int rc = 0;

	*cnt = 0;
	for (size_t i = 0; i < n; i++) {
		while (j < on && member_cmp(&o[j], &v[i]) < 0)
			j++;
		if (j < on && member_cmp(&o[j], &v[i]) == 0)
			continue;
		endpoint(&v[i].address, v[i].port, ep, sizeof(ep));
		rc |= aclf_buf_printf(b, "%s%s", *cnt ? ", " : "", ep);
		(*cnt)++;
	}
	return rc ? -1 : 0;
}

static int cmp_members(struct lbcmp *c, const struct aclf_lb_service *x,
		       const struct aclf_lb_service *y)
{
	struct aclf_lb_member *mx, *my = NULL;
	struct aclf_buf ta = ACLF_BUF_INIT, tb = ACLF_BUF_INIT;
	size_t nx = 0, ny = 0, ca = 0, cb = 0;
	int rc = -1;

	aclf_buf_init(&ta, 0);
	aclf_buf_init(&tb, 0);
	mx = member_set(x, &nx);
	if (mx)
		my = member_set(y, &ny);
	if (!mx || !my || list_missing(&ta, mx, nx, my, ny, &ca) < 0 ||
	    list_missing(&tb, my, ny, mx, nx, &cb) < 0) {
		aclf_err_set(c->err, ACLF_E_NOMEM, "out of memory writing the lb report");
		goto out;
	}
	rc = 0;
	if (ca || cb)
		rc = add(c, "members", ca ? ta.buf : "none", cb ? tb.buf : "none");
out:
	free(mx);
	free(my);
	aclf_buf_release(&ta);
	aclf_buf_release(&tb);
	return rc;
}

static void fmt_monitor(const struct aclf_lb_monitor *m, char *out, size_t outlen)
{
	if (!m->type) {
		snprintf(out, outlen, "none");
		return;
	}
	snprintf(out, outlen, "%s port %u interval %u timeout %u", m->type, m->port, m->interval,
		 m->timeout);
}

static void fmt_persist(const struct aclf_lb_persist *p, char *out, size_t outlen)
{
	switch (p->kind) {
	case ACLF_PERSIST_NONE:
		snprintf(out, outlen, "none");
		return;
	case ACLF_PERSIST_SOURCE_ADDR:
		snprintf(out, outlen, "source-addr mask %u timeout %u", p->mask_len, p->timeout);
		return;
	case ACLF_PERSIST_COOKIE:
		snprintf(out, outlen, "cookie \"%s\" timeout %u", p->cookie_name ? p->cookie_name : "",
			 p->timeout);
		return;
	}
	snprintf(out, outlen, "?");
}

static bool same_persist(const struct aclf_lb_persist *x, const struct aclf_lb_persist *y)
{
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case ACLF_PERSIST_NONE:
		return true;
	case ACLF_PERSIST_SOURCE_ADDR:
		return x->mask_len == y->mask_len && x->timeout == y->timeout;
	case ACLF_PERSIST_COOKIE:
		return x->timeout == y->timeout && same_str(x->cookie_name, y->cookie_name);
	}
	return false;
}

static void fmt_request(const struct aclf_lb_request *r, char *out, size_t outlen)
{
	if (!r->enabled)
		snprintf(out, outlen, "per connection");
	else if (!r->reuse_mask_len)
		snprintf(out, outlen, "per request, connections reused across clients");
	else
		snprintf(out, outlen, "per request, connections reused within source /%u",
			 r->reuse_mask_len);
}

static bool same_request(const struct aclf_lb_request *x, const struct aclf_lb_request *y)
{
	return x->enabled == y->enabled && (!x->enabled || x->reuse_mask_len == y->reuse_mask_len);
}

static int cmp_service(struct lbcmp *c, const struct aclf_lb_service *x,
		       const struct aclf_lb_service *y)
{
	char fa[160], fb[160];

	if (cmp_members(c, x, y) < 0)
		return -1;
	if (!same_str(x->monitor.type, y->monitor.type) || x->monitor.port != y->monitor.port ||
	    x->monitor.interval != y->monitor.interval || x->monitor.timeout != y->monitor.timeout) {
		fmt_monitor(&x->monitor, fa, sizeof(fa));
		fmt_monitor(&y->monitor, fb, sizeof(fb));
		if (add(c, "monitor", fa, fb) < 0)
			return -1;
	}
	if (!same_persist(&x->persistence, &y->persistence)) {
		fmt_persist(&x->persistence, fa, sizeof(fa));
		fmt_persist(&y->persistence, fb, sizeof(fb));
		if (add(c, "persistence", fa, fb) < 0)
			return -1;
	}
	if (!same_request(&x->request, &y->request)) {
		fmt_request(&x->request, fa, sizeof(fa));
		fmt_request(&y->request, fb, sizeof(fb));
		if (add(c, "request balancing", fa, fb) < 0)
			return -1;
	}
	if (!same_str(x->tls.client_profile, y->tls.client_profile) &&
	    add(c, "tls client profile", x->tls.client_profile ? x->tls.client_profile : "none",
		y->tls.client_profile ? y->tls.client_profile : "none") < 0)
		return -1;
	if (!same_str(x->tls.server_profile, y->tls.server_profile) &&
	    add(c, "tls server profile", x->tls.server_profile ? x->tls.server_profile : "none",
		y->tls.server_profile ? y->tls.server_profile : "none") < 0)
		return -1;
	if (x->disabled != y->disabled &&
	    add(c, "state", x->disabled ? "disabled" : "enabled", y->disabled ? "disabled" : "enabled") < 0)
		return -1;
	if (x->snat != y->snat && add(c, "snat", aclf_snat_name(x->snat), aclf_snat_name(y->snat)) < 0)
		return -1;
	if (x->idle_timeout != y->idle_timeout) {
		snprintf(fa, sizeof(fa), "%u", x->idle_timeout);
		snprintf(fb, sizeof(fb), "%u", y->idle_timeout);
		if (add(c, "idle timeout", fa, fb) < 0)
			return -1;
	}
	if (!same_str(x->lb_method, y->lb_method) &&
	    add(c, "lb method", x->lb_method ? x->lb_method : "default",
		y->lb_method ? y->lb_method : "default") < 0)
		return -1;
	if (x->vlan && y->vlan && strcmp(x->vlan, y->vlan) != 0 && add(c, "vlan", x->vlan, y->vlan) < 0)
		return -1;
	if (x->no_translate_address != y->no_translate_address &&
	    add(c, "address translation", x->no_translate_address ? "disabled" : "enabled",
		y->no_translate_address ? "disabled" : "enabled") < 0)
		return -1;
	if (x->no_translate_port != y->no_translate_port &&
	    add(c, "port translation", x->no_translate_port ? "disabled" : "enabled",
		y->no_translate_port ? "disabled" : "enabled") < 0)
		return -1;
	return 0;
}

int dd_diff_lb(const struct aclf_devpol *a, const struct aclf_devpol *b, struct aclf_diff *d,
	       struct aclf_buf *out, size_t *count, struct aclf_err *err)
{
	struct lbcmp c;
	bool *used = calloc(b->nlb + 1, sizeof(*used));
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.d = d;
	c.err = err;
	if (!used)
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory comparing lb services");
	for (size_t i = 0; i < a->nlb; i++) {
		const struct aclf_lb_service *x = &a->lb[i], *y = NULL;

		for (size_t j = 0; j < b->nlb && !y; j++) {
			if (!used[j] && same_key(x, &b->lb[j])) {
				used[j] = true;
				y = &b->lb[j];
			}
		}
		label(x, c.label, sizeof(c.label));
		c.svc = x;
		c.opaque = x->opaque ? x : y && y->opaque ? y : NULL;
		if (c.opaque) {
			if (add(&c, "opaque", "present", y ? "present" : NULL) < 0)
				goto out;
		} else if (!y ? add(&c, "service", "present", NULL) < 0 : cmp_service(&c, x, y) < 0) {
			goto out;
		}
	}
	for (size_t j = 0; j < b->nlb; j++) {
		if (used[j])
			continue;
		label(&b->lb[j], c.label, sizeof(c.label));
		c.svc = &b->lb[j];
		c.opaque = b->lb[j].opaque ? &b->lb[j] : NULL;
		if (add(&c, c.opaque ? "opaque" : "service", NULL, "present") < 0)
			goto out;
	}
	rc = 0;
out:
	free(used);
	if (count)
		*count = c.count;
	return rc;
}
