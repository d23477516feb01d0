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

// Okta System Log-shaped lines: eight shapes (target types, one FAILURE in
// eight) repeated to ~8 MiB; bench_json.cc has a richer generator for the
// scanner itself, here only the predicate's paths matter.
const Parsed &okta()
{
    static Parsed c;
    static const char *const k_lines[] = {
#define OKTA_LINE(result, t1, t2)                                                                              \
    "{\"published\":\"2025-10-01T12:00:00.000Z\",\"eventType\":\"user.session.start\",\"actor\":{\"id\":"       \
    "\"00u1abcdefghijklmn\",\"type\":\"User\",\"alternateId\":\"alice@example.com\"},\"outcome\":{\"result\":\"" \
    result "\"},\"client\":{\"ipAddress\":\"10.0.0.7\"},\"target\":[{\"id\":\"0oa1\",\"type\":\"" t1             \
    "\",\"alternateId\":\"Example App\"},{\"id\":\"00g1\",\"type\":\"" t2 "\"}]}\n"
        OKTA_LINE("SUCCESS", "User", "UserGroup"),    OKTA_LINE("SUCCESS", "AppInstance", "UserGroup"),
        OKTA_LINE("FAILURE", "AppInstance", "User"),  OKTA_LINE("SUCCESS", "AppUser", "User"),
        OKTA_LINE("SUCCESS", "User", "AppInstance"),  OKTA_LINE("SUCCESS", "UserGroup", "User"),
        OKTA_LINE("SUCCESS", "AppUser", "AppUser"),   OKTA_LINE("SUCCESS", "User", "User"),
#undef OKTA_LINE
    };
    for (size_t i = 0; c.recs.empty() && c.text.len < (size_t{8} << 20); i++)
        if (as_buf_append_cstr(&c.text, k_lines[i % (sizeof k_lines / sizeof k_lines[0])]) != 0)
            break;
    if (c.recs.empty())
        c.parse("jsonl");
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
    // one rul_rt per thread, reused record after record (rul_expr.h)
    as_arena ar;
    as_arena_init(&ar, 0);
    rul_rt rt{};
    rt.ar = &ar;
    rt.scratch = s;
    uint64_t verdicts[3] = { 0, 0, 0 }; // untestable, false, true
    const size_t n = c.recs.size();
    for (auto _ : st) {
        for (size_t i = 0; i < n; i++) {
            rt.rec = &c.recs[i];
            int r = rul_expr_test(e, &rt);
            verdicts[r < 0 ? 0 : r + 1]++;
            if ((i & 1023) == 1023)
                as_arena_reset(&ar); // the engine resets per block
        }
        as_arena_reset(&ar);
    }
    const double evals = static_cast<double>(st.iterations() * n);
    st.counters["evals/s"] = benchmark::Counter(evals, benchmark::Counter::kIsRate);
    st.counters["true%"] = 100.0 * static_cast<double>(verdicts[2]) / evals;
    st.counters["untestable"] = static_cast<double>(verdicts[0]);
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
