/* gen_job.h: the unit of parallel work in assay-gen (one job writes one or a
 * few files) and a small thread pool that runs a list of jobs.
 *
 * A job carries its identity (a, b: vhost and day, host and month, ...) and
 * derives its own random stream from (seed, identity), so its bytes never
 * depend on which thread runs it or when. Each job fills its own gen_res;
 * the caller merges them in job order after the pool has finished. Workers
 * take jobs largest-first (by the estimated cost) through an atomic index.
 * Also here: gen_file, the open-write-close ceremony shared by every source
 * (sink + the file's truth entry).
 * Thread-safety: jobs share only const data (world, source contexts).
 */
#ifndef ASSAY_GEN_JOB_H
#define ASSAY_GEN_JOB_H

#include "tools/gen/gen_out.h"
#include "tools/gen/gen_rng.h"
#include "tools/gen/gen_truth.h"
#include "tools/gen/gen_world.h"

typedef struct gen_job gen_job;

/* Writes the job's files; fills res; returns AS_OK or an error (err filled). */
typedef as_code (*gen_job_fn)(const gen_job *job, gen_res *res, as_err *err);

struct gen_job {
    gen_job_fn       fn;     /* what to run */
    const gen_world *world;  /* shared, read-only */
    const char      *root;   /* output folder */
    const void      *ctx;    /* source-specific shared context, read-only */
    int64_t          a, b;   /* source-specific identity */
    uint64_t         cost;   /* estimated output bytes (scheduling only) */
    int              done;   /* already run */
    gen_res          res;    /* the job's results */
    as_err           err;    /* its error, if any */
    as_code          rc;     /* its status */
};

typedef struct gen_cleanup {
    void (*fn)(void *p);
    void *p;
} gen_cleanup;

typedef struct gen_jobs {
    gen_job     *v;          /* owned */
    size_t       n, cap;
    gen_cleanup *cleanup;    /* run by gen_jobs_fini, in reverse order */
    size_t       n_cleanup, cap_cleanup;
    const gen_world *world;
    const char  *root;
} gen_jobs;

void gen_jobs_init(gen_jobs *js, const gen_world *w, const char *root);
/* Frees every job's results and runs the cleanups. */
void gen_jobs_fini(gen_jobs *js);

/* Adds a job. 0, or -1 when memory runs out. */
int gen_jobs_add(gen_jobs *js, gen_job_fn fn, const void *ctx, int64_t a, int64_t b, uint64_t cost) AS_MUST_USE;
/* Registers fn(p) to run at gen_jobs_fini (source contexts). 0 or -1. */
int gen_jobs_on_fini(gen_jobs *js, void (*fn)(void *p), void *p) AS_MUST_USE;

/* Runs every job not yet run on `threads` threads (1 = in this thread).
 * Returns AS_OK, or the error of the first failed job in job order. */
as_code gen_jobs_run(gen_jobs *js, unsigned threads, as_err *err) AS_MUST_USE;

/* Decompressed bytes written by jobs run so far. */
uint64_t gen_jobs_bytes(const gen_jobs *js);

/* ---- gen_file: one output file and its truth entry ---- */
typedef struct gen_file {
    gen_out      out;   /* the sink; write through out.buf */
    gen_file_rec rec;   /* truth entry being filled (records, rejected, times) */
    char         rel[256]; /* path relative to the output folder */
} gen_file;

as_code gen_file_open(gen_file *f, const gen_job *job, const char *rel, const char *source, const char *format,
                      gen_comp comp, as_err *err) AS_MUST_USE;

/* Counts one accepted record at time ms (GEN_NO_TIME when it has none). */
static inline void gen_file_record(gen_file *f, int64_t ms)
{
    f->rec.records++;
    if (ms == GEN_NO_TIME)
        return;
    if (f->rec.first_ms == GEN_NO_TIME || ms < f->rec.first_ms)
        f->rec.first_ms = ms;
    if (f->rec.last_ms == GEN_NO_TIME || ms > f->rec.last_ms)
        f->rec.last_ms = ms;
}

/* Counts one rejected (malformed) record and notes it in res. */
void gen_file_rejected(gen_file *f, gen_res *res, uint64_t line, uint64_t offset, const char *reason);

/* 1-based line number where the next byte written will land. Scans the
 * pending buffer: use for the rare records that need a location. */
uint64_t gen_file_line(const gen_file *f);

/* Closes the file and adds its entry to res. */
as_code gen_file_close(gen_file *f, gen_res *res, as_err *err) AS_MUST_USE;

/* Closes without recording (after an error). */
void gen_file_abort(gen_file *f);

#endif
