/* Benchmark: render and parse back, per driver, the policies of generated
 * topologies of increasing size, and Capirca on the same policy.
 *
 * Per size: one IOS core and one Junos firewall protecting every pool (one
 * filter per pool), one BIG-IP balancing the front end and director pools,
 * one nftables router protecting every pool in its forward chain. Printed
 * per driver: configuration lines emitted (non-blank, non-comment), bytes,
 * render time, parse time (the rendered text parsed back) and rules/services
 * parsed. For IOS also the access-list entries (permit/deny lines) and the
 * entries the lists would need with every object-group expanded ("flat").
 *
 * With --capirca HELPER (tests/tools/capirca_gen.py) and Debian's
 * python3-capirca, the IOS core's filters go through Capirca's cisco target
 * and the firewall's through its juniper target (aclgen --optimize,
 * --max_renderers=1, wall time of the whole process including Python's
 * start), and the ratios ours/Capirca (entries, lines) and Capirca/ours
 * (time, against our render alone and against compile + render) are
 * printed. --example TOPOLOGY does the same for a real topology (both
 * default and --optimize Capirca runs). Nothing here passes or fails on time.
 *
 *   bench_render [--max-servers N] [--capirca HELPER] [--capirca-max-servers N]
 *                [--example TOPOLOGY] [--work DIR] [--keep]
 *
 * Sizes: 10, 50, 200, 500, 1000, 2000 servers (client /28s: half as many),
 * up to --max-servers (default 1000); Capirca up to --capirca-max-servers
 * (default 500). --keep leaves the rendered text and Capirca's files in the
 * work directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/topology.h"

extern char **environ;

#define PYTHON "/usr/bin/python3"

struct opts {
	unsigned max_servers, capirca_max;
	const char *helper, *example, *work;
	bool keep;
};

/* What one driver's rendering of one policy measured. */
struct drv_stat {
	unsigned devices, filters;
	size_t rules, lb, parsed;   /* neutral rules / lb services; rules+services parsed back */
	size_t lines, bytes, aces, og_lines, flat;
	double render_ms, parse_ms;
	bool failed, no_parse;   /* no_parse: nftables without root/nft to list it */
};

/* One Capirca run. */
struct cap_stat {
	bool ok;
	double ms;
	size_t lines, aces, terms;
};

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* dir + "/" + name into out; false when it does not fit. */
static bool joinp(char *out, size_t n, const char *dir, const char *name)
{
	int k = snprintf(out, n, "%s/%s", dir, name);

	return k >= 0 && (size_t)k < n;
}

static int nft_listing(const char *text, size_t len, const char *dir, struct aclf_buf *json);

/* ---- the generated topology (after tests/bench/compile.c) ---- */

struct kind {
	const char *role, *tag;
	unsigned n, size;
};

static unsigned each_pool(const struct kind *kinds, size_t nk, struct aclf_buf *b,
			  void (*fn)(struct aclf_buf *, const char *tag, unsigned idx, size_t k))
{
	unsigned idx = 0;

	for (size_t k = 0; k < nk; k++)
		for (unsigned left = kinds[k].n; left;) {
			unsigned n = left < kinds[k].size ? left : kinds[k].size;
			fn(b, kinds[k].tag, idx++, k);
			left -= n;
		}
	return idx;
}

static void pool_ios(struct aclf_buf *b, const char *tag, unsigned idx, size_t k)
{
	(void)k;
	aclf_buf_printf(b, "      - {pools: [%s%u], interface: Vlan%u, direction: out}\n", tag, idx, 100 + idx);
}

static void pool_junos(struct aclf_buf *b, const char *tag, unsigned idx, size_t k)
{
	(void)k;
	aclf_buf_printf(b, "      - {pools: [%s%u], interface: ge-0/0/0.%u, direction: out}\n", tag, idx,
			100 + idx);
}

static void pool_name(struct aclf_buf *b, const char *tag, unsigned idx, size_t k)
{
	(void)k;
	aclf_buf_printf(b, "%s%u, ", tag, idx);
}

static void pool_lb(struct aclf_buf *b, const char *tag, unsigned idx, size_t k)
{
	if (k < 2) /* front end and director pools */
		aclf_buf_printf(b, "%s%u, ", tag, idx);
}

static void trim_list(struct aclf_buf *b)
{
	if (b->len >= 2 && b->buf[b->len - 2] == ',') {
		b->len -= 2;
		b->buf[b->len] = '\0';
	}
}

/* `servers` Lync servers (front end pools of up to 12, director pools of 4,
 * mediation pools of 4) and `clients` client /28 networks. */
static void gen(struct aclf_buf *b, unsigned servers, unsigned clients)
{
	unsigned fe = servers * 6 / 10, dir = servers * 2 / 10, med = servers - fe - dir;
	unsigned ip = 0, pools = 0;
	uint32_t seed = 12345;
	struct kind kinds[] = { { "front-end", "fe", fe, 12 }, { "director", "dir", dir, 4 },
				{ "mediation", "med", med, 4 } };

	aclf_buf_printf(b, "catalog: lync2013-internal\nsite: bench\nload_balancing: hardware\n");
	aclf_buf_printf(b, "client_media_ports: {enabled: true, audio: {start: 50020, count: 20}, "
			   "video: {start: 58000, count: 20}, app_sharing: {start: 42000, count: 20}, "
			   "file_transfer: {start: 42020, count: 20}}\n");
	aclf_buf_printf(b, "networks:\n  clients:\n    kind: clients\n    prefixes:\n");
	for (unsigned i = 0; i < clients; i++) {
		uint32_t r = rng_next(&seed) % (1u << 20);
		aclf_buf_printf(b, "      - 10.%u.%u.%u/28\n", (r >> 12) & 0xff, (r >> 4) & 0xff, (r & 0xf) << 4);
	}
	aclf_buf_printf(b, "  gateways: {kind: pstn-gateway, prefixes: [172.31.0.10, 172.31.0.11]}\n"
			   "  rp: {kind: reverse-proxy, prefixes: [172.31.1.10]}\npools:\n");
	for (size_t k = 0; k < 3; k++) {
		for (unsigned left = kinds[k].n; left;) {
			unsigned n = left < kinds[k].size ? left : kinds[k].size;
			aclf_buf_printf(b, "  %s%u:\n    role: %s\n    fqdn: %s%u.example.net\n    vip: 172.%u.%u.%u\n",
					kinds[k].tag, pools, kinds[k].role, kinds[k].tag, pools, 16 + (pools >> 16) % 8,
					(pools >> 8) & 0xff, pools & 0xff);
			if (pools == 0)
				aclf_buf_printf(b, "    cms: true\n");
			aclf_buf_printf(b, "    servers:\n");
			for (unsigned s = 0; s < n; s++, ip++)
				aclf_buf_printf(b, "      %s%u-%u: 192.168.%u.%u\n", kinds[k].tag, pools, s,
						(ip >> 8) & 0xff, ip & 0xff);
			pools++;
			left -= n;
		}
	}
	aclf_buf_printf(b, "devices:\n  core:\n    driver: ios\n    host: 192.0.2.1\n    protects:\n");
	each_pool(kinds, 3, b, pool_ios);
	aclf_buf_printf(b, "  fw:\n    driver: junos\n    host: 192.0.2.2\n    protects:\n");
	each_pool(kinds, 3, b, pool_junos);
	aclf_buf_printf(b, "  lb:\n    driver: bigip\n    host: 192.0.2.5\n    balances: [");
	each_pool(kinds, 3, b, pool_lb);
	trim_list(b);
	aclf_buf_printf(b, "]\n  gw:\n    driver: nftables\n    host: 192.0.2.6\n    protects:\n"
			   "      - chain: forward\n        pools: [");
	each_pool(kinds, 3, b, pool_name);
	trim_list(b);
	aclf_buf_printf(b, "]\n");
}

/* ---- counting ---- */

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Non-blank lines that are not comments (IOS '!', nft/shell '#', Junos
 * C comments); IOS access-list entries and object-group member lines. */
static void count_text(const char *t, size_t len, size_t *lines, size_t *aces, size_t *og)
{
	enum { NONE, ACL, OG } sect = NONE;
	const char *end = t + len;

	while (t < end) {
		const char *nl = memchr(t, '\n', (size_t)(end - t)), *s = t;
		const char *eol = nl ? nl : end;
		while (s < eol && (*s == ' ' || *s == '\t'))
			s++;
		if (s < eol && *s != '!' && *s != '#' && !starts(s, "/*") && !starts(s, "**") &&
		    !starts(s, "*/")) {
			(*lines)++;
			if (s == t) {
				sect = starts(t, "ip access-list") || starts(t, "ipv6 access-list") ? ACL
				       : starts(t, "object-group ")				? OG
													: NONE;
			} else if (sect == ACL) {
				while (s < eol && *s >= '0' && *s <= '9')
					s++;
				while (s < eol && *s == ' ')
					s++;
				if (starts(s, "permit ") || starts(s, "deny "))
					(*aces)++;
			} else if (sect == OG) {
				(*og)++;
			}
		}
		t = nl ? nl + 1 : end;
	}
}

/* Entries an IOS device needs with object-groups expanded: per family, one
 * per (source prefix, destination prefix, source range, destination range),
 * plus each list's final deny. */
static size_t flat_entries(const struct aclf_devpol *dp)
{
	size_t n = 0;

	for (size_t f = 0; f < dp->nfilters; f++) {
		const struct aclf_filter *flt = &dp->filters[f];
		n += 2;
		for (size_t r = 0; r < flt->nrules; r++) {
			const struct aclf_rule *ru = &flt->rules[r];
			size_t sp = ru->src_ports.n ? ru->src_ports.n : 1, dpn = ru->dst_ports.n ? ru->dst_ports.n : 1;
			for (uint8_t fam = 4; fam <= 6; fam += 2) {
				size_t s = 0, d = 0;
				for (size_t i = 0; i < ru->src.n; i++)
					s += ru->src.v[i].family == fam;
				for (size_t i = 0; i < ru->dst.n; i++)
					d += ru->dst.v[i].family == fam;
				n += s * d * sp * dpn;
			}
		}
	}
	return n;
}

/* ---- our side: render and parse back ---- */

static int bench_driver(const struct aclf_policy *pol, const char *driver, bool want_flat,
			struct drv_stat *st, const char *work_dir, bool dump)
{
	const struct aclf_driver *drv = aclf_driver_find(driver);
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;

	memset(st, 0, sizeof(*st));
	if (!drv)
		return -1;
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	for (size_t d = 0; d < pol->ndevices; d++) {
		const struct aclf_devpol *dp = &pol->devices[d];
		double best = 0, t0;
		unsigned reps = 0;
		if (strcmp(dp->driver, driver) != 0)
			continue;
		st->devices++;
		st->filters += dp->nfilters;
		st->lb += dp->nlb;
		for (size_t f = 0; f < dp->nfilters; f++)
			st->rules += dp->filters[f].nrules;
		if (want_flat)
			st->flat += flat_entries(dp);
		/* best of up to 5 renders within about 300 ms */
		do {
			aclf_buf_reset(&out);
			t0 = now_ms();
			if (aclf_driver_render(drv, dp, NULL, &out, &err) < 0) {
				fprintf(stderr, "bench_render: render %s: %s\n", dp->name, aclf_err_text(&err));
				st->failed = true;
				goto out;
			}
			t0 = now_ms() - t0;
			if (!reps || t0 < best)
				best = t0;
			reps++;
		} while (reps < 5 && best * reps < 300);
		st->render_ms += best;
		st->bytes += out.len;
		count_text(out.buf, out.len, &st->lines, &st->aces, &st->og_lines);
		if (dump && work_dir) {
			char path[4096];
			FILE *fp;
			int k = snprintf(path, sizeof(path), "%s/%s.%s", work_dir, dp->name, driver);
			fp = k > 0 && (size_t)k < sizeof(path) ? fopen(path, "w") : NULL;
			if (fp) {
				fwrite(out.buf, 1, out.len, fp);
				fclose(fp);
			}
		}
		if (strcmp(driver, "nftables") == 0) {
			struct aclf_buf js = ACLF_BUF_INIT;
			aclf_buf_init(&js, 0);
			if (!work_dir || nft_listing(out.buf, out.len, work_dir, &js) < 0) {
				st->no_parse = true;
				aclf_buf_release(&js);
				continue;
			}
			aclf_buf_reset(&out);
			aclf_buf_add(&out, js.buf, js.len);
			aclf_buf_release(&js);
		}
		/* parse back, best of up to 5 within about 300 ms */
		for (reps = 0, best = 0; reps < 5 && (!reps || best * reps < 300); reps++) {
			struct aclf_policy *back = aclf_policy_new();
			struct aclf_devpol *bd = NULL;
			t0 = now_ms();
			if (!back || aclf_driver_parse(drv, out.buf, out.len, &(struct aclf_parse_opts){ .name = dp->name }, back, &bd, &err) < 0) {
				fprintf(stderr, "bench_render: parse back %s: %s\n", dp->name, aclf_err_text(&err));
				aclf_policy_free(back);
				st->failed = true;
				goto out;
			}
			t0 = now_ms() - t0;
			if (!reps || t0 < best)
				best = t0;
			if (!reps) {
				for (size_t f = 0; f < bd->nfilters; f++)
					st->parsed += bd->filters[f].nrules;
				st->parsed += bd->nlb;
			}
			aclf_policy_free(back);
		}
		st->parse_ms += best;
	}
out:
	aclf_buf_release(&out);
	aclf_err_release(&err);
	return st->failed ? -1 : 0;
}

/* ---- Capirca ---- */

/* Run argv with stdout to out (appended) and stderr to err (appended, NULL:
 * with stdout); returns the exit status or -1. */
static int run2(char *const argv[], const char *out, const char *err)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (err)
		posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_APPEND, 0644);
	else
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run(char *const argv[], const char *log)
{
	return run2(argv, log, NULL);
}

/* The nftables driver parses `nft -j list ruleset`, not the text it
 * renders: load the text into a fresh network namespace with the real nft
 * and list it there (root only). Fills json; returns 0 or -1. */
static int nft_listing(const char *text, size_t len, const char *dir, struct aclf_buf *json)
{
	char in[4096], out[4096];
	char *argv[] = { (char *)"/usr/bin/unshare", (char *)"-n", (char *)"/bin/sh", (char *)"-c",
			 (char *)"nft -f \"$1\" && nft -j list ruleset", (char *)"sh", in, NULL };
	FILE *fp;
	int rc = -1;

	if (geteuid() != 0 || access("/usr/bin/unshare", X_OK) < 0 || access("/usr/sbin/nft", X_OK) < 0 ||
	    !joinp(in, sizeof(in), dir, "nft-in.nft") || !joinp(out, sizeof(out), dir, "nft-out.json"))
		return -1;
	fp = fopen(in, "w");
	if (!fp)
		return -1;
	if (fwrite(text, 1, len, fp) == len)
		rc = 0;
	fclose(fp);
	remove(out);
	if (rc == 0 && run2(argv, out, "/dev/null") == 0 && aclf_buf_read_file(json, out) == 0)
		rc = 0;
	else
		rc = -1;
	remove(in);
	remove(out);
	return rc;
}

static void count_dir(const char *dir, const char *ext, struct cap_stat *cs)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), el = strlen(ext), og = 0;
		char path[4096];
		struct aclf_buf b = ACLF_BUF_INIT;
		if (n <= el || strcmp(e->d_name + n - el, ext) != 0)
			continue;
		if (!joinp(path, sizeof(path), dir, e->d_name))
			continue;
		aclf_buf_init(&b, 0);
		if (aclf_buf_read_file(&b, path) == 0) {
			count_text(b.buf, b.len, &cs->lines, &cs->aces, &og);
			for (const char *p = b.buf; (p = strstr(p, " term ")); p++)
				cs->terms++;
		}
		aclf_buf_release(&b);
	}
	closedir(d);
}

/* Translate DEVICE's filters of policy.json for TARGET (cisco|juniper) and
 * time aclgen on them. dir gets policies/, def/, out/ and log. */
static void capirca(const struct opts *o, const char *json, const char *dir, const char *device,
		    const char *target, bool optimize, struct cap_stat *cs)
{
	char pol[4096], def[4096], out[4096], log[4096], a1[4200], a2[4200], a3[4200];
	double t0;

	memset(cs, 0, sizeof(*cs));
	if (!joinp(pol, sizeof(pol), dir, "policies") || !joinp(def, sizeof(def), dir, "def") ||
	    !joinp(out, sizeof(out), dir, "out") || !joinp(log, sizeof(log), dir, "log"))
		return;
	mkdir(dir, 0755);
	mkdir(out, 0755);
	{
		char *argv[] = { (char *)PYTHON, (char *)o->helper, (char *)"gen", (char *)json, (char *)dir,
				 (char *)"--device", (char *)device, (char *)"--targets", (char *)target, NULL };
		if (run(argv, log) != 0) {
			fprintf(stderr, "bench_render: capirca_gen.py gen failed, see %s\n", log);
			return;
		}
	}
	if (snprintf(a1, sizeof(a1), "--base_directory=%s", pol) >= (int)sizeof(a1) ||
	    snprintf(a2, sizeof(a2), "--definitions_directory=%s", def) >= (int)sizeof(a2) ||
	    snprintf(a3, sizeof(a3), "--output_directory=%s", out) >= (int)sizeof(a3))
		return;
	{
		char *argv[] = { (char *)PYTHON, (char *)"-m", (char *)"capirca.aclgen", a1, a2, a3,
				 (char *)"--max_renderers=1", optimize ? (char *)"--optimize" : NULL, NULL };
		t0 = now_ms();
		if (run(argv, log) != 0) {
			fprintf(stderr, "bench_render: aclgen failed, see %s\n", log);
			return;
		}
		cs->ms = now_ms() - t0;
	}
	count_dir(out, strcmp(target, "cisco") == 0 ? ".acl" : ".jcl", cs);
	cs->ok = cs->lines > 0;
}

static int write_json(const struct aclf_policy *p, const char *path)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	struct aclf_err err;
	FILE *fp;
	int rc = -1;

	aclf_err_init(&err);
	aclf_buf_init(&b, 0);
	if (aclf_policy_to_json(p, &b, &err) == 0 && (fp = fopen(path, "w"))) {
		rc = fwrite(b.buf, 1, b.len, fp) == b.len ? 0 : -1;
		fclose(fp);
	}
	aclf_buf_release(&b);
	aclf_err_release(&err);
	return rc;
}

static bool capirca_present(const struct opts *o)
{
	char *argv[] = { (char *)PYTHON, (char *)"-c", (char *)"import capirca.aclgen", NULL };

	return o->helper && access(PYTHON, X_OK) == 0 && access(o->helper, R_OK) == 0 &&
	       run(argv, "/dev/null") == 0;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* ---- one policy: print the per-driver table and the comparison ---- */

static const char *const drivers[] = { "ios", "junos", "bigip", "nftables" };

static void report(const struct opts *o, const struct aclf_policy *pol, double compile_ms, const char *dir,
		   const char *ios_dev, const char *junos_dev, bool both_modes, bool cap)
{
	struct drv_stat st[4];

	printf("  %-9s %5s %7s %8s %9s %10s %10s %9s %9s\n", "driver", "devs", "filters", "rules/lb",
	       "lines", "bytes", "render_ms", "parse_ms", "parsed");
	for (size_t i = 0; i < 4; i++) {
		bench_driver(pol, drivers[i], i == 0, &st[i], dir, o->keep);
		if (!st[i].devices)
			continue;
		printf("  %-9s %5u %7u %8zu %9zu %10zu %10.2f ", drivers[i], st[i].devices, st[i].filters,
		       st[i].rules + st[i].lb, st[i].lines, st[i].bytes, st[i].render_ms);
		if (st[i].no_parse)
			printf("%9s %9s  (nft -j listing needs root, unshare and nft)\n", "-", "-");
		else
			printf("%9.2f %9zu%s\n", st[i].parse_ms, st[i].parsed, st[i].failed ? "  FAILED" : "");
	}
	printf("  ios entries: %zu permit/deny lines + %zu object-group lines (%zu entries with groups expanded)\n",
	       st[0].aces, st[0].og_lines, st[0].flat);
	if (!cap)
		return;
	{
		char json[4096], sub[4096];
		struct cap_stat cc[2], cj;
		if (!joinp(json, sizeof(json), dir, "policy.json") || write_json(pol, json) < 0) {
			printf("  capirca: cannot write %s\n", json);
			return;
		}
		for (int m = both_modes ? 0 : 1; m < 2; m++) {
			if (!joinp(sub, sizeof(sub), dir, m ? "cap-cisco-O" : "cap-cisco-default"))
				continue;
			capirca(o, json, sub, ios_dev, "cisco", m == 1, &cc[m]);
			if (!cc[m].ok || st[0].failed) {
				printf("  capirca cisco%s: %s\n", m ? " --optimize" : "",
				       cc[m].ok ? "our ios rendering failed" : "failed");
				continue;
			}
			printf("  capirca cisco%-11s %9zu entries %9zu lines %10.1f ms | ours/capirca entries %.3f "
			       "(flat %.2f), lines %.3f | capirca/ours time %.0fx render, %.0fx compile+render\n",
			       m ? " --optimize" : " (default)", cc[m].aces, cc[m].lines, cc[m].ms,
			       ratio((double)st[0].aces, (double)cc[m].aces), ratio((double)st[0].flat, (double)cc[m].aces),
			       ratio((double)st[0].lines, (double)cc[m].lines), ratio(cc[m].ms, st[0].render_ms),
			       ratio(cc[m].ms, compile_ms + st[0].render_ms));
		}
		if (!joinp(sub, sizeof(sub), dir, "cap-juniper-O"))
			return;
		capirca(o, json, sub, junos_dev, "juniper", true, &cj);
		if (cj.ok && (st[1].failed || !st[1].devices))
			printf("  capirca juniper --optimize %9zu terms   %9zu lines %10.1f ms | our junos rendering failed\n",
			       cj.terms, cj.lines, cj.ms);
		else if (cj.ok)
			printf("  capirca juniper --optimize %9zu terms   %9zu lines %10.1f ms | ours/capirca lines %.3f "
			       "| capirca/ours time %.0fx render, %.0fx compile+render\n",
			       cj.terms, cj.lines, cj.ms, ratio((double)st[1].lines, (double)cj.lines),
			       ratio(cj.ms, st[1].render_ms), ratio(cj.ms, compile_ms + st[1].render_ms));
		else
			printf("  capirca juniper --optimize: failed\n");
	}
}

/* Capirca's fixed cost: aclgen on a filter with one term. */
static void capirca_baseline(const struct opts *o)
{
	static const char one[] = "{\"devices\": [{\"name\": \"x\", \"driver\": \"ios\", \"filters\": "
				  "[{\"name\": \"X\", \"default_action\": \"deny\", \"rules\": []}]}]}\n";
	char json[4096], dir[4096];
	struct cap_stat cs;
	FILE *fp;

	if (!joinp(json, sizeof(json), o->work, "one.json") || !joinp(dir, sizeof(dir), o->work, "cap-one"))
		return;
	fp = fopen(json, "w");
	if (!fp)
		return;
	fputs(one, fp);
	fclose(fp);
	capirca(o, json, dir, "x", "cisco", true, &cs);
	if (cs.ok)
		printf("capirca fixed cost: aclgen --optimize on one filter with one term: %.1f ms\n", cs.ms);
}

static struct aclf_policy *compile_topo(struct aclf_topology *t, double *ms)
{
	struct aclf_err err;
	struct aclf_catalog *c;
	struct aclf_policy *p = NULL;
	char *cpath = aclf_catalog_resolve(t->catalog, t->path);
	double t0;

	aclf_err_init(&err);
	c = cpath ? aclf_catalog_load(cpath, &err) : NULL;
	free(cpath);
	if (c) {
		t0 = now_ms();
		p = aclf_compile(c, t, NULL, NULL, &err);
		*ms = now_ms() - t0;
	}
	if (!p)
		fprintf(stderr, "bench_render: %s\n", aclf_err_text(&err));
	aclf_catalog_free(c);
	aclf_err_release(&err);
	return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(int argc, char **argv)
{
	static const unsigned sizes[][2] = {
		{ 10, 10 }, { 50, 25 }, { 200, 100 }, { 500, 250 }, { 1000, 500 }, { 2000, 1000 },
	};
	struct opts o = { .max_servers = 1000, .capirca_max = 500 };
	char workbuf[] = "/tmp/aclf-bench-render.XXXXXX";
	bool cap;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--keep") == 0) {
			o.keep = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "usage: bench_render [--max-servers N] [--capirca HELPER] "
					"[--capirca-max-servers N] [--example TOPOLOGY] [--work DIR] [--keep]\n");
			return 2;
		}
		i++;
		if (strcmp(a, "--max-servers") == 0)
			o.max_servers = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--capirca-max-servers") == 0)
			o.capirca_max = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--capirca") == 0)
			o.helper = v;
		else if (strcmp(a, "--example") == 0)
			o.example = v;
		else if (strcmp(a, "--work") == 0)
			o.work = v;
		else {
			fprintf(stderr, "bench_render: unknown option '%s'\n", a);
			return 2;
		}
	}
	if (!o.work) {
		if (!mkdtemp(workbuf)) {
			perror("bench_render: mkdtemp");
			return 1;
		}
		o.work = workbuf;
	} else if (mkdir(o.work, 0755) < 0 && errno != EEXIST) {
		perror(o.work);
		return 1;
	}
	cap = capirca_present(&o);
	printf("bench_render: render + parse back per driver%s; work directory %s%s\n",
	       cap ? ", Capirca (python3-capirca) on the same policy" : " (no Capirca: --capirca HELPER not given or not installed)",
	       o.work, o.keep ? " (kept)" : "");
	printf("times: best of up to 5 runs for ours; one aclgen process per Capirca run (wall time, "
	       "Python start included)\n");
	if (cap)
		capirca_baseline(&o);

	if (o.example) {
		struct aclf_err err;
		struct aclf_topology *t;
		struct aclf_policy *p;
		double cms = 0;
		char dir[4096];
		aclf_err_init(&err);
		t = aclf_topology_load(o.example, &err);
		p = t ? compile_topo(t, &cms) : NULL;
		if (!t)
			fprintf(stderr, "bench_render: %s\n", aclf_err_text(&err));
		if (p) {
			const char *ios = NULL, *junos = NULL;
			for (size_t d = 0; d < p->ndevices; d++) {
				if (!ios && strcmp(p->devices[d].driver, "ios") == 0)
					ios = p->devices[d].name;
				if (!junos && strcmp(p->devices[d].driver, "junos") == 0)
					junos = p->devices[d].name;
			}
			if (!joinp(dir, sizeof(dir), o.work, "example"))
				dir[0] = '\0';
			mkdir(dir, 0755);
			printf("\n%s: compile %.2f ms; Capirca on IOS device %s, Junos device %s\n", o.example, cms,
			       ios ? ios : "-", junos ? junos : "-");
			report(&o, p, cms, dir, ios ? ios : "-", junos ? junos : "-", true, cap && ios && junos);
		}
		aclf_policy_free(p);
		aclf_topology_free(t);
		aclf_err_release(&err);
	}

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && sizes[i][0] <= o.max_servers; i++) {
		struct aclf_buf y = ACLF_BUF_INIT;
		struct aclf_err err;
		struct aclf_topology *t;
		struct aclf_policy *p = NULL;
		double cms = 0;
		char dir[4096];
		aclf_err_init(&err);
		aclf_buf_init(&y, 0);
		gen(&y, sizes[i][0], sizes[i][1]);
		t = aclf_topology_load_mem(y.buf, y.len, "bench.yaml", &err);
		if (!t)
			fprintf(stderr, "bench_render: generated topology: %s\n", aclf_err_text(&err));
		else
			p = compile_topo(t, &cms);
		if (p) {
			char sname[32];
			snprintf(sname, sizeof(sname), "s%u", sizes[i][0]);
			if (!joinp(dir, sizeof(dir), o.work, sname))
				dir[0] = '\0';
			mkdir(dir, 0755);
			printf("\n%u servers, %u client /28s: compile %.2f ms\n", sizes[i][0], sizes[i][1], cms);
			report(&o, p, cms, dir, "core", "fw", false, cap && sizes[i][0] <= o.capirca_max);
		}
		aclf_policy_free(p);
		aclf_topology_free(t);
		aclf_buf_release(&y);
		aclf_err_release(&err);
	}
	if (!o.keep && o.work == workbuf)
		nftw(o.work, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
