/* smp.h: the public header of samplers/: how many items to test (planning),
 * which items (seeded, re-performable selection), and what the results mean
 * (evaluation). The formulas, conventions and test vectors are in
 * docs/sampling.md; the re-performance recipes in docs/reperform.md.
 *
 * Exactness rules (docs/sampling.md "Exactness"):
 *   - rates and confidence are integer basis points (5% = 500, 97.5% =
 *     9750); risk is 10000 - confidence, never 1 - 0.95 in doubles;
 *   - expected deviations k(n) = ceil(n * EDR) = (n * e_bp + 9999) / 10000
 *     in 64-bit integers;
 *   - "P <= risk passes", decided exactly on integers near a tie;
 *   - the smallest n is found by scanning n upward, never by bisection (the
 *     criterion is not monotone in n), and verified on integers at n and n - 1.
 * Library code never prints: results are structs, failures as_err.
 * Thread-safety: every function here is reentrant; selection state
 * (smp_bottomk) belongs to one thread and merges with others afterwards.
 */
#ifndef ASSAY_SMP_H
#define ASSAY_SMP_H

#include "core/as.h"

#define SMP_BP 10000u          /* basis points in 1 */
#define SMP_PLAN_MAX_N 50000u /* default search limit for n: past it, say the plan is impossible */

typedef enum smp_model {
    SMP_MODEL_BINOMIAL = 0,    /* large population (AICPA) */
    SMP_MODEL_HYPERGEOMETRIC,  /* finite population N */
    SMP_MODEL_POISSON,         /* monetary-unit sampling (AICPA C-1) */
} smp_model;

const char *smp_model_name(smp_model m);  /* "binomial", "hypergeometric", "poisson" */

/* How the tolerable number of deviations K_t = TDR x N is made an integer. */
typedef enum smp_kround {
    SMP_KROUND_CEIL = 0,  /* jfa, EZ-Quant, AuditSampler (default) */
    SMP_KROUND_FLOOR,     /* R PracTools nAuditAttr */
} smp_kround;

/* K_t for a population of N at tdr_bp, exactly. */
uint64_t smp_tolerable_count(uint64_t N, uint32_t tdr_bp, smp_kround r);

/* Parses a percentage as users write it, "95", "95%", "97.5", "2.25 %",
 * into basis points (at most two decimals, 0 .. 100%). 0, or -1 when it is
 * not one (more decimals, a sign, a fraction such as 0.95 is read as 0.95%). */
int smp_parse_bp(const char *s, uint32_t *bp) AS_MUST_USE;

/* ---- planning ---- */
typedef struct smp_plan_req {
    smp_model   model;
    uint32_t    conf_bp;         /* confidence, 1..9999 basis points */
    uint32_t    tdr_bp;          /* tolerable deviation rate (poisson: tolerable misstatement) */
    uint32_t    edr_bp;          /* expected deviation rate (poisson: expected misstatement) */
    int         has_count;       /* expected deviations given as a count (not with poisson) */
    uint64_t    expected_count;
    uint64_t    N;               /* population size; 0 = not given */
    smp_kround  kround;
    unsigned    stages;          /* 1, or 2..4: see smp_plan.stages (binomial only) */
    uint64_t    max_n;           /* search limit; 0 = SMP_PLAN_MAX_N */
    long double tm, em;          /* poisson only: when tm > 0, the tolerable and expected misstatement as
                                    exact fractions of the book value (--materiality AMOUNT), instead of
                                    tdr_bp and edr_bp */
} smp_plan_req;

typedef struct smp_plan {
    uint64_t    n;               /* sample size (per stage when stages > 1) */
    uint64_t    n_total;         /* n x stages: the most items tested */
    uint64_t    k;               /* deviations allowed, k(n) (poisson: 0, see expected_taint) */
    uint64_t    K;               /* hypergeometric: tolerable deviations in the population (K_t) */
    long double p_at_n;          /* P(accept | TDR) at n: <= risk */
    uint64_t    k_prev;          /* k(n - 1) */
    long double p_at_prev;       /* at n - 1 (when prev_why == SMP_PREV_RISK) */
    int         prev_why;        /* why n - 1 fails: SMP_PREV_* */
    int         verified;        /* the exact recomputation at n and n - 1 agrees */
    int         full;            /* the population is not larger than the sample: test all N */
    long double ub;              /* the upper limit if k deviations are found in n */
    long double expected_taint;  /* poisson: n x EM (not rounded) */
    uint64_t    tried;           /* values of n examined */
} smp_plan;

enum { SMP_PREV_NONE = 0, SMP_PREV_RISK, SMP_PREV_K_TOO_BIG, SMP_PREV_ONE };

/* Computes the plan. AS_OK, or AS_ERR_USAGE (inputs out of range, no n up to
 * max_n: err says why) or AS_ERR_NOMEM. */
as_code smp_plan_compute(const smp_plan_req *req, smp_plan *out, as_err *err) AS_MUST_USE;

/* Two-stage acceptance (stages S >= 2, sampling.md S1/S2): stage j (1..S)
 * draws n more items; zero deviations in it accepts; exactly one deviation
 * in each of stages 1..j-1 is what leads to stage j; anything else rejects.
 * P(accept | p) = sum_{j=1..S} f(1; n, p)^(j-1) f(0; n, p). */
long double smp_stages_accept(uint64_t n, unsigned stages, long double p);

/* A general double-sampling plan (sampling.md F1, F9): draw n1; accept with
 * at most a1 deviations, reject with r1 or more; otherwise draw n2 more and
 * accept when the total is at most a2. "25, allow 1, else +25 with no further
 * exception" is (25, 1, 3, 25, 2); "25 clean, or 1 then +25 clean" is
 * (25, 0, 2, 25, 1), the same as stages = 2.
 * P(accept | p) = F(a1; n1) + sum_{a1 < d < r1} f(d; n1) F(a2 - d; n2). */
typedef struct smp_double {
    uint64_t n1, a1, r1, n2, a2;
} smp_double;
long double smp_double_accept(const smp_double *d, long double p);
/* The deviation rate at which P(accept) equals the risk: the tolerable rate
 * the plan really tests at that confidence (bisection: P falls as p grows). */
long double smp_double_implied_rate(const smp_double *d, uint32_t conf_bp);

/* ---- frequency conventions for periodic controls ---- */
typedef enum smp_freq {
    SMP_FREQ_ANNUAL = 0, SMP_FREQ_QUARTERLY, SMP_FREQ_MONTHLY, SMP_FREQ_WEEKLY, SMP_FREQ_DAILY,
    SMP_FREQ_MULTIPLE_DAILY, SMP_FREQ__COUNT
} smp_freq;

typedef struct smp_freq_row {
    const char *name;        /* "monthly" */
    uint64_t    per_year;    /* occurrences in a year (0: many, unknown) */
    uint64_t    n_low, n_high; /* the convention's range */
    const char *source;      /* sampling.md B.6 ids */
} smp_freq_row;

const smp_freq_row *smp_freq_row_get(smp_freq f);
int smp_freq_from_name(const char *s, smp_freq *out); /* 0 or -1 */

/* ---- evaluation ---- */
typedef struct smp_eval_req {
    smp_model   model;
    uint32_t    conf_bp;
    uint64_t    n, x;            /* sample size, deviations found (poisson: errors) */
    uint64_t    N;               /* hypergeometric: population */
    uint32_t    tdr_bp;          /* 0 = no tolerable rate: no conclusion */
    smp_kround  kround;
    const long double *taints;   /* poisson: x taints in (0, 1] (NULL = all 1): Stringer bound */
} smp_eval_req;

typedef struct smp_eval {
    long double ub;              /* exact one-sided upper limit, a fraction */
    long double ub_table_pct;    /* AICPA table form: ceil(1000 ub) / 10, in percent */
    uint64_t    ub_count;        /* hypergeometric: largest K not rejected (ub = ub_count / N) */
    long double mle;             /* x / n */
    long double precision;       /* ub - mle: the allowance for sampling risk */
    long double p_value;         /* P(X <= x | TDR) (hypergeometric: at K_t) */
    uint64_t    K_t;             /* hypergeometric: K at the tolerable rate */
    int         has_conclusion;  /* a tolerable rate was given */
    int         supports;        /* p_value <= risk (ub <= TDR): the sample supports reliance */
} smp_eval;

as_code smp_eval_compute(const smp_eval_req *req, smp_eval *out, as_err *err) AS_MUST_USE;

/* A stratified sample (strata of known sizes N_h, n_h tested, x_h
 * deviations) bounded as a whole without Monte Carlo: every stratum's exact
 * hypergeometric limit K_h (the largest K not rejected) at the risk split
 * evenly, floor(risk / H) basis points each (Bonferroni: the strata are
 * sampled independently, so all H limits hold together with probability at
 * least 1 - H floor(risk / H) >= the confidence). The population then holds
 * at most sum K_h deviations: upper limit = sum K_h / sum N_h. Conservative
 * and deterministic; it is what governs a disproportionate allocation,
 * where the pooled sample is not self-weighting (docs/sampling.md). */
typedef struct smp_strata_eval {
    uint32_t    conf_each_bp;   /* the confidence of each stratum's limit */
    uint64_t    N, n, x;        /* totals */
    uint64_t    K;              /* sum of the strata's K_h */
    long double ub;             /* K / N */
    long double ub_table_pct;
    int         proportional;   /* n_h is the largest-remainder proportional allocation of n */
    int         has_conclusion, supports;  /* ub <= TDR */
} smp_strata_eval;

/* K_out (H entries) receives each stratum's K_h. AS_ERR_USAGE (err says why)
 * when n_h > N_h, x_h > n_h, or H is too large for the risk (floor(risk / H) = 0). */
as_code smp_eval_strata(const uint64_t *N_h, const uint64_t *n_h, const uint64_t *x_h, size_t H, uint32_t conf_bp,
                        uint32_t tdr_bp, uint64_t *K_out, smp_strata_eval *out, as_err *err) AS_MUST_USE;

/* Clopper-Pearson one-sided upper limit: p with P(X <= x | n, p) = risk. */
long double smp_cp_upper(uint64_t x, uint64_t n, uint32_t conf_bp);
/* Poisson upper factor: lambda with P(Poisson(lambda) <= x) = risk (M7). */
long double smp_poisson_factor(uint64_t x, uint32_t conf_bp);
/* Hypergeometric: the largest K in [x, N] with P(X <= x | N, K, n) > risk. */
as_code smp_hyper_upper_count(uint64_t x, uint64_t n, uint64_t N, uint32_t conf_bp, uint64_t *out) AS_MUST_USE;
/* ceil(1000 ub) / 10, guarded so that an exact 0.1 step does not round up. */
long double smp_table_pct(long double ub);

/* ---- seeds and keys (docs/reperform.md) ----
 * A seed is text (its bytes are the HMAC key: openssl -macopt key:TEXT) or
 * "hex:0011..." (raw bytes: -macopt hexkey:0011...), at most 64 bytes of
 * key. `--seed random` draws 32 bytes from the OS (getrandom) as a hex seed.
 * key(id) = first 8 bytes of HMAC-SHA256(key, id) as a big-endian uint64. */
#define SMP_SEED_RANDOM_BYTES 32
#define SMP_ALGORITHM "assay-smp"   /* the selection algorithms' name in sample.json */
#define SMP_ALGORITHM_VERSION 1     /* bumped whenever any selection would change */

typedef struct smp_seed {
    char    text[140];  /* as given ("hex:" + up to 128 hex digits fits) */
    uint8_t key[64];    /* the HMAC key bytes */
    size_t  key_len;
    int     is_hex;     /* given as hex: (openssl hexkey:) */
    int     is_random;  /* drawn from the OS by smp_seed_random */
} smp_seed;

int smp_seed_parse(const char *s, smp_seed *out) AS_MUST_USE;  /* 0, or -1: empty, too long, bad hex */
int smp_seed_random(smp_seed *out) AS_MUST_USE;               /* 0, or -1 when the OS gives none */

/* Prepared HMAC states for one seed: two SHA-256 finalisations a key, no
 * allocation. One keyer per thread. */
typedef struct smp_keyer smp_keyer;
smp_keyer *smp_keyer_new(const smp_seed *s) AS_MUST_USE;
void       smp_keyer_free(smp_keyer *k);
int        smp_keyer_mac(smp_keyer *k, as_slice msg, uint8_t out[AS_SHA256_LEN]) AS_MUST_USE;
int        smp_keyer_key(smp_keyer *k, as_slice id, uint64_t *key) AS_MUST_USE;
/* The keys of n ids at once (keys[i] = smp_keyer_key of ids[i]; a keyer
 * belongs to one thread, as every smp_keyer call): 16 at a
 * time on CPUs with AVX-512 (smp_mb.h), one by one otherwise. */
int        smp_keyer_keys(smp_keyer *k, const as_slice *ids, size_t n, uint64_t *keys) AS_MUST_USE;
/* Tests and benchmarks: off = always one by one; returns whether it is on. */
int        smp_keyer_set_multibuffer(smp_keyer *k, int on);
/* The key of the message "LABEL-J" (or "LABEL" when j = 0): the draws of
 * systematic and MUS starts ("assay-systematic-start") and of cells
 * ("assay-cell-J"). */
int        smp_keyer_draw(smp_keyer *k, const char *label, uint64_t j, uint64_t *key) AS_MUST_USE;
uint64_t   smp_key_from_mac(const uint8_t mac[AS_SHA256_LEN]);

/* ---- bottom-k: the k smallest (key, id) of a stream, ties by id bytes ---- */
typedef struct smp_bk_ent {
    uint64_t key;
    char    *id;        /* owned copy */
    size_t   id_len;
    void    *payload;   /* owned; freed with free_payload */
} smp_bk_ent;

typedef struct smp_bottomk {
    uint64_t    k;
    smp_bk_ent *v;      /* max-heap (root = largest kept pair) until smp_bottomk_sort */
    size_t      n, cap;
    void      (*free_payload)(void *);
} smp_bottomk;

int     smp_pair_cmp(uint64_t ka, as_slice ia, uint64_t kb, as_slice ib);
void    smp_bottomk_init(smp_bottomk *b, uint64_t k, void (*free_payload)(void *));
void    smp_bottomk_fini(smp_bottomk *b);
/* Would (key, id) be kept now? Cheap: callers test it before copying a record out. */
int     smp_bottomk_wants(const smp_bottomk *b, uint64_t key, as_slice id);
/* Offers a pair; payload is owned by the heap from here on (freed at once
 * when not kept). AS_OK or AS_ERR_NOMEM. */
as_code smp_bottomk_push(smp_bottomk *b, uint64_t key, as_slice id, void *payload) AS_MUST_USE;
/* Moves src's entries into dst (src is left empty): the bottom-k of both. */
as_code smp_bottomk_merge(smp_bottomk *dst, smp_bottomk *src) AS_MUST_USE;
/* Sorts the kept entries from the smallest; the heap is no longer a heap. */
void    smp_bottomk_sort(smp_bottomk *b);

/* A worker's prefilter in front of a bottom-k: the k smallest keys it has
 * offered (a max-heap of keys alone, no ids, no payloads). offer() answers 0
 * only when k keys strictly below this one were offered before, so such an
 * item cannot be among the k smallest (key, id) pairs of any stream that
 * contains those k: a filter never drops an item of the bottom-k, and lets
 * about k (1 + ln(N / k)) of N random keys through. Memory grows with the
 * keys kept, up to k. */
typedef struct smp_kfilter {
    uint64_t *v;
    size_t    n, cap;
    uint64_t  k;
    int       oom;      /* a failed growth: offer() then lets everything through */
} smp_kfilter;

void smp_kfilter_init(smp_kfilter *f, uint64_t k);
void smp_kfilter_fini(smp_kfilter *f);
int  smp_kfilter_offer(smp_kfilter *f, uint64_t key);

/* ---- interval selection (systematic, cell, MUS), exact ----
 * unit_random: floor(T (j - 1 + h / 2^64) / n) + 1, the unit hit by draw j
 *   (1..n) with a random start h (systematic: one h for all j; cell: one per j);
 * unit_start: ceil(s + (j - 1) T / n) for a given start s = num / den in (0, T/n].
 * T: units in the population (items, or monetary units). */
as_code smp_unit_random(unsigned __int128 T, uint64_t n, uint64_t j, uint64_t h, unsigned __int128 *unit) AS_MUST_USE;
as_code smp_unit_start(unsigned __int128 T, uint64_t n, uint64_t j, uint64_t s_num, uint64_t s_den,
                       unsigned __int128 *unit) AS_MUST_USE;

/* ---- strata ---- */
typedef enum smp_period { SMP_PERIOD_MONTH = 0, SMP_PERIOD_WEEK, SMP_PERIOD_QUARTER } smp_period;
#define SMP_LABEL_MAX 16
/* "2025-10", "2025-W40" (ISO 8601 week), "2025Q4", of t in UTC; returns the length. */
size_t smp_period_label(smp_period p, as_time t, char out[SMP_LABEL_MAX]);
int    smp_period_from_name(const char *s, smp_period *out);  /* month|week|quarter: 0, else -1 */

typedef struct smp_tally_ent {
    char             *label;     /* owned, NUL-terminated; NULL = empty slot */
    size_t            label_len;
    uint64_t          count;
    unsigned __int128 value;
    size_t            index;     /* position in smp_tally_sorted order */
} smp_tally_ent;

typedef struct smp_tally {
    smp_tally_ent *slot;         /* open addressing; owned */
    size_t         n, cap;
} smp_tally;

void           smp_tally_init(smp_tally *t);
void           smp_tally_fini(smp_tally *t);
smp_tally_ent *smp_tally_get(smp_tally *t, as_slice label);  /* created at 0; NULL = out of memory */
/* Read only (safe from several threads while nothing is added): NULL when absent. */
const smp_tally_ent *smp_tally_find(const smp_tally *t, as_slice label);
as_code        smp_tally_add(smp_tally *t, as_slice label, uint64_t count, unsigned __int128 value) AS_MUST_USE;
as_code        smp_tally_merge(smp_tally *dst, const smp_tally *src) AS_MUST_USE;
/* The entries sorted by label (bytewise), their index fields set; an
 * as_malloc'd array of t->n pointers (NULL = out of memory). */
smp_tally_ent **smp_tally_sorted(smp_tally *t);

/* Allocates n over S strata of N_h items: proportional, at least min(min_h,
 * N_h) each, largest remainder. n >= sum N_h gives every stratum all of its
 * items. AS_ERR_USAGE when the minimums alone exceed n. */
as_code smp_allocate(const uint64_t *N_h, size_t S, uint64_t n, uint64_t min_h, uint64_t *n_h,
                     as_err *err) AS_MUST_USE;

#endif
