/* smp_plan.c: sample sizes (see smp.h, docs/sampling.md "Planning").
 *
 * Binomial:       n* = min { n : n > k(n), F_B(k(n); n, TDR) <= risk }
 * Hypergeometric: the same with F_H(k(n); N, K_t, n), K_t = ceil or floor(TDR N)
 * Poisson (MUS):  n* = min { n : Q(1 + n EM, n TM) < risk }  (AICPA C-1)
 * Two-stage:      n* = min { n : P_accept(n, TDR) <= risk } (smp_stages_accept)
 *
 * The scan goes up from n = 1 (never a bisection: with k(n) = ceil(n EDR) the
 * criterion is not monotone in n, sampling.md P21). A cheap lower bound,
 * F >= P(X = 0), skips most n without summing. Each answer is then verified
 * on integers: the criterion holds at n and fails at n - 1.
 */
#include "samplers/smp.h"

#include <math.h>    /* logl, log1pl, expl */
#include <string.h>  /* memset, strcmp */

#include "samplers/smp_big.h"
#include "samplers/smp_dist.h"

const char *smp_model_name(smp_model m)
{
    switch (m) {
    case SMP_MODEL_BINOMIAL:       return "binomial";
    case SMP_MODEL_HYPERGEOMETRIC: return "hypergeometric";
    case SMP_MODEL_POISSON:        return "poisson";
    }
    return "?";
}

int smp_parse_bp(const char *s, uint32_t *bp)
{
    uint64_t whole = 0, frac = 0;
    unsigned nd = 0, nf = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    for (; *p >= '0' && *p <= '9'; p++, nd++)
        if ((whole = whole * 10 + (uint64_t)(*p - '0')) > 100)
            return -1;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf == 2) {
                if (*p != '0')
                    return -1;                      /* finer than a basis point */
                continue;
            }
            frac = frac * 10 + (uint64_t)(*p - '0');
        }
        if (nf == 0)
            return -1;
    }
    if (nd == 0 && nf == 0)
        return -1;
    if (nf == 1)
        frac *= 10;
    while (*p == ' ')
        p++;
    if (*p == '%')
        p++;
    if (*p != '\0')
        return -1;
    uint64_t v = whole * 100 + frac;
    if (v > SMP_BP)
        return -1;
    *bp = (uint32_t)v;
    return 0;
}

uint64_t smp_tolerable_count(uint64_t N, uint32_t tdr_bp, smp_kround r)
{
    unsigned __int128 v = (unsigned __int128)N * tdr_bp;
    if (r == SMP_KROUND_CEIL)
        v += SMP_BP - 1;
    return (uint64_t)(v / SMP_BP);
}

static uint64_t k_of(const smp_plan_req *q, uint64_t n)
{
    if (q->has_count)
        return q->expected_count;
    return (uint64_t)(((unsigned __int128)n * q->edr_bp + SMP_BP - 1) / SMP_BP);
}

long double smp_stages_accept(uint64_t n, unsigned stages, long double p)
{
    long double f0 = smp_binom_pmf(0, n, p), f1 = smp_binom_pmf(1, n, p), s = 0.0L, w = 1.0L;
    for (unsigned j = 0; j < stages; j++) {
        s += w * f0;
        w *= f1;
    }
    return s;
}

/* P_accept on integers: with D = 10000^n, f0 = u^n / D, f1 = n t u^(n-1) / D,
 * sum_j f1^(j-1) f0 <= r / 10000  <=>  sum_j (n t u^(n-1))^(j-1) u^n D^(S-j) 10000 <= r D^S. */
static as_code stages_cmp_exact(uint64_t n, unsigned S, uint32_t t, uint32_t r_bp, int *cmp)
{
    uint32_t u = SMP_BP - t;
    smp_big a, f1, term, sum, rhs;
    smp_big_init(&a);
    smp_big_init(&f1);
    smp_big_init(&term);
    smp_big_init(&sum);
    smp_big_init(&rhs);
    smp_big_set_u128(&a, 1);                        /* u^n */
    for (uint64_t i = 0; i < n; i++)
        smp_big_mul_u64(&a, u);
    smp_big_set_u128(&f1, 1);                       /* n t u^(n-1) */
    for (uint64_t i = 0; i + 1 < n; i++)
        smp_big_mul_u64(&f1, u);
    smp_big_mul_u64(&f1, n);
    smp_big_mul_u64(&f1, t);
    smp_big_set_u128(&sum, 0);
    for (unsigned j = 1; j <= S; j++) {
        smp_big_copy(&term, &a);
        for (unsigned i = 1; i < j; i++)
            smp_big_mul(&term, &f1);
        for (unsigned i = j; i < S; i++)
            for (uint64_t l = 0; l < n; l++)
                smp_big_mul_u64(&term, SMP_BP);
        smp_big_add(&sum, &term);
    }
    smp_big_mul_u64(&sum, SMP_BP);
    smp_big_set_u128(&rhs, r_bp);
    for (uint64_t l = 0; l < (uint64_t)n * S; l++)
        smp_big_mul_u64(&rhs, SMP_BP);
    as_code rc = a.oom || f1.oom || term.oom || sum.oom || rhs.oom ? AS_ERR_NOMEM : AS_OK;
    if (rc == AS_OK)
        *cmp = smp_big_cmp(&sum, &rhs);
    smp_big_fini(&a);
    smp_big_fini(&f1);
    smp_big_fini(&term);
    smp_big_fini(&sum);
    smp_big_fini(&rhs);
    return rc;
}

/* The criterion at n in long double, then exactly near a tie (or always, when
 * exact is set). *pass = criterion holds; *why as SMP_PREV_* when it does not. */
static as_code crit(const smp_plan_req *q, uint64_t K, uint64_t n, int exact, long double log_p0, int *pass,
                    long double *value, uint64_t *k_out, int *why)
{
    uint32_t risk = SMP_BP - q->conf_bp;
    uint64_t k = q->model == SMP_MODEL_POISSON ? 0 : k_of(q, n);  /* Poisson: the taint n EM instead */
    int c = 1;
    *k_out = k;
    *pass = 0;
    *value = 1.0L;
    if (q->model == SMP_MODEL_POISSON) {
        long double tm = q->tm > 0 ? q->tm : (long double)q->tdr_bp / SMP_BP;
        long double em = q->tm > 0 ? q->em : (long double)q->edr_bp / SMP_BP;
        long double v = smp_gamma_q(1.0L + (long double)n * em, (long double)n * tm);
        *value = v;
        *pass = v < (long double)risk / SMP_BP;
        *why = *pass ? SMP_PREV_NONE : SMP_PREV_RISK;
        return AS_OK;
    }
    if (q->stages > 1) {
        long double v = smp_stages_accept(n, q->stages, (long double)q->tdr_bp / SMP_BP);
        long double a = (long double)risk / SMP_BP;
        *value = v;
        if (exact || fabsl(v - a) <= SMP_GUARD_REL * a)
            AS_TRY(stages_cmp_exact(n, q->stages, q->tdr_bp, risk, &c));
        else
            c = (v > a) - (v < a);
        *pass = c <= 0;
        *why = *pass ? SMP_PREV_NONE : SMP_PREV_RISK;
        return AS_OK;
    }
    if (n <= k) {
        *why = SMP_PREV_K_TOO_BIG;
        return AS_OK;
    }
    if (q->model == SMP_MODEL_BINOMIAL) {
        long double v = smp_binom_cdf(k, n, (long double)q->tdr_bp / SMP_BP);
        *value = v;
        if (exact)
            AS_TRY(smp_binom_cdf_cmp_exact(k, n, q->tdr_bp, risk, &c));
        else
            AS_TRY(smp_binom_cmp_value(k, n, q->tdr_bp, risk, v, &c));
    } else {
        long double v = n <= q->N - K ? smp_hyper_cdf_log0(k, q->N, K, n, log_p0) : smp_hyper_cdf(k, q->N, K, n);
        *value = v;
        if (exact)
            AS_TRY(smp_hyper_cdf_cmp_exact(k, q->N, K, n, risk, &c));
        else
            AS_TRY(smp_hyper_cmp_value(k, q->N, K, n, risk, v, &c));
    }
    *pass = c <= 0;
    *why = *pass ? SMP_PREV_NONE : SMP_PREV_RISK;
    return AS_OK;
}

static as_code check_req(const smp_plan_req *q, as_err *err)
{
    if (q->conf_bp == 0 || q->conf_bp >= SMP_BP)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "confidence must be above 0%% and below 100%%");
    if (q->model == SMP_MODEL_POISSON && q->tm > 0) {
        if (!(q->tm < 1.0L) || !(q->em >= 0.0L) || !(q->em < q->tm))
            return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                              "materiality must be below the book value and the expected misstatement below "
                              "the materiality");
        return AS_OK;
    }
    if (q->tdr_bp == 0 || q->tdr_bp >= SMP_BP)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "the tolerable rate must be above 0%% and below 100%%");
    if (q->model == SMP_MODEL_POISSON && q->has_count)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "the Poisson model takes the expected misstatement as a rate (--expected), not a count");
    if (!q->has_count && q->edr_bp >= q->tdr_bp)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "the expected rate (%u.%02u%%) must be below the tolerable rate (%u.%02u%%): no sample "
                          "size can then support reliance",
                          q->edr_bp / 100, q->edr_bp % 100, q->tdr_bp / 100, q->tdr_bp % 100);
    if (q->model == SMP_MODEL_HYPERGEOMETRIC && q->N == 0)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "the hypergeometric model needs the population size");
    if (q->stages > 1 && (q->model != SMP_MODEL_BINOMIAL || q->has_count || q->edr_bp != 0))
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "two-stage plans are binomial with no expected deviations (accept on 0, a second "
                          "stage after exactly 1)");
    if (q->stages > 4)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "at most 4 stages");
    return AS_OK;
}

static void plan_ub(const smp_plan_req *q, smp_plan *o)
{
    if (q->model == SMP_MODEL_POISSON) {
        /* the bound at the expected taint: Gamma^-1(conf; 1 + n EM, n), by bisection on Q */
        long double risk = (long double)(SMP_BP - q->conf_bp) / SMP_BP;
        o->ub = smp_gamma_upper(1.0L + o->expected_taint, risk) / (long double)o->n;
    } else if (q->model == SMP_MODEL_HYPERGEOMETRIC) {
        uint64_t c = 0;
        if (smp_hyper_upper_count(o->k, o->n, q->N, q->conf_bp, &c) == AS_OK)
            o->ub = (long double)c / (long double)q->N;
    } else {
        o->ub = smp_cp_upper(o->k, o->n, q->conf_bp);
    }
}

as_code smp_plan_compute(const smp_plan_req *q, smp_plan *o, as_err *err)
{
    memset(o, 0, sizeof *o);
    AS_TRY(check_req(q, err));
    uint64_t max_n = q->max_n ? q->max_n : SMP_PLAN_MAX_N;
    uint32_t risk = SMP_BP - q->conf_bp;
    long double log_risk = logl((long double)risk / SMP_BP);
    uint64_t K = 0;
    if (q->model == SMP_MODEL_HYPERGEOMETRIC) {
        K = smp_tolerable_count(q->N, q->tdr_bp, q->kround);
        o->K = K;
        if (K == 0) {                               /* no deviation is tolerable: only a census tests it */
            o->n = o->n_total = q->N;
            o->full = 1;
            o->verified = 1;
            return AS_OK;
        }
        if (max_n > q->N)
            max_n = q->N;
    }
    long double p = (long double)q->tdr_bp / SMP_BP, log_q = log1pl(-p);
    long double log_p0 = 0.0L;                      /* hypergeometric log P(X = 0) at n */
    uint64_t found = 0;
    long double v = 0;
    uint64_t k = 0;
    int pass = 0, why = 0;
    for (uint64_t n = 1; n <= max_n; n++) {
        o->tried++;
        if (q->model == SMP_MODEL_HYPERGEOMETRIC && n <= q->N - K)
            log_p0 += log1pl(-(long double)K / (long double)(q->N - n + 1));
        /* F >= P(X = 0): when that alone is above the risk, n fails */
        if (q->model == SMP_MODEL_BINOMIAL && (long double)n * log_q > log_risk + 1e-6L)
            continue;
        if (q->model == SMP_MODEL_HYPERGEOMETRIC && n <= q->N - K && log_p0 > log_risk + 1e-6L)
            continue;
        AS_TRY(crit(q, K, n, 0, log_p0, &pass, &v, &k, &why));
        if (pass) {
            found = n;
            break;
        }
    }
    if (found == 0) {
        if (q->model == SMP_MODEL_HYPERGEOMETRIC) {  /* nothing short of a census: test all N */
            o->n = o->n_total = q->N;
            o->k = k_of(q, q->N);
            o->full = 1;
            o->verified = 1;
            return AS_OK;
        }
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "no sample size up to %llu meets these inputs (the expected rate is too close to "
                          "the tolerable rate); raise the tolerable rate or lower the expected one",
                          (unsigned long long)max_n);
    }
    o->n = found;
    o->n_total = found * (q->stages > 1 ? q->stages : 1);
    o->k = k;
    o->p_at_n = v;
    if (q->model == SMP_MODEL_POISSON)
        o->expected_taint = (long double)found * (q->tm > 0 ? q->em : (long double)q->edr_bp / SMP_BP);

    /* verification: on integers (floating point for Poisson) at n and n - 1 */
    int pass_n = 0, pass_prev = 0;
    long double lp0 = 0.0L, vv = 0;
    uint64_t kk;
    if (q->model == SMP_MODEL_HYPERGEOMETRIC)
        for (uint64_t i = 0; i < found && i < q->N - K; i++)
            lp0 += log1pl(-(long double)K / (long double)(q->N - i));
    AS_TRY(crit(q, K, found, 1, lp0, &pass_n, &vv, &kk, &why));
    if (found == 1) {
        o->prev_why = SMP_PREV_ONE;
        pass_prev = 0;
    } else {
        long double lpp = 0.0L;
        if (q->model == SMP_MODEL_HYPERGEOMETRIC)
            for (uint64_t i = 0; i + 1 < found && i < q->N - K; i++)
                lpp += log1pl(-(long double)K / (long double)(q->N - i));
        AS_TRY(crit(q, K, found - 1, 1, lpp, &pass_prev, &o->p_at_prev, &o->k_prev, &o->prev_why));
    }
    o->verified = pass_n && !pass_prev;
    if (q->N && o->n_total >= q->N)
        o->full = 1;
    plan_ub(q, o);
    return AS_OK;
}

long double smp_double_accept(const smp_double *d, long double p)
{
    long double s = smp_binom_cdf(d->a1, d->n1, p);
    for (uint64_t k = d->a1 + 1; k < d->r1 && k <= d->a2; k++)
        s += smp_binom_pmf(k, d->n1, p) * smp_binom_cdf(d->a2 - k, d->n2, p);
    return s;
}

long double smp_double_implied_rate(const smp_double *d, uint32_t conf_bp)
{
    long double risk = (long double)(SMP_BP - conf_bp) / SMP_BP, lo = 0.0L, hi = 1.0L;
    for (int i = 0; i < 200 && hi - lo > 1e-19L; i++) {
        long double mid = (lo + hi) / 2.0L;
        if (smp_double_accept(d, mid) > risk)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2.0L;
}

/* ---- frequency conventions (sampling.md B.6; judgmental, not statistical) ---- */

static const smp_freq_row k_freq[SMP_FREQ__COUNT] = {
    { "annual",         1,   1,  1,  "F1, F2" },
    { "quarterly",      4,   2,  2,  "F1, F2, F7" },
    { "monthly",        12,  2,  5,  "F7 (2-5), F2 (3), F1 (5)" },
    { "weekly",         52,  5,  15, "F2 (5), F7 (5-15), F1 (15)" },
    { "daily",          365, 25, 40, "F1, F2 (25), F4 (25-40)" },
    { "multiple-daily", 0,   25, 60, "F1 (25), folklore 25-60 (F7 note)" },
};

const smp_freq_row *smp_freq_row_get(smp_freq f)
{
    return (unsigned)f < SMP_FREQ__COUNT ? &k_freq[f] : NULL;
}

int smp_freq_from_name(const char *s, smp_freq *out)
{
    for (unsigned i = 0; i < SMP_FREQ__COUNT; i++)
        if (strcmp(s, k_freq[i].name) == 0) {
            *out = (smp_freq)i;
            return 0;
        }
    return -1;
}
