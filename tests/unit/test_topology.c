/* Topology loader (src/topology_*.c): the two example topologies load with
 * the expected objects and values; every bad fixture under
 * tests/fixtures/topology/ fails with exactly one error at the expected
 * line:col with the expected message; errors are collected and sorted;
 * secrets are never echoed; nothing points into the input or libyaml. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"

static const char *srcdir(void)
{
	const char *s = getenv("ACLF_SRCDIR");

	return s && *s ? s : ".";
}

static char *path_of(const char *rel)
{
	struct aclf_buf b;

	aclf_buf_init(&b, 0);
	if (!strncmp(rel, "fixtures/", 9) && getenv("ACLF_FIXTURES") && *getenv("ACLF_FIXTURES"))
		aclf_buf_printf(&b, "%s/%s", getenv("ACLF_FIXTURES"), rel + 9);
	else if (!strncmp(rel, "fixtures/", 9))
		aclf_buf_printf(&b, "%s/tests/%s", srcdir(), rel);
	else
		aclf_buf_printf(&b, "%s/%s", srcdir(), rel);
	return aclf_buf_detach(&b, NULL);
}

/* 1-based line of the first line of path that equals `line`; 0 if none */
static unsigned line_of(const char *path, const char *line)
{
	struct aclf_buf b;
	unsigned n = 1, found = 0;
	size_t ll = strlen(line);

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_read_file(&b, path), 0);
	for (const char *p = b.buf; *p && !found; n++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == ll && !strncmp(p, line, ll))
			found = n;
		p = nl ? nl + 1 : p + len;
	}
	aclf_buf_release(&b);
	return found;
}

static void assert_prefixes(const struct aclf_prefix_set *s, const char *want)
{
	struct aclf_buf b;
	char tmp[ACLF_PREFIX_STRLEN];

	aclf_buf_init(&b, 0);
	for (size_t i = 0; i < s->n; i++) {
		aclf_prefix_format(&s->v[i], tmp, sizeof(tmp));
		aclf_buf_printf(&b, "%s%s", i ? " " : "", tmp);
	}
	assert_string_equal(b.buf, want);
	aclf_buf_release(&b);
}

static struct aclf_topology *load_ok(const char *rel)
{
	char *path = path_of(rel);
	struct aclf_err err;
	struct aclf_topology *t;

	aclf_err_init(&err);
	t = aclf_topology_load(path, &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(err.count, 0);
	aclf_err_release(&err);
	free(path);
	return t;
}

static void test_small(void **state)
{
	char *path = path_of("inventory/examples/small.yaml");
	struct aclf_topology *t = load_ok("inventory/examples/small.yaml");
	const struct aclf_pool *p, *owner = NULL;
	const struct aclf_network *nw;
	const struct aclf_device *d;
	const struct aclf_server *s;
	size_t nft = 0;

	(void)state;
	/* the default catalogs: the seed and the extras */
	assert_string_equal(t->catalog, "lync2013-internal");
	assert_int_equal(t->ncatalogs, 2);
	assert_string_equal(t->catalogs[1], "lync2013-extras");
	assert_string_equal(t->path, path);
	assert_int_equal(t->nsites, 1);
	assert_string_equal(t->sites[0].name, "berlin");
	assert_int_equal(t->sites[0].load_balancing, ACLF_LB_HARDWARE);
	assert_int_equal(t->sites[0].pos.line, line_of(path, "site: berlin"));
	assert_int_equal(t->sites[0].pos.col, 7);

	assert_true(t->media_set);
	assert_true(t->media.enabled);
	assert_int_equal(t->media.audio.start, 50020);
	assert_int_equal(t->media.audio.count, 20);
	assert_int_equal(t->media.video.start, 58000);
	assert_int_equal(t->media.app_sharing.start, 42000);
	assert_int_equal(t->media.file_transfer.start, 42020);
	assert_int_equal(t->media.file_transfer.count, 20);
	assert_false(t->allow_optional_5060);

	assert_int_equal(t->nnetworks, 12);
	assert_string_equal(aclf_topology_network(t, "domain-controllers")->kind, "domain-controller");
	assert_string_equal(aclf_topology_network(t, "management")->kind, "management");
	assert_string_equal(aclf_topology_network(t, "pki")->kind, "pki");
	nw = aclf_topology_network(t, "clients");
	assert_non_null(nw);
	assert_string_equal(nw->kind, "clients");
	assert_prefixes(&nw->prefixes, "10.20.0.0/16 2001:db8:20::/48");
	assert_string_equal(aclf_topology_network(t, "phones")->kind, "phones");
	assert_string_equal(aclf_topology_network(t, "admin_hosts")->kind, "admin-hosts");
	nw = aclf_topology_network(t, "pstn-gateways");
	assert_string_equal(nw->kind, "pstn-gateway");
	assert_prefixes(&nw->prefixes, "10.40.0.10/31"); /* networks are merged sets */
	assert_string_equal(aclf_topology_network(t, "reverse-proxy")->kind, "reverse-proxy");
	assert_string_equal(aclf_topology_network(t, "branch-hamburg")->kind, "survivable-branch");

	assert_int_equal(t->npools, 4);
	p = aclf_topology_pool(t, "fe-berlin");
	assert_non_null(p);
	assert_int_equal(p->role, ACLF_ROLE_FRONT_END);
	assert_string_equal(p->site, "berlin");
	assert_string_equal(p->fqdn, "pool01.example.net");
	assert_string_equal(p->web_fqdn, "webint.example.net");
	assert_prefixes(&p->vip, "10.1.1.10/32");
	assert_true(p->cms);
	assert_false(p->collocated_mediation);
	assert_int_equal(p->nservers, 3);
	assert_string_equal(p->servers[1].name, "fe02");
	assert_prefixes(&p->servers[1].addrs, "10.1.1.12/32");
	assert_int_equal(p->pos.line, line_of(path, "  fe-berlin:"));
	assert_int_equal(p->pos.col, 3);
	assert_int_equal(p->servers[2].pos.line, line_of(path, "      fe03: 10.1.1.13"));
	assert_int_equal(p->servers[2].pos.col, 7);
	p = aclf_topology_pool(t, "dir-berlin");
	assert_int_equal(p->role, ACLF_ROLE_DIRECTOR);
	assert_int_equal(p->nservers, 2);
	assert_null(p->web_fqdn);
	assert_false(p->cms);
	p = aclf_topology_pool(t, "med-berlin");
	assert_int_equal(p->role, ACLF_ROLE_MEDIATION);
	assert_int_equal(p->nservers, 2);
	assert_int_equal(p->ngateways, 1);
	assert_string_equal(p->gateways[0], "pstn-gateways");
	p = aclf_topology_pool(t, "edge-berlin");
	assert_int_equal(p->role, ACLF_ROLE_EDGE_INTERNAL);
	assert_int_equal(p->nservers, 1);
	assert_int_equal(p->vip.n, 0);
	s = aclf_topology_server(t, "med02", &owner);
	assert_non_null(s);
	assert_string_equal(owner->name, "med-berlin");
	assert_null(aclf_topology_server(t, "fe-berlin", &owner));
	assert_null(owner);
	assert_null(aclf_topology_pool(t, "fe01"));

	assert_int_equal(t->ndevices, 5);
	d = aclf_topology_device(t, "core1");
	assert_non_null(d);
	assert_string_equal(d->driver, "ios");
	assert_string_equal(d->host, "10.0.0.1");
	assert_int_equal(d->pos.line, line_of(path, "  core1:"));
	assert_string_equal(d->ssh.user, "netops");
	assert_null(d->ssh.key_file);
	assert_int_equal(d->ssh.port, 22);
	assert_int_equal(d->ssh.password.kind, ACLF_SECRET_ENV);
	assert_string_equal(d->ssh.password.ref, "ACLF_CORE1_PASSWORD");
	assert_string_equal(d->ssh.known_hosts, "~/.ssh/known_hosts");
	assert_int_equal(d->snmp.version, 3);
	assert_int_equal(d->snmp.port, 161);
	assert_string_equal(d->snmp.user, "aclforge");
	assert_string_equal(d->snmp.auth_proto, "sha");
	assert_int_equal(d->snmp.auth.kind, ACLF_SECRET_ENV);
	assert_string_equal(d->snmp.auth.ref, "ACLF_SNMP_AUTH");
	assert_string_equal(d->snmp.priv_proto, "aes");
	assert_string_equal(d->snmp.priv.ref, "ACLF_SNMP_PRIV");
	assert_int_equal(d->nprotects, 2);
	assert_int_equal(d->protects[0].npools, 2);
	assert_string_equal(d->protects[0].pools[0], "fe-berlin");
	assert_string_equal(d->protects[0].pools[1], "med-berlin");
	assert_string_equal(d->protects[0].interface, "Vlan110");
	assert_int_equal(d->protects[0].direction, ACLF_DIR_OUT);
	assert_string_equal(d->protects[0].filter_name, "LYNC-SERVERS");
	assert_null(d->protects[0].chain);
	assert_int_equal(d->protects[1].nnetworks, 1);
	assert_string_equal(d->protects[1].networks[0], "clients");
	assert_string_equal(d->protects[1].interface, "Vlan20");
	assert_int_equal(d->nbalances, 0);

	d = aclf_topology_device(t, "fw1");
	assert_string_equal(d->driver, "junos");
	assert_string_equal(d->ssh.key_file, "~/.ssh/aclforge_ed25519");
	assert_int_equal(d->snmp.version, 2);
	assert_int_equal(d->snmp.community.kind, ACLF_SECRET_ENV);
	assert_string_equal(d->snmp.community.ref, "ACLF_SNMP_COMMUNITY");
	assert_string_equal(d->protects[0].interface, "ge-0/0/1.0");
	assert_int_equal(d->protects[0].direction, ACLF_DIR_OUT);
	assert_string_equal(d->protects[0].pools[0], "dir-berlin");

	d = aclf_topology_device(t, "lb1");
	assert_string_equal(d->driver, "bigip");
	assert_int_equal(d->nprotects, 0);
	assert_int_equal(d->nbalances, 3);
	assert_string_equal(d->balances[2], "med-berlin");
	assert_string_equal(d->vlan, "internal");
	assert_int_equal(d->snmp.auth.kind, ACLF_SECRET_FILE);
	assert_string_equal(d->snmp.auth.ref, "/etc/aclforge/lb1-snmp-auth");
	assert_string_equal(d->snmp.auth_proto, "sha256");
	assert_prefixes(&d->self_ips, "10.1.9.5/32 10.1.9.6/32");
	/* TLS profiles: lb1's default, the director pool's own; the front end
	 * pool names none (it takes lb1's) */
	assert_true(d->tls.set);
	assert_string_equal(d->tls.client_profile, "/Common/lync-fe-int-clientssl");
	assert_string_equal(d->tls.external_client_profile, "/Common/lync-fe-ext-clientssl");
	assert_string_equal(d->tls.server_profile, "/Common/serverssl");
	assert_int_equal(d->tls.client_pos.col, 27);
	assert_true(aclf_topology_pool(t, "dir-berlin")->tls.set);
	assert_string_equal(aclf_topology_pool(t, "dir-berlin")->tls.client_profile,
			    "/Common/lync-dir-int-clientssl");
	assert_false(aclf_topology_pool(t, "fe-berlin")->tls.set);
	assert_null(aclf_topology_pool(t, "fe-berlin")->tls.client_profile);

	/* Linux filters: a router's forward chain and the reverse proxy's input
	 * chain, never a Lync server (they run Windows) */
	for (size_t i = 0; i < t->ndevices; i++) {
		const struct aclf_protect *pr;
		struct aclf_prefix host;
		d = &t->devices[i];
		if (strcmp(d->driver, "nftables") != 0)
			continue;
		nft++;
		assert_int_equal(d->nprotects, 1);
		pr = &d->protects[0];
		assert_null(pr->interface);
		assert_int_equal(pr->direction, ACLF_DIR_NONE);
		assert_int_equal(pr->nservers, 0);
		assert_true(d->ssh.agent);
		assert_int_equal(d->snmp.version, 3);
		assert_int_equal(aclf_prefix_parse(d->host, &host, false), 0);
		for (size_t k = 0; k < t->npools; k++)
			for (size_t j = 0; j < t->pools[k].nservers; j++)
				assert_false(aclf_pset_contains_addr(&t->pools[k].servers[j].addrs, &host));
		if (!strcmp(d->name, "rp1")) {
			assert_string_equal(pr->chain, "input");
			assert_string_equal(pr->networks[0], "reverse-proxy");
		} else {
			assert_string_equal(pr->chain, "forward");
		}
	}
	assert_int_equal(nft, 2);

	assert_int_equal(t->nrules, 3);
	assert_int_equal(t->rules[0].action, ACLF_PERMIT);
	assert_int_equal(t->rules[0].protocol, ACLF_PROTO_TCP);
	assert_string_equal(t->rules[0].from, "networks.clients");
	assert_string_equal(t->rules[0].to, "pools.fe-berlin");
	assert_int_equal(t->rules[0].ports.n, 1);
	assert_int_equal(t->rules[0].ports.v[0].lo, 5060);
	assert_int_equal(t->rules[0].ports.v[0].hi, 5060);
	assert_non_null(t->rules[0].why);
	assert_int_equal(t->rules[1].ports.v[0].lo, 5061);
	assert_true(t->rules[1].pos.line > t->rules[0].pos.line);
	assert_int_equal(t->rules[0].pos.col, 5); /* the mapping, after "- " */

	assert_non_null(aclf_topology_site(t, "berlin"));
	assert_null(aclf_topology_site(t, "munich"));
	assert_null(aclf_topology_device(t, "nope"));
	aclf_topology_free(t);
	free(path);
}

static void test_two_site(void **state)
{
	struct aclf_topology *t = load_ok("inventory/examples/two-site.yaml");
	const struct aclf_pool *p;
	const struct aclf_device *d;
	size_t by_driver[4] = { 0 };
	const char *drivers[4] = { "ios", "junos", "bigip", "nftables" };

	(void)state;
	assert_int_equal(t->nsites, 2);
	assert_int_equal(aclf_topology_site(t, "berlin")->load_balancing, ACLF_LB_HARDWARE);
	assert_int_equal(aclf_topology_site(t, "munich")->load_balancing, ACLF_LB_DNS);
	assert_true(t->allow_optional_5060);
	assert_int_equal(t->media.audio.count, 40);
	assert_int_equal(t->npools, 8);
	assert_int_equal(t->nnetworks, 22);
	assert_int_equal(t->ncatalogs, 2);
	assert_true(t->opt_xmpp);
	assert_true(t->opt_centralized_logging);
	assert_string_equal(aclf_topology_network(t, "sip-trunk-munich")->site, "munich");
	assert_string_equal(aclf_topology_pool(t, "med-munich")->gateways[0], "sip-trunk-munich");
	assert_int_equal(aclf_topology_pool(t, "med-berlin")->ngateways, 0);

	p = aclf_topology_pool(t, "fe-munich");
	assert_string_equal(p->site, "munich");
	assert_true(p->collocated_mediation);
	assert_false(p->cms);
	assert_prefixes(&p->vip, "10.2.1.10/32 2001:db8:2:1::10/128");
	assert_int_equal(p->nservers, 3);
	for (size_t i = 0; i < p->nservers; i++)
		assert_int_equal(p->servers[i].addrs.n, 2);
	assert_prefixes(&p->servers[0].addrs, "10.2.1.11/32 2001:db8:2:1::11/128");
	assert_true(aclf_topology_pool(t, "fe-berlin")->cms);
	assert_string_equal(aclf_topology_pool(t, "med-berlin")->site, "berlin");
	assert_int_equal(aclf_topology_pool(t, "med-munich")->vip.n, 0);
	assert_int_equal(aclf_topology_pool(t, "pchat-berlin")->role, ACLF_ROLE_PERSISTENT_CHAT);
	assert_int_equal(aclf_topology_pool(t, "owa-berlin")->role, ACLF_ROLE_OFFICE_WEB_APPS);
	assert_int_equal(aclf_topology_pool(t, "dir-munich")->role, ACLF_ROLE_DIRECTOR);

	assert_int_equal(t->ndevices, 10);
	for (size_t i = 0; i < t->ndevices; i++)
		for (size_t k = 0; k < 4; k++)
			if (!strcmp(t->devices[i].driver, drivers[k]))
				by_driver[k]++;
	assert_int_equal(by_driver[0], 2);
	assert_int_equal(by_driver[1], 2);
	assert_int_equal(by_driver[2], 2);
	assert_int_equal(by_driver[3], 4);
	d = aclf_topology_device(t, "lb-muc");
	assert_int_equal(d->nbalances, 2);
	assert_null(d->vlan);
	assert_int_equal(d->snmp.version, 3);
	assert_null(d->snmp.priv_proto);
	assert_int_equal(d->snmp.priv.kind, ACLF_SECRET_NONE);
	d = aclf_topology_device(t, "fw-ber");
	assert_int_equal(d->nprotects, 1);
	assert_null(d->protects[0].filter_name);
	assert_int_equal(aclf_topology_device(t, "rtr-ber")->protects[0].npools, 2);
	assert_int_equal(d->snmp.community.kind, ACLF_SECRET_FILE);
	/* anchors and aliases: the same settings on several devices */
	assert_string_equal(aclf_topology_device(t, "fw-muc")->ssh.user, "netops");
	assert_string_equal(aclf_topology_device(t, "rp-muc")->host, "rp-muc.example.net");
	assert_prefixes(&aclf_topology_device(t, "lb-muc")->self_ips, "10.2.9.5/32 2001:db8:2:9::5/128");

	assert_int_equal(t->nrules, 5);
	assert_int_equal(t->rules[1].action, ACLF_DENY);
	assert_int_equal(t->rules[1].protocol, ACLF_PROTO_ANY);
	assert_int_equal(t->rules[1].ports.n, 0);
	assert_int_equal(t->rules[0].ports.n, 1);
	assert_int_equal(t->rules[2].protocol, ACLF_PROTO_UDP);
	assert_int_equal(t->rules[2].ports.v[0].lo, 161);
	assert_string_equal(t->rules[2].to, "servers.med-muc-01");
	aclf_topology_free(t);
}

struct bad_case {
	const char *file;
	unsigned line, col;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "unknown-key", 7, 5, "pools.fe: unknown key 'fdqn', expected one of: role, site, fqdn, web_fqdn, vip, external_web_vip, cms, collocated, servers, gateways, tls" },
	{ "tls-relative", 8, 27, "pools.fe.tls.client_profile: expected a BIG-IP profile path such as /Common/lync-web-clientssl (parts of letters, digits, '.', '_', '-', each starting with a letter or '_'; not starting aclf_, which aclforge owns), found 'lync-web-clientssl'" },
	{ "tls-owned", 19, 27, "devices.lb1.tls.client_profile: expected a BIG-IP profile path such as /Common/lync-web-clientssl (parts of letters, digits, '.', '_', '-', each starting with a letter or '_'; not starting aclf_, which aclforge owns), found '/Common/aclf_web'" },
	{ "tls-blank", 8, 27, "pools.fe.tls.client_profile: expected the name of a TLS profile on the load balancer (no spaces, quotes or braces), found '/Common/lync web'" },
	{ "tls-list", 8, 10, "pools.fe.tls: expected a mapping, found a list" },
	{ "tls-no-server", 8, 10, "pools.fe.tls: missing 'server_profile', expected the load balancer's TLS profile towards the pool members (they listen on HTTPS only)" },
	{ "tls-on-ios", 19, 10, "devices.sw1.tls: only bigip devices terminate TLS" },
	{ "tls-role", 8, 10, "pools.med.tls: only front-end and director pools have web services to terminate TLS for, this pool is 'mediation'" },
	{ "tls-unbalanced", 8, 10, "pools.fe.tls: no load balancer device balances pool 'fe', expected it in a device's 'balances'" },
	{ "external-web-role", 7, 23, "pools.med.external_web_vip: only front-end and director pools publish external web services, this pool is 'mediation'" },
	{ "external-web-shared", 8, 23, "pools.fe.external_web_vip: address 10.1.1.10 is already the VIP of pool 'fe' (line 7)" },
	{ "duplicate-key", 8, 5, "pools.fe: duplicate key 'role' (first at line 5)" },
	{ "duplicate-name", 11, 3, "pools: duplicate name 'fe' (first at line 4)" },
	{ "server-host-bits", 9, 13, "pools.fe.servers.fe01: '10.1.1.11/24' has host bits set, expected a host address without a prefix length" },
	{ "server-prefix", 9, 25, "pools.fe.servers.fe01: expected a host address, found prefix '2001:db8:1::/64'" },
	{ "address", 9, 13, "pools.fe.servers.fe01: expected an IPv4 or IPv6 address, found '10.1.1.311'" },
	{ "network-host-bits", 4, 39, "networks.clients.prefixes: '10.20.0.1/16' has host bits set, expected '10.20.0.0/16'" },
	{ "server-name-twice", 15, 7, "pools.dir.servers.fe01: server name 'fe01' already used in pool 'fe' (line 9)" },
	{ "shared-address", 15, 14, "pools.dir.servers.dir01: address 10.1.1.12 already belongs to server 'fe02' of pool 'fe' (line 10)" },
	{ "vip-shared", 14, 10, "pools.dir.vip: address 10.1.1.11 already belongs to server 'fe01' of pool 'fe' (line 9)" },
	{ "pool-site", 6, 11, "pools.fe.site: unknown site 'paris', expected one of: berlin" },
	{ "pool-no-site", 6, 5, "pools.fe: missing 'site', expected one of: berlin, munich" },
	{ "two-cms", 12, 10, "pools.fe2.cms: the central management store is already held by pool 'fe' (line 7), expected at most one cms pool" },
	{ "cms-role", 7, 10, "pools.dir.cms: only a front-end pool holds the central management store, this pool is 'director'" },
	{ "collocated-value", 7, 29, "pools.fe.collocated: expected 'mediation' (the only role collocated on a front-end pool), found 'director'" },
	{ "collocated-role", 7, 17, "pools.med.collocated: only front-end pools have collocated roles, this pool is 'mediation'" },
	{ "protect-pool", 18, 22, "devices.core1.protects[0].pools: unknown pool 'fe-paris'" },
	{ "protect-server", 18, 20, "devices.fe01-host.protects[0].servers: unknown server 'fe09'" },
	{ "protect-network", 18, 20, "devices.core1.protects[0].networks: unknown network 'guests'" },
	{ "protect-no-target", 18, 9, "devices.core1.protects[0]: expected at least one of 'pools', 'servers' or 'networks'" },
	{ "protect-chain-on-ios", 18, 30, "devices.core1.protects[0].chain: ios devices bind filters to an interface, expected 'interface' with 'direction' instead" },
	{ "protect-no-interface", 18, 9, "devices.core1.protects[0]: missing 'interface', junos devices bind filters to an interface with direction in or out" },
	{ "protect-direction", 18, 54, "devices.core1.protects[0].direction: expected in or out" },
	{ "protect-no-direction", 18, 9, "devices.core1.protects[0]: missing 'direction', expected in or out" },
	{ "protect-interface-on-nftables", 18, 38, "devices.fe01-host.protects[0].interface: nftables devices bind filters to a chain, expected 'chain' (input or forward) instead" },
	{ "protect-no-chain", 18, 9, "devices.fe01-host.protects[0]: missing 'chain', nftables devices bind filters to a chain (input or forward)" },
	{ "protect-clash", 19, 9, "devices.core1.protects[1]: interface 'Vlan110' direction out is already bound by protects[0] (line 18), merge the targets into one entry" },
	{ "bigip-protects", 19, 7, "devices.lb1.protects: bigip devices balance pools and carry no filters, expected 'balances' only" },
	{ "bigip-no-balances", 15, 5, "devices.lb1: missing 'balances', a bigip device balances at least one pool" },
	{ "ios-balances", 19, 15, "devices.core1.balances: only bigip devices balance pools" },
	{ "balanced-no-vip", 5, 5, "pools.edge: missing 'vip', the pool is balanced by device 'lb1' (line 12)" },
	{ "hlb-no-vip", 5, 5, "pools.fe: missing 'vip', a front-end pool of 2 servers at site 'berlin' (load_balancing: hardware) is reached through a hardware load balancer" },
	{ "unknown-driver", 15, 13, "devices.core1.driver: unknown driver 'cisco', expected one of: ios, junos, bigip, nftables" },
	{ "media-count", 5, 32, "client_media_ports.audio.count: expected at least 20 ports (the seed asks for at least 20), found 10" },
	{ "media-start", 6, 12, "client_media_ports.video.start: expected a port from 1024 to 65535, found 80" },
	{ "media-end", 5, 18, "client_media_ports.file_transfer: range 65530-65549 ends beyond port 65535" },
	{ "media-enabled", 4, 3, "client_media_ports: missing 'enabled', expected true or false (ClientMediaPortRangeEnabled)" },
	{ "secret-literal", 17, 35, "devices.core1.ssh.password: secrets are given by reference only, expected 'env:NAME' or 'file:PATH' (the value written here is not repeated)" },
	{ "snmp-community-literal", 19, 18, "devices.core1.snmp.community: secrets are given by reference only, expected 'env:NAME' or 'file:PATH' (the value written here is not repeated)" },
	{ "snmp-auth-literal", 17, 52, "devices.core1.snmp.auth.sha: secrets are given by reference only, expected 'env:NAME' or 'file:PATH' (the value written here is not repeated)" },
	{ "snmp-version", 17, 21, "devices.core1.snmp.version: expected 2c or 3" },
	{ "snmp-timeout", 17, 63, "devices.core1.snmp.timeout_ms: expected a number from 10 to 600000, found '5'" },
	{ "snmp-retries", 17, 60, "devices.core1.snmp.retries: expected a number from 0 to 10, found 'many'" },
	{ "snmp-reps", 20, 24, "devices.core1.snmp.max_repetitions: expected a number from 1 to 1000, found '0'" },
	{ "network-kind-role", 4, 19, "networks.servers.kind: 'front-end' is a pool role, not a network kind: declare those servers under 'pools'" },
	{ "network-kind-unknown", 4, 20, "networks.printers.kind: unknown kind 'printers', expected one of: clients, phones, reverse-proxy, pstn-gateway, e911-gateway, survivable-branch, admin-hosts, trusted-application, monitoring, dhcp-server, domain-controller, dns-server, sql-server, file-server, pki, management" },
	{ "network-shorthand", 4, 3, "networks.pstn_gateways: a list here takes the kind from the name and 'pstn-gateways' is not a network kind, write {kind: pstn-gateway, prefixes: [...]}" },
	{ "rule-from", 14, 43, "rules[0].from: unknown network 'guests'" },
	{ "rule-endpoint", 14, 65, "rules[0].to: expected networks.NAME, pools.NAME, servers.NAME, any or a prefix, found 'fe'" },
	{ "rule-host-bits", 14, 43, "rules[0].from: '10.20.1.0/16' has host bits set, expected '10.20.0.0/16'" },
	{ "rule-ports", 18, 19, "rules[0].ports: range '5072-5070' is reversed, expected lo <= hi ('5070-5072')" },
	{ "rule-ports-proto", 14, 83, "rules[0].ports: ports need protocol tcp or udp" },
	{ "rule-action", 14, 14, "rules[0].action: expected permit or deny" },
	{ "yaml-syntax", 5, 1, "did not find expected ',' or '}' while parsing a flow mapping" },
	{ "empty", 1, 1, "empty document: expected a mapping" },
	{ "root-list", 1, 1, "topology: expected a mapping, found a list" },
	{ "no-sites", 1, 1, "missing 'sites' (or the single-site shorthand 'site' with 'load_balancing')" },
	{ "missing-lb", 1, 7, "site: missing 'load_balancing' beside it, expected hardware or dns" },
	{ "lb-value", 2, 17, "load_balancing: expected hardware or dns, found 'round-robin'" },
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct aclf_buf rel, want;
		struct aclf_err err;
		struct aclf_topology *t;
		char *path;

		aclf_buf_init(&rel, 0);
		aclf_buf_init(&want, 0);
		aclf_buf_printf(&rel, "fixtures/topology/bad-%s.yaml", bc->file);
		path = path_of(rel.buf);
		aclf_err_init(&err);
		t = aclf_topology_load(path, &err);
		if (t)
			fail_msg("%s: loaded", rel.buf);
		aclf_buf_printf(&want, "%s:%u:%u: %s", path, bc->line, bc->col, bc->msg);
		if (strcmp(aclf_err_text(&err), want.buf) != 0)
			fail_msg("%s:\n got: %s\nwant: %s", rel.buf, aclf_err_text(&err), want.buf);
		assert_int_equal(err.count, 1);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		assert_int_equal(err.line, bc->line);
		assert_int_equal(err.col, bc->col);
		assert_string_equal(err.file, path);
		aclf_err_release(&err);
		aclf_buf_release(&rel);
		aclf_buf_release(&want);
		free(path);
	}
}

/* Every bad-*.yaml fixture is in the table (and so is checked). */
static void test_bad_files_listed(void **state)
{
	char *dir = path_of("fixtures/topology");
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t seen = 0;

	(void)state;
	assert_non_null(dp);
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		bool found = false;
		if (strncmp(de->d_name, "bad-", 4) != 0 || len < 9 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		seen++;
		for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]) && !found; i++)
			found = strlen(bad_cases[i].file) == len - 9 &&
				!strncmp(bad_cases[i].file, de->d_name + 4, len - 9);
		if (!found)
			fail_msg("%s is not checked by test_bad_files", de->d_name);
	}
	closedir(dp);
	assert_int_equal(seen, sizeof(bad_cases) / sizeof(bad_cases[0]));
	free(dir);
}

static void test_secrets_not_echoed(void **state)
{
	static const char *const cases[][2] = {
		{ "fixtures/topology/bad-secret-literal.yaml", "hunter2" },
		{ "fixtures/topology/bad-snmp-community-literal.yaml", "public" },
		{ "fixtures/topology/bad-snmp-auth-literal.yaml", "s3cr3t" },
	};
	const char *inline_bad =
		"site: s\nload_balancing: dns\npools: {p: {role: director, fqdn: d.example.net, "
		"servers: {d1: 10.0.0.1}}}\ndevices:\n  x:\n    driver: ios\n    host: 10.9.9.9\n"
		"    ssh: {password: 'env:my secret value'}\n"
		"    snmp: {version: 3, user: u, auth: {sha: 'file:'}, priv: {aes: [topsecret]}}\n"
		"    protects: [{pools: [p], interface: Vlan1, direction: in}]\n";
	struct aclf_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = path_of(cases[i][0]);
		aclf_err_init(&err);
		assert_null(aclf_topology_load(path, &err));
		assert_null(strstr(aclf_err_text(&err), cases[i][1]));
		aclf_err_release(&err);
		free(path);
	}
	aclf_err_init(&err);
	assert_null(aclf_topology_load_mem(inline_bad, strlen(inline_bad), "inline.yaml", &err));
	assert_int_equal(err.count, 3);
	assert_null(strstr(aclf_err_text(&err), "secret value"));
	assert_null(strstr(aclf_err_text(&err), "topsecret"));
	assert_non_null(strstr(aclf_err_text(&err), "inline.yaml:8:21: devices.x.ssh.password: expected "
						     "'env:NAME' with NAME an environment variable name"));
	assert_non_null(strstr(aclf_err_text(&err), "inline.yaml:9:45: devices.x.snmp.auth.sha: expected "
						     "'file:PATH' with a path"));
	assert_non_null(strstr(aclf_err_text(&err), "inline.yaml:9:67: devices.x.snmp.priv.aes: expected "
						     "a scalar, found a list"));
	aclf_err_release(&err);
}

/* Errors from every section are all reported, sorted by position, though
 * the loader visits the sections in its own order. */
static void test_many_errors(void **state)
{
	const char *y = "rules:\n"
			"  - {action: permit, protocol: tcp, from: networks.nope, to: any}\n"
			"devices:\n"
			"  d1: {driver: vyos, host: 10.0.0.1}\n"
			"pools:\n"
			"  fe: {role: front-end, fqdn: x, servers: {a: 10.1.1.1/24}}\n"
			"networks:\n"
			"  n: {kind: nope, prefixes: [10.0.0.0/8]}\n"
			"site: b\n"
			"load_balancing: hardware\n"
			"bogus: 1\n";
	struct aclf_err err;
	const char *text;
	unsigned last = 0, n = 0;

	(void)state;
	aclf_err_init(&err);
	assert_null(aclf_topology_load_mem(y, strlen(y), "m.yaml", &err));
	text = aclf_err_text(&err);
	assert_int_equal(err.count, 6);
	assert_int_equal(err.line, 2);
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		unsigned line = (unsigned)strtoul(p + strlen("m.yaml:"), NULL, 10);
		assert_true(!strncmp(p, "m.yaml:", 7));
		assert_true(line >= last);
		last = line;
		n++;
	}
	assert_int_equal(n, 6);
	assert_non_null(strstr(text, "m.yaml:2:43: rules[0].from: unknown network 'nope'"));
	assert_non_null(strstr(text, "m.yaml:4:16: devices.d1.driver: unknown driver 'vyos'"));
	assert_non_null(strstr(text, "m.yaml:6:31: pools.fe.fqdn: expected a fully qualified domain name, found 'x'"));
	assert_non_null(strstr(text, "m.yaml:6:47: pools.fe.servers.a: '10.1.1.1/24' has host bits set"));
	assert_non_null(strstr(text, "m.yaml:8:13: networks.n.kind: unknown kind 'nope'"));
	assert_non_null(strstr(text, "m.yaml:11:1: topology: unknown key 'bogus'"));
	aclf_err_release(&err);
}

static void test_error_cap(void **state)
{
	struct aclf_buf y;
	struct aclf_err err;
	const char *last;

	(void)state;
	aclf_buf_init(&y, 0);
	aclf_buf_puts(&y, "site: s\nload_balancing: dns\nnetworks:\n");
	for (int i = 0; i < 150; i++)
		aclf_buf_printf(&y, "  n%d: {kind: k%d, prefixes: [10.0.0.0/8]}\n", i, i);
	aclf_buf_puts(&y, "pools: {p: {role: director, fqdn: d.example.net, servers: {d1: 10.0.0.1}}}\n");
	aclf_err_init(&err);
	assert_null(aclf_topology_load_mem(y.buf, y.len, "cap.yaml", &err));
	assert_int_equal(err.count, 101);
	last = strrchr(aclf_err_text(&err), '\n');
	assert_non_null(last);
	assert_string_equal(last + 1, "cap.yaml: 50 more errors not shown");
	aclf_err_release(&err);
	aclf_buf_release(&y);
}

static void test_defaults(void **state)
{
	const char *y = "site: berlin\nload_balancing: dns\nnetworks:\noptions:\nrules: ~\n"
			"pools:\n  med: {role: mediation, fqdn: med.example.net,\n"
			"    servers: {m1: 10.1.3.11, m2: '10.1.3.12/32'}}\n"
			"devices:\n  h: {driver: nftables, host: h.example.net,\n"
			"    protects: [{pools: [med], chain: forward}]}\n";
	struct aclf_err err;
	struct aclf_topology *t;
	const struct aclf_device *d;

	(void)state;
	aclf_err_init(&err);
	t = aclf_topology_load_mem(y, strlen(y), NULL, &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(t->path, "<input>");
	assert_string_equal(t->catalog, "lync2013-internal");
	assert_int_equal(t->ncatalogs, 2);
	assert_string_equal(t->catalogs[1], "lync2013-extras");
	assert_int_equal(t->rpc_dynamic.lo, 49152);
	assert_int_equal(t->rpc_dynamic.hi, 65535);
	assert_int_equal(t->sql_port, 1433);
	assert_false(t->opt_xmpp);
	assert_false(t->opt_centralized_logging);
	assert_false(t->media_set);
	assert_false(t->media.enabled);
	assert_int_equal(t->media.audio.start, 5350);
	assert_int_equal(t->media.file_transfer.count, 40);
	assert_false(t->allow_optional_5060);
	/* DNS site: a mediation pool of two needs no VIP */
	assert_int_equal(t->pools[0].vip.n, 0);
	assert_string_equal(t->pools[0].site, "berlin");
	assert_prefixes(&t->pools[0].servers[1].addrs, "10.1.3.12/32");
	d = &t->devices[0];
	assert_int_equal(d->ssh.port, 22);
	assert_int_equal(d->snmp.port, 161);
	assert_int_equal(d->snmp.version, 0);
	assert_null(d->ssh.user);
	assert_false(d->ssh.agent);
	assert_int_equal(d->ssh.password.kind, ACLF_SECRET_NONE);
	assert_string_equal(d->protects[0].chain, "forward");
	assert_int_equal(t->nrules, 0);
	assert_int_equal(t->nnetworks, 0);
	assert_int_equal(err.count, 0);
	aclf_topology_free(t);
	aclf_err_release(&err);
}

/* snmp timing keys: retries become tries (retries + 1), absent keys stay 0
 * (the transport's defaults) */
static void test_snmp_timing(void **state)
{
	const char *y = "site: s\nload_balancing: dns\n"
			"pools: {med: {role: mediation, fqdn: m.example.net, servers: {m1: 10.1.3.11}}}\n"
			"devices:\n"
			"  r1: {driver: ios, host: 127.0.0.1, protects: [{pools: [med], interface: Vlan1, direction: out}],\n"
			"       snmp: {version: 2c, community: env:C, timeout_ms: 250, retries: 0, max_repetitions: 10}}\n"
			"  r2: {driver: ios, host: 127.0.0.2, protects: [{pools: [med], interface: Vlan1, direction: out}],\n"
			"       snmp: {version: 3, user: u, retries: 10, timeout_ms: 600000}}\n"
			"  r3: {driver: ios, host: 127.0.0.3, protects: [{pools: [med], interface: Vlan1, direction: out}],\n"
			"       snmp: {version: 2c, community: env:C}}\n";
	struct aclf_err err;
	struct aclf_topology *t;
	const struct aclf_device *d;

	(void)state;
	aclf_err_init(&err);
	t = aclf_topology_load_mem(y, strlen(y), "t.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	d = aclf_topology_device(t, "r1");
	assert_int_equal(d->snmp.timeout_ms, 250);
	assert_int_equal(d->snmp.tries, 1);
	assert_int_equal(d->snmp.max_reps, 10);
	d = aclf_topology_device(t, "r2");
	assert_int_equal(d->snmp.timeout_ms, 600000);
	assert_int_equal(d->snmp.tries, 11);
	assert_int_equal(d->snmp.max_reps, 0);
	d = aclf_topology_device(t, "r3");
	assert_int_equal(d->snmp.timeout_ms, 0);
	assert_int_equal(d->snmp.tries, 0);
	assert_int_equal(d->snmp.max_reps, 0);
	aclf_topology_free(t);
	aclf_err_release(&err);
}

static void test_hosts_not_aggregated(void **state)
{
	const char *y = "site: s\nload_balancing: dns\n"
			"pools: {med: {role: mediation, fqdn: m.example.net,\n"
			"  servers: {m1: [10.1.3.11, 10.1.3.10, '2001:db8::1']}}}\n";
	struct aclf_err err;
	struct aclf_topology *t;

	(void)state;
	aclf_err_init(&err);
	t = aclf_topology_load_mem(y, strlen(y), "h.yaml", &err);
	assert_non_null(t);
	assert_prefixes(&t->pools[0].servers[0].addrs, "10.1.3.10/32 10.1.3.11/32 2001:db8::1/128");
	aclf_topology_free(t);
	aclf_err_release(&err);
}

/* Strings are copied: the input buffer and libyaml's memory are gone when
 * the topology is used (ASan reports any pointer into them). */
static void test_no_borrowed_memory(void **state)
{
	char *path = path_of("inventory/examples/two-site.yaml");
	struct aclf_buf b;
	struct aclf_err err;
	struct aclf_topology *t;
	size_t total = 0;

	(void)state;
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_read_file(&b, path), 0);
	aclf_err_init(&err);
	t = aclf_topology_load_mem(b.buf, b.len, path, &err);
	assert_non_null(t);
	memset(b.buf, 'x', b.len);
	aclf_buf_release(&b);
	free(path);
	total += strlen(t->path) + strlen(t->catalog);
	for (size_t i = 0; i < t->npools; i++) {
		total += strlen(t->pools[i].name) + strlen(t->pools[i].fqdn) + strlen(t->pools[i].site);
		for (size_t s = 0; s < t->pools[i].nservers; s++)
			total += strlen(t->pools[i].servers[s].name);
	}
	for (size_t i = 0; i < t->nnetworks; i++)
		total += strlen(t->networks[i].name) + strlen(t->networks[i].kind);
	for (size_t i = 0; i < t->ndevices; i++) {
		const struct aclf_device *d = &t->devices[i];
		total += strlen(d->name) + strlen(d->driver) + strlen(d->host);
		if (d->ssh.user)
			total += strlen(d->ssh.user);
		for (size_t k = 0; k < d->nprotects; k++)
			for (size_t j = 0; j < d->protects[k].npools; j++)
				total += strlen(d->protects[k].pools[j]);
	}
	for (size_t i = 0; i < t->nrules; i++)
		total += strlen(t->rules[i].from) + strlen(t->rules[i].to);
	assert_true(total > 0);
	assert_string_equal(t->pools[0].name, "fe-berlin");
	aclf_topology_free(t);
	aclf_err_release(&err);
}

/* A catalog path is relative to the topology file; names and absolute
 * paths stay as written. */
static void test_catalog_path(void **state)
{
	char *path = path_of("fixtures/topology/good-catalog-path.yaml");
	char *dir = path_of("fixtures/topology");
	char *abs = realpath(dir, NULL);
	const char *y = "catalog: /opt/cat.yaml\nsite: s\nload_balancing: dns\n"
			"pools: {p: {role: director, fqdn: d.example.net, servers: {d1: 10.0.0.1}}}\n";
	struct aclf_buf want;
	struct aclf_err err;
	struct aclf_topology *t;

	(void)state;
	assert_non_null(abs);
	aclf_buf_init(&want, 0);
	aclf_buf_printf(&want, "%s/../catalogs/site-catalog.yaml", abs);
	aclf_err_init(&err);
	t = aclf_topology_load(path, &err);
	assert_non_null(t);
	assert_string_equal(t->catalog, want.buf);
	aclf_topology_free(t);
	/* from memory there is no file to be relative to */
	t = aclf_topology_load_mem(y, strlen(y), "mem.yaml", &err);
	assert_non_null(t);
	assert_string_equal(t->catalog, "/opt/cat.yaml");
	aclf_topology_free(t);
	assert_int_equal(err.count, 0);
	aclf_err_release(&err);
	aclf_buf_release(&want);
	free(abs);
	free(dir);
	free(path);
}

static void test_missing_file(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	assert_null(aclf_topology_load("/nonexistent/aclforge/topology.yaml", &err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_string_equal(aclf_err_text(&err),
			    "cannot read topology '/nonexistent/aclforge/topology.yaml': No such file or directory");
	aclf_err_release(&err);
	aclf_topology_free(NULL);
}

/* Input text with control characters stays one message line per error. */
static void test_control_chars(void **state)
{
	const char *y = "site: s\nload_balancing: dns\n\"a\\nb\": 1\n"
			"pools: {p: {role: director, fqdn: d.example.net, servers: {d1: 10.0.0.1}}}\n";
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	assert_null(aclf_topology_load_mem(y, strlen(y), "c.yaml", &err));
	assert_int_equal(err.count, 1);
	assert_null(strchr(aclf_err_text(&err), '\n'));
	assert_non_null(strstr(aclf_err_text(&err), "c.yaml:3:1: topology: unknown key 'a\\nb'"));
	aclf_err_release(&err);
}

static void test_roles(void **state)
{
	static const char *const names[] = { "front-end", "director", "mediation", "persistent-chat",
					     "office-web-apps", "edge-internal" };
	enum aclf_role r;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(aclf_role_parse(names[i], &r), 0);
		assert_int_equal(r, (enum aclf_role)i);
		assert_string_equal(aclf_role_name(r), names[i]);
	}
	assert_int_equal(aclf_role_parse("front-end-cms", &r), -1);
	assert_int_equal(aclf_role_parse("Front-End", &r), -1);
	assert_int_equal(aclf_role_parse(NULL, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_two_site),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_files_listed),
		cmocka_unit_test(test_secrets_not_echoed),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_hosts_not_aggregated),
		cmocka_unit_test(test_snmp_timing),
		cmocka_unit_test(test_no_borrowed_memory),
		cmocka_unit_test(test_catalog_path),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
