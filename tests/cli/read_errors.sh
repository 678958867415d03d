#!/usr/bin/env bash
# Every read and write failure says why: a directory given as an input
# file, a file that is not there, standard output on a full disk. Exit 2
# for input, 3 for output; never a silent answer.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir "$T/dir.cfg"

# run WANT_RC WANT_STDERR_LINE CMD...: exit status and the exact message
run() {
	local want=$1 msg=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; local rc=$?
	[ $rc -eq "$want" ] || fail "$*: exit $rc, expected $want: $(cat "$T/err")"
	grep -qxF -- "$msg" "$T/err" || fail "$*: expected '$msg', got: $(cat "$T/err")"
}

run 2 "aclforge: '$T/dir.cfg' is a directory" "$B" parse --driver ios "$T/dir.cfg"
run 2 "aclforge: '$T/dir.cfg' is a directory" "$B" parse "$T/dir.cfg"
run 2 "aclforge: '$T/dir.cfg' is a directory" "$B" diff "$EX" --device core1 --live "$T/dir.cfg"
run 2 "aclforge: cannot read '$T/none.cfg': No such file or directory" "$B" parse --driver ios "$T/none.cfg"
run 2 "aclforge: cannot read '$T/none.cfg': No such file or directory" \
	"$B" diff "$EX" --device core1 --live "$T/none.cfg"
run 2 "aclforge: cannot read topology '$T/dir.cfg': Is a directory" "$B" compile "$T/dir.cfg"
run 2 "aclforge: cannot read catalog '$T/dir.cfg': Is a directory" "$B" catalog "$T/dir.cfg"

# standard output on a full disk: exit 3 and the reason, for every command
if [ -w /dev/full ]; then
	"$B" render "$EX" --device core1 >"$T/core1.ios" 2>/dev/null || fail "render"
	for cmd in "catalog" "compile $EX" "render $EX --device core1" "parse --driver ios $T/core1.ios" \
		   "explain $EX --src 10.40.0.10 --dst 10.1.3.11 --proto tcp --port 5067" \
		   "diff $EX --device core1 --live $T/core1.ios"; do
		# shellcheck disable=SC2086
		"$B" $cmd >/dev/full 2>"$T/err"; rc=$?
		[ $rc -eq 3 ] || fail "$cmd >/dev/full: exit $rc, expected 3: $(cat "$T/err")"
		[ "$(grep -c 'cannot write standard output: No space left on device' "$T/err")" -eq 1 ] \
		  || fail "$cmd >/dev/full: $(cat "$T/err")"
	done
fi
echo "read_errors: ok"
