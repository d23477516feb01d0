/* rul_expr_check.c: the compiler's nodes, static checks and constant
 * folding, shared by the parser (rul_expr_parse.c) and the function table's
 * checks (rul_expr_fn.c); also error positions.
 *
 * A node is built (rul_node_new), its height checked against the depth
 * limit (rul_node_seal), its operands' static types checked at the
 * offending token (rul_check_*), and then, when every kid is a constant,
 * evaluated on the spot with the run-time evaluator (rul_fold), so compile
 * time and run time cannot disagree about what an operator does.
 */
#include "rules/rul_expr_int.h"

#include <stdarg.h>  /* va_list */

/* ---- errors and positions ---- */

as_loc rul_loc_at(as_slice text, size_t off)
{
    as_loc loc = as_loc_at(text, off);
    loc.offset = off;
    loc.has_offset = 1;
    return loc;
}

int rul_cc_fail(rul_cc *cc, uint32_t off, as_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_err_vset(cc->err, code, rul_loc_at(cc->text, off), fmt, ap);
    va_end(ap);
    return -1;
}

const char *rul_type_word(unsigned t)
{
    return t == RUL_T_NUMBER ? "number" : rul_type_name((rul_type)t);
}

/* ---- nodes ---- */

rul_node *rul_node_new(rul_cc *cc, rul_nk kind, uint32_t start, uint32_t at, size_t n_kids)
{
    rul_node *n = as_arena_alloc(&cc->e->ar, sizeof *n, _Alignof(rul_node));
    rul_node **kids = n_kids ? as_arena_alloc(&cc->e->ar, n_kids * sizeof(rul_node *), _Alignof(rul_node *)) : NULL;
    if (n == NULL || (n_kids && kids == NULL)) {
        rul_cc_fail(cc, at, AS_ERR_NOMEM, NULL);
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->type = RUL_T_ANY;
    n->start = start;
    n->at = at;
    n->kids = kids;
    n->n_kids = (uint16_t)n_kids;
    n->height = 1;
    return n;
}

/* Sets n's height from its kids; -1 past the depth limit. */
int rul_node_seal(rul_cc *cc, rul_node *n)
{
    unsigned h = 0;
    for (size_t i = 0; i < n->n_kids; i++)
        if (n->kids[i]->height > h)
            h = n->kids[i]->height;
    if (h + 1 > RUL_EXPR_MAX_DEPTH)
        return rul_cc_fail(cc, n->at, AS_ERR_SYNTAX, "expression nested too deeply (more than %d levels)",
                           RUL_EXPR_MAX_DEPTH);
    n->height = (uint16_t)(h + 1);
    return 0;
}

rul_node *rul_const_new(rul_cc *cc, uint32_t off, rul_val v)
{
    rul_node *n = rul_node_new(cc, RN_CONST, off, off, 0);
    if (n == NULL)
        return NULL;
    n->u.k.v = v;
    n->type = (uint8_t)v.type;
    return n;
}

/* Evaluates n when every kid is a constant and replaces it by the result.
 * A run-time error there is a compile error at n. 0 or -1. */
int rul_fold(rul_cc *cc, rul_node *n)
{
    for (size_t i = 0; i < n->n_kids; i++)
        if (!rul_is_const(n->kids[i]))
            return 0;
    if (n->kind == RN_CALL && !rul_fn_is_pure(n->op))
        return 0;
    rul_rt rt = { .ar = &cc->e->ar };
    rul_ev ev = { .rt = &rt, .e = cc->e };
    rul_val v;
    as_code rc = rul_ev_node(&ev, n, &v);
    if (rc == AS_ERR_NOMEM)
        return rul_cc_fail(cc, n->at, AS_ERR_NOMEM, NULL);
    if (rc != AS_OK)
        return rul_cc_fail(cc, n->at, AS_ERR_SYNTAX, "%s", rt.why ? rt.why : "invalid constant expression");
    if (v.type == RUL_T_MISSING)
        return 0; /* keep the node: at run time it says why it is missing */
    n->kind = RN_CONST;
    n->n_kids = 0;
    n->kids = NULL;
    n->height = 1;
    n->u.k.v = v;
    n->u.k.has_t = 0;
    n->type = (uint8_t)v.type;
    return 0;
}

/* A STR constant compared with a time: read it as a timestamp now. With
 * strict (the other side is statically a time) a string that is no
 * timestamp is an error. */
static int const_as_time(rul_cc *cc, rul_node *k, int strict)
{
    if (k->kind != RN_CONST || k->u.k.v.type != RUL_T_STR || k->u.k.has_t)
        return 0;
    as_slice s = k->u.k.v.u.str;
    if (s.len && as_time_parse_any(s, 0, &k->u.k.t, NULL) == s.len) {
        k->u.k.has_t = 1;
        return 0;
    }
    if (!strict)
        return 0;
    if (s.len > 60)
        s.len = 60;
    return rul_cc_fail(cc, k->start, AS_ERR_SYNTAX,
                       "'" AS_SLICE_FMT "' is not a timestamp (compared with a time; e.g. \"2025-10-01T00:00:00Z\")",
                       AS_SLICE_ARG(s));
}

/* ---- static checks ---- */

/* May a value of static type a equal one of type b? */
int rul_eq_compatible(unsigned a, unsigned b)
{
    if (a == RUL_T_ANY || b == RUL_T_ANY || a == RUL_T_NULL || b == RUL_T_NULL)
        return 1;
    if (rul_is_num(a) && rul_is_num(b))
        return 1;
    if ((a == RUL_T_TIME && b == RUL_T_STR) || (a == RUL_T_STR && b == RUL_T_TIME))
        return 1;
    return a == b;
}

static int is_ordered(unsigned t)
{
    return t == RUL_T_ANY || rul_is_num(t) || t == RUL_T_STR || t == RUL_T_TIME || t == RUL_T_DUR;
}

/* Both sides of a comparison, or an `in` element against its subject. */
int rul_check_compare(rul_cc *cc, rul_node *a, rul_node *b, int ordering, uint32_t at, const char *op)
{
    unsigned ta = a->type, tb = b->type;
    if (ordering) {
        if (!is_ordered(ta))
            return rul_cc_fail(cc, a->start, AS_ERR_SYNTAX, "'%s' cannot order %s values", op, rul_type_word(ta));
        if (!is_ordered(tb))
            return rul_cc_fail(cc, b->start, AS_ERR_SYNTAX, "'%s' cannot order %s values", op, rul_type_word(tb));
    }
    if (!rul_eq_compatible(ta, tb))
        return rul_cc_fail(cc, at, AS_ERR_SYNTAX, "cannot compare %s with %s", rul_type_word(ta), rul_type_word(tb));
    if (const_as_time(cc, b, ta == RUL_T_TIME) != 0 || const_as_time(cc, a, tb == RUL_T_TIME) != 0)
        return -1;
    if (ta == RUL_T_ANY && const_as_time(cc, b, 0) != 0)
        return -1;
    if (tb == RUL_T_ANY && const_as_time(cc, a, 0) != 0)
        return -1;
    return 0;
}

const char *rul_op_text(unsigned op)
{
    switch (op) {
    case TK_EQ: return "==";
    case TK_NE: return "!=";
    case TK_LT: return "<";
    case TK_LE: return "<=";
    case TK_GT: return ">";
    case TK_GE: return ">=";
    case TK_PLUS: return "+";
    case TK_MINUS: return "-";
    case TK_STAR: return "*";
    default: return "/";
    }
}

int rul_check_arith(rul_cc *cc, rul_node *n)
{
    rul_node *a = n->kids[0], *b = n->kids[1];
    unsigned ta = a->type, tb = b->type;
    if (ta != RUL_T_ANY && !rul_arith_operand_ok(n->op, ta))
        return rul_cc_fail(cc, a->start, AS_ERR_SYNTAX, "'%s' cannot take a %s operand", rul_op_text(n->op),
                           rul_type_word(ta));
    if (tb != RUL_T_ANY && !rul_arith_operand_ok(n->op, tb))
        return rul_cc_fail(cc, b->start, AS_ERR_SYNTAX, "'%s' cannot take a %s operand", rul_op_text(n->op),
                           rul_type_word(tb));
    if (ta == RUL_T_ANY || tb == RUL_T_ANY) {
        unsigned known = ta == RUL_T_ANY ? tb : ta;
        n->type = (uint8_t)(known == RUL_T_STR ? RUL_T_STR : RUL_T_ANY);
        return 0;
    }
    int t = rul_arith_type(n->op, ta, tb);
    if (t < 0)
        return rul_cc_fail(cc, n->at, AS_ERR_SYNTAX, "cannot apply '%s' to %s and %s", rul_op_text(n->op),
                           rul_type_word(ta), rul_type_word(tb));
    n->type = (uint8_t)t;
    return 0;
}

int rul_need_bool(rul_cc *cc, const rul_node *k, const char *what)
{
    if (k->type == RUL_T_BOOL || k->type == RUL_T_ANY)
        return 0;
    return rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "%s expects a boolean, got %s", what, rul_type_word(k->type));
}
