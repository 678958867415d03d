#!/bin/bash
# The SNMP transport and the Junos and BIG-IP counter decoders against
# Debian's snmpsim on 127.0.0.1, each answer checked against Net-SNMP's own
# snmpbulkwalk of the same agent in the same run, decoded here on its own:
#  - Junos: a real MX960's jnxFirewallCounterTable (tests/fixtures/snmp/
#    juniper-mx960.snmprec): every row's filter, counter name, type, packet
#    and byte counts; 32 rows, 21 counters and 11 policers; the raw walk
#    equal to snmpbulkwalk's, OID for OID and value for value, at
#    max-repetitions 25 and 1;
#  - BIG-IP: the made-up recording tests/fixtures/snmp/bigip-ltm.snmprec
#    (/Common/... names, the longest a 128 sub-identifier OID allows);
#  - SNMPv3 through snmpsim (its default user, context = the file name),
#    engine ID discovered once for two runs;
#  - a dead agent (a wrong community: snmpsim stays silent) and a dead
#    SNMPv3 host (engine ID discovery against a closed port) among 100 live
#    agents: every live agent has its answer before the dead ones' first
#    timeout ends, and the dead ones fail with "timeout".
# Driven through tests/integration/snmp_probe.c ($ACLF_SNMP_PROBE). Root
# (snmpsim drops to nobody); exit 77 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root to run snmpsim as nobody"
PROBE=${ACLF_SNMP_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no snmp_probe binary at '${PROBE}' (ACLF_SNMP_PROBE)"
FIX=${ACLF_FIXTURES:-$here/../fixtures}/snmp
for t in snmpbulkwalk snmpget ss /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

snmp_tmp snmpsim
DATA=$SNMP_TMP/data
mkdir -p "$DATA"
cp "$FIX/juniper-mx960.snmprec" "$FIX/bigip-ltm.snmprec" "$DATA/"
# 100 live agents: communities live-000 .. live-099, each the MX960's
# firewall packet counters with that agent's number in every value
# (the recording is sorted by OID, so what awk keeps is too)
for i in $(seq -f %03g 0 99); do
	awk -F'|' -v n="$((10#$i))" '$1 ~ /^1\.3\.6\.1\.4\.1\.2636\.3\.5\.2\.1\.4\./ {
		printf "%s|%s|%.0f\n", $1, $2, $3 * 100 + n }
		$1 == "1.3.6.1.2.1.1.3.0" { print }' "$FIX/juniper-mx960.snmprec" >"$DATA/live-$i.snmprec"
done
[ "$(wc -l <"$DATA/live-000.snmprec")" -eq 33 ] || fail "live agent recording: $(wc -l <"$DATA/live-000.snmprec") lines"
snmpsim_start "$DATA" juniper-mx960
A=127.0.0.1:$SIM_PORT
out=$SNMP_TMP/out
WALK=1.3.6.1.4.1.2636.3.5.2.1

# Independent decoding of `snmpbulkwalk -On` lines: the table's index by
# the MIB's rules, into FILTER|COUNTER|TYPE|PACKETS|BYTES.
decode_junos() {
	/usr/bin/python3 -c '
import sys
rows = {}
entry = [1,3,6,1,4,1,2636,3,5,2,1]
for line in sys.stdin:
    oid, _, val = line.partition(" = ")
    o = [int(x) for x in oid.strip().lstrip(".").split(".")]
    if o[:11] != entry or o[11] not in (4, 5):
        continue
    i = 12
    names = []
    for _ in range(2):
        n = o[i]; names.append(bytes(o[i + 1:i + 1 + n]).decode()); i += 1 + n
    assert i + 1 == len(o), oid
    typ, num = val.strip().split(": ")
    assert typ == "Counter64", typ
    key = (names[0], names[1], o[i])
    rows.setdefault(key, {})[o[11]] = int(num)
for (f, c, t), v in rows.items():
    print(f"{f}|{c}|{t}|{v[4]}|{v[5]}")
'
}

# ---- Junos: decoded rows against snmpbulkwalk ----
"$PROBE" -d junos -w "$WALK" "mx=$A:2c:juniper-mx960" >"$out" || fail "probe: $(cat "$out")"
grep -q '^done mx ' "$out" || fail "no done line: $(cat "$out")"
grep '^mx fwc ' "$out" | sed 's/^mx fwc //' | cut -d'|' -f1-5 | sort >"$SNMP_TMP/ours"
snmpbulkwalk -v2c -c juniper-mx960 -On -Cr25 "$A" "$WALK" | decode_junos | sort >"$SNMP_TMP/theirs"
[ "$(wc -l <"$SNMP_TMP/theirs")" -eq 32 ] || fail "snmpbulkwalk: $(wc -l <"$SNMP_TMP/theirs") rows, expected 32"
diff -u "$SNMP_TMP/theirs" "$SNMP_TMP/ours" || fail "decoded Junos rows differ from snmpbulkwalk's"
[ "$(cut -d'|' -f3 "$SNMP_TMP/ours" | grep -c '^2$')" -eq 21 ] || fail "expected 21 counters"
[ "$(cut -d'|' -f3 "$SNMP_TMP/ours" | grep -c '^3$')" -eq 11 ] || fail "expected 11 policers"
grep -qx 'RE_Protect_ACL|permit-igmp|2|397614989|12730703944' "$SNMP_TMP/ours" ||
	fail "permit-igmp row not decoded as recorded"
echo "ok: 32 Junos firewall counters decoded as snmpbulkwalk reads them"

# ---- the raw walk, OID for OID, at max-repetitions 25 and 1 ----
snmpbulkwalk -v2c -c juniper-mx960 -On -Oe -Ox "$A" "$WALK" |
	/usr/bin/python3 -c '
import sys
vals = []
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.startswith("."):   # a long Hex-STRING goes on over lines
        vals[-1][2] += line
        continue
    oid, _, val = line.partition(" = ")
    typ, _, v = val.partition(": ")
    vals.append([oid.lstrip("."), typ, v])
for oid, typ, v in vals:
    if typ == "Hex-STRING":
        v = v.replace(" ", "").lower()
    elif typ == "STRING":
        v = v.strip("\"").encode().hex()
    print(oid, v)
' >"$SNMP_TMP/walk-theirs"
for rep in 25 1; do
	"$PROBE" -m "$rep" -w "$WALK" "mx=$A:2c:juniper-mx960" >"$out" || fail "probe -m $rep: $(cat "$out")"
	grep '^mx ' "$out" | awk '{print $2, $NF}' >"$SNMP_TMP/walk-ours"
	[ "$(wc -l <"$SNMP_TMP/walk-ours")" -eq 160 ] || fail "-m $rep: $(wc -l <"$SNMP_TMP/walk-ours") values, expected 160"
	diff -u "$SNMP_TMP/walk-theirs" "$SNMP_TMP/walk-ours" >/dev/null ||
		fail "-m $rep: the walk differs from snmpbulkwalk's: $(diff "$SNMP_TMP/walk-theirs" "$SNMP_TMP/walk-ours" | head -5)"
	reqs=$(sed -n 's/^done mx .*requests=\([0-9]*\).*/\1/p' "$out")
	if [ "$rep" = 1 ]; then
		[ "$reqs" -ge 160 ] || fail "-m 1 sent $reqs requests for 160 values"
	else
		[ "$reqs" -le 10 ] || fail "-m 25 sent $reqs requests for 160 values"
	fi
done
echo "ok: the walk equals snmpbulkwalk's at max-repetitions 25 and 1"

# ---- BIG-IP ----
"$PROBE" -d bigip -w 1.3.6.1.4.1.3375.2.2.10.2.3.1 -w 1.3.6.1.4.1.3375.2.2.5.4.3.1 \
	"lb=$A:2c:bigip-ltm" >"$out" || fail "bigip probe: $(cat "$out")"
snmpbulkwalk -v2c -c bigip-ltm -On "$A" 1.3.6.1.4.1.3375.2 | /usr/bin/python3 -c '
import sys
vs, mbr = {}, {}
VS = [1,3,6,1,4,1,3375,2,2,10,2,3,1]
MB = [1,3,6,1,4,1,3375,2,2,5,4,3,1]
def s(o, i):
    n = o[i]
    return bytes(o[i + 1:i + 1 + n]).decode(), i + 1 + n
for line in sys.stdin:
    oid, _, val = line.partition(" = ")
    o = [int(x) for x in oid.strip().lstrip(".").split(".")]
    typ, colon, v = val.strip().partition(": ")
    if not colon:   # "No more variables left in this MIB View"
        continue
    if o[:13] == VS and o[13] in (6, 7, 8, 9, 11, 12):
        name, i = s(o, 14)
        assert i == len(o)
        vs.setdefault(name, {})[o[13]] = int(v)
    elif o[:13] == MB and o[13] in (5, 6, 7, 8, 10, 11):
        pool, i = s(o, 14)
        node, i = s(o, i)
        assert i + 1 == len(o)
        mbr.setdefault((pool, node, o[i]), {})[o[13]] = int(v)
for n, c in vs.items():
    print("vs " + "|".join([n] + [str(c[k]) for k in (6, 7, 8, 9, 11, 12)]))
for (p, n, port), c in mbr.items():
    print("mbr " + "|".join([p, n, str(port)] + [str(c[k]) for k in (5, 6, 7, 8, 10, 11)]))
' | sort >"$SNMP_TMP/theirs"
grep -E '^lb (vs|mbr) ' "$out" | sed 's/^lb //' | sort >"$SNMP_TMP/ours"
[ "$(grep -c '^vs ' "$SNMP_TMP/theirs")" -eq 4 ] && [ "$(grep -c '^mbr ' "$SNMP_TMP/theirs")" -eq 5 ] ||
	fail "snmpbulkwalk of the BIG-IP recording: $(cat "$SNMP_TMP/theirs")"
diff -u "$SNMP_TMP/theirs" "$SNMP_TMP/ours" || fail "decoded BIG-IP rows differ from snmpbulkwalk's"
long=$(grep '^vs /Common/lync-fe-berlin-very-long' "$SNMP_TMP/ours" | cut -d'|' -f1 | sed 's/^vs //')
[ "${#long}" -eq 113 ] || fail "the longest virtual server name has ${#long} characters, expected 113"
echo "ok: 4 virtual servers and 5 pool members decoded as snmpbulkwalk reads them (a 113-character name)"

# ---- SNMPv3 through snmpsim: one engine ID discovery for two runs ----
"$PROBE" -n 2 -c juniper-mx960 -d junos -w "$WALK" "v3=$A:3:simulator:md5:auctoritas:des:privatus" >"$out" ||
	fail "v3 probe: $(cat "$out")"
[ "$(grep -c '^done v3 ' "$out")" -eq 2 ] || fail "v3: two runs expected: $(cat "$out")"
grep -qx 'discoveries 1' "$out" || fail "v3: engine ID discovered more than once: $(grep discoveries "$out")"
[ "$(grep -c '^v3 fwc ' "$out")" -eq 32 ] || fail "v3: $(grep -c '^v3 fwc ' "$out") rows"
echo "ok: SNMPv3 authPriv (MD5/DES) through snmpsim, the engine ID discovered once for two runs"

# ---- dead agents among 100 live ones ----
agents=()
for i in $(seq -f %03g 0 99); do
	agents+=("live-$i=$A:2c:live-$i")
done
CLOSED=$(snmp_free_port)
agents+=("dead-v2c=$A:2c:no-such-community" "dead-v3=127.0.0.1:$CLOSED:3:someone:sha:passphrase1:aes:passphrase2")
TIMEOUT=8000
"$PROBE" -q -t "$TIMEOUT" -r 1 -g 1.3.6.1.2.1.1.3.0 -w 1.3.6.1.4.1.2636.3.5.2.1.4 "${agents[@]}" >"$out"
rc=$?
[ "$rc" -eq 3 ] || fail "exit $rc with dead agents, expected 3: $(tail -5 "$out")"
[ "$(grep -c '^done live-' "$out")" -eq 100 ] || fail "not all live agents answered: $(grep -v '^done' "$out")"
grep -q "^fail dead-v2c ms=.*'walk 1.3.6.1.4.1.2636.3.5.2.1.4\|^fail dead-v2c ms=.*'get 1.3.6.1.2.1.1.3.0" "$out" ||
	fail "dead-v2c: $(grep dead-v2c "$out")"
grep -q "^fail dead-v2c .*timeout: no answer in 1 tries of $TIMEOUT ms" "$out" || fail "dead-v2c: $(grep dead-v2c "$out")"
grep -q "^fail dead-v3 .*'engine ID discovery'.*timeout" "$out" || fail "dead-v3: $(grep dead-v3 "$out")"
# structure: the 100 live agents end first (lines are in the order jobs
# ended), every one before the dead agents' first timeout could end
[ "$(grep -E '^(done|fail) ' "$out" | head -100 | grep -c '^done live-')" -eq 100 ] ||
	fail "a dead agent ended before a live one: $(grep -E '^(done|fail) ' "$out" | head -102 | tail -3)"
last_live=$(grep '^done live-' "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | tail -1)
first_dead=$(grep '^fail dead-' "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | head -1)
[ "$last_live" -lt "$TIMEOUT" ] || fail "the last live agent answered at $last_live ms, after the dead ones' $TIMEOUT ms timeout"
[ "$first_dead" -ge "$TIMEOUT" ] || fail "a dead agent failed at $first_dead ms, before its $TIMEOUT ms timeout"
for i in 000 042 099; do
	grep -q "^done live-$i .*values=33 " "$out" || fail "live-$i: $(grep "live-$i " "$out")"
done
# the same 100 without the dead ones, for the log
"$PROBE" -q -t "$TIMEOUT" -r 1 -g 1.3.6.1.2.1.1.3.0 -w 1.3.6.1.4.1.2636.3.5.2.1.4 "${agents[@]:0:100}" >"$out.alone" ||
	fail "live agents alone: $(grep -v '^done' "$out.alone")"
alone=$(grep '^done live-' "$out.alone" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | tail -1)
echo "ok: 100 live agents done by $last_live ms beside two dead ones (by $alone ms alone); the dead ones failed at $first_dead ms"
# values of the live agents are their own (agent number in every value)
"$PROBE" -g 1.3.6.1.2.1.1.3.0 -w 1.3.6.1.4.1.2636.3.5.2.1.4 "live-007=$A:2c:live-007" "live-008=$A:2c:live-008" >"$out" ||
	fail "two live agents: $(cat "$out")"
want7=$(snmpget -v2c -c live-007 -On -Oqv "$A" 1.3.6.1.4.1.2636.3.5.2.1.4.11.97.110.116.105.45.118.105.114.117.115.101.10.116.99.112.45.118.105.114.117.115.101.2)
grep -qx "live-007 1.3.6.1.4.1.2636.3.5.2.1.4.11.97.110.116.105.45.118.105.114.117.115.101.10.116.99.112.45.118.105.114.117.115.101.2 counter64 $want7" "$out" ||
	fail "live-007's value is not snmpget's $want7"
[ "$want7" = 68401728407 ] || fail "snmpget live-007: $want7"
echo "ok: each live agent's values are its own"
echo PASS
