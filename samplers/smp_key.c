/* smp_key.c: seeds and selection keys (see smp.h "Seeds and keys").
 *
 * key(id) = the first 8 bytes, big-endian, of HMAC-SHA256(seed bytes, id):
 * what `printf '%s' ID | openssl dgst -sha256 -mac HMAC -macopt key:SEED`
 * prints (hexkey: for a hex: seed), first 16 hex digits. HMAC is computed
 * per RFC 2104 from two SHA-256 states prepared once per seed (key XOR ipad,
 * key XOR opad), so a record costs two SHA-256 finalisations and no
 * allocation: a struct copy of a prepared SHA256_CTX, update, final. The
 * low-level SHA256_* calls are deprecated in OpenSSL 3 but run the same
 * SHA-NI code as EVP; EVP_MD_CTX_copy_ex cost a third more per key here
 * (it cleanses and re-initialises the context): BM_key_hmac measured 269 ns
 * a key with EVP, 206 ns with this (both including an snprintf of the id).
 * Ids of up to 55 bytes need one block per hash (smp_keyer_key pads them
 * itself), and smp_keyer_keys computes them 16 at a time (smp_mb.h).
 */
#include "samplers/smp.h"
#include "samplers/smp_mb.h"  /* 16 keys at once with AVX-512 */

#define OPENSSL_SUPPRESS_DEPRECATED 1  /* SHA256_Init & co.: see above */
#include <openssl/sha.h>  /* SHA256_CTX: SHA-256 with SHA-NI where the CPU has it */
#include <stdio.h>        /* snprintf */
#include <string.h>       /* memcpy, memset, strncmp */
#include <sys/random.h>   /* getrandom: --seed random */

#define HMAC_BLOCK 64   /* SHA-256 block size, bytes (RFC 2104 B) */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int smp_seed_parse(const char *s, smp_seed *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof out->text)
        return -1;
    memcpy(out->text, s, n + 1);
    if (strncmp(s, "hex:", 4) == 0) {
        const char *h = s + 4;
        size_t hl = n - 4;
        if (hl == 0 || hl % 2 || hl / 2 > sizeof out->key)
            return -1;
        for (size_t i = 0; i < hl / 2; i++) {
            int a = hexval(h[2 * i]), b = hexval(h[2 * i + 1]);
            if (a < 0 || b < 0)
                return -1;
            out->key[i] = (uint8_t)(a << 4 | b);
        }
        out->key_len = hl / 2;
        out->is_hex = 1;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return -1;                               /* no control bytes: the seed must survive a shell */
    if (n > sizeof out->key)
        return -1;
    memcpy(out->key, s, n);
    out->key_len = n;
    return 0;
}

int smp_seed_random(smp_seed *out)
{
    uint8_t b[SMP_SEED_RANDOM_BYTES];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t r = getrandom(b + got, sizeof b - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    char text[4 + 2 * SMP_SEED_RANDOM_BYTES + 1] = "hex:";
    as_hex(b, sizeof b, text + 4);
    int rc = smp_seed_parse(text, out);
    if (rc == 0)
        out->is_random = 1;
    return rc;
}

struct smp_keyer {
    SHA256_CTX inner, outer;  /* after the key XOR ipad / opad block */
    int        mb;            /* smp_keyer_keys may use smp_mb (1 when the CPU can) */
    smp_mb_block outer_blk;   /* its outer blocks: words 8-15 fixed (0x80, zeros, 768 bits) */
};

smp_keyer *smp_keyer_new(const smp_seed *s)
{
    smp_keyer *k = as_calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    uint8_t key[HMAC_BLOCK] = { 0 }, pad[HMAC_BLOCK];
    memcpy(key, s->key, s->key_len);                 /* key_len <= 64: never hashed first */
    for (int i = 0; i < HMAC_BLOCK; i++)
        pad[i] = key[i] ^ 0x36;
    int ok = SHA256_Init(&k->inner) == 1 && SHA256_Update(&k->inner, pad, HMAC_BLOCK) == 1;
    for (int i = 0; i < HMAC_BLOCK; i++)
        pad[i] = key[i] ^ 0x5c;
    ok = ok && SHA256_Init(&k->outer) == 1 && SHA256_Update(&k->outer, pad, HMAC_BLOCK) == 1;
    if (!ok) {
        smp_keyer_free(k);
        return NULL;
    }
    k->mb = smp_mb_available();
    for (int t = 8; t < 16; t++)
        for (size_t l = 0; l < SMP_MB_LANES; l++)
            k->outer_blk.w[t][l] = t == 8 ? 0x80000000u : t == 15 ? (HMAC_BLOCK + AS_SHA256_LEN) * 8 : 0;
    return k;
}

int smp_keyer_set_multibuffer(smp_keyer *k, int on)
{
    k->mb = on && smp_mb_available();
    return k->mb;
}

void smp_keyer_free(smp_keyer *k)
{
    as_free(k);
}

int smp_keyer_mac(smp_keyer *k, as_slice msg, uint8_t out[AS_SHA256_LEN])
{
    uint8_t d[AS_SHA256_LEN];
    SHA256_CTX c = k->inner;
    if (SHA256_Update(&c, msg.ptr, msg.len) != 1 || SHA256_Final(d, &c) != 1)
        return -1;
    c = k->outer;
    if (SHA256_Update(&c, d, sizeof d) != 1 || SHA256_Final(out, &c) != 1)
        return -1;
    return 0;
}

uint64_t smp_key_from_mac(const uint8_t mac[AS_SHA256_LEN])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | mac[i];
    return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    v = __builtin_bswap64(v);                      /* x86-64 and arm64 are little-endian */
    memcpy(p, &v, sizeof v);
}

/* One padded block on a copy of a prepared state (SHA256_Transform: the
 * same SHA-NI block function as SHA256_Update). */
static void compress(const SHA256_CTX *st, const uint8_t blk[HMAC_BLOCK], SHA256_CTX *out)
{
    *out = *st;
    SHA256_Transform(out, blk);
}

int smp_keyer_key(smp_keyer *k, as_slice id, uint64_t *key)
{
    if (id.len <= HMAC_BLOCK - 9) {
        /* The common case, ids of up to 55 bytes: the inner hash is one
         * block after the pad (id, 0x80, zeros, the bit length of pad + id)
         * and the outer hash one block after its pad (the inner digest,
         * 0x80, zeros, 768 bits): two block compressions and no buffering,
         * about half the time of the Update/Final pair. Equal to
         * smp_keyer_mac's first 8 bytes for every length (unit test). */
        uint8_t blk[HMAC_BLOCK] = { 0 };
        if (id.len)
            memcpy(blk, id.ptr, id.len);
        blk[id.len] = 0x80;
        put_be64(blk + HMAC_BLOCK - 8, (uint64_t)(HMAC_BLOCK + id.len) * 8);
        SHA256_CTX c;
        compress(&k->inner, blk, &c);
        memset(blk, 0, sizeof blk);
        for (size_t i = 0; i < 8; i++) {
            uint32_t w = c.h[i];
            blk[4 * i] = (uint8_t)(w >> 24);
            blk[4 * i + 1] = (uint8_t)(w >> 16);
            blk[4 * i + 2] = (uint8_t)(w >> 8);
            blk[4 * i + 3] = (uint8_t)w;
        }
        blk[AS_SHA256_LEN] = 0x80;
        put_be64(blk + HMAC_BLOCK - 8, (uint64_t)(HMAC_BLOCK + AS_SHA256_LEN) * 8);
        compress(&k->outer, blk, &c);
        *key = (uint64_t)c.h[0] << 32 | c.h[1];
        return 0;
    }
    uint8_t mac[AS_SHA256_LEN];
    if (smp_keyer_mac(k, id, mac) != 0)
        return -1;
    *key = smp_key_from_mac(mac);
    return 0;
}

int smp_keyer_keys(smp_keyer *k, const as_slice *ids, size_t n, uint64_t *keys)
{
    size_t i = 0;
    while (i < n) {
        /* up to 16 one-block ids into the lanes; longer ids one by one */
        size_t lane_of[SMP_MB_LANES], nl = 0;
        uint8_t rows[SMP_MB_LANES][HMAC_BLOCK];
        for (; i < n && nl < SMP_MB_LANES; i++) {
            if (!k->mb || ids[i].len > HMAC_BLOCK - 9) {
                if (smp_keyer_key(k, ids[i], &keys[i]) != 0)
                    return -1;
                continue;
            }
            uint8_t *m = rows[nl];
            memset(m, 0, HMAC_BLOCK);
            if (ids[i].len)
                memcpy(m, ids[i].ptr, ids[i].len);
            m[ids[i].len] = 0x80;
            put_be64(m + HMAC_BLOCK - 8, (uint64_t)(HMAC_BLOCK + ids[i].len) * 8);
            lane_of[nl++] = i;
        }
        if (nl == 0)
            continue;
        for (size_t l = nl; l < SMP_MB_LANES; l++)  /* idle lanes: defined input, result unused */
            memset(rows[l], 0, HMAC_BLOCK);
        uint32_t mid[8][SMP_MB_LANES], fin[8][SMP_MB_LANES];
        smp_mb_compress_rows(k->inner.h, (const uint8_t(*)[HMAC_BLOCK])rows, mid);
        memcpy(k->outer_blk.w, mid, sizeof mid);    /* outer: the inner digest, then the fixed tail */
        smp_mb_compress(k->outer.h, &k->outer_blk, fin);
        for (size_t l = 0; l < nl; l++)
            keys[lane_of[l]] = (uint64_t)fin[0][l] << 32 | fin[1][l];
    }
    return 0;
}

int smp_keyer_draw(smp_keyer *k, const char *label, uint64_t j, uint64_t *key)
{
    char msg[96];
    int n = j ? snprintf(msg, sizeof msg, "%s-%llu", label, (unsigned long long)j)
              : snprintf(msg, sizeof msg, "%s", label);
    if (n <= 0 || (size_t)n >= sizeof msg)
        return -1;
    return smp_keyer_key(k, (as_slice){ msg, (size_t)n }, key);
}
