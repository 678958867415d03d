#!/usr/bin/env bash
# The manual page aclforge(1) (scripts/man/aclforge.1.in, as configured into
# the build directory) cannot drift from the program: every command of
# `aclforge --help` has its own subsection, and in it every option of
# `aclforge <command> --help` is described (short and long form), and no
# option is described that the command does not print. The page must also
# render without a warning (man --warnings, as lintian checks, or groff -ww)
# and document the exit codes, the environment and the installed files.
set -uo pipefail
B=${ACLF_BIN:?}
BIN=${ACLF_BINDIR:?}
PAGE=$BIN/man/aclforge.1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -s "$PAGE" ] || fail "no manual page at $PAGE (CMake configures it from scripts/man/aclforge.1.in)"
[ -s "$BIN/man-gz/aclforge.1.gz" ] || fail "no gzipped page at $BIN/man-gz/aclforge.1.gz"
cmp -s "$PAGE" <(gzip -dc "$BIN/man-gz/aclforge.1.gz") || fail "man-gz/aclforge.1.gz is not the configured page"
! grep -n '@[A-Z_]*@' "$PAGE" || fail "unsubstituted @NAME@ in the page"

# rendering: no warnings from the formatter
if command -v man >/dev/null && command -v groff >/dev/null; then
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$PAGE" \
		>/dev/null 2>"$T/warn" || fail "man -l failed: $(cat "$T/warn")"
elif command -v groff >/dev/null; then
	groff -man -ww -z -Tutf8 "$PAGE" 2>"$T/warn" || fail "groff failed: $(cat "$T/warn")"
else
	fail "neither man nor groff: install groff-base and man-db (scripts/setup)"
fi
[ ! -s "$T/warn" ] || fail "the page renders with warnings: $(cat "$T/warn")"
LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$PAGE" >"$T/text" 2>/dev/null || fail "groff -man -Tutf8"
grep -q 'EXIT STATUS' "$T/text" || fail "rendered page has no EXIT STATUS"

# the page's source as plain text: font macros joined as roff joins them
# (.BR a b -> ab, .B a b -> a b), escapes and font changes removed
/usr/bin/python3 - "$PAGE" >"$T/plain" <<'PY' || fail "cannot read $PAGE"
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    m = re.match(r"^\.(B|I|BR|RB|IR|RI|IB|BI)(?: (.*))?$", line)
    if m:
        args = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', m.group(2) or "")]
        line = (" " if m.group(1) in ("B", "I") else "").join(args)
    line = re.sub(r"\\f[BIRP]", "", line)
    line = line.replace("\\-", "-").replace("\\(em", "--").replace("\\&", "").replace("\\e", "\\")
    print(line)
PY

# section ".SS CMD" up to the next .SS/.SH
section() { awk -v c="$1" '/^\.S[SH] / {on = ($1 == ".SS" && $2 == c); next} on' "$T/plain"; }
# the SYNOPSIS lines of one command: from "aclforge CMD" to the next .br
synopsis() {
	awk -v c="$1" '/^\.SH/ {on = ($0 ~ /SYNOPSIS/); next}
		on && /^\.br/ {cur = 0; next}
		on && $1 == "aclforge" && $2 == c {cur = 1}
		on && cur' "$T/plain"
}
# the option lines of a section: the line after each .TP
tp_lines() { awk '/^\.TP/ {getline; print}' ; }

cmds=$("$B" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ "$(wc -w <<<"$cmds")" -ge 6 ] || fail "aclforge --help lists too few commands: $cmds"
for c in $cmds; do
	section "$c" >"$T/sec.$c"
	[ -s "$T/sec.$c" ] || fail "command '$c' (aclforge --help) has no '.SS $c' in the page"
	grep -q "^aclforge $c\b" "$T/sec.$c" || fail "'.SS $c' does not start with its synopsis"
	"$B" "$c" --help >"$T/help.$c" || fail "aclforge $c --help"
	tp_lines <"$T/sec.$c" >"$T/tp.$c"
	# each option line of the help, '-x, --long ARG': the same pair in the page
	grep -E '^ +-' "$T/help.$c" | sed -E 's/^ +//; s/ {2,}.*//' | while read -r line; do
		long=$(grep -oE -- '--[a-z][a-z-]*' <<<"$line" | head -1)
		short=$(grep -oE -- '^-[A-Za-z]\b' <<<"$line")
		[ -n "$long" ] || continue
		grep -qE -- "(^|[ ,])$long( |,|$)" "$T/tp.$c" ||
			fail "aclforge $c: option $long (from --help) is not described in the page"
		if [ -n "$short" ]; then
			grep -qE -- "^$short, $long( |$)" "$T/tp.$c" ||
				fail "aclforge $c: the page does not give $short as the short form of $long"
		fi
	done || exit 1
	# and nothing the command does not have
	for long in $(grep -oE -- '--[a-z][a-z-]*' "$T/tp.$c" | sort -u); do
		grep -qE -- "$long([^a-z-]|$)" "$T/help.$c" || fail "aclforge $c: the page describes $long, which --help does not print"
	done
	# the SYNOPSIS line of the command names every option but --help
	synopsis "$c" >"$T/syn.$c"
	[ -s "$T/syn.$c" ] || fail "SYNOPSIS lacks aclforge $c"
	for long in $(grep -E '^ +-' "$T/help.$c" | grep -oE -- '--[a-z][a-z-]*' | grep -vx -- '--help' | sort -u); do
		grep -qE -- "$long([^a-z-]|$)" "$T/syn.$c" || fail "SYNOPSIS of aclforge $c lacks $long"
	done
done
# the page has no command aclforge does not know
for c in $(grep -E '^\.SS [a-z]+$' "$T/plain" | awk '{print $2}'); do
	grep -qw "$c" <<<"$cmds" || fail "the page describes a command '$c' that aclforge --help does not list"
done

# global options, exit codes, environment, files
grep -q -- '--version' "$T/plain" || fail "--version is not in the page"
exits=$(awk '/^\.SH EXIT STATUS/ {on = 1; next} /^\.SH/ {on = 0} on && /^\.TP/ {getline; print $NF}' "$T/plain" | tr '\n' ' ')
[ "$exits" = "0 1 2 3 " ] || fail "EXIT STATUS lists [$exits], want 0 1 2 3"
"$B" --help | grep -q 'exit codes: 0 ok, 1 drift' || fail "aclforge --help no longer prints the exit codes the page describes"
awk '/^\.SH ENVIRONMENT/ {on = 1; next} /^\.SH/ {on = 0} on' "$T/plain" | grep -q ACLFORGE_CATALOG_DIR ||
	fail "ENVIRONMENT does not describe ACLFORGE_CATALOG_DIR"
awk '/^\.SH FILES/ {on = 1; next} /^\.SH/ {on = 0} on' "$T/plain" >"$T/files"
grep -q 'share/aclforge/catalogs/lync2013-internal.yaml' "$T/files" || fail "FILES lacks the catalog"
grep -q 'share/aclforge/examples/' "$T/files" || fail "FILES lacks the examples"
echo "manpage: ok"
