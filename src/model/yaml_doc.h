/* Thin helpers over libyaml's document API for the loaders: lookups by key,
 * typed scalars, and errors at the node's file:line:col. Internal header. */
#ifndef ACLFORGE_YAML_DOC_H
#define ACLFORGE_YAML_DOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct aclf_err;

struct aclf_ydoc {
	yaml_document_t doc;
	const char *file;
	bool loaded;
};

/* Parse one YAML document. Syntax errors go to err as file:line:col; a
 * string holding a NUL character is an error; merge keys (`<<: *a`,
 * `<<: [*a, *b]`) are resolved, so no loader sees a `<<` key. */
int aclf_ydoc_load(struct aclf_ydoc *d, const char *data, size_t len, const char *file,
		   struct aclf_err *err);
void aclf_ydoc_release(struct aclf_ydoc *d);
yaml_node_t *aclf_ydoc_root(struct aclf_ydoc *d);
yaml_node_t *aclf_ydoc_node(struct aclf_ydoc *d, int index);

unsigned aclf_ynode_line(const yaml_node_t *n);
unsigned aclf_ynode_col(const yaml_node_t *n);
/* Report an error at node n (kind INPUT). Returns -1. */
int aclf_yerr(struct aclf_ydoc *d, const yaml_node_t *n, struct aclf_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int aclf_yverr(struct aclf_ydoc *d, const yaml_node_t *n, struct aclf_err *err, const char *fmt,
	       va_list ap) __attribute__((format(printf, 4, 0)));

/* Value of key in a mapping, or NULL. Key node returned in *key_out if non-NULL. */
yaml_node_t *aclf_ymap_get(struct aclf_ydoc *d, yaml_node_t *map, const char *key);
/* Reject keys not in the NULL-terminated allowed list and duplicated keys. */
int aclf_ymap_check_keys(struct aclf_ydoc *d, yaml_node_t *map, const char *const *allowed,
			 const char *what, struct aclf_err *err);

/* Typed expectations. Each returns 0 or -1 (error reported at the node). */
int aclf_yexpect(struct aclf_ydoc *d, yaml_node_t *n, yaml_node_type_t type, const char *what,
		 struct aclf_err *err);
/* NULL when n is not a scalar. Plain "~"/"null" scalars are returned as is. */
const char *aclf_yscalar(const yaml_node_t *n);
int aclf_ystr(struct aclf_ydoc *d, yaml_node_t *n, const char *what, const char **out,
	      struct aclf_err *err);
int aclf_yuint(struct aclf_ydoc *d, yaml_node_t *n, unsigned long min, unsigned long max,
	       const char *what, unsigned long *out, struct aclf_err *err);
int aclf_ybool(struct aclf_ydoc *d, yaml_node_t *n, const char *what, bool *out,
	       struct aclf_err *err);

size_t aclf_yseq_len(const yaml_node_t *seq);
yaml_node_t *aclf_yseq_at(struct aclf_ydoc *d, yaml_node_t *seq, size_t i);
size_t aclf_ymap_len(const yaml_node_t *map);
yaml_node_t *aclf_ymap_key_at(struct aclf_ydoc *d, yaml_node_t *map, size_t i);
yaml_node_t *aclf_ymap_value_at(struct aclf_ydoc *d, yaml_node_t *map, size_t i);

/* yaml_check.c, for aclf_ydoc_load: libyaml's parse error into err at its
 * file:line:col, reworded where libyaml's words mislead (tabs, keys over
 * 1024 characters, control characters); strings holding a NUL character
 * refused where the NUL is written. The check returns 0 or -1. */
void aclf_ydoc_syntax_error(const yaml_parser_t *p, const char *data, size_t len, const char *file,
			    struct aclf_err *err);
int aclf_ydoc_check_nul(struct aclf_ydoc *d, const char *data, size_t len, struct aclf_err *err);
/* yaml_merge.c, for aclf_ydoc_load: merge keys resolved in place. Returns
 * 0 or -1 with the errors in err. */
int aclf_ydoc_merge(struct aclf_ydoc *d, struct aclf_err *err);

#endif
