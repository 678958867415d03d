/* Helpers shared by the plan tests (test_<kind>_plan.c): render and plan
 * through the core, text helpers. Each test names its driver once. */
#ifndef ACLF_PLAN_TESTUTIL_H
#define ACLF_PLAN_TESTUTIL_H

#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

static inline char *pt_render_text(const struct aclf_driver *drv, const struct aclf_devpol *dp)
{
	struct aclf_buf out;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	if (aclf_driver_render(drv, dp, NULL, &out, &err) < 0)
		fail_msg("render: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return aclf_buf_detach(&out, NULL);
}

/* plan twice (the same bytes) and return it */
static inline char *pt_plan_text(const struct aclf_driver *drv, const struct aclf_devpol *want,
				 const struct aclf_devpol *live, const struct aclf_device *dev)
{
	struct aclf_buf a, b;
	struct aclf_err err;

	aclf_buf_init(&a, 0);
	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	if (aclf_driver_plan(drv, want, live, dev, &a, &err) < 0)
		fail_msg("plan: %s", aclf_err_text(&err));
	assert_int_equal(aclf_driver_plan(drv, want, live, dev, &b, &err), 0);
	assert_string_equal(a.buf, b.buf);
	aclf_buf_release(&b);
	aclf_err_release(&err);
	return aclf_buf_detach(&a, NULL);
}

static inline char *concat(const char *a, const char *b)
{
	char *s = NULL;

	assert_true(asprintf(&s, "%s%s", a, b) > 0);
	return s;
}

static inline size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

#endif
