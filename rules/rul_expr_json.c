/* rul_expr_json.c: looking inside JSON values (objects and arrays arrive from
 * the record as raw text, AS_V_JSON) with the parsers' on-demand scanner.
 *
 * .key / [N] chains are compiled once into a psr_json_path (rul_expr_parse.c)
 * and looked up with psr_json_get: one pass that skips everything off the
 * path. Arrays are walked with psr_json_iter (each element validated on the
 * way) and each element decoded with psr_json_get_root. Decoded strings with
 * escapes go to rt->ar; nothing else is allocated.
 */
#include "rules/rul_expr_int.h"

as_code rul_json_get(rul_ev *c, as_slice raw, const psr_json_path *jp, rul_val *out)
{
    as_val v;
    as_code rc = psr_json_get(raw, jp, &v, c->rt->ar);
    if (rc == AS_ERR_NOMEM)
        return rc;
    if (rc != AS_OK)
        return rul_ev_fail(c, "malformed JSON value");
    *out = rul_val_from_as(&v);
    if (out->type == RUL_T_MISSING && c->rt->why == NULL)
        c->rt->why = "missing value: no such member or element";
    return AS_OK;
}

as_code rul_arr_init(rul_ev *c, rul_arr *a, as_slice raw)
{
    size_t i = 0;
    while (i < raw.len && (raw.ptr[i] == ' ' || raw.ptr[i] == '\t' || raw.ptr[i] == '\r' || raw.ptr[i] == '\n'))
        i++;
    if (i == raw.len || raw.ptr[i] != '[')
        return rul_ev_mismatch(c, RUL_X_ARRAY, RUL_T_JSON);
    psr_json_iter_init(&a->it, raw, PSR_JSON_SCAN_BEST);
    return AS_OK;
}

int rul_arr_next(rul_ev *c, rul_arr *a, rul_val *out, as_code *rc)
{
    psr_json_elem el;
    psr_json_err e;
    switch (psr_json_iter_next(&a->it, &el, &e)) {
    case PSR_JSON_NEXT_ELEM: {
        as_val v;
        as_code r = psr_json_get_root(el.raw, &v, c->rt->ar);
        if (r != AS_OK) {
            *rc = r == AS_ERR_NOMEM ? r : rul_ev_fail(c, "malformed JSON value");
            return -1;
        }
        *out = rul_val_from_as(&v);
        return 1;
    }
    case PSR_JSON_NEXT_END:
        return 0;
    default:
        *rc = rul_ev_fail(c, "malformed JSON value");
        return -1;
    }
}
