/* audit --since (src/fleet/fleet_since.c): an earlier `counters --format
 * json` read back, checked against the topology (FILE:LINE:COL for text
 * that is not JSON, for a device of another topology), and the deltas per
 * rule: plain growth, a Counter32 wrap, a Counter64 wrap, a counter reset
 * (went back, no wrap: the current value, "restarted"), an agent restart
 * told by sysUpTime going back, rules without an earlier reading or a
 * counter now (no delta), bytes beside packets. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "aclforge/audit.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

static const char topo_text[] =
	"catalog: lync2013-internal\nsite: s1\nload_balancing: hardware\n"
	"pools:\n  fe: {role: front-end, fqdn: p.example.net, vip: 10.1.1.10, "
	"servers: {fe01: 10.1.1.11}}\n"
	"devices:\n  h1:\n    driver: nftables\n    host: 10.1.1.11\n"
	"    protects: [{servers: [fe01], chain: input}]\n";

static struct aclf_topology *topo(void)
{
	struct aclf_err err;
	struct aclf_topology *t;

	aclf_err_init(&err);
	t = aclf_topology_load_mem(topo_text, strlen(topo_text), "t.yaml", &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
	return t;
}

/* Write text to a temporary file; its path in path. */
static void file(char *path, size_t size, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, size, "/tmp/aclf-since-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load text; the error text when it fails (caller frees), NULL when it
 * loads (into *s). */
static char *load(const char *text, struct aclf_since *s, char *path, size_t size)
{
	struct aclf_topology *t = topo();
	struct aclf_err err;
	char *msg = NULL;

	aclf_err_init(&err);
	file(path, size, text);
	if (aclf_since_load(path, t, s, &err) < 0) {
		assert_int_equal(err.kind, ACLF_E_INPUT);
		msg = strdup(aclf_err_text(&err));
		aclf_since_release(s);
	}
	unlink(path);
	aclf_err_release(&err);
	aclf_topology_free(t);
	return msg;
}

static void bad_files(void **state)
{
	struct aclf_since s;
	char path[64], want[128];
	char *m;

	(void)state;
	m = load("{\"devices\": [\n  {\"name\": \"h1\",\n", &s, path, sizeof(path));
	assert_non_null(m);
	snprintf(want, sizeof(want), "%s:3:", path);
	assert_non_null(strstr(m, want));
	free(m);

	m = load("{\"devices\": [\n {\"name\": \"h1\", \"polled_at\": null, \"rules\": []},\n"
		 " {\"name\": \"core9\", \"polled_at\": null, \"rules\": []}]}\n", &s, path,
		 sizeof(path));
	assert_non_null(m);
	snprintf(want, sizeof(want), "%s:3:11: device 'core9' is not in the topology", path);
	assert_non_null(strstr(m, want));
	free(m);

	m = load("[1, 2]", &s, path, sizeof(path));
	assert_non_null(m);
	assert_non_null(strstr(m, "no \"devices\" array"));
	free(m);

	m = load("{\"devices\": [{\"name\": \"h1\", \"polled_at\": \"x\", \"rules\": "
		 "[{\"filter\": \"f\", \"rule\": \"r\", \"packets\": -3, \"bytes\": null}]}]}",
		 &s, path, sizeof(path));
	assert_non_null(m);
	assert_non_null(strstr(m, "rules[0]: expected"));
	free(m);
}

static void good_file(void **state)
{
	struct aclf_since s;
	char path[64];

	(void)state;
	assert_null(load("{\"devices\": [{\"name\": \"h1\", \"polled_at\": \"2026-11-01T00:00:00Z\", "
			 "\"sys_uptime\": 5000, \"rules\": [{\"filter\": \"input\", \"rule\": "
			 "\"r0001\", \"packets\": 10, \"bytes\": \"18446744073709551615\"}, "
			 "{\"filter\": \"input\", \"rule\": \"r0002\", \"packets\": null, "
			 "\"bytes\": null}]}]}", &s, path, sizeof(path)));
	assert_int_equal(s.ndevs, 1);
	assert_string_equal(s.devs[0].name, "h1");
	assert_string_equal(s.devs[0].polled_at, "2026-11-01T00:00:00Z");
	assert_true(s.devs[0].has_uptime);
	assert_int_equal(s.devs[0].uptime_cs, 5000);
	assert_int_equal(s.devs[0].nrules, 2);
	assert_true(s.devs[0].rules[0].has_bytes);
	assert_true(s.devs[0].rules[0].bytes == UINT64_MAX);
	assert_false(s.devs[0].rules[1].has_packets);
	aclf_since_release(&s);
}

/* One audited device with rules r1..rN counted now as cur[] (UINT64_MAX:
 * not counted), the earlier reading prev[] (UINT64_MAX: none). */
struct dcase {
	uint64_t prev, cur;
	bool restarted;
	uint64_t want;
};

static void run_cases(const struct dcase *c, size_t n, bool has_prev_up, uint64_t prev_up,
		      bool has_now, uint64_t now_up, bool want_dev_restart)
{
	struct aclf_audit_dev a;
	struct aclf_since_rule pr[16];
	struct aclf_since_dev sd = { .name = "h1", .polled_at = "2026-11-01T00:00:00Z",
				     .has_uptime = has_prev_up, .uptime_cs = prev_up, .rules = pr };
	struct aclf_rule r = { .action = ACLF_PERMIT };
	char ids[16][24];

	assert_true(n <= 16);
	aclf_audit_dev_init(&a);
	a.rules = aclf_arena_alloc(&a.arena, n * sizeof(*a.rules));
	assert_non_null(a.rules);
	for (size_t i = 0; i < n; i++) {
		struct aclf_rule_verdict *v = &a.rules[a.nrules++];

		snprintf(ids[i], sizeof(ids[i]), "r%zu", i);
		memset(v, 0, sizeof(*v));
		v->filter = "input";
		v->rule = ids[i];
		v->r = &r;
		v->counted = c[i].cur != UINT64_MAX;
		v->packets = c[i].cur;
		v->has_bytes = v->counted;
		v->bytes = c[i].cur;
		if (c[i].prev != UINT64_MAX)
			pr[sd.nrules++] = (struct aclf_since_rule){ .filter = "input", .rule = ids[i],
								    .has_packets = true,
								    .packets = c[i].prev,
								    .has_bytes = true,
								    .bytes = c[i].prev };
	}
	assert_int_equal(aclf_audit_since(&a, &sd, "/x/c.json", has_now, now_up), 0);
	assert_true(a.since);
	assert_string_equal(a.since_file, "/x/c.json");
	assert_string_equal(a.since_polled_at, "2026-11-01T00:00:00Z");
	for (size_t i = 0; i < n; i++) {
		const struct aclf_rule_verdict *v = &a.rules[i];
		bool want = c[i].prev != UINT64_MAX && c[i].cur != UINT64_MAX;

		print_message("case %zu: %" PRIu64 " -> %" PRIu64 "\n", i, c[i].prev, c[i].cur);
		assert_int_equal(v->has_delta, want);
		if (!want)
			continue;
		assert_true(v->delta_packets == c[i].want);
		assert_int_equal(v->restarted, c[i].restarted);
		assert_true(v->has_delta_bytes);
		assert_true(v->delta_bytes == c[i].want);
	}
	assert_int_equal(a.since_restarted, want_dev_restart);
	aclf_audit_dev_release(&a);
}

static void deltas(void **state)
{
	const uint64_t m = UINT64_MAX;
	const struct dcase plain[] = {
		{ 10, 25, false, 15 },
		{ 7, 7, false, 0 },                          /* no hits since */
		{ m, 5, false, 0 },                          /* no earlier reading */
		{ 3, m, false, 0 },                          /* not counted now */
		{ 4294967000u, 100, false, 396 },            /* Counter32 wrap */
		{ UINT64_MAX - 9, 5, false, 15 },            /* Counter64 wrap */
	};
	const struct dcase reset[] = {
		{ 10, 25, false, 15 },
		{ 500, 20, true, 20 },                       /* went back, no wrap: reset */
	};
	const struct dcase restart[] = {
		{ 10, 25, true, 25 },                        /* the agent restarted */
		{ 500, 20, true, 20 },
	};

	(void)state;
	run_cases(plain, 6, true, 5000, true, 9000, false);
	run_cases(plain, 6, false, 0, true, 9000, false);
	run_cases(reset, 2, true, 5000, true, 9000, true);
	run_cases(restart, 2, true, 5000, true, 100, true);
	/* without an earlier uptime a restart shows only where counters went back */
	run_cases(reset, 2, false, 0, true, 100, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_files),
		cmocka_unit_test(good_file),
		cmocka_unit_test(deltas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
