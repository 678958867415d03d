#!/bin/bash
# What `aclforge counters` asks of a BIG-IP's agent (never a timed test):
# requests and values of the driver's walks (snmp_probe -W bigip: the
# columns the report shows, side by side per table) against walks of the
# two whole statistics entries (what it walked before), on snmpsim serving
#  - tests/fixtures/snmp/bigip-ltm.snmprec (the decoder's made-up agent:
#    7 of a virtual's columns, 9 of a member's);
#  - a generated agent of N virtual servers with 2 pool members each,
#    every column of both entries (tests/bench/bigip_snmprec.py; N from
#    the second argument, default 500).
# sysUpTime, which `counters` walks too (one more request and value), is
# not counted on either side.
#
#   tests/bench/snmp_bigip.sh SNMP_PROBE [N]
# Root (snmpsim drops to nobody).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "bench snmp_bigip: $*" >&2; exit 1; }
. "$here/../integration/snmplib.bash"

PROBE=${1:-}
N=${2:-500}
[ -x "$PROBE" ] || fail "usage: snmp_bigip.sh SNMP_PROBE [N]"
[ "$(id -u)" -eq 0 ] || skip "needs root for snmpsim"

snmp_tmp snmpbigip
mkdir -p "$SNMP_TMP/data"
cp "$here/../fixtures/snmp/bigip-ltm.snmprec" "$SNMP_TMP/data/"
/usr/bin/python3 "$here/bigip_snmprec.py" "$N" >"$SNMP_TMP/data/lb$N.snmprec" || fail "recording"
snmpsim_start "$SNMP_TMP/data" bigip-ltm

# poll NAME COMMUNITY WALK_ARGS...: "values V requests R"
poll() {
	local name=$1 comm=$2
	shift 2
	"$PROBE" -q -t 5000 -r 2 "$@" "lb=127.0.0.1:$SIM_PORT:2c:$comm" >"$SNMP_TMP/out" ||
		fail "$name: $(cat "$SNMP_TMP/out")"
	sed -n 's/^values \([0-9]*\) .* requests \([0-9]*\) .*/values \1 requests \2/p' "$SNMP_TMP/out"
}

for comm in bigip-ltm "lb$N"; do
	before=$(poll "$comm entries" "$comm" -w 1.3.6.1.4.1.3375.2.2.10.2.3.1 -w 1.3.6.1.4.1.3375.2.2.5.4.3.1)
	after=$(poll "$comm columns" "$comm" -W bigip)
	printf '%-10s whole entries: %-28s the columns: %s\n' "$comm" "$before" "$after"
done
