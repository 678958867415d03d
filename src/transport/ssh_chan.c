/* One channel: its output captured by libssh channel callbacks while the
 * session's event is polled in rounds no longer than the time left (and no
 * longer than the keepalive interval); a keepalive@openssh.com request after
 * keepalive_ms without a byte either way. Every wait ends by the deadline:
 * the operation's, or the session's (which also makes the session
 * unusable). */
#include <stdio.h>
#include <string.h>

#include <libssh/server.h> /* ssh_send_keepalive() is declared there */

#include "aclforge/err.h"
#include "ssh_int.h"

static int on_data(ssh_session ses, ssh_channel ch, void *data, uint32_t len, int is_stderr,
		   void *ud)
{
	struct ssh_chan *c = ud;

	(void)ses;
	(void)ch;
	c->s->last_io = ssh_now_ms();
	ssh_log_data(c->s->log, is_stderr ? '!' : '<', data, len);
	if (c->over || c->oom)
		return (int)len; /* the wait ends at its next round */
	if (len > c->s->cap - c->got) {
		c->over = true;
		return (int)len;
	}
	if (aclf_buf_add(is_stderr ? c->err : c->out, data, len) < 0)
		c->oom = true;
	c->got += len;
	c->new_data = true;
	return (int)len;
}

static void on_eof(ssh_session ses, ssh_channel ch, void *ud)
{
	struct ssh_chan *c = ud;

	(void)ses;
	(void)ch;
	c->eof = true;
	c->new_data = true;
}

static void on_close(ssh_session ses, ssh_channel ch, void *ud)
{
	struct ssh_chan *c = ud;

	(void)ses;
	(void)ch;
	c->closed = true;
	c->new_data = true;
}

static void on_status(ssh_session ses, ssh_channel ch, int status, void *ud)
{
	struct ssh_chan *c = ud;

	(void)ses;
	(void)ch;
	c->status = status;
}

static void on_signal(ssh_session ses, ssh_channel ch, const char *sig, int core, const char *msg,
		      const char *lang, void *ud)
{
	struct ssh_chan *c = ud;

	(void)ses;
	(void)ch;
	(void)core;
	(void)msg;
	(void)lang;
	snprintf(c->signal, sizeof(c->signal), "%s", sig ? sig : "?");
}

int ssh_chan_open(struct aclf_ssh *s, struct ssh_chan *c, struct aclf_buf *out,
		  struct aclf_buf *err_buf, int64_t deadline, const char *command,
		  struct aclf_err *err)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->out = out;
	c->err = err_buf;
	c->status = -1;
	c->ch = ssh_channel_new(s->ses);
	if (!c->ch)
		return aclf_err_nomem(err);
	c->cb.userdata = c;
	c->cb.channel_data_function = on_data;
	c->cb.channel_eof_function = on_eof;
	c->cb.channel_close_function = on_close;
	c->cb.channel_exit_status_function = on_status;
	c->cb.channel_exit_signal_function = on_signal;
	ssh_callbacks_init(&c->cb);
	if (ssh_set_channel_callbacks(c->ch, &c->cb) != SSH_OK) {
		ssh_channel_free(c->ch);
		c->ch = NULL;
		return aclf_err_nomem(err);
	}
	ssh_arm(s, deadline);
	if (ssh_channel_open_session(c->ch) != SSH_OK) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				"cannot open a session channel: %s", ssh_get_error(s->ses));
		if (!ssh_is_connected(s->ses))
			ssh_kill(s, "connection lost: %s", ssh_get_error(s->ses));
		ssh_chan_close(c, NULL);
		return -1;
	}
	return 0;
}

static bool lost(struct aclf_ssh *s)
{
	return !ssh_is_connected(s->ses) ||
	       (ssh_get_status(s->ses) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

enum ssh_wait ssh_chan_wait(struct ssh_chan *c, int64_t deadline,
			    bool (*done)(struct ssh_chan *c, void *arg), void *arg)
{
	struct aclf_ssh *s = c->s;

	for (;;) {
		int64_t now, left, idle;
		int rc;

		if (c->oom)
			return SSH_WAIT_NOMEM;
		if (c->over)
			return SSH_WAIT_CAP;
		if (done(c, arg))
			return SSH_WAIT_DONE;
		c->new_data = false;
		if (lost(s)) {
			ssh_kill(s, "connection lost: %s", ssh_get_error(s->ses));
			return SSH_WAIT_LOST;
		}
		now = ssh_now_ms();
		left = deadline - now;
		if (left <= 0) {
			if (s->session_deadline && now >= s->session_deadline) {
				ssh_kill(s, "session time limit of %u ms reached",
					 s->session_timeout_ms);
				return SSH_WAIT_SESSION;
			}
			return SSH_WAIT_TIMEOUT;
		}
		idle = s->last_io + (int64_t)s->keepalive_ms - now;
		if (idle <= 0) {
			/* blocks at most until the deadline for the reply */
			ssh_arm(s, deadline);
			ssh_send_keepalive(s->ses);
			s->last_io = ssh_now_ms();
			continue;
		}
		rc = ssh_event_dopoll(s->ev, (int)(left < idle ? left : idle));
		if (rc == SSH_ERROR) {
			/* the socket failed or was closed under libssh */
			ssh_kill(s, "connection lost: %s", ssh_get_error(s->ses));
			return SSH_WAIT_LOST;
		}
	}
}

static bool window_open(struct ssh_chan *c, void *arg)
{
	(void)arg;
	return c->closed || ssh_channel_window_size(c->ch) > 0;
}

enum ssh_wait ssh_chan_write(struct ssh_chan *c, const void *data, size_t len, int64_t deadline)
{
	const char *p = data;

	while (len > 0) {
		enum ssh_wait w = ssh_chan_wait(c, deadline, window_open, NULL);
		uint32_t win;
		int n;

		if (w != SSH_WAIT_DONE)
			return w;
		if (c->closed)
			return SSH_WAIT_CLOSED;
		win = ssh_channel_window_size(c->ch);
		if (win > len)
			win = (uint32_t)len;
		ssh_arm(c->s, deadline);
		n = ssh_channel_write(c->ch, p, win);
		if (n < 0) {
			if (!lost(c->s))
				return SSH_WAIT_CLOSED;
			ssh_kill(c->s, "connection lost: %s", ssh_get_error(c->s->ses));
			return SSH_WAIT_LOST;
		}
		c->s->last_io = ssh_now_ms();
		ssh_log_data(c->s->log, '>', p, (size_t)n);
		p += n;
		len -= (size_t)n;
	}
	return SSH_WAIT_DONE;
}

void ssh_chan_close(struct ssh_chan *c, const char *sig)
{
	if (!c->ch)
		return;
	ssh_remove_channel_callbacks(c->ch, &c->cb);
	if (sig && ssh_is_connected(c->s->ses) && !c->closed)
		ssh_channel_request_send_signal(c->ch, sig);
	if (ssh_is_connected(c->s->ses) && !c->closed) {
		ssh_arm(c->s, ssh_now_ms() + 1000);
		ssh_channel_close(c->ch);
	}
	ssh_channel_free(c->ch);
	c->ch = NULL;
}

int ssh_chan_fail(struct ssh_chan *c, enum ssh_wait w, const char *command, unsigned timeout_ms,
		  const char *detail, struct aclf_err *err)
{
	struct aclf_ssh *s = c->s;
	const char *d = detail ? detail : "";

	switch (w) {
	case SSH_WAIT_DONE:
		break;
	case SSH_WAIT_TIMEOUT:
		ssh_log_event(s->log, "timeout after %u ms", timeout_ms);
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				       "timeout after %u ms%s", timeout_ms, d);
	case SSH_WAIT_SESSION:
		ssh_log_event(s->log, "session time limit of %u ms reached", s->session_timeout_ms);
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				       "session time limit of %u ms reached%s; session closed",
				       s->session_timeout_ms, d);
	case SSH_WAIT_CAP:
		ssh_log_event(s->log, "output over %zu bytes", s->cap);
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				       "output exceeds the cap of %zu bytes%s", s->cap, d);
	case SSH_WAIT_LOST:
		ssh_log_event(s->log, "%s", s->dead.buf);
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command, "%s%s",
				       s->dead.buf, d);
	case SSH_WAIT_CLOSED:
		ssh_log_event(s->log, "the device closed the channel");
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command,
				       "the device closed the channel%s", d);
	case SSH_WAIT_NOMEM:
		return aclf_err_nomem(err);
	}
	return aclf_err_remote(err, ACLF_E_BUG, s->device, command, "wait failed");
}
