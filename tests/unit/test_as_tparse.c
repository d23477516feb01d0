/* test_as_tparse.c: unit tests for core/as_tparse: every timestamp form with
 * its instant and flags, the epoch digit-count rule both ways, rejections of
 * impossible values, --tz values and durations with overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/as.h"

typedef struct tcase {
    const char  *text;
    int          tz;       /* default offset, minutes */
    as_time_form form;     /* AS_TIME_FORM_NONE = must be rejected */
    const char  *utc;      /* as_time_format_utc of the result */
    int          naive;
} tcase;

static const tcase cases[] = {
    { "2026-03-01T14:05:00Z", 0, AS_TIME_FORM_ISO, "2026-03-01T14:05:00Z", 0 },
    { "2026-03-01T14:05:00.123456789+02:00", 0, AS_TIME_FORM_ISO, "2026-03-01T12:05:00.123456789Z", 0 },
    { "2026-03-01T14:05:00-0700", 0, AS_TIME_FORM_ISO, "2026-03-01T21:05:00Z", 0 },
    { "2026-03-01 14:05:00", 0, AS_TIME_FORM_ISO_SPACE, "2026-03-01T14:05:00Z", 1 },
    { "2026-03-01 14:05:00", 60, AS_TIME_FORM_ISO_SPACE, "2026-03-01T13:05:00Z", 1 },
    { "2026-03-01", 0, AS_TIME_FORM_DATE, "2026-03-01T00:00:00Z", 1 },
    { "2024-02-29", 0, AS_TIME_FORM_DATE, "2024-02-29T00:00:00Z", 1 },
    { "2026/03/01 14:05:00", 0, AS_TIME_FORM_SLASH, "2026-03-01T14:05:00Z", 1 },
    { "2026/03/01 14:05:00.5", -300, AS_TIME_FORM_SLASH, "2026-03-01T19:05:00.500Z", 1 },
    { "01/Mar/2026:14:05:00 +0000", 0, AS_TIME_FORM_CLF, "2026-03-01T14:05:00Z", 0 },
    { "10/Oct/2000:13:55:36 -0700", 0, AS_TIME_FORM_CLF, "2000-10-10T20:55:36Z", 0 },
    { "Sun, 01 Mar 2026 14:05:00 GMT", 0, AS_TIME_FORM_RFC2822, "2026-03-01T14:05:00Z", 0 },
    { "01 Mar 2026 14:05:00 +0100", 0, AS_TIME_FORM_RFC2822, "2026-03-01T13:05:00Z", 0 },
    { "1 Mar 2026 14:05:00 UT", 0, AS_TIME_FORM_RFC2822, "2026-03-01T14:05:00Z", 0 },
    { "1772373900", 0, AS_TIME_FORM_EPOCH_S, "2026-03-01T14:05:00Z", 0 },
    { "1772373900.25", 0, AS_TIME_FORM_EPOCH_S, "2026-03-01T14:05:00.250Z", 0 },
    { "1772373900123", 0, AS_TIME_FORM_EPOCH_MS, "2026-03-01T14:05:00.123Z", 0 },
    { "1772373900123456", 0, AS_TIME_FORM_EPOCH_US, "2026-03-01T14:05:00.123456Z", 0 },
    { "1772373900123456789", 0, AS_TIME_FORM_EPOCH_NS, "2026-03-01T14:05:00.123456789Z", 0 },
    /* rejections */
    { "", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-02-30", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2025-02-29", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-13-01T00:00:00Z", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-03-01T24:01:00Z", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-03-01T14:05:00+25:00", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-03-01T14:05:00Z trailing", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-03-01T14:05:00.", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "01/Foo/2026:14:05:00 +0000", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "Mon, 01 Mar 2026 14:05:00 GMT", 0, AS_TIME_FORM_NONE, NULL, 0 },   /* 1 Mar 2026 is a Sunday */
    { "12345", 0, AS_TIME_FORM_NONE, NULL, 0 },                          /* a count, not a time */
    { "631151999", 0, AS_TIME_FORM_NONE, NULL, 0 },                      /* before 1990 */
    { "4102444800", 0, AS_TIME_FORM_NONE, NULL, 0 },                     /* 2100 */
    { "17723739001", 0, AS_TIME_FORM_NONE, NULL, 0 },                    /* 11 digits: ambiguous */
    { "1772373900123.5", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "yesterday", 0, AS_TIME_FORM_NONE, NULL, 0 },
    { "2026-03-01T14:05:60Z", 0, AS_TIME_FORM_NONE, NULL, 0 },           /* :60 only at 23:59 */
    { "2016-12-31T23:59:60Z", 0, AS_TIME_FORM_ISO, "2017-01-01T00:00:00Z", 0 },
};

static void test_as_tparse_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        const tcase *c = &cases[i];
        as_time t = { 0 };
        as_time_form f;
        size_t n = as_time_parse_any(as_slice_cstr(c->text), c->tz, &t, &f);
        if (c->form == AS_TIME_FORM_NONE) {
            if (n != 0)
                fail_msg("'%s' was taken for a time", c->text);
            assert_int_equal(f, AS_TIME_FORM_NONE);
            continue;
        }
        if (n != strlen(c->text) || f != c->form)
            fail_msg("'%s': n %zu form %s", c->text, n, as_time_form_name(f));
        char buf[AS_TIME_RFC3339_MAX];
        as_time_format_utc(t, buf);
        assert_string_equal(buf, c->utc);
        assert_int_equal(!!(t.flags & AS_TIME_NAIVE), c->naive);
        assert_true(as_time_is_valid(t));
    }
    assert_string_equal(as_time_form_name(AS_TIME_FORM_EPOCH_MS), "epoch_ms");
}

static void test_as_tparse_tz(void **state)
{
    (void)state;
    struct { const char *s; int ok, off; } v[] = {
        { "UTC", 1, 0 }, { "Z", 1, 0 }, { "+02:00", 1, 120 }, { "-0500", 1, -300 }, { "+5", 1, 300 },
        { "+05:30", 1, 330 }, { "-12", 1, -720 }, { "Europe/Berlin", 0, 0 }, { "+24:00", 0, 0 },
        { "+01:60", 0, 0 }, { "+05:", 0, 0 }, { "", 0, 0 }, { "+", 0, 0 }, { "+0530x", 0, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(v); i++) {
        int off = 999;
        int r = as_tz_parse(as_slice_cstr(v[i].s), &off);
        if ((r == 0) != v[i].ok)
            fail_msg("tz '%s'", v[i].s);
        if (v[i].ok)
            assert_int_equal(off, v[i].off);
    }
}

static void test_as_tparse_duration(void **state)
{
    (void)state;
    struct { const char *s; int64_t ns; } v[] = {
        { "1h", 3600 * AS_NSEC_PER_SEC }, { "24h", 86400 * AS_NSEC_PER_SEC },
        { "15m", 900 * AS_NSEC_PER_SEC }, { "90s", 90 * AS_NSEC_PER_SEC },
        { "2d", 172800 * AS_NSEC_PER_SEC }, { "1w", 604800 * AS_NSEC_PER_SEC },
        { "1h30m", 5400 * AS_NSEC_PER_SEC }, { "250ms", 250000000 },
        { "", -1 }, { "0s", -1 }, { "10", -1 }, { "1x", -1 }, { "h", -1 }, { "-1h", -1 },
        { "99999999999999999999s", -1 }, { "300000w", -1 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(v); i++) {
        int64_t ns = 0;
        int r = as_duration_parse(as_slice_cstr(v[i].s), &ns);
        if (v[i].ns < 0) {
            if (r == 0)
                fail_msg("duration '%s' accepted", v[i].s);
        } else {
            assert_int_equal(r, 0);
            assert_int_equal(ns, v[i].ns);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_tparse_forms),
        cmocka_unit_test(test_as_tparse_tz),
        cmocka_unit_test(test_as_tparse_duration),
    };
    return cmocka_run_group_tests_name("as_tparse", tests, NULL, NULL);
}
