#!/bin/bash
# Apply at scale (run by scripts/bench; never a timed test): N emulated IOS
# switches (one aclforge-emu process, one port per device, --delay-ms 50 on
# every command: a realistic device round trip), each given the lab policy
# (tests/integration/lab/ios.yaml.in, one device per port), applied with
# `aclforge apply --yes --parallel 1` and `--parallel 32`, interleaved: for
# each size the two runs alternate (REPS times), each on a freshly started
# emulator so that every run really changes every device.
#
#   tests/bench/apply.sh ACLFORGE ACLFORGE_EMU [SIZES] [REPS]
#
# SIZES: device counts, default 1,10,50,200; REPS: runs per size and
# parallelism, default 1 (ACLF_BENCH_APPLY_REPS). ACLF_BENCH_APPLY_PARALLEL
# sets the two parallelisms (default 1,32); ACLF_BENCH_APPLY_DELAY_MS the
# emulator's latency (default 50).
#
# Every run's result is checked: exit 0 and every device "applied", and
# afterwards each device's running configuration (the emulator's state
# file) carries the new list; a run that is not is a failure (exit 1), not
# a number. Prints per run the wall time, aclforge's user+sys CPU and the
# emulator's, and per size the speed-up (median of p1 / median of p32).
# Loopback only; no root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "bench apply: $*" >&2; exit 1; }
. "$here/../integration/emu.bash"
trap emu_teardown EXIT

BIN=${1:-}
ACLF_EMU=${2:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "usage: apply.sh ACLFORGE ACLFORGE_EMU [SIZES] [REPS]"
SIZES=${3:-1,10,50,200}
REPS=${4:-${ACLF_BENCH_APPLY_REPS:-1}}
PARS=${ACLF_BENCH_APPLY_PARALLEL:-1,32}
DELAY=${ACLF_BENCH_APPLY_DELAY_MS:-50}
TICK=$(getconf CLK_TCK)

emu_init
export ACLF_EMU

# topology N PORT: N switches sw0..swN-1 on ports PORT.., the lab's policy
topology() {
	local n=$1 port=$2 i
	sed -n '/^devices:/q;p' "$here/../integration/lab/ios.yaml.in"
	echo "devices:"
	for i in $(seq 0 $((n - 1))); do
		cat <<EOF
  sw$i:
    driver: ios
    host: 127.0.0.1
    ssh: {user: $EMU_USER, port: $((port + i)), key: $EMU_KEY, known_hosts: $EMU_TMP/known_hosts}
    protects:
      - {pools: [fe-lab], interface: Vlan110, direction: out, name: LAB-SERVERS}
      - {networks: [clients], interface: Vlan20, direction: out, name: LAB-CLIENTS}
EOF
	done
	sed -n '/^rules:/,$p' "$here/../integration/lab/ios.yaml.in"
}

# cpu PID: user+sys of a process in ms (clock ticks in /proc/PID/stat)
cpu() {
	awk -v t="$TICK" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / t }' "/proc/$1/stat"
}

# run N P: one run on a fresh emulator; prints its line and appends
# "N P WALL_MS CPU_MS EMU_CPU_MS" to $EMU_TMP/results
run() {
	local n=$1 p=$2 port name out rc wall user sys ms cms ems i st
	name=e$n.p$p.$RANDOM
	port=$(emu_free_port) || fail "no free port"
	emu_start "$name" ios "127.0.0.1:$port-$((port + n - 1))" --delay-ms "$DELAY"
	# shellcheck disable=SC2046
	emu_known_hosts $(seq "$EMU_PORT" $((EMU_PORT + n - 1))) >"$EMU_TMP/known_hosts"
	topology "$n" "$EMU_PORT" >"$EMU_TMP/t.yaml"
	out=$EMU_TMP/apply.json
	# bash's `time`: wall, and the user and sys CPU of aclforge
	TIMEFORMAT='%3R %3U %3S'
	{ time "$BIN" apply "$EMU_TMP/t.yaml" --yes --parallel "$p" --format json \
		>"$out" 2>"$EMU_TMP/apply.err"; } 2>"$EMU_TMP/time"
	rc=$?
	read -r wall user sys <"$EMU_TMP/time" || fail "N=$n p=$p: no time: $(cat "$EMU_TMP/time")"
	ems=$(cpu "$EMU_PID")
	[ "$rc" -eq 0 ] || fail "N=$n p=$p: exit $rc: $(head -5 "$EMU_TMP/apply.err")"
	/usr/bin/python3 - "$out" "$n" >"$EMU_TMP/check" 2>&1 <<'PY' ||
import json, sys
rep = json.load(open(sys.argv[1]))
devs = rep["devices"]
bad = [d for d in devs if d.get("outcome") != "applied"]
if len(devs) != int(sys.argv[2]) or bad:
    print(len(devs), "devices,", len(bad), "not applied:",
          "; ".join("%s %s %s" % (d.get("device"), d.get("outcome"), d.get("error", "")) for d in bad[:3]))
    sys.exit(1)
PY
		fail "N=$n p=$p: $(cat "$EMU_TMP/check")"
	for i in $(seq 0 $((n - 1))); do
		st=$(emu_state "$name" $((EMU_PORT + i)))
		grep -q '^ip access-list extended LAB-SERVERS' "$st" 2>/dev/null &&
			grep -q '^ ip access-group LAB-SERVERS' "$st" ||
			fail "N=$n p=$p: sw$i's running configuration lacks the new list or its binding"
	done
	emu_stop "$name" "$EMU_PID"
	rm -rf "${EMU_TMP:?}/$name.state"
	ms=$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')
	cms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
	echo "$n $p $ms $cms $ems" >>"$EMU_TMP/results"
	awk -v n="$n" -v p="$p" -v w="$ms" -v c="$cms" -v e="$ems" 'BEGIN {
		printf "apply  N=%-4d --parallel %-3d %8.2f s wall   CPU user+sys: aclforge %6.2f s, emulator %6.2f s\n",
			n, p, w / 1000, c / 1000, e / 1000 }'
}

echo "== apply: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), emulator --delay-ms $DELAY"
: >"$EMU_TMP/results"
IFS=, read -r -a par <<<"$PARS"
for n in $(echo "$SIZES" | tr ',' ' '); do
	for _ in $(seq 1 "$REPS"); do
		for p in "${par[@]}"; do
			run "$n" "$p"
		done
	done
	awk -v n="$n" -v a="${par[0]}" -v b="${par[1]:-${par[0]}}" '
		function median(v, k,   i, j, t) {
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
		$1 == n && $2 == a { x[++nx] = $3 }
		$1 == n && $2 == b { y[++ny] = $3 }
		END { if (a != b && nx && ny) printf "speed-up N=%-4d --parallel %d vs %d: %.1fx (median %.2f s vs %.2f s)\n",
			n, b, a, median(x, nx) / median(y, ny), median(x, nx) / 1000, median(y, ny) / 1000 }' \
		"$EMU_TMP/results"
done
