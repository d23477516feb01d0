/* fuzz_time.c: libFuzzer target for as_time_parse_iso (core/as_time).
 *
 * Parses the input with a few default offsets and checks what must hold for
 * every input, aborting on a violation so libFuzzer (or the replay runner of
 * `make test`) reports it:
 *   - the parser consumes at most the input, and either nothing or a whole
 *     date (>= 10 bytes);
 *   - a parsed time is valid, nsec and the offset are in range, only known
 *     flags are set, and a naive time carries the default offset;
 *   - parsing just the consumed prefix gives the same result (no decision
 *     depends on bytes the parser did not consume);
 *   - the UTC and local RFC 3339 forms fit the buffer and, when the year
 *     they print is 0000..9999 (what the parser accepts), parse back whole
 *     to the same instant.
 * Seeds: tests/fuzz/corpus/fuzz_time/; kept crashers: tests/fuzz/regress/fuzz_time/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort */
#include <string.h>  /* strlen */

#include "core/as_time.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_slice in = as_slice_make((const char *)data, size);
    for (size_t i = 0; i < AS_ARRAY_LEN(k_default_offsets); i++)
        check_one(in, k_default_offsets[i]);
    return 0;
}
