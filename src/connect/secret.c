/* Secrets by reference, resolved before connecting (include/aclforge/secret.h):
 * env:NAME from the environment, file:PATH through the checks of
 * file_check.c; "~/" paths from $HOME. The value is never put into a
 * message, and its buffer is wiped when it is let go. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/secret.h"
#include "aclforge/topology.h"
#include "file_check.h"

char *aclf_path_expand(const char *path, struct aclf_err *err)
{
	const char *home;
	char *s;

	if (path[0] != '~' || path[1] != '/') {
		if (!(s = strdup(path)))
			aclf_err_nomem(err);
		return s;
	}
	home = getenv("HOME");
	if (!home || !*home) {
		aclf_err_set(err, ACLF_E_INPUT, "%s: HOME is not set, so '~/' cannot be expanded", path);
		return NULL;
	}
	if (!(s = malloc(strlen(home) + strlen(path))))
		aclf_err_nomem(err);
	else
		memcpy(stpcpy(s, home), path + 1, strlen(path));
	return s;
}

/* "file:~/pw (/home/u/pw)" or "file:/etc/pw": how messages name a file. */
static char *file_label(const char *prefix, const char *ref, const char *expanded)
{
	struct aclf_buf b;

	aclf_buf_init(&b, 0);
	aclf_buf_printf(&b, "%s%s", prefix, ref);
	if (strcmp(ref, expanded) != 0)
		aclf_buf_printf(&b, " (%s)", expanded);
	return aclf_buf_detach(&b, NULL);
}

/* A secret is one line: one final line break is allowed. */
static int one_line(const char *label, char *v, size_t *len, struct aclf_err *err)
{
	size_t n = *len;

	if (n && v[n - 1] == '\n')
		n--;
	if (n && v[n - 1] == '\r')
		n--;
	v[n] = '\0';
	*len = n;
	if (!n)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: empty", label);
	if (memchr(v, '\0', n))
		return aclf_err_set(err, ACLF_E_INPUT, "%s: holds a NUL byte", label);
	if (memchr(v, '\n', n) || memchr(v, '\r', n))
		return aclf_err_set(err, ACLF_E_INPUT, "%s: holds more than one line, expected the "
						       "secret alone", label);
	return 0;
}

static int resolve_env(const char *name, struct aclf_secret *out, struct aclf_err *err)
{
	const char *v = getenv(name);
	size_t n;

	if (!v)
		return aclf_err_set(err, ACLF_E_INPUT, "env:%s: not set", name);
	if (!*v)
		return aclf_err_set(err, ACLF_E_INPUT, "env:%s: set but empty", name);
	if ((n = strlen(v)) > ACLF_SECRET_MAX)
		return aclf_err_set(err, ACLF_E_INPUT, "env:%s: longer than %u bytes", name,
				    ACLF_SECRET_MAX);
	if (strchr(v, '\n') || strchr(v, '\r'))
		return aclf_err_set(err, ACLF_E_INPUT, "env:%s: holds a line break", name);
	if (!(out->value = malloc(n + 1)))
		return aclf_err_nomem(err);
	memcpy(out->value, v, n + 1);
	out->len = n;
	return 0;
}

static int resolve_file(const char *ref, struct aclf_secret *out, struct aclf_err *err)
{
	char *path, *label, *v;
	size_t n;
	int rc = -1;

	if (!(path = aclf_path_expand(ref, err)))
		return -1;
	if (!(label = file_label("file:", ref, path))) {
		free(path);
		return aclf_err_nomem(err);
	}
	v = cf_read(label, path, 077, ACLF_SECRET_MAX, &n, err);
	if (v && one_line(label, v, &n, err) == 0) {
		out->value = v;
		out->len = n;
		v = NULL;
		rc = 0;
	}
	cf_free(v, n);
	free(label);
	free(path);
	return rc;
}

int aclf_secret_resolve(const struct aclf_secret_ref *ref, struct aclf_secret *out,
			struct aclf_err *err)
{
	out->value = NULL;
	out->len = 0;
	switch (ref->kind) {
	case ACLF_SECRET_ENV:
		return resolve_env(ref->ref, out, err);
	case ACLF_SECRET_FILE:
		return resolve_file(ref->ref, out, err);
	case ACLF_SECRET_NONE:
		break;
	}
	return aclf_err_set(err, ACLF_E_INPUT, "no secret given");
}

void aclf_secret_clear(struct aclf_secret *s)
{
	cf_free(s->value, s->len);
	s->value = NULL;
	s->len = 0;
}

/* ---- key and known hosts files ---- */

static char *read_checked(const char *path, mode_t forbid, size_t cap, size_t *n,
			  struct aclf_err *err)
{
	char *full, *label, *v;

	if (!(full = aclf_path_expand(path, err)))
		return NULL;
	if (!(label = file_label("", path, full))) {
		free(full);
		aclf_err_nomem(err);
		return NULL;
	}
	v = cf_read(label, full, forbid, cap, n, err);
	free(label);
	free(full);
	return v;
}

int aclf_key_file_check(const char *path, struct aclf_err *err)
{
	size_t n;
	char *v = read_checked(path, 077, ACLF_KEY_FILE_MAX, &n, err);
	const char *begin;
	int rc = 0;

	if (!v)
		return -1;
	begin = strstr(v, "-----BEGIN ");
	if (!begin || !strstr(begin, "PRIVATE KEY-----"))
		rc = aclf_err_set(err, ACLF_E_INPUT, "%s: holds no private key (expected '-----BEGIN "
						     "... PRIVATE KEY-----'%s)", path,
				  strstr(v, "ssh-") == v || strstr(v, "ecdsa-") == v ? ", found a public key"
										   : "");
	cf_free(v, n);
	return rc;
}

int aclf_known_hosts_check(const char *path, struct aclf_err *err)
{
	size_t n;
	char *v = read_checked(path, 022, ACLF_KNOWN_HOSTS_MAX, &n, err);
	bool any = false;

	if (!v)
		return -1;
	/* at least one line that is not blank or a comment */
	for (const char *p = v; p && *p && !any; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		p += strspn(p, " \t");
		any = *p && *p != '#' && *p != '\n' && *p != '\r';
	}
	cf_free(v, n);
	if (!any)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: holds no host key, so no device's key can "
						       "be verified", path);
	return 0;
}
