/* fuzz_gzip.c: libFuzzer target for the gzip side of engine/eng_codec.
 *
 * Each input is decoded four times: ISA-L and zlib each with small odd input
 * chunks and output blocks (two schedules picked from the input), and each
 * with everything at once. It aborts (a finding) when
 *   - eng_codec_run or eng_codec_end break their contract (run returns AS_OK
 *     with input left and output room, a code other than the documented ones,
 *     an error without offset or message, an offset past the input, *more = 1
 *     without progress);
 *   - two schedules of one decoder disagree on the verdict or the output;
 *   - ISA-L and zlib disagree on a stream one of them fully accepts, or on
 *     its output, member count or padding;
 *   - on a stream both reject, one output is not a prefix of the other (both
 *     decode the same deflate data up to where they stop).
 * A decoder stops after FZ_OUT_CAP bytes of output (deflate expands up to
 * 1032:1), with small blocks after FZ_MAX_CALLS blocks; then only the common
 * prefix is compared.
 * Also replayed by `make test` through replay_main.c (gcc, ASan+UBSan).
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort, malloc, free */
#include <string.h>  /* memcmp, memcpy */

#include "engine/eng_codec.h"

#define FZ_OUT_CAP   ((size_t)1 << 20)  /* output bytes decoded per run, at most */
#define FZ_MAX_CALLS 4096               /* run calls per decode, about: tiny blocks and
                                         * chunks are scaled up to stay fast */
#define FZ_END_LOOPS 64                  /* eng_codec_end calls without progress, at most */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Odd sizes that straddle headers, trailers, ISA-L's 8-byte read-ahead and
 * its 64 KiB internal buffer. */
static const size_t k_in_chunks[] = { 1, 2, 3, 7, 13, 509, 4099, 65536 };
static const size_t k_out_blocks[] = { 1, 5, 17, 255, 4093, 32769, 70001 };

typedef struct fz_result {
    as_code         code;    /* final verdict */
    int             capped;  /* stopped at FZ_OUT_CAP */
    uint8_t        *out;     /* decoded bytes (malloc), FZ_OUT_CAP + the last block at most */
    size_t          n_out;
    eng_codec_stats stats;
} fz_result;

static void fz_check_err(as_code rc, const as_err *e, size_t size)
{
    if (e->code != rc || !e->loc.has_offset || e->loc.offset > size || e->msg[0] == '\0')
        abort();
}

static void fz_decode(eng_gz_impl impl, const uint8_t *data, size_t size, size_t in_chunk, size_t out_block,
                      fz_result *r)
{
    memset(r, 0, sizeof *r);
    size_t cap = out_block * FZ_MAX_CALLS < FZ_OUT_CAP ? out_block * FZ_MAX_CALLS : FZ_OUT_CAP;
    if (in_chunk < size / FZ_MAX_CALLS)
        in_chunk = size / FZ_MAX_CALLS;
    eng_codec *c = eng_codec_new(ENG_COMP_GZIP, impl);
    r->out = malloc(cap + out_block);
    if (c == NULL || r->out == NULL)
        abort();
    as_err e;
    as_err_clear(&e);
    as_code rc = AS_OK;
    for (size_t off = 0; rc == AS_OK && off < size && !r->capped; off += in_chunk) {
        eng_inbuf in = { data + off, size - off < in_chunk ? size - off : in_chunk, 0 };
        while (in.pos < in.size) {
            eng_outbuf out = { r->out + r->n_out, out_block, 0 };
            rc = eng_codec_run(c, &in, &out, off, &e);
            if (in.pos > in.size || out.pos > out.size)
                abort();
            r->n_out += out.pos;
            if (rc != AS_OK)
                break;
            if (in.pos != in.size && out.pos != out.size)
                abort();  /* returned with input left and output room */
            if (r->n_out >= cap) {
                r->capped = 1;
                break;
            }
        }
    }
    if (rc != AS_OK) {
        if (rc != AS_ERR_CORRUPT)
            abort();  /* run: only AS_ERR_CORRUPT is expected here (no NOMEM at these sizes) */
        fz_check_err(rc, &e, size);
    } else if (!r->capped) {
        int more = 1, idle = 0;
        while (rc == AS_OK && more && !r->capped) {
            eng_outbuf out = { r->out + r->n_out, out_block, 0 };
            rc = eng_codec_end(c, &out, size, &more, &e);
            r->n_out += out.pos;
            idle = out.pos ? 0 : idle + 1;
            if (idle > 1 || r->n_out >= cap + out_block)
                abort();  /* *more = 1 twice without progress */
            if (r->n_out >= cap)
                r->capped = more;
        }
        if (rc != AS_OK) {
            if (rc != AS_ERR_TRUNCATED && rc != AS_ERR_CORRUPT)
                abort();
            fz_check_err(rc, &e, size);
            if (rc == AS_ERR_TRUNCATED && e.loc.offset != size)
                abort();
        }
    }
    r->code = rc;
    r->stats = eng_codec_get_stats(c);
    eng_codec_free(c);
}

static int fz_same_prefix(const fz_result *a, const fz_result *b)
{
    size_t n = a->n_out < b->n_out ? a->n_out : b->n_out;
    return n == 0 || memcmp(a->out, b->out, n) == 0;
}

static int fz_identical(const fz_result *a, const fz_result *b)
{
    return a->n_out == b->n_out && fz_same_prefix(a, b) && a->stats.n_members == b->stats.n_members &&
           a->stats.n_padding == b->stats.n_padding;
}

/* Two runs of one decoder: unless one stopped at its cap, the same verdict,
 * and on success the same output and counts. */
static int fz_same_verdict(const fz_result *a, const fz_result *b)
{
    if (a->capped || b->capped)
        return 1;
    return a->code == b->code && (a->code != AS_OK || fz_identical(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* schedules from the input itself, so a finding replays the same way */
    size_t h = size;
    for (size_t i = 0; i < size && i < 16; i++)
        h = h * 31 + data[size - 1 - i];
    size_t na = AS_ARRAY_LEN(k_in_chunks), nb = AS_ARRAY_LEN(k_out_blocks);

    fz_result isal, zlib, isal_whole, zlib_whole;
    fz_decode(ENG_GZ_ISAL, data, size, k_in_chunks[h % na], k_out_blocks[(h / na) % nb], &isal);
    fz_decode(ENG_GZ_ZLIB, data, size, k_in_chunks[(h / 7) % na], k_out_blocks[(h / 11) % nb], &zlib);
    fz_decode(ENG_GZ_ISAL, data, size, size ? size : 1, FZ_OUT_CAP, &isal_whole);
    fz_decode(ENG_GZ_ZLIB, data, size, size ? size : 1, FZ_OUT_CAP, &zlib_whole);

    if (!fz_same_prefix(&isal, &isal_whole) || !fz_same_prefix(&zlib, &zlib_whole) ||
        !fz_same_prefix(&isal_whole, &zlib_whole))
        abort();  /* the same stream decoded to different bytes */
    if (!fz_same_verdict(&isal, &isal_whole) || !fz_same_verdict(&zlib, &zlib_whole))
        abort();  /* the verdict or output depends on the chunking */
    if (!isal_whole.capped && !zlib_whole.capped) {
        if ((isal_whole.code == AS_OK) != (zlib_whole.code == AS_OK))
            abort();  /* ISA-L and zlib disagree on a stream one of them accepts */
        if (isal_whole.code == AS_OK && !fz_identical(&isal_whole, &zlib_whole))
            abort();
    }
    free(isal.out);
    free(zlib.out);
    free(isal_whole.out);
    free(zlib_whole.out);
    return 0;
}
