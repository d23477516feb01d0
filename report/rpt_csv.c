/* rpt_csv.c: RFC 4180 CSV writer with spreadsheet-formula neutralisation
 * (see rpt.h). A cell is quoted only when it must be, so simple workpapers
 * stay readable in a text editor; rows end with CRLF as RFC 4180 says. */
#include "report/rpt.h"

#include <inttypes.h>  /* PRIu64 */
#include <stdio.h>     /* snprintf */

void rpt_csv_init(rpt_csv *c, as_buf *out)
{
    c->out = out;
    c->col = 0;
    c->neutralised = 0;
    c->replaced = 0;
    c->failed = 0;
}

static void put(rpt_csv *c, const void *p, size_t n)
{
    if (as_buf_append(c->out, p, n) != 0)
        c->failed = 1;
}

static void sep(rpt_csv *c)
{
    if (c->col++ > 0)
        put(c, ",", 1);
}

static int needs_quotes(as_slice s)
{
    if (s.len && (s.ptr[0] == ' ' || s.ptr[s.len - 1] == ' '))
        return 1;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n')
            return 1;
    }
    return 0;
}

void rpt_csv_text(rpt_csv *c, as_slice s)
{
    sep(c);
    int formula = s.len && (s.ptr[0] == '=' || s.ptr[0] == '+' || s.ptr[0] == '-' ||
                            s.ptr[0] == '@' || s.ptr[0] == '\t' || s.ptr[0] == '\r');
    int quote = needs_quotes(s) || formula;
    if (quote)
        put(c, "\"", 1);
    if (formula) {
        put(c, "'", 1);
        c->neutralised++;
    }
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p != '"' && *p < 0x80)
            p++;
        if (p > run)
            put(c, run, (size_t)(p - run));
        if (p >= end)
            break;
        if (*p == '"') {
            put(c, "\"\"", 2);
            p++;
            continue;
        }
        size_t n = as_utf8_seq_len(p, (size_t)(end - p));
        if (n == 0) {
            put(c, "\xEF\xBF\xBD", 3);   /* U+FFFD, visibly replaced and counted */
            c->replaced++;
            p++;
        } else {
            put(c, p, n);
            p += n;
        }
    }
    if (quote)
        put(c, "\"", 1);
}

void rpt_csv_cstr(rpt_csv *c, const char *s)
{
    rpt_csv_text(c, as_slice_cstr(s ? s : ""));
}

void rpt_csv_u64(rpt_csv *c, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRIu64, v);
    sep(c);
    put(c, t, (size_t)n);
}

void rpt_csv_i64(rpt_csv *c, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRId64, v);
    sep(c);
    put(c, t, (size_t)n);
}

void rpt_csv_end_row(rpt_csv *c)
{
    put(c, "\r\n", 2);
    c->col = 0;
}
