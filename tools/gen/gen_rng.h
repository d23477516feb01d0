/* gen_rng.h: the seeded pseudo-random numbers of assay-gen.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64. Every output
 * file (and the world model) gets its own state derived from (seed, a text
 * identity such as "web/www/2025-10-01"), so files can be generated in any
 * order on any number of threads and still come out byte for byte the same.
 * Everything here is integer arithmetic: no floating point, no libm, so the
 * streams do not depend on the machine's math library either.
 * Thread-safety: explicit state; one gen_rng per job.
 */
#ifndef ASSAY_GEN_RNG_H
#define ASSAY_GEN_RNG_H

#include "core/as.h"

typedef struct gen_rng {
    uint64_t s[4];  /* xoshiro256** state; never all zero */
} gen_rng;

/* splitmix64 step: advances *x and returns the next output. */
uint64_t gen_splitmix64(uint64_t *x);

/* 64-bit FNV-1a of a NUL-terminated text, then mixed; used for identities. */
uint64_t gen_hash_str(const char *s);
/* Mixes two 64-bit values into one (order matters). */
uint64_t gen_hash_mix(uint64_t a, uint64_t b);

/* Seeds r from (seed, ident, n): equal inputs give equal streams, different
 * identities give independent ones. n is a second identity component (a day
 * number, an index); pass 0 when unused. */
void gen_rng_seed(gen_rng *r, uint64_t seed, const char *ident, uint64_t n);

static inline uint64_t gen_rotl_(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The next 64 random bits. */
static inline uint64_t gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = gen_rotl_(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl_(s[3], 45);
    return result;
}

/* Uniform in [0, n) without modulo bias (Lemire's multiply-shift with
 * rejection); n == 0 returns 0. */
uint64_t gen_rng_below(gen_rng *r, uint64_t n);

/* Uniform in [lo, hi] (inclusive); requires lo <= hi. */
static inline int64_t gen_rng_range(gen_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gen_rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* True with probability per_mille / 1000. */
static inline int gen_rng_permille(gen_rng *r, unsigned per_mille)
{
    return gen_rng_below(r, 1000) < per_mille;
}

/* A Zipf-Mandelbrot popularity table over n items: item k has weight
 * 2^40 / (k + q), so item 0 is the most popular. Picking is a binary search
 * over the integer cumulative weights. */
typedef struct gen_zipf {
    uint64_t *cum;  /* owned; cum[k] = sum of the weights of items 0..k */
    size_t    n;    /* items */
} gen_zipf;

/* Returns 0, or -1 when memory runs out. n >= 1, q >= 1. */
int    gen_zipf_init(gen_zipf *z, size_t n, unsigned q) AS_MUST_USE;
void   gen_zipf_fini(gen_zipf *z);
size_t gen_zipf_pick(const gen_zipf *z, gen_rng *r);

/* Shuffles idx[0..n) in place (Fisher-Yates). */
void gen_rng_shuffle(gen_rng *r, uint32_t *idx, size_t n);

#endif
