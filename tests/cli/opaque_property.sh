#!/usr/bin/env bash
# The property of opaque entries, for every filter device of every bundled
# example whose driver reads its own render (ios, junos, nftables in its
# text form): render -> diff is
# no drift; one line the neutral form cannot hold (a dscp match) put in
# front of the first list yields exactly one opaque entry (parse: count on
# standard error and in the JSON; --strict refuses it at its line) and a
# diff that cannot judge ('?' lines, exit 0, JSON cannot_judge), never "no
# drift" and never drift. (roundtrip_examples.sh checks render -> parse ->
# diff for every device, nftables included.)
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "opaque_property: $*" >&2; exit 1; }
checked=0
for topo in "$SRC"/inventory/examples/*.yaml; do
	ex=$(basename "$topo" .yaml)
	mkdir -p "$T/$ex"
	"$B" render --out "$T/$ex" "$topo" >/dev/null 2>"$T/err" || fail "$ex: render: $(cat "$T/err")"
	for f in "$T/$ex"/*.ios "$T/$ex"/*.junos "$T/$ex"/*.nft; do
		[ -e "$f" ] || continue
		dev=$(basename "$f"); dev=${dev%.*}
		"$B" diff "$topo" --device "$dev" --live "$f" >"$T/d0" 2>&1 || fail "$ex/$dev: own render: $(head -5 "$T/d0")"
		grep -q "no drift" "$T/d0" || fail "$ex/$dev: own render: $(head -5 "$T/d0")"
		case "$f" in
		*.ios) # a first entry of the first list that has entries
			awk 'BEGIN { done = 0 }
			     !done && prev ~ /^ip access-list extended / { print " deny ip any any dscp ef"; done = 1; line = NR }
			     !done && prev ~ /^ipv6 access-list / { print " deny ipv6 any any dscp ef"; done = 1; line = NR }
			     { print; prev = $0 }
			     END { if (!done) exit 1; print line > "/dev/stderr" }' "$f" >"$T/op" 2>"$T/at" ;;
		*.junos) # a first term of the first filter
			awk 'BEGIN { done = 0 }
			     !done && /^set firewall family inet6? filter [^ ]+ term / {
				split($0, w, " "); p = "set firewall family " w[4] " filter " w[6]
				print p " term opaque-dscp from dscp ef"; print p " term opaque-dscp then discard"
				done = 1; line = NR }
			     { print }
			     END { if (!done) exit 1; print line > "/dev/stderr" }' "$f" >"$T/op" 2>"$T/at" ;;
		*.nft) # in front of the first rule after a chain's opening rules
			awk 'BEGIN { done = 0 }
			     !done && /counter name "/ { print "\t\tip dscp ef drop"; done = 1; line = NR }
			     { print }
			     END { if (!done) exit 1; print line > "/dev/stderr" }' "$f" >"$T/op" 2>"$T/at" ;;
		esac
		[ $? -eq 0 ] || fail "$ex/$dev: no list to put the line in"
		at=$(cat "$T/at")
		"$B" parse "$T/op" >"$T/p.json" 2>"$T/perr" || fail "$ex/$dev: parse: $(cat "$T/perr")"
		grep -q ": 1 opaque entries" "$T/perr" || fail "$ex/$dev: parse count: $(cat "$T/perr")"
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
n=sum(1 for f in d["filters"] for r in f["rules"] if r.get("opaque"))
assert n==1 and d["opaque_entries"]==1, (n, d.get("opaque_entries"))
r=[r for f in d["filters"] for r in f["rules"] if r.get("opaque")][0]
assert "dscp" in r["raw"] and r["action"]=="deny", r' "$T/p.json" || fail "$ex/$dev: parse json"
		"$B" parse --strict "$T/op" >/dev/null 2>"$T/perr"; rc=$?
		[ $rc -eq 2 ] || fail "$ex/$dev: parse --strict: exit $rc"
		grep -q ":$at:" "$T/perr" || fail "$ex/$dev: parse --strict: not at line $at: $(cat "$T/perr")"
		"$B" diff "$topo" --device "$dev" --live "$T/op" --max 3 >"$T/d1" 2>&1; rc=$?
		[ $rc -eq 0 ] || fail "$ex/$dev: diff with the opaque entry: exit $rc (expected 0: nothing proven): $(head -5 "$T/d1")"
		grep -q "no drift" "$T/d1" && fail "$ex/$dev: diff said no drift: $(cat "$T/d1")"
		grep -q "^$dev: cannot judge, as example packets" "$T/d1" || fail "$ex/$dev: no cannot-judge legend: $(cat "$T/d1")"
		grep -q "^? .*live cannot judge: opaque entry .*dscp" "$T/d1" || fail "$ex/$dev: no '?' line: $(cat "$T/d1")"
		grep -q "^$dev: 0 example packets, 0 load-balancer differences, [1-3] cannot judge (1 opaque entry)$" "$T/d1" ||
			fail "$ex/$dev: count line: $(tail -1 "$T/d1")"
		"$B" diff "$topo" --device "$dev" --live "$T/op" --format json >"$T/d1.json" 2>/dev/null
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["drift"] is False and d["packets"]==[] and d["cannot_judge"], d["counts"]
c=d["counts"]; assert c["cannot_judge"]==len(d["cannot_judge"]) and c["opaque_entries"]==1, c
assert all("dscp" in p["opaque_text"] for p in d["cannot_judge"])' "$T/d1.json" || fail "$ex/$dev: diff json"
		checked=$((checked + 1))
	done
done
[ $checked -ge 12 ] || fail "only $checked devices checked"
echo "opaque_property: $checked devices"
