#!/bin/bash
# aclforge-emu --kind bigip driven by an independent client, Debian's
# netmiko (python3-netmiko, /usr/bin/python3, device_type f5_tmsh), on
# 127.0.0.1, with the lab topology tests/integration/lab/bigip.yaml.in:
#   - root logs in to bash, netmiko's session preparation enters tmsh
#     (`tmsh`), turns the pager off and sets the width; a tmsh user lands in
#     tmsh directly
#   - the BIG-IP render of the lab's lb1 sent inside `create cli
#     transaction` ... `submit cli transaction`, `save sys config`, and
#     `list ltm` read back: aclforge parses it and `aclforge diff` finds
#     the intended policy; `aclforge audit` over its own SSH session agrees
#   - a transaction whose submit fails (a delete that would work, then a
#     pool that does not exist) prints tmsh's `NNNNNNNN:S:` error and
#     changes nothing, the delete included
#   - a pool member deleted by hand is drift for diff and audit
# Loopback only, no root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/emu.bash"

BIN=${ACLF_BIN:-}
PY=/usr/bin/python3
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
[ -x "$PY" ] && "$PY" -c 'import netmiko' 2>/dev/null || skip "needs python3-netmiko (scripts/setup)"
trap emu_teardown EXIT
emu_init
# a bare password: any user (root logs in to bash, netops to tmsh)
echo "$EMU_PASSWORD" >"$EMU_TMP/password"
emu_start lb bigip "127.0.0.1:$(emu_free_port)"
P=$EMU_PORT
PID=$EMU_PID
T=$EMU_TMP/lab.yaml
emu_known_hosts "$P" >"$EMU_TMP/kh"
sed -e "s|@USER@|$EMU_USER|; s|@PORT@|$P|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$EMU_TMP/kh|; s|^@FE03@\$||" \
	"$here/lab/bigip.yaml.in" >"$T" || fail "topology"
"$BIN" render --device lb1 "$T" | sed '/^$/d' >"$EMU_TMP/lb1.tmsh" || fail "render lb1"
N=$(wc -l <"$EMU_TMP/lb1.tmsh")
[ "$N" -ge 5 ] || fail "render has $N lines"

cat >"$EMU_TMP/drive.py" <<'EOF'
# netmiko against aclforge-emu: python3 drive.py MODE PORT USER PASSWORD [ARGS]
import sys
from netmiko import ConnectHandler

mode, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = ConnectHandler(device_type="f5_tmsh", host="127.0.0.1", port=port, username=user,
                   password=pw, allow_agent=False, use_keys=False, timeout=20)
print("prompt", c.find_prompt())

def cmd(line):
    out = c.send_command(line)
    return out.replace("\r", "")

if mode == "txn":
    # ARGS: lines-file readback-file: the lines in one transaction, save,
    # then `list ltm` into the readback file
    lines = [l.rstrip("\n") for l in open(sys.argv[5]) if l.strip()]
    out = cmd("create cli transaction")
    for l in lines:
        out += cmd(l)
    queued = cmd("list cli transaction")
    print("queued", sum(1 for l in queued.splitlines() if l.startswith("[")))
    out += cmd("submit cli transaction")
    if out.strip():
        print(out)
        sys.exit("the transaction printed something")
    print("save", " | ".join(l for l in cmd("save sys config").splitlines() if l.strip()))
    open(sys.argv[6], "w").write(cmd("list ltm"))
elif mode == "send":
    # ARGS: command...: each command's output, then a marker
    for line in sys.argv[5:]:
        print(cmd(line))
        print("-- end of", line)
c.disconnect()
EOF
drive() { "$PY" "$EMU_TMP/drive.py" "$@"; }

# ---- root: bash, then tmsh; one transaction; save; read back ----
OUT=$(drive txn "$P" root "$EMU_PASSWORD" "$EMU_TMP/lb1.tmsh" "$EMU_TMP/readback.txt" 2>&1) ||
	fail "netmiko transaction session: $OUT"
echo "$OUT" | cut -c1-200
grep -qF 'prompt root@(lb1)(cfg-sync Standalone)(Active)(/Common)(tmos)#' <<<"$OUT" ||
	fail "netmiko did not reach tmsh from root's bash"
grep -q "^queued $N\$" <<<"$OUT" || fail "the transaction did not hold the $N lines"
grep -q '^save Saving running configuration' <<<"$OUT" || fail "save sys config answer"
grep -q '^ltm virtual aclf_fe-lab-443_vs {' "$EMU_TMP/readback.txt" ||
	fail "the readback is not list ltm output: $(head -5 "$EMU_TMP/readback.txt")"
"$BIN" parse --driver bigip "$EMU_TMP/readback.txt" >"$EMU_TMP/readback.json" || fail "parse of the readback"
grep -q '"vip": "198.18.10.10"' "$EMU_TMP/readback.json" || fail "the readback has no service on the VIP"
"$BIN" diff "$T" --device lb1 --live "$EMU_TMP/readback.txt" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "diff of the readback: $(head -20 "$EMU_TMP/diff.txt")"
echo "== diff of the readback: exit 0"
"$BIN" diff "$T" --device lb1 --live "$(emu_state lb "$P")" >/dev/null 2>&1 || fail "diff of the state file"
OUT=$("$BIN" audit "$T" 2>&1) || fail "audit after netmiko's transaction: $OUT"
grep -qF "lb1: no drift" <<<"$OUT" || fail "audit: $OUT"
echo "== aclforge audit: no drift"
SAVED=$(drive send "$P" netops "$EMU_PASSWORD" "list ltm pool one-line" 2>&1) || fail "netops session: $SAVED"

# ---- a tmsh user; a failed submit changes nothing ----
grep -qF 'prompt netops@(lb1)(cfg-sync Standalone)(Active)(/Common)(tmos)#' <<<"$SAVED" ||
	fail "a tmsh user's prompt: $(head -3 <<<"$SAVED")"
SUM=$(sha256sum <"$(emu_state lb "$P")")
OUT=$(drive send "$P" netops "$EMU_PASSWORD" "create cli transaction" \
	"delete ltm virtual aclf_fe-lab-5061_vs" \
	"modify ltm virtual aclf_fe-lab-443_vs pool aclf_no_such_pool" "submit cli transaction" 2>&1) ||
	fail "failed transaction session: $OUT"
echo "$OUT" | grep -E '^[0-9a-f]{8}:' || fail "no tmsh error from the failed submit: $OUT"
grep -qE '^01020036:3: The requested Pool \(/Common/aclf_no_such_pool\) was not found\.$' <<<"$OUT" ||
	fail "the failed submit's error: $OUT"
[ "$(sha256sum <"$(emu_state lb "$P")")" = "$SUM" ] || fail "a failed submit changed the device"
OUT=$("$BIN" audit "$T" 2>&1) || fail "audit after the failed submit: $OUT"
echo "== failed submit: nothing changed, audit exit 0"

# ---- drift by hand ----
OUT=$(drive send "$P" netops "$EMU_PASSWORD" \
	"modify ltm pool aclf_fe-lab-443_pool members delete { aclf_fe02:443 }" "list ltm" 2>&1) ||
	fail "hand change: $OUT"
printf '%s\n' "$OUT" | sed -n '/^prompt/d; /^-- end of modify/,/^-- end of list/p' | sed '1d;$d' >"$EMU_TMP/readback2.txt"
"$BIN" diff "$T" --device lb1 --live "$EMU_TMP/readback2.txt" >"$EMU_TMP/diff2.txt" 2>&1
RC=$?
[ "$RC" -eq 1 ] || fail "diff after the hand change: exit $RC, expected 1: $(head -20 "$EMU_TMP/diff2.txt")"
grep -qF '198.18.10.10:443/tcp' "$EMU_TMP/diff2.txt" || fail "diff does not name the service: $(cat "$EMU_TMP/diff2.txt")"
OUT=$("$BIN" audit "$T" 2>&1)
RC=$?
[ "$RC" -eq 1 ] && grep -qF '198.18.10.10:443/tcp' <<<"$OUT" || fail "audit after the hand change: exit $RC: $OUT"
echo "== hand change: diff and audit exit 1, naming 198.18.10.10:443/tcp"

emu_stop lb "$PID"
echo PASS
