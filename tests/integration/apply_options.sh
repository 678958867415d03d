#!/bin/bash
# apply's options against the emulators (aclforge-emu on 127.0.0.1,
# emu.bash), each checked on what the device holds afterwards:
#   - IOS plan lists exactly what apply sends: an old policy typed by hand
#     whose group nests another one the new policy no longer needs; the
#     plan's commands name the nested group too, and are, line for line,
#     what apply's transcript shows between `configure terminal` and `end`
#   - IOS --no-save: applied, the report says "not saved" (JSON "saved":
#     false), the startup configuration is byte for byte what it was while
#     the running one changed; an apply without it saves (the startup
#     configuration then carries the new list)
#   - Junos --config-mode exclusive: every configuration session of the
#     apply enters `configure exclusive`, none `configure private`; the
#     device runs the new policy, nothing left pending or locked; a bad
#     mode is a usage error (exit 2) before anything connects
# Loopback only; no root needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/emu.bash"
. "$here/runlib.bash"

BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
command -v ssh >/dev/null 2>&1 || skip "needs ssh (OpenSSH client)"
trap emu_teardown EXIT
emu_init


# dssh PORT: the device's shell with stdin's lines (OpenSSH client)
dssh() {
	emu_known_hosts "$1" >"$EMU_TMP/kh.$1"
	ssh -T -p "$1" -i "$EMU_KEY" -o UserKnownHostsFile="$EMU_TMP/kh.$1" \
		-o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10 "$EMU_USER@127.0.0.1"
}

# sent LOG: the lines a transcript shows sent, one a line
sent() {
	sed -n 's/^> //p' "$1" | tr -d '\n' | sed 's/\\n/\n/g'
}

# ---- IOS ----
port=$(emu_free_port) || fail "no free port"
emu_start ios ios "127.0.0.1:$port"
IP=$EMU_PORT
T=$EMU_TMP/ios.yaml
emu_known_hosts "$IP" >"$EMU_TMP/ios.kh"
sed -e "s|@USER@|$EMU_USER|" -e "s|@PORT@|$IP|" -e "s|@KEY@|$EMU_KEY|" \
	-e "s|@KNOWN_HOSTS@|$EMU_TMP/ios.kh|" "$here/lab/ios.yaml.in" >"$T" || fail "topology"
STATE=$(emu_state ios "$IP")

# the old policy: LAB-SERVERS uses OLD-OUTER, which nests OLD-INNER; saved
printf '%s\n' "configure terminal" "object-group network OLD-INNER" " host 198.18.1.99" \
	"object-group network OLD-OUTER" " group-object OLD-INNER" " host 198.18.1.98" \
	"ip access-list extended LAB-SERVERS" " permit tcp object-group OLD-OUTER any eq 22" \
	" deny ip any any" "interface Vlan110" " ip access-group LAB-SERVERS out" "end" \
	"write memory" "exit" | dssh "$IP" >"$EMU_TMP/typed.out" 2>&1 ||
	fail "typing the old policy: $(cat "$EMU_TMP/typed.out")"
grep -q '^ group-object OLD-INNER' "$STATE" || fail "the old policy is not there: $(cat "$STATE")"

startup() {
	printf '%s\n' "show startup-config" "exit" | dssh "$IP" 2>&1 | tr -d '\r' |
		sed -n '/^Using [0-9]* out of/,$p' | grep -v '^Using \|#'
}
startup >"$EMU_TMP/startup.0"
grep -q '^ group-object OLD-INNER' "$EMU_TMP/startup.0" ||
	fail "the startup configuration lacks the saved policy: $(cat "$EMU_TMP/startup.0")"

run "plan: the nested group is listed" plan "$T" --format json
rc_is 1
/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
sys.stdout.write(d["commands"])' <(printf '%s\n' "$OUT") >"$EMU_TMP/plan.cmds" ||
	fail "no commands in the plan's JSON"
grep -qx 'no object-group network OLD-INNER' "$EMU_TMP/plan.cmds" ||
	fail "the plan does not list the nested group: $(cat "$EMU_TMP/plan.cmds")"
grep -qx 'no object-group network OLD-OUTER' "$EMU_TMP/plan.cmds" || fail "the plan lacks OLD-OUTER"
# nesting group before the group it nests (IOS refuses the other order)
[ "$(grep -nx 'no object-group network OLD-OUTER' "$EMU_TMP/plan.cmds" | cut -d: -f1)" -lt \
	"$(grep -nx 'no object-group network OLD-INNER' "$EMU_TMP/plan.cmds" | cut -d: -f1)" ] ||
	fail "OLD-INNER removed before OLD-OUTER"

mkdir -p "$EMU_TMP/tr"
run "apply --no-save" apply "$T" --yes --no-save --transcripts "$EMU_TMP/tr"
rc_is 0
has "sw1: applied, not saved"
has "not saved (--no-save)"
# what load sent: the lines between its `configure terminal` and `end`
sent "$EMU_TMP/tr/sw1.log" | sed -n '/^configure terminal$/,/^end$/p' | sed '1d;$d' >"$EMU_TMP/sent.cmds"
[ -s "$EMU_TMP/sent.cmds" ] || fail "no configuration lines in the transcript"
diff "$EMU_TMP/plan.cmds" "$EMU_TMP/sent.cmds" >"$EMU_TMP/plan-vs-sent" ||
	fail "the plan is not what apply sent: $(head -20 "$EMU_TMP/plan-vs-sent")"
echo "   plan == sent: $(wc -l <"$EMU_TMP/sent.cmds") lines"
sent "$EMU_TMP/tr/sw1.log" | grep -q 'copy running-config' && fail "--no-save sent a copy"
grep -q 'OLD-INNER' "$STATE" && fail "OLD-INNER is still in the running configuration"
"$BIN" diff "$T" --device sw1 --live "$STATE" >"$EMU_TMP/d" 2>&1 ||
	fail "not on the new policy: $(head "$EMU_TMP/d")"
startup >"$EMU_TMP/startup.1"
cmp -s "$EMU_TMP/startup.0" "$EMU_TMP/startup.1" ||
	fail "--no-save changed the startup configuration: $(diff "$EMU_TMP/startup.0" "$EMU_TMP/startup.1" | head)"

run "apply --no-save --format json" apply "$T" --yes --no-save --format json
rc_is 0
has '"outcome": "unchanged"'
lacks '"saved"'

# a change by hand, then apply with saving: startup now has the new list
printf '%s\n' "configure terminal" "ip access-list extended LAB-SERVERS.B" \
	" 1 permit tcp any any eq 9999" "end" "exit" | dssh "$IP" >/dev/null 2>&1 ||
	fail "change by hand"
run "apply (saves)" apply "$T" --yes --format json
rc_is 0
has '"outcome": "applied"'
lacks '"saved"'
startup >"$EMU_TMP/startup.2"
grep -q '^ip access-list extended LAB-SERVERS$' "$EMU_TMP/startup.2" ||
	fail "apply did not save: $(head -30 "$EMU_TMP/startup.2")"
grep -q 'OLD-INNER' "$EMU_TMP/startup.2" && fail "the saved configuration still has OLD-INNER"

# a change by hand again, then --no-save in JSON: "saved": false
printf '%s\n' "configure terminal" "ip access-list extended LAB-SERVERS" \
	" 1 permit tcp any any eq 9998" "end" "exit" | dssh "$IP" >/dev/null 2>&1 ||
	fail "change by hand"
run "apply --no-save (JSON)" apply "$T" --yes --no-save --format json
rc_is 0
has '"saved": false'
startup >"$EMU_TMP/startup.3"
cmp -s "$EMU_TMP/startup.2" "$EMU_TMP/startup.3" || fail "--no-save changed the startup configuration"
emu_stop ios "$EMU_PID"

# ---- Junos ----
run "bad --config-mode" apply "$T" --yes --config-mode shared
rc_is 2
has "bad --config-mode 'shared', expected private or exclusive"
run "--no-save is for apply" plan "$T" --no-save
rc_is 2

port=$(emu_free_port) || fail "no free port"
emu_start junos junos "127.0.0.1:$port"
JP=$EMU_PORT
J=$EMU_TMP/junos.yaml
emu_known_hosts "$JP" >"$EMU_TMP/junos.kh"
sed -e "s|@PORT@|$JP|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$EMU_TMP/junos.kh|" \
	"$here/lab/junos.yaml.in" >"$J" || fail "topology"
rm -rf "$EMU_TMP/tr" && mkdir -p "$EMU_TMP/tr"
run "apply --config-mode exclusive" apply "$J" --yes --config-mode exclusive \
	--transcripts "$EMU_TMP/tr"
rc_is 0
has "fw1: applied"
sent "$EMU_TMP/tr/fw1.log" >"$EMU_TMP/jsent"
[ "$(grep -cx 'configure exclusive' "$EMU_TMP/jsent")" -eq 2 ] ||
	fail "expected configure exclusive in load and confirm: $(grep -x 'configure.*' "$EMU_TMP/jsent")"
grep -qx 'configure private' "$EMU_TMP/jsent" && fail "configure private sent"
grep -q '^commit confirmed ' "$EMU_TMP/jsent" || fail "no commit confirmed"
"$BIN" diff "$J" --device fw1 --live "$(emu_state junos "$JP")" >"$EMU_TMP/d" 2>&1 ||
	fail "not on the new policy: $(head "$EMU_TMP/d")"
# nothing pending, the lock released: another exclusive session gets in
o=$(printf '%s\n' "configure exclusive" "exit configuration-mode" "exit" | dssh "$JP" 2>&1) ||
	fail "configure exclusive after apply: $o"
printf '%s\n' "$o" | grep -q 'commit confirmed will be rolled back\|locked\|error:' &&
	fail "left pending or locked: $o"
printf '%s\n' "$o" | grep -q 'Entering configuration mode' || fail "no configuration mode: $o"
emu_stop junos "$EMU_PID"
echo "PASS"
