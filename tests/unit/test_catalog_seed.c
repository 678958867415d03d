/* The bundled catalog against the seed document itself: the four HTML tables
 * are extracted from tests/fixtures/seed/ and every catalog row's seed_role,
 * service, seed_ports, seed_protocol and note must equal the seed's cells
 * (whitespace normalized, non-breaking spaces as spaces, empty <p></p>
 * dropped, paragraphs joined by one space). Every seed row must have exactly
 * one catalog row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/err.h"

#define MAX_ROWS 64
#define MAX_CELLS 5

struct seed_table {
	size_t nrows;
	size_t ncells[MAX_ROWS];
	char *cell[MAX_ROWS][MAX_CELLS];
	bool used[MAX_ROWS];
};

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

static void add_space(struct aclf_buf *b)
{
	if (b->len && b->buf[b->len - 1] != ' ')
		aclf_buf_putc(b, ' ');
}

/* Append text with tags removed, entities decoded and whitespace (including
 * U+00A0) collapsed into single spaces. */
static void add_text(struct aclf_buf *b, const char *s, const char *end)
{
	static const struct {
		const char *ent, *rep;
	} ents[] = { { "&nbsp;", " " }, { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" } };

	while (s < end) {
		size_t i, n = 0;

		if (*s == '<') {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			s = gt ? gt + 1 : end;
			continue;
		}
		for (i = 0; *s == '&' && i < sizeof(ents) / sizeof(ents[0]); i++) {
			n = strlen(ents[i].ent);
			if ((size_t)(end - s) >= n && strncmp(s, ents[i].ent, n) == 0)
				break;
		}
		if (*s == '&' && i < sizeof(ents) / sizeof(ents[0])) {
			if (ents[i].rep[0] == ' ')
				add_space(b);
			else
				aclf_buf_puts(b, ents[i].rep);
			s += n;
		} else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			add_space(b);
			s++;
		} else if ((unsigned char)s[0] == 0xc2 && s + 1 < end && (unsigned char)s[1] == 0xa0) {
			add_space(b);
			s += 2;
		} else {
			aclf_buf_putc(b, *s++);
		}
	}
}

static char *trimmed(struct aclf_buf *b)
{
	while (b->len && b->buf[b->len - 1] == ' ')
		b->buf[--b->len] = '\0';
	return aclf_buf_detach(b, NULL);
}

/* Normalize a catalog field the same way (newlines between paragraphs are
 * whitespace too). */
static char *normalized(const char *s)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	add_text(&b, s, s + strlen(s));
	return trimmed(&b);
}

/* One <td>: its paragraphs, empty ones dropped, joined by a space; a cell
 * without <p> is taken whole. */
static char *cell_text(const char *s, const char *end)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	const char *p = s;

	aclf_buf_init(&b, 0);
	if (!strstr(s, "<p>") || strstr(s, "<p>") >= end) {
		add_text(&b, s, end);
		return trimmed(&b);
	}
	while ((p = strstr(p, "<p>")) && p < end) {
		const char *q = strstr(p, "</p>");
		assert_non_null(q);
		add_space(&b);
		add_text(&b, p + 3, q);
		p = q + 4;
	}
	return trimmed(&b);
}

/* Parse the tbody rows of the n-th <table> of the seed. */
static void parse_table(const char *doc, unsigned n, struct seed_table *t)
{
	const char *tab = doc, *body, *body_end, *tr;

	for (unsigned i = 0; i <= n; i++) {
		tab = strstr(i ? tab + 1 : tab, "<table>");
		assert_non_null(tab);
	}
	body = strstr(tab, "<tbody>");
	body_end = strstr(tab, "</tbody>");
	assert_non_null(body);
	assert_non_null(body_end);
	memset(t, 0, sizeof(*t));
	tr = body;
	while ((tr = strstr(tr, "<tr")) && tr < body_end) {
		const char *tr_end = strstr(tr, "</tr>"), *td = tr;
		assert_non_null(tr_end);
		assert_true(t->nrows < MAX_ROWS);
		while ((td = strstr(td, "<td")) && td < tr_end) {
			const char *open_end = strchr(td, '>'), *td_end = strstr(td, "</td>");
			assert_true(t->ncells[t->nrows] < MAX_CELLS);
			t->cell[t->nrows][t->ncells[t->nrows]++] = cell_text(open_end + 1, td_end);
			td = td_end + 5;
		}
		t->nrows++;
		tr = tr_end + 5;
	}
}

static void free_table(struct seed_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncells[r]; c++)
			free(t->cell[r][c]);
}

static unsigned check_field(const struct aclf_cat_row *r, const char *field, const char *got,
			    const char *want)
{
	char *g = normalized(got ? got : "");
	unsigned bad = strcmp(g, want) != 0;

	if (bad)
		print_error("%s %s:\n  catalog: '%s'\n  seed:    '%s'\n", r->id, field, g, want);
	free(g);
	return bad;
}

static void test_catalog_matches_seed(void **state)
{
	/* column layout per table: role, service, port, protocol, note (-1 = none) */
	static const int cols[4][5] = {
		{ 0, 1, 2, 3, 4 }, /* server */
		{ 0, -1, 1, 2, -1 }, /* hlb */
		{ 0, -1, 1, 2, -1 }, /* dns-lb */
		{ 0, -1, 1, 2, 3 }, /* client */
	};
	static const size_t want_rows[4] = { 52, 20, 7, 12 };
	struct seed_table *tabs = calloc(4, sizeof(*tabs));
	struct aclf_buf seed = ACLF_BUF_INIT;
	struct aclf_err err;
	struct aclf_catalog *c;
	char *seed_path = path_of("ACLF_FIXTURES", "tests/fixtures", "seed/000_25f323bab8fb98f4.txt");
	char *cat_path = path_of("ACLF_SRCDIR", ".", "inventory/catalogs/lync2013-internal.yaml");
	unsigned bad = 0;

	(void)state;
	assert_non_null(tabs);
	aclf_buf_init(&seed, 0);
	assert_int_equal(aclf_buf_read_file(&seed, seed_path), 0);
	for (unsigned i = 0; i < 4; i++) {
		parse_table(seed.buf, i, &tabs[i]);
		assert_int_equal(tabs[i].nrows, want_rows[i]);
	}
	/* spot checks of the extraction itself */
	assert_string_equal(tabs[0].cell[3][3], "HTTPS TCP");
	assert_string_equal(tabs[0].cell[39][1], "");
	assert_string_equal(tabs[0].cell[24][0],
			    "Front-End-Server, auf denen auch ein verbundener Vermittlungsserver ausgeführt wird");
	assert_string_equal(tabs[2].cell[5][0], "");
	assert_string_equal(tabs[3].cell[7][1], "1024-65535 *");

	aclf_err_init(&err);
	c = aclf_catalog_load(cat_path, &err);
	if (!c)
		print_error("%s\n", aclf_err_text(&err));
	assert_non_null(c);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct aclf_cat_row *r = &c->rows[i];
		struct seed_table *t = &tabs[r->table];
		const int *col = cols[r->table];
		char **cell;

		if (r->seed_row < 1 || r->seed_row > t->nrows) {
			print_error("%s: seed_row %u outside the seed table\n", r->id, r->seed_row);
			bad++;
			continue;
		}
		if (t->used[r->seed_row - 1]) {
			print_error("%s: seed row %u has two catalog rows\n", r->id, r->seed_row);
			bad++;
		}
		t->used[r->seed_row - 1] = true;
		cell = t->cell[r->seed_row - 1];
		bad += check_field(r, "seed_role", r->seed_role, cell[col[0]]);
		if (col[1] >= 0)
			bad += check_field(r, "service", r->service, cell[col[1]]);
		else
			bad += check_field(r, "service", r->service, "");
		bad += check_field(r, "seed_ports", r->seed_ports, cell[col[2]]);
		bad += check_field(r, "seed_protocol", r->seed_protocol, cell[col[3]]);
		if (col[4] >= 0)
			bad += check_field(r, "note", r->note, cell[col[4]]);
		else
			bad += check_field(r, "note", r->note, "");
		/* an empty seed row is exactly the catalog's empty row */
		if ((!*cell[col[0]] && !*cell[col[2]]) != r->empty) {
			print_error("%s: empty in the seed and the catalog differ\n", r->id);
			bad++;
		}
	}
	for (unsigned i = 0; i < 4; i++)
		for (size_t r = 0; r < tabs[i].nrows; r++)
			if (!tabs[i].used[r]) {
				print_error("seed table %s row %zu has no catalog row\n",
					    aclf_cat_table_name((enum aclf_cat_table)i), r + 1);
				bad++;
			}
	assert_int_equal(bad, 0);

	aclf_catalog_free(c);
	aclf_err_release(&err);
	for (unsigned i = 0; i < 4; i++)
		free_table(&tabs[i]);
	free(tabs);
	aclf_buf_release(&seed);
	free(seed_path);
	free(cat_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_matches_seed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
