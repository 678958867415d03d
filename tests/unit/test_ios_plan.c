/* IOS plan: versioned names swapped onto the interfaces. Checked with the
 * driver's own parser, which reads the `no` lines a plan writes as IOS
 * does (deletions, in order): the live text followed by the plan means the
 * intended policy (semantic diff: no item), the plan writes the version the
 * device does not use and the next plan the other one, leftovers of the new
 * version's names are deleted before they are written (IOS would append to
 * them), the exact removal lines come after the swap, and lists, groups and
 * bindings that are not aclforge's are never named and keep their meaning. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/topology.h"
#include "drivers.h"
#include "ios/ios.h"
#include "ios_test_policy.h"
#include "plan_testutil.h"

#define render_text(dp) pt_render_text(&aclf_driver_ios, (dp))
#define plan_text(w, l, d) pt_plan_text(&aclf_driver_ios, (w), (l), (d))

/* ---- helpers ---------------------------------------------------------------- */

static struct aclf_devpol *parse_text(struct aclf_policy *pol, const char *text)
{
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;

	aclf_err_init(&err);
	if (aclf_driver_parse(&aclf_driver_ios, text, strlen(text),
			      &(struct aclf_parse_opts){ .name = "core1" }, pol, &dp, &err) < 0)
		fail_msg("parse: %s", aclf_err_text(&err));
	aclf_err_release(&err);
	return dp;
}

static const char *must_find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (!p)
		fail_msg("'%s' not in:\n%s", needle, hay);
	return p;
}

static bool foreign_name(const char *name)
{
	return !strcmp(name, "MGMT") || !strcmp(name, "SCRATCH") || !strcmp(name, "SHARED");
}

/* dp without the filters that are not aclforge's (buf holds the copy) */
static struct aclf_devpol without_foreign(const struct aclf_devpol *dp, struct aclf_filter **buf)
{
	struct aclf_devpol v = *dp;

	*buf = calloc(dp->nfilters + 1, sizeof(**buf));
	v.filters = *buf;
	v.nfilters = 0;
	for (size_t i = 0; i < dp->nfilters; i++)
		if (!foreign_name(dp->filters[i].name))
			(*buf)[v.nfilters++] = dp->filters[i];
	return v;
}

static void assert_same_meaning(const struct aclf_devpol *want, const struct aclf_devpol *got)
{
	struct aclf_filter *buf;
	struct aclf_devpol mine = without_foreign(got, &buf);
	struct aclf_diff d;
	struct aclf_err err;

	aclf_diff_init(&d);
	aclf_err_init(&err);
	if (aclf_diff_devices(want, &mine, &d, NULL, 0, &err) < 0)
		fail_msg("diff: %s", aclf_err_text(&err));
	if (d.n + d.nlb) {
		const struct aclf_diff_item *it = &d.items[0];
		fail_msg("%zu differences; first: filter %s / %s, proto %d, dport %u, permitted by %s",
			 d.n + d.nlb, it->filter_a ? it->filter_a : "(none)",
			 it->filter_b ? it->filter_b : "(none)", it->protocol, it->dst_port,
			 it->permitted_by_a ? "intended" : "device");
	}
	aclf_diff_release(&d);
	aclf_err_release(&err);
	free(buf);
}

static const struct aclf_filter *at(const struct aclf_devpol *dp, const char *iface,
				    enum aclf_direction dir)
{
	for (size_t i = 0; i < dp->nfilters; i++) {
		const struct aclf_filter *f = &dp->filters[i];
		if (f->binding.kind == ACLF_BIND_INTERFACE && !strcmp(f->binding.name, iface) &&
		    f->binding.direction == dir)
			return f;
	}
	return NULL;
}

/* The foreign filters of after mean what they meant in before. */
static void assert_foreign_kept(const struct aclf_devpol *before, const struct aclf_devpol *after)
{
	size_t n = 0;

	for (size_t i = 0; i < before->nfilters; i++) {
		const struct aclf_filter *a = &before->filters[i], *b = NULL;
		struct aclf_diff d;
		struct aclf_err err;
		if (!foreign_name(a->name))
			continue;
		for (size_t j = 0; j < after->nfilters && !b; j++) {
			const struct aclf_filter *x = &after->filters[j];
			if (!strcmp(x->name, a->name) && x->binding.kind == a->binding.kind &&
			    (a->binding.kind == ACLF_BIND_NONE ||
			     (!strcmp(x->binding.name, a->binding.name) &&
			      x->binding.direction == a->binding.direction)))
				b = x;
		}
		/* SHARED at Vlan160 in gives way to the intended NEW-160 */
		if (!b && !strcmp(a->name, "SHARED") && !strcmp(a->binding.name, "Vlan160"))
			continue;
		if (!b)
			fail_msg("foreign filter %s (%s) is gone", a->name,
				 a->binding.name ? a->binding.name : "unbound");
		aclf_diff_init(&d);
		aclf_err_init(&err);
		assert_int_equal(aclf_diff_filters(a, b, &d, 0, &err), 0);
		assert_int_equal(d.n, 0);
		aclf_diff_release(&d);
		aclf_err_release(&err);
		n++;
	}
	assert_int_equal(n, 3); /* MGMT, SHARED at Vlan998, SCRATCH */
}

/* ---- policies ------------------------------------------------------------- */

static struct aclf_filter *bound(struct aclf_policy *pol, struct aclf_devpol *dp, const char *name,
				 const char *iface, enum aclf_direction dir)
{
	struct aclf_filter *f = aclf_devpol_add_filter(pol, dp, name);

	assert_non_null(f);
	f->binding.kind = ACLF_BIND_INTERFACE;
	f->binding.name = iface;
	f->binding.direction = dir;
	f->default_action = ACLF_DENY;
	return f;
}

/* Before: the Lync front-end VLAN (ACLF-VLAN110-IN/OUT, object-groups
 * clients_phones, fe-berlin, SVC-UDP-1), LYNC-EDGE on Vlan140 in and
 * OLD-150 on Vlan150 out. */
static struct aclf_devpol *old_policy(struct aclf_policy *pol)
{
	struct aclf_devpol *dp = ios_lync_device(pol);
	struct aclf_filter *f;
	struct aclf_rule *r;

	f = bound(pol, dp, "LYNC-EDGE", "Vlan140", ACLF_DIR_IN);
	r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r->dst = ios_set(pol, "10.1.4.10/32", "2001:db8:4::10/128", NULL);
	r->dst_ports = ios_ports(pol, 443, 443, -1);
	f = bound(pol, dp, "OLD-150", "Vlan150", ACLF_DIR_OUT);
	r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_UDP);
	r->src = ios_set(pol, "10.20.0.0/16", NULL);
	r->dst = ios_set(pol, "10.1.5.0/24", "10.1.6.0/24", NULL);
	r->dst_name = "media";
	r->dst_ports = ios_ports(pol, 3478, 3478, -1);
	return &pol->devices[pol->ndevices - 1];
}

/* After: fe-berlin has other members (the same group name with other
 * contents), LYNC-EDGE moved to Vlan141, nothing on Vlan150 (the topology
 * still protects it), NEW-160 on Vlan160. extra adds a rule to
 * ACLF-VLAN110-OUT (for a second plan). */
static struct aclf_devpol *new_policy(struct aclf_policy *pol, bool extra)
{
	struct aclf_devpol *dp = ios_lync_device(pol);
	struct aclf_filter *f = &dp->filters[0];
	struct aclf_rule *r;

	for (size_t i = 0; i < f->nrules; i++)
		if (f->rules[i].dst_name && !strcmp(f->rules[i].dst_name, "fe-berlin"))
			f->rules[i].dst = ios_set(pol, "10.1.1.11/32", "10.1.1.14/32",
						  "2001:db8:1::11/128", NULL);
	if (extra) {
		r = ios_rule(pol, &dp->filters[1], "r0002", ACLF_DENY, ACLF_PROTO_UDP);
		r->src = ios_set(pol, "10.67.0.0/16", NULL);
		r->dst = ios_set(pol, "0.0.0.0/0", NULL);
	}
	f = bound(pol, dp, "LYNC-EDGE", "Vlan141", ACLF_DIR_IN);
	r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "0.0.0.0/0", "::/0", NULL);
	r->dst = ios_set(pol, "10.1.4.10/32", "2001:db8:4::10/128", NULL);
	r->dst_ports = ios_ports(pol, 443, 443, -1);
	f = bound(pol, dp, "NEW-160", "Vlan160", ACLF_DIR_IN);
	r = ios_rule(pol, f, "r0001", ACLF_PERMIT, ACLF_PROTO_TCP);
	r->src = ios_set(pol, "10.20.0.0/16", "10.30.0.0/22", NULL);
	r->src_name = "clients+phones";
	r->dst = ios_set(pol, "10.1.6.0/24", NULL);
	r->dst_ports = ios_ports(pol, 5061, 5061, -1);
	return &pol->devices[pol->ndevices - 1];
}

static struct aclf_protect protects[] = {
	{ .interface = "Vlan110", .direction = ACLF_DIR_IN },
	{ .interface = "Vlan110", .direction = ACLF_DIR_OUT },
	{ .interface = "Vlan141", .direction = ACLF_DIR_IN },
	{ .interface = "Vlan150", .direction = ACLF_DIR_OUT },
	{ .interface = "Vlan160", .direction = ACLF_DIR_IN },
};

static const struct aclf_device core1 = {
	.name = "core1",
	.driver = "ios",
	.protects = protects,
	.nprotects = sizeof(protects) / sizeof(protects[0]),
};

/* Not aclforge's: MGMT on Vlan999 with its own group, an unused SCRATCH,
 * SHARED on Vlan998 and on Vlan160 (which the intended NEW-160 takes). */
static const char foreign[] =
	"object-group network mgmt-hosts\n"
	" host 192.0.2.10\n"
	" host 192.0.2.11\n"
	"!\n"
	"ip access-list extended MGMT\n"
	" permit tcp object-group mgmt-hosts any eq 22\n"
	" deny ip any any\n"
	"!\n"
	"ip access-list extended SCRATCH\n"
	" permit ip any any\n"
	"!\n"
	"ip access-list extended SHARED\n"
	" permit udp any any eq 53\n"
	"!\n"
	"interface Vlan999\n"
	" ip access-group MGMT in\n"
	"!\n"
	"interface Vlan998\n"
	" ip access-group SHARED in\n"
	"!\n"
	"interface Vlan160\n"
	" ip access-group SHARED in\n"
	"!\n";

/* ---- tests ------------------------------------------------------------------ */

static void test_first_push(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(pol, false);
	char *plan = plan_text(want, NULL, &core1), *rendered = render_text(want);

	(void)state;
	assert_non_null(aclf_driver_ios.ops->plan);
	assert_string_equal(plan, rendered); /* version A: render's own names */
	assert_same_meaning(want, parse_text(got, plan));
	free(plan);
	free(rendered);
	aclf_policy_free(pol);
	aclf_policy_free(got);
}

static void assert_no_foreign(const char *plan)
{
	static const char *const names[] = { "MGMT", "SCRATCH", "SHARED", "mgmt-hosts",
					     "Vlan999", "Vlan998", NULL };

	for (size_t i = 0; names[i]; i++)
		if (strstr(plan, names[i]))
			fail_msg("the plan names %s:\n%s", names[i], plan);
}

/* old -> new -> new2 -> new: each plan writes the other version, the
 * device means what was intended after each, foreign objects stay. */
static void test_versions(void **state)
{
	struct aclf_policy *opol = aclf_policy_new(), *npol = aclf_policy_new(),
			   *n2pol = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *old = old_policy(opol), *want = new_policy(npol, false),
			   *want2 = new_policy(n2pol, true), *before, *after;
	char *oldtext = render_text(old), *text = concat(oldtext, foreign), *plan, *t1, *t2, *t3;
	const char *swap, *gone;

	(void)state;
	before = parse_text(got, text);
	assert_string_equal(at(before, "Vlan110", ACLF_DIR_IN)->name, "ACLF-VLAN110-IN");

	/* 1: the device runs version A, the plan writes B */
	plan = plan_text(want, before, &core1);
	assert_no_foreign(plan);
	must_find(plan, "object-group network fe-berlin.B\n");
	must_find(plan, "object-group network clients_phones.B\n");
	must_find(plan, "object-group service SVC-UDP-1.B\n");
	must_find(plan, "ip access-list extended ACLF-VLAN110-IN.B\n");
	must_find(plan, "ipv6 access-list ACLF-VLAN110-IN.B-V6\n");
	swap = must_find(plan, "interface Vlan110\n"
			       " ip access-group ACLF-VLAN110-IN.B in\n"
			       " ipv6 traffic-filter ACLF-VLAN110-IN.B-V6 in\n"
			       " ip access-group ACLF-VLAN110-OUT.B out\n"
			       " ipv6 traffic-filter ACLF-VLAN110-OUT.B-V6 out\n!\n");
	must_find(plan, "interface Vlan160\n ip access-group NEW-160.B in\n");
	/* the removals close the plan, after every swap, in this order */
	gone = must_find(plan, "interface Vlan140\n"
			       " no ip access-group LYNC-EDGE in\n"
			       " no ipv6 traffic-filter LYNC-EDGE-V6 in\n"
			       "!\n"
			       "interface Vlan150\n"
			       " no ip access-group OLD-150 out\n"
			       " no ipv6 traffic-filter OLD-150-V6 out\n"
			       "!\n"
			       "no ip access-list extended ACLF-VLAN110-IN\n"
			       "no ip access-list extended ACLF-VLAN110-OUT\n"
			       "no ip access-list extended LYNC-EDGE\n"
			       "no ip access-list extended OLD-150\n"
			       "no ipv6 access-list ACLF-VLAN110-IN-V6\n"
			       "no ipv6 access-list ACLF-VLAN110-OUT-V6\n"
			       "no ipv6 access-list LYNC-EDGE-V6\n"
			       "no ipv6 access-list OLD-150-V6\n"
			       "no object-group network clients_phones\n"
			       "no object-group network fe-berlin\n"
			       "no object-group service SVC-UDP-1\n"
			       "no object-group service SVC-UDP-2\n"
			       "no object-group network media\n");
	assert_string_equal(gone + strlen(gone) - strlen("media\n"), "media\n"); /* the end */
	assert_true(swap < gone);
	t1 = concat(text, plan);
	after = parse_text(got, t1);
	assert_same_meaning(want, after);
	assert_foreign_kept(before, after);
	assert_string_equal(at(after, "Vlan110", ACLF_DIR_IN)->name, "ACLF-VLAN110-IN.B");
	assert_null(at(after, "Vlan150", ACLF_DIR_OUT));
	assert_null(at(after, "Vlan140", ACLF_DIR_IN));
	free(plan);

	/* 2: B runs, the plan writes A again and removes B, groups included */
	plan = plan_text(want2, after, &core1);
	assert_no_foreign(plan);
	assert_null(strstr(plan, "ip access-group ACLF-VLAN110-IN.B in"));
	must_find(plan, " ip access-group ACLF-VLAN110-IN in\n");
	must_find(plan, "object-group network fe-berlin\n");
	must_find(plan, "no ip access-list extended ACLF-VLAN110-IN.B\n");
	must_find(plan, "no ipv6 access-list NEW-160.B-V6\n");
	must_find(plan, "no object-group network fe-berlin.B\n");
	must_find(plan, "no object-group service SVC-UDP-1.B\n");
	assert_null(strstr(plan, "interface Vlan150")); /* nothing bound there now */
	t2 = concat(t1, plan);
	after = parse_text(got, t2);
	assert_same_meaning(want2, after);
	assert_foreign_kept(before, after);
	assert_string_equal(at(after, "Vlan110", ACLF_DIR_OUT)->name, "ACLF-VLAN110-OUT");
	free(plan);

	/* 3: and B once more */
	plan = plan_text(want, after, &core1);
	must_find(plan, " ip access-group ACLF-VLAN110-OUT.B out\n");
	must_find(plan, "no ip access-list extended ACLF-VLAN110-OUT\n");
	t3 = concat(t2, plan);
	after = parse_text(got, t3);
	assert_same_meaning(want, after);
	assert_foreign_kept(before, after);
	assert_int_equal(count(plan, "no object-group network mgmt-hosts"), 0);
	free(plan);
	free(t1);
	free(t2);
	free(t3);
	free(text);
	free(oldtext);
	aclf_policy_free(opol);
	aclf_policy_free(npol);
	aclf_policy_free(n2pol);
	aclf_policy_free(got);
}

/* A failed apply left the new version's list and group behind: they are
 * deleted before they are written (IOS appends to an existing list). */
static void test_leftovers(void **state)
{
	static const char stale[] = "object-group network fe-berlin.B\n"
				    " host 10.9.9.9\n"
				    "!\n"
				    "ip access-list extended ACLF-VLAN110-IN.B\n"
				    " permit ip any object-group fe-berlin.B\n"
				    "!\n";
	struct aclf_policy *opol = aclf_policy_new(), *npol = aclf_policy_new(),
			   *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(npol, false);
	char *oldtext = render_text(old_policy(opol)), *text = concat(oldtext, stale), *plan, *all;
	const char *header = "! aclforge: ios configuration for device core1\n!\n";

	(void)state;
	plan = plan_text(want, parse_text(got, text), &core1);
	assert_int_equal(strncmp(plan, header, strlen(header)), 0);
	assert_int_equal(strncmp(plan + strlen(header),
				 "no ip access-list extended ACLF-VLAN110-IN.B\n"
				 "no object-group network fe-berlin.B\n"
				 "object-group network ",
				 strlen("no ip access-list extended ACLF-VLAN110-IN.B\n"
					"no object-group network fe-berlin.B\n"
					"object-group network ")),
			 0);
	all = concat(text, plan);
	assert_same_meaning(want, parse_text(got, all));
	free(all);
	free(plan);
	free(text);
	free(oldtext);
	aclf_policy_free(opol);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

static void refused(const struct aclf_devpol *want, const struct aclf_devpol *live,
		    const char *const *words)
{
	struct aclf_buf out;
	struct aclf_err err;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_buf_puts(&out, "kept\n"), 0);
	assert_int_equal(aclf_driver_plan(&aclf_driver_ios, want, live, &core1, &out, &err), -1);
	for (size_t i = 0; words[i]; i++)
		if (!strstr(aclf_err_text(&err), words[i]))
			fail_msg("'%s' not in: %s", words[i], aclf_err_text(&err));
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	aclf_buf_release(&out);
}

static void test_refusals(void **state)
{
	struct aclf_policy *opol = aclf_policy_new(), *npol = aclf_policy_new(),
			   *got = aclf_policy_new();
	struct aclf_devpol *want = new_policy(npol, false);
	char *oldtext = render_text(old_policy(opol)), *text;

	(void)state;
	/* both versions bound: no free name */
	text = concat(oldtext, "ip access-list extended NEW-160.B\n permit ip any any\n!\n"
			       "interface Vlan160\n ip access-group NEW-160.B in\n!\n");
	refused(want, parse_text(got, text),
		(const char *const[]){ "'core1'", "both versions", "NEW-160.B", NULL });
	free(text);
	/* show access-lists output binds nothing: deleting would be blind */
	text = concat("Extended IP access list ACLF-VLAN110-IN\n    10 permit ip any any\n",
		      "Extended IP access list ACLF-VLAN110-IN.B\n    10 permit ip any any\n");
	refused(want, parse_text(got, text), (const char *const[]){ "'core1'", "binds no", NULL });
	free(text);
	/* a new group name a list the plan keeps uses */
	text = concat(oldtext, "ip access-list extended MGMT\n permit ip object-group fe-berlin.B any\n!\n"
			       "object-group network fe-berlin.B\n host 10.9.9.9\n!\n"
			       "interface Vlan999\n ip access-group MGMT in\n!\n");
	refused(want, parse_text(got, text),
		(const char *const[]){ "'core1'", "fe-berlin.B", "MGMT", NULL });
	free(text);
	/* a filter name that reads as a version name */
	want->filters[3].name = "NEW-160.B";
	refused(want, NULL, (const char *const[]){ "'core1'", "NEW-160.B", NULL });
	want->filters[3].name = "NEW 160";
	refused(want, NULL, (const char *const[]){ "'core1'", "NEW 160", NULL }); /* render's */
	free(oldtext);
	aclf_policy_free(opol);
	aclf_policy_free(npol);
	aclf_policy_free(got);
}

/* The parser reads the deletions as IOS applies them. */
static void test_parse_no_lines(void **state)
{
	static const char text[] =
		"object-group network G\n host 10.0.0.1\n host 10.0.0.2\n!\n"
		"ip access-list extended A\n permit tcp any any eq 22\n!\n"
		"ip access-list extended B\n permit udp any any eq 53\n!\n"
		"ipv6 access-list B-V6\n permit udp any any eq 53\n!\n"
		"interface Vlan1\n ip access-group A in\n ipv6 traffic-filter B-V6 out\n!\n"
		"interface Vlan2\n ip access-group B in\n ip access-group A out\n!\n"
		/* the deletions */
		"no ip access-list extended A\n"
		"ip access-list extended A\n permit tcp any any eq 443\n!\n" /* a new A, not appended */
		"no ipv6 access-list B-V6\n"
		"interface Vlan2\n no ip access-group B in\n no ip access-group OTHER out\n!\n"
		"interface Vlan1\n no ipv6 traffic-filter out\n!\n"
		"no ip access-list extended NOSUCH\n"
		"no object-group network G\n"
		"no object-group network NOSUCH\n"
		"no ip http server\n";
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *dp = parse_text(pol, text);
	const struct aclf_filter *f;
	struct aclf_err err;
	struct aclf_devpol *bad = NULL;

	(void)state;
	f = at(dp, "Vlan1", ACLF_DIR_IN);
	assert_non_null(f);
	assert_int_equal(f->rules[0].dst_ports.v[0].lo, 443); /* only the new A's entry */
	assert_null(at(dp, "Vlan1", ACLF_DIR_OUT)); /* its IPv6 binding removed */
	assert_null(at(dp, "Vlan2", ACLF_DIR_IN));
	assert_non_null(at(dp, "Vlan2", ACLF_DIR_OUT)); /* another name: not removed */
	assert_non_null(ios_filter(dp, "B"));       /* B stays, unbound; B-V6 is gone */
	assert_null(ios_filter(dp, "B-V6"));
	/* a deleted group cannot be used any more */
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios,
					   "object-group network G\n host 10.0.0.1\n!\n"
					   "no object-group network G\n"
					   "ip access-list extended C\n permit ip object-group G any\n",
					   strlen("object-group network G\n host 10.0.0.1\n!\n"
						  "no object-group network G\n"
						  "ip access-list extended C\n permit ip object-group G any\n"),
					   NULL, pol, &bad, &err),
			 -1);
	assert_non_null(strstr(aclf_err_text(&err), "'G' is not defined"));
	aclf_err_release(&err);
	/* the wrong kind is an error naming the line */
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_parse(&aclf_driver_ios, "ip access-list extended A\n!\n"
							     "no ip access-list standard A\n",
					   strlen("ip access-list extended A\n!\n"
						  "no ip access-list standard A\n"),
					   NULL, pol, &bad, &err),
			 -1);
	assert_int_equal(err.line, 3);
	aclf_err_release(&err);
	aclf_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_push),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_leftovers),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_parse_no_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
