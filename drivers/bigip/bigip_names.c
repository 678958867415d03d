/* The naming plan: which objects render creates for a device policy and
 * what they are called. Render and bigip_render_delete() share it, so the
 * names the delete step keeps are exactly the ones render writes.
 *
 * Names are derived, never stored: per service aclf_<pool_name>_vs and
 * aclf_<pool_name>_pool, where the compiler's pool_name already carries pool
 * and port ("fe-berlin-5061" -> aclf_fe-berlin-5061_vs; without a pool_name
 * aclf_<name>_<port>[_udp][_v6]); monitors, persistence and tcp/udp profiles are named
 * after their settings (aclf_tcp_5061_5_16_mon, aclf_srcaddr_32_1200_persist,
 * aclf_tcp_1800_prof, aclf_oneconnect_32_prof) so services with equal
 * settings share one object;
 * nodes are named after the server (aclf_fe01), else the address, one node
 * per address (BIG-IP refuses two nodes with one address: error 0107003a in
 * F5Networks/f5-ansible #823). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/hash.h"
#include "aclforge/policy.h"
#include "bigip_int.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

char *bip_sanitize(struct aclf_arena *a, const char *s)
{
	char *d = aclf_arena_strdup(a, s ? s : "");

	if (!d)
		return NULL;
	for (char *p = d; *p; p++)
		if (!name_char(*p))
			*p = '_';
	return d;
}

void bip_format_mask(unsigned len, uint8_t family, char *out, size_t outlen)
{
	struct aclf_prefix p;

	memset(&p, 0, sizeof(p));
	p.family = family;
	p.len = (uint8_t)len;
	if (family == 4) {
		aclf_prefix_format_mask(&p, false, out, outlen);
		return;
	}
	for (unsigned i = 0; i < len && i < 128; i++)
		p.addr[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	aclf_prefix_format_addr(&p, out, outlen);
}

/* tmsh reference v13 ltm pool load-balancing-mode values (research notes
 * 2a); "least-connections-member" as real configs spell it. */
static const char *const lb_methods[] = {
	"dynamic-ratio-member", "dynamic-ratio-node", "fastest-app-response", "fastest-node",
	"least-connections-member", "least-connections-node", "least-sessions",
	"observed-member", "observed-node", "predictive-member", "predictive-node",
	"ratio-least-connections-member", "ratio-least-connections-node", "ratio-member",
	"ratio-node", "ratio-session", "round-robin", "weighted-least-connections-member",
	"weighted-least-connections-node",
};

bool bip_lb_method_known(const char *m)
{
	for (size_t i = 0; i < sizeof(lb_methods) / sizeof(lb_methods[0]); i++)
		if (strcmp(m, lb_methods[i]) == 0)
			return true;
	return false;
}

static const char *const monitor_types[] = {
	"tcp", "http", "https", "tcp-half-open", "gateway-icmp", "udp",
};

static bool monitor_type_known(const char *t)
{
	for (size_t i = 0; i < sizeof(monitor_types) / sizeof(monitor_types[0]); i++)
		if (strcmp(t, monitor_types[i]) == 0)
			return true;
	return false;
}

int bip_pct_encode(struct aclf_buf *out, const char *s, bool keep_colon)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool keep = name_char((char)*p) || *p == '/' || *p == '@' || *p == '+' ||
			    (keep_colon && *p == ':');
		if (keep) {
			if (aclf_buf_putc(out, (char)*p) < 0)
				return -1;
		} else if (aclf_buf_putc(out, '%') < 0 || aclf_buf_putc(out, hex[*p >> 4]) < 0 ||
			   aclf_buf_putc(out, hex[*p & 15]) < 0) {
			return -1;
		}
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *bip_pct_decode(struct aclf_arena *a, const char *s, size_t n)
{
	char *d = aclf_arena_alloc(a, n + 1), *o = d;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

int bip_strset_init(struct bip_strset *s, struct aclf_arena *a, size_t expect)
{
	size_t cap = 16;

	while (cap < expect * 2 + 1 && cap < ((size_t)1 << 40))
		cap *= 2;
	s->slot = aclf_arena_alloc(a, cap * sizeof(*s->slot));
	s->cap = s->slot ? cap : 0;
	s->n = 0;
	s->arena = a;
	return s->slot ? 0 : -1;
}

bool bip_strset_has(const struct bip_strset *s, const char *key)
{
	if (!s->cap)
		return false;
	for (size_t i = aclf_hash_str(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->slot[i])
			return false;
		if (strcmp(s->slot[i], key) == 0)
			return true;
	}
}

int bip_strset_add(struct bip_strset *s, const char *key)
{
	if (!key)
		return -1;
	if (bip_strset_has(s, key))
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		struct bip_strset g;
		if (bip_strset_init(&g, s->arena, s->n + 1) < 0)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i])
				bip_strset_add(&g, s->slot[i]);
		*s = g;
	}
	for (size_t i = aclf_hash_str(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->slot[i]) {
			s->slot[i] = key;
			s->n++;
			return 1;
		}
}

void bip_plan_release(struct bip_plan *plan)
{
	aclf_arena_release(&plan->arena);
	memset(plan, 0, sizeof(*plan));
}

static int plan_fail(struct bip_plan *plan, struct aclf_err *err, const char *what)
{
	bip_plan_release(plan);
	return aclf_err_set(err, ACLF_E_NOMEM, "%s", what);
}

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bip_named *)a)->name, ((const struct bip_named *)b)->name);
}

/* Add name to a distinct-name list; *v grows in the plan arena. */
static int named_add(struct bip_plan *plan, struct bip_named **v, size_t *n, size_t *cap,
		     const char *name, size_t first)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0)
			return 0;
	if (aclf_arena_grow(&plan->arena, (void **)v, *n, cap, sizeof(**v)) < 0)
		return -1;
	(*v)[*n].name = name;
	(*v)[*n].first = first;
	(*n)++;
	return 0;
}

struct node_ref {
	struct aclf_prefix addr;
	const char *name; /* first server name given for the address */
	size_t order;
};

static int node_ref_cmp(const void *a, const void *b)
{
	const struct node_ref *x = a, *y = b;
	int c = aclf_prefix_cmp(&x->addr, &y->addr);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}


static int plan_nodes(const struct aclf_devpol *dp, struct bip_plan *plan, struct aclf_err *err)
{
	struct aclf_arena *a = &plan->arena;
	struct node_ref *refs;
	struct bip_strset used;
	size_t nrefs = 0, total = 0;
	char abuf[ACLF_PREFIX_STRLEN];

	for (size_t i = 0; i < dp->nlb; i++)
		total += dp->lb[i].nmembers;
	refs = aclf_arena_alloc(a, (total ? total : 1) * sizeof(*refs));
	plan->nodes = aclf_arena_alloc(a, (total ? total : 1) * sizeof(*plan->nodes));
	if (!refs || !plan->nodes)
		return plan_fail(plan, err, "out of memory");
	for (size_t i = 0; i < dp->nlb; i++)
		for (size_t j = 0; j < dp->lb[i].nmembers; j++) {
			const struct aclf_lb_member *m = &dp->lb[i].members[j];
			if (!aclf_prefix_is_host(&m->address)) {
				aclf_prefix_format(&m->address, abuf, sizeof(abuf));
				bip_plan_release(plan);
				return aclf_err_set(err, ACLF_E_POLICY,
						    "service '%s': member '%s' is not a host address",
						    dp->lb[i].name, abuf);
			}
			refs[nrefs].addr = m->address;
			refs[nrefs].name = m->name && *m->name ? m->name : NULL;
			refs[nrefs].order = nrefs;
			nrefs++;
		}
	if (bip_strset_init(&used, a, nrefs) < 0)
		return plan_fail(plan, err, "out of memory");
	qsort(refs, nrefs, sizeof(*refs), node_ref_cmp);
	for (size_t i = 0; i < nrefs;) {
		size_t j = i;
		const char *sname = NULL;
		char *cand;
		size_t best = SIZE_MAX;

		/* the name of the earliest member (policy order) that has one */
		for (; j < nrefs && aclf_prefix_cmp(&refs[j].addr, &refs[i].addr) == 0; j++)
			if (refs[j].name && refs[j].order < best) {
				best = refs[j].order;
				sname = refs[j].name;
			}
		aclf_prefix_format_addr(&refs[i].addr, abuf, sizeof(abuf));
		cand = aclf_arena_printf(a, BIGIP_PREFIX "%s", sname ? sname : abuf);
		cand = cand ? bip_sanitize(a, cand) : NULL;
		/* a server with an IPv4 and an IPv6 address: aclf_fe01, aclf_fe01_v6 */
		if (cand && sname && bip_strset_has(&used, cand) &&
		    refs[i].addr.family == 6) {
			cand = aclf_arena_printf(a, BIGIP_PREFIX "%s_v6", sname);
			cand = cand ? bip_sanitize(a, cand) : NULL;
		}
		if (cand && sname && bip_strset_has(&used, cand)) {
			cand = aclf_arena_printf(a, BIGIP_PREFIX "%s_%s", sname, abuf);
			cand = cand ? bip_sanitize(a, cand) : NULL;
		}
		if (!cand)
			return plan_fail(plan, err, "out of memory");
		if (bip_strset_has(&used, cand)) {
			/* the name lives in the plan's arena: report before releasing it */
			aclf_err_set(err, ACLF_E_POLICY, "two member addresses map to big-ip node name '%s'", cand);
			bip_plan_release(plan);
			return -1;
		}
		if (bip_strset_add(&used, cand) < 0)
			return plan_fail(plan, err, "out of memory");
		plan->nodes[plan->nnodes].addr = refs[i].addr;
		plan->nodes[plan->nnodes].name = cand;
		plan->nodes[plan->nnodes].server =
			sname && strcmp(cand + strlen(BIGIP_PREFIX), sname) != 0 ? sname : NULL;
		plan->nnodes++;
		i = j;
	}
	return 0;
}

static size_t node_index(const struct bip_plan *plan, const struct aclf_prefix *addr)
{
	size_t lo = 0, hi = plan->nnodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = aclf_prefix_cmp(&plan->nodes[mid].addr, addr);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* A TLS profile by its full tmsh path "/Partition[/folder]/name" (parse
 * reads profile references as full paths, so the two compare as written);
 * each part starts with a letter or '_' and holds letters, digits, '.',
 * '_', '-'. The profile is the site's: a name aclforge would own
 * (BIGIP_PREFIX) is refused. */
const char *bip_check_profile_name(const char *s)
{
	static const char want[] = "a BIG-IP profile path such as /Common/lync-web-clientssl "
				   "(parts of letters, digits, '.', '_', '-', each starting with a "
				   "letter or '_'; not starting " BIGIP_PREFIX ", which aclforge owns)";
	const char *last = s, *p = s;

	if (*p++ != '/' || !*p)
		return want;
	for (const char *part = p; *part;) {
		const char *q = part;
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == '_'))
			return want;
		while (*q && *q != '/')
			if (!name_char(*q++))
				return want;
		last = part;
		if (!*q)
			break;
		if (!q[1])
			return want; /* ends with '/' */
		part = q + 1;
	}
	if (last == p)
		return want; /* "/name": a path needs its partition */
	if (strncmp(last, BIGIP_PREFIX, strlen(BIGIP_PREFIX)) == 0)
		return want;
	return NULL;
}

static bool vlan_name_ok(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!name_char(*v) && *v != '/')
			return false;
	return true;
}

/* Check one service and name its objects. */
static int plan_service(const struct aclf_devpol *dp, size_t i, struct bip_plan *plan,
			struct bip_strset *vs_used, struct aclf_err *err)
{
	const struct aclf_lb_service *s = &dp->lb[i];
	struct bip_svc_plan *sp = &plan->svcs[i];
	struct aclf_arena *a = &plan->arena;
	const char *pool = s->pool_name && *s->pool_name ? s->pool_name : s->name;
	const char *proto = s->protocol == ACLF_PROTO_UDP ? "udp" : "tcp";
	char *base;
	unsigned bits = s->vip.family == 6 ? 128 : 32;

	sp->s = s;
	if (s->protocol != ACLF_PROTO_TCP && s->protocol != ACLF_PROTO_UDP)
		return aclf_err_set(err, ACLF_E_POLICY,
				    "service '%s': big-ip services must be tcp or udp", s->name);
	if (s->vip.family != 4 && s->vip.family != 6)
		return aclf_err_set(err, ACLF_E_POLICY, "service '%s' has no vip", s->name);
	if (!pool || !*pool)
		return aclf_err_set(err, ACLF_E_POLICY, "lb service without a name or pool name");
	if (s->lb_method && !bip_lb_method_known(s->lb_method))
		return aclf_err_set(err, ACLF_E_POLICY,
				    "service '%s': unknown load-balancing-mode '%s'", s->name,
				    s->lb_method);
	if (s->vlan && !vlan_name_ok(s->vlan))
		return aclf_err_set(err, ACLF_E_POLICY, "service '%s': bad vlan name '%s'",
				    s->name, s->vlan);
	/* the compiler's pool_name already names pool, port, protocol and family
	 * ("fe-berlin-5061", "fe-berlin-443-v6"); without one, derive it */
	if (s->pool_name && *s->pool_name)
		base = aclf_arena_printf(a, BIGIP_PREFIX "%s", pool);
	else
		base = aclf_arena_printf(a, BIGIP_PREFIX "%s_%u%s%s", pool, s->port,
					 s->protocol == ACLF_PROTO_UDP ? "_udp" : "",
					 s->vip.family == 6 ? "_v6" : "");
	base = base ? bip_sanitize(a, base) : NULL;
	sp->vs = base ? aclf_arena_printf(a, "%s_vs", base) : NULL;
	sp->pool = base ? aclf_arena_printf(a, "%s_pool", base) : NULL;
	if (!sp->vs || !sp->pool)
		return aclf_err_nomem(err);
	if (bip_strset_has(vs_used, sp->vs)) {
		for (size_t k = 0; k < i; k++)
			if (strcmp(plan->svcs[k].vs, sp->vs) == 0)
				return aclf_err_set(err, ACLF_E_POLICY,
						    "services '%s' and '%s' both map to big-ip "
						    "virtual '%s'",
						    dp->lb[k].name, s->name, sp->vs);
	}
	if (bip_strset_add(vs_used, sp->vs) < 0)
		return aclf_err_nomem(err);

	if (s->monitor.type) {
		const struct aclf_lb_monitor *m = &s->monitor;
		char port[8];
		if (!monitor_type_known(m->type))
			return aclf_err_set(err, ACLF_E_POLICY,
					    "service '%s': unknown monitor type '%s'", s->name,
					    m->type);
		/* BIG-IP v13 enforces interval < timeout (f5devcentral/f5-cccl #208) */
		if (m->interval && m->timeout && m->interval >= m->timeout)
			return aclf_err_set(err, ACLF_E_POLICY,
					    "service '%s': monitor interval %u must be less than "
					    "timeout %u",
					    s->name, m->interval, m->timeout);
		snprintf(port, sizeof(port), "%u", m->port);
		sp->mon = (m->interval || m->timeout)
				  ? aclf_arena_printf(a, BIGIP_PREFIX "%s_%s_%u_%u_mon", m->type,
						      m->port ? port : "any", m->interval, m->timeout)
				  : aclf_arena_printf(a, BIGIP_PREFIX "%s_%s_mon", m->type,
						      m->port ? port : "any");
		sp->mon = sp->mon ? bip_sanitize(a, sp->mon) : NULL;
		if (!sp->mon)
			return aclf_err_nomem(err);
	}

	switch (s->persistence.kind) {
	case ACLF_PERSIST_NONE:
		break;
	case ACLF_PERSIST_COOKIE:
		return aclf_err_set(err, ACLF_E_POLICY,
				    "service '%s': cookie persistence needs an http profile and "
				    "ssl termination, which the bigip driver does not render",
				    s->name);
	case ACLF_PERSIST_SOURCE_ADDR:
		/* mask none makes every client persist to one member
		 * (sapcc/octavia-f5-provider-driver #220): always explicit */
		if (s->persistence.mask_len == 0 || s->persistence.mask_len > bits)
			return aclf_err_set(err, ACLF_E_POLICY,
					    "service '%s': source-addr persistence needs a mask "
					    "length 1..%u (%u = per client)",
					    s->name, bits, bits);
		sp->persist = s->persistence.timeout
				      ? aclf_arena_printf(a, BIGIP_PREFIX "srcaddr%s_%u_%u_persist",
							  bits == 128 ? "6" : "",
							  s->persistence.mask_len,
							  s->persistence.timeout)
				      : aclf_arena_printf(a, BIGIP_PREFIX "srcaddr%s_%u_persist",
							  bits == 128 ? "6" : "",
							  s->persistence.mask_len);
		if (!sp->persist)
			return aclf_err_nomem(err);
		break;
	}

	if (s->request.enabled) {
		if (s->protocol != ACLF_PROTO_TCP)
			return aclf_err_set(err, ACLF_E_POLICY,
					    "service '%s': request-level balancing needs tcp",
					    s->name);
		if (s->request.reuse_mask_len > bits)
			return aclf_err_set(err, ACLF_E_POLICY,
					    "service '%s': connection reuse mask length %u is more "
					    "than %u",
					    s->name, s->request.reuse_mask_len, bits);
		if (s->request.reuse_mask_len == 0) {
			sp->oneconnect = "oneconnect";
			sp->oc_builtin = true;
		} else {
			sp->oneconnect = aclf_arena_printf(a, BIGIP_PREFIX "oneconnect%s_%u_prof",
							   bits == 128 ? "6" : "",
							   s->request.reuse_mask_len);
			if (!sp->oneconnect)
				return aclf_err_nomem(err);
		}
	}

	/* TLS profiles are the site's: referenced by name, never created */
	if ((s->tls.client_profile || s->tls.server_profile) && s->protocol != ACLF_PROTO_TCP)
		return aclf_err_set(err, ACLF_E_POLICY, "service '%s': TLS termination needs tcp",
				    s->name);
	for (int k = 0; k < 2; k++) {
		const char *t = k ? s->tls.server_profile : s->tls.client_profile;
		const char *want = t ? bip_check_profile_name(t) : NULL;
		if (want)
			return aclf_err_set(err, ACLF_E_POLICY, "service '%s': TLS profile '%s': "
					    "expected %s", s->name, t, want);
	}

	if (s->idle_timeout == 0) {
		sp->prof = proto;
		sp->prof_builtin = true;
	} else if (s->idle_timeout == UINT_MAX) {
		sp->prof = aclf_arena_printf(a, BIGIP_PREFIX "%s_indefinite_prof", proto);
	} else {
		sp->prof = aclf_arena_printf(a, BIGIP_PREFIX "%s_%u_prof", proto, s->idle_timeout);
	}
	if (!sp->prof)
		return aclf_err_nomem(err);

	sp->member_node = aclf_arena_alloc(a, (s->nmembers ? s->nmembers : 1) * sizeof(size_t));
	if (!sp->member_node)
		return aclf_err_nomem(err);
	for (size_t j = 0; j < s->nmembers; j++) {
		sp->member_node[j] = node_index(plan, &s->members[j].address);
		for (size_t k = 0; k < j; k++)
			if (aclf_prefix_cmp(&s->members[k].address, &s->members[j].address) == 0 &&
			    s->members[k].port == s->members[j].port)
				return aclf_err_set(err, ACLF_E_POLICY,
						    "service '%s': member listed twice", s->name);
	}
	return 0;
}

int bip_plan_build(const struct aclf_devpol *dp, struct bip_plan *plan, struct aclf_err *err)
{
	size_t mcap = 0, pcap = 0, fcap = 0, ocap = 0;
	struct bip_strset vs_used;

	memset(plan, 0, sizeof(*plan));
	aclf_arena_init(&plan->arena);
	if (plan_nodes(dp, plan, err) < 0)
		return -1;
	plan->svcs = aclf_arena_alloc(&plan->arena, (dp->nlb ? dp->nlb : 1) * sizeof(*plan->svcs));
	if (!plan->svcs)
		return plan_fail(plan, err, "out of memory");
	plan->nsvcs = dp->nlb;
	if (bip_strset_init(&vs_used, &plan->arena, dp->nlb) < 0)
		return plan_fail(plan, err, "out of memory");
	for (size_t i = 0; i < dp->nlb; i++)
		if (plan_service(dp, i, plan, &vs_used, err) < 0) {
			bip_plan_release(plan);
			return -1;
		}
	/* distinct, sorted object lists */
	for (size_t i = 0; i < plan->nsvcs; i++) {
		struct bip_svc_plan *sp = &plan->svcs[i];
		if ((sp->mon && named_add(plan, &plan->mons, &plan->nmons, &mcap, sp->mon, i) < 0) ||
		    (sp->persist &&
		     named_add(plan, &plan->persists, &plan->npersists, &pcap, sp->persist, i) < 0) ||
		    (!sp->prof_builtin &&
		     named_add(plan, &plan->profs, &plan->nprofs, &fcap, sp->prof, i) < 0) ||
		    (sp->oneconnect && !sp->oc_builtin &&
		     named_add(plan, &plan->ocs, &plan->nocs, &ocap, sp->oneconnect, i) < 0))
			return plan_fail(plan, err, "out of memory");
	}
	if (plan->nmons)
		qsort(plan->mons, plan->nmons, sizeof(*plan->mons), named_cmp);
	if (plan->npersists)
		qsort(plan->persists, plan->npersists, sizeof(*plan->persists), named_cmp);
	if (plan->nprofs)
		qsort(plan->profs, plan->nprofs, sizeof(*plan->profs), named_cmp);
	if (plan->nocs)
		qsort(plan->ocs, plan->nocs, sizeof(*plan->ocs), named_cmp);
	return 0;
}
