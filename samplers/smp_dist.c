/* smp_dist.c: CDFs in long double and their exact comparison with a risk
 * (see smp_dist.h).
 *
 * Summation: a CDF P(X <= x) is the sum of the pmf from the lowest support
 * point lo up to x. log pmf(lo) is a sum of log1p terms; the next terms come
 * from the pmf ratio. The running term and sum are kept scaled by exp(-L)
 * and rescaled past 1e2000, so a first term of 1e-6000 (n in the tens of
 * thousands) neither underflows nor loses the sum.
 */
#include "samplers/smp_dist.h"

#include <math.h>  /* expl, logl, log1pl, lgammal, fabsl */

#include "samplers/smp_big.h"

#define RESCALE_AT 1e2000L
#define RESCALE_BY 1e-2000L
#define RESCALE_LOG 4605.1701859880913680L /* 2000 ln 10 */

/* ---- binomial ---- */

static long double binom_sum(uint64_t k, uint64_t n, long double p)
{
    if (p <= 0.0L)
        return 1.0L;
    if (k >= n)
        return 1.0L;
    if (p >= 1.0L)
        return 0.0L;
    long double L = (long double)n * log1pl(-p);  /* log P(X = 0) */
    long double odds = p / (1.0L - p), t = 1.0L, s = 1.0L;
    for (uint64_t i = 0; i < k; i++) {
        t *= (long double)(n - i) / (long double)(i + 1) * odds;
        s += t;
        if (s > RESCALE_AT) {
            s *= RESCALE_BY;
            t *= RESCALE_BY;
            L += RESCALE_LOG;
        }
    }
    long double v = expl(L + logl(s));
    return v > 1.0L ? 1.0L : v;
}

long double smp_binom_cdf(uint64_t k, uint64_t n, long double p)
{
    return binom_sum(k, n, p);
}

long double smp_binom_pmf(uint64_t k, uint64_t n, long double p)
{
    if (k > n)
        return 0.0L;
    if (p <= 0.0L)
        return k == 0 ? 1.0L : 0.0L;
    if (p >= 1.0L)
        return k == n ? 1.0L : 0.0L;
    long double lc = lgammal((long double)n + 1) - lgammal((long double)k + 1) - lgammal((long double)(n - k) + 1);
    return expl(lc + (long double)k * logl(p) + (long double)(n - k) * log1pl(-p));
}

/* ---- hypergeometric ---- */

/* log P(X = lo) for the lowest support point lo = max(0, n - (N - K)). */
static long double hyper_log_lo(uint64_t N, uint64_t K, uint64_t n)
{
    long double L = 0.0L;
    if (n <= N - K) {              /* lo = 0: prod (N-K-i)/(N-i), i < n */
        for (uint64_t i = 0; i < n; i++)
            L += log1pl(-(long double)K / (long double)(N - i));
    } else {                       /* lo = n-(N-K): prod (n-i)/(N-i), i < N-K */
        for (uint64_t i = 0; i < N - K; i++)
            L += log1pl(-(long double)(N - n) / (long double)(N - i));
    }
    return L;
}

static long double hyper_sum(uint64_t x, uint64_t N, uint64_t K, uint64_t n, long double L)
{
    uint64_t lo = n > N - K ? n - (N - K) : 0, hi = AS_MIN(n, K);
    if (x < lo)
        return 0.0L;
    if (x >= hi)
        return 1.0L;
    long double t = 1.0L, s = 1.0L;
    for (uint64_t i = lo; i < x; i++) {
        t *= (long double)(K - i) * (long double)(n - i) /
             ((long double)(i + 1) * (long double)(N - K - n + i + 1));
        s += t;
        if (s > RESCALE_AT) {
            s *= RESCALE_BY;
            t *= RESCALE_BY;
            L += RESCALE_LOG;
        }
    }
    long double v = expl(L + logl(s));
    return v > 1.0L ? 1.0L : v;
}

long double smp_hyper_cdf(uint64_t x, uint64_t N, uint64_t K, uint64_t n)
{
    if (n > N || K > N)
        return 0.0L;
    return hyper_sum(x, N, K, n, hyper_log_lo(N, K, n));
}

long double smp_hyper_cdf_log0(uint64_t x, uint64_t N, uint64_t K, uint64_t n, long double log_p0)
{
    if (n > N || K > N)
        return 0.0L;
    if (n > N - K)
        return smp_hyper_cdf(x, N, K, n);
    return hyper_sum(x, N, K, n, log_p0);
}

/* ---- gamma ---- */

/* Series for P(a, x), x < a + 1 (Numerical Recipes gser, in long double). */
static long double gamma_p_series(long double a, long double x)
{
    long double ap = a, del = 1.0L / a, sum = del;
    for (int i = 0; i < 100000; i++) {
        ap += 1.0L;
        del *= x / ap;
        sum += del;
        if (fabsl(del) < fabsl(sum) * 1e-21L)
            break;
    }
    return sum * expl(-x + a * logl(x) - lgammal(a));
}

/* Continued fraction for Q(a, x), x >= a + 1 (modified Lentz). */
static long double gamma_q_cf(long double a, long double x)
{
    const long double tiny = 1e-4000L;
    long double b = x + 1.0L - a, c = 1.0L / tiny, d = 1.0L / b, h = d;
    for (int i = 1; i < 100000; i++) {
        long double an = -(long double)i * ((long double)i - a);
        b += 2.0L;
        d = an * d + b;
        if (fabsl(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabsl(c) < tiny)
            c = tiny;
        d = 1.0L / d;
        long double del = d * c;
        h *= del;
        if (fabsl(del - 1.0L) < 1e-21L)
            break;
    }
    return expl(-x + a * logl(x) - lgammal(a)) * h;
}

long double smp_gamma_q(long double a, long double x)
{
    if (x <= 0.0L)
        return 1.0L;
    if (x < a + 1.0L)
        return 1.0L - gamma_p_series(a, x);
    return gamma_q_cf(a, x);
}

/* ---- exact comparisons ---- */

static int near_risk(long double v, uint32_t r_bp)
{
    long double a = (long double)r_bp / SMP_BP;
    return fabsl(v - a) <= SMP_GUARD_REL * a;
}

static int sign_ld(long double v, uint32_t r_bp)
{
    long double a = (long double)r_bp / SMP_BP;
    return (v > a) - (v < a);
}

/* b *= base^e, base <= 10000: four factors at a time (10000^4 < 2^64). */
static void big_mul_pow(smp_big *b, uint64_t base, uint64_t e)
{
    uint64_t b4 = base * base * base * base;
    for (; e >= 4; e -= 4)
        smp_big_mul_u64(b, b4);
    for (; e > 0; e--)
        smp_big_mul_u64(b, base);
}

/* sum_{i<=k} C(n,i) t^i u^(n-i)  vs  r 10000^(n-1), u = 10000 - t. */
static as_code binom_exact(uint64_t k, uint64_t n, uint32_t t, uint32_t r_bp, int *cmp)
{
    uint32_t u = SMP_BP - t;
    smp_big term, sum, rhs;
    smp_big_init(&term);
    smp_big_init(&sum);
    smp_big_init(&rhs);
    smp_big_set_u128(&term, 1);
    big_mul_pow(&term, u, n);                       /* u^n */
    smp_big_set_u128(&sum, 0);
    for (uint64_t i = 0; i <= k && i <= n; i++) {
        smp_big_add(&sum, &term);
        if (i == k || i == n)
            break;
        smp_big_mul_u64(&term, n - i);
        smp_big_mul_u64(&term, t);
        (void)smp_big_divmod_u64(&term, i + 1);      /* exact: the quotient is the next term */
        (void)smp_big_divmod_u64(&term, u);
    }
    smp_big_set_u128(&rhs, r_bp);
    big_mul_pow(&rhs, SMP_BP, n - 1);
    as_code rc = term.oom || sum.oom || rhs.oom ? AS_ERR_NOMEM : AS_OK;
    if (rc == AS_OK)
        *cmp = smp_big_cmp(&sum, &rhs);
    smp_big_fini(&term);
    smp_big_fini(&sum);
    smp_big_fini(&rhs);
    return rc;
}

as_code smp_binom_cdf_cmp_exact(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, int *cmp)
{
    if (p_bp == 0 || p_bp >= SMP_BP || k >= n) {
        *cmp = sign_ld(smp_binom_cdf(k, n, (long double)p_bp / SMP_BP), r_bp);
        return AS_OK;
    }
    return binom_exact(k, n, p_bp, r_bp, cmp);
}

as_code smp_binom_cmp_value(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, long double value, int *cmp)
{
    if (p_bp == 0 || p_bp >= SMP_BP || k >= n || !near_risk(value, r_bp)) {
        *cmp = sign_ld(value, r_bp);
        return AS_OK;
    }
    return binom_exact(k, n, p_bp, r_bp, cmp);
}

as_code smp_binom_cdf_cmp(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, int *cmp, long double *value)
{
    long double v = smp_binom_cdf(k, n, (long double)p_bp / SMP_BP);
    if (value)
        *value = v;
    return smp_binom_cmp_value(k, n, p_bp, r_bp, v, cmp);
}

/* C(m, j) into b. */
static void big_choose(smp_big *b, uint64_t m, uint64_t j)
{
    smp_big_set_u128(b, 1);
    for (uint64_t i = 0; i < j; i++) {
        smp_big_mul_u64(b, m - i);
        (void)smp_big_divmod_u64(b, i + 1);
    }
}

/* 10000 sum_{lo<=i<=x} C(K,i) C(N-K,n-i)  vs  r C(N,n). */
static as_code hyper_exact(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, int *cmp)
{
    uint64_t lo = n > N - K ? n - (N - K) : 0;
    smp_big term, sum, rhs;
    smp_big_init(&term);
    smp_big_init(&sum);
    smp_big_init(&rhs);
    if (lo == 0)
        big_choose(&term, N - K, n);               /* C(K,0) C(N-K,n) */
    else
        big_choose(&term, K, lo);                  /* C(K,lo) C(N-K,N-K) */
    smp_big_set_u128(&sum, 0);
    for (uint64_t i = lo; i <= x; i++) {
        smp_big_add(&sum, &term);
        if (i == x)
            break;
        smp_big_mul_u64(&term, K - i);             /* the product is a multiple of both */
        smp_big_mul_u64(&term, n - i);             /* divisors, so each division is exact */
        (void)smp_big_divmod_u64(&term, i + 1);
        (void)smp_big_divmod_u64(&term, N - K - n + i + 1);
    }
    smp_big_mul_u64(&sum, SMP_BP);
    big_choose(&rhs, N, n);
    smp_big_mul_u64(&rhs, r_bp);
    as_code rc = term.oom || sum.oom || rhs.oom ? AS_ERR_NOMEM : AS_OK;
    if (rc == AS_OK)
        *cmp = smp_big_cmp(&sum, &rhs);
    smp_big_fini(&term);
    smp_big_fini(&sum);
    smp_big_fini(&rhs);
    return rc;
}

as_code smp_hyper_cdf_cmp_exact(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, int *cmp)
{
    uint64_t lo = n > N - K ? n - (N - K) : 0, hi = AS_MIN(n, K);
    if (n > N || K > N || x < lo || x >= hi) {
        *cmp = sign_ld(smp_hyper_cdf(x, N, K, n), r_bp);
        return AS_OK;
    }
    return hyper_exact(x, N, K, n, r_bp, cmp);
}

as_code smp_hyper_cmp_value(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, long double value,
                            int *cmp)
{
    uint64_t lo = n > N - K ? n - (N - K) : 0, hi = AS_MIN(n, K);
    if (n > N || K > N || x < lo || x >= hi || !near_risk(value, r_bp)) {
        *cmp = sign_ld(value, r_bp);
        return AS_OK;
    }
    return hyper_exact(x, N, K, n, r_bp, cmp);
}

as_code smp_hyper_cdf_cmp(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, int *cmp,
                          long double *value)
{
    long double v = smp_hyper_cdf(x, N, K, n);
    if (value)
        *value = v;
    return smp_hyper_cmp_value(x, N, K, n, r_bp, v, cmp);
}
