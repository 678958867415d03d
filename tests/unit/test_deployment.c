/* The deployment flows (tests/deployment/flows.txt) on both bundled
 * examples, through every IOS and Junos filter as the device would hold
 * it: the compiled policy rendered, the text parsed back, and the parsed
 * filter deciding each packet. A permitted flow's reply (TCP established,
 * UDP with the ports swapped) must pass the filters guarding its sender; a
 * denied flow must be dropped by a filter guarding its receiver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/compile.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/topology.h"

#define MAX_ROLES 64
#define MAX_FLOWS 128

struct role {
	char example[32], name[32];
	struct aclf_prefix addr;
};

struct flow {
	char from[32], to[32], doc[160];
	int proto;
	uint16_t sport, dport;
	bool permit;
	unsigned line;
	unsigned seen; /* filters that decided it, over both examples */
};

static struct role roles[MAX_ROLES];
static size_t nroles;
static struct flow flows[MAX_FLOWS];
static size_t nflows;

static const char *srcdir(void)
{
	const char *s = getenv("ACLF_SRCDIR");

	return s && *s ? s : ".";
}

static void load_flows(void)
{
	char path[4096], line[512], section[64] = "", example[32] = "";
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/deployment/flows.txt", srcdir());
	f = fopen(path, "r");
	assert_non_null(f);
	nroles = nflows = 0;
	while (fgets(line, sizeof(line), f)) {
		char a[32], b[32], proto[8], verdict[16];
		unsigned sp, dp;
		int off = 0;

		n++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "[roles %31[^]]]", example) == 1) {
			strcpy(section, "roles");
			continue;
		}
		if (!strcmp(line, "[flows]")) {
			strcpy(section, "flows");
			continue;
		}
		if (!strcmp(section, "roles")) {
			struct role *r = &roles[nroles++];
			assert_true(nroles <= MAX_ROLES);
			if (sscanf(line, "%31s %31s", r->name, a) != 2 || aclf_prefix_parse(a, &r->addr, false) < 0)
				fail_msg("flows.txt:%u: expected ROLE ADDRESS", n);
			snprintf(r->example, sizeof(r->example), "%s", example);
		} else if (!strcmp(section, "flows")) {
			struct flow *fl = &flows[nflows++];
			assert_true(nflows <= MAX_FLOWS);
			if (sscanf(line, "%31s %31s %7s %u %u %15s %n", a, b, proto, &sp, &dp, verdict, &off) != 6 ||
			    sp < 1 || sp > 65535 || dp < 1 || dp > 65535 ||
			    (strcmp(verdict, "permit") && strcmp(verdict, "deny")) ||
			    (strcmp(proto, "tcp") && strcmp(proto, "udp")) || !line[off])
				fail_msg("flows.txt:%u: expected FROM TO tcp|udp SPORT DPORT permit|deny DOCUMENT", n);
			snprintf(fl->from, sizeof(fl->from), "%s", a);
			snprintf(fl->to, sizeof(fl->to), "%s", b);
			snprintf(fl->doc, sizeof(fl->doc), "%s", line + off);
			fl->proto = strcmp(proto, "tcp") ? ACLF_PROTO_UDP : ACLF_PROTO_TCP;
			fl->sport = (uint16_t)sp;
			fl->dport = (uint16_t)dp;
			fl->permit = !strcmp(verdict, "permit");
			fl->line = n;
		} else {
			fail_msg("flows.txt:%u: outside a section", n);
		}
	}
	fclose(f);
	assert_true(nroles > 20);
	assert_true(nflows > 40);
}

static const struct aclf_prefix *role(const char *example, const char *name)
{
	for (size_t i = 0; i < nroles; i++)
		if (!strcmp(roles[i].example, example) && !strcmp(roles[i].name, name))
			return &roles[i].addr;
	return NULL;
}

/* One example, compiled, with its IOS and Junos devices rendered and
 * parsed back. */
struct world {
	struct aclf_compiled c;
	struct aclf_policy *back;
	const struct aclf_devpol **parsed; /* per topology device, or NULL */
};

static void load_world(struct world *w, const char *example)
{
	char path[4096];
	struct aclf_err err;

	aclf_err_init(&err);
	snprintf(path, sizeof(path), "%s/inventory/examples/%s", srcdir(), example);
	if (aclf_compile_file(path, NULL, false, &w->c, &err) < 0)
		fail_msg("%s", aclf_err_text(&err));
	w->back = aclf_policy_new();
	w->parsed = calloc(w->c.topo->ndevices, sizeof(*w->parsed));
	assert_non_null(w->back);
	assert_non_null(w->parsed);
	for (size_t d = 0; d < w->c.topo->ndevices; d++) {
		const struct aclf_device *dev = &w->c.topo->devices[d];
		const struct aclf_driver *drv = aclf_driver_find(dev->driver);
		const struct aclf_devpol *dp = aclf_policy_find_device(w->c.pol, dev->name);
		struct aclf_devpol *got = NULL;
		struct aclf_buf text = ACLF_BUF_INIT;

		if (strcmp(dev->driver, "ios") && strcmp(dev->driver, "junos"))
			continue;
		assert_non_null(drv);
		assert_non_null(dp);
		aclf_buf_init(&text, 0);
		if (aclf_driver_render(drv, dp, dev, &text, &err) != 0)
			fail_msg("%s: render: %s", dev->name, aclf_err_text(&err));
		if (aclf_driver_parse(drv, text.buf, text.len, &(struct aclf_parse_opts){ .name = dev->name },
				      w->back, &got, &err) != 0)
			fail_msg("%s: parse: %s", dev->name, aclf_err_text(&err));
		w->parsed[d] = got;
		aclf_buf_release(&text);
	}
	aclf_err_release(&err);
}

static void unload_world(struct world *w)
{
	free(w->parsed);
	aclf_policy_free(w->back);
	aclf_compiled_release(&w->c);
}

static const struct aclf_filter *parsed_filter(const struct aclf_devpol *dp, const char *name)
{
	for (size_t i = 0; i < dp->nfilters; i++)
		if (!strcmp(dp->filters[i].name, name))
			return &dp->filters[i];
	return NULL;
}

/* Every parsed IOS/Junos filter guarding dst decides the packet: how many
 * did, and how many of those permitted it. */
static void decide(struct world *w, const struct aclf_prefix *src, const struct aclf_prefix *dst, int proto,
		   uint16_t sport, uint16_t dport, bool est, unsigned *seen, unsigned *permitted, char *who,
		   size_t wholen)
{
	*seen = *permitted = 0;
	who[0] = '\0';
	for (size_t d = 0; d < w->c.topo->ndevices; d++) {
		const struct aclf_device *dev = &w->c.topo->devices[d];
		const struct aclf_devpol *dp = aclf_policy_find_device(w->c.pol, dev->name);

		if (!w->parsed[d])
			continue;
		for (size_t i = 0; i < dev->nprotects; i++) {
			struct aclf_arena a;
			struct aclf_prefix_set prot;
			struct aclf_err err;
			const struct aclf_filter *f;
			long k;
			bool ok;

			aclf_arena_init(&a);
			aclf_err_init(&err);
			assert_int_equal(aclf_compile_protected(w->c.topo, dev, i, &a, &prot, &err), 0);
			ok = aclf_pset_contains_addr(&prot, dst);
			aclf_arena_release(&a);
			if (!ok)
				continue;
			f = parsed_filter(w->parsed[d], dp->filters[i].name);
			if (!f)
				fail_msg("%s: filter %s not in the parsed text", dev->name, dp->filters[i].name);
			k = aclf_filter_decide(f, src, dst, proto, sport, dport, est);
			ok = (k < 0 ? f->default_action : f->rules[k].action) == ACLF_PERMIT;
			(*seen)++;
			*permitted += ok;
			snprintf(who + strlen(who), wholen - strlen(who), " %s/%s:%s%s", dev->name, f->name,
				 ok ? "permit" : "deny", k < 0 ? "(default)" : "");
		}
	}
}

static unsigned check_example(const char *example)
{
	struct world w = { 0 };
	unsigned checks = 0;

	load_world(&w, example);
	for (size_t i = 0; i < nflows; i++) {
		struct flow *fl = &flows[i];
		const struct aclf_prefix *src = role(example, fl->from), *dst = role(example, fl->to);
		unsigned seen, permitted;
		char who[1024];

		if (!src || !dst)
			continue;
		decide(&w, src, dst, fl->proto, fl->sport, fl->dport, false, &seen, &permitted, who, sizeof(who));
		if (fl->permit && permitted != seen)
			fail_msg("%s: flows.txt:%u %s -> %s %s/%u: expected permit (%s), decided:%s", example, fl->line,
				 fl->from, fl->to, fl->proto == ACLF_PROTO_TCP ? "tcp" : "udp", fl->dport, fl->doc, who);
		if (!fl->permit && seen && permitted == seen)
			fail_msg("%s: flows.txt:%u %s -> %s %s/%u: expected deny (%s), decided:%s", example, fl->line,
				 fl->from, fl->to, fl->proto == ACLF_PROTO_TCP ? "tcp" : "udp", fl->dport, fl->doc, who);
		fl->seen += seen;
		checks += seen;
		if (!fl->permit)
			continue;
		/* the reply, through the filters guarding the sender */
		decide(&w, dst, src, fl->proto, fl->dport, fl->sport, fl->proto == ACLF_PROTO_TCP, &seen, &permitted,
		       who, sizeof(who));
		if (permitted != seen)
			fail_msg("%s: flows.txt:%u reply of %s -> %s %s/%u: expected permit (%s), decided:%s", example,
				 fl->line, fl->from, fl->to, fl->proto == ACLF_PROTO_TCP ? "tcp" : "udp", fl->dport,
				 fl->doc, who);
		fl->seen += seen;
		checks += seen;
	}
	unload_world(&w);
	return checks;
}

static void test_flows_through_ios_and_junos(void **state)
{
	unsigned checks = 0, unseen = 0;

	(void)state;
	load_flows();
	checks += check_example("small.yaml");
	checks += check_example("two-site.yaml");
	for (size_t i = 0; i < nflows; i++)
		if (!flows[i].seen) {
			unseen++;
			print_message("flows.txt:%u %s -> %s: no IOS or Junos filter on its path (nftables only)\n",
				      flows[i].line, flows[i].from, flows[i].to);
		}
	print_message("%u decisions by parsed IOS and Junos filters, %zu flows, %u seen by nftables only\n", checks,
		      nflows, unseen);
	assert_true(checks >= 100);
	/* most flows cross a stateless filter in one example or the other */
	assert_true(unseen * 4 < nflows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flows_through_ios_and_junos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
