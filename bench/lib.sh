# lib.sh: what the whole-run benchmark scripts share (sourced, not run).
# best CMD: the best wall time of RUNS runs of a shell command, in seconds.
# mbps SECONDS [BYTES]: decimal MB/s of BYTES (default $BYTES) in SECONDS.
best() {
  local best_t="" t0 t1 t
  for _ in $(seq "${RUNS:-3}"); do
    t0=$(date +%s.%N)
    bash -c "$1" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best_t" ] || [ "$(echo "$t < $best_t" | bc -l)" = 1 ]; then best_t=$t; fi
  done
  echo "$best_t"
}
mbps() { echo "scale=0; ${2:-$BYTES} / $1 / 1000000" | bc -l; }
