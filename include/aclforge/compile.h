/* The compiler: catalog x topology -> one neutral policy per device. */
#ifndef ACLFORGE_COMPILE_H
#define ACLFORGE_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/arena.h"
#include "aclforge/policy.h"

struct aclf_catalog;
struct aclf_topology;
struct aclf_policy;
struct aclf_err;
struct aclf_buf;

struct aclf_compile_opts {
	const char *only_device;   /* NULL: all devices */
};

/* A compile warning: a site rule that decides nothing (shadowed: earlier
 * rules already decide all its packets) or adds nothing (redundant: the
 * filter permits the same without it), with the rules involved; or a
 * pool's HTTPS web services balanced per connection because the topology
 * names no TLS profiles for its load balancer (per-connection). */
enum aclf_warning_kind {
	ACLF_WARN_SHADOWED,
	ACLF_WARN_REDUNDANT,
	ACLF_WARN_LB_PER_CONNECTION,
};

struct aclf_warning_rule {
	const char *id;            /* rule id in the filter; NULL for the default action */
	enum aclf_action action;
	const char *catalog;       /* its first catalog row, or NULL */
	const char *site_rule;     /* or the site rule it comes from, or NULL */
	bool is_default;           /* the filter's default action, not a rule */
};

struct aclf_warning {
	enum aclf_warning_kind kind;
	const char *file;          /* the topology; line:col of the site rule, or of the
	                            * pool (per-connection), 1-based */
	unsigned line, col;
	const char *site_rule;     /* its index (1-based) as text */
	enum aclf_action action;
	const char *from, *to;     /* as written */
	const char *device, *filter;
	struct aclf_warning_rule *rules; /* what decides the site rule's packets when it is left
	                                  * out, found by meaning: the earlier rules (shadowed),
	                                  * or the earlier and later rules and the default action
	                                  * (redundant); never empty */
	size_t nrules;
	/* per-connection: the pool, and its HTTPS web services as "a, b, c"
	 * (device: the load balancer) */
	const char *pool;
	const char *services;
};

/* Warnings own their strings (an arena of their own), so they outlive the
 * policy. */
struct aclf_warnings {
	struct aclf_arena arena;
	struct aclf_warning *v;
	size_t n, cap;
};

void aclf_warnings_init(struct aclf_warnings *w);
void aclf_warnings_release(struct aclf_warnings *w);
/* One line per warning: "FILE:LINE:COL: warning: site rule N (permit A -> B)
 * on DEVICE filter F is redundant with r0003 permit (catalog server-03), ...,
 * the default action deny". Returns 0 or -1 when out of memory. */
int aclf_warnings_text(const struct aclf_warnings *w, struct aclf_buf *out);

/* Everything compiled from one topology file: the topology, its catalog
 * (a bundled name or a path, resolved relative to the topology), the
 * policy and the warnings. */
struct aclf_compiled {
	struct aclf_topology *topo;
	struct aclf_catalog *cat;
	struct aclf_policy *pol;
	struct aclf_warnings warnings;
};

/* Load (topo_path "-": standard input), resolve the catalog, compile.
 * With load_only, stops after loading (pol NULL). On failure returns -1
 * with err set, out holding only the warnings found before the failure;
 * either way the caller releases out. */
int aclf_compile_file(const char *topo_path, const struct aclf_compile_opts *opts, bool load_only,
		      struct aclf_compiled *out, struct aclf_err *err);
void aclf_compiled_release(struct aclf_compiled *c);

/* Warnings are added to warnings (may be NULL). Returns the policy or NULL
 * with err set. */
struct aclf_policy *aclf_compile(const struct aclf_catalog *cat, const struct aclf_topology *topo,
				 const struct aclf_compile_opts *opts, struct aclf_warnings *warnings,
				 struct aclf_err *err);

#endif

#ifndef ACLFORGE_COMPILE_PROTECTED
#define ACLFORGE_COMPILE_PROTECTED
struct aclf_arena;
struct aclf_prefix_set;
struct aclf_device;
/* The addresses protects entry `idx` of `dev` guards (its pools' servers and
 * VIPs, servers, networks). Filter idx of the compiled device policy is the
 * one built for that entry. Returns 0 or -1. */
int aclf_compile_protected(const struct aclf_topology *topo, const struct aclf_device *dev,
			   size_t idx, struct aclf_arena *a, struct aclf_prefix_set *out,
			   struct aclf_err *err);
#endif
