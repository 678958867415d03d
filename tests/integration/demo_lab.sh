#!/bin/bash
# The local lab of scripts/lab, as scripts/demo runs it and as a reader
# follows the README (inventory/examples/lab.yaml.in: an emulated IOS
# switch, Junos firewall and BIG-IP on 127.0.0.1, and a Linux host with sshd
# and nftables in a network namespace):
#   - `scripts/lab demo` exits 0 and prints plan (exit 1: every device
#     "changes"), apply --yes (exit 0: every device "applied"), plan (exit 0:
#     every device "unchanged") and audit (exit 0: every device "no drift"),
#     each command before its output, in that order
#   - start, then aclforge through `scripts/lab exec`: plan exit 1, apply,
#     audit exit 0; a rule added by hand on the Linux host (OpenSSH client,
#     nft): audit exit 1 naming that host only; stop
#   - a start that fails at its last step (aclforge check refuses) stops
#     everything it had started and exits 2
#   - a demo whose plan exits 0 where 1 is expected fails (exit 1, naming
#     the command and both codes) and stops the lab
#   - after each: no process of the lab (its directory in the command line:
#     aclforge-emu, sshd), no process in its namespaces, no namespace, no
#     directory; the emulators (ASan builds under ctest) wrote nothing to
#     stderr (scripts/lab stop fails otherwise)
# Root only (the Linux host); exit 77 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root for the lab's Linux host (network namespaces, sshd)"
LAB=$here/../../scripts/lab
BIN=${ACLF_BIN:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || fail "no aclforge binary at '${BIN}' (ACLF_BIN)"
[ -n "${ACLF_EMU:-}" ] && [ -x "$ACLF_EMU" ] || fail "no aclforge-emu at '${ACLF_EMU:-}' (ACLF_EMU)"
for t in ip nsenter unshare nft ssh ssh-keygen ss; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done
[ -x /usr/sbin/sshd ] || skip "needs /usr/sbin/sshd (openssh-server)"

# not under /tmp: the lab's Linux host gets a /tmp of its own
T=$(mktemp -d /var/tmp/aclf-demolab.XXXXXX) || fail "mktemp"
cleanup() {
	local d
	for d in "$T"/lab-*; do
		[ -f "$d/lab.env" ] && ACLF_LAB_DIR=$d "$LAB" stop >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT

# namespaces OUT: the lab's namespaces, as its start line names them
namespaces() {
	sed -n 's/.*(sshd in network namespace \([^)]*\)); aclforge runs in \(.*\)$/\1 \2/p' "$1"
}

# nothing_left DIR NS...: no process names DIR, no namespace NS, no DIR
nothing_left() {
	local dir=$1 ns p
	shift
	[ ! -e "$dir" ] || fail "$dir is still there: $(ls -A "$dir" | head)"
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$dir/"; then
			fail "a process of the lab is left: ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline")"
		fi
	done
	for ns in "$@"; do
		[ ! -e "/run/netns/$ns" ] || fail "network namespace $ns is left"
		! ip netns list | grep -qw -- "$ns" || fail "network namespace $ns is listed"
	done
	return 0
}

# section N FILE: the Nth command of the demo's output, from its "$ aclforge"
# line to its "(exit N)" line
section() {
	awk -v n="$1" '/^\$ aclforge / { k++ } k == n { print } k == n && /^\(exit / { exit }' "$2"
}
# in_order FILE LINES...: each line present, in this order (fixed strings,
# a line's start)
in_order() {
	/usr/bin/python3 - "$@" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
pos = 0
for want in sys.argv[2:]:
    while pos < len(lines) and not lines[pos].startswith(want):
        pos += 1
    if pos == len(lines):
        print("FAIL: not found (in this order): " + want)
        sys.exit(1)
    pos += 1
PY
}

# ---- the demo, as scripts/demo runs it ----
D=$T/lab-demo
ACLF_LAB_DIR=$D "$LAB" demo >"$T/demo.out" 2>&1
RC=$?
echo "== scripts/lab demo (exit $RC)"
grep -v '^    \|^  [-+]\|^  lb ' "$T/demo.out" | cut -c1-200 | sed 's/^/   /'
[ "$RC" -eq 0 ] || fail "scripts/lab demo: exit $RC: $(tail -5 "$T/demo.out")"
read -r HNS LNS < <(namespaces "$T/demo.out")
[ -n "${LNS:-}" ] || fail "no namespaces named in the demo's output: the Linux host left out?"
in_order "$T/demo.out" '$ aclforge plan lab.yaml' '(exit 1)' '$ aclforge apply lab.yaml --yes' '(exit 0)' \
	'$ aclforge plan lab.yaml' '(exit 0)' '$ aclforge audit lab.yaml' '(exit 0)' \
	'lab: stopped: every emulator, sshd and namespace of the lab is gone' || fail "the demo's steps"
section 1 "$T/demo.out" >"$T/s1"
section 2 "$T/demo.out" >"$T/s2"
section 3 "$T/demo.out" >"$T/s3"
section 4 "$T/demo.out" >"$T/s4"
in_order "$T/s1" 'sw1: changes' 'fw1: changes' 'lb1: changes' 'rp1: changes' 'plan: 4 devices, 4 changes' '(exit 1)' ||
	fail "first plan"
grep -q '^    ip access-list extended LYNC-SERVERS' "$T/s1" || fail "the plan does not show the IOS commands"
grep -q '^    		ip saddr { 127.0.0.1, 198.18.40.2 } ip daddr 198.18.40.1 tcp dport 22' "$T/s1" ||
	fail "the plan does not show rp1's management rule"
in_order "$T/s2" 'sw1: applied (' 'fw1: applied (' 'lb1: applied (' 'rp1: applied (' 'apply: 4 devices, 4 applied' '(exit 0)' ||
	fail "apply"
in_order "$T/s3" 'sw1: unchanged' 'fw1: unchanged' 'lb1: unchanged' 'rp1: unchanged' 'plan: 4 devices, 4 unchanged' '(exit 0)' ||
	fail "second plan"
# the lab's BIG-IP names no TLS profiles: every command says first that the
# HTTPS web services balance per connection (compile warnings, stderr)
for s in s1 s2 s3 s4; do
	grep -q '^lab.yaml:[0-9]*:[0-9]*: warning: pool fe-lab on lb1: the HTTPS web services' "$T/$s" ||
		fail "no balancing warning in section $s: $(head -3 "$T/$s")"
done
[ "$(grep -vc ': warning: ' "$T/s3")" -eq 7 ] || fail "the second plan prints more than the outcomes: $(cat "$T/s3")"
in_order "$T/s4" 'sw1: no drift' 'fw1: no drift' 'lb1: no drift' 'rp1: no drift' 'audit: 4 devices, 4 no drift' '(exit 0)' ||
	fail "audit"
nothing_left "$D" "$HNS" "$LNS"
echo "   nothing left: no process names $D, no namespace $HNS or $LNS"

# ---- a reader's lab: start, aclforge through exec, stop ----
D=$T/lab-reader
export ACLF_LAB_DIR=$D
OUT=$("$LAB" start 2>&1) || fail "scripts/lab start: $OUT"
printf '%s\n' "$OUT" >"$T/start.out"
echo "== scripts/lab start"
sed 's/^/   /' "$T/start.out"
read -r HNS LNS < <(namespaces "$T/start.out")
[ -n "${LNS:-}" ] || fail "no namespaces named by start"
grep -qF "lab: topology $D/lab.yaml" "$T/start.out" || fail "start does not name the topology"
# run WANT ARGS...: aclforge in the lab
run() {
	local want=$1 rc
	shift
	OUT=$("$LAB" exec "$BIN" "$@" 2>&1)
	rc=$?
	echo "== aclforge $* (exit $rc)"
	printf '%s\n' "$OUT" | grep -v '^    \|^  [-+]\|^  lb ' | cut -c1-200 | head -20 | sed 's/^/   /'
	[ "$rc" -eq "$want" ] || fail "aclforge $*: exit $rc, expected $want"
}
has() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output lacks: $1"; }
lacks() { ! printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "output has: $1"; }
run 1 plan "$D/lab.yaml"
has "plan: 4 devices, 4 changes"
run 0 apply "$D/lab.yaml" --yes
has "apply: 4 devices, 4 applied"
run 0 audit "$D/lab.yaml"
has "audit: 4 devices, 4 no drift"
# a rule added by hand on the Linux host: audit names that host only
"$LAB" exec ssh -i "$D/id_ed25519" -o UserKnownHostsFile="$D/known_hosts" -o StrictHostKeyChecking=yes \
	-o BatchMode=yes root@198.18.40.1 'nft add rule inet aclforge input tcp dport 9999 accept' \
	>"$T/ssh.out" 2>&1 || fail "nft by hand: $(cat "$T/ssh.out")"
run 1 audit "$D/lab.yaml"
has "rp1: drift"
has "9999"
has "sw1: no drift"
has "fw1: no drift"
has "lb1: no drift"
lacks "sw1: drift"
OUT=$("$LAB" stop 2>&1) || fail "scripts/lab stop: $OUT"
[ "$OUT" = "lab: stopped" ] || fail "stop said: $OUT"
nothing_left "$D" "$HNS" "$LNS"
echo "== scripts/lab stop: nothing left"

# ---- a start that fails at its last step stops what it started ----
D=$T/lab-failed
export ACLF_LAB_DIR=$D
cat >"$T/aclforge-refuses-check" <<EOF
#!/bin/sh
[ "\$1" = check ] && { echo "refused for the test" >&2; exit 2; }
exec "$BIN" "\$@"
EOF
chmod 755 "$T/aclforge-refuses-check"
ip netns list | awk '/^aclf-lab-/ { print $1 }' | sort >"$T/ns.before"
OUT=$(ACLF_BIN=$T/aclforge-refuses-check "$LAB" start 2>&1)
RC=$?
echo "== scripts/lab start, aclforge check refuses (exit $RC)"
printf '%s\n' "$OUT" | sed 's/^/   /'
[ "$RC" -eq 2 ] || fail "start: exit $RC, expected 2"
has "aclforge check: refused for the test"
ip netns list | awk '/^aclf-lab-/ { print $1 }' | sort >"$T/ns.after"
new=$(comm -13 "$T/ns.before" "$T/ns.after")
[ -z "$new" ] || fail "network namespaces left: $new"
nothing_left "$D"

# ---- a demo whose first step exits other than expected ----
D=$T/lab-wrong
export ACLF_LAB_DIR=$D
cat >"$T/aclforge-plan-0" <<EOF
#!/bin/sh
[ "\$1" = plan ] && { echo "plan: nothing, for the test"; exit 0; }
exec "$BIN" "\$@"
EOF
chmod 755 "$T/aclforge-plan-0"
ACLF_BIN=$T/aclforge-plan-0 "$LAB" demo >"$T/wrong.out" 2>&1
RC=$?
echo "== scripts/lab demo, plan exits 0 (exit $RC)"
sed 's/^/   /' "$T/wrong.out"
[ "$RC" -eq 1 ] || fail "demo: exit $RC, expected 1"
grep -qF "lab: 'aclforge plan lab.yaml' exited 0, expected 1" "$T/wrong.out" || fail "the demo does not name the step"
grep -qF "lab: demo failed; the lab is stopped" "$T/wrong.out" || fail "the demo does not say it failed"
grep -q '^\$ aclforge apply' "$T/wrong.out" && fail "the demo went on after a wrong exit code"
read -r HNS LNS < <(namespaces "$T/wrong.out")
[ -n "${LNS:-}" ] || fail "no namespaces named by the demo"
nothing_left "$D" "$HNS" "$LNS"
echo "== all passed"
