/* Who may log in to aclforge-emu: the public keys of an OpenSSH
 * authorized_keys file (options before the key type are skipped), and
 * optionally one password ("user:password", or a bare password for any
 * user). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_server.h"

static int add_key(struct emu_auth *a, const char *type, const char *b64)
{
	ssh_key k = NULL;
	void *p;

	if (ssh_pki_import_pubkey_base64(b64, ssh_key_type_from_name(type), &k) != SSH_OK)
		return -1;
	p = realloc(a->keys, (a->nkeys + 1) * sizeof(*a->keys));
	if (!p) {
		ssh_key_free(k);
		return -1;
	}
	a->keys = p;
	a->keys[a->nkeys++] = k;
	return 0;
}

static int load_keys(struct emu_auth *a, const char *path, struct aclf_buf *err)
{
	struct aclf_buf f = ACLF_BUF_INIT;
	char *line, *save = NULL;
	unsigned no = 0;

	aclf_buf_init(&f, 1 << 20);
	if (aclf_buf_read_file(&f, path) < 0) {
		aclf_buf_printf(err, "cannot read authorized keys '%s': %m", path);
		aclf_buf_release(&f);
		return -1;
	}
	for (line = strtok_r(f.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[16], *ws = NULL, *t;
		int n = 0, k;

		no++;
		for (t = strtok_r(line, " \t\r", &ws); t && n < 16; t = strtok_r(NULL, " \t\r", &ws))
			w[n++] = t;
		if (n == 0 || w[0][0] == '#')
			continue;
		for (k = 0; k + 1 < n; k++)
			if (ssh_key_type_from_name(w[k]) != SSH_KEYTYPE_UNKNOWN)
				break;
		if (k + 1 >= n || add_key(a, w[k], w[k + 1]) < 0) {
			aclf_buf_printf(err, "%s:%u: not a public key line", path, no);
			aclf_buf_release(&f);
			return -1;
		}
	}
	aclf_buf_release(&f);
	if (!a->nkeys) {
		aclf_buf_printf(err, "no public key in '%s'", path);
		return -1;
	}
	return 0;
}

static int load_password(struct emu_auth *a, const char *path, struct aclf_buf *err)
{
	struct aclf_buf f = ACLF_BUF_INIT;
	char *colon;
	size_t n;

	aclf_buf_init(&f, 1 << 16);
	if (aclf_buf_read_file(&f, path) < 0) {
		aclf_buf_printf(err, "cannot read password file '%s': %m", path);
		aclf_buf_release(&f);
		return -1;
	}
	n = strcspn(f.buf, "\r\n");
	f.buf[n] = '\0';
	colon = strchr(f.buf, ':');
	if (colon) {
		*colon = '\0';
		a->user = strdup(f.buf);
		a->password = strdup(colon + 1);
	} else {
		a->password = strdup(f.buf);
	}
	explicit_bzero(f.buf, f.len);
	aclf_buf_release(&f);
	if (!a->password || (colon && !a->user) || !*a->password) {
		aclf_buf_printf(err, "no password in '%s'", path);
		return -1;
	}
	return 0;
}

int emu_auth_load(struct emu_auth *a, const char *authorized_keys, const char *password_file,
		  struct aclf_buf *err)
{
	memset(a, 0, sizeof(*a));
	if (load_keys(a, authorized_keys, err) < 0)
		return -1;
	if (password_file && load_password(a, password_file, err) < 0)
		return -1;
	return 0;
}

void emu_auth_release(struct emu_auth *a)
{
	for (size_t k = 0; k < a->nkeys; k++)
		ssh_key_free(a->keys[k]);
	free(a->keys);
	free(a->user);
	if (a->password) {
		explicit_bzero(a->password, strlen(a->password));
		free(a->password);
	}
	memset(a, 0, sizeof(*a));
}

bool emu_auth_key(const struct emu_auth *a, ssh_key key)
{
	for (size_t k = 0; k < a->nkeys; k++)
		if (ssh_key_cmp(a->keys[k], key, SSH_KEY_CMP_PUBLIC) == 0)
			return true;
	return false;
}

bool emu_auth_password(const struct emu_auth *a, const char *user, const char *password)
{
	size_t n, m;
	unsigned char diff = 0;

	if (!a->password || !password || !user)
		return false;
	if (a->user && strcmp(a->user, user) != 0)
		return false;
	n = strlen(a->password);
	m = strlen(password);
	for (size_t k = 0; k < m; k++) /* time depends on the guess only */
		diff |= (unsigned char)(password[k] ^ a->password[k < n ? k : 0]);
	return diff == 0 && n == m;
}
