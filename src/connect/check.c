/* Each device's connection settings and secrets, checked before anything
 * connects (include/aclforge/check.h): problems as items, each where the
 * topology writes the setting, naming the reference and never a secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aclforge/buf.h"
#include "aclforge/check.h"
#include "aclforge/err.h"
#include "aclforge/secret.h"
#include "aclforge/topology.h"

/* SNMPv3 USM passphrases: at least 8 characters (RFC 3414 section 11.2) */
#define USM_PASS_MIN 8

struct cctx {
	struct aclf_check_report *r;
	const struct aclf_topology *t;
	const struct aclf_device *d;
	struct aclf_err *err;
};

void aclf_check_report_init(struct aclf_check_report *r)
{
	memset(r, 0, sizeof(*r));
	aclf_arena_init(&r->arena);
}

void aclf_check_report_release(struct aclf_check_report *r)
{
	aclf_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* A problem at pos (NULL or unset: the device's name). Returns 0 or -1. */
static int add(struct cctx *c, const struct aclf_pos *pos, const char *what, const char *text)
{
	struct aclf_check_report *r = c->r;
	struct aclf_check_problem *p;

	if (!pos || !pos->line)
		pos = &c->d->pos;
	if (aclf_arena_grow(&r->arena, (void **)&r->v, r->n, &r->cap, sizeof(*r->v)) < 0)
		return aclf_err_nomem(c->err);
	p = &r->v[r->n];
	p->file = c->t->path;
	p->line = pos->line;
	p->col = pos->col;
	p->device = c->d->name;
	if (!(p->what = aclf_arena_strdup(&r->arena, what)) ||
	    !(p->text = aclf_arena_strdup(&r->arena, text)))
		return aclf_err_nomem(c->err);
	r->n++;
	return 0;
}

/* What a check left in its scratch error becomes a problem (out of memory
 * stays an error). */
static int take(struct cctx *c, struct aclf_err *e, const struct aclf_pos *pos, const char *what)
{
	int rc = 0;

	if (e->count)
		rc = e->kind == ACLF_E_NOMEM ? aclf_err_nomem(c->err) : add(c, pos, what, aclf_err_text(e));
	aclf_err_release(e);
	return rc;
}

static int check_secret(struct cctx *c, const struct aclf_secret_ref *ref, const char *what,
			size_t min_len)
{
	struct aclf_secret s;
	struct aclf_err e;

	aclf_err_init(&e);
	if (aclf_secret_resolve(ref, &s, &e) == 0 && s.len < min_len)
		aclf_err_set(&e, ACLF_E_INPUT, "%s%s: shorter than %zu characters, the SNMPv3 minimum",
			     ref->kind == ACLF_SECRET_ENV ? "env:" : "file:", ref->ref, min_len);
	aclf_secret_clear(&s);
	return take(c, &e, &ref->pos, what);
}

static int check_agent(struct cctx *c)
{
	const char *sock = getenv("SSH_AUTH_SOCK");
	struct stat st;
	char text[512];

	if (!sock || !*sock)
		return add(c, NULL, "ssh.agent", "SSH_AUTH_SOCK is not set, so there is no agent to ask");
	if (stat(sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		snprintf(text, sizeof(text), "SSH_AUTH_SOCK names '%.400s', which is not a socket", sock);
		return add(c, NULL, "ssh.agent", text);
	}
	return 0;
}

static int check_ssh(struct cctx *c)
{
	const struct aclf_ssh_conf *s = &c->d->ssh;
	struct aclf_err e;
	int rc = 0;

	if (!s->user)
		rc |= add(c, NULL, "ssh", "no user to log in as (ssh.user)");
	if (!s->key_file && !s->agent && s->password.kind == ACLF_SECRET_NONE)
		rc |= add(c, NULL, "ssh", "no way to log in: give ssh.key, ssh.agent or ssh.password");
	if (s->agent)
		rc |= check_agent(c);
	if (s->key_file) {
		aclf_err_init(&e);
		aclf_key_file_check(s->key_file, &e);
		rc |= take(c, &e, &s->key_pos, "ssh.key");
	}
	if (!s->known_hosts) {
		rc |= add(c, NULL, "ssh", "no known_hosts, so the device's host key cannot be verified");
	} else {
		aclf_err_init(&e);
		aclf_known_hosts_check(s->known_hosts, &e);
		rc |= take(c, &e, &s->known_hosts_pos, "ssh.known_hosts");
	}
	if (s->password.kind != ACLF_SECRET_NONE)
		rc |= check_secret(c, &s->password, "ssh.password", 1);
	return rc ? -1 : 0;
}

static int check_snmp(struct cctx *c)
{
	const struct aclf_snmp_conf *s = &c->d->snmp;
	char what[64];
	int rc = 0;

	if (s->version == 2)
		return check_secret(c, &s->community, "snmp.community", 1);
	if (s->version != 3)
		return 0;
	if (s->auth.kind != ACLF_SECRET_NONE) {
		snprintf(what, sizeof(what), "snmp.auth.%s", s->auth_proto ? s->auth_proto : "?");
		rc |= check_secret(c, &s->auth, what, USM_PASS_MIN);
	}
	if (s->priv.kind != ACLF_SECRET_NONE) {
		snprintf(what, sizeof(what), "snmp.priv.%s", s->priv_proto ? s->priv_proto : "?");
		rc |= check_secret(c, &s->priv, what, USM_PASS_MIN);
	}
	return rc ? -1 : 0;
}

static int problem_cmp(const struct aclf_check_problem *a, const struct aclf_check_problem *b)
{
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* A device's problems in the order the topology writes its settings
 * (stable: a handful per device). */
static void sort_from(struct aclf_check_report *r, size_t start)
{
	for (size_t i = start + 1; i < r->n; i++) {
		struct aclf_check_problem p = r->v[i];
		size_t j = i;
		for (; j > start && problem_cmp(&r->v[j - 1], &p) > 0; j--)
			r->v[j] = r->v[j - 1];
		r->v[j] = p;
	}
}

int aclf_check_devices(const struct aclf_topology *t, const char *only_device,
		       struct aclf_check_report *out, struct aclf_err *err)
{
	struct cctx c = { .r = out, .t = t, .err = err };

	if (only_device && !aclf_topology_device(t, only_device))
		return aclf_err_set(err, ACLF_E_INPUT, "no device '%s' in '%s'", only_device, t->path);
	for (size_t i = 0; i < t->ndevices; i++) {
		c.d = &t->devices[i];
		if (only_device && strcmp(only_device, c.d->name) != 0)
			continue;
		size_t start = out->n;
		out->ndevices++;
		if (check_ssh(&c) < 0 || check_snmp(&c) < 0)
			return -1;
		sort_from(out, start);
	}
	return 0;
}

int aclf_check_report_text(const struct aclf_check_report *r, struct aclf_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct aclf_check_problem *p = &r->v[i];
		rc |= aclf_buf_printf(out, "%s:%u:%u: %s: %s: %s\n", p->file, p->line, p->col, p->device,
				      p->what, p->text);
	}
	return rc ? -1 : 0;
}
