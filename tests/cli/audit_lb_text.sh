#!/usr/bin/env bash
# audit's text output names every lb service as the JSON report does
# (saved configurations: --live-dir, counters absent). The example's hosts
# are moved to 127.x first, so that a mistake could reach nothing but
# loopback.
#   - the rendered BIG-IP file read back: each intended service "in place"
#     (lines with --verbose only), the counts line, no extra service;
#   - the saved file edited: a pool member dropped (missing, the member
#     named), a virtual server removed (missing), one with a source
#     restriction (cannot judge, its text), one nothing intends (extra):
#     those lines without --verbose, all of them with it; each line's
#     verdict and why are the JSON's lb_services entry's; exit 1 (drift);
#   - a device without lb services prints no lb lines.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/testlib.bash"

sed 's/host: 10\./host: 127./' "$SRC/inventory/examples/small.yaml" >"$T/s.yaml"
grep -q 'host: 10\.' "$T/s.yaml" && fail "a 10.x host is left"
"$B" render --quiet --out "$T/saved" "$T/s.yaml" 2>/dev/null || fail "render --out"
"$B" compile --quiet --format json "$T/s.yaml" >"$T/policy.json" 2>/dev/null || fail "compile"

# text against JSON: every lb_services entry has its line (all of them with
# -v, those to act on without), with the same verdict, numbers and why
check() { # $1: json report, $2: text, $3: verbose (1/0)
	/usr/bin/python3 - "$1" "$2" "$3" "$T/policy.json" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().split("\n")
verbose = sys.argv[3] == "1"
pol = {d["name"]: d for d in json.load(open(sys.argv[4]))["devices"]}
for d in rep["devices"]:
    lb = d["lb_services"]
    intended = [s["name"] for s in pol[d["device"]].get("lb_services", [])]
    assert [s["service"] for s in lb if s["verdict"] != "extra"] == intended, (d["device"], lb[:2])
    # the device's block of the text: from its header to the next one
    start = next(i for i, l in enumerate(text) if l.startswith(d["device"] + ": "))
    end = next((i for i in range(start + 1, len(text)) if text[i] and not text[i].startswith(" ")),
               len(text))
    block = text[start + 1:end]
    # ours: "  lb NAME: VERDICT..." (the drift report's own lb lines start
    # "  lb VIP:PORT/PROTO")
    lines = [l for l in block if re.match(r"  lb [^ ]+: ", l)]
    want = []
    for s in lb:
        act = s["verdict"] in ("missing", "cannot judge", "in place, no hits", "extra")
        if not (verbose or act):
            continue
        l = "  lb %s: %s" % (s["service"], s["verdict"])
        if s["packets"] is not None:
            l += " (%d packets, %d connections)" % (s["packets"], s["connections"])
        if s["why"] is not None:
            l += ": " + s["why"]
        want.append(l)
    assert lines == want, (d["device"], lines[:3], want[:3])
    counts = {}
    for s in lb:
        if s["verdict"] != "extra":
            counts[s["verdict"]] = counts.get(s["verdict"], 0) + 1
    nx = sum(s["verdict"] == "extra" for s in lb)
    if lb:
        order = ["in place", "in place, used", "in place, no hits", "missing", "cannot judge"]
        n = len(lb) - nx
        c = "  %d lb service%s" % (n, "" if n == 1 else "s")
        c += ",".join(("" if i else ":") + " %d %s" % (counts[k], k)
                      for i, k in enumerate(k for k in order if k in counts))
        c += "; %d extra service%s" % (nx, "" if nx == 1 else "s")
        assert c in block, (c, block[-4:])
    else:
        assert not any("lb service" in l for l in block), block
print(sum(len(d["lb_services"]) for d in rep["devices"]))
PY
}

run() { # $1: rc wanted; rest: audit options
	local want=$1; shift
	"$B" audit "$T/s.yaml" --live-dir "$T/saved" "$@" --format json >"$T/out.json" 2>"$T/err"
	[ $? -eq "$want" ] || fail "json $*: exit code: $(cat "$T/err")"
	"$B" audit "$T/s.yaml" --live-dir "$T/saved" "$@" >"$T/out.txt" 2>"$T/err"
	[ $? -eq "$want" ] || fail "text $*: exit code: $(cat "$T/err")"
}

run 0 --device lb1 --device core1
n=$(check "$T/out.json" "$T/out.txt" 0) || fail "as rendered: $(cat "$T/out.txt")"
[ "$n" -gt 10 ] || fail "only $n lb services"
grep -qE '^  lb [^ ]+: ' "$T/out.txt" && fail "lines without --verbose: $(cat "$T/out.txt")"
grep -qx "  $n lb services: $n in place; 0 extra services" "$T/out.txt" || fail "counts: $(cat "$T/out.txt")"
run 0 --device lb1 --device core1 -v
check "$T/out.json" "$T/out.txt" 1 >/dev/null || fail "as rendered, verbose: $(cat "$T/out.txt")"
[ "$(grep -c '^  lb [^ ]*: in place$' "$T/out.txt")" -eq "$n" ] || fail "verbose lines: $(cat "$T/out.txt")"

# the edits
f=$T/saved/lb1.tmsh
grep -q '^create ltm pool aclf_fe-berlin-443_pool .* aclf_fe03:443 { address 10.1.1.13 }' "$f" ||
	fail "no fe03:443 member in lb1.tmsh"
sed -i '/^create ltm pool aclf_fe-berlin-443_pool /s/ aclf_fe03:443 { address 10.1.1.13 }//' "$f"
grep -q '^create ltm virtual aclf_fe-berlin-5072_vs ' "$f" || fail "no 5072 virtual"
sed -i '/^create ltm virtual aclf_fe-berlin-5072_vs /d' "$f"
sed -i 's#^create ltm virtual aclf_fe-berlin-5075_vs { \(.*\) }$#create ltm virtual aclf_fe-berlin-5075_vs { \1 source 10.9.0.0/16 }#' "$f"
grep -q 'source 10.9.0.0/16' "$f" || fail "no source restriction written"
grep '^create ltm virtual aclf_fe-berlin-5073_vs ' "$f" |
	sed 's/aclf_fe-berlin-5073_vs/aclf_old-9999_vs/; s/name=fe-berlin-5073/name=old-9999/; s/:5073 /:9999 /' >>"$f"
grep -q 'aclf_old-9999_vs.*:9999 ' "$f" || fail "no extra virtual written"

run 1 --device lb1 --device core1
check "$T/out.json" "$T/out.txt" 0 >/dev/null || fail "edited: $(cat "$T/out.txt")"
grep -qx '  lb fe-berlin-443: missing: members: only intended 10.1.1.13:443; only live none' "$T/out.txt" ||
	fail "member line: $(grep '^  lb' "$T/out.txt")"
grep -qx '  lb fe-berlin-5072: missing: the device has no such service' "$T/out.txt" ||
	fail "removed line: $(grep '^  lb' "$T/out.txt")"
grep -q "^  lb fe-berlin-5075: cannot judge: the device's service is opaque (.*source 10.9.0.0/16" "$T/out.txt" ||
	fail "opaque line: $(grep '^  lb' "$T/out.txt")"
grep -qx '  lb old-9999: extra: a service on the device nothing intends' "$T/out.txt" ||
	fail "extra line: $(grep '^  lb' "$T/out.txt")"
[ "$(grep -cE '^  lb [^ ]+: ' "$T/out.txt")" -eq 4 ] || fail "lines: $(grep '^  lb' "$T/out.txt")"
grep -qx "  $n lb services: $((n - 3)) in place, 2 missing, 1 cannot judge; 1 extra service" "$T/out.txt" ||
	fail "counts: $(cat "$T/out.txt")"
run 1 --device lb1 -v
check "$T/out.json" "$T/out.txt" 1 >/dev/null || fail "edited, verbose: $(cat "$T/out.txt")"
[ "$(grep -cE '^  lb [^ ]+: ' "$T/out.txt")" -eq $((n + 1)) ] || fail "verbose lines: $(cat "$T/out.txt")"
echo "ok: $n lb services, text as JSON"
