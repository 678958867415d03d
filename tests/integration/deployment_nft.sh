#!/bin/bash
# The deployment flows (tests/deployment/flows.txt) through the real nft with
# real packets, for every nftables device of both bundled examples.
#
# Three namespaces: client -- router -- server (veth pairs, addresses from
# 198.18.0.0/15 only; no route out). The examples' addresses are
# documentation (10.x) and never used on the wire: each role gets a sending
# image 198.18.1.N (on the client) and a receiving image 198.18.2.N (on the
# server), and the device's rendered ruleset is rewritten so that every
# address or prefix holding a role's address also holds that role's images
# (tests/deployment/nft_map.py). A router's ruleset (forward chain) is
# loaded in the router, a host's (input chain, the reverse proxy) in the
# server. For each flow whose receiver the device guards (aclforge explain
# names it), a TCP connect or a UDP exchange from the sender's image and
# source port to the receiver's image: permit means the answer comes back
# (conntrack lets the reply through), deny means nothing does. Then SSH
# (OpenSSH sshd in the device's namespace, netns.bash) still answers from
# a management address after the ruleset is loaded.
set -u

. "$(dirname "$0")/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
. "$(dirname "$0")/netns.bash"

here=$(cd "$(dirname "$0")" && pwd)
src=${ACLF_SRCDIR:-$(cd "$here/../.." && pwd)}
BIN=${ACLF_BIN:-$src/build/aclforge}
PY=/usr/bin/python3
FLOWS=$src/tests/deployment/flows.txt
MAP=$src/tests/deployment/nft_map.py
[ -x "$PY" ] || skip "needs $PY"
command -v sshd >/dev/null || skip "needs sshd"

net_up depl
NET_R=aclf-depl-$$-r
ip netns add "$NET_R" || fail "netns add $NET_R"
depl_teardown() { ip netns del "$NET_R" 2>/dev/null; net_teardown; }
trap depl_teardown EXIT
# client -- router: the harness's pair moves its server end into the router
in_ns "$NET_S" ip link set "$NET_VS" netns "$NET_R" || fail "veth to router" # nsenter, not ip -n (it remounts /sys: fails in chroots)
RC=rc$$ RS=rs$$ SR=sr$$
in_ns "$NET_R" ip addr add 198.19.0.1/30 dev "$NET_VS" || fail "router address"
in_ns "$NET_C" ip addr add 198.19.0.2/30 dev "$NET_VC" || fail "client link address"
ip link add "$RS" type veth peer name "$SR" || fail "veth router-server"
ip link set "$RS" netns "$NET_R" && ip link set "$SR" netns "$NET_S" || fail "veth into namespaces"
in_ns "$NET_R" ip addr add 198.19.0.5/30 dev "$RS" || fail "router address"
in_ns "$NET_S" ip addr add 198.19.0.6/30 dev "$SR" || fail "server link address"
for ns in "$NET_R"; do in_ns "$ns" ip link set lo up; done
in_ns "$NET_R" ip link set "$NET_VS" up && in_ns "$NET_R" ip link set "$RS" up && in_ns "$NET_S" ip link set "$SR" up ||
	fail "links up"
in_ns "$NET_R" sysctl -qw net.ipv4.ip_forward=1 || fail "forwarding"
in_ns "$NET_R" ip route add 198.18.1.0/24 via 198.19.0.2 || fail "router route"
in_ns "$NET_R" ip route add 198.18.2.0/24 via 198.19.0.6 || fail "router route"
in_ns "$NET_C" ip route add 198.18.2.0/24 via 198.19.0.1 || fail "client route"
in_ns "$NET_C" ip route add 198.19.0.4/30 via 198.19.0.1 || fail "client route"
in_ns "$NET_S" ip route add 198.18.1.0/24 via 198.19.0.5 || fail "server route"
in_ns "$NET_S" ip route add 198.19.0.0/30 via 198.19.0.5 || fail "server route"
in_ns "$NET_S" nft delete table inet aclf_dark 2>/dev/null
sshd_user aclfdepl
sshd_hostkey hostkey

checked=0
permits=0
denies=0
for ex in small two-site; do
	topo=$src/inventory/examples/$ex.yaml
	out=$NET_TMP/$ex
	"$BIN" render -q --out "$out" "$topo" 2>"$NET_TMP/render.err" || fail "$ex: render: $(cat "$NET_TMP/render.err")"
	# the roles of this example, their images, the flows that apply
	"$PY" "$MAP" plan "$FLOWS" "$ex.yaml" >"$out/plan" || fail "$ex: plan"
	while read -r kind role addr simg dimg; do
		[ "$kind" = role ] || continue
		in_ns "$NET_C" ip addr add "$simg/32" dev "$NET_VC" 2>/dev/null
		in_ns "$NET_S" ip addr add "$dimg/32" dev "$SR" 2>/dev/null
	done <"$out/plan"
	# which nftables devices guard each flow's receiver: aclforge explain,
	# once per flow
	while read -r kind line from to proto sport dport verdict sip dip osrc odst; do
		[ "$kind" = flow ] || continue
		"$BIN" explain "$topo" --src "$osrc" --dst "$odst" --proto "$proto" --sport "$sport" --port "$dport" \
			>"$out/x.$line" 2>/dev/null || : >"$out/x.$line"
		# and who guards the sender: a router's forward chain sees its
		# segment's own traffic too
		"$BIN" explain "$topo" --src "$odst" --dst "$osrc" --proto "$proto" --sport "$dport" --port "$sport" \
			>"$out/r.$line" 2>/dev/null || : >"$out/r.$line"
	done <"$out/plan"
	for f in "$out"/*.nft; do
		dev=$(basename "$f" .nft)
		"$PY" "$MAP" rewrite "$FLOWS" "$ex.yaml" <"$f" >"$out/$dev.mapped" || fail "$ex/$dev: rewrite"
		if grep -q 'hook forward' "$out/$dev.mapped"; then where=$NET_R; else where=$NET_S; fi
		in_ns "$where" nft -f "$out/$dev.mapped" 2>"$out/$dev.nfterr" || fail "$ex/$dev: nft refused the mapped ruleset: $(cat "$out/$dev.nfterr")"
		n=0
		while read -r kind line from to proto sport dport verdict sip dip osrc odst; do
			[ "$kind" = flow ] || continue
			# the flows whose receiver this device guards
			grep -q "^$dev (nftables) filter" "$out/x.$line" ||
				{ [ "$where" = "$NET_R" ] && grep -q "^$dev (nftables) filter forward" "$out/r.$line"; } ||
				continue
			got=$(in_ns "$NET_S" "$PY" "$MAP" serve "$dip" "$proto" "$dport" 1.2 &
			      sleep 0.2
			      in_ns "$NET_C" "$PY" "$MAP" probe "$sip" "$sport" "$dip" "$dport" "$proto" 0.8
			      wait)
			case "$got" in
			answered*) res=permit ;;
			*) res=deny ;;
			esac
			[ "$res" = "$verdict" ] || { in_ns "$where" nft list ruleset >"$out/ruleset.now" 2>&1; in_ns "$NET_S" ip -br addr >>"$out/ruleset.now"; cp "$out/ruleset.now" /tmp/lync-debug.txt; }
			[ "$res" = "$verdict" ] || fail "$ex/$dev: flows.txt:$line $from -> $to $proto $sport->$dport: expected $verdict, got $res ($got); explain: $(head -3 "$out/x.$line")"
			n=$((n + 1))
			checked=$((checked + 1))
			[ "$res" = permit ] && permits=$((permits + 1)) || denies=$((denies + 1))
		done <"$out/plan"
		# SSH still works from management after the ruleset is loaded: a
		# real sshd in the device's namespace, a real login (the router's
		# forward chain leaves its own input alone; a host's input chain
		# permits SSH from management by builtin:management)
		mg=$(awk '$1 == "role" && $2 == "mgmt" { print $4 }' "$out/plan")
		[ -n "$mg" ] || fail "$ex: no management role"
		if [ "$where" = "$NET_S" ]; then
			host=$(awk -v d="$dev" '$1 == "device" && $2 == d { print $3 }' "$out/plan")
		else
			host=198.19.0.1
		fi
		[ -n "$host" ] || fail "$ex/$dev: no address for the device"
		NET_S=$where NET_SRV=$host sshd_start hostkey 22
		echo "$host $(cut -d' ' -f1,2 "$NET_TMP/hostkey.pub")" >"$NET_TMP/known_hosts"
		in_ns "$NET_C" ssh -b "$mg" -i "$SSH_KEY" -o BatchMode=yes -o ConnectTimeout=5 \
			-o UserKnownHostsFile="$NET_TMP/known_hosts" -o StrictHostKeyChecking=yes \
			"$SSH_USER@$host" true </dev/null >"$out/ssh.log" 2>&1 ||
			fail "$ex/$dev: SSH from management ($mg) to $host fails after the ruleset is loaded: $(tail -3 "$out/ssh.log")"
		sshd_stop
		in_ns "$where" nft delete table inet aclforge || fail "$ex/$dev: cannot remove the ruleset"
		echo "$ex/$dev: $n flows through the real nft"
		[ "$n" -gt 0 ] || fail "$ex/$dev: no flow of flows.txt crosses it"
	done
done
echo "deployment_nft: $checked flows ($permits permitted with their replies, $denies denied)"
[ "$checked" -ge 20 ] || fail "only $checked flows checked"
echo PASS
