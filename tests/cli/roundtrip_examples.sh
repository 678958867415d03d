#!/bin/bash
# For every device of every bundled example (and of a generated deployment
# of the benchmarks when the build has one): parse(render(policy)) compares
# equal to the compiled policy by meaning. IOS, Junos and BIG-IP text is
# parsed as rendered; nftables rulesets are loaded with the real nft into a
# throwaway network namespace (nft -c first) and read back from
# `nft -j list ruleset`. Exit 77 only when nft cannot run in a namespace.
set -u

. "$(dirname "$0")/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

B=${ACLF_BIN:?}
src=${ACLF_SRCDIR:?}
command -v nft >/dev/null 2>&1 || skip "needs nft"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
$ns nft list ruleset >/dev/null 2>&1 || skip "cannot create a network namespace"
tmp=$(mktemp -d /tmp/aclf-roundtrip.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

checked=0
split=0
topos=("$src"/inventory/examples/*.yaml)
# and a generated deployment of the benchmarks (scattered addresses, one
# block of devices, unions of many groups), when the build has the generator
gen=${ACLF_BINDIR:-}/tests/bench_process
if [ -x "$gen" ]; then
	"$gen" --print-topology 100 >"$tmp/generated-100.yaml" || fail "bench_process --print-topology failed"
	topos+=("$tmp/generated-100.yaml")
fi
for topo in "${topos[@]}"; do
	ex=$(basename "$topo" .yaml)
	mkdir -p "$tmp/$ex"
	"$B" render --out "$tmp/$ex" "$topo" >/dev/null 2>"$tmp/$ex.err" || fail "$ex: render: $(cat "$tmp/$ex.err")"
	for f in "$tmp/$ex"/*; do
		dev=$(basename "$f"); dev=${dev%.*}
		live=$f
		case "$f" in
		*.nft)
			$ns sh -c "nft -c -f '$f' && nft -f '$f' && nft -j list ruleset" >"$f.json" 2>"$f.nfterr" ||
				fail "$ex/$dev: nft refused the rendered ruleset: $(cat "$f.nfterr")"
			live=$f.json ;;
		esac
		"$B" diff "$topo" --device "$dev" --live "$live" >"$f.diff" 2>&1
		rc=$?
		[ $rc -eq 0 ] || fail "$ex/$dev: render then parse differs from the compiled policy (exit $rc): $(head -20 "$f.diff")"
		case "$f" in
		*.nft)
			# a source joining named groups is one nft rule per group, all on
			# the rule's counter: read back, they are one rule again
			grep -oE 'counter name "[^"]+"' "$f" | sort | uniq -c | awk '$1 > 2 { n++ } END { exit !n }' &&
				split=$((split + 1))
			"$B" parse --driver nftables --format text "$live" >"$f.parsed" 2>&1 ||
				fail "$ex/$dev: parse: $(cat "$f.parsed")"
			dup=$(grep -oE '^    [^ ]+ \[' "$f.parsed" | sort | uniq -d | head -1)
			[ -z "$dup" ] || fail "$ex/$dev: rule ${dup% [} read back as several rules"
			;;
		esac
		checked=$((checked + 1))
	done
done
[ $checked -ge 15 ] || fail "only $checked devices checked"
[ $split -ge 1 ] || fail "no nftables rule was written as one nft rule per named group"
echo "roundtrip_examples: $checked devices, parse(render(policy)) == policy by meaning"
