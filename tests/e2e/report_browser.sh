#!/usr/bin/env bash
# report_browser.sh: the HTML report opened in a real browser, as a person
# would (issue: evidence, "Tested as a person would"). A report is rendered
# from a fixed model full of hostile strings by the unit-test binary in its
# helper mode (test_rpt_html --write), then headless Chromium loads it:
# the DOM must hold every control with the model's counts, the hostile user
# agent as text, no script element and no sign that a script ran; a
# screenshot is saved under the build folder and the page prints to PDF.
# Without Chromium (and no way to install it) the browser checks print
# `skip` lines and the static checks still run.
# Runs on its own too: ASSAY=build/release/assay bash tests/e2e/report_browser.sh
VARIANT=${VARIANT:-release}
ASSAY=${ASSAY:-build/$VARIANT/assay}
source "$(dirname "$0")/lib.sh"

BUILD=$(cd "$(dirname "$ASSAY")" && pwd)
HELPER=$BUILD/tests/test_rpt_html
if [ ! -x "$HELPER" ]; then
  make -C "$ROOT" -s VARIANT="$VARIANT" "build/$VARIANT/tests/test_rpt_html" >"$T/make.log" 2>&1
fi
check "the report helper is built" test -x "$HELPER"

T=$(cd "$T" && pwd)    # file:// URLs need an absolute path
R=$T/report.html
check "helper writes the report and its expectations" "$HELPER" --write "$R" --expect "$T/expect.json"
check "helper writes the large report" "$HELPER" --write "$T/big.html" --expect "$T/big.json" --big

# ---- static checks: what any reader gets, browser or not ----
check "CSP meta tag present" contains "$R" "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
check "no script tag in the file" bash -c '! grep -qi "<script" "$1"' _ "$R"
# our tags with their quoted values blanked: no src, no link that leaves the page
check "nothing fetched: no src= and no external href in any tag" python3 -c '
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
tags = [re.sub(r"\"[^\"]*\"", "\"\"", t) for t in re.findall(r"<[A-Za-z][^>]*>", html)]
bad = [t for t in tags if re.search(r"\s(src|srcset|action|formaction|xlink:href)=", t)]
links = re.findall(r"<a [^>]*href=\"([^\"]*)\"", html)
bad += [h for h in links if not h.startswith("#")]
print("\n".join(bad[:5])); sys.exit(1 if bad else 0)' "$R"
check "valid UTF-8 throughout" python3 -c 'import sys; open(sys.argv[1], encoding="utf-8", errors="strict").read()' "$R"
check "the hostile user agent is escaped in the file" contains "$R" "&lt;script&gt;alert(1)&lt;/script&gt;"
check "the same model gives the same bytes" bash -c '"$1" --write "$2.again" && cmp -s "$2" "$2.again"' _ "$HELPER" "$R"

# ---- the browser ----
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ]; then
  "$ROOT/tools/deps.sh" browser >"$T/deps.log" 2>&1 || true
  CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
  echo "skip  chromium is not installed (tools/deps.sh browser, as root): DOM, screenshot and print checks"
  finish
  exit $?
fi

# one profile per run, nothing from the user's; no network, no GPU
CHROME_ARGS=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
             --disable-extensions --user-data-dir="$T/profile" --hide-scrollbars)
chrome() { timeout 120 "$CHROMIUM" "${CHROME_ARGS[@]}" "$@" 2>>"$T/chromium.log"; }

chrome --dump-dom "file://$R" >"$T/dom.html"
check "chromium loads the report (dump-dom)" test -s "$T/dom.html"

# checks the DOM the browser built (after any script would have run)
dom_check() { # DOM EXPECT
  python3 - "$1" "$2" <<'EOF'
import json, sys
from html.parser import HTMLParser

dom = open(sys.argv[1], encoding="utf-8").read()
exp = json.load(open(sys.argv[2], encoding="utf-8"))
bad = []

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text = [], []
        self.rows = {}            # data-control -> {data-k: text}
        self.sections = []        # the h3 text of each section.control, in order
        self.elements = 0
        self.cur_row = None; self.cur_k = None; self.in_h3 = False; self.in_section = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); self.elements += 1
        if tag in ("script", "img", "iframe", "object", "embed", "link", "base", "form", "meta") and \
           not (tag == "meta" and self.stack[-1:] == ["head"]):
            bad.append("element <%s> %r" % (tag, a))
        for k, v in attrs:
            if k.startswith("on") or k == "data-pwned" or (k in ("href", "src", "xlink:href") and not (v or "").startswith("#")):
                bad.append("attribute %s=%r on <%s>" % (k, v, tag))
        if tag == "tr" and "data-control" in a:
            self.cur_row = a["data-control"]; self.rows[self.cur_row] = {}
        if tag == "td" and self.cur_row is not None and "data-k" in a:
            self.cur_k = a["data-k"]; self.rows[self.cur_row][self.cur_k] = ""
        if tag == "section" and "control" in (a.get("class") or "").split():
            self.sections.append(""); self.in_section = True
        if tag == "h3" and self.in_section and self.sections and self.sections[-1] == "":
            self.in_h3 = True
        if tag not in ("br", "meta", "rect", "path"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if tag == "tr": self.cur_row = None
        if tag == "td": self.cur_k = None
        if tag == "h3": self.in_h3 = False
    def handle_data(self, d):
        self.text.append(d)
        if self.cur_row is not None and self.cur_k is not None:
            self.rows[self.cur_row][self.cur_k] += d
        if self.in_h3:
            self.sections[-1] += d

p = P(); p.feed(dom)
text = "".join(p.text)
if exp["hostile"] not in text:
    bad.append("hostile user agent not shown as text")
if len(p.sections) != len(exp["controls"]):
    bad.append("%d control sections, expected %d" % (len(p.sections), len(exp["controls"])))
for i, c in enumerate(exp["controls"]):
    row = p.rows.get(c["id"])
    if row is None:
        bad.append("no summary row for %r" % c["id"]); continue
    for k in ("population", "exceptions", "untestable"):
        got = row.get(k, "").replace(",", "").strip()
        if got != str(c[k]):
            bad.append("%s %s: %r, expected %d" % (c["id"], k, got, c[k]))
    if i < len(p.sections) and c["title"] not in p.sections[i]:
        bad.append("section %d: %r has no title %r" % (i + 1, p.sections[i], c["title"]))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
EOF
}
check "DOM: every control, counts equal the model, hostile text shown, no script" dom_check "$T/dom.html" "$T/expect.json"
chrome --dump-dom "file://$T/big.html" >"$T/big-dom.html"
check "DOM of the large report (20 controls x 50 exceptions x 30 sources)" dom_check "$T/big-dom.html" "$T/big.json"

SHOT=$BUILD/report.png
rm -f "$SHOT"
chrome --screenshot="$SHOT" --window-size=1280,2400 "file://$R" >/dev/null
check "screenshot saved ($SHOT)" bash -c 'head -c 8 "$1" | od -An -tx1 | grep -q "89 50 4e 47" && [ "$(stat -c %s "$1")" -gt 20000 ]' _ "$SHOT"

PDF=$BUILD/report.pdf
rm -f "$PDF"
chrome --no-pdf-header-footer --print-to-pdf="$PDF" "file://$R" >/dev/null
check "the report prints to PDF ($PDF)" bash -c 'head -c 5 "$1" | grep -q "%PDF-" && [ "$(stat -c %s "$1")" -gt 20000 ]' _ "$PDF"
if command -v pdfinfo >/dev/null; then
  pages=$(pdfinfo "$PDF" 2>/dev/null | sed -n 's/^Pages: *//p')
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["controls"]))' "$T/expect.json")
  check "print: a page or more per control ($pages pages, $n controls)" test "${pages:-0}" -gt "$n"
else
  echo "skip  pdfinfo is not installed: page count"
fi
echo "report: $R"
echo "screenshot: $SHOT"
finish
