/* cli_sample.c: the selection job of `assay sample` and `assay verify`
 * (see cli_sample.h): population detection, the engine sink (workers parse,
 * validate and key; the per-input merge numbers, stratifies and selects),
 * the census and selection passes, and sample.csv.
 */
#include <errno.h>      /* errno */
#include <pthread.h>    /* the merge of per-input heaps */
#include <stdatomic.h>  /* the out-of-memory flag */
#include <stdlib.h>     /* qsort */
#include <string.h>     /* strcmp, memcpy */
#include <time.h>       /* clock_gettime: the run time on stderr */

#include "cli/cli_sample.h"
#include "report/rpt.h"

/* ---- methods ---- */

static const char *const k_methods[] = { "random", "systematic", "cell", "stratified", "mus" };

const char *cli_sample_method_name(smp_method m)
{
    return (unsigned)m < AS_ARRAY_LEN(k_methods) ? k_methods[m] : "?";
}

int cli_sample_method_from(const char *s, smp_method *out)
{
    for (unsigned i = 0; i < AS_ARRAY_LEN(k_methods); i++)
        if (strcmp(s, k_methods[i]) == 0) {
            *out = (smp_method)i;
            return 0;
        }
    return -1;
}

/* ---- population.csv ---- */

static const char k_pop_header[] = "record_id,key,time,source,file,line,offset,result,reason";

/* Is path a population.csv (its first line, decompressed when the file is
 * gzip or zstd, is exactly the schema's header)? */
static int is_population_csv(const char *path)
{
    char line[256];
    size_t n = eng_file_head(path, line, sizeof line - 1);
    line[n] = '\0';
    char *p = line;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    size_t h = sizeof k_pop_header - 1;
    return strncmp(p, k_pop_header, h) == 0 && (p[h] == '\r' || p[h] == '\n' || p[h] == '\0');
}

/* A cell written by rpt_csv with a formula guard: drop the apostrophe again
 * only where rpt_csv put one (before = + - @ TAB CR). */
static as_slice unguard(as_slice s)
{
    if (s.len >= 2 && s.ptr[0] == '\'' && strchr("=+-@\t\r", s.ptr[1]) != NULL)
        return (as_slice){ s.ptr + 1, s.len - 1 };
    return s;
}

/* ---- values (mus): a decimal into millionths, exactly ---- */

enum { VAL_OK = 0, VAL_NONPOS, VAL_BAD };

static int parse_value(as_slice s, unsigned __int128 *out)
{
    s = as_slice_trim(s);
    int neg = 0;
    size_t i = 0;
    if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
        neg = s.ptr[i++] == '-';
    unsigned __int128 v = 0;
    unsigned nd = 0, nf = 0;
    for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++, nd++) {
        if (v > ((unsigned __int128)1 << 100))
            return VAL_BAD;
        v = v * 10 + (unsigned)(s.ptr[i] - '0');
    }
    if (i < s.len && s.ptr[i] == '.')
        for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
            if (nf == 6) {
                if (s.ptr[i] != '0')
                    return VAL_BAD;
                continue;
            }
            v = v * 10 + (unsigned)(s.ptr[i] - '0');
            nf++;
        }
    if (i != s.len || (nd == 0 && nf == 0))
        return VAL_BAD;
    for (; nf < 6; nf++)
        v *= 10;
    if (neg || v == 0)
        return VAL_NONPOS;
    *out = v;
    return VAL_OK;
}

static void u128_text(unsigned __int128 v, char *out, size_t cap)
{
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v && n < sizeof tmp);
    size_t k = 0;
    while (n && k + 1 < cap)
        out[k++] = tmp[--n];
    out[k] = '\0';
}

/* millionths as a decimal: 1234500000 -> "1234.5" */
void cli_sample_value_text(unsigned __int128 v, char *out, size_t cap)
{
    char w[48];
    u128_text(v / CLI_SAMPLE_VALUE_SCALE, w, sizeof w);
    unsigned f = (unsigned)(v % CLI_SAMPLE_VALUE_SCALE);
    if (f == 0) {
        snprintf(out, cap, "%s", w);
        return;
    }
    char fr[8];
    snprintf(fr, sizeof fr, "%06u", f);
    for (int i = 5; i > 0 && fr[i] == '0'; i--)
        fr[i] = '\0';
    snprintf(out, cap, "%s.%s", w, fr);
}

/* The fields the workers read of every record (HOT_*): CSV cells by
 * column index (psr_input_column, found once per input), names otherwise. */
enum { HOT_ID = 0, HOT_RESULT, HOT_VALUE, HOT_LABEL, HOT__COUNT };

/* ---- the job ---- */

enum { PH_CENSUS = 0, PH_SELECT };
enum { ENT_ITEM = 0, ENT_REJECT, ENT_EXCLUDED };

/* One per record read (hot): fields in order of alignment, padding only at the end. */
typedef struct s_ent {
    unsigned __int128 value;    /* mus */
    uint64_t          key;      /* select pass, random/stratified */
    const char       *why;
    as_slice          id;       /* population.csv: the record_id (block arena) */
    as_slice          label;    /* --strata FIELD: the value (block arena) */
    psr_res           res;
    as_rec            rec;      /* raw bytes in the block (until the merge); no parse state: the
                                   worker parses transiently, the merge parses again what it keeps */
    as_code           code;
    uint8_t           kind;
} s_ent;

/* A block's result. Entries go to the merge only for what needs stream
 * order or can still be selected: rejections (their notes), RFC 3164
 * records (the year), and in the selection pass the items a worker's
 * prefilter lets through (random, stratified) or every item (interval
 * methods, 100%). The other items the worker counts itself ("quiet"). */
typedef struct s_blk {
    s_ent            *v;       /* owned buffer (recycled through the job's pool after the merge) */
    size_t            n;
    size_t            cap;     /* bytes */
    uint32_t          input;
    uint64_t          quiet, quiet_excl;
    unsigned __int128 quiet_value;
    smp_tally         tally;   /* census: the quiet items' strata */
    int               has_tally;
} s_blk;

typedef struct s_in {
    psr_syslog_year   ys;
    uint64_t          count, excluded, year_bad;
    unsigned __int128 value;
    smp_tally         tally;              /* census: items per stratum */
    smp_bottomk       bk;                 /* random */
    smp_bottomk      *bk_h;               /* stratified: one per stratum */
    uint64_t          ord;                /* interval: items (or units) before the current one */
    unsigned __int128 cum;
    uint64_t          j;                  /* interval: the next draw (1-based), n + 1 when done */
    unsigned __int128 next_unit;
    psr_worker       *pw;                 /* the merge's own, to parse again the records it keeps */
    cli_sample_item **sel;                /* interval and full: selected, in stream order */
    size_t            n_sel, cap_sel;
    int               oom;
    int               ix[HOT__COUNT];     /* CSV: columns of the hot fields, -1 = by name */
} s_in;

typedef struct s_job {
    const cli_sample_opts *o;
    cli_sample_res        *r;
    const eng_inputs      *inputs;
    cli_psr                g;
    int                    phase, pop_mode, full;
    int                    full_known;    /* full was decided by the census, before the selection pass */
    char                 (*sha16)[17];    /* per input: the record id prefix (logs, from the census) */
    s_in                  *in;
    uint64_t               n;             /* draws */
    uint64_t              *base_ord;      /* interval: items before each input */
    unsigned __int128     *base_val;
    unsigned __int128      T;             /* interval: units in the population */
    uint64_t               h;             /* random start */
    smp_keyer             *keyer_main;    /* start and cell draws (merge threads: under mu) */
    smp_tally              strata;        /* the census's strata, read-only in the select pass */
    smp_tally_ent        **strata_sorted;
    uint64_t              *n_h;
    smp_bottomk            global;        /* random: the merged heaps */
    smp_bottomk           *global_h;      /* stratified */
    pthread_mutex_t        mu;
    _Atomic int            oom;
    as_buf                *free_bufs;     /* entry buffers given back by merges (under mu) */
    size_t                 n_free, cap_free;
} s_job;

typedef struct s_w {
    s_job            *job;
    psr_worker       *pw;
    smp_keyer        *keyer;
    as_buf            ents;
    as_arena          scratch;  /* one record's parse (cells, decoded values); reset per record */
    smp_kfilter       kf;      /* random: the prefilter in front of the merges' heaps */
    smp_kfilter      *kf_h;    /* stratified: one per stratum of the census */
    size_t            n_kf_h;
    uint64_t          q, q_excl;  /* the current block's quiet items (see s_blk) */
    unsigned __int128 q_value;
    smp_tally         q_tally;
    int               has_q_tally;
} s_w;

static void item_free(void *p)
{
    cli_sample_item *it = p;
    if (it == NULL)
        return;
    as_buf_fini(&it->s);
    as_free(it->stratum);
    as_free(it);
}

static void *w_init(void *ctx, unsigned id)
{
    (void)id;
    s_job *job = ctx;
    s_w *w = as_calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->job = job;
    w->pw = psr_worker_new(job->g.ctx);
    if (job->o->has_seed)
        w->keyer = smp_keyer_new(&job->o->seed);
    as_buf_init(&w->ents);
    as_arena_init(&w->scratch, 0);
    smp_kfilter_init(&w->kf, job->phase == PH_SELECT && job->o->method == SMP_METHOD_RANDOM ? job->n : 0);
    if (job->phase == PH_SELECT && job->o->method == SMP_METHOD_STRATIFIED && job->n_h && job->strata.n) {
        w->kf_h = as_calloc(job->strata.n, sizeof *w->kf_h);
        if (w->kf_h) {
            w->n_kf_h = job->strata.n;
            for (size_t h = 0; h < job->strata.n; h++)
                smp_kfilter_init(&w->kf_h[h], job->n_h[h]);
        }
    }
    smp_tally_init(&w->q_tally);
    return w;
}

static void w_fini(void *ctx, void *ws)
{
    (void)ctx;
    s_w *w = ws;
    if (w == NULL)
        return;
    psr_worker_free(w->pw);
    smp_keyer_free(w->keyer);
    as_buf_fini(&w->ents);
    as_arena_fini(&w->scratch);
    smp_kfilter_fini(&w->kf);
    for (size_t h = 0; h < w->n_kf_h; h++)
        smp_kfilter_fini(&w->kf_h[h]);
    as_free(w->kf_h);
    smp_tally_fini(&w->q_tally);
    as_free(w);
}

static void interval_begin(s_job *job, uint32_t i);

static void *in_begin(void *ctx, uint32_t input)
{
    s_job *job = ctx;
    smp_method m = job->o->method;
    if (job->phase == PH_SELECT && !job->full &&
        (m == SMP_METHOD_SYSTEMATIC || m == SMP_METHOD_CELL || m == SMP_METHOD_MUS))
        interval_begin(job, input);
    return &job->in[input];
}

/* The names of the hot fields (HOT_*) this job reads; NULL = not read. */
static void hot_names(const s_job *job, const char *names[HOT__COUNT])
{
    const cli_sample_opts *o = job->o;
    names[HOT_ID] = job->pop_mode ? "record_id" : NULL;
    names[HOT_RESULT] = job->pop_mode ? "result" : NULL;
    names[HOT_VALUE] = o->method == SMP_METHOD_MUS ? o->value_field : NULL;
    names[HOT_LABEL] = o->strata == 2 ? o->strata_field : NULL;
}

static eng_framing in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    s_job *job = ctx;
    s_in *a = accp;
    eng_framing f = cli_psr_head(&job->g, input, head);
    const psr_input *pi = job->g.inputs[input];
    if (pi)
        psr_input_year_init(pi, &a->ys);
    const char *names[HOT__COUNT];
    hot_names(job, names);
    for (int k = 0; k < HOT__COUNT; k++)
        a->ix[k] = names[k] && pi ? psr_input_column(pi, as_slice_cstr(names[k])) : -1;
    return f;
}

static void split_doc(void *ws, const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    (void)ws;
    cli_psr_split_document(bc, doc, em);
}

static as_slice field(const as_rec *rec, const char *name, as_arena *ar)
{
    as_val v = { .type = AS_V_MISSING };
    if (as_rec_get(rec, as_slice_cstr(name), &v, ar) != AS_OK)
        return (as_slice){ "", 0 };
    if (v.type == AS_V_MISSING || v.type == AS_V_NULL)
        return (as_slice){ "", 0 };
    if (v.type == AS_V_STR)
        return v.u.str;
    as_buf b = AS_BUF_INIT;
    if (as_val_to_text(&v, &b) != 0) {
        as_buf_fini(&b);
        return (as_slice){ "", 0 };
    }
    char *c = as_arena_strndup(ar, b.data ? b.data : "", b.len);
    as_slice s = { c ? c : "", c ? b.len : 0 };
    as_buf_fini(&b);
    return s;
}

/* The hot fields of a record: CSV cells by column, or lookups by name. */
static void hot_fields(const s_job *job, const as_rec *rec, as_arena *ar, as_slice out[HOT__COUNT])
{
    const char *names[HOT__COUNT];
    hot_names(job, names);
    const s_in *a = &job->in[rec->input];
    for (int k = 0; k < HOT__COUNT; k++)
        out[k] = !names[k] ? (as_slice){ "", 0 }
                 : a->ix[k] >= 0 ? psr_rec_cell(rec, a->ix[k])
                                 : field(rec, names[k], ar);
}

/* The record id of an accepted record into buf (a population.csv cell, or sha16:offset). */
static as_slice record_id(const s_job *job, const as_rec *rec, as_arena *ar, char buf[AS_REC_ID_MAX])
{
    if (job->pop_mode)
        return unguard(field(rec, "record_id", ar));
    memcpy(buf, job->sha16[rec->input], 16);
    int k = snprintf(buf + 16, AS_REC_ID_MAX - 16, ":%llu", (unsigned long long)rec->offset);
    return (as_slice){ buf, 16 + (size_t)(k > 0 ? k : 0) };
}

/* The stratum label of an item (its time's period, or --strata FIELD's
 * value); into buf. */
static as_slice stratum_label(const s_job *job, as_time t, as_slice label, char buf[SMP_LABEL_MAX])
{
    if (job->o->strata == 1) {
        if (!as_time_is_valid(t))
            return AS_SLICE_LIT("(no time)");
        size_t n = smp_period_label(job->o->period, t, buf);
        return (as_slice){ buf, n };
    }
    return label.len ? label : AS_SLICE_LIT("(empty)");
}

/* Does the merge need this entry (see s_blk)? If not, the worker counts it. */
static int needs_merge(s_w *w, const s_ent *e)
{
    s_job *job = w->job;
    const cli_sample_opts *o = job->o;
    if (e->kind == ENT_REJECT || e->res.needs_year)
        return 1;
    if (e->kind == ENT_EXCLUDED) {
        w->q_excl++;
        return 0;
    }
    char lab[SMP_LABEL_MAX];
    if (job->phase == PH_CENSUS) {
        if (o->strata) {
            if (smp_tally_add(&w->q_tally, stratum_label(job, e->res.time, e->label, lab), 1, 0) != AS_OK)
                return 1;                               /* out of memory here: the merge counts it */
            w->has_q_tally = 1;
        }
    } else if (job->full || (o->method != SMP_METHOD_RANDOM && o->method != SMP_METHOD_STRATIFIED)) {
        return 1;                                       /* 100%, interval methods: every item has a position */
    } else if (o->method == SMP_METHOD_RANDOM) {
        if (smp_kfilter_offer(&w->kf, e->key))
            return 1;
    } else if (o->method == SMP_METHOD_STRATIFIED) {
        const smp_tally_ent *te = smp_tally_find(&job->strata, stratum_label(job, e->res.time, e->label, lab));
        if (te == NULL || te->index >= w->n_kf_h || smp_kfilter_offer(&w->kf_h[te->index], e->key))
            return 1;
    }
    w->q++;
    w->q_value += e->value;
    return 0;
}

/* A string of the worker's transient parse state, copied into the block's arena. */
static as_slice keep_str(s_job *job, as_slice v, as_arena *ar)
{
    if (v.len == 0)
        return (as_slice){ "", 0 };
    char *c = as_arena_strndup(ar, v.ptr, v.len);
    if (c == NULL)
        atomic_store(&job->oom, 1);
    return (as_slice){ c ? c : "", c ? v.len : 0 };
}

/* Records a worker looks at together: their keys are computed in one call
 * (16 at a time where the CPU can, smp_keyer_keys). */
#define SUB_BATCH 64

/* Parses and validates one record into *e; the slices it keeps (id, label)
 * point into the worker's scratch until keep_str. Returns 0 when the record
 * is no entry at all (a header row). */
static int read_entry(s_w *w, const psr_input *pi, eng_item *item, s_ent *e)
{
    s_job *job = w->job;
    const cli_sample_opts *o = job->o;
    as_arena *ar = &w->scratch;
    memset(e, 0, sizeof *e);
    e->rec = item->rec;
    as_code rc = psr_parse_transient(pi, w->pw, &e->rec, ar, &e->res);
    if (rc == AS_NOT_A_RECORD) {
        item->code = rc;
        return 0;
    }
    as_slice hot[HOT__COUNT] = { { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 } };
    if (rc != AS_OK) {
        item->code = rc;
        if (e->res.err_line <= 1)
            item->col = (uint32_t)AS_MIN(e->res.err_col, UINT32_MAX);
        e->kind = ENT_REJECT;
        e->code = rc;
        e->why = e->res.why;
    } else {
        hot_fields(job, &e->rec, ar, hot);
    }
    if (rc == AS_OK && job->pop_mode) {
        as_slice id = unguard(hot[HOT_ID]);
        as_slice res = hot[HOT_RESULT];
        if (id.len == 0) {
            e->kind = ENT_REJECT;
            e->code = AS_ERR_BAD_VALUE;
            e->why = "record_id is empty";
        } else if (!(as_slice_eq_cstr(res, "pass") || as_slice_eq_cstr(res, "exception") ||
                     as_slice_eq_cstr(res, "untestable"))) {
            e->kind = ENT_REJECT;
            e->code = AS_ERR_BAD_VALUE;
            e->why = "result is not pass, exception or untestable";
        }
    }
    if (e->kind == ENT_ITEM && o->method == SMP_METHOD_MUS) {
        as_slice vs = hot[HOT_VALUE];
        int vr = parse_value(vs, &e->value);
        if (vr == VAL_BAD) {
            e->kind = ENT_REJECT;
            e->code = AS_ERR_BAD_VALUE;
            e->why = vs.len ? "the value field is not a decimal number (at most 6 decimals)"
                            : "the value field is missing or empty";
        } else if (vr == VAL_NONPOS) {
            e->kind = ENT_EXCLUDED;
        }
    }
    if (e->kind == ENT_REJECT && item->code == AS_OK)
        item->code = e->code;                        /* the engine counts it rejected */
    if (e->kind == ENT_ITEM) {
        if (job->pop_mode) {
            e->id = unguard(hot[HOT_ID]);
        } else if (job->phase == PH_SELECT) {
            char buf[AS_REC_ID_MAX];
            as_slice id = record_id(job, &e->rec, ar, buf);
            char *c = as_arena_strndup(ar, id.ptr, id.len);
            if (c == NULL)
                atomic_store(&job->oom, 1);
            e->id = (as_slice){ c ? c : "", c ? id.len : 0 };
        }
        if (o->strata == 2)
            e->label = unguard(hot[HOT_LABEL]);
    }
    e->rec.fmt = NULL;                               /* the transient state is the worker's */
    e->rec.state = NULL;
    return 1;
}

static void on_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    s_w *w = ws;
    if (w == NULL || w->pw == NULL)
        return;
    s_job *job = w->job;
    const cli_sample_opts *o = job->o;
    const psr_input *pi = job->g.inputs[bc->input];
    if (pi == NULL)
        return;
    int want_key = job->phase == PH_SELECT && w->keyer &&
                   (o->method == SMP_METHOD_RANDOM || o->method == SMP_METHOD_STRATIFIED);
    s_ent ents[SUB_BATCH];
    as_slice ids[SUB_BATCH];
    uint64_t keys[SUB_BATCH];
    size_t at_key[SUB_BATCH];
    for (size_t i0 = 0; i0 < n; i0 += SUB_BATCH) {
        size_t m = AS_MIN(n - i0, (size_t)SUB_BATCH), ne = 0, nk = 0;
        as_arena_reset(&w->scratch);                 /* what is kept is copied to bc->arena (keep_str) */
        for (size_t i = i0; i < i0 + m; i++) {
            if (items[i].code != AS_OK)
                continue;                            /* the engine's rejections: counted there */
            if (!read_entry(w, pi, &items[i], &ents[ne]))
                continue;
            if (want_key && ents[ne].kind == ENT_ITEM) {
                ids[nk] = ents[ne].id;
                at_key[nk++] = ne;
            }
            ne++;
        }
        if (nk && smp_keyer_keys(w->keyer, ids, nk, keys) != 0)
            atomic_store(&job->oom, 1);
        for (size_t k = 0; k < nk; k++)
            ents[at_key[k]].key = keys[k];
        for (size_t k = 0; k < ne; k++) {
            s_ent *e = &ents[k];
            if (!needs_merge(w, e))
                continue;
            e->id = keep_str(job, e->id, bc->arena);
            e->label = keep_str(job, e->label, bc->arena);
            if (as_buf_append(&w->ents, e, sizeof *e) != 0)
                atomic_store(&job->oom, 1);
        }
    }
}

/* The block's entries move to the block result as they are; the worker
 * continues with a buffer a merge gave back (no copy, and no fresh pages
 * for every block). */
static void *block_end(void *ws, const eng_blockctx *bc)
{
    s_w *w = ws;
    if (w == NULL)
        return NULL;
    s_job *job = w->job;
    s_blk *b = as_arena_alloc(bc->arena, sizeof *b, _Alignof(s_blk));
    if (b == NULL) {
        atomic_store(&job->oom, 1);
        as_buf_clear(&w->ents);
        return NULL;
    }
    memset(b, 0, sizeof *b);
    b->input = bc->input;
    b->n = w->ents.len / sizeof(s_ent);
    b->v = (s_ent *)(void *)w->ents.data;
    b->cap = w->ents.cap;
    b->quiet = w->q;
    b->quiet_excl = w->q_excl;
    b->quiet_value = w->q_value;
    w->q = w->q_excl = 0;
    w->q_value = 0;
    if (w->has_q_tally) {
        b->tally = w->q_tally;                          /* moved; the worker starts a new one */
        b->has_tally = 1;
        smp_tally_init(&w->q_tally);
        w->has_q_tally = 0;
    }
    pthread_mutex_lock(&job->mu);
    if (job->n_free) {
        w->ents = job->free_bufs[--job->n_free];
    } else {
        as_buf_init(&w->ents);
    }
    pthread_mutex_unlock(&job->mu);
    as_buf_clear(&w->ents);
    return b;
}

static void blk_recycle(s_job *job, s_blk *b)
{
    as_buf buf = { (char *)(void *)b->v, 0, b->cap };
    b->v = NULL;
    b->n = 0;
    if (buf.data == NULL)
        return;
    pthread_mutex_lock(&job->mu);
    if (job->n_free == job->cap_free) {
        size_t cap = job->cap_free ? 2 * job->cap_free : 8;
        as_buf *v = as_realloc(job->free_bufs, cap * sizeof *v);
        if (v == NULL) {
            pthread_mutex_unlock(&job->mu);
            as_buf_fini(&buf);
            return;
        }
        job->free_bufs = v;
        job->cap_free = cap;
    }
    job->free_bufs[job->n_free++] = buf;
    pthread_mutex_unlock(&job->mu);
}

/* The record id of an entry at merge time. */
static as_slice ent_id(const s_job *job, const s_ent *e, char buf[AS_REC_ID_MAX])
{
    if (job->pop_mode)
        return e->id;
    return record_id(job, &e->rec, NULL, buf);
}

/* The stratum label of an entry into buf. */
static as_slice stratum_of(const s_job *job, const s_ent *e, char buf[SMP_LABEL_MAX])
{
    return stratum_label(job, e->res.time, e->label, buf);
}

static int put_str(as_buf *b, as_slice s)
{
    uint32_t n = (uint32_t)AS_MIN(s.len, UINT32_MAX);
    return as_buf_append(b, &n, sizeof n) || as_buf_append(b, s.ptr ? s.ptr : "", n);
}

typedef struct fld_acc {
    cli_sample_item *it;
    as_buf           tmp;
    int              failed;
} fld_acc;

static void put_field(void *arg, as_slice name, const as_val *v)
{
    fld_acc *f = arg;
    as_buf_clear(&f->tmp);
    if (as_val_to_text(v, &f->tmp) != 0 || put_str(&f->it->s, name) ||
        put_str(&f->it->s, (as_slice){ f->tmp.data ? f->tmp.data : "", f->tmp.len }))
        f->failed = 1;
    f->it->n_fields++;
}

/* Copies what sample.csv needs of a selected record out of its block. */
static cli_sample_item *make_item(s_job *job, s_in *a, const s_ent *e, uint64_t line_base, as_slice stratum,
                                  as_arena *ar)
{
    /* parse the kept record again (the worker's parse state is gone) */
    const psr_input *pi = job->g.inputs[e->rec.input];
    if (a->pw == NULL)
        a->pw = psr_worker_new(job->g.ctx);
    as_rec copy = e->rec;
    psr_res pres;
    if (pi == NULL || a->pw == NULL || psr_parse(pi, a->pw, &copy, ar, &pres) != AS_OK)
        return NULL;
    cli_sample_item *it = as_calloc(1, sizeof *it);
    if (it == NULL)
        return NULL;
    as_buf_init(&it->s);
    const as_rec *rec = &copy;
    const char *path = job->inputs->v[rec->input].display;
    it->input = rec->input;
    it->line = line_base + rec->line;
    it->offset = rec->offset;
    it->time = e->res.time;
    it->sel_key = e->key;
    if (stratum.len)
        it->stratum = as_strndup(stratum.ptr, stratum.len);
    char idb[AS_REC_ID_MAX], loc[4096], val[64] = "";
    int failed = stratum.len && it->stratum == NULL;
    if (job->o->method == SMP_METHOD_MUS)
        cli_sample_value_text(e->value, val, sizeof val);
    if (job->pop_mode) {
        as_slice file = unguard(field(rec, "file", ar)), line = field(rec, "line", ar);
        if (file.len)
            snprintf(loc, sizeof loc, "%.*s%s%.*s", (int)AS_MIN(file.len, 4000), file.ptr, line.len ? ":" : "",
                     (int)AS_MIN(line.len, 40), line.ptr);
        else
            loc[0] = '\0';
        failed |= put_str(&it->s, e->id) || put_str(&it->s, unguard(field(rec, "key", ar))) ||
                  put_str(&it->s, unguard(field(rec, "source", ar))) || put_str(&it->s, as_slice_cstr(loc)) ||
                  put_str(&it->s, as_slice_cstr(val));
        static const char *const cols[] = { "file", "line", "offset", "result", "reason" };
        for (size_t c = 0; c < AS_ARRAY_LEN(cols); c++) {
            failed |= put_str(&it->s, as_slice_cstr(cols[c])) || put_str(&it->s, unguard(field(rec, cols[c], ar)));
            it->n_fields++;
        }
    } else {
        snprintf(loc, sizeof loc, "%s:%llu", path, (unsigned long long)it->line);
        as_slice key = job->o->key_field ? field(rec, job->o->key_field, ar) : (as_slice){ "", 0 };
        failed |= put_str(&it->s, record_id(job, rec, ar, idb)) || put_str(&it->s, key) ||
                  put_str(&it->s, as_slice_cstr(path)) || put_str(&it->s, as_slice_cstr(loc)) ||
                  put_str(&it->s, as_slice_cstr(val));
        as_slice js = psr_rec_json(rec);
        if (js.len) {
            failed |= put_str(&it->s, AS_SLICE_LIT("record")) || put_str(&it->s, js);
            it->n_fields++;
        } else if (rec->fmt == NULL) {
            failed |= put_str(&it->s, AS_SLICE_LIT("raw")) || put_str(&it->s, rec->raw);
            it->n_fields++;
        } else {
            fld_acc f = { it, AS_BUF_INIT, 0 };
            failed |= psr_fields_each(rec, put_field, &f, ar) != AS_OK || f.failed;
            as_buf_fini(&f.tmp);
        }
    }
    if (failed) {
        item_free(it);
        return NULL;
    }
    return it;
}

static int sel_push(s_in *a, cli_sample_item *it)
{
    if (a->n_sel == a->cap_sel) {
        size_t cap = a->cap_sel ? 2 * a->cap_sel : 16;
        cli_sample_item **v = as_realloc(a->sel, cap * sizeof(cli_sample_item *));
        if (v == NULL)
            return -1;
        a->sel = v;
        a->cap_sel = cap;
    }
    a->sel[a->n_sel++] = it;
    return 0;
}

/* The unit of draw j (1..n): the random start h, one per cell, or --start. */
static as_code unit_of(s_job *job, uint64_t j, unsigned __int128 *u)
{
    const cli_sample_opts *o = job->o;
    if (o->has_start)                                /* mus: --start is in the value's unit, T in millionths */
        return smp_unit_start(job->T, job->n, j, o->start_num * (o->method == SMP_METHOD_MUS ? CLI_SAMPLE_VALUE_SCALE : 1),
                              o->start_den, u);
    uint64_t h = job->h;
    if (o->method == SMP_METHOD_CELL || (o->method == SMP_METHOD_MUS && o->mus_cells)) {
        pthread_mutex_lock(&job->mu);
        int rc = smp_keyer_draw(job->keyer_main, o->method == SMP_METHOD_CELL ? "assay-cell" : "assay-mus-cell", j, &h);
        pthread_mutex_unlock(&job->mu);
        if (rc != 0)
            return AS_ERR_NOMEM;
    }
    return smp_unit_random(job->T, job->n, j, h, u);
}

/* The first draw of input i: the smallest j whose unit lies past the units
 * of the inputs before it (units grow with j: a bisection on j). */
static void interval_begin(s_job *job, uint32_t i)
{
    s_in *a = &job->in[i];
    unsigned __int128 base = job->o->method == SMP_METHOD_MUS ? job->base_val[i] : job->base_ord[i];
    uint64_t lo = 1, hi = job->n + 1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        unsigned __int128 u;
        if (unit_of(job, mid, &u) != AS_OK) {
            a->oom = 1;
            return;
        }
        if (u > base)
            hi = mid;
        else
            lo = mid + 1;
    }
    a->j = lo;
    a->ord = job->base_ord[i];
    a->cum = job->base_val[i];
    if (a->j <= job->n && unit_of(job, a->j, &a->next_unit) != AS_OK)
        a->oom = 1;
}

static void merge(void *ctx, void *accp, void *res, uint64_t line_base)
{
    s_job *job = ctx;
    s_in *a = accp;
    s_blk *b = res;
    const cli_sample_opts *o = job->o;
    if (b == NULL)
        return;
    if (a == NULL) {
        if (b->has_tally)
            smp_tally_fini(&b->tally);
        blk_recycle(job, b);
        return;
    }
    a->count += b->quiet;                            /* what the workers counted themselves */
    a->excluded += b->quiet_excl;
    a->value += b->quiet_value;
    if (b->has_tally) {
        if (smp_tally_merge(&a->tally, &b->tally) != AS_OK)
            a->oom = 1;
        smp_tally_fini(&b->tally);
    }
    if (b->n == 0) {
        blk_recycle(job, b);
        return;
    }
    uint32_t input = b->input;
    cli_sample_in *ri = &job->r->in[input];
    as_arena scratch;
    as_arena_init(&scratch, 0);
    char lab[SMP_LABEL_MAX];
    for (size_t i = 0; i < b->n; i++) {
        s_ent *e = &b->v[i];
        if (e->kind == ENT_ITEM && e->res.needs_year && psr_res_resolve_year(&a->ys, &e->res) != AS_OK) {
            e->kind = ENT_REJECT;
            e->code = AS_ERR_BAD_TIME;
            e->why = "no year fits this RFC 3164 stamp (give --year or --period)";
            a->year_bad++;
        }
        if (e->kind == ENT_REJECT) {
            if (job->phase == PH_SELECT && ri->n_notes < CLI_SAMPLE_REJECT_NOTES)
                snprintf(ri->notes[ri->n_notes++], sizeof ri->notes[0], "%s:%llu: %s (%s)", ri->path,
                         (unsigned long long)line_base + e->rec.line + (e->res.err_line ? e->res.err_line - 1 : 0),
                         e->why && e->why[0] ? e->why : as_err_text(e->code), as_err_name(e->code));
            continue;
        }
        if (e->kind == ENT_EXCLUDED) {
            a->excluded++;
            continue;
        }
        a->count++;
        a->value += e->value;
        if (job->phase == PH_CENSUS) {
            if (o->strata && smp_tally_add(&a->tally, stratum_of(job, e, lab), 1, 0) != AS_OK)
                a->oom = 1;
            as_arena_reset(&scratch);
            continue;
        }
        if (job->full) {
            as_slice st = o->strata ? stratum_of(job, e, lab) : (as_slice){ "", 0 };
            cli_sample_item *it = make_item(job, a, e, line_base, st, &scratch);
            if (it)
                it->ordinal_pop = job->base_ord[input] + a->count;
            if (it == NULL || sel_push(a, it) != 0) {
                item_free(it);
                a->oom = 1;
            }
            as_arena_reset(&scratch);
            continue;
        }
        switch (o->method) {
        case SMP_METHOD_RANDOM: {
            char idb[AS_REC_ID_MAX];
            as_slice id = ent_id(job, e, idb);
            if (smp_bottomk_wants(&a->bk, e->key, id)) {
                cli_sample_item *it = make_item(job, a, e, line_base, (as_slice){ "", 0 }, &scratch);
                if (it == NULL || smp_bottomk_push(&a->bk, e->key, id, it) != AS_OK)
                    a->oom = 1;
            }
            break;
        }
        case SMP_METHOD_STRATIFIED: {
            as_slice st = stratum_of(job, e, lab);
            const smp_tally_ent *te = smp_tally_find(&job->strata, st);  /* read only: labels are from the census */
            if (te == NULL) {
                a->oom = 1;
                break;
            }
            smp_bottomk *bk = &a->bk_h[te->index];
            char idb[AS_REC_ID_MAX];
            as_slice id = ent_id(job, e, idb);
            if (smp_bottomk_wants(bk, e->key, id)) {
                cli_sample_item *it = make_item(job, a, e, line_base, st, &scratch);
                if (it == NULL || smp_bottomk_push(bk, e->key, id, it) != AS_OK)
                    a->oom = 1;
            }
            break;
        }
        case SMP_METHOD_SYSTEMATIC:
        case SMP_METHOD_CELL:
        case SMP_METHOD_MUS: {
            unsigned __int128 lo_u = o->method == SMP_METHOD_MUS ? a->cum : a->ord;
            if (o->method == SMP_METHOD_MUS)
                a->cum += e->value;
            else
                a->ord++;
            unsigned __int128 hi_u = o->method == SMP_METHOD_MUS ? a->cum : a->ord;
            uint64_t times = 0;
            unsigned __int128 first = 0;
            while (a->j <= job->n && a->next_unit > lo_u && a->next_unit <= hi_u) {
                if (times == 0)
                    first = a->next_unit;
                times++;
                a->j++;
                if (a->j <= job->n && unit_of(job, a->j, &a->next_unit) != AS_OK) {
                    a->oom = 1;
                    break;
                }
            }
            if (times) {
                cli_sample_item *it = make_item(job, a, e, line_base, (as_slice){ "", 0 }, &scratch);
                if (it == NULL || sel_push(a, it) != 0) {
                    item_free(it);
                    a->oom = 1;
                    break;
                }
                it->unit = first;
                it->times = times;
                it->ordinal_pop = job->base_ord[input] + a->count;
            }
            break;
        }
        }
        as_arena_reset(&scratch);
    }
    as_arena_fini(&scratch);
    blk_recycle(job, b);
}

static void in_end(void *ctx, void *accp, uint32_t input, const eng_stat *st)
{
    (void)st;
    (void)input;
    s_job *job = ctx;
    s_in *a = accp;
    psr_worker_free(a->pw);                          /* before the parsers' context goes */
    a->pw = NULL;
    if (job->phase != PH_SELECT || job->full)
        return;
    pthread_mutex_lock(&job->mu);
    if (job->o->method == SMP_METHOD_RANDOM && smp_bottomk_merge(&job->global, &a->bk) != AS_OK)
        a->oom = 1;
    if (job->o->method == SMP_METHOD_STRATIFIED)
        for (size_t h = 0; h < job->strata.n; h++)
            if (smp_bottomk_merge(&job->global_h[h], &a->bk_h[h]) != AS_OK)
                a->oom = 1;
    pthread_mutex_unlock(&job->mu);
}

/* ---- running the passes ---- */

static void in_state_fini(s_job *job)
{
    if (job->in == NULL)
        return;
    for (size_t i = 0; i < job->inputs->n; i++) {
        s_in *a = &job->in[i];
        smp_tally_fini(&a->tally);
        smp_bottomk_fini(&a->bk);
        if (a->bk_h) {
            for (size_t h = 0; h < job->strata.n; h++)
                smp_bottomk_fini(&a->bk_h[h]);
            as_free(a->bk_h);
        }
        for (size_t k = 0; k < a->n_sel; k++)
            item_free(a->sel[k]);
        as_free(a->sel);
        memset(a, 0, sizeof *a);
    }
}

static int in_state_init(s_job *job)
{
    for (size_t i = 0; i < job->inputs->n; i++) {
        s_in *a = &job->in[i];
        memset(a, 0, sizeof *a);
        for (int k = 0; k < HOT__COUNT; k++)
            a->ix[k] = -1;
        smp_tally_init(&a->tally);
        smp_bottomk_init(&a->bk, job->n, item_free);
        if (job->phase == PH_SELECT && job->o->method == SMP_METHOD_STRATIFIED && !job->full) {
            a->bk_h = as_calloc(job->strata.n ? job->strata.n : 1, sizeof *a->bk_h);
            if (a->bk_h == NULL)
                return -1;
            for (size_t h = 0; h < job->strata.n; h++)
                smp_bottomk_init(&a->bk_h[h], job->n_h[h], item_free);
        }
    }
    return 0;
}

static int run_pass(s_job *job, int phase)
{
    const cli_sample_opts *o = job->o;
    cli_sample_res *r = job->r;
    job->phase = phase;
    cli_psr_opts po = o->po;
    if (job->pop_mode)
        po.format = "csv";
    int rc = cli_psr_setup(&job->g, &po, job->inputs->n, job->inputs);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (in_state_init(job) != 0) {
        cli_psr_fini(&job->g);
        cli_errf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    eng_sink sink = { .ctx = job, .worker_init = w_init, .worker_fini = w_fini, .input_begin = in_begin,
                      .on_batch = on_batch, .block_end = block_end, .merge = merge, .input_end = in_end,
                      .input_head = in_head, .split_document = split_doc };
    eng_opts eo = { .workers = o->workers, .max_document = po.max_document };
    eng_job *ej = eng_job_new(job->inputs, &eo, &sink);
    if (ej == NULL) {
        cli_psr_fini(&job->g);
        cli_errf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    as_err err;
    as_err_clear(&err);
    if (eng_job_run(ej, NULL, NULL, &err) != AS_OK) {
        cli_err(&err);
        eng_job_free(ej);
        cli_psr_fini(&job->g);
        return CLI_EXIT_INTERNAL;
    }
    rc = CLI_EXIT_OK;
    for (size_t i = 0; i < job->inputs->n; i++) {
        const eng_stat *st = eng_job_stat(ej, i);
        cli_sample_in *ri = &r->in[i];
        s_in *a = &job->in[i];
        if (a->oom)
            atomic_store(&job->oom, 1);
        if (ri->has_sha && st->has_sha256 && memcmp(ri->sha256, st->sha256, AS_SHA256_LEN) != 0) {
            cli_errf("%s: changed between the census and the selection (its SHA-256 differs): freeze the "
                     "population before sampling", ri->path);
            rc = CLI_EXIT_INPUT;
        }
        ri->has_sha = st->has_sha256;
        memcpy(ri->sha256, st->sha256, AS_SHA256_LEN);
        ri->complete = st->complete;
        ri->bytes = st->bytes_stored;
        ri->records = st->records;
        ri->rejected = st->rejected + a->year_bad;
        memcpy(ri->rejected_by, st->rejected_by, sizeof ri->rejected_by);
        ri->rejected_by[AS_ERR_BAD_TIME] += a->year_bad;
        ri->items = a->count;
        ri->excluded = a->excluded;
        ri->value = a->value;
        const psr_input *pi = job->g.inputs ? job->g.inputs[i] : NULL;
        ri->format = pi ? psr_format_find(psr_input_format_name(pi)) ? psr_format_find(psr_input_format_name(pi))->name
                                                                      : "unknown"
                        : "unknown";
        if (!st->complete) {
            if (st->fault.code != AS_OK)
                cli_err(&st->fault);
            else
                cli_errf("%s: could not be read whole", ri->path);
            r->incomplete = 1;
            rc = CLI_EXIT_INPUT;
        }
        const as_err *pe = pi ? psr_input_error(pi) : NULL;
        if (pe && phase == PH_SELECT)
            cli_warnf("%s: %s", ri->path, pe->msg);
        as_hex(st->sha256, 8, job->sha16[i]);
    }
    eng_job_free(ej);
    cli_psr_fini(&job->g);
    if (atomic_load(&job->oom)) {
        cli_errf("out of memory while sampling");
        return CLI_EXIT_INTERNAL;
    }
    return rc;
}

static void digest_of(cli_sample_res *r)
{
    if (r->n_in == 1) {
        as_hex(r->in[0].sha256, AS_SHA256_LEN, r->digest);
        return;
    }
    as_buf b = AS_BUF_INIT;
    char hex[AS_SHA256_HEX];
    for (size_t i = 0; i < r->n_in; i++) {
        as_hex(r->in[i].sha256, AS_SHA256_LEN, hex);
        if (as_buf_printf(&b, "%s\n", hex) != 0)
            break;
    }
    uint8_t d[AS_SHA256_LEN];
    if (as_sha256_buf(b.data ? b.data : "", b.len, d) == 0)
        as_hex(d, AS_SHA256_LEN, r->digest);
    as_buf_fini(&b);
}

static int census_results(s_job *job)
{
    const cli_sample_opts *o = job->o;
    cli_sample_res *r = job->r;
    size_t n_in = job->inputs->n;
    r->N = 0;
    r->total_value = 0;
    r->excluded = 0;
    for (size_t i = 0; i < n_in; i++) {
        job->base_ord[i] = r->N;
        job->base_val[i] = r->total_value;
        r->N += job->in[i].count;
        r->total_value += job->in[i].value;
        r->excluded += job->in[i].excluded;
        if (o->strata && smp_tally_merge(&job->strata, &job->in[i].tally) != AS_OK)
            return -1;
    }
    if (o->strata) {
        job->strata_sorted = smp_tally_sorted(&job->strata);
        job->n_h = as_calloc(job->strata.n ? job->strata.n : 1, sizeof *job->n_h);
        if (job->strata_sorted == NULL || job->n_h == NULL)
            return -1;
    }
    return 0;
}

static int cmp_items_key(const void *a, const void *b)
{
    const cli_sample_item *x = *(cli_sample_item *const *)a, *y = *(cli_sample_item *const *)b;
    return smp_pair_cmp(x->sel_key, cli_sample_item_str(x, 0), y->sel_key, cli_sample_item_str(y, 0));
}

static int collect(s_job *job)
{
    const cli_sample_opts *o = job->o;
    cli_sample_res *r = job->r;
    size_t total = 0, k = 0;
    int interval = job->full_known || o->method == SMP_METHOD_SYSTEMATIC || o->method == SMP_METHOD_CELL ||
                   o->method == SMP_METHOD_MUS;
    if (interval)
        for (size_t i = 0; i < job->inputs->n; i++)
            total += job->in[i].n_sel;
    else if (o->method == SMP_METHOD_RANDOM)
        total = job->global.n;
    else
        for (size_t h = 0; h < job->strata.n; h++)
            total += job->global_h[h].n;
    r->items = as_calloc(total ? total : 1, sizeof(cli_sample_item *));
    if (r->items == NULL)
        return -1;
    if (interval) {
        for (size_t i = 0; i < job->inputs->n; i++) {
            s_in *a = &job->in[i];
            for (size_t s = 0; s < a->n_sel; s++)
                r->items[k++] = a->sel[s];
            a->n_sel = 0;
        }
    } else if (o->method == SMP_METHOD_RANDOM) {
        smp_bottomk_sort(&job->global);
        for (size_t s = 0; s < job->global.n; s++) {
            r->items[k++] = job->global.v[s].payload;
            job->global.v[s].payload = NULL;
        }
    } else {
        for (size_t h = 0; h < job->strata.n; h++) {
            smp_bottomk *bk = &job->global_h[h];  /* indexed by label order (smp_tally_sorted) */
            smp_bottomk_sort(bk);
            for (size_t s = 0; s < bk->n; s++) {
                r->items[k++] = bk->v[s].payload;
                bk->v[s].payload = NULL;
            }
        }
    }
    r->n = k;
    if (job->full_known && o->method == SMP_METHOD_RANDOM)
        qsort(r->items, r->n, sizeof(cli_sample_item *), cmp_items_key);
    return 0;
}

int cli_sample_run(const cli_sample_opts *o, cli_sample_res *r)
{
    memset(r, 0, sizeof *r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    eng_inputs inputs;
    eng_inputs_init(&inputs);
    as_err err;
    as_err_clear(&err);
    int rc = CLI_EXIT_INPUT;
    s_job job;
    memset(&job, 0, sizeof job);
    pthread_mutex_init(&job.mu, NULL);
    smp_tally_init(&job.strata);
    smp_bottomk_init(&job.global, o->size, item_free);
    job.o = o;
    job.r = r;
    job.inputs = &inputs;
    job.n = o->size;
    for (size_t i = 0; i < o->n_pop; i++) {
        if (strcmp(o->pop[i], "-") == 0) {
            cli_errf("--population: standard input cannot be sampled: the population must be a file that "
                     "can be read again to re-perform the selection");
            goto out;
        }
        if (eng_inputs_add_arg(&inputs, o->pop[i], &err) != AS_OK) {
            cli_err(&err);
            goto out;
        }
    }
    if (inputs.n == 0) {
        cli_errf("--population: no input files");
        goto out;
    }
    size_t n_pop = 0;
    for (size_t i = 0; i < inputs.n; i++)
        n_pop += is_population_csv(inputs.v[i].path);
    if (n_pop && n_pop != inputs.n) {
        cli_errf("--population: %zu of the %zu inputs are population.csv files and the others are not: sample "
                 "one kind at a time", n_pop, inputs.n);
        goto out;
    }
    job.pop_mode = r->pop_mode = n_pop > 0;
    r->n_in = inputs.n;
    r->in = as_calloc(inputs.n, sizeof *r->in);
    job.in = as_calloc(inputs.n, sizeof *job.in);
    job.base_ord = as_calloc(inputs.n + 1, sizeof *job.base_ord);
    job.base_val = as_calloc(inputs.n + 1, sizeof *job.base_val);
    job.sha16 = as_calloc(inputs.n, sizeof *job.sha16);
    if (job.sha16 == NULL || r->in == NULL || job.in == NULL || job.base_ord == NULL || job.base_val == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    for (size_t i = 0; i < inputs.n; i++)
        r->in[i].path = inputs.v[i].display;
    if (o->has_seed) {
        job.keyer_main = smp_keyer_new(&o->seed);
        if (job.keyer_main == NULL) {
            cli_errf("out of memory");
            rc = CLI_EXIT_INTERNAL;
            goto out;
        }
    }

    int one_pass = job.pop_mode && o->method == SMP_METHOD_RANDOM;
    if (!one_pass) {
        rc = run_pass(&job, PH_CENSUS);
        if (rc != CLI_EXIT_OK)
            goto out;
        if (census_results(&job) != 0) {
            cli_errf("out of memory");
            rc = CLI_EXIT_INTERNAL;
            goto out;
        }
        in_state_fini(&job);
        if (o->method == SMP_METHOD_MUS) {
            if (r->total_value == 0) {
                cli_errf("--value %s: no item has a positive value (%llu excluded): nothing to select by value",
                         o->value_field, (unsigned long long)r->excluded);
                rc = CLI_EXIT_INPUT;
                goto out;
            }
            job.T = r->total_value;
        } else {
            job.T = r->N;
            job.full = job.full_known = o->size >= r->N;
        }
        if (o->method == SMP_METHOD_STRATIFIED && !job.full) {
            uint64_t *Nh = as_calloc(job.strata.n ? job.strata.n : 1, sizeof *Nh);
            if (Nh == NULL) {
                rc = CLI_EXIT_INTERNAL;
                goto out;
            }
            for (size_t h = 0; h < job.strata.n; h++)
                Nh[h] = job.strata_sorted[h]->count;
            as_code ar = smp_allocate(Nh, job.strata.n, o->size, o->min_per_stratum, job.n_h, &err);
            as_free(Nh);
            if (ar != AS_OK) {
                cli_errf("--strata: %s", err.msg);
                rc = ar == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
                goto out;
            }
            job.global_h = as_calloc(job.strata.n ? job.strata.n : 1, sizeof *job.global_h);
            if (job.global_h == NULL) {
                rc = CLI_EXIT_INTERNAL;
                goto out;
            }
            for (size_t h = 0; h < job.strata.n; h++)
                smp_bottomk_init(&job.global_h[h], job.n_h[h], item_free);
        }
        if ((o->method == SMP_METHOD_SYSTEMATIC || o->method == SMP_METHOD_MUS) && !o->has_start &&
            smp_keyer_draw(job.keyer_main, o->method == SMP_METHOD_MUS ? "assay-mus-start" : "assay-systematic-start",
                           0, &job.h) != 0) {
            rc = CLI_EXIT_INTERNAL;
            goto out;
        }
        if (o->has_start) {
            /* s must lie in (0, T/n]: s_num / s_den <= T / n  <=>  s_num n <= T s_den */
            unsigned __int128 lhs = (unsigned __int128)o->start_num * o->size *
                                    (o->method == SMP_METHOD_MUS ? CLI_SAMPLE_VALUE_SCALE : 1),
                              rhs = job.T * o->start_den;
            if (o->start_num == 0 || lhs > rhs) {
                char iv[64];
                if (o->method == SMP_METHOD_MUS)
                    cli_sample_value_text(job.T / o->size, iv, sizeof iv);
                else
                    u128_text(job.T / o->size, iv, sizeof iv);
                cli_errf("--start %s: must be above 0 and at most the interval (about %s)", o->start_text, iv);
                rc = CLI_EXIT_INPUT;
                goto out;
            }
        }
        r->start_key = job.h;
    }
    rc = run_pass(&job, PH_SELECT);
    if (rc != CLI_EXIT_OK)
        goto out;
    if (one_pass) {
        r->N = 0;
        for (size_t i = 0; i < inputs.n; i++)
            r->N += job.in[i].count;
        job.full = o->size >= r->N;
    } else {
        uint64_t N2 = 0;
        for (size_t i = 0; i < inputs.n; i++)
            N2 += job.in[i].count;
        if (N2 != r->N) {
            cli_errf("the population changed between the census (%llu items) and the selection (%llu)",
                     (unsigned long long)r->N, (unsigned long long)N2);
            rc = CLI_EXIT_INPUT;
            goto out;
        }
    }
    r->full = job.full;
    r->draws = o->size;
    if (collect(&job) != 0) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    if (o->strata) {
        r->n_strata = job.strata.n;
        r->s_label = as_calloc(job.strata.n ? job.strata.n : 1, sizeof *r->s_label);
        r->s_N = as_calloc(job.strata.n ? job.strata.n : 1, sizeof *r->s_N);
        r->s_n = as_calloc(job.strata.n ? job.strata.n : 1, sizeof *r->s_n);
        if (r->s_label == NULL || r->s_N == NULL || r->s_n == NULL) {
            rc = CLI_EXIT_INTERNAL;
            goto out;
        }
        for (size_t h = 0; h < job.strata.n; h++) {
            r->s_label[h] = as_strndup(job.strata_sorted[h]->label, job.strata_sorted[h]->label_len);
            r->s_N[h] = job.strata_sorted[h]->count;
            r->s_n[h] = job.full ? r->s_N[h] : job.n_h ? job.n_h[h] : 0;
        }
        if (job.full)
            for (size_t h = 0; h < job.strata.n; h++)
                r->s_n[h] = r->s_N[h];
    }
    digest_of(r);
    rc = CLI_EXIT_OK;
out:
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    in_state_fini(&job);
    as_free(job.in);
    as_free(job.base_ord);
    as_free(job.base_val);
    as_free(job.sha16);
    smp_bottomk_fini(&job.global);
    if (job.global_h) {
        for (size_t h = 0; h < job.strata.n; h++)
            smp_bottomk_fini(&job.global_h[h]);
        as_free(job.global_h);
    }
    as_free(job.strata_sorted);
    as_free(job.n_h);
    smp_tally_fini(&job.strata);
    smp_keyer_free(job.keyer_main);
    for (size_t i = 0; i < job.n_free; i++)
        as_buf_fini(&job.free_bufs[i]);
    as_free(job.free_bufs);
    pthread_mutex_destroy(&job.mu);
    /* the display paths must outlive the inputs: copy them */
    for (size_t i = 0; r->in && i < r->n_in; i++)
        r->in[i].path = as_strndup(r->in[i].path, strlen(r->in[i].path));
    eng_inputs_fini(&inputs);
    return rc;
}

void cli_sample_res_fini(cli_sample_res *r)
{
    for (size_t i = 0; r->items && i < r->n; i++)
        item_free(r->items[i]);
    as_free(r->items);
    for (size_t i = 0; r->in && i < r->n_in; i++)
        as_free((char *)r->in[i].path);
    as_free(r->in);
    for (size_t h = 0; r->s_label && h < r->n_strata; h++)
        as_free(r->s_label[h]);
    as_free(r->s_label);
    as_free(r->s_N);
    as_free(r->s_n);
    memset(r, 0, sizeof *r);
}

as_slice cli_sample_item_str(const cli_sample_item *it, unsigned i)
{
    const char *p = it->s.data, *end = it->s.data + it->s.len;
    for (unsigned k = 0; p && p + sizeof(uint32_t) <= end; k++) {
        uint32_t n;
        memcpy(&n, p, sizeof n);
        p += sizeof n;
        if (k == i)
            return (as_slice){ p, n };
        p += n;
    }
    return (as_slice){ "", 0 };
}

/* ---- outputs ---- */

void cli_sample_key_text(const cli_sample_opts *o, const cli_sample_item *it, char *out, size_t cap)
{
    if (o->method == SMP_METHOD_RANDOM || o->method == SMP_METHOD_STRATIFIED) {
        snprintf(out, cap, "%016llx", (unsigned long long)it->sel_key);
    } else if (it->unit == 0) {
        snprintf(out, cap, "%llu", (unsigned long long)it->ordinal_pop);  /* 100%: the position */
    } else if (o->method == SMP_METHOD_MUS) {
        cli_sample_value_text(it->unit, out, cap);
    } else {
        u128_text(it->unit, out, cap);
    }
}

/* The field names of the items, in order of first appearance. */
static int field_names(const cli_sample_res *r, as_slice **names, size_t *n)
{
    size_t cap = 16, k = 0;
    as_slice *v = as_calloc(cap, sizeof *v);
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        for (uint32_t f = 0; f < r->items[i]->n_fields; f++) {
            as_slice nm = cli_sample_item_str(r->items[i], 5 + 2 * f);
            size_t j = 0;
            while (j < k && !as_slice_eq(v[j], nm))
                j++;
            if (j < k)
                continue;
            if (k == cap) {
                as_slice *w = as_realloc(v, 2 * cap * sizeof *v);
                if (w == NULL) {
                    as_free(v);
                    return -1;
                }
                v = w;
                cap *= 2;
            }
            v[k++] = nm;
        }
    *names = v;
    *n = k;
    return 0;
}

static const char *const k_fixed_cols[] = { "ordinal", "record_id", "key", "time", "source", "location",
                                            "selection_key", "stratum" };

int cli_sample_csv(const cli_sample_opts *o, const cli_sample_res *r, as_buf *out)
{
    as_slice *names = NULL;
    size_t nn = 0;
    if (field_names(r, &names, &nn) != 0)
        return -1;
    int mus = o->method == SMP_METHOD_MUS, has_result = 0;
    rpt_csv c;
    rpt_csv_init(&c, out);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_fixed_cols); i++)
        rpt_csv_cstr(&c, k_fixed_cols[i]);
    if (mus) {
        rpt_csv_cstr(&c, "value");
        rpt_csv_cstr(&c, "times");
    }
    for (size_t f = 0; f < nn; f++) {
        int clash = 0;
        for (size_t i = 0; i < AS_ARRAY_LEN(k_fixed_cols); i++)
            clash |= as_slice_eq_cstr(names[f], k_fixed_cols[i]);
        clash |= mus && (as_slice_eq_cstr(names[f], "value") || as_slice_eq_cstr(names[f], "times"));
        has_result |= as_slice_eq_cstr(names[f], "result");
        if (clash) {
            as_buf t = AS_BUF_INIT;
            if (as_buf_append_cstr(&t, "field.") || as_buf_append_slice(&t, names[f]))
                c.failed = 1;
            rpt_csv_text(&c, as_buf_view(&t));
            as_buf_fini(&t);
        } else {
            rpt_csv_text(&c, names[f]);
        }
    }
    if (!has_result)
        rpt_csv_cstr(&c, "result");             /* for the tester: pass, exception or untestable */
    rpt_csv_end_row(&c);
    for (size_t i = 0; i < r->n; i++) {
        const cli_sample_item *it = r->items[i];
        char kt[64], tb[AS_TIME_RFC3339_MAX];
        rpt_csv_u64(&c, i + 1);
        rpt_csv_text(&c, cli_sample_item_str(it, 0));
        rpt_csv_text(&c, cli_sample_item_str(it, 1));
        if (as_time_is_valid(it->time)) {
            size_t tl = as_time_format_utc(it->time, tb);
            rpt_csv_text(&c, (as_slice){ tb, tl });
        } else {
            rpt_csv_cstr(&c, "");
        }
        rpt_csv_text(&c, cli_sample_item_str(it, 2));
        rpt_csv_text(&c, cli_sample_item_str(it, 3));
        cli_sample_key_text(o, it, kt, sizeof kt);
        rpt_csv_cstr(&c, kt);
        rpt_csv_cstr(&c, it->stratum ? it->stratum : "");
        if (mus) {
            rpt_csv_text(&c, cli_sample_item_str(it, 4));
            rpt_csv_u64(&c, it->times ? it->times : 1);
        }
        for (size_t f = 0; f < nn; f++) {
            as_slice v = { "", 0 };
            for (uint32_t k = 0; k < it->n_fields; k++)
                if (as_slice_eq(cli_sample_item_str(it, 5 + 2 * k), names[f])) {
                    v = cli_sample_item_str(it, 6 + 2 * k);
                    break;
                }
            rpt_csv_text(&c, v);
        }
        if (!has_result)
            rpt_csv_cstr(&c, "");
        rpt_csv_end_row(&c);
    }
    as_free(names);
    return c.failed ? -1 : 0;
}

