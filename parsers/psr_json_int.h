/* psr_json_int.h: the scanning primitives psr_json.c (validation, iteration,
 * sniffing) and psr_json_get.c (paths, lookups) share. Private to parsers/.
 *
 * Every primitive takes a pj_dir directive (lz4 style): PJ_SIMD uses SSE2 when
 * the build targets it, PJ_SWAR is the portable 8-bytes-at-a-time version.
 * Both find exactly the same bytes; the public *_scan functions let tests and
 * the fuzzer run both. No primitive reads outside [p, end).
 *
 * The one tricky piece is pj_skip_container (skipping an object or array
 * without validating it): it takes 64 bytes at a time, builds bit masks of
 * quotes, backslashes, opening and closing brackets, removes escaped quotes,
 * turns the quote mask into an "inside a string" mask with a prefix XOR, and
 * counts brackets outside strings; only a block where the depth may reach zero
 * is walked bit by bit.
 */
#ifndef ASSAY_PSR_JSON_INT_H
#define ASSAY_PSR_JSON_INT_H

#include <string.h> /* memcpy, memchr */

#include "core/as.h"
#include "parsers/psr_json.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* SSE2: part of the x86-64 baseline */
#define PJ_HAVE_SSE2 1
#else
#define PJ_HAVE_SSE2 0
#endif

typedef enum pj_dir { PJ_SIMD, PJ_SWAR } pj_dir;

static inline pj_dir pj_dir_of(psr_json_scan s)
{
    return s == PSR_JSON_SCAN_PORTABLE ? PJ_SWAR : PJ_SIMD;
}

#define PJ_ALWAYS_INLINE inline __attribute__((always_inline))

/* ---- byte classes (psr_json.c) ---- */
enum {
    PJ_K_ERR = 0,   /* cannot start or continue anything here */
    PJ_K_WS,        /* space, tab, CR, LF */
    PJ_K_QUOTE,     /* " */
    PJ_K_OBJ,       /* { */
    PJ_K_ARR,       /* [ */
    PJ_K_NUM,       /* - or a digit */
    PJ_K_TRUE,      /* t */
    PJ_K_FALSE,     /* f */
    PJ_K_NULL,      /* n */
    PJ_K_OBJ_END,   /* } */
    PJ_K_ARR_END,   /* ] */
    PJ_K_COMMA,     /* , */
    PJ_K_COLON,     /* : */
};
extern const uint8_t psr_json__class[256];  /* PJ_K_* of each byte */
extern const uint8_t psr_json__hex[256];    /* hex digit value + 1; 0 = not a hex digit */
extern const uint8_t psr_json__vstop[256];  /* 1: '"', '\\', < 0x20, >= 0x80 */
extern const uint8_t psr_json__numch[256];  /* 1: digit . e E + - (number continuation) */

static inline int pj_is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline const char *pj_skip_ws(const char *p, const char *end)
{
    while (p < end && pj_is_ws((unsigned char)*p))
        p++;
    return p;
}

/* Skips a UTF-8 byte order mark at the start of a document. */
static inline const char *pj_skip_bom(const char *p, const char *end)
{
    if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        return p + 3;
    return p;
}

/* ---- SWAR helpers: exact per-byte tests, result in each byte's high bit ---- */
#define PJ_ONES  0x0101010101010101ull
#define PJ_HIGHS 0x8080808080808080ull
#define PJ_LOWS  0x7F7F7F7F7F7F7F7Full

static inline uint64_t pj_load64(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* high bit of each byte of x that equals c (no false positives: no carries) */
static inline uint64_t pj_swar_eq(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (PJ_ONES * c);
    return ~(((y & PJ_LOWS) + PJ_LOWS) | y) & PJ_HIGHS;
}

/* high bit of each byte below 0x20 or above 0x7F */
static inline uint64_t pj_swar_ctl_or_high(uint64_t x)
{
    return (x | ~((x & PJ_LOWS) + PJ_ONES * 0x60)) & PJ_HIGHS;
}

/* index of the first (lowest-address) byte flagged in a non-zero SWAR mask */
static inline unsigned pj_swar_first(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (unsigned)__builtin_clzll(m) >> 3;
#else
    return (unsigned)__builtin_ctzll(m) >> 3;
#endif
}

/* 8 byte flags (high bits) -> 8 bits, bit i = byte i (lowest address first) */
static inline uint64_t pj_swar_gather(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    m = __builtin_bswap64(m);
#endif
    return ((m >> 7) * 0x0102040810204080ull) >> 56;
}

/* ---- string scanning ---- */

/* First byte in [p, end) that is '"', '\\', a control byte or non-ASCII
 * (what validation must look at), or end. */
static PJ_ALWAYS_INLINE const char *pj_find_vstop(const char *p, const char *end, pj_dir d)
{
#if PJ_HAVE_SSE2
    if (d == PJ_SIMD) {
        const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), lim = _mm_set1_epi8(0x20);
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            /* signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them */
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)),
                                     _mm_cmplt_epi8(v, lim));
            unsigned mask = (unsigned)_mm_movemask_epi8(m);
            if (mask)
                return p + __builtin_ctz(mask);
            p += 16;
        }
    }
#else
    (void)d;
#endif
    while (end - p >= 8) {
        uint64_t x = pj_load64(p);
        uint64_t m = pj_swar_eq(x, '"') | pj_swar_eq(x, '\\') | pj_swar_ctl_or_high(x);
        if (m)
            return p + pj_swar_first(m);
        p += 8;
    }
    while (p < end && !psr_json__vstop[(unsigned char)*p])
        p++;
    return p;
}

/* First '"' or '\\' in [p, end), or end (lookups do not validate strings). */
static PJ_ALWAYS_INLINE const char *pj_find_qstop(const char *p, const char *end, pj_dir d)
{
#if PJ_HAVE_SSE2
    if (d == PJ_SIMD) {
        const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)));
            if (mask)
                return p + __builtin_ctz(mask);
            p += 16;
        }
    }
#else
    (void)d;
#endif
    while (end - p >= 8) {
        uint64_t x = pj_load64(p);
        uint64_t m = pj_swar_eq(x, '"') | pj_swar_eq(x, '\\');
        if (m)
            return p + pj_swar_first(m);
        p += 8;
    }
    while (p < end && *p != '"' && *p != '\\')
        p++;
    return p;
}

/* p is just after an opening quote. Returns the closing quote (not past it),
 * or NULL when the string does not end before end. Sets *has_esc when the
 * string holds a backslash. Escapes are not checked. */
static PJ_ALWAYS_INLINE const char *pj_string_end(const char *p, const char *end, int *has_esc,
                                                  pj_dir d)
{
    for (;;) {
        p = pj_find_qstop(p, end, d);
        if (p == end)
            return NULL;
        if (*p == '"')
            return p;
        *has_esc = 1;
        if (end - p < 2)
            return NULL;
        p += 2; /* the backslash and the byte it escapes */
    }
}

/* ---- skipping containers ---- */

#define PJ_BLOCK 64 /* bytes per mask block: one bit per byte in a uint64_t */

typedef struct pj_masks {
    uint64_t quote;  /* '"' */
    uint64_t bslash; /* '\\' */
    uint64_t open;   /* '{' or '[' */
    uint64_t close;  /* '}' or ']' */
} pj_masks;

static PJ_ALWAYS_INLINE void pj_block_masks(const char *p, pj_masks *m, pj_dir d)
{
#if PJ_HAVE_SSE2
    if (d == PJ_SIMD) {
        const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), lc = _mm_set1_epi8(0x20);
        const __m128i op = _mm_set1_epi8('{'), cl = _mm_set1_epi8('}');
        uint64_t mq = 0, mb = 0, mo = 0, mc = 0;
        for (size_t i = 0; i < 4; i++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
            __m128i f = _mm_or_si128(v, lc); /* '[' | 0x20 == '{', ']' | 0x20 == '}' */
            mq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * i);
            mb |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, b)) << (16 * i);
            mo |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(f, op)) << (16 * i);
            mc |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(f, cl)) << (16 * i);
        }
        m->quote = mq;
        m->bslash = mb;
        m->open = mo;
        m->close = mc;
        return;
    }
#else
    (void)d;
#endif
    uint64_t mq = 0, mb = 0, mo = 0, mc = 0;
    for (size_t i = 0; i < 8; i++) {
        uint64_t x = pj_load64(p + 8 * i), f = x | (PJ_ONES * 0x20);
        mq |= pj_swar_gather(pj_swar_eq(x, '"')) << (8 * i);
        mb |= pj_swar_gather(pj_swar_eq(x, '\\')) << (8 * i);
        mo |= pj_swar_gather(pj_swar_eq(f, '{')) << (8 * i);
        mc |= pj_swar_gather(pj_swar_eq(f, '}')) << (8 * i);
    }
    m->quote = mq;
    m->bslash = mb;
    m->open = mo;
    m->close = mc;
}

/* Bits of the bytes escaped by a backslash. *carry is 1 when the previous
 * block ended with an escaping backslash; it is updated for the next block.
 * Called only for blocks with a backslash or a carry (rare in logs). */
static inline uint64_t pj_escaped(uint64_t bs, uint64_t *carry)
{
    uint64_t esc = 0;
    if (*carry) {
        esc = 1;
        bs &= ~1ull;
    }
    *carry = 0;
    while (bs) {
        unsigned i = (unsigned)__builtin_ctzll(bs);
        if (i == 63) {
            *carry = 1;
            break;
        }
        esc |= 2ull << i;
        bs &= ~(3ull << i);
    }
    return esc;
}

/* Bits set in x. Inline bit arithmetic: the x86-64 baseline has no POPCNT and
 * __builtin_popcountll would be a call into libgcc (12% of a lookup). */
static inline uint64_t pj_popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (x * PJ_ONES) >> 56;
}

/* bit i = XOR of bits 0..i (inside-string mask from unescaped quotes) */
static inline uint64_t pj_prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* p is inside depth0 open containers, outside any string (depth0 = 0: at an
 * opening '{' or '['). Returns the byte after the bracket that closes the
 * outermost of them, or NULL when the input ends first. Brackets inside
 * strings do not count; the kinds of brackets are not matched ('{]' closes)
 * and nothing else is checked: validation is psr_json_validate's job. */
static inline const char *pj_skip_close(const char *p, const char *end, uint64_t depth0, pj_dir d)
{
    uint64_t depth = depth0, in_str = 0, carry = 0;
    const char *blk = p;
    char tail[PJ_BLOCK];
    while (blk < end) {
        pj_masks m;
        size_t avail = (size_t)(end - blk);
        if (avail >= PJ_BLOCK) {
            pj_block_masks(blk, &m, d);
        } else {
            memset(tail, ' ', sizeof tail); /* padding matches nothing */
            memcpy(tail, blk, avail);
            pj_block_masks(tail, &m, d);
        }
        uint64_t quote = m.quote;
        if (m.bslash | carry)
            quote &= ~pj_escaped(m.bslash, &carry);
        uint64_t inside = pj_prefix_xor(quote) ^ in_str;
        in_str = 0 - (inside >> 63); /* all ones when the block ends inside a string */
        uint64_t open = m.open & ~inside, close = m.close & ~inside;
        if ((open | close) == 0) {
            /* nothing structural in this block (inside a long string, say) */
        } else if (pj_popcount(close) < depth) {
            depth += pj_popcount(open) - pj_popcount(close); /* cannot reach 0 here */
        } else {
            uint64_t s = open | close;
            while (s) {
                uint64_t bit = s & (0 - s);
                if (open & bit) {
                    depth++;
                } else if (--depth == 0) {
                    return blk + __builtin_ctzll(bit) + 1;
                }
                s ^= bit;
            }
        }
        blk += PJ_BLOCK;
    }
    return NULL;
}

/* p points at '{' or '['. Returns the byte after the matching closing
 * bracket, or NULL when the input ends first (see pj_skip_close). */
static inline const char *pj_skip_container(const char *p, const char *end, pj_dir d)
{
    return pj_skip_close(p, end, 0, d);
}

/* ---- locations ---- */

/* Fills *e (when non-NULL) with code at byte off of doc, counting lines. */
void psr_json__locate(const char *doc, size_t off, psr_json_code code, psr_json_err *e);

/* Number of LF bytes in [p, end). */
static inline uint64_t pj_count_lf(const char *p, const char *end)
{
    uint64_t n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        n++;
        p = nl + 1;
    }
    return n;
}

#endif
