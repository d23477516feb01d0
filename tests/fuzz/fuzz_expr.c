/* fuzz_expr.c: libFuzzer target for rules/rul_expr, the expression language.
 *
 * The whole input is the expression text. It is compiled against a scope
 * that knows a few typed fields, refuses names starting with 'z' and has two
 * sets; when it compiles it is evaluated against a fixed JSON record (plus a
 * time field), once more to check determinism, and once without a record.
 * These must hold, else abort() so libFuzzer (or the replay runner of
 * `make test`) reports it:
 *   - compiling gives an expression, or AS_ERR_SYNTAX with a message and a
 *     line/column that match its byte offset, inside the text;
 *   - an accepted text compiles again with want = BOOL or fails with a
 *     message (never another code), and rul_expr_text gives the text back;
 *   - every field path the expression reports is non-empty;
 *   - evaluation returns AS_OK or AS_ERR_BAD_VALUE (then with a reason),
 *     never another code with this arena, and a value of a known type whose
 *     type agrees with the static one when that is known (numbers: INT or
 *     NUM);
 *   - rul_expr_test agrees with rul_expr_eval; evaluating twice gives the
 *     same text.
 * Seeds: tests/fuzz/corpus/fuzz_expr/; kept crashers: tests/fuzz/regress/fuzz_expr/.
 */
#include <stdint.h>  /* uint8_t */
#include <string.h>  /* memcmp */

#include "core/as.h"
#include "parsers/psr.h"  /* psr_json_get: the record's fields */
#include "rules/rul_expr.h"
#include "tests/fuzz/fuzz_check.h"  /* FUZZ_CHECK */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char k_doc[] =
    "{\"status\":503,\"bytes\":1200,\"method\":\"POST\",\"user\":\"Alice\",\"ratio\":0.5,\"ok\":true,"
    "\"nul\":null,\"path\":\"/api/v1/users?id=7\",\"when\":\"2025-10-01T12:00:00Z\",\"esc\":\"a\\u00e9\\n\","
    "\"actor\":{\"id\":\"00u1\",\"alternateId\":\"alice@example.com\",\"tags\":[\"x\",\"y\"]},"
    "\"target\":[{\"type\":\"User\",\"id\":\"u1\"},{\"type\":\"AppInstance\",\"id\":\"a1\",\"n\":[1,2.5,null]}],"
    "\"nums\":[1,2,3,-4.5e3],\"matrix\":[[1,2],[3,4]],\"empty\":[],\"obj\":{}}";

static int rec_get(const as_rec *r, as_slice path, as_val *out, as_arena *ar)
{
    (void)r;
    if (as_slice_eq_cstr(path, "ts")) {
        out->type = AS_V_TIME;
        out->u.t = (as_time){ .sec = 1759321800, .flags = AS_TIME_VALID };
        return AS_OK;
    }
    psr_json_path jp;
    out->type = AS_V_MISSING;
    if (psr_json_path_compile(&jp, path, PSR_JSON_PATH_DEFAULT, NULL) != PSR_JSON_OK)
        return AS_OK; /* not a JSON path: simply absent */
    return psr_json_get(as_slice_make(k_doc, sizeof k_doc - 1), &jp, out, ar);
}

static const as_rec_fmt k_fmt = { "fuzz", rec_get, NULL };

static int scope_field(void *arg, as_slice path, rul_type *type, char *why, size_t why_cap)
{
    (void)arg;
    if (path.len && path.ptr[0] == 'z') {
        if (why_cap > 4)
            memcpy(why, "fuzz", 5);
        return 0;
    }
    *type = RUL_T_ANY;
    if (as_slice_eq_cstr(path, "status") || as_slice_eq_cstr(path, "bytes"))
        *type = RUL_T_INT;
    else if (as_slice_eq_cstr(path, "method") || as_slice_eq_cstr(path, "user"))
        *type = RUL_T_STR;
    else if (as_slice_eq_cstr(path, "ts"))
        *type = RUL_T_TIME;
    else if (as_slice_eq_cstr(path, "target") || as_slice_eq_cstr(path, "actor"))
        *type = RUL_T_JSON;
    return 1;
}

static int scope_set(void *arg, as_slice name)
{
    (void)arg;
    return as_slice_eq_cstr(name, "admins") ? 0 : as_slice_eq_cstr(name, "codes") ? 1 : -1;
}

static int set_has(void *arg, int id, as_slice v)
{
    (void)arg;
    return id == 0 ? as_slice_eq_cstr(v, "alice") : as_slice_eq_cstr(v, "503");
}

static const rul_scope k_scope = { .field = scope_field, .set = scope_set };

static void check_err(as_slice text, const as_err *err)
{
    FUZZ_CHECK(err->code == AS_ERR_SYNTAX);
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(err->loc.line >= 1 && err->loc.col >= 1);
    if (!err->loc.has_offset) /* only the length check has none */
        return;
    FUZZ_CHECK(err->loc.offset <= text.len);
    uint64_t line = 1, col = 1;
    for (size_t i = 0; i < err->loc.offset; i++) {
        if (text.ptr[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    FUZZ_CHECK(line == err->loc.line && col == err->loc.col);
}

static void on_field(void *arg, as_slice path)
{
    (void)arg;
    FUZZ_CHECK(path.len > 0 && path.ptr != NULL);
}

static int type_ok(rul_type t)
{
    return (unsigned)t <= RUL_T_JSON && t != RUL_T_ANY;
}

/* Evaluates e; returns the value's text in buf (type letter first). */
static size_t eval_once(const rul_expr *e, rul_rt *rt, char *buf, size_t cap)
{
    rul_val v;
    as_code rc = rul_expr_eval(e, rt, &v);
    FUZZ_CHECK(rc == AS_OK || rc == AS_ERR_BAD_VALUE);
    FUZZ_CHECK(type_ok(v.type));
    if (rc != AS_OK) {
        FUZZ_CHECK(rt->why != NULL && rt->why[0] != '\0');
        FUZZ_CHECK(v.type == RUL_T_MISSING);
    }
    rul_type st = rul_expr_type(e);
    if (rc == AS_OK && st != RUL_T_ANY && v.type != RUL_T_MISSING && v.type != RUL_T_NULL) {
        int num = (st == RUL_T_INT || st == RUL_T_NUM) && (v.type == RUL_T_INT || v.type == RUL_T_NUM);
        FUZZ_CHECK(num || st == v.type);
    }
    int t = rul_expr_test(e, rt);
    if (rc != AS_OK)
        FUZZ_CHECK(t == -1);
    else if (v.type == RUL_T_BOOL)
        FUZZ_CHECK(t == (v.u.b != 0));
    else
        FUZZ_CHECK(t == -1 && rt->why != NULL);
    as_buf b = AS_BUF_INIT;
    FUZZ_CHECK(rul_val_to_text(&v, &b) == 0);
    size_t n = 0;
    if (cap > 1) {
        buf[n++] = (char)('a' + (rc == AS_OK ? (int)v.type : 20));
        size_t k = b.len < cap - 1 ? b.len : cap - 1;
        if (k)
            memcpy(buf + n, b.data, k);
        n += k;
    }
    as_buf_fini(&b);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rul_scratch *scratch; /* one per process: libFuzzer runs inputs one at a time */
    if (scratch == NULL && (scratch = rul_scratch_new()) == NULL)
        return 0;
    as_slice text = as_slice_make((const char *)data, size);
    as_err err;
    rul_expr *e = rul_expr_compile(text, &k_scope, RUL_T_ANY, &err);
    if (e == NULL) {
        check_err(text, &err);
        return 0;
    }
    FUZZ_CHECK(as_slice_eq(rul_expr_text(e), text));
    rul_expr_fields(e, on_field, NULL);
    rul_expr *eb = rul_expr_compile(text, &k_scope, RUL_T_BOOL, &err);
    if (eb == NULL)
        check_err(text, &err);
    rul_expr_free(eb);

    as_arena ar;
    as_arena_init(&ar, 0);
    as_rec rec = { .fmt = &k_fmt, .line = 7, .n_lines = 1 };
    rul_rt rt = { .rec = &rec, .ar = &ar, .scratch = scratch, .set_has = set_has,
                  .file = AS_SLICE_LIT("logs/a.log"), .path = AS_SLICE_LIT("a.log"), .dir = AS_SLICE_LIT("logs"),
                  .source = AS_SLICE_LIT("web"), .format = AS_SLICE_LIT("jsonl"), .line = 7 };
    char a[256], b[256];
    size_t na = eval_once(e, &rt, a, sizeof a);
    size_t nb = eval_once(e, &rt, b, sizeof b);
    FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
    rt.rec = NULL; /* every field missing */
    rt.file = (as_slice){ NULL, 0 };
    (void)eval_once(e, &rt, a, sizeof a);
    as_arena_fini(&ar);
    rul_expr_free(e);
    return 0;
}
