// bench_smp.cc: Google Benchmark cases for samplers/: planning time (the
// "planning is instant" claim: under 10 ms for n in the thousands), the cost
// of a selection key (HMAC-SHA256 on prepared states) and of the bottom-k
// heap, and evaluation. Selection MB/s over a whole population file is
// measured by bench/run.sh against sha256sum and awk in the same run.
//
// BM_plan_binomial/TDR/EDR   the scan up to n: 59 (5/0), 1577 (10/9 at 90%),
//                            4000s (5/4.5)
// BM_plan_hypergeometric     N = 1,000,000, TDR 5%, EDR 4%
// BM_plan_exact_tie          H12 (N = 100, the tie decided on big integers)
// BM_key_hmac                one key: HMAC-SHA256(seed, "9f86d081884c7d65:<offset>")
// BM_bottomk_push/k          keys of a random stream into a bottom-k heap
// BM_eval_cp                 Clopper-Pearson limit, x = 10, n = 500
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "samplers/smp.h"
}

namespace {

void run_plan(benchmark::State &st, const smp_plan_req &q)
{
    smp_plan p{};
    as_err e;
    for (auto _ : st) {
        as_err_clear(&e);
        if (smp_plan_compute(&q, &p, &e) != AS_OK)
            st.SkipWithError("plan failed");
        benchmark::DoNotOptimize(p.n);
    }
    st.counters["n"] = static_cast<double>(p.n);
}

void BM_plan_binomial(benchmark::State &st)
{
    smp_plan_req q{};
    q.model = SMP_MODEL_BINOMIAL;
    q.conf_bp = static_cast<uint32_t>(st.range(2));
    q.tdr_bp = static_cast<uint32_t>(st.range(0));
    q.edr_bp = static_cast<uint32_t>(st.range(1));
    run_plan(st, q);
}
BENCHMARK(BM_plan_binomial)->Args({ 500, 0, 9500 })->Args({ 1000, 900, 9000 })->Args({ 500, 450, 9500 })
    ->Unit(benchmark::kMillisecond);

void BM_plan_hypergeometric(benchmark::State &st)
{
    smp_plan_req q{};
    q.model = SMP_MODEL_HYPERGEOMETRIC;
    q.conf_bp = 9500;
    q.tdr_bp = 500;
    q.edr_bp = 400;
    q.N = 1000000;
    run_plan(st, q);
}
BENCHMARK(BM_plan_hypergeometric)->Unit(benchmark::kMillisecond);

void BM_plan_exact_tie(benchmark::State &st)
{
    smp_plan_req q{};
    q.model = SMP_MODEL_HYPERGEOMETRIC;
    q.conf_bp = 9000;
    q.tdr_bp = 1000;
    q.edr_bp = 850;
    q.N = 100;
    run_plan(st, q);
}
BENCHMARK(BM_plan_exact_tie)->Unit(benchmark::kMicrosecond);

void BM_key_hmac(benchmark::State &st)
{
    smp_seed s;
    if (smp_seed_parse("audit-2025", &s) != 0)
        st.SkipWithError("seed");
    smp_keyer *k = smp_keyer_new(&s);
    char id[40];
    uint64_t off = 0, key = 0;
    for (auto _ : st) {
        int n = snprintf(id, sizeof id, "9f86d081884c7d65:%llu", static_cast<unsigned long long>(off += 117));
        if (smp_keyer_key(k, as_slice_make(id, static_cast<size_t>(n)), &key) != 0)
            st.SkipWithError("hmac");
        benchmark::DoNotOptimize(key);
    }
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
    smp_keyer_free(k);
}
BENCHMARK(BM_key_hmac);

// BM_key_hmac_batch/MB: smp_keyer_keys over batches of 256 ids; MB = 1 lets it use
// the 16-lane AVX-512 compression (smp_mb.h) where the CPU has it, 0 one by one.
void BM_key_hmac_batch(benchmark::State &st)
{
    smp_seed s;
    if (smp_seed_parse("audit-2025", &s) != 0)
        st.SkipWithError("seed");
    smp_keyer *k = smp_keyer_new(&s);
    int on = smp_keyer_set_multibuffer(k, static_cast<int>(st.range(0)));
    std::vector<std::string> text(256);
    std::vector<as_slice> ids(256);
    std::vector<uint64_t> keys(256);
    uint64_t off = 0;
    for (size_t i = 0; i < ids.size(); i++) {
        text[i] = "9f86d081884c7d65:" + std::to_string(off += 117);
        ids[i] = as_slice_make(text[i].data(), text[i].size());
    }
    for (auto _ : st) {
        if (smp_keyer_keys(k, ids.data(), ids.size(), keys.data()) != 0)
            st.SkipWithError("hmac");
        benchmark::DoNotOptimize(keys.data());
    }
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations()) * 256);
    st.counters["multibuffer"] = on;
    smp_keyer_free(k);
}
BENCHMARK(BM_key_hmac_batch)->Arg(0)->Arg(1);

void BM_bottomk_push(benchmark::State &st)
{
    const size_t n = 1 << 20;
    std::vector<uint64_t> keys(n);
    bench_rng r{ 42 };
    for (auto &k : keys)
        k = bench_rng_next(&r);
    char id[24];
    for (auto _ : st) {
        smp_bottomk b;
        smp_bottomk_init(&b, static_cast<uint64_t>(st.range(0)), nullptr);
        for (size_t i = 0; i < n; i++) {
            if (!smp_bottomk_wants(&b, keys[i], as_slice_make("", 0)))
                continue;
            int l = snprintf(id, sizeof id, "id%zu", i);
            if (smp_bottomk_push(&b, keys[i], as_slice_make(id, static_cast<size_t>(l)), nullptr) != AS_OK)
                st.SkipWithError("push");
        }
        benchmark::DoNotOptimize(b.n);
        smp_bottomk_fini(&b);
    }
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * n));
}
BENCHMARK(BM_bottomk_push)->Arg(100)->Arg(10000);

void BM_eval_cp(benchmark::State &st)
{
    for (auto _ : st)
        benchmark::DoNotOptimize(smp_cp_upper(10, 500, 9500));
}
BENCHMARK(BM_eval_cp)->Unit(benchmark::kMicrosecond);

}  // namespace
