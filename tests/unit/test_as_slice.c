/* test_as_slice.c: unit tests for core/as_slice.h (borrowed byte ranges). */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* snprintf */

#include "core/as_slice.h"

static void test_as_slice_make_and_from(void **state)
{
    (void)state;
    const char *s = "abcdef";
    as_slice a = as_slice_make(s + 1, 3);
    assert_ptr_equal(a.ptr, s + 1);
    assert_int_equal(a.len, 3);
    as_slice b = as_slice_from(s + 2, s + 6);
    assert_ptr_equal(b.ptr, s + 2);
    assert_int_equal(b.len, 4);
    as_slice e = as_slice_from(s, s);
    assert_int_equal(e.len, 0);
}

static void test_as_slice_cstr_and_lit(void **state)
{
    (void)state;
    as_slice a = as_slice_cstr("hello");
    assert_int_equal(a.len, 5);
    as_slice n = as_slice_cstr(NULL);
    assert_null(n.ptr);
    assert_int_equal(n.len, 0);
    as_slice l = AS_SLICE_LIT("abc");
    assert_int_equal(l.len, 3);
    as_slice z = AS_SLICE_LIT("");
    assert_int_equal(z.len, 0);
}

static void test_as_slice_eq(void **state)
{
    (void)state;
    const char buf[] = "abcabd";
    as_slice a = as_slice_make(buf, 3), b = as_slice_make(buf + 3, 3);
    assert_false(as_slice_eq(a, b));
    assert_true(as_slice_eq(a, as_slice_make(buf, 3)));
    assert_true(as_slice_eq(as_slice_make(buf, 2), as_slice_make(buf + 3, 2)));
    assert_false(as_slice_eq(as_slice_make(buf, 2), as_slice_make(buf, 3)));
    /* empty slices are equal whatever they point to, NULL included */
    assert_true(as_slice_eq((as_slice){ NULL, 0 }, as_slice_make(buf, 0)));
    assert_true(as_slice_eq((as_slice){ NULL, 0 }, (as_slice){ NULL, 0 }));
    assert_true(as_slice_eq_cstr(a, "abc"));
    assert_false(as_slice_eq_cstr(a, "ab"));
    assert_false(as_slice_eq_cstr(a, "abcd"));
    assert_true(as_slice_eq_cstr((as_slice){ NULL, 0 }, ""));
}

static void test_as_slice_starts_ends_with(void **state)
{
    (void)state;
    as_slice s = AS_SLICE_LIT("GET /index.html");
    assert_true(as_slice_starts_with(s, AS_SLICE_LIT("GET ")));
    assert_false(as_slice_starts_with(s, AS_SLICE_LIT("POST")));
    assert_true(as_slice_starts_with(s, s));
    assert_false(as_slice_starts_with(AS_SLICE_LIT("GE"), AS_SLICE_LIT("GET")));
    assert_true(as_slice_ends_with(s, AS_SLICE_LIT(".html")));
    assert_false(as_slice_ends_with(s, AS_SLICE_LIT(".htm")));
    assert_false(as_slice_ends_with(AS_SLICE_LIT("ml"), AS_SLICE_LIT("html")));
    /* the empty prefix/suffix matches everything, even a NULL empty slice */
    as_slice none = { NULL, 0 };
    assert_true(as_slice_starts_with(s, none));
    assert_true(as_slice_ends_with(s, none));
    assert_true(as_slice_starts_with(none, none));
    assert_true(as_slice_ends_with(none, none));
    assert_false(as_slice_starts_with(none, AS_SLICE_LIT("a")));
}

static void test_as_slice_cmp_orders_bytewise(void **state)
{
    (void)state;
    assert_int_equal(as_slice_cmp(AS_SLICE_LIT("abc"), AS_SLICE_LIT("abc")), 0);
    assert_true(as_slice_cmp(AS_SLICE_LIT("abc"), AS_SLICE_LIT("abd")) < 0);
    assert_true(as_slice_cmp(AS_SLICE_LIT("abd"), AS_SLICE_LIT("abc")) > 0);
    /* shorter first on a common prefix */
    assert_true(as_slice_cmp(AS_SLICE_LIT("ab"), AS_SLICE_LIT("abc")) < 0);
    assert_true(as_slice_cmp(AS_SLICE_LIT("abc"), AS_SLICE_LIT("ab")) > 0);
    assert_true(as_slice_cmp((as_slice){ NULL, 0 }, AS_SLICE_LIT("a")) < 0);
    assert_int_equal(as_slice_cmp((as_slice){ NULL, 0 }, (as_slice){ NULL, 0 }), 0);
    /* bytes compare unsigned: 0xC3 sorts after 'z' */
    assert_true(as_slice_cmp(AS_SLICE_LIT("\xC3\xA9"), AS_SLICE_LIT("z")) > 0);
}

static void test_as_slice_sub_clamps(void **state)
{
    (void)state;
    as_slice s = AS_SLICE_LIT("0123456789");
    as_slice a = as_slice_sub(s, 2, 3);
    assert_true(as_slice_eq_cstr(a, "234"));
    as_slice b = as_slice_sub(s, 8, 100);
    assert_true(as_slice_eq_cstr(b, "89"));
    as_slice c = as_slice_sub(s, 100, 5);
    assert_int_equal(c.len, 0);
    assert_ptr_equal(c.ptr, s.ptr + s.len);
    as_slice d = as_slice_sub(s, 0, SIZE_MAX);
    assert_true(as_slice_eq(d, s));
    as_slice e = as_slice_sub(s, 10, 0);
    assert_int_equal(e.len, 0);
}

static void test_as_slice_trim(void **state)
{
    (void)state;
    assert_true(as_slice_eq_cstr(as_slice_trim(AS_SLICE_LIT(" \t a b \r\n")), "a b"));
    assert_true(as_slice_eq_cstr(as_slice_trim(AS_SLICE_LIT("ab")), "ab"));
    assert_int_equal(as_slice_trim(AS_SLICE_LIT(" \t\r\n ")).len, 0);
    assert_int_equal(as_slice_trim(AS_SLICE_LIT("")).len, 0);
    /* only ASCII space, tab, CR and LF are trimmed */
    assert_true(as_slice_eq_cstr(as_slice_trim(AS_SLICE_LIT("\va\f")), "\va\f"));
}

static void test_as_slice_fmt_prints_exact_bytes(void **state)
{
    (void)state;
    char out[32];
    as_slice s = as_slice_make("abcdef", 3);  /* not NUL-terminated at 3 */
    int n = snprintf(out, sizeof out, "[" AS_SLICE_FMT "]", AS_SLICE_ARG(s));
    assert_int_equal(n, 5);
    assert_string_equal(out, "[abc]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_slice_make_and_from),
        cmocka_unit_test(test_as_slice_cstr_and_lit),
        cmocka_unit_test(test_as_slice_eq),
        cmocka_unit_test(test_as_slice_starts_ends_with),
        cmocka_unit_test(test_as_slice_cmp_orders_bytewise),
        cmocka_unit_test(test_as_slice_sub_clamps),
        cmocka_unit_test(test_as_slice_trim),
        cmocka_unit_test(test_as_slice_fmt_prints_exact_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
