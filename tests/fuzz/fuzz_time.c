/* fuzz_time.c: libFuzzer target for the time text readers: as_time_parse_iso
 * (core/as_time) and as_time_parse_any, as_tz_parse, as_duration_parse
 * (core/as_tparse).
 *
 * Every input goes through all four readers, the two parsers of instants with
 * a few default offsets, and the target checks what must hold for every
 * input, aborting on a violation so libFuzzer (or the replay runner of
 * `make test`) reports it.
 * as_time_parse_iso:
 *   - the parser consumes at most the input, and either nothing or a whole
 *     date (>= 10 bytes);
 *   - a parsed time is valid, nsec and the offset are in range, only known
 *     flags are set, and a naive time carries the default offset;
 *   - parsing just the consumed prefix gives the same result (no decision
 *     depends on bytes the parser did not consume);
 *   - the UTC and local RFC 3339 forms fit the buffer and, when the year
 *     they print is 0000..9999 (what the parser accepts), parse back whole
 *     to the same instant.
 * as_time_parse_any:
 *   - it takes the whole input or nothing; on nothing the form is NONE and
 *     *out is untouched; on success the form names a real form;
 *   - the time is valid and in range; naive exactly for the forms without an
 *     offset (date, slash, iso/iso_space without one), then at the default
 *     offset; date-only exactly for the date form; epoch forms are UTC in
 *     1990..2099;
 *   - an iso/iso_space/date result is what as_time_parse_iso gives for the
 *     whole input;
 *   - round trips: the instant written again as RFC 3339 (UTC and local),
 *     as epoch s/ms/us/ns (digit-count rule), as CLF and RFC 2822 (whole
 *     seconds) and as slash (naive, read back at its offset) parses whole to
 *     the same instant, when the year fits the form.
 * as_tz_parse: an accepted value is in -23:59..+23:59, and its canonical
 *   +hh:mm spelling reads back to the same offset.
 * as_duration_parse: an accepted value is > 0 and a whole number of
 *   milliseconds; its canonical spellings ("<n>ms" and the greedy
 *   w/d/h/m/s/ms split) read back to the same value.
 * Seeds: tests/fuzz/corpus/fuzz_time/; kept crashers: tests/fuzz/regress/fuzz_time/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdio.h>   /* snprintf: the re-written forms (not a hot path) */
#include <stdlib.h>  /* abort */
#include <string.h>  /* strlen, memcmp, memset */

#include "core/as_time.h"
#include "core/as_tparse.h"  /* as_time_parse_any, as_tz_parse, as_duration_parse */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Default offsets for naive input, minutes: UTC, both extremes, two usual ones. */
static const int k_default_offsets[] = { 0, 60, -420, 1439, -1439 };

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

static int same_time(as_time a, as_time b)
{
    return a.sec == b.sec && a.nsec == b.nsec && a.offset_min == b.offset_min && a.flags == b.flags;
}

/* The year a formatted time prints, 0000..9999 being what the parser reads. */
static int year_in_parser_range(as_time t, int offset_min)
{
    int64_t y;
    unsigned m, d;
    as_civil_from_days(as_time_day(t, offset_min), &y, &m, &d);
    return y >= 0 && y <= 9999;
}

/* text (from the formatter) parses back whole to t's instant. */
static void check_reparse(const char *text, size_t len, as_time t, int offset_min)
{
    FUZZ_CHECK(len > 0 && len < AS_TIME_RFC3339_MAX && len == strlen(text));
    if (!year_in_parser_range(t, offset_min))
        return;
    as_time u;
    size_t n = as_time_parse_iso(as_slice_make(text, len), 0, &u);
    FUZZ_CHECK(n == len);
    FUZZ_CHECK(u.sec == t.sec && u.nsec == t.nsec);
    FUZZ_CHECK(u.offset_min == offset_min);
    FUZZ_CHECK((u.flags & (AS_TIME_NAIVE | AS_TIME_DATE_ONLY)) == 0);
}

static void check_one(as_slice in, int default_off)
{
    as_time t;
    size_t n = as_time_parse_iso(in, default_off, &t);
    FUZZ_CHECK(n <= in.len);
    if (n == 0)
        return;
    FUZZ_CHECK(n >= 10);
    FUZZ_CHECK(as_time_is_valid(t));
    FUZZ_CHECK(t.nsec >= 0 && t.nsec < AS_NSEC_PER_SEC);
    FUZZ_CHECK(t.offset_min >= -1439 && t.offset_min <= 1439);
    FUZZ_CHECK((t.flags & ~(AS_TIME_VALID | AS_TIME_NAIVE | AS_TIME_DATE_ONLY)) == 0);
    if (t.flags & AS_TIME_NAIVE)
        FUZZ_CHECK(t.offset_min == default_off);
    if (t.flags & AS_TIME_DATE_ONLY)
        FUZZ_CHECK((t.flags & AS_TIME_NAIVE) && t.nsec == 0);

    as_time p;
    FUZZ_CHECK(as_time_parse_iso(as_slice_make(in.ptr, n), default_off, &p) == n);
    FUZZ_CHECK(same_time(p, t));

    char buf[AS_TIME_RFC3339_MAX];
    size_t len = as_time_format_utc(t, buf);
    check_reparse(buf, len, t, 0);
    len = as_time_format_local(t, buf);
    check_reparse(buf, len, t, t.offset_min);
}

/* ---- as_time_parse_any ---- */

/* Room for the longest re-written form: "Sun, 01 Mar 2026 14:05:00 +2359" (31)
 * and the 19-digit epoch with a 9-digit fraction (29), with slack. */
#define FUZZ_TEXT_MAX 64

/* text parses whole with as_time_parse_any (default offset default_off) as
 * form want to t's instant, at offset off, naive or not as is_naive says. */
static void check_any_text(const char *text, int len, int default_off, as_time_form want, as_time t,
                           int off, int is_naive)
{
    FUZZ_CHECK(len > 0 && len < FUZZ_TEXT_MAX);
    as_time u;
    as_time_form f;
    FUZZ_CHECK(as_time_parse_any(as_slice_make(text, (size_t)len), default_off, &u, &f) == (size_t)len);
    FUZZ_CHECK(f == want);
    FUZZ_CHECK(u.sec == t.sec && u.nsec == t.nsec && u.offset_min == off);
    FUZZ_CHECK(((u.flags & AS_TIME_NAIVE) != 0) == is_naive);
}

/* Writes t again in every form that can hold it and reads each back. */
static void check_any_round_trips(as_time t)
{
    char buf[FUZZ_TEXT_MAX];
    int off = t.offset_min;
    if (year_in_parser_range(t, 0)) {
        size_t len = as_time_format_utc(t, buf);
        check_any_text(buf, (int)len, 0, AS_TIME_FORM_ISO, t, 0, 0);
    }
    if (year_in_parser_range(t, off)) {
        size_t len = as_time_format_local(t, buf);
        check_any_text(buf, (int)len, 0, AS_TIME_FORM_ISO, t, off, 0);
    }
    if (t.sec >= AS_EPOCH_MIN && t.sec < AS_EPOCH_MAX) {
        /* the digit-count rule: 9-10 digits are seconds, 13 ms, 16 us, 19 ns
         * (12, 15, 18 only before 2001-09-09, which the 9-digit case covers) */
        long long s = (long long)t.sec;
        int ns = (int)t.nsec;
        as_time w = t;
        int n = snprintf(buf, sizeof buf, "%lld.%09d", s, ns);
        check_any_text(buf, n, 0, AS_TIME_FORM_EPOCH_S, t, 0, 0);
        w.nsec = 0;
        n = snprintf(buf, sizeof buf, "%lld", s);
        check_any_text(buf, n, 0, AS_TIME_FORM_EPOCH_S, w, 0, 0);
        w.nsec = ns / 1000000 * 1000000;
        n = snprintf(buf, sizeof buf, "%lld%03d", s, ns / 1000000);
        check_any_text(buf, n, 0, AS_TIME_FORM_EPOCH_MS, w, 0, 0);
        w.nsec = ns / 1000 * 1000;
        n = snprintf(buf, sizeof buf, "%lld%06d", s, ns / 1000);
        check_any_text(buf, n, 0, AS_TIME_FORM_EPOCH_US, w, 0, 0);
        n = snprintf(buf, sizeof buf, "%lld%09d", s, ns);
        check_any_text(buf, n, 0, AS_TIME_FORM_EPOCH_NS, t, 0, 0);
    }
    if (!year_in_parser_range(t, off))
        return;
    static const char k_wday[7][4] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    int64_t days = as_time_day(t, off), y;
    unsigned mo, d;
    as_civil_from_days(days, &y, &mo, &d);
    int64_t rem = (t.sec - days * 86400) + (int64_t)off * 60;  /* 0 .. 86399, no overflow */
    int h = (int)(rem / 3600), mi = (int)(rem / 60 % 60), sec = (int)(rem % 60);
    int a = off < 0 ? -off : off;
    char sign = off < 0 ? '-' : '+';
    int n = snprintf(buf, sizeof buf, "%04lld/%02u/%02u %02d:%02d:%02d.%09d", (long long)y, mo, d, h,
                     mi, sec, (int)t.nsec);
    check_any_text(buf, n, off, AS_TIME_FORM_SLASH, t, off, 1);
    if (t.nsec != 0)
        return;  /* CLF and RFC 2822 as logs write them: whole seconds */
    n = snprintf(buf, sizeof buf, "%02u/%s/%04lld:%02d:%02d:%02d %c%02d%02d", d, as_month_abbr[mo - 1],
                 (long long)y, h, mi, sec, sign, a / 60, a % 60);
    check_any_text(buf, n, 0, AS_TIME_FORM_CLF, t, off, 0);
    n = snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02d:%02d:%02d %c%02d%02d",
                 k_wday[as_weekday_from_days(days)], d, as_month_abbr[mo - 1], (long long)y, h, mi, sec,
                 sign, a / 60, a % 60);
    check_any_text(buf, n, 0, AS_TIME_FORM_RFC2822, t, off, 0);
}

static void check_any(as_slice in, int default_off)
{
    as_time t, sentinel;
    memset(&t, 0x5a, sizeof t);
    memset(&sentinel, 0x5a, sizeof sentinel);
    as_time_form f = (as_time_form)-1;
    size_t n = as_time_parse_any(in, default_off, &t, &f);
    if (n == 0) {
        FUZZ_CHECK(f == AS_TIME_FORM_NONE);
        FUZZ_CHECK(memcmp(&t, &sentinel, sizeof t) == 0);
        return;
    }
    FUZZ_CHECK(n == in.len);
    FUZZ_CHECK(f > AS_TIME_FORM_NONE && f < AS_TIME_FORM__COUNT);
    FUZZ_CHECK(as_time_is_valid(t));
    FUZZ_CHECK(t.nsec >= 0 && t.nsec < AS_NSEC_PER_SEC);
    FUZZ_CHECK(t.offset_min >= -1439 && t.offset_min <= 1439);
    FUZZ_CHECK((t.flags & ~(AS_TIME_VALID | AS_TIME_NAIVE | AS_TIME_DATE_ONLY)) == 0);
    int is_naive = (t.flags & AS_TIME_NAIVE) != 0;
    if (is_naive)
        FUZZ_CHECK(t.offset_min == default_off);
    FUZZ_CHECK(((t.flags & AS_TIME_DATE_ONLY) != 0) == (f == AS_TIME_FORM_DATE));

    as_time u;
    switch (f) {
    case AS_TIME_FORM_ISO:
    case AS_TIME_FORM_ISO_SPACE:
    case AS_TIME_FORM_DATE:
        FUZZ_CHECK(as_time_parse_iso(in, default_off, &u) == n);
        FUZZ_CHECK(same_time(u, t));
        if (f != AS_TIME_FORM_DATE)  /* then longer than the 10-byte date */
            FUZZ_CHECK((in.ptr[10] == ' ') == (f == AS_TIME_FORM_ISO_SPACE));
        break;
    case AS_TIME_FORM_SLASH:
        FUZZ_CHECK(is_naive);
        break;
    case AS_TIME_FORM_CLF:
    case AS_TIME_FORM_RFC2822:
        FUZZ_CHECK(!is_naive);
        break;
    default:  /* the epoch forms */
        FUZZ_CHECK(!is_naive && t.offset_min == 0);
        FUZZ_CHECK(t.sec >= AS_EPOCH_MIN && t.sec < AS_EPOCH_MAX);
        break;
    }
    /* no form pointer: the same answer */
    FUZZ_CHECK(as_time_parse_any(in, default_off, &u, NULL) == n && same_time(u, t));
    check_any_round_trips(t);
}

/* ---- as_tz_parse ---- */

static void check_tz(as_slice in)
{
    int off = 12345;
    if (as_tz_parse(in, &off) != 0) {
        FUZZ_CHECK(off == 12345);
        return;
    }
    FUZZ_CHECK(off >= -1439 && off <= 1439);
    char buf[16];
    int a = off < 0 ? -off : off;
    int n = snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
    int back = 12345;
    FUZZ_CHECK(as_tz_parse(as_slice_make(buf, (size_t)n), &back) == 0 && back == off);
}

/* ---- as_duration_parse ---- */

static void check_duration(as_slice in)
{
    int64_t ns = -7;
    if (as_duration_parse(in, &ns) != 0) {
        FUZZ_CHECK(ns == -7);
        return;
    }
    FUZZ_CHECK(ns > 0 && ns % 1000000 == 0);
    char buf[96];
    int64_t back = -7;
    int n = snprintf(buf, sizeof buf, "%lldms", (long long)(ns / 1000000));
    FUZZ_CHECK(as_duration_parse(as_slice_make(buf, (size_t)n), &back) == 0 && back == ns);
    /* greedy split into every unit, largest first */
    static const struct { int64_t ns; const char *unit; } k_units[] = {
        { 604800 * AS_NSEC_PER_SEC, "w" }, { 86400 * AS_NSEC_PER_SEC, "d" },
        { 3600 * AS_NSEC_PER_SEC, "h" },   { 60 * AS_NSEC_PER_SEC, "m" },
        { AS_NSEC_PER_SEC, "s" },          { 1000000, "ms" },
    };
    int64_t left = ns;
    size_t len = 0;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_units); i++) {
        int64_t q = left / k_units[i].ns;
        left %= k_units[i].ns;
        if (q == 0)
            continue;
        int k = snprintf(buf + len, sizeof buf - len, "%lld%s", (long long)q, k_units[i].unit);
        FUZZ_CHECK(k > 0 && (size_t)k < sizeof buf - len);
        len += (size_t)k;
    }
    FUZZ_CHECK(left == 0);
    back = -7;
    FUZZ_CHECK(as_duration_parse(as_slice_make(buf, len), &back) == 0 && back == ns);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_slice in = as_slice_make((const char *)data, size);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_default_offsets); i++) {
        check_one(in, k_default_offsets[i]);
        check_any(in, k_default_offsets[i]);
    }
    check_tz(in);
    check_duration(in);
    return 0;
}
