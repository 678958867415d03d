#!/bin/bash
# The rendered nftables ruleset enforces what it says, with real packets.
# Two network namespaces joined by a veth pair (198.18.0.0/30 and 2001:2::/64,
# the benchmarking ranges); the server namespace loads the golden rendering
# tests/fixtures/nftables/render_enforce.nft (test_nftables_render proves it is
# byte for byte what the driver renders for the "enforce" case): TCP 5061
# from the peer is permitted (rule r0001), 5062 denied by rule r0002, the rest
# by the default drop. Real connections from the peer must agree, and the
# named counters input.r0001 / input.r0002 must have counted them. If
# ACLF_BIN is set (ctest always sets it), its `parse` must map those counters
# back to the rules' hits; a missing binary there is a failure. Root only
# (exit 77 otherwise); everything is torn down on exit.
set -u

. "$(dirname "$0")/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
for t in nft ip nsenter; do command -v "$t" >/dev/null 2>&1 || skip "needs $t"; done
PY=/usr/bin/python3
[ -x "$PY" ] || skip "needs /usr/bin/python3"

here=$(cd "$(dirname "$0")" && pwd)
fixtures=${ACLF_FIXTURES:-$here/../fixtures}
rules=$fixtures/nftables/render_enforce.nft
[ -r "$rules" ] || fail "missing $rules"

# nsenter rather than `ip netns exec` or `ip -n`, which remount / and /sys
# and fail in chroots and some containers; only the network namespace matters.
in_ns() { local n=$1; shift; nsenter --net="/run/netns/$n" "$@"; }

S=aclf-enf-$$-s
C=aclf-enf-$$-c
VS=aefs$$
VC=aefc$$
server=""
tmp=$(mktemp -d /tmp/aclf-enforce.XXXXXX)

cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	ip netns del "$C" 2>/dev/null
	ip link del "$VS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$S" 2>/dev/null || skip "cannot create network namespaces"
ip netns add "$C" || fail "netns add $C"
ip link add "$VS" type veth peer name "$VC" || fail "veth"
ip link set "$VS" netns "$S" && ip link set "$VC" netns "$C" || fail "veth into namespaces"
in_ns "$S" ip addr add 198.18.0.1/30 dev "$VS"
in_ns "$S" ip addr add 2001:2::1/64 dev "$VS" nodad
in_ns "$C" ip addr add 198.18.0.2/30 dev "$VC"
in_ns "$C" ip addr add 2001:2::2/64 dev "$VC" nodad
for ns in "$S" "$C"; do in_ns "$ns" ip link set lo up; done
in_ns "$S" ip link set "$VS" up
in_ns "$C" ip link set "$VC" up

# Listeners on 5061-5063, IPv4 and IPv6, answering "ok" and closing. Started
# without a shell function so that $! is python itself (killed on exit); its
# output goes nowhere, so it can never hold ctest's pipe open, and it quits
# by itself after 2 idle minutes.
nsenter --net="/run/netns/$S" "$PY" - >/dev/null 2>&1 <<'EOF' &
import select, socket
socks = []
for port in (5061, 5062, 5063):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(16)
    socks.append(s)
while True:
    ready = select.select(socks, [], [], 120)[0]
    if not ready:
        break
    for s in ready:
        c, _ = s.accept()
        c.sendall(b"ok")
        c.close()
EOF
server=$!

# probe NS ADDR PORT -> prints "open" or "blocked" (1.5 s to connect)
probe() {
	in_ns "$1" "$PY" - "$2" "$3" <<'EOF'
import socket, sys
addr, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(1.5)
try:
    s.connect((addr, port))
    print("open" if s.recv(2) == b"ok" else "blocked")
except OSError:
    print("blocked")
EOF
}

expect() { # expect NS ADDR PORT WANT
	local got
	got=$(probe "$1" "$2" "$3")
	printf '  %-16s port %s: %-7s (want %s)\n' "$2" "$3" "$got" "$4"
	[ "$got" = "$4" ] || fail "$2 port $3 is $got, expected $4"
}

packets() { # packets COUNTER
	in_ns "$S" nft -j list counter inet aclforge "$1" |
		"$PY" -c 'import json,sys; print([o["counter"]["packets"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])'
}

# Wait for the listeners, then a baseline without any ruleset: a later
# "blocked" is then the firewall's doing, not a missing server.
for _ in $(seq 50); do
	[ "$(probe "$S" 127.0.0.1 5063)" = open ] && break
	sleep 0.1
done
echo "without ruleset:"
for a in 198.18.0.1 2001:2::1; do
	for p in 5061 5062 5063; do expect "$C" "$a" "$p" open; done
done

in_ns "$S" nft -c -f "$rules" || fail "nft -c refused $rules"
in_ns "$S" nft -f "$rules" || fail "nft -f refused $rules"
in_ns "$S" nft -f "$rules" || fail "second nft -f (table present) refused $rules"
[ "$(packets input.r0001)" = 0 ] || fail "counter input.r0001 not zero after loading"

echo "with render_enforce.nft in $S:"
expect "$C" 198.18.0.1 5061 open
expect "$C" 2001:2::1 5061 open
expect "$C" 198.18.0.1 5062 blocked
expect "$C" 2001:2::1 5062 blocked
expect "$C" 198.18.0.1 5063 blocked
expect "$C" 2001:2::1 5063 blocked
# loopback stays open (iif "lo" accept), also on the port the peer may not use
expect "$S" 127.0.0.1 5062 open
expect "$S" ::1 5062 open
# a second permitted connection: only its SYN reaches r0001, the rest of
# the connection is conntrack's established traffic
expect "$C" 198.18.0.1 5061 open

r1=$(packets input.r0001)
r2=$(packets input.r0002)
echo "counters: input.r0001 (permit 5061) = $r1 packets, input.r0002 (deny 5062) = $r2 packets"
[ "$r1" -eq 3 ] || fail "input.r0001 counted $r1 packets, expected 3 (one SYN per permitted connection)"
[ "$r2" -ge 2 ] || fail "input.r0002 counted $r2 packets, expected at least one SYN per refused probe"

if [ -z "${ACLF_BIN:-}" ]; then
	echo "note: ACLF_BIN unset: aclforge parse of the counters not checked"
elif [ ! -x "$ACLF_BIN" ]; then
	fail "no aclforge binary at '$ACLF_BIN'"
else
	in_ns "$S" nft -j list ruleset > "$tmp/live.json"
	"$ACLF_BIN" parse --driver nftables --name enforce --format json "$tmp/live.json" \
		> "$tmp/parsed.json" || fail "aclforge parse refused the live ruleset"
	"$PY" - "$tmp/parsed.json" "$r1" "$r2" <<'EOF' || fail "parsed hits do not match the counters"
import json, sys
dev = json.load(open(sys.argv[1]))["devices"][0]
rules = {r["id"]: r for f in dev["filters"] for r in f["rules"]}
hits = {k: rules[k].get("hits") for k in ("r0001", "r0002")}
print("aclforge parse: hits", hits)
sys.exit(0 if hits == {"r0001": int(sys.argv[2]), "r0002": int(sys.argv[3])} else 1)
EOF
fi
echo "PASS"
