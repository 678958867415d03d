#!/usr/bin/env bash
# audit's per-rule verdicts from saved configurations (--live-dir: counters
# absent). The example's hosts are moved to 127.x first, so that a mistake
# could reach nothing but loopback.
#   - the rendered files read back: every rule "in place", no extra entry,
#     counters absent with the reason, audited_at in RFC 3339 UTC;
#   - one permit entry removed from the saved IOS file: its rule "missing"
#     with an example packet and the live entry that decides it (the
#     explicit final deny, which is not extra), every other rule in place;
#   - an SSH permit nobody intends added: "extra" with its line and text;
#   - text: one line per missing rule and extra entry, counts per verdict,
#     every rule with --verbose; exit codes unchanged (1: drift);
#   - --since FILE that does not parse (FILE:LINE:COL), of another topology
#     (FILE:LINE:COL of the name), missing, with --live-dir, for plan: exit 2.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/testlib.bash"

sed 's/host: 10\./host: 127./' "$SRC/inventory/examples/small.yaml" >"$T/s.yaml"
grep -q 'host: 10\.' "$T/s.yaml" && fail "a 10.x host is left"
"$B" render --quiet --out "$T/saved" "$T/s.yaml" 2>/dev/null || fail "render --out"
"$B" compile --quiet --format json "$T/s.yaml" >"$T/policy.json" 2>/dev/null || fail "compile"

"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device core1 --device fw1 --format json \
	>"$T/out.json" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "saved renders: exit $rc: $(cat "$T/err")"
/usr/bin/python3 - "$T/out.json" "$T/policy.json" <<'PY' || fail "json report, no drift"
import json, re, sys
rep = json.load(open(sys.argv[1]))
pol = {d["name"]: d for d in json.load(open(sys.argv[2]))["devices"]}
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rep["audited_at"]), rep["audited_at"]
for d in rep["devices"]:
    assert d["counters"] == {"polled_at": None, "source": None,
                             "absent": "read from a saved configuration"}, d["counters"]
    assert d["since"] is None and d["extra"] == [], d
    want = [(f["name"], r["id"], r["action"]) for f in pol[d["device"]]["filters"] for r in f["rules"]]
    got = [(r["filter"], r["rule"], r["action"]) for r in d["rules"]]
    assert got == want, (d["device"], got[:3], want[:3])
    for r in d["rules"]:
        assert r["verdict"] == "in place", r
        assert r["packets"] is None and r["bytes"] is None, r
        assert r["delta_packets"] is None and r["delta_bytes"] is None, r
    # seed rows are the catalog rows of the policy's provenance
    for f in pol[d["device"]]["filters"]:
        for pr, rr in zip(f["rules"], [r for r in d["rules"] if r["filter"] == f["name"]]):
            rows = []
            for p in pr.get("provenance", []):
                if p["kind"] == "catalog" and p["ref"] not in rows:
                    rows.append(p["ref"])
            assert rr["seed_rows"] == rows, (rr, rows)
            k = pr["provenance"][0]
            exp = {"topology-rule": "site", "builtin": "builtin:" + k["ref"]}.get(k["kind"], k["kind"])
            assert rr["provenance"] == exp, (rr, exp)
kinds = {r["provenance"] for d in rep["devices"] for r in d["rules"]}
assert {"catalog", "site"} <= kinds, kinds
PY

# r0002's only entry removed, an SSH permit added in front
ios=$T/saved/core1.ios
l=$(grep -nx ' remark r0002' "$ios" | cut -d: -f1)
[ -n "$l" ] || fail "no 'remark r0002' in core1.ios"
removed=$(sed -n "$((l + 1))p" "$ios")
sed -i "$((l + 1))d" "$ios"
first=$(grep -nx 'ip access-list extended LYNC-SERVERS' "$ios" | cut -d: -f1)
sed -i "${first}a\\ permit tcp any host 10.1.1.11 eq 22" "$ios"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device core1 --format json >"$T/out.json" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "edited: exit $rc: $(cat "$T/err")"
/usr/bin/python3 - "$T/out.json" "$((first + 1))" <<'PY' || fail "json report, edited ($removed)"
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
assert d["outcome"] == "drift", d["outcome"]
bad = [r for r in d["rules"] if r["verdict"] != "in place"]
assert [r["rule"] for r in bad] == ["r0002"], bad
r = bad[0]
assert r["verdict"] == "missing" and r["action"] == "permit", r
assert ":5070: intended permits by r0002, live denies by e" in r["why"], r["why"]
assert len(d["extra"]) == 1, d["extra"]
x = d["extra"][0]
assert x["filter"] == "LYNC-SERVERS" and x["line"] == int(sys.argv[2]), x
assert x["text"] == "permit tcp 0.0.0.0/0 -> 10.1.1.11/32 port 22", x
assert x["packets"] is None and ":22: live permits by " + x["entry"] in x["why"], x
PY

"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device core1 >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "text: exit code"
grep -q '^  LYNC-SERVERS r0002: missing: tcp .*:5070: intended permits by r0002, live denies by e' "$T/out" ||
	fail "no missing line: $(cat "$T/out")"
grep -q "^  LYNC-SERVERS e[0-9]*: extra (line $((first + 1))): 'permit tcp 0.0.0.0/0 -> 10.1.1.11/32 port 22': " "$T/out" ||
	fail "no extra line: $(cat "$T/out")"
n=$(grep -cE '^  [^ ]+ r[0-9]+: (in place|missing|cannot judge)' "$T/out")
[ "$n" -eq 1 ] || fail "$n rule lines without --verbose: $(cat "$T/out")"
all=$(/usr/bin/python3 -c 'import json,sys; print(sum(len(f["rules"]) for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == "core1" for f in d["filters"]))' "$T/policy.json")
grep -qx "  $all rules: $((all - 1)) in place, 1 missing; 1 extra entry" "$T/out" ||
	fail "counts: $(cat "$T/out")"
grep -qx "  counters: absent: read from a saved configuration" "$T/out" || fail "counters line: $(cat "$T/out")"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device core1 -v >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "--verbose: exit code"
n=$(grep -cE '^  [^ ]+ r[0-9]+: (in place|missing|cannot judge)' "$T/out")
[ "$n" -eq "$all" ] || fail "$n rule lines with --verbose, expected $all"
grep -q '^  LYNC-SERVERS r0001: in place' "$T/out" || fail "--verbose: $(head "$T/out")"

# --since: a file that is not a counters reading, or one of another
# topology, is bad input (exit 2) before anything connects
printf '{"devices": [\n  {"name": "core1",\n' >"$T/cut.json"
"$B" audit "$T/s.yaml" --since "$T/cut.json" --device core1 >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--since cut file: exit code"
grep -q "^aclforge: $T/cut.json:3:" "$T/err" || fail "--since cut file: $(cat "$T/err")"
printf '{"devices": [\n  {"name": "core1", "polled_at": null, "rules": []},\n  {"name": "edge9", "polled_at": null, "rules": []}]}\n' >"$T/other.json"
"$B" audit "$T/s.yaml" --since "$T/other.json" --device core1 >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--since other topology: exit code"
grep -qF "$T/other.json:3:12: device 'edge9' is not in the topology" "$T/err" ||
	fail "--since other topology: $(cat "$T/err")"
"$B" audit "$T/s.yaml" --since "$T/nosuch.json" --device core1 >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -qF "$T/nosuch.json" "$T/err" || fail "--since no file: $(cat "$T/err")"
"$B" audit "$T/s.yaml" --since "$T/other.json" --live-dir "$T/saved" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "live-dir does not read" "$T/err" || fail "--since with --live-dir: $(cat "$T/err")"
"$B" plan "$T/s.yaml" --since "$T/other.json" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "since is for audit" "$T/err" || fail "plan --since: $(cat "$T/err")"
echo "PASS audit_verdicts"
