/* Opening a file that holds something to connect with (a secret, a private
 * key, known hosts) the way OpenSSH does before it trusts one: a regular
 * file, owned by us or root, without the mode bits others must not have,
 * readable by us, not larger than a cap. Internal to src/connect/. */
#ifndef ACLFORGE_CONNECT_FILE_CHECK_H
#define ACLFORGE_CONNECT_FILE_CHECK_H

#include <stddef.h>
#include <sys/types.h>

struct aclf_err;

/* Read path (label names it in messages: "file:PATH" as written, or the
 * path) into a heap buffer of *len bytes plus a NUL, which the caller wipes
 * and frees. forbid: mode bits that make the file unsafe (077 for secrets
 * and keys, 022 for known hosts). Problems go to err (ACLF_E_INPUT), never
 * quoting the contents. Returns the buffer or NULL. */
char *cf_read(const char *label, const char *path, mode_t forbid, size_t cap, size_t *len,
	      struct aclf_err *err);
/* Wipe and free what cf_read returned. */
void cf_free(char *buf, size_t len);

#endif
