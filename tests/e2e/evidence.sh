#!/usr/bin/env bash
# evidence.sh: end-to-end tests of the evidence folder (`assay run --out`,
# `assay verify DIR`, docs/evidence.md): the files it holds, SHA256SUMS
# checked with the real sha256sum, byte-identical outputs at -j1 and -j4
# (manifest.json apart: times and command line; report.html apart from the
# manifest digest it shows), verify on an untouched folder and on folders
# tampered with in each way (an input, a CSV cell, the manifest, the report,
# the binary version), atomic output when the run is killed, output paths
# that cannot escape the folder.
source "$(dirname "$0")/lib.sh"

T=$(cd "$T" && pwd)
D=$T/data
C=$ROOT/controls
P=2025-10-01..2025-12-31
check "generate data"              "$GEN" --out "$D" --seed 5 --days 92 --scale 0.05 --quiet
check "run --out (exit 1)"         expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j1 --out "$T/e1" "$D"
for f in manifest.json results.json report.html SHA256SUMS backup-daily/population.csv backup-daily/exceptions.csv; do
  check "has $f"                   test -s "$T/e1/$f"
done
check "sha256sum -c SHA256SUMS"    bash -c "cd '$T/e1' && sha256sum -c --quiet SHA256SUMS"
check "manifest schema"            contains "$T/e1/manifest.json" '"schema": "assay.manifest/1"'
check "manifest lists inputs"      python3 -c "
import json,sys,hashlib; m=json.load(open(sys.argv[1]))
ins=[i for i in m['inputs'] if i.get('sha256')]
assert len(ins) > 100, len(ins)
for i in ins[:50]:
    assert hashlib.sha256(open(i['path'],'rb').read()).hexdigest() == i['sha256'], i['path']
assert all(r['sha256'] for r in m['rules']) and len(m['rules']) == len([x for x in __import__('os').listdir(sys.argv[2]) if x.endswith('.yaml')])
outs={o['path'] for o in m['outputs']}
assert 'results.json' in outs and 'backup-daily/exceptions.csv' in outs and 'report.html' not in outs
from datetime import datetime
t=lambda x: datetime.fromisoformat(x.replace('Z', '+00:00'))
assert t(m['started']) <= t(m['finished']) and m['command'][:2] == ['assay', 'run']" "$T/e1/manifest.json" "$C"
check "report shows the digest"    bash -c "grep -q \"\$(sha256sum '$T/e1/manifest.json' | cut -c1-64)\" '$T/e1/report.html'"
check "run -j4"                    expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" -j4 --out "$T/e4" "$D"
check "-j1 = -j4 (data files)"     diff -r -x manifest.json -x report.html -x SHA256SUMS "$T/e1" "$T/e4"
check "-j1 = -j4 (report)"         bash -c "diff <(sed \"s/\$(sha256sum '$T/e1/manifest.json' | cut -c1-64)/DIGEST/g\" '$T/e1/report.html') <(sed \"s/\$(sha256sum '$T/e4/manifest.json' | cut -c1-64)/DIGEST/g\" '$T/e4/report.html')"
check "-j1 = -j4 (manifest lists)" python3 -c "
import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:3])
for k in ['period','inputs','rules','seeds','outputs']: assert a[k] == b[k], k" "$T/e1/manifest.json" "$T/e4/manifest.json"

# the report as a person opens it: headless Chromium (make test installs Debian chromium)
if command -v chromium >/dev/null 2>&1; then
  CH=(chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
      --disable-extensions --user-data-dir="$T/chrome" --hide-scrollbars)
  timeout 120 "${CH[@]}" --dump-dom "file://$T/e1/report.html" >"$T/dom.html" 2>/dev/null
  check "chromium: DOM dumped"     test -s "$T/dom.html"
  check "chromium: controls and counts = results.json" python3 "$ROOT/tests/e2e/report_dom.py" "$T/e1/results.json" "$T/dom.html"
  check "chromium: hostile UA shown as text" contains "$T/dom.html" "&lt;script&gt;alert(1)&lt;/script&gt;"
  check "chromium: no script element" bash -c "! grep -qi '<script' '$T/dom.html'"
  check "chromium: CSP in force"   contains "$T/dom.html" "default-src 'none'"
  timeout 120 "${CH[@]}" --window-size=1280,2400 --screenshot="$(dirname "$ASSAY")/report-evidence.png" \
    "file://$T/e1/report.html" >/dev/null 2>&1
  check "chromium: screenshot saved" test -s "$(dirname "$ASSAY")/report-evidence.png"
  timeout 120 "${CH[@]}" --print-to-pdf="$T/report.pdf" "file://$T/e1/report.html" >/dev/null 2>&1
  check "chromium: prints to PDF"  bash -c "head -c 5 '$T/report.pdf' | grep -q '%PDF-'"
else
  echo "skip  chromium is not installed (make deps-browser): the DOM checks did not run"
fi

# samples drawn with the run: the same items as `assay sample`, keys as openssl computes them
check "run --sample-seed"          expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" --sample-seed audit-2026 --out "$T/es" "$D"
check "sample.csv per control"     test -s "$T/es/backup-daily/sample.csv" -a -s "$T/es/aws-no-root/sample.csv"
check "59 items (95/5/0 plan)"     bash -c "test \$(tail -n +2 '$T/es/aws-no-root/sample.csv' | wc -l) -eq 59"
check "a population under 59: all" bash -c "test \$(tail -n +2 '$T/es/p1-ack-15min/sample.csv' | wc -l) -eq \$(tail -n +2 '$T/es/p1-ack-15min/population.csv' | wc -l)"
check "assay sample selects the same" bash -c "'$ASSAY' sample --population '$T/es/aws-no-root/population.csv' --method random --seed audit-2026 --size 59 --out '$T/smp' >/dev/null && diff <(tail -n +2 '$T/smp/sample.csv' | cut -d, -f2) <(tail -n +2 '$T/es/aws-no-root/sample.csv' | cut -d, -f2)"
check "openssl recomputes the keys" bash -c "tail -n +2 '$T/es/aws-no-root/sample.csv' | head -3 | tr -d '\r' | while IFS=, read -r o id k rest; do
    got=\$(printf '%s' \"\$id\" | openssl dgst -sha256 -mac HMAC -macopt key:audit-2026 | awk '{print substr(\$NF,1,16)}')
    k=\$(printf '%s' \"\$rest\" | awk -F, '{print \$6}'); [ \"\$got\" = \"\$k\" ] || { echo \"\$id: \$got != \$k\"; exit 1; }; done"
check "manifest records the seed"  python3 -c "
import json,sys; m=json.load(open(sys.argv[1])); s=m['seeds']
assert len(s) == 1 and s[0]['seed'] == 'audit-2026' and not s[0]['drawn_from_os'], s
assert 'aws-no-root/sample.csv' in {o['path'] for o in m['outputs']}" "$T/es/manifest.json"
check "report shows the sample"    contains "$T/es/report.html" "--seed &#39;audit-2026&#39; --size 59"
check "sample folder: manifest"    bash -c "test -s '$T/smp/manifest.json' && cd '$T/smp' && sha256sum -c --quiet SHA256SUMS"
check "sample folder: no temp files" bash -c "! ls -a '$T/smp' | grep -q tmp"
check "verify a sample folder"     expect_exit 0 "$ASSAY" verify "$T/smp"
sed -i '2s/,pass,/,exception,/' "$T/smp/sample.csv"
check "verify: edited sample.csv"  expect_exit 1 "$ASSAY" verify "$T/smp"
check "--sample-seed random"       expect_exit 1 "$ASSAY" run -q -r "$C" --period "$P" --sample-seed random --out "$T/er" "$D"
check "random seed recorded"       python3 -c "
import json,sys; s=json.load(open(sys.argv[1]))['seeds'][0]; assert s['drawn_from_os'] and s['seed'].startswith('hex:'), s" "$T/er/manifest.json"
check "verify re-draws with it"    expect_exit 0 "$ASSAY" verify "$T/er"
check "seed needs --out"           expect_exit 2 "$ASSAY" run -q -r "$C" --sample-seed x "$D"

# verify: untouched, then tampered with, one kind at a time (on copies)
"$ASSAY" verify "$T/e1" >"$T/v.out" 2>&1; echo "exit $?" >>"$T/v.out"
check "verify untouched: exit 0"   contains "$T/v.out" "exit 0"
check "verify says identical"      contains "$T/v.out" "assay verify: identical"
tamper() { # name, command run in the copy (as $X), expected text
  rm -rf "$T/t"; cp -r "$T/e1" "$T/t"
  X=$T/t bash -c "$2"
  "$ASSAY" verify "$T/t" >"$T/t.out" 2>&1; echo "exit $?" >>"$T/t.out"
  check "verify $1: exit 1"        contains "$T/t.out" "exit 1"
  check "verify $1: named"         contains "$T/t.out" "$3"
}
tamper "edited CSV cell" "sed -i '2s/,exception,/,pass,/' \"\$X/backup-daily/exceptions.csv\"" "output backup-daily/exceptions.csv: SHA-256 is"
tamper "edited report" "sed -i 's/<title>/<title>x/' \"\$X/report.html\"" "report.html: SHA-256 differs from SHA256SUMS"
tamper "edited manifest" "sed -i 's/\"end_exclusive\": true/\"end_exclusive\": false/' \"\$X/manifest.json\"" "manifest.json: SHA-256 differs from SHA256SUMS"
tamper "cut manifest" "head -c 300 \"\$X/manifest.json\" > \"\$X/m\" && mv \"\$X/m\" \"\$X/manifest.json\"" "manifest.json is not valid JSON"
tamper "other binary" "sed -i 's/\"build\": \"[^\"]*\"/\"build\": \"0000000 release\"/' \"\$X/manifest.json\"" "made by assay"
tamper "CSV and its digests" "sed -i '2s/,exception,/,pass,/' \"\$X/backup-daily/exceptions.csv\" && n=\$(sha256sum \"\$X/backup-daily/exceptions.csv\" | cut -c1-64) && o=\$(grep backup-daily/exceptions.csv \"\$X/SHA256SUMS\" | cut -c1-64) && sed -i \"s/\$o/\$n/\" \"\$X/manifest.json\" \"\$X/SHA256SUMS\" && m=\$(sha256sum \"\$X/manifest.json\" | cut -c1-64) && sed -i \"/  manifest.json\$/s/^[0-9a-f]*/\$m/\" \"\$X/SHA256SUMS\"" "backup-daily/exceptions.csv: the re-run gives different content"
cp -r "$D" "$T/data2"
"$ASSAY" run -q -r "$C" --period "$P" --out "$T/e2" "$T/data2"
echo "tampered" >> "$T/data2/hr/hr_export.csv"
"$ASSAY" verify "$T/e2" >"$T/t.out" 2>&1; echo "exit $?" >>"$T/t.out"
check "verify changed input: exit 1" contains "$T/t.out" "exit 1"
check "verify changed input: named"  contains "$T/t.out" "input $T/data2/hr/hr_export.csv: SHA-256 is"
check "verify: not a folder"       expect_exit 2 "$ASSAY" verify "$T/nonexistent"

# atomic: killed mid-way, nothing; an existing folder is kept without --force
"$ASSAY" run -q -r "$C" --period "$P" -j1 --out "$T/k" "$D" & pid=$!
sleep 0.15; kill -TERM $pid; wait $pid; rc=$?
if [ $rc -ne 1 ]; then
  check "SIGTERM: exit 130"        test $rc -eq 130
  check "SIGTERM: no folder"       bash -c "test ! -e '$T/k' && ! ls -d '$T'/k.assay-* 2>/dev/null"
fi
# a full disk: a 200 KiB tmpfs (root only; skipped where mounting is not allowed)
mkdir -p "$T/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=200k tmpfs "$T/full" 2>/dev/null; then
  "$ASSAY" run -q -r "$C" --period "$P" --out "$T/full/ev" "$D" >"$T/full.out" 2>&1; echo "exit $?" >>"$T/full.out"
  check "full disk: exit 3"        contains "$T/full.out" "exit 3"
  check "full disk: says so"       contains "$T/full.out" "(disk full?)"
  check "full disk: nothing left"  bash -c "test -z \"\$(ls -A '$T/full')\""
  umount "$T/full"
else
  echo "skip  full disk: cannot mount a tmpfs here"
fi
check "existing --out kept"        expect_exit 2 "$ASSAY" run -q -r "$C" --period "$P" --out "$T/e1" "$D"
check "untouched after refusal"    bash -c "cd '$T/e1' && sha256sum -c --quiet SHA256SUMS"
mkdir -p "$T/evil"
printf 'id: ../escape\ntitle: t\npopulation: {source: hr, key: email}\ntest: {each: "true"}\n' > "$T/evil/x.yaml"
cp "$C/sources.yaml" "$T/evil/"
"$ASSAY" lint "$T/evil" >"$T/evil.out" 2>&1; echo "exit $?" >>"$T/evil.out"
check "control id cannot escape"   contains "$T/evil.out" "x.yaml:1:5: error: id '../escape'"
check "lint exits 2"               contains "$T/evil.out" "exit 2"
finish
