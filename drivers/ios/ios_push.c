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
 * The transaction: load reads the running configuration first, then
 * sends the whole plan in one configuration session (new lists and groups
 * under the free version's names, one binding command per interface and
 * family, the old lists and groups removed last: nesting groups before the
 * groups they nest, with groups only they nest). The old names cannot stay
 * defined until confirm: the core verifies by meaning over a new session,
 * and an unbound list reads as a filter of its own (drift). txn->state
 * holds what rollback sends, one per line: "N header" and "M line" for each
 * list and group the load removes, as the running configuration had it
 * (rollback defines those not there again), then "R command": the old
 * bindings back and the new lists and groups removed (those that exist),
 * then "P header" and "M line" for leftovers of the new version's names
 * the plan removes first (defined again after the new ones are gone).
 * confirm saves (copy running-config startup-config, its question
 * answered) unless the load was told not to (opts->no_save: a first line
 * "S no-save" in txn->state; the startup configuration is left as it was
 * and txn->unsaved set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "ios.h"

/* host>, host#, host(config)#, host(config-ext-nacl)# */
#define IOS_PROMPT "^[A-Za-z0-9][A-Za-z0-9._:/-]*(\\([A-Za-z0-9-]+\\))?[>#] ?$"
#define ENABLE_TIMEOUT_MS 5000u
/* txn->state's first line when confirm must not save */
#define NOSAVE "S no-save"

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

static bool user_exec(const struct aclf_ssh_reply *r)
{
	const struct aclf_buf *p = &r->prompt;
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
	/* the prompt tells the mode (the banner ends before it) */
	if (cmd(ssh, dev, "terminal length 0", NULL, 0, tmo, r, err) < 0)
		goto out;
	/* user EXEC: enable without a secret (a device asking for one asks a
	 * question aclforge does not answer: an error naming it, not a hang) */
	if (user_exec(r)) {
		if (cmd(ssh, dev, "enable", NULL, 0, ENABLE_TIMEOUT_MS, r, err) < 0)
			goto out;
		if (user_exec(r)) {
			aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "enable",
					"still in user EXEC ('%s'): aclforge needs privileged EXEC",
					r->prompt.buf);
			goto out;
		}
	}
	if (cmd(ssh, dev, "terminal width 511", NULL, 0, tmo, r, err) < 0)
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

/* The show commands of the CLI counters (ios_cnt.c maps them), each
 * output as fetch keeps it. */
int ios_counters_read(struct aclf_ssh *ssh, const struct aclf_device *dev,
		      struct aclf_cli_capture *cap, struct aclf_err *err)
{
	static const char *const cmds[] = { IOS_CNT_RUN, IOS_CNT_ACL, IOS_CNT_OG };
	struct aclf_ssh_reply r;
	struct aclf_buf o = ACLF_BUF_INIT;
	int rc = -1;

	aclf_ssh_reply_init(&r);
	aclf_buf_init(&o, 0);
	if (begin(ssh, dev, 0, &r, err) < 0)
		goto out;
	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		aclf_buf_truncate(&o, 0);
		if (cmd(ssh, dev, cmds[k], NULL, 0, 0, &r, err) < 0)
			goto close;
		if (output(&r.text, &o) < 0 || aclf_cli_capture_add(cap, cmds[k], o.buf, o.len) < 0) {
			aclf_err_remote(err, ACLF_E_NOMEM, dev->name, cmds[k], "out of memory");
			goto close;
		}
	}
	rc = 0;
close:
	aclf_ssh_shell_close(ssh);
out:
	aclf_buf_release(&o);
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

/* "no X" of a list or group at the top level: X, else NULL */
static const char *top_no(const char *line)
{
	if (!strncmp(line, "no ip access-list ", 18) || !strncmp(line, "no ipv6 access-list ", 20) ||
	    !strncmp(line, "no object-group ", 16))
		return line + 3;
	return NULL;
}

/* A top-level block of the running configuration: its header line and the
 * indented lines under it. */
struct block {
	const char *head;
	size_t hlen;
	const char *end; /* past its last line */
	bool gone;       /* the load removes it */
	bool pre;        /* ... before the new version (a leftover of its names) */
};

struct blocks {
	struct block *v;
	size_t n, cap;
};

static int read_blocks(const char *run, struct blocks *b)
{
	struct block *cur = NULL;

	for (const char *p = run; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n && p[0] == ' ' && cur) {
			cur->end = p + n;
		} else if (n && p[0] != ' ' && p[0] != '!') {
			if (b->n == b->cap) {
				size_t cap = b->cap ? 2 * b->cap : 64;
				struct block *v = realloc(b->v, cap * sizeof(*v));
				if (!v)
					return -1;
				b->v = v;
				b->cap = cap;
			}
			cur = &b->v[b->n++];
			cur->head = p;
			cur->hlen = n;
			cur->end = p + n;
			cur->gone = false;
			cur->pre = false;
		} else {
			cur = NULL;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static struct block *find_block(struct blocks *b, const char *head, size_t n)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].hlen == n && !strncmp(b->v[i].head, head, n))
			return &b->v[i];
	return NULL;
}

/* Does a block the load keeps name group `name` ("object-group NAME" in an
 * entry, "group-object NAME" in a group)? */
static bool used(const struct blocks *b, const char *name, size_t n)
{
	static const char *const refs[] = { "object-group ", "group-object ", NULL };

	for (size_t i = 0; i < b->n; i++) {
		const struct block *k = &b->v[i];
		if (k->gone)
			continue;
		for (int r = 0; refs[r]; r++)
			for (const char *q = k->head; (q = strstr(q, refs[r])) && q < k->end; q++) {
				const char *t = q + strlen(refs[r]);
				if (t + n <= k->end && !strncmp(t, name, n) &&
				    (t + n == k->end || t[n] == ' ' || t[n] == '\r' || t[n] == '\n'))
					return true;
			}
	}
	return false;
}

/* Groups nested (group-object) only in groups the load removes go too,
 * after them: IOS refuses to remove a group another one nests. */
static void orphans(struct blocks *b)
{
	bool more = true;

	while (more) {
		more = false;
		for (size_t i = 0; i < b->n; i++) {
			const struct block *g = &b->v[i];
			char kind[32];
			if (!g->gone || sscanf(g->head, "object-group %31s", kind) != 1)
				continue;
			for (const char *q = g->head; (q = strstr(q, "\n group-object ")) && q < g->end; q++) {
				const char *c = q + 15;
				size_t n = strcspn(c, " \r\n");
				char head[300];
				struct block *k;
				snprintf(head, sizeof(head), "object-group %s %.*s", kind, (int)n, c);
				k = find_block(b, head, strlen(head));
				if (k && !k->gone && !used(b, c, n)) {
					k->gone = true;
					more = true;
				}
			}
		}
	}
}

/* Block k as "N header" (P for a leftover) and "M line" lines (rollback
 * defines it again). */
static int keep_block(const struct block *k, char kind, struct aclf_buf *state)
{
	int rc = aclf_buf_printf(state, "%c %.*s\n", kind, (int)k->hlen, k->head);

	for (const char *p = k->head + k->hlen; p < k->end;) {
		const char *e;
		size_t n;
		p++; /* the line end */
		e = memchr(p, '\n', (size_t)(k->end - p));
		n = e ? (size_t)(e - p) : (size_t)(k->end - p);
		while (n && p[n - 1] == '\r')
			n--;
		rc |= aclf_buf_printf(state, "M %.*s\n", (int)n, p);
		p = e ? e : k->end;
	}
	return rc;
}

/* Split plan: load gets its lines (comments and blank lines left out),
 * with the final removals ordered and completed from the running
 * configuration run; state gets what rollback sends: the removed lists and
 * groups as they were (N, M), the old bindings back and the new lists and
 * groups removed (R). */
static int split(const struct aclf_buf *plan, const char *run, struct aclf_buf *load,
		 struct aclf_buf *state)
{
	struct aclf_buf rdefs = ACLF_BUF_INIT, rb = ACLF_BUF_INIT, extra = ACLF_BUF_INIT;
	struct blocks bl = { NULL, 0, 0 };
	const char *p = plan->buf, *tail = plan->buf + plan->len, *end = plan->buf + plan->len;
	char iface[128] = "";
	int rc = 0;

	if (read_blocks(run, &bl) < 0)
		return -1;
	/* the final removals: the last lines, all top-level `no` of a list or
	 * group (comments and blanks between them allowed) */
	for (const char *q = plan->buf; q && *q;) {
		const char *e = strchr(q, '\n');
		size_t n = e ? (size_t)(e - q) : strlen(q);
		if (n && q[0] != '!' && !top_no(q))
			tail = end;
		else if (n && q[0] != '!' && tail == end)
			tail = q;
		q = e ? e + 1 : NULL;
	}
	aclf_buf_init(&rdefs, 0);
	aclf_buf_init(&rb, 0);
	aclf_buf_init(&extra, 0);
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
		if (top_no(line)) {
			/* a leftover of the new version's names: rollback
			 * defines it again too, the device read back as it was */
			struct block *k = find_block(&bl, top_no(line), strlen(top_no(line)));
			if (k)
				k->gone = k->pre = true;
		}
		if (!strncmp(line, "interface ", 10)) {
			snprintf(iface, sizeof(iface), "%.*s", (int)(sizeof(iface) - 1), line + 10);
		} else if (line[0] != ' ') {
			iface[0] = '\0';
			/* a new list or group: rollback removes it */
			if (!strncmp(line, "ip access-list extended ", 24) ||
			    !strncmp(line, "ipv6 access-list ", 17) || !strncmp(line, "object-group ", 13))
				rc |= aclf_buf_printf(&rdefs, "R no %s\n", line);
		} else if (iface[0] && read_bind(line, &no, &b)) {
			const char *was = old_bind(run, iface, &b, &o);
			rc |= aclf_buf_printf(&rb, "R interface %s\n", iface);
			if (no)
				rc |= aclf_buf_printf(&rb, "R  %s %s %s\n", b.cmd, b.name, b.dir);
			else if (was)
				rc |= aclf_buf_printf(&rb, "R  %s %s %s\n", b.cmd, was, b.dir);
			else
				rc |= aclf_buf_printf(&rb, "R  no %s %s %s\n", b.cmd, b.name, b.dir);
		}
	}
	/* the removals: marked in the running configuration's blocks */
	for (p = tail; p < end;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *h = n ? top_no(p) : NULL;
		struct block *k = h ? find_block(&bl, h, n - 3) : NULL;
		if (k)
			k->gone = true;
		else if (n && p[0] != '!')
			rc |= aclf_buf_printf(&extra, "%.*s\n", (int)n, p);
		p = e ? e + 1 : end;
	}
	orphans(&bl);
	/* lists, then groups, nesting ones before those they nest (IOS prints
	 * a group after the groups it nests: reverse order) */
	for (size_t i = 0; i < bl.n; i++)
		if (bl.v[i].gone && !bl.v[i].pre && strncmp(bl.v[i].head, "object-group ", 13))
			rc |= aclf_buf_printf(load, "no %.*s\n", (int)bl.v[i].hlen, bl.v[i].head);
	for (size_t i = bl.n; i-- > 0;)
		if (bl.v[i].gone && !bl.v[i].pre && !strncmp(bl.v[i].head, "object-group ", 13))
			rc |= aclf_buf_printf(load, "no %.*s\n", (int)bl.v[i].hlen, bl.v[i].head);
	rc |= aclf_buf_add(load, extra.buf, extra.len);
	/* rollback: groups back (nested ones first), lists back, bindings
	 * back, then the new lists and groups removed */
	for (size_t i = 0; i < bl.n; i++)
		if (bl.v[i].gone && !bl.v[i].pre && !strncmp(bl.v[i].head, "object-group ", 13))
			rc |= keep_block(&bl.v[i], 'N', state);
	for (size_t i = 0; i < bl.n; i++)
		if (bl.v[i].gone && !bl.v[i].pre && strncmp(bl.v[i].head, "object-group ", 13))
			rc |= keep_block(&bl.v[i], 'N', state);
	rc |= aclf_buf_add(state, rb.buf, rb.len);
	/* lists before the groups they use are removed, and groups in the
	 * reverse of their definition order: a group that nests another
	 * (group-object) is defined after it, so it goes first */
	for (const char *q = rdefs.buf; q && *q;) {
		const char *e = strchr(q, '\n');
		size_t n = e ? (size_t)(e - q + 1) : strlen(q);
		if (strncmp(q, "R no object-group ", 18) != 0)
			rc |= aclf_buf_add(state, q, n);
		q = e ? e + 1 : NULL;
	}
	for (size_t e = rdefs.len; e > 0;) {
		size_t start = e - 1;
		while (start > 0 && rdefs.buf[start - 1] != '\n')
			start--;
		if (!strncmp(rdefs.buf + start, "R no object-group ", 18))
			rc |= aclf_buf_add(state, rdefs.buf + start, e - start);
		e = start;
	}
	/* leftovers of the new version's names, after the new lists and
	 * groups of those names are gone: always defined again (P) */
	for (size_t i = 0; i < bl.n; i++)
		if (bl.v[i].pre && !strncmp(bl.v[i].head, "object-group ", 13))
			rc |= keep_block(&bl.v[i], 'P', state);
	for (size_t i = 0; i < bl.n; i++)
		if (bl.v[i].pre && strncmp(bl.v[i].head, "object-group ", 13))
			rc |= keep_block(&bl.v[i], 'P', state);
	free(bl.v);
	aclf_buf_release(&rdefs);
	aclf_buf_release(&rb);
	aclf_buf_release(&extra);
	return rc ? -1 : 0;
}

int ios_script(const struct aclf_buf *plan, const char *running, const struct aclf_device *dev,
	       struct aclf_buf *out, struct aclf_err *err)
{
	struct aclf_buf state = ACLF_BUF_INIT;
	int rc;

	aclf_buf_init(&state, 0);
	rc = split(plan, running ? running : "", out, &state);
	aclf_buf_release(&state);
	if (rc < 0)
		return aclf_err_remote(err, ACLF_E_NOMEM, dev ? dev->name : NULL, NULL, "out of memory");
	return 0;
}

/* Does text have this exact line? */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p;) {
		const char *e = strchr(p, '\n');
		if ((size_t)((e ? e : p + strlen(p)) - p) == n && !strncmp(p, line, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* Send rollback's lines (config mode). run: the running configuration
 * now, to leave out what is already so: a removed list or group that is
 * still there (N, with its M lines), a new one the load did not get to. */
static int send_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev,
			 const struct aclf_txn *txn, const char *run, struct aclf_ssh_reply *r,
			 struct aclf_err *err)
{
	bool skip = false;

	for (const char *p = txn->state.buf; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char k = p[0], line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)(n > 2 ? (n - 2 < 1023 ? n - 2 : 1023) : 0),
			 n > 2 ? p + 2 : "");
		p = e ? e + 1 : NULL;
		if (!line[0])
			continue;
		if (k == 'N')
			skip = has_line(run, line);
		else if (k == 'P')
			skip = false;
		else if (k == 'R')
			skip = !strncmp(line, "no ", 3) && line[3] != ' ' && !has_line(run, line + 3);
		else if (k != 'M')
			continue;
		if (!skip && cmd(ssh, dev, line, NULL, 0, 0, r, err) < 0)
			return -1;
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
	if ((opts->no_save && aclf_buf_puts(&txn->state, NOSAVE "\n") < 0) ||
	    split(plan, run.buf, &load, &txn->state) < 0) {
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
	txn->armed = false;
	/* the load made the change whole; verified, it is saved, unless the
	 * user keeps the startup configuration as it was */
	if (!strncmp(txn->state.buf, NOSAVE "\n", sizeof(NOSAVE))) {
		txn->unsaved = true;
	} else if (cmd(ssh, dev, "copy running-config startup-config", copy_answers, 1, 0, &r,
		       err) < 0) {
		goto close;
	}
	rc = 0;
close:
	aclf_ssh_shell_close(ssh);
out:
	aclf_ssh_reply_release(&r);
	return rc;
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
	if (cmd(ssh, dev, "configure terminal", NULL, 0, 0, &r, err) < 0)
		goto close;
	if (send_rollback(ssh, dev, txn, run.buf, &r, err) < 0) {
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
