#!/bin/bash
# `aclforge counters` against Debian's snmpsim on 127.0.0.1: a Junos
# firewall and a BIG-IP of a test topology, each served a recording made
# from aclforge's own render of that device (tests/tools/counters_snmprec.py:
# counters named as aclforge names them, numbers made up; the Junos one
# also holds the real MX960's firewall table, filters aclforge does not
# own). Every number the JSON report gives is checked against an
# independent snmpbulkwalk of the same agent, decoded here by the MIBs'
# index rules and joined to the rules by the render's own text:
#  - Junos: each rule's packets and bytes are the sum of its filter's
#    counter rows named after the rule (ID, ID-v6, and an interface-
#    specific instance's ID-<ifl>-<dir>), each instance listed; a policer
#    named like a rule is not counted; the rule the device has no counter
#    for has null numbers and is named under errors;
#  - BIG-IP: each lb service's virtual and each member's pool member row;
#    the virtual the device lacks gives nulls and an error; the driver's
#    walks read only the columns the report shows (a recording with every
#    column: values and requests counted by snmp_probe -W bigip);
#  - exit codes: 0 when every device answered; 3 with a dead agent (the
#    others still reported); 2 for a device without snmp settings.
# Root (snmpsim drops to nobody); exit 77 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root to run snmpsim as nobody"
ACLF=${ACLF_BINDIR:-$here/../../build}/aclforge
[ -x "$ACLF" ] || fail "no aclforge binary at '$ACLF' (ACLF_BINDIR)"
PROBE=${ACLF_SNMP_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no snmp_probe binary at '${PROBE}' (ACLF_SNMP_PROBE)"
FIX=${ACLF_FIXTURES:-$here/../fixtures}
TOOLS=$here/../tools
for t in snmpbulkwalk snmpget ss /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

snmp_tmp counters
T=$SNMP_TMP
DATA=$T/data
mkdir -p "$DATA" "$T/render"
DEAD_PORT=$(snmp_free_port)

topology() { # PORT
	sed -n '/^devices:/q;p' "$here/../../inventory/examples/small.yaml"
	cat <<EOF
devices:
  fw1:
    driver: junos
    host: 127.0.0.1
    snmp: {version: 2c, port: $1, community: env:ACLF_T_FW1}
    protects:
      - {pools: [dir-berlin], interface: ge-0/0/1.0, direction: out, name: lync-directors}
      - {networks: [clients], interface: ge-0/0/2.0, direction: out, name: lync-clients}
  lb1:
    driver: bigip
    host: 127.0.0.1
    snmp: {version: 2c, port: $1, community: env:ACLF_T_LB1}
    balances: [fe-berlin, dir-berlin]
    vlan: internal
    self_ips: [198.18.9.5]
  dead1:
    driver: junos
    host: 127.0.0.1
    snmp: {version: 2c, port: $DEAD_PORT, community: env:ACLF_T_FW1}
    protects:
      - {pools: [dir-berlin], interface: ge-0/0/1.0, direction: out, name: lync-directors}
  nosnmp:
    driver: junos
    host: 127.0.0.1
    protects:
      - {pools: [dir-berlin], interface: ge-0/0/1.0, direction: out, name: lync-directors}
EOF
}

# the recordings, from the render (the port does not change what is rendered)
topology 161 >"$T/render.yaml"
"$ACLF" render --quiet --out "$T/render" "$T/render.yaml" 2>/dev/null || fail "render"
/usr/bin/python3 "$TOOLS/counters_snmprec.py" junos "$T/render/fw1.junos" \
	"$FIX/snmp/juniper-mx960.snmprec" >"$DATA/fw1.snmprec" || fail "junos recording"
/usr/bin/python3 "$TOOLS/counters_snmprec.py" bigip "$T/render/lb1.tmsh" >"$DATA/lb1.snmprec" ||
	fail "bigip recording"
snmpsim_start "$DATA" fw1
topology "$SIM_PORT" >"$T/topo.yaml"
export ACLF_T_FW1=fw1 ACLF_T_LB1=lb1
A=127.0.0.1:$SIM_PORT

snmpbulkwalk -v2c -c fw1 -On -Cr25 "$A" 1.3.6.1.4.1.2636.3.5.2.1 >"$T/fw1.walk" || fail "snmpbulkwalk fw1"
snmpbulkwalk -v2c -c lb1 -On -Cr25 "$A" 1.3.6.1.4.1.3375.2.2 >"$T/lb1.walk" || fail "snmpbulkwalk lb1"
[ "$(wc -l <"$T/fw1.walk")" -gt 100 ] || fail "fw1 walk: $(wc -l <"$T/fw1.walk") lines"

# ---- fw1 and lb1: every number against the walks ----
"$ACLF" counters "$T/topo.yaml" --device fw1 --device lb1 --format json >"$T/out.json" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "counters fw1 lb1: exit $rc: $(cat "$T/err")"
/usr/bin/python3 - "$T/out.json" "$T/fw1.walk" "$T/lb1.walk" "$T/render/fw1.junos" "$T/render/lb1.tmsh" <<'EOF' || fail "fw1/lb1 numbers"
import json, re, sys

rep = json.load(open(sys.argv[1]))
devs = {d["name"]: d for d in rep["devices"]}
assert list(devs) == ["fw1", "lb1"], list(devs)

def walk(path):
    out = []
    for line in open(path):
        oid, _, val = line.partition(" = ")
        if val.startswith("No more variables left"):
            continue  # snmpbulkwalk's line for endOfMibView (the BIG-IP table ends the recording)
        o = [int(x) for x in oid.strip().lstrip(".").split(".")]
        typ, _, v = val.strip().partition(": ")
        out.append((o, typ, v.strip('"')))
    return out

def name_at(o, i):
    n = o[i]
    return bytes(o[i + 1:i + 1 + n]).decode(), i + 1 + n

# -- Junos: FILTER|COUNTER|TYPE -> packets, bytes
fwc = [1, 3, 6, 1, 4, 1, 2636, 3, 5, 2, 1]
rows = {}
for o, typ, v in walk(sys.argv[2]):
    if o[:11] != fwc or o[11] not in (4, 5):
        continue
    f, i = name_at(o, 12)
    c, i = name_at(o, i)
    assert i + 1 == len(o)
    assert typ == "Counter64", typ
    rows.setdefault((f, c, o[i]), {})[o[11]] = int(v)
# the rules, from the render: FILTER -> rule ids (terms but the defaults)
terms = {}
for line in open(sys.argv[4]):
    m = re.match(r"set firewall family inet6? filter (\S+) term (\S+) then count", line)
    if m and not m.group(2).startswith("default-"):
        terms.setdefault(m.group(1), [])
        if m.group(2) not in terms[m.group(1)]:
            terms[m.group(1)].append(m.group(2))
fw = devs["fw1"]
assert fw["driver"] == "junos" and re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", fw["polled_at"]), fw["polled_at"]
got = [(r["filter"], r["rule"]) for r in fw["rules"]]
want = [(f, t) for f in terms for t in terms[f]]
# (the render writes family inet's terms first, the policy keeps rule order)
assert sorted(got) == sorted(want) and len(got) == len(set(got)), (got, want)
ifl = re.compile(r"^(.*)-((?:ge|xe)-\d+/\d+/\d+(?::\d+)?\.\d+)-([io])$")
missing = []
inst_seen = 0
for r in fw["rules"]:
    f, t = r["filter"], r["rule"]
    exp = []
    for (rf, rc, ty), v in rows.items():
        if ty != 2:
            continue
        m = ifl.match(rf)
        base = m.group(1) if m else rf
        if base != f:
            continue
        names = {t, t + "-v6"}
        if m:
            names |= {n + "-" + m.group(2) + "-" + m.group(3) for n in (t, t + "-v6")}
        if rc in names:
            exp.append((rf, rc, v[4], v[5]))
    assert r["source"] == "snmp"
    got_inst = sorted((i["filter"], i["counter"], i["packets"], i["bytes"]) for i in r["instances"])
    assert got_inst == sorted(exp), (f, t, got_inst, sorted(exp))
    if not exp:
        assert r["packets"] is None and r["bytes"] is None, r
        missing.append((f, t))
        continue
    inst_seen = max(inst_seen, len(exp))
    assert r["packets"] == sum(e[2] for e in exp), r
    assert r["bytes"] == sum(e[3] for e in exp), r
assert inst_seen == 3, inst_seen  # the filter itself and its two instances
assert missing == [("lync-directors", terms["lync-directors"][-1])], missing
errs = fw["errors"]
assert len(errs) == 1 and "'" + missing[0][1] + "'" in errs[0] and "no counter" in errs[0], errs
assert any(r["seed_rows"] for r in fw["rules"]), "no seed rows"
assert all(re.match(r"^[a-z-]+:\d+$", s) for r in fw["rules"] for s in r["seed_rows"])
assert fw["lb_services"] == []

# -- BIG-IP: virtuals and pool members from the walk
vsx = [1, 3, 6, 1, 4, 1, 3375, 2, 2, 10, 2, 3, 1]
mbx = [1, 3, 6, 1, 4, 1, 3375, 2, 2, 5, 4, 3, 1]
vs, mb = {}, {}
for o, typ, v in walk(sys.argv[3]):
    if o[:13] == vsx:
        n, i = name_at(o, 14)
        vs.setdefault(n, {})[o[13]] = v
    elif o[:13] == mbx:
        p, i = name_at(o, 14)
        nd, i = name_at(o, i)
        mb.setdefault((p, nd, o[i]), {})[o[13]] = v
svc = []  # (service name, virtual, pool)
for m in re.finditer(r"^create ltm virtual (\S+) \{ description \"aclforge name=(\S+) .* pool (\S+) ",
                     open(sys.argv[5]).read(), re.M):
    svc.append((m.group(2), m.group(1), m.group(3)))
addr = {}
for m in re.finditer(r"^create ltm node (\S+) \{ address (\S+) \}", open(sys.argv[5]).read(), re.M):
    addr[m.group(2)] = m.group(1)
lb = devs["lb1"]
assert [s["name"] for s in lb["lb_services"]] == [s[0] for s in svc]
assert lb["rules"] == []
nulls = 0
for s, (name, virt, pool) in zip(lb["lb_services"], svc):
    v = vs.get("/Common/" + virt)
    if v is None:
        nulls += 1
        assert s["packets_in"] is None and s["connections_total"] is None, s
    else:
        assert s["packets_in"] == int(v[6]) and s["bytes_in"] == int(v[7]), (s, v)
        assert s["connections_total"] == int(v[11]) and s["connections_current"] == int(v[12]), (s, v)
    assert s["members"], s
    for m in s["members"]:
        row = mb[("/Common/" + pool, "/Common/" + addr[m["address"]], m["port"])]
        assert m["packets_in"] == int(row[5]) and m["connections_total"] == int(row[10]), (m, row)
assert nulls == 1, nulls
assert len(lb["errors"]) == 1 and "no virtual server '/Common/" + svc[-1][1] + "'" in lb["errors"][0], lb["errors"]
print("fw1:", len(fw["rules"]), "rules,", len(rows), "table rows; lb1:", len(svc), "services,", len(mb), "members")
EOF

# ---- lb1: only the report's columns are walked ----
# The recording has every column of both entries (38 of a virtual, 30 of a
# member): the driver's walks (snmp_probe -W bigip, the list `counters`
# walks) must read the 4 columns of each virtual and 2 of each member, in
# the GETBULKs those columns need side by side (64 values each: 16 rows of
# 4 columns, 32 of 2; one more sees the end), where the whole entries take
# many more.
nvs=$(grep -c '^\.1\.3\.6\.1\.4\.1\.3375\.2\.2\.10\.2\.3\.1\.1\.' "$T/lb1.walk")
nmbr=$(grep -c '^\.1\.3\.6\.1\.4\.1\.3375\.2\.2\.5\.4\.3\.1\.1\.' "$T/lb1.walk")
[ "$nvs" -ge 2 ] && [ "$nmbr" -ge 2 ] || fail "lb1 walk: $nvs virtuals, $nmbr members"
"$PROBE" -q -W bigip "lb1=$A:2c:lb1" >"$T/cols.out" || fail "probe -W bigip: $(cat "$T/cols.out")"
"$PROBE" -q -w 1.3.6.1.4.1.3375.2.2.10.2.3.1 -w 1.3.6.1.4.1.3375.2.2.5.4.3.1 "lb1=$A:2c:lb1" \
	>"$T/entry.out" || fail "probe of the entries: $(cat "$T/entry.out")"
read -r cv cr < <(sed -n 's/^values \([0-9]*\) .* requests \([0-9]*\) .*/\1 \2/p' "$T/cols.out")
read -r ev er < <(sed -n 's/^values \([0-9]*\) .* requests \([0-9]*\) .*/\1 \2/p' "$T/entry.out")
[ "$ev" -eq $((38 * nvs + 30 * nmbr)) ] || fail "entries: $ev values for $nvs virtuals, $nmbr members"
[ "$cv" -eq $((4 * nvs + 2 * nmbr)) ] ||
	fail "the driver's walks read $cv values, the report's columns are $((4 * nvs + 2 * nmbr))"
want=$((nvs / 16 + 1 + nmbr / 32 + 1))
[ "$cr" -eq "$want" ] || fail "the driver's walks took $cr requests, the columns need $want"
[ "$cr" -lt "$er" ] || fail "columns: $cr requests, entries: $er"
echo "lb1 ($nvs virtuals, $nmbr members): the columns $cv values in $cr requests, the entries $ev in $er"

# ---- text: the same numbers for people ----
"$ACLF" counters "$T/topo.yaml" --device fw1 >"$T/out.txt" 2>"$T/err" || fail "text: $(cat "$T/err")"
first=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["devices"][0]["rules"][0]; print(r["filter"], r["rule"] + ": packets", r["packets"], "bytes", r["bytes"], "(snmp)")' "$T/out.json")
grep -qxF "  $first" "$T/out.txt" || fail "text lacks '$first': $(head -5 "$T/out.txt")"

# ---- a dead agent: exit 3, named; the live one still reported ----
start=$(date +%s)
"$ACLF" counters "$T/topo.yaml" --device fw1 --device dead1 --format json >"$T/dead.json" 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "dead agent: exit $rc (want 3)"
grep -q "dead1.*timeout" "$T/err" || fail "dead agent not named with timeout: $(cat "$T/err")"
/usr/bin/python3 - "$T/dead.json" <<'EOF' || fail "dead agent report"
import json, sys
d = {x["name"]: x for x in json.load(open(sys.argv[1]))["devices"]}
assert d["dead1"]["polled_at"] is None and d["dead1"]["rules"] == [] and d["dead1"]["errors"], d["dead1"]
assert "timeout" in d["dead1"]["errors"][0], d["dead1"]["errors"]
assert d["fw1"]["polled_at"] and any(r["packets"] for r in d["fw1"]["rules"]), d["fw1"]
EOF

# ---- bad input: no snmp settings (exit 2), an unknown device (exit 2) ----
"$ACLF" counters "$T/topo.yaml" --device nosnmp >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "no snmp settings: exit $rc (want 2)"
grep -q "nosnmp.*no 'snmp' settings" "$T/err" || fail "no snmp settings: $(cat "$T/err")"
"$ACLF" counters "$T/topo.yaml" --device nosuch >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "unknown device: exit $rc (want 2)"
"$ACLF" counters "$T/topo.yaml" --format xml >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "bad format accepted"
echo "PASS counters_snmpsim"
