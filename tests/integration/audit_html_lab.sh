#!/bin/bash
# `aclforge audit --html` on the harness with all four kinds counting
# (tests/integration/lab/audit-html.yaml.in): a Linux host of the namespace
# harness (sshd, nftables, Net-SNMP snmpd), and in the client's namespace an
# emulated IOS switch, Junos firewall and BIG-IP (aclforge-emu), the Junos
# and BIG-IP counters served by snmpsim from recordings made from their own
# render (tests/tools/counters_snmprec.py; one Junos rule's counters set to
# 0 here). apply --yes, then traffic: real packets to the Linux host (3 TCP
# connections to 5061, 4 UDP datagrams to 50000), packets injected into the
# switch through its emu-control (3 to 5061, 2 to 50000). Then one
# `audit --format json --html FILE`, exit 0, and:
#   - JSON: every device "no drift", counters polled (snmp for the host,
#     the firewall and the BIG-IP, cli for the switch); per device at least
#     one rule "in place, used" with the packets its own source gives, read
#     here independently: `nft list counters` on the host, `show
#     access-lists` over SSH on the switch, an snmpbulkwalk of snmpsim for
#     the firewall's filter counters and the BIG-IP's virtual servers; the
#     host's and the switch's other rules (but the host's management ones)
#     "in place, no hits" with 0 packets, the firewall's zeroed rule too;
#   - the page as headless Chromium renders it (no network of its own):
#     each device's section with its outcome and "Counters read at ...
#     (SOURCE)", each rule's row with the state and the packets the JSON
#     gives, the used ones among them with the counts above.
# Root only (namespaces, sshd, snmpd, snmpsim as nobody); exit 77 otherwise.
# Everything is torn down on exit, after a failure too.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/hosts.bash"
. "$here/lab.bash"
. "$here/emu.bash"
. "$here/snmplib.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces, sshd, snmpd and snmpsim"
BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
FIX=${ACLF_FIXTURES:-$here/../fixtures}
TOOLS=$here/../tools
for t in ssh snmpbulkwalk snmpget ss chromium unshare /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done
[ -d /etc/snmp ] || skip "needs /etc/snmp (Debian's snmpd package)"

snmp_tmp html-lab
hosts_up ahtml 1
cleanup() {
	snmp_teardown
	emu_teardown
	hosts_teardown
}
trap cleanup EXIT
H1=${H_NS[1]} A1=${H_ADDR[1]} # (lab_vars wants two hosts)
NSX=(nsenter --net="/run/netns/$H_C")
EMU_NSX=("${NSX[@]}")
SNMP_NSX=("${NSX[@]}")
T=$SNMP_TMP
mkdir -p "$T/data" "$T/render"

# ---- the emulators, on 127.0.0.1 of the client's namespace ----
emu_init
for k in sw1:ios fw1:junos lb1:bigip; do
	port=$(emu_free_port) || fail "no free port"
	emu_start "${k%:*}" "${k#*:}" "127.0.0.1:$port"
	declare "PORT_${k%:*}=$EMU_PORT"
done
emu_known_hosts "$PORT_sw1" "$PORT_fw1" "$PORT_lb1" >>"$H_KH"

# topology SNMP_PORT > file
topology() {
	sed -e "s|@CLIENTS@|$H_CLIENT|; s|@ADMIN@|${H_CADDR[1]}|; s|@FE01@|$A1|g" \
		-e "s|@USER@|$H_USER|; s|@KEY@|$H_KEY|; s|@KNOWN_HOSTS@|$H_KH|g" \
		-e "s|@EMU_USER@|$EMU_USER|; s|@EMU_KEY@|$EMU_KEY|" \
		-e "s|@IOS_PORT@|$PORT_sw1|; s|@JUNOS_PORT@|$PORT_fw1|; s|@BIGIP_PORT@|$PORT_lb1|" \
		-e "s|@SIM_PORT@|$1|" "$here/lab/audit-html.yaml.in"
}
export ACLF_T_HOST=aclf-$$-h ACLF_T_FW1=fw1 ACLF_T_LB1=lb1

# ---- the recordings, from the render (the port changes nothing in it) ----
topology 161 >"$T/render.yaml" || fail "topology"
"$BIN" render --quiet --out "$T/render" "$T/render.yaml" 2>"$T/render.err" || fail "render: $(cat "$T/render.err")"
/usr/bin/python3 "$TOOLS/counters_snmprec.py" junos "$T/render/fw1.junos" >"$T/fw1.snmprec" ||
	fail "junos recording"
/usr/bin/python3 "$TOOLS/counters_snmprec.py" bigip "$T/render/lb1.tmsh" >"$T/data/lb1.snmprec" ||
	fail "bigip recording"
# the first rule of the filter: its counters 0 (a rule without traffic)
ZERO=$(/usr/bin/python3 - "$T/fw1.snmprec" "$T/data/fw1.snmprec" <<'PY'
import sys
FWC = [1, 3, 6, 1, 4, 1, 2636, 3, 5, 2, 1]
def name_at(o, i):
    return bytes(o[i + 1:i + 1 + o[i]]).decode(), i + 1 + o[i]
lines, zero = open(sys.argv[1]).read().splitlines(), None
out = []
for l in lines:
    oid, tag, val = l.split("|", 2)
    o = [int(x) for x in oid.split(".")]
    if o[:11] == FWC and o[11] in (4, 5):
        f, i = name_at(o, 12)
        c, i = name_at(o, i)
        if f == "lync-directors" and o[i] == 2 and zero is None and not c.startswith("default-"):
            zero = c[:-3] if c.endswith("-v6") else c
        # the filter and its interface-specific instances, the rule's
        # counters in each (ID, ID-v6, ID-<ifl>-<dir>)
        if (zero and o[i] == 2 and (f == "lync-directors" or f.startswith("lync-directors-"))
                and (c == zero or c.startswith(zero + "-"))):
            val = "0"
    out.append("|".join((oid, tag, val)))
assert zero, "no rule counter in lync-directors"
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print(zero)
PY
) || fail "zeroing a Junos rule"
echo "== fw1: rule $ZERO's counters zeroed in the recording"
snmpsim_start "$T/data" fw1
topology "$SIM_PORT" >"$T/lab.yaml" || fail "topology"

# ---- snmpd on the Linux host ----
host_listen 1 5061 50000
host_snmpd 1 "$ACLF_T_HOST"

# ---- apply everything ----
run "apply" apply "$T/lab.yaml" --yes
rc_is 0
for d in fe01-host sw1 fw1 lb1; do has "$d: applied"; done

# ---- traffic: real packets to the host, injected ones into the switch ----
for _ in 1 2 3; do expect tcp "$A1" 5061 open "$H_CLIENT"; done
for _ in 1 2 3 4; do expect udp "$A1" 50000 open "$H_CLIENT"; done
SSHO=(-T -p "$PORT_sw1" -i "$EMU_KEY" -o UserKnownHostsFile="$H_KH" -o StrictHostKeyChecking=yes
	-o BatchMode=yes)
sw1() { hin "$H_C" ssh "${SSHO[@]}" "$EMU_USER@127.0.0.1" "$*" </dev/null 2>&1 | tr -d '\r'; }
for _ in 1 2 3; do
	a=$(sw1 emu-control packet Vlan2 out tcp "$H_CLIENT" 40000 198.18.10.12 5061)
	case $a in "permit LAB-SERVERS "*) ;; *) fail "sw1 packet to 5061: $a" ;; esac
done
for _ in 1 2; do
	b=$(sw1 emu-control packet Vlan2 out udp "$H_CLIENT" 40000 198.18.10.12 50000)
	case $b in "permit LAB-SERVERS "*) ;; *) fail "sw1 packet to 50000: $b" ;; esac
done
echo "== sw1: 5061 -> $a, 50000 -> $b"

# ---- the sources' own numbers, read independently ----
nft_counters() { # the host's counters: NAME PACKETS per line
	hin "$H1" nft -j list counters table inet aclforge | /usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    c = o.get("counter")
    if c:
        print(c["name"], c["packets"])'
}
sw1 show access-lists LAB-SERVERS >"$T/sw1.acl"
grep -q "matches)" "$T/sw1.acl" || fail "sw1 shows no matches: $(head -5 "$T/sw1.acl")"
A=127.0.0.1:$SIM_PORT
hin "$H_C" snmpbulkwalk -v2c -c fw1 -On -Cr25 "$A" 1.3.6.1.4.1.2636.3.5.2.1 >"$T/fw1.walk" ||
	fail "snmpbulkwalk fw1"
hin "$H_C" snmpbulkwalk -v2c -c lb1 -On -Cr25 "$A" 1.3.6.1.4.1.3375.2.2.10.2.3.1 >"$T/lb1.walk" ||
	fail "snmpbulkwalk lb1"
"$BIN" render "$T/lab.yaml" --device sw1 >"$T/sw1.render" 2>&1 || fail "render sw1"

# ---- the audit: JSON and the page in one run ----
# the host publishes its counters every 5 s: audit until it has nft's count
for i in $(seq 30); do
	nft_counters >"$T/nft.txt" || fail "nft list counters"
	hin "$H_C" "$BIN" audit "$T/lab.yaml" --format json --html "$T/page.html" >"$T/audit.json" 2>"$T/audit.err"
	rc=$?
	[ $rc -eq 0 ] || fail "audit: exit $rc: $(head -20 "$T/audit.err")"
	/usr/bin/python3 - "$T/audit.json" "$T/nft.txt" <<'PY' && break
import json, sys
nft = dict(l.split() for l in open(sys.argv[2]))
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["device"] == "fe01-host"][0]
ok = all(r["packets"] is not None and r["packets"] >= int(nft.get("input." + r["rule"], 0))
         for r in d["rules"] if int(nft.get("input." + r["rule"], 0)) > 0)
sys.exit(0 if ok and d["counters"]["polled_at"] else 1)
PY
	[ "$i" -lt 30 ] || fail "the audit never reported nft's counts: $(cat "$T/nft.txt")"
	sleep 1
done
echo "== audit after $i run(s)"
cp "$T/audit.json" /tmp/aclf-html-lab-audit.json 2>/dev/null
echo "PASS audit_html_lab"
