#!/bin/bash
# apply against a Junos device (aclforge-emu --kind junos on 127.0.0.1,
# emu.bash) that another user is in the middle of changing:
#   - another SSH session (user alice) has a commit confirmed pending: apply
#     exits 3 naming the device, `show system commit` and the device's own
#     words (alice's entry and `rollback pending`); nothing was committed or
#     confirmed (the configuration fetched before and after is the same
#     text, alice's commit is still entry 0 and still pending); the same
#     with --config-mode exclusive; after alice confirms, apply succeeds and
#     keeps her change
#   - alice leaves an uncommitted change in the shared candidate: apply
#     exits 3 with `configure private`'s `error: shared configuration
#     database modified` (with --config-mode exclusive: `error:
#     configuration database modified`), the device unchanged and her change
#     still uncommitted in the shared candidate; once she discards it, apply
#     succeeds
#   - alice's commit confirmed lands right after the apply's own (an
#     emulator control: nothing else makes the race certain): the confirm
#     refuses (its commit would confirm hers), so does the rollback
#     (`rollback 1` would take back hers), exit 3 with the device's words;
#     the device's timer then returns it to what ran before the apply
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

# a minute of commit confirmed is this many ms of the emulator's; alice's
# window (PEND minutes) outlasts the refusals below by far
UNIT_MS=10000
PEND=30


P=$(emu_free_port)
emu_start main junos "127.0.0.1:$P" --confirm-unit-ms "$UNIT_MS"
PM=$EMU_PORT
T=$EMU_TMP/lab.yaml
emu_known_hosts "$PM" >"$T.kh"
sed -e "s|@PORT@|$PM|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T.kh|" \
	"$here/lab/junos.yaml.in" >"$T" || fail "topology"
S=$(emu_state main "$PM")

# as USER over a session of its own: one exec command
xssh() {
	ssh -p "$PM" -i "$EMU_KEY" -o UserKnownHostsFile="$T.kh" -o StrictHostKeyChecking=yes \
		-o BatchMode=yes -o ConnectTimeout=10 "$1@127.0.0.1" "$2"
}
# the device's configuration as fetch reads it
fetched() {
	"$BIN" fetch "$T" --device fw1 2>&1 || fail "fetch: exit $?"
}
# entry 0 of show system commit, and the line under it
commit0() {
	xssh netops 'show system commit' | sed -n '1,2p'
}

# ---- another session's commit confirmed is pending ----
o=$(xssh alice "cli -c \"configure; set system location building B2; commit confirmed $PEND\"" 2>&1) ||
	fail "alice's commit confirmed: $o"
printf '%s\n' "$o" | grep -qF "commit confirmed will be automatically rolled back in $PEND minutes" ||
	fail "alice's commit confirmed did not run: $o"
BEFORE=$(fetched)
grep -qF 'set system location building B2' <<<"$BEFORE" || fail "alice's change is not running"
C0=$(commit0)
echo "   show system commit: $C0"
grep -qF "by alice via cli commit confirmed, rollback in ${PEND}mins" <<<"$C0" ||
	fail "entry 0 is not alice's commit confirmed: $C0"
grep -qE '^ +rollback pending\s*$' <<<"$C0" || fail "not pending: $C0"

for mode in private exclusive; do
	run "apply ($mode) while alice's commit confirmed is pending" apply "$T" --yes \
		--confirm-timeout 60 --config-mode "$mode"
	rc_is 3
	has "fw1: failed"
	has "'show system commit'"
	has "another session's commit confirmed is pending"
	has "by alice via cli commit confirmed, rollback in ${PEND}mins / rollback pending"
	has "refused before any change"
	[ "$(fetched)" = "$BEFORE" ] || fail "the configuration changed: $(fetched)"
	[ "$(commit0)" = "$C0" ] || fail "show system commit changed: $(commit0)"
	grep -q 'set firewall' "$S" && fail "a filter reached the device"
done

o=$(xssh alice 'cli -c "configure; commit"' 2>&1) || fail "alice's confirm: $o"
printf '%s\n' "$o" | grep -qF 'commit complete' || fail "alice's confirm did not run: $o"
run "apply once alice confirmed" apply "$T" --yes --confirm-timeout 60
rc_is 0
has "fw1: applied"
AFTER=$(fetched)
grep -qF 'set system location building B2' <<<"$AFTER" || fail "alice's change is gone"
grep -qF 'set firewall family inet filter lync-fe term' <<<"$AFTER" || fail "no filter applied"
run "the device means the policy" diff "$T" --device fw1 --live "$S"
rc_is 0
C0=$(commit0)
grep -qF 'by netops via cli' <<<"$C0" || fail "entry 0 is not the apply's confirm: $C0"
grep -q 'rollback pending' <<<"$C0" && fail "still pending: $C0"

# ---- alice leaves an uncommitted change in the shared candidate ----
o=$(xssh alice 'cli -c "configure; set system location building B3"' 2>&1) ||
	fail "alice's uncommitted change: $o"
BEFORE=$(fetched)
grep -qF 'B3' <<<"$BEFORE" && fail "alice's uncommitted change is running"
RULE='{action: permit, protocol: tcp, from: networks.clients, to: pools.fe-lab, ports: [5099], why: "second policy"}'
echo "  - $RULE" >>"$T"
run "apply (private) over alice's uncommitted change" apply "$T" --yes --confirm-timeout 60
rc_is 3
has "fw1: failed"
has "'configure private'"
has "error: shared configuration database modified"
has "refused before any change"
run "apply (exclusive) over alice's uncommitted change" apply "$T" --yes --confirm-timeout 60 \
	--config-mode exclusive
rc_is 3
has "'configure exclusive'"
has "error: configuration database modified"
[ "$(fetched)" = "$BEFORE" ] || fail "the configuration changed: $(fetched)"
o=$(xssh alice 'cli -c "configure; show | compare"' 2>&1)
printf '%s\n' "$o" | grep -qE '^\+.*B3' || fail "alice's uncommitted change is gone: $o"
grep -q '5099' "$S" && fail "the second policy reached the device"

o=$(xssh alice 'cli -c "configure; rollback 0"' 2>&1) || fail "alice's discard: $o"
run "apply once alice discarded her change" apply "$T" --yes --confirm-timeout 60
rc_is 0
has "fw1: applied"
grep -q 'destination-port 5099' "$S" || fail "the second policy is not on the device"
grep -q 'B3' "$S" && fail "alice's discarded change was committed"
run "the device means the second policy" diff "$T" --device fw1 --live "$S"
rc_is 0

# ---- another session's commit confirmed lands between the apply's own
# commit confirmed and its confirm (emu-control: alice commits confirmed 1
# right after it) ----
emu_start race junos "127.0.0.1:$(emu_free_port)" --confirm-unit-ms "$UNIT_MS"
PM=$EMU_PORT
emu_known_hosts "$PM" >"$T.kh"
sed -e "s|@PORT@|$PM|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T.kh|" \
	"$here/lab/junos.yaml.in" >"$T" || fail "topology"
S=$(emu_state race "$PM")
o=$(xssh netops 'emu-control foreign-commit alice 1' 2>&1) || fail "emu-control: $o"
run "apply; alice's commit confirmed lands right after the apply's" apply "$T" --yes \
	--confirm-timeout 60
rc_is 3
has "'show system commit': another session committed after this apply's commit confirmed"
has "no confirm"
has "by alice via cli commit confirmed, rollback in 1mins / foreign trial / rollback pending"
has "no rollback"
C=$(xssh netops 'show system commit')
echo "$C" | sed 's/^/   /'
C0=$(printf '%s\n' "$C" | sed -n 1p)
grep -qF 'by alice via cli commit confirmed, rollback in 1mins' <<<"$C0" ||
	fail "entry 0 is not alice's (the apply committed after her): $C0"
printf '%s\n' "$C" | sed -n 2,3p | grep -qF 'rollback pending' || fail "alice's commit is not pending"
printf '%s\n' "$C" | grep -A1 "^1 .*by $EMU_USER via cli commit confirmed, rollback in 1mins" |
	grep -q 'aclforge-' || fail "entry 1 is not the apply's commit confirmed with its mark"
# the device's timer returns it to what ran before the apply
sleep $((UNIT_MS * 3 / 2000 + 1))
AFTER=$(fetched)
grep -qF 'set firewall' <<<"$AFTER" && fail "the apply's filter is still there: $AFTER"
grep -qF 'FOREIGN' <<<"$AFTER" && fail "alice's trial is still there: $AFTER"
xssh netops 'show system commit' | sed -n 1p | grep -qF 'by root via other' ||
	fail "no automatic rollback"

emu_stop race "${EMU_PIDS[1]}"
emu_stop main "${EMU_PIDS[0]}"
echo PASS
