#!/usr/bin/env bash
# The nftables text form, against the real nft. For every nftables device of
# every bundled example (hosts moved to 127.x first):
#   - the file `render --out` writes reads back with no drift (diff --live
#     FILE.nft), and `audit --live-dir` of that directory says no drift;
#   - `nft -c -f` accepts that file (what aclforge reads, nft reads);
#   - loaded into a fresh network namespace, what `nft list ruleset` and
#     `nft -a list ruleset` print reads back with no drift; with -a the rules
#     carry nft's handles as their device names;
#   - real packets (loopback TCP in the namespace of the input-chain host)
#     move a rule's counter, and parse reports the hits from the text;
#   - a listing cut inside the table is refused at LINE:COL (exit 2).
# Needs nft and a network namespace (root, or unprivileged user namespaces).
set -uo pipefail
B=${ACLF_BIN:?} SRC=${ACLF_SRCDIR:?}
. "$SRC/tests/cli/testlib.bash"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: nft_text: $*" >&2; exit 1; }

command -v nft >/dev/null 2>&1 || skip "needs nft"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
$ns nft list ruleset >/dev/null 2>&1 || skip "cannot create a network namespace"

checked=0
for topo0 in "$SRC"/inventory/examples/*.yaml; do
	ex=$(basename "$topo0" .yaml)
	topo=$T/$ex.yaml
	sed 's/host: 10\./host: 127./' "$topo0" >"$topo"
	grep -q 'host: 10\.' "$topo" && fail "$ex: a 10.x host is left"
	"$B" render --quiet --out "$T/$ex" "$topo" 2>"$T/err" || fail "$ex: render: $(cat "$T/err")"
	devs=()
	for f in "$T/$ex"/*.nft; do
		[ -e "$f" ] || continue
		d=$(basename "$f" .nft)
		devs+=(--device "$d")
		"$B" diff "$topo" --device "$d" --live "$f" >"$T/out" 2>&1 ||
			fail "$ex/$d: rendered file: exit $?: $(head -5 "$T/out")"
		grep -q "^$d: no drift" "$T/out" || fail "$ex/$d: rendered file: $(cat "$T/out")"
		$ns sh -c "nft -c -f '$f' && nft -f '$f' && nft list ruleset >'$T/$d.list' &&
			   nft -a list ruleset >'$T/$d.alist'" 2>"$T/err" || fail "$ex/$d: nft: $(cat "$T/err")"
		for l in list alist; do
			"$B" diff "$topo" --device "$d" --live "$T/$d.$l" >"$T/out" 2>&1 ||
				fail "$ex/$d: nft $l: exit $?: $(head -5 "$T/out")"
			grep -q "^$d: no drift" "$T/out" || fail "$ex/$d: nft $l: $(cat "$T/out")"
		done
		# nft -a: device names are nft's handles
		h=$(grep -o 'counter name "[^"]*" [a-z]* # handle [0-9]*' "$T/$d.alist" | head -1 | sed 's/.* //')
		[ -n "$h" ] || fail "$ex/$d: no rule handle in the listing"
		"$B" parse --driver nftables "$T/$d.alist" >"$T/p.json" 2>"$T/err" || fail "$ex/$d: parse: $(cat "$T/err")"
		/usr/bin/python3 - "$T/p.json" "$h" <<'PY' || fail "$ex/$d: handles"
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
names = [r["device_name"] for f in d["filters"] for r in f["rules"]]
assert any(sys.argv[2] in n.split(",") for n in names), (sys.argv[2], names)
assert d.get("opaque_entries", 0) == 0, d
PY
		checked=$((checked + 1))
	done
	[ ${#devs[@]} -gt 0 ] || continue
	"$B" audit "$topo" --live-dir "$T/$ex" "${devs[@]}" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] || fail "$ex: audit --live-dir: exit $rc: $(cat "$T/out" "$T/err")"
	grep -q "no drift" "$T/out" || fail "$ex: audit --live-dir: $(cat "$T/out")"
done
[ $checked -ge 4 ] || fail "only $checked nftables devices"

# Counters: a ruleset whose input chain accepts TCP 5061 from loopback with a
# counted rule; two connections, then `nft list ruleset` reads 2+ packets.
cat >"$T/c.nft" <<'EOF'
table inet aclforge {}
delete table inet aclforge
table inet aclforge {
	counter input.r0001 {
	}
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		ip saddr 127.0.0.1 tcp dport 5061 counter name "input.r0001" accept
	}
}
EOF
$ns bash -c "ip link set lo up && nft -f '$T/c.nft' &&
	   for i in 1 2; do (exec 3<>/dev/tcp/127.0.0.1/5061) 2>/dev/null; done;
	   nft list ruleset >'$T/c.list'" 2>"$T/err" || fail "counters: $(cat "$T/err")"
grep -q "packets [1-9]" "$T/c.list" || fail "counters: nft counted nothing: $(cat "$T/c.list")"
"$B" parse --driver nftables "$T/c.list" >"$T/c.json" 2>"$T/err" || fail "counters parse: $(cat "$T/err")"
/usr/bin/python3 - "$T/c.json" "$T/c.list" <<'PY' || fail "counters: hits"
import json, re, sys
d = json.load(open(sys.argv[1]))["devices"][0]
want = int(re.search(r"counter input\.r0001 \{\s*packets (\d+)", open(sys.argv[2]).read()).group(1))
r = d["filters"][0]["rules"][0]
assert want >= 2 and r["hits"] == want, (want, r)
PY

# a listing cut inside the table: refused, mid-line where the text ends,
# at a line's end naming the block left open
head -c 200 "$T/c.list" >"$T/cut.list"
"$B" parse --driver nftables "$T/cut.list" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "cut listing: exit $rc"
grep -q "cut.list:[0-9]*:[0-9]*: the text ends in the middle of a line" "$T/err" || fail "cut listing: $(cat "$T/err")"
head -n 6 "$T/c.list" >"$T/cut.list"
"$B" parse --driver nftables "$T/cut.list" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "cut listing (whole lines): exit $rc"
grep -q "cut.list:[0-9]*:[0-9]*: .*not closed" "$T/err" || fail "cut listing (whole lines): $(cat "$T/err")"
echo "nft_text: $checked devices"
