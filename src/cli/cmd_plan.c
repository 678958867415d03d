/* aclforge plan TOPOLOGY */
#include <stdio.h>

#include "cli.h"
#include "cmd_fleet.h"

static void help(void)
{
	puts("usage: aclforge plan TOPOLOGY [options]\n\n"
	     "Read every device over SSH, compare what it runs with its intended policy by\n"
	     "meaning, and print per device what apply would change (example packets) and\n"
	     "the exact text apply would send. Nothing is changed. Exit 0 nothing to\n"
	     "change, 1 changes, 2 bad input, 3 a device could not be read.\n\n"
	     "  -d, --device NAME             only this device (repeatable)\n"
	     "  -f, --format FMT              text (default) or json\n"
	     "  -p, --parallel N              devices at a time (default 8)\n"
	     "      --transcripts DIR         one DIR/DEVICE.log per device: every byte sent and\n"
	     "                                received, secrets scrubbed\n"
	     "      --accept-new-host-keys    record a first-seen host key in known_hosts (never a\n"
	     "                                changed one)\n"
	     "      --connect-timeout S       seconds to connect and log in (default 10)\n"
	     "      --command-timeout S       seconds one command may take (default 30)\n"
	     "      --shard I/N               only the devices of shard I (0-based) of N, by a\n"
	     "                                hash of their names\n"
	     "  -q, --quiet                   no compile warnings (the site's own rules,\n"
	     "                                balancing)\n"
	     "  -h, --help                    this help");
}

int cmd_plan(int argc, char **argv)
{
	return cli_fleet("plan", ACLF_FLEET_PLAN, argc, argv, help);
}
