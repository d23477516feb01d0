/* test_as_buf.c: unit tests for core/as_buf (growable byte buffer): growth,
 * printf, appends, the NUL invariant and failure without change on OOM. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* memset, memcmp, strlen */

#include "core/as_alloc.h"
#include "core/as_buf.h"

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

/* The invariant of as_buf.h: data[len] == '\0' whenever cap > 0. */
static void assert_buf_ok(const as_buf *b)
{
    if (b->cap == 0) {
        assert_null(b->data);
        assert_int_equal(b->len, 0);
        return;
    }
    assert_non_null(b->data);
    assert_true(b->len < b->cap);
    assert_int_equal(b->data[b->len], '\0');
}

static void test_as_buf_init_is_empty(void **state)
{
    (void)state;
    as_buf a = AS_BUF_INIT, b;
    memset(&b, 0xAB, sizeof b);
    as_buf_init(&b);
    assert_null(a.data);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    as_buf_clear(&b);  /* clearing an unallocated buffer touches nothing */
    assert_buf_ok(&b);
    as_buf_fini(&b);
    as_buf_fini(&b);   /* twice is fine: fini leaves it empty */
    assert_buf_ok(&b);
}

static void test_as_buf_append_keeps_nul(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append(&b, "abc", 3), 0);
    assert_buf_ok(&b);
    assert_string_equal(b.data, "abc");
    assert_int_equal(as_buf_putc(&b, 'd'), 0);
    assert_buf_ok(&b);
    assert_int_equal(as_buf_append_cstr(&b, "ef"), 0);
    assert_buf_ok(&b);
    assert_int_equal(as_buf_append_slice(&b, as_slice_make("ghij", 2)), 0);
    assert_buf_ok(&b);
    assert_string_equal(b.data, "abcdefgh");
    assert_int_equal(b.len, 8);
    as_slice v = as_buf_view(&b);
    assert_ptr_equal(v.ptr, b.data);
    assert_int_equal(v.len, 8);
    as_buf_clear(&b);
    assert_buf_ok(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    as_buf_fini(&b);
}

static void test_as_buf_append_empty_allocates_terminator(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append(&b, NULL, 0), 0);
    assert_buf_ok(&b);
    assert_true(b.cap > 0);  /* data is a valid empty C string now */
    assert_string_equal(b.data, "");
    as_buf_fini(&b);
}

static void test_as_buf_binary_bytes(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append(&b, "a\0b\xff", 4), 0);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "a\0b\xff\0", 5);
    as_buf_fini(&b);
}

static void test_as_buf_growth_doubles(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_putc(&b, 'x'), 0);
    assert_int_equal(b.cap, 64);       /* first block */
    size_t prev = b.cap, grows = 0;
    for (size_t i = 1; i < 100000; i++) {
        assert_int_equal(as_buf_putc(&b, (char)('a' + i % 26)), 0);
        if (b.cap != prev) {
            assert_int_equal(b.cap, prev * 2);
            prev = b.cap;
            grows++;
        }
    }
    assert_buf_ok(&b);
    assert_int_equal(b.len, 100000);
    assert_int_equal(grows, 11);       /* 64 -> 131072 */
    assert_int_equal(b.data[0], 'x');
    for (size_t i = 1; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    as_buf_fini(&b);
}

static void test_as_buf_reserve_does_not_change_contents(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append_cstr(&b, "keep"), 0);
    assert_int_equal(as_buf_reserve(&b, 1000), 0);
    assert_int_equal(b.len, 4);
    assert_true(b.cap >= 1005);
    assert_string_equal(b.data, "keep");
    char *before = b.data;
    size_t cap = b.cap;
    for (int i = 0; i < 1000; i++)   /* reserved room: no move */
        assert_int_equal(as_buf_putc(&b, '.'), 0);
    assert_ptr_equal(b.data, before);
    assert_int_equal(b.cap, cap);
    assert_buf_ok(&b);
    as_buf_fini(&b);
}

static void test_as_buf_reserve_overflow_fails_unchanged(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append_cstr(&b, "abc"), 0);
    as_buf before = b;
    assert_int_equal(as_buf_reserve(&b, SIZE_MAX), -1);
    assert_int_equal(as_buf_reserve(&b, SIZE_MAX / 2), -1);
    assert_int_equal(as_buf_append(&b, "x", SIZE_MAX - 1), -1);
    assert_memory_equal(&b, &before, sizeof b);
    assert_string_equal(b.data, "abc");
    as_buf_fini(&b);
}

static void test_as_buf_printf_formats_and_appends(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_buf_ok(&b);
    assert_string_equal(b.data, "42-x");
    assert_int_equal(as_buf_printf(&b, "|%05.1f|%c", 2.25, 'z'), 0);
    assert_string_equal(b.data, "42-x|002.2|z");
    assert_int_equal(b.len, strlen(b.data));
    assert_int_equal(as_buf_printf(&b, "%s", ""), 0);   /* empty output */
    assert_int_equal(b.len, 12);
    assert_buf_ok(&b);
    as_buf_fini(&b);
}

static void test_as_buf_printf_grows_past_first_block(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append_cstr(&b, "<"), 0);
    assert_int_equal(as_buf_printf(&b, "%s>%d", big, 7), 0);
    assert_buf_ok(&b);
    assert_int_equal(b.len, 1 + 4999 + 2);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[4999], 'q');
    assert_string_equal(b.data + 5000, ">7");
    /* output that exactly fills the block: 63 bytes + NUL in a 64-byte block */
    as_buf c = AS_BUF_INIT;
    assert_int_equal(as_buf_printf(&c, "%.*s", 63, big), 0);
    assert_int_equal(c.cap, 64);
    assert_int_equal(c.len, 63);
    assert_buf_ok(&c);
    assert_int_equal(as_buf_printf(&c, "%c", 'r'), 0);
    assert_int_equal(c.cap, 128);
    assert_int_equal(c.data[63], 'r');
    assert_buf_ok(&c);
    as_buf_fini(&b);
    as_buf_fini(&c);
}

static int via_vprintf(as_buf *b, const char *fmt, ...) AS_PRINTF(2, 3);
static int via_vprintf(as_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = as_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_as_buf_vprintf_uses_list_once(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    /* vprintf measures with a copy of ap, then formats with ap itself */
    assert_int_equal(via_vprintf(&b, "%s=%lld;%s", "k", -9000000000ll, "end"), 0);
    assert_string_equal(b.data, "k=-9000000000;end");
    as_buf_fini(&b);
}

static void test_as_buf_oom_reserve_leaves_buffer_unchanged(void **state)
{
    (void)state;
    /* fresh buffer: the first allocation fails */
    as_buf a = AS_BUF_INIT;
    as_alloc_fail_after(1);
    assert_int_equal(as_buf_reserve(&a, 10), -1);
    assert_int_equal(as_buf_append(&a, "x", 1), -1);
    assert_int_equal(as_buf_putc(&a, 'x'), -1);
    assert_int_equal(as_buf_printf(&a, "%d", 1), -1);
    as_alloc_fail_after(0);
    assert_null(a.data);
    assert_int_equal(a.len, 0);
    assert_int_equal(a.cap, 0);

    /* full first block: growing fails, contents, length and capacity stay */
    as_buf b = AS_BUF_INIT;
    char fill[63];
    memset(fill, 'f', sizeof fill);
    assert_int_equal(as_buf_append(&b, fill, sizeof fill), 0);
    as_buf before = b;
    as_alloc_fail_after(1);
    assert_int_equal(as_buf_reserve(&b, 1), -1);
    assert_memory_equal(&b, &before, sizeof b);
    assert_int_equal(as_buf_append_cstr(&b, "more"), -1);
    assert_memory_equal(&b, &before, sizeof b);
    assert_int_equal(as_buf_printf(&b, "%s", "more"), -1);
    assert_memory_equal(&b, &before, sizeof b);
    /* what still fits needs no allocation */
    assert_int_equal(as_buf_append(&b, "", 0), 0);
    as_alloc_fail_after(0);
    assert_buf_ok(&b);
    assert_int_equal(b.len, 63);
    assert_memory_equal(b.data, fill, sizeof fill);
    /* usable again once memory is back */
    assert_int_equal(as_buf_append_cstr(&b, "more"), 0);
    assert_int_equal(b.len, 67);
    assert_buf_ok(&b);
    as_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_buf_init_is_empty),
        cmocka_unit_test(test_as_buf_append_keeps_nul),
        cmocka_unit_test(test_as_buf_append_empty_allocates_terminator),
        cmocka_unit_test(test_as_buf_binary_bytes),
        cmocka_unit_test(test_as_buf_growth_doubles),
        cmocka_unit_test(test_as_buf_reserve_does_not_change_contents),
        cmocka_unit_test(test_as_buf_reserve_overflow_fails_unchanged),
        cmocka_unit_test(test_as_buf_printf_formats_and_appends),
        cmocka_unit_test(test_as_buf_printf_grows_past_first_block),
        cmocka_unit_test(test_as_buf_vprintf_uses_list_once),
        cmocka_unit_test_teardown(test_as_buf_oom_reserve_leaves_buffer_unchanged, hook_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
