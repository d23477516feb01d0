/* test_as_cov.c: unit tests for core/as_cov: buckets, extremes, out-of-order
 * counts, merging, gap runs at the edges, negative times, out of memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/as.h"

static as_time at(int64_t sec)
{
    return (as_time){ .sec = sec, .flags = AS_TIME_VALID };
}

static void test_as_cov_buckets_and_extremes(void **state)
{
    (void)state;
    as_cov c;
    as_cov_init(&c, AS_COV_DAY);
    int64_t d0 = 20000 * 86400ll;
    assert_int_equal(as_cov_add(&c, at(d0 + 10)), 0);
    assert_int_equal(as_cov_add(&c, at(d0 + 5)), 0);            /* out of order */
    assert_int_equal(as_cov_add(&c, at(d0 + 86400 * 3)), 0);
    assert_int_equal(as_cov_add(&c, at(d0 + 86399)), 0);         /* out of order, day 0 */
    assert_int_equal(c.n, 4);
    assert_int_equal(c.out_of_order, 2);
    assert_int_equal(c.first.sec, d0 + 5);
    assert_int_equal(c.last.sec, d0 + 86400 * 3);
    assert_int_equal(c.n_b, 2);
    assert_int_equal(c.b[0].count, 3);
    assert_int_equal(as_cov_count_in(&c, d0, d0 + 86400), 3);
    assert_int_equal(as_cov_count_in(&c, d0 + 1, d0 + 86400 * 4), 1);  /* bucket starts only */
    as_cov_gap g[4];
    uint64_t empty;
    assert_int_equal(as_cov_gaps(&c, d0, d0 + 86400 * 3, g, 4, &empty), 1);
    assert_int_equal(empty, 2);
    assert_int_equal(g[0].from, d0 + 86400);
    assert_int_equal(g[0].to, d0 + 86400 * 3);
    assert_int_equal(g[0].buckets, 2);
    /* gaps at both edges of a wider range */
    assert_int_equal(as_cov_gaps(&c, d0 - 86400 * 2, d0 + 86400 * 5, g, 4, &empty), 3);
    assert_int_equal(empty, 6);
    assert_int_equal(g[0].from, d0 - 86400 * 2);
    assert_int_equal(g[0].buckets, 2);
    assert_int_equal(g[2].from, d0 + 86400 * 4);
    assert_int_equal(g[2].to, d0 + 86400 * 6);
    /* cap smaller than the number of runs still counts them all */
    assert_int_equal(as_cov_gaps(&c, d0 - 86400 * 2, d0 + 86400 * 5, g, 1, &empty), 3);
    as_cov_fini(&c);
}

static void test_as_cov_empty_and_negative(void **state)
{
    (void)state;
    as_cov c;
    as_cov_init(&c, 3600);
    as_cov_gap g[2];
    uint64_t empty;
    assert_int_equal(as_cov_gaps(&c, 0, 3600 * 5 - 1, g, 2, &empty), 1);   /* nothing: one gap */
    assert_int_equal(empty, 5);
    assert_int_equal(as_cov_add(&c, at(-1)), 0);                            /* 1969-12-31T23:59:59 */
    assert_int_equal(c.b[0].idx, -1);
    assert_int_equal(as_cov_bucket_start(&c, -1), -3600);
    assert_int_equal(as_cov_gaps(&c, -3600, 0, g, 2, &empty), 1);           /* the hour of 0 is empty */
    assert_int_equal(g[0].from, 0);
    as_cov_fini(&c);
}

static void test_as_cov_merge_is_order_free(void **state)
{
    (void)state;
    as_cov a, b, all;
    as_cov_init(&a, AS_COV_DAY);
    as_cov_init(&b, AS_COV_DAY);
    as_cov_init(&all, AS_COV_DAY);
    for (int64_t i = 0; i < 1000; i++) {
        int64_t s = (i * 7919) % 100 * 86400 + i;
        assert_int_equal(as_cov_add(i % 2 ? &a : &b, at(s)), 0);
        assert_int_equal(as_cov_add(&all, at(s)), 0);
    }
    as_cov m;
    as_cov_init(&m, AS_COV_DAY);
    assert_int_equal(as_cov_merge(&m, &a), 0);
    assert_int_equal(as_cov_merge(&m, &b), 0);
    assert_int_equal(m.n, all.n);
    assert_int_equal(m.n_b, all.n_b);
    for (size_t i = 0; i < m.n_b; i++) {
        assert_int_equal(m.b[i].idx, all.b[i].idx);
        assert_int_equal(m.b[i].count, all.b[i].count);
    }
    assert_int_equal(m.first.sec, all.first.sec);
    assert_int_equal(m.last.sec, all.last.sec);
    assert_true(m.first.sec < m.last.sec);
    as_cov one;                                      /* into an empty accumulator: extremes kept apart */
    as_cov_init(&one, AS_COV_DAY);
    assert_int_equal(as_cov_merge(&one, &a), 0);
    assert_int_equal(one.first.sec, a.first.sec);
    assert_int_equal(one.last.sec, a.last.sec);
    as_cov_fini(&one);
    as_cov_fini(&a);
    as_cov_fini(&b);
    as_cov_fini(&all);
    as_cov_fini(&m);
}

static void test_as_cov_out_of_memory(void **state)
{
    (void)state;
    as_cov c;
    as_cov_init(&c, AS_COV_DAY);
    as_alloc_fail_after(1);
    assert_int_equal(as_cov_add(&c, at(5)), -1);
    as_alloc_fail_after(0);
    assert_int_equal(c.n, 0);
    assert_int_equal(as_cov_add(&c, at(5)), 0);
    assert_int_equal(c.n, 1);
    as_cov_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_cov_buckets_and_extremes),
        cmocka_unit_test(test_as_cov_empty_and_negative),
        cmocka_unit_test(test_as_cov_merge_is_order_free),
        cmocka_unit_test(test_as_cov_out_of_memory),
    };
    return cmocka_run_group_tests_name("as_cov", tests, NULL, NULL);
}
