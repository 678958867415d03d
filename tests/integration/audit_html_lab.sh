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
#     the firewall's filter counters and the BIG-IP's virtual servers (its
#     lb_services: packets in); the host's and the switch's other rules (but
#     the host's management ones) "in place, no hits" with 0 packets, the
#     firewall's zeroed rule too, the rule and the virtual server the
#     recordings leave out "in place" without a count;
#   - `audit -v` text for the BIG-IP: one line per lb service with the
#     JSON's verdict, packets, connections and why;
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
[ -s "$T/page.html" ] || fail "no page written"

# the text report names the BIG-IP's services as the JSON does, with the
# recording's packets and connections (it does not change between runs)
hin "$H_C" "$BIN" audit "$T/lab.yaml" --device lb1 -v >"$T/audit_lb1.txt" 2>"$T/audit.err" ||
	fail "audit lb1 text: $(head -20 "$T/audit.err")"
/usr/bin/python3 - "$T/audit.json" "$T/audit_lb1.txt" <<'PY' || fail "lb1 text against JSON: $(cat "$T/audit_lb1.txt")"
import json, re, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["device"] == "lb1"][0]
lines = [l for l in open(sys.argv[2]).read().split("\n") if re.match(r"  lb [^ ]+: ", l)]
want = []
for s in d["lb_services"]:
    l = "  lb %s: %s" % (s["service"], s["verdict"])
    if s["packets"] is not None:
        l += " (%d packets, %d connections)" % (s["packets"], s["connections"])
    if s["why"] is not None:
        l += ": " + s["why"]
    want.append(l)
assert lines == want and any("packets, " in l for l in lines), (lines[:3], want[:3])
PY

# ---- the JSON report against each source's own numbers ----
/usr/bin/python3 - "$T/audit.json" "$T/nft.txt" "$T/sw1.acl" "$T/sw1.render" "$T/fw1.walk" \
	"$T/lb1.walk" "$ZERO" >"$T/want.json" <<'PY' || fail "the audit's numbers"
import json, re, sys
rep = json.load(open(sys.argv[1]))
assert rep["exit_code"] == 0, rep["exit_code"]
devs = {d["device"]: d for d in rep["devices"]}
assert sorted(devs) == ["fe01-host", "fw1", "lb1", "sw1"], sorted(devs)
for name, src in (("fe01-host", "snmp"), ("sw1", "cli"), ("fw1", "snmp"), ("lb1", "snmp")):
    d = devs[name]
    assert d["outcome"] == "no drift", (name, d["outcome"])
    c = d["counters"]
    assert c["source"] == src and c["polled_at"] and c["absent"] is None, (name, c)
want = {}  # device -> {rule: packets} of the used ones, for the page

def check(name, expect, skip=()):
    """expect: rule -> the source's packets (None: no counter)"""
    d, used = devs[name], {}
    assert {r["rule"] for r in d["rules"]} == set(expect), (name, sorted(expect))
    for r in d["rules"]:
        if r["rule"] in skip:
            continue
        n = expect[r["rule"]]
        assert r["packets"] == n, (name, r, n)
        v = "in place" if n is None else "in place, used" if n else "in place, no hits"
        assert r["verdict"] == v, (name, r, v)
        if n:
            used[r["filter"] + "/" + r["rule"]] = n
    return used

# -- the Linux host: nft's own counters (input.RULE), the management rules
#    (the audit's own SSH and SNMP) only in place
nft = {k[len("input."):]: int(v) for k, v in (l.split() for l in open(sys.argv[2])) if k.startswith("input.")}
mgmt = {r["rule"] for r in devs["fe01-host"]["rules"] if r["provenance"] == "builtin:management"}
assert mgmt, "no management rule"
for r in devs["fe01-host"]["rules"]:
    if r["rule"] in mgmt:
        assert r["verdict"] in ("in place, used", "in place, no hits"), r
used = check("fe01-host", {r: nft.get(r, 0) for r in (x["rule"] for x in devs["fe01-host"]["rules"])}, mgmt)
assert sorted(used.values()) == [3, 4], used  # 3 connections (their first packets), 4 datagrams
want["fe01-host"] = used

# -- the switch: `show access-lists` matches, entries to rules by the render's
#    remarks (entries numbered 10, 20, ... in each list)
matches = {}
for l in open(sys.argv[3]):
    m = re.match(r"\s+(\d+) .*?(?:\((\d+) matches?\))?\s*$", l)
    if m:
        matches[int(m.group(1))] = int(m.group(2) or 0)
owner, inside, n, rid = {}, False, 0, None
for l in open(sys.argv[4]):
    l = l.rstrip("\n")
    if l.startswith("ip access-list extended "):
        inside, n, rid = l.split()[3] == "LAB-SERVERS", 0, None
        continue
    if not inside or not l.startswith(" "):
        inside = inside and l.startswith(" ")
        continue
    w = l.split()
    if w[0] == "remark":
        rid = w[1]
        continue
    n += 1
    if rid:
        owner.setdefault(rid, []).append(n * 10)
assert matches and owner, (len(matches), len(owner))
rules = [r["rule"] for r in devs["sw1"]["rules"]]
used = check("sw1", {r: sum(matches.get(q, 0) for q in owner.get(r, [])) for r in rules})
assert sorted(used.values()) == [2, 3], used  # the injected packets
want["sw1"] = used

# -- Junos: the walk's filter counters (jnxFWCounterTable, type counter),
#    a rule's the sum of its rows in the filter and its instances
def walk(path):
    for line in open(path):
        oid, _, val = line.partition(" = ")
        if val.startswith("No more variables left"):
            continue
        o = [int(x) for x in oid.strip().lstrip(".").split(".")]
        yield o, val.strip().partition(": ")[2].strip('"')
def name_at(o, i):
    return bytes(o[i + 1:i + 1 + o[i]]).decode(), i + 1 + o[i]
rows = {}
for o, v in walk(sys.argv[5]):
    if o[:11] == [1, 3, 6, 1, 4, 1, 2636, 3, 5, 2, 1] and o[11] == 4:
        f, i = name_at(o, 12)
        c, i = name_at(o, i)
        if o[i] == 2:
            rows[(f, c)] = int(v)
exp = {}
for r in devs["fw1"]["rules"]:
    t, f = r["rule"], r["filter"]
    got = [p for (rf, rc), p in rows.items()
           if (rf == f or rf.startswith(f + "-")) and (rc in (t, t + "-v6") or rc.startswith(t + "-"))]
    exp[t] = sum(got) if got else None
zero = sys.argv[7]
assert exp[zero] == 0, (zero, exp[zero])
assert sum(1 for v in exp.values() if v is None) == 1, exp  # the recording leaves one out
used = check("fw1", exp)
assert len(used) >= 1, used
want["fw1"] = used

# -- BIG-IP: the walk's virtual servers (ltmVirtualServStatTable), packets in
vs = {}
for o, v in walk(sys.argv[6]):
    if o[:13] == [1, 3, 6, 1, 4, 1, 3375, 2, 2, 10, 2, 3, 1] and o[13] == 6:
        vs[name_at(o, 14)[0]] = int(v)
lb, used = devs["lb1"]["lb_services"], {}
assert lb and devs["lb1"]["rules"] == [], devs["lb1"]
for s in lb:
    n = vs.get(s["object"])
    assert s["packets"] == n, (s, n)
    assert s["verdict"] == ("in place" if n is None else "in place, used" if n else "in place, no hits"), s
    if n:
        used["lb/" + s["service"]] = n
assert len(used) == len(lb) - 1, used  # the recording leaves the last out
want["lb1"] = used
for d in ("fe01-host", "fw1", "lb1", "sw1"):
    print("%s: %d used, e.g. %s" % (d, len(want[d]), sorted(want[d].items())[0]), file=sys.stderr)
print(json.dumps(want))
PY

# ---- the page, as headless Chromium renders it (no network of its own) ----
CHROMIUM_QUIET=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--disable-default-apps --disable-extensions --disable-breakpad --metrics-recording-only)
grep -qi '<script' "$T/page.html" && fail "the page has a script"
# a copy with one line that writes each state cell's computed colour in
sed 's|</body>|<script>for (const e of document.querySelectorAll("tr.rule > td:nth-child(3)")) e.dataset.bg = getComputedStyle(e).backgroundColor;</script></body>|' \
	"$T/page.html" >"$T/probe.html"
HOME=$T timeout 120 unshare -n chromium "${CHROMIUM_QUIET[@]}" --user-data-dir="$T/chr" \
	--dump-dom "file://$T/probe.html" >"$T/dom.html" 2>"$T/chromium.err" ||
	fail "chromium: $(tail -5 "$T/chromium.err")"
grep -q 'data-bg=' "$T/dom.html" || fail "chromium ran no script: $(head -c 300 "$T/dom.html")"
/usr/bin/python3 - "$T/dom.html" "$T/audit.json" "$T/want.json" <<'PY' || fail "the rendered page"
import json, sys
from html.parser import HTMLParser
class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.els, self.stack = [], []
    def handle_starttag(self, tag, attrs):
        e = {"tag": tag, "a": dict(attrs), "text": "", "kids": [], "parents": list(self.stack)}
        if self.stack:
            self.stack[-1]["kids"].append(e)
        self.els.append(e)
        if tag not in ("br", "meta", "img", "input", "link", "hr"):
            self.stack.append(e)
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break
    def handle_data(self, data):
        for e in self.stack:
            e["text"] += data
dom = Dom()
dom.feed(open(sys.argv[1]).read())
rep = {d["device"]: d for d in json.load(open(sys.argv[2]))["devices"]}
want = json.load(open(sys.argv[3]))
secs = {e["a"]["data-device"]: e for e in dom.els if e["tag"] == "section" and "data-device" in e["a"]}
assert sorted(secs) == sorted(rep), sorted(secs)
colours = {}
for name, d in rep.items():
    sec = secs[name]
    assert sec["a"]["data-outcome"] == "no drift", sec["a"]
    cnt = [e for e in dom.els if e["tag"] == "p" and "counters" in e["a"].get("class", "").split() and sec in e["parents"]]
    line = "Counters read at %s (%s)" % (d["counters"]["polled_at"], d["counters"]["source"])
    assert len(cnt) == 1 and cnt[0]["text"].strip() == line, ([c["text"] for c in cnt], line)
    rows = {}
    for e in dom.els:
        if e["tag"] == "tr" and "rule" in e["a"].get("class", "").split() and sec in e["parents"]:
            td = [k for k in e["kids"] if k["tag"] == "td"]
            rows.setdefault(e["a"]["data-rule"], []).append(td)
    items = [("%s/%s/%s" % (name, r["filter"], r["rule"]), r) for r in d["rules"]]
    items += [("%s/lb/%s" % (name, s["service"]), s) for s in d.get("lb_services", [])]
    assert items and len(rows) == len(items), (name, len(rows), len(items))
    for ref, r in items:
        assert ref in rows, (ref, sorted(rows)[:3])
        for td in rows[ref]:  # every table the rule is in
            state, packets = td[2]["text"].strip(), td[3]["text"].strip()
            assert state == r["verdict"], (ref, state, r["verdict"])
            assert packets == ("-" if r["packets"] is None else str(r["packets"])), (ref, packets, r["packets"])
            colours.setdefault(state, set()).add(td[2]["a"]["data-bg"])
    # the used ones with the source's own numbers (want: from the sources)
    for k, n in want[name].items():
        td = rows["%s/%s" % (name, k)][0]
        assert td[2]["text"].strip() == "in place, used" and td[3]["text"].strip() == str(n), (name, k, n)
    print("page: %s %d rows, %d used" % (name, len(rows), len(want[name])))
# one colour per state, used and no hits apart
assert all(len(v) == 1 for v in colours.values()), colours
assert colours["in place, used"] != colours["in place, no hits"], colours
PY
echo "PASS audit_html_lab"
