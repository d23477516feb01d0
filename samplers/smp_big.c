/* smp_big.c: unsigned big integers on 32-bit limbs (see smp_big.h). Every
 * operation is schoolbook; the numbers met here have at most a few thousand
 * limbs (10000^n for n of a few thousand), so nothing cleverer pays. */
#include "samplers/smp_big.h"

#include <string.h>  /* memmove, memset */

#include "core/as_alloc.h"

void smp_big_init(smp_big *b)
{
    memset(b, 0, sizeof *b);
}

void smp_big_fini(smp_big *b)
{
    as_free(b->d);
    memset(b, 0, sizeof *b);
}

static int grow(smp_big *b, size_t need)
{
    if (b->oom)
        return -1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 8;
    while (cap < need)
        cap *= 2;
    uint32_t *d = as_realloc(b->d, cap * sizeof *d);
    if (d == NULL) {
        b->oom = 1;
        return -1;
    }
    b->d = d;
    b->cap = cap;
    return 0;
}

static void trim(smp_big *b)
{
    while (b->n && b->d[b->n - 1] == 0)
        b->n--;
}

void smp_big_set_u128(smp_big *b, unsigned __int128 v)
{
    if (grow(b, 4) != 0)
        return;
    b->n = 0;
    while (v) {
        b->d[b->n++] = (uint32_t)v;
        v >>= 32;
    }
}

void smp_big_copy(smp_big *dst, const smp_big *src)
{
    if (src->oom) {
        dst->oom = 1;
        return;
    }
    if (grow(dst, src->n ? src->n : 1) != 0)
        return;
    if (src->n)
        memcpy(dst->d, src->d, src->n * sizeof *src->d);
    dst->n = src->n;
}

void smp_big_mul_u64(smp_big *b, uint64_t m)
{
    if (b->oom || b->n == 0)
        return;
    if (m == 0) {
        b->n = 0;
        return;
    }
    if (grow(b, b->n + 2) != 0)
        return;
    if (m <= UINT32_MAX) {                           /* the common case: 64-bit arithmetic */
        uint64_t c = 0;
        for (size_t i = 0; i < b->n; i++) {
            uint64_t t = (uint64_t)b->d[i] * m + c;
            b->d[i] = (uint32_t)t;
            c = t >> 32;
        }
        if (c)
            b->d[b->n++] = (uint32_t)c;
        return;
    }
    unsigned __int128 carry = 0;
    for (size_t i = 0; i < b->n; i++) {
        unsigned __int128 t = (unsigned __int128)b->d[i] * m + carry;
        b->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    while (carry) {
        b->d[b->n++] = (uint32_t)carry;
        carry >>= 32;
    }
}

void smp_big_add(smp_big *b, const smp_big *a)
{
    if (a->oom)
        b->oom = 1;
    size_t n = AS_MAX(a->n, b->n) + 1;
    if (grow(b, n) != 0)
        return;
    for (size_t i = b->n; i < n; i++)
        b->d[i] = 0;
    uint64_t carry = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t t = (uint64_t)b->d[i] + (i < a->n ? a->d[i] : 0) + carry;
        b->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    b->n = n;
    trim(b);
}

void smp_big_mul(smp_big *b, const smp_big *a)
{
    smp_big acc, part;
    smp_big_init(&acc);
    smp_big_init(&part);
    smp_big_set_u128(&acc, 0);
    for (size_t l = 0; l < a->n; l++) {
        smp_big_copy(&part, b);
        smp_big_mul_u64(&part, a->d[l]);
        smp_big_shl_limbs(&part, l);
        smp_big_add(&acc, &part);
    }
    if (a->oom || part.oom)
        acc.oom = 1;
    smp_big_copy(b, &acc);
    smp_big_fini(&acc);
    smp_big_fini(&part);
}

void smp_big_add_u64(smp_big *b, uint64_t a)
{
    smp_big t;
    uint32_t limbs[2] = { (uint32_t)a, (uint32_t)(a >> 32) };
    t.d = limbs;
    t.n = limbs[1] ? 2 : (limbs[0] ? 1 : 0);
    t.cap = 2;
    t.oom = 0;
    smp_big_add(b, &t);
}

uint64_t smp_big_divmod_u64(smp_big *b, uint64_t d)
{
    if (b->oom || d == 0)
        return 0;
    if (d <= UINT32_MAX) {                           /* a hardware 64/32 division per limb */
        uint64_t r = 0;
        for (size_t i = b->n; i-- > 0;) {
            uint64_t cur = (r << 32) | b->d[i];
            b->d[i] = (uint32_t)(cur / d);
            r = cur % d;
        }
        trim(b);
        return r;
    }
    unsigned __int128 rem = 0;
    for (size_t i = b->n; i-- > 0;) {
        unsigned __int128 cur = (rem << 32) | b->d[i];
        b->d[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    trim(b);
    return (uint64_t)rem;
}

void smp_big_shl_limbs(smp_big *b, size_t limbs)
{
    if (b->oom || b->n == 0 || limbs == 0)
        return;
    if (grow(b, b->n + limbs) != 0)
        return;
    memmove(b->d + limbs, b->d, b->n * sizeof *b->d);
    memset(b->d, 0, limbs * sizeof *b->d);
    b->n += limbs;
}

int smp_big_shr64(smp_big *b)
{
    if (b->oom)
        return 0;
    int lost = (b->n > 0 && b->d[0] != 0) || (b->n > 1 && b->d[1] != 0);
    if (b->n <= 2) {
        b->n = 0;
        return lost;
    }
    memmove(b->d, b->d + 2, (b->n - 2) * sizeof *b->d);
    b->n -= 2;
    return lost;
}

int smp_big_cmp(const smp_big *a, const smp_big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (size_t i = a->n; i-- > 0;)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

int smp_big_to_u128(const smp_big *b, unsigned __int128 *out)
{
    if (b->oom || b->n > 4)
        return -1;
    unsigned __int128 v = 0;
    for (size_t i = b->n; i-- > 0;)
        v = (v << 32) | b->d[i];
    *out = v;
    return 0;
}
