/* gen_truth.c: per-job ground-truth collection and the truth.json writer
 * (see gen_truth.h). The writer lays truth.json out with one array element
 * per line so a diff of two runs is readable. */
#include "tools/gen/gen_truth.h"

#include <errno.h>   /* errno */
#include <stdarg.h>  /* va_list */
#include <stdio.h>   /* vsnprintf, fopen */
#include <stdlib.h>  /* qsort */

#include "tools/gen/gen_json.h"

/* Every control the generator plants deviations for, in truth.json order. */
static const char *const k_controls[] = {
    "access-review-quarterly", "aws-console-mfa", "aws-no-root", "backup-daily",
    "deploy-after-approved-merge", "leaver-deactivated-24h", "log-source-gaps",
    "no-direct-push", "no-login-after-termination", "okta-admin-mfa", "p1-ack-15min",
    "p1-postmortem", "pr-reviewed-by-other", "priv-group-change-ticket", "ssh-no-root",
    "ssh-publickey-only", "sudo-admins-only",
};

#define GEN_DETAIL_MAX 512 /* longest deviation detail text */

void gen_res_init(gen_res *r)
{
    memset(r, 0, sizeof *r);
    as_arena_init(&r->ar, 0);
}

void gen_res_fini(gen_res *r)
{
    as_free(r->files.v);
    as_free(r->malformed.v);
    as_free(r->devs.v);
    as_free(r->gaps.v);
    as_free(r->hostile.v);
    as_free(r->special.v);
    as_arena_fini(&r->ar);
    memset(r, 0, sizeof *r);
}

/* Grows a vector by one slot; NULL (r->failed) on OOM. */
static void *vec_push(gen_res *r, void **v, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void *p = as_realloc(*v, nc * elem);
        if (p == NULL) {
            r->failed = 1;
            return NULL;
        }
        *v = p;
        *cap = nc;
    }
    void *slot = (char *)*v + (*n)++ * elem;
    memset(slot, 0, elem);
    return slot;
}

#define GEN_PUSH(r, vec) \
    vec_push((r), (void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v)

const char *gen_res_str(gen_res *r, const char *s)
{
    char *p = as_arena_strndup(&r->ar, s, strlen(s));
    if (p == NULL) {
        r->failed = 1;
        return "";
    }
    return p;
}

const char *gen_res_strf(gen_res *r, const char *fmt, ...)
{
    char tmp[GEN_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    return gen_res_str(r, tmp);
}

void gen_res_file(gen_res *r, const gen_file_rec *f)
{
    gen_file_rec *s = GEN_PUSH(r, r->files);
    if (s == NULL)
        return;
    *s = *f;
    s->path = gen_res_str(r, f->path);
}

void gen_res_malformed(gen_res *r, const char *file, uint64_t line, uint64_t offset, const char *reason)
{
    gen_malformed *m = GEN_PUSH(r, r->malformed);
    if (m == NULL)
        return;
    m->file = gen_res_str(r, file);
    m->line = line;
    m->offset = offset;
    m->reason = reason;
}

void gen_res_stream_fault(gen_res *r, const char *file, uint64_t line, uint64_t offset, uint64_t comp_offset,
                          uint64_t records_before, const char *reason)
{
    gen_malformed *m = GEN_PUSH(r, r->malformed);
    if (m == NULL)
        return;
    m->file = gen_res_str(r, file);
    m->line = line;
    m->offset = offset;
    m->reason = reason;
    m->is_stream = 1;
    m->comp_offset = comp_offset;
    m->records_before = records_before;
}

static void add_dev(gen_res *r, int is_edge, const char *control, const char *key, const char *file,
                    uint64_t line, uint64_t offset, int64_t index, int64_t time_ms, const char *fmt, va_list ap)
{
    char tmp[GEN_DETAIL_MAX];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    gen_dev *d = GEN_PUSH(r, r->devs);
    if (d == NULL)
        return;
    d->control = control;
    d->key = gen_res_str(r, key);
    d->file = gen_res_str(r, file);
    d->line = line;
    d->offset = offset;
    d->index = index;
    d->time_ms = time_ms;
    d->detail = gen_res_str(r, tmp);
    d->is_edge = is_edge;
}

void gen_res_dev(gen_res *r, const char *control, const char *key, const char *file, uint64_t line,
                 uint64_t offset, int64_t index, int64_t time_ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_dev(r, 0, control, key, file, line, offset, index, time_ms, fmt, ap);
    va_end(ap);
}

void gen_res_edge(gen_res *r, const char *control, const char *key, const char *file, uint64_t line,
                  uint64_t offset, int64_t index, int64_t time_ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_dev(r, 1, control, key, file, line, offset, index, time_ms, fmt, ap);
    va_end(ap);
}

void gen_res_gap(gen_res *r, const char *source, const char *entity, int64_t day)
{
    gen_gap *g = GEN_PUSH(r, r->gaps);
    if (g == NULL)
        return;
    g->source = source;
    g->entity = gen_res_str(r, entity);
    g->day = day;
}

void gen_res_hostile(gen_res *r, const char *file, uint64_t line, uint64_t offset, const char *field,
                     const char *value, const char *raw)
{
    gen_hostile *h = GEN_PUSH(r, r->hostile);
    if (h == NULL)
        return;
    h->file = gen_res_str(r, file);
    h->line = line;
    h->offset = offset;
    h->field = field;
    h->value = gen_res_str(r, value);
    h->raw = gen_res_str(r, raw);
}

void gen_res_special(gen_res *r, const char *file, const char *kind, const char *detail)
{
    gen_special *s = GEN_PUSH(r, r->special);
    if (s == NULL)
        return;
    s->file = gen_res_str(r, file);
    s->kind = kind;
    s->detail = gen_res_str(r, detail);
}

void gen_truth_totals(gen_res *const *res, size_t n_res, gen_totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n_res; i++)
        for (size_t k = 0; k < res[i]->files.n; k++) {
            const gen_file_rec *f = &res[i]->files.v[k];
            t->files++;
            t->bytes_stored += f->st.bytes_stored;
            t->bytes_decompressed += f->st.bytes_decompressed;
            t->records += f->records;
            t->rejected += f->rejected;
        }
}

/* ---- sorting: total orders, so the output never shows job order ---- */

#define CMP_NUM(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)
#define CMP_STR(a, b) do { int c_ = strcmp((a), (b)); if (c_) return c_; } while (0)

static int cmp_file(const void *a, const void *b)
{
    const gen_file_rec *x = *(const gen_file_rec *const *)a, *y = *(const gen_file_rec *const *)b;
    return strcmp(x->path, y->path);
}

static int cmp_malformed(const void *a, const void *b)
{
    const gen_malformed *x = *(const gen_malformed *const *)a, *y = *(const gen_malformed *const *)b;
    CMP_STR(x->file, y->file);
    CMP_NUM(x->line, y->line);
    CMP_NUM(x->offset, y->offset);
    return strcmp(x->reason, y->reason);
}

static int cmp_dev(const void *a, const void *b)
{
    const gen_dev *x = *(const gen_dev *const *)a, *y = *(const gen_dev *const *)b;
    CMP_NUM(x->is_edge, y->is_edge);
    CMP_STR(x->control, y->control);
    CMP_STR(x->file, y->file);
    CMP_NUM(x->line, y->line);
    CMP_NUM(x->offset, y->offset);
    CMP_NUM(x->index, y->index);
    CMP_STR(x->key, y->key);
    CMP_NUM(x->time_ms, y->time_ms);
    return strcmp(x->detail, y->detail);
}

static int cmp_gap(const void *a, const void *b)
{
    const gen_gap *x = *(const gen_gap *const *)a, *y = *(const gen_gap *const *)b;
    CMP_STR(x->source, y->source);
    CMP_STR(x->entity, y->entity);
    CMP_NUM(x->day, y->day);
    return 0;
}

static int cmp_hostile(const void *a, const void *b)
{
    const gen_hostile *x = *(const gen_hostile *const *)a, *y = *(const gen_hostile *const *)b;
    CMP_STR(x->file, y->file);
    CMP_NUM(x->line, y->line);
    CMP_STR(x->field, y->field);
    return strcmp(x->value, y->value);
}

static int cmp_special(const void *a, const void *b)
{
    const gen_special *x = *(const gen_special *const *)a, *y = *(const gen_special *const *)b;
    CMP_STR(x->file, y->file);
    return strcmp(x->kind, y->kind);
}

/* Collects pointers to every element of one vector kind across results. */
#define GEN_GATHER(T, field, out, n_out)                                         \
    do {                                                                         \
        size_t total_ = 0;                                                       \
        for (size_t i_ = 0; i_ < n_res; i_++)                                    \
            total_ += res[i_]->field.n;                                          \
        (out) = as_malloc((total_ ? total_ : 1) * sizeof(const T *));            \
        (n_out) = 0;                                                             \
        if ((out) != NULL)                                                       \
            for (size_t i_ = 0; i_ < n_res; i_++)                                \
                for (size_t k_ = 0; k_ < res[i_]->field.n; k_++)                 \
                    (out)[(n_out)++] = &res[i_]->field.v[k_];                    \
    } while (0)

static void put_time(gen_json *j, const char *key, int64_t ms)
{
    char tmp[GEN_FMT_TIME_MAX];
    gen_json_key(j, key);
    if (ms == GEN_NO_TIME) {
        gen_json_null(j);
        return;
    }
    if (ms % 1000)
        gen_fmt_iso_ms(tmp, ms);
    else
        gen_fmt_iso_s(tmp, ms);
    gen_json_str(j, tmp);
}

static void put_day(gen_json *j, const char *key, int64_t day)
{
    char tmp[GEN_FMT_TIME_MAX];
    gen_fmt_date(tmp, day);
    gen_json_kstr(j, key, tmp);
}

/* Starts element i of a top-level array laid out one element per line. */
static void elem_begin(as_buf *b, gen_json *j, size_t i)
{
    int failed = j->failed;
    if (!failed && as_buf_append_cstr(b, i ? ",\n    " : "\n    ") != 0)
        failed = 1;
    gen_json_begin(j, b);
    j->failed = failed;
}

static void array_end(as_buf *b, gen_json *j, size_t n, int last)
{
    const char *tail = n ? (last ? "\n  ]\n" : "\n  ],\n") : (last ? "]\n" : "],\n");
    if (!j->failed && as_buf_append_cstr(b, tail) != 0)
        j->failed = 1;
}

static void array_begin(as_buf *b, gen_json *j, const char *name)
{
    if (!j->failed && (as_buf_append_cstr(b, "  \"") != 0 || as_buf_append_cstr(b, name) != 0 ||
                       as_buf_append_cstr(b, "\": [") != 0))
        j->failed = 1;
}

as_code gen_truth_write(const char *root, const gen_truth_meta *meta, gen_res *const *res, size_t n_res,
                        as_err *err)
{
    const gen_file_rec **files = NULL;
    const gen_malformed **mal = NULL;
    const gen_dev **devs = NULL;
    const gen_gap **gaps = NULL;
    const gen_hostile **hos = NULL;
    const gen_special **spe = NULL;
    size_t n_files = 0, n_mal = 0, n_devs = 0, n_gaps = 0, n_hos = 0, n_spe = 0;
    as_code rc = AS_OK;
    as_buf b = AS_BUF_INIT;
    gen_json j;

    GEN_GATHER(gen_file_rec, files, files, n_files);
    GEN_GATHER(gen_malformed, malformed, mal, n_mal);
    GEN_GATHER(gen_dev, devs, devs, n_devs);
    GEN_GATHER(gen_gap, gaps, gaps, n_gaps);
    GEN_GATHER(gen_hostile, hostile, hos, n_hos);
    GEN_GATHER(gen_special, special, spe, n_spe);
    if (!files || !mal || !devs || !gaps || !hos || !spe) {
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        goto done;
    }
    qsort(files, n_files, sizeof(const gen_file_rec *), cmp_file);
    qsort(mal, n_mal, sizeof(const gen_malformed *), cmp_malformed);
    qsort(devs, n_devs, sizeof(const gen_dev *), cmp_dev);
    qsort(gaps, n_gaps, sizeof(const gen_gap *), cmp_gap);
    qsort(hos, n_hos, sizeof(const gen_hostile *), cmp_hostile);
    qsort(spe, n_spe, sizeof(const gen_special *), cmp_special);

    gen_totals tot;
    gen_truth_totals(res, n_res, &tot);
    size_t n_edges = 0;  /* the sorted devs end with the edge cases */
    while (n_edges < n_devs && devs[n_devs - 1 - n_edges]->is_edge)
        n_edges++;
    n_devs -= n_edges;

    /* header: schema, run identity, period, world, totals; built compact in
     * hdr, then re-indented into b with the root object left open */
    as_buf hdr = AS_BUF_INIT;
    gen_json_begin(&j, &hdr);
    gen_json_obj(&j);
    gen_json_kstr(&j, "schema", "assay.truth/1");
    gen_json_kstr(&j, "generator", meta->version);
    gen_json_key(&j, "seed");
    gen_json_uint(&j, meta->seed);
    gen_json_kobj(&j, "options");
    put_day(&j, "start", meta->start_day);
    gen_json_kint(&j, "days", meta->days);
    {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%u.%03u", meta->scale_milli / 1000, meta->scale_milli % 1000);
        gen_json_key(&j, "scale");
        gen_json_raw(&j, tmp, strlen(tmp));
    }
    gen_json_key(&j, "size_bytes");
    if (meta->size_bytes)
        gen_json_uint(&j, meta->size_bytes);
    else
        gen_json_null(&j);
    gen_json_key(&j, "web_budget_bytes");
    gen_json_uint(&j, meta->web_budget);
    gen_json_kbool(&j, "plain", meta->plain);
    gen_json_end_obj(&j);
    gen_json_kobj(&j, "period");
    put_time(&j, "start", meta->start_day * GEN_MS_PER_DAY);
    put_time(&j, "end", (meta->start_day + meta->days) * GEN_MS_PER_DAY);
    gen_json_kstr(&j, "tz", "UTC");
    gen_json_end_obj(&j);
    gen_json_key(&j, "world");
    gen_json_raw(&j, meta->world_json, strlen(meta->world_json));
    gen_json_kobj(&j, "totals");
    gen_json_key(&j, "files"); gen_json_uint(&j, tot.files);
    gen_json_key(&j, "bytes_stored"); gen_json_uint(&j, tot.bytes_stored);
    gen_json_key(&j, "bytes_decompressed"); gen_json_uint(&j, tot.bytes_decompressed);
    gen_json_key(&j, "records"); gen_json_uint(&j, tot.records);
    gen_json_key(&j, "rejected"); gen_json_uint(&j, tot.rejected);
    gen_json_key(&j, "malformed"); gen_json_uint(&j, n_mal);
    gen_json_key(&j, "deviations"); gen_json_uint(&j, n_devs);
    gen_json_key(&j, "edge_cases"); gen_json_uint(&j, n_edges);
    gen_json_key(&j, "gaps"); gen_json_uint(&j, n_gaps);
    gen_json_key(&j, "hostile"); gen_json_uint(&j, n_hos);
    gen_json_kobj(&j, "deviations_by_control");
    for (size_t c = 0; c < AS_ARRAY_LEN(k_controls); c++) {
        uint64_t n = 0;
        if (strcmp(k_controls[c], "log-source-gaps") == 0)
            n = n_gaps;
        for (size_t i = 0; i < n_devs; i++)
            n += strcmp(devs[i]->control, k_controls[c]) == 0;
        gen_json_key(&j, k_controls[c]);
        gen_json_uint(&j, n);
    }
    gen_json_end_obj(&j); /* deviations_by_control */
    gen_json_end_obj(&j); /* totals */
    gen_json_end_obj(&j); /* root: its "\n}" is dropped below and the arrays follow */
    if (!j.failed) {
        uint64_t lines = 0;
        if (gen_json_pretty(hdr.data, hdr.len, 0, &b, &lines) != 0)
            j.failed = 1;
        else {
            b.len -= 2; /* drop the final "\n}" */
            if (as_buf_append_cstr(&b, ",\n") != 0)
                j.failed = 1;
        }
    }
    as_buf_fini(&hdr);
    {
        int failed = j.failed;
        gen_json_begin(&j, &b);
        j.failed = failed;
    }

    array_begin(&b, &j, "files");
    for (size_t i = 0; i < n_files; i++) {
        const gen_file_rec *f = files[i];
        elem_begin(&b, &j, i);
        gen_json_obj(&j);
        gen_json_kstr(&j, "path", f->path);
        gen_json_kstr(&j, "source", f->source);
        gen_json_kstr(&j, "format", f->format);
        gen_json_kstr(&j, "compression", gen_comp_name(f->comp));
        gen_json_key(&j, "bytes_stored"); gen_json_uint(&j, f->st.bytes_stored);
        gen_json_key(&j, "bytes_decompressed"); gen_json_uint(&j, f->st.bytes_decompressed);
        gen_json_kstr(&j, "sha256", f->st.sha256);
        gen_json_key(&j, "lines"); gen_json_uint(&j, f->st.lines);
        gen_json_key(&j, "records"); gen_json_uint(&j, f->records);
        gen_json_key(&j, "rejected"); gen_json_uint(&j, f->rejected);
        gen_json_kbool(&j, "complete", f->complete);
        put_time(&j, "first_time", f->first_ms);
        put_time(&j, "last_time", f->last_ms);
        gen_json_end_obj(&j);
    }
    array_end(&b, &j, n_files, 0);

    array_begin(&b, &j, "malformed");
    for (size_t i = 0; i < n_mal; i++) {
        const gen_malformed *m = mal[i];
        elem_begin(&b, &j, i);
        gen_json_obj(&j);
        gen_json_kstr(&j, "file", m->file);
        gen_json_kint(&j, "line", (int64_t)m->line);
        gen_json_key(&j, "offset"); gen_json_uint(&j, m->offset);
        gen_json_kstr(&j, "reason", m->reason);
        gen_json_kstr(&j, "kind", m->is_stream ? "stream" : "record");
        if (m->is_stream) {
            gen_json_key(&j, "compressed_offset"); gen_json_uint(&j, m->comp_offset);
            gen_json_key(&j, "records_before"); gen_json_uint(&j, m->records_before);
        }
        gen_json_end_obj(&j);
    }
    array_end(&b, &j, n_mal, 0);

    for (int pass = 0; pass < 2; pass++) {
        const gen_dev *const *list = pass ? devs + n_devs : devs;
        size_t n = pass ? n_edges : n_devs;
        array_begin(&b, &j, pass ? "edge_cases" : "deviations");
        for (size_t i = 0; i < n; i++) {
            const gen_dev *d = list[i];
            elem_begin(&b, &j, i);
            gen_json_obj(&j);
            gen_json_kstr(&j, "control", d->control);
            gen_json_kstr(&j, "key", d->key);
            gen_json_kstr(&j, "file", d->file);
            gen_json_key(&j, "line");
            if (d->line)
                gen_json_uint(&j, d->line);
            else
                gen_json_null(&j);
            if (d->line) {
                gen_json_key(&j, "offset");
                gen_json_uint(&j, d->offset);
            }
            if (d->index >= 0)
                gen_json_kint(&j, "index", d->index);
            put_time(&j, "time", d->time_ms);
            gen_json_kstr(&j, "detail", d->detail);
            gen_json_end_obj(&j);
        }
        array_end(&b, &j, n, 0);
    }

    array_begin(&b, &j, "gaps");
    for (size_t i = 0; i < n_gaps; i++) {
        elem_begin(&b, &j, i);
        gen_json_obj(&j);
        gen_json_kstr(&j, "control", "log-source-gaps");
        gen_json_kstr(&j, "source", gaps[i]->source);
        gen_json_kstr(&j, "entity", gaps[i]->entity);
        put_day(&j, "day", gaps[i]->day);
        gen_json_end_obj(&j);
    }
    array_end(&b, &j, n_gaps, 0);

    array_begin(&b, &j, "hostile");
    for (size_t i = 0; i < n_hos; i++) {
        const gen_hostile *h = hos[i];
        elem_begin(&b, &j, i);
        gen_json_obj(&j);
        gen_json_kstr(&j, "file", h->file);
        gen_json_kint(&j, "line", (int64_t)h->line);
        gen_json_key(&j, "offset"); gen_json_uint(&j, h->offset);
        gen_json_kstr(&j, "field", h->field);
        gen_json_kstr(&j, "value", h->value);
        gen_json_kstr(&j, "raw", h->raw);
        gen_json_end_obj(&j);
    }
    array_end(&b, &j, n_hos, 0);

    array_begin(&b, &j, "special_files");
    for (size_t i = 0; i < n_spe; i++) {
        elem_begin(&b, &j, i);
        gen_json_obj(&j);
        gen_json_kstr(&j, "file", spe[i]->file);
        gen_json_kstr(&j, "kind", spe[i]->kind);
        gen_json_kstr(&j, "detail", spe[i]->detail);
        gen_json_end_obj(&j);
    }
    array_end(&b, &j, n_spe, 1);
    if (!j.failed && as_buf_append_cstr(&b, "}\n") != 0)
        j.failed = 1;
    if (j.failed) {
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        goto done;
    }

    {
        as_buf path = AS_BUF_INIT;
        if (as_buf_printf(&path, "%s/truth.json", root) != 0) {
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
            goto done;
        }
        FILE *f = fopen(path.data, "wb");
        if (f == NULL) {
            rc = as_err_set(err, AS_ERR_OPEN, (as_loc){ 0 }, "cannot create %s: %s", path.data, strerror(errno));
        } else {
            size_t w = fwrite(b.data, 1, b.len, f);
            if ((fclose(f) != 0 || w != b.len) && rc == AS_OK)
                rc = as_err_set(err, AS_ERR_WRITE, (as_loc){ 0 }, "write %s: %s", path.data, strerror(errno));
        }
        as_buf_fini(&path);
    }
done:
    as_buf_fini(&b);
    as_free(files);
    as_free(mal);
    as_free(devs);
    as_free(gaps);
    as_free(hos);
    as_free(spe);
    return rc;
}
