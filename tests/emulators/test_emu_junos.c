/* The Junos kind of the device emulator, driven line by line as the SSH
 * server drives it: modes and prompts, syntax errors with their caret,
 * commit check, commit confirmed and its automatic rollback, the
 * exclusive lock, partial loads, rollback, exec, counters; and the round
 * trip: aclforge's render for a Junos device loaded and committed, the
 * kind's dump parsed back by the Junos driver to the same meaning. */
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

static void h_init(struct h *h, bool fail_commit, unsigned unit)
{
	struct emu_kind_opts o = { fail_commit, unit, "fw1" };

	h->k = &emu_kind_junos;
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

/* One typed line: the output, then the prompt or the question. */
static enum emu_next feed(struct s *s, const char *line)
{
	struct h *h = s->h;
	enum emu_next r;

	aclf_buf_reset(&h->out);
	h->q = NULL;
	r = h->k->line(h->dev, s->sess, line, &h->out, &h->q);
	if (h->q)
		aclf_buf_puts(&h->out, h->q);
	else if (r != EMU_CLOSE)
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

static const char filter_set[] =
	"set firewall family inet filter F term t1 from source-address 198.18.0.0/24\n"
	"set firewall family inet filter F term t1 from protocol tcp\n"
	"set firewall family inet filter F term t1 from destination-port [ 80 443 ]\n"
	"set firewall family inet filter F term t1 then count t1\n"
	"set firewall family inet filter F term t1 then accept\n"
	"set firewall family inet filter F term default-deny then discard\n"
	"set interfaces ge-0/0/1 unit 0 family inet filter input F\n";

static void type_lines(struct s *s, const char *text)
{
	char *copy = strdup(text), *save = NULL;

	assert_non_null(copy);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		feed(s, l);
	free(copy);
}

static void test_modes_and_prompts(void **state)
{
	struct h h;
	struct s s;

	(void)state;
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	aclf_buf_reset(&h.out);
	h.k->banner(h.dev, s.sess, &h.out);
	HAS(h.out.buf, "JUNOS");
	aclf_buf_reset(&h.out);
	h.k->prompt(h.dev, s.sess, &h.out);
	assert_string_equal(h.out.buf, "netops@fw1> ");
	feed(&s, "set cli screen-length 0");
	assert_string_equal(h.out.buf, "Screen length set to 0\r\nnetops@fw1> ");
	feed(&s, "set cli screen-width 511");
	HAS(h.out.buf, "Screen width set to 511\r\n");
	feed(&s, "show version");
	HAS(h.out.buf, "Hostname: fw1\r\n");
	HAS(h.out.buf, "Junos: ");
	feed(&s, "shwo version");
	/* the caret counts the prompt: "netops@fw1> " is 12 columns */
	assert_string_equal(h.out.buf, "            ^\r\nunknown command.\r\nnetops@fw1> ");
	feed(&s, "configure");
	assert_string_equal(h.out.buf, "Entering configuration mode\r\n\r\n[edit]\r\nnetops@fw1# ");
	feed(&s, "edit firewall family inet");
	assert_string_equal(h.out.buf, "\r\n[edit firewall family inet]\r\nnetops@fw1# ");
	feed(&s, "set filter G term a then accept");
	feed(&s, "top");
	feed(&s, "show firewall");
	HAS(h.out.buf, "family inet {\r\n    filter G {\r\n        term a {\r\n            then accept;\r\n");
	feed(&s, "rollback 0");
	HAS(h.out.buf, "load complete\r\n");
	feed(&s, "exit");
	assert_string_equal(h.out.buf, "Exiting configuration mode\r\nnetops@fw1> ");
	assert_int_equal(feed(&s, "exit"), EMU_CLOSE);
	s_close(&s);
	h_release(&h);
}

static void test_syntax_errors(void **state)
{
	struct h h;
	struct s s;
	char *d;

	(void)state;
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	feed(&s, "set firewall famly inet filter F");
	/* "netops@fw1# " is 12 columns, "famly" starts at column 13 of the line */
	assert_string_equal(h.out.buf, "                         ^\r\nsyntax error.\r\n\r\n[edit]\r\n"
				       "netops@fw1# ");
	feed(&s, "set firewall family inet filter F term t then count");
	HAS(h.out.buf, "missing argument.\r\n");
	feed(&s, "set firewall family inet filter F term t from source-address 10.1.1.300/32");
	HAS(h.out.buf, "syntax error.\r\n");
	feed(&s, "delete firewall family inet filter NOPE");
	HAS(h.out.buf, "warning: statement not found\r\n");
	feed(&s, "show | compare");
	assert_string_equal(h.out.buf, "\r\n[edit]\r\nnetops@fw1# ");
	type_lines(&s, filter_set);
	feed(&s, "show | compare");
	HAS(h.out.buf, "[edit]\r\n+    firewall {\r\n+        family inet {\r\n+            filter F {\r\n");
	HAS(h.out.buf, "+                        destination-port [ 80 443 ];\r\n");
	HAS(h.out.buf, "+                        source-address {\r\n+                            198.18.0.0/24;\r\n");
	feed(&s, "show | display set | match destination-port");
	HAS(h.out.buf, "set firewall family inet filter F term t1 from destination-port 80\r\n"
		       "set firewall family inet filter F term t1 from destination-port 443\r\n");
	HASNT(h.out.buf, "source-address");
	feed(&s, "show | display set | match \"port 80\" | except source");
	HAS(h.out.buf, "term t1 from destination-port 80\r\n");
	HASNT(h.out.buf, "443");
	/* a pattern the regex engine could take minutes on is plain text */
	feed(&s, "show | display set | match (a+)+{9}");
	assert_string_equal(h.out.buf, "\r\n[edit]\r\nnetops@fw1# ");
	/* one terminating action: discard replaces accept */
	feed(&s, "set firewall family inet filter F term t1 then discard");
	feed(&s, "show firewall family inet filter F term t1 then");
	HAS(h.out.buf, "discard;");
	HASNT(h.out.buf, "accept;");
	d = dump(&h);
	HASNT(d, "firewall"); /* nothing committed */
	free(d);
	feed(&s, "commit and-quit");
	HAS(h.out.buf, "commit complete\r\nExiting configuration mode\r\nnetops@fw1> ");
	d = dump(&h);
	HAS(d, "set firewall family inet filter F term t1 then discard\n");
	HAS(d, "set system host-name fw1\n");
	free(d);
	s_close(&s);
	h_release(&h);
}

static void test_commit_check(void **state)
{
	struct h h;
	struct s s;
	char *d;

	(void)state;
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	feed(&s, "set interfaces ge-0/0/1 unit 0 family inet filter input MISSING");
	feed(&s, "commit check");
	HAS(h.out.buf, "[edit interfaces ge-0/0/1 unit 0 family inet filter]\r\n  'input'\r\n"
		       "    Referenced filter 'MISSING' is not defined\r\n"
		       "error: configuration check-out failed\r\n");
	assert_int_equal(feed(&s, "commit"), EMU_CONTINUE);
	HAS(h.out.buf, "error: configuration check-out failed\r\n");
	HASNT(h.out.buf, "commit complete");
	d = dump(&h);
	HASNT(d, "MISSING");
	free(d);
	feed(&s, "rollback");
	type_lines(&s, filter_set);
	feed(&s, "commit check");
	HAS(h.out.buf, "configuration check succeeds\r\n");
	assert_int_equal(feed(&s, "commit"), EMU_CHANGED);
	HAS(h.out.buf, "commit complete\r\n");
	s_close(&s);
	h_release(&h);

	/* --fail-commit: both fail, nothing changes */
	h_init(&h, true, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	type_lines(&s, filter_set);
	feed(&s, "commit check");
	HAS(h.out.buf, "error: configuration check-out failed\r\n");
	assert_int_equal(feed(&s, "commit confirmed 5"), EMU_CONTINUE);
	HAS(h.out.buf, "error: configuration check-out failed\r\n");
	HASNT(h.out.buf, "rolled back");
	d = dump(&h);
	HASNT(d, "firewall");
	free(d);
	s_close(&s);
	h_release(&h);
}

static void test_commit_confirmed_expires(void **state)
{
	struct h h;
	struct s s;
	char *d;

	(void)state;
	h_init(&h, false, 100);
	assert_false(h.k->tick(h.dev, 5000));
	s = s_open(&h, "netops");
	feed(&s, "configure private");
	HAS(h.out.buf, "warning: uncommitted changes will be discarded on exit\r\n"
		       "Entering configuration mode\r\n");
	type_lines(&s, filter_set);
	assert_int_equal(feed(&s, "commit confirmed 3"), EMU_CHANGED);
	HAS(h.out.buf, "commit confirmed will be automatically rolled back in 3 minutes unless confirmed\r\n"
		       "commit complete\r\n\r\n# commit confirmed will be rolled back in 3 minutes\r\n[edit]\r\n");
	d = dump(&h);
	HAS(d, "filter F term t1");
	free(d);
	assert_false(h.k->tick(h.dev, 5150));
	feed(&s, "");
	HAS(h.out.buf, "# commit confirmed will be rolled back in 2 minutes\r\n");
	assert_false(h.k->tick(h.dev, 5299));
	assert_true(h.k->tick(h.dev, 5300));
	d = dump(&h);
	HASNT(d, "firewall");
	HAS(d, "set system host-name fw1\n");
	free(d);
	feed(&s, "");
	HAS(h.out.buf, "Commit was not confirmed; automatic rollback complete.\r\n");
	HASNT(h.out.buf, "rolled back in");
	assert_false(h.k->tick(h.dev, 99999));
	/* rollback 1 is the configuration that was rolled back */
	feed(&s, "rollback 1");
	feed(&s, "show | compare");
	HAS(h.out.buf, "+            filter F {");
	s_close(&s);
	h_release(&h);
}

static void test_commit_confirmed_confirmed(void **state)
{
	struct h h;
	struct s s;
	char *d;

	(void)state;
	h_init(&h, false, 100);
	assert_false(h.k->tick(h.dev, 1));
	s = s_open(&h, "netops");
	feed(&s, "configure exclusive");
	type_lines(&s, filter_set);
	feed(&s, "commit confirmed 1");
	HAS(h.out.buf, "rolled back in 1 minute unless confirmed\r\n");
	HAS(h.out.buf, "# commit confirmed will be rolled back in 1 minute\r\n");
	assert_int_equal(feed(&s, "commit"), EMU_CONTINUE);
	HAS(h.out.buf, "commit complete\r\n\r\n[edit]\r\n");
	assert_false(h.k->tick(h.dev, 1000000));
	d = dump(&h);
	HAS(d, "filter F term t1");
	free(d);
	s_close(&s);
	h_release(&h);
}

/* commit confirmed before the first tick: the window starts with it */
static void test_commit_confirmed_first_tick(void **state)
{
	struct h h;
	struct s s;
	char *d;

	(void)state;
	h_init(&h, false, 10);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	type_lines(&s, filter_set);
	feed(&s, "commit confirmed 2");
	assert_false(h.k->tick(h.dev, 7000));
	assert_false(h.k->tick(h.dev, 7019));
	assert_true(h.k->tick(h.dev, 7020));
	d = dump(&h);
	HASNT(d, "firewall");
	free(d);
	/* commit check confirms a pending commit */
	type_lines(&s, filter_set);
	feed(&s, "commit confirmed 2");
	feed(&s, "commit check");
	HAS(h.out.buf, "configuration check succeeds\r\n\r\n[edit]\r\n");
	assert_false(h.k->tick(h.dev, 9000));
	d = dump(&h);
	HAS(d, "filter F");
	free(d);
	feed(&s, "delete firewall");
	feed(&s, "commit");
	/* answering no keeps configuration mode */
	type_lines(&s, filter_set);
	feed(&s, "exit configuration-mode");
	assert_non_null(h.q);
	feed(&s, "no");
	assert_string_equal(h.out.buf, "\r\n[edit]\r\nnetops@fw1# ");
	/* what the server answers for --reject */
	aclf_buf_reset(&h.out);
	h.k->reject(h.dev, s.sess, "commit", &h.out);
	assert_string_equal(h.out.buf, "error: syntax error: commit\r\n");
	s_close(&s);
	h_release(&h);
}

static void test_exclusive_lock(void **state)
{
	struct h h;
	struct s a, b;

	(void)state;
	h_init(&h, false, 0);
	a = s_open(&h, "alice");
	b = s_open(&h, "bob");
	feed(&a, "configure exclusive");
	HAS(h.out.buf, "Entering configuration mode");
	feed(&b, "configure exclusive");
	HAS(h.out.buf, "error: configuration database locked by:\r\n  alice ");
	HAS(h.out.buf, "exclusive [edit]\r\nbob@fw1> ");
	feed(&b, "configure private");
	HAS(h.out.buf, "error: configuration database locked by:");
	feed(&b, "configure");
	HAS(h.out.buf, "Users currently editing the configuration:\r\n  alice ");
	feed(&b, "set system host-name other");
	HAS(h.out.buf, "error: configuration database locked by:");
	feed(&b, "exit");
	/* uncommitted changes of an exclusive session go on exit */
	feed(&a, "set system host-name fw2");
	feed(&a, "exit");
	HAS(h.out.buf, "The configuration has been changed but not committed\r\n"
		       "Exit with uncommitted changes? [yes,no] (yes) ");
	feed(&a, "yes");
	HAS(h.out.buf, "Exiting configuration mode\r\nalice@fw1> ");
	feed(&b, "configure exclusive");
	HAS(h.out.buf, "Entering configuration mode");
	feed(&b, "show | compare");
	HASNT(h.out.buf, "fw2");
	/* a session that closes while holding the lock releases it */
	s_close(&b);
	feed(&a, "configure exclusive");
	HAS(h.out.buf, "Entering configuration mode");
	s_close(&a);
	h_release(&h);
}

/* another session's commit confirmed, as a second session sees it: the
 * banner on entering configuration mode, `show system commit` with its
 * comment and `rollback pending` under entry 0; once confirmed the entry
 * keeps its text but nothing is pending; an expiry is root's commit */
static void test_foreign_pending(void **state)
{
	struct h h;
	struct s a, b;

	(void)state;
	h_init(&h, false, 100);
	assert_false(h.k->tick(h.dev, 1));
	a = s_open(&h, "alice");
	b = s_open(&h, "bob");
	feed(&b, "show system commit");
	assert_string_equal(h.out.buf, "0   2026-12-05 00:00:00 UTC by root via other\r\nbob@fw1> ");
	feed(&a, "configure");
	feed(&a, "set system location building B2");
	feed(&a, "commit confirmed 5 comment \"trial of B2\"");
	HAS(h.out.buf, "rolled back in 5 minutes unless confirmed\r\ncommit complete\r\n");
	feed(&b, "show system commit");
	HAS(h.out.buf, "0   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 5mins\r\n"
		       "    trial of B2\r\n"
		       "    rollback pending\r\n"
		       "1   2026-12-05 00:00:00 UTC by root via other\r\n");
	feed(&b, "configure private");
	HAS(h.out.buf, "Entering configuration mode\r\n\r\n"
		       "# commit confirmed will be rolled back in 5 minutes\r\n[edit]\r\nbob@fw1# ");
	feed(&b, "exit configuration-mode");
	feed(&a, "commit");
	feed(&b, "show system commit");
	HAS(h.out.buf, "0   2026-12-05 00:00:00 UTC by alice via cli\r\n"
		       "1   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 5mins\r\n"
		       "    trial of B2\r\n2   ");
	HASNT(h.out.buf, "rollback pending");
	feed(&b, "configure private");
	HASNT(h.out.buf, "# commit confirmed");
	feed(&b, "exit configuration-mode");
	/* an expiry */
	feed(&a, "commit confirmed 1");
	assert_true(h.k->tick(h.dev, 200));
	feed(&b, "show system commit");
	HAS(h.out.buf, "0   2026-12-05 00:00:00 UTC by root via other\r\n"
		       "1   2026-12-05 00:00:00 UTC by alice via cli commit confirmed, rollback in 1mins\r\n"
		       "2   ");
	HASNT(h.out.buf, "rollback pending");
	s_close(&a);
	s_close(&b);
	h_release(&h);
}

/* someone's uncommitted change in the shared candidate: configure private
 * is refused outright, configure exclusive names the editors first */
static void test_shared_modified(void **state)
{
	struct h h;
	struct s a, b;

	(void)state;
	h_init(&h, false, 0);
	a = s_open(&h, "alice");
	b = s_open(&h, "bob");
	feed(&a, "configure");
	feed(&a, "set system location building B2");
	feed(&b, "configure private");
	assert_string_equal(h.out.buf, "error: shared configuration database modified\r\nbob@fw1> ");
	feed(&b, "configure exclusive");
	assert_string_equal(h.out.buf, "Users currently editing the configuration:\r\n"
				       "  1 other session [edit]\r\n"
				       "error: configuration database modified\r\nbob@fw1> ");
	/* alice leaves, her change stays in the shared candidate */
	feed(&a, "exit");
	feed(&a, "yes");
	feed(&b, "configure exclusive");
	assert_string_equal(h.out.buf, "error: configuration database modified\r\nbob@fw1> ");
	feed(&a, "configure");
	feed(&a, "rollback 0");
	feed(&a, "exit");
	feed(&b, "configure private");
	HAS(h.out.buf, "Entering configuration mode");
	s_close(&a);
	s_close(&b);
	h_release(&h);
}

static void test_partial_load(void **state)
{
	struct h h;
	struct s s;
	enum emu_next r;

	(void)state;
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	feed(&s, "load set terminal");
	assert_string_equal(h.out.buf, "[Type ^D at a new line to end input]\r\n");
	feed(&s, "set firewall family inet filter F term t1 then accept");
	assert_string_equal(h.out.buf, "");
	feed(&s, "set firewall famly inet filter F term t2 then accept");
	feed(&s, "set firewall family inet filter F term t3 then accept");
	r = feed(&s, "\x04");
	assert_int_equal(r, EMU_CONTINUE);
	HAS(h.out.buf, "terminal:2:(13) syntax error: famly\r\nload complete\r\n");
	feed(&s, "show firewall family inet filter F | display set");
	HAS(h.out.buf, "term t1 then accept\r\n");
	HAS(h.out.buf, "term t3 then accept\r\n");
	HASNT(h.out.buf, "t2");

	/* curly: what comes before the error stays */
	feed(&s, "load override terminal");
	feed(&s, "system { host-name fw1; }");
	feed(&s, "firewall { family inet { filter G { term a { then accept; } } } }");
	feed(&s, "firewall { family inet { filter H { term b { then bogus; } } } }");
	feed(&s, "\x04");
	HAS(h.out.buf, "terminal:3:(50) syntax error: bogus\r\nload complete (1 errors)\r\n");
	feed(&s, "show | display set");
	HAS(h.out.buf, "set firewall family inet filter G term a then accept\r\n");
	HASNT(h.out.buf, "filter F");
	HASNT(h.out.buf, "filter H");

	/* an empty block is a statement only when it is a whole one */
	feed(&s, "load merge terminal");
	feed(&s, "policy-options { prefix-list { } }");
	feed(&s, "\x04");
	HAS(h.out.buf, "terminal:1:(31) missing argument: }\r\nload complete (1 errors)\r\n");
	feed(&s, "load merge terminal");
	feed(&s, "firewall { family inet { filter E { } } }");
	feed(&s, "\x04");
	HAS(h.out.buf, "load complete\r\n");
	feed(&s, "show | display set");
	HAS(h.out.buf, "set firewall family inet filter E\r\n");
	HASNT(h.out.buf, "set firewall family\r\n");
	feed(&s, "delete firewall family inet filter E");

	/* replace: tags replace their subtree */
	feed(&s, "load replace terminal");
	feed(&s, "firewall { family inet { replace: filter G { term z { then discard; } } } }");
	feed(&s, "\x04");
	HAS(h.out.buf, "load complete\r\n");
	feed(&s, "show | display set");
	HAS(h.out.buf, "set firewall family inet filter G term z then discard\r\n");
	HASNT(h.out.buf, "term a");

	/* `delete` alone asks first */
	feed(&s, "delete");
	assert_string_equal(h.q, "Delete everything under this level? [yes,no] (no) ");
	feed(&s, "no");
	feed(&s, "show | display set");
	HAS(h.out.buf, "filter G term z");
	feed(&s, "edit firewall");
	feed(&s, "delete");
	feed(&s, "yes");
	feed(&s, "top");
	feed(&s, "show | display set");
	HASNT(h.out.buf, "firewall");
	HAS(h.out.buf, "set system host-name fw1\r\n");
	s_close(&s);
	h_release(&h);
}

static void test_rollback(void **state)
{
	struct h h;
	struct s s;
	char *first, *d;

	(void)state;
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	feed(&s, "set system host-name one");
	feed(&s, "commit");
	first = dump(&h);
	feed(&s, "set system host-name two");
	feed(&s, "commit");
	feed(&s, "rollback 7");
	HAS(h.out.buf, "error: ");
	feed(&s, "rollback 1");
	HAS(h.out.buf, "load complete\r\n");
	feed(&s, "show | compare");
	HAS(h.out.buf, "[edit system]\r\n-    host-name two;\r\n+    host-name one;\r\n");
	assert_int_equal(feed(&s, "commit"), EMU_CHANGED);
	d = dump(&h);
	assert_string_equal(d, first);
	free(d);
	free(first);
	s_close(&s);
	h_release(&h);
}

static void test_exec(void **state)
{
	struct h h;
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT;
	bool changed = true;

	(void)state;
	h_init(&h, false, 0);
	aclf_buf_init(&out, 0);
	aclf_buf_init(&err, 0);
	assert_int_equal(h.k->exec(h.dev, "netops", "show configuration system | display set", &out,
				   &err, &changed), 0);
	assert_false(changed);
	HAS(out.buf, "set system host-name fw1\n");
	HASNT(out.buf, "\r");
	aclf_buf_reset(&out);
	assert_int_equal(h.k->exec(h.dev, "netops",
				   "cli -c \"configure private; set system host-name x; commit\"", &out,
				   &err, &changed), 0);
	assert_true(changed);
	HAS(out.buf, "commit complete\n");
	aclf_buf_reset(&out);
	assert_int_equal(h.k->exec(h.dev, "netops", "show bogus", &out, &err, &changed), 1);
	HAS(err.buf, "syntax error");
	aclf_buf_release(&out);
	aclf_buf_release(&err);
	h_release(&h);
}

static void test_show_firewall_counters(void **state)
{
	struct h h;
	struct s s;
	struct aclf_buf msg = ACLF_BUF_INIT;

	(void)state;
	h_init(&h, false, 0);
	aclf_buf_init(&msg, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure");
	type_lines(&s, filter_set);
	feed(&s, "commit and-quit");
	assert_int_equal(h.k->control(h.dev, "count F t1 3 180", &msg), 0);
	assert_int_equal(h.k->control(h.dev, "count F nope 1", &msg), -1);
	HAS(msg.buf, "nope");
	feed(&s, "show firewall");
	HAS(h.out.buf, "Filter: F                                                      \r\n"
		       "Counters:\r\n"
		       "Name                                                Bytes              Packets\r\n"
		       "t1                                                    180                    3\r\n");
	/* a packet through the filter bound at ge-0/0/1.0 input */
	aclf_buf_reset(&msg);
	assert_int_equal(h.k->control(h.dev, "packet ge-0/0/1.0 in tcp 198.18.0.9 40000 198.18.5.5 443 60", &msg), 0);
	assert_string_equal(msg.buf, "t1 accept\n");
	aclf_buf_reset(&msg);
	assert_int_equal(h.k->control(h.dev, "packet ge-0/0/1 in tcp 198.18.0.9 40000 198.18.5.5 22", &msg), 0);
	assert_string_equal(msg.buf, "default-deny discard\n");
	aclf_buf_reset(&msg);
	assert_int_equal(h.k->control(h.dev, "packet F udp 198.18.0.9 40000 198.18.5.5 443", &msg), 0);
	assert_string_equal(msg.buf, "default-deny discard\n");
	aclf_buf_reset(&msg);
	assert_int_equal(h.k->control(h.dev, "packet F tcp 198.18.9.9 40000 198.18.5.5 80", &msg), 0);
	assert_string_equal(msg.buf, "default-deny discard\n");
	aclf_buf_reset(&msg);
	assert_int_equal(h.k->control(h.dev, "packet ge-0/0/2.0 in tcp 198.18.0.9 1 198.18.5.5 80", &msg), 0);
	assert_string_equal(msg.buf, "no filter\n");
	assert_int_equal(h.k->control(h.dev, "packet F tcp nonsense", &msg), -1);
	feed(&s, "show firewall filter F");
	HAS(h.out.buf, "t1                                                    240                    4\r\n");
	aclf_buf_release(&msg);
	s_close(&s);
	h_release(&h);
}

/* ---- round trip with the Junos driver ---- */

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
	if (aclf_driver_parse(aclf_driver_find("junos"), text, strlen(text),
			      &(struct aclf_parse_opts){ .name = "fw1", .label = label }, pol, &dp,
			      &err) < 0)
		fail_msg("%s does not parse: %s", label, aclf_err_text(&err));
	aclf_err_release(&err);
	return dp;
}

static size_t differences(const struct aclf_devpol *a, const struct aclf_devpol *b)
{
	struct aclf_diff d;
	struct aclf_err err;
	size_t n;

	aclf_diff_init(&d);
	aclf_err_init(&err);
	if (aclf_diff_devices(a, b, &d, NULL, 0, &err) < 0)
		fail_msg("diff: %s", aclf_err_text(&err));
	n = d.n + d.nlb;
	aclf_diff_release(&d);
	aclf_err_release(&err);
	return n;
}

static void test_roundtrip(void **state)
{
	struct h h;
	struct s s;
	char *render = read_fixture("junos/emu_fw1_small.set"), *d;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *want, *got, *cut;

	(void)state;
	assert_non_null(pol);
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure private");
	feed(&s, "load set terminal");
	type_lines(&s, render);
	feed(&s, "\x04");
	/* the render's own `delete` lines name what is not there yet */
	HAS(h.out.buf, "warning: statement not found\r\n");
	HASNT(h.out.buf, "error");
	HAS(h.out.buf, "load complete\r\n");
	feed(&s, "commit check");
	HAS(h.out.buf, "configuration check succeeds");
	assert_int_equal(feed(&s, "commit"), EMU_CHANGED);
	d = dump(&h);
	want = parse(pol, render, "render");
	got = parse(pol, d, "dump");
	assert_true(want->nfilters > 0);
	assert_int_equal(differences(want, got), 0);
	free(d);
	{
		struct aclf_buf msg = ACLF_BUF_INIT;

		/* prefix lists decide packets as the render meant */
		aclf_buf_init(&msg, 0);
		assert_int_equal(h.k->control(h.dev, "packet ge-0/0/1.0 out tcp 10.1.1.11 50000 10.1.2.11 444", &msg), 0);
		assert_string_equal(msg.buf, "r0001 accept\n");
		aclf_buf_reset(&msg);
		assert_int_equal(h.k->control(h.dev, "packet ge-0/0/1.0 out tcp 10.1.1.11 50000 10.1.2.11 22", &msg), 0);
		assert_string_equal(msg.buf, "default-deny discard\n");
		aclf_buf_release(&msg);
	}

	/* the comparison can fail: drop a term on the device */
	feed(&s, "delete firewall family inet filter lync-directors term r0002");
	feed(&s, "commit");
	d = dump(&h);
	cut = parse(pol, d, "dump-cut");
	assert_true(differences(want, cut) > 0);
	free(d);

	/* and the curly form the device shows parses the same */
	feed(&s, "rollback 1");
	feed(&s, "commit and-quit");
	feed(&s, "show configuration");
	HAS(h.out.buf, "## Last commit: ");
	{
		char *curly = strdup(h.out.buf);
		char *end = strstr(curly, "netops@fw1> ");

		assert_non_null(end);
		*end = '\0';
		got = parse(pol, curly, "curly");
		assert_int_equal(differences(want, got), 0);
		free(curly);
	}
	aclf_policy_free(pol);
	free(render);
	s_close(&s);
	h_release(&h);
}

/* a larger render (inet and inet6, two filters): load, commit, and both
 * the dump and the curly configuration mean what the render means */
static void test_roundtrip_two_site(void **state)
{
	struct h h;
	struct s s;
	char *render = read_fixture("junos/emu_fw-ber_two-site.set"), *d, *curly, *end;
	struct aclf_policy *pol = aclf_policy_new();
	struct aclf_devpol *want, *got;

	(void)state;
	assert_non_null(pol);
	h_init(&h, false, 0);
	s = s_open(&h, "netops");
	feed(&s, "configure exclusive");
	feed(&s, "load set terminal");
	type_lines(&s, render);
	feed(&s, "\x04");
	HASNT(h.out.buf, "error");
	assert_int_equal(feed(&s, "commit and-quit"), EMU_CHANGED);
	d = dump(&h);
	want = parse(pol, render, "render");
	got = parse(pol, d, "dump");
	assert_true(want->nfilters > 1);
	assert_int_equal(differences(want, got), 0);
	free(d);
	feed(&s, "show configuration");
	curly = strdup(h.out.buf);
	assert_non_null(curly);
	end = strstr(curly, "netops@fw1> ");
	assert_non_null(end);
	*end = '\0';
	got = parse(pol, curly, "curly");
	assert_int_equal(differences(want, got), 0);
	free(curly);
	aclf_policy_free(pol);
	free(render);
	s_close(&s);
	h_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_and_prompts),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_commit_check),
		cmocka_unit_test(test_commit_confirmed_expires),
		cmocka_unit_test(test_commit_confirmed_confirmed),
		cmocka_unit_test(test_commit_confirmed_first_tick),
		cmocka_unit_test(test_exclusive_lock),
		cmocka_unit_test(test_foreign_pending),
		cmocka_unit_test(test_shared_modified),
		cmocka_unit_test(test_partial_load),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_show_firewall_counters),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_roundtrip_two_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
