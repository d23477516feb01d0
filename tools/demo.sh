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
echo "== assay parse: what a rule can test (first record of three sources)"
for f in "$DATA/web/www/access-2026-01-10.log" "$DATA/auth/bastion-01/auth.log" "$DATA/hr/hr_export.csv"; do
  "$B/assay" parse --period "$PERIOD" "$f" 2>/dev/null | head -1
done
set -e
echo
echo "exit code of scan: $rc (0 = every input read whole, 2 = some input could not be read whole:"
echo "the demo data set contains a deliberately truncated .gz file)"
echo "The two one-day gaps above (auth/web-02, web/api) and the missed backup days are the"
echo "data set's injected completeness deviations; truth.json lists them."
echo "JSON inventory: $OUT/scan.json    ground truth: $DATA/truth.json"
