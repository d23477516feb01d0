/* test_rul_bind.c: unit tests for rules/rul_bind: rule globs (*, ?, [..],
 * ** across folders, bare names at any depth), binding a folder tree's
 * files to sources by their path below the folder, file arguments,
 * --source overrides, detection candidates and unbound inputs. */
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

static void test_rul_glob(void **state)
{
    (void)state;
    assert_true(rul_glob_match("okta/**", "okta/okta-2025-10.jsonl"));
    assert_true(rul_glob_match("okta/**", "okta/2025/x.jsonl.zst"));
    assert_false(rul_glob_match("okta/**", "web/okta/x"));
    assert_true(rul_glob_match("**/CloudTrail/**", "cloudtrail/AWSLogs/1/CloudTrail/us-east-1/2025/x.json.gz"));
    assert_true(rul_glob_match("**/okta*.json*", "okta-2025.jsonl"));        /* ** matches no folder */
    assert_true(rul_glob_match("**/okta*.json*", "exports/okta-2025.json"));
    assert_true(rul_glob_match("hr/*.csv", "hr/hr_export.csv"));
    assert_false(rul_glob_match("hr/*.csv", "hr/old/hr_export.csv"));         /* * stays in one folder */
    assert_false(rul_glob_match("hr/*.csv", "hr"));
    assert_true(rul_glob_match("*.csv", "deep/er/x.csv"));                    /* a bare name: any depth */
    assert_true(rul_glob_match("changes/deploys*.log*", "changes/deploys.log"));
    assert_true(rul_glob_match("auth/web-0?/auth.log", "auth/web-02/auth.log"));
    assert_true(rul_glob_match("auth/[bd]*/auth.log", "auth/db-01/auth.log"));
    assert_false(rul_glob_match("auth/[bd]*/auth.log", "auth/web-01/auth.log"));
    assert_true(rul_glob_match("a/**/b", "a/b"));
    assert_true(rul_glob_match("a/**/b", "a/x/y/b"));
    assert_false(rul_glob_match("a/**/b", "a/x/y/c"));
}

static void touch(const char *dir, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
}

static rul_source src(const char *name, const char *glob, int detect)
{
    rul_source s;
    memset(&s, 0, sizeof s);
    s.name = (char *)name;
    if (glob) {
        s.paths = malloc(sizeof *s.paths);
        s.paths[0] = (char *)glob;
        s.n_paths = 1;
    }
    s.detect = detect ? (rul_expr *)(uintptr_t)1 : NULL;  /* only tested for NULL here */
    return s;
}

static void test_rul_bind_tree(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_rul_bind.XXXXXX";
    assert_non_null(mkdtemp(dir));
    touch(dir, "okta/okta-2025-10.jsonl");
    touch(dir, "hr/hr_export.csv");
    touch(dir, "misc/notes.txt");
    touch(dir, "other/export.json");
    rul_source srcs[3] = { src("okta", "okta/**", 0), src("hr", "hr/*.csv", 0), src("ct", NULL, 1) };
    rul_set s;
    memset(&s, 0, sizeof s);
    s.src = srcs;
    s.n_src = 3;
    const char *args[1] = { dir };
    rul_binding b;
    as_err e;
    as_err_clear(&e);
    assert_int_equal(rul_bind(&s, args, 1, NULL, 0, &b, &e), AS_OK);
    assert_int_equal(b.in.n, 4);  /* sorted: hr, misc, okta, other */
    assert_string_equal(b.rel[0], "hr/hr_export.csv");
    assert_int_equal(b.mask[0], 2);
    assert_string_equal(b.rel[2], "okta/okta-2025-10.jsonl");
    assert_int_equal(b.mask[2], 1);
    assert_int_equal(b.mask[1], 0);
    assert_int_equal(b.detect[1], 4);  /* unclaimed: offered to the detecting source */
    assert_int_equal(b.detect[3], 4);
    assert_int_equal(b.n_unbound, 0);
    rul_binding_fini(&b);

    /* a file argument: its base name is its relative path; an override takes the source */
    char f[600];
    snprintf(f, sizeof f, "%s/hr/hr_export.csv", dir);
    const char *args2[1] = { f };
    rul_override ov = { .src = 0, .path = f };
    srcs[2].detect = NULL;
    assert_int_equal(rul_bind(&s, args2, 1, &ov, 1, &b, &e), AS_OK);
    assert_int_equal(b.in.n, 2);
    assert_string_equal(b.rel[0], "hr_export.csv");
    assert_int_equal(b.mask[0], 0);     /* the hr glob needs the folder; no detection left */
    assert_int_equal(b.n_unbound, 1);
    assert_int_equal(b.mask[1], 1);     /* the override feeds okta only */
    rul_binding_fini(&b);
    for (int i = 0; i < 3; i++)
        free(srcs[i].paths);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rul_glob),
        cmocka_unit_test(test_rul_bind_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
