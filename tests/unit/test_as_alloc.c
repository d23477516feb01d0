/* test_as_alloc.c: unit tests for core/as_alloc (wrappers and the
 * out-of-memory fault hook). The hook is also exercised from several threads
 * (threaded: tools/testrun.sh runs this file under `make tsan`). */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>  /* the hook under concurrent callers */
#include <string.h>   /* memset, memcmp */

#include "core/as_alloc.h"
#include "tests/unit/guard.h"

/* Every test leaves the hook off, even when an assertion fails half-way. */
static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

static void test_as_alloc_malloc_zero_is_usable(void **state)
{
    (void)state;
    void *p = as_malloc(0);
    assert_non_null(p);
    as_free(p);
    void *q = as_calloc(0, 0);
    assert_non_null(q);
    as_free(q);
    void *r = as_realloc(NULL, 0);
    assert_non_null(r);
    as_free(r);
    as_free(NULL);  /* no-op */
}

static void test_as_alloc_calloc_zeroes(void **state)
{
    (void)state;
    unsigned char *p = as_calloc(1000, 3);
    assert_non_null(p);
    for (size_t i = 0; i < 3000; i++)
        assert_int_equal(p[i], 0);
    as_free(p);
}

static void test_as_alloc_realloc_keeps_contents(void **state)
{
    (void)state;
    unsigned char *p = as_malloc(16);
    assert_non_null(p);
    for (int i = 0; i < 16; i++)
        p[i] = (unsigned char)i;
    unsigned char *q = as_realloc(p, 1 << 20);
    assert_non_null(q);
    for (int i = 0; i < 16; i++)
        assert_int_equal(q[i], i);
    as_free(q);
}

static void test_as_alloc_strndup_copies_and_terminates(void **state)
{
    (void)state;
    guard g;
    assert_int_equal(guard_init(&g, 64), 0);
    /* the source ends at the guard page: strndup must not read past len */
    const char *src = guard_put(&g, "hello world", 11);
    assert_non_null(src);
    char *a = as_strndup(src, 11);
    assert_non_null(a);
    assert_string_equal(a, "hello world");
    char *b = as_strndup(src, 5);
    assert_non_null(b);
    assert_string_equal(b, "hello");
    char *c = as_strndup(guard_put(&g, "", 0), 0);
    assert_non_null(c);
    assert_string_equal(c, "");
    /* embedded NULs are copied, not stopped at */
    char *d = as_strndup("a\0b", 3);
    assert_non_null(d);
    assert_memory_equal(d, "a\0b", 4);
    as_free(a);
    as_free(b);
    as_free(c);
    as_free(d);
    guard_fini(&g);
}

static void test_as_alloc_strndup_rejects_size_overflow(void **state)
{
    (void)state;
    /* len + 1 would wrap to 0: must fail instead of writing past a 1-byte block */
    assert_null(as_strndup("x", SIZE_MAX));
}

static void test_as_alloc_fail_after_counts_from_the_call(void **state)
{
    (void)state;
    as_alloc_fail_after(3);
    void *a = as_malloc(8);   /* 1 */
    void *b = as_calloc(1, 8); /* 2 */
    void *c = as_malloc(8);   /* 3: fails */
    void *d = as_malloc(8);   /* and every later one */
    void *e = as_realloc(NULL, 8);
    void *f = as_calloc(1, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(d);
    assert_null(e);
    assert_null(f);
    as_alloc_fail_after(0);
    void *g = as_malloc(8);
    assert_non_null(g);
    as_free(a);
    as_free(b);
    as_free(g);
}

static void test_as_alloc_fail_after_one_fails_the_next(void **state)
{
    (void)state;
    as_alloc_fail_after(1);
    assert_null(as_malloc(1));
    assert_null(as_malloc(1));
    as_alloc_fail_after(0);
    void *p = as_malloc(1);
    assert_non_null(p);
    as_free(p);
}

static void test_as_alloc_oom_realloc_keeps_block(void **state)
{
    (void)state;
    unsigned char *p = as_malloc(32);
    assert_non_null(p);
    memset(p, 0x5A, 32);
    as_alloc_fail_after(1);
    unsigned char *q = as_realloc(p, 4096);
    assert_null(q);
    as_alloc_fail_after(0);
    for (int i = 0; i < 32; i++)  /* the old block is intact and still owned */
        assert_int_equal(p[i], 0x5A);
    as_free(p);
}

static void test_as_alloc_oom_strndup_returns_null(void **state)
{
    (void)state;
    as_alloc_fail_after(1);
    assert_null(as_strndup("abc", 3));
    assert_null(as_strndup("", 0));
}

/* ---- the hook under concurrency: exactly n - 1 allocations succeed ---- */

#define THREADS     4
#define PER_THREAD  20000
#define ALLOWED     (PER_THREAD * THREADS / 2)

static void *alloc_loop(void *arg)
{
    size_t *ok = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        void *p = as_malloc(16);
        if (p != NULL)
            (*ok)++;
        as_free(p);
    }
    return NULL;
}

static void test_as_alloc_fail_after_threaded_is_exact(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        pthread_t th[THREADS];
        size_t ok[THREADS] = { 0 };
        as_alloc_fail_after(ALLOWED + 1);
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&th[i], NULL, alloc_loop, &ok[i]), 0);
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        size_t total = 0;
        for (int i = 0; i < THREADS; i++)
            total += ok[i];
        assert_int_equal(total, ALLOWED);
        assert_null(as_malloc(1));  /* the hook is still armed */
        as_alloc_fail_after(0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_as_alloc_malloc_zero_is_usable, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_calloc_zeroes, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_realloc_keeps_contents, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_strndup_copies_and_terminates, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_strndup_rejects_size_overflow, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_fail_after_counts_from_the_call, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_fail_after_one_fails_the_next, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_oom_realloc_keeps_block, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_oom_strndup_returns_null, hook_off),
        cmocka_unit_test_teardown(test_as_alloc_fail_after_threaded_is_exact, hook_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
