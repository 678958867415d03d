/* Topology values checked where they enter (src/model/topology_*.c), each
 * refused with its file:line:col and a message saying what to write
 * instead: a site rule's protocol 0 and reversed port ranges, rules whose
 * two sides share no address family, IPv4-mapped IPv6 addresses, key
 * material written where a key file's path belongs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

/* one site, a pool of two servers (one dual-stack), a client network */
#define HEAD                                                                                       \
	"site: s\nload_balancing: dns\n"                                                           \
	"networks: {clients: {kind: clients, prefixes: [10.20.0.0/16]}}\n"                        \
	"pools: {p: {role: mediation, fqdn: m.example.net,\n"                                     \
	"            servers: {m1: [10.0.0.1, 2001:db8::1], m2: 2001:db8::2}}}\n"

/* The one error of loading yaml (the load must fail with exactly one). */
static char *one_error(const char *yaml)
{
	struct aclf_err err;
	char *s;

	aclf_err_init(&err);
	if (aclf_topology_load_mem(yaml, strlen(yaml), "t.yaml", &err))
		fail_msg("loaded:\n%s", yaml);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	s = strdup(aclf_err_text(&err));
	assert_non_null(s);
	if (err.count != 1)
		fail_msg("%u errors:\n%s", err.count, s);
	aclf_err_release(&err);
	return s;
}

static void assert_error(char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("\n got: %s\nwant: %s", got, want);
	free(got);
}

/* `protocol: 0` read as "any protocol": a permit ip where TCP 22 was
 * meant to be closed. */
static void test_rule_protocol_zero(void **state)
{
	static const char *const zeros[] = { "0", "00", "000" };
	char yaml[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		snprintf(yaml, sizeof(yaml), HEAD "rules:\n  - {action: permit, protocol: %s, from: "
						  "networks.clients, to: servers.m1}\n", zeros[i]);
		assert_error(one_error(yaml), "t.yaml:7:32: rules[0].protocol: protocol number 0 cannot "
					      "be matched (the policy reads 0 as any protocol), write "
					      "'any' for any protocol");
	}
	/* 'any' is how to say it, and a protocol number is still a number */
	snprintf(yaml, sizeof(yaml), HEAD "rules:\n"
					  "  - {action: permit, protocol: any, from: networks.clients, to: servers.m1}\n"
					  "  - {action: permit, protocol: 47, from: networks.clients, to: servers.m1}\n");
	{
		struct aclf_err err;
		struct aclf_topology *t;
		aclf_err_init(&err);
		t = aclf_topology_load_mem(yaml, strlen(yaml), "t.yaml", &err);
		if (!t)
			fail_msg("%s", aclf_err_text(&err));
		assert_int_equal(t->rules[0].protocol, ACLF_PROTO_ANY);
		assert_int_equal(t->rules[1].protocol, 47);
		aclf_topology_free(t);
		aclf_err_release(&err);
	}
}

/* A reversed range is not "out of 1-65535": say it is reversed. */
static void test_rule_ports_reversed(void **state)
{
	(void)state;
	assert_error(one_error(HEAD "rules:\n  - {action: permit, protocol: tcp, from: "
				    "networks.clients, to: servers.m1, ports: [\"5000-4000\"]}\n"),
		     "t.yaml:7:85: rules[0].ports: range '5000-4000' is reversed, expected lo <= hi "
		     "('4000-5000')");
	assert_error(one_error(HEAD "rules:\n  - {action: permit, protocol: tcp, from: "
				    "networks.clients, to: servers.m1, ports: [\"4000-70000\"]}\n"),
		     "t.yaml:7:85: rules[0].ports: expected a port or a 'lo-hi' range within 1-65535, "
		     "found '4000-70000'");
}

/* ::ffff:10.0.0.1 is the IPv4 address 10.0.0.1 as an IPv6 socket shows
 * it; rules on it would be IPv6 rules that never match. */
static void test_v4mapped(void **state)
{
	(void)state;
	assert_error(one_error("site: s\nload_balancing: dns\n"
			       "pools: {p: {role: mediation, fqdn: m.example.net, servers: {m1: '::ffff:10.0.0.1'}}}\n"),
		     "t.yaml:3:65: pools.p.servers.m1: '::ffff:10.0.0.1' is an IPv4-mapped IPv6 "
		     "address, which no IPv6 packet carries: write the IPv4 address '10.0.0.1'");
	assert_error(one_error("site: s\nload_balancing: dns\n"
			       "pools: {p: {role: mediation, fqdn: m.example.net, vip: '::FFFF:a00:64',\n"
			       "            servers: {m1: 10.0.0.1}}}\n"),
		     "t.yaml:3:56: pools.p.vip: '::FFFF:a00:64' is an IPv4-mapped IPv6 address, which "
		     "no IPv6 packet carries: write the IPv4 address '10.0.0.100'");
	assert_error(one_error("site: s\nload_balancing: dns\n"
			       "networks: {phones: [10.30.0.0/22, '::ffff:0:0/96']}\n"
			       "pools: {p: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"),
		     "t.yaml:3:35: networks.phones: '::ffff:0:0/96' is an IPv4-mapped IPv6 "
		     "prefix, which no IPv6 packet carries: write the IPv4 prefix '0.0.0.0/0'");
	assert_error(one_error(HEAD "rules:\n  - {action: deny, protocol: any, from: "
				    "'::ffff:10.9.0.0/112', to: servers.m1}\n"),
		     "t.yaml:7:41: rules[0].from: '::ffff:10.9.0.0/112' is an IPv4-mapped IPv6 prefix, "
		     "which no IPv6 packet carries: write the IPv4 prefix '10.9.0.0/16'");
	/* host bits set as well: the mapping is what to fix first */
	assert_error(one_error(HEAD "rules:\n  - {action: deny, protocol: any, from: "
				    "'::ffff:10.9.0.1/112', to: servers.m1}\n"),
		     "t.yaml:7:41: rules[0].from: '::ffff:10.9.0.1/112' is an IPv4-mapped IPv6 prefix, "
		     "which no IPv6 packet carries: write the IPv4 prefix '10.9.0.0/16'");
	assert_error(one_error(HEAD "devices:\n  h: {driver: nftables, host: '::ffff:10.0.0.1', "
				    "protects: [{servers: [m1], chain: input}]}\n"),
		     "t.yaml:7:31: devices.h.host: '::ffff:10.0.0.1' is an IPv4-mapped IPv6 address, "
		     "which no IPv6 packet carries: write the IPv4 address '10.0.0.1'");
}

/* A site rule between addresses of two families matches no packet: it
 * compiled with a warning naming no rule, and render then failed without
 * a position. Refused at the rule. */
static void test_rule_families(void **state)
{
	(void)state;
	assert_error(one_error(HEAD "rules:\n  - {action: permit, protocol: tcp, from: 10.9.0.0/16, "
				    "to: 2001:db8::1, ports: [22]}\n"),
		     "t.yaml:7:5: rules[0]: from '10.9.0.0/16' (IPv4 only) and to '2001:db8::1' (IPv6 "
		     "only) share no address family, so the rule would match no packet");
	assert_error(one_error(HEAD "rules:\n  - {action: deny, protocol: any, from: networks.clients, "
				    "to: servers.m2}\n"),
		     "t.yaml:7:5: rules[0]: from 'networks.clients' (IPv4 only) and to 'servers.m2' "
		     "(IPv6 only) share no address family, so the rule would match no packet");
	/* one family in common is enough: the pool has IPv4 and IPv6 */
	{
		static const char ok[] = HEAD "rules:\n  - {action: permit, protocol: tcp, from: "
					      "networks.clients, to: pools.p, ports: [22]}\n";
		struct aclf_err err;
		struct aclf_topology *t;
		aclf_err_init(&err);
		t = aclf_topology_load_mem(ok, strlen(ok), "t.yaml", &err);
		if (!t)
			fail_msg("%s", aclf_err_text(&err));
		aclf_topology_free(t);
		aclf_err_release(&err);
	}
}

/* A private key pasted where its file's path belongs is refused where it
 * is written, and never repeated in the message. */
static void test_ssh_key_material(void **state)
{
	static const char *const keys[] = {
		("|\n        -----BEGIN OPENSSH PRIVATE KEY-----\n        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
		 "        -----END OPENSSH PRIVATE KEY-----"),
		"'-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEAs3cr3t'",
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQs3cr3t",
		"'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIs3cr3t admin@host'",
		"\"/etc/keys/id\\ns3cr3t\"",
	};
	char yaml[1024];
	char *e;

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(yaml, sizeof(yaml), HEAD "devices:\n  h:\n    driver: nftables\n    host: 10.0.0.1\n"
						  "    protects: [{servers: [m1], chain: input}]\n"
						  "    ssh:\n      user: root\n      key: %s\n", keys[i]);
		e = one_error(yaml);
		if (strstr(e, "s3cr3t") || strstr(e, "b3Blbn") || strstr(e, "BEGIN"))
			fail_msg("the key is repeated: %s", e);
		assert_error(e, "t.yaml:13:12: devices.h.ssh.key: expected the path of a private key file, "
				"found key material (not repeated here): keep the key in a file only you can "
				"read (mode 0600) and give its path");
	}
	/* a host key line is no known hosts file either */
	assert_error(one_error(HEAD "devices:\n  h:\n    driver: nftables\n    host: 10.0.0.1\n"
				    "    protects: [{servers: [m1], chain: input}]\n"
				    "    ssh: {known_hosts: '10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5'}\n"),
		     "t.yaml:11:24: devices.h.ssh.known_hosts: expected the path of a known hosts file, "
		     "found key material (not repeated here): keep host keys in a known hosts file and "
		     "give its path");
	/* a secret file's path is one line too */
	e = one_error(HEAD "devices:\n  h:\n    driver: nftables\n    host: 10.0.0.1\n"
			   "    protects: [{servers: [m1], chain: input}]\n"
			   "    ssh: {password: \"file:/etc/pw\\ns3cr3t\"}\n");
	assert_null(strstr(e, "s3cr3t"));
	assert_error(e, "t.yaml:11:21: devices.h.ssh.password: expected 'file:PATH' with a path on one "
			"line of at most 4096 characters (the value written here is not repeated)");
}

static char *fixture_dir(void)
{
	const char *f = getenv("ACLF_FIXTURES"), *src = getenv("ACLF_SRCDIR");
	char path[4096];

	if (f && *f)
		snprintf(path, sizeof(path), "%s/topology", f);
	else
		snprintf(path, sizeof(path), "%s/tests/fixtures/topology", src && *src ? src : ".");
	return strdup(path);
}

/* Relative key, known hosts and secret paths are the topology's, as a
 * relative catalog is: anchored at its directory, whatever directory
 * aclforge runs in. Absolute paths and ~/ stay as written. */
static void test_relative_paths(void **state)
{
	char *dir = fixture_dir(), *abs, path[4200], want[4200];
	const struct aclf_device *d;
	struct aclf_topology *t;
	struct aclf_err err;

	(void)state;
	assert_non_null(dir);
	abs = realpath(dir, NULL);
	assert_non_null(abs);
	snprintf(path, sizeof(path), "%s/good-relative-paths.yaml", dir);
	aclf_err_init(&err);
	t = aclf_topology_load(path, &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	d = aclf_topology_device(t, "core1");
	snprintf(want, sizeof(want), "%s/keys/core1_ed25519", abs);
	assert_string_equal(d->ssh.key_file, want);
	snprintf(want, sizeof(want), "%s/../known_hosts", abs);
	assert_string_equal(d->ssh.known_hosts, want);
	snprintf(want, sizeof(want), "%s/secrets/core1", abs);
	assert_string_equal(d->ssh.password.ref, want);
	assert_int_equal(d->ssh.password.pos.line, 11);
	assert_int_equal(d->ssh.password.pos.col, 89);
	assert_string_equal(d->snmp.auth.ref, "/etc/aclforge/auth");
	assert_string_equal(d->snmp.priv.ref, "PRIV");
	d = aclf_topology_device(t, "dir01-host");
	assert_string_equal(d->ssh.key_file, "~/.ssh/id_ed25519");
	snprintf(want, sizeof(want), "%s/./known_hosts", abs);
	assert_string_equal(d->ssh.known_hosts, want);
	assert_string_equal(d->snmp.community.ref, "~/snmp-community");
	aclf_topology_free(t);
	aclf_err_release(&err);
	free(abs);
	free(dir);
}


/* The keys of a deployment's infrastructure: catalogs as a list, network
 * sites and the new kinds, gateways of mediation pools, self IPs of load
 * balancers, the Windows dynamic range, the SQL port, the options. */
static void test_deployment_keys(void **state)
{
	const char *y = "catalog: [lync2013-internal, ../x/extra.yaml]\n"
			"sites: {a: {load_balancing: dns}, b: {load_balancing: dns}}\n"
			"rpc_dynamic_ports: {start: 50000, count: 1000}\nsql_port: 14330\n"
			"options: {xmpp: true, centralized_logging: yes}\n"
			"networks:\n"
			"  gw-a: {kind: pstn-gateway, site: a, prefixes: [10.40.0.10]}\n"
			"  gw-b: {kind: pstn-gateway, site: b, prefixes: [10.41.0.10]}\n"
			"  dc: {kind: domain-controller, prefixes: [10.9.0.10]}\n"
			"  mgmt: {kind: management, prefixes: [10.9.9.0/24]}\n"
			"  sql: {kind: sql-server, prefixes: [10.9.1.10]}\n"
			"  dns_server: [10.9.0.53]\n  file_server: [10.9.2.10]\n  pki: [10.9.3.10]\n"
			"pools:\n"
			"  med: {role: mediation, site: a, fqdn: m.example.net, gateways: [gw-a, gw-b], vip: 10.0.0.2,\n"
			"        servers: {m1: 10.0.0.1}}\n"
			"devices:\n"
			"  lb: {driver: bigip, host: 10.0.0.5, balances: [med], self_ips: [10.0.0.6, 10.0.0.8]}\n";
	struct aclf_err err;
	struct aclf_topology *t;

	(void)state;
	aclf_err_init(&err);
	t = aclf_topology_load_mem(y, strlen(y), "t.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(t->ncatalogs, 2);
	assert_string_equal(t->catalogs[0], "lync2013-internal");
	assert_string_equal(t->catalogs[1], "../x/extra.yaml");
	assert_string_equal(t->catalog, "lync2013-internal");
	assert_int_equal(t->rpc_dynamic.lo, 50000);
	assert_int_equal(t->rpc_dynamic.hi, 50999);
	assert_int_equal(t->sql_port, 14330);
	assert_true(t->opt_xmpp);
	assert_true(t->opt_centralized_logging);
	assert_string_equal(aclf_topology_network(t, "gw-b")->site, "b");
	assert_null(aclf_topology_network(t, "dc")->site);
	assert_string_equal(aclf_topology_network(t, "dns_server")->kind, "dns-server");
	assert_string_equal(aclf_topology_network(t, "mgmt")->kind, "management");
	assert_int_equal(t->pools[0].ngateways, 2);
	assert_string_equal(t->pools[0].gateways[1], "gw-b");
	assert_int_equal(t->devices[0].self_ips.n, 2);
	aclf_topology_free(t);
	aclf_err_release(&err);
}

static void test_deployment_key_errors(void **state)
{
	static const char *const base =
		"site: s\nload_balancing: dns\n"
		"networks: {gw: {kind: pstn-gateway, prefixes: [10.40.0.10]}, cl: {kind: clients, prefixes: [10.20.0.0/16]}}\n";
	static const struct {
		const char *tail, *want;
	} cases[] = {
		{ "pools: {f: {role: front-end, fqdn: f.example.net, gateways: [gw], servers: {f1: 10.0.0.1}}}\n",
		  "t.yaml:4:61: pools.f.gateways: only mediation pools and front-end pools with collocated mediation "
		  "talk to gateways, this pool is 'front-end' without 'collocated: [mediation]'" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, gateways: [cl], servers: {m1: 10.0.0.1}}}\n",
		  "t.yaml:4:62: pools.m.gateways: network 'cl' is of kind 'clients', expected a pstn-gateway network" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, gateways: [gx], servers: {m1: 10.0.0.1}}}\n",
		  "t.yaml:4:62: pools.m.gateways: unknown network 'gx'" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"
		  "devices: {h: {driver: nftables, host: 10.0.0.9, self_ips: [10.0.0.6], protects: [{pools: [m], chain: input}]}}\n",
		  "t.yaml:5:59: devices.h.self_ips: only bigip devices take self_ips" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, vip: 10.0.0.2, servers: {m1: 10.0.0.1}}}\n"
		  "devices: {lb: {driver: bigip, host: 10.0.0.9, balances: [m], self_ips: [10.0.0.0/24]}}\n",
		  "t.yaml:5:73: devices.lb.self_ips: expected a host address, found '10.0.0.0/24'" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"
		  "rpc_dynamic_ports: {start: 65000, count: 1000}\n",
		  "t.yaml:5:20: rpc_dynamic_ports: range 65000-65999 ends beyond port 65535" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"
		  "catalog: [lync2013-internal, lync2013-internal]\n",
		  "t.yaml:5:30: catalog: 'lync2013-internal' listed twice" },
		{ "pools: {m: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"
		  "options: {xmpp: maybe}\n",
		  NULL },
	};
	char yaml[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got;
		snprintf(yaml, sizeof(yaml), "%s%s", base, cases[i].tail);
		got = one_error(yaml);
		if (cases[i].want)
			assert_error(got, cases[i].want);
		else
			free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_protocol_zero),
		cmocka_unit_test(test_rule_ports_reversed),
		cmocka_unit_test(test_v4mapped),
		cmocka_unit_test(test_rule_families),
		cmocka_unit_test(test_ssh_key_material),
		cmocka_unit_test(test_relative_paths),
		cmocka_unit_test(test_deployment_keys),
		cmocka_unit_test(test_deployment_key_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
