/* Loading and validating a port catalog (inventory/catalogs/<name>.yaml). Every
 * problem is reported as file:line:col with what was expected, and all of
 * them are collected before the load fails. Everything the catalog keeps is
 * copied into its arena; nothing points into libyaml memory. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "catalog_int.h"
#include "yaml_doc.h"

#define CATALOG_MAX_BYTES (16u << 20)

static const char *const top_keys[] = { "name", "source", "rows", NULL };
static const char *const row_keys[] = {
	"id",	 "table",     "seed_row",  "role",	   "seed_role", "service",
	"ports", "seed_ports", "protocols", "seed_protocol", "app",	  "note",
	"note_en", "direction", "from",	   "to",	   "optional",  "empty",
	"media", "duplicate_of", "oddity", "document", "option", "port_setting", "source_ports",
	"withdraws", NULL,
};
/* keys only rows of table extra carry, and the seed cells they do without */
static const char *const extra_only[] = { "document", "option", "port_setting", "source_ports", "withdraws",
					   NULL };
static const char *const seed_cells[] = { "seed_role", "seed_ports", "seed_protocol", NULL };
static const char *const options[] = { "xmpp", "centralized_logging", NULL };
static const char *const peer_keys[] = { "source", "why", NULL };
/* keys an empty row must not carry: it is kept for numbering, never compiled */
static const char *const not_in_empty_rows[] = {
	"ports", "protocols", "app", "direction", "from", "to", "optional", "media", NULL,
};

struct ld {
	struct aclf_ydoc *d;
	struct aclf_catalog *c;
	struct aclf_err *err;
	int rc;      /* -1 once any error was recorded */
	bool nomem;
};

static void fail(struct ld *l)
{
	l->rc = -1;
}

static void oom(struct ld *l)
{
	if (!l->nomem)
		aclf_err_nomem(l->err);
	l->nomem = true;
	l->rc = -1;
}

/* Record an error at node n. Returns -1. */
static int lerr(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lerr(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_yverr(l->d, n, l->err, fmt, ap);
	va_end(ap);
	fail(l);
	return -1;
}

static const char *keep(struct ld *l, const char *s)
{
	char *p = aclf_arena_strdup(&l->c->arena, s);

	if (!p)
		oom(l);
	return p;
}

static char *join(const char *const *list)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	for (size_t i = 0; list[i]; i++)
		aclf_buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
	return aclf_buf_detach(&b, NULL);
}

/* The key node of `key` in a mapping, or NULL: errors about a key that does
 * not belong point at the key itself. */
static yaml_node_t *key_node(struct ld *l, yaml_node_t *map, const char *key)
{
	size_t n = aclf_ymap_len(map);

	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = aclf_ymap_key_at(l->d, map, i);
		const char *s = aclf_yscalar(k);
		if (s && strcmp(s, key) == 0)
			return k;
	}
	return NULL;
}

/* Value of a key that must be present; the error points at the mapping. */
static yaml_node_t *need(struct ld *l, yaml_node_t *map, const char *key, const char *what)
{
	yaml_node_t *v = aclf_ymap_get(l->d, map, key);

	if (!v)
		lerr(l, map, "%s: missing required key '%s'", what, key);
	return v;
}

/* A scalar copied into the arena; NULL (error recorded) otherwise. */
static const char *str_at(struct ld *l, yaml_node_t *v, const char *what, const char *key)
{
	char label[160];
	const char *s;

	snprintf(label, sizeof(label), "%s: %s", what, key);
	if (aclf_ystr(l->d, v, label, &s, l->err) < 0) {
		fail(l);
		return NULL;
	}
	return keep(l, s);
}

static const char *need_str(struct ld *l, yaml_node_t *map, const char *key, const char *what)
{
	yaml_node_t *v = need(l, map, key, what);

	return v ? str_at(l, v, what, key) : NULL;
}

static const char *opt_str(struct ld *l, yaml_node_t *map, const char *key, const char *what)
{
	yaml_node_t *v = aclf_ymap_get(l->d, map, key);

	return v ? str_at(l, v, what, key) : NULL;
}

/* A value out of a fixed vocabulary (the stored pointer is the list's). */
static const char *vocab_at(struct ld *l, yaml_node_t *v, const char *what, const char *key,
			    const char *const *list)
{
	const char *s = str_at(l, v, what, key);
	char *all;

	if (!s)
		return NULL;
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return list[i];
	all = join(list);
	lerr(l, v, "%s: unknown %s '%s', expected one of: %s", what, key, s, all ? all : "?");
	free(all);
	return NULL;
}

static void bool_at(struct ld *l, yaml_node_t *map, const char *key, const char *what, bool *out)
{
	yaml_node_t *v = aclf_ymap_get(l->d, map, key);
	char label[160];

	if (!v)
		return;
	snprintf(label, sizeof(label), "%s: %s", what, key);
	if (aclf_ybool(l->d, v, label, out, l->err) < 0)
		fail(l);
}

/* "5061" or "49152-57500": decimal, 1..65535, lo <= hi. */
static int port_item(struct ld *l, yaml_node_t *n, const char *what, struct aclf_port_range *out)
{
	unsigned long v[2] = { 0, 0 };
	unsigned nd[2] = { 0, 0 };
	const char *s = aclf_yscalar(n), *p;
	int k = 0;

	if (!s)
		return lerr(l, n, "%s: ports: expected a port or a range 'lo-hi', found %s", what,
			    n->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v[k] <= 65535)
				v[k] = v[k] * 10 + (unsigned long)(*p - '0');
			nd[k]++;
		} else if (*p == '-' && k == 0 && nd[0]) {
			k = 1;
		} else {
			break;
		}
	}
	if (*p || !nd[0] || (k == 1 && !nd[1]))
		return lerr(l, n, "%s: ports: expected a port from 1 to 65535 or a range 'lo-hi', found '%s'",
			    what, s);
	if (k == 0)
		v[1] = v[0];
	for (int i = 0; i < 2; i++)
		if (v[i] < 1 || v[i] > 65535)
			return lerr(l, n, "%s: ports: port out of range in '%s', expected 1 to 65535", what, s);
	if (v[0] > v[1])
		return lerr(l, n, "%s: ports: range '%s' runs backwards, expected lo <= hi", what, s);
	out->lo = (uint16_t)v[0];
	out->hi = (uint16_t)v[1];
	return 0;
}

static void ports_at(struct ld *l, yaml_node_t *v, const char *what, struct aclf_port_set *out)
{
	struct aclf_port_range one, *tmp;
	size_t n, w = 0;
	int bad = 0;

	if (v->type != YAML_SEQUENCE_NODE) {
		if (port_item(l, v, what, &one) == 0 && aclf_ports_merge(&l->c->arena, &one, 1, out) < 0)
			oom(l);
		return;
	}
	n = aclf_yseq_len(v);
	if (n == 0) {
		lerr(l, v, "%s: ports: expected at least one port or range", what);
		return;
	}
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp) {
		oom(l);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (port_item(l, aclf_yseq_at(l->d, v, i), what, &tmp[w]) == 0)
			w++;
		else
			bad = 1;
	}
	if (!bad && aclf_ports_merge(&l->c->arena, tmp, w, out) < 0)
		oom(l);
	free(tmp);
}

static unsigned protocols_at(struct ld *l, yaml_node_t *v, const char *what)
{
	unsigned bits = 0;
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE || (n = aclf_yseq_len(v)) == 0) {
		lerr(l, v, "%s: protocols: expected a list of tcp and/or udp", what);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = aclf_yseq_at(l->d, v, i);
		const char *s = aclf_yscalar(it);
		unsigned bit = 0;

		if (s && strcmp(s, "tcp") == 0)
			bit = ACLF_CAT_TCP;
		else if (s && strcmp(s, "udp") == 0)
			bit = ACLF_CAT_UDP;
		if (!bit) {
			lerr(l, it, "%s: protocols: expected tcp or udp, found '%s'", what, s ? s : "a collection");
			continue;
		}
		if (bits & bit)
			lerr(l, it, "%s: protocols: '%s' listed twice, expected each protocol once", what, s);
		bits |= bit;
	}
	return bits;
}

static void peers_at(struct ld *l, yaml_node_t *v, const char *what, const char *key,
		     struct aclf_cat_peer **out, size_t *nout)
{
	char label[200];
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE || (n = aclf_yseq_len(v)) == 0) {
		lerr(l, v, "%s: %s: expected a list of {source, why}", what, key);
		return;
	}
	*out = aclf_arena_alloc(&l->c->arena, n * sizeof(**out));
	if (!*out) {
		oom(l);
		return;
	}
	*nout = n;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = aclf_yseq_at(l->d, v, i), *sv;
		struct aclf_cat_peer *p = &(*out)[i];

		snprintf(label, sizeof(label), "%s: %s[%zu]", what, key, i + 1);
		if (aclf_yexpect(l->d, it, YAML_MAPPING_NODE, label, l->err) < 0) {
			fail(l);
			continue;
		}
		if (aclf_ymap_check_keys(l->d, it, peer_keys, label, l->err) < 0)
			fail(l);
		sv = need(l, it, "source", label);
		if (sv)
			p->source = vocab_at(l, sv, label, "source", aclf_cat_peer_classes());
		p->why = need_str(l, it, "why", label);
		if (p->why && !*p->why)
			lerr(l, aclf_ymap_get(l->d, it, "why"), "%s: why: expected a one-line reason, found ''",
			     label);
		for (size_t j = 0; p->source && j < i; j++)
			if ((*out)[j].source == p->source)
				lerr(l, sv, "%s: source '%s' listed twice, expected each peer class once", label,
				     p->source);
	}
}

/* Per-table column rules: the hlb/dns-lb tables have no service or note
 * column, the client table has no service column. */
static void column(struct ld *l, yaml_node_t *map, const char *key, bool has_column,
		   enum aclf_cat_table t, const char *what, const char **out)
{
	yaml_node_t *k = key_node(l, map, key);

	if (has_column) {
		*out = need_str(l, map, key, what);
		return;
	}
	if (k)
		lerr(l, k, "%s: table '%s' has no %s column, expected no '%s' key", what,
		     aclf_cat_table_name(t), key, key);
	*out = "";
}

/* A row of table extra: no seed cells (it is in none of the seed's
 * tables), the document that requires it, and what the topology decides. */
static void extra_keys(struct ld *l, yaml_node_t *n, const char *what, struct aclf_cat_row *r)
{
	static const char *const settings[] = { "rpc_dynamic", "sql", NULL };
	yaml_node_t *v;
	const char *s;

	for (size_t i = 0; seed_cells[i]; i++)
		if ((v = key_node(l, n, seed_cells[i])))
			lerr(l, v, "%s: a row of table 'extra' is in none of the seed's tables, expected no '%s'",
			     what, seed_cells[i]);
	r->seed_role = r->seed_ports = r->seed_protocol = "";
	r->document = need_str(l, n, "document", what);
	if (r->document && strlen(r->document) < 16)
		lerr(l, aclf_ymap_get(l->d, n, "document"),
		     "%s: document: expected the document's title and section with the words that require "
		     "the row, found '%s'", what, r->document);
	if ((v = aclf_ymap_get(l->d, n, "option")))
		r->option = vocab_at(l, v, what, "option", options);
	if ((v = aclf_ymap_get(l->d, n, "port_setting")) && (s = vocab_at(l, v, what, "port_setting", settings)))
		r->port_setting = s == settings[0] ? ACLF_PORTS_RPC_DYNAMIC : ACLF_PORTS_SQL;
	if ((v = aclf_ymap_get(l->d, n, "withdraws"))) {
		size_t k = v->type == YAML_SEQUENCE_NODE ? aclf_yseq_len(v) : 0;
		if (v->type != YAML_SEQUENCE_NODE || !k) {
			lerr(l, v, "%s: withdraws: expected a list of row ids", what);
		} else if (!(r->withdraws = aclf_arena_alloc(&l->c->arena, k * sizeof(*r->withdraws)))) {
			oom(l);
		} else {
			for (size_t i = 0; i < k; i++)
				if ((r->withdraws[r->nwithdraws] = str_at(l, aclf_yseq_at(l->d, v, i), what, "withdraws")))
					r->nwithdraws++;
		}
	}
	if ((v = aclf_ymap_get(l->d, n, "source_ports"))) {
		s = aclf_yscalar(v);
		if (s && !strcmp(s, "rpc_dynamic"))
			r->source_dynamic = true;
		else
			ports_at(l, v, what, &r->source_ports);
	}
}

static void load_row(struct ld *l, yaml_node_t *n, size_t idx, struct aclf_cat_row *r)
{
	char what[96];
	yaml_node_t *v;
	bool table_ok = false;
	const char *dir = NULL;

	snprintf(what, sizeof(what), "row %zu", idx + 1);
	if (aclf_yexpect(l->d, n, YAML_MAPPING_NODE, what, l->err) < 0) {
		fail(l);
		return;
	}
	r->line = aclf_ynode_line(n);
	r->col = aclf_ynode_col(n);

	r->id = need_str(l, n, "id", what);
	if (r->id) {
		if (!*r->id || strspn(r->id, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(r->id))
			lerr(l, aclf_ymap_get(l->d, n, "id"),
			     "%s: id '%s' expected: lowercase letters, digits, '-', '_' or '.'", what, r->id);
		snprintf(what, sizeof(what), "row '%.60s'", r->id);
	}
	if (aclf_ymap_check_keys(l->d, n, row_keys, what, l->err) < 0)
		fail(l);

	if ((v = need(l, n, "table", what))) {
		const char *s = str_at(l, v, what, "table");
		if (s && aclf_cat_table_parse(s, &r->table) == 0)
			table_ok = true;
		else if (s)
			lerr(l, v, "%s: unknown table '%s', expected one of: server, hlb, dns-lb, client, extra",
			     what, s);
	}
	if ((v = need(l, n, "seed_row", what))) {
		unsigned long u;
		char label[120];

		snprintf(label, sizeof(label), "%s: seed_row", what);
		if (aclf_yuint(l->d, v, 1, 65535, label, &u, l->err) == 0)
			r->seed_row = (unsigned)u;
		else
			fail(l);
	}
	bool_at(l, n, "empty", what, &r->empty);

	if ((v = need(l, n, "role", what)))
		r->role = vocab_at(l, v, what, "role", aclf_cat_roles());
	if (r->role) {
		v = aclf_ymap_get(l->d, n, "role");
		if (r->empty != (strcmp(r->role, "none") == 0))
			lerr(l, v, "%s: role '%s' with empty: %s, expected role 'none' exactly for empty rows",
			     what, r->role, r->empty ? "true" : "false");
		else if (table_ok && !catalog_role_fits_table(r->role, r->table))
			lerr(l, v, "%s: role '%s' does not belong to table '%s'", what, r->role,
			     aclf_cat_table_name(r->table));
	}
	if (table_ok && r->table == ACLF_TABLE_EXTRA) {
		extra_keys(l, n, what, r);
	} else {
		for (size_t i = 0; extra_only[i]; i++)
			if ((v = key_node(l, n, extra_only[i])))
				lerr(l, v, "%s: '%s' belongs to rows of table 'extra', expected none here", what,
				     extra_only[i]);
		r->seed_role = need_str(l, n, "seed_role", what);
		r->seed_ports = need_str(l, n, "seed_ports", what);
		r->seed_protocol = need_str(l, n, "seed_protocol", what);
	}
	if (table_ok) {
		column(l, n, "service", r->table == ACLF_TABLE_SERVER, r->table, what, &r->service);
		column(l, n, "note", r->table == ACLF_TABLE_SERVER || r->table == ACLF_TABLE_CLIENT,
		       r->table, what, &r->note);
	}
	r->note_en = opt_str(l, n, "note_en", what);
	r->oddity = opt_str(l, n, "oddity", what);
	r->duplicate_of = opt_str(l, n, "duplicate_of", what);

	if (r->empty) {
		for (size_t i = 0; not_in_empty_rows[i]; i++)
			if ((v = key_node(l, n, not_in_empty_rows[i])))
				lerr(l, v, "%s: an empty row is never compiled, expected no '%s'", what,
				     not_in_empty_rows[i]);
		return;
	}

	if ((v = need(l, n, "ports", what)))
		ports_at(l, v, what, &r->ports);
	if ((v = need(l, n, "protocols", what)))
		r->protocols = protocols_at(l, v, what);
	if ((v = aclf_ymap_get(l->d, n, "app")))
		r->app = vocab_at(l, v, what, "app", catalog_apps());
	bool_at(l, n, "optional", what, &r->optional);
	if ((v = aclf_ymap_get(l->d, n, "media"))) {
		r->media = vocab_at(l, v, what, "media", catalog_media_kinds());
		if (table_ok && r->table != ACLF_TABLE_CLIENT)
			lerr(l, key_node(l, n, "media"), "%s: media narrows client media rows, expected it only in table 'client'",
			     what);
	}

	if ((v = need(l, n, "direction", what))) {
		static const char *const dirs[] = { "inbound", "outbound", NULL };
		dir = vocab_at(l, v, what, "direction", dirs);
		r->direction = dir == dirs[1] ? ACLF_CAT_OUTBOUND : ACLF_CAT_INBOUND;
	}
	v = aclf_ymap_get(l->d, n, "from");
	if (v)
		peers_at(l, v, what, "from", &r->from, &r->nfrom);
	if (dir && r->direction == ACLF_CAT_INBOUND) {
		if (!v)
			lerr(l, n, "%s: inbound row without 'from', expected the senders", what);
		if ((v = key_node(l, n, "to")))
			lerr(l, v, "%s: inbound row lists its senders in 'from', expected no 'to'", what);
	}
	v = aclf_ymap_get(l->d, n, "to");
	if (v)
		peers_at(l, v, what, "to", &r->to, &r->nto);
	if (dir && r->direction == ACLF_CAT_OUTBOUND) {
		if (!v)
			lerr(l, n, "%s: outbound row without 'to', expected the receivers", what);
		if ((v = key_node(l, n, "from")))
			lerr(l, v, "%s: outbound row lists its receivers in 'to', expected no 'from'", what);
	}
}

/* Checks across rows: unique ids, unique seed rows per table, and
 * duplicate_of pointing at another row of the same table. */
static void cross_check(struct ld *l, const char *file)
{
	struct aclf_catalog *c = l->c;

	for (size_t i = 0; i < c->nrows; i++) {
		struct aclf_cat_row *r = &c->rows[i];
		const struct aclf_cat_row *t = NULL;

		if (!r->id)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct aclf_cat_row *o = &c->rows[j];
			if (o->id && strcmp(o->id, r->id) == 0) {
				aclf_err_at(l->err, file, r->line, r->col,
					    "row '%s': duplicate id (first at line %u), expected a unique id",
					    r->id, o->line);
				fail(l);
				break;
			}
		}
		for (size_t j = 0; r->seed_row && j < i; j++) {
			const struct aclf_cat_row *o = &c->rows[j];
			if (o->seed_row == r->seed_row && o->table == r->table && o->id) {
				aclf_err_at(l->err, file, r->line, r->col,
					    "row '%s': seed_row %u of table '%s' already used by row '%s' "
					    "(line %u), expected one catalog row per seed row",
					    r->id, r->seed_row, aclf_cat_table_name(r->table), o->id, o->line);
				fail(l);
				break;
			}
		}
		if (!r->duplicate_of)
			continue;
		for (size_t j = 0; j < c->nrows && !t; j++)
			if (j != i && c->rows[j].id && strcmp(c->rows[j].id, r->duplicate_of) == 0)
				t = &c->rows[j];
		if (!t) {
			aclf_err_at(l->err, file, r->line, r->col,
				    "row '%s': duplicate_of '%s' names no other row, expected the id of the "
				    "row it repeats",
				    r->id, r->duplicate_of);
			fail(l);
		} else if (t->table != r->table) {
			aclf_err_at(l->err, file, r->line, r->col,
				    "row '%s': duplicate_of '%s' is in table '%s', expected a row of table '%s'",
				    r->id, r->duplicate_of, aclf_cat_table_name(t->table),
				    aclf_cat_table_name(r->table));
			fail(l);
		}
	}
}

static void load_doc(struct ld *l, const char *file)
{
	yaml_node_t *root = aclf_ydoc_root(l->d), *rows;
	size_t n;

	if (aclf_yexpect(l->d, root, YAML_MAPPING_NODE, "catalog", l->err) < 0) {
		fail(l);
		return;
	}
	if (aclf_ymap_check_keys(l->d, root, top_keys, "catalog", l->err) < 0)
		fail(l);
	l->c->name = need_str(l, root, "name", "catalog");
	if (l->c->name && !*l->c->name)
		lerr(l, aclf_ymap_get(l->d, root, "name"), "catalog: name: expected a non-empty name");
	l->c->source = need_str(l, root, "source", "catalog");
	rows = need(l, root, "rows", "catalog");
	if (!rows)
		return;
	if (rows->type != YAML_SEQUENCE_NODE || (n = aclf_yseq_len(rows)) == 0) {
		lerr(l, rows, "catalog: rows: expected a non-empty list of rows");
		return;
	}
	l->c->rows = aclf_arena_alloc(&l->c->arena, n * sizeof(*l->c->rows));
	if (!l->c->rows) {
		oom(l);
		return;
	}
	l->c->nrows = n;
	for (size_t i = 0; i < n && !l->nomem; i++)
		load_row(l, aclf_yseq_at(l->d, rows, i), i, &l->c->rows[i]);
	if (!l->nomem)
		cross_check(l, file);
}

struct aclf_catalog *aclf_catalog_load_mem(const char *data, size_t len, const char *name,
					   struct aclf_err *err)
{
	struct aclf_ydoc d;
	struct ld l = { .d = &d, .err = err };
	const char *file = name ? name : "<memory>";

	l.c = calloc(1, sizeof(*l.c));
	if (!l.c) {
		aclf_err_nomem(err);
		return NULL;
	}
	aclf_arena_init(&l.c->arena);
	l.c->path = keep(&l, file);
	if (l.nomem) {
		aclf_catalog_free(l.c);
		return NULL;
	}
	if (aclf_ydoc_load(&d, data ? data : "", data ? len : 0, file, err) < 0) {
		aclf_ydoc_release(&d);
		aclf_catalog_free(l.c);
		return NULL;
	}
	load_doc(&l, file);
	aclf_ydoc_release(&d);
	if (l.rc < 0) {
		aclf_catalog_free(l.c);
		return NULL;
	}
	return l.c;
}

struct aclf_catalog *aclf_catalog_load(const char *path, struct aclf_err *err)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	struct aclf_catalog *c;

	if (!path)
		return aclf_err_set(err, ACLF_E_INPUT, "catalog: no path given"), NULL;
	aclf_buf_init(&b, CATALOG_MAX_BYTES);
	if (aclf_buf_read_file(&b, path) < 0) {
		int e = errno;
		aclf_buf_release(&b);
		aclf_err_set(err, ACLF_E_INPUT, "cannot read catalog '%s': %s", path,
			     e == EFBIG ? "larger than 16 MiB" : strerror(e));
		return NULL;
	}
	c = aclf_catalog_load_mem(b.buf, b.len, path, err);
	aclf_buf_release(&b);
	return c;
}

struct aclf_catalog *aclf_catalog_load_list(const char *const *paths, size_t n, struct aclf_err *err)
{
	struct aclf_catalog *all, **parts;
	size_t nrows = 0, w = 0;
	int bad = 0;

	if (n == 0)
		return aclf_err_set(err, ACLF_E_INPUT, "catalog: no path given"), NULL;
	if (n == 1)
		return aclf_catalog_load(paths[0], err);
	parts = calloc(n, sizeof(*parts));
	all = calloc(1, sizeof(*all));
	if (!parts || !all) {
		free(parts);
		free(all);
		return aclf_err_nomem(err), NULL;
	}
	aclf_arena_init(&all->arena);
	all->parts = parts;
	for (size_t i = 0; i < n; i++) {
		if (!(parts[i] = aclf_catalog_load(paths[i], err)))
			goto fail;
		all->nparts++;
		nrows += parts[i]->nrows;
	}
	all->path = parts[0]->path;
	all->name = parts[0]->name;
	all->source = parts[0]->source;
	all->rows = aclf_arena_alloc(&all->arena, nrows * sizeof(*all->rows));
	if (!all->rows) {
		aclf_err_nomem(err);
		goto fail;
	}
	/* ids are unique across the files: provenance names a row by its id */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < parts[i]->nrows; k++) {
			const struct aclf_cat_row *r = &parts[i]->rows[k];
			const struct aclf_cat_row *o = aclf_catalog_find(all, r->id);
			if (o) {
				size_t at = (size_t)(o - all->rows), p = 0;
				while (at >= parts[p]->nrows) /* the file the first row is in */
					at -= parts[p++]->nrows;
				aclf_err_at(err, parts[i]->path, r->line, r->col,
					    "row '%s': id already used in catalog '%s' (line %u), expected ids "
					    "unique across the topology's catalogs",
					    r->id, parts[p]->path, o->line);
				bad = 1;
			}
			all->rows[w++] = *r;
			all->nrows = w;
		}
	}
	/* a row withdraws rows of the other files, which must exist */
	for (size_t i = 0; i < all->nrows; i++)
		for (size_t k = 0; k < all->rows[i].nwithdraws; k++)
			if (!aclf_catalog_find(all, all->rows[i].withdraws[k])) {
				aclf_err_at(err, all->path, all->rows[i].line, all->rows[i].col,
					    "row '%s': withdraws '%s', which no catalog of the topology has",
					    all->rows[i].id, all->rows[i].withdraws[k]);
				bad = 1;
			}
	if (!bad)
		return all;
fail:
	aclf_catalog_free(all);
	return NULL;
}
