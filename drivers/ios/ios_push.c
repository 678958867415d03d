/* Fetch and safe apply on IOS over the interactive shell (README.md here,
 * "Apply"). Every op opens the session's shell, reaches privileged EXEC
 * with paging off, does its work and closes the shell again, so any op may
 * run on any session.
 *
 * A reply is the device's refusal when one of its lines is an IOS CLI
 * message: "% " and text (`% Invalid input detected at '^' marker.` with
 * the caret line above it, `% Incomplete command.`, `% Ambiguous command:
 * "..."`, `% No password set`). Syslog lines (`%SYS-5-CONFIG_I: ...`) have
 * no blank after the percent sign and are not refusals.
 *
 * The transaction: load sends the plan up to its final removals (new lists
 * and groups under the free version's names, one binding command per
 * interface and family); the old lists stay defined, the safety net a
 * rollback rebinds. txn->state holds, one per line, "C <command>" for
 * confirm (the old lists and groups removed) and "R <command>" for
 * rollback (old bindings back, new lists and groups removed), and
 * "O <list>" for each old list a rebind names. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "ios.h"

/* host>, host#, host(config)#, host(config-ext-nacl)# */
#define IOS_PROMPT "^[A-Za-z0-9][A-Za-z0-9._:/-]*(\\([A-Za-z0-9-]+\\))?[>#] ?$"
#define ENABLE_TIMEOUT_MS 5000u

/* The question `copy running-config startup-config` asks, and its answer
 * (the default file name). */
static const struct aclf_ssh_answer copy_answers[] = {
	{ "^Destination filename \\[startup-config\\]\\? ?$", "\n" },
};

/* The device's refusal in reply text: its "% " line (with the caret line
 * above an invalid-input message), or none. Returns 1 and fills w. */
static int refusal(const char *text, struct aclf_buf *w)
{
	const char *p = text, *prev = NULL;
	size_t prevlen = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t m = n;

		while (m && p[m - 1] == '\r')
			m--;
		if (m >= 2 && p[0] == '%' && p[1] == ' ') {
			if (!strncmp(p, "% Invalid input detected", 24) && prev) {
				/* the caret line, trimmed of the prompt's width of blanks */
				const char *c = memchr(prev, '^', prevlen);
				if (c) {
					aclf_buf_add(w, prev, prevlen);
					aclf_buf_puts(w, " / ");
				}
			}
			aclf_buf_add(w, p, m);
			return 1;
		}
		prev = p;
		prevlen = m;
		p = e ? e + 1 : p + n;
	}
	return 0;
}

/* One line on the shell; a "% " answer is the device's refusal. */
static int cmd(struct aclf_ssh *ssh, const struct aclf_device *dev, const char *line,
	       const struct aclf_ssh_answer *ans, size_t nans, unsigned timeout_ms,
	       struct aclf_ssh_reply *r, struct aclf_err *err)
{
	struct aclf_ssh_line l = { .text = line, .answers = ans, .nanswers = nans,
				   .timeout_ms = timeout_ms };
	struct aclf_buf w = ACLF_BUF_INIT;

	aclf_ssh_reply_release(r);
	aclf_ssh_reply_init(r);
	if (aclf_ssh_shell_run(ssh, &l, r, err) < 0)
		return -1;
	aclf_buf_init(&w, 0);
	if (refusal(r->text.buf, &w)) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, line, "%s", w.buf);
		aclf_buf_release(&w);
		return -1;
	}
	aclf_buf_release(&w);
	return 0;
}

static bool user_exec(const struct aclf_ssh_reply *r, const struct aclf_buf *banner)
{
	const struct aclf_buf *p = r ? &r->prompt : banner;
	size_t n = p->len;

	while (n && (p->buf[n - 1] == ' ' || p->buf[n - 1] == '\r' || p->buf[n - 1] == '\n'))
		n--;
	return n && p->buf[n - 1] == '>';
}

/* Open the shell in privileged EXEC with paging off. */
static int begin(struct aclf_ssh *ssh, const struct aclf_device *dev, unsigned tmo,
		 struct aclf_ssh_reply *r, struct aclf_err *err)
{
	struct aclf_ssh_shell_opts so = { .prompt = IOS_PROMPT, .cols = 511, .timeout_ms = tmo };
	struct aclf_buf banner = ACLF_BUF_INIT;
	int rc = -1;

	aclf_buf_init(&banner, 0);
	if (aclf_ssh_shell_open(ssh, &so, &banner, err) < 0)
		goto out;
	/* user EXEC: enable without a secret (a device asking for one asks a
	 * question aclforge does not answer: an error naming it, not a hang) */
	if (user_exec(NULL, &banner)) {
		if (cmd(ssh, dev, "enable", NULL, 0, ENABLE_TIMEOUT_MS, r, err) < 0)
			goto out;
		if (user_exec(r, NULL)) {
			aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "enable",
					"still in user EXEC ('%s'): aclforge needs privileged EXEC",
					r->prompt.buf);
			goto out;
		}
	}
	if (cmd(ssh, dev, "terminal length 0", NULL, 0, tmo, r, err) < 0 ||
	    cmd(ssh, dev, "terminal width 511", NULL, 0, tmo, r, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		aclf_ssh_shell_close(ssh);
	aclf_buf_release(&banner);
	return rc;
}

/* The output of reply text: without the echoed command line and CRs. */
static int output(const struct aclf_buf *t, struct aclf_buf *out)
{
	const char *p = strchr(t->buf, '\n');

	p = p ? p + 1 : t->buf + t->len;
	for (; *p; p++)
		if (*p != '\r' && aclf_buf_putc(out, *p) < 0)
			return -1;
	return 0;
}

static int show_run(struct aclf_ssh *ssh, const struct aclf_device *dev, unsigned tmo,
		    struct aclf_ssh_reply *r, struct aclf_buf *out, struct aclf_err *err)
{
	if (cmd(ssh, dev, "show running-config", NULL, 0, tmo, r, err) < 0)
		return -1;
	if (output(&r->text, out) < 0)
		return aclf_err_remote(err, ACLF_E_NOMEM, dev->name, "show running-config",
				       "out of memory");
	return 0;
}

int ios_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
	      struct aclf_err *err)
{
	struct aclf_ssh_reply r;
	int rc = -1;

	aclf_ssh_reply_init(&r);
	if (begin(ssh, dev, 0, &r, err) < 0)
		goto out;
	rc = show_run(ssh, dev, 0, &r, running, err);
	aclf_ssh_shell_close(ssh);
out:
	aclf_ssh_reply_release(&r);
	return rc;
}

/* ---- the plan split, and what undoes it ------------------------------------ */

struct bind {
	char iface[128], cmd[48], name[160], dir[8];
};

/* " ip access-group NAME in" / " ipv6 traffic-filter NAME out" (also with
 * "no "), as the running configuration and the plan write them. */
static int read_bind(const char *line, bool *no, struct bind *b)
{
	char w1[8], w2[32], name[160], dir[8];
	const char *p = line;

	while (*p == ' ')
		p++;
	*no = !strncmp(p, "no ", 3);
	if (*no)
		p += 3;
	if (sscanf(p, "%7s %31s %159s %7s", w1, w2, name, dir) != 4 ||
	    !((!strcmp(w1, "ip") && !strcmp(w2, "access-group")) ||
	      (!strcmp(w1, "ipv6") && !strcmp(w2, "traffic-filter"))) ||
	    (strcmp(dir, "in") && strcmp(dir, "out")))
		return 0;
	snprintf(b->cmd, sizeof(b->cmd), "%s %s", w1, w2);
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->dir, sizeof(b->dir), "%s", dir);
	return 1;
}

/* The binding the running configuration has at iface for cmd and dir. */
static const char *old_bind(const char *run, const char *iface, const struct bind *want,
			    struct bind *found)
{
	const char *p = run;
	bool in = false;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		char line[512];
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool no;

		snprintf(line, sizeof(line), "%.*s", (int)(n < 511 ? n : 511), p);
		if (!strncmp(line, "interface ", 10))
			in = !strcmp(line + 10, iface);
		else if (line[0] != ' ')
			in = false;
		else if (in && read_bind(line, &no, found) && !no && !strcmp(found->cmd, want->cmd) &&
			 !strcmp(found->dir, want->dir))
			return found->name;
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

static bool top_no(const char *line)
{
	return !strncmp(line, "no ip access-list ", 18) || !strncmp(line, "no ipv6 access-list ", 20) ||
	       !strncmp(line, "no object-group ", 16);
}

/* Split plan: load gets the lines before the final run of removals
 * (comments and blank lines left out); state gets C, R and O lines. */
static int split(const struct aclf_buf *plan, const char *run, struct aclf_buf *load,
		 struct aclf_buf *state)
{
	struct aclf_buf rdefs = ACLF_BUF_INIT;
	const char *p = plan->buf, *tail = plan->buf + plan->len;
	char iface[128] = "";
	int rc = 0;

	/* the final removals: the last lines, all top-level `no` of a list or
	 * group (comments and blanks between them allowed) */
	for (const char *q = plan->buf; q && *q;) {
		const char *e = strchr(q, '\n');
		size_t n = e ? (size_t)(e - q) : strlen(q);
		if (n && q[0] != '!' && !(n >= 3 && top_no(q)))
			tail = plan->buf + plan->len;
		else if (n && q[0] != '!' && tail == plan->buf + plan->len)
			tail = q;
		q = e ? e + 1 : NULL;
	}
	aclf_buf_init(&rdefs, 0);
	while (p < tail) {
		const char *e = memchr(p, '\n', (size_t)(tail - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(tail - p);
		char line[1024];
		struct bind b, o;
		bool no;

		snprintf(line, sizeof(line), "%.*s", (int)(n < 1023 ? n : 1023), p);
		p = e ? e + 1 : tail;
		if (!line[0] || line[0] == '!')
			continue;
		rc |= aclf_buf_printf(load, "%s\n", line);
		if (!strncmp(line, "interface ", 10)) {
			snprintf(iface, sizeof(iface), "%s", line + 10);
		} else if (line[0] != ' ') {
			iface[0] = '\0';
			/* a new list or group: rollback removes it */
			if (!strncmp(line, "ip access-list extended ", 24) ||
			    !strncmp(line, "ipv6 access-list ", 17) || !strncmp(line, "object-group ", 13))
				rc |= aclf_buf_printf(&rdefs, "R no %s\n", line);
		} else if (iface[0] && read_bind(line, &no, &b)) {
			const char *was = old_bind(run, iface, &b, &o);
			rc |= aclf_buf_printf(state, "R interface %s\n", iface);
			if (no)
				rc |= aclf_buf_printf(state, "R  %s %s %s\nO %s\n", b.cmd, b.name, b.dir,
						      b.name);
			else if (was)
				rc |= aclf_buf_printf(state, "R  %s %s %s\nO %s\n", b.cmd, was, b.dir, was);
			else
				rc |= aclf_buf_printf(state, "R  no %s %s %s\n", b.cmd, b.name, b.dir);
		}
	}
	/* lists before the groups they use are removed */
	for (int pass = 0; pass < 2; pass++)
		for (const char *q = rdefs.buf; q && *q;) {
			const char *e = strchr(q, '\n');
			size_t n = e ? (size_t)(e - q + 1) : strlen(q);
			if ((strncmp(q, "R no object-group ", 18) == 0) == (pass == 1))
				rc |= aclf_buf_add(state, q, n);
			q = e ? e + 1 : NULL;
		}
	for (p = tail; p < plan->buf + plan->len;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[0] != '!')
			rc |= aclf_buf_printf(state, "C %.*s\n", (int)n, p);
		p = e ? e + 1 : plan->buf + plan->len;
	}
	aclf_buf_release(&rdefs);
	return rc ? -1 : 0;
}

/* Send the state's lines of kind k (config mode). */
static int send_state(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_txn *txn,
		      char k, unsigned tmo, struct aclf_ssh_reply *r, struct aclf_err *err)
{
	for (const char *p = txn->state.buf; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[1024];

		if (p[0] == k && n > 2) {
			snprintf(line, sizeof(line), "%.*s", (int)(n - 2 < 1023 ? n - 2 : 1023), p + 2);
			if (cmd(ssh, dev, line, NULL, 0, tmo, r, err) < 0)
				return -1;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static void end_config(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_ssh_reply *r)
{
	struct aclf_err ignore;

	if (!aclf_ssh_usable(ssh))
		return;
	aclf_err_init(&ignore);
	cmd(ssh, dev, "end", NULL, 0, 0, r, &ignore);
	aclf_err_release(&ignore);
}

int ios_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	     const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err)
{
	struct aclf_ssh_reply r;
	struct aclf_buf run = ACLF_BUF_INIT, load = ACLF_BUF_INIT;
	unsigned tmo = opts->command_timeout_ms;
	int rc = -1;

	aclf_ssh_reply_init(&r);
	aclf_buf_init(&run, 0);
	aclf_buf_init(&load, 0);
	if (begin(ssh, dev, tmo, &r, err) < 0)
		goto out;
	/* the bindings as they are now, for rollback, before any change */
	if (show_run(ssh, dev, tmo, &r, &run, err) < 0)
		goto close;
	aclf_buf_reset(&txn->state);
	if (split(plan, run.buf, &load, &txn->state) < 0) {
		aclf_err_remote(err, ACLF_E_NOMEM, dev->name, NULL, "out of memory");
		goto close;
	}
	if (cmd(ssh, dev, "configure terminal", NULL, 0, tmo, &r, err) < 0)
		goto close;
	/* the old lists stay defined until confirm: that is the net */
	txn->armed = true;
	txn->loaded = true;
	for (const char *p = load.buf; *p;) {
		const char *e = strchr(p, '\n');
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)(e - p < 1023 ? e - p : 1023), p);
		p = e + 1;
		if (cmd(ssh, dev, line, NULL, 0, tmo, &r, err) < 0) {
			end_config(ssh, dev, &r);
			goto close;
		}
	}
	if (cmd(ssh, dev, "end", NULL, 0, tmo, &r, err) < 0)
		goto close;
	rc = 0;
close:
	aclf_ssh_shell_close(ssh);
out:
	aclf_buf_release(&run);
	aclf_buf_release(&load);
	aclf_ssh_reply_release(&r);
	return rc;
}

int ios_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		struct aclf_err *err)
{
	struct aclf_ssh_reply r;
	int rc = -1;

	aclf_ssh_reply_init(&r);
	if (begin(ssh, dev, 0, &r, err) < 0)
		goto out;
	if (cmd(ssh, dev, "configure terminal", NULL, 0, 0, &r, err) < 0)
		goto close;
	if (send_state(ssh, dev, txn, 'C', 0, &r, err) < 0) {
		end_config(ssh, dev, &r);
		goto close;
	}
	if (cmd(ssh, dev, "end", NULL, 0, 0, &r, err) < 0)
		goto close;
	txn->armed = false;
	/* saved only once the old names are gone: startup holds the new policy */
	if (cmd(ssh, dev, "copy running-config startup-config", copy_answers, 1, 0, &r, err) < 0)
		goto close;
	rc = 0;
close:
	aclf_ssh_shell_close(ssh);
out:
	aclf_ssh_reply_release(&r);
	return rc;
}

/* Is list name defined in the running configuration? */
static bool defined(const char *run, const char *name)
{
	static const char *const heads[] = { "ip access-list extended ", "ipv6 access-list ", NULL };

	for (const char *p = run; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		for (int i = 0; heads[i]; i++) {
			size_t h = strlen(heads[i]);
			if (n == h + strlen(name) && !strncmp(p, heads[i], h) && !strncmp(p + h, name, n - h))
				return true;
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

int ios_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		 struct aclf_err *err)
{
	struct aclf_ssh_reply r;
	struct aclf_buf run = ACLF_BUF_INIT;
	int rc = -1;

	if (!txn->loaded)
		return 0; /* nothing was sent */
	aclf_ssh_reply_init(&r);
	aclf_buf_init(&run, 0);
	if (begin(ssh, dev, 0, &r, err) < 0 || show_run(ssh, dev, 0, &r, &run, err) < 0)
		goto close;
	/* an old list gone: confirm went through (its answer was lost);
	 * rebinding would bind a list that is not there */
	for (const char *p = txn->state.buf; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char name[256];

		if (p[0] == 'O' && n > 2) {
			snprintf(name, sizeof(name), "%.*s", (int)(n - 2 < 255 ? n - 2 : 255), p + 2);
			if (!defined(run.buf, name)) {
				txn->over = true;
				txn->armed = false;
				rc = 0;
				goto close;
			}
		}
		p = e ? e + 1 : NULL;
	}
	if (cmd(ssh, dev, "configure terminal", NULL, 0, 0, &r, err) < 0)
		goto close;
	if (send_state(ssh, dev, txn, 'R', 0, &r, err) < 0) {
		end_config(ssh, dev, &r);
		goto close;
	}
	if (cmd(ssh, dev, "end", NULL, 0, 0, &r, err) < 0)
		goto close;
	txn->armed = false;
	rc = 0;
close:
	aclf_ssh_shell_close(ssh);
	aclf_buf_release(&run);
	aclf_ssh_reply_release(&r);
	return rc;
}
