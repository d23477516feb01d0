/* psr_logfmt.c: the key=value line scanner (see psr_logfmt.h). One pass, a
 * 256-entry class table for key bytes, memchr for quoted values. */
#include "parsers/psr_logfmt.h"

#include <string.h>  /* memchr */

/* 1 for the bytes a key may hold. */
static const uint8_t key_ch[256] = {
    ['-'] = 1, ['.'] = 1, ['/'] = 1, ['@'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static AS_NOINLINE as_code fail(uint64_t *err_col, const char *at, const char *base, as_code code)
{
    if (err_col)
        *err_col = (uint64_t)(at - base) + 1;
    return code;
}

as_code psr_logfmt_scan(as_slice line, psr_logfmt *out, uint64_t *err_col)
{
    const char *const base = line.ptr, *p = line.ptr, *end = line.ptr + line.len;
    if (end > p && end[-1] == '\r')
        end--;
    out->lead = (as_slice){ NULL, 0 };
    out->n = 0;
    while (p < end && *p == ' ')
        p++;
    /* a leading token without '=' before the first space is the lead (a timestamp) */
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    const char *tok_end = sp ? sp : end;
    if (tok_end > p && memchr(p, '=', (size_t)(tok_end - p)) == NULL && p < end && *p != '"') {
        out->lead = (as_slice){ p, (size_t)(tok_end - p) };
        p = tok_end;
    }
    while (p < end) {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        const char *k = p;
        while (p < end && key_ch[(unsigned char)*p])
            p++;
        if (p == k)
            return fail(err_col, p, base, AS_ERR_SYNTAX);
        if (out->n == PSR_LOGFMT_MAX_PAIRS)
            return fail(err_col, k, base, AS_ERR_BAD_VALUE);
        psr_logfmt_pair *pr = &out->pairs[out->n++];
        pr->key = (as_slice){ k, (size_t)(p - k) };
        pr->quoted = 0;
        if (p == end || *p == ' ' || *p == '\t') {
            pr->value = (as_slice){ p, 0 };        /* a flag */
            continue;
        }
        if (*p != '=')
            return fail(err_col, p, base, AS_ERR_SYNTAX);
        p++;
        if (p < end && *p == '"') {
            const char *v = ++p;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (q == NULL)
                    return fail(err_col, v - 1, base, AS_ERR_SYNTAX);
                size_t bs = 0;                     /* backslashes right before the quote */
                while (q - (ptrdiff_t)bs - 1 >= v && q[-(ptrdiff_t)bs - 1] == '\\')
                    bs++;
                p = q + 1;
                if (bs % 2 == 0) {
                    pr->value = (as_slice){ v, (size_t)(q - v) };
                    pr->quoted = 1;
                    break;
                }
            }
            if (p < end && *p != ' ' && *p != '\t')
                return fail(err_col, p, base, AS_ERR_SYNTAX);
        } else {
            const char *v = p;
            while (p < end && *p != ' ' && *p != '\t')
                p++;
            pr->value = (as_slice){ v, (size_t)(p - v) };
        }
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->pairs[i].value.len || out->pairs[i].quoted ||
            out->pairs[i].value.ptr[-1] == '=')
            return AS_OK;
    return fail(err_col, base, base, AS_ERR_SYNTAX);  /* no key=value at all: not logfmt */
}

const psr_logfmt_pair *psr_logfmt_find(const psr_logfmt *r, as_slice key)
{
    for (size_t i = 0; i < r->n; i++)
        if (as_slice_eq(r->pairs[i].key, key))
            return &r->pairs[i];
    return NULL;
}

as_code psr_logfmt_unquote(const psr_logfmt_pair *p, as_arena *ar, as_slice *out)
{
    if (!p->quoted || memchr(p->value.ptr, '\\', p->value.len) == NULL) {
        *out = p->value;
        return AS_OK;
    }
    char *d = as_arena_alloc(ar, p->value.len ? p->value.len : 1, 1);
    if (d == NULL)
        return AS_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->value.len; i++) {
        char c = p->value.ptr[i];
        if (c == '\\' && i + 1 < p->value.len) {
            char e = p->value.ptr[++i];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            default:  c = e; break;
            }
        }
        d[n++] = c;
    }
    *out = (as_slice){ d, n };
    return AS_OK;
}
