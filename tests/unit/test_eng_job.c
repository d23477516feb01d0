/* test_eng_job.c: unit tests for the engine pipeline (engine/eng_job.c,
 * eng_read.c): block cutting at every boundary offset, over-long records
 * spanning blocks, ordered merge with absolute line numbers, accounting,
 * SHA-256, faults. Runs threaded (-j1 and -j4): part of `make tsan`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "engine/eng.h"

/* ---- a sink that collects every record with its absolute location ---- */
typedef struct ent {
    uint64_t line, offset, len;
    as_code  code;
} ent;

typedef struct blk_res {
    ent   *v;
    size_t n;
} blk_res;

typedef struct wstate {
    as_buf ents;   /* ent[] of the current block */
} wstate;

typedef struct acc {
    as_buf   ents;     /* ent[] with absolute lines */
    int      ended;
    uint64_t last_offset;
    int      order_ok;
} acc;

typedef struct sinkctx {
    acc         accs[8];
    eng_framing framing;     /* what input_head answers */
    size_t      head_len[8]; /* what input_head saw */
    int         head_calls;
} sinkctx;

static eng_framing in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    (void)accp;
    sinkctx *c = ctx;
    c->head_len[input] = head.len;
    c->head_calls++;
    return c->framing;
}

/* The test's document splitter: records are the lines of the document, handed
 * over in batches of 3 through eng_emit (rejected: a line starting with '!'). */
static void split_doc(void *ws, const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    (void)ws;
    eng_item items[3];
    size_t n = 0;
    const char *p = doc.ptr, *end = doc.ptr + doc.len;
    uint64_t line = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (stop > p) {
            items[n].rec = (as_rec){ .input = bc->input, .n_lines = 1,
                                     .offset = bc->offset + (uint64_t)(p - doc.ptr), .line = line,
                                     .raw = { p, (size_t)(stop - p) } };
            items[n].code = *p == '!' ? AS_ERR_SYNTAX : AS_OK;
            if (++n == 3) {
                eng_emit(em, items, n);
                n = 0;
            }
        }
        line++;
        p = nl ? nl + 1 : end;
    }
    eng_emit(em, items, n);
}

static void *w_init(void *ctx, unsigned id)
{
    (void)ctx;
    (void)id;
    wstate *w = calloc(1, sizeof *w);
    return w;
}

static void w_fini(void *ctx, void *ws)
{
    (void)ctx;
    wstate *w = ws;
    as_buf_fini(&w->ents);
    free(w);
}

static void *in_begin(void *ctx, uint32_t input)
{
    sinkctx *c = ctx;
    c->accs[input].order_ok = 1;
    return &c->accs[input];
}

static void on_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    (void)bc;
    wstate *w = ws;
    for (size_t i = 0; i < n; i++) {
        ent e = { items[i].rec.line, items[i].rec.offset, items[i].rec.raw.len, items[i].code };
        assert_int_equal(as_buf_append(&w->ents, &e, sizeof e), 0);
    }
}

static void *block_end(void *ws, const eng_blockctx *bc)
{
    wstate *w = ws;
    blk_res *r = as_arena_alloc(bc->arena, sizeof *r, 8);
    assert_non_null(r);
    r->n = w->ents.len / sizeof(ent);
    r->v = r->n ? as_arena_alloc(bc->arena, w->ents.len, 8) : NULL;
    if (r->n)
        memcpy(r->v, w->ents.data, w->ents.len);
    as_buf_clear(&w->ents);
    return r;
}

static void merge(void *ctx, void *accp, void *res, uint64_t line_base)
{
    (void)ctx;
    acc *a = accp;
    blk_res *r = res;
    for (size_t i = 0; i < r->n; i++) {
        ent e = r->v[i];
        e.line += line_base;
        if (a->ents.len && e.offset <= a->last_offset)
            a->order_ok = 0;
        a->last_offset = e.offset;
        assert_int_equal(as_buf_append(&a->ents, &e, sizeof e), 0);
    }
}

static void in_end(void *ctx, void *accp, uint32_t input, const eng_stat *st)
{
    (void)ctx;
    (void)input;
    (void)st;
    acc *a = accp;
    a->ended++;
}

/* ---- the reference model: what the engine must find ---- */
typedef struct ref {
    ent      v[4096];
    size_t   n;
    uint64_t lines, blank;
} ref;

static int has_nul(const char *p, size_t n) { return memchr(p, 0, n) != NULL; }

/* The reference: a byte-at-a-time splitter (quoted: a line feed inside
 * double quotes does not end a record). */
static void ref_split_framed(const char *d, size_t len, size_t max_record, int partial, int quoted,
                             ref *r)
{
    r->n = 0;
    r->lines = 0;
    r->blank = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        unsigned inq = 0, spanned = 1;
        while (e < len && (d[e] != '\n' || (quoted && inq))) {
            if (quoted && d[e] == '"')
                inq ^= 1;
            if (d[e] == '\n')
                spanned++;
            e++;
        }
        const char *nl = e < len ? d + e : NULL;
        if (nl == NULL && spanned > 1 && d[len - 1] == '\n')
            spanned--;                      /* an open quote ran to a final line feed */
        size_t l = e - i;
        if (l && d[i + l - 1] == '\r')
            l--;
        uint64_t first = r->lines + 1;
        r->lines += spanned;
        if (l == 0) {
            r->blank++;
        } else {
            as_code c = AS_OK;
            if (l > max_record)
                c = AS_ERR_TOO_LONG;
            else if (!nl && partial)
                c = AS_ERR_PARTIAL;
            else if (has_nul(d + i, l))
                c = AS_ERR_NUL_BYTE;
            else if (as_utf8_check(d + i, l) != l)
                c = AS_ERR_INVALID_UTF8;
            r->v[r->n++] = (ent){ first, i, c == AS_ERR_TOO_LONG ? 0 : l, c };
        }
        i = nl ? e + 1 : len;
    }
}

static void ref_split(const char *d, size_t len, size_t max_record, int partial, ref *r)
{
    ref_split_framed(d, len, max_record, partial, 0, r);
}

/* ---- helpers ---- */
static char *write_tmp(const void *data, size_t len)
{
    char *path = strdup("/tmp/assay-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

/* Deterministic messy input: short lines, blanks, CRLF, NULs, bad UTF-8,
 * over-long lines and one line longer than any block. */
static size_t make_input(char *out, size_t cap, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t n = 0;
    while (n + 400 < cap) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        unsigned kind = (unsigned)(x % 20), len = (unsigned)((x >> 8) % 30);
        if (kind == 0) {
            out[n++] = '\n';                          /* blank */
            continue;
        }
        if (kind == 1)
            len = 45 + (unsigned)((x >> 16) % 10);   /* over-long for small max_record */
        if (kind == 2)
            len = 200 + (unsigned)((x >> 16) % 100); /* longer than a block */
        for (unsigned k = 0; k < len; k++)
            out[n++] = (char)('a' + (x >> (k % 40)) % 26);
        if (kind == 3 && len > 2)
            out[n - 2] = '\0';
        if (kind == 4 && len > 2)
            out[n - 1] = (char)0xff;
        if (kind == 5 && len > 3) {
            out[n - 2] = (char)0xc3;
            out[n - 1] = (char)0xa9;                 /* valid é */
        }
        if (kind == 6)
            out[n++] = '\r';
        out[n++] = '\n';
    }
    memcpy(out + n, "tail-without-newline", 20);
    return n + 20;
}

/* stored/stored_len: the file's bytes as stored (compressed or not). */
static void run_and_compare_framed(const char *path, const char *data, size_t len, const void *stored,
                                   size_t stored_len, size_t max_record, size_t block_size,
                                   unsigned workers, eng_framing framing)
{
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    assert_int_equal(eng_inputs_add_arg(&in, path, &err), AS_OK);
    sinkctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.framing = framing;
    eng_sink sink = { .ctx = &ctx, .worker_init = w_init, .worker_fini = w_fini,
                      .input_begin = in_begin, .on_batch = on_batch, .block_end = block_end,
                      .merge = merge, .input_end = in_end, .input_head = in_head };
    eng_opts o = { .workers = workers, .max_record = max_record, .block_size = block_size };
    eng_job *job = eng_job_new(&in, &o, &sink);
    assert_non_null(job);
    assert_int_equal(eng_job_run(job, NULL, NULL, &err), AS_OK);
    assert_int_equal(ctx.head_calls, 1);
    size_t cap = AS_MAX(block_size ? block_size : ENG_BLOCK_SIZE, 2 * max_record + 2);
    assert_int_equal(ctx.head_len[0], AS_MIN(len, AS_MIN((size_t)ENG_SNIFF_BYTES, cap)));

    static ref r;
    ref_split_framed(data, len, max_record, 0, framing == ENG_FRAME_QUOTED, &r);
    const eng_stat *st = eng_job_stat(job, 0);
    acc *a = &ctx.accs[0];
    size_t n = a->ents.len / sizeof(ent);
    const ent *got = (const ent *)(const void *)a->ents.data;
    assert_int_equal(a->ended, 1);
    assert_true(a->order_ok);
    assert_int_equal(n, r.n);
    for (size_t i = 0; i < n; i++) {
        if (got[i].line != r.v[i].line || got[i].offset != r.v[i].offset || got[i].code != r.v[i].code ||
            (got[i].code != AS_ERR_TOO_LONG && got[i].len != r.v[i].len))
            fail_msg("record %zu (max_record %zu, block %zu, -j%u): got line %llu off %llu len %llu %s, "
                     "want line %llu off %llu len %llu %s",
                     i, max_record, block_size, workers, (unsigned long long)got[i].line,
                     (unsigned long long)got[i].offset, (unsigned long long)got[i].len,
                     as_err_name(got[i].code), (unsigned long long)r.v[i].line,
                     (unsigned long long)r.v[i].offset, (unsigned long long)r.v[i].len,
                     as_err_name(r.v[i].code));
    }
    assert_int_equal(st->lines, r.lines);
    assert_int_equal(st->blank, r.blank);
    assert_int_equal(st->records, r.n);
    assert_int_equal(st->records, st->accepted + st->rejected);
    assert_int_equal(st->bytes_stored, stored_len);
    assert_int_equal(st->bytes_decompressed, len);
    assert_true(st->complete);
    assert_true(st->has_sha256);
    uint8_t sha[AS_SHA256_LEN];
    assert_int_equal(as_sha256_buf(stored, stored_len, sha), 0);
    assert_memory_equal(sha, st->sha256, AS_SHA256_LEN);
    /* reject samples: the first ones in stream order */
    unsigned k = 0;
    for (size_t i = 0; i < r.n && k < st->n_reject_samples; i++)
        if (r.v[i].code != AS_OK) {
            assert_int_equal(st->reject_samples[k].line, r.v[i].line);
            assert_int_equal(st->reject_samples[k].offset, r.v[i].offset);
            assert_int_equal(st->reject_samples[k].reason, r.v[i].code);
            k++;
        }
    as_buf_fini(&a->ents);
    eng_job_free(job);
    eng_inputs_fini(&in);
}

static void run_and_compare_stored(const char *path, const char *data, size_t len, const void *stored,
                                   size_t stored_len, size_t max_record, size_t block_size,
                                   unsigned workers)
{
    run_and_compare_framed(path, data, len, stored, stored_len, max_record, block_size, workers,
                           ENG_FRAME_LINES);
}

static void run_and_compare(const char *path, const char *data, size_t len, size_t max_record,
                            size_t block_size, unsigned workers)
{
    run_and_compare_stored(path, data, len, data, len, max_record, block_size, workers);
}

static void test_eng_job_every_block_boundary(void **state)
{
    (void)state;
    static char data[3000];
    size_t len = make_input(data, sizeof data, 42);
    char *path = write_tmp(data, len);
    for (size_t max_record = 1; max_record <= 48; max_record++) {
        run_and_compare(path, data, len, max_record, 1, 1);
        run_and_compare(path, data, len, max_record, 1, 4);
    }
    run_and_compare(path, data, len, 1 << 20, 0, 2);   /* defaults: one block */
    unlink(path);
    free(path);
}

static void test_eng_job_final_newline_and_empty(void **state)
{
    (void)state;
    const char *cases[] = { "", "\n", "a", "a\n", "a\r\n", "\r\n\r\n", "a\nb" };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        char *path = write_tmp(cases[i], strlen(cases[i]));
        run_and_compare(path, cases[i], strlen(cases[i]), 2, 1, 2);
        run_and_compare(path, cases[i], strlen(cases[i]), 1 << 20, 0, 1);
        unlink(path);
        free(path);
    }
}

static void test_eng_job_unreadable_input_is_reported(void **state)
{
    (void)state;
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    char *good = write_tmp("x\ny\n", 4);
    assert_int_equal(eng_inputs_add_arg(&in, "/nonexistent/assay/file.log", &err), AS_OK);
    assert_int_equal(eng_inputs_add_arg(&in, good, &err), AS_OK);
    eng_opts o = { .workers = 2 };
    eng_job *job = eng_job_new(&in, &o, NULL);
    assert_non_null(job);
    assert_int_equal(eng_job_run(job, NULL, NULL, &err), AS_OK);
    const eng_stat *bad = eng_job_stat(job, 0), *ok = eng_job_stat(job, 1);
    assert_false(bad->complete);
    assert_false(bad->opened);
    assert_int_equal(bad->fault.code, AS_ERR_OPEN);
    assert_int_equal(bad->records, 0);
    assert_true(ok->complete);
    assert_int_equal(ok->records, 2);
    eng_job_free(job);
    eng_inputs_fini(&in);
    unlink(good);
    free(good);
}

/* gzip of data via zlib (gzip wrapper). */
static size_t gzip_buf(const char *data, size_t len, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

static void test_eng_job_gzip_and_truncated_gzip(void **state)
{
    (void)state;
    static char data[3000];
    static unsigned char gz[8000];
    size_t len = make_input(data, sizeof data, 7);
    size_t glen = gzip_buf(data, len, gz, sizeof gz);
    char *path = write_tmp(gz, glen);
    for (size_t max_record = 1; max_record <= 48; max_record += 7)  /* identical to plain */
        run_and_compare_stored(path, data, len, gz, glen, max_record, 1, 2);
    unlink(path);
    free(path);

    /* cut inside the stream: the records before the fault are kept, the file is incomplete */
    const char *lines = "first line\nsecond line\nthird line\n";
    static char big[200000];
    size_t bl = 0;
    while (bl + 40 < sizeof big) {
        memcpy(big + bl, lines, strlen(lines));
        bl += strlen(lines);
    }
    static unsigned char gz2[200000];
    size_t g2 = gzip_buf(big, bl, gz2, sizeof gz2);
    path = write_tmp(gz2, g2 / 2);
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    assert_int_equal(eng_inputs_add_arg(&in, path, &err), AS_OK);
    eng_opts o = { .workers = 2 };
    eng_job *job = eng_job_new(&in, &o, NULL);
    assert_int_equal(eng_job_run(job, NULL, NULL, &err), AS_OK);
    const eng_stat *st = eng_job_stat(job, 0);
    assert_false(st->complete);
    assert_int_equal(st->fault.code, AS_ERR_TRUNCATED);
    assert_int_equal(st->comp, ENG_COMP_GZIP);
    assert_true(st->records > 0);
    assert_true(st->bytes_decompressed < bl);
    assert_int_equal(st->records, st->accepted + st->rejected);
    assert_true(st->has_sha256);         /* the stored bytes were all read */
    assert_int_equal(st->bytes_stored, g2 / 2);
    eng_job_free(job);
    eng_inputs_fini(&in);
    unlink(path);
    free(path);
}

static void test_eng_job_folder_order_is_sorted(void **state)
{
    (void)state;
    char dir[] = "/tmp/assay-dir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *names[] = { "b.log", "a.log", "sub/c.log", ".hidden", "sub/.git/x", "A.log" };
    char p[256];
    snprintf(p, sizeof p, "%s/sub", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/sub/.git", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(names); i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs("x\n", f);
        fclose(f);
    }
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    assert_int_equal(eng_inputs_add_arg(&in, dir, &err), AS_OK);
    assert_int_equal(in.n, 4);
    const char *want[] = { "A.log", "a.log", "b.log", "sub/c.log" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, want[i]);
        assert_string_equal(in.v[i].path, p);
    }
    eng_inputs_fini(&in);
    eng_inputs_init(&in);
    snprintf(p, sizeof p, "%s/*.log", dir);
    assert_int_equal(eng_inputs_add_arg(&in, p, &err), AS_OK);
    assert_int_equal(in.n, 3);
    snprintf(p, sizeof p, "%s/*.nothing", dir);
    assert_int_equal(eng_inputs_add_arg(&in, p, &err), AS_ERR_OPEN);
    eng_inputs_fini(&in);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* CSV-like input: quoted fields holding line feeds, CRLF, doubled quotes, blanks. */
static size_t make_quoted_input(char *out, size_t cap, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t n = 0;
    while (n + 120 < cap) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        unsigned kind = (unsigned)(x % 8), len = (unsigned)((x >> 8) % 12);
        if (kind == 0) {
            out[n++] = '\n';
            continue;
        }
        for (unsigned k = 0; k < len; k++)
            out[n++] = (char)('a' + (x >> (k % 40)) % 26);
        if (kind == 1) { memcpy(out + n, ",\"x\ny\"", 7); n += 7; }          /* LF inside quotes */
        if (kind == 2) { memcpy(out + n, ",\"a\"\"b\r\n\nc\"", 11); n += 11; } /* "" and CRLF, blank inside */
        if (kind == 3) { memcpy(out + n, ",\"\"", 3); n += 3; }               /* empty quoted */
        if (kind == 4)
            out[n++] = '\r';
        out[n++] = '\n';
    }
    memcpy(out + n, "last,\"open", 10);
    return n + 10;
}

static void test_eng_job_quoted_every_block_boundary(void **state)
{
    (void)state;
    static char data[3000];
    size_t len = make_quoted_input(data, sizeof data, 5);
    char *path = write_tmp(data, len);
    for (size_t max_record = 1; max_record <= 40; max_record += 3) {
        run_and_compare_framed(path, data, len, data, len, max_record, 1, 1, ENG_FRAME_QUOTED);
        run_and_compare_framed(path, data, len, data, len, max_record, 1, 4, ENG_FRAME_QUOTED);
    }
    run_and_compare_framed(path, data, len, data, len, 1 << 20, 0, 2, ENG_FRAME_QUOTED);
    unlink(path);
    free(path);
    /* the same ending in a line feed inside the open quote (found by fuzz_split) */
    data[len] = '\n';
    path = write_tmp(data, len + 1);
    for (size_t max_record = 1; max_record <= 40; max_record += 3)
        run_and_compare_framed(path, data, len + 1, data, len + 1, max_record, 1, 2, ENG_FRAME_QUOTED);
    run_and_compare_framed(path, data, len + 1, data, len + 1, 1 << 20, 0, 1, ENG_FRAME_QUOTED);
    unlink(path);
    free(path);
}

static uint64_t count_lines(const char *d, size_t len)
{
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += d[i] == '\n';
    return n + (len > 0 && d[len - 1] != '\n');
}

static void run_document(const char *data, size_t len, size_t max_document, unsigned workers,
                         ref *want, int too_long)
{
    char *path = write_tmp(data, len);
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    assert_int_equal(eng_inputs_add_arg(&in, path, &err), AS_OK);
    static sinkctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.framing = ENG_FRAME_DOCUMENT;
    eng_sink sink = { .ctx = &ctx, .worker_init = w_init, .worker_fini = w_fini,
                      .input_begin = in_begin, .on_batch = on_batch, .block_end = block_end,
                      .merge = merge, .input_end = in_end, .input_head = in_head,
                      .split_document = split_doc };
    eng_opts o = { .workers = workers, .max_document = max_document };
    eng_job *job = eng_job_new(&in, &o, &sink);
    assert_non_null(job);
    assert_int_equal(eng_job_run(job, NULL, NULL, &err), AS_OK);
    const eng_stat *st = eng_job_stat(job, 0);
    acc *a = &ctx.accs[0];
    size_t n = a->ents.len / sizeof(ent);
    const ent *got = (const ent *)(const void *)a->ents.data;
    assert_true(st->complete);
    assert_int_equal(st->bytes_decompressed, len);
    assert_int_equal(st->records, st->accepted + st->rejected);
    if (too_long) {
        assert_int_equal(n, 1);
        assert_int_equal(got[0].code, AS_ERR_TOO_LONG);
        assert_int_equal(st->rejected_by[AS_ERR_TOO_LONG], 1);
        assert_int_equal(st->records, 1);
    } else {
        assert_int_equal(n, want->n);
        uint64_t rej = 0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(got[i].line, want->v[i].line);
            assert_int_equal(got[i].offset, want->v[i].offset);
            rej += got[i].code != AS_OK;
        }
        assert_int_equal(st->rejected, rej);
        assert_int_equal(st->rejected_by[AS_ERR_SYNTAX], rej);
    }
    assert_int_equal(st->lines, count_lines(data, len));
    as_buf_fini(&a->ents);
    eng_job_free(job);
    eng_inputs_fini(&in);
    unlink(path);
    free(path);
}

static void test_eng_job_document_framing(void **state)
{
    (void)state;
    /* larger than one read chunk and than the sniffed head, so the reader grows its buffer */
    size_t len = 3u << 20;
    char *data = malloc(len);
    assert_non_null(data);
    size_t n = 0;
    unsigned i = 0;
    while (n + 1100 < len) {                       /* ~3,000 records of ~1 KB (ref holds 4,096) */
        n += (size_t)snprintf(data + n, 1100, "%srecord %u %01000u\n\n", i % 7 == 3 ? "!" : "", i, i);
        i++;
    }
    len = n;
    static ref r;
    ref_split(data, len, len, 0, &r);
    run_document(data, len, 0, 1, &r, 0);
    run_document(data, len, 0, 3, &r, 0);
    run_document(data, len, len - 1, 2, &r, 1);     /* one byte over --max-document */
    run_document(data, len, len, 2, &r, 0);         /* exactly at the limit */
    static ref empty;
    run_document("", 0, 0, 1, &empty, 0);           /* empty: no record */
    run_document("\n\n", 2, 0, 1, &empty, 0);      /* only line feeds: no record */
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eng_job_every_block_boundary),
        cmocka_unit_test(test_eng_job_final_newline_and_empty),
        cmocka_unit_test(test_eng_job_unreadable_input_is_reported),
        cmocka_unit_test(test_eng_job_gzip_and_truncated_gzip),
        cmocka_unit_test(test_eng_job_folder_order_is_sorted),
        cmocka_unit_test(test_eng_job_quoted_every_block_boundary),
        cmocka_unit_test(test_eng_job_document_framing),
    };
    return cmocka_run_group_tests_name("eng_job (threaded)", tests, NULL, NULL);
}
