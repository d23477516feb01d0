/* psr_fmt_json.c: the format-layer glue of the JSON formats (psr_int.h):
 * jsonl (one object per line) and whole documents (CloudTrail's
 * {"Records":[...]}, top-level arrays), on the on-demand scanner psr_json.
 *
 * A jsonl record is validated completely in psr_parse (line and column of
 * the first bad byte); a document's records were validated by psr_doc_next.
 * Fields are dotted paths compiled when asked for; the event time is the
 * input's time path, chosen from the first record (psr_json_bind).
 */
#include "parsers/psr_int.h"

#include <string.h>  /* strlen, memcpy */

/* Paths tried, in order, for each record's event time when --time-field is
 * not given: the first one present is the time (and must parse). A merge
 * event's time is its merged_at, not its created_at, hence the order. */
static const char *const time_candidates[PSR_JSON_TIME_PATHS] = {
    "published",   /* Okta System Log */
    "eventTime",   /* CloudTrail */
    "@timestamp",  /* GitHub audit log, Elastic */
    "timestamp", "time", "merged_at", "pushed_at", "created_at", "createdAt", "date", "ts", "datetime",
};

static int path_compile(psr_json_path *p, const char *text)
{
    return psr_json_path_compile(p, as_slice_cstr(text), PSR_JSON_PATH_DEFAULT, NULL) == PSR_JSON_OK;
}

/* The first record of head (a line, or a document's first element). */
static as_slice first_record(const psr_input *in, as_slice head)
{
    if (in->fmt->kind == PSR_KIND_JSONL) {
        const char *p = head.ptr, *end = head.ptr + head.len;
        if (head.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            as_slice line = as_slice_trim((as_slice){ p, (size_t)((nl ? nl : end) - p) });
            if (line.len)
                return line;
            if (nl == NULL)
                break;
            p = nl + 1;
        }
        return (as_slice){ NULL, 0 };
    }
    psr_json_iter it;
    psr_json_elem el;
    psr_json_err e;
    psr_json_iter_init(&it, head, PSR_JSON_SCAN_BEST);
    if (psr_json_iter_next(&it, &el, &e) == PSR_JSON_NEXT_ELEM)
        return el.raw;
    return (as_slice){ NULL, 0 };
}

void psr_json_bind(psr_input *in, as_slice head)
{
    if (in->ctx->opts.time_field) {
        in->time_strict = 1;
        if (path_compile(&in->time_paths[0], in->time_name))
            in->n_time_paths = 1;
        else
            as_err_set(&in->error, AS_ERR_USAGE, (as_loc){0}, "--time-field '%s' is not a valid JSON path",
                       in->time_name);
        return;
    }
    for (size_t i = 0; i < AS_ARRAY_LEN(time_candidates); i++)
        if (path_compile(&in->time_paths[in->n_time_paths], time_candidates[i]))
            in->n_time_paths++;
    /* the name shown: the candidate the first record uses */
    in->time_name[0] = '\0';
    as_slice rec = first_record(in, head);
    if (rec.len == 0)
        return;
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < in->n_time_paths; i++) {
        as_val v;
        if (psr_json_get(rec, &in->time_paths[i], &v, &ar) == AS_OK && v.type != AS_V_MISSING &&
            v.type != AS_V_NULL) {
            size_t n = strlen(time_candidates[i]);
            memcpy(in->time_name, time_candidates[i], n + 1);
            break;
        }
    }
    as_arena_fini(&ar);
}

static as_code json_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                          psr_res *res)
{
    (void)w;
    (void)st;
    if (in->fmt->kind == PSR_KIND_JSONL) {
        psr_json_err e;
        psr_json_code jc = psr_json_validate(rec->raw, &e);
        if (jc != PSR_JSON_OK) {
            res->err_line = e.line;
            res->err_col = e.col;
            res->why = psr_json_err_text(jc);
            return jc == PSR_JSON_E_UTF8 ? AS_ERR_INVALID_UTF8 : AS_ERR_SYNTAX;
        }
        const char *p = rec->raw.ptr, *end = p + rec->raw.len;
        if (rec->raw.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p < end && *p != '{') {
            res->err_line = 1;
            res->err_col = (uint64_t)(p - rec->raw.ptr) + 1;
            res->why = "a JSON Lines record must be an object";
            return AS_ERR_SYNTAX;
        }
    }
    if (in->n_time_paths == 0)
        return AS_OK;
    const psr_json_path *paths[PSR_JSON_TIME_PATHS];
    as_val vals[PSR_JSON_TIME_PATHS];
    for (size_t i = 0; i < in->n_time_paths; i++)
        paths[i] = &in->time_paths[i];
    as_code rc = psr_json_get_many(rec->raw, paths, in->n_time_paths, vals, ar);
    if (rc != AS_OK)
        return rc;
    const as_val *v = NULL;
    for (size_t i = 0; i < in->n_time_paths && v == NULL; i++)
        if (vals[i].type != AS_V_MISSING && vals[i].type != AS_V_NULL)
            v = &vals[i];
    if (v == NULL)
        return AS_OK;                               /* no time: counted by the caller */
    if (psr_time_from_val(v, in->ctx->opts.tz_offset_min, &res->time) != AS_OK) {
        res->err_line = 1;
        res->why = "the time field is not a timestamp";
        return AS_ERR_BAD_TIME;
    }
    return AS_OK;
}

int psr_jsonrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    psr_json_path p;
    if (psr_json_path_compile(&p, name, PSR_JSON_PATH_DEFAULT, NULL) != PSR_JSON_OK) {
        out->type = AS_V_MISSING;
        return AS_ERR_USAGE;
    }
    return psr_json_get(rec->raw, &p, out, ar);
}

const psr_ops psr_ops_json = { json_parse, NULL };

/* ---- documents ---- */

void psr_doc_init(psr_doc_iter *it, as_slice doc, as_arena *ar)
{
    it->doc = doc;
    it->_done = 0;
    psr_json_iter *ji = as_arena_alloc(ar, sizeof *ji, _Alignof(psr_json_iter));
    it->_it = ji;
    if (ji == NULL) {
        it->_done = 1;
        return;
    }
    psr_json_iter_init(ji, doc, PSR_JSON_SCAN_BEST);
}

static uint32_t count_lines(as_slice s)
{
    uint32_t n = 1;
    const char *p = s.ptr, *end = s.ptr + s.len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

int psr_doc_next(psr_doc_iter *it, psr_doc_rec *out)
{
    if (it->_done)
        return 0;
    psr_json_elem el;
    psr_json_err e;
    psr_json_next r = psr_json_iter_next(it->_it, &el, &e);
    if (r == PSR_JSON_NEXT_ELEM) {
        *out = (psr_doc_rec){ .raw = el.raw, .offset = el.offset, .line = el.line,
                              .n_lines = count_lines(el.raw), .code = AS_OK };
        return 1;
    }
    it->_done = 1;
    if (r == PSR_JSON_NEXT_END)
        return 0;
    /* the rest of the document, from the first bad byte, is one rejected record */
    uint64_t off = AS_MIN(e.offset, (uint64_t)it->doc.len);
    as_slice rest = { it->doc.ptr + off, it->doc.len - (size_t)off };
    *out = (psr_doc_rec){ .raw = rest, .offset = off, .line = e.line,
                          .n_lines = rest.len ? count_lines(rest) : 1,
                          .code = e.code == PSR_JSON_E_UTF8 ? AS_ERR_INVALID_UTF8 : AS_ERR_SYNTAX,
                          .err_col = e.col, .why = psr_json_err_text(e.code) };
    return 1;
}
