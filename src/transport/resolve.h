/* Name resolution with a deadline, for the SSH and SNMP transports
 * (resolve.c). */
#ifndef ACLF_TRANSPORT_RESOLVE_H
#define ACLF_TRANSPORT_RESOLVE_H

#include <stdint.h>

struct addrinfo;
struct aclf_err;
struct transport_lookup;

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

/* The same in two steps, so that many lookups run at once. Start:
 * a numeric host is converted at once (0 with *res, *lk NULL); a name's
 * lookup starts in a thread of its own (0 with *lk, *res NULL); -1 with
 * err ("cannot resolve 'HOST': WHY" for a numeric host getaddrinfo
 * refuses, or no thread to be had). The caller holds *lk until
 * transport_resolve_wait has given an answer or transport_resolve_drop
 * lets it go (the thread frees it when its lookup ends). */
int transport_resolve_start(const char *device, const char *host, const char *svc,
			    const struct addrinfo *hints, struct addrinfo **res,
			    struct transport_lookup **lk, struct aclf_err *err);
/* Wait for lk until the monotonic time until (now or earlier: only look)
 * or the deadline, whichever comes first. 1: not done yet and the
 * deadline not passed (lk still held); otherwise lk is let go: 0 with
 * *res, or -1 with err as transport_resolve gives it (device named, the
 * timeout in the message is timeout_ms). An answer that came in counts
 * even when looked for after the deadline. */
int transport_resolve_wait(struct transport_lookup *lk, const char *device, int64_t until,
			   int64_t deadline, unsigned timeout_ms, struct addrinfo **res,
			   struct aclf_err *err);
/* Let go of a lookup not waited for (NULL: nothing). */
void transport_resolve_drop(struct transport_lookup *lk);

#endif
