/* aclforge: Lync Server 2013 port matrix + topology -> firewall rules and
 * load-balancer services, for the device kinds of drivers/registry.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aclforge/driver.h"
#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "catalog", cmd_catalog, "list the port catalog's rows (every row of the seed's tables)" },
	{ "compile", cmd_compile, "compile catalog x topology into one neutral policy per device" },
	{ "explain", cmd_explain, "which rule on which device decides a packet, and the seed rows it serves" },
	{ "render", cmd_render, "render each device's configuration, as the device takes it" },
	{ "parse", cmd_parse, "parse device text into the neutral policy JSON" },
	{ "diff", cmd_diff, "compare intended and live policy by meaning (exit 1 on drift)" },
	{ "check", cmd_check, "check each device's connection settings and secrets before connecting" },
	{ "fetch", cmd_fetch, "read a device's live configuration over SSH" },
	{ "plan", cmd_plan, "what apply would change on each device, and the text it would send" },
	{ "apply", cmd_apply, "put each device on its intended policy, verified, or rolled back" },
	{ "audit", cmd_audit, "compare each device's live policy with the intended one (exit 1 on drift)" },
	{ "counters", cmd_counters, "each device's counters over SNMP, per rule and lb service" },
};

static void usage(FILE *out)
{
	const struct aclf_driver *const *all = aclf_drivers();

	fprintf(out, "usage: aclforge <command> [options] [TOPOLOGY]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\ndrivers (a topology's `driver:`):\n");
	for (size_t i = 0; all[i]; i++)
		fprintf(out, "  %-8s %s\n", all[i]->name, all[i]->summary);
	fprintf(out, "\n'aclforge <command> --help' describes each command.\n"
		     "exit codes: 0 ok, 1 drift (not as intended), 2 bad input or usage, 3 device or network failure\n");
}

/* Whatever a command printed must have reached standard output. */
static int finish(int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	fprintf(stderr, "aclforge: cannot write standard output: %s\n", strerror(errno ? errno : EIO));
	return rc ? rc : CLI_REMOTE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("aclforge " ACLF_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	cli_eprintf("aclforge: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
