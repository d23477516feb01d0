/* rul_expr_parse.c: text -> checked, folded tree (rul_expr_compile) and the
 * compiled expression's accessors.
 *
 * Recursive descent, one function per precedence level (docs/expressions.md
 * has the grammar and the table): or < and < not < comparison < + - < * / <
 * unary - < postfix < primary. Every node is checked as it is built, bottom
 * up (rul_expr_check.c): its static type comes from its kids' (RUL_T_ANY
 * where the record decides), impossible combinations are errors at the
 * offending token, and a node whose kids are all constants is evaluated on
 * the spot (folding, with the run-time evaluator itself, so both agree by
 * construction).
 * `and` / `or` chains become one n-ary node, so their length does not count
 * against the depth limit; everything else does (RUL_EXPR_MAX_DEPTH), which
 * bounds the parser's recursion and the evaluator's.
 *
 * Field paths: a name followed by .name, .`any text`, [N] or ["key"] is one
 * record path, handed whole to the scope (compile time) and to as_rec_get
 * (run time) in the form JSON paths use (psr_json.h): segments joined by '.',
 * [N] for indexes, ["..."] for keys holding '.', '[' or ']'. A path of a
 * single `quoted name` is passed as written, so a CSV column called
 * "user.name" is `user.name` in backquotes. Postfix .key / [N] after anything
 * else (a call, `it`, a parenthesis) is compiled into a psr_json_path here.
 */
#include "rules/rul_expr_int.h"

#include <stdio.h>   /* snprintf */

/* ---- tokens ---- */

static int tok_is_kw(const rul_cc *cc, const char *kw)
{
    return cc->tok.kind == TK_IDENT && as_slice_eq_cstr(rul_tok_text(cc, &cc->tok), kw);
}

static int is_keyword(as_slice s)
{
    static const char *const k_kw[] = { "and", "or", "not", "in", "true", "false", "null", "it" };
    for (size_t i = 0; i < AS_ARRAY_LEN(k_kw); i++)
        if (as_slice_eq_cstr(s, k_kw[i]))
            return 1;
    return 0;
}

/* What the current token is, for "found X" messages. */
static const char *tok_desc(const rul_cc *cc, char *buf, size_t cap)
{
    if (cc->tok.kind == TK_EOF)
        return "the end of the expression";
    as_slice s = rul_tok_text(cc, &cc->tok);
    if (s.len > 40)
        s.len = 40;
    snprintf(buf, cap, "'" AS_SLICE_FMT "'", AS_SLICE_ARG(s));
    return buf;
}

static int expect(rul_cc *cc, rul_tk kind, const char *what)
{
    if (cc->tok.kind != kind) {
        char b[64];
        return rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected %s, found %s", what, tok_desc(cc, b, sizeof b));
    }
    return rul_lex_next(cc);
}

/* ---- the parser ---- */

static rul_node *parse_expr(rul_cc *cc);

static int enter(rul_cc *cc)
{
    if (++cc->depth > RUL_EXPR_MAX_DEPTH)
        return rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expression nested too deeply (more than %d levels)",
                           RUL_EXPR_MAX_DEPTH);
    return 0;
}

/* Appends one path segment to buf: '.' + key, or [N] / ["key"]. */
static int path_put_key(as_buf *buf, as_slice key, int quoted)
{
    int special = 0;
    for (size_t i = 0; i < key.len; i++)
        if (key.ptr[i] == '.' || key.ptr[i] == '[' || key.ptr[i] == ']')
            special = 1;
    if (!quoted || (!special && key.len)) {
        if (buf->len && as_buf_putc(buf, '.') != 0)
            return -1;
        return as_buf_append_slice(buf, key);
    }
    if (as_buf_append_cstr(buf, "[\"") != 0)
        return -1;
    for (size_t i = 0; i < key.len; i++) {
        if ((key.ptr[i] == '"' || key.ptr[i] == '\\') && as_buf_putc(buf, '\\') != 0)
            return -1;
        if (as_buf_putc(buf, key.ptr[i]) != 0)
            return -1;
    }
    return as_buf_append_cstr(buf, "\"]");
}

/* After a path's first segment: .name, .`name`, [N], ["key"]. Appends to
 * buf; *n_segs counts segments. */
static int path_rest(rul_cc *cc, as_buf *buf, size_t *n_segs)
{
    for (;;) {
        if (cc->tok.kind == TK_DOT) {
            if (rul_lex_next(cc) != 0)
                return -1;
            if (cc->tok.kind == TK_IDENT) {
                if (path_put_key(buf, rul_tok_text(cc, &cc->tok), 0) != 0)
                    return rul_cc_fail(cc, cc->tok.off, AS_ERR_NOMEM, NULL);
            } else if (cc->tok.kind == TK_BQ) {
                as_slice s = rul_tok_text(cc, &cc->tok);
                if (path_put_key(buf, as_slice_sub(s, 1, s.len - 2), 1) != 0)
                    return rul_cc_fail(cc, cc->tok.off, AS_ERR_NOMEM, NULL);
            } else {
                char b[64];
                return rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected a name after '.', found %s",
                                   tok_desc(cc, b, sizeof b));
            }
            if (rul_lex_next(cc) != 0)
                return -1;
        } else if (cc->tok.kind == TK_LB) {
            if (rul_lex_next(cc) != 0)
                return -1;
            if (cc->tok.kind == TK_INT) {
                if (cc->tok.v.i > UINT32_MAX)
                    return rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "array index too large");
                if (as_buf_printf(buf, "[%lld]", (long long)cc->tok.v.i) != 0)
                    return rul_cc_fail(cc, cc->tok.off, AS_ERR_NOMEM, NULL);
            } else if (cc->tok.kind == TK_STR) {
                as_slice key;
                if (rul_lex_string(cc, &cc->tok, &key) != 0)
                    return -1;
                if (path_put_key(buf, key, 1) != 0)
                    return rul_cc_fail(cc, cc->tok.off, AS_ERR_NOMEM, NULL);
            } else {
                char b[64];
                return rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX,
                                   "expected an index (a non-negative integer) or a quoted key after '[', found %s",
                                   tok_desc(cc, b, sizeof b));
            }
            if (rul_lex_next(cc) != 0 || expect(cc, TK_RB, "']'") != 0)
                return -1;
        } else {
            return 0;
        }
        (*n_segs)++;
    }
}

/* Keeps a path's text in the arena and in the first-use list. */
static int field_register(rul_cc *cc, as_slice path, uint32_t *idx, as_slice *kept)
{
    const as_slice *seen = (const as_slice *)(void *)cc->fields.data;
    size_t n = cc->fields.len / sizeof(as_slice);
    for (size_t i = 0; i < n; i++)
        if (as_slice_eq(seen[i], path)) {
            *idx = (uint32_t)i;
            *kept = seen[i];
            return 0;
        }
    char *copy = as_arena_strndup(&cc->e->ar, path.ptr, path.len);
    if (copy == NULL)
        return -1;
    *kept = as_slice_make(copy, path.len);
    *idx = (uint32_t)n;
    return as_buf_append(&cc->fields, kept, sizeof *kept);
}

/* A record field path starting at the current token (a name or `name`). */
static rul_node *parse_field(rul_cc *cc, uint32_t start)
{
    as_buf buf = AS_BUF_INIT;
    size_t n_segs = 1;
    as_slice first = rul_tok_text(cc, &cc->tok);
    int bq = cc->tok.kind == TK_BQ;
    if (bq)
        first = as_slice_sub(first, 1, first.len - 2);
    rul_node *n = NULL;
    if (as_buf_append_slice(&buf, first) != 0) {
        rul_cc_fail(cc, start, AS_ERR_NOMEM, NULL);
        goto out;
    }
    if (rul_lex_next(cc) != 0)
        goto out;
    if (cc->tok.kind == TK_DOT || cc->tok.kind == TK_LB) {
        if (bq) { /* the first segment becomes a quoted key when it needs one */
            as_buf_clear(&buf);
            if (path_put_key(&buf, first, 1) != 0) {
                rul_cc_fail(cc, start, AS_ERR_NOMEM, NULL);
                goto out;
            }
        }
        if (path_rest(cc, &buf, &n_segs) != 0)
            goto out;
    }
    as_slice path = as_buf_view(&buf);
    rul_type t = RUL_T_ANY;
    if (cc->scope->field != NULL) {
        char why[128] = "";
        if (!cc->scope->field(cc->scope->arg, path, &t, why, sizeof why)) {
            why[sizeof why - 1] = '\0';
            if (why[0])
                rul_cc_fail(cc, start, AS_ERR_SYNTAX, "unknown field '" AS_SLICE_FMT "' for format %s",
                            AS_SLICE_ARG(path), why);
            else
                rul_cc_fail(cc, start, AS_ERR_SYNTAX, "unknown field '" AS_SLICE_FMT "'", AS_SLICE_ARG(path));
            goto out;
        }
        if ((unsigned)t > RUL_T_JSON || t == RUL_T_MISSING)
            t = RUL_T_ANY;
    }
    n = rul_node_new(cc, RN_FIELD, start, start, 0);
    if (n == NULL)
        goto out;
    n->type = (uint8_t)t;
    if (field_register(cc, path, &n->u.field.idx, &n->u.field.path) != 0) {
        rul_cc_fail(cc, start, AS_ERR_NOMEM, NULL);
        n = NULL;
    }
out:
    as_buf_fini(&buf);
    return n;
}

static const char *const k_pseudo[RP__COUNT] = { "file", "path", "dir", "line", "source", "format" };

static rul_node *parse_pseudo(rul_cc *cc)
{
    as_slice name = as_slice_sub(rul_tok_text(cc, &cc->tok), 1, SIZE_MAX);
    uint32_t off = cc->tok.off;
    for (unsigned i = 0; i < RP__COUNT; i++) {
        if (!as_slice_eq_cstr(name, k_pseudo[i]))
            continue;
        rul_node *n = rul_node_new(cc, RN_PSEUDO, off, off, 0);
        if (n == NULL)
            return NULL;
        n->op = (uint8_t)i;
        n->type = i == RP_LINE ? RUL_T_INT : RUL_T_STR;
        return rul_lex_next(cc) == 0 ? n : NULL;
    }
    rul_cc_fail(cc, off, AS_ERR_SYNTAX,
                "unknown pseudo field '$" AS_SLICE_FMT "' (there are $file $path $dir $line $source $format; "
                "a set is used as x in $name)",
                AS_SLICE_ARG(name));
    return NULL;
}

static rul_node *parse_call(rul_cc *cc, rul_tok name_tok)
{
    as_slice name = rul_tok_text(cc, &name_tok);
    int fn = rul_fn_find(name);
    if (fn < 0) {
        const char *sug = rul_fn_suggest(name);
        if (sug)
            rul_cc_fail(cc, name_tok.off, AS_ERR_SYNTAX, "unknown function '" AS_SLICE_FMT "' (did you mean '%s'?)",
                        AS_SLICE_ARG(name), sug);
        else
            rul_cc_fail(cc, name_tok.off, AS_ERR_SYNTAX, "unknown function '" AS_SLICE_FMT "'", AS_SLICE_ARG(name));
        return NULL;
    }
    unsigned min, max;
    rul_fn_arity((unsigned)fn, &min, &max);
    int lambda = rul_fn_is_lambda((unsigned)fn);
    rul_node *args[RUL_EXPR_MAX_ARGS];
    size_t n_args = 0;
    if (rul_lex_next(cc) != 0) /* past '(' */
        return NULL;
    if (cc->tok.kind != TK_RP) {
        for (;;) {
            if (n_args == RUL_EXPR_MAX_ARGS) {
                rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "too many arguments (at most %d)", RUL_EXPR_MAX_ARGS);
                return NULL;
            }
            int pred = lambda && n_args == 1;
            if (pred) {
                if (cc->lambda == RUL_EXPR_MAX_LAMBDA) {
                    rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "predicates nested too deeply (at most %d)",
                                RUL_EXPR_MAX_LAMBDA);
                    return NULL;
                }
                cc->lambda++;
            }
            rul_node *a = parse_expr(cc);
            if (pred)
                cc->lambda--;
            if (a == NULL)
                return NULL;
            args[n_args++] = a;
            if (cc->tok.kind != TK_COMMA)
                break;
            if (rul_lex_next(cc) != 0)
                return NULL;
        }
    }
    if (cc->tok.kind != TK_RP) {
        char b[64];
        rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected ',' or ')' in the arguments of %s(), found %s",
                    rul_fn_name((unsigned)fn), tok_desc(cc, b, sizeof b));
        return NULL;
    }
    if (n_args < min || n_args > max) {
        const char *s = max == 1 ? "" : "s";
        if (min == max)
            rul_cc_fail(cc, name_tok.off, AS_ERR_SYNTAX, "%s() takes %u argument%s, got %zu", rul_fn_name((unsigned)fn),
                        min, s, n_args);
        else if (max == RUL_EXPR_MAX_ARGS)
            rul_cc_fail(cc, name_tok.off, AS_ERR_SYNTAX, "%s() takes at least %u argument%s, got %zu",
                        rul_fn_name((unsigned)fn), min, min == 1 ? "" : "s", n_args);
        else
            rul_cc_fail(cc, name_tok.off, AS_ERR_SYNTAX, "%s() takes %u or %u arguments, got %zu",
                        rul_fn_name((unsigned)fn), min, max, n_args);
        return NULL;
    }
    if (rul_lex_next(cc) != 0) /* past ')' */
        return NULL;
    rul_node *n = rul_node_new(cc, RN_CALL, name_tok.off, name_tok.off, n_args);
    if (n == NULL)
        return NULL;
    n->op = (uint8_t)fn;
    n->u.level = cc->lambda; /* the level `it` has inside this call's predicate */
    for (size_t i = 0; i < n_args; i++)
        n->kids[i] = args[i];
    if (rul_node_seal(cc, n) != 0 || rul_fn_check(cc, n) != 0 || rul_fold(cc, n) != 0)
        return NULL;
    return n;
}

static rul_node *parse_primary(rul_cc *cc)
{
    rul_tok t = cc->tok;
    rul_val v = { .type = RUL_T_NULL };
    char b[64];
    switch (t.kind) {
    case TK_INT: v.type = RUL_T_INT; v.u.i = t.v.i; break;
    case TK_NUM: v.type = RUL_T_NUM; v.u.num = t.v.num; break;
    case TK_DUR: v.type = RUL_T_DUR; v.u.dur = t.v.i; break;
    case TK_STR:
        v.type = RUL_T_STR;
        if (rul_lex_string(cc, &t, &v.u.str) != 0)
            return NULL;
        break;
    case TK_LP: {
        if (rul_lex_next(cc) != 0)
            return NULL;
        rul_node *n = parse_expr(cc);
        if (n == NULL)
            return NULL;
        if (cc->tok.kind != TK_RP) {
            as_loc open = rul_loc_at(cc->text, t.off);
            rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected ')' to close the '(' at %llu:%llu, found %s",
                        (unsigned long long)open.line, (unsigned long long)open.col, tok_desc(cc, b, sizeof b));
            return NULL;
        }
        return rul_lex_next(cc) == 0 ? n : NULL;
    }
    case TK_BQ:
        return parse_field(cc, t.off);
    case TK_DOLLAR:
        return parse_pseudo(cc);
    case TK_IDENT: {
        as_slice s = rul_tok_text(cc, &t);
        if (as_slice_eq_cstr(s, "true") || as_slice_eq_cstr(s, "false")) {
            v.type = RUL_T_BOOL;
            v.u.b = s.len == 4;
            break;
        }
        if (as_slice_eq_cstr(s, "null"))
            break;
        if (as_slice_eq_cstr(s, "it")) {
            if (cc->lambda == 0) {
                rul_cc_fail(cc, t.off, AS_ERR_SYNTAX,
                            "'it' is only defined inside the predicate of any(), all(), count() or first()");
                return NULL;
            }
            rul_node *n = rul_node_new(cc, RN_IT, t.off, t.off, 0);
            if (n == NULL)
                return NULL;
            n->u.level = cc->lambda - 1;
            return rul_lex_next(cc) == 0 ? n : NULL;
        }
        if (is_keyword(s)) {
            rul_cc_fail(cc, t.off, AS_ERR_SYNTAX, "expected an expression, found '" AS_SLICE_FMT "'", AS_SLICE_ARG(s));
            return NULL;
        }
        /* a call or a field: look one token ahead */
        size_t pos = cc->pos;
        if (rul_lex_next(cc) != 0)
            return NULL;
        if (cc->tok.kind == TK_LP)
            return parse_call(cc, t);
        cc->pos = pos; /* back to just after the name: re-read it as a path */
        cc->tok = t;
        return parse_field(cc, t.off);
    }
    case TK_LB:
        rul_cc_fail(cc, t.off, AS_ERR_SYNTAX, "a list [...] is only allowed after 'in'");
        return NULL;
    default:
        rul_cc_fail(cc, t.off, AS_ERR_SYNTAX, "expected an expression, found %s", tok_desc(cc, b, sizeof b));
        return NULL;
    }
    rul_node *n = rul_const_new(cc, t.off, v);
    if (n == NULL || rul_lex_next(cc) != 0)
        return NULL;
    return n;
}

/* Postfix .key / [N] after anything that is not a field path. */
static rul_node *parse_postfix(rul_cc *cc)
{
    rul_node *p = parse_primary(cc);
    if (p == NULL || (cc->tok.kind != TK_DOT && cc->tok.kind != TK_LB))
        return p;
    uint32_t at = cc->tok.off;
    if (p->type != RUL_T_ANY && p->type != RUL_T_JSON) {
        rul_cc_fail(cc, at, AS_ERR_SYNTAX, "'%c' needs a JSON object or array on its left, got %s",
                    cc->tok.kind == TK_DOT ? '.' : '[', rul_type_word(p->type));
        return NULL;
    }
    as_buf buf = AS_BUF_INIT;
    size_t n_segs = 0;
    rul_node *n = NULL;
    if (path_rest(cc, &buf, &n_segs) != 0)
        goto out;
    psr_json_path *jp = as_arena_alloc(&cc->e->ar, sizeof *jp, _Alignof(psr_json_path));
    if (jp == NULL) {
        rul_cc_fail(cc, at, AS_ERR_NOMEM, NULL);
        goto out;
    }
    psr_json_err je;
    if (psr_json_path_compile(jp, as_buf_view(&buf), PSR_JSON_PATH_DEFAULT, &je) != PSR_JSON_OK) {
        rul_cc_fail(cc, at, AS_ERR_SYNTAX, "invalid access path '" AS_SLICE_FMT "': %s", AS_SLICE_ARG(as_buf_view(&buf)),
                    psr_json_err_text(je.code));
        goto out;
    }
    n = rul_node_new(cc, RN_GET, p->start, at, 1);
    if (n == NULL)
        goto out;
    n->kids[0] = p;
    n->u.jp = jp;
    if (rul_node_seal(cc, n) != 0)
        n = NULL;
out:
    as_buf_fini(&buf);
    return n;
}

static rul_node *parse_unary(rul_cc *cc)
{
    if (cc->tok.kind != TK_MINUS)
        return parse_postfix(cc);
    uint32_t at = cc->tok.off;
    if (enter(cc) != 0 || rul_lex_next(cc) != 0)
        return NULL;
    rul_node *k = parse_unary(cc);
    cc->depth--;
    if (k == NULL)
        return NULL;
    if (k->type != RUL_T_ANY && !rul_is_num(k->type) && k->type != RUL_T_DUR) {
        rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "'-' expects a number or a duration, got %s", rul_type_word(k->type));
        return NULL;
    }
    rul_node *n = rul_node_new(cc, RN_NEG, at, at, 1);
    if (n == NULL)
        return NULL;
    n->kids[0] = k;
    n->type = k->type;
    if (rul_node_seal(cc, n) != 0 || rul_fold(cc, n) != 0)
        return NULL;
    return n;
}

/* Left-associative binary levels: * / over unary, + - over that. */
static rul_node *parse_binary(rul_cc *cc, rul_tk op1, rul_tk op2, rul_node *(*sub)(rul_cc *))
{
    rul_node *left = sub(cc);
    while (left != NULL && (cc->tok.kind == op1 || cc->tok.kind == op2)) {
        rul_tk op = cc->tok.kind;
        uint32_t at = cc->tok.off;
        if (rul_lex_next(cc) != 0)
            return NULL;
        rul_node *right = sub(cc);
        if (right == NULL)
            return NULL;
        rul_node *n = rul_node_new(cc, RN_ARITH, left->start, at, 2);
        if (n == NULL)
            return NULL;
        n->op = (uint8_t)op;
        n->kids[0] = left;
        n->kids[1] = right;
        if (rul_node_seal(cc, n) != 0 || rul_check_arith(cc, n) != 0 || rul_fold(cc, n) != 0)
            return NULL;
        left = n;
    }
    return left;
}

static rul_node *parse_prod(rul_cc *cc)
{
    return parse_binary(cc, TK_STAR, TK_SLASH, parse_unary);
}

static rul_node *parse_sum(rul_cc *cc)
{
    return parse_binary(cc, TK_PLUS, TK_MINUS, parse_prod);
}

/* `x [not] in ...` after the subject. */
static rul_node *parse_in(rul_cc *cc, rul_node *x, uint32_t at, int neg)
{
    char b[64];
    if (cc->tok.kind == TK_DOLLAR) {
        as_slice name = as_slice_sub(rul_tok_text(cc, &cc->tok), 1, SIZE_MAX);
        int id = cc->scope->set ? cc->scope->set(cc->scope->arg, name) : -1;
        if (id < 0) {
            rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "unknown set '$" AS_SLICE_FMT "'", AS_SLICE_ARG(name));
            return NULL;
        }
        if (x->type == RUL_T_JSON) {
            rul_cc_fail(cc, x->start, AS_ERR_SYNTAX, "'in $set' needs a scalar on its left, got JSON");
            return NULL;
        }
        rul_node *n = rul_node_new(cc, RN_IN_SET, x->start, at, 1);
        if (n == NULL || rul_lex_next(cc) != 0)
            return NULL;
        n->kids[0] = x;
        n->neg = (uint8_t)neg;
        n->type = RUL_T_BOOL;
        n->u.set_id = id;
        return rul_node_seal(cc, n) == 0 ? n : NULL;
    }
    if (cc->tok.kind != TK_LB) {
        rul_node *arr = parse_sum(cc);
        if (arr == NULL)
            return NULL;
        if (arr->type != RUL_T_ANY && arr->type != RUL_T_JSON) {
            rul_cc_fail(cc, arr->start, AS_ERR_SYNTAX, "'in' needs a list [...], a $set or a JSON array, got %s",
                        rul_type_word(arr->type));
            return NULL;
        }
        rul_node *n = rul_node_new(cc, RN_IN_ARR, x->start, at, 2);
        if (n == NULL)
            return NULL;
        n->kids[0] = x;
        n->kids[1] = arr;
        n->neg = (uint8_t)neg;
        n->type = RUL_T_BOOL;
        return rul_node_seal(cc, n) == 0 ? n : NULL;
    }
    uint32_t open = cc->tok.off;
    if (rul_lex_next(cc) != 0)
        return NULL;
    as_buf items = AS_BUF_INIT; /* rul_node *[] */
    rul_node *n = NULL;
    while (cc->tok.kind != TK_RB) {
        size_t count = items.len / sizeof(rul_node *);
        if (count == RUL_EXPR_MAX_LIST) {
            rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "list too long (at most %d elements)", RUL_EXPR_MAX_LIST);
            goto out;
        }
        rul_node *k = parse_expr(cc);
        if (k == NULL)
            goto out;
        if (!rul_is_const(k)) {
            rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "list elements must be constants");
            goto out;
        }
        if (k->type == RUL_T_JSON) {
            rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "list elements must be scalars");
            goto out;
        }
        if (rul_check_compare(cc, x, k, 0, k->start, "in") != 0)
            goto out;
        if (count > 0) { /* one element type per list (null aside) */
            const rul_node *first = ((rul_node **)(void *)items.data)[0];
            if (!rul_eq_compatible(first->type, k->type)) {
                rul_cc_fail(cc, k->start, AS_ERR_SYNTAX, "list mixes %s and %s elements",
                            rul_type_word(first->type), rul_type_word(k->type));
                goto out;
            }
        }
        if (as_buf_append(&items, &k, sizeof(rul_node *)) != 0) {
            rul_cc_fail(cc, k->start, AS_ERR_NOMEM, NULL);
            goto out;
        }
        if (cc->tok.kind == TK_COMMA) {
            if (rul_lex_next(cc) != 0)
                goto out;
        } else if (cc->tok.kind != TK_RB) {
            as_loc lo = rul_loc_at(cc->text, open);
            rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected ',' or ']' to close the '[' at %llu:%llu, found %s",
                        (unsigned long long)lo.line, (unsigned long long)lo.col, tok_desc(cc, b, sizeof b));
            goto out;
        }
    }
    if (rul_lex_next(cc) != 0)
        goto out;
    size_t count = items.len / sizeof(rul_node *);
    n = rul_node_new(cc, RN_IN_LIST, x->start, at, 1 + count);
    if (n == NULL)
        goto out;
    n->kids[0] = x;
    if (count)
        /* items holds node pointers: the copy is count pointers long */
        // cppcheck-suppress pointerSize
        memcpy(n->kids + 1, items.data, count * sizeof(rul_node *));
    n->neg = (uint8_t)neg;
    n->type = RUL_T_BOOL;
    if (rul_node_seal(cc, n) != 0 || rul_fold(cc, n) != 0)
        n = NULL;
out:
    as_buf_fini(&items);
    return n;
}

static rul_node *parse_match(rul_cc *cc, rul_node *x, uint32_t at, int neg)
{
    if (cc->tok.kind != TK_STR) {
        rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "'%s' needs a regex literal (a quoted string) on its right",
                    neg ? "!~" : "=~");
        return NULL;
    }
    if (x->type != RUL_T_ANY && x->type != RUL_T_STR) {
        rul_cc_fail(cc, x->start, AS_ERR_SYNTAX, "'%s' matches strings, got %s", neg ? "!~" : "=~",
                    rul_type_word(x->type));
        return NULL;
    }
    /* the pattern is the literal's bytes as written: PCRE2 reads the escapes */
    as_slice pat = as_slice_sub(rul_tok_text(cc, &cc->tok), 1, cc->tok.len - 2);
    rul_re *re = NULL;
    char msg[160];
    size_t eoff = 0;
    as_code rc = rul_re_compile(pat, &re, msg, sizeof msg, &eoff);
    if (rc != AS_OK) {
        if (rc == AS_ERR_NOMEM)
            rul_cc_fail(cc, cc->tok.off, AS_ERR_NOMEM, NULL);
        else
            rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "invalid regex: %s (at offset %zu of the pattern)", msg, eoff);
        return NULL;
    }
    rul_re_link(&cc->e->res, re);
    rul_node *n = rul_node_new(cc, RN_MATCH, x->start, at, 1);
    if (n == NULL || rul_lex_next(cc) != 0)
        return NULL;
    n->kids[0] = x;
    n->neg = (uint8_t)neg;
    n->type = RUL_T_BOOL;
    n->u.re = re;
    return rul_node_seal(cc, n) == 0 ? n : NULL;
}

static int is_cmp_tok(rul_tk k)
{
    return k >= TK_EQ && k <= TK_NMATCH;
}

static rul_node *parse_cmp(rul_cc *cc)
{
    rul_node *left = parse_sum(cc);
    if (left == NULL)
        return NULL;
    rul_tk k = cc->tok.kind;
    uint32_t at = cc->tok.off;
    rul_node *n = NULL;
    if (k >= TK_EQ && k <= TK_GE) {
        if (rul_lex_next(cc) != 0)
            return NULL;
        rul_node *right = parse_sum(cc);
        if (right == NULL)
            return NULL;
        n = rul_node_new(cc, RN_CMP, left->start, at, 2);
        if (n == NULL)
            return NULL;
        n->op = (uint8_t)k;
        n->kids[0] = left;
        n->kids[1] = right;
        n->type = RUL_T_BOOL;
        if (rul_node_seal(cc, n) != 0 || rul_check_compare(cc, left, right, k != TK_EQ && k != TK_NE, at, rul_op_text(k)) != 0 ||
            rul_fold(cc, n) != 0)
            return NULL;
    } else if (k == TK_MATCH || k == TK_NMATCH) {
        if (rul_lex_next(cc) != 0 || (n = parse_match(cc, left, at, k == TK_NMATCH)) == NULL)
            return NULL;
    } else if (tok_is_kw(cc, "in") || tok_is_kw(cc, "not")) {
        int neg = tok_is_kw(cc, "not");
        if (rul_lex_next(cc) != 0)
            return NULL;
        if (neg) {
            if (!tok_is_kw(cc, "in")) {
                char b[64];
                rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "expected 'in' after 'not', found %s",
                            tok_desc(cc, b, sizeof b));
                return NULL;
            }
            if (rul_lex_next(cc) != 0)
                return NULL;
        }
        if ((n = parse_in(cc, left, at, neg)) == NULL)
            return NULL;
    } else {
        return left;
    }
    if (is_cmp_tok(cc->tok.kind) || tok_is_kw(cc, "in")) {
        rul_cc_fail(cc, cc->tok.off, AS_ERR_SYNTAX, "comparisons cannot be chained (combine them with 'and')");
        return NULL;
    }
    return n;
}

static rul_node *parse_not(rul_cc *cc)
{
    if (!tok_is_kw(cc, "not"))
        return parse_cmp(cc);
    uint32_t at = cc->tok.off;
    if (enter(cc) != 0 || rul_lex_next(cc) != 0)
        return NULL;
    rul_node *k = parse_not(cc);
    cc->depth--;
    if (k == NULL || rul_need_bool(cc, k, "'not'") != 0)
        return NULL;
    rul_node *n = rul_node_new(cc, RN_NOT, at, at, 1);
    if (n == NULL)
        return NULL;
    n->kids[0] = k;
    n->type = RUL_T_BOOL;
    if (rul_node_seal(cc, n) != 0 || rul_fold(cc, n) != 0)
        return NULL;
    return n;
}

/* One n-ary node for a chain of `and` (is_or 0) or `or` (is_or 1). A
 * constant that decides the chain (false for and, true for or) replaces it;
 * constants that cannot decide it are dropped. */
static rul_node *parse_chain(rul_cc *cc, int is_or)
{
    const char *kw = is_or ? "or" : "and";
    rul_node *(*sub)(rul_cc *) = is_or ? NULL : parse_not;
    rul_node *first = is_or ? parse_chain(cc, 0) : sub(cc);
    if (first == NULL || !tok_is_kw(cc, kw))
        return first;
    as_buf kids = AS_BUF_INIT; /* rul_node *[] */
    rul_node *n = NULL, *decided = NULL;
    uint32_t at = cc->tok.off, start = first->start;
    rul_node *k = first;
    for (;;) {
        if (rul_need_bool(cc, k, is_or ? "'or'" : "'and'") != 0)
            goto out;
        if (rul_is_bool_const(k, is_or)) {
            if (decided == NULL)
                decided = k;
        } else if (!rul_is_bool_const(k, !is_or) && as_buf_append(&kids, &k, sizeof(rul_node *)) != 0) {
            rul_cc_fail(cc, k->start, AS_ERR_NOMEM, NULL);
            goto out;
        }
        if (!tok_is_kw(cc, kw))
            break;
        if (rul_lex_next(cc) != 0)
            goto out;
        k = is_or ? parse_chain(cc, 0) : sub(cc);
        if (k == NULL)
            goto out;
    }
    size_t count = kids.len / sizeof(rul_node *);
    if (decided != NULL || count == 0) {
        rul_val v = { .type = RUL_T_BOOL, .u.b = decided != NULL ? is_or : !is_or };
        n = rul_const_new(cc, start, v);
        goto out;
    }
    rul_node **kv = (rul_node **)(void *)kids.data;
    if (count == 1 && kv[0]->type == RUL_T_BOOL) {
        n = kv[0];
        goto out;
    }
    if (count > UINT16_MAX) {
        rul_cc_fail(cc, at, AS_ERR_SYNTAX, "too many '%s' operands (at most %u)", kw, (unsigned)UINT16_MAX);
        goto out;
    }
    n = rul_node_new(cc, is_or ? RN_OR : RN_AND, start, at, count);
    if (n == NULL)
        goto out;
    memcpy(n->kids, kv, count * sizeof(rul_node *));
    n->type = RUL_T_BOOL;
    if (rul_node_seal(cc, n) != 0)
        n = NULL;
out:
    as_buf_fini(&kids);
    return n;
}

static rul_node *parse_expr(rul_cc *cc)
{
    if (enter(cc) != 0)
        return NULL;
    rul_node *n = parse_chain(cc, 1);
    cc->depth--;
    return n;
}

/* ---- the public interface ---- */

static const rul_scope k_no_scope = { 0 };

rul_expr *rul_expr_compile(as_slice text, const rul_scope *scope, rul_type want, as_err *err)
{
    if (err != NULL)
        as_err_clear(err);
    if (text.ptr == NULL)
        text = as_slice_make("", 0);
    if (text.len > RUL_EXPR_TEXT_MAX) {
        as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .line = 1, .col = 1 }, "expression longer than %zu bytes",
                   RUL_EXPR_TEXT_MAX);
        return NULL;
    }
    rul_expr *e = as_calloc(1, sizeof *e);
    if (e == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        return NULL;
    }
    as_arena_init(&e->ar, RUL_EXPR_ARENA_CHUNK);
    char *copy = as_arena_strndup(&e->ar, text.ptr, text.len);
    if (copy == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        rul_expr_free(e);
        return NULL;
    }
    e->text = as_slice_make(copy, text.len);
    rul_cc cc = { .text = e->text, .e = e, .scope = scope ? scope : &k_no_scope, .err = err };
    as_buf_init(&cc.fields);
    as_err local;
    if (err == NULL) { /* errors still need somewhere to go */
        as_err_clear(&local);
        cc.err = &local;
    }
    size_t bad = as_utf8_check(text.ptr, text.len);
    if (bad < text.len) {
        rul_cc_fail(&cc, (uint32_t)bad, AS_ERR_SYNTAX, "invalid UTF-8 in the expression");
        goto fail;
    }
    if (rul_lex_next(&cc) != 0)
        goto fail;
    if (cc.tok.kind == TK_EOF) {
        rul_cc_fail(&cc, cc.tok.off, AS_ERR_SYNTAX, "empty expression");
        goto fail;
    }
    e->root = parse_expr(&cc);
    if (e->root == NULL)
        goto fail;
    if (cc.tok.kind != TK_EOF) {
        char b[64];
        rul_cc_fail(&cc, cc.tok.off, AS_ERR_SYNTAX, "unexpected %s after the expression", tok_desc(&cc, b, sizeof b));
        goto fail;
    }
    unsigned t = e->root->type;
    if (want != RUL_T_ANY && t != RUL_T_ANY && t != (unsigned)want && !(rul_is_num(t) && rul_is_num(want))) {
        rul_cc_fail(&cc, e->root->start, AS_ERR_SYNTAX, "expected a %s expression, got %s", rul_type_word(want),
                    rul_type_word(t));
        goto fail;
    }
    e->type = t == RUL_T_NUMBER ? RUL_T_ANY : (rul_type)t;
    e->n_fields = cc.fields.len / sizeof(as_slice);
    if (e->n_fields) {
        e->fields = as_arena_alloc(&e->ar, cc.fields.len, _Alignof(as_slice));
        if (e->fields == NULL) {
            rul_cc_fail(&cc, 0, AS_ERR_NOMEM, NULL);
            goto fail;
        }
        memcpy(e->fields, cc.fields.data, cc.fields.len);
    }
    as_buf_fini(&cc.fields);
    return e;
fail:
    as_buf_fini(&cc.fields);
    rul_expr_free(e);
    return NULL;
}

void rul_expr_free(rul_expr *e)
{
    if (e == NULL)
        return;
    rul_re_free_all(e->res);
    as_arena_fini(&e->ar);
    as_free(e);
}

rul_type rul_expr_type(const rul_expr *e)
{
    return e->type;
}

as_slice rul_expr_text(const rul_expr *e)
{
    return e->text;
}

void rul_expr_fields(const rul_expr *e, void (*fn)(void *arg, as_slice path), void *arg)
{
    for (size_t i = 0; i < e->n_fields; i++)
        fn(arg, e->fields[i]);
}
