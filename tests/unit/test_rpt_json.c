/* test_rpt_json.c: unit tests for the streaming JSON writer of report/
 * (rpt_json_*): string escaping per RFC 8259, invalid UTF-8 replaced by
 * U+FFFD and counted, commas and indentation through nesting, misuse and
 * depth caught, numbers without the locale, and rpt_json_raw_compact. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>    /* NAN, INFINITY */
#include <string.h>  /* memcmp */

#include "core/as.h"
#include "report/rpt.h"

/* rpt_json_escape of in[0..len) must give want[0..want_len) and count replaced. */
static void escape_is(const char *in, size_t len, const char *want, size_t want_len, int64_t replaced)
{
    as_buf b = AS_BUF_INIT;
    assert_int_equal(rpt_json_escape(&b, as_slice_make(in, len)), replaced);
    assert_int_equal(b.len, want_len);
    assert_memory_equal(b.data, want, b.len);
    as_buf_fini(&b);
}
#define ESC(in, want, replaced) escape_is(in, sizeof(in) - 1, want, sizeof(want) - 1, replaced)

static void test_rpt_json_escape_specials(void **state)
{
    (void)state;
    ESC("", "\"\"", 0);
    ESC("plain", "\"plain\"", 0);
    ESC("a\"b", "\"a\\\"b\"", 0);
    ESC("back\\slash", "\"back\\\\slash\"", 0);
    ESC("\n\t\r", "\"\\n\\t\\r\"", 0);
    ESC("\x01\x1f", "\"\\u0001\\u001f\"", 0);
    ESC("\0", "\"\\u0000\"", 0);
    ESC("\x7f/", "\"\x7f/\"", 0);                      /* DEL and '/' need no escape */
    ESC("</script>", "\"</script>\"", 0);             /* JSON is not HTML: the HTML report escapes it */
    ESC("caf\xC3\xA9 \xF0\x9F\x94\x92", "\"caf\xC3\xA9 \xF0\x9F\x94\x92\"", 0);
}

static void test_rpt_json_escape_invalid_utf8(void **state)
{
    (void)state;
    ESC("a\xFF", "\"a\xEF\xBF\xBD\"", 1);
    ESC("\xC3", "\"\xEF\xBF\xBD\"", 1);
    ESC("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"", 2);
    ESC("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"", 3);
    ESC("\x80\"", "\"\xEF\xBF\xBD\\\"\"", 1);
}

/* Runs write on a fresh writer; the document must finish cleanly and be
 * exactly want. Returns the writer's count of replaced bytes. */
static uint64_t written_is(void (*write)(rpt_json *), int pretty, const char *want)
{
    as_buf b = AS_BUF_INIT;
    rpt_json j;
    rpt_json_init(&j, &b, pretty);
    write(&j);
    assert_int_equal(rpt_json_finish(&j), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, want);
    as_buf_fini(&b);
    return j.replaced;
}

static void write_nested(rpt_json *j)
{
    rpt_json_obj_begin(j);
    rpt_json_key(j, "a");
    rpt_json_u64(j, 1);
    rpt_json_key(j, "list");
    rpt_json_arr_begin(j);
    rpt_json_u64(j, 1);
    rpt_json_obj_begin(j);
    rpt_json_key(j, "x");
    rpt_json_null(j);
    rpt_json_obj_end(j);
    rpt_json_arr_begin(j);
    rpt_json_arr_end(j);
    rpt_json_arr_end(j);
    rpt_json_key(j, "empty");
    rpt_json_obj_begin(j);
    rpt_json_obj_end(j);
    rpt_json_obj_end(j);
}

static void test_rpt_json_nesting_compact(void **state)
{
    (void)state;
    written_is(write_nested, 0, "{\"a\":1,\"list\":[1,{\"x\":null},[]],\"empty\":{}}\n");
}

static void test_rpt_json_nesting_pretty(void **state)
{
    (void)state;
    written_is(write_nested, 1, "{\n"
                                "  \"a\": 1,\n"
                                "  \"list\": [\n"
                                "    1,\n"
                                "    {\n"
                                "      \"x\": null\n"
                                "    },\n"
                                "    []\n"
                                "  ],\n"
                                "  \"empty\": {}\n"
                                "}\n");
}

static void write_values(rpt_json *j)
{
    rpt_json_arr_begin(j);
    rpt_json_u64(j, UINT64_MAX);
    rpt_json_i64(j, INT64_MIN);
    rpt_json_num(j, 2.5, 2);
    rpt_json_num(j, -0.125, 1);
    rpt_json_num(j, NAN, 2);
    rpt_json_num(j, INFINITY, 2);
    rpt_json_bool(j, 1);
    rpt_json_bool(j, 0);
    rpt_json_cstr(j, NULL);
    rpt_json_cstr(j, "s");
    as_time t;
    assert_int_equal(as_time_from_civil(2026, 3, 1, 14, 5, 0, 0, 60, AS_TIME_VALID, &t), 0);
    rpt_json_time(j, t);
    rpt_json_time(j, (as_time){ 0 });
    rpt_json_arr_end(j);
}

static void test_rpt_json_values(void **state)
{
    (void)state;
    written_is(write_values, 0, "[18446744073709551615,-9223372036854775808,2.50,-0.1,null,null,true,false,"
                                "null,\"s\",\"2026-03-01T13:05:00Z\",null]\n");
}

static void write_log_strings(rpt_json *j)
{
    rpt_json_obj_begin(j);
    rpt_json_key_slice(j, AS_SLICE_LIT("field\xFF\"name"));    /* a log's field name: escaped too */
    rpt_json_str(j, AS_SLICE_LIT("v\xFE\xFD"));
    rpt_json_obj_end(j);
}

static void test_rpt_json_replaced_counted_on_writer(void **state)
{
    (void)state;
    uint64_t n = written_is(write_log_strings, 0,
                            "{\"field\xEF\xBF\xBD\\\"name\":\"v\xEF\xBF\xBD\xEF\xBF\xBD\"}\n");
    assert_int_equal(n, 3);
}

static void test_rpt_json_misuse_fails(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_json j;
    rpt_json_init(&j, &b, 0);
    rpt_json_obj_end(&j);                       /* nothing open */
    assert_int_equal(rpt_json_finish(&j), -1);
    as_buf_clear(&b);
    rpt_json_init(&j, &b, 0);
    rpt_json_arr_begin(&j);                     /* left open */
    assert_int_equal(rpt_json_finish(&j), -1);
    as_buf_fini(&b);
}

static void test_rpt_json_depth_limit(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    rpt_json j;
    rpt_json_init(&j, &b, 0);
    for (int i = 0; i < RPT_JSON_MAX_DEPTH - 1; i++)
        rpt_json_arr_begin(&j);
    assert_false(j.failed);
    for (int i = 0; i < RPT_JSON_MAX_DEPTH - 1; i++)
        rpt_json_arr_end(&j);
    assert_int_equal(rpt_json_finish(&j), 0);
    as_buf_clear(&b);
    rpt_json_init(&j, &b, 0);
    for (int i = 0; i < RPT_JSON_MAX_DEPTH + 4; i++)
        rpt_json_arr_begin(&j);
    assert_true(j.failed);
    assert_true(j.depth < RPT_JSON_MAX_DEPTH);   /* never past its flag array */
    as_buf_fini(&b);
}

static void raw_is(const char *in, size_t len, const char *want)
{
    as_buf b = AS_BUF_INIT;
    rpt_json j;
    rpt_json_init(&j, &b, 0);
    rpt_json_arr_begin(&j);
    rpt_json_u64(&j, 1);
    rpt_json_raw_compact(&j, as_slice_make(in, len));
    rpt_json_arr_end(&j);
    assert_int_equal(rpt_json_finish(&j), 0);
    assert_string_equal(b.data, want);
    as_buf_fini(&b);
}
#define RAW(in, want) raw_is(in, sizeof(in) - 1, want)

static void test_rpt_json_raw_compact(void **state)
{
    (void)state;
    RAW("{ \"a\" : 1 ,\n\t\"b\" : [ 1, 2 ] }\r\n", "[1,{\"a\":1,\"b\":[1,2]}]\n");
    RAW("{\"s\": \"keep  these\\tspaces\"}", "[1,{\"s\":\"keep  these\\tspaces\"}]\n");
    RAW("{\"q\": \"a\\\" b \\\\\" , \"c\" : 2}", "[1,{\"q\":\"a\\\" b \\\\\",\"c\":2}]\n");
    RAW("\xEF\xBB\xBF{\"bom\": true}", "[1,{\"bom\":true}]\n");
    RAW("  \"x\"  ", "[1,\"x\"]\n");
}

static void test_rpt_json_out_of_memory(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    as_alloc_fail_after(1);
    assert_int_equal(rpt_json_escape(&b, AS_SLICE_LIT("x")), -1);
    rpt_json j;
    rpt_json_init(&j, &b, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "k");
    rpt_json_u64(&j, 3);
    rpt_json_obj_end(&j);
    assert_int_equal(rpt_json_finish(&j), -1);
    as_alloc_fail_after(0);
    as_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpt_json_escape_specials),
        cmocka_unit_test(test_rpt_json_escape_invalid_utf8),
        cmocka_unit_test(test_rpt_json_nesting_compact),
        cmocka_unit_test(test_rpt_json_nesting_pretty),
        cmocka_unit_test(test_rpt_json_values),
        cmocka_unit_test(test_rpt_json_replaced_counted_on_writer),
        cmocka_unit_test(test_rpt_json_misuse_fails),
        cmocka_unit_test(test_rpt_json_depth_limit),
        cmocka_unit_test(test_rpt_json_raw_compact),
        cmocka_unit_test(test_rpt_json_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
