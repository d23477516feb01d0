#!/usr/bin/env bash
# demo.sh: what `make demo` runs after the build: generate the demo data set
# (a fictional company's six-month observation period, with injected control
# deviations and malformed records listed in truth.json), run the main job on
# it, and show the result. Data goes to build/demo/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/release
DATA=build/demo/data
OUT=build/demo/out
mkdir -p build/demo
if [ ! -f "$DATA/truth.json" ]; then
  rm -rf "$DATA"
  echo "== generating the demo data set into $DATA"
  "$B/assay-gen" --out "$DATA" --seed 1
else
  echo "== reusing the demo data set in $DATA (rm -rf $DATA to regenerate)"
fi
mkdir -p "$OUT"
PERIOD=2025-10-01..2026-03-31   # the generator's default observation period (--start, --days)
echo
echo "== assay scan --summary --period $PERIOD $DATA"
echo "   (inventory, formats, time coverage per source and rejected records of every input)"
set +e
"$B/assay" scan --summary --progress=auto --period "$PERIOD" "$DATA" | tee "$OUT/scan.txt"
rc=${PIPESTATUS[0]}
"$B/assay" scan --json --progress=never --quiet --period "$PERIOD" "$DATA" > "$OUT/scan.json" 2>/dev/null
echo
echo "== assay lint controls/   (the control library: $(ls controls/*.yaml | wc -l) rule files)"
"$B/assay" lint controls/
echo
echo "== assay run -r controls/ --period $PERIOD --out $OUT/evidence $DATA"
echo "   (every control over the whole population, one pass over each input)"
rm -rf "$OUT/evidence"
"$B/assay" run -r controls/ --period "$PERIOD" --out "$OUT/evidence" "$DATA" 2>"$OUT/run.err"
rrc=$?
set -e
grep -v 'truncated gzip stream' "$OUT/run.err" >&2 || true
echo
echo "exit code of scan: $rc (2 = some input could not be read whole: the demo data set"
echo "contains a deliberately truncated .gz file); exit code of run: $rrc (1 = exceptions found)."
echo "Every exception above is one that truth.json plants (tests/e2e/rules.sh checks each key and"
echo "file:line); the CSVs name the record that proves each one."
echo
echo "ground truth:  $DATA/truth.json"
echo "evidence:      $OUT/evidence/   (sha256sum -c SHA256SUMS inside it; assay verify $OUT/evidence)"
echo "report:        $OUT/evidence/report.html"
