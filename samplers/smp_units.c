/* smp_units.c: which unit a systematic, cell or monetary-unit selection hits
 * (see smp.h "Interval selection"), in exact integer arithmetic.
 *
 * Units are numbered 1..T: items (T = N) or monetary units (T = total value
 * in the value's smallest unit). The interval is I = T / n, a rational.
 * A random start is u = h / 2^64 of an interval, h from the seed's HMAC:
 *   unit_j = floor(T (j - 1 + u) / n) + 1 = floor(T ((j-1) 2^64 + h) / (n 2^64)) + 1
 * A given start s = num / den in (0, I] (jfa, Touw & Hoogduin):
 *   unit_j = ceil(s + (j - 1) T / n)   = ceil((num n + (j-1) T den) / (n den))
 * Products exceed 128 bits for large totals, so both are done on smp_big.
 */
#include "samplers/smp.h"

#include "samplers/smp_big.h"

as_code smp_unit_random(unsigned __int128 T, uint64_t n, uint64_t j, uint64_t h, unsigned __int128 *unit)
{
    smp_big x, y;
    smp_big_init(&x);
    smp_big_init(&y);
    smp_big_set_u128(&x, T);
    smp_big_mul_u64(&x, j - 1);
    smp_big_shl_limbs(&x, 2);                        /* T (j-1) 2^64 */
    smp_big_set_u128(&y, T);
    smp_big_mul_u64(&y, h);                          /* T h */
    smp_big_add(&x, &y);
    (void)smp_big_divmod_u64(&x, n);                 /* floor(./n) then floor(./2^64): the same as one floor */
    (void)smp_big_shr64(&x);
    unsigned __int128 v = 0;
    as_code rc = x.oom || y.oom || smp_big_to_u128(&x, &v) != 0 ? AS_ERR_NOMEM : AS_OK;
    smp_big_fini(&x);
    smp_big_fini(&y);
    *unit = v + 1;
    return rc;
}

as_code smp_unit_start(unsigned __int128 T, uint64_t n, uint64_t j, uint64_t s_num, uint64_t s_den,
                       unsigned __int128 *unit)
{
    smp_big x, y;
    smp_big_init(&x);
    smp_big_init(&y);
    smp_big_set_u128(&x, T);
    smp_big_mul_u64(&x, j - 1);
    smp_big_mul_u64(&x, s_den);                      /* (j-1) T den */
    smp_big_set_u128(&y, s_num);
    smp_big_mul_u64(&y, n);                          /* num n */
    smp_big_add(&x, &y);
    uint64_t r1 = smp_big_divmod_u64(&x, n);
    uint64_t r2 = smp_big_divmod_u64(&x, s_den);
    if (r1 || r2)
        smp_big_add_u64(&x, 1);                      /* ceil of the exact quotient */
    unsigned __int128 v = 0;
    as_code rc = x.oom || y.oom || smp_big_to_u128(&x, &v) != 0 ? AS_ERR_NOMEM : AS_OK;
    smp_big_fini(&x);
    smp_big_fini(&y);
    *unit = v;
    return rc;
}
