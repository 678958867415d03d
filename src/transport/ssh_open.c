/* The session's life: options and their defaults, open (key file check,
 * transcript, TCP connect, SSH handshake, host key, authentication), the
 * deadlines every wait derives from, and close. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "aclforge/topology.h"
#include "ssh_int.h"

int64_t ssh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ssh_deadline(const struct aclf_ssh *s, unsigned timeout_ms)
{
	int64_t d = ssh_now_ms() + (int64_t)timeout_ms;

	if (s->session_deadline && s->session_deadline < d)
		d = s->session_deadline;
	return d;
}

void ssh_arm(struct aclf_ssh *s, int64_t deadline)
{
	int64_t left = deadline - ssh_now_ms();
	long sec = 0, usec;

	if (left < 1)
		left = 1;
	usec = (long)left * 1000;
	ssh_options_set(s->ses, SSH_OPTIONS_TIMEOUT, &sec);
	ssh_options_set(s->ses, SSH_OPTIONS_TIMEOUT_USEC, &usec);
}

void ssh_kill(struct aclf_ssh *s, const char *fmt, ...)
{
	va_list ap;

	if (s->dead.len)
		return;
	va_start(ap, fmt);
	aclf_buf_vprintf(&s->dead, fmt, ap);
	va_end(ap);
	if (!s->dead.len)
		aclf_buf_puts(&s->dead, "session unusable");
}

void ssh_end_if_dead(struct aclf_ssh *s)
{
	if (!s->dead.len)
		return;
	aclf_ssh_shell_close(s);
	if (s->ev) {
		ssh_event_remove_session(s->ev, s->ses);
		ssh_event_free(s->ev);
		s->ev = NULL;
	}
	if (s->ses) {
		ssh_arm(s, ssh_now_ms() + 1000);
		ssh_disconnect(s->ses); /* leaves our socket open (SSH_OPTIONS_FD) */
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	ssh_log_event(s->log, "disconnected: %s", s->dead.buf);
}

int ssh_check_usable(struct aclf_ssh *s, const char *command, struct aclf_err *err)
{
	if (!s->dead.len && s->session_deadline && ssh_now_ms() >= s->session_deadline) {
		ssh_kill(s, "session time limit of %u ms reached", s->session_timeout_ms);
		ssh_end_if_dead(s);
	}
	if (!s->dead.len)
		return 0;
	return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, command, "session unusable: %s",
			       s->dead.buf);
}

char *ssh_expand_path(const char *path)
{
	struct passwd pw, *pwp = NULL;
	const char *home;
	char *out = NULL, pwbuf[4096];

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
		return strdup(path);
	home = getenv("HOME");
	if (!home || !*home) {
		home = NULL;
		if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 && pwp)
			home = pwp->pw_dir;
	}
	if (!home || asprintf(&out, "%s%s", home, path + 1) < 0)
		return NULL;
	return out;
}

void aclf_ssh_opts_from_device(struct aclf_ssh_opts *o, const struct aclf_device *dev)
{
	memset(o, 0, sizeof(*o));
	o->device = dev->name;
	o->host = dev->host;
	o->port = dev->ssh.port;
	o->user = dev->ssh.user;
	o->key_file = dev->ssh.key_file;
	o->agent = dev->ssh.agent;
	o->known_hosts = dev->ssh.known_hosts;
}

const char *aclf_ssh_device(const struct aclf_ssh *s)
{
	return s->device;
}

const char *aclf_ssh_host_key(const struct aclf_ssh *s)
{
	return s->host_key;
}

bool aclf_ssh_host_key_recorded(const struct aclf_ssh *s)
{
	return s->key_recorded;
}

const char *aclf_ssh_auth_method(const struct aclf_ssh *s)
{
	return s->auth_method ? s->auth_method : "";
}

bool aclf_ssh_usable(const struct aclf_ssh *s)
{
	return s->dead.len == 0 &&
	       (!s->session_deadline || ssh_now_ms() < s->session_deadline);
}

void aclf_ssh_close(struct aclf_ssh *s)
{
	if (!s)
		return;
	aclf_ssh_shell_close(s);
	if (s->ev) {
		ssh_event_remove_session(s->ev, s->ses);
		ssh_event_free(s->ev);
	}
	if (s->ses) {
		ssh_arm(s, ssh_now_ms() + 1000);
		ssh_disconnect(s->ses);
		ssh_free(s->ses);
	}
	if (s->fd >= 0)
		close(s->fd);
	ssh_log_close(s->log);
	free(s->device);
	free(s->host);
	free(s->user);
	free(s->known_hosts);
	aclf_buf_release(&s->dead);
	free(s);
}

/* The last line of err's message into the transcript. */
static void log_failure(struct aclf_ssh *s, const struct aclf_err *err)
{
	const char *t = aclf_err_text(err), *nl = strrchr(t, '\n');

	ssh_log_event(s->log, "open failed: %s", nl ? nl + 1 : t);
}

static int set_options(struct aclf_ssh *s, const struct aclf_ssh_opts *o, struct aclf_err *err)
{
	unsigned int port = s->port;
	bool no = false;
	int strict = 1;

	if (ssh_options_set(s->ses, SSH_OPTIONS_HOST, s->host) < 0 ||
	    ssh_options_set(s->ses, SSH_OPTIONS_PORT, &port) < 0 ||
	    (s->user && ssh_options_set(s->ses, SSH_OPTIONS_USER, s->user) < 0) ||
	    ssh_options_set(s->ses, SSH_OPTIONS_FD, &s->fd) < 0 ||
	    /* nothing from ~/.ssh/config or /etc/ssh/ssh_config */
	    ssh_options_set(s->ses, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
	    /* libssh prefers the host key types the file knows for the host */
	    ssh_options_set(s->ses, SSH_OPTIONS_KNOWNHOSTS, s->known_hosts) < 0 ||
	    ssh_options_set(s->ses, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") < 0 ||
	    ssh_options_set(s->ses, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict) < 0 ||
	    (o->agent_socket &&
	     ssh_options_set(s->ses, SSH_OPTIONS_IDENTITY_AGENT, o->agent_socket) < 0))
		return aclf_err_remote(err, ACLF_E_INPUT, s->device, NULL, "ssh options: %s",
				       ssh_get_error(s->ses));
	return 0;
}

/* Copies and defaults; no I/O. */
static struct aclf_ssh *session_new(const struct aclf_ssh_opts *o, const char *device)
{
	struct aclf_ssh *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = -1;
	aclf_buf_init(&s->dead, 0);
	s->port = o->port ? o->port : 22;
	s->command_timeout_ms = o->command_timeout_ms ? o->command_timeout_ms
						      : ACLF_SSH_COMMAND_TIMEOUT_MS;
	s->keepalive_ms = o->keepalive_ms ? o->keepalive_ms : ACLF_SSH_KEEPALIVE_MS;
	s->session_timeout_ms = o->session_timeout_ms;
	s->cap = o->output_cap ? o->output_cap : ACLF_SSH_OUTPUT_CAP;
	s->device = strdup(device);
	s->host = strdup(o->host);
	s->user = o->user ? strdup(o->user) : NULL;
	s->known_hosts = ssh_expand_path(o->known_hosts ? o->known_hosts : "~/.ssh/known_hosts");
	if (!s->device || !s->host || (o->user && !s->user) || !s->known_hosts) {
		aclf_ssh_close(s);
		return NULL;
	}
	return s;
}

int aclf_ssh_open(const struct aclf_ssh_opts *o, struct aclf_ssh **out, struct aclf_err *err)
{
	unsigned connect_ms = o->connect_timeout_ms ? o->connect_timeout_ms
						    : ACLF_SSH_CONNECT_TIMEOUT_MS;
	const char *device = o->device ? o->device : o->host;
	struct ssh_auth_cfg auth = { .agent = o->agent, .password = o->password };
	struct aclf_ssh *s = NULL;
	char *key_path = NULL;
	int64_t deadline;
	int rc = -1;

	*out = NULL;
	if (!o->host || !*o->host)
		return aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "no host to connect to");
	if (!o->key_file && !o->agent && !o->password)
		return aclf_err_remote(err, ACLF_E_INPUT, device, NULL,
				       "no way to log in: give a key file, the agent or a password");
	s = session_new(o, device);
	if (!s)
		return aclf_err_nomem(err);
	if (o->key_file) {
		key_path = ssh_expand_path(o->key_file);
		if (!key_path) {
			aclf_err_remote(err, ACLF_E_INPUT, device, NULL,
					"key file '%s': cannot expand ~ (no $HOME)", o->key_file);
			goto out;
		}
		if (ssh_key_load(device, key_path, o->key_passphrase, &auth.key, err) < 0)
			goto out;
		auth.key_file = key_path;
	}
	if (ssh_log_open(&s->log, o, device, err) < 0)
		goto out;
	if (s->session_timeout_ms)
		s->session_deadline = ssh_now_ms() + (int64_t)s->session_timeout_ms;
	deadline = ssh_deadline(s, connect_ms);
	ssh_log_event(s->log, "connect %s port %u", s->host, (unsigned)s->port);
	if (ssh_tcp_connect(device, s->host, s->port, deadline, connect_ms, &s->fd, err) < 0)
		goto fail;
	s->ses = ssh_new();
	if (!s->ses) {
		aclf_err_nomem(err);
		goto out;
	}
	if (set_options(s, o, err) < 0)
		goto fail;
	ssh_arm(s, deadline);
	if (ssh_connect(s->ses) != SSH_OK) {
		if (ssh_now_ms() >= deadline)
			aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL,
					"ssh handshake with %s port %u: timeout after %u ms (%s)",
					s->host, (unsigned)s->port, connect_ms, ssh_get_error(s->ses));
		else
			aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL,
					"ssh handshake with %s port %u: %s", s->host,
					(unsigned)s->port, ssh_get_error(s->ses));
		goto fail;
	}
	if (!s->user) {
		char *u = NULL;

		if (ssh_options_get(s->ses, SSH_OPTIONS_USER, &u) == SSH_OK && u) {
			s->user = strdup(u);
			ssh_string_free_char(u);
		}
		if (!s->user) {
			aclf_err_nomem(err);
			goto out;
		}
	}
	if (ssh_hostkey_check(s, o->accept_new, err) < 0)
		goto fail;
	ssh_log_event(s->log, "host key %s", s->host_key);
	ssh_arm(s, deadline);
	if (ssh_auth_run(s, &auth, err) < 0)
		goto fail;
	s->ev = ssh_event_new();
	if (!s->ev || ssh_event_add_session(s->ev, s->ses) != SSH_OK) {
		aclf_err_nomem(err);
		goto out;
	}
	s->last_io = ssh_now_ms();
	ssh_log_event(s->log, "authenticated as %s by %s", s->user, s->auth_method);
	rc = ssh_log_check(s->log, device, NULL, err);
	goto out;
fail:
	log_failure(s, err);
out:
	ssh_key_free(auth.key);
	free(key_path);
	if (rc < 0)
		aclf_ssh_close(s);
	else
		*out = s;
	return rc;
}
