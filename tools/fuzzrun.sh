#!/usr/bin/env bash
# fuzzrun.sh: runs every built libFuzzer target for a fixed time and keeps
# what it finds.
# Usage: tools/fuzzrun.sh BUILD_FUZZ_DIR        (e.g. build/fuzz; make fuzz calls it)
#   FUZZ_SECONDS   seconds per target (default 60), libFuzzer -max_total_time
#   FUZZ_TARGETS   space-separated target names to run (default: all built)
# For each BUILD_FUZZ_DIR/fuzz/fuzz_<name>, one after the other (the machine is
# shared): the seed corpus tests/fuzz/corpus/<target>/ is copied into
# BUILD_FUZZ_DIR/corpus-work/<target>/ (the tree stays clean; what libFuzzer
# adds there survives to the next run), libFuzzer runs with -max_len=65536 and
# -rss_limit_mb=2048, and every crash, leak, timeout or out-of-memory input is
# copied into tests/fuzz/regress/<target>/, which `make test` replays.
# Prints one line per target and exits 1 when any target found something.
set -u
cd "$(dirname "$0")/.."

dir=${1:?usage: tools/fuzzrun.sh BUILD_FUZZ_DIR}
secs=${FUZZ_SECONDS:-60}
max_len=65536
rss_mb=2048
status=0
found_any=0

shopt -s nullglob
targets=("$dir"/fuzz/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzzrun: no targets in $dir/fuzz (make VARIANT=fuzz fuzz-build)" >&2
  exit 1
fi

for bin in "${targets[@]}"; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then continue; fi
  work="$dir/corpus-work/$name"
  art="$dir/artifacts/$name"
  log="$dir/logs/$name.log"
  mkdir -p "$work" "$art" "$(dirname "$log")"
  rm -f "$art"/*
  if [ -d "tests/fuzz/corpus/$name" ]; then cp -n tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null; fi

  t0=$SECONDS
  "$bin" -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb="$rss_mb" -timeout=25 \
         -print_final_stats=1 -artifact_prefix="$art/" "$work" >"$log" 2>&1
  rc=$?
  took=$((SECONDS - t0))

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(find "$work" -type f | wc -l)
  found=("$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*)
  if [ ${#found[@]} -gt 0 ]; then
    mkdir -p "tests/fuzz/regress/$name"
    cp "${found[@]}" "tests/fuzz/regress/$name/"
    found_any=1
    verdict="FOUND ${#found[@]}: $(printf '%s ' "${found[@]##*/}")(copied to tests/fuzz/regress/$name/; log $log)"
  elif [ $rc -ne 0 ]; then
    verdict="FAILED (exit $rc, no artifact; log $log)"
    status=1
  else
    verdict="ok"
  fi
  printf 'fuzz  %-14s %4ss %10s execs  cov %-6s corpus %-6s %s\n' \
    "$name" "$took" "${execs:-?}" "${cov:-?}" "$corp" "$verdict"
done

[ $found_any -eq 0 ] && [ $status -eq 0 ]
