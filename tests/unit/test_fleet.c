/* The fleet's parts that need no device: shards (every device in exactly
 * one shard, the same answer every time, shards of similar size), exit
 * codes per command from the devices' outcomes, the selection (an unknown
 * --device is bad input), drivers that cannot fetch or apply failing
 * before anything connects, and the topology's `ssh: sudo`. The paths over
 * SSH are tested against real hosts: tests/integration/apply_nft*.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/compile.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/topology.h"

static void shards_partition(void **state)
{
	char name[32];

	(void)state;
	for (unsigned n = 1; n <= 9; n++) {
		unsigned size[9] = { 0 };

		for (unsigned k = 0; k < 2000; k++) {
			unsigned in = 0, which = 0;

			snprintf(name, sizeof(name), "host-%u", k);
			for (unsigned i = 0; i < n; i++)
				if (aclf_fleet_in_shard(name, i, n)) {
					in++;
					which = i;
				}
			assert_int_equal(in, 1);
			/* the same answer every time */
			assert_true(aclf_fleet_in_shard(name, which, n));
			size[which]++;
		}
		for (unsigned i = 0; i < n; i++) {
			/* within half and one and a half of an even share */
			assert_true(size[i] * n * 2 >= 2000);
			assert_true(size[i] * n * 2 <= 3 * 2000);
		}
	}
	assert_true(aclf_fleet_in_shard("anything", 0, 0));
	assert_true(aclf_fleet_in_shard("anything", 0, 1));
}

static int code(enum aclf_fleet_verb verb, const enum aclf_outcome *o, size_t n,
		enum aclf_err_kind kind)
{
	struct aclf_fleet_dev devs[8];
	struct aclf_fleet fl = { .devs = devs, .n = n, .verb = verb };

	memset(devs, 0, sizeof(devs));
	for (size_t i = 0; i < n; i++) {
		devs[i].outcome = o[i];
		devs[i].err.kind = o[i] == ACLF_OUT_FAILED ? kind : ACLF_E_NONE;
	}
	return aclf_fleet_exit_code(&fl);
}

static void exit_codes(void **state)
{
	const enum aclf_outcome unchanged2[] = { ACLF_OUT_UNCHANGED, ACLF_OUT_UNCHANGED };
	const enum aclf_outcome change[] = { ACLF_OUT_UNCHANGED, ACLF_OUT_CHANGES };
	const enum aclf_outcome change_fail[] = { ACLF_OUT_CHANGES, ACLF_OUT_FAILED };
	const enum aclf_outcome applied[] = { ACLF_OUT_APPLIED, ACLF_OUT_UNCHANGED };
	const enum aclf_outcome rolled[] = { ACLF_OUT_APPLIED, ACLF_OUT_ROLLED_BACK };
	const enum aclf_outcome unknown[] = { ACLF_OUT_UNKNOWN };
	const enum aclf_outcome refused[] = { ACLF_OUT_APPLIED, ACLF_OUT_REFUSED };
	const enum aclf_outcome refused_fail[] = { ACLF_OUT_REFUSED, ACLF_OUT_FAILED };
	const enum aclf_outcome stopped[] = { ACLF_OUT_ROLLED_BACK, ACLF_OUT_NOT_ATTEMPTED };
	const enum aclf_outcome stopped_input[] = { ACLF_OUT_FAILED, ACLF_OUT_NOT_ATTEMPTED };

	(void)state;
	assert_int_equal(code(ACLF_FLEET_PLAN, unchanged2, 2, ACLF_E_NONE), 0);
	assert_int_equal(code(ACLF_FLEET_PLAN, change, 2, ACLF_E_NONE), 1);
	assert_int_equal(code(ACLF_FLEET_AUDIT, change, 2, ACLF_E_NONE), 1);
	/* a device that could not be read outweighs drift elsewhere */
	assert_int_equal(code(ACLF_FLEET_AUDIT, change_fail, 2, ACLF_E_TRANSPORT), 3);
	/* a setting of ours (a secret not set) is bad input */
	assert_int_equal(code(ACLF_FLEET_PLAN, change_fail, 2, ACLF_E_INPUT), 2);
	assert_int_equal(code(ACLF_FLEET_APPLY, applied, 2, ACLF_E_NONE), 0);
	assert_int_equal(code(ACLF_FLEET_APPLY, rolled, 2, ACLF_E_NONE), 3);
	assert_int_equal(code(ACLF_FLEET_APPLY, unknown, 1, ACLF_E_NONE), 3);
	assert_int_equal(code(ACLF_FLEET_APPLY, refused, 2, ACLF_E_NONE), 2);
	assert_int_equal(code(ACLF_FLEET_APPLY, refused_fail, 2, ACLF_E_DEVICE), 3);
	/* devices left out by a stopped rollout: the failures that stopped it
	 * decide */
	assert_int_equal(code(ACLF_FLEET_APPLY, stopped, 2, ACLF_E_NONE), 3);
	assert_int_equal(code(ACLF_FLEET_APPLY, stopped_input, 2, ACLF_E_INPUT), 2);
	assert_int_equal(code(ACLF_FLEET_APPLY, stopped_input, 2, ACLF_E_TRANSPORT), 3);
}

static void drivers_that_cannot(void **state)
{
	const struct aclf_driver *const *all = aclf_drivers();
	struct aclf_txn txn;
	struct aclf_buf plan = ACLF_BUF_INIT;
	struct aclf_err err;
	unsigned can = 0;

	(void)state;
	for (size_t i = 0; all[i]; i++) {
		if (aclf_driver_can_apply(all[i])) {
			can++;
			continue;
		}
		aclf_err_init(&err);
		aclf_txn_init(&txn);
		aclf_buf_init(&plan, 0);
		assert_int_equal(aclf_driver_load(all[i], NULL, NULL, &plan,
						  &(struct aclf_apply_opts){ 0 }, &txn, &err), -1);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		assert_non_null(strstr(aclf_err_text(&err), "cannot apply"));
		assert_non_null(strstr(aclf_err_text(&err), all[i]->name));
		aclf_txn_release(&txn);
		aclf_err_release(&err);
	}
	assert_true(aclf_driver_can_apply(aclf_driver_find("nftables")));
	assert_true(can >= 1);
}

/* small.yaml's core1 (ios) and lb1 (bigip): fetch and apply fail before
 * anything connects (the example's 10.x addresses are never dialled): a
 * driver without the op says so, one with it stops at the example's key
 * file, which is missing under a HOME that does not exist. */
static void run_without_network(void **state)
{
	char path[4096];
	const char *src = getenv("ACLF_SRCDIR");
	const char *only[] = { "core1", "lb1", NULL };
	const char *unknown[] = { "no-such-device", NULL };
	struct aclf_compiled c;
	struct aclf_fleet fl;
	struct aclf_err err;
	enum aclf_fleet_verb verbs[] = { ACLF_FLEET_FETCH, ACLF_FLEET_APPLY };

	(void)state;
	unsetenv("ACLF_CORE1_PASSWORD");
	aclf_err_init(&err);
	assert_int_equal(setenv("HOME", "/nonexistent/aclforge-test-home", 1), 0);
	snprintf(path, sizeof(path), "%s/inventory/examples/small.yaml", src ? src : ".");
	if (aclf_compile_file(path, &(struct aclf_compile_opts){ 0 }, false, &c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	/* the example's hosts moved to loopback: a mistake reaches nothing
	 * but 127.0.0.1 */
	for (size_t d = 0; d < c.topo->ndevices; d++)
		c.topo->devices[d].host = "127.0.0.1";
	for (size_t v = 0; v < 2; v++) {
		struct aclf_fleet_opts o = { .verb = verbs[v], .only = only, .parallel = 2,
					     .max_fail = 5 };

		assert_int_equal(aclf_fleet_run(c.topo, c.pol, &o, &fl, &err), 0);
		assert_int_equal(fl.n, 2);
		for (size_t i = 0; i < fl.n; i++) {
			const struct aclf_driver *drv = aclf_driver_find(fl.devs[i].dev->driver);
			bool has = v ? aclf_driver_can_apply(drv) : drv->ops->fetch != NULL;

			assert_string_equal(fl.devs[i].dev->name, only[i]);
			assert_int_equal(fl.devs[i].outcome, ACLF_OUT_FAILED);
			assert_int_equal(fl.devs[i].err.kind, ACLF_E_INPUT);
			{
				const char *t = aclf_err_text(&fl.devs[i].err);
				/* ios stops at its unset password reference, bigip
				 * at the key file missing under that HOME */
				if (!has)
					assert_non_null(strstr(t, v ? "cannot apply" : "cannot fetch"));
				else
					assert_true(strstr(t, "env:ACLF_CORE1_PASSWORD: not set") ||
						    strstr(t, "/nonexistent/aclforge-test-home/.ssh/"));
			}
		}
		assert_int_equal(aclf_fleet_exit_code(&fl), 2);
		aclf_fleet_release(&fl);
	}
	{
		struct aclf_fleet_opts o = { .verb = ACLF_FLEET_PLAN, .only = unknown };

		assert_int_equal(aclf_fleet_run(c.topo, c.pol, &o, &fl, &err), -1);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		assert_non_null(strstr(aclf_err_text(&err), "no-such-device"));
		aclf_fleet_release(&fl);
	}
	aclf_compiled_release(&c);
	aclf_err_release(&err);
}

static void ssh_sudo(void **state)
{
	static const char head[] =
		"catalog: lync2013-internal\nsite: s1\nload_balancing: hardware\n"
		"pools:\n  fe: {role: front-end, fqdn: p.example.net, vip: 10.1.1.10, "
		"servers: {fe01: 10.1.1.11}}\n"
		"devices:\n  h1:\n    driver: nftables\n    host: 10.1.1.11\n"
		"    protects: [{servers: [fe01], chain: input}]\n";
	char text[1024];
	struct aclf_topology *t;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	snprintf(text, sizeof(text), "%s    ssh: {user: u, sudo: true}\n", head);
	t = aclf_topology_load_mem(text, strlen(text), "t.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	assert_true(t->devices[0].ssh.sudo);
	aclf_topology_free(t);
	snprintf(text, sizeof(text), "%s    ssh: {user: u}\n", head);
	t = aclf_topology_load_mem(text, strlen(text), "t.yaml", &err);
	assert_non_null(t);
	assert_false(t->devices[0].ssh.sudo);
	aclf_topology_free(t);
	snprintf(text, sizeof(text), "%s    ssh: {user: u, sudo: maybe}\n", head);
	assert_null(aclf_topology_load_mem(text, strlen(text), "t.yaml", &err));
	assert_non_null(strstr(aclf_err_text(&err), "t.yaml:11:26: devices.h1.ssh.sudo: expected true or false"));
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shards_partition),
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(drivers_that_cannot),
		cmocka_unit_test(run_without_network),
		cmocka_unit_test(ssh_sudo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
