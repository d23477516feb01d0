/* fuzz_logfmt.c: libFuzzer target for parsers/psr_logfmt (key=value lines).
 *
 * The input is cut at line feeds (and also scanned whole, line feeds and
 * all); each line is scanned and the target checks what must hold for every
 * line, aborting on a violation so libFuzzer (or the replay runner of
 * `make test`) reports it:
 *   - an error is AS_ERR_SYNTAX or AS_ERR_BAD_VALUE with a column in
 *     1 .. len + 1; AS_ERR_BAD_VALUE only when more than
 *     PSR_LOGFMT_MAX_PAIRS pairs were written;
 *   - an accepted line has 1 .. PSR_LOGFMT_MAX_PAIRS pairs, at least one of
 *     them a real key=value; the lead, every key and every raw value is a
 *     slice of the line (before a final CR), in order, never overlapping;
 *     keys are non-empty and of key bytes only; a bare value has no space,
 *     tab or leading quote; a quoted value sits between two quotes and ends
 *     on an even run of backslashes;
 *   - psr_logfmt_find gives the first pair of each key;
 *   - psr_logfmt_unquote never grows a value, returns the raw slice when it
 *     has no backslash or is bare, and an arena copy otherwise;
 *   - round trip: the line rebuilt from the scan (the lead, then
 *     `key=value` for bare values, `key="value"` for quoted ones with their
 *     escapes kept, `key` for flags, one space apart, and a final CR, which
 *     the scanner drops) scans to the same lead and pairs. Only a tab ends a
 *     flag that opens a line without a lead (the lead is cut at the first
 *     space, pairs at a space or tab: `k<TAB>m=1` has the flag k, `k m=1`
 *     the lead k), so such a line is rebuilt with tabs.
 * Seeds: tests/fuzz/corpus/fuzz_logfmt/; kept crashers: tests/fuzz/regress/fuzz_logfmt/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort, malloc, free */
#include <string.h>  /* memchr, memcmp, memcpy */

#include "core/as.h"
#include "parsers/psr_logfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

static int is_key_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '@' || c == '/' || c == '-';
}

/* s lies in [lo, hi) (an empty slice may sit at hi). */
static int within(as_slice s, const char *lo, const char *hi)
{
    if (s.len == 0)
        return s.ptr == NULL || (s.ptr >= lo && s.ptr <= hi);
    return s.ptr >= lo && s.ptr + s.len <= hi;
}

/* Pairs written in the line: a rough upper bound on what the scanner saw,
 * for telling a legitimate AS_ERR_BAD_VALUE from a wrong one. */
static size_t count_tokens(as_slice line)
{
    size_t n = 0;
    for (size_t i = 0; i < line.len; i++)
        if (line.ptr[i] != ' ' && line.ptr[i] != '\t' && (i == 0 || line.ptr[i - 1] == ' ' || line.ptr[i - 1] == '\t'))
            n++;
    return n;
}

static void check_accepted(as_slice line, const psr_logfmt *r, as_arena *ar)
{
    const char *lo = line.ptr, *hi = line.ptr + line.len;
    if (hi > lo && hi[-1] == '\r')
        hi--;
    FUZZ_CHECK(r->n >= 1 && r->n <= PSR_LOGFMT_MAX_PAIRS);
    const char *at = lo;                         /* everything so far lies before it */
    if (r->lead.len) {
        FUZZ_CHECK(within(r->lead, lo, hi));
        FUZZ_CHECK(memchr(r->lead.ptr, '=', r->lead.len) == NULL && memchr(r->lead.ptr, ' ', r->lead.len) == NULL);
        at = r->lead.ptr + r->lead.len;
    }
    int real = 0;
    for (size_t i = 0; i < r->n; i++) {
        const psr_logfmt_pair *p = &r->pairs[i];
        FUZZ_CHECK(p->key.len > 0 && within(p->key, lo, hi) && p->key.ptr >= at);
        for (size_t k = 0; k < p->key.len; k++)
            FUZZ_CHECK(is_key_byte(p->key.ptr[k]));
        at = p->key.ptr + p->key.len;
        FUZZ_CHECK(within(p->value, lo, hi));
        if (p->quoted) {
            FUZZ_CHECK(p->value.ptr == at + 2 && at[0] == '=' && at[1] == '"');
            const char *q = p->value.ptr + p->value.len;
            FUZZ_CHECK(q < hi && *q == '"');
            size_t bs = 0;
            while (bs < p->value.len && q[-1 - (ptrdiff_t)bs] == '\\')
                bs++;
            FUZZ_CHECK(bs % 2 == 0);
            at = q + 1;
            FUZZ_CHECK(at == hi || *at == ' ' || *at == '\t');
            real = 1;
        } else if (p->value.ptr == at) {
            FUZZ_CHECK(p->value.len == 0);       /* a flag */
            FUZZ_CHECK(at == hi || *at == ' ' || *at == '\t');
        } else {
            FUZZ_CHECK(p->value.ptr == at + 1 && at[0] == '=');
            FUZZ_CHECK(p->value.len == 0 || p->value.ptr[0] != '"');
            FUZZ_CHECK(memchr(p->value.ptr, ' ', p->value.len) == NULL &&
                       memchr(p->value.ptr, '\t', p->value.len) == NULL);
            at = p->value.ptr + p->value.len;
            FUZZ_CHECK(at == hi || *at == ' ' || *at == '\t');
            real = 1;
        }
        FUZZ_CHECK(psr_logfmt_find(r, p->key) <= p && psr_logfmt_find(r, p->key) != NULL);
        FUZZ_CHECK(as_slice_eq(psr_logfmt_find(r, p->key)->key, p->key));

        as_slice u;
        FUZZ_CHECK(psr_logfmt_unquote(p, ar, &u) == AS_OK);
        FUZZ_CHECK(u.len <= p->value.len);
        if (!p->quoted || memchr(p->value.ptr, '\\', p->value.len) == NULL)
            FUZZ_CHECK(u.ptr == p->value.ptr && u.len == p->value.len);
        else
            FUZZ_CHECK(!within(u, lo, line.ptr + line.len) || u.len == 0);
    }
    FUZZ_CHECK(real);
    for (const char *t = at; t < hi; t++)
        FUZZ_CHECK(*t == ' ' || *t == '\t');     /* nothing after the last pair but blanks */
}

/* The line written again from its scan (see the top); returns its length. */
static size_t rebuild(const psr_logfmt *r, char *out)
{
    size_t n = 0;
    const char sep = r->lead.len == 0 && r->pairs[0].value.len == 0 && !r->pairs[0].quoted &&
                             r->pairs[0].value.ptr == r->pairs[0].key.ptr + r->pairs[0].key.len
                         ? '\t'
                         : ' ';
    if (r->lead.len) {
        memcpy(out, r->lead.ptr, r->lead.len);
        n = r->lead.len;
    }
    for (size_t i = 0; i < r->n; i++) {
        const psr_logfmt_pair *p = &r->pairs[i];
        if (n)
            out[n++] = sep;
        memcpy(out + n, p->key.ptr, p->key.len);
        n += p->key.len;
        int flag = !p->quoted && p->value.len == 0 && p->value.ptr == p->key.ptr + p->key.len;
        if (flag)
            continue;
        out[n++] = '=';
        if (p->quoted)
            out[n++] = '"';
        memcpy(out + n, p->value.ptr, p->value.len);
        n += p->value.len;
        if (p->quoted)
            out[n++] = '"';
    }
    out[n++] = '\r';
    return n;
}

static void check_round_trip(as_slice line, const psr_logfmt *r)
{
    char *buf = malloc(line.len + 4 * PSR_LOGFMT_MAX_PAIRS + 2);
    FUZZ_CHECK(buf != NULL);
    size_t n = rebuild(r, buf);
    FUZZ_CHECK(n <= line.len + 1);               /* only blanks were dropped, one CR added */
    psr_logfmt *s = malloc(sizeof *s);
    FUZZ_CHECK(s != NULL);
    uint64_t col = 0;
    FUZZ_CHECK(psr_logfmt_scan(as_slice_make(buf, n), s, &col) == AS_OK);
    FUZZ_CHECK(as_slice_eq(s->lead, r->lead) && s->n == r->n);
    for (size_t i = 0; i < r->n; i++) {
        FUZZ_CHECK(as_slice_eq(s->pairs[i].key, r->pairs[i].key));
        FUZZ_CHECK(as_slice_eq(s->pairs[i].value, r->pairs[i].value));
        FUZZ_CHECK(s->pairs[i].quoted == r->pairs[i].quoted);
    }
    free(s);
    free(buf);
}

static void check_line(as_slice line, as_arena *ar)
{
    psr_logfmt *r = malloc(sizeof *r);
    FUZZ_CHECK(r != NULL);
    uint64_t col = 0;
    as_code rc = psr_logfmt_scan(line, r, &col);
    if (rc != AS_OK) {
        FUZZ_CHECK(rc == AS_ERR_SYNTAX || rc == AS_ERR_BAD_VALUE);
        FUZZ_CHECK(col >= 1 && col <= line.len + 1);
        FUZZ_CHECK(rc != AS_ERR_BAD_VALUE || count_tokens(line) > PSR_LOGFMT_MAX_PAIRS);
        /* the same scan without an error column does not crash */
        FUZZ_CHECK(psr_logfmt_scan(line, r, NULL) == rc);
    } else {
        check_accepted(line, r, ar);
        check_round_trip(line, r);
    }
    free(r);
    as_arena_reset(ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_slice in = as_slice_make((const char *)data, size);
    as_arena ar;
    as_arena_init(&ar, 0);
    check_line(in, &ar);
    const char *p = in.ptr, *end = in.ptr + in.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        check_line(as_slice_from(p, e), &ar);
        p = nl ? nl + 1 : end;
    }
    as_arena_fini(&ar);
    return 0;
}
