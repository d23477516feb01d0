// bench_json.cc: Google Benchmark cases for parsers/psr_json.
//
// Input: ~64 MiB of generated Okta System Log-shaped events, one per line
// (JSON Lines), seed 1, built once outside the timed loops: ~1.98 KB per event,
// 17 top-level members, nesting to depth 4 (actor, client.userAgent,
// client.geographicalContext.geolocation, authenticationContext, outcome,
// securityContext, debugContext.debugData, transaction, request.ipChain[],
// target[]), 11 event types, ~5.5% outcome.result FAILURE (docs/peers.md data
// shape). The lines are cut before timing; MB/s count every line plus its
// newline, so the figures compare with a tool reading the same file.
//
// BM_json_validate[_portable]        full RFC 8259 validation of each event
// BM_json_get_many3[_portable]       outcome.result, eventType and
//                                    actor.alternateId in one pass per event
// BM_json_get3_separate              the same 3 paths as 3 psr_json_get calls
// BM_json_iter_array                 psr_json_iter over the events wrapped in
//                                    {"Records":[...]} (one 64 MiB document)
// BM_json_vs_jq                      `jq -c 'select(.outcome.result=="FAILURE")'`
//                                    on the same bytes written to a file, timed
//                                    once per iteration with the wall clock, next
//                                    to assay's equivalent filter (get_many of the
//                                    3 paths + the comparison); counters jq_MBps,
//                                    assay_MBps, ratio and both match counts
//                                    (they must agree). Skipped without jq.
// ASSAY_BENCH_JSON_DUMP=FILE writes the generated events to FILE once.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/harness.h"

extern "C" {
#include "parsers/psr_json.h"
}

namespace {

constexpr size_t kGenBytes = size_t{64} << 20;  // ~64 MiB of events
constexpr uint64_t kSeed = 1;

// ---- the Okta-like generator ----

const char *pick(bench_rng *r, const char *const *a, size_t n) { return a[bench_rng_below(r, static_cast<uint32_t>(n))]; }
#define PICK(r, a) pick((r), (a), sizeof(a) / sizeof((a)[0]))

void hex(bench_rng *r, char *out, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        out[i] = d[bench_rng_below(r, 16)];
    out[n] = '\0';
}

void okta_id(bench_rng *r, const char *prefix, char *out)  // 00u + 17 alnum, like Okta ids
{
    static const char d[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t k = strlen(prefix);
    memcpy(out, prefix, k);
    for (size_t i = 0; i < 17; i++)
        out[k + i] = d[bench_rng_below(r, 62)];
    out[k + 17] = '\0';
}

// Appends one event (no newline) to s.
void okta_event(bench_rng *r, uint64_t t, std::string &s)
{
    static const char *const types[][3] = {  // eventType, legacyEventType, displayMessage
        { "user.session.start", "core.user_auth.login_success", "User login to Okta" },
        { "user.authentication.auth_via_mfa", "core.user.factor.attempt_success", "Authentication of user via MFA" },
        { "user.authentication.sso", "app.auth.sso", "User single sign on to app" },
        { "policy.evaluate_sign_on", "", "Evaluation of sign-on policy" },
        { "user.session.end", "core.user_auth.logout_success", "User logout from Okta" },
        { "user.account.lock", "core.user_auth.account_locked", "Max sign in attempts exceeded" },
        { "user.mfa.factor.activate", "core.user.factor.activate", "User set up MFA factor" },
        { "app.oauth2.as.token.grant.access_token", "", "OAuth2 access token is granted" },
        { "user.authentication.verify", "", "Verify user identity" },
        { "system.api_token.create", "api.token.create", "Create API token" },
        { "group.user_membership.add", "core.user_group_member.user_add", "Add user to group membership" },
    };
    static const char *const first[] = { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
                                         "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil" };
    static const char *const last[] = { "smith", "jones", "garcia", "miller", "davis", "martinez", "lopez", "wilson" };
    static const char *const uas[][3] = {
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", "Mac OS X", "CHROME" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.128", "Windows 10", "EDGE" },
        { "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0", "Linux", "FIREFOX" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1", "iOS", "MOBILE_SAFARI" },
        { "okta-sdk-java/8.2.2 java/17.0.8 Linux/5.15.0", "Linux", "UNKNOWN" },
    };
    static const char *const geo[][6] = {  // city, state, country, postal, lat, lon
        { "San Francisco", "California", "United States", "94105", "37.7852", "-122.3874" },
        { "New York", "New York", "United States", "10001", "40.7484", "-73.9967" },
        { "London", "England", "United Kingdom", "EC1A", "51.5164", "-0.093" },
        { "Berlin", "Land Berlin", "Germany", "10117", "52.5196", "13.4069" },
        { "Sydney", "New South Wales", "Australia", "2000", "-33.8688", "151.2093" },
    };
    static const char *const creds[] = { "PASSWORD", "OTP", "SMS", "ASSERTION", "EMAIL", "OAUTH2", "JWT" };
    static const char *const reasons[] = { "INVALID_CREDENTIALS", "VERIFICATION_ERROR", "LOCKED_OUT", "Sign-on policy evaluation resulted in DENY" };
    static const char *const isps[][3] = {  // asOrg, isp, domain
        { "comcast", "comcast cable communications llc", "comcast.net" },
        { "amazon technologies inc.", "amazon.com inc.", "amazonaws.com" },
        { "deutsche telekom ag", "deutsche telekom ag", "t-online.de" },
        { "british telecommunications plc", "bt public internet service", "bt.com" },
    };
    static const char *const behaviors[] = { "NEGATIVE", "NEGATIVE", "NEGATIVE", "POSITIVE" };
    static const char *const risk[] = { "LOW", "LOW", "MEDIUM", "HIGH" };

    const auto &ty = types[bench_rng_below(r, 11)];
    const char *fn = PICK(r, first), *ln = PICK(r, last);
    const auto &ua = uas[bench_rng_below(r, 5)];
    const auto &g = geo[bench_rng_below(r, 5)];
    const auto &isp = isps[bench_rng_below(r, 4)];
    const bool fail = bench_rng_below(r, 1000) < 55;  // 5.5% FAILURE
    const bool two_targets = bench_rng_below(r, 2) == 0;
    const char *result = fail ? "FAILURE" : bench_rng_below(r, 20) == 0 ? "ALLOW" : "SUCCESS";
    char uuid[40], actor_id[24], tgt_id[24], tgt2_id[24], req_id[32], sess[32], fp[40], txid[32];
    hex(r, uuid, 36);
    uuid[8] = uuid[13] = uuid[18] = uuid[23] = '-';
    okta_id(r, "00u", actor_id);
    okta_id(r, "0oa", tgt_id);
    okta_id(r, "00g", tgt2_id);
    hex(r, req_id, 24);
    okta_id(r, "102", sess);
    hex(r, fp, 32);
    hex(r, txid, 24);
    unsigned ip1 = 1 + bench_rng_below(r, 223), ip2 = bench_rng_below(r, 256), ip3 = bench_rng_below(r, 256),
             ip4 = 1 + bench_rng_below(r, 254);
    unsigned sec = static_cast<unsigned>(t % 86400), day = static_cast<unsigned>(t / 86400) % 28 + 1;
    char buf[4096];
    int n = snprintf(buf, sizeof buf,
        "{\"uuid\":\"%s\",\"published\":\"2024-03-%02uT%02u:%02u:%02u.%03uZ\",\"eventType\":\"%s\",\"version\":\"0\","
        "\"severity\":\"%s\",\"legacyEventType\":\"%s\",\"displayMessage\":\"%s\","
        "\"actor\":{\"id\":\"%s\",\"type\":\"User\",\"alternateId\":\"%s.%s@example.com\",\"displayName\":\"%c%s %c%s\",\"detailEntry\":null},"
        "\"client\":{\"userAgent\":{\"rawUserAgent\":\"%s\",\"os\":\"%s\",\"browser\":\"%s\"},\"zone\":\"null\",\"device\":\"Computer\",\"id\":null,"
        "\"ipAddress\":\"%u.%u.%u.%u\",\"geographicalContext\":{\"city\":\"%s\",\"state\":\"%s\",\"country\":\"%s\",\"postalCode\":\"%s\","
        "\"geolocation\":{\"lat\":%s,\"lon\":%s}}},\"device\":null,"
        "\"authenticationContext\":{\"authenticationProvider\":null,\"credentialProvider\":null,\"credentialType\":\"%s\",\"issuer\":null,"
        "\"interface\":null,\"authenticationStep\":0,\"externalSessionId\":\"%s\"},"
        "\"outcome\":{\"result\":\"%s\",\"reason\":%s%s%s},"
        "\"securityContext\":{\"asNumber\":%u,\"asOrg\":\"%s\",\"isp\":\"%s\",\"domain\":\"%s\",\"isProxy\":false},"
        "\"debugContext\":{\"debugData\":{\"requestId\":\"%s\",\"requestUri\":\"/api/v1/authn\",\"threatSuspected\":\"false\","
        "\"deviceFingerprint\":\"%s\","
        "\"behaviors\":\"{New Geo-Location=%s, New Device=%s, New IP=%s, New State=%s, New Country=%s, Velocity=%s}\","
        "\"risk\":\"{level=%s}\"}},"
        "\"transaction\":{\"type\":\"WEB\",\"id\":\"%s\",\"detail\":{}},"
        "\"request\":{\"ipChain\":[{\"ip\":\"%u.%u.%u.%u\",\"geographicalContext\":{\"city\":\"%s\",\"state\":\"%s\",\"country\":\"%s\","
        "\"postalCode\":\"%s\"},\"version\":\"V4\",\"source\":null}]},"
        "\"target\":[{\"id\":\"%s\",\"type\":\"AppInstance\",\"alternateId\":\"Example App\",\"displayName\":\"Example App\",\"detailEntry\":null}%s%s%s]}",
        uuid, day, sec / 3600, sec / 60 % 60, sec % 60, bench_rng_below(r, 1000), ty[0], fail ? "WARN" : "INFO", ty[1], ty[2],
        actor_id, fn, ln, fn[0] - 32, fn + 1, ln[0] - 32, ln + 1,
        ua[0], ua[1], ua[2],
        ip1, ip2, ip3, ip4, g[0], g[1], g[2], g[3], g[4], g[5],
        PICK(r, creds), sess,
        result, fail ? "\"" : "", fail ? PICK(r, reasons) : "null", fail ? "\"" : "",
        7000 + bench_rng_below(r, 9000), isp[0], isp[1], isp[2],
        req_id, fp,
        PICK(r, behaviors), PICK(r, behaviors), PICK(r, behaviors), PICK(r, behaviors), PICK(r, behaviors),
        PICK(r, behaviors), PICK(r, risk),
        txid,
        ip1, ip2, ip3, ip4, g[0], g[1], g[2], g[3],
        tgt_id, two_targets ? ",{\"id\":\"" : "", two_targets ? tgt2_id : "",
        two_targets ? "\",\"type\":\"UserGroup\",\"alternateId\":\"unknown\",\"displayName\":\"Engineering\",\"detailEntry\":null}" : "");
    s.append(buf, static_cast<size_t>(n));
}

struct Events {
    std::string text;               // JSON Lines
    std::vector<as_slice> lines;    // one per event, without the newline
    std::string wrapped;            // {"Records":[ e, e, ... ]}
    bool ok = false;
};

const Events &generated()
{
    static const Events in = [] {
        Events ev;
        bench_rng r = { kSeed };
        uint64_t t = 86400;
        ev.text.reserve(kGenBytes + 4096);
        while (ev.text.size() < kGenBytes) {
            t += bench_rng_below(&r, 3);
            okta_event(&r, t, ev.text);
            ev.text.push_back('\n');
        }
        const char *p = ev.text.data(), *end = p + ev.text.size();
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
            ev.lines.push_back(as_slice_make(p, static_cast<size_t>(nl - p)));
            p = nl + 1;
        }
        ev.wrapped.reserve(ev.text.size() + 64);
        ev.wrapped = "{\"Records\":[\n";
        for (size_t i = 0; i < ev.lines.size(); i++) {
            ev.wrapped.append(ev.lines[i].ptr, ev.lines[i].len);
            ev.wrapped.append(i + 1 < ev.lines.size() ? ",\n" : "\n");
        }
        ev.wrapped.append("]}\n");
        ev.ok = true;
        if (const char *dump = getenv("ASSAY_BENCH_JSON_DUMP")) {
            FILE *f = fopen(dump, "wb");
            ev.ok = f != nullptr && fwrite(ev.text.data(), 1, ev.text.size(), f) == ev.text.size();
            if (f != nullptr)
                ev.ok = fclose(f) == 0 && ev.ok;
        }
        return ev;
    }();
    return in;
}

struct Paths {
    psr_json_path result, type, user;
    const psr_json_path *all[3];
    bool ok;
    Paths()
    {
        ok = psr_json_path_compile(&result, as_slice_cstr("outcome.result"), 0, nullptr) == PSR_JSON_OK &&
             psr_json_path_compile(&type, as_slice_cstr("eventType"), 0, nullptr) == PSR_JSON_OK &&
             psr_json_path_compile(&user, as_slice_cstr("actor.alternateId"), 0, nullptr) == PSR_JSON_OK;
        all[0] = &result;
        all[1] = &type;
        all[2] = &user;
    }
};

void set_rates(benchmark::State &state, const Events &in)
{
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.size()));
    state.counters["events/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(in.lines.size()), benchmark::Counter::kIsRate);
}

void validate(benchmark::State &state, psr_json_scan scan)
{
    const Events &in = generated();
    if (!in.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    uint64_t bad = 0;
    for (auto _ : state) {
        bad = 0;
        for (const as_slice &s : in.lines)
            bad += psr_json_validate_scan(s, scan, nullptr) != PSR_JSON_OK;
        benchmark::DoNotOptimize(bad);
    }
    set_rates(state, in);
    state.counters["invalid"] = static_cast<double>(bad);
}

const as_slice kFailure = AS_SLICE_LIT("FAILURE");

// The filter the jq command runs: one pass, 3 fields, count FAILUREs.
uint64_t filter_failures(const Events &in, const Paths &ps, as_arena *ar, psr_json_scan scan, uint64_t *errors)
{
    uint64_t hits = 0, errs = 0;
    for (const as_slice &s : in.lines) {
        as_val v[3];
        if (psr_json_get_many_scan(s, ps.all, 3, v, ar, scan) != AS_OK) {
            errs++;
            continue;
        }
        hits += v[0].type == AS_V_STR && as_slice_eq(v[0].u.str, kFailure) && v[1].type == AS_V_STR &&
                v[2].type == AS_V_STR;
    }
    as_arena_reset(ar);
    *errors = errs;
    return hits;
}

void get_many3(benchmark::State &state, psr_json_scan scan)
{
    const Events &in = generated();
    Paths ps;
    if (!in.ok || !ps.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t hits = 0, errs = 0;
    for (auto _ : state) {
        hits = filter_failures(in, ps, &ar, scan, &errs);
        benchmark::DoNotOptimize(hits);
    }
    as_arena_fini(&ar);
    set_rates(state, in);
    state.counters["failures"] = static_cast<double>(hits);
    state.counters["errors"] = static_cast<double>(errs);
}

void BM_json_validate(benchmark::State &state) { validate(state, PSR_JSON_SCAN_BEST); }
void BM_json_validate_portable(benchmark::State &state) { validate(state, PSR_JSON_SCAN_PORTABLE); }
void BM_json_get_many3(benchmark::State &state) { get_many3(state, PSR_JSON_SCAN_BEST); }
void BM_json_get_many3_portable(benchmark::State &state) { get_many3(state, PSR_JSON_SCAN_PORTABLE); }

void BM_json_get3_separate(benchmark::State &state)
{
    const Events &in = generated();
    Paths ps;
    if (!in.ok || !ps.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    as_arena ar;
    as_arena_init(&ar, 0);
    uint64_t hits = 0;
    for (auto _ : state) {
        hits = 0;
        for (const as_slice &s : in.lines) {
            as_val v[3];
            for (int i = 0; i < 3; i++)
                if (psr_json_get(s, ps.all[i], &v[i], &ar) != AS_OK)
                    v[i].type = AS_V_MISSING;
            hits += v[0].type == AS_V_STR && as_slice_eq(v[0].u.str, kFailure);
        }
        as_arena_reset(&ar);
        benchmark::DoNotOptimize(hits);
    }
    as_arena_fini(&ar);
    set_rates(state, in);
    state.counters["failures"] = static_cast<double>(hits);
}

void BM_json_iter_array(benchmark::State &state)
{
    const Events &in = generated();
    if (!in.ok) {
        state.SkipWithError("building the input failed");
        return;
    }
    as_slice doc = as_slice_make(in.wrapped.data(), in.wrapped.size());
    uint64_t n = 0;
    for (auto _ : state) {
        psr_json_iter it;
        psr_json_elem el;
        psr_json_err e;
        psr_json_iter_init(&it, doc, PSR_JSON_SCAN_BEST);
        n = 0;
        while (psr_json_iter_next(&it, &el, &e) == PSR_JSON_NEXT_ELEM)
            n += el.line != 0;
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(doc.len));
    state.counters["records"] = static_cast<double>(n);
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void BM_json_vs_jq(benchmark::State &state)
{
    const Events &in = generated();
    Paths ps;
    if (!in.ok || !ps.ok || system("command -v jq > /dev/null 2>&1") != 0) {
        state.SkipWithError("jq not found or input not built");
        return;
    }
    const char *path = "build/bench_json_okta.jsonl";
    FILE *f = fopen(path, "wb");
    bool ok = f != nullptr && fwrite(in.text.data(), 1, in.text.size(), f) == in.text.size();
    if (f != nullptr)
        ok = fclose(f) == 0 && ok;
    if (!ok) {
        state.SkipWithError("cannot write build/bench_json_okta.jsonl");
        return;
    }
    as_arena ar;
    as_arena_init(&ar, 0);
    double t_jq = 0, t_us = 0;
    uint64_t n_jq = 0, n_us = 0, errs = 0;
    const std::string cmd = std::string("jq -c 'select(.outcome.result==\"FAILURE\")' ") + path;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        FILE *p = popen(cmd.c_str(), "r");
        n_jq = 0;
        if (p != nullptr) {
            char line[8192];
            while (fgets(line, sizeof line, p) != nullptr)
                n_jq += strchr(line, '\n') != nullptr;
            pclose(p);
        }
        t_jq += seconds_since(t0);
        t0 = std::chrono::steady_clock::now();
        n_us = filter_failures(in, ps, &ar, PSR_JSON_SCAN_BEST, &errs);
        t_us += seconds_since(t0);
    }
    as_arena_fini(&ar);
    remove(path);
    const double mb = static_cast<double>(in.text.size()) * static_cast<double>(state.iterations()) / 1e6;
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.size()));
    state.counters["jq_MBps"] = mb / t_jq;
    state.counters["assay_MBps"] = mb / t_us;
    state.counters["ratio"] = t_jq / t_us;
    state.counters["jq_matches"] = static_cast<double>(n_jq);
    state.counters["assay_matches"] = static_cast<double>(n_us);
}

}  // namespace

BENCHMARK(BM_json_validate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_validate_portable)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_get_many3)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_get_many3_portable)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_get3_separate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_iter_array)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_json_vs_jq)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
