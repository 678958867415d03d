/* Explain one packet (include/aclforge/explain.h): per device, the deciding
 * rule of the filter guarding the destination and the seed rows it serves;
 * the virtual servers it reaches. */
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/explain.h"
#include "aclforge/topology.h"

static bool is_return_path(const struct aclf_rule *r)
{
	for (size_t i = 0; i < r->nprov; i++)
		if (!strcmp(r->prov[i].kind, "return-path"))
			return true;
	return false;
}

/* Catalog rows of r whose ports and protocol cover the packet, appended to
 * *v (*n used, *cap slots). */
static int serving_rows(struct aclf_arena *a, const struct aclf_catalog *cat, const struct aclf_rule *r,
			const struct aclf_packet *q, struct aclf_explain_row **v, size_t *n, size_t *cap)
{
	bool ret = is_return_path(r);
	unsigned bit = q->protocol == ACLF_PROTO_TCP ? ACLF_CAT_TCP
		       : q->protocol == ACLF_PROTO_UDP ? ACLF_CAT_UDP : 0;
	uint16_t port = ret ? q->src_port : q->dst_port;

	for (size_t i = 0; i < r->nprov; i++) {
		const struct aclf_cat_row *row;
		struct aclf_explain_row *x;
		if (strcmp(r->prov[i].kind, "catalog") != 0 || !(row = aclf_catalog_find(cat, r->prov[i].ref)))
			continue;
		if (!(row->protocols & bit))
			continue;
		/* media rows are narrowed by the topology: trust the rule's ports */
		if (!row->media && !aclf_ports_contains(&row->ports, port))
			continue;
		if (aclf_arena_grow(a, (void **)v, *n, cap, sizeof(**v)) < 0)
			return -1;
		x = &(*v)[(*n)++];
		x->id = row->id;
		x->table = aclf_cat_table_name(row->table);
		x->seed_row = row->seed_row;
		x->role = row->role;
		x->service = row->service ? row->service : "";
		x->seed_protocol = row->seed_protocol ? row->seed_protocol : "";
		x->return_path = ret;
	}
	return 0;
}

/* The site rule behind r: its 1-based index, or 0. */
static unsigned site_rule_of(const struct aclf_topology *topo, const struct aclf_rule *r)
{
	for (size_t i = 0; i < r->nprov; i++) {
		unsigned long n;
		if (strcmp(r->prov[i].kind, "topology-rule") != 0)
			continue;
		n = strtoul(r->prov[i].ref, NULL, 10);
		if (n >= 1 && n <= topo->nrules)
			return (unsigned)n;
	}
	return 0;
}

static long decide(const struct aclf_filter *f, const struct aclf_packet *q)
{
	return aclf_filter_decide(f, &q->src, &q->dst, q->protocol, q->src_port, q->dst_port,
				  q->established);
}

static int one_filter(struct aclf_explain *x, size_t *cap, const struct aclf_topology *topo,
		      const struct aclf_catalog *cat, const struct aclf_device *dev,
		      const struct aclf_filter *f, const struct aclf_packet *q)
{
	struct aclf_explain_filter *o;
	size_t acap = 0, rcap = 0;
	long k = decide(f, q);

	if (aclf_arena_grow(&x->arena, (void **)&x->filters, x->nfilters, cap, sizeof(*x->filters)) < 0)
		return -1;
	o = &x->filters[x->nfilters++];
	memset(o, 0, sizeof(*o));
	o->device = dev->name;
	o->driver = dev->driver;
	o->filter = f->name;
	o->action = f->default_action;
	if (k < 0)
		return 0;
	o->rule = f->rules[k].id;
	o->action = f->rules[k].action;
	if (serving_rows(&x->arena, cat, &f->rules[k], q, &o->rows, &o->nrows, &rcap) < 0)
		return -1;
	if ((o->site_rule = site_rule_of(topo, &f->rules[k])))
		o->site = &topo->rules[o->site_rule - 1];
	/* later rules that match too: what else asks for this packet */
	for (struct aclf_filter tail = *f;;) {
		long j;
		tail.rules += k + 1;
		tail.nrules -= (size_t)k + 1;
		if ((j = decide(&tail, q)) < 0)
			break;
		if (serving_rows(&x->arena, cat, &tail.rules[j], q, &o->also, &o->nalso, &acap) < 0)
			return -1;
		k = j;
	}
	return 0;
}

static int explain_filters(struct aclf_explain *x, const struct aclf_topology *topo,
			   const struct aclf_catalog *cat, const struct aclf_policy *pol,
			   const struct aclf_packet *q, struct aclf_err *err)
{
	size_t cap = 0;

	for (size_t d = 0; d < topo->ndevices; d++) {
		const struct aclf_device *dev = &topo->devices[d];
		const struct aclf_devpol *dp = aclf_policy_find_device(pol, dev->name);
		for (size_t i = 0; dp && i < dp->nfilters; i++) {
			const struct aclf_filter *f = &dp->filters[i];
			struct aclf_arena a;
			struct aclf_prefix_set prot;
			bool guards;

			if (!f->protect || f->protect > dev->nprotects)
				continue; /* not compiled from this device's protects */
			aclf_arena_init(&a);
			if (aclf_compile_protected(topo, dev, f->protect - 1, &a, &prot, err) < 0) {
				aclf_arena_release(&a);
				return -1;
			}
			guards = aclf_pset_contains_addr(&prot, &q->dst);
			aclf_arena_release(&a);
			if (guards && one_filter(x, &cap, topo, cat, dev, f, q) < 0)
				return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
		}
	}
	return 0;
}

static int explain_lb(struct aclf_explain *x, const struct aclf_policy *pol, const struct aclf_packet *q)
{
	size_t cap = 0;

	for (size_t d = 0; d < pol->ndevices; d++) {
		const struct aclf_devpol *dp = &pol->devices[d];
		for (size_t i = 0; i < dp->nlb; i++) {
			const struct aclf_lb_service *s = &dp->lb[i];
			struct aclf_explain_lb *o;
			size_t rcap = 0;
			if (aclf_prefix_cmp(&s->vip, &q->dst) != 0 || s->port != q->dst_port ||
			    s->protocol != q->protocol)
				continue;
			if (aclf_arena_grow(&x->arena, (void **)&x->lbs, x->nlbs, &cap, sizeof(*x->lbs)) < 0)
				return -1;
			o = &x->lbs[x->nlbs++];
			memset(o, 0, sizeof(*o));
			o->device = dp->name;
			o->service = s->name;
			o->members = s->members;
			o->nmembers = s->nmembers;
			for (size_t k = 0; k < s->nprov; k++) {
				if (strcmp(s->prov[k].kind, "catalog") != 0)
					continue;
				if (aclf_arena_grow(&x->arena, (void **)&o->rows, o->nrows, &rcap, sizeof(*o->rows)) < 0)
					return -1;
				o->rows[o->nrows++] = s->prov[k].ref;
			}
		}
	}
	return 0;
}

int aclf_packet_check(const struct aclf_packet *q, struct aclf_err *err)
{
	char s[ACLF_PREFIX_STRLEN], d[ACLF_PREFIX_STRLEN], pb[16];
	bool ports = q->protocol == ACLF_PROTO_TCP || q->protocol == ACLF_PROTO_UDP;
	const char *proto = aclf_proto_name(q->protocol, pb, sizeof(pb));

	if (!aclf_prefix_is_host(&q->src) || !aclf_prefix_is_host(&q->dst)) {
		aclf_prefix_format(&q->src, s, sizeof(s));
		aclf_prefix_format(&q->dst, d, sizeof(d));
		return aclf_err_set(err, ACLF_E_INPUT, "a packet goes from one address to one address, "
				    "not %s -> %s", s, d);
	}
	aclf_prefix_format_addr(&q->src, s, sizeof(s));
	aclf_prefix_format_addr(&q->dst, d, sizeof(d));
	if (q->src.family != q->dst.family)
		return aclf_err_set(err, ACLF_E_INPUT, "source %s and destination %s are of different "
				    "address families", s, d);
	if (q->protocol == ACLF_PROTO_ANY)
		return aclf_err_set(err, ACLF_E_INPUT, "a packet has one protocol, not any");
	if (q->protocol < 0 || q->protocol > 255)
		return aclf_err_set(err, ACLF_E_INPUT, "protocol %d is not 1-255", q->protocol);
	if (q->protocol == ACLF_PROTO_ICMP && q->dst.family == 6)
		return aclf_err_set(err, ACLF_E_INPUT, "icmp is ICMP for IPv4; between IPv6 addresses "
				    "it is icmp6");
	if (q->protocol == ACLF_PROTO_ICMP6 && q->dst.family == 4)
		return aclf_err_set(err, ACLF_E_INPUT, "icmp6 is ICMP for IPv6; between IPv4 addresses "
				    "it is icmp");
	if (q->established && q->protocol != ACLF_PROTO_TCP)
		return aclf_err_set(err, ACLF_E_INPUT, "only tcp has established connections, not %s",
				    proto);
	if (!ports && (q->src_port || q->dst_port))
		return aclf_err_set(err, ACLF_E_INPUT, "%s has no ports; only tcp and udp have", proto);
	return 0;
}

int aclf_explain(const struct aclf_topology *topo, const struct aclf_catalog *cat,
		 const struct aclf_policy *pol, const struct aclf_packet *q, struct aclf_explain *out,
		 struct aclf_err *err)
{
	memset(out, 0, sizeof(*out));
	aclf_arena_init(&out->arena);
	if (aclf_packet_check(q, err) < 0)
		return -1;
	if (explain_filters(out, topo, cat, pol, q, err) < 0)
		return -1;
	if (explain_lb(out, pol, q) < 0)
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
	return 0;
}

void aclf_explain_release(struct aclf_explain *x)
{
	aclf_arena_release(&x->arena);
	memset(x, 0, sizeof(*x));
}
