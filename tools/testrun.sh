#!/usr/bin/env bash
# testrun.sh: runs the built test suites of one or more variants and prints one
# summary line per suite, then the total as the last line: "N passed, N failed".
# Usage: tools/testrun.sh VARIANT... (release, asan, tsan); SUITES=unit|e2e|fuzz|threaded|all
# Exit status 1 when anything failed.
set -u
cd "$(dirname "$0")/.."
SUITES=${SUITES:-all}
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

add() { total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); }

run_unit() { # variant binary
  local v=$1 bin=$2 name p f
  name=$(basename "$bin")
  if [ "$v" = tsan ]; then export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"; fi
  "$bin" >"$log" 2>&1; local rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi      # crashed or sanitizer report
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  printf '%-8s unit  %-28s %4d passed, %d failed\n' "$v" "$name" "$p" "$f"
  add "$p" "$f"
}

run_e2e() { # variant script
  local v=$1 script=$2 name line p f
  name=$(basename "$script" .sh)
  ASSAY="build/$v/assay" GEN="build/$v/assay-gen" VARIANT="$v" bash "$script" >"$log" 2>&1; local rc=$?
  line=$(grep -E '^e2e .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line"); p=${p:-0}
  f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line"); f=${f:-0}
  if [ -z "$line" ] || { [ $rc -ne 0 ] && [ "$f" -eq 0 ]; }; then f=$((f + 1)); fi
  if [ "$f" -ne 0 ]; then grep -v '^ok ' "$log" | tail -60; fi
  printf '%-8s e2e   %-28s %4d passed, %d failed\n' "$v" "$name" "$p" "$f"
  add "$p" "$f"
}

run_fuzz_replay() { # variant binary: replays kept crashers and seed corpora
  local v=$1 bin=$2 name dirs=() n=0
  name=$(basename "$bin")
  for d in "tests/fuzz/regress/$name" "tests/fuzz/corpus/$name"; do [ -d "$d" ] && dirs+=("$d"); done
  [ ${#dirs[@]} -eq 0 ] && return 0
  n=$(find "${dirs[@]}" -type f ! -name '.*' | wc -l)   # replay_main skips dot-files
  if "$bin" "${dirs[@]}" >"$log" 2>&1; then
    printf '%-8s fuzz  %-28s %4d passed, 0 failed\n' "$v" "$name" "$n"; add "$n" 0
  else
    tail -30 "$log"; printf '%-8s fuzz  %-28s %4d passed, 1 failed\n' "$v" "$name" 0; add 0 1
  fi
}

for v in "$@"; do
  if [ -f "build/$v/.build-status" ] && [ "$(cat "build/$v/.build-status")" != 0 ]; then
    printf '%-8s build %-28s %4d passed, %d failed\n' "$v" "(make tests-build failed)" 0 1
    add 0 1
  fi
  # only the e2e suites need the binary: unit and fuzz replays still run without it
  has_bin=1
  if [ ! -x "build/$v/assay" ]; then echo "testrun: build/$v/assay is missing (make VARIANT=$v tests-build)"; add 0 1; has_bin=0; fi
  if [[ $SUITES == all || $SUITES == unit || $SUITES == threaded ]]; then
    for bin in build/"$v"/tests/test_*; do
      [ -x "$bin" ] || continue
      if [[ $SUITES == threaded ]] && ! grep -q "threaded" "tests/unit/$(basename "$bin").c"; then continue; fi
      run_unit "$v" "$bin"
    done
  fi
  if [ $has_bin -eq 1 ] && [[ $SUITES == all || $SUITES == e2e || $SUITES == threaded ]]; then
    for s in tests/e2e/*.sh; do
      [ "$(basename "$s")" = lib.sh ] && continue
      if [[ $SUITES == threaded ]] && ! head -5 "$s" | grep -q "threaded"; then continue; fi
      run_e2e "$v" "$s"
    done
  fi
  if [[ $SUITES == all || $SUITES == fuzz ]]; then
    for bin in build/"$v"/replay/fuzz_*; do
      [ -x "$bin" ] || continue
      run_fuzz_replay "$v" "$bin"
    done
  fi
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
