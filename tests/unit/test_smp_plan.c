/* test_smp_plan.c: unit tests of samplers/ planning against every planning
 * vector of docs/sampling.md (B.1 P1-P21, B.3 H1-H6 and H9-H14, B.4 M1-M6,
 * B.5 S1, S2, B1, B2, B.6 F8, F9), one assertion per cell, plus the input
 * checks. Whole AICPA tables are in test_smp_tables.c. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>    /* ceil: the floating-point misprint of jfa; fabsl */
#include <string.h>  /* strstr */
#include <time.h>    /* clock_gettime: the planning-time bound */

#include "samplers/smp.h"
#include "samplers/smp_dist.h"

typedef struct plan_case {
    const char *id;
    smp_model   model;
    uint32_t    conf, tdr, edr;  /* basis points */
    int         has_count;
    uint64_t    count, N;
    smp_kround  kround;
    uint64_t    want_n, want_k;
} plan_case;

static smp_plan run(const plan_case *c)
{
    smp_plan_req q = { .model = c->model, .conf_bp = c->conf, .tdr_bp = c->tdr, .edr_bp = c->edr,
                       .has_count = c->has_count, .expected_count = c->count, .N = c->N, .kround = c->kround };
    smp_plan p;
    as_err e;
    as_err_clear(&e);
    as_code rc = smp_plan_compute(&q, &p, &e);
    if (rc != AS_OK)
        print_error("%s: %s\n", c->id, e.msg);
    assert_int_equal(rc, AS_OK);
    if (p.n != c->want_n || p.k != c->want_k)
        print_error("%s: n %llu k %llu, want n %llu k %llu\n", c->id, (unsigned long long)p.n,
                    (unsigned long long)p.k, (unsigned long long)c->want_n, (unsigned long long)c->want_k);
    assert_int_equal(p.n, c->want_n);
    assert_int_equal(p.k, c->want_k);
    assert_true(p.verified);
    return p;
}

#define B SMP_MODEL_BINOMIAL
#define H SMP_MODEL_HYPERGEOMETRIC
#define P SMP_MODEL_POISSON

static void test_smp_plan_binomial_vectors(void **state)
{
    (void)state;
    static const plan_case cases[] = {
        { "P1", B, 9500, 500, 0, 0, 0, 0, 0, 59, 0 },
        { "P2", B, 9500, 1000, 0, 0, 0, 0, 0, 29, 0 },
        { "P3", B, 9500, 200, 0, 0, 0, 0, 0, 149, 0 },
        { "P4", B, 9500, 100, 0, 0, 0, 0, 0, 299, 0 },
        { "P5 20%", B, 9500, 2000, 0, 0, 0, 0, 0, 14, 0 },
        { "P5 15%", B, 9500, 1500, 0, 0, 0, 0, 0, 19, 0 },
        { "P6", B, 9500, 500, 100, 0, 0, 0, 0, 93, 1 },
        { "P7", B, 9500, 500, 200, 0, 0, 0, 0, 181, 4 },
        { "P8", B, 9500, 800, 200, 0, 0, 0, 0, 77, 2 },
        { "P9 2.00%", B, 9500, 1000, 200, 0, 0, 0, 0, 46, 1 },
        { "P9 2.25%", B, 9500, 1000, 225, 0, 0, 0, 0, 61, 2 },
        { "P10", B, 9500, 500, 0, 1, 2, 0, 0, 124, 2 },
        { "P11", B, 9500, 100, 0, 1, 1, 0, 0, 473, 1 },
        { "P12", B, 9000, 500, 0, 0, 0, 0, 0, 45, 0 },
        { "P13", B, 9000, 1000, 0, 0, 0, 0, 0, 22, 0 },
        { "P14 5%", B, 9000, 500, 100, 0, 0, 0, 0, 77, 1 },
        { "P14 10%", B, 9000, 1000, 100, 0, 0, 0, 0, 38, 1 },
        { "P15", B, 9000, 2000, 0, 0, 0, 0, 0, 11, 0 },
        { "P16 3.25%", B, 9000, 700, 325, 0, 0, 0, 0, 113, 4 },
        { "P16 3.50%", B, 9000, 700, 350, 0, 0, 0, 0, 113, 4 },
        { "P17", B, 9000, 500, 350, 0, 0, 0, 0, 400, 14 },
        { "P18", B, 9000, 800, 700, 0, 0, 0, 0, 1300, 91 },
        { "P19 97.5%", B, 9750, 900, 700, 0, 0, 0, 0, 800, 56 },
        { "P19 99%", B, 9900, 900, 700, 0, 0, 0, 0, 1100, 77 },
        { "P20 99%", B, 9900, 500, 0, 0, 0, 0, 0, 90, 0 },
        { "P20 97.5%", B, 9750, 500, 0, 0, 0, 0, 0, 72, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        (void)run(&cases[i]);
}

/* P17-P19: what the floating-point ceiling does (jfa 0.7.3): at n = 400,
 * 400 * 0.035 is 14.000000000000002 in doubles and its ceiling 15; the
 * integer form gives 14. */
static void test_smp_plan_integer_ceiling_not_doubles(void **state)
{
    (void)state;
    volatile double edr = 0.035;
    assert_true(ceil(400 * edr) == 15.0);
    assert_int_equal((400u * 350u + 9999u) / 10000u, 14);
    volatile double edr7 = 0.07;
    assert_true(ceil(1300 * edr7) == 92.0);
    assert_int_equal((1300u * 700u + 9999u) / 10000u, 91);
}

/* P21: n = 100 passes (k = 1, P = 0.0371) but n = 101 fails (k = 2, P = 0.1142). */
static void test_smp_plan_criterion_not_monotone(void **state)
{
    (void)state;
    long double a = smp_binom_cdf(1, 100, 0.05L), b = smp_binom_cdf(2, 101, 0.05L);
    assert_true(a > 0.03705L && a < 0.03715L);
    assert_true(b > 0.11415L && b < 0.11425L);
    assert_int_equal((100u * 100u + 9999u) / 10000u, 1);
    assert_int_equal((101u * 100u + 9999u) / 10000u, 2);
    /* and P6: the smallest n is 93 with P(X <= 1 | 93) = 0.049976 */
    long double c = smp_binom_cdf(1, 93, 0.05L);
    assert_true(c > 0.049975L && c < 0.049977L);
}

static void test_smp_plan_hypergeometric_vectors(void **state)
{
    (void)state;
    static const plan_case cases[] = {
        { "H1", H, 9500, 500, 0, 0, 0, 1000, SMP_KROUND_CEIL, 57, 0 },
        { "H2", H, 9500, 100, 0, 0, 0, 1000, SMP_KROUND_CEIL, 258, 0 },
        { "H3", H, 9500, 500, 250, 0, 0, 1000, SMP_KROUND_CEIL, 197, 5 },
        { "H4", H, 9500, 500, 0, 1, 2, 1000, SMP_KROUND_CEIL, 119, 2 },
        { "H5", H, 9500, 500, 0, 0, 0, 10000, SMP_KROUND_CEIL, 59, 0 },
        { "H6 0", H, 9000, 500, 0, 0, 0, 1200, SMP_KROUND_CEIL, 45, 0 },
        { "H6 2", H, 9000, 500, 0, 1, 2, 1200, SMP_KROUND_CEIL, 102, 2 },
        { "H9 a", H, 9000, 800, 0, 0, 0, 500, SMP_KROUND_CEIL, 27, 0 },
        { "H9 b", H, 9000, 200, 0, 0, 0, 500, SMP_KROUND_CEIL, 102, 0 },
        { "H9 c", H, 9500, 200, 0, 0, 0, 5000, SMP_KROUND_CEIL, 147, 0 },
        { "H9 d", H, 9900, 200, 0, 0, 0, 500, SMP_KROUND_CEIL, 183, 0 },
        { "H9 e", H, 9900, 200, 0, 0, 0, 5000, SMP_KROUND_CEIL, 223, 0 },
        { "H10 a", H, 9000, 800, 100, 0, 0, 500, SMP_KROUND_CEIL, 46, 1 },
        { "H10 a binomial", B, 9000, 800, 100, 0, 0, 0, SMP_KROUND_CEIL, 48, 1 },
        { "H10 b", H, 9000, 500, 200, 0, 0, 500, SMP_KROUND_CEIL, 99, 2 },
        { "H10 b binomial", B, 9000, 500, 200, 0, 0, 0, SMP_KROUND_CEIL, 132, 3 },
        { "H11 ceil", H, 9500, 500, 0, 0, 0, 150, SMP_KROUND_CEIL, 46, 0 },
        { "H11 floor", H, 9500, 500, 0, 0, 0, 150, SMP_KROUND_FLOOR, 52, 0 },
        { "H12 tie", H, 9000, 1000, 850, 0, 0, 100, SMP_KROUND_CEIL, 99, 9 },
        { "H13 N=25", H, 9500, 1000, 0, 0, 0, 25, SMP_KROUND_FLOOR, 19, 0 },
        { "H13 N=65", H, 9500, 1000, 0, 0, 0, 65, SMP_KROUND_FLOOR, 25, 0 },
        { "H13 N=40 floor", H, 9500, 1000, 0, 0, 0, 40, SMP_KROUND_FLOOR, 21, 0 },
        { "H13 N=40 ceil", H, 9500, 1000, 0, 0, 0, 40, SMP_KROUND_CEIL, 21, 0 },
        { "H14 tie", H, 9500, 1000, 0, 0, 0, 25, SMP_KROUND_FLOOR, 19, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        (void)run(&cases[i]);
}

/* H12 and H14 are exact ties: P equals the risk exactly and passes. */
static void test_smp_plan_hypergeometric_exact_ties(void **state)
{
    (void)state;
    int c = 7;
    assert_int_equal(smp_hyper_cdf_cmp(9, 100, 10, 99, 1000, &c, NULL), AS_OK);  /* P(X<=9) = 0.1 */
    assert_int_equal(c, 0);
    assert_int_equal(smp_hyper_cdf_cmp_exact(9, 100, 10, 99, 1000, &c), AS_OK);
    assert_int_equal(c, 0);
    assert_int_equal(smp_hyper_cdf_cmp(0, 25, 2, 19, 500, &c, NULL), AS_OK);    /* 30/600 = 0.05 */
    assert_int_equal(c, 0);
    /* and one step away from each the comparison is strict */
    assert_int_equal(smp_hyper_cdf_cmp(0, 25, 2, 18, 500, &c, NULL), AS_OK);
    assert_true(c > 0);
    assert_int_equal(smp_hyper_cdf_cmp(9, 100, 10, 98, 1000, &c, NULL), AS_OK);
    assert_true(c > 0);
    /* the tie survives the fast path too: the long double is within the guard band */
    long double v = smp_hyper_cdf(0, 25, 2, 19);
    assert_true(v > 0.0499999999L && v < 0.0500000001L);
    /* and the doubles misread it: 1 - 0.95 is 0.05000000000000004 */
    volatile double conf = 0.95;
    assert_true(1.0 - conf > 0.05);
}

/* The integer comparisons agree with long double wherever the two are not
 * close: a grid of binomial and hypergeometric cases on both sides of the risk. */
static void test_smp_plan_exact_agrees_with_float(void **state)
{
    (void)state;
    unsigned checked = 0;
    static const uint32_t risks[] = { 500, 1000, 250, 100 };
    for (uint64_t n = 5; n <= 1500; n += 37)
        for (uint32_t t = 100; t <= 2000; t += 233)
            for (uint64_t k = 0; k < 12 && k < n; k += 3)
                for (size_t r = 0; r < 4; r++) {
                    long double v = smp_binom_cdf(k, n, (long double)t / 10000);
                    long double a = (long double)risks[r] / 10000;
                    if (fabsl(v - a) < 1e-6L * a)
                        continue;
                    int c = 9;
                    assert_int_equal(smp_binom_cdf_cmp_exact(k, n, t, risks[r], &c), AS_OK);
                    assert_int_equal(c < 0 ? -1 : c > 0, v < a ? -1 : 1);
                    checked++;
                }
    for (uint64_t N = 20; N <= 5000; N = N * 3 + 1)
        for (uint64_t n = 1; n < N; n += N / 7 + 1)
            for (uint64_t K = 1; K < N; K += N / 5 + 1)
                for (uint64_t x = 0; x < 6; x += 2)
                    for (size_t r = 0; r < 4; r++) {
                        long double v = smp_hyper_cdf(x, N, K, n);
                        long double a = (long double)risks[r] / 10000;
                        if (fabsl(v - a) < 1e-6L * a)
                            continue;
                        int c = 9;
                        assert_int_equal(smp_hyper_cdf_cmp_exact(x, N, K, n, risks[r], &c), AS_OK);
                        assert_int_equal(c < 0 ? -1 : c > 0, v < a ? -1 : 1);
                        checked++;
                    }
    print_message("      %u comparisons agree\n", checked);
    assert_true(checked > 2000);
}

static void test_smp_plan_tolerable_count_rounding(void **state)
{
    (void)state;
    assert_int_equal(smp_tolerable_count(150, 500, SMP_KROUND_CEIL), 8);   /* ceil(7.5) */
    assert_int_equal(smp_tolerable_count(150, 500, SMP_KROUND_FLOOR), 7);
    assert_int_equal(smp_tolerable_count(25, 1000, SMP_KROUND_FLOOR), 2);  /* floor(2.5) */
    assert_int_equal(smp_tolerable_count(1000, 500, SMP_KROUND_CEIL), 50); /* exact: no rounding */
    assert_int_equal(smp_tolerable_count(1000, 500, SMP_KROUND_FLOOR), 50);
}

static void test_smp_plan_poisson_vectors(void **state)
{
    (void)state;
    static const plan_case cases[] = {
        { "M1", P, 9500, 500, 0, 0, 0, 0, 0, 60, 0 },
        { "M2 95%", P, 9500, 100, 0, 0, 0, 0, 0, 300, 0 },
        { "M2 90%", P, 9000, 100, 0, 0, 0, 0, 0, 231, 0 },
        { "M3", P, 9500, 500, 250, 0, 0, 0, 0, 231, 0 },
        { "M4 a", P, 9500, 500, 100, 0, 0, 0, 0, 93, 0 },
        { "M4 b", P, 9000, 500, 0, 0, 0, 0, 0, 47, 0 },
        { "M4 c", P, 9500, 100, 50, 0, 0, 0, 0, 1154, 0 },
        { "M5", P, 9900, 500, 0, 0, 0, 0, 0, 93, 0 },
        { "M6 95%", P, 9500, 200, 0, 0, 0, 0, 0, 150, 0 },
        { "M6 87.5%", P, 8750, 200, 0, 0, 0, 0, 0, 104, 0 },
        { "P4 Poisson", P, 9500, 100, 0, 0, 0, 0, 0, 300, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        (void)run(&cases[i]);
    /* M3: the expected taint n x EM is left fractional: 231 x 0.025 = 5.775 */
    smp_plan p = run(&cases[3]);
    assert_true(p.expected_taint > 5.77499L && p.expected_taint < 5.77501L);
    /* M2: T&H print 230, but qgamma(.90, 1, 230) > .01 */
    assert_true(smp_gamma_q(1.0L, 230.0L * 0.01L) > 0.10L);
    /* M5: SRA prints 92, but qgamma(.99, 1, 92) = 0.05006 > .05 */
    assert_true(smp_gamma_q(1.0L, 92.0L * 0.05L) > 0.01L);
}

static void test_smp_plan_two_stage_vectors(void **state)
{
    (void)state;
    smp_plan_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9500, .tdr_bp = 500, .stages = 2 };
    smp_plan p;
    as_err e;
    as_err_clear(&e);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_OK);            /* S1 */
    assert_int_equal(p.n, 61);
    assert_int_equal(p.n_total, 122);
    assert_true(p.verified);
    q.conf_bp = 9000;
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_OK);            /* S2 */
    assert_int_equal(p.n, 49);
    assert_int_equal(p.n_total, 98);
    assert_true(p.verified);
    /* the general double-sampling form gives the same plan */
    smp_double d = { 49, 0, 2, 49, 1 };
    long double a = smp_double_accept(&d, 0.05L), b = smp_stages_accept(49, 2, 0.05L);
    assert_true(a - b < 1e-15L && b - a < 1e-15L);
    assert_true(a <= 0.10L);
    d.n1 = d.n2 = 48;
    assert_true(smp_double_accept(&d, 0.05L) > 0.10L);
}

/* B1, B2 (Bayesian, optional in the engine): beta(1,1) and gamma(1,1)
 * priors shift n by one against the classical bounds, so the classical
 * functions give them: qbeta(.95, 1, 1+n) = CP upper(0, n+1). */
static void test_smp_plan_bayesian_equivalents(void **state)
{
    (void)state;
    uint64_t n = 1;
    while (!(smp_cp_upper(0, n + 1, 9500) < 0.05L))
        n++;
    assert_int_equal(n, 58);                                            /* B1 */
    n = 1;
    while (!(smp_poisson_factor(0, 9500) / (long double)(n + 1) < 0.01L))
        n++;
    assert_int_equal(n, 299);                                           /* B2 */
}

/* F8: what the frequency conventions buy at zero deviations (hypergeometric,
 * largest K not rejected, divided by N). */
static void test_smp_plan_frequency_assurance(void **state)
{
    (void)state;
    uint64_t K;
    assert_int_equal(smp_hyper_upper_count(0, 25, 365, 9000, &K), AS_OK);
    assert_int_equal(K, 31);                                            /* 8.49% */
    assert_int_equal(smp_hyper_upper_count(0, 25, 365, 9500, &K), AS_OK);
    assert_int_equal(K, 39);                                            /* 10.68% */
    assert_int_equal(smp_hyper_upper_count(0, 5, 52, 9000, &K), AS_OK);
    assert_int_equal(K, 18);                                            /* 34.6% */
    assert_int_equal(smp_hyper_upper_count(0, 15, 52, 9000, &K), AS_OK);
    assert_int_equal(K, 6);                                             /* 11.5% */
    assert_int_equal(smp_hyper_upper_count(0, 2, 12, 9000, &K), AS_OK);
    assert_int_equal(K, 7);                                             /* 58% */
    const smp_freq_row *r = smp_freq_row_get(SMP_FREQ_MONTHLY);
    assert_int_equal(r->per_year, 12);
    assert_int_equal(r->n_low, 2);
    smp_freq f;
    assert_int_equal(smp_freq_from_name("multiple-daily", &f), 0);
    assert_int_equal(f, SMP_FREQ_MULTIPLE_DAILY);
    assert_int_equal(smp_freq_from_name("hourly", &f), -1);
}

/* F9: the tolerable rate that "25, allow 1, else +25" really tests. */
static void test_smp_plan_implied_rate_of_conventions(void **state)
{
    (void)state;
    smp_double loose = { 25, 1, 3, 25, 2 }, strict = { 25, 0, 2, 25, 1 };
    long double a = smp_double_implied_rate(&loose, 9000), b = smp_double_implied_rate(&loose, 9500);
    long double c = smp_double_implied_rate(&strict, 9000), d = smp_double_implied_rate(&strict, 9500);
    assert_true(a > 0.14815L && a < 0.14825L);   /* 14.82% */
    assert_true(b > 0.17675L && b < 0.17685L);   /* 17.68% */
    assert_true(c > 0.09505L && c < 0.09515L);   /* 9.51% */
    assert_true(d > 0.11765L && d < 0.11775L);   /* 11.77% */
}

static void test_smp_plan_bad_inputs(void **state)
{
    (void)state;
    smp_plan p;
    as_err e;
    smp_plan_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9500, .tdr_bp = 500, .edr_bp = 500 };
    as_err_clear(&e);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_ERR_USAGE);      /* EDR = TDR */
    assert_non_null(strstr(e.msg, "below the tolerable rate"));
    q.edr_bp = 0;
    q.conf_bp = 10000;
    as_err_clear(&e);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_ERR_USAGE);
    q.conf_bp = 9500;
    q.model = SMP_MODEL_HYPERGEOMETRIC;
    as_err_clear(&e);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_ERR_USAGE);      /* no N */
    q.model = SMP_MODEL_BINOMIAL;
    q.edr_bp = 475;
    q.max_n = 1000;
    as_err_clear(&e);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_ERR_USAGE);      /* beyond max_n */
    assert_non_null(strstr(e.msg, "no sample size up to 1000"));
}

/* A population smaller than the plan: say so and test all of it. */
static void test_smp_plan_full_testing_small_population(void **state)
{
    (void)state;
    smp_plan p;
    as_err e;
    as_err_clear(&e);
    smp_plan_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9500, .tdr_bp = 500, .N = 40 };
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_OK);
    assert_int_equal(p.n, 59);
    assert_true(p.full);
    /* hypergeometric: K_t = floor(5% of 12) = 0, nothing is tolerable: census */
    smp_plan_req h = { .model = SMP_MODEL_HYPERGEOMETRIC, .conf_bp = 9500, .tdr_bp = 500, .N = 12,
                       .kround = SMP_KROUND_FLOOR };
    assert_int_equal(smp_plan_compute(&h, &p, &e), AS_OK);
    assert_int_equal(p.n, 12);
    assert_true(p.full);
    /* N = 20, K_t = 1: only n = 19 (P0 = 1/20) gets below 5% */
    h.N = 20;
    h.kround = SMP_KROUND_CEIL;
    assert_int_equal(smp_plan_compute(&h, &p, &e), AS_OK);
    assert_int_equal(p.n, 19);
    assert_false(p.full);
}

/* Planning is instant: A-2's largest cell (n = 1577) and a plan in the tens
 * of thousands, timed loosely (the bench measures it properly). */
static void test_smp_plan_time_for_large_n(void **state)
{
    (void)state;
    struct timespec a, b;
    smp_plan p;
    as_err e;
    as_err_clear(&e);
    smp_plan_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9000, .tdr_bp = 1000, .edr_bp = 900 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(smp_plan_compute(&q, &p, &e), AS_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_int_equal(p.n, 1577);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    print_message("      plan n = 1577: %.3f ms\n", ms);
    assert_true(ms < 1000.0);   /* generous under sanitizers; release is far below 10 ms */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smp_plan_binomial_vectors),
        cmocka_unit_test(test_smp_plan_integer_ceiling_not_doubles),
        cmocka_unit_test(test_smp_plan_criterion_not_monotone),
        cmocka_unit_test(test_smp_plan_hypergeometric_vectors),
        cmocka_unit_test(test_smp_plan_hypergeometric_exact_ties),
        cmocka_unit_test(test_smp_plan_exact_agrees_with_float),
        cmocka_unit_test(test_smp_plan_tolerable_count_rounding),
        cmocka_unit_test(test_smp_plan_poisson_vectors),
        cmocka_unit_test(test_smp_plan_two_stage_vectors),
        cmocka_unit_test(test_smp_plan_bayesian_equivalents),
        cmocka_unit_test(test_smp_plan_frequency_assurance),
        cmocka_unit_test(test_smp_plan_implied_rate_of_conventions),
        cmocka_unit_test(test_smp_plan_bad_inputs),
        cmocka_unit_test(test_smp_plan_full_testing_small_population),
        cmocka_unit_test(test_smp_plan_time_for_large_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
