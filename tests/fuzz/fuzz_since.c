/* libFuzzer target for audit --since's reader of an earlier `counters
 * --format json` (src/fleet/fleet_since.c): any text is read or refused
 * with a reason, never a crash; what is read has a name and a topology
 * device for every entry, and its deltas against a made-up current reading
 * of every rule are computed without fault. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/audit.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char topo_text[] =
	"catalog: lync2013-internal\nsite: s1\nload_balancing: hardware\n"
	"pools:\n  fe: {role: front-end, fqdn: p.example.net, vip: 10.1.1.10, "
	"servers: {fe01: 10.1.1.11}}\n"
	"devices:\n  h1:\n    driver: nftables\n    host: 10.1.1.11\n"
	"    protects: [{servers: [fe01], chain: input}]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct aclf_topology *topo;
	struct aclf_since s;
	struct aclf_err err;

	if (!topo) {
		aclf_err_init(&err);
		topo = aclf_topology_load_mem(topo_text, strlen(topo_text), "t.yaml", &err);
		if (!topo)
			abort();
		aclf_err_release(&err);
	}
	aclf_err_init(&err);
	if (aclf_since_load_mem((const char *)data, size, "fuzz.json", topo, &s, &err) < 0) {
		if (err.count == 0 || err.msg.len == 0)
			abort();
		aclf_since_release(&s);
		aclf_err_release(&err);
		return 0;
	}
	for (size_t i = 0; i < s.ndevs; i++) {
		const struct aclf_since_dev *d = &s.devs[i];
		struct aclf_audit_dev a;
		struct aclf_rule r = { .action = ACLF_PERMIT };

		if (!d->name || !aclf_topology_device(topo, d->name))
			abort();
		aclf_audit_dev_init(&a);
		a.rules = aclf_arena_alloc(&a.arena, (d->nrules + 1) * sizeof(*a.rules));
		if (!a.rules)
			abort();
		for (size_t k = 0; k < d->nrules; k++) {
			struct aclf_rule_verdict *v = &a.rules[a.nrules++];

			memset(v, 0, sizeof(*v));
			v->filter = d->rules[k].filter;
			v->rule = d->rules[k].rule;
			v->r = &r;
			v->counted = true;
			v->packets = d->rules[k].packets / 2;
			v->has_bytes = true;
			v->bytes = d->rules[k].bytes + 1;
		}
		if (d->polled_at && aclf_audit_since(&a, d, s.file, true, d->uptime_cs / 3) < 0)
			abort();
		aclf_audit_dev_release(&a);
	}
	aclf_since_release(&s);
	aclf_err_release(&err);
	return 0;
}
