#!/usr/bin/env bash
# parse reads several files as one device's text, in order: show
# object-group output then show access-lists (tests/fixtures/ios, genie
# customer3) resolves the groups the second does not print. Errors name the
# file and its own line; a file cut mid-line before the next is refused;
# another vendor's text among them is refused.
set -uo pipefail
B=${ACLF_BIN:?} F=${ACLF_FIXTURES:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "parse_files: $*" >&2; exit 1; }
ACL=$F/ios/ios_ShowAccessLists_golden_output_customer3_output.txt
printf 'Network object group grt-interface-nets\n host 10.4.1.1\n 10.9.0.0 255.255.0.0\nNetwork object group vpn-endpoints-dummydpd\n host 192.0.2.1\n host 192.0.2.2\n' >"$T/og.txt"
"$B" parse --driver ios "$ACL" >"$T/alone.json" 2>"$T/err" || fail "alone: $(cat "$T/err")"
grep -q ": 8 opaque entries" "$T/err" || fail "alone: $(cat "$T/err")"
"$B" parse --driver ios "$T/og.txt" "$ACL" >"$T/both.json" 2>"$T/err" || fail "both: $(cat "$T/err")"
grep -q "og.txt and the files after it: 4 opaque entries" "$T/err" || fail "both: $(cat "$T/err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
r={x["device_name"]: x for f in d["filters"] for x in f["rules"]}
assert not r["110"].get("opaque") and r["110"]["hits"]==122 and r["110"]["src_name"]=="vpn-endpoints-dummydpd", r["110"]
assert r["110"]["src"]==["192.0.2.1/32","192.0.2.2/32"], r["110"]["src"]
assert r["70"]["src"]==["10.4.1.1/32","10.9.0.0/16"], r["70"]["src"]' "$T/both.json" || fail "both: rules"
# standard input among them, once
"$B" parse --driver ios - "$ACL" <"$T/og.txt" >/dev/null 2>&1 || fail "stdin first"
"$B" parse --driver ios - - <"$T/og.txt" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "stdin twice accepted"
# positions in the file's own terms
printf 'Network object group x\n host 10.4.1\n' >"$T/bad.txt"
"$B" parse --driver ios "$T/og.txt" "$T/bad.txt" "$ACL" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "bad: exit"
grep -q "bad.txt:2:7: expected an ipv4 address" "$T/err" || fail "bad: $(cat "$T/err")"
printf 'Network object group x\n host 10.4.1.1' >"$T/cut.txt"
"$B" parse --driver ios "$T/cut.txt" "$ACL" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "cut: exit"
grep -q "cut.txt: text ends in the middle of a line" "$T/err" || fail "cut: $(cat "$T/err")"
"$B" parse --driver ios "$T/og.txt" "$F/junos/junos_firewall_set.cfg" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "junos: exit"
grep -q "og.txt:1:1: this is junos text" "$T/err" || fail "junos: $(cat "$T/err")"
echo "parse_files: ok"
