/* test_psr_logfmt.c: unit tests for parsers/psr_logfmt: the lead token,
 * bare, quoted and escaped values, flags, CR, every malformed form with its
 * column, the pair limit, unquoting; inputs sit before a PROT_NONE page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/psr_logfmt.h"
#include "tests/unit/guard.h"

typedef struct ok_case {
    const char *line;
    const char *lead;     /* NULL = none */
    size_t      n;
    const char *k1, *v1;  /* the first pair */
    const char *kl, *vl;  /* the last pair */
} ok_case;

static const ok_case ok_cases[] = {
    { "2025-10-01T01:04:09Z host=db-01 job=nightly status=success", "2025-10-01T01:04:09Z", 3,
      "host", "db-01", "status", "success" },
    { "time=\"2025-10-01 01:04:09\" level=info msg=\"backup \\\"done\\\"\"", NULL, 3,
      "time", "2025-10-01 01:04:09", "msg", "backup \\\"done\\\"" },
    { "a=1", NULL, 1, "a", "1", "a", "1" },
    { "x a=", "x", 1, "a", "", "a", "" },
    { "a= b=2\r", NULL, 2, "a", "", "b", "2" },
    { "  lead dry_run x=\"\"", "lead", 2, "dry_run", "", "x", "" },
    { "k=\"a\\\\\" z=1", NULL, 2, "k", "a\\\\", "z", "1" },
    { "path=/var/lib/x.y@v2 user.name=a-b", NULL, 2, "path", "/var/lib/x.y@v2", "user.name", "a-b" },
};

static void eq(as_slice s, const char *want)
{
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
}

static void test_psr_logfmt_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
        const ok_case *c = &ok_cases[i];
        guard g;
        assert_int_equal(guard_init(&g, 256), 0);
        as_slice line = { guard_put(&g, c->line, strlen(c->line)), strlen(c->line) };
        psr_logfmt r;
        uint64_t col = 0;
        assert_int_equal(psr_logfmt_scan(line, &r, &col), AS_OK);
        if (c->lead)
            eq(r.lead, c->lead);
        else
            assert_int_equal(r.lead.len, 0);
        assert_int_equal(r.n, c->n);
        eq(r.pairs[0].key, c->k1);
        eq(r.pairs[0].value, c->v1);
        eq(r.pairs[r.n - 1].key, c->kl);
        eq(r.pairs[r.n - 1].value, c->vl);
        guard_fini(&g);
    }
}

typedef struct bad_case {
    const char *line;
    as_code     code;
    uint64_t    col;
} bad_case;

static const bad_case bad_cases[] = {
    { "", AS_ERR_SYNTAX, 1 },
    { "just a sentence here", AS_ERR_SYNTAX, 1 },   /* a lead and flags, no key=value */
    { "a=\"unterminated", AS_ERR_SYNTAX, 3 },
    { "a=\"x\"y b=1", AS_ERR_SYNTAX, 6 },
    { "a=1 [b]=2", AS_ERR_SYNTAX, 5 },
    { "Oct 11 22:14:15 host sshd[1]: x", AS_ERR_SYNTAX, 10 },
};

static void test_psr_logfmt_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        guard g;
        assert_int_equal(guard_init(&g, 256), 0);
        as_slice line = { guard_put(&g, c->line, strlen(c->line)), strlen(c->line) };
        psr_logfmt r;
        uint64_t col = 0;
        assert_int_equal(psr_logfmt_scan(line, &r, &col), c->code);
        assert_int_equal(col, c->col);
        guard_fini(&g);
    }
}

static void test_psr_logfmt_pair_limit(void **state)
{
    (void)state;
    char buf[PSR_LOGFMT_MAX_PAIRS * 4 + 8];
    size_t n = 0;
    for (int i = 0; i <= PSR_LOGFMT_MAX_PAIRS; i++) {
        buf[n++] = 'k';
        buf[n++] = '=';
        buf[n++] = '1';
        buf[n++] = ' ';
    }
    psr_logfmt r;
    uint64_t col = 0;
    assert_int_equal(psr_logfmt_scan((as_slice){ buf, n - 5 }, &r, &col), AS_OK);  /* exactly the limit */
    assert_int_equal(r.n, PSR_LOGFMT_MAX_PAIRS);
    assert_int_equal(psr_logfmt_scan((as_slice){ buf, n - 1 }, &r, &col), AS_ERR_BAD_VALUE);
    assert_int_equal(col, (uint64_t)PSR_LOGFMT_MAX_PAIRS * 4 + 1);
}

static void test_psr_logfmt_find_and_unquote(void **state)
{
    (void)state;
    const char *line = "ts=1 msg=\"a \\\"b\\\" \\\\ c\\n\" plain=x";
    psr_logfmt r;
    uint64_t col;
    assert_int_equal(psr_logfmt_scan(as_slice_cstr(line), &r, &col), AS_OK);
    const psr_logfmt_pair *p = psr_logfmt_find(&r, as_slice_cstr("msg"));
    assert_non_null(p);
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice v;
    assert_int_equal(psr_logfmt_unquote(p, &ar, &v), AS_OK);
    eq(v, "a \"b\" \\ c\n");
    p = psr_logfmt_find(&r, as_slice_cstr("plain"));
    assert_int_equal(psr_logfmt_unquote(p, &ar, &v), AS_OK);
    assert_ptr_equal(v.ptr, p->value.ptr);                 /* no copy */
    assert_null(psr_logfmt_find(&r, as_slice_cstr("nope")));
    as_alloc_fail_after(1);
    as_arena fresh;
    as_arena_init(&fresh, 0);
    p = psr_logfmt_find(&r, as_slice_cstr("msg"));
    assert_int_equal(psr_logfmt_unquote(p, &fresh, &v), AS_ERR_NOMEM);
    as_alloc_fail_after(0);
    as_arena_fini(&fresh);
    as_arena_fini(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_logfmt_valid),
        cmocka_unit_test(test_psr_logfmt_malformed),
        cmocka_unit_test(test_psr_logfmt_pair_limit),
        cmocka_unit_test(test_psr_logfmt_find_and_unquote),
    };
    return cmocka_run_group_tests_name("psr_logfmt", tests, NULL, NULL);
}
