/* Helpers shared by the tests/unit/test_ios_*.c binaries (header-only). */
#ifndef ACLFORGE_IOS_TEST_UTIL_H
#define ACLFORGE_IOS_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/portset.h"

/* path of tests/fixtures/ios/<name> */
static inline void ios_fixture_path(const char *name, char *out, size_t outlen)
{
	const char *dir = getenv("ACLF_FIXTURES");

	snprintf(out, outlen, "%s/ios/%s", dir ? dir : "tests/fixtures", name);
}

static inline char *ios_read_fixture(const char *name, size_t *len)
{
	char path[1024];
	struct aclf_buf b = ACLF_BUF_INIT;

	ios_fixture_path(name, path, sizeof(path));
	aclf_buf_init(&b, 0);
	if (aclf_buf_read_file(&b, path) < 0) {
		fprintf(stderr, "cannot read %s\n", path);
		aclf_buf_release(&b);
		return NULL;
	}
	return aclf_buf_detach(&b, len);
}

/* "10.0.0.0/8" -> prefix (test input is always valid) */
static inline struct aclf_prefix ios_pfx(const char *s)
{
	struct aclf_prefix p;

	assert_int_equal(aclf_prefix_parse(s, &p, false), 0);
	return p;
}

/* a merged set from a NULL-terminated list of prefix strings */
static inline struct aclf_prefix_set ios_set(struct aclf_policy *pol, ...)
{
	struct aclf_prefix v[32];
	struct aclf_prefix_set out = { NULL, 0 };
	size_t n = 0;
	const char *s;
	va_list ap;

	va_start(ap, pol);
	while ((s = va_arg(ap, const char *)) && n < 32)
		v[n++] = ios_pfx(s);
	va_end(ap);
	assert_int_equal(aclf_pset_merge(&pol->arena, v, n, &out), 0);
	return out;
}

/* a port set from lo,hi pairs ending with -1 */
static inline struct aclf_port_set ios_ports(struct aclf_policy *pol, ...)
{
	struct aclf_port_range v[32];
	struct aclf_port_set out = { NULL, 0 };
	size_t n = 0;
	int lo;
	va_list ap;

	va_start(ap, pol);
	while ((lo = va_arg(ap, int)) >= 0 && n < 32) {
		v[n].lo = (uint16_t)lo;
		v[n].hi = (uint16_t)va_arg(ap, int);
		n++;
	}
	va_end(ap);
	if (n)
		assert_int_equal(aclf_ports_merge(&pol->arena, v, n, &out), 0);
	return out;
}

static inline const struct aclf_filter *ios_filter(const struct aclf_devpol *dp, const char *name)
{
	for (size_t i = 0; i < dp->nfilters; i++)
		if (strcmp(dp->filters[i].name, name) == 0)
			return &dp->filters[i];
	return NULL;
}

static inline bool ios_set_is(const struct aclf_prefix_set *s, const char *pfx)
{
	struct aclf_prefix p = ios_pfx(pfx);

	return s->n == 1 && aclf_prefix_cmp(&s->v[0], &p) == 0;
}

#endif
