/* rul_expr_int.h: internals shared by the files of the expression language
 * (rules/rul_expr.h, docs/expressions.md). Not for use outside rules/.
 *
 *   rul_expr_lex.c    text -> tokens; positions are byte offsets in the text
 *   rul_expr_parse.c  tokens -> tree by recursive descent; rul_expr_compile
 *                     and the accessors
 *   rul_expr_check.c  nodes, static types, constant folding, error positions
 *   rul_expr_fn.c     the function table: arity, static checks, run time
 *   rul_expr_eval.c   the tree walker: logic, comparisons, arithmetic, rul_val_*
 *   rul_expr_json.c   .key / [N] on raw JSON values and array iteration
 *   rul_expr_re.c     =~ / !~: PCRE2 codes compiled once; rul_scratch
 *
 * The tree is immutable once rul_expr_compile returns; what one evaluation
 * changes lives in a rul_ev on the evaluating thread's stack. Recursion is
 * bounded everywhere: the parser refuses text nested deeper than
 * RUL_EXPR_MAX_DEPTH and every node's height is checked against the same
 * limit, so the evaluator (one C frame per tree level) is bounded too.
 */
#ifndef ASSAY_RUL_EXPR_INT_H
#define ASSAY_RUL_EXPR_INT_H

#include "core/as.h"          /* as_slice, as_buf, as_arena, as_err, as_time */
#include "parsers/psr.h"      /* psr_json_path, psr_json_get: JSON postfix access */
#include "rules/rul_expr.h"

/* ---- limits (docs/expressions.md, "Limits") ---- */
#define RUL_EXPR_TEXT_MAX    ((size_t)64 << 10) /* bytes of expression text: a rule, not a program */
#define RUL_EXPR_MAX_DEPTH   100  /* nesting levels and tree height; bounds every recursion */
#define RUL_EXPR_MAX_ARGS    32   /* arguments of one call (coalesce is variadic) */
#define RUL_EXPR_MAX_LIST    4096 /* elements of one `in [...]` list */
#define RUL_EXPR_MAX_LAMBDA  8    /* any/all/count/first nested inside each other's predicates */
#define RUL_EXPR_FIELD_CACHE 32   /* record fields cached per evaluation (the first 32 paths) */
#define RUL_EXPR_ARENA_CHUNK 4096 /* bytes: a compiled expression's first arena chunk */

/* A static type the compiler uses beyond rul_type: "a number" (INT or NUM,
 * known only at run time: number(), arithmetic on ANY). Never escapes:
 * rul_expr_type reports it as RUL_T_ANY. */
#define RUL_T_NUMBER ((rul_type)16)

static inline int rul_is_num(rul_type t) { return t == RUL_T_INT || t == RUL_T_NUM || t == RUL_T_NUMBER; }
/* Statically unknown: checked at run time. */
static inline int rul_is_any(rul_type t) { return t == RUL_T_ANY; }

/* ---- tokens (rul_expr_lex.c) ---- */
typedef enum rul_tk {
    TK_EOF = 0,
    TK_INT, TK_NUM, TK_DUR,   /* 42  -> v.i; 2.5 -> v.num; 1h30m -> v.i (nanoseconds) */
    TK_STR,                   /* "..." or '...': raw text with quotes; decoded by rul_lex_string */
    TK_IDENT,                 /* name or keyword (and or not in true false null it) */
    TK_BQ,                    /* `any text`: one name, quotes included in off/len */
    TK_DOLLAR,                /* $name: pseudo field or set */
    TK_LP, TK_RP, TK_LB, TK_RB, TK_COMMA, TK_DOT,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, /* comparison operators, in this order */
    TK_MATCH, TK_NMATCH,      /* =~ !~ */
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
} rul_tk;

typedef struct rul_tok {
    rul_tk   kind;
    uint32_t off;     /* first byte in the text */
    uint32_t len;     /* bytes */
    union {
        int64_t i;    /* TK_INT, TK_DUR */
        double  num;  /* TK_NUM */
    } v;
} rul_tok;

/* ---- the tree ---- */
typedef enum rul_nk {
    RN_CONST,    /* u.k */
    RN_FIELD,    /* a record field: u.field */
    RN_PSEUDO,   /* $file ...: op = rul_pseudo */
    RN_IT,       /* the element a predicate looks at: u.level */
    RN_GET,      /* kids[0] then .key / [N]: u.jp */
    RN_NOT, RN_NEG,
    RN_AND, RN_OR,     /* n-ary: kids[0 .. n_kids) */
    RN_CMP,      /* op = TK_EQ .. TK_GE */
    RN_ARITH,    /* op = TK_PLUS .. TK_SLASH */
    RN_MATCH,    /* kids[0] =~ u.re (neg: !~) */
    RN_IN_LIST,  /* kids[0] in [kids[1] .. ], every one RN_CONST (neg: not in) */
    RN_IN_SET,   /* kids[0] in $set: u.set_id */
    RN_IN_ARR,   /* kids[0] in kids[1], a JSON array at run time */
    RN_CALL,     /* op = function index (rul_expr_fn.c) */
} rul_nk;

typedef enum rul_pseudo {
    RP_FILE, RP_PATH, RP_DIR, RP_LINE, RP_SOURCE, RP_FORMAT, RP__COUNT
} rul_pseudo;

typedef struct rul_re rul_re; /* a compiled regex literal (rul_expr_re.c) */

typedef struct rul_node rul_node;
struct rul_node {
    uint8_t    kind;     /* rul_nk */
    uint8_t    op;       /* see rul_nk */
    uint8_t    type;     /* static type (rul_type, or RUL_T_NUMBER) */
    uint8_t    neg;      /* RN_MATCH, RN_IN_*: negated (!~, not in) */
    uint16_t   height;   /* 1 + the tallest kid */
    uint16_t   n_kids;
    uint32_t   start;    /* offset of the sub-expression's first byte (operand errors) */
    uint32_t   at;       /* offset of its operator or name (operator errors) */
    rul_node **kids;     /* in the expression's arena */
    union {
        struct {
            rul_val v;
            as_time t;   /* a STR constant that reads as a timestamp: that instant */
            int     has_t;
        } k;
        struct {
            as_slice path;  /* as passed to as_rec_get */
            uint32_t idx;   /* first-use index: the evaluation's field cache slot */
        } field;
        const psr_json_path *jp; /* RN_GET */
        const rul_re *re;        /* RN_MATCH */
        int set_id;              /* RN_IN_SET */
        unsigned level;          /* RN_IT: 0 = the outermost predicate */
    } u;
};

struct rul_expr {
    as_arena  ar;        /* nodes, paths, decoded literals, folded strings; owned */
    rul_node *root;
    as_slice  text;      /* a copy in ar */
    as_slice *fields;    /* distinct record field paths in first-use order (ar) */
    size_t    n_fields;
    rul_re   *res;       /* the regex literals, a list to free */
    rul_type  type;      /* static type of the result (ANY when unknown) */
};

/* ---- compiling (rul_expr_parse.c) ---- */
typedef struct rul_cc {
    as_slice         text;
    rul_expr        *e;
    const rul_scope *scope;
    as_err          *err;
    size_t           pos;      /* lexer cursor */
    rul_tok          tok;      /* the current token */
    unsigned         depth;    /* parser recursion */
    unsigned         lambda;   /* predicates around the current point */
    as_buf           fields;   /* as_slice[]: record paths seen (heap while compiling) */
} rul_cc;

/* Fills cc->err (code, position of byte off, message) and returns -1. */
int rul_cc_fail(rul_cc *cc, uint32_t off, as_code code, const char *fmt, ...) AS_PRINTF(4, 5);
/* The 1-based line and byte column of offset off in text. */
as_loc rul_loc_at(as_slice text, size_t off);
/* The printable name of a static type ("string", "number", ...). */
const char *rul_type_word(unsigned t);

/* ---- nodes, static checks, folding (rul_expr_check.c) ---- */
/* A node with room for n_kids kids, in the expression's arena; NULL (cc->err) when out of memory. */
rul_node *rul_node_new(rul_cc *cc, rul_nk kind, uint32_t start, uint32_t at, size_t n_kids);
/* Sets n's height from its kids; -1 past RUL_EXPR_MAX_DEPTH. */
int rul_node_seal(rul_cc *cc, rul_node *n);
rul_node *rul_const_new(rul_cc *cc, uint32_t off, rul_val v);
static inline int rul_is_const(const rul_node *n)
{
    return n->kind == RN_CONST;
}
static inline int rul_is_bool_const(const rul_node *n, int b)
{
    return n->kind == RN_CONST && n->u.k.v.type == RUL_T_BOOL && (n->u.k.v.u.b != 0) == b;
}
/* Replaces n by its value when every kid is a constant (a run-time error
 * there is a compile error at n). 0 or -1. */
int rul_fold(rul_cc *cc, rul_node *n);
/* May a value of static type a equal one of type b? */
int rul_eq_compatible(unsigned a, unsigned b);
/* Both sides of a comparison (ordering: < <= > >=), or a list element
 * against the subject of `in`; reads string constants compared with times
 * as timestamps. 0 or -1. */
int rul_check_compare(rul_cc *cc, rul_node *a, rul_node *b, int ordering, uint32_t at, const char *op);
/* An arithmetic node's operands; sets its type. 0 or -1. */
int rul_check_arith(rul_cc *cc, rul_node *n);
/* k must be boolean (or unknown); what names the operator. 0 or -1. */
int rul_need_bool(rul_cc *cc, const rul_node *k, const char *what);
/* The text of a comparison or arithmetic operator token. */
const char *rul_op_text(unsigned op);

/* Reads the next token into cc->tok. 0, or -1 with cc->err filled. */
int rul_lex_next(rul_cc *cc);
/* Decodes the string literal tok (quotes included) into ar. 0, or -1 with
 * cc->err filled (a bad escape, at its backslash). */
int rul_lex_string(rul_cc *cc, const rul_tok *tok, as_slice *out);
/* The token's text. */
static inline as_slice rul_tok_text(const rul_cc *cc, const rul_tok *t)
{
    return as_slice_make(cc->text.ptr + t->off, t->len);
}

/* ---- functions (rul_expr_fn.c) ---- */
typedef struct rul_ev rul_ev;

/* The index of function name, or -1. */
int rul_fn_find(as_slice name);
/* The known name nearest to name (edit distance <= 2), or NULL. */
const char *rul_fn_suggest(as_slice name);
const char *rul_fn_name(unsigned fn);
/* Argument counts; max is RUL_EXPR_MAX_ARGS for variadic functions. */
void rul_fn_arity(unsigned fn, unsigned *min, unsigned *max);
/* 1 when argument 2 is a predicate over `it` (any, all, count, first). */
int rul_fn_is_lambda(unsigned fn);
/* Checks a call's arguments statically and sets n->type. 0 or -1 (cc->err). */
int rul_fn_check(rul_cc *cc, rul_node *n);
/* 1 when a call with constant arguments may be folded. */
int rul_fn_is_pure(unsigned fn);
/* Evaluates a call. */
as_code rul_fn_eval(rul_ev *c, const rul_node *n, rul_val *out);

/* ---- evaluating (rul_expr_eval.c) ---- */
struct rul_ev {
    rul_rt         *rt;
    const rul_expr *e;
    uint64_t        cached;                       /* bit i: cache[i] holds field i */
    rul_val         cache[RUL_EXPR_FIELD_CACHE];
    rul_val         it[RUL_EXPR_MAX_LAMBDA];      /* the element each predicate level looks at */
};

/* Evaluates n into *out: AS_OK (out may be MISSING or NULL), AS_ERR_BAD_VALUE
 * with c->rt->why set, or AS_ERR_NOMEM. */
as_code rul_ev_node(rul_ev *c, const rul_node *n, rul_val *out);
/* A run-time type error: sets rt->why to "type mismatch: expected E, got T". */
as_code rul_ev_mismatch(rul_ev *c, unsigned expected, rul_type got);
/* Any other run-time error with a static reason. */
as_code rul_ev_fail(rul_ev *c, const char *why);
/* 1 when v is MISSING or NULL; then *out is what an operator gives for it. */
static inline int rul_ev_absent(const rul_val *v)
{
    return v->type == RUL_T_MISSING || v->type == RUL_T_NULL;
}
/* -1, 0, 1, or 2 for unordered (NaN), comparing two values whose types go
 * together (numbers, strings, times, durations, booleans; a string against
 * a time reads the string as a timestamp). AS_ERR_BAD_VALUE when they do not. */
as_code rul_ev_order(rul_ev *c, const rul_val *a, const rul_val *b, int *cmp);
/* Result type of a op b (op TK_PLUS .. TK_SLASH) for static or run-time
 * types, RUL_T_NUMBER for "INT or NUM"; -1 when there is no such operation. */
int rul_arith_type(unsigned op, unsigned a, unsigned b);
/* 1 when a value of type t can be an operand of op at all. */
int rul_arith_operand_ok(unsigned op, unsigned t);
/* Text of a scalar for set lookups and string(): STR as is, JSON raw, else
 * formatted into the arena. */
as_code rul_ev_text(rul_ev *c, const rul_val *v, as_slice *out);
/* Expected-kind codes for rul_ev_mismatch beyond rul_type values. */
enum {
    RUL_X_ARRAY = 17,   /* "JSON array" */
    RUL_X_CONTAINER,    /* "JSON object or array" */
    RUL_X_STR_OR_ARRAY, /* "string or JSON array" */
    RUL_X_TIMEISH,      /* "time, string or integer" */
    RUL_X_ORDERED,      /* "number, string, time or duration" */
    RUL_X_TIME_OR_DUR,  /* "time or duration" */
    RUL_X__END
};

/* ---- JSON values (rul_expr_json.c) ---- */
/* A JSON value's member or element along jp (RN_GET). */
as_code rul_json_get(rul_ev *c, as_slice raw, const psr_json_path *jp, rul_val *out);
/* Iterates a JSON array's elements. */
typedef struct rul_arr {
    psr_json_iter it;
} rul_arr;
/* AS_OK when raw is an array (start iterating), else AS_ERR_BAD_VALUE. */
as_code rul_arr_init(rul_ev *c, rul_arr *a, as_slice raw);
/* 1 with *out the next element, 0 at the end, or -1 with *rc the error. */
int rul_arr_next(rul_ev *c, rul_arr *a, rul_val *out, as_code *rc);

/* ---- regex literals (rul_expr_re.c) ---- */
/* Compiles pattern (UTF, JIT when available). AS_OK with *out, AS_ERR_NOMEM,
 * or AS_ERR_SYNTAX with PCRE2's message in msg and the byte offset in the
 * pattern in *err_off. */
as_code rul_re_compile(as_slice pattern, rul_re **out, char *msg, size_t msg_cap, size_t *err_off);
/* Frees a list of regexes linked through their next pointers. */
void rul_re_free_all(rul_re *re);
/* Links re in front of list *head. */
void rul_re_link(rul_re **head, rul_re *re);
/* Searches subj: *hit = 1 when the pattern matches anywhere. AS_OK, or
 * AS_ERR_BAD_VALUE with *why (a limit, invalid UTF-8, no scratch) or AS_ERR_NOMEM. */
as_code rul_re_search(const rul_re *re, rul_scratch *s, as_slice subj, int *hit, const char **why);

#endif
