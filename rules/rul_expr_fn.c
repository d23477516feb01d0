/* rul_expr_fn.c: the expression language's functions (docs/expressions.md,
 * "Functions"): one table of name, argument counts, parameter kinds and
 * result type, used by the compiler for arity and static checks, and the
 * run-time code of each function.
 *
 * Most functions are strict: their arguments are evaluated first and a
 * MISSING (else null) argument makes the result MISSING (null) without
 * calling the function. coalesce and exists look at absent values
 * themselves; any, all, count and first evaluate their predicate once per
 * array element with `it` bound to it (rul_ev.it[level]). Strings are
 * UTF-8: len and substr count characters (code points), lower and upper
 * change ASCII letters only. Times are taken in UTC unless a time zone
 * argument says otherwise (a fixed offset, as_tz_parse).
 */
#include "rules/rul_expr_int.h"

#include <stdio.h>   /* snprintf */
#include <string.h>  /* memmem */

/* Parameter kinds: what an argument must be. */
enum {
    PK_ANY = 0, /* anything */
    PK_STR,     /* string */
    PK_INT,     /* integer */
    PK_TIME,    /* time */
    PK_TZ,      /* a time zone string: UTC, +02:00, -0500 */
    PK_TIMEISH, /* time, string or integer (time()) */
    PK_ARR,     /* JSON array */
    PK_STRARR,  /* string or JSON array */
    PK_PRED,    /* a boolean predicate over `it` */
    PK_PATH,    /* a field path (exists) */
    PK_NUMISH,  /* number, string or time (number()) */
};

enum { FN_STRICT = 1u << 0, FN_LAMBDA = 1u << 1 };

#define FN_MAX_STRICT 3 /* arguments of a strict function, evaluated into an array */
#define FN_SUGGEST_MAX 32 /* names longer than this get no "did you mean" */

/* Function indexes: the table's order. */
enum {
    FN_LOWER, FN_UPPER, FN_TRIM, FN_LEN, FN_SPLIT, FN_SUBSTR, FN_STARTSWITH, FN_ENDSWITH, FN_CONTAINS,
    FN_COALESCE, FN_EXISTS, FN_TIME, FN_DATE, FN_HOUR, FN_WEEKDAY, FN_NUMBER, FN_STRING,
    FN_ANY, FN_ALL, FN_COUNT, FN_FIRST, /* the predicates, in fn_lambda's order */
    FN__COUNT
};

typedef as_code (*fn_impl)(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out);

typedef struct fn_def {
    const char *name;
    uint8_t     min, max;  /* argument counts; max RUL_EXPR_MAX_ARGS = variadic */
    uint8_t     flags;     /* FN_* */
    uint8_t     params[3]; /* PK_* of arguments 1..3; later ones repeat the last */
    uint8_t     ret;       /* static result type (coalesce: derived) */
    fn_impl     impl;
} fn_def;

/* ---- helpers ---- */

static as_code out_str(rul_val *out, as_slice s)
{
    out->type = RUL_T_STR;
    out->u.str = s;
    return AS_OK;
}

static as_code out_bool(rul_val *out, int b)
{
    out->type = RUL_T_BOOL;
    out->u.b = b != 0;
    return AS_OK;
}

static as_code out_int(rul_val *out, int64_t i)
{
    out->type = RUL_T_INT;
    out->u.i = i;
    return AS_OK;
}

static as_code need(rul_ev *c, const rul_val *v, rul_type t)
{
    return v->type == t ? AS_OK : rul_ev_mismatch(c, t, v->type);
}

static int is_array_text(as_slice raw)
{
    size_t i = 0;
    while (i < raw.len && (raw.ptr[i] == ' ' || raw.ptr[i] == '\t' || raw.ptr[i] == '\r' || raw.ptr[i] == '\n'))
        i++;
    return i < raw.len && raw.ptr[i] == '[';
}

/* Characters (code points) in valid UTF-8. */
static size_t cp_count(as_slice s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

/* Byte offset of character k (clamped to the end). */
static size_t cp_offset(as_slice s, uint64_t k)
{
    size_t i = 0;
    while (i < s.len && k > 0) {
        i++;
        while (i < s.len && ((unsigned char)s.ptr[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/* The zone argument a (a string) as an offset. */
static as_code tz_arg(rul_ev *c, const rul_val *a, int *off)
{
    AS_TRY(need(c, a, RUL_T_STR));
    if (as_tz_parse(a->u.str, off) != 0)
        return rul_ev_fail(c, "invalid time zone (use UTC, Z, +02:00 or -0500)");
    return AS_OK;
}

static as_code tz_of(rul_ev *c, const rul_node *n, const rul_val *a, int *off)
{
    *off = 0;
    return n->n_kids > 1 ? tz_arg(c, &a[1], off) : AS_OK;
}

/* ---- strings ---- */

static as_code case_map(rul_ev *c, as_slice s, int upper, rul_val *out)
{
    unsigned char from = upper ? 'a' : 'A';
    size_t i = 0;
    while (i < s.len && (unsigned)((unsigned char)s.ptr[i] - from) >= 26)
        i++;
    if (i == s.len)
        return out_str(out, s); /* nothing to change: no copy */
    char *p = c->rt->ar ? as_arena_alloc(c->rt->ar, s.len, 1) : NULL;
    if (p == NULL)
        return AS_ERR_NOMEM;
    memcpy(p, s.ptr, i);
    for (; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        p[i] = (char)((unsigned)(ch - from) < 26 ? ch ^ 0x20 : ch);
    }
    return out_str(out, as_slice_make(p, s.len));
}

static as_code fn_lower(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    return case_map(c, a[0].u.str, 0, out);
}

static as_code fn_upper(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    return case_map(c, a[0].u.str, 1, out);
}

static as_code fn_trim(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    return out_str(out, as_slice_trim(a[0].u.str));
}

static as_code fn_len(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    if (a[0].type == RUL_T_STR)
        return out_int(out, (int64_t)cp_count(a[0].u.str));
    if (a[0].type != RUL_T_JSON || !is_array_text(a[0].u.str))
        return rul_ev_mismatch(c, RUL_X_STR_OR_ARRAY, a[0].type);
    rul_arr it;
    AS_TRY(rul_arr_init(c, &it, a[0].u.str));
    rul_val el;
    as_code rc = AS_OK;
    int64_t k = 0;
    int r;
    while ((r = rul_arr_next(c, &it, &el, &rc)) == 1)
        k++;
    if (r < 0)
        return rc;
    return out_int(out, k);
}

static as_code fn_split(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    AS_TRY(need(c, &a[1], RUL_T_STR));
    AS_TRY(need(c, &a[2], RUL_T_INT));
    as_slice s = a[0].u.str, sep = a[1].u.str;
    if (sep.len == 0)
        return rul_ev_fail(c, "split(): empty separator");
    int64_t i = a[2].u.i;
    if (i < 0) { /* from the end: count the pieces */
        int64_t pieces = 1;
        for (const char *p = s.ptr, *end = s.ptr + s.len;
             s.len > 0 && (p = memmem(p, (size_t)(end - p), sep.ptr, sep.len)) != NULL; p += sep.len)
            pieces++;
        i += pieces;
    }
    size_t from = 0;
    for (int64_t k = 0; k < i || i < 0; k++) {
        const char *p = i < 0 || s.len == from ? NULL : memmem(s.ptr + from, s.len - from, sep.ptr, sep.len);
        if (p == NULL) {
            out->type = RUL_T_MISSING;
            if (c->rt->why == NULL)
                c->rt->why = "missing value: split() has no such piece";
            return AS_OK;
        }
        from = (size_t)(p - s.ptr) + sep.len;
    }
    const char *p = s.len == from ? NULL : memmem(s.ptr + from, s.len - from, sep.ptr, sep.len);
    size_t to = p ? (size_t)(p - s.ptr) : s.len;
    return out_str(out, as_slice_make(s.ptr + from, to - from));
}

static as_code fn_substr(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    AS_TRY(need(c, &a[0], RUL_T_STR));
    AS_TRY(need(c, &a[1], RUL_T_INT));
    as_slice s = a[0].u.str;
    int64_t start = a[1].u.i;
    if (start < 0) {
        int64_t total = (int64_t)cp_count(s);
        start = start < -total ? 0 : start + total;
    }
    size_t b = cp_offset(s, (uint64_t)start), e = s.len;
    if (n->n_kids > 2) {
        AS_TRY(need(c, &a[2], RUL_T_INT));
        int64_t len = a[2].u.i;
        e = len <= 0 ? b : b + cp_offset(as_slice_sub(s, b, SIZE_MAX), (uint64_t)len);
    }
    return out_str(out, as_slice_make(s.ptr + b, e - b));
}

static as_code fn_startswith(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    AS_TRY(need(c, &a[1], RUL_T_STR));
    return out_bool(out, as_slice_starts_with(a[0].u.str, a[1].u.str));
}

static as_code fn_endswith(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    AS_TRY(need(c, &a[0], RUL_T_STR));
    AS_TRY(need(c, &a[1], RUL_T_STR));
    return out_bool(out, as_slice_ends_with(a[0].u.str, a[1].u.str));
}

static as_code fn_contains(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    if (a[0].type == RUL_T_STR) {
        AS_TRY(need(c, &a[1], RUL_T_STR));
        as_slice s = a[0].u.str, sub = a[1].u.str;
        return out_bool(out, sub.len == 0 || (s.len >= sub.len && memmem(s.ptr, s.len, sub.ptr, sub.len) != NULL));
    }
    if (a[0].type != RUL_T_JSON || !is_array_text(a[0].u.str))
        return rul_ev_mismatch(c, RUL_X_STR_OR_ARRAY, a[0].type);
    rul_arr it;
    AS_TRY(rul_arr_init(c, &it, a[0].u.str));
    rul_val el;
    as_code rc = AS_OK;
    int hit = 0;
    while (!hit && rul_arr_next(c, &it, &el, &rc) == 1)
        hit = rul_val_eq(&el, &a[1]);
    if (rc != AS_OK)
        return rc;
    return out_bool(out, hit);
}

static as_code fn_string(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    as_slice s;
    AS_TRY(rul_ev_text(c, &a[0], &s));
    return out_str(out, s);
}

/* "42", " -1.5e3 ", "+7", "007": a decimal number as JSON writes it, after
 * dropping surrounding spaces, a leading '+' and leading zeros; decoded by
 * the JSON scanner (exact, locale-free). -1 when s is no number. */
static int parse_number(rul_ev *c, as_slice s, rul_val *out)
{
    s = as_slice_trim(s);
    const char *p = s.ptr, *end = s.ptr + s.len;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    const char *digits = p;
    while (p < end && (unsigned)(*p - '0') < 10)
        p++;
    if (p == digits)
        return -1;
    const char *int_end = p;
    if (p < end && *p == '.') {
        const char *f = ++p;
        while (p < end && (unsigned)(*p - '0') < 10)
            p++;
        if (p == f)
            return -1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        const char *ex = p;
        while (p < end && (unsigned)(*p - '0') < 10)
            p++;
        if (p == ex)
            return -1;
    }
    if (p != end)
        return -1;
    while (int_end - digits > 1 && *digits == '0')
        digits++;
    size_t n = (size_t)(end - digits) + (size_t)neg;
    char stackbuf[64], *buf = stackbuf;
    if (n > sizeof stackbuf) {
        buf = c->rt->ar ? as_arena_alloc(c->rt->ar, n, 1) : NULL;
        if (buf == NULL)
            return -2;
    }
    if (neg)
        buf[0] = '-';
    memcpy(buf + neg, digits, (size_t)(end - digits));
    as_val v;
    as_code rc = psr_json_get_root(as_slice_make(buf, n), &v, c->rt->ar);
    if (rc == AS_ERR_NOMEM)
        return -2;
    if (rc != AS_OK || (v.type != AS_V_INT && v.type != AS_V_NUM))
        return -1;
    *out = rul_val_from_as(&v);
    return 0;
}

static as_code fn_number(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    (void)n;
    switch (a[0].type) {
    case RUL_T_INT:
    case RUL_T_NUM:
        *out = a[0];
        return AS_OK;
    case RUL_T_TIME:
        return out_int(out, a[0].u.t.sec);
    case RUL_T_STR: {
        int r = parse_number(c, a[0].u.str, out);
        if (r == -2)
            return AS_ERR_NOMEM;
        return r == 0 ? AS_OK : rul_ev_fail(c, "number(): the string is not a number");
    }
    default:
        return rul_ev_mismatch(c, RUL_T_NUMBER, a[0].type);
    }
}

/* ---- times ---- */

static as_code fn_time(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    int off;
    AS_TRY(tz_of(c, n, a, &off));
    as_slice s;
    char digits[24];
    switch (a[0].type) {
    case RUL_T_TIME:
        *out = a[0];
        return AS_OK;
    case RUL_T_STR:
        s = a[0].u.str;
        break;
    case RUL_T_INT: /* epoch seconds / ms / us / ns, told apart by digit count (as_tparse.h) */
        if (a[0].u.i < 0)
            return rul_ev_fail(c, "time(): not a timestamp");
        s = as_slice_make(digits, (size_t)snprintf(digits, sizeof digits, "%lld", (long long)a[0].u.i));
        break;
    default:
        return rul_ev_mismatch(c, RUL_X_TIMEISH, a[0].type);
    }
    out->type = RUL_T_TIME;
    if (s.len == 0 || as_time_parse_any(s, off, &out->u.t, NULL) != s.len)
        return rul_ev_fail(c, "time(): not a timestamp");
    return AS_OK;
}

static as_code fn_date(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    int off;
    AS_TRY(need(c, &a[0], RUL_T_TIME));
    AS_TRY(tz_of(c, n, a, &off));
    int64_t y;
    unsigned m, d;
    as_civil_from_days(as_time_day(a[0].u.t, off), &y, &m, &d);
    char buf[40];
    int len = snprintf(buf, sizeof buf, "%04lld-%02u-%02u", (long long)y, m, d);
    char *p = c->rt->ar ? as_arena_strndup(c->rt->ar, buf, (size_t)len) : NULL;
    if (p == NULL)
        return AS_ERR_NOMEM;
    return out_str(out, as_slice_make(p, (size_t)len));
}

static as_code fn_hour(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    int off;
    AS_TRY(need(c, &a[0], RUL_T_TIME));
    AS_TRY(tz_of(c, n, a, &off));
    int64_t local = a[0].u.t.sec % 86400 + (int64_t)off * 60; /* no overflow: |sec % 86400| < 86400 */
    return out_int(out, ((local % 86400) + 86400) % 86400 / 3600);
}

static as_code fn_weekday(rul_ev *c, const rul_node *n, const rul_val *a, rul_val *out)
{
    int off;
    AS_TRY(need(c, &a[0], RUL_T_TIME));
    AS_TRY(tz_of(c, n, a, &off));
    return out_int(out, (int64_t)as_weekday_from_days(as_time_day(a[0].u.t, off)) + 1);
}

/* ---- lazy functions ---- */

static as_code fn_coalesce(rul_ev *c, const rul_node *n, rul_val *out)
{
    int saw_null = 0;
    for (size_t i = 0; i < n->n_kids; i++) {
        AS_TRY(rul_ev_node(c, n->kids[i], out));
        if (!rul_ev_absent(out))
            return AS_OK;
        saw_null |= out->type == RUL_T_NULL;
    }
    out->type = saw_null ? RUL_T_NULL : RUL_T_MISSING;
    return AS_OK;
}

static as_code fn_exists(rul_ev *c, const rul_node *n, rul_val *out)
{
    AS_TRY(rul_ev_node(c, n->kids[0], out));
    return out_bool(out, out->type != RUL_T_MISSING);
}

/* any (0), all (1), count (2), first (3): the predicate once per element,
 * `it` bound at the call's level; an unknown predicate result before the
 * deciding element makes the result unknown (MISSING wins over null). */
static as_code fn_lambda(rul_ev *c, const rul_node *n, int which, rul_val *out)
{
    rul_val arr;
    AS_TRY(rul_ev_node(c, n->kids[0], &arr));
    if (rul_ev_absent(&arr)) {
        *out = arr;
        return AS_OK;
    }
    if (arr.type != RUL_T_JSON)
        return rul_ev_mismatch(c, RUL_X_ARRAY, arr.type);
    rul_arr it;
    AS_TRY(rul_arr_init(c, &it, arr.u.str));
    rul_val *el = &c->it[n->u.level];
    rul_type unknown = RUL_T_BOOL;
    int64_t k = 0;
    as_code rc = AS_OK;
    int r;
    while ((r = rul_arr_next(c, &it, el, &rc)) == 1) {
        if (n->n_kids < 2) { /* count(arr) */
            k++;
            continue;
        }
        rul_val p;
        AS_TRY(rul_ev_node(c, n->kids[1], &p));
        if (rul_ev_absent(&p)) {
            if (unknown != RUL_T_MISSING)
                unknown = p.type;
            continue;
        }
        if (p.type != RUL_T_BOOL)
            return rul_ev_mismatch(c, RUL_T_BOOL, p.type);
        if (which == 0 && p.u.b)
            return out_bool(out, 1);
        if (which == 1 && !p.u.b)
            return out_bool(out, 0);
        if (which == 3 && p.u.b) {
            if (unknown != RUL_T_BOOL)
                break;
            *out = *el;
            return AS_OK;
        }
        k += p.u.b != 0;
    }
    if (r < 0)
        return rc;
    if (unknown != RUL_T_BOOL) {
        out->type = unknown;
        return AS_OK;
    }
    switch (which) {
    case 0: return out_bool(out, 0);
    case 1: return out_bool(out, 1);
    case 2: return out_int(out, k);
    default:
        out->type = RUL_T_MISSING;
        if (c->rt->why == NULL)
            c->rt->why = "missing value: first() found no element";
        return AS_OK;
    }
}

/* ---- the table ---- */

static const fn_def k_fns[FN__COUNT] = {
    [FN_LOWER] = { "lower", 1, 1, FN_STRICT, { PK_STR }, RUL_T_STR, fn_lower },
    [FN_UPPER] = { "upper", 1, 1, FN_STRICT, { PK_STR }, RUL_T_STR, fn_upper },
    [FN_TRIM] = { "trim", 1, 1, FN_STRICT, { PK_STR }, RUL_T_STR, fn_trim },
    [FN_LEN] = { "len", 1, 1, FN_STRICT, { PK_STRARR }, RUL_T_INT, fn_len },
    [FN_SPLIT] = { "split", 3, 3, FN_STRICT, { PK_STR, PK_STR, PK_INT }, RUL_T_STR, fn_split },
    [FN_SUBSTR] = { "substr", 2, 3, FN_STRICT, { PK_STR, PK_INT, PK_INT }, RUL_T_STR, fn_substr },
    [FN_STARTSWITH] = { "startswith", 2, 2, FN_STRICT, { PK_STR, PK_STR }, RUL_T_BOOL, fn_startswith },
    [FN_ENDSWITH] = { "endswith", 2, 2, FN_STRICT, { PK_STR, PK_STR }, RUL_T_BOOL, fn_endswith },
    [FN_CONTAINS] = { "contains", 2, 2, FN_STRICT, { PK_STRARR, PK_ANY }, RUL_T_BOOL, fn_contains },
    [FN_COALESCE] = { "coalesce", 1, RUL_EXPR_MAX_ARGS, 0, { PK_ANY }, RUL_T_ANY, NULL },
    [FN_EXISTS] = { "exists", 1, 1, 0, { PK_PATH }, RUL_T_BOOL, NULL },
    [FN_TIME] = { "time", 1, 2, FN_STRICT, { PK_TIMEISH, PK_TZ }, RUL_T_TIME, fn_time },
    [FN_DATE] = { "date", 1, 2, FN_STRICT, { PK_TIME, PK_TZ }, RUL_T_STR, fn_date },
    [FN_HOUR] = { "hour", 1, 2, FN_STRICT, { PK_TIME, PK_TZ }, RUL_T_INT, fn_hour },
    [FN_WEEKDAY] = { "weekday", 1, 2, FN_STRICT, { PK_TIME, PK_TZ }, RUL_T_INT, fn_weekday },
    [FN_NUMBER] = { "number", 1, 1, FN_STRICT, { PK_NUMISH }, RUL_T_NUMBER, fn_number },
    [FN_STRING] = { "string", 1, 1, FN_STRICT, { PK_ANY }, RUL_T_STR, fn_string },
    [FN_ANY] = { "any", 2, 2, FN_LAMBDA, { PK_ARR, PK_PRED }, RUL_T_BOOL, NULL },
    [FN_ALL] = { "all", 2, 2, FN_LAMBDA, { PK_ARR, PK_PRED }, RUL_T_BOOL, NULL },
    [FN_COUNT] = { "count", 1, 2, FN_LAMBDA, { PK_ARR, PK_PRED }, RUL_T_INT, NULL },
    [FN_FIRST] = { "first", 2, 2, FN_LAMBDA, { PK_ARR, PK_PRED }, RUL_T_ANY, NULL },
};

int rul_fn_find(as_slice name)
{
    for (size_t i = 0; i < AS_ARRAY_LEN(k_fns); i++)
        if (as_slice_eq_cstr(name, k_fns[i].name))
            return (int)i;
    return -1;
}

/* Edit distance (insert, delete, substitute), both strings <= FN_SUGGEST_MAX. */
static unsigned edit_distance(as_slice a, const char *b)
{
    unsigned row[FN_SUGGEST_MAX + 1];
    size_t nb = strlen(b);
    for (size_t j = 0; j <= nb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= a.len; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j];
            unsigned sub = diag + ((a.ptr[i - 1] | 0x20) != (b[j - 1] | 0x20));
            unsigned best = AS_MIN(up + 1, row[j - 1] + 1);
            row[j] = AS_MIN(best, sub);
            diag = up;
        }
    }
    return row[nb];
}

const char *rul_fn_suggest(as_slice name)
{
    if (name.len == 0 || name.len > FN_SUGGEST_MAX)
        return NULL;
    const char *best = NULL;
    unsigned best_d = 3; /* at most 2 edits */
    for (size_t i = 0; i < AS_ARRAY_LEN(k_fns); i++) {
        unsigned d = edit_distance(name, k_fns[i].name);
        if (d < best_d && d < strlen(k_fns[i].name)) {
            best_d = d;
            best = k_fns[i].name;
        }
    }
    return best;
}

const char *rul_fn_name(unsigned fn)
{
    return fn < AS_ARRAY_LEN(k_fns) ? k_fns[fn].name : "?";
}

void rul_fn_arity(unsigned fn, unsigned *min, unsigned *max)
{
    *min = k_fns[fn].min;
    *max = k_fns[fn].max;
}

int rul_fn_is_lambda(unsigned fn)
{
    return (k_fns[fn].flags & FN_LAMBDA) != 0;
}

int rul_fn_is_pure(unsigned fn)
{
    (void)fn;
    return 1; /* no function reads the clock, the environment or state */
}

/* ---- static checks ---- */

static int pk_accepts(unsigned pk, unsigned t, const rul_node *k)
{
    if (t == RUL_T_ANY && pk != PK_PATH)
        return 1;
    switch (pk) {
    case PK_STR: case PK_TZ: return t == RUL_T_STR;
    case PK_INT: return t == RUL_T_INT || t == RUL_T_NUMBER;
    case PK_TIME: return t == RUL_T_TIME;
    case PK_TIMEISH: return t == RUL_T_TIME || t == RUL_T_STR || t == RUL_T_INT || t == RUL_T_NUMBER;
    case PK_ARR: return t == RUL_T_JSON;
    case PK_STRARR: return t == RUL_T_STR || t == RUL_T_JSON;
    case PK_PRED: return t == RUL_T_BOOL;
    case PK_NUMISH: return rul_is_num(t) || t == RUL_T_STR || t == RUL_T_TIME;
    case PK_PATH:
        return k->kind == RN_FIELD || k->kind == RN_PSEUDO || k->kind == RN_GET || k->kind == RN_IT;
    default: return 1;
    }
}

static const char *pk_word(unsigned pk)
{
    switch (pk) {
    case PK_STR: return "a string";
    case PK_INT: return "an integer";
    case PK_TIME: return "a time";
    case PK_TZ: return "a time zone string";
    case PK_TIMEISH: return "a time, string or integer";
    case PK_ARR: return "a JSON array";
    case PK_STRARR: return "a string or JSON array";
    case PK_PRED: return "a boolean predicate";
    case PK_PATH: return "a field path";
    case PK_NUMISH: return "a number, string or time";
    default: return "a value";
    }
}

static as_slice clip(as_slice s)
{
    return as_slice_sub(s, 0, 60);
}

/* Constant arguments checked now, at their own position. */
static int check_consts(rul_cc *cc, const rul_node *n)
{
    const char *name = k_fns[n->op].name;
    const rul_node *const *k = (const rul_node *const *)n->kids;
    for (size_t i = 0; i < n->n_kids; i++) {
        unsigned pk = k_fns[n->op].params[i < 2 ? i : 2];
        int off;
        if (pk == PK_TZ && k[i]->kind == RN_CONST && k[i]->u.k.v.type == RUL_T_STR &&
            as_tz_parse(k[i]->u.k.v.u.str, &off) != 0)
            return rul_cc_fail(cc, k[i]->start, AS_ERR_SYNTAX,
                               "invalid time zone '" AS_SLICE_FMT "' (use UTC, Z, +02:00 or -0500; named zones "
                               "change with daylight saving)",
                               AS_SLICE_ARG(clip(k[i]->u.k.v.u.str)));
    }
    if (n->op == FN_SPLIT && k[1]->kind == RN_CONST && k[1]->u.k.v.type == RUL_T_STR &&
        k[1]->u.k.v.u.str.len == 0)
        return rul_cc_fail(cc, k[1]->start, AS_ERR_SYNTAX, "split() needs a non-empty separator");
    if (n->op == FN_TIME && k[0]->kind == RN_CONST && k[0]->u.k.v.type == RUL_T_STR &&
        (n->n_kids == 1 || k[1]->kind == RN_CONST)) {
        int off = 0;
        as_time t;
        as_slice s = k[0]->u.k.v.u.str;
        if (n->n_kids == 2 && as_tz_parse(k[1]->u.k.v.u.str, &off) != 0)
            return 0; /* reported above */
        if (s.len == 0 || as_time_parse_any(s, off, &t, NULL) != s.len)
            return rul_cc_fail(cc, k[0]->start, AS_ERR_SYNTAX,
                               "%s(): '" AS_SLICE_FMT "' is not a timestamp (e.g. \"2025-10-01T00:00:00Z\")", name,
                               AS_SLICE_ARG(clip(s)));
    }
    return 0;
}

int rul_fn_check(rul_cc *cc, rul_node *n)
{
    const fn_def *f = &k_fns[n->op];
    for (size_t i = 0; i < n->n_kids; i++) {
        const rul_node *k = n->kids[i];
        unsigned pk = f->params[i < 2 ? i : 2];
        if (f->max == RUL_EXPR_MAX_ARGS)
            pk = f->params[0];
        if (!pk_accepts(pk, k->type, k)) {
            if (pk == PK_PATH)
                return rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "%s() takes a field path (e.g. %s(actor.id))",
                                   f->name, f->name);
            return rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "%s() expects %s as argument %zu, got %s%s", f->name,
                               pk_word(pk), i + 1, rul_type_word(k->type),
                               pk == PK_TIME && k->type == RUL_T_STR ? " (convert it with time(x))" : "");
        }
    }
    if (n->op == FN_CONTAINS && n->kids[0]->type == RUL_T_STR && n->kids[1]->type != RUL_T_ANY &&
        n->kids[1]->type != RUL_T_STR)
        return rul_cc_fail(cc, n->kids[1]->start, AS_ERR_SYNTAX,
                           "contains() expects a string as argument 2 when argument 1 is a string, got %s",
                           rul_type_word(n->kids[1]->type));
    if (check_consts(cc, n) != 0)
        return -1;
    n->type = f->ret;
    if (n->op == FN_COALESCE) { /* the arguments' common type, if they have one */
        unsigned t = n->kids[0]->type;
        for (size_t i = 1; i < n->n_kids; i++) {
            unsigned u = n->kids[i]->type;
            if (u == RUL_T_NULL || u == t)
                continue;
            if (t == RUL_T_NULL)
                t = u;
            else if (rul_is_num(t) && rul_is_num(u))
                t = RUL_T_NUMBER;
            else
                t = RUL_T_ANY;
        }
        n->type = (uint8_t)(t == RUL_T_NULL ? RUL_T_ANY : t);
    }
    return 0;
}

/* ---- evaluation ---- */

as_code rul_fn_eval(rul_ev *c, const rul_node *n, rul_val *out)
{
    const fn_def *f = &k_fns[n->op];
    if (!(f->flags & FN_STRICT)) {
        switch (n->op) {
        case FN_COALESCE: return fn_coalesce(c, n, out);
        case FN_EXISTS: return fn_exists(c, n, out);
        default: return fn_lambda(c, n, n->op - FN_ANY, out);
        }
    }
    rul_val a[FN_MAX_STRICT];
    rul_type absent = RUL_T_BOOL;
    for (size_t i = 0; i < n->n_kids && i < FN_MAX_STRICT; i++) {
        AS_TRY(rul_ev_node(c, n->kids[i], &a[i]));
        if (a[i].type == RUL_T_MISSING)
            absent = RUL_T_MISSING;
        else if (a[i].type == RUL_T_NULL && absent != RUL_T_MISSING)
            absent = RUL_T_NULL;
    }
    if (absent != RUL_T_BOOL) {
        out->type = absent;
        return AS_OK;
    }
    return f->impl(c, n, a, out);
}
