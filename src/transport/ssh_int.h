/* SSH transport internals, shared by src/transport/ssh_*.c only.
 *
 *   ssh_open.c     options, the session's life (open, close, accessors)
 *   ssh_tcp.c      TCP connect with a deadline
 *   ssh_hostkey.c  known_hosts: check, accept-new, fingerprints
 *   ssh_auth.c     key file checks, the authentication methods
 *   ssh_chan.c     one channel: capture, waiting with deadlines, keepalives, writing
 *   ssh_exec.c     exec mode
 *   ssh_shell.c    interactive shell mode
 *   ssh_log.c      the transcript and its scrubbing
 *   ssh_text.c     quoting device text for messages, the last line of output
 */
#ifndef ACLF_TRANSPORT_SSH_INT_H
#define ACLF_TRANSPORT_SSH_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "aclforge/buf.h"
#include "aclforge/ssh.h"

struct aclf_err;
struct ssh_log;
struct ssh_chan;
struct ssh_shell;

struct aclf_ssh {
	ssh_session ses;
	ssh_event ev;          /* polls ses once logged in */
	int fd;                /* our TCP socket (libssh does not close it) */
	char *device, *host, *user, *known_hosts;
	uint16_t port;
	unsigned command_timeout_ms, keepalive_ms, session_timeout_ms;
	size_t cap;
	int64_t session_deadline; /* monotonic ms; 0: none */
	int64_t last_io;          /* monotonic ms of the last byte either way */
	struct aclf_buf dead;     /* why the session is unusable; empty: usable */
	char host_key[128];       /* "ssh-ed25519 SHA256:..." */
	bool key_recorded;
	const char *auth_method;
	struct ssh_log *log;      /* NULL: no transcript */
	struct ssh_shell *shell;  /* NULL: no shell open (ssh_shell.c) */
};

/* Monotonic clock in milliseconds. */
int64_t ssh_now_ms(void);
/* The deadline of an operation of timeout_ms starting now, capped by the
 * session's own deadline. */
int64_t ssh_deadline(const struct aclf_ssh *s, unsigned timeout_ms);
/* Set libssh's blocking timeout to what is left until deadline (at least
 * 1 ms), for the blocking libssh calls (channel open, requests, writes). */
void ssh_arm(struct aclf_ssh *s, int64_t deadline);
/* Mark the session unusable (first reason wins). */
void ssh_kill(struct aclf_ssh *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -1 with err set when the session is unusable, else 0. */
int ssh_check_usable(struct aclf_ssh *s, const char *command, struct aclf_err *err);
/* Once unusable, disconnect (the device sees the logout now, not at
 * aclf_ssh_close). Channels must be closed first. */
void ssh_end_if_dead(struct aclf_ssh *s);
/* Expand a leading "~/" (or a lone "~") with $HOME; NULL when out of memory
 * or $HOME is unset for a path that needs it. */
char *ssh_expand_path(const char *path);

/* ssh_tcp.c: a connected non-blocking TCP socket to host:port by deadline. */
int ssh_tcp_connect(const char *device, const char *host, uint16_t port, int64_t deadline,
		    unsigned timeout_ms, int *fd, struct aclf_err *err);

/* ssh_hostkey.c: after the key exchange, check the server's key against
 * known_hosts; record it when accept_new and it is unknown. */
int ssh_hostkey_check(struct aclf_ssh *s, bool accept_new, struct aclf_err *err);

/* ssh_auth.c */
int ssh_key_load(const char *device, const char *path, const char *passphrase, ssh_key *out,
		 struct aclf_err *err);
struct ssh_auth_cfg {
	ssh_key key;               /* NULL: no key file */
	const char *key_file;      /* for messages */
	bool agent;
	const char *password;
};
int ssh_auth_run(struct aclf_ssh *s, const struct ssh_auth_cfg *cfg, struct aclf_err *err);

/* ssh_chan.c: one channel with its captured output. */
enum ssh_wait {
	SSH_WAIT_DONE = 0,
	SSH_WAIT_TIMEOUT,      /* the operation's deadline */
	SSH_WAIT_SESSION,      /* the session's deadline (the session is now unusable) */
	SSH_WAIT_CAP,          /* more output than the cap */
	SSH_WAIT_LOST,         /* connection lost (the session is now unusable) */
	SSH_WAIT_CLOSED,       /* the device closed this channel */
	SSH_WAIT_NOMEM,
};

struct ssh_chan {
	struct aclf_ssh *s;
	ssh_channel ch;
	struct ssh_channel_callbacks_struct cb;
	struct aclf_buf *out, *err; /* capture; err == out merges stderr in */
	size_t got;                 /* bytes counted against the cap */
	bool over, oom, new_data;
	bool eof, closed;
	int status;                 /* -1: none */
	char signal[32];
};

/* Open a session channel on s (callbacks set, capturing into out/err). */
int ssh_chan_open(struct aclf_ssh *s, struct ssh_chan *c, struct aclf_buf *out,
		  struct aclf_buf *err_buf, int64_t deadline, const char *command,
		  struct aclf_err *err);
/* Poll until done(c, arg) is true or something ends the wait. done is
 * called after each round (new data or not). */
enum ssh_wait ssh_chan_wait(struct ssh_chan *c, int64_t deadline,
			    bool (*done)(struct ssh_chan *c, void *arg), void *arg);
/* Write all of data by deadline (waits for window space while polling). */
enum ssh_wait ssh_chan_write(struct ssh_chan *c, const void *data, size_t len, int64_t deadline);
/* Stop the callbacks, close and free the channel; send a signal first when
 * sig is not NULL. */
void ssh_chan_close(struct ssh_chan *c, const char *sig);
/* Record the failure of a wait with the standard message. Returns -1. */
int ssh_chan_fail(struct ssh_chan *c, enum ssh_wait w, const char *command, unsigned timeout_ms,
		  const char *detail, struct aclf_err *err);

/* ssh_log.c: the transcript. */
int ssh_log_open(struct ssh_log **out, const struct aclf_ssh_opts *o, const char *device,
		 struct aclf_err *err);
void ssh_log_close(struct ssh_log *l);
/* dir: '>' sent, '<' received, '!' received on stderr. */
void ssh_log_data(struct ssh_log *l, char dir, const void *data, size_t len);
void ssh_log_event(struct ssh_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -1 with err set once a write to the transcript has failed. */
int ssh_log_check(struct ssh_log *l, const char *device, const char *command, struct aclf_err *err);
/* Write out a pending partial line. */
void ssh_log_flush(struct ssh_log *l);

/* ssh_text.c */
/* Append s[0..n) quoted for a one-line message: '...' with \n, \r, \t, \\,
 * \' and \xNN escapes; at most max bytes of s, its end kept ("..." first). */
void ssh_quote_tail(struct aclf_buf *b, const char *s, size_t n, size_t max);
/* The last line of text (after the last '\n'): returns its offset, and puts
 * in cand its visible text: from the last '\r' on (unless the '\r' is the
 * last byte), without ANSI CSI/OSC escape sequences. */
size_t ssh_last_line(const char *text, size_t len, struct aclf_buf *cand);
/* regexec over a buffer that may hold NUL bytes. */
bool ssh_re_match(const regex_t *re, const char *s, size_t n);
/* regcomp with REG_EXTENDED | REG_NOSUB, err set (ACLF_E_INPUT) on failure. */
int ssh_re_compile(regex_t *re, const char *pattern, const char *what, const char *device,
		   struct aclf_err *err);

#endif
