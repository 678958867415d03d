#!/bin/bash
# For every device of every bundled example: parse(render(policy)) compares
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
for topo in "$src"/inventory/examples/*.yaml; do
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
		checked=$((checked + 1))
	done
done
[ $checked -ge 15 ] || fail "only $checked devices checked"
echo "roundtrip_examples: $checked devices, parse(render(policy)) == policy by meaning"
