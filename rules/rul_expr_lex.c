/* rul_expr_lex.c: the expression language's tokens (rul_expr_int.h).
 *
 * One token at a time, on demand, from a 256-entry byte class table. String
 * literals are only delimited here: the parser decides whether a literal is
 * text (rul_lex_string decodes its escapes) or a regex (its bytes go to
 * PCRE2 as written, so PCRE2's error offsets are columns of the text).
 * Numbers are read without the locale: integers by hand (overflow is an
 * error), floats with strtod_l in the "C" locale; a number followed by a
 * letter is a duration (as_duration_parse, plus zero: "0s").
 */
#include "rules/rul_expr_int.h"

#include <locale.h>  /* newlocale, freelocale: strtod without the process locale */
#include <stdlib.h>  /* strtod_l */

enum {
    BC_BAD = 0, /* cannot start a token */
    BC_WS,      /* space, tab, CR, LF */
    BC_DIGIT,
    BC_NAME,    /* letters, '_', bytes >= 0x80 (UTF-8 names) */
    BC_QUOTE,   /* " ' */
    BC_PUNCT,   /* everything an operator starts with */
};

#define R4(x) x, x, x, x
#define R8(x) R4(x), R4(x)
#define R16(x) R8(x), R8(x)
#define R32(x) R16(x), R16(x)

static const uint8_t k_class[256] = {
    ['\t'] = BC_WS, ['\n'] = BC_WS, ['\r'] = BC_WS, [' '] = BC_WS,
    ['0'] = BC_DIGIT, ['1'] = BC_DIGIT, ['2'] = BC_DIGIT, ['3'] = BC_DIGIT, ['4'] = BC_DIGIT,
    ['5'] = BC_DIGIT, ['6'] = BC_DIGIT, ['7'] = BC_DIGIT, ['8'] = BC_DIGIT, ['9'] = BC_DIGIT,
    ['"'] = BC_QUOTE, ['\''] = BC_QUOTE,
    ['('] = BC_PUNCT, [')'] = BC_PUNCT, ['['] = BC_PUNCT, [']'] = BC_PUNCT, [','] = BC_PUNCT,
    ['.'] = BC_PUNCT, ['='] = BC_PUNCT, ['!'] = BC_PUNCT, ['<'] = BC_PUNCT, ['>'] = BC_PUNCT,
    ['+'] = BC_PUNCT, ['-'] = BC_PUNCT, ['*'] = BC_PUNCT, ['/'] = BC_PUNCT, ['`'] = BC_PUNCT,
    ['$'] = BC_PUNCT, ['&'] = BC_PUNCT, ['|'] = BC_PUNCT,
    ['_'] = BC_NAME,
    ['A'] = BC_NAME, ['B'] = BC_NAME, ['C'] = BC_NAME, ['D'] = BC_NAME, ['E'] = BC_NAME,
    ['F'] = BC_NAME, ['G'] = BC_NAME, ['H'] = BC_NAME, ['I'] = BC_NAME, ['J'] = BC_NAME,
    ['K'] = BC_NAME, ['L'] = BC_NAME, ['M'] = BC_NAME, ['N'] = BC_NAME, ['O'] = BC_NAME,
    ['P'] = BC_NAME, ['Q'] = BC_NAME, ['R'] = BC_NAME, ['S'] = BC_NAME, ['T'] = BC_NAME,
    ['U'] = BC_NAME, ['V'] = BC_NAME, ['W'] = BC_NAME, ['X'] = BC_NAME, ['Y'] = BC_NAME,
    ['Z'] = BC_NAME,
    ['a'] = BC_NAME, ['b'] = BC_NAME, ['c'] = BC_NAME, ['d'] = BC_NAME, ['e'] = BC_NAME,
    ['f'] = BC_NAME, ['g'] = BC_NAME, ['h'] = BC_NAME, ['i'] = BC_NAME, ['j'] = BC_NAME,
    ['k'] = BC_NAME, ['l'] = BC_NAME, ['m'] = BC_NAME, ['n'] = BC_NAME, ['o'] = BC_NAME,
    ['p'] = BC_NAME, ['q'] = BC_NAME, ['r'] = BC_NAME, ['s'] = BC_NAME, ['t'] = BC_NAME,
    ['u'] = BC_NAME, ['v'] = BC_NAME, ['w'] = BC_NAME, ['x'] = BC_NAME, ['y'] = BC_NAME,
    ['z'] = BC_NAME,
    [0x80] = R32(BC_NAME), R32(BC_NAME), R32(BC_NAME), R32(BC_NAME), /* 0x80 .. 0xFF */
};

static inline int is_name_byte(unsigned char c)
{
    return k_class[c] == BC_NAME || k_class[c] == BC_DIGIT;
}

static inline int is_alnum_byte(unsigned char c)
{
    return (unsigned)(c - '0') < 10 || (unsigned)((c | 0x20) - 'a') < 26;
}

/* A duration whose every number is zero ("0s", "0h0m"): as_duration_parse
 * refuses zero, the language allows it (x - y > 0s). */
static int duration_is_zero(as_slice s)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (p == end)
        return 0;
    while (p < end) {
        if (*p != '0')
            return 0;
        while (p < end && *p == '0')
            p++;
        if (end - p >= 2 && p[0] == 'm' && p[1] == 's')
            p += 2;
        else if (p < end && (*p == 'w' || *p == 'd' || *p == 'h' || *p == 'm' || *p == 's'))
            p++;
        else
            return 0;
    }
    return 1;
}

/* Printable form of byte c for messages. */
static const char *byte_text(unsigned char c, char buf[8])
{
    if (c >= 0x20 && c < 0x7F) {
        buf[0] = (char)c;
        buf[1] = '\0';
    } else {
        static const char hex[] = "0123456789abcdef";
        buf[0] = '\\';
        buf[1] = 'x';
        buf[2] = hex[c >> 4];
        buf[3] = hex[c & 15];
        buf[4] = '\0';
    }
    return buf;
}

static int lex_number(rul_cc *cc, const char *s, const char *end, rul_tok *t)
{
    const char *p = s;
    while (p < end && (unsigned)(*p - '0') < 10)
        p++;
    int is_float = 0;
    if (end - p >= 2 && p[0] == '.' && (unsigned)(p[1] - '0') < 10) {
        is_float = 1;
        p++;
        while (p < end && (unsigned)(*p - '0') < 10)
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        if (q < end && (unsigned)(*q - '0') < 10) {
            is_float = 1;
            p = q;
            while (p < end && (unsigned)(*p - '0') < 10)
                p++;
        }
    }
    uint32_t off = (uint32_t)(s - cc->text.ptr);
    if (!is_float && p < end && is_alnum_byte((unsigned char)*p)) {
        while (p < end && is_alnum_byte((unsigned char)*p))
            p++;
        as_slice d = as_slice_from(s, p);
        int64_t ns = 0;
        if (as_duration_parse(d, &ns) != 0 && !duration_is_zero(d))
            return rul_cc_fail(cc, off, AS_ERR_SYNTAX,
                               "invalid duration '" AS_SLICE_FMT "' (units w d h m s ms, e.g. 1h30m)",
                               AS_SLICE_ARG(d));
        t->kind = TK_DUR;
        t->v.i = ns;
    } else if (p < end && is_name_byte((unsigned char)*p)) {
        const char *q = p;
        while (q < end && is_name_byte((unsigned char)*q))
            q++;
        return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "invalid number '" AS_SLICE_FMT "'%s",
                           AS_SLICE_ARG(as_slice_from(s, q)),
                           is_float && strchr("wdhms", *p) ? " (durations take whole numbers: 1h30m)" : "");
    } else if (is_float) {
        char buf[64];
        size_t n = (size_t)(p - s);
        if (n >= sizeof buf)
            return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "number too long (at most %zu characters)",
                               sizeof buf - 1);
        memcpy(buf, s, n);
        buf[n] = '\0';
        locale_t c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        if (c_loc == (locale_t)0)
            return rul_cc_fail(cc, off, AS_ERR_NOMEM, NULL);
        t->v.num = strtod_l(buf, NULL, c_loc);
        freelocale(c_loc);
        t->kind = TK_NUM;
    } else {
        uint64_t v = 0;
        for (const char *q = s; q < p; q++) {
            unsigned dg = (unsigned)(*q - '0');
            if (v > ((uint64_t)INT64_MAX - dg) / 10)
                return rul_cc_fail(cc, off, AS_ERR_SYNTAX,
                                   "integer '" AS_SLICE_FMT "' is too large (at most 9223372036854775807)",
                                   AS_SLICE_ARG(as_slice_from(s, p)));
            v = v * 10 + dg;
        }
        t->kind = TK_INT;
        t->v.i = (int64_t)v;
    }
    t->len = (uint32_t)(p - s);
    return 0;
}

/* Two-byte operators first, then one-byte ones. */
static int lex_punct(rul_cc *cc, const char *s, const char *end, rul_tok *t)
{
    uint32_t off = (uint32_t)(s - cc->text.ptr);
    char c = s[0], d = (char)(end - s >= 2 ? s[1] : '\0');
    t->len = 1;
    switch (c) {
    case '(': t->kind = TK_LP; return 0;
    case ')': t->kind = TK_RP; return 0;
    case '[': t->kind = TK_LB; return 0;
    case ']': t->kind = TK_RB; return 0;
    case ',': t->kind = TK_COMMA; return 0;
    case '.': t->kind = TK_DOT; return 0;
    case '+': t->kind = TK_PLUS; return 0;
    case '-': t->kind = TK_MINUS; return 0;
    case '*': t->kind = TK_STAR; return 0;
    case '/': t->kind = TK_SLASH; return 0;
    case '<': t->kind = d == '=' ? TK_LE : TK_LT; t->len = d == '=' ? 2 : 1; return 0;
    case '>': t->kind = d == '=' ? TK_GE : TK_GT; t->len = d == '=' ? 2 : 1; return 0;
    case '=':
        if (d == '=' || d == '~') {
            t->kind = d == '=' ? TK_EQ : TK_MATCH;
            t->len = 2;
            return 0;
        }
        return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "unexpected '=' (compare with ==)");
    case '!':
        if (d == '=' || d == '~') {
            t->kind = d == '=' ? TK_NE : TK_NMATCH;
            t->len = 2;
            return 0;
        }
        return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "unexpected '!' (negate with 'not')");
    case '&':
        return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "unexpected '&' (use 'and')");
    case '|':
        return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "unexpected '|' (use 'or')");
    case '`': {
        const char *q = memchr(s + 1, '`', (size_t)(end - s - 1));
        if (q == NULL)
            return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "unterminated `name`");
        if (q == s + 1)
            return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "empty `name`");
        t->kind = TK_BQ;
        t->len = (uint32_t)(q + 1 - s);
        return 0;
    }
    case '$': {
        const char *q = s + 1;
        while (q < end && is_name_byte((unsigned char)*q))
            q++;
        if (q == s + 1)
            return rul_cc_fail(cc, off, AS_ERR_SYNTAX, "expected a name after '$'");
        t->kind = TK_DOLLAR;
        t->len = (uint32_t)(q - s);
        return 0;
    }
    default:
        return rul_cc_fail(cc, off, AS_ERR_INTERNAL, "lexer: unclassified byte");
    }
}

int rul_lex_next(rul_cc *cc)
{
    const char *base = cc->text.ptr, *end = base + cc->text.len;
    const char *p = base + cc->pos;
    while (p < end && k_class[(unsigned char)*p] == BC_WS)
        p++;
    rul_tok *t = &cc->tok;
    *t = (rul_tok){ .kind = TK_EOF, .off = (uint32_t)(p - base) };
    if (p == end) {
        cc->pos = (size_t)(p - base);
        return 0;
    }
    int rc = 0;
    switch (k_class[(unsigned char)*p]) {
    case BC_DIGIT:
        rc = lex_number(cc, p, end, t);
        break;
    case BC_NAME: {
        const char *q = p;
        while (q < end && is_name_byte((unsigned char)*q))
            q++;
        t->kind = TK_IDENT;
        t->len = (uint32_t)(q - p);
        break;
    }
    case BC_QUOTE: {
        char quote = *p;
        const char *q = p + 1;
        while (q < end && *q != quote) {
            if (*q == '\\' && q + 1 < end)
                q++;
            q++;
        }
        if (q >= end)
            return rul_cc_fail(cc, t->off, AS_ERR_SYNTAX, "unterminated string");
        t->kind = TK_STR;
        t->len = (uint32_t)(q + 1 - p);
        break;
    }
    case BC_PUNCT:
        rc = lex_punct(cc, p, end, t);
        break;
    default: {
        char b[8];
        return rul_cc_fail(cc, t->off, AS_ERR_SYNTAX, "unexpected character '%s'",
                           byte_text((unsigned char)*p, b));
    }
    }
    if (rc == 0)
        cc->pos = t->off + t->len;
    return rc;
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = (unsigned char)p[i], d;
        if (c - '0' < 10)
            d = c - '0';
        else if ((c | 0x20) - 'a' < 6)
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v << 4 | (int)d;
    }
    return v;
}

static char *put_utf8(char *o, uint32_t cp)
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

int rul_lex_string(rul_cc *cc, const rul_tok *tok, as_slice *out)
{
    const char *p = cc->text.ptr + tok->off + 1, *end = cc->text.ptr + tok->off + tok->len - 1;
    if (memchr(p, '\\', (size_t)(end - p)) == NULL) {
        *out = as_slice_from(p, end);   /* the text copy lives as long as the expression */
        return 0;
    }
    /* decoded text is never longer than the raw text: \uXXXX (6 bytes) gives at most 3,
     * a surrogate pair (12) gives 4 */
    char *buf = as_arena_alloc(&cc->e->ar, (size_t)(end - p), 1), *o = buf;
    if (buf == NULL)
        return rul_cc_fail(cc, tok->off, AS_ERR_NOMEM, NULL);
    while (p < end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        uint32_t at = (uint32_t)(p - cc->text.ptr);
        char c = p[1];
        switch (c) {
        case '"': case '\'': case '\\': case '/': *o++ = c; p += 2; break;
        case 'n': *o++ = '\n'; p += 2; break;
        case 't': *o++ = '\t'; p += 2; break;
        case 'r': *o++ = '\r'; p += 2; break;
        case 'u': {
            int cp = hex4(p + 2, end);
            if (cp < 0)
                return rul_cc_fail(cc, at, AS_ERR_SYNTAX, "invalid \\u escape: expected 4 hex digits");
            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = (end - p >= 6 && p[0] == '\\' && p[1] == 'u') ? hex4(p + 2, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return rul_cc_fail(cc, at, AS_ERR_SYNTAX, "lone surrogate in a \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return rul_cc_fail(cc, at, AS_ERR_SYNTAX, "lone surrogate in a \\u escape");
            }
            o = put_utf8(o, (uint32_t)cp);
            break;
        }
        default: {
            char b[8];
            return rul_cc_fail(cc, at, AS_ERR_SYNTAX,
                               "invalid escape '\\%s' in a string (use \\\" \\' \\\\ \\n \\t \\r \\uXXXX)",
                               byte_text((unsigned char)c, b));
        }
        }
    }
    *out = as_slice_make(buf, (size_t)(o - buf));
    return 0;
}
