/* The port matrix: one row per sender class (catalog peer classes and
 * roles: who opens the connection), one column per receiver role and the
 * ports it listens on, one cell per pair some catalog row asks for. The
 * rules behind a cell are the compiled rules whose provenance names one of
 * the cell's catalog rows and whose sending side (the receiving side for a
 * return-path rule) holds objects of the cell's sender class. A rule whose
 * side names none of its row's classes (an address, a merged group) serves
 * every cell of that row: the cell is never shown better than such a rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/catalog.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "compile/compile_int.h"
#include "report/report_int.h"

void rpt_grid_init(struct rpt_grid *g)
{
	memset(g, 0, sizeof(*g));
	aclf_arena_init(&g->a);
}

void rpt_grid_release(struct rpt_grid *g)
{
	aclf_arena_release(&g->a);
	memset(g, 0, sizeof(*g));
}

/* "tcp 5061", "udp 3478-3479", "tcp+udp 80,443" */
static const char *ports_label(struct rpt_grid *g, const struct aclf_cat_row *row, unsigned *lo)
{
	const struct aclf_topology *t = g->topo;
	const char *proto = row->protocols == (ACLF_CAT_TCP | ACLF_CAT_UDP) ? "tcp+udp"
			    : row->protocols == ACLF_CAT_UDP			  ? "udp"
										  : "tcp";
	struct aclf_buf b = ACLF_BUF_INIT;
	const char *s = NULL;
	int rc;

	aclf_buf_init(&b, 0);
	*lo = 0;
	rc = aclf_buf_printf(&b, "%s ", proto);
	switch (row->port_setting) {
	case ACLF_PORTS_RPC_DYNAMIC:
		*lo = t->rpc_dynamic.lo;
		rc |= aclf_buf_printf(&b, "%u-%u (RPC dynamic)", t->rpc_dynamic.lo, t->rpc_dynamic.hi);
		break;
	case ACLF_PORTS_SQL:
		*lo = t->sql_port;
		rc |= aclf_buf_printf(&b, "%u (SQL)", t->sql_port);
		break;
	case ACLF_PORTS_FIXED:
		for (size_t i = 0; i < row->ports.n; i++) {
			const struct aclf_port_range *r = &row->ports.v[i];

			if (i == 0)
				*lo = r->lo;
			rc |= i ? aclf_buf_putc(&b, ',') : 0;
			rc |= r->lo == r->hi ? aclf_buf_printf(&b, "%u", r->lo)
					     : aclf_buf_printf(&b, "%u-%u", r->lo, r->hi);
		}
		if (!row->ports.n)
			rc |= aclf_buf_puts(&b, "any");
		break;
	}
	if (!rc)
		s = aclf_arena_strdup(&g->a, b.buf);
	aclf_buf_release(&b);
	return s;
}

static long find_sender(const struct rpt_grid *g, const char *s)
{
	for (size_t i = 0; i < g->nsenders; i++)
		if (!strcmp(g->senders[i], s))
			return (long)i;
	return -1;
}

static long find_col(const struct rpt_grid *g, const char *role, const char *ports)
{
	for (size_t i = 0; i < g->ncols; i++)
		if (!strcmp(g->cols[i].role, role) && !strcmp(g->cols[i].ports, ports))
			return (long)i;
	return -1;
}

static int add_sender(struct rpt_grid *g, const char *s)
{
	if (find_sender(g, s) >= 0)
		return 0;
	if (aclf_arena_grow(&g->a, (void **)&g->senders, g->nsenders, &g->senders_cap,
			    sizeof(*g->senders)) < 0)
		return -1;
	g->senders[g->nsenders++] = s;
	return 0;
}

static int add_col(struct rpt_grid *g, const char *role, const char *ports, unsigned lo)
{
	size_t order = g->ncols;

	if (find_col(g, role, ports) >= 0)
		return 0;
	for (size_t i = 0; i < g->ncols; i++)
		if (!strcmp(g->cols[i].role, role)) {
			order = g->cols[i].order;
			break;
		}
	if (aclf_arena_grow(&g->a, (void **)&g->cols, g->ncols, &g->cols_cap, sizeof(*g->cols)) < 0)
		return -1;
	g->cols[g->ncols++] = (struct rpt_col){ .role = role, .ports = ports, .order = order, .lo = lo };
	return 0;
}

static int col_cmp(const void *x, const void *y)
{
	const struct rpt_col *a = x, *b = y;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return strcmp(a->ports, b->ports);
}

/* Append x unless it is the last one: callers add in increasing order. */
static int add_idx(struct rpt_grid *g, size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n && (*v)[*n - 1] == x)
		return 0;
	if (aclf_arena_grow(&g->a, (void **)v, *n, cap, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = x;
	return 0;
}

static int add_cell(struct rpt_grid *g, size_t sender, size_t col, size_t row)
{
	struct rpt_cell *c = NULL;

	for (size_t i = 0; i < g->ncells && !c; i++)
		if (g->cells[i].sender == sender && g->cells[i].col == col)
			c = &g->cells[i];
	if (!c) {
		if (aclf_arena_grow(&g->a, (void **)&g->cells, g->ncells, &g->cells_cap, sizeof(*g->cells)) < 0)
			return -1;
		c = &g->cells[g->ncells++];
		c->sender = sender;
		c->col = col;
	}
	return add_idx(g, &c->rows, &c->nrows, &c->rows_cap, row);
}

/* The row's senders and receivers: inbound rows' role listens and `from`
 * sends; outbound rows' role sends to `to`. */
static void sides(const struct aclf_cat_row *row, size_t i, bool sender, const char **out)
{
	bool in = row->direction == ACLF_CAT_INBOUND;

	if (sender)
		*out = in ? row->from[i].source : row->role;
	else
		*out = in ? row->role : row->to[i].source;
}

static size_t nsides(const struct aclf_cat_row *row, bool sender)
{
	bool in = row->direction == ACLF_CAT_INBOUND;

	if (sender)
		return in ? row->nfrom : 1;
	return in ? 1 : row->nto;
}

static int pool_cmp(const void *x, const void *y)
{
	return strcmp((*(const struct aclf_pool *const *)x)->name, (*(const struct aclf_pool *const *)y)->name);
}

static int net_cmp(const void *x, const void *y)
{
	return strcmp((*(const struct aclf_network *const *)x)->name,
		      (*(const struct aclf_network *const *)y)->name);
}

static int sort_objects(struct rpt_grid *g)
{
	const struct aclf_topology *t = g->topo;

	g->pools = aclf_arena_alloc(&g->a, (t->npools ? t->npools : 1) * sizeof(*g->pools));
	g->nets = aclf_arena_alloc(&g->a, (t->nnetworks ? t->nnetworks : 1) * sizeof(*g->nets));
	if (!g->pools || !g->nets)
		return -1;
	for (size_t i = 0; i < t->npools; i++)
		g->pools[i] = &t->pools[i];
	for (size_t i = 0; i < t->nnetworks; i++)
		g->nets[i] = &t->networks[i];
	if (t->npools)
		qsort(g->pools, t->npools, sizeof(*g->pools), pool_cmp);
	if (t->nnetworks)
		qsort(g->nets, t->nnetworks, sizeof(*g->nets), net_cmp);
	return 0;
}

static const struct aclf_pool *find_pool(const struct rpt_grid *g, const char *name)
{
	struct aclf_pool key = { .name = name };
	const struct aclf_pool *k = &key, *const *p;

	p = bsearch(&k, g->pools, g->topo->npools, sizeof(*g->pools), pool_cmp);
	return p ? *p : NULL;
}

static const struct aclf_network *find_net(const struct rpt_grid *g, const char *name)
{
	struct aclf_network key = { .name = name };
	const struct aclf_network *k = &key, *const *p;

	p = bsearch(&k, g->nets, g->topo->nnetworks, sizeof(*g->nets), net_cmp);
	return p ? *p : NULL;
}

/* Does the topology object called comp (a network, a pool, a pool's
 * "-vip", or a class name itself) belong to class cls? */
static bool comp_in(const struct rpt_grid *g, const char *comp, size_t len, const char *cls)
{
	char name[256];
	const struct aclf_network *nw;
	const struct aclf_pool *p;

	if (len >= sizeof(name))
		return false;
	memcpy(name, comp, len);
	name[len] = '\0';
	if (!strcmp(name, cls))
		return true;
	if ((nw = find_net(g, name)))
		return nw->kind && !strcmp(nw->kind, cls);
	if (len > 4 && !strcmp(name + len - 4, "-vip"))
		name[len - 4] = '\0';
	if ((p = find_pool(g, name)))
		return cc_pool_has_role(p, cls);
	return false;
}

/* Does a side named `name` ("a+b+c", or NULL) hold objects of cls? */
static bool side_in(const struct rpt_grid *g, const char *name, const char *cls)
{
	while (name && *name) {
		const char *plus = strchr(name, '+');
		size_t len = plus ? (size_t)(plus - name) : strlen(name);

		if (comp_in(g, name, len, cls))
			return true;
		name = plus ? plus + 1 : NULL;
	}
	return false;
}

/* Does the rule serve the cell's sender (and receiver) of catalog row row? */
static bool serves(const struct rpt_grid *g, const struct rpt_rule *x, const struct aclf_cat_row *row,
		   const struct rpt_cell *c)
{
	const char *src, *dst;
	bool ret = false;

	if (!x->r)
		return true; /* a virtual server serves its rows' every client */
	for (size_t i = 0; i < x->r->nprov; i++)
		if (!strcmp(x->r->prov[i].kind, "return-path"))
			ret = true;
	src = ret ? x->r->dst_name : x->r->src_name;
	dst = ret ? x->r->src_name : x->r->dst_name;
	for (int k = 0; k < 2; k++) {
		bool sender = k == 0;
		const char *side = sender ? src : dst;
		const char *want = sender ? g->senders[c->sender] : g->cols[c->col].role;
		bool named_other = false;

		if (side_in(g, side, want))
			continue;
		for (size_t i = 0; i < nsides(row, sender); i++) {
			const char *cls;

			sides(row, i, sender, &cls);
			if (side_in(g, side, cls))
				named_other = true;
		}
		if (named_other)
			return false;
	}
	return true;
}

static const struct aclf_prov *provs(const struct rpt_rule *x, size_t *n)
{
	*n = x->r ? x->r->nprov : x->lb->nprov;
	return x->r ? x->r->prov : x->lb->prov;
}

/* Each catalog row's cells, so that a rule finds its cells at once. */
static int index_rows(struct rpt_grid *g)
{
	size_t nrows = g->cat->nrows ? g->cat->nrows : 1, *caps;

	g->row_cells = aclf_arena_alloc(&g->a, nrows * sizeof(*g->row_cells));
	g->nrow_cells = aclf_arena_alloc(&g->a, nrows * sizeof(*g->nrow_cells));
	caps = aclf_arena_alloc(&g->a, nrows * sizeof(*caps));
	if (!g->row_cells || !g->nrow_cells || !caps)
		return -1;
	for (size_t c = 0; c < g->ncells; c++)
		for (size_t r = 0; r < g->cells[c].nrows; r++) {
			size_t k = g->cells[c].rows[r];

			if (aclf_arena_grow(&g->a, (void **)&g->row_cells[k], g->nrow_cells[k], &caps[k],
					    sizeof(**g->row_cells)) < 0)
				return -1;
			g->row_cells[k][g->nrow_cells[k]++] = c;
		}
	return 0;
}

const size_t *rpt_cells_of_row(const struct rpt_grid *g, size_t k, size_t *n)
{
	*n = g->nrow_cells ? g->nrow_cells[k] : 0;
	return *n ? g->row_cells[k] : NULL;
}

static int place_rules(struct rpt_grid *g)
{
	if (index_rows(g) < 0)
		return -1;
	for (size_t i = 0; i < g->nrules; i++) {
		const struct rpt_rule *x = &g->rules[i];
		const struct aclf_prov *pv;
		size_t np;

		pv = provs(x, &np);
		for (size_t p = 0; p < np; p++) {
			const struct aclf_cat_row *row;
			size_t k;

			if (strcmp(pv[p].kind, "catalog") != 0 || !(row = aclf_catalog_find(g->cat, pv[p].ref)))
				continue;
			k = (size_t)(row - g->cat->rows);
			for (size_t c = 0; c < g->nrow_cells[k]; c++) {
				struct rpt_cell *cell = &g->cells[g->row_cells[k][c]];

				if (serves(g, x, row, cell) &&
				    add_idx(g, &cell->rules, &cell->nrules, &cell->rules_cap, i) < 0)
					return -1;
			}
		}
	}
	for (size_t c = 0; c < g->ncells; c++) {
		struct rpt_cell *cell = &g->cells[c];

		cell->st = RPT_NOT_ENFORCED;
		for (size_t r = 0; r < cell->nrules; r++)
			if (g->rules[cell->rules[r]].st < cell->st)
				cell->st = g->rules[cell->rules[r]].st;
	}
	return 0;
}

int rpt_grid_build(struct rpt_grid *g, struct aclf_err *err)
{
	const struct aclf_catalog *cat = g->cat;
	const char **labels = aclf_arena_alloc(&g->a, (cat->nrows ? cat->nrows : 1) * sizeof(*labels));

	if (!labels || sort_objects(g) < 0)
		return aclf_err_nomem(err);
	/* the axes first, then the columns in order, then the cells */
	for (size_t k = 0; k < cat->nrows; k++) {
		const struct aclf_cat_row *row = &cat->rows[k];
		unsigned lo;

		if (row->empty)
			continue;
		if (!(labels[k] = ports_label(g, row, &lo)))
			return aclf_err_nomem(err);
		for (size_t i = 0; i < nsides(row, true); i++) {
			const char *s;

			sides(row, i, true, &s);
			if (add_sender(g, s) < 0)
				return aclf_err_nomem(err);
		}
		for (size_t i = 0; i < nsides(row, false); i++) {
			const char *r;

			sides(row, i, false, &r);
			if (add_col(g, r, labels[k], lo) < 0)
				return aclf_err_nomem(err);
		}
	}
	if (g->ncols)
		qsort(g->cols, g->ncols, sizeof(*g->cols), col_cmp);
	for (size_t k = 0; k < cat->nrows; k++) {
		const struct aclf_cat_row *row = &cat->rows[k];

		if (row->empty)
			continue;
		for (size_t i = 0; i < nsides(row, true); i++)
			for (size_t j = 0; j < nsides(row, false); j++) {
				const char *s, *r;

				sides(row, i, true, &s);
				sides(row, j, false, &r);
				if (add_cell(g, (size_t)find_sender(g, s), (size_t)find_col(g, r, labels[k]), k) < 0)
					return aclf_err_nomem(err);
			}
	}
	return place_rules(g) < 0 ? aclf_err_nomem(err) : 0;
}
