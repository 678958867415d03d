#!/usr/bin/env bash
# Warnings about the site's own rules are printed by compile, render, plan,
# apply and audit (standard error), silenced by --quiet/-q; explain and diff
# never print them. Warnings never change the exit status.
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
# plan, apply, audit and fetch run on the example with its hosts moved to
# 127.0.0.1 and SSH to port 1, which nothing serves: never a 10.x host
sed -e 's/host: 10\.[0-9.]*/host: 127.0.0.1/' -e 's/ssh: {/ssh: {port: 1, /' "$EX" >"$T/closed.yaml"
grep -q 'host: 10\.' "$T/closed.yaml" && fail "a 10.x host is left"
# audit from saved files (no connection): what render wrote is what runs
"$B" render -q "$T/closed.yaml" --out "$T/rc" 2>/dev/null || fail "render closed.yaml"
run "audit --live-dir" yes "$B" audit "$T/closed.yaml" --live-dir "$T/rc"
run "audit -q --live-dir" no "$B" audit -q "$T/closed.yaml" --live-dir "$T/rc"
# plan and apply say it before any device is read: here none can be
for c in plan "apply --yes"; do
	# shellcheck disable=SC2086
	ACLF_CORE1_PASSWORD=x "$B" $c "$T/closed.yaml" --connect-timeout 2 >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 3 ] || fail "$c: exit $rc (want 3: no device answers): $(cat "$T/err")"
	grep -qF "$W" "$T/err" || fail "$c: no warning: $(cat "$T/err")"
	# shellcheck disable=SC2086
	ACLF_CORE1_PASSWORD=x "$B" $c -q "$T/closed.yaml" --connect-timeout 2 >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 3 ] || fail "$c -q: exit $rc: $(cat "$T/err")"
	grep -q 'warning' "$T/err" && fail "$c -q: printed warnings: $(cat "$T/err")"
done
"$B" fetch -q "$T/closed.yaml" --device core1 >/dev/null 2>"$T/err" && fail "fetch -q accepted"
grep -q -- '--quiet is for plan, apply and audit' "$T/err" || fail "fetch -q: $(cat "$T/err")"
for c in compile render plan apply audit; do
	"$B" $c --help | grep -q -- '-q, --quiet' || fail "$c --help does not list --quiet"
done
echo "warnings: ok"
