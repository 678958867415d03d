/* aclforge audit TOPOLOGY */
#include <stdio.h>

#include "cli.h"
#include "cmd_fleet.h"

static void help(void)
{
	puts("usage: aclforge audit TOPOLOGY [options]\n\n"
	     "Read every device over SSH and compare what it runs with its intended policy\n"
	     "by meaning, as 'aclforge diff' does for a saved file. Exit 0 no drift, 1\n"
	     "drift, 2 bad input, 3 a device could not be read.\n\n"
	     "  -d, --device NAME             only this device (repeatable)\n"
	     "      --live-dir DIR            read DIR/DEVICE.EXT (saved configurations, named as\n"
	     "                                render --out names them) instead of connecting;\n"
	     "                                counters are then absent\n"
	     "  -f, --format FMT              text (default) or json\n"
	     "      --html FILE               also write the report as one self-contained HTML\n"
	     "                                page: the port matrix coloured by each cell's\n"
	     "                                state, per device the drift, counters and extra\n"
	     "                                entries, per catalog row its rules (written to a\n"
	     "                                temporary file renamed over FILE)\n"
	     "  -p, --parallel N              devices at a time (default 8)\n"
	     "      --transcripts DIR         one DIR/DEVICE.log per device: every byte sent and\n"
	     "                                received, secrets scrubbed\n"
	     "      --accept-new-host-keys    record a first-seen host key in known_hosts (never a\n"
	     "                                changed one)\n"
	     "      --connect-timeout S       seconds to connect and log in (default 10)\n"
	     "      --command-timeout S       seconds one command may take (default 30)\n"
	     "      --shard I/N               only the devices of shard I (0-based) of N, by a\n"
	     "                                hash of their names\n"
	     "  -h, --help                    this help");
}

int cmd_audit(int argc, char **argv)
{
	return cli_fleet("audit", ACLF_FLEET_AUDIT, argc, argv, help);
}
