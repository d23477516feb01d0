// bench_regex.cc: Google Benchmark cases for parsers/psr_regex (custom
// formats over PCRE2).
//
// BM_regex_combined_jit: psr_regex_match over ~64 MiB of generated "combined"
//   lines (bench_make_access_log, seed 1, ~161 B/line), split into records
//   before timing, with a full-record pattern of 9 named groups (client,
//   ident, user, time, request, status, bytes, referer, agent), anchored, JIT.
//   Every record is validated as UTF-8 first (part of psr_regex_match). MB/s
//   count each line plus its newline, so the figure compares with
//   `grep -cP` reading the same bytes from a file (docs/formats_regex.md).
// BM_regex_combined_utf8: the same lines with the ident "-" written as "\xc3\xa9"
//   (one non-ASCII character per line): every record takes the UTF path
//   (validation + UTF code) instead of the byte-mode code for ASCII records.
// BM_regex_combined_interp: the same with PSR_REGEX_NO_JIT (the fallback).
// BM_regex_combined_search: the same pattern with PSR_REGEX_SEARCH and ^...$.
// BM_regex_backup_jit: the 5-group backup-job pattern of docs/formats_regex.md
//   over ~16 MiB of generated backup lines (~80 B/line).
//
// ASSAY_BENCH_REGEX_DUMP=FILE writes the combined text to FILE once, outside
// any timed loop, to time grep on the very same bytes with kCombinedSearch:
//   ASSAY_BENCH_REGEX_DUMP=/tmp/clf.log build/release/bench/assay-bench --benchmark_filter=regex
//   time LC_ALL=C.UTF-8 grep -cP '^(?<client>\S+) ... "(?<agent>[^"]*)"$' /tmp/clf.log
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr_regex.h"
}

namespace {

constexpr size_t kGenBytes = size_t{64} << 20;    // ~64 MiB of access-log text
constexpr size_t kBackupBytes = size_t{16} << 20; // ~16 MiB of backup-job lines
constexpr uint64_t kSeed = 1;

// The 9-group combined pattern: what a user writes for an access log.
const char kCombined[] =
    "(?<client>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] \"(?<request>[^\"]*)\" "
    "(?<status>\\d{3}) (?<bytes>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"";
const char kCombinedSearch[] =
    "^(?<client>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] \"(?<request>[^\"]*)\" "
    "(?<status>\\d{3}) (?<bytes>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"$";
const char kBackup[] =
    "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ) backup host=(?<host>\\S+) job=(?<job>\\S+) "
    "status=(?<status>ok|failed) bytes=(?<bytes>\\d+)";

struct Lines {
    as_buf text = AS_BUF_INIT;
    std::vector<as_slice> lines;
    bool ok = false;

    void cut()
    {
        const char *p = text.data, *end = text.data + text.len;
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            const char *e = nl ? nl : end;
            lines.push_back(as_slice_make(p, static_cast<size_t>(e - p)));
            p = nl ? nl + 1 : end;
        }
    }
    ~Lines() { as_buf_fini(&text); }
};

const Lines &combined()
{
    static const Lines in = [] {
        Lines l;
        l.ok = bench_make_access_log(&l.text, kGenBytes, kSeed) == 0;
        if (l.ok) {
            // drop the last, cut line: every record is whole
            char *nl = static_cast<char *>(memrchr(l.text.data, '\n', l.text.len));
            l.text.len = nl ? static_cast<size_t>(nl - l.text.data) + 1 : 0;
            l.cut();
            if (const char *dump = getenv("ASSAY_BENCH_REGEX_DUMP")) {
                FILE *f = fopen(dump, "wb");
                l.ok = f != nullptr && fwrite(l.text.data, 1, l.text.len, f) == l.text.len;
                if (f != nullptr)
                    l.ok = fclose(f) == 0 && l.ok;
            }
        }
        return l;
    }();
    return in;
}

// combined() with the first " - " of each line (the ident) as " \xc3\xa9 ".
const Lines &combined_utf8()
{
    static const Lines in = [] {
        Lines l;
        const Lines &a = combined();
        l.ok = a.ok;
        for (size_t i = 0; l.ok && i < a.lines.size(); i++) {
            as_slice s = a.lines[i];
            const char *d = static_cast<const char *>(memmem(s.ptr, s.len, " - ", 3));
            size_t at = d ? static_cast<size_t>(d - s.ptr) + 1 : 0;
            l.ok = d != nullptr && as_buf_append(&l.text, s.ptr, at) == 0 &&
                   as_buf_append(&l.text, "\xc3\xa9", 2) == 0 &&
                   as_buf_append(&l.text, s.ptr + at + 1, s.len - at - 1) == 0 &&
                   as_buf_append(&l.text, "\n", 1) == 0;
        }
        if (l.ok)
            l.cut();
        return l;
    }();
    return in;
}

const Lines &backup()
{
    static const Lines in = [] {
        static const char *const k_hosts[] = { "db1", "db2", "files.internal", "mail", "gitlab-01", "vault" };
        static const char *const k_jobs[] = { "nightly", "hourly-incr", "weekly-full", "wal-archive" };
        Lines l;
        bench_rng r = { kSeed };
        char line[160];
        uint64_t t = 1767225600;  // 2026-01-01T00:00:00Z
        l.ok = true;
        while (l.ok && l.text.len < kBackupBytes) {
            t += bench_rng_below(&r, 120);
            int64_t days = static_cast<int64_t>(t / 86400);
            unsigned sod = static_cast<unsigned>(t % 86400);
            // civil date from days since 1970 (Howard Hinnant's algorithm)
            int64_t z = days + 719468, era = z / 146097;
            unsigned doe = static_cast<unsigned>(z - era * 146097);
            unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
            unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
            int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
            int k = snprintf(line, sizeof line,
                             "%04lld-%02u-%02uT%02u:%02u:%02uZ backup host=%s job=%s status=%s bytes=%u\n",
                             static_cast<long long>(y), m, d, sod / 3600, sod / 60 % 60, sod % 60,
                             k_hosts[bench_rng_below(&r, static_cast<uint32_t>(AS_ARRAY_LEN(k_hosts)))],
                             k_jobs[bench_rng_below(&r, static_cast<uint32_t>(AS_ARRAY_LEN(k_jobs)))],
                             bench_rng_below(&r, 20) ? "ok" : "failed", bench_rng_below(&r, 2000000000));
            l.ok = k > 0 && static_cast<size_t>(k) < sizeof line &&
                   as_buf_append(&l.text, line, static_cast<size_t>(k)) == 0;
        }
        if (l.ok)
            l.cut();
        return l;
    }();
    return in;
}

void match_lines(benchmark::State &state, const Lines &in, const char *pattern, unsigned flags)
{
    if (!in.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    as_err e;
    as_err_clear(&e);
    psr_regex *re = psr_regex_new(as_slice_cstr(pattern), flags, &e);
    if (re == nullptr) {
        state.SkipWithError(e.msg);
        return;
    }
    psr_regex_md *md = psr_regex_md_new(re);
    if (md == nullptr) {
        psr_regex_free(re);
        state.SkipWithError("out of memory");
        return;
    }
    std::vector<as_slice> g(psr_regex_n_groups(re));
    uint64_t accepted = 0;
    for (auto _ : state) {
        uint64_t sum = 0;
        accepted = 0;
        for (const as_slice &s : in.lines) {
            uint64_t col;
            if (psr_regex_match(re, md, s, g.data(), &col) == AS_OK) {
                sum += g.back().len + g[0].len;
                accepted++;
            } else {
                sum += col;
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.len));
    state.counters["records/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(in.lines.size()), benchmark::Counter::kIsRate);
    state.counters["rejected"] = static_cast<double>(in.lines.size() - accepted);
    state.counters["jit"] = psr_regex_is_jit(re);
    psr_regex_md_free(md);
    psr_regex_free(re);
}

void BM_regex_combined_jit(benchmark::State &state) { match_lines(state, combined(), kCombined, 0); }
void BM_regex_combined_utf8(benchmark::State &state) { match_lines(state, combined_utf8(), kCombined, 0); }
void BM_regex_combined_interp(benchmark::State &state)
{
    match_lines(state, combined(), kCombined, PSR_REGEX_NO_JIT);
}
void BM_regex_combined_search(benchmark::State &state)
{
    match_lines(state, combined(), kCombinedSearch, PSR_REGEX_SEARCH);
}
void BM_regex_backup_jit(benchmark::State &state) { match_lines(state, backup(), kBackup, 0); }

}  // namespace

BENCHMARK(BM_regex_combined_jit)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_regex_combined_utf8)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_regex_combined_interp)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_regex_combined_search)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_regex_backup_jit)->Unit(benchmark::kMillisecond)->MinTime(1.0);
