/* eng_codec.h: streaming decompressors behind one interface (gzip, zstd).
 *
 * Part of engine/ (internal header; the part's public header is eng.h).
 * The reader thread feeds compressed bytes in chunks and drains decompressed
 * bytes into block buffers, zstd-style: the call advances in->pos and
 * out->pos and returns when the input chunk is used up or the output is full.
 *
 * gzip: ISA-L's igzip inflate (about 3x zlib here, docs/gzip.md) by default,
 * zlib inflate on request (ENG_GZ_ZLIB); both give byte-identical output and
 * the same verdicts. Multi-member streams (`cat a.gz b.gz`, pigz) are decoded
 * member after member; each member's CRC-32 and ISIZE are checked. zstd:
 * ZSTD_decompressStream, which handles multiple and skippable frames; window
 * up to 2^27 bytes (128 MiB, zstd --long=27).
 *
 * What may follow a gzip member (assay is an audit tool: no byte is ignored
 * without a trace):
 *   - another member (1f 8b ...): decoded;
 *   - zero bytes up to the end of the stream (tape or block padding, which
 *     GNU gzip also accepts): accepted and counted in eng_codec_stats
 *     n_padding, so the caller can report them;
 *   - anything else, including a non-zero byte after zero padding:
 *     AS_ERR_CORRUPT at the offset of the first such byte.
 * zstd streams get no such allowance: bytes after a frame must start a frame,
 * an RFC 8878 or a skippable one (legacy zstd 0.x frames are refused).
 *
 * Faults: corrupt data returns AS_ERR_CORRUPT with err->loc.offset set to the
 * compressed byte offset where it was detected (err->loc.has_offset = 1) and a
 * message that names the member or frame ("gzip member 2: CRC-32 mismatch
 * ..."); what was decoded before stays in the output (with ISA-L, up to the
 * last 258 bytes before a bad back-reference are withheld: eng_codec_gz.c
 * says why). A stream that ends inside a member/frame (its header, data or
 * trailer, also the header of a next member) is found by eng_codec_end:
 * AS_ERR_TRUNCATED. Verdicts and output never depend on how the input is
 * chunked or the output blocked (fuzz_gzip and fuzz_zstd check this).
 * Memory: all allocation goes through core/as_alloc (ISA-L's state, zlib's
 * and zstd's through their allocator hooks).
 * Thread-safety: one codec per stream; codecs share nothing.
 */
#ifndef ASSAY_ENG_CODEC_H
#define ASSAY_ENG_CODEC_H

#include "core/as.h"

typedef enum eng_comp {
    ENG_COMP_NONE = 0, /* plain bytes */
    ENG_COMP_GZIP,     /* RFC 1952, possibly multi-member */
    ENG_COMP_ZSTD,     /* RFC 8878 frames, possibly skippable frames */
} eng_comp;

/* Which inflater decodes gzip. */
typedef enum eng_gz_impl {
    ENG_GZ_AUTO = 0, /* ISA-L (a build dependency, so always present) */
    ENG_GZ_ISAL,     /* ISA-L igzip */
    ENG_GZ_ZLIB,     /* zlib inflate: the fallback, e.g. to cross-check */
} eng_gz_impl;

/* Compression by magic bytes, never by name: gzip 1f 8b, zstd 28 b5 2f fd or a
 * skippable frame 5? 2a 4d 18; anything else (and fewer bytes) is plain. */
eng_comp    eng_comp_sniff(const void *p, size_t n);
const char *eng_comp_name(eng_comp c);  /* "none", "gzip", "zstd" */

typedef struct eng_inbuf  { const uint8_t *src; size_t size; size_t pos; } eng_inbuf;
typedef struct eng_outbuf { uint8_t *dst; size_t size; size_t pos; } eng_outbuf;

typedef struct eng_codec eng_codec;

/* A decoder for comp; NULL when memory runs out, or when comp is
 * ENG_COMP_NONE or not an eng_comp, or gz is not an eng_gz_impl. */
eng_codec  *eng_codec_new(eng_comp comp, eng_gz_impl gz) AS_MUST_USE;
void        eng_codec_free(eng_codec *c);              /* NULL is a no-op */
const char *eng_codec_impl(const eng_codec *c);        /* "isal", "zlib", "zstd" */

/* Decodes from in into out. Returns AS_OK when it stopped because the input is
 * used up (in->pos == in->size) or the output is full (out->pos == out->size);
 * it always makes progress when both have room. Errors (err filled, first
 * failure wins), after which the codec is dead and repeats the same code:
 *   AS_ERR_CORRUPT   invalid data, offset = where it was detected;
 *   AS_ERR_NOMEM     zlib and zstd allocate their window on first use;
 *   AS_ERR_INTERNAL  a decoder stopped making progress (a bug, never expected).
 * in_base is the compressed offset of in->src[0], for error locations. */
as_code eng_codec_run(eng_codec *c, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err) AS_MUST_USE;

/* Call after the last input byte: AS_OK when the stream ended cleanly after a
 * complete member/frame, AS_ERR_TRUNCATED (err filled, offset = total_in, the
 * total compressed bytes) when it ended inside one or was empty. May need to
 * be called again with more output room: it returns AS_OK with *more = 1
 * while buffered output remains. A check that fails while draining (e.g. the
 * CRC of the last member) gives AS_ERR_CORRUPT, as eng_codec_run would. */
as_code eng_codec_end(eng_codec *c, eng_outbuf *out, uint64_t total_in, int *more, as_err *err) AS_MUST_USE;

/* What a stream held besides its data, for the input's manifest entry. */
typedef struct eng_codec_stats {
    uint64_t n_members;  /* complete gzip members / zstd frames (skippable ones included) */
    uint64_t n_padding;  /* zero bytes accepted after the last gzip member; 0 for zstd */
} eng_codec_stats;

eng_codec_stats eng_codec_get_stats(const eng_codec *c);

#endif
