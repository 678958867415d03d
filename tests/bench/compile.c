/* Benchmark: compile generated topologies (gen/topogen.h) from 10 to 10,000
 * servers and 100 to 100,000 client prefixes. Prints, per size, servers,
 * client prefixes, pools, devices, rules emitted, lb services, wall time and
 * peak memory, and the ratio of time per server against the smallest size
 * measured in the same run. Each size runs in its own child process so peak
 * RSS is per size. Not a test: nothing here passes or fails on time.
 *
 *   bench_compile [CATALOG [NSIZES]] [--sequential]
 *
 * The default layout scatters pools over 10.0.0.0/9 and client /28s that do
 * not aggregate; --sequential keeps the former one (servers numbered on from
 * 192.168.0.0, client /28s at random). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "gen/topogen.h"

struct result {
	double load_ms, compile_ms;
	long rules, lb, maxrss_kb;
	unsigned pools, devices;
	size_t arena_bytes, arena_dead;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_one(const char *catalog, unsigned servers, unsigned clients, enum topogen_layout layout,
		   struct result *res)
{
	struct topogen g = { .servers = servers, .clients = clients, .layout = layout, .catalog = catalog };
	struct topogen_stats gs;
	struct aclf_buf y = ACLF_BUF_INIT;
	struct aclf_err err;
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
	struct rusage ru;
	double t0, t1, t2;
	char *cpath = aclf_catalog_resolve(catalog, NULL);

	aclf_err_init(&err);
	aclf_buf_init(&y, 0);
	if (topogen_yaml(&g, &y, &gs) < 0) {
		fprintf(stderr, "bench: cannot generate %u servers, %u clients\n", servers, clients);
		return -1;
	}
	c = cpath ? aclf_catalog_load(cpath, &err) : NULL;
	free(cpath);
	if (!c) {
		fprintf(stderr, "bench: catalog: %s\n", aclf_err_text(&err));
		return -1;
	}
	t0 = now_ms();
	t = aclf_topology_load_mem(y.buf, y.len, "bench.yaml", &err);
	t1 = now_ms();
	if (!t) {
		fprintf(stderr, "bench: %s\n", aclf_err_text(&err));
		return -1;
	}
	p = aclf_compile(c, t, NULL, NULL, &err);
	t2 = now_ms();
	if (!p) {
		fprintf(stderr, "bench: %s\n", aclf_err_text(&err));
		return -1;
	}
	memset(res, 0, sizeof(*res));
	res->load_ms = t1 - t0;
	res->compile_ms = t2 - t1;
	for (size_t d = 0; d < p->ndevices; d++) {
		for (size_t f = 0; f < p->devices[d].nfilters; f++)
			res->rules += (long)p->devices[d].filters[f].nrules;
		res->lb += (long)p->devices[d].nlb;
	}
	res->arena_bytes = p->arena.total;
	res->arena_dead = p->arena.dead;
	res->pools = gs.pools;
	res->devices = gs.devices;
	getrusage(RUSAGE_SELF, &ru);
	res->maxrss_kb = ru.ru_maxrss;
	aclf_policy_free(p);
	aclf_topology_free(t);
	aclf_catalog_free(c);
	aclf_buf_release(&y);
	aclf_err_release(&err);
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned sizes[][2] = {
		{ 10, 100 }, { 100, 1000 }, { 1000, 10000 }, { 10000, 100000 },
	};
	const char *catalog = "lync2013-internal";
	size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	enum topogen_layout layout = TOPOGEN_SCATTERED;
	double base = 0;

	for (int i = 1, pos = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--sequential"))
			layout = TOPOGEN_SEQUENTIAL;
		else if (pos++ == 0)
			catalog = argv[i];
		else
			nsizes = (size_t)strtoul(argv[i], NULL, 10);
	}
	printf("layout: %s\n", layout == TOPOGEN_SEQUENTIAL ? "sequential (servers from 192.168.0.0, random client /28s)"
								: "scattered (pools over 10.0.0.0/9, client /28s that do not aggregate)");
	printf("%8s %9s %6s %5s %9s %5s %10s %10s %10s %11s %9s %14s\n", "servers", "clients", "pools", "devs", "rules",
	       "vs", "load_ms", "compile_ms", "peak_MiB", "arena_MiB", "dead_MiB", "ms/server(x)");
	for (size_t i = 0; i < nsizes && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fds[2];
		pid_t pid;
		struct result r;
		int st;

		if (pipe(fds) < 0)
			return 1;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			if (run_one(catalog, sizes[i][0], sizes[i][1], layout, &r) < 0)
				_exit(1);
			if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], &r, sizeof(r)) != (ssize_t)sizeof(r)) {
			fprintf(stderr, "bench: size %u failed\n", sizes[i][0]);
			close(fds[0]);
			waitpid(pid, &st, 0);
			return 1;
		}
		close(fds[0]);
		waitpid(pid, &st, 0);
		{
			double per = (r.load_ms + r.compile_ms) / sizes[i][0];
			if (i == 0)
				base = per;
			printf("%8u %9u %6u %5u %9ld %5ld %10.1f %10.1f %10.1f %11.1f %9.2f %8.3f (%.2fx)\n", sizes[i][0],
			       sizes[i][1], r.pools, r.devices, r.rules, r.lb, r.load_ms, r.compile_ms, r.maxrss_kb / 1024.0,
			       r.arena_bytes / 1048576.0, r.arena_dead / 1048576.0, per, base > 0 ? per / base : 1.0);
		}
	}
	return 0;
}
