# SNMP agents on 127.0.0.1 for tests/integration/snmp_*.sh and the
# benchmark (not a test itself: ctest runs *.sh). Sourced after testlib.bash
# (skip) and a fail function. Everything started here is stopped by
# snmp_teardown, installed as the EXIT trap by snmp_tmp.
#
#   snmp_tmp TAG          a private temp dir, SNMP_TMP
#   snmp_free_port        a UDP port of 127.0.0.1 nobody listens on
#   snmpsim_start DIR     Debian's snmpsim serving DIR/*.snmprec (community
#                         and v3 context = file name) on SIM_PORT, as
#                         nobody:nogroup, waiting until it answers (may be
#                         called again for another process on another port)
#   snmpd_start CONF      Net-SNMP's snmpd in the foreground with only CONF
#                         (-C -c), persistent files in SNMP_TMP, on
#                         SNMPD_PORT, waiting until it answers CHECK_ARGS
#                         (snmpget arguments, set by the caller)
#   SIM_ARGS=(...)        more snmpsimd options for snmpsim_start (the
#                         benchmark's --v2c-arch)
#   SNMP_NSX=(nsenter --net=/run/netns/NS)
#                         set by the test: snmpsim_start (and its port
#                         search) run in that namespace

SNMP_PIDS=()
SIM_PIDFILES=()
SNMP_NSX=()
SIM_ARGS=()

snmp_teardown() {
	local p
	for p in "${SNMP_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${SNMP_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for p in "${SIM_PIDFILES[@]}"; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	[ -n "${SNMP_TMP:-}" ] && rm -rf "$SNMP_TMP"
	return 0
}

snmp_tmp() {
	SNMP_TMP=$(mktemp -d "/tmp/aclf-$1.XXXXXX") || fail "mktemp"
	chmod 755 "$SNMP_TMP"
	trap snmp_teardown EXIT
	trap 'exit 1' INT TERM
}

snmp_free_port() {
	local p tries=0
	while [ $tries -lt 200 ]; do
		p=$((20000 + (RANDOM * 7 + $$ + tries) % 30000))
		if ! "${SNMP_NSX[@]}" ss -Huln "sport = :$p" | grep -q .; then
			echo "$p"
			return 0
		fi
		tries=$((tries + 1))
	done
	fail "no free UDP port"
}

# snmpsim_start DATADIR [COMMUNITY TO WAIT FOR]
snmpsim_start() {
	local data=$1 comm=${2:-} i
	command -v snmpsimd >/dev/null 2>&1 || skip "needs snmpsimd (Debian's snmpsim)"
	# its data, cache and pid file belong to the user it runs as
	local run=$SNMP_TMP/sim${#SIM_PIDFILES[@]}
	mkdir -p "$run/cache"
	chown -R nobody:nogroup "$data" "$run"
	SIM_PORT=$(snmp_free_port)
	SIM_PIDFILE=$run/snmpsimd.pid
	SIM_PIDFILES+=("$SIM_PIDFILE")
	"${SNMP_NSX[@]}" snmpsimd "${SIM_ARGS[@]}" --data-dir="$data" --cache-dir="$run/cache" \
		--agent-udpv4-endpoint="127.0.0.1:$SIM_PORT" --process-user=nobody \
		--process-group=nogroup --daemonize --pid-file="$SIM_PIDFILE" \
		--logging-method=null || fail "snmpsimd did not start"
	[ -n "$comm" ] || comm=$(basename "$(ls "$data"/*.snmprec | head -1)" .snmprec)
	for i in $(seq 1 60); do
		[ -s "$SIM_PIDFILE" ] && kill -0 "$(cat "$SIM_PIDFILE")" 2>/dev/null ||
			{ [ "$i" -gt 4 ] && fail "snmpsimd is not running"; }
		"${SNMP_NSX[@]}" snmpget -v2c -c "$comm" -t 0.5 -r 0 -On "127.0.0.1:$SIM_PORT" 1.3.6.1.2.1.1.3.0 \
			>/dev/null 2>&1 && return 0
		sleep 0.5
	done
	fail "snmpsimd on 127.0.0.1:$SIM_PORT does not answer community '$comm'"
}

snmpd_start() {
	local conf=$1 i
	command -v snmpd >/dev/null 2>&1 || skip "needs snmpd"
	SNMPD_PORT=${SNMPD_PORT:-$(snmp_free_port)}
	mkdir -p "$SNMP_TMP/snmpd-persist"
	SNMP_PERSISTENT_DIR=$SNMP_TMP/snmpd-persist snmpd -f -C -c "$conf" -Lf "$SNMP_TMP/snmpd.log" \
		-p "$SNMP_TMP/snmpd.pid" "udp:127.0.0.1:$SNMPD_PORT" &
	SNMP_PIDS+=($!)
	for i in $(seq 1 60); do
		snmpget -t 1 -r 0 -On "${CHECK_ARGS[@]}" "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.1.3.0 \
			>/dev/null 2>&1 && return 0
		sleep 0.5
	done
	cat "$SNMP_TMP/snmpd.log" >&2
	fail "snmpd on 127.0.0.1:$SNMPD_PORT does not answer"
}
