/* psr_fmt_logfmt.c: the format-layer glue of key=value lines (psr_int.h,
 * psr_logfmt.h). Fields are the record's keys (the first of a repeated key
 * wins) plus `lead`, the leading token. The event time is --time-field's
 * pair, else the lead when it starts with a digit (it must then parse as
 * a timestamp), else the first of the pairs
 * time, ts, timestamp, @timestamp, date that is present.
 */
#include "parsers/psr_int.h"

static const char *const time_keys[] = { "time", "ts", "timestamp", "@timestamp", "date" };

static as_code logfmt_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                            psr_res *res)
{
    (void)w;
    uint64_t col = 0;
    psr_logfmt *kv = &st->u.kv;
    as_code rc = psr_logfmt_scan(rec->raw, kv, &col);
    if (rc != AS_OK) {
        res->err_line = 1;
        res->err_col = col;
        return rc;
    }
    const int tz = in->ctx->opts.tz_offset_min;
    as_slice text = { NULL, 0 };
    uint64_t at = 0;
    if (in->time_name[0]) {
        const psr_logfmt_pair *p = psr_logfmt_find(kv, as_slice_cstr(in->time_name));
        if (p == NULL)
            return AS_OK;                           /* no time: counted by the caller */
        if (psr_logfmt_unquote(p, ar, &text) != AS_OK)
            return AS_ERR_NOMEM;
        at = (uint64_t)(p->value.ptr - rec->raw.ptr) + 1;
    } else if (kv->lead.len && kv->lead.ptr[0] >= '0' && kv->lead.ptr[0] <= '9') {
        text = kv->lead;                            /* a lead that starts with a digit is a time */
        at = (uint64_t)(kv->lead.ptr - rec->raw.ptr) + 1;
    } else {
        for (size_t i = 0; i < AS_ARRAY_LEN(time_keys) && text.ptr == NULL; i++) {
            const psr_logfmt_pair *p = psr_logfmt_find(kv, as_slice_cstr(time_keys[i]));
            if (p && psr_logfmt_unquote(p, ar, &text) != AS_OK)
                return AS_ERR_NOMEM;
            if (p)
                at = (uint64_t)(p->value.ptr - rec->raw.ptr) + 1;
        }
        if (text.ptr == NULL)
            return AS_OK;
    }
    if (psr_time_from_text(text, tz, &res->time) != AS_OK) {
        res->err_line = 1;
        res->err_col = at;
        res->why = "the time is not a timestamp";
        return AS_ERR_BAD_TIME;
    }
    return AS_OK;
}

int psr_logfmtrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    const psr_state *st = rec->state;
    out->type = AS_V_MISSING;
    if (st == NULL)
        return AS_OK;
    if (as_slice_eq_cstr(name, "lead")) {
        if (st->u.kv.lead.len) {
            out->type = AS_V_STR;
            out->u.str = st->u.kv.lead;
        }
        return AS_OK;
    }
    const psr_logfmt_pair *p = psr_logfmt_find(&st->u.kv, name);
    if (p == NULL)
        return AS_OK;
    as_slice v;
    as_code rc = psr_logfmt_unquote(p, ar, &v);
    if (rc != AS_OK)
        return rc;
    out->type = AS_V_STR;
    out->u.str = v;
    return AS_OK;
}

static as_code logfmt_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    const psr_state *st = rec->state;
    const psr_logfmt *kv = &st->u.kv;
    if (kv->lead.len) {
        as_val v = { .type = AS_V_STR, .u.str = kv->lead };
        fn(arg, as_slice_cstr("lead"), &v);
    }
    for (size_t i = 0; i < kv->n; i++) {
        if (psr_logfmt_find(kv, kv->pairs[i].key) != &kv->pairs[i])
            continue;                               /* a repeated key: the first wins */
        as_val v = { .type = AS_V_STR };
        as_code rc = psr_logfmt_unquote(&kv->pairs[i], ar, &v.u.str);
        if (rc != AS_OK)
            return rc;
        fn(arg, kv->pairs[i].key, &v);
    }
    return AS_OK;
}

const psr_ops psr_ops_logfmt = { logfmt_parse, logfmt_each };
