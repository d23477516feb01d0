/* smp_mb.c: SHA-256 block compression of 16 lanes with AVX-512 (see smp_mb.h).
 *
 * FIPS 180-4 section 6.2.2, one round per step for all lanes: the round
 * functions map onto vprord (ROTR) and vpternlogd (XOR3 0x96, Ch 0xCA,
 * Maj 0xE8); byte rows are swapped and transposed with AVX-512BW. The
 * functions are compiled for AVX-512F/BW alone (target
 * attribute) and only called after a CPUID check, so the binary still runs
 * on any x86-64; other architectures get the stub below.
 */
#include "samplers/smp_mb.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <pthread.h>  /* pthread_once: the CPUID probe */

static const uint32_t k_round[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int            g_avail;

static void probe(void)
{
    __builtin_cpu_init();
    g_avail = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") ? 1 : 0;
}

int smp_mb_available(void)
{
    pthread_once(&g_once, probe);                   /* workers create keyers at once */
    return g_avail;
}

#define XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0x96)
#define MB_TARGET __attribute__((target("avx512f,avx512bw")))

/* The 64 rounds for 16 lanes, message words w[t] (one lane each). */
MB_TARGET static inline void rounds(const uint32_t h0[8], __m512i w[16], uint32_t out[8][SMP_MB_LANES])
{
    __m512i a = _mm512_set1_epi32((int)h0[0]), b = _mm512_set1_epi32((int)h0[1]),
            c = _mm512_set1_epi32((int)h0[2]), d = _mm512_set1_epi32((int)h0[3]),
            e = _mm512_set1_epi32((int)h0[4]), f = _mm512_set1_epi32((int)h0[5]),
            g = _mm512_set1_epi32((int)h0[6]), h = _mm512_set1_epi32((int)h0[7]);
#pragma GCC unroll 64
    for (int t = 0; t < 64; t++) {                  /* unrolled: the ring indexes become registers */
        __m512i wt;
        if (t < 16) {
            wt = w[t];
        } else {                                    /* the schedule, in a ring of 16 */
            __m512i w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
            __m512i s0 = XOR3(_mm512_ror_epi32(w15, 7), _mm512_ror_epi32(w15, 18), _mm512_srli_epi32(w15, 3));
            __m512i s1 = XOR3(_mm512_ror_epi32(w2, 17), _mm512_ror_epi32(w2, 19), _mm512_srli_epi32(w2, 10));
            wt = _mm512_add_epi32(_mm512_add_epi32(w[t & 15], s0), _mm512_add_epi32(w[(t - 7) & 15], s1));
            w[t & 15] = wt;
        }
        __m512i S1 = XOR3(_mm512_ror_epi32(e, 6), _mm512_ror_epi32(e, 11), _mm512_ror_epi32(e, 25));
        __m512i ch = _mm512_ternarylogic_epi32(e, f, g, 0xCA);
        __m512i t1 = _mm512_add_epi32(_mm512_add_epi32(h, S1),
                                      _mm512_add_epi32(ch, _mm512_add_epi32(wt, _mm512_set1_epi32((int)k_round[t]))));
        __m512i S0 = XOR3(_mm512_ror_epi32(a, 2), _mm512_ror_epi32(a, 13), _mm512_ror_epi32(a, 22));
        __m512i mj = _mm512_ternarylogic_epi32(a, b, c, 0xE8);
        __m512i t2 = _mm512_add_epi32(S0, mj);
        h = g;
        g = f;
        f = e;
        e = _mm512_add_epi32(d, t1);
        d = c;
        c = b;
        b = a;
        a = _mm512_add_epi32(t1, t2);
    }
    __m512i v[8] = { a, b, c, d, e, f, g, h };
    for (int i = 0; i < 8; i++)
        _mm512_storeu_si512((void *)out[i], _mm512_add_epi32(v[i], _mm512_set1_epi32((int)h0[i])));
}

MB_TARGET void smp_mb_compress(const uint32_t h0[8], const smp_mb_block *blk, uint32_t out[8][SMP_MB_LANES])
{
    __m512i w[16];
    for (int t = 0; t < 16; t++)
        w[t] = _mm512_loadu_si512((const void *)blk->w[t]);
    rounds(h0, w, out);
}

/* 16 blocks as bytes: each row's words byte-swapped (big-endian), then the
 * 16 x 16 matrix of words transposed (32-bit, 64-bit unpacks within 128-bit
 * lanes, then a 4 x 4 transpose of the 128-bit lanes), so w[t] holds word t
 * of every lane. */
MB_TARGET void smp_mb_compress_rows(const uint32_t h0[8], const uint8_t rows[SMP_MB_LANES][64],
                                    uint32_t out[8][SMP_MB_LANES])
{
    const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
    __m512i r[16], t[16], u[16], w[16];
    for (int i = 0; i < 16; i++)
        r[i] = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)rows[i]), bswap);
    for (size_t k = 0; k < 8; k++) {
        t[2 * k] = _mm512_unpacklo_epi32(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_epi32(r[2 * k], r[2 * k + 1]);
    }
    for (size_t k = 0; k < 4; k++) {                /* u[4k + c], 128-bit lane L: column 4L + c of rows 4k..4k+3 */
        u[4 * k] = _mm512_unpacklo_epi64(t[4 * k], t[4 * k + 2]);
        u[4 * k + 1] = _mm512_unpackhi_epi64(t[4 * k], t[4 * k + 2]);
        u[4 * k + 2] = _mm512_unpacklo_epi64(t[4 * k + 1], t[4 * k + 3]);
        u[4 * k + 3] = _mm512_unpackhi_epi64(t[4 * k + 1], t[4 * k + 3]);
    }
    for (int c = 0; c < 4; c++) {                   /* w[4L + c] = lanes L of u[c], u[4 + c], u[8 + c], u[12 + c] */
        __m512i v0 = _mm512_shuffle_i32x4(u[c], u[4 + c], 0x44), v1 = _mm512_shuffle_i32x4(u[c], u[4 + c], 0xEE);
        __m512i v2 = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0x44), v3 = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0xEE);
        w[c] = _mm512_shuffle_i32x4(v0, v2, 0x88);
        w[4 + c] = _mm512_shuffle_i32x4(v0, v2, 0xDD);
        w[8 + c] = _mm512_shuffle_i32x4(v1, v3, 0x88);
        w[12 + c] = _mm512_shuffle_i32x4(v1, v3, 0xDD);
    }
    rounds(h0, w, out);
}

#else

int smp_mb_available(void)
{
    return 0;
}

void smp_mb_compress(const uint32_t h0[8], const smp_mb_block *blk, uint32_t out[8][SMP_MB_LANES])
{
    (void)h0;
    (void)blk;
    (void)out;
}

void smp_mb_compress_rows(const uint32_t h0[8], const uint8_t rows[SMP_MB_LANES][64], uint32_t out[8][SMP_MB_LANES])
{
    (void)h0;
    (void)rows;
    (void)out;
}

#endif
