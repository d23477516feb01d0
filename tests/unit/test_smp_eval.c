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
#include "samplers/smp_dist.h"  /* smp_hyper_cdf: the strata check */

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

/* The stratified bound: one stratum is the exact hypergeometric evaluation
 * itself; with several, each K_h is the largest K not rejected at the
 * Bonferroni share of the risk (checked on the CDF); allocation
 * proportionality; the conclusion on integers; bad inputs. */
static void test_smp_eval_strata_bound(void **state)
{
    (void)state;
    as_err err;
    as_err_clear(&err);
    uint64_t K[3];
    smp_strata_eval se;
    {
        uint64_t N[1] = { 500 }, n[1] = { 60 }, x[1] = { 1 };
        assert_int_equal(smp_eval_strata(N, n, x, 1, 9500, 500, K, &se, &err), AS_OK);
        smp_eval_req q = { .model = SMP_MODEL_HYPERGEOMETRIC, .conf_bp = 9500, .n = 60, .x = 1, .N = 500 };
        smp_eval e;
        assert_int_equal(smp_eval_compute(&q, &e, &err), AS_OK);
        assert_int_equal(se.K, e.ub_count);
        assert_int_equal(se.conf_each_bp, 9500);
        assert_true(se.proportional);
    }
    uint64_t N[3] = { 1000, 50, 400 }, n[3] = { 30, 30, 12 }, x[3] = { 0, 1, 0 };
    assert_int_equal(smp_eval_strata(N, n, x, 3, 9500, 2000, K, &se, &err), AS_OK);
    assert_int_equal(se.conf_each_bp, 10000 - 166);                     /* floor(500 / 3) */
    uint64_t sum = 0;
    for (int h = 0; h < 3; h++) {
        assert_true(smp_hyper_cdf(x[h], N[h], K[h], n[h]) > 0.0166L);
        if (K[h] < N[h])
            assert_true(smp_hyper_cdf(x[h], N[h], K[h] + 1, n[h]) <= 0.0166L);
        sum += K[h];
    }
    assert_int_equal(se.K, sum);
    assert_int_equal(se.N, 1450);
    assert_int_equal(se.n, 72);
    assert_int_equal(se.x, 1);
    assert_true(fabsl(se.ub - (long double)sum / 1450.0L) < 1e-15L);
    assert_false(se.proportional);                                      /* 50 items got 30 tests */
    assert_int_equal(se.supports, sum * 10000 <= 2000ull * 1450);
    /* proportional: 600/400 with 30/20; a stratum with nothing tested counts whole */
    uint64_t N2[2] = { 600, 400 }, n2[2] = { 30, 20 }, x2[2] = { 0, 0 };
    assert_int_equal(smp_eval_strata(N2, n2, x2, 2, 9000, 0, K, &se, &err), AS_OK);
    assert_true(se.proportional);
    assert_false(se.has_conclusion);
    uint64_t n3[2] = { 50, 0 };
    assert_int_equal(smp_eval_strata(N2, n3, x2, 2, 9000, 0, K, &se, &err), AS_OK);
    assert_int_equal(K[1], 400);
    assert_false(se.proportional);
    /* bad inputs */
    uint64_t xb[2] = { 31, 0 };
    assert_int_equal(smp_eval_strata(N2, n2, xb, 2, 9500, 0, K, &se, &err), AS_ERR_USAGE);
    static uint64_t big[501], zero[501];
    for (int h = 0; h < 501; h++)
        big[h] = 10;
    as_err_clear(&err);                                                 /* the first error wins */
    assert_int_equal(smp_eval_strata(big, zero, zero, 501, 9500, 0, NULL, &se, &err), AS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "501 strata"));
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
        cmocka_unit_test(test_smp_eval_strata_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
