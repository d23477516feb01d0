/* test_psr_regex.c: unit tests for parsers/psr_regex, the custom-format
 * parser over PCRE2: compile errors with their exact line and column, no
 * named group, duplicate names, group names in group-number order, matches
 * with several groups, an unset group against an empty one, anchored against
 * search, records that do not match, catastrophic backtracking and deep
 * nesting ending in an error value in bounded time, UTF-8 and invalid UTF-8
 * subjects, the JIT and interpreter paths agreeing on a table of patterns and
 * records, out-of-memory at every allocation of psr_regex_new and
 * psr_regex_md_new, and one compiled pattern shared by several threads
 * (threaded: tools/testrun.sh runs this file under `make tsan`). Records are
 * matched at the end of a page before a PROT_NONE page (guard.h), and every
 * prefix of one, so an over-read faults even without ASan. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>  /* the shared pattern under concurrent matchers */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* strlen, strstr, memset */
#include <time.h>     /* clock_gettime: bounded time */

#include "core/as.h"
#include "parsers/psr_regex.h"
#include "tests/unit/guard.h"

#define GUARD_MAX   ((size_t)2 << 20)  /* bytes: the longest record here (1 MiB) plus room */
#define MAX_GROUPS  16                 /* the most named groups a test pattern has */
#define BOUNDED_SEC 2.0                /* a hostile record must fail faster than this (limits: ~3-20 ms) */

static guard g_guard;  /* one per test binary; cmocka runs tests one at a time */

static int setup_guard(void **state)
{
    (void)state;
    return guard_init(&g_guard, GUARD_MAX) == 0 ? 0 : -1;
}

static int teardown_guard(void **state)
{
    (void)state;
    guard_fini(&g_guard);
    return 0;
}

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

/* ---- helpers ---- */

static psr_regex *compile(const char *pat, unsigned flags)
{
    as_err e;
    as_err_clear(&e);
    psr_regex *re = psr_regex_new(as_slice_cstr(pat), flags, &e);
    if (re == NULL)
        fail_msg("pattern %s: %s %s", pat, as_err_name(e.code), e.msg);
    return re;
}

static double now_sec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A pattern and a matcher for it. */
typedef struct rx {
    psr_regex    *re;
    psr_regex_md *md;
} rx;

static rx rx_open(const char *pat, unsigned flags)
{
    rx r = { compile(pat, flags), NULL };
    r.md = psr_regex_md_new(r.re);
    assert_non_null(r.md);
    return r;
}

static void rx_close(rx *r)
{
    psr_regex_md_free(r->md);
    psr_regex_free(r->re);
}

/* Matches len bytes of s placed at the end of the guarded page; *placed gets
 * where they are. */
static as_code match_guarded(rx *r, const char *s, size_t len, const char **placed, as_slice *out, uint64_t *col)
{
    const char *p = guard_put(&g_guard, s, len);
    assert_non_null(p);
    if (placed != NULL)
        *placed = p;
    return psr_regex_match(r->re, r->md, as_slice_make(p, len), out, col);
}

/* out is set and equals want at offset `at` of the record. */
static void expect_group(const char *ctx, const char *rec, as_slice got, const char *want, size_t at)
{
    if (got.ptr == NULL)
        fail_msg("%s: group unset, expected \"%s\"", ctx, want);
    if (!as_slice_eq_cstr(got, want) || got.ptr != rec + at)
        fail_msg("%s: group \"%.*s\" at %td, expected \"%s\" at %zu", ctx, AS_SLICE_ARG(got), got.ptr - rec, want, at);
}

/* ---- compile errors ---- */

typedef struct bad_case {
    const char *pattern;
    size_t      len;      /* 0: strlen */
    as_code     code;
    uint64_t    line, col;
    const char *msg;      /* a substring of err.msg */
} bad_case;

static const bad_case k_bad[] = {
    { "(?<a>x", 0, AS_ERR_SYNTAX, 1, 7, "missing closing parenthesis" },
    { "(?<a>[a-)", 0, AS_ERR_SYNTAX, 1, 9, "range out of order in character class" },
    { "(?<a>[a-", 0, AS_ERR_SYNTAX, 1, 9, "missing terminating ] for character class" },
    { "(?<a>x){3,2}", 0, AS_ERR_SYNTAX, 1, 12, "numbers out of order in {} quantifier" },
    { "(?<a>x)\\", 0, AS_ERR_SYNTAX, 1, 9, "\\ at end of pattern" },
    { "(?<a>x)*+*", 0, AS_ERR_SYNTAX, 1, 10, "quantifier does not follow a repeatable item" },
    { "(?<1a>x)", 0, AS_ERR_SYNTAX, 1, 4, "subpattern name must start with a non-digit" },
    { "(?<a>\xff)", 0, AS_ERR_SYNTAX, 1, 6, "UTF-8 error" },
    { "(?<a>\\C)", 0, AS_ERR_SYNTAX, 1, 8, "using \\C is disabled" },
    { "host=(?<h>\\S+)\n job=(?<j>", 0, AS_ERR_SYNTAX, 2, 11, "missing closing parenthesis" },
    /* no named group */
    { "(x)", 0, AS_ERR_SYNTAX, 0, 0, "no named group" },
    { "", 0, AS_ERR_SYNTAX, 0, 0, "no named group" },
    { "\\d+ (?:ok|failed)", 0, AS_ERR_SYNTAX, 0, 0, "no named group" },
    /* duplicate names: PCRE2 refuses them; (?J) allows them, psr_regex does not */
    { "(?<a>x)(?<a>y)", 0, AS_ERR_SYNTAX, 1, 13, "same name" },
    { "(?J)(?<a>x)|(?<a>y)", 0, AS_ERR_SYNTAX, 1, 16, "'a' is used twice" },
    { "(?J)(?'job'x) (?P<job>y)", 0, AS_ERR_SYNTAX, 1, 19, "'job' is used twice" },
    { "(?|(?<a>x)|(?<b>y))", 0, AS_ERR_SYNTAX, 1, 17, "different names" },
    /* a NUL in the pattern is a literal byte, not the end */
    { "(?<a>x)\0(", 9, AS_ERR_SYNTAX, 1, 10, "missing closing parenthesis" },
};

static void test_psr_regex_compile_errors_have_columns(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_bad); i++) {
        const bad_case *c = &k_bad[i];
        as_slice pat = as_slice_make(c->pattern, c->len ? c->len : strlen(c->pattern));
        for (unsigned flags = 0; flags < 4; flags++) {
            as_err e;
            as_err_clear(&e);
            psr_regex *re = psr_regex_new(pat, flags, &e);
            if (re != NULL)
                fail_msg("%zu: pattern accepted", i);
            if (e.code != c->code || e.loc.line != c->line || e.loc.col != c->col || strstr(e.msg, c->msg) == NULL)
                fail_msg("%zu (flags %u): got %s %llu:%llu \"%s\", expected %s %llu:%llu \"%s\"", i, flags,
                         as_err_name(e.code), (unsigned long long)e.loc.line, (unsigned long long)e.loc.col, e.msg,
                         as_err_name(c->code), (unsigned long long)c->line, (unsigned long long)c->col, c->msg);
            assert_null(e.loc.src);   /* the caller's to fill */
            /* err may be NULL */
            assert_null(psr_regex_new(pat, flags, NULL));
        }
    }
}

static void test_psr_regex_compile_error_prints_with_location(void **state)
{
    (void)state;
    as_err e;
    as_err_clear(&e);
    assert_null(psr_regex_new(AS_SLICE_LIT("(?<a>x"), 0, &e));
    e.loc.src = "--pattern";
    char buf[512];
    as_err_format(buf, sizeof buf, &e, AS_SEV_ERROR);
    assert_string_equal(buf, "--pattern:1:7: error: regex: missing closing parenthesis (PCRE2 error 114)");
}

static void test_psr_regex_new_rejects_bad_flags_and_long_patterns(void **state)
{
    (void)state;
    as_err e;
    as_err_clear(&e);
    assert_null(psr_regex_new(AS_SLICE_LIT("(?<a>x)"), 1u << 7, &e));
    assert_int_equal(e.code, AS_ERR_USAGE);

    size_t n = PSR_REGEX_PATTERN_MAX + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);   /* (?<a>x)(?#xxx...x): a long comment, compact code */
    memcpy(big, "(?<a>x)(?#", 10);
    big[n - 2] = ')';      /* the comment of the n - 1 byte pattern ends here */
    as_err_clear(&e);
    assert_null(psr_regex_new(as_slice_make(big, n), 0, &e));
    assert_int_equal(e.code, AS_ERR_SYNTAX);
    assert_non_null(strstr(e.msg, "longer than"));
    /* exactly the maximum is accepted */
    as_err_clear(&e);
    psr_regex *re = psr_regex_new(as_slice_make(big, n - 1), 0, &e);
    if (re == NULL)
        fail_msg("%s", e.msg);
    psr_regex_free(re);
    free(big);

    /* a NULL pattern of length 0 is the empty pattern: no named group */
    as_err_clear(&e);
    assert_null(psr_regex_new(as_slice_make(NULL, 0), 0, &e));
    assert_int_equal(e.code, AS_ERR_SYNTAX);
}

static void test_psr_regex_free_null_is_a_noop(void **state)
{
    (void)state;
    psr_regex_free(NULL);
    psr_regex_md_free(NULL);
}

/* ---- names ---- */

static void test_psr_regex_group_names_in_number_order(void **state)
{
    (void)state;
    /* unnamed groups take numbers too but are not reported; the name table is
     * sorted by name (zeta < alpha in number order) */
    psr_regex *re = compile("(?<zeta>\\d+)-(\\w)-(?'alpha'\\w+)(?:x)?(?P<mid>y)?(?<time>\\S*)", 0);
    assert_int_equal(psr_regex_n_groups(re), 4);
    static const char *const want[] = { "zeta", "alpha", "mid", "time" };
    for (size_t i = 0; i < 4; i++) {
        assert_true(as_slice_eq_cstr(psr_regex_group_name(re, i), want[i]));
        assert_int_equal(psr_regex_group_find(re, as_slice_cstr(want[i])), (int)i);
    }
    as_slice none = psr_regex_group_name(re, 4);
    assert_null(none.ptr);
    assert_int_equal(none.len, 0);
    assert_int_equal(psr_regex_group_find(re, AS_SLICE_LIT("alph")), -1);
    assert_int_equal(psr_regex_group_find(re, AS_SLICE_LIT("alphas")), -1);
    assert_int_equal(psr_regex_group_find(re, AS_SLICE_LIT("")), -1);
    assert_int_equal(psr_regex_group_find(re, AS_SLICE_LIT("ALPHA")), -1);  /* names are case-sensitive */
    psr_regex_free(re);

    /* branch reset: one group, one name, used in two branches */
    re = compile("(?|(?<v>a+)|(?<v>b+))", 0);
    assert_int_equal(psr_regex_n_groups(re), 1);
    psr_regex_free(re);
}

/* ---- matching ---- */

#define BACKUP_PATTERN                                                                          \
    "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ) backup host=(?<host>\\S+) job=(?<job>\\S+) " \
    "status=(?<status>ok|failed) bytes=(?<bytes>\\d+)"

static void test_psr_regex_match_backup_line(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags++) {
        rx r = rx_open(BACKUP_PATTERN, flags);
        assert_int_equal(psr_regex_n_groups(r.re), 5);
        assert_int_equal(psr_regex_group_find(r.re, AS_SLICE_LIT("time")), 0);
        const char *line = "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=123";
        const char *p;
        as_slice g[MAX_GROUPS];
        uint64_t col = 99;
        assert_int_equal(match_guarded(&r, line, strlen(line), &p, g, &col), AS_OK);
        assert_int_equal(col, 99);   /* untouched on success */
        assert_string_equal(psr_regex_md_reason(r.md), "");
        expect_group("time", p, g[0], "2026-01-03T02:00:12Z", 0);
        expect_group("host", p, g[1], "db1", 33);
        expect_group("job", p, g[2], "nightly", 41);
        expect_group("status", p, g[3], "ok", 56);
        expect_group("bytes", p, g[4], "123", 65);

        /* failed status, large byte count */
        line = "2026-01-04T02:00:09Z backup host=db2.internal job=weekly-full status=failed bytes=0";
        assert_int_equal(match_guarded(&r, line, strlen(line), &p, g, NULL), AS_OK);
        expect_group("host", p, g[1], "db2.internal", 33);
        expect_group("status", p, g[3], "failed", 69);
        expect_group("bytes", p, g[4], "0", 82);
        rx_close(&r);
    }
}

static void test_psr_regex_match_nine_groups_combined(void **state)
{
    (void)state;
    rx r = rx_open("(?<client>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] \"(?<request>[^\"]*)\" "
                   "(?<status>\\d{3}) (?<bytes>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"",
                   0);
    assert_int_equal(psr_regex_n_groups(r.re), 9);
    const char *line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
                       "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
    const char *p;
    as_slice g[MAX_GROUPS];
    assert_int_equal(match_guarded(&r, line, strlen(line), &p, g, NULL), AS_OK);
    expect_group("client", p, g[0], "127.0.0.1", 0);
    expect_group("ident", p, g[1], "-", 10);
    expect_group("user", p, g[2], "frank", 12);
    expect_group("time", p, g[3], "10/Oct/2000:13:55:36 -0700", 19);
    expect_group("request", p, g[4], "GET /apache_pb.gif HTTP/1.0", 48);
    expect_group("status", p, g[5], "200", 77);
    expect_group("bytes", p, g[6], "2326", 81);
    expect_group("referer", p, g[7], "http://www.example.com/start.html", 87);
    expect_group("agent", p, g[8], "Mozilla/4.08 [en] (Win98; I ;Nav)", 123);
    rx_close(&r);
}

static void test_psr_regex_unset_group_differs_from_empty(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags += 2) {
        rx r = rx_open("(?<opt>x)?(?<empty>y*)z(?:(?<num>\\d+)|(?<word>[a-z]+))", flags);
        const char *p;
        as_slice g[MAX_GROUPS];
        assert_int_equal(match_guarded(&r, "z42", 3, &p, g, NULL), AS_OK);
        assert_null(g[0].ptr);          /* did not take part */
        assert_int_equal(g[0].len, 0);
        assert_ptr_equal(g[1].ptr, p);  /* took part, matched nothing */
        assert_int_equal(g[1].len, 0);
        expect_group("num", p, g[2], "42", 1);
        assert_null(g[3].ptr);          /* the other branch */

        assert_int_equal(match_guarded(&r, "xyyzabc", 7, &p, g, NULL), AS_OK);
        expect_group("opt", p, g[0], "x", 0);
        expect_group("empty", p, g[1], "yy", 1);
        assert_null(g[2].ptr);          /* the highest-numbered set group is below it */
        expect_group("word", p, g[3], "abc", 4);
        rx_close(&r);
    }
}

static void test_psr_regex_match_empty_record(void **state)
{
    (void)state;
    rx r = rx_open("(?<a>x*)(?<b>y)?", 0);
    as_slice g[MAX_GROUPS];
    /* a NULL pointer of length 0: the empty record */
    assert_int_equal(psr_regex_match(r.re, r.md, as_slice_make(NULL, 0), g, NULL), AS_OK);
    assert_non_null(g[0].ptr);   /* set, empty: never NULL */
    assert_int_equal(g[0].len, 0);
    assert_null(g[1].ptr);
    /* an empty record at the guard page */
    const char *p;
    assert_int_equal(match_guarded(&r, "", 0, &p, g, NULL), AS_OK);
    assert_ptr_equal(g[0].ptr, p);
    rx_close(&r);
}

static void test_psr_regex_anchored_versus_search(void **state)
{
    (void)state;
    for (unsigned jit = 0; jit < 2; jit++) {
        unsigned nj = jit ? 0 : PSR_REGEX_NO_JIT;
        rx a = rx_open("(?<n>\\d+)", nj);
        rx s = rx_open("(?<n>\\d+)", nj | PSR_REGEX_SEARCH);
        const char *p;
        as_slice g[MAX_GROUPS];
        uint64_t col = 0;
        /* whole record only */
        assert_int_equal(match_guarded(&a, "12345", 5, &p, g, &col), AS_OK);
        expect_group("anchored", p, g[0], "12345", 0);
        static const char *const partial[] = { "abc 123 def", "123 def", "abc 123", "123\n", " 123" };
        for (size_t i = 0; i < AS_ARRAY_LEN(partial); i++) {
            col = 0;
            assert_int_equal(match_guarded(&a, partial[i], strlen(partial[i]), &p, g, &col), AS_ERR_SYNTAX);
            assert_int_equal(col, 1);
        }
        /* search: the first match anywhere */
        assert_int_equal(match_guarded(&s, "abc 123 def 456", 15, &p, g, NULL), AS_OK);
        expect_group("search", p, g[0], "123", 4);
        assert_int_equal(match_guarded(&s, "abc 123", 7, &p, g, NULL), AS_OK);
        expect_group("search at the end", p, g[0], "123", 4);
        assert_int_equal(match_guarded(&s, "abc", 3, &p, g, &col), AS_ERR_SYNTAX);
        /* the user's own anchors still work in search mode */
        rx s2 = rx_open("^(?<n>\\d+)$", nj | PSR_REGEX_SEARCH);
        assert_int_equal(match_guarded(&s2, "abc 123", 7, &p, g, &col), AS_ERR_SYNTAX);
        assert_int_equal(match_guarded(&s2, "123", 3, &p, g, &col), AS_OK);
        rx_close(&s2);
        /* alternation is anchored as a whole, not per branch */
        rx alt = rx_open("(?<w>a)|(?<w2>b)", nj);
        assert_int_equal(match_guarded(&alt, "ab", 2, &p, g, &col), AS_ERR_SYNTAX);
        assert_int_equal(match_guarded(&alt, "b", 1, &p, g, &col), AS_OK);
        assert_null(g[0].ptr);
        expect_group("alternation", p, g[1], "b", 0);
        rx_close(&alt);
        rx_close(&a);
        rx_close(&s);
    }
}

static void test_psr_regex_nonmatching_record(void **state)
{
    (void)state;
    rx r = rx_open(BACKUP_PATTERN, 0);
    static const char *const bad[] = {
        "2026-01-03T02:00:12Z backup host=db1 job=nightly status=maybe bytes=123",
        "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=",
        "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=123 ",
        "2026-01-03 02:00:12 backup host=db1 job=nightly status=ok bytes=123",
        "",
        "garbage",
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        as_slice g[MAX_GROUPS];
        uint64_t col = 0;
        assert_int_equal(match_guarded(&r, bad[i], strlen(bad[i]), NULL, g, &col), AS_ERR_SYNTAX);
        assert_int_equal(col, 1);
        assert_string_equal(psr_regex_md_reason(r.md), "record does not match the pattern");
        /* err_col may be NULL */
        assert_int_equal(match_guarded(&r, bad[i], strlen(bad[i]), NULL, g, NULL), AS_ERR_SYNTAX);
    }
    rx_close(&r);
}

static void test_psr_regex_prefixes_never_overread(void **state)
{
    (void)state;
    const char *line = "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=123";
    size_t n = strlen(line);
    for (unsigned flags = 0; flags < 4; flags++) {
        rx r = rx_open(BACKUP_PATTERN, flags);
        rx t = rx_open("(?<all>.*)(?<last>.)", flags);
        for (size_t k = 0; k <= n; k++) {
            as_slice g[MAX_GROUPS];
            as_code rc = match_guarded(&r, line, k, NULL, g, NULL);
            /* the prefixes ending in "bytes=1" and "bytes=12" are records too */
            assert_int_equal(rc, k >= n - 2 ? AS_OK : AS_ERR_SYNTAX);
            const char *p;
            rc = match_guarded(&t, line, k, &p, g, NULL);
            if (k == 0) {
                assert_int_equal(rc, AS_ERR_SYNTAX);
            } else {
                assert_int_equal(rc, AS_OK);
                assert_ptr_equal(g[1].ptr, p + k - 1);
            }
        }
        rx_close(&r);
        rx_close(&t);
    }
}

/* ---- hostile records ---- */

static char *repeat(const char *unit, size_t n, char last)
{
    size_t u = strlen(unit);
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = unit[i % u];
    if (last)
        s[n - 1] = last;
    s[n] = '\0';
    return s;
}

typedef struct hostile_case {
    const char *pattern;
    const char *unit;   /* the record repeats this */
    size_t      len;
    char        last;   /* replaces the record's last byte, when not 0 */
    int         must_hit_limit; /* 1: AS_ERR_BAD_VALUE on both paths; 0: SYNTAX or BAD_VALUE */
    const char *good;   /* a record that matches: the state still works after the failure */
} hostile_case;

static const hostile_case k_hostile[] = {
    /* the classic: JIT sees quickly that no 'b' follows (the required byte),
     * the interpreter does not look for it in a record this long */
    { "(?<a>(a+)+)b", "a", 10000, 0, 0, "aab" },
    /* no required byte to save it: exponential on both paths */
    { "(?<a>(a|a)+)$", "a", 10000, '!', 1, "aaa" },
    { "(?<a>(a|aa)+)$", "a", 10000, '!', 1, "aaa" },
    { "(?<a>(\\w+\\s?)+)$", "word ", 10000, '!', 1, "word word" },
    /* deep nesting: a repeated group per byte of a 1 MiB record (JIT stack,
     * interpreter match limit) */
    { "(?<a>(?:a|b)*)$", "ab", 1u << 20, 0, 1, "abba" },
};

static void test_psr_regex_catastrophic_backtracking_is_bounded(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_hostile); i++) {
        const hostile_case *c = &k_hostile[i];
        char *s = repeat(c->unit, c->len, c->last);
        for (unsigned flags = 0; flags < 4; flags++) {
            rx r = rx_open(c->pattern, flags);
            as_slice g[MAX_GROUPS];
            uint64_t col = 0;
            double t0 = now_sec();
            as_code rc = match_guarded(&r, s, c->len, NULL, g, &col);
            double dt = now_sec() - t0;
            if (dt > BOUNDED_SEC)
                fail_msg("%zu (flags %u): %.2f s", i, flags, dt);
            if (c->must_hit_limit ? rc != AS_ERR_BAD_VALUE : rc != AS_ERR_BAD_VALUE && rc != AS_ERR_SYNTAX)
                fail_msg("%zu (flags %u): %s", i, flags, as_err_name(rc));
            assert_int_equal(col, 1);
            if (rc == AS_ERR_BAD_VALUE)
                assert_non_null(strstr(psr_regex_md_reason(r.md), "limit exceeded"));
            assert_int_equal(match_guarded(&r, c->good, strlen(c->good), NULL, g, NULL), AS_OK);
            assert_string_equal(psr_regex_md_reason(r.md), "");
            rx_close(&r);
        }
        free(s);
    }
}

static void test_psr_regex_limits_say_which(void **state)
{
    (void)state;
    char *s = repeat("a", 10000, '!');
    rx r = rx_open("(?<a>(a|a)+)", 0);
    as_slice g[MAX_GROUPS];
    assert_int_equal(match_guarded(&r, s, 10000, NULL, g, NULL), AS_ERR_BAD_VALUE);
    assert_string_equal(psr_regex_md_reason(r.md), "match limit exceeded (catastrophic backtracking?)");
    rx_close(&r);
    free(s);

    /* a pattern may lower the limits, never raise them */
    s = repeat("ab", 2000, 0);
    r = rx_open("(*LIMIT_MATCH=100)(?<a>(?:a|b)*)", PSR_REGEX_NO_JIT);
    assert_int_equal(match_guarded(&r, s, 2000, NULL, g, NULL), AS_ERR_BAD_VALUE);
    rx_close(&r);
    r = rx_open("(*LIMIT_DEPTH=100)(?<a>(?:a|b)*)", PSR_REGEX_NO_JIT);
    assert_int_equal(match_guarded(&r, s, 2000, NULL, g, NULL), AS_ERR_BAD_VALUE);
    assert_string_equal(psr_regex_md_reason(r.md), "backtracking depth limit exceeded");
    rx_close(&r);
    r = rx_open("(*LIMIT_HEAP=1)(?<a>(?:a|b)*)", PSR_REGEX_NO_JIT);
    assert_int_equal(match_guarded(&r, s, 2000, NULL, g, NULL), AS_ERR_BAD_VALUE);
    assert_string_equal(psr_regex_md_reason(r.md), "backtracking heap limit exceeded");
    rx_close(&r);
    free(s);

    /* a recursion that consumes nothing: JIT would retry every depth until
     * its stack is full (seconds); patterns that call groups are interpreted,
     * and the interpreter sees the loop at once */
    static const char *const loops[] = { "(?<a>(?1)|x)", "(?<i>|(?1))x", "(?<i>|(?&i))x",
                                         "(?<i>|(?P>i))x", "(?<i>|\\g<i>)x", "(?<i>|(?R))x", "(?<i>|(?-1))x" };
    for (size_t i = 0; i < AS_ARRAY_LEN(loops); i++) {
        for (unsigned flags = 0; flags < 4; flags++) {
            r = rx_open(loops[i], flags);
            assert_int_equal(psr_regex_is_jit(r.re), 0);
            if (!(flags & PSR_REGEX_NO_JIT))
                assert_non_null(strstr(psr_regex_jit_reason(r.re), "calls groups"));
            double t0 = now_sec();
            const char *rec = "(?JJx)|(?<i>(?0) )";
            assert_int_equal(match_guarded(&r, rec, strlen(rec), NULL, g, NULL), AS_ERR_BAD_VALUE);
            assert_true(now_sec() - t0 < 0.1);
            assert_string_equal(psr_regex_md_reason(r.md), "pattern recursion loops at one position of the record");
            rx_close(&r);
        }
    }
    /* the fuzzer's find: an empty first branch, then the whole pattern again
     * (20 s with JIT and a 4 MiB stack): now interpreted, at once */
    for (unsigned flags = 0; flags < 4; flags++) {
        r = rx_open("(?JJx)|(?<i>(?0) )", flags);
        assert_int_equal(psr_regex_is_jit(r.re), 0);
        double t0 = now_sec();
        as_code rc = match_guarded(&r, "(?JJx)|(?<i>(?0) )", 18, NULL, g, NULL);
        assert_int_equal(rc, flags & PSR_REGEX_SEARCH ? AS_OK : AS_ERR_SYNTAX);  /* search: the empty branch */
        assert_true(now_sec() - t0 < 0.1);
        rx_close(&r);
    }
    /* a recursion that consumes is fine: balanced parentheses */
    r = rx_open("(?<p>\\((?:[^()]++|(?&p))*\\))", 0);
    assert_int_equal(match_guarded(&r, "(a(b)(c(d)))", 12, NULL, g, NULL), AS_OK);
    assert_int_equal(match_guarded(&r, "(a(b)(c(d))", 11, NULL, g, NULL), AS_ERR_SYNTAX);
    rx_close(&r);

    s = repeat("ab", 1u << 20, 0);
    r = rx_open("(?<a>(?:a|b)*)", 0);
    if (psr_regex_is_jit(r.re)) {
        assert_int_equal(match_guarded(&r, s, 1u << 20, NULL, g, NULL), AS_ERR_BAD_VALUE);
        assert_non_null(strstr(psr_regex_md_reason(r.md), "JIT stack limit exceeded"));
        /* ~43,000 repetitions fit in PSR_REGEX_JIT_STACK_MAX */
        assert_int_equal(match_guarded(&r, s, 40000, NULL, g, NULL), AS_OK);
    }
    rx_close(&r);
    free(s);
}

/* ---- UTF-8 ---- */

static void test_psr_regex_utf8_subjects(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags += 2) {
        const char *p;
        as_slice g[MAX_GROUPS];
        /* `.` is one code point, not one byte */
        rx r = rx_open("(?<c>.)(?<rest>.*)", flags);
        assert_int_equal(match_guarded(&r, "\xc3\xa9t\xc3\xa9", 5, &p, g, NULL), AS_OK);   /* été */
        expect_group("c", p, g[0], "\xc3\xa9", 0);
        expect_group("rest", p, g[1], "t\xc3\xa9", 2);
        assert_int_equal(match_guarded(&r, "\xf0\x9f\x98\x80!", 5, &p, g, NULL), AS_OK);  /* U+1F600 */
        expect_group("emoji", p, g[0], "\xf0\x9f\x98\x80", 0);
        rx_close(&r);

        /* non-ASCII literals and classes; \w stays ASCII (no UCP) */
        r = rx_open("user=(?<u>[\\w\xc3\xa9\xc3\xb6]+) (?<x>\\w*)(?<y>.*)", flags);
        const char *rec = "user=j\xc3\xb6rg \xc3\xa9t\xc3\xa9";
        assert_int_equal(match_guarded(&r, rec, strlen(rec), &p, g, NULL), AS_OK);
        expect_group("u", p, g[0], "j\xc3\xb6rg", 5);
        assert_ptr_equal(g[1].ptr, p + 11);   /* \w matched nothing before the é */
        assert_int_equal(g[1].len, 0);
        rx_close(&r);

        /* caseless works on non-ASCII letters in UTF mode */
        r = rx_open("(?i)(?<name>\xc3\x89T\xc3\x89)", flags);  /* ÉTÉ */
        assert_int_equal(match_guarded(&r, "\xc3\xa9t\xc3\xa9", 5, &p, g, NULL), AS_OK);
        rx_close(&r);

        /* invalid UTF-8 matches nothing, not even `.` or [^x]: never crashes;
         * the error gives the first invalid byte */
        static const struct { const char *s; uint64_t col; } invalid[] = {
            { "\xff", 1 }, { "a\xc3", 2 }, { "\xc3(", 1 }, { "ab\xed\xa0\x80", 3 } /* surrogate */,
            { "\xc0\xaf", 1 } /* overlong */, { "\xf4\x90\x80\x80", 1 } /* > U+10FFFF */, { "abc\x80", 4 },
        };
        rx any = rx_open("(?<a>.*)", flags);
        rx neg = rx_open("(?<a>[^x]*)", flags);
        for (size_t i = 0; i < AS_ARRAY_LEN(invalid); i++) {
            size_t len = strlen(invalid[i].s);
            uint64_t col = 0;
            assert_int_equal(match_guarded(&any, invalid[i].s, len, NULL, g, &col), AS_ERR_INVALID_UTF8);
            assert_int_equal(col, invalid[i].col);
            assert_string_equal(psr_regex_md_reason(any.md), "record is not valid UTF-8");
            col = 0;
            assert_int_equal(match_guarded(&neg, invalid[i].s, len, NULL, g, &col), AS_ERR_INVALID_UTF8);
            assert_int_equal(col, invalid[i].col);
        }
        rx_close(&any);
        rx_close(&neg);

        /* searching: an invalid record is refused too, not searched around */
        r = rx_open("(?<w>[a-z]+)", flags | PSR_REGEX_SEARCH);
        uint64_t col = 0;
        assert_int_equal(match_guarded(&r, "\xff\xfe" "abc\xc3", 6, &p, g, &col), AS_ERR_INVALID_UTF8);
        assert_int_equal(col, 1);
        assert_int_equal(match_guarded(&r, "abc\xc3", 4, &p, g, &col), AS_ERR_INVALID_UTF8);
        assert_int_equal(col, 4);
        rx_close(&r);
    }
}

/* Backtracking over multi-byte characters, and the search start: what PCRE2
 * 10.42 gets wrong with PCRE2_MATCH_INVALID_UTF or its JIT start-up
 * optimizations (psr_regex.c), right here on both paths. */
static void test_psr_regex_backtracks_over_multibyte_characters(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags += 2) {
        const char *p;
        as_slice g[MAX_GROUPS];
        rx r = rx_open("(?<a>\\p{L}+)\\S(?<b>\\X)", flags);
        const char *rec = "wordu\xc3\xa9\xcc\x81";   /* é, then a combining acute accent */
        assert_int_equal(match_guarded(&r, rec, strlen(rec), &p, g, NULL), AS_OK);
        expect_group("letters", p, g[0], "wordu", 0);
        expect_group("grapheme", p, g[1], "\xcc\x81", 7);
        rx_close(&r);

        r = rx_open("(?<s>\\S+)b", flags | PSR_REGEX_SEARCH);
        rec = " a\xc3\xa9" "7b";
        assert_int_equal(match_guarded(&r, rec, strlen(rec), &p, g, NULL), AS_OK);
        expect_group("leftmost", p, g[0], "a\xc3\xa9" "7", 1);
        rx_close(&r);

        r = rx_open("(?<x>ab|)a*ab", flags | PSR_REGEX_SEARCH);
        rec = "xab";
        assert_int_equal(match_guarded(&r, rec, 3, &p, g, NULL), AS_OK);
        assert_ptr_equal(g[0].ptr, p + 1);   /* the empty branch, at the leftmost match */
        assert_int_equal(g[0].len, 0);
        rx_close(&r);

        r = rx_open("(?<user>\\S+) (?<rest>.+)", flags);
        rec = "j\xc3\xb6rg \xc3\xa9t\xc3\xa9 \xe2\x82\xac";
        assert_int_equal(match_guarded(&r, rec, strlen(rec), &p, g, NULL), AS_OK);
        expect_group("user", p, g[0], "j\xc3\xb6rg", 0);
        expect_group("rest", p, g[1], "\xc3\xa9t\xc3\xa9 \xe2\x82\xac", 6);
        rx_close(&r);
    }
}

/* ASCII records run on a byte-mode compilation of an ASCII pattern
 * (psr_regex.c): the cases where UTF and byte mode could differ on ASCII
 * text keep UTF semantics. */
static void test_psr_regex_ascii_records_keep_utf_semantics(void **state)
{
    (void)state;
    static const struct { const char *pattern, *rec; as_code want; } k[] = {
        { "(?i)(?<s>\\x{17f})", "S", AS_OK },         /* long s folds to s and S */
        { "(?i)(?<k>\\x{212a})", "k", AS_OK },        /* Kelvin sign folds to k */
        { "(?i)(?<k>[^\\x{212a}])", "k", AS_ERR_SYNTAX },
        { "(?i)(?<n>\\N{U+17F}+)", "sS", AS_OK },
        { "(?<e>\\xe9|e)", "e", AS_OK },
        { "(?<e>\\xe9)", "\xc3\xa9", AS_OK },         /* \xe9 is U+00E9, not the byte */
        { "(?<p>\\p{Lu}+)(?<q>\\P{Lu}+)", "ABcd", AS_OK },
        { "(*UCP)(?<w>\\w+)", "abc_1", AS_OK },
        { "(?<x>\\X{3})", "a\r\nb", AS_OK },         /* CR LF is one cluster */
        { "(?<x>.{2})", "\xc3\xa9\xc3\xa9", AS_OK },   /* two characters, four bytes */
        { "(?<x>.{3})", "\xc3\xa9\xc3\xa9", AS_ERR_SYNTAX },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        for (unsigned flags = 0; flags < 4; flags += 2) {
            rx r = rx_open(k[i].pattern, flags);
            as_slice g[MAX_GROUPS];
            as_code rc = match_guarded(&r, k[i].rec, strlen(k[i].rec), NULL, g, NULL);
            if (rc != k[i].want)
                fail_msg("%zu (flags %u): %s", i, flags, as_err_name(rc));
            rx_close(&r);
        }
    }
}

/* ---- JIT and interpreter agree ---- */

typedef struct same_case {
    const char *pattern;
    unsigned    flags;     /* PSR_REGEX_SEARCH or 0 */
    const char *records[6];
} same_case;

static const same_case k_same[] = {
    { BACKUP_PATTERN, 0,
      { "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=123",
        "2026-01-03T02:00:12Z backup host=db1 job=nightly status=bad bytes=123", "", "x" } },
    { "(?<k>\\w+)=(?<v>\"[^\"]*\"|\\S*)", PSR_REGEX_SEARCH, { "a b=\"c d\" e=f", "=x", "k=", "\"q\"=1" } },
    { "(?<opt>x)?(?<empty>y*)z(?:(?<num>\\d+)|(?<word>[a-z]+))", 0, { "z42", "xyyzabc", "z", "xz1a" } },
    { "(?<a>(?<b>a)|b)+", 0, { "aab", "ba", "abab", "" } },
    { "(?<w>\\b\\w+\\b)(?=,)", PSR_REGEX_SEARCH, { "one, two", "x,", ",", "a b c," } },
    { "(?<x>(?<=a)b)", PSR_REGEX_SEARCH, { "ab", "b", "cab", "\xc3\xa9" "b" } },
    { "(?<u>[^\\x{e9}]+)", 0, { "abc", "\xc3\xa9", "ab\xc3\xa9", "\xff" } },
    { "(?<a>.)\\1(?<b>.)", PSR_REGEX_SEARCH, { "aab", "\xc3\xa9\xc3\xa9x", "ab", "xxyy" } },
    { "(?<a>\\p{L}+)\\S(?<b>\\X)", 0, { "wordu\xc3\xa9\xcc\x81", "ab", "\xc3\xa9\xc3\xa9\xc3\xa9" } },
    { "(?<s>\\S+)b", PSR_REGEX_SEARCH, { " a\xc3\xa9" "7b", "\xe2\x82\xac\xe2\x82\xac b", "b" } },
    /* PCRE2 10.42's JIT start-up optimization missed these (the fuzzer's find) */
    { "(?<x>ab|)a*ab", PSR_REGEX_SEARCH, { "ab", "xab", "abab", "b" } },
    { "(?<a>(:a|)a*|\x12" "b):ab", PSR_REGEX_SEARCH, { "):ab", ":ab", "x:ab", "\x12" "b:ab" } },
    { "(?<n>\\d+)(?:\\.(?<f>\\d+))?(?<unit>ms|s)?", 0, { "12", "12.5ms", "12.", ".5", "3s" } },
    { "(?<any>.*?)(?<tail>\\d*)", 0, { "abc123", "123", "", "a1b2" } },
    { "(?<r>(?:[^\"\\\\]|\\\\.)*)", 0, { "plain", "esc\\\"aped", "bad\"", "trail\\" } },
};

static void test_psr_regex_jit_and_interpreter_agree(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_same); i++) {
        const same_case *c = &k_same[i];
        rx j = rx_open(c->pattern, c->flags);
        rx n = rx_open(c->pattern, c->flags | PSR_REGEX_NO_JIT);
        assert_int_equal(psr_regex_is_jit(n.re), 0);
        assert_int_equal(psr_regex_n_groups(j.re), psr_regex_n_groups(n.re));
        for (size_t k = 0; k < AS_ARRAY_LEN(c->records) && c->records[k] != NULL; k++) {
            size_t len = strlen(c->records[k]);
            const char *p;
            as_slice gj[MAX_GROUPS], gn[MAX_GROUPS];
            uint64_t cj = 0, cn = 0;
            as_code rj = match_guarded(&j, c->records[k], len, &p, gj, &cj);
            as_code rn = psr_regex_match(n.re, n.md, as_slice_make(p, len), gn, &cn);
            if (rj != rn || cj != cn)
                fail_msg("%zu/%zu: jit %s, interpreter %s", i, k, as_err_name(rj), as_err_name(rn));
            if (rj != AS_OK)
                continue;
            for (size_t x = 0; x < psr_regex_n_groups(j.re); x++)
                if (gj[x].ptr != gn[x].ptr || gj[x].len != gn[x].len)
                    fail_msg("%zu/%zu: group %zu differs", i, k, x);
        }
        rx_close(&j);
        rx_close(&n);
    }
}

static void test_psr_regex_jit_is_reported(void **state)
{
    (void)state;
    psr_regex *re = compile("(?<a>x)", PSR_REGEX_NO_JIT);
    assert_int_equal(psr_regex_is_jit(re), 0);
    assert_string_equal(psr_regex_jit_reason(re), "disabled by PSR_REGEX_NO_JIT");
    psr_regex_free(re);
    re = compile("(?<a>x)", 0);
    if (psr_regex_is_jit(re))
        assert_string_equal(psr_regex_jit_reason(re), "");
    else
        assert_true(psr_regex_jit_reason(re)[0] != '\0');
    psr_regex_free(re);
    /* (*NO_JIT) in the pattern: PCRE2 then builds no JIT code, and it is said */
    re = compile("(*NO_JIT)(?<a>x)", 0);
    assert_int_equal(psr_regex_is_jit(re), 0);
    assert_true(psr_regex_jit_reason(re)[0] != '\0');
    rx r = { re, psr_regex_md_new(re) };
    assert_non_null(r.md);
    as_slice g[1];
    assert_int_equal(match_guarded(&r, "x", 1, NULL, g, NULL), AS_OK);
    rx_close(&r);
}

static void test_psr_regex_md_of_another_pattern_is_refused(void **state)
{
    (void)state;
    rx a = rx_open("(?<a>x)", 0);
    rx b = rx_open("(?<a>x)(?<b>y)(?<c>z)", 0);
    as_slice g[MAX_GROUPS];
    uint64_t col = 0;
    assert_int_equal(psr_regex_match(a.re, b.md, AS_SLICE_LIT("x"), g, &col), AS_ERR_USAGE);
    assert_int_equal(col, 1);
    assert_int_equal(psr_regex_match(a.re, a.md, AS_SLICE_LIT("x"), g, &col), AS_OK);
    rx_close(&a);
    rx_close(&b);
}

/* ---- out of memory ---- */

static void test_psr_regex_oom_every_allocation(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags += 2) {
        int done = 0;
        for (uint64_t n = 1; n < 1000 && !done; n++) {
            as_err e;
            as_err_clear(&e);
            as_alloc_fail_after(n);
            psr_regex *re = psr_regex_new(AS_SLICE_LIT(BACKUP_PATTERN), flags, &e);
            psr_regex_md *md = re ? psr_regex_md_new(re) : NULL;
            as_slice g[MAX_GROUPS];
            const char *line = "2026-01-03T02:00:12Z backup host=db1 job=nightly status=ok bytes=123";
            as_code rc = md ? psr_regex_match(re, md, as_slice_cstr(line), g, NULL) : AS_ERR_NOMEM;
            /* is the hook still armed, i.e. did nothing fail? */
            void *probe = as_malloc(1);
            as_alloc_fail_after(0);
            if (re == NULL)
                assert_int_equal(e.code, AS_ERR_NOMEM);
            if (md != NULL)   /* the interpreter may need memory for its frames */
                assert_true(rc == AS_OK || rc == AS_ERR_NOMEM);
            if (probe != NULL) {
                assert_non_null(re);
                assert_non_null(md);
                assert_int_equal(rc, AS_OK);
                expect_group("host", line, g[1], "db1", 33);
                done = 1;
            }
            as_free(probe);
            psr_regex_md_free(md);
            psr_regex_free(re);
        }
        assert_true(done);
    }
}

/* ---- threads: one compiled pattern, one md per thread ---- */

#define THREADS      4
#define PER_THREAD   20000

typedef struct thread_arg {
    const psr_regex *re;
    size_t           ok;   /* records whose groups were exactly right */
} thread_arg;

static void *match_loop(void *p)
{
    thread_arg *a = p;
    psr_regex_md *md = psr_regex_md_new(a->re);
    if (md == NULL)
        return NULL;
    char line[128];
    for (int i = 0; i < PER_THREAD; i++) {
        int k = snprintf(line, sizeof line, "2026-01-03T02:00:12Z backup host=db%d job=j%d status=ok bytes=%d", i % 97,
                         i, i * 7);
        as_slice g[MAX_GROUPS];
        char want[32];
        snprintf(want, sizeof want, "%d", i * 7);
        if (psr_regex_match(a->re, md, as_slice_make(line, (size_t)k), g, NULL) == AS_OK &&
            as_slice_eq_cstr(g[4], want))
            a->ok++;
    }
    psr_regex_md_free(md);
    return NULL;
}

static void test_psr_regex_shared_by_threads(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 4; flags += 2) {
        psr_regex *re = compile(BACKUP_PATTERN, flags);
        pthread_t th[THREADS];
        thread_arg args[THREADS];
        for (int i = 0; i < THREADS; i++) {
            args[i] = (thread_arg){ re, 0 };
            assert_int_equal(pthread_create(&th[i], NULL, match_loop, &args[i]), 0);
        }
        for (int i = 0; i < THREADS; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_int_equal(args[i].ok, PER_THREAD);
        }
        psr_regex_free(re);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_regex_compile_errors_have_columns),
        cmocka_unit_test(test_psr_regex_compile_error_prints_with_location),
        cmocka_unit_test(test_psr_regex_new_rejects_bad_flags_and_long_patterns),
        cmocka_unit_test(test_psr_regex_free_null_is_a_noop),
        cmocka_unit_test(test_psr_regex_group_names_in_number_order),
        cmocka_unit_test(test_psr_regex_match_backup_line),
        cmocka_unit_test(test_psr_regex_match_nine_groups_combined),
        cmocka_unit_test(test_psr_regex_unset_group_differs_from_empty),
        cmocka_unit_test(test_psr_regex_match_empty_record),
        cmocka_unit_test(test_psr_regex_anchored_versus_search),
        cmocka_unit_test(test_psr_regex_nonmatching_record),
        cmocka_unit_test(test_psr_regex_prefixes_never_overread),
        cmocka_unit_test(test_psr_regex_catastrophic_backtracking_is_bounded),
        cmocka_unit_test(test_psr_regex_limits_say_which),
        cmocka_unit_test(test_psr_regex_utf8_subjects),
        cmocka_unit_test(test_psr_regex_backtracks_over_multibyte_characters),
        cmocka_unit_test(test_psr_regex_ascii_records_keep_utf_semantics),
        cmocka_unit_test(test_psr_regex_jit_and_interpreter_agree),
        cmocka_unit_test(test_psr_regex_jit_is_reported),
        cmocka_unit_test(test_psr_regex_md_of_another_pattern_is_refused),
        cmocka_unit_test_teardown(test_psr_regex_oom_every_allocation, hook_off),
        cmocka_unit_test(test_psr_regex_shared_by_threads),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
