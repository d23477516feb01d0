/* fuzz_zstd.c: libFuzzer target for the zstd side of engine/eng_codec.
 *
 * Each input is decoded by eng_codec twice (small odd input chunks and output
 * blocks, then everything at once) and once by a reference built on libzstd's
 * bufferless API with eng_codec's rules (fz_reference). It aborts when
 *   - eng_codec_run or eng_codec_end break their contract (see fuzz_gzip.c);
 *   - the two schedules disagree on the verdict, the output or the frame count;
 *   - eng_codec accepts what the reference rejects or the other way round, or
 *     their outputs differ.
 * A decoder stops after FZ_OUT_CAP bytes of output, with small blocks after
 * FZ_MAX_CALLS blocks; then only the common prefix is compared. Also replayed by `make test` through replay_main.c.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort, malloc, free */
#include <string.h>  /* memcmp, memset */
#define ZSTD_STATIC_LINKING_ONLY  /* the bufferless API for the reference */
#include <zstd.h>

#include "engine/eng_codec.h"

#define FZ_OUT_CAP        ((size_t)1 << 20)  /* output bytes decoded per run, at most */
#define FZ_MAX_CALLS      4096               /* run calls per decode, about: tiny blocks and
                                              * chunks are scaled up to stay fast */
#define FZ_WINDOW_LOG_MAX 27                 /* as eng_codec_zstd.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t k_in_chunks[] = { 1, 2, 3, 7, 13, 509, 4099, 65536 };
static const size_t k_out_blocks[] = { 1, 5, 17, 255, 4093, 131073 };

typedef struct fz_result {
    as_code  code;    /* final verdict (reference: AS_OK or AS_ERR_CORRUPT) */
    int      capped;  /* stopped at FZ_OUT_CAP */
    uint8_t *out;     /* decoded bytes (malloc) */
    size_t   n_out;
    uint64_t n_frames;
} fz_result;

static void fz_check_err(as_code rc, const as_err *e, size_t size)
{
    if (e->code != rc || !e->loc.has_offset || e->loc.offset > size || e->msg[0] == '\0')
        abort();
}

static void fz_decode(const uint8_t *data, size_t size, size_t in_chunk, size_t out_block, fz_result *r)
{
    memset(r, 0, sizeof *r);
    size_t cap = out_block * FZ_MAX_CALLS < FZ_OUT_CAP ? out_block * FZ_MAX_CALLS : FZ_OUT_CAP;
    if (in_chunk < size / FZ_MAX_CALLS)
        in_chunk = size / FZ_MAX_CALLS;
    eng_codec *c = eng_codec_new(ENG_COMP_ZSTD, ENG_GZ_AUTO);
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
                abort();
            if (r->n_out >= cap) {
                r->capped = 1;
                break;
            }
        }
    }
    if (rc != AS_OK) {
        /* AS_ERR_NOMEM is possible: a frame may ask for a 128 MiB window */
        if (rc != AS_ERR_CORRUPT && rc != AS_ERR_NOMEM)
            abort();
        fz_check_err(rc, &e, size);
    } else if (!r->capped) {
        int more = 1, idle = 0;
        while (rc == AS_OK && more && !r->capped) {
            eng_outbuf out = { r->out + r->n_out, out_block, 0 };
            rc = eng_codec_end(c, &out, size, &more, &e);
            r->n_out += out.pos;
            idle = out.pos ? 0 : idle + 1;
            if (idle > 1)
                abort();
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
    r->n_frames = eng_codec_get_stats(c).n_members;
    eng_codec_free(c);
}

/* Whether p[0..n) starts with the magic of an RFC 8878 frame or a skippable
 * frame. assay refuses legacy zstd 0.x frames, which libzstd decodes, so the
 * reference applies the same rule at each frame start. */
static int fz_magic_ok(const uint8_t *p, size_t n)
{
    static const uint8_t frame[4] = { 0x28, 0xb5, 0x2f, 0xfd }, skip[4] = { 0x50, 0x2a, 0x4d, 0x18 };
    int is_frame = 1, is_skip = 1;
    for (size_t i = 0; i < n && i < 4; i++) {
        is_frame &= p[i] == frame[i];
        is_skip &= (i == 0 ? (uint8_t)(p[i] & 0xf0) : p[i]) == skip[i];
    }
    return is_frame || is_skip;
}

/* The reference: libzstd's bufferless API, block by block, which is the
 * streaming path without ZSTD_decompressStream's buffering and single-pass
 * shortcut, plus the rules eng_codec adds (eng_codec_zstd.c): the magic
 * check, the 2^27 window limit, Frame_Content_Size against the output. */
static void fz_reference(const uint8_t *data, size_t size, fz_result *r)
{
    memset(r, 0, sizeof *r);
    ZSTD_DCtx *d = ZSTD_createDCtx();
    r->out = malloc(FZ_OUT_CAP + ZSTD_BLOCKSIZE_MAX);
    if (d == NULL || r->out == NULL)
        abort();
    size_t pos = 0;
    int at_start = 1;
    uint64_t frame_out = 0, fcs = ZSTD_CONTENTSIZE_UNKNOWN;
    r->code = AS_ERR_TRUNCATED;  /* until a frame completes */
    for (;;) {
        if (at_start) {
            if (pos == size) {
                if (r->n_frames > 0)
                    r->code = AS_OK;
                break;
            }
            ZSTD_frameHeader fh;
            size_t h = ZSTD_getFrameHeader(&fh, data + pos, size - pos);
            if (!fz_magic_ok(data + pos, size - pos) || ZSTD_isError(h) ||
                (h == 0 && fh.frameType == ZSTD_frame && fh.windowSize > ((uint64_t)1 << FZ_WINDOW_LOG_MAX))) {
                r->code = AS_ERR_CORRUPT;
                break;
            }
            if (h != 0) {
                r->code = AS_ERR_TRUNCATED;  /* the header is cut */
                break;
            }
            fcs = fh.frameType == ZSTD_frame ? fh.frameContentSize : ZSTD_CONTENTSIZE_UNKNOWN;
            frame_out = 0;
            if (ZSTD_isError(ZSTD_decompressBegin(d)))
                abort();
            at_start = 0;
        }
        size_t need = ZSTD_nextSrcSizeToDecompress(d);
        if (need == 0) {  /* frame complete */
            if (fcs != ZSTD_CONTENTSIZE_UNKNOWN && frame_out != fcs) {
                r->code = AS_ERR_CORRUPT;
                break;
            }
            r->n_frames++;
            at_start = 1;
            continue;
        }
        if (need > size - pos) {
            r->code = AS_ERR_TRUNCATED;
            break;
        }
        size_t got = ZSTD_decompressContinue(d, r->out + r->n_out, ZSTD_BLOCKSIZE_MAX, data + pos, need);
        if (ZSTD_isError(got)) {
            r->code = AS_ERR_CORRUPT;
            break;
        }
        pos += need;
        r->n_out += got;
        frame_out += got;
        if (r->n_out >= FZ_OUT_CAP) {
            r->capped = 1;
            break;
        }
    }
    ZSTD_freeDCtx(d);
}

static int fz_same_prefix(const fz_result *a, const fz_result *b)
{
    size_t n = a->n_out < b->n_out ? a->n_out : b->n_out;
    return n == 0 || memcmp(a->out, b->out, n) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t h = size;
    for (size_t i = 0; i < size && i < 16; i++)
        h = h * 31 + data[size - 1 - i];
    fz_result small, whole, ref;
    fz_decode(data, size, k_in_chunks[h % AS_ARRAY_LEN(k_in_chunks)],
              k_out_blocks[(h / 7) % AS_ARRAY_LEN(k_out_blocks)], &small);
    fz_decode(data, size, size ? size : 1, FZ_OUT_CAP, &whole);
    fz_reference(data, size, &ref);

    if (!fz_same_prefix(&small, &whole) || !fz_same_prefix(&whole, &ref))
        abort();
    if (!small.capped && !whole.capped && small.code != AS_ERR_NOMEM && whole.code != AS_ERR_NOMEM) {
        if (small.code != whole.code)
            abort();  /* the verdict depends on the chunking */
        if (small.code == AS_OK && (small.n_out != whole.n_out || small.n_frames != whole.n_frames))
            abort();
    }
    if (!whole.capped && !ref.capped && whole.code != AS_ERR_NOMEM) {
        if ((whole.code == AS_OK) != (ref.code == AS_OK))
            abort();  /* eng_codec and the reference disagree */
        if (whole.code == AS_OK && (whole.n_out != ref.n_out || whole.n_frames != ref.n_frames))
            abort();
    }
    free(small.out);
    free(whole.out);
    free(ref.out);
    return 0;
}
