#!/usr/bin/env bash
# Warnings about the site's own rules are printed by compile and render
# (standard error), silenced by --quiet/-q; explain and diff never print
# them. Warnings never change the exit status.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
W='warning: site rule 2 (permit networks.clients -> pools.fe-berlin)'

# run NAME WANT_WARNINGS CMD...: exit 0, and warnings on stderr or none at all
run() {
	local name=$1 want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; local rc=$?
	[ $rc -eq 0 ] || fail "$name: exit $rc: $(cat "$T/err")"
	if [ "$want" = yes ]; then
		grep -qF "$W" "$T/err" || fail "$name: no warning: $(cat "$T/err")"
	else
		grep -q 'warning' "$T/err" && fail "$name: printed warnings: $(cat "$T/err")"
		grep -q 'warning' "$T/out" && fail "$name: warnings on standard output"
	fi
	return 0
}

run "compile" yes "$B" compile "$EX"
run "compile --quiet" no "$B" compile --quiet "$EX"
run "compile -q" no "$B" compile -q "$EX"
run "render" yes "$B" render "$EX" --device core1
run "render --quiet" no "$B" render "$EX" --device core1 --quiet
run "render -q --out" no "$B" render -q "$EX" --out "$T/r"
grep -q '^wrote ' "$T/err" || fail "render -q --out: the files written are still named"
"$B" render -q "$EX" --device core1 >"$T/core1.ios" 2>/dev/null || fail "render core1"
run "explain" no "$B" explain "$EX" --src 10.20.1.50 --dst 10.1.1.11 --proto tcp --port 5061
run "diff" no "$B" diff "$EX" --device core1 --live "$T/core1.ios"
for c in compile render; do
	"$B" $c --help | grep -q -- '-q, --quiet' || fail "$c --help does not list --quiet"
done
echo "warnings: ok"
