/* aclforge fetch TOPOLOGY --device NAME */
#include <stdio.h>

#include "cli.h"
#include "cmd_fleet.h"

static void help(void)
{
	puts("usage: aclforge fetch TOPOLOGY --device NAME [options]\n\n"
	     "Read the device's live configuration over SSH and print it as the device's\n"
	     "driver parses it (aclforge --help: what each driver reads). Exit 0, 2 bad\n"
	     "input, 3 the device could not be read.\n\n"
	     "  -d, --device NAME             only this device (repeatable)\n"
	     "  -f, --format FMT              text (default) or json\n"
	     "  -p, --parallel N              devices at a time (default 8)\n"
	     "      --transcripts DIR         one DIR/DEVICE.log per device: every byte sent and\n"
	     "                                received, secrets scrubbed\n"
	     "      --accept-new-host-keys    record a first-seen host key in known_hosts (never a\n"
	     "                                changed one)\n"
	     "      --connect-timeout S       seconds to connect and log in (default 10)\n"
	     "      --command-timeout S       seconds one command may take (default 30)\n"
	     "  -h, --help                    this help");
}

int cmd_fetch(int argc, char **argv)
{
	return cli_fleet("fetch", ACLF_FLEET_FETCH, argc, argv, help);
}
