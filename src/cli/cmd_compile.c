/* aclforge compile [--device NAME] [--format text|json] TOPOLOGY */
#include <getopt.h>
#include <stdio.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge compile [--device NAME] [--format text|json] [--quiet] TOPOLOGY\n\n"
	     "Compile the topology's catalog and the topology into one vendor-neutral policy\n"
	     "per device: filters with rules that carry their provenance (catalog row, seed\n"
	     "table and row, pool, role, network) and load-balancer services. Warnings about\n"
	     "the site's own rules (shadowed, redundant) and about balancing (HTTPS web\n"
	     "services without TLS profiles) go to standard error. TOPOLOGY '-' reads\n"
	     "standard input (relative catalog, key and secret paths are then taken\n"
	     "from the current directory).\n\n"
	     "  -d, --device NAME  only this device\n"
	     "  -f, --format FMT   text (default) or json (the format documented in README.md)\n"
	     "  -q, --quiet        no compile warnings (the site's own rules, balancing)\n"
	     "  -h, --help         this help");
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum cli_format fmt = CLI_TEXT;
	const char *device = NULL;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_err err;
	bool quiet = false;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:f:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			device = optarg;
			break;
		case 'f':
			if (cli_parse_format("compile", optarg, &fmt))
				return CLI_USAGE;
			break;
		case 'q': quiet = true; break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("compile", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("compile", "expected one TOPOLOGY file");
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	if (cli_compile(argv[optind], device, !quiet, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_JSON ? aclf_policy_to_json(pol, &out, &err) : aclf_policy_to_text(pol, &out)) {
		if (!err.count)
			aclf_err_set(&err, ACLF_E_NOMEM, "cannot format the policy");
		rc = cli_fail(&err);
	} else if (cli_write_stdout(&out) < 0) {
		rc = CLI_REMOTE;
	}
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
out:
	aclf_buf_release(&out);
	aclf_err_release(&err);
	return rc;
}
