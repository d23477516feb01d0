/* test_smp_eval.c: unit tests of samplers/ evaluation against every
 * evaluation vector of docs/sampling.md: B.2 E1-E12 (exact Clopper-Pearson
 * limits to 1e-8 and the AICPA table values), B.3 H7 and H8 (hypergeometric
 * limits as counts), B.4 M1 and M7 (Poisson), the Stringer bound, the
 * conclusion rule and the input checks. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>    /* fabsl */
#include <string.h>  /* strstr */

#include "samplers/smp.h"

static smp_eval eval(smp_model m, uint32_t conf, uint64_t n, uint64_t x, uint64_t N, uint32_t tdr)
{
    smp_eval_req q = { .model = m, .conf_bp = conf, .n = n, .x = x, .N = N, .tdr_bp = tdr };
    smp_eval r;
    as_err e;
    as_err_clear(&e);
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_OK);
    return r;
}

static void near(long double got, long double want, long double tol)
{
    if (fabsl(got - want) > tol)
        print_error("got %.10Lf, want %.10Lf\n", got, want);
    assert_true(fabsl(got - want) <= tol);
}

static void test_smp_eval_clopper_pearson_vectors(void **state)
{
    (void)state;
    static const struct { const char *id; uint32_t conf; uint64_t n, x; double pct, table; } v[] = {
        { "E1", 9500, 60, 0, 4.870291, 4.9 },    { "E2", 9500, 60, 1, 7.663999, 7.7 },
        { "E3", 9500, 100, 5, 10.225338, 10.3 }, { "E4 0", 9500, 25, 0, 11.292815, 11.3 },
        { "E4 1", 9500, 25, 1, 17.612071, 17.7 }, { "E5 0", 9000, 25, 0, 8.798916, 8.8 },
        { "E5 1", 9000, 25, 1, 14.686720, 14.7 }, { "E6", 9000, 20, 0, 10.874906, 10.9 },
        { "E7", 9000, 200, 2, 2.639135, 2.7 },   { "E8", 9500, 20, 10, 69.804609, 69.9 },
        { "E9", 9500, 500, 10, 3.368827, 3.4 },  { "E10 0", 9500, 145, 0, 2.044826, 2.1 },
        { "E10 1", 9500, 145, 1, 3.229696, 3.3 }, { "E11 95", 9500, 59, 0, 4.950761, 5.0 },
        { "E11 90", 9000, 45, 0, 4.988149, 5.0 }, { "E12", 9500, 93, 1, 4.999398, 5.0 },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        smp_eval r = eval(SMP_MODEL_BINOMIAL, v[i].conf, v[i].n, v[i].x, 0, 0);
        near(100.0L * r.ub, (long double)v[i].pct, 0.0000006L);
        near(r.ub_table_pct, (long double)v[i].table, 0.001L);
        assert_false(r.has_conclusion);
    }
    /* closed form at x = 0: 1 - 0.05^(1/60) */
    near(smp_cp_upper(0, 60, 9500), 1.0L - powl(0.05L, 1.0L / 60.0L), 1e-15L);
    /* x = n: the limit is 1 */
    near(smp_cp_upper(5, 5, 9500), 1.0L, 0.0L);
}

/* The conclusion: supports iff P(X <= x | TDR) <= risk, i.e. UDL <= TDR. */
static void test_smp_eval_conclusion(void **state)
{
    (void)state;
    smp_eval r = eval(SMP_MODEL_BINOMIAL, 9500, 60, 0, 0, 500);      /* E1, AS 2315.41 */
    assert_true(r.has_conclusion);
    assert_true(r.supports);
    r = eval(SMP_MODEL_BINOMIAL, 9500, 60, 1, 0, 500);               /* E2 */
    assert_false(r.supports);
    near(r.p_value, 0.19155L, 0.000005L);
    r = eval(SMP_MODEL_BINOMIAL, 9500, 93, 1, 0, 500);               /* E12: 4.9994% <= 5% */
    assert_true(r.supports);
    near(r.p_value, 0.049976L, 0.000001L);
    near(r.mle, 1.0L / 93.0L, 1e-18L);
    near(r.precision, r.ub - r.mle, 1e-18L);
    r = eval(SMP_MODEL_BINOMIAL, 9500, 59, 0, 0, 500);               /* E11 */
    assert_true(r.supports);
    r = eval(SMP_MODEL_BINOMIAL, 9500, 58, 0, 0, 500);
    assert_false(r.supports);
}

static void test_smp_eval_hypergeometric_vectors(void **state)
{
    (void)state;
    static const uint64_t h7[4] = { 25, 43, 59, 75 };                  /* N=1200, n=102, 90% */
    for (uint64_t x = 0; x < 4; x++) {
        smp_eval r = eval(SMP_MODEL_HYPERGEOMETRIC, 9000, 102, x, 1200, 0);
        assert_int_equal(r.ub_count, h7[x]);
        near(r.ub, (long double)h7[x] / 1200.0L, 1e-18L);
    }
    smp_eval r = eval(SMP_MODEL_HYPERGEOMETRIC, 9500, 57, 0, 1000, 500); /* H8 */
    assert_int_equal(r.ub_count, 49);
    assert_true(r.supports);
    assert_int_equal(r.K_t, 50);
    /* H12 as an evaluation: K = 10 gives exactly 0.1 at x = 9, n = 99: rejected */
    uint64_t K;
    assert_int_equal(smp_hyper_upper_count(9, 99, 100, 9000, &K), AS_OK);
    assert_int_equal(K, 9);
    /* a census: every item tested, the limit is what was found */
    r = eval(SMP_MODEL_HYPERGEOMETRIC, 9500, 100, 3, 100, 0);
    assert_int_equal(r.ub_count, 3);
}

static void test_smp_eval_poisson_vectors(void **state)
{
    (void)state;
    smp_eval r = eval(SMP_MODEL_POISSON, 9500, 60, 0, 0, 500);        /* M1 */
    near(r.ub, 0.04992887L, 0.000000005L);
    assert_true(r.supports);
    static const double f95[6] = { 2.9957, 4.7439, 6.2958, 7.7537, 9.1535, 10.5130 };
    static const double f90[6] = { 2.3026, 3.8897, 5.3223, 6.6808, 7.9936, 9.2747 };
    for (uint64_t x = 0; x < 6; x++) {                                 /* M7 */
        near(smp_poisson_factor(x, 9500), (long double)f95[x], 0.00005L);
        near(smp_poisson_factor(x, 9000), (long double)f90[x], 0.00005L);
    }
}

/* Stringer with taints: all 1 is the Poisson limit; smaller taints lower it
 * by (factor step x (1 - taint)), largest taint first. */
static void test_smp_eval_stringer_bound(void **state)
{
    (void)state;
    long double ones[2] = { 1.0L, 1.0L }, mixed[2] = { 0.25L, 1.0L };
    smp_eval_req q = { .model = SMP_MODEL_POISSON, .conf_bp = 9500, .n = 100, .x = 2, .taints = ones };
    smp_eval r;
    as_err e;
    as_err_clear(&e);
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_OK);
    near(r.ub, smp_poisson_factor(2, 9500) / 100.0L, 1e-15L);
    q.taints = mixed;
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_OK);
    long double f0 = smp_poisson_factor(0, 9500), f1 = smp_poisson_factor(1, 9500), f2 = smp_poisson_factor(2, 9500);
    near(r.ub, (f0 + (f1 - f0) * 1.0L + (f2 - f1) * 0.25L) / 100.0L, 1e-15L);
    near(r.mle, 1.25L / 100.0L, 1e-18L);
    long double bad[1] = { 1.5L };
    q.x = 1;
    q.taints = bad;
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_ERR_USAGE);
}

static void test_smp_eval_table_rounding(void **state)
{
    (void)state;
    near(smp_table_pct(0.04870291L), 4.9L, 1e-12L);
    near(smp_table_pct(0.102253L), 10.3L, 1e-12L);      /* nearest would be 10.2 */
    near(smp_table_pct(0.05L), 5.0L, 1e-12L);           /* an exact step stays */
    near(smp_table_pct(0.0500001L), 5.1L, 1e-12L);
}

static void test_smp_eval_bad_inputs(void **state)
{
    (void)state;
    smp_eval r;
    as_err e;
    as_err_clear(&e);
    smp_eval_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9500, .n = 10, .x = 11 };
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_ERR_USAGE);
    assert_non_null(strstr(e.msg, "cannot be found"));
    q.x = 0;
    q.n = 0;
    assert_int_equal(smp_eval_compute(&q, &r, &e), AS_ERR_USAGE);
    smp_eval_req h = { .model = SMP_MODEL_HYPERGEOMETRIC, .conf_bp = 9500, .n = 10, .N = 5 };
    as_err_clear(&e);
    assert_int_equal(smp_eval_compute(&h, &r, &e), AS_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smp_eval_clopper_pearson_vectors),
        cmocka_unit_test(test_smp_eval_conclusion),
        cmocka_unit_test(test_smp_eval_hypergeometric_vectors),
        cmocka_unit_test(test_smp_eval_poisson_vectors),
        cmocka_unit_test(test_smp_eval_stringer_bound),
        cmocka_unit_test(test_smp_eval_table_rounding),
        cmocka_unit_test(test_smp_eval_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
