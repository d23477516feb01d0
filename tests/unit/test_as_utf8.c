/* test_as_utf8.c: unit tests for core/as_utf8 (strict RFC 3629 validation
 * with an ASCII fast path). Every input sits at the end of a page followed by
 * a PROT_NONE page (guard.h), so reading one byte too far faults. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* memset, memcpy */

#include "core/as_utf8.h"
#include "tests/unit/guard.h"

#define MAX_INPUT 256

static int setup_guard(void **state)
{
    static guard g;   /* one per test binary; cmocka runs tests one at a time */
    if (guard_init(&g, MAX_INPUT) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown_guard(void **state)
{
    guard_fini(*state);
    return 0;
}

/* as_utf8_check on a copy of p[0..n) that ends at the guard page. */
static size_t check_guarded(guard *g, const void *p, size_t n)
{
    const char *at = guard_put(g, p, n);
    assert_non_null(at);
    return as_utf8_check(at, n);
}

/* Reference encoder (RFC 3629 table), for code points <= U+10FFFF. */
static size_t encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void test_as_utf8_boundary_code_points(void **state)
{
    guard *g = *state;
    static const struct {
        const char *s;
        size_t      len;
    } valid[] = {
        { "\x00", 1 },                 /* U+0000: a NUL byte is valid UTF-8 */
        { "\x7F", 1 },                 /* U+007F */
        { "\xC2\x80", 2 },             /* U+0080 */
        { "\xDF\xBF", 2 },             /* U+07FF */
        { "\xE0\xA0\x80", 3 },         /* U+0800 */
        { "\xED\x9F\xBF", 3 },         /* U+D7FF, just below the surrogates */
        { "\xEE\x80\x80", 3 },         /* U+E000, just above */
        { "\xEF\xBF\xBD", 3 },         /* U+FFFD */
        { "\xEF\xBF\xBF", 3 },         /* U+FFFF */
        { "\xF0\x90\x80\x80", 4 },     /* U+10000 */
        { "\xF4\x8F\xBF\xBF", 4 },     /* U+10FFFF */
        { "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(valid); i++) {
        assert_int_equal(check_guarded(g, valid[i].s, valid[i].len), valid[i].len);
        const char *at = guard_put(g, valid[i].s, valid[i].len);
        size_t n = as_utf8_seq_len((const unsigned char *)at, valid[i].len);
        assert_true(n >= 1 && n <= valid[i].len);
    }
    assert_int_equal(as_utf8_check(guard_put(g, "", 0), 0), 0);
}

static void test_as_utf8_every_scalar_value_is_valid(void **state)
{
    guard *g = *state;
    unsigned char b[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n = encode(cp, b);
        const char *at = guard_put(g, b, n);
        if (as_utf8_check(at, n) != n || as_utf8_seq_len((const unsigned char *)at, n) != n)
            fail_msg("U+%04X (%zu bytes) rejected", (unsigned)cp, n);
    }
}

/* p[0..n) is invalid at offset 0 by itself and after an ASCII prefix. */
static void assert_invalid_seq(guard *g, const unsigned char *p, size_t n)
{
    unsigned char buf[16] = "abc";
    if (check_guarded(g, p, n) != 0)
        fail_msg("%02X %02X %02X %02X (%zu bytes) accepted", p[0], n > 1 ? p[1] : 0,
                 n > 2 ? p[2] : 0, n > 3 ? p[3] : 0, n);
    assert_int_equal(as_utf8_seq_len(p, n), 0);
    memcpy(buf + 3, p, n);
    assert_int_equal(check_guarded(g, buf, n + 3), 3);
}

static void test_as_utf8_rejects_every_overlong_form(void **state)
{
    guard *g = *state;
    unsigned char b[4];
    /* 2 bytes: C0 and C1 leads encode U+0000..U+007F */
    for (unsigned lead = 0xC0; lead <= 0xC1; lead++)
        for (unsigned c1 = 0x80; c1 <= 0xBF; c1++) {
            b[0] = (unsigned char)lead;
            b[1] = (unsigned char)c1;
            assert_invalid_seq(g, b, 2);
        }
    /* 3 bytes: E0 80..9F xx encode U+0000..U+07FF */
    for (unsigned c1 = 0x80; c1 <= 0x9F; c1++)
        for (unsigned c2 = 0x80; c2 <= 0xBF; c2++) {
            b[0] = 0xE0;
            b[1] = (unsigned char)c1;
            b[2] = (unsigned char)c2;
            assert_invalid_seq(g, b, 3);
        }
    /* 4 bytes: F0 80..8F xx xx encode U+0000..U+FFFF */
    for (unsigned c1 = 0x80; c1 <= 0x8F; c1++)
        for (unsigned c2 = 0x80; c2 <= 0xBF; c2++)
            for (unsigned c3 = 0x80; c3 <= 0xBF; c3++) {
                b[0] = 0xF0;
                b[1] = (unsigned char)c1;
                b[2] = (unsigned char)c2;
                b[3] = (unsigned char)c3;
                assert_invalid_seq(g, b, 4);
            }
    /* the classic overlong slash and NUL */
    assert_invalid_seq(g, (const unsigned char *)"\xC0\xAF", 2);
    assert_invalid_seq(g, (const unsigned char *)"\xE0\x80\xAF", 3);
    assert_invalid_seq(g, (const unsigned char *)"\xF0\x80\x80\xAF", 4);
    assert_invalid_seq(g, (const unsigned char *)"\xC0\x80", 2);
}

static void test_as_utf8_rejects_surrogates(void **state)
{
    guard *g = *state;
    unsigned char b[4];
    for (uint32_t cp = 0xD800; cp <= 0xDFFF; cp++) {
        size_t n = encode(cp, b);
        assert_int_equal(n, 3);
        assert_invalid_seq(g, b, n);
    }
    /* a CESU-8 surrogate pair is two invalid sequences, not one character */
    assert_int_equal(check_guarded(g, "\xED\xA0\xBD\xED\xB8\x80", 6), 0);
}

static void test_as_utf8_rejects_above_max(void **state)
{
    guard *g = *state;
    unsigned char b[4] = { 0xF4, 0x90, 0x80, 0x80 };   /* U+110000 */
    for (unsigned c1 = 0x90; c1 <= 0xBF; c1++) {
        b[1] = (unsigned char)c1;
        assert_invalid_seq(g, b, 4);
    }
    b[1] = 0x80;
    for (unsigned lead = 0xF5; lead <= 0xFF; lead++) {  /* leads that can never start a scalar */
        b[0] = (unsigned char)lead;
        assert_invalid_seq(g, b, 4);
        assert_invalid_seq(g, b, 1);
    }
}

static void test_as_utf8_rejects_lone_continuation(void **state)
{
    guard *g = *state;
    for (unsigned c = 0x80; c <= 0xBF; c++) {
        unsigned char b[1] = { (unsigned char)c };
        assert_invalid_seq(g, b, 1);
    }
    /* one continuation too many after a valid character */
    assert_int_equal(check_guarded(g, "\xC3\xA9\xA9", 3), 2);
    assert_int_equal(check_guarded(g, "x\xE2\x82\xAC\x80y", 6), 4);
}

static void test_as_utf8_rejects_missing_continuation(void **state)
{
    guard *g = *state;
    /* a lead followed by a non-continuation byte, in the middle of input */
    assert_int_equal(check_guarded(g, "\xC3(", 2), 0);
    assert_int_equal(check_guarded(g, "ab\xE2\x28\xA1", 5), 2);
    assert_int_equal(check_guarded(g, "ab\xE2\x82\x28", 5), 2);
    assert_int_equal(check_guarded(g, "\xF0\x28\x8C\xBC", 4), 0);
    assert_int_equal(check_guarded(g, "\xF0\x90\x28\xBC", 4), 0);
    assert_int_equal(check_guarded(g, "\xF0\x90\x8C\x28", 4), 0);
    assert_int_equal(check_guarded(g, "\xC3\xC3\xA9", 3), 0);
}

static void test_as_utf8_truncated_at_end_of_input(void **state)
{
    guard *g = *state;
    unsigned char b[4], buf[32];
    /* every lead byte with its smallest valid continuation, cut short */
    for (unsigned lead = 0xC2; lead <= 0xF4; lead++) {
        b[0] = (unsigned char)lead;
        b[1] = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        b[2] = 0x80;
        b[3] = 0x80;
        size_t full = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        assert_int_equal(check_guarded(g, b, full), full);
        for (size_t cut = 1; cut < full; cut++) {
            assert_int_equal(check_guarded(g, b, cut), 0);
            const char *at = guard_put(g, b, cut);
            assert_int_equal(as_utf8_seq_len((const unsigned char *)at, cut), 0);
            /* after a prefix long enough to take the 8-byte fast path */
            for (size_t pre = 0; pre <= 17; pre++) {
                memset(buf, 'a', pre);
                memcpy(buf + pre, b, cut);
                assert_int_equal(check_guarded(g, buf, pre + cut), pre);
            }
        }
    }
}

static void test_as_utf8_fast_path_boundary(void **state)
{
    guard *g = *state;
    unsigned char buf[64];
    static const unsigned char bad[] = { 0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xFF };
    /* all-ASCII inputs of every length up to 64 end exactly at the guard */
    for (size_t len = 0; len <= sizeof buf; len++) {
        memset(buf, 'x', sizeof buf);
        assert_int_equal(check_guarded(g, buf, len), len);
    }
    /* an invalid byte at every position 0..32 of an ASCII buffer */
    for (size_t len = 1; len <= 40; len++)
        for (size_t pos = 0; pos <= 32 && pos < len; pos++)
            for (size_t k = 0; k < sizeof bad; k++) {
                memset(buf, 'x', sizeof buf);
                buf[pos] = bad[k];
                if (check_guarded(g, buf, len) != pos)
                    fail_msg("len %zu, byte %02X at %zu: got %zu", len, bad[k], pos,
                             as_utf8_check(guard_put(g, buf, len), len));
            }
    /* the fast path resumes after a valid multi-byte character */
    for (size_t pos = 0; pos <= 32; pos++) {
        memset(buf, 'x', sizeof buf);
        memcpy(buf + pos, "\xE2\x82\xAC", 3);
        assert_int_equal(check_guarded(g, buf, 48), 48);
        buf[47] = (char)0x80;
        assert_int_equal(check_guarded(g, buf, 48), 47);
        buf[47] = 'x';
        size_t at = pos + 3 + pos % 9;   /* 0..8 ASCII bytes after the euro sign */
        buf[at] = (char)0xFF;
        assert_int_equal(check_guarded(g, buf, 48), at);
    }
}

static void test_as_utf8_seq_len_respects_avail(void **state)
{
    (void)state;
    const unsigned char euro[3] = { 0xE2, 0x82, 0xAC };
    assert_int_equal(as_utf8_seq_len(euro, 3), 3);
    assert_int_equal(as_utf8_seq_len(euro, 2), 0);
    assert_int_equal(as_utf8_seq_len(euro, 1), 0);
    assert_int_equal(as_utf8_seq_len((const unsigned char *)"A", 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_utf8_boundary_code_points),
        cmocka_unit_test(test_as_utf8_every_scalar_value_is_valid),
        cmocka_unit_test(test_as_utf8_rejects_every_overlong_form),
        cmocka_unit_test(test_as_utf8_rejects_surrogates),
        cmocka_unit_test(test_as_utf8_rejects_above_max),
        cmocka_unit_test(test_as_utf8_rejects_lone_continuation),
        cmocka_unit_test(test_as_utf8_rejects_missing_continuation),
        cmocka_unit_test(test_as_utf8_truncated_at_end_of_input),
        cmocka_unit_test(test_as_utf8_fast_path_boundary),
        cmocka_unit_test(test_as_utf8_seq_len_respects_avail),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
