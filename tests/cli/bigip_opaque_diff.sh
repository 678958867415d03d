#!/usr/bin/env bash
# A rendered BIG-IP text with one virtual changed in a way the neutral lb
# service cannot hold (a source restriction, a reject or ip-forward type,
# a second VLAN): parse counts it as an opaque entry on stderr and in the
# JSON, --strict refuses it (exit 2), and diff --live reports it as "cannot
# judge" (exit 0: no proven drift; never "no drift"), with the JSON counts
# saying so. The unchanged text has no drift. Disabled, that virtual (it is
# aclforge's own) is not opaque: it is drift (exit 1, "state differs"),
# also under --strict; the same virtual under a name that is not
# aclforge's stays opaque.
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EX=$SRC/inventory/examples/small.yaml
fail() { echo "bigip_opaque_diff: $*" >&2; exit 1; }
"$B" render "$EX" --device lb1 >"$T/lb1.tmsh" 2>/dev/null || fail "render lb1"
VS=aclf_fe-berlin-5061_vs
grep -q "create ltm virtual $VS { " "$T/lb1.tmsh" || fail "no $VS in the rendered text"
"$B" diff "$EX" --device lb1 --live "$T/lb1.tmsh" >"$T/out" 2>&1 || fail "unchanged: $(cat "$T/out")"
grep -q "lb1: no drift" "$T/out" || fail "unchanged: $(cat "$T/out")"
n=0
while IFS='|' read -r words raw; do
	sed "s#^create ltm virtual $VS { \(.*\) }\$#create ltm virtual $VS { \1 $words }#" "$T/lb1.tmsh" >"$T/x.tmsh"
	cmp -s "$T/lb1.tmsh" "$T/x.tmsh" && fail "$words: not inserted"
	"$B" parse --driver bigip "$T/x.tmsh" >"$T/p.json" 2>"$T/err" || fail "$words: parse: $(cat "$T/err")"
	grep -q ": 1 opaque entries" "$T/err" || fail "$words: no count on stderr: $(cat "$T/err")"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
o=[s for s in d["lb_services"] if s.get("opaque")]
assert d["opaque_entries"]==1 and len(o)==1 and o[0]["raw"]==sys.argv[2], (d.get("opaque_entries"), o)' \
		"$T/p.json" "$raw" || fail "$words: parse JSON"
	"$B" parse --strict --driver bigip "$T/x.tmsh" >/dev/null 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "$words: --strict exit $rc"
	grep -qF "'$raw'" "$T/err" || fail "$words: --strict: $(cat "$T/err")"
	"$B" diff "$EX" --device lb1 --live "$T/x.tmsh" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 0 ] || fail "$words: diff exit $rc (cannot judge is not proven drift): $(cat "$T/out")"
	grep -q "no drift" "$T/out" && fail "$words: said no drift: $(cat "$T/out")"
	grep -qF "live cannot judge: opaque service: $raw: " "$T/out" || fail "$words: report: $(cat "$T/out")"
	grep -q "0 load-balancer differences, 1 cannot judge (1 opaque entry)" "$T/out" ||
		fail "$words: counts: $(cat "$T/out")"
	"$B" diff "$EX" --device lb1 --live "$T/x.tmsh" --format json >"$T/d.json" 2>&1 || fail "$words: json diff"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
c=d["counts"]
assert d["drift"] is False and c["cannot_judge"]==1 and c["lb_differences"]==0 and c["opaque_entries"]==1, c
assert d["cannot_judge"][0]["opaque_text"]==sys.argv[2], d["cannot_judge"]' "$T/d.json" "$raw" ||
		fail "$words: diff JSON: $(cat "$T/d.json")"
	n=$((n + 1))
done <<'LIST'
source 10.0.0.0/8|source 10.0.0.0/8
reject|reject
ip-forward|ip-forward
vlans replace-all-with { internal servers }|vlans-enabled vlans { internal servers }
LIST
[ $n -eq 4 ] || fail "ran $n cases"

# aclforge's own virtual, disabled: exact, and drift
sed "s#^create ltm virtual $VS { \(.*\) }\$#create ltm virtual $VS { \1 disabled }#" "$T/lb1.tmsh" >"$T/x.tmsh"
cmp -s "$T/lb1.tmsh" "$T/x.tmsh" && fail "disabled: not inserted"
"$B" parse --strict --driver bigip "$T/x.tmsh" >"$T/p.json" 2>"$T/err" || fail "disabled: --strict: $(cat "$T/err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
s=[s for s in d["lb_services"] if s.get("disabled")]
assert len(s)==1 and s[0]["name"]=="fe-berlin-5061" and not s[0].get("opaque"), s
assert not [s for s in d["lb_services"] if s.get("opaque")]' "$T/p.json" || fail "disabled: parse JSON"
"$B" diff "$EX" --device lb1 --live "$T/x.tmsh" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "disabled: diff exit $rc, expected 1 (drift): $(cat "$T/out")"
grep -qF 'state differs: intended enabled; live disabled' "$T/out" || fail "disabled: report: $(cat "$T/out")"
grep -q "cannot judge" "$T/out" && fail "disabled: cannot judge: $(cat "$T/out")"
# the same virtual under someone else's name (no description of aclforge's): opaque
sed -e "s#^create ltm virtual $VS { description \"[^\"]*\" \(.*\) }\$#create ltm virtual web_vs { \1 disabled }#" \
	"$T/lb1.tmsh" >"$T/x.tmsh"
grep -q '^create ltm virtual web_vs { destination .* disabled }$' "$T/x.tmsh" || fail "foreign disabled: not made"
"$B" parse --driver bigip "$T/x.tmsh" >"$T/p.json" 2>"$T/err" || fail "foreign disabled: parse: $(cat "$T/err")"
grep -q ": 1 opaque entries" "$T/err" || fail "foreign disabled: no count on stderr: $(cat "$T/err")"
"$B" parse --strict --driver bigip "$T/x.tmsh" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "foreign disabled: --strict exit $rc"
echo "bigip_opaque_diff: $n opaque cases, disabled owned (drift) and foreign (opaque)"
