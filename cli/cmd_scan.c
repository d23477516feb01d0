/* cmd_scan.c: `assay scan`, the inventory of a population's sources: for each
 * input its compression, format (sniffed or --format), sizes, SHA-256,
 * records, rejected records by reason with the first locations, whether it
 * was read whole, and its time coverage (first and last event, records per
 * day, empty days, records out of order or outside --period); then the same
 * coverage per source (inputs of one folder and format together, so a day
 * missing from a daily log drop shows as a gap); then totals.
 * This is the completeness evidence an auditor asks for before sampling.
 *
 * Every record is parsed (--no-parse: inventory only). Workers parse and
 * keep each accepted record's time; the per-input merge (stream order)
 * resolves RFC 3164 years and folds the times into the input's coverage.
 *
 * Output: an aligned table (terminal), --json (schema assay.scan/1, see
 * docs/scan.md) or --csv. Nothing in the output depends on timing or thread
 * count, so -j1 and -j8 print identical bytes. Exit 0 when every input was
 * read whole, 2 when any could not be (unreadable, truncated, corrupt, changed).
 */
#include <getopt.h>  /* getopt_long */
#include <string.h>  /* strcmp, memcmp */

#include "cli/cli_psr.h"
#include "report/rpt.h"

#define SCAN_MAX_GAPS 20  /* gap runs listed per input and source (all are counted) */

/* ---- the parsing sink: times per record, coverage per input ---- */

typedef struct scan_t {
    int64_t  sec;
    int32_t  nsec;
    uint8_t  kind;        /* SCAN_T_* */
    uint8_t  month, day;  /* SCAN_T_PENDING: the RFC 3164 stamp */
    uint32_t sod;
} scan_t;

enum { SCAN_T_NONE = 0, SCAN_T_TIME, SCAN_T_PENDING };

typedef struct scan_blk {
    scan_t *v;
    size_t  n;
} scan_blk;

typedef struct scan_in {
    as_cov          cov;
    psr_syslog_year ys;
    uint64_t        no_time;   /* accepted records without an event time */
    uint64_t        outside;   /* accepted records outside --period */
    uint64_t        year_bad;  /* RFC 3164 stamps no year fits (rejected after the merge) */
    uint64_t        no_year;   /* RFC 3164 stamps (their year was inferred) */
    int             oom;
} scan_in;

typedef struct scan_job {
    cli_psr  g;
    scan_in *in;              /* per input */
    int64_t  gap;             /* bucket width, s */
    as_time  pstart, pend;    /* --period (valid flags when given) */
} scan_job;

typedef struct scan_w {
    scan_job   *job;
    psr_worker *pw;
    as_buf      t;            /* scan_t[] of the current block */
    int         failed;
} scan_w;

static void *sw_init(void *ctx, unsigned id)
{
    (void)id;
    scan_job *job = ctx;
    scan_w *w = as_calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->job = job;
    w->pw = psr_worker_new(job->g.ctx);
    as_buf_init(&w->t);
    return w;
}

static void sw_fini(void *ctx, void *ws)
{
    (void)ctx;
    scan_w *w = ws;
    if (w == NULL)
        return;
    psr_worker_free(w->pw);
    as_buf_fini(&w->t);
    as_free(w);
}

static void *s_in_begin(void *ctx, uint32_t input)
{
    scan_job *job = ctx;
    return &job->in[input];
}

static eng_framing s_in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    scan_job *job = ctx;
    scan_in *a = accp;
    eng_framing f = cli_psr_head(&job->g, input, head);
    if (job->g.inputs[input])
        psr_input_year_init(job->g.inputs[input], &a->ys);
    return f;
}

static void s_split_doc(void *ws, const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    (void)ws;
    cli_psr_split_document(bc, doc, em);
}

static void s_on_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    scan_w *w = ws;
    if (w == NULL || w->pw == NULL)
        return;
    const psr_input *pi = w->job->g.inputs[bc->input];
    if (pi == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        if (items[i].code != AS_OK)
            continue;
        psr_res res;
        as_code rc = psr_parse_transient(pi, w->pw, &items[i].rec, bc->arena, &res);
        items[i].code = rc;
        if (rc != AS_OK) {
            if (res.err_line <= 1)
                items[i].col = (uint32_t)AS_MIN(res.err_col, UINT32_MAX);
            continue;
        }
        scan_t t = { 0 };
        if (res.needs_year) {
            t.kind = SCAN_T_PENDING;
            t.month = res.month;
            t.day = res.day;
            t.sod = res.sod;
        } else if (as_time_is_valid(res.time)) {
            t.kind = SCAN_T_TIME;
            t.sec = res.time.sec;
            t.nsec = res.time.nsec;
        }
        if (as_buf_append(&w->t, &t, sizeof t) != 0)
            w->failed = 1;
    }
}

static void *s_block_end(void *ws, const eng_blockctx *bc)
{
    scan_w *w = ws;
    if (w == NULL)
        return NULL;
    scan_blk *b = as_arena_alloc(bc->arena, sizeof *b, _Alignof(scan_blk));
    if (b != NULL) {
        b->n = w->t.len / sizeof(scan_t);
        b->v = b->n ? as_arena_alloc(bc->arena, w->t.len, _Alignof(scan_t)) : NULL;
        if (b->v == NULL)
            b->n = 0;
        else
            memcpy(b->v, w->t.data, b->n * sizeof(scan_t));
    }
    as_buf_clear(&w->t);
    return b;
}

static void s_merge(void *ctx, void *accp, void *res, uint64_t line_base)
{
    (void)line_base;
    scan_job *job = ctx;
    scan_in *a = accp;
    scan_blk *b = res;
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->n; i++) {
        const scan_t *t = &b->v[i];
        as_time tm = { .sec = t->sec, .nsec = t->nsec, .flags = AS_TIME_VALID };
        if (t->kind == SCAN_T_NONE) {
            a->no_time++;
            continue;
        }
        if (t->kind == SCAN_T_PENDING) {
            a->no_year++;
            psr_res r = { .needs_year = 1, .month = t->month, .day = t->day, .sod = t->sod };
            if (psr_res_resolve_year(&a->ys, &r) != AS_OK) {
                a->year_bad++;
                continue;
            }
            tm = r.time;
        }
        if (as_time_is_valid(job->pstart) &&
            (as_time_cmp(tm, job->pstart) < 0 || as_time_cmp(tm, job->pend) > 0))
            a->outside++;
        if (as_cov_add(&a->cov, tm) != 0)
            a->oom = 1;
    }
}

typedef enum scan_out { SCAN_TABLE, SCAN_JSON, SCAN_CSV } scan_out;

static void scan_usage(FILE *f)
{
    fprintf(f,
            "usage: assay scan [OPTIONS] INPUT...\n\n"
            "Inventory and completeness of inputs: for each file its compression (by magic\n"
            "bytes), stored and decompressed size, SHA-256 (as sha256sum prints it), records,\n"
            "rejected records by reason with their first locations, and whether it was read\n"
            "whole. INPUT is a file, a folder (recursive, sorted), a glob, or - for stdin.\n\n"
            "Options:\n"
            "  -j, --jobs N          worker threads (default: number of cores)\n"
            "      --json            JSON output (schema assay.scan/1)\n"
            "      --csv             CSV output, one row per input\n"
            "      --files-from F    read input paths from F, one per line (- = stdin)\n"
            "      --max-record N    reject records longer than N bytes (default 1M)\n"
            "      --gzip IMPL       gzip inflater: isal (default) or zlib\n"
            "      --gap WIDTH       coverage bucket: 1d (default), 1h, 15m, ...: empty ones are gaps\n"
            "      --summary         only sources, totals and rejects (no row per input)\n"
            "      --no-parse        inventory only: no formats, no times (hashes and counts)\n"
            "%s"
            "      --progress WHEN   progress line on stderr: auto (default), always, never\n"
            "  -q, --quiet           no progress line, no summary on stderr\n"
            "  -h, --help            this help\n\n"
            "Exit codes: 0 every input read whole; 2 usage error or an input that could not\n"
            "be read whole (unreadable, truncated, corrupt, changed while read); 3 internal error.\n",
            cli_psr_help);
}

static void sha_hex(const eng_stat *st, char out[AS_SHA256_HEX])
{
    if (st->has_sha256)
        as_hex(st->sha256, AS_SHA256_LEN, out);
    else
        out[0] = '\0';
}

typedef struct scan_totals {
    uint64_t inputs, complete, bytes_stored, bytes_decompressed, lines, blank, records, accepted,
        rejected, duplicates;
    uint64_t rejected_by[AS_ERR__COUNT];
} scan_totals;

/* Inputs whose SHA-256 equals an earlier input's: the same file twice. */
static uint64_t count_duplicates(const eng_job *job, size_t n, uint8_t *dup)
{
    uint64_t d = 0;
    for (size_t i = 0; i < n; i++) {
        const eng_stat *a = eng_job_stat(job, i);
        dup[i] = 0;
        if (!a->has_sha256)
            continue;
        for (size_t k = 0; k < i; k++) {
            const eng_stat *b = eng_job_stat(job, k);
            if (b->has_sha256 && memcmp(a->sha256, b->sha256, AS_SHA256_LEN) == 0) {
                dup[i] = 1;
                d++;
                break;
            }
        }
    }
    return d;
}

/* An input's counts as reported: records whose RFC 3164 year could not be
 * resolved at merge time move from accepted to rejected (bad_time). */
static eng_stat eff_stat(const scan_job *sj, size_t i, const eng_stat *st)
{
    eng_stat e = *st;
    if (sj && sj->in) {
        uint64_t yb = sj->in[i].year_bad;
        e.accepted -= yb;
        e.rejected += yb;
        e.rejected_by[AS_ERR_BAD_TIME] += yb;
    }
    return e;
}

static void totals_add(scan_totals *t, const eng_stat *st)
{
    t->inputs++;
    t->complete += st->complete != 0;
    t->bytes_stored += st->bytes_stored;
    t->bytes_decompressed += st->bytes_decompressed;
    t->lines += st->lines;
    t->blank += st->blank;
    t->records += st->records;
    t->accepted += st->accepted;
    t->rejected += st->rejected;
    for (int c = 0; c < AS_ERR__COUNT; c++)
        t->rejected_by[c] += st->rejected_by[c];
}

static void json_rejected_by(rpt_json *j, const uint64_t *by)
{
    rpt_json_obj_begin(j);
    for (int c = 0; c < AS_ERR__COUNT; c++)
        if (by[c]) {
            rpt_json_key(j, as_err_name((as_code)c));
            rpt_json_u64(j, by[c]);
        }
    rpt_json_obj_end(j);
}

/* The range whose empty buckets are gaps: --period, else first..last. */
static int gap_range(const scan_job *sj, const as_cov *c, int64_t *from, int64_t *to)
{
    if (as_time_is_valid(sj->pstart)) {
        *from = sj->pstart.sec;
        *to = sj->pend.sec;
        return 1;
    }
    if (c->n == 0)
        return 0;
    *from = c->first.sec;
    *to = c->last.sec;
    return 1;
}

static void json_time_sec(rpt_json *j, int64_t sec)
{
    rpt_json_time(j, (as_time){ .sec = sec, .flags = AS_TIME_VALID });
}

static void json_coverage(rpt_json *j, const scan_job *sj, const as_cov *c)
{
    rpt_json_obj_begin(j);
    rpt_json_key(j, "bucket_seconds");
    rpt_json_i64(j, c->width);
    rpt_json_key(j, "buckets");
    rpt_json_arr_begin(j);
    for (size_t i = 0; i < c->n_b; i++) {
        rpt_json_obj_begin(j);
        rpt_json_key(j, "start");
        json_time_sec(j, c->b[i].idx * c->width);
        rpt_json_key(j, "records");
        rpt_json_u64(j, c->b[i].count);
        rpt_json_obj_end(j);
    }
    rpt_json_arr_end(j);
    int64_t from, to;
    as_cov_gap g[SCAN_MAX_GAPS];
    uint64_t empty = 0;
    size_t runs = gap_range(sj, c, &from, &to) ? as_cov_gaps(c, from, to, g, SCAN_MAX_GAPS, &empty) : 0;
    rpt_json_key(j, "empty_buckets");
    rpt_json_u64(j, empty);
    rpt_json_key(j, "gap_runs");
    rpt_json_u64(j, runs);
    rpt_json_key(j, "gaps");
    rpt_json_arr_begin(j);
    for (size_t i = 0; i < runs && i < SCAN_MAX_GAPS; i++) {
        rpt_json_obj_begin(j);
        rpt_json_key(j, "from");
        json_time_sec(j, g[i].from);
        rpt_json_key(j, "to");
        json_time_sec(j, g[i].to);
        rpt_json_key(j, "buckets");
        rpt_json_u64(j, g[i].buckets);
        rpt_json_obj_end(j);
    }
    rpt_json_arr_end(j);
    rpt_json_obj_end(j);
}

/* The time members of an input or a source: first/last event, counts, and
 * the coverage (null when records were not parsed). */
static void json_time_members(rpt_json *j, const scan_job *sj, const as_cov *cv, uint64_t no_time,
                              uint64_t outside, int parsed)
{
    rpt_json_key(j, "first_time");
    rpt_json_time(j, cv->n ? cv->first : (as_time){ 0 });
    rpt_json_key(j, "last_time");
    rpt_json_time(j, cv->n ? cv->last : (as_time){ 0 });
    rpt_json_key(j, "records_with_time");
    rpt_json_u64(j, cv->n);
    rpt_json_key(j, "records_without_time");
    rpt_json_u64(j, no_time);
    rpt_json_key(j, "out_of_order");
    rpt_json_u64(j, cv->out_of_order);
    rpt_json_key(j, "outside_period");
    if (as_time_is_valid(sj->pstart))
        rpt_json_u64(j, outside);
    else
        rpt_json_null(j);
    rpt_json_key(j, "coverage");
    if (parsed)
        json_coverage(j, sj, cv);
    else
        rpt_json_null(j);
}

/* Inputs grouped by (folder, format): a source. */
typedef struct scan_src {
    char       *name;     /* the folder of the inputs ("." for none); owned */
    const char *format;
    uint64_t    inputs, records, rejected, no_time, outside, out_of_order;
    as_cov      cov;
} scan_src;

static void src_free(scan_src *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        as_free(v[i].name);
        as_cov_fini(&v[i].cov);
    }
    as_free(v);
}

static const char *input_format(const scan_job *sj, size_t i)
{
    return sj && sj->g.inputs && sj->g.inputs[i] ? psr_input_format_name(sj->g.inputs[i]) : "unknown";
}

static scan_src *make_sources(const eng_job *job, const eng_inputs *in, const scan_job *sj, size_t *n_out)
{
    scan_src *v = as_calloc(in->n ? in->n : 1, sizeof *v);
    size_t n = 0;
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < in->n; i++) {
        /* the folder, without trailing date folders (CloudTrail's YYYY/MM/DD) */
        const char *path = in->v[i].display, *slash = strrchr(path, '/');
        size_t dl = slash ? (size_t)(slash - path) : 1;
        const char *dir = slash ? path : ".";
        while (slash) {
            const char *seg = dir + dl;                 /* the '/' ending the folder part */
            const char *prev = NULL;
            for (const char *q = dir; q < seg; q++)
                if (*q == '/')
                    prev = q;
            const char *name = prev ? prev + 1 : dir;
            int digits = name < seg;
            for (const char *q = name; q < seg; q++)
                digits &= *q >= '0' && *q <= '9';
            if (!digits || prev == NULL)
                break;
            dl = (size_t)(prev - dir);
        }
        const char *fmt = input_format(sj, i);
        size_t k = 0;
        while (k < n && !(strlen(v[k].name) == dl && memcmp(v[k].name, dir, dl) == 0 &&
                          strcmp(v[k].format, fmt) == 0))
            k++;
        if (k == n) {
            v[n].name = as_strndup(dir, dl);
            v[n].format = fmt;
            as_cov_init(&v[n].cov, sj->gap);
            if (v[n].name == NULL) {
                src_free(v, n + 1);
                return NULL;
            }
            n++;
        }
        eng_stat st = eff_stat(sj, i, eng_job_stat(job, i));
        v[k].inputs++;
        v[k].records += st.records;
        v[k].rejected += st.rejected;
        v[k].no_time += sj->in[i].no_time;
        v[k].outside += sj->in[i].outside;
        if (as_cov_merge(&v[k].cov, &sj->in[i].cov) != 0) {
            src_free(v, n);
            return NULL;
        }
    }
    *n_out = n;
    return v;
}

static int write_json(const eng_job *job, const eng_inputs *in, const scan_totals *t,
                      const uint8_t *dup, const scan_job *sj, const scan_src *src, size_t n_src,
                      as_buf *out)
{
    rpt_json j;
    rpt_json_init(&j, out, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.scan/1");
    rpt_json_key(&j, "inputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < in->n; i++) {
        eng_stat est = eff_stat(sj, i, eng_job_stat(job, i));
        const eng_stat *st = &est;
        char hex[AS_SHA256_HEX];
        sha_hex(st, hex);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, in->v[i].display);
        rpt_json_key(&j, "compression");
        rpt_json_cstr(&j, eng_comp_name(st->comp));
        rpt_json_key(&j, "codec");
        rpt_json_cstr(&j, st->codec);
        rpt_json_key(&j, "format");
        rpt_json_cstr(&j, input_format(sj, i));
        const psr_input *pi = sj->g.inputs ? sj->g.inputs[i] : NULL;
        rpt_json_key(&j, "format_confidence");
        if (pi)
            rpt_json_u64(&j, (uint64_t)psr_input_confidence(pi));
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "time_field");
        rpt_json_cstr(&j, pi && psr_input_time_field(pi)[0] ? psr_input_time_field(pi) : NULL);
        rpt_json_key(&j, "bytes_stored");
        rpt_json_u64(&j, st->bytes_stored);
        rpt_json_key(&j, "bytes_decompressed");
        rpt_json_u64(&j, st->bytes_decompressed);
        rpt_json_key(&j, "sha256");
        rpt_json_cstr(&j, st->has_sha256 ? hex : NULL);
        rpt_json_key(&j, "lines");
        rpt_json_u64(&j, st->lines);
        rpt_json_key(&j, "blank_lines");
        rpt_json_u64(&j, st->blank);
        rpt_json_key(&j, "header_lines");
        rpt_json_u64(&j, st->headers);
        rpt_json_key(&j, "records");
        rpt_json_u64(&j, st->records);
        rpt_json_key(&j, "accepted");
        rpt_json_u64(&j, st->accepted);
        rpt_json_key(&j, "rejected");
        rpt_json_u64(&j, st->rejected);
        rpt_json_key(&j, "rejected_by");
        json_rejected_by(&j, st->rejected_by);
        rpt_json_key(&j, "rejects");
        rpt_json_arr_begin(&j);
        for (unsigned r = 0; r < st->n_reject_samples; r++) {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "line");
            rpt_json_u64(&j, st->reject_samples[r].line);
            rpt_json_key(&j, "col");
            if (st->reject_samples[r].col)
                rpt_json_u64(&j, st->reject_samples[r].col);
            else
                rpt_json_null(&j);
            rpt_json_key(&j, "offset");
            rpt_json_u64(&j, st->reject_samples[r].offset);
            rpt_json_key(&j, "reason");
            rpt_json_cstr(&j, as_err_name(st->reject_samples[r].reason));
            rpt_json_obj_end(&j);
        }
        rpt_json_arr_end(&j);
        json_time_members(&j, sj, &sj->in[i].cov, sj->in[i].no_time, sj->in[i].outside, sj->g.ctx != NULL);
        rpt_json_key(&j, "duplicate_of_earlier_input");
        rpt_json_bool(&j, dup[i]);
        rpt_json_key(&j, "complete");
        rpt_json_bool(&j, st->complete);
        rpt_json_key(&j, "fault");
        if (st->fault.code == AS_OK) {
            rpt_json_null(&j);
        } else {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "reason");
            rpt_json_cstr(&j, as_err_name(st->fault.code));
            rpt_json_key(&j, "message");
            rpt_json_cstr(&j, st->fault.msg);
            rpt_json_key(&j, "offset");
            if (st->fault.loc.has_offset)
                rpt_json_u64(&j, st->fault.loc.offset);
            else
                rpt_json_null(&j);
            rpt_json_obj_end(&j);
        }
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "period");
    if (as_time_is_valid(sj->pstart)) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "start");
        rpt_json_time(&j, sj->pstart);
        rpt_json_key(&j, "end");
        rpt_json_time(&j, sj->pend);
        rpt_json_obj_end(&j);
    } else {
        rpt_json_null(&j);
    }
    rpt_json_key(&j, "sources");
    rpt_json_arr_begin(&j);
    for (size_t k = 0; k < n_src; k++) {
        const scan_src *v = &src[k];
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "source");
        rpt_json_cstr(&j, v->name);
        rpt_json_key(&j, "format");
        rpt_json_cstr(&j, v->format);
        rpt_json_key(&j, "inputs");
        rpt_json_u64(&j, v->inputs);
        rpt_json_key(&j, "records");
        rpt_json_u64(&j, v->records);
        rpt_json_key(&j, "rejected");
        rpt_json_u64(&j, v->rejected);
        json_time_members(&j, sj, &v->cov, v->no_time, v->outside, 1);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "totals");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "inputs");
    rpt_json_u64(&j, t->inputs);
    rpt_json_key(&j, "complete");
    rpt_json_u64(&j, t->complete);
    rpt_json_key(&j, "incomplete");
    rpt_json_u64(&j, t->inputs - t->complete);
    rpt_json_key(&j, "duplicate_inputs");
    rpt_json_u64(&j, t->duplicates);
    rpt_json_key(&j, "bytes_stored");
    rpt_json_u64(&j, t->bytes_stored);
    rpt_json_key(&j, "bytes_decompressed");
    rpt_json_u64(&j, t->bytes_decompressed);
    rpt_json_key(&j, "lines");
    rpt_json_u64(&j, t->lines);
    rpt_json_key(&j, "blank_lines");
    rpt_json_u64(&j, t->blank);
    rpt_json_key(&j, "records");
    rpt_json_u64(&j, t->records);
    rpt_json_key(&j, "accepted");
    rpt_json_u64(&j, t->accepted);
    rpt_json_key(&j, "rejected");
    rpt_json_u64(&j, t->rejected);
    rpt_json_key(&j, "rejected_by");
    json_rejected_by(&j, t->rejected_by);
    rpt_json_obj_end(&j);
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j);
}

static void csv_time(rpt_csv *c, const as_cov *cv, int last)
{
    char buf[AS_TIME_RFC3339_MAX];
    if (cv->n == 0) {
        rpt_csv_cstr(c, "");
        return;
    }
    as_time_format_utc(last ? cv->last : cv->first, buf);
    rpt_csv_cstr(c, buf);
}

static int write_csv(const eng_job *job, const eng_inputs *in, const scan_job *sj, as_buf *out)
{
    rpt_csv c;
    rpt_csv_init(&c, out);
    static const char *const head[] = { "path", "compression", "codec", "format", "bytes_stored",
                                        "bytes_decompressed", "sha256", "lines", "records",
                                        "accepted", "rejected", "complete", "fault", "first_time",
                                        "last_time", "records_with_time", "out_of_order" };
    for (size_t i = 0; i < AS_ARRAY_LEN(head); i++)
        rpt_csv_cstr(&c, head[i]);
    rpt_csv_end_row(&c);
    for (size_t i = 0; i < in->n; i++) {
        eng_stat est = eff_stat(sj, i, eng_job_stat(job, i));
        const eng_stat *st = &est;
        char hex[AS_SHA256_HEX];
        sha_hex(st, hex);
        rpt_csv_cstr(&c, in->v[i].display);
        rpt_csv_cstr(&c, eng_comp_name(st->comp));
        rpt_csv_cstr(&c, st->codec);
        rpt_csv_cstr(&c, input_format(sj, i));
        rpt_csv_u64(&c, st->bytes_stored);
        rpt_csv_u64(&c, st->bytes_decompressed);
        rpt_csv_cstr(&c, hex);
        rpt_csv_u64(&c, st->lines);
        rpt_csv_u64(&c, st->records);
        rpt_csv_u64(&c, st->accepted);
        rpt_csv_u64(&c, st->rejected);
        rpt_csv_cstr(&c, st->complete ? "true" : "false");
        rpt_csv_cstr(&c, st->fault.code == AS_OK ? "" : as_err_name(st->fault.code));
        csv_time(&c, &sj->in[i].cov, 0);
        csv_time(&c, &sj->in[i].cov, 1);
        rpt_csv_u64(&c, sj->in[i].cov.n);
        rpt_csv_u64(&c, sj->in[i].cov.out_of_order);
        rpt_csv_end_row(&c);
    }
    return c.failed ? -1 : 0;
}

static void u64s(uint64_t v, char *out, size_t cap)
{
    snprintf(out, cap, "%llu", (unsigned long long)v);
}

static void day_text(const as_cov *cv, int last, char *out, size_t cap)
{
    char buf[AS_TIME_RFC3339_MAX];
    if (cv->n == 0) {
        snprintf(out, cap, "-");
        return;
    }
    size_t n = as_time_format_utc(last ? cv->last : cv->first, buf);
    /* day buckets: the date is enough; finer buckets: the minute */
    size_t keep = cv->width >= 86400 ? 10 : 16;
    snprintf(out, cap, "%.*s", (int)AS_MIN(n, keep), buf);
}

static void gap_text(const as_cov *cv, int64_t sec, char *out, size_t cap)
{
    char buf[AS_TIME_RFC3339_MAX];
    size_t n = as_time_format_utc((as_time){ .sec = sec, .flags = AS_TIME_VALID }, buf);
    snprintf(out, cap, "%.*s", (int)AS_MIN(n, cv->width >= 86400 ? 10 : 16), buf);
}

static int write_table(const eng_job *job, const eng_inputs *in, const scan_totals *t,
                       const scan_job *sj, const scan_src *src, size_t n_src, int summary, FILE *f)
{
    static const unsigned right[] = { 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0 };
    cli_table tb;
    char a[64];
    if (!summary) {
        if (cli_table_init(&tb, 11, right) != 0)
            return -1;
        static const char *const head[] = { "INPUT", "COMP", "FORMAT", "STORED", "DECOMPRESSED",
                                            "RECORDS", "REJECTED", "FIRST", "LAST", "SHA256", "STATUS" };
        for (size_t i = 0; i < AS_ARRAY_LEN(head); i++)
            cli_table_add(&tb, head[i]);
        for (size_t i = 0; i < in->n; i++) {
            eng_stat est = eff_stat(sj, i, eng_job_stat(job, i));
            const eng_stat *st = &est;
            char hex[AS_SHA256_HEX];
            sha_hex(st, hex);
            hex[16] = '\0';
            cli_table_add(&tb, in->v[i].display);
            cli_table_add(&tb, eng_comp_name(st->comp));
            cli_table_add(&tb, input_format(sj, i));
            u64s(st->bytes_stored, a, sizeof a);
            cli_table_add(&tb, a);
            u64s(st->bytes_decompressed, a, sizeof a);
            cli_table_add(&tb, a);
            u64s(st->records, a, sizeof a);
            cli_table_add(&tb, a);
            u64s(st->rejected, a, sizeof a);
            cli_table_add(&tb, a);
            day_text(&sj->in[i].cov, 0, a, sizeof a);
            cli_table_add(&tb, a);
            day_text(&sj->in[i].cov, 1, a, sizeof a);
            cli_table_add(&tb, a);
            cli_table_add(&tb, st->has_sha256 ? hex : "-");
            cli_table_add(&tb, st->complete ? "complete" : as_err_name(st->fault.code));
        }
        cli_table_print(&tb, f);
        cli_table_fini(&tb);
        fprintf(f, "\n");
    }

    /* time coverage by source */
    if (n_src && sj->g.ctx) {
        static const unsigned sright[] = { 0, 0, 1, 1, 1, 0, 0, 1, 1 };
        if (cli_table_init(&tb, 9, sright) != 0)
            return -1;
        static const char *const head[] = { "SOURCE", "FORMAT", "INPUTS", "RECORDS", "REJECTED",
                                            "FIRST", "LAST", "EMPTY", "UNORDERED" };
        for (size_t i = 0; i < AS_ARRAY_LEN(head); i++)
            cli_table_add(&tb, head[i]);
        for (size_t k = 0; k < n_src; k++) {
            const scan_src *v = &src[k];
            cli_table_add(&tb, v->name);
            cli_table_add(&tb, v->format);
            u64s(v->inputs, a, sizeof a);
            cli_table_add(&tb, a);
            u64s(v->records, a, sizeof a);
            cli_table_add(&tb, a);
            u64s(v->rejected, a, sizeof a);
            cli_table_add(&tb, a);
            day_text(&v->cov, 0, a, sizeof a);
            cli_table_add(&tb, a);
            day_text(&v->cov, 1, a, sizeof a);
            cli_table_add(&tb, a);
            int64_t from, to;
            uint64_t empty = 0;
            if (v->cov.n && gap_range(sj, &v->cov, &from, &to)) {
                (void)as_cov_gaps(&v->cov, from, to, NULL, 0, &empty);
                u64s(empty, a, sizeof a);
                cli_table_add(&tb, a);
            } else {
                cli_table_add(&tb, "-");               /* no event times: coverage says nothing */
            }
            u64s(v->cov.out_of_order, a, sizeof a);
            cli_table_add(&tb, a);
        }
        cli_table_print(&tb, f);
        cli_table_fini(&tb);
        fprintf(f, "(EMPTY: %s buckets with no record between FIRST and LAST%s; UNORDERED: records earlier "
                   "than the one before)\n",
                sj->gap == 86400 ? "day" : "--gap", as_time_is_valid(sj->pstart) ? ", or in --period" : "");
        for (size_t k = 0; k < n_src; k++) {
            const scan_src *v = &src[k];
            int64_t from, to;
            as_cov_gap g[SCAN_MAX_GAPS];
            uint64_t empty = 0;
            if (v->cov.n == 0 || !gap_range(sj, &v->cov, &from, &to))
                continue;
            size_t runs = as_cov_gaps(&v->cov, from, to, g, SCAN_MAX_GAPS, &empty);
            if (runs == 0)
                continue;
            fprintf(f, "  gaps in %s (%s): ", v->name, v->format);
            for (size_t r = 0; r < runs && r < SCAN_MAX_GAPS; r++) {
                char x[40], y[40];
                gap_text(&v->cov, g[r].from, x, sizeof x);
                gap_text(&v->cov, g[r].to - v->cov.width, y, sizeof y);
                if (g[r].buckets == 1)
                    fprintf(f, "%s%s", r ? ", " : "", x);
                else
                    fprintf(f, "%s%s..%s", r ? ", " : "", x, y);
            }
            fprintf(f, "%s\n", runs > SCAN_MAX_GAPS ? ", ..." : "");
        }
        fprintf(f, "\n");
    }

    fprintf(f, "TOTAL: %llu inputs (%llu incomplete), %llu bytes stored, %llu decompressed, %llu records, "
               "%llu accepted, %llu rejected\n",
            (unsigned long long)t->inputs, (unsigned long long)(t->inputs - t->complete),
            (unsigned long long)t->bytes_stored, (unsigned long long)t->bytes_decompressed,
            (unsigned long long)t->records, (unsigned long long)t->accepted,
            (unsigned long long)t->rejected);

    /* rejected records: the counts by reason and the first locations */
    for (size_t i = 0; i < in->n; i++) {
        eng_stat est = eff_stat(sj, i, eng_job_stat(job, i));
        const eng_stat *st = &est;
        if (st->rejected == 0)
            continue;
        fprintf(f, "\n%s: %llu rejected (", in->v[i].display, (unsigned long long)st->rejected);
        const char *sep = "";
        for (int c = 0; c < AS_ERR__COUNT; c++)
            if (st->rejected_by[c]) {
                fprintf(f, "%s%s %llu", sep, as_err_name((as_code)c), (unsigned long long)st->rejected_by[c]);
                sep = ", ";
            }
        fprintf(f, ")\n");
        for (unsigned r = 0; r < st->n_reject_samples; r++) {
            const eng_reject *rj = &st->reject_samples[r];
            if (rj->col)
                fprintf(f, "  %s:%llu:%llu: %s (byte %llu)\n", in->v[i].display, (unsigned long long)rj->line,
                        (unsigned long long)rj->col, as_err_text(rj->reason), (unsigned long long)rj->offset);
            else
                fprintf(f, "  %s:%llu: %s (byte %llu)\n", in->v[i].display, (unsigned long long)rj->line,
                        as_err_text(rj->reason), (unsigned long long)rj->offset);
        }
        if (st->rejected > st->n_reject_samples)
            fprintf(f, "  ... and %llu more\n", (unsigned long long)(st->rejected - st->n_reject_samples));
    }
    return fflush(f) == 0 ? 0 : -1;
}

enum { OPT_JSON = 256, OPT_CSV, OPT_FILES_FROM, OPT_MAX_RECORD, OPT_GZIP, OPT_PROGRESS, OPT_GAP,
       OPT_SUMMARY, OPT_NO_PARSE };

int cmd_scan(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "jobs", required_argument, NULL, 'j' },
        { "json", no_argument, NULL, OPT_JSON },
        { "csv", no_argument, NULL, OPT_CSV },
        { "files-from", required_argument, NULL, OPT_FILES_FROM },
        { "max-record", required_argument, NULL, OPT_MAX_RECORD },
        { "gzip", required_argument, NULL, OPT_GZIP },
        { "progress", required_argument, NULL, OPT_PROGRESS },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "gap", required_argument, NULL, OPT_GAP },
        { "summary", no_argument, NULL, OPT_SUMMARY },
        { "no-parse", no_argument, NULL, OPT_NO_PARSE },
        CLI_PSR_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    static scan_job sj;
    memset(&sj, 0, sizeof sj);
    sj.gap = AS_COV_DAY;
    cli_psr_opts po;
    memset(&po, 0, sizeof po);
    int summary = 0, no_parse = 0;
    eng_opts opts = { 0 };
    scan_out mode = SCAN_TABLE;
    cli_progress_mode pmode = CLI_PROGRESS_AUTO;
    int quiet = 0;
    eng_inputs inputs;
    eng_inputs_init(&inputs);
    as_err err;
    as_err_clear(&err);
    int rc = CLI_EXIT_INPUT;
    const char *files_from = NULL;

    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'j':
            if (cli_parse_jobs(optarg, &opts.workers) != 0) {
                cli_errf("-j: expected a number of threads from 1 to %d, got '%s'", ENG_MAX_WORKERS, optarg);
                goto out;
            }
            break;
        case OPT_JSON: mode = SCAN_JSON; break;
        case OPT_CSV: mode = SCAN_CSV; break;
        case OPT_FILES_FROM: files_from = optarg; break;
        case OPT_MAX_RECORD:
            if (cli_parse_size(optarg, &v) != 0 || v < 1 || v > (1ull << 30)) {
                cli_errf("--max-record: expected a size from 1 to 1G (e.g. 64K, 1M), got '%s'", optarg);
                goto out;
            }
            opts.max_record = (size_t)v;
            break;
        case OPT_GZIP:
            if (strcmp(optarg, "isal") == 0)
                opts.gz = ENG_GZ_ISAL;
            else if (strcmp(optarg, "zlib") == 0)
                opts.gz = ENG_GZ_ZLIB;
            else {
                cli_errf("--gzip: expected isal or zlib, got '%s'", optarg);
                goto out;
            }
            break;
        case OPT_PROGRESS:
            if (cli_parse_progress(optarg, &pmode) != 0) {
                cli_errf("--progress: expected auto, always or never, got '%s'", optarg);
                goto out;
            }
            break;
        case 'q': quiet = 1; break;
        case 'h':
            scan_usage(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        case OPT_GAP: {
            int64_t ns;
            if (as_duration_parse(as_slice_cstr(optarg), &ns) != 0 || ns < AS_NSEC_PER_SEC ||
                ns % AS_NSEC_PER_SEC != 0) {
                cli_errf("--gap: expected a whole number of seconds or more, e.g. 1d, 1h, 15m; got '%s'",
                         optarg);
                goto out;
            }
            sj.gap = ns / AS_NSEC_PER_SEC;
            break;
        }
        case OPT_SUMMARY: summary = 1; break;
        case OPT_NO_PARSE: no_parse = 1; break;
        default: {
            int r = cli_psr_option(c, optarg, &po);
            if (r == 0)
                break;
            if (r > 0)
                scan_usage(stderr);
            goto out;
        }
        }
    }
    for (int i = optind; i < argc; i++)
        if (eng_inputs_add_arg(&inputs, argv[i], &err) != AS_OK) {
            cli_err(&err);
            rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
            goto out;
        }
    if (files_from && eng_inputs_add_list(&inputs, files_from, &err) != AS_OK) {
        cli_err(&err);
        rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
        goto out;
    }
    if (inputs.n == 0) {
        cli_errf("scan: no input (give files, folders, globs, - for stdin, or --files-from)");
        goto out;
    }

    sj.pstart = po.p.period_start;
    sj.pend = po.p.period_end;
    opts.max_document = po.max_document;
    sj.in = as_calloc(inputs.n, sizeof *sj.in);
    if (sj.in == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    for (size_t i = 0; i < inputs.n; i++)
        as_cov_init(&sj.in[i].cov, sj.gap);
    if (!no_parse) {
        rc = cli_psr_setup(&sj.g, &po, inputs.n, &inputs);
        if (rc != CLI_EXIT_OK)
            goto out;
    }
    eng_sink sink = { .ctx = &sj, .worker_init = sw_init, .worker_fini = sw_fini,
                      .input_begin = s_in_begin, .on_batch = s_on_batch, .block_end = s_block_end,
                      .merge = s_merge, .input_head = s_in_head, .split_document = s_split_doc };
    eng_job *job = eng_job_new(&inputs, &opts, no_parse ? NULL : &sink);
    if (job == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    cli_progress prog;
    cli_progress_init(&prog, pmode, quiet);
    as_code jrc = eng_job_run(job, cli_progress_cb, &prog, &err);
    cli_progress_clear(&prog);
    if (jrc != AS_OK) {
        cli_err(&err);
        eng_job_free(job);
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }

    scan_totals t = { 0 };
    uint8_t *dup = as_calloc(inputs.n, 1);
    if (dup == NULL) {
        eng_job_free(job);
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    int oom = 0;
    size_t n_guess = 0;
    for (size_t i = 0; i < inputs.n; i++) {
        eng_stat st = eff_stat(&sj, i, eng_job_stat(job, i));
        totals_add(&t, &st);
        oom |= sj.in[i].oom;
        if (st.fault.code != AS_OK)
            cli_err(&st.fault);
        const psr_input *pi = sj.g.inputs ? sj.g.inputs[i] : NULL;
        const as_err *pe = pi ? psr_input_error(pi) : NULL;
        if (pe)
            cli_warnf("%s: %s", inputs.v[i].display, pe->msg);
        if (pi && sj.in[i].no_year && strcmp(psr_input_year_source(pi), "mtime") == 0)
            n_guess++;
    }
    if (n_guess && !quiet)
        cli_warnf("%zu inputs have syslog stamps without a year: it was guessed from each file's "
                  "modification time; give --period or --year", n_guess);
    t.duplicates = count_duplicates(job, inputs.n, dup);
    size_t n_src = 0;
    scan_src *src = make_sources(job, &inputs, &sj, &n_src);
    if (src == NULL || oom) {
        cli_errf("out of memory");
        src_free(src, n_src);
        as_free(dup);
        eng_job_free(job);
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }

    as_buf out = AS_BUF_INIT;
    int wrc = 0;
    if (mode == SCAN_JSON)
        wrc = write_json(job, &inputs, &t, dup, &sj, src, n_src, &out) || cli_write(stdout, &out);
    else if (mode == SCAN_CSV)
        wrc = write_csv(job, &inputs, &sj, &out) || cli_write(stdout, &out);
    else
        wrc = write_table(job, &inputs, &t, &sj, src, n_src, summary, stdout);
    as_buf_fini(&out);
    src_free(src, n_src);
    as_free(dup);
    eng_job_free(job);
    if (wrc != 0)
        rc = CLI_EXIT_INTERNAL;
    else
        rc = t.complete == t.inputs ? CLI_EXIT_OK : CLI_EXIT_INPUT;
out:
    if (sj.in)
        for (size_t i = 0; i < inputs.n; i++)
            as_cov_fini(&sj.in[i].cov);
    as_free(sj.in);
    cli_psr_fini(&sj.g);
    eng_inputs_fini(&inputs);
    return rc;
}
