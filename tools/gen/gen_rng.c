/* gen_rng.c: seeding, bounded draws and Zipf tables (see gen_rng.h). */
#include "tools/gen/gen_rng.h"

#define GEN_FNV_OFFSET 0xcbf29ce484222325ull /* FNV-1a 64-bit offset basis */
#define GEN_FNV_PRIME  0x100000001b3ull      /* FNV-1a 64-bit prime */
#define GEN_ZIPF_SCALE (1ull << 40)          /* weight of item k is SCALE / (k + q) */

uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t gen_hash_str(const char *s)
{
    uint64_t h = GEN_FNV_OFFSET;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= GEN_FNV_PRIME;
    }
    uint64_t x = h;
    return gen_splitmix64(&x);
}

uint64_t gen_hash_mix(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ gen_rotl_(b, 29) ^ 0x6a09e667f3bcc909ull;
    gen_splitmix64(&x);
    x ^= b;
    return gen_splitmix64(&x);
}

void gen_rng_seed(gen_rng *r, uint64_t seed, const char *ident, uint64_t n)
{
    uint64_t x = gen_hash_mix(gen_hash_mix(seed, gen_hash_str(ident)), n);
    for (int i = 0; i < 4; i++)
        r->s[i] = gen_splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1; /* the one forbidden state */
}

uint64_t gen_rng_below(gen_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    unsigned __int128 m = (unsigned __int128)gen_rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        const uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128)gen_rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

int gen_zipf_init(gen_zipf *z, size_t n, unsigned q)
{
    z->n = 0;
    z->cum = as_malloc(n * sizeof *z->cum);
    if (z->cum == NULL)
        return -1;
    uint64_t acc = 0;
    for (size_t k = 0; k < n; k++) {
        acc += GEN_ZIPF_SCALE / (k + q);
        z->cum[k] = acc;
    }
    z->n = n;
    return 0;
}

void gen_zipf_fini(gen_zipf *z)
{
    as_free(z->cum);
    z->cum = NULL;
    z->n = 0;
}

size_t gen_zipf_pick(const gen_zipf *z, gen_rng *r)
{
    uint64_t u = gen_rng_below(r, z->cum[z->n - 1]);
    size_t lo = 0, hi = z->n - 1;  /* first k with cum[k] > u */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void gen_rng_shuffle(gen_rng *r, uint32_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)gen_rng_below(r, i);
        uint32_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
