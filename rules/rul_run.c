/* rul_run.c: one pass over the inputs for every control (rul.h).
 *
 * Two engine jobs: first the inputs of the sources that define sets (admin
 * rosters, host inventories: small files), so that `x in $set` is known;
 * then every input any control reads. In the second job each record is
 * parsed once (on a worker) and offered to every feed (a control's
 * population, its matching events, ...) of the sources the input belongs
 * to: `where` is tested, and for a match the key, time, unique id and the
 * test's own value are evaluated into a fact (strings in the block's arena).
 * The per-input merge, in stream order, resolves RFC 3164 years, makes
 * lines absolute, copies the facts' strings into the input's arena and
 * folds cadence records into (group, bucket) counters, so memory holds
 * matching events and counters, never blocks. After the job rul_finish
 * (rul_test.c) applies the tests, combining inputs in input order.
 */
#include <stdlib.h>    /* qsort */
#include <string.h>
#include <sys/stat.h>  /* an input's mtime: the year of RFC 3164 stamps without --period */

#include "rules/rul_int.h"

static int cmp_daycnt(const void *a, const void *b);

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- set up ---- */

static uint64_t rs_mask(const rul_recset *rs)
{
    uint64_t m = 0;
    for (size_t i = 0; i < rs->n_src; i++)
        m |= 1ull << rs->src[i];
    return m;
}

static void count_field(void *arg, as_slice path)
{
    (void)path;
    (*(size_t *)arg)++;
}

/* A key that reads no record field and not $line is the same for every
 * record of an input (log-source-gaps: $dir): evaluated once per batch. */
static int key_is_const(const rul_expr *e)
{
    if (e == NULL)
        return 0;
    size_t n = 0;
    rul_expr_fields(e, count_field, &n);
    as_slice t = rul_expr_text(e);
    for (size_t i = 0; i + 5 <= t.len; i++)
        if (memcmp(t.ptr + i, "$line", 5) == 0)
            return 0;
    return n == 0;
}

static int add_feed(rul_run *r, const rul_recset *rs, uint32_t owner, feed_role role, int cadence,
                    const rul_expr *test, const rul_expr *on)
{
    feed *nf = as_realloc(r->feeds, (r->n_feeds + 1) * sizeof *nf);
    if (nf == NULL)
        return -1;
    r->feeds = nf;
    nf[r->n_feeds++] = (feed){ .rs = rs, .owner = owner, .role = role, .cadence = cadence, .test = test,
                               .on = on, .mask = rs_mask(rs), .key_const = key_is_const(rs->key) };
    feed *x = &nf[r->n_feeds - 1];
    /* every record counts, the key is per input, the time is the record's: cells only */
    x->fast_cells = cadence && x->key_const && rs->where == NULL && rs->time == NULL && rs->unique == NULL &&
                    test == NULL && role == F_POP && r->s->ctl[owner].max_gap == 0;
    return 0;
}

rul_run *rul_run_new(const rul_set *s, const rul_binding *b, const rul_run_opts *o)
{
    rul_run *r = as_calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->s = s;
    r->b = b;
    r->o = *o;
    as_arena_init(&r->setar, 0);
    as_arena_init(&r->resar, 1u << 20);
    int bad = 0;
    for (size_t i = 0; i < s->n_sets && !bad; i++)
        bad |= add_feed(r, &s->sets[i].rs, (uint32_t)i, F_SET, 0, NULL, NULL);
    for (size_t i = 0; i < s->n_ctl && !bad; i++) {
        const rul_control *c = &s->ctl[i];
        const rul_expr *test = c->kind == RUL_TEST_EACH ? c->assert_
                               : c->kind == RUL_TEST_CADENCE ? c->ok
                               : c->kind == RUL_TEST_AGGREGATE ? c->value : NULL;
        const rul_expr *on = (c->kind == RUL_TEST_FOLLOWED_BY || c->kind == RUL_TEST_PRECEDED_BY ||
                              c->kind == RUL_TEST_RECONCILE) ? (c->on ? c->on : c->pop.key) : NULL;
        bad |= add_feed(r, &c->pop, (uint32_t)i, F_POP, c->kind == RUL_TEST_CADENCE, test, on);
        if (!bad && (c->kind == RUL_TEST_FOLLOWED_BY || c->kind == RUL_TEST_PRECEDED_BY || c->kind == RUL_TEST_RECONCILE))
            bad |= add_feed(r, &c->other, (uint32_t)i, F_OTHER, 0, NULL, NULL);
        if (!bad && c->kind == RUL_TEST_AGGREGATE && c->has_reset)
            bad |= add_feed(r, &c->reset, (uint32_t)i, F_RESET, 0, NULL, NULL);
    }
    size_t n = b->in.n;
    r->ctx = as_calloc(s->n_src ? s->n_src : 1, sizeof(psr_ctx *));
    r->srcname = as_calloc(s->n_src ? s->n_src : 1, sizeof *r->srcname);
    r->pin = as_calloc(n ? n : 1, sizeof(psr_input *));
    r->acc = as_calloc(n ? n : 1, sizeof *r->acc);
    r->stat = as_calloc(n ? n : 1, sizeof *r->stat);
    r->read = as_calloc(n ? n : 1, sizeof *r->read);
    r->setmap = as_calloc(s->n_sets ? s->n_sets : 1, sizeof *r->setmap);
    r->res = as_calloc(s->n_ctl ? s->n_ctl : 1, sizeof *r->res);
    if (bad || !r->ctx || !r->srcname || !r->pin || !r->acc || !r->stat || !r->read || !r->setmap || !r->res) {
        rul_run_free(r);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        as_arena_init(&r->acc[i].ar, 0);
        rul_map_init(&r->acc[i].daymap);
        as_buf_init(&r->acc[i].days);
        r->acc[i].ctx = -1;
    }
    for (size_t i = 0; i < s->n_sets; i++)
        rul_map_init(&r->setmap[i]);
    for (size_t k = 0; k < s->n_src; k++)
        r->srcname[k] = as_slice_cstr(s->src[k].name);
    /* one parser context per source: its format, zone and time field */
    for (size_t k = 0; k < s->n_src; k++) {
        const rul_source *src = &s->src[k];
        psr_opts po = { .tz_offset_min = src->has_tz ? src->tz_offset_min : o->tz_offset_min, .year = o->year,
                        .period_start = o->period_start, .period_end = o->period_end,
                        .time_field = src->time_field };
        as_err e;
        as_err_clear(&e);
        r->ctx[k] = psr_ctx_new(&po, src->format, &e);
        if (r->ctx[k] == NULL) {
            rul_run_free(r);
            return NULL;
        }
    }
    psr_opts pa = { .tz_offset_min = o->tz_offset_min, .year = o->year, .period_start = o->period_start,
                    .period_end = o->period_end };
    as_err e;
    as_err_clear(&e);
    r->ctx_auto = psr_ctx_new(&pa, NULL, &e);
    if (r->ctx_auto == NULL) {
        rul_run_free(r);
        return NULL;
    }
    return r;
}

static void iacc_clear(iacc *a)
{
    for (size_t j = 0; j < a->n_f; j++) {
        as_buf_fini(&a->f[j].facts);
        rul_map_fini(&a->f[j].cells.map);
        as_buf_fini(&a->f[j].cells.v);
    }
    as_free(a->f);
    a->f = NULL;
    a->n_f = 0;
}

void rul_run_free(rul_run *r)
{
    if (r == NULL)
        return;
    size_t n = r->b ? r->b->in.n : 0;
    for (size_t i = 0; i < n && r->acc; i++) {
        iacc_clear(&r->acc[i]);
        as_arena_fini(&r->acc[i].ar);
        rul_map_fini(&r->acc[i].daymap);
        as_buf_fini(&r->acc[i].days);
    }
    for (size_t i = 0; i < n && r->pin; i++)
        psr_input_free(r->pin[i]);
    for (size_t k = 0; r->ctx && k < r->s->n_src; k++)
        psr_ctx_free(r->ctx[k]);
    psr_ctx_free(r->ctx_auto);
    for (size_t i = 0; r->setmap && i < r->s->n_sets; i++)
        rul_map_fini(&r->setmap[i]);
    for (size_t i = 0; r->res && i < r->s->n_ctl; i++) {
        as_free(r->res[i].inst);
        as_free(r->res[i].dup);
    }
    as_free(r->res);
    as_free(r->setmap);
    as_free(r->ctx);
    as_free(r->srcname);
    as_free(r->pin);
    as_free(r->acc);
    as_free(r->stat);
    as_free(r->read);
    as_free(r->feeds);
    as_arena_fini(&r->setar);
    as_arena_fini(&r->resar);
    as_free(r);
}

/* ---- the job's state ---- */

typedef struct rjob {
    rul_run  *r;
    uint32_t *map;    /* job input -> binding input */
    size_t    n;
} rjob;

typedef struct wst {
    rjob        *j;
    psr_worker **pw;      /* per source context, + 1 for detection */
    rul_scratch *scr;
    as_buf      *fb;      /* per feed: fact[] of the current block */
    cellset     *cs;      /* per feed: the current block's cadence cells */
    as_slice    *kc;      /* per feed: the batch's constant key (key_const feeds) */
    uint8_t     *kc_ok;   /* per feed: kc holds this batch's value */
    as_buf       days;    /* daycnt[] of the current block (coverage) */
    as_buf       stamps;  /* stamp[] of the current block */
    as_buf       tmp;
    int          failed;
} wst;

typedef struct blk {
    fact   **f;           /* per input feed */
    size_t  *n;
    cell   **c;           /* per input feed: cadence cells (lines block-relative) */
    size_t  *nc;
    stamp   *st;
    size_t   nst;
    daycnt  *dc;          /* records per day (resolved times) */
    size_t   ndc;
    int      oom;
} blk;

static int phase_wants(const rul_run *r, const feed *f)
{
    return r->phase == 0 ? f->role == F_SET : f->role != F_SET;
}

static void *w_init(void *ctx, unsigned id)
{
    (void)id;
    rjob *j = ctx;
    rul_run *r = j->r;
    wst *w = as_calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->j = j;
    w->pw = as_calloc(r->s->n_src + 1, sizeof(psr_worker *));
    w->fb = as_calloc(r->n_feeds ? r->n_feeds : 1, sizeof *w->fb);
    w->cs = as_calloc(r->n_feeds ? r->n_feeds : 1, sizeof *w->cs);
    w->kc = as_calloc(r->n_feeds ? r->n_feeds : 1, sizeof *w->kc);
    w->kc_ok = as_calloc(r->n_feeds ? r->n_feeds : 1, 1);
    w->scr = rul_scratch_new();
    if (w->pw == NULL || w->fb == NULL || w->cs == NULL || w->kc == NULL || w->kc_ok == NULL || w->scr == NULL)
        w->failed = 1;
    for (size_t i = 0; w->fb && i < r->n_feeds; i++)
        as_buf_init(&w->fb[i]);
    for (size_t i = 0; w->cs && i < r->n_feeds; i++) {
        rul_map_init(&w->cs[i].map);
        as_buf_init(&w->cs[i].v);
    }
    as_buf_init(&w->stamps);
    as_buf_init(&w->tmp);
    as_buf_init(&w->days);
    return w;
}

static void w_fini(void *ctx, void *ws)
{
    rjob *j = ctx;
    wst *w = ws;
    if (w == NULL)
        return;
    for (size_t k = 0; w->pw && k <= j->r->s->n_src; k++)
        psr_worker_free(w->pw[k]);
    for (size_t i = 0; w->fb && i < j->r->n_feeds; i++)
        as_buf_fini(&w->fb[i]);
    for (size_t i = 0; w->cs && i < j->r->n_feeds; i++) {
        rul_map_fini(&w->cs[i].map);
        as_buf_fini(&w->cs[i].v);
    }
    as_free(w->pw);
    as_free(w->fb);
    as_free(w->cs);
    as_free(w->kc);
    as_free(w->kc_ok);
    rul_scratch_free(w->scr);
    as_buf_fini(&w->stamps);
    as_buf_fini(&w->tmp);
    as_buf_fini(&w->days);
    as_free(w);
}

static void *j_in_begin(void *ctx, uint32_t input)
{
    rjob *j = ctx;
    return &j->r->acc[j->map[input]];
}

static int set_has(void *arg, int id, as_slice v)
{
    const rul_run *r = arg;
    return id >= 0 && (size_t)id < r->s->n_sets && rul_map_find(&r->setmap[id], v, 0) >= 0;
}

static as_slice dir_of(const char *rel)
{
    const char *e = strrchr(rel, '/');
    if (e == NULL)
        return as_slice_make("", 0);
    const char *b = e;
    while (b > rel && b[-1] != '/')
        b--;
    return as_slice_from(b, e);
}

static void rt_setup(rul_rt *rt, rul_run *r, size_t bi, as_arena *ar, rul_scratch *scr)
{
    memset(rt, 0, sizeof *rt);
    rt->ar = ar;
    rt->scratch = scr;
    rt->file = as_slice_cstr(r->b->in.v[bi].display);
    rt->path = as_slice_cstr(r->b->rel[bi]);
    rt->dir = dir_of(r->b->rel[bi]);
    rt->format = as_slice_cstr(r->acc[bi].format ? r->acc[bi].format : "unknown");
    rt->set_has = set_has;
    rt->set_arg = r;
}

/* The lowest source of mask with a forced format, else the lowest. */
static int ctx_for(const rul_run *r, uint64_t mask)
{
    int first = -1;
    for (size_t k = 0; k < r->s->n_src; k++)
        if (mask >> k & 1) {
            if (first < 0)
                first = (int)k;
            if (r->s->src[k].format)
                return (int)k;
        }
    return first;
}

/* Detection: parses the input's first record with sniffing and tests each
 * candidate source's `detect` on it. */
static uint64_t detect(rul_run *r, size_t bi, as_slice head)
{
    uint64_t cand = r->b->detect[bi], got = 0;
    psr_input *pi = psr_input_new(r->ctx_auto, head, 0);
    psr_worker *pw = psr_worker_new(r->ctx_auto);
    rul_scratch *scr = rul_scratch_new();
    as_arena ar;
    as_arena_init(&ar, 0);
    if (pi && pw && scr && psr_input_format(pi)) {
        as_rec rec = { .input = 0, .n_lines = 1, .line = 1 };
        int have = 0;
        if (psr_input_framing(pi) == PSR_FRAME_DOCUMENT) {
            psr_doc_iter it;
            psr_doc_rec dr;
            psr_doc_init(&it, head, &ar);
            if (psr_doc_next(&it, &dr) && dr.code == AS_OK) {
                rec.raw = dr.raw;
                rec.offset = dr.offset;
                have = 1;
            }
        } else {
            size_t i = 0;
            while (i < head.len && (head.ptr[i] == '\n' || head.ptr[i] == '\r'))
                i++;
            const char *nl = memchr(head.ptr + i, '\n', head.len - i);
            if (nl) {
                size_t e = (size_t)(nl - head.ptr);
                if (e > i && head.ptr[e - 1] == '\r')
                    e--;
                rec.raw = as_slice_make(head.ptr + i, e - i);
                have = rec.raw.len > 0;
            }
        }
        psr_res res;
        int parsed = have && psr_parse(pi, pw, &rec, &ar, &res) == AS_OK;
        {   /* a first record that does not parse still has the sniffed format ($format) */
            rul_rt rt;
            rt_setup(&rt, r, bi, &ar, scr);
            rt.rec = parsed ? &rec : NULL;
            rt.format = as_slice_cstr(psr_input_format_name(pi));
            for (size_t k = 0; k < r->s->n_src; k++)
                if ((cand >> k & 1) && r->s->src[k].detect) {
                    rt.source = as_slice_cstr(r->s->src[k].name);
                    if (rul_expr_test(r->s->src[k].detect, &rt) == 1)
                        got |= 1ull << k;
                }
        }
    }
    as_arena_fini(&ar);
    rul_scratch_free(scr);
    psr_worker_free(pw);
    psr_input_free(pi);
    return got;
}

static eng_framing j_in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    rjob *j = ctx;
    rul_run *r = j->r;
    size_t bi = j->map[input];
    iacc *a = accp;
    if (r->b->detect[bi] && !a->detected) {
        a->mask = detect(r, bi, head);
        a->detected = 1;
    }
    a->mask |= r->b->mask[bi];
    /* the feeds of this input in this phase; its coverage is counted again */
    iacc_clear(a);
    rul_map_clear(&a->daymap);
    as_buf_clear(&a->days);
    size_t cnt = 0;
    for (size_t f = 0; f < r->n_feeds; f++)
        if ((r->feeds[f].mask & a->mask) && phase_wants(r, &r->feeds[f]))
            cnt++;
    a->f = cnt ? as_calloc(cnt, sizeof *a->f) : NULL;
    if (cnt && a->f == NULL) {
        a->oom = 1;
        return ENG_FRAME_LINES;
    }
    for (size_t f = 0; f < r->n_feeds; f++)
        if ((r->feeds[f].mask & a->mask) && phase_wants(r, &r->feeds[f])) {
            ifeed *x = &a->f[a->n_f++];
            x->feed = (uint32_t)f;
            as_buf_init(&x->facts);
            rul_map_init(&x->cells.map);
            as_buf_init(&x->cells.v);
        }
    a->ctx = ctx_for(r, a->mask);
    if (a->ctx < 0)
        return ENG_FRAME_LINES;
    if (r->pin[bi] == NULL) {
        int64_t year = 0;
        struct stat st;
        if (stat(r->b->in.v[bi].path, &st) == 0 && S_ISREG(st.st_mode)) {
            int64_t y;
            unsigned mo, d;
            as_civil_from_days(floordiv((int64_t)st.st_mtime, 86400), &y, &mo, &d);
            year = y;
        }
        /* an input routed by `detect` keeps the sniffed format its first record was tested with */
        int by_detect = r->b->mask[bi] == 0;
        r->pin[bi] = psr_input_new(by_detect ? r->ctx_auto : r->ctx[a->ctx], head, year);
        if (r->pin[bi] == NULL) {
            a->oom = 1;
            return ENG_FRAME_LINES;
        }
    }
    a->format = psr_input_format_name(r->pin[bi]);
    psr_input_year_init(r->pin[bi], &a->ys);
    switch (psr_input_framing(r->pin[bi])) {
    case PSR_FRAME_QUOTED:   return ENG_FRAME_QUOTED;
    case PSR_FRAME_DOCUMENT: return ENG_FRAME_DOCUMENT;
    default:                 return ENG_FRAME_LINES;
    }
}

static void j_split_doc(void *ws, const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    (void)ws;
    /* the same cutting as every command (cli_psr_split_document), here
     * without the cli dependency */
    psr_doc_iter it;
    psr_doc_rec dr;
    psr_doc_init(&it, doc, bc->arena);
    eng_item items[64];
    size_t n = 0;
    while (psr_doc_next(&it, &dr)) {
        eng_item *x = &items[n++];
        memset(x, 0, sizeof *x);
        x->rec.input = bc->input;
        x->rec.offset = bc->offset + dr.offset;
        x->rec.line = dr.line;
        x->rec.n_lines = dr.n_lines;
        x->rec.raw = dr.raw;
        x->code = dr.code;
        x->col = (uint32_t)AS_MIN(dr.err_col, UINT32_MAX);
        if (n == sizeof items / sizeof items[0]) {
            eng_emit(em, items, n);
            n = 0;
        }
    }
    if (n)
        eng_emit(em, items, n);
}

/* A value as output text: strings as they are, others formatted. -1 when
 * missing or null. */
static int val_text(wst *w, as_arena *ar, const rul_val *v, as_slice *out)
{
    if (v->type == RUL_T_MISSING || v->type == RUL_T_NULL)
        return -1;
    if (v->type == RUL_T_STR || v->type == RUL_T_JSON) {
        *out = v->u.str;
        return 0;
    }
    as_buf_clear(&w->tmp);
    if (rul_val_to_text(v, &w->tmp) != 0)
        return -2;
    char *p = as_arena_strndup(ar, w->tmp.data ? w->tmp.data : "", w->tmp.len);
    if (p == NULL)
        return -2;
    *out = as_slice_make(p, w->tmp.len);
    return 0;
}

static void eval_text(wst *w, rul_rt *rt, const rul_expr *e, as_slice *out, fact *ft, int *oom)
{
    rul_val v;
    as_code rc = rul_expr_eval(e, rt, &v);
    if (rc == AS_ERR_NOMEM) {
        *oom = 1;
        return;
    }
    int t = rc == AS_OK ? val_text(w, rt->ar, &v, out) : -1;
    if (t == -2)
        *oom = 1;
    if (t != 0 && !ft->keybad) {
        ft->keybad = 1;
        ft->why = rc != AS_OK ? (rt->why ? rt->why : "type mismatch") : "missing value";
        ft->note = rt->missing.len ? rt->missing : rul_expr_text(e);
    }
}

/* Adds a delta (counts, first uncounted record, time range) to its cell;
 * ar: where to copy a new cell's group (NULL: keep the slice, a block's
 * cells live until the block is merged). */
static int cells_add(cellset *cs, as_arena *ar, const cell *d)
{
    int which = d->bucket == CELL_RANGE;
    int64_t idx = -1;
    if (cs->last[which]) {
        const cell *lc = &((const cell *)(const void *)cs->v.data)[cs->last[which] - 1];
        if (lc->bucket == d->bucket && as_slice_eq(lc->group, d->group))
            idx = cs->last[which] - 1;
    }
    if (idx < 0)
        idx = rul_map_find(&cs->map, d->group, d->bucket);
    if (idx < 0) {
        cell nc = *d;
        nc.n_ok = nc.n_all = 0;
        nc.bad = (rul_where){ .input = UINT32_MAX };
        if (ar && nc.group.len) {
            char *p = as_arena_strndup(ar, nc.group.ptr, nc.group.len);
            if (p == NULL)
                return -1;
            nc.group.ptr = p;
        }
        int added;
        if ((idx = rul_map_put(&cs->map, nc.group, nc.bucket, &added)) < 0 || as_buf_append(&cs->v, &nc, sizeof nc) != 0)
            return -1;
    }
    cs->last[which] = idx + 1;
    cell *ce = &((cell *)(void *)cs->v.data)[idx];
    ce->n_ok += d->n_ok;
    ce->n_all += d->n_all;
    ce->min_sec = AS_MIN(ce->min_sec, d->min_sec);
    ce->max_sec = AS_MAX(ce->max_sec, d->max_sec);
    if (ce->bad.input == UINT32_MAX && d->bad.input != UINT32_MAX) {
        ce->bad = d->bad;
        ce->bad_sec = d->bad_sec;
    }
    return 0;
}

/* Folds a cadence record into its cell and into its group's range. */
static int fold_cell(const rul_run *r, cellset *cs, as_arena *ar, uint32_t feed_idx, const fact *ft)
{
    const rul_control *c = &r->s->ctl[r->feeds[feed_idx].owner];
    if (r->period_given && (ft->sec < r->pstart.sec || ft->sec >= r->pend.sec))
        return 0;
    cell d = { .group = ft->key, .bucket = rul_bucket_of(c->every, ft->sec, c->tz_offset_min), .n_all = 1,
               .n_ok = ft->res == 1, .bad = { .input = UINT32_MAX }, .min_sec = ft->sec, .max_sec = ft->sec,
               .input = ft->input };
    if (ft->res != 1) {
        d.bad = (rul_where){ .input = ft->input, .line = ft->line, .offset = ft->offset };
        d.bad_sec = ft->sec;
    }
    if (cells_add(cs, ar, &d) != 0)
        return -1;
    d.bucket = CELL_RANGE;
    d.n_all = d.n_ok = 0;
    d.bad.input = UINT32_MAX;
    return cells_add(cs, ar, &d);
}

static void w_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    wst *w = ws;
    if (w == NULL || w->failed)
        return;
    rjob *j = w->j;
    rul_run *r = j->r;
    size_t bi = j->map[bc->input];
    iacc *a = &r->acc[bi];
    const psr_input *pi = r->pin[bi];
    if (a->n_f == 0 || pi == NULL || a->ctx < 0)
        return;
    if (w->pw[a->ctx] == NULL && (w->pw[a->ctx] = psr_worker_new(r->ctx[a->ctx])) == NULL) {
        w->failed = 1;
        return;
    }
    psr_worker *pw = w->pw[a->ctx];
    rul_rt rt;
    rt_setup(&rt, r, bi, bc->arena, w->scr);
    rt.rec_cache_on = 1;
    for (size_t fi = 0; fi < a->n_f; fi++)
        w->kc_ok[a->f[fi].feed] = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].code != AS_OK)
            continue;
        psr_res res;
        as_code rc = psr_parse_transient(pi, pw, &items[i].rec, bc->arena, &res);
        if (rc != AS_OK) {
            items[i].code = rc;
            if (res.err_line <= 1)
                items[i].col = (uint32_t)AS_MIN(res.err_col, UINT32_MAX);
            continue;
        }
        uint8_t tk = T_NONE;
        uint32_t st_idx = 0;
        if (res.needs_year) {
            stamp s = { res.month, res.day, res.sod };
            st_idx = (uint32_t)(w->stamps.len / sizeof s);
            if (as_buf_append(&w->stamps, &s, sizeof s) != 0) {
                w->failed = 1;
                return;
            }
            tk = T_PENDING;
        } else if (as_time_is_valid(res.time)) {
            tk = T_TIME;
            int64_t day = floordiv(res.time.sec, 86400);
            daycnt *last = w->days.len ? (daycnt *)(void *)(w->days.data + w->days.len - sizeof *last) : NULL;
            if (last && last->day == day) {
                last->n++;
            } else {
                daycnt dc = { day, 1 };
                if (as_buf_append(&w->days, &dc, sizeof dc) != 0) {
                    w->failed = 1;
                    return;
                }
            }
        }
        rt.rec = &items[i].rec;
        rt.n_rec_cache = 0;  /* a new record: the field cache starts empty */
        for (size_t fi = 0; fi < a->n_f; fi++) {
            const feed *f = &r->feeds[a->f[fi].feed];
            /* the first of the record-set's sources this input belongs to */
            int src = -1;
            for (size_t k = 0; k < f->rs->n_src && src < 0; k++)
                if (a->mask >> f->rs->src[k] & 1)
                    src = f->rs->src[k];
            rt.source = r->srcname[src];
            if (f->fast_cells && tk == T_TIME && w->kc_ok[a->f[fi].feed]) {
                /* a cadence over every record with a per-input key ($dir): count the
                 * record straight into its cell, no fact */
                fact ft;
                ft.key = w->kc[a->f[fi].feed];
                ft.sec = res.time.sec;
                ft.res = 1;
                ft.input = (uint32_t)bi;
                ft.line = items[i].rec.line;
                ft.offset = items[i].rec.offset;
                if (fold_cell(r, &w->cs[a->f[fi].feed], NULL, a->f[fi].feed, &ft) != 0) {
                    w->failed = 1;
                    return;
                }
                continue;
            }
            int wres = 1;
            if (f->rs->where) {
                wres = rul_expr_test(f->rs->where, &rt);
                if (wres == -2) {
                    w->failed = 1;
                    return;
                }
                if (wres != 1)
                    continue;  /* false or undecided (a missing field): not a member, as in SQL WHERE */
            }
            fact ft = { .offset = items[i].rec.offset, .line = items[i].rec.line, .input = (uint32_t)bi,
                        .stamp = st_idx, .tkind = tk, .res = 1, .src = (uint8_t)src };
            if (tk == T_TIME) {
                ft.sec = res.time.sec;
                ft.nsec = res.time.nsec;
            }
            int oom = 0;
            if (f->rs->key && f->key_const && w->kc_ok[a->f[fi].feed]) {
                ft.key = w->kc[a->f[fi].feed];  /* the same for every record of the input */
            } else if (f->rs->key) {
                eval_text(w, &rt, f->rs->key, &ft.key, &ft, &oom);
                if (f->key_const && !ft.keybad) {
                    w->kc[a->f[fi].feed] = ft.key;
                    w->kc_ok[a->f[fi].feed] = 1;
                }
            }
            if (f->on && f->on != f->rs->key)
                eval_text(w, &rt, f->on, &ft.on, &ft, &oom);
            else
                ft.on = ft.key;
            if (f->rs->unique) {
                int kb = ft.keybad;
                eval_text(w, &rt, f->rs->unique, &ft.uniq, &ft, &oom);
                ft.keybad = (uint8_t)kb;  /* a missing unique id only means: not de-duplicated */
            }
            if (f->rs->time) {
                rul_val v;
                as_code ec = rul_expr_eval(f->rs->time, &rt, &v);
                if (ec == AS_ERR_NOMEM)
                    oom = 1;
                ft.tkind = T_BAD;
                if (ec == AS_OK && v.type == RUL_T_TIME) {
                    ft.tkind = T_TIME;
                    ft.sec = v.u.t.sec;
                    ft.nsec = v.u.t.nsec;
                } else if (ec == AS_OK && v.type == RUL_T_STR) {
                    as_time t;
                    int tz = r->s->src[src].has_tz ? r->s->src[src].tz_offset_min : r->o.tz_offset_min;
                    if (v.u.str.len && as_time_parse_any(v.u.str, tz, &t, NULL) == v.u.str.len) {
                        ft.tkind = T_TIME;
                        ft.sec = t.sec;
                        ft.nsec = t.nsec;
                    } else {
                        ft.note = v.u.str;
                    }
                } else if (ec == AS_OK && v.type == RUL_T_MISSING) {
                    ft.note = rt.missing;
                }
            }
            if (f->test && f->role == F_POP) {
                if (f->cadence || r->s->ctl[f->owner].kind == RUL_TEST_EACH) {
                    int t = rul_expr_test(f->test, &rt);
                    if (t == -2)
                        oom = 1;
                    ft.res = (int8_t)(t < 0 ? -1 : t);
                    if (t == -1) {
                        ft.why = rt.why ? rt.why : "cannot be decided";
                        if (!ft.keybad)
                            ft.note = rt.missing;
                    }
                } else {  /* aggregate: the summed value */
                    rul_val v;
                    as_code ec = rul_expr_eval(f->test, &rt, &v);
                    if (ec == AS_ERR_NOMEM)
                        oom = 1;
                    if (ec == AS_OK && v.type == RUL_T_INT)
                        ft.num = (double)v.u.i;
                    else if (ec == AS_OK && v.type == RUL_T_NUM)
                        ft.num = v.u.num;
                    else {
                        ft.res = -1;
                        ft.why = rt.why ? rt.why : "the value to sum is not a number";
                        ft.note = rt.missing.len ? rt.missing : rul_expr_text(f->test);
                    }
                }
            }
            if (!oom && f->cadence && !ft.keybad && ft.tkind == T_TIME) {
                /* counted here, per block; only max_gap needs the counted events themselves */
                if (fold_cell(r, &w->cs[a->f[fi].feed], NULL, a->f[fi].feed, &ft) != 0)
                    oom = 1;
                else if (!(r->s->ctl[f->owner].max_gap && ft.res == 1))
                    continue;
                ft.tkind = T_NONE;  /* already counted: kept for max_gap only (see j_merge) */
                ft.res = 2;
            }
            if (oom || as_buf_append(&w->fb[a->f[fi].feed], &ft, sizeof ft) != 0) {
                w->failed = 1;
                return;
            }
        }
    }
}

static void *w_block_end(void *ws, const eng_blockctx *bc)
{
    wst *w = ws;
    if (w == NULL)
        return NULL;
    rul_run *r = w->j->r;
    iacc *a = &r->acc[w->j->map[bc->input]];
    blk *b = as_arena_alloc(bc->arena, sizeof *b, _Alignof(blk));
    if (b == NULL || w->failed) {
        if (b)
            memset(b, 0, sizeof *b), b->oom = 1;
        goto out;
    }
    memset(b, 0, sizeof *b);
    if (a->n_f) {
        b->f = as_arena_alloc(bc->arena, a->n_f * sizeof(fact *), _Alignof(fact *));
        b->n = as_arena_alloc(bc->arena, a->n_f * sizeof *b->n, _Alignof(size_t));
        b->c = as_arena_alloc(bc->arena, a->n_f * sizeof(cell *), _Alignof(cell *));
        b->nc = as_arena_alloc(bc->arena, a->n_f * sizeof *b->nc, _Alignof(size_t));
        if (b->f == NULL || b->n == NULL || b->c == NULL || b->nc == NULL) {
            b->oom = 1;
            goto out;
        }
        for (size_t i = 0; i < a->n_f; i++) {
            as_buf *fb = &w->fb[a->f[i].feed];
            b->n[i] = fb->len / sizeof(fact);
            b->f[i] = b->n[i] ? as_arena_alloc(bc->arena, fb->len, _Alignof(fact)) : NULL;
            if (b->n[i] && b->f[i] == NULL) {
                b->oom = 1;
                goto out;
            }
            if (b->n[i])
                memcpy(b->f[i], fb->data, fb->len);
            cellset *cs = &w->cs[a->f[i].feed];
            b->nc[i] = cs->v.len / sizeof(cell);
            b->c[i] = b->nc[i] ? as_arena_alloc(bc->arena, cs->v.len, _Alignof(cell)) : NULL;
            if (b->nc[i] && b->c[i] == NULL) {
                b->oom = 1;
                goto out;
            }
            if (b->nc[i])
                memcpy(b->c[i], cs->v.data, cs->v.len);
        }
    }
    b->ndc = w->days.len / sizeof(daycnt);
    if (b->ndc) {
        b->dc = as_arena_alloc(bc->arena, w->days.len, _Alignof(daycnt));
        if (b->dc == NULL)
            b->oom = 1;
        else
            memcpy(b->dc, w->days.data, w->days.len);
    }
    b->nst = w->stamps.len / sizeof(stamp);
    if (b->nst) {
        b->st = as_arena_alloc(bc->arena, w->stamps.len, _Alignof(stamp));
        if (b->st == NULL)
            b->oom = 1;
        else
            memcpy(b->st, w->stamps.data, w->stamps.len);
    }
out:
    for (size_t i = 0; i < a->n_f; i++) {
        as_buf_clear(&w->fb[a->f[i].feed]);
        rul_map_clear(&w->cs[a->f[i].feed].map);
        as_buf_clear(&w->cs[a->f[i].feed].v);
        w->cs[a->f[i].feed].last[0] = w->cs[a->f[i].feed].last[1] = 0;
    }
    as_buf_clear(&w->stamps);
    as_buf_clear(&w->days);
    w->failed = 0;
    return b;
}

static int intern(iacc *a, as_slice *s)
{
    if (s->len == 0) {
        s->ptr = "";
        return 0;
    }
    char *p = as_arena_strndup(&a->ar, s->ptr, s->len);
    if (p == NULL)
        return -1;
    s->ptr = p;
    return 0;
}

static int day_add(iacc *a, int64_t day, uint64_t n)
{
    int added;
    int64_t e = rul_map_put(&a->daymap, as_slice_make("", 0), day, &added);
    if (e < 0)
        return -1;
    if (added) {
        daycnt dc = { day, 0 };
        if (as_buf_append(&a->days, &dc, sizeof dc) != 0)
            return -1;
    }
    ((daycnt *)(void *)a->days.data)[e].n += n;
    return 0;
}

static void j_merge(void *ctx, void *accp, void *resp, uint64_t line_base)
{
    rjob *j = ctx;
    rul_run *r = j->r;
    iacc *a = accp;
    blk *b = resp;
    if (b == NULL || b->oom) {
        a->oom = 1;
        return;
    }
    /* replay RFC 3164 stamps in stream order */
    as_time *rt = NULL;
    if (b->nst) {
        rt = as_malloc(b->nst * sizeof *rt);
        if (rt == NULL) {
            a->oom = 1;
            return;
        }
        for (size_t i = 0; i < b->nst; i++) {
            psr_res pr = { .needs_year = 1, .month = b->st[i].month, .day = b->st[i].day, .sod = b->st[i].sod };
            rt[i] = psr_res_resolve_year(&a->ys, &pr) == AS_OK ? pr.time : (as_time){ 0 };
        }
    }
    for (size_t i = 0; i < b->ndc; i++)
        if (day_add(a, b->dc[i].day, b->dc[i].n) != 0)
            a->oom = 1;
    for (size_t i = 0; i < b->nst; i++)
        if (as_time_is_valid(rt[i]) && day_add(a, floordiv(rt[i].sec, 86400), 1) != 0)
            a->oom = 1;
    for (size_t fi = 0; fi < a->n_f; fi++) {
        ifeed *x = &a->f[fi];
        const feed *f = &r->feeds[x->feed];
        for (size_t i = 0; i < b->nc[fi]; i++) {
            cell c = b->c[fi][i];
            if (c.bad.input != UINT32_MAX)
                c.bad.line += line_base;
            if (cells_add(&x->cells, &a->ar, &c) != 0)
                a->oom = 1;
        }
        for (size_t i = 0; i < b->n[fi]; i++) {
            fact ft = b->f[fi][i];
            ft.line += line_base;
            if (ft.res == 2) {  /* counted in the block already; kept for max_gap */
                ft.res = 1;
                ft.tkind = T_TIME;
                if (intern(a, &ft.key) || as_buf_append(&x->facts, &ft, sizeof ft) != 0)
                    a->oom = 1;
                continue;
            }
            if (ft.tkind == T_PENDING) {
                as_time t = rt && ft.stamp < b->nst ? rt[ft.stamp] : (as_time){ 0 };
                if (as_time_is_valid(t)) {
                    ft.tkind = T_TIME;
                    ft.sec = t.sec;
                    ft.nsec = t.nsec;
                } else {
                    ft.tkind = T_BAD;
                }
            }
            if (f->cadence && !ft.keybad && ft.tkind == T_TIME) {  /* an RFC 3164 time resolved just now */
                if (fold_cell(r, &x->cells, &a->ar, x->feed, &ft) != 0)
                    a->oom = 1;
                /* max_gap needs the counted events' times; nothing else is kept */
                if (!(r->s->ctl[f->owner].max_gap && ft.res == 1))
                    continue;
            }
            int same = ft.on.ptr == ft.key.ptr && ft.on.len == ft.key.len;
            if (intern(a, &ft.key) || intern(a, &ft.uniq) || intern(a, &ft.note) ||
                (same ? (ft.on = ft.key, 0) : intern(a, &ft.on)) || as_buf_append(&x->facts, &ft, sizeof ft) != 0)
                a->oom = 1;
        }
    }
    as_free(rt);
}

static void j_in_end(void *ctx, void *accp, uint32_t input, const eng_stat *st)
{
    rjob *j = ctx;
    (void)accp;
    size_t bi = j->map[input];
    j->r->stat[bi] = *st;
    if (st->fault.loc.src)  /* the job's input names go with the job: point at the binding's */
        j->r->stat[bi].fault.loc.src = j->r->b->in.v[bi].display;
    j->r->read[bi] = 1;
}

/* Builds the set members from the set feeds' facts. */
static as_code build_sets(rul_run *r)
{
    for (size_t i = 0; i < r->b->in.n; i++) {
        iacc *a = &r->acc[i];
        if (r->b->virt && r->b->virt[i])
            continue;  /* loaded from a state: its facts stay, its set members came with it */
        for (size_t fi = 0; fi < a->n_f; fi++) {
            const feed *f = &r->feeds[a->f[fi].feed];
            if (f->role != F_SET)
                continue;
            const fact *v = (const fact *)(const void *)a->f[fi].facts.data;
            size_t n = a->f[fi].facts.len / sizeof *v;
            for (size_t k = 0; k < n; k++) {
                if (v[k].keybad)
                    continue;
                char *p = as_arena_strndup(&r->setar, v[k].key.ptr, v[k].key.len);
                int added;
                if (p == NULL || rul_map_put(&r->setmap[f->owner], as_slice_make(p, v[k].key.len), 0, &added) < 0)
                    return AS_ERR_NOMEM;
            }
        }
        iacc_clear(a);
        a->oom = 0;
    }
    return AS_OK;
}

static as_code run_phase(rul_run *r, int phase, as_err *err)
{
    r->phase = phase;
    uint64_t want = 0;
    for (size_t f = 0; f < r->n_feeds; f++)
        if (phase_wants(r, &r->feeds[f]))
            want |= r->feeds[f].mask;
    rjob j = { .r = r };
    eng_inputs in;
    eng_inputs_init(&in);
    j.map = as_calloc(r->b->in.n ? r->b->in.n : 1, sizeof *j.map);
    in.v = as_calloc(r->b->in.n ? r->b->in.n : 1, sizeof *in.v);
    if (j.map == NULL || in.v == NULL) {
        as_free(j.map);
        as_free(in.v);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    in.cap = r->b->in.n;
    for (size_t i = 0; i < r->b->in.n; i++) {
        /* before detection an input may belong to any candidate source */
        uint64_t m = r->acc[i].detected ? r->b->mask[i] | r->acc[i].mask : r->b->mask[i] | r->b->detect[i];
        if (r->b->virt && r->b->virt[i])
            continue;  /* read by an earlier run: its state was loaded */
        if (!(m & want))
            continue;
        eng_input *x = &in.v[in.n];
        size_t lp = strlen(r->b->in.v[i].path) + 1, ld = strlen(r->b->in.v[i].display) + 1;
        x->path = as_malloc(lp);
        x->display = as_malloc(ld);
        if (x->path == NULL || x->display == NULL) {
            as_free(x->path);
            as_free(x->display);
            eng_inputs_fini(&in);
            as_free(j.map);
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        }
        memcpy(x->path, r->b->in.v[i].path, lp);
        memcpy(x->display, r->b->in.v[i].display, ld);
        j.map[in.n++] = (uint32_t)i;
    }
    j.n = in.n;
    as_code rc = AS_OK;
    if (in.n) {
        eng_opts eo = { .workers = r->o.workers, .max_record = r->o.max_record };
        eng_sink sink = {
            .ctx = &j, .worker_init = w_init, .worker_fini = w_fini, .input_begin = j_in_begin,
            .on_batch = w_batch, .block_end = w_block_end, .merge = j_merge, .input_end = j_in_end,
            .input_head = j_in_head, .split_document = j_split_doc,
        };
        eng_job *job = eng_job_new(&in, &eo, &sink);
        if (job == NULL) {
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        } else {
            r->job = job;
            if (r->cancelled)
                eng_job_cancel(job);
            rc = eng_job_run(job, NULL, NULL, err);
            if (rc == AS_OK && eng_job_cancelled(job))
                rc = as_err_set(err, AS_ERR_INTERRUPTED, (as_loc){ 0 }, "interrupted");
            r->job = NULL;
            eng_job_free(job);
        }
    }
    eng_inputs_fini(&in);
    as_free(j.map);
    for (size_t i = 0; rc == AS_OK && i < r->b->in.n; i++)
        if (r->acc[i].oom)
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, "out of memory collecting the facts of %s",
                            r->b->in.v[i].display);
    return rc;
}

as_code rul_run_exec(rul_run *r, as_err *err)
{
    r->pstart = r->o.period_start;
    r->pend = r->o.period_end;
    r->period_given = as_time_is_valid(r->pstart) && as_time_is_valid(r->pend);
    if (r->s->n_sets) {
        AS_TRY(run_phase(r, 0, err));
        AS_TRY(build_sets(r) == AS_OK ? AS_OK : as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL));
        for (size_t i = 0; i < r->b->in.n; i++) {
            psr_input_free(r->pin[i]);
            r->pin[i] = NULL;
        }
    }
    AS_TRY(run_phase(r, 1, err));
    for (size_t i = 0; i < r->b->in.n; i++) {  /* coverage in day order (the map is not used again) */
        iacc *a = &r->acc[i];
        if (a->days.len > sizeof(daycnt))
            qsort(a->days.data, a->days.len / sizeof(daycnt), sizeof(daycnt), cmp_daycnt);
        rul_map_fini(&a->daymap);
    }
    if (rul_finish(r) != AS_OK)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    return AS_OK;
}

void rul_run_cancel(rul_run *r)
{
    r->cancelled = 1;
    eng_job *j = r->job;
    if (j)
        eng_job_cancel(j);
}

size_t rul_run_n_results(const rul_run *r) { return r->s->n_ctl; }
const rul_cresult *rul_run_result(const rul_run *r, size_t i) { return &r->res[i]; }
const eng_stat *rul_run_stat(const rul_run *r, size_t i) { return r->read[i] ? &r->stat[i] : NULL; }
const char *rul_run_input_display(const rul_run *r, size_t i) { return r->b->in.v[i].display; }
const char *rul_run_input_format(const rul_run *r, size_t i) { return r->acc[i].format ? r->acc[i].format : "unknown"; }
size_t rul_run_n_inputs(const rul_run *r) { return r->b->in.n; }
uint64_t rul_run_input_sources(const rul_run *r, size_t i) { return r->acc[i].mask | r->b->mask[i]; }

void rul_run_period(const rul_run *r, as_time *start, as_time *end, int *given)
{
    *start = r->pstart;
    *end = r->pend;
    *given = r->period_given;
}

static int cmp_daycnt(const void *a, const void *b)
{
    const daycnt *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

const rul_daycount *rul_run_input_days(const rul_run *r, size_t input, size_t *n)
{
    const iacc *a = &r->acc[input];
    *n = a->days.len / sizeof(daycnt);
    return (const rul_daycount *)(const void *)a->days.data;
}
const rul_set *rul_run_rules(const rul_run *r) { return r->s; }
const char *rul_run_input_rel(const rul_run *r, size_t i) { return r->b->rel[i]; }
