/* aclforge diff TOPOLOGY --device NAME --live FILE */
#include <getopt.h>
#include <jansson.h>
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
	     "involved. Exit 0: same meaning; 1: drift.\n\n"
	     "  -d, --device NAME  the device (required)\n"
	     "  -l, --live FILE    the live configuration (required)\n"
	     "  -m, --max N        report at most N example packets (default 50, 0 = all)\n"
	     "  -f, --format FMT   text (default) or json\n"
	     "  -h, --help         this help");
}

static const char *proto_str(int p, char *buf, size_t n)
{
	return aclf_proto_name(p, buf, n);
}

static json_t *item_json(const struct aclf_diff_item *it)
{
	char s[ACLF_PREFIX_STRLEN], d[ACLF_PREFIX_STRLEN], pb[16];

	aclf_prefix_format_addr(&it->src, s, sizeof(s));
	aclf_prefix_format_addr(&it->dst, d, sizeof(d));
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:s?, s:s?, s:s?, s:s?}", "src", s, "dst", d,
			 "protocol", proto_str(it->protocol, pb, sizeof(pb)), "src_port", it->src_port,
			 "dst_port", it->dst_port, "established", it->established, "permitted_by",
			 it->permitted_by_a ? "intended" : "live", "intended_filter", it->filter_a,
			 "intended_rule", it->rule_a, "live_filter", it->filter_b, "live_rule", it->rule_b);
}

static void print_item(const struct aclf_diff_item *it)
{
	char s[ACLF_PREFIX_STRLEN], d[ACLF_PREFIX_STRLEN], pb[16];

	aclf_prefix_format_addr(&it->src, s, sizeof(s));
	aclf_prefix_format_addr(&it->dst, d, sizeof(d));
	printf("%s %s %s:%u -> %s:%u%s: %s by %s %s, %s by %s %s\n",
	       it->permitted_by_a ? "-" : "+", proto_str(it->protocol, pb, sizeof(pb)), s, it->src_port, d,
	       it->dst_port, it->established ? " (established)" : "",
	       it->permitted_by_a ? "intended permits" : "intended denies",
	       it->filter_a ? it->filter_a : "(no filter)", it->rule_a ? it->rule_a : "default",
	       it->permitted_by_a ? "live denies" : "live permits",
	       it->filter_b ? it->filter_b : "(no filter)", it->rule_b ? it->rule_b : "default");
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
	struct aclf_buf in = ACLF_BUF_INIT, lbrep = ACLF_BUF_INIT;
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
			max = strtoul(optarg, &end, 10);
			if (!*optarg || *end)
				return cli_usage_error("diff", "bad --max '%s'", optarg);
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
	aclf_err_init(&err);
	aclf_diff_init(&d);
	aclf_buf_init(&lbrep, 0);
	if (cli_compile(argv[optind], device, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	intended = aclf_policy_find_device(pol, device);
	if (aclf_live_read(live, &in, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (aclf_live_load(in.buf, in.len, live, aclf_driver_find(intended->driver),
			   &(struct aclf_parse_opts){ .name = device, .device = aclf_topology_device(topo, device) },
			   &lpol, &ldp, &err) < 0) {
		fprintf(stderr, "aclforge: %s: %s\n", live, aclf_err_text(&err));
		rc = aclf_err_exit_code(&err);
		goto out;
	}
	if (aclf_diff_devices(intended, ldp, &d, &lbrep, max, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_JSON) {
		json_t *items = json_array(), *lb = json_array(), *res;
		char *s;
		const char *p = lbrep.buf;
		for (size_t i = 0; i < d.n; i++)
			json_array_append_new(items, item_json(&d.items[i]));
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			if (n)
				json_array_append_new(lb, json_stringn(p, n));
			p += n + (nl ? 1 : 0);
		}
		res = json_pack("{s:s, s:b, s:o, s:o}", "device", device, "drift", d.n || json_array_size(lb),
				"packets", items, "lb_services", lb);
		s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
		json_decref(res);
	} else {
		if (!d.n && !lbrep.len)
			printf("%s: no drift: the live policy permits exactly what is intended\n", device);
		for (size_t i = 0; i < d.n; i++)
			print_item(&d.items[i]);
		if (lbrep.len)
			fputs(lbrep.buf, stdout);
	}
	if (d.n || lbrep.len)
		rc = CLI_DRIFT;
out:
	aclf_diff_release(&d);
	aclf_buf_release(&in);
	aclf_buf_release(&lbrep);
	aclf_policy_free(lpol);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	return rc;
}
