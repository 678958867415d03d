/* What connecting to a device needs, checked before connecting, as OpenSSH
 * checks a private key or known hosts file before trusting it. A secret
 * reference (struct aclf_secret_ref in topology.h) resolves when env:NAME
 * is set and not empty, or file:PATH is a regular file of ours (or root's)
 * that group and others can neither read nor write, readable by us, one
 * line of at most ACLF_SECRET_MAX bytes. A private key file passes the
 * same checks and holds a private key; a known hosts file is a regular
 * file of ours or root's that group and others cannot write, holding at
 * least one host key. Paths starting "~/" are taken from $HOME.
 *
 * Problems go to err (ACLF_E_INPUT), one line each, naming the reference
 * as written ("env:NAME", "file:PATH", the key's path) and, for "~/", the
 * path it expands to; never the secret or the file's contents. */
#ifndef ACLFORGE_SECRET_H
#define ACLFORGE_SECRET_H

#include <stddef.h>

struct aclf_err;
struct aclf_secret_ref;

#define ACLF_SECRET_MAX 4096u                   /* bytes of a secret */
#define ACLF_KEY_FILE_MAX (64u * 1024u)          /* bytes of a private key file */
#define ACLF_KNOWN_HOSTS_MAX (16u * 1024u * 1024u) /* bytes of a known hosts file */

/* A resolved secret: value holds len bytes and a NUL; aclf_secret_clear
 * wipes and frees it. */
struct aclf_secret {
	char *value;
	size_t len;
};

/* "~/PATH" with $HOME in front, anything else copied: a heap string, or
 * NULL with err set ($HOME unset or empty, out of memory). */
char *aclf_path_expand(const char *path, struct aclf_err *err);

/* Resolve ref into out. Returns 0, or -1 with err set and out empty. */
int aclf_secret_resolve(const struct aclf_secret_ref *ref, struct aclf_secret *out,
			struct aclf_err *err);
void aclf_secret_clear(struct aclf_secret *s);

/* A private key file, and a known hosts file. Return 0 or -1 with err set. */
int aclf_key_file_check(const char *path, struct aclf_err *err);
int aclf_known_hosts_check(const char *path, struct aclf_err *err);

#endif
