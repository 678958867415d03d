#!/usr/bin/env bash
# Text output says what it means: diff has a legend for '-' and '+', a
# count, and load-balancer lines that say intended and live; compile counts
# prefixes as prefixes; explain names rows without a service and keeps each
# seed cell on one line. Strings from a topology never forge a line or
# reach the terminal as control characters.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qxF -- "$2" "$1" || fail "$(basename "$1"): no line '$2' in:
$(head -20 "$1")"; }

"$B" render -q "$EX" --out "$T/r" 2>/dev/null || fail "render"

# diff: legend first, count last
sed 's/ 10.40.0.10 0.0.0.1 / host 10.40.0.10 /' "$T/r/core1.ios" >"$T/core1.ios"
"$B" diff "$EX" --device core1 --live "$T/core1.ios" >"$T/d1"; [ $? -eq 1 ] || fail "diff core1: not drift"
[ "$(head -1 "$T/d1")" = "core1: drift, as example packets: '-' intended permits it, live denies it; '+' live permits it, intended denies it" ] \
  || fail "diff legend: $(head -1 "$T/d1")"
has "$T/d1" "- tcp 10.40.0.11:49152 -> 10.1.3.11:5067: intended permits by LYNC-SERVERS r0021, live denies by LYNC-SERVERS e0107"
has "$T/d1" "- tcp 10.40.0.11:5067 -> 10.1.3.11:1 (established): intended permits by LYNC-SERVERS r0091, live denies by LYNC-SERVERS e0107"
[ "$(tail -1 "$T/d1")" = "core1: 2 example packets, 0 load-balancer differences" ] || fail "diff count: $(tail -1 "$T/d1")"
"$B" diff "$EX" --device core1 --live "$T/core1.ios" --format json >"$T/d1.json"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; assert c=={"packets":2,"lb_differences":0,"cannot_judge":0,"opaque_entries":0}, c' "$T/d1.json" \
  || fail "diff json counts"

# diff: load-balancer differences by intended and live
sed -e 's/ aclf_fe03:5061 { address 10.1.1.13 }//' -e '/^create ltm virtual aclf_med-berlin-5070_vs /d' \
    "$T/r/lb1.tmsh" >"$T/lb1.tmsh"
"$B" diff "$EX" --device lb1 --live "$T/lb1.tmsh" >"$T/d2"; [ $? -eq 1 ] || fail "diff lb1: not drift"
has "$T/d2" "lb1: drift in the load-balancer services"
has "$T/d2" 'lb 10.1.1.10:5061/tcp "fe-berlin-5061": members differ: intended only 10.1.1.13:5061; live only none'
has "$T/d2" 'lb 10.1.3.10:5070/tcp "med-berlin-5070": only intended has this service'
has "$T/d2" "lb1: 0 example packets, 2 load-balancer differences"
grep -qE 'only on [ab]\b|: a .*; b ' "$T/d2" && fail "diff lb1 still says a and b: $(cat "$T/d2")"
"$B" diff "$EX" --device lb1 --live "$T/lb1.tmsh" --format json >"$T/d2.json"
python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["counts"]=={"packets":0,"lb_differences":2,"cannot_judge":0,"opaque_entries":0}, d["counts"]
assert all("intended" in l or "live" in l for l in d["lb_services"]), d["lb_services"]' "$T/d2.json" || fail "diff lb1 json"

# compile: what the count in a named address list counts
"$B" compile -q "$EX" >"$T/c"
grep -q ' -> fe-berlin (2 prefixes) dport ' "$T/c" || fail "compile: no 'fe-berlin (2 prefixes)'"
grep -qE '[a-z]\([0-9]+\)' "$T/c" && fail "compile: a bare name(count) left: $(grep -E '[a-z]\([0-9]+\)' "$T/c" | head -1)"

# explain: a row of the hlb table (no service column), a seed cell of two paragraphs
"$B" explain "$EX" --src 10.20.1.50 --dst 10.1.1.10 --proto tcp --port 5061 >"$T/e1"
has "$T/e1" "    also asked for by hlb-01: hlb table row 1, front-end-lb, no service name in the seed (TCP (TLS))"
"$B" explain "$EX" --src 10.1.1.12 --dst 10.1.1.11 --proto tcp --port 444 >"$T/e2"
has "$T/e2" '    server-04: server table row 4, front-end, Lync Server-Front-End-Dienst (HTTPS\nTCP)'
[ "$(wc -l <"$T/e2")" -eq 2 ] || fail "explain: a seed cell broke a line: $(cat "$T/e2")"

# a site rule whose why holds a newline, a carriage return, ANSI escapes
# and a C1 CSI: one line in explain, escaped
sed 's/why: "SIP over TLS from clients (already in the catalog)"/why: "SIP\\nforged: line\\r\\e[31mred\\e[0m\\u009b"/' "$EX" >"$T/evil.yaml"
grep -q 'forged' "$T/evil.yaml" || fail "the evil topology was not made"
"$B" explain "$T/evil.yaml" --src 10.20.1.50 --dst 10.1.1.10 --proto tcp --port 5061 >"$T/e3" || fail "explain evil"
has "$T/e3" '    site rule 2 (line 121): networks.clients -> pools.fe-berlin: SIP\nforged: line\r\x1b[31mred\x1b[0m\u009b'
[ "$(wc -l <"$T/e3")" -eq 4 ] || fail "explain: the why forged a line: $(cat "$T/e3")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$T/e3"; then fail "explain: control characters reached the output"; fi
# usage errors quote arguments escaped too
"$B" $'fro\x1b[31mb' 2>"$T/u1" >/dev/null; [ $? -eq 2 ] || fail "unknown command: exit"
has "$T/u1" "aclforge: unknown command 'fro\x1b[31mb'"
"$B" parse --format $'x\ny' x 2>"$T/u2" >/dev/null; [ $? -eq 2 ] || fail "bad format: exit"
has "$T/u2" "aclforge parse: unknown format 'x\ny', expected text or json"

# JSON carries every item even when device text names a filter in bytes
# that are not UTF-8 (written escaped, as the text output writes them)
printf 'ip access-list extended LYNC-SERVERS\xe9\n permit tcp any any eq 5061\n!\ninterface Vlan110\n ip access-group LYNC-SERVERS\xe9 out\n' >"$T/latin1.ios"
"$B" diff "$EX" --device core1 --live "$T/latin1.ios" --max 3 --format json >"$T/d3.json"; [ $? -eq 1 ] || fail "diff latin1: not drift"
python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert len(d["packets"])==d["counts"]["packets"]==3, d
assert any(p["live_filter"]=="LYNC-SERVERS\\xe9" for p in d["packets"]), d["packets"]' "$T/d3.json" || fail "diff latin1 json: $(cat "$T/d3.json")"
echo "text_output: ok"
