/* aclforge catalog [--format text|json] [CATALOG] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "cli.h"

static void help(void)
{
	puts("usage: aclforge catalog [--format text|json] [CATALOG]\n\n"
	     "List every row of the port catalog: its id, seed table and row, role, service,\n"
	     "ports, protocols and who sends the traffic. CATALOG is a path or a bundled\n"
	     "name (default: lync2013-internal).\n\n"
	     "  -f, --format FMT   text (default) or json\n"
	     "  -h, --help         this help");
}

static json_t *peers_json(const struct aclf_cat_peer *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "source", v[i].source, "why",
						   v[i].why ? v[i].why : ""));
	return a;
}

static json_t *row_json(const struct aclf_cat_row *r)
{
	json_t *o = json_object(), *ports = json_array(), *protos = json_array();

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "table", json_string(aclf_cat_table_name(r->table)));
	json_object_set_new(o, "seed_row", json_integer(r->seed_row));
	json_object_set_new(o, "role", json_string(r->role ? r->role : ""));
	json_object_set_new(o, "seed_role", json_string(r->seed_role ? r->seed_role : ""));
	json_object_set_new(o, "service", json_string(r->service ? r->service : ""));
	for (size_t i = 0; i < r->ports.n; i++)
		json_array_append_new(ports, json_pack("[i, i]", r->ports.v[i].lo, r->ports.v[i].hi));
	json_object_set_new(o, "ports", ports);
	json_object_set_new(o, "seed_ports", json_string(r->seed_ports ? r->seed_ports : ""));
	if (r->protocols & ACLF_CAT_TCP)
		json_array_append_new(protos, json_string("tcp"));
	if (r->protocols & ACLF_CAT_UDP)
		json_array_append_new(protos, json_string("udp"));
	json_object_set_new(o, "protocols", protos);
	json_object_set_new(o, "seed_protocol", json_string(r->seed_protocol ? r->seed_protocol : ""));
	json_object_set_new(o, "app", r->app ? json_string(r->app) : json_null());
	json_object_set_new(o, "direction",
			    json_string(r->direction == ACLF_CAT_OUTBOUND ? "outbound" : "inbound"));
	if (r->direction == ACLF_CAT_OUTBOUND && !r->nfrom) {
		/* the row's own role sends: say so where pipelines look for senders */
		const char *sender = !strcmp(r->role, "front-end-collocated-mediation") ? "mediation" : r->role;
		json_object_set_new(o, "from",
				    json_pack("[{s:s, s:s}]", "source", sender, "why",
					      "direction outbound: the note says the row's role sends to 'to' on these ports"));
	} else {
		json_object_set_new(o, "from", peers_json(r->from, r->nfrom));
	}
	json_object_set_new(o, "to", peers_json(r->to, r->nto));
	json_object_set_new(o, "optional", json_boolean(r->optional));
	json_object_set_new(o, "empty", json_boolean(r->empty));
	json_object_set_new(o, "media", r->media ? json_string(r->media) : json_null());
	json_object_set_new(o, "duplicate_of", r->duplicate_of ? json_string(r->duplicate_of) : json_null());
	json_object_set_new(o, "oddity", r->oddity ? json_string(r->oddity) : json_null());
	json_object_set_new(o, "note", json_string(r->note ? r->note : ""));
	json_object_set_new(o, "note_en", r->note_en ? json_string(r->note_en) : json_null());
	return o;
}

static void print_ports(const struct aclf_cat_row *r)
{
	char tmp[256];
	size_t w = 0;

	tmp[0] = '\0';
	for (size_t i = 0; i < r->ports.n && w < sizeof(tmp) - 16; i++) {
		if (r->ports.v[i].lo == r->ports.v[i].hi)
			w += (size_t)snprintf(tmp + w, sizeof(tmp) - w, "%s%u", i ? "," : "", r->ports.v[i].lo);
		else
			w += (size_t)snprintf(tmp + w, sizeof(tmp) - w, "%s%u-%u", i ? "," : "",
					      r->ports.v[i].lo, r->ports.v[i].hi);
	}
	cli_printf("%-12s", r->empty ? "-" : tmp);
}

/* Catalog cells are outside text: printed escaped (cli_printf). */
static void print_text(const struct aclf_catalog *c)
{
	cli_printf("%-10s %-10s %-34s %-12s %-8s %s\n", "ID", "SEED", "ROLE", "PORTS", "PROTO", "FROM / TO");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct aclf_cat_row *r = &c->rows[i];
		char seed[32];
		const char *proto = (r->protocols & ACLF_CAT_TCP) && (r->protocols & ACLF_CAT_UDP)
				    ? "tcp+udp" : (r->protocols & ACLF_CAT_TCP) ? "tcp"
				    : (r->protocols & ACLF_CAT_UDP) ? "udp" : "-";
		snprintf(seed, sizeof(seed), "%s:%u", aclf_cat_table_name(r->table), r->seed_row);
		cli_printf("%-10s %-10s %-34s ", r->id, seed, r->role ? r->role : "");
		print_ports(r);
		cli_printf(" %-8s ", proto);
		if (r->empty) {
			cli_printf("(empty row in the seed)");
		} else if (r->direction == ACLF_CAT_OUTBOUND) {
			cli_printf("to:");
			for (size_t k = 0; k < r->nto; k++)
				cli_printf("%s%s", k ? "," : " ", r->to[k].source);
		} else {
			for (size_t k = 0; k < r->nfrom; k++)
				cli_printf("%s%s", k ? "," : "", r->from[k].source);
		}
		if (r->optional)
			cli_printf(" [optional]");
		if (r->duplicate_of)
			cli_printf(" [duplicate of %s]", r->duplicate_of);
		putchar('\n');
	}
}

int cmd_catalog(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum cli_format fmt = CLI_TEXT;
	const char *name = "lync2013-internal";
	struct aclf_err err;
	struct aclf_catalog *c;
	char *path;
	int ch, rc = CLI_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (cli_parse_format("catalog", optarg, &fmt))
				return CLI_USAGE;
			break;
		case 'h':
			help();
			return CLI_OK;
		default:
			return cli_usage_error("catalog", "bad option");
		}
	}
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		return cli_usage_error("catalog", "unexpected argument '%s'", argv[optind]);
	aclf_err_init(&err);
	path = aclf_catalog_resolve(name, NULL);
	if (!path) {
		aclf_err_set(&err, ACLF_E_INPUT, "catalog '%s' not found", name);
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	c = aclf_catalog_load(path, &err);
	free(path);
	if (!c) {
		rc = cli_fail(&err);
		aclf_err_release(&err);
		return rc;
	}
	if (fmt == CLI_JSON) {
		json_t *a = json_array();
		char *s;
		for (size_t i = 0; i < c->nrows; i++)
			json_array_append_new(a, row_json(&c->rows[i]));
		s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s) {
			puts(s);
			free(s);
		} else {
			fputs("aclforge: out of memory writing the catalog\n", stderr);
			rc = CLI_REMOTE;
		}
		json_decref(a);
	} else {
		print_text(c);
	}
	aclf_catalog_free(c);
	aclf_err_release(&err);
	return rc;
}
