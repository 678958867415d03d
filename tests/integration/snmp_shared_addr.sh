#!/bin/bash
# Many devices behind one agent address: 300 sessions to one Net-SNMP snmpd
# on 127.0.0.1 (two communities, one of them seeing the system group only),
# polled in one run with one try per request: requests in flight are capped
# per address (ACLF_SNMP_ADDR_INFLIGHT), so snmpd's socket buffer never
# overflows: every device is done, no try timed out (resends=0 everywhere),
# each device's values are its community's, equal to snmpbulkwalk's (the
# columns of sysORTable and of ifTable walked two at a time in one GETBULK),
# and the run takes less than 300 times one device alone. Two devices at a
# closed port beside them (another address) time out on their own, after
# the 300 are done.
# Driven through tests/integration/snmp_probe.c ($ACLF_SNMP_PROBE).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root to run snmpd"
PROBE=${ACLF_SNMP_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no snmp_probe binary at '${PROBE}' (ACLF_SNMP_PROBE)"
for t in snmpd snmpget snmpbulkwalk ss /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

snmp_tmp snmpaddr
cat >"$SNMP_TMP/snmpd.conf" <<'EOF'
view all included .1
view sys included .1.3.6.1.2.1.1
rocommunity full 127.0.0.1 -V all
rocommunity sysonly 127.0.0.1 -V sys
EOF
CHECK_ARGS=(-v2c -c full)
snmpd_start "$SNMP_TMP/snmpd.conf"
A=127.0.0.1:$SNMPD_PORT
out=$SNMP_TMP/out
# two columns of sysORTable (sysORID, sysORDescr), two of ifTable (ifDescr,
# ifType): values that do not move while the test runs
WALKS=(1.3.6.1.2.1.1.9.1.2 1.3.6.1.2.1.1.9.1.3 1.3.6.1.2.1.2.2.1.2 1.3.6.1.2.1.2.2.1.3)
TIMEOUT=3000
ARGS=(-t "$TIMEOUT" -r 1)
for w in "${WALKS[@]}"; do
	ARGS+=(-w "$w")
done

# what snmpbulkwalk reads per community, as "OID VALUE" (strings in hex)
for c in full sysonly; do
	for w in "${WALKS[@]}"; do
		snmpbulkwalk -v2c -c "$c" -On -Oe "$A" "$w"
	done | /usr/bin/python3 -c '
import sys
for line in sys.stdin:
    oid, sep, val = line.rstrip("\n").partition(" = ")
    if not sep:
        continue
    typ, colon, v = val.partition(": ")
    if not colon:   # "No Such Object ..." or "No more variables ..."
        continue
    if typ == "STRING":
        v = v.strip("\"").encode().hex()
    elif typ == "Hex-STRING":
        v = v.replace(" ", "").lower()
    elif typ == "OID":
        v = v.lstrip(".")
    print(oid.lstrip("."), v)
' | sort >"$SNMP_TMP/ref-$c"
done
nfull=$(wc -l <"$SNMP_TMP/ref-full")
nsys=$(wc -l <"$SNMP_TMP/ref-sysonly")
[ "$nsys" -ge 4 ] || fail "snmpbulkwalk of sysORTable: $nsys values"
[ "$nfull" -ge $((nsys + 2)) ] || fail "snmpbulkwalk of sysORTable and ifTable: $nfull values"

# ---- one device alone ----
"$PROBE" "${ARGS[@]}" "one=$A:2c:full" >"$out" || fail "one device: $(head -3 "$out")"
one=$(sed -n 's/^done one ms=\([0-9]*\) .*/\1/p' "$out")
grep -q "^done one .*values=$nfull requests=2 resends=0" "$out" ||
	fail "one device: $(head -1 "$out") (expected $nfull values in 2 requests)"
grep '^one ' "$out" | awk '{print $2, $NF}' | sort | diff -u "$SNMP_TMP/ref-full" - ||
	fail "one device's values differ from snmpbulkwalk's"

# ---- 300 devices at that address, 2 at a closed port ----
agents=()
for i in $(seq -f %03g 0 299); do
	if [ $((10#$i % 3)) -eq 0 ]; then
		agents+=("sys-$i=$A:2c:sysonly")
	else
		agents+=("full-$i=$A:2c:full")
	fi
done
CLOSED=$(snmp_free_port)
agents+=("dead-1=127.0.0.1:$CLOSED:2c:full" "dead-2=127.0.0.1:$CLOSED:2c:full")
"$PROBE" "${ARGS[@]}" "${agents[@]}" >"$out"
rc=$?
[ "$rc" -eq 3 ] || fail "exit $rc with two dead devices, expected 3: $(grep -v '^done' "$out" | head -5)"
[ "$(grep -c '^done \(full\|sys\)-' "$out")" -eq 300 ] ||
	fail "$(grep -c '^done \(full\|sys\)-' "$out") of 300 devices done: $(grep '^fail' "$out" | head -3)"
[ "$(grep '^done ' "$out" | grep -vc ' resends=0$')" -eq 0 ] ||
	fail "tries timed out: $(grep '^done ' "$out" | grep -v ' resends=0$' | head -3)"
[ "$(grep -c "^done full-.* values=$nfull requests=[0-9]* resends=0$" "$out")" -eq 200 ] ||
	fail "community full: $(grep '^done full-' "$out" | grep -v "values=$nfull " | head -3)"
[ "$(grep -c "^done sys-.* values=$nsys requests=[0-9]* resends=0$" "$out")" -eq 100 ] ||
	fail "community sysonly: $(grep '^done sys-' "$out" | grep -v "values=$nsys " | head -3)"
for d in 1 2; do
	grep -q "^fail dead-$d ms=.*timeout: no answer in 1 tries of $TIMEOUT ms" "$out" ||
		fail "dead-$d: $(grep "dead-$d" "$out")"
done
# every device's values are its community's: each reference line comes
# once per device of that community, and nothing else
for c in full sys; do
	n=200 ref=$SNMP_TMP/ref-full
	[ $c = sys ] && n=100 ref=$SNMP_TMP/ref-sysonly
	awk -v n="$n" '{ print n, $0 }' "$ref" >"$SNMP_TMP/want-$c"
	grep "^$c-" "$out" | awk '{print $2, $NF}' | sort | uniq -c | awk '{ print $1, $2, $3 }' |
		diff -u "$SNMP_TMP/want-$c" - >/dev/null ||
		fail "devices of community $c: values differ from snmpbulkwalk's: $(grep "^$c-" "$out" | awk '{print $2, $NF}' | sort | uniq -c | head -3)"
done
# two GETBULKs a device (the two tables), a few more for the first ones
# of the run (snmpd answers genErr past the end of community sysonly's view
# to a GETBULK of two columns: asked again for fewer)
reqs=$(grep '^done ' "$out" | sed 's/.* requests=\([0-9]*\) .*/\1/' | awk '{ s += $1 } END { print s }')
[ "$reqs" -le 700 ] || fail "$reqs requests for 300 devices"
last=$(grep '^done ' "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | tail -1)
dead=$(grep '^fail dead-' "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | head -1)
[ "$last" -lt $((300 * (one > 0 ? one : 1))) ] ||
	fail "300 devices took $last ms, one alone $one ms: no faster than one after another"
[ "$last" -lt "$TIMEOUT" ] || fail "the last live device was done at $last ms, after the dead ones' $TIMEOUT ms timeout"
[ "$dead" -ge "$TIMEOUT" ] || fail "a dead device failed at $dead ms, before its $TIMEOUT ms timeout"
echo "ok: 300 devices at one snmpd address done by $last ms in $reqs requests (one alone: $one ms), no try timed out, values as snmpbulkwalk's; two dead devices failed at $dead ms"
echo PASS
