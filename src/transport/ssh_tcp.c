/* TCP connect with a deadline: each address of the host in turn, a
 * non-blocking connect and poll until the deadline. Our own socket (handed
 * to libssh with SSH_OPTIONS_FD) so that a refused and a silent address are
 * told apart in the message and the wait is ours. A host name is resolved
 * within the same deadline (resolve.c): a DNS server that never answers
 * costs the connect timeout, not resolv.conf's retries. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "resolve.h"
#include "ssh_int.h"

/* 0 connected, 1 deadline passed, -1 failed (errno). */
static int try_addr(const struct addrinfo *ai, int64_t deadline, int *out)
{
	int fd, one = 1, soerr = 0;
	socklen_t sl = sizeof(soerr);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			int64_t left = deadline - ssh_now_ms();
			int n;

			if (left <= 0) {
				close(fd);
				return 1;
			}
			n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				goto fail;
			if (n > 0)
				break;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			goto fail;
		if (soerr) {
			errno = soerr;
			goto fail;
		}
	}
	/* interactive traffic; notice a vanished peer even when idle */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	*out = fd;
	return 0;
fail:
	soerr = errno;
	close(fd);
	errno = soerr;
	return -1;
}

int ssh_tcp_connect(const char *device, const char *host, uint16_t port, int64_t deadline,
		    unsigned timeout_ms, int *fd, struct aclf_err *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char svc[8], addr[NI_MAXHOST] = "";
	int rc, last_errno = 0;

	snprintf(svc, sizeof(svc), "%u", (unsigned)port);
	if (transport_resolve(device, host, svc, &hints, deadline, timeout_ms, &res, err) < 0)
		return -1;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
		rc = try_addr(ai, deadline, fd);
		if (rc == 0) {
			freeaddrinfo(res);
			return 0;
		}
		if (rc == 1) {
			freeaddrinfo(res);
			return aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL,
					       "connect to %s port %u: timeout after %u ms", addr,
					       (unsigned)port, timeout_ms);
		}
		last_errno = errno;
	}
	freeaddrinfo(res);
	return aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL, "connect to %s port %u: %s",
			       addr[0] ? addr : host, (unsigned)port, strerror(last_errno));
}
