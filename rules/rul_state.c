/* rul_state.c: a run's state saved and loaded (rul.h, docs/rules.md
 * section 6): what the run collected per input (its accounting, records per
 * day, every feed's facts and cadence cells) and the members of every set,
 * in a versioned binary file. Loading appends the saved inputs to a
 * binding as inputs already read, and puts their facts back, so
 * `--state-in a --state-in b` finishes exactly as a run over the inputs of
 * a then b: the state of two shards, merged, is the state of the whole.
 * A state only loads into the same rule set (rule files by SHA-256) and
 * the same period; a damaged file is an error, never a crash.
 *
 * Layout: "ASSAYST1", then u64 little-endian integers and length-prefixed
 * strings: the rule files' digests, the period, the sets, the inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rul_int.h"

#define ST_MAGIC "ASSAYST1"
#define ST_MAX_STR (64u << 20)  /* a string longer than 64 MiB means a damaged file */

/* ---- writing ---- */

typedef struct wr {
    FILE *f;
    int   bad;
} wr;

static void w_u64(wr *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    if (fwrite(b, 1, 8, w->f) != 8)
        w->bad = 1;
}

static void w_str(wr *w, as_slice s)
{
    w_u64(w, s.len);
    if (s.len && fwrite(s.ptr, 1, s.len, w->f) != s.len)
        w->bad = 1;
}

static void w_cstr(wr *w, const char *s)
{
    w_str(w, as_slice_cstr(s ? s : ""));
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static void w_where(wr *w, rul_where x)
{
    w_u64(w, x.input);
    w_u64(w, x.line);
    w_u64(w, x.offset);
}

as_code rul_run_save(const rul_run *r, FILE *f, as_err *err)
{
    wr w = { f, 0 };
    if (fwrite(ST_MAGIC, 1, 8, f) != 8)
        w.bad = 1;
    w_u64(&w, r->s->n_files);
    for (size_t i = 0; i < r->s->n_files; i++)
        w_str(&w, as_slice_make((const char *)r->s->files[i].sha256, AS_SHA256_LEN));
    w_u64(&w, r->n_feeds);
    w_u64(&w, (uint64_t)r->period_given);
    w_u64(&w, (uint64_t)r->o.period_start.sec);
    w_u64(&w, (uint64_t)r->o.period_end.sec);
    w_u64(&w, r->s->n_sets);
    for (size_t k = 0; k < r->s->n_sets; k++) {
        const rul_map *m = &r->setmap[k];
        w_u64(&w, m->len);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].idx)
                w_str(&w, m->slot[i].s);
    }
    uint64_t n = 0;
    for (size_t i = 0; i < r->b->in.n; i++)
        n += r->read[i];
    w_u64(&w, n);
    uint64_t *remap = as_calloc(r->b->in.n ? r->b->in.n : 1, sizeof *remap);
    if (remap == NULL)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    for (size_t i = 0, k = 0; i < r->b->in.n; i++)
        remap[i] = r->read[i] ? k++ : UINT32_MAX;
#define REMAP(x) ((x) == UINT32_MAX ? (uint64_t)UINT32_MAX : remap[(x)])
    for (size_t i = 0; i < r->b->in.n; i++) {
        if (!r->read[i])
            continue;
        const iacc *a = &r->acc[i];
        const eng_stat *st = &r->stat[i];
        w_cstr(&w, r->b->in.v[i].path);
        w_cstr(&w, r->b->in.v[i].display);
        w_cstr(&w, r->b->rel[i]);
        w_u64(&w, a->mask | r->b->mask[i]);
        w_cstr(&w, a->format);
        w_u64(&w, (uint64_t)st->comp);
        w_u64(&w, st->bytes_stored);
        w_u64(&w, st->bytes_decompressed);
        w_u64(&w, st->lines);
        w_u64(&w, st->blank);
        w_u64(&w, st->headers);
        w_u64(&w, st->records);
        w_u64(&w, st->accepted);
        w_u64(&w, st->rejected);
        w_u64(&w, AS_ERR__COUNT);
        for (int k = 0; k < AS_ERR__COUNT; k++)
            w_u64(&w, st->rejected_by[k]);
        w_str(&w, as_slice_make((const char *)st->sha256, AS_SHA256_LEN));
        w_u64(&w, (uint64_t)st->has_sha256 | (uint64_t)st->complete << 1 | (uint64_t)st->opened << 2 |
                      (uint64_t)st->is_regular << 3);
        w_u64(&w, st->size_at_open);
        w_u64(&w, (uint64_t)st->fault.code);
        w_u64(&w, st->fault.loc.line);
        w_u64(&w, st->fault.loc.offset);
        w_cstr(&w, st->fault.msg);
        size_t nd = a->days.len / sizeof(daycnt);
        const daycnt *dc = (const daycnt *)(const void *)a->days.data;
        w_u64(&w, nd);
        for (size_t d = 0; d < nd; d++) {
            w_u64(&w, (uint64_t)dc[d].day);
            w_u64(&w, dc[d].n);
        }
        w_u64(&w, a->n_f);
        for (size_t fi = 0; fi < a->n_f; fi++) {
            const ifeed *x = &a->f[fi];
            w_u64(&w, x->feed);
            const fact *fv = (const fact *)(const void *)x->facts.data;
            size_t nf = x->facts.len / sizeof *fv;
            w_u64(&w, nf);
            for (size_t k = 0; k < nf; k++) {
                const fact *ft = &fv[k];
                w_u64(&w, ft->offset);
                w_u64(&w, ft->line);
                w_u64(&w, (uint64_t)ft->sec);
                w_u64(&w, (uint64_t)(uint32_t)ft->nsec);
                w_u64(&w, REMAP(ft->input));
                w_u64(&w, ft->tkind | (uint64_t)(uint8_t)ft->res << 8 | (uint64_t)ft->src << 16 |
                              (uint64_t)ft->keybad << 24);
                w_cstr(&w, ft->why);
                w_str(&w, ft->note);
                w_str(&w, ft->key);
                w_str(&w, ft->on);
                w_str(&w, ft->uniq);
                w_u64(&w, dbits(ft->num));
            }
            const cell *cv = (const cell *)(const void *)x->cells.v.data;
            size_t nc = x->cells.v.len / sizeof *cv;
            w_u64(&w, nc);
            for (size_t k = 0; k < nc; k++) {
                const cell *c = &cv[k];
                w_str(&w, c->group);
                w_u64(&w, (uint64_t)c->bucket);
                w_u64(&w, c->n_ok);
                w_u64(&w, c->n_all);
                rul_where bad = c->bad;
                bad.input = (uint32_t)REMAP(bad.input);
                w_where(&w, bad);
                w_u64(&w, (uint64_t)c->bad_sec);
                w_u64(&w, (uint64_t)c->min_sec);
                w_u64(&w, (uint64_t)c->max_sec);
                w_u64(&w, REMAP(c->input));
            }
        }
    }
#undef REMAP
    as_free(remap);
    if (w.bad || fflush(f) != 0)
        return as_err_set(err, AS_ERR_WRITE, (as_loc){ 0 }, "cannot write the state file");
    return AS_OK;
}

/* ---- reading ---- */

typedef struct rd {
    const uint8_t *p, *end;
    int            bad;
} rd;

static uint64_t r_u64(rd *r)
{
    if (r->end - r->p < 8) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | r->p[i];
    r->p += 8;
    return v;
}

static as_slice r_str(rd *r)
{
    uint64_t n = r_u64(r);
    if (r->bad || n > ST_MAX_STR || (uint64_t)(r->end - r->p) < n) {
        r->bad = 1;
        return as_slice_make("", 0);
    }
    as_slice s = as_slice_make((const char *)r->p, (size_t)n);
    r->p += n;
    return s;
}

struct rul_state {
    as_buf   data;       /* the file; strings point into it */
    size_t   first;      /* binding index of the state's first input */
    size_t   n_inputs;
    size_t   body;       /* offset of the first input's record */
    rul_map *sets;       /* per set: its members */
    size_t   n_sets;
};

static char *dupz(as_slice s)
{
    char *p = as_malloc(s.len + 1);
    if (p) {
        memcpy(p, s.ptr, s.len);
        p[s.len] = '\0';
    }
    return p;
}

/* Skips one input's record (the second pass reads it for real). */
static void skip_input(rd *r, size_t n_feeds);

as_code rul_state_load(const rul_set *s, const rul_run_opts *o, const char *path, rul_binding *b, rul_state **out,
                       as_err *err)
{
    *out = NULL;
    rul_state *st = as_calloc(1, sizeof *st);
    if (st == NULL)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    as_buf_init(&st->data);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        as_free(st);
        return as_err_set(err, AS_ERR_OPEN, (as_loc){ .src = path }, "cannot open the state file");
    }
    char buf[1 << 16];
    size_t n;
    int oom = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (as_buf_append(&st->data, buf, n) != 0) {
            oom = 1;
            break;
        }
    fclose(f);
    as_code rc = AS_OK;
    if (oom) {
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = path }, NULL);
        goto fail;
    }
    rd r = { (const uint8_t *)st->data.data, (const uint8_t *)st->data.data + st->data.len, 0 };
    if (st->data.len < 8 || memcmp(r.p, ST_MAGIC, 8) != 0) {
        rc = as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .src = path }, "not an assay state file (ASSAYST1)");
        goto fail;
    }
    r.p += 8;
    uint64_t nfiles = r_u64(&r);
    int same = !r.bad && nfiles == s->n_files;
    for (uint64_t i = 0; i < nfiles && !r.bad; i++) {
        as_slice d = r_str(&r);
        if (!same || i >= s->n_files || d.len != AS_SHA256_LEN || memcmp(d.ptr, s->files[i].sha256, AS_SHA256_LEN) != 0)
            same = 0;
    }
    uint64_t nfeeds = r_u64(&r);
    if (!r.bad && !same) {
        rc = as_err_set(err, AS_ERR_USAGE, (as_loc){ .src = path },
                        "the state was saved with other rule files (their SHA-256 differ): load it with the same -r");
        goto fail;
    }
    uint64_t pg = r_u64(&r), ps = r_u64(&r), pe = r_u64(&r);
    int given = as_time_is_valid(o->period_start) && as_time_is_valid(o->period_end);
    if (!r.bad && (pg != (uint64_t)given || (given && (ps != (uint64_t)o->period_start.sec ||
                                                       pe != (uint64_t)o->period_end.sec)))) {
        rc = as_err_set(err, AS_ERR_USAGE, (as_loc){ .src = path }, "the state was saved for another --period");
        goto fail;
    }
    st->n_sets = (size_t)r_u64(&r);
    if (r.bad || st->n_sets != s->n_sets) {
        rc = as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .src = path }, "damaged state file (sets)");
        goto fail;
    }
    st->sets = as_calloc(st->n_sets ? st->n_sets : 1, sizeof *st->sets);
    if (st->sets == NULL) {
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        goto fail;
    }
    for (size_t k = 0; k < st->n_sets && !r.bad; k++) {
        rul_map_init(&st->sets[k]);
        uint64_t m = r_u64(&r);
        for (uint64_t i = 0; i < m && !r.bad; i++) {
            as_slice v = r_str(&r);
            int added;
            if (!r.bad && rul_map_put(&st->sets[k], v, 0, &added) < 0)
                r.bad = 1;
        }
    }
    st->n_inputs = (size_t)r_u64(&r);
    st->body = (size_t)(r.p - (const uint8_t *)st->data.data);
    st->first = b->in.n;
    /* append the inputs to the binding: already read, with their sources */
    for (size_t i = 0; i < st->n_inputs && !r.bad; i++) {
        const uint8_t *at = r.p;
        as_slice p = r_str(&r), disp = r_str(&r), rel = r_str(&r);
        uint64_t mask = r_u64(&r);
        r.p = at;
        skip_input(&r, (size_t)nfeeds);
        if (r.bad)
            break;
        size_t ni = b->in.n + 1;
        eng_input *nv = as_realloc(b->in.v, ni * sizeof *nv);
        uint64_t *nm = nv ? as_realloc(b->mask, ni * sizeof *nm) : NULL;
        if (nv)
            b->in.v = nv;
        if (nm)
            b->mask = nm;
        uint64_t *nd = nm ? as_realloc(b->detect, ni * sizeof *nd) : NULL;
        if (nd)
            b->detect = nd;
        char **nr = nd ? as_realloc(b->rel, ni * sizeof *nr) : NULL;
        if (nr)
            b->rel = nr;
        uint8_t *nvt = nr ? as_realloc(b->virt, ni) : NULL;
        if (nvt)
            b->virt = nvt;
        if (nvt == NULL) {
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
            goto fail;
        }
        b->in.cap = ni;
        b->in.v[b->in.n] = (eng_input){ .path = dupz(p), .display = dupz(disp) };
        b->mask[b->in.n] = mask;
        b->detect[b->in.n] = 0;
        b->rel[b->in.n] = dupz(rel);
        b->virt[b->in.n] = 1;
        b->in.n = ni;
    }
    if (r.bad) {
        rc = as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .src = path }, "damaged state file (cut short or corrupt)");
        goto fail;
    }
    *out = st;
    return AS_OK;
fail:
    rul_state_free(st);
    return rc;
}

static void skip_input(rd *r, size_t n_feeds)
{
    for (int k = 0; k < 3; k++)
        (void)r_str(r);
    (void)r_u64(r);
    (void)r_str(r);
    for (int k = 0; k < 9; k++)  /* comp .. rejected */
        (void)r_u64(r);
    uint64_t ne = r_u64(r);
    if (ne > 4096)
        r->bad = 1;
    for (uint64_t k = 0; k < ne && !r->bad; k++)
        (void)r_u64(r);
    (void)r_str(r);
    for (int k = 0; k < 5; k++)
        (void)r_u64(r);
    (void)r_str(r);
    uint64_t nd = r_u64(r);
    for (uint64_t d = 0; d < nd && !r->bad; d++) {
        (void)r_u64(r);
        (void)r_u64(r);
    }
    uint64_t nf = r_u64(r);
    if (nf > n_feeds)
        r->bad = 1;
    for (uint64_t fi = 0; fi < nf && !r->bad; fi++) {
        (void)r_u64(r);
        uint64_t nfa = r_u64(r);
        for (uint64_t k = 0; k < nfa && !r->bad; k++) {
            for (int q = 0; q < 6; q++)
                (void)r_u64(r);
            for (int q = 0; q < 5; q++)
                (void)r_str(r);
            (void)r_u64(r);
        }
        uint64_t nc = r_u64(r);
        for (uint64_t k = 0; k < nc && !r->bad; k++) {
            (void)r_str(r);
            for (int q = 0; q < 10; q++)
                (void)r_u64(r);
        }
    }
}

void rul_state_free(rul_state *st)
{
    if (st == NULL)
        return;
    for (size_t k = 0; st->sets && k < st->n_sets; k++)
        rul_map_fini(&st->sets[k]);
    as_free(st->sets);
    as_buf_fini(&st->data);
    as_free(st);
}

static as_slice keep(iacc *a, as_slice s, int *oom)
{
    if (s.len == 0)
        return as_slice_make("", 0);
    char *p = as_arena_strndup(&a->ar, s.ptr, s.len);
    if (p == NULL) {
        *oom = 1;
        return as_slice_make("", 0);
    }
    return as_slice_make(p, s.len);
}

/* Puts a loaded state's inputs back into the run (after rul_run_new). */
as_code rul_state_inject(rul_run *r, const rul_state *st)
{
    rd d = { (const uint8_t *)st->data.data + st->body, (const uint8_t *)st->data.data + st->data.len, 0 };
    int oom = 0;
    for (size_t i = 0; i < st->n_inputs && !d.bad && !oom; i++) {
        size_t bi = st->first + i;
        iacc *a = &r->acc[bi];
        eng_stat *es = &r->stat[bi];
        memset(es, 0, sizeof *es);
        (void)r_str(&d);
        (void)r_str(&d);
        (void)r_str(&d);
        a->mask = r_u64(&d);
        a->detected = 1;
        as_slice fmt = keep(a, r_str(&d), &oom);
        a->format = fmt.len ? fmt.ptr : NULL;
        es->comp = (eng_comp)r_u64(&d);
        es->codec = "saved";
        es->bytes_stored = r_u64(&d);
        es->bytes_decompressed = r_u64(&d);
        es->lines = r_u64(&d);
        es->blank = r_u64(&d);
        es->headers = r_u64(&d);
        es->records = r_u64(&d);
        es->accepted = r_u64(&d);
        es->rejected = r_u64(&d);
        uint64_t ne = r_u64(&d);
        for (uint64_t k = 0; k < ne && !d.bad; k++) {
            uint64_t v = r_u64(&d);
            if (k < AS_ERR__COUNT)
                es->rejected_by[k] = v;
        }
        as_slice sha = r_str(&d);
        if (sha.len == AS_SHA256_LEN)
            memcpy(es->sha256, sha.ptr, AS_SHA256_LEN);
        uint64_t fl = r_u64(&d);
        es->has_sha256 = (fl & 1) != 0;
        es->complete = (fl >> 1 & 1) != 0;
        es->opened = (fl >> 2 & 1) != 0;
        es->is_regular = (fl >> 3 & 1) != 0;
        es->size_at_open = r_u64(&d);
        es->fault.code = (as_code)r_u64(&d);
        es->fault.loc.line = r_u64(&d);
        es->fault.loc.offset = r_u64(&d);
        es->fault.loc.src = r->b->in.v[bi].display;
        as_slice msg = r_str(&d);
        snprintf(es->fault.msg, sizeof es->fault.msg, "%.*s", AS_SLICE_ARG(msg));
        r->read[bi] = 1;
        uint64_t nd = r_u64(&d);
        for (uint64_t k = 0; k < nd && !d.bad; k++) {
            daycnt dc = { (int64_t)r_u64(&d), r_u64(&d) };
            if (as_buf_append(&a->days, &dc, sizeof dc) != 0)
                oom = 1;
        }
        uint64_t nf = r_u64(&d);
        a->f = as_calloc(nf ? nf : 1, sizeof *a->f);
        if (a->f == NULL) {
            oom = 1;
            break;
        }
        for (uint64_t fi = 0; fi < nf && !d.bad && !oom; fi++) {
            ifeed *x = &a->f[a->n_f++];
            x->feed = (uint32_t)r_u64(&d);
            if (x->feed >= r->n_feeds)
                d.bad = 1;
            as_buf_init(&x->facts);
            rul_map_init(&x->cells.map);
            as_buf_init(&x->cells.v);
            uint64_t nfa = r_u64(&d);
            for (uint64_t k = 0; k < nfa && !d.bad && !oom; k++) {
                fact ft;
                memset(&ft, 0, sizeof ft);
                ft.offset = r_u64(&d);
                ft.line = r_u64(&d);
                ft.sec = (int64_t)r_u64(&d);
                ft.nsec = (int32_t)r_u64(&d);
                uint64_t in = r_u64(&d);
                if (in >= st->n_inputs)
                    d.bad = 1;  /* a fact belongs to an input of its state */
                ft.input = (uint32_t)(st->first + (in < st->n_inputs ? in : 0));
                uint64_t bits = r_u64(&d);
                ft.tkind = (uint8_t)bits;
                ft.res = (int8_t)(uint8_t)(bits >> 8);
                ft.src = (uint8_t)(bits >> 16);
                ft.keybad = (uint8_t)(bits >> 24);
                as_slice why = keep(a, r_str(&d), &oom);
                ft.why = why.len ? why.ptr : NULL;
                ft.note = keep(a, r_str(&d), &oom);
                ft.key = keep(a, r_str(&d), &oom);
                ft.on = keep(a, r_str(&d), &oom);
                ft.uniq = keep(a, r_str(&d), &oom);
                uint64_t nb = r_u64(&d);
                memcpy(&ft.num, &nb, sizeof ft.num);
                if (as_buf_append(&x->facts, &ft, sizeof ft) != 0)
                    oom = 1;
            }
            uint64_t nc = r_u64(&d);
            for (uint64_t k = 0; k < nc && !d.bad && !oom; k++) {
                cell c;
                memset(&c, 0, sizeof c);
                c.group = keep(a, r_str(&d), &oom);
                c.bucket = (int64_t)r_u64(&d);
                c.n_ok = r_u64(&d);
                c.n_all = r_u64(&d);
                uint64_t bin = r_u64(&d);
                if (bin != UINT32_MAX && bin >= st->n_inputs)
                    d.bad = 1;
                c.bad.input = bin == UINT32_MAX || bin >= st->n_inputs ? UINT32_MAX : (uint32_t)(st->first + bin);
                c.bad.line = r_u64(&d);
                c.bad.offset = r_u64(&d);
                c.bad_sec = (int64_t)r_u64(&d);
                c.min_sec = (int64_t)r_u64(&d);
                c.max_sec = (int64_t)r_u64(&d);
                uint64_t cin = r_u64(&d);
                if (cin >= st->n_inputs)
                    d.bad = 1;
                c.input = (uint32_t)(st->first + (cin < st->n_inputs ? cin : 0));
                int added;
                if (rul_map_put(&x->cells.map, c.group, c.bucket, &added) < 0 ||
                    as_buf_append(&x->cells.v, &c, sizeof c) != 0)
                    oom = 1;
            }
        }
    }
    /* set members: a shard's own (a state loads only into the same rule set) */
    for (size_t k = 0; k < st->n_sets && k < r->s->n_sets && !oom; k++) {
        const rul_map *m = &st->sets[k];
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].idx) {
                char *p = as_arena_strndup(&r->setar, m->slot[i].s.ptr, m->slot[i].s.len);
                int added;
                if (p == NULL || rul_map_put(&r->setmap[k], as_slice_make(p, m->slot[i].s.len), 0, &added) < 0)
                    oom = 1;
            }
    }
    if (oom)
        return AS_ERR_NOMEM;
    return d.bad ? AS_ERR_SYNTAX : AS_OK;
}
