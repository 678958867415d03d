#!/usr/bin/env bash
# TOPOLOGY '-' reads standard input for compile, render, explain, diff and
# check, as `parse -` reads device text: the same output as from the file,
# errors at <stdin>:LINE:COL, relative paths (a catalog path) taken from the
# current directory; diff refuses standard input for both of its inputs.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$B" compile --format json "$EX" >"$T/file.json" 2>/dev/null || fail "compile file"
"$B" compile --format json - <"$EX" >"$T/stdin.json" 2>"$T/warn" || fail "compile -: $(cat "$T/warn")"
cmp -s "$T/file.json" "$T/stdin.json" || fail "compile - differs from compile FILE"
grep -q '^<stdin>:121:5: warning: site rule 2' "$T/warn" || fail "warnings name <stdin>: $(cat "$T/warn")"

"$B" render --device core1 "$EX" >"$T/core1.file" 2>/dev/null || fail "render file"
"$B" render --device core1 - <"$EX" >"$T/core1.ios" 2>/dev/null || fail "render -"
cmp -s "$T/core1.file" "$T/core1.ios" || fail "render - differs"
out=$("$B" explain - --src 10.40.0.10 --dst 10.1.3.11 --proto tcp --port 5067 <"$EX" 2>/dev/null) || fail "explain -"
echo "$out" | grep -q 'core1 (ios) filter LYNC-SERVERS: permit' || fail "explain -: $out"
"$B" diff - --device core1 --live "$T/core1.ios" <"$EX" >"$T/d" 2>/dev/null || fail "diff -: $(cat "$T/d")"
grep -q 'no drift' "$T/d" || fail "diff - text"
"$B" diff - --device core1 --live - <"$EX" >"$T/d" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q 'standard input cannot be both TOPOLOGY and --live' "$T/d" || fail "diff - --live -: exit $rc: $(cat "$T/d")"
"$B" check --device core1 - <"$EX" >"$T/c" 2>/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q '^<stdin>:78:35: core1: ssh.password: env:ACLF_CORE1_PASSWORD: not set' "$T/c" \
  || fail "check -: exit $rc: $(cat "$T/c")"

# errors are positioned in <stdin>
printf 'site: x\nload_balancing: hardware\npools: {p: {role: nope}}\n' | "$B" compile - >/dev/null 2>"$T/e"; rc=$?
[ "$rc" = 2 ] && grep -q '^<stdin>:3:19: pools.p.role: unknown role' "$T/e" || fail "error position: exit $rc: $(cat "$T/e")"

# a relative catalog path is the current directory's
mkdir -p "$T/here" "$T/there"
cp "$SRC/inventory/catalogs/lync2013-internal.yaml" "$T/here/ours.yaml"
cp "$SRC/inventory/catalogs/lync2013-extras.yaml" "$T/here/extras.yaml"
# the example's first line is a comment: the catalogs take its place
sed '1s/.*/catalog: [ours.yaml, extras.yaml]/' "$EX" >"$T/topo.yaml"
(cd "$T/here" && "$B" compile --format json - <"$T/topo.yaml" >"$T/ours.json" 2>/dev/null) || fail "relative catalog from the current directory"
cmp -s "$T/file.json" "$T/ours.json" || fail "relative catalog: output differs"
(cd "$T/there" && "$B" compile - <"$T/topo.yaml" >/dev/null 2>"$T/e"); rc=$?
[ "$rc" = 2 ] && grep -q "$T/there/ours.yaml" "$T/e" || fail "relative catalog elsewhere: exit $rc: $(cat "$T/e")"
echo "stdin_topology: ok"
