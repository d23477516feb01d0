/* test_as_time.c: unit tests for core/as_time: civil-date arithmetic,
 * ISO 8601 parsing (every input at the end of a page before a PROT_NONE page,
 * guard.h), RFC 3339 formatting, comparison. Expected day numbers and
 * weekdays were checked against Python's datetime (proleptic Gregorian).
 *
 * The last section drives the timestamp entry point built on as_time,
 * core/as_tparse (as_time_parse_any, as_tz_parse, as_duration_parse), at its
 * boundaries: every form, leap days and seconds, fraction lengths, offsets,
 * the epoch digit-count rule both ways, overflow. test_as_tparse.c holds that
 * module's own smoke table; these cases can move there whole. Expected epoch
 * instants were checked with `date -u -d @N`. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* snprintf: building inputs for the round trips */
#include <string.h>  /* strlen, memcmp */

#include "core/as_time.h"
#include "core/as_tparse.h"  /* as_time_parse_any, as_tz_parse, as_duration_parse */
#include "tests/unit/guard.h"

static int setup_guard(void **state)
{
    static guard g;   /* one per test binary; cmocka runs tests one at a time */
    if (guard_init(&g, 256) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown_guard(void **state)
{
    guard_fini(*state);
    return 0;
}

/* ---- calendar ---- */

static void test_as_time_civil_round_trip_1900_2100(void **state)
{
    (void)state;
    int64_t expect = as_days_from_civil(1900, 1, 1);
    assert_int_equal(expect, -25567);
    for (int64_t y = 1900; y <= 2100; y++)
        for (unsigned m = 1; m <= 12; m++)
            for (unsigned d = 1; d <= as_days_in_month(y, m); d++) {
                int64_t days = as_days_from_civil(y, m, d);
                if (days != expect)
                    fail_msg("%lld-%02u-%02u: day %lld, expected %lld", (long long)y, m, d,
                             (long long)days, (long long)expect);
                int64_t y2;
                unsigned m2, d2;
                as_civil_from_days(days, &y2, &m2, &d2);
                if (y2 != y || m2 != m || d2 != d)
                    fail_msg("day %lld -> %lld-%02u-%02u, expected %lld-%02u-%02u", (long long)days,
                             (long long)y2, m2, d2, (long long)y, m, d);
                expect++;
            }
    assert_int_equal(expect - 1, 47846);  /* 2100-12-31 */
}

static void test_as_time_civil_round_trip_wide_range(void **state)
{
    (void)state;
    /* every day from -0400-01-01 to 2800-12-31, through both directions */
    int64_t first = as_days_from_civil(-400, 1, 1), last = as_days_from_civil(2800, 12, 31);
    int64_t py = -400;
    unsigned pm = 1, pd = 0;
    for (int64_t z = first; z <= last; z++) {
        int64_t y;
        unsigned m, d;
        as_civil_from_days(z, &y, &m, &d);
        if (as_days_from_civil(y, m, d) != z)
            fail_msg("day %lld does not round-trip", (long long)z);
        /* consecutive: the next day of the previous date */
        int next_ok = (y == py && m == pm && d == pd + 1) ||
                      (y == py && m == pm + 1 && d == 1 && pd == as_days_in_month(py, pm)) ||
                      (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
        if (z != first && !next_ok)
            fail_msg("day %lld: %lld-%02u-%02u does not follow the previous date", (long long)z,
                     (long long)y, m, d);
        py = y;
        pm = m;
        pd = d;
    }
}

static void test_as_time_civil_anchors(void **state)
{
    (void)state;
    assert_int_equal(as_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(as_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(as_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(as_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(as_days_from_civil(1600, 2, 29), -135081);
    assert_int_equal(as_days_from_civil(1, 1, 1), -719162);
    int64_t y;
    unsigned m, d;
    as_civil_from_days(-135081, &y, &m, &d);
    assert_int_equal(y, 1600);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    as_civil_from_days(as_days_from_civil(0, 2, 29), &y, &m, &d);  /* year 0 is leap */
    assert_int_equal(y, 0);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    as_civil_from_days(as_days_from_civil(-1, 12, 31), &y, &m, &d);
    assert_int_equal(y, -1);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

static void test_as_time_weekday_anchors(void **state)
{
    (void)state;
    assert_int_equal(as_weekday_from_days(0), 3);                              /* Thu 1970-01-01 */
    assert_int_equal(as_weekday_from_days(-1), 2);                             /* Wed 1969-12-31 */
    assert_int_equal(as_weekday_from_days(as_days_from_civil(2000, 1, 1)), 5); /* Sat */
    assert_int_equal(as_weekday_from_days(11017), 2);                          /* Wed 2000-03-01 */
    assert_int_equal(as_weekday_from_days(19782), 3);                          /* Thu 2024-02-29 */
    assert_int_equal(as_weekday_from_days(-135081), 1);                        /* Tue 1600-02-29 */
    assert_int_equal(as_weekday_from_days(-719162), 0);                        /* Mon 0001-01-01 */
    assert_int_equal(as_weekday_from_days(as_days_from_civil(2026, 3, 1)), 6); /* Sun */
    for (int64_t z = -1000; z < 1000; z++)
        assert_int_equal(as_weekday_from_days(z + 1), (as_weekday_from_days(z) + 1) % 7);
}

static void test_as_time_leap_years_and_month_lengths(void **state)
{
    (void)state;
    assert_true(as_is_leap_year(2000));
    assert_true(as_is_leap_year(2024));
    assert_true(as_is_leap_year(1600));
    assert_true(as_is_leap_year(0));
    assert_true(as_is_leap_year(-4));
    assert_false(as_is_leap_year(1900));
    assert_false(as_is_leap_year(2100));
    assert_false(as_is_leap_year(2023));
    assert_false(as_is_leap_year(-1));
    assert_int_equal(as_days_in_month(2024, 2), 29);
    assert_int_equal(as_days_in_month(2023, 2), 28);
    assert_int_equal(as_days_in_month(1900, 2), 28);
    assert_int_equal(as_days_in_month(2000, 2), 29);
    assert_int_equal(as_days_in_month(2023, 4), 30);
    assert_int_equal(as_days_in_month(2023, 12), 31);
    assert_int_equal(as_days_in_month(2023, 0), 0);
    assert_int_equal(as_days_in_month(2023, 13), 0);
}

static void test_as_time_month_abbreviations(void **state)
{
    (void)state;
    static const char *const title[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    static const char *const lower[12] = { "jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec" };
    static const char *const upper[12] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                           "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
    for (unsigned i = 0; i < 12; i++) {
        assert_string_equal(as_month_abbr[i], title[i]);
        assert_int_equal(as_month_from_abbr(as_slice_cstr(title[i])), i + 1);
        assert_int_equal(as_month_from_abbr(as_slice_cstr(lower[i])), i + 1);
        assert_int_equal(as_month_from_abbr(as_slice_cstr(upper[i])), i + 1);
    }
    static const char *const bad[] = { "", "J", "Ja", "Janu", "Sept", "Jam", "Foo", " Jan",
                                       "Jan ", "J@n", "1an", "\xC3\xA9t" };
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++)
        assert_int_equal(as_month_from_abbr(as_slice_cstr(bad[i])), 0);
    /* only the first three bytes of a longer slice are not enough: length must be 3 */
    assert_int_equal(as_month_from_abbr(as_slice_make("Octx", 3)), 10);
}

/* ---- building instants ---- */

static void test_as_time_from_civil_rejects_invalid(void **state)
{
    (void)state;
    static const struct {
        int64_t  y;
        unsigned mo, d, h, mi, s;
        int32_t  nsec;
        int      off;
    } bad[] = {
        { 2023, 2, 29, 0, 0, 0, 0, 0 },           /* Feb 29 in a common year */
        { 1900, 2, 29, 0, 0, 0, 0, 0 },
        { 2024, 2, 30, 0, 0, 0, 0, 0 },           /* Feb 30 */
        { 2024, 4, 31, 0, 0, 0, 0, 0 },
        { 2024, 13, 1, 0, 0, 0, 0, 0 },           /* month 13 */
        { 2024, 0, 1, 0, 0, 0, 0, 0 },
        { 2024, 1, 0, 0, 0, 0, 0, 0 },
        { 2024, 1, 32, 0, 0, 0, 0, 0 },
        { 2024, 1, 1, 24, 0, 0, 0, 0 },           /* hour 24 */
        { 2024, 1, 1, 23, 60, 0, 0, 0 },
        { 2024, 1, 1, 23, 59, 61, 0, 0 },
        { 2024, 1, 1, 0, 0, 0, -1, 0 },
        { 2024, 1, 1, 0, 0, 0, 1000000000, 0 },
        { 2024, 1, 1, 0, 0, 0, 0, 1440 },         /* offset +24:00 */
        { 2024, 1, 1, 0, 0, 0, 0, -1440 },
        { 10000, 1, 1, 0, 0, 0, 0, 0 },
        { -10000, 1, 1, 0, 0, 0, 0, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(bad); i++) {
        as_time t = { 0 };
        if (as_time_from_civil(bad[i].y, bad[i].mo, bad[i].d, bad[i].h, bad[i].mi, bad[i].s,
                               bad[i].nsec, bad[i].off, 0, &t) != -1)
            fail_msg("case %zu accepted", i);
        assert_false(as_time_is_valid(t));
    }
}

static void test_as_time_from_civil_valid_edges(void **state)
{
    (void)state;
    as_time t, u;
    assert_int_equal(as_time_from_civil(2024, 2, 29, 23, 59, 59, 999999999, 1439, AS_TIME_NAIVE, &t), 0);
    assert_true(as_time_is_valid(t));
    assert_int_equal(t.flags, AS_TIME_VALID | AS_TIME_NAIVE);
    assert_int_equal(t.offset_min, 1439);
    assert_int_equal(t.nsec, 999999999);
    assert_int_equal(t.sec, 19782 * 86400ll + 86399 - 1439 * 60);
    assert_int_equal(as_time_from_civil(2024, 1, 1, 0, 0, 0, 0, -1439, 0, &t), 0);
    assert_int_equal(t.sec, 19723 * 86400ll + 1439 * 60);
    /* a leap second folds into the next second */
    assert_int_equal(as_time_from_civil(2016, 12, 31, 23, 59, 60, 0, 0, 0, &t), 0);
    assert_int_equal(as_time_from_civil(2017, 1, 1, 0, 0, 0, 0, 0, 0, &u), 0);
    assert_int_equal(t.sec, u.sec);
    assert_int_equal(as_time_from_civil(9999, 12, 31, 23, 59, 59, 0, 0, 0, &t), 0);
    assert_int_equal(as_time_from_civil(-9999, 1, 1, 0, 0, 0, 0, 0, 0, &t), 0);
}

/* ---- ISO 8601 parsing ---- */

#define V  AS_TIME_VALID
#define NV (AS_TIME_VALID | AS_TIME_NAIVE)
#define DO (AS_TIME_VALID | AS_TIME_NAIVE | AS_TIME_DATE_ONLY)

typedef struct iso_case {
    const char *in;
    int         default_off;  /* minutes, for naive input */
    const char *utc;          /* expected as_time_format_utc; NULL = rejected */
    size_t      consumed;
    unsigned    flags;
    int         offset_min;   /* expected t.offset_min */
} iso_case;

static const iso_case k_iso[] = {
    /* offsets */
    { "2026-03-01T14:05:00Z", 0, "2026-03-01T14:05:00Z", 20, V, 0 },
    { "2026-03-01T14:05:00+00:00", 60, "2026-03-01T14:05:00Z", 25, V, 0 },
    { "2026-03-01T14:05:00+01:30", 0, "2026-03-01T12:35:00Z", 25, V, 90 },
    { "2026-03-01T14:05:00+0130", 0, "2026-03-01T12:35:00Z", 24, V, 90 },
    { "2026-03-01T14:05:00+01", 0, "2026-03-01T13:05:00Z", 22, V, 60 },
    { "2026-03-01T14:05:00-0700", 0, "2026-03-01T21:05:00Z", 24, V, -420 },
    { "2026-03-01T14:05:00-07:00", 0, "2026-03-01T21:05:00Z", 25, V, -420 },
    { "2026-03-01T00:30:00+05:45", 0, "2026-02-28T18:45:00Z", 25, V, 345 },
    { "2026-03-01T14:05:00+23:59", 0, "2026-02-28T14:06:00Z", 25, V, 1439 },
    { "2026-03-01T14:05:00-23:59", 0, "2026-03-02T14:04:00Z", 25, V, -1439 },
    /* an offset that is cut short keeps what parses: "+01" then ":3" */
    { "2026-03-01T14:05:00+01:3", 0, "2026-03-01T13:05:00Z", 22, V, 60 },
    /* naive: flag NAIVE, interpreted at the default offset */
    { "2026-03-01T14:05:00", 0, "2026-03-01T14:05:00Z", 19, NV, 0 },
    { "2026-03-01T14:05:00", 60, "2026-03-01T13:05:00Z", 19, NV, 60 },
    { "2026-03-01T14:05:00", -300, "2026-03-01T19:05:00Z", 19, NV, -300 },
    { "2026-03-01T14:05", 0, "2026-03-01T14:05:00Z", 16, NV, 0 },
    { "2026-03-01T14:05Z", 0, "2026-03-01T14:05:00Z", 17, V, 0 },
    /* a cut-short seconds field is left unparsed: the time ends at the minute */
    { "2026-03-01T14:05:0", 0, "2026-03-01T14:05:00Z", 16, NV, 0 },
    /* date only */
    { "2026-03-01", 0, "2026-03-01T00:00:00Z", 10, DO, 0 },
    { "2026-03-01", 120, "2026-02-28T22:00:00Z", 10, DO, 120 },
    { "2026-03-01 host", 0, "2026-03-01T00:00:00Z", 10, DO, 0 },
    { "2026-03-01T", 0, "2026-03-01T00:00:00Z", 10, DO, 0 },
    { "2026-03-01Z", 0, "2026-03-01T00:00:00Z", 10, DO, 0 },   /* no zone without a time */
    /* fractions: 1, 3, 6, 9 digits; 10+ truncated to nanoseconds */
    { "2026-03-01T14:05:00.5Z", 0, "2026-03-01T14:05:00.500Z", 22, V, 0 },
    { "2026-03-01T14:05:00.123Z", 0, "2026-03-01T14:05:00.123Z", 24, V, 0 },
    { "2026-03-01T14:05:00.123456Z", 0, "2026-03-01T14:05:00.123456Z", 27, V, 0 },
    { "2026-03-01T14:05:00.123456789Z", 0, "2026-03-01T14:05:00.123456789Z", 30, V, 0 },
    { "2026-03-01T14:05:00.1234567891Z", 0, "2026-03-01T14:05:00.123456789Z", 31, V, 0 },
    { "2026-03-01T14:05:00.123456789999999+01:00", 0, "2026-03-01T13:05:00.123456789Z", 41, V, 60 },
    { "2026-03-01T14:05:00.000000001Z", 0, "2026-03-01T14:05:00.000000001Z", 30, V, 0 },
    { "2026-03-01T14:05:00.12Z", 0, "2026-03-01T14:05:00.120Z", 23, V, 0 },
    { "2026-03-01T14:05:00.1234Z", 0, "2026-03-01T14:05:00.123400Z", 25, V, 0 },
    { "2026-03-01T14:05:00.000Z", 0, "2026-03-01T14:05:00Z", 24, V, 0 },
    { "2026-03-01T14:05:00,25Z", 0, "2026-03-01T14:05:00.250Z", 23, V, 0 },
    { "2026-03-01T14:05:00.5", 0, "2026-03-01T14:05:00.500Z", 21, NV, 0 },
    /* a dot without digits is not a fraction and not consumed */
    { "2026-03-01T14:05:00.Z", 0, "2026-03-01T14:05:00Z", 19, NV, 0 },
    { "2026-03-01T14:05:00.", 0, "2026-03-01T14:05:00Z", 19, NV, 0 },
    /* separators and case */
    { "2026-03-01t14:05:00z", 0, "2026-03-01T14:05:00Z", 20, V, 0 },
    { "2026-03-01 14:05:00Z", 0, "2026-03-01T14:05:00Z", 20, V, 0 },
    { "2026-03-01 14:05:00 host sshd[1]", 0, "2026-03-01T14:05:00Z", 19, NV, 0 },
    { "2026-03-01T14:05:00Z GET /", 0, "2026-03-01T14:05:00Z", 20, V, 0 },
    /* leap second */
    { "2016-12-31T23:59:60Z", 0, "2017-01-01T00:00:00Z", 20, V, 0 },
    { "2016-12-31T23:59:60.5+00:00", 0, "2017-01-01T00:00:00.500Z", 27, V, 0 },
    /* range ends */
    { "0000-01-01T00:00:00Z", 0, "0000-01-01T00:00:00Z", 20, V, 0 },
    { "0000-01-01T00:30:00+01:00", 0, "-0001-12-31T23:30:00Z", 25, V, 60 },
    { "9999-12-31T23:59:59.999999999Z", 0, "9999-12-31T23:59:59.999999999Z", 30, V, 0 },
    { "9999-12-31T23:30:00-01:00", 0, "10000-01-01T00:30:00Z", 25, V, -60 },
    { "1969-12-31T23:59:59.5Z", 0, "1969-12-31T23:59:59.500Z", 22, V, 0 },
    { "2024-02-29T12:00:00Z", 0, "2024-02-29T12:00:00Z", 20, V, 0 },
    /* rejected */
    { "", 0, NULL, 0, 0, 0 },
    { "2026", 0, NULL, 0, 0, 0 },
    { "2026-03-0", 0, NULL, 0, 0, 0 },
    { "2026-3-1", 0, NULL, 0, 0, 0 },
    { "20260301T140500Z", 0, NULL, 0, 0, 0 },
    { "2026/03/01", 0, NULL, 0, 0, 0 },
    { " 2026-03-01", 0, NULL, 0, 0, 0 },
    { "+2026-03-01", 0, NULL, 0, 0, 0 },
    { "abcd-ef-gh", 0, NULL, 0, 0, 0 },
    { "2026-13-01", 0, NULL, 0, 0, 0 },
    { "2026-00-10", 0, NULL, 0, 0, 0 },
    { "2026-01-00", 0, NULL, 0, 0, 0 },
    { "2023-02-29", 0, NULL, 0, 0, 0 },
    { "2024-02-30T00:00:00Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T24:00:00Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T23:60:00Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T23:59:61Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T1x:00:00Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14-05-00Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14:05:0Z", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14:05:00+24:00", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14:05:00-24:00", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14:05:00+01:60", 0, NULL, 0, 0, 0 },
    { "2026-03-01T14:05:00+9999", 0, NULL, 0, 0, 0 },
    /* a naive time with a default offset out of range */
    { "2026-03-01T14:05:00", 1440, NULL, 0, 0, 0 },
};

static void test_as_time_parse_iso_table(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_iso); i++) {
        const iso_case *c = &k_iso[i];
        size_t len = strlen(c->in);
        const char *p = guard_put(g, c->in, len);   /* over-reads fault */
        assert_non_null(p);
        as_time t = { 0 };
        size_t n = as_time_parse_iso(as_slice_make(p, len), c->default_off, &t);
        if (c->utc == NULL) {
            if (n != 0)
                fail_msg("'%s': accepted (%zu bytes)", c->in, n);
            continue;
        }
        if (n != c->consumed)
            fail_msg("'%s': consumed %zu, expected %zu", c->in, n, c->consumed);
        char buf[AS_TIME_RFC3339_MAX];
        size_t m = as_time_format_utc(t, buf);
        assert_int_equal(m, strlen(buf));
        if (strcmp(buf, c->utc) != 0)
            fail_msg("'%s': %s, expected %s", c->in, buf, c->utc);
        if (t.flags != c->flags)
            fail_msg("'%s': flags %#x, expected %#x", c->in, t.flags, c->flags);
        if (t.offset_min != c->offset_min)
            fail_msg("'%s': offset %d, expected %d", c->in, t.offset_min, c->offset_min);
        assert_true(t.nsec >= 0 && t.nsec < AS_NSEC_PER_SEC);
    }
}

static void test_as_time_parse_iso_every_prefix(void **state)
{
    guard *g = *state;
    /* every prefix of a long form ends at the guard page: no byte past the
     * slice is read, and the result is a whole-field parse or 0 */
    const char *full = "2026-03-01T14:05:00.123456789+01:30";
    size_t flen = strlen(full);
    for (size_t len = 0; len <= flen; len++) {
        const char *p = guard_put(g, full, len);
        as_time t = { 0 };
        size_t n = as_time_parse_iso(as_slice_make(p, len), 0, &t);
        assert_true(n <= len);
        if (len < 10)
            assert_int_equal(n, 0);
        else
            assert_true(n >= 10);
    }
}

static void test_as_time_parse_iso_null_empty(void **state)
{
    (void)state;
    as_time t = { 0 };
    assert_int_equal(as_time_parse_iso((as_slice){ NULL, 0 }, 0, &t), 0);
    assert_false(as_time_is_valid(t));
}

/* ---- formatting ---- */

static void assert_fmt_utc(int64_t sec, int32_t nsec, const char *want)
{
    as_time t = { sec, nsec, 0, AS_TIME_VALID };
    char buf[AS_TIME_RFC3339_MAX];
    size_t n = as_time_format_utc(t, buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_as_time_format_fractions(void **state)
{
    (void)state;
    assert_fmt_utc(0, 0, "1970-01-01T00:00:00Z");
    assert_fmt_utc(0, 500000000, "1970-01-01T00:00:00.500Z");
    assert_fmt_utc(0, 123000000, "1970-01-01T00:00:00.123Z");
    assert_fmt_utc(0, 1000000, "1970-01-01T00:00:00.001Z");
    assert_fmt_utc(0, 123400000, "1970-01-01T00:00:00.123400Z");
    assert_fmt_utc(0, 1000, "1970-01-01T00:00:00.000001Z");
    assert_fmt_utc(0, 999999000, "1970-01-01T00:00:00.999999Z");
    assert_fmt_utc(0, 1, "1970-01-01T00:00:00.000000001Z");
    assert_fmt_utc(0, 999999999, "1970-01-01T00:00:00.999999999Z");
    assert_fmt_utc(1772373900, 0, "2026-03-01T14:05:00Z");
}

static void test_as_time_format_negative_epochs(void **state)
{
    (void)state;
    assert_fmt_utc(-1, 500000000, "1969-12-31T23:59:59.500Z");
    assert_fmt_utc(-1, 0, "1969-12-31T23:59:59Z");
    assert_fmt_utc(-86400, 0, "1969-12-31T00:00:00Z");
    assert_fmt_utc(-86401, 0, "1969-12-30T23:59:59Z");
    assert_fmt_utc(-2208988800ll, 0, "1900-01-01T00:00:00Z");
    assert_fmt_utc(-62135596800ll, 0, "0001-01-01T00:00:00Z");
    assert_fmt_utc(-62167219200ll, 0, "0000-01-01T00:00:00Z");
    /* before year 0: ISO 8601 expanded form with four digits */
    assert_fmt_utc(-62167219201ll, 0, "-0001-12-31T23:59:59Z");
    assert_fmt_utc(-377705116800ll, 0, "-9999-01-01T00:00:00Z");
}

static void test_as_time_format_extreme_instants(void **state)
{
    (void)state;
    /* any int64 second formats without overflow and fits the buffer */
    assert_fmt_utc(INT64_MAX, 999999999, "292277026596-12-04T15:30:07.999999999Z");
    assert_fmt_utc(INT64_MIN, 0, "-292277022657-01-27T08:29:52Z");
    as_time t = { INT64_MAX, 999999999, 1439, AS_TIME_VALID };
    char buf[AS_TIME_RFC3339_MAX];
    size_t n = as_time_format_local(t, buf);
    assert_string_equal(buf, "292277026596-12-05T15:29:07.999999999+23:59");
    assert_int_equal(n, 43);
    as_time u = { INT64_MIN, 1, -1439, AS_TIME_VALID };
    n = as_time_format_local(u, buf);
    assert_string_equal(buf, "-292277022657-01-26T08:30:52.000000001-23:59");
    assert_int_equal(n, 44);
    assert_true(n < AS_TIME_RFC3339_MAX);
}

static void assert_fmt_local(int64_t sec, int32_t nsec, int off, const char *want)
{
    as_time t = { sec, nsec, (int16_t)off, AS_TIME_VALID };
    char buf[AS_TIME_RFC3339_MAX];
    size_t n = as_time_format_local(t, buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_as_time_format_local_offsets(void **state)
{
    (void)state;
    const int64_t s = 1772373900;  /* 2026-03-01T14:05:00Z */
    assert_fmt_local(s, 0, 0, "2026-03-01T14:05:00Z");
    assert_fmt_local(s, 0, 60, "2026-03-01T15:05:00+01:00");
    assert_fmt_local(s, 0, -420, "2026-03-01T07:05:00-07:00");
    assert_fmt_local(s, 0, 345, "2026-03-01T19:50:00+05:45");
    assert_fmt_local(s, 0, -30, "2026-03-01T13:35:00-00:30");
    assert_fmt_local(s, 250000000, 600, "2026-03-02T00:05:00.250+10:00");
    assert_fmt_local(s, 0, -1439, "2026-02-28T14:06:00-23:59");
    assert_fmt_local(-1, 500000000, 60, "1970-01-01T00:59:59.500+01:00");
    assert_fmt_local(0, 0, -60, "1969-12-31T23:00:00-01:00");
}

static void test_as_time_parse_format_local_round_trip(void **state)
{
    guard *g = *state;
    /* the local form of a parsed time is its input in canonical spelling */
    static const char *const in[] = { "2026-03-01T14:05:00+01:30", "2026-03-01T14:05:00.5-07:00",
                                      "1999-12-31T23:59:59.999999+14:00", "2026-03-01T14:05:00Z" };
    for (size_t i = 0; i < AS_ARRAY_LEN(in); i++) {
        const char *p = guard_put_cstr(g, in[i]);
        as_time t;
        assert_int_equal(as_time_parse_iso(as_slice_make(p, strlen(in[i])), 0, &t), strlen(in[i]));
        char buf[AS_TIME_RFC3339_MAX];
        as_time_format_local(t, buf);
        const char *want = i == 1 ? "2026-03-01T14:05:00.500-07:00" : in[i];
        assert_string_equal(buf, want);
    }
}

/* ---- comparison ---- */

static as_time mk(int64_t sec, int32_t nsec)
{
    return (as_time){ sec, nsec, 0, AS_TIME_VALID };
}

static void test_as_time_cmp_orders_instants(void **state)
{
    (void)state;
    assert_int_equal(as_time_cmp(mk(10, 5), mk(10, 5)), 0);
    assert_true(as_time_cmp(mk(9, 999999999), mk(10, 0)) < 0);
    assert_true(as_time_cmp(mk(10, 0), mk(9, 999999999)) > 0);
    assert_true(as_time_cmp(mk(10, 1), mk(10, 2)) < 0);
    assert_true(as_time_cmp(mk(-5, 0), mk(5, 0)) < 0);
    /* the offset does not matter, only the instant */
    as_time a = mk(100, 0), b = mk(100, 0);
    a.offset_min = 60;
    b.offset_min = -420;
    assert_int_equal(as_time_cmp(a, b), 0);
    /* an invalid time sorts first */
    as_time inv = { 0 };
    assert_true(as_time_cmp(inv, mk(INT64_MIN, 0)) < 0);
    assert_true(as_time_cmp(mk(INT64_MIN, 0), inv) > 0);
    assert_int_equal(as_time_cmp(inv, inv), 0);
}

static void test_as_time_diff_ns(void **state)
{
    (void)state;
    assert_int_equal(as_time_diff_ns(mk(2, 500000000), mk(1, 0)), 1500000000);
    assert_int_equal(as_time_diff_ns(mk(1, 0), mk(2, 500000000)), -1500000000);
    assert_int_equal(as_time_diff_ns(mk(1, 0), mk(0, 999999999)), 1);
    assert_int_equal(as_time_diff_ns(mk(-1, 0), mk(-1, 0)), 0);
    /* saturates rather than overflowing */
    assert_true(as_time_diff_ns(mk(10000000000ll, 0), mk(0, 0)) == INT64_MAX);
    assert_true(as_time_diff_ns(mk(0, 0), mk(10000000000ll, 0)) == INT64_MIN);
    /* even when the seconds alone overflow */
    assert_true(as_time_diff_ns(mk(INT64_MAX, 0), mk(INT64_MIN, 0)) == INT64_MAX);
    assert_true(as_time_diff_ns(mk(INT64_MIN, 0), mk(INT64_MAX, 0)) == INT64_MIN);
    /* the largest difference that fits is exact */
    assert_true(as_time_diff_ns(mk(9223372035ll, 0), mk(0, 0)) == 9223372035000000000ll);
}

static void test_as_time_day_in_offset(void **state)
{
    (void)state;
    assert_int_equal(as_time_day(mk(0, 0), 0), 0);
    assert_int_equal(as_time_day(mk(-1, 0), 0), -1);
    assert_int_equal(as_time_day(mk(0, 0), -60), -1);
    assert_int_equal(as_time_day(mk(86399, 0), 0), 0);
    assert_int_equal(as_time_day(mk(86399, 0), 1), 1);
    assert_int_equal(as_time_day(mk(-86400, 0), 0), -1);
    assert_int_equal(as_time_day(mk(-86401, 0), 0), -2);
    assert_int_equal(as_time_day(mk(1772373900, 0), 600), as_days_from_civil(2026, 3, 2));
    assert_int_equal(as_time_day(mk(INT64_MAX, 0), 1439), 106751991167301ll);
    assert_int_equal(as_time_day(mk(INT64_MIN, 0), -1439), -106751991167302ll);
}

/* ---- every timestamp form: as_time_parse_any (core/as_tparse) ---- */

#define NONE_ AS_TIME_FORM_NONE
#define ISO_  AS_TIME_FORM_ISO
#define SPC_  AS_TIME_FORM_ISO_SPACE
#define DATE_ AS_TIME_FORM_DATE
#define SLSH_ AS_TIME_FORM_SLASH
#define CLF_  AS_TIME_FORM_CLF
#define R822_ AS_TIME_FORM_RFC2822
#define ES_   AS_TIME_FORM_EPOCH_S
#define EMS_  AS_TIME_FORM_EPOCH_MS
#define EUS_  AS_TIME_FORM_EPOCH_US
#define ENS_  AS_TIME_FORM_EPOCH_NS

typedef struct any_case {
    const char  *in;
    int          default_off;  /* minutes, for naive input */
    as_time_form form;         /* AS_TIME_FORM_NONE = rejected */
    const char  *utc;          /* expected as_time_format_utc */
    unsigned     flags;
    int          offset_min;   /* expected t.offset_min */
} any_case;

#define REJ(s) { (s), 0, NONE_, NULL, 0, 0 }

static const any_case k_any[] = {
    /* ISO 8601 / RFC 3339 with an offset */
    { "2026-03-01T14:05:00Z", 0, ISO_, "2026-03-01T14:05:00Z", V, 0 },
    { "2026-03-01t14:05:00z", 60, ISO_, "2026-03-01T14:05:00Z", V, 0 },
    { "2026-03-01T14:05:00+02:00", 0, ISO_, "2026-03-01T12:05:00Z", V, 120 },
    { "2026-03-01T14:05:00+0200", 0, ISO_, "2026-03-01T12:05:00Z", V, 120 },
    { "2026-03-01T14:05:00-07", 0, ISO_, "2026-03-01T21:05:00Z", V, -420 },
    { "2026-03-01T14:05:00-00:00", 60, ISO_, "2026-03-01T14:05:00Z", V, 0 },
    { "2026-03-01T00:30:00+05:45", 0, ISO_, "2026-02-28T18:45:00Z", V, 345 },
    { "2026-03-01T14:05:00+23:59", 0, ISO_, "2026-02-28T14:06:00Z", V, 1439 },
    { "2026-03-01T14:05:00-23:59", 0, ISO_, "2026-03-02T14:04:00Z", V, -1439 },
    { "2026-03-01T14:05+01:00", 0, ISO_, "2026-03-01T13:05:00Z", V, 60 },
    { "2021-07-29T23:53:36Z", 0, ISO_, "2021-07-29T23:53:36Z", V, 0 },             /* CloudTrail */
    { "2018-08-14T14:30:02.203151+02:00", 0, ISO_, "2018-08-14T12:30:02.203151Z", V, 120 },
    /* naive: the default offset (--tz), flagged */
    { "2026-03-01T14:05:00", 0, ISO_, "2026-03-01T14:05:00Z", NV, 0 },
    { "2026-03-01T14:05:00", 120, ISO_, "2026-03-01T12:05:00Z", NV, 120 },
    { "2026-03-01T14:05:00", -300, ISO_, "2026-03-01T19:05:00Z", NV, -300 },
    { "2026-03-01T14:05", 0, ISO_, "2026-03-01T14:05:00Z", NV, 0 },
    /* fractions: 1 to 9 digits; beyond 9 truncated (never rounded up) */
    { "2026-03-01T14:05:00.5Z", 0, ISO_, "2026-03-01T14:05:00.500Z", V, 0 },
    { "2026-03-01T14:05:00.123Z", 0, ISO_, "2026-03-01T14:05:00.123Z", V, 0 },
    { "2026-03-01T14:05:00.123456Z", 0, ISO_, "2026-03-01T14:05:00.123456Z", V, 0 },
    { "2026-03-01T14:05:00.123456789Z", 0, ISO_, "2026-03-01T14:05:00.123456789Z", V, 0 },
    { "2026-03-01T14:05:00.000000001Z", 0, ISO_, "2026-03-01T14:05:00.000000001Z", V, 0 },
    { "2026-03-01T14:05:00.1234567891Z", 0, ISO_, "2026-03-01T14:05:00.123456789Z", V, 0 },
    { "2026-03-01T14:05:59.999999999999Z", 0, ISO_, "2026-03-01T14:05:59.999999999Z", V, 0 },
    { "2026-03-01T14:05:00,25Z", 0, ISO_, "2026-03-01T14:05:00.250Z", V, 0 },
    /* a space instead of T: the CSV export form */
    { "2026-03-01 14:05:00", 0, SPC_, "2026-03-01T14:05:00Z", NV, 0 },
    { "2026-03-01 14:05:00", 60, SPC_, "2026-03-01T13:05:00Z", NV, 60 },
    { "2026-03-01 14:05:00.123", -420, SPC_, "2026-03-01T21:05:00.123Z", NV, -420 },
    { "2026-03-01 14:05", 0, SPC_, "2026-03-01T14:05:00Z", NV, 0 },
    { "2026-03-01 14:05:00Z", 60, SPC_, "2026-03-01T14:05:00Z", V, 0 },
    { "2026-03-01 14:05:00+01:00", 0, SPC_, "2026-03-01T13:05:00Z", V, 60 },
    { "2022-03-22 14:21:53.225", 0, SPC_, "2022-03-22T14:21:53.225Z", NV, 0 },     /* Okta export */
    /* date only: midnight at the default offset */
    { "2026-03-01", 0, DATE_, "2026-03-01T00:00:00Z", DO, 0 },
    { "2026-03-01", 120, DATE_, "2026-02-28T22:00:00Z", DO, 120 },
    { "2026-03-01", -300, DATE_, "2026-03-01T05:00:00Z", DO, -300 },
    /* leap years */
    { "2024-02-29", 0, DATE_, "2024-02-29T00:00:00Z", DO, 0 },
    { "2000-02-29T12:00:00Z", 0, ISO_, "2000-02-29T12:00:00Z", V, 0 },
    { "1600-02-29", 0, DATE_, "1600-02-29T00:00:00Z", DO, 0 },
    REJ("2023-02-29"),
    REJ("1900-02-29"),
    REJ("2100-02-29T00:00:00Z"),
    REJ("2024-02-30"),
    /* leap second (as_time_from_civil): 23:59:60 folds into the next second */
    { "2016-12-31T23:59:60Z", 0, ISO_, "2017-01-01T00:00:00Z", V, 0 },
    { "2016-12-31T23:59:60.5Z", 0, ISO_, "2017-01-01T00:00:00.500Z", V, 0 },
    { "2017-01-01T00:59:60+01:00", 0, ISO_, "2017-01-01T00:00:00Z", V, 60 },
    { "2016-12-31 23:59:60", 0, SPC_, "2017-01-01T00:00:00Z", NV, 0 },
    REJ("2016-12-31T23:59:61Z"),
    /* the year range of the text forms */
    { "0000-01-01T00:00:00Z", 0, ISO_, "0000-01-01T00:00:00Z", V, 0 },
    { "9999-12-31T23:59:59.999999999Z", 0, ISO_, "9999-12-31T23:59:59.999999999Z", V, 0 },
    /* ISO rejections: the whole slice must be the timestamp */
    REJ("2026-03-01T14:05:00Z trailing"),
    REJ("2026-03-01T14:05:00Z "),
    REJ(" 2026-03-01T14:05:00Z"),
    REJ("2026-03-01T"),
    REJ("2026-03-01Z"),
    REJ("2026-03-01T14:05:00."),     /* a fraction without digits */
    REJ("2026-03-01T14:05:00.Z"),
    REJ("2026-03-01T14:05:00,"),
    REJ("2026-03-01T14:05:0"),
    REJ("2026-03-01T14:05:00+01:3"),
    REJ("2026-03-01T14:05:00+1"),
    REJ("2026-03-01T14:05:00+"),
    REJ("2026-03-01T14:05:00+24:00"),
    REJ("2026-03-01T14:05:00-24:00"),
    REJ("2026-03-01T14:05:00+01:60"),
    REJ("2026-03-01T14:05:00+9999"),
    REJ("2026-13-01T00:00:00Z"),
    REJ("2026-00-01"),
    REJ("2026-03-00"),
    REJ("2026-03-32"),
    REJ("2026-04-31"),
    REJ("2026-03-01T24:00:00Z"),
    REJ("2026-03-01T24:01:00Z"),
    REJ("2026-03-01T23:60:00Z"),
    REJ("2026-03-01T1x:00:00Z"),
    REJ("20260301T140500Z"),
    REJ("2026-3-1"),
    REJ("+2026-03-01"),
    REJ("2024-12-17 00:00:00000000"),  /* malformed GitHub created_at */
    { "2026-03-01T14:05:00", 1440, NONE_, NULL, 0, 0 },  /* default offset out of range */
    /* slash: naive */
    { "2026/03/01 14:05:00", 0, SLSH_, "2026-03-01T14:05:00Z", NV, 0 },
    { "2026/03/01 14:05:00", 60, SLSH_, "2026-03-01T13:05:00Z", NV, 60 },
    { "2026/03/01 14:05:00.123456789", 0, SLSH_, "2026-03-01T14:05:00.123456789Z", NV, 0 },
    { "2024/02/29 23:59:59", 0, SLSH_, "2024-02-29T23:59:59Z", NV, 0 },
    REJ("2026/03/01"),
    REJ("2026/02/29 00:00:00"),
    REJ("2026/13/01 00:00:00"),
    REJ("2026/03/01 24:00:00"),
    REJ("2026/03/01 14:05"),
    REJ("2026/03/01T14:05:00"),
    REJ("2026/03/01 14:05:00Z"),
    REJ("2026/03/01 14:05:00 +0000"),
    REJ("2026/03/01 14:05:00."),
    REJ("03/01/2026"),                 /* locale order: needs an explicit format */
    REJ("03/01/2026 14:05:00"),
    /* CLF (access logs): the offset is required */
    { "01/Mar/2026:14:05:00 +0000", 60, CLF_, "2026-03-01T14:05:00Z", V, 0 },
    { "10/Oct/2000:13:55:36 -0700", 0, CLF_, "2000-10-10T20:55:36Z", V, -420 },
    { "01/Mar/2026:00:30:00 +0530", 0, CLF_, "2026-02-28T19:00:00Z", V, 330 },
    { "29/Feb/2024:12:00:00 +0000", 0, CLF_, "2024-02-29T12:00:00Z", V, 0 },
    { "01/mar/2026:14:05:00 +0000", 0, CLF_, "2026-03-01T14:05:00Z", V, 0 },
    REJ("01/Mar/2026:14:05:00"),
    REJ("01/Mar/2026:14:05:00 "),
    REJ("[01/Mar/2026:14:05:00 +0000]"),   /* the brackets are the caller's */
    REJ("01/Foo/2026:14:05:00 +0000"),
    REJ("29/Feb/2025:00:00:00 +0000"),
    REJ("32/Mar/2026:00:00:00 +0000"),
    REJ("1/Mar/2026:14:05:00 +0000"),
    REJ("01/Mar/2026 14:05:00 +0000"),
    REJ("01/Mar/2026:24:00:00 +0000"),
    REJ("01/Mar/2026:14:05:00 +2400"),
    REJ("01/Mar/2026:14:05:00 0000"),
    /* RFC 2822 / HTTP-date */
    { "Sun, 01 Mar 2026 14:05:00 GMT", 60, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "Sun, 01 Mar 2026 14:05:00 +0000", 60, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "Sun, 01 Mar 2026 14:05:00 UTC", 0, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "Sun, 01 Mar 2026 14:05:00 UT", 0, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "Sun, 01 Mar 2026 14:05:00 -0500", 0, R822_, "2026-03-01T19:05:00Z", V, -300 },
    { "Sun, 1 Mar 2026 14:05:00 GMT", 0, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "01 Mar 2026 14:05:00 +0100", 0, R822_, "2026-03-01T13:05:00Z", V, 60 },
    { "1 Mar 2026 14:05:00 GMT", 0, R822_, "2026-03-01T14:05:00Z", V, 0 },
    { "Thu, 29 Feb 2024 00:00:00 GMT", 0, R822_, "2024-02-29T00:00:00Z", V, 0 },
    { "Sat, 31 Dec 2016 23:59:60 GMT", 0, R822_, "2017-01-01T00:00:00Z", V, 0 },
    REJ("Mon, 01 Mar 2026 14:05:00 GMT"),  /* 2026-03-01 is a Sunday */
    REJ("Sun, 01 Mar 2026 14:05 GMT"),
    REJ("Sun, 01 Mar 2026 14:05:00"),
    REJ("Sun, 01 Mar 2026 14:05:00 EST"),
    REJ("Sun, 01 Mar 2026 14:05:00 GMT "),
    REJ("Sun, 01 Mar 2026 14:05:00 +2400"),
    REJ("Sun 01 Mar 2026 14:05:00 GMT"),
    REJ("Sun, 01 Foo 2026 14:05:00 GMT"),
    REJ("Sun, 01 Mar 26 14:05:00 GMT"),
    REJ("30 Feb 2026 14:05:00 GMT"),
    REJ("Sun Mar  1 14:05:00 2026"),      /* asctime: not a supported form */
    REJ("Sun Dec 04 04:47:44 2005"),      /* Apache 2.2 error log: idem */
    REJ("Jun 14 15:16:01"),               /* RFC 3164: no year; parsers/psr_syslog */
    /* epoch seconds: 9-10 digits, optional fraction, 1990..2099 */
    { "1709301900", 60, ES_, "2024-03-01T14:05:00Z", V, 0 },
    { "1709301900.123", 0, ES_, "2024-03-01T14:05:00.123Z", V, 0 },
    { "1709301900.5", 0, ES_, "2024-03-01T14:05:00.500Z", V, 0 },
    { "1709301900.123456789", 0, ES_, "2024-03-01T14:05:00.123456789Z", V, 0 },
    { "1709301900.1234567891", 0, ES_, "2024-03-01T14:05:00.123456789Z", V, 0 },
    { "631152000", 0, ES_, "1990-01-01T00:00:00Z", V, 0 },
    { "999999999", 0, ES_, "2001-09-09T01:46:39Z", V, 0 },
    { "1000000000", 0, ES_, "2001-09-09T01:46:40Z", V, 0 },
    { "4102444799", 0, ES_, "2099-12-31T23:59:59Z", V, 0 },
    { "4102444799.999999999", 0, ES_, "2099-12-31T23:59:59.999999999Z", V, 0 },
    REJ("631151999"),                /* 1989-12-31T23:59:59Z */
    REJ("4102444800"),               /* 2100-01-01T00:00:00Z */
    REJ("4102444800.0"),
    /* epoch milliseconds: 12-13 digits (GitHub audit log) */
    { "1621305118553", 0, EMS_, "2021-05-18T02:31:58.553Z", V, 0 },
    { "631152000000", 0, EMS_, "1990-01-01T00:00:00Z", V, 0 },
    { "4102444799999", 0, EMS_, "2099-12-31T23:59:59.999Z", V, 0 },
    REJ("631151999999"),
    REJ("4102444800000"),
    REJ("1621305118553.0"),          /* a float: the JSON layer handles numbers */
    /* epoch microseconds: 15-16 digits */
    { "631152000000000", 0, EUS_, "1990-01-01T00:00:00Z", V, 0 },
    { "1709301900123456", 0, EUS_, "2024-03-01T14:05:00.123456Z", V, 0 },
    { "4102444799999999", 0, EUS_, "2099-12-31T23:59:59.999999Z", V, 0 },
    REJ("631151999999999"),
    REJ("4102444800000000"),
    /* epoch nanoseconds: 18-19 digits */
    { "631152000000000000", 0, ENS_, "1990-01-01T00:00:00Z", V, 0 },
    { "1709301900123456789", 0, ENS_, "2024-03-01T14:05:00.123456789Z", V, 0 },
    { "4102444799999999999", 0, ENS_, "2099-12-31T23:59:59.999999999Z", V, 0 },
    REJ("631151999999999999"),
    REJ("4102444800000000000"),
    /* the digit counts between the units are no time (ambiguous) */
    REJ("0"),
    REJ("12345"),
    REJ("12345678"),
    REJ("17093019001"),
    REJ("17093019001234"),
    REJ("17093019001234567"),
    REJ("17093019001234567890"),
    REJ("99999999999999999999999"),
    REJ("1709301900."),
    REJ("1709301900.Z"),
    REJ("1709301900e3"),
    REJ("1709301900Z"),
    REJ("1709301900 "),
    REJ(" 1709301900"),
    REJ("-1709301900"),
    REJ("+1709301900"),
    REJ(".5"),
    REJ("1709301900123.5"),
    /* not a time at all */
    REJ(""),
    REJ(" "),
    REJ("-"),
    REJ("yesterday"),
    REJ("now"),
    REJ("null"),
    REJ("redacted"),
    REJ("..."),
};

static void test_as_time_parse_any_table(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_any); i++) {
        const any_case *c = &k_any[i];
        size_t len = strlen(c->in);
        const char *p = guard_put(g, c->in, len);   /* over-reads fault */
        assert_non_null(p);
        as_time t;
        memset(&t, 0x5a, sizeof t);                 /* must stay untouched on rejection */
        as_time_form f = (as_time_form)-1;
        size_t n = as_time_parse_any(as_slice_make(p, len), c->default_off, &t, &f);
        if (c->form == AS_TIME_FORM_NONE) {
            if (n != 0)
                fail_msg("'%s': accepted as %s (%zu bytes)", c->in, as_time_form_name(f), n);
            if (f != AS_TIME_FORM_NONE)
                fail_msg("'%s': rejected with form %d", c->in, (int)f);
            as_time sentinel;
            memset(&sentinel, 0x5a, sizeof sentinel);
            if (memcmp(&t, &sentinel, sizeof t) != 0)
                fail_msg("'%s': rejected but *out was written", c->in);
            continue;
        }
        if (n != len)
            fail_msg("'%s': consumed %zu of %zu", c->in, n, len);
        if (f != c->form)
            fail_msg("'%s': form %s, expected %s", c->in, as_time_form_name(f), as_time_form_name(c->form));
        char buf[AS_TIME_RFC3339_MAX];
        as_time_format_utc(t, buf);
        if (strcmp(buf, c->utc) != 0)
            fail_msg("'%s': %s, expected %s", c->in, buf, c->utc);
        if (t.flags != c->flags)
            fail_msg("'%s': flags %#x, expected %#x", c->in, t.flags, c->flags);
        if (t.offset_min != c->offset_min)
            fail_msg("'%s': offset %d, expected %d", c->in, t.offset_min, c->offset_min);
        assert_true(t.nsec >= 0 && t.nsec < AS_NSEC_PER_SEC);
        /* the same without a form pointer */
        as_time u;
        assert_int_equal(as_time_parse_any(as_slice_make(p, len), c->default_off, &u, NULL), len);
        assert_memory_equal(&t, &u, sizeof t);
    }
}

static void test_as_time_parse_any_whole_slice(void **state)
{
    guard *g = *state;
    char tmp[64];
    for (size_t i = 0; i < AS_ARRAY_LEN(k_any); i++) {
        const any_case *c = &k_any[i];
        if (c->form == AS_TIME_FORM_NONE)
            continue;
        size_t len = strlen(c->in);
        /* every prefix is rejected or a whole parse of its own, read within bounds */
        for (size_t k = 0; k < len; k++) {
            const char *p = guard_put(g, c->in, k);
            as_time t;
            as_time_form f;
            size_t n = as_time_parse_any(as_slice_make(p, k), c->default_off, &t, &f);
            if (n != 0 && n != k)
                fail_msg("'%.*s': consumed %zu of %zu", (int)k, c->in, n, k);
            assert_true((n == 0) == (f == AS_TIME_FORM_NONE));
        }
        /* a trailing byte makes it not a timestamp */
        static const char k_tail[] = { ' ', 'x', '\t', '\n', ';', '"', ']' };
        assert_true(len + 1 < sizeof tmp);
        for (size_t k = 0; k < sizeof k_tail; k++) {
            memcpy(tmp, c->in, len);
            tmp[len] = k_tail[k];
            const char *p = guard_put(g, tmp, len + 1);
            as_time t;
            if (as_time_parse_any(as_slice_make(p, len + 1), c->default_off, &t, NULL) != 0)
                fail_msg("'%s' + %#x accepted", c->in, (unsigned)k_tail[k]);
        }
    }
    as_time t;
    as_time_form f;
    assert_int_equal(as_time_parse_any((as_slice){ NULL, 0 }, 0, &t, &f), 0);
    assert_int_equal(f, AS_TIME_FORM_NONE);
}

static void test_as_time_form_names(void **state)
{
    (void)state;
    static const char *const want[] = { "none", "iso", "iso_space", "date", "slash", "clf",
                                        "rfc2822", "epoch_s", "epoch_ms", "epoch_us", "epoch_ns" };
    assert_int_equal(AS_TIME_FORM__COUNT, AS_ARRAY_LEN(want));
    assert_string_equal(as_time_form_name(AS_TIME_FORM_NONE), "none");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_ISO), "iso");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_ISO_SPACE), "iso_space");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_DATE), "date");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_SLASH), "slash");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_CLF), "clf");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_RFC2822), "rfc2822");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_EPOCH_S), "epoch_s");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_EPOCH_MS), "epoch_ms");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_EPOCH_US), "epoch_us");
    assert_string_equal(as_time_form_name(AS_TIME_FORM_EPOCH_NS), "epoch_ns");
    for (int f = 0; f < AS_TIME_FORM__COUNT; f++)
        assert_string_equal(as_time_form_name((as_time_form)f), want[f]);
    assert_string_equal(as_time_form_name(AS_TIME_FORM__COUNT), "?");
    assert_string_equal(as_time_form_name((as_time_form)-1), "?");
}

/* text parses whole as form f to instant (sec, nsec) at offset off. */
static void assert_any(guard *g, const char *text, as_time_form f, int64_t sec, int32_t nsec, int off)
{
    size_t len = strlen(text);
    const char *p = guard_put(g, text, len);
    as_time t;
    as_time_form got;
    size_t n = as_time_parse_any(as_slice_make(p, len), 0, &t, &got);
    if (n != len || got != f || t.sec != sec || t.nsec != nsec || t.offset_min != off)
        fail_msg("'%s': n %zu form %s sec %lld nsec %d off %d; expected %s %lld %d %d", text, n,
                 as_time_form_name(got), (long long)t.sec, (int)t.nsec, (int)t.offset_min,
                 as_time_form_name(f), (long long)sec, (int)nsec, off);
    assert_true((t.flags & AS_TIME_NAIVE) == 0);
}

static void test_as_time_parse_any_round_trips(void **state)
{
    guard *g = *state;
    /* instants across the bare-number range, each written in every form,
     * parse back to the same instant: the epoch digit-count rule read both
     * ways, and the text forms agree with each other and with the formatter */
    static const int k_offs[] = { 0, 60, -420, 345, 1439, -1439 };
    static const char k_wday[7][4] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    char buf[96];
    size_t k = 0;
    for (int64_t sec = AS_EPOCH_MIN; sec < AS_EPOCH_MAX; sec += 7777777 + 3, k++) {
        int32_t nsec = (int32_t)((k * 123456789u) % 1000000000u);
        /* RFC 3339 UTC and local */
        as_time t = { sec, nsec, 0, AS_TIME_VALID };
        as_time_format_utc(t, buf);
        assert_any(g, buf, AS_TIME_FORM_ISO, sec, nsec, 0);
        int off = k_offs[k % AS_ARRAY_LEN(k_offs)];
        t.offset_min = (int16_t)off;
        as_time_format_local(t, buf);
        assert_any(g, buf, AS_TIME_FORM_ISO, sec, nsec, off);
        /* epoch forms, each by its digit count */
        snprintf(buf, sizeof buf, "%lld", (long long)sec);
        assert_any(g, buf, AS_TIME_FORM_EPOCH_S, sec, 0, 0);
        snprintf(buf, sizeof buf, "%lld.%09d", (long long)sec, (int)nsec);
        assert_any(g, buf, AS_TIME_FORM_EPOCH_S, sec, nsec, 0);
        snprintf(buf, sizeof buf, "%lld%03d", (long long)sec, (int)(nsec / 1000000));
        assert_any(g, buf, AS_TIME_FORM_EPOCH_MS, sec, nsec / 1000000 * 1000000, 0);
        snprintf(buf, sizeof buf, "%lld%06d", (long long)sec, (int)(nsec / 1000));
        assert_any(g, buf, AS_TIME_FORM_EPOCH_US, sec, nsec / 1000 * 1000, 0);
        snprintf(buf, sizeof buf, "%lld%09d", (long long)sec, (int)nsec);
        assert_any(g, buf, AS_TIME_FORM_EPOCH_NS, sec, nsec, 0);
        /* CLF and RFC 2822 in the local offset */
        int64_t days = as_time_day(t, off), y;
        unsigned mo, d;
        as_civil_from_days(days, &y, &mo, &d);
        int64_t rem = sec + off * 60ll - days * 86400;
        int h = (int)(rem / 3600), mi = (int)(rem / 60 % 60), s = (int)(rem % 60);
        int a = off < 0 ? -off : off;
        char sign = off < 0 ? '-' : '+';
        snprintf(buf, sizeof buf, "%02u/%s/%04lld:%02d:%02d:%02d %c%02d%02d", d, as_month_abbr[mo - 1],
                 (long long)y, h, mi, s, sign, a / 60, a % 60);
        assert_any(g, buf, AS_TIME_FORM_CLF, sec, 0, off);
        snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02d:%02d:%02d %c%02d%02d",
                 k_wday[as_weekday_from_days(days)], d, as_month_abbr[mo - 1], (long long)y, h, mi, s,
                 sign, a / 60, a % 60);
        assert_any(g, buf, AS_TIME_FORM_RFC2822, sec, 0, off);
    }
    assert_true(k > 400);
}

/* ---- --tz values ---- */

static void test_as_tz_parse_table(void **state)
{
    guard *g = *state;
    static const struct {
        const char *in;
        int         ok, off;
    } v[] = {
        { "UTC", 1, 0 },       { "utc", 1, 0 },       { "Z", 1, 0 },          { "GMT", 1, 0 },
        { "+00:00", 1, 0 },    { "-00:00", 1, 0 },    { "+02:00", 1, 120 },   { "+0200", 1, 120 },
        { "+02", 1, 120 },     { "+2", 1, 120 },      { "+5", 1, 300 },       { "-0500", 1, -300 },
        { "-05:00", 1, -300 }, { "+05:30", 1, 330 },  { "+0530", 1, 330 },    { "+05:45", 1, 345 },
        { "-12", 1, -720 },    { "+14:00", 1, 840 },  { "+23:59", 1, 1439 },  { "-23:59", 1, -1439 },
        /* named zones: their offset changes with daylight saving time */
        { "Europe/Berlin", 0, 0 }, { "America/New_York", 0, 0 }, { "CET", 0, 0 }, { "EST", 0, 0 },
        { "PST8PDT", 0, 0 },   { "UTC+1", 0, 0 },     { "local", 0, 0 },
        /* malformed or out of range */
        { "", 0, 0 },          { "+", 0, 0 },         { "-", 0, 0 },          { "5", 0, 0 },
        { "0", 0, 0 },         { "02:00", 0, 0 },     { "+24", 0, 0 },        { "+24:00", 0, 0 },
        { "-24:00", 0, 0 },    { "+01:60", 0, 0 },    { "+123", 0, 0 },       { "+12345", 0, 0 },
        { "+0530x", 0, 0 },    { " +01:00", 0, 0 },   { "+01:00 ", 0, 0 },    { "+1:3", 0, 0 },
        { "++1", 0, 0 },       { "+-1", 0, 0 },       { "+ 1", 0, 0 },        { "UTC ", 0, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(v); i++) {
        size_t len = strlen(v[i].in);
        const char *p = guard_put(g, v[i].in, len);
        int off = 12345;
        int r = as_tz_parse(as_slice_make(p, len), &off);
        if ((r == 0) != v[i].ok)
            fail_msg("tz '%s': %s", v[i].in, r == 0 ? "accepted" : "rejected");
        if (v[i].ok && off != v[i].off)
            fail_msg("tz '%s': %d, expected %d", v[i].in, off, v[i].off);
        if (!v[i].ok && off != 12345)
            fail_msg("tz '%s': rejected but written", v[i].in);
    }
    int off = 7;
    assert_int_not_equal(as_tz_parse((as_slice){ NULL, 0 }, &off), 0);
    assert_int_equal(off, 7);
}

/* ---- durations ---- */

#define S_ AS_NSEC_PER_SEC

static void test_as_duration_parse_table(void **state)
{
    guard *g = *state;
    static const struct {
        const char *in;
        int64_t     ns;  /* -1 = rejected */
    } v[] = {
        { "1h", 3600 * S_ },   { "24h", 86400 * S_ },  { "15m", 900 * S_ },   { "90s", 90 * S_ },
        { "2d", 172800 * S_ }, { "1w", 604800 * S_ },  { "1h30m", 5400 * S_ }, { "250ms", 250000000 },
        { "1ms", 1000000 },    { "1m1s", 61 * S_ },    { "1ms5s", 5 * S_ + 1000000 },
        { "1w1d1h1m1s1ms", 694861 * S_ + 1000000 },
        { "01h", 3600 * S_ },  { "0h1s", S_ },          { "000000000000000000000001h", 3600 * S_ },
        /* the largest of each unit that fits int64 nanoseconds, and one more */
        { "15250w", S_ * 15250 * 604800 },       { "15251w", -1 },
        { "106751d", S_ * 106751 * 86400 },      { "106752d", -1 },
        { "2562047h", S_ * 2562047 * 3600 },     { "2562048h", -1 },
        { "153722867m", S_ * 153722867 * 60 },   { "153722868m", -1 },
        { "9223372036s", 9223372036 * S_ },      { "9223372037s", -1 },
        { "9223372036854ms", 9223372036854000000 }, { "9223372036855ms", -1 },
        /* overflow by summing, or inside the number */
        { "9223372036s854ms", 9223372036854000000 }, { "9223372036s855ms", -1 },
        { "15250w1w", -1 },    { "9223372036s1s", -1 },
        { "9223372036854775807ms", -1 }, { "99999999999999999999s", -1 },
        { "99999999999999999999999999999999h", -1 },
        /* malformed, zero or negative */
        { "", -1 },            { "0s", -1 },           { "0h0m", -1 },        { "10", -1 },
        { "1h30", -1 },        { "1x", -1 },           { "h", -1 },           { "-1h", -1 },
        { "+1h", -1 },         { "1.5h", -1 },         { "1 h", -1 },         { " 1h", -1 },
        { "1h ", -1 },         { "1H", -1 },           { "1hm", -1 },         { "1y", -1 },
        { "1us", -1 },         { "1ns", -1 },          { "1mss", -1 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(v); i++) {
        size_t len = strlen(v[i].in);
        const char *p = guard_put(g, v[i].in, len);
        int64_t ns = -7;
        int r = as_duration_parse(as_slice_make(p, len), &ns);
        if (v[i].ns < 0) {
            if (r == 0)
                fail_msg("duration '%s' accepted (%lld ns)", v[i].in, (long long)ns);
            if (ns != -7)
                fail_msg("duration '%s': rejected but written", v[i].in);
        } else if (r != 0 || ns != v[i].ns) {
            fail_msg("duration '%s': r %d, %lld ns, expected %lld", v[i].in, r, (long long)ns,
                     (long long)v[i].ns);
        }
    }
    int64_t ns = -7;
    assert_int_not_equal(as_duration_parse((as_slice){ NULL, 0 }, &ns), 0);
    assert_int_equal(ns, -7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_time_civil_round_trip_1900_2100),
        cmocka_unit_test(test_as_time_civil_round_trip_wide_range),
        cmocka_unit_test(test_as_time_civil_anchors),
        cmocka_unit_test(test_as_time_weekday_anchors),
        cmocka_unit_test(test_as_time_leap_years_and_month_lengths),
        cmocka_unit_test(test_as_time_month_abbreviations),
        cmocka_unit_test(test_as_time_from_civil_rejects_invalid),
        cmocka_unit_test(test_as_time_from_civil_valid_edges),
        cmocka_unit_test(test_as_time_parse_iso_table),
        cmocka_unit_test(test_as_time_parse_iso_every_prefix),
        cmocka_unit_test(test_as_time_parse_iso_null_empty),
        cmocka_unit_test(test_as_time_format_fractions),
        cmocka_unit_test(test_as_time_format_negative_epochs),
        cmocka_unit_test(test_as_time_format_extreme_instants),
        cmocka_unit_test(test_as_time_format_local_offsets),
        cmocka_unit_test(test_as_time_parse_format_local_round_trip),
        cmocka_unit_test(test_as_time_cmp_orders_instants),
        cmocka_unit_test(test_as_time_diff_ns),
        cmocka_unit_test(test_as_time_day_in_offset),
        cmocka_unit_test(test_as_time_parse_any_table),
        cmocka_unit_test(test_as_time_parse_any_whole_slice),
        cmocka_unit_test(test_as_time_form_names),
        cmocka_unit_test(test_as_time_parse_any_round_trips),
        cmocka_unit_test(test_as_tz_parse_table),
        cmocka_unit_test(test_as_duration_parse_table),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
