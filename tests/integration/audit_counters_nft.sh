#!/bin/bash
# audit with counters on a Linux host of the namespace harness (hosts.bash):
# nftables counters over the host's own snmpd (set up as counters_nft.sh
# does: Net-SNMP snmpd in the host's namespaces as Debian-snmp, the drop-in
# and the writer installed by apply).
#   - apply, then real packets (3 TCP connections to 5061, 4 UDP datagrams
#     to 50000) hit two rules; `audit --format json` over SSH reports those
#     two "in place, used" with the packet counts nftables reports, every
#     other rule but the management ones (SSH, SNMP: the audit's own
#     traffic) "in place, no hits", counters polled over snmp;
#   - `counters --format json` saved, then 2 TCP connections and 3 UDP
#     datagrams more: `audit --since FILE` reports exactly those as deltas
#     (nftables' numbers then minus the file's), no hits since the file's
#     time for the others, not restarted; the text says "no hits since";
#   - snmpd stopped: the audit of the configuration still succeeds (exit
#     0), counters absent with the transport's words.
# Root only (exit 77 otherwise); everything is torn down on exit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/hosts.bash"
. "$here/lab.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces, sshd and snmpd"
BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
[ -x /usr/sbin/snmpd ] || skip "needs /usr/sbin/snmpd"
id Debian-snmp >/dev/null 2>&1 || skip "needs the Debian-snmp user (Debian's snmpd package)"
[ -d /etc/snmp ] || skip "needs /etc/snmp (Debian's snmpd package)"

hosts_up acnt 2
host_listen 1 5061 50000
lab_vars

T=$H_TMP/lab.yaml
TOPO_ADMIN="${H_CADDR[1]}" \
TOPO_RULE='{action: permit, protocol: udp, from: networks.admin_hosts, to: pools.fe-lab, ports: [161], why: "SNMP polling"}' \
	topo "$T"
sed -i "s|^    host: $A1\$|    host: $A1\n    snmp: {version: 2c, community: env:ACLF_T_COMMUNITY}|" "$T"
grep -q "snmp: {version: 2c" "$T" || fail "no snmp settings in $T"
export ACLF_T_COMMUNITY=aclf-$$-a

host_snmpd 1 "$ACLF_T_COMMUNITY"
SNMPD=$H_SNMPD

run "apply with snmp settings" apply "$T" --device fe01-host --yes
rc_is 0
has "fe01-host: applied"

# the rule ids of the two probed ports and of management (from the policy)
ids=$(hin "$H_C" "$BIN" compile "$T" --device fe01-host --format json | /usr/bin/python3 -c '
import ipaddress, json, sys
rules = json.load(sys.stdin)["devices"][0]["filters"][0]["rules"]
def pick(proto, port, src):
    a = ipaddress.ip_address(src)
    return [r["id"] for r in rules if r["protocol"] == proto
            and any(lo <= port <= hi for lo, hi in r["dst_ports"])
            and any(a in ipaddress.ip_network(n) for n in r["src"])]
c, m = sys.argv[1], sys.argv[2]
# the first rule that matches is the one whose counter counts the packet
print(" ".join((pick(*x) or ["-"])[0] for x in
      (("tcp", 5061, c), ("udp", 50000, c), ("tcp", 22, m), ("udp", 161, m))))
' "$H_CLIENT" "${H_CADDR[1]}") || fail "compile --format json"
read -r R5061 R50000 RSSH RSNMP <<<"$ids"
echo "rules: tcp 5061 $R5061, udp 50000 $R50000, ssh $RSSH, snmp $RSNMP"
for r in "$R5061" "$R50000" "$RSSH" "$RSNMP"; do
	case $r in -|*,*) fail "expected one rule per port, got '$ids'" ;; esac
done

# nftables' own packet count of the counter named input.RULE on the host
nft_packets() {
	hin "$H1" nft -j list counters table inet aclforge | /usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    c = o.get("counter")
    if c and c["name"] == sys.argv[1]:
        print(c["packets"])' "input.$1"
}
# audit --format json into $H_TMP/$1.json (more arguments passed on)
audit_json() {
	local f=$1
	shift
	hin "$H_C" "$BIN" audit "$T" --device fe01-host --format json "$@" >"$H_TMP/$f.json" 2>"$H_TMP/$f.err"
	echo $?
}
# the packets audit reports for a rule
audit_packets() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
print([r for r in d["rules"] if r["rule"] == sys.argv[2]][0]["packets"])' "$1" "$2"
}
# wait until the counters the host publishes (refreshed every 5 s) show at
# least the packets nft counts for RULE; the report in $H_TMP/NAME.json
wait_audit() {
	local name=$1 rule=$2 want got rc
	for _ in $(seq 30); do
		want=$(nft_packets "$rule")
		rc=$(audit_json "$name" "${@:3}")
		[ "$rc" -eq 0 ] || fail "audit: exit $rc: $(cat "$H_TMP/$name.err")"
		got=$(audit_packets "$H_TMP/$name.json" "$rule")
		[ "$got" != None ] && [ "$got" -ge "$want" ] && return 0
		sleep 1
	done
	fail "audit never reported nft's $want packets for $rule (last $got)"
}

# ---- packets on two rules; audit reports them as used ----
for _ in 1 2 3; do expect tcp "$A1" 5061 open "$H_CLIENT"; done
for _ in 1 2 3 4; do expect udp "$A1" 50000 open "$H_CLIENT"; done
wait_audit a1 "$R5061"
wait_audit a1 "$R50000"
n5061=$(nft_packets "$R5061")
n50000=$(nft_packets "$R50000")
echo "nft: $R5061 $n5061 packets, $R50000 $n50000 packets"
[ "$n50000" -eq 4 ] || fail "nft counted $n50000 packets for 4 datagrams"
[ "$n5061" -ge 3 ] || fail "nft counted $n5061 packets for 3 connections"
/usr/bin/python3 - "$H_TMP/a1.json" "$R5061" "$n5061" "$R50000" "$n50000" "$RSSH" "$RSNMP" <<'PY' ||
import json, sys
rep = json.load(open(sys.argv[1]))
d = rep["devices"][0]
r5061, n5061, r50000, n50000, rssh, rsnmp = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7]
assert d["device"] == "fe01-host" and d["outcome"] == "no drift", d["outcome"]
c = d["counters"]
assert c["source"] == "snmp" and c["polled_at"] and c["absent"] is None, c
assert d["since"] is None and d["extra"] == [], d
by = {r["rule"]: r for r in d["rules"]}
assert by[r5061]["verdict"] == "in place, used" and by[r5061]["packets"] == n5061, by[r5061]
assert by[r50000]["verdict"] == "in place, used" and by[r50000]["packets"] == n50000, by[r50000]
assert by[r50000]["bytes"] > 0, by[r50000]
others = [r for r in d["rules"] if r["rule"] not in (r5061, r50000, rssh, rsnmp)]
assert others, d["rules"]
for r in others:
    assert r["verdict"] == "in place, no hits" and r["packets"] == 0, r
    assert r["delta_packets"] is None, r
print("audit: %d rules, %s and %s used" % (len(d["rules"]), r5061, r50000))
PY
	fail "audit report with counters"

# ---- a reading saved, more packets: deltas since it ----
hin "$H_C" "$BIN" counters "$T" --device fe01-host --format json >"$H_TMP/before.json" ||
	fail "counters --format json"
at=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["devices"][0]["polled_at"])' "$H_TMP/before.json")
read -r b5061 b50000 <<<"$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
assert d["sys_uptime"] is not None and d["sys_uptime"] > 0, d.get("sys_uptime")
by = {r["rule"]: r["packets"] for r in d["rules"]}
print(by[sys.argv[2]], by[sys.argv[3]])' "$H_TMP/before.json" "$R5061" "$R50000")"
[ "$b50000" = "$n50000" ] || fail "the saved reading has $b50000 packets for $R50000, nft $n50000"
for _ in 1 2; do expect tcp "$A1" 5061 open "$H_CLIENT"; done
for _ in 1 2 3; do expect udp "$A1" 50000 open "$H_CLIENT"; done
wait_audit a2 "$R50000" --since "$H_TMP/before.json"
wait_audit a2 "$R5061" --since "$H_TMP/before.json"
m5061=$(nft_packets "$R5061")
m50000=$(nft_packets "$R50000")
echo "nft now: $R5061 $m5061, $R50000 $m50000; the saved reading: $b5061, $b50000"
/usr/bin/python3 - "$H_TMP/a2.json" "$R5061" "$((m5061 - b5061))" "$R50000" "$((m50000 - b50000))" \
	"$RSSH" "$RSNMP" "$H_TMP/before.json" "$at" <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
r5061, d5061, r50000, d50000, rssh, rsnmp, f, at = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9]
assert d["since"] == {"file": f, "polled_at": at, "restarted": False}, d["since"]
by = {r["rule"]: r for r in d["rules"]}
assert d50000 == 3, d50000
assert by[r50000]["delta_packets"] == 3, by[r50000]
assert by[r5061]["delta_packets"] == d5061 and d5061 >= 2, (by[r5061], d5061)
assert by[r50000]["delta_bytes"] > 0, by[r50000]
for r in d["rules"]:
    if r["rule"] not in (r5061, r50000, rssh, rsnmp):
        assert r["delta_packets"] == 0 and r["delta_bytes"] == 0, r
print("since: %s +%d, %s +%d" % (r5061, d5061, r50000, d50000))
PY
	fail "audit --since report"
run "audit --since, text" audit "$T" --device fe01-host --since "$H_TMP/before.json"
rc_is 0
has "fe01-host: no drift"
has ": in place, no hits (0 packets), no hits since $at"
has "  since: $H_TMP/before.json (polled at $at)"
lacks "restarted"

# ---- snmpd gone: the configuration audited all the same ----
kill "$SNMPD"
wait "$SNMPD" 2>/dev/null
rc=$(audit_json a3)
[ "$rc" -eq 0 ] || fail "audit without snmpd: exit $rc: $(cat "$H_TMP/a3.err")"
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
assert d["outcome"] == "no drift", d["outcome"]
c = d["counters"]
assert c["polled_at"] is None and c["source"] is None and "fe01-host" in c["absent"], c
assert all(r["verdict"] == "in place" and r["packets"] is None for r in d["rules"]), d["rules"][:2]
print("counters absent:", c["absent"])' "$H_TMP/a3.json" || fail "audit without snmpd"
echo "PASS audit_counters_nft"
