#!/bin/bash
# GETBULK max-repetitions halved on tooBig: against a small agent
# (snmp_toobig.py, pysnmp) that answers tooBig above a limit, a walk asked
# at 25 (-m 25, a device's own max-repetitions) retries at 12, 6 and 3 and
# reads the whole table (50 values, equal to the agent's); an agent that
# answers tooBig even at 1 fails with the device, the OID and "error status
# tooBig". Not root-only.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"

PROBE=${ACLF_SNMP_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no snmp_probe binary at '${PROBE}' (ACLF_SNMP_PROBE)"
/usr/bin/python3 -c 'import pysnmp.proto.api' 2>/dev/null || skip "needs python3-pysnmp4"
command -v ss >/dev/null 2>&1 || skip "needs ss"

snmp_tmp snmptoobig
WALK=1.3.6.1.4.1.99999.1

# agent LIMIT: start it, wait until it answers
agent() {
	PORT=$(snmp_free_port)
	: >"$SNMP_TMP/log"
	/usr/bin/python3 "$here/snmp_toobig.py" "$PORT" "$1" "$SNMP_TMP/log" &
	SNMP_PIDS+=($!)
	for i in $(seq 1 50); do
		"$PROBE" -t 200 -r 1 -g "$WALK.1" "x=127.0.0.1:$PORT:2c:public" 2>/dev/null | grep -q 'noSuchObject' &&
			{ : >"$SNMP_TMP/log"; return 0; }
		sleep 0.2
	done
	fail "the tooBig agent does not answer"
}

agent 4
"$PROBE" -m 25 -w "$WALK" "lb=127.0.0.1:$PORT:2c:public" >"$SNMP_TMP/out" || fail "walk: $(cat "$SNMP_TMP/out")"
grep -q '^done lb .*values=50 ' "$SNMP_TMP/out" || fail "walk: $(head -1 "$SNMP_TMP/out")"
for i in 1 17 50; do
	grep -qx "lb $WALK.$i counter64 $((i * 1000))" "$SNMP_TMP/out" || fail "row $i not read"
done
[ "$(head -3 "$SNMP_TMP/log" | tr '\n' ' ')" = "bulk 25 tooBig bulk 12 tooBig bulk 6 tooBig " ] ||
	fail "max-repetitions not halved: $(head -4 "$SNMP_TMP/log" | tr '\n' ' ')"
grep -v '^bulk 3 ok$' "$SNMP_TMP/log" | grep -qv tooBig && fail "after halving: $(sort "$SNMP_TMP/log" | uniq -c)"
[ "$(grep -c '^bulk 3 ok$' "$SNMP_TMP/log")" -eq 17 ] || fail "$(grep -c '^bulk 3 ok$' "$SNMP_TMP/log") requests at 3, expected 17"
echo "ok: tooBig at 25, 12 and 6; the walk read 50 values at 3"

kill "${SNMP_PIDS[@]}" 2>/dev/null
agent 0
"$PROBE" -m 25 -w "$WALK" "lb=127.0.0.1:$PORT:2c:public" >"$SNMP_TMP/out"
[ $? -eq 3 ] || fail "tooBig at 1 not a failure: $(cat "$SNMP_TMP/out")"
grep -q "^fail lb .*lb: 'walk $WALK': udp:127.0.0.1:$PORT: error status (tooBig) Response message would have been too large. (1)" "$SNMP_TMP/out" ||
	fail "tooBig at 1: $(cat "$SNMP_TMP/out")"
[ "$(tr '\n' ' ' <"$SNMP_TMP/log")" = "bulk 25 tooBig bulk 12 tooBig bulk 6 tooBig bulk 3 tooBig bulk 1 tooBig " ] ||
	fail "halving down to 1: $(tr '\n' ' ' <"$SNMP_TMP/log")"
echo "ok: tooBig even at max-repetitions 1 fails with the agent's error status"
echo PASS
