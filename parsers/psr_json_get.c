/* psr_json_get.c: compiled paths and on-demand lookups (see psr_json.h).
 *
 * psr_json_get_many walks the document once. At each object it reads every
 * key; a key that is the next segment of some still-active path is descended
 * into (recursively, at most PSR_JSON_PATH_MAX_SEGS deep) with the set of
 * paths it matches (a bit mask), and every other member's value is skipped:
 * strings to their closing quote, containers by pj_skip_container's bracket
 * counting, scalars to the next delimiter. Arrays count their elements the
 * same way, and once no wanted index remains the rest of the array is skipped
 * in one go. Because duplicate keys resolve to the last one, an object on the
 * path is always read to its end; a later duplicate first resets its paths
 * to missing, then resolves them again. Only the values that are returned
 * are decoded: strings with escapes into the arena, numbers without strtod
 * when the decimal value is exactly representable (Clinger's fast path: at
 * most 19 significant digits, mantissa <= 2^53, |exponent| <= 22), else with
 * strtod_l in the "C" locale on a NUL-terminated copy.
 */
#include "parsers/psr_json.h"

#include <locale.h> /* newlocale, freelocale: strtod without the process locale */
#include <stdlib.h> /* strtod_l */
#include <string.h> /* memchr, memcmp, memcpy */

#include "parsers/psr_json_int.h" /* scanners, byte classes */

/* ---- path compilation ---- */

static inline unsigned char pj_lower(unsigned char c)
{
    return (unsigned)(c - 'A') < 26 ? (unsigned char)(c | 0x20) : c;
}

static psr_json_code pj_path_fail(psr_json_code code, const char *s, const char *at, psr_json_err *e)
{
    if (e != NULL) {
        e->code = code;
        e->offset = (uint64_t)(at - s);
        e->line = 1;
        e->col = e->offset + 1;
    }
    return code;
}

psr_json_code psr_json_path_compile(psr_json_path *p, as_slice text, unsigned flags, psr_json_err *e)
{
    if (e != NULL)
        *e = (psr_json_err){ 0 };
    memset(p, 0, sizeof *p);
    p->flags = flags;
    if (text.len == 0 || text.ptr == NULL)
        return pj_path_fail(PSR_JSON_E_PATH_EMPTY, "", "", e);
    const char *s = text.ptr, *c = s, *end = s + text.len;
    size_t kused = 0;
    int want_key = *c != '['; /* a key segment comes next (start, or after '.') */
    while (c < end || want_key) {
        if (p->n_segs == PSR_JSON_PATH_MAX_SEGS)
            return pj_path_fail(PSR_JSON_E_PATH_LONG, s, c, e);
        psr_json_seg *sg = &p->segs[p->n_segs];
        sg->key_off = (uint16_t)kused;
        if (want_key) {
            const char *k = c;
            while (c < end && *c != '.' && *c != '[' && *c != ']') {
                if (kused == PSR_JSON_PATH_MAX_KEYS)
                    return pj_path_fail(PSR_JSON_E_PATH_LONG, s, c, e);
                unsigned char ch = (unsigned char)*c++;
                p->keys[kused++] = (char)((flags & PSR_JSON_PATH_ICASE) ? pj_lower(ch) : ch);
            }
            if (c < end && *c == ']')
                return pj_path_fail(PSR_JSON_E_PATH_CHAR, s, c, e);
            if (c == k)
                return pj_path_fail(PSR_JSON_E_PATH_KEY, s, c, e);
        } else { /* *c == '[' */
            c++;
            if (c < end && (unsigned)(*c - '0') < 10) {
                uint64_t v = 0;
                const char *dg = c;
                while (c < end && (unsigned)(*c - '0') < 10) {
                    v = v * 10 + (uint64_t)(*c - '0');
                    if (v > UINT32_MAX)
                        return pj_path_fail(PSR_JSON_E_PATH_INDEX, s, dg, e);
                    c++;
                }
                sg->is_index = 1;
                sg->index = (uint32_t)v;
            } else if (c < end && *c == '"') {
                const char *q = c++;
                while (c < end && *c != '"') {
                    if (*c == '\\') {
                        if (c + 1 == end)
                            return pj_path_fail(PSR_JSON_E_PATH_QUOTE, s, q, e);
                        if (c[1] != '"' && c[1] != '\\')
                            return pj_path_fail(PSR_JSON_E_PATH_ESCAPE, s, c, e);
                        c++;
                    }
                    if (kused == PSR_JSON_PATH_MAX_KEYS)
                        return pj_path_fail(PSR_JSON_E_PATH_LONG, s, c, e);
                    unsigned char ch = (unsigned char)*c++;
                    p->keys[kused++] = (char)((flags & PSR_JSON_PATH_ICASE) ? pj_lower(ch) : ch);
                }
                if (c == end)
                    return pj_path_fail(PSR_JSON_E_PATH_QUOTE, s, q, e);
                c++;
            } else {
                return pj_path_fail(PSR_JSON_E_PATH_OPEN, s, c, e);
            }
            if (c == end || *c != ']')
                return pj_path_fail(PSR_JSON_E_PATH_CLOSE, s, c, e);
            c++;
        }
        sg->key_len = (uint16_t)(kused - sg->key_off);
        p->n_segs++;
        want_key = 0;
        if (c == end)
            break;
        if (*c == '.') {
            c++;
            want_key = 1;
        } else if (*c != '[') {
            return pj_path_fail(PSR_JSON_E_PATH_AFTER, s, c, e);
        }
    }
    return PSR_JSON_OK;
}

/* ---- string decoding ---- */

static inline int pj_hex4v(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    unsigned a = psr_json__hex[(unsigned char)p[0]], b = psr_json__hex[(unsigned char)p[1]],
             c = psr_json__hex[(unsigned char)p[2]], d = psr_json__hex[(unsigned char)p[3]];
    if (!a || !b || !c || !d)
        return -1;
    return (int)(((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1));
}

static inline char *pj_put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Decodes the string body [p, end) (without quotes) into out, which has room
 * for cap bytes (the decoded text is never longer than the body). Returns the
 * decoded length, or SIZE_MAX on a bad escape or when cap is too small. */
static size_t pj_unescape(const char *p, const char *end, char *out, size_t cap)
{
    char *o = out, *const oend = out + cap;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        size_t run = (size_t)((bs ? bs : end) - p);
        if (run > (size_t)(oend - o))
            return SIZE_MAX;
        if (run)
            memcpy(o, p, run);
        o += run;
        if (bs == NULL)
            break;
        p = bs;
        if (end - p < 2 || o == oend)
            return SIZE_MAX;
        char c = p[1];
        switch (c) {
        case '"': case '\\': case '/': *o++ = c; p += 2; break;
        case 'b': *o++ = '\b'; p += 2; break;
        case 'f': *o++ = '\f'; p += 2; break;
        case 'n': *o++ = '\n'; p += 2; break;
        case 'r': *o++ = '\r'; p += 2; break;
        case 't': *o++ = '\t'; p += 2; break;
        case 'u': {
            int cp = pj_hex4v(p + 2, end);
            if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                return SIZE_MAX;
            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = (end - p >= 6 && p[0] == '\\' && p[1] == 'u') ? pj_hex4v(p + 2, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return SIZE_MAX;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            size_t need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if ((size_t)(oend - o) < need)
                return SIZE_MAX;
            o = pj_put_utf8(o, (uint32_t)cp);
            break;
        }
        default:
            return SIZE_MAX;
        }
    }
    return (size_t)(o - out);
}

/* ---- numbers ---- */

static const double k_pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define PJ_NUM_STACK 64              /* number text copied on the stack for strtod_l; longer: arena */
#define PJ_EXP_CAP   100000000       /* exponent digits saturate here: beyond +-308 anyway */

static inline int pj_digit(const char *p, const char *end)
{
    return p < end && (unsigned)(*p - '0') < 10;
}

/* Slow path: strtod in the "C" locale (the process locale must not matter). */
static int pj_strtod(const char *s, size_t len, as_arena *ar, double *out)
{
    char stackbuf[PJ_NUM_STACK], *buf = stackbuf;
    if (len >= sizeof stackbuf) {
        buf = ar ? as_arena_alloc(ar, len + 1, 1) : NULL;
        if (buf == NULL)
            return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    locale_t c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c_loc == (locale_t)0)
        return -1;
    *out = strtod_l(buf, NULL, c_loc);
    freelocale(c_loc);
    return 0;
}

/* Parses the number at p (grammar as in validation). Returns the byte after
 * it, or NULL when the grammar is violated (*code AS_ERR_SYNTAX) or memory runs
 * out (*code AS_ERR_NOMEM). */
static const char *pj_number(const char *p, const char *end, as_val *v, as_arena *ar, as_code *code)
{
    const char *s = p;
    int neg = 0, is_int = 1, trunc = 0;
    uint64_t m = 0;
    unsigned nd = 0;      /* significant digits in m */
    int64_t e10 = 0;      /* value = m * 10^e10 (when not truncated) */
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (!pj_digit(p, end))
        goto bad;
    if (*p == '0') {
        p++;
    } else {
        while (pj_digit(p, end)) {
            unsigned dg = (unsigned)(*p++ - '0');
            if (nd < 19) {
                m = m * 10 + dg;
                nd++;
            } else {
                e10++;
                trunc |= dg != 0;
            }
        }
    }
    if (p < end && *p == '.') {
        is_int = 0;
        p++;
        if (!pj_digit(p, end))
            goto bad;
        while (pj_digit(p, end)) {
            unsigned dg = (unsigned)(*p++ - '0');
            if (nd < 19) {
                m = m * 10 + dg;
                if (m != 0)
                    nd++;
                e10--;
            } else {
                trunc |= dg != 0;
            }
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        is_int = 0;
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (!pj_digit(p, end))
            goto bad;
        int64_t ex = 0;
        while (pj_digit(p, end)) {
            ex = ex * 10 + (*p++ - '0');
            if (ex > PJ_EXP_CAP)
                ex = PJ_EXP_CAP;
        }
        e10 += eneg ? -ex : ex;
    }
    if (p < end && psr_json__numch[(unsigned char)*p])
        goto bad;
    if (is_int && !trunc && e10 == 0) {
        /* up to 19 digits: m < 10^19 < 2^64 */
        if (neg && m <= (uint64_t)INT64_MAX + 1) {
            v->type = AS_V_INT;
            v->u.i = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
            return p;
        }
        if (!neg && m <= (uint64_t)INT64_MAX) {
            v->type = AS_V_INT;
            v->u.i = (int64_t)m;
            return p;
        }
    }
    v->type = AS_V_NUM;
    if (!trunc && m <= (1ull << 53) && e10 >= -22 && e10 <= 22) {
        double x = (double)m; /* exact, and so is 10^|e10|: one correctly rounded op */
        x = e10 < 0 ? x / k_pow10[-e10] : x * k_pow10[e10];
        v->u.num = neg ? -x : x;
        return p;
    }
    if (pj_strtod(s, (size_t)(p - s), ar, &v->u.num) != 0) {
        *code = AS_ERR_NOMEM;
        return NULL;
    }
    return p;
bad:
    *code = AS_ERR_SYNTAX;
    return NULL;
}

/* ---- lookups ---- */

typedef struct pj_get {
    const char                *end;      /* end of the document */
    const psr_json_path *const *paths;   /* the caller's paths */
    as_val                    *out;      /* their results */
    as_arena                  *ar;       /* decoded strings */
    uint64_t term_at[PSR_JSON_PATH_MAX_SEGS + 1]; /* paths ending at each depth */
    as_code                    err;      /* why a lookup stopped */
    pj_dir                     d;        /* scanner */
} pj_get;

static const char *pj_get_value(pj_get *g, const char *p, uint64_t active, unsigned depth);

static inline const char *pj_syntax(pj_get *g)
{
    if (g->err == AS_OK)
        g->err = AS_ERR_SYNTAX;
    return NULL;
}

/* Where a skipped scalar ends: white space or any structural byte, so that
 * skipping element by element and counting brackets agree on malformed
 * input (a lookup that walks more of a document never accepts more). */
static inline int pj_is_delim(unsigned char c)
{
    unsigned k = psr_json__class[c];
    return k == PJ_K_WS || k == PJ_K_COMMA || k == PJ_K_COLON || k == PJ_K_QUOTE || k == PJ_K_OBJ ||
           k == PJ_K_ARR || k == PJ_K_OBJ_END || k == PJ_K_ARR_END;
}

/* Skips any value at p (a non-white byte) without validating it. */
static inline const char *pj_skip_value(pj_get *g, const char *p)
{
    const char *end = g->end;
    switch (psr_json__class[(unsigned char)*p]) {
    case PJ_K_QUOTE: {
        int esc = 0;
        const char *q = g->d == PJ_SWAR ? pj_string_end(p + 1, end, &esc, PJ_SWAR)
                                        : pj_string_end(p + 1, end, &esc, PJ_SIMD);
        return q ? q + 1 : pj_syntax(g);
    }
    case PJ_K_OBJ:
    case PJ_K_ARR: {
        const char *q = g->d == PJ_SWAR ? pj_skip_container(p, end, PJ_SWAR)
                                        : pj_skip_container(p, end, PJ_SIMD);
        return q ? q : pj_syntax(g);
    }
    case PJ_K_NUM: case PJ_K_TRUE: case PJ_K_FALSE: case PJ_K_NULL:
        do
            p++;
        while (p < end && !pj_is_delim((unsigned char)*p));
        return p;
    default:
        return pj_syntax(g);
    }
}

/* Decodes the scalar at p into out[i] for every path i in term. */
static const char *pj_get_scalar(pj_get *g, const char *p, uint64_t term)
{
    const char *end = g->end, *q;
    as_val v = { .type = AS_V_MISSING };
    switch (psr_json__class[(unsigned char)*p]) {
    case PJ_K_QUOTE: {
        int esc = 0;
        const char *close = g->d == PJ_SWAR ? pj_string_end(p + 1, end, &esc, PJ_SWAR)
                                            : pj_string_end(p + 1, end, &esc, PJ_SIMD);
        if (close == NULL)
            return pj_syntax(g);
        v.type = AS_V_STR;
        v.u.str = as_slice_from(p + 1, close);
        if (esc) {
            size_t cap = (size_t)(close - (p + 1));
            char *buf = g->ar ? as_arena_alloc(g->ar, cap ? cap : 1, 1) : NULL;
            if (buf == NULL) {
                g->err = AS_ERR_NOMEM;
                return NULL;
            }
            size_t n = pj_unescape(p + 1, close, buf, cap);
            if (n == SIZE_MAX)
                return pj_syntax(g);
            v.u.str = as_slice_make(buf, n);
        }
        q = close + 1;
        break;
    }
    case PJ_K_NUM: {
        as_code code = AS_OK;
        q = pj_number(p, end, &v, g->ar, &code);
        if (q == NULL) {
            if (g->err == AS_OK)
                g->err = code;
            return NULL;
        }
        break;
    }
    case PJ_K_TRUE:
    case PJ_K_FALSE:
    case PJ_K_NULL: {
        static const char *const lit[] = { "true", "false", "null" };
        unsigned k = psr_json__class[(unsigned char)*p] - PJ_K_TRUE;
        size_t n = k == 1 ? 5 : 4;
        if ((size_t)(end - p) < n || memcmp(p, lit[k], n) != 0)
            return pj_syntax(g);
        v.type = k == 2 ? AS_V_NULL : AS_V_BOOL;
        v.u.b = k == 0;
        q = p + n;
        break;
    }
    default:
        return pj_syntax(g);
    }
    while (term) {
        g->out[__builtin_ctzll(term)] = v;
        term &= term - 1;
    }
    return q;
}

/* Which of the keyed paths have key [k, ke) (raw, escapes when esc) as their
 * segment at depth? */
static uint64_t pj_match(pj_get *g, const char *k, const char *ke, int esc, uint64_t keyed,
                         unsigned depth)
{
    char dec[PSR_JSON_PATH_MAX_KEYS];
    size_t klen = (size_t)(ke - k);
    if (esc) {
        size_t n = pj_unescape(k, ke, dec, sizeof dec);
        if (n == SIZE_MAX)
            return 0; /* undecodable, or longer than any path key: matches nothing */
        k = dec;
        klen = n;
    }
    uint64_t hit = 0;
    for (uint64_t s = keyed; s; s &= s - 1) {
        unsigned i = (unsigned)__builtin_ctzll(s);
        const psr_json_path *pa = g->paths[i];
        const psr_json_seg *sg = &pa->segs[depth];
        if (sg->key_len != klen)
            continue;
        const char *want = pa->keys + sg->key_off;
        if (pa->flags & PSR_JSON_PATH_ICASE) {
            size_t j = 0;
            while (j < klen && pj_lower((unsigned char)k[j]) == (unsigned char)want[j])
                j++;
            if (j == klen)
                hit |= 1ull << i;
        } else if (klen == 0 || memcmp(k, want, klen) == 0) {
            hit |= 1ull << i;
        }
    }
    return hit;
}

static inline void pj_reset(pj_get *g, uint64_t set)
{
    for (; set; set &= set - 1)
        g->out[__builtin_ctzll(set)].type = AS_V_MISSING;
}

/* p is at '{'; active paths continue with a segment at depth. */
static const char *pj_get_object(pj_get *g, const char *p, uint64_t active, unsigned depth)
{
    const char *end = g->end;
    uint64_t keyed = 0;
    for (uint64_t s = active; s; s &= s - 1) {
        unsigned i = (unsigned)__builtin_ctzll(s);
        if (!g->paths[i]->segs[depth].is_index)
            keyed |= 1ull << i;
    }
    p = pj_skip_ws(p + 1, end);
    if (p == end)
        return pj_syntax(g);
    if (*p == '}')
        return p + 1;
    for (;;) {
        if (*p != '"')
            return pj_syntax(g);
        int esc = 0;
        const char *k = p + 1;
        const char *ke = g->d == PJ_SWAR ? pj_string_end(k, end, &esc, PJ_SWAR)
                                         : pj_string_end(k, end, &esc, PJ_SIMD);
        if (ke == NULL)
            return pj_syntax(g);
        uint64_t hit = keyed ? pj_match(g, k, ke, esc, keyed, depth) : 0;
        p = ke + 1;
        if (AS_UNLIKELY(p == end || *p != ':')) {
            p = pj_skip_ws(p, end);
            if (p == end || *p != ':')
                return pj_syntax(g);
        }
        p = pj_skip_ws(p + 1, end);
        if (p == end)
            return pj_syntax(g);
        const char *q;
        if (hit) {
            pj_reset(g, hit); /* a later duplicate key replaces everything below it */
            q = pj_get_value(g, p, hit, depth + 1);
        } else {
            q = pj_skip_value(g, p);
        }
        if (q == NULL)
            return NULL;
        p = pj_skip_ws(q, end);
        if (p == end)
            return pj_syntax(g);
        if (*p == '}')
            return p + 1;
        if (*p != ',')
            return pj_syntax(g);
        p = pj_skip_ws(p + 1, end);
        if (p == end)
            return pj_syntax(g);
    }
}

/* p is at '['; active paths continue with a segment at depth. */
static const char *pj_get_array(pj_get *g, const char *p, uint64_t active, unsigned depth)
{
    const char *end = g->end, *open = p;
    uint64_t indexed = 0, max_index = 0;
    for (uint64_t s = active; s; s &= s - 1) {
        unsigned i = (unsigned)__builtin_ctzll(s);
        const psr_json_seg *sg = &g->paths[i]->segs[depth];
        if (sg->is_index) {
            indexed |= 1ull << i;
            if (sg->index > max_index)
                max_index = sg->index;
        }
    }
    if (indexed == 0) {
        const char *q = g->d == PJ_SWAR ? pj_skip_container(open, end, PJ_SWAR)
                                        : pj_skip_container(open, end, PJ_SIMD);
        return q ? q : pj_syntax(g);
    }
    p = pj_skip_ws(p + 1, end);
    if (p == end)
        return pj_syntax(g);
    if (*p == ']')
        return p + 1;
    for (uint64_t idx = 0;; idx++) {
        if (idx > max_index) { /* nothing more wanted here: skip to the ']' */
            const char *q = g->d == PJ_SWAR ? pj_skip_close(p, end, 1, PJ_SWAR)
                                            : pj_skip_close(p, end, 1, PJ_SIMD);
            return q ? q : pj_syntax(g);
        }
        uint64_t hit = 0;
        for (uint64_t s = indexed; s; s &= s - 1) {
            unsigned i = (unsigned)__builtin_ctzll(s);
            if (g->paths[i]->segs[depth].index == idx)
                hit |= 1ull << i;
        }
        const char *q = hit ? pj_get_value(g, p, hit, depth + 1) : pj_skip_value(g, p);
        if (q == NULL)
            return NULL;
        p = pj_skip_ws(q, end);
        if (p == end)
            return pj_syntax(g);
        if (*p == ']')
            return p + 1;
        if (*p != ',')
            return pj_syntax(g);
        p = pj_skip_ws(p + 1, end);
        if (p == end)
            return pj_syntax(g);
    }
}

/* The value at p (a non-white byte, or end) for the active paths, which
 * have resolved depth segments so far. Returns the byte after the value. */
static const char *pj_get_value(pj_get *g, const char *p, uint64_t active, unsigned depth)
{
    if (p == g->end)
        return pj_syntax(g);
    uint64_t term = active & g->term_at[depth], deeper = active & ~term;
    unsigned char c = (unsigned char)*p;
    if (c == '{' || c == '[') {
        const char *q;
        if (deeper)
            q = c == '{' ? pj_get_object(g, p, deeper, depth) : pj_get_array(g, p, deeper, depth);
        else
            q = g->d == PJ_SWAR ? pj_skip_container(p, g->end, PJ_SWAR)
                                : pj_skip_container(p, g->end, PJ_SIMD);
        if (q == NULL)
            return g->err == AS_OK ? pj_syntax(g) : NULL;
        for (; term; term &= term - 1) {
            as_val *o = &g->out[__builtin_ctzll(term)];
            o->type = AS_V_JSON;
            o->u.str = as_slice_from(p, q);
        }
        return q;
    }
    if (term)
        return pj_get_scalar(g, p, term);
    return pj_skip_value(g, p); /* deeper paths cross a scalar: missing */
}

as_code psr_json_get_many_scan(as_slice doc, const psr_json_path *const paths[], size_t n,
                               as_val out[], as_arena *ar, psr_json_scan scan)
{
    if (n > PSR_JSON_MANY_MAX || (n > 0 && (paths == NULL || out == NULL)))
        return AS_ERR_USAGE;
    for (size_t i = 0; i < n; i++)
        out[i].type = AS_V_MISSING;
    if (n == 0)
        return AS_OK;
    pj_get g = { .paths = paths, .out = out, .ar = ar, .err = AS_OK, .d = pj_dir_of(scan) };
    for (size_t i = 0; i < n; i++) {
        unsigned ns = paths[i] ? paths[i]->n_segs : 0;
        if (ns == 0 || ns > PSR_JSON_PATH_MAX_SEGS)
            return AS_ERR_USAGE; /* not a compiled path */
        g.term_at[ns] |= 1ull << i;
    }
    if (doc.ptr == NULL)
        doc.ptr = ""; /* NULL + 0 is undefined */
    const char *end = doc.ptr + doc.len;
    g.end = end;
    const char *p = pj_skip_ws(pj_skip_bom(doc.ptr, end), end);
    uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
    if (pj_get_value(&g, p, all, 0) == NULL) {
        for (size_t i = 0; i < n; i++)
            out[i].type = AS_V_MISSING;
        return g.err == AS_OK ? AS_ERR_SYNTAX : g.err;
    }
    return AS_OK;
}

as_code psr_json_get_many(as_slice doc, const psr_json_path *const paths[], size_t n, as_val out[],
                          as_arena *ar)
{
    return psr_json_get_many_scan(doc, paths, n, out, ar, PSR_JSON_SCAN_BEST);
}

as_code psr_json_get_root(as_slice doc, as_val *out, as_arena *ar)
{
    /* one path of no segments: it ends at depth 0, so pj_get_value decodes
     * the value there and never looks at the (empty) path */
    static const psr_json_path k_root = { 0 };
    const psr_json_path *one[1] = { &k_root };
    pj_get g = { .paths = one, .out = out, .ar = ar, .err = AS_OK, .d = PJ_SIMD };
    g.term_at[0] = 1;
    out->type = AS_V_MISSING;
    if (doc.ptr == NULL)
        doc.ptr = ""; /* NULL + 0 is undefined */
    g.end = doc.ptr + doc.len;
    const char *p = pj_skip_ws(pj_skip_bom(doc.ptr, g.end), g.end);
    if (pj_get_value(&g, p, 1, 0) == NULL) {
        out->type = AS_V_MISSING;
        return g.err == AS_OK ? AS_ERR_SYNTAX : g.err;
    }
    return AS_OK;
}

as_code psr_json_get(as_slice doc, const psr_json_path *p, as_val *out, as_arena *ar)
{
    const psr_json_path *one[1] = { p };
    return psr_json_get_many_scan(doc, one, 1, out, ar, PSR_JSON_SCAN_BEST);
}
