/* The compiler: catalog x topology -> one neutral policy per device. */
#ifndef ACLFORGE_COMPILE_H
#define ACLFORGE_COMPILE_H

#include <stddef.h>

struct aclf_catalog;
struct aclf_topology;
struct aclf_policy;
struct aclf_err;
struct aclf_buf;

struct aclf_compile_opts {
	const char *only_device;   /* NULL: all devices */
};

/* Warnings (shadowed or redundant site rules, unused catalog rows ...) are
 * appended to warnings, one per line, each naming both rules/objects.
 * Returns the policy or NULL with err set. */
struct aclf_policy *aclf_compile(const struct aclf_catalog *cat, const struct aclf_topology *topo,
				 const struct aclf_compile_opts *opts, struct aclf_buf *warnings,
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
