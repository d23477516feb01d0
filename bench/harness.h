/* harness.h: the thin layer between the Google Benchmark cases
 * (bench/bench_*.cc, C++) and assay's C modules.
 *
 * It includes the project's C headers with C linkage and offers plain-C
 * helpers (callable from C as well, e.g. to write the same inputs to files for
 * the command-line comparisons in docs/gzip.md):
 *   - bench_make_access_log: deterministic Apache "combined" log text from a
 *     seeded PRNG (splitmix64), the shape of the inputs assay reads;
 *   - bench_gzip / bench_zstd: compress a buffer the way real files are made,
 *     gzip with zlib level 6 (gzip's and logrotate's default), zstd level 3
 *     (zstd's default);
 *   - bench_decode: decode a whole stream through eng_codec the way the
 *     engine's reader does (input chunks, output blocks reused), counting the
 *     bytes instead of keeping them.
 * Inputs are built outside the timed loops. Every helper is static inline:
 * the Makefile compiles bench/bench_*.cc in one command, with no harness .c.
 * Thread-safety: no shared state.
 */
#ifndef ASSAY_BENCH_HARNESS_H
#define ASSAY_BENCH_HARNESS_H

#include <stdio.h>   /* snprintf */
#include <string.h>  /* memcpy */
#include <zlib.h>    /* deflate: gzip inputs */
#include <zstd.h>    /* ZSTD_compress: zstd inputs */

#ifdef __cplusplus
extern "C" {
#endif
#include "core/as.h"             /* as_buf, as_malloc */
#include "engine/eng_codec.h"    /* the decoders under test */
#ifdef __cplusplus
}
#endif

/* Sizes the engine's reader uses (docs/architecture.md). */
#define BENCH_IN_CHUNK  ((size_t)1 << 20)  /* 1 MiB of compressed input per read */
#define BENCH_OUT_BLOCK ((size_t)4 << 20)  /* 4 MiB decompressed blocks */

/* ---- deterministic data ---- */

typedef struct bench_rng { uint64_t s; } bench_rng;

static inline uint64_t bench_rng_next(bench_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);  /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint32_t bench_rng_below(bench_rng *r, uint32_t n)
{
    return (uint32_t)(bench_rng_next(r) % n);
}

/* Appends n_bytes of combined-log lines (the last one cut at n_bytes) to out.
 * Same seed, same bytes. Returns 0, or -1 when memory runs out. */
static inline int bench_make_access_log(as_buf *out, size_t n_bytes, uint64_t seed)
{
    /* path = pre, then a number and post when post is not NULL */
    static const struct { const char *pre, *post; } k_paths[] = {
        { "/", NULL }, { "/index.html", NULL }, { "/login", NULL }, { "/logout", NULL },
        { "/api/v1/users/", "" }, { "/api/v1/orders/", "/items" }, { "/static/js/app.", ".js" },
        { "/static/css/site.css", NULL }, { "/images/p/", ".jpg" }, { "/search?q=item", "&page=2" },
        { "/admin/settings", NULL }, { "/healthz", NULL }, { "/api/v2/reports/", "?format=csv" },
        { "/favicon.ico", NULL },
    };
    static const char *const k_methods[] = { "GET", "GET", "GET", "GET", "POST", "GET", "PUT", "DELETE", "HEAD" };
    static const unsigned k_status[] = { 200, 200, 200, 200, 200, 200, 304, 301, 404, 403, 500, 201, 204, 401 };
    static const char *const k_agents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "curl/8.5.0", "python-requests/2.31.0", "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Prometheus/2.49.1", "okhttp/4.12.0",
    };
    static const char *const k_refs[] = { "-", "-", "https://example.com/", "https://www.google.com/",
                                          "https://example.com/search?q=x" };
    static const char *const k_users[] = { "-", "-", "-", "alice", "bob", "svc-backup", "carol" };
    static const char *const k_mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    bench_rng r = { seed };
    uint64_t t = 86400ull * 40;  /* seconds into the year, increasing like a real log */
    char path[96], line[512];
    size_t start = out->len;
    while (out->len - start < n_bytes) {
        t += bench_rng_below(&r, 3);
        unsigned day = (unsigned)(t / 86400), sec = (unsigned)(t % 86400);
        unsigned ip = bench_rng_below(&r, 4) == 0 ? bench_rng_below(&r, 1u << 24) : bench_rng_below(&r, 300);
        uint32_t pi = bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_paths)), id = bench_rng_below(&r, 100000);
        if (k_paths[pi].post)
            snprintf(path, sizeof path, "%s%u%s", k_paths[pi].pre, (unsigned)id, k_paths[pi].post);
        else
            snprintf(path, sizeof path, "%s", k_paths[pi].pre);
        int k = snprintf(line, sizeof line,
                         "%u.%u.%u.%u - %s [%02u/%s/2024:%02u:%02u:%02u +0000] \"%s %s HTTP/1.1\" %u %u \"%s\" \"%s\"\n",
                         10u + (ip >> 16) % 200, (ip >> 8) & 255, ip & 255, 1u + bench_rng_below(&r, 254),
                         k_users[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_users))], 1 + day % 28,
                         k_mon[(day / 28) % 12], sec / 3600, sec / 60 % 60, sec % 60,
                         k_methods[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_methods))], path,
                         k_status[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_status))],
                         bench_rng_below(&r, 4) ? 200 + bench_rng_below(&r, 60000) : 0,
                         k_refs[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_refs))],
                         k_agents[bench_rng_below(&r, (uint32_t)AS_ARRAY_LEN(k_agents))]);
        size_t want = n_bytes - (out->len - start);
        if (as_buf_append(out, line, (size_t)k < want ? (size_t)k : want) != 0)
            return -1;
    }
    return 0;
}

/* ---- compression, as real files are made ---- */

/* One gzip member of src[0..n) at zlib level (6 = gzip's default) into out. */
static inline int bench_gzip(as_buf *out, const void *src, size_t n, int level)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    if (as_buf_reserve(out, deflateBound(&z, (uLong)n)) != 0) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)src;  /* drops const: deflate never writes through next_in */
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    int rc = deflate(&z, Z_FINISH);
    out->len += z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* One zstd frame of src[0..n) at level (3 = zstd's default) into out. */
static inline int bench_zstd(as_buf *out, const void *src, size_t n, int level)
{
    size_t bound = ZSTD_compressBound(n);
    if (as_buf_reserve(out, bound) != 0)
        return -1;
    size_t r = ZSTD_compress(out->data + out->len, bound, src, n, level);
    if (ZSTD_isError(r))
        return -1;
    out->len += r;
    return 0;
}

/* ---- decoding the way the engine does ---- */

/* Decodes src[0..n) with eng_codec in in_chunk pieces into the reused block
 * blk[0..blk_size); *out_total gets the decompressed byte count. Returns AS_OK
 * or the codec's error (codec creation failing is AS_ERR_NOMEM). */
static inline as_code bench_decode(eng_comp comp, eng_gz_impl gz, const uint8_t *src, size_t n, size_t in_chunk,
                                   uint8_t *blk, size_t blk_size, uint64_t *out_total)
{
    eng_codec *c = eng_codec_new(comp, gz);
    if (c == NULL)
        return AS_ERR_NOMEM;
    as_err e;
    as_err_clear(&e);
    as_code rc = AS_OK;
    uint64_t total = 0;
    for (size_t off = 0; rc == AS_OK && off < n; off += in_chunk) {
        eng_inbuf in = { src + off, n - off < in_chunk ? n - off : in_chunk, 0 };
        while (rc == AS_OK && in.pos < in.size) {
            eng_outbuf out = { blk, blk_size, 0 };
            rc = eng_codec_run(c, &in, &out, off, &e);
            total += out.pos;
        }
    }
    int more = 1;
    while (rc == AS_OK && more) {
        eng_outbuf out = { blk, blk_size, 0 };
        rc = eng_codec_end(c, &out, n, &more, &e);
        total += out.pos;
    }
    eng_codec_free(c);
    *out_total = total;
    return rc;
}

#endif
