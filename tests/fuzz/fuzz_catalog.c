/* libFuzzer target for the catalog loader (aclf_catalog_load_mem). A rejected
 * input always says why, each error on a line of its own naming the input; an
 * accepted catalog holds only validated rows whose strings live in its arena
 * (read here after the YAML document is gone, so ASan sees any dangling one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
	if (!s)
		abort();
	return strlen(s);
}

static void check_row(const struct aclf_catalog *c, const struct aclf_cat_row *r)
{
	size_t n = touch(r->id) + touch(r->role) + touch(r->seed_role) + touch(r->service) +
		   touch(r->seed_ports) + touch(r->seed_protocol) + touch(r->note);

	if (r->note_en)
		n += touch(r->note_en);
	if (r->oddity)
		n += touch(r->oddity);
	if (r->seed_row == 0 || r->line == 0 || aclf_catalog_find(c, r->id) == NULL)
		abort();
	if (r->duplicate_of) {
		const struct aclf_cat_row *t = aclf_catalog_find(c, r->duplicate_of);
		if (!t || t == r || t->table != r->table)
			abort();
	}
	if (r->empty) {
		if (r->ports.n || r->protocols || r->nfrom || r->nto || strcmp(r->role, "none"))
			abort();
		return;
	}
	if (!r->ports.n || !r->protocols || (r->protocols & ~(ACLF_CAT_TCP | ACLF_CAT_UDP)))
		abort();
	for (size_t i = 0; i < r->ports.n; i++)
		if (r->ports.v[i].lo == 0 || r->ports.v[i].lo > r->ports.v[i].hi ||
		    (i && r->ports.v[i].lo <= r->ports.v[i - 1].hi))
			abort();
	if ((r->direction == ACLF_CAT_INBOUND) != (r->nfrom > 0 && r->nto == 0) ||
	    (r->direction == ACLF_CAT_OUTBOUND) != (r->nto > 0 && r->nfrom == 0))
		abort();
	for (size_t i = 0; i < r->nfrom; i++)
		n += touch(r->from[i].source) + touch(r->from[i].why);
	for (size_t i = 0; i < r->nto; i++)
		n += touch(r->to[i].source) + touch(r->to[i].why);
	if (r->app)
		n += touch(r->app);
	if (r->media && r->table != ACLF_TABLE_CLIENT)
		abort();
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_err err;
	struct aclf_catalog *c;

	aclf_err_init(&err);
	c = aclf_catalog_load_mem((const char *)data, size, "fuzz.yaml", &err);
	if (!c) {
		const char *t = aclf_err_text(&err);
		if (err.count == 0 || err.msg.len == 0 || err.kind == ACLF_E_NONE)
			abort();
		/* every collected error line names the input */
		for (const char *l = t; l && err.kind == ACLF_E_INPUT;) {
			if (strncmp(l, "fuzz.yaml:", 10) != 0)
				abort();
			l = strchr(l, '\n');
			if (l)
				l++;
		}
	} else {
		if (err.count != 0 || !c->nrows || touch(c->name) == 0 || !c->source)
			abort();
		for (size_t i = 0; i < c->nrows; i++)
			check_row(c, &c->rows[i]);
	}
	aclf_catalog_free(c);
	aclf_err_release(&err);
	return 0;
}
