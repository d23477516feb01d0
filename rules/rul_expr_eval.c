/* rul_expr_eval.c: evaluating a compiled expression against one record.
 *
 * A tree walk, one C frame per level (the compiler bounds the height). It
 * allocates nothing itself: values are rul_vals on the stack, text that must
 * be built (a concatenation, string(x)) comes from rt->ar, and record
 * fields are read once per evaluation (a small cache in the rul_ev indexed
 * by the field's first-use number). Missing and null values flow through
 * the operators like SQL NULL: and/or/not are three-valued (false and
 * MISSING = false, true or MISSING = true), comparisons and arithmetic with
 * a MISSING operand are MISSING, with a null one null (except == and !=,
 * which treat null as a value). A value of the wrong type is an error value
 * (AS_ERR_BAD_VALUE, rt->why "type mismatch: expected X, got Y"), never a
 * guess. rt->why is always static text.
 */
#include "rules/rul_expr_int.h"

#include <math.h>    /* isnan */
#include <stdio.h>   /* snprintf */

/* ---- names and messages ---- */

const char *rul_type_name(rul_type t)
{
    static const char *const k_names[] = {
        [RUL_T_ANY] = "any",       [RUL_T_MISSING] = "missing", [RUL_T_NULL] = "null",
        [RUL_T_BOOL] = "boolean",  [RUL_T_INT] = "integer",     [RUL_T_NUM] = "number",
        [RUL_T_STR] = "string",    [RUL_T_TIME] = "time",       [RUL_T_DUR] = "duration",
        [RUL_T_JSON] = "JSON",
    };
    return (unsigned)t < AS_ARRAY_LEN(k_names) ? k_names[t] : "unknown";
}

/* "type mismatch: expected E, got T" for every E and T, as static text
 * (rt->why must outlive the evaluation without owning memory). */
#define RUL_MM(e)                                                                                                 \
    {                                                                                                             \
        [RUL_T_ANY] = "type mismatch: expected " e, [RUL_T_MISSING] = "type mismatch: expected " e ", got missing", \
        [RUL_T_NULL] = "type mismatch: expected " e ", got null",                                                 \
        [RUL_T_BOOL] = "type mismatch: expected " e ", got boolean",                                              \
        [RUL_T_INT] = "type mismatch: expected " e ", got integer",                                               \
        [RUL_T_NUM] = "type mismatch: expected " e ", got number",                                                \
        [RUL_T_STR] = "type mismatch: expected " e ", got string",                                                \
        [RUL_T_TIME] = "type mismatch: expected " e ", got time",                                                 \
        [RUL_T_DUR] = "type mismatch: expected " e ", got duration",                                              \
        [RUL_T_JSON] = "type mismatch: expected " e ", got JSON",                                                 \
    }

// NOLINTBEGIN(bugprone-suspicious-missing-comma): each RUL_MM text is meant to be one concatenated literal
static const char *const k_mismatch[RUL_X__END][RUL_T_JSON + 1] = {
    [RUL_T_BOOL] = RUL_MM("boolean"),
    [RUL_T_INT] = RUL_MM("integer"),
    [RUL_T_NUM] = RUL_MM("number"),
    [RUL_T_STR] = RUL_MM("string"),
    [RUL_T_TIME] = RUL_MM("time"),
    [RUL_T_DUR] = RUL_MM("duration"),
    [RUL_T_JSON] = RUL_MM("JSON"),
    [RUL_T_NUMBER] = RUL_MM("number"),
    [RUL_X_ARRAY] = RUL_MM("JSON array"),
    [RUL_X_CONTAINER] = RUL_MM("JSON object or array"),
    [RUL_X_STR_OR_ARRAY] = RUL_MM("string or JSON array"),
    [RUL_X_TIMEISH] = RUL_MM("time, string or integer"),
    [RUL_X_ORDERED] = RUL_MM("number, string, time or duration"),
    [RUL_X_TIME_OR_DUR] = RUL_MM("time or duration"),
};
// NOLINTEND(bugprone-suspicious-missing-comma)

as_code rul_ev_mismatch(rul_ev *c, unsigned expected, rul_type got)
{
    const char *why = expected < RUL_X__END && (unsigned)got <= RUL_T_JSON ? k_mismatch[expected][got] : NULL;
    c->rt->why = why ? why : "type mismatch";
    return AS_ERR_BAD_VALUE;
}

as_code rul_ev_fail(rul_ev *c, const char *why)
{
    c->rt->why = why;
    return AS_ERR_BAD_VALUE;
}

/* Expected-type code of a value's type for messages: numbers are "number". */
static unsigned expect_of(rul_type t)
{
    return t == RUL_T_INT || t == RUL_T_NUM ? RUL_T_NUMBER : (unsigned)t;
}

/* ---- values ---- */

rul_val rul_val_from_as(const as_val *v)
{
    rul_val r = { .type = RUL_T_MISSING };
    switch (v->type) {
    case AS_V_MISSING: break;
    case AS_V_NULL: r.type = RUL_T_NULL; break;
    case AS_V_STR: r.type = RUL_T_STR; r.u.str = v->u.str; break;
    case AS_V_JSON: r.type = RUL_T_JSON; r.u.str = v->u.str; break;
    case AS_V_INT: r.type = RUL_T_INT; r.u.i = v->u.i; break;
    case AS_V_NUM: r.type = RUL_T_NUM; r.u.num = v->u.num; break;
    case AS_V_BOOL: r.type = RUL_T_BOOL; r.u.b = v->u.b != 0; break;
    case AS_V_TIME: r.type = RUL_T_TIME; r.u.t = v->u.t; break;
    }
    return r;
}

#define RUL_DUR_TEXT_MAX 40 /* "-2562047h47m16.854775808s" (25) + NUL fits */

/* Writes the fraction digits of v / 10^prec (trailing zeros dropped, with
 * the point) backwards before buf[*w]; returns v / 10^prec. */
static uint64_t dur_frac(char *buf, size_t *w, uint64_t v, int prec)
{
    int print = 0;
    for (int i = 0; i < prec; i++) {
        unsigned dg = (unsigned)(v % 10);
        print |= dg != 0;
        if (print)
            buf[--*w] = (char)('0' + dg);
        v /= 10;
    }
    if (print)
        buf[--*w] = '.';
    return v;
}

static void dur_int(char *buf, size_t *w, uint64_t v)
{
    do {
        buf[--*w] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
}

/* Durations as Go prints them: 1h30m0s, 1m30s, 1.5s, 500ms, 1.5µs, 0s. */
static size_t dur_format(int64_t d, char out[RUL_DUR_TEXT_MAX])
{
    char buf[RUL_DUR_TEXT_MAX];
    size_t w = sizeof buf;
    uint64_t u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
    if (u == 0) {
        memcpy(out, "0s", 3);
        return 2;
    }
    if (u < (uint64_t)AS_NSEC_PER_SEC) {
        int prec;
        const char *unit;
        if (u < 1000) {
            prec = 0;
            unit = "ns";
        } else if (u < 1000000) {
            prec = 3;
            unit = "\xc2\xb5s"; /* µs */
        } else {
            prec = 6;
            unit = "ms";
        }
        size_t ul = strlen(unit);
        w -= ul;
        memcpy(buf + w, unit, ul);  // NOLINT(bugprone-not-null-terminated-result): buf is filled backwards; out gets the NUL
        u = dur_frac(buf, &w, u, prec);
        dur_int(buf, &w, u);
    } else {
        buf[--w] = 's';
        u = dur_frac(buf, &w, u, 9);
        dur_int(buf, &w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            dur_int(buf, &w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                dur_int(buf, &w, u);
            }
        }
    }
    if (d < 0)
        buf[--w] = '-';
    size_t n = sizeof buf - w;
    memcpy(out, buf + w, n);
    out[n] = '\0';
    return n;
}

int rul_val_to_text(const rul_val *v, as_buf *buf)
{
    as_val a = { .type = AS_V_MISSING };
    switch (v->type) {
    case RUL_T_DUR: {
        char t[RUL_DUR_TEXT_MAX];
        size_t n = dur_format(v->u.dur, t);
        return as_buf_append(buf, t, n);
    }
    case RUL_T_NULL: a.type = AS_V_NULL; break;
    case RUL_T_BOOL: a.type = AS_V_BOOL; a.u.b = v->u.b; break;
    case RUL_T_INT: a.type = AS_V_INT; a.u.i = v->u.i; break;
    case RUL_T_NUM: a.type = AS_V_NUM; a.u.num = v->u.num; break;
    case RUL_T_STR: a.type = AS_V_STR; a.u.str = v->u.str; break;
    case RUL_T_JSON: a.type = AS_V_JSON; a.u.str = v->u.str; break;
    case RUL_T_TIME: a.type = AS_V_TIME; a.u.t = v->u.t; break;
    default: break;
    }
    return as_val_to_text(&a, buf);
}

as_code rul_ev_text(rul_ev *c, const rul_val *v, as_slice *out)
{
    char tmp[AS_TIME_RFC3339_MAX > AS_NUM_TEXT_MAX ? AS_TIME_RFC3339_MAX : AS_NUM_TEXT_MAX];
    size_t n = 0;
    switch (v->type) {
    case RUL_T_STR:
    case RUL_T_JSON:
        *out = v->u.str;
        return AS_OK;
    case RUL_T_BOOL:
        *out = v->u.b ? AS_SLICE_LIT("true") : AS_SLICE_LIT("false");
        return AS_OK;
    case RUL_T_INT: n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i); break;
    case RUL_T_NUM: n = as_num_format(v->u.num, tmp); break;
    case RUL_T_TIME: n = as_time_format_utc(v->u.t, tmp); break;
    case RUL_T_DUR: {
        char d[RUL_DUR_TEXT_MAX];
        n = dur_format(v->u.dur, d);
        memcpy(tmp, d, n < sizeof tmp ? n : sizeof tmp);
        break;
    }
    default:
        *out = (as_slice){ "", 0 };
        return AS_OK;
    }
    char *p = c->rt->ar ? as_arena_strndup(c->rt->ar, tmp, n) : NULL;
    if (p == NULL)
        return AS_ERR_NOMEM;
    *out = as_slice_make(p, n);
    return AS_OK;
}

/* ---- comparing ---- */

/* int64 against double without losing precision: -1, 0, 1, 2 = unordered. */
static int cmp_int_num(int64_t i, double d)
{
    if (isnan(d))
        return 2;
    if (d >= 9223372036854775808.0)
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    int64_t di = (int64_t)d; /* toward zero, in range */
    if (i != di)
        return i < di ? -1 : 1;
    double frac = d - (double)di; /* exact */
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static int cmp_num(const rul_val *a, const rul_val *b)
{
    if (a->type == RUL_T_INT && b->type == RUL_T_INT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    if (a->type == RUL_T_INT)
        return cmp_int_num(a->u.i, b->u.num);
    if (b->type == RUL_T_INT) {
        int r = cmp_int_num(b->u.i, a->u.num);
        return r == 2 ? 2 : -r;
    }
    double x = a->u.num, y = b->u.num;
    if (isnan(x) || isnan(y))
        return 2;
    return (x > y) - (x < y);
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* A string read as a time, for comparisons with a time. */
static int str_time(as_slice s, as_time *t)
{
    return s.len && as_time_parse_any(s, 0, t, NULL) == s.len ? 0 : -1;
}

/* -1/0/1/2 into *cmp for two values of types that go together (after
 * absent values were dealt with); -1 when they do not. */
static int order_typed(const rul_val *a, const rul_val *b, int *cmp)
{
    rul_type ta = a->type, tb = b->type;
    as_time t;
    if (rul_is_num(ta) && rul_is_num(tb)) {
        *cmp = cmp_num(a, b);
        return 0;
    }
    if (ta == RUL_T_STR && tb == RUL_T_STR) {
        *cmp = sign(as_slice_cmp(a->u.str, b->u.str));
        return 0;
    }
    if (ta == RUL_T_TIME && tb == RUL_T_TIME) {
        *cmp = sign(as_time_cmp(a->u.t, b->u.t));
        return 0;
    }
    if (ta == RUL_T_TIME && tb == RUL_T_STR) {
        if (str_time(b->u.str, &t) != 0)
            return -1;
        *cmp = sign(as_time_cmp(a->u.t, t));
        return 0;
    }
    if (ta == RUL_T_STR && tb == RUL_T_TIME) {
        if (str_time(a->u.str, &t) != 0)
            return -1;
        *cmp = sign(as_time_cmp(t, b->u.t));
        return 0;
    }
    if (ta == RUL_T_DUR && tb == RUL_T_DUR) {
        *cmp = (a->u.dur > b->u.dur) - (a->u.dur < b->u.dur);
        return 0;
    }
    return -1;
}

as_code rul_ev_order(rul_ev *c, const rul_val *a, const rul_val *b, int *cmp)
{
    if (order_typed(a, b, cmp) == 0)
        return AS_OK;
    unsigned ta = a->type;
    if (!(rul_is_num(ta) || ta == RUL_T_STR || ta == RUL_T_TIME || ta == RUL_T_DUR))
        return rul_ev_mismatch(c, RUL_X_ORDERED, a->type);
    return rul_ev_mismatch(c, expect_of(a->type), b->type);
}

/* Equality for two present values: 0 with *eq, or -1 when the types do not
 * go together. null equals null only. */
static int eq_typed(const rul_val *a, const rul_val *b, int *eq)
{
    if (a->type == RUL_T_NULL || b->type == RUL_T_NULL) {
        *eq = a->type == b->type;
        return 0;
    }
    if (a->type == RUL_T_BOOL && b->type == RUL_T_BOOL) {
        *eq = (a->u.b != 0) == (b->u.b != 0);
        return 0;
    }
    if (a->type == RUL_T_JSON && b->type == RUL_T_JSON) {
        *eq = as_slice_eq(a->u.str, b->u.str);
        return 0;
    }
    int cmp;
    if (order_typed(a, b, &cmp) != 0)
        return -1;
    *eq = cmp == 0;
    return 0;
}

int rul_val_eq(const rul_val *a, const rul_val *b)
{
    int eq = 0;
    if (a->type == RUL_T_MISSING || b->type == RUL_T_MISSING)
        return 0;
    return eq_typed(a, b, &eq) == 0 && eq;
}

/* A comparison's constant side that reads as a time stands for that instant
 * when the other side is a time (parsed once, at compile time). */
static void const_time(const rul_node *k, const rul_val *other, rul_val *v)
{
    if (k->kind == RN_CONST && k->u.k.has_t && other->type == RUL_T_TIME && v->type == RUL_T_STR) {
        v->type = RUL_T_TIME;
        v->u.t = k->u.k.t;
    }
}

static as_code ev_cmp(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val a, b;
    AS_TRY(rul_ev_node(c, n->kids[0], &a));
    AS_TRY(rul_ev_node(c, n->kids[1], &b));
    int is_eq = n->op == TK_EQ || n->op == TK_NE, r;
    if (a.type == RUL_T_MISSING || b.type == RUL_T_MISSING) {
        out->type = RUL_T_MISSING;
        return AS_OK;
    }
    if ((a.type == RUL_T_NULL || b.type == RUL_T_NULL) && !is_eq) {
        out->type = RUL_T_NULL;
        return AS_OK;
    }
    const_time(n->kids[1], &a, &b);
    const_time(n->kids[0], &b, &a);
    if (is_eq) {
        int eq;
        if (eq_typed(&a, &b, &eq) != 0)
            return rul_ev_mismatch(c, expect_of(a.type), b.type);
        r = n->op == TK_EQ ? eq : !eq;
    } else {
        int cmp;
        AS_TRY(rul_ev_order(c, &a, &b, &cmp));
        switch (n->op) {
        case TK_LT: r = cmp == -1; break;
        case TK_LE: r = cmp == -1 || cmp == 0; break;
        case TK_GT: r = cmp == 1; break;
        default: r = cmp == 1 || cmp == 0; break; /* TK_GE */
        }
    }
    out->type = RUL_T_BOOL;
    out->u.b = r;
    return AS_OK;
}

/* ---- membership ---- */

static as_code ev_in_list(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val x;
    AS_TRY(rul_ev_node(c, n->kids[0], &x));
    if (x.type == RUL_T_MISSING) {
        out->type = RUL_T_MISSING;
        return AS_OK;
    }
    int hit = 0;
    for (size_t i = 1; i < n->n_kids && !hit; i++) {
        const rul_node *k = n->kids[i];
        rul_val v = k->u.k.v;
        const_time(k, &x, &v);
        int eq;
        if (eq_typed(&x, &v, &eq) != 0)
            return rul_ev_mismatch(c, expect_of(v.type), x.type);
        hit = eq;
    }
    out->type = RUL_T_BOOL;
    out->u.b = hit != n->neg;
    return AS_OK;
}

static as_code ev_in_set(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val x;
    AS_TRY(rul_ev_node(c, n->kids[0], &x));
    if (x.type == RUL_T_MISSING) {
        out->type = RUL_T_MISSING;
        return AS_OK;
    }
    int hit = 0;
    if (x.type == RUL_T_JSON)
        return rul_ev_mismatch(c, RUL_T_STR, x.type);
    if (x.type != RUL_T_NULL && c->rt->set_has != NULL) {
        as_slice s;
        AS_TRY(rul_ev_text(c, &x, &s));
        hit = c->rt->set_has(c->rt->set_arg, n->u.set_id, s) != 0;
    }
    out->type = RUL_T_BOOL;
    out->u.b = hit != n->neg;
    return AS_OK;
}

static as_code ev_in_arr(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val x, arr;
    AS_TRY(rul_ev_node(c, n->kids[0], &x));
    AS_TRY(rul_ev_node(c, n->kids[1], &arr));
    if (x.type == RUL_T_MISSING || arr.type == RUL_T_MISSING) {
        out->type = RUL_T_MISSING;
        return AS_OK;
    }
    if (arr.type == RUL_T_NULL) {
        out->type = RUL_T_NULL;
        return AS_OK;
    }
    if (arr.type != RUL_T_JSON)
        return rul_ev_mismatch(c, RUL_X_ARRAY, arr.type);
    rul_arr it;
    AS_TRY(rul_arr_init(c, &it, arr.u.str));
    rul_val el;
    as_code rc = AS_OK;
    int hit = 0;
    while (!hit && rul_arr_next(c, &it, &el, &rc) == 1)
        hit = rul_val_eq(&x, &el); /* elements of another type are simply not equal */
    if (rc != AS_OK)
        return rc;
    out->type = RUL_T_BOOL;
    out->u.b = hit != n->neg;
    return AS_OK;
}

/* ---- arithmetic ---- */

int rul_arith_operand_ok(unsigned op, unsigned t)
{
    if (rul_is_num(t) || t == RUL_T_DUR)
        return 1;
    if (t == RUL_T_STR)
        return op == TK_PLUS;
    if (t == RUL_T_TIME)
        return op == TK_PLUS || op == TK_MINUS;
    return 0;
}

int rul_arith_type(unsigned op, unsigned a, unsigned b)
{
    if (rul_is_num(a) && rul_is_num(b)) {
        if (op == TK_SLASH || a == RUL_T_NUM || b == RUL_T_NUM)
            return RUL_T_NUM;
        if (a == RUL_T_INT && b == RUL_T_INT)
            return RUL_T_INT;
        return RUL_T_NUMBER;
    }
    switch (op) {
    case TK_PLUS:
        if (a == RUL_T_STR && b == RUL_T_STR)
            return RUL_T_STR;
        if ((a == RUL_T_TIME && b == RUL_T_DUR) || (a == RUL_T_DUR && b == RUL_T_TIME))
            return RUL_T_TIME;
        return a == RUL_T_DUR && b == RUL_T_DUR ? RUL_T_DUR : -1;
    case TK_MINUS:
        if (a == RUL_T_TIME && b == RUL_T_TIME)
            return RUL_T_DUR;
        if (a == RUL_T_TIME && b == RUL_T_DUR)
            return RUL_T_TIME;
        return a == RUL_T_DUR && b == RUL_T_DUR ? RUL_T_DUR : -1;
    case TK_STAR:
        return (a == RUL_T_DUR && rul_is_num(b)) || (rul_is_num(a) && b == RUL_T_DUR) ? RUL_T_DUR : -1;
    default: /* TK_SLASH */
        if (a == RUL_T_DUR && rul_is_num(b))
            return RUL_T_DUR;
        return a == RUL_T_DUR && b == RUL_T_DUR ? RUL_T_NUM : -1;
    }
}

/* What the right operand should have been, given the left. */
static as_code arith_mismatch(rul_ev *c, unsigned op, const rul_val *a, const rul_val *b)
{
    unsigned ta = a->type;
    if (!rul_arith_operand_ok(op, ta))
        return rul_ev_mismatch(c, RUL_T_NUMBER, a->type);
    unsigned want = RUL_T_NUMBER;
    if (ta == RUL_T_STR)
        want = RUL_T_STR;
    else if (ta == RUL_T_TIME)
        want = op == TK_PLUS ? RUL_T_DUR : RUL_X_TIME_OR_DUR;
    else if (ta == RUL_T_DUR && (op == TK_PLUS || op == TK_MINUS))
        want = op == TK_PLUS ? RUL_X_TIME_OR_DUR : RUL_T_DUR;
    return rul_ev_mismatch(c, want, b->type);
}

static double to_d(const rul_val *v)
{
    return v->type == RUL_T_INT ? (double)v->u.i : v->u.num;
}

/* t + ns; -1 when the seconds overflow. */
static int time_add(as_time t, int64_t ns, as_time *out)
{
    int64_t s = ns / AS_NSEC_PER_SEC, r = ns % AS_NSEC_PER_SEC, sec;
    if (__builtin_add_overflow(t.sec, s, &sec))
        return -1;
    int64_t nsec = (int64_t)t.nsec + r;
    if (nsec < 0) {
        nsec += AS_NSEC_PER_SEC;
        if (__builtin_sub_overflow(sec, 1, &sec))
            return -1;
    } else if (nsec >= AS_NSEC_PER_SEC) {
        nsec -= AS_NSEC_PER_SEC;
        if (__builtin_add_overflow(sec, 1, &sec))
            return -1;
    }
    *out = (as_time){ .sec = sec, .nsec = (int32_t)nsec, .offset_min = t.offset_min, .flags = AS_TIME_VALID };
    return 0;
}

/* A double as a duration; -1 beyond int64 nanoseconds or NaN. */
static int dur_from_d(double d, int64_t *out)
{
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0))
        return -1;
    *out = (int64_t)d;
    return 0;
}

static as_code ev_arith_vals(rul_ev *c, unsigned op, const rul_val *a, const rul_val *b, rul_val *out)
{
    int t = rul_arith_type(op, a->type, b->type);
    if (t < 0)
        return arith_mismatch(c, op, a, b);
    int ovf = 0;
    switch (t) {
    case RUL_T_INT: {
        int64_t r = 0;
        if (op == TK_PLUS)
            ovf = __builtin_add_overflow(a->u.i, b->u.i, &r);
        else if (op == TK_MINUS)
            ovf = __builtin_sub_overflow(a->u.i, b->u.i, &r);
        else
            ovf = __builtin_mul_overflow(a->u.i, b->u.i, &r);
        if (ovf)
            return rul_ev_fail(c, "integer overflow");
        out->type = RUL_T_INT;
        out->u.i = r;
        return AS_OK;
    }
    case RUL_T_NUM: {
        if (a->type == RUL_T_DUR) { /* duration / duration */
            if (b->u.dur == 0)
                return rul_ev_fail(c, "division by zero");
            out->type = RUL_T_NUM;
            out->u.num = (double)a->u.dur / (double)b->u.dur;
            return AS_OK;
        }
        double x = to_d(a), y = to_d(b), r;
        switch (op) {
        case TK_PLUS: r = x + y; break;
        case TK_MINUS: r = x - y; break;
        case TK_STAR: r = x * y; break;
        default:
            if (y == 0)
                return rul_ev_fail(c, "division by zero");
            r = x / y;
            break;
        }
        out->type = RUL_T_NUM;
        out->u.num = r;
        return AS_OK;
    }
    case RUL_T_STR: {
        if (a->u.str.len == 0 || b->u.str.len == 0) {
            *out = a->u.str.len ? *a : *b;
            return AS_OK;
        }
        size_t n = a->u.str.len + b->u.str.len;
        char *p = c->rt->ar ? as_arena_alloc(c->rt->ar, n, 1) : NULL;
        if (p == NULL)
            return AS_ERR_NOMEM;
        memcpy(p, a->u.str.ptr, a->u.str.len);
        memcpy(p + a->u.str.len, b->u.str.ptr, b->u.str.len);
        out->type = RUL_T_STR;
        out->u.str = as_slice_make(p, n);
        return AS_OK;
    }
    case RUL_T_TIME: {
        const rul_val *tv = a->type == RUL_T_TIME ? a : b;
        int64_t d = a->type == RUL_T_DUR ? a->u.dur : b->u.dur;
        if (op == TK_MINUS && __builtin_sub_overflow((int64_t)0, d, &d))
            return rul_ev_fail(c, "time out of range");
        out->type = RUL_T_TIME;
        if (time_add(tv->u.t, d, &out->u.t) != 0)
            return rul_ev_fail(c, "time out of range");
        return AS_OK;
    }
    default: { /* RUL_T_DUR */
        int64_t r = 0;
        if (a->type == RUL_T_TIME) {
            r = as_time_diff_ns(a->u.t, b->u.t);
        } else if (a->type == RUL_T_DUR && b->type == RUL_T_DUR) {
            ovf = op == TK_PLUS ? __builtin_add_overflow(a->u.dur, b->u.dur, &r)
                                : __builtin_sub_overflow(a->u.dur, b->u.dur, &r);
        } else {
            const rul_val *dv = a->type == RUL_T_DUR ? a : b, *nv = a->type == RUL_T_DUR ? b : a;
            if (op == TK_SLASH && (nv->type == RUL_T_INT ? nv->u.i == 0 : nv->u.num == 0))
                return rul_ev_fail(c, "division by zero");
            if (nv->type == RUL_T_INT && op == TK_STAR)
                ovf = __builtin_mul_overflow(dv->u.dur, nv->u.i, &r);
            else if (nv->type == RUL_T_INT)
                ovf = nv->u.i == -1 && dv->u.dur == INT64_MIN ? 1 : (r = dv->u.dur / nv->u.i, 0);
            else
                ovf = dur_from_d(op == TK_STAR ? (double)dv->u.dur * nv->u.num : (double)dv->u.dur / nv->u.num, &r);
        }
        if (ovf)
            return rul_ev_fail(c, "duration overflow");
        out->type = RUL_T_DUR;
        out->u.dur = r;
        return AS_OK;
    }
    }
}

static as_code ev_arith(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val a, b;
    AS_TRY(rul_ev_node(c, n->kids[0], &a));
    AS_TRY(rul_ev_node(c, n->kids[1], &b));
    if (rul_ev_absent(&a) || rul_ev_absent(&b)) {
        out->type = a.type == RUL_T_MISSING || b.type == RUL_T_MISSING ? RUL_T_MISSING : RUL_T_NULL;
        return AS_OK;
    }
    return ev_arith_vals(c, n->op, &a, &b, out);
}

static as_code ev_neg(rul_ev *c, const rul_node *n, rul_val *out)
{
    AS_TRY(rul_ev_node(c, n->kids[0], out));
    switch (out->type) {
    case RUL_T_MISSING:
    case RUL_T_NULL:
        return AS_OK;
    case RUL_T_INT:
        if (out->u.i == INT64_MIN)
            return rul_ev_fail(c, "integer overflow");
        out->u.i = -out->u.i;
        return AS_OK;
    case RUL_T_NUM:
        out->u.num = -out->u.num;
        return AS_OK;
    case RUL_T_DUR:
        if (out->u.dur == INT64_MIN)
            return rul_ev_fail(c, "duration overflow");
        out->u.dur = -out->u.dur;
        return AS_OK;
    default:
        return rul_ev_mismatch(c, RUL_T_NUMBER, out->type);
    }
}

/* ---- logic ---- */

static as_code ev_not(rul_ev *c, const rul_node *n, rul_val *out)
{
    AS_TRY(rul_ev_node(c, n->kids[0], out));
    if (rul_ev_absent(out))
        return AS_OK;
    if (out->type != RUL_T_BOOL)
        return rul_ev_mismatch(c, RUL_T_BOOL, out->type);
    out->u.b = !out->u.b;
    return AS_OK;
}

/* and (is_or 0) / or (is_or 1), left to right, stopping at the first
 * operand that decides; unknown operands make the result unknown unless one
 * decides it (MISSING wins over null). */
static as_code ev_logic(rul_ev *c, const rul_node *n, int is_or, rul_val *out)
{
    rul_type unknown = RUL_T_BOOL;
    for (size_t i = 0; i < n->n_kids; i++) {
        rul_val v;
        AS_TRY(rul_ev_node(c, n->kids[i], &v));
        if (v.type == RUL_T_MISSING) {
            unknown = RUL_T_MISSING;
            continue;
        }
        if (v.type == RUL_T_NULL) {
            if (unknown != RUL_T_MISSING)
                unknown = RUL_T_NULL;
            continue;
        }
        if (v.type != RUL_T_BOOL)
            return rul_ev_mismatch(c, RUL_T_BOOL, v.type);
        if ((v.u.b != 0) == is_or) {
            out->type = RUL_T_BOOL;
            out->u.b = is_or;
            return AS_OK;
        }
    }
    out->type = unknown;
    out->u.b = !is_or;
    return AS_OK;
}

/* ---- leaves ---- */

static as_code ev_field(rul_ev *c, const rul_node *n, rul_val *out)
{
    uint32_t i = n->u.field.idx;
    int cacheable = i < RUL_EXPR_FIELD_CACHE;
    if (cacheable && (c->cached >> i & 1)) {
        *out = c->cache[i];
        return AS_OK;
    }
    as_val av = { .type = AS_V_MISSING };
    const as_rec *r = c->rt->rec;
    rul_rt *rt = c->rt;
    int hit = 0;
    if (r != NULL && rt->rec_cache_on) {
        as_slice p = n->u.field.path;
        for (unsigned k = 0; k < rt->n_rec_cache; k++)
            if (rt->rec_cache[k].path.len == p.len && memcmp(rt->rec_cache[k].path.ptr, p.ptr, p.len) == 0) {
                av = rt->rec_cache[k].v;
                hit = 1;
                break;
            }
    }
    if (r != NULL && !hit) {
        int rc = as_rec_get(r, n->u.field.path, &av, c->rt->ar);
        if (rc == AS_ERR_NOMEM)
            return AS_ERR_NOMEM;
        if (rc != AS_OK)
            return rul_ev_fail(c, "the field cannot be read from this record");
        if (rt->rec_cache_on && rt->n_rec_cache < RUL_RT_REC_CACHE)
            rt->rec_cache[rt->n_rec_cache++] = (struct rul_rt_field){ n->u.field.path, av };
    }
    *out = rul_val_from_as(&av);
    if (out->type == RUL_T_MISSING && c->rt->missing.ptr == NULL) {
        c->rt->missing = n->u.field.path;
        c->rt->why = "missing field";
    }
    if (cacheable) {
        c->cache[i] = *out;
        c->cached |= 1ull << i;
    }
    return AS_OK;
}

static as_code ev_pseudo(rul_ev *c, const rul_node *n, rul_val *out)
{
    static const as_slice k_names[RP__COUNT] = {
        AS_SLICE_LIT("$file"), AS_SLICE_LIT("$path"), AS_SLICE_LIT("$dir"),
        AS_SLICE_LIT("$line"), AS_SLICE_LIT("$source"), AS_SLICE_LIT("$format"),
    };
    const rul_rt *rt = c->rt;
    as_slice s = { NULL, 0 };
    switch (n->op) {
    case RP_FILE: s = rt->file; break;
    case RP_PATH: s = rt->path; break;
    case RP_DIR: s = rt->dir; break;
    case RP_SOURCE: s = rt->source; break;
    case RP_FORMAT: s = rt->format; break;
    default: /* RP_LINE */
        if (rt->line != 0 && rt->line <= (uint64_t)INT64_MAX) {
            out->type = RUL_T_INT;
            out->u.i = (int64_t)rt->line;
            return AS_OK;
        }
        break;
    }
    if (s.ptr != NULL) {
        out->type = RUL_T_STR;
        out->u.str = s;
        return AS_OK;
    }
    out->type = RUL_T_MISSING;
    if (c->rt->missing.ptr == NULL) {
        c->rt->missing = k_names[n->op < RP__COUNT ? n->op : 0];
        c->rt->why = "missing field";
    }
    return AS_OK;
}

static as_code ev_match(rul_ev *c, const rul_node *n, rul_val *out)
{
    AS_TRY(rul_ev_node(c, n->kids[0], out));
    if (rul_ev_absent(out))
        return AS_OK;
    if (out->type != RUL_T_STR)
        return rul_ev_mismatch(c, RUL_T_STR, out->type);
    int hit = 0;
    const char *why = NULL;
    as_code rc = rul_re_search(n->u.re, c->rt->scratch, out->u.str, &hit, &why);
    if (rc != AS_OK) {
        c->rt->why = why;
        return rc;
    }
    out->type = RUL_T_BOOL;
    out->u.b = hit != n->neg;
    return AS_OK;
}

static as_code ev_get(rul_ev *c, const rul_node *n, rul_val *out)
{
    rul_val v;
    AS_TRY(rul_ev_node(c, n->kids[0], &v));
    if (rul_ev_absent(&v)) {
        *out = v;
        return AS_OK;
    }
    if (v.type != RUL_T_JSON)
        return rul_ev_mismatch(c, RUL_X_CONTAINER, v.type);
    return rul_json_get(c, v.u.str, n->u.jp, out);
}

as_code rul_ev_node(rul_ev *c, const rul_node *n, rul_val *out)
{
    switch ((rul_nk)n->kind) {
    case RN_CONST: *out = n->u.k.v; return AS_OK;
    case RN_FIELD: return ev_field(c, n, out);
    case RN_PSEUDO: return ev_pseudo(c, n, out);
    case RN_IT: *out = c->it[n->u.level]; return AS_OK;
    case RN_GET: return ev_get(c, n, out);
    case RN_NOT: return ev_not(c, n, out);
    case RN_NEG: return ev_neg(c, n, out);
    case RN_AND: return ev_logic(c, n, 0, out);
    case RN_OR: return ev_logic(c, n, 1, out);
    case RN_CMP: return ev_cmp(c, n, out);
    case RN_ARITH: return ev_arith(c, n, out);
    case RN_MATCH: return ev_match(c, n, out);
    case RN_IN_LIST: return ev_in_list(c, n, out);
    case RN_IN_SET: return ev_in_set(c, n, out);
    case RN_IN_ARR: return ev_in_arr(c, n, out);
    case RN_CALL: return rul_fn_eval(c, n, out);
    }
    return rul_ev_fail(c, "internal error: unknown node");
}

/* ---- the public interface ---- */

as_code rul_expr_eval(const rul_expr *e, rul_rt *rt, rul_val *out)
{
    rt->missing = (as_slice){ NULL, 0 };
    rt->why = NULL;
    rul_ev c;
    c.rt = rt;
    c.e = e;
    c.cached = 0;
    out->type = RUL_T_MISSING;  /* every AS_OK path sets it; a node that did not would read as missing */
    as_code rc = rul_ev_node(&c, e->root, out);
    if (rc != AS_OK) {
        out->type = RUL_T_MISSING;
        if (rt->why == NULL)
            rt->why = rc == AS_ERR_NOMEM ? "out of memory" : "invalid value";
        return rc;
    }
    if (out->type == RUL_T_MISSING) {
        if (rt->why == NULL)
            rt->why = "missing value";
    } else if (out->type == RUL_T_NULL) {
        rt->why = "null value";
    } else {
        rt->missing = (as_slice){ NULL, 0 };
        rt->why = NULL;
    }
    return AS_OK;
}

int rul_expr_test(const rul_expr *e, rul_rt *rt)
{
    rul_val v;
    as_code rc = rul_expr_eval(e, rt, &v);
    if (rc == AS_ERR_NOMEM)
        return -2;
    if (rc != AS_OK)
        return -1;
    if (v.type == RUL_T_BOOL)
        return v.u.b != 0;
    if (v.type != RUL_T_MISSING && v.type != RUL_T_NULL) {
        rul_ev c = { .rt = rt, .e = e };
        (void)rul_ev_mismatch(&c, RUL_T_BOOL, v.type);
    }
    return -1;
}
