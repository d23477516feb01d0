/* test_rpt_csv.c: unit tests for the CSV writer of report/ (rpt_csv_*):
 * RFC 4180 quoting, CRLF rows, spreadsheet-formula neutralisation (a text
 * cell starting with = + - @ TAB CR gets an apostrophe; numbers we computed
 * never do), invalid UTF-8 replaced by U+FFFD and counted. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>


#include "core/as.h"
#include "report/rpt.h"

/* One row of text cells; the output is compared with want. */
static void row_is(const char *const *cells, size_t n, const char *want, uint64_t neutralised, uint64_t replaced)
{
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    for (size_t i = 0; i < n; i++)
        rpt_csv_cstr(&c, cells[i]);
    rpt_csv_end_row(&c);
    assert_false(c.failed);
    assert_string_equal(b.data, want);
    assert_int_equal(c.neutralised, neutralised);
    assert_int_equal(c.replaced, replaced);
    as_buf_fini(&b);
}

/* One text cell, in and out given with their lengths (they may hold NUL or
 * invalid bytes): CELL("in", "out", neutralised, replaced). */
static void cell_is(const char *s, size_t len, const char *want, size_t want_len, uint64_t neutralised,
                    uint64_t replaced)
{
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    rpt_csv_text(&c, as_slice_make(s, len));
    assert_false(c.failed);
    assert_int_equal(b.len, want_len);
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(c.neutralised, neutralised);
    assert_int_equal(c.replaced, replaced);
    as_buf_fini(&b);
}

#define CELL(in, want, neutralised, replaced) \
    cell_is(in, sizeof(in) - 1, want, sizeof(want) - 1, neutralised, replaced)

static void test_rpt_csv_plain_cells_unquoted(void **state)
{
    (void)state;
    const char *cells[] = { "record_id", "key", "2026-03-01T14:05:00Z", "a=b", "x-y", "" };
    row_is(cells, AS_ARRAY_LEN(cells), "record_id,key,2026-03-01T14:05:00Z,a=b,x-y,\r\n", 0, 0);
}

static void test_rpt_csv_rows_end_crlf(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    rpt_csv_cstr(&c, "a");
    rpt_csv_cstr(&c, "b");
    rpt_csv_end_row(&c);
    rpt_csv_cstr(&c, "c");
    rpt_csv_end_row(&c);
    rpt_csv_end_row(&c);                       /* an empty row is just the line end */
    assert_string_equal(b.data, "a,b\r\nc\r\n\r\n");
    assert_int_equal(c.col, 0);
    as_buf_fini(&b);
}

static void test_rpt_csv_quoting(void **state)
{
    (void)state;
    CELL("a,b", "\"a,b\"", 0, 0);
    CELL("say \"hi\"", "\"say \"\"hi\"\"\"", 0, 0);
    CELL("\"", "\"\"\"\"", 0, 0);
    CELL("line1\nline2", "\"line1\nline2\"", 0, 0);            /* an embedded LF stays inside quotes */
    CELL("line1\r\nline2", "\"line1\r\nline2\"", 0, 0);       /* and CRLF */
    CELL("end\r", "\"end\r\"", 0, 0);
    CELL(" lead", "\" lead\"", 0, 0);                          /* spaces a reader might trim */
    CELL("trail ", "\"trail \"", 0, 0);
    CELL("in side", "in side", 0, 0);
    CELL("tab\tinside", "tab\tinside", 0, 0);
    CELL("", "", 0, 0);
}

static void test_rpt_csv_formula_neutralised(void **state)
{
    (void)state;
    CELL("=1+1", "\"'=1+1\"", 1, 0);
    CELL("+1", "\"'+1\"", 1, 0);
    CELL("-3", "\"'-3\"", 1, 0);                  /* text that looks like a number is still text */
    CELL("@SUM(A1)", "\"'@SUM(A1)\"", 1, 0);
    CELL("\tx", "\"'\tx\"", 1, 0);
    CELL("\rx", "\"'\rx\"", 1, 0);
    CELL("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", 1, 0);
    CELL("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"", 1, 0);
    /* only the first character counts */
    CELL("a=1", "a=1", 0, 0);
    CELL(" =1", "\" =1\"", 0, 0);
    CELL("'=1", "'=1", 0, 0);

    const char *cells[] = { "=a", "b", "-c", "@d" };
    row_is(cells, AS_ARRAY_LEN(cells), "\"'=a\",b,\"'-c\",\"'@d\"\r\n", 3, 0);
}

static void test_rpt_csv_numbers_never_neutralised(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    rpt_csv_i64(&c, -3);
    rpt_csv_i64(&c, INT64_MIN);
    rpt_csv_u64(&c, 0);
    rpt_csv_u64(&c, UINT64_MAX);
    rpt_csv_cstr(&c, "-3");
    rpt_csv_end_row(&c);
    assert_string_equal(b.data, "-3,-9223372036854775808,0,18446744073709551615,\"'-3\"\r\n");
    assert_int_equal(c.neutralised, 1);
    as_buf_fini(&b);
}

static void test_rpt_csv_invalid_utf8_replaced_and_counted(void **state)
{
    (void)state;
    CELL("a\xFF" "b", "a\xEF\xBF\xBD" "b", 0, 1);
    CELL("\xC3", "\xEF\xBF\xBD", 0, 1);                               /* cut short */
    CELL("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", 0, 2);               /* overlong */
    CELL("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 0, 3); /* surrogate */
    CELL("caf\xC3\xA9 \xF0\x9F\x94\x92", "caf\xC3\xA9 \xF0\x9F\x94\x92", 0, 0);
    CELL("=\xFF,", "\"'=\xEF\xBF\xBD,\"", 1, 1);                      /* both, and quoted */
    CELL("x\"\xFE", "\"x\"\"\xEF\xBF\xBD\"", 0, 1);
}

static void test_rpt_csv_nul_kept_inside_cell(void **state)
{
    (void)state;
    /* a NUL is valid UTF-8: it is kept, byte for byte, and the cell is not cut */
    CELL("a\0b", "a\0b", 0, 0);
}

static void test_rpt_csv_null_cstr_is_empty(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    rpt_csv_cstr(&c, NULL);
    rpt_csv_cstr(&c, "x");
    rpt_csv_end_row(&c);
    assert_string_equal(b.data, ",x\r\n");
    as_buf_fini(&b);
}

static void test_rpt_csv_out_of_memory_sets_failed(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_csv c;
    rpt_csv_init(&c, &b);
    as_alloc_fail_after(1);
    rpt_csv_cstr(&c, "anything");
    rpt_csv_end_row(&c);
    as_alloc_fail_after(0);
    assert_true(c.failed);
    as_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpt_csv_plain_cells_unquoted),
        cmocka_unit_test(test_rpt_csv_rows_end_crlf),
        cmocka_unit_test(test_rpt_csv_quoting),
        cmocka_unit_test(test_rpt_csv_formula_neutralised),
        cmocka_unit_test(test_rpt_csv_numbers_never_neutralised),
        cmocka_unit_test(test_rpt_csv_invalid_utf8_replaced_and_counted),
        cmocka_unit_test(test_rpt_csv_nul_kept_inside_cell),
        cmocka_unit_test(test_rpt_csv_null_cstr_is_empty),
        cmocka_unit_test(test_rpt_csv_out_of_memory_sets_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
