#!/bin/bash
# The SSH transport (include/aclforge/ssh.h) against a real OpenSSH sshd in
# the test network (netns.bash): host keys (unknown refused with its
# fingerprint, accept-new, a changed key refused even with accept-new),
# key, agent, password and keyboard-interactive (PAM) logins and wrong
# passwords, key file permissions, exec (stdout, stderr, exit status,
# stdin, large output, the output cap, a timeout that leaves the session
# usable), keepalives, the session time limit, a lost connection, the
# interactive shell (prompt, questions answered from the table, an
# unexpected question ending in an error after the timeout), the transcript
# with secrets scrubbed, and connect failures (closed port, silent address,
# silent server) within the connect timeout. Driven through
# tests/integration/ssh_probe.c ($ACLF_SSH_PROBE). Root only (exit 77
# otherwise); torn down on exit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/netns.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces and sshd"
PROBE=${ACLF_SSH_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no ssh_probe binary at '${PROBE}' (ACLF_SSH_PROBE)"
for t in ssh-keygen ssh-agent ssh-add pgrep ss; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

T_START=$(date +%s%N)
net_up ssh
sshd_user "aclfssh$$"
sshd_hostkey host1
sshd_hostkey host2
FP1=$(fingerprint "$NET_TMP/host1.pub")
FP2=$(fingerprint "$NET_TMP/host2.pub")
[ "$FP1" != "$FP2" ] || fail "two host keys with one fingerprint"
PORT=2222
sshd_start host1 "$PORT"
KH=$NET_TMP/known_hosts
export PW=$SSH_PASSWORD

OUT=
RC=0
# run WHAT ARGS...: the probe from the client namespace; output in OUT,
# exit code in RC, both shown in the log.
run() {
	local what=$1
	shift
	OUT=$(in_ns "$NET_C" "$PROBE" --device dev1 --host "$NET_SRV" --port "$PORT" \
		--user "$SSH_USER" --known-hosts "$KH" "$@" 2>&1)
	RC=$?
	echo "== $what (exit $RC)"
	printf '%s\n' "$OUT" | cut -c1-400 | sed 's/^/   /'
}
has() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output lacks: $1"; }
lacks() { ! printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output has: $1"; }
line_n() { printf '%s\n' "$OUT" | sed -n "${1}p"; }
# A deadline is met when the call returns after it and not much later: the
# slack absorbs a loaded CI machine running ASan builds in parallel (the
# lower bounds stay exact: a call never gives up early).
SLACK=${ACLF_TIME_SLACK_MS:-2500}
# ms N: the ms= field of output line N
ms() { line_n "$1" | sed -n 's/.* ms=\([0-9]*\).*/\1/p'; }
rc_is() { [ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"; }
between() { # between VALUE LO HI WHAT
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ] ||
		fail "$4: ${1:-?} ms, expected $2..$3 ms"
}

# ---- host keys ----
run "unknown host key, strict" --key "$SSH_KEY" exec true
rc_is 3
has "error exit=3 kind=transport"
has "dev1: host key of [$NET_SRV]:$PORT is not in known_hosts '$KH'"
has "the device offers ssh-ed25519 $FP1; refused"
[ ! -e "$KH" ] || fail "a refused key was recorded"

run "accept_new records a first-seen key" --key "$SSH_KEY" --accept-new exec true
rc_is 0
has "open ok auth=publickey recorded=1"
has "hostkey=ssh-ed25519 $FP1"
grep -q "^\[$NET_SRV\]:$PORT ssh-ed25519 " "$KH" || fail "known_hosts lacks the entry: $(cat "$KH")"
[ "$(stat -c %a "$KH")" = 600 ] || fail "known_hosts mode $(stat -c %a "$KH")"

run "second connect, strict, key now known" --key "$SSH_KEY" exec true
rc_is 0
has "open ok auth=publickey recorded=0"

# ---- logins ----
cp "$SSH_KEY" "$NET_TMP/loose_key"
chmod 640 "$NET_TMP/loose_key"
run "key file readable by the group" --key "$NET_TMP/loose_key" exec true
rc_is 2
has "error exit=2 kind=input"
has "key file '$NET_TMP/loose_key' is accessible by group or others (mode 0640): refused"
grep -q "Connection from $NET_CLI" "$NET_TMP/sshd.log" || fail "sshd saw no connections at all"
before=$(grep -c "Connection from $NET_CLI" "$NET_TMP/sshd.log")
chmod 604 "$NET_TMP/loose_key"
run "key file readable by others, a password given too" --key "$NET_TMP/loose_key" \
	--password-env PW exec true
rc_is 2
has "(mode 0604): refused"
[ "$(grep -c "Connection from $NET_CLI" "$NET_TMP/sshd.log")" = "$before" ] ||
	fail "a refused key file still connected"

run "password login" --password-env PW exec 'id -un'
rc_is 0
has "open ok auth=password"
has "exec status=0 signal= ms="
has "out='$SSH_USER\n'"

export BADPW="not-$PW"
run "wrong password" --password-env BADPW exec true
rc_is 3
has "error exit=3 kind=transport"
has "dev1: authentication as '$SSH_USER' failed: tried password (refused); the device offers publickey,password"

run "key refused (not authorized), then password" --key "$NET_TMP/host2" --password-env PW exec true
rc_is 0
has "open ok auth=password"

agent_sock=$NET_TMP/agent.sock
ssh-agent -D -a "$agent_sock" >/dev/null 2>&1 &
NET_PIDS+=("$!")
for _ in $(seq 100); do [ -S "$agent_sock" ] && break; sleep 0.05; done
SSH_AUTH_SOCK=$agent_sock ssh-add -q "$SSH_KEY" 2>/dev/null || fail "ssh-add"
run "agent login" --agent --agent-socket "$agent_sock" exec true
rc_is 0
has "open ok auth=agent"

# ---- exec ----
run "exec: stdout, stderr and exit status apart" --key "$SSH_KEY" \
	exec "sh -c 'echo out; echo err >&2; exit 3'"
rc_is 0
has "exec status=3 signal= "
has "out='out\n' err='err\n'"

big=$(head -c 60000 /dev/urandom | od -An -tx1 | tr -d ' \n' | fold -w 100)
want=$(printf '%s' "$big" | sha256sum | cut -d' ' -f1)
run "exec: stdin data (cat, then a 120 kB input through sha256sum)" --key "$SSH_KEY" \
	exec-in cat $'line 1\nline 2\n' exec-in sha256sum "$big"
rc_is 0
has "out='line 1\nline 2\n' err=''"
has "out='$want  -\n'"

run "exec: 3 MB of output" --key "$SSH_KEY" exec 'head -c 3000000 /dev/zero | wc -c' \
	exec 'seq 1 400000 | tail -n 1'
rc_is 0
has "out='3000000\n'"
has "out='400000\n'"

run "exec: output over the cap, then the session goes on" --key "$SSH_KEY" --cap 1000 \
	exec 'head -c 5000 /dev/zero' exec 'echo ok'
rc_is 3
line_n 2 | grep -qF "error exit=3 kind=transport" || fail "no cap error"
line_n 2 | grep -qF "usable=1" || fail "session unusable after the cap"
has "dev1: 'head -c 5000 /dev/zero': output exceeds the cap of 1000 bytes"
line_n 3 | grep -qF "exec status=0 signal= " || fail "exec after the cap failed"
has "out='ok\n'"

run "exec: per-command timeout, then the session goes on" --key "$SSH_KEY" \
	timeout 500 exec 'sleep 5' exec 'echo still here'
rc_is 3
has "dev1: 'sleep 5': timeout after 500 ms (stdout 0 bytes, stderr 0 bytes); the command was sent SIGTERM and its channel closed; the session stays open"
line_n 2 | grep -qF "usable=1" || fail "session unusable after the timeout"
between "$(ms 2)" 500 $((500 + SLACK)) "timeout of 500 ms"
has "out='still here\n'"
sleep 0.3
! in_ns "$NET_S" pgrep -u "$SSH_UID" -fx 'sleep 5' >/dev/null || fail "'sleep 5' still runs after the timeout: $(grep -i signal "$NET_TMP/sshd.log")"

run "keepalives while a command is silent" --key "$SSH_KEY" --keepalive 200 exec 'sleep 1.2; echo done'
rc_is 0
has "out='done\n'"
n=$(grep -c 'rtype keepalive@openssh.com want_reply 1' "$NET_TMP/sshd.log")
[ "$n" -ge 3 ] || fail "sshd logged $n keepalive requests over 1.2 s at 200 ms, expected at least 3 (6 on an idle machine)"
echo "   sshd logged $n keepalive@openssh.com requests"

run "session time limit" --key "$SSH_KEY" --session-timeout 800 exec 'sleep 3' exec true
rc_is 3
has "dev1: 'sleep 3': session time limit of 800 ms reached"
line_n 2 | grep -qF "usable=0" || fail "session still usable past its time limit"
# the limit counts from the start of the open
between "$(( $(ms 1) + $(ms 2) ))" 800 $((800 + SLACK)) "session limit of 800 ms (open and exec)"
line_n 3 | grep -qF "dev1: 'true': session unusable: session time limit of 800 ms reached" ||
	fail "a command ran past the session's time limit"

run "connection lost during a command" --key "$SSH_KEY" exec 'kill -KILL $PPID' exec true
rc_is 3
line_n 2 | grep -qF "error exit=3 kind=transport" || fail "no error for a lost connection"
line_n 2 | grep -qF "usable=0" || fail "session usable after the connection was lost"
has "connection lost"
line_n 3 | grep -qF "session unusable: connection lost" || fail "no fast failure after the loss"

# ---- interactive shell ----
cat >"$SSH_HOME/.profile" <<'EOF'
PS1='aclfdev$ '
EOF
chown "$SSH_UID" "$SSH_HOME/.profile"
P='^aclfdev\$ $'
run "shell: prompt, questions from the table, an unexpected question" --key "$SSH_KEY" \
	shell "$P" \
	line 'echo hello' \
	answer '^Proceed\? \[confirm\]$' $'y\n' \
	line "read -p 'Proceed? [confirm]' a; echo \"got:\$a\"" \
	answer '^Proceed\? \[confirm\]$' $'\n' \
	answer '^Destination filename \[startup-config\]\? $' $'\n' \
	line "read -p 'Proceed? [confirm]' a; read -p 'Destination filename [startup-config]? ' b; echo \"two:\$a/\$b\"" \
	answer '^Proceed\? \[confirm\]$' $'y\n' \
	timeout 700 line "read -p 'Really? (y/n) ' a; echo never" \
	exec 'echo session still usable' \
	shell "$P" line 'echo second shell'
rc_is 3
has "shell ok ms="
line_n 3 | grep -qF "line ok answered=0" || fail "echo hello"
line_n 3 | grep -qF "prompt='aclfdev\$ ' text='echo hello\r\nhello\r\n'" || fail "echo hello text"
line_n 4 | grep -qF "line ok answered=1" || fail "[confirm] not answered"
line_n 4 | grep -qF 'got:y\r\n' || fail "[confirm] answer not read"
line_n 5 | grep -qF "line ok answered=2" || fail "two questions"
line_n 5 | grep -qF 'two:/\r\n' || fail "two answers not read"
line_n 6 | grep -qF "error exit=3 kind=transport" || fail "unexpected question not an error"
line_n 6 | grep -qF "timeout after 700 ms waiting for the prompt /$P/: the device's last line 'Really? (y/n) ' is not the prompt and matches no expected question; 0 question(s) answered; shell closed, the session stays open" ||
	fail "unexpected question message"
between "$(ms 6)" 700 $((700 + SLACK)) "unexpected question timeout of 700 ms"
line_n 7 | grep -qF "out='session still usable\n'" || fail "exec after the shell timeout"
line_n 8 | grep -qF "shell ok" || fail "a second shell"
line_n 9 | grep -qF "line ok" || fail "a line in the second shell"

run "shell: the device never shows the prompt" --key "$SSH_KEY" timeout 600 shell '^nosuchprompt> $'
rc_is 3
has "dev1: 'shell': timeout after 600 ms waiting for the prompt /^nosuchprompt> \$/: the device's last line 'aclfdev\$ ' is not the prompt (no questions expected)"

# ---- transcript ----
tr=$NET_TMP/dev1.transcript
printf 'hostname dev1\nenable secret 5 $1$abc$xyz\nother line\n' >"$SSH_HOME/running.cfg"
chown "$SSH_UID" "$SSH_HOME/running.cfg"
run "transcript with the password and secret lines scrubbed" --password-env PW \
	--transcript "$tr" --scrub-line '^enable secret' \
	exec "echo pw=$PW" \
	exec-in cat "typed $PW"$'\n' \
	exec 'cat running.cfg' \
	shell "$P" line "echo $PW"
rc_is 0
has "out='pw=$PW\n'"
[ -s "$tr" ] || fail "no transcript"
[ "$(stat -c %a "$tr")" = 600 ] || fail "transcript mode $(stat -c %a "$tr")"
echo "   transcript:"
sed 's/^/     /' "$tr" | head -40
! grep -qF "$PW" "$tr" || fail "the password is in the transcript"
! grep -qF 'abc$xyz' "$tr" || fail "a secret line is in the transcript"
grep -qF '# exec: echo pw=********' "$tr" || fail "command not scrubbed"
grep -qF '< pw=********\n' "$tr" || fail "output not scrubbed"
grep -qF '> typed ********\n' "$tr" || fail "stdin not scrubbed"
grep -qF '< ********\n' "$tr" || fail "secret line not masked"
grep -qF '< other line\n' "$tr" || fail "a plain line was lost"
grep -qF '> echo ********\n' "$tr" || fail "shell line not scrubbed"
grep -qF '# exit-status 0' "$tr" || fail "no exit status event"
grep -qF "# authenticated as $SSH_USER by password" "$tr" || fail "no login event"

# ---- connect failures within the connect timeout ----
run "closed port" --key "$SSH_KEY" --port 2223 --connect-timeout 1000 exec true
rc_is 3
has "dev1: connect to $NET_SRV port 2223: Connection refused"
between "$(ms 1)" 0 999 "refused connection (within the 1000 ms connect timeout)"

run "silent address (nftables drops every packet)" --key "$SSH_KEY" --host "$NET_DARK" \
	--connect-timeout 1000 exec true
rc_is 3
has "dev1: connect to $NET_DARK port $PORT: timeout after 1000 ms"
between "$(ms 1)" 1000 $((1000 + SLACK)) "connect timeout of 1000 ms"

silent_listener 2224
run "silent server (TCP accepted, no SSH banner)" --key "$SSH_KEY" --port 2224 \
	--connect-timeout 1000 exec true
rc_is 3
has "dev1: ssh handshake with $NET_SRV port 2224: timeout after 1000 ms"
between "$(ms 1)" 1000 $((1000 + SLACK)) "handshake timeout of 1000 ms"

# ---- keyboard-interactive (PAM asks for the password) ----
sshd_stop
sshd_start host1 "$PORT" "UsePAM yes" "KbdInteractiveAuthentication yes" \
	"PasswordAuthentication no"
run "keyboard-interactive login" --password-env PW exec 'echo kbd'
rc_is 0
has "open ok auth=keyboard-interactive"
has "out='kbd\n'"
run "keyboard-interactive, wrong password" --password-env BADPW exec true
rc_is 3
has "dev1: authentication as '$SSH_USER' failed: tried keyboard-interactive (refused); the device offers publickey,keyboard-interactive"

# ---- a changed host key ----
sshd_stop
sshd_start host2 "$PORT"
cp "$KH" "$NET_TMP/known_hosts.before"
run "changed host key, strict" --key "$SSH_KEY" exec true
rc_is 3
has "dev1: host key of [$NET_SRV]:$PORT has CHANGED: known_hosts '$KH' has line 1: ssh-ed25519 $FP1; the device offers ssh-ed25519 $FP2; refused"
run "changed host key, accept_new" --key "$SSH_KEY" --accept-new exec true
rc_is 3
has "has CHANGED"
has "$FP2"
cmp -s "$KH" "$NET_TMP/known_hosts.before" || fail "accept_new changed known_hosts for a changed key"

T_END=$(date +%s%N)
echo "PASS ($(( (T_END - T_START) / 1000000 )) ms)"
