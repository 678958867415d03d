#!/usr/bin/env bash
# audit --html FILE, loaded in headless Chromium (Debian's chromium): the
# example rendered into saved configurations (hosts moved to 127.x first),
# one catalog rule's line removed from the IOS switch and one line added
# that nothing intends, then `audit --live-dir --format json --html` (one
# run: the JSON report is what the page is checked against). What Chromium
# renders (its DOM after loading, with the computed colour of every cell
# written in by a line of script added to a copy of the page) must show:
#   - one grid cell per (sender, receiver role + ports) of the catalog's
#     rows: every non-empty row of both catalogs in some cell, the cell count
#     and the count per state as the page's summary gives them;
#   - every cell whose rules include the removed rule: state "missing", the
#     missing colour of the legend, a colour no in-place cell has; cells of
#     devices outside the audit "not audited", cells without rules "not
#     enforced by any device";
#   - the switch's drift list: each example packet of the JSON report, the
#     count; the added line among its extra entries; the other devices
#     without drift;
#   - no address outside the page (no http:, https: or //), no script.
# Also: exit code 1 (the audit's), --html for another command or in a
# missing directory is a usage error, an unwritable path keeps no temp file.
set -uo pipefail
B=${ACLF_BIN:?}
SRC=${ACLF_SRCDIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/testlib.bash"
command -v chromium >/dev/null || skip "no chromium (scripts/setup installs it)"
# headless, and nothing of its own in the background (updates, metrics)
CHROMIUM_QUIET=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--disable-default-apps --disable-extensions --disable-breakpad --metrics-recording-only)

sed 's/host: 10\./host: 127./' "$SRC/inventory/examples/small.yaml" >"$T/s.yaml"
grep -q 'host: 10\.' "$T/s.yaml" && fail "a 10.x host is left"
"$B" render --quiet --out "$T/saved" "$T/s.yaml" 2>/dev/null || fail "render --out"
DEVS=(--device core1 --device fw1 --device lb1)

# the permit line of the first rule on the servers' ACL that serves a
# catalog row (its remark names the row), and one line nothing intends
f="$T/saved/core1.ios"
acl=$(grep -n "^ip access-list extended LYNC-SERVERS" "$f" | cut -d: -f1)
[ -n "$acl" ] || fail "no LYNC-SERVERS in core1.ios"
rem=$(awk -v a="$acl" 'NR > a && /^ remark r[0-9]+ server-/ { print NR; exit }' "$f")
[ -n "$rem" ] || fail "no catalog rule in LYNC-SERVERS"
sed -n "$((rem + 1))p" "$f" | grep -q "^ permit" || fail "no permit line after the remark"
sed -i "$((rem + 1))d" "$f"
sed -i "${acl}a\\ permit tcp host 198.18.0.66 any eq 2323" "$f"

"$B" audit "$T/s.yaml" --live-dir "$T/saved" "${DEVS[@]}" --format json --html "$T/page.html" \
	>"$T/report.json" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "exit $rc, expected 1 (drift): $(cat "$T/err")"
[ -s "$T/page.html" ] || fail "no page written"
ls "$T" | grep -q 'page.html.tmp' && fail "a temporary file is left"

# nothing outside the page, nothing that runs
grep -qiE 'https?:|//' "$T/page.html" && fail "an outside address: $(grep -oiE '.{20}(https?:|//).{20}' "$T/page.html" | head -3)"
grep -qi '<script' "$T/page.html" && fail "the page has a script"

# the catalogs' rows, independently of the page
"$B" catalog --format json lync2013-internal >"$T/cat1.json" || fail "catalog"
"$B" catalog --format json lync2013-extras >"$T/cat2.json" || fail "catalog extras"

# Chromium's rendering: the page plus one line that writes each cell's and
# each legend swatch's computed background into the DOM
sed 's|</body>|<script>for (const e of document.querySelectorAll("td.cell, span.legend")) e.dataset.bg = getComputedStyle(e).backgroundColor;</script></body>|' \
	"$T/page.html" >"$T/probe.html"
# Chromium in a network namespace of its own where one can be made (root):
# it reaches nothing, and the page needs nothing
NONET=()
unshare -n true 2>/dev/null && NONET=(unshare -n)
HOME="$T" timeout 120 "${NONET[@]}" chromium "${CHROMIUM_QUIET[@]}" --user-data-dir="$T/chr" \
	--dump-dom "file://$T/probe.html" >"$T/dom.html" 2>"$T/chromium.err" ||
	fail "chromium: $(tail -5 "$T/chromium.err")"
grep -q 'data-bg=' "$T/dom.html" || fail "chromium ran no script: $(head -c 300 "$T/dom.html")"

/usr/bin/python3 - "$T/dom.html" "$T/report.json" "$T/cat1.json" "$T/cat2.json" <<'PY' || fail "rendered page"
import json, sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    """Elements with their attributes and text, flat, in document order."""
    def __init__(self):
        super().__init__()
        self.els, self.stack = [], []
    def handle_starttag(self, tag, attrs):
        e = {"tag": tag, "a": dict(attrs), "text": "", "parents": list(self.stack)}
        self.els.append(e)
        if tag not in ("br", "meta", "img", "input", "link", "hr"):
            self.stack.append(e)
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break
    def handle_data(self, data):
        for e in self.stack:
            e["text"] += data

dom = Dom()
dom.feed(open(sys.argv[1]).read())
report = json.load(open(sys.argv[2]))
rows = json.load(open(sys.argv[3])) + json.load(open(sys.argv[4]))

def cls(e):
    return e["a"].get("class", "").split()

cells = [e for e in dom.els if e["tag"] == "td" and "cell" in cls(e)]
assert cells, "no cells"

# every non-empty catalog row is in some cell; each cell holds rows
want_rows = {r["id"] for r in rows if not r.get("empty")}
got_rows = set()
for c in cells:
    ids = c["a"]["data-rows"].split()
    assert ids, c["a"]
    got_rows.update(ids)
assert got_rows == want_rows, (sorted(want_rows - got_rows)[:5], sorted(got_rows - want_rows)[:5])
# one cell per (sender, receiver, ports)
keys = [(c["a"]["data-sender"], c["a"]["data-receiver"], c["a"]["data-ports"]) for c in cells]
assert len(set(keys)) == len(keys), "a cell twice"

# the counts the summary gives are the cells rendered
summary = {e["a"]["data-state"]: int(e["text"]) for e in dom.els
           if e["tag"] == "td" and "n-cells" in cls(e) and any(p["a"].get("id") == "counts" for p in e["parents"])}
assert len(summary) == 9, summary
assert summary["all"] == len(cells), (summary["all"], len(cells))
for st, n in summary.items():
    if st != "all":
        real = sum(1 for c in cells if c["a"]["data-state"] == st)
        assert real == n, (st, real, n)

# the drift the JSON report gives for the switch
core1 = next(d for d in report["devices"] if d["device"] == "core1")
assert core1["outcome"] == "drift", core1
pk = core1["diff"]["packets"]
missing = {(p["intended_filter"], p["intended_rule"]) for p in pk if p["permitted_by"] == "intended"}
extra = {(p["live_filter"], p["live_rule"]) for p in pk if p["permitted_by"] == "live"}
assert missing and extra, pk

# the cells of the removed rule: missing, in the legend's missing colour
legend = {e["a"]["data-state"]: e["a"]["data-bg"] for e in dom.els
          if e["tag"] == "span" and "legend" in cls(e)}
red = legend["missing"]
assert red not in (legend["in place"], legend["not enforced by any device"]), legend
broken = []
for c in cells:
    rules = c["a"]["data-rules"].split()
    if any("core1/%s/%s" % m in rules for m in missing):
        broken.append(c)
assert broken, "no cell holds the removed rule %s" % missing
for c in broken:
    assert c["a"]["data-state"] == "missing", c["a"]
    assert c["a"]["data-bg"] == red, (c["a"]["data-bg"], red)
for c in cells:
    st = c["a"]["data-state"]
    if st == "in place":
        assert c["a"]["data-bg"] == legend["in place"] != red, c["a"]
    if not c["a"]["data-rules"]:
        assert st == "not enforced by any device", c["a"]
    elif st == "not audited":
        # every rule on a device outside the audit
        assert all(r.split("/")[0] not in ("core1", "fw1", "lb1") for r in c["a"]["data-rules"].split()), c["a"]
    if st == "missing":
        assert any(r.split("/")[0] == "core1" for r in c["a"]["data-rules"].split()), c["a"]
assert summary["missing"] == len([c for c in cells if c["a"]["data-state"] == "missing"]) >= 1
assert summary["not audited"] >= 1  # rtr1 and rp1 were left out

# the switch's section: its drift list, count and extra entry
sec = next(e for e in dom.els if e["tag"] == "section" and e["a"].get("data-device") == "core1")
assert sec["a"]["data-outcome"] == "drift"
items = [e for e in dom.els if e["tag"] == "li" and sec in e["parents"] and "packet" in cls(e)]
assert len(items) == len(pk) == core1["diff"]["counts"]["packets"], (len(items), len(pk))
for p, li in zip(pk, items):
    shown = "%s %s:%d -> %s:%d" % (p["protocol"], p["src"], p["src_port"], p["dst"], p["dst_port"])
    assert li["text"].startswith(shown), (li["text"], shown)
n = next(e for e in dom.els if sec in e["parents"] and "n-packets" in cls(e))
assert int(n["text"]) == len(pk)
ex = [e for e in dom.els if e["tag"] == "ul" and sec in e["parents"] and "extra" in cls(e)]
assert ex and all("%s %s" % x in ex[0]["text"] for x in extra), (ex and ex[0]["text"], extra)
# the missing rule among the rules needing a look, with its catalog row
att = [e for e in dom.els if e["tag"] == "tr" and sec in e["parents"] and
       any("attention" in cls(p) for p in e["parents"]) and e["a"].get("data-state") == "missing"]
assert {tuple(e["a"]["data-rule"].split("/")[1:]) for e in att} >= missing, att
for dev in ("fw1", "lb1"):
    s = next(e for e in dom.els if e["tag"] == "section" and e["a"].get("data-device") == dev)
    assert s["a"]["data-outcome"] == "no drift", s["a"]
assert any(e["a"].get("id") == "audited-at" and e["text"].startswith("20") for e in dom.els)
PY

# usage
"$B" plan "$T/s.yaml" --html "$T/p.html" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "html is for audit" "$T/err" || fail "plan --html: $(cat "$T/err")"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --html "$T/nosuch/p.html" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "its directory does not exist" "$T/err" || fail "--html in no directory: $(cat "$T/err")"
"$B" audit "$T/s.yaml" --live-dir "$T/saved" --html "$T" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "expected a file name" "$T/err" || fail "--html a directory: $(cat "$T/err")"
# a page that cannot be written (no file can be made in /proc, not even by
# root): the audit's report still printed, exit 2 and why
"$B" audit "$T/s.yaml" --live-dir "$T/saved" "${DEVS[@]}" --html /proc/aclforge-audit.html >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && grep -q "cannot write '/proc/aclforge-audit.html'" "$T/err" && grep -q "^core1: drift" "$T/out" ||
	fail "unwritable page: exit $rc: $(cat "$T/err")"
echo "PASS audit_html"
