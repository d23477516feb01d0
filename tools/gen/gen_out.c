/* gen_out.c: plain, gzip and zstd file sinks (see gen_out.h).
 *
 * gzip goes through ISA-L igzip at level 1 (several times faster than zlib
 * at level 1 on this kind of text) with the default gzip header, whose MTIME
 * is zero, so the bytes do not depend on the clock. zstd uses one
 * single-threaded ZSTD_CCtx at level 1 with the frame checksum on (as the
 * zstd command line does). Both are fed in GEN_OUT_CHUNK pieces. */
#include "tools/gen/gen_out.h"

#include <errno.h>      /* errno, EEXIST */
#include <string.h>     /* strerror */
#include <sys/stat.h>   /* mkdir */
#include <isa-l.h>      /* isal_deflate: the gzip compressor */
#include <zstd.h>       /* ZSTD_compressStream2 */

#define GEN_CBUF_SIZE (GEN_OUT_CHUNK + (GEN_OUT_CHUNK >> 2)) /* compressed scratch */

const char *gen_comp_name(gen_comp c)
{
    return c == GEN_COMP_GZIP ? "gzip" : c == GEN_COMP_ZSTD ? "zstd" : "none";
}

const char *gen_comp_ext(gen_comp c)
{
    return c == GEN_COMP_GZIP ? ".gz" : c == GEN_COMP_ZSTD ? ".zst" : "";
}

int gen_mkdirs_for(const char *path)
{
    size_t n = strlen(path);
    char *tmp = as_strndup(path, n);
    if (tmp == NULL)
        return -1;
    for (size_t i = 1; i < n; i++) {
        if (tmp[i] != '/')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            as_free(tmp);
            errno = e;
            return -1;
        }
        tmp[i] = '/';
    }
    as_free(tmp);
    return 0;
}

static void release(gen_out *o)
{
    if (o->f != NULL)
        fclose(o->f);
    o->f = NULL;
    if (o->zc != NULL)
        ZSTD_freeCCtx(o->zc);
    o->zc = NULL;
    as_free(o->gz);
    o->gz = NULL;
    as_free(o->gz_level_buf);
    o->gz_level_buf = NULL;
    as_free(o->cbuf);
    o->cbuf = NULL;
    if (o->sha.evp != NULL)
        as_sha256_fini(&o->sha);
    as_buf_fini(&o->buf);
    as_free(o->path);
    o->path = NULL;
}

/* Starts a gzip member: level 1, the default gzip header (MTIME 0). */
static void gz_setup(gen_out *o)
{
    struct isal_zstream *s = o->gz;
    isal_deflate_init(s);
    s->level = 1;
    s->level_buf = o->gz_level_buf;
    s->level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    s->gzip_flag = IGZIP_GZIP;
    s->flush = NO_FLUSH;
    s->end_of_stream = 0;
}

as_code gen_out_open(gen_out *o, const char *root, const char *rel, gen_comp comp, as_err *err)
{
    memset(o, 0, sizeof *o);
    as_buf_init(&o->buf);
    o->comp = comp;
    o->last_byte = -1;
    size_t lr = strlen(root), ll = strlen(rel);
    o->path = as_malloc(lr + ll + 2);
    if (o->path == NULL)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    memcpy(o->path, root, lr);
    o->path[lr] = '/';
    memcpy(o->path + lr + 1, rel, ll + 1);
    if (as_sha256_init(&o->sha) != 0 || as_buf_reserve(&o->buf, GEN_OUT_CHUNK + (64u << 10)) != 0) {
        release(o);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    if (comp != GEN_COMP_NONE) {
        o->cbuf_cap = GEN_CBUF_SIZE;
        o->cbuf = as_malloc(o->cbuf_cap);
        if (o->cbuf == NULL) {
            release(o);
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        }
    }
    if (comp == GEN_COMP_GZIP) {
        o->gz = as_malloc(sizeof(struct isal_zstream));
        o->gz_level_buf = as_malloc(ISAL_DEF_LVL1_DEFAULT);
        if (o->gz == NULL || o->gz_level_buf == NULL) {
            release(o);
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        }
        gz_setup(o);
    } else if (comp == GEN_COMP_ZSTD) {
        ZSTD_CCtx *c = ZSTD_createCCtx();
        o->zc = c;
        if (c == NULL || ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1))) {
            release(o);
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        }
    }
    if (gen_mkdirs_for(o->path) != 0 || (o->f = fopen(o->path, "wb")) == NULL) {
        as_code rc = as_err_set(err, AS_ERR_OPEN, (as_loc){ .src = NULL }, "cannot create %s: %s",
                                o->path, strerror(errno));
        release(o);
        return rc;
    }
    return AS_OK;
}

char *gen_out_room_slow_(gen_out *o, size_t n)
{
    if (o->failed)
        return NULL;
    if (as_buf_reserve(&o->buf, n) != 0) {
        o->failed = 1;
        return NULL;
    }
    return o->buf.data + o->buf.len;
}

static as_code write_stored(gen_out *o, const void *p, size_t n, as_err *err)
{
    if (n == 0)
        return AS_OK;
    if (fwrite(p, 1, n, o->f) != n)
        return as_err_set(err, AS_ERR_WRITE, (as_loc){ 0 }, "write %s: %s", o->path, strerror(errno));
    if (as_sha256_update(&o->sha, p, n) != 0)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    o->stored += n;
    return AS_OK;
}

static void count_lines(gen_out *o, const char *p, size_t n)
{
    const char *end = p + n;
    uint64_t lines = 0;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        lines++;
    o->lines += lines;
    if (n)
        o->last_byte = (unsigned char)p[n - 1];
}

/* Runs the gzip compressor over p[0..n); end_member finishes the member. */
static as_code gz_feed(gen_out *o, const uint8_t *p, size_t n, int end_member, as_err *err)
{
    struct isal_zstream *s = o->gz;
    s->next_in = (uint8_t *)p;
    s->avail_in = (uint32_t)n;
    s->end_of_stream = end_member ? 1 : 0;
    for (;;) {
        s->next_out = o->cbuf;
        s->avail_out = (uint32_t)o->cbuf_cap;
        if (isal_deflate(s) != COMP_OK)
            return as_err_set(err, AS_ERR_INTERNAL, (as_loc){ 0 }, "isal_deflate failed on %s", o->path);
        AS_TRY(write_stored(o, o->cbuf, o->cbuf_cap - s->avail_out, err));
        if (end_member) {
            if (s->internal_state.state == ZSTATE_END)
                break;
        } else if (s->avail_in == 0 && s->avail_out != 0) {
            break;
        }
    }
    if (end_member)
        gz_setup(o);  /* a fresh member: isal_deflate_reset would not write a new gzip header */
    return AS_OK;
}

static as_code zstd_feed(gen_out *o, const void *p, size_t n, ZSTD_EndDirective mode, as_err *err)
{
    ZSTD_inBuffer in = { p, n, 0 };
    for (;;) {
        ZSTD_outBuffer out = { o->cbuf, o->cbuf_cap, 0 };
        size_t left = ZSTD_compressStream2(o->zc, &out, &in, mode);
        if (ZSTD_isError(left))
            return as_err_set(err, AS_ERR_INTERNAL, (as_loc){ 0 }, "zstd: %s on %s", ZSTD_getErrorName(left),
                              o->path);
        AS_TRY(write_stored(o, o->cbuf, out.pos, err));
        if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size)
            break;
    }
    return AS_OK;
}

as_code gen_out_flush(gen_out *o, as_err *err)
{
    if (o->failed)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, "out of memory writing %s", o->path);
    size_t n = o->buf.len;
    if (n == 0)
        return AS_OK;
    count_lines(o, o->buf.data, n);
    if (o->comp == GEN_COMP_NONE) {
        AS_TRY(write_stored(o, o->buf.data, n, err));
    } else if (o->comp == GEN_COMP_GZIP) {
        AS_TRY(gz_feed(o, (const uint8_t *)o->buf.data, n, 0, err));
        o->member_open = 1;
    } else {
        AS_TRY(zstd_feed(o, o->buf.data, n, ZSTD_e_continue, err));
        o->member_open = 1;
    }
    o->raw_done += n;
    as_buf_clear(&o->buf);
    return AS_OK;
}

as_code gen_out_end_member(gen_out *o, as_err *err)
{
    AS_TRY(gen_out_flush(o, err));
    if (o->comp == GEN_COMP_GZIP)
        AS_TRY(gz_feed(o, NULL, 0, 1, err));
    else if (o->comp == GEN_COMP_ZSTD)
        AS_TRY(zstd_feed(o, NULL, 0, ZSTD_e_end, err));
    o->member_open = 0;
    return AS_OK;
}

as_code gen_out_raw(gen_out *o, const void *p, size_t n, as_err *err)
{
    if (o->member_open || o->buf.len)
        AS_TRY(gen_out_end_member(o, err));
    return write_stored(o, p, n, err);
}

as_code gen_out_close(gen_out *o, gen_out_stats *st, as_err *err)
{
    as_code rc = gen_out_flush(o, err);
    if (rc == AS_OK && o->comp != GEN_COMP_NONE && (o->member_open || o->stored == 0))
        rc = gen_out_end_member(o, err);
    if (rc == AS_OK) {
        uint8_t d[AS_SHA256_LEN];
        if (as_sha256_final(&o->sha, d) != 0)
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        else
            as_hex(d, sizeof d, st->sha256);
        st->bytes_stored = o->stored;
        st->bytes_decompressed = o->raw_done;
        st->lines = o->lines + (o->last_byte >= 0 && o->last_byte != '\n');
    }
    int closed = fclose(o->f);
    if (rc == AS_OK && closed != 0)
        rc = as_err_set(err, AS_ERR_WRITE, (as_loc){ 0 }, "close %s: %s", o->path, strerror(errno));
    o->f = NULL;
    release(o);
    return rc;
}

void gen_out_abort(gen_out *o)
{
    release(o);
}
