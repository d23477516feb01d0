/* as_rec.c: record ids and value rendering (see as_rec.h). */
#include "core/as_rec.h"

#include <inttypes.h>  /* PRId64 */
#include <stdio.h>     /* snprintf */

#include "core/as_buf.h"

size_t as_rec_id_format(const uint8_t input_sha[AS_SHA256_LEN], uint64_t offset, char out[AS_REC_ID_MAX])
{
    as_hex(input_sha, 8, out);
    int n = snprintf(out + 16, AS_REC_ID_MAX - 16, ":%" PRIu64, offset);
    return 16 + (n > 0 ? (size_t)n : 0);
}

int as_val_to_text(const as_val *v, as_buf *buf)
{
    char tmp[AS_TIME_RFC3339_MAX];
    switch (v->type) {
    case AS_V_MISSING:
    case AS_V_NULL:
        return 0;
    case AS_V_STR:
        return as_buf_append_slice(buf, v->u.str);
    case AS_V_INT:
        return as_buf_printf(buf, "%" PRId64, v->u.i);
    case AS_V_NUM: {
        /* %.17g is locale-dependent only in the decimal point; assay never calls setlocale */
        return as_buf_printf(buf, "%.17g", v->u.num);
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
