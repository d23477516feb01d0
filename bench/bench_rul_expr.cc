// bench_rul_expr.cc: Google Benchmark cases for the expression language
// (rules/rul_expr.h): what a worker pays per record for a rule's `where`.
//
// Records are parsed once, outside the timed loop (their fields stay lazy:
// every evaluation reads them through as_rec_get, as a rule does); the loop
// evaluates one compiled predicate over all of them.
//   BM_rul_expr_where_combined  status >= 500 and method == "POST" on ~8 MiB
//                               of generated access lines (combined format)
//   BM_rul_expr_where_in_regex  method in [...] and path =~ "^/api/v1/orders/\d+"
//   BM_rul_expr_where_json_any  any(target, it.type == "AppInstance") and
//                               outcome.result == "FAILURE" on Okta-like JSONL
//   BM_rul_expr_const           a folded constant: the fixed cost of one call
// Counter evals/s; ns per evaluation = 1e9 / evals/s.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr.h"
#include "rules/rul_expr.h"
}

namespace {

struct Parsed {
    as_buf text = AS_BUF_INIT;
    as_arena ar{};
    psr_ctx *ctx = nullptr;
    psr_input *in = nullptr;
    psr_worker *w = nullptr;
    std::vector<as_rec> recs;
    ~Parsed()
    {
        psr_worker_free(w);
        psr_input_free(in);
        psr_ctx_free(ctx);
        as_arena_fini(&ar);
        as_buf_fini(&text);
    }
    void parse(const char *format)
    {
        as_err err;
        as_err_clear(&err);
        psr_opts o{};
        as_arena_init(&ar, 0);
        ctx = psr_ctx_new(&o, format, &err);
        in = ctx ? psr_input_new(ctx, as_slice_make(text.data, text.len < 65536 ? text.len : 65536), 0) : nullptr;
        w = ctx ? psr_worker_new(ctx) : nullptr;
        if (w == nullptr || in == nullptr)
            return;
        const char *p = text.data, *end = text.data + text.len;
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            if (nl == nullptr)
                break; // the last line may be cut
            as_rec rec{};
            rec.raw = as_slice_make(p, static_cast<size_t>(nl - p));
            psr_res res;
            if (psr_parse(in, w, &rec, &ar, &res) == AS_OK)
                recs.push_back(rec);
            p = nl + 1;
        }
    }
};

const Parsed &access()
{
    static Parsed c;
    if (c.recs.empty() && bench_make_access_log(&c.text, size_t{8} << 20, 3) == 0)
        c.parse("combined");
    return c;
}

const Parsed &okta()
{
    static Parsed c;
    if (c.recs.empty()) {
        bench_rng r{ 11 };
        char line[1024];
        static const char *types[] = { "User", "AppInstance", "AppUser", "Group" };
        while (c.text.len < (size_t{8} << 20)) {
            unsigned a = bench_rng_below(&r, 4), b = bench_rng_below(&r, 4), f = bench_rng_below(&r, 10);
            int n = snprintf(line, sizeof line,
                             "{\"published\":\"2025-10-01T12:%02u:%02u.000Z\",\"eventType\":\"user.session.start\","
                             "\"actor\":{\"id\":\"00u%05u\",\"type\":\"User\",\"alternateId\":\"user%u@example.com\"},"
                             "\"outcome\":{\"result\":\"%s\"},\"client\":{\"ipAddress\":\"10.0.%u.%u\"},"
                             "\"target\":[{\"id\":\"t1\",\"type\":\"%s\"},{\"id\":\"t2\",\"type\":\"%s\"}]}\n",
                             a * 13 % 60, b * 7 % 60, a * 1000 + b, a, f ? "SUCCESS" : "FAILURE", a, b, types[a],
                             types[b]);
            if (as_buf_append(&c.text, line, static_cast<size_t>(n)) != 0)
                break;
        }
        c.parse("jsonl");
    }
    return c;
}

void run(benchmark::State &st, const Parsed &c, const char *text)
{
    as_err err;
    rul_expr *e = rul_expr_compile(as_slice_cstr(text), nullptr, RUL_T_BOOL, &err);
    rul_scratch *s = rul_scratch_new();
    if (e == nullptr || s == nullptr || c.recs.empty()) {
        st.SkipWithError(e == nullptr ? err.msg : "setup failed");
        rul_expr_free(e);
        rul_scratch_free(s);
        return;
    }
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t yes = 0, unknown = 0;
    for (auto _ : st) {
        for (size_t i = 0; i < c.recs.size(); i++) {
            rul_rt rt{};
            rt.rec = &c.recs[i];
            rt.ar = &ar;
            rt.scratch = s;
            int r = rul_expr_test(e, &rt);
            yes += r == 1;
            unknown += r < 0;
            if ((i & 1023) == 1023)
                as_arena_reset(&ar);
        }
        as_arena_reset(&ar);
    }
    st.counters["evals/s"] = benchmark::Counter(static_cast<double>(st.iterations() * c.recs.size()),
                                                benchmark::Counter::kIsRate);
    st.counters["true%"] = 100.0 * static_cast<double>(yes) / static_cast<double>(st.iterations() * c.recs.size());
    st.counters["untestable"] = static_cast<double>(unknown);
    as_arena_fini(&ar);
    rul_scratch_free(s);
    rul_expr_free(e);
}

void BM_rul_expr_where_combined(benchmark::State &st)
{
    run(st, access(), "status >= 500 and method == \"POST\"");
}

void BM_rul_expr_where_in_regex(benchmark::State &st)
{
    run(st, access(), "method in [\"GET\", \"HEAD\"] and path =~ \"^/api/v1/orders/\\d+\"");
}

void BM_rul_expr_where_json_any(benchmark::State &st)
{
    run(st, okta(), "any(target, it.type == \"AppInstance\") and outcome.result == \"FAILURE\"");
}

void BM_rul_expr_const(benchmark::State &st)
{
    run(st, access(), "1 + 1 == 2");
}

} // namespace

BENCHMARK(BM_rul_expr_where_combined)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_rul_expr_where_in_regex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_rul_expr_where_json_any)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_rul_expr_const)->Unit(benchmark::kMillisecond);
