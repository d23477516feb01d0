/* test_as_hash.c: unit tests for core/as_hash (SHA-256 and HMAC-SHA256 over
 * libcrypto). Expected digests were computed with `sha256sum`, `openssl dgst
 * -sha256` and `openssl dgst -sha256 -mac HMAC`; HMAC cases are RFC 4231 4.2-4.8
 * (case 5, a truncated output, does not apply). */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>  /* memset, strlen */

#include "core/as_alloc.h"
#include "core/as_hash.h"

static void hex_of(const uint8_t d[AS_SHA256_LEN], char out[AS_SHA256_HEX])
{
    as_hex(d, AS_SHA256_LEN, out);
}

static void assert_sha256(const void *p, size_t n, const char *want)
{
    uint8_t d[AS_SHA256_LEN];
    char hex[AS_SHA256_HEX];
    assert_int_equal(as_sha256_buf(p, n, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, want);
}

static void test_as_hash_sha256_known_digests(void **state)
{
    (void)state;
    /* printf '' | sha256sum */
    assert_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* printf abc | sha256sum */
    assert_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* FIPS 180-2 two-block message */
    assert_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* 1 MiB of (i * 131 + 7) mod 256: non-repeating within a SHA-256 block. */
#define MIB (1u << 20)
static uint8_t *pattern_mib(void)
{
    uint8_t *p = as_malloc(MIB);
    assert_non_null(p);
    for (uint32_t i = 0; i < MIB; i++)
        p[i] = (uint8_t)(i * 131u + 7u);
    return p;
}

static void test_as_hash_sha256_one_megabyte(void **state)
{
    (void)state;
    /* python3 -c "...bytes((i*131+7)&255 for i in range(1<<20))" | openssl dgst -sha256 */
    uint8_t *p = pattern_mib();
    assert_sha256(p, MIB, "b7f7ba5ce5463b3c84a283f779d7a652cbf99122de5923ba51627607ff1497d5");
    /* FIPS 180-2: one million 'a' */
    memset(p, 'a', 1000000);
    assert_sha256(p, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    as_free(p);
}

static void test_as_hash_sha256_streaming_equals_one_shot(void **state)
{
    (void)state;
    uint8_t *p = pattern_mib();
    /* uneven pieces, empty ones included, crossing every block boundary */
    static const size_t pieces[] = { 0, 1, 63, 64, 65, 0, 127, 1000, 4096, 55, 56, 57 };
    as_sha256 h;
    assert_int_equal(as_sha256_init(&h), 0);
    size_t at = 0, k = 0;
    while (at < MIB) {
        size_t n = pieces[k++ % AS_ARRAY_LEN(pieces)];
        if (n > MIB - at)
            n = MIB - at;
        assert_int_equal(as_sha256_update(&h, p + at, n), 0);
        at += n;
    }
    uint8_t d[AS_SHA256_LEN];
    char hex[AS_SHA256_HEX];
    assert_int_equal(as_sha256_final(&h, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, "b7f7ba5ce5463b3c84a283f779d7a652cbf99122de5923ba51627607ff1497d5");
    as_sha256_fini(&h);
    assert_null(h.evp);
    as_sha256_fini(&h);  /* fini twice is harmless */
    as_free(p);
}

static void test_as_hash_sha256_reinit_after_final(void **state)
{
    (void)state;
    as_sha256 h;
    uint8_t d[AS_SHA256_LEN];
    char hex[AS_SHA256_HEX];
    assert_int_equal(as_sha256_init(&h), 0);
    assert_int_equal(as_sha256_final(&h, d), 0);   /* nothing hashed */
    hex_of(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    as_sha256_fini(&h);
    assert_int_equal(as_sha256_init(&h), 0);
    assert_int_equal(as_sha256_update(&h, "a", 1), 0);
    assert_int_equal(as_sha256_update(&h, "bc", 2), 0);
    assert_int_equal(as_sha256_final(&h, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    as_sha256_fini(&h);
}

static void fill(uint8_t *p, uint8_t v, size_t n)
{
    memset(p, v, n);
}

static void assert_hmac(as_slice key, as_slice msg, const char *want)
{
    uint8_t d[AS_SHA256_LEN];
    char hex[AS_SHA256_HEX];
    assert_int_equal(as_hmac_sha256(key, msg, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, want);
}

static void test_as_hash_hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t key[131], data[50];

    /* 4.2 test case 1 */
    fill(key, 0x0b, 20);
    assert_hmac(as_slice_make((const char *)key, 20), AS_SLICE_LIT("Hi There"),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* 4.3 test case 2: a key shorter than the output */
    assert_hmac(AS_SLICE_LIT("Jefe"), AS_SLICE_LIT("what do ya want for nothing?"),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* 4.4 test case 3: 50 bytes of 0xdd */
    fill(key, 0xaa, 20);
    fill(data, 0xdd, 50);
    assert_hmac(as_slice_make((const char *)key, 20), as_slice_make((const char *)data, 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    /* 4.5 test case 4: key 0x01..0x19 */
    for (int i = 0; i < 25; i++)
        key[i] = (uint8_t)(i + 1);
    fill(data, 0xcd, 50);
    assert_hmac(as_slice_make((const char *)key, 25), as_slice_make((const char *)data, 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    /* 4.7 test case 6: a key larger than the block size is hashed first */
    fill(key, 0xaa, 131);
    assert_hmac(as_slice_make((const char *)key, 131),
                AS_SLICE_LIT("Test Using Larger Than Block-Size Key - Hash Key First"),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    /* 4.8 test case 7: large key and large data */
    assert_hmac(as_slice_make((const char *)key, 131),
                AS_SLICE_LIT("This is a test using a larger than block-size key and a larger "
                             "than block-size data. The key needs to be hashed before being "
                             "used by the HMAC algorithm."),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void test_as_hash_hmac_empty_key_and_message(void **state)
{
    (void)state;
    /* empty slices may have a NULL pointer */
    assert_hmac((as_slice){ NULL, 0 }, (as_slice){ NULL, 0 },
                "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    assert_hmac(AS_SLICE_LIT(""), AS_SLICE_LIT(""),
                "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void test_as_hash_hex(void **state)
{
    (void)state;
    char out[9];
    const uint8_t b[4] = { 0x00, 0x9f, 0xa0, 0xff };
    as_hex(b, 4, out);
    assert_string_equal(out, "009fa0ff");
    as_hex(b, 0, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_hash_sha256_known_digests),
        cmocka_unit_test(test_as_hash_sha256_one_megabyte),
        cmocka_unit_test(test_as_hash_sha256_streaming_equals_one_shot),
        cmocka_unit_test(test_as_hash_sha256_reinit_after_final),
        cmocka_unit_test(test_as_hash_hmac_rfc4231),
        cmocka_unit_test(test_as_hash_hmac_empty_key_and_message),
        cmocka_unit_test(test_as_hash_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
