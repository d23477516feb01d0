/* test_eng_codec.c: unit tests for engine/eng_codec (gzip over ISA-L and zlib,
 * zstd).
 *
 * Inputs are built in memory: gzip members with zlib's deflate (gzip wrapper,
 * deflateSetHeader for FEXTRA/FNAME/FCOMMENT/FHCRC), zstd frames with
 * ZSTD_compress, skippable frames by hand, text from a seeded generator. Every
 * decode runs through one driver (decode) that feeds input chunks and drains
 * fixed-size output blocks the way the reader thread will, and checks the
 * eng_codec_run contract (it returns only with the input used up or the
 * output full) on every call.
 */
#include <setjmp.h>  /* cmocka needs these three before cmocka.h */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>   /* snprintf */
#include <string.h>  /* memcmp, memcpy, strstr */
#include <unistd.h>  /* getpid */
#include <zlib.h>    /* deflate: gzip test inputs */
#include <zstd.h>    /* ZSTD_compress: zstd test inputs */

#include "engine/eng.h"        /* eng_file_head */
#include "engine/eng_codec.h"
#include "tests/unit/guard.h"  /* inputs and output blocks before a PROT_NONE page */

/* ---- growable byte strings (test helpers; allocation failure fails the test) ---- */

typedef struct bytes {
    uint8_t *p;
    size_t   n, cap;
} bytes;

static void bytes_add(bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = as_realloc(b->p, cap);
        assert_non_null(q);
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void bytes_cat(bytes *b, const bytes *x)
{
    bytes_add(b, x->p, x->n);
}

static void bytes_free(bytes *b)
{
    as_free(b->p);
    *b = (bytes){ 0 };
}

/* Deterministic access-log text: n bytes (whole lines, the last cut). */
static bytes make_text(size_t n, uint64_t seed)
{
    bytes b = { 0 };
    uint64_t s = seed;
    char line[256];
    static const char *const paths[] = { "/", "/login", "/api/v1/users", "/static/app.js", "/admin" };
    while (b.n < n) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(s >> 33);
        int k = snprintf(line, sizeof line,
                         "10.%u.%u.%u - user%u [12/Mar/2024:10:%02u:%02u +0000] \"GET %s HTTP/1.1\" %u %u\n",
                         r % 7, (r >> 3) % 256, (r >> 11) % 256, (r >> 5) % 50, (r >> 7) % 60, (r >> 13) % 60,
                         paths[(r >> 17) % 5], (r >> 20) % 3 ? 200u : 404u, (r >> 9) % 100000);
        bytes_add(&b, line, AS_MIN((size_t)k, n - b.n));
    }
    return b;
}

/* Incompressible bytes. */
static bytes make_noise(size_t n, uint64_t seed)
{
    bytes b = { 0 };
    uint64_t s = seed | 1;
    for (size_t i = 0; i < n; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        uint8_t c = (uint8_t)s;
        bytes_add(&b, &c, 1);
    }
    return b;
}

typedef struct gz_opts {
    int         level;       /* zlib level 0..9 */
    const char *name;        /* FNAME, or NULL */
    const char *comment;     /* FCOMMENT, or NULL */
    size_t      extra_len;   /* FEXTRA length (0 = none) */
    int         hcrc;        /* FHCRC */
    size_t      flush_every; /* Z_SYNC_FLUSH after this many input bytes (pigz-like), 0 = never */
} gz_opts;

/* One gzip member of data[0..n). */
static bytes gz_member_opts(const void *data, size_t n, const gz_opts *o)
{
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, o->level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    gz_header h = { 0 };
    uint8_t extra[300];
    for (size_t i = 0; i < sizeof extra; i++)
        extra[i] = (uint8_t)(i * 7 + 1);
    assert_true(o->extra_len <= sizeof extra);
    h.os = 3;
    h.name = (Bytef *)(uintptr_t)o->name;
    h.comment = (Bytef *)(uintptr_t)o->comment;
    h.extra = o->extra_len ? extra : Z_NULL;
    h.extra_len = (uInt)o->extra_len;
    h.hcrc = o->hcrc;
    assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
    bytes out = { 0 };
    uint8_t buf[16384];
    const uint8_t *p = data;
    size_t left = n;
    int ret;
    do {
        size_t take = o->flush_every ? AS_MIN(left, o->flush_every) : left;
        int flush = take == left ? Z_FINISH : Z_SYNC_FLUSH;
        z.next_in = (Bytef *)(uintptr_t)p;
        z.avail_in = (uInt)take;
        do {
            z.next_out = buf;
            z.avail_out = sizeof buf;
            ret = deflate(&z, flush);
            assert_true(ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR);
            bytes_add(&out, buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
        p += take;
        left -= take;
    } while (ret != Z_STREAM_END);
    deflateEnd(&z);
    return out;
}

static bytes gz_member(const void *data, size_t n, int level)
{
    gz_opts o = { .level = level };
    return gz_member_opts(data, n, &o);
}

static bytes zs_frame(const void *data, size_t n, int level)
{
    bytes out = { 0 };
    size_t cap = ZSTD_compressBound(n);
    out.p = as_malloc(cap);
    assert_non_null(out.p);
    out.cap = cap;
    size_t r = ZSTD_compress(out.p, cap, data, n, level);
    assert_false(ZSTD_isError(r));
    out.n = r;
    return out;
}

/* A skippable frame: magic 0x184D2A5<nibble>, 4-byte size, payload. */
static bytes zs_skippable(unsigned nibble, size_t len)
{
    bytes b = { 0 };
    uint8_t hdr[8] = { (uint8_t)(0x50 | (nibble & 15)), 0x2a, 0x4d, 0x18,
                       (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24) };
    bytes_add(&b, hdr, sizeof hdr);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)(0xa5 ^ i);
        bytes_add(&b, &c, 1);
    }
    return b;
}

/* ---- the decode driver ---- */

typedef struct dec {
    as_code code;    /* final status */
    as_err  err;     /* filled when code != AS_OK */
    int     in_end;  /* the error came from eng_codec_end */
    bytes   out;     /* everything decoded */
    eng_codec_stats stats;
} dec;

/* Decodes src[0..n) with input chunks of in_chunk bytes (0 = all at once) and
 * output blocks of out_block bytes, checking the run/end contracts. */
static dec decode(eng_comp comp, eng_gz_impl impl, const uint8_t *src, size_t n, size_t in_chunk, size_t out_block)
{
    dec d = { 0 };
    as_err_clear(&d.err);
    eng_codec *c = eng_codec_new(comp, impl);
    assert_non_null(c);
    uint8_t *blk = as_malloc(out_block);
    assert_non_null(blk);
    if (in_chunk == 0)
        in_chunk = n ? n : 1;
    size_t off = 0;
    as_code rc = AS_OK;
    while (rc == AS_OK && off < n) {
        eng_inbuf in = { src + off, AS_MIN(in_chunk, n - off), 0 };
        while (in.pos < in.size) {
            eng_outbuf out = { blk, out_block, 0 };
            rc = eng_codec_run(c, &in, &out, off, &d.err);
            assert_true(out.pos <= out_block && in.pos <= in.size);
            bytes_add(&d.out, blk, out.pos);
            if (rc != AS_OK)
                break;
            assert_true(in.pos == in.size || out.pos == out.size);  /* the run contract */
        }
        off += in.size;
    }
    if (rc == AS_OK) {
        int more = 1, idle = 0;
        while (rc == AS_OK && more) {
            eng_outbuf out = { blk, out_block, 0 };
            rc = eng_codec_end(c, &out, n, &more, &d.err);
            bytes_add(&d.out, blk, out.pos);
            idle = out.pos == 0 ? idle + 1 : 0;
            assert_true(idle < 3);  /* more = 1 must come with progress */
        }
        d.in_end = rc != AS_OK;
    }
    d.code = rc;
    if (rc != AS_OK) {
        assert_int_equal(d.err.code, rc);
        assert_true(d.err.loc.has_offset);
        assert_true(d.err.loc.offset <= n);
        assert_true(d.err.msg[0] != '\0');
    }
    d.stats = eng_codec_get_stats(c);
    eng_codec_free(c);
    as_free(blk);
    return d;
}

static void dec_free(dec *d)
{
    bytes_free(&d->out);
}

/* Decodes and expects success with exactly want as output. */
static void expect_ok(eng_comp comp, eng_gz_impl impl, const bytes *src, const bytes *want, size_t in_chunk,
                      size_t out_block)
{
    dec d = decode(comp, impl, src->p, src->n, in_chunk, out_block);
    if (d.code != AS_OK)
        print_error("decode failed (in %zu, out %zu): %s at %llu\n", in_chunk, out_block, d.err.msg,
                    (unsigned long long)d.err.loc.offset);
    assert_int_equal(d.code, AS_OK);
    assert_int_equal(d.out.n, want->n);
    if (want->n)
        assert_memory_equal(d.out.p, want->p, want->n);
    dec_free(&d);
}

/* Decodes and expects code at offset with msg containing what. */
static dec expect_fail(eng_comp comp, eng_gz_impl impl, const bytes *src, as_code code, uint64_t offset,
                       const char *what)
{
    dec d = decode(comp, impl, src->p, src->n, 0, 4096);
    if (d.code != code || d.err.loc.offset != offset || strstr(d.err.msg, what) == NULL)
        print_error("got %s at %llu: %s\n", as_err_name(d.code), (unsigned long long)d.err.loc.offset, d.err.msg);
    assert_int_equal(d.code, code);
    assert_int_equal(d.err.loc.offset, offset);
    assert_non_null(strstr(d.err.msg, what));
    return d;
}

static const eng_gz_impl k_impls[] = { ENG_GZ_ISAL, ENG_GZ_ZLIB };

/* ---- sniffing and names ---- */

static void test_eng_codec_sniff_magics(void **state)
{
    (void)state;
    static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00 };
    static const uint8_t zs[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00 };
    assert_int_equal(eng_comp_sniff(gz, sizeof gz), ENG_COMP_GZIP);
    assert_int_equal(eng_comp_sniff(gz, 2), ENG_COMP_GZIP);
    assert_int_equal(eng_comp_sniff(zs, sizeof zs), ENG_COMP_ZSTD);
    assert_int_equal(eng_comp_sniff(zs, 4), ENG_COMP_ZSTD);
    for (unsigned k = 0; k < 16; k++) {
        uint8_t sk[4] = { (uint8_t)(0x50 | k), 0x2a, 0x4d, 0x18 };
        assert_int_equal(eng_comp_sniff(sk, 4), ENG_COMP_ZSTD);
    }
    assert_int_equal(eng_comp_sniff("GET / HTTP/1.1", 14), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff("{\"a\":1}", 7), ENG_COMP_NONE);
}

static void test_eng_codec_sniff_short_and_near_misses(void **state)
{
    (void)state;
    static const uint8_t gz[] = { 0x1f, 0x8b };
    static const uint8_t zs[] = { 0x28, 0xb5, 0x2f, 0xfd };
    assert_int_equal(eng_comp_sniff(gz, 0), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(gz, 1), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(zs, 3), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(NULL, 0), ENG_COMP_NONE);
    static const uint8_t a[] = { 0x1f, 0x8c }, b[] = { 0x8b, 0x1f }, c[] = { 0x28, 0xb5, 0x2f, 0xfe },
                         d[] = { 0x60, 0x2a, 0x4d, 0x18 }, e[] = { 0x4f, 0x2a, 0x4d, 0x18 },
                         f[] = { 0x50, 0x2a, 0x4d, 0x19 };
    assert_int_equal(eng_comp_sniff(a, 2), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(b, 2), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(c, 4), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(d, 4), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(e, 4), ENG_COMP_NONE);
    assert_int_equal(eng_comp_sniff(f, 4), ENG_COMP_NONE);
}

static void test_eng_codec_names(void **state)
{
    (void)state;
    assert_string_equal(eng_comp_name(ENG_COMP_NONE), "none");
    assert_string_equal(eng_comp_name(ENG_COMP_GZIP), "gzip");
    assert_string_equal(eng_comp_name(ENG_COMP_ZSTD), "zstd");
    static const struct { eng_comp comp; eng_gz_impl gz; const char *impl; } cases[] = {
        { ENG_COMP_GZIP, ENG_GZ_AUTO, "isal" },
        { ENG_COMP_GZIP, ENG_GZ_ISAL, "isal" },
        { ENG_COMP_GZIP, ENG_GZ_ZLIB, "zlib" },
        { ENG_COMP_ZSTD, ENG_GZ_AUTO, "zstd" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        eng_codec *c = eng_codec_new(cases[i].comp, cases[i].gz);
        assert_non_null(c);
        assert_string_equal(eng_codec_impl(c), cases[i].impl);
        eng_codec_free(c);
    }
    assert_null(eng_codec_new(ENG_COMP_NONE, ENG_GZ_AUTO));
    assert_null(eng_codec_new((eng_comp)7, ENG_GZ_AUTO));
    assert_null(eng_codec_new(ENG_COMP_GZIP, (eng_gz_impl)9));
    eng_codec_free(NULL);
}

/* ---- gzip round trips ---- */

static void test_eng_codec_gzip_single_member(void **state)
{
    (void)state;
    bytes text = make_text(100000, 1);
    for (int level = 0; level <= 9; level += 3) {
        bytes gz = gz_member(text.p, text.n, level);
        for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
            dec d = decode(ENG_COMP_GZIP, k_impls[i], gz.p, gz.n, 0, 1 << 20);
            assert_int_equal(d.code, AS_OK);
            assert_int_equal(d.out.n, text.n);
            assert_memory_equal(d.out.p, text.p, text.n);
            assert_int_equal(d.stats.n_members, 1);
            assert_int_equal(d.stats.n_padding, 0);
            dec_free(&d);
        }
        bytes_free(&gz);
    }
    bytes_free(&text);
}

static void test_eng_codec_gzip_multi_member(void **state)
{
    (void)state;
    bytes a = make_text(70000, 2), b = make_noise(5000, 3), want = { 0 }, gz = { 0 };
    bytes ga = gz_member(a.p, a.n, 6), gb = gz_member(b.p, b.n, 1);
    bytes_cat(&gz, &ga);
    bytes_cat(&gz, &gb);
    bytes_cat(&want, &a);
    bytes_cat(&want, &b);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        dec d = decode(ENG_COMP_GZIP, k_impls[i], gz.p, gz.n, 0, 4 << 20);
        assert_int_equal(d.code, AS_OK);
        assert_int_equal(d.out.n, want.n);
        assert_memory_equal(d.out.p, want.p, want.n);
        assert_int_equal(d.stats.n_members, 2);
        dec_free(&d);
    }
    bytes_free(&a), bytes_free(&b), bytes_free(&ga), bytes_free(&gb), bytes_free(&gz), bytes_free(&want);
}

static void test_eng_codec_gzip_empty_member(void **state)
{
    (void)state;
    bytes e = gz_member("", 0, 6), t = make_text(3000, 4);
    bytes gt = gz_member(t.p, t.n, 6), gz = { 0 }, empty = { 0 };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++)
        expect_ok(ENG_COMP_GZIP, k_impls[i], &e, &empty, 0, 64);
    /* empty, text, empty, empty: the empty members vanish from the output */
    bytes_cat(&gz, &e);
    bytes_cat(&gz, &gt);
    bytes_cat(&gz, &e);
    bytes_cat(&gz, &e);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        dec d = decode(ENG_COMP_GZIP, k_impls[i], gz.p, gz.n, 1, 100);
        assert_int_equal(d.code, AS_OK);
        assert_int_equal(d.out.n, t.n);
        assert_memory_equal(d.out.p, t.p, t.n);
        assert_int_equal(d.stats.n_members, 4);
        dec_free(&d);
    }
    bytes_free(&e), bytes_free(&t), bytes_free(&gt), bytes_free(&gz);
}

/* pigz: a named header, then deflate data cut into 128 KiB pieces joined by
 * sync-flush markers (empty stored blocks); `cat` of several such files gives
 * several members. */
static void test_eng_codec_gzip_pigz_like_members(void **state)
{
    (void)state;
    bytes a = make_text(300000, 5), b = make_text(200000, 6), want = { 0 }, gz = { 0 };
    gz_opts o = { .level = 6, .name = "access.log", .flush_every = 128 * 1024 };
    bytes ga = gz_member_opts(a.p, a.n, &o);
    o.flush_every = 1000;  /* many small pieces */
    o.level = 1;
    bytes gb = gz_member_opts(b.p, b.n, &o);
    bytes_cat(&gz, &ga);
    bytes_cat(&gz, &gb);
    bytes_cat(&want, &a);
    bytes_cat(&want, &b);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        expect_ok(ENG_COMP_GZIP, k_impls[i], &gz, &want, 1 << 20, 4 << 20);
        expect_ok(ENG_COMP_GZIP, k_impls[i], &gz, &want, 65537, 4099);
    }
    bytes_free(&a), bytes_free(&b), bytes_free(&ga), bytes_free(&gb), bytes_free(&gz), bytes_free(&want);
}

/* Every optional header field, split at every byte: ISA-L 2.30's own header
 * parser loses FLG across calls, assay's must not. */
static void test_eng_codec_gzip_header_fields_any_split(void **state)
{
    (void)state;
    bytes t = make_text(2000, 7), gz = { 0 }, want = { 0 };
    static const gz_opts opts[] = {
        { .level = 6, .name = "a.log" },
        { .level = 6, .comment = "rotated by logrotate" },
        { .level = 6, .extra_len = 12 },
        { .level = 6, .hcrc = 1 },
        { .level = 6, .name = "b.log", .comment = "c", .extra_len = 260, .hcrc = 1 },
        { .level = 6, .name = "", .comment = "", .extra_len = 0, .hcrc = 1 },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(opts); k++) {
        bytes m = gz_member_opts(t.p, t.n, &opts[k]);
        bytes_cat(&gz, &m);
        bytes_cat(&want, &t);
        bytes_free(&m);
    }
    static const size_t chunks[] = { 1, 2, 3, 5, 7, 11, 0 };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++)
        for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++)
            expect_ok(ENG_COMP_GZIP, k_impls[i], &gz, &want, chunks[c], 1000);
    bytes_free(&t), bytes_free(&gz), bytes_free(&want);
}

static void test_eng_codec_gzip_isal_zlib_identical(void **state)
{
    (void)state;
    static const size_t sizes[] = { 0, 1, 2, 31, 32768, 32769, 65536, 200001, 1 << 21 };
    for (size_t s = 0; s < AS_ARRAY_LEN(sizes); s++) {
        bytes src = s % 3 == 2 ? make_noise(sizes[s], s) : make_text(sizes[s], s);
        bytes gz = gz_member(src.p, src.n, (int)(s % 10));
        dec a = decode(ENG_COMP_GZIP, ENG_GZ_ISAL, gz.p, gz.n, 1 << 20, 4 << 20);
        dec b = decode(ENG_COMP_GZIP, ENG_GZ_ZLIB, gz.p, gz.n, 1 << 20, 4 << 20);
        assert_int_equal(a.code, AS_OK);
        assert_int_equal(b.code, AS_OK);
        assert_int_equal(a.out.n, src.n);
        assert_int_equal(b.out.n, src.n);
        if (src.n) {
            assert_memory_equal(a.out.p, src.p, src.n);
            assert_memory_equal(b.out.p, a.out.p, src.n);
        }
        dec_free(&a), dec_free(&b), bytes_free(&src), bytes_free(&gz);
    }
}

/* ---- zstd round trips ---- */

static void test_eng_codec_zstd_single_frame(void **state)
{
    (void)state;
    bytes t = make_text(500000, 8);
    for (int level = 1; level <= 19; level += 9) {
        bytes z = zs_frame(t.p, t.n, level);
        dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, 0, 1 << 20);
        assert_int_equal(d.code, AS_OK);
        assert_int_equal(d.out.n, t.n);
        assert_memory_equal(d.out.p, t.p, t.n);
        assert_int_equal(d.stats.n_members, 1);
        dec_free(&d), bytes_free(&z);
    }
    bytes_free(&t);
}

static void test_eng_codec_zstd_multi_frame(void **state)
{
    (void)state;
    bytes a = make_text(100000, 9), b = make_noise(3000, 10), e = { 0 }, z = { 0 }, want = { 0 };
    bytes za = zs_frame(a.p, a.n, 3), zb = zs_frame(b.p, b.n, 3), ze = zs_frame("", 0, 3);
    bytes_cat(&z, &za), bytes_cat(&z, &ze), bytes_cat(&z, &zb), bytes_cat(&z, &za);
    bytes_cat(&want, &a), bytes_cat(&want, &b), bytes_cat(&want, &a);
    dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, 0, 1 << 20);
    assert_int_equal(d.code, AS_OK);
    assert_int_equal(d.out.n, want.n);
    assert_memory_equal(d.out.p, want.p, want.n);
    assert_int_equal(d.stats.n_members, 4);
    dec_free(&d);
    bytes_free(&a), bytes_free(&b), bytes_free(&e), bytes_free(&z), bytes_free(&want);
    bytes_free(&za), bytes_free(&zb), bytes_free(&ze);
}

static void test_eng_codec_zstd_skippable_first_middle_last(void **state)
{
    (void)state;
    bytes a = make_text(20000, 11), b = make_text(7000, 12), want = { 0 };
    bytes za = zs_frame(a.p, a.n, 3), zb = zs_frame(b.p, b.n, 3);
    bytes s0 = zs_skippable(0, 0), s1 = zs_skippable(0xf, 100), s2 = zs_skippable(7, 5);
    bytes_cat(&want, &a), bytes_cat(&want, &b);
    const bytes *layouts[][5] = {
        { &s1, &za, &zb, NULL },        /* first */
        { &za, &s1, &zb, NULL },        /* middle */
        { &za, &zb, &s2, NULL },        /* last */
        { &s0, &za, &s1, &zb, &s2 },    /* everywhere, one empty */
    };
    static const uint64_t n_frames[] = { 3, 3, 3, 5 };
    for (size_t l = 0; l < AS_ARRAY_LEN(layouts); l++) {
        bytes z = { 0 };
        for (size_t k = 0; k < 5 && layouts[l][k]; k++)
            bytes_cat(&z, layouts[l][k]);
        static const size_t chunks[] = { 0, 1, 7 };
        for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++) {
            dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, chunks[c], 333);
            assert_int_equal(d.code, AS_OK);
            assert_int_equal(d.out.n, want.n);
            assert_memory_equal(d.out.p, want.p, want.n);
            assert_int_equal(d.stats.n_members, n_frames[l]);
            dec_free(&d);
        }
        bytes_free(&z);
    }
    /* a stream of nothing but a skippable frame is complete and empty */
    bytes empty = { 0 };
    expect_ok(ENG_COMP_ZSTD, ENG_GZ_AUTO, &s1, &empty, 0, 16);
    bytes_free(&a), bytes_free(&b), bytes_free(&want), bytes_free(&za), bytes_free(&zb);
    bytes_free(&s0), bytes_free(&s1), bytes_free(&s2);
}

/* ---- chunking independence ---- */

/* Two gzip members (one with every header field) and a zstd stream with a
 * skippable frame in the middle, each decoded with every output block size
 * 1..64 and with input chunks of 1, 7 and everything. */
static void test_eng_codec_every_out_size_and_chunking(void **state)
{
    (void)state;
    bytes t = make_text(1500, 13), u = make_noise(300, 14), want = { 0 }, gz = { 0 }, zs = { 0 };
    gz_opts o = { .level = 9, .name = "x", .comment = "y", .extra_len = 3, .hcrc = 1 };
    bytes g1 = gz_member_opts(t.p, t.n, &o), g2 = gz_member(u.p, u.n, 0);
    bytes z1 = zs_frame(t.p, t.n, 5), z2 = zs_frame(u.p, u.n, 1), sk = zs_skippable(3, 9);
    bytes_cat(&gz, &g1), bytes_cat(&gz, &g2);
    bytes_cat(&zs, &z1), bytes_cat(&zs, &sk), bytes_cat(&zs, &z2);
    bytes_cat(&want, &t), bytes_cat(&want, &u);
    static const size_t chunks[] = { 1, 7, 0 };
    for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++) {
        for (size_t out = 1; out <= 64; out++) {
            for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++)
                expect_ok(ENG_COMP_GZIP, k_impls[i], &gz, &want, chunks[c], out);
            expect_ok(ENG_COMP_ZSTD, ENG_GZ_AUTO, &zs, &want, chunks[c], out);
        }
    }
    bytes_free(&t), bytes_free(&u), bytes_free(&want), bytes_free(&gz), bytes_free(&zs);
    bytes_free(&g1), bytes_free(&g2), bytes_free(&z1), bytes_free(&z2), bytes_free(&sk);
}

/* Engine-sized blocks over a few MiB, and odd sizes that straddle everything. */
static void test_eng_codec_large_blocks_and_odd_chunks(void **state)
{
    (void)state;
    bytes t = make_text(3 << 20, 15);
    bytes gz = gz_member(t.p, t.n, 6), zs = zs_frame(t.p, t.n, 3);
    static const size_t in_chunks[] = { 1 << 20, 65537, 4099 };
    static const size_t out_blocks[] = { 4 << 20, 4099, 65537 };
    for (size_t k = 0; k < AS_ARRAY_LEN(in_chunks); k++) {
        for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++)
            expect_ok(ENG_COMP_GZIP, k_impls[i], &gz, &t, in_chunks[k], out_blocks[k]);
        expect_ok(ENG_COMP_ZSTD, ENG_GZ_AUTO, &zs, &t, in_chunks[k], out_blocks[k]);
    }
    bytes_free(&t), bytes_free(&gz), bytes_free(&zs);
}

/* ---- truncation ---- */

/* Cut at every offset: a cut on a member boundary is a complete stream; any
 * other cut is AS_ERR_TRUNCATED at the cut, from eng_codec_end, and the output
 * is a prefix of the full output. */
static void check_every_cut(eng_comp comp, eng_gz_impl impl, const bytes *s, const size_t *bounds, size_t n_bounds,
                            const bytes *want)
{
    for (size_t cut = 0; cut < s->n; cut++) {
        int on_bound = 0;
        for (size_t b = 0; b < n_bounds; b++)
            on_bound |= bounds[b] == cut;
        size_t chunk = cut % 3 == 0 ? 1 : 0;  /* also byte by byte */
        dec d = decode(comp, impl, s->p, cut, chunk, cut % 5 == 0 ? 3 : 4096);
        if (on_bound) {
            assert_int_equal(d.code, AS_OK);
        } else {
            if (d.code != AS_ERR_TRUNCATED)
                print_error("cut %zu: %s: %s\n", cut, as_err_name(d.code), d.err.msg);
            assert_int_equal(d.code, AS_ERR_TRUNCATED);
            assert_true(d.in_end);
            assert_int_equal(d.err.loc.offset, cut);
        }
        assert_true(d.out.n <= want->n);
        if (d.out.n)
            assert_memory_equal(d.out.p, want->p, d.out.n);
        dec_free(&d);
    }
}

static void test_eng_codec_gzip_truncated_every_cut(void **state)
{
    (void)state;
    bytes t = make_text(600, 16), gz = { 0 }, want = { 0 };
    gz_opts o = { .level = 6, .name = "t.log", .extra_len = 4, .hcrc = 1 };
    bytes g1 = gz_member_opts(t.p, t.n, &o), g2 = gz_member(t.p, 100, 0);
    bytes_cat(&gz, &g1), bytes_cat(&gz, &g2);
    bytes_cat(&want, &t), bytes_add(&want, t.p, 100);
    size_t bounds[] = { g1.n };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++)
        check_every_cut(ENG_COMP_GZIP, k_impls[i], &gz, bounds, 1, &want);
    /* the empty stream */
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        dec d = decode(ENG_COMP_GZIP, k_impls[i], gz.p, 0, 0, 16);
        assert_int_equal(d.code, AS_ERR_TRUNCATED);
        assert_non_null(strstr(d.err.msg, "empty gzip stream"));
        dec_free(&d);
    }
    bytes_free(&t), bytes_free(&gz), bytes_free(&want), bytes_free(&g1), bytes_free(&g2);
}

static void test_eng_codec_zstd_truncated_every_cut(void **state)
{
    (void)state;
    bytes t = make_text(700, 17), zs = { 0 }, want = { 0 };
    bytes z1 = zs_frame(t.p, t.n, 3), sk = zs_skippable(1, 6), z2 = zs_frame(t.p, 50, 1);
    bytes_cat(&zs, &z1), bytes_cat(&zs, &sk), bytes_cat(&zs, &z2);
    bytes_cat(&want, &t), bytes_add(&want, t.p, 50);
    size_t bounds[] = { z1.n, z1.n + sk.n };
    check_every_cut(ENG_COMP_ZSTD, ENG_GZ_AUTO, &zs, bounds, 2, &want);
    dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, zs.p, 0, 0, 16);
    assert_int_equal(d.code, AS_ERR_TRUNCATED);
    assert_non_null(strstr(d.err.msg, "empty zstd stream"));
    dec_free(&d);
    bytes_free(&t), bytes_free(&zs), bytes_free(&want), bytes_free(&z1), bytes_free(&sk), bytes_free(&z2);
}

/* ---- corruption ---- */

static void test_eng_codec_gzip_corrupt_deflate_data(void **state)
{
    (void)state;
    bytes t = make_text(50000, 18);
    bytes gz = gz_member(t.p, t.n, 6);
    const size_t hdr = 10;
    static const size_t flips[] = { 0, 1, 100, 5000 };
    for (size_t k = 0; k < AS_ARRAY_LEN(flips); k++) {
        size_t at = hdr + flips[k];
        bytes bad = { 0 };
        bytes_cat(&bad, &gz);
        bad.p[at] ^= 0x55;
        for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
            dec d = decode(ENG_COMP_GZIP, k_impls[i], bad.p, bad.n, 0, 1 << 20);
            assert_int_equal(d.code, AS_ERR_CORRUPT);
            assert_non_null(strstr(d.err.msg, "gzip member 1: "));
            assert_true(d.err.loc.offset >= at);          /* not before the damage */
            assert_true(d.err.loc.offset <= bad.n - 4);    /* at the latest, the CRC-32 */
            dec_free(&d);
        }
        bytes_free(&bad);
    }
    bytes_free(&t), bytes_free(&gz);
}

static void test_eng_codec_gzip_corrupt_crc_and_isize(void **state)
{
    (void)state;
    bytes t = make_text(40000, 19), u = make_text(1000, 20);
    bytes g1 = gz_member(t.p, t.n, 6), g2 = gz_member(u.p, u.n, 6);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        for (int field = 0; field < 2; field++) {
            /* member 1 intact, member 2 damaged in its CRC-32 or ISIZE */
            bytes bad = { 0 };
            bytes_cat(&bad, &g1), bytes_cat(&bad, &g2);
            size_t at = bad.n - 8 + 4 * (size_t)field;
            bad.p[at + 1] ^= 0x01;
            dec d = expect_fail(ENG_COMP_GZIP, k_impls[i], &bad, AS_ERR_CORRUPT, at,
                                field == 0 ? "gzip member 2: CRC-32 mismatch" : "gzip member 2: ISIZE mismatch");
            /* member 1 and all of member 2's data are in the output */
            assert_int_equal(d.out.n, t.n + u.n);
            assert_memory_equal(d.out.p, t.p, t.n);
            char want[64];
            if (field == 1) {
                snprintf(want, sizeof want, "stored %u, decoded %u", (unsigned)(u.n ^ 0x100), (unsigned)u.n);
                assert_non_null(strstr(d.err.msg, want));
            }
            dec_free(&d);
            bytes_free(&bad);
        }
    }
    bytes_free(&t), bytes_free(&u), bytes_free(&g1), bytes_free(&g2);
}

static void test_eng_codec_gzip_corrupt_header(void **state)
{
    (void)state;
    bytes t = make_text(500, 21);
    gz_opts o = { .level = 6, .name = "n", .hcrc = 1 };
    bytes g = gz_member_opts(t.p, t.n, &o);
    static const struct { size_t at; uint8_t val; size_t offset; const char *what; } cases[] = {
        { 0, 0x1e, 0, "gzip member 1: bad magic" },
        { 1, 0x8a, 1, "gzip member 1: bad magic" },
        { 2, 0x07, 2, "unsupported compression method 7" },
        { 3, 0x0a | 0x20, 3, "reserved header flag bits set" },
        { 4, 0x99, 12, "header CRC-16 mismatch" },   /* MTIME changed: the CRC-16 at 10+2 fails */
    };
    for (size_t c = 0; c < AS_ARRAY_LEN(cases); c++) {
        bytes bad = { 0 };
        bytes_cat(&bad, &g);
        bad.p[cases[c].at] = cases[c].val;
        for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
            dec d = expect_fail(ENG_COMP_GZIP, k_impls[i], &bad, AS_ERR_CORRUPT, cases[c].offset, cases[c].what);
            assert_int_equal(d.out.n, 0);
            dec_free(&d);
        }
        bytes_free(&bad);
    }
    bytes_free(&t), bytes_free(&g);
}

static void test_eng_codec_gzip_trailing_bytes(void **state)
{
    (void)state;
    bytes t = make_text(5000, 22);
    bytes g = gz_member(t.p, t.n, 6);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        /* garbage right after the member */
        bytes bad = { 0 };
        bytes_cat(&bad, &g);
        bytes_add(&bad, "GARBAGE", 7);
        dec d = expect_fail(ENG_COMP_GZIP, k_impls[i], &bad, AS_ERR_CORRUPT, g.n,
                            "trailing garbage after gzip member 1 (byte 0x47)");
        assert_int_equal(d.out.n, t.n);  /* the member is complete in the output */
        dec_free(&d), bytes_free(&bad);

        /* zero padding is accepted and counted */
        bytes pad = { 0 };
        bytes_cat(&pad, &g);
        static const uint8_t zeros[1000];
        bytes_add(&pad, zeros, sizeof zeros);
        d = decode(ENG_COMP_GZIP, k_impls[i], pad.p, pad.n, 7, 512);
        assert_int_equal(d.code, AS_OK);
        assert_int_equal(d.out.n, t.n);
        assert_int_equal(d.stats.n_members, 1);
        assert_int_equal(d.stats.n_padding, 1000);
        dec_free(&d);

        /* but not a non-zero byte after it, nor a member */
        bytes_add(&pad, "\x1f\x8b", 2);
        d = expect_fail(ENG_COMP_GZIP, k_impls[i], &pad, AS_ERR_CORRUPT, g.n + 1000,
                        "byte 0x1f after 1000 zero bytes of padding following gzip member 1");
        dec_free(&d), bytes_free(&pad);

        /* 1f alone or 1f 8b after a member: a next member that was cut */
        for (size_t k = 1; k <= 2; k++) {
            bytes cut = { 0 };
            bytes_cat(&cut, &g);
            bytes_add(&cut, "\x1f\x8b", k);
            d = expect_fail(ENG_COMP_GZIP, k_impls[i], &cut, AS_ERR_TRUNCATED, cut.n, "member 2");
            dec_free(&d), bytes_free(&cut);
        }
        /* 1f then something else: not a member */
        bytes other = { 0 };
        bytes_cat(&other, &g);
        bytes_add(&other, "\x1f\x00\x00", 3);
        d = expect_fail(ENG_COMP_GZIP, k_impls[i], &other, AS_ERR_CORRUPT, g.n + 1, "gzip member 2: bad magic");
        dec_free(&d), bytes_free(&other);
    }
    bytes_free(&t), bytes_free(&g);
}

static void test_eng_codec_zstd_corrupt(void **state)
{
    (void)state;
    bytes t = make_text(30000, 23);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    assert_non_null(cc);
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
    bytes z = { 0 };
    z.cap = ZSTD_compressBound(t.n);
    z.p = as_malloc(z.cap);
    assert_non_null(z.p);
    z.n = ZSTD_compress2(cc, z.p, z.cap, t.p, t.n);
    assert_false(ZSTD_isError(z.n));

    /* a reserved bit in the frame header descriptor */
    bytes bad = { 0 };
    bytes_cat(&bad, &z);
    bad.p[4] |= 0x08;
    dec d = expect_fail(ENG_COMP_ZSTD, ENG_GZ_AUTO, &bad, AS_ERR_CORRUPT, 0, "zstd frame 1 (from byte 0): ");
    dec_free(&d), bytes_free(&bad);

    /* a flipped byte in the compressed data or the checksum */
    static const size_t flips[] = { 20, 1000 };
    for (size_t k = 0; k <= AS_ARRAY_LEN(flips); k++) {
        bytes_cat(&bad, &z);
        size_t at = k < AS_ARRAY_LEN(flips) ? flips[k] : z.n - 2;
        bad.p[at] ^= 0x20;
        d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, bad.p, bad.n, 0, 4096);
        assert_int_equal(d.code, AS_ERR_CORRUPT);
        assert_non_null(strstr(d.err.msg, "zstd frame 1"));
        assert_true(d.err.loc.offset >= AS_MIN(at, 5) && d.err.loc.offset <= bad.n);
        dec_free(&d), bytes_free(&bad);
    }

    /* garbage after a frame, and a cut magic after a frame */
    bytes_cat(&bad, &z);
    bytes_add(&bad, "\0\0\0\0\0\0\0\0", 8);
    d = expect_fail(ENG_COMP_ZSTD, ENG_GZ_AUTO, &bad, AS_ERR_CORRUPT, z.n, "trailing garbage after zstd frame 1");
    assert_int_equal(d.out.n, t.n);
    dec_free(&d), bytes_free(&bad);
    bytes_cat(&bad, &z);
    bytes_add(&bad, "\x28\xb5", 2);
    d = expect_fail(ENG_COMP_ZSTD, ENG_GZ_AUTO, &bad, AS_ERR_TRUNCATED, bad.n, "frame 2");
    dec_free(&d), bytes_free(&bad);

    /* a window above 2^27 (zstd --long=28, no content size) is refused */
    assert_false(ZSTD_isError(ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters)));
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 28)));
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0)));
    bytes big = { 0 };
    big.cap = ZSTD_compressBound(t.n) + 64;
    big.p = as_malloc(big.cap);
    assert_non_null(big.p);
    /* two calls, so the size is unknown when the header is written (one
     * ZSTD_e_end call would shrink the window to the input) */
    ZSTD_inBuffer zi = { t.p, t.n / 2, 0 };
    ZSTD_outBuffer zo = { big.p, big.cap, 0 };
    assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &zo, &zi, ZSTD_e_continue)));
    assert_int_equal(zi.pos, zi.size);
    zi.size = t.n;
    assert_int_equal(ZSTD_compressStream2(cc, &zo, &zi, ZSTD_e_end), 0);
    big.n = zo.pos;
    d = expect_fail(ENG_COMP_ZSTD, ENG_GZ_AUTO, &big, AS_ERR_CORRUPT, 0, "window above 2^27");
    dec_free(&d), bytes_free(&big);

    ZSTD_freeCCtx(cc);
    bytes_free(&t), bytes_free(&z);
}

/* A deflate bit writer for hand-made streams: fields LSB first, Huffman
 * codes MSB first (RFC 1951 3.1.1). */
typedef struct bitw {
    bytes    b;
    uint32_t acc;
    int      n;
} bitw;

static void bitw_put(bitw *w, uint32_t v, int n)
{
    for (int i = 0; i < n; i++) {
        w->acc |= ((v >> i) & 1u) << w->n;
        if (++w->n == 8) {
            uint8_t c = (uint8_t)w->acc;
            bytes_add(&w->b, &c, 1);
            w->acc = 0;
            w->n = 0;
        }
    }
}

static void bitw_huff(bitw *w, uint32_t code, int len)
{
    for (int i = len - 1; i >= 0; i--)
        bitw_put(w, (code >> i) & 1u, 1);
}

/* A gzip member whose fixed-Huffman block holds n_lits literals, then a
 * 13-byte match 125 bytes back (further than the output so far when n_lits
 * < 125: zlib stops there with "invalid distance too far back"), then 300
 * more literals. */
static bytes gz_bad_distance(size_t n_lits)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    bitw w = { 0 };
    bytes_add(&w.b, hdr, sizeof hdr);
    bitw_put(&w, 1, 1);                              /* BFINAL */
    bitw_put(&w, 1, 2);                              /* BTYPE 01: fixed codes */
    for (size_t i = 0; i < n_lits; i++)
        bitw_huff(&w, 0x30 + 'a' + (uint32_t)(i % 26), 8);  /* literals 0..143: 8 bits from 0x30 */
    bitw_huff(&w, 266 - 256, 7);                     /* length 13..14 */
    bitw_put(&w, 0, 1);                              /*   +0: 13 */
    bitw_huff(&w, 13, 5);                            /* distance 97..128 */
    bitw_put(&w, 125 - 97, 5);                       /*   125 */
    for (size_t i = 0; i < 300; i++)                 /* enough input after it for ISA-L's */
        bitw_huff(&w, 0x30 + 'z', 8);                /*   fast loop, which has the flaw */
    bitw_huff(&w, 0, 7);                             /* end of block */
    bitw_put(&w, 0, 7);                              /* flush */
    static const uint8_t trailer[8] = { 0 };
    bytes_add(&w.b, trailer, sizeof trailer);
    return w.b;
}

/* ISA-L's fast loop counts a bad match's bytes as output before it reports
 * the bad distance; eng_codec withholds them, so ISA-L's output before the
 * fault is never more than zlib's and never other bytes. */
static void test_eng_codec_gzip_bad_distance_no_stale_bytes(void **state)
{
    (void)state;
    static const size_t lits[] = { 2, 100 };
    static const size_t outs[] = { 1, 5, 16, 17, 64, 4096, 1 << 20 };
    for (size_t l = 0; l < AS_ARRAY_LEN(lits); l++) {
        bytes g = gz_bad_distance(lits[l]);
        dec z = decode(ENG_COMP_GZIP, ENG_GZ_ZLIB, g.p, g.n, 0, 4096);
        assert_int_equal(z.code, AS_ERR_CORRUPT);
        assert_non_null(strstr(z.err.msg, "too far back"));
        assert_int_equal(z.out.n, lits[l]);
        for (size_t o = 0; o < AS_ARRAY_LEN(outs); o++) {
            for (size_t chunk = 0; chunk <= 7; chunk += 7) {
                dec d = decode(ENG_COMP_GZIP, ENG_GZ_ISAL, g.p, g.n, chunk, outs[o]);
                assert_int_equal(d.code, AS_ERR_CORRUPT);
                assert_non_null(strstr(d.err.msg, "gzip member 1: invalid deflate data"));
                assert_true(d.out.n <= z.out.n);
                if (d.out.n)
                    assert_memory_equal(d.out.p, z.out.p, d.out.n);
                dec_free(&d);
            }
        }
        dec_free(&z);
        bytes_free(&g);
    }
}

/* A frame that declares 205 bytes of content, holds one empty last block and
 * the checksum of nothing: libzstd 1.5.4 accepts it when fed in pieces and
 * rejects it when given whole; eng_codec rejects it either way. */
static void test_eng_codec_zstd_content_size_mismatch_any_chunking(void **state)
{
    (void)state;
    static const uint8_t frame[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x24, 0xcd, 0x01, 0x00, 0x00, 0x99, 0xe9, 0xd8, 0x51 };
    bytes z = { 0 };
    bytes_add(&z, frame, sizeof frame);
    static const size_t chunks[] = { 1, 2, 5, 7, 0 };
    static const size_t outs[] = { 1, 5, 1 << 20 };
    for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++) {
        for (size_t o = 0; o < AS_ARRAY_LEN(outs); o++) {
            dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, chunks[c], outs[o]);
            assert_int_equal(d.code, AS_ERR_CORRUPT);
            assert_int_equal(d.out.n, 0);
            dec_free(&d);
        }
    }
    dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, 0, 1 << 20);
    assert_non_null(strstr(d.err.msg, "zstd frame 1 (from byte 0): content size mismatch (header says 205, decoded 0)"));
    assert_int_equal(d.err.loc.offset, z.n);
    dec_free(&d);
    bytes_free(&z);
}

/* A frame whose only block is a compressed block of size 0 (declared size 0,
 * checksum of nothing): libzstd's streaming path takes it as empty, its
 * single-pass path as corrupt; eng_codec always streams, so it is an empty
 * frame at any chunking. */
static void test_eng_codec_zstd_empty_compressed_block_any_chunking(void **state)
{
    (void)state;
    static const uint8_t frame[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00, 0x05, 0x00, 0x00, 0x99, 0xe9, 0xd8, 0x51 };
    bytes z = { 0 }, empty = { 0 };
    bytes_add(&z, frame, sizeof frame);
    static const size_t chunks[] = { 1, 2, 5, 7, 0 };
    for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++)
        expect_ok(ENG_COMP_ZSTD, ENG_GZ_AUTO, &z, &empty, chunks[c], 1 << 20);
    bytes_free(&z);
}

/* Legacy zstd 0.x frames (here the 0.6 magic 26 b5 2f fd, which Debian's
 * libzstd would decode) are refused the same way at any chunking, as is any
 * other bad magic, first or after a frame. */
static void test_eng_codec_zstd_bad_magic_any_chunking(void **state)
{
    (void)state;
    bytes t = make_text(300, 29);
    bytes good = zs_frame(t.p, t.n, 3);
    static const uint8_t legacy[] = { 0x26, 0xb5, 0x2f, 0xfd, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 };
    static const uint8_t skipish[] = { 0x5a, 0x2a, 0x4d, 0x19, 0, 0, 0, 0 };
    struct { const uint8_t *p; size_t n; int after_frame; } cases[] = {
        { legacy, sizeof legacy, 0 }, { legacy, sizeof legacy, 1 }, { skipish, sizeof skipish, 0 },
        { skipish, sizeof skipish, 1 },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(cases); k++) {
        bytes z = { 0 };
        if (cases[k].after_frame)
            bytes_cat(&z, &good);
        size_t at = z.n;
        bytes_add(&z, cases[k].p, cases[k].n);
        const char *what = cases[k].after_frame ? "trailing garbage after zstd frame 1" : "zstd frame 1: bad magic";
        static const size_t chunks[] = { 1, 2, 3, 0 };
        for (size_t c = 0; c < AS_ARRAY_LEN(chunks); c++) {
            dec d = decode(ENG_COMP_ZSTD, ENG_GZ_AUTO, z.p, z.n, chunks[c], 7);
            assert_int_equal(d.code, AS_ERR_CORRUPT);
            assert_int_equal(d.err.loc.offset, at);
            assert_non_null(strstr(d.err.msg, what));
            assert_int_equal(d.out.n, cases[k].after_frame ? t.n : 0);
            dec_free(&d);
        }
        bytes_free(&z);
    }
    bytes_free(&t), bytes_free(&good);
}

/* A dead codec repeats its error; end repeats it too. */
static void test_eng_codec_dead_codec_repeats_error(void **state)
{
    (void)state;
    bytes t = make_text(100, 24);
    bytes g = gz_member(t.p, t.n, 6);
    g.p[g.n - 8] ^= 1;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_impls); i++) {
        eng_codec *c = eng_codec_new(ENG_COMP_GZIP, k_impls[i]);
        assert_non_null(c);
        uint8_t out[4096];
        eng_inbuf in = { g.p, g.n, 0 };
        eng_outbuf ob = { out, sizeof out, 0 };
        as_err e1, e2, e3;
        as_err_clear(&e1), as_err_clear(&e2), as_err_clear(&e3);
        assert_int_equal(eng_codec_run(c, &in, &ob, 0, &e1), AS_ERR_CORRUPT);
        in.pos = 0;
        assert_int_equal(eng_codec_run(c, &in, &ob, 0, &e2), AS_ERR_CORRUPT);
        int more = 7;
        assert_int_equal(eng_codec_end(c, &ob, g.n, &more, &e3), AS_ERR_CORRUPT);
        assert_int_equal(more, 0);
        assert_string_equal(e1.msg, e2.msg);
        assert_string_equal(e1.msg, e3.msg);
        assert_int_equal(e1.loc.offset, e3.loc.offset);
        assert_int_equal(e1.loc.offset, g.n - 8);
        eng_codec_free(c);
    }
    bytes_free(&t), bytes_free(&g);
}

/* end() drains what a codec still holds in small windows, saying *more = 1
 * while it has more, also with no room at all; the verdict comes after the
 * output. ISA-L decodes ahead into its own buffer, so a member whose trailer
 * is missing still yields all its data before AS_ERR_TRUNCATED. */
static void test_eng_codec_end_drains_in_small_steps(void **state)
{
    (void)state;
    bytes t = make_text(1000, 25);
    bytes g = gz_member(t.p, t.n, 6), z = zs_frame(t.p, t.n, 3);
    struct { eng_comp comp; eng_gz_impl impl; const bytes *src; size_t n; as_code want; } cases[] = {
        { ENG_COMP_GZIP, ENG_GZ_ISAL, &g, g.n, AS_OK },
        { ENG_COMP_GZIP, ENG_GZ_ZLIB, &g, g.n, AS_OK },
        { ENG_COMP_ZSTD, ENG_GZ_AUTO, &z, z.n, AS_OK },
        { ENG_COMP_GZIP, ENG_GZ_ISAL, &g, g.n - 8, AS_ERR_TRUNCATED },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(cases); k++) {
        eng_codec *c = eng_codec_new(cases[k].comp, cases[k].impl);
        assert_non_null(c);
        uint8_t out[2000];
        size_t have = 0;
        as_err e;
        as_err_clear(&e);
        eng_inbuf in = { cases[k].src->p, cases[k].n, 0 };
        while (in.pos < in.size) {
            eng_outbuf ob = { out + have, 10, 0 };
            assert_int_equal(eng_codec_run(c, &in, &ob, 0, &e), AS_OK);
            have += ob.pos;
        }
        int more = 0, saw_more = 0;
        eng_outbuf none = { out + have, 0, 0 };
        as_code rc = eng_codec_end(c, &none, in.size, &more, &e);
        assert_int_equal(none.pos, 0);
        while (rc == AS_OK && more) {
            saw_more = 1;
            eng_outbuf ob = { out + have, 7, 0 };
            rc = eng_codec_end(c, &ob, in.size, &more, &e);
            have += ob.pos;
        }
        assert_int_equal(rc, cases[k].want);
        assert_int_equal(have, t.n);
        assert_memory_equal(out, t.p, t.n);
        if (cases[k].want == AS_ERR_TRUNCATED) {
            assert_true(saw_more);  /* the 990 bytes ISA-L held came first */
            assert_int_equal(e.loc.offset, in.size);
        }
        eng_codec_free(c);
    }
    bytes_free(&t), bytes_free(&g), bytes_free(&z);
}

/* ---- guard pages: ISA-L and zstd are assembly and C that ASan does not
 * instrument, so put each input chunk and every output block right before
 * a PROT_NONE page (tests/unit/guard.h): a read or write past the end faults.
 */

static void test_eng_codec_guard_pages_no_overrun(void **state)
{
    (void)state;
    bytes t = make_text(200000, 27), n = make_noise(70000, 28), want = { 0 }, gz = { 0 }, zs = { 0 };
    bytes g1 = gz_member(t.p, t.n, 6), g2 = gz_member(n.p, n.n, 0), z1 = zs_frame(t.p, t.n, 3),
          z2 = zs_frame(n.p, n.n, 1);
    bytes_cat(&gz, &g1), bytes_cat(&gz, &g2), bytes_cat(&zs, &z1), bytes_cat(&zs, &z2);
    bytes_cat(&want, &t), bytes_cat(&want, &n);
    static const size_t outs[] = { 1, 3, 8, 63, 4093, 65536, 300000 };
    struct { eng_comp comp; eng_gz_impl impl; const bytes *src; } cases[] = {
        { ENG_COMP_GZIP, ENG_GZ_ISAL, &gz }, { ENG_COMP_GZIP, ENG_GZ_ZLIB, &gz }, { ENG_COMP_ZSTD, ENG_GZ_AUTO, &zs },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(cases); k++) {
        const bytes *src = cases[k].src;
        for (size_t o = 0; o < AS_ARRAY_LEN(outs); o++) {
            /* the input in chunks of 4099, each copied to the end of a page */
            eng_codec *c = eng_codec_new(cases[k].comp, cases[k].impl);
            assert_non_null(c);
            guard ob, ib;
            assert_int_equal(guard_init(&ob, outs[o]), 0);
            assert_int_equal(guard_init(&ib, 4099), 0);
            uint8_t *op = ob.base + ob.data - outs[o];  /* writable, ends at the guard */
            bytes got = { 0 };
            as_err e;
            as_err_clear(&e);
            as_code rc = AS_OK;
            for (size_t off = 0; rc == AS_OK && off < src->n; off += 4099) {
                size_t len = AS_MIN((size_t)4099, src->n - off);
                const uint8_t *ip = (const uint8_t *)guard_put(&ib, src->p + off, len);
                assert_non_null(ip);
                eng_inbuf in = { ip, len, 0 };
                while (rc == AS_OK && in.pos < in.size) {
                    eng_outbuf out = { op, outs[o], 0 };
                    rc = eng_codec_run(c, &in, &out, off, &e);
                    bytes_add(&got, op, out.pos);
                }
            }
            int more = 1;
            while (rc == AS_OK && more) {
                eng_outbuf out = { op, outs[o], 0 };
                rc = eng_codec_end(c, &out, src->n, &more, &e);
                bytes_add(&got, op, out.pos);
            }
            assert_int_equal(rc, AS_OK);
            assert_int_equal(got.n, want.n);
            assert_memory_equal(got.p, want.p, want.n);
            bytes_free(&got);
            guard_fini(&ob), guard_fini(&ib);
            eng_codec_free(c);
        }
    }
    bytes_free(&t), bytes_free(&n), bytes_free(&want), bytes_free(&gz), bytes_free(&zs);
    bytes_free(&g1), bytes_free(&g2), bytes_free(&z1), bytes_free(&z2);
}

/* ---- out of memory ---- */

/* Every allocation failure makes eng_codec_new return NULL or, for the window
 * zlib and zstd allocate on first use, eng_codec_run return AS_ERR_NOMEM;
 * nothing crashes or leaks (ASan), and with enough allocations all is well. */
static void test_eng_codec_oom(void **state)
{
    (void)state;
    bytes t = make_text(5000, 26);
    bytes g = gz_member(t.p, t.n, 6), z = zs_frame(t.p, t.n, 3);
    uint8_t *out = as_malloc(t.n + 16);
    assert_non_null(out);
    struct { eng_comp comp; eng_gz_impl impl; const bytes *src; } cases[] = {
        { ENG_COMP_GZIP, ENG_GZ_ISAL, &g }, { ENG_COMP_GZIP, ENG_GZ_ZLIB, &g }, { ENG_COMP_ZSTD, ENG_GZ_AUTO, &z },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(cases); k++) {
        int n_null = 0, n_nomem = 0, n_ok = 0;
        for (uint64_t n = 1; n <= 40; n++) {
            as_alloc_fail_after(n);
            eng_codec *c = eng_codec_new(cases[k].comp, cases[k].impl);
            if (c == NULL) {
                n_null++;
                continue;
            }
            /* 100-byte output windows: with room for everything at once,
             * zlib and zstd decode without ever allocating their window */
            as_err e;
            as_err_clear(&e);
            eng_inbuf in = { cases[k].src->p, cases[k].src->n, 0 };
            eng_outbuf ob = { out, 0, 0 };
            as_code rc = AS_OK;
            while (rc == AS_OK && in.pos < in.size) {
                ob.size = AS_MIN(ob.pos + 100, t.n + 16);
                rc = eng_codec_run(c, &in, &ob, 0, &e);
            }
            int more = 1;
            while (rc == AS_OK && more) {
                ob.size = AS_MIN(ob.pos + 100, t.n + 16);
                rc = eng_codec_end(c, &ob, in.size, &more, &e);
            }
            if (rc == AS_ERR_NOMEM) {
                n_nomem++;
                assert_int_equal(e.code, AS_ERR_NOMEM);
            } else {
                assert_int_equal(rc, AS_OK);
                assert_int_equal(ob.pos, t.n);
                assert_memory_equal(out, t.p, t.n);
                n_ok++;
            }
            eng_codec_free(c);
        }
        as_alloc_fail_after(0);
        assert_true(n_null >= 2);  /* the codec struct and the back end's state */
        assert_true(n_ok > 0);
        if (cases[k].impl == ENG_GZ_ZLIB || cases[k].comp == ENG_COMP_ZSTD)
            assert_true(n_nomem > 0);  /* the window, allocated on first use */
    }
    as_free(out);
    bytes_free(&t), bytes_free(&g), bytes_free(&z);
}

/* eng_file_head: the first decompressed bytes of plain, gzip and zstd
 * files; a truncated gzip gives what decoded; a missing file gives 0. */
static void test_eng_codec_file_head(void **state)
{
    (void)state;
    bytes text = make_text(100000, 5);
    bytes gz = gz_member(text.p, text.n, 6), zs = zs_frame(text.p, text.n, 3);
    char path[64];
    const bytes *files[] = { &text, &gz, &zs };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/tmp/assay-head-%d-%d", (int)getpid(), i);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        size_t len = i == 1 ? 2000 : files[i]->n;    /* the gzip copy cut short */
        assert_int_equal(fwrite(files[i]->p, 1, len, f), len);
        fclose(f);
        char got[300];
        size_t n = eng_file_head(path, got, sizeof got);
        if (n != sizeof got)
            fail_msg("file %d (%zu bytes of %zu): %zu bytes of head", i, len, files[i]->n, n);
        assert_memory_equal(got, text.p, n);
        assert_int_equal(eng_file_head(path, got, 5), 5);
        remove(path);
    }
    char got[8];
    assert_int_equal(eng_file_head("/nonexistent/assay-head", got, sizeof got), 0);
    bytes_free(&text);
    bytes_free(&gz);
    bytes_free(&zs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eng_codec_sniff_magics),
        cmocka_unit_test(test_eng_codec_sniff_short_and_near_misses),
        cmocka_unit_test(test_eng_codec_names),
        cmocka_unit_test(test_eng_codec_gzip_single_member),
        cmocka_unit_test(test_eng_codec_gzip_multi_member),
        cmocka_unit_test(test_eng_codec_gzip_empty_member),
        cmocka_unit_test(test_eng_codec_gzip_pigz_like_members),
        cmocka_unit_test(test_eng_codec_gzip_header_fields_any_split),
        cmocka_unit_test(test_eng_codec_gzip_isal_zlib_identical),
        cmocka_unit_test(test_eng_codec_zstd_single_frame),
        cmocka_unit_test(test_eng_codec_zstd_multi_frame),
        cmocka_unit_test(test_eng_codec_zstd_skippable_first_middle_last),
        cmocka_unit_test(test_eng_codec_every_out_size_and_chunking),
        cmocka_unit_test(test_eng_codec_large_blocks_and_odd_chunks),
        cmocka_unit_test(test_eng_codec_gzip_truncated_every_cut),
        cmocka_unit_test(test_eng_codec_zstd_truncated_every_cut),
        cmocka_unit_test(test_eng_codec_gzip_corrupt_deflate_data),
        cmocka_unit_test(test_eng_codec_gzip_corrupt_crc_and_isize),
        cmocka_unit_test(test_eng_codec_gzip_corrupt_header),
        cmocka_unit_test(test_eng_codec_gzip_trailing_bytes),
        cmocka_unit_test(test_eng_codec_zstd_corrupt),
        cmocka_unit_test(test_eng_codec_gzip_bad_distance_no_stale_bytes),
        cmocka_unit_test(test_eng_codec_zstd_content_size_mismatch_any_chunking),
        cmocka_unit_test(test_eng_codec_zstd_empty_compressed_block_any_chunking),
        cmocka_unit_test(test_eng_codec_zstd_bad_magic_any_chunking),
        cmocka_unit_test(test_eng_codec_dead_codec_repeats_error),
        cmocka_unit_test(test_eng_codec_end_drains_in_small_steps),
        cmocka_unit_test(test_eng_codec_guard_pages_no_overrun),
        cmocka_unit_test(test_eng_codec_oom),
        cmocka_unit_test(test_eng_codec_file_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
