/* Logging in: the key file is read and checked before connecting; then the
 * methods the caller configured, in order, among those the device offers:
 * publickey with the key file, the agent's keys, password, and
 * keyboard-interactive answering a password prompt (what many network
 * devices offer instead of "password"). A failure names every method tried, why
 * each failed, and the methods the device offers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "ssh_int.h"

#define KEY_FILE_MAX (64 * 1024)

/* OpenSSH refuses a private key that group or others may access at all
 * (sshkey_perm_ok: mode & 077). We refuse it whoever owns the file, and read
 * it through the descriptor we checked. */
int ssh_key_load(const char *device, const char *path, const char *passphrase, ssh_key *out,
		 struct aclf_err *err)
{
	struct aclf_buf text;
	struct stat st;
	char chunk[4096];
	ssize_t n;
	int fd, rc = -1;

	*out = NULL;
	aclf_buf_init(&text, KEY_FILE_MAX);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "key file '%s': %s", path,
				       strerror(errno));
	if (fstat(fd, &st) < 0) {
		aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "key file '%s': %s", path,
				strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "key file '%s' is not a regular file",
				path);
		goto out;
	}
	if (st.st_mode & 077) {
		aclf_err_remote(err, ACLF_E_INPUT, device, NULL,
				"key file '%s' is accessible by group or others (mode %04o): refused, "
				"as OpenSSH does; make it private (chmod 600)",
				path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || aclf_buf_add(&text, chunk, (size_t)n) < 0) {
			aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "key file '%s': %s", path,
					n < 0 ? strerror(errno) : "larger than 64 KiB");
			goto out;
		}
	}
	if (ssh_pki_import_privkey_base64(text.buf, passphrase, NULL, NULL, out) != SSH_OK) {
		*out = NULL;
		aclf_err_remote(err, ACLF_E_INPUT, device, NULL,
				"key file '%s' holds no private key libssh can read%s", path,
				passphrase ? " (or the passphrase is wrong)"
					   : " (an encrypted key needs key_passphrase)");
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(chunk, sizeof(chunk));
	if (text.alloc)
		explicit_bzero(text.buf, text.alloc);
	aclf_buf_release(&text);
	close(fd);
	return rc;
}

static void list_methods(struct aclf_buf *b, int m)
{
	static const struct {
		int bit;
		const char *name;
	} names[] = {
		{ SSH_AUTH_METHOD_PUBLICKEY, "publickey" },
		{ SSH_AUTH_METHOD_PASSWORD, "password" },
		{ SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive" },
		{ SSH_AUTH_METHOD_HOSTBASED, "hostbased" },
		{ SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic" },
	};
	size_t start = b->len;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			aclf_buf_printf(b, "%s%s", b->len > start ? "," : "", names[i].name);
	if (b->len == start)
		aclf_buf_puts(b, "none");
}

/* Keyboard-interactive: answer each round whose prompts all ask for the
 * password (non-echoed, the word "assword" in them); give up on any other
 * question. */
static int kbdint(struct aclf_ssh *s, const char *password, const char **why)
{
	int rc = ssh_userauth_kbdint(s->ses, NULL, NULL);

	for (int round = 0; rc == SSH_AUTH_INFO && round < 8; round++) {
		int n = ssh_userauth_kbdint_getnprompts(s->ses);

		for (int i = 0; i < n; i++) {
			char echo = 0;
			const char *p = ssh_userauth_kbdint_getprompt(s->ses, (unsigned)i, &echo);

			if (!p || echo || !strstr(p, "assword")) {
				*why = "asked something other than a password";
				return SSH_AUTH_DENIED;
			}
			if (ssh_userauth_kbdint_setanswer(s->ses, (unsigned)i, password) < 0)
				return SSH_AUTH_ERROR;
		}
		rc = ssh_userauth_kbdint(s->ses, NULL, NULL);
	}
	if (rc == SSH_AUTH_INFO) {
		*why = "too many rounds";
		return SSH_AUTH_DENIED;
	}
	return rc;
}

enum method { M_KEY, M_AGENT, M_PASSWORD, M_KBDINT, M_N };

static const char *const method_name[M_N] = { "publickey", "agent", "password",
					      "keyboard-interactive" };

int ssh_auth_run(struct aclf_ssh *s, const struct ssh_auth_cfg *cfg, struct aclf_err *err)
{
	struct aclf_buf tried, offered;
	bool done[M_N] = { false };
	int rc, methods, ret = -1;

	aclf_buf_init(&tried, 0);
	aclf_buf_init(&offered, 0);
	rc = ssh_userauth_none(s->ses, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		s->auth_method = "none";
		return 0;
	}
	if (rc == SSH_AUTH_ERROR || rc == SSH_AUTH_AGAIN)
		goto lost;
	for (;;) {
		enum method m = M_N;
		const char *why = "refused";

		methods = ssh_userauth_list(s->ses, NULL);
		if (cfg->key && !done[M_KEY] && (methods & SSH_AUTH_METHOD_PUBLICKEY))
			m = M_KEY;
		else if (cfg->agent && !done[M_AGENT] && (methods & SSH_AUTH_METHOD_PUBLICKEY))
			m = M_AGENT;
		else if (cfg->password && !done[M_PASSWORD] && (methods & SSH_AUTH_METHOD_PASSWORD))
			m = M_PASSWORD;
		else if (cfg->password && !done[M_KBDINT] && (methods & SSH_AUTH_METHOD_INTERACTIVE))
			m = M_KBDINT;
		if (m == M_N)
			break;
		done[m] = true;
		switch (m) {
		case M_KEY:
			rc = ssh_userauth_publickey(s->ses, NULL, cfg->key);
			break;
		case M_AGENT:
			rc = ssh_userauth_agent(s->ses, NULL);
			why = "no key of the agent accepted, or no agent";
			break;
		case M_PASSWORD:
			rc = ssh_userauth_password(s->ses, NULL, cfg->password);
			break;
		case M_KBDINT:
			rc = kbdint(s, cfg->password, &why);
			break;
		case M_N:
			break;
		}
		if (rc == SSH_AUTH_SUCCESS) {
			s->auth_method = method_name[m];
			ret = 0;
			goto out;
		}
		if (rc == SSH_AUTH_ERROR || rc == SSH_AUTH_AGAIN)
			goto lost;
		if (m == M_KEY)
			aclf_buf_printf(&tried, "%spublickey with key file '%s' (%s)",
					tried.len ? ", " : "", cfg->key_file, why);
		else
			aclf_buf_printf(&tried, "%s%s (%s)", tried.len ? ", " : "", method_name[m],
					rc == SSH_AUTH_PARTIAL ? "accepted, more needed" : why);
	}
	list_methods(&offered, methods);
	aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
			"authentication as '%s' failed: tried %s; the device offers %s", s->user,
			tried.len ? tried.buf : "nothing (no configured method is offered)",
			offered.buf);
	goto out;
lost:
	aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL, "authentication as '%s': %s",
			s->user, ssh_get_error(s->ses));
out:
	aclf_buf_release(&tried);
	aclf_buf_release(&offered);
	return ret;
}
