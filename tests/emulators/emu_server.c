/* aclforge-emu's listening side: one libssh bind per port of the range,
 * each port an independent device (kind->create); one thread per accepted
 * session (emu_session.c); kind->tick about every 10 ms; finished
 * sessions joined and freed as they end; on stop every session's socket
 * is shut down so that its thread returns, then everything is freed. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "emu_kinds.h"
#include "emu_server.h"

#define TICK_MS 10

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
}

static int bind_port(const struct emu_opts *o, struct emu_device *d)
{
	char port[16];

	d->bind = ssh_bind_new();
	if (!d->bind) {
		fprintf(stderr, "aclforge-emu: %s:%u: out of memory\n", o->addr, d->port);
		return -1;
	}
	errno = 0;
	snprintf(port, sizeof(port), "%u", d->port);
	if (ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_BINDADDR, o->addr) < 0 ||
	    ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_BINDPORT_STR, port) < 0 ||
	    ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_HOSTKEY, o->host_key) < 0) {
		const char *why = ssh_get_error(d->bind);

		fprintf(stderr, "aclforge-emu: cannot set up %s:%u (host key '%s'): %s\n", o->addr,
			d->port, o->host_key, why && *why ? why : errno ? strerror(errno) : "refused");
		return -1;
	}
	if (ssh_bind_listen(d->bind) < 0) {
		const char *why = ssh_get_error(d->bind);

		fprintf(stderr, "aclforge-emu: cannot listen on %s:%u: %s\n", o->addr, d->port,
			why && *why ? why : errno ? strerror(errno) : "refused");
		return -1;
	}
	if (d->port == 0) { /* the port the system chose */
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);

		if (getsockname(ssh_bind_get_fd(d->bind), (struct sockaddr *)&sa, &sl) < 0)
			return -1;
		d->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
							 : ((struct sockaddr_in *)&sa)->sin_port);
	}
	return 0;
}

static int devices_up(struct emu_server *srv)
{
	const struct emu_opts *o = srv->o;

	srv->ndev = (size_t)(o->last - o->port) + 1;
	srv->dev = calloc(srv->ndev, sizeof(*srv->dev));
	if (!srv->dev)
		return -1;
	for (size_t k = 0; k < srv->ndev; k++) {
		struct emu_device *d = &srv->dev[k];
		struct emu_kind_opts ko = {
			.fail_commit = o->fail_commit,
			.confirm_unit_ms = o->confirm_unit_ms,
			.hostname = d->hostname,
		};

		d->port = o->port + (unsigned)k;
		if (pthread_mutex_init(&d->lock, NULL) != 0)
			return -1;
		d->lock_up = true;
		emu_kind_hostname(o->kind, k, d->hostname, sizeof(d->hostname));
		if (bind_port(o, d) < 0)
			return -1;
		d->state = o->kind->create(&ko);
		if (!d->state) {
			fprintf(stderr, "aclforge-emu: out of memory\n");
			return -1;
		}
		if (o->state_dir) {
			struct aclf_buf p = ACLF_BUF_INIT;

			aclf_buf_init(&p, 0);
			aclf_buf_printf(&p, "%s/%u.cfg", o->state_dir, d->port);
			d->state_path = aclf_buf_detach(&p, NULL);
			if (!d->state_path || emu_state_write(o->kind, d) < 0)
				return -1;
		}
	}
	return 0;
}

static void devices_down(struct emu_server *srv)
{
	for (size_t k = 0; srv->dev && k < srv->ndev; k++) {
		struct emu_device *d = &srv->dev[k];

		if (d->state)
			srv->o->kind->destroy(d->state);
		if (d->bind)
			ssh_bind_free(d->bind);
		free(d->state_path);
		if (d->lock_up)
			pthread_mutex_destroy(&d->lock);
	}
	free(srv->dev);
	srv->dev = NULL;
}

static void accept_one(struct emu_server *srv, struct emu_device *d)
{
	struct emu_session *es = calloc(1, sizeof(*es));

	if (!es)
		return;
	es->srv = srv;
	es->dev = d;
	es->ssh = ssh_new();
	if (!es->ssh || ssh_bind_accept(d->bind, es->ssh) != SSH_OK) {
		if (es->ssh)
			ssh_free(es->ssh);
		free(es);
		return;
	}
	es->fd = ssh_get_fd(es->ssh);
	/* the echo goes out byte by byte: without this, Nagle holds each
	 * command's echo back until the client's delayed ACK (40 ms a
	 * command), a latency no device has and --delay-ms does not ask for */
	setsockopt(es->fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	atomic_init(&es->done, false);
	if (pthread_create(&es->thread, NULL, emu_session_main, es) != 0) {
		ssh_free(es->ssh);
		free(es);
		return;
	}
	es->next = srv->sessions;
	srv->sessions = es;
}

/* joins finished sessions; all: every session, after shutting its socket */
static void reap(struct emu_server *srv, bool all)
{
	struct emu_session **pp = &srv->sessions;

	if (all)
		for (struct emu_session *es = srv->sessions; es; es = es->next)
			if (!atomic_load(&es->done))
				shutdown(es->fd, SHUT_RDWR);
	while (*pp) {
		struct emu_session *es = *pp;

		if (!all && !atomic_load(&es->done)) {
			pp = &es->next;
			continue;
		}
		pthread_join(es->thread, NULL);
		ssh_free(es->ssh);
		*pp = es->next;
		free(es);
	}
}

static void tick(struct emu_server *srv)
{
	const struct emu_kind *kind = srv->o->kind;
	unsigned long long t = now_ms();

	if (!kind->tick)
		return;
	for (size_t k = 0; k < srv->ndev; k++) {
		struct emu_device *d = &srv->dev[k];

		pthread_mutex_lock(&d->lock);
		if (kind->tick(d->state, t))
			emu_state_write(kind, d);
		pthread_mutex_unlock(&d->lock);
	}
}

int emu_server_run(const struct emu_opts *o, const struct emu_auth *auth,
		   volatile sig_atomic_t *stop_flag)
{
	struct emu_server srv;
	struct pollfd *pfd = NULL;
	int rc = 3;

	memset(&srv, 0, sizeof(srv));
	srv.o = o;
	srv.auth = auth;
	atomic_init(&srv.stop, false);
	if (devices_up(&srv) < 0)
		goto out;
	pfd = calloc(srv.ndev, sizeof(*pfd));
	if (!pfd)
		goto out;
	for (size_t k = 0; k < srv.ndev; k++) {
		pfd[k].fd = ssh_bind_get_fd(srv.dev[k].bind);
		pfd[k].events = POLLIN;
	}
	printf("listening %s:%u-%u\n", o->addr, srv.dev[0].port, srv.dev[srv.ndev - 1].port);
	fflush(stdout);
	rc = 0;
	while (!*stop_flag) {
		int n = poll(pfd, (nfds_t)srv.ndev, TICK_MS);

		if (n < 0 && errno != EINTR) {
			perror("aclforge-emu: poll");
			rc = 3;
			break;
		}
		for (size_t k = 0; n > 0 && k < srv.ndev; k++)
			if (pfd[k].revents & POLLIN)
				accept_one(&srv, &srv.dev[k]);
		tick(&srv);
		reap(&srv, false);
	}
out:
	atomic_store(&srv.stop, true);
	reap(&srv, true);
	free(pfd);
	devices_down(&srv);
	return rc;
}
