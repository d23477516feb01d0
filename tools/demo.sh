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
echo
echo "== assay scan $DATA   (inventory and completeness of every input)"
set +e
"$B/assay" scan --progress=auto "$DATA" | tee "$OUT/scan.txt"
rc=${PIPESTATUS[0]}
"$B/assay" scan --json --progress=never --quiet "$DATA" > "$OUT/scan.json" 2>/dev/null
set -e
echo
echo "exit code $rc (0 = every input read whole, 2 = some input could not be read whole:"
echo "the demo data set contains a deliberately truncated .gz file)"
echo "JSON inventory: $OUT/scan.json    ground truth: $DATA/truth.json"
