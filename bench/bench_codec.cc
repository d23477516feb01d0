// bench_codec.cc: Google Benchmark cases for engine/eng_codec.
//
// Each case decodes the same ~64 MiB of generated access-log text (seed 1),
// compressed once before timing: gzip by zlib at level 6 (one member, as
// gzip/logrotate write it), zstd at level 3. The decode runs the way the
// engine's reader will: 1 MiB input chunks, one reused 4 MiB output block.
// MB/s are of DEcompressed bytes (SetBytesProcessed), so the cases compare
// directly with each other and with `gzip -dc` & co. (docs/gzip.md).
#include <benchmark/benchmark.h>

#include "bench/harness.h"

namespace {

constexpr size_t kPlainBytes = size_t{64} << 20;  // ~64 MiB of log text
constexpr uint64_t kSeed = 1;

struct CodecInputs {
    as_buf plain = AS_BUF_INIT;
    as_buf gz = AS_BUF_INIT;
    as_buf zst = AS_BUF_INIT;
    bool ok = false;

    CodecInputs()
    {
        ok = bench_make_access_log(&plain, kPlainBytes, kSeed) == 0 &&
             bench_gzip(&gz, plain.data, plain.len, 6) == 0 && bench_zstd(&zst, plain.data, plain.len, 3) == 0;
    }
    ~CodecInputs()
    {
        as_buf_fini(&plain);
        as_buf_fini(&gz);
        as_buf_fini(&zst);
    }
};

// Built on first use, outside any timed loop, once per process.
const CodecInputs &inputs()
{
    static const CodecInputs in;
    return in;
}

void run_decode(benchmark::State &state, eng_comp comp, eng_gz_impl gz)
{
    const CodecInputs &in = inputs();
    if (!in.ok) {
        state.SkipWithError("building the inputs failed");
        return;
    }
    const as_buf &src = comp == ENG_COMP_GZIP ? in.gz : in.zst;
    uint8_t *blk = static_cast<uint8_t *>(as_malloc(BENCH_OUT_BLOCK));
    if (blk == nullptr) {
        state.SkipWithError("out of memory");
        return;
    }
    for (auto _ : state) {
        uint64_t total = 0;
        as_code rc = bench_decode(comp, gz, reinterpret_cast<const uint8_t *>(src.data), src.len, BENCH_IN_CHUNK,
                                  blk, BENCH_OUT_BLOCK, &total);
        if (rc != AS_OK || total != in.plain.len) {
            state.SkipWithError("decode failed or gave the wrong size");
            break;
        }
        benchmark::DoNotOptimize(blk[0]);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.plain.len));
    state.counters["ratio"] = static_cast<double>(in.plain.len) / static_cast<double>(src.len);
    as_free(blk);
}

void BM_codec_gzip_isal(benchmark::State &state) { run_decode(state, ENG_COMP_GZIP, ENG_GZ_ISAL); }
void BM_codec_gzip_zlib(benchmark::State &state) { run_decode(state, ENG_COMP_GZIP, ENG_GZ_ZLIB); }
void BM_codec_zstd(benchmark::State &state) { run_decode(state, ENG_COMP_ZSTD, ENG_GZ_AUTO); }

}  // namespace

BENCHMARK(BM_codec_gzip_isal)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_codec_gzip_zlib)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_codec_zstd)->Unit(benchmark::kMillisecond)->MinTime(3.0);
