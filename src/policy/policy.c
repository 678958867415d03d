#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aclforge/policy.h"

struct aclf_policy *aclf_policy_new(void)
{
	struct aclf_policy *p = calloc(1, sizeof(*p));

	if (p)
		aclf_arena_init(&p->arena);
	return p;
}

void aclf_policy_free(struct aclf_policy *p)
{
	if (!p)
		return;
	aclf_arena_release(&p->arena);
	free(p);
}

struct aclf_devpol *aclf_policy_add_device(struct aclf_policy *p, const char *name,
					   const char *driver)
{
	struct aclf_devpol *d;

	if (aclf_arena_grow(&p->arena, (void **)&p->devices, p->ndevices, &p->devices_cap,
			    sizeof(*p->devices)) < 0)
		return NULL;
	d = &p->devices[p->ndevices];
	memset(d, 0, sizeof(*d));
	d->name = aclf_arena_strdup(&p->arena, name ? name : "");
	d->driver = aclf_arena_strdup(&p->arena, driver ? driver : "");
	if (!d->name || !d->driver)
		return NULL;
	p->ndevices++;
	return d;
}

struct aclf_filter *aclf_devpol_add_filter(struct aclf_policy *p, struct aclf_devpol *d,
					   const char *name)
{
	struct aclf_filter *f;

	if (aclf_arena_grow(&p->arena, (void **)&d->filters, d->nfilters, &d->filters_cap,
			    sizeof(*d->filters)) < 0)
		return NULL;
	f = &d->filters[d->nfilters];
	memset(f, 0, sizeof(*f));
	f->name = aclf_arena_strdup(&p->arena, name ? name : "");
	f->default_action = ACLF_DENY;
	if (!f->name)
		return NULL;
	d->nfilters++;
	return f;
}

struct aclf_rule *aclf_filter_add_rule(struct aclf_policy *p, struct aclf_filter *f)
{
	struct aclf_rule *r;

	if (aclf_arena_grow(&p->arena, (void **)&f->rules, f->nrules, &f->rules_cap,
			    sizeof(*f->rules)) < 0)
		return NULL;
	r = &f->rules[f->nrules++];
	memset(r, 0, sizeof(*r));
	r->hits = -1;
	return r;
}

struct aclf_lb_service *aclf_devpol_add_lb(struct aclf_policy *p, struct aclf_devpol *d,
					   const char *name)
{
	struct aclf_lb_service *s;

	if (aclf_arena_grow(&p->arena, (void **)&d->lb, d->nlb, &d->lb_cap, sizeof(*d->lb)) < 0)
		return NULL;
	s = &d->lb[d->nlb];
	memset(s, 0, sizeof(*s));
	s->name = aclf_arena_strdup(&p->arena, name ? name : "");
	if (!s->name)
		return NULL;
	d->nlb++;
	return s;
}

static int add_prov(struct aclf_policy *p, struct aclf_prov **v, size_t *n, size_t *cap,
		    const char *kind, const char *ref)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].kind, kind) == 0 && strcmp((*v)[i].ref, ref) == 0)
			return 0;
	if (aclf_arena_grow(&p->arena, (void **)v, *n, cap, sizeof(**v)) < 0)
		return -1;
	(*v)[*n].kind = aclf_arena_strdup(&p->arena, kind);
	(*v)[*n].ref = aclf_arena_strdup(&p->arena, ref);
	if (!(*v)[*n].kind || !(*v)[*n].ref)
		return -1;
	(*n)++;
	return 0;
}

int aclf_rule_add_prov(struct aclf_policy *p, struct aclf_rule *r, const char *kind,
		       const char *ref)
{
	return add_prov(p, &r->prov, &r->nprov, &r->prov_cap, kind, ref);
}

int aclf_lb_add_prov(struct aclf_policy *p, struct aclf_lb_service *s, const char *kind,
		     const char *ref)
{
	return add_prov(p, &s->prov, &s->nprov, &s->prov_cap, kind, ref);
}

int aclf_lb_add_member(struct aclf_policy *p, struct aclf_lb_service *s, const char *name,
		       const struct aclf_prefix *addr, uint16_t port)
{
	struct aclf_lb_member *m;

	if (aclf_arena_grow(&p->arena, (void **)&s->members, s->nmembers, &s->members_cap,
			    sizeof(*s->members)) < 0)
		return -1;
	m = &s->members[s->nmembers];
	memset(m, 0, sizeof(*m));
	m->name = name ? aclf_arena_strdup(&p->arena, name) : NULL;
	m->address = *addr;
	m->port = port;
	s->nmembers++;
	return 0;
}

struct aclf_devpol *aclf_policy_find_device(const struct aclf_policy *p, const char *name)
{
	for (size_t i = 0; i < p->ndevices; i++)
		if (strcmp(p->devices[i].name, name) == 0)
			return &p->devices[i];
	return NULL;
}

const char *aclf_action_name(enum aclf_action a)
{
	switch (a) {
	case ACLF_PERMIT:
		return "permit";
	case ACLF_DENY:
		return "deny";
	}
	return "?";
}

const char *aclf_proto_name(int proto, char *buf, size_t buflen)
{
	switch (proto) {
	case ACLF_PROTO_ANY:
		return "any";
	case ACLF_PROTO_ICMP:
		return "icmp";
	case ACLF_PROTO_TCP:
		return "tcp";
	case ACLF_PROTO_UDP:
		return "udp";
	case ACLF_PROTO_ICMP6:
		return "icmp6";
	default:
		snprintf(buf, buflen, "%d", proto);
		return buf;
	}
}

int aclf_proto_parse(const char *s)
{
	static const struct {
		const char *name;
		int num;
	} names[] = {
		{ "any", 0 }, { "ip", 0 }, { "ipv6", 0 }, { "icmp", 1 }, { "igmp", 2 },
		{ "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "esp", 50 }, { "ahp", 51 },
		{ "ah", 51 }, { "icmp6", 58 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 },
		{ "eigrp", 88 }, { "ospf", 89 }, { "pim", 103 }, { "vrrp", 112 }, { "sctp", 132 },
	};
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].num;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 255)
		return -1;
	return (int)v;
}

const char *aclf_direction_name(enum aclf_direction d)
{
	switch (d) {
	case ACLF_DIR_NONE:
		return "none";
	case ACLF_DIR_IN:
		return "in";
	case ACLF_DIR_OUT:
		return "out";
	}
	return "?";
}

const char *aclf_persist_name(enum aclf_persist_kind k)
{
	switch (k) {
	case ACLF_PERSIST_NONE:
		return "none";
	case ACLF_PERSIST_SOURCE_ADDR:
		return "source-addr";
	case ACLF_PERSIST_COOKIE:
		return "cookie";
	}
	return "?";
}

const char *aclf_snat_name(enum aclf_snat_kind k)
{
	switch (k) {
	case ACLF_SNAT_NONE:
		return "none";
	case ACLF_SNAT_AUTOMAP:
		return "automap";
	}
	return "?";
}

size_t aclf_devpol_opaque_count(const struct aclf_devpol *d)
{
	size_t n = 0;

	for (size_t i = 0; d && i < d->nfilters; i++)
		for (size_t k = 0; k < d->filters[i].nrules; k++)
			n += d->filters[i].rules[k].opaque != NULL;
	for (size_t i = 0; d && i < d->nlb; i++)
		n += d->lb[i].opaque != NULL;
	return n;
}
