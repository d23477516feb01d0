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

/* Keeps the running term t and sum s (both scaled by exp(-L)) in range. */
static inline void rescale(long double *s, long double *t, long double *L)
{
    if (*s > RESCALE_AT) {
        *s *= RESCALE_BY;
        *t *= RESCALE_BY;
        *L += RESCALE_LOG;
    }
}

static inline long double finish_sum(long double L, long double s)
{
    long double v = expl(L + logl(s));
    return v > 1.0L ? 1.0L : v;
}

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
        rescale(&s, &t, &L);
    }
    return finish_sum(L, s);
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
        rescale(&s, &t, &L);
    }
    return finish_sum(L, s);
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

long double smp_gamma_upper(long double a, long double risk)
{
    long double lo = 0.0L, hi = a + 10.0L;
    while (smp_gamma_q(a, hi) > risk)
        hi *= 2.0L;
    for (int i = 0; i < 200 && hi - lo > 1e-19L * hi; i++) {
        long double mid = (lo + hi) / 2.0L;
        if (smp_gamma_q(a, mid) > risk)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2.0L;
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

/* b *= x y, and b /= x y exactly: one pass over the limbs when x y fits 32
 * bits (the fast path of smp_big), two otherwise. */
static void big_mul2(smp_big *b, uint64_t x, uint64_t y)
{
    if (x <= UINT32_MAX && y <= UINT32_MAX && x * y <= UINT32_MAX) {
        smp_big_mul_u64(b, x * y);
        return;
    }
    smp_big_mul_u64(b, x);
    smp_big_mul_u64(b, y);
}

static void big_div2(smp_big *b, uint64_t x, uint64_t y)
{
    if (x <= UINT32_MAX && y <= UINT32_MAX && x * y <= UINT32_MAX) {
        (void)smp_big_divmod_u64(b, x * y);
        return;
    }
    (void)smp_big_divmod_u64(b, x);
    (void)smp_big_divmod_u64(b, y);
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* b *= base^e for base < 2^32: as many factors at a time as fit 32 bits. */
static void big_mul_pow_any(smp_big *b, uint64_t base, uint64_t e)
{
    if (base <= 1 || e == 0) {
        if (base == 0 && e)
            smp_big_set_u128(b, 0);
        return;
    }
    uint64_t chunk = base, per = 1;
    while (chunk * base <= UINT32_MAX) {
        chunk *= base;
        per++;
    }
    for (; e >= per; e -= per)
        smp_big_mul_u64(b, chunk);
    for (; e > 0; e--)
        smp_big_mul_u64(b, base);
}

/* F_B(k; n, t/10000) <= r/10000 on integers, u = 10000 - t:
 *   S = sum_{i<=k} C(n,i) t^i u^(n-i) = u^(n-k) S',  S' = sum_{i<=k} C(n,i) t^i u^(k-i)
 *   F <= r/10000  <=>  u^(n-k) S' <= r 10000^(n-1)
 * With g = gcd(u, 10000), u = g u', 10000 = g w', the common g^m (m =
 * min(n-k, n-1)) is cancelled: g^(n-k-m) u'^(n-k) S' vs r g^(n-1-m) w'^(n-1).
 * S' stays small (k terms of ~k digits); the powers shrink by log g / log u. */
static as_code binom_exact(uint64_t k, uint64_t n, uint32_t t, uint32_t r_bp, int *cmp)
{
    uint64_t u = SMP_BP - t, g = gcd_u64(u, SMP_BP), u1 = u / g, w1 = SMP_BP / g;
    uint64_t m = AS_MIN(n - k, n - 1);
    smp_big term, sum, lhs, rhs;
    smp_big_init(&term);
    smp_big_init(&sum);
    smp_big_init(&lhs);
    smp_big_init(&rhs);
    smp_big_set_u128(&term, 1);
    big_mul_pow_any(&term, u, k);                   /* C(n,0) t^0 u^k */
    smp_big_set_u128(&sum, 0);
    for (uint64_t i = 0; i <= k; i++) {
        smp_big_add(&sum, &term);
        if (i == k)
            break;
        big_mul2(&term, n - i, t);
        big_div2(&term, i + 1, u);                  /* exact: the quotient is the next term */
    }
    smp_big_set_u128(&lhs, 1);
    big_mul_pow_any(&lhs, g, n - k - m);
    big_mul_pow_any(&lhs, u1, n - k);
    smp_big_mul(&lhs, &sum);
    smp_big_set_u128(&rhs, r_bp);
    big_mul_pow_any(&rhs, g, n - 1 - m);
    big_mul_pow_any(&rhs, w1, n - 1);
    as_code rc = term.oom || sum.oom || lhs.oom || rhs.oom ? AS_ERR_NOMEM : AS_OK;
    if (rc == AS_OK)
        *cmp = smp_big_cmp(&lhs, &rhs);
    smp_big_fini(&term);
    smp_big_fini(&sum);
    smp_big_fini(&lhs);
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

/* b *= prod_{j=from}^{to-1} (m - j): a falling factorial, no division. */
static void big_mul_falling(smp_big *b, uint64_t m, uint64_t from, uint64_t to)
{
    for (uint64_t j = from; j < to; j++) {
        uint64_t f = m - j;
        if (j + 1 < to && f <= UINT32_MAX && f * (m - j - 1) <= UINT32_MAX) {
            smp_big_mul_u64(b, f * (m - j - 1));   /* two factors in one pass */
            j++;
        } else {
            smp_big_mul_u64(b, f);
        }
    }
}

/* F_H(x; N, K, n) <= r/10000 on integers. Multiplying P(X = i) =
 * C(K,i) C(N-K,n-i) / C(N,n) by n! turns every binomial coefficient but
 * C(K,i) into falling factorials (no division):
 *   n! C(N-K,n-i) = (n)_i (N-K)_(n-i),   n! C(N,n) = (N)_n,
 * and (N-K)_(n-i) = (N-K)_(n-x) prod_{j=n-x}^{n-i-1} (N-K-j), so
 *   F <= r/10000  <=>  10000 (N-K)_(n-x) S'' <= r (N)_n,
 *   S'' = sum_{lo<=i<=x} C(K,i) (n)_i prod_{j=n-x}^{n-i-1} (N-K-j)   (small). */
static as_code hyper_exact(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, int *cmp)
{
    uint64_t lo = n > N - K ? n - (N - K) : 0;
    smp_big term, sum, lhs, rhs;
    smp_big_init(&term);
    smp_big_init(&sum);
    smp_big_init(&lhs);
    smp_big_init(&rhs);
    smp_big_set_u128(&sum, 0);
    for (uint64_t i = lo; i <= x; i++) {
        big_choose(&term, K, i);
        big_mul_falling(&term, n, 0, i);                 /* (n)_i */
        big_mul_falling(&term, N - K, n - x, n - i);     /* prod_{j=n-x}^{n-i-1} (N-K-j) */
        smp_big_add(&sum, &term);
    }
    smp_big_set_u128(&lhs, SMP_BP);
    big_mul_falling(&lhs, N - K, 0, n - x);              /* (N-K)_(n-x) */
    smp_big_mul(&lhs, &sum);
    smp_big_set_u128(&rhs, r_bp);
    big_mul_falling(&rhs, N, 0, n);                      /* (N)_n */
    as_code rc = term.oom || sum.oom || lhs.oom || rhs.oom ? AS_ERR_NOMEM : AS_OK;
    if (rc == AS_OK)
        *cmp = smp_big_cmp(&lhs, &rhs);
    smp_big_fini(&term);
    smp_big_fini(&sum);
    smp_big_fini(&lhs);
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
