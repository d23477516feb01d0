/* eng_codec_gz.c: gzip streams (RFC 1952) for eng_codec, one member framing
 * over two inflaters: ISA-L igzip (the default) and zlib (the fallback).
 *
 * Layers. The framing (eng_codec_gz_run, eng_codec_gz_end and the gz_*
 * helpers) owns what lies between members and
 * everything the two inflaters must agree on: it counts members, checks the
 * first four bytes of each member itself (ID1 ID2 CM FLG, so both report a bad
 * magic, method or reserved flag identically), accepts zero padding after the
 * last member, rejects any other trailing byte, keeps the last eight consumed
 * bytes (to quote a stored CRC-32 or ISIZE in a message) and turns faults into
 * located errors. An inflater (isal_step, zlib_step) decodes one member: header
 * rest, deflate data, trailer; it says how many bytes it used and made and
 * whether the member ended or failed.
 *
 * ISA-L. isal_inflate can parse the gzip header itself (crc_flag ISAL_GZIP),
 * but ISA-L 2.30 keeps that parser's flags and header CRC in a local variable
 * of isal_inflate: a header that is split between two calls inside FNAME,
 * FCOMMENT or FEXTRA loses the flags that follow (the comment or the header
 * CRC is then read as deflate data), and FHCRC is checked over the last piece
 * only. Input chunks end anywhere, so assay parses the header itself (the
 * isal_header state machine below) and runs isal_inflate with
 * ISAL_GZIP_NO_HDR_VER: raw deflate, then ISA-L reads and checks the 8-byte
 * trailer, leaving next_in exactly after it. isal_inflate copies internally
 * when the output buffer is small and keeps the 32 KiB history across calls,
 * so output blocks of any size work.
 *
 * ISA-L's fast decode loop (igzip_decode_block_stateless.asm, 2.30) moves
 * next_out past a match before it checks the match distance, so when it
 * reports ISAL_INVALID_LOOKBACK the last match's bytes (up to 258) are stale
 * buffer contents, not data, yet counted as output (found by fuzz_gzip; kept
 * in tests/fuzz/regress/fuzz_gzip/). The fault is reported by the call that
 * made those bytes, at the end of its output, so isal_step withholds the last
 * ISAL_GARBAGE_MAX bytes of that call's output (also on ISAL_INVALID_SYMBOL,
 * which the same loop reports, as a precaution): on a corrupt member ISA-L
 * may show up to 258 fewer bytes before the fault than zlib, and never a byte
 * zlib would not show (fuzz_gzip checks that on every input).
 *
 * zlib. inflateInit2(16 + MAX_WBITS) parses the header and checks the trailer;
 * inflateReset between members. zlib reports faults as strings; the three
 * that need a precise message (data check, length check, header CRC) are
 * recognised by their text, stable since zlib 1.2.0.
 *
 * Offsets in errors are compressed offsets: in_base + bytes consumed, minus
 * what the inflater had read ahead (ISA-L buffers up to 8 bytes of bits), or
 * the position of the field that failed (CRC-32, ISIZE, header CRC).
 */
#include "engine/eng_codec_int.h"

#include <isa-l.h>   /* isal_inflate, struct inflate_state */
#include <stdarg.h>  /* va_list for gz_fail */
#include <stdio.h>   /* vsnprintf */
#include <string.h>  /* memchr, memcpy, memmove, strcmp */
#include <zlib.h>    /* inflate (the fallback), crc32 for the header CRC-16 */

/* ---- RFC 1952 constants ---- */
#define GZ_ID1         0x1f
#define GZ_ID2         0x8b
#define GZ_CM_DEFLATE  8
#define GZ_FHCRC       0x02  /* header CRC-16 present */
#define GZ_FEXTRA      0x04  /* extra field present */
#define GZ_FNAME       0x08  /* NUL-terminated file name present */
#define GZ_FCOMMENT    0x10  /* NUL-terminated comment present */
#define GZ_FRESERVED   0xe0  /* must be zero (RFC 1952 2.3.1.2) */
#define GZ_FIXED_LEN   10    /* ID1 ID2 CM FLG MTIME[4] XFL OS */
#define GZ_CHECKED_LEN 4     /* ID1 ID2 CM FLG: checked by the framing */
#define GZ_TAIL_LEN    8     /* trailer: CRC-32, ISIZE; also the size of g->tail */
#define GZ_ZLIB_WBITS  (16 + MAX_WBITS) /* zlib: gzip wrapper only, 32 KiB window */
#define ISAL_GARBAGE_MAX 258        /* longest deflate match: see "ISA-L's fast decode loop" */

/* Input for the calls that only drain an inflater (never NULL: NULL + 0 is
 * undefined behaviour, and UBSan says so). */
static const uint8_t k_no_input[1];

typedef enum gz_phase {
    GZ_PHASE_MEMBER,   /* inside a member; also before the first byte of the stream */
    GZ_PHASE_BETWEEN,  /* right after a complete member */
    GZ_PHASE_PADDING,  /* in zero bytes after a complete member */
    GZ_PHASE_DEAD,     /* failed: g->keep holds the error */
} gz_phase;

/* The ISA-L path's header parser: the parts of a header, in stream order. */
typedef enum gz_hs {
    GZ_HS_FIXED,    /* the 10 fixed bytes */
    GZ_HS_XLEN,     /* FEXTRA: its 2-byte length */
    GZ_HS_EXTRA,    /* FEXTRA: the field itself */
    GZ_HS_NAME,     /* FNAME: up to and including its NUL */
    GZ_HS_COMMENT,  /* FCOMMENT: up to and including its NUL */
    GZ_HS_HCRC,     /* FHCRC: low 16 bits of the CRC-32 of the header so far */
    GZ_HS_DONE,     /* deflate data follows */
} gz_hs;

typedef enum gz_step {
    GZ_STEP_MORE,   /* member not finished: needs more input or output room */
    GZ_STEP_END,    /* member complete and fully flushed, trailer checked */
    GZ_STEP_FAULT,  /* see the gz_fault */
} gz_step;

typedef enum gz_fault_kind {
    GZ_FAULT_HCRC,      /* header CRC-16 mismatch */
    GZ_FAULT_DATA,      /* invalid deflate data; detail says what */
    GZ_FAULT_TRAILER,   /* CRC-32 or ISIZE mismatch */
    GZ_FAULT_NOMEM,     /* zlib could not allocate its window */
    GZ_FAULT_INTERNAL,  /* the library refused a call it should accept */
} gz_fault_kind;

typedef struct gz_fault {
    gz_fault_kind kind;
    const char   *detail;      /* static text for DATA and INTERNAL */
    size_t        back;        /* DATA, HCRC: the fault lies this many bytes before the end of
                                * what was consumed (read-ahead, the field's length) */
    size_t        crc_back;    /* TRAILER: the stored CRC-32 starts this many bytes before the
                                * end of what was consumed; 0 = this fault is not about it */
    size_t        isize_back;  /* TRAILER: the same for ISIZE */
    uint32_t      crc;         /* TRAILER: CRC-32 of the decoded member */
    uint32_t      isize;       /* TRAILER: decoded length mod 2^32 */
} gz_fault;

struct eng_gz {
    eng_gz_impl impl;          /* ENG_GZ_ISAL or ENG_GZ_ZLIB */
    gz_phase    phase;
    uint64_t    n_members;     /* complete members */
    uint64_t    n_padding;     /* zero bytes after the last member */
    uint64_t    member_start;  /* compressed offset of the current member's ID1 */
    uint64_t    member_pos;    /* bytes of the current member consumed so far */
    uint8_t     tail[GZ_TAIL_LEN]; /* the last bytes consumed, newest last */
    as_err      keep;          /* the fault, once phase == GZ_PHASE_DEAD */

    /* ISA-L path */
    struct inflate_state *isal;  /* owned (as_malloc), ~85 KiB; NULL on the zlib path */
    gz_hs       hs;            /* header part being parsed */
    uint8_t     hflags;        /* FLG of the current member */
    uint32_t    hneed;         /* bytes left in FIXED, XLEN, EXTRA or HCRC */
    uint32_t    hval;          /* XLEN or the stored header CRC, little-endian, being assembled */
    uint32_t    xlen;          /* FEXTRA length */
    uLong       hcrc;          /* CRC-32 of the header bytes before the HCRC field */

    /* zlib path */
    z_stream   *z;             /* owned (as_calloc); NULL on the ISA-L path */
    int         z_ready;       /* inflateInit2 succeeded, so inflateEnd is due */
};

/* ---- small helpers ---- */

static uint32_t le32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Appends the n bytes just consumed to the tail window. */
static void tail_push(eng_gz *g, const uint8_t *p, size_t n)
{
    if (n >= GZ_TAIL_LEN) {
        memcpy(g->tail, p + n - GZ_TAIL_LEN, GZ_TAIL_LEN);
    } else if (n > 0) {
        memmove(g->tail, g->tail + n, GZ_TAIL_LEN - n);
        memcpy(g->tail + GZ_TAIL_LEN - n, p, n);
    }
}

/* The little-endian 32-bit field that starts `back` bytes before the end of
 * what was consumed (4 <= back <= 8). */
static uint32_t tail_le32(const eng_gz *g, size_t back)
{
    return le32_at(g->tail + GZ_TAIL_LEN - back);
}

static unsigned long long member_no(const eng_gz *g)
{
    return (unsigned long long)g->n_members + 1;
}

static as_code gz_fail(eng_gz *g, as_err *err, as_code code, uint64_t offset, const char *fmt, ...)
    AS_PRINTF(5, 6);

static as_code gz_fail(eng_gz *g, as_err *err, as_code code, uint64_t offset, const char *fmt, ...)
{
    char msg[AS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    g->phase = GZ_PHASE_DEAD;
    return eng_codec_fail(&g->keep, err, code, offset, "%s", msg);
}

/* ---- ISA-L path ---- */

/* Moves to the next header part this member has (FLG decides). */
static void isal_header_advance(eng_gz *g)
{
    for (;;) {
        g->hs = (gz_hs)(g->hs + 1);
        switch (g->hs) {
        case GZ_HS_XLEN:
            if (g->hflags & GZ_FEXTRA) {
                g->hneed = 2;
                g->hval = 0;
                return;
            }
            break;
        case GZ_HS_EXTRA:
            if (g->xlen > 0) {
                g->hneed = g->xlen;
                return;
            }
            break;
        case GZ_HS_NAME:
            if (g->hflags & GZ_FNAME)
                return;
            break;
        case GZ_HS_COMMENT:
            if (g->hflags & GZ_FCOMMENT)
                return;
            break;
        case GZ_HS_HCRC:
            if (g->hflags & GZ_FHCRC) {
                g->hneed = 2;
                g->hval = 0;
                return;
            }
            break;
        default:
            return;  /* GZ_HS_DONE */
        }
    }
}

/* Parses header bytes from p[0..n); *used gets what it consumed. Returns MORE
 * (header done, or input used up) or FAULT (header CRC). The framing has
 * already checked ID1, ID2, CM and the reserved FLG bits. */
static gz_step isal_header(eng_gz *g, const uint8_t *p, size_t n, size_t *used, gz_fault *f)
{
    size_t i = 0;
    while (g->hs != GZ_HS_DONE && i < n) {
        const uint8_t *seg = p + i;
        size_t avail = n - i, take;
        int part_done;
        switch (g->hs) {
        case GZ_HS_FIXED: {
            take = AS_MIN(avail, (size_t)g->hneed);
            size_t first = GZ_FIXED_LEN - g->hneed;   /* header index of seg[0] */
            if (first <= 3 && 3 < first + take)
                g->hflags = seg[3 - first];
            g->hneed -= (uint32_t)take;
            part_done = g->hneed == 0;
            break;
        }
        case GZ_HS_XLEN:
        case GZ_HS_HCRC:
            take = AS_MIN(avail, (size_t)g->hneed);
            for (size_t j = 0; j < take; j++)
                g->hval |= (uint32_t)seg[j] << (8 * (2 - g->hneed + j));
            g->hneed -= (uint32_t)take;
            part_done = g->hneed == 0;
            break;
        case GZ_HS_EXTRA:
            take = AS_MIN(avail, (size_t)g->hneed);
            g->hneed -= (uint32_t)take;
            part_done = g->hneed == 0;
            break;
        default: {  /* GZ_HS_NAME, GZ_HS_COMMENT */
            const uint8_t *nul = memchr(seg, 0, avail);
            take = nul ? (size_t)(nul - seg) + 1 : avail;
            part_done = nul != NULL;
            break;
        }
        }
        if (g->hs != GZ_HS_HCRC)
            g->hcrc = crc32(g->hcrc, seg, (uInt)take);
        i += take;
        if (!part_done)
            continue;
        if (g->hs == GZ_HS_XLEN) {
            g->xlen = g->hval;
        } else if (g->hs == GZ_HS_HCRC && g->hval != (g->hcrc & 0xffffu)) {
            *used = i;
            f->kind = GZ_FAULT_HCRC;
            f->back = 2;
            return GZ_STEP_FAULT;
        }
        isal_header_advance(g);
    }
    *used = i;
    return GZ_STEP_MORE;
}

static void isal_member_begin(eng_gz *g)
{
    isal_inflate_reset(g->isal);
    g->isal->crc_flag = ISAL_GZIP_NO_HDR_VER;  /* raw deflate, then check the gzip trailer */
    g->hs = GZ_HS_FIXED;
    g->hneed = GZ_FIXED_LEN;
    g->hflags = 0;
    g->hval = 0;
    g->xlen = 0;
    g->hcrc = crc32(0L, Z_NULL, 0);
}

static gz_step isal_step(eng_gz *g, const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out,
                         size_t *used, size_t *made, gz_fault *f)
{
    size_t hdr = 0;
    *used = 0;
    *made = 0;
    if (g->hs != GZ_HS_DONE) {
        gz_step s = isal_header(g, in, n_in, &hdr, f);
        *used = hdr;
        if (s != GZ_STEP_MORE || g->hs != GZ_HS_DONE)
            return s;
        in += hdr;
        n_in -= hdr;
    }
    struct inflate_state *st = g->isal;
    st->next_in = (uint8_t *)in;  /* drops const: ISA-L never writes through next_in */
    st->avail_in = (uint32_t)AS_MIN(n_in, ENG_CODEC_STEP_MAX);
    st->next_out = out;
    st->avail_out = (uint32_t)AS_MIN(n_out, ENG_CODEC_STEP_MAX);
    int r = isal_inflate(st);
    *used += (size_t)(st->next_in - in);
    *made = (size_t)(st->next_out - out);
    switch (r) {
    case ISAL_DECOMP_OK:
        return st->block_state == ISAL_BLOCK_FINISH ? GZ_STEP_END : GZ_STEP_MORE;
    case ISAL_INCORRECT_CHECKSUM:
        /* check_gzip_checksum compares both fields at once and leaves next_in
         * right after the trailer; the framing finds out which one differs. */
        f->kind = GZ_FAULT_TRAILER;
        f->crc_back = GZ_TAIL_LEN;
        f->isize_back = GZ_TAIL_LEN / 2;
        f->crc = st->crc;
        f->isize = st->total_out;
        return GZ_STEP_FAULT;
    case ISAL_INVALID_SYMBOL:
    case ISAL_INVALID_LOOKBACK:
        *made -= AS_MIN(*made, (size_t)ISAL_GARBAGE_MAX);  /* see the top comment */
        /* fall through */
    case ISAL_INVALID_BLOCK:
        f->kind = GZ_FAULT_DATA;
        f->detail = r == ISAL_INVALID_BLOCK    ? "isal: invalid block"
                  : r == ISAL_INVALID_SYMBOL   ? "isal: invalid code"
                                               : "isal: distance too far back";
        f->back = st->read_in_length > 0 ? (size_t)st->read_in_length / 8 : 0;
        return GZ_STEP_FAULT;
    default:
        f->kind = GZ_FAULT_INTERNAL;
        f->detail = "isal_inflate returned an unexpected code";
        return GZ_STEP_FAULT;
    }
}

/* ---- zlib path ---- */

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return as_malloc((size_t)items * size);  /* uInt * uInt fits in a 64-bit size_t */
}

static void zlib_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    as_free(p);
}

static gz_step zlib_step(eng_gz *g, const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out,
                         size_t *used, size_t *made, gz_fault *f)
{
    z_stream *z = g->z;
    z->next_in = (Bytef *)in;  /* drops const: zlib never writes through next_in */
    z->avail_in = (uInt)AS_MIN(n_in, ENG_CODEC_STEP_MAX);
    z->next_out = out;
    z->avail_out = (uInt)AS_MIN(n_out, ENG_CODEC_STEP_MAX);
    int r = inflate(z, Z_NO_FLUSH);
    *used = (size_t)(z->next_in - (const Bytef *)in);
    *made = (size_t)(z->next_out - out);
    switch (r) {
    case Z_STREAM_END:
        return GZ_STEP_END;
    case Z_OK:
    case Z_BUF_ERROR:  /* no progress possible now: more input or room needed */
        return GZ_STEP_MORE;
    case Z_MEM_ERROR:
        f->kind = GZ_FAULT_NOMEM;
        return GZ_STEP_FAULT;
    case Z_DATA_ERROR: {
        const char *m = z->msg ? z->msg : "invalid data";
        if (strcmp(m, "incorrect data check") == 0) {
            f->kind = GZ_FAULT_TRAILER;  /* zlib has read the 4 CRC bytes, not ISIZE */
            f->crc_back = 4;
            f->isize_back = 0;
            f->crc = (uint32_t)z->adler;
        } else if (strcmp(m, "incorrect length check") == 0) {
            f->kind = GZ_FAULT_TRAILER;  /* CRC matched; zlib has read ISIZE */
            f->crc_back = 0;
            f->isize_back = 4;
            f->isize = (uint32_t)z->total_out;
        } else if (strcmp(m, "header crc mismatch") == 0) {
            f->kind = GZ_FAULT_HCRC;
            f->back = 2;
        } else {
            f->kind = GZ_FAULT_DATA;
            f->detail = m;
            f->back = 0;
        }
        return GZ_STEP_FAULT;
    }
    default:  /* Z_STREAM_ERROR, Z_NEED_DICT (gzip has no FDICT) */
        f->kind = GZ_FAULT_INTERNAL;
        f->detail = z->msg ? z->msg : "inflate returned an unexpected code";
        return GZ_STEP_FAULT;
    }
}

/* ---- framing ---- */

static void gz_member_begin(eng_gz *g)
{
    g->phase = GZ_PHASE_MEMBER;
    g->member_pos = 0;
    if (g->impl == ENG_GZ_ISAL)
        isal_member_begin(g);
    else
        inflateReset(g->z);
}

static gz_step gz_step_member(eng_gz *g, const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out,
                              size_t *used, size_t *made, gz_fault *f)
{
    gz_step s = g->impl == ENG_GZ_ISAL ? isal_step(g, in, n_in, out, n_out, used, made, f)
                                       : zlib_step(g, in, n_in, out, n_out, used, made, f);
    tail_push(g, in, *used);
    g->member_pos += *used;
    if (s == GZ_STEP_END) {
        g->n_members++;
        g->phase = GZ_PHASE_BETWEEN;
    }
    return s;
}

/* Checks the member's bytes 0..3 among p[0..n) (p is at member_pos). Returns
 * AS_OK or the fault. */
static as_code gz_check_fixed(eng_gz *g, const uint8_t *p, size_t n, uint64_t off, as_err *err)
{
    for (size_t i = 0; i < n && g->member_pos + i < GZ_CHECKED_LEN; i++) {
        uint8_t b = p[i];
        switch (g->member_pos + i) {
        case 0:
            if (b != GZ_ID1)
                return gz_fail(g, err, AS_ERR_CORRUPT, off + i,
                               "gzip member %llu: bad magic (byte 0x%02x, expected 1f 8b)", member_no(g), b);
            break;
        case 1:
            if (b != GZ_ID2)
                return gz_fail(g, err, AS_ERR_CORRUPT, off + i,
                               "gzip member %llu: bad magic (1f %02x, expected 1f 8b)", member_no(g), b);
            break;
        case 2:
            if (b != GZ_CM_DEFLATE)
                return gz_fail(g, err, AS_ERR_CORRUPT, off + i,
                               "gzip member %llu: unsupported compression method %u (8 = deflate)", member_no(g), b);
            break;
        default:
            if (b & GZ_FRESERVED)
                return gz_fail(g, err, AS_ERR_CORRUPT, off + i,
                               "gzip member %llu: reserved header flag bits set (FLG 0x%02x)", member_no(g), b);
            break;
        }
    }
    return AS_OK;
}

/* Turns an inflater fault into an error; end = compressed offset just after
 * the bytes consumed so far. */
static as_code gz_fault_fail(eng_gz *g, const gz_fault *f, uint64_t end, as_err *err)
{
    unsigned long long m = member_no(g);
    size_t back = AS_MIN(f->back, (size_t)AS_MIN(g->member_pos, (uint64_t)GZ_TAIL_LEN));
    switch (f->kind) {
    case GZ_FAULT_HCRC:
        return gz_fail(g, err, AS_ERR_CORRUPT, end - back, "gzip member %llu: header CRC-16 mismatch", m);
    case GZ_FAULT_DATA:
        return gz_fail(g, err, AS_ERR_CORRUPT, end - back, "gzip member %llu: invalid deflate data (%s)", m,
                       f->detail);
    case GZ_FAULT_TRAILER:
        if (f->crc_back && g->member_pos >= f->crc_back && tail_le32(g, f->crc_back) != f->crc)
            return gz_fail(g, err, AS_ERR_CORRUPT, end - f->crc_back,
                           "gzip member %llu: CRC-32 mismatch (stored %08x, computed %08x)", m,
                           (unsigned)tail_le32(g, f->crc_back), (unsigned)f->crc);
        if (f->isize_back && g->member_pos >= f->isize_back)
            return gz_fail(g, err, AS_ERR_CORRUPT, end - f->isize_back,
                           "gzip member %llu: ISIZE mismatch (stored %u, decoded %u mod 2^32)", m,
                           (unsigned)tail_le32(g, f->isize_back), (unsigned)f->isize);
        return gz_fail(g, err, AS_ERR_CORRUPT, end, "gzip member %llu: trailer check failed", m);
    case GZ_FAULT_NOMEM:
        return gz_fail(g, err, AS_ERR_NOMEM, end, "gzip member %llu: out of memory for the inflate window", m);
    default:
        return gz_fail(g, err, AS_ERR_INTERNAL, end, "gzip member %llu: %s", m, f->detail);
    }
}

eng_gz *eng_codec_gz_new(eng_gz_impl impl)
{
    eng_gz *g = as_calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->impl = impl;
    g->phase = GZ_PHASE_MEMBER;
    if (impl == ENG_GZ_ISAL) {
        g->isal = as_malloc(sizeof *g->isal);
        if (g->isal == NULL)
            goto fail;
        isal_inflate_init(g->isal);
        isal_member_begin(g);
    } else {
        g->z = as_calloc(1, sizeof *g->z);
        if (g->z == NULL)
            goto fail;
        g->z->zalloc = zlib_alloc;
        g->z->zfree = zlib_free;
        if (inflateInit2(g->z, GZ_ZLIB_WBITS) != Z_OK)
            goto fail;
        g->z_ready = 1;
    }
    return g;
fail:
    eng_codec_gz_free(g);
    return NULL;
}

void eng_codec_gz_free(eng_gz *g)
{
    if (g == NULL)
        return;
    if (g->z_ready)
        inflateEnd(g->z);
    as_free(g->z);
    as_free(g->isal);
    as_free(g);
}

const char *eng_codec_gz_impl(const eng_gz *g)
{
    return g->impl == ENG_GZ_ISAL ? "isal" : "zlib";
}

eng_codec_stats eng_codec_gz_stats(const eng_gz *g)
{
    return (eng_codec_stats){ .n_members = g->n_members, .n_padding = g->n_padding };
}

as_code eng_codec_gz_run(eng_gz *g, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err)
{
    if (g->phase == GZ_PHASE_DEAD)
        return eng_codec_replay(&g->keep, err);
    while (in->pos < in->size && out->pos < out->size) {
        const uint8_t *p = in->src + in->pos;
        size_t n = in->size - in->pos;
        uint64_t off = in_base + in->pos;
        switch (g->phase) {
        case GZ_PHASE_BETWEEN:
            if (p[0] == GZ_ID1) {
                gz_member_begin(g);      /* the ID1 is consumed by the member */
            } else if (p[0] == 0) {
                g->phase = GZ_PHASE_PADDING;
            } else {
                return gz_fail(g, err, AS_ERR_CORRUPT, off,
                               "trailing garbage after gzip member %llu (byte 0x%02x)",
                               (unsigned long long)g->n_members, p[0]);
            }
            break;
        case GZ_PHASE_PADDING: {
            size_t z = 0;
            while (z < n && p[z] == 0)
                z++;
            g->n_padding += z;
            in->pos += z;
            if (z < n)
                return gz_fail(g, err, AS_ERR_CORRUPT, off + z,
                               "byte 0x%02x after %llu zero bytes of padding following gzip member %llu",
                               p[z], (unsigned long long)g->n_padding, (unsigned long long)g->n_members);
            break;
        }
        default: {  /* GZ_PHASE_MEMBER */
            if (g->member_pos == 0)
                g->member_start = off;
            if (g->member_pos < GZ_CHECKED_LEN)
                AS_TRY(gz_check_fixed(g, p, n, off, err));
            size_t used, made;
            gz_fault f = { 0 };
            gz_step s = gz_step_member(g, p, n, out->dst + out->pos, out->size - out->pos, &used, &made, &f);
            in->pos += used;
            out->pos += made;
            if (s == GZ_STEP_FAULT)
                return gz_fault_fail(g, &f, in_base + in->pos, err);
            if (s == GZ_STEP_MORE && used == 0 && made == 0)
                return gz_fail(g, err, AS_ERR_INTERNAL, in_base + in->pos,
                               "gzip member %llu: %s inflater made no progress", member_no(g),
                               eng_codec_gz_impl(g));
            break;
        }
        }
    }
    return AS_OK;
}

as_code eng_codec_gz_end(eng_gz *g, eng_outbuf *out, uint64_t total_in, int *more, as_err *err)
{
    *more = 0;
    if (g->phase == GZ_PHASE_DEAD)
        return eng_codec_replay(&g->keep, err);
    if (g->phase != GZ_PHASE_MEMBER)
        return AS_OK;                        /* after a member, or in zero padding */
    if (g->member_pos == 0 && g->n_members == 0)
        return gz_fail(g, err, AS_ERR_TRUNCATED, total_in, "empty gzip stream (no member)");
    for (;;) {
        /* Drain what the inflater holds; this may also finish the member
         * (ISA-L checks the trailer only once the output is flushed). */
        uint8_t spare;
        size_t room = out->size - out->pos;
        size_t used = 0, made = 0;
        gz_fault f = { 0 };
        gz_step s = GZ_STEP_MORE;
        if (g->member_pos > 0)
            s = gz_step_member(g, k_no_input, 0, room ? out->dst + out->pos : &spare, room, &used, &made, &f);
        out->pos += made;
        if (s == GZ_STEP_FAULT)
            return gz_fault_fail(g, &f, total_in, err);
        if (s == GZ_STEP_END)
            return AS_OK;
        if (made == 0 && room > 0)
            return gz_fail(g, err, AS_ERR_TRUNCATED, total_in,
                           "truncated gzip stream: member %llu (from byte %llu) is incomplete", member_no(g),
                           (unsigned long long)g->member_start);
        if (out->pos == out->size) {
            *more = 1;                       /* maybe more: ask for room */
            return AS_OK;
        }
    }
}
