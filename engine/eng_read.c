/* eng_read.c: one input's streaming reader: open, sniff the compression by
 * magic bytes, read large chunks, hash the stored bytes, decompress.
 *
 * Plain bytes are read straight into the caller's block (no copy); compressed
 * bytes go through a 1 MiB chunk buffer and the codec. SHA-256 covers exactly
 * the stored bytes, so it equals what sha256sum prints (for a compressed input
 * of more than one chunk it is computed on a helper thread, one chunk behind
 * the reader, while the reader inflates); after a decoding fault
 * the rest of the file is still hashed (the digest identifies the file even
 * when its contents are unusable). A regular file whose size differs at the
 * end from its size at open, or from the bytes read, is reported as changed.
 */
#include "engine/eng_int.h"

#include <errno.h>     /* errno, EINTR */
#include <fcntl.h>     /* open, posix_fadvise */
#include <string.h>    /* memcpy, strerror */
#include <sys/stat.h>  /* fstat */
#include <unistd.h>    /* read, close */

/* Records the input's first fault: "<what>: <detail>" at a byte offset. */
static void fault(eng_reader *r, as_code code, uint64_t offset, const char *what, const char *detail)
{
    as_loc loc = { .src = r->name, .offset = offset, .has_offset = 1 };
    as_err_set(&r->st->fault, code, loc, "%s: %s", what, detail);
    r->st->complete = 0;
}

/* read() that retries on EINTR; -1 on error with errno set. */
static ssize_t read_full(int fd, void *dst, size_t room)
{
    for (;;) {
        ssize_t n = read(fd, dst, room);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

static int cancelled(const eng_reader *r)
{
    return atomic_load_explicit(r->cancel, memory_order_relaxed) != 0;
}

/* ---- the hasher thread ---- */

static void *hasher_main(void *arg)
{
    eng_hasher *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->busy && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->busy)
            break;                                  /* quit with nothing in flight */
        const void *p = h->p;
        size_t n = h->n;
        pthread_mutex_unlock(&h->mu);
        int bad = as_sha256_update(h->sha, p, n) != 0;
        pthread_mutex_lock(&h->mu);
        h->failed |= bad;
        h->busy = 0;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static eng_hasher *hasher_new(as_sha256 *sha)
{
    eng_hasher *h = as_calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    h->sha = sha;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, hasher_main, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        as_free(h);
        return NULL;                                /* the reader hashes by itself */
    }
    return h;
}

/* Waits until the chunk in flight is hashed; returns 1 when hashing failed. */
static int hasher_wait(eng_hasher *h)
{
    pthread_mutex_lock(&h->mu);
    while (h->busy)
        pthread_cond_wait(&h->cv, &h->mu);
    int failed = h->failed;
    pthread_mutex_unlock(&h->mu);
    return failed;
}

static void hasher_submit(eng_hasher *h, const void *p, size_t n)
{
    pthread_mutex_lock(&h->mu);
    h->p = p;
    h->n = n;
    h->busy = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

static void hasher_free(eng_hasher *h)
{
    if (h == NULL)
        return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    as_free(h);
}

/* Reads stored bytes, hashing and counting them. Returns bytes, 0 at end of
 * file, -1 on a read error (recorded as a fault). With a hasher, the chunk is
 * hashed on its thread; the previous chunk's hash is waited for first, since
 * dst is the buffer it was in. */
static ssize_t read_stored(eng_reader *r, void *dst, size_t room)
{
    if (r->hasher && hasher_wait(r->hasher))
        r->sha_ok = 0;
    ssize_t n = read_full(r->fd, dst, room);
    if (n < 0) {
        fault(r, AS_ERR_IO, r->stored, "read error", strerror(errno));
        r->src_eof = 1;
        r->sha_ok = 0;
        return -1;
    }
    if (n == 0) {
        r->src_eof = 1;
        return 0;
    }
    if (r->sha_ok && r->hasher)
        hasher_submit(r->hasher, dst, (size_t)n);
    else if (r->sha_ok && as_sha256_update(&r->sha, dst, (size_t)n) != 0)
        r->sha_ok = 0;
    r->stored += (uint64_t)n;
    atomic_fetch_add_explicit(r->progress, (uint64_t)n, memory_order_relaxed);
    return n;
}

as_code eng_reader_open(eng_reader *r, const eng_input *in, eng_gz_impl gz, eng_stat *st,
                        _Atomic uint64_t *progress, const _Atomic int *cancel)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->st = st;
    r->name = in->display;
    r->progress = progress;
    r->cancel = cancel;
    st->complete = 1;
    st->codec = "none";

    if (as_sha256_init(&r->sha) != 0)
        return AS_ERR_NOMEM;
    r->sha_ok = 1;

    if (strcmp(in->path, "-") == 0) {
        r->fd = 0;
        r->is_stdin = 1;
    } else {
        r->fd = open(in->path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            fault(r, AS_ERR_OPEN, 0, "cannot open", strerror(errno));
            st->fault.loc.has_offset = 0;
            r->ended = 1;
            r->sha_ok = 0;
            return AS_OK;
        }
    }
    st->opened = 1;
    struct stat sb;
    int have_st = fstat(r->fd, &sb) == 0;
    if (have_st && S_ISREG(sb.st_mode)) {
        st->is_regular = 1;
        st->size_at_open = (uint64_t)sb.st_size;
        (void)posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    } else if (have_st && S_ISDIR(sb.st_mode)) {
        fault(r, AS_ERR_OPEN, 0, "cannot open", "is a directory");
        st->fault.loc.has_offset = 0;
        r->ended = 1;
        r->sha_ok = 0;
        return AS_OK;
    }

    /* sniff: at least 4 bytes (the longest magic) or the whole (tiny) input */
    while (r->n_sniff < 4 && !r->src_eof) {
        ssize_t n = read_stored(r, r->sniff + r->n_sniff, sizeof r->sniff - r->n_sniff);
        if (n <= 0)
            break;
        r->n_sniff += (size_t)n;
    }
    r->comp = eng_comp_sniff(r->sniff, r->n_sniff);
    st->comp = r->comp;
    if (r->comp != ENG_COMP_NONE) {
        r->codec = eng_codec_new(r->comp, gz);
        r->inbuf = as_malloc(ENG_READ_CHUNK);
        if (r->codec == NULL || r->inbuf == NULL)
            return AS_ERR_NOMEM;
        st->codec = eng_codec_impl(r->codec);
        memcpy(r->inbuf, r->sniff, r->n_sniff);
        r->in = (eng_inbuf){ r->inbuf, r->n_sniff, 0 };
        r->n_sniff = 0;
        /* several chunks to inflate: hash them on another thread meanwhile
         * (inflate is the bottleneck of a compressed input) */
        if (st->is_regular && st->size_at_open > ENG_READ_CHUNK)
            r->hasher = hasher_new(&r->sha);
    }
    return AS_OK;
}

static size_t fill_plain(eng_reader *r, char *dst, size_t room)
{
    if (r->n_sniff) {
        size_t n = AS_MIN(r->n_sniff, room);
        memcpy(dst, r->sniff, n);
        memmove(r->sniff, r->sniff + n, r->n_sniff - n);
        r->n_sniff -= n;
        r->produced += n;
        return n;
    }
    if (r->src_eof) {
        r->ended = 1;
        return 0;
    }
    ssize_t n = read_stored(r, dst, room);
    if (n <= 0) {
        r->ended = 1;
        return 0;
    }
    r->produced += (uint64_t)n;
    return (size_t)n;
}

// NOLINTNEXTLINE(readability-non-const-parameter): the codec writes dst through out.dst (set in an initializer)
static size_t fill_codec(eng_reader *r, char *dst, size_t room)
{
    eng_outbuf out = { (uint8_t *)dst, room, 0 };
    while (out.pos < out.size && !r->ended) {
        if (r->in.pos == r->in.size && !r->src_eof) {
            r->in_base += r->in.size;
            ssize_t n = read_stored(r, r->inbuf, ENG_READ_CHUNK);
            r->in = (eng_inbuf){ r->inbuf, n > 0 ? (size_t)n : 0, 0 };
            if (n < 0) {
                r->ended = 1;        /* read error: the fault is recorded */
                break;
            }
            continue;
        }
        as_err e;
        as_err_clear(&e);
        if (r->in.pos < r->in.size) {
            if (eng_codec_run(r->codec, &r->in, &out, r->in_base, &e) != AS_OK) {
                e.loc.src = r->name;
                as_err_set(&r->st->fault, e.code, e.loc, "%s", e.msg);
                r->st->complete = 0;
                r->dead = 1;
                r->ended = 1;
            }
            continue;
        }
        /* the file has ended: drain and check that the last member/frame is complete */
        int more = 0;
        if (eng_codec_end(r->codec, &out, r->stored, &more, &e) != AS_OK) {
            e.loc.src = r->name;
            as_err_set(&r->st->fault, e.code, e.loc, "%s", e.msg);
            r->st->complete = 0;
            r->ended = 1;
        } else if (!more) {
            r->ended = 1;
        }
    }
    r->produced += out.pos;
    return out.pos;
}

size_t eng_reader_fill(eng_reader *r, char *dst, size_t room)
{
    if (r->ended || room == 0)
        return 0;
    if (cancelled(r)) {
        fault(r, AS_ERR_INTERRUPTED, r->stored, "interrupted", "stopped before the end of the input");
        r->ended = 1;
        r->sha_ok = 0;
        return 0;
    }
    return r->codec ? fill_codec(r, dst, room) : fill_plain(r, dst, room);
}

void eng_reader_close(eng_reader *r)
{
    eng_stat *st = r->st;
    /* after a decoding fault, hash the rest of the file so the digest still identifies it */
    if (r->fd >= 0 && r->dead && !r->src_eof && r->sha_ok && r->inbuf && !cancelled(r)) {
        while (!r->src_eof) {
            if (read_stored(r, r->inbuf, ENG_READ_CHUNK) <= 0)
                break;
        }
    }
    if (r->fd >= 0 && st->is_regular && r->src_eof) {
        struct stat sb;
        if (fstat(r->fd, &sb) == 0 && ((uint64_t)sb.st_size != st->size_at_open ||
                                       r->stored != st->size_at_open)) {
            as_loc loc = { .src = r->name, .offset = r->stored, .has_offset = 1 };
            as_err_set(&st->fault, AS_ERR_CHANGED, loc,
                       "file changed while being read (size %llu at open, %llu now, %llu bytes read)",
                       (unsigned long long)st->size_at_open, (unsigned long long)sb.st_size,
                       (unsigned long long)r->stored);
            st->complete = 0;
        }
    }
    if (r->hasher) {
        if (hasher_wait(r->hasher))
            r->sha_ok = 0;
        hasher_free(r->hasher);
        r->hasher = NULL;
    }
    st->bytes_stored = r->stored;
    st->bytes_decompressed = r->produced;
    if (r->sha_ok && r->src_eof && as_sha256_final(&r->sha, st->sha256) == 0)
        st->has_sha256 = 1;
    if (r->sha.evp)
        as_sha256_fini(&r->sha);
    if (r->fd > 0 || (r->fd == 0 && !r->is_stdin))
        close(r->fd);
    r->fd = -1;
    eng_codec_free(r->codec);
    r->codec = NULL;
    as_free(r->inbuf);
    r->inbuf = NULL;
}
