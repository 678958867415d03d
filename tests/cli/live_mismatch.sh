#!/usr/bin/env bash
# diff --live refuses text that is not the device's: another driver's text
# or policy, another device's (by the text's hostname or the JSON device
# name), text with nothing the driver reads (empty, random). Each is a
# usage-class error (exit 2) with what was expected, never "no drift" or a
# comparison with an empty device.
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EX=$SRC/inventory/examples/small.yaml
fail() { echo "live_mismatch: $*" >&2; exit 1; }
refused() { # FILE DEVICE WORDS...
	local f=$1 dev=$2; shift 2
	"$B" diff "$EX" --device "$dev" --live "$f" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "$f for $dev: exit $rc, expected 2: $(cat "$T/out" "$T/err")"
	[ ! -s "$T/out" ] || fail "$f for $dev: printed a report: $(cat "$T/out")"
	grep -qF "$*" "$T/err" || fail "$f for $dev: no '$*' in: $(cat "$T/err")"
}
"$B" render "$EX" --device core1 >"$T/core1.ios" 2>/dev/null || fail "render core1"
"$B" render "$EX" --device fw1 >"$T/fw1.junos" 2>/dev/null || fail "render fw1"
"$B" render "$EX" --device lb1 >"$T/lb1.tmsh" 2>/dev/null || fail "render lb1"
"$B" compile "$EX" --device fw1 --format json >"$T/fw1.json" 2>/dev/null || fail "compile fw1"
"$B" compile "$EX" --device rp1 --format json >"$T/rp1.json" 2>/dev/null || fail "compile rp1"
head -c 4096 /dev/urandom >"$T/random.bin"
: >"$T/empty.txt"

# another driver's text or policy
refused "$T/fw1.junos" core1 "this is junos text (Junos set or curly configuration, optionally followed by show firewall), not ios: expected IOS running-config or show access-lists"
refused "$T/lb1.tmsh" core1 "this is bigip text"
refused "$T/core1.ios" fw1 "this is ios text"
refused "$T/core1.ios" lb1 "this is ios text"
refused "$T/fw1.json" core1 "this is a junos device's policy, device 'core1' is ios"
# another device's: the JSON's name, the text's hostname (also in parse's JSON)
refused "$T/rp1.json" rtr1 "this is device 'rp1' (name 'rp1'), not 'rtr1'"
{ echo "hostname fw1"; cat "$T/core1.ios"; } >"$T/named-fw1.ios"
refused "$T/named-fw1.ios" core1 "this is device 'fw1' (hostname 'fw1'), not 'core1'"
"$B" parse --driver ios "$T/named-fw1.ios" >"$T/named-fw1.json" || fail "parse named-fw1"
refused "$T/named-fw1.json" core1 "(hostname 'fw1')"
{ echo "admin@fw1.example.net> show configuration firewall | display set"; cat "$T/fw1.junos"; } >"$T/prompt.junos"
"$B" diff "$EX" --device fw1 --live "$T/prompt.junos" >"$T/out" 2>&1 || fail "fw1's own capture: $(cat "$T/out")"
sed 's/@fw1/@core1/' "$T/prompt.junos" >"$T/prompt-core1.junos"
refused "$T/prompt-core1.junos" fw1 "this is device 'core1' (hostname 'core1.example.net'), not 'fw1'"
# nothing the driver reads
for dev in core1 fw1 lb1; do
	"$B" diff "$EX" --device $dev --live "$T/random.bin" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "random bytes for $dev: exit $rc: $(cat "$T/out" "$T/err")"
done
refused "$T/empty.txt" core1 "no text, nothing ios reads: expected IOS running-config"
refused "$T/empty.txt" fw1 "no junos configuration in the text"
refused "$T/empty.txt" lb1 "no text, nothing bigip reads"
# the device's own text, under its own or a domain name, or a name the
# topology does not know, is compared
for h in "" "hostname core1" "hostname CORE1.example.net" "hostname rtr-berlin-1"; do
	{ [ -z "$h" ] || echo "$h"; cat "$T/core1.ios"; } >"$T/own.ios"
	"$B" diff "$EX" --device core1 --live "$T/own.ios" >"$T/out" 2>&1 || fail "own text with '$h': $(cat "$T/out")"
	grep -q "no drift" "$T/out" || fail "own text with '$h': $(cat "$T/out")"
done
echo "live_mismatch: ok"
