#!/bin/bash
# TLS termination and a disabled virtual through an emulated BIG-IP
# (aclforge-emu --kind bigip on 127.0.0.1, emu.bash), with the lab topology
# tests/integration/lab/bigip.yaml.in plus `tls:` on lb1 naming a
# client-ssl and a server-ssl profile of the site's:
#   - the device lacks the profiles: apply fails (exit 3) naming the
#     profile in tmsh's own words, and nothing of aclforge's is on the
#     device afterwards;
#   - the site's engineer creates them (OpenSSH client, tmsh): apply goes
#     in; the HTTPS virtual servers carry http, one-connect and both TLS
#     profiles; audit finds no drift; the profiles are the site's (aclforge
#     created none of them);
#   - by hand, one virtual loses its server-ssl profile and another is
#     disabled: audit reports both as drift (exit 1), apply repairs them,
#     and the TLS profiles are still there, untouched.
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


CS=/Common/lync-web-clientssl
SS=/Common/lync-serverssl
emu_start lb bigip "127.0.0.1:$(emu_free_port)"
P=$EMU_PORT
STATE=$(emu_state lb "$P")
T=$EMU_TMP/T.yaml
emu_known_hosts "$P" >"$T.kh"
sed -e "s|@USER@|$EMU_USER|; s|@PORT@|$P|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T.kh|" \
    -e "s|^@FE03@\$||" \
    -e "s|^    vlan: internal\$|    vlan: internal\n    tls: {client_profile: $CS, server_profile: $SS}|" \
    "$here/lab/bigip.yaml.in" >"$T" || fail "topology"
grep -q "tls: {client_profile: $CS" "$T" || fail "no tls in the topology"
emu_known_hosts "$P" >"$EMU_TMP/ssh.kh"
tmsh() {
	ssh -p "$P" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/ssh.kh" -o BatchMode=yes \
		-o StrictHostKeyChecking=yes "$EMU_USER@127.0.0.1" "tmsh -q -c '$1'"
}

run "compile: no warning, the HTTPS services terminate TLS" compile "$T"
rc_is 0
lacks "balance per connection"
run "plan" plan "$T"
rc_is 1
has "/Common/lync-web-clientssl { context clientside } /Common/lync-serverssl { context serverside }"
lacks "create ltm profile client-ssl"
lacks "create ltm profile server-ssl"

# ---- the device lacks the site's TLS profiles ----
run "apply without the TLS profiles on the device" apply "$T" --yes
rc_is 3
has "lb1: rolled back, ends on: old policy"
has "lb1: 'submit cli transaction': 01020036:3: The requested Profile ($CS) was not found."
run "fetch: nothing of aclforge's went in" fetch "$T" --device lb1
rc_is 0
lacks "aclf_"

# ---- the site creates them; apply goes in ----
tmsh "create ltm profile client-ssl lync-web-clientssl { defaults-from clientssl cert-key-chain replace-all-with { webint { cert webint.crt key webint.key } } }; create ltm profile server-ssl lync-serverssl { defaults-from serverssl }; save sys config" ||
	fail "creating the site's TLS profiles"
run "apply" apply "$T" --yes
rc_is 0
has "lb1: applied"
[ -s "$STATE" ] || fail "no state file"
for vs in aclf_fe-lab-443_vs aclf_fe-lab-4443_vs aclf_fe-lab-ext-443_vs; do
	awk -v vs="/Common/$vs" '$0 == "ltm virtual " vs " {" { on = 1 } on { print } on && $0 == "}" { exit }' \
		"$STATE" >"$EMU_TMP/vs.txt"
	for p in "$CS {" "$SS {" "/Common/http {" "/Common/aclf_oneconnect_32_prof {"; do
		grep -qF "$p" "$EMU_TMP/vs.txt" || fail "$vs lacks $p: $(cat "$EMU_TMP/vs.txt")"
	done
	grep -qF "context clientside" "$EMU_TMP/vs.txt" || fail "$vs: no clientside context"
	grep -qF "context serverside" "$EMU_TMP/vs.txt" || fail "$vs: no serverside context"
done
[ "$(grep -c '^ltm profile client-ssl ' "$STATE")" -eq 1 ] || fail "client-ssl profiles: $(grep 'ltm profile client-ssl' "$STATE")"
grep -q '^ltm profile client-ssl /Common/aclf_\|^ltm profile server-ssl /Common/aclf_' "$STATE" &&
	fail "aclforge created a TLS profile"
run "audit: no drift" audit "$T"
rc_is 0
has "lb1: no drift"

# ---- drift by hand: a TLS profile removed, a virtual disabled ----
tmsh "modify ltm virtual aclf_fe-lab-4443_vs profiles delete { $SS }; modify ltm virtual aclf_fe-lab-443_vs disabled" ||
	fail "hand changes"
run "audit: drift" audit "$T"
rc_is 1
has "lb1: drift"
has "tls server profile differs: intended $SS; live none"
has "state differs: intended enabled; live disabled"
lacks "cannot judge"
run "apply repairs both" apply "$T" --yes
rc_is 0
has "lb1: applied"
run "audit: no drift again" audit "$T"
rc_is 0
has "lb1: no drift"
grep -q '^ltm profile client-ssl /Common/lync-web-clientssl' "$STATE" || fail "the client-ssl profile is gone"
grep -q '^ltm profile server-ssl /Common/lync-serverssl' "$STATE" || fail "the server-ssl profile is gone"
emu_stop lb "$EMU_PID"
echo "apply_bigip_tls: ok"
