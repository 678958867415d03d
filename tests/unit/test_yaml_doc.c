/* The YAML document layer every loader reads through (src/model/yaml_*.c),
 * seen through both loaders, catalog and topology: a NUL inside a string is
 * refused where it is written, libyaml's misleading errors are reworded
 * (tabs, keys over 1024 characters, control characters) at their real
 * line:col, and merge keys (`<<: *a`, `<<: [*a, *b]`) work, with errors in
 * merged values pointing at the line that writes them. */
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
#include "aclforge/err.h"
#include "aclforge/topology.h"

/* the smallest topology: prepended to each case's own lines */
#define TOPO_HEAD                                                                                  \
	"site: s\nload_balancing: dns\n"                                                           \
	"pools: {p: {role: mediation, fqdn: m.example.net, servers: {d1: 10.0.0.1, d2: 10.0.0.2}}}\n"

/* The error text of loading a topology of len bytes (the load must fail). */
static char *topo_error(const char *yaml, size_t len)
{
	struct aclf_err err;
	struct aclf_topology *t;
	char *s;

	aclf_err_init(&err);
	t = aclf_topology_load_mem(yaml, len, "t.yaml", &err);
	if (t)
		fail_msg("loaded:\n%s", yaml);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	s = strdup(aclf_err_text(&err));
	assert_non_null(s);
	aclf_err_release(&err);
	return s;
}

static struct aclf_topology *topo_ok(const char *yaml)
{
	struct aclf_err err;
	struct aclf_topology *t;

	aclf_err_init(&err);
	t = aclf_topology_load_mem(yaml, strlen(yaml), "t.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
	return t;
}

static char *catalog_error(const char *yaml, size_t len)
{
	struct aclf_err err;
	struct aclf_catalog *c;
	char *s;

	aclf_err_init(&err);
	c = aclf_catalog_load_mem(yaml, len, "c.yaml", &err);
	if (c)
		fail_msg("loaded:\n%s", yaml);
	s = strdup(aclf_err_text(&err));
	assert_non_null(s);
	aclf_err_release(&err);
	return s;
}

static void assert_error(char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("\n got: %s\nwant: %s", got, want);
	free(got);
}

/* A NUL inside a string would cut the value short where the loaders copy
 * it: "172.17.0.0/22\0garbage" would be the prefix, "env:X\0literal" the
 * reference. Refused once, at the escape, for every loader. */
static void test_nul_in_string(void **state)
{
	static const char prefix[] = TOPO_HEAD
		"networks:\n  clients: {kind: clients, prefixes: [\"172.17.0.0/22\\0garbage\"]}\n";
	static const char secret[] = TOPO_HEAD
		"devices:\n  h:\n    driver: nftables\n    host: 10.0.0.1\n"
		"    ssh: {user: root, password: \"env:X\\x00literal\"}\n"
		"    protects: [{servers: [d1], chain: input}]\n";
	static const char key[] = TOPO_HEAD "\"pools\\u0000x\": 1\n";
	static const char catalog[] = "name: \"m\\0\"\nsource: s\nrows: []\n";
	/* a NUL byte itself: libyaml's reader refuses it, here at its place */
	static const char raw[] = "site: berlin\0x\nload_balancing: dns\n";

	(void)state;
	assert_error(topo_error(prefix, sizeof(prefix) - 1),
		     "t.yaml:5:53: NUL character ('\\0') in a string: not allowed, the value would "
		     "end there");
	assert_error(topo_error(secret, sizeof(secret) - 1),
		     "t.yaml:8:39: NUL character ('\\0') in a string: not allowed, the value would "
		     "end there");
	assert_error(topo_error(key, sizeof(key) - 1),
		     "t.yaml:4:7: NUL character ('\\0') in a string: not allowed, the value would "
		     "end there");
	assert_error(catalog_error(catalog, sizeof(catalog) - 1),
		     "c.yaml:1:9: NUL character ('\\0') in a string: not allowed, the value would "
		     "end there");
	assert_error(topo_error(raw, sizeof(raw) - 1),
		     "t.yaml:1:13: control characters are not allowed: found byte 0x00");
}

/* libyaml says "found character that cannot start any token"; the user
 * indented with a tab. */
static void test_tabs(void **state)
{
	static const char topo[] = TOPO_HEAD "networks:\n\tclients: [10.20.0.0/16]\n";
	static const char nested[] = TOPO_HEAD "networks:\n  clients:\n  \t- 10.20.0.0/16\n";
	static const char catalog[] = "name: m\nsource: s\nrows:\n  - id: x\n\t  table: server\n";

	(void)state;
	assert_error(topo_error(topo, sizeof(topo) - 1),
		     "t.yaml:5:1: tab character: YAML forbids tabs for indentation, indent with "
		     "spaces");
	assert_error(topo_error(nested, sizeof(nested) - 1),
		     "t.yaml:6:3: tab character: YAML forbids tabs for indentation, indent with "
		     "spaces");
	assert_error(catalog_error(catalog, sizeof(catalog) - 1),
		     "c.yaml:5:1: tab character: YAML forbids tabs for indentation, indent with "
		     "spaces");
}

/* libyaml says "could not find expected ':'" for a key over 1024
 * characters, at the ':' it did find; the key is too long, and starts
 * elsewhere. */
static void test_long_key(void **state)
{
	struct aclf_buf b;

	(void)state;
	aclf_buf_init(&b, 0);
	aclf_buf_puts(&b, TOPO_HEAD "networks:\n  ");
	for (int i = 0; i < 1100; i++)
		aclf_buf_putc(&b, 'k');
	aclf_buf_puts(&b, ": [10.0.0.0/8]\n");
	assert_error(topo_error(b.buf, b.len),
		     "t.yaml:5:3: key longer than 1024 characters: libyaml reads no longer key (its "
		     "limit for a simple key)");
	/* in a flow mapping libyaml words it otherwise; the key is as long */
	aclf_buf_reset(&b);
	aclf_buf_puts(&b, TOPO_HEAD "networks: {");
	for (int i = 0; i < 1030; i++)
		aclf_buf_putc(&b, 'k');
	aclf_buf_puts(&b, ": [10.0.0.0/8]}\n");
	assert_error(topo_error(b.buf, b.len),
		     "t.yaml:4:12: key longer than 1024 characters: libyaml reads no longer key (its "
		     "limit for a simple key)");
	aclf_buf_reset(&b);
	aclf_buf_puts(&b, "name: m\nsource: s\nrows:\n  - \"");
	for (int i = 0; i < 1100; i++)
		aclf_buf_putc(&b, 'k');
	aclf_buf_puts(&b, "\": 1\n");
	assert_error(catalog_error(b.buf, b.len),
		     "c.yaml:4:5: key longer than 1024 characters: libyaml reads no longer key (its "
		     "limit for a simple key)");
	/* a long value followed by ':' is no key: libyaml's words */
	aclf_buf_reset(&b);
	aclf_buf_puts(&b, TOPO_HEAD "x: ");
	for (int i = 0; i < 1100; i++)
		aclf_buf_putc(&b, 'v');
	aclf_buf_puts(&b, ": 1\n");
	assert_error(topo_error(b.buf, b.len),
		     "t.yaml:4:1104: mapping values are not allowed in this context");
	/* a key that is not followed by ':' keeps libyaml's words */
	aclf_buf_reset(&b);
	aclf_buf_puts(&b, TOPO_HEAD "networks\noptions: {}\n");
	assert_error(topo_error(b.buf, b.len),
		     "t.yaml:5:1: could not find expected ':' while scanning a simple key");
	aclf_buf_release(&b);
}

/* Merge keys share settings between devices: one mapping, several lists,
 * the mapping's own keys first, then the first merged mapping's. */
static void test_merge_keys(void **state)
{
	static const char yaml[] = TOPO_HEAD
		"devices:\n"
		"  h1:\n"
		"    <<: &host {driver: nftables, ssh: {user: root, agent: true}, snmp: {version: 2c, community: env:C}}\n"
		"    host: 10.0.0.1\n"
		"    protects: [{servers: [d1], chain: input}]\n"
		"  h2:\n"
		"    <<: *host\n"
		"    host: 10.0.0.2\n"
		"    ssh: {user: admin, port: 2222}\n"
		"    protects: [{servers: [d2], chain: input}]\n"
		"  h3:\n"
		"    host: 10.0.0.3\n"
		"    <<: [{ssh: {user: first}}, *host]\n"
		"    protects: [{servers: [d1, d2], chain: forward}]\n";
	struct aclf_topology *t;
	const struct aclf_device *d;

	(void)state;
	t = topo_ok(yaml);
	assert_int_equal(t->ndevices, 3);
	d = aclf_topology_device(t, "h1");
	assert_string_equal(d->driver, "nftables");
	assert_string_equal(d->ssh.user, "root");
	assert_true(d->ssh.agent);
	assert_int_equal(d->snmp.version, 2);
	assert_string_equal(d->snmp.community.ref, "C");
	d = aclf_topology_device(t, "h2");
	assert_string_equal(d->driver, "nftables");
	assert_string_equal(d->host, "10.0.0.2");
	assert_string_equal(d->ssh.user, "admin"); /* its own ssh, whole */
	assert_false(d->ssh.agent);
	assert_int_equal(d->ssh.port, 2222);
	assert_int_equal(d->snmp.version, 2);
	d = aclf_topology_device(t, "h3");
	assert_string_equal(d->driver, "nftables");
	assert_string_equal(d->ssh.user, "first");
	assert_string_equal(d->protects[0].chain, "forward");
	aclf_topology_free(t);
}

/* Errors in merged values point at the line writing them; a bad merge
 * value, a second '<<' and a mapping merging itself are errors of their
 * own; a quoted '<<' is an ordinary (unknown) key. */
static void test_merge_errors(void **state)
{
	static const char bad_value[] = TOPO_HEAD
		"devices:\n"
		"  h1:\n"
		"    <<: &host\n"
		"      driver: nftables\n"
		"      ssh: {port: 0}\n"
		"    host: 10.0.0.1\n"
		"    protects: [{servers: [d1], chain: input}]\n";
	static const char scalar[] = TOPO_HEAD "options:\n  <<: yes\n";
	static const char list[] = TOPO_HEAD "options: {<<: [{optional_5060: true}, 1]}\n";
	static const char twice[] = TOPO_HEAD "x: &x {a: 1}\noptions:\n  <<: *x\n  <<: *x\n";
	static const char self[] = TOPO_HEAD "options: &o {<<: *o}\n";
	static const char quoted[] = TOPO_HEAD "options: {'<<': {optional_5060: true}}\n";
	static const char catalog[] = "name: m\nsource: s\nrows:\n"
				      "  - &row {id: c-1, table: client, seed_row: 1, role: phones, colour: red}\n"
				      "  - {<<: *row, id: c-2, seed_row: 2}\n";
	char *e;

	(void)state;
	assert_error(topo_error(bad_value, sizeof(bad_value) - 1),
		     "t.yaml:8:19: devices.h1.ssh.port: expected a number from 1 to 65535, found '0'");
	assert_error(topo_error(scalar, sizeof(scalar) - 1),
		     "t.yaml:5:7: merge key '<<': expected a mapping or a list of mappings (e.g. "
		     "*defaults or [*a, *b]), found a scalar");
	assert_error(topo_error(list, sizeof(list) - 1),
		     "t.yaml:4:39: merge key '<<': expected a mapping (e.g. *defaults), found a scalar");
	assert_error(topo_error(twice, sizeof(twice) - 1),
		     "t.yaml:7:3: duplicate key '<<' (first at line 6), merge several mappings with "
		     "<<: [*a, *b]");
	assert_error(topo_error(self, sizeof(self) - 1),
		     "t.yaml:4:10: merge key '<<': the mapping merges itself");
	assert_error(topo_error(quoted, sizeof(quoted) - 1),
		     "t.yaml:4:11: options: unknown key '<<', expected one of: optional_5060, xmpp, centralized_logging");
	/* the catalog: the unknown key is reported in the row that writes it
	 * (and again, at the same place, for the row merging it) */
	e = catalog_error(catalog, sizeof(catalog) - 1);
	assert_non_null(strstr(e, "c.yaml:4:62: row 'c-1': unknown key 'colour'"));
	assert_non_null(strstr(e, "c.yaml:4:62: row 'c-2': unknown key 'colour'"));
	assert_null(strstr(e, "'<<'"));
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nul_in_string),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_long_key),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_merge_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
