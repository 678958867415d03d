#!/usr/bin/env bash
# TLS termination on the BIG-IP's HTTPS web services virtual servers, end
# to end through the CLI:
#   - the small example names lb1's TLS profiles: compile warns about no
#     pool, the rendered text references them (never creates them) and
#     reads back with no drift;
#   - a live virtual without its server-side profile, or with another
#     client-side profile, or balanced per connection as before (no http,
#     one-connect or TLS profiles) is drift naming the field (exit 1), in
#     text and JSON;
#   - the two-site example names none: compile says, per web pool, which
#     HTTPS virtual servers balance per connection, at the pool's
#     file:line:col, and still compiles (exit 0).
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EX=$SRC/inventory/examples/small.yaml
fail() { echo "bigip_tls: $*" >&2; exit 1; }

"$B" compile "$EX" >/dev/null 2>"$T/warn" || fail "compile small: $(cat "$T/warn")"
grep -q "balance per connection" "$T/warn" && fail "small warns: $(cat "$T/warn")"
"$B" render "$EX" --device lb1 >"$T/lb1.tmsh" 2>/dev/null || fail "render lb1"
grep -q "^create ltm profile client-ssl\|^create ltm profile server-ssl" "$T/lb1.tmsh" &&
	fail "render creates a TLS profile"
n=$(grep -c '/Common/serverssl { context serverside }' "$T/lb1.tmsh")
[ "$n" -eq 6 ] || fail "expected 6 virtuals re-encrypting to the members, got $n"
grep -q '^create ltm virtual aclf_fe-berlin-ext-443_vs .* http { } aclf_oneconnect_32_prof { } /Common/lync-fe-ext-clientssl { context clientside } /Common/serverssl { context serverside } }' \
	"$T/lb1.tmsh" || fail "external 443 profiles: $(grep ext-443_vs "$T/lb1.tmsh")"
"$B" diff "$EX" --device lb1 --live "$T/lb1.tmsh" >"$T/out" 2>&1 || fail "unchanged: $(cat "$T/out")"
grep -q "lb1: no drift" "$T/out" || fail "unchanged: $(cat "$T/out")"

# drift DESCRIPTION SED-EXPRESSION EXPECTED-LINE...
drift() {
	local what=$1 expr=$2
	shift 2
	sed "$expr" "$T/lb1.tmsh" >"$T/x.tmsh"
	cmp -s "$T/lb1.tmsh" "$T/x.tmsh" && fail "$what: text unchanged"
	"$B" diff "$EX" --device lb1 --live "$T/x.tmsh" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 1 ] || fail "$what: diff exit $rc, expected 1: $(cat "$T/out")"
	for want in "$@"; do
		grep -qF -- "$want" "$T/out" || fail "$what: lacks '$want': $(cat "$T/out")"
	done
}
VS443='/^create ltm virtual aclf_fe-berlin-443_vs /'
drift "server profile missing" "$VS443 s# /Common/serverssl { context serverside }##" \
	'lb 10.1.1.10:443/tcp "fe-berlin-443": tls server profile differs: intended /Common/serverssl; live none' \
	'1 load-balancer difference'
drift "other client profile" "/aclf_dir-berlin-ext-443_vs /s#/Common/lync-dir-ext-clientssl#/Common/clientssl#" \
	'"dir-berlin-ext-443": tls client profile differs: intended /Common/lync-dir-ext-clientssl; live /Common/clientssl'
drift "per connection" "$VS443 s# http { } aclf_oneconnect_32_prof { } /Common/lync-fe-int-clientssl { context clientside } /Common/serverssl { context serverside }##" \
	'"fe-berlin-443": request balancing differs: intended per request, connections reused within source /32; live per connection' \
	'"fe-berlin-443": tls client profile differs: intended /Common/lync-fe-int-clientssl; live none' \
	'"fe-berlin-443": tls server profile differs: intended /Common/serverssl; live none'
"$B" diff "$EX" --device lb1 --live "$T/x.tmsh" --format json >"$T/d.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["drift"] is True, d
fields=sorted(i["field"] for i in d["lb_differences"] if i["service"]=="fe-berlin-443")
assert fields==["request balancing","tls client profile","tls server profile"], fields' "$T/d.json" ||
	fail "per connection: JSON: $(head -c 2000 "$T/d.json")"

# no TLS profiles named: warned per web pool, at the pool
TS=$SRC/inventory/examples/two-site.yaml
"$B" compile "$TS" >/dev/null 2>"$T/warn" || fail "compile two-site: $(cat "$T/warn")"
[ "$(grep -c 'balance per connection' "$T/warn")" -eq 4 ] || fail "two-site warnings: $(cat "$T/warn")"
line=$(grep -n '^  fe-munich:' "$TS" | cut -d: -f1)
grep -qF "two-site.yaml:$line:3: warning: pool fe-munich on lb-muc: the HTTPS web services virtual servers fe-munich-443, fe-munich-443-v6, fe-munich-4443, fe-munich-4443-v6, fe-munich-ext-443, fe-munich-ext-443-v6 balance per connection" \
	"$T/warn" || fail "fe-munich warning: $(cat "$T/warn")"
grep -q "med-" "$T/warn" && fail "a mediation pool warned: $(cat "$T/warn")"
echo "bigip_tls: small renders and reads back its TLS profiles; 3 drifts found; two-site warns for 4 pools"
