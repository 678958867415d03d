/* The compiler on the bundled examples, checked by meaning: packets the
 * seed asks for are permitted by every device that protects their
 * destination, others are not, every rule traces to its source, and the
 * output is deterministic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/topology.h"

struct world {
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_buf warn;
	struct aclf_warnings items;
};

/* Compile with warnings as items, and their text appended to warn. */
static struct aclf_policy *compile_warned(const struct aclf_catalog *c, const struct aclf_topology *t,
					  struct aclf_buf *warn, struct aclf_warnings *items,
					  struct aclf_err *err)
{
	struct aclf_policy *p = aclf_compile(c, t, NULL, items, err);

	assert_int_equal(aclf_warnings_text(items, warn), 0);
	return p;
}

static void load(struct world *w, const char *example)
{
	char path[4096];
	const char *src = getenv("ACLF_SRCDIR");
	struct aclf_err err;
	char *cpath[4];

	aclf_err_init(&err);
	snprintf(path, sizeof(path), "%s/inventory/examples/%s", src ? src : ".", example);
	w->t = aclf_topology_load(path, &err);
	if (!w->t)
		fail_msg("%s", aclf_err_text(&err));
	/* the topology's catalogs, the seed's and the extras */
	assert_true(w->t->ncatalogs <= 4);
	for (size_t i = 0; i < w->t->ncatalogs; i++)
		assert_non_null(cpath[i] = aclf_catalog_resolve(w->t->catalogs[i], path));
	w->c = aclf_catalog_load_list((const char *const *)cpath, w->t->ncatalogs, &err);
	for (size_t i = 0; i < w->t->ncatalogs; i++)
		free(cpath[i]);
	if (!w->c)
		fail_msg("%s", aclf_err_text(&err));
	aclf_buf_init(&w->warn, 0);
	aclf_warnings_init(&w->items);
	w->p = aclf_compile(w->c, w->t, NULL, &w->items, &err);
	if (!w->p)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(aclf_warnings_text(&w->items, &w->warn), 0);
	aclf_err_release(&err);
}

static void unload(struct world *w)
{
	aclf_policy_free(w->p);
	aclf_catalog_free(w->c);
	aclf_topology_free(w->t);
	aclf_buf_release(&w->warn);
	aclf_warnings_release(&w->items);
}

static struct aclf_prefix host(const char *s)
{
	struct aclf_prefix p;

	assert_int_equal(aclf_prefix_parse(s, &p, false), 0);
	return p;
}

/* A usable host inside a prefix: the first address after the network one
 * (or the address itself for host prefixes). */
static struct aclf_prefix sample(const struct aclf_prefix *p)
{
	struct aclf_prefix h;
	aclf_u128 a = aclf_prefix_first(p);

	if (!aclf_prefix_is_host(p))
		a += 1;
	aclf_prefix_from_u128(p->family, a, p->family == 4 ? 32 : 128, &h);
	return h;
}

/* Every filter (across devices) whose protects entry covers dst decides the
 * packet; returns how many filters saw it, and fails the test if any of them
 * decides differently from `want`. */
static bool has_prov(const struct aclf_prov *v, size_t n, const char *kind, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].kind, kind) && (!ref || !strcmp(v[i].ref, ref)))
			return true;
	return false;
}

static bool site_may_override;

static int expect(struct world *w, const struct aclf_prefix *src, const struct aclf_prefix *dst, int proto,
		  uint16_t sport, uint16_t dport, bool est, enum aclf_action want, const char *what)
{
	int seen = 0;

	for (size_t d = 0; d < w->t->ndevices; d++) {
		const struct aclf_device *dev = &w->t->devices[d];
		const struct aclf_devpol *dp = aclf_policy_find_device(w->p, dev->name);
		assert_non_null(dp);
		for (size_t i = 0; i < dev->nprotects; i++) {
			struct aclf_arena a;
			struct aclf_prefix_set prot;
			struct aclf_err err;
			const struct aclf_filter *f;
			long k;
			enum aclf_action got;

			aclf_arena_init(&a);
			aclf_err_init(&err);
			assert_int_equal(aclf_compile_protected(w->t, dev, i, &a, &prot, &err), 0);
			if (!aclf_pset_contains_addr(&prot, dst)) {
				aclf_arena_release(&a);
				continue;
			}
			aclf_arena_release(&a);
			assert_true(i < dp->nfilters);
			f = &dp->filters[i];
			k = aclf_filter_decide(f, src, dst, proto, sport, dport, est);
			got = k < 0 ? f->default_action : f->rules[k].action;
			if (got != want && site_may_override && k >= 0 &&
			    has_prov(f->rules[k].prov, f->rules[k].nprov, "topology-rule", NULL))
				got = want; /* the site's own rule decides first, by design */
			if (got != want) {
				char s[64], t[64];
				aclf_prefix_format_addr(src, s, sizeof(s));
				aclf_prefix_format_addr(dst, t, sizeof(t));
				fail_msg("%s: %s filter %s: %s proto %d %s:%u -> %s:%u%s decided %s by %s, expected %s", what,
					 dev->name, f->name, aclf_action_name(got), proto, s, sport, t, dport,
					 est ? " est" : "", aclf_action_name(got), k < 0 ? "default" : f->rules[k].id,
					 aclf_action_name(want));
			}
			seen++;
		}
	}
	return seen;
}

static const struct aclf_pool *pool(struct world *w, const char *name)
{
	const struct aclf_pool *p = aclf_topology_pool(w->t, name);

	assert_non_null(p);
	return p;
}

static void test_seed_flows_small(void **state)
{
	struct world w = { 0 };
	const struct aclf_pool *fe, *dir, *med;
	struct aclf_prefix client = host("10.20.1.50"), gw = host("10.40.0.10");

	(void)state;
	load(&w, "small.yaml");
	fe = pool(&w, "fe-berlin");
	dir = pool(&w, "dir-berlin");
	med = pool(&w, "med-berlin");
	for (size_t i = 0; i < fe->nservers; i++) {
		const struct aclf_prefix *s = &fe->servers[i].addrs.v[0];
		/* clients reach every front end server on TCP 5061 and 443: the IOS
		 * core sees it (the servers run Windows and its firewall) */
		assert_int_equal(expect(&w, &client, s, 6, 50000, 5061, false, ACLF_PERMIT, "client 5061"), 1);
		assert_int_equal(expect(&w, &client, s, 6, 50000, 443, false, ACLF_PERMIT, "client 443"), 1);
		/* not what the seed does not ask for */
		expect(&w, &client, s, 6, 50000, 1433, false, ACLF_DENY, "client 1433");
		expect(&w, &client, s, 17, 50000, 5061, false, ACLF_DENY, "client udp 5061");
		/* no collocated mediation in the small site: gateways don't reach front ends */
		expect(&w, &gw, s, 6, 50000, 5067, false, ACLF_DENY, "gateway to front end");
	}
	for (size_t i = 0; i < med->nservers; i++) {
		const struct aclf_prefix *m = &med->servers[i].addrs.v[0];
		assert_int_equal(expect(&w, &gw, m, 6, 50000, 5067, false, ACLF_PERMIT, "gateway 5067"), 1);
		assert_int_equal(expect(&w, &gw, m, 6, 50000, 5068, false, ACLF_PERMIT, "gateway 5068"), 1);
		/* the gateway's answer to a call the mediation server placed */
		assert_int_equal(expect(&w, &gw, m, 6, 5067, 60000, true, ACLF_PERMIT, "gateway answers 5067"), 1);
		expect(&w, &gw, m, 6, 5067, 60000, false, ACLF_DENY, "gateway opens from 5067");
		for (size_t k = 0; k < fe->nservers; k++)
			assert_int_equal(expect(&w, &fe->servers[k].addrs.v[0], m, 6, 50000, 5070, false, ACLF_PERMIT,
						"front end to mediation 5070"), 1);
		expect(&w, &client, m, 6, 50000, 5070, false, ACLF_DENY, "client to mediation 5070");
	}
	for (size_t i = 0; i < dir->nservers; i++) {
		const struct aclf_prefix *d = &dir->servers[i].addrs.v[0];
		for (size_t k = 0; k < fe->nservers; k++) {
			const struct aclf_prefix *f = &fe->servers[k].addrs.v[0];
			/* the Junos firewall sees FE -> director, the IOS core back */
			assert_int_equal(expect(&w, f, d, 6, 50000, 444, false, ACLF_PERMIT, "fe to director 444"), 1);
			assert_int_equal(expect(&w, d, f, 6, 50000, 444, false, ACLF_PERMIT, "director to fe 444"), 1);
		}
	}
	unload(&w);
}

static void test_return_paths_and_media(void **state)
{
	struct world w = { 0 };
	struct aclf_prefix client = host("10.20.1.50"), fe01 = host("10.1.1.11");

	(void)state;
	load(&w, "small.yaml");
	/* stateless IOS on the client VLAN: the answer of fe01:5061 gets back,
	 * a new connection from fe01's port 5061 to a client port does not */
	assert_true(expect(&w, &fe01, &client, 6, 5061, 50123, true, ACLF_PERMIT, "return 5061") >= 1);
	expect(&w, &fe01, &client, 6, 5061, 80, false, ACLF_DENY, "syn from 5061");
	/* client media ports narrowed by the client media port settings (audio 50020+20) */
	/* (source port 3000: not in a server media range, whose UDP answers the
	 * stateless device lets back to any client port) */
	expect(&w, &fe01, &client, 17, 3000, 50020, false, ACLF_PERMIT, "audio to client");
	expect(&w, &fe01, &client, 17, 3000, 50039, false, ACLF_PERMIT, "audio to client, last port");
	expect(&w, &fe01, &client, 17, 3000, 50040, false, ACLF_DENY, "audio outside the range");
	expect(&w, &fe01, &client, 17, 3000, 1024, false, ACLF_DENY, "the seed's default 1024-65535 is narrowed");
	/* UDP answers go back to the client's media ports only, never to every
	 * port of the client */
	expect(&w, &fe01, &client, 17, 49200, 50020, false, ACLF_PERMIT, "answer from the server media range");
	expect(&w, &fe01, &client, 17, 49200, 1024, false, ACLF_DENY, "answer to a port the client never sent from");
	/* and the same towards the server: a client's media source port opens
	 * no other UDP port of the front end (SNMP here) */
	expect(&w, &client, &fe01, 17, 50020, 161, false, ACLF_DENY, "client media port to fe udp/161");
	unload(&w);
}


static void check_traced(struct world *w)
{
	for (size_t d = 0; d < w->p->ndevices; d++) {
		const struct aclf_devpol *dp = &w->p->devices[d];
		for (size_t f = 0; f < dp->nfilters; f++)
			for (size_t r = 0; r < dp->filters[f].nrules; r++) {
				const struct aclf_rule *rule = &dp->filters[f].rules[r];
				bool cat = has_prov(rule->prov, rule->nprov, "catalog", NULL);
				bool site = has_prov(rule->prov, rule->nprov, "topology-rule", NULL);
				/* the one rule of our own: ICMPv6 (neighbor discovery) where IPv6 is guarded */
				bool nd = has_prov(rule->prov, rule->nprov, "builtin", "ipv6-icmp") &&
					  rule->protocol == ACLF_PROTO_ICMP6;
				/* and those for the devices around: management, load-balancer self IPs */
				bool dev = (has_prov(rule->prov, rule->nprov, "builtin", "management") ||
					    has_prov(rule->prov, rule->nprov, "builtin", "load-balancer-self-ips")) &&
					   has_prov(rule->prov, rule->nprov, "device", NULL);
				if (!cat && !site && !nd && !dev)
					fail_msg("%s %s %s has no catalog row or topology rule", dp->name,
						 dp->filters[f].name, rule->id);
				for (size_t k = 0; k < rule->nprov; k++)
					if (!strcmp(rule->prov[k].kind, "catalog"))
						assert_non_null(aclf_catalog_find(w->c, rule->prov[k].ref));
			}
		/* a catalog row, or the external web services VIP of a pool */
		for (size_t s = 0; s < dp->nlb; s++)
			assert_true(has_prov(dp->lb[s].prov, dp->lb[s].nprov, "catalog", NULL) ||
				    (has_prov(dp->lb[s].prov, dp->lb[s].nprov, "builtin", "external-web") &&
				     has_prov(dp->lb[s].prov, dp->lb[s].nprov, "pool", NULL)));
	}
}

static void test_every_rule_traced(void **state)
{
	struct world w = { 0 };

	(void)state;
	load(&w, "small.yaml");
	check_traced(&w);
	unload(&w);
	load(&w, "two-site.yaml");
	check_traced(&w);
	unload(&w);
}

/* Independent reading of the catalog roles (the seed's "Serverrolle"). */
static bool pool_serves(const struct aclf_pool *p, const char *role)
{
	if (!strcmp(role, "all-servers"))
		return p->role != ACLF_ROLE_OFFICE_WEB_APPS;
	if (!strcmp(role, "audio-servers"))
		return p->role == ACLF_ROLE_FRONT_END || p->role == ACLF_ROLE_MEDIATION;
	if (!strcmp(role, "front-end"))
		return p->role == ACLF_ROLE_FRONT_END;
	if (!strcmp(role, "front-end-collocated-mediation"))
		return p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation;
	if (!strcmp(role, "front-end-cms"))
		return p->role == ACLF_ROLE_FRONT_END && p->cms;
	if (!strcmp(role, "director"))
		return p->role == ACLF_ROLE_DIRECTOR;
	if (!strcmp(role, "mediation"))
		return p->role == ACLF_ROLE_MEDIATION;
	if (!strcmp(role, "persistent-chat"))
		return p->role == ACLF_ROLE_PERSISTENT_CHAT;
	if (!strcmp(role, "office-web-apps"))
		return p->role == ACLF_ROLE_OFFICE_WEB_APPS;
	return false;
}

/* A sender address for a peer class, or false when the topology has none. */
static bool sender(struct world *w, const char *cls, struct aclf_prefix *out)
{
	static const struct {
		const char *cls;
		enum aclf_role role;
	} pools[] = {
		{ "front-end", ACLF_ROLE_FRONT_END }, { "director", ACLF_ROLE_DIRECTOR },
		{ "mediation", ACLF_ROLE_MEDIATION }, { "persistent-chat", ACLF_ROLE_PERSISTENT_CHAT },
		{ "office-web-apps", ACLF_ROLE_OFFICE_WEB_APPS }, { "edge-internal", ACLF_ROLE_EDGE_INTERNAL },
		{ "all-internal-servers", ACLF_ROLE_FRONT_END }, { "front-end-cms", ACLF_ROLE_FRONT_END },
	};
	for (size_t i = 0; i < sizeof(pools) / sizeof(pools[0]); i++) {
		if (strcmp(cls, pools[i].cls) != 0)
			continue;
		for (size_t p = 0; p < w->t->npools; p++) {
			const struct aclf_pool *pl = &w->t->pools[p];
			if (pl->role == pools[i].role && pl->nservers && (strcmp(cls, "front-end-cms") || pl->cms)) {
				*out = pl->servers[0].addrs.v[0];
				return true;
			}
		}
		return false;
	}
	for (size_t n = 0; n < w->t->nnetworks; n++)
		if (!strcmp(w->t->networks[n].kind, cls)) {
			*out = sample(&w->t->networks[n].prefixes.v[0]);
			return true;
		}
	return false;
}

static uint16_t media_port(struct world *w, const struct aclf_cat_row *row)
{
	const struct aclf_media_ports *m = &w->t->media;

	if (!row->media || !m->enabled)
		return row->ports.v[0].lo;
	if (!strcmp(row->media, "audio"))
		return m->audio.start;
	if (!strcmp(row->media, "video"))
		return m->video.start;
	if (!strcmp(row->media, "app_sharing"))
		return m->app_sharing.start;
	return m->file_transfer.start;
}

/* Every inbound server/client row that applies to the topology is permitted
 * on every device that protects its destination, and the deciding rule names
 * the row. */
/* Does the gateway at src talk to pool p? Only mediation pools (or front
 * ends with collocated mediation) and only their own gateways: those
 * listed, else those of the pool's site. */
static bool gateway_reaches(struct world *w, const struct aclf_prefix *src, const struct aclf_pool *p)
{
	const struct aclf_network *nw = NULL;

	if (p->role != ACLF_ROLE_MEDIATION && !(p->role == ACLF_ROLE_FRONT_END && p->collocated_mediation))
		return false;
	for (size_t i = 0; i < w->t->nnetworks && !nw; i++)
		if (aclf_pset_contains_addr(&w->t->networks[i].prefixes, src))
			nw = &w->t->networks[i];
	assert_non_null(nw);
	if (p->ngateways) {
		for (size_t i = 0; i < p->ngateways; i++)
			if (!strcmp(p->gateways[i], nw->name))
				return true;
		return false;
	}
	return !nw->site || !p->site || !strcmp(nw->site, p->site);
}

static void check_coverage(struct world *w, int *checked)
{
	for (size_t i = 0; i < w->c->nrows; i++) {
		const struct aclf_cat_row *row = &w->c->rows[i];
		if (row->empty || (row->optional && !w->t->allow_optional_5060) || row->direction != ACLF_CAT_INBOUND ||
		    (row->table != ACLF_TABLE_SERVER && row->table != ACLF_TABLE_CLIENT))
			continue;
		for (size_t f = 0; f < row->nfrom; f++) {
			struct aclf_prefix src;
			if (!strcmp(row->from[f].source, "local") || !sender(w, row->from[f].source, &src))
				continue;
			/* destinations: pools serving the role, or client networks */
			for (size_t p = 0; p < w->t->npools + w->t->nnetworks; p++) {
				struct aclf_prefix dst;
				uint16_t port = media_port(w, row);
				if (p < w->t->npools) {
					if (row->table != ACLF_TABLE_SERVER || !pool_serves(&w->t->pools[p], row->role))
						continue;
					dst = w->t->pools[p].servers[0].addrs.v[0];
				} else {
					const struct aclf_network *n = &w->t->networks[p - w->t->npools];
					if (row->table != ACLF_TABLE_CLIENT || strcmp(n->kind, row->role))
						continue;
					dst = sample(&n->prefixes.v[0]);
				}
				if (dst.family != src.family || aclf_prefix_cmp(&dst, &src) == 0)
					continue;
				for (int proto = 6; proto <= 17; proto += 11) {
					enum aclf_action want = ACLF_PERMIT;
					if (!(row->protocols & (proto == 6 ? ACLF_CAT_TCP : ACLF_CAT_UDP)))
						continue;
					if (!strcmp(row->from[f].source, "pstn-gateway") && p < w->t->npools &&
					    !gateway_reaches(w, &src, &w->t->pools[p]))
						want = ACLF_DENY;
					*checked += expect(w, &src, &dst, proto, 50000, port, false, want, row->id);
				}
			}
		}
	}
}

static void test_no_applicable_row_left(void **state)
{
	struct world w = { 0 };
	int checked = 0;

	(void)state;
	load(&w, "small.yaml");
	check_coverage(&w, &checked);
	unload(&w);
	assert_true(checked > 60);
	checked = 0;
	load(&w, "two-site.yaml");
	site_may_override = true; /* two-site.yaml's own deny keeps phones off persistent chat */
	check_coverage(&w, &checked);
	site_may_override = false;
	unload(&w);
	assert_true(checked > 60);
}

static void test_lb_modes(void **state)
{
	struct world w = { 0 };
	int dns_services = 0, hw_services = 0;

	(void)state;
	load(&w, "two-site.yaml");
	for (size_t d = 0; d < w.p->ndevices; d++) {
		const struct aclf_devpol *dp = &w.p->devices[d];
		for (size_t s = 0; s < dp->nlb; s++) {
			const struct aclf_lb_service *sv = &dp->lb[s];
			const struct aclf_pool *pl = NULL;
			const struct aclf_site *site;
			for (size_t k = 0; k < sv->nprov; k++)
				if (!strcmp(sv->prov[k].kind, "pool"))
					pl = aclf_topology_pool(w.t, sv->prov[k].ref);
			assert_non_null(pl);
			site = aclf_topology_site(w.t, pl->site);
			assert_non_null(site);
			if (site->load_balancing == ACLF_LB_DNS) {
				/* with DNS load balancing only the web ports are on the HLB */
				if (sv->port != 80 && sv->port != 443 && sv->port != 8080 && sv->port != 4443)
					fail_msg("%s: port %u on a DNS-load-balanced pool", sv->name, sv->port);
				dns_services++;
			} else {
				hw_services++;
			}
			assert_int_equal(sv->idle_timeout, 1800);
			assert_true(sv->nmembers >= 1);
			assert_string_equal(sv->monitor.type, "tcp");
			if (sv->port == 4443 || sv->port == 8080 ||
			    has_prov(sv->prov, sv->nprov, "builtin", "external-web"))
				assert_int_equal(sv->persistence.kind, ACLF_PERSIST_NONE);
			else
				assert_int_equal(sv->persistence.kind, ACLF_PERSIST_SOURCE_ADDR);
		}
	}
	assert_true(dns_services > 0);
	assert_true(hw_services > dns_services);
	unload(&w);
}

static void test_hlb_small(void **state)
{
	struct world w = { 0 };
	const struct aclf_devpol *lb;
	static const uint16_t fe_ports[] = { 5061, 444, 135, 80, 8080, 443, 4443, 5072, 5073,
					     5075, 5076, 5071, 5080, 448 };
	struct aclf_prefix fevip = host("10.1.1.10"), medvip = host("10.1.3.10");

	(void)state;
	load(&w, "small.yaml");
	lb = aclf_policy_find_device(w.p, "lb1");
	assert_non_null(lb);
	for (size_t i = 0; i < sizeof(fe_ports) / sizeof(fe_ports[0]); i++) {
		bool found = false;
		for (size_t s = 0; s < lb->nlb; s++)
			if (lb->lb[s].port == fe_ports[i] && aclf_prefix_cmp(&lb->lb[s].vip, &fevip) == 0) {
				assert_int_equal(lb->lb[s].nmembers, 3);
				assert_int_equal(lb->lb[s].monitor.port, 5061);
				found = true;
			}
		if (!found)
			fail_msg("front end HLB port %u missing", fe_ports[i]);
	}
	for (size_t s = 0; s < lb->nlb; s++)
		if (aclf_prefix_cmp(&lb->lb[s].vip, &medvip) == 0)
			assert_int_equal(lb->lb[s].port, 5070);
	unload(&w);
}

static const struct aclf_lb_service *find_lb(const struct aclf_devpol *lb, const char *vip, uint16_t port)
{
	struct aclf_prefix a = host(vip);

	for (size_t s = 0; s < lb->nlb; s++)
		if (lb->lb[s].port == port && aclf_prefix_cmp(&lb->lb[s].vip, &a) == 0)
			return &lb->lb[s];
	return NULL;
}

/* The external web services VIP: 443 -> 4443 and 80 -> 8080, no affinity,
 * monitored on the front end's 5061; request-level balancing (reuse per
 * client address) where the balancer reads HTTP: plain HTTP, and HTTPS
 * where it terminates TLS with the profiles the small example names (lb1's
 * for the front end pool, the director pool's own; the external VIP with
 * the external certificate's profile). */
static void test_external_web_vip(void **state)
{
	static const struct {
		const char *vip;
		uint16_t port, member_port;
		bool request;
		const char *client; /* NULL: TLS not terminated */
	} want[] = {
		{ "10.1.1.20", 443, 4443, true, "/Common/lync-fe-ext-clientssl" },
		{ "10.1.1.20", 80, 8080, true, NULL },
		{ "10.1.2.20", 443, 4443, true, "/Common/lync-dir-ext-clientssl" },
		{ "10.1.2.20", 80, 8080, true, NULL },
		{ "10.1.1.10", 80, 80, true, NULL },
		{ "10.1.1.10", 8080, 8080, true, NULL },
		{ "10.1.1.10", 443, 443, true, "/Common/lync-fe-int-clientssl" },
		{ "10.1.1.10", 4443, 4443, true, "/Common/lync-fe-int-clientssl" },
		{ "10.1.2.10", 443, 443, true, "/Common/lync-dir-int-clientssl" },
		{ "10.1.1.10", 5061, 5061, false, NULL },
		{ "10.1.1.10", 444, 444, false, NULL },
	};
	struct world w = { 0 };
	const struct aclf_devpol *lb;

	(void)state;
	load(&w, "small.yaml");
	lb = aclf_policy_find_device(w.p, "lb1");
	assert_non_null(lb);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct aclf_lb_service *s = find_lb(lb, want[i].vip, want[i].port);
		if (!s)
			fail_msg("no service %s:%u", want[i].vip, want[i].port);
		assert_true(s->nmembers >= 2);
		for (size_t m = 0; m < s->nmembers; m++)
			assert_int_equal(s->members[m].port, want[i].member_port);
		assert_int_equal(s->request.enabled, want[i].request);
		if (want[i].request)
			assert_int_equal(s->request.reuse_mask_len, 32);
		if (want[i].client) {
			assert_non_null(s->tls.client_profile);
			assert_string_equal(s->tls.client_profile, want[i].client);
			assert_string_equal(s->tls.server_profile, "/Common/serverssl");
		} else {
			assert_null(s->tls.client_profile);
			assert_null(s->tls.server_profile);
		}
		assert_string_equal(s->monitor.type, "tcp");
		assert_int_equal(s->monitor.port, 5061);
		if (want[i].member_port != want[i].port)
			assert_int_equal(s->persistence.kind, ACLF_PERSIST_NONE);
	}
	/* the mediation pool has no web services */
	assert_false(find_lb(lb, "10.1.3.10", 5070)->request.enabled);
	assert_null(find_lb(lb, "10.1.3.10", 5070)->tls.client_profile);
	/* every HTTPS web service is terminated: nothing to warn about */
	assert_null(strstr(w.warn.buf, "balance per connection"));
	unload(&w);
}

/* With the seed's table alone a director's HLB ports are 443, 444, 5061
 * and 4443: its external web services VIP still sends 80 on to the
 * servers' 8080, so the filter in front of them lets the self IPs reach
 * 8080 too; other ports stay closed to them. */
static void test_external_web_member_ports(void **state)
{
	static const char yaml[] =
		"catalog: lync2013-internal\nsite: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  dir:\n    role: director\n    fqdn: dir.example.net\n    vip: 10.1.2.10\n"
		"    external_web_vip: 10.1.2.20\n    servers: {dir01: 10.1.2.11, dir02: 10.1.2.12}\n"
		"devices:\n"
		"  sw:\n    driver: ios\n    host: 10.0.0.1\n"
		"    protects: [{pools: [dir], interface: Vlan120, direction: out}]\n"
		"  lb:\n    driver: bigip\n    host: 10.0.0.5\n    balances: [dir]\n    self_ips: [10.1.9.5]\n";
	static const struct {
		uint16_t port;
		enum aclf_action want;
	} cases[] = { { 8080, ACLF_PERMIT }, { 4443, ACLF_PERMIT }, { 5061, ACLF_PERMIT },
		      { 1433, ACLF_DENY }, { 8081, ACLF_DENY } };
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_buf warn = ACLF_BUF_INIT;
	struct aclf_warnings items;
	struct aclf_prefix self = host("10.1.9.5"), dir01 = host("10.1.2.11");
	const struct aclf_devpol *sw, *lb;
	char *cpath;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&warn, 0);
	t = aclf_topology_load_mem(yaml, sizeof(yaml) - 1, "ext.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(c);
	aclf_warnings_init(&items);
	p = compile_warned(c, t, &warn, &items, &err);
	if (!p)
		fail_msg("%s", aclf_err_text(&err));
	sw = aclf_policy_find_device(p, "sw");
	lb = aclf_policy_find_device(p, "lb");
	assert_non_null(sw);
	assert_non_null(lb);
	/* no seed row puts 8080 on a director's VIP: only the external one has it */
	assert_null(find_lb(lb, "10.1.2.10", 8080));
	assert_int_equal(find_lb(lb, "10.1.2.20", 80)->members[0].port, 8080);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct aclf_filter *f = &sw->filters[0];
		long k = aclf_filter_decide(f, &self, &dir01, ACLF_PROTO_TCP, 50000, cases[i].port, false);
		enum aclf_action got = k < 0 ? f->default_action : f->rules[k].action;
		if (got != cases[i].want)
			fail_msg("self IP -> dir01 tcp/%u: %s, expected %s", cases[i].port,
				 aclf_action_name(got), aclf_action_name(cases[i].want));
	}
	aclf_policy_free(p);
	aclf_warnings_release(&items);
	aclf_buf_release(&warn);
	aclf_catalog_free(c);
	aclf_topology_free(t);
	aclf_err_release(&err);
}

/* Compile an in-memory topology with the seed's catalog; warnings into
 * items and their text into warn. */
static struct aclf_policy *compile_mem(const char *yaml, const char *name, struct aclf_topology **t,
				       struct aclf_catalog **c, struct aclf_warnings *items,
				       struct aclf_buf *warn)
{
	struct aclf_err err;
	struct aclf_policy *p;
	char *cpath;

	aclf_err_init(&err);
	*t = aclf_topology_load_mem(yaml, strlen(yaml), name, &err);
	if (!*t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	*c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(*c);
	aclf_warnings_init(items);
	aclf_buf_init(warn, 0);
	p = compile_warned(*c, *t, warn, items, &err);
	if (!p)
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
	return p;
}

/* HTTPS web services (443, 4443, the external 443 -> 4443) are balanced
 * per request only where the topology names the load balancer's TLS
 * profiles: the pool's, else the device's; the external VIP takes the
 * external client profile when there is one. Without any, compile warns
 * once per pool at the pool's line:col, naming its HTTPS virtual servers
 * and the fix; a pool without web services (mediation) is not warned. */
static void test_https_tls_profiles(void **state)
{
	static const char head[] =
		"catalog: lync2013-internal\nsite: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  dir:\n    role: director\n    fqdn: dir.example.net\n    vip: 10.1.2.10\n"
		"    external_web_vip: 10.1.2.20\n    servers: {dir01: 10.1.2.11, dir02: 10.1.2.12}\n"
		"%s"
		"  med:\n    role: mediation\n    fqdn: med.example.net\n    vip: 10.1.3.10\n"
		"    servers: {med01: 10.1.3.11, med02: 10.1.3.12}\n"
		"devices:\n"
		"  lb:\n    driver: bigip\n    host: 10.0.0.5\n    balances: [dir, med]\n%s";
	static const char dev_tls[] =
		"    tls: {client_profile: /Common/dev-cs, server_profile: /Common/dev-ss}\n";
	static const char dev_tls_ext[] =
		"    tls: {client_profile: /Common/dev-cs, external_client_profile: /Common/dev-ext, "
		"server_profile: /Common/dev-ss}\n";
	static const char pool_tls[] =
		"    tls: {client_profile: /P/dir-cs, server_profile: /P/dir-ss}\n";
	static const struct {
		const char *pool_tls, *dev_tls;
		const char *internal, *external, *server; /* NULL: per connection */
	} cases[] = {
		{ "", "", NULL, NULL, NULL },
		{ "", dev_tls, "/Common/dev-cs", "/Common/dev-cs", "/Common/dev-ss" },
		{ "", dev_tls_ext, "/Common/dev-cs", "/Common/dev-ext", "/Common/dev-ss" },
		{ pool_tls, dev_tls_ext, "/P/dir-cs", "/P/dir-cs", "/P/dir-ss" },
		{ pool_tls, "", "/P/dir-cs", "/P/dir-cs", "/P/dir-ss" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_topology *t;
		struct aclf_catalog *c;
		struct aclf_warnings items;
		struct aclf_buf warn;
		struct aclf_policy *p;
		const struct aclf_devpol *lb;
		char yaml[2048];
		static const struct {
			const char *vip;
			uint16_t port;
			bool external, https;
		} svc[] = {
			{ "10.1.2.10", 443, false, true },   { "10.1.2.10", 4443, false, true },
			{ "10.1.2.20", 443, true, true },    { "10.1.2.20", 80, true, false },
			{ "10.1.2.10", 444, false, false },  { "10.1.2.10", 5061, false, false },
			{ "10.1.3.10", 5070, false, false },
		};

		snprintf(yaml, sizeof(yaml), head, cases[i].pool_tls, cases[i].dev_tls);
		p = compile_mem(yaml, "tls.yaml", &t, &c, &items, &warn);
		lb = aclf_policy_find_device(p, "lb");
		assert_non_null(lb);
		for (size_t k = 0; k < sizeof(svc) / sizeof(svc[0]); k++) {
			const struct aclf_lb_service *s = find_lb(lb, svc[k].vip, svc[k].port);
			const char *want = !svc[k].https ? NULL
					   : svc[k].external ? cases[i].external
							     : cases[i].internal;
			if (!s)
				fail_msg("case %zu: no service %s:%u", i, svc[k].vip, svc[k].port);
			if (!want) {
				assert_null(s->tls.client_profile);
				assert_null(s->tls.server_profile);
				/* plain HTTP is balanced per request either way */
				assert_int_equal(s->request.enabled, svc[k].port == 80);
				continue;
			}
			if (!s->tls.client_profile || strcmp(s->tls.client_profile, want) != 0)
				fail_msg("case %zu: %s:%u client profile %s, expected %s", i, svc[k].vip,
					 svc[k].port, s->tls.client_profile ? s->tls.client_profile : "none",
					 want);
			assert_string_equal(s->tls.server_profile, cases[i].server);
			assert_true(s->request.enabled);
			assert_int_equal(s->request.reuse_mask_len, 32);
		}
		if (cases[i].internal) {
			assert_int_equal(items.n, 0);
			assert_int_equal(warn.len, 0);
		} else {
			/* the pool "dir" is written at line 7, column 3 */
			assert_int_equal(items.n, 1);
			assert_int_equal(items.v[0].kind, ACLF_WARN_LB_PER_CONNECTION);
			assert_int_equal(items.v[0].line, 7);
			assert_int_equal(items.v[0].col, 3);
			assert_string_equal(items.v[0].pool, "dir");
			assert_string_equal(items.v[0].device, "lb");
			assert_string_equal(items.v[0].services, "dir-443, dir-4443, dir-ext-443");
			assert_string_equal(warn.buf,
					    "tls.yaml:7:3: warning: pool dir on lb: the HTTPS web services "
					    "virtual servers dir-443, dir-4443, dir-ext-443 balance per "
					    "connection, not per request as mobile clients need (Lync 2013 "
					    "hardware load balancer requirements); name the load balancer's "
					    "TLS profiles with tls: {client_profile: ..., server_profile: "
					    "...} on pool dir or on device lb\n");
		}
		aclf_policy_free(p);
		aclf_warnings_release(&items);
		aclf_buf_release(&warn);
		aclf_catalog_free(c);
		aclf_topology_free(t);
	}
}

static void test_deterministic_and_warnings(void **state)
{
	struct world a = { 0 }, b = { 0 };
	struct aclf_buf ja = ACLF_BUF_INIT, jb = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&ja, 0);
	aclf_buf_init(&jb, 0);
	load(&a, "two-site.yaml");
	load(&b, "two-site.yaml");
	assert_int_equal(aclf_policy_to_json(a.p, &ja, &err), 0);
	assert_int_equal(aclf_policy_to_json(b.p, &jb, &err), 0);
	assert_int_equal(ja.len, jb.len);
	assert_memory_equal(ja.buf, jb.buf, ja.len);
	unload(&a);
	unload(&b);
	/* the small example's second site rule repeats the catalog: warned, naming both */
	load(&a, "small.yaml");
	assert_non_null(strstr(a.warn.buf, "site rule 2"));
	assert_non_null(strstr(a.warn.buf, "redundant with"));
	assert_non_null(strstr(a.warn.buf, "server-03"));
	assert_null(strstr(a.warn.buf, "site rule 1 "));
	unload(&a);
	aclf_buf_release(&ja);
	aclf_buf_release(&jb);
	aclf_err_release(&err);
}

static void test_shadowed_site_rule(void **state)
{
	static const char yaml[] =
		"site: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  fe:\n    role: front-end\n    fqdn: fe.example.net\n    servers: {fe01: 10.1.1.11}\n"
		"devices:\n  h:\n    driver: nftables\n    host: 10.1.1.11\n    protects: [{servers: [fe01], chain: input}]\n"
		"rules:\n"
		"  - {action: deny, protocol: tcp, from: networks.clients, to: servers.fe01, ports: [5000-5100]}\n"
		"  - {action: permit, protocol: tcp, from: 10.20.1.0/24, to: servers.fe01, ports: [5060]}\n";
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_buf warn = ACLF_BUF_INIT;
	struct aclf_warnings items;
	char *cpath;
	struct aclf_prefix client = host("10.20.1.5"), fe01 = host("10.1.1.11");
	long k;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&warn, 0);
	t = aclf_topology_load_mem(yaml, sizeof(yaml) - 1, "shadow.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(c);
	aclf_warnings_init(&items);
	p = compile_warned(c, t, &warn, &items, &err);
	assert_non_null(p);
	assert_non_null(strstr(warn.buf, "site rule 2"));
	assert_non_null(strstr(warn.buf, "shadowed by earlier rules"));
	assert_non_null(strstr(warn.buf, "r0002 deny")); /* after the host's management access */
	/* the same as an item: kind, where, and the rule that shadows it */
	assert_int_equal(items.n, 1);
	assert_int_equal(items.v[0].kind, ACLF_WARN_SHADOWED);
	assert_string_equal(items.v[0].file, "shadow.yaml");
	assert_int_equal(items.v[0].line, 17);
	assert_int_equal(items.v[0].col, 5);
	assert_string_equal(items.v[0].site_rule, "2");
	assert_string_equal(items.v[0].device, "h");
	assert_int_equal(items.v[0].nrules, 1);
	assert_string_equal(items.v[0].rules[0].id, "r0002"); /* after the host's management access */
	assert_int_equal(items.v[0].rules[0].action, ACLF_DENY);
	assert_string_equal(items.v[0].rules[0].site_rule, "1");
	aclf_warnings_release(&items);
	/* the site's deny comes first and wins over the catalog's 5061 */
	k = aclf_filter_decide(&p->devices[0].filters[0], &client, &fe01, 6, 50000, 5061, false);
	assert_true(k >= 0);
	assert_int_equal(p->devices[0].filters[0].rules[k].action, ACLF_DENY);
	aclf_policy_free(p);
	aclf_catalog_free(c);
	aclf_topology_free(t);
	aclf_buf_release(&warn);
	aclf_err_release(&err);
}

/* A site rule covered only by the union of two earlier ones is found too. */
static void test_site_rule_covered_by_union(void **state)
{
	static const char yaml[] =
		"site: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  fe:\n    role: front-end\n    fqdn: fe.example.net\n    servers: {fe01: 10.1.1.11}\n"
		"devices:\n  h:\n    driver: nftables\n    host: 10.1.1.11\n    protects: [{servers: [fe01], chain: input}]\n"
		"rules:\n"
		"  - {action: deny, protocol: tcp, from: networks.clients, to: servers.fe01, ports: [5000-5049]}\n"
		"  - {action: deny, protocol: tcp, from: networks.clients, to: servers.fe01, ports: [5050-5100]}\n"
		"  - {action: deny, protocol: tcp, from: 10.20.1.0/24, to: servers.fe01, ports: [5040-5060]}\n";
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_buf warn = ACLF_BUF_INIT;
	struct aclf_warnings items;
	char *cpath;

	(void)state;
	aclf_err_init(&err);
	aclf_buf_init(&warn, 0);
	t = aclf_topology_load_mem(yaml, sizeof(yaml) - 1, "union.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(c);
	aclf_warnings_init(&items);
	p = compile_warned(c, t, &warn, &items, &err);
	aclf_warnings_release(&items);
	assert_non_null(p);
	/* neither earlier rule covers 5040-5060 alone; together they do */
	assert_non_null(strstr(warn.buf, "site rule 3"));
	assert_non_null(strstr(warn.buf, "shadowed by earlier rules"));
	assert_non_null(strstr(warn.buf, "r0002 deny")); /* after the host's management access */
	assert_non_null(strstr(warn.buf, "r0002 deny"));
	/* rule 2 denies 5061, which the catalog would permit: it matters
	 * (rule 1 is reported as redundant: nothing there is permitted anyway) */
	assert_null(strstr(warn.buf, "site rule 2 "));
	aclf_policy_free(p);
	aclf_catalog_free(c);
	aclf_topology_free(t);
	aclf_buf_release(&warn);
	aclf_err_release(&err);
}

/* A warning names what decides the site rule's packets without it, by
 * meaning, never an empty list: the two-site example's deny is redundant
 * with the default action (no rule meets it); the small example's permit
 * with the catalog rules that take its packets, not the return paths that
 * only overlap it. */
static void test_warnings_name_rules(void **state)
{
	static const char *const examples[] = { "two-site.yaml", "small.yaml" };
	struct world w = { 0 };

	(void)state;
	for (size_t e = 0; e < sizeof(examples) / sizeof(examples[0]); e++) {
		const struct aclf_warning *first = NULL;

		load(&w, examples[e]);
		assert_true(w.items.n > 0);
		for (size_t i = 0; i < w.items.n; i++) {
			if (w.items.v[i].kind == ACLF_WARN_LB_PER_CONNECTION)
				continue; /* about a pool, not a site rule */
			if (!first)
				first = &w.items.v[i];
			if (w.items.v[i].nrules == 0)
				fail_msg("%s: a warning names no rule:\n%s", examples[e], w.warn.buf);
		}
		assert_non_null(first);
		if (e == 0) {
			assert_int_equal(first->kind, ACLF_WARN_REDUNDANT);
			assert_int_equal(first->nrules, 1);
			assert_true(first->rules[0].is_default);
			assert_null(first->rules[0].id);
			assert_int_equal(first->rules[0].action, ACLF_DENY);
			assert_non_null(strstr(w.warn.buf, "(deny networks.phones-berlin -> pools.pchat-berlin) on "
							   "rtr-ber filter forward is redundant with the "
							   "default action deny\n"));
		} else {
			assert_non_null(strstr(w.warn.buf, "on core1 filter LYNC-SERVERS is redundant with r0005 "
							   "permit (catalog server-03), r0022 permit (catalog "
							   "hlb-01)\n"));
		}
		unload(&w);
	}
}

/* The first line of text starting with prefix, copied into line. */
static bool find_line(const char *text, const char *prefix, char *line, size_t len)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, "\n");
		if (strncmp(p, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(line, len, "%.*s", (int)n, p);
		return true;
	}
	return false;
}

static void render(const struct world *w, const char *device, struct aclf_buf *out)
{
	const struct aclf_devpol *dp = aclf_policy_find_device(w->p, device);
	struct aclf_err err;

	assert_non_null(dp);
	aclf_err_init(&err);
	aclf_buf_init(out, 0);
	if (aclf_driver_render(aclf_driver_find(dp->driver), dp, aclf_topology_device(w->t, device), out,
			       &err) < 0)
		fail_msg("%s: %s", device, aclf_err_text(&err));
	aclf_err_release(&err);
}

/* A site rule's `why` is its provenance: the compiled rule's comment (and
 * its return path's), shown by compile, carried into IOS remarks and
 * nftables comments within what each allows. */
static void test_site_rule_why_kept(void **state)
{
	static const char long_why[] =
		"site: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  fe:\n    role: front-end\n    fqdn: fe.example.net\n    servers: {fe01: 10.1.1.11}\n"
		"devices:\n"
		"  core1: {driver: ios, host: 10.0.0.1, protects: [{pools: [fe], interface: Vlan110, direction: out}]}\n"
		"  h: {driver: nftables, host: 10.1.1.11, protects: [{servers: [fe01], chain: input}]}\n"
		"rules:\n"
		"  - {action: permit, protocol: tcp, from: networks.clients, to: servers.fe01, ports: [22],\n"
		"     why: \"the \\\"jump\\\" host\\nof the admins, who need it for a reason that takes far more "
		"words than any device keeps in one remark or comment, and then some more words still\"}\n";
	struct world w = { 0 };
	const struct aclf_filter *f;
	struct aclf_buf out, text;
	char line[512];
	struct aclf_err err;

	(void)state;
	load(&w, "small.yaml");
	f = &aclf_policy_find_device(w.p, "core1")->filters[0];
	/* after the load balancer's self IPs (r0001, r0002) */
	assert_string_equal(f->rules[2].prov[0].kind, "topology-rule");
	assert_non_null(f->rules[2].comment);
	assert_string_equal(f->rules[2].comment, "RCC gateway (PBX) in the client VLAN");
	aclf_buf_init(&text, 0);
	assert_int_equal(aclf_policy_to_text(w.p, &text), 0);
	assert_non_null(strstr(text.buf, "# topology-rule 1 network clients pool fe-berlin -- \"RCC gateway "
					 "(PBX) in the client VLAN\"\n"));
	aclf_buf_release(&text);
	render(&w, "core1", &out);
	assert_non_null(strstr(out.buf, "\n remark r0003 site-rule 1 RCC gateway (PBX) in the client VLAN\n"));
	aclf_buf_release(&out);
	render(&w, "rp1", &out);
	assert_non_null(strstr(out.buf, "accept comment \"published web services (reverse proxy external listener)\"\n"));
	aclf_buf_release(&out);
	unload(&w);

	/* quotes and a newline in it, longer than devices keep */
	aclf_err_init(&err);
	w.t = aclf_topology_load_mem(long_why, sizeof(long_why) - 1, "why.yaml", &err);
	if (!w.t)
		fail_msg("%s", aclf_err_text(&err));
	{
		char *cpath = aclf_catalog_resolve("lync2013-internal", NULL);
		w.c = aclf_catalog_load(cpath, &err);
		free(cpath);
	}
	assert_non_null(w.c);
	aclf_buf_init(&w.warn, 0);
	aclf_warnings_init(&w.items);
	w.p = aclf_compile(w.c, w.t, NULL, &w.items, &err);
	assert_non_null(w.p);
	render(&w, "core1", &out);
	/* after the management access to h, whose address core1 guards too */
	assert_true(find_line(out.buf, " remark r0002 site-rule 1 the \"jump\" host of the admins", line,
			      sizeof(line)));
	assert_true(strlen(line) - strlen(" remark ") <= 100);
	assert_non_null(strstr(line, "..."));
	aclf_buf_release(&out);
	render(&w, "h", &out);
	assert_true(find_line(out.buf, "\t\tip saddr @clients_v4 ip daddr @fe01_v4 tcp dport 22 ", line,
			      sizeof(line)));
	assert_non_null(strstr(line, "accept comment \"the 'jump' host of the admins, who need it"));
	assert_true(strlen(strstr(line, "comment \"") + 9) <= 128 + 1);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	unload(&w);
}

static unsigned families(const struct aclf_prefix_set *x)
{
	unsigned f = 0;

	for (size_t i = 0; i < x->n; i++)
		f |= x->v[i].family == 4 ? 1u : 2u;
	return f;
}

/* Narrowed to what a filter guards, a flow may keep no address family of
 * its two sides in common (IPv4 clients, a server guarded for its IPv6
 * address only): such a rule matches nothing and no device can render it.
 * It is left out of that filter, site rule or catalog row alike. */
static void test_rules_share_a_family(void **state)
{
	static const char yaml[] =
		"site: x\nload_balancing: hardware\n"
		"networks:\n  {clients: {kind: clients, prefixes: [10.20.0.0/16]}, mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		"pools:\n  fe:\n    role: front-end\n    fqdn: fe.example.net\n    vip: 10.1.1.10\n"
		"    servers: {fe01: [10.1.1.11, 2001:db8:1::11], fe03: 2001:db8:1::13}\n"
		"devices:\n"
		"  core1: {driver: ios, host: 10.0.0.1, protects: [{pools: [fe], interface: Vlan110, direction: out}]}\n"
		"  fw1: {driver: junos, host: 10.0.0.2, protects: [{servers: [fe03], interface: ge-0/0/1.0, direction: out}]}\n"
		"  fe03-host: {driver: nftables, host: 10.1.1.13, protects: [{servers: [fe03], chain: input}]}\n"
		"rules:\n"
		"  - {action: permit, protocol: tcp, from: networks.clients, to: pools.fe, ports: [22]}\n";
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_warnings items;
	char *cpath;
	bool site_on_core = false;

	(void)state;
	aclf_err_init(&err);
	t = aclf_topology_load_mem(yaml, sizeof(yaml) - 1, "fam.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(c);
	aclf_warnings_init(&items);
	p = aclf_compile(c, t, NULL, &items, &err);
	if (!p)
		fail_msg("%s", aclf_err_text(&err));
	/* nothing to warn about: the site rule decides packets on core1 */
	assert_int_equal(items.n, 0);
	for (size_t d = 0; d < p->ndevices; d++) {
		const struct aclf_devpol *dp = &p->devices[d];
		struct aclf_buf out;
		for (size_t f = 0; f < dp->nfilters; f++) {
			for (size_t k = 0; k < dp->filters[f].nrules; k++) {
				const struct aclf_rule *r = &dp->filters[f].rules[k];
				if (!(families(&r->src) & families(&r->dst)))
					fail_msg("%s %s %s: source and destination share no family", dp->name,
						 dp->filters[f].name, r->id);
				for (size_t i = 0; i < r->nprov; i++)
					site_on_core |= !strcmp(dp->name, "core1") &&
							!strcmp(r->prov[i].kind, "topology-rule");
			}
		}
		aclf_buf_init(&out, 0);
		if (aclf_driver_render(aclf_driver_find(dp->driver), dp, aclf_topology_device(t, dp->name),
				       &out, &err) < 0)
			fail_msg("%s: %s", dp->name, aclf_err_text(&err));
		aclf_buf_release(&out);
	}
	assert_true(site_on_core);
	aclf_warnings_release(&items);
	aclf_policy_free(p);
	aclf_catalog_free(c);
	aclf_topology_free(t);
	aclf_err_release(&err);
}


/* A filter guarding a device's own address without a management network
 * is refused at the device; a BIG-IP behind a stateless filter without
 * self IPs too. With them: SSH/SNMP from management first, self IPs to the
 * members on the service and monitor ports. */
static void test_devices_around_filters(void **state)
{
	static const char head[] =
		"site: x\nload_balancing: hardware\n"
		"pools:\n  med: {role: mediation, fqdn: m.example.net, vip: 10.1.3.10, servers: {m1: 10.1.3.11, m2: 10.1.3.12}}\n";
	static const struct {
		const char *tail, *want;
	} bad[] = {
		{ "devices:\n"
		  "  h: {driver: nftables, host: h.example.net, protects: [{servers: [m1], chain: input}]}\n",
		  "t.yaml:6:3: devices.h: filter 'input' of device 'h' guards the device's own address (h.example.net), "
		  "and no network of kind 'management' says where SSH (tcp/22) comes from: declare one, or the filter "
		  "locks the device's administrators out" },
		{ "networks: {mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
		  "devices:\n"
		  "  core: {driver: ios, host: 10.0.0.1, protects: [{pools: [med], interface: Vlan1, direction: out}]}\n"
		  "  lb: {driver: bigip, host: 10.0.0.5, balances: [med]}\n",
		  "t.yaml:8:3: devices.lb: balances pool 'med' whose servers the stateless filter 'ACLF-VLAN1-OUT' of "
		  "device 'core' guards, and has no 'self_ips': health monitors and SNAT automap come from the self "
		  "IPs, which the filter would drop (every member marked down)" },
	};
	char yaml[2048];
	char *cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	struct aclf_err err;
	struct aclf_catalog *c;

	(void)state;
	aclf_err_init(&err);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	assert_non_null(c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aclf_topology *t;
		snprintf(yaml, sizeof(yaml), "%s%s", head, bad[i].tail);
		t = aclf_topology_load_mem(yaml, strlen(yaml), "t.yaml", &err);
		if (!t)
			fail_msg("%s", aclf_err_text(&err));
		assert_null(aclf_compile(c, t, NULL, NULL, &err));
		if (strcmp(aclf_err_text(&err), bad[i].want) != 0)
			fail_msg("\n got: %s\nwant: %s", aclf_err_text(&err), bad[i].want);
		aclf_err_release(&err);
		aclf_err_init(&err);
		aclf_topology_free(t);
	}
	/* both given */
	{
		struct aclf_topology *t;
		struct aclf_policy *p;
		struct aclf_prefix mg = host("10.9.0.7"), h = host("10.1.3.11"), self = host("10.0.0.6"),
				   cl = host("10.20.0.5");
		const struct aclf_filter *f;
		long k;

		snprintf(yaml, sizeof(yaml), "%s%s", head,
			 "networks: {mgmt: {kind: management, prefixes: [10.9.0.0/24]}}\n"
			 "devices:\n"
			 "  core: {driver: ios, host: 10.0.0.1, protects: [{pools: [med], interface: Vlan1, direction: out}]}\n"
			 "  lb: {driver: bigip, host: 10.0.0.5, balances: [med], self_ips: [10.0.0.6]}\n"
			 "  h: {driver: nftables, host: 10.1.3.11, snmp: {version: 2c, community: env:X},\n"
			 "      protects: [{servers: [m1], chain: input}]}\n");
		t = aclf_topology_load_mem(yaml, strlen(yaml), "t.yaml", &err);
		if (!t)
			fail_msg("%s", aclf_err_text(&err));
		p = aclf_compile(c, t, NULL, NULL, &err);
		if (!p)
			fail_msg("%s", aclf_err_text(&err));
		f = &aclf_policy_find_device(p, "h")->filters[0];
		k = aclf_filter_decide(f, &mg, &h, ACLF_PROTO_TCP, 50000, 22, false);
		assert_int_equal(k, 0); /* the first rule */
		assert_true(has_prov(f->rules[0].prov, f->rules[0].nprov, "builtin", "management"));
		assert_true(aclf_filter_decide(f, &mg, &h, ACLF_PROTO_UDP, 50000, 161, false) >= 0);
		assert_int_equal(aclf_filter_decide(f, &cl, &h, ACLF_PROTO_TCP, 50000, 22, false), -1);
		/* core guards h's address too: management reaches it there, and
		 * the self IP reaches the members on the monitor port 5070 */
		f = &aclf_policy_find_device(p, "core")->filters[0];
		k = aclf_filter_decide(f, &mg, &h, ACLF_PROTO_TCP, 50000, 22, false);
		assert_true(k >= 0 && f->rules[k].action == ACLF_PERMIT);
		k = aclf_filter_decide(f, &self, &h, ACLF_PROTO_TCP, 50000, 5070, false);
		assert_true(k >= 0 && f->rules[k].action == ACLF_PERMIT);
		assert_true(has_prov(f->rules[k].prov, f->rules[k].nprov, "builtin", "load-balancer-self-ips"));
		k = aclf_filter_decide(f, &self, &h, ACLF_PROTO_TCP, 50000, 22, false);
		assert_true(k < 0 || f->rules[k].action == ACLF_DENY);
		aclf_policy_free(p);
		aclf_topology_free(t);
	}
	aclf_catalog_free(c);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_flows_small),
		cmocka_unit_test(test_return_paths_and_media),
		cmocka_unit_test(test_every_rule_traced),
		cmocka_unit_test(test_no_applicable_row_left),
		cmocka_unit_test(test_lb_modes),
		cmocka_unit_test(test_hlb_small),
		cmocka_unit_test(test_external_web_vip),
		cmocka_unit_test(test_external_web_member_ports),
		cmocka_unit_test(test_https_tls_profiles),
		cmocka_unit_test(test_deterministic_and_warnings),
		cmocka_unit_test(test_shadowed_site_rule),
		cmocka_unit_test(test_site_rule_covered_by_union),
		cmocka_unit_test(test_rules_share_a_family),
		cmocka_unit_test(test_warnings_name_rules),
		cmocka_unit_test(test_site_rule_why_kept),
		cmocka_unit_test(test_devices_around_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
