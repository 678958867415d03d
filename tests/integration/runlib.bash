# aclforge runs for the tests against emulators on 127.0.0.1 (sourced, not
# a test itself: ctest runs *.sh); lab.bash has its own, which runs
# aclforge in the client's network namespace.
#
#   run WHAT ARGS...   aclforge ($BIN, set by the test) with ARGS: its
#                      output in OUT, exit code in RC, time in MS; shows
#                      WHAT and the first RUN_LINES (40) lines
#   has TEXT / lacks TEXT
#                      OUT holds TEXT (a fixed string) / does not
#   rc_is N            RC is N
# Needs `fail` from the test.

OUT=
RC=0
MS=0
RUN_LINES=40

run() {
	local what=$1 t0
	shift
	t0=$(date +%s%N)
	OUT=$("$BIN" "$@" 2>&1)
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	echo "== $what (exit $RC, ${MS} ms)"
	printf '%s\n' "$OUT" | cut -c1-300 | head -"$RUN_LINES" | sed 's/^/   /'
}
has() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output lacks: $1"; }
lacks() { ! printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output has: $1"; }
rc_is() { [ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"; }
