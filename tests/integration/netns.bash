# The test network, sourced by tests/integration/*.sh (not a test itself:
# ctest runs *.sh). Root only; everything it makes is torn down by
# net_teardown, which net_up installs as the EXIT trap (and on INT/TERM),
# so a failing test leaves nothing behind:
#
#   namespace $NET_C (client, 198.18.0.2/24) --veth-- namespace $NET_S
#   (server, 198.18.0.1/24 and $NET_DARK = 198.18.0.3/24, whose every
#   incoming packet nftables drops: a silent address)
#
# Addresses come from 198.18.0.0/15 (RFC 2544 benchmarking) and nowhere
# else; the namespaces have no route out. Commands run in a namespace with
# nsenter --net (not `ip netns exec`, which remounts /sys and fails in
# chroots and some containers).
#
# sshd_start runs OpenSSH's sshd in $NET_S inside its own mount namespace
# (unshare -m): a tmpfs on /run gives it the privilege separation directory
# /run/sshd, and copies of /etc/passwd, /etc/shadow and /etc/group, with the
# test user added by `useradd --prefix`, are bind-mounted over the real
# ones for sshd and its children only. The host's user database and /run
# are never written; when sshd exits its mount namespace is gone.
#
# Variables after net_up: NET_TMP (a private temp dir), NET_C, NET_S,
# NET_SRV=198.18.0.1, NET_CLI=198.18.0.2, NET_DARK=198.18.0.3.
# After sshd_user: SSH_USER, SSH_UID, SSH_HOME, SSH_PASSWORD, SSH_KEY (the
# user's private key, mode 0600, owned by root for the client).

NET_SRV=198.18.0.1
NET_CLI=198.18.0.2
NET_DARK=198.18.0.3
NET_PIDS=()

in_ns() { local n=$1; shift; nsenter --net="/run/netns/$n" "$@"; }

net_teardown() {
	local p
	for p in "${NET_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	NET_PIDS=()
	[ -n "${NET_S:-}" ] && ip netns del "$NET_S" 2>/dev/null
	[ -n "${NET_C:-}" ] && ip netns del "$NET_C" 2>/dev/null
	[ -n "${NET_VS:-}" ] && ip link del "$NET_VS" 2>/dev/null
	[ -n "${NET_TMP:-}" ] && rm -rf "$NET_TMP"
	return 0
}

# net_up TAG: the two namespaces, the veth pair, the dark address.
net_up() {
	local tag=$1
	for t in ip nsenter unshare nft mount; do
		command -v "$t" >/dev/null 2>&1 || skip "needs $t"
	done
	NET_TMP=$(mktemp -d "/tmp/aclf-$tag.XXXXXX") || fail "mktemp"
	chmod 711 "$NET_TMP" # the test user's home is inside
	trap net_teardown EXIT
	trap 'exit 1' INT TERM
	NET_S=aclf-$tag-$$-s
	NET_C=aclf-$tag-$$-c
	NET_VS=ans$$
	NET_VC=anc$$
	ip netns add "$NET_S" 2>/dev/null || skip "cannot create network namespaces"
	ip netns add "$NET_C" || fail "netns add $NET_C"
	ip link add "$NET_VS" type veth peer name "$NET_VC" || fail "veth"
	ip link set "$NET_VS" netns "$NET_S" && ip link set "$NET_VC" netns "$NET_C" ||
		fail "veth into namespaces"
	in_ns "$NET_S" ip addr add "$NET_SRV/24" dev "$NET_VS" || fail "address $NET_SRV"
	in_ns "$NET_S" ip addr add "$NET_DARK/24" dev "$NET_VS" || fail "address $NET_DARK"
	in_ns "$NET_C" ip addr add "$NET_CLI/24" dev "$NET_VC" || fail "address $NET_CLI"
	for ns in "$NET_S" "$NET_C"; do in_ns "$ns" ip link set lo up; done
	in_ns "$NET_S" ip link set "$NET_VS" up
	in_ns "$NET_C" ip link set "$NET_VC" up
	in_ns "$NET_S" nft -f - <<EOF || fail "nft: dark address"
table inet aclf_dark {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr $NET_DARK drop
	}
}
EOF
}

# sshd_user NAME: a user in copies of the user database (for sshd only),
# with a home under NET_TMP, a random password and an ed25519 key in
# authorized_keys.
sshd_user() {
	local name=$1 etc=$NET_TMP/root/etc hash
	for t in useradd openssl ssh-keygen; do
		command -v "$t" >/dev/null 2>&1 || skip "needs $t"
	done
	mkdir -p "$etc" || fail "mkdir $etc"
	cp /etc/passwd /etc/shadow /etc/group "$etc/" || fail "copy the user database"
	[ -f /etc/gshadow ] && cp /etc/gshadow "$etc/"
	SSH_USER=$name
	SSH_HOME=$NET_TMP/home
	SSH_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	hash=$(printf '%s' "$SSH_PASSWORD" | openssl passwd -6 -stdin) || fail "openssl passwd"
	useradd --prefix "$NET_TMP/root" -U -M -d "$SSH_HOME" -s /bin/sh -p "$hash" "$name" \
		2>"$NET_TMP/useradd.err" || fail "useradd: $(cat "$NET_TMP/useradd.err")"
	SSH_UID=$(awk -F: -v u="$name" '$1 == u { print $3 }' "$etc/passwd")
	[ -n "$SSH_UID" ] || fail "no uid for $name"
	mkdir -p "$SSH_HOME/.ssh" || fail "mkdir home"
	ssh-keygen -q -t ed25519 -N '' -C "$name@aclforge-test" -f "$NET_TMP/user_key" ||
		fail "ssh-keygen user key"
	cp "$NET_TMP/user_key.pub" "$SSH_HOME/.ssh/authorized_keys"
	chmod 700 "$SSH_HOME/.ssh"
	chmod 600 "$SSH_HOME/.ssh/authorized_keys"
	chmod 755 "$SSH_HOME"
	chown -R "$SSH_UID:$SSH_UID" "$SSH_HOME"
	SSH_KEY=$NET_TMP/user_key
}

# sshd_hostkey NAME: a new ed25519 host key $NET_TMP/NAME; prints nothing.
sshd_hostkey() {
	ssh-keygen -q -t ed25519 -N '' -C "aclforge-test-$1" -f "$NET_TMP/$1" ||
		fail "ssh-keygen host key $1"
}

# fingerprint FILE.pub: "SHA256:..." as OpenSSH prints it.
fingerprint() { ssh-keygen -l -E sha256 -f "$1" | awk '{ print $2 }'; }

SSHD_PID=

# sshd_start HOSTKEY PORT [sshd_config lines...]: sshd on $NET_SRV:PORT in
# $NET_S, logging to $NET_TMP/sshd.log (DEBUG1); returns when it listens.
# sshd takes the first value of a keyword, so the given lines come first and
# override the defaults below.
sshd_start() {
	local key=$1 port=$2 cfg=$NET_TMP/sshd_config log=$NET_TMP/sshd.log line
	shift 2
	[ -x /usr/sbin/sshd ] || skip "needs /usr/sbin/sshd (openssh-server)"
	{
		for line in "$@"; do echo "$line"; done
		echo "Port $port"
		echo "ListenAddress $NET_SRV"
		echo "HostKey $NET_TMP/$key"
		echo "PidFile none"
		echo "UsePAM no"
		echo "PermitRootLogin no"
		echo "AllowUsers $SSH_USER"
		echo "PubkeyAuthentication yes"
		echo "PasswordAuthentication yes"
		echo "KbdInteractiveAuthentication no"
		echo "AuthorizedKeysFile .ssh/authorized_keys"
		echo "StrictModes yes"
		echo "PrintMotd no"
		echo "PrintLastLog no"
		echo "MaxAuthTries 6"
		echo "LogLevel DEBUG1"
	} >"$cfg"
	: >"$log"
	local etc=$NET_TMP/root/etc
	# shellcheck disable=SC2016
	# private propagation needs / to be a mount point; in a chroot it is not,
	# and there the namespace keeps what it inherits (the chroot's /run is a
	# slave of the host's, so the tmpfs mounted on it stays here)
	local prop=private
	unshare -m --propagation private true 2>/dev/null || prop=unchanged
	nsenter --net="/run/netns/$NET_S" unshare -m --propagation "$prop" sh -c '
		set -e
		mount -t tmpfs -o mode=755 tmpfs /run
		mkdir -m 755 /run/sshd
		for f in passwd shadow group; do mount --bind "$1/$f" "/etc/$f"; done
		exec /usr/sbin/sshd -D -f "$2" -E "$3"' sshd-ns "$etc" "$cfg" "$log" \
		</dev/null >/dev/null 2>"$NET_TMP/sshd.err" &
	SSHD_PID=$!
	NET_PIDS+=("$SSHD_PID")
	for _ in $(seq 100); do
		grep -q "Server listening on $NET_SRV port $port" "$log" && return 0
		kill -0 "$SSHD_PID" 2>/dev/null || break
		sleep 0.05
	done
	fail "sshd did not start: $(cat "$NET_TMP/sshd.err" "$log" | tail -5)"
}

sshd_stop() {
	[ -n "$SSHD_PID" ] || return 0
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=
}

# silent_listener PORT: accepts TCP connections on $NET_SRV:PORT in $NET_S
# and never says a word (an SSH handshake that never starts). Quits by
# itself after 2 idle minutes; its pid is torn down with the rest.
silent_listener() {
	local py=/usr/bin/python3
	[ -x "$py" ] || skip "needs /usr/bin/python3"
	nsenter --net="/run/netns/$NET_S" "$py" - "$NET_SRV" "$1" >/dev/null 2>&1 <<'EOF' &
import select, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(16)
held = []
while select.select([s], [], [], 120)[0]:
    held.append(s.accept()[0])
EOF
	NET_PIDS+=("$!")
	for _ in $(seq 100); do
		in_ns "$NET_S" ss -Htln "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	fail "silent listener on port $1 did not start"
}
