/* Errors carry context: file:line:col for input, device + command + the
 * device's own words for remote failures. A function that fails fills the
 * caller-owned struct aclf_err and returns a negative value; on success the
 * struct is untouched, so calls chain. */
#ifndef ACLFORGE_ERR_H
#define ACLFORGE_ERR_H

#include <stdarg.h>

#include "aclforge/buf.h"

enum aclf_err_kind {
	ACLF_E_NONE = 0,
	ACLF_E_INPUT,     /* bad file or argument: exit 2 */
	ACLF_E_POLICY,    /* policy not as intended (drift): exit 1 */
	ACLF_E_DEVICE,    /* device refused or answered unexpectedly: exit 3 */
	ACLF_E_TRANSPORT, /* SSH/SNMP/network failure: exit 3 */
	ACLF_E_NOMEM,
	ACLF_E_BUG,
};

struct aclf_err {
	enum aclf_err_kind kind;
	char *file;          /* input file, heap copy or NULL */
	unsigned line, col;  /* 1-based; 0 = unknown */
	char *device;        /* remote failures */
	char *command;
	struct aclf_buf msg; /* may hold several lines when errors are collected */
	unsigned count;      /* number of errors recorded */
};

void aclf_err_init(struct aclf_err *e);
void aclf_err_release(struct aclf_err *e);
/* Record an error. The first error fixes kind/file/line/col; further errors
 * are appended to msg as extra "file:line:col: text" lines. Returns -1. */
int aclf_err_set(struct aclf_err *e, enum aclf_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int aclf_err_at(struct aclf_err *e, const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int aclf_err_remote(struct aclf_err *e, enum aclf_err_kind kind, const char *device,
		    const char *command, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* aclf_err_set and aclf_err_at taking a va_list, for callers that record
 * errors through a printf-style function of their own. */
int aclf_err_vset(struct aclf_err *e, enum aclf_err_kind kind, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int aclf_err_vat(struct aclf_err *e, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Record "out of memory" (ACLF_E_NOMEM). Returns -1. */
int aclf_err_nomem(struct aclf_err *e);
/* Human-readable, one or more lines, each without trailing newline joined by '\n'. */
const char *aclf_err_text(const struct aclf_err *e);
/* The exit codes README.md gives: 1 drift, 2 input/usage, 3 device/network. */
int aclf_err_exit_code(const struct aclf_err *e);

#endif
