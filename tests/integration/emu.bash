# Emulated devices for integration tests, sourced (not a test itself: ctest
# runs *.sh). aclforge-emu on 127.0.0.1 only; everything it starts is
# stopped by emu_teardown (call it from the test's EXIT trap).
#
#   emu_init                  EMU_TMP (a private temp dir), a host key, a
#                             client key (EMU_KEY, mode 0600) in
#                             authorized_keys, a password file for user
#                             netops (EMU_USER, EMU_PASSWORD)
#   emu_start NAME KIND LISTEN [ARGS...]
#                             aclforge-emu --kind KIND --listen LISTEN
#                             (e.g. 127.0.0.1:0-0 for a free port is not
#                             supported: pick a port range) with the keys,
#                             --state-dir $EMU_TMP/NAME.state and ARGS; waits
#                             for its ready line; sets EMU_PID and EMU_PORT
#                             (the first port of the range)
#   emu_known_hosts PORT...   known_hosts lines for those ports (stdout)
#   emu_stop NAME PID         SIGTERM; fails unless it exits 0 within 20 s
#                             with nothing on stderr (ASan reports there)
#   emu_state NAME PORT       path of that device's running configuration
#   emu_free_port             a TCP port on 127.0.0.1 free right now, with
#                             the next 255 free as well
#   EMU_NSX=(nsenter --net=/run/netns/NS)
#                             set by the test: emu_start and emu_free_port
#                             run there (127.0.0.1 of that namespace)
#
# Needs ACLF_EMU (the aclforge-emu binary, set by ctest) and `fail` from the
# test.

EMU_PIDS=()
EMU_NSX=()

emu_teardown() {
	local p
	for p in "${EMU_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	EMU_PIDS=()
	[ -n "${EMU_TMP:-}" ] && rm -rf "$EMU_TMP"
	return 0
}

emu_init() {
	[ -n "${ACLF_EMU:-}" ] && [ -x "$ACLF_EMU" ] || fail "no aclforge-emu binary at '${ACLF_EMU:-}' (ACLF_EMU)"
	command -v ssh-keygen >/dev/null 2>&1 || skip "needs ssh-keygen"
	EMU_TMP=$(mktemp -d /tmp/aclf-emu.XXXXXX) || fail "mktemp"
	ssh-keygen -q -t ed25519 -N '' -C emu-host -f "$EMU_TMP/host_key" || fail "ssh-keygen"
	ssh-keygen -q -t ed25519 -N '' -C emu-client -f "$EMU_TMP/client_key" || fail "ssh-keygen"
	cp "$EMU_TMP/client_key.pub" "$EMU_TMP/authorized_keys"
	EMU_USER=netops
	EMU_PASSWORD='Emu-pw-42'
	echo "$EMU_USER:$EMU_PASSWORD" >"$EMU_TMP/password"
	chmod 600 "$EMU_TMP/password" "$EMU_TMP/client_key"
	EMU_KEY=$EMU_TMP/client_key
}

emu_free_port() {
	"${EMU_NSX[@]}" python3 - <<'PY'
import random, socket
for _ in range(200):
    base = random.randrange(20000, 60000 - 256)
    ok = True
    for p in range(base, base + 256):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            ok = False
        finally:
            s.close()
        if not ok:
            break
    if ok:
        print(base)
        break
PY
}

emu_start() {
	local name=$1 kind=$2 listen=$3 i
	shift 3
	mkdir -p "$EMU_TMP/$name.state"
	"${EMU_NSX[@]}" "$ACLF_EMU" --kind "$kind" --listen "$listen" --host-key "$EMU_TMP/host_key" \
		--authorized-keys "$EMU_TMP/authorized_keys" --password-file "$EMU_TMP/password" \
		--state-dir "$EMU_TMP/$name.state" "$@" >"$EMU_TMP/$name.out" 2>"$EMU_TMP/$name.err" &
	EMU_PID=$!
	EMU_PIDS+=("$EMU_PID")
	for i in $(seq 1 300); do
		if grep -q '^listening ' "$EMU_TMP/$name.out"; then
			EMU_PORT=$(sed -n 's/^listening [0-9.]*:\([0-9]*\)\(-[0-9]*\)\{0,1\}$/\1/p' "$EMU_TMP/$name.out")
			[ -n "$EMU_PORT" ] || fail "$name: bad ready line: $(cat "$EMU_TMP/$name.out")"
			return 0
		fi
		kill -0 "$EMU_PID" 2>/dev/null || fail "$name: aclforge-emu exited: $(cat "$EMU_TMP/$name.err")"
		sleep 0.1
	done
	fail "$name: no 'listening' line within 30 s"
}

emu_known_hosts() {
	local port key
	key=$(cut -d' ' -f1,2 "$EMU_TMP/host_key.pub")
	for port in "$@"; do
		echo "[127.0.0.1]:$port $key"
	done
}

emu_state() {
	echo "$EMU_TMP/$1.state/$2.cfg"
}

emu_stop() {
	local name=$1 pid=$2 rc i
	kill -TERM "$pid" 2>/dev/null || fail "$name: not running"
	for i in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && fail "$name: still running 20 s after SIGTERM"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "$name: exit $rc after SIGTERM: $(cat "$EMU_TMP/$name.err")"
	[ -s "$EMU_TMP/$name.err" ] && fail "$name: stderr: $(cat "$EMU_TMP/$name.err")"
	return 0
}
