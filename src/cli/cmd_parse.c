/* aclforge parse [--driver NAME] FILE [--format json|text] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/live.h"
#include "aclforge/policy.h"
#include "aclforge/policy_json.h"
#include "cli.h"

/* Several files read as one text: where each starts, to give positions
 * back in the file's own terms. */
#define JOINED_LABEL "<joined>"

struct joined {
	char *const *files;
	size_t n;
	unsigned *first_line; /* 1-based line of the joined text where file k starts */
};

/* Read files[0..n) into in, one after the other; a file other than the
 * last must end with a line end (else its last line would run into the
 * next file's first). 0 or -1 with err set. */
static int read_all(struct joined *j, struct aclf_buf *in, struct aclf_err *err)
{
	unsigned line = 1;

	aclf_buf_init(in, ACLF_LIVE_TEXT_CAP);
	if (!(j->first_line = calloc(j->n, sizeof(*j->first_line))))
		return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
	for (size_t k = 0; k < j->n; k++) {
		struct aclf_buf one = ACLF_BUF_INIT;
		if (aclf_live_read(j->files[k], &one, err) < 0)
			return -1;
		j->first_line[k] = line;
		for (size_t i = 0; i < one.len; i++)
			line += one.buf[i] == '\n';
		if (k + 1 < j->n && one.len && one.buf[one.len - 1] != '\n') {
			aclf_buf_release(&one);
			return aclf_err_set(err, ACLF_E_INPUT, "%s: text ends in the middle of a line (no "
					    "line end before the next file)", cli_input_label(j->files[k]));
		}
		if (aclf_buf_add(in, one.buf, one.len) < 0) {
			aclf_buf_release(&one);
			return aclf_err_set(err, ACLF_E_INPUT, "the files are larger than %u MiB together",
					    ACLF_LIVE_TEXT_CAP >> 20);
		}
		aclf_buf_release(&one);
	}
	return 0;
}

/* An error about the joined text, told in the terms of the file it is in. */
static int joined_fail(const struct joined *j, const struct aclf_err *err)
{
	const char *msg = aclf_err_text(err);
	size_t k = 0, pl = strlen(JOINED_LABEL);
	char prefix[64];
	int n;

	if (strncmp(msg, JOINED_LABEL, pl) != 0)
		return cli_fail(err);
	if (err->line) {
		while (k + 1 < j->n && j->first_line[k + 1] <= err->line)
			k++;
		n = snprintf(prefix, sizeof(prefix), "%s:%u:%u: ", JOINED_LABEL, err->line, err->col);
		if (n > 0 && !strncmp(msg, prefix, (size_t)n)) {
			struct aclf_buf b = ACLF_BUF_INIT;
			aclf_buf_init(&b, 0);
			aclf_buf_printf_escaped(&b, "%s:%u:%u: ", cli_input_label(j->files[k]),
						err->line - j->first_line[k] + 1, err->col);
			fprintf(stderr, "aclforge: %s%s\n", b.buf, msg + n);
			aclf_buf_release(&b);
			return aclf_err_exit_code(err);
		}
	}
	fprintf(stderr, "aclforge: ");
	for (size_t i = 0; i < j->n; i++) {
		struct aclf_buf b = ACLF_BUF_INIT;
		aclf_buf_init(&b, 0);
		aclf_buf_puts_escaped(&b, cli_input_label(j->files[i]), false);
		fprintf(stderr, "%s%s", i ? " + " : "", b.buf);
		aclf_buf_release(&b);
	}
	fprintf(stderr, "%s\n", msg + pl);
	return aclf_err_exit_code(err);
}

static void help(void)
{
	const struct aclf_driver *const *all = aclf_drivers();
	char names[256];

	aclf_driver_names(names, sizeof(names), " or ");
	puts("usage: aclforge parse [--driver NAME] [--name NAME] [--strict] [--format json|text] FILE...\n\n"
	     "Parse device text into the neutral policy, in the JSON that compile writes:\n"
	     "one device, rules in device order with the device's own entry names and hit\n"
	     "counters where the text has them. An entry whose match the neutral form\n"
	     "cannot hold exactly (time-range, dscp, ...) is kept as an opaque entry, with\n"
	     "its action, counter and text; their count goes to standard error and to the\n"
	     "device's \"opaque_entries\". Several FILEs are one device's text, read in\n"
	     "order as one (object-group definitions, then the lists that use them);\n"
	     "positions name the FILE. FILE '-' reads standard input. It reads:");
	for (size_t i = 0; all[i]; i++)
		if (all[i]->ops->parse)
			printf("  %-10s %s\n", all[i]->name, all[i]->reads);
	printf("\n  -D, --driver NAME  %s (default: the driver that recognises the text)\n", names);
	puts("  -n, --name NAME    device name to record (default: the file name)\n"
	     "  -s, --strict       refuse opaque entries and references the text does not define\n"
	     "  -f, --format FMT   json (default) or text\n"
	     "  -h, --help         this help");
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'D' },
		{ "name", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *driver = NULL, *name = NULL;
	enum cli_format fmt = CLI_JSON;
	const struct aclf_driver *drv = NULL;
	struct aclf_buf in = ACLF_BUF_INIT, out = ACLF_BUF_INIT;
	struct aclf_parse_opts po = { 0 };
	struct aclf_policy *pol = NULL;
	struct aclf_devpol *dp = NULL;
	struct aclf_err err;
	struct joined files = { 0 };
	char names[256];
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "D:n:f:sh", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': driver = optarg; break;
		case 's': po.strict = true; break;
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
	if (optind > argc - 1)
		return cli_usage_error("parse", "expected a FILE");
	files.files = argv + optind;
	files.n = (size_t)(argc - optind);
	for (size_t k = 0, stdin_seen = 0; k < files.n; k++)
		if (!strcmp(files.files[k], "-") && stdin_seen++)
			return cli_usage_error("parse", "standard input given twice");
	if (driver && (!(drv = aclf_driver_find(driver)) || !drv->ops->parse))
		return cli_usage_error("parse", "unknown driver '%s', expected %s", driver,
				       aclf_driver_names(names, sizeof(names), " or "));
	if (!name) {
		const char *slash = strrchr(argv[optind], '/');
		name = slash ? slash + 1 : argv[optind];
	}
	aclf_err_init(&err);
	aclf_buf_init(&out, 0);
	if (files.n == 1 ? aclf_live_read(argv[optind], &in, &err) < 0 : read_all(&files, &in, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!drv && !(drv = aclf_driver_detect(in.buf, in.len))) {
		rc = cli_usage_error("parse", "cannot tell which device wrote '%s'; name its driver with "
				     "--driver (%s)", argv[optind], aclf_driver_names(names, sizeof(names), " or "));
		goto out;
	}
	if (!(pol = aclf_policy_new())) {
		aclf_err_set(&err, ACLF_E_NOMEM, "out of memory");
		rc = cli_fail(&err);
		goto out;
	}
	po.name = name;
	po.label = files.n == 1 ? cli_input_label(argv[optind]) : JOINED_LABEL;
	if (aclf_driver_parse(drv, in.buf, in.len, &po, pol, &dp, &err) < 0) {
		rc = files.n == 1 ? cli_fail(&err) : joined_fail(&files, &err);
		goto out;
	}
	if (aclf_devpol_opaque_count(dp)) {
		struct aclf_buf note = ACLF_BUF_INIT;
		aclf_buf_init(&note, 0);
		aclf_buf_printf_escaped(&note, "aclforge: %s%s: %zu opaque entries: their match is not "
					"fully understood (--strict refuses them)\n",
					cli_input_label(argv[optind]), files.n > 1 ? " and the files after it" : "",
					aclf_devpol_opaque_count(dp));
		fputs(note.buf, stderr);
		aclf_buf_release(&note);
	}
	if (fmt == CLI_JSON ? aclf_policy_to_json(pol, &out, &err) : aclf_policy_to_text(pol, &out)) {
		if (!err.count)
			aclf_err_set(&err, ACLF_E_NOMEM, "cannot format the policy");
		rc = cli_fail(&err);
	} else if (cli_write_stdout(&out) < 0) {
		rc = CLI_REMOTE;
	}
out:
	free(files.first_line);
	aclf_policy_free(pol);
	aclf_buf_release(&in);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	return rc;
}
