/* aclforge parse --driver ios|junos|bigip|nftables FILE [--format json|text] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "cli.h"

#define DEVICE_TEXT_CAP (256u * 1024u * 1024u)

static void help(void)
{
	puts("usage: aclforge parse --driver ios|junos|bigip|nftables [--name NAME] [--format json|text] FILE\n\n"
	     "Parse device text (IOS running-config or show access-lists, Junos set/curly\n"
	     "configuration or show firewall, tmsh list output, nft -j list ruleset) into the\n"
	     "neutral policy, in the JSON that compile writes: one device, rules in device\n"
	     "order with the device's own entry names and hit counters where the text has\n"
	     "them. FILE '-' reads standard input.\n\n"
	     "  -D, --driver NAME  ios, junos, bigip or nftables\n"
	     "  -n, --name NAME    device name to record (default: the file name)\n"
	     "  -f, --format FMT   json (default) or text\n"
	     "  -h, --help         this help");
}

int cli_read_input(const char *path, struct aclf_buf *b, struct aclf_err *err)
{
	aclf_buf_init(b, DEVICE_TEXT_CAP);
	if (!strcmp(path, "-")) {
		char tmp[8192];
		size_t n;
		while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
			if (aclf_buf_add(b, tmp, n) < 0)
				return aclf_err_set(err, ACLF_E_INPUT, "standard input is larger than %u bytes",
						    DEVICE_TEXT_CAP);
		return 0;
	}
	if (aclf_buf_read_file(b, path) < 0)
		return aclf_err_set(err, ACLF_E_INPUT, "cannot read '%s'", path);
	return 0;
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'D' },
		{ "name", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *driver = NULL, *name = NULL;
	enum cli_format fmt = CLI_JSON;
	const struct aclf_driver *drv;
	struct aclf_buf in = ACLF_BUF_INIT, out = ACLF_BUF_INIT;
	struct aclf_policy *pol = NULL;
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "D:n:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': driver = optarg; break;
		case 'n': name = optarg; break;
		case 'f':
			if (cli_parse_format("parse", optarg, &fmt))
				return CLI_USAGE;
			break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("parse", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("parse", "expected one FILE");
	if (!driver)
		return cli_usage_error("parse", "--driver is required");
	drv = aclf_driver_find(driver);
	if (!drv || !drv->ops->parse)
		return cli_usage_error("parse", "unknown driver '%s', expected ios, junos, bigip or nftables", driver);
	if (!name) {
		const char *slash = strrchr(argv[optind], '/');
		name = slash ? slash + 1 : argv[optind];
	}
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	if (cli_read_input(argv[optind], &in, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	pol = aclf_policy_new();
	if (!pol) {
		aclf_err_set(&err, ACLF_E_NOMEM, "out of memory");
		rc = cli_fail(&err);
		goto out;
	}
	if (drv->ops->parse(in.buf, in.len, name, pol, &dp, &err) < 0) {
		fprintf(stderr, "aclforge: %s: %s\n", argv[optind], aclf_err_text(&err));
		rc = aclf_err_exit_code(&err);
		goto out;
	}
	if (fmt == CLI_JSON ? aclf_policy_to_json(pol, &out, &err) : aclf_policy_to_text(pol, &out)) {
		if (!err.count)
			aclf_err_set(&err, ACLF_E_NOMEM, "cannot format the policy");
		rc = cli_fail(&err);
	} else if (cli_write_stdout(&out) < 0) {
		rc = CLI_REMOTE;
	}
out:
	aclf_policy_free(pol);
	aclf_buf_release(&in);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	return rc;
}
