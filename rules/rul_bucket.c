/* rul_bucket.c: period buckets of cadence tests (rul.h): day, ISO week
 * (Monday to Sunday), calendar month, quarter and year, in a fixed zone,
 * numbered so that consecutive buckets are consecutive integers. */
#include <stdio.h>

#include "rules/rul.h"

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

const char *rul_bucket_name(rul_bucket b)
{
    static const char *n[] = { "day", "week", "month", "quarter", "year" };
    return (unsigned)b < sizeof n / sizeof n[0] ? n[b] : "?";
}

int64_t rul_bucket_of(rul_bucket b, int64_t sec, int tz_min)
{
    int64_t days = floordiv(sec + (int64_t)tz_min * 60, 86400);
    int64_t y;
    unsigned m, d;
    switch (b) {
    case RUL_B_DAY:  return days;
    case RUL_B_WEEK: return floordiv(days + 3, 7);  /* 1970-01-01 is a Thursday: weeks start on Monday */
    default: break;
    }
    as_civil_from_days(days, &y, &m, &d);
    if (b == RUL_B_MONTH)
        return y * 12 + (m - 1);
    if (b == RUL_B_QUARTER)
        return y * 4 + (m - 1) / 3;
    return y;
}

int64_t rul_bucket_start(rul_bucket b, int64_t k, int tz_min)
{
    int64_t days;
    switch (b) {
    case RUL_B_DAY:     days = k; break;
    case RUL_B_WEEK:    days = k * 7 - 3; break;
    case RUL_B_MONTH:   days = as_days_from_civil(floordiv(k, 12), (unsigned)(k - floordiv(k, 12) * 12) + 1, 1); break;
    case RUL_B_QUARTER: days = as_days_from_civil(floordiv(k, 4), (unsigned)(k - floordiv(k, 4) * 4) * 3 + 1, 1); break;
    default:            days = as_days_from_civil(k, 1, 1); break;
    }
    return days * 86400 - (int64_t)tz_min * 60;
}

size_t rul_bucket_label(rul_bucket b, int64_t k, char *out, size_t cap)
{
    int64_t y;
    unsigned m, d;
    int n;
    switch (b) {
    case RUL_B_DAY:
        as_civil_from_days(k, &y, &m, &d);
        n = snprintf(out, cap, "%04lld-%02u-%02u", (long long)y, m, d);
        break;
    case RUL_B_WEEK: {
        /* ISO 8601: the week's Thursday gives the year */
        int64_t thu = k * 7;
        as_civil_from_days(thu, &y, &m, &d);
        int64_t jan1 = as_days_from_civil(y, 1, 1);
        int64_t week = (thu - jan1) / 7 + 1;
        n = snprintf(out, cap, "%04lld-W%02lld", (long long)y, (long long)week);
        break;
    }
    case RUL_B_MONTH: {
        int64_t yr = floordiv(k, 12), mo = k - yr * 12 + 1;
        n = snprintf(out, cap, "%04lld-%02lld", (long long)yr, (long long)mo);
        break;
    }
    case RUL_B_QUARTER: {
        int64_t yr = floordiv(k, 4), q = k - yr * 4 + 1;
        n = snprintf(out, cap, "%04lldQ%lld", (long long)yr, (long long)q);
        break;
    }
    default:
        n = snprintf(out, cap, "%04lld", (long long)k);
        break;
    }
    return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

