/* fuzz_syslog.c: libFuzzer target for psr_syslog_scan, the STRUCTURED-DATA
 * iterator, the RFC 3164 year inference and (on what scans) psr_auth_extract.
 *
 * The whole input is one line. Checks what must hold for every input,
 * aborting on a violation so libFuzzer (or the replay runner of `make test`)
 * reports it:
 *   - the result is AS_OK, AS_ERR_SYNTAX or AS_ERR_BAD_TIME; an error's
 *     column is in [1, len + 1];
 *   - on success every slice lies inside the input, the variant, PRI,
 *     facility/severity, pid and flags are consistent, a BSD stamp has a
 *     date and no instant, a full stamp a valid instant (or the nil flag),
 *     and psr_syslog_starts_record agrees the line starts a record;
 *   - scanning again gives the same result (no hidden state);
 *   - SD iteration stays inside sd and ends; unescaping never grows a value;
 *   - the year inference accepts the record or rejects it without touching
 *     the state, and an accepted BSD record gets a valid instant;
 *   - psr_auth_extract on the message stays inside it.
 * Seeds: tests/fuzz/corpus/fuzz_syslog/; kept crashers: tests/fuzz/regress/fuzz_syslog/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort */
#include <string.h>  /* memcmp */

#include "parsers/psr_authmsg.h"
#include "parsers/psr_syslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

/* s is empty or lies inside [b, b + n). */
static void check_inside(as_slice s, const char *b, size_t n)
{
    if (s.len == 0)
        return;
    FUZZ_CHECK(s.ptr >= b && s.ptr + s.len <= b + n);
}

static const uint32_t k_known_flags =
    PSR_SYSLOG_F_PRI | PSR_SYSLOG_F_NO_YEAR | PSR_SYSLOG_F_DAY_UNPADDED | PSR_SYSLOG_F_NO_HOST |
    PSR_SYSLOG_F_NO_TAG | PSR_SYSLOG_F_TAG_SPACE | PSR_SYSLOG_F_EXTRA_SPACE | PSR_SYSLOG_F_BOM |
    PSR_SYSLOG_F_NIL_TIME | PSR_SYSLOG_F_SD;

static void check_sd(as_slice sd)
{
    psr_syslog_sd_iter it;
    psr_syslog_sd_iter_init(&it, sd);
    psr_syslog_sd_param p;
    size_t n = 0;
    char buf[4096];
    while (psr_syslog_sd_next(&it, &p)) {
        FUZZ_CHECK(++n <= sd.len);
        FUZZ_CHECK(p.id.len > 0 && p.id.len <= PSR_SYSLOG_SDNAME_MAX);
        check_inside(p.id, sd.ptr, sd.len);
        check_inside(p.name, sd.ptr, sd.len);
        check_inside(p.value, sd.ptr, sd.len);
        if (p.value.len <= sizeof buf)
            FUZZ_CHECK(psr_syslog_sd_unescape(p.value, buf) <= p.value.len);
    }
    /* a scanned SD yields at least one item per element */
    FUZZ_CHECK(sd.len == 0 || n > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    as_slice line = as_slice_make(b, size);
    psr_syslog_opts o = { .default_offset_min = size ? (int)(data[0] % 61) * 30 - 900 : 0 };
    psr_syslog r, r2;
    uint64_t col = 0, col2 = 0;
    as_code rc = psr_syslog_scan(line, &o, &r, &col);
    as_code rc2 = psr_syslog_scan(line, &o, &r2, &col2);
    FUZZ_CHECK(rc == rc2);
    if (rc != AS_OK) {
        FUZZ_CHECK(rc == AS_ERR_SYNTAX || rc == AS_ERR_BAD_TIME);
        FUZZ_CHECK(col >= 1 && col <= size + 1 && col == col2);
        return 0;
    }
    FUZZ_CHECK(memcmp(&r, &r2, sizeof r) == 0);
    FUZZ_CHECK(psr_syslog_starts_record(line));
    FUZZ_CHECK((r.flags & ~k_known_flags) == 0);
    FUZZ_CHECK(r.variant == PSR_SYSLOG_BSD || r.variant == PSR_SYSLOG_ISO || r.variant == PSR_SYSLOG_5424);
    if (r.flags & PSR_SYSLOG_F_PRI) {
        FUZZ_CHECK(r.pri >= 0 && r.pri <= PSR_SYSLOG_PRI_MAX);
        FUZZ_CHECK(r.facility == r.pri / 8 && r.severity == r.pri % 8);
    } else {
        FUZZ_CHECK(r.pri == -1 && r.facility == -1 && r.severity == -1);
    }
    FUZZ_CHECK(r.pid >= -1);
    as_slice fields[] = { r.host, r.tag, r.app, r.procid, r.msgid, r.sd, r.msg };
    for (size_t i = 0; i < AS_ARRAY_LEN(fields); i++)
        check_inside(fields[i], b, size);
    if (r.pid >= 0)
        FUZZ_CHECK(r.procid.len > 0);
    if (r.variant == PSR_SYSLOG_BSD) {
        FUZZ_CHECK(r.flags & PSR_SYSLOG_F_NO_YEAR);
        FUZZ_CHECK(r.month >= 1 && r.month <= 12 && r.day >= 1 && r.day <= 31 && r.sod <= 86400);
        FUZZ_CHECK(!as_time_is_valid(r.time));
    } else {
        FUZZ_CHECK(!(r.flags & PSR_SYSLOG_F_NO_YEAR));
        FUZZ_CHECK(r.month == 0 && r.day == 0 && r.sod == 0);
        FUZZ_CHECK(as_time_is_valid(r.time) != !!(r.flags & PSR_SYSLOG_F_NIL_TIME));
    }
    if (r.variant == PSR_SYSLOG_5424) {
        FUZZ_CHECK(r.version >= 1 && r.tag.len == 0);
        FUZZ_CHECK(r.host.len <= PSR_SYSLOG_HOST_MAX && r.app.len <= PSR_SYSLOG_APP_MAX);
        FUZZ_CHECK(r.procid.len <= PSR_SYSLOG_PROCID_MAX && r.msgid.len <= PSR_SYSLOG_MSGID_MAX);
        FUZZ_CHECK(!!(r.flags & PSR_SYSLOG_F_SD) == (r.sd.len > 0));
        check_sd(r.sd);
    } else {
        FUZZ_CHECK(r.version == 0 && r.sd.len == 0 && r.msgid.len == 0);
        FUZZ_CHECK(r.app.len <= r.tag.len);
    }

    /* year inference from a fixed anchor: accept, or reject without a trace */
    psr_syslog_year ys, before;
    /* anchor: mostly 2023..2025, sometimes any 16-bit year (out of range ones must be rejected) */
    int64_t anchor = 2023 + (int64_t)(size % 3);
    if (size >= 3 && data[size - 1] == '!')
        anchor = (int16_t)(data[size - 2] | (data[size - 3] << 8));
    psr_syslog_year_init_fixed(&ys, anchor, o.default_offset_min);
    for (int i = 0; i < 3; i++) {
        before = ys;
        unsigned yfl = 0;
        psr_syslog rr = r;
        as_code yc = psr_syslog_year_apply(&ys, &rr, &yfl);
        if (yc != AS_OK) {
            FUZZ_CHECK(yc == AS_ERR_BAD_TIME);
            FUZZ_CHECK((r.month == 2 && r.day == 29) || anchor < PSR_SYSLOG_YEAR_MIN || anchor > PSR_SYSLOG_YEAR_MAX);
            FUZZ_CHECK(memcmp(&before, &ys, sizeof ys) == 0);
        } else if (r.variant == PSR_SYSLOG_BSD) {
            FUZZ_CHECK(as_time_is_valid(rr.time) && (rr.time.flags & AS_TIME_YEAR_INFERRED));
            FUZZ_CHECK(i == 0 || (yfl & PSR_SYSLOG_Y_ROLLOVER) == 0);   /* the same record again: no new year */
        }
    }

    psr_auth a;
    psr_auth_kind k = psr_auth_extract(r.app, r.msg, &a);
    FUZZ_CHECK((unsigned)k < PSR_AUTH__COUNT && k == a.kind);
    FUZZ_CHECK(a.count >= 1);
    return 0;
}
