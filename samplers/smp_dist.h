/* smp_dist.h: the distributions behind planning and evaluation (samplers/
 * only): binomial, hypergeometric and Poisson CDFs, the regularized
 * incomplete gamma function, and exact comparisons of a CDF with a risk.
 *
 * Values are long double (64-bit mantissa). Every CDF starts from the log of
 * its first term, computed as a sum of log1p terms (never lgamma of a large
 * number minus another), and adds the terms by their ratio, rescaling so
 * nothing underflows: relative error about (terms) x 1e-19.
 *
 * Comparing a CDF with a risk r/10000 (risk in basis points: 95% confidence
 * is r = 500) is decided in long double when the two differ by more than
 * SMP_GUARD_REL relative; inside that band it is decided exactly on
 * integers (smp_big.h), so exact ties (sampling.md H12, H14) are exact.
 * Thread-safety: pure functions.
 */
#ifndef ASSAY_SMP_DIST_H
#define ASSAY_SMP_DIST_H

#include "core/as_def.h"
#include "core/as_err.h"
#include "samplers/smp.h"  /* SMP_BP */

#define SMP_GUARD_REL 1e-9L      /* relative band around the risk decided exactly */

/* P(X <= k), X ~ Binomial(n, p), 0 <= p <= 1. */
long double smp_binom_cdf(uint64_t k, uint64_t n, long double p);
/* P(X = k). */
long double smp_binom_pmf(uint64_t k, uint64_t n, long double p);
/* P(X <= x), X ~ Hypergeometric(N items, K of them deviations, n drawn). */
long double smp_hyper_cdf(uint64_t x, uint64_t N, uint64_t K, uint64_t n);
/* The same with log P(X = 0) given (planning updates it incrementally as n
 * grows; only when n <= N - K). */
long double smp_hyper_cdf_log0(uint64_t x, uint64_t N, uint64_t K, uint64_t n, long double log_p0);
/* Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma
 * function, a > 0, x >= 0. For integer a = k + 1 it is the Poisson CDF
 * P(X <= k) at mean x. */
long double smp_gamma_q(long double a, long double x);

/* The lambda with Q(a, lambda) = risk (a Gamma(a, 1) quantile at 1 - risk),
 * by bisection (Q grows with a and falls with lambda). */
long double smp_gamma_upper(long double a, long double risk);

/* Exact comparisons. Each sets *cmp to <0, 0, >0 as the CDF is below, equal
 * to or above r_bp / 10000, *value (may be NULL) to the CDF, and returns
 * AS_OK or AS_ERR_NOMEM (the exact path ran out of memory). */
as_code smp_binom_cdf_cmp(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, int *cmp,
                          long double *value) AS_MUST_USE;
as_code smp_hyper_cdf_cmp(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp, int *cmp,
                          long double *value) AS_MUST_USE;
/* Always on integers, never floating point: what planning's verification
 * at n and n - 1 uses. */
as_code smp_binom_cdf_cmp_exact(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, int *cmp) AS_MUST_USE;
as_code smp_hyper_cdf_cmp_exact(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp,
                                int *cmp) AS_MUST_USE;
/* The same, with a long double value the caller already has (planning). */
as_code smp_binom_cmp_value(uint64_t k, uint64_t n, uint32_t p_bp, uint32_t r_bp, long double value,
                            int *cmp) AS_MUST_USE;
as_code smp_hyper_cmp_value(uint64_t x, uint64_t N, uint64_t K, uint64_t n, uint32_t r_bp,
                            long double value, int *cmp) AS_MUST_USE;

#endif
