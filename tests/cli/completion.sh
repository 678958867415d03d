#!/usr/bin/env bash
# Bash completion (scripts/completion/aclforge.bash), driven as bash does:
# COMP_WORDS/COMP_CWORD set, the function registered by `complete -F` called.
# Commands and each command's options must match what `aclforge --help` and
# `aclforge <command> --help` print; values of --format/--driver/--proto;
# --device completes the device names of the topology on the command line,
# checked against the devices the compiler itself finds in both examples.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# shellcheck source=../../scripts/completion/aclforge.bash
source "$SRC/scripts/completion/aclforge.bash" || fail "cannot source the completion script"
spec=$(complete -p aclforge 2>/dev/null) || fail "no completion registered for aclforge"
fn=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
[ -n "$fn" ] || fail "completion spec without a function: $spec"

# comp WORD... : completions (sorted, one a line) with the cursor at the end
# of the word marked with a leading '^' (default: the last word); bash splits
# '--opt=value' at '=' into three words.
comp() {
	local i
	COMP_WORDS=(aclforge "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	for i in "${!COMP_WORDS[@]}"; do
		if [[ ${COMP_WORDS[i]} == ^* ]]; then
			COMP_WORDS[i]=${COMP_WORDS[i]#^}
			COMP_CWORD=$i
		fi
	done
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" aclforge "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u
}
expect() { # expect "WANTED (space separated)" WORD...
	local want got
	want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u)
	shift
	got=$(comp "$@")
	[ "$got" = "$want" ] || fail "aclforge $* <TAB>: got [$(echo $got)], want [$(echo $want)]"
}

# commands: those of aclforge --help
cmds=$("$B" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ "$(wc -w <<<"$cmds")" -ge 6 ] || fail "aclforge --help lists too few commands: $cmds"
expect "$cmds --help --version" ""
expect "compile catalog check counters" c
expect "--help" --h

# each command's options: the long options of its --help
for c in $cmds; do
	"$B" "$c" --help >"$T/help" || fail "$c --help"
	opts=$(grep -E '^ +-' "$T/help" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ] || fail "$c --help prints no options"
	expect "$opts" "$c" -
	expect "$opts" "$c" --
done

# option values
expect "text json" compile --format ""
expect "json" compile --format j
expect "text json" diff x.yaml -f ""
expect "json" catalog --format = j
expect "text json" catalog --format =
expect "ios junos bigip nftables" parse --driver ""
expect "nftables" parse -D n
expect "tcp udp icmp" explain x.yaml --proto ""
expect "" explain x.yaml --src ""

# --device: the devices of the topology, wherever it is on the line
for ex in small two-site; do
	topo=$SRC/inventory/examples/$ex.yaml
	"$B" compile "$topo" >"$T/pol.txt" 2>/dev/null || fail "compile $ex"
	"$B" compile --format json "$topo" 2>/dev/null |
		/usr/bin/python3 -c 'import json,sys; print(" ".join(d["name"] for d in json.load(sys.stdin)["devices"]))' \
			>"$T/devs" || fail "compile --format json $ex"
	devs=$(cat "$T/devs")
	[ "$(wc -w <<<"$devs")" -ge 4 ] || fail "$ex: too few devices: $devs"
	expect "$devs" compile "$topo" --device ""
	expect "$devs" render --device ^ "$topo"
	expect "$devs" diff --max 3 "$topo" -d ""
	expect "$devs" diff --max 3 -d ^ --live x.txt -- "$topo"
	expect "$devs" diff "$topo" --live x.txt --device = ""
	first=$(awk '{print $1}' "$T/devs")
	expect "$first" compile --format json "$topo" --device "$first"
	# explain's -d is --dst: no device names there
	expect "" explain "$topo" -d ""
done
expect "" compile "$T/missing.yaml" --device ""

# files: topologies for compile, anything for parse, directories for --out
mkdir -p "$T/w/sub"
: >"$T/w/site.yaml"; : >"$T/w/other.yml"; : >"$T/w/notes.txt"
expect "$T/w/other.yml $T/w/site.yaml $T/w/sub" compile "$T/w/"
expect "$T/w/notes.txt $T/w/other.yml $T/w/site.yaml $T/w/sub" parse -D ios "$T/w/"
expect "$T/w/sub" render --out "$T/w/"

# catalog names next to the binary being completed (<prefix>/share/aclforge/catalogs)
mkdir -p "$T/p/bin" "$T/p/share/aclforge/catalogs"
: >"$T/p/share/aclforge/catalogs/lync2013-internal.yaml"
: >"$T/p/bin/aclforge"
got=$(cd "$T" && COMP_WORDS=(p/bin/aclforge catalog lync) COMP_CWORD=2 && COMPREPLY=() &&
	"$fn" p/bin/aclforge lync catalog && printf '%s\n' "${COMPREPLY[@]}")
[ "$got" = lync2013-internal ] || fail "catalog names: got [$got]"
echo "completion: ok"
