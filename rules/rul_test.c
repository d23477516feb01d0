/* rul_test.c: the tests, applied to the facts a run collected (rul_int.h).
 *
 * Facts arrive per input in stream order; inputs are combined in input
 * order, so every list below is in a total order that does not depend on
 * threads. Per control: drop records outside the period (counted), report
 * duplicates of the `unique` id (kept once, the first in input order), then
 *   each          the assertion's value per instance
 *   followed_by   a matching event with the same key in [t - early, t + within]
 *   preceded_by   a matching event with the same key in [t - within, t]
 *                 (strict: not at t itself; expect none: a match is the exception)
 *   reconcile     the key present on the other side
 *   cadence       per group and bucket of the period, at least `min` counted
 *                 events; optionally no gap longer than max_gap between them
 *   aggregate     per key, the count (or sum) over any window of that length
 *                 at most `max`; a reset event starts the count again
 * An instance whose key, time or test cannot be evaluated is untestable,
 * an exception with its own reason code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>  /* qsort */
#include <string.h>

#include "rules/rul_int.h"

#define NS 1000000000LL

typedef struct fv {
    const fact **v;
    size_t       n, cap;
} fv;

static int fv_push(fv *x, const fact *f)
{
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 256;
        const fact **nv = as_realloc(x->v, nc * sizeof(const fact *));
        if (nv == NULL)
            return -1;
        x->v = nv;
        x->cap = nc;
    }
    x->v[x->n++] = f;
    return 0;
}

/* The facts of one control's feeds of a role, in input order. */
static int gather(const rul_run *r, size_t ci, feed_role role, fv *out)
{
    for (size_t i = 0; i < r->b->in.n; i++) {
        const iacc *a = &r->acc[i];
        for (size_t fi = 0; fi < a->n_f; fi++) {
            const feed *f = &r->feeds[a->f[fi].feed];
            if (f->owner != ci || f->role != role)
                continue;
            const fact *v = (const fact *)(const void *)a->f[fi].facts.data;
            size_t n = a->f[fi].facts.len / sizeof *v;
            for (size_t k = 0; k < n; k++)
                if (fv_push(out, &v[k]) != 0)
                    return -1;
        }
    }
    return 0;
}

static int64_t ns_of(const fact *f)
{
    /* times within +-292 years of 1970 fit in int64 nanoseconds; beyond (a
     * damaged saved state), saturate */
    int64_t v;
    if (__builtin_mul_overflow(f->sec, NS, &v) || __builtin_add_overflow(v, (int64_t)f->nsec, &v))
        return f->sec < 0 ? INT64_MIN : INT64_MAX;
    return v;
}

/* ---- text ---- */

static as_slice dup(rul_run *r, const char *p, size_t n)
{
    char *q = as_arena_strndup(&r->resar, p ? p : "", n);
    return q ? as_slice_make(q, n) : as_slice_make("", 0);
}

static as_slice fmt(rul_run *r, const char *f, ...) AS_PRINTF(2, 3);
static as_slice fmt(rul_run *r, const char *f, ...)
{
    char *p;
    va_list ap;
    va_start(ap, f);
    int64_t n = as_arena_vprintf(&r->resar, &p, f, ap);
    va_end(ap);
    return n < 0 ? as_slice_make("", 0) : as_slice_make(p, (size_t)n);
}

/* 1h30m0s, 15m0s, 1s, 250ms (Go's time.Duration form). */
static void dur_text(int64_t ns, char *b, size_t cap)
{
    const char *sign = ns < 0 ? "-" : "";
    uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (u < (uint64_t)NS) {
        if (u % 1000000 == 0)
            snprintf(b, cap, "%s%llums", sign, (unsigned long long)(u / 1000000));
        else
            snprintf(b, cap, "%s%lluns", sign, (unsigned long long)u);
        return;
    }
    uint64_t s = u / NS, frac = u % NS;
    uint64_t h = s / 3600, m = s / 60 % 60, sec = s % 60;
    char fr[16] = "";
    if (frac) {
        snprintf(fr, sizeof fr, ".%09llu", (unsigned long long)frac);
        size_t l = strlen(fr);
        while (l > 1 && fr[l - 1] == '0')
            fr[--l] = '\0';
    }
    if (h)
        snprintf(b, cap, "%s%lluh%llum%llu%ss", sign, (unsigned long long)h, (unsigned long long)m,
                 (unsigned long long)sec, fr);
    else if (m)
        snprintf(b, cap, "%s%llum%llu%ss", sign, (unsigned long long)m, (unsigned long long)sec, fr);
    else
        snprintf(b, cap, "%s%llu%ss", sign, (unsigned long long)sec, fr);
}

static void time_text(int64_t sec, int32_t nsec, char *b)
{
    as_time t = { .sec = sec, .nsec = nsec, .flags = AS_TIME_VALID };
    as_time_format_utc(t, b);
}

/* "the assertion is false: <its text on one line>" */
static as_slice assert_text(rul_run *r, as_slice e)
{
    char b[400];
    size_t n = (size_t)snprintf(b, sizeof b, "false: ");
    int space = 0;
    for (size_t i = 0; i < e.len && n < sizeof b - 4; i++) {
        char ch = e.ptr[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = n > 7;
            continue;
        }
        if (space)
            b[n++] = ' ';
        space = 0;
        b[n++] = ch;
    }
    if (n >= sizeof b - 4)
        n = (size_t)snprintf(b + sizeof b - 8, 8, "...") + sizeof b - 8;
    return dup(r, b, n);
}

/* ---- instances ---- */

typedef struct iv {
    as_buf v;  /* rul_inst[] */
} iv;

static rul_inst *inst_new(iv *x)
{
    rul_inst z = { 0 };
    if (as_buf_append(&x->v, &z, sizeof z) != 0)
        return NULL;
    return &((rul_inst *)(void *)x->v.data)[x->v.len / sizeof z - 1];
}

static rul_where where_of(const fact *f)
{
    return (rul_where){ .input = f->input, .line = f->line, .offset = f->offset };
}

static rul_inst *inst_fact(rul_run *r, iv *x, const fact *f)
{
    rul_inst *in = inst_new(x);
    if (in == NULL)
        return NULL;
    char id[AS_REC_ID_MAX];
    const eng_stat *st = &r->stat[f->input];
    size_t n = as_rec_id_format(st->sha256, f->offset, id);
    in->id = dup(r, id, n);
    in->key = f->key;
    if (f->tkind == T_TIME)
        in->time = (as_time){ .sec = f->sec, .nsec = f->nsec, .flags = AS_TIME_VALID };
    in->at = where_of(f);
    in->rel.input = UINT32_MAX;
    in->result = RUL_PASS;
    in->reason = "";
    in->src = f->src;
    return in;
}

static void set_untestable(rul_run *r, rul_inst *in, const char *reason, const char *why, as_slice note)
{
    in->result = RUL_UNTESTABLE;
    in->reason = reason;
    if (note.len)
        in->detail = fmt(r, "%s: %.*s", why ? why : "cannot be tested", AS_SLICE_ARG(note));
    else
        in->detail = fmt(r, "%s", why ? why : "cannot be tested");
}

/* The reason code of an untestable evaluation, from the evaluator's text. */
static const char *untestable_code(const char *why)
{
    if (why == NULL)
        return "untestable";
    if (strncmp(why, "missing", 7) == 0)
        return "untestable_missing";
    if (strncmp(why, "type", 4) == 0)
        return "untestable_type";
    return "untestable";
}

/* Key and time checks every instance needs; 1 when the instance is usable. */
static int usable(rul_run *r, rul_inst *in, const fact *f, int need_time)
{
    if (f->keybad) {
        set_untestable(r, in, "untestable_key", f->why, f->note);
        return 0;
    }
    if (need_time && f->tkind != T_TIME) {
        set_untestable(r, in, "untestable_time",
                       f->tkind == T_BAD ? "the time does not parse" : "the record has no time", f->note);
        return 0;
    }
    return 1;
}

static void exception(rul_inst *in, const char *reason)
{
    in->result = RUL_EXCEPTION;
    in->reason = reason;
}

/* ---- period and duplicates ---- */

static int in_period(const rul_run *r, const fact *f)
{
    if (f->tkind != T_TIME)
        return 1;  /* cannot tell: kept (and untestable where time matters) */
    return f->sec >= r->pstart.sec && f->sec < r->pend.sec;
}

typedef struct {
    rul_map map;
    as_buf  first;  /* const fact* per entry */
} dupidx;

/* Drops records outside the period and repeated unique ids; records both. */
static int filter(rul_run *r, rul_cresult *cr, fv *pop, int has_unique)
{
    dupidx d;
    rul_map_init(&d.map);
    as_buf_init(&d.first);
    as_buf dups;
    as_buf_init(&dups);
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < pop->n && rc == 0; i++) {
        const fact *f = pop->v[i];
        if (!in_period(r, f)) {
            cr->n_outside++;
            continue;
        }
        if (has_unique && f->uniq.len && !f->keybad) {
            int added;
            int64_t e = rul_map_put(&d.map, f->uniq, 0, &added);
            if (e < 0) {
                rc = -1;
                break;
            }
            if (added) {
                if (as_buf_append(&d.first, &f, sizeof(const fact *)) != 0)
                    rc = -1;
            } else {
                const fact *first = ((const fact **)(void *)d.first.data)[e];
                rul_dup x = { .key = f->key, .uniq = f->uniq, .at = where_of(f), .first = where_of(first) };
                if (as_buf_append(&dups, &x, sizeof x) != 0)
                    rc = -1;
                continue;
            }
        }
        pop->v[k++] = f;
    }
    pop->n = k;
    rul_map_fini(&d.map);
    as_buf_fini(&d.first);
    cr->dup = (rul_dup *)(void *)dups.data;
    cr->n_dup = dups.len / sizeof(rul_dup);
    return rc;
}

/* ---- index of matching events by key and time ---- */

static int cmp_kt(const void *a, const void *b)
{
    const fact *x = *(const fact *const *)a, *y = *(const fact *const *)b;
    int c = as_slice_cmp(x->key, y->key);
    if (c)
        return c;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    if (x->nsec != y->nsec)
        return x->nsec < y->nsec ? -1 : 1;
    if (x->input != y->input)
        return x->input < y->input ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Keeps the usable events (key and time) and sorts them by (key, time). */
static void index_events(fv *o)
{
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++)
        if (!o->v[i]->keybad && o->v[i]->tkind == T_TIME)
            o->v[k++] = o->v[i];
    o->n = k;
    if (o->n > 1)
        qsort(o->v, o->n, sizeof(const fact *), cmp_kt);
}

/* [lo, hi) of the events with key k. */
static void key_range(const fv *o, as_slice k, size_t *lo, size_t *hi)
{
    size_t a = 0, b = o->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (as_slice_cmp(o->v[m]->key, k) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = o->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (as_slice_cmp(o->v[m]->key, k) <= 0)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    int64_t v;
    if (b == RUL_UNBOUNDED)
        return INT64_MAX;
    if (__builtin_add_overflow(a, b, &v))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return v;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    int64_t v;
    if (b == RUL_UNBOUNDED)
        return INT64_MIN;
    if (__builtin_sub_overflow(a, b, &v))
        return b > 0 ? INT64_MIN : INT64_MAX;
    return v;
}

static void where_text(const rul_run *r, rul_where w, char *b, size_t cap)
{
    if (w.input == UINT32_MAX)
        snprintf(b, cap, "?");
    else
        snprintf(b, cap, "%s:%llu", r->b->in.v[w.input].display, (unsigned long long)w.line);
}

static void correlate(rul_run *r, const rul_control *c, rul_inst *in, const fact *f, const fv *o)
{
    size_t lo, hi;
    key_range(o, f->on, &lo, &hi);
    int64_t t = ns_of(f);
    char d1[48], d2[48], ts[AS_TIME_RFC3339_MAX], loc[600];
    if (c->kind == RUL_TEST_FOLLOWED_BY) {
        int64_t wlo = c->early == RUL_UNBOUNDED ? INT64_MIN : sat_sub(t, c->early);
        int64_t whi = sat_add(t, c->within);
        const fact *m = NULL, *late = NULL;
        for (size_t i = lo; i < hi; i++) {  /* events of one key: few */
            int64_t u = ns_of(o->v[i]);
            if (u < wlo || (c->strict && u == t))
                continue;
            if (u <= whi) {
                if (m == NULL || (m && ns_of(m) < t && u >= t))
                    m = o->v[i];  /* prefer the first at or after t */
                if (u >= t)
                    break;
                continue;
            }
            late = o->v[i];
            break;
        }
        if (m) {
            in->rel = where_of(m);
            dur_text(sat_sub(ns_of(m), t), d1, sizeof d1);
            in->measured = dup(r, d1, strlen(d1));
            if (c->expect_none) {
                exception(in, "matched");
                where_text(r, in->rel, loc, sizeof loc);
                in->detail = fmt(r, "followed by a matching event after %s (%s)", d1, loc);
            }
            return;
        }
        if (c->expect_none)
            return;
        if (late) {
            in->rel = where_of(late);
            dur_text(sat_sub(ns_of(late), t), d1, sizeof d1);
            dur_text(sat_sub(ns_of(late), whi), d2, sizeof d2);
            exception(in, "late");
            in->measured = dup(r, d2, strlen(d2));
            time_text(late->sec, late->nsec, ts);
            where_text(r, in->rel, loc, sizeof loc);
            in->detail = fmt(r, "the matching event came after %s, %s late (%s, %s)", d1, d2, ts, loc);
            return;
        }
        exception(in, "no_match");
        dur_text(c->within, d1, sizeof d1);
        in->detail = c->within == RUL_UNBOUNDED ? fmt(r, "no matching event for '%.*s'", AS_SLICE_ARG(f->on))
                                                : fmt(r, "no matching event for '%.*s' within %s", AS_SLICE_ARG(f->on), d1);
        return;
    }
    /* preceded_by */
    int64_t wlo = c->within == RUL_UNBOUNDED ? INT64_MIN : sat_sub(t, c->within);
    const fact *m = NULL, *after = NULL, *stale = NULL;
    for (size_t i = lo; i < hi; i++) {
        int64_t u = ns_of(o->v[i]);
        if (u < wlo) {
            stale = o->v[i];
            continue;
        }
        if (u < t || (u == t && !c->strict)) {
            m = o->v[i];  /* the latest one before t */
            continue;
        }
        if (u > t) {
            after = o->v[i];
            break;
        }
    }
    if (m) {
        in->rel = where_of(m);
        dur_text(sat_sub(t, ns_of(m)), d1, sizeof d1);
        in->measured = dup(r, d1, strlen(d1));
        if (c->expect_none) {
            exception(in, "matched");
            time_text(m->sec, m->nsec, ts);
            where_text(r, in->rel, loc, sizeof loc);
            in->detail = fmt(r, "preceded by a matching event %s earlier (%s, %s)", d1, ts, loc);
        }
        return;
    }
    if (c->expect_none)
        return;
    if (after) {
        in->rel = where_of(after);
        dur_text(sat_sub(ns_of(after), t), d1, sizeof d1);
        exception(in, "late");
        in->measured = dup(r, d1, strlen(d1));
        where_text(r, in->rel, loc, sizeof loc);
        in->detail = fmt(r, "the matching event came %s after the instance (%s)", d1, loc);
        return;
    }
    exception(in, "no_match");
    if (stale) {
        in->rel = where_of(stale);
        dur_text(sat_sub(t, ns_of(stale)), d1, sizeof d1);
        in->detail = fmt(r, "the latest matching event for '%.*s' is %s earlier, outside the window",
                         AS_SLICE_ARG(f->on), d1);
    } else {
        in->detail = fmt(r, "no matching event for '%.*s' before it", AS_SLICE_ARG(f->on));
    }
}

/* ---- cadence ---- */

typedef struct gcell {
    as_slice group;
    int64_t  bucket;
    uint64_t n_ok, n_all;
    rul_where bad;
    int      gap;        /* a gap over max_gap ends in this cell */
    int64_t  gap_ns;
    rul_where gap_at;
} gcell;

typedef struct grange {
    as_slice group;
    uint32_t input;
    int64_t  min_sec, max_sec;
} grange;

static int cmp_slice(const void *a, const void *b)
{
    return as_slice_cmp(*(const as_slice *)a, *(const as_slice *)b);
}

static int cadence(rul_run *r, size_t ci, const rul_control *c, fv *pop, iv *out)
{
    int cr_truncated = 0;
    rul_map cm;
    rul_map_init(&cm);
    as_buf cells, ranges, groups;
    as_buf_init(&cells);
    as_buf_init(&ranges);
    as_buf_init(&groups);
    rul_map gm;
    rul_map_init(&gm);
    int rc = 0;
    /* combine the inputs' cells, in input order */
    for (size_t i = 0; i < r->b->in.n && rc == 0; i++) {
        const iacc *a = &r->acc[i];
        for (size_t fi = 0; fi < a->n_f && rc == 0; fi++) {
            const feed *f = &r->feeds[a->f[fi].feed];
            if (f->owner != ci || f->role != F_POP)
                continue;
            const cell *v = (const cell *)(const void *)a->f[fi].cells.v.data;
            size_t n = a->f[fi].cells.v.len / sizeof *v;
            for (size_t k = 0; k < n && rc == 0; k++) {
                int added;
                if (v[k].bucket == CELL_RANGE) {
                    grange g = { v[k].group, v[k].input, v[k].min_sec, v[k].max_sec };
                    if (as_buf_append(&ranges, &g, sizeof g) != 0 || rul_map_put(&gm, v[k].group, 0, &added) < 0 ||
                        (added && c->groups_set < 0 && as_buf_append(&groups, &v[k].group, sizeof(as_slice)) != 0))
                        rc = -1;
                    continue;
                }
                int64_t e = rul_map_put(&cm, v[k].group, v[k].bucket, &added);
                if (e < 0) {
                    rc = -1;
                    break;
                }
                if (added) {
                    gcell g = { .group = v[k].group, .bucket = v[k].bucket, .bad = { .input = UINT32_MAX },
                                .gap_at = { .input = UINT32_MAX } };
                    if (as_buf_append(&cells, &g, sizeof g) != 0) {
                        rc = -1;
                        break;
                    }
                }
                gcell *g = &((gcell *)(void *)cells.data)[e];
                g->n_ok += v[k].n_ok;
                g->n_all += v[k].n_all;
                if (g->bad.input == UINT32_MAX && v[k].bad.input != UINT32_MAX)
                    g->bad = v[k].bad;
            }
        }
    }
    if (rc == 0 && c->groups_set >= 0) {  /* the groups: the set's members */
        const rul_map *sm = &r->setmap[c->groups_set];
        for (size_t i = 0; i < sm->cap && rc == 0; i++)
            if (sm->slot[i].idx && as_buf_append(&groups, &sm->slot[i].s, sizeof(as_slice)) != 0)
                rc = -1;
    }
    as_slice *gv = (as_slice *)(void *)groups.data;
    size_t ng = groups.len / sizeof *gv;
    if (ng > 1)
        qsort(gv, ng, sizeof *gv, cmp_slice);
    /* max_gap: the counted events' times per group */
    if (rc == 0 && c->max_gap) {
        fv ok = { 0 };
        for (size_t i = 0; i < pop->n && rc == 0; i++)
            if (pop->v[i]->res == 1 && !pop->v[i]->keybad && pop->v[i]->tkind == T_TIME && in_period(r, pop->v[i]))
                rc = fv_push(&ok, pop->v[i]);
        if (rc == 0 && ok.n > 1)
            qsort(ok.v, ok.n, sizeof(const fact *), cmp_kt);
        for (size_t i = 1; rc == 0 && i < ok.n; i++) {
            if (!as_slice_eq(ok.v[i]->key, ok.v[i - 1]->key))
                continue;
            int64_t gap = sat_sub(ns_of(ok.v[i]), ns_of(ok.v[i - 1]));
            if (gap <= c->max_gap)
                continue;
            int64_t b = rul_bucket_of(c->every, ok.v[i]->sec, c->tz_offset_min);
            int64_t e = rul_map_find(&cm, ok.v[i]->key, b);
            if (e >= 0) {
                gcell *g = &((gcell *)(void *)cells.data)[e];
                if (!g->gap || gap > g->gap_ns) {
                    g->gap = 1;
                    g->gap_ns = gap;
                    g->gap_at = where_of(ok.v[i]);
                }
            }
        }
        as_free(ok.v);
    }
    /* one instance per group and bucket of the period */
    int64_t b0 = rul_bucket_of(c->every, r->pstart.sec, c->tz_offset_min);
    int64_t b1 = rul_bucket_of(c->every, r->pend.sec - 1, c->tz_offset_min);
    if (b1 - b0 >= RUL_MAX_BUCKETS)  /* a period of centuries: a wrong --period or bad times */
        b1 = b0 + RUL_MAX_BUCKETS - 1, cr_truncated = 1;
    const grange *rv = (const grange *)(const void *)ranges.data;
    size_t nr = ranges.len / sizeof *rv;
    for (size_t gi = 0; gi < ng && rc == 0; gi++) {
        for (int64_t b = b0; b <= b1 && rc == 0; b++) {
            char lab[32];
            rul_bucket_label(c->every, b, lab, sizeof lab);
            rul_inst *in = inst_new(out);
            if (in == NULL) {
                rc = -1;
                break;
            }
            in->id = fmt(r, "%.*s/%s", AS_SLICE_ARG(gv[gi]), lab);
            in->key = in->id;
            int64_t bs = rul_bucket_start(c->every, b, c->tz_offset_min);
            in->time = (as_time){ .sec = AS_MAX(bs, r->pstart.sec), .flags = AS_TIME_VALID };
            in->at.input = UINT32_MAX;
            in->rel.input = UINT32_MAX;
            in->reason = "";
            in->src = (uint8_t)c->pop.src[0];
            int64_t e = rul_map_find(&cm, gv[gi], b);
            const gcell *g = e >= 0 ? &((const gcell *)(const void *)cells.data)[e] : NULL;
            uint64_t n_ok = g ? g->n_ok : 0, n_all = g ? g->n_all : 0;
            in->measured = fmt(r, "%llu", (unsigned long long)n_ok);
            if (n_ok < (uint64_t)c->min_count) {
                exception(in, "too_few");
                if (g && g->bad.input != UINT32_MAX) {
                    in->at = g->bad;
                    in->src = (uint8_t)c->pop.src[0];
                } else {
                    /* an absence: the group's input whose time range is nearest */
                    int64_t best = INT64_MAX;
                    for (size_t k = 0; k < nr; k++) {
                        if (!as_slice_eq(rv[k].group, gv[gi]))
                            continue;
                        int64_t dist = bs < rv[k].min_sec ? rv[k].min_sec - bs : bs > rv[k].max_sec ? bs - rv[k].max_sec : 0;
                        if (dist < best) {
                            best = dist;
                            in->at = (rul_where){ .input = rv[k].input, .line = 0 };
                        }
                    }
                }
                in->detail = fmt(r, "%llu counted event%s in %s %s (at least %lld required; %llu other event%s)",
                                 (unsigned long long)n_ok, n_ok == 1 ? "" : "s", rul_bucket_name(c->every), lab,
                                 (long long)c->min_count, (unsigned long long)(n_all - n_ok),
                                 n_all - n_ok == 1 ? "" : "s");
            } else if (g && g->gap) {
                char d[48], dm[48];
                dur_text(g->gap_ns, d, sizeof d);
                dur_text(c->max_gap, dm, sizeof dm);
                exception(in, "gap_exceeded");
                in->at = g->gap_at;
                in->measured = dup(r, d, strlen(d));
                in->detail = fmt(r, "%s since the previous counted event (at most %s)", d, dm);
            }
        }
    }
    /* records whose group or time cannot be read */
    for (size_t i = 0; i < pop->n && rc == 0; i++) {
        const fact *f = pop->v[i];
        if (!f->keybad && f->tkind == T_TIME)
            continue;
        rul_inst *in = inst_fact(r, out, f);
        if (in == NULL)
            rc = -1;
        else
            (void)usable(r, in, f, 1);
    }
    if (cr_truncated)
        r->res[ci].truncated = 1;
    rul_map_fini(&cm);
    rul_map_fini(&gm);
    as_buf_fini(&cells);
    as_buf_fini(&ranges);
    as_buf_fini(&groups);
    return rc;
}

/* ---- aggregate ---- */

static int cmp_idx_kt(const void *a, const void *b, void *arg)
{
    const fact *const *pop = arg;
    const fact *x = pop[*(const size_t *)a], *y = pop[*(const size_t *)b];
    return cmp_kt(&x, &y);
}

static int aggregate(rul_run *r, const rul_control *c, fv *pop, fv *rst, iv *out)
{
    index_events(rst);
    size_t *ord = as_malloc((pop->n ? pop->n : 1) * sizeof *ord);
    uint8_t *flag = as_calloc(pop->n ? pop->n : 1, 1);
    double *meas = as_calloc(pop->n ? pop->n : 1, sizeof *meas);
    if (ord == NULL || flag == NULL || meas == NULL) {
        as_free(ord);
        as_free(flag);
        as_free(meas);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < pop->n; i++) {
        const fact *f = pop->v[i];
        if (!f->keybad && f->tkind == T_TIME && f->res >= 0)
            ord[n++] = i;
    }
    if (n > 1)
        qsort_r(ord, n, sizeof *ord, cmp_idx_kt, (void *)pop->v);
    size_t start = 0;
    double sum = 0;
    int in_burst = 0;
    for (size_t i = 0; i < n; i++) {
        const fact *f = pop->v[ord[i]];
        if (i == 0 || !as_slice_eq(f->key, pop->v[ord[i - 1]]->key)) {
            start = i;
            sum = 0;
            in_burst = 0;
        }
        int64_t t = ns_of(f);
        /* a reset event of this key at or before t ends the burst before it */
        size_t lo, hi;
        key_range(rst, f->key, &lo, &hi);
        for (size_t k = lo; k < hi && ns_of(rst->v[k]) <= t; k++)
            while (start < i && ns_of(pop->v[ord[start]]) <= ns_of(rst->v[k])) {
                sum -= c->value ? pop->v[ord[start]]->num : 1;
                start++;
                in_burst = 0;
            }
        sum += c->value ? f->num : 1;
        while (start < i && ns_of(pop->v[ord[start]]) <= sat_sub(t, c->window)) {
            sum -= c->value ? pop->v[ord[start]]->num : 1;
            start++;
        }
        if (sum > c->max && !in_burst) {
            in_burst = 1;
            flag[ord[i]] = 1;
            meas[ord[i]] = sum;
        } else if (sum <= c->max) {
            in_burst = 0;
        }
    }
    char d[48];
    dur_text(c->window, d, sizeof d);
    int rc = 0;
    for (size_t i = 0; i < pop->n && rc == 0; i++) {
        const fact *f = pop->v[i];
        rul_inst *in = inst_fact(r, out, f);
        if (in == NULL) {
            rc = -1;
            break;
        }
        if (!usable(r, in, f, 1))
            continue;
        if (f->res < 0) {
            set_untestable(r, in, untestable_code(f->why), f->why, f->note);
            continue;
        }
        if (!flag[i])
            continue;
        exception(in, "over_limit");
        in->measured = fmt(r, "%.15g", meas[i]);
        in->detail = fmt(r, "%s %.15g within %s for '%.*s' (at most %.15g)", c->value ? "sum" : "count", meas[i], d,
                         AS_SLICE_ARG(f->key), c->max);
    }
    as_free(ord);
    as_free(flag);
    as_free(meas);
    return rc;
}

/* ---- one control ---- */

static int finish_control(rul_run *r, size_t ci)
{
    const rul_control *c = &r->s->ctl[ci];
    rul_cresult *cr = &r->res[ci];
    cr->c = c;
    fv pop = { 0 }, oth = { 0 }, rst = { 0 };
    iv out;
    as_buf_init(&out.v);
    int rc = gather(r, ci, F_POP, &pop);
    if (rc == 0 && c->kind != RUL_TEST_CADENCE)
        rc = filter(r, cr, &pop, c->pop.unique != NULL);
    if (rc == 0)
        rc = gather(r, ci, F_OTHER, &oth);
    if (rc == 0)
        rc = gather(r, ci, F_RESET, &rst);
    cr->n_other = oth.n;
    switch (c->kind) {
    case RUL_TEST_EACH:
        for (size_t i = 0; rc == 0 && i < pop.n; i++) {
            const fact *f = pop.v[i];
            rul_inst *in = inst_fact(r, &out, f);
            if (in == NULL) {
                rc = -1;
                break;
            }
            if (!usable(r, in, f, 0))
                continue;
            if (f->res == 0) {
                exception(in, "assert_failed");
                in->detail = assert_text(r, rul_expr_text(c->assert_));
            } else if (f->res < 0) {
                set_untestable(r, in, untestable_code(f->why), f->why, f->note);
            }
        }
        break;
    case RUL_TEST_FOLLOWED_BY:
    case RUL_TEST_PRECEDED_BY:
        index_events(&oth);
        for (size_t i = 0; rc == 0 && i < pop.n; i++) {
            const fact *f = pop.v[i];
            rul_inst *in = inst_fact(r, &out, f);
            if (in == NULL) {
                rc = -1;
                break;
            }
            if (usable(r, in, f, 1))
                correlate(r, c, in, f, &oth);
        }
        break;
    case RUL_TEST_RECONCILE: {
        rul_map lm, rm;
        rul_map_init(&lm);
        rul_map_init(&rm);
        as_buf rfirst;
        as_buf_init(&rfirst);
        int added;
        for (size_t i = 0; rc == 0 && i < oth.n; i++)
            if (!oth.v[i]->keybad) {
                int64_t e = rul_map_put(&rm, oth.v[i]->key, 0, &added);
                if (e < 0 || (added && as_buf_append(&rfirst, &oth.v[i], sizeof(const fact *)) != 0))
                    rc = -1;
            }
        for (size_t i = 0; rc == 0 && i < pop.n; i++) {
            const fact *f = pop.v[i];
            rul_inst *in = inst_fact(r, &out, f);
            if (in == NULL) {
                rc = -1;
                break;
            }
            in->side = "left";
            if (!usable(r, in, f, 0))
                continue;
            if (!f->keybad && rul_map_put(&lm, f->on, 0, &added) < 0)
                rc = -1;
            int64_t e = rul_map_find(&rm, f->on, 0);
            if (e >= 0) {
                in->rel = where_of(((const fact **)(void *)rfirst.data)[e]);
            } else if (c->report_left) {
                exception(in, "unmatched");
                in->detail = fmt(r, "no matching record for '%.*s' on the other side", AS_SLICE_ARG(f->on));
            }
        }
        for (size_t i = 0; rc == 0 && c->report_right && i < oth.n; i++) {
            const fact *f = oth.v[i];
            if (!in_period(r, f))
                continue;
            rul_inst *in = inst_fact(r, &out, f);
            if (in == NULL) {
                rc = -1;
                break;
            }
            in->side = "right";
            if (!usable(r, in, f, 0))
                continue;
            if (rul_map_find(&lm, f->key, 0) < 0) {
                exception(in, "unmatched");
                in->detail = fmt(r, "no population record for '%.*s'", AS_SLICE_ARG(f->key));
            }
        }
        rul_map_fini(&lm);
        rul_map_fini(&rm);
        as_buf_fini(&rfirst);
        break;
    }
    case RUL_TEST_CADENCE:
        rc = cadence(r, ci, c, &pop, &out);
        break;
    case RUL_TEST_AGGREGATE:
        rc = aggregate(r, c, &pop, &rst, &out);
        break;
    }
    as_free(pop.v);
    as_free(oth.v);
    as_free(rst.v);
    cr->inst = (rul_inst *)(void *)out.v.data;
    cr->n_inst = out.v.len / sizeof(rul_inst);
    for (size_t i = 0; i < cr->n_inst; i++) {
        switch (cr->inst[i].result) {
        case RUL_PASS:       cr->n_pass++; break;
        case RUL_EXCEPTION:  cr->n_exception++; break;
        case RUL_UNTESTABLE: cr->n_untestable++; break;
        }
    }
    cr->oom = rc != 0;
    return rc;
}

/* Without --period: from the first to the last day of the populations. */
static void derive_period(rul_run *r)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < r->b->in.n; i++) {
        const iacc *a = &r->acc[i];
        for (size_t fi = 0; fi < a->n_f; fi++) {
            if (r->feeds[a->f[fi].feed].role != F_POP)
                continue;
            const fact *v = (const fact *)(const void *)a->f[fi].facts.data;
            for (size_t k = 0; k < a->f[fi].facts.len / sizeof *v; k++)
                if (v[k].tkind == T_TIME) {
                    lo = AS_MIN(lo, v[k].sec);
                    hi = AS_MAX(hi, v[k].sec);
                }
            const cell *cv = (const cell *)(const void *)a->f[fi].cells.v.data;
            for (size_t k = 0; k < a->f[fi].cells.v.len / sizeof *cv; k++)
                if (cv[k].bucket == CELL_RANGE) {
                    lo = AS_MIN(lo, cv[k].min_sec);
                    hi = AS_MAX(hi, cv[k].max_sec);
                }
        }
    }
    if (lo > hi) {
        lo = 0;
        hi = 0;
    }
    /* times outside years 0..9999 are not a period (damaged input): clamp */
    const int64_t tmin = -62167219200LL, tmax = 253402300799LL;
    lo = AS_MAX(lo, tmin);
    hi = AS_MIN(AS_MAX(hi, lo), tmax);
    int64_t d0 = lo >= 0 ? lo / 86400 : -((-lo + 86399) / 86400);
    int64_t d1 = hi >= 0 ? hi / 86400 : -((-hi + 86399) / 86400);
    r->pstart = (as_time){ .sec = d0 * 86400, .flags = AS_TIME_VALID };
    r->pend = (as_time){ .sec = (d1 + 1) * 86400, .flags = AS_TIME_VALID };
}

as_code rul_finish(rul_run *r)
{
    if (!r->period_given)
        derive_period(r);
    for (size_t i = 0; i < r->s->n_ctl; i++)
        if (finish_control(r, i) != 0)
            return AS_ERR_NOMEM;
    return AS_OK;
}
