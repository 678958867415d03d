/* aclforge audit TOPOLOGY */
#include <stdio.h>

#include "cli.h"
#include "cmd_fleet.h"

static void help(void)
{
	puts("usage: aclforge audit TOPOLOGY [options]\n\n"
	     "Read every device over SSH and compare what it runs with its intended policy\n"
	     "by meaning, as 'aclforge diff' does for a saved file, then poll its counters\n"
	     "as 'aclforge counters' does. Every intended rule is 'in place, used', 'in\n"
	     "place, no hits', 'in place' (counters absent), 'missing' or 'cannot judge'\n"
	     "(an opaque live entry decides part of it); a live entry that decides some\n"
	     "packet otherwise is 'extra'. JSON per device: counters {polled_at, source,\n"
	     "absent}, since, rules [{filter, rule, action, verdict, packets, bytes,\n"
	     "delta_packets, delta_bytes, seed_rows, provenance, why}], extra [{filter,\n"
	     "entry, line, text, packets}]; audited_at at the top (README: Audit).\n"
	     "Exit 0 no drift, 1 drift, 2 bad input, 3 a device could not be read; no\n"
	     "hits and unreadable counters do not change it.\n\n"
	     "  -d, --device NAME             only this device (repeatable)\n"
	     "      --live-dir DIR            read DIR/DEVICE.EXT (saved configurations, named as\n"
	     "                                render --out names them) instead of connecting;\n"
	     "                                counters are then absent\n"
	     "      --since FILE              deltas per rule against an earlier 'counters\n"
	     "                                --format json' (wraps and restarts handled)\n"
	     "  -v, --verbose                 text: every rule, not only those to act on\n"
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
	     "  -q, --quiet                   no compile warnings (the site's own rules,\n"
	     "                                balancing)\n"
	     "  -h, --help                    this help");
}

int cmd_audit(int argc, char **argv)
{
	return cli_fleet("audit", ACLF_FLEET_AUDIT, argc, argv, help);
}
