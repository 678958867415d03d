#!/usr/bin/env bash
# Every Markdown file the repository's documents and sources point at is in
# the repository: a bare name (README.md) somewhere in it, a path relative
# to the root or to the file that names it. Paths under shared/ name the
# team's workspace outside the repository and say so.
set -uo pipefail
SRC=${ACLF_SRCDIR:?}
cd "$SRC" || exit 1
fail=0
files=$(find . \( -name .git -o -name 'build' -o -name 'build-*' -o -name 'corpus-*' \) -prune -o \
	-type f \( -name '*.md' -o -name '*.c' -o -name '*.h' -o -name '*.yaml' \) -print)
all=$(printf '%s\n' $files | sed 's|^\./||')
for f in $files; do
	for ref in $(grep -oE '[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b' "$f" | sort -u); do
		ref=${ref#./}
		case $ref in
		shared/*) continue ;;
		*/*) [ -f "$ref" ] || [ -f "$(dirname "$f")/$ref" ] && continue ;;
		*) grep -q "\(^\|/\)$ref\$" <<<"$all" && continue ;;
		esac
		echo "FAIL: ${f#./} points at $ref, which is not in the repository"
		fail=1
	done
done
[ $fail -eq 0 ] && echo "doc_refs: ok"
exit $fail
