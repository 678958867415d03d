/* The policy as JSON (jansson), the format `compile`, `parse` and `diff`
 * share; documented in README.md. */
#ifndef ACLFORGE_POLICY_JSON_H
#define ACLFORGE_POLICY_JSON_H

#include <stddef.h>

struct aclf_policy;
struct aclf_devpol;
struct aclf_buf;
struct aclf_err;

/* Serialize: {"devices": [...]}; keys in a fixed order; output ends with a newline. */
int aclf_policy_to_json(const struct aclf_policy *p, struct aclf_buf *out, struct aclf_err *err);
/* Parse the same JSON back (one or more devices) into a new policy. */
struct aclf_policy *aclf_policy_from_json(const char *text, size_t len, const char *name,
					  struct aclf_err *err);
/* Human-readable text form of the policy. */
int aclf_policy_to_text(const struct aclf_policy *p, struct aclf_buf *out);

#endif
