/* psr_fmt_regex.c: the format-layer glue of custom formats (psr_int.h): a
 * record is one match of the job's --pattern (psr_regex); its fields are the
 * named groups, in the order they open; the group named by --time-field, or
 * "time", is the event time.
 */
#include "parsers/psr_int.h"

void psr_regex_bind(psr_input *in)
{
    const psr_regex *re = in->ctx->re;
    in->time_index = re ? psr_regex_group_find(re, as_slice_cstr(in->time_name)) : -1;
    if (in->time_index < 0)
        in->time_name[0] = '\0';
}

static as_code regex_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                           psr_res *res)
{
    const psr_regex *re = in->ctx->re;
    size_t n = psr_regex_n_groups(re);
    as_slice *g = as_arena_alloc(ar, n * sizeof *g, _Alignof(as_slice));
    if (g == NULL)
        return AS_ERR_NOMEM;
    uint64_t col = 0;
    as_code rc = psr_regex_match(re, w->md, rec->raw, g, &col);
    if (rc != AS_OK) {
        res->err_line = 1;
        res->err_col = col;
        res->why = psr_regex_md_reason(w->md);
        return rc;
    }
    st->u.cells.v = g;
    st->u.cells.n = n;
    if (in->time_index >= 0 && g[in->time_index].ptr != NULL) {
        if (psr_time_from_text(g[in->time_index], in->ctx->opts.tz_offset_min, &res->time) != AS_OK) {
            res->err_line = 1;
            res->err_col = (uint64_t)(g[in->time_index].ptr - rec->raw.ptr) + 1;
            res->why = "the time group is not a timestamp";
            return AS_ERR_BAD_TIME;
        }
    }
    return AS_OK;
}

static void group_val(const psr_state *st, size_t i, as_val *out)
{
    as_slice s = st->u.cells.v[i];
    if (s.ptr == NULL) {
        out->type = AS_V_MISSING;
        return;
    }
    out->type = AS_V_STR;
    out->u.str = s;
}

int psr_regexrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    (void)ar;
    const psr_state *st = rec->state;
    int i = st ? psr_regex_group_find(st->in->ctx->re, name) : -1;
    if (i < 0) {
        out->type = AS_V_MISSING;
        return AS_OK;
    }
    group_val(st, (size_t)i, out);
    return AS_OK;
}

static as_code regex_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    (void)ar;
    const psr_state *st = rec->state;
    const psr_regex *re = st->in->ctx->re;
    for (size_t i = 0; i < st->u.cells.n; i++) {
        as_val v;
        group_val(st, i, &v);
        if (v.type != AS_V_MISSING)
            fn(arg, psr_regex_group_name(re, i), &v);
    }
    return AS_OK;
}

const psr_ops psr_ops_regex = { regex_parse, regex_each };
