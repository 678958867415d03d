/* aclforge apply TOPOLOGY */
#include <stdio.h>

#include "cli.h"
#include "cmd_fleet.h"

static void help(void)
{
	puts("usage: aclforge apply TOPOLOGY [--canary N] [--max-fail N] [--yes] [--shard I/N]\n"
	     "                     [--force] [options]\n\n"
	     "Put every device on its intended policy, safely: a device already on it (by\n"
	     "meaning) is not touched; otherwise the device arms a safety net that restores\n"
	     "its old policy by itself, the new one is loaded, read back over a new SSH\n"
	     "session and compared by meaning, then confirmed, or rolled back. After a lost\n"
	     "connection the device is read again before its outcome is declared: applied,\n"
	     "rolled back or unknown. A policy that would deny the applying session's own\n"
	     "new SSH connections is refused (exit 2) unless --force. Without --yes, apply\n"
	     "shows the plan and asks on the terminal. Exit 0 all applied or unchanged, 2\n"
	     "bad input or refused, 3 any failure.\n\n"
	     "  -d, --device NAME             only this device (repeatable)\n"
	     "  -f, --format FMT              text (default) or json\n"
	     "  -p, --parallel N              devices at a time (default 8)\n"
	     "      --transcripts DIR         one DIR/DEVICE.log per device: every byte sent and\n"
	     "                                received, secrets scrubbed\n"
	     "      --accept-new-host-keys    record a first-seen host key in known_hosts (never a\n"
	     "                                changed one)\n"
	     "      --connect-timeout S       seconds to connect and log in (default 10)\n"
	     "      --command-timeout S       seconds one command may take (default 30)\n"
	     "      --shard I/N               only the devices of shard I (0-based) of N\n"
	     "      --canary N                apply to the first N devices first; a failure\n"
	     "                                there stops the rollout\n"
	     "      --max-fail N              start no further device after N failures\n"
	     "                                (default 1)\n"
	     "      --confirm-timeout S       the safety net's window in seconds (default 120)\n"
	     "      --force                   apply even a policy that locks the session out\n"
	     "      --no-save                 leave the change in the running configuration only:\n"
	     "                                devices that keep a startup configuration apart\n"
	     "                                are not saved (the default saves once the change\n"
	     "                                is verified); the report says \"not saved\"\n"
	     "      --config-mode MODE        on devices with configuration sessions: private\n"
	     "                                (default: a private candidate; others may commit\n"
	     "                                meanwhile) or exclusive (the configuration lock\n"
	     "                                held until the session ends: no one else commits)\n"
	     "  -y, --yes                     do not ask\n"
	     "  -q, --quiet                   no compile warnings (the site's own rules,\n"
	     "                                balancing)\n"
	     "  -h, --help                    this help");
}

int cmd_apply(int argc, char **argv)
{
	return cli_fleet("apply", ACLF_FLEET_APPLY, argc, argv, help);
}
