#!/usr/bin/env bash
# run_rules.sh: the control library's throughput (part of `make bench`):
# `assay run -r controls/` (all controls on) next to `assay scan` (parse +
# coverage) on the same generated data folder (all sources, >= 1 GiB
# decompressed), in the same run, with the ratio (target >= 0.70), and the
# peak RSS of `assay run` on 1 GiB and 10 GiB of demo data.
# MB/s = decompressed bytes / wall seconds, best of RUNS runs, page cache warm.
# Environment: RULES_SIZE (default 1100M), RULES_BIG (default 10G; 0 = skip),
# RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/release
W=build/bench
RUNS=${RUNS:-3}
SIZE=${RULES_SIZE:-1100M}
BIG=${RULES_BIG:-10G}
P=2025-10-01..2026-03-31
mkdir -p "$W"

gen() { # dir size
  if [ ! -f "$1/truth.json" ] || [ "$(cat "$1.size" 2>/dev/null)" != "$2" ]; then
    echo "== generating $2 of demo data into $1 (assay-gen --size $2)"
    rm -rf "$1"
    "$B/assay-gen" --out "$1" --seed 11 --size "$2" --quiet
    echo "$2" > "$1.size"
  fi
}
gen "$W/rules-1g" "$SIZE"
BYTES=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['bytes_decompressed'])" "$W/rules-1g/truth.json")
find "$W/rules-1g" -type f -exec cat {} + > /dev/null   # warm the page cache

source bench/lib.sh  # best, mbps

echo
echo "== rules: the whole control library vs assay scan, $BYTES bytes decompressed ($(ls controls/*.yaml | wc -l) rule files)"
ts=$(best "$B/assay scan --progress=never --quiet --period $P $W/rules-1g")
printf '%-50s %8s MB/s  (%.3f s)\n' "assay scan (parse + coverage)" "$(mbps "$ts")" "$ts"
tr=$(best "$B/assay run -q -r controls --period $P $W/rules-1g")
printf '%-50s %8s MB/s  (%.3f s)\n' "assay run -r controls/ (all controls)" "$(mbps "$tr")" "$tr"
printf '%-50s %8s   (target >= 0.70)\n' "run / scan" "$(echo "scale=2; $ts / $tr" | bc -l)"

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo
echo "== rules: peak RSS of assay run (GNU time, max resident set)"
printf '%-50s %8s KiB\n' "assay run, $SIZE of demo data" "$(rss $B/assay run -q -r controls --period $P "$W/rules-1g")"
if [ "$BIG" != 0 ]; then
  gen "$W/rules-big" "$BIG"
  printf '%-50s %8s KiB\n' "assay run, $BIG of demo data" "$(rss $B/assay run -q -r controls --period $P "$W/rules-big")"
fi
