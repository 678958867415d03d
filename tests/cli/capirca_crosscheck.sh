#!/bin/bash
# Independent cross-check against Capirca (Debian python3-capirca 2.0.6).
#
# For both example topologies, every filter of every IOS and Junos device is
# translated from the compiled neutral JSON into Capirca naming and policy
# files (tests/tools/capirca_gen.py: one term per rule, one protocol per
# term, source ports for return rules, tcp-established for established
# rules, the default as a final term; headers `cisco NAME extended`,
# `cisco NAME-V6 inet6`, `juniper NAME inet`, `juniper NAME inet6`).
# Capirca's aclgen renders them (default and --optimize); our IOS and Junos
# parsers read Capirca's .acl and .jcl back, and `aclforge diff` checks by
# meaning that each filter permits exactly what the intended policy permits
# (the device's other filters are the intended ones: the one-device JSON
# route, see capirca_gen.py splice). Our own rendering is parsed back and
# compared the same way, per filter and as a whole device. Any difference is
# a failure, printed with diff's example packets.
#
# Negative control: a policy with one rule left out must be reported as
# drift naming that rule. Without Capirca only the fixture part runs
# (Capirca's saved output must parse) and the test is skipped (77).
set -u

. "$(dirname "$0")/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
src=${ACLF_SRCDIR:-$(cd "$here/../.." && pwd)}
fixtures=${ACLF_FIXTURES:-$src/tests/fixtures}
BIN=${ACLF_BIN:-$src/build/aclforge}
PY=/usr/bin/python3
GEN=$src/tests/tools/capirca_gen.py
[ -x "$BIN" ] || fail "no aclforge binary at '$BIN' (set ACLF_BIN)"
[ -x "$PY" ] || skip "needs /usr/bin/python3"
[ -r "$GEN" ] || fail "missing $GEN"

tmp=$(mktemp -d /tmp/aclf-capirca.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

bad() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# ---- Part 1: Capirca's saved output (tests/fixtures/capirca) must parse ----
# Capirca's IOS text starts with `no ip access-list extended`, carries
# remarks, blank lines and `exit`; its Junos text is curly with `replace:`.
fx=$fixtures/capirca
for acl in "$fx"/*.acl; do
	[ -e "$acl" ] || fail "no Capirca fixtures in $fx"
	checks=$((checks + 1))
	if ! "$BIN" parse --driver ios "$acl" >"$tmp/fx.json" 2>"$tmp/fx.err"; then
		bad "ios parser rejects Capirca output: aclforge parse --driver ios $acl: $(cat "$tmp/fx.err")"
		continue
	fi
	aces=$("$PY" "$GEN" aces "$acl" | cut -f1)
	got=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
fs=d["filters"]; print(len(fs), fs[0]["name"] if fs else "-", sum(len(f["rules"]) for f in fs), fs[0]["default_action"] if fs else "-")' "$tmp/fx.json")
	want="1 $(sed -n 's/^ip access-list extended //p' "$acl" | head -1) $aces deny"
	[ "$got" = "$want" ] || bad "ios parse of $acl: got filters/name/rules/default '$got', want '$want' (one filter joining NAME and NAME-V6, one rule per entry)"
done
for jcl in "$fx"/*.jcl; do
	[ -e "$jcl" ] || fail "no Capirca Junos fixtures in $fx"
	checks=$((checks + 1))
	if ! "$BIN" parse --driver junos "$jcl" >"$tmp/fx.json" 2>"$tmp/fx.err"; then
		bad "junos parser rejects Capirca output: aclforge parse --driver junos $jcl: $(cat "$tmp/fx.err")"
		continue
	fi
	# accepting terms per family: the parser joins inet and inet6 filters of
	# one name, and a term of both families may become one rule
	acc4=$(awk '/family inet6/{f=6} /family inet \{/{f=4} /(^|[{ ])accept;/{if(f==4)n++} END{print n+0}' "$jcl")
	acc6=$(awk '/family inet6/{f=6} /family inet \{/{f=4} /(^|[{ ])accept;/{if(f==6)n++} END{print n+0}' "$jcl")
	name=$(sed -n 's/^ *replace: filter \([^ ]*\) {/\1/p' "$jcl" | head -1)
	got=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
fs=d["filters"]; a4,a6,name=int(sys.argv[2]),int(sys.argv[3]),sys.argv[4]
p=sum(1 for f in fs for r in f["rules"] if r["action"] == "permit")
ok=len(fs)==1 and fs[0]["name"]==name and fs[0]["default_action"]=="deny" and max(a4,a6)<=p<=a4+a6
print("ok" if ok else "%d filter(s) %s, %d permit rules for %d inet + %d inet6 accepting terms, default %s"
      % (len(fs), ",".join(f["name"] for f in fs), p, a4, a6, fs[0]["default_action"] if fs else "-"))' \
		"$tmp/fx.json" "$acc4" "$acc6" "$name")
	[ "$got" = ok ] || bad "junos parse of $jcl: $got (want one filter $name, default deny)"
done

# ---- Part 2: Capirca itself ----
"$PY" -c 'import capirca.aclgen' 2>/dev/null || {
	[ "$failures" -eq 0 ] || fail "$failures of $checks fixture checks failed"
	skip "python3-capirca is not installed ($checks fixture checks passed)"
}
capver=$(dpkg-query -W -f='${Version}' python3-capirca 2>/dev/null || echo unknown)
echo "capirca: python3-capirca $capver"

aclgen() { # POLDIR DEFDIR OUTDIR [--optimize]
	local out=$3
	mkdir -p "$out"
	"$PY" -m capirca.aclgen --base_directory="$1" --definitions_directory="$2" \
		--output_directory="$out" --max_renderers=1 ${4:-} >"$out.log" 2>&1 ||
		{ bad "aclgen $* failed: $(tail -5 "$out.log")"; return 1; }
}

# compare FILE(text) DRIVER DEVICE FILTER NAMES LABEL TOPO JSON [--others]:
# parse, splice, diff
compare() {
	local file=$1 drv=$2 dev=$3 flt=$4 names=$5 label=$6 topo=$7 json=$8 others=${9:-}
	local base=$tmp/cmp.$checks
	checks=$((checks + 1))
	[ -s "$file" ] || { bad "$label: no output file $file"; return; }
	if ! "$BIN" parse --driver "$drv" "$file" >"$base.parsed.json" 2>"$base.err"; then
		bad "$label: $drv parser rejects $file: aclforge parse --driver $drv $(basename "$file"): $(head -3 "$base.err")"
		return
	fi
	if ! "$PY" "$GEN" splice "$json" "$dev" "$flt" "$base.parsed.json" "$base.live.json" \
		--names "$names" $others 2>"$base.err"; then
		bad "$label: $(cat "$base.err")"
		return
	fi
	"$BIN" diff "$topo" --device "$dev" --live "$base.live.json" --max 20 >"$base.diff" 2>"$base.err"
	case $? in
	0) ;;
	1) bad "$label: $dev filter $flt differs from the intended policy (first packets; '-' = intended permits, live denies):"
	   sed 's/^/    /' "$base.diff" ;;
	*) bad "$label: aclforge diff failed: $(head -3 "$base.err")" ;;
	esac
}

# The saved fixtures are what this Capirca renders from the saved policies.
mkdir -p "$tmp/fxpol/pol"
cp "$fx"/policies/pol/*.pol "$tmp/fxpol/pol/"
if aclgen "$tmp/fxpol" "$fx/def" "$tmp/fxout"; then
	for f in "$fx"/*.acl "$fx"/*.jcl; do
		checks=$((checks + 1))
		cmp -s "$f" "$tmp/fxout/$(basename "$f")" ||
			bad "Capirca $capver renders $(basename "$f") differently from the saved fixture (see tests/fixtures/capirca/SOURCES.md)"
	done
fi

examples="small two-site"
for ex in $examples; do
	topo=$src/inventory/examples/$ex.yaml
	w=$tmp/$ex
	mkdir -p "$w"
	"$BIN" compile --format json "$topo" >"$w/policy.json" 2>"$w/compile.err" ||
		fail "$ex: aclforge compile: $(head -3 "$w/compile.err")"
	"$BIN" render --out "$w/ours" "$topo" >/dev/null 2>"$w/render.err" ||
		fail "$ex: aclforge render: $(head -3 "$w/render.err")"
	"$PY" "$GEN" gen "$w/policy.json" "$w/cap" >"$w/list" || fail "$ex: capirca_gen.py gen failed"
	[ -s "$w/list" ] || fail "$ex: no IOS or Junos filters"
	aclgen "$w/cap/policies" "$w/cap/def" "$w/out-default" || continue
	aclgen "$w/cap/policies" "$w/cap/def" "$w/out-optimize" --optimize || continue

	while IFS=$'\t' read -r pol dev drv flt nterms; do
		ext=ios
		[ "$drv" = junos ] && ext=junos
		v6=$flt-V6
		for v in default optimize; do
			compare "$w/out-$v/$pol.acl" ios "$dev" "$flt" "$flt,$v6" \
				"$ex capirca cisco ($v)" "$topo" "$w/policy.json"
			compare "$w/out-$v/$pol.jcl" junos "$dev" "$flt" "$flt" \
				"$ex capirca juniper ($v)" "$topo" "$w/policy.json"
		done
		names=$flt
		[ "$drv" = ios ] && names="$flt,$v6"
		compare "$w/ours/$dev.$ext" "$drv" "$dev" "$flt" "$names" "$ex our $drv rendering" \
			"$topo" "$w/policy.json" --others
		echo "$ex $dev/$flt ($drv, $nterms terms): checked"
	done <"$w/list"

	# our rendering as a whole device, the way an operator runs it
	for dev in $(cut -f2 "$w/list" | sort -u); do
		drv=$(grep -m1 -P "\t$dev\t" "$w/list" | cut -f3)
		ext=ios
		[ "$drv" = junos ] && ext=junos
		checks=$((checks + 1))
		if ! "$BIN" diff "$topo" --device "$dev" --live "$w/ours/$dev.$ext" >"$w/$dev.diff" 2>/dev/null; then
			bad "$ex: aclforge diff $ex.yaml --device $dev --live $dev.$ext (our own rendering) reports:"
			sed 's/^/    /' "$w/$dev.diff" | head -20
		fi
	done
done

# ---- IOS entries for small.yaml core1: ours vs Capirca's ----
w=$tmp/small
ours=$("$PY" "$GEN" aces "$w/ours/core1.ios" | cut -f1,2)
capd=$(cat "$w"/out-default/core1__*.acl >"$tmp/cd.acl" && "$PY" "$GEN" aces "$tmp/cd.acl" | cut -f1,2)
capo=$(cat "$w"/out-optimize/core1__*.acl >"$tmp/co.acl" && "$PY" "$GEN" aces "$tmp/co.acl" | cut -f1,2)
printf 'small.yaml core1 IOS entries (permit/deny lines) and lines:\n'
printf '  aclforge (object-groups) %s\n  capirca default          %s\n  capirca --optimize       %s\n' \
	"$(echo "$ours" | tr '\t' ' ')" "$(echo "$capd" | tr '\t' ' ')" "$(echo "$capo" | tr '\t' ' ')"

# ---- Negative control: one rule left out must be found ----
w=$tmp/neg
mkdir -p "$w"
"$PY" "$GEN" gen "$tmp/small/policy.json" "$w/cap" --drop-rule core1/LYNC-CLIENTS/r0001 >/dev/null ||
	fail "capirca_gen.py gen --drop-rule failed"
if aclgen "$w/cap/policies" "$w/cap/def" "$w/out"; then
	for ext in acl jcl; do
		drv=ios names=LYNC-CLIENTS,LYNC-CLIENTS-V6
		[ $ext = jcl ] && drv=junos names=LYNC-CLIENTS
		checks=$((checks + 1))
		: >"$w/d"
		"$BIN" parse --driver $drv "$w/out/core1__LYNC-CLIENTS.$ext" >"$w/p.json" 2>/dev/null &&
			"$PY" "$GEN" splice "$tmp/small/policy.json" core1 LYNC-CLIENTS "$w/p.json" "$w/live.json" \
				--names $names &&
			"$BIN" diff "$src/inventory/examples/small.yaml" --device core1 --live "$w/live.json" >"$w/d" 2>&1
		rc=$?
		if [ $rc -ne 1 ] || ! grep -q 'intended permits by LYNC-CLIENTS r0001, live denies' "$w/d"; then
			bad "negative control ($ext): dropping core1/LYNC-CLIENTS/r0001 from Capirca's policy was not reported (rc $rc):"
			sed 's/^/    /' "$w/d" | head -5
		fi
	done
fi

# ---- Information: Capirca's plain `established` option (google/capirca#86) ----
w=$tmp/est
mkdir -p "$w"
if "$PY" "$GEN" gen "$tmp/small/policy.json" "$w/cap" --established-option established \
	--device core1 --targets cisco >/dev/null && aclgen "$w/cap/policies" "$w/cap/def" "$w/out"; then
	"$BIN" parse --driver ios "$w/out/core1__LYNC-SERVERS.acl" >"$w/p.json" 2>/dev/null &&
		"$PY" "$GEN" splice "$tmp/small/policy.json" core1 LYNC-SERVERS "$w/p.json" "$w/live.json" &&
		"$BIN" diff "$src/inventory/examples/small.yaml" --device core1 --live "$w/live.json" --max 3 >"$w/d" 2>/dev/null
	echo "info: with 'option:: established' instead of tcp-established (capirca#86), core1/LYNC-SERVERS diff exit $?:"
	sed 's/^/    /' "$w/d" | head -3
fi

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ] || exit 1
echo "PASS"
