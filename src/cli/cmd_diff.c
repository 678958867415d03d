/* aclforge diff TOPOLOGY --device NAME --live FILE */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge diff TOPOLOGY --device NAME --live FILE [--max N] [--format text|json]\n\n"
	     "Offline audit: compare the device's intended policy (compiled from TOPOLOGY) with\n"
	     "a saved configuration or show output (FILE, parsed with the device's driver, or\n"
	     "the neutral JSON from 'aclforge parse'), by the packets they permit, not by text.\n"
	     "Each difference is an example packet, which side permits it and the rules\n"
	     "involved. Exit 0: same meaning; 1: drift. TOPOLOGY or FILE '-' reads standard\n"
	     "input, not both; a TOPOLOGY read so takes relative catalog, key and secret\n"
	     "paths from the current directory.\n\n"
	     "  -d, --device NAME  the device (required)\n"
	     "  -l, --live FILE    the live configuration (required)\n"
	     "  -m, --max N        report at most N example packets, 1 to 100000 (default 50)\n"
	     "  -f, --format FMT   text (default) or json\n"
	     "  -h, --help         this help");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' }, { "live", required_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'm' }, { "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *live = NULL;
	enum cli_format fmt = CLI_TEXT;
	unsigned long max = 50;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol, *lpol = NULL;
	struct aclf_devpol *intended, *ldp = NULL;
	struct aclf_buf in = ACLF_BUF_INIT, out = ACLF_BUF_INIT;
	struct aclf_diff d;
	struct aclf_err err;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:l:m:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': device = optarg; break;
		case 'l': live = optarg; break;
		case 'm': {
			char *end;
			/* digits only: strtoul would turn "-1" into the largest value,
			 * and 0 would mean "every packet" to the library */
			errno = 0;
			max = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno == ERANGE || max < 1 ||
			    max > 100000)
				return cli_usage_error("diff", "bad --max '%s', expected 1 to 100000",
						       optarg);
			break;
		}
		case 'f':
			if (cli_parse_format("diff", optarg, &fmt))
				return CLI_USAGE;
			break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("diff", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("diff", "expected one TOPOLOGY file");
	if (!device || !live)
		return cli_usage_error("diff", "--device and --live are required");
	if (!strcmp(argv[optind], "-") && !strcmp(live, "-"))
		return cli_usage_error("diff", "standard input cannot be both TOPOLOGY and --live");
	aclf_err_init(&err);
	aclf_diff_init(&d);
	aclf_buf_init(&out, 0);
	if (cli_compile(argv[optind], device, false, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	intended = aclf_policy_find_device(pol, device);
	if (aclf_live_read(live, &in, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (aclf_live_load(in.buf, in.len, aclf_driver_find(intended->driver),
			   &(struct aclf_parse_opts){ .name = device, .label = cli_input_label(live),
						      .device = aclf_topology_device(topo, device) },
			   &lpol, &ldp, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (aclf_live_check(topo, device, intended, ldp, cli_input_label(live), &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (aclf_diff_devices(intended, ldp, &d, NULL, max, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((fmt == CLI_JSON ? aclf_diff_print_json(&d, device, &out)
			     : aclf_diff_print_text(&d, device, &out)) < 0) {
		aclf_err_set(&err, ACLF_E_NOMEM, "out of memory writing the report");
		rc = cli_fail(&err);
		goto out;
	}
	if (cli_write_stdout(&out) < 0)
		rc = CLI_REMOTE;
	else if (d.n > d.nundecided || d.nlb > d.nlb_undecided) /* proven drift only */
		rc = CLI_DRIFT;
out:
	aclf_diff_release(&d);
	aclf_buf_release(&in);
	aclf_buf_release(&out);
	aclf_policy_free(lpol);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	return rc;
}
