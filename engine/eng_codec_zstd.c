/* eng_codec_zstd.c: zstd streams (RFC 8878) for eng_codec.
 *
 * ZSTD_decompressStream does the decoding: frame after frame, skippable
 * frames skipped, the optional content checksum checked; it returns 0 exactly
 * when a frame has been decoded and fully flushed, and one call completes at
 * most one frame, which is how frames are counted. The window is capped at
 * 2^27 bytes (ZSTD_d_windowLogMax): a frame that needs more fails with
 * frameParameter_windowTooLarge instead of allocating more.
 *
 * Frame headers. libzstd 1.5.4 decodes a frame by one of two paths: when a
 * call starts at a frame and holds all of it (and the output has room for the
 * declared size), a single-pass shortcut; otherwise the streaming path. The
 * two validate differently (fuzz_zstd found two: a compressed block of size 0
 * and a declared content size that an empty last block leaves unchecked pass
 * streaming and fail single-pass), so the verdict would depend on how the
 * input happens to be chunked. And when a header is split between two calls,
 * the shortcut test parses the second call's bytes from mid-header as if a
 * frame began there. So this module gathers each frame header itself (in
 * hdr[], at most ZSTD_FRAMEHEADERSIZE_MAX bytes, asking ZSTD_getFrameHeader
 * how many it needs) and hands it to libzstd in a call of its own: libzstd
 * never sees a split header and always takes the streaming path. While
 * gathering, it checks:
 *   - the magic number, byte by byte as it arrives: only RFC 8878 frames
 *     (28 b5 2f fd) and skippable frames (5? 2a 4d 18) are zstd to assay.
 *     Debian builds libzstd with legacy support, which would decode zstd
 *     0.5-0.7 frames (e.g. 26 b5 2f fd) when their magic arrives in one piece
 *     and refuse them when it arrives byte by byte;
 *   - Frame_Content_Size, when declared, against the bytes decoded, which
 *     the streaming path skips when the last block is empty.
 *
 * Streams end cleanly only on a frame boundary. Unlike gzip there is no zero
 * padding allowance: bytes after a frame must start a frame, anything else is
 * AS_ERR_CORRUPT at the offset where it starts.
 *
 * Allocation: the DCtx and its buffers come from core/as_alloc through
 * ZSTD_customMem (ZSTD_createDCtx_advanced, exported by libzstd's shared
 * library since 1.3); the window is allocated when a frame header is fed, so
 * a failure then is AS_ERR_NOMEM from eng_codec_run.
 */
#define ZSTD_STATIC_LINKING_ONLY  /* ZSTD_customMem, ZSTD_createDCtx_advanced, ZSTD_getFrameHeader */
#include "engine/eng_codec_int.h"

#include <string.h>       /* memcpy */
#include <zstd.h>         /* ZSTD_decompressStream */
#include <zstd_errors.h>  /* ZSTD_getErrorCode, ZSTD_error_* */

#define ZS_WINDOW_LOG_MAX 27  /* 128 MiB, zstd --long=27 */

/* Input handed to one ZSTD_decompressStream call. zstd reports no position
 * for a fault inside a block, so the fault is placed at the end of the input
 * the failing call was given: never before the damage, and at most one
 * maximal block (128 KiB) after it. */
#define ZS_CALL_IN_MAX ((size_t)ZSTD_BLOCKSIZE_MAX + 3)  /* a block and its 3-byte header */

/* Frame magic numbers as bytes (RFC 8878 3.1.1, 3.1.2). */
static const uint8_t k_frame_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t k_skip_magic[4] = { 0x50, 0x2a, 0x4d, 0x18 };  /* byte 0: high nibble only */
#define ZS_MAGIC_LEN 4

/* Input for the calls that only drain (never NULL: see eng_codec_gz.c). */
static const uint8_t k_no_input[1];

struct eng_zs {
    ZSTD_DCtx *dctx;         /* owned */
    uint64_t   n_frames;     /* complete frames, skippable ones included */
    uint64_t   frame_start;  /* compressed offset where the current frame began */
    int        in_frame;     /* a byte of the current frame has been taken */
    int        hdr_fed;      /* its header has gone to libzstd; the rest streams */
    uint8_t    hdr[ZSTD_FRAMEHEADERSIZE_MAX]; /* the header being gathered */
    size_t     hdr_len;      /* bytes in hdr */
    int        has_fcs;      /* the header declares a content size ... */
    uint64_t   fcs;          /* ... this one */
    uint64_t   frame_out;    /* bytes decoded in the current frame */
    int        is_dead;      /* failed: keep holds the error */
    as_err     keep;
};

static void *zs_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return as_malloc(size);
}

static void zs_free(void *opaque, void *p)
{
    (void)opaque;
    as_free(p);
}

eng_zs *eng_codec_zs_new(void)
{
    eng_zs *z = as_calloc(1, sizeof *z);
    if (z == NULL)
        return NULL;
    ZSTD_customMem mem = { zs_alloc, zs_free, NULL };
    z->dctx = ZSTD_createDCtx_advanced(mem);
    if (z->dctx == NULL || ZSTD_isError(ZSTD_DCtx_setParameter(z->dctx, ZSTD_d_windowLogMax, ZS_WINDOW_LOG_MAX))) {
        eng_codec_zs_free(z);
        return NULL;
    }
    return z;
}

void eng_codec_zs_free(eng_zs *z)
{
    if (z == NULL)
        return;
    ZSTD_freeDCtx(z->dctx);  /* NULL is a no-op */
    as_free(z);
}

eng_codec_stats eng_codec_zs_stats(const eng_zs *z)
{
    return (eng_codec_stats){ .n_members = z->n_frames, .n_padding = 0 };
}

static unsigned long long frame_no(const eng_zs *z)
{
    return (unsigned long long)z->n_frames + 1;
}

/* Turns a zstd error into an as_err. at = where to place a fault in the
 * frame's data (the end of the input the failing call had); faults found
 * while the header is gathered or fed are placed at the frame's start. */
static as_code zs_fail(eng_zs *z, size_t r, uint64_t at, as_err *err)
{
    unsigned long long from = (unsigned long long)z->frame_start;
    const char *name = ZSTD_getErrorName(r);
    z->is_dead = 1;
    switch (ZSTD_getErrorCode(r)) {
    case ZSTD_error_memory_allocation:
        return eng_codec_fail(&z->keep, err, AS_ERR_NOMEM, at, "zstd frame %llu: out of memory (%s)", frame_no(z),
                              name);
    case ZSTD_error_frameParameter_windowTooLarge:
        return eng_codec_fail(&z->keep, err, AS_ERR_CORRUPT, z->frame_start,
                              "zstd frame %llu (from byte %llu): %s: window above 2^%d bytes (zstd --long=%d)",
                              frame_no(z), from, name, ZS_WINDOW_LOG_MAX, ZS_WINDOW_LOG_MAX);
    default:
        return eng_codec_fail(&z->keep, err, AS_ERR_CORRUPT, z->hdr_fed ? at : z->frame_start,
                              "zstd frame %llu (from byte %llu): %s", frame_no(z), from, name);
    }
}

/* Checks the magic-number bytes among p[0..n) (p[0] would be byte hdr_len of
 * the frame). Returns AS_OK or the fault, placed at the frame's start. */
static as_code zs_check_magic(eng_zs *z, const uint8_t *p, size_t n, as_err *err)
{
    for (size_t i = 0; i < n && z->hdr_len + i < ZS_MAGIC_LEN; i++) {
        size_t k = z->hdr_len + i;
        uint8_t b0 = z->hdr_len ? z->hdr[0] : p[0];
        int is_skip = (b0 & 0xf0) == k_skip_magic[0];
        uint8_t got = k == 0 && is_skip ? (uint8_t)(p[i] & 0xf0) : p[i];
        if (got == (is_skip ? k_skip_magic[k] : k_frame_magic[k]))
            continue;
        z->is_dead = 1;
        if (z->n_frames > 0)
            return eng_codec_fail(&z->keep, err, AS_ERR_CORRUPT, z->frame_start,
                                  "trailing garbage after zstd frame %llu (byte 0x%02x is not a frame start)",
                                  (unsigned long long)z->n_frames, p[i]);
        return eng_codec_fail(&z->keep, err, AS_ERR_CORRUPT, z->frame_start,
                              "zstd frame 1: bad magic (byte %zu is 0x%02x; legacy zstd 0.x frames are not supported)",
                              k, p[i]);
    }
    return AS_OK;
}

static void zs_frame_reset(eng_zs *z)
{
    z->in_frame = 0;
    z->hdr_fed = 0;
    z->hdr_len = 0;
    z->has_fcs = 0;
    z->frame_out = 0;
}

static as_code zs_fail_size(eng_zs *z, uint64_t at, as_err *err)
{
    z->is_dead = 1;
    return eng_codec_fail(&z->keep, err, AS_ERR_CORRUPT, at,
                          "zstd frame %llu (from byte %llu): content size mismatch (header says %llu, decoded %llu)",
                          frame_no(z), (unsigned long long)z->frame_start, (unsigned long long)z->fcs,
                          (unsigned long long)z->frame_out);
}

/* One ZSTD_decompressStream call on src[0..n_in), whose compressed offset is
 * src_off, into out. *ret gets its result (0 = frame complete and flushed,
 * else more to do), *used the bytes consumed. A call never goes past the end
 * of a frame, so what it uses and makes belongs to the current frame. */
static as_code zs_step(eng_zs *z, const uint8_t *src, size_t n_in, uint64_t src_off, eng_outbuf *out,
                       size_t *used, size_t *ret, as_err *err)
{
    uint8_t spare;
    size_t room = out->size - out->pos;
    ZSTD_inBuffer zi = { src, n_in, 0 };
    ZSTD_outBuffer zo = { room ? out->dst + out->pos : &spare, room, 0 };
    size_t r = ZSTD_decompressStream(z->dctx, &zo, &zi);
    *used = zi.pos;
    *ret = r;
    if (ZSTD_isError(r))
        return zs_fail(z, r, src_off + n_in, err);
    out->pos += zo.pos;
    z->frame_out += zo.pos;
    if (r == 0) {
        if (z->has_fcs && z->frame_out != z->fcs)
            return zs_fail_size(z, src_off + zi.pos, err);
        z->n_frames++;
        zs_frame_reset(z);
    }
    return AS_OK;
}

/* Gathers header bytes from in; once the header is whole, feeds it to
 * libzstd on its own. */
static as_code zs_gather_header(eng_zs *z, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err)
{
    if (!z->in_frame) {
        z->in_frame = 1;
        z->frame_start = in_base + in->pos;
    }
    for (;;) {
        ZSTD_frameHeader fh;
        size_t need = z->hdr_len ? ZSTD_getFrameHeader(&fh, z->hdr, z->hdr_len) : 1;
        if (ZSTD_isError(need))
            return zs_fail(z, need, z->frame_start, err);
        if (need == 0) {  /* whole: hdr_len is exactly the header size */
            if (fh.frameType == ZSTD_frame && fh.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN) {
                z->has_fcs = 1;
                z->fcs = fh.frameContentSize;
            }
            size_t used, r, len = z->hdr_len;
            AS_TRY(zs_step(z, z->hdr, len, z->frame_start, out, &used, &r, err));
            if (z->in_frame)
                z->hdr_fed = 1;  /* else it was a whole frame (an empty skippable one) */
            if (used != len) {
                z->is_dead = 1;
                return eng_codec_fail(&z->keep, err, AS_ERR_INTERNAL, z->frame_start,
                                      "zstd frame %llu: header not taken whole", frame_no(z));
            }
            return AS_OK;
        }
        if (in->pos == in->size)
            return AS_OK;  /* more next time */
        size_t take = AS_MIN(need - z->hdr_len, in->size - in->pos);
        if (z->hdr_len < ZS_MAGIC_LEN)
            AS_TRY(zs_check_magic(z, in->src + in->pos, take, err));
        memcpy(z->hdr + z->hdr_len, in->src + in->pos, take);
        z->hdr_len += take;
        in->pos += take;
    }
}

as_code eng_codec_zs_run(eng_zs *z, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err)
{
    if (z->is_dead)
        return eng_codec_replay(&z->keep, err);
    while (in->pos < in->size && out->pos < out->size) {
        if (!z->hdr_fed) {
            AS_TRY(zs_gather_header(z, in, out, in_base, err));
            continue;
        }
        size_t given = AS_MIN(in->size - in->pos, ZS_CALL_IN_MAX), used, r, before = out->pos;
        AS_TRY(zs_step(z, in->src + in->pos, given, in_base + in->pos, out, &used, &r, err));
        in->pos += used;
        if (used == 0 && out->pos == before && r != 0) {
            z->is_dead = 1;
            return eng_codec_fail(&z->keep, err, AS_ERR_INTERNAL, in_base + in->pos,
                                  "zstd frame %llu: decoder made no progress", frame_no(z));
        }
    }
    return AS_OK;
}

as_code eng_codec_zs_end(eng_zs *z, eng_outbuf *out, uint64_t total_in, int *more, as_err *err)
{
    *more = 0;
    if (z->is_dead)
        return eng_codec_replay(&z->keep, err);
    if (!z->in_frame && z->n_frames > 0)
        return AS_OK;
    if (!z->in_frame) {
        z->is_dead = 1;
        return eng_codec_fail(&z->keep, err, AS_ERR_TRUNCATED, total_in, "empty zstd stream (no frame)");
    }
    while (z->hdr_fed) {
        /* drain what libzstd holds; that may complete the frame */
        size_t room = out->size - out->pos, used, r, before = out->pos;
        AS_TRY(zs_step(z, k_no_input, 0, total_in, out, &used, &r, err));
        if (r == 0)
            return AS_OK;
        if (out->pos == before && room > 0)
            break;
        if (out->pos == out->size) {
            *more = 1;
            return AS_OK;
        }
    }
    z->is_dead = 1;
    return eng_codec_fail(&z->keep, err, AS_ERR_TRUNCATED, total_in,
                          "truncated zstd stream: frame %llu (from byte %llu) is incomplete", frame_no(z),
                          (unsigned long long)z->frame_start);
}
