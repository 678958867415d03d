#!/bin/bash
# fetch, plan, apply and audit against the Junos emulator (aclforge-emu
# --kind junos on 127.0.0.1, emu.bash), with the lab topology
# tests/integration/lab/junos.yaml.in (one firewall, two interface units):
#   - fetch; plan exit 1 with the commands; apply --yes: the emulator's state
#     file parses (aclforge parse --driver junos) to the intended meaning
#     (aclforge diff exit 0), and nothing is left pending (no commit
#     confirmed, no configuration mode)
#   - apply again: unchanged, the state file not rewritten
#   - a term deleted by hand over ssh (cli -c: configure private, delete,
#     commit): audit exit 1 naming it; apply repairs it
#   - faults, each on an emulator of its own, the device checked afterwards
#     by fetching it (and by its state file): a rejected plan line (--reject:
#     the old policy stays), a connection cut during the load (--drop-after),
#     a device that stops answering during the load (--hang-after), a failed
#     commit check (--fail-commit: nothing committed), and a commit confirmed
#     never confirmed (the session cut right after it: the device's own
#     automatic rollback, awaited and reported), and a window that closes
#     before the confirm (--confirm-unit-ms 1)
# Loopback only; no root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/emu.bash"
. "$here/runlib.bash"

BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
command -v ssh >/dev/null 2>&1 || skip "needs ssh"
trap emu_teardown EXIT
emu_init

# a minute of commit confirmed is this many ms of the emulator's (room for
# verify and confirm under ASan on a loaded machine)
UNIT_MS=10000


# topo FILE PORT [RULE]: the lab topology for the device on PORT, with one
# more site rule when given
topo() {
	emu_known_hosts "$2" >"$1.kh"
	sed -e "s|@PORT@|$2|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$1.kh|" \
		"$here/lab/junos.yaml.in" >"$1" || fail "topology $1"
	[ -z "${3:-}" ] || echo "  - $3" >>"$1"
}
# the rule the second policy adds (its port appears only in that plan)
RULE_B='{action: permit, protocol: tcp, from: networks.clients, to: pools.fe-lab, ports: [5099], why: "second policy"}'

# jssh PORT COMMAND: one exec command on the emulated device
jssh() {
	emu_known_hosts "$1" >"$EMU_TMP/kh.$1"
	ssh -p "$1" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/kh.$1" -o StrictHostKeyChecking=yes \
		-o BatchMode=yes -o ConnectTimeout=10 "$EMU_USER@127.0.0.1" "$2"
}
# state_is STATEFILE TOPOLOGY: the state file means the topology's policy
state_is() {
	run "diff the state file against $(basename "$2")" diff "$2" --device fw1 --live "$1"
	rc_is 0
}
# no_pending PORT: no commit confirmed pending and nobody in configuration mode
no_pending() {
	local o
	o=$(jssh "$1" 'cli -c "configure exclusive; exit"' 2>&1) || fail "configure exclusive: $o"
	printf '%s\n' "$o" | grep -q 'commit confirmed will be rolled back' &&
		fail "a commit confirmed is still pending: $o"
	printf '%s\n' "$o" | grep -q 'locked\|modified\|Users currently editing' &&
		fail "the configuration is still open or locked: $o"
	return 0
}
# plan_lines TOPOLOGY: how many commands the plan sends
plan_lines() {
	"$BIN" plan "$1" 2>&1 | grep -cE '^    (set|delete) '
}

# ---- the normal path ----
P=$(emu_free_port)
emu_start main junos "127.0.0.1:$P" --confirm-unit-ms "$UNIT_MS"
PM=$EMU_PORT
T=$EMU_TMP/lab.yaml
topo "$T" "$PM"
S=$(emu_state main "$PM")

run "fetch the factory configuration" fetch "$T" --device fw1
rc_is 0
has "set system host-name fw1"
lacks "set firewall"

run "plan: fw1 changes" plan "$T"
rc_is 1
has "fw1: changes"
has "set firewall family inet filter lync-fe term"
has "set interfaces ge-0/0/1 unit 0 family inet filter output lync-fe"
has "set interfaces ge-0/0/2 unit 0 family inet filter output ACLF-GE-0-0-2-0-OUT"
K=$(plan_lines "$T")
[ "$K" -gt 10 ] || fail "the plan has only $K commands"
echo "   (the plan sends $K commands)"

run "apply without --yes, stdin not a terminal" apply "$T" </dev/null
rc_is 2
has "give --yes"

mkdir "$EMU_TMP/tr"
run "apply" apply "$T" --yes --confirm-timeout 60 --transcripts "$EMU_TMP/tr"
rc_is 0
has "fw1: applied"
has "apply: 1 device, 1 applied"
L=$EMU_TMP/tr/fw1.log
# what was sent and received, each as one escaped stream (a write may be
# logged as one record or several)
SENT=$(sed -n 's/^> //p' "$L" | tr -d '\n')
GOT=$(sed -n 's/^< //p' "$L" | tr -d '\n')
for want in 'show system commit\n' 'configure private\n' 'load set terminal\n' '\x04' 'commit check\n' \
	'commit confirmed 1 comment ' '\ncommit\n' 'exit configuration-mode\n'; do
	grep -qF -- "$want" <<<"$SENT" || fail "the transcript lacks '$want' sent"
done
grep -qF 'load complete\r\n' <<<"$GOT" || fail "the transcript lacks 'load complete'"
[ "$(grep -oF 'exit configuration-mode\n' <<<"$SENT" | wc -l)" -eq 2 ] ||
	fail "not 2 exits from configuration mode (load, confirm)"
[ -s "$S" ] || fail "no state file $S"
run "parse the state file" parse --driver junos "$S"
rc_is 0
has '"lync-fe"'
state_is "$S" "$T"
no_pending "$PM"
sleep $((UNIT_MS * 2 / 1000 + 1))
run "after the commit confirmed window: still the new policy" audit "$T"
rc_is 0
has "fw1: no drift"

SUM=$(md5sum <"$S")
MT=$(stat -c %Y.%y "$S")
sleep 1.1
run "apply again: unchanged, nothing written" apply "$T" --yes --format json
rc_is 0
has '"outcome": "unchanged"'
[ "$(md5sum <"$S")" = "$SUM" ] && [ "$(stat -c %Y.%y "$S")" = "$MT" ] ||
	fail "the state file was rewritten"

run "plan: nothing to change" plan "$T"
rc_is 0
has "plan: 1 device, 1 unchanged"

# ---- a hand-made change ----
o=$(jssh "$PM" 'cli -c "configure private; delete firewall family inet filter lync-fe term r0001; commit; exit"' 2>&1) ||
	fail "hand change over ssh: $o"
printf '%s\n' "$o" | grep -q 'commit complete' || fail "hand change: no commit: $o"
grep -q 'lync-fe term r0001 ' "$S" && fail "the hand change is not in the state file"
run "audit: the deleted term is drift" audit "$T"
rc_is 1
has "fw1: drift"
has "tcp 198.18.101."
has ":22"
has "lync-fe"
run "apply repairs the drift" apply "$T" --yes --confirm-timeout 60
rc_is 0
has "fw1: applied"
grep -q 'lync-fe term r0001 then accept' "$S" || fail "the deleted term is not back"
state_is "$S" "$T"
no_pending "$PM"

# ---- faults ----
# fault NAME ARGS...: an emulator of its own for one fault; sets FP, FT, FS
fault() {
	local name=$1
	shift
	emu_start "$name" junos "127.0.0.1:$(emu_free_port)" --confirm-unit-ms "$UNIT_MS" "$@"
	FP=$EMU_PORT
	FT=$EMU_TMP/$name.yaml
	FS=$(emu_state "$name" "$FP")
}
# on_empty TOPOLOGY: the device runs no filter (its factory configuration)
on_empty() {
	run "fetch: no filter" fetch "$1" --device fw1
	rc_is 0
	has "set system host-name fw1"
	lacks "set firewall"
	lacks "filter output"
}

# a rejected plan line: the old policy (A) stays
fault reject --reject 'destination-port 5099'
topo "$FT.a" "$FP"
topo "$FT" "$FP" "$RULE_B"
run "reject: policy A applies (no 5099 in its plan)" apply "$FT.a" --yes --confirm-timeout 60
rc_is 0
has "fw1: applied"
run "reject: policy B, one of its lines rejected" apply "$FT" --yes --confirm-timeout 60
rc_is 3
has "fw1: failed"
has "load set terminal"
has "error: syntax error: set firewall"
has "5099"
run "reject: fetch, on policy A" audit "$FT.a"
rc_is 0
run "reject: not on policy B" audit "$FT"
rc_is 1
state_is "$FS" "$FT.a"
no_pending "$FP"

# the connection cut during the load: fetch (3 commands), the shell set up
# (2), show system commit, configure private, load set terminal, then half
# the plan
KB=$K # the plan over the factory configuration
fault drop --drop-after $((3 + 2 + 1 + 1 + 1 + KB / 2))
topo "$FT" "$FP"
run "drop: the connection cut during the load" apply "$FT" --yes --confirm-timeout 60
rc_is 3
has "fw1: rolled back"
has "'load set terminal (the plan, then Ctrl-D)': connection lost"
on_empty "$FT"
[ -e "$FS" ] && grep -q 'set firewall' "$FS" && fail "drop: the state file has a filter"
no_pending "$FP"

# a device that stops answering during the load
fault hang --hang-after $((3 + 2 + 1 + 1 + 1 + KB / 2))
topo "$FT" "$FP"
run "hang: the device stops answering during the load" apply "$FT" --yes --confirm-timeout 60 \
	--command-timeout 3
rc_is 3
has "fw1: rolled back"
has "'load set terminal (the plan, then Ctrl-D)': timeout after 3000 ms"
has "over a new session"
on_empty "$FT"
no_pending "$FP"

# commit check fails: nothing committed
fault failcommit --fail-commit
topo "$FT" "$FP"
run "fail-commit: commit check fails" apply "$FT" --yes --confirm-timeout 60
rc_is 3
has "fw1: failed"
has "commit check"
has "error: configuration check-out failed"
has "refused before any change"
on_empty "$FT"
[ -e "$FS" ] && grep -q 'set firewall' "$FS" && fail "fail-commit: the state file has a filter"
no_pending "$FP"

# commit confirmed never confirmed: the session is cut at the exit after it
# (fetch 3, shell 2, show system commit, configure, load, the plan, Ctrl-D,
# commit check, commit confirmed); the device rolls back by itself after a
# minute (UNIT_MS)
fault noconfirm --drop-after $((3 + 2 + 1 + 1 + 1 + KB + 1 + 1 + 1))
topo "$FT" "$FP"
run "no confirm: the session lost after commit confirmed" apply "$FT" --yes --confirm-timeout 60 \
	--transcripts "$EMU_TMP/tr"
rc_is 3
has "fw1: rolled back"
has "commit confirmed's automatic rollback had put the old policy back"
has "'exit configuration-mode': connection lost"
sed -n 's/^> //p' "$EMU_TMP/tr/fw1.log" | tr -d '\n' | grep -qF 'commit confirmed 1 comment ' ||
	fail "no commit confirmed sent"
on_empty "$FT"
o=$(jssh "$FP" 'show system commit') || fail "show system commit: $o"
echo "$o" | sed 's/^/   /'
[ "$(printf '%s\n' "$o" | grep -c '^[0-9]')" -ge 3 ] ||
	fail "the commit history lacks the commit confirmed and its automatic rollback"
no_pending "$FP"

# the window closes before verify and confirm (a minute is 1 ms): the
# device returns by itself, apply reads it back on its old policy
emu_start late junos "127.0.0.1:$(emu_free_port)" --confirm-unit-ms 1
FP=$EMU_PORT
FT=$EMU_TMP/late.yaml
topo "$FT" "$FP"
run "late: the commit confirmed window closes before the confirm" apply "$FT" --yes \
	--confirm-timeout 60
rc_is 3
has "fw1: rolled back"
has "ends on: old policy"
lacks "timeout after"
on_empty "$FT"
no_pending "$FP"

emu_stop main "${EMU_PIDS[0]}"
echo PASS
