/* A rule whose source is the union of several named groups keeps them as
 * parts (struct aclf_set_part): on every bundled example the parts' union
 * is exactly the rule's set, and the drivers that can say "any of these"
 * (Junos: several prefix-lists in one `from`; IOS: group-object) reference
 * the parts instead of writing the union out, while the text still parses
 * back to the compiled policy by meaning. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"

struct world {
	struct aclf_topology *t;
	struct aclf_catalog *c;
	struct aclf_policy *p;
};

static void load(struct world *w, const char *example)
{
	char path[4096];
	const char *src = getenv("ACLF_SRCDIR");
	struct aclf_err err;
	char *cpath;

	aclf_err_init(&err);
	snprintf(path, sizeof(path), "%s/inventory/examples/%s", src ? src : ".", example);
	w->t = aclf_topology_load(path, &err);
	if (!w->t)
		fail_msg("%s", aclf_err_text(&err));
	cpath = aclf_catalog_resolve(w->t->catalog, path);
	assert_non_null(cpath);
	w->c = aclf_catalog_load(cpath, &err);
	free(cpath);
	if (!w->c)
		fail_msg("%s", aclf_err_text(&err));
	w->p = aclf_compile(w->c, w->t, NULL, NULL, &err);
	if (!w->p)
		fail_msg("%s", aclf_err_text(&err));
	aclf_err_release(&err);
}

static void unload(struct world *w)
{
	aclf_policy_free(w->p);
	aclf_catalog_free(w->c);
	aclf_topology_free(w->t);
}

static const char *const examples[] = { "small.yaml", "two-site.yaml" };
#define NEXAMPLES (sizeof(examples) / sizeof(examples[0]))

/* The parts of every rule: two or more, named, and their union is the set. */
static void test_parts_are_the_union(void **state)
{
	size_t with_parts = 0;

	(void)state;
	for (size_t e = 0; e < NEXAMPLES; e++) {
		struct world w;
		load(&w, examples[e]);
		for (size_t d = 0; d < w.p->ndevices; d++) {
			const struct aclf_devpol *dp = &w.p->devices[d];
			for (size_t f = 0; f < dp->nfilters; f++) {
				for (size_t i = 0; i < dp->filters[f].nrules; i++) {
					const struct aclf_rule *r = &dp->filters[f].rules[i];
					const struct aclf_prefix_set **in;
					struct aclf_prefix_set u;
					if (!r->nsrc_parts)
						continue;
					assert_true(r->nsrc_parts >= 2);
					in = malloc(r->nsrc_parts * sizeof(*in));
					assert_non_null(in);
					for (size_t k = 0; k < r->nsrc_parts; k++) {
						assert_non_null(r->src_parts[k].name);
						assert_true(r->src_parts[k].set.n > 0);
						in[k] = &r->src_parts[k].set;
					}
					assert_int_equal(aclf_pset_union_n(NULL, in, r->nsrc_parts, &u), 0);
					if (!aclf_pset_equal(&u, &r->src))
						fail_msg("%s: %s: %s: %s: the parts' union is not the source",
							 examples[e], dp->name, dp->filters[f].name, r->id);
					free(u.v);
					free(in);
					with_parts++;
				}
			}
		}
		unload(&w);
	}
	/* the examples do join groups: the check above saw some */
	assert_true(with_parts >= 10);
}

/* Does text hold a line starting with start and containing needle? */
static bool has_line(const char *text, const char *start, const char *needle)
{
	for (const char *l = text; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		if (!strncmp(l, start, strlen(start)) && (!needle || memmem(l, n, needle, strlen(needle))))
			return true;
		l = e ? e + 1 : NULL;
	}
	return false;
}

/* The most source prefix-lists one Junos term references. */
static size_t most_plists_per_term(const char *text)
{
	size_t best = 0, run = 0;
	char last[256] = "";

	for (const char *l = text; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		const char *m = memmem(l, n, " from source-prefix-list ", 25);
		if (m && (size_t)(m - l) < sizeof(last)) {
			if (strlen(last) == (size_t)(m - l) && !strncmp(last, l, (size_t)(m - l))) {
				run++;
			} else {
				memcpy(last, l, (size_t)(m - l));
				last[m - l] = '\0';
				run = 1;
			}
			best = run > best ? run : best;
		}
		l = e ? e + 1 : NULL;
	}
	return best;
}

static void roundtrip(const struct aclf_devpol *dp, const struct aclf_device *dev, const char *ex)
{
	const struct aclf_driver *drv = aclf_driver_find(dp->driver);
	struct aclf_parse_opts po = { .name = dp->name, .label = "<rendered>", .device = dev };
	struct aclf_policy *live = aclf_policy_new();
	struct aclf_devpol *ldp = NULL;
	struct aclf_buf out = ACLF_BUF_INIT;
	struct aclf_diff d;
	struct aclf_err err;

	assert_non_null(drv);
	assert_non_null(live);
	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	aclf_diff_init(&d);
	if (aclf_driver_render(drv, dp, dev, &out, &err) < 0)
		fail_msg("%s: %s: render: %s", ex, dp->name, aclf_err_text(&err));
	if (!strcmp(dp->driver, "junos")) {
		/* parts are referenced: no list of a union, several lists per term */
		if (has_line(out.buf, "set policy-options prefix-list \"", "+"))
			fail_msg("%s: %s: a union was written out as a prefix-list", ex, dp->name);
		assert_true(most_plists_per_term(out.buf) >= 2);
	} else {
		assert_true(has_line(out.buf, " group-object ", NULL));
	}
	if (aclf_driver_parse(drv, out.buf, out.len, &po, live, &ldp, &err) < 0)
		fail_msg("%s: %s: parse: %s", ex, dp->name, aclf_err_text(&err));
	assert_int_equal(aclf_diff_devices(dp, ldp, &d, NULL, 5, &err), 0);
	if (d.n || d.nlb) {
		struct aclf_buf rep = ACLF_BUF_INIT;
		aclf_buf_init(&rep, 0);
		aclf_diff_print_text(&d, dp->name, &rep);
		fail_msg("%s: %s: render then parse differs:\n%s", ex, dp->name, rep.buf);
	}
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_buf_release(&out);
	aclf_policy_free(live);
}

/* Junos and IOS devices of every example that join groups: the rendered
 * text references the parts and reads back as the compiled policy. */
static void test_render_references_parts(void **state)
{
	size_t checked = 0;

	(void)state;
	for (size_t e = 0; e < NEXAMPLES; e++) {
		struct world w;
		load(&w, examples[e]);
		for (size_t d = 0; d < w.p->ndevices; d++) {
			const struct aclf_devpol *dp = &w.p->devices[d];
			bool parts = false;
			if (strcmp(dp->driver, "junos") && strcmp(dp->driver, "ios"))
				continue;
			for (size_t f = 0; f < dp->nfilters && !parts; f++)
				for (size_t i = 0; i < dp->filters[f].nrules && !parts; i++)
					parts = dp->filters[f].rules[i].nsrc_parts >= 2;
			if (!parts)
				continue;
			roundtrip(dp, aclf_topology_device(w.t, dp->name), examples[e]);
			checked++;
		}
		unload(&w);
	}
	assert_true(checked >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_are_the_union),
		cmocka_unit_test(test_render_references_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
