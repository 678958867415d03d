/* All-or-nothing writing of files into a directory (aclforge/outdir.h).
 *
 * Phases: write every file into a temporary directory beside the target
 * directory and fsync it; then move the files into place, a hard link of
 * each file they replace kept aside in the temporary directory; on a
 * failure while moving, put every replaced file back. The temporary
 * directory is removed on every path. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/outdir.h"

/* inside the temporary directory: the files a write replaces, until it ends */
#define KEPT ".aclforge-previous"

struct aclf_outdir {
	char *dir;                        /* as given */
	struct aclf_buf parent;           /* where the temporary directory is */
	struct aclf_buf tmp;              /* the temporary directory */
	char **names;                     /* the files written so far */
	size_t n, cap;
	bool *kept, *moved;               /* per file: a replaced file kept aside; moved into dir */
	bool exists;                      /* dir existed when the write began */
	struct aclf_err *err;
};


/* dir's length without trailing slashes ("/" stays "/") */
static size_t dir_len(const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n;
}

int aclf_path_join(struct aclf_buf *out, const char *dir, const char *name)
{
	size_t n = dir_len(dir);

	if (aclf_buf_add(out, dir, n) < 0)
		return -1;
	if (!(n == 1 && dir[0] == '/') && aclf_buf_putc(out, '/') < 0)
		return -1;
	return aclf_buf_puts(out, name);
}

/* dir/a or dir/a/b in a buffer the caller releases (b may be NULL) */
static const char *path(struct aclf_buf *buf, const char *dir, const char *a, const char *b)
{
	aclf_buf_init(buf, 0);
	if (aclf_path_join(buf, dir, a) < 0 ||
	    (b && (aclf_buf_putc(buf, '/') < 0 || aclf_buf_puts(buf, b) < 0))) {
		aclf_buf_release(buf);
		return NULL;
	}
	return buf->buf;
}

/* "WHAT 'DIR/NAME': REASON" (NAME NULL: "WHAT 'DIR': REASON"). Returns -1. */
static int fail(struct aclf_outdir *o, const char *what, const char *dir, const char *name, int e)
{
	struct aclf_buf b;
	const char *p = name ? path(&b, dir, name, NULL) : NULL;

	if (name && !p)
		return aclf_err_nomem(o->err);
	aclf_err_set(o->err, ACLF_E_INPUT, "%s '%s': %s", what, p ? p : dir, strerror(e));
	if (p)
		aclf_buf_release(&b);
	return -1;
}

static bool name_ok(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") && strcmp(s, KEPT);
}

/* A new directory beside dir (inside it when dir is a mount point of its
 * own, so that renames stay on one file system). */
static int make_tmp(struct aclf_outdir *o, bool exists)
{
	size_t n = dir_len(o->dir);
	const char *slash = memrchr(o->dir, '/', n);
	const char *base = slash ? slash + 1 : o->dir;
	size_t blen = n - (size_t)(base - o->dir);
	struct stat sd, sp;

	if (slash ? aclf_buf_add(&o->parent, o->dir, slash == o->dir ? 1 : (size_t)(slash - o->dir))
		  : aclf_buf_putc(&o->parent, '.'))
		return aclf_err_nomem(o->err);
	if (exists && stat(o->dir, &sd) == 0 && stat(o->parent.buf, &sp) == 0 &&
	    sd.st_dev != sp.st_dev) {
		aclf_buf_reset(&o->parent);
		blen = 0;
		if (aclf_buf_add(&o->parent, o->dir, n) < 0)
			return aclf_err_nomem(o->err);
	}
	for (unsigned k = 0; k < 1000; k++) {
		aclf_buf_reset(&o->tmp);
		if (aclf_path_join(&o->tmp, o->parent.buf, ".") < 0 ||
		    aclf_buf_add(&o->tmp, base, blen) < 0 ||
		    aclf_buf_printf(&o->tmp, "%saclforge-%ld-%u", blen ? "." : "", (long)getpid(), k) < 0) {
			aclf_buf_reset(&o->tmp);
			return aclf_err_nomem(o->err);
		}
		if (mkdir(o->tmp.buf, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	aclf_buf_reset(&o->tmp);
	return aclf_err_set(o->err, ACLF_E_INPUT, "cannot create a directory beside '%.*s': %s",
			    (int)n, o->dir, strerror(errno));
}

int aclf_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -1 : (errno = EIO, -1);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One file into the temporary directory, on disk when this returns 0. */
static int write_one(struct aclf_outdir *o, const char *name, const char *data, size_t len)
{
	struct aclf_buf b;
	const char *p = path(&b, o->tmp.buf, name, NULL);
	int fd, e = 0;

	if (!p)
		return aclf_err_nomem(o->err);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || aclf_write_all(fd, data, len) < 0 || fsync(fd) < 0)
		e = errno;
	if (fd >= 0 && close(fd) < 0 && !e)
		e = errno;
	aclf_buf_release(&b);
	return e ? fail(o, "cannot write", o->dir, name, e) : 0;
}

/* fsync a directory: its entries are on disk (file systems that cannot
 * sync a directory say EINVAL, which is no failure) */
static int sync_dir(struct aclf_outdir *o, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = 0;

	if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL))
		e = errno;
	if (fd >= 0)
		close(fd);
	return e ? fail(o, "cannot sync", dir, NULL, e) : 0;
}

/* Put back what files[0..upto) replaced, newest first. */
static void restore(struct aclf_outdir *o, size_t upto)
{
	while (upto--) {
		struct aclf_buf t, k;
		const char *tp, *kp;
		int rc;

		if (!o->moved[upto])
			continue;
		tp = path(&t, o->dir, o->names[upto], NULL);
		kp = path(&k, o->tmp.buf, KEPT, o->names[upto]);
		if (!tp || !kp) {
			aclf_err_nomem(o->err);
		} else {
			rc = o->kept[upto] ? rename(kp, tp) : unlink(tp);
			if (rc < 0)
				fail(o, "cannot restore", o->dir, o->names[upto], errno);
		}
		aclf_buf_release(&t);
		aclf_buf_release(&k);
	}
}

/* Move the written files into the existing dir, keeping what they replace. */
static int move_in(struct aclf_outdir *o)
{
	struct aclf_buf kb;
	const char *kdir = path(&kb, o->tmp.buf, KEPT, NULL);
	size_t i;

	if (!kdir)
		return aclf_err_nomem(o->err);
	if (mkdir(kdir, 0700) < 0) {
		fail(o, "cannot create", kdir, NULL, errno);
		aclf_buf_release(&kb);
		return -1;
	}
	aclf_buf_release(&kb);
	for (i = 0; i < o->n; i++) {
		const char *name = o->names[i];
		struct aclf_buf t, s, k;
		const char *tp = path(&t, o->dir, name, NULL), *sp = path(&s, o->tmp.buf, name, NULL);
		const char *kp = path(&k, o->tmp.buf, KEPT, name);
		struct stat st;
		int rc = 0;

		if (!tp || !sp || !kp) {
			rc = aclf_err_nomem(o->err);
		} else if (lstat(tp, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = fail(o, "cannot replace", o->dir, name, EISDIR);
			else if (linkat(AT_FDCWD, tp, AT_FDCWD, kp, 0) < 0)
				rc = fail(o, "cannot keep a copy of", o->dir, name, errno);
			else
				o->kept[i] = true;
		} else if (errno != ENOENT) {
			rc = fail(o, "cannot replace", o->dir, name, errno);
		}
		if (!rc && rename(sp, tp) < 0)
			rc = fail(o, "cannot replace", o->dir, name, errno);
		if (!rc)
			o->moved[i] = true;
		aclf_buf_release(&t);
		aclf_buf_release(&s);
		aclf_buf_release(&k);
		if (rc)
			break;
	}
	if (i < o->n) {
		restore(o, i);
		sync_dir(o, o->dir);
		return -1;
	}
	return sync_dir(o, o->dir);
}

/* Remove the temporary directory and what is left in it. */
static int remove_tmp(struct aclf_outdir *o)
{
	int rc = 0;

	for (size_t i = 0; i < o->n; i++) {
		struct aclf_buf s, k;
		const char *sp = path(&s, o->tmp.buf, o->names[i], NULL);
		const char *kp = path(&k, o->tmp.buf, KEPT, o->names[i]);
		if (!sp || !kp)
			rc = aclf_err_nomem(o->err);
		else if ((unlink(sp) < 0 && errno != ENOENT) || (unlink(kp) < 0 && errno != ENOENT))
			rc = fail(o, "cannot remove", o->tmp.buf, o->names[i], errno);
		aclf_buf_release(&s);
		aclf_buf_release(&k);
	}
	{
		struct aclf_buf k;
		const char *kp = path(&k, o->tmp.buf, KEPT, NULL);
		if (!kp)
			rc = aclf_err_nomem(o->err);
		else if (rmdir(kp) < 0 && errno != ENOENT)
			rc = fail(o, "cannot remove", o->tmp.buf, KEPT, errno);
		aclf_buf_release(&k);
	}
	if (rmdir(o->tmp.buf) < 0 && errno != ENOENT)
		rc = fail(o, "cannot remove", o->tmp.buf, NULL, errno);
	return rc;
}

static void outdir_free(struct aclf_outdir *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->names[i]);
	free(o->names);
	free(o->kept);
	free(o->moved);
	free(o->dir);
	aclf_buf_release(&o->tmp);
	aclf_buf_release(&o->parent);
	free(o);
}

struct aclf_outdir *aclf_outdir_begin(const char *dir, struct aclf_err *err)
{
	struct aclf_outdir *o;
	struct stat st;
	bool exists;

	if (!*dir) {
		aclf_err_set(err, ACLF_E_INPUT, "empty output directory name");
		return NULL;
	}
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			aclf_err_set(err, ACLF_E_INPUT, "'%s' is not a directory", dir);
			return NULL;
		}
		exists = true;
	} else if (errno == ENOENT) {
		exists = false;
	} else {
		aclf_err_set(err, ACLF_E_INPUT, "cannot use '%s': %s", dir, strerror(errno));
		return NULL;
	}
	if (!(o = calloc(1, sizeof(*o)))) {
		aclf_err_nomem(err);
		return NULL;
	}
	o->err = err;
	o->exists = exists;
	aclf_buf_init(&o->parent, 0);
	aclf_buf_init(&o->tmp, 0);
	if (!(o->dir = strdup(dir))) {
		aclf_err_nomem(err);
		outdir_free(o);
		return NULL;
	}
	if (make_tmp(o, exists) < 0) {
		outdir_free(o);
		return NULL;
	}
	return o;
}

/* Room for one more file name. 0 or -1. */
static int grow(struct aclf_outdir *o)
{
	size_t cap = o->cap ? 2 * o->cap : 16;
	char **nv;
	bool *kv, *mv;

	if (o->n < o->cap)
		return 0;
	if (!(nv = realloc(o->names, cap * sizeof(*nv))))
		return -1;
	o->names = nv;
	if (!(kv = realloc(o->kept, cap * sizeof(*kv))))
		return -1;
	o->kept = kv;
	if (!(mv = realloc(o->moved, cap * sizeof(*mv))))
		return -1;
	o->moved = mv;
	o->cap = cap;
	return 0;
}

/* name checked and recorded: from now on it is the temporary directory's */
static int add_name(struct aclf_outdir *o, const char *name)
{
	if (!name_ok(name))
		return aclf_err_set(o->err, ACLF_E_INPUT, "'%s' cannot be a file name", name);
	for (size_t j = 0; j < o->n; j++)
		if (!strcmp(name, o->names[j]))
			return aclf_err_set(o->err, ACLF_E_INPUT, "file '%s' written twice", name);
	if (grow(o) < 0 || !(o->names[o->n] = strdup(name)))
		return aclf_err_nomem(o->err);
	o->kept[o->n] = o->moved[o->n] = false;
	o->n++;
	return 0;
}

int aclf_outdir_add(struct aclf_outdir *o, const char *name, const char *data, size_t len)
{
	/* named before it is written: a file half written is removed too */
	if (add_name(o, name) < 0)
		return -1;
	return write_one(o, name, data, len);
}

int aclf_outdir_open(struct aclf_outdir *o, const char *name)
{
	struct aclf_buf b;
	const char *p;
	int fd, e;

	if (add_name(o, name) < 0)
		return -1;
	if (!(p = path(&b, o->tmp.buf, name, NULL)))
		return aclf_err_nomem(o->err);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	e = errno;
	aclf_buf_release(&b);
	return fd < 0 ? fail(o, "cannot write", o->dir, name, e) : fd;
}

int aclf_outdir_close(const struct aclf_outdir *o, const char *name, int fd, int write_errno,
		      struct aclf_err *e)
{
	struct aclf_buf b;
	const char *p;
	int err = write_errno;

	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err)
		return 0;
	/* the file as it will be named in dir */
	if (!(p = path(&b, o->dir, name, NULL)))
		return aclf_err_nomem(e);
	aclf_err_set(e, ACLF_E_INPUT, "cannot write '%s': %s", p, strerror(err));
	aclf_buf_release(&b);
	return -1;
}

int aclf_outdir_commit(struct aclf_outdir *o)
{
	int rc = -1;

	if (sync_dir(o, o->tmp.buf) < 0)
		goto out_remove;
	if (!o->exists) {
		/* a new directory: the temporary one, renamed whole */
		if (rename(o->tmp.buf, o->dir) < 0) {
			aclf_err_set(o->err, ACLF_E_INPUT, "cannot create '%s': %s", o->dir, strerror(errno));
			goto out_remove;
		}
		rc = sync_dir(o, o->parent.buf);
		goto out;
	}
	if (move_in(o) < 0)
		goto out_remove;
	rc = 0;
out_remove:
	if (remove_tmp(o) < 0)
		rc = -1;
out:
	outdir_free(o);
	return rc;
}

void aclf_outdir_abort(struct aclf_outdir *o)
{
	if (!o)
		return;
	remove_tmp(o);
	outdir_free(o);
}

int aclf_outdir_write(const char *dir, const struct aclf_out_file *files, size_t n,
		      struct aclf_err *err)
{
	struct aclf_outdir *o;

	for (size_t i = 0; i < n; i++) {
		if (!name_ok(files[i].name))
			return aclf_err_set(err, ACLF_E_INPUT, "'%s' cannot be a file name", files[i].name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(files[i].name, files[j].name))
				return aclf_err_set(err, ACLF_E_INPUT, "file '%s' written twice",
						    files[i].name);
	}
	if (!(o = aclf_outdir_begin(dir, err)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (aclf_outdir_add(o, files[i].name, files[i].data, files[i].len) < 0) {
			aclf_outdir_abort(o);
			return -1;
		}
	}
	return aclf_outdir_commit(o);
}
