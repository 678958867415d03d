#!/usr/bin/env bash
# The CLI as a user runs it: catalog, compile, explain, render --out, exit
# codes and error messages on bad input. Uses only the built binary and the
# bundled examples.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py() { /usr/bin/python3 -c "$@"; }

# catalog: every seed row, the documented JSON keys
"$B" catalog --format json >"$T/cat.json" || fail "catalog json"
py '
import json,sys
rows=json.load(open(sys.argv[1]))
assert len(rows)==91, len(rows)
from collections import Counter
c=Counter(r["table"] for r in rows)
assert c=={"server":52,"hlb":20,"dns-lb":7,"client":12}, c
for r in rows:
    for k in ("id","table","seed_row","role","service","ports","protocols","from"):
        assert k in r, (r["id"],k)
    for lo,hi in r["ports"]: assert 0<lo<=hi<=65535, r["id"]
    assert set(r["protocols"])<= {"tcp","udp"}
s3=[r for r in rows if r["id"]=="server-03"][0]
assert s3["ports"]==[[5061,5061]] and s3["protocols"]==["tcp"] and s3["seed_row"]==3
assert any(f["source"]=="clients" for f in s3["from"])
' "$T/cat.json" || fail "catalog content"
"$B" catalog >"$T/cat.txt" && grep -q "^server-47 " "$T/cat.txt" || fail "catalog text"

# compile: deterministic JSON with the documented keys
"$B" compile --format json "$EX" >"$T/a.json" 2>"$T/warn" || fail "compile"
"$B" compile --format json "$EX" >"$T/b.json" 2>/dev/null || fail "compile again"
cmp -s "$T/a.json" "$T/b.json" || fail "compile output differs between runs"
grep -q 'warning: site rule 2' "$T/warn" || fail "redundant site rule not warned"
py '
import json,sys
p=json.load(open(sys.argv[1]))
names=[d["name"] for d in p["devices"]]
assert "core1" in names and "lb1" in names and "rtr1" in names and "rp1" in names, names
for d in p["devices"]:
    for k in ("name","driver","filters","lb_services"): assert k in d
    for f in d["filters"]:
        for k in ("name","binding","default_action","rules"): assert k in f
        for r in f["rules"]:
            for k in ("id","action","protocol","src","dst","src_ports","dst_ports","established","provenance"):
                assert k in r, k
            kinds={p["kind"] for p in r["provenance"]}
            assert "catalog" in kinds or "topology-rule" in kinds or (kinds=={"builtin"} and r["protocol"]=="icmp6") or ("builtin" in kinds and "device" in kinds), r["id"]
    for s in d["lb_services"]:
        for k in ("name","vip","protocol","port","members","monitor","persistence","snat","idle_timeout"):
            assert k in s, k
lb=[d for d in p["devices"] if d["name"]=="lb1"][0]
assert any(s["port"]==5061 and s["vip"]=="10.1.1.10" for s in lb["lb_services"])
' "$T/a.json" || fail "compile json content"
"$B" compile --device fw1 --format json "$EX" 2>/dev/null | py 'import json,sys; p=json.load(sys.stdin); assert [d["name"] for d in p["devices"]]==["fw1"]' \
  || fail "compile --device"

# explain
out=$("$B" explain "$EX" --src 10.40.0.10 --dst 10.1.3.11 --proto tcp --port 5067 2>/dev/null) || fail "explain"
echo "$out" | grep -q 'core1 (ios) filter LYNC-SERVERS: permit' || fail "explain core1: $out"
echo "$out" | grep -q 'server-47: server table row 47' || fail "explain seed row: $out"
out=$("$B" explain "$EX" --src 10.20.1.50 --dst 10.1.1.11 --proto tcp --port 1433 2>/dev/null) || fail "explain deny"
echo "$out" | grep -q 'deny by the default action' || fail "explain deny: $out"

# render --out: one file per device, stable from run to run
"$B" render "$EX" --out "$T/r1" 2>/dev/null || fail "render"
"$B" render "$EX" --out "$T/r2" 2>/dev/null || fail "render again"
[ -f "$T/r1/core1.ios" ] && [ -f "$T/r1/fw1.junos" ] && [ -f "$T/r1/lb1.tmsh" ] && [ -f "$T/r1/rtr1.nft" ] && [ -f "$T/r1/rp1.nft" ] \
  || fail "render files: $(ls "$T/r1")"
diff -r "$T/r1" "$T/r2" >/dev/null || fail "render output differs between runs"

# render one device to stdout, audit it offline: no drift, then a hand edit is drift
"$B" render "$EX" --device core1 >"$T/core1.ios" 2>/dev/null || fail "render --device"
head -1 "$T/core1.ios" | grep -q '^!' || fail "render --device prints a header"
"$B" diff "$EX" --device core1 --live "$T/core1.ios" >"$T/d0" 2>/dev/null || fail "diff of our own rendering: $(cat "$T/d0")"
grep -q 'no drift' "$T/d0" || fail "diff text"
# drop the first entry permitting the PSTN gateways' 5067/5068 towards mediation
line=$(grep -n 'permit tcp .*range 5067 5068\|permit tcp .*eq 5067' "$T/core1.ios" | head -1 | cut -d: -f1)
[ -n "$line" ] || line=$(grep -n '^ permit tcp' "$T/core1.ios" | head -1 | cut -d: -f1)
sed "${line}d" "$T/core1.ios" >"$T/core1-edited.ios"
"$B" diff "$EX" --device core1 --live "$T/core1-edited.ios" --format json >"$T/d1" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "diff after a hand edit: exit $rc"
py '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["drift"] is True and d["packets"], d
p=d["packets"][0]
assert p["permitted_by"]=="intended" and p["intended_rule"], p
' "$T/d1" || fail "diff json"

# parse device text: show access-lists with counters
"$B" parse --driver ios "$SRC/tests/fixtures/ios/cisco_ios_show_access-list3.raw" >"$T/p.json" 2>"$T/perr" || fail "parse: $(cat "$T/perr")"
py '
import json,sys
p=json.load(open(sys.argv[1]))
rules=[r for f in p["devices"][0]["filters"] for r in f["rules"]]
assert any(r.get("hits")==10878 and r.get("device_name")=="9999" for r in rules), rules[:3]
' "$T/p.json" || fail "parse hits"
# a non-contiguous wildcard: an opaque entry, counted; --strict refuses it
"$B" parse --driver ios "$SRC/tests/fixtures/ios/cisco_ios_show_access-list2.raw" >"$T/p2.json" 2>"$T/perr"; rc=$?
[ $rc -eq 0 ] || fail "parse of a non-contiguous wildcard: exit $rc: $(cat "$T/perr")"
grep -q 'cisco_ios_show_access-list2.raw: 1 opaque entries' "$T/perr" || fail "opaque count: $(cat "$T/perr")"
grep -q '"opaque_entries": 1' "$T/p2.json" || fail "opaque count in json"
"$B" parse --strict --driver ios "$SRC/tests/fixtures/ios/cisco_ios_show_access-list2.raw" >/dev/null 2>"$T/perr"; rc=$?
[ $rc -eq 2 ] || fail "parse --strict of a non-contiguous wildcard: exit $rc"
grep -q 'cisco_ios_show_access-list2.raw:5:' "$T/perr" || fail "parse error line: $(cat "$T/perr")"

# bad input: exit 2 and file:line:col
printf 'site: x\nload_balancing: sideways\n' >"$T/bad.yaml"
"$B" compile "$T/bad.yaml" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "bad topology exit $rc"
grep -q "bad.yaml:2:17:" "$T/err" || fail "bad topology message: $(cat "$T/err")"
"$B" compile "$T/missing.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file exit"
"$B" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command exit"
"$B" explain "$EX" --src 10.0.0.1 --dst nope --proto tcp --port 1 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad address exit"
for c in catalog compile explain render parse diff; do
  "$B" $c --help >"$T/help" && grep -q "^usage: aclforge $c" "$T/help" || fail "$c --help"
done
echo "cli_basics: ok"
