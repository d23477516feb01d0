// bench_psr.cc: Google Benchmark cases for the format layer (parsers/psr.h)
// and the scanners it adds: what a worker pays per record in `assay scan`
// and `assay parse`.
//
// BM_psr_parse_combined   psr_parse on ~64 MiB of generated access lines
//                         (full validation + event time), through the
//                         format layer, as a worker does it
// BM_psr_parse_get_status the same + as_rec_get("status") on every record
// BM_psr_sniff            psr_input_new on a 64 KiB head (once per input)
// BM_csv_split            psr_csv_split on ~32 MiB of HR-export-like rows
//                         (8 columns, 1 in 4 quoted with a comma, 1 in 50
//                         with a newline inside quotes)
// BM_logfmt_scan          psr_logfmt_scan on ~32 MiB of backup-job lines
// MB/s count each record plus its newline.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr.h"
#include "parsers/psr_csv.h"
#include "parsers/psr_logfmt.h"
}

namespace {

struct Corpus {
    as_buf text = AS_BUF_INIT;
    std::vector<as_slice> recs;
    ~Corpus() { as_buf_fini(&text); }
    void cut_lines()
    {
        const char *p = text.data, *end = text.data + text.len;
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            const char *e = nl ? nl : end;
            if (e > p)
                recs.push_back(as_slice_make(p, static_cast<size_t>(e - p)));
            p = nl ? nl + 1 : end;
        }
    }
};

const Corpus &access()
{
    static Corpus c;
    if (c.recs.empty()) {
        if (bench_make_access_log(&c.text, size_t{64} << 20, 1) != 0)
            return c;
        c.cut_lines();
        c.recs.pop_back();  // the last line is cut
    }
    return c;
}

const Corpus &csv_rows()
{
    static Corpus c;
    if (c.recs.empty()) {
        bench_rng r{ 7 };
        const char *depts[] = { "Engineering", "Sales", "Finance", "People", "Support" };
        char line[512];
        while (c.text.len < (size_t{32} << 20)) {
            unsigned i = bench_rng_below(&r, 100000), q = bench_rng_below(&r, 200);
            const char *notes = q < 4 ? "\"moved to EU team\nsee ticket\"" : q < 50 ? "\"contractor, 6 months\"" : "";
            int n = snprintf(line, sizeof line,
                             "E%u,Person %u,person.%u@northwind.example,p%u,%s,Engineer %u,2021-%02u-%02u,%s\n", i, i,
                             i, i, depts[i % 5], i % 7, 1 + i % 12, 1 + i % 28, notes);
            if (as_buf_append(&c.text, line, static_cast<size_t>(n)) != 0)
                break;
        }
        // records: lines, joined where a quote is open (the engine's QUOTED framing)
        const char *p = c.text.data, *end = c.text.data + c.text.len, *start = p;
        int inq = 0;
        for (; p < end; p++) {
            if (*p == '"')
                inq = !inq;
            else if (*p == '\n' && !inq) {
                c.recs.push_back(as_slice_make(start, static_cast<size_t>(p - start)));
                start = p + 1;
            }
        }
    }
    return c;
}

const Corpus &kv_lines()
{
    static Corpus c;
    if (c.recs.empty()) {
        bench_rng r{ 9 };
        char line[256];
        while (c.text.len < (size_t{32} << 20)) {
            unsigned d = bench_rng_below(&r, 28) + 1, s = bench_rng_below(&r, 86400);
            int n = snprintf(line, sizeof line,
                             "2025-10-%02uT%02u:%02u:%02uZ host=db-%02u job=nightly status=%s files=%u bytes=%u "
                             "duration=%us snapshot=%08x msg=\"run %u done\"\n",
                             d, s / 3600, s / 60 % 60, s % 60, s % 9, s % 17 ? "success" : "failure", s * 7, s * 977,
                             s % 1000, s * 2654435761u, s);
            if (as_buf_append(&c.text, line, static_cast<size_t>(n)) != 0)
                break;
        }
        c.cut_lines();
    }
    return c;
}

size_t bytes_of(const Corpus &c)
{
    size_t n = 0;
    for (const as_slice &s : c.recs)
        n += s.len + 1;
    return n;
}

void parse_combined(benchmark::State &st, bool get_status)
{
    const Corpus &c = access();
    as_err err;
    as_err_clear(&err);
    psr_opts o{};
    psr_ctx *ctx = psr_ctx_new(&o, "combined", &err);
    psr_input *in = ctx ? psr_input_new(ctx, as_slice_make(c.text.data, 65536), 0) : nullptr;
    psr_worker *w = ctx ? psr_worker_new(ctx) : nullptr;
    if (w == nullptr || in == nullptr) {
        st.SkipWithError("setup failed");
        return;
    }
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t rejected = 0, sum = 0;
    for (auto _ : st) {
        for (size_t i = 0; i < c.recs.size(); i++) {
            as_rec rec{};
            rec.raw = c.recs[i];
            psr_res res;
            if (psr_parse(in, w, &rec, &ar, &res) != AS_OK) {
                rejected++;
                continue;
            }
            if (get_status) {
                as_val v;
                if (as_rec_get(&rec, as_slice_cstr("status"), &v, &ar) == AS_OK && v.type == AS_V_INT)
                    sum += static_cast<uint64_t>(v.u.i);
            }
            if ((i & 1023) == 1023)
                as_arena_reset(&ar);                 // the engine resets per block
        }
        as_arena_reset(&ar);
        benchmark::DoNotOptimize(sum);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * bytes_of(c)));
    st.counters["records/s"] = benchmark::Counter(static_cast<double>(st.iterations() * c.recs.size()),
                                                  benchmark::Counter::kIsRate);
    st.counters["rejected"] = static_cast<double>(rejected);
    as_arena_fini(&ar);
    psr_worker_free(w);
    psr_input_free(in);
    psr_ctx_free(ctx);
}

void BM_psr_parse_combined(benchmark::State &st) { parse_combined(st, false); }
void BM_psr_parse_get_status(benchmark::State &st) { parse_combined(st, true); }

void BM_psr_sniff(benchmark::State &st)
{
    const Corpus &c = access();
    as_err err;
    as_err_clear(&err);
    psr_opts o{};
    psr_ctx *ctx = psr_ctx_new(&o, nullptr, &err);
    for (auto _ : st) {
        psr_input *in = psr_input_new(ctx, as_slice_make(c.text.data, 65536), 0);
        benchmark::DoNotOptimize(in);
        psr_input_free(in);
    }
    psr_ctx_free(ctx);
}

void BM_csv_split(benchmark::State &st)
{
    const Corpus &c = csv_rows();
    const psr_csv_opts co = { ',' };
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t fields = 0, bad = 0;
    for (auto _ : st) {
        for (size_t i = 0; i < c.recs.size(); i++) {
            as_slice *f;
            size_t n;
            uint64_t l, col;
            if (psr_csv_split(c.recs[i], &co, &ar, &f, &n, &l, &col) == AS_OK)
                fields += n;
            else
                bad++;
            if ((i & 1023) == 1023)
                as_arena_reset(&ar);
        }
        as_arena_reset(&ar);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * bytes_of(c)));
    st.counters["records/s"] = benchmark::Counter(static_cast<double>(st.iterations() * c.recs.size()),
                                                  benchmark::Counter::kIsRate);
    st.counters["rejected"] = static_cast<double>(bad);
    as_arena_fini(&ar);
}

void BM_logfmt_scan(benchmark::State &st)
{
    const Corpus &c = kv_lines();
    psr_logfmt r;
    uint64_t pairs = 0;
    for (auto _ : st) {
        for (const as_slice &s : c.recs) {
            uint64_t col;
            if (psr_logfmt_scan(s, &r, &col) == AS_OK)
                pairs += r.n;
        }
        benchmark::DoNotOptimize(pairs);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * bytes_of(c)));
    st.counters["records/s"] = benchmark::Counter(static_cast<double>(st.iterations() * c.recs.size()),
                                                  benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_psr_parse_combined)->MinTime(2.0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_psr_parse_get_status)->MinTime(2.0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_psr_sniff)->MinTime(0.5)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_csv_split)->MinTime(2.0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_logfmt_scan)->MinTime(2.0)->Unit(benchmark::kMillisecond);
