/* test_psr_json.c: unit tests for parsers/psr_json (validation, paths,
 * lookups, iteration, sniffing) and the real samples in tests/data/real/
 * (docs/domain.md 4.1, 4.6, 4.7, 4.9).
 *
 * Every table input runs through both scanners (SSE2 and portable) and, for
 * validation, lookups and iteration, once more from the end of a page followed
 * by a PROT_NONE page (tests/unit/guard.h), so an over-read faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/psr_json.h"
#include "tests/unit/guard.h"

#define REAL "tests/data/real/"

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The lines of a JSON Lines text (without their LF), at most cap. */
static size_t split_lines(const char *text, size_t len, as_slice *out, size_t cap)
{
    size_t n = 0;
    const char *p = text, *end = text + len;
    while (p < end && n < cap) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        out[n++] = as_slice_from(p, e);
        p = nl ? nl + 1 : end;
    }
    return n;
}

static as_slice S(const char *s)
{
    return as_slice_cstr(s);
}

static psr_json_path compile(const char *text, unsigned flags)
{
    psr_json_path p;
    psr_json_err e;
    psr_json_code c = psr_json_path_compile(&p, S(text), flags, &e);
    if (c != PSR_JSON_OK)
        fail_msg("path %s: %s at col %llu", text, psr_json_err_text(c), (unsigned long long)e.col);
    return p;
}

static int val_eq(const as_val *a, const as_val *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case AS_V_STR:
    case AS_V_JSON: return as_slice_eq(a->u.str, b->u.str);
    case AS_V_INT: return a->u.i == b->u.i;
    case AS_V_NUM: return memcmp(&a->u.num, &b->u.num, sizeof(double)) == 0;
    case AS_V_BOOL: return a->u.b == b->u.b;
    default: return 1;
    }
}

/* get through both scanners and from a guard page; all must agree. */
static as_code get_all_ways(as_slice doc, const psr_json_path *p, as_val *out, as_arena *ar)
{
    const psr_json_path *one[1] = { p };
    as_val v2, v3;
    as_code c1 = psr_json_get(doc, p, out, ar);
    as_code c2 = psr_json_get_many_scan(doc, one, 1, &v2, ar, PSR_JSON_SCAN_PORTABLE);
    assert_int_equal(c1, c2);
    assert_true(val_eq(out, &v2));
    guard g;
    assert_int_equal(guard_init(&g, doc.len), 0);
    const char *gp = guard_put(&g, doc.ptr, doc.len);
    assert_non_null(gp);
    as_code c3 = psr_json_get(as_slice_make(gp, doc.len), p, &v3, ar);
    assert_int_equal(c1, c3);
    assert_int_equal(out->type, v3.type);
    if (v3.type == AS_V_STR || v3.type == AS_V_JSON) /* slices point into the guard copy */
        assert_memory_equal(out->u.str.ptr, v3.u.str.ptr, v3.u.str.len);
    guard_fini(&g);
    return c1;
}

/* ---- validation ---- */

typedef struct vcase {
    const char   *in;
    size_t        len;   /* 0: strlen(in) */
    psr_json_code code;
    uint64_t      line, col;
} vcase;

static const vcase k_valid[] = {
    { "{}", 0, PSR_JSON_OK, 0, 0 },
    { "[]", 0, PSR_JSON_OK, 0, 0 },
    { "0", 0, PSR_JSON_OK, 0, 0 },
    { "-0", 0, PSR_JSON_OK, 0, 0 },
    { "-0.0e-0", 0, PSR_JSON_OK, 0, 0 },
    { "1.5E+10", 0, PSR_JSON_OK, 0, 0 },
    { "123456789012345678901234567890", 0, PSR_JSON_OK, 0, 0 },
    { "1e400", 0, PSR_JSON_OK, 0, 0 },
    { "\"\"", 0, PSR_JSON_OK, 0, 0 },
    { "true", 0, PSR_JSON_OK, 0, 0 },
    { "false", 0, PSR_JSON_OK, 0, 0 },
    { "null", 0, PSR_JSON_OK, 0, 0 },
    { " \t\r\n{\"a\":[1,2,{\"b\":null}],\"c\":{}} \r\n", 0, PSR_JSON_OK, 0, 0 },
    { "\xEF\xBB\xBF{}", 0, PSR_JSON_OK, 0, 0 },
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, PSR_JSON_OK, 0, 0 },
    { "\"\\u00e9\\u20AC\\uD83D\\uDE00\\u0000\"", 0, PSR_JSON_OK, 0, 0 },
    { "\"\\uDBFF\\uDFFF\"", 0, PSR_JSON_OK, 0, 0 },
    { "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 0, PSR_JSON_OK, 0, 0 },
    { "[[[[]]]]", 0, PSR_JSON_OK, 0, 0 },
    { "{\"a\":{\"b\":{\"c\":{\"d\":[true,false,null]}}}}", 0, PSR_JSON_OK, 0, 0 },
    { "[ 1 , 2 ]", 0, PSR_JSON_OK, 0, 0 },
    { "{ \"a\" : 1 , \"b\" : [ ] }", 0, PSR_JSON_OK, 0, 0 },
    { "\"a string longer than sixteen bytes, and longer than sixty-four bytes too, so that the wide scanner loops\"", 0, PSR_JSON_OK, 0, 0 },
    { "{\"k\":\"x\\\"y\\\\\",\"l\":\"}]\"}", 0, PSR_JSON_OK, 0, 0 },
};

static const vcase k_invalid[] = {
    { "", 0, PSR_JSON_E_EMPTY, 1, 1 },
    { "   ", 0, PSR_JSON_E_EMPTY, 1, 4 },
    { "\n\n", 0, PSR_JSON_E_EMPTY, 3, 1 },
    { "\xEF\xBB\xBF", 0, PSR_JSON_E_EMPTY, 1, 4 },
    { "{", 0, PSR_JSON_E_EOF, 1, 2 },
    { "[", 0, PSR_JSON_E_EOF, 1, 2 },
    { "{\"a\"", 0, PSR_JSON_E_EOF, 1, 5 },
    { "{\"a\":", 0, PSR_JSON_E_EOF, 1, 6 },
    { "{\"a\":1", 0, PSR_JSON_E_EOF, 1, 7 },
    { "[1,", 0, PSR_JSON_E_EOF, 1, 4 },
    { "{\"a\" 1}", 0, PSR_JSON_E_COLON, 1, 6 },
    { "{\"a\":1 \"b\":2}", 0, PSR_JSON_E_OBJECT, 1, 8 },
    { "{\"a\":[1,{\"b\":2]}", 0, PSR_JSON_E_OBJECT, 1, 15 },
    { "[1 2]", 0, PSR_JSON_E_ARRAY, 1, 4 },
    { "[1}", 0, PSR_JSON_E_ARRAY, 1, 3 },
    { "[1,]", 0, PSR_JSON_E_VALUE, 1, 4 },
    { "[,1]", 0, PSR_JSON_E_VALUE, 1, 2 },
    { "{\"a\":1,}", 0, PSR_JSON_E_KEY, 1, 8 },
    { "{a:1}", 0, PSR_JSON_E_KEY, 1, 2 },
    { "{\"a\":}", 0, PSR_JSON_E_VALUE, 1, 6 },
    { "\"abc", 0, PSR_JSON_E_STRING_EOF, 1, 1 },
    { "[\"a\\", 0, PSR_JSON_E_STRING_EOF, 1, 2 },
    { "\"a\x01" "b\"", 0, PSR_JSON_E_CONTROL, 1, 3 },
    { "\"a\tb\"", 0, PSR_JSON_E_CONTROL, 1, 3 },
    { "\"a\nb\"", 0, PSR_JSON_E_CONTROL, 1, 3 },
    { "\"a\0b\"", 5, PSR_JSON_E_CONTROL, 1, 3 },
    { "\"\\x\"", 0, PSR_JSON_E_ESCAPE, 1, 2 },
    { "\"\\U0041\"", 0, PSR_JSON_E_ESCAPE, 1, 2 },
    { "\"\\u12G4\"", 0, PSR_JSON_E_UNICODE, 1, 2 },
    { "\"\\u12\"", 0, PSR_JSON_E_UNICODE, 1, 2 },
    { "\"\\u12", 0, PSR_JSON_E_UNICODE, 1, 2 },
    { "\"\\uD800\"", 0, PSR_JSON_E_SURROGATE, 1, 2 },
    { "\"\\uDC00\"", 0, PSR_JSON_E_SURROGATE, 1, 2 },
    { "\"\\udfff\"", 0, PSR_JSON_E_SURROGATE, 1, 2 },
    { "\"ab\\uD800\\u0041\"", 0, PSR_JSON_E_SURROGATE, 1, 4 },
    { "\"\\uD800\\uD800\"", 0, PSR_JSON_E_SURROGATE, 1, 2 },
    { "\"\\uD83D\"", 0, PSR_JSON_E_SURROGATE, 1, 2 },
    { "\"\xff\"", 0, PSR_JSON_E_UTF8, 1, 2 },
    { "\"ab\xc0\xaf\"", 0, PSR_JSON_E_UTF8, 1, 4 },
    { "\"\xed\xa0\x80\"", 0, PSR_JSON_E_UTF8, 1, 2 },
    { "\"\xe2\x82\"", 0, PSR_JSON_E_UTF8, 1, 2 },
    { "\"\xf4\x90\x80\x80\"", 0, PSR_JSON_E_UTF8, 1, 2 },
    { "\"\x80\"", 0, PSR_JSON_E_UTF8, 1, 2 },
    { "\xff", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "\0", 1, PSR_JSON_E_VALUE, 1, 1 },
    { "[1]\0", 4, PSR_JSON_E_TRAILING, 1, 4 },
    { "01", 0, PSR_JSON_E_NUMBER, 1, 2 },
    { "-01", 0, PSR_JSON_E_NUMBER, 1, 3 },
    { "1.", 0, PSR_JSON_E_NUMBER, 1, 3 },
    { "1.e5", 0, PSR_JSON_E_NUMBER, 1, 3 },
    { ".5", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "-", 0, PSR_JSON_E_NUMBER, 1, 2 },
    { "-a", 0, PSR_JSON_E_NUMBER, 1, 2 },
    { "1e", 0, PSR_JSON_E_NUMBER, 1, 3 },
    { "1e+", 0, PSR_JSON_E_NUMBER, 1, 4 },
    { "+1", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "1.5.3", 0, PSR_JSON_E_NUMBER, 1, 4 },
    { "1e5e", 0, PSR_JSON_E_NUMBER, 1, 4 },
    { "0x10", 0, PSR_JSON_E_TRAILING, 1, 2 },
    { "[1-2]", 0, PSR_JSON_E_NUMBER, 1, 3 },
    { "tru", 0, PSR_JSON_E_LITERAL, 1, 4 },
    { "trux", 0, PSR_JSON_E_LITERAL, 1, 4 },
    { "truex", 0, PSR_JSON_E_LITERAL, 1, 5 },
    { "nul", 0, PSR_JSON_E_LITERAL, 1, 4 },
    { "[falsy]", 0, PSR_JSON_E_LITERAL, 1, 6 },
    { "NaN", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "Infinity", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "{} {}", 0, PSR_JSON_E_TRAILING, 1, 4 },
    { "[1]x", 0, PSR_JSON_E_TRAILING, 1, 4 },
    { "{\n  \"a\": 1,\n  \"b\" 2\n}", 0, PSR_JSON_E_COLON, 3, 7 },
    { "[\n1,\n2\n3]", 0, PSR_JSON_E_ARRAY, 4, 1 },
    { "[1,2]\n\n  x", 0, PSR_JSON_E_TRAILING, 3, 3 },
    { "\xEF\xBB\xBF \x01", 0, PSR_JSON_E_VALUE, 1, 5 },
    { "\xEF\xBB", 0, PSR_JSON_E_VALUE, 1, 1 },
    { "{\"Records\":[{\"a\":\"x\ny\"}]}", 0, PSR_JSON_E_CONTROL, 1, 20 },
};

static void check_validate(const vcase *c)
{
    size_t len = c->len ? c->len : strlen(c->in);
    as_slice doc = as_slice_make(c->in, len);
    guard g;
    assert_int_equal(guard_init(&g, len), 0);
    const char *gp = guard_put(&g, c->in, len);
    assert_true(gp != NULL);
    as_slice gdoc = as_slice_make(gp, len);
    const as_slice docs[2] = { doc, gdoc };
    for (int k = 0; k < 2; k++) {
        for (int s = 0; s < 2; s++) {
            psr_json_err e;
            psr_json_code code = psr_json_validate_scan(docs[k], s ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST, &e);
            if (code != c->code || (code != PSR_JSON_OK && (e.line != c->line || e.col != c->col)))
                fail_msg("input %zu bytes \"%.*s\" (scan %d): got %s at %llu:%llu, want %s at %llu:%llu", len,
                         (int)len, c->in, s, psr_json_err_text(code), (unsigned long long)e.line,
                         (unsigned long long)e.col, psr_json_err_text(c->code), (unsigned long long)c->line,
                         (unsigned long long)c->col);
            assert_int_equal(e.code, code);
            if (code != PSR_JSON_OK)
                assert_true(e.offset <= len);
        }
    }
    guard_fini(&g);
}

static void test_psr_json_validate_accepts(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_valid); i++)
        check_validate(&k_valid[i]);
    assert_int_equal(psr_json_validate(as_slice_make(NULL, 0), NULL), PSR_JSON_E_EMPTY);
}

static void test_psr_json_validate_rejects_with_location(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_invalid); i++)
        check_validate(&k_invalid[i]);
}

/* Every escape, alone and at each position around the 8- and 16-byte
 * scanner boundaries: the strings must validate and decode the same. */
static void test_psr_json_validate_escapes_at_every_offset(void **state)
{
    (void)state;
    static const char *const esc[] = { "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
                                       "\\u0041", "\\uD83D\\uDE00", "\xc3\xa9", "\xf0\x9f\x98\x80" };
    char doc[128];
    for (size_t k = 0; k < AS_ARRAY_LEN(esc); k++) {
        for (size_t pad = 0; pad < 40; pad++) {
            int n = snprintf(doc, sizeof doc, "\"%.*s%s%.*s\"", (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                             esc[k], (int)(40 - pad), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
            vcase c = { doc, (size_t)n, PSR_JSON_OK, 0, 0 };
            check_validate(&c);
            /* a raw control byte right after the escape is found at its column */
            n = snprintf(doc, sizeof doc, "\"%.*s%s\x1f\"", (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", esc[k]);
            vcase bad = { doc, (size_t)n, PSR_JSON_E_CONTROL, 1, (uint64_t)n - 1 };
            check_validate(&bad);
        }
    }
}

/* levels nested containers (kind 0: arrays, 1: objects {"a":...}, 2: both
 * alternating) around the value 1; *last_col gets the column of the
 * innermost opening bracket. */
static size_t build_nested(char *buf, int levels, int kind, uint64_t *last_col)
{
    size_t n = 0;
    for (int i = 0; i < levels; i++) {
        int obj = kind == 1 || (kind == 2 && i % 2 == 0);
        *last_col = n + 1;
        if (obj) {
            memcpy(buf + n, "{\"a\":", 5);
            n += 5;
        } else {
            buf[n++] = '[';
        }
    }
    buf[n++] = '1';
    for (int i = levels - 1; i >= 0; i--)
        buf[n++] = kind == 1 || (kind == 2 && i % 2 == 0) ? '}' : ']';
    return n;
}

static void test_psr_json_validate_depth_limit(void **state)
{
    (void)state;
    char *buf = malloc(8 * (PSR_JSON_MAX_DEPTH + 2));
    assert_non_null(buf);
    for (int kind = 0; kind < 3; kind++) {
        uint64_t col;
        size_t n = build_nested(buf, PSR_JSON_MAX_DEPTH, kind, &col);
        as_slice doc = as_slice_make(buf, n);
        for (int s = 0; s < 2; s++) {
            psr_json_scan scan = s ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST;
            assert_int_equal(psr_json_validate_scan(doc, scan, NULL), PSR_JSON_OK);
            psr_json_iter it;
            psr_json_elem el;
            psr_json_err e;
            psr_json_iter_init(&it, doc, scan);
            assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_ELEM);
            assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_END);
        }
        /* one level more: the innermost opening bracket is the error */
        n = build_nested(buf, PSR_JSON_MAX_DEPTH + 1, kind, &col);
        doc = as_slice_make(buf, n);
        for (int s = 0; s < 2; s++) {
            psr_json_scan scan = s ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST;
            psr_json_err e;
            assert_int_equal(psr_json_validate_scan(doc, scan, &e), PSR_JSON_E_DEPTH);
            assert_int_equal(e.line, 1);
            assert_int_equal(e.col, col);
            psr_json_iter it;
            psr_json_elem el;
            psr_json_err ie;
            psr_json_iter_init(&it, doc, scan);
            assert_int_equal(psr_json_iter_next(&it, &el, &ie), PSR_JSON_NEXT_ERROR);
            assert_int_equal(ie.code, PSR_JSON_E_DEPTH);
            assert_int_equal(ie.col, col);
        }
        /* lookups are not limited: they count brackets */
        psr_json_path p = compile(kind == 1 ? "a.a" : kind == 0 ? "[0][0]" : "a[0]", 0);
        as_val v;
        assert_int_equal(psr_json_get(doc, &p, &v, NULL), AS_OK);
        assert_int_equal(v.type, AS_V_JSON);
    }
    free(buf);
}

/* ---- strings: escapes and surrogates ---- */

typedef struct scase {
    const char *json;   /* a JSON string literal */
    const char *want;   /* decoded bytes */
    size_t      want_len;
    int         escaped;/* 1: decoded into the arena, 0: a slice of the document */
} scase;

static const scase k_strings[] = {
    { "\"plain\"", "plain", 5, 0 },
    { "\"\"", "", 0, 0 },
    { "\"\\\"\"", "\"", 1, 1 },
    { "\"\\\\\"", "\\", 1, 1 },
    { "\"\\/\"", "/", 1, 1 },
    { "\"\\b\"", "\b", 1, 1 },
    { "\"\\f\"", "\f", 1, 1 },
    { "\"\\n\"", "\n", 1, 1 },
    { "\"\\r\"", "\r", 1, 1 },
    { "\"\\t\"", "\t", 1, 1 },
    { "\"\\u0041\"", "A", 1, 1 },
    { "\"\\u00e9\"", "\xc3\xa9", 2, 1 },
    { "\"\\u07FF\"", "\xdf\xbf", 2, 1 },
    { "\"\\u0800\"", "\xe0\xa0\x80", 3, 1 },
    { "\"\\u20ac\"", "\xe2\x82\xac", 3, 1 },
    { "\"\\uFFFF\"", "\xef\xbf\xbf", 3, 1 },
    { "\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80", 4, 1 },
    { "\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80", 4, 1 },
    { "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4, 1 },
    { "\"\\u0000\"", "\0", 1, 1 },
    { "\"a\\u0026b\\u003dc\"", "a&b=c", 5, 1 },
    { "\"caf\\u00E9 \\\"ok\\\"\"", "caf\xc3\xa9 \"ok\"", 10, 1 },
    { "\"caf\xc3\xa9\"", "caf\xc3\xa9", 5, 0 },
    { "\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"", "{\"Version\":\"2012-10-17\"}", 24, 1 },
};

static void test_psr_json_get_decodes_every_escape(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("s", 0);
    char doc[256];
    for (size_t i = 0; i < AS_ARRAY_LEN(k_strings); i++) {
        const scase *c = &k_strings[i];
        int n = snprintf(doc, sizeof doc, "{\"s\":%s}", c->json);
        as_slice d = as_slice_make(doc, (size_t)n);
        assert_int_equal(psr_json_validate(d, NULL), PSR_JSON_OK);
        as_val v;
        assert_int_equal(get_all_ways(d, &p, &v, &ar), AS_OK);
        assert_int_equal(v.type, AS_V_STR);
        assert_int_equal(v.u.str.len, c->want_len);
        if (c->want_len)
            assert_memory_equal(v.u.str.ptr, c->want, c->want_len);
        int inside = v.u.str.ptr >= doc && v.u.str.ptr <= doc + n;
        assert_int_equal(inside, !c->escaped);
    }
    as_arena_fini(&ar);
}

static void test_psr_json_lone_surrogates_are_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = { "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800x\"", "\"\\uD800\\u0041\"",
                                       "\"\\uDBFF\\uDBFF\"", "\"\\uDE00\\uD83D\"", "\"\\uD800\\uDC0\"" };
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("s", 0);
    char doc[64];
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        psr_json_err e;
        int n = snprintf(doc, sizeof doc, "{\"s\":%s}", bad[i]);
        as_slice d = as_slice_make(doc, (size_t)n);
        psr_json_code code = psr_json_validate(d, &e);
        assert_true(code == PSR_JSON_E_SURROGATE || code == PSR_JSON_E_UNICODE);
        assert_int_equal(e.col, 7); /* the backslash of the first escape */
        as_val v;
        assert_int_equal(get_all_ways(d, &p, &v, &ar), AS_ERR_SYNTAX);
        assert_int_equal(v.type, AS_V_MISSING);
    }
    as_arena_fini(&ar);
}

/* ---- numbers ---- */

typedef struct ncase {
    const char *text;
    as_vtype    type;
    int64_t     i;     /* AS_V_INT */
    const char *num;   /* AS_V_NUM: compared with strtod of this text (C locale) */
} ncase;

static const ncase k_numbers[] = {
    { "0", AS_V_INT, 0, NULL },
    { "-0", AS_V_INT, 0, NULL },
    { "7", AS_V_INT, 7, NULL },
    { "-42", AS_V_INT, -42, NULL },
    { "1621305118553", AS_V_INT, 1621305118553, NULL },
    { "1621305118553.0", AS_V_NUM, 0, "1621305118553.0" },
    { "9223372036854775807", AS_V_INT, INT64_MAX, NULL },
    { "-9223372036854775808", AS_V_INT, INT64_MIN, NULL },
    { "9223372036854775808", AS_V_NUM, 0, "9223372036854775808" },
    { "-9223372036854775809", AS_V_NUM, 0, "-9223372036854775809" },
    { "18446744073709551616", AS_V_NUM, 0, "18446744073709551616" },
    { "10000000000000000000000", AS_V_NUM, 0, "1e22" },
    { "1e2", AS_V_NUM, 0, "100" },
    { "1E+2", AS_V_NUM, 0, "100" },
    { "1.5", AS_V_NUM, 0, "1.5" },
    { "-2.5e-3", AS_V_NUM, 0, "-2.5e-3" },
    { "0.1", AS_V_NUM, 0, "0.1" },
    { "37.7852", AS_V_NUM, 0, "37.7852" },
    { "-122.3874", AS_V_NUM, 0, "-122.3874" },
    { "0.000001", AS_V_NUM, 0, "1e-6" },
    { "123456789012345678901234567890", AS_V_NUM, 0, "123456789012345678901234567890" },
    { "3.141592653589793238462643383279", AS_V_NUM, 0, "3.141592653589793238462643383279" },
    { "2.2250738585072014e-308", AS_V_NUM, 0, "2.2250738585072014e-308" },
    { "4.9e-324", AS_V_NUM, 0, "4.9e-324" },
    { "1.7976931348623157e308", AS_V_NUM, 0, "1.7976931348623157e308" },
    { "9007199254740993", AS_V_INT, 9007199254740993, NULL },
    { "9007199254740993.0", AS_V_NUM, 0, "9007199254740993.0" },
    { "1e23", AS_V_NUM, 0, "1e23" },
    { "1e400", AS_V_NUM, 0, "1e400" },
    { "-1e400", AS_V_NUM, 0, "-1e400" },
    { "1e-400", AS_V_NUM, 0, "1e-400" },
    { "0e0", AS_V_NUM, 0, "0" },
    { "-0.0", AS_V_NUM, 0, "-0.0" },
    { "1E00000000000000000000000002", AS_V_NUM, 0, "100" },
    { "0.00000000000000000000000000000000000000000000000000000000000000000001", AS_V_NUM, 0, "1e-68" },
};

static void test_psr_json_numbers_exact(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("[0]", 0);
    char doc[128];
    for (size_t i = 0; i < AS_ARRAY_LEN(k_numbers); i++) {
        const ncase *c = &k_numbers[i];
        int n = snprintf(doc, sizeof doc, "[%s]", c->text);
        as_slice d = as_slice_make(doc, (size_t)n);
        assert_int_equal(psr_json_validate(d, NULL), PSR_JSON_OK);
        as_val v;
        assert_int_equal(get_all_ways(d, &p, &v, &ar), AS_OK);
        if (v.type != c->type)
            fail_msg("%s: type %d, want %d", c->text, v.type, c->type);
        if (c->type == AS_V_INT) {
            assert_true(v.u.i == c->i);
        } else {
            double want = strtod(c->num, NULL);
            if (memcmp(&want, &v.u.num, sizeof want) != 0)
                fail_msg("%s: got %.17g, want %.17g", c->text, v.u.num, want);
        }
    }
    as_arena_fini(&ar);
}

static void test_psr_json_numbers_bad_grammar(void **state)
{
    (void)state;
    static const char *const bad[] = { "01", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "1.5.3", "0x1", "1ee2", "-.5" };
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("n", 0);
    char doc[64];
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        int n = snprintf(doc, sizeof doc, "{\"n\":%s}", bad[i]);
        as_slice d = as_slice_make(doc, (size_t)n);
        assert_int_not_equal(psr_json_validate(d, NULL), PSR_JSON_OK);
        as_val v;
        assert_int_equal(get_all_ways(d, &p, &v, &ar), AS_ERR_SYNTAX);
        assert_int_equal(v.type, AS_V_MISSING);
    }
    as_arena_fini(&ar);
}

/* ---- paths ---- */

typedef struct pcase {
    const char   *path;
    psr_json_code code;
    uint64_t      col;     /* error column */
    unsigned      n_segs;  /* when valid */
} pcase;

static const pcase k_paths[] = {
    { "actor.alternateId", PSR_JSON_OK, 0, 2 },
    { "target[0].type", PSR_JSON_OK, 0, 3 },
    { "[\"@timestamp\"]", PSR_JSON_OK, 0, 1 },
    { "requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp", PSR_JSON_OK, 0, 8 },
    { "a[\"b.c\"][2]", PSR_JSON_OK, 0, 3 },
    { "a[\"x\\\"y\\\\\"]", PSR_JSON_OK, 0, 2 },
    { "[0].eventName", PSR_JSON_OK, 0, 2 },
    { "[\"\"]", PSR_JSON_OK, 0, 1 },
    { "a[0][1][2]", PSR_JSON_OK, 0, 4 },
    { "@timestamp", PSR_JSON_OK, 0, 1 },
    { "user name.x y", PSR_JSON_OK, 0, 2 },
    { "", PSR_JSON_E_PATH_EMPTY, 1, 0 },
    { "a..b", PSR_JSON_E_PATH_KEY, 3, 0 },
    { ".a", PSR_JSON_E_PATH_KEY, 1, 0 },
    { "a.", PSR_JSON_E_PATH_KEY, 3, 0 },
    { "a.[0]", PSR_JSON_E_PATH_KEY, 3, 0 },
    { "a[", PSR_JSON_E_PATH_OPEN, 3, 0 },
    { "a[x]", PSR_JSON_E_PATH_OPEN, 3, 0 },
    { "a[-1]", PSR_JSON_E_PATH_OPEN, 3, 0 },
    { "a[1", PSR_JSON_E_PATH_CLOSE, 4, 0 },
    { "a[1x]", PSR_JSON_E_PATH_CLOSE, 4, 0 },
    { "a[\"b\"x]", PSR_JSON_E_PATH_CLOSE, 6, 0 },
    { "a[\"b", PSR_JSON_E_PATH_QUOTE, 3, 0 },
    { "a[\"b\\", PSR_JSON_E_PATH_QUOTE, 3, 0 },
    { "a[\"b\\n\"]", PSR_JSON_E_PATH_ESCAPE, 5, 0 },
    { "a[1]b", PSR_JSON_E_PATH_AFTER, 5, 0 },
    { "a]", PSR_JSON_E_PATH_CHAR, 2, 0 },
    { "a[4294967296]", PSR_JSON_E_PATH_INDEX, 3, 0 },
    { "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", PSR_JSON_E_PATH_LONG, 33, 0 },
};

static void test_psr_json_path_compile_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_paths); i++) {
        const pcase *c = &k_paths[i];
        psr_json_path p;
        psr_json_err e;
        psr_json_code code = psr_json_path_compile(&p, S(c->path), 0, &e);
        if (code != c->code || (code != PSR_JSON_OK && e.col != c->col))
            fail_msg("path '%s': got %s col %llu, want %s col %llu", c->path, psr_json_err_text(code),
                     (unsigned long long)e.col, psr_json_err_text(c->code), (unsigned long long)c->col);
        if (code == PSR_JSON_OK)
            assert_int_equal(p.n_segs, c->n_segs);
        else
            assert_int_equal(e.line, 1);
    }
    /* 16 segments fit, 256 bytes of keys fit, one more byte does not */
    psr_json_path p;
    assert_int_equal(psr_json_path_compile(&p, S("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p"), 0, NULL), PSR_JSON_OK);
    assert_int_equal(p.n_segs, 16);
    char big[300];
    memset(big, 'k', sizeof big);
    assert_int_equal(psr_json_path_compile(&p, as_slice_make(big, 256), 0, NULL), PSR_JSON_OK);
    psr_json_err e;
    assert_int_equal(psr_json_path_compile(&p, as_slice_make(big, 257), 0, &e), PSR_JSON_E_PATH_LONG);
    assert_int_equal(e.col, 257);
    /* the decoded quoted key */
    assert_int_equal(psr_json_path_compile(&p, S("a[\"x\\\"y\\\\\"]"), 0, NULL), PSR_JSON_OK);
    assert_int_equal(p.segs[1].key_len, 4);
    assert_memory_equal(p.keys + p.segs[1].key_off, "x\"y\\", 4);
}

/* ---- lookups ---- */

static const char k_doc[] =
    "{\"actor\":{\"alternateId\":\"a@example.com\",\"displayName\":\"A \\\"Q\\\" B\"},\n"
    " \"target\":[{\"type\":\"User\",\"id\":1},{\"type\":\"AppInstance\",\"id\":2,\"tags\":[\"x\",\"y\"]}],\n"
    " \"@timestamp\":\"2020-09-14T00:44:23.000Z\",\n"
    " \"a.b\":{\"c\":true},\n"
    " \"n\":null, \"t\":true, \"f\":false, \"i\":-42, \"x\":1.25, \"big\":1621305118553, \"bigf\":1621305118553.0,\n"
    " \"obj\":{\"k\":[1,2,{\"z\":\"]\"}]}, \"arr\":[], \"emp\":{},\n"
    " \"requestParameters\":{\"ipPermissions\":{\"items\":[{\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}},\n"
    " \"esc\\u0041key\":\"decoded-key\", \"\":\"empty-key\", \"sp ace\" : [ 10 , 20 ] }";

typedef struct gcase {
    const char *path;
    as_vtype    type;
    const char *str;  /* AS_V_STR, AS_V_JSON */
    int64_t     i;    /* AS_V_INT, AS_V_BOOL */
    double      num;  /* AS_V_NUM */
} gcase;

static const gcase k_gets[] = {
    { "actor.alternateId", AS_V_STR, "a@example.com", 0, 0 },
    { "actor.displayName", AS_V_STR, "A \"Q\" B", 0, 0 },
    { "target[0].type", AS_V_STR, "User", 0, 0 },
    { "target[1].type", AS_V_STR, "AppInstance", 0, 0 },
    { "target[1].id", AS_V_INT, NULL, 2, 0 },
    { "target[1].tags[1]", AS_V_STR, "y", 0, 0 },
    { "target[1].tags", AS_V_JSON, "[\"x\",\"y\"]", 0, 0 },
    { "target[2].type", AS_V_MISSING, NULL, 0, 0 },
    { "target[1].tags[5]", AS_V_MISSING, NULL, 0, 0 },
    { "[\"@timestamp\"]", AS_V_STR, "2020-09-14T00:44:23.000Z", 0, 0 },
    { "@timestamp", AS_V_STR, "2020-09-14T00:44:23.000Z", 0, 0 },
    { "[\"a.b\"].c", AS_V_BOOL, NULL, 1, 0 },
    { "a.b.c", AS_V_MISSING, NULL, 0, 0 },
    { "n", AS_V_NULL, NULL, 0, 0 },
    { "t", AS_V_BOOL, NULL, 1, 0 },
    { "f", AS_V_BOOL, NULL, 0, 0 },
    { "i", AS_V_INT, NULL, -42, 0 },
    { "x", AS_V_NUM, NULL, 0, 1.25 },
    { "big", AS_V_INT, NULL, 1621305118553, 0 },
    { "bigf", AS_V_NUM, NULL, 0, 1621305118553.0 },
    { "obj", AS_V_JSON, "{\"k\":[1,2,{\"z\":\"]\"}]}", 0, 0 },
    { "obj.k", AS_V_JSON, "[1,2,{\"z\":\"]\"}]", 0, 0 },
    { "obj.k[2].z", AS_V_STR, "]", 0, 0 },
    { "obj.k[0]", AS_V_INT, NULL, 1, 0 },
    { "arr", AS_V_JSON, "[]", 0, 0 },
    { "emp", AS_V_JSON, "{}", 0, 0 },
    { "requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp", AS_V_STR, "0.0.0.0/0", 0, 0 },
    { "escAkey", AS_V_STR, "decoded-key", 0, 0 },
    { "[\"\"]", AS_V_STR, "empty-key", 0, 0 },
    { "sp ace[1]", AS_V_INT, NULL, 20, 0 },
    { "actor[0]", AS_V_MISSING, NULL, 0, 0 },
    { "target.type", AS_V_MISSING, NULL, 0, 0 },
    { "i.x", AS_V_MISSING, NULL, 0, 0 },
    { "i[0]", AS_V_MISSING, NULL, 0, 0 },
    { "nope", AS_V_MISSING, NULL, 0, 0 },
    { "actor.alternateId.x", AS_V_MISSING, NULL, 0, 0 },
    { "[0]", AS_V_MISSING, NULL, 0, 0 },
    { "Actor.alternateId", AS_V_MISSING, NULL, 0, 0 },
};

static void check_get(as_slice doc, const gcase *c, unsigned flags, as_arena *ar)
{
    psr_json_path p = compile(c->path, flags);
    as_val v;
    assert_int_equal(get_all_ways(doc, &p, &v, ar), AS_OK);
    if (v.type != c->type)
        fail_msg("path %s: type %d, want %d", c->path, v.type, c->type);
    switch (c->type) {
    case AS_V_STR:
    case AS_V_JSON:
        if (!as_slice_eq_cstr(v.u.str, c->str))
            fail_msg("path %s: got '%.*s', want '%s'", c->path, (int)v.u.str.len, v.u.str.ptr, c->str);
        break;
    case AS_V_INT: assert_true(v.u.i == c->i); break;
    case AS_V_BOOL: assert_int_equal(v.u.b, c->i); break;
    case AS_V_NUM: assert_true(v.u.num == c->num); break;
    default: break;
    }
}

static void test_psr_json_get_table(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice doc = as_slice_make(k_doc, sizeof k_doc - 1);
    assert_int_equal(psr_json_validate(doc, NULL), PSR_JSON_OK);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_gets); i++)
        check_get(doc, &k_gets[i], 0, &ar);
    /* raw object slices point into the document */
    psr_json_path p = compile("obj", 0);
    as_val v;
    assert_int_equal(psr_json_get(doc, &p, &v, &ar), AS_OK);
    assert_ptr_equal(v.u.str.ptr, strstr(k_doc, "{\"k\""));
    /* a top-level array */
    static const char arr[] = " [ {\"a\":1} , {\"a\":2,\"b\":[3]} ] ";
    static const gcase k_arr[] = {
        { "[1].a", AS_V_INT, NULL, 2, 0 }, { "[1].b[0]", AS_V_INT, NULL, 3, 0 },
        { "[0]", AS_V_JSON, "{\"a\":1}", 0, 0 }, { "[2]", AS_V_MISSING, NULL, 0, 0 },
        { "a", AS_V_MISSING, NULL, 0, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_arr); i++)
        check_get(as_slice_make(arr, sizeof arr - 1), &k_arr[i], 0, &ar);
    as_arena_fini(&ar);
}

static void test_psr_json_get_root_every_kind(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    static const struct { const char *doc; as_vtype type; const char *str; int64_t i; } k[] = {
        { " \"a\\u0041\" ", AS_V_STR, "aA", 0 },   { "\"plain\"", AS_V_STR, "plain", 0 },
        { "-42", AS_V_INT, NULL, -42 },               { "true", AS_V_BOOL, NULL, 1 },
        { "false", AS_V_BOOL, NULL, 0 },              { "null", AS_V_NULL, NULL, 0 },
        { " [1, {\"a\":2}] ", AS_V_JSON, "[1, {\"a\":2}]", 0 },
        { "{\"k\":\"}\"}", AS_V_JSON, "{\"k\":\"}\"}", 0 },
        { "\xEF\xBB\xBF" "7", AS_V_INT, NULL, 7 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        as_val v;
        assert_int_equal(psr_json_get_root(as_slice_cstr(k[i].doc), &v, &ar), AS_OK);
        assert_int_equal(v.type, k[i].type);
        if (k[i].str)
            assert_true(as_slice_eq_cstr(v.u.str, k[i].str));
        else if (v.type == AS_V_INT)
            assert_true(v.u.i == k[i].i);
        else if (v.type == AS_V_BOOL)
            assert_int_equal(v.u.b, (int)k[i].i);
    }
    static const char *const bad[] = { "", "   ", "[1,", "\"open", "tru", "}" };
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        as_val v;
        assert_int_equal(psr_json_get_root(as_slice_cstr(bad[i]), &v, &ar), AS_ERR_SYNTAX);
        assert_int_equal(v.type, AS_V_MISSING);
    }
    as_val v;
    assert_int_equal(psr_json_get_root(as_slice_cstr("\"a\\n\""), &v, NULL), AS_ERR_NOMEM);
    as_arena_fini(&ar);
}

static void test_psr_json_get_duplicate_keys_last_wins(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    static const struct { const char *doc; gcase c; } k_dup[] = {
        { "{\"a\":1,\"a\":2}", { "a", AS_V_INT, NULL, 2, 0 } },
        { "{\"a\":{\"b\":1},\"a\":{\"c\":2}}", { "a.b", AS_V_MISSING, NULL, 0, 0 } },
        { "{\"a\":{\"b\":1},\"a\":{\"c\":2}}", { "a.c", AS_V_INT, NULL, 2, 0 } },
        { "{\"a\":{\"b\":1},\"a\":3}", { "a.b", AS_V_MISSING, NULL, 0, 0 } },
        { "{\"a\":{\"b\":1,\"b\":5},\"x\":0}", { "a.b", AS_V_INT, NULL, 5, 0 } },
        { "{\"a\":[1,2],\"a\":[7]}", { "a[0]", AS_V_INT, NULL, 7, 0 } },
        { "{\"a\":[1,2],\"a\":[7]}", { "a[1]", AS_V_MISSING, NULL, 0, 0 } },
        { "{\"a\":\"x\",\"\\u0061\":\"y\"}", { "a", AS_V_STR, "y", 0, 0 } },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_dup); i++)
        check_get(S(k_dup[i].doc), &k_dup[i].c, 0, &ar);
    as_arena_fini(&ar);
}

static void test_psr_json_get_case_insensitive(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    static const char doc[] = "{\"eventtype\":\"user.session.start\",\"Outcome\":{\"RESULT\":\"FAILURE\"},"
                              "\"authenticationcontext\":{\"externalSessionId\":\"102abc\"},\"\\u0045VENT\":1}";
    as_slice d = as_slice_make(doc, sizeof doc - 1);
    static const gcase icase[] = {
        { "eventType", AS_V_STR, "user.session.start", 0, 0 },
        { "outcome.result", AS_V_STR, "FAILURE", 0, 0 },
        { "authenticationContext.externalSessionId", AS_V_STR, "102abc", 0, 0 },
        { "event", AS_V_INT, NULL, 1, 0 },
        { "[\"OUTCOME\"][\"Result\"]", AS_V_STR, "FAILURE", 0, 0 },
    };
    static const gcase exact[] = {
        { "eventType", AS_V_MISSING, NULL, 0, 0 },
        { "outcome.result", AS_V_MISSING, NULL, 0, 0 },
        { "EVENT", AS_V_INT, NULL, 1, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(icase); i++)
        check_get(d, &icase[i], PSR_JSON_PATH_ICASE, &ar);
    for (size_t i = 0; i < AS_ARRAY_LEN(exact); i++)
        check_get(d, &exact[i], 0, &ar);
    as_arena_fini(&ar);
}

static void test_psr_json_get_syntax_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "   ", "{\"a\":", "{\"a\":tru}", "{\"a\":\"x", "{\"b\":[1,2", "{\"a\":01}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\uD800\"}", "{\"b\":1 \"a\":2}", "{\"b\":@,\"a\":1}", "{\"b\":\"x\\", "{\"b\" 1}", "{b:1}",
        "{\"b\":{\"c\":\"}\"", "{\"a\":nul}", "{\"b\":1,}",
    };
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("a", 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        as_val v;
        if (get_all_ways(S(bad[i]), &p, &v, &ar) != AS_ERR_SYNTAX)
            fail_msg("'%s' should be a syntax error", bad[i]);
        assert_int_equal(v.type, AS_V_MISSING);
    }
    /* lookups skip what is off the path without validating it (documented) */
    static const gcase lenient = { "a", AS_V_INT, NULL, 1, 0 };
    check_get(S("{\"b\":[1 2],\"a\":1}"), &lenient, 0, &ar);
    check_get(S("{\"b\":{\"x\" 1 2},\"a\":1} trailing"), &lenient, 0, &ar);
    /* bracket kinds are not matched while skipping: '{]' closes */
    static const gcase unmatched = { "a", AS_V_MISSING, NULL, 0, 0 };
    check_get(S("{\"b\":{]},\"a\":1}"), &unmatched, 0, &ar);
    /* usage errors */
    as_val out[PSR_JSON_MANY_MAX + 1];
    const psr_json_path *many[PSR_JSON_MANY_MAX + 1];
    for (size_t i = 0; i < AS_ARRAY_LEN(many); i++)
        many[i] = &p;
    assert_int_equal(psr_json_get_many(S("{}"), many, PSR_JSON_MANY_MAX + 1, out, &ar), AS_ERR_USAGE);
    assert_int_equal(psr_json_get_many(S("{\"a\":3}"), many, PSR_JSON_MANY_MAX, out, &ar), AS_OK);
    for (size_t i = 0; i < PSR_JSON_MANY_MAX; i++)
        assert_true(out[i].type == AS_V_INT && out[i].u.i == 3);
    assert_int_equal(psr_json_get_many(S("{}"), many, 0, out, &ar), AS_OK);
    psr_json_path empty;
    memset(&empty, 0, sizeof empty);
    const psr_json_path *pe[1] = { &empty };
    assert_int_equal(psr_json_get_many(S("{}"), pe, 1, out, &ar), AS_ERR_USAGE);
    as_arena_fini(&ar);
}

/* get_many must equal separate gets, with both scanners, on varied documents. */
static void check_many_vs_get(as_slice doc, const char *const *paths, size_t n, unsigned flags, as_arena *ar)
{
    psr_json_path comp[32];
    const psr_json_path *pp[32];
    assert_true(n <= 32);
    for (size_t i = 0; i < n; i++) {
        comp[i] = compile(paths[i], flags);
        pp[i] = &comp[i];
    }
    as_val many[32], many2[32];
    as_code c = psr_json_get_many(doc, pp, n, many, ar);
    as_code c2 = psr_json_get_many_scan(doc, pp, n, many2, ar, PSR_JSON_SCAN_PORTABLE);
    assert_int_equal(c, c2);
    for (size_t i = 0; i < n; i++) {
        as_val one;
        as_code c1 = psr_json_get(doc, pp[i], &one, ar);
        if (c == AS_OK)
            assert_int_equal(c1, AS_OK);
        if (c1 == AS_OK && c == AS_OK) {
            if (!val_eq(&one, &many[i]))
                fail_msg("path %s: get and get_many disagree", paths[i]);
            assert_true(val_eq(&one, &many2[i]));
        }
    }
}

static const char *const k_many_paths[] = {
    "actor.alternateId", "actor.displayName", "actor", "target[0].type", "target[1].tags[0]", "target[1]",
    "target", "[\"@timestamp\"]", "n", "x", "big", "bigf", "obj.k[2].z", "obj.k", "obj", "escAkey",
    "requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp", "nope", "target[9]", "eventName",
    "Records[0].eventName", "Records[1].eventTime", "Records", "userIdentity.type", "outcome.result",
    "additionalEventData.MFAUsed", "a", "a.b", "a[0]",
};

static void test_psr_json_get_many_agrees_with_get(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    check_many_vs_get(as_slice_make(k_doc, sizeof k_doc - 1), k_many_paths, AS_ARRAY_LEN(k_many_paths), 0, &ar);
    check_many_vs_get(as_slice_make(k_doc, sizeof k_doc - 1), k_many_paths, AS_ARRAY_LEN(k_many_paths),
                      PSR_JSON_PATH_ICASE, &ar);
    static const char *const docs[] = {
        "{\"a\":{\"b\":1},\"a\":[5,{\"b\":2}]}", "[1,[2],{\"a\":3}]", "{\"Records\":[{\"eventName\":\"X\"},{\"eventTime\":\"T\"}]}",
        "{\"a\":\"\\u00e9\",\"a\":null}", "{}", "[]", "\"str\"", "42",
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(docs); i++)
        check_many_vs_get(S(docs[i]), k_many_paths, AS_ARRAY_LEN(k_many_paths), 0, &ar);
    static const char *const real[] = {
        REAL "aws-cloudtrail-docs/log-file-example-08-valid.json",
        REAL "zmallen-cloudtrail2sightings/aws.credential-access.secretsmanager-retrieve-secrets.json",
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(real); i++) {
        size_t len;
        char *text = slurp(real[i], &len);
        check_many_vs_get(as_slice_make(text, len), k_many_paths, AS_ARRAY_LEN(k_many_paths), 0, &ar);
        free(text);
    }
    as_arena_fini(&ar);
}

static void test_psr_json_get_out_of_memory(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path p = compile("s", 0), q = compile("n", 0);
    as_alloc_fail_after(1);
    as_val v;
    assert_int_equal(psr_json_get(S("{\"s\":\"a\\nb\"}"), &p, &v, &ar), AS_ERR_NOMEM);
    assert_int_equal(v.type, AS_V_MISSING);
    /* a plain string needs no memory */
    assert_int_equal(psr_json_get(S("{\"s\":\"ab\"}"), &p, &v, &ar), AS_OK);
    /* nor does a short number, but a 70-digit one goes through the arena */
    assert_int_equal(psr_json_get(S("{\"n\":1.5}"), &q, &v, &ar), AS_OK);
    assert_int_equal(psr_json_get(S("{\"n\":1.0000000000000000000000000000000000000000000000000000000000000000000001}"),
                                  &q, &v, &ar), AS_ERR_NOMEM);
    as_alloc_fail_after(0);
    assert_int_equal(psr_json_get(S("{\"s\":\"a\\nb\"}"), &p, &v, &ar), AS_OK);
    assert_true(as_slice_eq_cstr(v.u.str, "a\nb"));
    /* without an arena, escaped strings cannot be returned */
    assert_int_equal(psr_json_get(S("{\"s\":\"a\\nb\"}"), &p, &v, NULL), AS_ERR_NOMEM);
    as_arena_fini(&ar);
}

/* Random documents (seeded): containers with strings full of brackets,
 * quotes and backslash runs, crossing the 64-byte blocks of the skipper at
 * every offset. Raw values returned by get must be exactly the generated
 * text; both scanners and the iterator must agree. */
typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void gen_value(rng *r, char *buf, size_t *n, size_t cap, int depth)
{
#define PUT(c) do { if (*n < cap) buf[(*n)++] = (c); } while (0)
    unsigned kind = (unsigned)(rng_next(r) % (depth > 5 ? 3 : 6));
    switch (kind) {
    case 0: { /* string with tricky bytes */
        static const char *const parts[] = { "{", "}", "[", "]", "\\\"", "\\\\", "\\\\\\\"", ",", ":", "a", "bb",
                                             "\\u00e9", "\\n", " ", "xxxxxxxxxxxxxxxxxxxx", "\\\\\\\\" };
        PUT('"');
        unsigned np = (unsigned)(rng_next(r) % 24);
        for (unsigned i = 0; i < np; i++) {
            const char *s = parts[rng_next(r) % AS_ARRAY_LEN(parts)];
            while (*s)
                PUT(*s++);
        }
        PUT('"');
        break;
    }
    case 1: {
        char num[32];
        int k = snprintf(num, sizeof num, "%lld", (long long)(rng_next(r) % 2000000) - 1000000);
        for (int i = 0; i < k; i++)
            PUT(num[i]);
        break;
    }
    case 2: {
        static const char *const lit[] = { "true", "false", "null", "1.5e3", "-0.25" };
        const char *s = lit[rng_next(r) % 5];
        while (*s)
            PUT(*s++);
        break;
    }
    case 3: case 4: { /* object */
        PUT('{');
        unsigned m = (unsigned)(rng_next(r) % 5);
        for (unsigned i = 0; i < m; i++) {
            if (i)
                PUT(',');
            if (rng_next(r) % 4 == 0)
                PUT(' ');
            char key[16];
            int k = snprintf(key, sizeof key, "\"k%u\":", (unsigned)(rng_next(r) % 4));
            for (int j = 0; j < k; j++)
                PUT(key[j]);
            gen_value(r, buf, n, cap, depth + 1);
        }
        PUT('}');
        break;
    }
    default: { /* array */
        PUT('[');
        unsigned m = (unsigned)(rng_next(r) % 5);
        for (unsigned i = 0; i < m; i++) {
            if (i)
                PUT(',');
            if (rng_next(r) % 4 == 0)
                PUT('\n');
            gen_value(r, buf, n, cap, depth + 1);
        }
        PUT(']');
        break;
    }
    }
#undef PUT
}

static void test_psr_json_random_documents_round_trip(void **state)
{
    (void)state;
    enum { N_DOCS = 400, N_VALS = 6, CAP = 1 << 16 };
    char *doc = malloc(CAP), *vals = malloc(CAP);
    assert_non_null(doc);
    assert_non_null(vals);
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_json_path paths[N_VALS];
    const psr_json_path *pp[N_VALS];
    char name[16];
    for (int i = 0; i < N_VALS; i++) {
        snprintf(name, sizeof name, "v%d", i);
        paths[i] = compile(name, 0);
        pp[i] = &paths[i];
    }
    rng r = { 42 };
    for (int d = 0; d < N_DOCS; d++) {
        size_t n = 0, voff[N_VALS], vlen[N_VALS];
        doc[n++] = '{';
        for (int i = 0; i < N_VALS; i++) {
            n += (size_t)snprintf(doc + n, CAP - n, "%s\"v%d\":", i ? "," : "", i);
            size_t start = n;
            /* pad with spaces so that values start at every offset mod 64 */
            unsigned pad = (unsigned)(rng_next(&r) % 64);
            for (unsigned k = 0; k < pad; k++)
                doc[n++] = ' ';
            start = n;
            gen_value(&r, doc, &n, CAP - 16, 0);
            voff[i] = start;
            vlen[i] = n - start;
        }
        doc[n++] = '}';
        as_slice s = as_slice_make(doc, n);
        psr_json_err e;
        if (psr_json_validate(s, &e) != PSR_JSON_OK)
            fail_msg("doc %d invalid at %llu: %s", d, (unsigned long long)e.col, psr_json_err_text(e.code));
        assert_int_equal(psr_json_validate_scan(s, PSR_JSON_SCAN_PORTABLE, NULL), PSR_JSON_OK);
        as_val v[N_VALS], w[N_VALS];
        assert_int_equal(psr_json_get_many(s, pp, N_VALS, v, &ar), AS_OK);
        assert_int_equal(psr_json_get_many_scan(s, pp, N_VALS, w, &ar, PSR_JSON_SCAN_PORTABLE), AS_OK);
        for (int i = 0; i < N_VALS; i++) {
            assert_true(val_eq(&v[i], &w[i]));
            char c = doc[voff[i]];
            if (c == '{' || c == '[') {
                assert_int_equal(v[i].type, AS_V_JSON);
                assert_ptr_equal(v[i].u.str.ptr, doc + voff[i]);
                assert_int_equal(v[i].u.str.len, vlen[i]);
            }
        }
        /* the same values as a top-level array: the iterator yields each one */
        size_t m = 0;
        vals[m++] = '[';
        for (int i = 0; i < N_VALS; i++) {
            if (i)
                vals[m++] = ',';
            memcpy(vals + m, doc + voff[i], vlen[i]);
            m += vlen[i];
        }
        vals[m++] = ']';
        for (int sc = 0; sc < 2; sc++) {
            psr_json_iter it;
            psr_json_elem el;
            psr_json_iter_init(&it, as_slice_make(vals, m), sc ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST);
            for (int i = 0; i < N_VALS; i++) {
                assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_ELEM);
                assert_int_equal(el.raw.len, vlen[i]);
                assert_memory_equal(el.raw.ptr, doc + voff[i], vlen[i]);
                assert_int_equal(el.index, (uint64_t)i);
            }
            assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_END);
        }
        as_arena_reset(&ar);
    }
    as_arena_fini(&ar);
    free(doc);
    free(vals);
}

/* ---- iteration ---- */

typedef struct ielem {
    uint64_t    line, col;  /* of the element's first byte */
    const char *raw;
} ielem;

typedef struct icase {
    const char    *doc;
    psr_json_shape shape;
    ielem          elems[4];
    size_t         n;
    psr_json_code  err;       /* PSR_JSON_OK: ends cleanly */
    uint64_t       eline, ecol;
} icase;

static const icase k_iters[] = {
    { "{\"Records\":[{\"a\":1},{\"b\":2}]}", PSR_JSON_SHAPE_RECORDS,
      { { 1, 13, "{\"a\":1}" }, { 1, 21, "{\"b\":2}" } }, 2, PSR_JSON_OK, 0, 0 },
    { "{\n  \"version\": \"1.0\",\n  \"Records\": [\n    {\n      \"a\": 1\n    },\n    {\"b\": [1, \"]\"]}\n  ],\n"
      "  \"digest\": {\"x\": \"]\"}\n}\n",
      PSR_JSON_SHAPE_RECORDS, { { 4, 5, "{\n      \"a\": 1\n    }" }, { 7, 5, "{\"b\": [1, \"]\"]}" } }, 2,
      PSR_JSON_OK, 0, 0 },
    { "[\n  {\"x\": 1},\n  {\"y\": \"a,b]\"}\n]\n", PSR_JSON_SHAPE_ARRAY,
      { { 2, 3, "{\"x\": 1}" }, { 3, 3, "{\"y\": \"a,b]\"}" } }, 2, PSR_JSON_OK, 0, 0 },
    { "\xEF\xBB\xBF[1, \"two\" ,null,[3]]", PSR_JSON_SHAPE_ARRAY,
      { { 1, 5, "1" }, { 1, 8, "\"two\"" }, { 1, 15, "null" }, { 1, 20, "[3]" } }, 4, PSR_JSON_OK, 0, 0 },
    { "[]", PSR_JSON_SHAPE_ARRAY, { { 0, 0, NULL } }, 0, PSR_JSON_OK, 0, 0 },
    { "  [ ]  \n", PSR_JSON_SHAPE_ARRAY, { { 0, 0, NULL } }, 0, PSR_JSON_OK, 0, 0 },
    { "{\"Records\":[]}", PSR_JSON_SHAPE_RECORDS, { { 0, 0, NULL } }, 0, PSR_JSON_OK, 0, 0 },
    { "\n{\"a\": 1}", PSR_JSON_SHAPE_OBJECT, { { 2, 1, "{\"a\": 1}" } }, 1, PSR_JSON_OK, 0, 0 },
    { "{\"Records\": null, \"b\": 2}", PSR_JSON_SHAPE_OBJECT,
      { { 1, 1, "{\"Records\": null, \"b\": 2}" } }, 1, PSR_JSON_OK, 0, 0 },
    { "{}", PSR_JSON_SHAPE_OBJECT, { { 1, 1, "{}" } }, 1, PSR_JSON_OK, 0, 0 },
    { "{\"Records\":[{\"a\":1}],\"Records\":[{\"b\":2}]}", PSR_JSON_SHAPE_RECORDS,
      { { 1, 13, "{\"a\":1}" }, { 1, 33, "{\"b\":2}" } }, 2, PSR_JSON_OK, 0, 0 },
    /* errors: the valid elements before the first invalid byte are yielded */
    { "[{\"a\":1},{\"b\":2} {\"c\":3}]", PSR_JSON_SHAPE_ARRAY,
      { { 1, 2, "{\"a\":1}" }, { 1, 10, "{\"b\":2}" } }, 2, PSR_JSON_E_ARRAY, 1, 18 },
    { "{\"Records\":[{\"a\":1},{\"b\":}]}", PSR_JSON_SHAPE_RECORDS, { { 1, 13, "{\"a\":1}" } }, 1,
      PSR_JSON_E_VALUE, 1, 26 },
    { "{\"Records\":[{\"a\":1},]}", PSR_JSON_SHAPE_RECORDS, { { 1, 13, "{\"a\":1}" } }, 1,
      PSR_JSON_E_VALUE, 1, 21 },
    { "[{\"a\":1}] x", PSR_JSON_SHAPE_ARRAY, { { 1, 2, "{\"a\":1}" } }, 1, PSR_JSON_E_TRAILING, 1, 11 },
    { "{\"Records\":[{\"a\":1}]", PSR_JSON_SHAPE_RECORDS, { { 1, 13, "{\"a\":1}" } }, 1, PSR_JSON_E_EOF, 1, 21 },
    { "{\"Records\":[{\"a\":1}] \"x\":1}", PSR_JSON_SHAPE_RECORDS, { { 1, 13, "{\"a\":1}" } }, 1,
      PSR_JSON_E_OBJECT, 1, 22 },
    { "{\"v\":1,\"Records\":[{\"a\":1}],\"w\":tru}", PSR_JSON_SHAPE_RECORDS, { { 1, 19, "{\"a\":1}" } }, 1,
      PSR_JSON_E_LITERAL, 1, 35 },
    { "{\"v\":[1,}", PSR_JSON_SHAPE_OBJECT, { { 0, 0, NULL } }, 0, PSR_JSON_E_VALUE, 1, 9 },
    { "{\"a\":1} {}", PSR_JSON_SHAPE_OBJECT, { { 1, 1, "{\"a\":1}" } }, 1, PSR_JSON_E_TRAILING, 1, 9 },
    { "{\"a\" 1}", PSR_JSON_SHAPE_OBJECT, { { 0, 0, NULL } }, 0, PSR_JSON_E_COLON, 1, 6 },
    { "{\"a\":1,1}", PSR_JSON_SHAPE_OBJECT, { { 0, 0, NULL } }, 0, PSR_JSON_E_KEY, 1, 8 },
    { "{\"Rec", PSR_JSON_SHAPE_OBJECT, { { 0, 0, NULL } }, 0, PSR_JSON_E_STRING_EOF, 1, 2 },
    { "\"str\"", PSR_JSON_SHAPE_UNKNOWN, { { 0, 0, NULL } }, 0, PSR_JSON_E_CONTAINER, 1, 1 },
    { "", PSR_JSON_SHAPE_UNKNOWN, { { 0, 0, NULL } }, 0, PSR_JSON_E_EMPTY, 1, 1 },
    { " \n ", PSR_JSON_SHAPE_UNKNOWN, { { 0, 0, NULL } }, 0, PSR_JSON_E_EMPTY, 2, 2 },
};

/* offset of 1-based (line, col) in text */
static size_t offset_of(const char *text, uint64_t line, uint64_t col)
{
    const char *p = text;
    for (uint64_t l = 1; l < line; l++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    return (size_t)(p - text) + (size_t)col - 1;
}

static void run_iter_case(const icase *c, const char *doc, size_t len, psr_json_scan scan)
{
    psr_json_iter it;
    psr_json_elem el;
    psr_json_err e;
    psr_json_next r;
    psr_json_iter_init(&it, as_slice_make(doc, len), scan);
    size_t n = 0;
    while ((r = psr_json_iter_next(&it, &el, &e)) == PSR_JSON_NEXT_ELEM) {
        if (n >= c->n)
            fail_msg("'%s': more than %zu elements", c->doc, c->n);
        const ielem *x = &c->elems[n];
        size_t off = offset_of(c->doc, x->line, x->col);
        if (el.offset != off || el.line != x->line || !as_slice_eq_cstr(el.raw, x->raw))
            fail_msg("'%s' elem %zu: got offset %llu line %llu '%.*s', want %zu %llu '%s'", c->doc, n,
                     (unsigned long long)el.offset, (unsigned long long)el.line, (int)el.raw.len, el.raw.ptr, off,
                     (unsigned long long)x->line, x->raw);
        assert_ptr_equal(el.raw.ptr, doc + off);
        assert_int_equal(el.index, n);
        /* every yielded element is valid JSON on its own */
        assert_int_equal(psr_json_validate(el.raw, NULL), PSR_JSON_OK);
        n++;
    }
    assert_int_equal(n, c->n);
    assert_int_equal(it.shape, c->shape);
    if (c->err == PSR_JSON_OK) {
        assert_int_equal(r, PSR_JSON_NEXT_END);
        assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_END);
    } else {
        assert_int_equal(r, PSR_JSON_NEXT_ERROR);
        if (e.code != c->err || e.line != c->eline || e.col != c->ecol)
            fail_msg("'%s': got %s at %llu:%llu, want %s at %llu:%llu", c->doc, psr_json_err_text(e.code),
                     (unsigned long long)e.line, (unsigned long long)e.col, psr_json_err_text(c->err),
                     (unsigned long long)c->eline, (unsigned long long)c->ecol);
        psr_json_err e2;
        assert_int_equal(psr_json_iter_next(&it, &el, &e2), PSR_JSON_NEXT_ERROR); /* sticky */
        assert_int_equal(e2.offset, e.offset);
        /* the same first error as validation (which accepts a top-level scalar) */
        psr_json_err ve;
        psr_json_code vc = psr_json_validate(as_slice_make(doc, len), &ve);
        if (e.code != PSR_JSON_E_CONTAINER) {
            assert_int_equal(vc, e.code);
            assert_int_equal(ve.offset, e.offset);
        }
    }
}

static void test_psr_json_iter_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_iters); i++) {
        const icase *c = &k_iters[i];
        size_t len = strlen(c->doc);
        guard g;
        assert_int_equal(guard_init(&g, len), 0);
        const char *gp = guard_put(&g, c->doc, len);
        assert_true(gp != NULL);
        for (int s = 0; s < 2; s++) {
            psr_json_scan scan = s ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST;
            run_iter_case(c, c->doc, len, scan);
            run_iter_case(c, gp, len, scan);
        }
        guard_fini(&g);
    }
}

/* Iteration over every validation table entry that starts with a container
 * ends exactly as validation does. */
static void test_psr_json_iter_agrees_with_validate(void **state)
{
    (void)state;
    const vcase *tabs[2] = { k_valid, k_invalid };
    size_t lens[2] = { AS_ARRAY_LEN(k_valid), AS_ARRAY_LEN(k_invalid) };
    for (int t = 0; t < 2; t++) {
        for (size_t i = 0; i < lens[t]; i++) {
            const vcase *c = &tabs[t][i];
            size_t len = c->len ? c->len : strlen(c->in);
            as_slice doc = as_slice_make(c->in, len);
            as_slice body = as_slice_trim(doc);
            if (body.len >= 3 && memcmp(body.ptr, "\xEF\xBB\xBF", 3) == 0)
                body = as_slice_trim(as_slice_sub(body, 3, body.len));
            if (body.len == 0 || (body.ptr[0] != '{' && body.ptr[0] != '['))
                continue;
            psr_json_iter it;
            psr_json_elem el;
            psr_json_err e, ve;
            psr_json_next r;
            psr_json_iter_init(&it, doc, PSR_JSON_SCAN_BEST);
            while ((r = psr_json_iter_next(&it, &el, &e)) == PSR_JSON_NEXT_ELEM)
                assert_true(el.raw.ptr >= doc.ptr && el.raw.ptr + el.raw.len <= doc.ptr + doc.len);
            psr_json_code vc = psr_json_validate(doc, &ve);
            if (vc == PSR_JSON_OK) {
                assert_int_equal(r, PSR_JSON_NEXT_END);
            } else {
                assert_int_equal(r, PSR_JSON_NEXT_ERROR);
                assert_int_equal(e.code, vc);
                assert_int_equal(e.offset, ve.offset);
            }
        }
    }
}

/* ---- sniffing ---- */

static void test_psr_json_sniff_table(void **state)
{
    (void)state;
    static const struct { const char *head; psr_json_kind kind; } k_sniff[] = {
        { "", PSR_JSON_KIND_JSONL },
        { "  \n", PSR_JSON_KIND_JSONL },
        { "[1]", PSR_JSON_KIND_ARRAY },
        { "\xEF\xBB\xBF  \n[", PSR_JSON_KIND_ARRAY },
        { "[]", PSR_JSON_KIND_ARRAY },
        { "{\"Records\":[", PSR_JSON_KIND_CLOUDTRAIL },
        { "{\n  \"Records\" : [\n    {\n", PSR_JSON_KIND_CLOUDTRAIL },
        { "{\"Records\":[{\"a\":1}]}", PSR_JSON_KIND_CLOUDTRAIL },
        { "{\"Records\":[{\"a\":1}]}\n{\"b\":2}\n", PSR_JSON_KIND_JSONL },
        { "{\"a\":1}\n{\"b\":2}\n", PSR_JSON_KIND_JSONL },
        { "{\"a\":1}\n\n{\"b\":2}", PSR_JSON_KIND_JSONL },
        { "{\"a\":1}\r\n{\"b\":2}\r\n", PSR_JSON_KIND_JSONL },
        { "{\"a\":1}  \n{\"b\":", PSR_JSON_KIND_JSONL },
        { "{\"a\":1}\n", PSR_JSON_KIND_DOCUMENT },
        { "{\"a\":1}", PSR_JSON_KIND_DOCUMENT },
        { "{\n  \"a\": 1\n}\n", PSR_JSON_KIND_DOCUMENT },
        { "{\n  \"a\": 1\n}\n{\n", PSR_JSON_KIND_DOCUMENT },
        { "{\"a\": \"a long first line cut by the end of the head", PSR_JSON_KIND_JSONL },
        { "{\"version\":\"1.0\",\"Records\":[]}", PSR_JSON_KIND_DOCUMENT },
        { "{\"Records\":null}", PSR_JSON_KIND_DOCUMENT },
        { "{\"a\":1} x\n{\"b\":2}", PSR_JSON_KIND_DOCUMENT },
        { "{\"a\":1,}\n{\"b\":2}", PSR_JSON_KIND_DOCUMENT },
        { "hello", PSR_JSON_KIND_NOT_JSON },
        { "123", PSR_JSON_KIND_NOT_JSON },
        { "\"str\"", PSR_JSON_KIND_NOT_JSON },
        { "<xml/>", PSR_JSON_KIND_NOT_JSON },
        { "Nov 23 10:00:00 host sshd[1]: {", PSR_JSON_KIND_NOT_JSON },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_sniff); i++) {
        psr_json_kind k = psr_json_sniff(S(k_sniff[i].head));
        if (k != k_sniff[i].kind)
            fail_msg("'%s': %s, want %s", k_sniff[i].head, psr_json_kind_name(k), psr_json_kind_name(k_sniff[i].kind));
    }
    assert_string_equal(psr_json_kind_name(PSR_JSON_KIND_CLOUDTRAIL), "cloudtrail");
    assert_int_equal(psr_json_sniff(as_slice_make(NULL, 0)), PSR_JSON_KIND_JSONL);
}

/* ---- errors into as_err ---- */

static void test_psr_json_err_to_as(void **state)
{
    (void)state;
    psr_json_err je = { PSR_JSON_E_OBJECT, 14, 1, 15 };
    as_err e;
    as_err_clear(&e);
    as_loc base = { "x.jsonl", 7, 0, 1000, 1 };
    assert_int_equal(psr_json_err_to_as(&je, base, &e), AS_ERR_SYNTAX);
    assert_int_equal(e.loc.line, 7);
    assert_int_equal(e.loc.col, 15);
    assert_int_equal(e.loc.offset, 1014);
    assert_string_equal(e.loc.src, "x.jsonl");
    assert_string_equal(e.msg, "expected ',' or '}' after an object member");
    psr_json_err je2 = { PSR_JSON_E_UTF8, 40, 3, 5 };
    as_err_clear(&e);
    base.col = 9;
    assert_int_equal(psr_json_err_to_as(&je2, base, &e), AS_ERR_INVALID_UTF8);
    assert_int_equal(e.loc.line, 9);
    assert_int_equal(e.loc.col, 5);
    psr_json_err ok = { PSR_JSON_OK, 0, 0, 0 };
    assert_int_equal(psr_json_err_to_as(&ok, base, &e), AS_OK);
    psr_json_err pe = { PSR_JSON_E_PATH_KEY, 2, 1, 3 };
    as_err_clear(&e);
    assert_int_equal(psr_json_err_to_as(&pe, (as_loc){ 0 }, &e), AS_ERR_USAGE);
    assert_int_equal(e.loc.line, 1);
    assert_int_equal(e.loc.col, 3);
    assert_string_equal(psr_json_err_text((psr_json_code)999), "unknown JSON error");
}

/* ---- the real samples (docs/domain.md section 4) ---- */

typedef struct real_out {
    size_t   n;
    psr_json_next last;
    psr_json_err  err;
    as_val   name[16];   /* eventName of each record */
    uint64_t line[16];   /* line of each record's '{' */
} real_out;

static void iterate_doc(as_slice doc, real_out *o, as_arena *ar)
{
    psr_json_path pn = compile("eventName", 0);
    for (int s = 0; s < 2; s++) {
        psr_json_iter it;
        psr_json_elem el;
        psr_json_iter_init(&it, doc, s ? PSR_JSON_SCAN_PORTABLE : PSR_JSON_SCAN_BEST);
        size_t n = 0;
        while ((o->last = psr_json_iter_next(&it, &el, &o->err)) == PSR_JSON_NEXT_ELEM) {
            assert_true(n < 16);
            assert_int_equal(doc.ptr[el.offset], '{');
            if (s == 0) {
                assert_int_equal(get_all_ways(el.raw, &pn, &o->name[n], ar), AS_OK);
                o->line[n] = el.line;
            } else {
                assert_int_equal(o->line[n], el.line);
            }
            n++;
        }
        if (s == 1)
            assert_int_equal(n, o->n);
        o->n = n;
    }
}

static void test_psr_json_real_aws_docs_examples(void **state)
{
    (void)state;
    static const struct { const char *file; const char *name; const char *time; uint64_t line; } k_valid_files[] = {
        { "log-file-example-01-valid.json", "StartInstances", "2014-03-06T21:22:54Z", 1 },
        { "log-file-example-02-valid.json", "StopInstances", "2014-03-06T21:01:59Z", 1 },
        { "log-file-example-03-valid.json", "CreateKeyPair", "2014-03-06T17:10:34Z", 1 },
        { "log-file-example-04-valid.json", "CreateUser", "2014-03-24T21:11:59Z", 1 },
        { "log-file-example-05-valid.json", "AddUserToGroup", "2014-03-25T21:08:14Z", 1 },
        { "log-file-example-07-valid.json", "UpdateTrail", "2016-07-14T19:15:45Z", 1 },
    };
    as_arena ar;
    as_arena_init(&ar, 0);
    char path[256];
    psr_json_path pt = compile("Records[0].eventTime", 0), pe = compile("Records[0].errorCode", 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_valid_files); i++) {
        snprintf(path, sizeof path, REAL "aws-cloudtrail-docs/%s", k_valid_files[i].file);
        size_t len;
        char *text = slurp(path, &len);
        as_slice doc = as_slice_make(text, len);
        assert_int_equal(psr_json_sniff(doc), PSR_JSON_KIND_CLOUDTRAIL);
        assert_int_equal(psr_json_validate(doc, NULL), PSR_JSON_OK);
        real_out o = { 0 };
        iterate_doc(doc, &o, &ar);
        assert_int_equal(o.n, 1);
        assert_int_equal(o.last, PSR_JSON_NEXT_END);
        assert_int_equal(o.line[0], k_valid_files[i].line);
        assert_true(o.name[0].type == AS_V_STR && as_slice_eq_cstr(o.name[0].u.str, k_valid_files[i].name));
        as_val v;
        assert_int_equal(get_all_ways(doc, &pt, &v, &ar), AS_OK);
        assert_true(v.type == AS_V_STR && as_slice_eq_cstr(v.u.str, k_valid_files[i].time));
        assert_int_equal(get_all_ways(doc, &pe, &v, &ar), AS_OK);
        if (i == 5)
            assert_true(v.type == AS_V_STR && as_slice_eq_cstr(v.u.str, "TrailNotFoundException"));
        else
            assert_int_equal(v.type, AS_V_MISSING);
        free(text);
    }

    /* 08: two Insight records without a top-level eventName */
    size_t len;
    char *text = slurp(REAL "aws-cloudtrail-docs/log-file-example-08-valid.json", &len);
    as_slice doc = as_slice_make(text, len);
    real_out o = { 0 };
    iterate_doc(doc, &o, &ar);
    assert_int_equal(o.n, 2);
    assert_int_equal(o.last, PSR_JSON_NEXT_END);
    assert_int_equal(o.line[0], 3);
    assert_int_equal(o.line[1], 29);
    assert_int_equal(o.name[0].type, AS_V_MISSING);
    assert_int_equal(o.name[1].type, AS_V_MISSING);
    static const gcase k08[] = {
        { "Records[0].eventType", AS_V_STR, "AwsCloudTrailInsight", 0, 0 },
        { "Records[0].insightDetails.state", AS_V_STR, "Start", 0, 0 },
        { "Records[1].insightDetails.state", AS_V_STR, "End", 0, 0 },
        { "Records[1].insightDetails.eventName", AS_V_STR, "UpdateInstanceInformation", 0, 0 },
        { "Records[1].userIdentity", AS_V_MISSING, NULL, 0, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k08); i++)
        check_get(doc, &k08[i], 0, &ar);
    free(text);

    /* 06: a raw LF inside a string at line 19, column 124; nothing before it */
    text = slurp(REAL "aws-cloudtrail-docs/log-file-example-06-INVALID.json", &len);
    doc = as_slice_make(text, len);
    psr_json_err e;
    assert_int_equal(psr_json_validate(doc, &e), PSR_JSON_E_CONTROL);
    assert_int_equal(e.line, 19);
    assert_int_equal(e.col, 124);
    assert_int_equal(text[e.offset], '\n');
    assert_int_equal(psr_json_sniff(doc), PSR_JSON_KIND_CLOUDTRAIL);
    memset(&o, 0, sizeof o);
    iterate_doc(doc, &o, &ar);
    assert_int_equal(o.n, 0);
    assert_int_equal(o.last, PSR_JSON_NEXT_ERROR);
    assert_int_equal(o.err.line, 19);
    assert_int_equal(o.err.col, 124);
    /* repaired (the line break becomes a space): one CreateRole record */
    text[e.offset] = ' ';
    assert_int_equal(psr_json_validate(doc, NULL), PSR_JSON_OK);
    memset(&o, 0, sizeof o);
    iterate_doc(doc, &o, &ar);
    assert_int_equal(o.n, 1);
    assert_true(as_slice_eq_cstr(o.name[0].u.str, "CreateRole"));
    as_val v;
    assert_int_equal(get_all_ways(doc, &pt, &v, &ar), AS_OK);
    assert_true(as_slice_eq_cstr(v.u.str, "2014-03-25T20:17:37Z"));
    free(text);
    as_arena_fini(&ar);
}

static void test_psr_json_real_console_sign_in_jsonl(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    size_t len;
    char *text = slurp(REAL "aws-cloudtrail-docs/console-sign-in-events.jsonl", &len);
    assert_int_equal(psr_json_sniff(as_slice_make(text, len)), PSR_JSON_KIND_JSONL);
    as_slice lines[16];
    size_t n = split_lines(text, len, lines, 16);
    assert_int_equal(n, 10);
    static const char *const paths[] = { "eventName", "userIdentity.type", "responseElements.ConsoleLogin",
                                         "additionalEventData.MFAUsed" };
    psr_json_path comp[4];
    const psr_json_path *pp[4];
    for (int i = 0; i < 4; i++) {
        comp[i] = compile(paths[i], 0);
        pp[i] = &comp[i];
    }
    size_t console = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(psr_json_validate(lines[i], NULL), PSR_JSON_OK);
        as_slice rec = lines[i];
        if (i == 0) { /* line 1 is a whole {"Records":[...]} wrapper with one record */
            psr_json_iter it;
            psr_json_elem el;
            psr_json_err e;
            psr_json_iter_init(&it, lines[0], PSR_JSON_SCAN_BEST);
            assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_ELEM);
            assert_int_equal(it.shape, PSR_JSON_SHAPE_RECORDS);
            assert_int_equal(psr_json_iter_next(&it, &el, &e), PSR_JSON_NEXT_END);
            rec = el.raw;
        }
        as_val v[4];
        assert_int_equal(psr_json_get_many(rec, pp, 4, v, &ar), AS_OK);
        assert_int_equal(v[0].type, AS_V_STR);
        console += as_slice_eq_cstr(v[0].u.str, "ConsoleLogin");
        if (i == 5) { /* :6 Root success without MFA (a C07 exception) */
            assert_true(as_slice_eq_cstr(v[1].u.str, "Root"));
            assert_true(as_slice_eq_cstr(v[2].u.str, "Success"));
            assert_true(as_slice_eq_cstr(v[3].u.str, "No"));
        }
        if (i == 6) /* :7 upper-case "YES" */
            assert_true(as_slice_eq_cstr(v[3].u.str, "YES"));
    }
    assert_int_equal(console, 6); /* lines 1-3 and 6-8 */
    free(text);
    as_arena_fini(&ar);
}

static void test_psr_json_real_zmallen_datadog_files(void **state)
{
    (void)state;
    static const struct { const char *file; size_t n; const char *first; } k_files[] = {
        { "aws.credential-access.secretsmanager-retrieve-secrets.json", 10, "GetSecretValue" },
        { "aws.defense-evasion.cloudtrail-delete.json", 1, "DeleteTrail" },
        { "aws.exfiltration.ec2-share-ebs-snapshot.json", 1, "ModifySnapshotAttribute" },
    };
    as_arena ar;
    as_arena_init(&ar, 0);
    char path[256];
    psr_json_path pip = compile("Records[0].network.client.ip", 0), psrc = compile("Records[0].sourceIPAddress", 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_files); i++) {
        snprintf(path, sizeof path, REAL "zmallen-cloudtrail2sightings/%s", k_files[i].file);
        size_t len;
        char *text = slurp(path, &len);
        as_slice doc = as_slice_make(text, len);
        assert_int_equal(psr_json_sniff(doc), PSR_JSON_KIND_CLOUDTRAIL);
        assert_int_equal(psr_json_validate(doc, NULL), PSR_JSON_OK);
        real_out o = { 0 };
        iterate_doc(doc, &o, &ar);
        assert_int_equal(o.n, k_files[i].n);
        assert_int_equal(o.last, PSR_JSON_NEXT_END);
        assert_true(as_slice_eq_cstr(o.name[0].u.str, k_files[i].first));
        as_val v;
        assert_int_equal(get_all_ways(doc, &pip, &v, &ar), AS_OK);
        assert_true(v.type == AS_V_STR && as_slice_eq_cstr(v.u.str, "62.167.105.104"));
        assert_int_equal(get_all_ways(doc, &psrc, &v, &ar), AS_OK);
        assert_int_equal(v.type, AS_V_MISSING); /* moved by Datadog's forwarder */
        free(text);
    }

    /* the invalid file: commas missing before 112:1 and 201:1 */
    size_t len;
    char *text = slurp(REAL "zmallen-cloudtrail2sightings/aws.execution.ec2-user-data.json", &len);
    as_slice doc = as_slice_make(text, len);
    psr_json_err e;
    assert_int_equal(psr_json_validate(doc, &e), PSR_JSON_E_ARRAY);
    assert_int_equal(e.line, 112);
    assert_int_equal(e.col, 1);
    real_out o = { 0 };
    iterate_doc(doc, &o, &ar);
    assert_int_equal(o.n, 1); /* the record before the error is kept */
    assert_int_equal(o.line[0], 3);
    assert_true(as_slice_eq_cstr(o.name[0].u.str, "StopInstances"));
    assert_int_equal(o.last, PSR_JSON_NEXT_ERROR);
    assert_int_equal(o.err.code, PSR_JSON_E_ARRAY);
    assert_int_equal(o.err.line, 112);
    assert_int_equal(o.err.col, 1);
    /* insert the first comma: the second error appears */
    char *fixed = malloc(len + 2);
    assert_non_null(fixed);
    size_t at1 = e.offset;
    memcpy(fixed, text, at1);
    fixed[at1] = ',';
    memcpy(fixed + at1 + 1, text + at1, len - at1);
    as_slice doc1 = as_slice_make(fixed, len + 1);
    assert_int_equal(psr_json_validate(doc1, &e), PSR_JSON_E_ARRAY);
    assert_int_equal(e.line, 201);
    assert_int_equal(e.col, 1);
    memset(&o, 0, sizeof o);
    iterate_doc(doc1, &o, &ar);
    assert_int_equal(o.n, 2);
    assert_int_equal(o.err.line, 201);
    /* both commas: 3 records */
    size_t at2 = e.offset;
    memmove(fixed + at2 + 1, fixed + at2, len + 1 - at2);
    fixed[at2] = ',';
    as_slice doc2 = as_slice_make(fixed, len + 2);
    assert_int_equal(psr_json_validate(doc2, NULL), PSR_JSON_OK);
    memset(&o, 0, sizeof o);
    iterate_doc(doc2, &o, &ar);
    assert_int_equal(o.n, 3);
    assert_int_equal(o.last, PSR_JSON_NEXT_END);
    assert_true(as_slice_eq_cstr(o.name[0].u.str, "StopInstances"));
    assert_true(as_slice_eq_cstr(o.name[1].u.str, "ModifyInstanceAttribute"));
    assert_true(as_slice_eq_cstr(o.name[2].u.str, "StartInstances"));
    free(fixed);
    free(text);
    as_arena_fini(&ar);
}

/* Lines of a JSON Lines file: all valid, field counts. */
typedef struct jsonl_file {
    char    *text;
    as_slice lines[128];
    size_t   n;
} jsonl_file;

static void load_jsonl(const char *path, jsonl_file *f)
{
    size_t len;
    f->text = slurp(path, &len);
    f->n = split_lines(f->text, len, f->lines, AS_ARRAY_LEN(f->lines));
    assert_int_equal(psr_json_sniff(as_slice_make(f->text, len)), PSR_JSON_KIND_JSONL);
    for (size_t i = 0; i < f->n; i++) {
        psr_json_err e;
        if (psr_json_validate(f->lines[i], &e) != PSR_JSON_OK)
            fail_msg("%s:%zu:%llu: %s", path, i + 1, (unsigned long long)e.col, psr_json_err_text(e.code));
    }
}

static void test_psr_json_real_panther_okta(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    jsonl_file f;
    load_jsonl(REAL "panther-test-events/okta_systemlog.excerpt.jsonl", &f);
    assert_int_equal(f.n, 60);
    psr_json_path et = compile("eventType", 0), eti = compile("eventType", PSR_JSON_PATH_ICASE),
                  pub = compile("published", 0),
                  sess = compile("authenticationContext.externalSessionId", PSR_JSON_PATH_ICASE),
                  res = compile("outcome.result", PSR_JSON_PATH_ICASE);
    size_t n_exact = 0, n_icase = 0, n_res = 0;
    for (size_t i = 0; i < f.n; i++) {
        as_val a, b, p, s, r;
        assert_int_equal(get_all_ways(f.lines[i], &et, &a, &ar), AS_OK);
        assert_int_equal(get_all_ways(f.lines[i], &eti, &b, &ar), AS_OK);
        assert_int_equal(get_all_ways(f.lines[i], &pub, &p, &ar), AS_OK);
        assert_int_equal(get_all_ways(f.lines[i], &sess, &s, &ar), AS_OK);
        assert_int_equal(get_all_ways(f.lines[i], &res, &r, &ar), AS_OK);
        n_exact += a.type == AS_V_STR;
        n_icase += b.type == AS_V_STR;
        n_res += r.type == AS_V_STR;
        size_t line = i + 1;
        if (line >= 37 && line <= 40)
            assert_true(p.type == AS_V_STR && as_slice_eq_cstr(p.u.str, "redacted"));
        if (line == 45 || line == 46 || line == 48 || line == 54 || line == 57 || line == 58 || line == 59 ||
            line == 60)
            assert_int_equal(p.type, AS_V_MISSING);
        if (line == 59)
            assert_int_equal(b.type, AS_V_MISSING);
        if (line == 60)
            assert_true(as_slice_eq_cstr(b.u.str, "logout"));
        if (line == 6) /* lower-cased top-level keys: only the case-insensitive path finds them */
            assert_true(a.type == AS_V_MISSING && as_slice_eq_cstr(s.u.str, "100-abc-9999"));
        if (line == 49 || line == 50) /* no externalSessionId after these failed sign-ins */
            assert_int_equal(s.type, AS_V_MISSING);
        if (line == 1)
            assert_true(as_slice_eq_cstr(p.u.str, "2022-03-22 14:21:53.225"));
    }
    assert_int_equal(n_exact, 26);
    assert_int_equal(n_icase, 59); /* 33 lines have lower-cased top-level keys */
    assert_int_equal(n_res, 55);
    free(f.text);
    as_arena_fini(&ar);
}

static void test_psr_json_real_panther_github_audit(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    jsonl_file f;
    load_jsonl(REAL "panther-test-events/github_audit.excerpt.jsonl", &f);
    assert_int_equal(f.n, 53);
    psr_json_path ca = compile("created_at", 0);
    size_t n_int = 0, n_num = 0, n_str = 0, n_missing = 0;
    for (size_t i = 0; i < f.n; i++) {
        as_val v;
        assert_int_equal(get_all_ways(f.lines[i], &ca, &v, &ar), AS_OK);
        n_int += v.type == AS_V_INT;
        n_num += v.type == AS_V_NUM;
        n_str += v.type == AS_V_STR;
        n_missing += v.type == AS_V_MISSING;
        if (i + 1 == 1)
            assert_true(v.type == AS_V_INT && v.u.i == 1621305118553);
        if (i + 1 == 34)
            assert_true(v.type == AS_V_NUM && v.u.num == 1621305118553.0);
        if (i + 1 == 49)
            assert_true(v.type == AS_V_STR && as_slice_eq_cstr(v.u.str, "2024-12-17 00:00:00000000"));
    }
    assert_int_equal(n_int, 25);
    assert_int_equal(n_num, 1);
    assert_int_equal(n_str, 19);
    assert_int_equal(n_missing, 8);
    free(f.text);
    as_arena_fini(&ar);
}

static void test_psr_json_real_panther_cloudtrail(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    jsonl_file f;
    load_jsonl(REAL "panther-test-events/aws_cloudtrail.excerpt.jsonl", &f);
    assert_int_equal(f.n, 40);
    psr_json_path t = compile("eventTime", 0), ti = compile("eventTime", PSR_JSON_PATH_ICASE);
    size_t n_exact = 0, n_icase = 0;
    for (size_t i = 0; i < f.n; i++) {
        as_val a, b;
        assert_int_equal(get_all_ways(f.lines[i], &t, &a, &ar), AS_OK);
        assert_int_equal(get_all_ways(f.lines[i], &ti, &b, &ar), AS_OK);
        n_exact += a.type == AS_V_STR;
        n_icase += b.type == AS_V_STR;
        if (i + 1 >= 31 && i + 1 <= 33)
            assert_true(a.type == AS_V_MISSING && b.type == AS_V_STR);
    }
    assert_int_equal(n_exact, 33);
    assert_int_equal(n_icase, 36);
    free(f.text);
    as_arena_fini(&ar);
}

static void test_psr_json_real_otrf_logstash_jsonl(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    jsonl_file f;
    load_jsonl(REAL "otrf-aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json", &f);
    assert_int_equal(f.n, 103);
    psr_json_path ts = compile("[\"@timestamp\"]", 0), et = compile("eventTime", 0),
                  ip = compile("sourceIPAddress", 0), ver = compile("[\"@version\"]", 0);
    const psr_json_path *pp[4] = { &ts, &et, &ip, &ver };
    size_t n_lab = 0, n_ec2 = 0;
    as_slice min = { 0 }, max = { 0 };
    for (size_t i = 0; i < f.n; i++) {
        as_val v[4];
        assert_int_equal(psr_json_get_many(f.lines[i], pp, 4, v, &ar), AS_OK);
        assert_int_equal(v[0].type, AS_V_STR);
        assert_int_equal(v[1].type, AS_V_MISSING); /* no eventTime: time is in @timestamp */
        assert_true(v[3].type == AS_V_STR && as_slice_eq_cstr(v[3].u.str, "1"));
        n_lab += as_slice_eq_cstr(v[2].u.str, "1.2.3.4");
        n_ec2 += as_slice_eq_cstr(v[2].u.str, "ec2.amazonaws.com");
        if (i == 0 || as_slice_cmp(v[0].u.str, min) < 0)
            min = v[0].u.str;
        if (i == 0 || as_slice_cmp(v[0].u.str, max) > 0)
            max = v[0].u.str;
    }
    assert_int_equal(n_lab, 98);
    assert_int_equal(n_ec2, 5);
    assert_true(as_slice_eq_cstr(min, "2020-09-14T00:44:20.000Z"));
    assert_true(as_slice_eq_cstr(max, "2020-09-14T01:13:20.000Z"));
    free(f.text);
    as_arena_fini(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_json_validate_accepts),
        cmocka_unit_test(test_psr_json_validate_rejects_with_location),
        cmocka_unit_test(test_psr_json_validate_escapes_at_every_offset),
        cmocka_unit_test(test_psr_json_validate_depth_limit),
        cmocka_unit_test(test_psr_json_get_decodes_every_escape),
        cmocka_unit_test(test_psr_json_lone_surrogates_are_rejected),
        cmocka_unit_test(test_psr_json_numbers_exact),
        cmocka_unit_test(test_psr_json_numbers_bad_grammar),
        cmocka_unit_test(test_psr_json_path_compile_table),
        cmocka_unit_test(test_psr_json_get_table),
        cmocka_unit_test(test_psr_json_get_root_every_kind),
        cmocka_unit_test(test_psr_json_get_duplicate_keys_last_wins),
        cmocka_unit_test(test_psr_json_get_case_insensitive),
        cmocka_unit_test(test_psr_json_get_syntax_errors),
        cmocka_unit_test(test_psr_json_get_many_agrees_with_get),
        cmocka_unit_test(test_psr_json_get_out_of_memory),
        cmocka_unit_test(test_psr_json_random_documents_round_trip),
        cmocka_unit_test(test_psr_json_iter_table),
        cmocka_unit_test(test_psr_json_iter_agrees_with_validate),
        cmocka_unit_test(test_psr_json_sniff_table),
        cmocka_unit_test(test_psr_json_err_to_as),
        cmocka_unit_test(test_psr_json_real_aws_docs_examples),
        cmocka_unit_test(test_psr_json_real_console_sign_in_jsonl),
        cmocka_unit_test(test_psr_json_real_zmallen_datadog_files),
        cmocka_unit_test(test_psr_json_real_panther_okta),
        cmocka_unit_test(test_psr_json_real_panther_github_audit),
        cmocka_unit_test(test_psr_json_real_panther_cloudtrail),
        cmocka_unit_test(test_psr_json_real_otrf_logstash_jsonl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
