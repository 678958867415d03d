/* A fifth driver is one descriptor and one line in the registry: the
 * test-only driver "toy" (registered by tests/unit/registry/ this test's
 * name .c) goes through the topology loader (its name rules, file:line:col),
 * the compiler, render, parse with the core's rollback, detection, help
 * listings and the render file extension, without any file of src/ naming
 * it. */
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
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

/* ---- the toy driver: "toy filter NAME" / "toy rule ID permit|deny" ---- */

static int toy_render(const struct aclf_devpol *dp, const struct aclf_device *dev,
		      struct aclf_buf *out, struct aclf_err *err)
{
	if (!dev)
		return aclf_err_set(err, ACLF_E_INPUT, "toy renders only devices of a topology");
	aclf_buf_printf(out, "toy device %s host %s\n", dp->name, dev->host);
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		aclf_buf_printf(out, "toy filter %s on %s\n", f->name, f->binding.name);
		for (size_t k = 0; k < f->nrules; k++) {
			if (f->rules[k].protocol == ACLF_PROTO_ICMP6)
				return aclf_err_set(err, ACLF_E_POLICY, "toy cannot say icmp6 (%s)",
						    f->rules[k].id);
			aclf_buf_printf(out, "toy rule %s %s\n", f->rules[k].id,
					aclf_action_name(f->rules[k].action));
		}
	}
	return 0;
}

/* Adds its device first and fails late on "toy broken": the core must
 * withdraw the device. */
static int toy_parse(const char *text, size_t len, const struct aclf_parse_opts *o,
		     struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	struct aclf_devpol *dp = aclf_policy_add_device(pol, o->name ? o->name : "toy", "toy");
	unsigned line = 1;

	if (!dp)
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - text) - i : len - i;
		if (n >= 11 && !memcmp(text + i, "toy filter ", 11)) {
			char name[64];
			snprintf(name, sizeof(name), "%.*s", (int)(n - 11 < 63 ? n - 11 : 63), text + i + 11);
			if (!aclf_devpol_add_filter(pol, dp, name))
				return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
		} else if (n >= 10 && !memcmp(text + i, "toy broken", 10)) {
			return aclf_err_at(err, o->label, line, 1, "broken toy line");
		}
		i += n + 1;
	}
	*out = dp;
	return 0;
}

static const char *toy_check_name(enum aclf_name_kind kind, const char *s)
{
	if (kind == ACLF_NAME_INTERFACE && strncmp(s, "port", 4) != 0)
		return "a toy port name such as port7";
	return NULL;
}

static int toy_sniff(const char *text, size_t len)
{
	return len >= 4 && !memcmp(text, "toy ", 4) ? 99 : 0;
}

static const struct aclf_driver_ops toy_ops = {
	.render = toy_render,
	.parse = toy_parse,
};

const struct aclf_driver toy_driver = {
	.name = "toy",
	.summary = "test-only driver",
	.file_ext = "toycfg",
	.reads = "toy text",
	.binding = ACLF_DRV_BIND_INTERFACE,
	.stateful = true,
	.filters = true,
	.balances = false,
	.check_name = toy_check_name,
	.sniff = toy_sniff,
	.ops = &toy_ops,
};

/* ---- the pipeline with the toy driver ---- */

static const char topo_fmt[] =
	"catalog: %s/inventory/catalogs/lync2013-internal.yaml\n"
	"site: s1\n"
	"load_balancing: hardware\n"
	"networks:\n"
	"  clients: {kind: clients, prefixes: [10.20.0.0/16]}\n"
	"pools:\n"
	"  fe:\n"
	"    role: front-end\n"
	"    fqdn: pool.example.net\n"
	"    vip: 10.1.1.10\n"
	"    servers: {fe01: 10.1.1.11, fe02: 10.1.1.12}\n"
	"devices:\n"
	"  t1:\n"
	"    driver: toy\n"
	"    host: 127.0.0.1\n"
	"    protects:\n"
	"      - {pools: [fe], interface: %s, direction: in, name: FE-IN}\n";

static struct aclf_topology *load_topo(const char *iface, struct aclf_err *err)
{
	const char *src = getenv("ACLF_SRCDIR");
	char y[2048];

	snprintf(y, sizeof(y), topo_fmt, src ? src : ".", iface);
	return aclf_topology_load_mem(y, strlen(y), "toy.yaml", err);
}

static void registered_by_one_line(void **state)
{
	char names[256];

	(void)state;
	assert_ptr_equal(aclf_driver_find("toy"), &toy_driver);
	assert_string_equal(aclf_driver_names(names, sizeof(names), " or "),
			    "ios, junos, bigip, nftables or toy");
	assert_ptr_equal(aclf_driver_detect("toy filter A\n", 13), &toy_driver);
}

static void loader_uses_its_name_rules(void **state)
{
	struct aclf_err err;
	struct aclf_topology *t;

	(void)state;
	aclf_err_init(&err);
	t = load_topo("Vlan110", &err);
	assert_null(t);
	/* the interface value: line 17, column 34 (1-based) */
	assert_int_equal(err.line, 17);
	assert_int_equal(err.col, 34);
	assert_non_null(strstr(aclf_err_text(&err), "expected a toy port name such as port7, found 'Vlan110'"));
	aclf_err_release(&err);

	t = load_topo("port7", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	assert_string_equal(t->devices[0].driver, "toy");
	aclf_topology_free(t);
	aclf_err_release(&err);
}

static void compiles_and_renders(void **state)
{
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct aclf_buf out = ACLF_BUF_INIT;
	char *cpath;

	(void)state;
	aclf_err_init(&err);
	t = load_topo("port7", &err);
	assert_non_null(t);
	cpath = aclf_catalog_resolve(t->catalog, "toy.yaml");
	assert_non_null(cpath);
	c = aclf_catalog_load(cpath, &err);
	free(cpath);
	if (!c)
		fail_msg("%s", aclf_err_text(&err));
	p = aclf_compile(c, t, NULL, NULL, &err);
	if (!p)
		fail_msg("%s", aclf_err_text(&err));
	assert_int_equal(p->ndevices, 1);
	assert_string_equal(p->devices[0].driver, "toy");
	assert_int_equal(p->devices[0].nfilters, 1);
	assert_string_equal(p->devices[0].filters[0].name, "FE-IN");
	/* stateful: no return-path rules were added */
	for (size_t k = 0; k < p->devices[0].filters[0].nrules; k++)
		for (size_t j = 0; j < p->devices[0].filters[0].rules[k].nprov; j++)
			assert_string_not_equal(p->devices[0].filters[0].rules[k].prov[j].kind, "return-path");
	aclf_buf_init(&out, 0);
	aclf_buf_puts(&out, "kept\n");
	assert_int_equal(aclf_driver_render(&toy_driver, &p->devices[0], &t->devices[0], &out, &err), 0);
	assert_non_null(strstr(out.buf, "kept\ntoy device t1 host 127.0.0.1\ntoy filter FE-IN on port7\n"));
	assert_non_null(strstr(out.buf, "toy rule r0001 permit\n"));
	/* a render that fails leaves the buffer as it was */
	aclf_buf_reset(&out);
	aclf_buf_puts(&out, "kept\n");
	assert_int_equal(aclf_driver_render(&toy_driver, &p->devices[0], NULL, &out, &err), -1);
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	/* plan is not supported: a clear error, nothing written */
	assert_int_equal(aclf_driver_plan(&toy_driver, &p->devices[0], NULL, &t->devices[0], &out, &err), -1);
	assert_string_equal(aclf_err_text(&err), "driver 'toy' cannot plan");
	assert_string_equal(out.buf, "kept\n");
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(p);
	aclf_catalog_free(c);
	aclf_topology_free(t);
}

static void core_rolls_back_a_failed_parse(void **state)
{
	static const char good[] = "toy filter A\ntoy filter B\n";
	static const char bad[] = "toy filter A\ntoy broken\n";
	struct aclf_policy *pol = aclf_policy_new(), *lp = NULL;
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&toy_driver, good, strlen(good),
					   &(struct aclf_parse_opts){ .name = "a" }, pol, &dp, &err), 0);
	assert_int_equal(pol->ndevices, 1);
	assert_int_equal(dp->nfilters, 2);
	assert_int_equal(aclf_driver_parse(&toy_driver, bad, strlen(bad),
					   &(struct aclf_parse_opts){ .name = "b" }, pol, &dp, &err), -1);
	assert_null(dp);
	assert_int_equal(pol->ndevices, 1); /* the device the driver added is withdrawn */
	assert_int_equal(err.line, 2);
	aclf_err_release(&err);
	/* live loading detects the toy text without being told the driver */
	assert_int_equal(aclf_live_load(good, strlen(good), NULL, &(struct aclf_parse_opts){ .label = "live.txt" }, &lp, &dp, &err), 0);
	assert_string_equal(dp->driver, "toy");
	assert_int_equal(dp->nfilters, 2);
	aclf_policy_free(lp);
	aclf_policy_free(pol);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registered_by_one_line),
		cmocka_unit_test(loader_uses_its_name_rules),
		cmocka_unit_test(compiles_and_renders),
		cmocka_unit_test(core_rolls_back_a_failed_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
