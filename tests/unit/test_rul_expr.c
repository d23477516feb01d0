/* test_rul_expr.c: unit tests for rules/rul_expr, the expression language:
 * every operator and function against a fixed record, three-valued logic
 * truth tables, constant folding, durations and time arithmetic, in-lists,
 * sets, JSON postfix access and predicates over arrays (any, all, count,
 * first), pseudo fields, compile-time errors with their exact line, column
 * and message (syntax, types, arity, unknown functions, fields and sets,
 * regexes, limits), run-time type errors reported as untestable with their
 * reason, value text and equality, out-of-memory at every allocation,
 * evaluation without any heap allocation (the hook failing every call), and
 * one compiled expression evaluated by several threads at once (threaded:
 * tools/testrun.sh runs this file under `make tsan`). */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>  /* the shared tree under concurrent evaluators */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* strlen, strcmp */

#include "core/as.h"
#include "parsers/psr.h"  /* psr_json_get: the fake record's JSON paths */
#include "rules/rul_expr.h"

/* ---- a fake record: named values, JSON fields answer paths into them ---- */

typedef struct tfield {
    const char *name;
    as_val      v;
} tfield;

#define F_STR(n, s)  { n, { .type = AS_V_STR, .u.str = { s, sizeof(s) - 1 } } }
#define F_JSON(n, s) { n, { .type = AS_V_JSON, .u.str = { s, sizeof(s) - 1 } } }
#define F_INT(n, x)  { n, { .type = AS_V_INT, .u.i = (x) } }
#define F_NUM(n, x)  { n, { .type = AS_V_NUM, .u.num = (x) } }
#define F_BOOL(n, x) { n, { .type = AS_V_BOOL, .u.b = (x) } }
#define F_NULL(n)    { n, { .type = AS_V_NULL } }

/* 2025-10-01T12:30:00Z, a Wednesday */
#define TS_SEC 1759321800

static const tfield k_fields[] = {
    F_INT("status", 503),
    F_INT("bytes", 1200),
    F_STR("method", "POST"),
    F_STR("user", "Alice"),
    F_STR("empty", ""),
    F_STR("path", "/api/v1/users?id=7"),
    F_STR("num_s", "42"),
    F_STR("when", "2025-10-01T12:00:00Z"),
    F_STR("uni", "h\xc3\xa9llo w\xc3\xb6rld"),
    F_STR("user.name", "dotted"),
    F_STR("@timestamp", "2025-10-01T12:30:00Z"),
    F_NULL("nul"),
    F_BOOL("ok", 1),
    F_BOOL("no", 0),
    F_NUM("ratio", 0.5),
    { "ts", { .type = AS_V_TIME, .u.t = { .sec = TS_SEC, .flags = AS_TIME_VALID } } },
    { "ts2", { .type = AS_V_TIME, .u.t = { .sec = TS_SEC + 5400, .flags = AS_TIME_VALID } } },
    F_JSON("target", "[{\"type\":\"User\",\"id\":\"u1\",\"name\":\"Bob\"},"
                     " {\"type\":\"AppInstance\",\"id\":\"a1\"}, {\"type\":\"User\",\"id\":\"u2\"}]"),
    F_JSON("actor", "{\"id\":\"00u1\",\"alternateId\":\"alice@example.com\",\"tags\":[\"x\",\"y\"],\"n\":null}"),
    F_JSON("tags", "[\"admin\", \"ops\", \"a\\\"q\"]"),
    F_JSON("nums", "[1, 2.5, 3, null]"),
    F_JSON("empty_arr", "[]"),
    F_JSON("approvers", "[\"bob\", \"carol\"]"),
    F_STR("author", "bob"),
    F_JSON("matrix", "[[1, 2], [3, 4]]"),
    F_JSON("bad", "[1, 2"),
};

static int t_get(const as_rec *r, as_slice path, as_val *out, as_arena *ar)
{
    const tfield *f = r->state;
    size_t n = r->n_lines; /* the table's length, carried in an unused member */
    for (size_t i = 0; i < n; i++)
        if (as_slice_eq_cstr(path, f[i].name)) {
            *out = f[i].v;
            return AS_OK;
        }
    /* a JSON field followed by .key / [N]: look inside it, as JSON records do */
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(f[i].name);
        if (f[i].v.type != AS_V_JSON || path.len <= k || memcmp(path.ptr, f[i].name, k) != 0 ||
            (path.ptr[k] != '.' && path.ptr[k] != '['))
            continue;
        as_slice rest = as_slice_sub(path, k + (path.ptr[k] == '.'), SIZE_MAX);
        psr_json_path jp;
        if (psr_json_path_compile(&jp, rest, 0, NULL) != PSR_JSON_OK)
            return AS_ERR_USAGE;
        return psr_json_get(f[i].v.u.str, &jp, out, ar);
    }
    out->type = AS_V_MISSING;
    return AS_OK;
}

static const as_rec_fmt k_fmt = { "test", t_get, NULL };

static as_rec g_rec;
static as_arena g_ar;
static rul_scratch *g_scratch;

static int setup(void **state)
{
    (void)state;
    g_rec = (as_rec){ .fmt = &k_fmt, .state = (void *)k_fields, .n_lines = (uint32_t)AS_ARRAY_LEN(k_fields) };
    as_arena_init(&g_ar, 0);
    g_scratch = rul_scratch_new();
    return g_scratch ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    rul_scratch_free(g_scratch);
    as_arena_fini(&g_ar);
    return 0;
}

/* ---- sets and scopes ---- */

static int t_set(void *arg, as_slice name)
{
    (void)arg;
    if (as_slice_eq_cstr(name, "admins"))
        return 0;
    if (as_slice_eq_cstr(name, "codes"))
        return 1;
    return -1;
}

static int t_set_has(void *arg, int id, as_slice value)
{
    (void)arg;
    static const char *const admins[] = { "alice", "bob", "root" };
    static const char *const codes[] = { "500", "503", "true" };
    const char *const *set = id == 0 ? admins : codes;
    for (size_t i = 0; i < 3; i++)
        if (as_slice_eq_cstr(value, set[i]))
            return 1;
    return 0;
}

static const rul_scope k_sets = { .set = t_set };

static void rt_init(rul_rt *rt)
{
    *rt = (rul_rt){ .rec = &g_rec, .ar = &g_ar, .scratch = g_scratch, .set_has = t_set_has };
    rt->file = AS_SLICE_LIT("logs/web/access.log.gz");
    rt->path = AS_SLICE_LIT("web/access.log.gz");
    rt->dir = AS_SLICE_LIT("web");
    rt->source = AS_SLICE_LIT("nginx");
    rt->format = AS_SLICE_LIT("combined");
    rt->line = 42;
}

static rul_expr *compile_ok(const char *text, const rul_scope *scope, rul_type want)
{
    as_err err;
    rul_expr *e = rul_expr_compile(as_slice_cstr(text), scope ? scope : &k_sets, want, &err);
    if (e == NULL)
        fail_msg("'%s' did not compile: %llu:%llu: %s", text, (unsigned long long)err.loc.line,
                 (unsigned long long)err.loc.col, err.msg);
    return e;
}

/* Evaluates text and returns its value as "type:text" ("integer:7",
 * "missing:", "string:ab") in buf. */
static const char *eval_text(const char *text, char *buf, size_t cap)
{
    rul_expr *e = compile_ok(text, NULL, RUL_T_ANY);
    rul_rt rt;
    rt_init(&rt);
    rul_val v;
    as_code rc = rul_expr_eval(e, &rt, &v);
    if (rc != AS_OK)
        fail_msg("'%s': eval failed (%s): %s", text, as_err_name(rc), rt.why ? rt.why : "");
    as_buf b = AS_BUF_INIT;
    assert_int_equal(rul_val_to_text(&v, &b), 0);
    snprintf(buf, cap, "%s:%s", rul_type_name(v.type), b.data ? b.data : "");
    as_buf_fini(&b);
    rul_expr_free(e);
    return buf;
}

typedef struct ecase {
    const char *text;
    const char *want; /* "type:text" */
} ecase;

static void run_cases(const ecase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char buf[512];
        const char *got = eval_text(c[i].text, buf, sizeof buf);
        if (strcmp(got, c[i].want) != 0)
            fail_msg("'%s': got '%s', want '%s'", c[i].text, got, c[i].want);
    }
}

/* rul_expr_test's answer and reason. */
static int test_of(const char *text, const char **why)
{
    rul_expr *e = compile_ok(text, NULL, RUL_T_ANY);
    rul_rt rt;
    rt_init(&rt);
    int r = rul_expr_test(e, &rt);
    if (why)
        *why = rt.why;
    rul_expr_free(e);
    return r;
}

typedef struct errcase {
    const char *text;
    unsigned    line, col;
    const char *msg;
} errcase;

static void expect_compile_error(const rul_scope *scope, rul_type want, const errcase *c)
{
    as_err err;
    rul_expr *e = rul_expr_compile(as_slice_cstr(c->text), scope, want, &err);
    if (e != NULL) {
        rul_expr_free(e);
        fail_msg("'%s' compiled; want %u:%u: %s", c->text, c->line, c->col, c->msg);
    }
    if (err.code != AS_ERR_SYNTAX || err.loc.line != c->line || err.loc.col != c->col || strcmp(err.msg, c->msg) != 0)
        fail_msg("'%s': got %s %llu:%llu: '%s'\n want %u:%u: '%s'", c->text, as_err_name(err.code),
                 (unsigned long long)err.loc.line, (unsigned long long)err.loc.col, err.msg, c->line, c->col, c->msg);
}

/* ---- literals and operators ---- */

static void test_rul_expr_literals(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "42", "integer:42" },
        { "-3.5", "number:-3.5" },
        { "1e3", "number:1000" },
        { "2.5E-1", "number:0.25" },
        { "true", "boolean:true" },
        { "false", "boolean:false" },
        { "null", "null:" },
        { "\"text\"", "string:text" },
        { "'single'", "string:single" },
        { "\"a\\\"b\\\\c\\td\"", "string:a\"b\\c\td" },
        { "'it\\'s'", "string:it's" },
        { "\"\\u00e9\\u20ac\"", "string:\xc3\xa9\xe2\x82\xac" },
        { "\"\\uD83D\\uDE00\"", "string:\xf0\x9f\x98\x80" },
        { "\"line\\nfeed\"", "string:line\nfeed" },
        { "\"\"", "string:" },
        { "24h", "duration:24h0m0s" },
        { "15m", "duration:15m0s" },
        { "90s", "duration:1m30s" },
        { "500ms", "duration:500ms" },
        { "1d", "duration:24h0m0s" },
        { "1w", "duration:168h0m0s" },
        { "1h30m", "duration:1h30m0s" },
        { "0s", "duration:0s" },
        { "1h0m0s", "duration:1h0m0s" },
        { "time(\"2025-10-01T00:00:00Z\")", "time:2025-10-01T00:00:00Z" },
        { "time(\"2025-10-01\")", "time:2025-10-01T00:00:00Z" },
        { "9223372036854775807", "integer:9223372036854775807" },
        { "  ( 7 )  ", "integer:7" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_arithmetic(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "1 + 2 * 3", "integer:7" },
        { "(1 + 2) * 3", "integer:9" },
        { "10 - 4 - 3", "integer:3" },
        { "7 / 2", "number:3.5" },
        { "8 / 4", "number:2" },
        { "1 + 0.5", "number:1.5" },
        { "status - 3", "integer:500" },
        { "bytes * ratio", "number:600" },
        { "-status", "integer:-503" },
        { "- -status", "integer:503" },
        { "-ratio", "number:-0.5" },
        { "\"ab\" + \"cd\"", "string:abcd" },
        { "method + \" \" + user", "string:POST Alice" },
        { "empty + method", "string:POST" },
        { "status + x", "missing:" },
        { "status + nul", "null:" },
        { "1 - 2", "integer:-1" },
        { "2 * -3", "integer:-6" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_comparisons(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "status == 503", "boolean:true" },
        { "status != 503", "boolean:false" },
        { "status < 600", "boolean:true" },
        { "status <= 503", "boolean:true" },
        { "status > 503", "boolean:false" },
        { "status >= 500", "boolean:true" },
        { "status == 503.0", "boolean:true" },
        { "status < 503.5", "boolean:true" },
        { "ratio > 0", "boolean:true" },
        { "9007199254740993 > 9007199254740992.0", "boolean:true" }, /* int vs double, exactly */
        { "method == \"POST\"", "boolean:true" },
        { "method == \"post\"", "boolean:false" },
        { "method < \"Q\"", "boolean:true" },
        { "\"a\" < \"ab\"", "boolean:true" },
        { "\"b\" > \"ab\"", "boolean:true" },
        { "ok == true", "boolean:true" },
        { "ok != no", "boolean:true" },
        { "nul == null", "boolean:true" },
        { "nul != null", "boolean:false" },
        { "method == null", "boolean:false" },
        { "method != null", "boolean:true" },
        { "nul < 3", "null:" },
        { "x == 1", "missing:" },
        { "x == null", "missing:" },
        { "actor == actor", "boolean:true" },
        { "90s == 1m30s", "boolean:true" },
        { "500ms < 1s", "boolean:true" },
        { "1w > 6d", "boolean:true" },
        { "ts == ts", "boolean:true" },
        { "ts < ts2", "boolean:true" },
        { "ts2 - ts == 1h30m", "boolean:true" },
        { "ts >= \"2025-10-01\"", "boolean:true" },
        { "ts < \"2025-10-01T12:30:00.001Z\"", "boolean:true" },
        { "ts == \"2025-10-01T14:30:00+02:00\"", "boolean:true" },
        { "\"2025-10-02\" > ts", "boolean:true" },
        { "ts > when", "boolean:true" },     /* a string field read as a time */
        { "when < \"2025-10-02\"", "boolean:true" }, /* two strings: bytewise */
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_regex(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "path =~ \"^/api/v[0-9]+/\"", "boolean:true" },
        { "path !~ \"^/api/\"", "boolean:false" },
        { "path =~ \"users\\?id=\\d+$\"", "boolean:true" },
        { "method =~ '(?i)^post$'", "boolean:true" },
        { "uni =~ \"^h.llo\"", "boolean:true" },      /* UTF mode: é is one character */
        { "uni =~ \"w\\x{f6}rld\"", "boolean:true" },
        { "x =~ \"a\"", "missing:" },
        { "nul =~ \"a\"", "null:" },
        { "\"\" =~ \"^$\"", "boolean:true" },
        { "user =~ \"(a)(l)(i)(c)(e)\" ", "boolean:false" },
        { "user =~ \"(A)(l)(i)(c)(e)\" ", "boolean:true" }, /* more groups than the one ovector pair */
        { "method =~ \"\\\"\"", "boolean:false" },    /* \" inside a regex literal is a quote */
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

/* ---- three-valued logic ---- */

static void test_rul_expr_three_valued_truth_tables(void **state)
{
    (void)state;
    /* T: ok (true), F: no (false), M: x (missing), N: nul (null) */
    static const ecase k[] = {
        { "ok and ok", "boolean:true" },   { "ok and no", "boolean:false" },
        { "no and ok", "boolean:false" },  { "no and no", "boolean:false" },
        { "ok and x", "missing:" },        { "x and ok", "missing:" },
        { "no and x", "boolean:false" },   { "x and no", "boolean:false" },
        { "x and x", "missing:" },         { "ok and nul", "null:" },
        { "nul and no", "boolean:false" }, { "nul and x", "missing:" },
        { "ok or ok", "boolean:true" },    { "ok or no", "boolean:true" },
        { "no or ok", "boolean:true" },    { "no or no", "boolean:false" },
        { "ok or x", "boolean:true" },     { "x or ok", "boolean:true" },
        { "no or x", "missing:" },         { "x or no", "missing:" },
        { "x or x", "missing:" },          { "nul or ok", "boolean:true" },
        { "nul or no", "null:" },          { "x or nul", "missing:" },
        { "not ok", "boolean:false" },     { "not no", "boolean:true" },
        { "not x", "missing:" },           { "not nul", "null:" },
        { "not not ok", "boolean:true" },
        { "ok and no or ok", "boolean:true" },      /* and binds tighter than or */
        { "no and (no or ok)", "boolean:false" },
        { "not status == 1", "boolean:true" },      /* not binds looser than == */
        { "ok and ok and ok and no", "boolean:false" },
        { "no or no or no or ok", "boolean:true" },
        { "x == 1 or status == 503", "boolean:true" },
        { "x == 1 and status == 1", "boolean:false" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
    /* short circuit: the right side is not evaluated once the left decides */
    static const ecase sc[] = {
        { "no and lower(status) == \"x\"", "boolean:false" },
        { "ok or lower(status) == \"x\"", "boolean:true" },
    };
    run_cases(sc, AS_ARRAY_LEN(sc));
    const char *why = NULL;
    assert_int_equal(test_of("x == 1", &why), -1);
    assert_string_equal(why, "missing field");
    assert_int_equal(test_of("nul < 3", &why), -1);
    assert_string_equal(why, "null value");
    assert_int_equal(test_of("ok and no", &why), 0);
    assert_null(why);
    assert_int_equal(test_of("x == 1 or ok", &why), 1);
    assert_null(why);
}

/* ---- membership ---- */

static void test_rul_expr_in_lists_and_sets(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "status in [500, 502, 503]", "boolean:true" },
        { "status in [200, 201]", "boolean:false" },
        { "status not in [200, 201]", "boolean:true" },
        { "status in [503.0]", "boolean:true" },
        { "method in [\"GET\", \"POST\",]", "boolean:true" },
        { "method in []", "boolean:false" },
        { "method not in []", "boolean:true" },
        { "x in [1, 2]", "missing:" },
        { "nul in [1, null]", "boolean:true" },
        { "nul in [1, 2]", "boolean:false" },
        { "ts in [\"2025-10-01T12:30:00Z\", \"2025-10-02\"]", "boolean:true" },
        { "90s in [1m30s, 2m]", "boolean:true" },
        { "status in [-1, 500 + 3]", "boolean:true" },
        { "lower(user) in $admins", "boolean:true" },
        { "user in $admins", "boolean:false" },
        { "user not in $admins", "boolean:true" },
        { "status in $codes", "boolean:true" },     /* numbers are looked up as text */
        { "ok in $codes", "boolean:true" },
        { "x in $admins", "missing:" },
        { "nul in $admins", "boolean:false" },
        { "\"ops\" in tags", "boolean:true" },      /* a JSON array at run time */
        { "\"a\\\"q\" in tags", "boolean:true" },
        { "\"root\" in tags", "boolean:false" },
        { "2.5 in nums", "boolean:true" },
        { "3 in nums", "boolean:true" },
        { "author in approvers", "boolean:true" },
        { "author not in approvers", "boolean:false" },
        { "1 in x", "missing:" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
    /* no set_has callback: never a member */
    rul_expr *e = compile_ok("user in $admins", NULL, RUL_T_BOOL);
    rul_rt rt;
    rt_init(&rt);
    rt.set_has = NULL;
    assert_int_equal(rul_expr_test(e, &rt), 0);
    rul_expr_free(e);
}

/* ---- functions ---- */

static void test_rul_expr_string_functions(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "lower(user)", "string:alice" },
        { "lower(\"\xc3\x89T\xc3\xa9\")", "string:\xc3\x89t\xc3\xa9" }, /* ASCII letters only */
        { "upper(user)", "string:ALICE" },
        { "upper(\"already\")", "string:ALREADY" },
        { "lower(\"plain\")", "string:plain" },
        { "trim(\"  a b \\t\\n\")", "string:a b" },
        { "trim(\"\")", "string:" },
        { "len(user)", "integer:5" },
        { "len(uni)", "integer:11" },        /* characters, not bytes */
        { "len(empty)", "integer:0" },
        { "len(target)", "integer:3" },
        { "len(empty_arr)", "integer:0" },
        { "split(\"a,b,,c\", \",\", 0)", "string:a" },
        { "split(\"a,b,,c\", \",\", 2)", "string:" },
        { "split(\"a,b,,c\", \",\", 3)", "string:c" },
        { "split(\"a,b,,c\", \",\", -1)", "string:c" },
        { "split(\"a,b,,c\", \",\", -4)", "string:a" },
        { "split(\"a,b,,c\", \",\", 4)", "missing:" },
        { "split(\"a,b,,c\", \",\", -5)", "missing:" },
        { "split(\"a::b\", \"::\", 1)", "string:b" },
        { "split(path, \"/\", 1)", "string:api" },
        { "split(path, \"/\", 2)", "string:v1" },
        { "split(\"abc\", \",\", 0)", "string:abc" },
        { "split(\"\", \",\", 0)", "string:" },
        { "substr(user, 1)", "string:lice" },
        { "substr(user, 1, 3)", "string:lic" },
        { "substr(user, -3)", "string:ice" },
        { "substr(user, -3, 2)", "string:ic" },
        { "substr(user, -10, 2)", "string:Al" },
        { "substr(user, 10)", "string:" },
        { "substr(user, 2, 0)", "string:" },
        { "substr(user, 2, -1)", "string:" },
        { "substr(uni, 1, 4)", "string:\xc3\xa9llo" },
        { "startswith(path, \"/api\")", "boolean:true" },
        { "startswith(path, \"api\")", "boolean:false" },
        { "startswith(path, \"\")", "boolean:true" },
        { "endswith(path, \"id=7\")", "boolean:true" },
        { "endswith(user, \"Alice!\")", "boolean:false" },
        { "contains(path, \"v1/us\")", "boolean:true" },
        { "contains(path, \"v2\")", "boolean:false" },
        { "contains(path, \"\")", "boolean:true" },
        { "contains(tags, \"ops\")", "boolean:true" },
        { "contains(nums, 1)", "boolean:true" },
        { "contains(nums, null)", "null:" },         /* strict: a null argument */
        { "contains(tags, 7)", "boolean:false" },
        { "lower(x)", "missing:" },
        { "lower(nul)", "null:" },
        { "split(user, x, 0)", "missing:" },
        { "string(status)", "string:503" },
        { "string(ratio)", "string:0.5" },
        { "string(ok)", "string:true" },
        { "string(ts)", "string:2025-10-01T12:30:00Z" },
        { "string(90m)", "string:1h30m0s" },
        { "string(actor.tags)", "string:[\"x\",\"y\"]" },
        { "string(user)", "string:Alice" },
        { "string(status) + \"!\"", "string:503!" },
        { "number(\"42\")", "integer:42" },
        { "number(num_s) + 1", "integer:43" },
        { "number(\" -1.5e3 \")", "number:-1500" },
        { "number(\"+7\")", "integer:7" },
        { "number(\"007\")", "integer:7" },
        { "number(\"0.25\")", "number:0.25" },
        { "number(\"99999999999999999999\")", "number:1e+20" },
        { "number(status)", "integer:503" },
        { "number(ratio)", "number:0.5" },
        { "number(ts)", "integer:1759321800" },
        { "coalesce(x, y, user)", "string:Alice" },
        { "coalesce(nul, 7)", "integer:7" },
        { "coalesce(x, nul)", "null:" },
        { "coalesce(x, y)", "missing:" },
        { "coalesce(method)", "string:POST" },
        { "exists(status)", "boolean:true" },
        { "exists(x)", "boolean:false" },
        { "exists(nul)", "boolean:true" },
        { "exists(actor.alternateId)", "boolean:true" },
        { "exists(actor.nope)", "boolean:false" },
        { "exists($file)", "boolean:true" },
        { "exists(first(target, true).name)", "boolean:true" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_time_functions(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "time(\"2025-10-01T12:00:00+02:00\")", "time:2025-10-01T10:00:00Z" },
        { "time(\"2025-10-01 12:00:00\", \"+02:00\")", "time:2025-10-01T10:00:00Z" },
        { "time(\"01/Oct/2025:12:00:00 +0000\")", "time:2025-10-01T12:00:00Z" },
        { "time(when)", "time:2025-10-01T12:00:00Z" },
        { "time(ts)", "time:2025-10-01T12:30:00Z" },
        { "time(1759321800)", "time:2025-10-01T12:30:00Z" },
        { "time(1759321800000)", "time:2025-10-01T12:30:00Z" },
        { "time(`@timestamp`)", "time:2025-10-01T12:30:00Z" },
        { "time(x)", "missing:" },
        { "date(ts)", "string:2025-10-01" },
        { "date(ts, \"+12:00\")", "string:2025-10-02" },
        { "date(time(\"2025-10-01T00:30:00Z\"), \"-01:00\")", "string:2025-09-30" },
        { "hour(ts)", "integer:12" },
        { "hour(ts, \"-0500\")", "integer:7" },
        { "hour(ts, \"+12\")", "integer:0" },
        { "hour(time(\"1969-12-31T23:00:00Z\"))", "integer:23" },
        { "weekday(ts)", "integer:3" },                        /* Wednesday */
        { "weekday(time(\"2025-10-05\"))", "integer:7" },       /* Sunday */
        { "weekday(time(\"2025-10-06\"))", "integer:1" },       /* Monday */
        { "weekday(ts, \"+12:00\")", "integer:4" },
        { "weekday(time(\"1970-01-01\"))", "integer:4" },       /* Thursday */
        { "ts + 1d", "time:2025-10-02T12:30:00Z" },
        { "1h + ts", "time:2025-10-01T13:30:00Z" },
        { "ts - 30m", "time:2025-10-01T12:00:00Z" },
        { "ts - 1500ms", "time:2025-10-01T12:29:58.500Z" },
        { "ts2 - ts", "duration:1h30m0s" },
        { "ts - ts2", "duration:-1h30m0s" },
        { "ts - ts", "duration:0s" },
        { "time(\"2025-10-02\") - time(\"2025-10-01\")", "duration:24h0m0s" },
        { "ts - time(when) > 15m", "boolean:true" },
        { "hour(ts) >= 9 and hour(ts) < 17 and weekday(ts) <= 5", "boolean:true" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_durations(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "1h + 30m", "duration:1h30m0s" },
        { "1h - 90m", "duration:-30m0s" },
        { "2 * 15m", "duration:30m0s" },
        { "15m * 2", "duration:30m0s" },
        { "1h * 0.5", "duration:30m0s" },
        { "1h / 4", "duration:15m0s" },
        { "1h / 2.5", "duration:24m0s" },
        { "1h / 30m", "number:2" },
        { "-1h", "duration:-1h0m0s" },
        { "1s / 2", "duration:500ms" },
        { "1ms / 1000", "duration:1\xc2\xb5s" },
        { "1ms / 1000000", "duration:1ns" },
        { "1500ms", "duration:1.5s" },
        { "1ms + 500ms / 1000", "duration:1.5ms" },
        { "3d + 4h + 5m + 6s", "duration:76h5m6s" },
        { "24h == 1d", "boolean:true" },
        { "2w > 13d", "boolean:true" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

/* ---- JSON values: postfix access and predicates ---- */

static void test_rul_expr_json_access(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "actor.alternateId", "string:alice@example.com" },  /* a record path */
        { "target[1].type", "string:AppInstance" },
        { "(actor).alternateId", "string:alice@example.com" }, /* postfix on a value */
        { "(actor).tags[1]", "string:y" },
        { "(actor)[\"id\"]", "string:00u1" },
        { "(actor).n", "null:" },
        { "(actor).nope", "missing:" },
        { "(target)[0].name", "string:Bob" },
        { "(target)[5]", "missing:" },
        { "(matrix)[1][0]", "integer:3" },
        { "(actor).tags", "JSON:[\"x\",\"y\"]" },
        { "first(target, it.type == \"AppInstance\").id", "string:a1" },
        { "first(target, it.id == \"u2\")[\"type\"]", "string:User" },
        { "(x).y", "missing:" },
        { "(nul).y", "null:" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_lambdas(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "any(target, it.type == \"AppInstance\")", "boolean:true" },
        { "any(target, it.type == \"Group\")", "boolean:false" },
        { "all(target, exists(it.id))", "boolean:true" },
        { "all(target, it.type == \"User\")", "boolean:false" },
        { "count(target)", "integer:3" },
        { "count(target, it.type == \"User\")", "integer:2" },
        { "count(empty_arr)", "integer:0" },
        { "any(empty_arr, true)", "boolean:false" },
        { "all(empty_arr, false)", "boolean:true" },
        { "first(target, it.type == \"User\").id", "string:u1" },
        { "first(target, it.type == \"Group\")", "missing:" },
        { "any(approvers, it != author)", "boolean:true" },
        { "all(approvers, it != author)", "boolean:false" },
        { "count(nums, it > 1)", "null:" },                  /* one element is null: unknown */
        { "any(nums, it > 2)", "boolean:true" },              /* decided before the null */
        { "all(target, it.name != \"Bob\")", "boolean:false" }, /* false decides despite missing names */
        { "all(target, it.name == \"Bob\")", "missing:" },
        { "any(target, it.name == \"Zed\")", "missing:" },
        { "count(target, it.name == \"Bob\")", "missing:" },
        { "first(target, it.name == \"Bob\").id", "string:u1" },
        { "any(matrix, any(it, it == 4))", "boolean:true" },  /* nested predicates */
        { "count(matrix, all(it, it < 3))", "integer:1" },
        { "any(tags, startswith(it, \"ad\"))", "boolean:true" },
        { "any(actor.tags, it == \"y\")", "boolean:true" },
        { "any(x, it == 1)", "missing:" },
        { "count(x)", "missing:" },
        { "count(first(matrix, true))", "integer:2" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void test_rul_expr_pseudo_fields(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "$file", "string:logs/web/access.log.gz" },
        { "$path", "string:web/access.log.gz" },
        { "$dir", "string:web" },
        { "$source", "string:nginx" },
        { "$format", "string:combined" },
        { "$line", "integer:42" },
        { "$line + 1", "integer:43" },
        { "$dir == \"web\" and endswith($file, \".gz\")", "boolean:true" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
    /* unset pseudo fields are missing, named in rt->missing */
    rul_expr *e = compile_ok("$source == \"x\"", NULL, RUL_T_BOOL);
    rul_rt rt = { .ar = &g_ar };
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_string_equal(rt.why, "missing field");
    assert_true(as_slice_eq_cstr(rt.missing, "$source"));
    rul_expr_free(e);
    e = compile_ok("$line > 0", NULL, RUL_T_BOOL);
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_true(as_slice_eq_cstr(rt.missing, "$line"));
    rul_expr_free(e);
}

/* Backquoted names: one key with any characters; a field path as a whole. */
static void test_rul_expr_field_paths(void **state)
{
    (void)state;
    static const ecase k[] = {
        { "`user.name`", "string:dotted" },
        { "`@timestamp`", "string:2025-10-01T12:30:00Z" },
        { "actor.`alternateId`", "string:alice@example.com" },
        { "actor[\"alternateId\"]", "string:alice@example.com" },
        { "target[0].`type`", "string:User" },
    };
    run_cases(k, AS_ARRAY_LEN(k));
}

static void collect(void *arg, as_slice path)
{
    as_buf *b = arg;
    assert_int_equal(as_buf_append_slice(b, path), 0);
    assert_int_equal(as_buf_putc(b, '|'), 0);
}

static void test_rul_expr_fields_in_first_use_order(void **state)
{
    (void)state;
    rul_expr *e = compile_ok("a == 1 or b.c[2] == 2 or a == 3 or `x.y` == 4 or `p q`.`r.s` == 5 or "
                             "any(arr, it.z == 1) or lower(b.c[2]) == \"x\" or $file == \"f\"",
                             NULL, RUL_T_BOOL);
    as_buf b = AS_BUF_INIT;
    rul_expr_fields(e, collect, &b);
    assert_string_equal(b.data, "a|b.c[2]|x.y|p q[\"r.s\"]|arr|");
    as_buf_fini(&b);
    assert_true(as_slice_eq_cstr(rul_expr_text(e), "a == 1 or b.c[2] == 2 or a == 3 or `x.y` == 4 or `p q`.`r.s` == 5 or "
                                                   "any(arr, it.z == 1) or lower(b.c[2]) == \"x\" or $file == \"f\""));
    rul_expr_free(e);
}

/* ---- static types and folding ---- */

static void test_rul_expr_static_types_and_folding(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        rul_type    type;
    } k[] = {
        { "1 + 2", RUL_T_INT },        { "1 / 2", RUL_T_NUM },        { "\"a\" + \"b\"", RUL_T_STR },
        { "status + 1", RUL_T_ANY },   { "lower(x)", RUL_T_STR },     { "x == 1", RUL_T_BOOL },
        { "time(x)", RUL_T_TIME },     { "1h + 2h", RUL_T_DUR },      { "number(x)", RUL_T_ANY },
        { "number(\"1.5\")", RUL_T_NUM }, { "first(t, true)", RUL_T_ANY }, { "x + \"s\"", RUL_T_STR },
        { "coalesce(a, \"x\", \"y\")", RUL_T_ANY }, { "coalesce(null, \"x\")", RUL_T_STR },
        { "count(t)", RUL_T_INT },     { "null", RUL_T_NULL },        { "x", RUL_T_ANY },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        rul_expr *e = compile_ok(k[i].text, NULL, RUL_T_ANY);
        if (rul_expr_type(e) != k[i].type)
            fail_msg("'%s': type %s, want %s", k[i].text, rul_type_name(rul_expr_type(e)), rul_type_name(k[i].type));
        rul_expr_free(e);
    }
    /* folded: evaluating needs no record, arena or scratch */
    static const ecase folded[] = {
        { "lower(\"ABC\") + upper(\"d\")", "string:abcD" },
        { "time(\"2025-10-01\") + 1d < time(\"2025-10-03\")", "boolean:true" },
        { "3 in [1, 2, 3] and not false", "boolean:true" },
        { "x == 1 and false", "boolean:false" },   /* a deciding constant */
        { "true or x == 1", "boolean:true" },
        { "coalesce(null, 2) * 2", "integer:4" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(folded); i++) {
        rul_expr *e = compile_ok(folded[i].text, NULL, RUL_T_ANY);
        rul_rt rt = { 0 };
        rul_val v;
        assert_int_equal(rul_expr_eval(e, &rt, &v), AS_OK);
        as_buf b = AS_BUF_INIT;
        assert_int_equal(rul_val_to_text(&v, &b), 0);
        char got[128];
        snprintf(got, sizeof got, "%s:%s", rul_type_name(v.type), b.data ? b.data : "");
        if (strcmp(got, folded[i].want) != 0)
            fail_msg("'%s': got '%s', want '%s'", folded[i].text, got, folded[i].want);
        as_buf_fini(&b);
        rul_expr_free(e);
    }
}

/* ---- compile-time errors: exact position and message ---- */

static void test_rul_expr_syntax_errors(void **state)
{
    (void)state;
    static const errcase k[] = {
        { "", 1, 1, "empty expression" },
        { "   ", 1, 4, "empty expression" },
        { "status ==", 1, 10, "expected an expression, found the end of the expression" },
        { "status = 1", 1, 8, "unexpected '=' (compare with ==)" },
        { "a && b", 1, 3, "unexpected '&' (use 'and')" },
        { "a || b", 1, 3, "unexpected '|' (use 'or')" },
        { "!a", 1, 1, "unexpected '!' (negate with 'not')" },
        { "(1 + 2", 1, 7, "expected ')' to close the '(' at 1:1, found the end of the expression" },
        { "1 + 2)", 1, 6, "unexpected ')' after the expression" },
        { "\"open", 1, 1, "unterminated string" },
        { "'a\\q'", 1, 3, "invalid escape '\\q' in a string (use \\\" \\' \\\\ \\n \\t \\r \\uXXXX)" },
        { "\"\\u12\"", 1, 2, "invalid \\u escape: expected 4 hex digits" },
        { "\"\\uD800\"", 1, 2, "lone surrogate in a \\u escape" },
        { "12x", 1, 1, "invalid duration '12x' (units w d h m s ms, e.g. 1h30m)" },
        { "1h30", 1, 1, "invalid duration '1h30' (units w d h m s ms, e.g. 1h30m)" },
        { "99999999999999999999", 1, 1,
          "integer '99999999999999999999' is too large (at most 9223372036854775807)" },
        { "1 < 2 < 3", 1, 7, "comparisons cannot be chained (combine them with 'and')" },
        { "a not b", 1, 7, "expected 'in' after 'not', found 'b'" },
        { "and", 1, 1, "expected an expression, found 'and'" },
        { "a in", 1, 5, "expected an expression, found the end of the expression" },
        { "a in [1, 2", 1, 11, "expected ',' or ']' to close the '[' at 1:6, found the end of the expression" },
        { "a in [b]", 1, 7, "list elements must be constants" },
        { "a in [1, \"x\"]", 1, 10, "list mixes integer and string elements" },
        { "[1, 2]", 1, 1, "a list [...] is only allowed after 'in'" },
        { "a.", 1, 3, "expected a name after '.', found the end of the expression" },
        { "a[x]", 1, 3, "expected an index (a non-negative integer) or a quoted key after '[', found 'x'" },
        { "a[1", 1, 4, "expected ']', found the end of the expression" },
        { "``", 1, 1, "empty `name`" },
        { "`open", 1, 1, "unterminated `name`" },
        { "$", 1, 1, "expected a name after '$'" },
        { "$nope", 1, 1,
          "unknown pseudo field '$nope' (there are $file $path $dir $line $source $format; a set is used as x in $name)" },
        { "x in $nope", 1, 6, "unknown set '$nope'" },
        { "it == 1", 1, 1, "'it' is only defined inside the predicate of any(), all(), count() or first()" },
        { "lowr(x)", 1, 1, "unknown function 'lowr' (did you mean 'lower'?)" },
        { "Upper(x)", 1, 1, "unknown function 'Upper' (did you mean 'upper'?)" },
        { "frobnicate(x)", 1, 1, "unknown function 'frobnicate'" },
        { "lower(x, y)", 1, 1, "lower() takes 1 argument, got 2" },
        { "lower()", 1, 1, "lower() takes 1 argument, got 0" },
        { "split(x, y)", 1, 1, "split() takes 3 arguments, got 2" },
        { "substr(x)", 1, 1, "substr() takes 2 or 3 arguments, got 1" },
        { "coalesce()", 1, 1, "coalesce() takes at least 1 argument, got 0" },
        { "lower(x y)", 1, 9, "expected ',' or ')' in the arguments of lower(), found 'y'" },
        { "x =~ y", 1, 6, "'=~' needs a regex literal (a quoted string) on its right" },
        { "a\n  and (b or\n      c d)", 3, 9, "expected ')' to close the '(' at 2:7, found 'd'" },
        { "x == \xff", 1, 6, "invalid UTF-8 in the expression" },
        { "x == 1 #", 1, 8, "unexpected character '#'" },
        { "x == \"a\"\n  and 1 ~ 2", 2, 9, "unexpected character '~'" },
        { "1.5.3", 1, 4, "'.' needs a JSON object or array on its left, got number" },
        { "3x", 1, 1, "invalid duration '3x' (units w d h m s ms, e.g. 1h30m)" },
        { "1.5h", 1, 1, "invalid number '1.5h' (durations take whole numbers: 1h30m)" },
        { "7abc", 1, 1, "invalid duration '7abc' (units w d h m s ms, e.g. 1h30m)" },
        { "2.5e", 1, 1, "invalid number '2.5e'" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        expect_compile_error(&k_sets, RUL_T_ANY, &k[i]);
}

static void test_rul_expr_type_errors(void **state)
{
    (void)state;
    static const errcase k[] = {
        { "lower(5)", 1, 7, "lower() expects a string as argument 1, got integer" },
        { "\"a\" < 3", 1, 5, "cannot compare string with integer" },
        { "\"a\" == 3", 1, 5, "cannot compare string with integer" },
        { "not \"x\"", 1, 5, "'not' expects a boolean, got string" },
        { "x and 3", 1, 7, "'and' expects a boolean, got integer" },
        { "\"s\" or x", 1, 1, "'or' expects a boolean, got string" },
        { "true < false", 1, 1, "'<' cannot order boolean values" },
        { "x > null", 1, 5, "'>' cannot order null values" },
        { "\"a\" + 1", 1, 5, "cannot apply '+' to string and integer" },
        { "\"a\" - \"b\"", 1, 1, "'-' cannot take a string operand" },
        { "true * 2", 1, 1, "'*' cannot take a boolean operand" },
        { "x + true", 1, 5, "'+' cannot take a boolean operand" },
        { "-\"a\"", 1, 2, "'-' expects a number or a duration, got string" },
        { "1h + 1", 1, 4, "cannot apply '+' to duration and integer" },
        { "time(\"x\") > 1", 1, 6, "time(): 'x' is not a timestamp (e.g. \"2025-10-01T00:00:00Z\")" },
        { "time(x) > 1", 1, 9, "cannot compare time with integer" },
        { "time(x) == \"yesterday\"", 1, 12,
          "'yesterday' is not a timestamp (compared with a time; e.g. \"2025-10-01T00:00:00Z\")" },
        { "time(x, \"Europe/Berlin\")", 1, 9,
          "invalid time zone 'Europe/Berlin' (use UTC, Z, +02:00 or -0500; named zones change with daylight saving)" },
        { "hour(\"2025-10-01\")", 1, 6, "hour() expects a time as argument 1, got string (convert it with time(x))" },
        { "split(x, \"\", 0)", 1, 10, "split() needs a non-empty separator" },
        { "split(x, \",\", \"1\")", 1, 15, "split() expects an integer as argument 3, got string" },
        { "substr(x, 1.5)", 1, 11, "substr() expects an integer as argument 2, got number" },
        { "len(5)", 1, 5, "len() expects a string or JSON array as argument 1, got integer" },
        { "contains(\"abc\", 1)", 1, 17, "contains() expects a string as argument 2 when argument 1 is a string, got integer" },
        { "exists(1)", 1, 8, "exists() takes a field path (e.g. exists(actor.id))" },
        { "exists(lower(x))", 1, 8, "exists() takes a field path (e.g. exists(actor.id))" },
        { "any(\"abc\", true)", 1, 5, "any() expects a JSON array as argument 1, got string" },
        { "any(t, 1)", 1, 8, "any() expects a boolean predicate as argument 2, got integer" },
        { "count(t, lower(it))", 1, 10, "count() expects a boolean predicate as argument 2, got string" },
        { "number(true)", 1, 8, "number() expects a number, string or time as argument 1, got boolean" },
        { "x =~ \"a\" =~ \"b\"", 1, 10, "comparisons cannot be chained (combine them with 'and')" },
        { "5 =~ \"a\"", 1, 1, "'=~' matches strings, got integer" },
        { "$file.x", 1, 6, "'.' needs a JSON object or array on its left, got string" },
        { "lower(x)[0]", 1, 9, "'[' needs a JSON object or array on its left, got string" },
        { "x in [t, 1]", 1, 7, "list elements must be constants" },
        { "1 in \"abc\"", 1, 6, "'in' needs a list [...], a $set or a JSON array, got string" },
        { "1 / 0", 1, 3, "division by zero" },
        { "9223372036854775807 + 1", 1, 21, "integer overflow" },
        { "1h / 0", 1, 4, "division by zero" },
        { "status ==\n  lower(3)", 2, 9, "lower() expects a string as argument 1, got integer" },
        { "count(t, any(u, it == 1) and 5)", 1, 30, "'and' expects a boolean, got integer" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        expect_compile_error(&k_sets, RUL_T_ANY, &k[i]);
    /* want = BOOL: a predicate that cannot be boolean */
    static const errcase b[] = {
        { "status + 1", 1, 1, "expected a boolean expression, got any" },
        { "  lower(x)", 1, 3, "expected a boolean expression, got string" },
        { "1h", 1, 1, "expected a boolean expression, got duration" },
    };
    as_err err;
    rul_expr *e = rul_expr_compile(as_slice_cstr("status + 1"), NULL, RUL_T_BOOL, &err);
    assert_non_null(e); /* ANY is checked at run time */
    rul_expr_free(e);
    for (size_t i = 1; i < AS_ARRAY_LEN(b); i++)
        expect_compile_error(NULL, RUL_T_BOOL, &b[i]);
}

static void test_rul_expr_regex_errors(void **state)
{
    (void)state;
    static const errcase k[] = {
        { "path =~ \"(\"", 1, 9, "invalid regex: missing closing parenthesis (at offset 1 of the pattern)" },
        { "path !~ 'a{2,1}'", 1, 9, "invalid regex: numbers out of order in {} quantifier (at offset 5 of the pattern)" },
        { "x == 1 or\n   path =~ \"[a-\"", 2, 12, "invalid regex: missing terminating ] for character class (at offset 3 of the pattern)" },
        { "path =~ \"*a\"", 1, 9, "invalid regex: quantifier does not follow a repeatable item (at offset 0 of the pattern)" },
        { "path =~ \"\\C\"", 1, 9, "invalid regex: using \\C is disabled by the application (at offset 2 of the pattern)" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        expect_compile_error(NULL, RUL_T_ANY, &k[i]);
}

/* The scope's field callback: known fields with their types, unknown ones
 * refused with the format's name. */
static int t_field(void *arg, as_slice path, rul_type *type, char *why, size_t why_cap)
{
    (void)arg;
    static const struct { const char *name; rul_type type; } known[] = {
        { "status", RUL_T_INT }, { "method", RUL_T_STR }, { "time", RUL_T_TIME }, { "referer", RUL_T_STR },
        { "bytes", RUL_T_INT }, { "user", RUL_T_STR },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(known); i++)
        if (as_slice_eq_cstr(path, known[i].name)) {
            *type = known[i].type;
            return 1;
        }
    snprintf(why, why_cap, "combined");
    return 0;
}

static void test_rul_expr_scope_field_callback(void **state)
{
    (void)state;
    const rul_scope scope = { .field = t_field, .set = t_set };
    static const errcase k[] = {
        { "refrer == \"-\"", 1, 1, "unknown field 'refrer' for format combined" },
        { "status == 200 and\n  actor.id == 1", 2, 3, "unknown field 'actor.id' for format combined" },
        { "lower(status) == \"x\"", 1, 7, "lower() expects a string as argument 1, got integer" },
        { "status == \"200\"", 1, 8, "cannot compare integer with string" },
        { "time >= \"yesterday\"", 1, 9,
          "'yesterday' is not a timestamp (compared with a time; e.g. \"2025-10-01T00:00:00Z\")" },
        { "method + 1 == 2", 1, 8, "cannot apply '+' to string and integer" },
        { "not user", 1, 5, "'not' expects a boolean, got string" },
        { "bytes", 1, 1, "expected a boolean expression, got integer" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        expect_compile_error(&scope, RUL_T_BOOL, &k[i]);
    /* a callback that gives no format name */
    as_err err;
    rul_expr *e = compile_ok("time >= \"2025-10-01\" and status in [200, 204] and user in $admins", &scope, RUL_T_BOOL);
    assert_int_equal(rul_expr_type(e), RUL_T_BOOL);
    rul_expr_free(e);
    assert_null(rul_expr_compile(as_slice_cstr("x"), &(rul_scope){ .field = t_field }, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "unknown field 'x' for format combined");
}

/* ---- run-time errors: untestable with the reason ---- */

static void test_rul_expr_runtime_type_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *why;
    } k[] = {
        { "lower(status) == \"x\"", "type mismatch: expected string, got integer" },
        { "status + \"a\" == \"x\"", "type mismatch: expected number, got string" },
        { "method > 3", "type mismatch: expected string, got integer" },
        { "status == \"503\"", "type mismatch: expected number, got string" },
        { "not method", "type mismatch: expected boolean, got string" },
        { "ok and status", "type mismatch: expected boolean, got integer" },
        { "status", "type mismatch: expected boolean, got integer" },
        { "method", "type mismatch: expected boolean, got string" },
        { "hour(when) == 12", "type mismatch: expected time, got string" },
        { "ts > user", "type mismatch: expected time, got string" },
        { "ok < no", "type mismatch: expected number, string, time or duration, got boolean" },
        { "status in [\"a\"]", "type mismatch: expected string, got integer" },
        { "any(user, true)", "type mismatch: expected JSON array, got string" },
        { "any(actor, true)", "type mismatch: expected JSON array, got JSON" },
        { "len(actor) > 1", "type mismatch: expected string or JSON array, got JSON" },
        { "any(tags, it > 1)", "type mismatch: expected string, got integer" },
        { "any(target, it.id)", "type mismatch: expected boolean, got string" },
        { "(user).x == 1", "type mismatch: expected JSON object or array, got string" },
        { "number(user) > 1", "number(): the string is not a number" },
        { "time(user) > ts", "time(): not a timestamp" },
        { "time(when, user) > ts", "invalid time zone (use UTC, Z, +02:00 or -0500)" },
        { "split(user, empty, 0) == \"\"", "split(): empty separator" },
        { "status / (bytes - 1200) > 1", "division by zero" },
        { "status * 9223372036854775807 > 1", "integer overflow" },
        { "-(status - 503 - 9223372036854775807 - 1) > 1", "integer overflow" },
        { "ts + 1h * bytes * 3000 > ts", "duration overflow" },
        { "count(bad) > 0", "malformed JSON value" },
        { "any(bad, it == 7)", "malformed JSON value" },
        { "count(nums, it)", "type mismatch: expected boolean, got integer" },
        { "\"ops\" in tags and any(target, it.type)", "type mismatch: expected boolean, got string" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        const char *why = NULL;
        int r = test_of(k[i].text, &why);
        if (r != -1 || why == NULL || strcmp(why, k[i].why) != 0)
            fail_msg("'%s': got %d '%s', want -1 '%s'", k[i].text, r, why ? why : "(null)", k[i].why);
    }
    /* rul_expr_eval reports the code */
    rul_expr *e = compile_ok("lower(status)", NULL, RUL_T_ANY);
    rul_rt rt;
    rt_init(&rt);
    rul_val v;
    assert_int_equal(rul_expr_eval(e, &rt, &v), AS_ERR_BAD_VALUE);
    assert_int_equal(v.type, RUL_T_MISSING);
    assert_string_equal(rt.why, "type mismatch: expected string, got integer");
    rul_expr_free(e);
    /* a regex without a scratch */
    e = compile_ok("user =~ \"A\"", NULL, RUL_T_BOOL);
    rt.scratch = NULL;
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_string_equal(rt.why, "no rul_scratch for regex matching (rt->scratch is NULL)");
    rul_expr_free(e);
    /* the missing field is named */
    e = compile_ok("a.b == 1 or c == 2", NULL, RUL_T_BOOL);
    rt_init(&rt);
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_true(as_slice_eq_cstr(rt.missing, "a.b"));
    assert_string_equal(rt.why, "missing field");
    rul_expr_free(e);
    /* no record: every field is missing */
    e = compile_ok("status == 503", NULL, RUL_T_BOOL);
    rt.rec = NULL;
    assert_int_equal(rul_expr_test(e, &rt), -1);
    rul_expr_free(e);
}

/* Catastrophic backtracking ends in an error value, quickly. */
static void test_rul_expr_regex_limits(void **state)
{
    (void)state;
    static char subject[10004];
    memset(subject, 'a', 10000);
    memcpy(subject + 10000, "!", 2);
    rul_expr *e = compile_ok("x =~ \"^(a|a)+$\"", NULL, RUL_T_BOOL);
    as_rec r = { 0 };
    tfield f[] = { { "x", { .type = AS_V_STR, .u.str = { subject, 10001 } } } };
    r.fmt = &k_fmt;
    r.state = f;
    r.n_lines = 1;
    rul_rt rt;
    rt_init(&rt);
    rt.rec = &r;
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_non_null(strstr(rt.why, "regex"));
    rul_expr_free(e);
    /* a subject that is not UTF-8 */
    e = compile_ok("x =~ \"a\"", NULL, RUL_T_BOOL);
    f[0].v.u.str = AS_SLICE_LIT("a\xff");
    assert_int_equal(rul_expr_test(e, &rt), -1);
    assert_string_equal(rt.why, "the matched text is not valid UTF-8");
    rul_expr_free(e);
    /* recursion that loops without consuming: the interpreter stops it */
    e = compile_ok("x =~ \"(?<i>|(?&i))x\"", NULL, RUL_T_BOOL);
    f[0].v.u.str = AS_SLICE_LIT("aaaaaaaaaaaaaaaaaaaaaa");
    assert_int_equal(rul_expr_test(e, &rt), -1);
    rul_expr_free(e);
}

/* ---- limits ---- */

static void test_rul_expr_limits(void **state)
{
    (void)state;
    char *buf = malloc(70000);
    assert_non_null(buf);
    as_err err;
    /* parentheses 101 deep */
    size_t n = 0;
    for (int i = 0; i < 101; i++)
        buf[n++] = '(';
    buf[n++] = 'x';
    for (int i = 0; i < 101; i++)
        buf[n++] = ')';
    assert_null(rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "expression nested too deeply (more than 100 levels)");
    assert_int_equal(err.loc.col, 101);
    /* 98 deep is fine */
    rul_expr *e = rul_expr_compile(as_slice_make(buf + 3, n - 6), NULL, RUL_T_ANY, &err);
    assert_non_null(e);
    rul_expr_free(e);
    /* a long left-deep chain: the tree height is limited too */
    n = 0;
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(buf + n, 16, i ? " + x" : "x");
    assert_null(rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "expression nested too deeply (more than 100 levels)");
    /* ... but long and/or chains are one node */
    n = 0;
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(buf + n, 32, i ? " or x == %d" : "x == %d", i);
    e = rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_BOOL, &err);
    assert_non_null(e);
    rul_rt rt;
    rt_init(&rt);
    assert_int_equal(rul_expr_test(e, &rt), -1); /* x is missing */
    rul_expr_free(e);
    /* not not not ... */
    n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(buf + n, 8, "not ");
    buf[n++] = 'x';
    assert_null(rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "expression nested too deeply (more than 100 levels)");
    /* text length */
    memset(buf, ' ', 65537);
    buf[0] = 'x';
    assert_null(rul_expr_compile(as_slice_make(buf, 65537), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "expression longer than 65536 bytes");
    e = rul_expr_compile(as_slice_make(buf, 65536), NULL, RUL_T_ANY, &err);
    assert_non_null(e);
    rul_expr_free(e);
    /* predicates nested 9 deep */
    n = 0;
    for (int i = 0; i < 9; i++)
        n += (size_t)snprintf(buf + n, 32, "any(%s, ", i ? "it" : "x");
    n += (size_t)snprintf(buf + n, 8, "true");
    for (int i = 0; i < 9; i++)
        buf[n++] = ')';
    assert_null(rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "predicates nested too deeply (at most 8)");
    /* 33 arguments */
    n = (size_t)snprintf(buf, 32, "coalesce(");
    for (int i = 0; i < 33; i++)
        n += (size_t)snprintf(buf + n, 8, i ? ", %d" : "%d", i);
    buf[n++] = ')';
    assert_null(rul_expr_compile(as_slice_make(buf, n), NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "too many arguments (at most 32)");
    free(buf);
    /* NULL text with length 0 */
    assert_null(rul_expr_compile((as_slice){ NULL, 0 }, NULL, RUL_T_ANY, &err));
    assert_string_equal(err.msg, "empty expression");
    /* errors without an as_err */
    assert_null(rul_expr_compile(as_slice_cstr("("), NULL, RUL_T_ANY, NULL));
    rul_expr_free(NULL);
    rul_scratch_free(NULL);
}

/* ---- values ---- */

static void test_rul_expr_val_text_and_equality(void **state)
{
    (void)state;
    static const struct {
        int64_t     ns;
        const char *text;
    } durs[] = {
        { 0, "0s" }, { 1, "1ns" }, { 999, "999ns" }, { 1500, "1.5\xc2\xb5s" }, { 1000000, "1ms" },
        { 1500000, "1.5ms" }, { 999999999, "999.999999ms" }, { 1000000000, "1s" }, { 1500000000, "1.5s" },
        { 60000000000, "1m0s" }, { 5400000000000, "1h30m0s" }, { -5400000000000, "-1h30m0s" },
        { 86400000000000, "24h0m0s" }, { INT64_MAX, "2562047h47m16.854775807s" },
        { INT64_MIN, "-2562047h47m16.854775808s" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(durs); i++) {
        rul_val v = { .type = RUL_T_DUR, .u.dur = durs[i].ns };
        as_buf b = AS_BUF_INIT;
        assert_int_equal(rul_val_to_text(&v, &b), 0);
        assert_string_equal(b.data, durs[i].text);
        as_buf_fini(&b);
    }
    /* from as_val, every type */
    for (size_t i = 0; i < AS_ARRAY_LEN(k_fields); i++) {
        rul_val v = rul_val_from_as(&k_fields[i].v);
        static const rul_type map[] = {
            [AS_V_MISSING] = RUL_T_MISSING, [AS_V_NULL] = RUL_T_NULL, [AS_V_STR] = RUL_T_STR, [AS_V_INT] = RUL_T_INT,
            [AS_V_NUM] = RUL_T_NUM,         [AS_V_BOOL] = RUL_T_BOOL, [AS_V_TIME] = RUL_T_TIME, [AS_V_JSON] = RUL_T_JSON,
        };
        assert_int_equal(v.type, map[k_fields[i].v.type]);
    }
    as_val missing = { .type = AS_V_MISSING };
    assert_int_equal(rul_val_from_as(&missing).type, RUL_T_MISSING);
    /* equality */
    rul_val i3 = { .type = RUL_T_INT, .u.i = 3 }, n3 = { .type = RUL_T_NUM, .u.num = 3.0 };
    rul_val s3 = { .type = RUL_T_STR, .u.str = AS_SLICE_LIT("3") }, m = { .type = RUL_T_MISSING };
    rul_val nl = { .type = RUL_T_NULL }, nan = { .type = RUL_T_NUM, .u.num = 0.0 / 0.0 };
    rul_val t1 = { .type = RUL_T_TIME, .u.t = { .sec = TS_SEC, .flags = AS_TIME_VALID } };
    rul_val t2 = { .type = RUL_T_TIME, .u.t = { .sec = TS_SEC, .offset_min = 120, .flags = AS_TIME_VALID } };
    rul_val ts = { .type = RUL_T_STR, .u.str = AS_SLICE_LIT("2025-10-01T14:30:00+02:00") };
    assert_true(rul_val_eq(&i3, &n3));
    assert_false(rul_val_eq(&i3, &s3));
    assert_false(rul_val_eq(&m, &m));
    assert_false(rul_val_eq(&i3, &m));
    assert_true(rul_val_eq(&nl, &nl));
    assert_false(rul_val_eq(&nl, &i3));
    assert_false(rul_val_eq(&nan, &nan));
    assert_true(rul_val_eq(&t1, &t2));
    assert_true(rul_val_eq(&t1, &ts));
    assert_true(rul_val_eq(&s3, &s3));
    /* text of the other types */
    static const struct {
        rul_val     v;
        const char *text;
    } txt[] = {
        { { .type = RUL_T_MISSING }, "" }, { { .type = RUL_T_NULL }, "" },
        { { .type = RUL_T_BOOL, .u.b = 1 }, "true" }, { { .type = RUL_T_INT, .u.i = -7 }, "-7" },
        { { .type = RUL_T_NUM, .u.num = 0.1 }, "0.1" }, { { .type = RUL_T_STR, .u.str = { "ab", 2 } }, "ab" },
        { { .type = RUL_T_JSON, .u.str = { "[1, 2]", 6 } }, "[1, 2]" },
        { { .type = RUL_T_TIME, .u.t = { .sec = TS_SEC, .nsec = 5000000, .flags = AS_TIME_VALID } },
          "2025-10-01T12:30:00.005Z" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(txt); i++) {
        as_buf b = AS_BUF_INIT;
        assert_int_equal(rul_val_to_text(&txt[i].v, &b), 0);
        assert_string_equal(b.data ? b.data : "", txt[i].text);
        as_buf_fini(&b);
    }
    static const char *const names[] = { "any", "missing", "null", "boolean", "integer", "number",
                                         "string", "time", "duration", "JSON" };
    for (int t = RUL_T_ANY; t <= RUL_T_JSON; t++)
        assert_string_equal(rul_type_name((rul_type)t), names[t]);
    assert_string_equal(rul_type_name((rul_type)99), "unknown");
}

/* ---- out of memory ---- */

static void test_rul_expr_oom_every_allocation(void **state)
{
    (void)state;
    static const char text[] = "lower(user) in $admins and path =~ \"^/api\" and any(target, it.type == \"User\") "
                               "and `user.name` + \"x\" != \"y\" and status in [500, 503]";
    int done = 0;
    for (uint64_t n = 1; n < 1000 && !done; n++) {
        as_err err;
        as_alloc_fail_after(n);
        rul_expr *e = rul_expr_compile(as_slice_make(text, sizeof text - 1), &k_sets, RUL_T_BOOL, &err);
        as_alloc_fail_after(0);
        if (e == NULL) {
            assert_int_equal(err.code, AS_ERR_NOMEM);
            continue;
        }
        done = 1;
        rul_rt rt;
        rt_init(&rt);
        assert_int_equal(rul_expr_test(e, &rt), 1);
        rul_expr_free(e);
    }
    assert_true(done);
    for (uint64_t n = 1; n < 100; n++) {
        as_alloc_fail_after(n);
        rul_scratch *s = rul_scratch_new();
        as_alloc_fail_after(0);
        rul_scratch_free(s);
        if (s != NULL)
            break;
    }
    /* evaluation: an arena that cannot grow */
    rul_expr *e = compile_ok("user + method == \"AlicePOST\"", NULL, RUL_T_BOOL);
    as_arena small;
    as_arena_init(&small, 0);
    rul_rt rt;
    rt_init(&rt);
    rt.ar = &small;
    as_alloc_fail_after(1);
    assert_int_equal(rul_expr_test(e, &rt), -2);
    as_alloc_fail_after(0);
    assert_int_equal(rul_expr_test(e, &rt), 1);
    rt.ar = NULL;
    assert_int_equal(rul_expr_test(e, &rt), -2);
    as_arena_fini(&small);
    rul_expr_free(e);
}

/* Evaluation allocates nothing on the heap: with every allocation failing,
 * a warm arena (its first chunk kept by reset) serves all temporaries. */
static void test_rul_expr_eval_allocates_nothing(void **state)
{
    (void)state;
    static const char *const k[] = {
        "lower(user) + upper(method) == \"alicePOST\" and path =~ \"^/api/v\\d+/\"",
        "any(target, it.type == \"AppInstance\") and first(target, it.id =~ \"^u\").name == \"Bob\"",
        "count(tags, contains(it, \"a\")) >= 1 and \"ops\" in tags and (actor).tags[0] == \"x\"",
        "date(ts, \"+02:00\") == \"2025-10-01\" and string(ts2 - ts) == \"1h30m0s\" and status in $codes",
        "number(\" 42 \") + len(uni) == 53 and split(path, \"/\", -1) != \"\" and lower(user) in $admins",
    };
    rul_expr *e[AS_ARRAY_LEN(k)];
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        e[i] = compile_ok(k[i], NULL, RUL_T_BOOL);
    rul_rt rt;
    rt_init(&rt);
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) /* warm: the arena's chunk, PCRE2's first use */
        assert_int_equal(rul_expr_test(e[i], &rt), 1);
    as_arena_reset(&g_ar);
    as_alloc_fail_after(1);
    for (int round = 0; round < 100; round++) {
        for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
            if (rul_expr_test(e[i], &rt) != 1)
                fail_msg("'%s' failed with allocation off (round %d): %s", k[i], round, rt.why ? rt.why : "");
        as_arena_reset(&g_ar);
    }
    as_alloc_fail_after(0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        rul_expr_free(e[i]);
}

/* ---- threads: one tree, many evaluators ---- */

#define N_THREADS 4
#define N_ROUNDS  2000

typedef struct thr {
    const rul_expr *e[3];
    int             bad;
} thr;

static void *thr_main(void *arg)
{
    thr *t = arg;
    as_arena ar;
    as_arena_init(&ar, 0);
    rul_scratch *s = rul_scratch_new();
    as_rec rec = g_rec;
    for (int i = 0; i < N_ROUNDS && s; i++) {
        rul_rt rt = { .rec = &rec, .ar = &ar, .scratch = s, .set_has = t_set_has };
        if (rul_expr_test(t->e[0], &rt) != 1 || rul_expr_test(t->e[1], &rt) != 0 || rul_expr_test(t->e[2], &rt) != -1)
            t->bad++;
        as_arena_reset(&ar);
    }
    if (s == NULL)
        t->bad++;
    rul_scratch_free(s);
    as_arena_fini(&ar);
    return NULL;
}

static void test_rul_expr_shared_by_threads(void **state)
{
    (void)state;
    rul_expr *e[3] = {
        compile_ok("path =~ \"^/api/v\\d\" and lower(user) in $admins and "
                   "first(target, it.type == \"AppInstance\").id == \"a1\" and ts + 1h > ts2 - 1h",
                   NULL, RUL_T_BOOL),
        compile_ok("any(target, it.id =~ \"^z\") or upper(method) + \"!\" == \"GET!\"", NULL, RUL_T_BOOL),
        compile_ok("lower(status) == \"x\"", NULL, RUL_T_BOOL),
    };
    pthread_t th[N_THREADS];
    thr t[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        t[i] = (thr){ .e = { e[0], e[1], e[2] } };
        assert_int_equal(pthread_create(&th[i], NULL, thr_main, &t[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(t[i].bad, 0);
    }
    for (int i = 0; i < 3; i++)
        rul_expr_free(e[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rul_expr_literals),
        cmocka_unit_test(test_rul_expr_arithmetic),
        cmocka_unit_test(test_rul_expr_comparisons),
        cmocka_unit_test(test_rul_expr_regex),
        cmocka_unit_test(test_rul_expr_three_valued_truth_tables),
        cmocka_unit_test(test_rul_expr_in_lists_and_sets),
        cmocka_unit_test(test_rul_expr_string_functions),
        cmocka_unit_test(test_rul_expr_time_functions),
        cmocka_unit_test(test_rul_expr_durations),
        cmocka_unit_test(test_rul_expr_json_access),
        cmocka_unit_test(test_rul_expr_lambdas),
        cmocka_unit_test(test_rul_expr_pseudo_fields),
        cmocka_unit_test(test_rul_expr_field_paths),
        cmocka_unit_test(test_rul_expr_fields_in_first_use_order),
        cmocka_unit_test(test_rul_expr_static_types_and_folding),
        cmocka_unit_test(test_rul_expr_syntax_errors),
        cmocka_unit_test(test_rul_expr_type_errors),
        cmocka_unit_test(test_rul_expr_regex_errors),
        cmocka_unit_test(test_rul_expr_scope_field_callback),
        cmocka_unit_test(test_rul_expr_runtime_type_errors),
        cmocka_unit_test(test_rul_expr_regex_limits),
        cmocka_unit_test(test_rul_expr_limits),
        cmocka_unit_test(test_rul_expr_val_text_and_equality),
        cmocka_unit_test(test_rul_expr_oom_every_allocation),
        cmocka_unit_test(test_rul_expr_eval_allocates_nothing),
        cmocka_unit_test(test_rul_expr_shared_by_threads),
    };
    return cmocka_run_group_tests_name("rul_expr (threaded)", tests, setup, teardown);
}
