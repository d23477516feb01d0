// bench_syslog.cc: Google Benchmark cases for parsers/psr_syslog and
// parsers/psr_authmsg.
//
// Input: ~64 MiB of generated syslog text (seed 1, splitmix64 from
// bench/harness.h), built once outside the timed loops and split into lines
// before timing. The mix is what an auth log and a messages file hold:
// 70% RFC 3164 lines (sshd Accepted/Failed/Invalid user and PAM sessions,
// sudo, CRON, kernel and systemd noise, space-padded days), 20% rsyslog
// RFC 3339-stamped lines (microseconds, +02:00), 10% RFC 5424 lines (half
// with STRUCTURED-DATA); ~115 B per line. MB/s count each line plus its
// newline, so the figure compares with a tool reading the same bytes.
//
// BM_syslog_scan_generated        psr_syslog_scan alone (every field)
// BM_syslog_scan_generated/<v>    the same over one layout only (1 BSD, 2 ISO, 3 RFC 5424)
// BM_syslog_scan_auth_generated   scan + psr_auth_extract on every message
// BM_syslog_scan_year_generated   scan + psr_syslog_year_apply in file order
// BM_syslog_scan_real             the attributed real excerpts in tests/data/real/
//                                 (loghub-syslog, elastic-beats-syslog; run from the
//                                 repository root; skipped when missing)
// ASSAY_BENCH_SYSLOG_DUMP=FILE writes the generated text to FILE once, e.g. to
// time `mawk '{print $5}'` on the same bytes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr_authmsg.h"
#include "parsers/psr_syslog.h"
}

namespace {

constexpr size_t kGenBytes = size_t{64} << 20;  // ~64 MiB of log text
constexpr uint64_t kSeed = 1;

struct Lines {
    as_buf text = AS_BUF_INIT;
    std::vector<as_slice> lines;
    std::vector<uint8_t> variant;  // layout each generated line was written in
    bool ok = false;

    void cut()
    {
        const char *p = text.data, *end = text.data + text.len;
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            const char *e = nl ? nl : end;
            size_t n = static_cast<size_t>(e - p);
            if (n && p[n - 1] == '\r')
                n--;
            lines.push_back(as_slice_make(p, n));
            p = nl ? nl + 1 : end;
        }
    }
    ~Lines() { as_buf_fini(&text); }
};

const char *const kHosts[] = { "web1", "web2", "db-primary", "bastion", "build-03", "mail.example.com" };
const char *const kUsers[] = { "alice", "bob", "carol", "deploy", "root", "svc-backup", "j.smith", "admin" };
const char *const kBad[] = { "admin", "test", "oracle", "ubnt", " 0101", "postgres", "guest", "pi" };
const char *const kMethods[] = { "publickey", "password", "keyboard-interactive/pam", "publickey", "publickey" };
const char *const kCmds[] = { "/usr/bin/systemctl restart nginx", "/bin/ls /root", "/usr/bin/apt-get update",
                              "/usr/bin/journalctl -u sshd --since today", "/bin/cat /etc/shadow" };
const char *const kMon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

// One message and its program; returns the message length written to m.
int make_message(bench_rng *r, char *m, size_t cap, const char **app, unsigned *pid)
{
    unsigned a = bench_rng_below(r, 255) + 1, b = bench_rng_below(r, 256), c = bench_rng_below(r, 256),
             d = bench_rng_below(r, 254) + 1;
    *pid = 1000 + bench_rng_below(r, 60000);
    const char *u = kUsers[bench_rng_below(r, 8)];
    switch (bench_rng_below(r, 12)) {
    case 0:
        *app = "sshd";
        return snprintf(m, cap, "Accepted %s for %s from %u.%u.%u.%u port %u ssh2: ED25519 SHA256:%016llx",
                        kMethods[bench_rng_below(r, 5)], u, a, b, c, d, 1024 + bench_rng_below(r, 60000),
                        static_cast<unsigned long long>(bench_rng_next(r)));
    case 1:
    case 2:
        *app = "sshd";
        return snprintf(m, cap, "Failed password for %s%s from %u.%u.%u.%u port %u ssh2",
                        bench_rng_below(r, 2) ? "invalid user " : "", kBad[bench_rng_below(r, 8)], a, b, c, d,
                        1024 + bench_rng_below(r, 60000));
    case 3:
        *app = "sshd";
        return snprintf(m, cap, "Invalid user %s from %u.%u.%u.%u port %u", kBad[bench_rng_below(r, 8)], a, b, c, d,
                        1024 + bench_rng_below(r, 60000));
    case 4:
        *app = "sshd";
        return snprintf(m, cap, "pam_unix(sshd:session): session opened for user %s(uid=%u) by (uid=0)", u,
                        1000 + bench_rng_below(r, 100));
    case 5:
        *app = "sshd";
        return snprintf(m, cap, "pam_unix(sshd:session): session closed for user %s", u);
    case 6:
        *app = "sudo";
        return snprintf(m, cap, "%8s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; COMMAND=%s", u, bench_rng_below(r, 8),
                        u, kCmds[bench_rng_below(r, 5)]);
    case 7:
        *app = "CRON";
        return snprintf(m, cap, "pam_unix(cron:session): session opened for user root by (uid=0)");
    case 8:
        *app = "kernel";
        *pid = 0;
        return snprintf(m, cap, "[%u.%06u] audit: type=1400 audit(%u.%03u:%u): apparmor=\"DENIED\" operation=\"open\"",
                        bench_rng_below(r, 99999), bench_rng_below(r, 999999), 1700000000 + bench_rng_below(r, 9999999),
                        bench_rng_below(r, 1000), bench_rng_below(r, 9999));
    case 9:
        *app = "systemd";
        return snprintf(m, cap, "Started Session %u of User %s.", bench_rng_below(r, 9999), u);
    case 10:
        *app = "su";
        return snprintf(m, cap, "pam_unix(su-l:session): session opened for user root(uid=0) by %s(uid=%u)", u,
                        1000 + bench_rng_below(r, 100));
    default:
        *app = "sshd";
        return snprintf(m, cap, "Received disconnect from %u.%u.%u.%u port %u:11: disconnected by user", a, b, c, d,
                        1024 + bench_rng_below(r, 60000));
    }
}

// Appends ~n_bytes of syslog lines; variant[i] records each line's layout.
bool make_syslog(Lines &l, size_t n_bytes, uint64_t seed)
{
    bench_rng r = { seed };
    char line[1024], msg[512];
    uint64_t t = 1735689600;  // 2025-01-01T00:00:00Z, advancing a few seconds per line
    while (l.text.len < n_bytes) {
        t += bench_rng_below(&r, 7);
        const char *app;
        unsigned pid;
        int mn = make_message(&r, msg, sizeof msg, &app, &pid);
        if (mn < 0)
            return false;
        const char *host = kHosts[bench_rng_below(&r, 6)];
        int64_t y;
        unsigned mo, d;
        as_civil_from_days(static_cast<int64_t>(t / 86400), &y, &mo, &d);
        unsigned sod = static_cast<unsigned>(t % 86400);
        unsigned v = bench_rng_below(&r, 10);
        char tag[64];
        if (pid)
            snprintf(tag, sizeof tag, "%s[%u]", app, pid);
        else
            snprintf(tag, sizeof tag, "%s", app);
        int n;
        uint8_t variant;
        if (v < 7) {
            n = snprintf(line, sizeof line, "%s %2u %02u:%02u:%02u %s %s: %s\n", kMon[mo - 1], d, sod / 3600,
                         sod / 60 % 60, sod % 60, host, tag, msg);
            variant = PSR_SYSLOG_BSD;
        } else if (v < 9) {
            n = snprintf(line, sizeof line, "%04lld-%02u-%02uT%02u:%02u:%02u.%06u+02:00 %s %s: %s\n",
                         static_cast<long long>(y), mo, d, sod / 3600, sod / 60 % 60, sod % 60,
                         bench_rng_below(&r, 1000000), host, tag, msg);
            variant = PSR_SYSLOG_ISO;
        } else {
            char procid[16];
            if (pid)
                snprintf(procid, sizeof procid, "%u", pid);
            else
                snprintf(procid, sizeof procid, "-");
            const char *sd = bench_rng_below(&r, 2) ? "[origin ip=\"10.0.0.1\" software=\"rsyslogd\"]" : "-";
            n = snprintf(line, sizeof line, "<%u>1 %04lld-%02u-%02uT%02u:%02u:%02u.%03uZ %s %s %s - %s %s\n",
                         32 + bench_rng_below(&r, 8), static_cast<long long>(y), mo, d, sod / 3600, sod / 60 % 60,
                         sod % 60, bench_rng_below(&r, 1000), host, app, procid, sd, msg);
            variant = PSR_SYSLOG_5424;
        }
        if (n < 0 || static_cast<size_t>(n) >= sizeof line || as_buf_append(&l.text, line, static_cast<size_t>(n)) != 0)
            return false;
        l.variant.push_back(variant);
    }
    return true;
}

const Lines &generated()
{
    static const Lines in = [] {
        Lines l;
        l.ok = make_syslog(l, kGenBytes, kSeed);
        if (l.ok) {
            l.cut();
            l.ok = l.lines.size() == l.variant.size();
            if (const char *dump = getenv("ASSAY_BENCH_SYSLOG_DUMP")) {
                FILE *f = fopen(dump, "wb");
                l.ok = f != nullptr && fwrite(l.text.data, 1, l.text.len, f) == l.text.len && l.ok;
                if (f != nullptr)
                    l.ok = fclose(f) == 0 && l.ok;
            }
        }
        return l;
    }();
    return in;
}

// The generated lines of one layout, as their own input (same bytes).
const Lines &generated_variant(int v)
{
    static Lines per[4];
    static bool built[4];
    if (!built[v]) {
        const Lines &all = generated();
        Lines &l = per[v];
        l.ok = all.ok;
        for (size_t i = 0; l.ok && i < all.lines.size(); i++)
            if (all.variant[i] == v) {
                l.ok = as_buf_append(&l.text, all.lines[i].ptr, all.lines[i].len) == 0 &&
                       as_buf_append(&l.text, "\n", 1) == 0;
            }
        if (l.ok)
            l.cut();
        built[v] = true;
    }
    return per[v];
}

const Lines &real_excerpts()
{
    static const Lines in = [] {
        static const char *const files[] = {
            "tests/data/real/loghub-syslog/OpenSSH_2k.excerpt",
            "tests/data/real/loghub-syslog/Linux_2k.excerpt",
            "tests/data/real/elastic-beats-syslog/system_auth/test.log",
            "tests/data/real/elastic-beats-syslog/system_auth/timestamp.log",
            "tests/data/real/elastic-beats-syslog/system_syslog/suse-syslog.log",
            "tests/data/real/elastic-beats-syslog/system_syslog/tz-offset.log",
        };
        Lines l;
        l.ok = true;
        for (const char *path : files) {
            FILE *f = fopen(path, "rb");
            if (f == nullptr) {
                l.ok = false;
                break;
            }
            char chunk[1 << 16];
            size_t n;
            while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
                l.ok = l.ok && as_buf_append(&l.text, chunk, n) == 0;
            fclose(f);
            if (l.text.len && l.text.data[l.text.len - 1] != '\n')
                l.ok = l.ok && as_buf_append(&l.text, "\n", 1) == 0;
        }
        if (l.ok)
            l.cut();
        return l;
    }();
    return in;
}

enum class Work { kScan, kAuth, kYear };

void run(benchmark::State &state, const Lines &in, Work w)
{
    if (!in.ok || in.lines.empty()) {
        state.SkipWithError("input missing or could not be built");
        return;
    }
    uint64_t accepted = 0, events = 0;
    for (auto _ : state) {
        uint64_t sum = 0;
        accepted = events = 0;
        psr_syslog_year ys;
        psr_syslog_year_init_fixed(&ys, 2025, 0);
        for (const as_slice &s : in.lines) {
            psr_syslog r;
            uint64_t col;
            if (psr_syslog_scan(s, nullptr, &r, &col) != AS_OK) {
                sum += col;
                continue;
            }
            accepted++;
            sum += r.msg.len + r.app.len + r.host.len + static_cast<uint64_t>(r.pid) + r.sod;
            if (w == Work::kAuth) {
                psr_auth a;
                if (psr_auth_extract(r.app, r.msg, &a) > PSR_AUTH_MALFORMED) {
                    events += a.count;
                    sum += a.user.len;
                }
            } else if (w == Work::kYear) {
                unsigned fl;
                if (psr_syslog_year_apply(&ys, &r, &fl) == AS_OK)
                    sum += static_cast<uint64_t>(r.time.sec);
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.len));
    state.counters["lines"] = static_cast<double>(in.lines.size());
    state.counters["accepted"] = static_cast<double>(accepted);
    if (w == Work::kAuth)
        state.counters["events"] = static_cast<double>(events);
}

void BM_syslog_scan_generated(benchmark::State &state)
{
    run(state, generated(), Work::kScan);
}
BENCHMARK(BM_syslog_scan_generated)->Unit(benchmark::kMillisecond);

void BM_syslog_scan_generated_variant(benchmark::State &state)
{
    run(state, generated_variant(static_cast<int>(state.range(0))), Work::kScan);
}
BENCHMARK(BM_syslog_scan_generated_variant)->Arg(PSR_SYSLOG_BSD)->Arg(PSR_SYSLOG_ISO)->Arg(PSR_SYSLOG_5424)
    ->Unit(benchmark::kMillisecond);

void BM_syslog_scan_auth_generated(benchmark::State &state)
{
    run(state, generated(), Work::kAuth);
}
BENCHMARK(BM_syslog_scan_auth_generated)->Unit(benchmark::kMillisecond);

void BM_syslog_scan_year_generated(benchmark::State &state)
{
    run(state, generated(), Work::kYear);
}
BENCHMARK(BM_syslog_scan_year_generated)->Unit(benchmark::kMillisecond);

void BM_syslog_scan_real(benchmark::State &state)
{
    run(state, real_excerpts(), Work::kAuth);
}
BENCHMARK(BM_syslog_scan_real);

}  // namespace
