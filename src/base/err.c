#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"

void aclf_err_init(struct aclf_err *e)
{
	memset(e, 0, sizeof(*e));
	aclf_buf_init(&e->msg, 0);
}

void aclf_err_release(struct aclf_err *e)
{
	free(e->file);
	free(e->device);
	free(e->command);
	aclf_buf_release(&e->msg);
	memset(e, 0, sizeof(*e));
	aclf_buf_init(&e->msg, 0);
}

static void add_line(struct aclf_err *e)
{
	if (e->msg.len)
		aclf_buf_putc(&e->msg, '\n');
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int aclf_err_vset(struct aclf_err *e, enum aclf_err_kind kind, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	if (e->count == 0)
		e->kind = kind;
	add_line(e);
	/* one line per error, whatever the names it quotes hold */
	aclf_buf_vprintf_escaped(&e->msg, fmt, ap);
	e->count++;
	return -1;
}

int aclf_err_set(struct aclf_err *e, enum aclf_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int aclf_err_nomem(struct aclf_err *e)
{
	return aclf_err_set(e, ACLF_E_NOMEM, "out of memory");
}

int aclf_err_vat(struct aclf_err *e, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	if (e->count == 0) {
		e->kind = ACLF_E_INPUT;
		e->file = dup_or_null(file);
		e->line = line;
		e->col = col;
	}
	add_line(e);
	/* FILE:LINE:COL: as GCC writes it; one line, whatever the input holds */
	aclf_buf_printf_escaped(&e->msg, "%s:%u:%u: ", file ? file : "<input>", line, col);
	aclf_buf_vprintf_escaped(&e->msg, fmt, ap);
	e->count++;
	return -1;
}

int aclf_err_at(struct aclf_err *e, const char *file, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_err_vat(e, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int aclf_err_remote(struct aclf_err *e, enum aclf_err_kind kind, const char *device,
		    const char *command, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	if (e->count == 0) {
		e->kind = kind;
		e->device = dup_or_null(device);
		e->command = dup_or_null(command);
	}
	add_line(e);
	aclf_buf_printf(&e->msg, "%s: ", device ? device : "<device>");
	if (command)
		aclf_buf_printf(&e->msg, "'%s': ", command);
	va_start(ap, fmt);
	aclf_buf_vprintf(&e->msg, fmt, ap);
	va_end(ap);
	e->count++;
	return -1;
}

const char *aclf_err_text(const struct aclf_err *e)
{
	return e->msg.len ? e->msg.buf : "unknown error";
}

int aclf_err_exit_code(const struct aclf_err *e)
{
	switch (e->kind) {
	case ACLF_E_POLICY:
		return 1;
	case ACLF_E_NONE:
	case ACLF_E_INPUT:
		return 2;
	case ACLF_E_DEVICE:
	case ACLF_E_TRANSPORT:
	case ACLF_E_NOMEM:
	case ACLF_E_BUG:
		return 3;
	}
	return 3;
}
