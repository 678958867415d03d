#!/bin/bash
# nftables counters over the host's own snmpd, in the namespace harness
# (hosts.bash): a real Net-SNMP snmpd runs in the host's network and mount
# namespaces as Debian-snmp (as Debian's unit runs it: -u Debian-snmp, pid
# in /run/snmpd.pid), with a configuration that reads
# /etc/snmp/snmpd.conf.d/ like Debian's stock one (the host's own copy).
#   - apply with snmp settings installs the drop-in, the reader and the
#     root counter writer and reloads snmpd (SIGHUP): the host answers for
#     the counters at once, every rule zero but the management ones;
#   - real packets (TCP connections to 5061, UDP datagrams to 50000) hit two
#     rules; `aclforge counters` then reports for every rule exactly what
#     `nft -j list counters table inet aclforge` says on the host, those two
#     rules with the packets sent and zero for every rule but the two and
#     the management ones (SSH, SNMP);
#   - the writer stopped: its counters turn stale and the report says so
#     (exit 3) instead of old numbers.
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

hosts_up cnt 2 # the lab names two hosts; the second stays as it is
host_listen 1 5061 50000
lab_vars

T=$H_TMP/lab.yaml
TOPO_ADMIN="${H_CADDR[1]}" \
TOPO_RULE='{action: permit, protocol: udp, from: networks.admin_hosts, to: pools.fe-lab, ports: [161], why: "SNMP polling"}' \
	topo "$T"
sed -i "s|^    host: $A1\$|    host: $A1\n    snmp: {version: 2c, community: env:ACLF_T_COMMUNITY}|" "$T"
grep -q "snmp: {version: 2c" "$T" || fail "no snmp settings in $T"
export ACLF_T_COMMUNITY=aclf-$$-c

# ---- snmpd in the host's namespaces, as Debian-snmp ----
host_snmpd 1 "$ACLF_T_COMMUNITY"
[ "$(ps -o user= -p "$(nsenter -t "${H_SSHD[1]}" -m -r -w cat /run/snmpd.pid)")" = Debian-snmp ] ||
	fail "snmpd does not run as Debian-snmp"

# ---- before apply: no extend, a clear error ----
run "counters before apply" counters "$T" --device fe01-host
rc_is 3
has "no extend 'aclforge-nft'"

# ---- apply: published at once ----
run "apply with snmp settings" apply "$T" --device fe01-host --yes
rc_is 0
has "fe01-host: applied"
[ -f "$H_TMP/own.1/etc-snmp/snmpd.conf.d/aclforge.conf" ] || fail "no drop-in in the host's /etc/snmp/snmpd.conf.d"
[ ! -e /etc/snmp/snmpd.conf.d/aclforge.conf ] || fail "the machine's own /etc/snmp was written"
grep -q "^extend aclforge-nft " "$H_TMP/own.1/etc-snmp/snmpd.conf.d/aclforge.conf" || fail "drop-in: $(cat "$H_TMP/own.1/etc-snmp/snmpd.conf.d/aclforge.conf")"

# nft's own numbers on the host: COUNTER PACKETS per line
nft_counts() {
	hin "$H1" nft -j list counters table inet aclforge | /usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    c = o.get("counter")
    if c:
        print(c["name"], c["packets"], c["bytes"])'
}
# aclforge counters' numbers: COUNTER PACKETS per rule (the chain.id name)
aclf_counts() {
	hin "$H_C" "$BIN" counters "$T" --device fe01-host --format json >"$H_TMP/c.json" 2>"$H_TMP/c.err" ||
		{ echo "exit $?: $(cat "$H_TMP/c.err")"; return 1; }
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
assert d["name"] == "fe01-host" and d["driver"] == "nftables" and d["polled_at"], d
assert not d["errors"], d["errors"]
for r in d["rules"]:
    assert r["source"] == "snmp" and len(r["instances"]) == 1, r
    i = r["instances"][0]
    print(i["counter"], r["packets"], r["bytes"])' "$H_TMP/c.json"
}

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

# at once after apply: the host answers; the probed rules have not counted yet
got=$(aclf_counts) || fail "counters after apply: $got"
printf '%s\n' "$got" | grep -q "^input\.$R5061 0 0$" || fail "5061 rule not zero after apply: $got"
printf '%s\n' "$got" | grep -q "^input\.$R50000 0 0$" || fail "50000 rule not zero after apply: $got"

# ---- real packets: 3 TCP connections to 5061, 4 UDP datagrams to 50000 ----
for _ in 1 2 3; do expect tcp "$A1" 5061 open "$H_CLIENT"; done
for _ in 1 2 3 4; do expect udp "$A1" 50000 open "$H_CLIENT"; done

# the writer refreshes every 5 s: wait until the report has the numbers
# nftables has now for both probed rules (a refresh between two of the
# connections shows some of them only, so "more than zero" is not enough)
want=
count_of() { awk -v n="input.$1" '$1 == n { print $2 }'; }
for _ in $(seq 30); do
	want=$(nft_counts | sort)
	got=$(aclf_counts | sort) || fail "counters: $got"
	n5061=$(printf '%s\n' "$want" | count_of "$R5061")
	n50000=$(printf '%s\n' "$want" | count_of "$R50000")
	if [ "${n5061:-0}" -gt 0 ] && [ "$(printf '%s\n' "$got" | count_of "$R5061")" = "$n5061" ] &&
		[ "$(printf '%s\n' "$got" | count_of "$R50000")" = "$n50000" ]; then
		break
	fi
	sleep 1
done
echo "nft:      $(echo $want)"
echo "aclforge: $(echo $got)"
# every rule as nft says, but the management rules (SSH and SNMP count the
# polling itself, between the two readings)
filter_mgmt() { grep -v -e "^input\.$RSSH " -e "^input\.$RSNMP "; }
[ "$(printf '%s\n' "$want" | grep '^input\.r' | filter_mgmt)" = "$(printf '%s\n' "$got" | filter_mgmt)" ] ||
	fail "aclforge counters differ from nft"
p5061=$(printf '%s\n' "$got" | awk -v n="input.$R5061" '$1 == n { print $2 }')
p50000=$(printf '%s\n' "$got" | awk -v n="input.$R50000" '$1 == n { print $2 }')
[ "$p5061" -ge 3 ] || fail "5061 rule counted $p5061 packets for 3 connections"
[ "$p50000" -eq 4 ] || fail "50000 rule counted $p50000 packets for 4 datagrams"
others=$(printf '%s\n' "$got" | filter_mgmt | grep -v -e "^input\.$R5061 " -e "^input\.$R50000 " |
	awk '$2 != 0')
[ -z "$others" ] || fail "rules that nothing hit have counts: $others"
[ "$(printf '%s\n' "$got" | wc -l)" -gt 4 ] || fail "too few rules reported: $got"

# ---- the writer stopped: stale counters are an error, not old numbers ----
wpid=$(nsenter -t "${H_SSHD[1]}" -m -r -w cat /run/aclforge/write.pid)
tr '\000' ' ' </proc/"$wpid"/cmdline | grep -q "nft-counters-write" || fail "no writer at pid $wpid"
kill "$wpid"
nsenter -t "${H_SSHD[1]}" -m -r -w sh -c 'f=/run/aclforge/nft-counters; sed -i "1s/written [0-9]*/written 1000/" "$f"' ||
	fail "age the counters file"
sleep 6 # snmpd keeps an extend's output for 5 s (nsExtendCacheTime)
run "counters with a stopped writer" counters "$T" --device fe01-host
rc_is 3
has "the counters are stale"
echo "PASS counters_nft"
