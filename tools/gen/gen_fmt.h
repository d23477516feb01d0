/* gen_fmt.h: hand-written number and timestamp formatting for assay-gen.
 *
 * The generator writes hundreds of MB per second, so fields are formatted by
 * these helpers straight into the output buffer instead of through printf.
 * Each gen_put_* writes at p (the caller made room; GEN_FMT_* give the
 * maxima) and returns the pointer after the last byte written. Times are
 * milliseconds since 1970-01-01T00:00:00Z, always rendered in UTC: no libc
 * time functions, no locale. Thread-safety: pure functions.
 */
#ifndef ASSAY_GEN_FMT_H
#define ASSAY_GEN_FMT_H

#include <string.h>  /* memcpy */

#include "core/as.h"

#define GEN_MS_PER_SEC  1000ll
#define GEN_MS_PER_MIN  60000ll
#define GEN_MS_PER_HOUR 3600000ll
#define GEN_MS_PER_DAY  86400000ll
#define GEN_FMT_TIME_MAX 32  /* longest timestamp form below, with room */
#define GEN_NO_TIME INT64_MIN /* "no time" marker for first/last times */

/* Broken-down UTC time. */
typedef struct gen_tm {
    int64_t  year;
    unsigned mon, day;           /* 1..12, 1..31 */
    unsigned hour, min, sec, ms; /* 0..23, 0..59, 0..59, 0..999 */
} gen_tm;

static inline int64_t gen_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Day number (since 1970-01-01) of an instant. */
static inline int64_t gen_day_of(int64_t ms) { return gen_floor_div(ms, GEN_MS_PER_DAY); }

static inline gen_tm gen_tm_from_ms(int64_t ms)
{
    gen_tm t;
    int64_t day = gen_day_of(ms);
    int64_t rem = ms - day * GEN_MS_PER_DAY;
    as_civil_from_days(day, &t.year, &t.mon, &t.day);
    t.hour = (unsigned)(rem / GEN_MS_PER_HOUR);
    t.min = (unsigned)(rem / GEN_MS_PER_MIN % 60);
    t.sec = (unsigned)(rem / GEN_MS_PER_SEC % 60);
    t.ms = (unsigned)(rem % 1000);
    return t;
}

static inline int64_t gen_ms_from_civil(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                                        unsigned s)
{
    return as_days_from_civil(y, mo, d) * GEN_MS_PER_DAY + (int64_t)h * GEN_MS_PER_HOUR +
           (int64_t)mi * GEN_MS_PER_MIN + (int64_t)s * GEN_MS_PER_SEC;
}

static inline char *gen_put(char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

#define GEN_PUT_LIT(p, lit) gen_put((p), (lit), sizeof(lit) - 1)

static inline char *gen_put_cstr(char *p, const char *s) { return gen_put(p, s, strlen(s)); }

static inline char *gen_put_2d(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static inline char *gen_put_3d(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 100 % 10);
    p[1] = (char)('0' + v / 10 % 10);
    p[2] = (char)('0' + v % 10);
    return p + 3;
}

static inline char *gen_put_4d(char *p, int64_t v)
{
    return gen_put_2d(gen_put_2d(p, (unsigned)(v / 100 % 100)), (unsigned)(v % 100));
}

/* Decimal, no padding; at most 20 bytes. */
static inline char *gen_put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static inline char *gen_put_i64(char *p, int64_t v)
{
    if (v < 0) {
        *p++ = '-';
        return gen_put_u64(p, (uint64_t)0 - (uint64_t)v);
    }
    return gen_put_u64(p, (uint64_t)v);
}

/* n lower-case hex digits of v (n <= 16), most significant first. */
static inline char *gen_put_hex(char *p, uint64_t v, unsigned n)
{
    static const char k_hex[] = "0123456789abcdef";
    for (unsigned i = n; i-- > 0;) {
        p[i] = k_hex[v & 15];
        v >>= 4;
    }
    return p + n;
}

/* 2025-10-01 */
static inline char *gen_put_date(char *p, const gen_tm *t)
{
    p = gen_put_4d(p, t->year);
    *p++ = '-';
    p = gen_put_2d(p, t->mon);
    *p++ = '-';
    return gen_put_2d(p, t->day);
}

/* 13:55:36 */
static inline char *gen_put_hms(char *p, const gen_tm *t)
{
    p = gen_put_2d(p, t->hour);
    *p++ = ':';
    p = gen_put_2d(p, t->min);
    *p++ = ':';
    return gen_put_2d(p, t->sec);
}

/* 2025-10-01T14:05:00Z (CloudTrail eventTime, CSV exports) */
static inline char *gen_put_iso_s(char *p, int64_t ms)
{
    gen_tm t = gen_tm_from_ms(ms);
    p = gen_put_date(p, &t);
    *p++ = 'T';
    p = gen_put_hms(p, &t);
    *p++ = 'Z';
    return p;
}

/* 2025-10-01T14:05:00.123Z (Okta published, RFC 5424) */
static inline char *gen_put_iso_ms(char *p, int64_t ms)
{
    gen_tm t = gen_tm_from_ms(ms);
    p = gen_put_date(p, &t);
    *p++ = 'T';
    p = gen_put_hms(p, &t);
    *p++ = '.';
    p = gen_put_3d(p, t.ms);
    *p++ = 'Z';
    return p;
}

/* Oct  1 00:00:12 (RFC 3164: day space-padded, no year) */
static inline char *gen_put_rfc3164(char *p, int64_t ms)
{
    gen_tm t = gen_tm_from_ms(ms);
    p = gen_put(p, as_month_abbr[t.mon - 1], 3);
    *p++ = ' ';
    *p++ = (char)(t.day < 10 ? ' ' : '0' + t.day / 10);
    *p++ = (char)('0' + t.day % 10);
    *p++ = ' ';
    return gen_put_hms(p, &t);
}

/* 10/Oct/2025:13:55:36 +0000 (access logs, without the brackets) */
static inline char *gen_put_clf(char *p, int64_t ms)
{
    gen_tm t = gen_tm_from_ms(ms);
    p = gen_put_2d(p, t.day);
    *p++ = '/';
    p = gen_put(p, as_month_abbr[t.mon - 1], 3);
    *p++ = '/';
    p = gen_put_4d(p, t.year);
    *p++ = ':';
    p = gen_put_hms(p, &t);
    return GEN_PUT_LIT(p, " +0000");
}

/* Formats into a small NUL-terminated buffer (for paths and truth.json). */
static inline void gen_fmt_iso_s(char out[GEN_FMT_TIME_MAX], int64_t ms) { *gen_put_iso_s(out, ms) = '\0'; }
static inline void gen_fmt_iso_ms(char out[GEN_FMT_TIME_MAX], int64_t ms) { *gen_put_iso_ms(out, ms) = '\0'; }
static inline void gen_fmt_date(char out[GEN_FMT_TIME_MAX], int64_t day)
{
    gen_tm t = gen_tm_from_ms(day * GEN_MS_PER_DAY);
    *gen_put_date(out, &t) = '\0';
}

#endif
