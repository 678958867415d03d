#!/bin/bash
# SNMP polling benchmark (run by scripts/bench; never a timed test): N
# agents polled at once through the transport (tests/integration/
# snmp_probe.c, one aclf_snmp_run) against Net-SNMP's own snmpbulkwalk run
# once per agent, one after another, in the same run on the same agents.
# Prints values per second for both and the ratio.
#
#   tests/bench/snmp.sh SNMP_PROBE [SIZES] [SNMPD_SIZES]
#
#  - snmpsim (one process, one community per agent, each the MX960's
#    firewall counter table: 32 packet counts and sysUpTime) for N in SIZES
#    (default 1,10,100,1000);
#  - snmpd on 127.0.0.1 for volume: N sessions (SNMPD_SIZES, default
#    1,10,100) each walking the agent's whole MIB-2 (1.3.6.1.2.1).
# Root (snmpsim drops to nobody, snmpd runs with a private configuration).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "bench snmp: $*" >&2; exit 1; }
. "$here/../integration/snmplib.bash"

PROBE=${1:-}
[ -x "$PROBE" ] || fail "usage: snmp.sh SNMP_PROBE [SIZES] [SNMPD_SIZES]"
SIZES=${2:-1,10,100,1000}
SNMPD_SIZES=${3:-1,10,100}
FIX=$here/../fixtures/snmp
[ "$(id -u)" -eq 0 ] || skip "needs root for snmpsim and snmpd"

snmp_tmp snmpbench
now() { date +%s%N; }

# bench NAME COUNT WALK_ARGS AGENT_SPECS_FILE BULKWALK_ARGS_FILE
# Our run: one probe with all agents; theirs: one snmpbulkwalk per agent.
bench() {
	local name=$1 n=$2 oid=$3 specs=$4 walks=$5 t0 t1 ours theirs vals bvals line
	t0=$(now)
	"$PROBE" -q -t 5000 -r 2 -w "$oid" $(cat "$specs") >"$SNMP_TMP/probe.out" ||
		fail "$name N=$n: $(grep -v '^done' "$SNMP_TMP/probe.out" | head -3)"
	t1=$(now)
	ours=$(( (t1 - t0) / 1000 ))
	vals=$(sed -n 's/^values \([0-9]*\) .*/\1/p' "$SNMP_TMP/probe.out")
	bvals=0
	t0=$(now)
	while read -r line; do
		# shellcheck disable=SC2086
		c=$(snmpbulkwalk -On -Cr25 -t 5 -r 2 $line "$oid" | grep ' = ' | grep -vc 'No more variables left')
		bvals=$((bvals + c))
	done <"$walks"
	t1=$(now)
	theirs=$(( (t1 - t0) / 1000 ))
	[ "$bvals" -eq "$vals" ] || echo "  note: snmpbulkwalk read $bvals values, we read $vals"
	awk -v name="$name" -v n="$n" -v v="$vals" -v o="$ours" -v bv="$bvals" -v t="$theirs" 'BEGIN {
		printf "%-8s N=%-5d %8d values  aclforge %9.0f values/s (%8.1f ms)  snmpbulkwalk x N %9.0f values/s (%9.1f ms)  ratio %6.1fx\n",
			name, n, v, v / (o / 1e6), o / 1e3, bv / (t / 1e6), t / 1e3, t / o }'
}

echo "== snmp: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- snmpsim: many agents ----
DATA=$SNMP_TMP/data
mkdir -p "$DATA"
max=$(echo "$SIZES" | tr ',' '\n' | sort -n | tail -1)
for i in $(seq 0 $((max - 1))); do
	awk -F'|' -v n="$i" '$1 ~ /^1\.3\.6\.1\.4\.1\.2636\.3\.5\.2\.1\.4\./ {
		printf "%s|%s|%.0f\n", $1, $2, $3 * 1000 + n }
		$1 == "1.3.6.1.2.1.1.3.0" { print }' "$FIX/juniper-mx960.snmprec" >"$DATA/a$i.snmprec"
done
snmpsim_start "$DATA" a0
for n in $(echo "$SIZES" | tr ',' ' '); do
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $((n - 1))); do
		echo "a$i=127.0.0.1:$SIM_PORT:2c:a$i" >>"$SNMP_TMP/specs"
		echo "-v2c -c a$i 127.0.0.1:$SIM_PORT" >>"$SNMP_TMP/walks"
	done
	bench snmpsim "$n" 1.3.6.1.4.1.2636.3.5.2.1.4 "$SNMP_TMP/specs" "$SNMP_TMP/walks"
done

# ---- snmpd: volume ----
cat >"$SNMP_TMP/snmpd.conf" <<'EOF'
rocommunity bench 127.0.0.1
EOF
CHECK_ARGS=(-v2c -c bench)
snmpd_start "$SNMP_TMP/snmpd.conf"
for n in $(echo "$SNMPD_SIZES" | tr ',' ' '); do
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $((n - 1))); do
		echo "s$i=127.0.0.1:$SNMPD_PORT:2c:bench" >>"$SNMP_TMP/specs"
		echo "-v2c -c bench 127.0.0.1:$SNMPD_PORT" >>"$SNMP_TMP/walks"
	done
	bench snmpd "$n" 1.3.6.1.2.1 "$SNMP_TMP/specs" "$SNMP_TMP/walks"
done
