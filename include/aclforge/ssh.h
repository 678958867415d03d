/* SSH transport: one session to one device (libssh client). The drivers'
 * fetch and apply ops receive the session as an opaque struct aclf_ssh; no
 * driver includes libssh headers.
 *
 * What it checks: the device's host key against a known_hosts file (strict
 * by default: an unknown or changed key is refused with its SHA256
 * fingerprint; accept_new records a first-seen key, never a changed one), a
 * key file's permissions (refused when group or others have any access, as
 * OpenSSH does), a deadline on every wait (connect, each command, the whole
 * session) and a cap on what one command may print. It never classifies
 * what a device says: exec reports stdout, stderr and the exit status, the
 * shell reports the text up to the device prompt; telling success from
 * failure is each driver's grammar.
 *
 * Every failure is recorded with aclf_err_remote(): the device name, the
 * command (NULL while connecting) and what happened. Kinds: ACLF_E_TRANSPORT
 * for the network and the SSH protocol (refused, timed out, host key, failed
 * authentication, connection lost, output over the cap), ACLF_E_INPUT for
 * local files and options (key file permissions, bad regex, unwritable
 * transcript), ACLF_E_NOMEM.
 *
 * Global state: none here. libssh initialises itself when it is loaded (its
 * library constructor calls ssh_init(), its destructor ssh_finalize()), so
 * this layer calls neither; sessions share nothing and may live in
 * different threads, one thread per session. */
#ifndef ACLFORGE_SSH_H
#define ACLFORGE_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/buf.h"

struct aclf_err;
struct aclf_device;
struct aclf_ssh;

#define ACLF_SSH_CONNECT_TIMEOUT_MS 10000u
#define ACLF_SSH_COMMAND_TIMEOUT_MS 30000u
#define ACLF_SSH_KEEPALIVE_MS 15000u
#define ACLF_SSH_OUTPUT_CAP ((size_t)16 << 20)

/* How to reach and log in to one device. Zero means the default; strings
 * are copied by aclf_ssh_open(). Paths may start with "~/" ($HOME). */
struct aclf_ssh_opts {
	const char *device;         /* name in messages; NULL: host */
	const char *host;           /* address or name (required) */
	uint16_t port;              /* 0: 22 */
	const char *user;           /* NULL: the local login name (libssh's default) */

	/* Authentication, tried in this order: key file, agent, password (the
	 * "password" method, then "keyboard-interactive" answering the device's
	 * password prompt). At least one is needed. */
	const char *key_file;       /* private key (OpenSSH or PEM format) */
	const char *key_passphrase; /* NULL: the key is not encrypted */
	bool agent;                 /* the keys of an SSH agent */
	const char *agent_socket;   /* NULL: $SSH_AUTH_SOCK */
	const char *password;       /* the secret itself, resolved by the caller
	                             * (topology's env:/file: reference); also
	                             * scrubbed from the transcript */

	const char *known_hosts;    /* NULL: ~/.ssh/known_hosts */
	bool accept_new;            /* record a first-seen host key (OpenSSH's
	                             * StrictHostKeyChecking=accept-new) */

	unsigned connect_timeout_ms; /* TCP connect to authenticated; 0: 10 s */
	unsigned command_timeout_ms; /* default per command; 0: 30 s */
	unsigned session_timeout_ms; /* whole session from open; 0: no limit */
	unsigned keepalive_ms;       /* keepalive@openssh.com after this much
	                              * silence while waiting; 0: 15 s */
	size_t output_cap;           /* bytes one command may print (stdout and
	                              * stderr together); 0: 16 MiB */

	/* Transcript: every byte sent and received, appended to this file
	 * (created 0600), one record per line: "> " sent, "< " received,
	 * "! " received on stderr, "# " events; bytes other than printable
	 * ones written as \r, \n, \t, \\ or \xNN, so a record ends where its
	 * line ends. NULL: none. */
	const char *transcript;
	const char *const *scrub;        /* NULL-terminated literal secrets:
	                                  * each occurrence becomes ******** */
	const char *const *scrub_lines;  /* NULL-terminated POSIX EREs: a line
	                                  * matching one is written as ******** */
};

/* The options a topology device gives: device name, host, port, user, key
 * file, agent, known_hosts. The password stays NULL: the caller resolves
 * dev->ssh.password (a secret reference) and sets o->password. Other fields
 * are zeroed (defaults). */
void aclf_ssh_opts_from_device(struct aclf_ssh_opts *o, const struct aclf_device *dev);

/* Connect, check the host key, authenticate. Returns 0 and *out, or -1 with
 * err set and *out NULL. A key file is checked before any packet is sent. */
int aclf_ssh_open(const struct aclf_ssh_opts *o, struct aclf_ssh **out, struct aclf_err *err);
/* Close the shell if open, disconnect, free. NULL is a no-op. */
void aclf_ssh_close(struct aclf_ssh *s);

const char *aclf_ssh_device(const struct aclf_ssh *s);
/* The device's host key, "ssh-ed25519 SHA256:...". */
const char *aclf_ssh_host_key(const struct aclf_ssh *s);
/* True when this open recorded the key in known_hosts (accept_new). */
bool aclf_ssh_host_key_recorded(const struct aclf_ssh *s);
/* The method that logged in: "publickey", "agent", "password",
 * "keyboard-interactive" or "none". */
const char *aclf_ssh_auth_method(const struct aclf_ssh *s);
/* The ends of the session's TCP connection as the connected socket shows
 * them (numeric IPv4 or IPv6): local is the source of every packet the
 * device gets from this session, peer the device's address and SSH port. */
struct aclf_ssh_ends {
	char local[64], peer[64];
	uint16_t local_port, peer_port;
};
/* Returns 0, or -1 (no connected socket). */
int aclf_ssh_addrs(const struct aclf_ssh *s, struct aclf_ssh_ends *e);
/* False once the connection is lost or the session time limit is reached:
 * every later call fails at once with the reason. */
bool aclf_ssh_usable(const struct aclf_ssh *s);

/* ---- exec channel: one command, stdout, stderr and exit status apart ---- */

struct aclf_ssh_result {
	struct aclf_buf out;  /* stdout, verbatim */
	struct aclf_buf err;  /* stderr, verbatim */
	int status;           /* exit status; -1 when the device sent none */
	char signal[32];      /* exit signal name ("TERM") or "" */
	unsigned ms;          /* how long the command took */
};

void aclf_ssh_result_init(struct aclf_ssh_result *r);
void aclf_ssh_result_release(struct aclf_ssh_result *r);

struct aclf_ssh_exec_opts {
	const void *input;    /* written to the command's stdin, then EOF */
	size_t input_len;
	unsigned timeout_ms;  /* 0: the session's command timeout */
};

/* Run command (xo may be NULL). Returns 0 when the command ran to its end,
 * whatever its exit status; -1 on a timeout, output over the cap or a lost
 * connection. After a timeout or the cap the command is sent SIGTERM and its
 * channel closed; the session stays usable. r holds what arrived either way
 * (r is reset first). */
int aclf_ssh_exec(struct aclf_ssh *s, const char *command, const struct aclf_ssh_exec_opts *xo,
		  struct aclf_ssh_result *r, struct aclf_err *err);

/* ---- interactive shell: a pty, a prompt, answers to expected questions ---- */

struct aclf_ssh_shell_opts {
	const char *prompt;   /* POSIX ERE the device prompt matches (required);
	                       * see aclf_ssh_shell_run for what it is matched on */
	const char *eol;      /* sent after each line; NULL: "\n" */
	bool no_pty;          /* do not request a pty */
	const char *term;     /* NULL: "vt100" */
	unsigned cols, rows;  /* 0: 511 x 24 */
	unsigned timeout_ms;  /* for the first prompt; 0: the command timeout */
};

/* Open the session's shell and read until the first prompt. banner (may be
 * NULL) receives what the device printed before it. One shell per session. */
int aclf_ssh_shell_open(struct aclf_ssh *s, const struct aclf_ssh_shell_opts *so,
			struct aclf_buf *banner, struct aclf_err *err);

/* A question the caller expects during one command, and its reply. */
struct aclf_ssh_answer {
	const char *prompt;   /* POSIX ERE, e.g. "^Proceed\\? \\[confirm\\]$" */
	const char *reply;    /* sent verbatim (include "\n" if wanted) */
};

struct aclf_ssh_line {
	const char *text;     /* one line, no CR or LF; eol is appended */
	const struct aclf_ssh_answer *answers;
	size_t nanswers;
	unsigned timeout_ms;  /* 0: the session's command timeout */
};

struct aclf_ssh_reply {
	struct aclf_buf text;   /* what the device printed after the line was
	                         * sent (echo, output, questions and their
	                         * echoed replies), up to the prompt */
	struct aclf_buf prompt; /* the prompt line that ended it, raw */
	unsigned answered;      /* questions answered from the table */
};

void aclf_ssh_reply_init(struct aclf_ssh_reply *r);
void aclf_ssh_reply_release(struct aclf_ssh_reply *r);

/* Send one line and read until the device prompt. The prompt and answer
 * regexes are matched against the device's last, unterminated line (the
 * text after the last newline, from its last carriage return on, without
 * terminal escape sequences): a prompt or a question never ends in a
 * newline. Anchor them (^...$) so a partly received echo cannot match.
 * Each time the last line matches an answer's prompt, its reply is sent.
 * Anything else — a question not in the table, a silent device — is an
 * error when the line's timeout runs out, naming the last line the device
 * printed. After any failure the shell is closed (its state is unknown);
 * the session stays usable for exec or a new shell. */
int aclf_ssh_shell_run(struct aclf_ssh *s, const struct aclf_ssh_line *l, struct aclf_ssh_reply *r,
		       struct aclf_err *err);

/* Send data as it is (several lines, control characters) without waiting
 * for anything: for input a command reads after its own line, such as a
 * configuration typed to `load set terminal`. What the device prints stays
 * pending and is part of the next aclf_ssh_shell_run's reply text. label
 * names the data in messages. After a failure the shell is closed. */
int aclf_ssh_shell_send(struct aclf_ssh *s, const char *label, const void *data, size_t len,
			unsigned timeout_ms, struct aclf_err *err);

/* Close the shell (no-op without one). */
void aclf_ssh_shell_close(struct aclf_ssh *s);

#endif
