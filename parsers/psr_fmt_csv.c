/* psr_fmt_csv.c: the format-layer glue of CSV exports (psr_int.h,
 * psr_csv.h). The header row (the input's first record, BOM stripped) gives
 * the field names; it is handed to psr_parse like any record and answered
 * with AS_NOT_A_RECORD, so it is counted as a header, not as data. A row
 * with another number of fields than the header is AS_ERR_SYNTAX. The
 * event time is --time-field's column, else the first column named like an
 * event time (below); HR and inventory exports have none.
 */
#include "parsers/psr_int.h"

#include <string.h>  /* memchr, memcmp */

#include "parsers/psr_csv.h"

static const char *const time_names[] = {
    "timestamp", "time", "datetime", "date", "event_time", "eventtime", "created_at", "created",
    "occurred_at", "logged_at", "review_date",
};

static int ieq(as_slice a, const char *b)
{
    size_t n = strlen(b);
    if (a.len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != b[i])
            return 0;
    }
    return 1;
}

/* The first record of head: up to the first line feed outside quotes, or
 * all of head when it has none. */
static as_slice header_record(as_slice head, size_t *bom)
{
    const char *p = head.ptr, *end = head.ptr + head.len;
    *bom = 0;
    if (head.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        *bom = 3;
    }
    int inq = 0;
    for (const char *q = p; q < end; q++) {
        if (*q == '"')
            inq = !inq;
        else if (*q == '\n' && !inq)
            return (as_slice){ p, (size_t)(q - p) };
    }
    return (as_slice){ p, (size_t)(end - p) };
}

void psr_csv_bind(psr_input *in, as_slice head)
{
    size_t bom;
    as_slice h = header_record(head, &bom);
    if (h.len && h.ptr[h.len - 1] == '\r')
        h.len--;
    psr_csv_opts co = { in->delim };
    uint64_t line = 0, col = 0;
    as_slice *names;
    size_t n;
    as_code rc = psr_csv_split(h, &co, &in->arena, &names, &n, &line, &col);
    if (rc != AS_OK) {
        as_err_set(&in->error, rc, (as_loc){ .line = line, .col = col + (line == 1 ? bom : 0) },
                   "the CSV header row is malformed (line %llu, column %llu): every row is rejected",
                   (unsigned long long)line, (unsigned long long)col);
        return;
    }
    if (h.len == 0 || n == 0) {
        as_err_set(&in->error, AS_ERR_SYNTAX, (as_loc){ .line = 1, .col = 1 },
                   "the CSV input has no header row: every row is rejected");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (names[i].len == 0) {
            as_err_set(&in->error, AS_ERR_BAD_VALUE, (as_loc){ .line = 1 },
                       "CSV header column %zu has no name: every row is rejected", i + 1);
            return;
        }
        for (size_t k = 0; k < i; k++)
            if (as_slice_eq(names[k], names[i])) {
                as_err_set(&in->error, AS_ERR_BAD_VALUE, (as_loc){ .line = 1 },
                           "CSV header column %zu repeats the name '%.*s' of column %zu: every row is rejected",
                           i + 1, (int)AS_MIN(names[i].len, 64), names[i].ptr, k + 1);
                return;
            }
    }
    /* the names may be slices into head, which belongs to the engine: the
     * input keeps its own copies, whatever the head's lifetime */
    for (size_t i = 0; i < n; i++) {
        char *c = as_arena_strndup(&in->arena, names[i].ptr, names[i].len);
        if (c == NULL) {
            as_err_set(&in->error, AS_ERR_NOMEM, (as_loc){ 0 }, "out of memory reading the CSV header");
            return;
        }
        names[i].ptr = c;
    }
    in->cols = names;
    in->n_cols = n;
    in->time_index = -1;
    if (in->ctx->opts.time_field) {
        for (size_t i = 0; i < n && in->time_index < 0; i++)
            if (as_slice_eq_cstr(names[i], in->time_name))
                in->time_index = (int)i;
        if (in->time_index < 0)
            as_err_set(&in->error, AS_ERR_USAGE, (as_loc){0},
                       "--time-field '%s' is not a column of the CSV header", in->time_name);
        return;
    }
    in->time_name[0] = '\0';
    /* the first data row, when head holds it whole: a candidate column whose
     * value there is not a timestamp (loghub's "Time" = 15:16:01) is passed over */
    as_slice *row = NULL;
    size_t n_row = 0;
    {
        size_t hb;
        const char *after = h.ptr + h.len;
        while (after < head.ptr + head.len && (*after == '\r' || *after == '\n'))
            after++;
        as_slice rest = { after, (size_t)(head.ptr + head.len - after) };
        as_slice r1 = header_record(rest, &hb);
        if (r1.len && r1.ptr + r1.len < head.ptr + head.len) {
            if (r1.ptr[r1.len - 1] == '\r')
                r1.len--;
            uint64_t l2, c2col;
            if (psr_csv_split(r1, &co, &in->arena, &row, &n_row, &l2, &c2col) != AS_OK)
                row = NULL;
            if (row && n_row != n)
                row = NULL;
        }
    }
    for (size_t t = 0; t < AS_ARRAY_LEN(time_names) && in->time_index < 0; t++)
        for (size_t i = 0; i < n; i++)
            if (ieq(names[i], time_names[t])) {
                as_time tm;
                if (row && row[i].len &&
                    psr_time_from_text(row[i], in->ctx->opts.tz_offset_min, &tm) != AS_OK)
                    continue;
                in->time_index = (int)i;
                size_t l = AS_MIN(names[i].len, sizeof in->time_name - 1);
                memcpy(in->time_name, names[i].ptr, l);
                in->time_name[l] = '\0';
                break;
            }
}

static as_code csv_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                         psr_res *res)
{
    if (rec->offset == 0)
        return AS_NOT_A_RECORD;                     /* the header row (BOM included) */
    (void)w;
    psr_csv_opts co = { in->delim };
    as_slice *v;
    size_t n;
    uint64_t line = 0, col = 0;
    as_code rc = psr_csv_split(rec->raw, &co, ar, &v, &n, &line, &col);
    if (rc != AS_OK) {
        res->err_line = line;
        res->err_col = col;
        return rc;
    }
    if (n != in->n_cols) {
        res->err_line = 1;
        res->why = n < in->n_cols ? "fewer fields than the header" : "more fields than the header";
        return AS_ERR_SYNTAX;
    }
    st->u.cells.v = v;
    st->u.cells.n = n;
    if (in->time_index >= 0 && v[in->time_index].len) {
        if (psr_time_from_text(v[in->time_index], in->ctx->opts.tz_offset_min, &res->time) != AS_OK) {
            res->err_line = 1;
            res->why = "the time column is not a timestamp";
            return AS_ERR_BAD_TIME;
        }
    }
    return AS_OK;
}

int psr_csvrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    (void)ar;
    const psr_state *st = rec->state;
    out->type = AS_V_MISSING;
    if (st == NULL)
        return AS_OK;
    for (size_t i = 0; i < st->in->n_cols; i++)
        if (as_slice_eq(st->in->cols[i], name)) {
            out->type = AS_V_STR;
            out->u.str = st->u.cells.v[i];
            return AS_OK;
        }
    return AS_OK;
}

int psr_input_column(const psr_input *in, as_slice name)
{
    if (in == NULL || in->fmt == NULL || in->fmt->kind != PSR_KIND_CSV)
        return -1;
    for (size_t i = 0; i < in->n_cols; i++)
        if (as_slice_eq(in->cols[i], name))
            return (int)i;
    return -1;
}

as_slice psr_rec_cell(const as_rec *rec, int index)
{
    const psr_state *st = rec->state;
    if (st == NULL || index < 0 || st->in->fmt == NULL || st->in->fmt->kind != PSR_KIND_CSV ||
        (size_t)index >= st->u.cells.n)
        return (as_slice){ "", 0 };
    return st->u.cells.v[index];
}

static as_code csv_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    (void)ar;
    const psr_state *st = rec->state;
    for (size_t i = 0; i < st->u.cells.n; i++) {
        as_val v = { .type = AS_V_STR, .u.str = st->u.cells.v[i] };
        fn(arg, st->in->cols[i], &v);
    }
    return AS_OK;
}

const psr_ops psr_ops_csv = { csv_parse, csv_each };
