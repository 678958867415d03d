/* BIG-IP driver: plan. The plan is run against a small model of a tmsh
 * transaction: the device is a set of objects keyed "ltm <type> /Common/
 * <name>"; `delete` must name an object that exists, `create` one that does
 * not (as tmsh: "already exists"), anything else fails. After the plan the
 * device must carry exactly the intended objects (the render's create lines)
 * next to the objects aclforge does not own, untouched, and parse back
 * (strictly: every reference resolves) to the intended services by meaning. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip_cases.h"
#include "drivers.h"

/* ---- the device model ---------------------------------------------------- */

#define MAXOBJ 256

struct device {
	char *key[MAXOBJ];  /* "ltm pool /Common/aclf_x_pool" */
	char *line[MAXOBJ]; /* its create line, without the newline */
	size_t n;
};

static void device_release(struct device *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->key[i]);
		free(d->line[i]);
	}
	d->n = 0;
}

static long device_find(const struct device *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->key[i], key))
			return (long)i;
	return -1;
}

/* "create ltm monitor tcp NAME { ..." -> "ltm monitor tcp /Common/NAME" */
static char *create_key(const char *line)
{
	char words[8][160];
	int n = sscanf(line, "create %159s %159s %159s %159s %159s %159s", words[0], words[1],
		       words[2], words[3], words[4], words[5]);
	char *key = NULL;
	int name;

	for (name = 0; name + 1 < n && strcmp(words[name + 1], "{"); name++)
		;
	if (name + 1 >= n || name < 2)
		return NULL;
	if (name == 2)
		assert_true(asprintf(&key, "%s %s /Common/%s", words[0], words[1], words[2]) > 0);
	else
		assert_true(asprintf(&key, "%s %s %s /Common/%s", words[0], words[1], words[2],
				     words[3]) > 0);
	return key;
}

/* Run text as one transaction; returns NULL or what failed (static text). */
static const char *transaction(struct device *d, const char *text)
{
	static char why[512];

	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		char *line = strndup(l, n);
		l += n + (nl ? 1 : 0);
		if (!strncmp(line, "delete ", 7)) {
			long i = device_find(d, line + 7);
			if (i < 0) {
				snprintf(why, sizeof(why), "delete of a missing object: %s", line);
				free(line);
				return why;
			}
			free(d->key[i]);
			free(d->line[i]);
			memmove(&d->key[i], &d->key[i + 1], (d->n - (size_t)i - 1) * sizeof(char *));
			memmove(&d->line[i], &d->line[i + 1], (d->n - (size_t)i - 1) * sizeof(char *));
			d->n--;
			free(line);
		} else if (!strncmp(line, "create ", 7)) {
			char *key = create_key(line);
			if (!key || device_find(d, key) >= 0) {
				snprintf(why, sizeof(why), "%s: %s", key ? "already exists" : "bad create",
					 line);
				free(key);
				free(line);
				return why;
			}
			assert_true(d->n < MAXOBJ);
			d->key[d->n] = key;
			d->line[d->n++] = line;
		} else {
			snprintf(why, sizeof(why), "not a transaction command: %s", line);
			free(line);
			return why;
		}
	}
	return NULL;
}

static void device_text(const struct device *d, struct aclf_buf *out)
{
	for (size_t i = 0; i < d->n; i++)
		assert_int_equal(aclf_buf_printf(out, "%s\n", d->line[i]), 0);
}

/* ---- helpers --------------------------------------------------------------- */

static void render_ok(const struct aclf_devpol *d, struct aclf_buf *out)
{
	struct aclf_err err;

	aclf_err_init(&err);
	if (aclf_driver_render(&aclf_driver_bigip, d, NULL, out, &err) < 0)
		fail_msg("render: %s", aclf_err_text(&err));
	aclf_err_release(&err);
}

static void plan_ok(const struct aclf_devpol *want, const struct aclf_devpol *live,
		    struct aclf_buf *out)
{
	struct aclf_err err;
	struct aclf_buf again;

	aclf_err_init(&err);
	aclf_buf_init(&again, 0);
	if (aclf_driver_plan(&aclf_driver_bigip, want, live, NULL, out, &err) < 0)
		fail_msg("plan: %s", aclf_err_text(&err));
	assert_int_equal(aclf_driver_plan(&aclf_driver_bigip, want, live, NULL, &again, &err), 0);
	assert_string_equal(out->buf, again.buf); /* deterministic */
	aclf_buf_release(&again);
	aclf_err_release(&err);
}

static struct aclf_devpol *parse_text(struct aclf_policy *pol, const char *text, bool strict)
{
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;
	struct bigip_parse_opts o = { .strict = strict };

	aclf_err_init(&err);
	if (bigip_parse_ex(text, strlen(text), "lb1", "lb1.txt", &o, pol, &dp, &err) < 0)
		fail_msg("parse: %s\n%s", aclf_err_text(&err), text);
	aclf_err_release(&err);
	return dp;
}

static bool owned_service(const struct aclf_lb_service *s)
{
	const char *vs = NULL;

	for (size_t k = 0; k < s->nprov && !vs; k++)
		if (!strcmp(s->prov[k].kind, "device") && !strncmp(s->prov[k].ref, "ltm virtual ", 12))
			vs = s->prov[k].ref;
	return vs && strstr(vs, "/aclf_");
}

/* A view of dp with only its owned (or only its foreign) services. */
static struct aclf_devpol view(const struct aclf_devpol *dp, bool owned, struct aclf_lb_service *buf)
{
	struct aclf_devpol v = *dp;

	v.lb = buf;
	v.nlb = 0;
	for (size_t i = 0; i < dp->nlb; i++)
		if (owned_service(&dp->lb[i]) == owned)
			buf[v.nlb++] = dp->lb[i];
	return v;
}

/* Foreign services read back as they were, opaque ones included (diff
 * cannot judge those): the same opaque reasons and device text, then the
 * rest compared with the opaque marks taken off the copies. */
static void same_opaque(struct aclf_devpol *x, struct aclf_devpol *y)
{
	size_t n = 0;

	assert_int_equal(x->nlb, y->nlb);
	for (size_t i = 0; i < x->nlb; i++) {
		assert_true(!x->lb[i].opaque == !y->lb[i].opaque);
		if (!x->lb[i].opaque)
			continue;
		assert_string_equal(x->lb[i].opaque, y->lb[i].opaque);
		assert_string_equal(x->lb[i].raw, y->lb[i].raw);
		x->lb[i].opaque = y->lb[i].opaque = NULL;
		n++;
	}
	assert_int_equal(n, 2); /* the fixture's two-VLAN and disabled virtuals */
}

static void same_meaning(const struct aclf_devpol *a, const struct aclf_devpol *b)
{
	struct aclf_buf report;
	struct aclf_err err;
	size_t count = 99;

	aclf_buf_init(&report, 0);
	aclf_err_init(&err);
	assert_int_equal(aclf_diff_lb(a, b, &report, &count, &err), 0);
	if (count)
		fail_msg("%zu differences:\n%s", count, report.buf);
	aclf_buf_release(&report);
	aclf_err_release(&err);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The Lync Front End pool moved to a VIP the handmade fixture does not use. */
static struct aclf_devpol *lync(struct aclf_policy *pol)
{
	struct aclf_devpol *d = bt_lync_fe(pol);

	for (size_t i = 0; i < d->nlb; i++)
		if (d->lb[i].vip.family == 4)
			d->lb[i].vip = bt_addr("10.1.1.20");
	return d;
}

/* What changes from old to new: two services go, the monitor is slower
 * (a monitor of another name), fe03 leaves every pool, fe04 joins 443. */
static struct aclf_devpol *lync_changed(struct aclf_policy *pol)
{
	struct aclf_devpol *d = lync(pol);
	struct aclf_prefix a = bt_addr("10.1.1.14");

	d->nlb -= 2; /* the IPv6 service and 5070 */
	for (size_t i = 0; i < d->nlb; i++) {
		struct aclf_lb_service *s = &d->lb[i];
		s->monitor.interval = 10;
		s->monitor.timeout = 31;
		s->nmembers = 2;
		if (s->port == 443 && aclf_lb_add_member(pol, s, "fe04", &a, 443) < 0)
			fail();
	}
	return d;
}

/* ---- tests ------------------------------------------------------------------ */

/* Nothing of aclforge's on the device: the render text, nothing deleted. */
static void test_first_push(void **state)
{
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *want = lync(pol);
	struct aclf_buf plan, rendered;
	struct device dev = { .n = 0 };

	(void)state;
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&rendered, 0);
	assert_non_null(aclf_driver_bigip.ops->plan);
	plan_ok(want, NULL, &plan);
	render_ok(want, &rendered);
	assert_string_equal(plan.buf, rendered.buf);
	assert_null(transaction(&dev, plan.buf));
	device_release(&dev);
	aclf_buf_release(&plan);
	aclf_buf_release(&rendered);
	aclf_policy_free(pol);
}

/* old -> new on a device holding old: the transaction succeeds, the
 * device ends with exactly render(new), which means new. */
static void test_replace(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *lpol = aclf_policy_new();
	struct aclf_devpol *old = lync(pol), *want = lync_changed(pol), *live, *after;
	struct aclf_buf text, plan, rendered, final;
	struct device dev = { .n = 0 };
	const char *why;
	const char *last_delete, *first_create;

	(void)state;
	aclf_buf_init(&text, 0);
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&rendered, 0);
	aclf_buf_init(&final, 0);
	render_ok(old, &text);
	assert_null(transaction(&dev, text.buf)); /* the device as old left it */
	live = parse_text(lpol, text.buf, true);
	plan_ok(want, live, &plan);
	why = transaction(&dev, plan.buf);
	if (why)
		fail_msg("%s\n%s", why, plan.buf);
	device_text(&dev, &final);
	render_ok(want, &rendered);
	assert_string_equal(final.buf, rendered.buf); /* exactly the intended objects */
	after = parse_text(lpol, final.buf, true);
	same_meaning(want, after);

	/* every owned object old had is deleted, also those created again */
	assert_int_equal(count(plan.buf, "delete ltm virtual /Common/aclf_"), BT_NHLB + 1);
	/* the oneconnect profiles: deleted after the virtuals using them,
	 * created before the virtuals that use them */
	{
		const char *del_oc = strstr(plan.buf, "delete ltm profile one-connect /Common/aclf_oneconnect_32_prof\n");
		const char *new_oc = strstr(plan.buf, "create ltm profile one-connect aclf_oneconnect_32_prof ");
		const char *vs = strstr(plan.buf, "delete ltm virtual "), *last_vs = vs;
		assert_non_null(del_oc);
		assert_non_null(new_oc);
		while ((vs = strstr(vs + 1, "delete ltm virtual ")))
			last_vs = vs;
		assert_true(last_vs < del_oc);
		assert_true(new_oc < strstr(plan.buf, "create ltm virtual "));
	}
	assert_int_equal(count(plan.buf, "delete ltm node /Common/aclf_fe01\n"), 1);
	assert_int_equal(count(plan.buf, "create ltm node aclf_fe01 "), 1);
	assert_int_equal(count(plan.buf, "delete ltm monitor tcp /Common/aclf_tcp_5061_5_16_mon\n"), 1);
	assert_int_equal(count(plan.buf, "create ltm monitor tcp aclf_tcp_5061_10_31_mon "), 1);
	assert_int_equal(count(plan.buf, "delete ltm node /Common/aclf_fe03\n"), 1);
	assert_int_equal(count(plan.buf, "aclf_fe03 "), 0); /* not created again */
	/* deletions first, in dependency order, then the creates */
	last_delete = strstr(plan.buf, "delete ltm profile ");
	first_create = strstr(plan.buf, "create ");
	assert_non_null(last_delete);
	assert_true(last_delete < first_create);
	assert_null(strstr(first_create, "delete "));
	assert_true(strstr(plan.buf, "delete ltm virtual ") < strstr(plan.buf, "delete ltm pool "));
	assert_true(strstr(plan.buf, "delete ltm pool ") < strstr(plan.buf, "delete ltm node "));
	assert_true(strstr(plan.buf, "delete ltm node ") < strstr(plan.buf, "delete ltm monitor "));
	assert_true(strstr(plan.buf, "delete ltm monitor ") <
		    strstr(plan.buf, "delete ltm persistence "));
	assert_true(strstr(plan.buf, "delete ltm persistence ") <
		    strstr(plan.buf, "delete ltm profile "));

	/* a second plan against what the first left also succeeds, and
	 * leaves the same objects */
	{
		struct aclf_buf plan2, final2;
		struct aclf_devpol *live2 = parse_text(lpol, final.buf, true);
		aclf_buf_init(&plan2, 0);
		aclf_buf_init(&final2, 0);
		plan_ok(want, live2, &plan2);
		assert_null(transaction(&dev, plan2.buf));
		device_text(&dev, &final2);
		assert_string_equal(final2.buf, rendered.buf);
		aclf_buf_release(&plan2);
		aclf_buf_release(&final2);
	}
	device_release(&dev);
	aclf_buf_release(&text);
	aclf_buf_release(&plan);
	aclf_buf_release(&rendered);
	aclf_buf_release(&final);
	aclf_policy_free(pol);
	aclf_policy_free(lpol);
}

/* Objects not named aclf_ are never named by the plan, and the device's
 * services that are not aclforge's mean what they meant. */
static void test_foreign_untouched(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *lpol = aclf_policy_new();
	struct aclf_devpol *old = lync(pol), *want = lync_changed(pol), *live, *before, *after;
	struct aclf_buf foreign, text, all, plan, final;
	struct device dev = { .n = 0 };
	struct aclf_lb_service *b1, *b2;
	struct aclf_devpol v1, v2;

	(void)state;
	bt_read_fixture("bigip/lync_list_handmade.txt", &foreign);
	aclf_buf_init(&text, 0);
	aclf_buf_init(&all, 0);
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&final, 0);
	render_ok(old, &text);
	assert_null(transaction(&dev, text.buf));
	assert_int_equal(aclf_buf_printf(&all, "%s%s", foreign.buf, text.buf), 0);
	live = parse_text(lpol, all.buf, false);
	before = parse_text(lpol, foreign.buf, false);
	assert_true(before->nlb > 0);
	plan_ok(want, live, &plan);
	/* every line names an aclf_ object */
	for (const char *l = plan.buf; *l; l = strchr(l, '\n') + 1) {
		char *line = strndup(l, (size_t)(strchr(l, '\n') - l)), *key;
		if (!strncmp(line, "delete ", 7))
			key = strdup(line + 7);
		else
			key = create_key(line);
		assert_non_null(key);
		if (strncmp(strrchr(key, '/'), "/aclf_", 6))
			fail_msg("plan names %s", key);
		free(key);
		free(line);
	}
	/* no object of the handmade text is named */
	assert_null(strstr(plan.buf, "lync_"));
	assert_null(strstr(plan.buf, "pool_"));
	assert_null(strstr(plan.buf, "poolweb"));
	assert_null(strstr(plan.buf, "fe01.example.net"));
	assert_null(transaction(&dev, plan.buf));
	device_text(&dev, &final);
	aclf_buf_reset(&all);
	assert_int_equal(aclf_buf_printf(&all, "%s%s", foreign.buf, final.buf), 0);
	after = parse_text(lpol, all.buf, false);
	b1 = calloc(after->nlb + live->nlb + 1, sizeof(*b1));
	b2 = calloc(after->nlb + live->nlb + 1, sizeof(*b2));
	v1 = view(after, true, b1);
	same_meaning(want, &v1); /* aclforge's services: the intended ones */
	v1 = view(after, false, b1);
	v2 = view(before, false, b2);
	same_opaque(&v2, &v1);
	assert_int_equal(v1.nlb, before->nlb);
	same_meaning(&v2, &v1); /* the others: as they were */
	free(b1);
	free(b2);
	device_release(&dev);
	aclf_buf_release(&foreign);
	aclf_buf_release(&text);
	aclf_buf_release(&all);
	aclf_buf_release(&plan);
	aclf_buf_release(&final);
	aclf_policy_free(pol);
	aclf_policy_free(lpol);
}

/* Refusals: err names the device, out keeps what it had. */
static void test_refusals(void **state)
{
	struct aclf_policy *pol = aclf_policy_new(), *lpol = aclf_policy_new();
	struct aclf_devpol *want = lync(pol), *live;
	struct aclf_buf text, out;
	struct aclf_err err;

	(void)state;
	aclf_buf_init(&text, 0);
	aclf_buf_init(&out, 0);
	assert_int_equal(aclf_buf_puts(&out, "kept\n"), 0);
	/* an owned pool under a virtual that is not aclforge's */
	render_ok(want, &text);
	assert_int_equal(aclf_buf_puts(&text, "ltm virtual /Common/web_vs {\n"
					      "    destination /Common/10.9.9.9:443\n"
					      "    ip-protocol tcp\n"
					      "    pool /Common/aclf_fe-berlin-443_pool\n"
					      "}\n"),
			 0);
	live = parse_text(lpol, text.buf, false);
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_plan(&aclf_driver_bigip, want, live, NULL, &out, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "'lb1'"));
	assert_non_null(strstr(aclf_err_text(&err), "/Common/web_vs"));
	assert_non_null(strstr(aclf_err_text(&err), "aclf_fe-berlin-443_pool"));
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	/* what render refuses: a filter on a load balancer */
	assert_non_null(aclf_devpol_add_filter(pol, want, "acl"));
	aclf_err_init(&err);
	assert_int_equal(aclf_driver_plan(&aclf_driver_bigip, want, NULL, NULL, &out, &err), -1);
	assert_non_null(strstr(aclf_err_text(&err), "'lb1'"));
	assert_string_equal(out.buf, "kept\n");
	aclf_err_release(&err);
	aclf_buf_release(&text);
	aclf_buf_release(&out);
	aclf_policy_free(pol);
	aclf_policy_free(lpol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_push),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_foreign_untouched),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
