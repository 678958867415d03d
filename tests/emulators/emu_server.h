/* aclforge-emu's server side: options, credentials, devices (one per
 * port), sessions. Everything here is owned by main (emu_main.c) and passed
 * down; nothing is global. */
#ifndef ACLF_EMU_SERVER_H
#define ACLF_EMU_SERVER_H

#include <pthread.h>
#include <regex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "aclforge/buf.h"
#include "emu_kind.h"

struct emu_opts {
	const struct emu_kind *kind;
	char *addr;                  /* --listen ADDR */
	unsigned port, last;         /* --listen :PORT[-LAST] (0: any free port) */
	const char *host_key;
	const char *authorized_keys;
	const char *password_file;
	const char *state_dir;       /* NULL: no state files */
	unsigned delay_ms;
	unsigned long drop_after;    /* 0: never */
	unsigned long hang_after;    /* 0: never */
	bool has_reject;
	regex_t reject;
	bool fail_commit;
	unsigned confirm_unit_ms;
};

/* emu_auth.c: who may log in */
struct emu_auth {
	ssh_key *keys;               /* --authorized-keys */
	size_t nkeys;
	char *user;                  /* --password-file "user:password"; NULL:
	                              * any user */
	char *password;              /* NULL: no password logins */
};

int emu_auth_load(struct emu_auth *a, const char *authorized_keys, const char *password_file,
		  struct aclf_buf *err);
void emu_auth_release(struct emu_auth *a);
bool emu_auth_key(const struct emu_auth *a, ssh_key key);
bool emu_auth_password(const struct emu_auth *a, const char *user, const char *password);

/* One emulated device: one port, its kind state, its lock. */
struct emu_device {
	unsigned port;
	char hostname[32];
	void *state;                 /* kind->create */
	pthread_mutex_t lock;        /* every kind call on state holds it */
	bool lock_up;                /* lock initialised */
	ssh_bind bind;
	char *state_path;            /* DIR/PORT.cfg or NULL */
};

/* emu_state.c: DIR/PORT.cfg rewritten atomically (temporary file, rename)
 * from kind->dump; call with dev->lock held. 0 or -1 (reason on stderr). */
int emu_state_write(const struct emu_kind *kind, struct emu_device *dev);

struct emu_server;

/* One SSH session: its thread, its socket. */
struct emu_session {
	struct emu_server *srv;
	struct emu_device *dev;
	ssh_session ssh;
	int fd;
	pthread_t thread;
	atomic_bool done;
	struct emu_session *next;
};

struct emu_server {
	const struct emu_opts *o;
	const struct emu_auth *auth;
	struct emu_device *dev;
	size_t ndev;
	struct emu_session *sessions;
	atomic_bool stop;            /* set by main on SIGTERM/SIGINT */
};

/* emu_server.c: binds every port, prints "listening ADDR:PORT-LAST", serves
 * until *stop_flag becomes nonzero, then ends every session and frees
 * everything. 0, or 3 when a port cannot be listened on. */
int emu_server_run(const struct emu_opts *o, const struct emu_auth *auth,
		   volatile sig_atomic_t *stop_flag);

/* emu_session.c: the thread of one session */
void *emu_session_main(void *arg);

#endif
