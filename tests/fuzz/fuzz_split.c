/* fuzz_split.c: libFuzzer target for the record splitter and the block
 * pipeline. The first byte picks --max-record (low 6 bits) and the framing
 * (bit 6: lines or quoted CSV records); the rest is the input. It checks the invariants every consumer relies on: records lie
 * inside the input, offsets increase, lines add up, read = accepted +
 * rejected, and the same input split as one block or as many tiny blocks
 * gives the same records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/eng.h"
#include "engine/eng_split.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_acc {
    uint64_t n, sum_off, sum_line, rejected;
    eng_framing framing;  /* what input_head answers */
} fz_acc;

static eng_framing in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    (void)accp;
    (void)input;
    (void)head;
    return ((fz_acc *)ctx)->framing;
}

typedef struct fz_res {
    uint64_t n, sum_off, sum_rel_line, rejected;
} fz_res;

static void *w_init(void *ctx, unsigned id)
{
    (void)ctx;
    (void)id;
    return calloc(1, sizeof(fz_res));
}

static void w_fini(void *ctx, void *w)
{
    (void)ctx;
    free(w);
}

static void *in_begin(void *ctx, uint32_t input)
{
    return &((fz_acc *)ctx)[input];
}

static void on_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    (void)bc;
    fz_res *r = ws;
    for (size_t i = 0; i < n; i++) {
        r->n++;
        r->sum_off += items[i].rec.offset;
        r->sum_rel_line += items[i].rec.line;
        r->rejected += items[i].code != AS_OK;
    }
}

static void *block_end(void *ws, const eng_blockctx *bc)
{
    fz_res *r = ws, *out = as_arena_alloc(bc->arena, sizeof *out, 8);
    if (out == NULL)
        abort();
    *out = *r;
    memset(r, 0, sizeof *r);
    return out;
}

static void merge(void *ctx, void *accp, void *res, uint64_t line_base)
{
    (void)ctx;
    fz_acc *a = accp;
    fz_res *r = res;
    a->n += r->n;
    a->sum_off += r->sum_off;
    a->sum_line += r->sum_rel_line + r->n * line_base;
    a->rejected += r->rejected;
}

static void run(const char *path, size_t max_record, size_t block, unsigned workers,
                eng_framing framing, fz_acc *acc, eng_stat *st_out)
{
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    if (eng_inputs_add_arg(&in, path, &err) != AS_OK)
        abort();
    memset(acc, 0, sizeof *acc);
    acc->framing = framing;
    eng_sink sink = { .ctx = acc, .worker_init = w_init, .worker_fini = w_fini, .input_begin = in_begin,
                      .on_batch = on_batch, .block_end = block_end, .merge = merge,
                      .input_head = in_head };
    eng_opts o = { .workers = workers, .max_record = max_record, .block_size = block };
    eng_job *job = eng_job_new(&in, &o, &sink);
    if (job == NULL || eng_job_run(job, NULL, NULL, &err) != AS_OK)
        abort();
    *st_out = *eng_job_stat(job, 0);
    eng_job_free(job);
    eng_inputs_fini(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max_record = 1 + data[0] % 64;
    eng_framing framing = (data[0] & 64) ? ENG_FRAME_QUOTED : ENG_FRAME_LINES;
    data++;
    size--;

    /* the splitter alone */
    eng_split sp;
    eng_split_init(&sp, (const char *)data, size, 0, 1, max_record, 0, 0);
    sp.framing = framing;
    eng_item items[16];
    size_t n, total = 0;
    uint64_t last = 0;
    int first = 1;
    while ((n = eng_split_lines(&sp, items, 16)) > 0) {
        for (size_t i = 0; i < n; i++) {
            const as_rec *r = &items[i].rec;
            if (r->raw.ptr < (const char *)data || r->raw.ptr + r->raw.len > (const char *)data + size)
                abort();
            if (!first && r->offset <= last)
                abort();
            if (r->raw.len == 0)
                abort();
            first = 0;
            last = r->offset;
            total++;
        }
    }
    if (sp.line - 1 != eng_split_count_lines((const char *)data, size))
        abort();

    /* the pipeline: one big block vs tiny blocks vs 3 workers. Bytes that
     * start with a gzip/zstd magic are a compressed stream to the engine
     * (fuzz_gzip and fuzz_zstd cover those), not lines: skip them. */
    if (eng_comp_sniff(data, size) != ENG_COMP_NONE)
        return 0;
    int fd = memfd_create("fuzz_split", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    fz_acc a, b, c;
    eng_stat sa, sb, sc;
    run(path, max_record, 0, 1, framing, &a, &sa);
    run(path, max_record, 1, 1, framing, &b, &sb);
    run(path, max_record, 1, 3, framing, &c, &sc);
    close(fd);
    if (a.n != total || a.n != b.n || a.n != c.n || a.sum_off != b.sum_off || a.sum_off != c.sum_off ||
        a.sum_line != b.sum_line || a.sum_line != c.sum_line || a.rejected != b.rejected ||
        a.rejected != c.rejected)
        abort();
    if (sa.records != sa.accepted + sa.rejected || sa.records != a.n || sb.lines != sa.lines ||
        sc.lines != sa.lines || sa.bytes_decompressed != size)
        abort();
    return 0;
}
