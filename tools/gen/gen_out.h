/* gen_out.h: output sinks of assay-gen: a file written plain, as gzip (ISA-L
 * igzip, level 1) or as zstd (libzstd, level 1), through one buffer.
 *
 * Generators append decompressed bytes to o->buf (gen_out_room/commit or
 * gen_out_put) and call gen_out_maybe_flush after each record; whenever the
 * buffer holds GEN_OUT_CHUNK bytes it is compressed and written with one big
 * fwrite. Flush points depend only on the bytes, so the compressed output is
 * the same at any thread count. The sink counts what the truth file needs:
 * stored and decompressed bytes, physical lines and the SHA-256 of the stored
 * bytes. gen_out_end_member ends a gzip member / zstd frame (multi-member
 * files) and gen_out_raw writes stored bytes verbatim (a zstd skippable frame,
 * the truncated header of a broken gzip file).
 * Appends never fail loudly: running out of memory sets the sticky o->failed,
 * reported by the next flush or close. Thread-safety: one gen_out per job.
 */
#ifndef ASSAY_GEN_OUT_H
#define ASSAY_GEN_OUT_H

#include <stdio.h>  /* FILE */

#include "core/as.h"

typedef enum gen_comp {
    GEN_COMP_NONE = 0, /* plain bytes */
    GEN_COMP_GZIP,     /* RFC 1952 via ISA-L, level 1 */
    GEN_COMP_ZSTD,     /* RFC 8878 via libzstd, level 1, with checksum */
} gen_comp;

const char *gen_comp_name(gen_comp c); /* "none", "gzip", "zstd" (truth.json) */
const char *gen_comp_ext(gen_comp c);  /* "", ".gz", ".zst" */

#define GEN_OUT_CHUNK (1u << 20) /* 1 MiB: compress/write granularity */

/* What a closed file looked like. */
typedef struct gen_out_stats {
    uint64_t bytes_stored;              /* size on disk */
    uint64_t bytes_decompressed;        /* bytes the generator wrote */
    uint64_t lines;                     /* physical lines: LFs, plus 1 if the data ends without LF */
    char     sha256[AS_SHA256_HEX];     /* of the stored bytes, lower-case hex */
} gen_out_stats;

typedef struct gen_out {
    as_buf    buf;          /* pending decompressed bytes (public: generators append here) */
    int       failed;       /* sticky: an append ran out of memory */
    /* private below */
    gen_comp  comp;         /* how bytes are stored */
    FILE     *f;            /* the open file */
    char     *path;         /* full path, owned, for error messages */
    as_sha256 sha;          /* over stored bytes */
    uint64_t  raw_done;     /* decompressed bytes already handed to the compressor/file */
    uint64_t  stored;       /* bytes written to f */
    uint64_t  lines;        /* LFs in raw_done bytes */
    int       last_byte;    /* last decompressed byte handed on, -1 before any */
    int       member_open;  /* a gzip member / zstd frame has started and not ended */
    void     *zc;           /* ZSTD_CCtx *, owned (zstd) */
    void     *gz;           /* struct isal_zstream *, owned (gzip) */
    uint8_t  *gz_level_buf; /* ISA-L level-1 work buffer, owned */
    uint8_t  *cbuf;         /* compressed scratch, owned */
    size_t    cbuf_cap;     /* its size */
} gen_out;

/* Creates root/rel (making parent folders) and prepares the compressor.
 * Returns AS_OK, AS_ERR_OPEN or AS_ERR_NOMEM (err filled). On failure
 * nothing needs to be freed. */
as_code gen_out_open(gen_out *o, const char *root, const char *rel, gen_comp comp, as_err *err) AS_MUST_USE;

char *gen_out_room_slow_(gen_out *o, size_t n);

/* A pointer where n more bytes may be written, or NULL (o->failed set) when
 * memory runs out. Pair with gen_out_commit(o, end). */
static inline char *gen_out_room(gen_out *o, size_t n)
{
    if (AS_LIKELY(o->buf.cap - o->buf.len > n))
        return o->buf.data + o->buf.len;
    return gen_out_room_slow_(o, n);
}

/* Marks everything up to end (a pointer from gen_out_room) as written. */
static inline void gen_out_commit(gen_out *o, const char *end)
{
    o->buf.len = (size_t)(end - o->buf.data);
    o->buf.data[o->buf.len] = '\0';
}

static inline void gen_out_put(gen_out *o, const void *p, size_t n)
{
    char *w = gen_out_room(o, n);
    if (w != NULL) {
        memcpy(w, p, n);
        gen_out_commit(o, w + n);
    }
}

static inline void gen_out_puts(gen_out *o, const char *s) { gen_out_put(o, s, strlen(s)); }

/* Decompressed byte offset of the next byte to be written. */
static inline uint64_t gen_out_pos(const gen_out *o) { return o->raw_done + o->buf.len; }

/* Compresses and writes the buffer. AS_OK, AS_ERR_WRITE or AS_ERR_NOMEM. */
as_code gen_out_flush(gen_out *o, as_err *err) AS_MUST_USE;

static inline as_code gen_out_maybe_flush(gen_out *o, as_err *err)
{
    if (o->buf.len < GEN_OUT_CHUNK && !o->failed)
        return AS_OK;
    return gen_out_flush(o, err);
}

/* Flushes and ends the current gzip member / zstd frame; later data starts a
 * new one. A no-op for plain files. */
as_code gen_out_end_member(gen_out *o, as_err *err) AS_MUST_USE;

/* Writes stored bytes verbatim (after flushing and ending the open member). */
as_code gen_out_raw(gen_out *o, const void *p, size_t n, as_err *err) AS_MUST_USE;

/* Flushes, ends an open member (an empty compressed file gets one empty
 * member), closes and fills *st. The sink is released whatever happens. */
as_code gen_out_close(gen_out *o, gen_out_stats *st, as_err *err) AS_MUST_USE;

/* Releases a sink after an error without finishing the file. */
void gen_out_abort(gen_out *o);

/* mkdir -p of every folder in path up to its last '/'. 0, or -1 (errno). */
int gen_mkdirs_for(const char *path);

#endif
