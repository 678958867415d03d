#!/usr/bin/env bash
# Record what aclforge prints for the bundled examples (catalog, compile,
# render, parse, diff, explain; stdout, stderr and exit code of each) into
# OUTDIR, one file per command. Two snapshots taken before and after a
# change that must not alter behaviour are compared with `diff -r`.
#   tests/tools/output_snapshot.sh BIN OUTDIR
set -uo pipefail
BIN=$1 OUT=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/fixtures
mkdir -p "$OUT"
n=0
run() { # run NAME ARGS...: stdout, stderr and exit code of one command
	local name=$1; shift
	n=$((n + 1))
	(cd "$ROOT" && "$BIN" "$@") >"$OUT/$name.out" 2>"$OUT/$name.err"
	echo $? >"$OUT/$name.rc"
}
run catalog catalog
run catalog-json catalog --format json
for ex in small two-site; do
	EX=inventory/examples/$ex.yaml
	run "$ex-compile" compile "$EX"
	run "$ex-compile-json" compile "$EX" --format json
	run "$ex-render" render "$EX"
	rm -rf "$OUT/$ex-configs"
	run "$ex-render-out" render "$EX" --out "$OUT/$ex-configs"
	sed -i "s#$OUT#OUT#g" "$OUT/$ex-render-out.err"
	devices=$(cd "$ROOT" && "$BIN" compile "$EX" --format json 2>/dev/null |
		/usr/bin/python3 -c 'import json,sys; [print(d["name"], d["driver"]) for d in json.load(sys.stdin)["devices"]]')
	while read -r dev drv; do
		[ -n "$dev" ] || continue
		run "$ex-$dev-compile-json" compile "$EX" --device "$dev" --format json
		run "$ex-$dev-render" render "$EX" --device "$dev"
		cp "$OUT/$ex-$dev-render.out" "$OUT/$ex-$dev.cfg"
		run "$ex-$dev-diff-json-self" diff "$EX" --device "$dev" --live "$OUT/$ex-$dev-compile-json.out"
		if [ "$drv" != nftables ]; then
			run "$ex-$dev-parse" parse --driver "$drv" --name "$dev" "$OUT/$ex-$dev.cfg"
			run "$ex-$dev-parse-text" parse --driver "$drv" --name "$dev" --format text "$OUT/$ex-$dev.cfg"
			run "$ex-$dev-diff" diff "$EX" --device "$dev" --live "$OUT/$ex-$dev.cfg"
			# a drifted copy: the last permit line changed or a line dropped
			sed '0,/permit\|accept\|pool /{//d}' "$OUT/$ex-$dev.cfg" >"$OUT/$ex-$dev.drift"
			run "$ex-$dev-diff-drift" diff "$EX" --device "$dev" --live "$OUT/$ex-$dev.drift"
			run "$ex-$dev-diff-drift-json" diff "$EX" --device "$dev" --live "$OUT/$ex-$dev.drift" --format json
			run "$ex-$dev-diff-drift-max1" diff "$EX" --device "$dev" --live "$OUT/$ex-$dev.drift" --max 1
		fi
	done <<<"$devices"
	run "$ex-explain-5061" explain "$EX" --src 10.20.1.50 --dst 10.1.1.11 --proto tcp --port 5061
	run "$ex-explain-5067" explain "$EX" --src 10.40.0.10 --dst 10.1.3.11 --proto tcp --port 5067
	run "$ex-explain-json" explain "$EX" --src 10.20.1.50 --dst 10.1.1.10 --proto tcp --port 443 --format json
	run "$ex-explain-est" explain "$EX" --src 10.1.1.11 --dst 10.20.1.50 --proto tcp --port 50000 --sport 5061 --established
done
for f in "$FIX"/nftables/*.json; do
	[ -e "$f" ] || continue
	b=$(basename "$f" .json)
	run "nft-parse-$b" parse --driver nftables --name "$b" "$f"
done
for drv in ios junos bigip; do
	for f in "$FIX/$drv"/*; do
		case $f in *.md|*/LICENSE*|*.expected) continue ;; esac
		[ -f "$f" ] || continue
		b=$(basename "$f")
		run "$drv-parse-$b" parse --driver "$drv" --name "$b" "$f"
	done
done
sed -i "s#$OUT#OUT#g" "$OUT"/*.err
echo "output_snapshot: $n commands recorded in $OUT" >&2
