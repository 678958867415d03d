/* Files holding what connecting needs, opened as OpenSSH opens a private
 * key (sshkey.c sshkey_perm_ok) or a user's authorized keys (auth.c
 * secure_filename): a regular file of our own or root's, not readable or
 * writable by others as the caller forbids, read whole under a cap. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "file_check.h"

static int check_stat(const char *label, const struct stat *st, mode_t forbid, size_t cap,
		      struct aclf_err *err)
{
	if (!S_ISREG(st->st_mode))
		return aclf_err_set(err, ACLF_E_INPUT, "%s: not a regular file", label);
	if (st->st_uid != getuid() && st->st_uid != 0)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: owned by uid %lu, expected uid %lu (you) "
						       "or root", label, (unsigned long)st->st_uid,
				    (unsigned long)getuid());
	if (st->st_mode & forbid)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: mode %04o lets %s, expected %04o or "
						       "stricter (chmod %04o)", label,
				    (unsigned)(st->st_mode & 07777),
				    forbid & 044 ? "group or others read or write it" : "group or others write it",
				    (unsigned)(0666 & ~forbid), (unsigned)(st->st_mode & 0777 & ~forbid));
	if ((unsigned long long)st->st_size > cap)
		return aclf_err_set(err, ACLF_E_INPUT, "%s: larger than %zu bytes", label, cap);
	return 0;
}

char *cf_read(const char *label, const char *path, mode_t forbid, size_t cap, size_t *len,
	      struct aclf_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd;

	*len = 0;
	/* no following a FIFO into a wait: O_NONBLOCK, and the checks run on
	 * what was opened, not on the name */
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		aclf_err_set(err, ACLF_E_INPUT, "%s: %s", label,
			     errno == ENOENT ? "no such file" : errno == EACCES ? "not readable by you"
										 : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		aclf_err_set(err, ACLF_E_INPUT, "%s: %s", label, strerror(errno));
		goto fail;
	}
	if (check_stat(label, &st, forbid, cap, err) < 0)
		goto fail;
	if (!(buf = malloc(cap + 1))) {
		aclf_err_nomem(err);
		goto fail;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			aclf_err_set(err, ACLF_E_INPUT, "%s: %s", label, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > cap) {
			aclf_err_set(err, ACLF_E_INPUT, "%s: larger than %zu bytes", label, cap);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	cf_free(buf, n);
	close(fd);
	return NULL;
}

void cf_free(char *buf, size_t len)
{
	if (!buf)
		return;
	explicit_bzero(buf, len);
	free(buf);
}
