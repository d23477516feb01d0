/* test_psr_input.c: unit tests for the format layer (parsers/psr.h,
 * psr_input.c, psr_fmt_*.c): sniffing picks each format (and "unknown" for
 * prose), psr_parse gives each format's event time and fields through
 * as_rec_get, a bad CSV header rejects every row, --time-field overrides,
 * a bad --pattern fails with its column, RFC 3164 years resolve in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/psr.h"

typedef struct sniff_case {
    const char *head;
    const char *format;   /* expected name */
    int         min_conf;
} sniff_case;

static const sniff_case sniffs[] = {
    { "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n"
      "10.0.0.2 - bob [10/Oct/2000:13:55:37 -0700] \"POST /x HTTP/1.1\" 404 12 \"-\" \"-\"\n", "combined", 90 },
    { "Oct 11 22:14:15 host sshd[12]: Accepted publickey for a from 1.2.3.4 port 22 ssh2\n"
      "Oct 11 22:14:16 host sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls\n", "syslog", 90 },
    { "{\"published\":\"2026-01-01T00:00:00Z\",\"eventType\":\"user.session.start\"}\n"
      "{\"published\":\"2026-01-01T00:00:01Z\",\"eventType\":\"user.session.end\"}\n", "jsonl", 90 },
    { "{\"Records\":[{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventName\":\"ConsoleLogin\"}]}", "cloudtrail", 90 },
    { "[{\"a\":1},{\"a\":2}]", "json", 80 },
    { "id,name,created_at\n1,Ann,2026-01-01\n2,Bob,2026-01-02\n3,\"C, D\",2026-01-03\n", "csv", 75 },
    { "2026-01-01T00:00:00Z host=db1 job=nightly status=ok\n2026-01-02T00:00:00Z host=db1 job=nightly status=ok\n",
      "logfmt", 90 },
    { "This is a plain sentence.\nAnd another one, with words.\n", "unknown", 0 },
    { "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n[Sun Dec 04 04:47:45 2005] [error] x\n", "unknown", 0 },
};

static psr_ctx *ctx_new(const psr_opts *o, const char *forced)
{
    as_err err;
    as_err_clear(&err);
    psr_ctx *c = psr_ctx_new(o, forced, &err);
    assert_non_null(c);
    return c;
}

static void test_psr_input_sniffs_each_format(void **state)
{
    (void)state;
    psr_opts o = { 0 };
    psr_ctx *c = ctx_new(&o, NULL);
    for (size_t i = 0; i < sizeof sniffs / sizeof sniffs[0]; i++) {
        psr_input *in = psr_input_new(c, as_slice_cstr(sniffs[i].head), 2026);
        assert_non_null(in);
        if (strcmp(psr_input_format_name(in), sniffs[i].format) != 0)
            fail_msg("case %zu: sniffed %s, want %s", i, psr_input_format_name(in), sniffs[i].format);
        assert_true(psr_input_confidence(in) >= sniffs[i].min_conf);
        psr_input_free(in);
    }
    psr_ctx_free(c);
}

/* Parses one record of a given head; returns the code and fills *t. */
static as_code parse_one(psr_ctx *c, const char *head, const char *record, as_arena *ar, psr_worker **w,
                         psr_input **in, as_rec *rec, psr_res *res)
{
    *in = psr_input_new(c, as_slice_cstr(head), 2026);
    *w = psr_worker_new(c);
    assert_non_null(*in);
    assert_non_null(*w);
    *rec = (as_rec){ .raw = as_slice_cstr(record), .offset = 100, .line = 2, .n_lines = 1 };
    return psr_parse(*in, *w, rec, ar, res);
}

static void expect_str(const as_rec *rec, const char *name, const char *want, as_arena *ar)
{
    as_val v;
    assert_int_equal(as_rec_get(rec, as_slice_cstr(name), &v, ar), AS_OK);
    if (want == NULL) {
        assert_true(v.type == AS_V_MISSING || v.type == AS_V_NULL);
        return;
    }
    assert_int_equal(v.type, AS_V_STR);
    assert_int_equal(v.u.str.len, strlen(want));
    assert_memory_equal(v.u.str.ptr, want, v.u.str.len);
}

static void expect_time(const psr_res *res, const char *want)
{
    char buf[AS_TIME_RFC3339_MAX];
    assert_true(as_time_is_valid(res->time));
    as_time_format_utc(res->time, buf);
    assert_string_equal(buf, want);
}

static void test_psr_input_parses_times_and_fields(void **state)
{
    (void)state;
    psr_opts o = { 0 };
    psr_ctx *c = ctx_new(&o, NULL);
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_worker *w;
    psr_input *in;
    as_rec rec;
    psr_res res;

    assert_int_equal(parse_one(c, sniffs[0].head, "10.0.0.2 - bob [10/Oct/2000:13:55:37 -0700] \"POST /x HTTP/1.1\" 404 12 \"-\" \"-\"",
                               &ar, &w, &in, &rec, &res), AS_OK);
    expect_time(&res, "2000-10-10T20:55:37Z");
    expect_str(&rec, "user", "bob", &ar);
    expect_str(&rec, "path", "/x", &ar);
    assert_int_equal(psr_input_column(in, as_slice_cstr("user")), -1);  /* not CSV: by name only */
    assert_int_equal(psr_rec_cell(&rec, 0).len, 0);
    expect_str(&rec, "referer", NULL, &ar);
    as_val v;
    assert_int_equal(as_rec_get(&rec, as_slice_cstr("status"), &v, &ar), AS_OK);
    assert_int_equal(v.type, AS_V_INT);
    assert_int_equal(v.u.i, 404);
    psr_worker_free(w);
    psr_input_free(in);

    assert_int_equal(parse_one(c, sniffs[2].head, "{\"published\":\"2026-01-01T00:00:01.5Z\",\"actor\":{\"alternateId\":\"a@b\"}}",
                               &ar, &w, &in, &rec, &res), AS_OK);
    expect_time(&res, "2026-01-01T00:00:01.500Z");
    expect_str(&rec, "actor.alternateId", "a@b", &ar);
    assert_string_equal(psr_input_time_field(in), "published");
    psr_worker_free(w);
    psr_input_free(in);

    /* a jsonl record that is not JSON: rejected with a column */
    assert_int_equal(parse_one(c, sniffs[2].head, "{\"published\":", &ar, &w, &in, &rec, &res), AS_ERR_SYNTAX);
    assert_true(res.err_col > 0);
    psr_worker_free(w);
    psr_input_free(in);

    assert_int_equal(parse_one(c, sniffs[5].head, "3,\"C, D\",2026-01-03", &ar, &w, &in, &rec, &res), AS_OK);
    expect_time(&res, "2026-01-03T00:00:00Z");
    expect_str(&rec, "name", "C, D", &ar);
    expect_str(&rec, "nope", NULL, &ar);
    psr_worker_free(w);
    psr_input_free(in);
    assert_int_equal(parse_one(c, sniffs[5].head, "4,short", &ar, &w, &in, &rec, &res), AS_ERR_SYNTAX);
    psr_worker_free(w);
    psr_input_free(in);

    assert_int_equal(parse_one(c, sniffs[6].head, "2026-01-02T03:04:05Z host=db1 msg=\"a b\"", &ar, &w, &in, &rec, &res),
                     AS_OK);
    expect_time(&res, "2026-01-02T03:04:05Z");
    expect_str(&rec, "msg", "a b", &ar);
    psr_worker_free(w);
    psr_input_free(in);

    as_arena_fini(&ar);
    psr_ctx_free(c);
}

static void test_psr_input_csv_header_errors_reject_rows(void **state)
{
    (void)state;
    psr_opts o = { 0 };
    psr_ctx *c = ctx_new(&o, "csv");
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_worker *w;
    psr_input *in;
    as_rec rec;
    psr_res res;
    as_code rc = parse_one(c, "a,b,a\n1,2,3\n", "1,2,3", &ar, &w, &in, &rec, &res);
    assert_int_not_equal(rc, AS_OK);
    assert_non_null(psr_input_error(in));
    psr_worker_free(w);
    psr_input_free(in);
    as_arena_fini(&ar);
    psr_ctx_free(c);
}

static void test_psr_input_time_field_override(void **state)
{
    (void)state;
    psr_opts o = { .time_field = "when" };
    psr_ctx *c = ctx_new(&o, NULL);
    as_arena ar;
    as_arena_init(&ar, 0);
    psr_worker *w;
    psr_input *in;
    as_rec rec;
    psr_res res;
    const char *head = "{\"published\":\"2026-01-01T00:00:00Z\",\"when\":1767225600}\n{\"when\":1}\n";
    assert_int_equal(parse_one(c, head, "{\"published\":\"2026-01-01T00:00:00Z\",\"when\":1767225600123}", &ar, &w,
                               &in, &rec, &res), AS_OK);
    expect_time(&res, "2026-01-01T00:00:00.123Z");                 /* epoch ms, not published */
    psr_worker_free(w);
    psr_input_free(in);
    /* csv: the named column even though created_at exists */
    o.time_field = "seen";
    psr_ctx *c2 = ctx_new(&o, NULL);
    assert_int_equal(parse_one(c2, "id,created_at,seen\n1,2020-01-01,2026-02-03\n2,2020-01-01,2026-02-04\n",
                               "1,2020-01-01,2026-02-03", &ar, &w, &in, &rec, &res), AS_OK);
    expect_time(&res, "2026-02-03T00:00:00Z");
    /* columns by position: psr_input_column and psr_rec_cell agree with the names */
    assert_int_equal(psr_input_column(in, as_slice_cstr("seen")), 2);
    assert_int_equal(psr_input_column(in, as_slice_cstr("id")), 0);
    assert_int_equal(psr_input_column(in, as_slice_cstr("nope")), -1);
    as_slice cell = psr_rec_cell(&rec, 1);
    assert_int_equal(cell.len, 10);
    assert_memory_equal(cell.ptr, "2020-01-01", 10);
    assert_int_equal(psr_rec_cell(&rec, 3).len, 0);                 /* out of range: empty */
    assert_int_equal(psr_rec_cell(&rec, -1).len, 0);
    psr_worker_free(w);
    psr_input_free(in);
    psr_ctx_free(c2);
    as_arena_fini(&ar);
    psr_ctx_free(c);
}

static void test_psr_input_bad_pattern_and_format(void **state)
{
    (void)state;
    psr_opts o = { .pattern = "(?<a>x" };
    as_err err;
    as_err_clear(&err);
    assert_null(psr_ctx_new(&o, NULL, &err));
    assert_int_equal(err.code, AS_ERR_SYNTAX);
    assert_int_equal(err.loc.col, 7);
    psr_opts o2 = { 0 };
    as_err_clear(&err);
    assert_null(psr_ctx_new(&o2, "nope", &err));
    assert_int_equal(err.code, AS_ERR_USAGE);
    as_err_clear(&err);
    assert_null(psr_ctx_new(&o2, "regex", &err));                  /* regex needs --pattern */
    assert_int_equal(err.code, AS_ERR_USAGE);
}

static void test_psr_input_years_roll_over_in_order(void **state)
{
    (void)state;
    psr_opts o = { .year = 2025 };
    psr_ctx *c = ctx_new(&o, "syslog");
    psr_input *in = psr_input_new(c, as_slice_cstr("Dec 31 23:59:59 h a: x\n"), 0);
    psr_worker *w = psr_worker_new(c);
    psr_syslog_year ys;
    psr_input_year_init(in, &ys);
    assert_string_equal(psr_input_year_source(in), "year");
    as_arena ar;
    as_arena_init(&ar, 0);
    const char *lines[] = { "Dec 31 23:59:59 h a: x", "Jan  1 00:00:01 h a: y" };
    const char *want[] = { "2025-12-31T23:59:59Z", "2026-01-01T00:00:01Z" };
    for (int i = 0; i < 2; i++) {
        as_rec rec = { .raw = as_slice_cstr(lines[i]), .line = (uint64_t)i + 1, .n_lines = 1 };
        psr_res res;
        assert_int_equal(psr_parse(in, w, &rec, &ar, &res), AS_OK);
        assert_true(res.needs_year);
        assert_int_equal(psr_res_resolve_year(&ys, &res), AS_OK);
        expect_time(&res, want[i]);
    }
    as_arena_fini(&ar);
    psr_worker_free(w);
    psr_input_free(in);
    psr_ctx_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_input_sniffs_each_format),
        cmocka_unit_test(test_psr_input_parses_times_and_fields),
        cmocka_unit_test(test_psr_input_csv_header_errors_reject_rows),
        cmocka_unit_test(test_psr_input_time_field_override),
        cmocka_unit_test(test_psr_input_bad_pattern_and_format),
        cmocka_unit_test(test_psr_input_years_roll_over_in_order),
    };
    return cmocka_run_group_tests_name("psr_input", tests, NULL, NULL);
}
