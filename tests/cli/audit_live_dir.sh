#!/usr/bin/env bash
# audit --live-dir DIR: saved configurations (DIR/<device>.<ext>, as
# `render --out` names them) instead of connecting. The example's hosts are
# moved to 127.x first, so that a mistake could reach nothing but loopback.
#   - the rendered files read back: no drift on the IOS switch, the Junos
#     firewall and the BIG-IP (exit 0), each report saying where the text
#     came from and that counters are absent;
#   - an entry removed from a saved IOS file: drift on that device only
#     (exit 1), in text and JSON;
#   - the nftables host's rendered file (the text form): no drift;
#   - a missing file (exit 2, naming the path), text the driver cannot read
#     (exit 2, PATH:LINE:COL), --live-dir that is not a directory or given to
#     another command (usage, exit 2).
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/testlib.bash"

sed 's/host: 10\./host: 127./' "$SRC/inventory/examples/small.yaml" >"$T/s.yaml"
grep -q 'host: 10\.' "$T/s.yaml" && fail "a 10.x host is left"
"$B" render --quiet --out "$T/saved" "$T/s.yaml" 2>/dev/null || fail "render --out"
DEVS=(--device core1 --device fw1 --device lb1)

"$B" audit "$T/s.yaml" --live-dir "$T/saved" "${DEVS[@]}" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "saved renders: exit $rc: $(cat "$T/out" "$T/err")"
for d in core1:ios fw1:junos lb1:tmsh; do
	grep -qx "${d%%:*}: no drift" "$T/out" || fail "${d%%:*} not 'no drift': $(cat "$T/out")"
	grep -qxF "  note: read from $T/saved/${d%%:*}.${d#*:} (a saved configuration): nothing connected, counters absent" "$T/out" ||
		fail "no note for ${d%%:*}: $(cat "$T/out")"
done
grep -q "audit: 3 devices, 3 no drift" "$T/out" || fail "summary: $(tail -1 "$T/out")"

# one entry less on the switch: drift there only
line=$(grep -n "^ permit tcp" "$T/saved/core1.ios" | head -1 | cut -d: -f1)
[ -n "$line" ] || fail "no permit entry in core1.ios"
sed -i "${line}d" "$T/saved/core1.ios"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" "${DEVS[@]}" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "an entry removed: exit $rc: $(cat "$T/out" "$T/err")"
grep -q "^core1: drift" "$T/out" || fail "no drift on core1: $(cat "$T/out")"
grep -qx "fw1: no drift" "$T/out" || fail "fw1: $(cat "$T/out")"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device core1 --format json >"$T/out.json" 2>"$T/err"
[ $? -eq 1 ] || fail "json: exit code"
/usr/bin/python3 - "$T/out.json" <<'PY' || fail "json report"
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
assert d["device"] == "core1" and d["outcome"] == "drift", d
assert "counters absent" in d["note"], d
PY

# a missing file, and text the driver cannot read
rm "$T/saved/fw1.junos"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device fw1 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc"
grep -qF "cannot read the saved configuration '$T/saved/fw1.junos': No such file or directory" "$T/out" ||
	fail "missing file: $(cat "$T/out")"
# the nftables host's rendered file reads back (the text form); a word nft
# does not know in it is refused at its line and column
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device rp1 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && grep -q "^rp1: no drift" "$T/out" || fail "rp1.nft: exit $rc: $(cat "$T/out" "$T/err")"
sed -i '0,/ accept comment /s// acept comment /' "$T/saved/rp1.nft"
at=$(grep -n " acept comment " "$T/saved/rp1.nft" | cut -d: -f1)
[ -n "$at" ] || fail "no rule with a comment in rp1.nft"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --device rp1 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "unreadable text: exit $rc"
grep -qF "$T/saved/rp1.nft:$at:" "$T/out" || fail "unreadable text: $(cat "$T/out")"
grep -qF "unknown statement 'acept'" "$T/out" || fail "unreadable text: $(cat "$T/out")"

# usage
"$B" audit "$T/s.yaml" --live-dir "$T/nosuch" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "not a directory" "$T/err" || fail "--live-dir not a directory: $(cat "$T/err")"
"$B" plan "$T/s.yaml" --live-dir "$T/saved" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "live-dir is for audit" "$T/err" || fail "plan --live-dir: $(cat "$T/err")"
echo "PASS audit_live_dir"
