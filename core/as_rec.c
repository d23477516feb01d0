/* as_rec.c: record ids and value rendering (see as_rec.h). */
#include "core/as_rec.h"

#include <inttypes.h>  /* PRId64 */
#include <math.h>      /* isnan, isinf */
#include <stdio.h>     /* snprintf */
#include <stdlib.h>    /* strtod */

#include "core/as_buf.h"

size_t as_rec_id_format(const uint8_t input_sha[AS_SHA256_LEN], uint64_t offset, char out[AS_REC_ID_MAX])
{
    as_hex(input_sha, 8, out);
    int n = snprintf(out + 16, AS_REC_ID_MAX - 16, ":%" PRIu64, offset);
    return 16 + (n > 0 ? (size_t)n : 0);
}

size_t as_num_format(double d, char buf[AS_NUM_TEXT_MAX])
{
    /* assay never calls setlocale, so the decimal point is always '.' */
    if (isnan(d))
        return (size_t)snprintf(buf, AS_NUM_TEXT_MAX, "NaN");
    if (isinf(d))
        return (size_t)snprintf(buf, AS_NUM_TEXT_MAX, "%s", d > 0 ? "Infinity" : "-Infinity");
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, AS_NUM_TEXT_MAX, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    return n > 0 ? (size_t)n : 0;
}

int as_val_to_text(const as_val *v, as_buf *buf)
{
    char tmp[AS_TIME_RFC3339_MAX];
    switch (v->type) {
    case AS_V_MISSING:
    case AS_V_NULL:
        return 0;
    case AS_V_STR:
    case AS_V_JSON:
        return as_buf_append_slice(buf, v->u.str);
    case AS_V_INT:
        return as_buf_printf(buf, "%" PRId64, v->u.i);
    case AS_V_NUM: {
        char t[AS_NUM_TEXT_MAX];
        size_t n = as_num_format(v->u.num, t);
        return as_buf_append(buf, t, n);
    }
    case AS_V_BOOL:
        return as_buf_append_cstr(buf, v->u.b ? "true" : "false");
    case AS_V_TIME: {
        size_t n = as_time_format_utc(v->u.t, tmp);
        return as_buf_append(buf, tmp, n);
    }
    }
    return 0;
}
