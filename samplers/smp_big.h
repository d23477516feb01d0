/* smp_big.h: unsigned integers of any size, for the few places where the
 * samplers must decide a comparison exactly (samplers/ only).
 *
 * Planning and evaluation compare a CDF with a risk. Floating point decides
 * almost every case; when the two are within a guard band (smp_dist.c) the
 * comparison is redone here on exact rationals: a binomial CDF at
 * p = t/10000 is an integer over 10000^n, a hypergeometric CDF an integer
 * over C(N, n). Systematic, cell and MUS selection use it to turn a rational
 * selection point into the unit it hits without overflowing 128 bits.
 * Only the operations those need: multiply and exactly divide by a 64-bit
 * number, add, shift by 32-bit limbs, compare.
 * Memory: limbs from as_realloc; a failed allocation sets `oom`, after which
 * the value is meaningless and every operation is a no-op.
 * Thread-safety: none; a value belongs to one thread.
 */
#ifndef ASSAY_SMP_BIG_H
#define ASSAY_SMP_BIG_H

#include "core/as_def.h"

typedef struct smp_big {
    uint32_t *d;    /* limbs, least significant first; owned */
    size_t    n;    /* limbs in use (no leading zero limb; 0 = the value 0) */
    size_t    cap;  /* limbs allocated */
    int       oom;  /* an allocation failed: the value is unusable */
} smp_big;

void smp_big_init(smp_big *b);
void smp_big_fini(smp_big *b);
void smp_big_set_u128(smp_big *b, unsigned __int128 v);
void smp_big_copy(smp_big *dst, const smp_big *src);
void smp_big_mul_u64(smp_big *b, uint64_t m);
void smp_big_add(smp_big *b, const smp_big *a);            /* b += a */
void smp_big_mul(smp_big *b, const smp_big *a);            /* b *= a */
void smp_big_add_u64(smp_big *b, uint64_t a);
/* b /= d (d > 0); returns the remainder. */
uint64_t smp_big_divmod_u64(smp_big *b, uint64_t d);
void smp_big_shl_limbs(smp_big *b, size_t limbs);         /* b <<= 32 * limbs */
/* b >>= 64; returns 1 when any of the bits shifted out was set. */
int  smp_big_shr64(smp_big *b);
int  smp_big_cmp(const smp_big *a, const smp_big *b);    /* <0, 0, >0 */
/* 0 and the value in *out when it fits 128 bits, -1 otherwise. */
int  smp_big_to_u128(const smp_big *b, unsigned __int128 *out);

#endif
