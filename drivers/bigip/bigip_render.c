/* Render: a device policy's lb services as tmsh create commands, one object
 * per line, dependencies first (monitors, nodes, pools, persistence, tcp/udp
 * and oneconnect profiles, virtuals). The apply step wraps them in one
 * `create cli transaction` ... `submit cli transaction` and adds
 * `save sys config`; nothing here touches an object not named "aclf_...".
 *
 * What each line encodes, and why:
 * - pools use the service's lb_method (Microsoft's requirements name no
 *   method; F5's Lync iApp offers least-connections-node, the compiler asks
 *   for least-connections-member) and list members as node:port with the
 *   address, nodes created once per address;
 * - source-addr persistence always carries an explicit mask: the default
 *   "mask none" sends every client to one member
 *   (sapcc/octavia-f5-provider-driver #220);
 * - the tcp profile carries the service's idle timeout (Microsoft: "Use TCP
 *   idle timeout of 1800 seconds", Lync 2013 HLB requirements);
 * - request-level balancing (Microsoft: mobile devices need each request
 *   within a TCP session balanced; "F5 hardware load balancers have a
 *   feature called OneConnect" for it) is the built-in http profile plus a
 *   one-connect profile with the service's source mask;
 * - TLS termination names the site's client-ssl profile (context
 *   clientside) and server-ssl profile (context serverside): they hold the
 *   site's certificate and exist on the device already; render never
 *   creates them and delete never names them;
 * - the virtual's description carries the service name, the topology pool
 *   name and the provenance, so parse gives back the same service;
 * - IPv6 destinations use tmsh's addr.port form. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip_int.h"

/* Undo a partial append (buffers that never grew hold nothing to undo). */
static void truncate_to(struct aclf_buf *b, size_t n)
{
	if (b->alloc && n <= b->len) {
		b->len = n;
		b->buf[n] = '\0';
	}
}

static int put_dest(struct aclf_buf *out, const struct aclf_prefix *addr, uint16_t port)
{
	char a[ACLF_PREFIX_STRLEN];

	aclf_prefix_format_addr(addr, a, sizeof(a));
	return aclf_buf_printf(out, "%s%c%u", a, addr->family == 6 ? '.' : ':', port);
}

static int render_monitor(const struct bip_plan *plan, const struct bip_named *m,
			  struct aclf_buf *out)
{
	const struct aclf_lb_monitor *mon = &plan->svcs[m->first].s->monitor;
	int r = 0;

	r |= aclf_buf_printf(out, "create ltm monitor %s %s { defaults-from %s destination *:",
			     mon->type, m->name, mon->type);
	if (mon->port)
		r |= aclf_buf_printf(out, "%u", mon->port);
	else
		r |= aclf_buf_putc(out, '*');
	if (mon->interval)
		r |= aclf_buf_printf(out, " interval %u", mon->interval);
	if (mon->timeout)
		r |= aclf_buf_printf(out, " timeout %u", mon->timeout);
	r |= aclf_buf_puts(out, " }\n");
	return r ? -1 : 0;
}

/* The server name goes into the description only when the object name
 * could not carry it (characters tmsh names lack, or a name clash). */
static int render_node(const struct bip_node_plan *n, struct aclf_buf *out)
{
	char a[ACLF_PREFIX_STRLEN];
	int r = 0;

	aclf_prefix_format_addr(&n->addr, a, sizeof(a));
	r |= aclf_buf_printf(out, "create ltm node %s { address %s", n->name, a);
	if (n->server) {
		r |= aclf_buf_puts(out, " description \"" BIGIP_DESC_MAGIC " name=");
		r |= bip_pct_encode(out, n->server, true);
		r |= aclf_buf_putc(out, '"');
	}
	r |= aclf_buf_puts(out, " }\n");
	return r ? -1 : 0;
}

static int render_pool(const struct bip_plan *plan, const struct bip_svc_plan *sp,
		       struct aclf_buf *out)
{
	const struct aclf_lb_service *s = sp->s;
	char a[ACLF_PREFIX_STRLEN];
	int r = 0;

	r |= aclf_buf_printf(out, "create ltm pool %s {", sp->pool);
	if (s->lb_method)
		r |= aclf_buf_printf(out, " load-balancing-mode %s", s->lb_method);
	if (s->nmembers) {
		r |= aclf_buf_puts(out, " members replace-all-with {");
		for (size_t j = 0; j < s->nmembers; j++) {
			const struct bip_node_plan *n = &plan->nodes[sp->member_node[j]];
			aclf_prefix_format_addr(&n->addr, a, sizeof(a));
			r |= aclf_buf_printf(out, " %s:%u { address %s }", n->name,
					     s->members[j].port, a);
		}
		r |= aclf_buf_puts(out, " }");
	}
	if (sp->mon)
		r |= aclf_buf_printf(out, " monitor %s", sp->mon);
	r |= aclf_buf_puts(out, " }\n");
	return r ? -1 : 0;
}

static int render_persist(const struct bip_plan *plan, const struct bip_named *p,
			  struct aclf_buf *out)
{
	const struct aclf_lb_service *s = plan->svcs[p->first].s;
	char mask[ACLF_PREFIX_STRLEN];
	int r = 0;

	bip_format_mask(s->persistence.mask_len, s->vip.family, mask, sizeof(mask));
	r |= aclf_buf_printf(out,
			     "create ltm persistence source-addr %s { defaults-from source_addr "
			     "mask %s",
			     p->name, mask);
	if (s->persistence.timeout)
		r |= aclf_buf_printf(out, " timeout %u", s->persistence.timeout);
	r |= aclf_buf_puts(out, " }\n");
	return r ? -1 : 0;
}

static int render_profile(const struct bip_plan *plan, const struct bip_named *p,
			  struct aclf_buf *out)
{
	const struct aclf_lb_service *s = plan->svcs[p->first].s;
	const char *type = s->protocol == ACLF_PROTO_UDP ? "udp" : "tcp";

	if (s->idle_timeout == UINT_MAX)
		return aclf_buf_printf(out,
				       "create ltm profile %s %s { defaults-from %s idle-timeout "
				       "indefinite }\n",
				       type, p->name, type);
	return aclf_buf_printf(out,
			       "create ltm profile %s %s { defaults-from %s idle-timeout %u }\n",
			       type, p->name, type, s->idle_timeout);
}

/* OneConnect reuses an idle server-side connection only for a client whose
 * source address matches under source-mask: 255.255.255.255 keeps each
 * client's requests on connections of its own. */
static int render_oneconnect(const struct bip_plan *plan, const struct bip_named *p,
			     struct aclf_buf *out)
{
	const struct aclf_lb_service *s = plan->svcs[p->first].s;
	char mask[ACLF_PREFIX_STRLEN];

	bip_format_mask(s->request.reuse_mask_len, s->vip.family, mask, sizeof(mask));
	return aclf_buf_printf(out,
			       "create ltm profile one-connect %s { defaults-from oneconnect "
			       "source-mask %s }\n",
			       p->name, mask);
}

static int render_description(const struct aclf_lb_service *s, struct aclf_buf *out)
{
	int r = 0;

	r |= aclf_buf_puts(out, " description \"" BIGIP_DESC_MAGIC " name=");
	r |= bip_pct_encode(out, s->name, true);
	if (s->pool_name) {
		r |= aclf_buf_puts(out, " pool=");
		r |= bip_pct_encode(out, s->pool_name, true);
	}
	for (size_t k = 0, n = 0; k < s->nprov; k++) {
		/* what parse learnt from a device is not the service's origin */
		if (strcmp(s->prov[k].kind, "device") == 0 || strcmp(s->prov[k].kind, "note") == 0)
			continue;
		r |= aclf_buf_puts(out, n++ ? ";" : " prov=");
		r |= bip_pct_encode(out, s->prov[k].kind, false);
		r |= aclf_buf_putc(out, ':');
		r |= bip_pct_encode(out, s->prov[k].ref, true);
	}
	r |= aclf_buf_putc(out, '"');
	return r ? -1 : 0;
}

static int render_virtual(const struct bip_svc_plan *sp, struct aclf_buf *out)
{
	const struct aclf_lb_service *s = sp->s;
	char mask[ACLF_PREFIX_STRLEN];
	int r = 0;

	r |= aclf_buf_printf(out, "create ltm virtual %s {", sp->vs);
	r |= render_description(s, out);
	r |= aclf_buf_puts(out, " destination ");
	r |= put_dest(out, &s->vip, s->port);
	bip_format_mask(s->vip.len, s->vip.family, mask, sizeof(mask));
	r |= aclf_buf_printf(out, " ip-protocol %s mask %s pool %s",
			     s->protocol == ACLF_PROTO_UDP ? "udp" : "tcp", mask, sp->pool);
	r |= aclf_buf_printf(out, " profiles replace-all-with { %s { }", sp->prof);
	if (sp->oneconnect)
		r |= aclf_buf_printf(out, " http { } %s { }", sp->oneconnect);
	if (s->tls.client_profile)
		r |= aclf_buf_printf(out, " %s { context clientside }", s->tls.client_profile);
	if (s->tls.server_profile)
		r |= aclf_buf_printf(out, " %s { context serverside }", s->tls.server_profile);
	r |= aclf_buf_puts(out, " }");
	if (sp->persist)
		r |= aclf_buf_printf(out, " persist replace-all-with { %s { default yes } }",
				     sp->persist);
	else
		r |= aclf_buf_puts(out, " persist none");
	r |= aclf_buf_printf(out, " source-address-translation { type %s }",
			     s->snat == ACLF_SNAT_AUTOMAP ? "automap" : "none");
	if (s->vlan)
		r |= aclf_buf_printf(out, " vlans replace-all-with { %s } vlans-enabled", s->vlan);
	if (s->disabled) /* only a parsed policy says so: rollback gives it back as it was */
		r |= aclf_buf_puts(out, " disabled");
	r |= aclf_buf_puts(out, " }\n");
	return r ? -1 : 0;
}

int bigip_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err)
{
	struct bip_plan plan;
	size_t start = out->len;
	int r = 0;

	if (dp->nfilters)
		return aclf_err_set(err, ACLF_E_POLICY,
				    "device '%s': the bigip driver carries lb services, not "
				    "filters (%zu given)",
				    dp->name, dp->nfilters);
	if (bip_plan_build(dp, &plan, err) < 0)
		return -1;
	for (size_t i = 0; i < plan.nmons && !r; i++)
		r = render_monitor(&plan, &plan.mons[i], out);
	for (size_t i = 0; i < plan.nnodes && !r; i++)
		r = render_node(&plan.nodes[i], out);
	for (size_t i = 0; i < plan.nsvcs && !r; i++)
		r = render_pool(&plan, &plan.svcs[i], out);
	for (size_t i = 0; i < plan.npersists && !r; i++)
		r = render_persist(&plan, &plan.persists[i], out);
	for (size_t i = 0; i < plan.nprofs && !r; i++)
		r = render_profile(&plan, &plan.profs[i], out);
	for (size_t i = 0; i < plan.nocs && !r; i++)
		r = render_oneconnect(&plan, &plan.ocs[i], out);
	for (size_t i = 0; i < plan.nsvcs && !r; i++)
		r = render_virtual(&plan.svcs[i], out);
	bip_plan_release(&plan);
	if (r) {
		truncate_to(out, start);
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory rendering device '%s'",
				    dp->name);
	}
	return 0;
}

/* ---- delete ------------------------------------------------------------- */

static const char *const del_order[] = {
	"ltm virtual ", "ltm pool ", "ltm node ", "ltm monitor ", "ltm persistence ", "ltm profile ",
};
#define NDEL (sizeof(del_order) / sizeof(del_order[0]))

/* TLS profiles hold the site's certificates: never deleted, whatever
 * their name. */
static const char *const never_deleted[] = { "ltm profile client-ssl ", "ltm profile server-ssl " };

static int del_category(const char *ref)
{
	for (size_t k = 0; k < sizeof(never_deleted) / sizeof(never_deleted[0]); k++)
		if (strncmp(ref, never_deleted[k], strlen(never_deleted[k])) == 0)
			return -1;
	for (size_t c = 0; c < NDEL; c++)
		if (strncmp(ref, del_order[c], strlen(del_order[c])) == 0)
			return (int)c;
	return -1;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "<category>:<name>" for every object render would create. */
static int intended_names(struct bip_plan *plan, struct bip_strset *set)
{
	struct aclf_arena *a = &plan->arena;
	int r = bip_strset_init(set, a, plan->nsvcs * 2 + plan->nnodes + 8);

	for (size_t i = 0; i < plan->nsvcs && r >= 0; i++) {
		r = bip_strset_add(set, aclf_arena_printf(a, "0:%s", plan->svcs[i].vs));
		if (r >= 0)
			r = bip_strset_add(set, aclf_arena_printf(a, "1:%s", plan->svcs[i].pool));
	}
	for (size_t i = 0; i < plan->nnodes && r >= 0; i++)
		r = bip_strset_add(set, aclf_arena_printf(a, "2:%s", plan->nodes[i].name));
	for (size_t i = 0; i < plan->nmons && r >= 0; i++)
		r = bip_strset_add(set, aclf_arena_printf(a, "3:%s", plan->mons[i].name));
	for (size_t i = 0; i < plan->npersists && r >= 0; i++)
		r = bip_strset_add(set, aclf_arena_printf(a, "4:%s", plan->persists[i].name));
	for (size_t i = 0; i < plan->nprofs && r >= 0; i++)
		r = bip_strset_add(set, aclf_arena_printf(a, "5:%s", plan->profs[i].name));
	for (size_t i = 0; i < plan->nocs && r >= 0; i++)
		r = bip_strset_add(set, aclf_arena_printf(a, "5:%s", plan->ocs[i].name));
	return r < 0 ? -1 : 0;
}

struct del_item {
	int cat;
	const char *ref; /* "ltm <type> /Folder/name" */
};

static int del_cmp(const void *a, const void *b)
{
	const struct del_item *x = a, *y = b;

	if (x->cat != y->cat)
		return x->cat < y->cat ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

int bigip_render_delete(const struct aclf_devpol *intended, const struct aclf_devpol *live,
			bool all_owned, struct aclf_buf *out, struct aclf_err *err)
{
	struct bip_plan plan;
	struct aclf_devpol none;
	struct bip_strset want, seen;
	struct del_item *items = NULL;
	size_t n = 0, cap = 0, start = out->len, nrefs = 0;
	int r = 0;

	memset(&none, 0, sizeof(none));
	if (bip_plan_build(intended ? intended : &none, &plan, err) < 0)
		return -1;
	for (size_t i = 0; live && i < live->nlb; i++)
		nrefs += live->lb[i].nprov;
	if (intended_names(&plan, &want) < 0 || bip_strset_init(&seen, &plan.arena, nrefs) < 0)
		goto nomem;
	for (size_t i = 0; live && i < live->nlb; i++) {
		const struct aclf_lb_service *s = &live->lb[i];
		for (size_t k = 0; k < s->nprov; k++) {
			const char *ref = s->prov[k].ref, *sp = strrchr(ref, ' ');
			const char *key;
			int cat, added;
			if (strcmp(s->prov[k].kind, "device") != 0 || !sp)
				continue;
			cat = del_category(ref);
			if (cat < 0 || strncmp(basename_of(sp + 1), BIGIP_PREFIX,
					       strlen(BIGIP_PREFIX)) != 0)
				continue;
			key = aclf_arena_printf(&plan.arena, "%d:%s", cat, basename_of(sp + 1));
			if (!key)
				goto nomem;
			if (!all_owned && bip_strset_has(&want, key))
				continue;
			added = bip_strset_add(&seen, ref);
			if (added < 0)
				goto nomem;
			if (!added)
				continue;
			if (aclf_arena_grow(&plan.arena, (void **)&items, n, &cap, sizeof(*items)) < 0)
				goto nomem;
			items[n].cat = cat;
			items[n].ref = ref;
			n++;
		}
	}
	if (n)
		qsort(items, n, sizeof(*items), del_cmp);
	for (size_t i = 0; i < n && !r; i++)
		r = aclf_buf_printf(out, "delete %s\n", items[i].ref);
	bip_plan_release(&plan);
	if (r) {
		truncate_to(out, start);
		return aclf_err_nomem(err);
	}
	return 0;
nomem:
	bip_plan_release(&plan);
	return aclf_err_nomem(err);
}
