#!/usr/bin/env bash
# render --out DIR is all or nothing: when a write fails half-way (a full
# disk, a target that is a directory) DIR is left exactly as it was, nothing
# is left beside it, and the message says why. The disk-full case runs on a
# small tmpfs in a private mount namespace (root only).
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
EX=$SRC/inventory/examples/small.yaml
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/testlib.bash"

# a listing of DIR and everything beside it, with contents
snapshot() { (cd "$1/.." && find . -printf '%p %y %s\n' | sort && find . -type f -exec md5sum {} + | sort); }

# a new DIR: created with every file, "wrote" lines with one slash
"$B" render "$EX" --out "$T/new/" >/dev/null 2>"$T/err" || fail "render: $(cat "$T/err")"
[ "$(ls "$T/new" | wc -l)" -eq 5 ] || fail "render wrote $(ls "$T/new")"
grep -q "^wrote $T/new/core1.ios\$" "$T/err" || fail "wrote line: $(grep wrote "$T/err" | head -2)"
grep -q '//' "$T/err" && fail "double slash: $(grep '//' "$T/err" | head -1)"
[ "$(ls -a "$T")" = "$(printf '.\n..\nerr\nnew')" ] || fail "left beside DIR: $(ls -a "$T")"

# failure mid-way: the last device's file name is taken by a directory; the
# files already moved into DIR are put back (core1.ios: the old text) or
# removed (the others)
mkdir -p "$T/mid/out/rp1.nft"
echo "old core1" >"$T/mid/out/core1.ios"
before=$(snapshot "$T/mid/out")
"$B" render "$EX" --out "$T/mid/out" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "target is a directory: exit $rc: $(cat "$T/err")"
grep -qx "aclforge: cannot replace '$T/mid/out/rp1.nft': Is a directory" "$T/err" \
  || fail "target is a directory: message: $(cat "$T/err")"
grep -q '^wrote ' "$T/err" && fail "said 'wrote' after a failure"
[ "$(snapshot "$T/mid/out")" = "$before" ] || fail "DIR changed after a failure mid-way:
$(snapshot "$T/mid/out")"

# an input error: nothing at all
"$B" render "$T/missing.yaml" --out "$T/none" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing topology"
[ -e "$T/none" ] && fail "DIR created for a failed render"

# disk full: a tmpfs too small for all the files; one or more are written
# before the write that fails
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
	skip "the disk-full case needs root (a tmpfs in a private mount namespace)"
fi
mkdir -p "$T/fs"
# a device whose file is written while it renders (render --out streams at
# the driver's flush points, a megabyte at a time): 40,000 client /28s
# that do not aggregate make the Junos firewall's file over 2 MB
awk 'BEGIN { for (i = 0; i < 40000; i++) { a = i * 32;
	printf "%s10.%d.%d.%d/28", (i ? ", " : ""), 128 + int(a / 65536), int(a / 256) % 256, a % 256 } }' >"$T/clients"
# (the list is read from a file: as an argument it would pass ARG_MAX)
awk -v f="$T/clients" '/^  clients: \{kind: clients, prefixes:/ { getline l <f
	print "  clients: {kind: clients, prefixes: [" l "]}"; next } { print }' "$EX" >"$T/big.yaml"
grep -q '10.128.0.32/28' "$T/big.yaml" || fail "the big topology has not its client prefixes"
"$B" render -q "$T/big.yaml" --device fw1 >"$T/big.junos" 2>"$T/err" || fail "render big: $(cat "$T/err")"
[ "$(wc -c <"$T/big.junos")" -gt 2000000 ] || fail "the big firewall file is only $(wc -c <"$T/big.junos") bytes"
"$B" render -q "$T/big.yaml" --device fw1 --out "$T/bigout" 2>"$T/err" || fail "render --out big: $(cat "$T/err")"
cmp -s "$T/big.junos" "$T/bigout/fw1.junos" || fail "render --out wrote other bytes than render does"
rm -rf "$T/bigout" "$T/big.junos"
# private propagation needs / to be a mount point; in a chroot it is not,
# and there the namespace keeps the propagation it inherits (the chroot's
# mounts are private or slaves, so nothing mounted here leaks out)
prop=private
unshare -m --propagation private true 2>/dev/null || prop=unchanged
unshare -m --propagation "$prop" bash -c '
	set -u
	B=$1 EX=$2 D=$3
	: >"$D/../in-namespace"
	mount -t tmpfs -o size=40k tmpfs "$D" || exit 99
	snapshot() { (cd "$1/.." && find . -printf "%p %y %s\n" | sort && find . -type f -exec md5sum {} + | sort); }
	# a DIR that does not exist yet: not created
	"$B" render "$EX" --out "$D/new" >/dev/null 2>"$D/../err-new"; echo $? >"$D/../rc-new"
	[ -e "$D/new" ] && echo "created" >"$D/../left-new"
	ls -a "$D" >"$D/../ls-new"
	# an existing DIR with an old file: unchanged
	mkdir "$D/out" && echo "old core1" >"$D/out/core1.ios"
	before=$(snapshot "$D/out")
	"$B" render "$EX" --out "$D/out" >/dev/null 2>"$D/../err-old"; echo $? >"$D/../rc-old"
	[ "$(snapshot "$D/out")" = "$before" ] || snapshot "$D/out" >"$D/../changed-old"
	# the disk fills while the firewall renders (the first megabyte written)
	"$B" render -q "$D/../big.yaml" --device fw1 --out "$D/big" >/dev/null 2>"$D/../err-big"; echo $? >"$D/../rc-big"
	ls -a "$D" >"$D/../ls-big"
	exit 0
' _ "$B" "$EX" "$T/fs"; rc=$?
[ -e "$T/in-namespace" ] || skip "cannot make a private mount namespace here (unshare -m: exit $rc)"
[ $rc -eq 99 ] && skip "cannot mount a tmpfs here"
[ $rc -eq 0 ] || fail "unshare: exit $rc"
for c in new old; do
	[ "$(cat "$T/rc-$c")" = 2 ] || fail "disk full ($c): exit $(cat "$T/rc-$c"): $(cat "$T/err-$c")"
	grep -q "^aclforge: cannot write '$T/fs/[a-z]*/[a-z0-9-]*\.[a-z]*': No space left on device\$" "$T/err-$c" \
	  || fail "disk full ($c): message: $(cat "$T/err-$c")"
	grep -q '^wrote ' "$T/err-$c" && fail "disk full ($c): said 'wrote'"
done
[ "$(cat "$T/rc-big")" = 2 ] || fail "disk full while rendering: exit $(cat "$T/rc-big"): $(cat "$T/err-big")"
grep -qx "aclforge: cannot write '$T/fs/big/fw1.junos': No space left on device" "$T/err-big" ||
	fail "disk full while rendering: message: $(cat "$T/err-big")"
[ "$(cat "$T/ls-big")" = "$(printf '.\n..\nout')" ] || fail "disk full while rendering: left: $(cat "$T/ls-big")"
[ -e "$T/left-new" ] && fail "disk full: DIR created"
[ "$(cat "$T/ls-new")" = "$(printf '.\n..')" ] || fail "disk full: left on the file system: $(cat "$T/ls-new")"
[ -e "$T/changed-old" ] && fail "disk full: DIR changed: $(cat "$T/changed-old")"
echo "render_out: ok"
