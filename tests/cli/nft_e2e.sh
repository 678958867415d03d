#!/bin/bash
# End to end for Linux hosts, with the real nft: compile + render every
# nftables device of inventory/examples/two-site.yaml, load each ruleset into
# a fresh network namespace (twice: without and with the table present), list
# it as JSON and let `aclforge diff` compare it with the intended policy: no
# drift. Then change the live ruleset by hand (delete one rule's IPv6 half,
# add an accept for TCP 22) and diff must report drift (exit 1) naming the
# rule. Needs nft and a network namespace (root, or unprivileged user
# namespaces); exit 77 otherwise. A missing aclforge binary is a failure.
set -u

. "$(dirname "$0")/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

command -v nft >/dev/null 2>&1 || skip "needs nft"
[ -n "${ACLF_BIN:-}" ] && [ -x "$ACLF_BIN" ] || fail "no aclforge binary at '${ACLF_BIN:-}' (set ACLF_BIN)"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
$ns nft list ruleset >/dev/null 2>&1 || skip "cannot create a network namespace"

src=${ACLF_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
topo=$src/inventory/examples/two-site.yaml
tmp=$(mktemp -d /tmp/aclf-nft-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$ACLF_BIN" render --out "$tmp" "$topo" >/dev/null 2>"$tmp/render.err" ||
	fail "render: $(cat "$tmp/render.err")"
hosts=$(cd "$tmp" && ls *.nft 2>/dev/null | sed 's/\.nft$//')
[ -n "$hosts" ] || fail "no nftables device rendered from $topo"

for h in $hosts; do
	$ns sh -c "nft -c -f '$tmp/$h.nft' && nft -f '$tmp/$h.nft' && nft -f '$tmp/$h.nft' &&
		   nft -j list ruleset" > "$tmp/$h.json" || fail "$h: nft refused $h.nft"
	"$ACLF_BIN" diff "$topo" --device "$h" --live "$tmp/$h.json" > "$tmp/$h.diff" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] || fail "$h: diff exit $rc: $(cat "$tmp/$h.diff")"
	tail -1 "$tmp/$h.diff"
done

# Drift by hand on the Berlin reverse proxy: drop its published web services
# (rule r0003) and let anyone reach TCP 22; both must show up.
h=rp-ber
echo "$hosts" | grep -qx "$h" || fail "no $h among the rendered hosts: $hosts"
$ns sh -c "nft -f '$tmp/$h.nft' &&
	   handle=\$(nft -a list chain inet aclforge input | grep 'ip .*\"input.r0003\"' |
		     sed -n 's/.*# handle \([0-9]*\)\$/\1/p' | head -1) &&
	   [ -n \"\$handle\" ] && nft delete rule inet aclforge input handle \$handle &&
	   nft add rule inet aclforge input tcp dport 22 accept &&
	   nft -j list ruleset" > "$tmp/$h.drift.json" || fail "$h: could not change the live ruleset"
"$ACLF_BIN" diff "$topo" --device "$h" --live "$tmp/$h.drift.json" > "$tmp/$h.drift" 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "$h: diff of a changed ruleset exit $rc, expected 1: $(cat "$tmp/$h.drift")"
grep -q 'r0003' "$tmp/$h.drift" || fail "$h: drift report does not name r0003: $(cat "$tmp/$h.drift")"
grep -q '22' "$tmp/$h.drift" || fail "$h: drift report does not show port 22: $(cat "$tmp/$h.drift")"
echo "$h after hand edits: drift reported (exit 1)"
echo "PASS"
