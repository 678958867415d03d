#!/bin/bash
# `aclforge counters` for an IOS switch: per-entry matches over SSH
# (aclforge-emu --kind ios on 127.0.0.1) and interface totals over SNMP
# (Debian's snmpsim serving the recorded Catalyst 3560 IF-MIB,
# tests/fixtures/snmp/cisco-c3560-ifmib.snmprec), topology
# tests/integration/lab/ios-counters.yaml.in:
#  - apply the policy, inject packets through the emulator's emu-control
#    that hit two entries (one an object-group service entry); the rules
#    those entries belong to are read here from the rendered list (the
#    remark before them, IOS numbering entries 10, 20, ...), not from
#    aclforge's mapping; the JSON report gives exactly those counts for
#    those rules, source cli, bytes null, and 0 for every other rule;
#  - Vlan2's and Vlan3's totals are what an independent snmpget of the
#    agent gives for the ifIndex an snmpbulkwalk of ifDescr names;
#  - an entry changed by hand at the sequence number of one of the rules
#    gives a note naming it, and no count for that rule (even with a
#    match on the changed entry); the other rule keeps its count;
#  - a second switch without snmp settings, read in parallel: its rules
#    all found with 0, a note that its interface totals were not read;
#  - snmp settings whose community does not resolve: exit 2, the CLI
#    counts still reported;
#  - the topology's snmp timeout_ms and retries are the session's: a dead
#    agent with timeout_ms 200 and retries 0 fails within a second (the
#    defaults would wait 3 s), exit 3, the CLI counts still reported.
# Root (snmpsim drops to nobody); exit 77 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"
. "$here/emu.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root to run snmpsim as nobody"
BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
FIX=${ACLF_FIXTURES:-$here/../fixtures}
for t in ssh snmpbulkwalk snmpget ss /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

snmp_tmp counters-ios
trap 'snmp_teardown; emu_teardown' EXIT
emu_init
T=$SNMP_TMP
mkdir -p "$T/data"
cp "$FIX/snmp/cisco-c3560-ifmib.snmprec" "$T/data/sw1.snmprec"
snmpsim_start "$T/data" sw1
export ACLF_T_SW1=sw1

# a second switch without snmp settings, read at the same time as sw1
port=$(emu_free_port) || fail "no free port"
emu_start sw2 ios "127.0.0.1:$port"
PORT2=$EMU_PORT PID2=$EMU_PID
port=$(emu_free_port) || fail "no free port"
emu_start sw1 ios "127.0.0.1:$port"
emu_known_hosts "$EMU_PORT" "$PORT2" >"$EMU_TMP/known_hosts"
# topology SNMP_PORT TIMEOUT RETRIES [two] > file
topology() {
	sed -e "s|@USER@|$EMU_USER|" -e "s|@PORT@|$EMU_PORT|" -e "s|@KEY@|$EMU_KEY|" \
		-e "s|@KNOWN_HOSTS@|$EMU_TMP/known_hosts|" -e "s|@SNMP_PORT@|$1|" \
		-e "s|@TIMEOUT@|$2|" -e "s|@RETRIES@|$3|" "$here/lab/ios-counters.yaml.in" |
		sed '/^rules:/,$d'
	if [ "${4:-}" = two ]; then
		cat <<EOF
  sw2:
    driver: ios
    host: 127.0.0.1
    ssh: {user: $EMU_USER, port: $PORT2, key: $EMU_KEY, known_hosts: $EMU_TMP/known_hosts}
    protects:
      - {pools: [fe-lab], interface: Vlan2, direction: out, name: LAB-SERVERS}
      - {networks: [clients], interface: Vlan3, direction: out, name: LAB-CLIENTS}
EOF
	fi
	sed -n '/^rules:/,$p' "$here/lab/ios-counters.yaml.in"
}
topology "$SIM_PORT" 1000 2 two >"$T/lab.yaml" || fail "topology"

SSHO=(-T -p "$EMU_PORT" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/known_hosts"
	-o StrictHostKeyChecking=yes -o BatchMode=yes)
ctl() {
	local out
	out=$(ssh "${SSHO[@]}" "$EMU_USER@127.0.0.1" "emu-control $*" </dev/null 2>&1) || { echo "$out"; return 1; }
	printf '%s\n' "$out" | tr -d '\r'
}

"$BIN" apply "$T/lab.yaml" --yes >"$T/apply.out" 2>&1 || fail "apply: $(tail -20 "$T/apply.out")"
"$BIN" render "$T/lab.yaml" --device sw1 >"$T/render.txt" 2>&1 || fail "render: $(cat "$T/render.txt")"

# owner LIST SEQ: the rule id the rendered list gives entry SEQ (the remark
# before it), and whether that entry names an object-group service
owner() {
	/usr/bin/python3 - "$T/render.txt" "$1" "$2" <<'PY'
import sys
text, lst, seq = open(sys.argv[1]).read().splitlines(), sys.argv[2], int(sys.argv[3])
inside, n, rid = False, 0, None
for l in text:
    if l.startswith("ip access-list extended "):
        inside = l.split()[3] == lst
        n, rid = 0, None
        continue
    if not inside or not l.startswith(" "):
        inside = inside and l.startswith(" ")
        continue
    w = l.split()
    if w[0] == "remark":
        rid = w[1]
        continue
    n += 1
    if n * 10 == seq:
        print(rid, "svc" if w[1] == "object-group" else "plain")
        break
PY
}

# three packets to a front-end server's SIP port, two to its media range
for i in 1 2 3; do
	A=$(ctl packet Vlan2 out tcp 198.18.20.5 40000 198.18.1.11 5061) || fail "emu-control: $A"
done
set -- $A
[ "$1 $2" = "permit LAB-SERVERS" ] || fail "the SIP packet: $A"
SEQ1=$3
for i in 1 2; do
	B=$(ctl packet Vlan2 out udp 198.18.20.7 40000 198.18.1.12 50000) || fail "emu-control: $B"
done
set -- $B
[ "$1 $2" = "permit LAB-SERVERS" ] || fail "the media packet: $B"
SEQ2=$3
[ "$SEQ1" != "$SEQ2" ] || fail "both packets hit entry $SEQ1"
set -- $(owner LAB-SERVERS "$SEQ1")
R1=$1 K1=${2:-}
set -- $(owner LAB-SERVERS "$SEQ2")
R2=$1
[ -n "$R1" ] && [ -n "$R2" ] && [ "$R1" != "$R2" ] || fail "owners of $SEQ1 and $SEQ2: '$R1' '$R2'"
[ "$K1" = svc ] || fail "entry $SEQ1 ($R1) is not an object-group service entry"
echo "== entry $SEQ1 is $R1 (object-group service), entry $SEQ2 is $R2"

# the agent's own numbers for Vlan2 and Vlan3
A=127.0.0.1:$SIM_PORT
snmpbulkwalk -v2c -c sw1 -On -Oq "$A" 1.3.6.1.2.1.2.2.1.2 >"$T/descr" || fail "snmpbulkwalk"
ifnum() {
	local idx
	idx=$(awk -v n="$1" '$2 == n || $2 == "\"" n "\"" { sub(/.*\./, "", $1); print $1 }' "$T/descr")
	[ -n "$idx" ] || fail "no ifDescr $1"
	echo "$(snmpget -v2c -c sw1 -On -Oqv "$A" "1.3.6.1.2.1.31.1.1.1.7.$idx") $(snmpget -v2c -c sw1 -On -Oqv "$A" "1.3.6.1.2.1.31.1.1.1.6.$idx")"
}
IF2=$(ifnum Vlan2)
IF3=$(ifnum Vlan3)

"$BIN" counters "$T/lab.yaml" --format json >"$T/c1.json" 2>"$T/c1.err"
rc=$?
[ $rc -eq 0 ] || fail "counters exit $rc: $(cat "$T/c1.err")"
/usr/bin/python3 - "$T/c1.json" "$R1" "$R2" "$IF2" "$IF3" <<'PY' || fail "report 1"
import json, sys
rep, r1, r2 = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
ifs = {"Vlan2": [int(x) for x in sys.argv[4].split()], "Vlan3": [int(x) for x in sys.argv[5].split()]}
d, d2 = rep["devices"]
assert d2["name"] == "sw2" and d2["polled_at"], d2
assert d2["errors"] == ["no 'snmp' settings: interface totals not read"], d2["errors"]
assert d2["interfaces"] == [] and len(d2["rules"]) == len(d["rules"]), d2
assert all(r["packets"] == 0 and r["source"] == "cli" for r in d2["rules"]), d2["rules"]
assert d["name"] == "sw1" and d["driver"] == "ios" and d["polled_at"], d
assert d["errors"] == [], d["errors"]
seen = set()
for r in d["rules"]:
    assert r["source"] == "cli" and r["bytes"] is None, r
    want = {("LAB-SERVERS", r1): 3, ("LAB-SERVERS", r2): 2}.get((r["filter"], r["rule"]), 0)
    assert r["packets"] == want, (r["filter"], r["rule"], r["packets"], want)
    seen.add((r["filter"], r["rule"]))
assert ("LAB-SERVERS", r1) in seen and ("LAB-SERVERS", r2) in seen
assert [i["name"] for i in d["interfaces"]] == ["Vlan2", "Vlan3"], d["interfaces"]
for i in d["interfaces"]:
    assert i["source"] == "snmp", i
    assert [i["in_packets"], i["in_octets"]] == ifs[i["name"]], (i, ifs[i["name"]])
print("== report: %d rules, %s=3 %s=2, interfaces %s" % (len(d["rules"]), r1, r2, ifs))
PY
"$BIN" counters "$T/lab.yaml" --device sw1 >"$T/c1.txt" 2>&1 || fail "counters text: $(cat "$T/c1.txt")"
grep -q "^  LAB-SERVERS $R1: packets 3 bytes - (cli)$" "$T/c1.txt" || fail "text: $(head -20 "$T/c1.txt")"
grep -q "^  interface Vlan2: packets in ${IF2% *} octets in ${IF2#* } (snmp)$" "$T/c1.txt" ||
	fail "text interfaces: $(grep interface "$T/c1.txt")"

# a hand change at the second rule's entry, and a match on it
LINE=$(awk -v s="$SEQ2" '$1 == s { $1 = ""; sub(/^ /, ""); print; exit }' \
	<(ssh "${SSHO[@]}" "$EMU_USER@127.0.0.1" "show access-lists LAB-SERVERS" </dev/null | tr -d '\r' |
		sed 's/ ([0-9]* match[es]*)//'))
[ -n "$LINE" ] || fail "no entry $SEQ2 shown"
NEW=$(echo "$LINE" | sed 's/range 49152 65535/range 49152 65000/')
[ "$NEW" != "$LINE" ] || fail "entry $SEQ2 is not the media range: $LINE"
{
	echo "configure terminal"
	echo "ip access-list extended LAB-SERVERS"
	echo "no $SEQ2"
	echo "$SEQ2 $NEW"
	echo "end"
	echo "exit"
} | ssh "${SSHO[@]}" "$EMU_USER@127.0.0.1" >"$T/config.out" 2>&1 || fail "config: $(cat "$T/config.out")"
B=$(ctl packet Vlan2 out udp 198.18.20.7 40000 198.18.1.12 50000)
[ "$B" = "permit LAB-SERVERS $SEQ2" ] || fail "after the change: $B: $(cat "$T/config.out")"
"$BIN" counters "$T/lab.yaml" --device sw1 --format json >"$T/c2.json" 2>"$T/c2.err" || fail "counters 2: $(cat "$T/c2.err")"
/usr/bin/python3 - "$T/c2.json" "$R1" "$R2" "$SEQ2" <<'PY' || fail "report 2"
import json, sys
d, = json.load(open(sys.argv[1]))["devices"]
r1, r2, seq = sys.argv[2], sys.argv[3], sys.argv[4]
rules = {(r["filter"], r["rule"]): r for r in d["rules"]}
assert rules[("LAB-SERVERS", r1)]["packets"] == 3
assert rules[("LAB-SERVERS", r2)]["packets"] is None, rules[("LAB-SERVERS", r2)]
notes = [e for e in d["errors"] if "rule '%s'" % r2 in e]
assert len(notes) == 1, d["errors"]
n = notes[0]
assert "entry %s of list 'LAB-SERVERS' is" % seq in n and "range 49152 65000 (1 match)" in n, n
assert "not the intended" in n and "range 49152 65535" in n and "not counted" in n, n
print("== note:", n)
PY

# snmp settings that do not resolve: exit 2, the CLI counts still read
env -u ACLF_T_SW1 "$BIN" counters "$T/lab.yaml" --device sw1 --format json >"$T/c4.json" 2>"$T/c4.err"
rc=$?
[ $rc -eq 2 ] || fail "unset community: exit $rc, expected 2: $(cat "$T/c4.err")"
grep -q "ACLF_T_SW1" "$T/c4.err" || fail "unset community not named: $(cat "$T/c4.err")"
/usr/bin/python3 - "$T/c4.json" "$R1" <<'PY' || fail "report 4"
import json, sys
d, = json.load(open(sys.argv[1]))["devices"]
rules = {(r["filter"], r["rule"]): r for r in d["rules"]}
assert rules[("LAB-SERVERS", sys.argv[2])]["packets"] == 3
assert any("ACLF_T_SW1" in e for e in d["errors"]), d["errors"]
PY

# a dead agent with a short timeout and no retry: the session's settings
DEAD=$(snmp_free_port)
topology "$DEAD" 200 0 >"$T/dead.yaml" || fail "topology"
t0=$(date +%s%N)
"$BIN" counters "$T/dead.yaml" --format json >"$T/c3.json" 2>"$T/c3.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "== dead agent: exit $rc after $ms ms: $(head -3 "$T/c3.err")"
[ $rc -eq 3 ] || fail "dead agent: exit $rc, expected 3"
grep -q "timeout" "$T/c3.err" || fail "dead agent: no timeout named: $(cat "$T/c3.err")"
/usr/bin/python3 - "$T/c3.json" "$R1" <<'PY' || fail "report 3"
import json, sys
d, = json.load(open(sys.argv[1]))["devices"]
rules = {(r["filter"], r["rule"]): r for r in d["rules"]}
assert rules[("LAB-SERVERS", sys.argv[2])]["packets"] == 3, "the CLI counts are still reported"
assert d["interfaces"] == [], d["interfaces"]
PY
# snmp timing from the topology: one 200 ms try, not 3 tries of 1 s (the
# time also holds an SSH session to the emulator and ASan's start)
SSH_MS=$( { t0=$(date +%s%N); topology "$DEAD" 1000 2 >"$T/slow.yaml";
	"$BIN" counters "$T/slow.yaml" >/dev/null 2>&1; echo $((($(date +%s%N) - t0) / 1000000)); } )
echo "== the same with the defaults (1000 ms, 2 retries): $SSH_MS ms"
[ "$SSH_MS" -ge 3000 ] || fail "defaults took $SSH_MS ms, expected at least 3000"
[ $((SSH_MS - ms)) -ge 2000 ] || fail "timeout_ms 200 retries 0 took $ms ms, the defaults $SSH_MS ms"

emu_stop sw1 "$EMU_PID"
emu_stop sw2 "$PID2"
echo "PASS"
