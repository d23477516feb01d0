/* test_as_time.c: unit tests for core/as_time: civil-date arithmetic,
 * ISO 8601 parsing (every input at the end of a page before a PROT_NONE page,
 * guard.h), RFC 3339 formatting, comparison. Expected day numbers and
 * weekdays were checked against Python's datetime (proleptic Gregorian). */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* strlen */

#include "core/as_time.h"
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
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
