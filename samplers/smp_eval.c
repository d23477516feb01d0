/* smp_eval.c: evaluation of a tested sample (see smp.h, docs/sampling.md
 * "Evaluation").
 *
 * Binomial:       Clopper-Pearson one-sided upper limit p_U, F_B(x; n, p_U) = risk,
 *                 by bisection on p (F_B is strictly decreasing in p).
 * Hypergeometric: the largest K not rejected, max { K : F_H(x; N, K, n) > risk },
 *                 by bisection on K (F_H is decreasing in K); ub = K / N.
 * Poisson:        lambda with P(Poisson(lambda) <= x) = risk, ub = lambda / n;
 *                 with taints, Stringer: (lambda_0 + sum (lambda_i - lambda_{i-1}) t_(i)) / n,
 *                 taints sorted from the largest.
 * The conclusion: supports reliance iff P(X <= x | TDR) <= risk (exactly, near
 * a tie), which is the same as ub <= TDR.
 */
#include "samplers/smp.h"

#include <math.h>    /* expm1l, logl, ceill */
#include <string.h>  /* memset */

#include "samplers/smp_dist.h"

long double smp_cp_upper(uint64_t x, uint64_t n, uint32_t conf_bp)
{
    long double risk = (long double)(SMP_BP - conf_bp) / SMP_BP;
    if (n == 0 || x >= n)
        return 1.0L;
    if (x == 0)
        return -expm1l(logl(risk) / (long double)n);   /* 1 - risk^(1/n) */
    long double lo = (long double)x / (long double)n, hi = 1.0L;
    for (int i = 0; i < 200 && hi - lo > 1e-19L; i++) {
        long double mid = (lo + hi) / 2.0L;
        if (smp_binom_cdf(x, n, mid) > risk)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2.0L;
}

long double smp_poisson_factor(uint64_t x, uint32_t conf_bp)
{
    long double risk = (long double)(SMP_BP - conf_bp) / SMP_BP;
    if (x == 0)
        return -logl(risk);
    return smp_gamma_upper((long double)x + 1.0L, risk);
}

as_code smp_hyper_upper_count(uint64_t x, uint64_t n, uint64_t N, uint32_t conf_bp, uint64_t *out)
{
    uint32_t risk = SMP_BP - conf_bp;
    if (x >= n) {
        *out = N;
        return AS_OK;
    }
    /* F(x | K = x) = 1 > risk: lo is never rejected; hi = N - (n - x) + 1 is
     * past the largest K the sample allows (n - x items are not deviations). */
    uint64_t lo = x, hi = N - (n - x) + 1;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        int c;
        AS_TRY(smp_hyper_cdf_cmp(x, N, mid, n, risk, &c, NULL));
        if (c > 0)
            lo = mid;
        else
            hi = mid;
    }
    *out = lo;
    return AS_OK;
}

long double smp_table_pct(long double ub)
{
    return ceill(1000.0L * ub - 1e-9L) / 10.0L;
}

/* Sorts a copy of the taints from the largest (insertion sort: x is small). */
static long double stringer(const smp_eval_req *q)
{
    long double prev = smp_poisson_factor(0, q->conf_bp), sum = prev, t[64];
    uint64_t m = q->x;
    if (q->taints == NULL || m > AS_ARRAY_LEN(t))
        return smp_poisson_factor(q->x, q->conf_bp) / (long double)q->n;
    for (uint64_t i = 0; i < m; i++) {
        long double v = q->taints[i];
        uint64_t j = i;
        /* t[0..i-1] were written by the earlier iterations */
        // cppcheck-suppress uninitvar
        while (j > 0 && t[j - 1] < v) {
            t[j] = t[j - 1];
            j--;
        }
        t[j] = v;
    }
    for (uint64_t i = 1; i <= m; i++) {
        long double f = smp_poisson_factor(i, q->conf_bp);
        sum += (f - prev) * t[i - 1];
        prev = f;
    }
    return sum / (long double)q->n;
}

as_code smp_eval_compute(const smp_eval_req *q, smp_eval *o, as_err *err)
{
    memset(o, 0, sizeof *o);
    uint32_t risk = SMP_BP - q->conf_bp;
    if (q->conf_bp == 0 || q->conf_bp >= SMP_BP)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "confidence must be above 0%% and below 100%%");
    if (q->n == 0)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "the sample size must be at least 1");
    if (q->x > q->n)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "%llu deviations cannot be found in a sample of %llu", (unsigned long long)q->x,
                          (unsigned long long)q->n);
    if (q->tdr_bp >= SMP_BP)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "the tolerable rate must be below 100%%");
    if (q->model == SMP_MODEL_HYPERGEOMETRIC && (q->N == 0 || q->N < q->n))
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "the hypergeometric model needs a population at least as large as the sample");
    if (q->taints)
        for (uint64_t i = 0; i < q->x; i++)
            if (!(q->taints[i] > 0.0L && q->taints[i] <= 1.0L))
                return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "a taint must be above 0 and at most 1");
    o->mle = (long double)q->x / (long double)q->n;
    switch (q->model) {
    case SMP_MODEL_BINOMIAL:
        o->ub = smp_cp_upper(q->x, q->n, q->conf_bp);
        break;
    case SMP_MODEL_HYPERGEOMETRIC:
        AS_TRY(smp_hyper_upper_count(q->x, q->n, q->N, q->conf_bp, &o->ub_count));
        o->ub = (long double)o->ub_count / (long double)q->N;
        break;
    case SMP_MODEL_POISSON:
        o->ub = stringer(q);
        if (q->taints) {
            long double t = 0;
            for (uint64_t i = 0; i < q->x; i++)
                t += q->taints[i];
            o->mle = t / (long double)q->n;
        }
        break;
    }
    o->ub_table_pct = smp_table_pct(o->ub);
    o->precision = o->ub - o->mle;
    if (q->tdr_bp == 0)
        return AS_OK;
    o->has_conclusion = 1;
    int c = 0;
    switch (q->model) {
    case SMP_MODEL_BINOMIAL:
        AS_TRY(smp_binom_cdf_cmp(q->x, q->n, q->tdr_bp, risk, &c, &o->p_value));
        break;
    case SMP_MODEL_HYPERGEOMETRIC:
        o->K_t = smp_tolerable_count(q->N, q->tdr_bp, q->kround);
        AS_TRY(smp_hyper_cdf_cmp(q->x, q->N, o->K_t, q->n, risk, &c, &o->p_value));
        break;
    case SMP_MODEL_POISSON: {
        /* P(Poisson(n TM) <= x); with taints the Stringer bound decides */
        long double a = 1.0L + (q->taints ? o->mle * (long double)q->n : (long double)q->x);
        o->p_value = smp_gamma_q(a, (long double)q->n * q->tdr_bp / SMP_BP);
        c = q->taints ? (o->ub > (long double)q->tdr_bp / SMP_BP ? 1 : -1)
                      : (o->p_value > (long double)risk / SMP_BP) - (o->p_value < (long double)risk / SMP_BP);
        break;
    }
    }
    o->supports = c <= 0;
    return AS_OK;
}

as_code smp_eval_strata(const uint64_t *N_h, const uint64_t *n_h, const uint64_t *x_h, size_t H, uint32_t conf_bp,
                        uint32_t tdr_bp, uint64_t *K_out, smp_strata_eval *out, as_err *err)
{
    memset(out, 0, sizeof *out);
    if (H == 0 || conf_bp == 0 || conf_bp >= SMP_BP) {
        as_err_set(err, AS_ERR_USAGE, (as_loc){ 0 }, "no strata, or a confidence outside (0, 100)");
        return AS_ERR_USAGE;
    }
    uint32_t risk_each = (uint32_t)((SMP_BP - conf_bp) / H);
    if (risk_each == 0) {
        as_err_set(err, AS_ERR_USAGE, (as_loc){ 0 },
                   "%zu strata: the sampling risk split over them is below 0.01%% each", H);
        return AS_ERR_USAGE;
    }
    out->conf_each_bp = SMP_BP - risk_each;
    for (size_t h = 0; h < H; h++) {
        if (n_h[h] > N_h[h] || x_h[h] > n_h[h]) {
            as_err_set(err, AS_ERR_USAGE, (as_loc){ 0 },
                       "stratum %zu: %llu deviations in %llu tested of %llu items", h + 1,
                       (unsigned long long)x_h[h], (unsigned long long)n_h[h], (unsigned long long)N_h[h]);
            return AS_ERR_USAGE;
        }
        uint64_t K = N_h[h];                        /* nothing tested: every item may deviate */
        if (n_h[h] > 0) {
            as_code rc = smp_hyper_upper_count(x_h[h], n_h[h], N_h[h], out->conf_each_bp, &K);
            if (rc != AS_OK) {
                as_err_set(err, rc, (as_loc){ 0 }, "stratum %zu: the hypergeometric limit failed", h + 1);
                return rc;
            }
        }
        K_out[h] = K;
        out->N += N_h[h];
        out->n += n_h[h];
        out->x += x_h[h];
        out->K += K;
    }
    out->ub = out->N ? (long double)out->K / (long double)out->N : 1.0L;
    out->ub_table_pct = smp_table_pct(out->ub);
    /* proportional: what smp_allocate gives with no minimum */
    uint64_t *prop = as_calloc(H, sizeof *prop);
    if (prop == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, "out of memory");
        return AS_ERR_NOMEM;
    }
    as_err e2;
    as_err_clear(&e2);
    out->proportional = smp_allocate(N_h, H, out->n, 0, prop, &e2) == AS_OK &&
                        memcmp(prop, n_h, H * sizeof *prop) == 0;
    as_free(prop);
    if (tdr_bp) {
        out->has_conclusion = 1;                    /* K / N <= TDR, on integers */
        out->supports = (unsigned __int128)out->K * SMP_BP <= (unsigned __int128)tdr_bp * out->N;
    }
    return AS_OK;
}
