#!/bin/bash
# SNMP polling benchmark (run by scripts/bench; never a timed test): N
# agents polled at once through the transport (tests/integration/
# snmp_probe.c, one aclf_snmp_run) against Net-SNMP's own snmpbulkwalk run
# once per agent, one after another, in the same run on the same agents.
# Prints values per second for both and the ratio.
#
#   tests/bench/snmp.sh SNMP_PROBE [SIZES] [SNMPD_SIZES]
#
#  - snmpsim (one community per agent, each the MX960's firewall counter
#    table: 32 packet counts) for N in SIZES (default 1,10,100,1000); the
#    agents spread over ACLF_BENCH_SNMPSIM_PROCS processes (default: the
#    number of CPUs; snmpsim is one single-threaded Python process) and at
#    most ACLF_BENCH_SNMPSIM_INFLIGHT requests out at once (default 32: more
#    only queue up in snmpsim);
#  - snmpd on 127.0.0.1 as N agents (N sessions, N in SIZES), each walked
#    for SNMPv2-MIB's snmp group (1.3.6.1.2.1.11: 30 Counter32 values):
#    the same counter poll from an agent fast enough that the ratio
#    measures the poller, not the agent (snmpsim spends about 7 ms of CPU
#    per agent);
#  - snmpd on 127.0.0.1 for volume: N sessions (SNMPD_SIZES, default
#    1,10,100) each walking the agent's whole MIB-2 (1.3.6.1.2.1).
# All snmpd sessions share one snmpd, whose socket buffer drops requests
# beyond a few hundred queued (each lost one costs a 5 s timeout): at most
# ACLF_BENCH_SNMPD_INFLIGHT (default 32) are out at once.
# Both sides ask with the same max-repetitions, ACLF_BENCH_SNMP_MAXREP
# (default 25, the transport's default). Each line also gives the CPU the
# agent processes spent per agent polled (ours; snmpbulkwalk's) and the
# CPU of our own process: when the agent's CPU over the machine's CPUs is
# what our run took, the agent is the limit.
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

MAXREP=${ACLF_BENCH_SNMP_MAXREP:-25}
SNMPD_INFLIGHT=${ACLF_BENCH_SNMPD_INFLIGHT:-32}
AGENT_PIDS=()
# CPU ticks (1/100 s) the agent processes in AGENT_PIDS have used so far
agent_ticks() {
	local p t=0
	for p in "${AGENT_PIDS[@]}"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}

# bench NAME COUNT WALK_ARGS AGENT_SPECS_FILE BULKWALK_ARGS_FILE INFLIGHT
# Our run: one probe with all agents; theirs: one snmpbulkwalk per agent.
bench() {
	local name=$1 n=$2 oid=$3 specs=$4 walks=$5 inflight=$6 t0 t1 ours theirs vals bvals line
	local a0 a1 ag_ours ag_theirs cpu TIMEFORMAT='%U %S'
	# untimed, so that neither side pays the agent's cold caches (snmpd
	# fills its table caches on first use)
	# shellcheck disable=SC2046
	snmpbulkwalk -On -Cr"$MAXREP" -t 5 -r 2 $(head -1 "$walks") "$oid" >/dev/null 2>&1
	a0=$(agent_ticks)
	t0=$(now)
	# shellcheck disable=SC2046
	{ time "$PROBE" -q -i "$inflight" -m "$MAXREP" -t 5000 -r 2 -w "$oid" $(cat "$specs") \
		>"$SNMP_TMP/probe.out"; } 2>"$SNMP_TMP/probe.time" ||
		fail "$name N=$n: $(grep -v '^done' "$SNMP_TMP/probe.out" | head -3)"
	t1=$(now)
	a1=$(agent_ticks)
	ag_ours=$((a1 - a0))
	cpu=$(awk '{ print $1 + $2 }' "$SNMP_TMP/probe.time")
	ours=$(( (t1 - t0) / 1000 ))
	vals=$(sed -n 's/^values \([0-9]*\) .*/\1/p' "$SNMP_TMP/probe.out")
	bvals=0
	a0=$(agent_ticks)
	t0=$(now)
	while read -r line; do
		# shellcheck disable=SC2086
		c=$(snmpbulkwalk -On -Cr"$MAXREP" -t 5 -r 2 $line "$oid" | grep ' = ' | grep -vc 'No more variables left')
		bvals=$((bvals + c))
	done <"$walks"
	t1=$(now)
	a1=$(agent_ticks)
	ag_theirs=$((a1 - a0))
	theirs=$(( (t1 - t0) / 1000 ))
	[ "$bvals" -eq "$vals" ] || echo "  note: snmpbulkwalk read $bvals values, we read $vals"
	awk -v name="$name" -v n="$n" -v v="$vals" -v o="$ours" -v bv="$bvals" -v t="$theirs" \
		-v ao="$ag_ours" -v at="$ag_theirs" -v cpu="$cpu" 'BEGIN {
		printf "%-10s N=%-5d %8d values  aclforge %9.0f values/s (%8.1f ms)  snmpbulkwalk x N %9.0f values/s (%9.1f ms)  ratio %6.1fx\n",
			name, n, v, v / (o / 1e6), o / 1e3, bv / (t / 1e6), t / 1e3, t / o
		printf "%-10s          agent CPU per agent polled: ours %.2f ms, snmpbulkwalk %.2f ms; our CPU %.0f ms (%.2f us/value)\n",
			"", ao * 10 / n, at * 10 / n, cpu * 1e3, v ? cpu * 1e6 / v : 0 }'
}

echo "== snmp: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- snmpsim: many agents ----
PROCS=${ACLF_BENCH_SNMPSIM_PROCS:-$(nproc)}
max=$(echo "$SIZES" | tr ',' '\n' | sort -n | tail -1)
ports=()
for p in $(seq 0 $((PROCS - 1))); do
	mkdir -p "$SNMP_TMP/data$p"
	for i in $(seq "$p" "$PROCS" $((max - 1))); do
		awk -F'|' -v n="$i" '$1 ~ /^1\.3\.6\.1\.4\.1\.2636\.3\.5\.2\.1\.4\./ {
			printf "%s|%s|%.0f\n", $1, $2, $3 * 1000 + n }
			$1 == "1.3.6.1.2.1.1.3.0" { print }' "$FIX/juniper-mx960.snmprec" >"$SNMP_TMP/data$p/a$i.snmprec"
	done
	snmpsim_start "$SNMP_TMP/data$p" "a$p"
	ports+=("$SIM_PORT")
done
for f in "${SIM_PIDFILES[@]}"; do
	AGENT_PIDS+=("$(cat "$f")")
done
echo "   snmpsim: $PROCS processes, max-repetitions $MAXREP"
for n in $(echo "$SIZES" | tr ',' ' '); do
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $((n - 1))); do
		port=${ports[$((i % PROCS))]}
		echo "a$i=127.0.0.1:$port:2c:a$i" >>"$SNMP_TMP/specs"
		echo "-v2c -c a$i 127.0.0.1:$port" >>"$SNMP_TMP/walks"
	done
	bench snmpsim "$n" 1.3.6.1.4.1.2636.3.5.2.1.4 "$SNMP_TMP/specs" "$SNMP_TMP/walks" \
		"${ACLF_BENCH_SNMPSIM_INFLIGHT:-32}"
done

# ---- snmpd: many agents, then volume ----
# one community: each rocommunity line costs snmpd a little on every request
echo "rocommunity bench 127.0.0.1" >"$SNMP_TMP/snmpd.conf"
CHECK_ARGS=(-v2c -c bench)
snmpd_start "$SNMP_TMP/snmpd.conf"
AGENT_PIDS=("${SNMP_PIDS[@]}")
for n in $(echo "$SIZES" | tr ',' ' '); do
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $((n - 1))); do
		echo "s$i=127.0.0.1:$SNMPD_PORT:2c:bench" >>"$SNMP_TMP/specs"
		echo "-v2c -c bench 127.0.0.1:$SNMPD_PORT" >>"$SNMP_TMP/walks"
	done
	bench snmpd/snmp "$n" 1.3.6.1.2.1.11 "$SNMP_TMP/specs" "$SNMP_TMP/walks" "$SNMPD_INFLIGHT"
done
for n in $(echo "$SNMPD_SIZES" | tr ',' ' '); do
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $((n - 1))); do
		echo "s$i=127.0.0.1:$SNMPD_PORT:2c:bench" >>"$SNMP_TMP/specs"
		echo "-v2c -c bench 127.0.0.1:$SNMPD_PORT" >>"$SNMP_TMP/walks"
	done
	bench snmpd/mib2 "$n" 1.3.6.1.2.1 "$SNMP_TMP/specs" "$SNMP_TMP/walks" "$SNMPD_INFLIGHT"
done
