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
 * Each driver runs in its own child process, so the peak resident size
 * printed (getrusage ru_maxrss of the child) is that driver's alone,
 * text included. Printed per driver: MB of text, seconds to parse, MB/s,
 * peak RSS in MB, rules or lb services, opaque entries. Nothing here passes
 * or fails on time.
 *
 *   bench_parse [--mb N] [--only NAME]   (N megabytes of text per driver,
 *   default 20; NAME one of the labels above) */
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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: generate, parse, print one line. Exit status 0 or 1. */
static int one(const char *label, const char *name, int (*gen)(struct aclf_buf *, size_t),
	       size_t bytes)
{
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct rusage ru;
	size_t rules = 0;
	double t0, t;

	aclf_buf_init(&text, 0);
	aclf_err_init(&err);
	if (!pol || gen(&text, bytes) < 0) {
		fprintf(stderr, "%s: out of memory generating\n", name);
		return 1;
	}
	t0 = now();
	if (aclf_driver_parse(aclf_driver_find(name), text.buf, text.len,
			      &(struct aclf_parse_opts){ .name = name, .label = name }, pol, &dp, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, aclf_err_text(&err));
		return 1;
	}
	t = now() - t0;
	for (size_t i = 0; i < dp->nfilters; i++)
		rules += dp->filters[i].nrules;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-9s %8.1f MB %8.2f s %8.2f MB/s %8.1f MB peak RSS %9zu rules %7zu lb %6zu opaque\n",
	       label, (double)text.len / 1e6, t, (double)text.len / 1e6 / t, (double)ru.ru_maxrss / 1024.0,
	       rules, dp->nlb, aclf_devpol_opaque_count(dp));
	fflush(stdout);
	aclf_buf_release(&text);
	aclf_err_release(&err);
	aclf_policy_free(pol);
	return 0;
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
	};
	const char *only = NULL;
	size_t mb = 20;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mb") && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 10);
			if (*end || v < 1 || v > 200 || argv[i][0] < '0' || argv[i][0] > '9') {
				fprintf(stderr, "bench_parse: --mb takes 1 to 200\n");
				return 2;
			}
			mb = v;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr, "usage: bench_parse [--mb N] [--only NAME]\n");
			return 2;
		}
	}
	for (size_t k = 0; k < sizeof(drivers) / sizeof(drivers[0]); k++) {
		pid_t pid;
		int st;
		if (only && strcmp(only, drivers[k].label) != 0)
			continue;
		pid = fork();
		if (pid < 0) {
			perror("bench_parse: fork");
			return 1;
		}
		if (pid == 0)
			_exit(one(drivers[k].label, drivers[k].name, drivers[k].gen, mb * 1000000));
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	}
	return bad;
}
