/* smp_mb.h: multi-buffer SHA-256 block compression for the selection keys.
 *
 * A random selection computes one HMAC-SHA256 per record (smp_key.c): two
 * SHA-256 block compressions of a short message. SHA-NI does one block in
 * about 40 ns here however the blocks are interleaved (it is throughput-bound),
 * which made the keys the largest cost of `assay sample` over 100 million
 * records. Sixteen independent blocks at once in the 32-bit lanes of AVX-512
 * registers (rotates and three-input logic in one instruction each) take a
 * fraction of that per block. The lanes share one start state (a prepared
 * HMAC pad state) and each has its own 16 message words.
 *
 * smp_mb_available says whether the CPU runs it (AVX-512F and BW; checked once);
 * callers fall back to OpenSSL's SHA256_Transform otherwise. Results are the
 * same bits either way (unit test against libcrypto).
 */
#ifndef ASSAY_SMP_MB_H
#define ASSAY_SMP_MB_H

#include <stdint.h>

#define SMP_MB_LANES 16

/* Message words of 16 blocks, transposed: w[t][lane] is word t (big-endian
 * value) of that lane's block. */
typedef struct smp_mb_block {
    uint32_t w[16][SMP_MB_LANES];
} smp_mb_block;

int smp_mb_available(void);

/* Compresses each lane's block into the start state `h0` (8 words, shared by
 * all lanes); out[i][lane] is word i of that lane's resulting state. Only
 * when smp_mb_available(). */
void smp_mb_compress(const uint32_t h0[8], const smp_mb_block *blk, uint32_t out[8][SMP_MB_LANES]);
/* The same from 16 padded 64-byte blocks as bytes, rows[lane]. */
void smp_mb_compress_rows(const uint32_t h0[8], const uint8_t rows[SMP_MB_LANES][64], uint32_t out[8][SMP_MB_LANES]);

#endif
