/* test_rul_map.c: unit tests for rules/rul_map: insertion order numbers,
 * find/put on (text, integer) keys, growth past many entries, empty keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "rules/rul_map.h"

static void test_rul_map_put_find(void **state)
{
    (void)state;
    rul_map m;
    rul_map_init(&m);
    int added;
    assert_int_equal(rul_map_find(&m, AS_SLICE_LIT("a"), 0), -1);
    assert_int_equal(rul_map_put(&m, AS_SLICE_LIT("a"), 0, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(rul_map_put(&m, AS_SLICE_LIT("a"), 1, &added), 1);   /* same text, other number */
    assert_int_equal(added, 1);
    assert_int_equal(rul_map_put(&m, AS_SLICE_LIT(""), 0, &added), 2);    /* empty text is a key */
    assert_int_equal(rul_map_put(&m, AS_SLICE_LIT("a"), 0, &added), 0);
    assert_int_equal(added, 0);
    assert_int_equal(rul_map_find(&m, AS_SLICE_LIT("a"), 1), 1);
    assert_int_equal(rul_map_find(&m, AS_SLICE_LIT("b"), 0), -1);
    assert_int_equal(rul_map_find(&m, AS_SLICE_LIT(""), 0), 2);
    assert_int_equal(m.len, 3);
    rul_map_fini(&m);
}

static void test_rul_map_growth(void **state)
{
    (void)state;
    rul_map m;
    rul_map_init(&m);
    static char keys[20000][24];
    int added;
    for (int i = 0; i < 20000; i++) {
        snprintf(keys[i], sizeof keys[i], "host-%d", i);
        assert_int_equal(rul_map_put(&m, as_slice_cstr(keys[i]), i % 7, &added), i);
        assert_int_equal(added, 1);
    }
    for (int i = 0; i < 20000; i++)
        assert_int_equal(rul_map_find(&m, as_slice_cstr(keys[i]), i % 7), i);
    assert_int_equal(rul_map_find(&m, as_slice_cstr(keys[5]), 6), -1);
    assert_true(m.cap >= 20000 * 4 / 3);
    rul_map_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rul_map_put_find),
        cmocka_unit_test(test_rul_map_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
