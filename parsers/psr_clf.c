/* psr_clf.c: Apache/nginx access-log tokenizer (see psr_clf.h and
 * docs/formats.md, "combined / common").
 *
 * The "robust split" of docs/domain.md 3.1, anchored on the one token whose
 * shape never varies, the time:
 *   1. memchr for a '[' at the line start or after a space and followed by a
 *      digit: the time token (a '[' elsewhere, as in "[::1]:80", is skipped);
 *   2. left of it, space-separated groups (a token, a quoted string, or
 *      tokens joined by ", "), assigned from the right: user, ident; what
 *      remains is the client, and with two or more groups left a plain first
 *      token is the vhost. The usual case (no quotes, at most 64 bytes) is
 *      classified 16 bytes at a time with SSE2 and split with bit masks, which
 *      took the split from ~35% of a scan to ~20% (branch mispredictions on
 *      varying token lengths, bench_clf); anything else, and every error, goes
 *      byte by byte through the class table (psr_clf_scan_scalar always does,
 *      so tests and the fuzzer compare the two);
 *   3. the time itself at fixed offsets (no sscanf/strptime): digits checked
 *      one by one, the month by a perfect hash, the instant by
 *      as_time_from_civil;
 *   4. right of it: the quoted request, status, bytes, then optional quoted
 *      referer and user agent, then anything else as `extra`. mod_ssl's
 *      ssl_request_log (time first, then client, protocol, cipher, request,
 *      bytes) is recognised by the empty left side.
 * A quoted field ends at a '"' preceded by an even number of backslashes
 * (Apache writes \" for a quote, nginx \x22) and followed by a space or the
 * end of the line; any other '"' is content (PSR_CLF_BARE_QUOTE), which keeps
 * lines from old or custom formats with unescaped quotes readable.
 * Bytes are classified by one 256-entry table built by the compiler from the
 * rules below (no hand-kept table). Errors are returned with the position of
 * the first problem found; the column is that position + 1. Nothing is
 * allocated; quoted fields keep their escapes (psr_clf_unescape*).
 */
#include "parsers/psr_clf.h"

#include <string.h>  /* memchr, memcpy, memmove, memcmp */
#if defined(__SSE2__)
#include <emmintrin.h>  /* SSE2 (every x86-64): the text before the time, 16 bytes at a time */
#endif

/* ---- byte classes ---- */

enum {
    CLS_TOK    = 1u << 0, /* in an ident, user, TLS or extra token: 0x21..0x7e except '"', and 0x80..0xff */
    CLS_NOHOST = 1u << 1, /* NOT in a client or vhost, which hold ALNUM . : - _ % [ ] / , */
    CLS_METHOD = 1u << 2, /* RFC 9110 tchar, the bytes of a method name */
    CLS_COMMA  = 1u << 3, /* ',' (marks a proxy list) */
};

#define CLF_IS_ALNUM(c) \
    (((c) >= '0' && (c) <= '9') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z'))
#define CLF_CLS(c)                                                                                \
    ((((c) > 0x20 && (c) < 0x7f && (c) != '"') || (c) >= 0x80 ? CLS_TOK : 0) |                   \
     (CLF_IS_ALNUM(c) || (c) == '.' || (c) == ':' || (c) == '-' || (c) == '_' || (c) == '%' ||    \
              (c) == '[' || (c) == ']' || (c) == '/' || (c) == ','                                \
          ? 0                                                                                     \
          : CLS_NOHOST) |                                                                         \
     (CLF_IS_ALNUM(c) || (c) == '!' || (c) == '#' || (c) == '$' || (c) == '%' || (c) == '&' ||    \
              (c) == '\'' || (c) == '*' || (c) == '+' || (c) == '-' || (c) == '.' || (c) == '^' || \
              (c) == '_' || (c) == '`' || (c) == '|' || (c) == '~'                                \
          ? CLS_METHOD                                                                            \
          : 0) |                                                                                  \
     ((c) == ',' ? CLS_COMMA : 0))
#define CLF_R4(c)  CLF_CLS(c), CLF_CLS((c) + 1), CLF_CLS((c) + 2), CLF_CLS((c) + 3)
#define CLF_R16(c) CLF_R4(c), CLF_R4((c) + 4), CLF_R4((c) + 8), CLF_R4((c) + 12)
#define CLF_R64(c) CLF_R16(c), CLF_R16((c) + 16), CLF_R16((c) + 32), CLF_R16((c) + 48)

static const unsigned char k_cls[256] = { CLF_R64(0), CLF_R64(64), CLF_R64(128), CLF_R64(192) };

static inline unsigned cls_of(char c)
{
    return k_cls[(unsigned char)c];
}

/* The digit value of c, or > 9 when c is not a digit. */
static inline unsigned dig(char c)
{
    return (unsigned)(unsigned char)c - '0';
}

/* ---- time ---- */

/* Month abbreviations by perfect hash: (lower-cased 3 bytes, little-endian
 * packed) * CLF_MONTH_MUL >> 28 is distinct for the 12 names (found by search;
 * the test suite checks every name and case). Unused slots hold key 0, which
 * no folded input equals (folding sets bit 5 of each byte). */
#define CLF_MONTH_MUL 26596u
#define CLF_MONTH_KEY(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)

typedef struct clf_month { uint32_t key; uint32_t month; } clf_month;

#define CLF_MONTH_SLOT(a, b, c) ((CLF_MONTH_KEY(a, b, c) * CLF_MONTH_MUL) >> 28)
static const clf_month k_months[16] = {
    [CLF_MONTH_SLOT('j', 'a', 'n')] = { CLF_MONTH_KEY('j', 'a', 'n'), 1 },
    [CLF_MONTH_SLOT('f', 'e', 'b')] = { CLF_MONTH_KEY('f', 'e', 'b'), 2 },
    [CLF_MONTH_SLOT('m', 'a', 'r')] = { CLF_MONTH_KEY('m', 'a', 'r'), 3 },
    [CLF_MONTH_SLOT('a', 'p', 'r')] = { CLF_MONTH_KEY('a', 'p', 'r'), 4 },
    [CLF_MONTH_SLOT('m', 'a', 'y')] = { CLF_MONTH_KEY('m', 'a', 'y'), 5 },
    [CLF_MONTH_SLOT('j', 'u', 'n')] = { CLF_MONTH_KEY('j', 'u', 'n'), 6 },
    [CLF_MONTH_SLOT('j', 'u', 'l')] = { CLF_MONTH_KEY('j', 'u', 'l'), 7 },
    [CLF_MONTH_SLOT('a', 'u', 'g')] = { CLF_MONTH_KEY('a', 'u', 'g'), 8 },
    [CLF_MONTH_SLOT('s', 'e', 'p')] = { CLF_MONTH_KEY('s', 'e', 'p'), 9 },
    [CLF_MONTH_SLOT('o', 'c', 't')] = { CLF_MONTH_KEY('o', 'c', 't'), 10 },
    [CLF_MONTH_SLOT('n', 'o', 'v')] = { CLF_MONTH_KEY('n', 'o', 'v'), 11 },
    [CLF_MONTH_SLOT('d', 'e', 'c')] = { CLF_MONTH_KEY('d', 'e', 'c'), 12 },
};

/* "dd/Mon/yyyy:HH:MM:SS" + ".fffffffff" + " +hhmm" + "]" */
#define CLF_TIME_MIN     26u /* shortest text between the brackets */
#define CLF_TIME_MAX     36u /* longest: with 9 fraction digits */
#define CLF_TIME_READ    40u /* bytes time_parse may look at (CLF_TIME_MAX + ']', rounded up) */
#define CLF_FRAC_DIGITS  9u  /* nanoseconds */

/* Parses the time text at t, which has CLF_TIME_READ readable bytes (the
 * caller pads a short tail with NULs, which match nothing). *stop gets the
 * byte after the offset on success, the offending byte on failure: the first
 * wrong byte, or the first byte of a field whose value is out of range. */
static inline as_code time_parse(const char *t, as_time *out, const char **stop, unsigned *variant)
{
#define CLF_TIME_FAIL(off)          \
    do {                            \
        *stop = t + (off);          \
        return AS_ERR_BAD_TIME;     \
    } while (0)
#define CLF_TIME_DIGIT(off, v)                    \
    do {                                          \
        unsigned d_ = dig(t[off]);                \
        if (AS_UNLIKELY(d_ > 9))                  \
            CLF_TIME_FAIL(off);                   \
        (v) = (v) * 10 + d_;                      \
    } while (0)
#define CLF_TIME_SEP(off, ch)                     \
    do {                                          \
        if (AS_UNLIKELY(t[off] != (ch)))          \
            CLF_TIME_FAIL(off);                   \
    } while (0)

    unsigned day = 0, year = 0, hour = 0, min = 0, sec = 0, oh = 0, om = 0;
    CLF_TIME_DIGIT(0, day);
    CLF_TIME_DIGIT(1, day);
    if (AS_UNLIKELY(day < 1 || day > 31))
        CLF_TIME_FAIL(0);
    CLF_TIME_SEP(2, '/');
    uint32_t key = CLF_MONTH_KEY((unsigned char)t[3], (unsigned char)t[4], (unsigned char)t[5]) | 0x202020u;
    const clf_month *m = &k_months[(key * CLF_MONTH_MUL) >> 28];
    if (AS_UNLIKELY(m->key != key))
        CLF_TIME_FAIL(3);
    CLF_TIME_SEP(6, '/');
    CLF_TIME_DIGIT(7, year);
    CLF_TIME_DIGIT(8, year);
    CLF_TIME_DIGIT(9, year);
    CLF_TIME_DIGIT(10, year);
    CLF_TIME_SEP(11, ':');
    CLF_TIME_DIGIT(12, hour);
    CLF_TIME_DIGIT(13, hour);
    if (AS_UNLIKELY(hour > 23))
        CLF_TIME_FAIL(12);
    CLF_TIME_SEP(14, ':');
    CLF_TIME_DIGIT(15, min);
    CLF_TIME_DIGIT(16, min);
    if (AS_UNLIKELY(min > 59))
        CLF_TIME_FAIL(15);
    CLF_TIME_SEP(17, ':');
    CLF_TIME_DIGIT(18, sec);
    CLF_TIME_DIGIT(19, sec);
    if (AS_UNLIKELY(sec > 60))   /* 60: a leap second as some logs write it */
        CLF_TIME_FAIL(18);

    unsigned o = 20;
    int32_t nsec = 0;
    if (AS_UNLIKELY(t[20] == '.')) {
        unsigned n = 0;
        for (o = 21; n < CLF_FRAC_DIGITS && dig(t[o]) <= 9; o++, n++)
            nsec = nsec * 10 + (int32_t)dig(t[o]);
        if (n == 0)
            CLF_TIME_FAIL(21);
        for (; n < CLF_FRAC_DIGITS; n++)
            nsec *= 10;
        *variant |= PSR_CLF_TIME_FRACTION;
    }
    CLF_TIME_SEP(o, ' ');
    int sign = t[o + 1] == '-' ? -1 : 1;
    if (AS_UNLIKELY(t[o + 1] != '+' && t[o + 1] != '-'))
        CLF_TIME_FAIL(o + 1);
    CLF_TIME_DIGIT(o + 2, oh);
    CLF_TIME_DIGIT(o + 3, oh);
    CLF_TIME_DIGIT(o + 4, om);
    CLF_TIME_DIGIT(o + 5, om);
    if (AS_UNLIKELY(oh > 23 || om > 59))
        CLF_TIME_FAIL(o + 1);
    /* every field is in range except possibly the day for its month (Feb 30) */
    if (AS_UNLIKELY(as_time_from_civil((int64_t)year, m->month, day, hour, min, sec, nsec,
                                       sign * (int)(oh * 60 + om), 0, out) != 0))
        CLF_TIME_FAIL(0);
    *stop = t + o + 6;
    return AS_OK;
#undef CLF_TIME_FAIL
#undef CLF_TIME_DIGIT
#undef CLF_TIME_SEP
}

/* time_parse over [t, end): in place when CLF_TIME_READ bytes are there (the
 * usual case: the request follows), else on a NUL-padded copy. On failure
 * *stop is at most end (the record ended inside the time). */
static inline as_code time_at(const char *t, const char *end, as_time *out, const char **stop,
                              unsigned *variant)
{
    if (AS_LIKELY((size_t)(end - t) >= CLF_TIME_READ))
        return time_parse(t, out, stop, variant);
    char pad[CLF_TIME_READ] = { 0 };
    memcpy(pad, t, (size_t)(end - t));
    const char *s;
    as_code rc = time_parse(pad, out, &s, variant);
    *stop = t + (s - pad);
    if (*stop > end)
        *stop = end;
    return rc;
}

as_code psr_clf_time(as_slice text, as_time *out)
{
    if (text.len < CLF_TIME_MIN || text.len > CLF_TIME_MAX)
        return AS_ERR_BAD_TIME;
    const char *stop;
    unsigned variant = 0;
    as_time t;
    if (time_at(text.ptr, text.ptr + text.len, &t, &stop, &variant) != AS_OK || stop != text.ptr + text.len)
        return AS_ERR_BAD_TIME;
    *out = t;
    return AS_OK;
}

/* ---- quoted fields ---- */

/* q0 is an opening quote in [.., end). Returns its closing quote: a '"'
 * preceded by an even number of backslashes and followed by a space or end.
 * Other quotes are content (PSR_CLF_BARE_QUOTE). On failure returns NULL with
 * *at = the byte after the first bare quote (a space was expected there), or
 * the opening quote when there was none (the field is not closed). */
static inline const char *quote_close(const char *q0, const char *end, unsigned *variant, const char **at)
{
    const char *const s = q0 + 1;
    const char *q = s, *bare = NULL;
    for (;;) {
        q = memchr(q, '"', (size_t)(end - q));
        if (AS_UNLIKELY(q == NULL)) {
            *at = bare ? bare + 1 : q0;
            return NULL;
        }
        if (AS_UNLIKELY(q[-1] == '\\')) {
            const char *b = q - 1;   /* the backslash run is [b, q) */
            while (b > s && b[-1] == '\\')
                b--;
            if (((size_t)(q - b) & 1u) != 0) {
                q++;                 /* escaped: \" */
                continue;
            }
        }
        if (AS_LIKELY(q + 1 == end || q[1] == ' '))
            return q;
        if (bare == NULL)
            bare = q;
        *variant |= PSR_CLF_BARE_QUOTE;
        q++;
    }
}

/* ---- left of the time: vhost, client, ident, user ---- */

enum {
    GRP_QUOTED  = 1u << 0, /* a quoted string */
    GRP_LIST    = 1u << 1, /* holds a comma */
    GRP_NONHOST = 1u << 2, /* holds a CLS_NOHOST byte (a space inside quotes excepted) */
};

typedef struct clf_group {
    const char *b, *e;  /* raw extent, quotes included */
    unsigned    kind;   /* GRP_* */
} clf_group;

/* The first byte of g that may not appear in a client or vhost. */
static const char *group_bad_host_byte(const clf_group *g)
{
    const char *p = g->b, *e = g->e;
    if (g->kind & GRP_QUOTED) {
        p++;
        e--;
    }
    for (; p < e; p++)
        if ((cls_of(*p) & CLS_NOHOST) && !(*p == ' ' && (g->kind & GRP_QUOTED)))
            return p;
    return g->b;   /* not reached for a GRP_NONHOST group */
}

/* Splits [beg, sp) (sp: the space before the time) into groups, byte by
 * byte; finds every error. Returns AS_OK with g[0..*n_out), or an error with
 * *at. */
static as_code left_groups_scalar(const char *beg, const char *sp, psr_clf *o, const char **at, clf_group *g,
                                  size_t *n_out)
{
    size_t n = 0;
    const char *p = beg;
    while (p < sp) {              /* p: the first byte of a group, not a space */
        if (AS_UNLIKELY(n == PSR_CLF_MAX_LEFT_GROUPS)) {
            *at = p;
            return AS_ERR_BAD_VALUE;
        }
        clf_group *gr = &g[n++];
        gr->b = p;
        gr->kind = 0;
        if (AS_UNLIKELY(*p == '"')) {
            const char *q = quote_close(p, sp, &o->variant, at);
            if (q == NULL)
                return AS_ERR_SYNTAX;
            gr->kind = GRP_QUOTED;
            for (const char *c = p + 1; c < q; c++) {
                unsigned k = cls_of(*c);
                if ((k & CLS_NOHOST) && *c != ' ')
                    gr->kind |= GRP_NONHOST;
                if (k & CLS_COMMA)
                    gr->kind |= GRP_LIST;
            }
            p = q + 1;
        } else {
            unsigned any = 0, k;
            for (;;) {            /* one token, or tokens joined by ", " */
                const char *t = p;
                while ((k = cls_of(*p)) & CLS_TOK) {  /* stops at *sp, a space, at the latest */
                    any |= k;
                    p++;
                }
                if (AS_UNLIKELY(p == t || (p < sp && *p != ' '))) {
                    *at = p;      /* an empty token (two spaces), a quote or a control byte */
                    return *p == ' ' || *p == '"' ? AS_ERR_SYNTAX : AS_ERR_BAD_VALUE;
                }
                if (p[-1] == ',' && sp - p >= 2 && p[1] != ' ' && p[1] != '"') {
                    p++;          /* "a, b": the list goes on */
                    continue;
                }
                break;
            }
            if (any & CLS_COMMA)
                gr->kind |= GRP_LIST;
            if (any & CLS_NOHOST)
                gr->kind |= GRP_NONHOST;
        }
        gr->e = p;
        if (p < sp) {             /* *p == ' ' */
            p++;
            if (AS_UNLIKELY(p == sp || *p == ' ')) {
                *at = p;          /* two spaces */
                return AS_ERR_SYNTAX;
            }
        }
    }
    if (AS_UNLIKELY(n == 0)) {
        *at = beg;                /* the line starts with " [" */
        return AS_ERR_SYNTAX;
    }
    *n_out = n;
    return AS_OK;
}

#if defined(__SSE2__)
/* The classes of 16 bytes at p as bit masks (bit i = byte i). Host bytes are
 * [-./0-9:] (one range), letters, and % , _ [ ]; a byte below 0x21, 0x7f or
 * '"' is not a token byte (bad). */
static inline void masks16(const char *p, unsigned *space, unsigned *comma, unsigned *nohost, unsigned *bad)
{
    const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
#define CLF_EQ(c)      _mm_cmpeq_epi8(x, _mm_set1_epi8((char)(c)))
#define CLF_GE(v, c)   _mm_cmpeq_epi8(_mm_max_epu8((v), _mm_set1_epi8((char)(c))), (v))
#define CLF_LE(v, c)   _mm_cmpeq_epi8(_mm_min_epu8((v), _mm_set1_epi8((char)(c))), (v))
    const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    const __m128i ranges = _mm_or_si128(_mm_and_si128(CLF_GE(x, '-'), CLF_LE(x, ':')),
                                        _mm_and_si128(CLF_GE(lower, 'a'), CLF_LE(lower, 'z')));
    const __m128i singles = _mm_or_si128(_mm_or_si128(CLF_EQ('%'), CLF_EQ(',')),
                                         _mm_or_si128(CLF_EQ('_'), _mm_or_si128(CLF_EQ('['), CLF_EQ(']'))));
    const __m128i host = _mm_or_si128(ranges, singles);
    const __m128i tok = _mm_andnot_si128(_mm_or_si128(CLF_EQ(0x7f), CLF_EQ('"')), CLF_GE(x, 0x21));
    const __m128i sp = CLF_EQ(' ');
    *space = (unsigned)_mm_movemask_epi8(sp);
    *comma = (unsigned)_mm_movemask_epi8(CLF_EQ(','));
    *nohost = (unsigned)_mm_movemask_epi8(host) ^ 0xffffu;
    *bad = ((unsigned)_mm_movemask_epi8(_mm_or_si128(tok, sp))) ^ 0xffffu;
#undef CLF_EQ
#undef CLF_GE
#undef CLF_LE
}

#define CLF_SIMD_LEFT_MAX 64u /* bytes before the time the vector path takes (one 64-bit mask) */

/* Bits 0 .. n-1 set (n <= 64 is the whole mask). */
static inline uint64_t low_bits(size_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* The same split as left_groups_scalar for the usual case, 16 bytes at a
 * time without a branch per byte: no quotes, no control bytes, single
 * spaces, at most CLF_SIMD_LEFT_MAX bytes, and 16-byte loads that stay
 * before end. Returns 1 with g[0..*n_out), or 0 when the scalar path must
 * decide (it also finds every error). */
static inline int left_groups_sse2(const char *beg, const char *sp, const char *end, clf_group *g, size_t *n_out)
{
    const size_t len = (size_t)(sp - beg);
    const size_t n_chunks = (len + 15) / 16;
    if (len == 0 || len > CLF_SIMD_LEFT_MAX || (size_t)(end - beg) < n_chunks * 16)
        return 0;
    uint64_t space = 0, comma = 0, nohost = 0, bad = 0;
    for (size_t i = 0; i < n_chunks; i++) {
        unsigned s, c, h, b;
        masks16(beg + 16 * i, &s, &c, &h, &b);
        space |= (uint64_t)s << (16 * i);
        comma |= (uint64_t)c << (16 * i);
        nohost |= (uint64_t)h << (16 * i);
        bad |= (uint64_t)b << (16 * i);
    }
    const uint64_t valid = low_bits(len);
    space &= valid;
    if ((bad & valid) != 0 || (space & 1u) != 0 || (space & (space >> 1)) != 0 || ((space >> (len - 1)) & 1u) != 0)
        return 0;
    uint64_t rest = space & ~(comma << 1);       /* the separators: ", " joins a list */
    nohost &= ~space;                            /* spaces inside a list are separators */
    size_t b = 0, n = 0;
    for (;;) {                                   /* a group ends at each separator, the last at len */
        if (n == PSR_CLF_MAX_LEFT_GROUPS)
            return 0;
        const size_t e = rest ? (size_t)__builtin_ctzll(rest) : len;
        const uint64_t span = low_bits(e) & ~low_bits(b);
        g[n].b = beg + b;
        g[n].e = beg + e;
        g[n].kind = ((comma & span) ? GRP_LIST : 0u) | ((nohost & span) ? GRP_NONHOST : 0u);
        n++;
        if (rest == 0)
            break;
        rest &= rest - 1;
        b = e + 1;
    }
    *n_out = n;
    return 1;
}
#endif

/* How scan_impl splits the text before the time (an lz4-style directive:
 * psr_clf_scan_scalar exists so that tests and the fuzzer check both). */
typedef enum clf_simd { CLF_SIMD_AUTO, CLF_SIMD_NONE } clf_simd;

/* Splits [beg, sp) (sp: the space before the time; end: the record's end)
 * into groups and assigns them: vhost, client, ident, user. Returns AS_OK or
 * an error with *at. */
static as_code scan_left(const char *beg, const char *sp, const char *end, psr_clf *o, const char **at,
                         clf_simd simd)
{
    clf_group g[PSR_CLF_MAX_LEFT_GROUPS];
    size_t n = 0;
#if defined(__SSE2__)
    if (!(simd == CLF_SIMD_AUTO && left_groups_sse2(beg, sp, end, g, &n)))
#else
    (void)simd;
    (void)end;
#endif
    {
        as_code rc = left_groups_scalar(beg, sp, o, at, g, &n);
        if (rc != AS_OK)
            return rc;
    }

    /* from the right: user, ident; what remains is the client, and a plain
     * first token before a client is the vhost */
    size_t c0 = 0, c1 = 0;        /* the client is groups c0..c1 */
    if (n >= 3) {
        c1 = n - 3;
        o->variant |= PSR_CLF_HAS_IDENT | PSR_CLF_HAS_USER;
    } else if (n == 2) {
        o->variant |= PSR_CLF_HAS_USER;
    }
    if (n >= 4 && !(g[0].kind & (GRP_QUOTED | GRP_LIST))) {
        c0 = 1;
        if (AS_UNLIKELY(g[0].kind & GRP_NONHOST)) {
            *at = group_bad_host_byte(&g[0]);
            return AS_ERR_BAD_VALUE;
        }
        o->vhost = as_slice_from(g[0].b, g[0].e);
        o->variant |= PSR_CLF_VHOST;
    }
    unsigned kinds = 0;
    for (size_t i = c0; i <= c1; i++) {
        if (AS_UNLIKELY(g[i].kind & GRP_NONHOST)) {
            *at = group_bad_host_byte(&g[i]);
            return AS_ERR_BAD_VALUE;
        }
        kinds |= g[i].kind;
    }
    if (AS_UNLIKELY(kinds & GRP_QUOTED)) {
        o->variant |= PSR_CLF_QUOTED_CLIENT;
        if (c0 == c1 && g[c0].e - g[c0].b == 2) {
            *at = g[c0].b;        /* "": an empty client */
            return AS_ERR_BAD_VALUE;
        }
        if (c0 == c1)
            o->client = as_slice_from(g[c0].b + 1, g[c0].e - 1);
        else
            o->client = as_slice_from(g[c0].b, g[c1].e);
    } else {
        o->client = as_slice_from(g[c0].b, g[c1].e);
    }
    if ((kinds & GRP_LIST) || c1 > c0)
        o->variant |= PSR_CLF_CLIENT_LIST;
    for (size_t i = c1 + 1; i < n; i++) {
        if (AS_UNLIKELY(g[i].kind & GRP_QUOTED)) {
            *at = g[i].b;         /* a quoted ident or user */
            return AS_ERR_BAD_VALUE;
        }
    }
    if (n >= 2)
        o->user = as_slice_from(g[n - 1].b, g[n - 1].e);
    if (n >= 3)
        o->ident = as_slice_from(g[n - 2].b, g[n - 2].e);
    return AS_OK;
}

/* ---- right of the time ---- */

/* METHOD SP target SP HTTP/d[.d] -> method, path, protocol. The target may
 * hold spaces (some clients send them unencoded); the method must be tchars. */
static inline void split_request(psr_clf *o)
{
    const char *r = o->request.ptr;
    size_t n = o->request.len, i = 0;
    while (i < n && (cls_of(r[i]) & CLS_METHOD))
        i++;
    if (i == 0 || r[i] != ' ')   /* i < n here, as the loop stopped at a non-tchar */
        return;
    /* the protocol is the last 8 ("HTTP/1.1") or 6 ("HTTP/2") bytes, after a space */
    const char *end = r + n;
    size_t pl = n >= 8 && end[-2] == '.' ? 8 : 6;
    if (n < i + 3 + pl || r[i + 1] == ' ')
        return;
    const char *pr = end - pl, *ls = pr - 1;
    if (*ls != ' ' || ls[-1] == ' ' || memcmp(pr, "HTTP/", 5) != 0 || dig(pr[5]) > 9 ||
        (pl == 8 && dig(pr[7]) > 9))
        return;
    o->method = as_slice_make(r, i);
    o->path = as_slice_from(r + i + 1, ls);
    o->protocol = as_slice_from(pr, end);
    o->variant |= PSR_CLF_SPLIT;
}

/* A token of bytes with all of the classes in want and none in avoid, from
 * p, ended by a space (which must follow). Returns the space, or NULL with *at
 * (SYNTAX: empty or at the end; BAD_VALUE: a byte not allowed). */
static inline const char *token_then_space(const char *p, const char *end, unsigned want, unsigned avoid,
                                           const char **at, as_code *rc)
{
    const char *t = p;
    while (p < end && (cls_of(*p) & (want | avoid)) == want)
        p++;
    if (p < end && *p == ' ' && p > t)
        return p;
    *at = p;
    *rc = p == end || p == t ? AS_ERR_SYNTAX : AS_ERR_BAD_VALUE;
    return NULL;
}

/* Status at p (< end): exactly 3 digits, 100..599, then a space (the bytes
 * must follow). Returns the space. */
static inline const char *scan_status(const char *p, const char *end, uint16_t *status, const char **at,
                                      as_code *rc)
{
    if (AS_LIKELY(end - p >= 4 && p[3] == ' ')) {
        unsigned a = dig(p[0]), b = dig(p[1]), c = dig(p[2]);
        unsigned v = a * 100 + b * 10 + c;
        if (AS_LIKELY(a <= 9 && b <= 9 && c <= 9 && v >= 100 && v <= 599)) {
            *status = (uint16_t)v;
            return p + 3;
        }
    }
    const char *t = p;            /* slow path: which error, where */
    while (t < end && *t != ' ')
        t++;
    *rc = AS_ERR_BAD_VALUE;
    *at = p;
    if (t == p) {
        *rc = AS_ERR_SYNTAX;      /* two spaces: no status */
    } else if (t == p + 3 && t == end && dig(p[0]) <= 9 && dig(p[1]) <= 9 && dig(p[2]) <= 9 &&
               p[0] >= '1' && p[0] <= '5') {
        *rc = AS_ERR_SYNTAX;      /* a good status, then the end: no bytes */
        *at = end;
    }
    return NULL;
}

#define CLF_BYTES_SAFE_DIGITS 18 /* 10^18 - 1 < 2^63: that many digits cannot overflow int64 */

/* Bytes: "-" (-1) or decimal digits fitting int64, then a space or the end. */
static inline const char *scan_bytes(const char *p, const char *end, int64_t *bytes, const char **at,
                                     as_code *rc)
{
    const char *t = p;
    if (*p == '-') {
        p++;
        *bytes = -1;
    } else {
        uint64_t v = 0;
        unsigned d;
        const char *safe = end - p > CLF_BYTES_SAFE_DIGITS ? p + CLF_BYTES_SAFE_DIGITS : end;
        while (p < safe && (d = dig(*p)) <= 9) {  /* no overflow possible yet */
            v = v * 10 + d;
            p++;
        }
        while (p < end && (d = dig(*p)) <= 9) {   /* the 19th digit on: checked */
            if (v > ((uint64_t)INT64_MAX - d) / 10) {
                *at = t;
                *rc = AS_ERR_BAD_VALUE;
                return NULL;
            }
            v = v * 10 + d;
            p++;
        }
        *bytes = (int64_t)v;
    }
    if (AS_LIKELY(p > t && (p == end || *p == ' ')))
        return p;
    *at = t;
    *rc = *t == ' ' ? AS_ERR_SYNTAX : AS_ERR_BAD_VALUE;
    return NULL;
}

/* Extra tokens [p, end): single-space separated, quoted ones closed. */
static const char *scan_extra(const char *p, const char *end, unsigned *variant, const char **at)
{
    while (p < end) {
        if (*p == '"') {
            const char *q = quote_close(p, end, variant, at);
            if (q == NULL)
                return NULL;
            p = q + 1;
        } else if (*p == ' ') {
            *at = p;              /* two spaces */
            return NULL;
        } else {
            const char *q = memchr(p, ' ', (size_t)(end - p));
            p = q ? q : end;
        }
        if (p < end)
            p++;                  /* the space; end was trimmed, so a token follows */
    }
    return p;
}

/* ---- the record ---- */

/* Empties every field a record may lack. Field by field, not `= {0}`: the
 * compiler turns a whole-struct clear into `rep stos`, whose start-up cost was
 * ~10% of a scan (perf, bench_clf); time, time_text, client, request and bytes
 * are always written before AS_OK. */
static inline void clear_fields(psr_clf *o)
{
    const as_slice none = { NULL, 0 };
    o->vhost = none;
    o->ident = none;
    o->user = none;
    o->method = none;
    o->path = none;
    o->protocol = none;
    o->referer = none;
    o->user_agent = none;
    o->tls_protocol = none;
    o->tls_cipher = none;
    o->extra = none;
    o->status = 0;
    o->variant = 0;
}

static inline as_code scan_impl(as_slice line, psr_clf *out, uint64_t *err_col, clf_simd simd)
{
    const char *const beg = line.ptr;
    const char *end = beg + line.len;
    const char *at = beg, *p;
    as_code rc = AS_ERR_SYNTAX;

    clear_fields(out);
    if (AS_UNLIKELY(line.len == 0)) {
        rc = AS_ERR_BAD_TIME;
        goto fail;
    }
    while (end > beg && (end[-1] == ' ' || end[-1] == '\r'))
        end--;

    /* 1. the time token */
    const char *lb = NULL, *first = NULL;
    for (p = beg; p < end;) {
        const char *b = memchr(p, '[', (size_t)(end - p));
        if (b == NULL)
            break;
        if (b == beg || b[-1] == ' ') {
            if (first == NULL)
                first = b;
            if (b + 1 < end && dig(b[1]) <= 9) {
                lb = b;
                break;
            }
        }
        p = b + 1;
    }
    if (AS_UNLIKELY(lb == NULL)) {
        at = first ? first : beg;
        rc = AS_ERR_BAD_TIME;
        goto fail;
    }

    /* 2. left of it */
    if (AS_LIKELY(lb > beg)) {
        rc = scan_left(beg, lb - 1, end, out, &at, simd);
        if (AS_UNLIKELY(rc != AS_OK))
            goto fail;
    }

    /* 3. the time */
    const char *stop;
    rc = time_at(lb + 1, end, &out->time, &stop, &out->variant);
    if (AS_UNLIKELY(rc != AS_OK)) {
        at = stop;
        goto fail;
    }
    if (AS_UNLIKELY(stop == end || *stop != ']')) {
        at = stop;
        rc = AS_ERR_BAD_TIME;
        goto fail;
    }
    out->time_text = as_slice_from(lb + 1, stop);
    p = stop + 1;

    /* 4. right of it */
    rc = AS_ERR_SYNTAX;
    if (AS_UNLIKELY(p == end || *p != ' ')) {
        at = p;                   /* apache_logs:4031 `+0000]"`, :9952 `+0000])"` */
        goto fail;
    }
    p++;
    if (AS_UNLIKELY(*p != '"')) {
        if (lb != beg) {
            at = p;               /* apache_logs:8897 `] (X11; U; ) ...` */
            goto fail;
        }
        /* ssl_request_log: %t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b */
        const char *s = token_then_space(p, end, CLS_TOK, CLS_NOHOST, &at, &rc);
        if (s == NULL)
            goto fail;
        out->client = as_slice_from(p, s);
        p = s + 1;
        if ((s = token_then_space(p, end, CLS_TOK, 0, &at, &rc)) == NULL)
            goto fail;
        out->tls_protocol = as_slice_from(p, s);
        p = s + 1;
        if ((s = token_then_space(p, end, CLS_TOK, 0, &at, &rc)) == NULL)
            goto fail;
        out->tls_cipher = as_slice_from(p, s);
        p = s + 1;
        rc = AS_ERR_SYNTAX;
        if (*p != '"') {
            at = p;
            goto fail;
        }
        out->variant |= PSR_CLF_SSL_REQUEST;
    } else if (AS_UNLIKELY(lb == beg)) {
        at = beg;                 /* no client before the time */
        goto fail;
    }

    const char *q = quote_close(p, end, &out->variant, &at);
    if (AS_UNLIKELY(q == NULL))
        goto fail;
    out->request = as_slice_from(p + 1, q);
    split_request(out);
    p = q + 1;
    if (AS_UNLIKELY(p == end)) {
        at = p;
        goto fail;
    }
    p++;                          /* the space after the closing quote */
    if (AS_LIKELY(!(out->variant & PSR_CLF_SSL_REQUEST))) {
        if ((p = scan_status(p, end, &out->status, &at, &rc)) == NULL)
            goto fail;
        p++;
    }
    if ((p = scan_bytes(p, end, &out->bytes, &at, &rc)) == NULL)
        goto fail;
    if (p == end)
        return AS_OK;             /* common */

    rc = AS_ERR_SYNTAX;
    p++;                          /* the space after the bytes */
    if (*p == '"') {
        if ((q = quote_close(p, end, &out->variant, &at)) == NULL)
            goto fail;
        out->referer = as_slice_from(p + 1, q);
        out->variant |= PSR_CLF_HAS_REFERER;
        p = q + 1;
        if (p < end && p[1] == '"') {
            p++;
            if ((q = quote_close(p, end, &out->variant, &at)) == NULL)
                goto fail;
            out->user_agent = as_slice_from(p + 1, q);
            out->variant |= PSR_CLF_HAS_USER_AGENT | PSR_CLF_COMBINED;
            p = q + 1;
        }
        if (p == end)
            return AS_OK;
        p++;
    }
    if (AS_UNLIKELY(scan_extra(p, end, &out->variant, &at) == NULL))
        goto fail;
    out->extra = as_slice_from(p, end);
    out->variant |= PSR_CLF_EXTRA;
    return AS_OK;

fail:
    if (err_col != NULL)
        *err_col = (uint64_t)(at - beg) + 1;
    return rc;
}

as_code psr_clf_scan(as_slice line, psr_clf *out, uint64_t *err_col)
{
    return scan_impl(line, out, err_col, CLF_SIMD_AUTO);
}

as_code psr_clf_scan_scalar(as_slice line, psr_clf *out, uint64_t *err_col)
{
    return scan_impl(line, out, err_col, CLF_SIMD_NONE);
}

/* ---- decoding escapes ---- */

static inline unsigned hex_val(char c)
{
    unsigned d = dig(c);
    if (d <= 9)
        return d;
    unsigned l = ((unsigned)(unsigned char)c | 0x20u) - 'a';
    return l <= 5 ? l + 10 : 16;
}

size_t psr_clf_unescape_to(as_slice raw, char *dst)
{
    const char *p = raw.ptr, *end = raw.ptr + raw.len;
    char *o = dst;
    while (p < end) {
        const char *b = memchr(p, '\\', (size_t)(end - p));
        size_t run = (size_t)((b ? b : end) - p);
        if (o != p)
            memmove(o, p, run);   /* in place, o trails p */
        o += run;
        p += run;
        if (b == NULL)
            break;
        if (end - p < 2) {
            *o++ = *p++;          /* a lone trailing backslash */
            break;
        }
        char c = p[1], v;
        switch (c) {
        case '"':  v = '"';  break;
        case '\\': v = '\\'; break;
        case 'n':  v = '\n'; break;
        case 't':  v = '\t'; break;
        case 'r':  v = '\r'; break;
        case 'b':  v = '\b'; break;
        case 'v':  v = '\v'; break;
        case 'f':  v = '\f'; break;
        case 'x':
            if (end - p >= 4 && hex_val(p[2]) < 16 && hex_val(p[3]) < 16) {
                *o++ = (char)(hex_val(p[2]) << 4 | hex_val(p[3]));
                p += 4;
                continue;
            }
            /* fall through */
        default:
            *o++ = *p++;          /* unknown: the backslash stays, the byte after it is copied next */
            continue;
        }
        *o++ = v;
        p += 2;
    }
    return (size_t)(o - dst);
}

as_code psr_clf_unescape(as_slice raw, as_buf *out)
{
    if (as_buf_reserve(out, raw.len) != 0)
        return AS_ERR_NOMEM;
    size_t n = raw.len ? psr_clf_unescape_to(raw, out->data + out->len) : 0;
    out->len += n;
    out->data[out->len] = '\0';
    return AS_OK;
}

as_code psr_clf_unescape_view(as_slice raw, as_arena *ar, as_slice *out)
{
    if (raw.len == 0 || memchr(raw.ptr, '\\', raw.len) == NULL) {
        *out = raw;
        return AS_OK;
    }
    char *d = as_arena_alloc(ar, raw.len, 1);
    if (d == NULL)
        return AS_ERR_NOMEM;
    *out = as_slice_make(d, psr_clf_unescape_to(raw, d));
    return AS_OK;
}

/* ---- client lists ---- */

int psr_clf_client_next(as_slice *rest, as_slice *addr)
{
    const char *p = rest->ptr, *end = rest->ptr + rest->len;
    while (p < end && (*p == ' ' || *p == ',' || *p == '"'))
        p++;
    const char *s = p;
    while (p < end && *p != ' ' && *p != ',' && *p != '"')
        p++;
    *rest = as_slice_from(p, end);
    if (p == s)
        return 0;
    *addr = as_slice_from(s, p);
    return 1;
}
