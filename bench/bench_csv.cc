// bench_csv.cc: Google Benchmark cases for parsers/psr_csv.
//
// The input is ~20 MiB of HR-export-like rows from this file's seeded
// generator (splitmix64, seed 4180): 8 columns (employee id, name, email,
// department, title, manager, start date, notes), ~96 B a row; 1 row in 4
// has a quoted "Last, First" name, 1 in 5 a quoted note with a comma, 1 in
// 50 a note over two lines (LF or CR LF inside quotes), 1 in 40 a note with
// doubled quotes (decoded into the arena). It is cut into records before
// timing with the engine's framing (a line feed inside quotes does not end a
// record). MB/s count each record plus its line feed, as read from a file.
//
// BM_csv_split_hr          psr_csv_split on the mix, arena reset every 1,024
//                          records as a worker resets per block
// BM_csv_split_libcsv_hr   psr_csv_split_libcsv (the reference) on the same
// BM_csv_count_hr          psr_csv_count (validation, no values)
// BM_csv_split_plain       rows without any quote (~20 MiB)
// BM_csv_split_all_quoted  every field quoted, as some exporters write (~20 MiB)
// BM_csv_libcsv_per_call   bare libcsv, a parser initialised and freed per
//                          record (what psr_csv_split_libcsv does)
// BM_csv_libcsv_reused     bare libcsv, one parser reused (csv_fini resets it):
//                          the difference is the per-call init cost
#include <benchmark/benchmark.h>

#include <csv.h>
#include <cstdio>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr_csv.h"
}

namespace {

enum class Shape { mix, plain, all_quoted };

struct CsvCorpus {
    as_buf text = AS_BUF_INIT;
    std::vector<as_slice> recs;
    size_t bytes = 0;
    ~CsvCorpus() { as_buf_fini(&text); }
};

constexpr size_t kCsvBytes = size_t{20} << 20;

void make_rows(CsvCorpus &c, Shape shape)
{
    static const char *const depts[] = { "Engineering", "Sales", "Finance", "People", "Support", "Legal" };
    static const char *const titles[] = { "Engineer", "Senior Engineer", "Account Executive", "Analyst",
                                          "Support Specialist", "Counsel", "Manager" };
    static const char *const first[] = { "Ann", "Bob", "Carol", "Dmitri", "Eve", "Farid", "Grace", "Hiro" };
    static const char *const last[] = { "Smith", "Okafor", "Nguyen", "Schmidt", "Garcia", "Kowalski", "Tanaka" };
    bench_rng r{ 4180 };
    char line[768];
    while (c.text.len < kCsvBytes) {
        unsigned id = 10000 + bench_rng_below(&r, 90000), q = bench_rng_below(&r, 200);
        const char *fn = first[bench_rng_below(&r, 8)], *ln = last[bench_rng_below(&r, 7)];
        const char *dept = depts[id % 6], *title = titles[id % 7];
        char name[64], notes[160];
        int n;
        if (shape == Shape::all_quoted) {
            n = snprintf(line, sizeof line,
                         "\"E%u\",\"%s %s\",\"%s.%s@northwind.example\",\"%s\",\"%s\",\"E%u\",\"20%02u-%02u-%02u\","
                         "\"%s\"\n",
                         id, fn, ln, fn, ln, dept, title, 10000 + id % 977, 10 + id % 15, 1 + id % 12, 1 + id % 28,
                         q < 40 ? "contractor, 6 months" : "");
        } else {
            if (shape == Shape::mix && q % 4 == 0)
                snprintf(name, sizeof name, "\"%s, %s\"", ln, fn);
            else
                snprintf(name, sizeof name, "%s %s", fn, ln);
            if (shape == Shape::plain)
                snprintf(notes, sizeof notes, "%s", q < 40 ? "contractor 6 months" : "");
            else if (q < 2)
                snprintf(notes, sizeof notes, "\"moved to EU team\nsee ticket HR-%u\"", id);
            else if (q < 4)
                snprintf(notes, sizeof notes, "\"laptop returned\r\nbadge disabled\"");
            else if (q < 9)
                snprintf(notes, sizeof notes, "\"prefers \"\"Bob\"\" in mail, remote\"");
            else if (q < 49)
                snprintf(notes, sizeof notes, "\"contractor, 6 months\"");
            else
                notes[0] = '\0';
            n = snprintf(line, sizeof line, "E%u,%s,%s.%s@northwind.example,%s,%s,E%u,20%02u-%02u-%02u,%s\n", id,
                         name, fn, ln, dept, title, 10000 + id % 977, 10 + id % 15, 1 + id % 12, 1 + id % 28, notes);
        }
        if (n <= 0 || as_buf_append(&c.text, line, static_cast<size_t>(n)) != 0)
            break;
    }
    // records: the engine's QUOTED framing (quote parity), without the line feed
    const char *p = c.text.data, *end = c.text.data + c.text.len, *start = p;
    bool inq = false;
    for (; p < end; p++) {
        if (*p == '"') {
            inq = !inq;
        } else if (*p == '\n' && !inq) {
            c.recs.push_back(as_slice_make(start, static_cast<size_t>(p - start)));
            c.bytes += static_cast<size_t>(p - start) + 1;
            start = p + 1;
        }
    }
}

const CsvCorpus &corpus(Shape shape)
{
    static CsvCorpus c[3];
    CsvCorpus &k = c[static_cast<int>(shape)];
    if (k.recs.empty())
        make_rows(k, shape);
    return k;
}

using SplitFn = as_code (*)(as_slice, const psr_csv_opts *, as_arena *, as_slice **, size_t *, uint64_t *,
                            uint64_t *);

as_code split_fast(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **f, size_t *n, uint64_t *l,
                   uint64_t *c)
{
    return psr_csv_split(rec, o, ar, f, n, l, c);
}

void run_split(benchmark::State &st, Shape shape, SplitFn fn)
{
    const CsvCorpus &c = corpus(shape);
    const psr_csv_opts o{ ',' };
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t fields = 0, bad = 0;
    for (auto _ : st) {
        for (size_t i = 0; i < c.recs.size(); i++) {
            as_slice *f;
            size_t n;
            uint64_t l, col;
            if (fn(c.recs[i], &o, &ar, &f, &n, &l, &col) == AS_OK)
                fields += n;
            else
                bad++;
            if ((i & 1023) == 1023)
                as_arena_reset(&ar);
        }
        as_arena_reset(&ar);
        benchmark::DoNotOptimize(fields);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * c.bytes));
    st.counters["records/s"] = benchmark::Counter(static_cast<double>(st.iterations() * c.recs.size()),
                                                  benchmark::Counter::kIsRate);
    st.counters["rejected"] = static_cast<double>(bad);
    st.counters["fields/rec"] = static_cast<double>(fields) / static_cast<double>(st.iterations() * c.recs.size());
    as_arena_fini(&ar);
}

void BM_csv_split_hr(benchmark::State &st) { run_split(st, Shape::mix, split_fast); }
void BM_csv_split_libcsv_hr(benchmark::State &st) { run_split(st, Shape::mix, psr_csv_split_libcsv); }
void BM_csv_split_plain(benchmark::State &st) { run_split(st, Shape::plain, split_fast); }
void BM_csv_split_all_quoted(benchmark::State &st) { run_split(st, Shape::all_quoted, split_fast); }

void BM_csv_count_hr(benchmark::State &st)
{
    const CsvCorpus &c = corpus(Shape::mix);
    const psr_csv_opts o{ ',' };
    uint64_t fields = 0;
    for (auto _ : st) {
        for (const as_slice &r : c.recs) {
            size_t n;
            uint64_t l, col;
            if (psr_csv_count(r, &o, &n, &l, &col) == AS_OK)
                fields += n;
        }
        benchmark::DoNotOptimize(fields);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * c.bytes));
}

// ---- bare libcsv: is a per-worker parser worth keeping? ----

struct LibCount {
    size_t fields = 0;
};

void lib_field(void *, size_t, void *data) { static_cast<LibCount *>(data)->fields++; }
int lib_no_space(unsigned char) { return 0; }

void lib_setup(csv_parser *p, size_t blk)
{
    csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
    csv_set_space_func(p, lib_no_space);
    csv_set_realloc_func(p, [](void *q, size_t n) { return as_realloc(q, n); });
    csv_set_free_func(p, [](void *q) { as_free(q); });
    csv_set_blk_size(p, blk);
}

void BM_csv_libcsv_per_call(benchmark::State &st)
{
    const CsvCorpus &c = corpus(Shape::mix);
    LibCount k;
    for (auto _ : st) {
        for (const as_slice &r : c.recs) {
            csv_parser p;
            lib_setup(&p, r.len + 1);
            csv_parse(&p, r.ptr, r.len, lib_field, nullptr, &k);
            csv_fini(&p, lib_field, nullptr, &k);
            csv_free(&p);
        }
        benchmark::DoNotOptimize(k.fields);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * c.bytes));
}

void BM_csv_libcsv_reused(benchmark::State &st)
{
    const CsvCorpus &c = corpus(Shape::mix);
    LibCount k;
    csv_parser p;
    lib_setup(&p, 4096);
    for (auto _ : st) {
        for (const as_slice &r : c.recs) {
            csv_parse(&p, r.ptr, r.len, lib_field, nullptr, &k);
            csv_fini(&p, lib_field, nullptr, &k);
        }
        benchmark::DoNotOptimize(k.fields);
    }
    csv_free(&p);
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * c.bytes));
}

}  // namespace

BENCHMARK(BM_csv_split_hr)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_split_libcsv_hr)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_count_hr)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_split_plain)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_split_all_quoted)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_libcsv_per_call)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_csv_libcsv_reused)->Unit(benchmark::kMillisecond)->MinTime(2.0);
