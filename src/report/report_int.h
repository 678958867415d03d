/* The audit page's model (report_rules.c, report_grid.c) and its writers
 * (report_html.c, report_html_dev.c). Everything the model allocates lives
 * in its arena; json_t pointers are borrowed from the report. */
#ifndef ACLFORGE_REPORT_INT_H
#define ACLFORGE_REPORT_INT_H

#include <stddef.h>

#include <jansson.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"

struct aclf_err;
struct aclf_topology;
struct aclf_catalog;
struct aclf_cat_row;
struct aclf_policy;
struct aclf_devpol;
struct aclf_filter;
struct aclf_rule;
struct aclf_lb_service;
struct aclf_pool;
struct aclf_network;

/* A rule's (and a cell's) state, worst first: a cell takes the smallest of
 * its rules'. */
enum rpt_state {
	RPT_MISSING,      /* the device does not carry it (or not all of it) */
	RPT_UNREAD,       /* its device could not be read */
	RPT_CANNOT_JUDGE, /* an opaque live entry decides part of it */
	RPT_NO_HITS,      /* in place, its counter is zero */
	RPT_IN_PLACE,     /* in place, counters absent */
	RPT_USED,         /* in place, its counter is not zero */
	RPT_NOT_AUDITED,  /* its device is not in this audit */
	RPT_NOT_ENFORCED, /* a cell no device's rule serves */
};
#define RPT_NSTATES (RPT_NOT_ENFORCED + 1)

const char *rpt_state_name(enum rpt_state s);  /* "missing", "in place, used", ... */
const char *rpt_state_class(enum rpt_state s); /* CSS class: "st-missing", ... */

/* One intended rule of one device (filter rule or lb service). */
struct rpt_rule {
	const struct aclf_devpol *dp;
	const struct aclf_filter *f;      /* NULL for an lb service */
	const struct aclf_rule *r;        /* NULL for an lb service */
	const struct aclf_lb_service *lb; /* NULL for a filter rule */
	const json_t *dev;                /* the report's device, NULL: not audited */
	const json_t *verdict;            /* the report's rules[] entry (an lb service: its lb_services[] one), or NULL */
	const json_t *packet;             /* an example packet of the drift list, or NULL */
	const char *why;                  /* the report's words on the state, or NULL */
	enum rpt_state st;
};

/* A receiver column: role and the ports it listens on. */
struct rpt_col {
	const char *role;
	const char *ports; /* "tcp 5061", "udp 3478-3479", "tcp+udp 443" */
	size_t order;      /* the role's first appearance in the catalog */
	unsigned lo;       /* first port, for sorting */
};

struct rpt_cell {
	size_t sender, col;
	size_t *rows; /* catalog row indexes */
	size_t nrows, rows_cap;
	size_t *rules; /* indexes of struct rpt_grid.rules */
	size_t nrules, rules_cap;
	enum rpt_state st;
};

struct rpt_grid {
	struct aclf_arena a;
	const struct aclf_topology *topo;
	const struct aclf_catalog *cat;
	const json_t *report;
	struct rpt_rule *rules;
	size_t nrules, rules_cap;
	const char **senders;
	size_t nsenders, senders_cap;
	struct rpt_col *cols;
	size_t ncols, cols_cap;
	struct rpt_cell *cells;
	size_t ncells, cells_cap;
	/* the topology's pools and networks sorted by name, for lookups */
	const struct aclf_pool **pools;
	const struct aclf_network **nets;
	/* per catalog row: the cells holding it */
	size_t **row_cells;
	size_t *nrow_cells;
};

void rpt_grid_init(struct rpt_grid *g);
void rpt_grid_release(struct rpt_grid *g);
/* Every intended rule of pol with its state from report (report_rules.c). */
int rpt_rules_collect(struct rpt_grid *g, const struct aclf_policy *pol, struct aclf_err *err);
/* The matrix of the catalog's rows, the rules placed in its cells
 * (report_grid.c). */
int rpt_grid_build(struct rpt_grid *g, struct aclf_err *err);
/* The cells of catalog row k (n of them). */
const size_t *rpt_cells_of_row(const struct rpt_grid *g, size_t k, size_t *n);
/* The report's device object named name, or NULL. */
const json_t *rpt_report_device(const json_t *report, const char *name);

/* HTML (report_html.c): text escaped for element content and attribute
 * values alike. Each returns 0 or -1 (out of memory). */
int rpt_esc(struct aclf_buf *b, const char *s);
int rpt_escf(struct aclf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A packet of the diff as "tcp 10.0.0.1:49152 -> 10.0.0.2:5061", escaped. */
int rpt_packet(struct aclf_buf *b, const json_t *p);
/* "core1/LYNC-SERVERS/r0005" or "lb1/lb/NAME", escaped. */
int rpt_rule_ref(struct aclf_buf *b, const struct rpt_rule *r);

/* Sections (report_html_dev.c). */
int rpt_html_devices(struct aclf_buf *b, const struct rpt_grid *g);
int rpt_html_catalog(struct aclf_buf *b, const struct rpt_grid *g);

#endif
