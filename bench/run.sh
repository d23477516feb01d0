#!/usr/bin/env bash
# run.sh: what `make bench` runs. Two parts, both printed as MB/s:
#  1. the Google Benchmark cases (build/release/bench/assay-bench): hot functions
#     in isolation (splitter, validation, decompressors);
#  2. throughput: whole `assay scan` runs on >= 1 GiB of generated web logs (plain,
#     .gz and .zst copies of the same bytes) next to the tools a user would
#     otherwise reach for, measured in the same run on the same files, with the
#     ratio to each, plus peak RSS for 1 GiB and 10 GiB of input.
# MB/s = uncompressed bytes / wall seconds (1 MB = 10^6 bytes), best of RUNS runs,
# page cache warm. Numbers, never asserts: machines are noisy.
# Environment: BENCH_SIZE (default 1100M of generated data), RUNS (default 3),
# BENCH_SKIP_GBENCH=1 to skip part 1, BENCH_ONLY=samplers for the samplers alone,
# SMP_ROWS (default 5,000,000) and SMP_BIG_ROWS (e.g. 100000000: a run over that
# many population rows, about 10.4 GB, generated once).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/release
W=build/bench
RUNS=${RUNS:-3}
SIZE=${BENCH_SIZE:-1100M}
mkdir -p "$W"

if [ "${BENCH_SKIP_GBENCH:-0}" != 1 ] && [ -x "$B/bench/assay-bench" ]; then
  echo "== Google Benchmark cases (bench/bench_*.cc)"
  "$B/bench/assay-bench" --benchmark_counters_tabular=true
  echo
fi

# ---- data: the generator's web logs, concatenated into one plain file ----
if [ ! -f "$W/access.log" ] || [ ! -f "$W/okta.jsonl" ] || [ "$(cat "$W/size" 2>/dev/null)" != "$SIZE" ]; then
  echo "== generating $SIZE of demo data (assay-gen --size $SIZE)"
  rm -rf "$W/gen" "$W"/access.log*
  "$B/assay-gen" --out "$W/gen" --seed 7 --size "$SIZE" --quiet
  find "$W/gen/web" -type f | sort | while read -r f; do
    case "$f" in
      *.gz)  gzip -dc "$f" 2>/dev/null || true ;;   # one web file is deliberately truncated
      *.zst) zstd -dcq "$f" ;;
      *)     cat "$f" ;;
    esac
  done > "$W/access.log"
  echo "== compressing copies: gzip -6 (pigz) and zstd -3"
  pigz -6 -c "$W/access.log" > "$W/access.log.gz"
  zstd -3 -T2 -q -c "$W/access.log" > "$W/access.log.zst"
  split -n l/2 -d "$W/access.log" "$W/half."
  # Okta-like JSON lines for the parser comparison: the generated months, 4 times
  # over, without the injected malformed lines (jq stops at the first one)
  for _ in 1 2 3 4; do
    find "$W/gen/okta" -type f | sort | while read -r f; do
      case "$f" in *.zst) zstd -dcq "$f" ;; *) cat "$f" ;; esac
    done
  done | jq -cR 'fromjson? // empty' > "$W/okta.jsonl"
  echo "$SIZE" > "$W/size"
  rm -rf "$W/gen"
fi
BYTES=$(stat -c %s "$W/access.log")
printf '== data: %s bytes plain (%s lines); .gz %s bytes; .zst %s bytes\n' "$BYTES" \
  "$(wc -l < "$W/access.log")" "$(stat -c %s "$W/access.log.gz")" "$(stat -c %s "$W/access.log.zst")"
cat "$W/access.log" "$W/access.log.gz" "$W/access.log.zst" > /dev/null   # warm the page cache

source bench/lib.sh  # best, mbps

declare -A T
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }  # peak RSS, KiB
run_case() { # key label command [bytes]
  T[$1]=$(best "$3")
  printf '%-44s %8s MB/s  (%.3f s)\n' "$2" "$(mbps "${T[$1]}" "${4:-$BYTES}")" "${T[$1]}"
}

# BENCH_ONLY=samplers: the samplers' part alone (after the data)
if [ "${BENCH_ONLY:-}" != samplers ]; then
echo
echo "== throughput, best of $RUNS (MB/s of uncompressed bytes)"
echo "(assay scan --no-parse: the engine alone: read, hash, decompress, split, validate, count)"
A="$B/assay scan --no-parse --progress=never --quiet"
run_case wc      "wc -l"                                  "wc -l $W/access.log"
run_case openssl "openssl dgst -sha256"                   "openssl dgst -sha256 $W/access.log"
run_case sha     "sha256sum"                              "sha256sum $W/access.log"
run_case plain   "assay scan (plain)"                     "$A $W/access.log"
run_case gzip    "gzip -dc"                               "gzip -dc $W/access.log.gz"
run_case pigz    "pigz -dc"                               "pigz -dc $W/access.log.gz"
run_case igzip   "igzip -dc"                              "igzip -dc $W/access.log.gz"
run_case gz      "assay scan (.gz, ISA-L)"                "$A $W/access.log.gz"
run_case gzz     "assay scan (.gz, --gzip zlib)"          "$A --gzip zlib $W/access.log.gz"
run_case zstd    "zstd -dc"                               "zstd -dcq $W/access.log.zst"
run_case zst     "assay scan (.zst)"                      "$A $W/access.log.zst"
run_case two     "assay scan (2 plain halves, -j2)"       "$A -j2 $W/half.00 $W/half.01"
run_case twoz    "assay scan (.zst + .gz, 2 files, -j2)"  "$A -j2 $W/access.log.zst $W/access.log.gz"

ratio() { echo "scale=2; ${T[$2]} / ${T[$1]}" | bc -l; }
echo
echo "== ratios (assay throughput / baseline throughput; > 1 means assay is faster)"
printf '%-44s %6s   (target >= 1.00)\n' "scan plain / openssl dgst -sha256" "$(ratio plain openssl)"
printf '%-44s %6s\n' "scan plain / sha256sum" "$(ratio plain sha)"
printf '%-44s %6s\n' "scan plain / wc -l" "$(ratio plain wc)"
printf '%-44s %6s   (target >= 0.90)\n' "scan .gz / igzip -dc" "$(ratio gz igzip)"
printf '%-44s %6s\n' "scan .gz / gzip -dc" "$(ratio gz gzip)"
printf '%-44s %6s\n' "scan .gz / pigz -dc" "$(ratio gz pigz)"
printf '%-44s %6s\n' "scan .gz (zlib) / gzip -dc" "$(ratio gzz gzip)"
printf '%-44s %6s   (target >= 0.95)\n' "scan .zst / zstd -dc" "$(ratio zst zstd)"
printf '%-44s %6s   (target close to 2)\n' "2 halves -j2 / 1 file (plain)" "$(ratio two plain)"
echo "  (the .zst + .gz pair decodes 2x the bytes: $(echo "scale=0; 2 * $BYTES / ${T[twoz]} / 1000000" | bc -l) MB/s aggregate)"

echo
echo "== parsers: whole runs on the same files (MB/s of uncompressed input)"
OBYTES=$(stat -c %s "$W/okta.jsonl")
cat "$W/okta.jsonl" > /dev/null
S="$B/assay scan --progress=never --quiet"
run_case scanp   "assay scan (plain, parse + coverage)"        "$S $W/access.log"
run_case scanz   "assay scan (.zst, parse + coverage)"         "$S $W/access.log.zst"
run_case mawk    "mawk '{print \$9}' (field split)"            "mawk '{print \$9}' $W/access.log"
run_case pstat   "assay parse --fields status"                 "$B/assay parse --fields status $W/access.log"
run_case pall    "assay parse (all 14 fields, JSON out)"       "$B/assay parse $W/access.log"
run_case jq      "jq: 3 fields of Okta events"                 "jq -c '[.published,.actor.alternateId,.outcome.result]' $W/okta.jsonl" "$OBYTES"
run_case pjson   "assay parse --fields (the same 3)"           "$B/assay parse --fields published,actor.alternateId,outcome.result $W/okta.jsonl" "$OBYTES"
run_case sjson   "assay scan (jsonl, validate + time)"         "$S $W/okta.jsonl" "$OBYTES"
echo
echo "== parser ratios"
printf '%-44s %6s\n' "scan with parsing / scan --no-parse (plain)" "$(ratio scanp plain)"
printf '%-44s %6s   (target > 2)\n' "scan (parse + coverage) / mawk field split" "$(ratio scanp mawk)"
printf '%-44s %6s\n' "parse --fields status / mawk" "$(ratio pstat mawk)"
printf '%-44s %6s   (target > 12)\n' "parse 3 JSON fields / jq" "$(ratio pjson jq)"
printf '%-44s %6s\n' "scan jsonl / jq" "$(ratio sjson jq)"

echo
echo "== peak RSS (GNU time, max resident set)"
one=$(rss $A "$W/access.log")
ten=$(rss $A "$W/access.log" "$W/access.log" "$W/access.log" "$W/access.log" "$W/access.log" \
             "$W/access.log" "$W/access.log" "$W/access.log" "$W/access.log" "$W/access.log")
tenz=$(rss $A "$W/access.log.zst" "$W/access.log.zst" "$W/access.log.zst" "$W/access.log.zst" \
             "$W/access.log.zst" "$W/access.log.zst" "$W/access.log.zst" "$W/access.log.zst" \
             "$W/access.log.zst" "$W/access.log.zst")
printf '%-44s %8s KiB\n' "scan, $BYTES bytes (1 input)" "$one"
printf '%-44s %8s KiB\n' "scan, 10x that (10 inputs, plain)" "$ten"
printf '%-44s %8s KiB\n' "scan, 10x that (10 inputs, .zst)" "$tenz"
echo "(target: under 262144 KiB = 256 MiB at any input size)"

# the control library (issue: rules)
bench/run_rules.sh
fi

# ---- samplers: selection over a large population, against baselines on the same file ----
echo
echo "== samplers: assay sample over a population.csv (SMP_ROWS rows, default 5,000,000)"
ROWS=${SMP_ROWS:-5000000}
# population.csv rows in the schema of `assay run`, from a seeded awk generator
gen_pop() { # rows file
  LC_ALL=C awk -v n="$1" 'BEGIN {
    srand(7); print "record_id,key,time,source,file,line,offset,result,reason\r"; off = 0
    for (i = 1; i <= n; i++) {
      off += 80 + int(rand() * 300); t = 1759276800 + int(i * 15768000 / n)
      d = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1); r = rand() < 0.01 ? "exception" : "pass"
      printf "9f86d081884c7d65:%d,user%04d,%s,sshd,logs/auth.log,%d,%d,%s,%s\r\n", off, i % 5000, d, i, off, r, r == "pass" ? "" : "no_approval"
    } }' > "$2"
}
POP=$W/population.csv
if [ ! -f "$POP" ] || [ "$(cat "$W/pop.rows" 2>/dev/null)" != "$ROWS" ]; then
  gen_pop "$ROWS" "$POP"
  echo "$ROWS" > "$W/pop.rows"
fi
PBYTES=$(stat -c %s "$POP")
cat "$POP" > /dev/null
printf '== population: %s bytes, %s rows\n' "$PBYTES" "$ROWS"
SM="$B/assay sample --population $POP --seed bench --quiet --out $W/smp"
run_case pscan   "assay scan (the engine's speed on this file)" "$B/assay scan --progress=never --quiet $POP" "$PBYTES"
run_case smprand "assay sample random n=1000 (1 pass)"        "$SM --size 1000" "$PBYTES"
run_case smpsys  "assay sample systematic n=1000 (2 passes)"  "$SM --size 1000 --method systematic" "$PBYTES"
run_case smpcell "assay sample cell n=1000 (2 passes)"        "$SM --size 1000 --method cell" "$PBYTES"
run_case smpstr  "assay sample stratified month n=1000"       "$SM --size 1000 --method stratified --strata month" "$PBYTES"
run_case psha    "sha256sum"                                  "sha256sum $POP" "$PBYTES"
run_case pawk    "mawk -F, '{print \$1}' (field split)"       "mawk -F, '{print \$1}' $POP" "$PBYTES"
run_case plogr   "assay sample random n=1000 over access.log (2 passes)" "$B/assay sample --population $W/access.log --seed bench --quiet --out $W/smp --size 1000"
echo
echo "== samplers ratios"
printf '%-44s %6s\n' "sample random / assay scan (same file)" "$(echo "scale=2; ${T[pscan]} / ${T[smprand]}" | bc -l)"
printf '%-44s %6s\n' "sample random / sha256sum (same file)" "$(echo "scale=2; ${T[psha]} / ${T[smprand]}" | bc -l)"
printf '%-44s %6s\n' "sample random / mawk field split" "$(echo "scale=2; ${T[pawk]} / ${T[smprand]}" | bc -l)"
printf '%-44s %6s\n' "sample systematic / assay scan" "$(echo "scale=2; ${T[pscan]} / ${T[smpsys]}" | bc -l)"
printf '%-44s %6s\n' "sample stratified / assay scan" "$(echo "scale=2; ${T[pscan]} / ${T[smpstr]}" | bc -l)"
echo
echo "== samplers peak RSS (GNU time): memory grows with n, not with N"
for n in 100 10000 100000; do
  printf '%-44s %8s KiB\n' "sample random n=$n, $ROWS rows" "$(rss $SM --size $n)"
done
printf '%-44s %8s KiB\n' "sample stratified month n=10000" "$(rss $SM --size 10000 --method stratified --strata month)"
# 100 million records (about 10.6 GB): SMP_BIG_ROWS=100000000 make bench (generated once, kept)
if [ -n "${SMP_BIG_ROWS:-}" ]; then
  BIG=$W/pop-big.csv
  if [ ! -f "$BIG" ] || [ "$(cat "$W/pop-big.rows" 2>/dev/null)" != "$SMP_BIG_ROWS" ]; then
    echo "== generating a population.csv of $SMP_BIG_ROWS rows"
    gen_pop "$SMP_BIG_ROWS" "$BIG"
    echo "$SMP_BIG_ROWS" > "$W/pop-big.rows"
  fi
  GB=$(stat -c %s "$BIG")
  printf '== big population: %s bytes, %s rows; page cache warmed, the two commands alternate twice, best of each\n' "$GB" "$SMP_BIG_ROWS"
  cat "$BIG" > /dev/null
  declare -A BT BR
  for _ in 1 2; do
    for c in "scan|$B/assay scan --progress=never --quiet $BIG" \
             "sample|$B/assay sample --population $BIG --seed bench --quiet --out $W/smp-big --size 1000"; do
      k=${c%%|*}; cmd=${c#*|}
      /usr/bin/time -o "$W/big.time" -f '%e %M' $cmd > /dev/null 2>&1 || true
      o=$(tail -1 "$W/big.time")
      if [ -z "${BT[$k]:-}" ] || [ "$(echo "${o% *} < ${BT[$k]}" | bc -l)" = 1 ]; then BT[$k]=${o% *}; BR[$k]=${o#* }; fi
    done
  done
  printf '%-44s %8s MB/s  (%s s, peak RSS %s KiB)\n' "assay scan" "$(mbps "${BT[scan]}" "$GB")" "${BT[scan]}" "${BR[scan]}"
  printf '%-44s %8s MB/s  (%s s, peak RSS %s KiB)\n' "assay sample random n=1000 (1 pass)" "$(mbps "${BT[sample]}" "$GB")" "${BT[sample]}" "${BR[sample]}"
  printf '%-44s %6s\n' "sample random / assay scan, 100M rows" "$(echo "scale=2; ${BT[scan]} / ${BT[sample]}" | bc -l)"
fi
echo "== planning time: a whole assay plan process (exec included), best of $RUNS; the library alone is BM_plan_*"
for a in "--tolerable 5" "--confidence 90 --tolerable 10 --expected 9" "--tolerable 5 --expected 4.5" \
         "--tolerable 5 --expected 4 --population 1000000"; do
  t=$(best "$B/assay plan $a")
  printf '%-60s %8.2f ms  (n = %s)\n' "assay plan $a" "$(echo "$t * 1000" | bc -l)" \
    "$($B/assay plan $a --json | jq .sample_size)"
done
