#!/usr/bin/env bash
# README.md's "A tour" runs as written, and the output it shows is what the
# commands print.
#
# What is read: the first ```sh fenced block under the "## A tour" heading
# (before the next "## " heading). In that block:
#   - every non-empty line that does not start with '#' is one command, run by
#     bash as written (a trailing "# comment" is bash's own comment); a command
#     is one line: no trailing '\' continuations;
#   - a command whose comment starts with "exit N" ("# exit 1: drift") must
#     exit with N; every other command must exit 0;
#   - lines starting with "#   " ('#' and three spaces) are sample output of the
#     command above them: with those four characters removed, each must be a
#     whole line of what that command prints (standard output and standard
#     error together), in the order shown;
#   - other lines starting with '#' are comments.
# The first command must set the binary, "B=./build/aclforge...": the test
# puts $ACLF_BIN there instead, and no other command may name build/aclforge.
#
# The commands run in order in one bash, from a copy of the source tree (no
# .git, no build directories) in a temporary directory, with an empty build/
# as a fresh clone has after ./scripts/demo. The first command that exits
# other than stated stops the run.
set -uo pipefail
SRC=${ACLF_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${ACLF_BIN:?ACLF_BIN: the aclforge binary to run the tour with}
case $BIN in /*) ;; *) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
[ -x "$BIN" ] || { echo "FAIL: no executable $BIN" >&2; exit 1; }
README=$SRC/README.md
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -f "$README" ] || fail "no $README"

# The tour block, each line prefixed with its README line number and a tab.
# Headings are only recognised outside fenced blocks.
awk '
  BEGIN { st = 0 }   # 0 before the section, 1 in it, 2 in its sh block, 3 done
  /^```/ {
    if (st == 1 && $0 ~ /^```sh[ \t]*$/) { st = 2; next }
    if (st == 2) { st = 3; exit }
    fence = !fence; next
  }
  st == 2 && /^## / { print "the tour block is not closed before \"" $0 "\"" > "/dev/stderr"; st = 4; exit 3 }
  st == 2 { printf "%d\t%s\n", NR, $0; next }
  !fence && /^## / {
    if (st == 1) exit
    if ($0 ~ /^## A tour[ \t]*$/) st = 1
  }
  END {
    if (st == 0) { print "no \"## A tour\" heading" > "/dev/stderr"; exit 3 }
    if (st == 1) { print "no ```sh block under \"## A tour\"" > "/dev/stderr"; exit 3 }
    if (st == 2) { print "the tour block is not closed" > "/dev/stderr"; exit 3 }
  }
' "$README" >"$T/tour" || fail "README.md: no tour to run (see above)"

# Split into commands, expected exit codes and sample output.
n=0
declare -a cmd expect where
while IFS=$'\t' read -r lineno line; do
  [[ -z ${line//[[:space:]]/} ]] && continue
  if [[ $line == '#   '* ]]; then
    ((n > 0)) || fail "README.md:$lineno: sample output before any command"
    printf '%s\n' "${line:4}" >>"$T/sample.$n"
    continue
  fi
  [[ $line == '#'* ]] && continue
  n=$((n + 1))
  [[ $line == *\\ ]] && fail "README.md:$lineno: a tour command must fit on one line"
  cmd[n]=$line
  where[n]=$lineno
  expect[n]=0
  if [[ $line =~ [[:space:]]#[[:space:]]*exit[[:space:]]+([0-9]+)([^0-9]|$) ]]; then
    expect[n]=${BASH_REMATCH[1]}
  fi
done <"$T/tour"
((n > 0)) || fail "README.md: the tour has no commands"

first='B=./build/aclforge'
[[ ${cmd[1]} == "$first" || ${cmd[1]} == "$first"[\;[:space:]]* ]] ||
  fail "README.md:${where[1]}: the tour must start with '$first' (found: ${cmd[1]})"
cmd[1]="B=$(printf '%q' "$BIN")${cmd[1]#"$first"}"
for ((i = 2; i <= n; i++)); do
  [[ ${cmd[i]} == *build/aclforge* ]] &&
    fail "README.md:${where[i]}: use \$B, not build/aclforge: ${cmd[i]}"
done

# A copy of the source tree, as after ./scripts/demo (build/ exists).
mkdir -p "$T/src"
excl=(--exclude=./.git --exclude=./build --exclude='./build-*')
BINDIR=${ACLF_BINDIR:-}
if [ -n "$BINDIR" ]; then
  rel=$(realpath -m --relative-to="$SRC" "$BINDIR")
  case $rel in ..*) ;; *) excl+=(--exclude="./$rel") ;; esac
fi
tar -C "$SRC" "${excl[@]}" -cf - . | tar -C "$T/src" -xf - || fail "copying $SRC"
mkdir -p "$T/src/build"

# The script: each command as written, its output and exit status kept.
{
  printf 'cd %q || exit 99\n' "$T/src"
  for ((i = 1; i <= n; i++)); do
    printf '{ %s\n} >%q 2>&1 </dev/null\n' "${cmd[i]}" "$T/out.$i"
    printf '__tour_rc=$?; echo "$__tour_rc" >%q; [ "$__tour_rc" -eq %d ] || exit 0\n' \
      "$T/rc.$i" "${expect[i]}"
  done
} >"$T/tour.sh"
bash -n "$T/tour.sh" || fail "README.md: the tour is not valid bash"
bash "$T/tour.sh"

for ((i = 1; i <= n; i++)); do
  [ -f "$T/rc.$i" ] || fail "README.md:${where[i]}: not run"
  rc=$(cat "$T/rc.$i")
  if [ "$rc" != "${expect[i]}" ]; then
    echo "--- output (last 20 lines):" >&2
    tail -n 20 "$T/out.$i" >&2
    fail "README.md:${where[i]}: exit $rc, the README says ${expect[i]}: ${cmd[i]}"
  fi
  [ -f "$T/sample.$i" ] || continue
  mapfile -t out <"$T/out.$i"
  pos=0
  while IFS= read -r want; do
    while ((pos < ${#out[@]})) && [[ ${out[pos]} != "$want" ]]; do pos=$((pos + 1)); done
    if ((pos == ${#out[@]})); then
      echo "--- output (first 40 lines):" >&2
      head -n 40 "$T/out.$i" >&2
      fail "README.md:${where[i]}: shown output not printed (or not in this order): '$want'"
    fi
    pos=$((pos + 1))
  done <"$T/sample.$i"
done
echo "readme_tour: ok ($n commands)"
