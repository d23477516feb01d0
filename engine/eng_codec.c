/* eng_codec.c: magic-byte sniffing and the eng_codec front end (see
 * eng_codec.h). The front end only dispatches on the compression: the gzip
 * framing and its two inflaters live in eng_codec_gz.c, zstd in
 * eng_codec_zstd.c; eng_codec_int.h is the seam between them.
 */
#include "engine/eng.h"  /* eng_file_head */
#include "engine/eng_codec_int.h"

#include <stdarg.h>  /* va_list for eng_codec_fail */
#include <stdio.h>   /* vsnprintf; fopen for eng_file_head */
#include <string.h>  /* memcpy */

/* Magic numbers (RFC 1952 2.3.1, RFC 8878 3.1.1 and 3.1.2). */
#define GZIP_ID1           0x1f
#define GZIP_ID2           0x8b
#define ZSTD_MAGIC_LE      0xfd2fb528u /* bytes 28 b5 2f fd */
#define ZSTD_SKIP_MAGIC_LE 0x184d2a50u /* 0x184D2A50..5F: bytes 5? 2a 4d 18 */
#define ZSTD_SKIP_MASK     0xfffffff0u /* the low nibble is free */

struct eng_codec {
    eng_comp comp;     /* ENG_COMP_GZIP or ENG_COMP_ZSTD */
    union {
        eng_gz *gz;    /* comp == ENG_COMP_GZIP; owned */
        eng_zs *zs;    /* comp == ENG_COMP_ZSTD; owned */
    } u;
};

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

eng_comp eng_comp_sniff(const void *p, size_t n)
{
    const uint8_t *b = p;
    if (n >= 2 && b[0] == GZIP_ID1 && b[1] == GZIP_ID2)
        return ENG_COMP_GZIP;
    if (n >= 4) {
        uint32_t m = load_le32(b);
        if (m == ZSTD_MAGIC_LE || (m & ZSTD_SKIP_MASK) == ZSTD_SKIP_MAGIC_LE)
            return ENG_COMP_ZSTD;
    }
    return ENG_COMP_NONE;
}

const char *eng_comp_name(eng_comp c)
{
    switch (c) {
    case ENG_COMP_GZIP: return "gzip";
    case ENG_COMP_ZSTD: return "zstd";
    default:            return "none";
    }
}

eng_codec *eng_codec_new(eng_comp comp, eng_gz_impl gz)
{
    if (comp != ENG_COMP_GZIP && comp != ENG_COMP_ZSTD)
        return NULL;
    if (gz != ENG_GZ_AUTO && gz != ENG_GZ_ISAL && gz != ENG_GZ_ZLIB)
        return NULL;
    eng_codec *c = as_calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->comp = comp;
    int ok;
    if (comp == ENG_COMP_GZIP)
        ok = (c->u.gz = eng_codec_gz_new(gz == ENG_GZ_ZLIB ? ENG_GZ_ZLIB : ENG_GZ_ISAL)) != NULL;
    else
        ok = (c->u.zs = eng_codec_zs_new()) != NULL;
    if (!ok) {
        as_free(c);
        return NULL;
    }
    return c;
}

void eng_codec_free(eng_codec *c)
{
    if (c == NULL)
        return;
    if (c->comp == ENG_COMP_GZIP)
        eng_codec_gz_free(c->u.gz);
    else
        eng_codec_zs_free(c->u.zs);
    as_free(c);
}

const char *eng_codec_impl(const eng_codec *c)
{
    return c->comp == ENG_COMP_GZIP ? eng_codec_gz_impl(c->u.gz) : "zstd";
}

as_code eng_codec_run(eng_codec *c, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err)
{
    if (c->comp == ENG_COMP_GZIP)
        return eng_codec_gz_run(c->u.gz, in, out, in_base, err);
    return eng_codec_zs_run(c->u.zs, in, out, in_base, err);
}

as_code eng_codec_end(eng_codec *c, eng_outbuf *out, uint64_t total_in, int *more, as_err *err)
{
    if (c->comp == ENG_COMP_GZIP)
        return eng_codec_gz_end(c->u.gz, out, total_in, more, err);
    return eng_codec_zs_end(c->u.zs, out, total_in, more, err);
}

eng_codec_stats eng_codec_get_stats(const eng_codec *c)
{
    return c->comp == ENG_COMP_GZIP ? eng_codec_gz_stats(c->u.gz) : eng_codec_zs_stats(c->u.zs);
}

/* ---- shared helpers (eng_codec_int.h) ---- */

as_code eng_codec_fail(as_err *keep, as_err *err, as_code code, uint64_t offset, const char *fmt, ...)
{
    char msg[AS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    as_loc loc = { .offset = offset, .has_offset = 1 };
    as_err_clear(keep);
    as_err_set(keep, code, loc, "%s", msg);
    return eng_codec_replay(keep, err);
}

as_code eng_codec_replay(const as_err *keep, as_err *err)
{
    return as_err_set(err, keep->code, keep->loc, "%s", keep->msg);
}

size_t eng_file_head(const char *path, void *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    uint8_t raw[16384];
    size_t nr = fread(raw, 1, sizeof raw, f), got = 0;
    eng_comp comp = eng_comp_sniff(raw, nr);
    if (comp == ENG_COMP_NONE) {
        got = nr < cap ? nr : cap;
        memcpy(buf, raw, got);
        fclose(f);
        return got;
    }
    /* a zstd block (up to 128 KiB) gives nothing before it is whole: read
     * on until the head is full, up to 4 MiB of compressed bytes */
    eng_codec *c = eng_codec_new(comp, ENG_GZ_AUTO);
    eng_outbuf out = { buf, cap, 0 };
    as_err err;
    as_err_clear(&err);
    uint64_t base = 0;
    int ok = c != NULL;
    while (ok && nr > 0 && out.pos < out.size && base < (4u << 20)) {
        eng_inbuf in = { raw, nr, 0 };
        while (ok && in.pos < in.size && out.pos < out.size)
            ok = eng_codec_run(c, &in, &out, base, &err) == AS_OK;
        base += nr;
        nr = fread(raw, 1, sizeof raw, f);
    }
    got = out.pos;                                  /* what decoded before any damage */
    eng_codec_free(c);
    fclose(f);
    return got;
}
