/* as_tparse.c: timestamp forms, --tz and durations (see as_tparse.h). Each
 * form is a small fixed-layout reader over the slice; the ISO forms reuse
 * as_time_parse_iso. */
#include "core/as_tparse.h"

#include <string.h>  /* memcmp */

static const char *const form_names[] = {
#define AS_TIME_FORM_NAME_(f, name) name,
    AS_TIME_FORM_LIST(AS_TIME_FORM_NAME_)
#undef AS_TIME_FORM_NAME_
};

const char *as_time_form_name(as_time_form f)
{
    return (unsigned)f < AS_TIME_FORM__COUNT ? form_names[f] : "?";
}

static int is_digit(char c) { return (unsigned)(c - '0') <= 9; }

/* n digits at p (n <= 9) into *v; 0 ok, -1 not digits. */
static int num(const char *p, int n, unsigned *v)
{
    unsigned x = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return -1;
        x = x * 10 + (unsigned)(p[i] - '0');
    }
    *v = x;
    return 0;
}

/* "HH:MM:SS" at p (needs 8 bytes). */
static int hms(const char *p, const char *end, unsigned *h, unsigned *mi, unsigned *s)
{
    return end - p >= 8 && num(p, 2, h) == 0 && p[2] == ':' && num(p + 3, 2, mi) == 0 && p[5] == ':' &&
                   num(p + 6, 2, s) == 0
               ? 0
               : -1;
}

/* An optional .fraction (1..9 digits, more are ignored); advances *pp. */
static int32_t fraction(const char **pp, const char *end)
{
    const char *p = *pp;
    int32_t ns = 0;
    if (p < end && (*p == '.' || *p == ',') && end - p >= 2 && is_digit(p[1])) {
        p++;
        int n = 0;
        for (; p < end && is_digit(*p); p++)
            if (n < 9) {
                ns = ns * 10 + (*p - '0');
                n++;
            }
        for (; n < 9; n++)
            ns *= 10;
    }
    *pp = p;
    return ns;
}

/* "+hhmm", "+hh:mm", "+hh" at p..end exactly; 0 ok. */
static int offset_exact(const char *p, const char *end, int *off)
{
    if (end - p < 3 || (*p != '+' && *p != '-'))
        return -1;
    int sign = *p == '-' ? -1 : 1;
    unsigned oh, om = 0;
    if (num(p + 1, 2, &oh) != 0)
        return -1;
    const char *q = p + 3;
    if (end - q == 3 && q[0] == ':' && num(q + 1, 2, &om) == 0)
        q += 3;
    else if (end - q == 2 && num(q, 2, &om) == 0)
        q += 2;
    if (q != end || oh > 23 || om > 59)
        return -1;
    *off = sign * (int)(oh * 60 + om);
    return 0;
}

static size_t parse_epoch(as_slice s, as_time *out, as_time_form *form)
{
    size_t nd = 0;
    while (nd < s.len && is_digit(s.ptr[nd]))
        nd++;
    if (nd == 0 || nd > 19)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < nd; i++)
        v = v * 10 + (uint64_t)(s.ptr[i] - '0');
    int64_t sec;
    int32_t nsec = 0;
    as_time_form f;
    if (nd >= 9 && nd <= 10) {
        f = AS_TIME_FORM_EPOCH_S;
        sec = (int64_t)v;
        const char *p = s.ptr + nd, *end = s.ptr + s.len;
        nsec = fraction(&p, end);
        if (p != end)
            return 0;
    } else if (nd == s.len && nd >= 12 && nd <= 13) {
        f = AS_TIME_FORM_EPOCH_MS;
        sec = (int64_t)(v / 1000);
        nsec = (int32_t)(v % 1000) * 1000000;
    } else if (nd == s.len && nd >= 15 && nd <= 16) {
        f = AS_TIME_FORM_EPOCH_US;
        sec = (int64_t)(v / 1000000);
        nsec = (int32_t)(v % 1000000) * 1000;
    } else if (nd == s.len && nd >= 18) {
        f = AS_TIME_FORM_EPOCH_NS;
        sec = (int64_t)(v / 1000000000);
        nsec = (int32_t)(v % 1000000000);
    } else {
        return 0;
    }
    if (sec < AS_EPOCH_MIN || sec >= AS_EPOCH_MAX)
        return 0;
    *out = (as_time){ .sec = sec, .nsec = nsec, .offset_min = 0, .flags = AS_TIME_VALID };
    *form = f;
    return s.len;
}

/* 2026/03/01 14:05:00[.fff] */
static size_t parse_slash(as_slice s, int tz, as_time *out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    unsigned y, mo, d, h, mi, sec;
    if (s.len < 19 || num(p, 4, &y) || p[4] != '/' || num(p + 5, 2, &mo) || p[7] != '/' ||
        num(p + 8, 2, &d) || p[10] != ' ' || hms(p + 11, end, &h, &mi, &sec))
        return 0;
    p += 19;
    int32_t ns = fraction(&p, end);
    if (p != end)
        return 0;
    return as_time_from_civil(y, mo, d, h, mi, sec, ns, tz, AS_TIME_VALID | AS_TIME_NAIVE, out) == 0 ? s.len : 0;
}

/* 01/Mar/2026:14:05:00 +0000 */
static size_t parse_clf(as_slice s, as_time *out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    unsigned d, y, h, mi, sec;
    if (s.len < 26 || num(p, 2, &d) || p[2] != '/' || p[6] != '/' || num(p + 7, 4, &y) || p[11] != ':' ||
        hms(p + 12, end, &h, &mi, &sec))
        return 0;
    unsigned mo = as_month_from_abbr((as_slice){ p + 3, 3 });
    if (mo == 0)
        return 0;
    p += 20;
    int32_t ns = fraction(&p, end);
    int off;
    if (p >= end || *p != ' ' || offset_exact(p + 1, end, &off) != 0)
        return 0;
    return as_time_from_civil(y, mo, d, h, mi, sec, ns, off, AS_TIME_VALID, out) == 0 ? s.len : 0;
}

/* [Sun, ]01 Mar 2026 14:05:00 GMT|UT|UTC|Z|+0000 */
static size_t parse_rfc2822(as_slice s, as_time *out)
{
    static const char days[7][4] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    const char *p = s.ptr, *end = s.ptr + s.len;
    int wd = -1;
    if (end - p >= 5 && p[3] == ',' && p[4] == ' ') {
        for (int i = 0; i < 7; i++)
            if (memcmp(p, days[i], 3) == 0)
                wd = i;
        if (wd < 0)
            return 0;
        p += 5;
    }
    unsigned d, y, h, mi, sec;
    int dl = (end - p >= 2 && is_digit(p[0]) && is_digit(p[1])) ? 2 : 1;
    if (end - p < dl + 1 + 3 + 1 + 4 + 1 + 8 + 2 || num(p, dl, &d) || p[dl] != ' ')
        return 0;
    p += dl + 1;
    unsigned mo = as_month_from_abbr((as_slice){ p, 3 });
    if (mo == 0 || p[3] != ' ' || num(p + 4, 4, &y) || p[8] != ' ' || hms(p + 9, end, &h, &mi, &sec))
        return 0;
    p += 17;
    if (p >= end || *p != ' ')
        return 0;
    p++;
    as_slice z = { p, (size_t)(end - p) };
    int off = 0;
    if (!(as_slice_eq_cstr(z, "GMT") || as_slice_eq_cstr(z, "UT") || as_slice_eq_cstr(z, "UTC") ||
          as_slice_eq_cstr(z, "Z")) &&
        offset_exact(p, end, &off) != 0)
        return 0;
    as_time t;
    if (as_time_from_civil(y, mo, d, h, mi, sec, 0, off, AS_TIME_VALID, &t) != 0)
        return 0;
    if (wd >= 0 && (int)as_weekday_from_days(as_days_from_civil(y, mo, d)) != wd)
        return 0;                                   /* "Mon, 01 Mar 2026": a contradiction */
    *out = t;
    return s.len;
}

size_t as_time_parse_any(as_slice s, int default_offset_min, as_time *out, as_time_form *form)
{
    as_time_form f = AS_TIME_FORM_NONE, dummy;
    as_time t;
    if (form == NULL)
        form = &dummy;
    *form = AS_TIME_FORM_NONE;
    if (s.len == 0)
        return 0;
    size_t n = 0;
    if (s.len >= 10 && s.ptr[4] == '-') {
        if (as_time_parse_iso(s, default_offset_min, &t) == s.len) {
            n = s.len;
            f = (t.flags & AS_TIME_DATE_ONLY) ? AS_TIME_FORM_DATE
                : s.len > 10 && s.ptr[10] == ' ' ? AS_TIME_FORM_ISO_SPACE : AS_TIME_FORM_ISO;
        }
    } else if (s.len >= 19 && s.ptr[4] == '/') {
        if ((n = parse_slash(s, default_offset_min, &t)) != 0)
            f = AS_TIME_FORM_SLASH;
    } else if (s.len >= 26 && s.ptr[2] == '/') {
        if ((n = parse_clf(s, &t)) != 0)
            f = AS_TIME_FORM_CLF;
    } else if (is_digit(s.ptr[0]) && !(s.len < 3 || s.ptr[1] == ' ' || s.ptr[2] == ' ')) {
        return parse_epoch(s, out, form);
    } else if ((n = parse_rfc2822(s, &t)) != 0) {
        f = AS_TIME_FORM_RFC2822;             /* "1 Mar 2026 ...", "Sun, 01 Mar ..." */
    }
    if (n == 0)
        return 0;
    /* second 60 only as a leap second: 23:59:60 UTC, which folds to a UTC midnight */
    size_t ss = (f == AS_TIME_FORM_CLF ? 12 : 11) + 6;
    if ((f == AS_TIME_FORM_ISO || f == AS_TIME_FORM_ISO_SPACE || f == AS_TIME_FORM_SLASH ||
         f == AS_TIME_FORM_CLF) &&
        s.len >= ss + 2 && s.ptr[ss] == '6' && s.ptr[ss + 1] == '0' && s.ptr[ss - 1] == ':' &&
        (t.sec % 86400 + 86400) % 86400 != 0)
        return 0;
    *out = t;
    *form = f;
    return n;
}

int as_tz_parse(as_slice s, int *offset_min)
{
    if (as_slice_eq_cstr(s, "UTC") || as_slice_eq_cstr(s, "utc") || as_slice_eq_cstr(s, "Z") ||
        as_slice_eq_cstr(s, "GMT")) {
        *offset_min = 0;
        return 0;
    }
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (s.len < 2 || (*p != '+' && *p != '-'))
        return -1;
    int sign = *p == '-' ? -1 : 1;
    p++;
    unsigned h = 0, m = 0;
    int nh = 0;
    while (p < end && is_digit(*p) && nh < 2) {
        h = h * 10 + (unsigned)(*p++ - '0');
        nh++;
    }
    if (nh == 0)
        return -1;
    if (p < end && *p == ':') {
        p++;
        if (end - p != 2)
            return -1;                              /* "+05:" is not an offset */
    }
    if (p < end) {
        if (end - p != 2 || num(p, 2, &m) != 0)
            return -1;
    }
    if (h > 23 || m > 59)
        return -1;
    *offset_min = sign * (int)(h * 60 + m);
    return 0;
}

int as_duration_parse(as_slice s, int64_t *ns_out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    int64_t total = 0;
    if (p == end)
        return -1;
    while (p < end) {
        if (!is_digit(*p))
            return -1;
        int64_t v = 0;
        while (p < end && is_digit(*p)) {
            if (v > (INT64_MAX - 9) / 10)
                return -1;
            v = v * 10 + (*p++ - '0');
        }
        int64_t unit;
        if (end - p >= 2 && p[0] == 'm' && p[1] == 's') {
            unit = 1000000;
            p += 2;
        } else if (p < end) {
            switch (*p++) {
            case 'w': unit = AS_NSEC_PER_SEC * 7 * 86400; break;
            case 'd': unit = AS_NSEC_PER_SEC * 86400; break;
            case 'h': unit = AS_NSEC_PER_SEC * 3600; break;
            case 'm': unit = AS_NSEC_PER_SEC * 60; break;
            case 's': unit = AS_NSEC_PER_SEC; break;
            default: return -1;
            }
        } else {
            return -1;                              /* a number without a unit */
        }
        if (v > INT64_MAX / unit || total > INT64_MAX - v * unit)
            return -1;
        total += v * unit;
    }
    if (total <= 0)
        return -1;
    *ns_out = total;
    return 0;
}
