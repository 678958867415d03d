/* Benchmark of audit's comparison: the diff and the per-rule verdicts
 * from one walk per pair of filters (aclf_diff_audit, then
 * aclf_audit_judge), against the diff alone as `diff` and `plan` run it
 * (aclf_diff_devices with audit's 50 examples), on generated Lync sites
 * (gen/topogen.h): every device's intended policy against itself (the
 * usual audit: nothing drifted) and against itself with one rule of each
 * filter dropped. Times are CPU ms per site, summed over its devices; "extra" is
 * what the verdicts add to the diff: (audit - diff) / diff. Both must find
 * the same number of differences (checked). No thresholds: it prints.
 *
 *   bench_verdict [max-servers]   (default 1000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/audit.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "gen/topogen.h"

static double now_ms(void)
{
	struct timespec ts;

	/* CPU time: the build machine is shared, and waiting for a core is not
	 * the comparison's cost */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* d with the middle rule of each filter left out (arrays owned by out) */
static int drop_one(const struct aclf_devpol *d, struct aclf_devpol *out)
{
	*out = *d;
	out->filters = calloc(d->nfilters + 1, sizeof(*out->filters));
	if (!out->filters)
		return -1;
	for (size_t i = 0; i < d->nfilters; i++) {
		const struct aclf_filter *f = &d->filters[i];
		struct aclf_filter *g = &out->filters[i];
		size_t skip = f->nrules / 2;

		*g = *f;
		g->nrules = 0;
		if (!(g->rules = calloc(f->nrules + 1, sizeof(*g->rules))))
			return -1;
		for (size_t k = 0; k < f->nrules; k++)
			if (k != skip || f->nrules < 2)
				g->rules[g->nrules++] = f->rules[k];
	}
	return 0;
}

static void drop_free(struct aclf_devpol *d)
{
	for (size_t i = 0; d->filters && i < d->nfilters; i++)
		free(d->filters[i].rules);
	free(d->filters);
}

/* ms of the diff alone and of the audit's comparison (diff and verdicts)
 * over every device; -1 on failure */
static int time_site(const struct aclf_policy *p, bool drift, double *diff_ms, double *audit_ms,
		     size_t *missing)
{
	*diff_ms = *audit_ms = 0;
	*missing = 0;
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct aclf_devpol *in = &p->devices[i];
		struct aclf_devpol live = *in;
		struct aclf_diff d, d2;
		struct aclf_rule_checks rc;
		struct aclf_audit_dev a;
		struct aclf_err err;
		double t0, t1, t2;
		int rc1, rc2;

		if (!in->nfilters)
			continue;
		if (drift && drop_one(in, &live) < 0)
			return -1;
		aclf_err_init(&err);
		aclf_diff_init(&d);
		aclf_diff_init(&d2);
		aclf_rule_checks_init(&rc);
		aclf_audit_dev_init(&a);
		t0 = now_ms();
		rc1 = aclf_diff_devices(in, &live, &d, NULL, 50, &err);
		t1 = now_ms();
		rc2 = aclf_diff_audit(in, &live, &d2, 50, &rc, &err);
		rc2 |= rc2 < 0 ? rc2 : aclf_audit_judge(in, &live, &rc, &d2, &a, &err);
		t2 = now_ms();
		if (rc1 < 0 || rc2 < 0) {
			fprintf(stderr, "bench: %s\n", aclf_err_text(&err));
			return -1;
		}
		if (d.n != d2.n || d.nlb != d2.nlb) {
			fprintf(stderr, "bench: %s: the diff found %zu differences, audit's %zu\n",
				in->name, d.n, d2.n);
			return -1;
		}
		*diff_ms += t1 - t0;
		*audit_ms += t2 - t1;
		for (size_t k = 0; k < a.nrules; k++)
			*missing += a.rules[k].verdict == ACLF_V_MISSING;
		aclf_audit_dev_release(&a);
		aclf_rule_checks_release(&rc);
		aclf_diff_release(&d);
		aclf_diff_release(&d2);
		aclf_err_release(&err);
		if (drift)
			drop_free(&live);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned sizes[][2] = { { 10, 100 }, { 100, 1000 }, { 500, 5000 }, { 1000, 10000 } };
	unsigned max = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
	char *cpath = aclf_catalog_resolve("lync2013-internal", NULL);
	struct aclf_err err;
	struct aclf_catalog *c;

	aclf_err_init(&err);
	c = cpath ? aclf_catalog_load(cpath, &err) : NULL;
	free(cpath);
	if (!c) {
		fprintf(stderr, "bench: catalog: %s\n", aclf_err_text(&err));
		return 1;
	}
	printf("%8s %8s %6s  %10s %10s %6s  %10s %10s %6s %8s\n", "servers", "rules", "devs",
	       "diff ms", "audit ms", "extra", "diff ms", "audit ms", "extra", "missing");
	printf("%24s  %29s  %29s\n", "", "as intended", "one rule per filter dropped");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]) && sizes[s][0] <= max; s++) {
		struct topogen g = { .servers = sizes[s][0], .clients = sizes[s][1] };
		struct topogen_stats gs;
		struct aclf_buf y = ACLF_BUF_INIT;
		struct aclf_topology *t;
		struct aclf_policy *p;
		double d0, v0, d1, v1;
		size_t rules = 0, miss0, miss1;

		aclf_buf_init(&y, 0);
		if (topogen_yaml(&g, &y, &gs) < 0 ||
		    !(t = aclf_topology_load_mem(y.buf, y.len, "bench.yaml", &err)) ||
		    !(p = aclf_compile(c, t, NULL, NULL, &err))) {
			fprintf(stderr, "bench: %s\n", aclf_err_text(&err));
			return 1;
		}
		for (size_t i = 0; i < p->ndevices; i++)
			for (size_t f = 0; f < p->devices[i].nfilters; f++)
				rules += p->devices[i].filters[f].nrules;
		if (time_site(p, false, &d0, &v0, &miss0) < 0 || time_site(p, true, &d1, &v1, &miss1) < 0)
			return 1;
		printf("%8u %8zu %6zu  %10.1f %10.1f %6.2f  %10.1f %10.1f %6.2f %8zu\n", sizes[s][0],
		       rules, p->ndevices, d0, v0, d0 > 0 ? (v0 - d0) / d0 : 0, d1, v1,
		       d1 > 0 ? (v1 - d1) / d1 : 0, miss1);
		fflush(stdout);
		if (miss0)
			fprintf(stderr, "bench: %zu rules missing against themselves\n", miss0);
		aclf_policy_free(p);
		aclf_topology_free(t);
		aclf_buf_release(&y);
	}
	aclf_catalog_free(c);
	aclf_err_release(&err);
	return 0;
}
