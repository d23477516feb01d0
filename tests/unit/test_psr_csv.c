/* test_psr_csv.c: unit tests for parsers/psr_csv, the RFC 4180 record
 * parser: a table of valid records (plain, quoted delimiters, doubled quotes,
 * LF and CR LF inside quotes, empty fields, a trailing delimiter, every
 * delimiter) with every value and whether it is a slice of the record or a
 * decoded copy; a table of malformed records with the code, line and column;
 * psr_csv_split, the libcsv reference psr_csv_split_libcsv and psr_csv_count
 * agreeing on both tables, on every record of up to 7 bytes over the bytes
 * that matter, and on wide records (the arena array past 64 fields, the
 * 4,096-field limit); the header row (BOM, empty header, empty and repeated
 * names, the sorted path for wide headers, find); the sniffer on real-looking
 * exports (>= 80) and on access logs, JSON, syslog, prose and headerless data
 * (< 30); out of memory at every allocation of split, the reference and the
 * header. Every input sits at the end of a page before a PROT_NONE page
 * (guard.h), every prefix of a few records too, so an over-read faults. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* snprintf */
#include <string.h>  /* strlen, memcmp */

#include "core/as.h"
#include "parsers/psr_csv.h"
#include "tests/unit/guard.h"

#define GUARD_MAX (64u << 10)  /* bytes: the widest generated record (4,097 fields) fits */

static int setup_guard(void **state)
{
    static guard g;   /* one per test binary; cmocka runs tests one at a time */
    if (guard_init(&g, GUARD_MAX) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown_guard(void **state)
{
    guard_fini(*state);
    return 0;
}

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

/* ---- helpers ---- */

typedef struct result {
    as_code   rc;
    as_slice *f;
    size_t    n;
    uint64_t  line, col;
} result;

typedef as_code (*split_fn)(as_slice, const psr_csv_opts *, as_arena *, as_slice **, size_t *, uint64_t *,
                            uint64_t *);

static as_code split_fast(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **f, size_t *n,
                          uint64_t *line, uint64_t *col)
{
    return psr_csv_split(rec, o, ar, f, n, line, col);
}

static result run(split_fn fn, as_slice rec, char delim, as_arena *ar)
{
    const psr_csv_opts o = { delim };
    result r = { .line = 99, .col = 99 };
    r.rc = fn(rec, &o, ar, &r.f, &r.n, &r.line, &r.col);
    return r;
}

/* a and b: the same code, location and values. */
static void expect_same(const char *ctx, const result *a, const result *b)
{
    if (a->rc != b->rc)
        fail_msg("%s: %s vs %s", ctx, as_err_name(a->rc), as_err_name(b->rc));
    if (a->rc != AS_OK) {
        if (a->line != b->line || a->col != b->col)
            fail_msg("%s: %llu:%llu vs %llu:%llu", ctx, (unsigned long long)a->line, (unsigned long long)a->col,
                     (unsigned long long)b->line, (unsigned long long)b->col);
        return;
    }
    if (a->n != b->n)
        fail_msg("%s: %zu fields vs %zu", ctx, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (!as_slice_eq(a->f[i], b->f[i]))
            fail_msg("%s: field %zu \"%.*s\" vs \"%.*s\"", ctx, i, AS_SLICE_ARG(a->f[i]), AS_SLICE_ARG(b->f[i]));
}

static int inside(as_slice s, as_slice rec)
{
    return s.ptr >= rec.ptr && s.ptr + s.len <= rec.ptr + rec.len;
}

/* Splits rec both ways and counts it; all three must agree. Returns the fast result. */
static result split_all(const char *ctx, as_slice rec, char delim, as_arena *ar)
{
    result a = run(split_fast, rec, delim, ar);
    result b = run(psr_csv_split_libcsv, rec, delim, ar);
    expect_same(ctx, &a, &b);
    const psr_csv_opts o = { delim };
    size_t n = 0;
    uint64_t line = 0, col = 0;
    as_code rc = psr_csv_count(rec, &o, &n, &line, &col);
    if (rc != a.rc || (rc == AS_OK ? n != a.n : line != a.line || col != a.col))
        fail_msg("%s: psr_csv_count disagrees (%s)", ctx, as_err_name(rc));
    if (a.rc == AS_OK) {
        assert_non_null(a.f);
        for (size_t i = 0; i < a.n; i++)   /* a value that is not in the record was decoded */
            if (!inside(a.f[i], rec) && memchr(a.f[i].ptr, '"', a.f[i].len) == NULL)
                fail_msg("%s: field %zu was copied with nothing to decode", ctx, i);
    }
    return a;
}

/* ---- valid records ---- */

typedef struct split_ok {
    const char *name;
    char        delim;    /* 0: the default, ',' */
    const char *rec;
    size_t      n;
    const char *want[8];
    unsigned    decoded;  /* bit i: field i had a doubled quote, so it lives in the arena */
} split_ok;

static const split_ok k_ok[] = {
    { "plain", ',', "a,b,c", 3, { "a", "b", "c" }, 0 },
    { "one field", ',', "abc", 1, { "abc" }, 0 },
    { "the default delimiter", 0, "x,y", 2, { "x", "y" }, 0 },
    { "quoted with commas", ',', "E1,\"Smith, Ann\",x", 3, { "E1", "Smith, Ann", "x" }, 0 },
    { "doubled quotes", ',', "\"say \"\"hi\"\"\",x", 2, { "say \"hi\"", "x" }, 1u << 0 },
    { "only a doubled quote", ',', "\"\"\"\"", 1, { "\"" }, 1u << 0 },
    { "doubled quotes at both ends", ',', "a,\"\"\"q\"\"\"", 2, { "a", "\"q\"" }, 1u << 1 },
    { "empty quoted", ',', "\"\"", 1, { "" }, 0 },
    { "two empty quoted", ',', "\"\",\"\"", 2, { "", "" }, 0 },
    { "LF inside quotes", ',', "\"multi\nline\",b", 2, { "multi\nline", "b" }, 0 },
    { "CR LF inside quotes", ',', "\"a\r\nb\",c", 2, { "a\r\nb", "c" }, 0 },
    { "a CR alone inside quotes", ',', "\"a\rb\",c", 2, { "a\rb", "c" }, 0 },
    { "lines and doubled quotes", ',', "1,\"x\n\"\"y\"\"\n\",2", 3, { "1", "x\n\"y\"\n", "2" }, 1u << 1 },
    { "empty fields", ',', ",,", 3, { "", "", "" }, 0 },
    { "empty first field", ',', ",a", 2, { "", "a" }, 0 },
    { "trailing delimiter: an empty last field", ',', "a,b,", 3, { "a", "b", "" }, 0 },
    { "quoted then a trailing delimiter", ',', "\"a\",", 2, { "a", "" }, 0 },
    { "a final CR is not data", ',', "a,b\r", 2, { "a", "b" }, 0 },
    { "a final CR after a quoted field", ',', "a,\"b\"\r", 2, { "a", "b" }, 0 },
    { "a final CR after a trailing delimiter", ',', "a,\r", 2, { "a", "" }, 0 },
    { "spaces are data", ',', " a , b ", 2, { " a ", " b " }, 0 },
    { "a tab is data with a comma", ',', "a\tb,c", 2, { "a\tb", "c" }, 0 },
    { "UTF-8 kept as is", ',', "Zo\xc3\xab,\xe2\x82\xac" "5", 2, { "Zo\xc3\xab", "\xe2\x82\xac" "5" }, 0 },
    { "semicolon", ';', "a;1,5;\"d;e\"", 3, { "a", "1,5", "d;e" }, 0 },
    { "semicolon, comma inside quotes is plain", ';', "\"x,y\";\"\"\"z\"\"\"", 2, { "x,y", "\"z\"" }, 1u << 1 },
    { "tab", '\t', "a\tb c\t\"c\td\"", 3, { "a", "b c", "c\td" }, 0 },
    { "tab, empty last field", '\t', "a\t", 2, { "a", "" }, 0 },
    { "pipe", '|', "a|\"b|c\"|d,e", 3, { "a", "b|c", "d,e" }, 0 },
    { "an empty record", ',', "", 0, { NULL }, 0 },
    { "only a CR", ',', "\r", 0, { NULL }, 0 },
    { "HR export row", ',', "E10234,\"Okafor, Bob\",bob.okafor@northwind.example,Sales,,2021-03-01,\"moved\r\nto EU\"",
      7, { "E10234", "Okafor, Bob", "bob.okafor@northwind.example", "Sales", "", "2021-03-01", "moved\r\nto EU" }, 0 },
};

static void test_psr_csv_split_valid_records(void **state)
{
    guard *g = *state;
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_ok); i++) {
        const split_ok *c = &k_ok[i];
        size_t len = strlen(c->rec);
        const char *p = guard_put(g, c->rec, len);
        assert_non_null(p);
        as_slice rec = as_slice_make(p, len);
        result r = split_all(c->name, rec, c->delim, &ar);
        if (r.rc != AS_OK)
            fail_msg("%s: %s at %llu:%llu", c->name, as_err_name(r.rc), (unsigned long long)r.line,
                     (unsigned long long)r.col);
        if (r.n != c->n)
            fail_msg("%s: %zu fields, expected %zu", c->name, r.n, c->n);
        for (size_t k = 0; k < r.n; k++) {
            if (!as_slice_eq_cstr(r.f[k], c->want[k]))
                fail_msg("%s: field %zu is \"%.*s\", expected \"%s\"", c->name, k, AS_SLICE_ARG(r.f[k]), c->want[k]);
            int decoded = (c->decoded >> k) & 1;
            if (decoded == inside(r.f[k], rec))
                fail_msg("%s: field %zu should %s", c->name, k,
                         decoded ? "be decoded into the arena" : "be a slice of the record");
        }
        as_arena_reset(&ar);
    }
    as_arena_fini(&ar);
}

/* ---- malformed records ---- */

typedef struct split_bad {
    const char *name;
    char        delim;
    const char *rec;
    as_code     code;
    uint64_t    line, col;
} split_bad;

static const split_bad k_bad[] = {
    { "a quote inside an unquoted field", ',', "a\"b", AS_ERR_SYNTAX, 1, 2 },
    { "a quote inside a later unquoted field", ',', "abc,d\"e", AS_ERR_SYNTAX, 1, 6 },
    { "a space, then a quoted field", ',', "a, \"b\"", AS_ERR_SYNTAX, 1, 4 },
    { "text after a closing quote", ',', "\"a\"b", AS_ERR_SYNTAX, 1, 4 },
    { "a space after a closing quote", ',', "\"a\" ,b", AS_ERR_SYNTAX, 1, 4 },
    { "a quote after a closing quote and a space", ',', "\"a\" \"", AS_ERR_SYNTAX, 1, 4 },
    { "unterminated quoted field", ',', "\"abc", AS_ERR_SYNTAX, 1, 1 },
    { "unterminated later field", ',', "x,\"abc", AS_ERR_SYNTAX, 1, 3 },
    { "unterminated: the last quote is half of a pair", ',', "x,\"ab\"\"", AS_ERR_SYNTAX, 1, 3 },
    { "unterminated: a lone quote", ',', "\"", AS_ERR_SYNTAX, 1, 1 },
    { "unterminated after a field with a line break", ',', "\"x\ny\",\"z\nw", AS_ERR_SYNTAX, 2, 4 },
    { "text after a quote closed on line 3", ',', "\"a\nb\n\"c", AS_ERR_SYNTAX, 3, 2 },
    { "text after a quote closed after CR LF", ',', "\"a\r\nb\"x", AS_ERR_SYNTAX, 2, 3 },
    { "a quote inside an unquoted field on line 2", ',', "\"x\ny\",a\"b", AS_ERR_SYNTAX, 2, 5 },
    { "a line feed outside quotes", ',', "a\nb", AS_ERR_SYNTAX, 1, 2 },
    { "a CR outside quotes", ',', "a\rb", AS_ERR_SYNTAX, 1, 2 },
    { "a CR LF outside quotes", ',', "a,b\r\nc", AS_ERR_SYNTAX, 1, 4 },
    { "two final CRs: the first is data", ',', "a,b\r\r", AS_ERR_SYNTAX, 1, 4 },
    { "a final LF", ',', "a,b\n", AS_ERR_SYNTAX, 1, 4 },
    { "a line feed first", ',', "\nabc", AS_ERR_SYNTAX, 1, 1 },
    { "a line feed after a closing quote", ',', "\"a\"\nb", AS_ERR_SYNTAX, 1, 4 },
    { "a line feed after a delimiter", ',', "a,\nb", AS_ERR_SYNTAX, 1, 3 },
    { "semicolon: a quote inside a field", ';', "a;b\"c", AS_ERR_SYNTAX, 1, 4 },
    { "semicolon: a comma after a closing quote", ';', "\"a\",b", AS_ERR_SYNTAX, 1, 4 },
    { "tab: text after a closing quote", '\t', "x\t\"y\"z", AS_ERR_SYNTAX, 1, 6 },
    { "pipe: unterminated", '|', "a|\"b", AS_ERR_SYNTAX, 1, 3 },
    { "a delimiter that is not one of the four", 'x', "axb", AS_ERR_USAGE, 0, 0 },
    { "the quote as a delimiter", '"', "a\"b", AS_ERR_USAGE, 0, 0 },
};

static void test_psr_csv_split_malformed_records(void **state)
{
    guard *g = *state;
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_bad); i++) {
        const split_bad *c = &k_bad[i];
        size_t len = strlen(c->rec);
        const char *p = guard_put(g, c->rec, len);
        assert_non_null(p);
        result r = split_all(c->name, as_slice_make(p, len), c->delim, &ar);
        if (r.rc != c->code || r.line != c->line || r.col != c->col)
            fail_msg("%s: %s at %llu:%llu, expected %s at %llu:%llu", c->name, as_err_name(r.rc),
                     (unsigned long long)r.line, (unsigned long long)r.col, as_err_name(c->code),
                     (unsigned long long)c->line, (unsigned long long)c->col);
        as_arena_reset(&ar);
    }
    as_arena_fini(&ar);
}

static void test_psr_csv_split_location_may_be_null(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice *f;
    size_t n;
    assert_int_equal(psr_csv_split(AS_SLICE_LIT("a\"b"), NULL, &ar, &f, &n, NULL, NULL), AS_ERR_SYNTAX);
    assert_int_equal(psr_csv_split_libcsv(AS_SLICE_LIT("\"a"), NULL, &ar, &f, &n, NULL, NULL), AS_ERR_SYNTAX);
    assert_int_equal(psr_csv_count(AS_SLICE_LIT("a\nb"), NULL, &n, NULL, NULL), AS_ERR_SYNTAX);
    assert_int_equal(psr_csv_split(AS_SLICE_LIT("a,b"), NULL, &ar, &f, &n, NULL, NULL), AS_OK);
    assert_int_equal(n, 2);
    as_arena_fini(&ar);
}

/* ---- both paths on every small record ---- */

/* Every record of up to 7 bytes over the bytes that matter: the fast path,
 * libcsv and the count agree on each, at the end of a guarded page. */
static void exhaustive(guard *g, char delim, const char *alphabet)
{
    as_arena ar;
    as_arena_init(&ar, 0);
    size_t k = strlen(alphabet);
    char rec[8], ctx[64];
    unsigned long total = 0;
    for (size_t len = 0; len <= 7; len++) {
        size_t count = 1;
        for (size_t i = 0; i < len; i++)
            count *= k;
        for (size_t v = 0; v < count; v++) {
            size_t x = v;
            for (size_t i = 0; i < len; i++, x /= k)
                rec[i] = alphabet[x % k];
            const char *p = guard_put(g, rec, len);
            assert_non_null(p);
            snprintf(ctx, sizeof ctx, "delim %d, record #%zu of length %zu", delim, v, len);
            result r = split_all(ctx, as_slice_make(p, len), delim, &ar);
            assert_true(r.rc == AS_OK || r.rc == AS_ERR_SYNTAX);
            if (r.rc != AS_OK) {
                assert_true(r.line >= 1 && r.col >= 1 && r.col <= len + 1);
            }
            total++;
            if ((total & 1023) == 0)
                as_arena_reset(&ar);
        }
    }
    as_arena_fini(&ar);
}

static void test_psr_csv_split_agrees_with_libcsv_on_every_short_record(void **state)
{
    exhaustive(*state, ',', "a,\"\n\r");
    exhaustive(*state, '\t', "\t\"\n,;");
}

static void test_psr_csv_split_prefixes_never_overread(void **state)
{
    guard *g = *state;
    static const char *const recs[] = {
        "E1,\"Smith, Ann\",\"say \"\"hi\"\"\",\"a\r\nb\",,x\r",
        "\"\"\"\",\"\",\"x\ny\"\"\",z",
        "a,b\"c,\"d",
    };
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(recs); i++) {
        size_t len = strlen(recs[i]);
        for (size_t l = 0; l <= len; l++) {
            const char *p = guard_put(g, recs[i], l);
            assert_non_null(p);
            (void)split_all("prefix", as_slice_make(p, l), ',', &ar);
            as_arena_reset(&ar);
        }
    }
    as_arena_fini(&ar);
}

/* ---- wide records ---- */

/* n fields "f<i>", every third quoted, every fifth with a doubled quote. */
static size_t make_wide(char *buf, size_t cap, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int w = i % 5 == 0   ? snprintf(buf + len, cap - len, "\"f%zu\"\"\"", i)
                : i % 3 == 0 ? snprintf(buf + len, cap - len, "\"f%zu\"", i)
                             : snprintf(buf + len, cap - len, "f%zu", i);
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
        if (i + 1 < n)
            buf[len++] = ',';
    }
    return len;
}

static void test_psr_csv_split_wide_records(void **state)
{
    guard *g = *state;
    static char buf[GUARD_MAX];
    as_arena ar;
    as_arena_init(&ar, 0);
    static const size_t widths[] = { 63, 64, 65, 200, 1000 };
    for (size_t w = 0; w < AS_ARRAY_LEN(widths); w++) {
        size_t len = make_wide(buf, sizeof buf, widths[w]);
        const char *p = guard_put(g, buf, len);
        assert_non_null(p);
        result r = split_all("wide", as_slice_make(p, len), ',', &ar);
        assert_int_equal(r.rc, AS_OK);
        assert_int_equal(r.n, widths[w]);
        char want[32];
        for (size_t i = 0; i < r.n; i++) {
            if (i % 5 == 0)
                snprintf(want, sizeof want, "f%zu\"", i);
            else
                snprintf(want, sizeof want, "f%zu", i);
            assert_true(as_slice_eq_cstr(r.f[i], want));
        }
        as_arena_reset(&ar);
    }
    as_arena_fini(&ar);
}

static void test_psr_csv_split_field_limit(void **state)
{
    guard *g = *state;
    static char buf[GUARD_MAX];
    as_arena ar;
    as_arena_init(&ar, 0);
    /* 4,096 fields "a": accepted */
    size_t len = 0;
    for (size_t i = 0; i < PSR_CSV_MAX_FIELDS; i++) {
        buf[len++] = 'a';
        buf[len++] = ',';
    }
    len--;
    result r = split_all("4096 fields", as_slice_make(guard_put(g, buf, len), len), ',', &ar);
    assert_int_equal(r.rc, AS_OK);
    assert_int_equal(r.n, PSR_CSV_MAX_FIELDS);
    /* one more, empty: rejected at its first byte, the end of the record */
    buf[len++] = ',';
    r = split_all("4097 fields", as_slice_make(guard_put(g, buf, len), len), ',', &ar);
    assert_int_equal(r.rc, AS_ERR_BAD_VALUE);
    assert_int_equal(r.line, 1);
    assert_int_equal(r.col, len + 1);
    /* one more, quoted: at its opening quote */
    memcpy(buf + len, "\"z\",y", 5);
    r = split_all("4097 fields, quoted", as_slice_make(guard_put(g, buf, len + 5), len + 5), ',', &ar);
    assert_int_equal(r.rc, AS_ERR_BAD_VALUE);
    assert_int_equal(r.col, len + 1);
    /* a syntax error inside field 4,097 comes first: the field never ends */
    memcpy(buf + len, "\"z", 2);
    r = split_all("4097 fields, unterminated", as_slice_make(guard_put(g, buf, len + 2), len + 2), ',', &ar);
    assert_int_equal(r.rc, AS_ERR_SYNTAX);
    assert_int_equal(r.col, len + 1);
    /* ... but field 4,097 ending at a bare line feed is one too many first */
    memcpy(buf + len, "z\nq", 3);
    r = split_all("4097 fields, then a line feed", as_slice_make(guard_put(g, buf, len + 3), len + 3), ',', &ar);
    assert_int_equal(r.rc, AS_ERR_BAD_VALUE);
    assert_int_equal(r.col, len + 1);
    as_arena_fini(&ar);
}

/* ---- the header row ---- */

static void test_psr_csv_header_parse_names(void **state)
{
    guard *g = *state;
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_csv_header h;
    uint64_t line = 0, col = 0;
    const char *bom = "\xEF\xBB\xBFid,name,\"created, at\",\"a\"\"b\"\r";
    const char *p = guard_put_cstr(g, bom);
    assert_int_equal(psr_csv_header_parse(as_slice_make(p, strlen(bom)), NULL, &ar, &h, &line, &col), AS_OK);
    assert_int_equal(h.n_names, 4);
    assert_true(h.has_bom);
    assert_true(as_slice_eq_cstr(h.names[0], "id"));     /* the BOM is not part of the first name */
    assert_true(as_slice_eq_cstr(h.names[1], "name"));
    assert_true(as_slice_eq_cstr(h.names[2], "created, at"));
    assert_true(as_slice_eq_cstr(h.names[3], "a\"b"));
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("id")), 0);
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("created, at")), 2);
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("a\"b")), 3);
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("Name")), -1);   /* bytewise */
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("")), -1);

    const psr_csv_opts semi = { ';' };
    p = guard_put_cstr(g, " id ;Name");
    assert_int_equal(psr_csv_header_parse(as_slice_make(p, 9), &semi, &ar, &h, &line, &col), AS_OK);
    assert_false(h.has_bom);
    assert_int_equal(h.n_names, 2);
    assert_true(as_slice_eq_cstr(h.names[0], " id "));   /* nothing trimmed */
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("id")), -1);
    assert_int_equal(psr_csv_header_find(&h, AS_SLICE_LIT("Name")), 1);

    p = guard_put_cstr(g, "only");
    assert_int_equal(psr_csv_header_parse(as_slice_make(p, 4), NULL, &ar, &h, &line, &col), AS_OK);
    assert_int_equal(h.n_names, 1);
    as_arena_fini(&ar);
}

typedef struct header_bad {
    const char *name;
    const char *rec;
    as_code     code;
    uint64_t    line, col;
} header_bad;

static const header_bad k_header_bad[] = {
    { "empty", "", AS_ERR_SYNTAX, 1, 1 },
    { "only a CR", "\r", AS_ERR_SYNTAX, 1, 1 },
    { "only a BOM", "\xEF\xBB\xBF", AS_ERR_SYNTAX, 1, 4 },
    { "a BOM and a CR", "\xEF\xBB\xBF\r", AS_ERR_SYNTAX, 1, 4 },
    { "an empty name", "a,,b", AS_ERR_BAD_VALUE, 1, 3 },
    { "an empty last name", "a,b,", AS_ERR_BAD_VALUE, 1, 5 },
    { "an empty quoted name", "a,\"\"", AS_ERR_BAD_VALUE, 1, 3 },
    { "an empty first name after a BOM", "\xEF\xBB\xBF,a", AS_ERR_BAD_VALUE, 1, 4 },
    { "a repeated name", "a,b,a", AS_ERR_BAD_VALUE, 1, 5 },
    { "a repeated name after a BOM", "\xEF\xBB\xBF" "a,b,a", AS_ERR_BAD_VALUE, 1, 8 },
    { "a repeated name, quoted", "id,\"id\"", AS_ERR_BAD_VALUE, 1, 4 },
    { "the first repeat is reported", "a,b,b,a", AS_ERR_BAD_VALUE, 1, 5 },
    { "an empty name before a repeat", "a,a,,", AS_ERR_BAD_VALUE, 1, 3 },
    { "a repeat on line 2", "\"x\ny\",b,b", AS_ERR_BAD_VALUE, 2, 6 },
    { "names differ by case: no repeat", "a,A,a", AS_ERR_BAD_VALUE, 1, 5 },
    { "a syntax error", "a,b\"c", AS_ERR_SYNTAX, 1, 4 },
    { "a syntax error after a BOM", "\xEF\xBB\xBF" "a,b\"c", AS_ERR_SYNTAX, 1, 7 },
    { "a syntax error on line 2 (the BOM does not count there)", "\xEF\xBB\xBF\"a\nb\"c", AS_ERR_SYNTAX, 2, 3 },
    { "a second row", "a,b\nc,d", AS_ERR_SYNTAX, 1, 4 },
};

static void test_psr_csv_header_parse_rejects(void **state)
{
    guard *g = *state;
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_header_bad); i++) {
        const header_bad *c = &k_header_bad[i];
        size_t len = strlen(c->rec);
        const char *p = guard_put(g, c->rec, len);
        assert_non_null(p);
        psr_csv_header h;
        uint64_t line = 99, col = 99;
        as_code rc = psr_csv_header_parse(as_slice_make(p, len), NULL, &ar, &h, &line, &col);
        if (rc != c->code || line != c->line || col != c->col)
            fail_msg("%s: %s at %llu:%llu, expected %s at %llu:%llu", c->name, as_err_name(rc),
                     (unsigned long long)line, (unsigned long long)col, as_err_name(c->code),
                     (unsigned long long)c->line, (unsigned long long)c->col);
    }
    const psr_csv_opts bad = { 'x' };
    psr_csv_header h;
    uint64_t line = 99, col = 99;
    assert_int_equal(psr_csv_header_parse(AS_SLICE_LIT("a"), &bad, &ar, &h, &line, &col), AS_ERR_USAGE);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    as_arena_fini(&ar);
}

/* More than 32 names take the sorted path: the same first repeat. */
static void test_psr_csv_header_parse_wide_repeats(void **state)
{
    guard *g = *state;
    static char buf[8192];
    as_arena ar;
    as_arena_init(&ar, 0);
    size_t len = 0, col80 = 0;
    for (int i = 0; i < 100; i++) {
        int v = i == 80 ? 57 : i == 90 ? 3 : i == 95 ? 57 : i;   /* repeats at 80 (of 57), 90 (of 3), 95 */
        if (i == 80)
            col80 = len + 1;
        len += (size_t)snprintf(buf + len, sizeof buf - len, i ? ",c%d" : "c%d", v);
        if (i == 80)
            col80++;                                 /* past the comma */
    }
    psr_csv_header h;
    uint64_t line = 0, col = 0;
    const char *p = guard_put(g, buf, len);
    assert_int_equal(psr_csv_header_parse(as_slice_make(p, len), NULL, &ar, &h, &line, &col), AS_ERR_BAD_VALUE);
    assert_int_equal(line, 1);
    assert_int_equal(col, col80);
    /* without the repeats: every name found where it is */
    len = 0;
    for (int i = 0; i < 100; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, i ? ",c%d" : "c%d", i);
    p = guard_put(g, buf, len);
    assert_int_equal(psr_csv_header_parse(as_slice_make(p, len), NULL, &ar, &h, &line, &col), AS_OK);
    assert_int_equal(h.n_names, 100);
    char name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "c%d", i);
        assert_int_equal(psr_csv_header_find(&h, as_slice_cstr(name)), i);
    }
    as_arena_fini(&ar);
}

/* ---- sniffing ---- */

typedef struct sniff_case {
    const char *name;
    const char *head;
    char        delim;  /* expected for CSV; 0 for the low table */
} sniff_case;

#define HR_ROWS                                                                          \
    "E10001,Ann Smith,ann.smith@northwind.example,Engineering,2021-03-01,active\n"       \
    "E10002,\"Okafor, Bob\",bob.okafor@northwind.example,Sales,2020-11-15,active\n"      \
    "E10003,Carol Nguyen,carol.nguyen@northwind.example,Finance,2019-07-22,terminated\n" \
    "E10004,Dmitri Schmidt,d.schmidt@northwind.example,People,2022-01-10,active\n"       \
    "E10005,Eve Garcia,eve.garcia@northwind.example,Support,2023-05-02,\"on leave\"\n"

static const sniff_case k_sniff_high[] = {
    { "HR export", "employee_id,name,email,department,start_date,status\n" HR_ROWS, ',' },
    { "HR export with a BOM and CR LF",
      "\xEF\xBB\xBF" "employee_id,name,email\r\nE1,Ann,a@x.example\r\nE2,Bob,b@x.example\r\nE3,Carol,c@x.example\r\n", ',' },
    { "the head ends mid-row", "employee_id,name,email,department,start_date,status\n" HR_ROWS "E10006,Fa", ',' },
    { "a quoted note over two lines",
      "user,action,approved_by,note\nann,grant admin,carol,\"ticket SEC-12\nreviewed\"\nbob,revoke,carol,\n"
      "dave,grant read,erin,\"quarterly, ok\"\n", ',' },
    { "European: semicolons, decimal commas",
      "Name;Betrag;Datum;Kostenstelle\nAnn;1,50;2024-01-02;4711\nBob;12,00;2024-01-03;4712\n"
      "Carol;3,75;2024-01-04;4711\nDave;0,99;2024-01-05;4713\n", ';' },
    { "tab separated",
      "user\tlast_login\tmfa\nann\t2024-03-01T10:00:00Z\ttrue\nbob\t2024-02-11T08:30:00Z\tfalse\n"
      "carol\t2024-03-02T12:00:00Z\ttrue\n", '\t' },
    { "pipe separated", "host|os|patched\nweb-1|debian 12|yes\nweb-2|debian 11|no\ndb-1|rhel 9|yes\n", '|' },
    { "AWS IAM credential report",
      "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active\n"
      "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,true\n"
      "alice,arn:aws:iam::123456789012:user/alice,2020-05-01T10:00:00+00:00,true,2024-02-01T09:00:00+00:00,true\n"
      "svc-backup,arn:aws:iam::123456789012:user/svc-backup,2021-06-01T10:00:00+00:00,false,N/A,false\n", ',' },
    { "one data row", "ticket,opened,closed\nSEC-1,2024-01-01,2024-01-03\n", ',' },
    { "every field quoted",
      "\"id\",\"name\",\"role\"\n\"1\",\"Ann\",\"admin\"\n\"2\",\"Bob\",\"viewer\"\n\"3\",\"Carol \"\"CJ\"\"\",\"editor\"\n", ',' },
};

static const sniff_case k_sniff_low[] = {
    { "Apache combined",
      "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
      "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"\n"
      "10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] \"GET /a,b HTTP/1.1\" 404 12 \"-\" \"curl/8.0\"\n"
      "10.0.0.3 - - [10/Oct/2000:13:55:38 -0700] \"POST /login HTTP/1.1\" 302 0 \"-\" \"Mozilla/5.0 (KHTML, like Gecko)\"\n", 0 },
    { "Apache common",
      "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326\n"
      "127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /x HTTP/1.0\" 200 12\n", 0 },
    { "JSON lines",
      "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"user\":\"ann\",\"action\":\"login\"}\n"
      "{\"eventTime\":\"2024-01-01T00:00:01Z\",\"user\":\"bob\",\"action\":\"login\"}\n", 0 },
    { "a JSON array", "[{\"a\":1,\"b\":2},\n{\"a\":3,\"b\":4}]\n", 0 },
    { "syslog with semicolons",
      "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh\n"
      "Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown\n"
      "Jun 14 15:16:03 combo sshd(pam_unix)[19937]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh\n"
      "Jun 15 02:04:59 combo su(pam_unix)[20882]: session opened for user news by (uid=0)\n", 0 },
    { "Python logging: one comma a line, in the time",
      "2024-05-01 10:00:00,123 - app - INFO - Started\n2024-05-01 10:00:01,456 - app - INFO - Listening\n"
      "2024-05-01 10:00:02,789 - app - WARNING - Slow start\n2024-05-01 10:00:03,012 - db - INFO - Connected\n", 0 },
    { "headerless numbers", "1,2,3\n4,5,6\n7,8,9\n10,11,12\n", 0 },
    { "headerless rows with ids and dates",
      "E10001,Ann Smith,2021-03-01\nE10002,Bob Okafor,2020-11-15\nE10003,Carol Nguyen,2019-07-22\n", 0 },
    { "prose",
      "This folder holds excerpts of real logs, kept small.\nEach file is attributed in the table below, with its licence.\n"
      "Lines were cut, never edited, so the errors are real.\n", 0 },
    { "a markdown table", "| file | source |\n|---|---|\n| a.log | elastic |\n| b.log | loghub |\n", 0 },
    { "logfmt", "ts=2024-01-01T00:00:00Z level=info msg=\"job done, 3 files\" host=db-1\n"
                "ts=2024-01-01T00:01:00Z level=info msg=\"job done, 4 files\" host=db-2\n", 0 },
    { "nothing", "", 0 },
    { "one line without a line feed", "a,b,c", 0 },
    { "a BOM alone", "\xEF\xBB\xBF", 0 },
};

static void test_psr_csv_sniff_exports_score_high(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_sniff_high); i++) {
        const sniff_case *c = &k_sniff_high[i];
        size_t len = strlen(c->head);
        const char *p = guard_put(g, c->head, len);
        char d = 'x';
        int s = psr_csv_sniff(as_slice_make(p, len), &d);
        if (s < 80 || s > 100 || d != c->delim)
            fail_msg("%s: %d with delimiter 0x%02x, expected >= 80 with 0x%02x", c->name, s, (unsigned)d,
                     (unsigned)c->delim);
    }
}

static void test_psr_csv_sniff_logs_score_low(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_sniff_low); i++) {
        const sniff_case *c = &k_sniff_low[i];
        size_t len = strlen(c->head);
        const char *p = guard_put(g, c->head, len);
        char d = 'x';
        int s = psr_csv_sniff(as_slice_make(p, len), &d);
        if (s < 0 || s >= 30)
            fail_msg("%s: %d, expected < 30", c->name, s);
        assert_true(d == 'x' || d == ',' || d == ';' || d == '\t' || d == '|');
    }
}

static void test_psr_csv_sniff_header_alone(void **state)
{
    guard *g = *state;
    char d = 'x';
    const char *p = guard_put_cstr(g, "user,role,approved_by\n");
    assert_int_equal(psr_csv_sniff(as_slice_make(p, 22), &d), 50);     /* an export with no rows yet */
    assert_int_equal(d, ',');
    p = guard_put_cstr(g, "Hello, world\n");
    assert_true(psr_csv_sniff(as_slice_make(p, 13), &d) < 30);        /* " world" is no column name */
    /* a few malformed rows among good ones: still CSV (docs: 70) */
    const char *few = "id,name,created_at\n1,Ann,2026-03-01\n2,Bob,2026-03-02\n3,short\n";
    p = guard_put_cstr(g, few);
    int s = psr_csv_sniff(as_slice_make(p, strlen(few)), &d);
    assert_int_equal(s, 70);
    assert_int_equal(d, ',');
    /* every prefix of an export: never an over-read, always in range */
    const char *hr = "employee_id,name,email,department,start_date,status\n" HR_ROWS;
    for (size_t l = 0; l <= strlen(hr); l++) {
        p = guard_put(g, hr, l);
        s = psr_csv_sniff(as_slice_make(p, l), &d);
        assert_true(s >= 0 && s <= 100);
    }
}

/* ---- out of memory ---- */

static void test_psr_csv_split_oom(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice *f;
    size_t n;
    uint64_t line = 99, col = 99;
    as_alloc_fail_after(1);   /* the arena's first chunk */
    assert_int_equal(psr_csv_split(AS_SLICE_LIT("a,b"), NULL, &ar, &f, &n, &line, &col), AS_ERR_NOMEM);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    assert_int_equal(psr_csv_split_libcsv(AS_SLICE_LIT("a,b"), NULL, &ar, &f, &n, &line, &col), AS_ERR_NOMEM);
    assert_int_equal(psr_csv_count(AS_SLICE_LIT("a,\"b\"\"\""), NULL, &n, &line, &col), AS_OK);  /* no allocation */
    assert_int_equal(n, 2);
    as_alloc_fail_after(0);
    assert_int_equal(psr_csv_split(AS_SLICE_LIT("a,b"), NULL, &ar, &f, &n, &line, &col), AS_OK);
    assert_int_equal(n, 2);
    as_arena_fini(&ar);
}

/* Fails the 1st, 2nd, ... allocation of a split that needs several (tiny
 * arena chunks, doubled quotes, more than 64 fields) until one succeeds:
 * each failure is AS_ERR_NOMEM, never a crash or a wrong value. */
static void fault_loop(split_fn fn, const char *what)
{
    static char buf[4096];
    size_t len = make_wide(buf, sizeof buf, 150);
    as_slice rec = as_slice_make(buf, len);
    int failures = 0;
    for (uint64_t k = 1;; k++) {
        assert_true(k < 1000);
        as_arena ar;
        as_arena_init(&ar, 64);           /* 64-byte chunks: most allocations take a new one */
        as_alloc_fail_after(k);
        result r = run(fn, rec, ',', &ar);
        as_alloc_fail_after(0);
        if (r.rc == AS_ERR_NOMEM) {
            assert_int_equal(r.line, 0);
            failures++;
            as_arena_fini(&ar);
            continue;
        }
        if (r.rc != AS_OK)
            fail_msg("%s: %s after %llu allocations", what, as_err_name(r.rc), (unsigned long long)k);
        assert_int_equal(r.n, 150);
        assert_true(as_slice_eq_cstr(r.f[0], "f0\""));
        assert_true(as_slice_eq_cstr(r.f[149], "f149"));
        as_arena_fini(&ar);
        break;
    }
    assert_true(failures >= 3);
}

static void test_psr_csv_split_oom_at_every_allocation(void **state)
{
    (void)state;
    fault_loop(split_fast, "psr_csv_split");
    fault_loop(psr_csv_split_libcsv, "psr_csv_split_libcsv");
}

static void test_psr_csv_header_parse_oom(void **state)
{
    (void)state;
    static char buf[4096];
    size_t len = 0;
    for (int i = 0; i < 100; i++)      /* > 32 names: the sort array is one more allocation */
        len += (size_t)snprintf(buf + len, sizeof buf - len, i ? ",\"c\"\"%d\"" : "c%d", i);
    int failures = 0;
    for (uint64_t k = 1;; k++) {
        assert_true(k < 1000);
        as_arena ar;
        as_arena_init(&ar, 64);
        psr_csv_header h;
        uint64_t line = 99, col = 99;
        as_alloc_fail_after(k);
        as_code rc = psr_csv_header_parse(as_slice_make(buf, len), NULL, &ar, &h, &line, &col);
        as_alloc_fail_after(0);
        as_arena_fini(&ar);
        if (rc == AS_ERR_NOMEM) {
            assert_int_equal(line, 0);
            assert_int_equal(col, 0);
            failures++;
            continue;
        }
        assert_int_equal(rc, AS_OK);
        break;
    }
    assert_true(failures >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_csv_split_valid_records),
        cmocka_unit_test(test_psr_csv_split_malformed_records),
        cmocka_unit_test(test_psr_csv_split_location_may_be_null),
        cmocka_unit_test(test_psr_csv_split_agrees_with_libcsv_on_every_short_record),
        cmocka_unit_test(test_psr_csv_split_prefixes_never_overread),
        cmocka_unit_test(test_psr_csv_split_wide_records),
        cmocka_unit_test(test_psr_csv_split_field_limit),
        cmocka_unit_test(test_psr_csv_header_parse_names),
        cmocka_unit_test(test_psr_csv_header_parse_rejects),
        cmocka_unit_test(test_psr_csv_header_parse_wide_repeats),
        cmocka_unit_test(test_psr_csv_sniff_exports_score_high),
        cmocka_unit_test(test_psr_csv_sniff_logs_score_low),
        cmocka_unit_test(test_psr_csv_sniff_header_alone),
        cmocka_unit_test_teardown(test_psr_csv_split_oom, hook_off),
        cmocka_unit_test_teardown(test_psr_csv_split_oom_at_every_allocation, hook_off),
        cmocka_unit_test_teardown(test_psr_csv_header_parse_oom, hook_off),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
