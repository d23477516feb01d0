/* rul_expr.h: the rule expression language (docs/expressions.md).
 *
 * An expression is compiled once per rule (rul_expr_compile) into an
 * immutable tree that any number of worker threads evaluate per record
 * (rul_expr_eval, rul_expr_test) without heap allocation: temporaries (a
 * lower-cased string, a concatenation) come from the caller's arena, regex
 * match data from the caller's per-thread rul_scratch.
 *
 * Language (summary; the full grammar is in docs/expressions.md):
 *   literals     "text" 'text'  42  -3.5  true false null  24h 15m 90s 500ms 1d 1h30m
 *   fields       actor.alternateId  target[0].type  `@timestamp`  (paths into the record)
 *   pseudo       $file $path $dir $line $source $format  (where the record came from)
 *   sets         x in $admins   (a named set the caller defines, see rul_scope.set)
 *   operators    == != < <= > >=   and or not   + - * /   in [..]   =~ "re"  !~ "re"
 *   functions    lower upper trim len split substr startswith endswith contains coalesce
 *                exists time date hour weekday number string  any all count first
 *   lambdas      any(approvers, it != author)   first(target, it.type == "User").alternateId
 *
 * Missing values: a field the record does not have is MISSING; it propagates
 * through operators and functions like SQL NULL (three-valued logic: false
 * and MISSING = false, true or MISSING = true), except exists() and
 * coalesce(). rul_expr_test reports MISSING, and run-time type errors, as
 * "untestable" (-1) with the reason in the rul_rt: rules treat that as an
 * exception with its own reason code, never as a pass.
 */
#ifndef ASSAY_RUL_EXPR_H
#define ASSAY_RUL_EXPR_H

#include "core/as.h" /* as_slice, as_val, as_rec, as_arena, as_err, as_time */

typedef enum rul_type {
    RUL_T_ANY = 0, /* static type only: not known before run time (a JSON field) */
    RUL_T_MISSING, /* run time: the field is absent */
    RUL_T_NULL,
    RUL_T_BOOL,
    RUL_T_INT,
    RUL_T_NUM,
    RUL_T_STR,
    RUL_T_TIME,
    RUL_T_DUR,     /* a duration, nanoseconds */
    RUL_T_JSON,    /* a JSON object or array, as its raw text */
} rul_type;

const char *rul_type_name(rul_type t); /* "string", "time", ... for messages */

typedef struct rul_val {
    rul_type type;
    union {
        int      b;   /* BOOL */
        int64_t  i;   /* INT */
        double   num; /* NUM */
        as_slice str; /* STR (decoded text), JSON (raw text); borrowed */
        as_time  t;   /* TIME */
        int64_t  dur; /* DUR, nanoseconds */
    } u;
} rul_val;

/* ---- compiling ---- */

/* What names mean where the expression is used (the source's format, the
 * rule file's sets). Every callback is optional. */
typedef struct rul_scope {
    void *arg;
    /* A record field path (as written: "actor.alternateId", "target[0].type").
     * Returns 1 when the source's format has it (*type = its type, RUL_T_ANY
     * when unknown, e.g. any JSON path) or 0 when it does not: the compiler
     * then reports "unknown field 'x' for format F" (the callback writes the
     * format's name into why). NULL callback: every path is accepted as ANY. */
    int (*field)(void *arg, as_slice path, rul_type *type, char *why, size_t why_cap);
    /* A named set ($admins). Returns its id (>= 0) or -1: "unknown set". */
    int (*set)(void *arg, as_slice name);
} rul_scope;

typedef struct rul_expr rul_expr;

/* Compiles text. want is RUL_T_BOOL for a predicate (where, assert, match:
 * an expression that cannot be boolean is an error) or RUL_T_ANY. On error
 * returns NULL and fills err: code AS_ERR_SYNTAX (grammar, unknown function
 * or field or set, wrong argument count, a type error the compiler can see,
 * an invalid regex) or AS_ERR_NOMEM, err->loc.line/col = 1-based position in
 * text (line counted at LF), err->msg = the message without location.
 * Constant sub-expressions are folded; regex literals are compiled with
 * PCRE2 (UTF, JIT when available) here, once. */
rul_expr *rul_expr_compile(as_slice text, const rul_scope *scope, rul_type want, as_err *err) AS_MUST_USE;
void      rul_expr_free(rul_expr *e);

/* The static type of the result (RUL_T_ANY when it depends on the record). */
rul_type  rul_expr_type(const rul_expr *e);
/* The expression's text as compiled (borrowed from the expression). */
as_slice  rul_expr_text(const rul_expr *e);
/* Calls fn for each distinct record field path the expression reads (for
 * binding and documentation), in first-use order. */
void      rul_expr_fields(const rul_expr *e, void (*fn)(void *arg, as_slice path), void *arg);

/* ---- evaluating ---- */

/* Per thread: regex match data and other reusable state. */
typedef struct rul_scratch rul_scratch;
rul_scratch *rul_scratch_new(void) AS_MUST_USE;
void         rul_scratch_free(rul_scratch *s);

/* What one evaluation sees. The caller fills the inputs; rul_expr_eval fills
 * the outputs. One rul_rt per thread, reused record after record. */
#define RUL_RT_REC_CACHE 16  /* fields cached per record (more are looked up each time) */

typedef struct rul_rt {
    /* inputs */
    const as_rec *rec;      /* fields through as_rec_get; NULL = no record (every field MISSING) */
    as_arena     *ar;       /* temporaries; the caller resets it when it likes */
    rul_scratch  *scratch;
    as_slice      file;     /* $file: the input as shown (display path) */
    as_slice      path;     /* $path: the input's path relative to the folder given on the command line */
    as_slice      dir;      /* $dir: the name of the input's parent folder */
    as_slice      source;   /* $source: the rule source the record came through */
    as_slice      format;   /* $format: the input's format name */
    uint64_t      line;     /* $line: the record's first line */
    int         (*set_has)(void *arg, int set_id, as_slice value); /* x in $set; NULL = always false */
    void         *set_arg;
    /* optional: field values shared by every expression evaluated on the
     * same record (rules test many predicates per record: one JSON lookup of
     * eventType instead of ten). Off unless rec_cache_on; the caller sets
     * n_rec_cache = 0 whenever rec changes. */
    int           rec_cache_on;
    unsigned      n_rec_cache;
    struct rul_rt_field { as_slice path; as_val v; } rec_cache[RUL_RT_REC_CACHE];
    /* outputs (rul_expr_eval resets them) */
    as_slice      missing;  /* the first field path found missing, if any */
    const char   *why;      /* static text: why the result is untestable ("missing field", "type mismatch: ...") */
} rul_rt;

/* Evaluates e for rt->rec. Returns AS_OK with *out filled (possibly
 * RUL_T_MISSING), or AS_ERR_NOMEM when the arena is full, or AS_ERR_BAD_VALUE
 * for a run-time type error (rt->why says which) or a regex resource limit. */
as_code rul_expr_eval(const rul_expr *e, rul_rt *rt, rul_val *out) AS_MUST_USE;

/* A predicate: 1 true, 0 false, -1 untestable (MISSING, null, a type error;
 * rt->why and rt->missing say why), -2 out of memory. */
int rul_expr_test(const rul_expr *e, rul_rt *rt);

/* Converts a record value (as_rec_get's) to an expression value. */
rul_val rul_val_from_as(const as_val *v);
/* Appends v as text (as_val_to_text conventions; durations as "1h30m0s",
 * JSON compact as written) to buf. */
int rul_val_to_text(const rul_val *v, as_buf *buf) AS_MUST_USE;
/* Equality as the language defines it (numbers across INT/NUM, strings
 * bytewise, times by instant); 0 when either side is MISSING. */
int rul_val_eq(const rul_val *a, const rul_val *b);

#endif
