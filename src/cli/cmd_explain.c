/* aclforge explain TOPOLOGY --src ADDR --dst ADDR --proto P [--port N] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/explain.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge explain TOPOLOGY --src ADDR --dst ADDR --proto P [--port N]\n"
	     "                        [--sport N] [--established] [--format text|json]\n\n"
	     "For each device that protects the destination: the rule that decides the packet,\n"
	     "its action, and the seed rows it serves. Load balancers whose virtual server\n"
	     "matches the destination are shown with their members. TOPOLOGY '-' reads\n"
	     "standard input (relative catalog, key and secret paths are then taken from\n"
	     "the current directory).\n\n"
	     "The packet must be one that can exist: addresses of one family, one protocol,\n"
	     "ports only with tcp and udp, icmp with IPv4 and icmp6 with IPv6.\n\n"
	     "  -s, --src ADDR       source address\n"
	     "  -d, --dst ADDR       destination address (same family)\n"
	     "  -p, --proto P        tcp, udp, icmp, icmp6, another name (gre, esp, ah, sctp,\n"
	     "                       ospf, ...) or a protocol number 1-255\n"
	     "  -P, --port N         destination port 0-65535: required with tcp and udp,\n"
	     "                       refused with any other protocol\n"
	     "  -S, --sport N        source port (default 50000): tcp and udp only\n"
	     "  -e, --established    a TCP packet of an established connection (ACK set):\n"
	     "                       tcp only\n"
	     "  -f, --format FMT     text (default) or json\n"
	     "  -h, --help           this help");
}

static json_t *rows_json(const struct aclf_explain_row *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:b}", "id", v[i].id, "table",
						   v[i].table, "seed_row", (int)v[i].seed_row, "role", v[i].role,
						   "service", v[i].service, "seed_protocol", v[i].seed_protocol,
						   "return_path", v[i].return_path));
	return a;
}

/* The result as JSON: what --format json prints and the text is made from. */
static json_t *result_json(const struct aclf_explain *x)
{
	json_t *filters = json_array(), *lbs = json_array();

	for (size_t i = 0; i < x->nfilters; i++) {
		const struct aclf_explain_filter *f = &x->filters[i];
		json_t *o = json_pack("{s:s, s:s, s:s}", "device", f->device, "driver", f->driver, "filter",
				      f->filter);
		json_object_set_new(o, "rule", f->rule ? json_string(f->rule) : json_null());
		json_object_set_new(o, "action", json_string(aclf_action_name(f->action)));
		json_object_set_new(o, "seed_rows", rows_json(f->rows, f->nrows));
		if (f->rule) {
			json_object_set_new(o, "site_rule",
					    f->site ? json_pack("{s:i, s:s, s:s, s:s, s:i}", "index", (int)f->site_rule,
								"from", f->site->from, "to", f->site->to, "why",
								f->site->why ? f->site->why : "", "line",
								(int)f->site->pos.line)
						    : json_null());
			json_object_set_new(o, "also_matching", rows_json(f->also, f->nalso));
		}
		json_array_append_new(filters, o);
	}
	for (size_t i = 0; i < x->nlbs; i++) {
		const struct aclf_explain_lb *l = &x->lbs[i];
		json_t *m = json_array(), *rows = json_array();
		for (size_t k = 0; k < l->nmembers; k++) {
			char a[ACLF_PREFIX_STRLEN];
			aclf_prefix_format_addr(&l->members[k].address, a, sizeof(a));
			json_array_append_new(m, json_pack("{s:s, s:i}", "address", a, "port", l->members[k].port));
		}
		for (size_t k = 0; k < l->nrows; k++)
			json_array_append_new(rows, json_string(l->rows[k]));
		json_array_append_new(lbs, json_pack("{s:s, s:s, s:o, s:o}", "device", l->device, "service",
						     l->service, "members", m, "seed_rows", rows));
	}
	return json_pack("{s:o, s:o}", "filters", filters, "lb_services", lbs);
}

/* A string of the result (NULL when absent). */
static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The text output: one line per fact, every string from the topology or
 * the catalog escaped (aclf_buf_printf_escaped), so that none can forge a
 * line. Returns 0 or -1 when out of memory. */
static int put_rows(struct aclf_buf *b, json_t *rows, const char *prefix)
{
	json_t *r;
	size_t k;
	int rc = 0;

	json_array_foreach(rows, k, r) {
		const char *service = str(r, "service");
		/* the seed's hlb and dns-lb tables have no service column */
		rc |= aclf_buf_printf_escaped(b, "    %s%s%s: %s table row %lld, %s, %s (%s)\n", prefix,
					      json_is_true(json_object_get(r, "return_path")) ? "return path of " : "",
					      str(r, "id"), str(r, "table"), num(r, "seed_row"), str(r, "role"),
					      service && *service ? service : "no service name in the seed",
					      str(r, "seed_protocol"));
	}
	return rc;
}

static int put_text(struct aclf_buf *b, json_t *res)
{
	json_t *filters = json_object_get(res, "filters"), *lbs = json_object_get(res, "lb_services"), *v;
	size_t i;
	int rc = 0;

	if (!json_array_size(filters) && !json_array_size(lbs))
		rc |= aclf_buf_puts(b, "no device protects or balances this destination\n");
	json_array_foreach(filters, i, v) {
		json_t *sr = json_object_get(v, "site_rule");
		const char *rule = str(v, "rule");
		rc |= aclf_buf_printf_escaped(b, "%s (%s) filter %s: %s by %s\n", str(v, "device"),
					      str(v, "driver"), str(v, "filter"), str(v, "action"),
					      rule ? rule : "the default action");
		if (json_is_object(sr)) {
			const char *why = str(sr, "why");
			rc |= aclf_buf_printf_escaped(b, "    site rule %lld (line %lld): %s -> %s%s%s\n",
						      num(sr, "index"), num(sr, "line"), str(sr, "from"),
						      str(sr, "to"), why && *why ? ": " : "", why ? why : "");
		}
		rc |= put_rows(b, json_object_get(v, "seed_rows"), "");
		rc |= put_rows(b, json_object_get(v, "also_matching"), "also asked for by ");
	}
	json_array_foreach(lbs, i, v) {
		json_t *m;
		size_t k;
		rc |= aclf_buf_printf_escaped(b, "%s balances it: virtual server %s ->", str(v, "device"),
					      str(v, "service"));
		json_array_foreach(json_object_get(v, "members"), k, m)
			rc |= aclf_buf_printf_escaped(b, " %s:%lld", str(m, "address"), num(m, "port"));
		rc |= aclf_buf_putc(b, '\n');
	}
	return rc ? -1 : 0;
}

static int parse_port(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "src", required_argument, NULL, 's' }, { "dst", required_argument, NULL, 'd' },
		{ "proto", required_argument, NULL, 'p' }, { "port", required_argument, NULL, 'P' },
		{ "sport", required_argument, NULL, 'S' }, { "established", no_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct aclf_packet q = { .src_port = 50000 };
	struct aclf_explain x;
	long proto = -1, sport = 50000, dport = -1;
	bool sport_given = false;
	const char *src = NULL, *dst = NULL;
	enum cli_format fmt = CLI_TEXT;
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_err err;
	json_t *res = NULL, *filters, *lbs;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:d:p:P:S:ef:h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'p':
			if ((proto = aclf_proto_parse(optarg)) < 0)
				return cli_usage_error("explain", "unknown protocol '%s', expected tcp, udp, "
						       "icmp, icmp6, another name or a number 1-255", optarg);
			if (proto == ACLF_PROTO_ANY)
				return cli_usage_error("explain", "--proto '%s': a packet has one protocol; "
						       "expected tcp, udp, icmp, icmp6, another name or a "
						       "number 1-255", optarg);
			break;
		case 'P':
			if (parse_port(optarg, &dport) < 0)
				return cli_usage_error("explain", "bad port '%s', expected 0-65535", optarg);
			break;
		case 'S':
			if (parse_port(optarg, &sport) < 0)
				return cli_usage_error("explain", "bad source port '%s', expected 0-65535", optarg);
			sport_given = true;
			break;
		case 'e': q.established = true; break;
		case 'f':
			if (cli_parse_format("explain", optarg, &fmt))
				return CLI_USAGE;
			break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("explain", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("explain", "expected one TOPOLOGY file");
	if (!src || !dst || proto < 0)
		return cli_usage_error("explain", "--src, --dst and --proto are required");
	if (proto == ACLF_PROTO_TCP || proto == ACLF_PROTO_UDP) {
		if (dport < 0)
			return cli_usage_error("explain", "--port is required for tcp and udp");
	} else {
		char pb[16];
		if (dport >= 0 || sport_given)
			return cli_usage_error("explain", "%s: %s has no ports; only tcp and udp have",
					       dport >= 0 ? "--port" : "--sport",
					       aclf_proto_name((int)proto, pb, sizeof(pb)));
		dport = sport = 0;
	}
	q.protocol = (int)proto;
	q.src_port = (uint16_t)sport;
	q.dst_port = (uint16_t)dport;
	if (aclf_prefix_parse(src, &q.src, false) < 0 || !aclf_prefix_is_host(&q.src))
		return cli_usage_error("explain", "bad source address '%s', expected one address", src);
	if (aclf_prefix_parse(dst, &q.dst, false) < 0 || !aclf_prefix_is_host(&q.dst))
		return cli_usage_error("explain", "bad destination address '%s', expected one address",
				       dst);
	aclf_err_init(&err);
	/* a packet that cannot exist is refused before anything is compiled */
	if (aclf_packet_check(&q, &err) < 0) {
		rc = cli_usage_error("explain", "%s", aclf_err_text(&err));
		aclf_err_release(&err);
		return rc;
	}
	if (cli_compile(argv[optind], NULL, false, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	if (aclf_explain(topo, cat, pol, &q, &x, &err) < 0) {
		aclf_explain_release(&x);
		rc = cli_fail(&err);
		goto out;
	}
	res = result_json(&x);
	aclf_explain_release(&x);
	filters = json_object_get(res, "filters");
	lbs = json_object_get(res, "lb_services");
	json_incref(filters);
	json_incref(lbs);
	json_decref(res);
	res = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o}", "src", src, "dst", dst, "protocol", q.protocol,
			"port", (int)q.dst_port, "filters", filters, "lb_services", lbs);
	{
		struct aclf_buf b = ACLF_BUF_INIT;
		char *js = NULL;
		int bad;

		aclf_buf_init(&b, 0);
		if (!res)
			bad = 1; /* a result that cannot be built is never an empty answer */
		else if (fmt == CLI_JSON)
			bad = !(js = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ||
			      aclf_buf_printf(&b, "%s\n", js) < 0;
		else
			bad = put_text(&b, res) < 0;
		free(js);
		if (bad) {
			aclf_err_nomem(&err);
			rc = cli_fail(&err);
		} else if (cli_write_stdout(&b) < 0) {
			rc = CLI_REMOTE;
		}
		aclf_buf_release(&b);
	}
out:
	json_decref(res);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	return rc;
}
