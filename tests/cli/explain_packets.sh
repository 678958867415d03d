#!/usr/bin/env bash
# explain refuses packets that cannot exist (exit 2, a message saying why)
# and its --help says which protocols it takes.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# refused ARGS -- MESSAGE: exit 2, "aclforge explain: MESSAGE", nothing on stdout
refused() {
	local msg=$1; shift
	"$B" explain "$EX" "$@" >"$T/out" 2>"$T/err"; local rc=$?
	[ $rc -eq 2 ] || fail "explain $*: exit $rc, expected 2: $(cat "$T/out" "$T/err")"
	[ -s "$T/out" ] && fail "explain $*: printed an answer: $(cat "$T/out")"
	grep -qxF "aclforge explain: $msg" "$T/err" || fail "explain $*: $(cat "$T/err")"
}

refused "source 10.20.1.50 and destination 2001:db8:1::11 are of different address families" \
	--src 10.20.1.50 --dst 2001:db8:1::11 --proto tcp --port 5061
refused "source 2001:db8:20::1 and destination 10.1.1.11 are of different address families" \
	--src 2001:db8:20::1 --dst 10.1.1.11 --proto udp --port 3478
refused "only tcp has established connections, not udp" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto udp --port 3478 --established
refused "only tcp has established connections, not icmp" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto icmp --established
refused "--port: icmp has no ports; only tcp and udp have" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto icmp --port 8
refused "--sport: icmp6 has no ports; only tcp and udp have" \
	--src 2001:db8:20::1 --dst 2001:db8:1::11 --proto icmp6 --sport 1
refused "--port: 47 has no ports; only tcp and udp have" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto gre --port 1
refused "icmp is ICMP for IPv4; between IPv6 addresses it is icmp6" \
	--src 2001:db8:20::1 --dst 2001:db8:1::11 --proto icmp
refused "icmp6 is ICMP for IPv6; between IPv4 addresses it is icmp" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto icmp6
refused "--proto 'any': a packet has one protocol; expected tcp, udp, icmp, icmp6, another name or a number 1-255" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto any
refused "--proto '0': a packet has one protocol; expected tcp, udp, icmp, icmp6, another name or a number 1-255" \
	--src 10.20.1.50 --dst 10.1.1.11 --proto 0
refused "--port is required for tcp and udp" --src 10.20.1.50 --dst 10.1.1.11 --proto tcp

# what can exist is explained
for args in "--proto icmp" "--proto 47" "--proto tcp --port 5061 --established" "--proto udp --port 3478 --sport 1"; do
	# shellcheck disable=SC2086
	"$B" explain "$EX" --src 10.20.1.50 --dst 10.1.1.11 $args >"$T/out" 2>"$T/err" \
	  || fail "explain $args: $(cat "$T/err")"
	grep -q '^core1 (ios) filter LYNC-SERVERS: ' "$T/out" || fail "explain $args: $(cat "$T/out")"
done

# --help says what --proto takes
"$B" explain --help >"$T/help" || fail "explain --help"
grep -q 'tcp|udp' "$T/help" && fail "explain --help still says tcp|udp"
grep -q -- '--proto P .*tcp, udp, icmp, icmp6' "$T/help" || fail "explain --help: $(grep -- --proto "$T/help")"
grep -q 'number 1-255' "$T/help" || fail "explain --help: protocol numbers"
echo "explain_packets: ok"
