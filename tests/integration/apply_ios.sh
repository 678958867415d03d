#!/bin/bash
# fetch, plan, apply and audit against an emulated IOS switch (aclforge-emu
# --kind ios on 127.0.0.1, tests/integration/emu.bash) with the lab topology
# tests/integration/lab/ios.yaml.in:
#   - fetch; plan exit 1 with the commands; apply --yes; the emulator's
#     state file then parses to the intended meaning (diff exit 0)
#   - apply again: unchanged and the state file not rewritten
#   - a change by hand over ssh: audit exit 1 naming it; apply repairs it
#   - faults, each device read back by fetch afterwards and found on its
#     old or its new policy: a rejected command (caret error), a connection
#     cut during the load, a device that stops answering (timeout), a
#     question apply does not expect (enable's Password:) is an error, not
#     a hang
# Loopback only; no root needed; everything is stopped on exit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/emu.bash"
. "$here/runlib.bash"
RUN_LINES=60
trap emu_teardown EXIT

BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
command -v ssh >/dev/null 2>&1 || skip "needs ssh (OpenSSH client)"

emu_init
T=$EMU_TMP/lab.yaml


# start NAME [EMU ARGS...]: an emulator on a free port, the topology for it
start() {
	local name=$1 port
	shift
	port=$(emu_free_port) || fail "no free port"
	emu_start "$name" ios "127.0.0.1:$port" "$@"
	emu_known_hosts "$EMU_PORT" >"$EMU_TMP/known_hosts"
	sed -e "s|@USER@|$EMU_USER|" -e "s|@PORT@|$EMU_PORT|" -e "s|@KEY@|$EMU_KEY|" \
		-e "s|@KNOWN_HOSTS@|$EMU_TMP/known_hosts|" "$here/lab/ios.yaml.in" >"$T" ||
		fail "topology"
	STATE=$(emu_state "$name" "$EMU_PORT")
}

# config NAME LINES...: configuration lines typed by hand (OpenSSH client)
config() {
	local port=$EMU_PORT
	{
		echo "configure terminal"
		for l in "$@"; do echo "$l"; done
		echo "end"
		echo "exit"
	} | ssh -T -p "$port" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/known_hosts" \
		-o StrictHostKeyChecking=yes -o BatchMode=yes "$EMU_USER@127.0.0.1" >"$EMU_TMP/config.out" 2>&1 ||
		fail "config by hand: $(cat "$EMU_TMP/config.out")"
}

# on POLICY: the device, read back by fetch, means POLICY (new: the
# intended one; old: the one saved in $OLD)
on() {
	"$BIN" fetch "$T" --device sw1 >"$EMU_TMP/now.txt" 2>&1 || fail "fetch after: $(cat "$EMU_TMP/now.txt")"
	if [ "$1" = new ]; then
		"$BIN" diff "$T" --device sw1 --live "$EMU_TMP/now.txt" >"$EMU_TMP/now.diff" 2>&1 ||
			fail "not on the new policy: $(head -20 "$EMU_TMP/now.diff")"
	else
		cmp -s <(grep -v '^Current configuration\|^Building' "$EMU_TMP/now.txt") \
			<(grep -v '^Current configuration\|^Building' "$OLD") ||
			fail "not on the old policy: $(diff "$OLD" "$EMU_TMP/now.txt" | head -20)"
	fi
}

# ---- fetch, plan, apply ----
start main
run "fetch" fetch "$T" --device sw1
rc_is 0
has "hostname"
printf '%s\n' "$OUT" >"$EMU_TMP/before.txt"

run "plan: sw1 changes" plan "$T"
rc_is 1
has "sw1: changes"
has "ip access-list extended LAB-SERVERS"
has "interface Vlan110"
has " ip access-group LAB-SERVERS out"

run "apply" apply "$T" --yes
rc_is 0
has "applied"
[ -s "$STATE" ] || fail "no state file $STATE"
"$BIN" parse --driver ios "$STATE" >"$EMU_TMP/state.json" || fail "the state file does not parse"
"$BIN" diff "$T" --device sw1 --live "$STATE" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "state file does not mean the intended policy: $(head -20 "$EMU_TMP/diff.txt")"

# ---- again: nothing to change, nothing written ----
SUM=$(sha256sum <"$STATE")
MT=$(stat -c %Y.%y "$STATE")
run "plan after apply: nothing to change" plan "$T"
rc_is 0
run "apply again: unchanged" apply "$T" --yes
rc_is 0
has "unchanged"
[ "$(sha256sum <"$STATE")" = "$SUM" ] && [ "$(stat -c %Y.%y "$STATE")" = "$MT" ] ||
	fail "apply of an unchanged device rewrote its configuration"
run "audit: no drift" audit "$T"
rc_is 0

# ---- a change by hand: audit names it, apply repairs it (version B) ----
config "ip access-list extended LAB-SERVERS" "1 permit tcp any any eq 9999"
run "audit: drift" audit "$T"
rc_is 1
has "sw1"
has "9999"
run "apply repairs the drift" apply "$T" --yes
rc_is 0
has "applied"
"$BIN" diff "$T" --device sw1 --live "$STATE" >"$EMU_TMP/diff.txt" 2>&1 ||
	fail "after repair: $(head -20 "$EMU_TMP/diff.txt")"
grep -q '^ip access-list extended LAB-SERVERS.B$' "$STATE" || fail "version B not written"
grep -q '^ip access-list extended LAB-SERVERS$' "$STATE" && fail "old version A list left"
grep -q '^object-group network clients$' "$STATE" && fail "old version A group left"
grep -q '^object-group network clients.B$' "$STATE" || fail "version B group not written"
# and back to version A
config "ip access-list extended LAB-SERVERS.B" "1 permit tcp any any eq 9999"
run "apply back to version A" apply "$T" --yes
rc_is 0
has "applied"
"$BIN" diff "$T" --device sw1 --live "$STATE" >/dev/null 2>&1 || fail "after the third apply"
grep -q '\.B' "$STATE" && fail "version B left: $(grep '\.B' "$STATE" | head)"
cp "$STATE" "$EMU_TMP/applied.cfg"

# ---- faults: each on an emulator of its own, which starts on an old policy
# typed by hand (two lists bound, version A names); the device is read back
# by fetch afterwards and must be on its old or its new policy ----

# same_config A B: the same blocks (header and lines), in any order
same_config() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import sys
def blocks(path):
    out, cur = [], None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\r\n")
        if line.startswith(("Building configuration", "Current configuration")) or not line or line == "!":
            cur = None
            continue
        if line.startswith(" ") and cur is not None:
            cur.append(line)
        else:
            cur = [line]
            out.append(cur)
    return sorted("\n".join(b) for b in out)
a, b = blocks(sys.argv[1]), blocks(sys.argv[2])
if a != b:
    for x in sorted(set(a) ^ set(b))[:6]:
        print(("only in old: " if x in a else "only in now: ") + x.replace("\n", " | ")[:200])
    sys.exit(1)
PY
}

# fault NAME EMU_ARGS...: start it, type the old policy, save it as $OLD
fault() {
	local name=$1
	shift
	start "$name" "$@"
	config "ip access-list extended LAB-SERVERS" " permit tcp any any eq 22" " deny ip any any" \
		"ip access-list extended LAB-CLIENTS" " permit udp any any eq 53" \
		"interface Vlan110" " ip access-group LAB-SERVERS out" \
		"interface Vlan20" " ip access-group LAB-CLIENTS out"
	OLD=$EMU_TMP/$name.old
	"$BIN" fetch "$T" --device sw1 >"$OLD" 2>&1 || fail "$name: fetch the old policy: $(cat "$OLD")"
	grep -q "ip access-group LAB-SERVERS out" "$OLD" || fail "$name: the old policy is not there"
}

# ends_on: the device read back is on its old policy (same blocks) or its
# new one (diff exit 0); prints which; the outcome line must say the same
ends_on() {
	local want=$1
	"$BIN" fetch "$T" --device sw1 >"$EMU_TMP/now.txt" 2>&1 || fail "fetch after: $(cat "$EMU_TMP/now.txt")"
	if same_config "$OLD" "$EMU_TMP/now.txt" >"$EMU_TMP/same.txt"; then
		echo "   read back: old policy"
		[ "$want" = old ] || fail "on the old policy, expected $want"
		has "ends on: old policy"
	elif "$BIN" diff "$T" --device sw1 --live "$EMU_TMP/now.txt" >/dev/null 2>&1; then
		echo "   read back: new policy"
		[ "$want" = new ] || fail "on the new policy, expected $want"
	else
		fail "neither the old nor the new policy: $(cat "$EMU_TMP/same.txt")"
	fi
}

# a rejected binding command: the IPv4 binding went in, the IPv6 one is
# refused with the caret error; rollback binds the old list again
fault reject --reject '^ ipv6 traffic-filter LAB-SERVERS\.B-V6 out$'
run "apply: the device rejects a binding" apply "$T" --yes
rc_is 3
has "rolled back"
has "ipv6 traffic-filter LAB-SERVERS.B-V6 out"
has "% Invalid input detected at '^' marker."
has "^"
ends_on old

# a rejected removal after the old servers' list was removed: rollback
# defines it again from the configuration read before the load
fault reject2 --reject '^no ip access-list extended LAB-CLIENTS$'
run "apply: the device rejects a removal" apply "$T" --yes
rc_is 3
has "rolled back"
has "no ip access-list extended LAB-CLIENTS"
has "% Invalid input detected at '^' marker."
ends_on old

# the connection cut during the load (after 40 commands of the session:
# while the new groups are written); rollback over a new session
fault drop --drop-after 40
run "apply: connection cut during the load" apply "$T" --yes --confirm-timeout 5
rc_is 3
has "rolled back"
ends_on old

# the device stops answering during the load: the command times out, the
# rollback runs over a new session
fault hang --hang-after 40
START=$SECONDS
run "apply: the device stops answering" apply "$T" --yes --command-timeout 5 --confirm-timeout 5
rc_is 3
has "rolled back"
has "timeout after 5000 ms"
lacks "closed the channel"
[ $((SECONDS - START)) -lt 120 ] || fail "took $((SECONDS - START)) s"
ends_on old

# the same faults do not stop a device that only asks what apply expects:
# the save answers `copy`'s "Destination filename [startup-config]?"
fault saved
run "apply: saved with copy, its question answered" apply "$T" --yes --transcripts "$EMU_TMP"
rc_is 0
has "applied"
grep -q 'Destination filename \[startup-config\]?' "$EMU_TMP/sw1.log" || fail "no save question in the transcript"
ends_on new

# a question apply does not expect (enable's Password: for a privilege 1
# login): an error naming it within seconds, not a hang; nothing sent
fault question
config "enable secret 0 En4ble" "username $EMU_USER privilege 1"
START=$SECONDS
run "apply: a question it does not expect" apply "$T" --yes --command-timeout 60
rc_is 3
has "enable"
has "Password:"
[ $((SECONDS - START)) -lt 30 ] || fail "took $((SECONDS - START)) s"
# fetch cannot read it either (same question); the emulator's own state:
# the old binding, no new name
grep -q '^ ip access-group LAB-SERVERS out' "$STATE" || fail "the old binding is gone"
grep -q '\.B' "$STATE" && fail "new names written: $(grep '\.B' "$STATE" | head -3)"
echo "== all passed"
