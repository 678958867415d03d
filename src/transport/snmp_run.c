/* Many agents in one poll loop on Net-SNMP's single-session API: each job
 * a small state machine (engine ID discovery for SNMPv3 when the run's
 * cache lacks it, then its request streams, at most ACLF_SNMP_INFLIGHT in
 * flight, and at most the run's cap per agent address), answers taken in
 * Net-SNMP's callback and acted on by the loop, retransmissions and
 * timeouts driven by each agent's own deadlines. A job's walks of columns
 * of one table form one stream: one GETBULK carries a varbind per column
 * not yet at its end. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp_int.h"

#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/snmpusm.h>

/* A_RESOLVE: its host name being looked up (resolve.c), the others go on */
enum agent_state { A_DISCOVER, A_OPEN, A_RUN, A_DONE, A_RESOLVE };

/* How often the loop looks whether a name's lookup has ended. */
#define RESOLVE_POLL_MS 10

struct agent;

/* One request of the job: a walk (one column) or a GET. */
struct col {
	const struct aclf_snmp_req *req;
	uint32_t next[ACLF_SNMP_MAX_OID];
	size_t next_len;
	size_t got;    /* values kept */
	bool done;
	struct aclf_snmp_vbs vbs;
};

/* Requests that go out as one PDU: the engine ID probe (no columns), one
 * GET, or walks of columns of one table (roots equal but for their last
 * sub-identifier), one varbind per column not done. */
struct stream {
	struct agent *a;
	size_t *ci;    /* its columns (indices into a->col) */
	size_t *act;   /* the columns in the PDU out, in its order */
	size_t nci, nact;
	size_t learn;  /* index into run->learn; SIZE_MAX: none */
	unsigned max_rep; /* cap: the device's max-repetitions or
	                   * ACLF_SNMP_PDU_VARBINDS, halved on tooBig */
	unsigned reps;    /* max-repetitions of the PDU out */
	bool busy, done;
	bool stale;    /* busy, its first try timed out: not counted in its
	                * address's requests in flight any more */
	int64_t due;   /* when Net-SNMP's retransmission is next due */
};

/* Sessions to one agent address (peer string). */
struct addr {
	const char *peer;
	unsigned inflight;
};

/* The most rows a finished walk of a table (its first column, its number
 * of columns) found at an agent of this run: the next agent's first GETBULK
 * of it asks for that many and one more to see the end (devices of one
 * kind polled together tend to hold tables of one size; a larger one is
 * read on at the full size, a smaller one costs values past its end, as
 * without this). */
struct learned {
	const struct aclf_snmp_req *first;
	size_t ncol;
	size_t rows;
	bool known;
};

struct run;

struct agent {
	struct run *run;
	struct aclf_snmp_job *job;
	struct aclf_snmp *s;
	struct addr *addr;
	enum agent_state state;
	void *sp;      /* Net-SNMP single session */
	int fd;
	struct stream probe;
	struct col *col; /* one per request, in the job's order */
	size_t ncol;
	struct stream *st;
	size_t nst;
	size_t *ci;    /* the streams' ci and act arrays */
	unsigned busy;
	size_t values;
	bool failed, closing;
	unsigned char eid[32];
	size_t eid_len;
};

struct run {
	struct agent *a;
	size_t n;
	unsigned inflight, max_inflight; /* requests out, over all agents */
	unsigned max_addr;               /* requests out per address */
	struct addr *addrs;
	size_t naddrs;
	struct learned *learn;
	size_t nlearn;
	struct aclf_snmp_cache *cache;
	netsnmp_large_fd_set fds;
	int fds_size;
};

/* ---- failing ---- */

/* What was asked, as the error's command: the column c, or the columns of
 * st in the PDU out (or not done), or the engine ID probe. */
static void req_cmd(const struct agent *a, const struct stream *st, const struct col *c,
		    struct aclf_buf *b)
{
	char o[ACLF_SNMP_MAX_OID * 11 + 8];
	size_t n = 0;

	if (c) {
		aclf_snmp_oid_str(c->req->oid, c->req->oid_len, o, sizeof(o));
		aclf_buf_printf(b, "%s %s", c->req->get ? "get" : "walk", o);
		return;
	}
	if (!st || !st->nci) {
		aclf_buf_printf(b, "engine ID discovery");
		return;
	}
	for (size_t k = 0; k < st->nci; k++) {
		const struct col *x = &a->col[st->ci[k]];

		if (x->done)
			continue;
		aclf_snmp_oid_str(x->req->oid, x->req->oid_len, o, sizeof(o));
		if (n++)
			aclf_buf_printf(b, " %s", o);
		else
			aclf_buf_printf(b, "%s %s", x->req->get ? "get" : "walk", o);
	}
	if (!n) {
		const struct col *x = &a->col[st->ci[0]];

		aclf_snmp_oid_str(x->req->oid, x->req->oid_len, o, sizeof(o));
		aclf_buf_printf(b, "%s %s", x->req->get ? "get" : "walk", o);
	}
}

static void agent_fail(struct agent *a, const struct stream *st, const struct col *c,
		       enum aclf_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void agent_fail(struct agent *a, const struct stream *st, const struct col *c,
		       enum aclf_err_kind kind, const char *fmt, ...)
{
	struct aclf_buf m = ACLF_BUF_INIT, cmd = ACLF_BUF_INIT;
	va_list ap;

	if (a->failed || a->state == A_DONE)
		return;
	a->failed = true;
	aclf_buf_init(&m, 0);
	aclf_buf_init(&cmd, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	req_cmd(a, st, c, &cmd);
	aclf_err_remote(&a->job->err, kind, a->s->device, cmd.buf, "%s: %s", a->s->peer, m.buf);
	aclf_buf_release(&m);
	aclf_buf_release(&cmd);
}

/* What a USM or SNMPv2 report says, from its first varbind's OID. */
static const char *report_cause(const netsnmp_pdu *pdu)
{
	static const oid usm[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1 };
	static const char *const what[] = {
		NULL,
		"unsupported security level (usmStatsUnsupportedSecLevels): the agent does not "
		"allow this user at this level",
		"not in time window (usmStatsNotInTimeWindows)",
		"unknown user name (usmStatsUnknownUserNames): the agent has no such user",
		"unknown engine ID (usmStatsUnknownEngineIDs)",
		"authentication failure (usmStatsWrongDigests): wrong authentication passphrase "
		"or protocol",
		"decryption error (usmStatsDecryptionErrors): wrong privacy passphrase or protocol",
	};
	const netsnmp_variable_list *v = pdu ? pdu->variables : NULL;

	if (v && v->name_length >= 10 && !memcmp(v->name, usm, sizeof(usm)) && v->name[9] >= 1 &&
	    v->name[9] <= 6)
		return what[v->name[9]];
	return NULL;
}

static void fail_report(struct agent *a, const struct stream *st, int op, netsnmp_session *ns,
			const netsnmp_pdu *pdu)
{
	const char *cause = report_cause(pdu);
	char o[ACLF_SNMP_MAX_OID * 11 + 8];

	if (cause) {
		agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "%s", cause);
		return;
	}
	if (pdu && pdu->command == SNMP_MSG_REPORT && pdu->variables) {
		uint32_t u[ACLF_SNMP_MAX_OID];
		size_t n = pdu->variables->name_length;

		n = n > ACLF_SNMP_MAX_OID ? ACLF_SNMP_MAX_OID : n;
		for (size_t k = 0; k < n; k++)
			u[k] = (uint32_t)pdu->variables->name[k];
		agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "the agent sent a report (%s)",
			   aclf_snmp_oid_str(u, n, o, sizeof(o)));
		return;
	}
	agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "%s (%s)",
		   op == NETSNMP_CALLBACK_OP_SEC_ERROR ? "security error" : "send failed",
		   snmp_api_errstring(ns ? ns->s_snmp_errno : SNMPERR_GENERR));
}

/* ---- answers ---- */

static enum aclf_snmp_type vtype(u_char t)
{
	switch (t) {
	case ASN_INTEGER:
		return ACLF_SNMP_INTEGER;
	case ASN_OCTET_STR:
		return ACLF_SNMP_OCTETS;
	case ASN_NULL:
		return ACLF_SNMP_NULL;
	case ASN_OBJECT_ID:
		return ACLF_SNMP_OBJID;
	case ASN_IPADDRESS:
		return ACLF_SNMP_IPADDR;
	case ASN_COUNTER:
		return ACLF_SNMP_COUNTER32;
	case ASN_GAUGE:
		return ACLF_SNMP_GAUGE32;
	case ASN_TIMETICKS:
		return ACLF_SNMP_TIMETICKS;
	case ASN_OPAQUE:
		return ACLF_SNMP_OPAQUE;
	case ASN_COUNTER64:
		return ACLF_SNMP_COUNTER64;
	case SNMP_NOSUCHOBJECT:
		return ACLF_SNMP_NOSUCHOBJECT;
	case SNMP_NOSUCHINSTANCE:
		return ACLF_SNMP_NOSUCHINSTANCE;
	case SNMP_ENDOFMIBVIEW:
		return ACLF_SNMP_ENDOFMIB;
	default:
		return ACLF_SNMP_OTHER;
	}
}

static int keep(struct stream *st, struct col *c, const netsnmp_variable_list *v,
		const uint32_t *o, size_t n)
{
	enum aclf_snmp_type t = vtype(v->type);
	uint64_t u = 0;
	int64_t i = 0;
	const void *str = NULL;
	size_t slen = 0;
	char text[ACLF_SNMP_MAX_OID * 11 + 8];

	switch (t) {
	case ACLF_SNMP_INTEGER:
		i = *v->val.integer;
		break;
	case ACLF_SNMP_OCTETS:
	case ACLF_SNMP_IPADDR:
	case ACLF_SNMP_OPAQUE:
		str = v->val.string;
		slen = v->val_len;
		break;
	case ACLF_SNMP_OBJID: {
		uint32_t vo[ACLF_SNMP_MAX_OID];
		size_t vn = v->val_len / sizeof(oid);

		vn = vn > ACLF_SNMP_MAX_OID ? ACLF_SNMP_MAX_OID : vn;
		for (size_t k = 0; k < vn; k++)
			vo[k] = (uint32_t)v->val.objid[k];
		str = aclf_snmp_oid_str(vo, vn, text, sizeof(text));
		slen = strlen(text);
		break;
	}
	case ACLF_SNMP_COUNTER32:
	case ACLF_SNMP_GAUGE32:
	case ACLF_SNMP_TIMETICKS:
		u = (uint32_t)*v->val.integer;
		break;
	case ACLF_SNMP_COUNTER64:
		u = ((uint64_t)v->val.counter64->high << 32) | (uint32_t)v->val.counter64->low;
		break;
	default:
		break;
	}
	if (++st->a->values > ACLF_SNMP_MAX_VALUES) {
		agent_fail(st->a, st, c, ACLF_E_TRANSPORT, "more than %u values",
			   ACLF_SNMP_MAX_VALUES);
		return -1;
	}
	if (aclf_snmp_vbs_add(&c->vbs, o, n, t, u, i, str, slen) < 0) {
		agent_fail(st->a, st, c, ACLF_E_NOMEM, "out of memory");
		return -1;
	}
	c->got++;
	return 0;
}

/* The varbind's name as uint32_t sub-identifiers into o; 0, or -1 (the
 * agent failed) when it is too long. */
static int vb_name(struct stream *st, struct col *c, const netsnmp_variable_list *v, uint32_t *o)
{
	if (v->name_length > ACLF_SNMP_MAX_OID) {
		agent_fail(st->a, st, c, ACLF_E_TRANSPORT, "an OID of %zu sub-identifiers (over %u)",
			   v->name_length, ACLF_SNMP_MAX_OID);
		return -1;
	}
	for (size_t k = 0; k < v->name_length; k++)
		o[k] = (uint32_t)v->name[k];
	return 0;
}

static void on_get(struct stream *st, netsnmp_pdu *pdu)
{
	struct col *c = &st->a->col[st->ci[0]];
	const netsnmp_variable_list *v = pdu->variables;
	uint32_t o[ACLF_SNMP_MAX_OID];

	if (!v) {
		st->done = c->done = true;
		return;
	}
	if (vb_name(st, c, v, o) < 0)
		return;
	if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
	    v->type == SNMP_ENDOFMIBVIEW) {
		agent_fail(st->a, st, c, ACLF_E_TRANSPORT, "%s", aclf_snmp_type_name(vtype(v->type)));
		return;
	}
	if (keep(st, c, v, o, v->name_length) < 0)
		return;
	st->done = c->done = true;
}

/* A GETBULK answer: varbind k belongs to column act[k % nact] (RFC 3416
 * 4.2.3: the repetitions in order, each with every column); a column is
 * done at its first varbind outside its subtree, or endOfMibView. */
static void on_walk(struct stream *st, netsnmp_pdu *pdu)
{
	struct agent *a = st->a;
	size_t k = 0, open = 0;

	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, k++) {
		struct col *c = &a->col[st->act[k % st->nact]];
		const struct aclf_snmp_req *r = c->req;
		uint32_t o[ACLF_SNMP_MAX_OID];
		size_t n = v->name_length;

		if (c->done)
			continue; /* past its end already, in this answer */
		if (vb_name(st, c, v, o) < 0)
			return;
		if (v->type == SNMP_ENDOFMIBVIEW || !aclf_snmp_oid_under(o, n, r->oid, r->oid_len)) {
			c->done = true;
			continue;
		}
		if (aclf_snmp_oid_cmp(o, n, c->next, c->next_len) <= 0) {
			char t[ACLF_SNMP_MAX_OID * 11 + 8];

			agent_fail(a, st, c, ACLF_E_TRANSPORT, "OID not increasing: %s",
				   aclf_snmp_oid_str(o, n, t, sizeof(t)));
			return;
		}
		if (keep(st, c, v, o, n) < 0)
			return;
		memcpy(c->next, o, n * sizeof(*o));
		c->next_len = n;
	}
	for (size_t i = 0; i < st->nci; i++) {
		struct col *c = &a->col[st->ci[i]];

		if (!k) /* an empty answer: nothing more to read */
			c->done = true;
		open += !c->done;
	}
	if (open)
		return;
	st->done = true;
	if (st->learn != SIZE_MAX) {
		struct learned *l = &a->run->learn[st->learn];
		size_t rows = 0;

		for (size_t i = 0; i < st->nci; i++)
			if (a->col[st->ci[i]].got > rows)
				rows = a->col[st->ci[i]].got;
		if (!l->known || rows > l->rows)
			l->rows = rows;
		l->known = true;
	}
}

static void on_response(struct stream *st, netsnmp_pdu *pdu)
{
	const struct col *c0 = &st->a->col[st->ci[0]];

	/* Ask again for fewer on tooBig, and on genErr to a GETBULK of several
	 * columns: Net-SNMP's snmpd (5.9) answers genErr when every column has
	 * reached the end of the MIB view with repetitions left (one column
	 * gets endOfMibView as it should); at 1 repetition that cannot be. */
	if (!c0->req->get && st->reps > 1 &&
	    (pdu->errstat == SNMP_ERR_TOOBIG ||
	     (pdu->errstat == SNMP_ERR_GENERR && st->nact > 1))) {
		st->max_rep = st->reps / 2;
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		const struct col *c = NULL;

		/* errindex names the varbind (1-based) of the request */
		if (pdu->errindex >= 1 && (size_t)pdu->errindex <= st->nact)
			c = &st->a->col[st->act[pdu->errindex - 1]];
		agent_fail(st->a, st, c, ACLF_E_TRANSPORT, "error status %s (%ld) at index %ld",
			   snmp_errstring(pdu->errstat), pdu->errstat, pdu->errindex);
		return;
	}
	if (c0->req->get)
		on_get(st, pdu);
	else
		on_walk(st, pdu);
}

/* A request of st is no longer out: the counts of requests in flight. */
static void stream_idle(struct stream *st)
{
	struct agent *a = st->a;

	st->busy = false;
	a->busy--;
	a->run->inflight--;
	if (!st->stale)
		a->addr->inflight--;
	st->stale = false;
}

static int on_pdu(int op, netsnmp_session *ns, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct stream *st = magic;
	struct agent *a = st->a;

	(void)reqid;
	if (op == NETSNMP_CALLBACK_OP_RESEND || op == NETSNMP_CALLBACK_OP_CONNECT)
		return 1; /* a retransmission: still waiting */
	if (a->closing || !st->busy || a->state == A_DONE)
		return 1;
	stream_idle(st);
	if (a->failed)
		return 1;
	if (!st->nci) { /* the engine ID probe: any answer carrying one will do */
		if (pdu && pdu->securityEngineIDLen > 0 && pdu->securityEngineIDLen <= sizeof(a->eid)) {
			memcpy(a->eid, pdu->securityEngineID, pdu->securityEngineIDLen);
			a->eid_len = pdu->securityEngineIDLen;
			st->done = true;
		} else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
			agent_fail(a, st, NULL, ACLF_E_TRANSPORT,
				   "timeout: no answer in %u tries of %u ms", a->s->tries,
				   a->s->timeout_ms);
		} else {
			agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "no engine ID in the agent's answer");
		}
		return 1;
	}
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (pdu->command == SNMP_MSG_REPORT)
			fail_report(a, st, op, ns, pdu);
		else
			on_response(st, pdu);
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "timeout: no answer in %u tries of %u ms%s",
			   a->s->tries, a->s->timeout_ms,
			   a->s->version == 2 ? " (a wrong community gets no answer either)" :
			   a->s->priv_oid ? " (a wrong privacy passphrase gets no answer either)" : "");
		break;
	case NETSNMP_CALLBACK_OP_SEC_ERROR:
	default:
		fail_report(a, st, op, ns, pdu);
		break;
	}
	return 1;
}

/* ---- sending ---- */

static void add_var(netsnmp_pdu *pdu, const uint32_t *o, size_t n)
{
	oid name[ACLF_SNMP_MAX_OID];

	for (size_t k = 0; k < n; k++)
		name[k] = o[k];
	snmp_add_null_var(pdu, name, n);
}

static void send_pdu(struct agent *a, struct stream *st, netsnmp_pdu *pdu)
{
	st->busy = true;
	a->busy++;
	a->run->inflight++;
	a->addr->inflight++;
	if (!snmp_sess_async_send(a->sp, pdu, on_pdu, st)) {
		netsnmp_session *ns = snmp_sess_session(a->sp);

		snmp_free_pdu(pdu);
		if (st->busy) /* the library did not call us back */
			stream_idle(st);
		agent_fail(a, st, NULL, ACLF_E_TRANSPORT, "cannot send: %s",
			   snmp_api_errstring(ns ? ns->s_snmp_errno : SNMPERR_GENERR));
		return;
	}
	a->job->requests++;
	st->due = aclf_snmp_now_ms() + a->s->timeout_ms + 1;
}

/* max-repetitions of a walk's next GETBULK: the device's own, or as many
 * as fill ACLF_SNMP_PDU_VARBINDS values over the columns out; no more than
 * the most rows the same walk found at another agent of the run, less
 * those read, and one to see the end (a table larger than that is read on
 * at the full size). */
static unsigned walk_reps(const struct stream *st, size_t got)
{
	const struct agent *a = st->a;
	unsigned reps;

	if (a->s->max_rep)
		return st->max_rep;
	reps = ACLF_SNMP_PDU_VARBINDS / (unsigned)st->nact;
	if (reps > st->max_rep)
		reps = st->max_rep;
	if (st->learn != SIZE_MAX) {
		const struct learned *l = &a->run->learn[st->learn];

		if (l->known && got <= l->rows && l->rows - got + 1 < reps)
			reps = (unsigned)(l->rows - got + 1);
	}
	return reps ? reps : 1;
}

static void send_next(struct agent *a, struct stream *st)
{
	const struct col *c0 = &a->col[st->ci[0]];
	netsnmp_pdu *pdu = snmp_pdu_create(c0->req->get ? SNMP_MSG_GET : SNMP_MSG_GETBULK);
	size_t got = 0;

	if (!pdu) {
		agent_fail(a, st, NULL, ACLF_E_NOMEM, "out of memory");
		return;
	}
	if (c0->req->get) {
		st->act[0] = st->ci[0];
		st->nact = 1;
		add_var(pdu, c0->req->oid, c0->req->oid_len);
		send_pdu(a, st, pdu);
		return;
	}
	st->nact = 0;
	for (size_t k = 0; k < st->nci; k++) {
		const struct col *c = &a->col[st->ci[k]];

		if (c->done)
			continue;
		st->act[st->nact++] = st->ci[k];
		add_var(pdu, c->next, c->next_len);
		if (c->got > got)
			got = c->got;
	}
	st->reps = walk_reps(st, got);
	pdu->non_repeaters = 0;
	pdu->max_repetitions = (long)st->reps;
	send_pdu(a, st, pdu);
}

static void *open_session(struct agent *a, netsnmp_session *ns)
{
	void *sp = snmp_sess_open(ns);
	netsnmp_transport *t;

	if (!sp) {
		int lib, sys;
		char *msg = NULL;

		snmp_error(ns, &lib, &sys, &msg);
		agent_fail(a, NULL, NULL, ACLF_E_TRANSPORT, "cannot open a session: %s",
			   msg ? msg : "unknown error");
		free(msg);
		return NULL;
	}
	t = snmp_sess_transport(sp);
	a->fd = t ? t->sock : -1;
	/* no blocking engine ID probe inside a send, ever */
	snmp_sess_session(sp)->flags |= SNMP_FLAGS_DONT_PROBE;
	return sp;
}

/* The empty user a discovery request goes out as (RFC 3414 4.). */
static int empty_user(void)
{
	struct usmUser *u = usm_get_user(NULL, 0, "");

	if (u)
		return 0;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -1;
	u->name = strdup("");
	u->secName = strdup("");
	u->authProtocolLen = OID_LENGTH(usmNoAuthProtocol);
	u->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol, u->authProtocolLen);
	u->privProtocolLen = OID_LENGTH(usmNoPrivProtocol);
	u->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol, u->privProtocolLen);
	usm_add_user(u);
	return 0;
}

static void start_probe(struct agent *a)
{
	netsnmp_session ns;
	netsnmp_pdu *pdu;

	snmp_sess_init(&ns);
	ns.peername = a->s->peer;
	ns.version = SNMP_VERSION_3;
	ns.securityModel = SNMP_SEC_MODEL_USM;
	ns.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	ns.securityName = (char *)"";
	ns.securityNameLen = 0;
	ns.timeout = (long)a->s->timeout_ms * 1000L;
	ns.retries = (int)a->s->tries - 1;
	ns.flags |= SNMP_FLAGS_DONT_PROBE;
	if (empty_user() < 0) {
		agent_fail(a, NULL, NULL, ACLF_E_NOMEM, "out of memory");
		return;
	}
	if (!(a->sp = open_session(a, &ns)))
		return;
	pdu = snmp_pdu_create(SNMP_MSG_GET);
	if (!pdu) {
		agent_fail(a, NULL, NULL, ACLF_E_NOMEM, "out of memory");
		return;
	}
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	send_pdu(a, &a->probe, pdu);
}

/* Net-SNMP calls back for each request still out (as timed out) while it
 * closes the session: those calls are ignored (closing). */
static void close_session(struct agent *a)
{
	if (a->sp) {
		a->closing = true;
		snmp_sess_close(a->sp);
		a->closing = false;
		a->sp = NULL;
		a->fd = -1;
	}
	if (a->probe.busy)
		stream_idle(&a->probe);
	for (size_t k = 0; k < a->nst; k++)
		if (a->st[k].busy)
			stream_idle(&a->st[k]);
}

static void finish(struct agent *a)
{
	struct aclf_snmp_job *j = a->job;

	close_session(a);
	if (!a->failed) {
		for (size_t k = 0; k < a->ncol; k++) {
			if (aclf_snmp_vbs_splice(&j->vbs, &a->col[k].vbs) < 0) {
				agent_fail(a, NULL, NULL, ACLF_E_NOMEM, "out of memory");
				break;
			}
		}
	}
	if (a->failed) {
		aclf_snmp_vbs_release(&j->vbs);
		j->rc = -1;
	}
	for (size_t k = 0; k < a->ncol; k++)
		aclf_snmp_vbs_release(&a->col[k].vbs);
	j->done_ms = aclf_snmp_now_ms();
	a->state = A_DONE;
}

/* Net-SNMP keeps one USM user per (engine ID, user name) for the whole
 * process, and a new session reuses an existing entry's keys. Agents that
 * share an engine ID and a user name (one snmpsim serving many agents, or
 * one device polled twice) run together only with equal keys; otherwise
 * the later one waits until the other has ended, and then replaces the
 * entry with its own keys. */
static bool same_usm(const struct aclf_snmp *x, const struct aclf_snmp *y)
{
	return x->auth_oid == y->auth_oid && x->priv_oid == y->priv_oid &&
	       x->auth_ku_len == y->auth_ku_len && x->priv_ku_len == y->priv_ku_len &&
	       !memcmp(x->auth_ku, y->auth_ku, x->auth_ku_len) &&
	       !memcmp(x->priv_ku, y->priv_ku, x->priv_ku_len);
}

static bool usm_wait(struct run *r, const struct agent *a, bool *shared)
{
	for (size_t k = 0; k < r->n; k++) {
		const struct agent *b = &r->a[k];

		if (b == a || b->state != A_RUN || b->s->version != 3 || b->eid_len != a->eid_len ||
		    memcmp(b->eid, a->eid, a->eid_len) || strcmp(b->s->user, a->s->user))
			continue;
		if (!same_usm(a->s, b->s))
			return true;
		*shared = true;
	}
	return false;
}

static void usm_forget(const struct agent *a)
{
	struct usmUser *u = usm_get_user(a->eid, a->eid_len, a->s->user);

	if (u) {
		usm_remove_user(u);
		usm_free_user(u);
	}
}

/* Is another job discovering the engine ID at a's address? Then a waits
 * for its answer (or, when that one fails, asks on its own). */
static bool probing(const struct run *r, const struct agent *a)
{
	for (size_t k = 0; k < r->n; k++) {
		const struct agent *b = &r->a[k];

		if (b != a && b->state == A_DISCOVER && b->sp && !b->failed &&
		    !strcmp(b->s->peer, a->s->peer))
			return true;
	}
	return false;
}

/* The address group of peer, made when it is new (r->addrs has room for
 * every agent). */
static struct addr *addr_of(struct run *r, const char *peer)
{
	for (size_t k = 0; k < r->naddrs; k++)
		if (!strcmp(r->addrs[k].peer, peer))
			return &r->addrs[k];
	r->addrs[r->naddrs].peer = peer;
	return &r->addrs[r->naddrs++];
}

/* One step of an agent's life; called every turn of the loop. */
static void advance(struct run *r, struct agent *a)
{
	if (a->state == A_DONE)
		return;
	if (a->failed) {
		finish(a);
		return;
	}
	if (a->state == A_RESOLVE) {
		/* only a look: a name that does not answer holds up no one else */
		int rc = snmp_peer_wait(a->s, 0, &a->job->err);

		if (rc == 1)
			return;
		if (rc < 0) {
			a->failed = true; /* the lookup's words, as they are */
			finish(a);
			return;
		}
		a->addr = addr_of(r, a->s->peer);
		a->state = A_DISCOVER;
	}
	if (a->state == A_DISCOVER) {
		const struct snmp_engine *e;

		if (a->s->version != 3) {
			a->state = A_OPEN;
		} else if (!a->probe.done && (e = snmp_cache_find(r->cache, a->s->peer))) {
			/* known, or found meanwhile by another job's probe */
			close_session(a);
			memcpy(a->eid, e->id, e->len);
			a->eid_len = e->len;
			a->state = A_OPEN;
		} else if (!a->sp) {
			if (!probing(r, a) && r->inflight < r->max_inflight &&
			    a->addr->inflight < r->max_addr)
				start_probe(a);
		} else if (a->probe.done) {
			r->cache->discoveries++;
			if (snmp_cache_put(r->cache, a->s->peer, a->eid, a->eid_len) < 0)
				agent_fail(a, NULL, NULL, ACLF_E_NOMEM, "out of memory");
			close_session(a);
			a->state = A_OPEN;
		}
		if (a->failed)
			finish(a);
		if (a->state != A_OPEN)
			return;
	}
	if (a->state == A_OPEN) {
		netsnmp_session ns;
		bool shared = false;

		if (a->s->version == 3) {
			if (usm_wait(r, a, &shared))
				return; /* another job holds this engine's user with other keys */
			if (!shared)
				usm_forget(a);
		}

		snmp_session_fill(a->s, &ns, a->eid, a->eid_len);
		if (!(a->sp = open_session(a, &ns))) {
			finish(a);
			return;
		}
		a->state = A_RUN;
	}
	for (size_t k = 0; k < a->nst && a->busy < ACLF_SNMP_INFLIGHT &&
			   r->inflight < r->max_inflight && a->addr->inflight < r->max_addr &&
			   !a->failed; k++)
		if (!a->st[k].done && !a->st[k].busy)
			send_next(a, &a->st[k]);
	if (a->failed) {
		finish(a);
		return;
	}
	for (size_t k = 0; k < a->nst; k++)
		if (!a->st[k].done)
			return;
	finish(a);
}

static int read_agent(struct run *r, struct agent *a)
{
	if (a->fd >= r->fds_size) {
		int ns = a->fd + 1024;

		if (r->fds_size)
			netsnmp_large_fd_set_resize(&r->fds, ns);
		else
			netsnmp_large_fd_set_init(&r->fds, ns);
		r->fds_size = ns;
	}
	netsnmp_large_fd_setfd(a->fd, &r->fds);
	snmp_sess_read2(a->sp, &r->fds);
	netsnmp_large_fd_clr(a->fd, &r->fds);
	return 0;
}

static void expire(struct agent *a, int64_t now)
{
	struct stream *all[1 + 64];
	size_t n = 0;
	bool due = false;

	if (a->probe.busy)
		all[n++] = &a->probe;
	for (size_t k = 0; k < a->nst && n < sizeof(all) / sizeof(all[0]); k++)
		if (a->st[k].busy)
			all[n++] = &a->st[k];
	for (size_t k = 0; k < n; k++)
		due |= all[k]->due <= now;
	if (!due)
		return;
	snmp_sess_timeout(a->sp); /* retransmits, or calls back with a timeout */
	now = aclf_snmp_now_ms();
	for (size_t k = 0; k < n; k++) {
		struct stream *st = all[k];

		if (!st->busy || st->due > now)
			continue;
		/* sent again: the agent dropped or ignored the first try, so it
		 * no longer holds a place in the address's queue */
		st->due = now + a->s->timeout_ms + 1;
		a->job->resends++;
		if (!st->stale) {
			st->stale = true;
			a->addr->inflight--;
		}
	}
}

static int loop(struct run *r, struct aclf_err *err)
{
	struct pollfd *pfd = calloc(r->n ? r->n : 1, sizeof(*pfd));
	size_t *who = calloc(r->n ? r->n : 1, sizeof(*who));

	if (!pfd || !who) {
		free(pfd);
		free(who);
		return aclf_err_nomem(err);
	}
	for (;;) {
		size_t np = 0, live = 0;
		int64_t now = aclf_snmp_now_ms(), next = INT64_MAX;
		int rc, wait;

		for (size_t k = 0; k < r->n; k++) {
			struct agent *a = &r->a[k];

			advance(r, a);
			if (a->state == A_DONE)
				continue;
			live++;
			if (a->state == A_RESOLVE) {
				int64_t t = now + RESOLVE_POLL_MS;

				if (a->s->lookup_deadline < t)
					t = a->s->lookup_deadline;
				if (t < next)
					next = t;
				continue;
			}
			if (!a->busy || a->fd < 0)
				continue;
			pfd[np].fd = a->fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			who[np++] = k;
			if (a->probe.busy && a->probe.due < next)
				next = a->probe.due;
			for (size_t s = 0; s < a->nst; s++)
				if (a->st[s].busy && a->st[s].due < next)
					next = a->st[s].due;
		}
		if (!live)
			break;
		wait = next == INT64_MAX ? 0 : next <= now ? 0 : (int)(next - now);
		rc = poll(pfd, np, wait);
		if (rc < 0 && errno != EINTR) {
			free(pfd);
			free(who);
			return aclf_err_set(err, ACLF_E_TRANSPORT, "snmp: poll: %s", strerror(errno));
		}
		for (size_t k = 0; rc > 0 && k < np; k++)
			if (pfd[k].revents && r->a[who[k]].sp)
				read_agent(r, &r->a[who[k]]);
		now = aclf_snmp_now_ms();
		for (size_t k = 0; k < np; k++) {
			struct agent *a = &r->a[who[k]];

			if (a->sp && a->busy && a->state != A_DONE)
				expire(a, now);
		}
	}
	free(pfd);
	free(who);
	return 0;
}

void aclf_snmp_job_init(struct aclf_snmp_job *j, struct aclf_snmp *s,
			const struct aclf_snmp_req *reqs, size_t nreqs)
{
	memset(j, 0, sizeof(*j));
	j->snmp = s;
	j->reqs = reqs;
	j->nreqs = nreqs;
	aclf_snmp_vbs_init(&j->vbs);
	aclf_err_init(&j->err);
}

void aclf_snmp_job_release(struct aclf_snmp_job *j)
{
	aclf_snmp_vbs_release(&j->vbs);
	aclf_err_release(&j->err);
}

/* ---- setting up ---- */

static int by_peer(const void *x, const void *y)
{
	const struct agent *a = *(const struct agent *const *)x;
	const struct agent *b = *(const struct agent *const *)y;

	return strcmp(a->s->peer, b->s->peer);
}

/* Every agent's address group: agents sorted by peer, one struct addr per
 * distinct peer; an agent whose name is being looked up joins its group
 * when the answer comes (addr_of). Returns 0 or -1 (no memory). */
static int group_addrs(struct run *r)
{
	struct agent **by = calloc(r->n ? r->n : 1, sizeof(*by));
	size_t nby = 0;

	r->addrs = calloc(r->n ? r->n : 1, sizeof(*r->addrs));
	if (!by || !r->addrs) {
		free(by);
		return -1;
	}
	for (size_t k = 0; k < r->n; k++)
		if (r->a[k].s->resolved)
			by[nby++] = &r->a[k];
	qsort(by, nby, sizeof(*by), by_peer);
	for (size_t k = 0; k < nby; k++) {
		if (!k || strcmp(by[k]->s->peer, by[k - 1]->s->peer))
			r->addrs[r->naddrs++].peer = by[k]->s->peer;
		by[k]->addr = &r->addrs[r->naddrs - 1];
	}
	free(by);
	return 0;
}

/* Do walks x and y read columns of one table (roots equal but for their
 * last sub-identifier)? */
static bool same_table(const struct aclf_snmp_req *x, const struct aclf_snmp_req *y)
{
	return !x->get && !y->get && x->oid_len == y->oid_len && x->oid_len > 1 &&
	       !memcmp(x->oid, y->oid, (x->oid_len - 1) * sizeof(*x->oid));
}

/* The run's entry for a walk stream whose first column is first, of ncol
 * columns, made on first use (r->learn has room for one per request). */
static size_t learn_slot(struct run *r, const struct aclf_snmp_req *first, size_t ncol)
{
	for (size_t k = 0; k < r->nlearn; k++) {
		const struct learned *l = &r->learn[k];

		if (l->ncol == ncol && l->first->oid_len == first->oid_len &&
		    !memcmp(l->first->oid, first->oid, first->oid_len * sizeof(*first->oid)))
			return k;
	}
	r->learn[r->nlearn].first = first;
	r->learn[r->nlearn].ncol = ncol;
	return r->nlearn++;
}

/* An agent's columns and streams: each GET a stream of its own, walks of
 * one table one stream. Returns 0 or -1 (no memory). */
static int agent_streams(struct run *r, struct agent *a)
{
	const struct aclf_snmp_job *j = a->job;
	size_t *grp, *cnt;

	a->ncol = j->nreqs;
	a->col = calloc(a->ncol ? a->ncol : 1, sizeof(*a->col));
	a->st = calloc(a->ncol ? a->ncol : 1, sizeof(*a->st));
	a->ci = calloc(a->ncol ? 2 * a->ncol : 1, sizeof(*a->ci));
	grp = calloc(a->ncol ? 2 * a->ncol : 1, sizeof(*grp));
	if (!a->col || !a->st || !a->ci || !grp) {
		free(grp);
		a->ncol = 0;
		return -1;
	}
	cnt = grp + a->ncol;
	for (size_t k = 0; k < a->ncol; k++) {
		struct col *c = &a->col[k];
		size_t g = a->nst;

		c->req = &j->reqs[k];
		memcpy(c->next, c->req->oid, c->req->oid_len * sizeof(uint32_t));
		c->next_len = c->req->oid_len;
		aclf_snmp_vbs_init(&c->vbs);
		for (size_t i = 0; i < k; i++) {
			if (same_table(c->req, a->col[i].req)) {
				g = grp[i];
				break;
			}
		}
		if (g == a->nst)
			a->nst++;
		grp[k] = g;
		cnt[g]++;
	}
	for (size_t g = 0, at = 0; g < a->nst; g++) {
		struct stream *st = &a->st[g];

		st->a = a;
		st->ci = &a->ci[at];
		st->act = &a->ci[a->ncol + at];
		st->max_rep = a->s->max_rep ? a->s->max_rep : ACLF_SNMP_PDU_VARBINDS;
		at += cnt[g];
	}
	for (size_t k = 0; k < a->ncol; k++) {
		struct stream *st = &a->st[grp[k]];

		st->ci[st->nci++] = k;
	}
	for (size_t g = 0; g < a->nst; g++) {
		struct stream *st = &a->st[g];
		const struct aclf_snmp_req *first = a->col[st->ci[0]].req;

		st->learn = first->get || a->s->max_rep ? SIZE_MAX : learn_slot(r, first, st->nci);
	}
	free(grp);
	return 0;
}

int aclf_snmp_run(struct aclf_snmp_job *jobs, size_t n, struct aclf_snmp_cache *cache,
		  const struct aclf_snmp_run_opts *ro, struct aclf_err *err)
{
	struct run r;
	struct aclf_snmp_cache *own = NULL;
	size_t nreqs = 0;
	int failed = 0, rc;

	memset(&r, 0, sizeof(r));
	if (snmp_lib_start() < 0)
		return aclf_err_set(err, ACLF_E_TRANSPORT, "snmp: Net-SNMP did not start");
	if (!cache && !(cache = own = aclf_snmp_cache_new()))
		return aclf_err_nomem(err);
	r.cache = cache;
	r.n = n;
	r.max_inflight = ro && ro->max_inflight ? ro->max_inflight : ACLF_SNMP_MAX_INFLIGHT;
	r.max_addr = ro && ro->max_per_addr ? ro->max_per_addr : ACLF_SNMP_ADDR_INFLIGHT;
	r.a = calloc(n ? n : 1, sizeof(*r.a));
	for (size_t k = 0; r.a && k < n; k++) {
		r.a[k].s = jobs[k].snmp;
		nreqs += jobs[k].nreqs;
		/* the agent's address: known, or its lookup under way (started
		 * by aclf_snmp_new, or again here after a failed one) */
		if (snmp_peer_start(jobs[k].snmp, &jobs[k].err) < 0)
			r.a[k].failed = true;
		else if (!jobs[k].snmp->resolved)
			r.a[k].state = A_RESOLVE;
	}
	r.learn = calloc(nreqs ? nreqs : 1, sizeof(*r.learn));
	if (!r.a || !r.learn || group_addrs(&r) < 0) {
		free(r.a);
		free(r.learn);
		free(r.addrs);
		aclf_snmp_cache_free(own);
		return aclf_err_nomem(err);
	}
	for (size_t k = 0; k < n; k++) {
		struct agent *a = &r.a[k];

		a->run = &r;
		a->job = &jobs[k];
		a->fd = -1;
		a->probe.a = a;
		a->probe.learn = SIZE_MAX;
		jobs[k].rc = 0;
		jobs[k].requests = 0;
		jobs[k].resends = 0;
		aclf_snmp_vbs_release(&jobs[k].vbs);
		if (agent_streams(&r, a) < 0) {
			a->failed = true;
			aclf_err_nomem(&jobs[k].err);
		}
	}
	rc = loop(&r, err);
	for (size_t k = 0; k < n; k++) {
		struct agent *a = &r.a[k];

		if (a->state != A_DONE) {
			if (!a->failed)
				agent_fail(a, NULL, NULL, ACLF_E_TRANSPORT, "not run");
			finish(a);
		}
		failed += jobs[k].rc < 0;
		free(a->col);
		free(a->st);
		free(a->ci);
	}
	if (r.fds_size)
		netsnmp_large_fd_set_cleanup(&r.fds);
	free(r.a);
	free(r.learn);
	free(r.addrs);
	aclf_snmp_cache_free(own);
	return rc < 0 ? -1 : failed;
}
