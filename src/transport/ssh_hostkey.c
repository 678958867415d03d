/* The device's host key against its known_hosts file, as OpenSSH checks it
 * with StrictHostKeyChecking=yes (default) or accept-new:
 *
 *   - a line whose host pattern matches "host" (port 22) or "[host]:port"
 *     (hashed "|1|" names too) and whose key is the device's: accepted;
 *   - "@revoked" lines naming the device's key: refused;
 *   - lines for the host with other keys only: the key CHANGED (same type)
 *     or the host is known by another key type; refused, with the recorded
 *     fingerprints and their line numbers, whatever accept_new says;
 *   - no line for the host: unknown; refused with the key's fingerprint, or
 *     with accept_new appended to the file ("host type base64").
 *
 * Only this one file is read: not ~/.ssh/known_hosts, not
 * /etc/ssh/ssh_known_hosts, not ~/.ssh/config. Malformed lines are skipped,
 * as OpenSSH does; "@cert-authority" lines are skipped (no certificates). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "ssh_int.h"

/* "ssh-ed25519 SHA256:..." of key into out. */
static int fingerprint(ssh_key key, char *out, size_t len)
{
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) < 0)
		return -1;
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (!fp)
		return -1;
	snprintf(out, len, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), fp);
	ssh_string_free_char(fp);
	return 0;
}

struct kh_scan {
	bool ok;                  /* a line has the device's key */
	bool revoked;             /* an @revoked line has it */
	bool same_type;           /* a differing key of the device key's type */
	unsigned ok_line, revoked_line;
	struct aclf_buf others;   /* "line N: TYPE SHA256:..., ..." */
};

static void scan_line(struct kh_scan *k, const char *host_port, const char *line, unsigned lineno,
		      ssh_key srv)
{
	struct ssh_knownhosts_entry *e = NULL;
	bool revoked = false;
	char fp[128];

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return;
	if (*line == '@') {
		if (strncmp(line, "@revoked", 8) != 0 || (line[8] != ' ' && line[8] != '\t'))
			return; /* @cert-authority: no certificates here */
		revoked = true;
		line += 8;
		while (*line == ' ' || *line == '\t')
			line++;
	}
	if (ssh_known_hosts_parse_line(host_port, line, &e) != SSH_OK || !e)
		return; /* not this host, or malformed */
	if (ssh_key_cmp(srv, e->publickey, SSH_KEY_CMP_PUBLIC) == 0) {
		if (revoked) {
			k->revoked = true;
			k->revoked_line = lineno;
		} else if (!k->ok) {
			k->ok = true;
			k->ok_line = lineno;
		}
	} else if (!revoked) {
		if (ssh_key_type(e->publickey) == ssh_key_type(srv))
			k->same_type = true;
		if (fingerprint(e->publickey, fp, sizeof(fp)) < 0)
			snprintf(fp, sizeof(fp), "%s (no fingerprint)",
				 ssh_key_type_to_char(ssh_key_type(e->publickey)));
		aclf_buf_printf(&k->others, "%sline %u: %s", k->others.len ? ", " : "", lineno, fp);
	}
	ssh_knownhosts_entry_free(e);
}

/* Read path line by line into k. A missing file is an empty one. */
static int scan_file(struct kh_scan *k, const char *path, const char *host_port, ssh_key srv)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		scan_line(k, host_port, line, lineno, srv);
	}
	free(line);
	n = ferror(f) ? -1 : 0;
	fclose(f);
	return (int)n;
}

/* Append the device's entry to known_hosts (created 0600), after a newline
 * when the file does not end with one. */
static int record(struct aclf_ssh *s, struct aclf_err *err)
{
	char *entry = NULL, last = '\n';
	int fd, rc = -1;
	struct stat st;
	size_t len;

	if (ssh_session_export_known_hosts_entry(s->ses, &entry) != SSH_OK || !entry)
		return aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				       "cannot format the host key for known_hosts: %s",
				       ssh_get_error(s->ses));
	fd = open(s->known_hosts, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (pread(fd, &last, 1, st.st_size - 1) != 1))
		goto fail;
	if (last != '\n' && write(fd, "\n", 1) != 1)
		goto fail;
	len = strlen(entry);
	if (write(fd, entry, len) != (ssize_t)len || fsync(fd) < 0)
		goto fail;
	rc = 0;
fail:
	if (rc < 0)
		aclf_err_remote(err, ACLF_E_INPUT, s->device, NULL,
				"cannot record the host key in known_hosts '%s': %s", s->known_hosts,
				strerror(errno));
	if (fd >= 0)
		close(fd);
	ssh_string_free_char(entry);
	return rc;
}

int ssh_hostkey_check(struct aclf_ssh *s, bool accept_new, struct aclf_err *err)
{
	struct kh_scan k = { 0 };
	ssh_key srv = NULL;
	char host_port[300];
	int rc = -1;

	aclf_buf_init(&k.others, 0);
	if (ssh_get_server_publickey(s->ses, &srv) != SSH_OK || !srv) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				"the device sent no host key: %s", ssh_get_error(s->ses));
		goto out;
	}
	if (fingerprint(srv, s->host_key, sizeof(s->host_key)) < 0) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				"cannot fingerprint the device's host key");
		goto out;
	}
	if (s->port == 22)
		snprintf(host_port, sizeof(host_port), "%s", s->host);
	else
		snprintf(host_port, sizeof(host_port), "[%s]:%u", s->host, (unsigned)s->port);
	if (scan_file(&k, s->known_hosts, host_port, srv) < 0) {
		aclf_err_remote(err, ACLF_E_INPUT, s->device, NULL, "cannot read known_hosts '%s': %s",
				s->known_hosts, strerror(errno));
		goto out;
	}
	if (k.revoked) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				"host key of %s is REVOKED in known_hosts '%s' line %u: %s; refused",
				host_port, s->known_hosts, k.revoked_line, s->host_key);
	} else if (k.ok) {
		rc = 0;
	} else if (k.others.len) {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				"host key of %s has %s: known_hosts '%s' has %s; the device offers "
				"%s; refused (the connection may be intercepted; if the device's "
				"key was really replaced, remove the old entry)",
				host_port, k.same_type ? "CHANGED" : "a type known_hosts does not have",
				s->known_hosts, k.others.buf, s->host_key);
	} else if (accept_new) {
		rc = record(s, err);
		s->key_recorded = rc == 0;
		if (rc == 0)
			ssh_log_event(s->log, "host key recorded in %s: %s", s->known_hosts,
				      s->host_key);
	} else {
		aclf_err_remote(err, ACLF_E_TRANSPORT, s->device, NULL,
				"host key of %s is not in known_hosts '%s': the device offers %s; "
				"refused (check the fingerprint with the device's owner and add "
				"it, or set accept_new to record a first-seen key)",
				host_port, s->known_hosts, s->host_key);
	}
out:
	ssh_key_free(srv);
	aclf_buf_release(&k.others);
	return rc;
}
