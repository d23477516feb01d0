/* test_rul_run.c: unit tests for the test types of rules/ (rul_run.c,
 * rul_test.c) through the public API, on small files written to a
 * temporary folder: followed_by window edges (exactly 24h, one second
 * late, early matches, no match, a FAILURE that does not count, events out
 * of order across files), records before the period, duplicate events,
 * preceded_by with expect none and strict, cadence (a failed-only day, a
 * missing day located at the nearest input, max_gap), reconcile on both
 * sides, aggregate with and without a reset, untestable instances, and
 * identical results at -j1 and -j3 (threaded: also run under ThreadSanitizer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rules/rul.h"

static char g_dir[64];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", g_dir, rel);
    for (char *s = p + strlen(g_dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    strcpy(g_dir, "/tmp/test_rul_run.XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct run_t {
    rul_set    *s;
    rul_binding b;
    rul_run    *r;
} run_t;

static const char k_sources[] =
    "sources:\n"
    "  ev: {paths: [\"ev/*.jsonl\"], format: jsonl, time_field: t}\n"
    "  hr: {paths: [\"hr.csv\"], format: csv}\n";

static void run(run_t *x, const char *rules, const char *period, unsigned workers)
{
    memset(x, 0, sizeof *x);
    x->s = rul_set_new();
    assert_non_null(x->s);
    assert_int_equal(rul_set_load_text(x->s, "sources.yaml", k_sources, strlen(k_sources)), AS_OK);
    assert_int_equal(rul_set_load_text(x->s, "t.yaml", rules, strlen(rules)), AS_OK);
    assert_int_equal(rul_set_compile(x->s), AS_OK);
    if (x->s->n_errors)
        rul_diag_print(stderr, x->s);
    assert_int_equal(x->s->n_errors, 0);
    const char *args[1] = { g_dir };
    as_err e;
    as_err_clear(&e);
    assert_int_equal(rul_bind(x->s, args, 1, NULL, 0, &x->b, &e), AS_OK);
    rul_run_opts o = { .workers = workers };
    if (period) {
        char a[32], z[32];
        assert_int_equal(sscanf(period, "%31[^.]..%31s", a, z), 2);
        assert_int_equal(as_time_parse_any(as_slice_cstr(a), 0, &o.period_start, NULL), strlen(a));
        assert_int_equal(as_time_parse_any(as_slice_cstr(z), 0, &o.period_end, NULL), strlen(z));
    }
    x->r = rul_run_new(x->s, &x->b, &o);
    assert_non_null(x->r);
    assert_int_equal(rul_run_exec(x->r, &e), AS_OK);
}

static void done(run_t *x)
{
    rul_run_free(x->r);
    rul_binding_fini(&x->b);
    rul_set_free(x->s);
}

static const rul_inst *find(const rul_cresult *cr, const char *key, size_t nth)
{
    for (size_t i = 0; i < cr->n_inst; i++)
        if (as_slice_eq_cstr(cr->inst[i].key, key) && nth-- == 0)
            return &cr->inst[i];
    fail_msg("no instance '%s'", key);
    return NULL;
}

static void expect(const rul_cresult *cr, const char *key, rul_result_kind res, const char *reason, const char *measured)
{
    const rul_inst *in = find(cr, key, 0);
    if (in->result != res || strcmp(in->reason, reason) != 0 ||
        (measured && !as_slice_eq_cstr(in->measured, measured)))
        fail_msg("%s: got %s %s '%.*s' (%.*s), want %s %s '%s'", key, rul_result_name(in->result), in->reason,
                 AS_SLICE_ARG(in->measured), AS_SLICE_ARG(in->detail), rul_result_name(res), reason,
                 measured ? measured : "");
}

/* Terminations (hr.csv) and deactivations (two event files, the later events in the file that sorts first). */
static void leaver_data(void)
{
    put("hr.csv", "email,term,id\n"
                  "a@x,2025-01-10T12:00:00Z,1\n"    /* deactivated exactly 24h after */
                  "b@x,2025-01-10T12:00:00Z,2\n"    /* 24h + 1s */
                  "c@x,2025-01-10T12:00:00Z,3\n"    /* 2h before */
                  "d@x,2025-01-10T12:00:00Z,4\n"    /* nothing */
                  "e@x,2025-01-10T12:00:00Z,5\n"    /* 1h after, in the other file */
                  "f@x,2025-01-10T12:00:00Z,6\n"    /* only a FAILURE */
                  "g@x,2024-12-01T12:00:00Z,7\n"    /* before the period */
                  "h@x,2025-01-11T00:00:00Z,8\n"    /* delivered twice */
                  "h@x,2025-01-11T00:00:00Z,8\n"
                  "i@x,,9\n");                      /* no time: untestable */
    put("ev/a.jsonl", "{\"t\":\"2025-01-10T13:00:00Z\",\"ty\":\"deact\",\"who\":\"E@x\",\"ok\":true}\n");
    put("ev/b.jsonl", "{\"t\":\"2025-01-10T10:00:00Z\",\"ty\":\"deact\",\"who\":\"c@x\",\"ok\":true}\n"
                      "{\"t\":\"2025-01-11T12:00:00Z\",\"ty\":\"deact\",\"who\":\"a@x\",\"ok\":true}\n"
                      "{\"t\":\"2025-01-11T12:00:01Z\",\"ty\":\"deact\",\"who\":\"b@x\",\"ok\":true}\n"
                      "{\"t\":\"2025-01-11T12:00:00Z\",\"ty\":\"deact\",\"who\":\"f@x\",\"ok\":false}\n"
                      "{\"t\":\"2025-01-11T13:00:00Z\",\"ty\":\"deact\",\"who\":\"h@x\",\"ok\":true}\n");
}

static const char k_leaver[] =
    "id: leaver\ntitle: t\n"
    "population: {source: hr, key: email, time: term, unique: id}\n"
    "test:\n  followed_by:\n    source: ev\n    where: ty == \"deact\" and ok\n    key: lower(who)\n"
    "    within: 24h\n    early: any\n";

static void test_followed_by_edges(void **state)
{
    (void)state;
    leaver_data();
    run_t x;
    run(&x, k_leaver, "2025-01-01..2025-02-01", 2);
    const rul_cresult *cr = rul_run_result(x.r, 0);
    expect(cr, "a@x", RUL_PASS, "", "24h0m0s");
    expect(cr, "b@x", RUL_EXCEPTION, "late", "1s");
    expect(cr, "c@x", RUL_PASS, "", "-2h0m0s");
    expect(cr, "d@x", RUL_EXCEPTION, "no_match", NULL);
    expect(cr, "e@x", RUL_PASS, "", "1h0m0s");
    expect(cr, "f@x", RUL_EXCEPTION, "no_match", NULL);
    expect(cr, "h@x", RUL_PASS, "", "13h0m0s");
    expect(cr, "i@x", RUL_UNTESTABLE, "untestable_time", NULL);
    assert_int_equal(cr->n_outside, 1);  /* g: before the period */
    assert_int_equal(cr->n_dup, 1);      /* h: twice */
    assert_int_equal(cr->dup[0].at.line, 10);
    assert_int_equal(cr->dup[0].first.line, 9);
    assert_int_equal(cr->n_inst, 8);
    assert_int_equal(cr->n_exception, 3);
    assert_int_equal(cr->n_untestable, 1);
    /* the late match is the related record */
    const rul_inst *b = find(cr, "b@x", 0);
    assert_int_equal(b->rel.line, 3);
    assert_string_equal(rul_run_input_display(x.r, b->rel.input) + strlen(g_dir), "/ev/b.jsonl");
    done(&x);
}

static void test_preceded_by_none_strict(void **state)
{
    (void)state;
    put("hr.csv", "email,term,id\nu@x,2025-01-10T12:00:00Z,1\n");
    put("ev/a.jsonl", "{\"t\":\"2025-01-10T11:59:59Z\",\"ty\":\"login\",\"who\":\"u@x\",\"n\":1}\n"
                      "{\"t\":\"2025-01-10T12:00:00Z\",\"ty\":\"login\",\"who\":\"u@x\",\"n\":2}\n"
                      "{\"t\":\"2025-01-10T12:00:01Z\",\"ty\":\"login\",\"who\":\"u@x\",\"n\":3}\n");
    put("ev/b.jsonl", "");
    run_t x;
    run(&x,
        "id: nologin\ntitle: t\npopulation: {source: ev, where: ty == \"login\", key: string(n)}\n"
        "test:\n  preceded_by: {source: hr, key: email, time: term, on: who, expect: none, strict: true}\n",
        "2025-01-01..2025-02-01", 1);
    const rul_cresult *cr = rul_run_result(x.r, 0);
    expect(cr, "1", RUL_PASS, "", NULL);
    expect(cr, "2", RUL_PASS, "", NULL);                 /* at the termination: not after it */
    expect(cr, "3", RUL_EXCEPTION, "matched", "1s");
    done(&x);
    /* preceded_by a window: late and stale */
    put("hr.csv", "email,term,id\n");
    put("ev/a.jsonl", "{\"t\":\"2025-01-10T12:00:00Z\",\"ty\":\"deploy\",\"sha\":\"s1\"}\n"
                      "{\"t\":\"2025-01-10T12:00:00Z\",\"ty\":\"deploy\",\"sha\":\"s2\"}\n"
                      "{\"t\":\"2025-01-10T12:00:00Z\",\"ty\":\"deploy\",\"sha\":\"s3\"}\n"
                      "{\"t\":\"2025-01-10T11:00:00Z\",\"ty\":\"merge\",\"sha\":\"s1\"}\n"
                      "{\"t\":\"2025-01-10T12:30:00Z\",\"ty\":\"merge\",\"sha\":\"s2\"}\n"
                      "{\"t\":\"2025-01-01T12:00:00Z\",\"ty\":\"merge\",\"sha\":\"s3\"}\n");
    run(&x,
        "id: dep\ntitle: t\npopulation: {source: ev, where: ty == \"deploy\", key: sha}\n"
        "test:\n  preceded_by: {source: ev, where: ty == \"merge\", key: sha, within: 2d}\n",
        "2025-01-01..2025-02-01", 3);
    cr = rul_run_result(x.r, 0);
    expect(cr, "s1", RUL_PASS, "", "1h0m0s");
    expect(cr, "s2", RUL_EXCEPTION, "late", "30m0s");
    expect(cr, "s3", RUL_EXCEPTION, "no_match", NULL);
    done(&x);
}

static void test_cadence(void **state)
{
    (void)state;
    put("hr.csv", "email,term,id\n");
    put("ev/a.jsonl", "{\"t\":\"2025-01-01T01:00:00Z\",\"h\":\"h1\",\"ok\":\"yes\"}\n"
                      "{\"t\":\"2025-01-02T01:00:00Z\",\"h\":\"h1\",\"ok\":\"no\"}\n"
                      "{\"t\":\"2025-01-01T23:58:10Z\",\"h\":\"h2\",\"ok\":\"yes\"}\n"
                      "{\"t\":\"2025-01-03T01:00:00Z\",\"h\":\"h2\",\"ok\":\"yes\"}\n");
    put("ev/b.jsonl", "{\"t\":\"2025-01-04T02:00:00Z\",\"h\":\"h1\",\"ok\":\"yes\"}\n"
                      "{\"t\":\"2024-12-31T02:00:00Z\",\"h\":\"h2\",\"ok\":\"yes\"}\n");
    run_t x;
    run(&x,
        "id: bk\ntitle: t\npopulation: {source: ev, key: h}\n"
        "test:\n  cadence: {every: day, min: 1, ok: ok == \"yes\", max_gap: 25h}\n",
        "2025-01-01..2025-01-05", 2);
    const rul_cresult *cr = rul_run_result(x.r, 0);
    assert_int_equal(cr->n_inst, 8);     /* 2 groups x 4 days */
    expect(cr, "h1/2025-01-01", RUL_PASS, "", "1");
    expect(cr, "h1/2025-01-02", RUL_EXCEPTION, "too_few", "0");
    assert_int_equal(find(cr, "h1/2025-01-02", 0)->at.line, 2);          /* the failed run */
    expect(cr, "h1/2025-01-03", RUL_EXCEPTION, "too_few", "0");
    const rul_inst *miss = find(cr, "h1/2025-01-03", 0);
    assert_int_equal(miss->at.line, 0);                                  /* an absence: no line */
    expect(cr, "h1/2025-01-04", RUL_EXCEPTION, "gap_exceeded", "73h0m0s");  /* counted, but after a gap */
    expect(cr, "h2/2025-01-01", RUL_PASS, "", "1");  /* 23:58 counts on its start day; 2024-12-31 is outside */
    expect(cr, "h2/2025-01-02", RUL_EXCEPTION, "too_few", "0");
    expect(cr, "h2/2025-01-03", RUL_EXCEPTION, "gap_exceeded", "25h1m50s");
    expect(cr, "h2/2025-01-04", RUL_EXCEPTION, "too_few", NULL);
    assert_int_equal(cr->n_exception, 6);
    done(&x);
}

static void test_reconcile_and_aggregate(void **state)
{
    (void)state;
    put("hr.csv", "email,term,id\nx@x,,1\nz@x,,2\n");
    put("ev/a.jsonl", "{\"t\":\"2025-01-01T01:00:00Z\",\"who\":\"X@x\"}\n"
                      "{\"t\":\"2025-01-01T02:00:00Z\",\"who\":\"y@x\"}\n"
                      "{\"t\":\"2025-01-01T03:00:00Z\"}\n");
    put("ev/b.jsonl", "");
    run_t x;
    run(&x,
        "id: rec\ntitle: t\npopulation: {source: ev, key: lower(who)}\n"
        "test:\n  reconcile: {source: hr, key: email, report: both}\n",
        "2025-01-01..2025-01-02", 1);
    const rul_cresult *cr = rul_run_result(x.r, 0);
    expect(cr, "x@x", RUL_PASS, "", NULL);
    expect(cr, "y@x", RUL_EXCEPTION, "unmatched", NULL);
    expect(cr, "z@x", RUL_EXCEPTION, "unmatched", NULL);   /* the right side, reported too */
    assert_string_equal(find(cr, "z@x", 0)->side, "right");
    assert_int_equal(cr->n_untestable, 1);                  /* the event without `who` */
    done(&x);
    /* 11 failures within an hour: the 11th crosses max 10; a reset after the 5th prevents it */
    char buf[4096];
    size_t n = 0;
    for (int i = 0; i < 11; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"t\":\"2025-01-01T01:%02d:00Z\",\"ty\":\"fail\",\"who\":\"u\"}\n", i * 5);
    for (int i = 0; i < 11; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"t\":\"2025-01-01T03:%02d:00Z\",\"ty\":\"fail\",\"who\":\"v\"}\n", i * 5);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"t\":\"2025-01-01T03:22:00Z\",\"ty\":\"lock\",\"who\":\"v\"}\n");
    put("ev/a.jsonl", buf);
    run(&x,
        "id: agg\ntitle: t\npopulation: {source: ev, where: ty == \"fail\", key: who}\n"
        "test:\n  aggregate:\n    window: 1h\n    max: 10\n    reset: {source: ev, where: ty == \"lock\", key: who}\n",
        "2025-01-01..2025-01-02", 2);
    cr = rul_run_result(x.r, 0);
    assert_int_equal(cr->n_inst, 22);
    assert_int_equal(cr->n_exception, 1);
    const rul_inst *hit = find(cr, "u", 10);
    assert_int_equal(hit->result, RUL_EXCEPTION);
    assert_string_equal(hit->reason, "over_limit");
    assert_true(as_slice_eq_cstr(hit->measured, "11"));
    done(&x);
}

static void test_each_untestable_and_threads(void **state)
{
    (void)state;
    put("hr.csv", "email,term,id\n");
    char buf[1 << 16];
    size_t n = 0;
    for (int i = 0; i < 500; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"t\":\"2025-01-01T01:00:%02dZ\",\"u\":\"u%d\"%s}\n", i % 60, i,
                              i % 7 == 0 ? "" : i % 5 == 0 ? ",\"mfa\":\"No\"" : ",\"mfa\":\"YES\"");
    put("ev/a.jsonl", buf);
    put("ev/b.jsonl", buf);
    static const char rules[] = "id: mfa\ntitle: t\npopulation: {source: ev, key: u}\ntest: {each: lower(mfa) == \"yes\"}\n";
    run_t x, y;
    run(&x, rules, "2025-01-01..2025-01-02", 1);
    run(&y, rules, "2025-01-01..2025-01-02", 3);
    const rul_cresult *a = rul_run_result(x.r, 0), *b = rul_run_result(y.r, 0);
    assert_int_equal(a->n_inst, 1000);
    assert_int_equal(a->n_untestable, 2 * 72);   /* i % 7 == 0: no mfa field */
    assert_int_equal(a->n_exception, 2 * 85);    /* i % 5 == 0 and not i % 7 == 0 */
    expect(a, "u0", RUL_UNTESTABLE, "untestable_missing", NULL);
    expect(a, "u5", RUL_EXCEPTION, "assert_failed", NULL);
    assert_int_equal(a->n_inst, b->n_inst);
    for (size_t i = 0; i < a->n_inst; i++) {
        assert_true(as_slice_eq(a->inst[i].id, b->inst[i].id));
        assert_int_equal(a->inst[i].result, b->inst[i].result);
    }
    done(&x);
    done(&y);
}

/* A CSV larger than one engine block (4 MiB): field lookups by header name
 * keep working in every block (the samplers saw them fail past the first
 * block; psr_csv_bind now copies the names out of the head buffer). */
static void test_big_csv(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/hr.csv", g_dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("email,term,id\n", f);
    for (int i = 0; i < 300000; i++)
        fprintf(f, "user%d@example.org,2025-01-%02dT12:00:00Z,%d\n", i, 1 + i % 28, i);
    fclose(f);
    put("ev/a.jsonl", "");
    put("ev/b.jsonl", "");
    run_t x;
    run(&x, "id: big\ntitle: t\npopulation: {source: hr, key: email, time: term}\ntest:\n  each: id != \"7\" and not endswith(id, \"007\")\n",
        "2025-01-01..2025-02-01", 2);
    const rul_cresult *cr = rul_run_result(x.r, 0);
    assert_int_equal(cr->n_inst, 300000);
    assert_int_equal(cr->n_untestable, 0);
    assert_int_equal(cr->n_exception, 300);
    done(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_followed_by_edges),
        cmocka_unit_test(test_preceded_by_none_strict),
        cmocka_unit_test(test_cadence),
        cmocka_unit_test(test_reconcile_and_aggregate),
        cmocka_unit_test(test_each_untestable_and_threads),
        cmocka_unit_test(test_big_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
