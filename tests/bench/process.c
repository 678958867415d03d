/* Benchmark: what the user sees. The whole `aclforge render TOPOLOGY --out
 * DIR` process on generated deployments (gen/topogen.h) of 10 to 10,000
 * servers (ten client /28s per server), timed from outside: wall time, CPU
 * time (user + system) and peak RSS from wait4's rusage, and the bytes it
 * wrote. Against two baselines measured in the same run:
 *
 *   I/O floor  a process that already holds the very bytes aclforge wrote
 *              writes them into as many files (open, write, fsync, close,
 *              rename, then fsync the directory, as aclforge does: --out
 *              promises files on disk); its wall time, process start
 *              excluded;
 *   Capirca    Debian's python3-capirca: `python3 -m capirca.aclgen` on the
 *              same policy's IOS and Junos filters (tests/tools/capirca_gen.py
 *              translates `aclforge compile --format json`), whole process,
 *              with --optimize and without, --max_renderers=1 (one core, as
 *              aclforge uses).
 *
 * With --baseline BIN, another aclforge binary (e.g. the main branch's) runs
 * the same renders, interleaved too, up to --baseline-max-servers.
 *
 * Sizes, baselines and repetitions are interleaved (rep 1 of every size,
 * then rep 2, ...), so load from other work on the machine spreads over all
 * of them; the table shows medians. Growth exponents are
 * log(x2/x1) / log(servers2/servers1) between consecutive sizes, and from
 * 1,000 to 10,000 servers when both are run with sizes between them.
 * Nothing here passes or fails: it prints numbers.
 *
 *   bench_process --aclforge BIN [--sizes 10,100,500,1000,10000] [--reps 3]
 *                 [--sequential] [--capirca HELPER] [--capirca-max-servers 1000]
 *                 [--capirca-reps N] [--baseline BIN] [--baseline-max-servers N]
 *                 [--pools-per-block N|all] [--filters central|per-block]
 *                 [--timeout SECONDS] [--capirca-timeout SECONDS]
 *                 [--mem-limit-mb MB] [--work DIR] [--keep]
 *   bench_process --print-topology SERVERS [--sequential] [--pools-per-block N|all]
 *                 [--filters central|per-block]
 *
 * --pools-per-block: how many pools share one BIG-IP (default 50); `all`:
 * one for every pool.
 * --filters central (the default): one IOS core switch and one Junos
 * firewall, each with one filter per pool, and one nftables router guard
 * every pool, as a data centre's core does; per-block: each block of pools
 * has its own core switch, firewall and router as well, so every block's
 * devices carry the whole client set again (bytes grow as servers^2).
 *
 * A run killed by --timeout (default 600 s; Capirca's: --capirca-timeout,
 * default 7200 s) or failing under --mem-limit-mb
 * (address space, default 8192 MB; 0: none) is reported as such. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "gen/topogen.h"

#define PYTHON "/usr/bin/python3"
#define MAX_SIZES 16
#define MAX_REPS 15

struct opts {
	const char *aclforge, *helper, *work, *baseline;
	unsigned sizes[MAX_SIZES];
	size_t nsizes;
	unsigned reps, capirca_max, capirca_reps, timeout, capirca_timeout, baseline_max;
	unsigned long mem_limit_mb;
	enum topogen_layout layout;
	unsigned per_block;
	bool per_block_filters; /* --filters per-block */
	bool keep;
};

/* One process run as measured from outside. */
struct meas {
	double wall_s, cpu_s, rss_mb;
	bool ok;
	char why[64]; /* when not ok */
};

/* Everything measured for one size. */
struct size_stat {
	unsigned servers, clients;
	struct topogen_stats gs;
	char dir[4096], topo[4200];
	size_t bytes, files;
	struct meas run[MAX_REPS], floor[MAX_REPS], cap_o[MAX_REPS], cap[MAX_REPS], base[MAX_REPS];
	bool cap_ready;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool joinp(char *out, size_t n, const char *dir, const char *name)
{
	int k = snprintf(out, n, "%s/%s", dir, name);

	return k >= 0 && (size_t)k < n;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run argv (stdout to out, stderr to err; NULL: /dev/null) and measure it.
 * The child is forked from this small process, so its peak RSS counts
 * nothing of ours beyond a few pages. */
static void run_measured(const struct opts *o, unsigned timeout, char *const argv[], const char *out,
			 const char *err, struct meas *m)
{
	struct rusage ru;
	int st = 0;
	double t0 = now_s();
	pid_t pid = fork();

	memset(m, 0, sizeof(*m));
	if (pid < 0) {
		snprintf(m->why, sizeof(m->why), "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		close(fo);
		close(fe);
		if (o->mem_limit_mb) {
			struct rlimit rl = { o->mem_limit_mb << 20, o->mem_limit_mb << 20 };
			setrlimit(RLIMIT_AS, &rl);
		}
		if (timeout)
			alarm(timeout); /* survives exec */
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		snprintf(m->why, sizeof(m->why), "wait4: %s", strerror(errno));
		return;
	}
	m->wall_s = now_s() - t0;
	m->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
		   ru.ru_stime.tv_usec / 1e6;
	m->rss_mb = ru.ru_maxrss / 1024.0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		m->ok = true;
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		snprintf(m->why, sizeof(m->why), "timeout %us", timeout);
	else if (WIFSIGNALED(st))
		snprintf(m->why, sizeof(m->why), "signal %d", WTERMSIG(st));
	else
		snprintf(m->why, sizeof(m->why), "exit %d%s", WEXITSTATUS(st),
			 o->mem_limit_mb ? " (memory limit?)" : "");
}

/* Regular files of dir and their total size. */
static size_t dir_bytes(const char *dir, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t total = 0;

	*files = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char p[4400];
		struct stat sb;
		if (e->d_name[0] == '.' || !joinp(p, sizeof(p), dir, e->d_name) || stat(p, &sb) < 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		total += (size_t)sb.st_size;
		(*files)++;
	}
	closedir(d);
	return total;
}

/* ---- the I/O floor ---- */

struct floor_file {
	char name[256];
	char *data;
	size_t len;
};

static int floor_write(const char *dst, const struct floor_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[4400], tmp[4500];
		int fd;
		if (!joinp(path, sizeof(path), dst, v[i].name) ||
		    snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
			return -1;
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return -1;
		for (size_t w = 0; w < v[i].len;) {
			ssize_t k = write(fd, v[i].data + w, v[i].len - w);
			if (k <= 0) {
				close(fd);
				return -1;
			}
			w += (size_t)k;
		}
		if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0)
			return -1;
	}
	{
		int dfd = open(dst, O_RDONLY | O_DIRECTORY);
		if (dfd < 0 || fsync(dfd) < 0) {
			if (dfd >= 0)
				close(dfd);
			return -1;
		}
		close(dfd);
	}
	return 0;
}

/* In a child: read every file of src into memory, then time writing them
 * into dst. */
static void floor_child(const char *src, const char *dst, int fd)
{
	DIR *d = opendir(src);
	struct dirent *e;
	struct floor_file *v = NULL;
	size_t n = 0, cap = 0;
	struct rusage r0, r1;
	double t[2] = { -1, -1 };

	while (d && (e = readdir(d))) {
		char p[4400];
		struct aclf_buf b = ACLF_BUF_INIT;
		if (e->d_name[0] == '.' || !joinp(p, sizeof(p), src, e->d_name))
			continue;
		aclf_buf_init(&b, 0);
		if (aclf_buf_read_file(&b, p) < 0)
			_exit(1);
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				_exit(1);
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
		v[n].data = aclf_buf_detach(&b, &v[n].len);
		n++;
	}
	if (d)
		closedir(d);
	if (mkdir(dst, 0755) < 0)
		_exit(1);
	getrusage(RUSAGE_SELF, &r0);
	t[0] = now_s();
	if (floor_write(dst, v, n) < 0)
		_exit(1);
	t[0] = now_s() - t[0];
	getrusage(RUSAGE_SELF, &r1);
	t[1] = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
	       (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
	if (write(fd, t, sizeof(t)) != (ssize_t)sizeof(t))
		_exit(1);
	_exit(0);
}

static void io_floor(const char *src, const char *dst, struct meas *m)
{
	int fds[2], st;
	double t[2];
	pid_t pid;

	memset(m, 0, sizeof(*m));
	rm_rf(dst);
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		floor_child(src, dst, fds[1]);
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], t, sizeof(t)) == (ssize_t)sizeof(t)) {
		m->wall_s = t[0];
		m->cpu_s = t[1];
		m->ok = true;
	} else {
		snprintf(m->why, sizeof(m->why), "failed");
	}
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
}

/* ---- generating the topologies (in a child: this process stays small) ---- */

static int gen_file(const struct opts *o, struct size_stat *s)
{
	int fds[2], st;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		struct topogen g = { .servers = s->servers, .clients = s->clients, .layout = o->layout,
				     .pools_per_block = o->per_block,
				     .central = !o->per_block_filters };
		struct aclf_buf y = ACLF_BUF_INIT;
		struct topogen_stats gs;
		FILE *fp;
		close(fds[0]);
		aclf_buf_init(&y, 0);
		if (topogen_yaml(&g, &y, &gs) < 0 || !(fp = fopen(s->topo, "w")))
			_exit(1);
		if (fwrite(y.buf, 1, y.len, fp) != y.len || fclose(fp) != 0)
			_exit(1);
		if (write(fds[1], &gs, sizeof(gs)) != (ssize_t)sizeof(gs))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	st = pid > 0 && read(fds[0], &s->gs, sizeof(s->gs)) == (ssize_t)sizeof(s->gs) ? 0 : -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return st;
}

/* ---- Capirca ---- */

static bool capirca_present(const struct opts *o)
{
	char *argv[] = { (char *)PYTHON, (char *)"-c", (char *)"import capirca.aclgen", NULL };
	struct meas m;

	if (!o->helper || access(PYTHON, X_OK) < 0 || access(o->helper, R_OK) < 0)
		return false;
	run_measured(o, o->timeout, argv, NULL, NULL, &m);
	return m.ok;
}

/* The policy's IOS and Junos filters as Capirca input in DIR/cap (not timed). */
static void capirca_prepare(const struct opts *o, struct size_stat *s)
{
	char json[4200], cap[4200], log[4200];
	struct meas m;

	if (!joinp(json, sizeof(json), s->dir, "policy.json") || !joinp(cap, sizeof(cap), s->dir, "cap") ||
	    !joinp(log, sizeof(log), s->dir, "capirca-gen.log"))
		return;
	{
		char *argv[] = { (char *)o->aclforge, (char *)"compile", s->topo, (char *)"--format",
				 (char *)"json", NULL };
		run_measured(o, o->timeout, argv, json, log, &m);
		if (!m.ok) {
			fprintf(stderr, "bench_process: aclforge compile %s: %s\n", s->topo, m.why);
			return;
		}
	}
	{
		char *argv[] = { (char *)PYTHON, (char *)o->helper, (char *)"gen", json, cap, (char *)"--targets",
				 (char *)"cisco,juniper", NULL };
		run_measured(o, o->capirca_timeout, argv, NULL, log, &m);
		if (!m.ok) {
			fprintf(stderr, "bench_process: capirca_gen.py gen: %s, see %s\n", m.why, log);
			return;
		}
	}
	s->cap_ready = true;
}

static void capirca_run(const struct opts *o, const struct size_stat *s, bool optimize, struct meas *m)
{
	char cap[4200], pol[4300], def[4300], out[4300], log[4300], a1[4400], a2[4400], a3[4400];

	memset(m, 0, sizeof(*m));
	if (!joinp(cap, sizeof(cap), s->dir, "cap") || !joinp(pol, sizeof(pol), cap, "policies") ||
	    !joinp(def, sizeof(def), cap, "def") || !joinp(out, sizeof(out), cap, "out") ||
	    !joinp(log, sizeof(log), s->dir, optimize ? "aclgen-O.log" : "aclgen.log"))
		return;
	rm_rf(out);
	mkdir(out, 0755);
	snprintf(a1, sizeof(a1), "--base_directory=%s", pol);
	snprintf(a2, sizeof(a2), "--definitions_directory=%s", def);
	snprintf(a3, sizeof(a3), "--output_directory=%s", out);
	{
		char *argv[] = { (char *)PYTHON, (char *)"-m", (char *)"capirca.aclgen", a1, a2, a3,
				 (char *)"--max_renderers=1", optimize ? (char *)"--optimize" : NULL, NULL };
		run_measured(o, o->capirca_timeout, argv, log, NULL, m);
	}
}

/* ---- statistics and the table ---- */

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum field { WALL, CPU, RSS };

/* Median of one field over the successful runs; NAN when none. */
static double median(const struct meas *v, unsigned n, enum field f)
{
	double x[MAX_REPS];
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (v[i].ok)
			x[k++] = f == WALL ? v[i].wall_s : f == CPU ? v[i].cpu_s : v[i].rss_mb;
	if (!k)
		return NAN;
	qsort(x, k, sizeof(*x), dbl_cmp);
	return k % 2 ? x[k / 2] : (x[k / 2 - 1] + x[k / 2]) / 2;
}

static const char *first_failure(const struct meas *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!v[i].ok && v[i].why[0])
			return v[i].why;
	return NULL;
}

static void put_num(double x, const char *fmt, int width)
{
	if (isnan(x))
		printf(" %*s", width, "-");
	else
		printf(fmt, width, x);
}

/* One line of growth exponents from size a to size b. */
static void exponent_row(const struct opts *o, const struct size_stat *a, const struct size_stat *b)
{
	double l = log((double)b->servers / a->servers);
	enum field f[3] = { WALL, CPU, RSS };

	printf("%7u -> %6u", a->servers, b->servers);
	for (int k = 0; k < 3; k++)
		put_num(log(median(b->run, o->reps, f[k]) / median(a->run, o->reps, f[k])) / l, " %*.2f", 8);
	put_num(a->bytes && b->bytes ? log((double)b->bytes / a->bytes) / l : NAN, " %*.2f", 9);
	printf("\n");
}

static void table(const struct opts *o, struct size_stat *ss)
{
	printf("\n%7s %8s %5s %4s %6s %9s | %8s %8s %8s | %8s %7s | %9s %8s | %9s %8s\n", "servers", "clients",
	       "pools", "devs", "files", "MB_out", "wall_s", "cpu_s", "rss_MB", "floor_s", "x_floor",
	       "capO_s", "capO/us", "cap_s", "cap/us");
	for (size_t i = 0; i < o->nsizes; i++) {
		struct size_stat *s = &ss[i];
		double w = median(s->run, o->reps, WALL), fl = median(s->floor, o->reps, WALL);
		double co = median(s->cap_o, o->capirca_reps, WALL), cd = median(s->cap, o->capirca_reps, WALL);
		const char *why = first_failure(s->run, o->reps);
		printf("%7u %8u %5u %4u %6zu %9.1f |", s->servers, s->clients, s->gs.pools, s->gs.devices, s->files,
		       s->bytes / 1e6);
		put_num(w, " %*.3f", 8);
		put_num(median(s->run, o->reps, CPU), " %*.3f", 8);
		put_num(median(s->run, o->reps, RSS), " %*.1f", 8);
		printf(" |");
		put_num(fl, " %*.4f", 8);
		put_num(w / fl, " %*.1f", 7);
		printf(" |");
		put_num(co, " %*.2f", 9);
		put_num(co / w, " %*.0f", 8);
		printf(" |");
		put_num(cd, " %*.2f", 9);
		put_num(cd / w, " %*.0f", 8);
		if (why)
			printf("  aclforge: %s", why);
		else if (s->cap_ready && first_failure(s->cap_o, o->capirca_reps))
			printf("  capirca: %s", first_failure(s->cap_o, o->capirca_reps));
		printf("\n");
	}
	if (o->baseline) {
		printf("\nbaseline %s, same topologies, same runs (medians; ratios baseline/ours):\n", o->baseline);
		printf("%7s | %8s %8s %8s | %8s %8s %8s\n", "servers", "wall_s", "cpu_s", "rss_MB", "wall_x", "cpu_x",
		       "rss_x");
		for (size_t i = 0; i < o->nsizes; i++) {
			const struct size_stat *s = &ss[i];
			const char *why = first_failure(s->base, o->reps);
			if (s->servers > o->baseline_max)
				continue;
			printf("%7u |", s->servers);
			put_num(median(s->base, o->reps, WALL), " %*.3f", 8);
			put_num(median(s->base, o->reps, CPU), " %*.3f", 8);
			put_num(median(s->base, o->reps, RSS), " %*.1f", 8);
			printf(" |");
			put_num(median(s->base, o->reps, WALL) / median(s->run, o->reps, WALL), " %*.1f", 8);
			put_num(median(s->base, o->reps, CPU) / median(s->run, o->reps, CPU), " %*.1f", 8);
			put_num(median(s->base, o->reps, RSS) / median(s->run, o->reps, RSS), " %*.1f", 8);
			if (why)
				printf("  baseline: %s", why);
			printf("\n");
		}
	}
	printf("\ngrowth exponents, log(x2/x1)/log(servers2/servers1), medians:\n");
	printf("%17s %8s %8s %8s %9s\n", "servers", "wall", "cpu", "rss", "bytes");
	for (size_t i = 1; i < o->nsizes; i++)
		exponent_row(o, &ss[i - 1], &ss[i]);
	/* the span the targets name, when sizes lie between its ends */
	for (size_t i = 0; i < o->nsizes; i++)
		for (size_t k = i + 2; k < o->nsizes; k++)
			if (ss[i].servers == 1000 && ss[k].servers == 10000)
				exponent_row(o, &ss[i], &ss[k]);
}

/* ---- options ---- */

static int parse_sizes(const char *s, struct opts *o)
{
	o->nsizes = 0;
	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v == 0 || o->nsizes == MAX_SIZES)
			return -1;
		o->sizes[o->nsizes++] = (unsigned)v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return o->nsizes ? 0 : -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_process --aclforge BIN [--sizes 10,100,500,1000,10000] [--reps N]\n"
			"                     [--sequential] [--capirca HELPER] [--capirca-max-servers N]\n"
			"                     [--capirca-reps N] [--baseline BIN] [--baseline-max-servers N]\n"
			"                     [--pools-per-block N|all] [--filters central|per-block]\n"
			"                     [--timeout S] [--capirca-timeout S]\n"
			"                     [--mem-limit-mb MB] [--work DIR] [--keep]\n"
			"       bench_process --print-topology SERVERS [--sequential] [--pools-per-block N|all]\n"
			"                     [--filters central|per-block]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = { .reps = 3, .capirca_max = 1000, .capirca_reps = 0, .timeout = 600, .capirca_timeout = 7200, .baseline_max = UINT32_MAX,
			  .mem_limit_mb = 8192, .layout = TOPOGEN_SCATTERED };
	static struct size_stat ss[MAX_SIZES];
	char workbuf[] = "/tmp/aclf-bench-process.XXXXXX";
	unsigned print = 0;
	char per_text[32];
	bool cap;

	parse_sizes("10,100,500,1000,10000", &o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--keep")) {
			o.keep = true;
			continue;
		}
		if (!strcmp(a, "--sequential")) {
			o.layout = TOPOGEN_SEQUENTIAL;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(a, "--aclforge"))
			o.aclforge = v;
		else if (!strcmp(a, "--sizes")) {
			if (parse_sizes(v, &o) < 0)
				return usage();
		} else if (!strcmp(a, "--reps"))
			o.reps = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--capirca"))
			o.helper = v;
		else if (!strcmp(a, "--capirca-max-servers"))
			o.capirca_max = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--capirca-reps"))
			o.capirca_reps = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--capirca-timeout"))
			o.capirca_timeout = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--timeout"))
			o.timeout = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--mem-limit-mb"))
			o.mem_limit_mb = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--baseline"))
			o.baseline = v;
		else if (!strcmp(a, "--baseline-max-servers"))
			o.baseline_max = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--pools-per-block"))
			o.per_block = !strcmp(v, "all") ? UINT32_MAX : (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--filters") && (!strcmp(v, "central") || !strcmp(v, "per-block")))
			o.per_block_filters = !strcmp(v, "per-block");
		else if (!strcmp(a, "--work"))
			o.work = v;
		else if (!strcmp(a, "--print-topology"))
			print = (unsigned)strtoul(v, NULL, 10);
		else
			return usage();
	}
	if (print) {
		struct topogen g = { .servers = print, .clients = 10 * print, .layout = o.layout,
				     .pools_per_block = o.per_block,
				     .central = !o.per_block_filters };
		struct aclf_buf y = ACLF_BUF_INIT;
		struct topogen_stats gs;
		aclf_buf_init(&y, 0);
		if (topogen_yaml(&g, &y, &gs) < 0)
			return 1;
		fwrite(y.buf, 1, y.len, stdout);
		aclf_buf_release(&y);
		return 0;
	}
	if (!o.aclforge || access(o.aclforge, X_OK) < 0 || o.reps == 0 || o.reps > MAX_REPS)
		return usage();
	if (!o.capirca_reps || o.capirca_reps > o.reps)
		o.capirca_reps = o.reps;
	if (!o.work) {
		if (!mkdtemp(workbuf)) {
			perror("bench_process: mkdtemp");
			return 1;
		}
		o.work = workbuf;
	} else if (mkdir(o.work, 0755) < 0 && errno != EEXIST) {
		perror(o.work);
		return 1;
	}
	cap = capirca_present(&o);
	if (o.per_block == UINT32_MAX)
		snprintf(per_text, sizeof(per_text), "all pools");
	else
		snprintf(per_text, sizeof(per_text), "%u pools", o.per_block ? o.per_block : 50);
	printf("bench_process: the whole `aclforge render TOPOLOGY --out DIR` process (%s)\n", o.aclforge);
	if (o.per_block_filters)
		printf("layout: %s; ten client /28s per server; pools of 3-12 front end, 2-4 director, 2-4 mediation "
		       "servers; per %s an IOS core and a Junos firewall (one filter per pool), a BIG-IP, an "
		       "nftables router\n",
		       o.layout == TOPOGEN_SEQUENTIAL ? "sequential" : "scattered", per_text);
	else
		printf("layout: %s; ten client /28s per server; pools of 3-12 front end, 2-4 director, 2-4 mediation "
		       "servers; one IOS core and one Junos firewall (one filter per pool) and one nftables "
		       "router for all pools, a BIG-IP per %s\n",
		       o.layout == TOPOGEN_SEQUENTIAL ? "sequential" : "scattered", per_text);
	printf("medians of %u interleaved runs; wall/cpu/rss from wait4; floor: writing the same bytes "
	       "into as many files, each fsync'ed as aclforge does; capirca: aclgen whole process on "
	       "the IOS and Junos filters, %u run%s%s\n",
	       o.reps, o.capirca_reps, o.capirca_reps == 1 ? "" : "s",
	       cap ? "" : " (not installed or --capirca not given: skipped)");
	printf("work directory %s%s; limits per run: %u s (capirca %u s), %lu MB address space\n", o.work,
	       o.keep ? " (kept)" : "", o.timeout, o.capirca_timeout, o.mem_limit_mb);
	fflush(stdout);

	for (size_t i = 0; i < o.nsizes; i++) {
		struct size_stat *s = &ss[i];
		char name[32];
		s->servers = o.sizes[i];
		s->clients = 10 * o.sizes[i];
		snprintf(name, sizeof(name), "s%u", s->servers);
		if (!joinp(s->dir, sizeof(s->dir), o.work, name) || !joinp(s->topo, sizeof(s->topo), s->dir, "topology.yaml"))
			return 1;
		mkdir(s->dir, 0755);
		if (gen_file(&o, s) < 0) {
			fprintf(stderr, "bench_process: cannot generate %u servers\n", s->servers);
			return 1;
		}
		if (cap && s->servers <= o.capirca_max)
			capirca_prepare(&o, s);
	}
	for (unsigned rep = 0; rep < o.reps; rep++) {
		for (size_t i = 0; i < o.nsizes; i++) {
			struct size_stat *s = &ss[i];
			char out[4300], fl[4300], errlog[4300];
			if (!joinp(out, sizeof(out), s->dir, "out") || !joinp(fl, sizeof(fl), s->dir, "floor") ||
			    !joinp(errlog, sizeof(errlog), s->dir, "render.log"))
				return 1;
			rm_rf(out);
			{
				char *av[] = { (char *)o.aclforge, (char *)"render", s->topo, (char *)"--out", out, NULL };
				run_measured(&o, o.timeout, av, NULL, errlog, &s->run[rep]);
			}
			if (s->run[rep].ok) {
				s->bytes = dir_bytes(out, &s->files);
				io_floor(out, fl, &s->floor[rep]);
				rm_rf(fl);
			}
			fprintf(stderr, "rep %u: %u servers: %s %.3f s wall, %.1f MB\n", rep + 1, s->servers,
				s->run[rep].ok ? "render" : s->run[rep].why, s->run[rep].wall_s, s->run[rep].rss_mb);
			if (o.baseline && s->servers <= o.baseline_max) {
				char *av[] = { (char *)o.baseline, (char *)"render", s->topo, (char *)"--out", out, NULL };
				rm_rf(out);
				run_measured(&o, o.timeout, av, NULL, errlog, &s->base[rep]);
				fprintf(stderr, "rep %u: %u servers: baseline %s %.3f s wall, %.1f MB\n", rep + 1, s->servers,
					s->base[rep].ok ? "render" : s->base[rep].why, s->base[rep].wall_s,
					s->base[rep].rss_mb);
			}
			if (s->cap_ready && rep < o.capirca_reps) {
				/* alternate which mode goes first */
				for (int k = 0; k < 2; k++) {
					bool opt = (k + rep) % 2 == 0;
					capirca_run(&o, s, opt, opt ? &s->cap_o[rep] : &s->cap[rep]);
					fprintf(stderr, "rep %u: %u servers: capirca%s %.2f s\n", rep + 1, s->servers,
						opt ? " --optimize" : "", (opt ? s->cap_o : s->cap)[rep].wall_s);
				}
			}
		}
	}
	table(&o, ss);
	if (!o.keep)
		rm_rf(o.work);
	return 0;
}
