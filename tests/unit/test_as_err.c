/* test_as_err.c: unit tests for core/as_err: stable names, the first failure
 * wins, and the exact text of the one printer. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* open_memstream */
#include <stdlib.h>  /* free */
#include <string.h>  /* strcmp, strlen, memset */

#include "core/as_err.h"

/* The names key rejected-record counts in JSON output: changing one is a
 * format change. This table pins every code to its name. */
static const struct {
    as_code     code;
    const char *name;
} k_pinned[] = {
    { AS_OK, "ok" },
    { AS_ERR_NOMEM, "nomem" },
    { AS_ERR_USAGE, "usage" },
    { AS_ERR_OPEN, "open" },
    { AS_ERR_IO, "io" },
    { AS_ERR_WRITE, "write" },
    { AS_ERR_TRUNCATED, "truncated" },
    { AS_ERR_CORRUPT, "corrupt" },
    { AS_ERR_CHANGED, "changed" },
    { AS_ERR_TOO_LONG, "too_long" },
    { AS_ERR_NUL_BYTE, "nul_byte" },
    { AS_ERR_INVALID_UTF8, "invalid_utf8" },
    { AS_ERR_PARTIAL, "partial" },
    { AS_ERR_SYNTAX, "syntax" },
    { AS_ERR_BAD_TIME, "bad_time" },
    { AS_ERR_BAD_VALUE, "bad_value" },
    { AS_ERR_UNSUPPORTED, "unsupported" },
    { AS_ERR_INTERRUPTED, "interrupted" },
    { AS_ERR_INTERNAL, "internal" },
};

static void test_as_err_names_are_pinned(void **state)
{
    (void)state;
    /* a new code must be added to k_pinned too */
    assert_int_equal(AS_ARRAY_LEN(k_pinned), AS_ERR__COUNT);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_pinned); i++) {
        assert_int_equal(k_pinned[i].code, i);  /* values are stable too */
        assert_string_equal(as_err_name(k_pinned[i].code), k_pinned[i].name);
    }
}

static void test_as_err_names_are_distinct_identifiers(void **state)
{
    (void)state;
    for (int i = 0; i < AS_ERR__COUNT; i++) {
        const char *n = as_err_name((as_code)i);
        assert_true(strlen(n) > 0);
        for (const char *p = n; *p; p++)  /* usable as a JSON key and a CLI word */
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        for (int j = 0; j < i; j++)
            assert_true(strcmp(n, as_err_name((as_code)j)) != 0);
        assert_true(strlen(as_err_text((as_code)i)) > 0);
    }
}

static void test_as_err_from_name_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < AS_ERR__COUNT; i++)
        assert_int_equal(as_err_from_name(as_err_name((as_code)i)), i);
    assert_int_equal(as_err_from_name("no_such_code"), -1);
    assert_int_equal(as_err_from_name(""), -1);
    assert_int_equal(as_err_from_name("TOO_LONG"), -1);  /* names are exact */
    assert_int_equal(as_err_from_name("too_long "), -1);
}

static void test_as_err_unknown_code(void **state)
{
    (void)state;
    assert_string_equal(as_err_name(AS_ERR__COUNT), "unknown");
    assert_string_equal(as_err_name((as_code)-1), "unknown");
    assert_string_equal(as_err_text(AS_ERR__COUNT), "unknown error");
    assert_string_equal(as_err_text(AS_ERR_TOO_LONG), "record longer than --max-record");
}

static void test_as_err_set_first_failure_wins(void **state)
{
    (void)state;
    as_err e;
    memset(&e, 0x55, sizeof e);
    as_err_clear(&e);
    assert_int_equal(e.code, AS_OK);
    assert_null(e.loc.src);
    assert_string_equal(e.msg, "");

    as_loc l1 = { .src = "a.log", .line = 3, .col = 9 };
    as_loc l2 = { .src = "b.log", .line = 7 };
    assert_int_equal(as_err_set(&e, AS_ERR_SYNTAX, l1, "unexpected '%c'", ')'), AS_ERR_SYNTAX);
    assert_int_equal(as_err_set(&e, AS_ERR_IO, l2, "later %d", 2), AS_ERR_IO);  /* returns its code */
    assert_int_equal(e.code, AS_ERR_SYNTAX);
    assert_string_equal(e.loc.src, "a.log");
    assert_int_equal(e.loc.line, 3);
    assert_int_equal(e.loc.col, 9);
    assert_string_equal(e.msg, "unexpected ')'");

    as_err_clear(&e);
    assert_int_equal(as_err_set(&e, AS_ERR_IO, l2, "now %d", 2), AS_ERR_IO);
    assert_string_equal(e.msg, "now 2");
    /* no out-parameter: only the code */
    assert_int_equal(as_err_set(NULL, AS_ERR_BAD_TIME, l1, NULL), AS_ERR_BAD_TIME);
}

static void test_as_err_set_default_text_and_truncation(void **state)
{
    (void)state;
    as_err e;
    as_err_clear(&e);
    as_err_set(&e, AS_ERR_TRUNCATED, (as_loc){ 0 }, NULL);
    assert_string_equal(e.msg, "truncated compressed stream");

    char long_msg[600];
    memset(long_msg, 'm', sizeof long_msg - 1);
    long_msg[sizeof long_msg - 1] = '\0';
    as_err_clear(&e);
    as_err_set(&e, AS_ERR_BAD_VALUE, (as_loc){ 0 }, "%s", long_msg);
    assert_int_equal(strlen(e.msg), AS_ERR_MSG_MAX - 1);
    assert_int_equal(e.msg[AS_ERR_MSG_MAX - 2], 'm');
}

static void fmt(char *buf, size_t cap, as_code code, as_loc loc, const char *msg, as_severity sev)
{
    as_err e;
    as_err_clear(&e);
    e.code = code;
    e.loc = loc;
    if (msg != NULL)
        snprintf(e.msg, sizeof e.msg, "%s", msg);
    as_err_format(buf, cap, &e, sev);
}

/* as_err_vset through a variadic wrapper, as modules with their own error
 * helper use it (rules/rul_expr_check.c). */
static as_code AS_PRINTF(3, 4) wrap(as_err *e, as_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_code rc = as_err_vset(e, code, (as_loc){ .line = 2, .col = 5 }, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_as_err_vset_and_loc_at(void **state)
{
    (void)state;
    as_err e;
    as_err_clear(&e);
    assert_int_equal(wrap(&e, AS_ERR_SYNTAX, "bad %s at %d", "token", 7), AS_ERR_SYNTAX);
    assert_string_equal(e.msg, "bad token at 7");
    assert_int_equal(e.loc.line, 2);
    assert_int_equal(wrap(&e, AS_ERR_IO, "second"), AS_ERR_IO); /* the first failure wins */
    assert_string_equal(e.msg, "bad token at 7");
    as_err_clear(&e);
    assert_int_equal(wrap(&e, AS_ERR_NOMEM, NULL), AS_ERR_NOMEM);
    assert_string_equal(e.msg, "out of memory");
    assert_int_equal(wrap(NULL, AS_ERR_IO, "x"), AS_ERR_IO);

    static const struct { size_t off; uint64_t line, col; } k[] = {
        { 0, 1, 1 }, { 2, 1, 3 }, { 3, 2, 1 }, { 5, 2, 3 }, { 6, 3, 1 }, { 7, 3, 2 },
    };
    as_slice text = AS_SLICE_LIT("ab\ncd\ne");
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        as_loc loc = as_loc_at(text, k[i].off);
        assert_int_equal(loc.line, k[i].line);
        assert_int_equal(loc.col, k[i].col);
        assert_int_equal(loc.has_offset, 0);
    }
    as_loc end = as_loc_at((as_slice){ NULL, 0 }, 0);
    assert_int_equal(end.line, 1);
    assert_int_equal(end.col, 1);
}

static void test_as_err_format_exact_text(void **state)
{
    (void)state;
    static const struct {
        as_loc      loc;
        const char *msg;   /* NULL: the default text */
        as_severity sev;
        const char *want;
    } cases[] = {
        { { "rules.yaml", 3, 7, 0, 0 }, "unknown field 'x'", AS_SEV_ERROR,
          "rules.yaml:3:7: error: unknown field 'x'" },
        { { "access.log", 12, 0, 0, 0 }, "bad request line", AS_SEV_WARNING,
          "access.log:12: warning: bad request line" },
        { { "rules.yaml", 1, 1, 0, 0 }, "defined here", AS_SEV_NOTE,
          "rules.yaml:1:1: note: defined here" },
        { { "in.gz", 0, 0, 0, 0 }, "cannot open", AS_SEV_ERROR, "in.gz: error: cannot open" },
        { { NULL, 0, 0, 0, 0 }, "bad flag", AS_SEV_ERROR, "assay: error: bad flag" },
        /* a column without a line is not printed */
        { { "x", 0, 5, 0, 0 }, "m", AS_SEV_ERROR, "x: error: m" },
        /* offsets: 0 is a valid offset */
        { { "in.gz", 0, 0, 0, 1 }, "truncated", AS_SEV_ERROR, "in.gz: error: truncated (at byte 0)" },
        { { "in.gz", 812, 0, 1234567, 1 }, "truncated compressed stream", AS_SEV_ERROR,
          "in.gz:812: error: truncated compressed stream (at byte 1234567)" },
        { { "big.log", 18446744073709551615ull, 4294967296ull, 18446744073709551615ull, 1 }, "x",
          AS_SEV_WARNING,
          "big.log:18446744073709551615:4294967296: warning: x (at byte 18446744073709551615)" },
        /* no message: the default text of the code */
        { { "a", 2, 0, 0, 0 }, NULL, AS_SEV_ERROR, "a:2: error: invalid or missing timestamp" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        char buf[512];
        fmt(buf, sizeof buf, AS_ERR_BAD_TIME, cases[i].loc, cases[i].msg, cases[i].sev);
        assert_string_equal(buf, cases[i].want);
    }
}

static void test_as_err_format_truncates_safely(void **state)
{
    (void)state;
    as_loc loc = { "file.log", 10, 2, 99, 1 };
    char buf[16];
    memset(buf, 'X', sizeof buf);
    fmt(buf, sizeof buf, AS_ERR_IO, loc, "message", AS_SEV_ERROR);
    assert_int_equal(buf[15], '\0');
    assert_string_equal(buf, "file.log:10:2: ");
    /* room for the main text but not the whole offset suffix */
    char b2[40];
    fmt(b2, sizeof b2, AS_ERR_IO, loc, "message", AS_SEV_ERROR);
    assert_string_equal(b2, "file.log:10:2: error: message (at byte ");
    char one[1] = { 'X' };
    fmt(one, 1, AS_ERR_IO, loc, "message", AS_SEV_ERROR);
    assert_int_equal(one[0], '\0');
    char none[1] = { 'X' };
    fmt(none, 0, AS_ERR_IO, loc, "message", AS_SEV_ERROR);  /* cap 0: untouched */
    assert_int_equal(none[0], 'X');
}

static void test_as_err_print_writes_one_line(void **state)
{
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_non_null(f);
    as_err e;
    as_err_clear(&e);
    as_err_set(&e, AS_ERR_SYNTAX, (as_loc){ .src = "r.yaml", .line = 4, .col = 2 }, "expected ':'");
    as_err_print(f, &e, AS_SEV_ERROR);
    as_err_print(f, &e, AS_SEV_WARNING);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "r.yaml:4:2: error: expected ':'\nr.yaml:4:2: warning: expected ':'\n");
    free(text);
}

static as_code fails_with(as_code c, int *reached)
{
    AS_TRY(c);
    *reached = 1;
    return AS_OK;
}

static void test_as_err_try_forwards(void **state)
{
    (void)state;
    int reached = 0;
    assert_int_equal(fails_with(AS_ERR_CORRUPT, &reached), AS_ERR_CORRUPT);
    assert_int_equal(reached, 0);
    assert_int_equal(fails_with(AS_OK, &reached), AS_OK);
    assert_int_equal(reached, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_err_names_are_pinned),
        cmocka_unit_test(test_as_err_names_are_distinct_identifiers),
        cmocka_unit_test(test_as_err_from_name_round_trip),
        cmocka_unit_test(test_as_err_unknown_code),
        cmocka_unit_test(test_as_err_set_first_failure_wins),
        cmocka_unit_test(test_as_err_set_default_text_and_truncation),
        cmocka_unit_test(test_as_err_vset_and_loc_at),
        cmocka_unit_test(test_as_err_format_exact_text),
        cmocka_unit_test(test_as_err_format_truncates_safely),
        cmocka_unit_test(test_as_err_print_writes_one_line),
        cmocka_unit_test(test_as_err_try_forwards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
