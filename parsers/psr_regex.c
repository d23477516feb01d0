/* psr_regex.c: the custom-format parser over PCRE2 (see psr_regex.h and
 * docs/formats_regex.md).
 *
 * psr_regex_new:
 *   1. a PCRE2 general context routes PCRE2's allocations to as_malloc /
 *      as_free (so the out-of-memory hook reaches them); the compiled code
 *      keeps a copy of it, so match data and contexts made later use it too;
 *   2. pcre2_compile with UTF, NEVER_BACKSLASH_C (\C could split a UTF-8
 *      sequence) and, unless PSR_REGEX_SEARCH, ANCHORED + ENDANCHORED, which
 *      anchor both ends without touching the pattern text, so PCRE2's error
 *      offsets stay columns of what the user wrote; not MATCH_INVALID_UTF
 *      (wrong results in PCRE2 10.42: see the comment there);
 *   3. the name table (sorted by name; entries of a big-endian group number
 *      and a NUL-terminated name) is checked for duplicates, which only (?J)
 *      can create, and put into group-number order with one pass over a
 *      number-indexed slot array (no sort: a fuzzed pattern may have ~10^4
 *      names);
 *   4. pcre2_jit_compile(PCRE2_JIT_COMPLETE); any failure leaves the
 *      interpreter in charge, with the reason kept for psr_regex_jit_reason.
 *   5. for an ASCII pattern with JIT, a second, byte-mode compilation for
 *      pure-ASCII records (ascii_prepare says why that is exact).
 * psr_regex_match scans the record for a byte >= 0x80 (SSE2, 32 bytes at a
 * time): none, and the byte-mode code runs when there is one; else the rest
 * is validated (as_utf8_check) and the UTF code runs. Then pcre2_jit_match
 * (JIT: skips pcre2_match's argument checks, which hold by construction) or
 * pcre2_match, both with NO_UTF_CHECK, and one ovector read per named group. Failures leave through noinline
 * functions that map PCRE2's code to an as_code and a reason.
 */
#include "parsers/psr_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8  /* the 8-bit library, libpcre2-8 (Makefile PKGS) */
#include <pcre2.h>

#include <string.h>  /* memchr, memcmp, memcpy, strncmp */
#if defined(__SSE2__)
#include <emmintrin.h>  /* SSE2 (every x86-64): the ASCII scan, 32 bytes at a time */
#endif

/* Bytes of a PCRE2 message kept in psr_regex (JIT failure) and psr_regex_md
 * (unexpected match error); PCRE2's longest message is about 110 bytes. */
#define RX_MSG_MAX 128

/* Substituted for a NULL record or pattern pointer of length 0 (PCRE2 10.42
 * refuses NULL even with length 0). */
static const char k_empty[1] = "";

/* One named group. */
typedef struct rx_group {
    as_slice name;    /* into the compiled code's name table (NUL follows, not counted) */
    uint32_t number;  /* PCRE2 capture group number, 1-based */
} rx_group;

struct psr_regex {
    pcre2_general_context *gctx;  /* as_malloc / as_free; freed last */
    pcre2_code *code;             /* compiled (and JIT-compiled) pattern; read-only */
    pcre2_code *ascii_code;       /* the same in byte mode (not UTF), JIT-compiled, for pure-ASCII
                                     records; NULL when not used (see ascii_prepare) */
    unsigned    flags;            /* PSR_REGEX_* given to psr_regex_new */
    int         is_jit;           /* matching uses JIT code */
    const char *jit_reason;       /* "" with JIT, else a static text or jit_msg */
    char        jit_msg[RX_MSG_MAX]; /* PCRE2's message for a failed JIT compile */
    size_t      n_groups;         /* named groups, >= 1 */
    rx_group   *groups;           /* [n_groups], in group-number order; from as_malloc */
};

struct psr_regex_md {
    const psr_regex     *re;     /* the pattern this state was made for */
    pcre2_match_data    *data;   /* ovector for every capture group of re */
    pcre2_match_context *mctx;   /* limits + the JIT stack */
    pcre2_jit_stack     *jstack; /* NULL without JIT */
    const char          *reason; /* why the last match failed ("" after a match) */
    char                 msg[RX_MSG_MAX]; /* PCRE2's text for an unexpected error */
};

/* ---- memory: PCRE2 through core/as_alloc ---- */

static void *rx_malloc(PCRE2_SIZE size, void *ud)
{
    (void)ud;
    return as_malloc(size);
}

static void rx_free(void *p, void *ud)
{
    (void)ud;
    as_free(p);
}

/* ---- psr_regex_new ---- */

/* The offset of the name in the second definition of group name in pat
 * ((?<name>, (?'name', (?P<name>), or (size_t)-1 when not found (the
 * pattern may spell it in a way this plain search misses). */
static size_t second_definition(as_slice pat, as_slice name)
{
    int seen = 0;
    for (size_t i = 0; i + 3 + name.len < pat.len; i++) {
        if (pat.ptr[i] != '(' || pat.ptr[i + 1] != '?')
            continue;
        size_t j = i + 2;
        if (pat.ptr[j] == 'P')
            j++;
        if (j >= pat.len || (pat.ptr[j] != '<' && pat.ptr[j] != '\''))
            continue;
        char close = pat.ptr[j] == '<' ? '>' : '\'';
        j++;
        if (pat.len - j < name.len + 1 || memcmp(pat.ptr + j, name.ptr, name.len) != 0 ||
            pat.ptr[j + name.len] != close)
            continue;
        if (seen++)
            return j;
    }
    return (size_t)-1;
}

/* Fills re->groups from the name table, in group-number order. AS_OK,
 * AS_ERR_SYNTAX (no named group, a duplicate name) or AS_ERR_NOMEM. */
static as_code groups_load(psr_regex *re, as_slice pat, as_err *err)
{
    uint32_t n_names = 0, entry = 0, n_caps = 0;
    PCRE2_SPTR table = NULL;
    if (pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &n_names) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n_caps) != 0)
        return as_err_set(err, AS_ERR_INTERNAL, (as_loc){ 0 }, "regex: cannot read the compiled pattern");
    if (n_names == 0)
        return as_err_set(err, AS_ERR_SYNTAX, (as_loc){ 0 },
                          "regex: the pattern has no named group; name each field to keep, "
                          "e.g. (?<host>\\S+)");

    /* entry k of the table: 2 bytes of group number, then the name up to its
     * NUL (entry - 2 bytes at most) */
#define RX_ENTRY(k) (table + (size_t)(k) * entry)
    for (uint32_t k = 0; k < n_names; k++) {
        const char *nm = (const char *)RX_ENTRY(k) + 2;
        const char *nul = memchr(nm, '\0', entry - 2);
        size_t len = nul ? (size_t)(nul - nm) : entry - 2;
        if (k > 0) {
            const char *pm = (const char *)RX_ENTRY(k - 1) + 2;
            if (strncmp(pm, nm, entry - 2) == 0) {   /* sorted: duplicates are neighbours */
                as_slice name = as_slice_make(nm, len);
                size_t off = second_definition(pat, name);
                as_loc loc = { 0 };
                if (off != (size_t)-1)
                    loc = as_loc_at(pat, off);
                return as_err_set(err, AS_ERR_SYNTAX, loc,
                                  "regex: group name '" AS_SLICE_FMT "' is used twice; each named group "
                                  "needs its own name",
                                  AS_SLICE_ARG(name));
            }
        }
    }

    re->groups = as_malloc((size_t)n_names * sizeof *re->groups);
    uint32_t *slot = as_calloc((size_t)n_caps + 1, sizeof *slot);  /* number -> entry + 1 */
    if (re->groups == NULL || slot == NULL) {
        as_free(slot);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    for (uint32_t k = 0; k < n_names; k++) {
        uint32_t num = (uint32_t)RX_ENTRY(k)[0] << 8 | RX_ENTRY(k)[1];
        if (num >= 1 && num <= n_caps)
            slot[num] = k + 1;
    }
    size_t n = 0;
    for (uint32_t num = 1; num <= n_caps; num++) {
        if (slot[num] == 0)
            continue;
        const char *nm = (const char *)RX_ENTRY(slot[num] - 1) + 2;
        const char *nul = memchr(nm, '\0', entry - 2);
        re->groups[n].name = as_slice_make(nm, nul ? (size_t)(nul - nm) : entry - 2);
        re->groups[n].number = num;
        n++;
    }
#undef RX_ENTRY
    as_free(slot);
    re->n_groups = n;
    if (n != n_names)   /* two names for one number: PCRE2 refuses that at compile time */
        return as_err_set(err, AS_ERR_INTERNAL, (as_loc){ 0 }, "regex: inconsistent name table");
    return AS_OK;
}

/* 1 when pat may call a group as a subroutine or recurse: (?R), (?1),
 * (?+1), (?-1), (?&name), (?P>name), \g<..>, \g'..'. A plain scan: a false
 * positive (the same text inside a class, a comment or after a backslash)
 * only costs speed, as the caller then uses the interpreter. */
static int calls_groups(as_slice pat)
{
    for (size_t i = 0; i + 2 < pat.len; i++) {
        const char *q = pat.ptr + i;
        if (q[0] == '\\' && q[1] == 'g' && (q[2] == '<' || q[2] == '\''))
            return 1;
        if (q[0] != '(' || q[1] != '?')
            continue;
        char c = q[2];
        if (c == 'R' || c == '&' || (c >= '0' && c <= '9'))
            return 1;
        if (i + 3 < pat.len && ((c == '+' || c == '-') && q[3] >= '0' && q[3] <= '9'))
            return 1;
        if (i + 3 < pat.len && c == 'P' && q[3] == '>')
            return 1;
    }
    return 0;
}

/* JIT-compiles re->code unless told not to, JIT is missing, or the pattern
 * calls groups: a recursion that consumes nothing ((?<i>|(?1))x) makes JIT
 * code retry each depth until its stack is full, which is quadratic in the
 * stack size and not counted by the match limit (1.2 s with a 1 MiB stack,
 * 20 s with 4 MiB, on an 18-byte record); the interpreter detects the loop
 * at once (PCRE2_ERROR_RECURSELOOP). */
static void jit_prepare(psr_regex *re, as_slice pat)
{
    uint32_t has_jit = 0;
    re->is_jit = 0;
    if (re->flags & PSR_REGEX_NO_JIT) {
        re->jit_reason = "disabled by PSR_REGEX_NO_JIT";
        return;
    }
    if (calls_groups(pat)) {
        re->jit_reason = "the pattern calls groups ((?R), (?1), (?&name)): the interpreter bounds recursion";
        return;
    }
    if (pcre2_config(PCRE2_CONFIG_JIT, &has_jit) < 0 || !has_jit) {
        re->jit_reason = "PCRE2 was built without JIT";
        return;
    }
    int rc = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    size_t jit_size = 0;
    if (rc == 0 && pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size > 0) {
        re->is_jit = 1;
        re->jit_reason = "";
        return;
    }
    if (rc == 0)
        memcpy(re->jit_msg, "JIT compile produced no code", sizeof "JIT compile produced no code");
    else if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)re->jit_msg, sizeof re->jit_msg) < 0)
        re->jit_msg[0] = '\0';  /* truncated or unknown: the code number is all there is */
    re->jit_reason = re->jit_msg;
}

/* The offset of the first byte >= 0x80 in p[0 .. n), or n. */
static inline size_t ascii_prefix(const char *p, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 32 <= n; i += 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
        if (_mm_movemask_epi8(_mm_or_si128(a, b)) != 0)
            break;   /* the byte loop below finds it */
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        if (w & 0x8080808080808080ull)
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return i;
    return n;
}

/* Builds re->ascii_code, a byte-mode (not UTF) JIT compilation of the
 * pattern, used for records that are pure ASCII: UTF code decodes each
 * character and runs at two thirds of the speed (bench_regex: ~700 against
 * ~1,050 MB/s on combined lines). The two agree
 * on an ASCII subject when the pattern is ASCII too: no multi-byte literal;
 * escapes above 0xff (\x{17f}, \N{U+...}), the only way to write the
 * characters whose case folds into ASCII (U+017F long s, U+212A Kelvin), are
 * compile errors in byte mode, so such patterns keep UTF code only; every
 * other escape or class matches the same ASCII bytes in both modes. The
 * fuzzer checks this against the interpreter, which always runs UTF code.
 * Any failure here just leaves the fast path off. */
static void ascii_prepare(psr_regex *re, as_slice pat, uint32_t opts)
{
    if (!re->is_jit || ascii_prefix(pat.ptr, pat.len) != pat.len)
        return;
    pcre2_compile_context *cctx = pcre2_compile_context_create(re->gctx);
    if (cctx == NULL)
        return;
    int ec;
    PCRE2_SIZE eoff;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat.ptr, pat.len, opts & ~(uint32_t)PCRE2_UTF, &ec, &eoff, cctx);
    pcre2_compile_context_free(cctx);
    uint32_t n_a = 0, n_u = 0;
    size_t jit_size = 0;
    if (c == NULL || pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &n_a) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n_u) != 0 || n_a != n_u ||
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0 || pcre2_pattern_info(c, PCRE2_INFO_JITSIZE, &jit_size) != 0 ||
        jit_size == 0) {
        pcre2_code_free(c);
        return;
    }
    re->ascii_code = c;
}

psr_regex *psr_regex_new(as_slice pattern, unsigned flags, as_err *err)
{
    if (flags & ~(unsigned)(PSR_REGEX_SEARCH | PSR_REGEX_NO_JIT)) {
        as_err_set(err, AS_ERR_USAGE, (as_loc){ 0 }, "regex: unknown flags 0x%x", flags);
        return NULL;
    }
    if (pattern.len > PSR_REGEX_PATTERN_MAX) {
        as_err_set(err, AS_ERR_SYNTAX, (as_loc){ 0 }, "regex: the pattern is longer than %zu bytes",
                   PSR_REGEX_PATTERN_MAX);
        return NULL;
    }
    if (pattern.ptr == NULL)
        pattern = as_slice_make(k_empty, 0);

    psr_regex *re = as_calloc(1, sizeof *re);
    if (re == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        return NULL;
    }
    re->flags = flags;
    re->gctx = pcre2_general_context_create(rx_malloc, rx_free, NULL);
    pcre2_compile_context *cctx = re->gctx ? pcre2_compile_context_create(re->gctx) : NULL;
    if (cctx == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        psr_regex_free(re);
        return NULL;
    }

    /* Not PCRE2_MATCH_INVALID_UTF, which would make any bytes safe to match
     * without validating them: in PCRE2 10.42 it gives wrong matches on valid
     * UTF-8. Its JIT code steps back over a multi-byte character wrongly when
     * backtracking a repeat ((\p{L}+)\S(\X) on "wordu\xc3\xa9\xcc\x81"
     * gives group 1 "word", not "wordu"; the search for (\S+)b in
     * " a\xc3\xa97b" starts at "7b"); its interpreter anchors at the edges
     * of valid stretches (ANCHORED skips an invalid prefix, ENDANCHORED and
     * \z hold before an invalid suffix). psr_regex_match validates instead. */
    uint32_t opts = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C;
    if (!(flags & PSR_REGEX_SEARCH))
        opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    else   /* 10.42's JIT start-up optimizations miss matches: (ab|)a*ab in "ab" */
        opts |= PCRE2_NO_START_OPTIMIZE;
    int ec = 0;
    PCRE2_SIZE eoff = 0;
    re->code = pcre2_compile((PCRE2_SPTR)pattern.ptr, pattern.len, opts, &ec, &eoff, cctx);
    pcre2_compile_context_free(cctx);
    if (re->code == NULL) {
        if (ec == PCRE2_ERROR_HEAP_FAILED) {
            as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        } else {
            char msg[RX_MSG_MAX];
            if (pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg) < 0)
                msg[0] = '\0';
            /* PCRE2 10.42 may point one past a cut-short (*VERB=: clamp to the end */
            size_t off = eoff > pattern.len ? pattern.len : (size_t)eoff;
            as_err_set(err, AS_ERR_SYNTAX, as_loc_at(pattern, off), "regex: %s (PCRE2 error %d)", msg, ec);
        }
        psr_regex_free(re);
        return NULL;
    }
    if (groups_load(re, pattern, err) != AS_OK) {
        psr_regex_free(re);
        return NULL;
    }
    jit_prepare(re, pattern);
    ascii_prepare(re, pattern, opts);
    return re;
}

void psr_regex_free(psr_regex *re)
{
    if (re == NULL)
        return;
    pcre2_code_free(re->code);
    pcre2_code_free(re->ascii_code);
    as_free(re->groups);
    pcre2_general_context_free(re->gctx);
    as_free(re);
}

int psr_regex_is_jit(const psr_regex *re)
{
    return re->is_jit;
}

const char *psr_regex_jit_reason(const psr_regex *re)
{
    return re->jit_reason;
}

/* ---- names ---- */

size_t psr_regex_n_groups(const psr_regex *re)
{
    return re->n_groups;
}

as_slice psr_regex_group_name(const psr_regex *re, size_t i)
{
    return i < re->n_groups ? re->groups[i].name : (as_slice){ NULL, 0 };
}

int psr_regex_group_find(const psr_regex *re, as_slice name)
{
    for (size_t i = 0; i < re->n_groups; i++)
        if (as_slice_eq(re->groups[i].name, name))
            return (int)i;
    return -1;
}

/* ---- matching ---- */

psr_regex_md *psr_regex_md_new(const psr_regex *re)
{
    psr_regex_md *md = as_calloc(1, sizeof *md);
    if (md == NULL)
        return NULL;
    md->re = re;
    md->reason = "";
    md->data = pcre2_match_data_create_from_pattern(re->code, re->gctx);
    md->mctx = pcre2_match_context_create(re->gctx);
    if (md->data == NULL || md->mctx == NULL)
        goto fail;
    /* the setters only fail on a NULL context */
    (void)pcre2_set_match_limit(md->mctx, PSR_REGEX_MATCH_LIMIT);
    (void)pcre2_set_heap_limit(md->mctx, PSR_REGEX_HEAP_LIMIT_KIB);
    if (re->is_jit) {
        md->jstack = pcre2_jit_stack_create(PSR_REGEX_JIT_STACK_MIN, PSR_REGEX_JIT_STACK_MAX, re->gctx);
        if (md->jstack == NULL)
            goto fail;
        pcre2_jit_stack_assign(md->mctx, NULL, md->jstack);
    }
    return md;
fail:
    psr_regex_md_free(md);
    return NULL;
}

void psr_regex_md_free(psr_regex_md *md)
{
    if (md == NULL)
        return;
    pcre2_jit_stack_free(md->jstack);
    pcre2_match_context_free(md->mctx);
    pcre2_match_data_free(md->data);
    as_free(md);
}

const char *psr_regex_md_reason(const psr_regex_md *md)
{
    return md->reason;
}

/* The slow path of psr_regex_match for a record that is not UTF-8: bad is
 * the offset of its first invalid byte. */
static AS_NOINLINE as_code match_invalid(psr_regex_md *md, size_t bad, uint64_t *err_col)
{
    if (err_col != NULL)
        *err_col = (uint64_t)bad + 1;
    md->reason = "record is not valid UTF-8";
    return AS_ERR_INVALID_UTF8;
}

/* The slow path of psr_regex_match: PCRE2's negative result rc as a code and
 * a reason. */
static AS_NOINLINE as_code match_failed(psr_regex_md *md, int rc, uint64_t *err_col)
{
    if (err_col != NULL)
        *err_col = 1;
    switch (rc) {
    case PCRE2_ERROR_NOMATCH:
        md->reason = "record does not match the pattern";
        return AS_ERR_SYNTAX;
    case PCRE2_ERROR_MATCHLIMIT:
        md->reason = "match limit exceeded (catastrophic backtracking?)";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_DEPTHLIMIT:
        md->reason = "backtracking depth limit exceeded";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_HEAPLIMIT:
        md->reason = "backtracking heap limit exceeded";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_JIT_STACKLIMIT:
        md->reason = "JIT stack limit exceeded (pattern nests too deeply for this record)";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_RECURSELOOP:   /* (?R) or (?1) calling itself without consuming anything */
        md->reason = "pattern recursion loops at one position of the record";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_NOMEMORY:
        md->reason = "out of memory for backtracking";
        return AS_ERR_NOMEM;
    default:
        if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)md->msg, sizeof md->msg) < 0)
            memcpy(md->msg, "unexpected PCRE2 error", sizeof "unexpected PCRE2 error");
        md->reason = md->msg;
        return AS_ERR_INTERNAL;
    }
}

as_code psr_regex_match(const psr_regex *re, psr_regex_md *md, as_slice rec, as_slice *groups_out,
                        uint64_t *err_col)
{
    if (AS_UNLIKELY(md->re != re)) {
        md->reason = "match state made for another pattern";
        if (err_col != NULL)
            *err_col = 1;
        return AS_ERR_USAGE;
    }
    if (rec.ptr == NULL)
        rec = as_slice_make(k_empty, 0);
    /* PCRE2 in UTF mode needs valid UTF-8 (else undefined behaviour): checked
     * here, so PCRE2 need not check again (pcre2_jit_match never does) */
    const pcre2_code *code = re->code;
    size_t asc = ascii_prefix(rec.ptr, rec.len);
    if (AS_LIKELY(asc == rec.len)) {
        if (re->ascii_code != NULL)
            code = re->ascii_code;
    } else {
        size_t bad = asc + as_utf8_check(rec.ptr + asc, rec.len - asc);
        if (AS_UNLIKELY(bad < rec.len))
            return match_invalid(md, bad, err_col);
    }
    int rc;
    if (AS_LIKELY(re->is_jit))
        rc = pcre2_jit_match(code, (PCRE2_SPTR)rec.ptr, rec.len, 0, PCRE2_NO_UTF_CHECK, md->data, md->mctx);
    else
        rc = pcre2_match(re->code, (PCRE2_SPTR)rec.ptr, rec.len, 0, PCRE2_NO_UTF_CHECK, md->data, md->mctx);
    if (AS_UNLIKELY(rc <= 0))
        return match_failed(md, rc == 0 ? PCRE2_ERROR_INTERNAL : rc, err_col);

    /* rc = highest set group + 1; later pairs are unset */
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md->data);
    const uint32_t top = (uint32_t)rc;
    for (size_t i = 0; i < re->n_groups; i++) {
        size_t num = re->groups[i].number;
        PCRE2_SIZE b = num < top ? ov[2 * num] : PCRE2_UNSET, e = num < top ? ov[2 * num + 1] : PCRE2_UNSET;
        if (b == PCRE2_UNSET) {
            groups_out[i] = (as_slice){ NULL, 0 };
        } else if (AS_LIKELY(b <= e && e <= rec.len)) {
            groups_out[i] = (as_slice){ rec.ptr + b, e - b };
        } else {
            return match_failed(md, PCRE2_ERROR_INTERNAL, err_col);  /* never seen: PCRE2 keeps b <= e */
        }
    }
    md->reason = "";
    return AS_OK;
}
