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
#    number of CPUs; snmpsim is one single-threaded Python process);
#  - snmpsim/fwc at the largest N: the same agents with the byte counts
#    too (64 values each), read as `aclforge counters` reads a Junos
#    device (its two columns side by side in one GETBULK) against
#    snmpbulkwalk of the table;
#  - snmpd on 127.0.0.1 as N agents (N sessions, N in SIZES), each walked
#    for SNMPv2-MIB's snmp group (1.3.6.1.2.1.11: 30 Counter32 values):
#    the same counter poll from an agent fast enough that the ratio
#    measures the poller, not the agent (snmpsim spends several ms of CPU
#    per agent);
#  - snmpd on 127.0.0.1 for volume: N sessions (SNMPD_SIZES, default
#    1,10,100) each walking the agent's whole MIB-2 (1.3.6.1.2.1).
# Each side asks as it would by default: we with the transport's own
# max-repetitions (ACLF_SNMP_PDU_VARBINDS over the columns, fewer once
# another agent's walk of the same table has shown its size) and its cap of
# requests in flight per agent address (ACLF_SNMP_ADDR_INFLIGHT; one
# snmpd, one address per snmpsim process); snmpbulkwalk with Net-SNMP's
# defaults (max-repetitions 10). ACLF_BENCH_SNMP_MAXREP sets one
# max-repetitions for both sides, ACLF_BENCH_SNMP_PERADDR our cap per
# address. Each line also gives the CPU the agent processes spent per agent
# polled (ours; snmpbulkwalk's), our requests per agent (and tries that
# timed out) and the CPU of our own process: when the agent's CPU over the
# machine's CPUs is what our run took, the agent is the limit.
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

OURS=()
THEIRS=()
if [ -n "${ACLF_BENCH_SNMP_MAXREP:-}" ]; then
	OURS+=(-m "$ACLF_BENCH_SNMP_MAXREP")
	THEIRS+=(-Cr"$ACLF_BENCH_SNMP_MAXREP")
fi
[ -n "${ACLF_BENCH_SNMP_PERADDR:-}" ] && OURS+=(-a "$ACLF_BENCH_SNMP_PERADDR")
AGENT_PIDS=()
# CPU ticks (1/100 s) the agent processes in AGENT_PIDS have used so far
agent_ticks() {
	local p t=0
	for p in "${AGENT_PIDS[@]}"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}

# bench NAME COUNT WALK_OIDS AGENT_SPECS_FILE BULKWALK_ARGS_FILE [TABLE]
# Our run: one probe with all agents walking WALK_OIDS (space-separated);
# theirs: one snmpbulkwalk per agent of TABLE (default: the one WALK_OID).
bench() {
	local name=$1 n=$2 oids=$3 specs=$4 walks=$5 table=${6:-$3} t0 t1 ours theirs vals bvals line
	local a0 a1 ag_ours ag_theirs cpu reqs resends w TIMEFORMAT='%U %S' wargs=()
	for w in $oids; do
		wargs+=(-w "$w")
	done
	# untimed, so that neither side pays the agent's cold caches (snmpd
	# fills its table caches on first use)
	# shellcheck disable=SC2046
	snmpbulkwalk -On "${THEIRS[@]}" -t 5 -r 2 $(head -1 "$walks") "$table" >/dev/null 2>&1
	a0=$(agent_ticks)
	t0=$(now)
	# shellcheck disable=SC2046
	{ time "$PROBE" -q "${OURS[@]}" -t 5000 -r 2 "${wargs[@]}" $(cat "$specs") \
		>"$SNMP_TMP/probe.out"; } 2>"$SNMP_TMP/probe.time" ||
		fail "$name N=$n: $(grep -v '^done' "$SNMP_TMP/probe.out" | head -3)"
	t1=$(now)
	a1=$(agent_ticks)
	ag_ours=$((a1 - a0))
	cpu=$(awk '{ print $1 + $2 }' "$SNMP_TMP/probe.time")
	ours=$(( (t1 - t0) / 1000 ))
	vals=$(sed -n 's/^values \([0-9]*\) .*/\1/p' "$SNMP_TMP/probe.out")
	reqs=$(sed -n 's/^values .* requests \([0-9]*\) .*/\1/p' "$SNMP_TMP/probe.out")
	resends=$(sed -n 's/^values .* resends \([0-9]*\)$/\1/p' "$SNMP_TMP/probe.out")
	bvals=0
	a0=$(agent_ticks)
	t0=$(now)
	while read -r line; do
		# shellcheck disable=SC2086
		c=$(snmpbulkwalk -On "${THEIRS[@]}" -t 5 -r 2 $line "$table" | grep ' = ' | grep -vc 'No more variables left')
		bvals=$((bvals + c))
	done <"$walks"
	t1=$(now)
	a1=$(agent_ticks)
	ag_theirs=$((a1 - a0))
	theirs=$(( (t1 - t0) / 1000 ))
	[ "$bvals" -eq "$vals" ] || echo "  note: snmpbulkwalk read $bvals values, we read $vals"
	awk -v name="$name" -v n="$n" -v v="$vals" -v o="$ours" -v bv="$bvals" -v t="$theirs" \
		-v ao="$ag_ours" -v at="$ag_theirs" -v cpu="$cpu" -v rq="$reqs" -v rs="$resends" 'BEGIN {
		printf "%-12s N=%-5d %8d values  aclforge %9.0f values/s (%8.1f ms)  snmpbulkwalk x N %9.0f values/s (%9.1f ms)  ratio %6.1fx\n",
			name, n, v, v / (o / 1e6), o / 1e3, bv / (t / 1e6), t / 1e3, t / o
		printf "%-12s          agent CPU per agent polled: ours %.2f ms, snmpbulkwalk %.2f ms; our requests per agent %.2f (%d tries timed out); our CPU %.0f ms (%.2f us/value)\n",
			"", ao * 10 / n, at * 10 / n, rq / n, rs, cpu * 1e3, v ? cpu * 1e6 / v : 0 }'
}

echo "== snmp: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- snmpsim: many agents ----
PROCS=${ACLF_BENCH_SNMPSIM_PROCS:-$(nproc)}
# ACLF_BENCH_SNMPSIM_V2C=1: snmpsim's lighter SNMPv1/v2c responder (no
# SNMPv3 engine; the benchmark polls v2c only), less of the agent's CPU per
# request for both sides; by default snmpsim runs as installed
[ "${ACLF_BENCH_SNMPSIM_V2C:-0}" = 1 ] && SIM_ARGS=(--v2c-arch)
max=$(echo "$SIZES" | tr ',' '\n' | sort -n | tail -1)
FWC=1.3.6.1.4.1.2636.3.5.2.1
# sim_start COLUMNS: snmpsim processes serving max agents a0.. (each the
# recording's rows of those jnxFWCounterTable columns, the agent's number
# in every value); ports in PORTS, pids in AGENT_PIDS
sim_start() {
	local p i
	ports=()
	AGENT_PIDS=()
	for p in $(seq 0 $((PROCS - 1))); do
		rm -rf "$SNMP_TMP/data$p"
		mkdir -p "$SNMP_TMP/data$p"
		for i in $(seq "$p" "$PROCS" $((max - 1))); do
			awk -F'|' -v n="$i" -v cols="$1" '$1 ~ "^1\\.3\\.6\\.1\\.4\\.1\\.2636\\.3\\.5\\.2\\.1\\.(" cols ")\\." {
				printf "%s|%s|%.0f\n", $1, $2, $3 * 1000 + n }
				$1 == "1.3.6.1.2.1.1.3.0" { print }' "$FIX/juniper-mx960.snmprec" >"$SNMP_TMP/data$p/a$i.snmprec"
		done
		snmpsim_start "$SNMP_TMP/data$p" "a$p"
		ports+=("$SIM_PORT")
		AGENT_PIDS+=("$(cat "$SIM_PIDFILE")")
	done
}
sim_specs() {
	local i port
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $(($1 - 1))); do
		port=${ports[$((i % PROCS))]}
		echo "a$i=127.0.0.1:$port:2c:a$i" >>"$SNMP_TMP/specs"
		echo "-v2c -c a$i 127.0.0.1:$port" >>"$SNMP_TMP/walks"
	done
}
sim_stop() {
	local f p
	for f in "${SIM_PIDFILES[@]}"; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		kill "$p" 2>/dev/null
		while kill -0 "$p" 2>/dev/null; do
			sleep 0.2
		done
		: >"$f" # stopped: nothing for snmp_teardown to stop
	done
}
sim_start 4
echo "   snmpsim: $PROCS processes"
for n in $(echo "$SIZES" | tr ',' ' '); do
	sim_specs "$n"
	bench snmpsim "$n" "$FWC.4" "$SNMP_TMP/specs" "$SNMP_TMP/walks"
done
# the packet and byte columns, as the Junos driver reads them
sim_stop
sim_start '4|5'
sim_specs "$max"
bench snmpsim/fwc "$max" "$FWC.4 $FWC.5" "$SNMP_TMP/specs" "$SNMP_TMP/walks" "$FWC"

# ---- snmpd: many agents, then volume ----
# one community: each rocommunity line costs snmpd a little on every request
echo "rocommunity bench 127.0.0.1" >"$SNMP_TMP/snmpd.conf"
CHECK_ARGS=(-v2c -c bench)
snmpd_start "$SNMP_TMP/snmpd.conf"
AGENT_PIDS=("${SNMP_PIDS[@]}")
snmpd_specs() {
	local i
	: >"$SNMP_TMP/specs"
	: >"$SNMP_TMP/walks"
	for i in $(seq 0 $(($1 - 1))); do
		echo "s$i=127.0.0.1:$SNMPD_PORT:2c:bench" >>"$SNMP_TMP/specs"
		echo "-v2c -c bench 127.0.0.1:$SNMPD_PORT" >>"$SNMP_TMP/walks"
	done
}
for n in $(echo "$SIZES" | tr ',' ' '); do
	snmpd_specs "$n"
	bench snmpd/snmp "$n" 1.3.6.1.2.1.11 "$SNMP_TMP/specs" "$SNMP_TMP/walks"
done
for n in $(echo "$SNMPD_SIZES" | tr ',' ' '); do
	snmpd_specs "$n"
	bench snmpd/mib2 "$n" 1.3.6.1.2.1 "$SNMP_TMP/specs" "$SNMP_TMP/walks"
done
