/* The port catalog: every row of the seed's four tables, each traceable to
 * its row, with the oddities kept visible and resolved explicitly. */
#ifndef ACLFORGE_CATALOG_H
#define ACLFORGE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/arena.h"
#include "aclforge/portset.h"

struct aclf_err;

enum aclf_cat_table {
	ACLF_TABLE_SERVER, /* "server": required server ports by role (52 rows) */
	ACLF_TABLE_HLB,    /* "hlb": hardware load balancer, HLB-only pools (20) */
	ACLF_TABLE_DNSLB,  /* "dns-lb": hardware load balancer with DNS LB (7) */
	ACLF_TABLE_CLIENT, /* "client": required client ports (12) */
	ACLF_TABLE_EXTRA,  /* "extra": traffic a working deployment needs that the seed's
	                    * tables do not list, each row with the document requiring it */
};

/* Where an extra row's ports come from when the topology sets them. */
enum aclf_cat_port_setting {
	ACLF_PORTS_FIXED = 0,  /* the row's ports */
	ACLF_PORTS_RPC_DYNAMIC, /* the topology's rpc_dynamic_ports (Windows dynamic range) */
	ACLF_PORTS_SQL,        /* the topology's sql_port */
};

enum aclf_cat_direction {
	ACLF_CAT_INBOUND,  /* the port listens on the row's role; `from` sends to it */
	ACLF_CAT_OUTBOUND, /* the note says the row's role sends to `to` on this port */
};

/* protocol bits */
#define ACLF_CAT_TCP 1u
#define ACLF_CAT_UDP 2u

struct aclf_cat_peer {
	const char *source; /* a source/target class, see aclf_cat_peer_classes() */
	const char *why;    /* one-line reason */
};

struct aclf_cat_row {
	const char *id;          /* stable, e.g. "server-03" */
	enum aclf_cat_table table;
	unsigned seed_row;       /* 1-based row number in its table, empty rows counted */
	const char *role;        /* normalized role, see aclf_cat_roles() */
	const char *seed_role;   /* as written in the seed */
	const char *service;     /* as written in the seed (may be "") */
	struct aclf_port_set ports;
	const char *seed_ports;  /* as written, e.g. "1024-65535 *" */
	unsigned protocols;      /* ACLF_CAT_TCP | ACLF_CAT_UDP; 0 only for empty rows */
	const char *seed_protocol; /* as written */
	const char *app;         /* TLS, MTLS, HTTP, HTTPS, DCOM/RPC, PSOM, STUN/MSTURN, DHCP, or NULL */
	const char *note;        /* as written (German), may be "" */
	const char *note_en;     /* English note where the seed's is empty or misleading, may be NULL */
	enum aclf_cat_direction direction;
	struct aclf_cat_peer *from; /* who sends (inbound) */
	size_t nfrom;
	struct aclf_cat_peer *to;   /* who receives (outbound rows) */
	size_t nto;
	bool optional;           /* only when the topology asks (e.g. 5060) */
	bool empty;              /* the seed's empty row: kept, never compiled */
	const char *media;       /* client media kind narrowed by settings: audio, video, app_sharing, file_transfer */
	const char *duplicate_of; /* id of the row this one repeats */
	const char *oddity;      /* what is odd about the row and how it is resolved */
	/* table extra only */
	const char *document;    /* the document requiring the row: title, section, quote */
	const char *option;      /* compiled only when the topology's option is on, or NULL */
	enum aclf_cat_port_setting port_setting;
	struct aclf_port_set source_ports; /* the initiator's source ports (replies go there) */
	bool source_dynamic;     /* ... the topology's rpc_dynamic_ports (Windows dynamic range) */
	const char **withdraws;  /* ids of rows (of another catalog) this row corrects: those
	                          * are not compiled */
	size_t nwithdraws;
	unsigned line, col;      /* position in the catalog file */
};

struct aclf_catalog {
	struct aclf_arena arena;
	const char *path;
	const char *name;
	const char *source;      /* seed document reference */
	struct aclf_cat_row *rows;
	size_t nrows;
	struct aclf_catalog **parts; /* aclf_catalog_load_list: the files the rows live in */
	size_t nparts;
};

/* Load and validate a catalog file. Every error is reported as
 * file:line:col with what was expected (all errors collected in err).
 * Returns NULL on failure. */
struct aclf_catalog *aclf_catalog_load(const char *path, struct aclf_err *err);
/* Same, from memory (fuzzing, tests); `name` is used in messages. */
struct aclf_catalog *aclf_catalog_load_mem(const char *data, size_t len, const char *name,
					   struct aclf_err *err);
/* Several catalogs as one: the rows of each, in order (ids unique across
 * them), path and name of the first. Returns NULL with err set. */
struct aclf_catalog *aclf_catalog_load_list(const char *const *paths, size_t n, struct aclf_err *err);
void aclf_catalog_free(struct aclf_catalog *c);

const struct aclf_cat_row *aclf_catalog_find(const struct aclf_catalog *c, const char *id);
const char *aclf_cat_table_name(enum aclf_cat_table t);
int aclf_cat_table_parse(const char *s, enum aclf_cat_table *out);
/* NULL-terminated lists of the accepted role and peer class names. */
const char *const *aclf_cat_roles(void);
const char *const *aclf_cat_peer_classes(void);

/* Resolve a catalog argument: a path, or a bundled name such as
 * "lync2013-internal" looked up in ACLFORGE_CATALOG_DIR (env) then the
 * install/source catalog directory. Returns a heap string or NULL. */
char *aclf_catalog_resolve(const char *name_or_path, const char *relative_to);

#endif
