/* aclforge check [--device NAME] TOPOLOGY */
#include <getopt.h>
#include <stdio.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/check.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge check [--device NAME] TOPOLOGY\n\n"
	     "Before connecting: load and compile the topology, then check every device's\n"
	     "connection settings and secrets. SSH needs a user, a way to log in (key, agent\n"
	     "or password) and a known hosts file; env: secrets must be set and not empty;\n"
	     "file: secrets and keys must be regular files of yours (or root's) that group and\n"
	     "others can neither read nor write (0600); known hosts files must not be writable\n"
	     "by group or others; SNMPv3 passphrases have at least 8 characters. Relative\n"
	     "paths are taken from the topology's directory, ~/ from $HOME. Prints one line\n"
	     "per problem, naming the device and the reference (never a secret). TOPOLOGY\n"
	     "'-' reads standard input (relative paths are then the current directory's).\n\n"
	     "Exit 0: every device is ready; 2: a problem (or bad input).\n\n"
	     "  -d, --device NAME  only this device\n"
	     "  -h, --help         this help");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_check_report rep;
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			device = optarg;
			break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("check", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("check", "expected one TOPOLOGY file");
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	aclf_check_report_init(&rep);
	if (cli_compile(argv[optind], device, false, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (aclf_check_devices(topo, device, &rep, &err) < 0) {
		rc = cli_fail(&err);
	} else if (aclf_check_report_text(&rep, &out) < 0) {
		aclf_err_nomem(&err);
		rc = cli_fail(&err);
	} else {
		if (!rep.n)
			aclf_buf_printf(&out, "%zu device%s ready to connect\n", rep.ndevices,
					rep.ndevices == 1 ? "" : "s");
		if (cli_write_stdout(&out) < 0)
			rc = CLI_REMOTE;
		else if (rep.n)
			rc = CLI_USAGE;
	}
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
out:
	aclf_check_report_release(&rep);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	return rc;
}
