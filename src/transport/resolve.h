/* Name resolution with a deadline, for the SSH and SNMP transports
 * (resolve.c). */
#ifndef ACLF_TRANSPORT_RESOLVE_H
#define ACLF_TRANSPORT_RESOLVE_H

#include <stdint.h>

struct addrinfo;
struct aclf_err;

/* CLOCK_MONOTONIC in milliseconds (the clock of deadline below). */
int64_t transport_now_ms(void);

/* getaddrinfo(host, svc, hints) that gives up at deadline (a
 * transport_now_ms value). A numeric host is converted at once; a name is
 * looked up in a thread of its own, which finishes (and frees what it
 * found) by itself when the caller has stopped waiting. 0 with *res (free
 * it with freeaddrinfo); -1 with err: ACLF_E_TRANSPORT for device,
 * "resolving 'HOST': timed out after TIMEOUT_MS ms" when the deadline
 * passed, "cannot resolve 'HOST': WHY" when the lookup failed. */
int transport_resolve(const char *device, const char *host, const char *svc,
		      const struct addrinfo *hints, int64_t deadline, unsigned timeout_ms,
		      struct addrinfo **res, struct aclf_err *err);

#endif
