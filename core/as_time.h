/* as_time.h: a UTC instant with sub-second precision plus the offset it was
 * written in, and the calendar arithmetic every part shares.
 *
 * Civil-date conversion uses the proleptic Gregorian calendar with day counts
 * from 1970-01-01 (the days-from-civil algorithm): no libc time functions, no
 * locale, no TZ environment, so results are the same on every machine.
 * Parsers of the format-specific forms (CLF, syslog) live in parsers/ and
 * build on as_time_from_civil. Thread-safety: pure functions.
 */
#ifndef ASSAY_AS_TIME_H
#define ASSAY_AS_TIME_H

#include "core/as_def.h"
#include "core/as_slice.h"

enum {
    AS_TIME_VALID         = 1u << 0, /* holds an instant */
    AS_TIME_NAIVE         = 1u << 1, /* the text had no offset; interpreted in the declared zone (UTC by default) */
    AS_TIME_YEAR_INFERRED = 1u << 2, /* the text had no year (RFC 3164); it was inferred */
    AS_TIME_DATE_ONLY     = 1u << 3, /* the text had no time of day */
};

typedef struct as_time {
    int64_t  sec;         /* seconds since 1970-01-01T00:00:00Z, UTC */
    int32_t  nsec;        /* 0 .. 999,999,999 */
    int16_t  offset_min;  /* offset of the original text from UTC, minutes (-1439 .. 1439) */
    uint16_t flags;       /* AS_TIME_* */
} as_time;

#define AS_TIME_RFC3339_MAX 48 /* "-292277026596-12-04T15:30:07.999999999+23:59" (44) + NUL fits */
#define AS_NSEC_PER_SEC 1000000000ll

static inline int as_time_is_valid(as_time t) { return (t.flags & AS_TIME_VALID) != 0; }

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31). */
int64_t as_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The date of a day number. */
void as_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
int  as_is_leap_year(int64_t y);
unsigned as_days_in_month(int64_t y, unsigned m);
/* 0 = Monday .. 6 = Sunday (ISO 8601). */
unsigned as_weekday_from_days(int64_t days);
/* "Jan".."Dec" (exactly three letters, first upper case as logs write them;
 * also accepts all-lower and all-upper) -> 1..12; 0 when not a month. */
unsigned as_month_from_abbr(as_slice s);
extern const char as_month_abbr[12][4];

/* Builds an instant from local civil fields and the offset they were written
 * in (minutes east of UTC). Returns 0, or -1 when a field is
 * out of range (Feb 30, 24:00:01, offset > 23:59). sec may be 60 (a leap
 * second as some logs write it); it is folded into the next second. */
int as_time_from_civil(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                       int32_t nsec, int offset_min, uint16_t flags, as_time *out) AS_MUST_USE;

/* Parses ISO 8601 / RFC 3339 as logs write it: YYYY-MM-DD, then optionally
 * [T or space]HH:MM[:SS][.fraction (1..9 digits)][Z | +HH:MM | +HHMM | +HH].
 * Without an offset the time is naive: taken as UTC plus default_offset_min
 * and flagged AS_TIME_NAIVE. Returns the number of bytes consumed (> 0) and
 * fills *out, or 0 when s does not start with such a timestamp. */
size_t as_time_parse_iso(as_slice s, int default_offset_min, as_time *out);

/* Writes RFC 3339 in UTC (`2026-03-01T14:05:00Z`, with .fff/.ffffff/.fffffffff
 * only when the fraction is non-zero, in the shortest of those three) into
 * buf; returns the length. */
size_t as_time_format_utc(as_time t, char buf[AS_TIME_RFC3339_MAX]);
/* The same instant in its original offset (`2026-03-01T15:05:00+01:00`). */
size_t as_time_format_local(as_time t, char buf[AS_TIME_RFC3339_MAX]);

/* <0, 0, >0 by instant; an invalid time sorts first. */
int as_time_cmp(as_time a, as_time b);
/* a - b in nanoseconds (saturating). */
int64_t as_time_diff_ns(as_time a, as_time b);
/* Day number (since 1970-01-01) of the instant in the given offset. */
int64_t as_time_day(as_time t, int offset_min);

#endif
