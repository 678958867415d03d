/* aclforge explain TOPOLOGY --src ADDR --dst ADDR --proto tcp|udp --port N */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge explain TOPOLOGY --src ADDR --dst ADDR --proto tcp|udp --port N\n"
	     "                        [--sport N] [--established] [--format text|json]\n\n"
	     "For each device that protects the destination: the rule that decides the packet,\n"
	     "its action, and the seed rows it serves. Load balancers whose virtual server\n"
	     "matches the destination are shown with their members.\n\n"
	     "  -s, --src ADDR       source address\n"
	     "  -d, --dst ADDR       destination address\n"
	     "  -p, --proto P        tcp, udp, icmp or a number\n"
	     "  -P, --port N         destination port\n"
	     "  -S, --sport N        source port (default 50000)\n"
	     "  -e, --established    a TCP packet of an established connection (ACK set)\n"
	     "  -f, --format FMT     text (default) or json\n"
	     "  -h, --help           this help");
}

struct query {
	struct aclf_prefix src, dst;
	int proto;
	long sport, dport;
	bool established;
};

/* Catalog rows of a rule whose ports and protocol cover the packet. */
static json_t *serving_rows(const struct aclf_catalog *cat, const struct aclf_rule *r,
			    const struct query *q)
{
	json_t *a = json_array();
	bool ret = false;

	for (size_t i = 0; i < r->nprov; i++)
		if (!strcmp(r->prov[i].kind, "return-path"))
			ret = true;
	for (size_t i = 0; i < r->nprov; i++) {
		const struct aclf_cat_row *row;
		unsigned bit = q->proto == 6 ? ACLF_CAT_TCP : q->proto == 17 ? ACLF_CAT_UDP : 0;
		long port = ret ? q->sport : q->dport;
		if (strcmp(r->prov[i].kind, "catalog") != 0 || !(row = aclf_catalog_find(cat, r->prov[i].ref)))
			continue;
		if (!(row->protocols & bit) || port < 0 || port > 65535)
			continue;
		/* media rows are narrowed by the topology: trust the rule's ports */
		if (!row->media && !aclf_ports_contains(&row->ports, (uint16_t)port))
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:b}", "id", row->id,
						   "table", aclf_cat_table_name(row->table), "seed_row",
						   (int)row->seed_row, "role", row->role, "service",
						   row->service ? row->service : "", "seed_protocol",
						   row->seed_protocol ? row->seed_protocol : "", "return_path", ret));
	}
	return a;
}

/* The site rule behind a rule, with its reason. */
static json_t *site_rule_json(const struct aclf_topology *topo, const struct aclf_rule *r)
{
	for (size_t i = 0; i < r->nprov; i++) {
		unsigned long n;
		if (strcmp(r->prov[i].kind, "topology-rule") != 0)
			continue;
		n = strtoul(r->prov[i].ref, NULL, 10);
		if (n >= 1 && n <= topo->nrules) {
			const struct aclf_topo_rule *tr = &topo->rules[n - 1];
			return json_pack("{s:i, s:s, s:s, s:s, s:i}", "index", (int)n, "from", tr->from, "to", tr->to,
					 "why", tr->why ? tr->why : "", "line", (int)tr->pos.line);
		}
	}
	return json_null();
}

static json_t *explain_filters(const struct aclf_topology *topo, const struct aclf_catalog *cat,
			       const struct aclf_policy *pol, const struct query *q, struct aclf_err *err)
{
	json_t *out = json_array();

	for (size_t d = 0; d < topo->ndevices; d++) {
		const struct aclf_device *dev = &topo->devices[d];
		const struct aclf_devpol *dp = aclf_policy_find_device(pol, dev->name);
		if (!dp)
			continue;
		for (size_t i = 0; i < dev->nprotects && i < dp->nfilters; i++) {
			struct aclf_arena a;
			struct aclf_prefix_set prot;
			const struct aclf_filter *f = &dp->filters[i];
			long k;
			json_t *o;

			aclf_arena_init(&a);
			if (aclf_compile_protected(topo, dev, i, &a, &prot, err) < 0) {
				aclf_arena_release(&a);
				json_decref(out);
				return NULL;
			}
			if (!aclf_pset_contains_addr(&prot, &q->dst)) {
				aclf_arena_release(&a);
				continue;
			}
			aclf_arena_release(&a);
			k = aclf_filter_decide(f, &q->src, &q->dst, q->proto, (uint16_t)q->sport,
					       (uint16_t)q->dport, q->established);
			o = json_pack("{s:s, s:s, s:s}", "device", dev->name, "driver", dev->driver, "filter", f->name);
			if (k < 0) {
				json_object_set_new(o, "rule", json_null());
				json_object_set_new(o, "action", json_string(aclf_action_name(f->default_action)));
				json_object_set_new(o, "seed_rows", json_array());
			} else {
				const struct aclf_rule *r = &f->rules[k];
				json_t *also = json_array();
				struct aclf_filter tail = *f;
				json_object_set_new(o, "rule", json_string(r->id));
				json_object_set_new(o, "action", json_string(aclf_action_name(r->action)));
				json_object_set_new(o, "seed_rows", serving_rows(cat, r, q));
				json_object_set_new(o, "site_rule", site_rule_json(topo, r));
				/* later rules that match too: what else asks for this packet */
				tail.rules = f->rules + k + 1;
				tail.nrules = f->nrules - (size_t)k - 1;
				for (;;) {
					long j = aclf_filter_decide(&tail, &q->src, &q->dst, q->proto, (uint16_t)q->sport,
								    (uint16_t)q->dport, q->established);
					if (j < 0)
						break;
					json_t *more = serving_rows(cat, &tail.rules[j], q);
					json_array_extend(also, more);
					json_decref(more);
					tail.rules += j + 1;
					tail.nrules -= (size_t)j + 1;
				}
				json_object_set_new(o, "also_matching", also);
			}
			json_array_append_new(out, o);
		}
	}
	return out;
}

static json_t *explain_lb(const struct aclf_policy *pol, const struct query *q)
{
	json_t *out = json_array();

	for (size_t d = 0; d < pol->ndevices; d++) {
		const struct aclf_devpol *dp = &pol->devices[d];
		for (size_t i = 0; i < dp->nlb; i++) {
			const struct aclf_lb_service *s = &dp->lb[i];
			json_t *m, *rows;
			if (aclf_prefix_cmp(&s->vip, &q->dst) != 0 || s->port != q->dport || s->protocol != q->proto)
				continue;
			m = json_array();
			rows = json_array();
			for (size_t k = 0; k < s->nmembers; k++) {
				char a[ACLF_PREFIX_STRLEN];
				aclf_prefix_format_addr(&s->members[k].address, a, sizeof(a));
				json_array_append_new(m, json_pack("{s:s, s:i}", "address", a, "port", s->members[k].port));
			}
			for (size_t k = 0; k < s->nprov; k++)
				if (!strcmp(s->prov[k].kind, "catalog"))
					json_array_append_new(rows, json_string(s->prov[k].ref));
			json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}", "device", dp->name, "service",
							     s->name, "members", m, "seed_rows", rows));
		}
	}
	return out;
}

static void print_rows(json_t *rows, const char *prefix)
{
	json_t *r;
	size_t k;

	json_array_foreach(rows, k, r) {
		printf("    %s%s%s: %s table row %lld, %s, %s (%s)\n", prefix,
		       json_is_true(json_object_get(r, "return_path")) ? "return path of " : "",
		       json_string_value(json_object_get(r, "id")), json_string_value(json_object_get(r, "table")),
		       (long long)json_integer_value(json_object_get(r, "seed_row")),
		       json_string_value(json_object_get(r, "role")), json_string_value(json_object_get(r, "service")),
		       json_string_value(json_object_get(r, "seed_protocol")));
	}
}

static void print_text(json_t *res)
{
	json_t *filters = json_object_get(res, "filters"), *lbs = json_object_get(res, "lb_services"), *v;
	size_t i;

	if (!json_array_size(filters) && !json_array_size(lbs))
		puts("no device protects or balances this destination");
	json_array_foreach(filters, i, v) {
		json_t *rows = json_object_get(v, "seed_rows");
		const char *rule = json_string_value(json_object_get(v, "rule"));
		printf("%s (%s) filter %s: %s by %s\n", json_string_value(json_object_get(v, "device")),
		       json_string_value(json_object_get(v, "driver")),
		       json_string_value(json_object_get(v, "filter")),
		       json_string_value(json_object_get(v, "action")), rule ? rule : "the default action");
		if (json_is_object(json_object_get(v, "site_rule"))) {
			json_t *sr = json_object_get(v, "site_rule");
			printf("    site rule %lld (line %lld): %s -> %s: %s\n",
			       (long long)json_integer_value(json_object_get(sr, "index")),
			       (long long)json_integer_value(json_object_get(sr, "line")),
			       json_string_value(json_object_get(sr, "from")), json_string_value(json_object_get(sr, "to")),
			       json_string_value(json_object_get(sr, "why")));
		}
		print_rows(rows, "");
		if (json_array_size(json_object_get(v, "also_matching")))
			print_rows(json_object_get(v, "also_matching"), "also asked for by ");
	}
	json_array_foreach(lbs, i, v) {
		json_t *m;
		size_t k;
		printf("%s balances it: virtual server %s ->", json_string_value(json_object_get(v, "device")),
		       json_string_value(json_object_get(v, "service")));
		json_array_foreach(json_object_get(v, "members"), k, m)
			printf(" %s:%lld", json_string_value(json_object_get(m, "address")),
			       (long long)json_integer_value(json_object_get(m, "port")));
		putchar('\n');
	}
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
	struct query q = { .proto = -1, .sport = 50000, .dport = -1 };
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
			if ((q.proto = aclf_proto_parse(optarg)) < 0)
				return cli_usage_error("explain", "unknown protocol '%s'", optarg);
			break;
		case 'P':
			if (parse_port(optarg, &q.dport) < 0)
				return cli_usage_error("explain", "bad port '%s', expected 0-65535", optarg);
			break;
		case 'S':
			if (parse_port(optarg, &q.sport) < 0)
				return cli_usage_error("explain", "bad source port '%s', expected 0-65535", optarg);
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
	if (!src || !dst || q.proto < 0)
		return cli_usage_error("explain", "--src, --dst and --proto are required");
	if ((q.proto == 6 || q.proto == 17) && q.dport < 0)
		return cli_usage_error("explain", "--port is required for tcp and udp");
	if (q.dport < 0)
		q.dport = 0;
	if (aclf_prefix_parse(src, &q.src, false) < 0 || !aclf_prefix_is_host(&q.src))
		return cli_usage_error("explain", "bad source address '%s'", src);
	if (aclf_prefix_parse(dst, &q.dst, false) < 0 || !aclf_prefix_is_host(&q.dst))
		return cli_usage_error("explain", "bad destination address '%s'", dst);
	aclf_err_init(&err);
	if (cli_compile(argv[optind], NULL, &topo, &cat, &pol, &err) < 0) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	filters = explain_filters(topo, cat, pol, &q, &err);
	if (!filters) {
		rc = cli_fail(&err);
		goto out;
	}
	lbs = explain_lb(pol, &q);
	res = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o}", "src", src, "dst", dst, "protocol", q.proto,
			"port", (int)q.dport, "filters", filters, "lb_services", lbs);
	if (fmt == CLI_JSON) {
		char *s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
	} else {
		print_text(res);
	}
out:
	json_decref(res);
	aclf_policy_free(pol);
	aclf_catalog_free(cat);
	aclf_topology_free(topo);
	aclf_err_release(&err);
	return rc;
}
