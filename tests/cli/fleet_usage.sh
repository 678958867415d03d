#!/usr/bin/env bash
# fetch, plan, apply and audit before anything connects: usage errors exit
# 2 with the reason and nothing dialled; apply without --yes refuses when
# standard input is not a terminal; a device whose driver cannot fetch or
# apply fails before connecting (exit 2), and the rollout stops after
# --max-fail such devices. Only the example's IOS and BIG-IP devices are
# named: core1's password reference is unset and lb1's key file is missing
# under a HOME that does not exist, so the examples' 10.x hosts are never
# dialled. The paths over SSH: tests/integration/apply_*.sh.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
# the example with its hosts moved to loopback: a mistake could reach
# nothing but 127.x
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EX=$T/small.yaml
sed 's/host: 10\./host: 127./' "$SRC/inventory/examples/small.yaml" >"$EX"
grep -q 'host: 10\.' "$EX" && { echo "FAIL: a 10.x host is left" >&2; exit 1; }
export HOME=/nonexistent/aclforge-test-home
unset ACLF_CORE1_PASSWORD
# core1 (ios) can fetch and apply: its password reference, unset, stops it
# before anything connects (the example's 10.x addresses are never dialled)
unset ACLF_CORE1_PASSWORD
fail() { echo "FAIL: $*" >&2; exit 1; }

OUT=
RC=0
run() { OUT=$("$B" "$@" 2>&1 </dev/null); RC=$?; }
has() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "aclforge ${CMD:-}: output lacks '$1': $OUT"; }
is() { [ "$RC" -eq "$1" ] || fail "aclforge ${CMD:-}: exit $RC, expected $1: $OUT"; }

CMD="fetch without --device"; run fetch "$EX"; is 2; has "expected one --device NAME"
CMD="fetch two devices"; run fetch "$EX" --device core1 --device lb1; is 2; has "expected one --device NAME"
CMD="plan --shard 2/2"; run plan "$EX" --shard 2/2 --device core1; is 2; has "bad --shard I '2', expected 0 to 1"
CMD="plan --shard x"; run plan "$EX" --shard x --device core1; is 2; has "expected I/N"
CMD="fetch --shard"; run fetch "$EX" --shard 0/2 --device core1; is 2; has "--shard is for plan, apply and audit"
CMD="plan --canary"; run plan "$EX" --canary 1 --device core1; is 2; has "are for apply"
CMD="audit --yes"; run audit "$EX" --yes --device core1; is 2; has "are for apply"
CMD="apply --parallel 0"; run apply "$EX" --parallel 0 --yes --device core1; is 2; has "bad --parallel '0'"
CMD="apply --max-fail 0"; run apply "$EX" --max-fail 0 --yes --device core1; is 2; has "bad --max-fail '0'"
CMD="apply --confirm-timeout 1"; run apply "$EX" --confirm-timeout 1 --yes --device core1; is 2
has "bad --confirm-timeout '1', expected 5 to 86400"
CMD="apply --transcripts missing"; run apply "$EX" --transcripts /nonexistent/dir --yes --device core1
is 2; has "not a directory"
CMD="apply, stdin not a terminal"; run apply "$EX" --device core1; is 2; has "give --yes"
CMD="plan unknown device"; run plan "$EX" --device nope; is 2; has "no device 'nope'"

CMD="fetch an ios device"; run fetch "$EX" --device core1; is 2; has "env:ACLF_CORE1_PASSWORD: not set"
CMD="plan ios and bigip"; run plan "$EX" --device core1 --device lb1; is 2
has "core1: failed"; has "lb1: failed"
has "lb1: key file '/nonexistent/aclforge-test-home/.ssh/aclforge_ed25519': No such file or directory"
has "plan: 2 devices, 2 failed"
CMD="apply, the rollout stops"; run apply "$EX" --device core1 --device lb1 --yes --parallel 1
is 2; has "core1: failed"; has "env:ACLF_CORE1_PASSWORD: not set"; has "lb1: not attempted"
CMD="apply --max-fail 2"; run apply "$EX" --device core1 --device lb1 --yes --parallel 1 --max-fail 2
is 2; has "lb1: failed"
CMD="audit json"; run audit "$EX" --device lb1 --format json; is 2
printf '%s\n' "$OUT" | sed -n '/^{/,$p' | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["command"] == "audit", r
assert [d["device"] for d in r["devices"]] == ["lb1"], r
assert r["devices"][0]["outcome"] == "failed", r
assert r["devices"][0]["error"]["kind"] == "input", r
assert r["exit_code"] == 2, r
' || fail "audit --format json: $OUT"
echo PASS
