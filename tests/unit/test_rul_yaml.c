/* test_rul_yaml.c: unit tests for rules/rul_yaml: the node tree, positions
 * of nodes (1-based line and column), block scalar indentation, several
 * documents, and the errors (syntax with position, duplicate keys, aliases,
 * anchors, non-scalar keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/rul_yaml.h"

static ry_doc *load(const char *text, as_err *e)
{
    as_err_clear(e);
    return ry_load(as_slice_cstr(text), "t.yaml", e);
}

static void test_ry_tree_and_positions(void **state)
{
    (void)state;
    as_err e;
    ry_doc *d = load("id: x\ncriteria: [CC6.1, 'CC6.2']\ntest:\n  each: a == \"b\"\n", &e);
    assert_non_null(d);
    assert_int_equal(d->n, 1);
    const ry_node *r = d->roots[0];
    assert_int_equal(r->kind, RY_MAP);
    assert_int_equal(r->n, 3);
    const ry_node *id = ry_get(r, "id");
    assert_true(ry_is(id, "x"));
    assert_int_equal(id->line, 1);
    assert_int_equal(id->col, 5);
    const ry_node *cr = ry_get(r, "criteria");
    assert_int_equal(cr->kind, RY_SEQ);
    assert_int_equal(cr->n, 2);
    assert_int_equal(cr->kids[1]->style, RY_SINGLE);
    assert_true(ry_is(cr->kids[1], "CC6.2"));
    assert_int_equal(cr->kids[1]->col, 19);
    const ry_node *each = ry_get(ry_get(r, "test"), "each");
    assert_true(ry_is(each, "a == \"b\""));
    assert_int_equal(each->line, 4);
    assert_int_equal(each->col, 9);
    assert_null(ry_get(r, "nope"));
    assert_null(ry_get(id, "x"));   /* not a mapping */
    ry_free(d);
}

static void test_ry_block_scalars_and_null(void **state)
{
    (void)state;
    as_err e;
    ry_doc *d = load("where: >\n    a == 1\n    and b == 2\nlit: |\n  x\n  y\nempty:\ntilde: ~\n", &e);
    assert_non_null(d);
    const ry_node *w = ry_get(d->roots[0], "where");
    assert_int_equal(w->style, RY_FOLDED);
    assert_int_equal(w->indent, 5);
    assert_string_equal(w->s.ptr, "a == 1 and b == 2\n");
    const ry_node *l = ry_get(d->roots[0], "lit");
    assert_int_equal(l->style, RY_LITERAL);
    assert_int_equal(l->indent, 3);
    assert_string_equal(l->s.ptr, "x\ny\n");
    assert_true(ry_is_null(ry_get(d->roots[0], "empty")));
    assert_true(ry_is_null(ry_get(d->roots[0], "tilde")));
    assert_false(ry_is_null(l));
    ry_free(d);
}

static void test_ry_documents(void **state)
{
    (void)state;
    as_err e;
    ry_doc *d = load("a: 1\n---\nb: 2\n---\n", &e);
    assert_non_null(d);
    assert_int_equal(d->n, 3);  /* the last document is empty (a null scalar) */
    assert_true(ry_is(ry_get(d->roots[1], "b"), "2"));
    assert_int_equal(ry_get(d->roots[1], "b")->line, 3);
    ry_free(d);
    d = load("", &e);
    assert_non_null(d);
    assert_int_equal(d->n, 0);
    ry_free(d);
}

static void expect_error(const char *text, uint64_t line, uint64_t col, const char *msg)
{
    as_err e;
    ry_doc *d = load(text, &e);
    assert_null(d);
    assert_int_equal(e.code, AS_ERR_SYNTAX);
    assert_string_equal(e.loc.src, "t.yaml");
    assert_int_equal(e.loc.line, line);
    if (col)
        assert_int_equal(e.loc.col, col);
    assert_non_null(strstr(e.msg, msg));
}

static void test_ry_errors(void **state)
{
    (void)state;
    expect_error("a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first at line 1)");
    expect_error("a: &x 1\nb: *x\n", 1, 4, "anchors");
    expect_error("a: [1, 2\nb: 3\n", 0 + 2, 0, "YAML:");
    expect_error("? [1]\n: 2\n", 1, 3, "mapping key must be a plain scalar");
    expect_error("a: b: c\n", 1, 5, "YAML:");
    expect_error("a:\n\t- x\n", 2, 0, "YAML:");
}

static void test_ry_deep_nesting(void **state)
{
    (void)state;
    char buf[400];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        buf[n++] = '[';
    buf[n] = '\0';
    as_err e;
    ry_doc *d = load(buf, &e);
    assert_null(d);
    assert_int_equal(e.code, AS_ERR_SYNTAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ry_tree_and_positions),
        cmocka_unit_test(test_ry_block_scalars_and_null),
        cmocka_unit_test(test_ry_documents),
        cmocka_unit_test(test_ry_errors),
        cmocka_unit_test(test_ry_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
