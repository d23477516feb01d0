/* test_rul_bucket.c: unit tests for rules/rul_bucket: day, ISO week,
 * month, quarter and year buckets, their starts and labels, zones, times
 * before 1970, and consecutive numbering across year ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/rul.h"

static int64_t at(int64_t y, unsigned m, unsigned d, int64_t sod)
{
    return as_days_from_civil(y, m, d) * 86400 + sod;
}

static const char *label(rul_bucket b, int64_t k)
{
    static char buf[32];
    rul_bucket_label(b, k, buf, sizeof buf);
    return buf;
}

static void test_rul_bucket_labels(void **state)
{
    (void)state;
    int64_t t = at(2025, 10, 1, 3 * 3600);
    assert_string_equal(label(RUL_B_DAY, rul_bucket_of(RUL_B_DAY, t, 0)), "2025-10-01");
    assert_string_equal(label(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, t, 0)), "2025-W40");
    assert_string_equal(label(RUL_B_MONTH, rul_bucket_of(RUL_B_MONTH, t, 0)), "2025-10");
    assert_string_equal(label(RUL_B_QUARTER, rul_bucket_of(RUL_B_QUARTER, t, 0)), "2025Q4");
    assert_string_equal(label(RUL_B_YEAR, rul_bucket_of(RUL_B_YEAR, t, 0)), "2025");
    /* ISO weeks at year ends: 2026-01-01 (Thursday) is in 2026-W01; 2027-01-01 (Friday) in 2026-W53 */
    assert_string_equal(label(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, at(2026, 1, 1, 0), 0)), "2026-W01");
    assert_string_equal(label(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, at(2025, 12, 29, 0), 0)), "2026-W01");
    assert_string_equal(label(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, at(2025, 12, 28, 86399), 0)), "2025-W52");
    assert_string_equal(label(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, at(2027, 1, 1, 0), 0)), "2026-W53");
    /* before 1970 */
    assert_string_equal(label(RUL_B_DAY, rul_bucket_of(RUL_B_DAY, -1, 0)), "1969-12-31");
    assert_string_equal(label(RUL_B_QUARTER, rul_bucket_of(RUL_B_QUARTER, -1, 0)), "1969Q4");
}

static void test_rul_bucket_starts_and_zones(void **state)
{
    (void)state;
    for (int b = RUL_B_DAY; b <= RUL_B_YEAR; b++) {
        int64_t t = at(2025, 12, 31, 86399);
        int64_t k = rul_bucket_of((rul_bucket)b, t, 0);
        int64_t s0 = rul_bucket_start((rul_bucket)b, k, 0), s1 = rul_bucket_start((rul_bucket)b, k + 1, 0);
        assert_true(s0 <= t && t < s1);
        assert_int_equal(rul_bucket_of((rul_bucket)b, s0, 0), k);
        assert_int_equal(rul_bucket_of((rul_bucket)b, s0 - 1, 0), k - 1);
        assert_int_equal(s1, b == RUL_B_WEEK ? at(2026, 1, 5, 0) : at(2026, 1, 1, 0)); /* Monday 5 Jan starts the next week */
    }
    assert_int_equal(rul_bucket_start(RUL_B_WEEK, rul_bucket_of(RUL_B_WEEK, at(2025, 10, 1, 0), 0), 0),
                     at(2025, 9, 29, 0));
    /* 23:30 UTC is the next day at +01:00 */
    int64_t t = at(2025, 10, 1, 23 * 3600 + 1800);
    assert_string_equal(label(RUL_B_DAY, rul_bucket_of(RUL_B_DAY, t, 60)), "2025-10-02");
    assert_int_equal(rul_bucket_start(RUL_B_DAY, rul_bucket_of(RUL_B_DAY, t, 60), 60), at(2025, 10, 1, 23 * 3600));
    assert_string_equal(rul_bucket_name(RUL_B_QUARTER), "quarter");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rul_bucket_labels),
        cmocka_unit_test(test_rul_bucket_starts_and_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
