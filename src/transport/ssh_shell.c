/* Interactive shell mode: a pty and a shell channel; each line is sent and
 * the device's output read until its last line matches the session's
 * prompt regex. Questions the caller expects (a table of regex and reply
 * per line) are answered as they appear; anything else ends in an error
 * when the line's time is up, naming the last line the device printed —
 * never a hang. Paging is the caller's: it sends "terminal length 0" and
 * the like as lines (or answers "--More--" from the table). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "ssh_int.h"

struct ssh_shell {
	struct ssh_chan c;
	struct aclf_buf pending; /* all the device printed since the last prompt */
	regex_t prompt;
	char *prompt_src;
	char *eol;
};

/* One wait for the prompt. */
struct run {
	struct ssh_shell *sh;
	const struct aclf_ssh_answer *answers;
	regex_t *res;
	size_t nres;
	int64_t deadline;
	size_t scan;          /* questions and the prompt are looked for from here */
	size_t line_start;    /* where the prompt line starts, once matched */
	bool matched;
	unsigned answered;
	enum ssh_wait werr;   /* a failed reply */
	struct aclf_buf cand; /* the visible last line */
};

void aclf_ssh_reply_init(struct aclf_ssh_reply *r)
{
	aclf_buf_init(&r->text, 0);
	aclf_buf_init(&r->prompt, 0);
	r->answered = 0;
}

void aclf_ssh_reply_release(struct aclf_ssh_reply *r)
{
	aclf_buf_release(&r->text);
	aclf_buf_release(&r->prompt);
	r->answered = 0;
}

static bool step(struct ssh_chan *c, void *arg)
{
	struct run *r = arg;
	struct aclf_buf *p = &r->sh->pending;
	size_t start;

	if (c->closed || c->eof)
		return true;
	start = r->scan + ssh_last_line(p->buf + r->scan, p->len - r->scan, &r->cand);
	if (ssh_re_match(&r->sh->prompt, r->cand.buf, r->cand.len)) {
		r->matched = true;
		r->line_start = start;
		return true;
	}
	for (size_t i = 0; i < r->nres; i++) {
		const char *reply = r->answers[i].reply ? r->answers[i].reply : "";

		if (!ssh_re_match(&r->res[i], r->cand.buf, r->cand.len))
			continue;
		r->scan = p->len;
		r->answered++;
		ssh_log_event(c->s->log, "answering /%s/", r->answers[i].prompt);
		r->werr = ssh_chan_write(c, reply, strlen(reply), r->deadline);
		return r->werr != SSH_WAIT_DONE;
	}
	return false;
}

/* Why the prompt did not come, for the message. */
static void why(struct aclf_buf *d, struct run *r)
{
	const struct aclf_buf *p = &r->sh->pending;

	ssh_last_line(p->buf + r->scan, p->len - r->scan, &r->cand);
	aclf_buf_printf(d, " waiting for the prompt /%s/", r->sh->prompt_src);
	if (r->cand.len) {
		aclf_buf_puts(d, ": the device's last line ");
		ssh_quote_tail(d, r->cand.buf, r->cand.len, 160);
		aclf_buf_puts(d, r->nres ? " is not the prompt and matches no expected question"
					 : " is not the prompt (no questions expected)");
	} else if (p->len) {
		aclf_buf_puts(d, " (output ends ");
		ssh_quote_tail(d, p->buf, p->len, 160);
		aclf_buf_putc(d, ')');
	} else {
		aclf_buf_puts(d, " (the device printed nothing)");
	}
	aclf_buf_printf(d, "; %u question(s) answered; shell closed%s", r->answered,
			r->sh->c.s->dead.len ? "" : ", the session stays open");
}

/* Wait for the prompt; on success split pending into text and prompt. */
static int await(struct aclf_ssh *s, struct run *r, const char *command, unsigned timeout_ms,
		 struct aclf_buf *text, struct aclf_buf *prompt, struct aclf_err *err)
{
	struct ssh_shell *sh = r->sh;
	enum ssh_wait w = ssh_chan_wait(&sh->c, r->deadline, step, r);
	struct aclf_buf d;

	if (w == SSH_WAIT_DONE && r->werr != SSH_WAIT_DONE)
		w = r->werr;
	if (w == SSH_WAIT_DONE && !r->matched)
		w = SSH_WAIT_CLOSED;
	if (w == SSH_WAIT_DONE) {
		if ((text && aclf_buf_add(text, sh->pending.buf, r->line_start) < 0) ||
		    (prompt && aclf_buf_add(prompt, sh->pending.buf + r->line_start,
					    sh->pending.len - r->line_start) < 0))
			return aclf_err_nomem(err);
		aclf_buf_reset(&sh->pending);
		sh->c.got = 0;
		ssh_log_flush(s->log);
		return ssh_log_check(s->log, s->device, command, err);
	}
	aclf_buf_init(&d, 0);
	why(&d, r);
	ssh_chan_fail(&sh->c, w, command, timeout_ms, d.buf, err);
	aclf_buf_release(&d);
	if (text)
		aclf_buf_add(text, sh->pending.buf, sh->pending.len);
	aclf_ssh_shell_close(s);
	ssh_end_if_dead(s);
	return -1;
}

void aclf_ssh_shell_close(struct aclf_ssh *s)
{
	struct ssh_shell *sh = s ? s->shell : NULL;

	if (!sh)
		return;
	ssh_chan_close(&sh->c, NULL);
	ssh_log_event(s->log, "shell closed");
	regfree(&sh->prompt);
	free(sh->prompt_src);
	free(sh->eol);
	aclf_buf_release(&sh->pending);
	free(sh);
	s->shell = NULL;
}

int aclf_ssh_shell_open(struct aclf_ssh *s, const struct aclf_ssh_shell_opts *so,
			struct aclf_buf *banner, struct aclf_err *err)
{
	unsigned timeout_ms = so->timeout_ms ? so->timeout_ms : s->command_timeout_ms;
	const char *term = so->term ? so->term : "vt100";
	int cols = so->cols ? (int)so->cols : 511, rows = so->rows ? (int)so->rows : 24;
	struct run r = { .werr = SSH_WAIT_DONE };
	struct ssh_shell *sh;
	int rc;

	if (s->shell)
		return aclf_err_remote(err, ACLF_E_BUG, s->device, "shell", "a shell is already open");
	if (!so->prompt)
		return aclf_err_remote(err, ACLF_E_INPUT, s->device, "shell", "no prompt regex");
	if (ssh_check_usable(s, "shell", err) < 0)
		return -1;
	sh = calloc(1, sizeof(*sh));
	if (!sh)
		return aclf_err_nomem(err);
	aclf_buf_init(&sh->pending, 0);
	if (ssh_re_compile(&sh->prompt, so->prompt, "prompt", s->device, err) < 0) {
		free(sh);
		return -1;
	}
	sh->prompt_src = strdup(so->prompt);
	sh->eol = strdup(so->eol ? so->eol : "\n");
	s->shell = sh;
	if (!sh->prompt_src || !sh->eol) {
		aclf_ssh_shell_close(s);
		return aclf_err_nomem(err);
	}
	r.sh = sh;
	r.deadline = ssh_deadline(s, timeout_ms);
	aclf_buf_init(&r.cand, 0);
	if (ssh_chan_open(s, &sh->c, &sh->pending, &sh->pending, r.deadline, "shell", err) < 0) {
		aclf_ssh_shell_close(s);
		return -1;
	}
	ssh_arm(s, r.deadline);
	if ((!so->no_pty && ssh_channel_request_pty_size(sh->c.ch, term, cols, rows) != SSH_OK) ||
	    ssh_channel_request_shell(sh->c.ch) != SSH_OK) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, "shell",
				"the device refused a %s: %s", so->no_pty ? "shell" : "pty and shell",
				ssh_get_error(s->ses));
		aclf_ssh_shell_close(s);
		return -1;
	}
	if (so->no_pty)
		ssh_log_event(s->log, "shell: no pty");
	else
		ssh_log_event(s->log, "shell: pty %s %dx%d", term, cols, rows);
	rc = await(s, &r, "shell", timeout_ms, banner, NULL, err);
	aclf_buf_release(&r.cand);
	return rc;
}

static bool one_line(const char *t)
{
	return t && !strpbrk(t, "\r\n");
}

int aclf_ssh_shell_send(struct aclf_ssh *s, const char *label, const void *data, size_t len,
			unsigned timeout_ms, struct aclf_err *err)
{
	struct ssh_shell *sh = s->shell;
	enum ssh_wait w;

	if (!sh)
		return aclf_err_remote(err, ACLF_E_BUG, s->device, label, "no shell open");
	if (ssh_check_usable(s, label, err) < 0) {
		aclf_ssh_shell_close(s);
		return -1;
	}
	if (!timeout_ms)
		timeout_ms = s->command_timeout_ms;
	w = ssh_chan_write(&sh->c, data, len, ssh_deadline(s, timeout_ms));
	ssh_log_flush(s->log);
	if (w == SSH_WAIT_DONE)
		return 0;
	ssh_chan_fail(&sh->c, w, label, timeout_ms,
		      s->dead.len ? " sending; shell closed" : " sending; shell closed, the session "
							       "stays open",
		      err);
	aclf_ssh_shell_close(s);
	ssh_end_if_dead(s);
	return -1;
}

int aclf_ssh_shell_run(struct aclf_ssh *s, const struct aclf_ssh_line *l, struct aclf_ssh_reply *r,
		       struct aclf_err *err)
{
	unsigned timeout_ms = l->timeout_ms ? l->timeout_ms : s->command_timeout_ms;
	struct ssh_shell *sh = s->shell;
	struct run run = { .sh = sh, .answers = l->answers, .werr = SSH_WAIT_DONE };
	enum ssh_wait w;
	int rc = -1;

	aclf_ssh_reply_release(r);
	if (!one_line(l->text))
		return aclf_err_remote(err, ACLF_E_INPUT, s->device, l->text,
				       "a shell line must be one line of text");
	if (!sh)
		return aclf_err_remote(err, ACLF_E_BUG, s->device, l->text, "no shell open");
	if (ssh_check_usable(s, l->text, err) < 0) {
		aclf_ssh_shell_close(s);
		return -1;
	}
	aclf_buf_init(&run.cand, 0);
	run.res = l->nanswers ? calloc(l->nanswers, sizeof(*run.res)) : NULL;
	if (l->nanswers && !run.res)
		return aclf_err_nomem(err);
	for (; run.nres < l->nanswers; run.nres++)
		if (ssh_re_compile(&run.res[run.nres], l->answers[run.nres].prompt, "answer prompt",
				   s->device, err) < 0)
			goto out;
	run.deadline = ssh_deadline(s, timeout_ms);
	/* unsolicited output since the last prompt stays in the reply's text,
	 * but is not taken for the prompt */
	run.scan = sh->pending.len;
	sh->c.got = sh->pending.len;
	w = ssh_chan_write(&sh->c, l->text, strlen(l->text), run.deadline);
	if (w == SSH_WAIT_DONE)
		w = ssh_chan_write(&sh->c, sh->eol, strlen(sh->eol), run.deadline);
	ssh_log_flush(s->log);
	if (w != SSH_WAIT_DONE) {
		ssh_chan_fail(&sh->c, w, l->text, timeout_ms,
			      s->dead.len ? " sending the line; shell closed"
					  : " sending the line; shell closed, the session stays open",
			      err);
		aclf_ssh_shell_close(s);
		ssh_end_if_dead(s);
		goto out;
	}
	rc = await(s, &run, l->text, timeout_ms, &r->text, &r->prompt, err);
	r->answered = run.answered;
out:
	for (size_t i = 0; i < run.nres; i++)
		regfree(&run.res[i]);
	free(run.res);
	aclf_buf_release(&run.cand);
	return rc;
}
