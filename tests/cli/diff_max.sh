#!/usr/bin/env bash
# diff --max takes a count from 1 to 100000; zero, a negative, overflowing
# or out-of-range value, or garbage is a usage error (exit 2), never a
# silent "no drift".
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EX=$SRC/inventory/examples/small.yaml
fail() { echo "diff_max: $*" >&2; exit 1; }
"$B" render "$EX" --device core1 >"$T/core1.ios" 2>/dev/null || fail "render"
grep -v 'eq 5061' "$T/core1.ios" >"$T/drift.ios"
cmp -s "$T/core1.ios" "$T/drift.ios" && fail "the edit changed nothing"
for bad in -1 0 00 100001 18446744073709551615 18446744073709551616 99999999999 1x "" +3 " 5" 0x10; do
	"$B" diff "$EX" --device core1 --live "$T/drift.ios" --max "$bad" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "--max '$bad': exit $rc, expected 2: $(cat "$T/out" "$T/err")"
	grep -q "bad --max" "$T/err" || fail "--max '$bad': no message: $(cat "$T/err")"
done
for good in 1 7 100000; do
	"$B" diff "$EX" --device core1 --live "$T/drift.ios" --max "$good" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 1 ] || fail "--max $good: exit $rc, expected 1 (drift): $(cat "$T/err")"
	n=$(grep -c '^[-+] ' "$T/out")
	[ "$n" -le "$good" ] || fail "--max $good printed $n packets"
	[ "$n" -ge 1 ] || fail "--max $good printed no packet"
done
echo "diff_max: ok"
