/* gen_json.c: compact JSON writer and 2-space re-indenter (see gen_json.h). */
#include "tools/gen/gen_json.h"

#include "tools/gen/gen_fmt.h"  /* gen_put_i64 */

static void put(gen_json *j, const void *p, size_t n)
{
    if (!j->failed && as_buf_append(j->b, p, n) != 0)
        j->failed = 1;
}

static void putc1(gen_json *j, char c) { put(j, &c, 1); }

/* Comma before a member/element unless it is the container's first. */
static void sep(gen_json *j)
{
    if (j->depth == 0)
        return;
    if (j->first[j->depth - 1])
        j->first[j->depth - 1] = 0;
    else
        putc1(j, ',');
}

void gen_json_begin(gen_json *j, as_buf *b)
{
    j->b = b;
    j->failed = 0;
    j->depth = 0;
}

/* A value directly after a key does not take a comma: gen_json_key already did. */
static int after_key(gen_json *j)
{
    return j->b->len > 0 && j->b->data[j->b->len - 1] == ':';
}

static void value_sep(gen_json *j)
{
    if (!after_key(j))
        sep(j);
}

static void open_(gen_json *j, char c)
{
    value_sep(j);
    putc1(j, c);
    if (j->depth < GEN_JSON_MAX_DEPTH)
        j->first[j->depth] = 1;
    j->depth++;
}

static void close_(gen_json *j, char c)
{
    if (j->depth)
        j->depth--;
    putc1(j, c);
}

void gen_json_obj(gen_json *j) { open_(j, '{'); }
void gen_json_end_obj(gen_json *j) { close_(j, '}'); }
void gen_json_arr(gen_json *j) { open_(j, '['); }
void gen_json_end_arr(gen_json *j) { close_(j, ']'); }

void gen_json_key(gen_json *j, const char *k)
{
    sep(j);
    putc1(j, '"');
    put(j, k, strlen(k));
    put(j, "\":", 2);
}

int gen_json_escape(as_buf *b, const char *s, size_t n)
{
    static const char k_hex[] = "0123456789abcdef";
    if (as_buf_reserve(b, n + 16) != 0)
        return -1;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (as_buf_append(b, s + start, i - start) != 0)
            return -1;
        char esc[6] = { '\\', 0, 0, 0, 0, 0 };
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = k_hex[c >> 4];
            esc[5] = k_hex[c & 15];
            len = 6;
        }
        if (as_buf_append(b, esc, len) != 0)
            return -1;
        start = i + 1;
    }
    return as_buf_append(b, s + start, n - start);
}

void gen_json_strn(gen_json *j, const char *s, size_t n)
{
    value_sep(j);
    putc1(j, '"');
    if (!j->failed && gen_json_escape(j->b, s, n) != 0)
        j->failed = 1;
    putc1(j, '"');
}

void gen_json_str(gen_json *j, const char *s)
{
    if (s == NULL)
        gen_json_null(j);
    else
        gen_json_strn(j, s, strlen(s));
}

void gen_json_int(gen_json *j, int64_t v)
{
    char tmp[24];
    value_sep(j);
    put(j, tmp, (size_t)(gen_put_i64(tmp, v) - tmp));
}

void gen_json_uint(gen_json *j, uint64_t v)
{
    char tmp[24];
    value_sep(j);
    put(j, tmp, (size_t)(gen_put_u64(tmp, v) - tmp));
}

void gen_json_bool(gen_json *j, int v)
{
    value_sep(j);
    if (v)
        put(j, "true", 4);
    else
        put(j, "false", 5);
}

void gen_json_null(gen_json *j)
{
    value_sep(j);
    put(j, "null", 4);
}

void gen_json_raw(gen_json *j, const char *text, size_t n)
{
    value_sep(j);
    put(j, text, n);
}

/* ---- re-indenter ---- */

static int newline_indent(as_buf *out, unsigned level, uint64_t *lines)
{
    static const char k_spaces[] = "                                                                ";
    if (as_buf_putc(out, '\n') != 0)
        return -1;
    (*lines)++;
    size_t n = (size_t)level * 2;
    while (n) {
        size_t k = n < sizeof k_spaces - 1 ? n : sizeof k_spaces - 1;
        if (as_buf_append(out, k_spaces, k) != 0)
            return -1;
        n -= k;
    }
    return 0;
}

int gen_json_pretty(const char *src, size_t n, unsigned level, as_buf *out, uint64_t *lines)
{
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '"') {                           /* copy a whole string */
            size_t k = i + 1;
            while (k < n && src[k] != '"')
                k += src[k] == '\\' ? 2 : 1;
            if (as_buf_append(out, src + i, k + 1 - i) != 0)
                return -1;
            i = k;
        } else if (c == '{' || c == '[') {
            if (i + 1 < n && (src[i + 1] == '}' || src[i + 1] == ']')) { /* {} and [] stay on one line */
                if (as_buf_append(out, src + i, 2) != 0)
                    return -1;
                i++;
                continue;
            }
            if (as_buf_putc(out, c) != 0 || newline_indent(out, ++level, lines) != 0)
                return -1;
        } else if (c == '}' || c == ']') {
            if (newline_indent(out, --level, lines) != 0 || as_buf_putc(out, c) != 0)
                return -1;
        } else if (c == ',') {
            if (as_buf_putc(out, ',') != 0 || newline_indent(out, level, lines) != 0)
                return -1;
        } else if (c == ':') {
            if (as_buf_append(out, ": ", 2) != 0)
                return -1;
        } else if (as_buf_putc(out, c) != 0) {
            return -1;
        }
    }
    return 0;
}
