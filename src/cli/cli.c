#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/catalog.h"
#include "aclforge/compile.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "cli.h"

int cli_fail(const struct aclf_err *err)
{
	fprintf(stderr, "aclforge: %s\n", aclf_err_text(err));
	return aclf_err_exit_code(err);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	va_list ap;

	/* the message quotes arguments: escaped like every text output */
	aclf_buf_init(&b, 0);
	va_start(ap, fmt);
	aclf_buf_vprintf_escaped(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "aclforge %s: %s\nTry 'aclforge %s --help'.\n", cmd, b.buf, cmd);
	aclf_buf_release(&b);
	return CLI_USAGE;
}

int cli_parse_format(const char *cmd, const char *s, enum cli_format *out)
{
	if (!strcmp(s, "text"))
		*out = CLI_TEXT;
	else if (!strcmp(s, "json"))
		*out = CLI_JSON;
	else
		return cli_usage_error(cmd, "unknown format '%s', expected text or json", s);
	return 0;
}

int cli_compile(const char *topo_path, const char *only_device, bool warn,
		struct aclf_topology **topo, struct aclf_catalog **cat, struct aclf_policy **pol,
		struct aclf_err *err)
{
	struct aclf_compile_opts opts = { .only_device = only_device };
	struct aclf_compiled c;
	struct aclf_buf text = ACLF_BUF_INIT;
	int rc = aclf_compile_file(topo_path, &opts, pol == NULL, &c, err);

	/* warnings go to stderr even when compiling failed later */
	aclf_buf_init(&text, 0);
	if (warn && aclf_warnings_text(&c.warnings, &text) == 0 && text.len)
		fputs(text.buf, stderr);
	aclf_buf_release(&text);
	aclf_warnings_release(&c.warnings);
	*topo = c.topo;
	*cat = c.cat;
	if (pol)
		*pol = c.pol;
	return rc;
}

const char *cli_input_label(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

int cli_write_stdout(const struct aclf_buf *b)
{
	errno = 0;
	if ((b->len && fwrite(b->buf, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
		fprintf(stderr, "aclforge: cannot write standard output: %s\n",
			strerror(errno ? errno : EIO));
		clearerr(stdout); /* said once */
		return -1;
	}
	return 0;
}

static void vprint_escaped(FILE *f, const char *fmt, va_list ap)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	if (aclf_buf_vprintf_escaped(&b, fmt, ap) == 0)
		fputs(b.buf, f);
	aclf_buf_release(&b);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_escaped(stdout, fmt, ap);
	va_end(ap);
}

void cli_eprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_escaped(stderr, fmt, ap);
	va_end(ap);
}
