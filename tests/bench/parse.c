/* Benchmark: parse throughput and peak memory per driver on large device
 * text, generated here (deterministic):
 *
 *   ios    show running-config style: flat network object-groups, one
 *          extended list whose entries use them, a time-range entry (opaque)
 *          every 100 entries
 *   junos  set form: one filter of terms with addresses, ports, counters,
 *          an icmp-type term (opaque) every 100 terms
 *   bigip  bigip.conf style: nodes, pools with members, virtuals
 *   ios-lists  many small named lists (IPv4 NAME with its NAME-V6), every
 *          tenth bound to an interface: lookups of lists by name
 *   nftables   `nft list ruleset` text: one table, a set per hundred
 *          rules, one chain of rules with named counters
 *
 *   nftables-json  the same ruleset as `nft -j list ruleset` prints it
 *
 * Each driver runs at each size in a child process of its own, so the peak
 * resident size printed (getrusage ru_maxrss of the child) is that run's
 * alone, the generated text included. Printed per run: MB of text, seconds
 * to parse (wall and CPU), MB/s (of CPU time: the machine is shared), peak
 * RSS in MB and as a multiple of the text, rules or lb services, opaque
 * entries; with two sizes, per driver how time and peak RSS grew between
 * them as the exponent of the size (1.00: linear). Nothing here passes or
 * fails on time.
 *
 *   bench_parse [--mb N] [--mb2 M] [--only NAME]   (N, M megabytes of text
 *   per driver, default 20 and none; NAME one of the labels above) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

static int gen_ios(struct aclf_buf *b, size_t bytes)
{
	size_t n = 0, i;
	int rc = 0;

	/* groups first, then the list: about 2/5 of the text each side */
	for (i = 0; b->len < bytes / 2 && rc == 0; i++)
		rc = aclf_buf_printf(b, "object-group network G%zu\n host 10.%zu.%zu.1\n 10.%zu.%zu.0 255.255.255.0\n",
				     i, (i >> 8) & 255, i & 255, ((i + 7) >> 8) & 255, (i + 7) & 255);
	n = i;
	rc |= aclf_buf_puts(b, "ip access-list extended BIG\n");
	for (i = 0; b->len < bytes && rc == 0; i++) {
		if (i % 100 == 99)
			rc = aclf_buf_printf(b, " %zu permit udp any any eq 53 time-range WORK\n", (i + 1) * 10);
		else
			rc = aclf_buf_printf(b, " %zu permit tcp object-group G%zu host 192.0.2.%zu eq %zu\n",
					     (i + 1) * 10, i % n, i & 255, 1024 + (i % 60000));
	}
	return rc |= aclf_buf_puts(b, "interface Vlan10\n ip access-group BIG in\n");
}

static int gen_junos(struct aclf_buf *b, size_t bytes)
{
	const char *p = "set firewall family inet filter BIG term";
	int rc = 0;

	for (size_t i = 0; b->len < bytes && rc == 0; i++) {
		if (i % 100 == 99)
			rc = aclf_buf_printf(b, "%s t%zu from protocol icmp\n%s t%zu from icmp-type echo-request\n"
					     "%s t%zu then accept\n", p, i, p, i, p, i);
		else
			rc = aclf_buf_printf(b, "%s t%zu from source-address 10.%zu.%zu.0/24\n"
					     "%s t%zu from destination-address 192.0.%zu.%zu/32\n"
					     "%s t%zu from protocol tcp\n%s t%zu from destination-port %zu\n"
					     "%s t%zu then count c%zu\n%s t%zu then accept\n",
					     p, i, (i >> 8) & 255, i & 255, p, i, (i >> 8) & 255, i & 255, p,
					     i, p, i, 1024 + (i % 60000), p, i, i, p, i);
	}
	return rc |= aclf_buf_puts(b, "set interfaces ge-0/0/1 unit 0 family inet filter input BIG\n");
}

static int gen_bigip(struct aclf_buf *b, size_t bytes)
{
	int rc = 0;

	for (size_t i = 0; b->len < bytes && rc == 0; i++)
		rc = aclf_buf_printf(b,
				     "ltm node /Common/n%zu {\n    address 10.%zu.%zu.1\n}\n"
				     "ltm pool /Common/p%zu {\n    members {\n        /Common/n%zu:443 {\n"
				     "            address 10.%zu.%zu.1\n        }\n    }\n"
				     "    load-balancing-mode least-connections-member\n}\n"
				     "ltm virtual /Common/v%zu {\n    destination /Common/192.0.%zu.%zu:443\n"
				     "    ip-protocol tcp\n    mask 255.255.255.255\n    pool /Common/p%zu\n"
				     "    translate-address enabled\n}\n",
				     i, (i >> 8) & 255, i & 255, i, i, (i >> 8) & 255, i & 255, i,
				     (i >> 8) & 255, i & 255, i);
	return rc;
}

static int gen_ios_lists(struct aclf_buf *b, size_t bytes)
{
	int rc = 0;

	for (size_t i = 0; b->len < bytes && rc == 0; i++) {
		rc = aclf_buf_printf(b, "ip access-list extended L%zu\n permit tcp 10.%zu.%zu.0 0.0.0.255 "
				     "host 192.0.2.1 eq 443\n deny ip any any\n"
				     "ipv6 access-list L%zu-V6\n permit tcp 2001:db8:%zx::/48 host 2001:db8::1 "
				     "eq 443\n deny ipv6 any any\n",
				     i, (i >> 8) & 255, i & 255, i, i & 0xffff);
		if (rc == 0 && i % 10 == 0)
			rc = aclf_buf_printf(b, "interface Vlan%zu\n ip access-group L%zu in\n"
					     " ipv6 traffic-filter L%zu-V6 in\n", i / 10, i, i);
	}
	return rc;
}

static int gen_nftables(struct aclf_buf *b, size_t bytes)
{
	size_t i, n;
	int rc = aclf_buf_puts(b, "table inet aclforge {\n");

	/* sets and counters are about a fifth of the text */
	for (i = 0; b->len < bytes / 5 && rc == 0; i++)
		rc = aclf_buf_printf(b, "\tset s%zu_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
				     "\t\telements = { 10.%zu.%zu.0/24, 10.%zu.%zu.128/25 }\n\t}\n\n"
				     "\tcounter input.r%zu {\n\t\tpackets %zu bytes %zu\n\t}\n\n",
				     i, (i >> 8) & 255, i & 255, ((i + 1) >> 8) & 255, (i + 1) & 255, i, i,
				     i * 60);
	n = i;
	rc |= aclf_buf_puts(b, "\tchain input {\n\t\ttype filter hook input priority filter; "
			    "policy drop;\n\t\tct state established,related accept\n");
	for (i = 0; b->len < bytes && rc == 0; i++)
		rc = aclf_buf_printf(b, "\t\tip saddr @s%zu_v4 ip daddr 192.0.%zu.%zu tcp dport %zu "
				     "counter name \"input.r%zu\" accept\n",
				     i % n, (i >> 8) & 255, i & 255, 1024 + i % 60000, i % n);
	return rc |= aclf_buf_puts(b, "\t}\n}\n");
}

/* The same ruleset as `nft -j list ruleset` prints it. */
static int gen_nftables_json(struct aclf_buf *b, size_t bytes)
{
	static const char tbl[] = "\"family\": \"inet\", \"table\": \"aclforge\"";
	size_t i, n;
	int rc = aclf_buf_puts(b, "{\"nftables\": [{\"table\": {\"family\": \"inet\", "
			       "\"name\": \"aclforge\", \"handle\": 1}}");

	for (i = 0; b->len < bytes / 5 && rc == 0; i++)
		rc = aclf_buf_printf(b, ", {\"set\": {%s, \"name\": \"s%zu_v4\", \"type\": "
				     "\"ipv4_addr\", \"flags\": [\"interval\"], \"elem\": [{\"prefix\": "
				     "{\"addr\": \"10.%zu.%zu.0\", \"len\": 24}}, {\"prefix\": {\"addr\": "
				     "\"10.%zu.%zu.128\", \"len\": 25}}]}}, {\"counter\": {%s, \"name\": "
				     "\"input.r%zu\", \"packets\": %zu, \"bytes\": %zu}}",
				     tbl, i, (i >> 8) & 255, i & 255, ((i + 1) >> 8) & 255, (i + 1) & 255,
				     tbl, i, i, i * 60);
	n = i;
	rc |= aclf_buf_printf(b, ", {\"chain\": {%s, \"name\": \"input\", \"type\": \"filter\", "
			      "\"hook\": \"input\", \"prio\": 0, \"policy\": \"drop\"}}, {\"rule\": "
			      "{%s, \"chain\": \"input\", \"handle\": 2, \"expr\": [{\"match\": "
			      "{\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": "
			      "[\"established\", \"related\"]}}, {\"accept\": null}]}}", tbl, tbl);
	for (i = 0; b->len < bytes && rc == 0; i++)
		rc = aclf_buf_printf(b, ", {\"rule\": {%s, \"chain\": \"input\", \"handle\": %zu, "
				     "\"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
				     "{\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@s%zu_v4\"}}, "
				     "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": "
				     "\"ip\", \"field\": \"daddr\"}}, \"right\": \"192.0.%zu.%zu\"}}, "
				     "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": "
				     "\"tcp\", \"field\": \"dport\"}}, \"right\": %zu}}, {\"counter\": "
				     "\"input.r%zu\"}, {\"accept\": null}]}}",
				     tbl, i + 3, i % n, (i >> 8) & 255, i & 255, 1024 + i % 60000, i % n);
	return rc |= aclf_buf_puts(b, "]}\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* One run's numbers, sent from the child to the parent. */
struct run {
	double mb, wall, cpu, rss_mb;
	size_t rules, lb, opaque;
};

/* In the child: generate, parse, send the numbers down fd. Exit status 0
 * or 1. */
static int one(const char *name, int (*gen)(struct aclf_buf *, size_t), size_t bytes, int fd)
{
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct rusage ru;
	struct run r;
	double t0, c0;

	memset(&r, 0, sizeof(r));
	/* sized once (generators pass bytes by less than one record): the peak
	 * RSS holds the text once, not a buffer grown by doubling */
	aclf_buf_init(&text, bytes + 65536);
	aclf_err_init(&err);
	if (!pol || gen(&text, bytes) < 0) {
		fprintf(stderr, "%s: out of memory generating\n", name);
		return 1;
	}
	t0 = now();
	c0 = cpu_now();
	if (aclf_driver_parse(aclf_driver_find(name), text.buf, text.len,
			      &(struct aclf_parse_opts){ .name = name, .label = name }, pol, &dp, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, aclf_err_text(&err));
		return 1;
	}
	r.wall = now() - t0;
	r.cpu = cpu_now() - c0;
	for (size_t i = 0; i < dp->nfilters; i++)
		r.rules += dp->filters[i].nrules;
	getrusage(RUSAGE_SELF, &ru);
	r.mb = (double)text.len / 1e6;
	r.rss_mb = (double)ru.ru_maxrss / 1024.0;
	r.lb = dp->nlb;
	r.opaque = aclf_devpol_opaque_count(dp);
	aclf_buf_release(&text);
	aclf_err_release(&err);
	aclf_policy_free(pol);
	return write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1;
}

/* Run one driver at one size in a child of its own; 0 with *r, or -1. */
static int run_child(const char *name, int (*gen)(struct aclf_buf *, size_t), size_t bytes,
		     struct run *r)
{
	int fds[2], st;
	pid_t pid;
	ssize_t got;

	if (pipe(fds) < 0) {
		perror("bench_parse: pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		perror("bench_parse: fork");
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		_exit(one(name, gen, bytes, fds[1]));
	}
	close(fds[1]);
	got = read(fds[0], r, sizeof(*r));
	close(fds[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    got != (ssize_t)sizeof(*r))
		return -1;
	return 0;
}

static void print_run(const char *label, const struct run *r)
{
	printf("%-14s %7.1f MB %8.2f s %8.2f s CPU %7.2f MB/s %8.1f MB peak RSS %5.1f x %9zu rules "
	       "%7zu lb %6zu opaque\n",
	       label, r->mb, r->wall, r->cpu, r->mb / r->cpu, r->rss_mb, r->rss_mb / r->mb, r->rules,
	       r->lb, r->opaque);
	fflush(stdout);
}

/* log(y2/y1) / log(x2/x1): 1 is linear */
static double exponent(double x1, double y1, double x2, double y2)
{
	return log(y2 / y1) / log(x2 / x1);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *label, *name;
		int (*gen)(struct aclf_buf *, size_t);
	} drivers[] = {
		{ "ios", "ios", gen_ios },
		{ "ios-lists", "ios", gen_ios_lists },
		{ "junos", "junos", gen_junos },
		{ "bigip", "bigip", gen_bigip },
		{ "nftables", "nftables", gen_nftables },
		{ "nftables-json", "nftables", gen_nftables_json },
	};
	const char *only = NULL;
	size_t mb[2] = { 20, 0 };
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--mb") || !strcmp(argv[i], "--mb2")) && i + 1 < argc) {
			int k = argv[i][4] == '2';
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 10);
			if (*end || v > 200 || (v < 1 && !k) || argv[i][0] < '0' || argv[i][0] > '9') {
				fprintf(stderr, "bench_parse: --mb takes 1 to 200, --mb2 0 to 200\n");
				return 2;
			}
			mb[k] = v;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr, "usage: bench_parse [--mb N] [--mb2 M] [--only NAME]\n");
			return 2;
		}
	}
	for (size_t k = 0; k < sizeof(drivers) / sizeof(drivers[0]); k++) {
		struct run r[2];
		size_t nr = mb[1] && mb[1] != mb[0] ? 2 : 1;
		if (only && strcmp(only, drivers[k].label) != 0)
			continue;
		for (size_t j = 0; j < nr; j++) {
			if (run_child(drivers[k].name, drivers[k].gen, mb[j] * 1000000, &r[j]) < 0) {
				fprintf(stderr, "bench_parse: %s at %zu MB failed\n", drivers[k].label,
					mb[j]);
				bad = 1;
				nr = 0;
				break;
			}
			print_run(drivers[k].label, &r[j]);
		}
		if (nr == 2)
			printf("%-14s growth %.0f -> %.0f MB: time (CPU) x%.2f, exponent %.2f; peak RSS "
			       "x%.2f, exponent %.2f (1.00 is linear)\n",
			       drivers[k].label, r[0].mb, r[1].mb, r[1].cpu / r[0].cpu,
			       exponent(r[0].mb, r[0].cpu, r[1].mb, r[1].cpu), r[1].rss_mb / r[0].rss_mb,
			       exponent(r[0].mb, r[0].rss_mb, r[1].mb, r[1].rss_mb));
	}
	return bad;
}
