/* eng_job.c: the threads of a job: readers, workers, the bounded block pool
 * and the ordered merge (see eng.h for the data flow).
 *
 * Memory bound: blocks are the only large allocations. The pool holds at most
 * 2 x (workers + readers) + 2 blocks of max(block size, 2 x max record) bytes,
 * allocated on first use; a reader that finds the pool empty waits
 * (backpressure), so peak memory does not depend on input size.
 *
 * Determinism: a block's result is merged into its input's accumulator only
 * when every earlier block of that input has been merged (a small pending
 * list per input, ordered by block number), whichever worker finished first.
 * Inputs are independent; the caller combines them in input order.
 *
 * Deadlock freedom: a block waits for merge only on blocks of the same input
 * with a smaller number, which its reader pushed earlier; pushed blocks are
 * always processed. Each reader holds at most two blocks (the one it fills and
 * the one receiving the carried partial record), and the pool has more than
 * twice as many blocks as readers.
 */
#include "engine/eng_int.h"

#include <string.h>    /* memcpy, memmove, memchr, strcmp */
#include <sys/stat.h>  /* stat: total bytes for progress */
#include <time.h>      /* clock_gettime */
#include <unistd.h>    /* sysconf */

#include "engine/eng_split.h"

#define ENG_BATCH 1024           /* records per sink call */
#define ENG_PROGRESS_NS 250000000 /* progress callback period: 250 ms */

typedef struct eng_slot {
    pthread_mutex_t mu;          /* guards pending, next_seq, line_base, finished */
    eng_block      *pending;     /* processed blocks waiting for earlier ones, by seq */
    uint64_t        next_seq;    /* the block to merge next */
    uint64_t        line_base;   /* lines before block next_seq */
    int             finished;    /* the last block was merged */
    void           *acc;         /* the sink's accumulator */
    eng_stat        st;
} eng_slot;

struct eng_job {
    const eng_inputs *inputs;
    eng_sink          sink;
    eng_opts          opts;
    unsigned          n_readers;
    eng_slot         *slots;        /* one per input */

    /* pool */
    pthread_mutex_t   pool_mu;
    pthread_cond_t    pool_cv;
    eng_block        *pool_free;
    unsigned          pool_made;    /* blocks allocated so far */
    unsigned          pool_max;
    size_t            block_cap;
    int               pool_failed;  /* an allocation failed: job-fatal */

    /* work queue (FIFO) */
    pthread_mutex_t   q_mu;
    pthread_cond_t    q_cv;
    eng_block        *q_head, *q_tail;
    int               q_closed;

    /* readers' progress and completion */
    _Atomic uint32_t  next_input;
    _Atomic uint64_t  bytes_done;
    _Atomic int       cancel;
    pthread_mutex_t   done_mu;
    pthread_cond_t    done_cv;
    unsigned          readers_left;
    as_err            fatal;        /* first job-fatal error (guarded by done_mu) */
};

/* ---------------- pool ---------------- */

static eng_block *pool_get(eng_job *job)
{
    pthread_mutex_lock(&job->pool_mu);
    for (;;) {
        if (job->pool_free) {
            eng_block *b = job->pool_free;
            job->pool_free = b->next;
            pthread_mutex_unlock(&job->pool_mu);
            return b;
        }
        if (job->pool_made < job->pool_max) {
            job->pool_made++;
            pthread_mutex_unlock(&job->pool_mu);
            eng_block *b = as_calloc(1, sizeof *b);
            char *data = as_malloc(job->block_cap);
            if (b == NULL || data == NULL) {
                as_free(b);
                as_free(data);
                pthread_mutex_lock(&job->pool_mu);
                job->pool_made--;
                job->pool_failed = 1;
                pthread_mutex_unlock(&job->pool_mu);
                return NULL;
            }
            b->data = data;
            b->cap = job->block_cap;
            as_arena_init(&b->arena, 0);
            return b;
        }
        pthread_cond_wait(&job->pool_cv, &job->pool_mu);
    }
}

static void block_clear(eng_block *b)
{
    as_free(b->doc);
    char *data = b->data;
    size_t cap = b->cap;
    as_arena arena = b->arena;
    as_arena_reset(&arena);
    memset(b, 0, sizeof *b);
    b->data = data;
    b->cap = cap;
    b->arena = arena;
}

static void pool_put(eng_job *job, eng_block *b)
{
    block_clear(b);
    pthread_mutex_lock(&job->pool_mu);
    b->next = job->pool_free;
    job->pool_free = b;
    pthread_cond_signal(&job->pool_cv);
    pthread_mutex_unlock(&job->pool_mu);
}

/* ---------------- work queue ---------------- */

static void queue_push(eng_job *job, eng_block *b)
{
    b->next = NULL;
    pthread_mutex_lock(&job->q_mu);
    if (job->q_tail)
        job->q_tail->next = b;
    else
        job->q_head = b;
    job->q_tail = b;
    pthread_cond_signal(&job->q_cv);
    pthread_mutex_unlock(&job->q_mu);
}

/* NULL when the queue is closed and empty. */
static eng_block *queue_pop(eng_job *job)
{
    pthread_mutex_lock(&job->q_mu);
    while (job->q_head == NULL && !job->q_closed)
        pthread_cond_wait(&job->q_cv, &job->q_mu);
    eng_block *b = job->q_head;
    if (b) {
        job->q_head = b->next;
        if (job->q_head == NULL)
            job->q_tail = NULL;
    }
    pthread_mutex_unlock(&job->q_mu);
    return b;
}

static void queue_close(eng_job *job)
{
    pthread_mutex_lock(&job->q_mu);
    job->q_closed = 1;
    pthread_cond_broadcast(&job->q_cv);
    pthread_mutex_unlock(&job->q_mu);
}

static void set_fatal(eng_job *job, as_code code, const char *what)
{
    pthread_mutex_lock(&job->done_mu);
    as_err_set(&job->fatal, code, (as_loc){0}, "%s", what);
    pthread_mutex_unlock(&job->done_mu);
    atomic_store(&job->cancel, 1);
}

/* ---------------- merge (in block order, per input) ---------------- */

static void stat_add_block(eng_stat *st, const eng_block *b, uint64_t line_base)
{
    st->lines += b->lines;
    st->blank += b->blank;
    st->headers += b->headers;
    st->records += b->records;
    st->accepted += b->accepted;
    for (int c = 0; c < AS_ERR__COUNT; c++) {
        st->rejected_by[c] += b->rejected_by[c];
        st->rejected += b->rejected_by[c];
    }
    for (unsigned i = 0; i < b->n_samples && st->n_reject_samples < ENG_REJECT_SAMPLES; i++) {
        eng_reject r = b->samples[i];
        r.line += line_base;
        st->reject_samples[st->n_reject_samples++] = r;
    }
}

static void merge_done(eng_job *job, eng_block *b)
{
    eng_slot *s = &job->slots[b->input];
    eng_block *ready = NULL, **tail = &ready;

    pthread_mutex_lock(&s->mu);
    /* insert by seq */
    eng_block **pp = &s->pending;
    while (*pp && (*pp)->seq < b->seq)
        pp = &(*pp)->next;
    b->next = *pp;
    *pp = b;
    while (s->pending && s->pending->seq == s->next_seq) {
        eng_block *h = s->pending;
        s->pending = h->next;
        stat_add_block(&s->st, h, s->line_base);
        if (job->sink.merge)
            job->sink.merge(job->sink.ctx, s->acc, h->result, s->line_base);
        s->line_base += h->lines;
        s->next_seq++;
        if (h->is_last) {
            s->finished = 1;
            if (job->sink.input_end)
                job->sink.input_end(job->sink.ctx, s->acc, h->input, &s->st);
        }
        h->next = NULL;
        *tail = h;
        tail = &h->next;
    }
    pthread_mutex_unlock(&s->mu);

    while (ready) {
        eng_block *n = ready->next;
        pool_put(job, ready);
        ready = n;
    }
}

/* ---------------- workers ---------------- */

typedef struct eng_worker {
    eng_job  *job;
    unsigned  id;
    pthread_t thread;
    void     *wstate;
    eng_item  items[ENG_BATCH];
} eng_worker;

static void tally(eng_block *b, const eng_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        as_code c = items[i].code;
        if (AS_LIKELY(c == AS_OK)) {
            b->records++;
            b->accepted++;
            continue;
        }
        if (c == AS_NOT_A_RECORD) {
            b->headers++;
            continue;
        }
        b->records++;
        if ((unsigned)c >= AS_ERR__COUNT)
            c = AS_ERR_INTERNAL;
        b->rejected_by[c]++;
        if (b->n_samples < ENG_REJECT_SAMPLES)
            b->samples[b->n_samples++] = (eng_reject){ .line = items[i].rec.line, .col = items[i].col,
                                                       .offset = items[i].rec.offset, .reason = c };
    }
}

struct eng_emitter {
    eng_job         *job;
    eng_worker      *w;
    eng_block       *b;
    const eng_blockctx *bc;
};

void eng_emit(eng_emitter *em, eng_item *items, size_t n)
{
    if (n == 0)
        return;
    if (em->job->sink.on_batch)
        em->job->sink.on_batch(em->w->wstate, em->bc, items, n);
    tally(em->b, items, n);
}

/* An ENG_FRAME_DOCUMENT block: the whole input. */
static void process_document(eng_worker *w, eng_block *b, const eng_blockctx *bc)
{
    eng_job *job = w->job;
    const char *doc = b->doc ? b->doc : b->data;
    size_t len = b->doc ? b->doc_len : b->len;
    b->lines = b->doc_lf + !b->doc_last_lf;
    if (b->doc_too_long || job->sink.split_document == NULL) {
        /* one record: the document (its bytes past --max-document are gone) */
        const char *p = doc, *end = doc + len;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p == end && !b->doc_too_long)
            return;                                /* empty or blank: no record */
        eng_item *it = &w->items[0];
        it->rec = (as_rec){ .input = b->input, .n_lines = (uint32_t)AS_MIN(b->lines, UINT32_MAX),
                            .offset = b->offset, .line = 1, .raw = { doc, len } };
        it->code = b->doc_too_long ? AS_ERR_TOO_LONG : eng_validate(doc, len);
        it->col = it->code != AS_OK && !b->doc_too_long ? eng_validate_col(doc, len) : 0;
        if (job->sink.on_batch)
            job->sink.on_batch(w->wstate, bc, it, 1);
        if (b->doc_too_long)
            it->code = AS_ERR_TOO_LONG;            /* the engine's verdict stands */
        tally(b, it, 1);
        return;
    }
    eng_emitter em = { job, w, b, bc };
    job->sink.split_document(w->wstate, bc, (as_slice){ doc, len }, &em);
}

static void process_block(eng_worker *w, eng_block *b)
{
    eng_job *job = w->job;
    eng_blockctx bc = { b->input, b->seq, b->offset, &b->arena };
    uint64_t first_line = 1;

    if (b->framing == ENG_FRAME_DOCUMENT) {
        process_document(w, b, &bc);
        b->result = job->sink.block_end ? job->sink.block_end(w->wstate, &bc) : NULL;
        return;
    }

    if (b->has_lead) {
        /* an over-long record that ended at this block's start: its bytes are gone */
        eng_item *it = &w->items[0];
        it->rec = (as_rec){ .input = b->input, .n_lines = (uint32_t)AS_MIN(b->lead_lines, UINT32_MAX),
                            .offset = b->lead_offset, .line = 1,
                            .raw = { b->data, 0 } };
        it->code = AS_ERR_TOO_LONG;
        it->col = 0;
        if (job->sink.on_batch)
            job->sink.on_batch(w->wstate, &bc, it, 1);
        it->code = AS_ERR_TOO_LONG; /* the engine's verdict stands */
        tally(b, it, 1);
        first_line = 1 + b->lead_lines;
    }

    eng_split sp;
    eng_split_init(&sp, b->data, b->len, b->offset, first_line, job->opts.max_record, b->input,
                   b->last_partial);
    sp.framing = b->framing;
    size_t n;
    while ((n = eng_split_lines(&sp, w->items, ENG_BATCH)) > 0) {
        if (job->sink.on_batch)
            job->sink.on_batch(w->wstate, &bc, w->items, n);
        tally(b, w->items, n);
    }
    b->blank = sp.blank;
    b->lines = sp.line - 1;
    b->result = job->sink.block_end ? job->sink.block_end(w->wstate, &bc) : NULL;
}

static void *worker_main(void *arg)
{
    eng_worker *w = arg;
    eng_job *job = w->job;
    eng_block *b;
    while ((b = queue_pop(job)) != NULL) {
        process_block(w, b);
        merge_done(job, b);
    }
    return NULL;
}

/* ---------------- readers ---------------- */

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

/* ENG_FRAME_DOCUMENT: reads the rest of the stream into one buffer after
 * the head already in b. Past --max-document the bytes are only hashed and
 * counted (the reader goes on to the end) and the document is one rejected
 * record. Returns AS_OK or AS_ERR_NOMEM. */
static as_code read_document(eng_job *job, eng_reader *r, eng_block *b)
{
    const size_t max_doc = job->opts.max_document;
    size_t cap = AS_MAX(b->len * 2, (size_t)ENG_READ_CHUNK * 4), len = b->len;
    char *doc = as_malloc(cap);
    if (doc == NULL)
        return AS_ERR_NOMEM;
    memcpy(doc, b->data, b->len);
    for (;;) {
        if (b->doc_too_long) {                     /* drain: hash and count only */
            size_t n = eng_reader_fill(r, b->data, b->cap);
            if (n == 0)
                break;
            b->doc_lf += count_lf(b->data, n);
            b->doc_last_lf = b->data[n - 1] == '\n';
            continue;
        }
        if (cap - len < ENG_READ_CHUNK) {
            size_t ncap = cap * 2;
            char *nd = as_realloc(doc, ncap);
            if (nd == NULL) {
                as_free(doc);
                return AS_ERR_NOMEM;
            }
            doc = nd;
            cap = ncap;
        }
        size_t n = eng_reader_fill(r, doc + len, cap - len);
        if (n == 0)
            break;
        len += n;
        if (len > max_doc) {
            b->doc_too_long = 1;
            b->doc_lf = count_lf(doc, len);       /* what is kept is never looked at */
            b->doc_last_lf = doc[len - 1] == '\n';
            len = max_doc;
        }
    }
    if (!b->doc_too_long) {
        b->doc_lf = count_lf(doc, len);
        b->doc_last_lf = len == 0 || doc[len - 1] == '\n';
    }
    b->doc = doc;
    b->doc_len = len;
    b->len = 0;
    return AS_OK;
}

/* Streams one input into blocks. Returns AS_OK or AS_ERR_NOMEM. */
static as_code read_input(eng_job *job, uint32_t idx)
{
    eng_slot *s = &job->slots[idx];
    eng_reader r;
    as_code rc = eng_reader_open(&r, &job->inputs->v[idx], job->opts.gz, &s->st, &job->bytes_done,
                                 &job->cancel);
    if (rc != AS_OK) {
        eng_reader_close(&r);
        return rc;
    }
    if (job->sink.input_begin)
        s->acc = job->sink.input_begin(job->sink.ctx, idx);

    const size_t max_rec = job->opts.max_record;
    uint64_t seq = 0;
    eng_block *b = pool_get(job);
    if (b == NULL) {
        eng_reader_close(&r);
        return AS_ERR_NOMEM;
    }
    b->input = idx;
    b->offset = 0;

    int skipping = 0;            /* inside an over-long record */
    uint64_t skip_off = 0, skip_len = 0, skip_lf = 0;
    unsigned skip_q = 0;         /* QUOTED: inside quotes at the end of what was skipped */
    int skip_last_lf = 0;        /* the last byte skipped was a line feed */

    /* the head: sniffed by the sink, which picks the framing */
    size_t head_want = AS_MIN((size_t)ENG_SNIFF_BYTES, b->cap);
    int ended = 0;
    while (b->len < head_want) {
        size_t n = eng_reader_fill(&r, b->data + b->len, head_want - b->len);
        if (n == 0) {
            ended = 1;
            break;
        }
        b->len += n;
    }
    eng_framing framing = ENG_FRAME_LINES;
    if (job->sink.input_head && s->st.opened)
        framing = job->sink.input_head(job->sink.ctx, s->acc, idx, (as_slice){ b->data, b->len });
    b->framing = framing;
    if (framing == ENG_FRAME_DOCUMENT) {
        if (!ended && read_document(job, &r, b) != AS_OK) {
            pool_put(job, b);
            eng_reader_close(&r);
            return AS_ERR_NOMEM;
        }
        if (ended) {
            if (b->len > job->opts.max_document) {
                b->doc_too_long = 1;
            }
            b->doc_lf = count_lf(b->data, b->len);
            b->doc_last_lf = b->len == 0 || b->data[b->len - 1] == '\n';
        }
        b->is_last = 1;
        b->last_partial = !s->st.complete;
        eng_reader_close(&r);
        b->seq = 0;
        queue_push(job, b);
        return AS_OK;
    }

    for (;;) {
        if (skipping) {
            size_t n = eng_reader_fill(&r, b->data, b->cap);
            const char *nl = NULL;
            if (n > 0 && framing == ENG_FRAME_QUOTED) {
                uint64_t lf;
                nl = eng_split_quoted_scan(b->data, b->data + n, &skip_q, &lf);
                skip_lf += lf;
            } else if (n > 0) {
                nl = memchr(b->data, '\n', n);
            }
            if (n > 0 && nl == NULL) {
                skip_len += n;
                skip_last_lf = b->data[n - 1] == '\n';
                continue;
            }
            size_t k = nl ? (size_t)(nl - b->data) + 1 : 0;
            uint64_t rec_len = skip_len + k;
            b->has_lead = 1;
            b->lead_lines = 1 + skip_lf;
            if (n == 0 && skip_lf > 0 && skip_last_lf)
                b->lead_lines = skip_lf;   /* an open quote ran to a final line feed */
            b->lead_offset = skip_off;
            b->lead_len = nl ? rec_len - 1 : rec_len;
            b->offset = skip_off + rec_len;
            memmove(b->data, b->data + k, n - k);
            b->len = n - k;
            skipping = 0;
            if (n == 0) {                           /* the stream ended inside it */
                b->is_last = 1;
                b->last_partial = !s->st.complete;
                break;
            }
            continue;
        }
        if (b->len < b->cap) {
            size_t n = eng_reader_fill(&r, b->data + b->len, b->cap - b->len);
            if (n > 0) {
                b->len += n;
                continue;
            }
            b->is_last = 1;                         /* end of stream */
            b->last_partial = !s->st.complete;
            break;
        }
        /* the block is full: cut after the last record boundary */
        size_t cut = eng_split_last_boundary(framing, b->data, b->len);
        size_t tail = b->len - cut;
        eng_block *nb = pool_get(job);
        if (nb == NULL) {
            pool_put(job, b);
            eng_reader_close(&r);
            return AS_ERR_NOMEM;
        }
        nb->input = idx;
        nb->framing = framing;
        if (tail > max_rec + 1) {   /* over-long even without a CR before its newline */
            skipping = 1;
            skip_off = b->offset + cut;
            skip_len = tail;
            skip_q = 0;
            skip_lf = 0;
            if (framing == ENG_FRAME_QUOTED)   /* no boundary in the tail: where are its quotes? */
                (void)eng_split_quoted_scan(b->data + cut, b->data + b->len, &skip_q, &skip_lf);
            skip_last_lf = b->data[b->len - 1] == '\n';
        } else {
            memcpy(nb->data, b->data + cut, tail);
            nb->len = tail;
            nb->offset = b->offset + cut;
        }
        b->len = cut;
        b->seq = seq++;
        queue_push(job, b);
        b = nb;
    }
    eng_reader_close(&r);       /* final byte counts, SHA-256, fault: before the last push */
    b->seq = seq;
    queue_push(job, b);
    return AS_OK;
}

static void *reader_main(void *arg)
{
    eng_job *job = arg;
    for (;;) {
        uint32_t idx = atomic_fetch_add(&job->next_input, 1);
        if (idx >= job->inputs->n)
            break;
        as_code rc = read_input(job, idx);
        if (rc != AS_OK) {
            set_fatal(job, rc, "out of memory while reading inputs");
            break;
        }
    }
    pthread_mutex_lock(&job->done_mu);
    job->readers_left--;
    pthread_cond_broadcast(&job->done_cv);
    pthread_mutex_unlock(&job->done_mu);
    return NULL;
}

/* ---------------- the job ---------------- */

eng_job *eng_job_new(const eng_inputs *inputs, const eng_opts *opts, const eng_sink *sink)
{
    eng_job *job = as_calloc(1, sizeof *job);
    if (job == NULL)
        return NULL;
    job->inputs = inputs;
    if (sink)
        job->sink = *sink;
    job->opts = *opts;
    if (job->opts.workers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        job->opts.workers = n > 0 ? (unsigned)n : 1;
    }
    if (job->opts.workers > ENG_MAX_WORKERS)
        job->opts.workers = ENG_MAX_WORKERS;
    if (job->opts.max_record == 0)
        job->opts.max_record = ENG_MAX_RECORD_DEFAULT;
    if (job->opts.block_size == 0)
        job->opts.block_size = ENG_BLOCK_SIZE;
    if (job->opts.max_document == 0)
        job->opts.max_document = ENG_MAX_DOCUMENT_DEFAULT;
    job->block_cap = AS_MAX(job->opts.block_size, 2 * job->opts.max_record + 2);
    size_t n_in = inputs->n;
    job->n_readers = (unsigned)AS_MIN((size_t)job->opts.workers, n_in ? n_in : 1);
    job->pool_max = 2 * (job->opts.workers + job->n_readers) + 2;
    job->slots = as_calloc(n_in ? n_in : 1, sizeof *job->slots);
    if (job->slots == NULL) {
        as_free(job);
        return NULL;
    }
    for (size_t i = 0; i < n_in; i++)
        pthread_mutex_init(&job->slots[i].mu, NULL);
    pthread_mutex_init(&job->pool_mu, NULL);
    pthread_cond_init(&job->pool_cv, NULL);
    pthread_mutex_init(&job->q_mu, NULL);
    pthread_cond_init(&job->q_cv, NULL);
    pthread_mutex_init(&job->done_mu, NULL);
    pthread_cond_init(&job->done_cv, NULL);
    as_err_clear(&job->fatal);
    return job;
}

void eng_job_free(eng_job *job)
{
    if (job == NULL)
        return;
    eng_block *b = job->pool_free;
    while (b) {
        eng_block *n = b->next;
        as_arena_fini(&b->arena);
        as_free(b->data);
        as_free(b);
        b = n;
    }
    for (size_t i = 0; i < job->inputs->n; i++)
        pthread_mutex_destroy(&job->slots[i].mu);
    pthread_mutex_destroy(&job->pool_mu);
    pthread_cond_destroy(&job->pool_cv);
    pthread_mutex_destroy(&job->q_mu);
    pthread_cond_destroy(&job->q_cv);
    pthread_mutex_destroy(&job->done_mu);
    pthread_cond_destroy(&job->done_cv);
    as_free(job->slots);
    as_free(job);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

as_code eng_job_run(eng_job *job, eng_progress_fn progress, void *progress_arg, as_err *err)
{
    const unsigned nw = job->opts.workers, nr = job->n_readers;
    eng_worker *workers = as_calloc(nw, sizeof *workers);
    pthread_t *readers = as_calloc(nr, sizeof *readers);
    if (workers == NULL || readers == NULL) {
        as_free(workers);
        as_free(readers);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
    }
    uint64_t total = 0;   /* stored bytes of the regular files, for progress */
    for (size_t i = 0; i < job->inputs->n; i++) {
        struct stat sb;
        const char *path = job->inputs->v[i].path;
        if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            total += (uint64_t)sb.st_size;
    }

    unsigned started_w = 0, started_r = 0;
    for (unsigned i = 0; i < nw; i++) {
        workers[i].job = job;
        workers[i].id = i;
        workers[i].wstate = job->sink.worker_init ? job->sink.worker_init(job->sink.ctx, i) : NULL;
        if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
            break;
        started_w++;
    }
    job->readers_left = nr;
    for (unsigned i = 0; i < nr && started_w > 0; i++) {
        if (pthread_create(&readers[i], NULL, reader_main, job) != 0)
            break;
        started_r++;
    }
    if (started_r < nr) {
        pthread_mutex_lock(&job->done_mu);
        job->readers_left -= nr - started_r;
        pthread_mutex_unlock(&job->done_mu);
        if (started_r == 0)
            set_fatal(job, AS_ERR_INTERNAL, "cannot start threads");
    }

    /* wait for the readers, reporting progress a few times a second */
    double t0 = now_seconds();
    pthread_mutex_lock(&job->done_mu);
    while (job->readers_left > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += ENG_PROGRESS_NS;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&job->done_cv, &job->done_mu, &ts);
        if (progress && job->readers_left > 0) {
            pthread_mutex_unlock(&job->done_mu);
            progress(progress_arg, atomic_load(&job->bytes_done), total,
                     now_seconds() - t0);
            pthread_mutex_lock(&job->done_mu);
        }
    }
    pthread_mutex_unlock(&job->done_mu);
    for (unsigned i = 0; i < started_r; i++)
        pthread_join(readers[i], NULL);
    queue_close(job);
    for (unsigned i = 0; i < started_w; i++) {
        pthread_join(workers[i].thread, NULL);
        if (job->sink.worker_fini)
            job->sink.worker_fini(job->sink.ctx, workers[i].wstate);
    }
    if (progress)
        progress(progress_arg, atomic_load(&job->bytes_done), total,
                 now_seconds() - t0);
    as_free(workers);
    as_free(readers);

    if (job->fatal.code != AS_OK) {
        if (err)
            *err = job->fatal;
        return job->fatal.code;
    }
    if (job->pool_failed)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, "out of memory for block buffers");
    return AS_OK;
}

void eng_job_cancel(eng_job *job)
{
    atomic_store(&job->cancel, 1);
}

int eng_job_cancelled(const eng_job *job)
{
    return atomic_load(&job->cancel) != 0;
}

size_t eng_job_n_inputs(const eng_job *job)
{
    return job->inputs->n;
}

const eng_stat *eng_job_stat(const eng_job *job, size_t input)
{
    return &job->slots[input].st;
}

unsigned eng_job_workers(const eng_job *job)
{
    return job->opts.workers;
}

uint64_t eng_job_pool_bytes(const eng_job *job)
{
    return (uint64_t)job->pool_max * job->block_cap;
}
