/* aclforge render [--device NAME] [--out DIR] TOPOLOGY */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/outdir.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	const struct aclf_driver *const *all = aclf_drivers();

	puts("usage: aclforge render [--device NAME] [--out DIR] [--quiet] TOPOLOGY\n\n"
	     "Render each device's configuration. Without --out, all devices are printed,\n"
	     "each after a header line (none with --device); with --out, one file per device\n"
	     "named after it, stable from run to run so a team can commit them and review\n"
	     "changes as diffs (each file written is named on standard error, as are\n"
	     "warnings about the site's own rules). TOPOLOGY '-' reads standard input\n"
	     "(relative catalog, key and secret paths are then the current directory's):");
	for (size_t i = 0; all[i]; i++)
		if (all[i]->ops->render)
			printf("  DEVICE.%-6s %s\n", all[i]->file_ext, all[i]->summary);
	puts("\n  -d, --device NAME  only this device\n"
	     "  -o, --out DIR      write one file per device into DIR (created if missing);\n"
	     "                     all or nothing: DIR changes only when every file is written\n"
	     "  -q, --quiet        no compile warnings (the site's own rules, balancing)\n"
	     "  -h, --help         this help");
}

/* The file name of each device ("NAME.EXT"), checked before anything is
 * rendered: names NUL-separated in names, device i's at at[i]. */
static int file_names(const struct aclf_policy *pol, struct aclf_buf *names, size_t *at,
		      struct aclf_err *err)
{
	for (size_t i = 0; i < pol->ndevices; i++) {
		const struct aclf_devpol *dp = &pol->devices[i];
		if (strchr(dp->name, '/') || !strcmp(dp->name, "..") || !strcmp(dp->name, "."))
			return aclf_err_set(err, ACLF_E_INPUT, "device name '%s' cannot be a file name",
					    dp->name);
		at[i] = names->len;
		if (aclf_buf_printf(names, "%s.%s", dp->name, aclf_driver_find(dp->driver)->file_ext) < 0 ||
		    aclf_buf_putc(names, '\0') < 0)
			return aclf_err_nomem(err);
	}
	return 0;
}

/* The devices of render --out, shared by its workers: each takes the next
 * device and renders it straight into its file (the buffer handed to the
 * driver goes to the file at the driver's flush points, a megabyte at a
 * time), outside the lock; the failure of the lowest device index is the
 * one reported, as a run one device after another would report it. */
struct rjob {
	const struct aclf_policy *pol;
	const struct aclf_topology *topo;
	const char *names;
	const size_t *at;
	struct aclf_outdir *o;
	pthread_mutex_t lock; /* everything below */
	size_t next;
	bool failed;
	size_t first_bad;          /* lowest device index that failed */
	struct aclf_err first_err; /* its error */
};

/* A file being rendered into: the descriptor, the errno of a failed write. */
struct rfile {
	int fd;
	int write_errno;
};

#define RENDER_CHUNK (1u << 20)

static int file_write(void *ctx, const char *p, size_t len)
{
	struct rfile *f = ctx;

	if (aclf_write_all(f->fd, p, len) < 0) {
		f->write_errno = errno;
		return -1;
	}
	return 0;
}

/* Device i rendered into its file, which open made; 0, or -1 with e set
 * (the driver's words, or the file's when a write failed). */
static int render_one(struct rjob *j, size_t i, int fd, struct aclf_buf *text, struct aclf_err *e)
{
	const struct aclf_devpol *dp = &j->pol->devices[i];
	const char *name = j->names + j->at[i];
	struct rfile f = { .fd = fd };
	const struct aclf_buf_sink sink = { file_write, &f, RENDER_CHUNK };
	int rc;

	aclf_buf_reset(text);
	text->sink = &sink;
	rc = aclf_driver_render(aclf_driver_find(dp->driver), dp, aclf_topology_device(j->topo, dp->name),
				text, e);
	if (rc == 0)
		rc = aclf_buf_flush(text);
	text->sink = NULL;
	if (rc < 0 && !f.write_errno) {
		close(fd);
		return -1; /* the driver's failure */
	}
	/* a failed write says so in the driver's stead */
	aclf_err_release(e);
	aclf_err_init(e);
	return aclf_outdir_close(j->o, name, fd, f.write_errno, e);
}

static void *render_worker(void *arg)
{
	struct rjob *j = arg;
	struct aclf_buf text = ACLF_BUF_INIT;
	struct aclf_err e;

	aclf_buf_init(&text, 0);
	aclf_err_init(&e);
	for (;;) {
		size_t i;
		int fd, rc;

		pthread_mutex_lock(&j->lock);
		i = j->next;
		if (j->failed || i == j->pol->ndevices) {
			pthread_mutex_unlock(&j->lock);
			break;
		}
		j->next++;
		/* named and created under the lock; an error is in err already */
		fd = aclf_outdir_open(j->o, j->names + j->at[i]);
		if (fd < 0)
			j->failed = true;
		pthread_mutex_unlock(&j->lock);
		if (fd < 0)
			break;
		rc = render_one(j, i, fd, &text, &e);
		pthread_mutex_lock(&j->lock);
		if (rc < 0) {
			j->failed = true;
			if (i < j->first_bad) {
				aclf_err_release(&j->first_err);
				j->first_err = e;
				j->first_bad = i;
				aclf_err_init(&e);
			}
		}
		pthread_mutex_unlock(&j->lock);
		aclf_err_release(&e);
		aclf_err_init(&e);
	}
	aclf_err_release(&e);
	aclf_buf_release(&text);
	return NULL;
}

/* One file per device into outdir, each written as it is rendered (a
 * buffer per worker, emptied into the file at the driver's flush points:
 * memory follows the largest piece between them, not the bytes written), by as many workers as there are CPUs (at most 4), all or
 * nothing (aclf_outdir_begin: nothing changes in outdir unless every device
 * renders and every file is written); then "wrote PATH" lines in device
 * order. */
static int render_files(const char *outdir, const struct aclf_policy *pol,
			const struct aclf_topology *topo, struct aclf_err *err)
{
	struct aclf_buf names = ACLF_BUF_INIT, line = ACLF_BUF_INIT;
	size_t *at = calloc(pol->ndevices + 1, sizeof(*at));
	struct rjob j = { .pol = pol, .topo = topo, .first_bad = SIZE_MAX };
	pthread_t tid[4];
	size_t nt = 0, want;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = -1;

	aclf_buf_init(&names, 0);
	aclf_buf_init(&line, 0);
	aclf_err_init(&j.first_err);
	if (!at) {
		aclf_err_nomem(err);
		goto out;
	}
	if (file_names(pol, &names, at, err) < 0 || !(j.o = aclf_outdir_begin(outdir, err)))
		goto out;
	j.names = names.buf;
	j.at = at;
	if (pthread_mutex_init(&j.lock, NULL) != 0) {
		aclf_err_nomem(err);
		goto out;
	}
	want = cpus > 1 ? (size_t)cpus : 1;
	if (want > sizeof(tid) / sizeof(tid[0]))
		want = sizeof(tid) / sizeof(tid[0]);
	if (want > pol->ndevices)
		want = pol->ndevices;
	/* the calling thread is a worker too */
	while (nt + 1 < want && pthread_create(&tid[nt], NULL, render_worker, &j) == 0)
		nt++;
	render_worker(&j);
	while (nt)
		pthread_join(tid[--nt], NULL);
	pthread_mutex_destroy(&j.lock);
	if (j.failed) {
		/* a write failure is in err already; else the first device's */
		if (!err->count && j.first_bad != SIZE_MAX) {
			aclf_err_release(err);
			*err = j.first_err;
			aclf_err_init(&j.first_err);
		}
		goto out;
	}
	rc = aclf_outdir_commit(j.o);
	j.o = NULL;
	for (size_t i = 0; i < pol->ndevices && rc == 0; i++) {
		aclf_buf_reset(&line);
		if (aclf_path_join(&line, outdir, names.buf + at[i]) < 0) {
			rc = aclf_err_nomem(err);
			break;
		}
		cli_eprintf("wrote %s\n", line.buf);
	}
out:
	aclf_outdir_abort(j.o);
	aclf_err_release(&j.first_err);
	free(at);
	aclf_buf_release(&names);
	aclf_buf_release(&line);
	return rc;
}

int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *outdir = NULL;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_err err;
	bool quiet = false;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:o:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': device = optarg; break;
		case 'o': outdir = optarg; break;
		case 'q': quiet = true; break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("render", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("render", "expected one TOPOLOGY file");
	aclf_err_init(&err);
	if (cli_compile(argv[optind], device, !quiet, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	if (outdir) {
		if (render_files(outdir, pol, topo, &err) < 0)
			rc = cli_fail(&err);
		goto out;
	}
	/* render everything first: nothing is printed unless every device renders */
	{
		struct aclf_buf *bufs = calloc(pol->ndevices ? pol->ndevices : 1, sizeof(*bufs));
		if (!bufs) {
			aclf_err_set(&err, ACLF_E_NOMEM, "out of memory");
			rc = cli_fail(&err);
			goto out;
		}
		for (size_t i = 0; i < pol->ndevices && rc == CLI_OK; i++) {
			const struct aclf_devpol *dp = &pol->devices[i];
			const struct aclf_driver *drv = aclf_driver_find(dp->driver);
			aclf_buf_init(&bufs[i], 0);
			if (aclf_driver_render(drv, dp, aclf_topology_device(topo, dp->name), &bufs[i], &err) < 0)
				rc = cli_fail(&err);
		}
		for (size_t i = 0; i < pol->ndevices && rc == CLI_OK; i++) {
			const struct aclf_devpol *dp = &pol->devices[i];
			/* one device: its configuration alone, ready to save and load */
			if (!device)
				cli_printf("%s=== %s (%s) ===\n", i ? "\n" : "", dp->name, dp->driver);
			fflush(stdout);
			if (cli_write_stdout(&bufs[i]) < 0)
				rc = CLI_REMOTE;
		}
		for (size_t i = 0; i < pol->ndevices; i++)
			aclf_buf_release(&bufs[i]);
		free(bufs);
	}
out:
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	return rc;
}
