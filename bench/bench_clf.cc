// bench_clf.cc: Google Benchmark cases for parsers/psr_clf.
//
// BM_clf_scan_generated: psr_clf_scan over ~64 MiB of generated "combined"
//   lines (bench_make_access_log, seed 1, ~161 B/line: IPv4 clients, users,
//   paths with ids and queries, referers, eight real user agents), split into
//   records before timing, every field extracted and validated, the time
//   included. MB/s count each line plus its newline, so the figure compares
//   with a tool reading the same bytes from a file.
// BM_clf_scan_mixed: ~64 MiB of the variants real servers write, from this
//   file's own seeded generator (~200 B/line): IPv4, IPv6 and X-Forwarded-For
//   clients, a vhost on some lines, users, query strings, Apache 408 "-"
//   requests, bytes "-", longer real user agents, escaped quotes, nginx
//   request and upstream times after the user agent.
// BM_clf_split_scan_generated: the same bytes as one block, cut into lines
//   with memchr inside the timed loop (what a worker does with a block).
// BM_clf_scan_real: the attributed real excerpt
//   tests/data/real/elastic-apache/apache_logs.excerpt (run from the
//   repository root; skipped when missing), 14 malformed lines included.
// BM_clf_time: psr_clf_time alone over the generated lines' time texts.
//
// To time another tool on the very same bytes, ASSAY_BENCH_CLF_DUMP=FILE
// writes the generated text to FILE (and the mixed one to FILE.mixed) once,
// outside any timed loop, e.g.
//   ASSAY_BENCH_CLF_DUMP=/tmp/clf.log build/release/bench/assay-bench --benchmark_filter=clf
//   time mawk '{print $9}' /tmp/clf.log > /dev/null
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr_clf.h"
}

namespace {

constexpr size_t kGenBytes = size_t{64} << 20;  // ~64 MiB of log text
constexpr uint64_t kSeed = 1;
const char *const kRealExcerpt = "tests/data/real/elastic-apache/apache_logs.excerpt";

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

const Lines &generated()
{
    static const Lines in = [] {
        Lines l;
        l.ok = bench_make_access_log(&l.text, kGenBytes, kSeed) == 0;
        if (l.ok) {
            // drop the last, cut line: every record is whole
            char *nl = static_cast<char *>(memrchr(l.text.data, '\n', l.text.len));
            l.text.len = nl ? static_cast<size_t>(nl - l.text.data) + 1 : 0;
            l.cut();
            if (const char *dump = getenv("ASSAY_BENCH_CLF_DUMP")) {
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

// Appends n_bytes of whole lines of the variants listed at the top (seeded).
int make_mixed_log(as_buf *out, size_t n_bytes, uint64_t seed)
{
    static const char *const k_agents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
        "Safari/537.36 Edg/122.0.2365.66",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.3 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 "
        "Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "curl/8.5.0", "Go-http-client/1.1", "kube-probe/1.29",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) \\\"quoted\\\"",
    };
    static const char *const k_paths[] = { "/", "/api/v1/orders", "/api/v1/users/search", "/static/app.js",
                                           "/login", "/admin/audit/export", "/images/logo.png", "/healthz" };
    static const char *const k_methods[] = { "GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS" };
    static const unsigned k_status[] = { 200, 200, 200, 200, 304, 301, 302, 404, 401, 403, 500, 502, 499, 408 };
    static const char *const k_mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    bench_rng r = { seed };
    char client[96], req[160], tail[48], line[640];
    size_t start = out->len;
    uint64_t t = 86400ull * 400;
    while (out->len - start < n_bytes) {
        t += bench_rng_below(&r, 2);
        unsigned kind = bench_rng_below(&r, 20);
        uint32_t a = bench_rng_below(&r, 223) + 1, b = bench_rng_below(&r, 256), c = bench_rng_below(&r, 256),
                 d = bench_rng_below(&r, 254) + 1;
        if (kind < 14)
            snprintf(client, sizeof client, "%u.%u.%u.%u", a, b, c, d);
        else if (kind < 17)
            snprintf(client, sizeof client, "2001:db8:%x:%x::%x", b, c, d);
        else if (kind < 19)
            snprintf(client, sizeof client, "%u.%u.%u.%u, 10.0.%u.%u", a, b, c, d, c, d);
        else
            snprintf(client, sizeof client, "www.example.com:443 %u.%u.%u.%u", a, b, c, d);
        uint32_t st = k_status[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_status))];
        if (st == 408)
            snprintf(req, sizeof req, "-");
        else
            snprintf(req, sizeof req, "%s %s?id=%u&page=%u&sort=created_at HTTP/%s",
                     k_methods[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_methods))],
                     k_paths[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_paths))], bench_rng_below(&r, 1000000),
                     bench_rng_below(&r, 50), bench_rng_below(&r, 3) ? "1.1" : "2.0");
        if (bench_rng_below(&r, 3) == 0)
            snprintf(tail, sizeof tail, " %u.%03u %u.%03u", bench_rng_below(&r, 3), bench_rng_below(&r, 1000),
                     bench_rng_below(&r, 3), bench_rng_below(&r, 1000));
        else
            tail[0] = '\0';
        unsigned day = (unsigned)(t / 86400), sec = (unsigned)(t % 86400);
        char bytes[24];
        if (st == 304 || st == 408)
            snprintf(bytes, sizeof bytes, "-");
        else
            snprintf(bytes, sizeof bytes, "%u", bench_rng_below(&r, 200000));
        int k = snprintf(line, sizeof line,
                         "%s - %s [%02u/%s/2025:%02u:%02u:%02u %s] \"%s\" %u %s \"%s\" \"%s\"%s\n", client,
                         bench_rng_below(&r, 8) ? "-" : "svc-deploy", 1 + day % 28, k_mon[(day / 28) % 12],
                         sec / 3600, sec / 60 % 60, sec % 60, bench_rng_below(&r, 2) ? "+0000" : "-0700", req, st,
                         bytes, bench_rng_below(&r, 2) ? "-" : "https://www.example.com/app/dashboard?tab=activity",
                         k_agents[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_agents))], tail);
        if (k < 0 || (size_t)k >= sizeof line || as_buf_append(out, line, (size_t)k) != 0)
            return -1;
    }
    return 0;
}

const Lines &mixed()
{
    static const Lines in = [] {
        Lines l;
        l.ok = make_mixed_log(&l.text, kGenBytes, kSeed) == 0;
        if (l.ok) {
            l.cut();
            if (const char *dump = getenv("ASSAY_BENCH_CLF_DUMP")) {
                std::string path = std::string(dump) + ".mixed";
                FILE *f = fopen(path.c_str(), "wb");
                l.ok = f != nullptr && fwrite(l.text.data, 1, l.text.len, f) == l.text.len;
                if (f != nullptr)
                    l.ok = fclose(f) == 0 && l.ok;
            }
        }
        return l;
    }();
    return in;
}

const Lines &real_excerpt()
{
    static const Lines in = [] {
        Lines l;
        FILE *f = fopen(kRealExcerpt, "rb");
        if (f == nullptr)
            return l;
        char chunk[1 << 16];
        size_t n;
        l.ok = true;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            l.ok = l.ok && as_buf_append(&l.text, chunk, n) == 0;
        fclose(f);
        if (l.ok)
            l.cut();
        return l;
    }();
    return in;
}

void scan_lines(benchmark::State &state, const Lines &in)
{
    if (!in.ok) {
        state.SkipWithError("input missing or could not be built");
        return;
    }
    uint64_t accepted = 0;
    for (auto _ : state) {
        uint64_t sum = 0;
        accepted = 0;
        for (const as_slice &s : in.lines) {
            psr_clf c;
            uint64_t col;
            if (psr_clf_scan(s, &c, &col) == AS_OK) {
                sum += static_cast<uint64_t>(c.status) + static_cast<uint64_t>(c.time.sec) + c.user_agent.len;
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
}

void BM_clf_scan_generated(benchmark::State &state) { scan_lines(state, generated()); }
void BM_clf_scan_mixed(benchmark::State &state) { scan_lines(state, mixed()); }
void BM_clf_scan_real(benchmark::State &state) { scan_lines(state, real_excerpt()); }

void BM_clf_split_scan_generated(benchmark::State &state)
{
    const Lines &in = generated();
    if (!in.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    for (auto _ : state) {
        uint64_t sum = 0;
        const char *p = in.text.data, *end = in.text.data + in.text.len;
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            const char *e = nl ? nl : end;
            psr_clf c;
            uint64_t col;
            if (psr_clf_scan(as_slice_make(p, static_cast<size_t>(e - p)), &c, &col) == AS_OK)
                sum += c.status + c.bytes;
            p = e + 1;
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.len));
    state.counters["records/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(in.lines.size()), benchmark::Counter::kIsRate);
}

void BM_clf_time(benchmark::State &state)
{
    const Lines &in = generated();
    std::vector<as_slice> times;
    for (const as_slice &s : in.lines) {
        psr_clf c;
        uint64_t col;
        if (psr_clf_scan(s, &c, &col) == AS_OK)
            times.push_back(c.time_text);
    }
    if (!in.ok || times.empty()) {
        state.SkipWithError("building the input failed");
        return;
    }
    for (auto _ : state) {
        int64_t sum = 0;
        for (const as_slice &t : times) {
            as_time tm;
            if (psr_clf_time(t, &tm) == AS_OK)
                sum += tm.sec;
        }
        benchmark::DoNotOptimize(sum);
    }
    state.counters["times/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(times.size()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_clf_scan_generated)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_clf_scan_mixed)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_clf_split_scan_generated)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_clf_scan_real)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_clf_time)->Unit(benchmark::kMillisecond)->MinTime(1.0);
