/* Shared pieces of the command-line front end (src/cmd_*.c). */
#ifndef ACLFORGE_CLI_H
#define ACLFORGE_CLI_H

#include <stdbool.h>

struct aclf_err;
struct aclf_topology;
struct aclf_catalog;
struct aclf_policy;
struct aclf_buf;

enum cli_format { CLI_TEXT, CLI_JSON };

/* exit codes (README.md; aclf_err_exit_code) */
enum { CLI_OK = 0, CLI_DRIFT = 1, CLI_USAGE = 2, CLI_REMOTE = 3 };

int cmd_catalog(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_counters(int argc, char **argv);

/* Print "aclforge: <err>" and return the exit code for it. */
int cli_fail(const struct aclf_err *err);
/* Usage error: message + hint, returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_parse_format(const char *cmd, const char *s, enum cli_format *out);
/* Load topology, its catalog and compile (only_device may be NULL). With
 * warn, the compile warnings go to stderr (compile, render, plan, apply and
 * audit print them, unless --quiet; explain, diff, fetch and counters do
 * not). On failure returns -1 with err
 * set; outputs are NULL. */
int cli_compile(const char *topo_path, const char *only_device, bool warn,
		struct aclf_topology **topo, struct aclf_catalog **cat, struct aclf_policy **pol,
		struct aclf_err *err);
/* How messages name an input file: its path, "<stdin>" for '-'. */
const char *cli_input_label(const char *path);
/* Write buffer to stdout; returns 0, or -1 after saying why on stderr. */
int cli_write_stdout(const struct aclf_buf *b);
/* printf to stdout / stderr with what the arguments hold escaped
 * (aclf_buf_printf_escaped): one call, at most one line. */
void cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
