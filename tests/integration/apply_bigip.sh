#!/bin/bash
# fetch, plan, apply and audit against an emulated BIG-IP (aclforge-emu
# --kind bigip on 127.0.0.1, emu.bash) with the lab topology
# tests/integration/lab/bigip.yaml.in in two versions: T1 (a front end pool
# of two servers) and T2 (the same with a third server, so every pool
# changes and a node aclf_fe03 appears).
#   - fetch a device without aclforge's objects; plan exit 1 with the
#     commands; apply --yes (the transcript shows one CLI transaction and
#     save sys config); the emulator's state file parses with the bigip
#     driver and `aclforge diff` finds the intended meaning
#   - apply again: unchanged, nothing written (state file unchanged)
#   - a pool member deleted by hand (OpenSSH client, tmsh): audit exit 1
#     naming that service; apply repairs it; a changed host key is refused
#     before anything is sent
#   - faults, each on a device seeded with T1 by an independent client
#     (OpenSSH, one tmsh -c per session), then `apply T2`: a rejected
#     command (--reject), the connection cut during the load (--drop-after),
#     a device that stops answering (--hang-after, --command-timeout), a
#     failed submit (--fail-commit), and a refused `save sys config` after
#     the transaction went in (rolled back by the reverse transaction). Each must fail naming the device, the
#     command and the device's words, and leave the device on T1: audit T1
#     exit 0 and audit T2 exit 1, read by fetching afterwards.
# Loopback only; no root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/emu.bash"
. "$here/runlib.bash"
RUN_LINES=12

BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_EMU)"
command -v ssh >/dev/null 2>&1 || skip "needs ssh (OpenSSH client)"
trap emu_teardown EXIT
emu_init


# topo FILE PORT [FE03]: the lab topology for the emulator on PORT
topo() {
	local fe03=${3:-}
	emu_known_hosts "$2" >"$1.kh"
	sed -e "s|@USER@|$EMU_USER|; s|@PORT@|$2|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$1.kh|" \
	    -e "s|^@FE03@\$|${fe03:+      fe03: 198.18.10.13}|" \
	    "$here/lab/bigip.yaml.in" >"$1" || fail "topology $1"
}
# tmsh PORT 'commands': one exec session of the OpenSSH client
tmsh() {
	ssh -p "$1" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/ssh.kh" -o BatchMode=yes \
		-o StrictHostKeyChecking=yes "$EMU_USER@127.0.0.1" "tmsh -q -c '$2'"
}
# on T: the device runs T's policy (audit exit 0) and not the other one's
on() {
	local want=$1 other=$2
	run "audit: on $want" audit "$EMU_TMP/$want.yaml"
	rc_is 0
	has "lb1: no drift"
	run "audit: not on $other" audit "$EMU_TMP/$other.yaml"
	rc_is 1
}

# ---- a clean device ----
emu_start lb bigip "127.0.0.1:$(emu_free_port)"
P=$EMU_PORT
PID=$EMU_PID
STATE=$(emu_state lb "$P")
topo "$EMU_TMP/T1.yaml" "$P"
topo "$EMU_TMP/T2.yaml" "$P" yes
emu_known_hosts "$P" >"$EMU_TMP/ssh.kh"

run "fetch: nothing of aclforge's" fetch "$EMU_TMP/T1.yaml" --device lb1
rc_is 0
lacks "aclf_"

run "plan: lb1 changes" plan "$EMU_TMP/T1.yaml"
rc_is 1
has "lb1: changes"
has "create ltm node aclf_fe01 { address 198.18.10.11 }"
has "create ltm virtual aclf_fe-lab-443_vs"
has "plan: 1 device, 1 changes"
[ -e "$STATE" ] && grep -q aclf_ "$STATE" && fail "plan wrote to the device: $(head -5 "$STATE")"

mkdir "$EMU_TMP/tr"
run "apply" apply "$EMU_TMP/T1.yaml" --yes --transcripts "$EMU_TMP/tr"
rc_is 0
has "lb1: applied"
has "apply: 1 device, 1 applied"
TR=$EMU_TMP/tr/lb1.log
grep -F "tmsh -q -c 'create cli transaction; create ltm monitor tcp" "$TR" | grep -qF "; submit cli transaction'" ||
	fail "the transcript lacks one transaction: $(grep -F exec "$TR" | cut -c1-200)"
grep -qF "tmsh -q -c 'save sys config'" "$TR" || fail "the transcript lacks save sys config"
[ -s "$STATE" ] || fail "no state file $STATE"
run "parse the state file" parse --driver bigip "$STATE"
rc_is 0
has '"driver": "bigip"'
has '"vip": "198.18.10.10"'
# the external web services VIP: 443 on to the members' 4443, request-level
# balancing (http + one-connect per client address) on 80 -> 8080
has '"vip": "198.18.10.20"'
grep -q '^ltm profile one-connect /Common/aclf_oneconnect_32_prof' "$STATE" ||
	fail "no one-connect profile on the device: $(grep -F one-connect "$STATE")"
grep -qF 'source-mask 255.255.255.255' "$STATE" || fail "the one-connect profile lacks its source mask"
run "diff: the state file means T1" diff "$EMU_TMP/T1.yaml" --device lb1 --live "$STATE"
rc_is 0
run "diff: the state file is not T2" diff "$EMU_TMP/T2.yaml" --device lb1 --live "$STATE"
rc_is 1
has "198.18.10.13"

SUM=$(sha256sum "$STATE")
MTIME=$(stat -c %Y.%y "$STATE")
run "plan after apply: nothing to change" plan "$EMU_TMP/T1.yaml"
rc_is 0
has "plan: 1 device, 1 unchanged"
mkdir "$EMU_TMP/tr2"
run "apply again: unchanged" apply "$EMU_TMP/T1.yaml" --yes --transcripts "$EMU_TMP/tr2"
rc_is 0
has "lb1: unchanged"
[ "$(sha256sum "$STATE")" = "$SUM" ] && [ "$(stat -c %Y.%y "$STATE")" = "$MTIME" ] ||
	fail "the device was written by an unchanged apply"
grep -qF "cli transaction" "$EMU_TMP/tr2/lb1.log" && fail "an unchanged apply sent a transaction"
grep -qF "save sys config" "$EMU_TMP/tr2/lb1.log" && fail "an unchanged apply saved"

# ---- drift by hand ----
tmsh "$P" 'modify ltm pool aclf_fe-lab-443_pool members delete { aclf_fe02:443 }' ||
	fail "hand change"
run "audit: drift" audit "$EMU_TMP/T1.yaml"
rc_is 1
has "lb1: drift"
has "198.18.10.10:443/tcp"
lacks "198.18.10.10:5061/tcp"
run "apply repairs the drift" apply "$EMU_TMP/T1.yaml" --yes
rc_is 0
has "lb1: applied"
on T1 T2

# a changed host key: refused before anything is sent, the device untouched
ssh-keygen -q -t ed25519 -N '' -C other-host -f "$EMU_TMP/other_key" || fail "ssh-keygen"
sed "s|^\(\[127.0.0.1\]:$P\) .*|\1 $(cut -d' ' -f1,2 "$EMU_TMP/other_key.pub")|" "$EMU_TMP/T2.yaml.kh" \
	>"$EMU_TMP/other.kh" || fail "known_hosts"
sed "s|known_hosts: [^}]*|known_hosts: $EMU_TMP/other.kh|" "$EMU_TMP/T2.yaml" >"$EMU_TMP/T2-otherkey.yaml"
SUM=$(sha256sum "$STATE")
run "apply T2, the device's host key changed" apply "$EMU_TMP/T2-otherkey.yaml" --yes
rc_is 3
has "lb1: failed"
has "SHA256:"
has "nothing was sent"
[ "$(sha256sum "$STATE")" = "$SUM" ] || fail "the device changed"
on T1 T2

# the changed policy goes in too, as a replace in one transaction
run "apply T2" apply "$EMU_TMP/T2.yaml" --yes
rc_is 0
has "lb1: applied"
on T2 T1
emu_stop lb "$PID"

# ---- faults: a device on T1, then apply T2 ----
SEED=$("$BIN" render --device lb1 "$EMU_TMP/T1.yaml" | sed '/^$/d' | paste -sd';' -)
[ -n "$SEED" ] || fail "render T1"
# fault NAME ARGS...: a device seeded with T1 (no transaction, one session)
fault() {
	local name=$1
	shift
	emu_start "$name" bigip "127.0.0.1:$(emu_free_port)" "$@"
	topo "$EMU_TMP/T1.yaml" "$EMU_PORT"
	topo "$EMU_TMP/T2.yaml" "$EMU_PORT" yes
	emu_known_hosts "$EMU_PORT" >"$EMU_TMP/ssh.kh"
	tmsh "$EMU_PORT" "$SEED" >/dev/null || fail "$name: seeding T1"
	on T1 T2
}

fault reject --reject 'aclf_fe03'
run "apply T2, a command rejected" apply "$EMU_TMP/T2.yaml" --yes
rc_is 3
has "lb1: rolled back"
has "lb1: 'submit cli transaction': 01070734:3: Configuration error: tmsh -q -c 'create cli transaction; delete ltm virtual"
on T1 T2
emu_stop reject "$EMU_PID"

fault failcommit --fail-commit
run "apply T2, the submit fails" apply "$EMU_TMP/T2.yaml" --yes
rc_is 3
has "lb1: rolled back"
has "lb1: 'submit cli transaction': 01070711:3: Caught configuration exception (0), transaction validation failed."
on T1 T2
emu_stop failcommit "$EMU_PID"

# the transaction went in, the save is refused: the reverse transaction
# (planned from T2 back to the text load read) restores T1
fault nosave --reject "^tmsh -q -c 'save sys config'\$"
mkdir "$EMU_TMP/tr3"
run "apply T2, save sys config refused" apply "$EMU_TMP/T2.yaml" --yes --transcripts "$EMU_TMP/tr3"
rc_is 3
has "lb1: rolled back"
has "lb1: 'save sys config': 01070734:3: Configuration error: tmsh -q -c 'save sys config'"
[ "$(grep -c "create cli transaction;" "$EMU_TMP/tr3/lb1.log")" -eq 2 ] ||
	fail "expected the load's and the rollback's transaction in the transcript"
grep -F "create cli transaction;" "$EMU_TMP/tr3/lb1.log" | tail -1 | grep -qF "delete ltm node /Common/aclf_fe03" ||
	fail "the rollback transaction does not delete what T2 added"
on T1 T2
emu_stop nosave "$EMU_PID"

# the same on a device that had nothing of aclforge's: the rollback
# deletes every aclf_ object the transaction made
emu_start fresh bigip "127.0.0.1:$(emu_free_port)" --reject "^tmsh -q -c 'save sys config'\$"
topo "$EMU_TMP/T1.yaml" "$EMU_PORT"
run "apply T1 to a clean device, save sys config refused" apply "$EMU_TMP/T1.yaml" --yes
rc_is 3
has "lb1: rolled back"
run "fetch: nothing of aclforge's left" fetch "$EMU_TMP/T1.yaml" --device lb1
rc_is 0
lacks "aclf_"
grep -q aclf_ "$(emu_state fresh "$EMU_PORT")" && fail "aclf_ objects left in the state file"
emu_stop fresh "$EMU_PID"

# session 1: the core's read (1), load's read (2), the transaction (3) is cut
fault drop --drop-after 2
run "apply T2, connection cut during the load" apply "$EMU_TMP/T2.yaml" --yes
rc_is 3
has "lb1: rolled back"
has "lb1: 'submit cli transaction': connection lost"
on T1 T2
emu_stop drop "$EMU_PID"

fault hang --hang-after 2
SECONDS=0
run "apply T2, the device stops answering" apply "$EMU_TMP/T2.yaml" --yes --command-timeout 3
rc_is 3
has "lb1: rolled back"
has "lb1: 'submit cli transaction': timeout after 3000 ms"
[ "$SECONDS" -lt 60 ] || fail "apply took $SECONDS s with a 3 s command timeout"
on T1 T2
emu_stop hang "$EMU_PID"

echo PASS
