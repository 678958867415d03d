/* Exec mode: one command on its own channel, stdin data written then EOF,
 * stdout and stderr captured apart, the exit status (or signal) reported
 * as the device sent it. What the output means is the driver's business. */
#include <string.h>

#include "aclforge/err.h"
#include "ssh_int.h"

void aclf_ssh_result_init(struct aclf_ssh_result *r)
{
	memset(r, 0, sizeof(*r));
	aclf_buf_init(&r->out, 0);
	aclf_buf_init(&r->err, 0);
	r->status = -1;
}

void aclf_ssh_result_release(struct aclf_ssh_result *r)
{
	aclf_buf_release(&r->out);
	aclf_buf_release(&r->err);
	aclf_ssh_result_init(r);
}

/* The command has ended: the channel is closed, or at EOF with its status. */
static bool ended(struct ssh_chan *c, void *arg)
{
	(void)arg;
	return c->closed || (c->eof && (c->status >= 0 || c->signal[0]));
}

static void tail(struct aclf_buf *d, const struct aclf_ssh_result *r)
{
	aclf_buf_printf(d, " (stdout %zu bytes, stderr %zu bytes", r->out.len, r->err.len);
	if (r->err.len) {
		aclf_buf_puts(d, "; stderr ends ");
		ssh_quote_tail(d, r->err.buf, r->err.len, 160);
	} else if (r->out.len) {
		aclf_buf_puts(d, "; stdout ends ");
		ssh_quote_tail(d, r->out.buf, r->out.len, 160);
	}
	aclf_buf_putc(d, ')');
}

int aclf_ssh_exec(struct aclf_ssh *s, const char *command, const struct aclf_ssh_exec_opts *xo,
		  struct aclf_ssh_result *r, struct aclf_err *err)
{
	static const struct aclf_ssh_exec_opts none;
	unsigned timeout_ms;
	struct ssh_chan c;
	struct aclf_buf detail;
	int64_t start = ssh_now_ms(), deadline;
	enum ssh_wait w = SSH_WAIT_DONE;
	int rc = -1;

	if (!xo)
		xo = &none;
	timeout_ms = xo->timeout_ms ? xo->timeout_ms : s->command_timeout_ms;
	aclf_ssh_result_release(r);
	if (ssh_check_usable(s, command, err) < 0)
		return -1;
	deadline = ssh_deadline(s, timeout_ms);
	ssh_log_event(s->log, "exec: %s", command);
	if (ssh_chan_open(s, &c, &r->out, &r->err, deadline, command, err) < 0)
		return -1;
	ssh_arm(s, deadline);
	if (ssh_channel_request_exec(c.ch, command) != SSH_OK) {
		if (ssh_now_ms() >= deadline) {
			w = SSH_WAIT_TIMEOUT;
			if (s->session_deadline && ssh_now_ms() >= s->session_deadline) {
				ssh_kill(s, "session time limit of %u ms reached",
					 s->session_timeout_ms);
				w = SSH_WAIT_SESSION;
			}
			goto fail;
		}
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				"the device refused to run the command: %s", ssh_get_error(s->ses));
		goto out;
	}
	if (xo->input_len) {
		w = ssh_chan_write(&c, xo->input, xo->input_len, deadline);
		if (w == SSH_WAIT_CLOSED) {
			ssh_log_event(s->log, "the command ended before reading all its input");
			w = SSH_WAIT_DONE;
		} else if (w != SSH_WAIT_DONE) {
			goto fail;
		}
	}
	ssh_log_flush(s->log);
	if (!c.closed)
		ssh_channel_send_eof(c.ch);
	w = ssh_chan_wait(&c, deadline, ended, NULL);
	if (w != SSH_WAIT_DONE)
		goto fail;
	r->status = c.status;
	memcpy(r->signal, c.signal, sizeof(r->signal));
	if (c.signal[0])
		ssh_log_event(s->log, "exit-signal %s", c.signal);
	else
		ssh_log_event(s->log, "exit-status %d", c.status);
	rc = ssh_log_check(s->log, s->device, command, err);
	goto out;
fail:
	aclf_buf_init(&detail, 0);
	tail(&detail, r);
	if (w == SSH_WAIT_TIMEOUT || w == SSH_WAIT_CAP)
		aclf_buf_puts(&detail, "; the command was sent SIGTERM and its channel closed; "
				       "the session stays open");
	ssh_chan_fail(&c, w, command, timeout_ms, detail.buf, err);
	aclf_buf_release(&detail);
out:
	ssh_chan_close(&c, rc < 0 ? "TERM" : NULL);
	ssh_end_if_dead(s);
	r->ms = (unsigned)(ssh_now_ms() - start);
	return rc;
}
