# Several Linux hosts for the apply tests, sourced by tests/integration/*.sh
# (not a test itself). Root only; hosts_teardown (the EXIT trap hosts_up
# installs, also on INT/TERM) removes everything, after a failure too.
#
#   namespace $H_C (the client: aclforge runs here, probes start here)
#     --veth-- host namespace i: 198.18.(10+i).1/24, client side .2/24
#     --veth-- a dark namespace: $H_DARK = 198.18.20.1, every packet dropped
#   and 198.18.100.2/32 on the client, routed by every host back to it: the
#   "clients" source for probes, apart from the management addresses.
#
# Each host runs OpenSSH's sshd on port 22 in its own mount namespace (as
# netns.bash does for one: a tmpfs /run, copies of the user database with
# the test user), and lets that user run anything as root through
# `sudo -n` (a sudoers file bind-mounted over /etc/sudoers for sshd and its
# children only) with secure_path starting at $H_TMP/faultbin: the fault
# tests put an nft there that wraps the real one. /etc/snmp and
# /usr/local/lib are the host's own empty copies (what apply installs for
# snmpd). Nothing of the machine's own /etc, /run or rulesets is written.
#
# After hosts_up TAG N: H_TMP, H_C, H_NS[i], H_ADDR[i], H_CADDR[i] (the
# client's address facing host i), H_DARK, H_CLIENT=198.18.100.2, H_USER,
# H_KEY (the user's key), H_KH (a known_hosts file with every host's key).

H_PIDS=()
H_SSHD=()
H_NS=()
H_ADDR=()
H_CADDR=()
H_VETH=()
H_CLIENT=198.18.100.2
H_DARK=198.18.20.1

hin() { local n=$1; shift; nsenter --net="/run/netns/$n" "$@"; }

# ns_pids NS: every process whose network namespace is NS (what apply
# left running on a host, such as the counters writer in a session of its
# own, which no pid of ours leads to)
ns_pids() {
	local want p
	want=$(stat -L -c %i "/run/netns/$1" 2>/dev/null) || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$want" ] && echo "${p#/proc/}"
	done
	return 0
}

hosts_teardown() {
	local p n v
	for p in "${H_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	H_PIDS=()
	for n in "${H_NS[@]}" "${H_DNS:-}" "${H_C:-}"; do
		[ -n "$n" ] || continue
		for p in $(ns_pids "$n"); do kill "$p" 2>/dev/null; done
		ip netns del "$n" 2>/dev/null
	done
	for v in "${H_VETH[@]}"; do ip link del "$v" 2>/dev/null; done
	[ -n "${H_TMP:-}" ] && rm -rf "$H_TMP"
	return 0
}

# link NS CLIENT_VETH HOST_VETH HOSTADDR CLIENTADDR
link_host() {
	local ns=$1 vc=$2 vh=$3 ha=$4 ca=$5
	ip link add "$vc" type veth peer name "$vh" || fail "veth $vc"
	H_VETH+=("$vc")
	ip link set "$vc" netns "$H_C" && ip link set "$vh" netns "$ns" || fail "veth into namespaces"
	hin "$ns" ip addr add "$ha/24" dev "$vh" || fail "address $ha"
	hin "$H_C" ip addr add "$ca/24" dev "$vc" || fail "address $ca"
	hin "$ns" ip link set lo up
	hin "$ns" ip link set "$vh" up
	hin "$H_C" ip link set "$vc" up
	hin "$ns" ip route add "$H_CLIENT/32" via "$ca" || fail "route to $H_CLIENT"
}

# hosts_user NAME: the test user in copies of the user database, a key.
hosts_user() {
	local name=$1 etc=$H_TMP/root/etc hash
	mkdir -p "$etc" || fail "mkdir $etc"
	cp /etc/passwd /etc/shadow /etc/group "$etc/" || fail "copy the user database"
	[ -f /etc/gshadow ] && cp /etc/gshadow "$etc/"
	H_USER=$name
	H_HOME=$H_TMP/home
	H_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	hash=$(printf '%s' "$H_PASSWORD" | openssl passwd -6 -stdin) || fail "openssl passwd"
	useradd --prefix "$H_TMP/root" -U -M -d "$H_HOME" -s /bin/sh -p "$hash" "$name" \
		2>"$H_TMP/useradd.err" || fail "useradd: $(cat "$H_TMP/useradd.err")"
	H_UID=$(awk -F: -v u="$name" '$1 == u { print $3 }' "$etc/passwd")
	mkdir -p "$H_HOME/.ssh" || fail "mkdir home"
	ssh-keygen -q -t ed25519 -N '' -C "$name@aclforge-test" -f "$H_TMP/user_key" ||
		fail "ssh-keygen user key"
	cp "$H_TMP/user_key.pub" "$H_HOME/.ssh/authorized_keys"
	chmod 700 "$H_HOME/.ssh"
	chmod 600 "$H_HOME/.ssh/authorized_keys"
	chmod 755 "$H_HOME"
	chown -R "$H_UID:$H_UID" "$H_HOME"
	H_KEY=$H_TMP/user_key
	mkdir -p "$H_TMP/faultbin" && chmod 755 "$H_TMP/faultbin"
	{
		echo "Defaults env_reset"
		echo "Defaults use_pty" # as Debian 12's own sudoers: the net must outlive it
		echo "Defaults secure_path=\"$H_TMP/faultbin:/usr/sbin:/usr/bin:/sbin:/bin\""
		echo "Defaults !lecture"
		echo "root ALL=(ALL:ALL) ALL"
		echo "$name ALL=(root) NOPASSWD: ALL"
	} >"$H_TMP/sudoers"
	chmod 440 "$H_TMP/sudoers"
}

# host_sshd I: sshd for host I (its own host key, its own log).
host_sshd() {
	local i=$1 ns=${H_NS[$1]} addr=${H_ADDR[$1]} cfg=$H_TMP/sshd_config.$1 log=$H_TMP/sshd.$1.log own
	local etc=$H_TMP/root/etc prop=private
	ssh-keygen -q -t ed25519 -N '' -C "aclforge-test-host$i" -f "$H_TMP/hostkey.$i" ||
		fail "ssh-keygen host key $i"
	cat >"$cfg" <<EOC
Port 22
ListenAddress $addr
HostKey $H_TMP/hostkey.$i
PidFile none
UsePAM no
PermitRootLogin no
AllowUsers $H_USER
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
PrintMotd no
PrintLastLog no
MaxStartups 100
LogLevel DEBUG1
EOC
	: >"$log"
	# the host's own /tmp (as a real host has): what apply leaves there is
	# this host's, whatever other tests run beside it; and what apply writes
	# for snmpd (nftables counters) stays in the host's own copies of
	# /etc/snmp and /usr/local/lib
	own=$H_TMP/own.$i
	mkdir -p "$own/etc-snmp/snmpd.conf.d" "$own/usr-local-lib" "$own/tmp" && chmod -R 755 "$own" &&
		chmod 1777 "$own/tmp" || fail "mkdir $own"
	unshare -m --propagation private true 2>/dev/null || prop=unchanged
	# shellcheck disable=SC2016
	nsenter --net="/run/netns/$ns" unshare -m --propagation "$prop" sh -c '
		set -e
		mount -t tmpfs -o mode=755 tmpfs /run
		mkdir -m 755 /run/sshd
		for f in passwd shadow group; do mount --bind "$1/$f" "/etc/$f"; done
		mount --bind "$4" /etc/sudoers
		if [ -d /etc/snmp ]; then mount --bind "$5/etc-snmp" /etc/snmp; fi
		mount --bind "$5/usr-local-lib" /usr/local/lib
		mount --bind "$5/tmp" /tmp
		exec /usr/sbin/sshd -D -f "$2" -E "$3"' sshd-ns "$etc" "$cfg" "$log" "$H_TMP/sudoers" "$own" \
		</dev/null >/dev/null 2>"$H_TMP/sshd.$i.err" &
	H_PIDS+=("$!")
	H_SSHD[$i]=$! # its mount namespace is the host's (nsenter -t PID -m -r -w: a chroot's root and a working directory that exists there)
	for _ in $(seq 100); do
		grep -q "Server listening on $addr port 22" "$log" && break
		sleep 0.05
	done
	grep -q "Server listening on $addr port 22" "$log" ||
		fail "sshd $i did not start: $(cat "$H_TMP/sshd.$i.err" "$log" | tail -5)"
	printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 "$H_TMP/hostkey.$i.pub")" >>"$H_KH"
}

# host_bound NS -lnt|-lnu PORT: wait up to 10 s for a socket bound to PORT
host_bound() {
	for _ in $(seq 200); do
		hin "$1" ss -H "$2" "sport = :$3" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# host_listen I TCPPORTS UDPPORTS: a server on host I that accepts TCP
# connections (and closes them) and echoes UDP datagrams.
host_listen() {
	local ns=${H_NS[$1]}
	hin "$ns" /usr/bin/python3 - "$2" "$3" >/dev/null 2>&1 <<'EOP' &
import select, socket, sys
socks = []
for p in filter(None, sys.argv[1].split(",")):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(p))); s.listen(64); socks.append(s)
udp = []
for p in filter(None, sys.argv[2].split(",")):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(p))); udp.append(s)
while True:
    r = select.select(socks + udp, [], [], 600)[0]
    if not r:
        break
    for s in r:
        if s in udp:
            data, peer = s.recvfrom(2048)
            s.sendto(data, peer)
        else:
            c, _ = s.accept(); c.close()
EOP
	H_PIDS+=("$!")
	# ready once every port is bound (python starts slowly on a busy machine)
	local p
	for p in ${2//,/ }; do host_bound "$ns" -lnt "$p" || fail "host $1: nothing listens on tcp/$p"; done
	for p in ${3//,/ }; do host_bound "$ns" -lnu "$p" || fail "host $1: nothing listens on udp/$p"; done
}

# probe PROTO ADDR PORT [SRC]: "open" (TCP connected / UDP answered) or
# "silent" (no answer within 1.5 s), from the client namespace.
probe() {
	hin "$H_C" /usr/bin/python3 - "$@" <<'EOP'
import socket, sys
proto, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = sys.argv[4] if len(sys.argv) > 4 else None
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.settimeout(1.5)
if src:
    s.bind((src, 0))
try:
    if proto == "tcp":
        s.connect((addr, port))
    else:
        s.sendto(b"aclforge-probe", (addr, port))
        s.recvfrom(2048)
    print("open")
except OSError:
    print("silent")
EOP
}

# hosts_up TAG N: the client, N hosts with sshd, the dark address.
hosts_up() {
	local tag=$1 n=$2 i
	for t in ip nsenter unshare nft mount useradd openssl ssh-keygen sudo; do
		command -v "$t" >/dev/null 2>&1 || skip "needs $t"
	done
	[ -x /usr/sbin/sshd ] || skip "needs /usr/sbin/sshd (openssh-server)"
	[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
	# not under /tmp: each host gets its own /tmp (host_sshd), which would
	# hide this directory from its sshd
	H_TMP=$(mktemp -d "/var/tmp/aclf-$tag.XXXXXX") || fail "mktemp"
	chmod 711 "$H_TMP"
	trap hosts_teardown EXIT
	trap 'exit 1' INT TERM
	H_C=aclf-$tag-$$-c
	ip netns add "$H_C" 2>/dev/null || skip "cannot create network namespaces"
	hin "$H_C" ip link set lo up
	hin "$H_C" ip addr add "$H_CLIENT/32" dev lo || fail "address $H_CLIENT"
	H_KH=$H_TMP/known_hosts
	: >"$H_KH"
	hosts_user "aclfh$$"
	for i in $(seq 1 "$n"); do
		H_NS[$i]=aclf-$tag-$$-h$i
		H_ADDR[$i]=198.18.$((10 + i)).1
		H_CADDR[$i]=198.18.$((10 + i)).2
		ip netns add "${H_NS[$i]}" || fail "netns add ${H_NS[$i]}"
		link_host "${H_NS[$i]}" "ahc$$x$i" "ahh$$x$i" "${H_ADDR[$i]}" "${H_CADDR[$i]}"
		host_sshd "$i"
	done
	H_DNS=aclf-$tag-$$-dark
	ip netns add "$H_DNS" || fail "netns add $H_DNS"
	link_host "$H_DNS" "ahc$$xd" "ahh$$xd" "$H_DARK" 198.18.20.2
	hin "$H_DNS" nft -f - <<EOD || fail "nft: dark address"
table inet aclf_dark {
	chain input {
		type filter hook input priority 0; policy drop;
	}
}
EOD
}

# host_snmpd I COMMUNITY: Net-SNMP's snmpd in host I's network and mount
# namespaces as Debian-snmp, v2c COMMUNITY read-only on its address, the
# host's own /etc/snmp/snmpd.conf.d included (what apply installs there);
# waits until it answers from the client. Sets H_SNMPD (its pid).
host_snmpd() {
	local i=$1 comm=$2 d=$H_TMP/snmpd$1
	[ -x /usr/sbin/snmpd ] || skip "needs /usr/sbin/snmpd"
	id Debian-snmp >/dev/null 2>&1 || skip "needs the Debian-snmp user (Debian's snmpd package)"
	mkdir -p "$d/persist" && chown Debian-snmp: "$d/persist" && chmod 755 "$d"
	printf 'agentaddress udp:%s:161\nrocommunity %s default\nincludeDir /etc/snmp/snmpd.conf.d\n' \
		"${H_ADDR[$i]}" "$comm" >"$d/snmpd.conf"
	chmod 644 "$d/snmpd.conf"
	SNMP_PERSISTENT_DIR=$d/persist nsenter -t "${H_SSHD[$i]}" -m -r -w -n \
		/usr/sbin/snmpd -f -C -c "$d/snmpd.conf" -u Debian-snmp -g Debian-snmp \
		-p /run/snmpd.pid -Lf "$d/snmpd.log" </dev/null >/dev/null 2>&1 &
	H_SNMPD=$!
	H_PIDS+=("$H_SNMPD")
	for _ in $(seq 60); do
		hin "$H_C" snmpget -v2c -c "$comm" -t 0.5 -r 0 "${H_ADDR[$i]}" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 &&
			return 0
		sleep 0.5
	done
	fail "snmpd on ${H_ADDR[$i]} does not answer: $(tail -5 "$d/snmpd.log")"
}
