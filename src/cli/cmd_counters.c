/* aclforge counters TOPOLOGY: the counters of each device over SNMP,
 * mapped to its intended policy's rules and lb services (src/fleet/). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge counters TOPOLOGY [options]\n\n"
	     "Poll every device's counters over SNMP (its topology entry's `snmp:` settings),\n"
	     "all devices at once, and map them to the rules and lb services of its intended\n"
	     "policy: per rule the packets and bytes (per instance too, where a filter is\n"
	     "applied per interface), per lb service and member the packets and connections.\n"
	     "Drivers without a per-entry counter MIB read their entries' counters over SSH\n"
	     "(`ssh:`), counted for a rule only where the live entry means the intended one,\n"
	     "and interface totals over SNMP where the device has `snmp:`.\n"
	     "An intended rule the device has no counter for is shown without numbers and\n"
	     "named under errors. Exit 0 every device polled, 2 bad input (a device without\n"
	     "snmp settings, a driver that reads no counters), 3 a device could not be polled.\n\n"
	     "  -d, --device NAME    only this device (repeatable)\n"
	     "  -f, --format FMT     text (default) or json (README: counters JSON)\n"
	     "  -h, --help           this help");
}

int cmd_counters(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **only;
	size_t nonly = 0;
	struct aclf_fleet_opts fo = { .verb = ACLF_FLEET_AUDIT };
	enum cli_format fmt = CLI_TEXT;
	struct aclf_topology *topo = NULL;
	struct aclf_catalog *cat = NULL;
	struct aclf_policy *pol = NULL;
	struct aclf_fleet_cnt fc = { 0 };
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;
	int ch, rc;

	only = calloc((size_t)argc + 1, sizeof(*only));
	if (!only) {
		fprintf(stderr, "aclforge: out of memory\n");
		return CLI_REMOTE;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': only[nonly++] = optarg; break;
		case 'f':
			if (cli_parse_format("counters", optarg, &fmt)) {
				free(only);
				return CLI_USAGE;
			}
			break;
		case 'h':
			help();
			free(only);
			return CLI_OK;
		default:
			free(only);
			return cli_usage_error("counters", "bad option");
		}
	}
	if (optind != argc - 1) {
		free(only);
		return cli_usage_error("counters", "expected one TOPOLOGY file");
	}
	fo.only = nonly ? only : NULL;
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	if (cli_compile(argv[optind], nonly == 1 ? only[0] : NULL, false, &topo, &cat, &pol, &err) < 0 ||
	    aclf_fleet_counters(topo, pol, &fo, &fc, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((fmt == CLI_JSON ? aclf_fleet_cnt_print_json(&fc, &out)
			     : aclf_fleet_cnt_print_text(&fc, &out)) < 0) {
		fprintf(stderr, "aclforge: out of memory writing the report\n");
		rc = CLI_REMOTE;
		goto out;
	}
	/* errors also on stderr, for people reading a redirected report */
	for (size_t i = 0; i < fc.n; i++)
		if (fc.devs[i].err.count)
			cli_eprintf("aclforge: %s\n", aclf_err_text(&fc.devs[i].err));
	rc = cli_write_stdout(&out) < 0 ? CLI_REMOTE : aclf_fleet_cnt_exit_code(&fc);
out:
	aclf_fleet_cnt_release(&fc);
	aclf_buf_release(&out);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	free(only);
	return rc;
}
