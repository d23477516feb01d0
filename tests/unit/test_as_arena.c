/* test_as_arena.c: unit tests for core/as_arena (bump allocator reset per
 * chunk of work): alignment, reuse after reset with no allocation in the
 * steady state, big allocations, peak, ASan poisoning, out of memory. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* memset */

#include "core/as_alloc.h"
#include "core/as_arena.h"

#if defined(__SANITIZE_ADDRESS__)
#  include <sanitizer/asan_interface.h>  /* __asan_address_is_poisoned */
#  define HAVE_ASAN 1
#else
#  define HAVE_ASAN 0
#endif

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

static void test_as_arena_init_defaults(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    assert_int_equal(ar.chunk_size, AS_ARENA_CHUNK_DEFAULT);
    assert_null(ar.head);
    assert_int_equal(ar.used, 0);
    assert_int_equal(ar.peak, 0);
    as_arena_reset(&ar);  /* nothing allocated yet: no-op */
    as_arena_fini(&ar);
    as_arena_init(&ar, 1000);
    assert_int_equal(ar.chunk_size, 1000);
    as_arena_fini(&ar);
}

static void test_as_arena_alignment(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 4096);
    /* odd sizes between differently aligned requests, across several chunks */
    for (int round = 0; round < 200; round++) {
        for (size_t align = 1; align <= 64; align *= 2) {
            unsigned char *p = as_arena_alloc(&ar, (size_t)round % 13 + 1, align);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            memset(p, 0xEE, (size_t)round % 13 + 1);
        }
    }
    as_arena_fini(&ar);
}

static void test_as_arena_rejects_bad_alignment(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    assert_null(as_arena_alloc(&ar, 8, 0));
    assert_null(as_arena_alloc(&ar, 8, 3));
    assert_null(as_arena_alloc(&ar, 8, 24));
    assert_null(as_arena_alloc(&ar, 8, 128));
    assert_null(ar.head);  /* nothing was allocated for them */
    assert_null(as_arena_alloc(&ar, SIZE_MAX, 1));
    assert_null(as_arena_alloc(&ar, SIZE_MAX - 32, 64));
    as_arena_fini(&ar);
}

static void test_as_arena_allocations_do_not_overlap(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 1024);
    unsigned char *p[300];
    size_t n[300];
    for (size_t i = 0; i < 300; i++) {
        n[i] = i % 37 + 1;
        p[i] = as_arena_alloc(&ar, n[i], (size_t)1 << (i % 4));
        assert_non_null(p[i]);
        memset(p[i], (int)(i & 0xFF), n[i]);
    }
    for (size_t i = 0; i < 300; i++)
        for (size_t j = 0; j < n[i]; j++)
            assert_int_equal(p[i][j], i & 0xFF);
    as_arena_fini(&ar);
}

static void test_as_arena_reset_reuses_first_chunk(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 4096);
    void *first = as_arena_alloc(&ar, 100, 8);
    assert_non_null(first);
    assert_non_null(as_arena_alloc(&ar, 200, 8));
    as_arena_reset(&ar);
    assert_int_equal(ar.used, 0);
    void *again = as_arena_alloc(&ar, 100, 8);
    assert_ptr_equal(again, first);
    as_arena_fini(&ar);
}

/* One round of a worker's block: many small allocations of mixed alignment. */
static void one_round(as_arena *ar, size_t n_allocs, size_t size, size_t align)
{
    for (size_t i = 0; i < n_allocs; i++) {
        unsigned char *p = as_arena_alloc(ar, size, align);
        assert_non_null(p);
        memset(p, 0x11, size);
    }
}

static void test_as_arena_steady_state_allocates_nothing(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 64 << 10);
    one_round(&ar, 1000, 24, 8);        /* fits the first chunk */
    as_arena_reset(&ar);
    as_alloc_fail_after(1);             /* from now on every allocation fails */
    for (int r = 0; r < 10; r++) {
        one_round(&ar, 1000, 24, 8);
        as_arena_reset(&ar);
    }
    as_alloc_fail_after(0);
    as_arena_fini(&ar);
}

static void test_as_arena_steady_state_after_overflowing_round(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 1024);
    one_round(&ar, 500, 40, 8);         /* ~20 KB: a chain of chunks */
    as_arena_reset(&ar);                /* frees them, sizes the next first chunk */
    one_round(&ar, 500, 40, 8);         /* one chunk big enough */
    as_arena_reset(&ar);
    as_alloc_fail_after(1);
    for (int r = 0; r < 10; r++) {
        one_round(&ar, 500, 40, 8);
        as_arena_reset(&ar);
    }
    as_alloc_fail_after(0);
    as_arena_fini(&ar);
}

static void test_as_arena_steady_state_counts_padding(void **state)
{
    (void)state;
    /* 1-byte objects 64-aligned: the padding is 63x the payload, so sizing the
     * next chunk from the payload alone would chain chunks every round */
    as_arena ar;
    as_arena_init(&ar, 1024);
    one_round(&ar, 1000, 1, 64);
    as_arena_reset(&ar);
    one_round(&ar, 1000, 1, 64);
    as_arena_reset(&ar);
    as_alloc_fail_after(1);
    for (int r = 0; r < 5; r++) {
        one_round(&ar, 1000, 1, 64);
        as_arena_reset(&ar);
    }
    as_alloc_fail_after(0);
    as_arena_fini(&ar);
}

static void test_as_arena_big_allocations(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 4096);
    unsigned char *small = as_arena_alloc(&ar, 16, 8);
    assert_non_null(small);
    memset(small, 1, 16);
    for (int i = 0; i < 5; i++) {        /* each bigger than a chunk */
        size_t n = (size_t)(1 << 20) + (size_t)i * 4097;
        unsigned char *big = as_arena_alloc(&ar, n, 64);
        assert_non_null(big);
        assert_int_equal((uintptr_t)big % 64, 0);
        memset(big, 0x7F, n);
        assert_int_equal(big[n - 1], 0x7F);
    }
    for (int i = 0; i < 16; i++)
        assert_int_equal(small[i], 1);  /* earlier memory is intact */
    unsigned char *after = as_arena_alloc(&ar, 16, 8);
    assert_non_null(after);
    as_arena_reset(&ar);
    /* a big first allocation after reset replaces the too-small empty chunk */
    unsigned char *big = as_arena_alloc(&ar, 3 << 20, 16);
    assert_non_null(big);
    memset(big, 0, 3 << 20);
    as_arena_fini(&ar);
}

static void test_as_arena_peak_tracks_largest_round(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 1024);
    assert_non_null(as_arena_alloc(&ar, 100, 1));
    assert_non_null(as_arena_alloc(&ar, 50, 1));
    assert_int_equal(ar.used, 150);
    assert_int_equal(ar.peak, 150);
    as_arena_reset(&ar);
    assert_int_equal(ar.used, 0);
    assert_int_equal(ar.peak, 150);
    assert_non_null(as_arena_alloc(&ar, 40, 1));
    assert_int_equal(ar.peak, 150);
    assert_non_null(as_arena_alloc(&ar, 2000, 1));  /* past the chunk */
    assert_int_equal(ar.used, 2040);
    assert_int_equal(ar.peak, 2040);
    as_arena_reset(&ar);
    assert_int_equal(ar.peak, 2040);
    as_arena_fini(&ar);
}

static void test_as_arena_strndup(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 64);
    char *a = as_arena_strndup(&ar, "hello world", 5);
    assert_non_null(a);
    assert_string_equal(a, "hello");
    char *b = as_arena_strndup(&ar, "", 0);
    assert_non_null(b);
    assert_string_equal(b, "");
    char long_src[300];
    memset(long_src, 'L', sizeof long_src);
    char *c = as_arena_strndup(&ar, long_src, sizeof long_src);  /* > chunk */
    assert_non_null(c);
    assert_memory_equal(c, long_src, sizeof long_src);
    assert_int_equal(c[sizeof long_src], '\0');
    assert_string_equal(a, "hello");
    /* len + 1 would wrap to 0: must fail instead of writing before the block */
    assert_null(as_arena_strndup(&ar, "x", SIZE_MAX));
    as_arena_fini(&ar);
}

static void test_as_arena_reset_poisons_memory(void **state)
{
    (void)state;
    if (!HAVE_ASAN)
        skip();
#if HAVE_ASAN
    as_arena ar;
    as_arena_init(&ar, 4096);
    char *p = as_arena_alloc(&ar, 64, 8);
    assert_non_null(p);
    assert_false(__asan_address_is_poisoned(p));
    assert_false(__asan_address_is_poisoned(p + 63));
    assert_true(__asan_address_is_poisoned(p + 64));   /* not handed out yet */
    as_arena_reset(&ar);
    assert_true(__asan_address_is_poisoned(p));        /* a stale slice faults */
    char *q = as_arena_alloc(&ar, 8, 8);
    assert_ptr_equal(q, p);
    assert_false(__asan_address_is_poisoned(q + 7));
    assert_true(__asan_address_is_poisoned(q + 8));
    as_arena_fini(&ar);
#endif
}

static void test_as_arena_oom_returns_null(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 256);
    as_alloc_fail_after(1);
    assert_null(as_arena_alloc(&ar, 16, 8));
    assert_null(as_arena_strndup(&ar, "abc", 3));
    assert_null(ar.head);
    assert_int_equal(ar.used, 0);
    as_alloc_fail_after(0);

    /* a second chunk that cannot be had: NULL, and the first chunk is intact */
    char *a = as_arena_strndup(&ar, "first", 5);
    assert_non_null(a);
    as_alloc_fail_after(1);
    assert_null(as_arena_alloc(&ar, 1000, 8));
    assert_int_equal(ar.used, 6);
    char *b = as_arena_strndup(&ar, "fits", 4);   /* still room in the chunk */
    assert_non_null(b);
    as_alloc_fail_after(0);
    assert_string_equal(a, "first");
    assert_string_equal(b, "fits");
    assert_non_null(as_arena_alloc(&ar, 1000, 8));
    as_arena_fini(&ar);
}

static void test_as_arena_printf(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 64);
    char *p;
    assert_int_equal(as_arena_printf(&ar, &p, "%s/%d", "db-01", 7), 7);
    assert_string_equal(p, "db-01/7");
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(as_arena_printf(&ar, &p, "<%s>", big), 3001);  /* longer than a chunk: exact, not cut */
    assert_int_equal(strlen(p), 3001);
    assert_int_equal(p[0], '<');
    assert_int_equal(p[3000], '>');
    assert_int_equal(as_arena_printf(&ar, &p, "%s", ""), 0);
    assert_string_equal(p, "");
    as_arena_fini(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_arena_init_defaults),
        cmocka_unit_test(test_as_arena_alignment),
        cmocka_unit_test(test_as_arena_rejects_bad_alignment),
        cmocka_unit_test(test_as_arena_allocations_do_not_overlap),
        cmocka_unit_test(test_as_arena_reset_reuses_first_chunk),
        cmocka_unit_test_teardown(test_as_arena_steady_state_allocates_nothing, hook_off),
        cmocka_unit_test_teardown(test_as_arena_steady_state_after_overflowing_round, hook_off),
        cmocka_unit_test_teardown(test_as_arena_steady_state_counts_padding, hook_off),
        cmocka_unit_test(test_as_arena_big_allocations),
        cmocka_unit_test(test_as_arena_peak_tracks_largest_round),
        cmocka_unit_test(test_as_arena_strndup),
        cmocka_unit_test(test_as_arena_reset_poisons_memory),
        cmocka_unit_test_teardown(test_as_arena_oom_returns_null, hook_off),
        cmocka_unit_test(test_as_arena_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
