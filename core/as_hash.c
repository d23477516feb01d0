/* as_hash.c: SHA-256 and HMAC-SHA256 over libcrypto EVP (see as_hash.h). */
#include "core/as_hash.h"

#include <openssl/evp.h>   /* EVP_MD_CTX, EVP_sha256 */
#include <openssl/hmac.h>  /* HMAC */

int as_sha256_init(as_sha256 *h)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL)
        return -1;
    if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        return -1;
    }
    h->evp = c;
    return 0;
}

int as_sha256_update(as_sha256 *h, const void *p, size_t n)
{
    if (n == 0)
        return 0;
    return EVP_DigestUpdate((EVP_MD_CTX *)h->evp, p, n) == 1 ? 0 : -1;
}

int as_sha256_final(as_sha256 *h, uint8_t out[AS_SHA256_LEN])
{
    unsigned int len = 0;
    return EVP_DigestFinal_ex((EVP_MD_CTX *)h->evp, out, &len) == 1 && len == AS_SHA256_LEN ? 0 : -1;
}

void as_sha256_fini(as_sha256 *h)
{
    EVP_MD_CTX_free((EVP_MD_CTX *)h->evp);
    h->evp = NULL;
}

int as_sha256_buf(const void *p, size_t n, uint8_t out[AS_SHA256_LEN])
{
    unsigned int len = 0;
    return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == AS_SHA256_LEN ? 0 : -1;
}

int as_hmac_sha256(as_slice key, as_slice msg, uint8_t out[AS_SHA256_LEN])
{
    unsigned int len = 0;
    static const unsigned char empty[1] = { 0 };
    const void *k = key.len ? (const void *)key.ptr : (const void *)empty;
    const unsigned char *m = msg.len ? (const unsigned char *)msg.ptr : empty;
    if (key.len > (size_t)INT32_MAX)
        return -1;
    return HMAC(EVP_sha256(), k, (int)key.len, m, msg.len, out, &len) != NULL &&
                   len == AS_SHA256_LEN ? 0 : -1;
}

void as_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}
