/* One SSH session of aclforge-emu, on its own thread: key exchange,
 * authentication (public key, password; wrong ones refused as sshd does,
 * the connection closed after MAX_AUTH_TRIES), then session channels one
 * after the other: a pty shell (echo and line editing as a terminal's
 * line discipline does, CRLF, prompts) or an exec command (exit status
 * sent). The faults of the command line apply per session: --delay-ms,
 * --drop-after, --hang-after, --reject. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "emu_server.h"

#define MAX_AUTH_TRIES 6
#define LINE_MAX_LEN 4096
#define CONTROL_CMD "emu-control"

struct sess {
	struct emu_session *es;
	const struct emu_opts *o;
	const struct emu_kind *kind;
	struct emu_device *dev;
	char user[256];
	unsigned long commands;  /* non-empty lines and exec commands */
	bool hanging;
	bool dropped;
};

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool stopping(const struct sess *s)
{
	return atomic_load(&s->es->srv->stop);
}

/* A kind's text with every bare "\n" as "\r\n". */
static int write_crlf(ssh_channel ch, const char *p, size_t n, bool err)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	int rc = 0;

	aclf_buf_init(&b, 0);
	for (size_t k = 0; k < n; k++) {
		if (p[k] == '\n' && (k == 0 || p[k - 1] != '\r'))
			aclf_buf_putc(&b, '\r');
		aclf_buf_putc(&b, p[k]);
	}
	if (b.len) {
		int w = err ? ssh_channel_write_stderr(ch, b.buf, (uint32_t)b.len)
			    : ssh_channel_write(ch, b.buf, (uint32_t)b.len);

		rc = w == (int)b.len ? 0 : -1;
	}
	aclf_buf_release(&b);
	return rc;
}

static void cut(struct sess *s)
{
	s->dropped = true;
	ssh_silent_disconnect(s->es->ssh);
}

/* Counts a command; false when the session is to be cut or hang now. */
static bool admit(struct sess *s)
{
	s->commands++;
	if (s->o->drop_after && s->commands > s->o->drop_after) {
		cut(s);
		return false;
	}
	if (s->o->hang_after && s->commands > s->o->hang_after) {
		s->hanging = true;
		return false;
	}
	if (s->o->delay_ms)
		sleep_ms(s->o->delay_ms);
	return true;
}

static bool rejected(const struct sess *s, const char *line)
{
	return s->o->has_reject && regexec(&s->o->reject, line, 0, NULL, 0) == 0;
}

/* ---- exec ------------------------------------------------------------------ */

static void run_exec(struct sess *s, ssh_channel ch, const char *cmd)
{
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT;
	size_t cl = strlen(CONTROL_CMD);
	int rc;
	bool changed = false;

	aclf_buf_init(&out, 0);
	aclf_buf_init(&err, 0);
	if (!strncmp(cmd, CONTROL_CMD, cl) && (cmd[cl] == ' ' || cmd[cl] == '\0')) {
		/* test control: never delayed, counted, cut or rejected */
		if (!s->kind->control) {
			aclf_buf_printf(&err, "emu-control: kind %s takes no control commands\n",
					s->kind->name);
			rc = 1;
		} else {
			pthread_mutex_lock(&s->dev->lock);
			rc = s->kind->control(s->dev->state, cmd + cl + (cmd[cl] ? 1 : 0), &out) < 0;
			pthread_mutex_unlock(&s->dev->lock);
			if (rc) {
				aclf_buf_add(&err, out.buf, out.len);
				aclf_buf_reset(&out);
			}
		}
	} else if (!admit(s)) {
		if (s->hanging) /* never answers, also once the client's stdin ended
				 * (EOF): the client gives up */
			while (!stopping(s) && ssh_channel_is_open(ch)) {
				char b[256];

				if (ssh_channel_is_eof(ch)) {
					sleep_ms(50);
					if (ssh_channel_read_nonblocking(ch, b, sizeof(b), 0) == SSH_ERROR)
						break;
				} else if (ssh_channel_read_timeout(ch, b, sizeof(b), 0, 100) == SSH_ERROR) {
					break;
				}
			}
		goto out;
	} else if (rejected(s, cmd)) {
		void *ks = s->kind->open(s->dev->state, s->user);

		if (ks) {
			s->kind->reject(s->dev->state, ks, cmd, &out);
			s->kind->close(s->dev->state, ks);
		}
		rc = 1;
	} else if (!s->kind->exec) {
		aclf_buf_printf(&err, "exec request refused\n");
		rc = 1;
	} else {
		pthread_mutex_lock(&s->dev->lock);
		rc = s->kind->exec(s->dev->state, s->user, cmd, &out, &err, &changed);
		if (changed)
			emu_state_write(s->kind, s->dev);
		pthread_mutex_unlock(&s->dev->lock);
	}
	write_crlf(ch, out.buf, out.len, false);
	write_crlf(ch, err.buf, err.len, true);
	ssh_channel_request_send_exit_status(ch, rc);
	ssh_channel_send_eof(ch);
out:
	aclf_buf_release(&out);
	aclf_buf_release(&err);
}

/* ---- shell ------------------------------------------------------------------ */

struct shell {
	struct sess *s;
	ssh_channel ch;
	void *ks;                  /* kind session */
	char line[LINE_MAX_LEN + 1];
	size_t len;
	bool too_long;             /* more than LINE_MAX_LEN typed */
	bool skip_lf;
	bool closing;
};

static void prompt_or_question(struct shell *sh, struct aclf_buf *out, const char *q)
{
	if (q)
		aclf_buf_puts(out, q);
	else
		sh->s->kind->prompt(sh->s->dev->state, sh->ks, out);
}

/* A whole line arrived (already echoed). */
static int shell_line(struct shell *sh)
{
	struct sess *s = sh->s;
	struct aclf_buf out = ACLF_BUF_INIT;
	const char *q = NULL, *p = sh->line;
	enum emu_next r = EMU_CONTINUE;
	int rc;

	bool too_long = sh->too_long;

	sh->line[sh->len] = '\0';
	sh->len = 0;
	sh->too_long = false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && !admit(s))
		return s->hanging ? 0 : -1; /* hanging: the channel stays open, silent */
	aclf_buf_init(&out, 0);
	pthread_mutex_lock(&s->dev->lock);
	if (*p && (too_long || rejected(s, sh->line))) {
		/* a line cut short is never run: the vendor's error */
		s->kind->reject(s->dev->state, sh->ks, sh->line, &out);
	} else {
		r = s->kind->line(s->dev->state, sh->ks, sh->line, &out, &q);
		if (r == EMU_CHANGED)
			emu_state_write(s->kind, s->dev);
	}
	if (r != EMU_CLOSE)
		prompt_or_question(sh, &out, q);
	pthread_mutex_unlock(&s->dev->lock);
	rc = write_crlf(sh->ch, out.buf, out.len, false);
	aclf_buf_release(&out);
	if (r == EMU_CLOSE)
		sh->closing = true;
	return rc;
}

static bool echo_off(struct shell *sh)
{
	bool off;

	if (!sh->s->kind->secret)
		return false;
	pthread_mutex_lock(&sh->s->dev->lock);
	off = sh->s->kind->secret(sh->s->dev->state, sh->ks);
	pthread_mutex_unlock(&sh->s->dev->lock);
	return off;
}

/* Bytes typed: the terminal's line discipline (echo, backspace, CR/LF). */
static int shell_input(struct shell *sh, const char *b, size_t n)
{
	for (size_t k = 0; k < n && !sh->closing && !sh->s->hanging && !sh->s->dropped; k++) {
		unsigned char c = (unsigned char)b[k];

		if (c == '\n' && sh->skip_lf) {
			sh->skip_lf = false;
			continue;
		}
		sh->skip_lf = c == '\r';
		if (c == '\r' || c == '\n') {
			if (ssh_channel_write(sh->ch, "\r\n", 2) != 2 || shell_line(sh) < 0)
				return -1;
		} else if (c == 0x7f || c == 0x08) {
			if (sh->len) {
				sh->len--;
				if (!echo_off(sh) && ssh_channel_write(sh->ch, "\b \b", 3) != 3)
					return -1;
			}
		} else if (c == 0x04) {
			/* Ctrl-D is kept, not echoed: the kind reads it (Junos ends
			 * `load ... terminal` input with it) */
			if (sh->len < LINE_MAX_LEN)
				sh->line[sh->len++] = (char)c;
		} else if (c >= 0x20 || c == '\t') {
			if (sh->len < LINE_MAX_LEN)
				sh->line[sh->len++] = (char)(c == '\t' ? ' ' : c);
			else
				sh->too_long = true;
			if (!echo_off(sh) && ssh_channel_write(sh->ch, &b[k], 1) != 1)
				return -1;
		}
		/* other control characters are not echoed and not kept */
	}
	return 0;
}

static void run_shell(struct sess *s, ssh_channel ch)
{
	struct shell *sh = calloc(1, sizeof(*sh));
	struct aclf_buf out = ACLF_BUF_INIT;
	char b[1024];

	if (!sh)
		return;
	sh->s = s;
	sh->ch = ch;
	aclf_buf_init(&out, 0);
	pthread_mutex_lock(&s->dev->lock);
	sh->ks = s->kind->open(s->dev->state, s->user);
	if (sh->ks) {
		s->kind->banner(s->dev->state, sh->ks, &out);
		s->kind->prompt(s->dev->state, sh->ks, &out);
	}
	pthread_mutex_unlock(&s->dev->lock);
	if (!sh->ks || write_crlf(ch, out.buf, out.len, false) < 0)
		goto out;
	while (!stopping(s) && !sh->closing && !s->dropped) {
		int n = ssh_channel_read_timeout(ch, b, sizeof(b), 0, 100);

		if (n == SSH_ERROR || (n == 0 && (ssh_channel_is_eof(ch) || !ssh_channel_is_open(ch))))
			break;
		if (n > 0 && !s->hanging && shell_input(sh, b, (size_t)n) < 0)
			break;
	}
	if (sh->closing) {
		ssh_channel_request_send_exit_status(ch, 0);
		ssh_channel_send_eof(ch);
	}
out:
	if (sh->ks) {
		pthread_mutex_lock(&s->dev->lock);
		s->kind->close(s->dev->state, sh->ks);
		pthread_mutex_unlock(&s->dev->lock);
	}
	aclf_buf_release(&out);
	free(sh);
}

/* ---- authentication and channels ------------------------------------------- */

/* libssh 0.10 marks the message API's auth accessors deprecated in favour
 * of server callbacks; they still work and keep authentication in one
 * blocking loop on the session's thread. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static bool authenticate(struct sess *s)
{
	ssh_session ss = s->es->ssh;
	int fails = 0, methods = SSH_AUTH_METHOD_PUBLICKEY;
	ssh_message m;

	if (s->es->srv->auth->password)
		methods |= SSH_AUTH_METHOD_PASSWORD;
	ssh_set_auth_methods(ss, methods);
	while (!stopping(s) && (m = ssh_message_get(ss))) {
		bool ok = false, replied = false;

		if (ssh_message_type(m) == SSH_REQUEST_AUTH) {
			const char *user = ssh_message_auth_user(m);

			switch (ssh_message_subtype(m)) {
			case SSH_AUTH_METHOD_PASSWORD:
				ok = emu_auth_password(s->es->srv->auth, user,
						       ssh_message_auth_password(m));
				fails += !ok;
				break;
			case SSH_AUTH_METHOD_PUBLICKEY: {
				ssh_key k = ssh_message_auth_pubkey(m);

				if (!k || !emu_auth_key(s->es->srv->auth, k))
					break;
				switch (ssh_message_auth_publickey_state(m)) {
				case SSH_PUBLICKEY_STATE_NONE: /* a probe: "this key would do" */
					ssh_message_auth_reply_pk_ok_simple(m);
					replied = true;
					break;
				case SSH_PUBLICKEY_STATE_VALID:
					ok = true;
					break;
				default:
					fails++;
					break;
				}
				break;
			}
			default:
				break;
			}
			if (ok) {
				snprintf(s->user, sizeof(s->user), "%s", user ? user : "");
				ssh_message_auth_reply_success(m, 0);
				ssh_message_free(m);
				return true;
			}
			if (!replied) {
				ssh_message_auth_set_methods(m, methods);
				ssh_message_reply_default(m);
			}
		} else {
			ssh_message_reply_default(m);
		}
		ssh_message_free(m);
		if (fails >= MAX_AUTH_TRIES) {
			ssh_disconnect(ss);
			return false;
		}
	}
	return false;
}
#pragma GCC diagnostic pop

static void serve(struct sess *s)
{
	ssh_session ss = s->es->ssh;
	ssh_channel ch = NULL;
	ssh_message m;

	while (!stopping(s) && !s->dropped && (m = ssh_message_get(ss))) {
		int type = ssh_message_type(m), sub = ssh_message_subtype(m);

		if (type == SSH_REQUEST_CHANNEL_OPEN && sub == SSH_CHANNEL_SESSION && !ch) {
			ch = ssh_message_channel_request_open_reply_accept(m);
		} else if (type == SSH_REQUEST_CHANNEL && ch &&
			   ssh_message_channel_request_channel(m) == ch &&
			   (sub == SSH_CHANNEL_REQUEST_SHELL || sub == SSH_CHANNEL_REQUEST_EXEC)) {
			char *cmd = sub == SSH_CHANNEL_REQUEST_EXEC
					    ? strdup(ssh_message_channel_request_command(m) ?: "")
					    : NULL;

			ssh_message_channel_request_reply_success(m);
			ssh_message_free(m);
			if (sub == SSH_CHANNEL_REQUEST_SHELL)
				run_shell(s, ch);
			else if (cmd)
				run_exec(s, ch, cmd);
			free(cmd);
			if (!s->dropped) {
				ssh_channel_close(ch);
				ssh_channel_free(ch);
			}
			ch = NULL;
			if (s->hanging) /* nothing more, until the client leaves */
				while (!stopping(s) && ssh_is_connected(ss))
					sleep_ms(50);
			continue;
		} else if (type == SSH_REQUEST_CHANNEL &&
			   (sub == SSH_CHANNEL_REQUEST_PTY || sub == SSH_CHANNEL_REQUEST_ENV ||
			    sub == SSH_CHANNEL_REQUEST_WINDOW_CHANGE)) {
			ssh_message_channel_request_reply_success(m);
		} else {
			ssh_message_reply_default(m);
		}
		ssh_message_free(m);
	}
	if (ch && !s->dropped) {
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
}

void *emu_session_main(void *arg)
{
	struct emu_session *es = arg;
	struct sess s;

	memset(&s, 0, sizeof(s));
	s.es = es;
	s.o = es->srv->o;
	s.kind = es->srv->o->kind;
	s.dev = es->dev;
	if (ssh_handle_key_exchange(es->ssh) == SSH_OK && authenticate(&s))
		serve(&s);
	if (!s.dropped)
		ssh_disconnect(es->ssh);
	atomic_store(&es->done, true);
	return NULL;
}
