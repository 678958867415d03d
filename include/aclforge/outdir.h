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

/* "DIR/NAME" appended to out, with one '/' however many dir ends with.
 * Returns 0 or -1 when out of memory. */
int aclf_path_join(struct aclf_buf *out, const char *dir, const char *name);

#endif
