/* psr_json.c: JSON validation, record iteration over documents and sniffing
 * (see psr_json.h; lookups are in psr_json_get.c).
 *
 * The validator is one non-recursive state machine (pj_scan_value) over a
 * bit stack of open containers (1 = object, 0 = array), so depth costs 64
 * bytes of stack, not frames. Strings are skipped 16 (SSE2) or 8 (SWAR) bytes
 * at a time up to the next byte that needs a look: the quote, a backslash, a
 * control byte or a non-ASCII byte (then checked with as_utf8_seq_len). Line
 * and column are computed only when an error is reported, by counting LFs
 * from the start of the document, so the straight path never tracks them.
 * The iterator and the sniffer reuse the same machine for each element, so
 * all three agree on the first invalid byte.
 */
#include "parsers/psr_json.h"

#include <string.h> /* memchr, memcmp */

#include "parsers/psr_json_int.h" /* byte classes, string scanners */

/* ---- tables ---- */

#define PJ_DIGITS(v) ['0'] = (v), ['1'] = (v), ['2'] = (v), ['3'] = (v), ['4'] = (v), \
                     ['5'] = (v), ['6'] = (v), ['7'] = (v), ['8'] = (v), ['9'] = (v)

const uint8_t psr_json__class[256] = {
    [' '] = PJ_K_WS, ['\t'] = PJ_K_WS, ['\r'] = PJ_K_WS, ['\n'] = PJ_K_WS,
    ['"'] = PJ_K_QUOTE, ['{'] = PJ_K_OBJ, ['['] = PJ_K_ARR, ['-'] = PJ_K_NUM,
    PJ_DIGITS(PJ_K_NUM),
    ['t'] = PJ_K_TRUE, ['f'] = PJ_K_FALSE, ['n'] = PJ_K_NULL,
    ['}'] = PJ_K_OBJ_END, [']'] = PJ_K_ARR_END, [','] = PJ_K_COMMA, [':'] = PJ_K_COLON,
};

const uint8_t psr_json__hex[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
    ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define PJ_X16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
const uint8_t psr_json__vstop[256] = {
    PJ_X16(1), PJ_X16(1),                       /* 0x00-0x1F: control bytes */
    ['"'] = 1, ['\\'] = 1,
    [0x80] = PJ_X16(1), PJ_X16(1), PJ_X16(1), PJ_X16(1), /* 0x80-0xFF: non-ASCII */
    PJ_X16(1), PJ_X16(1), PJ_X16(1), PJ_X16(1),
};

const uint8_t psr_json__numch[256] = {
    PJ_DIGITS(1), ['.'] = 1, ['e'] = 1, ['E'] = 1, ['+'] = 1, ['-'] = 1,
};

static const char *const k_err_text[] = {
#define PSR_JSON_TEXT_(code, text) text,
    PSR_JSON_ERR_LIST(PSR_JSON_TEXT_)
#undef PSR_JSON_TEXT_
};

const char *psr_json_err_text(psr_json_code code)
{
    return (unsigned)code < PSR_JSON__COUNT ? k_err_text[code] : "unknown JSON error";
}

/* ---- locations (the slow path: only on error) ---- */

void psr_json__locate(const char *doc, size_t off, psr_json_code code, psr_json_err *e)
{
    if (e == NULL)
        return;
    uint64_t line = 1;
    const char *ls = doc;
    if (off > 0) {
        const char *p = doc, *end = doc + off, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            line++;
            ls = nl + 1;
            p = nl + 1;
        }
    }
    e->code = code;
    e->offset = off;
    e->line = line;
    e->col = (uint64_t)(doc + off - ls) + 1;
}

as_code psr_json_err_to_as(const psr_json_err *je, as_loc base, as_err *out)
{
    if (je->code == PSR_JSON_OK)
        return AS_OK;
    as_code c = je->code == PSR_JSON_E_UTF8          ? AS_ERR_INVALID_UTF8
                : je->code >= PSR_JSON_E_PATH_EMPTY  ? AS_ERR_USAGE
                                                     : AS_ERR_SYNTAX;
    uint64_t bl = base.line ? base.line : 1, bc = base.col ? base.col : 1;
    as_loc loc = base;
    loc.line = bl + je->line - 1;
    loc.col = je->line == 1 ? bc + je->col - 1 : je->col;
    loc.offset = base.offset + je->offset;
    loc.has_offset = 1;
    return as_err_set(out, c, loc, "%s", psr_json_err_text(je->code));
}

/* ---- the validating scanner ---- */

static inline int pj_is_digit(unsigned char c)
{
    return (unsigned)(c - '0') < 10;
}

static inline int pj_is_alnum(unsigned char c)
{
    return pj_is_digit(c) || (unsigned)((c | 0x20) - 'a') < 26;
}

static inline int pj_hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    unsigned a = psr_json__hex[(unsigned char)p[0]], b = psr_json__hex[(unsigned char)p[1]],
             c = psr_json__hex[(unsigned char)p[2]], d = psr_json__hex[(unsigned char)p[3]];
    if (!a || !b || !c || !d)
        return -1;
    return (int)(((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1));
}

/* Where the first error is; written only on the way out. The scanners below
 * return the next position (or NULL on error) instead of moving a cursor
 * through a pointer, so the cursor stays in a register. */
typedef struct pj_fail {
    psr_json_code code;
    const char   *at;
} pj_fail;

static const char *pj_failed(pj_fail *f, psr_json_code code, const char *at)
{
    f->code = code;
    f->at = at;
    return NULL;
}

/* p is at a backslash inside a string opened at `open`. Returns the byte
 * after the escape (both halves of a surrogate pair); on error the backslash
 * is the location (`open` for a string cut right after the backslash). */
static const char *pj_vescape(const char *p, const char *end, const char *open, pj_fail *f)
{
    if (end - p < 2)
        return pj_failed(f, PSR_JSON_E_STRING_EOF, open);
    switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return p + 2;
    case 'u': {
        int cp = pj_hex4(p + 2, end);
        if (cp < 0)
            return pj_failed(f, PSR_JSON_E_UNICODE, p);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
                int lo = pj_hex4(p + 8, end);
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                    return p + 12;
            }
            return pj_failed(f, PSR_JSON_E_SURROGATE, p);
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return pj_failed(f, PSR_JSON_E_SURROGATE, p);
        return p + 6;
    }
    default:
        return pj_failed(f, PSR_JSON_E_ESCAPE, p);
    }
}

/* p is at an opening quote. Returns the byte after the closing quote, or NULL
 * with the first invalid byte in *f (the opening quote when the input ends
 * inside the string). */
static PJ_ALWAYS_INLINE const char *pj_vstring(const char *p, const char *end, pj_dir d, pj_fail *f)
{
    const char *open = p++;
    for (;;) {
        p = pj_find_vstop(p, end, d);
        if (AS_UNLIKELY(p == end))
            return pj_failed(f, PSR_JSON_E_STRING_EOF, open);
        unsigned char c = (unsigned char)*p;
        if (AS_LIKELY(c == '"'))
            return p + 1;
        if (c == '\\') {
            p = pj_vescape(p, end, open, f);
            if (p == NULL)
                return NULL;
            continue;
        }
        if (c < 0x20)
            return pj_failed(f, PSR_JSON_E_CONTROL, p);
        size_t n = as_utf8_seq_len((const unsigned char *)p, (size_t)(end - p));
        if (n == 0)
            return pj_failed(f, PSR_JSON_E_UTF8, p);
        p += n;
    }
}

/* p is at '-' or a digit: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * A number must not run into another number character ("01", "1.2.3"). */
static inline const char *pj_vnumber(const char *p, const char *end, pj_fail *f)
{
    if (*p == '-')
        p++;
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && pj_is_digit((unsigned char)*p)) {
        do
            p++;
        while (p < end && pj_is_digit((unsigned char)*p));
    } else {
        return pj_failed(f, PSR_JSON_E_NUMBER, p);
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end || !pj_is_digit((unsigned char)*p))
            return pj_failed(f, PSR_JSON_E_NUMBER, p);
        do
            p++;
        while (p < end && pj_is_digit((unsigned char)*p));
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !pj_is_digit((unsigned char)*p))
            return pj_failed(f, PSR_JSON_E_NUMBER, p);
        do
            p++;
        while (p < end && pj_is_digit((unsigned char)*p));
    }
    if (p < end && psr_json__numch[(unsigned char)*p])
        return pj_failed(f, PSR_JSON_E_NUMBER, p);
    return p;
}

/* true / false / null, not followed by a letter or digit */
static const char *pj_vliteral(const char *p, const char *end, const char *lit, size_t n, pj_fail *f)
{
    if ((size_t)(end - p) >= n && memcmp(p, lit, n) == 0) {
        p += n;
        if (p == end || !pj_is_alnum((unsigned char)*p))
            return p;
        return pj_failed(f, PSR_JSON_E_LITERAL, p);
    }
    size_t i = 0;
    while (i < n && p + i < end && p[i] == lit[i])
        i++;
    return pj_failed(f, PSR_JSON_E_LITERAL, p + i);
}

#define PJ_STACK_WORDS ((PSR_JSON_MAX_DEPTH + 63) / 64)

/* Validates one value starting at *pp (white space first is skipped) inside
 * depth0 open containers. On success *pp is just past the value; on error
 * *errp is the first invalid byte. */
static PJ_ALWAYS_INLINE psr_json_code pj_scan_value(const char **pp, const char *end, unsigned depth0,
                                                    pj_dir d, const char **errp)
{
    uint64_t stack[PJ_STACK_WORDS] = { 0 }; /* bit i: container i (relative) is an object */
    unsigned top = 0;               /* containers opened by this call */
    int in_obj = 0;                 /* the innermost open container is an object */
    const char *p = *pp, *q;
    pj_fail f;

value:
    p = pj_skip_ws(p, end);
    if (AS_UNLIKELY(p == end))
        goto eof;
    switch (psr_json__class[(unsigned char)*p]) {
    case PJ_K_QUOTE:
        q = pj_vstring(p, end, d, &f);
        break;
    case PJ_K_OBJ:
        if (AS_UNLIKELY(depth0 + top >= PSR_JSON_MAX_DEPTH)) {
            pj_failed(&f, PSR_JSON_E_DEPTH, p);
            goto fail;
        }
        stack[top >> 6] |= 1ull << (top & 63);
        top++;
        in_obj = 1;
        p = pj_skip_ws(p + 1, end);
        if (AS_UNLIKELY(p == end))
            goto eof;
        if (*p == '}') {
            p++;
            goto pop;
        }
        goto key;
    case PJ_K_ARR:
        if (AS_UNLIKELY(depth0 + top >= PSR_JSON_MAX_DEPTH)) {
            pj_failed(&f, PSR_JSON_E_DEPTH, p);
            goto fail;
        }
        stack[top >> 6] &= ~(1ull << (top & 63));
        top++;
        in_obj = 0;
        p = pj_skip_ws(p + 1, end);
        if (AS_UNLIKELY(p == end))
            goto eof;
        if (*p == ']') {
            p++;
            goto pop;
        }
        goto value;
    case PJ_K_NUM:
        q = pj_vnumber(p, end, &f);
        break;
    case PJ_K_TRUE:
        q = pj_vliteral(p, end, "true", 4, &f);
        break;
    case PJ_K_FALSE:
        q = pj_vliteral(p, end, "false", 5, &f);
        break;
    case PJ_K_NULL:
        q = pj_vliteral(p, end, "null", 4, &f);
        break;
    default:
        pj_failed(&f, PSR_JSON_E_VALUE, p);
        goto fail;
    }
    if (AS_UNLIKELY(q == NULL))
        goto fail;
    p = q;
    goto after;

key: /* p is at a non-white byte where a key must start */
    if (AS_UNLIKELY(*p != '"')) {
        pj_failed(&f, PSR_JSON_E_KEY, p);
        goto fail;
    }
    p = pj_vstring(p, end, d, &f);
    if (AS_UNLIKELY(p == NULL))
        goto fail;
    if (AS_LIKELY(p < end && *p == ':')) {
        p++;
    } else {
        p = pj_skip_ws(p, end);
        if (p == end)
            goto eof;
        if (*p != ':') {
            pj_failed(&f, PSR_JSON_E_COLON, p);
            goto fail;
        }
        p++;
    }
    goto value;

pop:
    top--;
    in_obj = top ? (int)((stack[(top - 1) >> 6] >> ((top - 1) & 63)) & 1) : 0;
after:
    if (AS_UNLIKELY(top == 0)) {
        *pp = p;
        return PSR_JSON_OK;
    }
    p = pj_skip_ws(p, end);
    if (AS_UNLIKELY(p == end))
        goto eof;
    if (*p == ',') {
        p++;
        if (in_obj) {
            p = pj_skip_ws(p, end);
            if (p == end)
                goto eof;
            goto key;
        }
        goto value;
    }
    if (*p == (in_obj ? '}' : ']')) {
        p++;
        goto pop;
    }
    pj_failed(&f, in_obj ? PSR_JSON_E_OBJECT : PSR_JSON_E_ARRAY, p);
    goto fail;
eof:
    pj_failed(&f, PSR_JSON_E_EOF, end);
fail:
    *errp = f.at;
    return f.code;
}

/* the two instantiations, so that each hot loop has its scanner inlined */
static psr_json_code pj_scan_value_simd(const char **pp, const char *end, unsigned depth0,
                                        const char **errp)
{
    return pj_scan_value(pp, end, depth0, PJ_SIMD, errp);
}

static psr_json_code pj_scan_value_swar(const char **pp, const char *end, unsigned depth0,
                                        const char **errp)
{
    return pj_scan_value(pp, end, depth0, PJ_SWAR, errp);
}

static psr_json_code pj_scan_value_dir(const char **pp, const char *end, unsigned depth0, pj_dir d,
                                       const char **errp)
{
    return d == PJ_SWAR ? pj_scan_value_swar(pp, end, depth0, errp)
                        : pj_scan_value_simd(pp, end, depth0, errp);
}

/* Validates the string at *pp (its opening quote); moves *pp past it, or to
 * the first invalid byte on error. */
static psr_json_code pj_vstring_dir(const char **pp, const char *end, pj_dir d)
{
    pj_fail f;
    const char *q = d == PJ_SWAR ? pj_vstring(*pp, end, PJ_SWAR, &f) : pj_vstring(*pp, end, PJ_SIMD, &f);
    if (q == NULL) {
        *pp = f.at;
        return f.code;
    }
    *pp = q;
    return PSR_JSON_OK;
}

/* ---- validation ---- */

psr_json_code psr_json_validate_scan(as_slice doc, psr_json_scan scan, psr_json_err *e)
{
    if (e != NULL)
        *e = (psr_json_err){ 0 };
    if (doc.ptr == NULL)
        doc.ptr = ""; /* NULL + 0 is undefined */
    const char *b = doc.ptr, *end = b + doc.len, *errp;
    if (doc.len == 0) {
        psr_json__locate(b, 0, PSR_JSON_E_EMPTY, e);
        return PSR_JSON_E_EMPTY;
    }
    const char *p = pj_skip_ws(pj_skip_bom(b, end), end);
    psr_json_code code;
    if (p == end) {
        code = PSR_JSON_E_EMPTY;
        errp = p;
    } else {
        code = pj_scan_value_dir(&p, end, 0, pj_dir_of(scan), &errp);
        if (code == PSR_JSON_OK) {
            p = pj_skip_ws(p, end);
            if (p == end)
                return PSR_JSON_OK;
            code = PSR_JSON_E_TRAILING;
            errp = p;
        }
    }
    psr_json__locate(b, (size_t)(errp - b), code, e);
    return code;
}

psr_json_code psr_json_validate(as_slice doc, psr_json_err *e)
{
    return psr_json_validate_scan(doc, PSR_JSON_SCAN_BEST, e);
}

/* ---- iteration ---- */

enum {
    IT_START = 0, /* before the document */
    IT_OBJ_FIRST, /* after the top-level '{' */
    IT_MEMBER,    /* at a key of the top-level object */
    IT_OBJ_AFTER, /* after a member value of the top-level object */
    IT_OBJ_END,   /* after the top-level '}' */
    IT_ARR_FIRST, /* after the '[' of the yielded array */
    IT_ELEM,      /* at an element */
    IT_ARR_AFTER, /* after an element */
    IT_ARR_END,   /* after the ']' */
    IT_TRAIL,     /* after the top-level value */
    IT_END,       /* done, cleanly */
    IT_ERROR,     /* done, with it->_err */
};

void psr_json_iter_init(psr_json_iter *it, as_slice doc, psr_json_scan scan)
{
    *it = (psr_json_iter){ 0 };
    if (doc.ptr == NULL)
        doc.ptr = ""; /* NULL + 0 is undefined */
    it->doc = doc;
    it->scan = scan;
    it->_line = 1;
    it->_state = IT_START;
}

static void pj_iter_yield(psr_json_iter *it, const char *start, const char *stop, psr_json_elem *out)
{
    const char *b = it->doc.ptr;
    size_t off = (size_t)(start - b);
    it->_line += pj_count_lf(b + it->_line_pos, start);
    it->_line_pos = off;
    out->raw = as_slice_from(start, stop);
    out->offset = off;
    out->line = it->_line;
    out->index = it->_index++;
}

psr_json_next psr_json_iter_next(psr_json_iter *it, psr_json_elem *out, psr_json_err *e)
{
    const char *b = it->doc.ptr, *end = b + it->doc.len, *p = b + it->_pos, *errp = p;
    pj_dir d = pj_dir_of(it->scan);
    psr_json_code code = PSR_JSON_OK;
    if (it->doc.len == 0 && it->_state == IT_START) {
        code = PSR_JSON_E_EMPTY;
        goto fail;
    }
    for (;;) {
        switch (it->_state) {
        case IT_START:
            p = pj_skip_ws(pj_skip_bom(p, end), end);
            if (p == end) {
                code = PSR_JSON_E_EMPTY;
                goto fail_at_p;
            }
            if (*p == '[') {
                it->shape = PSR_JSON_SHAPE_ARRAY;
                it->_state = IT_ARR_FIRST;
            } else if (*p == '{') {
                it->shape = PSR_JSON_SHAPE_OBJECT;
                it->_obj = (size_t)(p - b);
                it->_state = IT_OBJ_FIRST;
            } else {
                code = PSR_JSON_E_CONTAINER;
                goto fail_at_p;
            }
            p++;
            break;
        case IT_OBJ_FIRST:
            p = pj_skip_ws(p, end);
            if (p == end) {
                code = PSR_JSON_E_EOF;
                goto fail_at_p;
            }
            if (*p == '}') {
                p++;
                it->_state = IT_OBJ_END;
            } else {
                it->_state = IT_MEMBER;
            }
            break;
        case IT_MEMBER: {
            if (*p != '"') {
                code = PSR_JSON_E_KEY;
                goto fail_at_p;
            }
            const char *k = p;
            code = pj_vstring_dir(&p, end, d);
            if (code != PSR_JSON_OK)
                goto fail_at_p;
            int is_records = p - k == 9 && memcmp(k, "\"Records\"", 9) == 0;
            p = pj_skip_ws(p, end);
            if (p == end) {
                code = PSR_JSON_E_EOF;
                goto fail_at_p;
            }
            if (*p != ':') {
                code = PSR_JSON_E_COLON;
                goto fail_at_p;
            }
            p = pj_skip_ws(p + 1, end);
            if (is_records && p < end && *p == '[') {
                it->_records = 1;
                it->shape = PSR_JSON_SHAPE_RECORDS;
                it->_state = IT_ARR_FIRST;
                p++;
                break;
            }
            code = pj_scan_value_dir(&p, end, 1, d, &errp);
            if (code != PSR_JSON_OK)
                goto fail;
            it->_state = IT_OBJ_AFTER;
            break;
        }
        case IT_OBJ_AFTER:
            p = pj_skip_ws(p, end);
            if (p == end) {
                code = PSR_JSON_E_EOF;
                goto fail_at_p;
            }
            if (*p == ',') {
                p = pj_skip_ws(p + 1, end);
                if (p == end) {
                    code = PSR_JSON_E_EOF;
                    goto fail_at_p;
                }
                it->_state = IT_MEMBER;
            } else if (*p == '}') {
                p++;
                it->_state = IT_OBJ_END;
            } else {
                code = PSR_JSON_E_OBJECT;
                goto fail_at_p;
            }
            break;
        case IT_OBJ_END:
            it->_state = IT_TRAIL;
            if (!it->_records) {
                pj_iter_yield(it, b + it->_obj, p, out);
                it->_pos = (size_t)(p - b);
                return PSR_JSON_NEXT_ELEM;
            }
            break;
        case IT_ARR_FIRST:
            p = pj_skip_ws(p, end);
            if (p == end) {
                code = PSR_JSON_E_EOF;
                goto fail_at_p;
            }
            if (*p == ']') {
                p++;
                it->_state = IT_ARR_END;
            } else {
                it->_state = IT_ELEM;
            }
            break;
        case IT_ELEM: {
            p = pj_skip_ws(p, end);
            const char *start = p;
            code = pj_scan_value_dir(&p, end, it->_records ? 2 : 1, d, &errp);
            if (code != PSR_JSON_OK)
                goto fail;
            it->_state = IT_ARR_AFTER;
            pj_iter_yield(it, start, p, out);
            it->_pos = (size_t)(p - b);
            return PSR_JSON_NEXT_ELEM;
        }
        case IT_ARR_AFTER:
            p = pj_skip_ws(p, end);
            if (p == end) {
                code = PSR_JSON_E_EOF;
                goto fail_at_p;
            }
            if (*p == ',') {
                p++;
                it->_state = IT_ELEM;
            } else if (*p == ']') {
                p++;
                it->_state = IT_ARR_END;
            } else {
                code = PSR_JSON_E_ARRAY;
                goto fail_at_p;
            }
            break;
        case IT_ARR_END:
            it->_state = it->shape == PSR_JSON_SHAPE_ARRAY ? IT_TRAIL : IT_OBJ_AFTER;
            break;
        case IT_TRAIL:
            p = pj_skip_ws(p, end);
            if (p != end) {
                code = PSR_JSON_E_TRAILING;
                goto fail_at_p;
            }
            it->_state = IT_END;
            break;
        case IT_END:
            it->_pos = (size_t)(p - b);
            return PSR_JSON_NEXT_END;
        default: /* IT_ERROR */
            if (e != NULL)
                *e = it->_err;
            return PSR_JSON_NEXT_ERROR;
        }
    }
fail_at_p:
    errp = p;
fail:
    psr_json__locate(b, (size_t)(errp - b), code, &it->_err);
    it->_state = IT_ERROR;
    it->_pos = (size_t)(errp - b);
    if (e != NULL)
        *e = it->_err;
    return PSR_JSON_NEXT_ERROR;
}

/* ---- sniffing ---- */

/* p is at '{': is the first key "Records" with an array value? */
static int pj_first_key_is_records(const char *p, const char *end)
{
    p = pj_skip_ws(p + 1, end);
    if (end - p < 9 || memcmp(p, "\"Records\"", 9) != 0)
        return 0;
    p = pj_skip_ws(p + 9, end);
    if (p == end || *p != ':')
        return 0;
    p = pj_skip_ws(p + 1, end);
    return p < end && *p == '[';
}

psr_json_kind psr_json_sniff(as_slice head)
{
    if (head.len == 0 || head.ptr == NULL)
        return PSR_JSON_KIND_JSONL;
    const char *b = head.ptr, *end = b + head.len, *p = pj_skip_ws(pj_skip_bom(b, end), end);
    if (p == end)
        return PSR_JSON_KIND_JSONL;
    if (*p == '[')
        return PSR_JSON_KIND_ARRAY;
    if (*p != '{')
        return PSR_JSON_KIND_NOT_JSON;
    const char *start = p, *q = p, *errp;
    psr_json_code code = pj_scan_value_simd(&q, end, 0, &errp);
    if (code == PSR_JSON_OK && memchr(start, '\n', (size_t)(q - start)) == NULL) {
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < end && *q == '\n') {
            q = pj_skip_ws(q, end); /* blank lines */
            if (q < end && *q == '{')
                return PSR_JSON_KIND_JSONL;
        }
    }
    if (pj_first_key_is_records(start, end))
        return PSR_JSON_KIND_CLOUDTRAIL;
    if (code != PSR_JSON_OK && memchr(start, '\n', (size_t)(end - start)) == NULL)
        return PSR_JSON_KIND_JSONL;
    return PSR_JSON_KIND_DOCUMENT;
}

const char *psr_json_kind_name(psr_json_kind k)
{
    switch (k) {
    case PSR_JSON_KIND_JSONL:      return "jsonl";
    case PSR_JSON_KIND_CLOUDTRAIL: return "cloudtrail";
    case PSR_JSON_KIND_ARRAY:      return "array";
    case PSR_JSON_KIND_DOCUMENT:   return "document";
    default:                       return "not_json";
    }
}
