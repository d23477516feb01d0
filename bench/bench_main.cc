// bench_main.cc: the main() of build/release/bench/assay-bench, which links
// every bench/bench_*.cc (Google Benchmark registers the cases statically).
// Run it through `make bench` (bench/run.sh) or directly, e.g.
//   build/release/bench/assay-bench --benchmark_filter=codec
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
