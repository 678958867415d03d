#!/usr/bin/env bash
# Parse errors have one form, GCC's: "FILE:LINE:COL: what", FILE the input
# as given (never the device name or --name, never twice), LINE and COL
# 1-based, for every driver and for the policy JSON, through parse and
# through diff --live.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T" || exit 1

# expect FILE DRIVER 'LINE:COL: message': parse with --name DEV prints
# exactly "aclforge: FILE:LINE:COL: message" and exits 2
expect() {
	local file=$1 drv=$2 want="aclforge: $1:$3"
	"$B" parse --driver "$drv" --name DEV ${XARGS:-} "$file" >/dev/null 2>err; local rc=$?
	[ $rc -eq 2 ] || fail "$drv $file: exit $rc: $(cat err)"
	[ "$(cat err)" = "$want" ] || fail "$drv $file:
  want: $want
  got:  $(cat err)"
}

# IOS, CRLF line ends: the column is the port's, 1-based
printf 'ip access-list extended X\r\n permit tcp any any eq 5061\r\n permit tcp any any eq 99999\r\n' >crlf_x.cfg
expect crlf_x.cfg ios "3:24: expected a port number or name, got '99999'"
printf 'ip access-list extended X\n permit tcp any any eq\n' >eol.cfg
expect eol.cfg ios "2:23: expected a port number or name, got end of line"
# standard input is <stdin>
"$B" parse --driver ios --name DEV - <crlf_x.cfg >/dev/null 2>err
[ "$(cat err)" = "aclforge: <stdin>:3:24: expected a port number or name, got '99999'" ] \
  || fail "stdin label: $(cat err)"

# Junos set and curly forms: the word at fault, the filter name an
# interface binds, tcp-established, an unterminated string after the verb
printf 'set firewall family inet filter F term T from protocol frob\n' >j1.set
expect j1.set junos "1:56: unknown protocol 'frob'"
printf 'set firewall family inet filter F term T then accept\nset interfaces ge-0/0/1 unit 0 family inet filter input NOPE\n' >j2.set
expect j2.set junos "2:57: interface 'ge-0/0/1.0' binds filter 'NOPE', which is not defined in family inet"
printf 'set firewall family inet filter F term T from "unterminated\n' >j3.set
expect j3.set junos "1:47: unterminated quoted string"
printf 'firewall {\n    family inet {\n        filter F {\n            term U {\n                from {\n                    tcp-established;\n                }\n                then accept;\n            }\n        }\n    }\n}\n' >j4.conf
expect j4.conf junos "6:21: term 'U': tcp-established needs exactly 'protocol tcp'"
# the text ends: just past its last character
printf 'firewall {\n    family inet {\n        filter F {\n            term T {\n                then accept;\n            }\n        }\n' >j5.conf
expect j5.conf junos "7:10: text ends inside block 'family inet' opened at line 2; missing '}'"

# BIG-IP
printf 'ltm virtual /Common/v {\n    destination 10.1.1.10:99999\n    ip-protocol tcp\n}\n' >b1.txt
expect b1.txt bigip "2:17: bad destination '10.1.1.10:99999'"
printf 'ltm virtual /Common/v {\n    destination 10.1.1.10:443\n' >b2.txt
expect b2.txt bigip "2:30: text ends inside 'ltm virtual /Common/v' opened at line 1: missing '}'"

# nft JSON: the rule's handle and where its object starts, on one line as
# nft prints it and pretty-printed (--strict: limit is an opaque rule without)
cp "$SRC/tests/fixtures/nftables/err_limit.json" n1.json
XARGS=--strict expect n1.json nftables "1:882: rule handle 5 in chain 'input': unsupported statement limit (--strict: no opaque entries)"
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), indent=1)' n1.json n2.json
want=$(python3 -c '
import sys
t=open(sys.argv[1]).read()
i=t.index("\"handle\": 5")
s=t.rfind("{\n", 0, t.rfind("\"rule\"", 0, i))
print("%d:%d" % (t.count("\n", 0, s) + 1, s - t.rfind("\n", 0, s)))' n2.json)
XARGS=--strict expect n2.json nftables "$want: rule handle 5 in chain 'input': unsupported statement limit (--strict: no opaque entries)"
# the text form: the rule's line and column
cp "$SRC/tests/fixtures/nftables/err_limit.nft" n4.nft
want=$(grep -n "limit rate" n4.nft | cut -d: -f1)
XARGS=--strict expect n4.nft nftables "$want:3: rule in chain 'input': unsupported statement limit (--strict: no opaque entries)"
printf '{"nftables": [\n  {"table": }]}' >n3.json
expect n3.json nftables "2:13: malformed nft json: unexpected token near '}'"

# diff --live: the same positions, the file named once
"$B" diff "$EX" --device core1 --live crlf_x.cfg >/dev/null 2>err; rc=$?
[ $rc -eq 2 ] || fail "diff --live crlf_x.cfg: exit $rc"
grep -qx "aclforge: crlf_x.cfg:3:24: expected a port number or name, got '99999'" err \
  || fail "diff --live crlf_x.cfg: $(cat err)"
printf '{"devices": [{"name": "core1", "driver": "ios", "colour": 1}]}\n' >all.json
"$B" diff "$EX" --device core1 --live all.json >/dev/null 2>err; rc=$?
[ $rc -eq 2 ] || fail "diff --live all.json: exit $rc"
grep -qx 'aclforge: all.json: devices\[0\]: unknown key "colour"' err || fail "diff --live all.json: $(cat err)"
printf '{"devices": [,]}' >bad.json
"$B" diff "$EX" --device core1 --live bad.json >/dev/null 2>err
grep -qx "aclforge: bad.json:1:14: invalid json: unexpected token near ','" err || fail "diff --live bad.json: $(cat err)"
echo "positions: ok"
