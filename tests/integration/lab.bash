# What the apply tests share (sourced after hosts.bash): the lab topology,
# running aclforge from the client namespace, probes and the table's state.

lab_vars() {
	H1=${H_NS[1]}
	H2=${H_NS[2]}
	A1=${H_ADDR[1]}
	A2=${H_ADDR[2]}
}

# topo FILE: the lab topology; these change it when set:
#   TOPO_ADMIN  the management sources (default: the client's addresses
#               facing the hosts and the dark one)
#   TOPO_AUTH   the ssh login (default: key: the test user's key)
#   TOPO_KH     the known hosts file (default: $H_KH)
#   TOPO_RULE   one more site rule (a YAML flow mapping)
topo() {
	local admin=${TOPO_ADMIN:-${H_CADDR[1]}, ${H_CADDR[2]}, 198.18.20.2}
	local auth=${TOPO_AUTH:-key: $H_KEY}
	sed -e "s|@CLIENTS@|$H_CLIENT|; s|@ADMIN@|$admin|; s|@FE01@|$A1|g; s|@FE02@|$A2|g" \
	    -e "s|@DARK@|$H_DARK|; s|@VIP@|198.18.10.10|; s|@USER@|$H_USER|" \
	    -e "s|key: @KEY@|$auth|; s|@KNOWN_HOSTS@|${TOPO_KH:-$H_KH}|" \
	    "$here/lab/hosts.yaml.in" >"$1" || fail "topology $1"
	[ -z "${TOPO_RULE:-}" ] || echo "  - $TOPO_RULE" >>"$1"
}

OUT=
RC=0
# run WHAT ARGS...: aclforge in the client namespace; output in OUT
run() {
	local what=$1
	shift
	OUT=$(hin "$H_C" "$BIN" "$@" 2>&1)
	RC=$?
	echo "== $what (exit $RC)"
	printf '%s\n' "$OUT" | cut -c1-300 | head -60 | sed 's/^/   /'
}
has() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output lacks: $1"; }
lacks() { ! printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output has: $1"; }
rc_is() { [ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"; }
# expect PROTO ADDR PORT WANT [SRC]
expect() {
	local got
	got=$(probe "$1" "$2" "$3" "${5:-}")
	[ "$got" = "$4" ] || fail "probe $1 $2:$3 from ${5:-the client}: $got, expected $4"
}
# the table's handle on host NS, "none" without the table
handle() {
	hin "$1" nft -a list table inet aclforge 2>/dev/null | sed -n '1s/.*# handle \([0-9]*\).*/\1/p' |
		grep . || echo none
}
# on_old NS / on_new NS: the host runs no aclforge table / the applied one
on_old() { [ "$(handle "$1")" = none ] || fail "$1 is not on its old policy (no table)"; }
probes_old() { # nothing filters: every port answers
	expect tcp "$1" 9999 open "$H_CLIENT"
	expect tcp "$1" 135 open "$H_CLIENT"
}
probes_new() {
	expect tcp "$1" 5061 open "$H_CLIENT"
	expect udp "$1" 50000 open "$H_CLIENT"
	expect tcp "$1" 9999 silent "$H_CLIENT"
	expect tcp "$1" 135 silent "$H_CLIENT"
	expect udp "$1" 9998 silent "$H_CLIENT"
	expect tcp "$1" 22 open
}

