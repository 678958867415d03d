/* The shared body of fetch, plan, audit and apply (cmd_fleet.c). */
#ifndef ACLFORGE_CMD_FLEET_H
#define ACLFORGE_CMD_FLEET_H

#include "aclforge/fleet.h"

struct aclf_topology;
struct aclf_catalog;
struct aclf_policy;

int cli_fleet(const char *cmd, enum aclf_fleet_verb verb, int argc, char **argv,
	      void (*help)(void));

/* audit --html FILE (cli_audit_html.c): the path checked before the run
 * (usage error, CLI_USAGE), the time the run ended (UTC, RFC 3339), the page
 * written after it (CLI_OK, or the failure's exit code after saying why). */
int cli_html_check(const char *path);
void cli_utc_now(char *out, size_t len);
int cli_audit_html(const char *path, const char *audited_at, const struct aclf_topology *topo,
		   const struct aclf_catalog *cat, const struct aclf_policy *pol,
		   const struct aclf_fleet *fl);

#endif
