/* The two ends of the session's TCP connection, as the connected socket
 * shows them: what a filter on the device sees of the management session
 * (without NAT in between). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "aclforge/ssh.h"
#include "ssh_int.h"

static int numeric(const struct sockaddr_storage *ss, char *addr, size_t len, uint16_t *port)
{
	const void *a;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		a = &in->sin_addr;
		*port = ntohs(in->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		a = &in6->sin6_addr;
		*port = ntohs(in6->sin6_port);
	} else {
		return -1;
	}
	return inet_ntop(ss->ss_family, a, addr, (socklen_t)len) ? 0 : -1;
}

int aclf_ssh_addrs(const struct aclf_ssh *s, struct aclf_ssh_ends *e)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(e, 0, sizeof(*e));
	if (s->fd < 0 || getsockname(s->fd, (struct sockaddr *)&ss, &sl) != 0 ||
	    numeric(&ss, e->local, sizeof(e->local), &e->local_port) < 0)
		return -1;
	sl = sizeof(ss);
	if (getpeername(s->fd, (struct sockaddr *)&ss, &sl) != 0 ||
	    numeric(&ss, e->peer, sizeof(e->peer), &e->peer_port) < 0)
		return -1;
	return 0;
}
