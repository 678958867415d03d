#!/bin/bash
# aclforge-emu --kind junos driven by an independent client, Debian's
# netmiko (python3-netmiko, /usr/bin/python3, device_type juniper_junos), on
# 127.0.0.1 (emu.bash): session preparation (netmiko's own: screen-length,
# screen-width), the Junos render of the lab topology
# (tests/integration/lab/junos.yaml.in) sent in `configure private` with
# send_config_set and committed with netmiko's commit(), configuration mode
# left, and `show configuration | display set` read back: aclforge parses it
# and `aclforge diff` finds the intended policy; the emulator's state file
# says the same. Then a term deleted and committed with netmiko's
# commit(confirm=True) and never confirmed: the emulator's automatic
# rollback brings the intended policy back (read back again, diff exit 0).
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

# a minute of commit confirmed: long enough for netmiko to commit, leave and
# disconnect before the automatic rollback
UNIT_MS=10000
emu_start main junos "127.0.0.1:$(emu_free_port)" --confirm-unit-ms "$UNIT_MS"
PORT=$EMU_PORT
S=$(emu_state main "$PORT")
T=$EMU_TMP/lab.yaml
emu_known_hosts "$PORT" >"$T.kh"
sed -e "s|@PORT@|$PORT|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T.kh|" \
	"$here/lab/junos.yaml.in" >"$T" || fail "topology"
"$BIN" render "$T" --device fw1 --quiet >"$EMU_TMP/fw1.set" || fail "render fw1"
[ "$(grep -c '^set firewall family inet filter lync-fe term' "$EMU_TMP/fw1.set")" -ge 10 ] ||
	fail "the render has no filter lync-fe"

cat >"$EMU_TMP/drive.py" <<'EOF'
# netmiko against aclforge-emu --kind junos: python3 drive.py MODE PORT PASSWORD ARGS
import sys, time
from netmiko import ConnectHandler

mode, port, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def connect():
    return ConnectHandler(device_type="juniper_junos", host="127.0.0.1", port=port,
                          username="netops", password=pw, allow_agent=False, use_keys=False,
                          timeout=20)

if mode == "config":
    # ARGS: set-file readback-file
    c = connect()
    print("prompt", c.find_prompt())
    lines = [l.rstrip("\n") for l in open(sys.argv[4]) if l.strip() and not l.startswith("#")]
    out = c.send_config_set(lines, config_mode_command="configure private", exit_config_mode=False)
    bad = [l for l in out.splitlines() if l.startswith("error:") or "syntax error" in l]
    if bad:
        sys.exit("the device refused lines: %s" % bad[:3])
    print("config lines", len(lines))
    out = c.commit()
    print("commit", out.strip().replace("\r", "").replace("\n", " | "))
    if "commit complete" not in out:
        sys.exit("no commit complete")
    c.exit_config_mode()
    print("after exit", c.find_prompt())
    # netmiko strips the last line end with the prompt: the capture gets it back
    open(sys.argv[5], "w").write(c.send_command("show configuration | display set").rstrip("\n") + "\n")
    c.disconnect()
elif mode == "unconfirmed":
    # ARGS: a configuration line, committed with commit confirmed 1, never
    # confirmed
    c = connect()
    out = c.send_config_set([sys.argv[4]], config_mode_command="configure private",
                            exit_config_mode=False)
    if "error:" in out or "syntax error" in out:
        sys.exit("refused: " + out)
    print("config", out.strip().replace("\r", "").replace("\n", " | "))
    out = c.commit(confirm=True, confirm_delay=1)
    print("commit confirmed", out.strip().replace("\r", "").replace("\n", " | "))
    if "commit complete" not in out:
        sys.exit("no commit complete")
    c.exit_config_mode()
    c.disconnect()
elif mode == "show":
    c = connect()
    open(sys.argv[4], "w").write(c.send_command("show configuration | display set").rstrip("\n") + "\n")
    c.disconnect()
EOF
drive() { "$PY" "$EMU_TMP/drive.py" "$@"; }

OUT=$(drive config "$PORT" "$EMU_PASSWORD" "$EMU_TMP/fw1.set" "$EMU_TMP/readback.txt" 2>&1) ||
	fail "netmiko config session: $OUT"
echo "$OUT"
grep -q '^prompt netops@fw1>$' <<<"$OUT" || fail "prompt is not netops@fw1>"
grep -q '^after exit netops@fw1>$' <<<"$OUT" || fail "configuration mode not left"
grep -q '^set firewall family inet filter lync-fe term' "$EMU_TMP/readback.txt" ||
	fail "the readback has no filter: $(head -5 "$EMU_TMP/readback.txt")"
"$BIN" parse --driver junos "$EMU_TMP/readback.txt" >"$EMU_TMP/readback.json" ||
	fail "aclforge parse of the readback"
grep -q '"lync-fe"' "$EMU_TMP/readback.json" || fail "the parse lacks lync-fe"
"$BIN" diff "$T" --device fw1 --live "$EMU_TMP/readback.txt" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "diff of the readback: $(head -40 "$EMU_TMP/diff.txt")"
echo "== diff of the readback: exit 0"
"$BIN" diff "$T" --device fw1 --live "$S" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "diff of the state file: $(head -40 "$EMU_TMP/diff.txt")"
echo "== diff of the state file: exit 0"

# a change committed with commit confirmed and never confirmed
OUT=$(drive unconfirmed "$PORT" "$EMU_PASSWORD" \
	"delete firewall family inet filter lync-fe term r0001" 2>&1) || fail "netmiko commit confirmed: $OUT"
echo "$OUT"
grep -q 'commit confirmed will be automatically rolled back in 1 minute' <<<"$OUT" ||
	fail "no commit confirmed banner"
grep -q "lync-fe term r0001 " "$S" && fail "the unconfirmed change is not in the state file"
"$BIN" diff "$T" --device fw1 --live "$S" >/dev/null 2>&1 && fail "the unconfirmed change is no drift"
echo "== the unconfirmed change is drift"
for i in $(seq 1 $((UNIT_MS * 3 / 1000))); do
	grep -q "lync-fe term r0001 " "$S" && break
	sleep 1
done
grep -q "lync-fe term r0001 " "$S" || fail "no automatic rollback within 3 minutes of the emulator's"
echo "== the automatic rollback after ${i} s"
OUT=$(drive show "$PORT" "$EMU_PASSWORD" "$EMU_TMP/readback2.txt" 2>&1) || fail "netmiko show: $OUT"
"$BIN" diff "$T" --device fw1 --live "$EMU_TMP/readback2.txt" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "after the automatic rollback: $(head -40 "$EMU_TMP/diff.txt")"
echo "== after the automatic rollback, read back by netmiko: no drift"

emu_stop main "${EMU_PIDS[0]}"
echo PASS
