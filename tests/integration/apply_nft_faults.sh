#!/bin/bash
# apply's faults against real Linux hosts (hosts.bash, lab.bash): every host
# ends on its old policy or its new one, never in between, checked by
# audit (fetch + compare by meaning) and by probes, and the report says
# which. Both hosts start on policy OLD (the lab topology); the faults
# happen while applying NEW (the same with TCP 9999 from clients too):
#   - the connection cut right after nft -f loaded NEW: rolled back
#   - the connection cut as confirm ends (its answer lost): read back,
#     applied
#   - the load slower than the command timeout: rolled back, and the slow
#     load stopped (it never goes in later)
#   - nft rejects the load: rolled back, nft's own words in the report
#   - the host unreachable after the load until the safety net restored
#     OLD by itself: rolled back, the report says the timed restore did it
#   - a host that never answers, a wrong host key, a wrong password:
#     failed, nothing sent, exit 3
#   - a policy that would lock the session out: refused, exit 2
#   - --canary 1 with a failing first host: the others not attempted
# The faults are the host's: an nft in the sudo secure_path
# ($H_TMP/faultbin) that wraps the real one when a flag file asks it to.
# Root only (exit 77 otherwise); everything is torn down on exit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/hosts.bash"
. "$here/lab.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces and sshd"
BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"

hosts_up faults 2
for i in 1 2; do host_listen "$i" 5061,135,9999 50000; done
lab_vars
F=$H_TMP/faults
mkdir -p "$F" && chmod 755 "$F"

# The host's nft, for the test user's sudo: on `nft -f .../new.nft` (the
# load, not the check) and a flag file F/<host address>.<fault>:
#   reject  nft itself rejects the file plus a rule naming a missing set
#   cut     the real load, then the SSH session's sshd is killed
#   block   the real load, then new packets to port 22 are dropped (a table
#           of the test's own) and the session's sshd is killed
#   hang    waits 10 s, then the real load (a load slower than the command
#           timeout, which must not go in after the rollback)
# Each flag is used once.
cat >"$H_TMP/faultbin/nft" <<EOS
#!/bin/sh
real=/usr/sbin/nft
me=\$(ip -4 -o addr show scope global | awk '{ sub(/\/.*/, "", \$4); print \$4; exit }')
kill_session() {
	p=\$\$
	while [ "\$p" -gt 1 ]; do
		p=\$(awk '{ print \$4 }' /proc/\$p/stat)
		if [ "\$(cat /proc/\$p/comm)" = sshd ]; then kill -9 "\$p"; return; fi
	done
}
if [ "\$1" = -f ] && [ "\${2%/new.nft}" != "\$2" ]; then
	if [ -e "$F/\$me.reject" ]; then
		rm -f "$F/\$me.reject"
		{ cat "\$2"; echo "add rule inet aclforge input ip saddr @no_such_set accept"; } | \$real -f -
		exit \$?
	fi
	if [ -e "$F/\$me.cut" ]; then
		rm -f "$F/\$me.cut"
		\$real "\$@"; rc=\$?
		kill_session
		exit \$rc
	fi
	if [ -e "$F/\$me.hang" ]; then
		rm -f "$F/\$me.hang"
		sleep 10
		exec \$real "\$@"
	fi
	if [ -e "$F/\$me.block" ]; then
		rm -f "$F/\$me.block"
		\$real "\$@"; rc=\$?
		\$real -f - <<EOB
table inet aclf_block {
	chain input {
		type filter hook input priority -10; policy accept;
		tcp dport 22 ct state new drop
	}
}
EOB
		kill_session
		exit \$rc
	fi
fi
exec \$real "\$@"
EOS
chmod 755 "$H_TMP/faultbin/nft"
# and its rm: with F/<address>.cutconfirm, removing a transaction directory
# (confirm's last step) kills the session after it: the confirm went
# through, its answer is lost
cat >"$H_TMP/faultbin/rm" <<EOS
#!/bin/sh
me=\$(ip -4 -o addr show scope global | awk '{ sub(/\/.*/, "", \$4); print \$4; exit }')
case "\$*" in
*/tmp/aclforge.*)
	if [ -e "$F/\$me.cutconfirm" ]; then
		/bin/rm -f "$F/\$me.cutconfirm"
		/bin/rm "\$@"; rc=\$?
		p=\$\$
		while [ "\$p" -gt 1 ]; do
			p=\$(awk '{ print \$4 }' /proc/\$p/stat)
			if [ "\$(cat /proc/\$p/comm)" = sshd ]; then kill -9 "\$p"; break; fi
		done
		exit \$rc
	fi
	;;
esac
exec /bin/rm "\$@"
EOS
chmod 755 "$H_TMP/faultbin/rm"

OLD=$H_TMP/old.yaml
NEW=$H_TMP/new.yaml
topo "$OLD"
NEWRULE='{action: permit, protocol: tcp, from: networks.clients, to: pools.fe-lab, ports: [9999], why: "the change"}'
TOPO_RULE=$NEWRULE topo "$NEW"

BOTH=(--device fe01-host --device fe02-host)

# ends_old HOST_ADDR DEVICE / ends_new: by meaning (audit) and by probes
ends_old() {
	local out rc
	out=$(hin "$H_C" "$BIN" audit "$OLD" --device "$2" 2>&1); rc=$?
	[ "$rc" -eq 0 ] || fail "$2 is not on its old policy (audit exit $rc): $out"
	expect tcp "$1" 9999 silent "$H_CLIENT"
	expect tcp "$1" 5061 open "$H_CLIENT"
	expect tcp "$1" 22 open
}
ends_new() {
	local out rc
	out=$(hin "$H_C" "$BIN" audit "$NEW" --device "$2" 2>&1); rc=$?
	[ "$rc" -eq 0 ] || fail "$2 is not on the new policy (audit exit $rc): $out"
	expect tcp "$1" 9999 open "$H_CLIENT"
	expect tcp "$1" 22 open
}
left_behind() {
	! ls -d "$H_TMP"/own.*/tmp/aclforge.* >/dev/null 2>&1 ||
		fail "transaction directories left behind: $(ls -d "$H_TMP"/own.*/tmp/aclforge.*)"
}

run "start: both hosts on OLD" apply "$OLD" "${BOTH[@]}" --yes
rc_is 0
ends_old "$A1" fe01-host
ends_old "$A2" fe02-host

# ---- the connection cut right after the load ----
touch "$F/$A1.cut"
run "cut after the load" apply "$NEW" --device fe01-host --yes
rc_is 3
has "fe01-host: rolled back, ends on: old policy"
has "rolled back and read back over a new session"
[ ! -e "$F/$A1.cut" ] || fail "the cut fault did not happen"
ends_old "$A1" fe01-host
left_behind

# ---- nft rejects the load ----
touch "$F/$A1.reject"
run "nft rejects the load" apply "$NEW" --device fe01-host --yes --format json
rc_is 3
has '"outcome": "rolled back"'
has '"ends_on": "old policy"'
has "'nft -f new.nft': exit status 1"
has "no_such_set"
[ ! -e "$F/$A1.reject" ] || fail "the reject fault did not happen"
ends_old "$A1" fe01-host
left_behind

# ---- the connection cut as confirm ends: read back, applied ----
touch "$F/$A2.cutconfirm"
run "cut as confirm ends" apply "$NEW" --device fe02-host --yes
rc_is 0
has "fe02-host: applied"
has "no transaction left to roll back, read back over a new session"
has "read back: it runs the new policy, confirmed"
[ ! -e "$F/$A2.cutconfirm" ] || fail "the cutconfirm fault did not happen"
ends_new "$A2" fe02-host
run "back to OLD" apply "$OLD" --device fe02-host --yes
rc_is 0
ends_old "$A2" fe02-host

# ---- the load times out: rolled back, and the late load never goes in ----
touch "$F/$A1.hang"
run "the load times out" apply "$NEW" --device fe01-host --yes --command-timeout 3
rc_is 3
has "fe01-host: rolled back, ends on: old policy"
has "rolled back and read back over the session that loaded"
has "timeout"
[ ! -e "$F/$A1.hang" ] || fail "the hang fault did not happen"
ends_old "$A1" fe01-host
sleep 10 # past the hung load's own time: it was stopped, not late
ends_old "$A1" fe01-host
left_behind

# ---- unreachable after the load: the safety net restores by itself ----
touch "$F/$A2.block"
( sleep 12; hin "$H2" nft delete table inet aclf_block ) &
UNBLOCK=$!
H_PIDS+=("$UNBLOCK")
run "unreachable after the load, the timed restore" apply "$NEW" --device fe02-host --yes \
	--confirm-timeout 5 --connect-timeout 2
rc_is 3
has "fe02-host: rolled back, ends on: old policy"
has "the timed restore had put the old policy back"
wait "$UNBLOCK"
ends_old "$A2" fe02-host
left_behind

# ---- never answers, wrong host key, wrong password ----
run "a host that never answers" apply "$NEW" --device dark-host --yes --connect-timeout 2
rc_is 3
has "dark-host: failed, ends on: old policy"
has "nothing was sent"

BADKH=$H_TMP/bad_known_hosts
ssh-keygen -q -t ed25519 -N '' -f "$H_TMP/other_key" || fail "ssh-keygen"
{ grep -v "^$A2 " "$H_KH"; printf '%s %s\n' "$A2" "$(cut -d' ' -f1,2 "$H_TMP/other_key.pub")"; } >"$BADKH"
TOPO_RULE=$NEWRULE TOPO_KH=$BADKH topo "$H_TMP/badkh.yaml"
run "a wrong host key" apply "$H_TMP/badkh.yaml" "${BOTH[@]}" --yes --accept-new-host-keys
rc_is 3
has "fe02-host: failed, ends on: old policy"
has "fe01-host: applied"
has "$(ssh-keygen -l -E sha256 -f "$H_TMP/hostkey.2.pub" | awk '{ print $2 }')"
ends_new "$A1" fe01-host
ends_old "$A2" fe02-host

export ACLF_LAB_PW=wrong-$$
TOPO_RULE=$NEWRULE TOPO_AUTH='password: env:ACLF_LAB_PW' topo "$H_TMP/pw.yaml"
run "a wrong password" apply "$H_TMP/pw.yaml" --device fe02-host --yes
rc_is 3
has "fe02-host: failed, ends on: old policy"
has "auth"
ends_old "$A2" fe02-host
export ACLF_LAB_PW=$H_PASSWORD
mkdir "$H_TMP/tr"
run "the right password" apply "$H_TMP/pw.yaml" --device fe02-host --yes --transcripts "$H_TMP/tr"
rc_is 0
has "fe02-host: applied"
[ -s "$H_TMP/tr/fe02-host.log" ] || fail "no transcript"
! grep -qF "$H_PASSWORD" "$H_TMP/tr/fe02-host.log" || fail "the password is in the transcript"
ends_new "$A2" fe02-host

# ---- self-lockout ----
TOPO_ADMIN=198.18.99.99 topo "$H_TMP/lockout.yaml"
run "a policy that locks the session out" apply "$H_TMP/lockout.yaml" --device fe01-host --yes
rc_is 2
has "fe01-host: refused, ends on: old policy"
has "would deny this session's own new connections (tcp ${H_CADDR[1]} -> $A1 port 22"
ends_new "$A1" fe01-host

# ---- canary: a failing first host stops the rollout ----
touch "$F/$A1.reject"
run "canary fails" apply "$OLD" --yes --canary 1
rc_is 3
has "fe01-host: rolled back (canary), ends on: old policy"
has "fe02-host: not attempted"
has "dark-host: not attempted"
ends_new "$A1" fe01-host
ends_new "$A2" fe02-host

# ---- max-fail: the dark host fails, the others still run ----
run "max-fail 2, one at a time" apply "$OLD" --yes --parallel 1 --max-fail 2 --connect-timeout 2
rc_is 3
has "fe01-host: applied"
has "fe02-host: applied"
has "dark-host: failed"
ends_old "$A1" fe01-host
ends_old "$A2" fe02-host
left_behind

echo PASS
