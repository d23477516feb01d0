/* test_as_rec.c: unit tests for core/as_rec: the exact text of record ids,
 * value rendering for every type, field access through a parser's vtable. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* strlen, memcmp */

#include "core/as_alloc.h"
#include "core/as_buf.h"
#include "core/as_rec.h"

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

static void test_as_rec_id_format_exact_text(void **state)
{
    (void)state;
    uint8_t sha[AS_SHA256_LEN];
    for (int i = 0; i < AS_SHA256_LEN; i++)
        sha[i] = (uint8_t)i;
    char id[AS_REC_ID_MAX];
    assert_int_equal(as_rec_id_format(sha, 0, id), 18);
    assert_string_equal(id, "0001020304050607:0");
    assert_int_equal(as_rec_id_format(sha, 1234567, id), 24);
    assert_string_equal(id, "0001020304050607:1234567");
    /* the longest id fits */
    assert_int_equal(as_rec_id_format(sha, UINT64_MAX, id), 37);
    assert_string_equal(id, "0001020304050607:18446744073709551615");
    assert_true(strlen(id) < AS_REC_ID_MAX);
    /* the input's real digest: sha256("abc") */
    assert_int_equal(as_sha256_buf("abc", 3, sha), 0);
    as_rec_id_format(sha, 42, id);
    assert_string_equal(id, "ba7816bf8f01cfea:42");
    /* upper half of a byte, all bits set */
    for (int i = 0; i < AS_SHA256_LEN; i++)
        sha[i] = 0xFF;
    as_rec_id_format(sha, 9, id);
    assert_string_equal(id, "ffffffffffffffff:9");
}

/* as_val_to_text appended to existing content "x=" must give want. */
static void assert_text(as_val v, const char *want)
{
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append_cstr(&b, "x="), 0);
    assert_int_equal(as_val_to_text(&v, &b), 0);
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    as_buf_fini(&b);
}

static void test_as_rec_val_to_text_every_type(void **state)
{
    (void)state;
    as_val v;

    v.type = AS_V_MISSING;
    assert_text(v, "x=");
    v.type = AS_V_NULL;
    assert_text(v, "x=");

    v.type = AS_V_STR;
    v.u.str = AS_SLICE_LIT("GET /a b");
    assert_text(v, "x=GET /a b");
    v.u.str = as_slice_make("abcdef", 3);   /* a slice, not a C string */
    assert_text(v, "x=abc");
    v.u.str = (as_slice){ NULL, 0 };
    assert_text(v, "x=");

    v.type = AS_V_JSON;                 /* raw text, as written */
    v.u.str = AS_SLICE_LIT("{\"a\": [1, 2]}");
    assert_text(v, "x={\"a\": [1, 2]}");

    v.type = AS_V_INT;
    v.u.i = 0;
    assert_text(v, "x=0");
    v.u.i = -42;
    assert_text(v, "x=-42");
    v.u.i = INT64_MAX;
    assert_text(v, "x=9223372036854775807");
    v.u.i = INT64_MIN;
    assert_text(v, "x=-9223372036854775808");

    v.type = AS_V_NUM;
    v.u.num = 0.5;
    assert_text(v, "x=0.5");
    v.u.num = -2.25;
    assert_text(v, "x=-2.25");
    v.u.num = 3;
    assert_text(v, "x=3");
    v.u.num = 1e20;
    assert_text(v, "x=1e+20");
    v.u.num = 0.0;
    assert_text(v, "x=0");
    v.u.num = 0.1;                      /* shortest form that reads back exactly */
    assert_text(v, "x=0.1");
    v.u.num = 0.1 + 0.2;
    assert_text(v, "x=0.30000000000000004");
    v.u.num = 1621305118553.0;
    assert_text(v, "x=1621305118553");

    v.type = AS_V_BOOL;
    v.u.b = 1;
    assert_text(v, "x=true");
    v.u.b = 0;
    assert_text(v, "x=false");
    v.u.b = 7;                               /* any non-zero is true */
    assert_text(v, "x=true");

    v.type = AS_V_TIME;
    v.u.t = (as_time){ 1772373900, 0, 60, AS_TIME_VALID };   /* always UTC, whatever the offset */
    assert_text(v, "x=2026-03-01T14:05:00Z");
    v.u.t = (as_time){ -1, 500000000, 0, AS_TIME_VALID };
    assert_text(v, "x=1969-12-31T23:59:59.500Z");
    v.u.t = (as_time){ 1772373900, 123456789, -420, AS_TIME_VALID };
    assert_text(v, "x=2026-03-01T14:05:00.123456789Z");
}

static void test_as_rec_val_to_text_oom(void **state)
{
    (void)state;
    as_val v = { .type = AS_V_STR, .u.str = AS_SLICE_LIT("value") };
    as_buf b = AS_BUF_INIT;
    as_alloc_fail_after(1);
    assert_int_equal(as_val_to_text(&v, &b), -1);
    v.type = AS_V_INT;
    v.u.i = 5;
    assert_int_equal(as_val_to_text(&v, &b), -1);
    v.type = AS_V_TIME;
    v.u.t = (as_time){ 0, 0, 0, AS_TIME_VALID };
    assert_int_equal(as_val_to_text(&v, &b), -1);
    v.type = AS_V_NULL;                      /* appends nothing: no allocation */
    assert_int_equal(as_val_to_text(&v, &b), 0);
    as_alloc_fail_after(0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    as_buf_fini(&b);
}

/* A parser stub: one field "user" = the record's raw bytes. */
static int stub_get(const as_rec *r, as_slice path, as_val *out, as_arena *ar)
{
    (void)ar;
    if (as_slice_eq_cstr(path, "user")) {
        out->type = AS_V_STR;
        out->u.str = r->raw;
    } else {
        out->type = AS_V_MISSING;
    }
    return 0;
}

static void test_as_rec_get_through_format(void **state)
{
    (void)state;
    static const as_rec_fmt fmt = { "stub", stub_get, NULL };
    as_rec r = { .input = 0, .n_lines = 1, .offset = 0, .line = 1,
                 .raw = AS_SLICE_LIT("alice"), .fmt = &fmt, .state = NULL };
    as_val v;
    assert_int_equal(as_rec_get(&r, AS_SLICE_LIT("user"), &v, NULL), 0);
    assert_int_equal(v.type, AS_V_STR);
    assert_true(as_slice_eq_cstr(v.u.str, "alice"));
    assert_int_equal(as_rec_get(&r, AS_SLICE_LIT("host"), &v, NULL), 0);
    assert_int_equal(v.type, AS_V_MISSING);
    /* raw records and formats without a getter have no fields */
    r.fmt = NULL;
    v.type = AS_V_INT;
    assert_int_equal(as_rec_get(&r, AS_SLICE_LIT("user"), &v, NULL), 0);
    assert_int_equal(v.type, AS_V_MISSING);
    static const as_rec_fmt empty = { "empty", NULL, NULL };
    r.fmt = &empty;
    v.type = AS_V_INT;
    assert_int_equal(as_rec_get(&r, AS_SLICE_LIT("user"), &v, NULL), 0);
    assert_int_equal(v.type, AS_V_MISSING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_rec_id_format_exact_text),
        cmocka_unit_test(test_as_rec_val_to_text_every_type),
        cmocka_unit_test_teardown(test_as_rec_val_to_text_oom, hook_off),
        cmocka_unit_test(test_as_rec_get_through_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
