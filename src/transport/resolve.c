/* Name resolution with a deadline. glibc's getaddrinfo waits as long as
 * resolv.conf lets it (timeout x attempts for each server and address
 * family), so a DNS server that never answers would hold a worker, and
 * with --parallel 1 the whole run, far past the device's connect timeout.
 *
 * A numeric host is converted at once (AI_NUMERICHOST). A name is looked
 * up by getaddrinfo in a detached thread of its own, started at once
 * (transport_resolve_start: many names can be looked up together), while
 * the caller waits on a condition variable (CLOCK_MONOTONIC) until the
 * answer or its deadline, or looks in now and then
 * (transport_resolve_wait). The lookup cannot be interrupted, so the job
 * belongs to both:
 * a reference count under the job's mutex, and whoever lets go last frees
 * it (on time the caller takes the answer; late, the thread frees it once
 * its lookup ends). No global state: all of it lives in the job. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "aclforge/err.h"
#include "resolve.h"

/* A lookup (the handle transport_resolve_start gives out). */
struct transport_lookup {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned refs; /* the caller's and the thread's */
	bool done;
	int rc, sys_errno;
	struct addrinfo *res;
	struct addrinfo hints;
	char *host, *svc;
};

int64_t transport_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void job_free(struct transport_lookup *j)
{
	if (j->res)
		freeaddrinfo(j->res);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j->host);
	free(j->svc);
	free(j);
}

static void job_unref(struct transport_lookup *j)
{
	unsigned left;

	pthread_mutex_lock(&j->mu);
	left = --j->refs;
	pthread_mutex_unlock(&j->mu);
	if (!left)
		job_free(j);
}

static void *lookup(void *arg)
{
	struct transport_lookup *j = arg;
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(j->host, j->svc, &j->hints, &res);
	int e = errno;

	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->sys_errno = e;
	j->res = rc == 0 ? res : NULL;
	j->done = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	job_unref(j);
	return NULL;
}

static struct transport_lookup *job_new(const char *host, const char *svc, const struct addrinfo *hints)
{
	struct transport_lookup *j = calloc(1, sizeof(*j));
	pthread_condattr_t ca;

	if (!j)
		return NULL;
	j->host = strdup(host);
	j->svc = svc ? strdup(svc) : NULL;
	if (!j->host || (svc && !j->svc)) {
		free(j->host);
		free(j->svc);
		free(j);
		return NULL;
	}
	if (hints)
		j->hints = *hints;
	j->hints.ai_addr = NULL;
	j->hints.ai_canonname = NULL;
	j->hints.ai_next = NULL;
	pthread_mutex_init(&j->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cv, &ca);
	pthread_condattr_destroy(&ca);
	j->refs = 2;
	return j;
}

/* The lookup thread, detached, with every signal blocked (the process's
 * signals stay with its own threads). 0, or an errno value. */
static int start(struct transport_lookup *j)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int rc;

	if (pthread_attr_init(&attr))
		return ENOMEM;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, &attr, lookup, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return rc;
}

static int failed(const char *device, const char *host, int rc, int sys_errno,
		  struct aclf_err *err)
{
	return aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL, "cannot resolve '%s': %s", host,
			       rc == EAI_SYSTEM ? strerror(sys_errno) : gai_strerror(rc));
}

int transport_resolve_start(const char *device, const char *host, const char *svc,
			    const struct addrinfo *hints, struct addrinfo **res,
			    struct transport_lookup **lk, struct aclf_err *err)
{
	struct addrinfo h = { 0 };
	struct transport_lookup *j;
	int rc;

	*res = NULL;
	*lk = NULL;
	if (hints)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST;
	rc = getaddrinfo(host, svc, &h, res);
	if (rc == 0)
		return 0;
	*res = NULL;
	if (rc != EAI_NONAME)
		return failed(device, host, rc, errno, err);
	j = job_new(host, svc, hints);
	if (!j)
		return aclf_err_nomem(err);
	rc = start(j);
	if (rc) {
		job_free(j);
		return aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL,
				       "resolving '%s': cannot start a lookup thread: %s", host,
				       strerror(rc));
	}
	*lk = j;
	return 0;
}

void transport_resolve_drop(struct transport_lookup *lk)
{
	if (lk)
		job_unref(lk);
}

/* Wait on j (its mutex held) until it is done or until the monotonic
 * time until. */
static void wait_until(struct transport_lookup *j, int64_t until)
{
	while (!j->done) {
		int64_t left = until - transport_now_ms();
		struct timespec ts;

		if (left <= 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)(left / 1000);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&j->cv, &j->mu, &ts);
	}
}

int transport_resolve_wait(struct transport_lookup *lk, const char *device, int64_t until,
			   int64_t deadline, unsigned timeout_ms, struct addrinfo **res,
			   struct aclf_err *err)
{
	struct transport_lookup *j = lk;
	int rc;

	*res = NULL;
	pthread_mutex_lock(&j->mu);
	wait_until(j, until < deadline ? until : deadline);
	if (!j->done && transport_now_ms() < deadline) {
		pthread_mutex_unlock(&j->mu);
		return 1;
	}
	if (j->done && j->rc == 0) {
		*res = j->res;
		j->res = NULL;
	}
	rc = !j->done ? 1 : j->rc ? 2 : 0;
	if (rc == 2)
		failed(device, j->host, j->rc, j->sys_errno, err);
	else if (rc == 1)
		aclf_err_remote(err, ACLF_E_TRANSPORT, device, NULL,
				"resolving '%s': timed out after %u ms", j->host, timeout_ms);
	pthread_mutex_unlock(&j->mu);
	job_unref(j);
	return rc ? -1 : 0;
}

int transport_resolve(const char *device, const char *host, const char *svc,
		      const struct addrinfo *hints, int64_t deadline, unsigned timeout_ms,
		      struct addrinfo **res, struct aclf_err *err)
{
	struct transport_lookup *lk;

	if (transport_resolve_start(device, host, svc, hints, res, &lk, err) < 0)
		return -1;
	if (!lk)
		return 0;
	return transport_resolve_wait(lk, device, deadline, deadline, timeout_ms, res, err);
}
