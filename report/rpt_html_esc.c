/* rpt_html_esc.c: the HTML escaper and the writer helpers of the report
 * (see rpt_html.h and rpt_html_int.h), apart from the document so that the
 * part every model byte goes through can be read and reviewed on its own.
 *
 * rpt_html_escape scans runs of plain ASCII and copies them whole; it stops
 * only at markup characters, control characters and non-ASCII bytes. Plain
 * is printable ASCII other than & < > " ', plus TAB and LF.
 */
#include "report/rpt_html_int.h"

#include <inttypes.h>  /* PRIu64, PRIX32 */
#include <stdio.h>     /* snprintf */

/* ---- the writer ---- */

void rpt_hw_put(rpt_hw *w, const char *p, size_t n)
{
    if (n && as_buf_append(w->out, p, n) != 0)
        w->failed = 1;
}

void rpt_hw_lit(rpt_hw *w, const char *s)
{
    rpt_hw_put(w, s, strlen(s));
}

void rpt_hw_fmt(rpt_hw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (as_buf_vprintf(w->out, fmt, ap) != 0)
        w->failed = 1;
    va_end(ap);
}

void rpt_hw_esc(rpt_hw *w, as_slice s)
{
    int64_t r = rpt_html_escape(w->out, s);
    if (r < 0)
        w->failed = 1;
    else
        w->replaced += (uint64_t)r;
}

void rpt_hw_esc_cut(rpt_hw *w, as_slice s, size_t max)
{
    if (s.len <= max) {
        rpt_hw_esc(w, s);
        return;
    }
    size_t n = max;
    while (n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
        n--;                                  /* back to the start of a character */
    rpt_hw_esc(w, as_slice_make(s.ptr, n));
    rpt_hw_lit(w, "\xE2\x80\xA6");           /* … */
}

void rpt_hw_u64(rpt_hw *w, uint64_t v)
{
    char d[32], o[40];
    int n = snprintf(d, sizeof d, "%" PRIu64, v);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            o[k++] = ',';
        o[k++] = d[i];
    }
    rpt_hw_put(w, o, k);
}

void rpt_hw_dec1(rpt_hw *w, int64_t tenths)
{
    if (tenths < 0) {
        rpt_hw_put(w, "-", 1);
        tenths = -tenths;
    }
    if (tenths % 10)
        rpt_hw_fmt(w, "%" PRId64 ".%d", tenths / 10, (int)(tenths % 10));
    else
        rpt_hw_fmt(w, "%" PRId64, tenths / 10);
}

void rpt_hw_day(rpt_hw *w, int64_t day)
{
    int64_t y;
    unsigned m, d;
    as_civil_from_days(day, &y, &m, &d);
    rpt_hw_fmt(w, "%04" PRId64 "-%02u-%02u", y, m, d);
}

/* ---- the escaper ---- */

static inline int is_plain(unsigned char c)
{
    return (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') ||
           c == '\t' || c == '\n';
}

/* Characters that are valid UTF-8 but would hide or reorder text: C1
 * controls and the bidirectional embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069; a "Trojan Source" user name). Returns the
 * code point, or 0 when p[0..n) is an ordinary character. */
static uint32_t hidden_char(const unsigned char *p, size_t n)
{
    if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)
        return 0x80u + (p[1] - 0x80u);
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
        return 0x2000u + (p[2] - 0x80u);
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
        return 0x2040u + (p[2] - 0x80u);
    return 0;
}

int64_t rpt_html_escape(as_buf *out, as_slice s)
{
    int64_t replaced = 0;
    if (s.len == 0)
        return 0;
    if (as_buf_reserve(out, s.len) != 0)
        return -1;
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && is_plain(*p))
            p++;
        if (p > run && as_buf_append(out, run, (size_t)(p - run)) != 0)
            return -1;
        if (p >= end)
            break;
        unsigned c = *p;
        int rc;
        if (c < 0x80) {
            switch (c) {
            case '&':  rc = as_buf_append(out, "&amp;", 5); break;
            case '<':  rc = as_buf_append(out, "&lt;", 4); break;
            case '>':  rc = as_buf_append(out, "&gt;", 4); break;
            case '"':  rc = as_buf_append(out, "&quot;", 6); break;
            case '\'': rc = as_buf_append(out, "&#39;", 5); break;
            default: {
                /* a control character: its Unicode control picture (NUL as
                 * U+2400, CR as U+240D, DEL as U+2421), visible and harmless */
                char pic[3] = { '\xE2', '\x90', (char)(c == 0x7F ? 0xA1 : 0x80 + c) };
                rc = as_buf_append(out, pic, 3);
            }
            }
            p++;
        } else {
            size_t n = as_utf8_seq_len(p, (size_t)(end - p));
            uint32_t h = n ? hidden_char(p, n) : 0;
            if (n == 0) {
                rc = as_buf_append(out, "\xEF\xBF\xBD", 3);   /* U+FFFD, counted */
                replaced++;
                p++;
            } else if (h) {
                rc = as_buf_printf(out, "[U+%04" PRIX32 "]", h);
                p += n;
            } else {
                rc = as_buf_append(out, p, n);
                p += n;
            }
        }
        if (rc != 0)
            return -1;
    }
    return replaced;
}
