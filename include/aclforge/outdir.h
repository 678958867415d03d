/* Writing a set of files into a directory, all or nothing: what
 * `render --out DIR` promises (nothing is written when anything fails). */
#ifndef ACLFORGE_OUTDIR_H
#define ACLFORGE_OUTDIR_H

#include <stddef.h>

struct aclf_buf;
struct aclf_err;

struct aclf_out_file {
	const char *name;  /* a file name: not empty, no '/', not "." or ".." */
	const char *data;
	size_t len;
};

/* Write files into dir, which is created when missing (its parent must
 * exist). The files are written to a temporary directory beside dir and
 * each is fsync'ed; only when all of them are written are they renamed into
 * place (a missing dir is the temporary directory renamed). On any failure
 * the temporary directory is removed and dir is left as it was: files
 * already renamed into it are put back (or removed when they were new).
 * Returns 0, or -1 with err set (kind ACLF_E_INPUT), every message naming
 * the file and the system's reason. */
int aclf_outdir_write(const char *dir, const struct aclf_out_file *files, size_t n,
		      struct aclf_err *err);

/* The same, one file at a time, so that a caller need not hold them all:
 * begin checks dir and creates the temporary directory (NULL with err set
 * on failure); add writes one file into it at once (on disk when it returns
 * 0; data may be released then); commit moves them all into place as
 * aclf_outdir_write does, abort removes what was written and leaves dir as
 * it was. Commit and abort free the handle, whatever they return; after a
 * failed add, call abort. err (given to begin) receives every failure. */
struct aclf_outdir;
struct aclf_outdir *aclf_outdir_begin(const char *dir, struct aclf_err *err);
int aclf_outdir_add(struct aclf_outdir *o, const char *name, const char *data, size_t len);
/* One file written as it is made: open names it (as add does; a file half
 * written is removed too) and creates it in the temporary directory,
 * returning its descriptor, or -1 with err set; the caller writes to it
 * and hands it to close, which fsyncs and closes it (write_errno: the errno
 * of a failed write, 0 if none) and says what failed in e, naming the file.
 * open and commit may not run alongside other calls on o; writes and close
 * may (close reads only what begin set), so several threads can each
 * stream a file. */
int aclf_outdir_open(struct aclf_outdir *o, const char *name);
int aclf_outdir_close(const struct aclf_outdir *o, const char *name, int fd, int write_errno,
		      struct aclf_err *e);
int aclf_outdir_commit(struct aclf_outdir *o);
void aclf_outdir_abort(struct aclf_outdir *o);

/* All of p to fd, through short writes and EINTR: 0, or -1 with errno set
 * (EIO when the system wrote nothing and said nothing). */
int aclf_write_all(int fd, const char *p, size_t len);

/* "DIR/NAME" appended to out, with one '/' however many dir ends with.
 * Returns 0 or -1 when out of memory. */
int aclf_path_join(struct aclf_buf *out, const char *dir, const char *name);

#endif
