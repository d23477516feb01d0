/* as_tparse.h: one entry point for every common timestamp form, so that the
 * formats whose time is free text (CSV cells, JSON values, logfmt pairs,
 * regex groups) never guess on their own; plus the --tz and duration option
 * values (--gap 1h, windows such as 24h).
 *
 * Forms (the whole text must be one of them; surrounding spaces are the
 * caller's to trim):
 *   iso       2026-03-01T14:05:00Z, fractions to 9 digits, +02:00 / +0200 / +02, naive
 *   iso_space 2026-03-01 14:05:00 (the usual CSV export form), naive or with an offset
 *   date      2026-03-01 (midnight; flagged AS_TIME_DATE_ONLY)
 *   slash     2026/03/01 14:05:00[.fff] (naive)
 *   clf       01/Mar/2026:14:05:00 +0000
 *   rfc2822   Sun, 01 Mar 2026 14:05:00 GMT | UT | UTC | Z | +0000 (weekday optional, checked)
 *   epoch_s / epoch_ms / epoch_us / epoch_ns
 *             bare digits told apart by count: 9-10 seconds (optionally .fraction),
 *             12-13 milliseconds, 15-16 microseconds, 18-19 nanoseconds; the
 *             instant must lie in 1990..2100 or it is not taken for a time
 * Naive forms take default_offset_min (--tz) and are flagged AS_TIME_NAIVE.
 * Impossible values (Feb 30, 24:01, month 13, offset beyond 23:59, second 60
 * other than at 23:59:60 UTC) are rejected, never clamped. No locale, no TZ variable, no libc time calls.
 * Thread-safety: pure functions.
 */
#ifndef ASSAY_AS_TPARSE_H
#define ASSAY_AS_TPARSE_H

#include "core/as_def.h"
#include "core/as_slice.h"
#include "core/as_time.h"

#define AS_TIME_FORM_LIST(X)                                                  \
    X(AS_TIME_FORM_NONE, "none") X(AS_TIME_FORM_ISO, "iso")                   \
    X(AS_TIME_FORM_ISO_SPACE, "iso_space") X(AS_TIME_FORM_DATE, "date")       \
    X(AS_TIME_FORM_SLASH, "slash") X(AS_TIME_FORM_CLF, "clf")                 \
    X(AS_TIME_FORM_RFC2822, "rfc2822") X(AS_TIME_FORM_EPOCH_S, "epoch_s")     \
    X(AS_TIME_FORM_EPOCH_MS, "epoch_ms") X(AS_TIME_FORM_EPOCH_US, "epoch_us") \
    X(AS_TIME_FORM_EPOCH_NS, "epoch_ns")

typedef enum as_time_form {
#define AS_TIME_FORM_ENUM_(f, name) f,
    AS_TIME_FORM_LIST(AS_TIME_FORM_ENUM_)
#undef AS_TIME_FORM_ENUM_
    AS_TIME_FORM__COUNT
} as_time_form;

#define AS_EPOCH_MIN 631152000ll   /* 1990-01-01T00:00:00Z: bare numbers below are not times */
#define AS_EPOCH_MAX 4102444800ll  /* 2100-01-01T00:00:00Z */

/* Parses s as one of the forms above. Returns s.len and fills *out (and
 * *form when non-NULL) when the whole of s is a timestamp; 0 otherwise
 * (*out untouched, *form AS_TIME_FORM_NONE). */
size_t as_time_parse_any(as_slice s, int default_offset_min, as_time *out, as_time_form *form);
const char *as_time_form_name(as_time_form f);

/* --tz: "UTC", "Z", "GMT", "+02:00", "-0500", "+5", "+05:30". Named zones
 * (Europe/Berlin) are refused: their offset changes with daylight saving,
 * and a fixed one would silently shift half the year. 0 ok, -1 not valid. */
int as_tz_parse(as_slice s, int *offset_min) AS_MUST_USE;

/* Durations: one or more <integer><unit> with units w, d, h, m, s, ms
 * ("1h30m", "24h", "15m", "90s", "2d", "1w"). 0 ok (*ns_out > 0), -1 when
 * not valid, zero or beyond int64 nanoseconds. */
int as_duration_parse(as_slice s, int64_t *ns_out) AS_MUST_USE;

#endif
