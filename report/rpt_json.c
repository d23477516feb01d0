/* rpt_json.c: streaming JSON writer (see rpt.h). Keeps a comma flag per
 * nesting level; strings are escaped per RFC 8259 with control characters as
 * \u00XX, and invalid UTF-8 bytes replaced by U+FFFD so the output always
 * parses. Numbers never go through the locale. */
#include "report/rpt.h"

#include <inttypes.h>  /* PRIu64 */
#include <math.h>      /* isfinite */
#include <stdio.h>     /* snprintf */

void rpt_json_init(rpt_json *j, as_buf *out, int pretty)
{
    j->out = out;
    j->pretty = pretty;
    j->depth = 0;
    j->has_items[0] = 0;
    j->after_key = 0;
    j->replaced = 0;
    j->failed = 0;
}

static void put(rpt_json *j, const char *s, size_t n)
{
    if (as_buf_append(j->out, s, n) != 0)
        j->failed = 1;
}

static void newline_indent(rpt_json *j)
{
    if (!j->pretty)
        return;
    put(j, "\n", 1);
    for (unsigned i = 0; i < j->depth; i++)
        put(j, "  ", 2);
}

/* Separator and indentation before a value or a key. */
static void before_item(rpt_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->has_items[j->depth])
            put(j, ",", 1);
        j->has_items[j->depth] = 1;
        newline_indent(j);
    }
}

static void open_(rpt_json *j, char c)
{
    before_item(j);
    put(j, &c, 1);
    if (j->depth + 1 >= RPT_JSON_MAX_DEPTH) {
        j->failed = 1;
        return;
    }
    j->depth++;
    j->has_items[j->depth] = 0;
}

static void close_(rpt_json *j, char c)
{
    if (j->depth == 0) {
        j->failed = 1;
        return;
    }
    int had = j->has_items[j->depth];
    j->depth--;
    if (had)
        newline_indent(j);
    put(j, &c, 1);
}

void rpt_json_obj_begin(rpt_json *j) { open_(j, '{'); }
void rpt_json_obj_end(rpt_json *j)   { close_(j, '}'); }
void rpt_json_arr_begin(rpt_json *j) { open_(j, '['); }
void rpt_json_arr_end(rpt_json *j)   { close_(j, ']'); }

int64_t rpt_json_escape(as_buf *out, as_slice s)
{
    static const char hex[] = "0123456789abcdef";
    int64_t replaced = 0;
    if (as_buf_reserve(out, s.len + 2) != 0 || as_buf_putc(out, '"') != 0)
        return -1;
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run && as_buf_append(out, run, (size_t)(p - run)) != 0)
            return -1;
        if (p >= end)
            break;
        unsigned c = *p;
        int rc = 0;
        if (c == '"') {
            rc = as_buf_append(out, "\\\"", 2);
            p++;
        } else if (c == '\\') {
            rc = as_buf_append(out, "\\\\", 2);
            p++;
        } else if (c < 0x20) {
            char e[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
            const char *sh = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            rc = sh ? as_buf_append(out, sh, 2) : as_buf_append(out, e, 6);
            p++;
        } else {
            size_t n = as_utf8_seq_len(p, (size_t)(end - p));
            if (n == 0) {
                rc = as_buf_append(out, "\xEF\xBF\xBD", 3);   /* U+FFFD */
                replaced++;
                p++;
            } else {
                rc = as_buf_append(out, p, n);
                p += n;
            }
        }
        if (rc != 0)
            return -1;
    }
    if (as_buf_putc(out, '"') != 0)
        return -1;
    return replaced;
}

void rpt_json_key(rpt_json *j, const char *key)
{
    before_item(j);
    if (rpt_json_escape(j->out, as_slice_cstr(key)) < 0)
        j->failed = 1;
    put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
    j->after_key = 1;
}

void rpt_json_str(rpt_json *j, as_slice s)
{
    before_item(j);
    int64_t r = rpt_json_escape(j->out, s);
    if (r < 0)
        j->failed = 1;
    else
        j->replaced += (uint64_t)r;
}

void rpt_json_cstr(rpt_json *j, const char *s)
{
    if (s == NULL)
        rpt_json_null(j);
    else
        rpt_json_str(j, as_slice_cstr(s));
}

static void raw_value(rpt_json *j, const char *s, int n)
{
    before_item(j);
    if (n > 0)
        put(j, s, (size_t)n);
    else
        j->failed = 1;
}

void rpt_json_u64(rpt_json *j, uint64_t v)
{
    char t[24];
    raw_value(j, t, snprintf(t, sizeof t, "%" PRIu64, v));
}

void rpt_json_i64(rpt_json *j, int64_t v)
{
    char t[24];
    raw_value(j, t, snprintf(t, sizeof t, "%" PRId64, v));
}

void rpt_json_num(rpt_json *j, double v, int decimals)
{
    char t[64];
    if (!isfinite(v)) {
        rpt_json_null(j);
        return;
    }
    raw_value(j, t, snprintf(t, sizeof t, "%.*f", decimals, v));
}

void rpt_json_bool(rpt_json *j, int v)
{
    raw_value(j, v ? "true" : "false", v ? 4 : 5);
}

void rpt_json_null(rpt_json *j)
{
    raw_value(j, "null", 4);
}

void rpt_json_time(rpt_json *j, as_time t)
{
    if (!as_time_is_valid(t)) {
        rpt_json_null(j);
        return;
    }
    char b[AS_TIME_RFC3339_MAX];
    size_t n = as_time_format_utc(t, b);
    rpt_json_str(j, as_slice_make(b, n));
}

int rpt_json_finish(rpt_json *j)
{
    if (j->depth != 0)
        j->failed = 1;
    put(j, "\n", 1);
    return j->failed ? -1 : 0;
}

void rpt_json_raw_compact(rpt_json *j, as_slice json)
{
    before_item(j);
    const char *p = json.ptr, *end = json.ptr + json.len, *run = p;
    int in_str = 0;
    for (; p < end; p++) {
        char c = *p;
        if (in_str) {
            if (c == '\\')
                p++;                                   /* the escaped byte is never a quote */
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            put(j, run, (size_t)(p - run));
            run = p + 1;
        } else if ((unsigned char)c == 0xEF && end - p >= 3 && (unsigned char)p[1] == 0xBB &&
                   (unsigned char)p[2] == 0xBF && p == json.ptr) {
            p += 2;                                    /* a leading BOM */
            run = p + 1;
        }
    }
    if (p > end)
        p = end;
    put(j, run, (size_t)(p - run));
}

void rpt_json_key_slice(rpt_json *j, as_slice key)
{
    before_item(j);
    int64_t r = rpt_json_escape(j->out, key);
    if (r < 0)
        j->failed = 1;
    else
        j->replaced += (uint64_t)r;
    put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
    j->after_key = 1;
}
