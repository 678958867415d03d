/* Model -> neutral rules, shared by junos_terms.c and junos_build.c. */
#ifndef ACLFORGE_DRIVERS_JUNOS_BUILD_H
#define ACLFORGE_DRIVERS_JUNOS_BUILD_H

#include "junos.h"

/* One neutral rule from a term (sets in the model's arena; id unset). */
struct junos_frule {
	struct aclf_rule rule;
	size_t term;                      /* index into the family filter's terms */
};

/* A family filter as rules plus its default action. */
struct junos_fconv {
	const struct junos_ffilter *f;
	struct junos_frule *v;
	size_t n, cap;
	enum aclf_action def;
	const struct junos_term *def_term; /* the catch-all last term, or NULL (implicit discard) */
};

int junos_convert_filter(struct junos_model *m, const struct junos_ffilter *f,
			 struct junos_fconv *c, struct aclf_err *err);

#endif
