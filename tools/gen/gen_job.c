/* gen_job.c: job list, thread pool and the gen_file helper (see gen_job.h). */
#include "tools/gen/gen_job.h"

#include <pthread.h>    /* pthread_create */
#include <stdatomic.h>  /* the shared next-job index */
#include <stdio.h>      /* snprintf */
#include <stdlib.h>     /* qsort */

#define GEN_MAX_THREADS 256

void gen_jobs_init(gen_jobs *js, const gen_world *w, const char *root)
{
    memset(js, 0, sizeof *js);
    js->world = w;
    js->root = root;
}

void gen_jobs_fini(gen_jobs *js)
{
    for (size_t i = 0; i < js->n; i++)
        gen_res_fini(&js->v[i].res);
    as_free(js->v);
    while (js->n_cleanup) {
        gen_cleanup *c = &js->cleanup[--js->n_cleanup];
        c->fn(c->p);
    }
    as_free(js->cleanup);
    memset(js, 0, sizeof *js);
}

int gen_jobs_add(gen_jobs *js, gen_job_fn fn, const void *ctx, int64_t a, int64_t b, uint64_t cost)
{
    if (js->n == js->cap) {
        size_t nc = js->cap ? js->cap * 2 : 256;
        gen_job *p = as_realloc(js->v, nc * sizeof *p);
        if (p == NULL)
            return -1;
        js->v = p;
        js->cap = nc;
    }
    gen_job *j = &js->v[js->n++];
    memset(j, 0, sizeof *j);
    j->fn = fn;
    j->world = js->world;
    j->root = js->root;
    j->ctx = ctx;
    j->a = a;
    j->b = b;
    j->cost = cost;
    gen_res_init(&j->res);
    return 0;
}

int gen_jobs_on_fini(gen_jobs *js, void (*fn)(void *p), void *p)
{
    if (js->n_cleanup == js->cap_cleanup) {
        size_t nc = js->cap_cleanup ? js->cap_cleanup * 2 : 8;
        gen_cleanup *c = as_realloc(js->cleanup, nc * sizeof *c);
        if (c == NULL)
            return -1;
        js->cleanup = c;
        js->cap_cleanup = nc;
    }
    js->cleanup[js->n_cleanup++] = (gen_cleanup){ fn, p };
    return 0;
}

typedef struct pool {
    gen_job       *jobs;
    const uint32_t *order;  /* job indices, largest cost first */
    size_t         n;
    atomic_size_t  next;
} pool;

static void run_one(gen_job *j)
{
    as_err_clear(&j->err);
    j->rc = j->fn(j, &j->res, &j->err);
    if (j->rc == AS_OK && j->res.failed)
        j->rc = as_err_set(&j->err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    j->done = 1;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n)
            break;
        run_one(&p->jobs[p->order[k]]);
    }
    return NULL;
}

static int cmp_cost(const void *a, const void *b, void *ctx)
{
    const gen_job *jobs = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (jobs[x].cost != jobs[y].cost)
        return jobs[x].cost > jobs[y].cost ? -1 : 1;
    return (x > y) - (x < y);
}

as_code gen_jobs_run(gen_jobs *js, unsigned threads, as_err *err)
{
    size_t n = 0;
    uint32_t *order = as_malloc((js->n ? js->n : 1) * sizeof *order);
    if (order == NULL)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    for (size_t i = 0; i < js->n; i++)
        if (!js->v[i].done)
            order[n++] = (uint32_t)i;
    qsort_r(order, n, sizeof *order, cmp_cost, js->v);

    pool p = { js->v, order, n, 0 };
    if (threads > GEN_MAX_THREADS)
        threads = GEN_MAX_THREADS;
    if (threads > n)
        threads = (unsigned)(n ? n : 1);
    pthread_t tid[GEN_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, &p) != 0)
            break;   /* fewer threads: the remaining ones still drain the list */
        started++;
    }
    worker(&p);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    as_free(order);

    for (size_t i = 0; i < js->n; i++)
        if (js->v[i].done && js->v[i].rc != AS_OK) {
            *err = js->v[i].err;
            return js->v[i].rc;
        }
    return AS_OK;
}

uint64_t gen_jobs_bytes(const gen_jobs *js)
{
    uint64_t total = 0;
    for (size_t i = 0; i < js->n; i++)
        for (size_t k = 0; k < js->v[i].res.files.n; k++)
            total += js->v[i].res.files.v[k].st.bytes_decompressed;
    return total;
}

/* ---- gen_file ---- */

as_code gen_file_open(gen_file *f, const gen_job *job, const char *rel, const char *source, const char *format,
                      gen_comp comp, as_err *err)
{
    memset(&f->rec, 0, sizeof f->rec);
    size_t n = strlen(rel);
    if (n >= sizeof f->rel)
        return as_err_set(err, AS_ERR_INTERNAL, (as_loc){ 0 }, "path too long: %s", rel);
    memcpy(f->rel, rel, n + 1);
    f->rec.path = f->rel;
    f->rec.source = source;
    f->rec.format = format;
    f->rec.comp = comp;
    f->rec.complete = 1;
    f->rec.first_ms = GEN_NO_TIME;
    f->rec.last_ms = GEN_NO_TIME;
    return gen_out_open(&f->out, job->root, rel, comp, err);
}

void gen_file_rejected(gen_file *f, gen_res *res, uint64_t line, uint64_t offset, const char *reason)
{
    f->rec.records++;
    f->rec.rejected++;
    gen_res_malformed(res, f->rel, line, offset, reason);
}

uint64_t gen_file_line(const gen_file *f)
{
    const char *p = f->out.buf.data;
    uint64_t lines = f->out.lines;
    if (p != NULL) {
        const char *end = p + f->out.buf.len;
        for (; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
            lines++;
    }
    return lines + 1;
}

as_code gen_file_close(gen_file *f, gen_res *res, as_err *err)
{
    AS_TRY(gen_out_close(&f->out, &f->rec.st, err));
    gen_res_file(res, &f->rec);
    return AS_OK;
}

void gen_file_abort(gen_file *f)
{
    gen_out_abort(&f->out);
}
