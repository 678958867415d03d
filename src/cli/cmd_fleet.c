/* What fetch, plan, audit and apply share: their options, the run over the
 * devices (src/fleet/), progress on a terminal, and the report. Each
 * command's file (cmd_fetch.c, cmd_plan.c, cmd_audit.c, cmd_apply.c) holds
 * its help text and calls cli_fleet(). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/audit.h"
#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"
#include "cmd_fleet.h"

static int number(const char *cmd, const char *opt, const char *s, unsigned long lo,
		  unsigned long hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno == ERANGE || v < lo || v > hi)
		return cli_usage_error(cmd, "bad %s '%s', expected %lu to %lu", opt, s, lo, hi);
	*out = (unsigned)v;
	return 0;
}

static int shard(const char *cmd, const char *s, unsigned *i, unsigned *n)
{
	const char *slash = strchr(s, '/');
	char first[32];

	if (!slash || (size_t)(slash - s) >= sizeof(first))
		return cli_usage_error(cmd, "bad --shard '%s', expected I/N (0 <= I < N)", s);
	memcpy(first, s, (size_t)(slash - s));
	first[slash - s] = '\0';
	if (number(cmd, "--shard N", slash + 1, 1, 1000000, n) ||
	    number(cmd, "--shard I", first, 0, *n - 1, i))
		return CLI_USAGE;
	return 0;
}

struct progress {
	int64_t t0;
	bool shown;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line on the terminal, rewritten in place (stderr: stdout may be
 * a pipe while stderr is the terminal; shown only when stdout is one). */
static void progress(void *ctx, size_t done, size_t total, size_t failed)
{
	struct progress *p = ctx;
	int64_t ms = now_ms() - p->t0;

	fprintf(stderr, "\r%zu of %zu devices done, %zu failed, %lld.%01lld s elapsed\033[K", done,
		total, failed, (long long)(ms / 1000), (long long)(ms % 1000 / 100));
	fflush(stderr);
	p->shown = true;
}

/* Ask on the terminal; anything but y/yes is no. */
static bool ask(const struct aclf_fleet *pl)
{
	char line[32];
	size_t n = 0;

	for (size_t i = 0; i < pl->n; i++)
		if (pl->devs[i].outcome == ACLF_OUT_CHANGES)
			n++;
	fprintf(stderr, "apply to %zu device%s (a plan reported changes on %zu)? [y/N] ",
		pl->n, pl->n == 1 ? "" : "s", n);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return !strcmp(line, "y\n") || !strcmp(line, "yes\n") || !strcmp(line, "Y\n");
}

int cli_fleet(const char *cmd, enum aclf_fleet_verb verb, int argc, char **argv,
	      void (*help)(void))
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "parallel", required_argument, NULL, 'p' },
		{ "transcripts", required_argument, NULL, 't' },
		{ "accept-new-host-keys", no_argument, NULL, 'A' },
		{ "shard", required_argument, NULL, 's' },
		{ "canary", required_argument, NULL, 'c' },
		{ "max-fail", required_argument, NULL, 'm' },
		{ "yes", no_argument, NULL, 'y' },
		{ "force", no_argument, NULL, 'F' },
		{ "confirm-timeout", required_argument, NULL, 'T' },
		{ "no-save", no_argument, NULL, 'N' },
		{ "config-mode", required_argument, NULL, 'J' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "command-timeout", required_argument, NULL, 'O' },
		{ "live-dir", required_argument, NULL, 'L' },
		{ "html", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "since", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **only = NULL;
	size_t nonly = 0;
	struct aclf_fleet_opts fo = { .verb = verb, .parallel = 8, .max_fail = 1 };
	enum cli_format fmt = CLI_TEXT;
	bool yes = false, apply = verb == ACLF_FLEET_APPLY, verbose = false, quiet = false;
	struct aclf_topology *topo = NULL;
	struct aclf_catalog *cat = NULL;
	struct aclf_policy *pol = NULL;
	struct aclf_fleet fl = { 0 };
	struct aclf_buf out = ACLF_BUF_INIT;
	struct progress pr = { 0 };
	struct aclf_err err;
	unsigned secs = 0;
	const char *html = NULL;
	char audited_at[32] = "";
	const char *since_file = NULL;
	struct aclf_since since = { 0 };
	int ch, rc = CLI_OK;

	only = calloc(argc + 1, sizeof(*only));
	if (!only) {
		fprintf(stderr, "aclforge: out of memory\n");
		return CLI_REMOTE;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:f:p:qyvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': only[nonly++] = optarg; break;
		case 'f':
			if (cli_parse_format(cmd, optarg, &fmt))
				goto usage;
			break;
		case 'p':
			if (number(cmd, "--parallel", optarg, 1, 1024, &fo.parallel))
				goto usage;
			break;
		case 't': fo.transcripts = optarg; break;
		case 'L':
			if (verb != ACLF_FLEET_AUDIT) {
				cli_usage_error(cmd, "--live-dir is for audit");
				goto usage;
			}
			fo.live_dir = optarg;
			break;
		case 'H':
			if (verb != ACLF_FLEET_AUDIT) {
				cli_usage_error(cmd, "--html is for audit");
				goto usage;
			}
			if (cli_html_check(optarg))
				goto usage;
			html = optarg;
			fo.keep_json = true;
			break;
		case 'A': fo.accept_new = true; break;
		case 'q':
			if (verb == ACLF_FLEET_FETCH) {
				cli_usage_error(cmd, "--quiet is for plan, apply and audit");
				goto usage;
			}
			quiet = true;
			break;
		case 'v':
			if (verb != ACLF_FLEET_AUDIT) {
				cli_usage_error(cmd, "--verbose is for audit");
				goto usage;
			}
			verbose = true;
			break;
		case 'S':
			if (verb != ACLF_FLEET_AUDIT) {
				cli_usage_error(cmd, "--since is for audit");
				goto usage;
			}
			since_file = optarg;
			break;
		case 's':
			if (verb == ACLF_FLEET_FETCH) {
				cli_usage_error(cmd, "--shard is for plan, apply and audit");
				goto usage;
			}
			if (shard(cmd, optarg, &fo.shard, &fo.nshards))
				goto usage;
			break;
		case 'c':
		case 'm':
		case 'y':
		case 'F':
		case 'T':
		case 'N':
		case 'J':
			if (!apply) {
				cli_usage_error(cmd, "--canary, --max-fail, --yes, --force, "
					       "--confirm-timeout, --no-save and --config-mode "
					       "are for apply");
				goto usage;
			}
			if (ch == 'J' && strcmp(optarg, "private") && strcmp(optarg, "exclusive")) {
				cli_usage_error(cmd, "bad --config-mode '%s', expected private or "
					       "exclusive", optarg);
				goto usage;
			}
			if ((ch == 'c' && number(cmd, "--canary", optarg, 0, 1000000, &fo.canary)) ||
			    (ch == 'm' && number(cmd, "--max-fail", optarg, 1, 1000000, &fo.max_fail)) ||
			    (ch == 'T' && number(cmd, "--confirm-timeout", optarg, 5, 86400, &fo.confirm_s)))
				goto usage;
			if (ch == 'y')
				yes = true;
			if (ch == 'F')
				fo.force = true;
			if (ch == 'N')
				fo.no_save = true;
			if (ch == 'J')
				fo.lock_config = !strcmp(optarg, "exclusive");
			break;
		case 'C':
			if (number(cmd, "--connect-timeout", optarg, 1, 3600, &secs))
				goto usage;
			fo.connect_timeout_ms = secs * 1000;
			break;
		case 'O':
			if (number(cmd, "--command-timeout", optarg, 1, 3600, &secs))
				goto usage;
			fo.command_timeout_ms = secs * 1000;
			break;
		case 'h':
			help();
			free(only);
			return CLI_OK;
		default:
			cli_usage_error(cmd, "bad option");
			goto usage;
		}
	}
	if (optind != argc - 1) {
		cli_usage_error(cmd, "expected one TOPOLOGY file");
		goto usage;
	}
	if (verb == ACLF_FLEET_FETCH && nonly != 1) {
		cli_usage_error(cmd, "expected one --device NAME");
		goto usage;
	}
	if (apply && !yes && !strcmp(argv[optind], "-")) {
		cli_usage_error(cmd, "a TOPOLOGY on standard input needs --yes (the question reads it)");
		goto usage;
	}
	if (apply && !yes && !isatty(STDIN_FILENO)) {
		cli_usage_error(cmd, "standard input is not a terminal to ask on: give --yes to apply "
			       "without asking");
		goto usage;
	}
	if (since_file && fo.live_dir) {
		cli_usage_error(cmd, "--since compares counters, which --live-dir does not read");
		goto usage;
	}
	if (fo.live_dir) {
		struct stat st;

		if (stat(fo.live_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			cli_usage_error(cmd, "--live-dir '%s': not a directory", fo.live_dir);
			goto usage;
		}
	}
	if (fo.transcripts) {
		struct stat st;

		if (stat(fo.transcripts, &st) != 0 || !S_ISDIR(st.st_mode)) {
			cli_usage_error(cmd, "--transcripts '%s': not a directory", fo.transcripts);
			goto usage;
		}
	}
	fo.only = nonly ? only : NULL;
	fo.json = fmt == CLI_JSON;
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	/* what would be pushed or judged against: its warnings first (a
	 * virtual server balancing per connection, a redundant site rule) */
	if (cli_compile(argv[optind], nonly == 1 ? only[0] : NULL, verb != ACLF_FLEET_FETCH && !quiet,
			&topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (since_file && aclf_since_load(since_file, topo, &since, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (apply && !yes) {
		/* the question needs the plan: what would change */
		struct aclf_fleet_opts po = fo;

		po.verb = ACLF_FLEET_PLAN;
		if (aclf_fleet_run(topo, pol, &po, &fl, &err) < 0) {
			rc = cli_fail(&err);
			goto out;
		}
		if (aclf_fleet_print_text(&fl, &out) < 0 || cli_write_stdout(&out) < 0) {
			rc = CLI_REMOTE;
			goto out;
		}
		aclf_buf_reset(&out);
		if (!ask(&fl)) {
			fprintf(stderr, "aclforge apply: not applied\n");
			rc = CLI_USAGE;
			goto out;
		}
		aclf_fleet_release(&fl);
	}
	if (fmt == CLI_TEXT && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)) {
		pr.t0 = now_ms();
		fo.progress = progress;
		fo.progress_ctx = &pr;
	}
	if (aclf_fleet_run(topo, pol, &fo, &fl, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	cli_utc_now(audited_at, sizeof(audited_at));
	if (pr.shown)
		fputs("\r\033[K", stderr);
	fl.verbose = verbose;
	if (verb == ACLF_FLEET_AUDIT &&
	    aclf_fleet_audit_counters(topo, pol, &fo, since_file ? &since : NULL, &fl, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((fmt == CLI_JSON ? aclf_fleet_print_json(&fl, &out) : aclf_fleet_print_text(&fl, &out)) < 0) {
		fprintf(stderr, "aclforge: out of memory writing the report\n");
		rc = CLI_REMOTE;
		goto out;
	}
	/* errors also on stderr, for people reading a redirected report */
	if (fmt == CLI_JSON || verb == ACLF_FLEET_FETCH)
		for (size_t i = 0; i < fl.n; i++)
			if (fl.devs[i].err.count)
				cli_eprintf("aclforge: %s\n", aclf_err_text(&fl.devs[i].err));
	rc = cli_write_stdout(&out) < 0 ? CLI_REMOTE : aclf_fleet_exit_code(&fl);
	/* a page that cannot be written is a failure, never a silent one */
	if (html && cli_audit_html(html, audited_at, topo, cat, pol, &fl) != CLI_OK && rc != CLI_REMOTE)
		rc = CLI_USAGE;
out:
	aclf_since_release(&since);
	aclf_fleet_release(&fl);
	aclf_buf_release(&out);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	free(only);
	return rc;
usage:
	free(only);
	return CLI_USAGE;
}
