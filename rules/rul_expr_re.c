/* rul_expr_re.c: regex literals of =~ and !~ (PCRE2, 8-bit) and the
 * per-thread rul_scratch they match with.
 *
 * A literal is compiled once, at rul_expr_compile: UTF mode (the text of
 * records and expressions is UTF-8), NEVER_BACKSLASH_C (\C could split a
 * character), NO_START_OPTIMIZE (PCRE2 10.42's JIT start-up optimizations
 * miss matches in searches such as (ab|)a*ab on "ab"; parsers/psr_regex.c
 * has the details), then JIT-compiled when PCRE2 has JIT, except for
 * patterns that call groups ((?R), (?1), (?&name), \g<..>): JIT code does
 * not count an empty recursion loop against the match limit, the
 * interpreter stops it at once. The compiled code is read-only and shared by
 * every thread.
 *
 * =~ only asks whether the pattern matches somewhere, so one match data with
 * a single ovector pair serves every pattern: it lives in the thread's
 * rul_scratch with a match context that bounds each match (match limit,
 * interpreter heap, JIT stack). Subjects are checked for valid UTF-8 by
 * PCRE2 itself (no PCRE2_NO_UTF_CHECK): a string from a record may come
 * from a caller who did not validate it. Memory: PCRE2 allocates through
 * as_malloc (a general context), except JIT code and stacks, which it maps
 * itself; the interpreter may grow the scratch's match data (its
 * backtracking frames) the first time a pattern needs more, never after.
 */
#include "rules/rul_expr_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8 /* the 8-bit library, libpcre2-8 (Makefile PKGS) */
#include <pcre2.h>

/* Per match: steps of the matcher (a catastrophic pattern on a 10,000-byte
 * string stops in a few milliseconds), interpreter backtracking memory, and
 * the JIT stack (mapped at its maximum, touched as used). The same bounds as
 * the regex format parser (psr_regex.h), which measured them. */
#define RUL_RE_MATCH_LIMIT    1000000u
#define RUL_RE_HEAP_LIMIT_KIB 16384u             /* 16 MiB */
#define RUL_RE_JIT_STACK_MIN  ((size_t)32 << 10) /* 32 KiB */
#define RUL_RE_JIT_STACK_MAX  ((size_t)1 << 20)  /* 1 MiB */

struct rul_re {
    rul_re     *next;  /* the expression's list, for rul_expr_free */
    pcre2_code *code;  /* compiled, JIT-compiled when is_jit; read-only */
    int         is_jit;
};

struct rul_scratch {
    pcre2_general_context *gctx;   /* as_malloc / as_free */
    pcre2_match_data      *md;     /* one ovector pair: =~ asks only whether */
    pcre2_match_context   *mctx;   /* the limits + the JIT stack */
    pcre2_jit_stack       *jstack; /* NULL when PCRE2 has no JIT */
};

static const char k_empty[1] = ""; /* PCRE2 10.42 refuses a NULL subject even of length 0 */

static void *re_malloc(PCRE2_SIZE size, void *ud)
{
    (void)ud;
    return as_malloc(size);
}

static void re_free(void *p, void *ud)
{
    (void)ud;
    as_free(p);
}

static int has_jit(void)
{
    uint32_t jit = 0;
    return pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit;
}

/* 1 when pat may call a group as a subroutine or recurse. A plain scan: a
 * false positive (the text inside a class or after a backslash) only costs
 * speed, as the interpreter then runs. */
static int calls_groups(as_slice pat)
{
    for (size_t i = 0; i + 2 < pat.len; i++) {
        const char *q = pat.ptr + i;
        if (q[0] == '\\' && q[1] == 'g' && (q[2] == '<' || q[2] == '\''))
            return 1;
        if (q[0] != '(' || q[1] != '?')
            continue;
        char c = q[2], d = (char)(i + 3 < pat.len ? q[3] : '\0');
        if (c == 'R' || c == '&' || (c >= '0' && c <= '9') || ((c == '+' || c == '-') && d >= '0' && d <= '9') ||
            (c == 'P' && d == '>'))
            return 1;
    }
    return 0;
}

as_code rul_re_compile(as_slice pattern, rul_re **out, char *msg, size_t msg_cap, size_t *err_off)
{
    *out = NULL;
    if (pattern.ptr == NULL)
        pattern = as_slice_make(k_empty, 0);
    rul_re *re = as_calloc(1, sizeof *re);
    pcre2_general_context *gctx = re ? pcre2_general_context_create(re_malloc, re_free, NULL) : NULL;
    pcre2_compile_context *cctx = gctx ? pcre2_compile_context_create(gctx) : NULL;
    if (cctx == NULL) {
        pcre2_general_context_free(gctx);
        as_free(re);
        return AS_ERR_NOMEM;
    }
    int ec = 0;
    PCRE2_SIZE eoff = 0;
    re->code = pcre2_compile((PCRE2_SPTR)pattern.ptr, pattern.len,
                             PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_NO_START_OPTIMIZE, &ec, &eoff, cctx);
    pcre2_compile_context_free(cctx);
    pcre2_general_context_free(gctx); /* the code keeps its own copy of the allocator */
    if (re->code == NULL) {
        as_free(re);
        if (ec == PCRE2_ERROR_HEAP_FAILED)
            return AS_ERR_NOMEM;
        if (pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, msg_cap) < 0 && msg_cap)
            msg[0] = '\0';
        *err_off = eoff > pattern.len ? pattern.len : (size_t)eoff;
        return AS_ERR_SYNTAX;
    }
    size_t jit_size = 0;
    if (has_jit() && !calls_groups(pattern) && pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 &&
        pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size > 0)
        re->is_jit = 1;
    *out = re;
    return AS_OK;
}

void rul_re_link(rul_re **head, rul_re *re)
{
    re->next = *head;
    *head = re;
}

void rul_re_free_all(rul_re *re)
{
    while (re != NULL) {
        rul_re *next = re->next;
        pcre2_code_free(re->code);
        as_free(re);
        re = next;
    }
}

/* ---- rul_scratch ---- */

rul_scratch *rul_scratch_new(void)
{
    rul_scratch *s = as_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->gctx = pcre2_general_context_create(re_malloc, re_free, NULL);
    s->md = s->gctx ? pcre2_match_data_create(1, s->gctx) : NULL;
    s->mctx = s->gctx ? pcre2_match_context_create(s->gctx) : NULL;
    if (s->md == NULL || s->mctx == NULL)
        goto fail;
    (void)pcre2_set_match_limit(s->mctx, RUL_RE_MATCH_LIMIT); /* fail only on a NULL context */
    (void)pcre2_set_heap_limit(s->mctx, RUL_RE_HEAP_LIMIT_KIB);
    if (has_jit()) {
        s->jstack = pcre2_jit_stack_create(RUL_RE_JIT_STACK_MIN, RUL_RE_JIT_STACK_MAX, s->gctx);
        if (s->jstack == NULL)
            goto fail;
        pcre2_jit_stack_assign(s->mctx, NULL, s->jstack);
    }
    return s;
fail:
    rul_scratch_free(s);
    return NULL;
}

void rul_scratch_free(rul_scratch *s)
{
    if (s == NULL)
        return;
    pcre2_jit_stack_free(s->jstack);
    pcre2_match_context_free(s->mctx);
    pcre2_match_data_free(s->md);
    pcre2_general_context_free(s->gctx);
    as_free(s);
}

/* PCRE2's negative result as a code and a static reason. */
static AS_NOINLINE as_code search_failed(int rc, const char **why)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        *why = "regex match limit exceeded (catastrophic backtracking?)";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_DEPTHLIMIT:
        *why = "regex backtracking depth limit exceeded";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_HEAPLIMIT:
        *why = "regex backtracking heap limit exceeded";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_JIT_STACKLIMIT:
        *why = "regex JIT stack limit exceeded";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_RECURSELOOP:
        *why = "regex recursion loops without consuming text";
        return AS_ERR_BAD_VALUE;
    case PCRE2_ERROR_NOMEMORY:
        *why = "out of memory for regex backtracking";
        return AS_ERR_NOMEM;
    default:
        if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
            *why = "the matched text is not valid UTF-8";
            return AS_ERR_BAD_VALUE;
        }
        *why = "regex match failed (PCRE2 error)";
        return AS_ERR_BAD_VALUE;
    }
}

as_code rul_re_search(const rul_re *re, rul_scratch *s, as_slice subj, int *hit, const char **why)
{
    *hit = 0;
    if (AS_UNLIKELY(s == NULL)) {
        *why = "no rul_scratch for regex matching (rt->scratch is NULL)";
        return AS_ERR_BAD_VALUE;
    }
    if (subj.ptr == NULL)
        subj = as_slice_make(k_empty, 0);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subj.ptr, subj.len, 0, 0, s->md, s->mctx);
    if (rc >= 0) { /* 0: matched, the one ovector pair was too small for the groups */
        *hit = 1;
        return AS_OK;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return AS_OK;
    return search_failed(rc, why);
}
