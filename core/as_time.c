/* as_time.c: calendar arithmetic and ISO 8601 parsing/formatting (see as_time.h).
 *
 * days_from_civil / civil_from_days count 400-year eras of 146,097 days with
 * March as the first month, so the leap day is the last day of the year and
 * no table is needed. */
#include "core/as_time.h"

#include <stdio.h>  /* snprintf */

const char as_month_abbr[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

int64_t as_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);                       /* [0, 399] */
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

void as_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int as_is_leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned as_days_in_month(int64_t y, unsigned m)
{
    static const unsigned char k_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && as_is_leap_year(y) ? 29u : k_days[m - 1];
}

unsigned as_weekday_from_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0) */
    int64_t w = (days + 3) % 7;
    return (unsigned)(w < 0 ? w + 7 : w);
}

unsigned as_month_from_abbr(as_slice s)
{
    if (s.len != 3)
        return 0;
    char a = (char)(s.ptr[0] | 0x20), b = (char)(s.ptr[1] | 0x20), c = (char)(s.ptr[2] | 0x20);
    for (unsigned i = 0; i < 12; i++) {
        const char *m = as_month_abbr[i];
        if (a == (m[0] | 0x20) && b == m[1] && c == m[2])
            return i + 1;
    }
    return 0;
}

int as_time_from_civil(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                       int32_t nsec, int offset_min, uint16_t flags, as_time *out)
{
    if (mo < 1 || mo > 12 || d < 1 || d > as_days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 60 || nsec < 0 || nsec >= AS_NSEC_PER_SEC || offset_min < -1439 || offset_min > 1439 ||
        y < -9999 || y > 9999)
        return -1;
    int64_t days = as_days_from_civil(y, mo, d);
    out->sec = days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s - (int64_t)offset_min * 60;
    out->nsec = nsec;
    out->offset_min = (int16_t)offset_min;
    out->flags = (uint16_t)(flags | AS_TIME_VALID);
    return 0;
}

static int digits(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)p[i] - '0';
        if (c > 9)
            return -1;
        v = v * 10 + c;
    }
    *out = v;
    return 0;
}

size_t as_time_parse_iso(as_slice s, int default_offset_min, as_time *out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0;
    int32_t nsec = 0;
    uint16_t flags = 0;
    if (end - p < 10 || digits(p, 4, &y) || p[4] != '-' || digits(p + 5, 2, &mo) || p[7] != '-' ||
        digits(p + 8, 2, &d))
        return 0;
    p += 10;
    if (p < end && (*p == 'T' || *p == 't' || *p == ' ') && end - p >= 6 &&
        (unsigned)(p[1] - '0') <= 9) {
        if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi))
            return 0;
        p += 6;
        if (end - p >= 3 && p[0] == ':') {
            if (digits(p + 1, 2, &sec))
                return 0;
            p += 3;
            if (p < end && (*p == '.' || *p == ',') && end - p >= 2 && (unsigned)(p[1] - '0') <= 9) {
                p++;
                int n = 0;
                while (p < end && (unsigned)(*p - '0') <= 9) {
                    if (n < 9) {
                        nsec = nsec * 10 + (*p - '0');
                        n++;
                    }
                    p++;
                }
                for (; n < 9; n++)
                    nsec *= 10;
            }
        }
    } else {
        flags |= AS_TIME_DATE_ONLY;
    }
    int off = 0;
    int have_off = 0;
    if (!(flags & AS_TIME_DATE_ONLY) && p < end) {
        if (*p == 'Z' || *p == 'z') {
            have_off = 1;
            p++;
        } else if ((*p == '+' || *p == '-') && end - p >= 3) {
            int sign = *p == '-' ? -1 : 1;
            unsigned oh, om = 0;
            if (digits(p + 1, 2, &oh) == 0) {
                const char *q = p + 3;
                if (end - q >= 3 && q[0] == ':' && digits(q + 1, 2, &om) == 0)
                    q += 3;
                else if (end - q >= 2 && digits(q, 2, &om) == 0)
                    q += 2;
                /* +24:00 or +01:60 is a bad offset, not a naive time followed
                 * by other text: taking it as naive would shift the instant */
                if (oh > 23 || om > 59)
                    return 0;
                off = sign * (int)(oh * 60 + om);
                have_off = 1;
                p = q;
            }
        }
    }
    if (!have_off) {
        flags |= AS_TIME_NAIVE;
        off = default_offset_min;
    }
    if (as_time_from_civil((int64_t)y, mo, d, h, mi, sec, nsec, off, flags, out) != 0)
        return 0;
    return (size_t)(p - s.ptr);
}

/* Splits seconds since the epoch, shifted by offset_min, into a day number
 * and the second of that day (0 .. 86399). Divides before adding the offset,
 * so no int64 value of sec can overflow. */
static int64_t day_and_rem(int64_t sec, int offset_min, int64_t *rem)
{
    int64_t days = sec / 86400, r = sec % 86400 + (int64_t)offset_min * 60;
    days += r / 86400;
    r %= 86400;
    if (r < 0) {
        r += 86400;
        days--;
    }
    *rem = r;
    return days;
}

static size_t format_at(as_time t, int offset_min, int with_offset, char *buf)
{
    int64_t rem;
    int64_t days = day_and_rem(t.sec, offset_min, &rem);
    int64_t y;
    unsigned m, d;
    as_civil_from_days(days, &y, &m, &d);
    char frac[16] = "";
    if (t.nsec) {
        if (t.nsec % 1000000 == 0)
            snprintf(frac, sizeof frac, ".%03d", (int)(t.nsec / 1000000));
        else if (t.nsec % 1000 == 0)
            snprintf(frac, sizeof frac, ".%06d", (int)(t.nsec / 1000));
        else
            snprintf(frac, sizeof frac, ".%09d", (int)t.nsec);
    }
    char zone[16] = "Z";
    if (with_offset && offset_min != 0) {
        int a = offset_min < 0 ? -offset_min : offset_min;
        snprintf(zone, sizeof zone, "%c%02d:%02d", offset_min < 0 ? '-' : '+', a / 60, a % 60);
    }
    /* years before 0000 in the ISO 8601 expanded form: "-0001", not "-001" */
    unsigned long long ay = y < 0 ? 0ull - (unsigned long long)y : (unsigned long long)y;
    int n = snprintf(buf, AS_TIME_RFC3339_MAX, "%s%04llu-%02u-%02uT%02d:%02d:%02d%s%s", y < 0 ? "-" : "",
                     ay, m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), frac, zone);
    if (n < 0)
        return 0;
    /* the length of what is in buf, even if a field out of range truncated it */
    return (size_t)n < AS_TIME_RFC3339_MAX ? (size_t)n : AS_TIME_RFC3339_MAX - 1;
}

size_t as_time_format_utc(as_time t, char buf[AS_TIME_RFC3339_MAX])
{
    return format_at(t, 0, 0, buf);
}

size_t as_time_format_local(as_time t, char buf[AS_TIME_RFC3339_MAX])
{
    return format_at(t, t.offset_min, 1, buf);
}

int as_time_cmp(as_time a, as_time b)
{
    int va = as_time_is_valid(a), vb = as_time_is_valid(b);
    if (va != vb)
        return va - vb;
    if (a.sec != b.sec)
        return a.sec < b.sec ? -1 : 1;
    return (a.nsec > b.nsec) - (a.nsec < b.nsec);
}

int64_t as_time_diff_ns(as_time a, as_time b)
{
    int64_t ds;
    if (__builtin_sub_overflow(a.sec, b.sec, &ds))
        return a.sec > b.sec ? INT64_MAX : INT64_MIN;
    if (ds > INT64_MAX / AS_NSEC_PER_SEC - 1)
        return INT64_MAX;
    if (ds < INT64_MIN / AS_NSEC_PER_SEC + 1)
        return INT64_MIN;
    return ds * AS_NSEC_PER_SEC + (a.nsec - b.nsec);
}

int64_t as_time_day(as_time t, int offset_min)
{
    int64_t rem;
    return day_and_rem(t.sec, offset_min, &rem);
}
