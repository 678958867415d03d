/* Each driver's name rules, applied by the topology loader: a name the
 * device cannot take fails at load time with its file:line:col (before,
 * Junos took "bad}" and IOS-style names, IOS rendered "interface x#y", and
 * BIG-IP took "x#y" as a VLAN, all failing only at render or never). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/topology.h"

static const char head[] =
	"catalog: lync2013-internal\n"
	"site: s1\n"
	"load_balancing: hardware\n"
	"pools:\n"
	"  fe:\n"
	"    role: front-end\n"
	"    fqdn: pool.example.net\n"
	"    vip: 10.1.1.10\n"
	"    servers: {fe01: 10.1.1.11}\n"
	"devices:\n"
	"  d1:\n";

static struct aclf_topology *load(const char *device, struct aclf_err *err)
{
	char y[2048];

	snprintf(y, sizeof(y), "%s%s", head, device);
	return aclf_topology_load_mem(y, strlen(y), "names.yaml", err);
}

/* name must be refused at its own line and column (1-based) */
static void refused(const char *device, const char *name, const char *want)
{
	char y[2048];
	struct aclf_err err;
	const char *at, *bol;
	unsigned line = 1;

	snprintf(y, sizeof(y), "%s%s", head, device);
	at = strstr(y, name);
	assert_non_null(at);
	for (const char *p = y; p < at; p++)
		line += *p == '\n';
	for (bol = at; bol > y && bol[-1] != '\n'; bol--)
		;
	aclf_err_init(&err);
	if (aclf_topology_load_mem(y, strlen(y), "names.yaml", &err))
		fail_msg("'%s' was accepted", name);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, (unsigned)(at - bol) + 1);
	if (!strstr(aclf_err_text(&err), want))
		fail_msg("message '%s' lacks '%s'", aclf_err_text(&err), want);
	aclf_err_release(&err);
}

static void accepted(const char *device)
{
	struct aclf_err err;
	struct aclf_topology *t;

	aclf_err_init(&err);
	t = load(device, &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	aclf_topology_free(t);
	aclf_err_release(&err);
}

static void junos_interfaces(void **state)
{
	(void)state;
	refused("    driver: junos\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: \"bad}\", direction: in}]\n",
		"\"bad}\"", "expected a Junos interface name");
	refused("    driver: junos\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: GigabitEthernet0/1, direction: in}]\n",
		"GigabitEthernet0/1", "expected a Junos interface name");
	accepted("    driver: junos\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: ge-0/0/1.0, direction: in}]\n");
	accepted("    driver: junos\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: irb.110, direction: in}]\n");
}

static void ios_interfaces(void **state)
{
	(void)state;
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: \"x#y\", direction: in}]\n",
		"\"x#y\"", "expected an IOS interface name");
	accepted("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: GigabitEthernet1/0/1.100, direction: in}]\n");
	/* abbreviations and other cases: IOS takes them, never prints them */
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: Gi1/0/1, direction: in}]\n",
		"Gi1/0/1", "(GigabitEthernet1/0/1)");
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: gigabitethernet1/0/1, direction: in}]\n",
		"gigabitethernet1/0/1", "(GigabitEthernet1/0/1)");
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: vlan110, direction: out}]\n",
		"vlan110", "(Vlan110)");
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: Po1, direction: in}]\n",
		"Po1", "(Port-channel1)");
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: Te1/1/1, direction: in}]\n",
		"Te1/1/1", "(TenGigabitEthernet1/0/1)");
	/* "T" is Tunnel, TenGigabitEthernet, Two... or TwentyFive...: the generic hint */
	refused("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: T1, direction: in}]\n",
		"T1", "spelled in full");
	accepted("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: Port-channel12, direction: in}]\n");
	accepted("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: TenGigabitEthernet1/1/1, direction: in}]\n");
	/* a type the table does not know is let through */
	accepted("    driver: ios\n    host: 127.0.0.1\n    protects: [{pools: [fe], interface: Cellular0/1/0, direction: in}]\n");
}

static void bigip_vlans(void **state)
{
	(void)state;
	refused("    driver: bigip\n    host: 127.0.0.1\n    balances: [fe]\n    vlan: \"x#y\"\n", "\"x#y\"",
		"expected a BIG-IP VLAN name");
	accepted("    driver: bigip\n    host: 127.0.0.1\n    balances: [fe]\n    vlan: /Common/internal\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(junos_interfaces),
		cmocka_unit_test(ios_interfaces),
		cmocka_unit_test(bigip_vlans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
