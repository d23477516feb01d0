/* eng_split.c: line splitting and record validation (see eng_split.h).
 *
 * Validation fuses the NUL search and the ASCII test in one pass, 16 bytes at
 * a time with SSE2 (x86-64 baseline) or 8 at a time in the scalar fallback;
 * only records with a non-ASCII byte pay for the full UTF-8 decoder. */
#include "engine/eng_split.h"

#include <string.h>  /* memchr, memcpy */

#if defined(__SSE2__)
#  include <emmintrin.h>  /* _mm_loadu_si128, _mm_cmpeq_epi8, _mm_movemask_epi8 */
#endif

#define HI_BITS  0x8080808080808080ull
#define LO_BITS  0x0101010101010101ull

as_code eng_validate_scalar(const char *p, size_t n)
{
    uint64_t hi = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if ((w - LO_BITS) & ~w & HI_BITS)
            return AS_ERR_NUL_BYTE;
        hi |= w;
    }
    for (; i < n; i++) {
        if (p[i] == '\0')
            return AS_ERR_NUL_BYTE;
        hi |= (uint64_t)(unsigned char)p[i];
    }
    if ((hi & HI_BITS) && as_utf8_check(p, n) != n)
        return AS_ERR_INVALID_UTF8;
    return AS_OK;
}

as_code eng_validate(const char *p, size_t n)
{
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    unsigned hi = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)))
            return AS_ERR_NUL_BYTE;
        hi |= (unsigned)_mm_movemask_epi8(v);
    }
    for (; i < n; i++) {
        if (p[i] == '\0')
            return AS_ERR_NUL_BYTE;
        hi |= (unsigned char)p[i] & 0x80u;
    }
    if (hi && as_utf8_check(p, n) != n)
        return AS_ERR_INVALID_UTF8;
    return AS_OK;
#else
    return eng_validate_scalar(p, n);
#endif
}

uint32_t eng_validate_col(const char *p, size_t n)
{
    const char *nul = memchr(p, '\0', n);
    size_t at = nul ? (size_t)(nul - p) : as_utf8_check(p, n);
    /* the column in the record's first line (a QUOTED record may span lines) */
    const char *lf = memrchr(p, '\n', at);
    size_t col = at - (lf ? (size_t)(lf - p) + 1 : 0) + 1;
    return lf ? 0 : (uint32_t)AS_MIN(col, UINT32_MAX);
}

void eng_split_init(eng_split *s, const char *data, size_t len, uint64_t base_offset,
                    uint64_t first_line, size_t max_record, uint32_t input, int last_partial)
{
    s->base = data;
    s->p = data;
    s->end = data + len;
    s->base_offset = base_offset;
    s->line = first_line;
    s->blank = 0;
    s->max_record = max_record;
    s->input = input;
    s->last_partial = last_partial;
    s->framing = ENG_FRAME_LINES;
}

const char *eng_split_quoted_scan(const char *p, const char *end, unsigned *in_quote, uint64_t *n_lf)
{
    unsigned q = *in_quote;
    uint64_t lf = 0;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        for (const char *c = p; (c = memchr(c, '"', (size_t)(stop - c))) != NULL; c++)
            q ^= 1u;
        if (nl == NULL || !q) {
            *in_quote = q;
            *n_lf = lf;
            return nl;
        }
        lf++;
        p = nl + 1;
    }
}

const char *eng_split_quoted_end(const char *p, const char *end, uint32_t *n_lines)
{
    unsigned q = 0;
    uint64_t lf;
    const char *nl = eng_split_quoted_scan(p, end, &q, &lf);
    uint64_t lines = lf + 1;
    if (nl == NULL && lf > 0 && end[-1] == '\n')
        lines = lf;            /* an open quote ran to a final line feed: no line after it */
    *n_lines = (uint32_t)AS_MIN(lines, UINT32_MAX);
    return nl;
}

size_t eng_split_last_boundary(eng_framing f, const char *p, size_t n)
{
    if (f != ENG_FRAME_QUOTED) {
        const char *nl = memrchr(p, '\n', n);
        return nl ? (size_t)(nl - p) + 1 : 0;
    }
    const char *q = p, *end = p + n;
    size_t last = 0;
    uint32_t lines;
    const char *nl;
    while (q < end && (nl = eng_split_quoted_end(q, end, &lines)) != NULL) {
        last = (size_t)(nl - p) + 1;
        q = nl + 1;
    }
    return last;
}

size_t eng_split_lines(eng_split *s, eng_item *out, size_t cap)
{
    const char *p = s->p, *const end = s->end;
    uint64_t line = s->line;
    size_t n = 0;
    const int quoted = s->framing == ENG_FRAME_QUOTED;
    while (n < cap && p < end) {
        uint32_t n_lines = 1;
        const char *nl = quoted ? eng_split_quoted_end(p, end, &n_lines)
                                : memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t len = (size_t)(stop - p);
        if (len > 0 && p[len - 1] == '\r')
            len--;                                   /* CRLF */
        if (len == 0) {
            s->blank++;
        } else {
            eng_item *it = &out[n++];
            it->rec = (as_rec){ .input = s->input, .n_lines = n_lines,
                                .offset = s->base_offset + (uint64_t)(p - s->base), .line = line,
                                .raw = { p, len }, .fmt = NULL, .state = NULL };
            it->col = 0;
            if (AS_UNLIKELY(len > s->max_record)) {
                it->code = AS_ERR_TOO_LONG;
            } else if (AS_UNLIKELY(nl == NULL && s->last_partial)) {
                it->code = AS_ERR_PARTIAL;
            } else {
                it->code = eng_validate(p, len);
                if (AS_UNLIKELY(it->code != AS_OK))
                    it->col = eng_validate_col(p, len);
            }
        }
        line += n_lines;
        p = nl ? nl + 1 : end;
    }
    s->p = p;
    s->line = line;
    return n;
}

uint64_t eng_split_count_lines(const char *data, size_t len)
{
    uint64_t n = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        n++;
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return n;
}
