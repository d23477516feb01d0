/* test_eng_split.c: unit tests for engine/eng_split (line splitting and
 * record validation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/eng_split.h"

typedef struct split_out {
    eng_item items[64];
    size_t   n;
    uint64_t blank;
    uint64_t next_line;
} split_out;

static void split_all(const char *data, size_t len, size_t max_record, int last_partial, split_out *o)
{
    eng_split s;
    eng_split_init(&s, data, len, 1000, 1, max_record, 7, last_partial);
    o->n = 0;
    size_t n;
    /* small batches to exercise the resumption */
    while ((n = eng_split_lines(&s, o->items + o->n, 2)) > 0)
        o->n += n;
    o->blank = s.blank;
    o->next_line = s.line;
}

static void test_eng_split_basic_lines(void **state)
{
    (void)state;
    split_out o;
    const char *d = "alpha\nbeta\r\n\ngamma";
    split_all(d, strlen(d), 100, 0, &o);
    assert_int_equal(o.n, 3);
    assert_int_equal(o.blank, 1);
    assert_int_equal(o.next_line, 5);                /* 4 lines: the last has no newline */
    assert_int_equal(o.items[0].rec.raw.len, 5);
    assert_memory_equal(o.items[0].rec.raw.ptr, "alpha", 5);
    assert_int_equal(o.items[0].rec.offset, 1000);
    assert_int_equal(o.items[0].rec.line, 1);
    assert_int_equal(o.items[0].rec.input, 7);
    assert_int_equal(o.items[1].rec.raw.len, 4);     /* CR stripped */
    assert_int_equal(o.items[1].rec.offset, 1006);
    assert_int_equal(o.items[1].rec.line, 2);
    assert_int_equal(o.items[2].rec.line, 4);
    assert_int_equal(o.items[2].rec.offset, 1013);
    assert_memory_equal(o.items[2].rec.raw.ptr, "gamma", 5);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(o.items[i].code, AS_OK);
    assert_int_equal(eng_split_count_lines(d, strlen(d)), 4);
}

static void test_eng_split_empty_and_crlf_only(void **state)
{
    (void)state;
    split_out o;
    split_all("", 0, 100, 0, &o);
    assert_int_equal(o.n, 0);
    assert_int_equal(o.next_line, 1);
    split_all("\r\n\n\r\n", 5, 100, 0, &o);
    assert_int_equal(o.n, 0);
    assert_int_equal(o.blank, 3);
    assert_int_equal(eng_split_count_lines("", 0), 0);
    assert_int_equal(eng_split_count_lines("a\n", 2), 1);
    assert_int_equal(eng_split_count_lines("a\nb", 3), 2);
}

static void test_eng_split_lone_cr_is_data(void **state)
{
    (void)state;
    split_out o;
    split_all("a\rb\n", 4, 100, 0, &o);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.items[0].rec.raw.len, 3);
}

static void test_eng_split_rejects(void **state)
{
    (void)state;
    split_out o;
    const char d[] = "ok\n0123456789A\nnul\0here\nbad\xff utf8\nfine\xc3\xa9\n";
    split_all(d, sizeof d - 1, 10, 0, &o);
    assert_int_equal(o.n, 5);
    assert_int_equal(o.items[0].code, AS_OK);
    assert_int_equal(o.items[1].code, AS_ERR_TOO_LONG);   /* 11 bytes > 10 */
    assert_int_equal(o.items[2].code, AS_ERR_NUL_BYTE);
    assert_int_equal(o.items[3].code, AS_ERR_INVALID_UTF8);
    assert_int_equal(o.items[4].code, AS_OK);             /* valid 2-byte sequence */
    assert_int_equal(o.items[3].rec.line, 4);
}

static void test_eng_split_exact_max_record_is_accepted(void **state)
{
    (void)state;
    split_out o;
    split_all("0123456789\n", 11, 10, 0, &o);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.items[0].code, AS_OK);
}

static void test_eng_split_partial_last_line(void **state)
{
    (void)state;
    split_out o;
    split_all("one\ntwo", 7, 100, 1, &o);
    assert_int_equal(o.n, 2);
    assert_int_equal(o.items[0].code, AS_OK);
    assert_int_equal(o.items[1].code, AS_ERR_PARTIAL);
    split_all("one\ntwo\n", 8, 100, 1, &o);   /* ends at a newline: nothing is partial */
    assert_int_equal(o.items[1].code, AS_OK);
}

static void test_eng_validate_simd_matches_scalar(void **state)
{
    (void)state;
    /* every position of a bad byte in buffers of length 0..80 */
    static const char *const bad[] = { "\0", "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc3\xa9",
                                       "\xf0\x9f\x98\x80" };
    char buf[96];
    for (size_t len = 0; len <= 80; len++) {
        for (size_t k = 0; k < AS_ARRAY_LEN(bad); k++) {
            size_t bl = k == 0 ? 1 : strlen(bad[k]);
            for (size_t pos = 0; pos + bl <= len; pos++) {
                memset(buf, 'a', len);
                memcpy(buf + pos, bad[k], bl);
                as_code a = eng_validate(buf, len), b = eng_validate_scalar(buf, len);
                assert_int_equal(a, b);
                if (k == 0)
                    assert_int_equal(a, AS_ERR_NUL_BYTE);
                else if (k >= 5)
                    assert_int_equal(a, AS_OK);
                else
                    assert_int_equal(a, AS_ERR_INVALID_UTF8);
            }
        }
    }
}

static void test_eng_validate_nul_wins_over_utf8(void **state)
{
    (void)state;
    const char d[] = "\xff........\0";
    assert_int_equal(eng_validate(d, sizeof d - 1), AS_ERR_NUL_BYTE);
    assert_int_equal(eng_validate_scalar(d, sizeof d - 1), AS_ERR_NUL_BYTE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eng_split_basic_lines),
        cmocka_unit_test(test_eng_split_empty_and_crlf_only),
        cmocka_unit_test(test_eng_split_lone_cr_is_data),
        cmocka_unit_test(test_eng_split_rejects),
        cmocka_unit_test(test_eng_split_exact_max_record_is_accepted),
        cmocka_unit_test(test_eng_split_partial_last_line),
        cmocka_unit_test(test_eng_validate_simd_matches_scalar),
        cmocka_unit_test(test_eng_validate_nul_wins_over_utf8),
    };
    return cmocka_run_group_tests_name("eng_split", tests, NULL, NULL);
}
