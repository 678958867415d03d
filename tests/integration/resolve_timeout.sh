#!/bin/bash
# A device given by a host name whose DNS server never answers: SSH (fetch,
# apply with --parallel 1) and SNMP (counters) give up after the device's
# own timeout with "resolving 'NAME': timed out after N ms", exit 3, instead
# of waiting out resolv.conf's retries. No DNS traffic leaves the machine:
# the test runs in a mount and network namespace of its own (only its
# loopback), with its own /etc/resolv.conf (nameserver 127.0.0.1, 30 s x 4
# attempts), /etc/nsswitch.conf (hosts: files dns) and /etc/hosts (a copy
# of /etc bind mounted over it); a UDP socket on 127.0.0.1:53 counts the queries and never
# answers (but for one name, NXDOMAIN: `cannot resolve`). Controls: glibc's own getaddrinfo of the name is still
# waiting after 8 s there, and a name from that /etc/hosts still resolves
# (a fetch from the Junos emulator by name).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
[ "$(id -u)" -eq 0 ] || skip "needs root (a mount and network namespace of its own)"
for c in unshare mount ip timeout ssh ssh-keygen python3; do
	command -v "$c" >/dev/null 2>&1 || skip "needs $c"
done
if [ "${ACLF_RESOLVE_NS:-}" != 1 ]; then
	# private mount propagation, as unshare does by default; a chroot whose
	# root is no mount point refuses to change it (the bind mounts below
	# then rely on the root mount being private, as the test hosts' do)
	prop=private
	unshare -m --propagation private true 2>/dev/null || prop=unchanged
	exec unshare --mount --propagation "$prop" --net env ACLF_RESOLVE_NS=1 bash "$0" "$@"
fi

. "$here/emu.bash"
. "$here/runlib.bash"
RUN_LINES=20
trap 'umount /etc 2>/dev/null; emu_teardown; [ -n "${DNS_PID:-}" ] && kill "$DNS_PID" 2>/dev/null' EXIT
emu_init
ip link set lo up || fail "lo up"
ip -o addr show | grep -qv ' lo ' && fail "the namespace has more than its loopback"

NAME=unanswered.aclforge.test
HOSTNAME_OK=fw-by-name.aclforge.test
# a copy of /etc with the three files replaced, bind mounted over /etc (a
# minimal system may have no /etc/hosts to mount a file over)
mkdir "$EMU_TMP/etc" && cp -a /etc/. "$EMU_TMP/etc/" || fail "copy /etc"
rm -f "$EMU_TMP/etc/resolv.conf" "$EMU_TMP/etc/nsswitch.conf" "$EMU_TMP/etc/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:4\n' >"$EMU_TMP/etc/resolv.conf"
printf 'hosts: files dns\n' >"$EMU_TMP/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n127.0.0.1 %s\n' "$HOSTNAME_OK" >"$EMU_TMP/etc/hosts"
mount --bind "$EMU_TMP/etc" /etc || fail "bind mount /etc"

# the DNS server that never answers: counts what it receives
QUERIES=$EMU_TMP/queries
: >"$QUERIES"
python3 - "$QUERIES" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("ready", flush=True)
n = 0
while True:
    data, peer = s.recvfrom(4096)
    n += 1
    with open(sys.argv[1], "w") as f:
        f.write("%d\n" % n)
    # one name gets an answer: NXDOMAIN (the query's ID and question back,
    # QR RD RA, RCODE 3)
    if len(data) > 12 and b"\x08nxdomain\x08aclforge\x04test\x00" in data[12:]:
        s.sendto(data[:2] + b"\x81\x83" + data[4:6] + b"\x00\x00" * 3 + data[12:], peer)
PY
DNS_PID=$!
for i in $(seq 1 50); do
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 53))' 2>/dev/null || break
	sleep 0.1
done
queries() { cat "$QUERIES" 2>/dev/null | tail -1; }

MS=0
within() { [ "$MS" -le "$1" ] || fail "took $MS ms, more than $1"; }

# control: glibc's getaddrinfo alone keeps waiting on this name (flags 0
# as aclforge's: AI_ADDRCONFIG would answer at once in a namespace with only
# a loopback)
t0=$(date +%s)
timeout 8 python3 -c 'import socket, sys; socket.getaddrinfo(sys.argv[1], 22)' "$NAME" 2>/dev/null
rc=$?
echo "== getaddrinfo($NAME) alone: exit $rc after $(($(date +%s) - t0)) s"
[ "$rc" -eq 124 ] || fail "getaddrinfo did not hang (exit $rc): the namespace's DNS is not the silent one"
[ "$(queries)" -ge 1 ] || fail "no query reached the silent DNS server"

# topology: fw1 by NAME (SSH and SNMP), fw2 by NAME too
T=$EMU_TMP/lab.yaml
touch "$T.kh"
sed -e "s|host: 127.0.0.1|host: $NAME|; s|@PORT@|22|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T.kh|" \
	"$here/lab/junos.yaml.in" >"$T" || fail "topology"
sed -i "/^    protects:/i\\    snmp: {version: 2c, community: env:ACLF_T_COMMUNITY, timeout_ms: 700, retries: 1}" "$T"
export ACLF_T_COMMUNITY=public
grep -q "host: $NAME" "$T" && grep -q 'timeout_ms: 700' "$T" || fail "topology: $(cat "$T")"

Q0=$(queries)
run "fetch fw1 by an unanswered name, connect timeout 2 s" fetch "$T" --device fw1 --connect-timeout 2
rc_is 3
has "fw1: resolving '$NAME': timed out after 2000 ms"
within 4500
[ "$(queries)" -gt "$Q0" ] || fail "fetch sent no query: nothing was looked up"

run "apply --parallel 1, connect timeout 1 s" apply "$T" --yes --parallel 1 --connect-timeout 1
rc_is 3
has "resolving '$NAME': timed out after 1000 ms"
within 6000

run "counters over SNMP (700 ms x 2 tries)" counters "$T" --device fw1
rc_is 3
has "fw1: resolving '$NAME': timed out after 1400 ms"
within 3500

# a name the DNS server says does not exist: the lookup's own answer, at once
sed -e "s|host: $NAME|host: nxdomain.aclforge.test|" "$T" >"$T.nx"
run "fetch by a name that does not exist" fetch "$T.nx" --device fw1 --connect-timeout 5
rc_is 3
has "fw1: cannot resolve 'nxdomain.aclforge.test': "
within 3000

# a name /etc/hosts knows still connects: the emulator in this namespace
emu_start byname junos "127.0.0.1:$(emu_free_port)"
T2=$EMU_TMP/byname.yaml
emu_known_hosts "$EMU_PORT" | sed "s/^\[127.0.0.1\]/[$HOSTNAME_OK]/" >"$T2.kh"
sed -e "s|host: 127.0.0.1|host: $HOSTNAME_OK|; s|@PORT@|$EMU_PORT|; s|@USER@|$EMU_USER|; s|@KEY@|$EMU_KEY|; s|@KNOWN_HOSTS@|$T2.kh|" \
	"$here/lab/junos.yaml.in" >"$T2" || fail "topology 2"
Q0=$(queries)
run "fetch by a name from /etc/hosts" fetch "$T2" --device fw1 --connect-timeout 5
rc_is 0
has "set system host-name fw1"
[ "$(queries)" = "$Q0" ] || fail "a name from /etc/hosts went to DNS"

emu_stop byname "${EMU_PIDS[0]}"

# ---- many unanswered names in one counters run: looked up together ----
# Five devices by distinct unanswered names (glibc cannot share a lookup)
# and two live ones (snmpsim on 127.0.0.1 serving a recording made from
# the live device's own render), one by address, one by a name from
# /etc/hosts (its lookup ends at once, in the run), each with a budget of
# 1500 ms x 1 try.
# Looked up one after another the names alone would cost 5 x 1500 ms
# before any polling; together, about one budget. Every unanswered device
# fails alone with its own name in its error, the live ones are polled.
. "$here/snmplib.bash"
SNMP_TMP=$(mktemp -d /tmp/aclf-resolve-snmp.XXXXXX) || fail "mktemp"
chmod 755 "$SNMP_TMP"
trap 'snmp_teardown; umount /etc 2>/dev/null; emu_teardown; [ -n "${DNS_PID:-}" ] && kill "$DNS_PID" 2>/dev/null' EXIT
BUDGET=1500
NDEAD=5
many() { # SNMP_PORT
	sed -n '/^devices:/q;p' "$here/lab/junos.yaml.in"
	echo "devices:"
	for i in $(seq 1 "$NDEAD"); do
		cat <<EOF
  a$i:
    driver: junos
    host: a$i.unanswered.aclforge.test
    snmp: {version: 2c, port: $1, community: env:ACLF_T_LIVE, timeout_ms: $BUDGET, retries: 0}
    protects:
      - {pools: [fe-lab], interface: ge-0/0/1.0, direction: out, name: lync-fe}
EOF
	done
	for d in live:127.0.0.1 byname:$HOSTNAME_OK; do
		cat <<EOF
  ${d%%:*}:
    driver: junos
    host: ${d#*:}
    snmp: {version: 2c, port: $1, community: env:ACLF_T_LIVE, timeout_ms: $BUDGET, retries: 0}
    protects:
      - {pools: [fe-lab], interface: ge-0/0/1.0, direction: out, name: lync-fe}
EOF
	done
}
mkdir -p "$SNMP_TMP/data" "$SNMP_TMP/render" || fail "mkdir"
many 161 >"$SNMP_TMP/render.yaml"
"$BIN" render --quiet --out "$SNMP_TMP/render" "$SNMP_TMP/render.yaml" >/dev/null 2>&1 ||
	fail "render: $("$BIN" render --out "$SNMP_TMP/render" "$SNMP_TMP/render.yaml" 2>&1 | head -5)"
/usr/bin/python3 "$here/../tools/counters_snmprec.py" junos "$SNMP_TMP/render/live.junos" \
	>"$SNMP_TMP/data/live.snmprec" || fail "recording"
snmpsim_start "$SNMP_TMP/data" live
export ACLF_T_LIVE=live
T3=$SNMP_TMP/many.yaml
many "$SIM_PORT" >"$T3"

Q0=$(queries)
t0=$(date +%s%N)
"$BIN" counters "$T3" --format json >"$SNMP_TMP/out.json" 2>"$SNMP_TMP/err"
RC=$?
MS=$((($(date +%s%N) - t0) / 1000000))
OUT=$(cat "$SNMP_TMP/err")
echo "== counters, $NDEAD unanswered names and two live devices, ${BUDGET} ms each (exit $RC, ${MS} ms)"
sed 's/^/   /' "$SNMP_TMP/err" | cut -c1-300
rc_is 3
for i in $(seq 1 "$NDEAD"); do
	has "a$i: resolving 'a$i.unanswered.aclforge.test': timed out after $BUDGET ms"
done
[ "$(printf '%s\n' "$OUT" | grep -c "resolving '")" -eq "$NDEAD" ] ||
	fail "expected $NDEAD lookup errors, got: $OUT"
# every name was asked for (A only: one query each within this budget)
[ "$(($(queries) - Q0))" -ge "$NDEAD" ] || fail "only $(($(queries) - Q0)) queries for $NDEAD names"
/usr/bin/python3 - "$SNMP_TMP/out.json" "$NDEAD" "$BUDGET" <<'PY' || fail "the report"
import json, sys

rep = json.load(open(sys.argv[1]))
n, budget = int(sys.argv[2]), sys.argv[3]
devs = {d["name"]: d for d in rep["devices"]}
assert sorted(devs) == sorted(["a%d" % i for i in range(1, n + 1)] + ["live", "byname"]), list(devs)
for i in range(1, n + 1):
    d = devs["a%d" % i]
    assert d["polled_at"] is None, d
    assert any("resolving 'a%d.unanswered.aclforge.test': timed out after %s ms" % (i, budget) in e
               for e in d["errors"]), d["errors"]
for name in ("live", "byname"):
    live = devs[name]
    assert live["polled_at"], live
    assert not any("resolv" in e for e in live.get("errors", [])), live["errors"]
    counted = [r for r in live["rules"] if isinstance(r["packets"], int) and r["packets"] > 0]
    assert counted, live["rules"]
    print("   %s: %d of %d rules counted, sys_uptime %s" % (name, len(counted), len(live["rules"]),
                                                           live["sys_uptime"]))
# the same agent, the same numbers
assert devs["live"]["rules"] == devs["byname"]["rules"], (devs["live"]["rules"], devs["byname"]["rules"])
PY
# one after another the lookups would take NDEAD x BUDGET (7500 ms) before
# polling began; together they take one budget, plus the program's own
# start and compile (ASan)
within $((2 * BUDGET + 1500))
echo PASS
