#!/bin/bash
# aclforge-emu --kind ios driven by an independent client, Debian's netmiko
# (python3-netmiko, /usr/bin/python3, device_type cisco_ios), on 127.0.0.1:
# session preparation (terminal length 0, terminal width 511), the IOS
# render of inventory/examples/small.yaml's core1 pasted with
# send_config_set, save_config, and `show running-config` read back: aclforge
# parses it and `aclforge diff` finds the intended policy (and finds drift
# once an entry is deleted by hand); counters injected with `emu-control`
# show in `show access-lists`; --state-dir holds each port's configuration,
# ports of one range are independent devices; --reject gives netmiko the
# caret error; a wrong password is refused; --drop-after cuts the connection
# and --hang-after leaves the client waiting on an open connection; SIGTERM
# ends the emulator cleanly (exit 0, nothing from ASan). Loopback only, no
# root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

EMU=${ACLF_EMU:-}
BIN=${ACLF_BIN:-}
SRC=${ACLF_SRCDIR:-$(cd "$here/../.." && pwd)}
PY=/usr/bin/python3
[ -n "$EMU" ] && [ -x "$EMU" ] || fail "no aclforge-emu binary at '${EMU}' (ACLF_EMU)"
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
[ -x "$PY" ] && "$PY" -c 'import netmiko' 2>/dev/null || skip "needs python3-netmiko (scripts/setup)"
command -v ssh-keygen >/dev/null 2>&1 || skip "needs ssh-keygen"
command -v ssh >/dev/null 2>&1 || skip "needs ssh"

TMP=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -C emu-host -f "$TMP/host_key" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -C emu-client -f "$TMP/client_key" || fail "ssh-keygen"
cp "$TMP/client_key.pub" "$TMP/authorized_keys"
PW='S3cret-pw'
echo "netops:$PW" >"$TMP/password"
chmod 600 "$TMP/password" "$TMP/client_key"

EMU_PID=
PORT=
# start NAME LISTEN ARGS...: aclforge-emu in the background; sets EMU_PID and
# PORT (the first port of the line it prints once ready)
start() {
	local name=$1 listen=$2 i
	shift 2
	"$EMU" --kind ios --listen "$listen" --host-key "$TMP/host_key" \
		--authorized-keys "$TMP/authorized_keys" --password-file "$TMP/password" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" &
	EMU_PID=$!
	PIDS+=("$EMU_PID")
	for i in $(seq 1 200); do
		if grep -q '^listening ' "$TMP/$name.out"; then
			PORT=$(sed -n 's/^listening 127\.0\.0\.1:\([0-9]*\)-[0-9]*$/\1/p' "$TMP/$name.out")
			[ -n "$PORT" ] || fail "$name: bad ready line: $(cat "$TMP/$name.out")"
			echo "== [${SECONDS}s] $name: $(cat "$TMP/$name.out") (pid $EMU_PID)"
			return 0
		fi
		kill -0 "$EMU_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	fail "$name: no 'listening' line within 20 s"
}
# stop NAME PID: SIGTERM, gone within 20 s, exit 0 and a quiet stderr (ASan
# reports there)
stop() {
	local name=$1 pid=$2 rc i
	kill -TERM "$pid" || fail "$name: not running"
	for i in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && fail "$name: still running 20 s after SIGTERM"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "$name: exit $rc after SIGTERM: $(cat "$TMP/$name.err")"
	[ ! -s "$TMP/$name.err" ] || fail "$name: stderr after SIGTERM: $(head -c 3000 "$TMP/$name.err")"
}

cat >"$TMP/drive.py" <<'EOF'
# netmiko against aclforge-emu: python3 drive.py MODE PORT [ARGS]
import sys, time
from netmiko import ConnectHandler
from netmiko.ssh_exception import NetMikoAuthenticationException

mode, port = sys.argv[1], int(sys.argv[2])
# "user:password" or a bare password (any user)
pw = open(sys.argv[3]).read().strip().split(":", 1)[-1] if len(sys.argv) > 3 else ""

def connect(password=None, **kw):
    args = dict(device_type="cisco_ios", host="127.0.0.1", port=port, username="netops",
                password=pw if password is None else password, allow_agent=False,
                use_keys=False, timeout=20)
    args.update(kw)
    return ConnectHandler(**args)

if mode == "config":
    # ARGS: password-file config-file readback-file
    c = connect()
    print("prompt", c.find_prompt())
    lines = [l.rstrip("\n") for l in open(sys.argv[4]) if l.strip() and not l.startswith("!")]
    out = c.send_config_set(lines)
    if "% " in out:
        print(out)
        sys.exit("the device refused a line")
    print("config lines", len(lines))
    print("save", c.save_config().strip().replace("\r", "").replace("\n", " | "))
    open(sys.argv[5], "w").write(c.send_command("show running-config"))
    c.disconnect()
elif mode == "send":
    # ARGS: password-file command...: each command's output, then a marker
    c = connect()
    for cmd in sys.argv[4:]:
        print(c.send_command(cmd))
        print("-- end of", cmd)
    c.disconnect()
elif mode == "config_lines":
    c = connect()
    print(c.send_config_set(sys.argv[4:]))
    c.disconnect()
elif mode == "key":
    # public key login (the key file is ARGS[1])
    c = connect(password="", use_keys=True, key_file=sys.argv[4])
    print("key login", c.find_prompt())
    c.disconnect()
elif mode == "enable":
    # a privilege 1 user (key login): user EXEC, then enable with the secret
    c = connect(password="", use_keys=True, key_file=sys.argv[4], username="ro",
                secret=sys.argv[5])
    print("user prompt", c.find_prompt())
    c.enable()
    print("enabled prompt", c.find_prompt())
    c.disconnect()
elif mode == "wrongpw":
    try:
        connect(password="not-" + pw)
    except NetMikoAuthenticationException as e:
        print("refused:", str(e).splitlines()[0])
        sys.exit(0)
    sys.exit("a wrong password was accepted")
elif mode == "drop":
    c = connect()
    done = 0
    try:
        for cmd in ["show version", "show privilege", "show privilege", "show privilege"]:
            out = c.send_command(cmd, max_loops=50)
            if not out.strip():
                raise IOError("empty answer")
            done += 1
    except Exception as e:
        # a cut connection, not a slow answer: the transport is gone
        print("answered", done, "then", type(e).__name__, "; transport active",
              c.remote_conn.get_transport().is_active())
        sys.exit(0)
    sys.exit("the connection was never cut")
elif mode == "hang":
    c = connect()
    print("answered", c.send_command("show privilege").strip())
    t = time.time()
    try:
        c.send_command("show version", max_loops=25)
    except Exception as e:
        print("gave up after %.0f s: %s; transport active %s" %
              (time.time() - t, type(e).__name__, c.remote_conn.get_transport().is_active()))
        sys.exit(0)
    sys.exit("a hung device answered")
EOF

drive() { "$PY" "$TMP/drive.py" "$@"; }

# ---- render, paste, save, read back, compare by meaning ----
TOPO=$SRC/inventory/examples/small.yaml
"$BIN" render "$TOPO" --device core1 --quiet >"$TMP/core1.ios" || fail "render core1"
[ "$(grep -c '^ip access-list extended' "$TMP/core1.ios")" -ge 1 ] || fail "render has no list"
mkdir "$TMP/state"
start main "127.0.0.1:0" --state-dir "$TMP/state" || fail "main: did not start: $(cat "$TMP/main.err")"
MAIN_PID=$EMU_PID
MAIN=$PORT
OUT=$(drive config "$MAIN" "$TMP/password" "$TMP/core1.ios" "$TMP/readback.txt" 2>&1) ||
	fail "netmiko config session: $OUT"
echo "$OUT"
grep -q '^prompt sw1#$' <<<"$OUT" || fail "prompt is not sw1#"
grep -q '^save .*Building configuration... | \[OK\]' <<<"$OUT" || fail "write mem answer"
grep -q '^Current configuration : [0-9]* bytes' "$TMP/readback.txt" || fail "readback is not a running-config"
"$BIN" parse --driver ios "$TMP/readback.txt" >"$TMP/readback.json" || fail "aclforge parse of the readback"
"$BIN" diff "$TOPO" --device core1 --live "$TMP/readback.txt" >"$TMP/diff.txt" 2>&1 ||
	fail "diff of the readback: $(head -40 "$TMP/diff.txt")"
echo "== diff of the readback: exit 0"
# --state-dir: the same configuration, written by the emulator itself
[ -f "$TMP/state/$MAIN.cfg" ] || fail "no $MAIN.cfg in --state-dir"
"$BIN" diff "$TOPO" --device core1 --live "$TMP/state/$MAIN.cfg" >/dev/null 2>&1 ||
	fail "diff of the state file"
ls "$TMP/state" | grep -v "^$MAIN.cfg\$" && fail "--state-dir has other files than $MAIN.cfg"

# counters: packets injected with emu-control, seen through netmiko
SSHO=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
	-o BatchMode=yes -o IdentitiesOnly=yes -i "$TMP/client_key")
LIST=$(sed -n 's/^ip access-list extended //p' "$TMP/core1.ios" | head -1)
IFACE=$(awk '/^interface /{i=$2} /ip access-group '"$LIST"' /{print i " " $NF; exit}' "$TMP/core1.ios")
[ -n "$IFACE" ] || fail "no binding of $LIST in the render"
C=$(ssh "${SSHO[@]}" -p "$MAIN" netops@127.0.0.1 "emu-control packet $IFACE ip 198.18.0.1 1 198.18.0.2 2" 2>&1) &&
	fail "emu-control took protocol 'ip' for a packet: $C"
C=$(ssh "${SSHO[@]}" -p "$MAIN" netops@127.0.0.1 "emu-control packet $IFACE udp 198.18.0.1 1 198.18.0.2 9" 2>&1) ||
	fail "emu-control: $C"
C=$(tr -d '\r' <<<"$C")
echo "== emu-control: $C"
SEQ=$(sed -n "s/^\(permit\|deny\) $LIST \([0-9]*\)\$/\2/p" <<<"$C")
[ -n "$SEQ" ] || fail "emu-control answer: $C"
OUT=$(drive send "$MAIN" "$TMP/password" "show ip access-lists $LIST") || fail "show ip access-lists: $OUT"
grep -qE "^ +$SEQ .* \(1 match\)" <<<"$OUT" || fail "entry $SEQ of $LIST has no (1 match): $OUT"

# drift: one permit entry deleted by hand is found by aclforge diff
SEQ=$(sed -n 's/^ *\([0-9]*\) permit .*/\1/p' <<<"$OUT" | head -1)
[ -n "$SEQ" ] || fail "no permit entry in $LIST: $OUT"
OUT=$(drive config_lines "$MAIN" "$TMP/password" "ip access-list extended $LIST" "no $SEQ") ||
	fail "deleting entry $SEQ: $OUT"
drive send "$MAIN" "$TMP/password" "show running-config" >"$TMP/readback2.txt" || fail "second read"
"$BIN" diff "$TOPO" --device core1 --live "$TMP/readback2.txt" >"$TMP/diff2.txt" 2>&1
RC=$?
[ "$RC" -eq 1 ] || fail "diff after deleting entry $SEQ: exit $RC, expected 1: $(head -20 "$TMP/diff2.txt")"
echo "== diff after deleting entry $SEQ of $LIST: exit 1"

# key login, wrong password
OUT=$(drive key "$MAIN" "$TMP/password" "$TMP/client_key" 2>&1) || fail "key login: $OUT"
echo "$OUT"
OUT=$(drive wrongpw "$MAIN" "$TMP/password" 2>&1) || fail "wrong password: $OUT"
echo "$OUT"
# enable: a user of privilege 1 starts in user EXEC
OUT=$(drive config_lines "$MAIN" "$TMP/password" "username ro privilege 1" "enable secret 0 En4ble") ||
	fail "configuring a user: $OUT"
OUT=$(drive enable "$MAIN" "$TMP/password" "$TMP/client_key" En4ble 2>&1) || fail "enable: $OUT"
echo "$OUT"
grep -q '^user prompt sw1>$' <<<"$OUT" || fail "the privilege 1 user did not start in user EXEC"
grep -q '^enabled prompt sw1#$' <<<"$OUT" || fail "enable did not reach privileged EXEC"
OUT=$(drive enable "$MAIN" "$TMP/password" "$TMP/client_key" wrong 2>&1) && fail "a wrong enable secret worked: $OUT"
echo "== a wrong enable secret: $(tail -1 <<<"$OUT")"
stop main "$MAIN_PID"

# ---- a range: independent devices ----
for try in 1 2 3 4 5; do
	BASE=$((20000 + RANDOM % 30000))
	rm -rf "$TMP/rstate" && mkdir "$TMP/rstate"
	start range "127.0.0.1:$BASE-$((BASE + 2))" --state-dir "$TMP/rstate" && break
	wait "$EMU_PID" 2>/dev/null
	[ "$try" -lt 5 ] || fail "no free range of 3 ports: $(cat "$TMP/range.err")"
done
RANGE_PID=$EMU_PID
grep -q "^listening 127.0.0.1:$BASE-$((BASE + 2))\$" "$TMP/range.out" || fail "range ready line"
OUT=$(drive config_lines "$((BASE + 1))" "$TMP/password" "ip access-list extended ONLY-ON-2" \
	" permit tcp any any eq 5061") || fail "config on port $((BASE + 1)): $OUT"
grep -q 'ONLY-ON-2' "$TMP/rstate/$((BASE + 1)).cfg" || fail "port $((BASE + 1)) lacks its list"
grep -q 'ONLY-ON-2' "$TMP/rstate/$BASE.cfg" "$TMP/rstate/$((BASE + 2)).cfg" && fail "another port has the list"
OUT=$(drive send "$((BASE + 2))" "$TMP/password" "show running-config") || fail "read port 3"
grep -q '^hostname sw3' <<<"$OUT" || fail "the third port is not sw3"
echo "== range $BASE-$((BASE + 2)): independent devices sw1..sw3"
# SIGTERM with sessions still open: a shell waiting for input, a client
# that never finishes the key exchange
sleep 30 | ssh "${SSHO[@]}" -p "$BASE" -tt netops@127.0.0.1 >"$TMP/open_shell.txt" 2>&1 &
SHELL_PID=$!
PIDS+=("$SHELL_PID")
exec 7<>/dev/tcp/127.0.0.1/$((BASE + 1)) || fail "a plain TCP connection to the range"
for i in $(seq 1 100); do
	grep -q 'sw1#' "$TMP/open_shell.txt" && break
	sleep 0.1
done
grep -q 'sw1#' "$TMP/open_shell.txt" || fail "no prompt in the open shell: $(cat "$TMP/open_shell.txt")"
stop range "$RANGE_PID"
exec 7<&-
echo "== SIGTERM with an open shell and a silent connection: exit 0"


# ---- --reject: the caret error reaches netmiko (a bare password file) ----
echo "$PW-bare" >"$TMP/password_bare"
start reject "127.0.0.1:0" --reject '^ *permit tcp .* eq 5061$' --password-file "$TMP/password_bare" ||
	fail "reject: did not start"
OUT=$(drive wrongpw "$PORT" "$TMP/password_bare" 2>&1) || fail "wrong bare password: $OUT"
OUT=$(drive config_lines "$PORT" "$TMP/password_bare" "ip access-list extended R" " permit tcp any any eq 5061" \
	" permit tcp any any eq 443") || fail "reject session: $OUT"
echo "$OUT"
grep -q "% Invalid input detected at '^' marker." <<<"$OUT" || fail "no caret error in netmiko's output"
grep -qE '^ +\^' <<<"$OUT" || fail "no caret line"
OUT=$(drive send "$PORT" "$TMP/password_bare" "show access-lists R") || fail "reject read"
grep -q 'eq 5061' <<<"$OUT" && fail "a rejected line was applied"
grep -q '10 permit tcp any any eq 443' <<<"$OUT" || fail "the line after the rejected one is missing"
stop reject "$EMU_PID"

# ---- --drop-after: netmiko's session preparation sends 2 commands ----
start drop "127.0.0.1:0" --drop-after 3 || fail "drop: did not start"
OUT=$(drive drop "$PORT" "$TMP/password" 2>&1) || fail "drop: $OUT"
echo "== drop-after 3: $OUT"
grep -q '^answered 1 then ' <<<"$OUT" || fail "expected one answered command before the cut"
grep -q 'transport active False' <<<"$OUT" || fail "the connection was not cut"
stop drop "$EMU_PID"

# ---- --hang-after: no answer, the connection stays ----
start hang "127.0.0.1:0" --hang-after 3 || fail "hang: did not start"
OUT=$(drive hang "$PORT" "$TMP/password" 2>&1) || fail "hang: $OUT"
echo "== hang-after 3: $OUT"
grep -q 'transport active True' <<<"$OUT" || fail "the hung connection was closed"
stop hang "$EMU_PID"

# ---- usage ----
"$EMU" --kind nosuch --listen 127.0.0.1:0 --host-key "$TMP/host_key" \
	--authorized-keys "$TMP/authorized_keys" >/dev/null 2>"$TMP/usage.err"
RC=$?
[ "$RC" -eq 2 ] || fail "unknown kind: exit $RC"
grep -q "unknown kind 'nosuch'" "$TMP/usage.err" || fail "unknown kind message: $(cat "$TMP/usage.err")"
"$EMU" --kind ios --listen 127.0.0.1:5-4 --host-key "$TMP/host_key" \
	--authorized-keys "$TMP/authorized_keys" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a reversed port range was taken"
"$EMU" --kind ios --listen 127.0.0.1:0 --host-key "$TMP/host_key.pub" \
	--authorized-keys "$TMP/authorized_keys" >/dev/null 2>"$TMP/usage.err"
RC=$?
[ "$RC" -eq 2 ] || fail "a public key as host key: exit $RC"
grep -q "cannot read the host key" "$TMP/usage.err" || fail "host key message: $(cat "$TMP/usage.err")"
"$EMU" --kind ios --listen 127.0.0.1:0 --host-key "$TMP/host_key" \
	--authorized-keys "$TMP/host_key" >/dev/null 2>"$TMP/usage.err"
RC=$?
[ "$RC" -eq 2 ] || fail "a private key as authorized keys: exit $RC"
grep -q "not a public key line" "$TMP/usage.err" || fail "authorized keys message: $(cat "$TMP/usage.err")"
echo "PASS after ${SECONDS}s"
