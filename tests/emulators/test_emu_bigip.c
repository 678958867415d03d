/* The BIG-IP kind of the device emulator, driven line by line and through
 * its exec channel: bash and tmsh shells and prompts, LTM objects and
 * tmsh's errors (missing, duplicate, in use, unknown property), CLI
 * transactions that apply all or nothing, --fail-commit, save sys config;
 * and the round trip: aclforge's render for a BIG-IP loaded in one
 * transaction, the kind's bigip.conf and `list ltm` parsed back by the
 * BIG-IP driver to the same services, and the driver's plan applied on top
 * in one transaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "emu_kind.h"

#define BASH "[root@lb1:Active:Standalone] config # "
#define TMSH(u) u "@(lb1)(cfg-sync Standalone)(Active)(/Common)(tmos)# "

struct h {
	const struct emu_kind *k;
	void *dev;
	struct aclf_buf out;
	const char *q;
};

struct s {
	struct h *h;
	void *sess;
};

static void h_init(struct h *h, bool fail_commit)
{
	struct emu_kind_opts o = { fail_commit, 0, "lb1" };

	h->k = &emu_kind_bigip;
	h->dev = h->k->create(&o);
	assert_non_null(h->dev);
	aclf_buf_init(&h->out, 0);
}

static void h_release(struct h *h)
{
	h->k->destroy(h->dev);
	aclf_buf_release(&h->out);
}

static struct s s_open(struct h *h, const char *user)
{
	struct s s = { h, h->k->open(h->dev, user) };

	assert_non_null(s.sess);
	return s;
}

static void s_close(struct s *s)
{
	s->h->k->close(s->h->dev, s->sess);
}

static enum emu_next feed(struct s *s, const char *line)
{
	struct h *h = s->h;
	enum emu_next r;

	aclf_buf_reset(&h->out);
	h->q = NULL;
	r = h->k->line(h->dev, s->sess, line, &h->out, &h->q);
	assert_null(h->q);
	if (r != EMU_CLOSE)
		h->k->prompt(h->dev, s->sess, &h->out);
	return r;
}

static char *dump(struct h *h)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	h->k->dump(h->dev, &b);
	return aclf_buf_detach(&b, NULL);
}

#define HAS(s, sub)                                                                   \
	do {                                                                          \
		if (!strstr((s), (sub)))                                              \
			fail_msg("expected \"%s\" in:\n%s", (sub), (s));              \
	} while (0)
#define HASNT(s, sub)                                                                 \
	do {                                                                          \
		if (strstr((s), (sub)))                                               \
			fail_msg("did not expect \"%s\" in:\n%s", (sub), (s));        \
	} while (0)

static void test_shells_and_prompts(void **state)
{
	struct h h;
	struct s r, a;

	(void)state;
	h_init(&h, false);
	r = s_open(&h, "root");
	aclf_buf_reset(&h.out);
	h.k->prompt(h.dev, r.sess, &h.out);
	assert_string_equal(h.out.buf, BASH);
	feed(&r, "ls -l");
	assert_string_equal(h.out.buf, "-bash: ls: command not found\r\n" BASH);
	feed(&r, "tmsh");
	assert_string_equal(h.out.buf, TMSH("root"));
	feed(&r, "modify cli preference pager disabled display-threshold 0");
	assert_string_equal(h.out.buf, TMSH("root"));
	feed(&r, "run /util bash -c \"stty cols 255\"");
	assert_string_equal(h.out.buf, TMSH("root"));
	feed(&r, "lsit ltm pool");
	assert_string_equal(h.out.buf, "Syntax Error: \"lsit\" unexpected argument\r\n" TMSH("root"));
	/* a transaction does not outlive its tmsh */
	feed(&r, "create cli transaction");
	feed(&r, "create ltm node n9 { address 198.18.9.9 }");
	assert_int_equal(feed(&r, "quit"), EMU_CONTINUE);
	assert_string_equal(h.out.buf, BASH);
	feed(&r, "tmsh");
	feed(&r, "submit cli transaction");
	HAS(h.out.buf, "Syntax Error:");
	feed(&r, "list ltm node");
	assert_string_equal(h.out.buf, TMSH("root"));
	feed(&r, "create ltm node n9 { address 198.18.9.9 }");
	feed(&r, "list ltm node recursive");
	HAS(h.out.buf, "ltm node Common/n9 {\r\n");
	aclf_buf_reset(&h.out);
	h.k->reject(h.dev, r.sess, "delete ltm node n9", &h.out);
	assert_string_equal(h.out.buf, "01070734:3: Configuration error: delete ltm node n9\r\n");
	assert_int_equal(feed(&r, "quit"), EMU_CONTINUE);
	assert_string_equal(h.out.buf, BASH);
	assert_int_equal(feed(&r, "exit"), EMU_CLOSE);
	s_close(&r);

	a = s_open(&h, "admin");
	aclf_buf_reset(&h.out);
	h.k->prompt(h.dev, a.sess, &h.out);
	assert_string_equal(h.out.buf, TMSH("admin"));
	assert_int_equal(feed(&a, "quit"), EMU_CLOSE);
	s_close(&a);
	h_release(&h);
}

static void test_objects_and_errors(void **state)
{
	struct h h;
	struct s a;

	(void)state;
	h_init(&h, false);
	a = s_open(&h, "admin");
	assert_int_equal(feed(&a, "create ltm node n1 { address 198.18.1.11 }"), EMU_CHANGED);
	assert_string_equal(h.out.buf, TMSH("admin"));
	feed(&a, "create ltm monitor tcp m1 { defaults-from tcp destination *:5061 interval 5 timeout 16 }");
	feed(&a, "create ltm pool p1 { members replace-all-with { n1:5061 { address 198.18.1.11 } n2:5061 { address 198.18.1.12 } } monitor m1 }");
	assert_string_equal(h.out.buf, TMSH("admin"));
	feed(&a, "list ltm pool p1");
	assert_string_equal(h.out.buf,
			    "ltm pool p1 {\r\n"
			    "    members {\r\n"
			    "        n1:sip-tls {\r\n"
			    "            address 198.18.1.11\r\n"
			    "        }\r\n"
			    "        n2:sip-tls {\r\n"
			    "            address 198.18.1.12\r\n"
			    "        }\r\n"
			    "    }\r\n"
			    "    monitor m1\r\n"
			    "}\r\n" TMSH("admin"));
	/* the member created its node */
	feed(&a, "list ltm node n2 one-line");
	assert_string_equal(h.out.buf, "ltm node n2 { address 198.18.1.12 }\r\n" TMSH("admin"));
	assert_int_equal(feed(&a, "create ltm pool p1"), EMU_CONTINUE);
	assert_string_equal(h.out.buf, "01020066:3: The requested Pool (/Common/p1) already exists in partition Common.\r\n"
				       TMSH("admin"));
	feed(&a, "create ltm virtual v1 { destination 198.18.1.10:5061 ip-protocol tcp pool nope }");
	HAS(h.out.buf, "01020036:3: The requested Pool (/Common/nope) was not found.\r\n");
	feed(&a, "create ltm virtual v1 { destination 198.18.1.10:5061 bogus 1 }");
	HAS(h.out.buf, "Syntax Error: \"bogus\" unknown property\r\n");
	feed(&a, "list ltm virtual v1");
	HAS(h.out.buf, "01020036:3: The requested Virtual Server (/Common/v1) was not found.\r\n");
	assert_int_equal(feed(&a, "create ltm virtual v1 { destination 198.18.1.10:5061 ip-protocol tcp pool p1 vlans replace-all-with { internal } vlans-enabled }"),
			 EMU_CHANGED);
	feed(&a, "create ltm virtual v2 { destination 198.18.1.10:5061 ip-protocol tcp }");
	HAS(h.out.buf, "01070333:3: Virtual Server /Common/v2 illegally shares destination address");
	feed(&a, "delete ltm pool p1");
	HAS(h.out.buf, "01070265:3: The Pool (/Common/p1) cannot be deleted because it is in use by a Virtual Server (/Common/v1).\r\n");
	feed(&a, "delete ltm node n1");
	HAS(h.out.buf, "01070110:3: Node address '/Common/n1' is referenced by a member of pool '/Common/p1'.\r\n");
	feed(&a, "delete ltm monitor tcp m1");
	HAS(h.out.buf, "01070083:3: Monitor /Common/m1 is in use.\r\n");
	feed(&a, "delete ltm pool gone");
	HAS(h.out.buf, "01020036:3: The requested Pool (/Common/gone) was not found.\r\n");
	feed(&a, "modify ltm pool p1 members delete { n2:5061 }");
	feed(&a, "list ltm pool p1 one-line");
	HASNT(h.out.buf, "n2");
	feed(&a, "modify ltm pool p1 members add { n1:5061 }");
	HAS(h.out.buf, "01020066:3: The requested Pool Member (/Common/n1:5061) already exists in partition Common.\r\n");
	feed(&a, "modify ltm pool p1 members add { n3:80 { address 198.18.1.13 } }");
	feed(&a, "list ltm pool p1 one-line");
	assert_string_equal(h.out.buf, "ltm pool p1 { members { n1:sip-tls { address 198.18.1.11 } n3:http { address 198.18.1.13 } } monitor m1 }\r\n"
				       TMSH("admin"));
	feed(&a, "modify ltm pool p1 members delete { n3:80 }");
	feed(&a, "list ltm virtual v1");
	HAS(h.out.buf, "    destination 198.18.1.10:sip-tls\r\n");
	HAS(h.out.buf, "    profiles {\r\n        fastL4 { }\r\n    }\r\n");
	HAS(h.out.buf, "    vlans {\r\n        internal\r\n    }\r\n    vlans-enabled\r\n");
	feed(&a, "modify cli global-settings service number");
	feed(&a, "list ltm virtual v1");
	HAS(h.out.buf, "    destination 198.18.1.10:5061\r\n");
	feed(&a, "delete ltm virtual v1");
	assert_int_equal(feed(&a, "delete ltm pool p1"), EMU_CHANGED);
	/* profile properties belong to their profile type */
	feed(&a, "create ltm profile tcp t1 { defaults-from tcp source-mask 255.255.255.255 }");
	HAS(h.out.buf, "Syntax Error: \"source-mask\" unknown property\r\n");
	feed(&a, "create ltm profile one-connect o1 { defaults-from oneconnect idle-timeout 5 }");
	HAS(h.out.buf, "Syntax Error: \"idle-timeout\" unknown property\r\n");
	assert_int_equal(feed(&a, "create ltm profile one-connect o1 { defaults-from oneconnect source-mask 255.255.255.255 }"),
			 EMU_CHANGED);
	feed(&a, "list ltm profile one-connect o1 one-line");
	assert_string_equal(h.out.buf, "ltm profile one-connect o1 { defaults-from oneconnect source-mask 255.255.255.255 }\r\n"
				       TMSH("admin"));
	/* a virtual balancing per request: the built-in http and the one-connect
	 * profile, which is then in use */
	assert_int_equal(feed(&a, "create ltm virtual v3 { destination 198.18.1.20:80 ip-protocol tcp profiles replace-all-with { tcp { } http { } o1 { } } }"),
			 EMU_CHANGED);
	feed(&a, "delete ltm profile one-connect o1");
	HAS(h.out.buf, "in use");
	feed(&a, "delete ltm virtual v3");
	assert_int_equal(feed(&a, "delete ltm profile one-connect o1"), EMU_CHANGED);
	/* TLS termination: a virtual naming a TLS profile the device lacks is
	 * refused; the site's client-ssl and server-ssl profiles (with their
	 * certificate, key and chain) are created first, referenced with their
	 * context, listed with it, and in use while a virtual has them */
	feed(&a, "create ltm virtual v4 { destination 198.18.1.20:443 ip-protocol tcp profiles replace-all-with { tcp { } http { } /Common/web-cs { context clientside } } }");
	HAS(h.out.buf, "01020036:3: The requested Profile (/Common/web-cs) was not found.\r\n");
	feed(&a, "create ltm profile server-ssl web-ss { defaults-from serverssl sni-default true }");
	HAS(h.out.buf, "Syntax Error: \"sni-default\" unknown property\r\n");
	feed(&a, "create ltm profile tcp t2 { defaults-from tcp cert web.crt }");
	HAS(h.out.buf, "Syntax Error: \"cert\" unknown property\r\n");
	assert_int_equal(feed(&a, "create ltm profile client-ssl web-cs { defaults-from clientssl cert-key-chain replace-all-with { web { cert web.crt key web.key chain ca.crt } } sni-default true }"),
			 EMU_CHANGED);
	assert_int_equal(feed(&a, "create ltm profile server-ssl web-ss { defaults-from serverssl }"), EMU_CHANGED);
	assert_int_equal(feed(&a, "create ltm virtual v4 { destination 198.18.1.20:443 ip-protocol tcp profiles replace-all-with { tcp { } http { } /Common/web-cs { context clientside } /Common/web-ss { context serverside } } }"),
			 EMU_CHANGED);
	feed(&a, "list ltm virtual v4");
	HAS(h.out.buf, "        web-cs {\r\n            context clientside\r\n        }\r\n");
	HAS(h.out.buf, "        web-ss {\r\n            context serverside\r\n        }\r\n");
	feed(&a, "list ltm profile client-ssl web-cs one-line");
	HAS(h.out.buf, "cert-key-chain { web { cert web.crt chain ca.crt key web.key } }");
	feed(&a, "delete ltm profile client-ssl web-cs");
	HAS(h.out.buf, "in use");
	feed(&a, "delete ltm virtual v4");
	assert_int_equal(feed(&a, "delete ltm profile client-ssl web-cs"), EMU_CHANGED);
	s_close(&a);
	h_release(&h);
}

static void test_transaction_all_or_nothing(void **state)
{
	struct h h;
	struct s a;
	char *d;

	(void)state;
	h_init(&h, false);
	a = s_open(&h, "admin");
	feed(&a, "create cli transaction");
	assert_string_equal(h.out.buf, TMSH("admin"));
	assert_int_equal(feed(&a, "create ltm pool pa { members replace-all-with { 198.18.2.1:80 } }"),
			 EMU_CONTINUE);
	feed(&a, "create ltm virtual va { destination 198.18.2.10:80 pool missing }");
	feed(&a, "list cli transaction");
	HAS(h.out.buf, "[1] create ltm pool pa");
	HAS(h.out.buf, "[2] create ltm virtual va");
	assert_int_equal(feed(&a, "submit cli transaction"), EMU_CONTINUE);
	HAS(h.out.buf, "01020036:3: The requested Pool (/Common/missing) was not found.\r\n");
	d = dump(&h);
	HASNT(d, "pa");
	HASNT(d, "198.18.2.1");
	free(d);

	/* a good one applies every command */
	feed(&a, "create cli transaction");
	feed(&a, "create ltm pool pa { members replace-all-with { 198.18.2.1:80 } }");
	feed(&a, "create ltm virtual va { destination 198.18.2.10:80 pool pa }");
	assert_int_equal(feed(&a, "submit cli transaction"), EMU_CHANGED);
	d = dump(&h);
	HAS(d, "ltm pool /Common/pa {");
	HAS(d, "ltm virtual /Common/va {");
	HAS(d, "ltm node /Common/198.18.2.1 {");
	free(d);

	/* delete cli transaction drops what was queued */
	feed(&a, "create cli transaction");
	feed(&a, "delete ltm virtual va");
	feed(&a, "delete cli transaction");
	feed(&a, "submit cli transaction");
	HAS(h.out.buf, "Syntax Error:");
	d = dump(&h);
	HAS(d, "ltm virtual /Common/va {");
	free(d);
	s_close(&a);
	h_release(&h);

	/* --fail-commit: the submit fails and changes nothing */
	h_init(&h, true);
	a = s_open(&h, "admin");
	feed(&a, "create cli transaction");
	feed(&a, "create ltm node nf { address 198.18.3.1 }");
	assert_int_equal(feed(&a, "submit cli transaction"), EMU_CONTINUE);
	HAS(h.out.buf, "01070711:3: ");
	d = dump(&h);
	HASNT(d, "nf");
	free(d);
	s_close(&a);
	h_release(&h);
}

static void test_save_and_exec(void **state)
{
	struct h h;
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT;
	bool changed = false;

	(void)state;
	h_init(&h, false);
	aclf_buf_init(&out, 0);
	aclf_buf_init(&err, 0);
	assert_int_equal(h.k->exec(h.dev, "root",
				   "tmsh -q -c 'create cli transaction; create ltm node n1 address 198.18.0.5; "
				   "submit cli transaction; list ltm node one-line'",
				   &out, &err, &changed), 0);
	assert_true(changed);
	assert_string_equal(out.buf, "ltm node n1 { address 198.18.0.5 }\n");
	aclf_buf_reset(&out);
	/* bigip.conf holds what was saved, not what runs */
	assert_int_equal(h.k->exec(h.dev, "root", "cat /config/bigip.conf", &out, &err, &changed), 0);
	HASNT(out.buf, "n1");
	aclf_buf_reset(&out);
	assert_int_equal(h.k->exec(h.dev, "root", "tmsh save sys config", &out, &err, &changed), 0);
	HAS(out.buf, "Saving running configuration...\n");
	aclf_buf_reset(&out);
	assert_int_equal(h.k->exec(h.dev, "root", "cat /config/bigip.conf", &out, &err, &changed), 0);
	HAS(out.buf, "ltm node /Common/n1 {\n    address 198.18.0.5\n}\n");
	aclf_buf_reset(&out);
	assert_int_equal(h.k->exec(h.dev, "root", "tmsh list ltm pool nope", &out, &err, &changed), 1);
	HAS(err.buf, "01020036:3: The requested Pool (/Common/nope) was not found.\n");
	aclf_buf_reset(&err);
	/* a tmsh user's exec runs tmsh */
	assert_int_equal(h.k->exec(h.dev, "admin", "list ltm node n1", &out, &err, &changed), 0);
	HAS(out.buf, "ltm node n1 {\n");
	aclf_buf_release(&out);
	aclf_buf_release(&err);
	h_release(&h);
}

/* ---- round trip with the BIG-IP driver ---- */

static char *read_fixture(const char *name)
{
	const char *dir = getenv("ACLF_FIXTURES");
	char path[4096];
	struct aclf_buf b = ACLF_BUF_INIT;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	aclf_buf_init(&b, 0);
	if (aclf_buf_read_file(&b, path) < 0)
		fail_msg("cannot read %s", path);
	return aclf_buf_detach(&b, NULL);
}

static struct aclf_devpol *parse(struct aclf_policy *pol, const char *text, const char *label)
{
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;

	aclf_err_init(&err);
	if (aclf_driver_parse(aclf_driver_find("bigip"), text, strlen(text),
			      &(struct aclf_parse_opts){ .name = "lb1", .label = label, .strict = true },
			      pol, &dp, &err) < 0)
		fail_msg("%s does not parse: %s\n%s", label, aclf_err_text(&err), text);
	aclf_err_release(&err);
	return dp;
}

static size_t differences(const struct aclf_devpol *a, const struct aclf_devpol *b)
{
	struct aclf_diff d;
	struct aclf_err err;
	struct aclf_buf rep = ACLF_BUF_INIT;
	size_t n;

	aclf_diff_init(&d);
	aclf_err_init(&err);
	aclf_buf_init(&rep, 0);
	if (aclf_diff_devices(a, b, &d, &rep, 0, &err) < 0)
		fail_msg("diff: %s", aclf_err_text(&err));
	n = d.n + d.nlb;
	if (n)
		print_message("%s", rep.buf);
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_buf_release(&rep);
	return n;
}

/* text of the lines as one transaction on a tmsh session */
static void transaction(struct s *a, const char *lines)
{
	char *copy = strdup(lines), *save = NULL;

	assert_non_null(copy);
	feed(a, "create cli transaction");
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		feed(a, l);
	free(copy);
	assert_int_equal(feed(a, "submit cli transaction"), EMU_CHANGED);
	assert_string_equal(a->h->out.buf, TMSH("admin"));
}

static void test_roundtrip(void **state)
{
	struct h h;
	struct s a;
	char *render = read_fixture("bigip/emu_lb1_small.tmsh"), *d, *listed;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *want, *got, *cut;
	struct aclf_buf plan = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	assert_non_null(pol);
	aclf_err_init(&err);
	aclf_buf_init(&plan, 0);
	h_init(&h, false);
	a = s_open(&h, "admin");
	transaction(&a, render);
	d = dump(&h);
	want = parse(pol, render, "render");
	got = parse(pol, d, "dump");
	assert_true(want->nlb > 0);
	assert_int_equal(want->nlb, got->nlb);
	assert_int_equal(differences(want, got), 0);
	free(d);

	/* what `list ltm` shows parses to the same services */
	feed(&a, "list ltm");
	listed = strdup(h.out.buf);
	assert_non_null(listed);
	*strstr(listed, TMSH("admin")) = '\0';
	got = parse(pol, listed, "list");
	assert_int_equal(differences(want, got), 0);
	free(listed);

	/* the driver's plan over the live text (delete what aclforge owns,
	 * create again) goes through in one transaction */
	d = dump(&h);
	got = parse(pol, d, "live");
	free(d);
	if (aclf_driver_plan(aclf_driver_find("bigip"), want, got, NULL, &plan, &err) < 0)
		fail_msg("plan: %s", aclf_err_text(&err));
	HAS(plan.buf, "delete ltm virtual ");
	transaction(&a, plan.buf);
	d = dump(&h);
	got = parse(pol, d, "after plan");
	assert_int_equal(differences(want, got), 0);
	free(d);

	/* the comparison can fail: a service removed by hand */
	feed(&a, "delete ltm virtual aclf_fe-berlin-5061_vs");
	d = dump(&h);
	cut = parse(pol, d, "cut");
	assert_true(differences(want, cut) > 0);
	free(d);

	aclf_buf_release(&plan);
	aclf_err_release(&err);
	aclf_policy_free(pol);
	free(render);
	s_close(&a);
	h_release(&h);
}

/* a render with IPv6 virtuals and members (`ADDR.PORT`) */
static void test_roundtrip_ipv6(void **state)
{
	struct h h;
	struct s a;
	char *render = read_fixture("bigip/emu_lb-muc_two-site.tmsh"), *d, *listed;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *want, *got;
	struct aclf_buf plan = ACLF_BUF_INIT;
	struct aclf_err err;

	(void)state;
	assert_non_null(pol);
	aclf_err_init(&err);
	aclf_buf_init(&plan, 0);
	h_init(&h, false);
	a = s_open(&h, "admin");
	transaction(&a, render);
	d = dump(&h);
	HAS(d, "/Common/2001:db8:");
	want = parse(pol, render, "render");
	got = parse(pol, d, "dump");
	assert_int_equal(want->nlb, got->nlb);
	assert_int_equal(differences(want, got), 0);
	free(d);
	feed(&a, "list ltm one-line");
	listed = strdup(h.out.buf);
	assert_non_null(listed);
	*strstr(listed, TMSH("admin")) = '\0';
	HAS(listed, ".https ");
	got = parse(pol, listed, "list one-line");
	assert_int_equal(differences(want, got), 0);
	free(listed);
	feed(&a, "list ltm");
	listed = strdup(h.out.buf);
	assert_non_null(listed);
	*strstr(listed, TMSH("admin")) = '\0';
	got = parse(pol, listed, "list");
	if (aclf_driver_plan(aclf_driver_find("bigip"), want, got, NULL, &plan, &err) < 0)
		fail_msg("plan: %s", aclf_err_text(&err));
	transaction(&a, plan.buf);
	d = dump(&h);
	got = parse(pol, d, "after plan");
	assert_int_equal(differences(want, got), 0);
	free(d);
	free(listed);
	aclf_buf_release(&plan);
	aclf_err_release(&err);
	aclf_policy_free(pol);
	free(render);
	s_close(&a);
	h_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shells_and_prompts),
		cmocka_unit_test(test_objects_and_errors),
		cmocka_unit_test(test_transaction_all_or_nothing),
		cmocka_unit_test(test_save_and_exec),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_roundtrip_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
