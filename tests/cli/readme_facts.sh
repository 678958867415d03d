#!/usr/bin/env bash
# The numbers and names README.md states outside the tour are what the
# program does: the line counts of the small example's core1.ios, the
# neutral lb names compile gives and the BIG-IP object names render writes.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
R=$SRC/README.md

"$B" render -q "$EX" --device core1 >"$T/core1.ios" || fail "render core1"
"$B" render -q "$EX" --device lb1 >"$T/lb1.tmsh" || fail "render lb1"
"$B" compile -q "$EX" --device lb1 --format json >"$T/lb1.json" || fail "compile lb1"

# "111 permit/deny lines with object-groups (457 lines in all, ...)"
facts=$(tr -s ' \n' '  ' <"$R" | grep -oE '[0-9]+ permit/deny lines +with object-groups \([0-9]+ lines in all' | head -1)
[ -n "$facts" ] || fail "README.md: no 'N permit/deny lines with object-groups (M lines in all' sentence"
aces=$(grep -cE '^ (permit|deny) ' "$T/core1.ios")
lines=$(wc -l <"$T/core1.ios")
[ "$facts" = "$aces permit/deny lines with object-groups ($lines lines in all" ] \
  || fail "README.md says '$facts'; core1.ios has $aces permit/deny lines, $lines lines"

# the neutral names of the JSON example are compile's; the BIG-IP names render's
python3 - "$R" "$T/lb1.json" <<'PY' || fail "README.md lb names"
import json, re, sys
readme = open(sys.argv[1]).read()
svc = json.load(open(sys.argv[2]))["devices"][0]["lb_services"][0]
name = re.search(r'"lb_services": \[\s*\{\s*"name": "([^"]+)",\s*"pool": "([^"]+)"', readme)
assert name, "no lb_services example"
assert (name.group(1), name.group(2)) == (svc["name"], svc["pool"]), (name.groups(), svc["name"], svc["pool"])
PY
for obj in "ltm virtual aclf_fe-berlin-5061_vs " "ltm pool aclf_fe-berlin-5061_pool " "ltm node aclf_fe01 "; do
	grep -q "^create $obj" "$T/lb1.tmsh" || fail "render lb1 has no '$obj'"
	n=${obj##* aclf}; n=aclf${n% }
	grep -q "\`$n\`" "$R" || fail "README.md does not name $n"
done
echo "readme_facts: ok"
