/* aclforge render [--device NAME] [--out DIR] TOPOLOGY */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	const struct aclf_driver *const *all = aclf_drivers();

	puts("usage: aclforge render [--device NAME] [--out DIR] TOPOLOGY\n\n"
	     "Render each device's configuration. Without --out, all devices are printed,\n"
	     "each after a header line (none with --device); with --out, one file per device\n"
	     "named after it, stable from run to run so a team can commit them and review\n"
	     "changes as diffs. TOPOLOGY '-' reads standard input (relative catalog, key\n"
	     "and secret paths are then taken from the current directory):");
	for (size_t i = 0; all[i]; i++)
		if (all[i]->ops->render)
			printf("  DEVICE.%-6s %s\n", all[i]->file_ext, all[i]->summary);
	puts("\n  -d, --device NAME  only this device\n"
	     "  -o, --out DIR      write one file per device into DIR (created if missing)\n"
	     "  -h, --help         this help");
}

/* Write atomically: a temporary file renamed over the target. */
static int write_file(const char *dir, const char *name, const char *ext, const struct aclf_buf *b,
		      struct aclf_err *err)
{
	char path[4096], tmp[4200];
	FILE *f;

	if (strchr(name, '/') || !strcmp(name, "..") || !strcmp(name, "."))
		return aclf_err_set(err, ACLF_E_INPUT, "device name '%s' cannot be a file name", name);
	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return aclf_err_set(err, ACLF_E_INPUT, "cannot write '%s': %s", tmp, strerror(errno));
	if ((b->len && fwrite(b->buf, 1, b->len, f) != b->len) || fclose(f) != 0) {
		unlink(tmp);
		return aclf_err_set(err, ACLF_E_INPUT, "cannot write '%s'", tmp);
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return aclf_err_set(err, ACLF_E_INPUT, "cannot rename to '%s': %s", path, strerror(errno));
	}
	fprintf(stderr, "wrote %s\n", path);
	return 0;
}

int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *outdir = NULL;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_err err;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': device = optarg; break;
		case 'o': outdir = optarg; break;
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
	if (cli_compile(argv[optind], device, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	if (outdir && mkdir(outdir, 0777) < 0 && errno != EEXIST) {
		aclf_err_set(&err, ACLF_E_INPUT, "cannot create '%s': %s", outdir, strerror(errno));
		rc = cli_fail(&err);
		goto out;
	}
	/* render everything first: nothing is written unless every device renders */
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
			if (outdir) {
				if (write_file(outdir, dp->name, aclf_driver_find(dp->driver)->file_ext, &bufs[i],
					       &err) < 0)
					rc = cli_fail(&err);
			} else {
				/* one device: its configuration alone, ready to save and load */
				if (!device)
					printf("%s=== %s (%s) ===\n", i ? "\n" : "", dp->name, dp->driver);
				fflush(stdout);
				if (cli_write_stdout(&bufs[i]) < 0)
					rc = CLI_REMOTE;
			}
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
