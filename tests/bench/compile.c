/* Benchmark: compile generated topologies from 10 to 10,000 servers and 100
 * to 100,000 client prefixes. Prints, per size, servers, client prefixes,
 * rules emitted, lb services, wall time and peak memory, and the ratio of
 * time per server against the smallest size measured in the same run.
 * Each size runs in its own child process so peak RSS is per size.
 * Not a test: nothing here passes or fails on time. */
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

struct result {
	double load_ms, compile_ms;
	long rules, lb, maxrss_kb;
	size_t arena_bytes;
};

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A deployment with `servers` Lync servers (front end pools of up to 12,
 * a director pool per 5 front end pools, mediation pools of 4) and `clients`
 * client /28 networks; one IOS core protecting every pool and one BIG-IP
 * balancing every front end pool. */
static void gen(struct aclf_buf *b, const char *catalog, unsigned servers, unsigned clients)
{
	unsigned fe = servers * 6 / 10, dir = servers * 2 / 10, med = servers - fe - dir;
	unsigned ip = 0, pools = 0;
	uint32_t seed = 12345;

	aclf_buf_printf(b, "catalog: %s\nsite: bench\nload_balancing: hardware\n", catalog);
	aclf_buf_printf(b, "client_media_ports: {enabled: true, audio: {start: 50020, count: 20}, "
			   "video: {start: 58000, count: 20}, app_sharing: {start: 42000, count: 20}, "
			   "file_transfer: {start: 42020, count: 20}}\n");
	aclf_buf_printf(b, "networks:\n  clients:\n    kind: clients\n    prefixes:\n");
	for (unsigned i = 0; i < clients; i++) {
		uint32_t r = rng_next(&seed) % (1u << 20); /* a /28 in 10.0.0.0/8 */
		aclf_buf_printf(b, "      - 10.%u.%u.%u/28\n", (r >> 12) & 0xff, (r >> 4) & 0xff, (r & 0xf) << 4);
	}
	aclf_buf_printf(b, "  gateways: {kind: pstn-gateway, prefixes: [172.31.0.10, 172.31.0.11]}\n"
			   "  rp: {kind: reverse-proxy, prefixes: [172.31.1.10]}\npools:\n");
	struct {
		const char *role, *tag;
		unsigned n, size;
	} kinds[] = { { "front-end", "fe", fe, 12 }, { "director", "dir", dir, 4 }, { "mediation", "med", med, 4 } };
	for (size_t k = 0; k < 3; k++) {
		unsigned left = kinds[k].n;
		while (left) {
			unsigned n = left < kinds[k].size ? left : kinds[k].size;
			aclf_buf_printf(b, "  %s%u:\n    role: %s\n    fqdn: %s%u.example.net\n    vip: 172.%u.%u.%u\n",
					kinds[k].tag, pools, kinds[k].role, kinds[k].tag, pools, 16 + (pools >> 16) % 8,
					(pools >> 8) & 0xff, pools & 0xff);
			if (pools == 0)
				aclf_buf_printf(b, "    cms: true\n");
			aclf_buf_printf(b, "    servers:\n");
			for (unsigned s = 0; s < n; s++, ip++)
				aclf_buf_printf(b, "      %s%u-%u: 192.168.%u.%u\n", kinds[k].tag, pools, s, (ip >> 8) & 0xff,
						ip & 0xff);
			pools++;
			left -= n;
		}
	}
	aclf_buf_printf(b, "devices:\n  core:\n    driver: ios\n    host: 192.0.2.1\n    protects:\n");
	/* one protects entry per pool, on its own VLAN */
	{
		unsigned idx = 0;
		for (size_t k = 0; k < 3; k++) {
			unsigned left = kinds[k].n;
			while (left) {
				unsigned n = left < kinds[k].size ? left : kinds[k].size;
				aclf_buf_printf(b, "      - {pools: [%s%u], interface: Vlan%u, direction: out}\n", kinds[k].tag,
						idx, 100 + idx);
				idx++;
				left -= n;
			}
		}
		aclf_buf_printf(b, "  lb:\n    driver: bigip\n    host: 192.0.2.5\n    balances: [");
		idx = 0;
		for (size_t k = 0; k < 3; k++) {
			unsigned left = kinds[k].n;
			while (left) {
				unsigned n = left < kinds[k].size ? left : kinds[k].size;
				if (k == 0)
					aclf_buf_printf(b, "%s%s%u", idx ? ", " : "", kinds[k].tag, idx);
				idx++;
				left -= n;
			}
		}
		aclf_buf_printf(b, "]\n");
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_one(const char *catalog, unsigned servers, unsigned clients, struct result *res)
{
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
	gen(&y, catalog, servers, clients);
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
	const char *catalog = argc > 1 ? argv[1] : "lync2013-internal";
	size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	double base = 0;

	if (argc > 2)
		nsizes = (size_t)strtoul(argv[2], NULL, 10);
	printf("%8s %9s %9s %5s %10s %10s %10s %11s %14s\n", "servers", "clients", "rules", "vs", "load_ms",
	       "compile_ms", "peak_MiB", "arena_MiB", "ms/server(x)");
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
			if (run_one(catalog, sizes[i][0], sizes[i][1], &r) < 0)
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
			printf("%8u %9u %9ld %5ld %10.1f %10.1f %10.1f %11.1f %8.3f (%.2fx)\n", sizes[i][0], sizes[i][1],
			       r.rules, r.lb, r.load_ms, r.compile_ms, r.maxrss_kb / 1024.0,
			       r.arena_bytes / 1048576.0, per, base > 0 ? per / base : 1.0);
		}
	}
	return 0;
}
