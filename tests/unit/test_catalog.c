/* The port catalog: the bundled lync2013-internal catalog against the seed's
 * facts, every validation error with its exact file:line:col, lookups and
 * resolving a catalog name to a file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/catalog.h"
#include "aclforge/err.h"

static char *path_of(const char *env, const char *fallback, const char *rel)
{
	const char *base = getenv(env);
	size_t n;
	char *p;

	if (!base || !*base)
		base = fallback;
	n = strlen(base) + strlen(rel) + 2;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", base, rel);
	return p;
}

static char *bundled_path(void)
{
	return path_of("ACLF_SRCDIR", ".", "inventory/catalogs/lync2013-internal.yaml");
}

static char *fixture(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "catalog/%s", name);
	return path_of("ACLF_FIXTURES", "tests/fixtures", rel);
}

static struct aclf_catalog *load_bundled(void)
{
	struct aclf_err err;
	struct aclf_catalog *c;
	char *p = bundled_path();

	aclf_err_init(&err);
	c = aclf_catalog_load(p, &err);
	if (!c)
		print_error("%s\n", aclf_err_text(&err));
	assert_non_null(c);
	assert_int_equal(err.count, 0);
	aclf_err_release(&err);
	free(p);
	return c;
}

static const struct aclf_cat_row *row(const struct aclf_catalog *c, const char *id)
{
	const struct aclf_cat_row *r = aclf_catalog_find(c, id);

	if (!r)
		print_error("no row '%s'\n", id);
	assert_non_null(r);
	return r;
}

static bool has_peer(const struct aclf_cat_peer *v, size_t n, const char *cls)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].source, cls) == 0)
			return true;
	return false;
}

static void assert_single_range(const struct aclf_cat_row *r, unsigned lo, unsigned hi)
{
	assert_int_equal(r->ports.n, 1);
	assert_int_equal(r->ports.v[0].lo, lo);
	assert_int_equal(r->ports.v[0].hi, hi);
}

static void test_bundled_counts(void **state)
{
	struct aclf_catalog *c = load_bundled();
	size_t per[4] = { 0 };

	(void)state;
	assert_string_equal(c->name, "lync2013-internal");
	assert_non_null(strstr(c->source, "000_25f323bab8fb98f4.txt"));
	assert_non_null(strstr(c->source, "Gg398833"));
	assert_non_null(strstr(c->source, "05/19/2016"));
	assert_int_equal(c->nrows, 52 + 20 + 7 + 12);
	for (size_t i = 0; i < c->nrows; i++)
		per[c->rows[i].table]++;
	assert_int_equal(per[ACLF_TABLE_SERVER], 52);
	assert_int_equal(per[ACLF_TABLE_HLB], 20);
	assert_int_equal(per[ACLF_TABLE_DNSLB], 7);
	assert_int_equal(per[ACLF_TABLE_CLIENT], 12);
	aclf_catalog_free(c);
}

/* Invariants over every row: ids follow the seed numbering, rows are in
 * seed order, every compiled row has ports, protocols and peers, and every
 * string is readable after the YAML document is gone (ASan checks that
 * nothing points into libyaml memory). */
static void test_bundled_invariants(void **state)
{
	static const char *const prefix[] = { "server", "hlb", "dnslb", "client" };
	struct aclf_catalog *c = load_bundled();
	unsigned last[4] = { 0 };
	size_t nempty = 0, noptional = 0, ndup = 0;

	(void)state;
	for (size_t i = 0; i < c->nrows; i++) {
		const struct aclf_cat_row *r = &c->rows[i];
		char want[32];
		size_t total = 0;

		snprintf(want, sizeof(want), "%s-%02u", prefix[r->table], r->seed_row);
		assert_string_equal(r->id, want);
		assert_int_equal(r->seed_row, last[r->table] + 1);
		last[r->table] = r->seed_row;
		assert_true(r->line > 0 && r->col > 0);
		assert_true(i == 0 || r->line > c->rows[i - 1].line);
		total += strlen(r->role) + strlen(r->seed_role) + strlen(r->service) +
			 strlen(r->seed_ports) + strlen(r->seed_protocol) + strlen(r->note);
		if (r->note_en)
			total += strlen(r->note_en);
		if (r->oddity)
			assert_true(strlen(r->oddity) > 20);
		if (r->empty) {
			nempty++;
			assert_int_equal(r->protocols, 0);
			assert_int_equal(r->ports.n, 0);
			continue;
		}
		assert_true(r->ports.n > 0);
		assert_true(r->protocols != 0);
		if (r->direction == ACLF_CAT_INBOUND) {
			assert_true(r->nfrom > 0);
			assert_int_equal(r->nto, 0);
		} else {
			assert_true(r->nto > 0);
			assert_int_equal(r->nfrom, 0);
		}
		for (size_t j = 0; j < r->nfrom; j++)
			total += strlen(r->from[j].source) + strlen(r->from[j].why);
		for (size_t j = 0; j < r->nto; j++)
			total += strlen(r->to[j].source) + strlen(r->to[j].why);
		assert_true(total > 0);
		noptional += r->optional;
		ndup += r->duplicate_of != NULL;
		assert_true((r->media != NULL) == (r->table == ACLF_TABLE_CLIENT && r->seed_row >= 8 &&
						   r->seed_row <= 11));
	}
	assert_int_equal(nempty, 1);
	assert_int_equal(noptional, 2);
	assert_int_equal(ndup, 2);
	aclf_catalog_free(c);
}

static void test_bundled_server_rows(void **state)
{
	struct aclf_catalog *c = load_bundled();
	const struct aclf_cat_row *r;

	(void)state;
	r = row(c, "server-03");
	assert_int_equal(r->table, ACLF_TABLE_SERVER);
	assert_int_equal(r->seed_row, 3);
	assert_string_equal(r->role, "front-end");
	assert_single_range(r, 5061, 5061);
	assert_int_equal(r->protocols, ACLF_CAT_TCP);
	assert_string_equal(r->seed_protocol, "TCP (TLS)");
	assert_string_equal(r->app, "TLS");
	assert_int_equal(r->direction, ACLF_CAT_INBOUND);
	assert_true(has_peer(r->from, r->nfrom, "clients"));
	assert_true(has_peer(r->from, r->nfrom, "edge-internal"));

	r = row(c, "server-10");
	assert_single_range(r, 57501, 65535);
	assert_int_equal(r->protocols, ACLF_CAT_TCP | ACLF_CAT_UDP);
	assert_string_equal(r->seed_ports, "57501-65535");
	assert_non_null(strstr(r->oddity, "65534"));

	/* the duplicated rows point at their first occurrence */
	r = row(c, "server-38");
	assert_string_equal(r->duplicate_of, "server-01");
	assert_single_range(r, 1434, 1434);
	assert_int_equal(r->protocols, ACLF_CAT_UDP);
	assert_true(has_peer(r->from, r->nfrom, "local"));
	assert_int_equal(row(c, "server-01")->nfrom, 1);
	assert_string_equal(row(c, "server-01")->from[0].source, "local");
	r = row(c, "server-49");
	assert_string_equal(r->duplicate_of, "server-46");
	assert_string_equal(r->seed_protocol, "TCP (MTLS)");
	assert_single_range(r, 5070, 5070);
	assert_null(row(c, "server-46")->duplicate_of);

	/* 444 "HTTPS / TCP" and 8080 "TCP und HTTP" resolve to tcp */
	r = row(c, "server-04");
	assert_string_equal(r->seed_protocol, "HTTPS\nTCP");
	assert_int_equal(r->protocols, ACLF_CAT_TCP);
	assert_string_equal(r->app, "HTTPS");
	assert_non_null(r->oddity);
	r = row(c, "server-13");
	assert_string_equal(r->seed_protocol, "TCP und HTTP");
	assert_int_equal(r->protocols, ACLF_CAT_TCP);
	assert_string_equal(r->app, "HTTP");

	/* 4443: empty German note, English note restored */
	r = row(c, "server-14");
	assert_string_equal(r->note, "");
	assert_non_null(strstr(r->note_en, "Autodiscover"));
	assert_true(has_peer(r->from, r->nfrom, "reverse-proxy"));

	/* Office Web Apps: empty service and protocol, resolved as tcp/HTTPS */
	r = row(c, "server-40");
	assert_string_equal(r->role, "office-web-apps");
	assert_string_equal(r->service, "");
	assert_string_equal(r->seed_protocol, "");
	assert_int_equal(r->protocols, ACLF_CAT_TCP);
	assert_string_equal(r->app, "HTTPS");
	assert_non_null(strstr(r->oddity, "reverse proxy port summary"));

	/* rows whose note describes outgoing traffic */
	r = row(c, "server-25");
	assert_string_equal(r->role, "front-end-collocated-mediation");
	assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
	assert_single_range(r, 5081, 5081);
	assert_int_equal(r->nto, 1);
	assert_string_equal(r->to[0].source, "pstn-gateway");
	r = row(c, "server-26");
	assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
	assert_string_equal(r->app, "TLS");
	r = row(c, "server-32");
	assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
	assert_string_equal(r->to[0].source, "e911-gateway");
	assert_string_equal(r->service, "Nicht zutreffend");
	r = row(c, "server-37");
	assert_string_equal(r->role, "front-end-cms");
	assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
	assert_single_range(r, 445, 445);
	assert_string_equal(r->to[0].source, "all-internal-servers");

	/* optional 5060 on front end and Director only */
	assert_true(row(c, "server-02")->optional);
	assert_true(row(c, "server-41")->optional);
	assert_string_equal(row(c, "server-41")->role, "director");

	/* Director 5061 plain "TCP", resolved as TLS */
	r = row(c, "server-45");
	assert_string_equal(r->seed_protocol, "TCP");
	assert_string_equal(r->app, "TLS");
	assert_non_null(r->oddity);
	assert_string_equal(r->service, "Lync ServerFront-End-Dienst");

	r = row(c, "server-51");
	assert_string_equal(r->seed_protocol, "TCP (TLS) und TCP (MTLS)");
	assert_single_range(r, 881, 881);
	r = row(c, "server-39");
	assert_string_equal(r->role, "audio-servers");
	assert_single_range(r, 49152, 57500);
	assert_non_null(strstr(r->oddity, "57499"));
	aclf_catalog_free(c);
}

static void test_bundled_lb_rows(void **state)
{
	struct aclf_catalog *c = load_bundled();
	const struct aclf_cat_row *r;

	(void)state;
	r = row(c, "hlb-07");
	assert_string_equal(r->role, "front-end-lb");
	assert_string_equal(r->seed_protocol, "HTTPS (vom Reverseproxy)");
	assert_single_range(r, 4443, 4443);
	assert_true(has_peer(r->from, r->nfrom, "reverse-proxy"));
	assert_string_equal(r->service, "");
	assert_string_equal(r->note, "");
	r = row(c, "hlb-15");
	assert_string_equal(r->role, "mediation-lb");
	assert_single_range(r, 5070, 5070);
	assert_true(has_peer(r->from, r->nfrom, "front-end"));
	assert_string_equal(row(c, "hlb-16")->role, "front-end-lb-collocated-mediation");
	r = row(c, "hlb-05");
	assert_int_equal(r->protocols, ACLF_CAT_TCP);
	assert_string_equal(r->app, "HTTP");
	assert_non_null(strstr(r->seed_protocol, "NTLM"));
	assert_string_equal(row(c, "hlb-20")->role, "director-lb");

	r = row(c, "dnslb-06");
	assert_true(r->empty);
	assert_string_equal(r->role, "none");
	assert_string_equal(r->seed_role, "");
	assert_int_equal(r->ports.n, 0);
	assert_int_equal(r->nfrom + r->nto, 0);
	assert_non_null(r->oddity);
	r = row(c, "dnslb-07");
	assert_false(r->empty);
	assert_single_range(r, 4443, 4443);
	aclf_catalog_free(c);
}

static void test_bundled_client_rows(void **state)
{
	static const char *const media[] = { "audio", "video", "file_transfer", "app_sharing" };
	struct aclf_catalog *c = load_bundled();
	const struct aclf_cat_row *r;

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		char id[16];
		snprintf(id, sizeof(id), "client-%02u", 8 + i);
		r = row(c, id);
		assert_string_equal(r->media, media[i]);
		assert_string_equal(r->seed_ports, "1024-65535 *");
		assert_single_range(r, 1024, 65535);
		assert_int_equal(r->direction, ACLF_CAT_INBOUND);
		assert_true(has_peer(r->from, r->nfrom, "clients"));
		assert_true(has_peer(r->from, r->nfrom, "edge-internal"));
		assert_int_equal(r->protocols, i < 2 ? (ACLF_CAT_TCP | ACLF_CAT_UDP) : ACLF_CAT_TCP);
	}
	assert_true(has_peer(row(c, "client-08")->from, row(c, "client-08")->nfrom, "mediation"));

	r = row(c, "client-01");
	assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
	assert_string_equal(r->to[0].source, "dhcp-server");
	assert_string_equal(r->seed_ports, "67/68");
	assert_single_range(r, 67, 67);
	assert_int_equal(r->protocols, ACLF_CAT_UDP);
	assert_string_equal(r->app, "DHCP");
	assert_non_null(strstr(r->oddity, "68"));
	r = row(c, "client-12");
	assert_string_equal(r->role, "phones");
	assert_string_equal(r->to[0].source, "dhcp-server");
	assert_non_null(strstr(r->seed_role, "Polycom CX3000"));

	for (unsigned i = 2; i <= 6; i++) {
		char id[16];
		snprintf(id, sizeof(id), "client-%02u", i);
		r = row(c, id);
		assert_int_equal(r->direction, ACLF_CAT_OUTBOUND);
		assert_string_equal(r->to[0].source, "edge-internal");
	}
	assert_single_range(row(c, "client-05"), 3478, 3478);
	assert_int_equal(row(c, "client-05")->protocols, ACLF_CAT_UDP);
	r = row(c, "client-07");
	assert_single_range(r, 6891, 6901);
	assert_int_equal(r->direction, ACLF_CAT_INBOUND);
	assert_null(aclf_catalog_find(c, "client-13"));
	assert_null(aclf_catalog_find(c, NULL));
	assert_null(aclf_catalog_find(NULL, "client-01"));
	aclf_catalog_free(c);
}

static void test_good_minimal(void **state)
{
	struct aclf_err err;
	struct aclf_catalog *c;
	const struct aclf_cat_row *r;
	char *p = fixture("good-minimal.yaml");

	(void)state;
	aclf_err_init(&err);
	c = aclf_catalog_load(p, &err);
	if (!c)
		print_error("%s\n", aclf_err_text(&err));
	assert_non_null(c);
	assert_string_equal(c->path, p);
	assert_int_equal(c->nrows, 5);
	r = row(c, "server-02");
	/* a list of ports and ranges is merged: 5067-5068 and 49152-57500 */
	assert_int_equal(r->ports.n, 2);
	assert_int_equal(r->ports.v[0].lo, 5067);
	assert_int_equal(r->ports.v[0].hi, 5068);
	assert_int_equal(r->ports.v[1].lo, 49152);
	assert_int_equal(r->ports.v[1].hi, 57500);
	assert_string_equal(r->duplicate_of, "server-01");
	assert_null(r->app);
	assert_null(r->note_en);
	assert_true(row(c, "dnslb-01")->empty);
	assert_int_equal(row(c, "server-01")->line, 5);
	assert_int_equal(row(c, "server-01")->col, 5);
	aclf_catalog_free(c);
	aclf_err_release(&err);
	free(p);
}

struct bad_case {
	const char *file;
	unsigned line, col;
	const char *msg;
	unsigned count;
};

/* Expected positions were found by locating the offending token in each
 * fixture (every fixture starts with one comment line). */
static const struct bad_case bad_cases[] = {
	/* libyaml's own position: the ':' that cannot continue the flow list */
	{ "bad-syntax.yaml", 14, 18, "did not find expected ',' or ']' while parsing a flow sequence", 1 },
	{ "bad-top-list.yaml", 2, 1, "catalog: expected a mapping, found a list", 1 },
	{ "bad-top-missing.yaml", 2, 1, "catalog: missing required key 'source'", 1 },
	{ "bad-top-unknown.yaml", 4, 1, "catalog: unknown key 'version'", 1 },
	{ "bad-rows-empty.yaml", 4, 7, "rows: expected a non-empty list of rows", 1 },
	{ "bad-row-scalar.yaml", 5, 5, "row 1: expected a mapping, found a scalar", 1 },
	{ "bad-unknown-key.yaml", 16, 5, "row 'server-01': unknown key 'colour'", 1 },
	{ "bad-duplicate-key.yaml", 16, 5, "row 'server-01': duplicate key 'ports'", 1 },
	{ "bad-missing-key.yaml", 5, 5, "row 'server-01': missing required key 'seed_role'", 1 },
	{ "bad-missing-ports.yaml", 5, 5, "row 'server-01': missing required key 'ports'", 1 },
	{ "bad-missing-protocols.yaml", 5, 5, "row 'server-01': missing required key 'protocols'", 1 },
	{ "bad-type-from.yaml", 18, 11, "row 'server-01': from: expected a list", 1 },
	{ "bad-type-protocols.yaml", 13, 16, "row 'server-01': protocols: expected a list of tcp and/or udp", 1 },
	{ "bad-type-seed-role.yaml", 9, 16, "row 'server-01': seed_role: expected a scalar, found a list", 1 },
	{ "bad-type-seed-row.yaml", 7, 15,
	  "row 'server-01': seed_row: expected a number from 1 to 65535, found 'one'", 1 },
	{ "bad-type-optional.yaml", 16, 15, "row 'server-01': optional: expected true or false, found 'maybe'", 1 },
	{ "bad-port-zero.yaml", 11, 12, "ports: port out of range in '0', expected 1 to 65535", 1 },
	{ "bad-port-big.yaml", 11, 12, "ports: port out of range in '70000', expected 1 to 65535", 1 },
	{ "bad-port-range-big.yaml", 11, 12, "port out of range in '1024-65536'", 1 },
	{ "bad-port-backwards.yaml", 11, 12, "ports: range '6000-5000' runs backwards, expected lo <= hi", 1 },
	{ "bad-port-text.yaml", 11, 17,
	  "ports: expected a port from 1 to 65535 or a range 'lo-hi', found 'http'", 1 },
	{ "bad-port-map.yaml", 11, 12, "ports: expected a port or a range 'lo-hi', found a mapping", 1 },
	{ "bad-protocol-unknown.yaml", 13, 22, "protocols: expected tcp or udp, found 'sctp'", 1 },
	{ "bad-protocol-twice.yaml", 13, 22, "protocols: 'tcp' listed twice", 1 },
	{ "bad-role.yaml", 8, 11, "row 'server-01': unknown role 'web-server', expected one of: all-servers", 1 },
	{ "bad-role-table.yaml", 8, 11, "row 'server-01': role 'director-lb' does not belong to table 'server'", 1 },
	{ "bad-role-none.yaml", 8, 11,
	  "row 'server-01': role 'none' with empty: false, expected role 'none' exactly for empty rows", 1 },
	{ "bad-table.yaml", 6, 12,
	  "row 'server-01': unknown table 'edge', expected one of: server, hlb, dns-lb, client, extra", 1 },
	{ "bad-app.yaml", 15, 10, "row 'server-01': unknown app 'SIP', expected one of: TLS, MTLS", 1 },
	{ "bad-direction.yaml", 17, 16,
	  "row 'server-01': unknown direction 'both', expected one of: inbound, outbound", 1 },
	{ "bad-peer.yaml", 19, 18,
	  "row 'server-01': from[1]: unknown source 'internet', expected one of: clients, phones", 1 },
	{ "bad-peer-twice.yaml", 20, 18, "from[2]: source 'clients' listed twice", 1 },
	{ "bad-peer-no-why.yaml", 19, 9, "row 'server-01': from[1]: missing required key 'why'", 1 },
	{ "bad-peer-empty-why.yaml", 19, 32, "from[1]: why: expected a one-line reason, found ''", 1 },
	{ "bad-inbound-no-from.yaml", 5, 5, "row 'server-01': inbound row without 'from', expected the senders", 1 },
	{ "bad-inbound-with-to.yaml", 18, 5,
	  "row 'server-01': inbound row lists its senders in 'from', expected no 'to'", 1 },
	/* the row still has its 'from': two errors */
	{ "bad-outbound-no-to.yaml", 5, 5, "row 'server-01': outbound row without 'to', expected the receivers", 2 },
	{ "bad-empty-with-ports.yaml", 12, 5,
	  "row 'server-01': an empty row is never compiled, expected no 'ports'", 1 },
	{ "bad-media-table.yaml", 16, 5,
	  "row 'server-01': media narrows client media rows, expected it only in table 'client'", 1 },
	{ "bad-media-unknown.yaml", 14, 12,
	  "row 'server-01': unknown media 'voice', expected one of: audio, video, file_transfer, app_sharing", 1 },
	{ "bad-hlb-note.yaml", 15, 5, "row 'server-01': table 'hlb' has no note column, expected no 'note' key", 1 },
	{ "bad-server-no-service.yaml", 5, 5, "row 'server-01': missing required key 'service'", 1 },
	{ "bad-id-chars.yaml", 5, 9, "id 'Server 01' expected: lowercase letters", 1 },
	{ "bad-dup-id.yaml", 20, 5, "row 'server-01': duplicate id (first at line 5), expected a unique id", 1 },
	{ "bad-dup-seed-row.yaml", 20, 5,
	  "row 'server-02': seed_row 1 of table 'server' already used by row 'server-01' (line 5)", 1 },
	{ "bad-duplicate-of.yaml", 5, 5, "row 'server-01': duplicate_of 'server-99' names no other row", 1 },
	{ "bad-duplicate-of-self.yaml", 5, 5, "row 'server-01': duplicate_of 'server-01' names no other row", 1 },
	{ "bad-many.yaml", 11, 12, "ports: port out of range in '0', expected 1 to 65535", 4 },
};

static void test_bad_fixtures(void **state)
{
	unsigned failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct aclf_err err;
		struct aclf_catalog *c;
		char *p = fixture(bc->file), prefix[512];
		const char *text;

		aclf_err_init(&err);
		c = aclf_catalog_load(p, &err);
		text = aclf_err_text(&err);
		snprintf(prefix, sizeof(prefix), "%s:%u:%u: ", p, bc->line, bc->col);
		if (c || err.kind != ACLF_E_INPUT || !err.file || strcmp(err.file, p) != 0 ||
		    err.line != bc->line || err.col != bc->col || err.count != bc->count ||
		    strncmp(text, prefix, strlen(prefix)) != 0 || !strstr(text, bc->msg) ||
		    aclf_err_exit_code(&err) != 2) {
			print_error("%s: want %u:%u x%u '%s'\n  got %u:%u x%u:\n%s\n", bc->file, bc->line,
				    bc->col, bc->count, bc->msg, err.line, err.col, err.count, text);
			failures++;
		}
		aclf_catalog_free(c);
		aclf_err_release(&err);
		free(p);
	}
	assert_int_equal(failures, 0);
}

/* All errors of a file are collected, one line each, in file order here. */
static void test_bad_many_lines(void **state)
{
	static const char *const want[] = {
		":11:12: row 'server-01': ports: port out of range in '0'",
		":23:11: row 'server-02': unknown role 'gateway'",
		":34:5: row 'server-03': missing required key 'protocols'",
		":47:5: row 'server-02': duplicate id (first at line 20)",
	};
	struct aclf_err err;
	char *p = fixture("bad-many.yaml");
	const char *line;

	(void)state;
	aclf_err_init(&err);
	assert_null(aclf_catalog_load(p, &err));
	assert_int_equal(err.count, 4);
	line = aclf_err_text(&err);
	for (size_t i = 0; i < 4; i++) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char *one = strndup(line, n);

		assert_non_null(one);
		assert_true(strncmp(one, p, strlen(p)) == 0);
		if (!strstr(one, want[i]))
			print_error("line %zu: '%s' lacks '%s'\n", i + 1, one, want[i]);
		assert_non_null(strstr(one, want[i]));
		free(one);
		line = nl ? nl + 1 : line + n;
	}
	assert_int_equal(*line, '\0');
	aclf_err_release(&err);
	free(p);
}

static void test_load_mem(void **state)
{
	/* not NUL-terminated: the length is what counts */
	static const char doc[] = "name: m\nsource: s\nrows:\n"
				  "  - {id: c-1, table: client, seed_row: 1, role: phones, seed_role: P,\n"
				  "     ports: 67, seed_ports: 67/68, protocols: [udp], seed_protocol: DHCP,\n"
				  "     app: DHCP, note: n, direction: outbound,\n"
				  "     to: [{source: dhcp-server, why: w}]}\nXXXX";
	struct aclf_err err;
	struct aclf_catalog *c;

	(void)state;
	aclf_err_init(&err);
	c = aclf_catalog_load_mem(doc, sizeof(doc) - 5, "mem.yaml", &err);
	if (!c)
		print_error("%s\n", aclf_err_text(&err));
	assert_non_null(c);
	assert_string_equal(c->path, "mem.yaml");
	assert_string_equal(c->name, "m");
	assert_int_equal(c->nrows, 1);
	assert_string_equal(c->rows[0].to[0].source, "dhcp-server");
	assert_int_equal(c->rows[0].line, 4);
	assert_int_equal(c->rows[0].col, 5);
	aclf_catalog_free(c);

	/* the trailing garbage makes it invalid when included */
	c = aclf_catalog_load_mem(doc, sizeof(doc) - 1, NULL, &err);
	assert_null(c);
	assert_true(err.count >= 1);
	assert_non_null(strstr(aclf_err_text(&err), "<memory>:"));
	aclf_err_release(&err);

	aclf_err_init(&err);
	assert_null(aclf_catalog_load_mem("", 0, "empty.yaml", &err));
	assert_non_null(strstr(aclf_err_text(&err), "empty.yaml:1:1: empty document"));
	aclf_err_release(&err);
	aclf_catalog_free(NULL);
}

static void test_missing_file(void **state)
{
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	assert_null(aclf_catalog_load("/nonexistent/aclforge/x.yaml", &err));
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&err), "cannot read catalog '/nonexistent/aclforge/x.yaml'"));
	aclf_err_release(&err);
}

static void test_vocabulary(void **state)
{
	const char *const *roles = aclf_cat_roles(), *const *peers = aclf_cat_peer_classes();
	enum aclf_cat_table t;
	size_t n;

	(void)state;
	for (n = 0; roles[n]; n++)
		;
	assert_int_equal(n, 18);
	assert_string_equal(roles[0], "all-servers");
	assert_string_equal(roles[n - 1], "none");
	for (n = 0; peers[n]; n++)
		;
	assert_int_equal(n, 26);
	assert_string_equal(peers[18], "local");
	assert_string_equal(peers[n - 1], "management");

	for (int i = ACLF_TABLE_SERVER; i <= ACLF_TABLE_EXTRA; i++) {
		assert_int_equal(aclf_cat_table_parse(aclf_cat_table_name((enum aclf_cat_table)i), &t), 0);
		assert_int_equal(t, i);
	}
	assert_string_equal(aclf_cat_table_name(ACLF_TABLE_DNSLB), "dns-lb");
	assert_int_equal(aclf_cat_table_parse("dnslb", &t), -1);
	assert_int_equal(aclf_cat_table_parse(NULL, &t), -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static char *cat(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s%s", a, b);
	return p;
}

static void test_resolve(void **state)
{
	char tmpl[] = "/tmp/aclf-catalog-XXXXXX", *got, *s[6];
	const char *tmp;

	(void)state;
	/* paths are returned as they are, existing or not */
	got = aclf_catalog_resolve("some/dir/x.yaml", NULL);
	assert_string_equal(got, "some/dir/x.yaml");
	free(got);
	got = aclf_catalog_resolve("local.yml", "/a/b.yaml");
	assert_string_equal(got, "local.yml");
	free(got);
	assert_null(aclf_catalog_resolve("", NULL));
	assert_null(aclf_catalog_resolve(NULL, NULL));

	/* <tmp>/env/c.yaml, <tmp>/catalogs/c.yaml, <tmp>/examples/site.yaml */
	tmp = mkdtemp(tmpl);
	assert_non_null(tmp);
	s[0] = cat(tmp, "/env");
	s[1] = cat(tmp, "/catalogs");
	s[2] = cat(tmp, "/examples");
	assert_int_equal(mkdir(s[0], 0700), 0);
	assert_int_equal(mkdir(s[1], 0700), 0);
	assert_int_equal(mkdir(s[2], 0700), 0);
	s[3] = cat(tmp, "/env/c.yaml");
	s[4] = cat(tmp, "/catalogs/c.yaml");
	s[5] = cat(tmp, "/examples/site.yaml");
	write_file(s[3], "name: c\n");
	write_file(s[4], "name: c\n");

	/* $ACLFORGE_CATALOG_DIR comes first */
	assert_int_equal(setenv("ACLFORGE_CATALOG_DIR", s[0], 1), 0);
	got = aclf_catalog_resolve("c", s[5]);
	assert_string_equal(got, s[3]);
	free(got);
	/* then ../catalogs beside the referring file */
	assert_int_equal(unlink(s[3]), 0);
	got = aclf_catalog_resolve("c", s[5]);
	free(s[3]);
	s[3] = cat(tmp, "/examples/../catalogs/c.yaml");
	assert_string_equal(got, s[3]);
	free(got);
	assert_int_equal(unsetenv("ACLFORGE_CATALOG_DIR"), 0);
	/* no referring file, nothing in the source or install directories */
	assert_null(aclf_catalog_resolve("c", NULL));
	assert_null(aclf_catalog_resolve("no-such-catalog", s[5]));

	/* the compiled-in source catalog directory answers for bundled names */
	got = aclf_catalog_resolve("lync2013-internal", s[5]);
	assert_non_null(got);
	assert_non_null(strstr(got, "inventory/catalogs/lync2013-internal.yaml"));
	free(got);

	assert_int_equal(unlink(s[4]), 0);
	assert_int_equal(rmdir(s[0]), 0);
	assert_int_equal(rmdir(s[1]), 0);
	assert_int_equal(rmdir(s[2]), 0);
	assert_int_equal(rmdir(tmp), 0);
	for (size_t i = 0; i < 6; i++)
		free(s[i]);
}


/* The extras catalog: every row in table extra, numbered in file order,
 * quoting its document; loaded with the seed, ids stay unique and the
 * seed's rows come first, unchanged. */
static void test_extras(void **state)
{
	char *paths[2] = { bundled_path(),
			   path_of("ACLF_SRCDIR", ".", "inventory/catalogs/lync2013-extras.yaml") };
	struct aclf_err err;
	struct aclf_catalog *seed = load_bundled(), *all;
	const struct aclf_cat_row *r;
	size_t nextra = 0;

	(void)state;
	aclf_err_init(&err);
	all = aclf_catalog_load_list((const char *const *)paths, 2, &err);
	if (!all)
		fail_msg("%s", aclf_err_text(&err));
	assert_true(all->nrows > seed->nrows);
	for (size_t i = 0; i < seed->nrows; i++)
		assert_string_equal(all->rows[i].id, seed->rows[i].id);
	for (size_t i = seed->nrows; i < all->nrows; i++) {
		char id[32];
		r = &all->rows[i];
		nextra++;
		snprintf(id, sizeof(id), "extra-%02zu", nextra);
		assert_string_equal(r->id, id);
		assert_int_equal(r->table, ACLF_TABLE_EXTRA);
		assert_int_equal(r->seed_row, nextra);
		assert_non_null(r->document);
		/* a title and the quoted words or section */
		if (!strstr(r->document, "Lync Server 2013") && !strstr(r->document, "KB ") &&
		    !strstr(r->document, "Windows"))
			fail_msg("row '%s': document names no Microsoft document: %s", r->id, r->document);
		assert_string_equal(r->seed_ports, "");
		assert_true(r->ports.n > 0);
	}
	r = row(all, "extra-01");
	assert_int_equal(r->ports.v[0].lo, 5090);
	assert_int_equal(r->ports.v[0].hi, 5094);
	assert_string_equal(r->from[0].source, "same-pool");
	assert_int_equal(row(all, "extra-15")->port_setting, ACLF_PORTS_RPC_DYNAMIC);
	assert_int_equal(row(all, "extra-22")->port_setting, ACLF_PORTS_SQL);
	assert_string_equal(row(all, "extra-03")->option, "xmpp");
	assert_string_equal(row(all, "extra-16")->option, "centralized_logging");
	assert_true(row(all, "extra-18")->source_dynamic);
	assert_int_equal(row(all, "extra-21")->source_ports.v[0].lo, 123);
	assert_int_equal(row(all, "extra-19")->direction, ACLF_CAT_OUTBOUND);
	aclf_catalog_free(all);

	/* the seed twice: every id is taken */
	free(paths[1]);
	paths[1] = paths[0];
	assert_null(aclf_catalog_load_list((const char *const *)paths, 2, &err));
	assert_non_null(strstr(aclf_err_text(&err), "row 'server-01': id already used in catalog"));
	free(paths[0]);
	aclf_catalog_free(seed);
	aclf_err_release(&err);
}

/* Rows of table extra: a document instead of the seed's cells, keys of
 * their own that other tables may not carry. */
static void test_extra_row_rules(void **state)
{
	static const char *const head = "name: x\nsource: y\nrows:\n";
	static const struct {
		const char *row, *want;
	} cases[] = {
		{ "  - {id: e1, table: extra, seed_row: 1, role: front-end, ports: 1, protocols: [tcp], direction: inbound,"
		  " from: [{source: clients, why: w}]}\n",
		  "t.yaml:4:5: row 'e1': missing required key 'document'" },
		{ "  - {id: e1, table: extra, seed_row: 1, role: front-end, seed_ports: '1', ports: 1, protocols: [tcp],"
		  " direction: inbound, from: [{source: clients, why: w}], document: 'Some document, section: words'}\n",
		  "t.yaml:4:58: row 'e1': a row of table 'extra' is in none of the seed's tables, expected no 'seed_ports'" },
		{ "  - {id: s1, table: server, seed_row: 1, role: front-end, seed_role: r, service: s, note: n, seed_ports: '1',"
		  " seed_protocol: TCP, ports: 1, protocols: [tcp], direction: inbound, from: [{source: clients, why: w}],"
		  " option: xmpp}\n",
		  "t.yaml:4:214: row 's1': 'option' belongs to rows of table 'extra', expected none here" },
		{ "  - {id: e1, table: extra, seed_row: 1, role: front-end, ports: 1, protocols: [tcp], direction: inbound,"
		  " from: [{source: clients, why: w}], document: 'Some document, section: words', port_setting: rpc}\n",
		  "t.yaml:4:198: row 'e1': unknown port_setting 'rpc', expected one of: rpc_dynamic, sql" },
	};
	char yaml[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aclf_err err;
		aclf_err_init(&err);
		snprintf(yaml, sizeof(yaml), "%s%s", head, cases[i].row);
		assert_null(aclf_catalog_load_mem(yaml, strlen(yaml), "t.yaml", &err));
		if (err.count != 1 || strcmp(aclf_err_text(&err), cases[i].want) != 0)
			fail_msg("%u errors:\n got: %s\nwant: %s", err.count, aclf_err_text(&err), cases[i].want);
		aclf_err_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_counts),
		cmocka_unit_test(test_bundled_invariants),
		cmocka_unit_test(test_bundled_server_rows),
		cmocka_unit_test(test_bundled_lb_rows),
		cmocka_unit_test(test_bundled_client_rows),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_bad_many_lines),
		cmocka_unit_test(test_load_mem),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_extras),
		cmocka_unit_test(test_extra_row_rules),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
