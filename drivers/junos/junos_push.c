/* Fetch and safe apply on Junos over an interactive shell (README.md here,
 * "Apply"). Every op opens its own shell on the session it is given, turns
 * paging off (`set cli screen-length 0`, `set cli screen-width 1024`) and
 * closes the shell before it returns; configuration mode is always left
 * with `exit configuration-mode` while the session works (and a private
 * candidate dies with a lost session on the device's side).
 *
 * Success and failure are read by Junos' own grammar: a line of a reply
 * that starts with `error:`, says `syntax error` (`terminal:3:(12) syntax
 * error: x`, the caret's `syntax error.`), `unknown command.` or `missing
 * argument.` is a failure, quoted with the `[edit ...]` context before it;
 * `warning:` lines are not. `load complete` alone is not enough: a set
 * load reports its bad lines and still completes.
 *
 * load: show system commit and configure private, both refused when
 * another session's commit confirmed is pending (its `rollback pending`,
 * the prompt's banner), load set terminal (the plan, then Ctrl-D), commit
 * check, commit confirmed N, exit. confirm (on the verify session):
 * configure private, commit, exit. rollback: nothing when no commit
 * confirmed was sent; else, with the commit still pending, rollback 1 and
 * commit — unless the loading session was lost, then the device's own
 * automatic rollback is awaited (txn->fired). With opts->lock_config every
 * op enters `configure exclusive` instead (the configuration lock, which
 * the device releases at the exit or with the session). txn->state is one
 * word: "sent" once commit confirmed was sent, "lost" when the session was
 * lost after that, "confirming" once confirm sent its commit; followed by
 * " exclusive" with lock_config and by " mark=MARK", the comment of the
 * load's commit confirmed (confirm and rollback check that the pending
 * commit is that one, not another session's made after it). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "junos.h"

/* user@host> (operational) or user@host# (configuration) */
#define JPROMPT "^[[:alnum:]_.-]+@[[:alnum:]_.-]+[>#] $"
#define PENDING_BANNER "# commit confirmed will be rolled back in "
#define POLL_MS 1000u

struct jsh {
	struct aclf_ssh *ssh;
	const struct aclf_device *dev;
	unsigned tmo;
	struct aclf_ssh_reply r;
	struct aclf_buf body; /* the reply without its echo line, LF line ends */
	bool config;          /* in configuration mode */
};

static bool starts(const char *l, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n >= pl && !memcmp(l, p, pl);
}

static bool contains(const char *l, size_t n, const char *p)
{
	size_t pl = strlen(p);

	for (size_t i = 0; i + pl <= n; i++)
		if (!memcmp(l + i, p, pl))
			return true;
	return false;
}

/* An error line by Junos' grammar. */
static bool error_line(const char *l, size_t n)
{
	return starts(l, n, "error:") || contains(l, n, "syntax error") ||
	       starts(l, n, "unknown command.") || starts(l, n, "missing argument.");
}

/* The device's words: every error line, each after the `[edit ...]`
 * context and the statement line before it when there are such; empty
 * when there is no error. */
static void errors_of(const struct aclf_buf *body, struct aclf_buf *w)
{
	const char *ctx = NULL, *prev = NULL;
	size_t ctxn = 0, prevn = 0;

	for (const char *l = body->buf; l < body->buf + body->len;) {
		const char *e = memchr(l, '\n', (size_t)(body->buf + body->len - l));
		size_t n = e ? (size_t)(e - l) : (size_t)(body->buf + body->len - l);

		if (starts(l, n, "[edit")) {
			ctx = l;
			ctxn = n;
		} else if (error_line(l, n)) {
			if (w->len)
				aclf_buf_puts(w, " / ");
			if (ctx) {
				aclf_buf_add(w, ctx, ctxn);
				aclf_buf_puts(w, " ");
			}
			if (prev && prevn && prev != ctx && !error_line(prev, prevn) &&
			    !contains(prev, prevn, "^")) {
				aclf_buf_add(w, prev, prevn);
				aclf_buf_puts(w, ": ");
			}
			aclf_buf_add(w, l, n);
			ctx = NULL;
		}
		if (n) {
			prev = l;
			prevn = n;
		}
		l = e ? e + 1 : body->buf + body->len;
	}
}

static bool has_line(const struct aclf_buf *body, const char *text)
{
	for (const char *l = body->buf; l < body->buf + body->len;) {
		const char *e = memchr(l, '\n', (size_t)(body->buf + body->len - l));
		size_t n = e ? (size_t)(e - l) : (size_t)(body->buf + body->len - l);

		if (starts(l, n, text))
			return true;
		l = e ? e + 1 : body->buf + body->len;
	}
	return false;
}

/* Send one line; the reply's body without its echo, CR LF made LF. A
 * transport failure is the transport's error; an error line the device's
 * (ACLF_E_DEVICE, naming the command). label names the command in
 * messages (NULL: the line itself). */
static int jrun_ask(struct jsh *j, const char *line, const char *label, unsigned timeout_ms,
		    const struct aclf_ssh_answer *answers, size_t nanswers, struct aclf_err *err)
{
	struct aclf_ssh_line l = { .text = line, .timeout_ms = timeout_ms ? timeout_ms : j->tmo,
				   .answers = answers, .nanswers = nanswers };
	struct aclf_buf w = ACLF_BUF_INIT;
	const char *t;
	size_t i = 0;

	aclf_buf_reset(&j->body);
	if (label) {
		/* the transport names the line it sent; name the command instead */
		struct aclf_err e;
		int rc;

		aclf_err_init(&e);
		rc = aclf_ssh_shell_run(j->ssh, &l, &j->r, &e);
		if (rc < 0) {
			const char *m = aclf_err_text(&e), *q = strstr(m, "': ");

			aclf_err_remote(err, e.kind, j->dev->name, label, "%s", q ? q + 3 : m);
		}
		aclf_err_release(&e);
		if (rc < 0)
			return -1;
	} else if (aclf_ssh_shell_run(j->ssh, &l, &j->r, err) < 0) {
		return -1;
	}
	t = j->r.text.buf;
	/* the echo: up to the first line end */
	while (i < j->r.text.len && t[i] != '\n')
		i++;
	if (i < j->r.text.len)
		i++;
	for (; i < j->r.text.len; i++) {
		if (t[i] == '\r')
			continue;
		if (aclf_buf_putc(&j->body, t[i]) < 0)
			return aclf_err_nomem(err);
	}
	aclf_buf_init(&w, 0);
	errors_of(&j->body, &w);
	if (w.len) {
		aclf_err_remote(err, ACLF_E_DEVICE, j->dev->name, label ? label : line, "%s", w.buf);
		aclf_buf_release(&w);
		return -1;
	}
	aclf_buf_release(&w);
	return 0;
}

static int jrun(struct jsh *j, const char *line, const char *label, unsigned timeout_ms,
		struct aclf_err *err)
{
	return jrun_ask(j, line, label, timeout_ms, NULL, 0, err);
}

/* Leaving configuration mode asks when the candidate differs from what
 * runs (a private candidate after an automatic rollback, or after a failed
 * load): yes, the candidate is dropped. */
static const struct aclf_ssh_answer exit_yes = {
	"^Exit with uncommitted changes\\? \\[yes,no\\] \\(yes\\) ?$", "yes\n"
};

static int jopen(struct jsh *j, struct aclf_ssh *ssh, const struct aclf_device *dev,
		 unsigned tmo, struct aclf_err *err)
{
	struct aclf_ssh_shell_opts so = { .prompt = JPROMPT, .cols = 1024, .timeout_ms = tmo };

	memset(j, 0, sizeof(*j));
	j->ssh = ssh;
	j->dev = dev;
	j->tmo = tmo;
	aclf_ssh_reply_init(&j->r);
	aclf_buf_init(&j->body, 0);
	if (aclf_ssh_shell_open(ssh, &so, NULL, err) < 0)
		return -1;
	if (jrun(j, "set cli screen-length 0", NULL, 0, err) < 0 ||
	    jrun(j, "set cli screen-width 1024", NULL, 0, err) < 0)
		return -1;
	return 0;
}

/* Leave configuration mode when in it (best effort, its own error kept
 * apart), close the shell, free. */
static void jclose(struct jsh *j)
{
	if (j->config && aclf_ssh_usable(j->ssh)) {
		struct aclf_err e;

		aclf_err_init(&e);
		jrun_ask(j, "exit configuration-mode", NULL, 0, &exit_yes, 1, &e);
		aclf_err_release(&e);
	}
	j->config = false;
	aclf_ssh_shell_close(j->ssh);
	aclf_ssh_reply_release(&j->r);
	aclf_buf_release(&j->body);
}

#define CONF_PRIVATE "configure private"
#define CONF_EXCLUSIVE "configure exclusive"

/* configure private (or exclusive: lock): refused when the shared database
 * has uncommitted changes or another user holds the exclusive lock (the
 * device's words). */
static int jconfigure(struct jsh *j, bool lock, struct aclf_err *err)
{
	const char *c = lock ? CONF_EXCLUSIVE : CONF_PRIVATE;

	if (jrun(j, c, NULL, 0, err) < 0)
		return -1;
	if (!strstr(j->r.prompt.buf, "#"))
		return aclf_err_remote(err, ACLF_E_DEVICE, j->dev->name, c,
				       "no configuration mode prompt after it: '%s'", j->r.prompt.buf);
	j->config = true;
	return 0;
}

/* txn->state: its word, and whether the ops lock (" exclusive") */
static bool state_is(const struct aclf_txn *txn, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(txn->state.buf, word, n) &&
	       (txn->state.buf[n] == '\0' || txn->state.buf[n] == ' ');
}

static bool state_lock(const struct aclf_txn *txn)
{
	return strstr(txn->state.buf, " exclusive") != NULL;
}

/* The transaction's mark: the comment of its commit confirmed, in
 * txn->state after " mark=" (empty before the load made one). */
static const char *state_mark(const struct aclf_txn *txn)
{
	const char *m = strstr(txn->state.buf, " mark=");

	return m ? m + 6 : "";
}

/* txn->state = word[ exclusive][ mark=MARK], the mark kept (or set when
 * mark is given) */
static int set_state_mark(struct aclf_txn *txn, const char *word, bool lock, const char *mark,
			  struct aclf_err *err)
{
	struct aclf_buf m = ACLF_BUF_INIT;
	int rc = 0;

	aclf_buf_init(&m, 0);
	if (aclf_buf_puts(&m, mark ? mark : state_mark(txn)) < 0) {
		aclf_buf_release(&m);
		return aclf_err_nomem(err);
	}
	aclf_buf_reset(&txn->state);
	if (aclf_buf_puts(&txn->state, word) < 0 ||
	    (lock && aclf_buf_puts(&txn->state, " exclusive") < 0) ||
	    (m.len && aclf_buf_printf(&txn->state, " mark=%s", m.buf) < 0))
		rc = aclf_err_nomem(err);
	aclf_buf_release(&m);
	return rc;
}

static int set_state(struct aclf_txn *txn, const char *word, bool lock, struct aclf_err *err)
{
	return set_state_mark(txn, word, lock, NULL, err);
}

/* Leave configuration mode; an error here is an error of the op. */
static int jexit(struct jsh *j, struct aclf_err *err)
{
	if (jrun_ask(j, "exit configuration-mode", NULL, 0, &exit_yes, 1, err) < 0)
		return -1;
	j->config = false;
	return 0;
}

int junos_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
		struct aclf_err *err)
{
	struct jsh j;
	int rc = -1;

	if (jopen(&j, ssh, dev, 0, err) < 0 ||
	    jrun(&j, "show configuration | display set", NULL, 0, err) < 0)
		goto out;
	if (aclf_buf_add(running, j.body.buf, j.body.len) < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	rc = 0;
out:
	jclose(&j);
	return rc;
}

static unsigned minutes(const struct aclf_apply_opts *o)
{
	unsigned s = o->confirm_s ? o->confirm_s : ACLF_APPLY_CONFIRM_S;
	unsigned m = (s + 59) / 60;

	return m ? m : 1;
}

/* After a failed load or commit check: drop the candidate (best effort;
 * exiting a private session drops it anyway). */
static void discard(struct jsh *j)
{
	struct aclf_err e;

	if (!j->config || !aclf_ssh_usable(j->ssh))
		return;
	aclf_err_init(&e);
	jrun(j, "rollback 0", NULL, 0, &e);
	aclf_err_release(&e);
}

/* Someone else's commit confirmed waits for its confirmation: any commit
 * or commit check of ours would confirm it (making their trial change
 * permanent, and judging our verify against a configuration that holds
 * it), so nothing is loaded. */
#define FOREIGN_PENDING                                                                     \
	"another session's commit confirmed is pending (the device rolls it back unless "  \
	"it is confirmed, and any commit now would confirm it): refused, nothing loaded"

/* In operational mode, before configuration mode: `show system commit`
 * with `rollback pending` under its newest entry. */
static int refuse_pending_history(struct jsh *j, struct aclf_err *err)
{
	struct aclf_buf w = ACLF_BUF_INIT;
	int r;

	if (jrun(j, "show system commit", NULL, 0, err) < 0)
		return -1;
	aclf_buf_init(&w, 0);
	r = junos_commit_pending(j->body.buf, j->body.len, &w);
	if (r < 0)
		aclf_err_nomem(err);
	else if (r > 0)
		aclf_err_remote(err, ACLF_E_DEVICE, j->dev->name, "show system commit",
				FOREIGN_PENDING ": '%s'", w.buf);
	aclf_buf_release(&w);
	return r ? -1 : 0;
}

/* Just after entering configuration mode (nothing of ours committed
 * yet): the pending banner above `[edit]`. */
static int refuse_pending_banner(struct jsh *j, const char *cmd, struct aclf_err *err)
{
	const char *b = strstr(j->body.buf, PENDING_BANNER);

	if (!b)
		return 0;
	return aclf_err_remote(err, ACLF_E_DEVICE, j->dev->name, cmd, FOREIGN_PENDING ": '%.*s'",
			       (int)strcspn(b, "\n"), b);
}

/* A mark no other apply uses: the process and the time to the
 * nanosecond (one load per transaction). */
static void make_mark(char *out, size_t n)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, n, "aclforge-%ld-%lld%09ld", (long)getpid(), (long long)ts.tv_sec,
		 ts.tv_nsec);
}

/* Before confirm's commit and rollback's `rollback 1`: is a commit
 * pending whose entry is not this transaction's (another session's
 * commit confirmed after ours)? Then our commit would confirm theirs, and
 * `rollback 1` would take back theirs, not ours: neither is done and the
 * device's own timer is left to return it (README.md, "Apply"). 0 when
 * nothing pending or the pending one is ours; -1 with err. */
static int refuse_foreign_newest(struct jsh *j, const struct aclf_txn *txn, const char *op,
				 struct aclf_err *err)
{
	struct aclf_buf w = ACLF_BUF_INIT;
	const char *mark = state_mark(txn);
	int r;

	if (jrun(j, "show system commit", NULL, 0, err) < 0)
		return -1;
	aclf_buf_init(&w, 0);
	r = junos_commit_pending(j->body.buf, j->body.len, &w);
	if (r < 0) {
		aclf_err_nomem(err);
	} else if (r > 0 && *mark && junos_commit_foreign(w.buf, mark, j->r.prompt.buf)) {
		aclf_err_remote(err, ACLF_E_DEVICE, j->dev->name, "show system commit",
				"another session committed after this apply's commit confirmed "
				"(comment '%s') and its commit is pending: no %s (a commit now "
				"would confirm theirs, rollback 1 would take back theirs); the "
				"device's timer returns it: '%s'",
				mark, op, w.buf);
		r = -1;
	} else {
		r = 0;
	}
	aclf_buf_release(&w);
	return r;
}

int junos_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	       const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err)
{
	struct aclf_buf in = ACLF_BUF_INIT;
	char cmd[128], mark[64];
	struct jsh j;
	int rc = -1;

	aclf_buf_init(&in, 0);
	aclf_buf_reset(&txn->state);
	if (jopen(&j, ssh, dev, opts->command_timeout_ms, err) < 0 ||
	    refuse_pending_history(&j, err) < 0 || jconfigure(&j, opts->lock_config, err) < 0 ||
	    refuse_pending_banner(&j, opts->lock_config ? CONF_EXCLUSIVE : CONF_PRIVATE, err) < 0)
		goto out;
	/* the plan typed to load set terminal, ended by Ctrl-D on a line of its
	 * own; the device answers all of it after the Ctrl-D */
	if (aclf_buf_puts(&in, "load set terminal\n") < 0 || aclf_buf_add(&in, plan->buf, plan->len) < 0 ||
	    (plan->len && plan->buf[plan->len - 1] != '\n' && aclf_buf_putc(&in, '\n') < 0)) {
		aclf_err_nomem(err);
		goto out;
	}
	if (aclf_ssh_shell_send(ssh, "load set terminal", in.buf, in.len, opts->command_timeout_ms,
				err) < 0)
		goto out;
	if (jrun(&j, "\x04", "load set terminal (the plan, then Ctrl-D)", 0, err) < 0) {
		discard(&j);
		goto out;
	}
	if (!has_line(&j.body, "load complete")) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "load set terminal",
				"no 'load complete' in the device's answer: '%.200s'", j.body.buf);
		discard(&j);
		goto out;
	}
	if (jrun(&j, "commit check", NULL, 0, err) < 0) {
		discard(&j);
		goto out;
	}
	if (!has_line(&j.body, "configuration check succeeds")) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "commit check",
				"no 'configuration check succeeds' in the device's answer: '%.200s'",
				j.body.buf);
		discard(&j);
		goto out;
	}
	/* from here the device may run the plan until the timer returns it;
	 * the commit carries the transaction's mark as its comment, so that
	 * confirm and rollback can tell it from a later one of someone else */
	make_mark(mark, sizeof(mark));
	snprintf(cmd, sizeof(cmd), "commit confirmed %u comment \"%s\"", minutes(opts), mark);
	txn->armed = true;
	txn->loaded = true;
	if (set_state_mark(txn, "sent", opts->lock_config, mark, err) < 0)
		goto out;
	if (jrun(&j, cmd, NULL, 60000u > j.tmo ? 60000u : j.tmo, err) < 0) {
		if (!aclf_ssh_usable(ssh))
			set_state(txn, "lost", opts->lock_config, err);
		goto out;
	}
	if (!has_line(&j.body, "commit complete")) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, cmd,
				"no 'commit complete' in the device's answer: '%.200s'", j.body.buf);
		goto out;
	}
	if (jexit(&j, err) < 0) {
		if (!aclf_ssh_usable(ssh))
			set_state(txn, "lost", opts->lock_config, err);
		goto out;
	}
	rc = 0;
out:
	jclose(&j);
	aclf_buf_release(&in);
	return rc;
}

int junos_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err)
{
	bool lock = state_lock(txn);
	struct jsh j;
	int rc = -1;

	if (jopen(&j, ssh, dev, 0, err) < 0 || refuse_foreign_newest(&j, txn, "confirm", err) < 0 ||
	    jconfigure(&j, lock, err) < 0)
		goto out;
	if (!strstr(j.body.buf, PENDING_BANNER)) {
		/* nothing pending: the automatic rollback came first */
		txn->fired = true;
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, lock ? CONF_EXCLUSIVE : CONF_PRIVATE,
				"too late: no commit confirmed pending, the device had rolled back "
				"by itself");
		goto out;
	}
	if (set_state(txn, "confirming", lock, err) < 0)
		goto out;
	if (jrun(&j, "commit", NULL, 60000u, err) < 0)
		goto out;
	if (!has_line(&j.body, "commit complete")) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "commit",
				"no 'commit complete' in the device's answer: '%.200s'", j.body.buf);
		goto out;
	}
	txn->armed = false;
	/* confirmed: a lost answer to the exit changes nothing (a private
	 * session's configuration mode ends with the session) */
	{
		struct aclf_err e;

		aclf_err_init(&e);
		jexit(&j, &e);
		aclf_err_release(&e);
	}
	rc = 0;
out:
	jclose(&j);
	return rc;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int junos_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		   struct aclf_err *err)
{
	bool lost = state_is(txn, "lost");
	bool confirming = state_is(txn, "confirming");
	bool lock = state_lock(txn);
	struct jsh j;
	int rc = -1;

	/* no commit confirmed was sent: the private candidate went with its
	 * exit (or its session) and the device runs what it ran; the device
	 * only has to answer on this session (a hung one fails here, and
	 * another session is tried) */
	if (jopen(&j, ssh, dev, 0, err) < 0)
		goto out;
	if (!txn->armed) {
		if (confirming)
			txn->over = true; /* the confirm's commit completed */
		rc = 0;
		goto out;
	}
	if ((!lost && refuse_foreign_newest(&j, txn, "rollback", err) < 0) ||
	    jconfigure(&j, lock, err) < 0)
		goto out;
	if (!strstr(j.body.buf, PENDING_BANNER)) {
		if (confirming)
			txn->over = true; /* the confirm went through */
		else if (lost)
			txn->fired = true; /* the device's timer came first */
		txn->armed = false;
		rc = jexit(&j, err);
		goto out;
	}
	if (lost) {
		/* the loading session was lost: the device's own timer returns it;
		 * wait for it, looking again each second */
		do {
			if (jexit(&j, err) < 0)
				goto out;
			sleep_ms(POLL_MS);
			if (jconfigure(&j, lock, err) < 0)
				goto out;
		} while (strstr(j.body.buf, PENDING_BANNER));
		txn->fired = true;
		txn->armed = false;
		rc = jexit(&j, err);
		goto out;
	}
	if (jrun(&j, "rollback 1", NULL, 0, err) < 0)
		goto out;
	if (jrun(&j, "commit", NULL, 60000u, err) < 0)
		goto out;
	if (!has_line(&j.body, "commit complete")) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "commit",
				"no 'commit complete' in the device's answer: '%.200s'", j.body.buf);
		goto out;
	}
	txn->armed = false;
	rc = jexit(&j, err);
out:
	jclose(&j);
	return rc;
}
